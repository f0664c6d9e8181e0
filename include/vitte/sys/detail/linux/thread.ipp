// Threads and synchronisation of linux_platform (see vitte/sys/policy/linux.hpp):
// the futex, thread names and CPU affinity.
#ifndef VITTE_SYS_DETAIL_LINUX_THREAD_IPP
#define VITTE_SYS_DETAIL_LINUX_THREAD_IPP

#include <vitte/sys/detail/posix/clock.hpp>
#include <vitte/sys/detail/posix/errno.hpp>
#include <vitte/sys/policy/linux.hpp>

#include <climits>  // INT_MAX, INT64_MAX

#include <errno.h>        // errno
#include <linux/futex.h>  // FUTEX_*
#include <sched.h>        // sched_setaffinity, sched_getcpu
#include <sys/prctl.h>    // PR_SET_NAME, PR_GET_NAME
#include <sys/syscall.h>  // SYS_futex
#include <unistd.h>       // syscall
#if __has_include(<sys/single_threaded.h>)
#include <sys/single_threaded.h>  // __libc_single_threaded (glibc 2.32)
#endif

namespace vitte::sys {

namespace detail::linux_os {

using detail::errno_error;  // brought in by the `using namespace` of the platform functions

// The kernel's limit on thread names (TASK_COMM_LEN), with the NUL.
constexpr std::size_t thread_name_capacity = 16;

// 32-bit targets built with a 64-bit time_t must use the time64 futex call;
// the others pass their struct timespec to the classic one.
inline long futex(const void* addr, int op, std::uint32_t value, const struct timespec* timeout,
                  std::uint32_t mask) noexcept {
#if defined(SYS_futex_time64)
  if constexpr (sizeof(time_t) > sizeof(long))
    return ::syscall(SYS_futex_time64, addr, op, value, timeout, nullptr, mask);
#endif
#if defined(SYS_futex)
  return ::syscall(SYS_futex, addr, op, value, timeout, nullptr, mask);
#else
  return ::syscall(SYS_futex_time64, addr, op, value, timeout, nullptr, mask);
#endif
}

}  // namespace detail::linux_os

VITTE_DECL error linux_platform::thread_set_name(const char* name) noexcept {
  // Truncate to what the kernel keeps, at a UTF-8 character boundary.
  char buf[detail::linux_os::thread_name_capacity] = {};
  std::size_t n = 0;
  while (n + 1 < sizeof buf && name[n] != '\0') {
    buf[n] = name[n];
    ++n;
  }
  bool cut = name[n] != '\0';
  while (cut && n > 0 && (static_cast<unsigned char>(name[n]) & 0xC0) == 0x80) buf[--n] = '\0';
  if (::prctl(PR_SET_NAME, buf, 0, 0, 0) != 0) return detail::errno_error(ops::thread_set_name);
  return {};
}

VITTE_DECL error linux_platform::thread_get_name(char* buf, std::size_t n) noexcept {
  char name[detail::linux_os::thread_name_capacity] = {};
  if (::prctl(PR_GET_NAME, name, 0, 0, 0) != 0) return detail::errno_error(ops::thread_get_name);
  if (n == 0) return {};
  std::size_t i = 0;
  for (; i + 1 < n && name[i] != '\0'; ++i) buf[i] = name[i];
  buf[i] = '\0';
  return {};
}

VITTE_DECL error linux_platform::thread_set_affinity(const std::uint64_t* mask, std::size_t words) noexcept {
  cpu_set_t set;
  CPU_ZERO(&set);
  for (std::size_t cpu = 0; cpu < words * 64; ++cpu) {
    if ((mask[cpu / 64] >> (cpu % 64) & 1) == 0) continue;
    if (cpu >= CPU_SETSIZE) return error{errc::invalid_argument, ops::thread_set_affinity};
    CPU_SET(cpu, &set);
  }
  if (::sched_setaffinity(0, sizeof set, &set) != 0) return detail::errno_error(ops::thread_set_affinity);
  return {};
}

VITTE_DECL int linux_platform::thread_current_cpu() noexcept { return ::sched_getcpu(); }

VITTE_DECL error linux_platform::wait_on_address(const void* addr, std::uint32_t expected,
                                                 std::int64_t deadline_ns) noexcept {
  // FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC time (FUTEX_WAIT a
  // relative one, which would drift across retries).
  struct timespec ts;
  const struct timespec* timeout = nullptr;
  if (deadline_ns != INT64_MAX) {
    ts = detail::posix::to_timespec(deadline_ns);
    timeout = &ts;
  }
  long rc =
      detail::linux_os::futex(addr, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, expected, timeout, FUTEX_BITSET_MATCH_ANY);
  if (rc == 0) return {};
  int e = errno;
  if (e == EAGAIN) return {};  // the word no longer held `expected`
  if (e == ETIMEDOUT) return error{errc::timed_out, ops::wait_on_address, e, error_domain::posix};
  if (e == EINTR) return error{errc::interrupted, ops::wait_on_address, e, error_domain::posix};
  return detail::errno_error(ops::wait_on_address, e);
}

VITTE_DECL void linux_platform::wake_on_address(const void* addr, bool all) noexcept {
  detail::linux_os::futex(addr, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, all ? INT_MAX : 1, nullptr, 0);
}

VITTE_DECL bool linux_platform::single_threaded() noexcept {
#if __has_include(<sys/single_threaded.h>)
  return __libc_single_threaded != 0;
#else
  return false;  // musl and older glibc: always take the atomic path
#endif
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_LINUX_THREAD_IPP
