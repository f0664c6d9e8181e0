// Threads and synchronisation of posix_platform: pthreads, and waiting on
// addresses through a table of parking slots. Header-only mode includes this
// from vitte/sys/policy/posix.hpp; compiled mode compiles it in src/vitte.cpp.
#ifndef VITTE_SYS_DETAIL_POSIX_THREAD_IPP
#define VITTE_SYS_DETAIL_POSIX_THREAD_IPP

#include <vitte/sys/detail/parking_table.hpp>
#include <vitte/sys/detail/posix/clock.hpp>
#include <vitte/sys/detail/posix/errno.hpp>
#include <vitte/sys/policy/posix.hpp>

#include <climits>      // INT64_MAX
#include <cstring>      // std::memcpy of pthread_t
#include <type_traits>  // std::is_trivially_copyable_v

#include <errno.h>    // EAGAIN, ETIMEDOUT
#include <limits.h>   // PTHREAD_STACK_MIN
#include <pthread.h>  // pthread_*
#include <sched.h>    // sched_yield

namespace vitte::sys {

// The opaque storage the policy header declares must hold the native types.
static_assert(sizeof(pthread_mutex_t) <= posix_platform::mutex_size &&
                  alignof(pthread_mutex_t) <= posix_platform::mutex_align,
              "vitte: posix_platform::mutex_size is too small for pthread_mutex_t");
static_assert(sizeof(pthread_cond_t) <= posix_platform::condition_size &&
                  alignof(pthread_cond_t) <= posix_platform::condition_align,
              "vitte: posix_platform::condition_size is too small for pthread_cond_t");
static_assert(sizeof(pthread_rwlock_t) <= posix_platform::shared_mutex_size &&
                  alignof(pthread_rwlock_t) <= posix_platform::shared_mutex_align,
              "vitte: posix_platform::shared_mutex_size is too small for pthread_rwlock_t");
static_assert(sizeof(pthread_t) <= sizeof(std::uintptr_t) && std::is_trivially_copyable_v<pthread_t>,
              "vitte: pthread_t must fit a thread handle (std::uintptr_t)");

namespace detail::posix {

inline pthread_t to_pthread(std::uintptr_t handle) noexcept {
  pthread_t t;
  std::memcpy(&t, &handle, sizeof t);
  return t;
}

inline std::uintptr_t from_pthread(pthread_t t) noexcept {
  std::uintptr_t handle = 0;
  std::memcpy(&handle, &t, sizeof t);
  return handle;
}

inline error thread_error(int rc, operation op) noexcept {
  // pthread_create's EAGAIN is a limit on threads, not "try again later".
  return rc == EAGAIN ? error{errc::limit_exceeded, op, rc, error_domain::posix} : errno_error(op, rc);
}

inline void* thread_main(void* start) noexcept {
  auto* run = static_cast<void (**)(void*)>(start);
  (*run)(start);
  return nullptr;
}

// Condition variables time out on the monotonic clock, so that setting the
// wall clock does not move a deadline. Darwin cannot select the clock and
// waits relative to now instead.
inline void condition_init_monotonic(pthread_cond_t* c) noexcept {
#if VITTE_OS_DARWIN
  ::pthread_cond_init(c, nullptr);
#else
  pthread_condattr_t attr;
  ::pthread_condattr_init(&attr);
  ::pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  ::pthread_cond_init(c, &attr);
  ::pthread_condattr_destroy(&attr);
#endif
}

// Waits on c (m held) until woken or the monotonic clock reaches
// deadline_ns; false once the deadline has passed.
inline bool condition_wait_until(pthread_cond_t* c, pthread_mutex_t* m, std::int64_t deadline_ns) noexcept {
  if (deadline_ns == INT64_MAX) {
    ::pthread_cond_wait(c, m);
    return true;
  }
#if VITTE_OS_DARWIN
  std::int64_t left = deadline_ns - clock_now(CLOCK_MONOTONIC);
  if (left <= 0) return false;
  struct timespec ts = to_timespec(left);
  return ::pthread_cond_timedwait_relative_np(c, m, &ts) != ETIMEDOUT;
#else
  struct timespec ts = to_timespec(deadline_ns);
  return ::pthread_cond_timedwait(c, m, &ts) != ETIMEDOUT;
#endif
}

// The parking table's native objects.
struct parking_native {
  using mutex_type = pthread_mutex_t;
  using cond_type = pthread_cond_t;
  static void init(pthread_mutex_t& m, pthread_cond_t& c) noexcept {
    ::pthread_mutex_init(&m, nullptr);
    condition_init_monotonic(&c);
  }
  static void lock(pthread_mutex_t& m) noexcept { ::pthread_mutex_lock(&m); }
  static void unlock(pthread_mutex_t& m) noexcept { ::pthread_mutex_unlock(&m); }
  static bool wait(pthread_cond_t& c, pthread_mutex_t& m, std::int64_t deadline_ns) noexcept {
    return condition_wait_until(&c, &m, deadline_ns);
  }
  static void wake_all(pthread_cond_t& c) noexcept { ::pthread_cond_broadcast(&c); }
};

inline pthread_mutex_t* as_mutex(void* m) noexcept { return static_cast<pthread_mutex_t*>(m); }
inline pthread_cond_t* as_cond(void* c) noexcept { return static_cast<pthread_cond_t*>(c); }
inline pthread_rwlock_t* as_rwlock(void* m) noexcept { return static_cast<pthread_rwlock_t*>(m); }

}  // namespace detail::posix

// pthread_create running (*start)(start); stack_size 0 is the default,
// others are rounded up to PTHREAD_STACK_MIN and the page size.
// Errors: limit_exceeded (EAGAIN), no_memory, invalid_argument.
VITTE_DECL error os_platform_base::thread_create(std::uintptr_t& handle, void (**start)(void*),
                                                 std::size_t stack_size) noexcept {
  pthread_t t;
  if (stack_size == 0) {
    int rc = ::pthread_create(&t, nullptr, &detail::posix::thread_main, start);
    if (rc != 0) return detail::posix::thread_error(rc, ops::thread_create);
    handle = detail::posix::from_pthread(t);
    return {};
  }
  std::size_t min = static_cast<std::size_t>(PTHREAD_STACK_MIN);
  std::size_t page = page_size();
  std::size_t size = stack_size < min ? min : stack_size;
  size = (size + page - 1) / page * page;
  pthread_attr_t attr;
  ::pthread_attr_init(&attr);
  int rc = ::pthread_attr_setstacksize(&attr, size);
  if (rc == 0) rc = ::pthread_create(&t, &attr, &detail::posix::thread_main, start);
  ::pthread_attr_destroy(&attr);
  if (rc != 0) return detail::posix::thread_error(rc, ops::thread_create);
  handle = detail::posix::from_pthread(t);
  return {};
}

VITTE_DECL error os_platform_base::thread_join(std::uintptr_t handle) noexcept {
  int rc = ::pthread_join(detail::posix::to_pthread(handle), nullptr);
  if (rc != 0) return detail::posix::thread_error(rc, ops::thread_join);
  return {};
}

VITTE_DECL error os_platform_base::thread_detach(std::uintptr_t handle) noexcept {
  int rc = ::pthread_detach(detail::posix::to_pthread(handle));
  if (rc != 0) return detail::posix::thread_error(rc, ops::thread_join);
  return {};
}

// The pthread_t, as thread_current_id() reports it inside the thread.
VITTE_DECL std::uint64_t os_platform_base::thread_id_of(std::uintptr_t handle) noexcept { return handle; }

VITTE_DECL std::uint64_t os_platform_base::thread_current_id() noexcept {
  return detail::posix::from_pthread(::pthread_self());
}

VITTE_DECL void os_platform_base::thread_yield() noexcept { ::sched_yield(); }

VITTE_DECL error os_platform_base::thread_set_name(const char*) noexcept {
  return error{errc::not_supported, ops::thread_set_name};
}

VITTE_DECL error os_platform_base::thread_get_name(char*, std::size_t) noexcept {
  return error{errc::not_supported, ops::thread_get_name};
}

VITTE_DECL error os_platform_base::thread_set_affinity(const std::uint64_t*, std::size_t) noexcept {
  return error{errc::not_supported, ops::thread_set_affinity};
}

VITTE_DECL int os_platform_base::thread_current_cpu() noexcept { return -1; }

VITTE_DECL error os_platform_base::wait_on_address(const void* addr, std::uint32_t expected,
                                                   std::int64_t deadline_ns) noexcept {
  return detail::parking_table<detail::posix::parking_native>::instance().wait(addr, expected, deadline_ns);
}

VITTE_DECL void os_platform_base::wake_on_address(const void* addr, bool) noexcept {
  detail::parking_table<detail::posix::parking_native>::instance().wake(addr);
}

VITTE_DECL void os_platform_base::mutex_init(void* m) noexcept {
  ::pthread_mutex_init(detail::posix::as_mutex(m), nullptr);
}

VITTE_DECL void os_platform_base::mutex_destroy(void* m) noexcept {
  ::pthread_mutex_destroy(detail::posix::as_mutex(m));
}

VITTE_DECL void os_platform_base::mutex_lock(void* m) noexcept { ::pthread_mutex_lock(detail::posix::as_mutex(m)); }

VITTE_DECL bool os_platform_base::mutex_try_lock(void* m) noexcept {
  return ::pthread_mutex_trylock(detail::posix::as_mutex(m)) == 0;
}

VITTE_DECL void os_platform_base::mutex_unlock(void* m) noexcept { ::pthread_mutex_unlock(detail::posix::as_mutex(m)); }

VITTE_DECL void os_platform_base::condition_init(void* c) noexcept {
  detail::posix::condition_init_monotonic(detail::posix::as_cond(c));
}

VITTE_DECL void os_platform_base::condition_destroy(void* c) noexcept {
  ::pthread_cond_destroy(detail::posix::as_cond(c));
}

// Waits on `c` with mutex `m` held; errc::timed_out once the monotonic
// clock reaches deadline_ns. May wake spuriously.
VITTE_DECL error os_platform_base::condition_wait(void* c, void* m, std::int64_t deadline_ns) noexcept {
  if (detail::posix::condition_wait_until(detail::posix::as_cond(c), detail::posix::as_mutex(m), deadline_ns))
    return {};
  return error{errc::timed_out, ops::condition_wait, ETIMEDOUT, error_domain::posix};
}

VITTE_DECL void os_platform_base::condition_notify(void* c, bool all) noexcept {
  if (all) {
    ::pthread_cond_broadcast(detail::posix::as_cond(c));
    return;
  }
  ::pthread_cond_signal(detail::posix::as_cond(c));
}

VITTE_DECL void os_platform_base::shared_mutex_init(void* m) noexcept {
  ::pthread_rwlock_init(detail::posix::as_rwlock(m), nullptr);
}

VITTE_DECL void os_platform_base::shared_mutex_destroy(void* m) noexcept {
  ::pthread_rwlock_destroy(detail::posix::as_rwlock(m));
}

VITTE_DECL void os_platform_base::shared_mutex_lock(void* m) noexcept {
  ::pthread_rwlock_wrlock(detail::posix::as_rwlock(m));
}

VITTE_DECL bool os_platform_base::shared_mutex_try_lock(void* m) noexcept {
  return ::pthread_rwlock_trywrlock(detail::posix::as_rwlock(m)) == 0;
}

VITTE_DECL void os_platform_base::shared_mutex_unlock(void* m) noexcept {
  ::pthread_rwlock_unlock(detail::posix::as_rwlock(m));
}

VITTE_DECL void os_platform_base::shared_mutex_lock_shared(void* m) noexcept {
  // EAGAIN: the implementation's limit of read locks; wait for one to go.
  while (::pthread_rwlock_rdlock(detail::posix::as_rwlock(m)) == EAGAIN) ::sched_yield();
}

VITTE_DECL bool os_platform_base::shared_mutex_try_lock_shared(void* m) noexcept {
  return ::pthread_rwlock_tryrdlock(detail::posix::as_rwlock(m)) == 0;
}

VITTE_DECL void os_platform_base::shared_mutex_unlock_shared(void* m) noexcept {
  ::pthread_rwlock_unlock(detail::posix::as_rwlock(m));
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_POSIX_THREAD_IPP
