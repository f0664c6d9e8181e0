// vitte/sys/policy/darwin.hpp - the Darwin platform policy (macOS, iOS; default there).
//
// Unverified: this project's CI has no Darwin runner, so this policy is
// written against Apple's clock_gettime(3) and sysctl(3) manual pages only.
//
// The POSIX policy plus Darwin's own clocks. Darwin's CLOCK_MONOTONIC keeps
// counting while the system sleeps, so it is boottime here; monotonic is
// CLOCK_UPTIME_RAW, which stops during sleep like Linux's CLOCK_MONOTONIC:
//
//   monotonic          CLOCK_UPTIME_RAW (mach_absolute_time in nanoseconds)
//   monotonic_coarse   CLOCK_UPTIME_RAW_APPROX (cached at context switch)
//   realtime(_coarse)  CLOCK_REALTIME (Darwin has no cheaper wall clock)
//   boottime           CLOCK_MONOTONIC
//
// Darwin lacks clock_nanosleep, so sleeps are relative nanosleep() calls
// repeated until the clock reads the target (detail::posix::sleep_until).
#ifndef VITTE_SYS_POLICY_DARWIN_HPP
#define VITTE_SYS_POLICY_DARWIN_HPP

#include <vitte/sys/policy/posix.hpp>

#if !VITTE_OS_DARWIN
#error "vitte: the Darwin policy needs a Darwin target"
#endif

namespace vitte::sys {

/// Darwin policy: a delta over posix_platform.
struct darwin_platform : posix_platform {
  static constexpr text_view name = "darwin";

  // clock: every clock_id (see the table above).
  static constexpr bool has_clock(clock_id) noexcept { return true; }
  static VITTE_DECL std::int64_t clock_now_ns(clock_id id) noexcept;
  static VITTE_DECL std::int64_t clock_resolution_ns(clock_id id) noexcept;
  /// Sleeps until clock `id` itself reads `t`; not_supported for CPU-time clocks.
  static VITTE_DECL error sleep_until_ns(clock_id id, std::int64_t t) noexcept;

  // system_info
  /// sysctl hw.activecpu: the processors currently available to run threads.
  static VITTE_DECL unsigned cpu_count() noexcept;

  // poller: kqueue (EVFILT_READ, EVFILT_WRITE; EV_CLEAR for edge triggering),
  // woken by a self-pipe. A descriptor ready both ways may be reported as
  // two events. Unverified (no CI runner): written from kqueue(2).
  static VITTE_DECL result<std::intptr_t> poller_open() noexcept;
  static VITTE_DECL void poller_close(std::intptr_t p) noexcept;
  static VITTE_DECL error poller_add(std::intptr_t p, native_handle h, io_events interest, trigger t,
                                     std::uint64_t data) noexcept;
  static VITTE_DECL error poller_modify(std::intptr_t p, native_handle h, io_events interest, trigger t,
                                        std::uint64_t data) noexcept;
  static VITTE_DECL error poller_remove(std::intptr_t p, native_handle h) noexcept;
  static VITTE_DECL result<std::size_t> poller_wait(std::intptr_t p, poll_event* out, std::size_t n,
                                                    std::int64_t deadline_ns) noexcept;
  static VITTE_DECL error poller_wake(std::intptr_t p) noexcept;
};

}  // namespace vitte::sys

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/darwin/platform.ipp>
#endif

#endif  // VITTE_SYS_POLICY_DARWIN_HPP
