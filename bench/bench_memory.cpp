// Memory benchmarks: vitte's regions against raw mmap, and arena allocation
// against malloc, in the same run. Prints JSON lines (docs/BENCHMARKS.md).
//
//   memory.region.64MiB         reserve + commit + touch every page + release;
//                               goal: ratio <= 1.05 against mmap + touch + munmap
//   memory.region.allocate.64MiB  the same with allocate() (one call)
//   memory.arena.small_objects  one allocation of 16-64 bytes, in blocks of
//                               1024 then freed all at once (arena: reset());
//                               goal: ratio <= 0.2 against malloc + free
#include <vitte/sys/arena.hpp>
#include <vitte/sys/memory.hpp>

#include <cstddef>
#include <cstdlib>
#include <memory_resource>
#include <vector>

#include <sys/mman.h>

#include "harness.hpp"

namespace sys = vitte::sys;

namespace {

constexpr std::size_t region_size = std::size_t{64} << 20;
constexpr std::size_t block = 1024;  // allocations between two releases
constexpr std::size_t sizes[8] = {16, 24, 32, 48, 64, 16, 32, 40};

// One write per page, as a program filling the memory would fault it in.
std::size_t touch(std::byte* p, std::size_t size) {
  const std::size_t page = sys::region::page_size();
  for (std::size_t off = 0; off < size; off += page) p[off] = std::byte{1};
  return size;
}

std::size_t vitte_reserve_commit() {
  auto r = sys::region::reserve(region_size).value();
  r.commit(0, region_size).value();
  return touch(r.data(), r.size());
}

std::size_t vitte_allocate() {
  auto r = sys::region::allocate(region_size).value();
  return touch(r.data(), r.size());
}

std::size_t raw_mmap() {
  void* p = ::mmap(nullptr, region_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) std::abort();
  std::size_t n = touch(static_cast<std::byte*>(p), region_size);
  ::munmap(p, region_size);
  return n;
}

// Runs `n` allocations in blocks of `block`, calling release() after each block.
template <class Allocate, class Release>
void in_blocks(std::uint64_t n, Allocate allocate, Release release) {
  for (std::uint64_t done = 0; done < n;) {
    std::size_t k = n - done < block ? static_cast<std::size_t>(n - done) : block;
    for (std::size_t i = 0; i < k; ++i) bench::do_not_optimize(allocate(i));
    release(k);
    done += k;
  }
}

}  // namespace

int main() {
  bench::suite("memory.region.64MiB").add("vitte", vitte_reserve_commit).add("mmap", raw_mmap).run();
  bench::suite("memory.region.allocate.64MiB").add("vitte", vitte_allocate).add("mmap", raw_mmap).run();

  alignas(64) static std::byte buffer[block * 64 + 4096];
  sys::arena arena{buffer};
  std::vector<void*> live(block);
  std::pmr::monotonic_buffer_resource monotonic{buffer, sizeof buffer, std::pmr::null_memory_resource()};
  bench::suite("memory.arena.small_objects")
      .add_batch("vitte",
                 [&](std::uint64_t n) {
                   in_blocks(
                       n, [&](std::size_t i) { return arena.try_allocate(sizes[i % 8], 8); },
                       [&](std::size_t) { arena.reset(); });
                 })
      .add_batch("malloc",
                 [&](std::uint64_t n) {
                   in_blocks(
                       n, [&](std::size_t i) { return live[i] = std::malloc(sizes[i % 8]); },
                       [&](std::size_t k) {
                         for (std::size_t i = 0; i < k; ++i) std::free(live[i]);
                       });
                 })
      .add_batch("std::pmr::monotonic_buffer_resource",
                 [&](std::uint64_t n) {
                   in_blocks(
                       n, [&](std::size_t i) { return monotonic.allocate(sizes[i % 8], 8); },
                       [&](std::size_t) { monotonic.release(); });
                 })
      .run();
  return 0;
}
