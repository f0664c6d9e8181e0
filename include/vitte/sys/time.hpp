// vitte/sys/time.hpp - clocks, deadlines and sleeping.
//
// Clocks are std::chrono clocks, so they work with <chrono> arithmetic:
//
//   #include <chrono>                                // for the literals
//   using namespace std::chrono_literals;
//   auto t0 = vitte::sys::monotonic_clock::now();
//   auto d  = vitte::sys::deadline::after(250ms);   // every vitte timeout
//   while (!d.expired()) { ... }
//   vitte::sys::sleep_for(10ms).value();             // EINTR is retried
//   auto spent = vitte::sys::monotonic_clock::now() - t0;
//
// Each clock is basic_clock<Policy, clock_id>; the aliases below use the
// default platform. A clock the platform lacks (boottime under the generic
// POSIX policy, any realtime clock on a board without one) fails to compile
// with a message naming it. Where the OS has no coarse clocks, the coarse
// clocks read the precise ones.
//
// To keep compile times down this header includes only the core of <chrono>
// (durations, time points, clocks) where the standard library allows;
// include <chrono> for std::chrono_literals and the calendar types.
#ifndef VITTE_SYS_TIME_HPP
#define VITTE_SYS_TIME_HPP

#include <vitte/base.hpp>
#include <vitte/base/detail/chrono.hpp>  // clocks are std::chrono clocks (the light part of <chrono>)
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/operations.hpp>
#include <vitte/sys/platform.hpp>

#include <compare>  // deadline ordering
#include <cstdint>

namespace vitte::sys {

/// A std::chrono clock reading clock `Id` of platform policy `P`.
/// Thread safety: all members are safe to call concurrently.
template <class P, clock_id Id>
struct basic_clock {
  VITTE_REQUIRE_CAPABILITY(P, clock);
  static_assert(P::has_clock(Id), "vitte: the platform policy does not have this clock (see P::has_clock)");

  using rep = std::int64_t;
  using period = std::nano;
  using duration = std::chrono::nanoseconds;
  using time_point = std::chrono::time_point<basic_clock>;
  using policy = P;
  static constexpr clock_id id = Id;
  static constexpr bool is_steady = Id != clock_id::realtime && Id != clock_id::realtime_coarse;

  /// The current time. Never fails.
  static time_point now() noexcept;
  /// The clock's resolution as the OS reports it.
  static duration resolution() noexcept;
  /// Nanoseconds since the clock's epoch, without the chrono wrapper.
  static std::int64_t now_ns() noexcept;
};

/// Wall-clock conversions (realtime clocks only): the epoch is the Unix
/// epoch on every platform, like std::chrono::system_clock since C++20.
template <class P, clock_id Id, class Dur>
  requires(Id == clock_id::realtime || Id == clock_id::realtime_coarse)
std::chrono::system_clock::time_point to_sys(std::chrono::time_point<basic_clock<P, Id>, Dur> t) noexcept;

/// A point on the monotonic clock by which something must finish, or never.
/// Every vitte call that can block takes one. Saturating: after(huge) is
/// never, after(negative) has already expired.
/// Thread safety: a value type; expired()/remaining() read the clock.
template <class P>
class basic_deadline {
 public:
  using clock = basic_clock<P, clock_id::monotonic>;

  /// The deadline that never expires.
  static constexpr basic_deadline never() noexcept { return basic_deadline{never_ns}; }
  /// `d` from now.
  template <class Rep, class Period>
  static basic_deadline after(std::chrono::duration<Rep, Period> d) noexcept;
  /// At monotonic time `t`.
  template <class Dur>
  static constexpr basic_deadline at(std::chrono::time_point<clock, Dur> t) noexcept;
  /// At `ns` nanoseconds of the monotonic clock (for policies).
  static constexpr basic_deadline at_ns(std::int64_t ns) noexcept { return basic_deadline{ns}; }

  /// True for never().
  constexpr bool is_never() const noexcept { return ns_ == never_ns; }
  /// True once the monotonic clock has reached the deadline.
  bool expired() const noexcept;
  /// Time left: zero once expired, nanoseconds::max() for never().
  std::chrono::nanoseconds remaining() const noexcept;
  /// Time left in whole milliseconds rounded up, for poll()-style calls:
  /// -1 for never(), 0 when expired, at most INT32_MAX.
  std::int32_t timeout_ms() const noexcept;
  /// The deadline on the monotonic clock (time_point::max() for never()).
  constexpr typename clock::time_point time_point() const noexcept {
    return typename clock::time_point{std::chrono::nanoseconds{ns_}};
  }
  /// The deadline in nanoseconds of the monotonic clock.
  constexpr std::int64_t ns() const noexcept { return ns_; }

  /// The sooner of two deadlines.
  static constexpr basic_deadline earliest(basic_deadline a, basic_deadline b) noexcept {
    return a.ns_ <= b.ns_ ? a : b;
  }
  friend constexpr auto operator<=>(const basic_deadline&, const basic_deadline&) = default;

 private:
  static constexpr std::int64_t never_ns = INT64_MAX;
  constexpr explicit basic_deadline(std::int64_t ns) noexcept : ns_(ns) {}
  std::int64_t ns_;
};

/// Blocks until clock `Id` reaches `t`. Interruptions by signals are
/// retried; errors: only what the OS reports besides EINTR.
template <class P, clock_id Id, class Dur>
status sleep_until(std::chrono::time_point<basic_clock<P, Id>, Dur> t) noexcept;

/// Blocks until the deadline; never() is invalid (errc::invalid_argument).
template <class P>
status sleep_until(basic_deadline<P> d) noexcept;

/// Blocks for at least `d` on the monotonic clock. The wake-up time is fixed
/// before the first call, so interruptions do not make the sleep drift.
template <class P = platform, class Rep, class Period>
status sleep_for(std::chrono::duration<Rep, Period> d) noexcept;

// Clocks and deadline of the default platform.
using monotonic_clock = basic_clock<platform, clock_id::monotonic>;
using realtime_clock = basic_clock<platform, clock_id::realtime>;
using coarse_monotonic_clock = basic_clock<platform, clock_id::monotonic_coarse>;
using coarse_realtime_clock = basic_clock<platform, clock_id::realtime_coarse>;
using deadline = basic_deadline<platform>;

}  // namespace vitte::sys

#include <vitte/sys/impl/time.hpp>

#endif  // VITTE_SYS_TIME_HPP
