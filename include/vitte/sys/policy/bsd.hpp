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
  static constexpr text_view name = "bsd";

  // clock: posix_platform's clocks, with real coarse ones where the kernel has them.
  static VITTE_DECL std::int64_t clock_now_ns(clock_id id) noexcept;
  static VITTE_DECL std::int64_t clock_resolution_ns(clock_id id) noexcept;
  /// As posix_platform; a coarse clock lags its precise one by up to a
  /// tick, so sleeps on it last until the coarse clock itself reads `t`.
  static VITTE_DECL error sleep_until_ns(clock_id id, std::int64_t t) noexcept;

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
#include <vitte/sys/detail/bsd/platform.ipp>
#endif

#endif  // VITTE_SYS_POLICY_BSD_HPP
