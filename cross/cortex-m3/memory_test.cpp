// cross/cortex-m3/memory_test.cpp - vitte's memory facility without an OS
// (QEMU mps2-an385).
//
// Arenas over a buffer, regions and virtual arenas in the board's RAM
// (board::memory(), startup.cpp) and aligned blocks from newlib's malloc:
// what the freestanding policy offers, and the errors for what it cannot do
// (protection without an MPU). Not the std::pmr adapter: libstdc++'s
// memory_resource.o pulls in exceptions, strings and random_device, which
// needs getentropy, and this board has none.
//
//   cross/cortex-m3/build.sh -o memory.elf cross/cortex-m3/memory_test.cpp
//   cross/cortex-m3/run.sh memory.elf
#include <vitte/sys/aligned_alloc.hpp>
#include <vitte/sys/arena.hpp>
#include <vitte/sys/memory.hpp>
#include <vitte/sys/virtual_arena.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "harness.hpp"

namespace sys = vitte::sys;
using vitte::errc;
using vitte::operation;

namespace {

bool all_zero(const std::byte* p, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    if (p[i] != std::byte{0}) return false;
  return true;
}

std::uintptr_t address(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

}  // namespace

// ---------------------------------------------------------------------------
// The board's capabilities.

VITTE_TEST_CASE(board_has_memory_but_no_protection) {
  static_assert(sys::memory_capability<sys::platform>);
  static_assert(!sys::memory_protection_capability<sys::platform>);
  static_assert(!sys::shared_memory_capability<sys::platform>);
  static_assert(sys::aligned_allocation_capability<sys::platform>);
  VITTE_CHECK_EQUAL(sys::region::page_size(), 1024u);
  VITTE_CHECK(sys::huge_page_sizes().empty());
}

// ---------------------------------------------------------------------------
// Arenas over a buffer: no OS at all.

VITTE_TEST_CASE(arena_aligns_and_runs_out) {
  alignas(64) static std::byte buffer[512];
  sys::arena a{buffer};
  void* p1 = a.allocate(3, 1).value();
  VITTE_CHECK(p1 == static_cast<void*>(buffer));
  void* p2 = a.allocate(8, 8).value();
  VITTE_CHECK_EQUAL(address(p2) % 8, 0u);
  void* p3 = a.allocate(16, 64).value();
  VITTE_CHECK(p3 == static_cast<void*>(buffer + 64));
  VITTE_CHECK(a.owns(p3));
  auto full = a.allocate(1000);
  VITTE_CHECK(full.error() == errc::no_memory);
  VITTE_CHECK_EQUAL(full.error().op(), vitte::sys::ops::allocate);
  VITTE_CHECK(a.try_allocate(1000) == nullptr);
  VITTE_CHECK(a.allocate(a.remaining(), 1).has_value());
  VITTE_CHECK_EQUAL(a.remaining(), 0u);
}

VITTE_TEST_CASE(arena_marks_resets_and_refuses_bad_input) {
  alignas(8) static std::byte buffer[128];
  sys::arena a{buffer};
  struct pair {
    std::int32_t a, b;
  };
  pair* p = a.create<pair>(pair{1, 2}).value();
  VITTE_CHECK_EQUAL(p->b, 2);
  std::size_t m = a.mark();
  VITTE_CHECK(a.allocate(40).has_value());
  a.rewind(m);
  VITTE_CHECK_EQUAL(a.used(), m);
  a.reset();
  VITTE_CHECK_EQUAL(a.used(), 0u);
  VITTE_CHECK(a.allocate(0).error() == errc::invalid_argument);
  VITTE_CHECK(a.allocate(4, 6).error() == errc::invalid_argument);
  VITTE_CHECK(a.allocate(~std::size_t{0}, 1).error() == errc::no_memory);
}

// ---------------------------------------------------------------------------
// Regions in the board's RAM.

VITTE_TEST_CASE(regions_carve_the_board_memory) {
  auto r = sys::region::reserve(3000).value();
  VITTE_CHECK_EQUAL(r.size(), 3072u);
  VITTE_CHECK(r.data() == sys::board::memory().data());
  VITTE_CHECK(r.commit(0, 2048).has_value());
  std::memset(r.data(), 0x5A, 2048);
  VITTE_CHECK(r.decommit(0, 1024).has_value());
  VITTE_CHECK(all_zero(r.data(), 1024));  // decommitted pages read as zeros
  VITTE_CHECK(r.data()[1024] == std::byte{0x5A});
  // Without an MPU: no read-only or executable pages, but clear errors.
  VITTE_CHECK(r.commit(0, 1024, sys::protection::read).error() == errc::not_supported);
  VITTE_CHECK(sys::region::allocate(1024, sys::protection::read_execute).error() == errc::not_supported);
  VITTE_CHECK(r.lock(0, 1024).has_value());
  VITTE_CHECK(r.advise(0, 1024, sys::advice::dont_need).has_value());

  auto s = sys::region::allocate(4096).value();
  VITTE_CHECK(s.data() == r.data() + 3072);
  std::memset(s.data(), 1, 4096);
  VITTE_CHECK(r.release().has_value());
  auto t = sys::region::allocate(1024).value();  // first fit: r's old place, zeroed
  VITTE_CHECK(t.data() == sys::board::memory().data());
  VITTE_CHECK(all_zero(t.data(), t.size()));
  VITTE_CHECK(sys::region::reserve(64 * 1024).error() == errc::no_memory);
}

VITTE_TEST_CASE(region_bad_input) {
  VITTE_CHECK(sys::region::reserve(0).error() == errc::invalid_argument);
  VITTE_CHECK(sys::region::reserve(~std::size_t{0}).error() == errc::invalid_argument);
  auto r = sys::region::reserve(2048).value();
  VITTE_CHECK(r.commit(512, 1024).error() == errc::invalid_argument);
  VITTE_CHECK(r.commit(1024, 2048).error() == errc::invalid_argument);
  VITTE_CHECK(r.commit(1024, ~std::size_t{0} - 1023).error() == errc::invalid_argument);
  VITTE_CHECK_EQUAL(r.decommit(0, 0).error().op(), vitte::sys::ops::memory_decommit);
  sys::region empty;
  VITTE_CHECK(empty.commit(0, 1024).error() == errc::bad_descriptor);
}

VITTE_TEST_CASE(virtual_arena_grows_in_the_board_memory) {
  auto a = sys::virtual_arena::reserve(16 * 1024, 2048).value();
  VITTE_CHECK_EQUAL(a.committed(), 0u);
  auto* first = static_cast<std::byte*>(a.allocate(100).value());
  VITTE_CHECK_EQUAL(a.committed(), 2048u);
  first[99] = std::byte{7};
  VITTE_CHECK(a.allocate(5000, 1024).has_value());
  VITTE_CHECK_EQUAL(a.committed(), 6144u);
  VITTE_CHECK(first[99] == std::byte{7});
  VITTE_CHECK(a.allocate(20 * 1024).error() == errc::no_memory);
  a.reset();
  VITTE_CHECK(a.trim().has_value());
  VITTE_CHECK_EQUAL(a.committed(), 0u);
  VITTE_CHECK(all_zero(first, 100));
}

// ---------------------------------------------------------------------------
// Aligned blocks: over-allocation from newlib's malloc.

VITTE_TEST_CASE(aligned_allocation_from_malloc) {
  for (std::size_t alignment = 1; alignment <= 1024; alignment *= 4) {
    void* p = sys::aligned_allocate(40, alignment).value();
    VITTE_CHECK_EQUAL(address(p) % alignment, 0u);
    std::memset(p, 0xEE, 40);
    sys::aligned_free(p);
  }
  VITTE_CHECK(sys::aligned_allocate(16, 3).error() == errc::invalid_argument);
  VITTE_CHECK(sys::aligned_allocate(~std::size_t{0} - 8, 16).error() == errc::no_memory);
}
