// POSIX clock helpers shared by the POSIX-family policies. Internal: this
// file includes <time.h> and is only reached from .ipp files.
#ifndef VITTE_SYS_DETAIL_POSIX_CLOCK_HPP
#define VITTE_SYS_DETAIL_POSIX_CLOCK_HPP

#include <vitte/base.hpp>
#include <vitte/sys/operations.hpp>

#include <errno.h>  // EINTR
#include <time.h>   // clock_gettime, clock_nanosleep

namespace vitte::sys::detail::posix {

inline std::int64_t to_ns(const struct timespec& ts) noexcept {
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

inline struct timespec to_timespec(std::int64_t ns) noexcept {
  struct timespec ts;
  std::int64_t sec = ns / 1'000'000'000;
  std::int64_t rem = ns % 1'000'000'000;
  if (rem < 0) {  // floor, so that tv_nsec is in [0, 1e9)
    rem += 1'000'000'000;
    sec -= 1;
  }
  // time_t is 32 bits on some 32-bit targets: clamp instead of wrapping.
  if constexpr (sizeof(time_t) < sizeof(std::int64_t)) {
    constexpr std::int64_t max_sec = static_cast<std::int64_t>(static_cast<time_t>(~0u >> 1));
    if (sec > max_sec) {
      sec = max_sec;
      rem = 999'999'999;
    }
  }
  ts.tv_sec = static_cast<time_t>(sec);
  ts.tv_nsec = static_cast<long>(rem);
  return ts;
}

VITTE_ALWAYS_INLINE std::int64_t clock_now(clockid_t c) noexcept {
  struct timespec ts;
  ::clock_gettime(c, &ts);  // cannot fail for a clock the policy offers
  return to_ns(ts);
}

// The clock of vitte's monotonic deadlines under the default policy:
// CLOCK_UPTIME_RAW on Darwin (see policy/darwin.hpp), CLOCK_MONOTONIC elsewhere.
#if VITTE_OS_DARWIN
constexpr clockid_t deadline_clock = CLOCK_UPTIME_RAW;
#else
constexpr clockid_t deadline_clock = CLOCK_MONOTONIC;
#endif

// poll()'s and epoll_wait()'s timeout for an absolute deadline on
// deadline_clock: rounded up to whole milliseconds, so a wait never ends
// before the deadline; 0 once it passed; -1 for never (INT64_MAX).
inline int poll_timeout_ms(std::int64_t deadline_ns) noexcept {
  if (deadline_ns == INT64_MAX) return -1;
  std::int64_t now = clock_now(deadline_clock);
  if (deadline_ns <= now) return 0;
  std::int64_t ms = (deadline_ns - now + 999'999) / 1'000'000;
  return ms > 0x7FFFFFFF ? 0x7FFFFFFF : static_cast<int>(ms);
}

inline std::int64_t clock_resolution(clockid_t c) noexcept {
  struct timespec ts;
  if (::clock_getres(c, &ts) != 0) return 0;
  return to_ns(ts);
}

#if VITTE_HAS_CLOCK_NANOSLEEP
// One absolute sleep; EINTR comes back as errc::interrupted for the caller
// to retry (the wake-up time does not move).
inline error sleep_until(clockid_t c, std::int64_t t) noexcept {
  struct timespec ts = to_timespec(t);
  int rc = ::clock_nanosleep(c, TIMER_ABSTIME, &ts, nullptr);
  if (rc == 0) return {};
  if (rc == EINTR) return error{errc::interrupted, ops::sleep, rc, error_domain::posix};
  return error{errc::invalid_argument, ops::sleep, rc, error_domain::posix};
}
#else
// Without clock_nanosleep: relative nanosleep until the clock reads t.
inline error sleep_until(clockid_t c, std::int64_t t) noexcept {
  for (;;) {
    std::int64_t left = t - clock_now(c);
    if (left <= 0) return {};
    struct timespec ts = to_timespec(left);
    if (::nanosleep(&ts, nullptr) == 0) continue;
    int e = errno;
    if (e == EINTR) return error{errc::interrupted, ops::sleep, e, error_domain::posix};
    return error{errc::invalid_argument, ops::sleep, e, error_domain::posix};
  }
}
#endif

}  // namespace vitte::sys::detail::posix

#endif  // VITTE_SYS_DETAIL_POSIX_CLOCK_HPP
