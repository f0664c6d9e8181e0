// Signals of posix_platform as readable descriptors: the self-pipe. A
// sigaction handler (SA_RESTART) writes one byte naming the signal into the
// pipe of every watch that wants it; the read end is the watch's handle,
// which any poller can wait on. Reached through vitte/sys/detail/signal.ipp.
//
// Limits: at most 8 watches at a time; the handler is installed while a
// watch wants the signal, and the previous disposition comes back when the
// last one closes. Closing a watch while a handler runs on another thread
// may let that handler write to the closed descriptor's number.
#ifndef VITTE_SYS_DETAIL_POSIX_SIGNAL_IPP
#define VITTE_SYS_DETAIL_POSIX_SIGNAL_IPP

#include <vitte/base/detail/atomic.hpp>
#include <vitte/sys/detail/posix/clock.hpp>
#include <vitte/sys/detail/posix/errno.hpp>
#include <vitte/sys/policy/posix.hpp>

#if !VITTE_OS_POSIX
#error "vitte: detail/posix/signal.ipp is for POSIX targets"
#endif

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

namespace vitte::sys::detail::posix_signal {

inline int number(signal_kind k) noexcept {
  switch (k) {
    case signal_kind::interrupt:
      return SIGINT;
    case signal_kind::terminate:
      return SIGTERM;
    case signal_kind::hangup:
      return SIGHUP;
    case signal_kind::child:
      return SIGCHLD;
  }
  return 0;
}

inline int kind_of(int sig) noexcept {
  for (std::size_t k = 0; k < signal_kind_count; ++k)
    if (number(static_cast<signal_kind>(k)) == sig) return static_cast<int>(k);
  return -1;
}

inline void fill(sigset_t& set, std::uint32_t mask) noexcept {
  sigemptyset(&set);
  for (std::size_t k = 0; k < signal_kind_count; ++k)
    if ((mask & (1u << k)) != 0) sigaddset(&set, number(static_cast<signal_kind>(k)));
}

struct watch_slot {
  vitte::detail::atomic<int> read_fd{-1};
  vitte::detail::atomic<int> write_fd{-1};
  vitte::detail::atomic<std::uint32_t> mask{0};
};
constexpr std::size_t max_watches = 8;

struct state {
  watch_slot slots[max_watches];
  struct sigaction saved[signal_kind_count];
  int users[signal_kind_count] = {};
  vitte::detail::atomic<int> lock{0};  // open and close only; never the handler
};
inline state& global() noexcept {
  static state s;
  return s;
}
struct lock_guard {
  lock_guard() noexcept {
    int expected = 0;
    while (!global().lock.compare_exchange_weak(expected, 1, vitte::detail::acquire)) {
      expected = 0;
      ::sched_yield();
    }
  }
  ~lock_guard() { global().lock.store(0, vitte::detail::release); }
};

// Async-signal-safe: atomic loads and write(2) only; errno is kept.
inline void on_signal(int sig) noexcept {
  int saved_errno = errno;
  int k = kind_of(sig);
  if (k >= 0) {
    unsigned char byte = static_cast<unsigned char>(k);
    for (watch_slot& s : global().slots) {
      int fd = s.write_fd.load(vitte::detail::acquire);
      if (fd >= 0 && (s.mask.load(vitte::detail::relaxed) & (1u << k)) != 0) (void)::write(fd, &byte, 1);
    }
  }
  errno = saved_errno;
}

}  // namespace vitte::sys::detail::posix_signal

namespace vitte::sys {

VITTE_DECL result<native_handle> os_platform_base::signal_open(std::uint32_t mask) noexcept {
  namespace d = detail::posix_signal;
  d::lock_guard g;
  d::watch_slot* slot = nullptr;
  for (d::watch_slot& s : d::global().slots)
    if (s.read_fd.load() < 0) {
      slot = &s;
      break;
    }
  if (slot == nullptr) return error{errc::limit_exceeded, ops::signal_watch};
  int fds[2];
  if (::pipe(fds) != 0) return detail::errno_error(ops::signal_watch, errno);
  for (int fd : fds) {
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  }
  slot->mask.store(mask);
  slot->read_fd.store(fds[0]);
  slot->write_fd.store(fds[1], vitte::detail::release);
  for (std::size_t k = 0; k < signal_kind_count; ++k) {
    if ((mask & (1u << k)) == 0 || d::global().users[k]++ != 0) continue;
    struct sigaction sa;
    ::memset(&sa, 0, sizeof sa);
    sa.sa_handler = &d::on_signal;
    sa.sa_flags = SA_RESTART | (k == static_cast<std::size_t>(signal_kind::child) ? SA_NOCLDSTOP : 0);
    sigfillset(&sa.sa_mask);
    ::sigaction(d::number(static_cast<signal_kind>(k)), &sa, &d::global().saved[k]);
  }
  return native_handle{fds[0]};
}

VITTE_DECL result<signal_kind> os_platform_base::signal_read(native_handle h) noexcept {
  namespace d = detail::posix_signal;
  unsigned char byte;
  for (;;) {
    ssize_t n = ::read(static_cast<int>(h), &byte, 1);
    if (n == 1 && byte < signal_kind_count) return static_cast<signal_kind>(byte);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return error{errc::would_block, ops::signal_watch};
    if (n < 0) return detail::errno_error(ops::signal_watch, errno);
    return error{errc::unexpected_eof, ops::signal_watch};
  }
}

// poll on the readable descriptor.
VITTE_DECL error os_platform_base::signal_wait(native_handle h, std::int64_t deadline_ns) noexcept {
  namespace d = detail::posix_signal;
  for (;;) {
    int timeout = -1;
    if (deadline_ns != INT64_MAX) {
      std::int64_t left = deadline_ns - detail::posix::clock_now(CLOCK_MONOTONIC);
      if (left < 0) left = 0;
      std::int64_t ms = (left + 999'999) / 1'000'000;
      timeout = ms > 1'000'000'000 ? 1'000'000'000 : static_cast<int>(ms);
    }
    struct pollfd pfd = {static_cast<int>(h), POLLIN, 0};
    int n = ::poll(&pfd, 1, timeout);
    if (n > 0) return {};
    if (n == 0 && timeout >= 0 && detail::posix::clock_now(CLOCK_MONOTONIC) >= deadline_ns)
      return error{errc::timed_out, ops::signal_watch};
    if (n < 0 && errno != EINTR) return detail::errno_error(ops::signal_watch, errno);
  }
}

VITTE_DECL void os_platform_base::signal_close(native_handle h, std::uint32_t mask) noexcept {
  namespace d = detail::posix_signal;
  d::lock_guard g;
  for (d::watch_slot& s : d::global().slots) {
    if (s.read_fd.load() != static_cast<int>(h)) continue;
    int w = s.write_fd.exchange(-1);
    s.mask.store(0);
    for (std::size_t k = 0; k < signal_kind_count; ++k)
      if ((mask & (1u << k)) != 0 && --d::global().users[k] == 0)
        ::sigaction(d::number(static_cast<signal_kind>(k)), &d::global().saved[k], nullptr);
    ::close(w);
    ::close(static_cast<int>(h));
    s.read_fd.store(-1);
    return;
  }
}

VITTE_DECL error os_platform_base::signal_block(std::uint32_t mask, bool block) noexcept {
  sigset_t set;
  detail::posix_signal::fill(set, mask);
  int rc = ::pthread_sigmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, nullptr);
  if (rc != 0) return detail::errno_error(ops::signal_mask, rc);
  return {};
}

// kill(getpid(), sig): to the process, not the thread.
VITTE_DECL error os_platform_base::signal_raise(signal_kind kind) noexcept {
  if (::kill(::getpid(), detail::posix_signal::number(kind)) != 0) return detail::errno_error(ops::signal_watch, errno);
  return {};
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_POSIX_SIGNAL_IPP
