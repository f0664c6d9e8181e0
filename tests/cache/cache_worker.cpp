// A process that shares a build cache with others, for test_build_processes.
//
//   cache_worker hammer CACHE SRC ID OPS MAX_BYTES
//     OPS lookups of 50 steps (a store after each miss) on the cache at
//     CACHE; sources in SRC/src (shared, read only), outputs in SRC/out (shared by all workers).
//     Every hit's output must hold exactly what that step produces; prints
//     "HITS MISSES" and exits 0, or exits 1 at the first torn read.
//   cache_worker store-forever CACHE SRC
//     Stores a 16 MiB output under ever new keys until killed.
//   cache_worker remote-store CACHE SRC REMOTE N
//     Stores steps 0..N-1 with the remote cache REMOTE under CACHE, waits
//     for the uploads, prints "UPLOADS DROPPED"; exits 0 when none dropped.
#include <vitte/cache/cache.hpp>
#include <vitte/cache/remote.hpp>
#include <vitte/sys/fs.hpp>
#include <vitte/sys/whole_file.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace cache = vitte::cache;
namespace sys = vitte::sys;
using vitte::text;

namespace {

// What step `n` writes: its own bytes, 200 to 2,000 of them.
std::string product(int n) {
  std::string s = "step " + std::to_string(n) + ":";
  while (s.size() < static_cast<std::size_t>(200 + 37 * n)) s += static_cast<char>('a' + (s.size() * 7 + n) % 26);
  return s;
}

int hammer(const char* root, const char* src, int id, int ops, std::uint64_t max_bytes) {
  cache::cache_options o;
  o.max_bytes = max_bytes;
  auto cache = cache::output_cache::open(text(root), o);
  if (!cache) {
    std::fprintf(stderr, "worker %d: open: %s\n", id, cache.error().message().c_str());
    return 2;
  }
  cache::file_hasher files;
  const auto cmd = cache::hasher{}.add("worker-cc").finish();
  std::uint64_t hits = 0, misses = 0, state = 0x9e3779b97f4a7c15ull * static_cast<std::uint64_t>(id + 1);
  for (int i = 0; i < ops; ++i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    const int n = static_cast<int>((state >> 33) % 50);
    const text in[] = {sys::path_join(src, "src/" + std::to_string(n) + ".c")};
    const text dep[] = {sys::path_join(src, "src/" + std::to_string(n) + ".h")};
    const text out[] = {sys::path_join(src, "out/" + std::to_string(n) + ".o")};
    const cache::cache_step step{cmd, in, out};
    auto found = cache->lookup(step, files);
    if (!found) {
      std::fprintf(stderr, "worker %d: lookup: %s\n", id, found.error().message().c_str());
      return 2;
    }
    const std::string want = product(n);
    if (found->hit) {
      ++hits;
      auto got = sys::read_file_string(out[0].c_str());
      if (!got) {
        std::fprintf(stderr, "worker %d: reading an output: %s\n", id, got.error().message().c_str());
        return 2;
      }
      if (std::string(got->data(), got->size()) != want) {
        std::fprintf(stderr, "worker %d: torn read of step %d\n", id, n);
        return 1;
      }
      continue;
    }
    ++misses;
    // Every worker writes step n's output at the same path, atomically (as
    // restores do), with the same bytes: a read that differs is torn.
    sys::replace_options quick;
    quick.sync = false;
    auto replace = [&] { return sys::atomic_replace(out[0].c_str(), vitte::text_view(want), quick); };
    if (auto ok = cache::detail::retry_sharing<sys::platform>(replace); !ok) {
      std::fprintf(stderr, "worker %d: writing an output: %s\n", id, ok.error().message().c_str());
      return 2;
    }
    if (auto ok = cache->store(step, dep, files); !ok) {
      std::fprintf(stderr, "worker %d: store: %s\n", id, ok.error().message().c_str());
      return 2;
    }
  }
  std::printf("%llu %llu\n", static_cast<unsigned long long>(hits), static_cast<unsigned long long>(misses));
  return 0;
}

int store_forever(const char* root, const char* src) {
  cache::cache_options o;
  o.sync = true;
  auto cache = cache::output_cache::open(text(root), o);
  if (!cache) return 2;
  cache::file_hasher files;
  const text in[] = {sys::path_join(src, "src/0.c")};
  const text out[] = {sys::path_join(src, "out/big.o")};
  std::string big(16 << 20, 'b');
  if (!sys::write_file(out[0].c_str(), vitte::text_view(big))) return 2;
  for (std::uint64_t k = 0;; ++k) {
    const auto cmd = cache::hasher{}.add("big").add(k).finish();
    if (!cache->store({cmd, in, out}, {}, files)) return 2;
    std::puts("stored");
    std::fflush(stdout);
  }
}

// Stores steps 0..n-1 (outputs product(k), dependency SRC/src/k.h) in the
// cache at `root`, under the remote cache `remote`, and waits for the uploads.
int remote_store(const char* root, const char* src, const char* remote, int n) {
  auto cache = cache::output_cache::open(text(root));
  if (!cache) return 2;
  auto options = cache::remote_options::parse(remote);
  if (!options || !cache->attach_remote(std::move(*options))) return 2;
  cache::file_hasher files;
  const auto cmd = cache::hasher{}.add("worker-cc").finish();
  for (int k = 0; k < n; ++k) {
    const text in[] = {sys::path_join(src, "src/" + std::to_string(k) + ".c")};
    const text dep[] = {sys::path_join(src, "src/" + std::to_string(k) + ".h")};
    const text out[] = {sys::path_join(src, "out/" + std::to_string(k) + ".o")};
    if (!sys::write_file(out[0].c_str(), vitte::text_view(product(k)))) return 2;
    if (auto ok = cache->store({cmd, in, out}, dep, files); !ok) return 2;
  }
  if (!cache->flush_remote(sys::deadline::after(std::chrono::seconds(60)))) return 3;
  const auto st = cache->remote_statistics();
  std::printf("%llu %llu\n", static_cast<unsigned long long>(st.uploads), static_cast<unsigned long long>(st.dropped));
  return st.dropped == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 7 && std::strcmp(argv[1], "hammer") == 0)
    return hammer(argv[2], argv[3], std::atoi(argv[4]), std::atoi(argv[5]), std::strtoull(argv[6], nullptr, 10));
  if (argc == 4 && std::strcmp(argv[1], "store-forever") == 0) return store_forever(argv[2], argv[3]);
  if (argc == 6 && std::strcmp(argv[1], "remote-store") == 0)
    return remote_store(argv[2], argv[3], argv[4], std::atoi(argv[5]));
  std::fprintf(stderr,
               "usage: cache_worker hammer CACHE SRC ID OPS MAX_BYTES | store-forever CACHE SRC | remote-store CACHE "
               "SRC REMOTE N\n");
  return 2;
}
