// vitte/sys/policy/bsd.hpp - the BSD platform policy (FreeBSD, DragonFly,
// NetBSD, OpenBSD; default there).
//
// Unverified: this project's CI has no BSD runner, so this policy is written
// against FreeBSD's clock_gettime(2) manual page only.
//
// The POSIX policy plus the coarse clocks of FreeBSD and DragonFly
// (CLOCK_MONOTONIC_FAST, CLOCK_REALTIME_FAST: the last tick's reading, no
// time-counter query), selected by VITTE_HAS_COARSE_CLOCKS. No boottime:
// FreeBSD has no clock that counts suspended time (its CLOCK_UPTIME and
// CLOCK_BOOTTIME are CLOCK_MONOTONIC under other names).
#ifndef VITTE_SYS_POLICY_BSD_HPP
#define VITTE_SYS_POLICY_BSD_HPP

#include <vitte/sys/policy/posix.hpp>

#if !VITTE_OS_BSD
#error "vitte: the BSD policy needs a BSD target"
#endif

namespace vitte::sys {

/// BSD policy: a delta over posix_platform.
struct bsd_platform : posix_platform {
  static constexpr std::string_view name = "bsd";

  // clock: posix_platform's clocks, with real coarse ones where the kernel has them.
  static VITTE_DECL std::int64_t clock_now_ns(clock_id id) noexcept;
  static VITTE_DECL std::int64_t clock_resolution_ns(clock_id id) noexcept;
  /// As posix_platform; a coarse clock lags its precise one by up to a
  /// tick, so sleeps on it last until the coarse clock itself reads `t`.
  static VITTE_DECL error sleep_until_ns(clock_id id, std::int64_t t) noexcept;
};

}  // namespace vitte::sys

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/bsd/platform.ipp>
#endif

#endif  // VITTE_SYS_POLICY_BSD_HPP
