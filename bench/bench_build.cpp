// the build kit against the tools a driver would otherwise shell out to:
//   build.cache_hit    look up one compile of a C file that includes
//                      <stdio.h> and restore its object (every header's
//                      content checked, a fresh hasher each time, as a
//                      new driver process has) vs a ccache direct-mode hit
//                      of the same compile (Debian's ccache; goal <= 0.2x)
//   build.noop_10000   decide that 10,000 steps (each a source, two of 100
//                      shared headers and an output) are up to date: open
//                      index.vitte and check every step, vs `ninja` on the
//                      equivalent build.ninja (goal <= 1.0x)
// A baseline whose program is not installed is left out.
#include <vitte/cache.hpp>
#include <vitte/sys/environment.hpp>
#include <vitte/sys/fs.hpp>
#include <vitte/sys/process.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/whole_file.hpp>
#include <vitte/toolchain.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include "harness.hpp"

namespace cache = vitte::cache;
namespace toolchain = vitte::toolchain;
namespace sys = vitte::sys;
using vitte::text;

namespace {

void must(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "bench_build: %s failed\n", what);
    std::exit(1);
  }
}

void cache_hit(const sys::temp_directory& dir) {
  const text src = sys::path_join(dir.path(), "hello.c");
  const text obj = sys::path_join(dir.path(), "hello.o");
  const text dep = sys::path_join(dir.path(), "hello.d");
  must(sys::write_file(src.c_str(), "#include <stdio.h>\nint main(void) { puts(\"hello\"); return 0; }\n").has_value(),
       "writing hello.c");
  auto cc = toolchain::find_tool("cc");
  must(cc.has_value(), "finding cc");
  const std::vector<std::string> args = {
      "-c", "-O2", "-MD", "-MF", std::string(dep), "-o", std::string(obj), std::string(src)};
  auto r = sys::command(cc->path).args(args).run();
  must(r && r->success(), "compiling hello.c");
  auto d = cache::read_depfile(dep).value();
  vitte::buffer<text> deps;
  for (const text& p : d.dependencies)
    if (p != src) deps.push_back(p);
  auto cache = cache::output_cache::open(sys::path_join(dir.path(), "vitte-cache")).value();
  const auto key = toolchain::command_key(*cc).args(args).cwd(dir.path()).finish();
  const text ins[] = {src};
  const text outs[] = {obj};
  const cache::cache_step step{key, ins, outs};
  {
    cache::file_hasher files;
    must(cache.store(step, deps, files).has_value(), "storing");
  }
  bench::suite s("build.cache_hit");
  s.batch_size(20);
  s.add("vitte", [&] {
    cache::file_hasher files;  // a new driver process knows nothing yet
    auto found = cache.lookup(step, files);
    must(found && found->hit, "a vitte hit");
    return found->dependencies.size();
  });
  auto ccache = sys::find_program("ccache");
  const text ccache_dir = sys::path_join(dir.path(), "ccache");
  if (ccache) {
    auto run_ccache = [&] {
      auto st = sys::command(*ccache)
                    .arg(cc->path)
                    .args({"-c", "-O2", "-o", std::string(obj), std::string(src)})
                    .cwd(dir.path())
                    .env("CCACHE_DIR", ccache_dir)
                    .env("CCACHE_DIRECT", "1")
                    .env("CCACHE_NOHASHDIR", "1")
                    .out(sys::stdio::null())
                    .run();
      must(st && st->success(), "ccache");
      return 0;
    };
    run_ccache();  // miss: fills the cache
    run_ccache();
    s.add("ccache", run_ccache);
  }
  s.run();
}

// PREFIX, the number, SUFFIX. Appended: GCC 12 at -O3 warns of
// "h" + std::to_string(i) (-Wrestrict inside operator+, a false positive).
std::string numbered(const char* prefix, int i, const char* suffix = "") {
  std::string s(prefix);
  s += std::to_string(i);
  s += suffix;
  return s;
}

void noop(const sys::temp_directory& dir) {
  constexpr int steps = 10000, headers = 100;
  const text root = sys::path_join(dir.path(), "noop");
  must(sys::create_directories(root.c_str()).has_value(), "mkdir");
  auto path = [&](const std::string& n) { return sys::path_join(root, n); };
  for (int h = 0; h < headers; ++h)
    must(sys::write_file(path(numbered("h", h, ".h")).c_str(), vitte::text_view(numbered("header ", h))).has_value(),
         "header");
  std::string ninja_file = "rule touch\n  command = touch $out\n";
  for (int i = 0; i < steps; ++i) {
    must(sys::write_file(path(numbered("s", i, ".c")).c_str(), vitte::text_view(numbered("source ", i))).has_value(),
         "source");
    ninja_file += numbered("build o", i) + numbered(": touch s", i, ".c | ") + numbered("h", i % headers, ".h ") +
                  numbered("h", (i + 1) % headers, ".h\n");
  }
  must(sys::write_file(path("build.ninja").c_str(), vitte::text_view(ninja_file)).has_value(), "build.ninja");
  auto ninja = sys::find_program("ninja");
  if (ninja) {
    auto st = sys::command(*ninja).args({"-j", "8"}).cwd(root).out(sys::stdio::null()).run();  // builds o*
    must(st && st->success(), "the first ninja build");
  } else {
    for (int i = 0; i < steps; ++i) must(sys::write_file(path(numbered("o", i)).c_str(), "").has_value(), "output");
  }
  const auto cmd = cache::hasher{}.add("touch").finish();
  {
    auto idx = cache::index::open(path("index.vitte")).value();
    cache::file_hasher files;
    for (int i = 0; i < steps; ++i) {
      const text ins[] = {path(numbered("s", i, ".c")), path(numbered("h", i % headers, ".h")),
                          path(numbered("h", (i + 1) % headers, ".h"))};
      const text outs[] = {path(numbered("o", i))};
      must(idx.record(outs[0], cmd, ins, outs, files).has_value(), "record");
    }
    must(idx.save().has_value(), "save");
  }
  (void)sys::sleep_for(std::chrono::milliseconds(2100));  // let every stamp settle, as between two builds
  bench::suite s("build.noop_10000");
  s.batch_size(1);
  s.add("vitte", [&] {
    auto idx = cache::index::open(path("index.vitte")).value();
    cache::file_hasher files;
    int fresh = 0;
    for (int i = 0; i < steps; ++i) fresh += idx.check(path(numbered("o", i)), cmd, files).up_to_date();
    must(fresh == steps, "every step up to date");
    return fresh;
  });
  if (ninja)
    s.add("ninja", [&] {
      auto out = sys::command(*ninja).cwd(root).output().value();
      must(out.status.success() && std::string_view(out.out).find("no work to do") != std::string_view::npos,
           "a ninja no-op");
      return 0;
    });
  s.run();
}

}  // namespace

int main() {
  const sys::temp_directory dir = sys::temp_directory::create({}, "vitte-bench-build-").value();
  cache_hit(dir);
  noop(dir);
}
