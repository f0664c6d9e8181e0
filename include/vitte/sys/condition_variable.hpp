// vitte/sys/condition_variable.hpp - waiting for a condition under a mutex.
//
//   vitte::sys::mutex m;
//   vitte::sys::condition_variable cv;
//   bool ready = false;
//
//   // consumer
//   std::unique_lock<vitte::sys::mutex> lock(m);
//   cv.wait(lock, [&] { return ready; });
//   // or give up at a deadline: false if still not ready
//   bool ok = cv.wait_until(lock, vitte::sys::deadline::after(50ms), [&] { return ready; });
//
//   // producer
//   { std::lock_guard<vitte::sys::mutex> g(m); ready = true; }
//   cv.notify_one();
//
// Waits take any lock object whose mutex() is the policy's basic_mutex
// (std::unique_lock<vitte::sys::mutex>), held by the caller. Timeouts are
// measured on the monotonic clock, so setting the wall clock moves none.
// Waits without a predicate may return spuriously, as std's do.
//
// Backends, matching the mutex's:
//   linux    a futex sequence number and a count of waiters (notifying
//            nobody costs one atomic increment, no system call)
//   win32    CONDITION_VARIABLE with SleepConditionVariableSRW
//   posix    pthread_cond_t on CLOCK_MONOTONIC (pthread_condattr_setclock)
//
// Not available when VITTE_HAS_THREADS is 0: nothing could notify a waiter.
#ifndef VITTE_SYS_CONDITION_VARIABLE_HPP
#define VITTE_SYS_CONDITION_VARIABLE_HPP

#include <vitte/base.hpp>
#include <vitte/base/detail/atomic.hpp>  // the futex words
#include <vitte/base/detail/chrono.hpp>  // durations of wait_for
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/mutex.hpp>
#include <vitte/sys/operations.hpp>
#include <vitte/sys/platform.hpp>
#include <vitte/sys/time.hpp>

#include <concepts>     // std::convertible_to
#include <cstdint>      // std::uint32_t
#include <type_traits>  // backend selection

namespace vitte::sys {

/// A lock object (std::unique_lock<basic_mutex<P>>) whose mutex is M.
template <class Lock, class M>
concept lock_of = requires(Lock& l) {
  { l.mutex() } -> std::convertible_to<M*>;
  { l.owns_lock() } -> std::convertible_to<bool>;
};

/// A condition variable for basic_mutex<P> (backends: see the header).
/// Thread safety: every member may be called concurrently; waits require
/// the lock to be held by the caller, notifications do not.
template <class P>
class basic_condition_variable {
  VITTE_REQUIRE_CAPABILITY(P, sync);

 public:
  using mutex_type = basic_mutex<P>;

  basic_condition_variable() noexcept = default;
  basic_condition_variable(const basic_condition_variable&) = delete;
  basic_condition_variable& operator=(const basic_condition_variable&) = delete;

  /// Releases the lock, sleeps until notified (or spuriously), re-locks.
  template <lock_of<mutex_type> Lock>
  void wait(Lock& lock) noexcept;

  /// Waits until pred() holds; pred is called with the lock held.
  template <lock_of<mutex_type> Lock, class Pred>
  void wait(Lock& lock, Pred pred);

  /// Waits until notified (or spuriously: true) or deadline `d` passes
  /// (false). The lock is held again on return either way.
  template <lock_of<mutex_type> Lock>
  bool wait_until(Lock& lock, basic_deadline<P> d) noexcept;

  /// Waits until pred() holds or `d` passes; returns pred() at the end.
  template <lock_of<mutex_type> Lock, class Pred>
  bool wait_until(Lock& lock, basic_deadline<P> d, Pred pred);

  /// wait_until with a deadline `d` from now.
  template <lock_of<mutex_type> Lock, class Rep, class Period>
  bool wait_for(Lock& lock, std::chrono::duration<Rep, Period> d) noexcept;

  /// wait_until(lock, deadline `d` from now, pred).
  template <lock_of<mutex_type> Lock, class Rep, class Period, class Pred>
  bool wait_for(Lock& lock, std::chrono::duration<Rep, Period> d, Pred pred);

  /// Wakes one waiting thread, if any.
  void notify_one() noexcept { impl_.notify(false); }
  /// Wakes every waiting thread.
  void notify_all() noexcept { impl_.notify(true); }

 private:
  detail::lock_backend<P, detail::futex_condition, detail::native_condition> impl_;
};

#if VITTE_HAS_THREADS
/// The condition variable of the default platform, for vitte::sys::mutex.
using condition_variable = basic_condition_variable<platform>;
#endif

}  // namespace vitte::sys

#include <vitte/sys/impl/condition_variable.hpp>

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/thread.ipp>  // the backend's definitions
#endif

#endif  // VITTE_SYS_CONDITION_VARIABLE_HPP
