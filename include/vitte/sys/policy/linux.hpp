// vitte/sys/policy/linux.hpp - the Linux platform policy (default on Linux).
//
// The POSIX policy plus what Linux does better: coarse clocks
// (CLOCK_*_COARSE), CLOCK_BOOTTIME, and CPU counts that honour the
// process's affinity mask. Later modules add futex, epoll, memfd, ...
#ifndef VITTE_SYS_POLICY_LINUX_HPP
#define VITTE_SYS_POLICY_LINUX_HPP

#include <vitte/sys/policy/posix.hpp>

#if !VITTE_OS_LINUX
#error "vitte: the Linux policy needs a Linux target"
#endif

namespace vitte::sys {

/// Linux policy: a delta over posix_platform.
struct linux_platform : posix_platform {
  static constexpr std::string_view name = "linux";

  // clock: every clock_id, coarse ones from the kernel's tick.
  static constexpr bool has_clock(clock_id) noexcept { return true; }
  static VITTE_DECL std::int64_t clock_now_ns(clock_id id) noexcept;
  static VITTE_DECL std::int64_t clock_resolution_ns(clock_id id) noexcept;
  static VITTE_DECL error sleep_until_ns(clock_id id, std::int64_t t) noexcept;

  // system_info: CPUs this process may run on (sched_getaffinity).
  static VITTE_DECL unsigned cpu_count() noexcept;

  // == memory (vitte/sys/memory.hpp) ==
  // == end memory ==

  // == thread (vitte/sys/thread.hpp) ==
  // == end thread ==
};

}  // namespace vitte::sys

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/linux/platform.ipp>
// == memory .ipp ==
// == thread .ipp ==
#endif

#endif  // VITTE_SYS_POLICY_LINUX_HPP
