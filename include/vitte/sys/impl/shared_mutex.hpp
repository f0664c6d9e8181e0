// Template bodies for vitte/sys/shared_mutex.hpp. Included by it; do not include.
#ifndef VITTE_SYS_IMPL_SHARED_MUTEX_HPP
#define VITTE_SYS_IMPL_SHARED_MUTEX_HPP

#include <vitte/sys/impl/mutex.hpp>  // lock_spin_limit
#include <vitte/sys/impl/sync.hpp>

namespace vitte::sys::detail {

/// The futex readers-writer lock: one word holding the number of readers in
/// its low 30 bits (all ones: write-locked) and two flags, "readers sleep"
/// and "writers sleep". A waiting writer stops new readers, so writers are
/// not starved. Every thread sleeps on the word itself: releasing the lock
/// and clearing the flags is one atomic step, after which the unlocker only
/// wakes by address, so the lock may be destroyed as soon as another thread
/// can take it.
template <class P>
class futex_shared_mutex {
 public:
  constexpr futex_shared_mutex() noexcept = default;

  void lock() noexcept {
    std::uint32_t expected = 0;
    if (state_.compare_exchange(expected, write_locked, vitte::detail::acquire, vitte::detail::relaxed)) return;
    lock_contended();
  }

  bool try_lock() noexcept {
    std::uint32_t s = state_.load(vitte::detail::relaxed);
    return (s & mask) == 0 &&
           state_.compare_exchange(s, s | write_locked, vitte::detail::acquire, vitte::detail::relaxed);
  }

  void unlock() noexcept {
    // Only this writer holds the lock: what remains are flags. Clear them
    // all and wake every sleeper; those who lose the race sleep again.
    if ((state_.exchange(0, vitte::detail::release) & sleeping) != 0) P::wake_on_address(&state_, true);
  }

  void lock_shared() noexcept {
    std::uint32_t s = state_.load(vitte::detail::relaxed);
    if (read_lockable(s) && state_.compare_exchange_weak(s, s + 1, vitte::detail::acquire, vitte::detail::relaxed))
      return;
    lock_shared_contended();
  }

  bool try_lock_shared() noexcept {
    std::uint32_t s = state_.load(vitte::detail::relaxed);
    while (read_lockable(s)) {
      if (state_.compare_exchange_weak(s, s + 1, vitte::detail::acquire, vitte::detail::relaxed)) return true;
    }
    return false;
  }

  void unlock_shared() noexcept {
    std::uint32_t s = state_.load(vitte::detail::relaxed);
    std::uint32_t next = 0;
    do {
      // The last reader out wakes the sleepers, keeping "writers sleep" so
      // that a writer, not a reader, goes next.
      next = (s & mask) == 1 ? (s - 1) & ~readers_sleep : s - 1;
    } while (!state_.compare_exchange_weak(s, next, vitte::detail::release, vitte::detail::relaxed));
    if ((s & mask) == 1 && (s & sleeping) != 0) P::wake_on_address(&state_, true);
  }

 private:
  static constexpr std::uint32_t mask = (1u << 30) - 1;
  static constexpr std::uint32_t write_locked = mask;
  static constexpr std::uint32_t max_readers = mask - 1;
  static constexpr std::uint32_t readers_sleep = 1u << 30;
  static constexpr std::uint32_t writers_sleep = 1u << 31;
  static constexpr std::uint32_t sleeping = readers_sleep | writers_sleep;

  static constexpr bool read_lockable(std::uint32_t s) noexcept {
    return (s & mask) < max_readers && (s & writers_sleep) == 0;
  }

  // Re-reads the word while `busy` says the lock is held briefly (held, and
  // nobody sleeps: sleepers mean a long wait); returns the last value.
  template <class Busy>
  std::uint32_t spin_while(Busy busy) noexcept {
    for (int i = 0; i < lock_spin_limit; ++i) {
      std::uint32_t s = state_.load(vitte::detail::relaxed);
      if (!busy(s)) return s;
      cpu_relax();
    }
    return state_.load(vitte::detail::relaxed);
  }

  // Sets `flag` in the word (known to hold `s`) unless it is set; false when
  // the word changed meanwhile (`s` then holds the new value).
  bool announce(std::uint32_t& s, std::uint32_t flag) noexcept {
    if ((s & flag) != 0) return true;
    if (!state_.compare_exchange_weak(s, s | flag, vitte::detail::relaxed, vitte::detail::relaxed)) return false;
    s |= flag;
    return true;
  }

  [[gnu::noinline]] void lock_shared_contended() noexcept {
    auto write_held = [](std::uint32_t s) { return (s & mask) == write_locked && (s & sleeping) == 0; };
    std::uint32_t s = spin_while(write_held);
    for (;;) {
      if (read_lockable(s)) {
        if (state_.compare_exchange_weak(s, s + 1, vitte::detail::acquire, vitte::detail::relaxed)) return;
        continue;
      }
      if (!announce(s, readers_sleep)) continue;
      park<P>(state_, s, INT64_MAX);
      s = spin_while(write_held);
    }
  }

  [[gnu::noinline]] void lock_contended() noexcept {
    auto held = [](std::uint32_t s) { return (s & mask) != 0 && (s & sleeping) == 0; };
    std::uint32_t s = spin_while(held);
    for (;;) {
      if ((s & mask) == 0) {
        // Flags stay: they name sleepers our unlock will wake.
        if (state_.compare_exchange_weak(s, s | write_locked, vitte::detail::acquire, vitte::detail::relaxed)) return;
        continue;
      }
      if (!announce(s, writers_sleep)) continue;
      park<P>(state_, s, INT64_MAX);
      s = spin_while(held);
    }
  }

  vitte::detail::atomic<std::uint32_t> state_{0};
};

/// The policy's native readers-writer lock (pthread_rwlock_t, SRWLOCK).
template <class P>
class native_shared_mutex : public native_object<P::shared_mutex_size, P::shared_mutex_align, &P::shared_mutex_init,
                                                 &P::shared_mutex_destroy> {
 public:
  void lock() noexcept { P::shared_mutex_lock(this->native()); }
  bool try_lock() noexcept { return P::shared_mutex_try_lock(this->native()); }
  void unlock() noexcept { P::shared_mutex_unlock(this->native()); }
  void lock_shared() noexcept { P::shared_mutex_lock_shared(this->native()); }
  bool try_lock_shared() noexcept { return P::shared_mutex_try_lock_shared(this->native()); }
  void unlock_shared() noexcept { P::shared_mutex_unlock_shared(this->native()); }
};

}  // namespace vitte::sys::detail

#endif  // VITTE_SYS_IMPL_SHARED_MUTEX_HPP
