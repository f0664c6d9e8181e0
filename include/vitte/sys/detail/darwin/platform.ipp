// Definitions of darwin_platform (see vitte/sys/policy/darwin.hpp).
//
// Unverified: this project's CI has no Darwin runner. Written against
// Apple's clock_gettime(3) (clock IDs of macOS 10.12 and later) and
// sysctl(3) manual pages.
#ifndef VITTE_SYS_DETAIL_DARWIN_PLATFORM_IPP
#define VITTE_SYS_DETAIL_DARWIN_PLATFORM_IPP

#include <vitte/sys/detail/posix/clock.hpp>
#include <vitte/sys/policy/darwin.hpp>

#include <sys/sysctl.h>  // sysctlbyname

namespace vitte::sys {

namespace detail::darwin {
constexpr clockid_t native_clock(clock_id id) noexcept {
  switch (id) {
    case clock_id::monotonic:
      return CLOCK_UPTIME_RAW;
#if VITTE_HAS_COARSE_CLOCKS
    case clock_id::monotonic_coarse:
      return CLOCK_UPTIME_RAW_APPROX;
#else
    case clock_id::monotonic_coarse:
      return CLOCK_UPTIME_RAW;
#endif
    case clock_id::realtime:
    case clock_id::realtime_coarse:
      return CLOCK_REALTIME;
    case clock_id::boottime:
      return CLOCK_MONOTONIC;  // counts sleep on Darwin
    case clock_id::process_cpu:
      return CLOCK_PROCESS_CPUTIME_ID;
    case clock_id::thread_cpu:
      return CLOCK_THREAD_CPUTIME_ID;
  }
  return CLOCK_UPTIME_RAW;
}
}  // namespace detail::darwin

VITTE_DECL std::int64_t darwin_platform::clock_now_ns(clock_id id) noexcept {
  return detail::posix::clock_now(detail::darwin::native_clock(id));
}

VITTE_DECL std::int64_t darwin_platform::clock_resolution_ns(clock_id id) noexcept {
  return detail::posix::clock_resolution(detail::darwin::native_clock(id));
}

VITTE_DECL error darwin_platform::sleep_until_ns(clock_id id, std::int64_t t) noexcept {
  switch (id) {
    case clock_id::process_cpu:
    case clock_id::thread_cpu:
      return error{errc::not_supported, ops::sleep};
    case clock_id::monotonic:
    case clock_id::monotonic_coarse:
    case clock_id::realtime:
    case clock_id::realtime_coarse:
    case clock_id::boottime:
      break;
  }
  // Without clock_nanosleep this re-reads clock `id` after every nanosleep,
  // so any clock works, the cached and the sleep-counting ones included.
  return detail::posix::sleep_until(detail::darwin::native_clock(id), t);
}

VITTE_DECL unsigned darwin_platform::cpu_count() noexcept {
  int n = 0;
  std::size_t size = sizeof n;
  if (::sysctlbyname("hw.activecpu", &n, &size, nullptr, 0) == 0 && n > 0) return static_cast<unsigned>(n);
  return posix_platform::cpu_count();
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_DARWIN_PLATFORM_IPP
