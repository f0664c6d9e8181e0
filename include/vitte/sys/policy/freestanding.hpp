// vitte/sys/policy/freestanding.hpp - the policy for targets without an OS.
//
// freestanding_platform<Board> builds its capabilities from what the user's
// Board type supplies; what the board lacks, the policy lacks, and using it
// fails to compile with a message naming the capability.
//
//   struct my_board {
//     // Required for clocks and sleep: a free-running 64-bit counter.
//     static std::uint64_t ticks() noexcept;
//     static constexpr std::uint64_t ticks_per_second = 25'000'000;
//     // Optional: called while sleeping (e.g. __WFI()); default spins.
//     static void idle() noexcept;
//     // Optional: wall clock, nanoseconds since the Unix epoch at tick 0.
//     static std::int64_t realtime_offset_ns() noexcept;
//   };
//   using platform = vitte::sys::freestanding_platform<my_board>;
//
// Errors carry no native code (there is no OS): error_domain::none.
#ifndef VITTE_SYS_POLICY_FREESTANDING_HPP
#define VITTE_SYS_POLICY_FREESTANDING_HPP

#include <vitte/base.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/sys/board_memory.hpp>  // memory: what the board supplies
#include <vitte/sys/clock_id.hpp>
#include <vitte/sys/operations.hpp>

#include <cstdint>

namespace vitte::sys {

/// A board with a tick source: `ticks()` and `ticks_per_second`.
template <class B>
concept board_tick_source = requires {
  { B::ticks() } noexcept -> std::same_as<std::uint64_t>;
  { B::ticks_per_second } -> std::convertible_to<std::uint64_t>;
} && (B::ticks_per_second > 0);

/// A board with a wall clock offset.
template <class B>
concept board_realtime = requires {
  { B::realtime_offset_ns() } noexcept -> std::same_as<std::int64_t>;
};

/// A board with an idle hook for sleeping.
template <class B>
concept board_idle = requires {
  { B::idle() } noexcept;
};

/// Freestanding policy over a user-supplied Board (see the header).
template <class Board>
struct freestanding_platform {
  static constexpr text_view name = "freestanding";

  // error: no OS, so no native codes.
  static constexpr error make_error(errc kind, operation op) noexcept { return error{kind, op}; }

  // clock: monotonic (and its coarse alias) from the tick source; realtime
  // when the board has an offset.
  static constexpr bool has_clock(clock_id id) noexcept
    requires board_tick_source<Board>
  {
    switch (id) {
      case clock_id::monotonic:
      case clock_id::monotonic_coarse:
      case clock_id::boottime:
        return true;
      case clock_id::realtime:
      case clock_id::realtime_coarse:
        return board_realtime<Board>;
      case clock_id::process_cpu:
      case clock_id::thread_cpu:
        return false;
    }
    return false;
  }

  static std::int64_t clock_now_ns(clock_id id) noexcept
    requires board_tick_source<Board>
  {
    std::int64_t ns = ticks_to_ns(Board::ticks());
    if constexpr (board_realtime<Board>) {
      if (id == clock_id::realtime || id == clock_id::realtime_coarse) return ns + Board::realtime_offset_ns();
    }
    return ns;
  }

  static constexpr std::int64_t clock_resolution_ns(clock_id) noexcept
    requires board_tick_source<Board>
  {
    constexpr std::uint64_t hz = Board::ticks_per_second;
    return static_cast<std::int64_t>((1'000'000'000 + hz - 1) / hz);
  }

  // sleep: waits on the tick source, calling Board::idle() when it exists.
  static error sleep_until_ns(clock_id id, std::int64_t t) noexcept
    requires board_tick_source<Board>
  {
    if (!has_clock(id)) return error{errc::not_supported, ops::sleep};
    while (clock_now_ns(id) < t) {
      if constexpr (board_idle<Board>) Board::idle();
    }
    return {};
  }

  /// Tick count to nanoseconds, exact and without overflowing for any
  /// tick rate (the intermediate product stays below 2^64 for hz < 2^34).
  static constexpr std::int64_t ticks_to_ns(std::uint64_t ticks) noexcept
    requires board_tick_source<Board>
  {
    constexpr std::uint64_t hz = Board::ticks_per_second;
    std::uint64_t whole = ticks / hz;
    std::uint64_t part = ticks % hz;
    return static_cast<std::int64_t>(whole * 1'000'000'000u + part * 1'000'000'000u / hz);
  }

  // memory: the board's RAM in pages (vitte/sys/board_memory.hpp). No MMU:
  // reserving zeroes the pages and applies the protection the board can,
  // committing only applies protection, decommitting zeroes (so pages read as
  // zeros when committed again); locks and advice change nothing.
  static constexpr std::size_t page_size() noexcept
    requires board_memory<Board>
  {
    return board_page_size<Board>();
  }
  static constexpr std::size_t allocation_granularity() noexcept
    requires board_memory<Board>
  {
    return page_size();
  }
  static constexpr std::size_t huge_page_sizes(std::size_t*, std::size_t) noexcept
    requires board_memory<Board>
  {
    return 0;
  }

  static result<void*> memory_reserve(std::size_t size, protection prot, commit_options) noexcept
    requires board_memory<Board>
  {
    std::byte* p = detail::board_pages<Board>.take(Board::memory(), page_size(), size);
    if (p == nullptr) return error{errc::no_memory, ops::memory_reserve};
    for (std::size_t i = 0; i < size; ++i) p[i] = std::byte{0};
    if (error e = detail::board_protect<Board>(p, size, prot, ops::memory_reserve)) {
      detail::board_pages<Board>.give_back(Board::memory(), page_size(), p, size);
      return e;
    }
    return static_cast<void*>(p);
  }

  static error memory_commit(void* p, std::size_t size, protection prot, commit_options) noexcept
    requires board_memory<Board>
  {
    return detail::board_protect<Board>(p, size, prot, ops::memory_commit);
  }

  static error memory_decommit(void* p, std::size_t size) noexcept
    requires board_memory<Board>
  {
    for (std::size_t i = 0; i < size; ++i) static_cast<std::byte*>(p)[i] = std::byte{0};
    return detail::board_protect<Board>(p, size, protection::none, ops::memory_decommit);
  }

  static error memory_release(void* p, std::size_t size) noexcept
    requires board_memory<Board>
  {
    if (detail::board_pages<Board>.give_back(Board::memory(), page_size(), static_cast<std::byte*>(p), size))
      return detail::board_protect<Board>(p, size, protection::read_write, ops::memory_release);
    return error{errc::invalid_argument, ops::memory_release};
  }

  static error memory_advise(void*, std::size_t, advice) noexcept
    requires board_memory<Board>
  {
    return {};
  }
  static error memory_lock(void*, std::size_t) noexcept
    requires board_memory<Board>
  {
    return {};
  }
  static error memory_unlock(void*, std::size_t) noexcept
    requires board_memory<Board>
  {
    return {};
  }

  // memory protection: only with the board's MPU hook.
  static error memory_protect(void* p, std::size_t size, protection prot) noexcept
    requires board_memory_protection<Board>
  {
    return detail::board_protect<Board>(p, size, prot, ops::memory_protect);
  }

  static error flush_instruction_cache(const void* p, std::size_t size) noexcept
    requires board_memory_protection<Board>
  {
    if constexpr (board_instruction_cache<Board>) Board::flush_instruction_cache(p, size);
    return {};
  }

  // aligned allocation: over-allocation from the C library's malloc.
  static result<void*> aligned_allocate(std::size_t size, std::size_t alignment) noexcept {
    void* p = detail::over_aligned_allocate(size, alignment);
    if (p == nullptr) return error{errc::no_memory, ops::allocate};
    return p;
  }
  static void aligned_free(void* p) noexcept { detail::over_aligned_free(p); }
};

}  // namespace vitte::sys

#endif  // VITTE_SYS_POLICY_FREESTANDING_HPP
