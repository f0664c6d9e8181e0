// Template bodies for vitte/sys/semaphore.hpp. Included by it; do not include.
#ifndef VITTE_SYS_IMPL_SEMAPHORE_HPP
#define VITTE_SYS_IMPL_SEMAPHORE_HPP

#include <vitte/sys/impl/sync.hpp>

namespace vitte::sys {

template <class P, std::ptrdiff_t M>
void basic_counting_semaphore<P, M>::release(std::ptrdiff_t update) noexcept {
  assert(update >= 0 && "vitte: semaphore release of a negative count");
  if (update == 0) return;
  // Add the permits and clear the sleepers bit in one step; the sleepers
  // then all wake to compete, and those left without a permit set the bit
  // again. After that step only the address is used, never the object.
  std::uint32_t s = state_.load(vitte::detail::relaxed);
  std::uint32_t next = 0;
  do {
    assert(s / one + static_cast<std::uint64_t>(update) <= static_cast<std::uint64_t>(M) &&
           "vitte: semaphore count above max()");
    next = (s + static_cast<std::uint32_t>(update) * one) & ~sleepers;
  } while (!state_.compare_exchange_weak(s, next, vitte::detail::release, vitte::detail::relaxed));
  if ((s & sleepers) != 0) P::wake_on_address(&state_, true);
}

template <class P, std::ptrdiff_t M>
bool basic_counting_semaphore<P, M>::try_acquire() noexcept {
  std::uint32_t s = state_.load(vitte::detail::relaxed);
  while (s >= one) {
    if (state_.compare_exchange_weak(s, s - one, vitte::detail::acquire, vitte::detail::relaxed)) return true;
  }
  return false;
}

template <class P, std::ptrdiff_t M>
void basic_counting_semaphore<P, M>::acquire() noexcept {
  if (try_acquire()) return;
  (void)acquire_slow(basic_deadline<P>::never());
}

template <class P, std::ptrdiff_t M>
bool basic_counting_semaphore<P, M>::try_acquire_until(basic_deadline<P> d) noexcept {
  return try_acquire() || acquire_slow(d);
}

template <class P, std::ptrdiff_t M>
template <class Clock, class Dur>
bool basic_counting_semaphore<P, M>::try_acquire_until(const std::chrono::time_point<Clock, Dur>& t) noexcept {
  return detail::until_time_point<P>(t, [this](basic_deadline<P> d) { return try_acquire_until(d); });
}

template <class P, std::ptrdiff_t M>
bool basic_counting_semaphore<P, M>::acquire_slow(basic_deadline<P> d) noexcept {
  std::uint32_t s = state_.load(vitte::detail::relaxed);
  for (;;) {
    if (s >= one) {
      if (state_.compare_exchange_weak(s, s - one, vitte::detail::acquire, vitte::detail::relaxed)) return true;
      continue;
    }
    if (d.expired()) return false;
    // Announce the sleeper; a release in between changes the word, and the
    // wait then returns at once.
    if ((s & sleepers) == 0 &&
        !state_.compare_exchange_weak(s, s | sleepers, vitte::detail::relaxed, vitte::detail::relaxed))
      continue;
    detail::park<P>(state_, s | sleepers, d.ns());
    s = state_.load(vitte::detail::relaxed);
  }
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_IMPL_SEMAPHORE_HPP
