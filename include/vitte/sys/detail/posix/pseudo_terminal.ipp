// Pseudo-terminals of os_devices on POSIX: posix_openpt, grantpt,
// unlockpt, the terminal side opened by name, window sizes (TIOCGWINSZ,
// TIOCSWINSZ), and a child started as a session on the terminal through
// process.ipp's fork/exec. Reached through the switch
// vitte/sys/detail/devices.ipp.
#ifndef VITTE_SYS_DETAIL_POSIX_PSEUDO_TERMINAL_IPP
#define VITTE_SYS_DETAIL_POSIX_PSEUDO_TERMINAL_IPP

#include <vitte/sys/detail/posix/errno.hpp>
#include <vitte/sys/detail/posix/process.ipp>  // the fork/exec child of a session
#include <vitte/sys/detail/posix/tty.hpp>
#include <vitte/sys/policy/devices.hpp>

#if !VITTE_OS_POSIX
#error "vitte: detail/posix/pseudo_terminal.ipp is for POSIX targets"
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>  // posix_openpt, grantpt, unlockpt, ptsname
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

namespace vitte::sys {

// posix_openpt (non-blocking master), grantpt, unlockpt, the slave opened
// without becoming anyone's controlling terminal, the window set.
VITTE_DECL error os_devices::pty_open(native_pty& out, const terminal_size& size, char* name, std::size_t n) noexcept {
#if VITTE_OS_LINUX || VITTE_OS_BSD
  int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);  // no window for another thread's fork
#else
  int master = ::posix_openpt(O_RDWR | O_NOCTTY);  // Darwin takes no O_CLOEXEC here
#endif
  if (master < 0) return detail::errno_error(dev_ops::pty_open, errno);
  ::fcntl(master, F_SETFD, FD_CLOEXEC);
  ::fcntl(master, F_SETFL, ::fcntl(master, F_GETFL) | O_NONBLOCK);
  auto give_up = [&](int code) {
    ::close(master);
    return detail::errno_error(dev_ops::pty_open, code);
  };
  if (::grantpt(master) != 0 || ::unlockpt(master) != 0) return give_up(errno);
#if VITTE_OS_LINUX
  if (int rc = ::ptsname_r(master, name, n); rc != 0) return give_up(rc);
#else
  const char* slave_name = ::ptsname(master);  // Darwin, the BSDs: one static buffer
  if (slave_name == nullptr || ::strlen(slave_name) >= n) return give_up(slave_name == nullptr ? errno : ERANGE);
  ::memcpy(name, slave_name, ::strlen(slave_name) + 1);
#endif
  int slave;
  do slave = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  while (slave < 0 && errno == EINTR);
  if (slave < 0) return give_up(errno);
  struct winsize ws = {size.rows, size.columns, size.width_px, size.height_px};
  if (::ioctl(master, TIOCSWINSZ, &ws) != 0) {
    ::close(slave);
    return give_up(errno);
  }
  out.input = master;
  out.output = master;
  out.terminal = slave;
  return {};
}

VITTE_DECL void os_devices::pty_close(const native_pty& pty) noexcept {
  if (pty.terminal != invalid_handle) ::close(static_cast<int>(pty.terminal));
  if (pty.output != invalid_handle) ::close(static_cast<int>(pty.output));
}

VITTE_DECL error os_devices::terminal_size_get(native_handle h, terminal_size& out) noexcept {
  struct winsize ws;
  if (::ioctl(static_cast<int>(h), TIOCGWINSZ, &ws) != 0) return detail::posix_devices::fail(dev_ops::terminal_size);
  out = terminal_size{ws.ws_row, ws.ws_col, ws.ws_xpixel, ws.ws_ypixel};
  return {};
}

VITTE_DECL error os_devices::terminal_size_set(const native_pty& pty, const terminal_size& size) noexcept {
  struct winsize ws = {size.rows, size.columns, size.width_px, size.height_px};
  if (::ioctl(static_cast<int>(pty.output), TIOCSWINSZ, &ws) != 0)
    return detail::posix_devices::fail(dev_ops::terminal_size);
  return {};
}

// process.ipp's fork/exec, whose child first calls setsid and takes
// `terminal` as its controlling terminal (TIOCSCTTY). Its session is its
// group.
VITTE_DECL error os_devices::session_spawn(const spawn_request& req, native_handle terminal,
                                           native_process& out) noexcept {
  int tty = static_cast<int>(terminal);
  if (terminal == invalid_handle || ::isatty(tty) != 1) return error{errc::invalid_argument, dev_ops::session_spawn};
  spawn_request leader = req;
  leader.new_group = false;  // setsid makes the group
  error e = detail::posix_process::fork_exec(leader, out, dev_ops::session_spawn, [tty] {
    return ::setsid() < 0 || ::ioctl(tty, TIOCSCTTY, 0) != 0 ? errno : 0;
  });
  if (!e) out.group = out.id;
  return e;
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_POSIX_PSEUDO_TERMINAL_IPP
