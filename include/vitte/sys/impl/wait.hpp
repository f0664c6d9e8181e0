// Template bodies for vitte/sys/wait.hpp. Included by it; do not include.
#ifndef VITTE_SYS_IMPL_WAIT_HPP
#define VITTE_SYS_IMPL_WAIT_HPP

#include <vitte/sys/impl/sync.hpp>

namespace vitte::sys {
namespace detail {
/// The word's value, acquire order, whatever atomic type holds it.
template <atomic_word W>
VITTE_ALWAYS_INLINE std::uint32_t load_word(const W& word) noexcept {
  return __atomic_load_n(reinterpret_cast<const std::uint32_t*>(&word), __ATOMIC_ACQUIRE);
}
}  // namespace detail

template <class P, atomic_word W>
void atomic_wait(const W& word, std::uint32_t old) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, wait);
  while (detail::load_word(word) == old) detail::park<P>(word, old, INT64_MAX);
}

template <class P, atomic_word W>
bool atomic_wait_until(const W& word, std::uint32_t old, basic_deadline<P> d) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, wait);
  for (;;) {
    if (detail::load_word(word) != old) return true;
    if (d.expired()) return false;
    detail::park<P>(word, old, d.ns());
  }
}

template <class P, atomic_word W, class Rep, class Period>
bool atomic_wait_for(const W& word, std::uint32_t old, std::chrono::duration<Rep, Period> d) noexcept {
  return atomic_wait_until<P>(word, old, basic_deadline<P>::after(d));
}

template <class P, atomic_word W>
void atomic_notify_one(const W& word) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, wait);
  P::wake_on_address(&word, false);
}

template <class P, atomic_word W>
void atomic_notify_all(const W& word) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, wait);
  P::wake_on_address(&word, true);
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_IMPL_WAIT_HPP
