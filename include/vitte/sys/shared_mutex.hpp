// vitte/sys/shared_mutex.hpp - a readers-writer lock.
//
//   vitte::sys::shared_mutex m;
//   {
//     std::shared_lock<vitte::sys::shared_mutex> r(m);   // many readers at once
//     read(table);
//   }
//   {
//     std::lock_guard<vitte::sys::shared_mutex> w(m);    // one writer, no reader
//     write(table);
//   }
//
// Meets the standard Lockable and SharedLockable requirements. Not
// recursive, not upgradable.
//
// Backends, chosen per policy at compile time:
//   linux    a futex readers-writer lock: one word counting readers, with a
//            write-locked value and "readers sleep" / "writers sleep" bits.
//            Waiting writers stop new readers, so writers are not starved.
//            Unlocking wakes every sleeper (readers and writers race again),
//            which keeps the lock safe to destroy right after an unlock.
//   win32    SRWLOCK, shared and exclusive
//   posix    pthread_rwlock_t
//
// With VITTE_HAS_THREADS=0, `shared_mutex` is null_mutex (vitte/sys/mutex.hpp).
#ifndef VITTE_SYS_SHARED_MUTEX_HPP
#define VITTE_SYS_SHARED_MUTEX_HPP

#include <vitte/base.hpp>
#include <vitte/base/detail/atomic.hpp>  // the futex words
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/mutex.hpp>  // null_mutex
#include <vitte/sys/operations.hpp>
#include <vitte/sys/platform.hpp>

#include <cstdint>      // std::uint32_t
#include <type_traits>  // backend selection

namespace vitte::sys {

namespace detail {
template <class P>
class futex_shared_mutex;
template <class P>
class native_shared_mutex;
}  // namespace detail

/// A readers-writer lock on policy P (backends: see the header).
/// Thread safety: every member may be called concurrently; unlock and
/// unlock_shared only by a thread holding the lock in that mode.
template <class P>
class basic_shared_mutex {
  VITTE_REQUIRE_CAPABILITY(P, sync);

 public:
  /// An unlocked shared mutex.
  basic_shared_mutex() noexcept = default;
  basic_shared_mutex(const basic_shared_mutex&) = delete;
  basic_shared_mutex& operator=(const basic_shared_mutex&) = delete;

  /// Blocks until the calling thread holds the lock exclusively.
  void lock() noexcept { impl_.lock(); }
  /// Takes the lock exclusively if nobody holds it; never blocks.
  [[nodiscard]] bool try_lock() noexcept { return impl_.try_lock(); }
  /// Releases the exclusive lock.
  void unlock() noexcept { impl_.unlock(); }

  /// Blocks until the calling thread shares the lock with other readers.
  void lock_shared() noexcept { impl_.lock_shared(); }
  /// Shares the lock if no writer holds or waits for it; never blocks.
  [[nodiscard]] bool try_lock_shared() noexcept { return impl_.try_lock_shared(); }
  /// Releases a shared lock.
  void unlock_shared() noexcept { impl_.unlock_shared(); }

 private:
  detail::lock_backend<P, detail::futex_shared_mutex, detail::native_shared_mutex> impl_;
};

#if VITTE_HAS_THREADS
/// The shared mutex of the default platform.
using shared_mutex = basic_shared_mutex<platform>;
#else
using shared_mutex = null_mutex;
#endif

}  // namespace vitte::sys

#include <vitte/sys/impl/shared_mutex.hpp>

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/thread.ipp>  // the backend's definitions
#endif

#endif  // VITTE_SYS_SHARED_MUTEX_HPP
