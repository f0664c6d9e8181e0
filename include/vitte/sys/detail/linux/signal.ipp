// Signals of linux_platform: signalfd. Reached through
// vitte/sys/detail/signal.ipp.
//
// The watched signals are blocked in the calling thread (signalfd only
// sees signals nobody takes); closing the watch unblocks those that were
// not blocked before it opened. A signal left unread then gets its default
// action.
#ifndef VITTE_SYS_DETAIL_LINUX_SIGNAL_IPP
#define VITTE_SYS_DETAIL_LINUX_SIGNAL_IPP

#include <vitte/sys/detail/posix/signal.ipp>
#include <vitte/sys/policy/linux.hpp>

#if !VITTE_OS_LINUX
#error "vitte: detail/linux/signal.ipp is for Linux targets"
#endif

#include <errno.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

namespace vitte::sys::detail::linux_signal {

// Which signals each open signalfd blocked itself (to unblock at close).
struct record {
  int fd = -1;
  std::uint32_t blocked = 0;
};
inline record records[16];

}  // namespace vitte::sys::detail::linux_signal

namespace vitte::sys {

VITTE_DECL result<native_handle> linux_platform::signal_open(std::uint32_t mask) noexcept {
  namespace d = detail::posix_signal;
  namespace l = detail::linux_signal;
  sigset_t set, old;
  d::fill(set, mask);
  int rc = ::pthread_sigmask(SIG_BLOCK, &set, &old);
  if (rc != 0) return detail::errno_error(ops::signal_mask, rc);
  std::uint32_t newly = 0;
  for (std::size_t k = 0; k < signal_kind_count; ++k)
    if ((mask & (1u << k)) != 0 && sigismember(&old, d::number(static_cast<signal_kind>(k))) == 0) newly |= 1u << k;
  int fd = ::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  if (fd < 0) {
    int code = errno;
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
    return detail::errno_error(ops::signal_watch, code);
  }
  d::lock_guard g;
  for (l::record& r : l::records)
    if (r.fd < 0) {
      r = l::record{fd, newly};
      break;
    }
  return native_handle{fd};
}

VITTE_DECL result<signal_kind> linux_platform::signal_read(native_handle h) noexcept {
  namespace d = detail::posix_signal;
  for (;;) {
    struct signalfd_siginfo info;
    ssize_t n = ::read(static_cast<int>(h), &info, sizeof info);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return error{errc::would_block, ops::signal_watch};
    if (n < 0) return detail::errno_error(ops::signal_watch, errno);
    int k = d::kind_of(static_cast<int>(info.ssi_signo));
    if (k >= 0) return static_cast<signal_kind>(k);
  }
}

VITTE_DECL void linux_platform::signal_close(native_handle h, std::uint32_t) noexcept {
  namespace d = detail::posix_signal;
  namespace l = detail::linux_signal;
  std::uint32_t unblock = 0;
  {
    d::lock_guard g;
    for (l::record& r : l::records)
      if (r.fd == static_cast<int>(h)) {
        unblock = r.blocked;
        r = l::record{};
        break;
      }
  }
  ::close(static_cast<int>(h));
  if (unblock != 0) (void)posix_platform::signal_block(unblock, false);
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_LINUX_SIGNAL_IPP
