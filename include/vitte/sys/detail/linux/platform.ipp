// Definitions of linux_platform (see vitte/sys/policy/linux.hpp).
#ifndef VITTE_SYS_DETAIL_LINUX_PLATFORM_IPP
#define VITTE_SYS_DETAIL_LINUX_PLATFORM_IPP

#include <vitte/sys/detail/posix/clock.hpp>
#include <vitte/sys/policy/linux.hpp>

#include <sched.h>  // sched_getaffinity, CPU_COUNT

namespace vitte::sys {

namespace detail::linux_os {
constexpr clockid_t native_clock(clock_id id) noexcept {
  switch (id) {
    case clock_id::monotonic:
      return CLOCK_MONOTONIC;
    case clock_id::realtime:
      return CLOCK_REALTIME;
#if VITTE_HAS_COARSE_CLOCKS
    case clock_id::monotonic_coarse:
      return CLOCK_MONOTONIC_COARSE;
    case clock_id::realtime_coarse:
      return CLOCK_REALTIME_COARSE;
#else
    case clock_id::monotonic_coarse:
      return CLOCK_MONOTONIC;
    case clock_id::realtime_coarse:
      return CLOCK_REALTIME;
#endif
#if VITTE_HAS_CLOCK_BOOTTIME
    case clock_id::boottime:
      return CLOCK_BOOTTIME;
#else
    case clock_id::boottime:
      return CLOCK_MONOTONIC;
#endif
    case clock_id::process_cpu:
      return CLOCK_PROCESS_CPUTIME_ID;
    case clock_id::thread_cpu:
      return CLOCK_THREAD_CPUTIME_ID;
  }
  return CLOCK_MONOTONIC;
}
}  // namespace detail::linux_os

VITTE_DECL std::int64_t linux_platform::clock_now_ns(clock_id id) noexcept {
  return detail::posix::clock_now(detail::linux_os::native_clock(id));
}

VITTE_DECL std::int64_t linux_platform::clock_resolution_ns(clock_id id) noexcept {
  return detail::posix::clock_resolution(detail::linux_os::native_clock(id));
}

namespace detail::linux_os {
// The kernel cannot sleep on a coarse clock. Sleep on the precise clock of
// the same epoch, then again for as long as the coarse clock (which lags by
// up to a tick) still reads less than t.
inline error sleep_until_coarse(clockid_t coarse, clockid_t precise, std::int64_t t) noexcept {
  for (;;) {
    std::int64_t behind = t - posix::clock_now(coarse);
    if (behind <= 0) return {};
    error e = posix::sleep_until(precise, posix::clock_now(precise) + behind);
    if (e) return e;
  }
}
}  // namespace detail::linux_os

VITTE_DECL error linux_platform::sleep_until_ns(clock_id id, std::int64_t t) noexcept {
  using detail::linux_os::native_clock;
  switch (id) {
    case clock_id::process_cpu:
    case clock_id::thread_cpu:
      return error{errc::not_supported, ops::sleep};
    case clock_id::monotonic_coarse:
      return detail::linux_os::sleep_until_coarse(native_clock(id), CLOCK_MONOTONIC, t);
    case clock_id::realtime_coarse:
      return detail::linux_os::sleep_until_coarse(native_clock(id), CLOCK_REALTIME, t);
    case clock_id::monotonic:
    case clock_id::realtime:
    case clock_id::boottime:
      break;
  }
  return detail::posix::sleep_until(native_clock(id), t);
}

VITTE_DECL unsigned linux_platform::cpu_count() noexcept {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) == 0) {
    int n = CPU_COUNT(&set);
    if (n > 0) return static_cast<unsigned>(n);
  }
  return posix_platform::cpu_count();  // more than CPU_SETSIZE CPUs, or no affinity
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_LINUX_PLATFORM_IPP
