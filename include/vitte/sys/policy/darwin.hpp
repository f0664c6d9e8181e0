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
  static constexpr std::string_view name = "darwin";

  // clock: every clock_id (see the table above).
  static constexpr bool has_clock(clock_id) noexcept { return true; }
  static VITTE_DECL std::int64_t clock_now_ns(clock_id id) noexcept;
  static VITTE_DECL std::int64_t clock_resolution_ns(clock_id id) noexcept;
  /// Sleeps until clock `id` itself reads `t`; not_supported for CPU-time clocks.
  static VITTE_DECL error sleep_until_ns(clock_id id, std::int64_t t) noexcept;

  // system_info
  /// sysctl hw.activecpu: the processors currently available to run threads.
  static VITTE_DECL unsigned cpu_count() noexcept;
};

}  // namespace vitte::sys

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/darwin/platform.ipp>
#endif

#endif  // VITTE_SYS_POLICY_DARWIN_HPP
