// Template bodies for vitte/sys/wait.hpp. Included by it; do not include.
#ifndef VITTE_SYS_IMPL_WAIT_HPP
#define VITTE_SYS_IMPL_WAIT_HPP

#include <vitte/sys/impl/sync.hpp>

namespace vitte::sys {

template <class P>
void atomic_wait(const std::atomic<std::uint32_t>& word, std::uint32_t old) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, wait);
  while (word.load(std::memory_order_acquire) == old) detail::park<P>(word, old, INT64_MAX);
}

template <class P>
bool atomic_wait_until(const std::atomic<std::uint32_t>& word, std::uint32_t old, basic_deadline<P> d) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, wait);
  for (;;) {
    if (word.load(std::memory_order_acquire) != old) return true;
    if (d.expired()) return false;
    detail::park<P>(word, old, d.ns());
  }
}

template <class P, class Rep, class Period>
bool atomic_wait_for(const std::atomic<std::uint32_t>& word, std::uint32_t old,
                     std::chrono::duration<Rep, Period> d) noexcept {
  return atomic_wait_until(word, old, basic_deadline<P>::after(d));
}

template <class P>
void atomic_notify_one(const std::atomic<std::uint32_t>& word) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, wait);
  P::wake_on_address(&word, false);
}

template <class P>
void atomic_notify_all(const std::atomic<std::uint32_t>& word) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, wait);
  P::wake_on_address(&word, true);
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_IMPL_WAIT_HPP
