// Template bodies for vitte/sys/mutex.hpp. Included by it; do not include.
#ifndef VITTE_SYS_IMPL_MUTEX_HPP
#define VITTE_SYS_IMPL_MUTEX_HPP

#include <vitte/sys/impl/sync.hpp>

namespace vitte::sys::detail {

/// How often a contended lock re-reads its word before sleeping. A lock
/// held for a short critical section is usually free again within this
/// (a futex round trip costs microseconds; a spin iteration, nanoseconds).
inline constexpr int lock_spin_limit = 100;

/// True when policy P says the process has a single thread, so that no
/// other thread can observe a lock word (creating a thread synchronises).
template <class P>
VITTE_ALWAYS_INLINE bool single_threaded() noexcept {
  if constexpr (requires { P::single_threaded(); }) {
    return P::single_threaded();
  } else {
    return false;
  }
}

/// The futex mutex: a 32-bit word that is 0 (unlocked), 1 (locked) or 2
/// (locked, and threads may be asleep). Uncontended lock and unlock are one
/// atomic instruction each, inlined (plain loads and stores while the
/// process is single-threaded); only unlocking a contended mutex wakes.
template <class P>
class futex_mutex {
 public:
  constexpr futex_mutex() noexcept = default;

  VITTE_ALWAYS_INLINE void lock() noexcept {
    if (single_threaded<P>() && state_.load(vitte::detail::relaxed) == unlocked) {
      state_.store(locked, vitte::detail::relaxed);  // nobody else can look
      return;
    }
    std::uint32_t expected = unlocked;
    if (VITTE_LIKELY(state_.compare_exchange(expected, locked, vitte::detail::acquire, vitte::detail::relaxed))) return;
    (void)lock_contended(basic_deadline<P>::never());
  }

  VITTE_ALWAYS_INLINE bool try_lock() noexcept {
    std::uint32_t expected = unlocked;
    return state_.compare_exchange(expected, locked, vitte::detail::acquire, vitte::detail::relaxed);
  }

  VITTE_ALWAYS_INLINE void unlock() noexcept {
    if (single_threaded<P>()) {
      state_.store(unlocked, vitte::detail::relaxed);  // and nobody sleeps
      return;
    }
    if (VITTE_UNLIKELY(state_.exchange(unlocked, vitte::detail::release) == contended))
      P::wake_on_address(&state_, false);
  }

  bool try_lock_until(basic_deadline<P> d) noexcept { return try_lock() || lock_contended(d); }

 private:
  static constexpr std::uint32_t unlocked = 0;
  static constexpr std::uint32_t locked = 1;
  static constexpr std::uint32_t contended = 2;

  // Spins while the mutex is locked without sleepers; returns the last state.
  std::uint32_t spin() noexcept {
    for (int i = 0; i < lock_spin_limit; ++i) {
      std::uint32_t s = state_.load(vitte::detail::relaxed);
      if (s != locked) return s;
      cpu_relax();
    }
    return state_.load(vitte::detail::relaxed);
  }

  [[gnu::noinline]] bool lock_contended(basic_deadline<P> d) noexcept {
    std::uint32_t s = spin();
    if (s == unlocked && state_.compare_exchange(s, locked, vitte::detail::acquire, vitte::detail::relaxed))
      return true;
    for (;;) {
      // Taking the lock as `contended` may cost one needless wake later, but
      // never loses one: we cannot know whether others sleep.
      if (s != contended && state_.exchange(contended, vitte::detail::acquire) == unlocked) return true;
      if (d.expired()) return false;
      park<P>(state_, contended, d.ns());
      s = spin();
    }
  }

  vitte::detail::atomic<std::uint32_t> state_{unlocked};
};

/// The policy's native mutex (pthread_mutex_t, SRWLOCK) in opaque storage.
template <class P>
class native_mutex : public native_object<P::mutex_size, P::mutex_align, &P::mutex_init, &P::mutex_destroy> {
 public:
  void lock() noexcept { P::mutex_lock(this->native()); }
  bool try_lock() noexcept { return P::mutex_try_lock(this->native()); }
  void unlock() noexcept { P::mutex_unlock(this->native()); }
};

}  // namespace vitte::sys::detail

namespace vitte::sys {

template <class P>
template <class Clock, class Dur>
bool basic_timed_mutex<P>::try_lock_until(const std::chrono::time_point<Clock, Dur>& t) noexcept {
  return detail::until_time_point<P>(t, [this](basic_deadline<P> d) { return impl_.try_lock_until(d); });
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_IMPL_MUTEX_HPP
