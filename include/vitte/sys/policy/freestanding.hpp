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
#include <vitte/sys/clock_id.hpp>

#include <cstdint>
#include <string_view>

namespace vitte::sys {

/// A board with a tick source: `ticks()` and `ticks_per_second`.
template <class B>
concept board_tick_source = requires {
  { B::ticks() }
  noexcept->std::same_as<std::uint64_t>;
  { B::ticks_per_second } -> std::convertible_to<std::uint64_t>;
}
&&(B::ticks_per_second > 0);

/// A board with a wall clock offset.
template <class B>
concept board_realtime = requires {
  { B::realtime_offset_ns() }
  noexcept->std::same_as<std::int64_t>;
};

/// A board with an idle hook for sleeping.
template <class B>
concept board_idle = requires {
  { B::idle() }
  noexcept;
};

/// Freestanding policy over a user-supplied Board (see the header).
template <class Board>
struct freestanding_platform {
  static constexpr std::string_view name = "freestanding";

  // error: no OS, so no native codes.
  static constexpr error make_error(errc kind, operation op) noexcept { return error{kind, op}; }

  // clock: monotonic (and its coarse alias) from the tick source; realtime
  // when the board has an offset.
  static constexpr bool has_clock(clock_id id) noexcept requires board_tick_source<Board> {
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

  static std::int64_t clock_now_ns(clock_id id) noexcept requires board_tick_source<Board> {
    std::int64_t ns = ticks_to_ns(Board::ticks());
    if constexpr (board_realtime<Board>) {
      if (id == clock_id::realtime || id == clock_id::realtime_coarse) return ns + Board::realtime_offset_ns();
    }
    return ns;
  }

  static constexpr std::int64_t clock_resolution_ns(clock_id) noexcept requires board_tick_source<Board> {
    constexpr std::uint64_t hz = Board::ticks_per_second;
    return static_cast<std::int64_t>((1'000'000'000 + hz - 1) / hz);
  }

  // sleep: waits on the tick source, calling Board::idle() when it exists.
  static error sleep_until_ns(clock_id id, std::int64_t t) noexcept requires board_tick_source<Board> {
    if (!has_clock(id)) return error{errc::not_supported, operation::sleep};
    while (clock_now_ns(id) < t) {
      if constexpr (board_idle<Board>) Board::idle();
    }
    return {};
  }

  /// Tick count to nanoseconds, exact and without overflowing for any
  /// tick rate (the intermediate product stays below 2^64 for hz < 2^34).
  static constexpr std::int64_t ticks_to_ns(std::uint64_t ticks) noexcept requires board_tick_source<Board> {
    constexpr std::uint64_t hz = Board::ticks_per_second;
    std::uint64_t whole = ticks / hz;
    std::uint64_t part = ticks % hz;
    return static_cast<std::int64_t>(whole * 1'000'000'000u + part * 1'000'000'000u / hz);
  }

  // == memory (vitte/sys/memory.hpp) ==
  // == end memory ==

  // == thread (vitte/sys/thread.hpp) ==
  // == end thread ==
};

}  // namespace vitte::sys

#endif  // VITTE_SYS_POLICY_FREESTANDING_HPP
