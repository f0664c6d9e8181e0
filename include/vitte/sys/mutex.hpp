// vitte/sys/mutex.hpp - mutual exclusion: mutex, timed_mutex, null_mutex.
//
//   vitte::sys::mutex m;
//   int counter = 0;
//   {
//     std::lock_guard<vitte::sys::mutex> g(m);   // std::unique_lock, std::scoped_lock too
//     ++counter;
//   }
//
//   vitte::sys::timed_mutex t;
//   if (t.try_lock_for(10ms)) {      // or try_lock_until(vitte::sys::deadline)
//     ...
//     t.unlock();
//   }
//
// Both meet the standard Lockable requirements; timed_mutex meets
// TimedLockable. Neither is recursive: locking a mutex the thread holds
// deadlocks.
//
// Backends, chosen per policy at compile time:
//   linux    a futex mutex (unlocked / locked / contended, spinning briefly
//            before sleeping); lock and unlock are one inlined atomic
//            instruction when uncontended, and plain loads and stores
//            while the process has a single thread (as glibc's mutex)
//   win32    SRWLOCK
//   posix    pthread_mutex_t (the Darwin and BSD policies inherit it)
// timed_mutex is the futex algorithm on every policy, over the policy's
// wait_on_address (vitte/sys/wait.hpp), since SRWLOCK has no timed acquire.
//
// With VITTE_HAS_THREADS=0 (the default for freestanding builds), `mutex`
// and `timed_mutex` are null_mutex: an empty type whose members do nothing,
// so that code written for threads costs nothing on a single-threaded target.
#ifndef VITTE_SYS_MUTEX_HPP
#define VITTE_SYS_MUTEX_HPP

#include <vitte/base.hpp>
#include <vitte/base/detail/atomic.hpp>  // the futex word
#include <vitte/base/detail/chrono.hpp>  // durations and time points of the timed members
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/operations.hpp>
#include <vitte/sys/platform.hpp>
#include <vitte/sys/time.hpp>

#include <cstdint>      // std::uint32_t
#include <type_traits>  // backend selection

namespace vitte::sys {

namespace detail {
template <class P>
class futex_mutex;
template <class P>
class native_mutex;
template <class P>
class futex_condition;
template <class P>
class native_condition;
// A stand-in for a backend the policy lacks, so that only the facility's
// capability check reports the problem.
struct missing_backend {};
// A lock's backend on policy P: the futex algorithm where the policy builds
// locks on its futex, else the policy's native object.
template <class P, template <class> class Futex, template <class> class Native>
using lock_backend = std::conditional_t<futex_lock_capability<P>, Futex<P>,
                                        std::conditional_t<native_lock_capability<P>, Native<P>, missing_backend>>;
}  // namespace detail

template <class P>
class basic_condition_variable;

/// A mutex that does nothing: what `mutex` is when VITTE_HAS_THREADS is 0,
/// and a stand-in wherever a lock is required but nothing is shared. Empty;
/// every member is a constexpr no-op, and try_lock* always succeed.
/// Meets Lockable, TimedLockable and SharedLockable.
struct null_mutex {
  constexpr void lock() noexcept {}
  constexpr bool try_lock() noexcept { return true; }
  constexpr void unlock() noexcept {}
  template <class Rep, class Period>
  constexpr bool try_lock_for(const std::chrono::duration<Rep, Period>&) noexcept {
    return true;
  }
  template <class Clock, class Dur>
  constexpr bool try_lock_until(const std::chrono::time_point<Clock, Dur>&) noexcept {
    return true;
  }
  constexpr void lock_shared() noexcept {}
  constexpr bool try_lock_shared() noexcept { return true; }
  constexpr void unlock_shared() noexcept {}
};

/// A non-recursive mutex on policy P (backends: see the header).
/// Thread safety: lock/try_lock/unlock may be called concurrently; unlock
/// only by the thread that holds the lock. Not movable.
template <class P>
class basic_mutex {
  VITTE_REQUIRE_CAPABILITY(P, sync);

 public:
  /// An unlocked mutex.
  basic_mutex() noexcept = default;
  basic_mutex(const basic_mutex&) = delete;
  basic_mutex& operator=(const basic_mutex&) = delete;

  /// Blocks until the calling thread holds the mutex.
  void lock() noexcept { impl_.lock(); }
  /// Takes the mutex if it is free; never blocks. True when taken.
  [[nodiscard]] bool try_lock() noexcept { return impl_.try_lock(); }
  /// Releases the mutex, which the calling thread holds.
  void unlock() noexcept { impl_.unlock(); }

 private:
  friend class basic_condition_variable<P>;
  detail::lock_backend<P, detail::futex_mutex, detail::native_mutex> impl_;
};

/// A non-recursive mutex with timed acquisition on policy P: the futex
/// algorithm over P's wait_on_address. constexpr-constructible.
/// Thread safety: as basic_mutex.
template <class P>
class basic_timed_mutex {
  VITTE_REQUIRE_CAPABILITY(P, wait);

 public:
  /// An unlocked mutex.
  constexpr basic_timed_mutex() noexcept = default;
  basic_timed_mutex(const basic_timed_mutex&) = delete;
  basic_timed_mutex& operator=(const basic_timed_mutex&) = delete;

  /// Blocks until the calling thread holds the mutex.
  void lock() noexcept { impl_.lock(); }
  /// Takes the mutex if it is free; never blocks. True when taken.
  [[nodiscard]] bool try_lock() noexcept { return impl_.try_lock(); }
  /// Releases the mutex, which the calling thread holds.
  void unlock() noexcept { impl_.unlock(); }

  /// Blocks until the mutex is taken (true) or deadline `d` passes (false).
  [[nodiscard]] bool try_lock_until(basic_deadline<P> d) noexcept { return impl_.try_lock_until(d); }
  /// try_lock_until with a deadline `d` from now.
  template <class Rep, class Period>
  [[nodiscard]] bool try_lock_for(const std::chrono::duration<Rep, Period>& d) noexcept {
    return impl_.try_lock_until(basic_deadline<P>::after(d));
  }
  /// Blocks until the mutex is taken (true) or clock `Clock` reaches `t`.
  template <class Clock, class Dur>
  [[nodiscard]] bool try_lock_until(const std::chrono::time_point<Clock, Dur>& t) noexcept;

 private:
  detail::futex_mutex<P> impl_;
};

#if VITTE_HAS_THREADS
/// The mutex of the default platform.
using mutex = basic_mutex<platform>;
/// The timed mutex of the default platform.
using timed_mutex = basic_timed_mutex<platform>;
#else
using mutex = null_mutex;
using timed_mutex = null_mutex;
#endif

}  // namespace vitte::sys

#include <vitte/sys/impl/mutex.hpp>

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/thread.ipp>  // the backend's definitions
#endif

#endif  // VITTE_SYS_MUTEX_HPP
