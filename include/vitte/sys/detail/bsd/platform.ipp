// Definitions of bsd_platform (see vitte/sys/policy/bsd.hpp).
//
// Unverified: this project's CI has no BSD runner. Written against
// FreeBSD's clock_gettime(2) manual page.
#ifndef VITTE_SYS_DETAIL_BSD_PLATFORM_IPP
#define VITTE_SYS_DETAIL_BSD_PLATFORM_IPP

#include <vitte/sys/detail/posix/clock.hpp>
#include <vitte/sys/policy/bsd.hpp>

namespace vitte::sys {

namespace detail::bsd {
// The precise clock a coarse one follows (itself for the others).
constexpr clock_id precise_clock(clock_id id) noexcept {
  switch (id) {
    case clock_id::monotonic_coarse:
      return clock_id::monotonic;
    case clock_id::realtime_coarse:
      return clock_id::realtime;
    case clock_id::monotonic:
    case clock_id::realtime:
    case clock_id::boottime:
    case clock_id::process_cpu:
    case clock_id::thread_cpu:
      break;
  }
  return id;
}
}  // namespace detail::bsd

VITTE_DECL std::int64_t bsd_platform::clock_now_ns(clock_id id) noexcept {
#if VITTE_HAS_COARSE_CLOCKS
  if (id == clock_id::monotonic_coarse) return detail::posix::clock_now(CLOCK_MONOTONIC_FAST);
  if (id == clock_id::realtime_coarse) return detail::posix::clock_now(CLOCK_REALTIME_FAST);
#endif
  return posix_platform::clock_now_ns(id);
}

VITTE_DECL std::int64_t bsd_platform::clock_resolution_ns(clock_id id) noexcept {
#if VITTE_HAS_COARSE_CLOCKS
  if (id == clock_id::monotonic_coarse) return detail::posix::clock_resolution(CLOCK_MONOTONIC_FAST);
  if (id == clock_id::realtime_coarse) return detail::posix::clock_resolution(CLOCK_REALTIME_FAST);
#endif
  return posix_platform::clock_resolution_ns(id);
}

VITTE_DECL error bsd_platform::sleep_until_ns(clock_id id, std::int64_t t) noexcept {
  clock_id precise = detail::bsd::precise_clock(id);
  if (precise == id) return posix_platform::sleep_until_ns(id, t);
  // Sleep on the precise clock for what the coarse one still lacks, until
  // the coarse one has caught up.
  for (;;) {
    std::int64_t left = t - clock_now_ns(id);
    if (left <= 0) return {};
    error e = posix_platform::sleep_until_ns(precise, posix_platform::clock_now_ns(precise) + left);
    if (e) return e;
  }
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_BSD_PLATFORM_IPP
