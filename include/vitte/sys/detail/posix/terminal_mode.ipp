// Terminal modes and window-size watches of os_devices on POSIX: raw
// mode with cfmakeraw, recorded process-wide so that exit() and fatal
// signals restore it, and SIGWINCH written to self-pipes. Reached through
// the switch vitte/sys/detail/devices.ipp.
#ifndef VITTE_SYS_DETAIL_POSIX_TERMINAL_MODE_IPP
#define VITTE_SYS_DETAIL_POSIX_TERMINAL_MODE_IPP

#include <vitte/base/detail/atomic.hpp>
#include <vitte/sys/detail/posix/errno.hpp>
#include <vitte/sys/detail/posix/process.ipp>  // make_pipe
#include <vitte/sys/detail/posix/tty.hpp>
#include <vitte/sys/policy/devices.hpp>

#if !VITTE_OS_POSIX
#error "vitte: detail/posix/terminal_mode.ipp is for POSIX targets"
#endif

#include <cstdint>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>  // atexit
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

namespace vitte::sys::detail::posix_devices {

// Process-wide records of terminals in raw mode, restored at exit() and on
// fatal signals. Each holds its own duplicate of the terminal's descriptor
// (close-on-exec), so that a restore reaches that terminal even once the
// caller's number was closed and reused. A slot is claimed (state 1),
// filled, then published (2); the handler and atexit read published slots
// only, and only those of the process that made them (a forked child
// exiting leaves its parent's terminal alone), newest first (nested modes
// unwind in order).
struct raw_slot {
  ::vitte::detail::atomic<int> state{0};
  pid_t owner = 0;
  unsigned order = 0;
  int terminal = -1;  // our duplicate
  struct termios saved;
};
inline raw_slot raw_slots[8];
inline ::vitte::detail::atomic<unsigned> raw_order{0};
inline ::vitte::detail::atomic<int> raw_hooks_installed{0};
inline constexpr int fatal_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
inline struct sigaction previous_fatal[4];

// How a saved_terminal_mode holds the modes and the slot that records them.
struct saved_layout {
  struct termios modes;
  int slot;
};
static_assert(sizeof(saved_layout) <= sizeof(saved_terminal_mode::bytes), "saved_terminal_mode too small for termios");

// Async-signal-safe: getpid, tcsetattr.
inline void restore_all_raw() noexcept {
  pid_t self = ::getpid();
  unsigned done_above = ~0u;  // restore in decreasing order
  for (;;) {
    raw_slot* next = nullptr;
    for (raw_slot& s : raw_slots)
      if (s.state.load(::vitte::detail::acquire) == 2 && s.owner == self && s.order < done_above &&
          (next == nullptr || s.order > next->order))
        next = &s;
    if (next == nullptr) return;
    done_above = next->order;
    (void)::tcsetattr(next->terminal, TCSANOW, &next->saved);
  }
}

inline void restore_and_reraise(int sig) noexcept {
  int saved_errno = errno;
  restore_all_raw();
  for (std::size_t i = 0; i < 4; ++i)
    if (fatal_signals[i] == sig) ::sigaction(sig, &previous_fatal[i], nullptr);
  ::raise(sig);
  errno = saved_errno;
}

inline void install_raw_hooks() noexcept {
  int expected = 0;
  if (!raw_hooks_installed.compare_exchange(expected, 1, ::vitte::detail::acq_rel, ::vitte::detail::acquire)) return;
  ::atexit([] { restore_all_raw(); });
  for (std::size_t i = 0; i < 4; ++i) {
    struct sigaction old;
    if (::sigaction(fatal_signals[i], nullptr, &old) != 0) continue;
    if (old.sa_handler != SIG_DFL || (old.sa_flags & SA_SIGINFO) != 0) continue;  // the program's own
    previous_fatal[i] = old;
    struct sigaction act;
    ::memset(&act, 0, sizeof act);
    act.sa_handler = restore_and_reraise;
    sigemptyset(&act.sa_mask);
    ::sigaction(fatal_signals[i], &act, nullptr);
  }
}

// The self-pipes of resize watches. A pipe, once made, stays for the life
// of the process (a closed watch only frees its slot): the handler may
// write to any of them at any time without racing a close that would let
// the number go to another file.
struct resize_slot {
  ::vitte::detail::atomic<int> write_fd{-1};
  ::vitte::detail::atomic<int> read_fd{-1};
  ::vitte::detail::atomic<int> in_use{0};
};
inline resize_slot resize_slots[16];
inline struct sigaction previous_winch;

// Wakes every watch, then calls the handler that was there before ours
// (plain or SA_SIGINFO).
// A handler that chains back to ours (installed after our first watch, it
// calls "the previous one", then a later watch put ours in front of it)
// re-enters on the same thread: that entry returns at once. A delivery on
// another thread meanwhile runs in full.
inline ::vitte::detail::atomic<std::uintptr_t> window_change_thread{0};

inline std::uintptr_t this_thread_key() noexcept { return reinterpret_cast<std::uintptr_t>(&errno); }

inline void on_window_change(int sig, siginfo_t* info, void* context) noexcept {
  std::uintptr_t self = this_thread_key();
  if (window_change_thread.load(::vitte::detail::acquire) == self) return;
  std::uintptr_t none = 0;
  bool owner = window_change_thread.compare_exchange(none, self, ::vitte::detail::acq_rel, ::vitte::detail::acquire);
  int saved_errno = errno;
  for (resize_slot& s : resize_slots) {
    int fd = s.write_fd.load(::vitte::detail::acquire);
    if (fd >= 0) (void)!::write(fd, "w", 1);
  }
  // SIG_DFL and SIG_IGN are the same bits in either member of the union.
  bool callable = previous_winch.sa_handler != SIG_DFL && previous_winch.sa_handler != SIG_IGN;
  if (callable && (previous_winch.sa_flags & SA_SIGINFO) != 0) previous_winch.sa_sigaction(sig, info, context);
  if (callable && (previous_winch.sa_flags & SA_SIGINFO) == 0) previous_winch.sa_handler(sig);
  errno = saved_errno;
  if (owner) window_change_thread.store(0, ::vitte::detail::release);
}

// Puts on_window_change in place unless it is there: at the first watch,
// and again when the program installed its own handler since (which ours
// then calls).
inline void install_winch_handler() noexcept {
  struct sigaction now;
  if (::sigaction(SIGWINCH, nullptr, &now) != 0) return;
  if ((now.sa_flags & SA_SIGINFO) != 0 && now.sa_sigaction == on_window_change) return;
  struct sigaction act;
  ::memset(&act, 0, sizeof act);
  act.sa_sigaction = on_window_change;
  act.sa_flags = SA_RESTART | SA_SIGINFO;
  sigemptyset(&act.sa_mask);
  previous_winch = now;
  ::sigaction(SIGWINCH, &act, nullptr);
}

}  // namespace vitte::sys::detail::posix_devices

namespace vitte::sys {

VITTE_DECL error os_devices::terminal_mode_save(native_handle h, saved_terminal_mode& out) noexcept {
  detail::posix_devices::saved_layout layout;
  if (::tcgetattr(static_cast<int>(h), &layout.modes) != 0) return detail::posix_devices::fail(dev_ops::terminal_mode);
  layout.slot = -1;
  ::memcpy(out.bytes, &layout, sizeof layout);
  out.valid = true;
  return {};
}

// Records the modes saved in `saved` in a free slot (restored at exit and
// on fatal signals; the slot's number goes back into `saved`), then
// cfmakeraw.
VITTE_DECL error os_devices::terminal_mode_raw(native_handle h, saved_terminal_mode& saved) noexcept {
  namespace d = detail::posix_devices;
  int fd = static_cast<int>(h);
  if (!saved.valid || ::isatty(fd) != 1) return error{errc::invalid_argument, dev_ops::terminal_mode};
  d::saved_layout layout;
  ::memcpy(&layout, saved.bytes, sizeof layout);
  int index = -1;
  for (int i = 0; i < 8 && index < 0; ++i) {
    int expected = 0;
    if (d::raw_slots[i].state.compare_exchange(expected, 1, ::vitte::detail::acq_rel, ::vitte::detail::acquire))
      index = i;
  }
  if (index < 0) return error{errc::limit_exceeded, dev_ops::terminal_mode};
  d::raw_slot& slot = d::raw_slots[index];
  int terminal = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  if (terminal < 0) {
    int code = errno;
    slot.state.store(0, ::vitte::detail::release);
    return d::fail(dev_ops::terminal_mode, code);
  }
  slot.owner = ::getpid();
  slot.order = d::raw_order.fetch_add(1, ::vitte::detail::acq_rel);
  slot.terminal = terminal;
  slot.saved = layout.modes;
  slot.state.store(2, ::vitte::detail::release);
  d::install_raw_hooks();
  layout.slot = index;
  ::memcpy(saved.bytes, &layout, sizeof layout);
  struct termios t = layout.modes;
  ::cfmakeraw(&t);
  if (d::retry_tcsetattr(fd, t) != 0) {
    int code = errno;
    slot.state.store(0, ::vitte::detail::release);
    ::close(terminal);
    return d::fail(dev_ops::terminal_mode, code);
  }
  return {};
}

// Puts the saved modes back on the terminal the record holds (whatever
// `h` names now), then drops the record (in that order: a fatal signal in
// between still finds it). A record another process made (this is a
// forked child) is its maker's to restore: the terminal is left alone.
VITTE_DECL error os_devices::terminal_mode_restore(native_handle h, const saved_terminal_mode& mode) noexcept {
  namespace d = detail::posix_devices;
  if (!mode.valid) return error{errc::invalid_argument, dev_ops::terminal_mode};
  d::saved_layout layout;
  ::memcpy(&layout, mode.bytes, sizeof layout);
  d::raw_slot* slot = layout.slot >= 0 && layout.slot < 8 ? &d::raw_slots[layout.slot] : nullptr;
  if (slot == nullptr) {
    if (d::retry_tcsetattr(static_cast<int>(h), layout.modes) != 0) return d::fail(dev_ops::terminal_mode);
    return {};
  }
  if (slot->owner != ::getpid()) return {};
  int rc = d::retry_tcsetattr(slot->terminal, layout.modes);
  int code = errno;
  int terminal = slot->terminal;
  slot->state.store(0, ::vitte::detail::release);
  ::close(terminal);
  if (rc != 0) return d::fail(dev_ops::terminal_mode, code);
  return {};
}

// A free slot's non-blocking self-pipe (made the first time the slot is
// used, kept afterwards: see resize_slot), written by the SIGWINCH handler.
VITTE_DECL error os_devices::resize_watch_open(native_handle& out) noexcept {
  namespace d = detail::posix_devices;
  for (d::resize_slot& s : d::resize_slots) {
    int free = 0;
    if (!s.in_use.compare_exchange(free, 1, ::vitte::detail::acq_rel, ::vitte::detail::acquire)) continue;
    if (s.read_fd.load(::vitte::detail::acquire) < 0) {
      int fds[2];
      if (detail::posix_process::make_pipe(fds) != 0) {
        int code = errno;
        s.in_use.store(0, ::vitte::detail::release);
        return detail::errno_error(dev_ops::resize_watch, code);
      }
      ::fcntl(fds[0], F_SETFL, O_NONBLOCK);
      ::fcntl(fds[1], F_SETFL, O_NONBLOCK);
      s.write_fd.store(fds[1], ::vitte::detail::release);
      s.read_fd.store(fds[0], ::vitte::detail::release);
    }
    int fd = s.read_fd.load(::vitte::detail::acquire);
    (void)resize_watch_take(fd);  // news from before this watch is not its news
    d::install_winch_handler();
    out = fd;
    return {};
  }
  return error{errc::limit_exceeded, dev_ops::resize_watch};
}

// Frees the slot; its pipe stays for the next watch.
VITTE_DECL void os_devices::resize_watch_close(native_handle h) noexcept {
  namespace d = detail::posix_devices;
  for (d::resize_slot& s : d::resize_slots) {
    if (s.read_fd.load(::vitte::detail::acquire) != static_cast<int>(h)) continue;
    s.in_use.store(0, ::vitte::detail::release);
    return;
  }
}

VITTE_DECL bool os_devices::resize_watch_take(native_handle h) noexcept {
  char buf[64];
  bool any = false;
  for (;;) {
    ssize_t n = ::read(static_cast<int>(h), buf, sizeof buf);
    if (n > 0) {
      any = true;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return any;
  }
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_POSIX_TERMINAL_MODE_IPP
