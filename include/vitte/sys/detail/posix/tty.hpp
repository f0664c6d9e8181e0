// What the POSIX device backends share (serial.ipp, pseudo_terminal.ipp,
// terminal_mode.ipp): a terminal's errno as an error, and tcsetattr retried.
#ifndef VITTE_SYS_DETAIL_POSIX_TTY_HPP
#define VITTE_SYS_DETAIL_POSIX_TTY_HPP

#include <vitte/sys/detail/posix/errno.hpp>
#include <vitte/sys/device_types.hpp>

#include <errno.h>
#include <termios.h>

namespace vitte::sys::detail::posix_devices {

inline error fail(operation op, int code = errno) noexcept {
  if (code == ENOTTY) return error{errc::invalid_argument, op, code, error_domain::posix};
  return errno_error(op, code);
}

inline int retry_tcsetattr(int fd, const struct termios& t) noexcept {
  int rc;
  do rc = ::tcsetattr(fd, TCSANOW, &t);
  while (rc != 0 && errno == EINTR);
  return rc;
}

}  // namespace vitte::sys::detail::posix_devices

#endif  // VITTE_SYS_DETAIL_POSIX_TTY_HPP
