// the build kit's cache shared by processes: 16 workers hammering one cache at
// a tiny size limit (no torn read, exact counters), and a writer killed
// mid-store (no damaged entry). The workers are tests/cache/cache_worker.
#include <vitte/cache/cache.hpp>
#include <vitte/sys/directory.hpp>
#include <vitte/sys/fs.hpp>
#include <vitte/sys/info.hpp>
#include <vitte/sys/process.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/time.hpp>
#include <vitte/sys/whole_file.hpp>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "print.hpp"

namespace cache = vitte::cache;
namespace sys = vitte::sys;
using vitte::text;

namespace {

std::string worker() {
  std::string self = sys::executable_path().value();
  return sys::path_join(sys::parent_path(self), VITTE_OS_WINDOWS ? "cache_worker.exe" : "cache_worker");
}

struct shared_tree {
  sys::temp_directory dir = sys::temp_directory::create({}, "vitte-cache-").value();
  text cache = sys::path_join(dir.path(), "cache");
  shared_tree() {
    BOOST_REQUIRE(sys::create_directories(sys::path_join(dir.path(), "src").c_str()));
    BOOST_REQUIRE(sys::create_directories(sys::path_join(dir.path(), "out").c_str()));
    for (int n = 0; n < 50; ++n)
      for (const char* ext : {".c", ".h"})
        BOOST_REQUIRE(sys::write_file(sys::path_join(dir.path(), "src/" + std::to_string(n) + ext).c_str(),
                                      vitte::text_view("content " + std::to_string(n))));
  }
  // Every result and manifest verifies; returns (bytes, files).
  std::pair<std::int64_t, std::int64_t> audit() const {
    std::int64_t bytes = 0, files = 0;
    for (const char* kind : {"results", "manifests"}) {
      const bool result = kind[0] == 'r';
      BOOST_REQUIRE(sys::walk(sys::path_join(cache, kind).c_str(), [&](const sys::walk_entry& e) {
        if (e.type != sys::file_type::regular) return;
        auto b = sys::read_file(text(e.path).c_str()).value();
        const auto body =
            cache::detail::unseal(b.span(), result ? cache::detail::result_magic : cache::detail::manifest_magic);
        BOOST_TEST(!body.empty(), "damaged: " << std::string_view(e.path));
        bytes += static_cast<std::int64_t>(b.size());
        ++files;
      }));
    }
    return {bytes, files};
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(build_processes)

BOOST_AUTO_TEST_CASE(sixteen_processes_hammer_one_cache_at_a_tiny_limit) {
  shared_tree t;
  constexpr int workers = 16, ops = 10000 / workers;
  std::vector<sys::child> kids;
  for (int id = 0; id < workers; ++id) {
    auto c = sys::command(worker())
                 .args({"hammer", t.cache, t.dir.path(), std::to_string(id), std::to_string(ops), "16384"})
                 .out(sys::stdio::pipe())
                 .err(sys::stdio::pipe())
                 .spawn();
    BOOST_REQUIRE_MESSAGE(c, c.error().message().c_str());
    kids.push_back(std::move(*c));
  }
  std::uint64_t hits = 0, misses = 0;
  for (auto& k : kids) {
    auto out = k.collect(sys::deadline::after(std::chrono::minutes(5))).value();
    BOOST_TEST(out.status.success(), std::string_view(out.err));
    unsigned long long h = 0, m = 0;
    BOOST_REQUIRE(std::sscanf(out.out.c_str(), "%llu %llu", &h, &m) == 2);
    hits += h;
    misses += m;
  }
  BOOST_TEST(hits + misses == std::uint64_t{workers} * ops);
  BOOST_TEST(hits > 0u);
  auto cache = cache::output_cache::open(t.cache).value();
  auto s = cache.stats().value();
  BOOST_TEST(s.hits == hits);
  BOOST_TEST(s.misses == misses);
  BOOST_TEST(s.evictions > 0u);
  auto [bytes, files] = t.audit();
  BOOST_TEST(s.bytes == bytes);
  BOOST_TEST(s.files == files);
}

BOOST_AUTO_TEST_CASE(a_writer_killed_mid_store_leaves_no_damaged_entry) {
  shared_tree t;
  for (int round = 0; round < 3; ++round) {
    auto c = sys::command(worker()).args({"store-forever", t.cache, t.dir.path()}).out(sys::stdio::null()).spawn();
    BOOST_REQUIRE(c);
    (void)sys::sleep_for(std::chrono::milliseconds(150 + 120 * round));
    BOOST_REQUIRE(c->kill());
  }
  (void)t.audit();
  // The cache still works: what is there hits, the rest misses.
  auto cache = cache::output_cache::open(t.cache).value();
  cache::file_hasher files;
  const text in[] = {sys::path_join(t.dir.path(), "src/0.c")};
  const text out[] = {sys::path_join(t.dir.path(), "out/big.o")};
  auto r = cache.lookup({cache::hasher{}.add("big").add(std::uint64_t{0}).finish(), in, out}, files);
  BOOST_REQUIRE(r);
}

BOOST_AUTO_TEST_SUITE_END()
