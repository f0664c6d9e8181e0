// Processes of linux_platform: the POSIX way plus a pidfd per child, so
// that a wait with a deadline sleeps in poll() until the child exits.
// Reached through the switch vitte/sys/detail/process.ipp.
#ifndef VITTE_SYS_DETAIL_LINUX_PROCESS_IPP
#define VITTE_SYS_DETAIL_LINUX_PROCESS_IPP

#include <vitte/sys/detail/posix/process.ipp>
#include <vitte/sys/policy/linux.hpp>

#if !VITTE_OS_LINUX
#error "vitte: detail/linux/process.ipp is for Linux targets"
#endif

#include <errno.h>
#include <poll.h>
#include <sys/syscall.h>  // SYS_pidfd_open
#include <sys/wait.h>
#include <unistd.h>

namespace vitte::sys {

VITTE_DECL error linux_platform::process_spawn(const spawn_request& req, native_process& out) noexcept {
  if (error e = posix_platform::process_spawn(req, out)) return e;
#if defined(SYS_pidfd_open)
  // Close-on-exec by definition; ENOSYS before Linux 5.3: waits then poll waitpid.
  long fd = ::syscall(SYS_pidfd_open, static_cast<pid_t>(out.id), 0u);
  if (fd >= 0) out.handle = static_cast<native_handle>(fd);
#endif
  return {};
}

VITTE_DECL error linux_platform::process_wait(native_process& p, std::int64_t deadline_ns, exit_status& out) noexcept {
  namespace d = detail::posix_process;
  if (p.handle == invalid_handle || deadline_ns == INT64_MAX) return posix_platform::process_wait(p, deadline_ns, out);
  pid_t pid = static_cast<pid_t>(p.id);
  for (;;) {
    int st = 0;
    int r = ::waitpid(pid, &st, WNOHANG);
    if (r < 0) return detail::errno_error(ops::process_wait, errno);
    if (r == pid) {
      out = d::decode(st);
      return {};
    }
    std::int64_t left = deadline_ns - d::monotonic_ns();
    if (left <= 0) return error{errc::timed_out, ops::process_wait};
    std::int64_t ms = (left + 999'999) / 1'000'000;
    struct pollfd pfd = {static_cast<int>(p.handle), POLLIN, 0};
    int n = ::poll(&pfd, 1, ms > 1'000'000'000 ? 1'000'000'000 : static_cast<int>(ms));
    if (n < 0 && errno != EINTR) return detail::errno_error(ops::process_wait, errno);
  }
}

VITTE_DECL void linux_platform::process_release(native_process& p, bool keep_running) noexcept {
  posix_platform::process_release(p, keep_running);
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_LINUX_PROCESS_IPP
