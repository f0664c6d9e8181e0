// Template bodies for vitte/sys/time.hpp. Included by it; do not include.
#ifndef VITTE_SYS_IMPL_TIME_HPP
#define VITTE_SYS_IMPL_TIME_HPP

#include <climits>      // INT32_MAX
#include <type_traits>  // is_integral_v

namespace vitte::sys {

namespace detail {
// nanoseconds(d) saturating at the int64 range instead of overflowing.
template <class Rep, class Period>
constexpr std::int64_t saturating_ns(std::chrono::duration<Rep, Period> d) noexcept {
  using limits_ns = std::chrono::duration<long double, std::nano>;
  long double v = std::chrono::duration_cast<limits_ns>(d).count();
  if (v >= static_cast<long double>(INT64_MAX)) return INT64_MAX;
  if (v <= static_cast<long double>(INT64_MIN)) return INT64_MIN;
  if constexpr (std::is_integral_v<Rep>) {
    // Exact path for integers: ceil to whole nanoseconds.
    return std::chrono::ceil<std::chrono::nanoseconds>(d).count();
  } else {
    return static_cast<std::int64_t>(v + (v > 0 ? 0.999999L : 0));
  }
}

constexpr std::int64_t saturating_add(std::int64_t a, std::int64_t b) noexcept {
  if (b > 0 && a > INT64_MAX - b) return INT64_MAX;
  if (b < 0 && a < INT64_MIN - b) return INT64_MIN;
  return a + b;
}

template <class P>
status sleep_until_ns(clock_id id, std::int64_t t) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, sleep);
  for (;;) {
    error e = P::sleep_until_ns(id, t);
    if (!e) return {};
    if (e != errc::interrupted) return e;
  }
}
}  // namespace detail

template <class P, clock_id Id>
VITTE_ALWAYS_INLINE std::int64_t basic_clock<P, Id>::now_ns() noexcept {
  return P::clock_now_ns(Id);
}

template <class P, clock_id Id>
VITTE_ALWAYS_INLINE typename basic_clock<P, Id>::time_point basic_clock<P, Id>::now() noexcept {
  return time_point{duration{P::clock_now_ns(Id)}};
}

template <class P, clock_id Id>
typename basic_clock<P, Id>::duration basic_clock<P, Id>::resolution() noexcept {
  return duration{P::clock_resolution_ns(Id)};
}

template <class P, clock_id Id, class Dur>
  requires(Id == clock_id::realtime || Id == clock_id::realtime_coarse)
std::chrono::system_clock::time_point to_sys(std::chrono::time_point<basic_clock<P, Id>, Dur> t) noexcept {
  auto since_epoch = std::chrono::duration_cast<std::chrono::system_clock::duration>(t.time_since_epoch());
  return std::chrono::system_clock::time_point{since_epoch};
}

template <class P>
template <class Rep, class Period>
basic_deadline<P> basic_deadline<P>::after(std::chrono::duration<Rep, Period> d) noexcept {
  std::int64_t delta = detail::saturating_ns(d);
  if (delta == INT64_MAX) return never();
  return basic_deadline{detail::saturating_add(clock::now_ns(), delta)};
}

template <class P>
template <class Dur>
constexpr basic_deadline<P> basic_deadline<P>::at(std::chrono::time_point<clock, Dur> t) noexcept {
  return basic_deadline{detail::saturating_ns(t.time_since_epoch())};
}

template <class P>
bool basic_deadline<P>::expired() const noexcept {
  if (is_never()) return false;
  return clock::now_ns() >= ns_;
}

template <class P>
std::chrono::nanoseconds basic_deadline<P>::remaining() const noexcept {
  if (is_never()) return std::chrono::nanoseconds::max();
  std::int64_t left = ns_ - clock::now_ns();
  return std::chrono::nanoseconds{left > 0 ? left : 0};
}

template <class P>
std::int32_t basic_deadline<P>::timeout_ms() const noexcept {
  if (is_never()) return -1;
  std::int64_t left = ns_ - clock::now_ns();
  if (left <= 0) return 0;
  std::int64_t ms = left / 1'000'000 + (left % 1'000'000 != 0);  // round up: never wake early
  return ms > INT32_MAX ? INT32_MAX : static_cast<std::int32_t>(ms);
}

template <class P, clock_id Id, class Dur>
status sleep_until(std::chrono::time_point<basic_clock<P, Id>, Dur> t) noexcept {
  return detail::sleep_until_ns<P>(Id, detail::saturating_ns(t.time_since_epoch()));
}

template <class P>
status sleep_until(basic_deadline<P> d) noexcept {
  if (d.is_never()) return error{errc::invalid_argument, ops::sleep};
  return detail::sleep_until_ns<P>(clock_id::monotonic, d.ns());
}

template <class P, class Rep, class Period>
status sleep_for(std::chrono::duration<Rep, Period> d) noexcept {
  std::int64_t delta = detail::saturating_ns(d);
  if (delta <= 0) return {};
  if (delta == INT64_MAX) return error{errc::invalid_argument, ops::sleep};
  return detail::sleep_until_ns<P>(clock_id::monotonic,
                                   detail::saturating_add(P::clock_now_ns(clock_id::monotonic), delta));
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_IMPL_TIME_HPP
