// Serial lines and device handles of os_devices on POSIX: open, read,
// write and wait on a terminal device; termios settings read back after
// every change (Linux: any rate with termios2 and BOTHER; Darwin:
// IOSSIOSPEED), the TIOCM* modem ioctls, breaks, flushes, drains, and the
// ports present (/sys/class/tty, /dev/cu.*, /dev/cua*). Reached through
// the switch vitte/sys/detail/devices.ipp.
#ifndef VITTE_SYS_DETAIL_POSIX_SERIAL_IPP
#define VITTE_SYS_DETAIL_POSIX_SERIAL_IPP

#include <vitte/sys/detail/posix/clock.hpp>
#include <vitte/sys/detail/posix/errno.hpp>
#include <vitte/sys/detail/posix/tty.hpp>
#include <vitte/sys/policy/devices.hpp>

#if !VITTE_OS_POSIX
#error "vitte: detail/posix/serial.ipp is for POSIX targets"
#endif

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>  // snprintf
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>
#if VITTE_OS_DARWIN && __has_include(<IOKit/serial/ioss.h>)
#include <IOKit/serial/ioss.h>  // IOSSIOSPEED
#endif
#if VITTE_OS_DARWIN && !defined(IOSSIOSPEED)
#define IOSSIOSPEED _IOW('T', 2, speed_t)  // IOKit/serial/ioss.h, where the SDK lacks IOKit
#endif

namespace vitte::sys::detail::posix_devices {

// Linux's termios2 (asm/termbits.h, which cannot share a file with
// <termios.h>): the same on the architectures listed, where TCGETS2 exists.
#if VITTE_OS_LINUX && (defined(__x86_64__) || defined(__i386__) || defined(__aarch64__) || defined(__arm__) || \
                       defined(__riscv) || defined(__s390x__))
#define VITTE_HAS_TERMIOS2 1
struct termios2 {
  tcflag_t c_iflag, c_oflag, c_cflag, c_lflag;
  cc_t c_line;
  cc_t c_cc[19];
  speed_t c_ispeed, c_ospeed;
};
constexpr unsigned long get_termios2 = _IOR('T', 0x2A, struct termios2);
constexpr unsigned long set_termios2 = _IOW('T', 0x2B, struct termios2);
constexpr tcflag_t baud_mask = 0010017;   // CBAUD
constexpr tcflag_t other_baud = 0010000;  // BOTHER
constexpr tcflag_t in_baud_shift = 16;    // IBSHIFT
#else
#define VITTE_HAS_TERMIOS2 0
#endif

struct speed_entry {
  std::uint32_t baud;
  speed_t code;
};

// The rates termios names on every POSIX system, and the larger ones where
// the system has them.
inline constexpr speed_entry standard_speeds[] = {
    {50, B50},         {75, B75},     {110, B110},   {134, B134},     {150, B150},
    {200, B200},       {300, B300},   {600, B600},   {1200, B1200},   {1800, B1800},
    {2400, B2400},     {4800, B4800}, {9600, B9600}, {19200, B19200}, {38400, B38400},
#ifdef B57600
    {57600, B57600},
#endif
#ifdef B115200
    {115200, B115200},
#endif
#ifdef B230400
    {230400, B230400},
#endif
#ifdef B460800
    {460800, B460800},
#endif
#ifdef B921600
    {921600, B921600},
#endif
};

inline bool speed_code(std::uint32_t baud, speed_t& out) noexcept {
  for (const speed_entry& e : standard_speeds)
    if (e.baud == baud) {
      out = e.code;
      return true;
    }
  return false;
}

inline std::uint32_t speed_baud(speed_t code) noexcept {
#if VITTE_OS_DARWIN || VITTE_OS_BSD
  return static_cast<std::uint32_t>(code);  // speed_t is the rate itself there
#else
  for (const speed_entry& e : standard_speeds)
    if (e.code == code) return e.baud;
  return 0;
#endif
}

// Character size, parity, stop bits and flow control into `t`, raw;
// not_supported, with `why` naming the field, for what termios cannot say.
inline error encode_line(const serial_settings& s, struct termios& t, diagnostic* why) noexcept {
  ::cfmakeraw(&t);
  t.c_cflag |= CLOCAL | CREAD;
  t.c_cflag &= ~static_cast<tcflag_t>(CSIZE | PARENB | PARODD | CSTOPB);
  static constexpr tcflag_t sizes[] = {CS5, CS6, CS7, CS8};
  t.c_cflag |= sizes[s.data_bits - 5];
#ifdef CMSPAR
  t.c_cflag &= ~static_cast<tcflag_t>(CMSPAR);
#endif
  switch (s.line_parity) {
    case parity::none:
      break;
    case parity::odd:
      t.c_cflag |= PARENB | PARODD;
      break;
    case parity::even:
      t.c_cflag |= PARENB;
      break;
    case parity::mark:
    case parity::space:
#ifdef CMSPAR
      t.c_cflag |= PARENB | CMSPAR | (s.line_parity == parity::mark ? PARODD : 0);
      break;
#else
      serial_refused(why, errc::not_supported, serial_field::parity, s,
                     "this system's termios has no mark or space parity");
      return error{errc::not_supported, dev_ops::serial_configure};
#endif
  }
  if (s.line_parity != parity::none) t.c_iflag |= INPCK;
  if (s.stop == stop_bits::one_and_half) {
    serial_refused(why, errc::not_supported, serial_field::stop_bits, s, "termios has no 1.5 stop bits");
    return error{errc::not_supported, dev_ops::serial_configure};
  }
  if (s.stop == stop_bits::two) t.c_cflag |= CSTOPB;
  t.c_cflag &= ~static_cast<tcflag_t>(CRTSCTS);
  t.c_iflag &= ~static_cast<tcflag_t>(IXON | IXOFF | IXANY);
  if (s.flow == flow_control::hardware) t.c_cflag |= CRTSCTS;
  if (s.flow == flow_control::software) t.c_iflag |= IXON | IXOFF;
  t.c_cc[VMIN] = 1;
  t.c_cc[VTIME] = 0;
#ifdef CIBAUD
  t.c_cflag &= ~static_cast<tcflag_t>(CIBAUD);  // an earlier arbitrary input rate: the input follows the output
#endif
  return {};
}

inline serial_settings decode_line(const struct termios& t) noexcept {
  serial_settings s;
  switch (t.c_cflag & CSIZE) {
    case CS5:
      s.data_bits = 5;
      break;
    case CS6:
      s.data_bits = 6;
      break;
    case CS7:
      s.data_bits = 7;
      break;
    default:
      s.data_bits = 8;
  }
  s.line_parity = parity::none;
  if ((t.c_cflag & PARENB) != 0) s.line_parity = (t.c_cflag & PARODD) != 0 ? parity::odd : parity::even;
#ifdef CMSPAR
  if ((t.c_cflag & (PARENB | CMSPAR)) == (PARENB | CMSPAR))
    s.line_parity = (t.c_cflag & PARODD) != 0 ? parity::mark : parity::space;
#endif
  s.stop = (t.c_cflag & CSTOPB) != 0 ? stop_bits::two : stop_bits::one;
  s.flow = flow_control::none;
  if ((t.c_cflag & CRTSCTS) != 0) s.flow = flow_control::hardware;
  if ((t.c_iflag & (IXON | IXOFF)) == (IXON | IXOFF)) s.flow = flow_control::software;
  s.baud = speed_baud(::cfgetospeed(&t));
  return s;
}

// The driver refused settings the caller's check let through: not_supported.
inline error refused(int code) noexcept {
  if (code == EINVAL) return error{errc::not_supported, dev_ops::serial_configure, code, error_domain::posix};
  return fail(dev_ops::serial_configure, code);
}

// The rate: a standard one through termios, any other through termios2
// (Linux) or IOSSIOSPEED (Darwin) after the rest is set.
inline error apply_speed(int fd, struct termios& t, const serial_settings& s, bool& special, diagnostic* why) noexcept {
  speed_t code = 0;
  special = !speed_code(s.baud, code);
  if (!special) {
    ::cfsetispeed(&t, code);
    ::cfsetospeed(&t, code);
    return {};
  }
#if VITTE_HAS_TERMIOS2 || VITTE_OS_DARWIN
  (void)fd;
  (void)why;
  return {};
#else
  (void)fd;
  (void)t;
  serial_refused(why, errc::not_supported, serial_field::baud, s, "not a standard rate, and this system sets no other");
  return error{errc::not_supported, dev_ops::serial_configure};
#endif
}

// The rate the driver refused: `e`, with `why` naming it.
inline error rate_refused(error e, const serial_settings& s, diagnostic* why) noexcept {
  serial_refused(why, e.kind(), serial_field::baud, s, "refused by the driver");
  return e;
}

inline error apply_special_speed(int fd, const serial_settings& s, diagnostic* why) noexcept {
#if VITTE_HAS_TERMIOS2
  termios2 t2;
  if (::ioctl(fd, get_termios2, &t2) != 0) return rate_refused(fail(dev_ops::serial_configure), s, why);
  t2.c_cflag &= ~(baud_mask | (baud_mask << in_baud_shift));
  t2.c_cflag |= other_baud | (other_baud << in_baud_shift);
  t2.c_ispeed = s.baud;
  t2.c_ospeed = s.baud;
  if (::ioctl(fd, set_termios2, &t2) != 0) return rate_refused(refused(errno), s, why);
  return {};
#elif VITTE_OS_DARWIN
  speed_t rate = s.baud;
  if (::ioctl(fd, IOSSIOSPEED, &rate) != 0) return rate_refused(refused(errno), s, why);
  return {};
#else
  (void)fd;
  return rate_refused(error{errc::not_supported, dev_ops::serial_configure}, s, why);
#endif
}

// What the driver holds, the rate included.
inline error read_settings(int fd, serial_settings& out) noexcept {
  struct termios t;
  if (::tcgetattr(fd, &t) != 0) return fail(dev_ops::serial_settings);
  out = decode_line(t);
#if VITTE_HAS_TERMIOS2
  termios2 t2;
  // Split rates (input other than output) read as baud 0: not what serial_set asks for.
  if (::ioctl(fd, get_termios2, &t2) == 0) out.baud = t2.c_ispeed == t2.c_ospeed ? t2.c_ospeed : 0;
#endif
  return {};
}

// What the kernel holds beyond termios (Linux's exact rates), to put back.
struct saved_line {
#if VITTE_HAS_TERMIOS2
  termios2 t2;
#endif
  bool valid = false;
};

inline bool save_line(int fd, saved_line& out) noexcept {
#if VITTE_HAS_TERMIOS2
  out.valid = ::ioctl(fd, get_termios2, &out.t2) == 0;
#else
  (void)fd;
  out.valid = false;
#endif
  return out.valid;
}

inline void restore_line(int fd, const struct termios& t, const saved_line& line) noexcept {
  (void)retry_tcsetattr(fd, t);
#if VITTE_HAS_TERMIOS2
  if (line.valid) (void)::ioctl(fd, set_termios2, &line.t2);
#else
  (void)line;
#endif
}

inline int modem_bits(modem_lines m) noexcept {
  int bits = 0;
  if (m.has(modem_line::dtr)) bits |= TIOCM_DTR;
  if (m.has(modem_line::rts)) bits |= TIOCM_RTS;
  return bits;
}

}  // namespace vitte::sys::detail::posix_devices

namespace vitte::sys {

VITTE_DECL error os_devices::device_open(const char* name, native_handle& out) noexcept {
  int fd;
  do fd = ::open(name, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  if (fd < 0 && errno == ENXIO) {  // no device behind the node (an unplugged adapter), or a socket
    struct stat st;
    bool socket = ::stat(name, &st) == 0 && S_ISSOCK(st.st_mode);
    return error{socket ? errc::invalid_argument : errc::not_found, dev_ops::device_open, ENXIO, error_domain::posix};
  }
  if (fd < 0) return detail::errno_error(dev_ops::device_open, errno);
  if (::isatty(fd) != 1) {
    ::close(fd);
    return error{errc::invalid_argument, dev_ops::device_open, ENOTTY, error_domain::posix};
  }
  out = fd;
  return {};
}

VITTE_DECL void os_devices::device_close(native_handle h) noexcept { ::close(static_cast<int>(h)); }

// A terminal whose other side is gone reads EIO (Linux) or 0: the end.
VITTE_DECL error os_devices::device_read(native_handle h, void* p, std::size_t n, std::size_t& got) noexcept {
  ssize_t r = ::read(static_cast<int>(h), p, n);
  got = 0;
  if (r >= 0) {
    got = static_cast<std::size_t>(r);
    return {};
  }
  if (errno == EIO) return {};
  if (errno == EAGAIN || errno == EWOULDBLOCK)
    return error{errc::would_block, dev_ops::device_read, errno, error_domain::posix};
  return detail::errno_error(dev_ops::device_read, errno);
}

// A terminal whose other side is gone answers a write with EIO (the
// terminal side of a pseudo-terminal whose master closed, an adapter
// unplugged): broken_pipe, as a pipe nobody reads says it (EIO kept as the
// native code).
VITTE_DECL error os_devices::device_write(native_handle h, const void* p, std::size_t n, std::size_t& put) noexcept {
  ssize_t r = ::write(static_cast<int>(h), p, n);
  put = 0;
  if (r >= 0) {
    put = static_cast<std::size_t>(r);
    return {};
  }
  if (errno == EAGAIN || errno == EWOULDBLOCK)
    return error{errc::would_block, dev_ops::device_write, errno, error_domain::posix};
  if (errno == EIO) return error{errc::broken_pipe, dev_ops::device_write, EIO, error_domain::posix};
  return detail::errno_error(dev_ops::device_write, errno);
}

// poll(); a hang-up or an error counts as ready (the read or write that
// follows reports it).
VITTE_DECL error os_devices::device_wait(native_handle h, bool for_write, std::int64_t deadline_ns) noexcept {
  struct pollfd p = {static_cast<int>(h), static_cast<short>(for_write ? POLLOUT : POLLIN), 0};
  for (;;) {
    int ms = detail::posix::poll_timeout_ms(deadline_ns);
    int n = ::poll(&p, 1, ms);
    if (n > 0 && for_write && (p.revents & (POLLHUP | POLLERR)) != 0 && (p.revents & POLLOUT) == 0)
      return error{errc::broken_pipe, dev_ops::device_wait};  // nobody on the other side to take the bytes
    if (n > 0) return {};
    if (n < 0 && errno != EINTR) return detail::errno_error(dev_ops::device_wait, errno);
    if (n == 0 && ms == 0) return error{errc::timed_out, dev_ops::device_wait};
  }
}

VITTE_DECL error os_devices::serial_get(native_handle h, serial_settings& out) noexcept {
  return detail::posix_devices::read_settings(static_cast<int>(h), out);
}

// tcsetattr with the line and a standard rate, then the rate itself when
// it is not one; then read back: a driver that kept something else makes
// the call not_supported, and `why` names the first field it did not keep.
VITTE_DECL error os_devices::serial_set(native_handle h, const serial_settings& s, diagnostic* why) noexcept {
  namespace d = detail::posix_devices;
  int fd = static_cast<int>(h);
  struct termios before;
  if (::tcgetattr(fd, &before) != 0) {
    error e = d::fail(dev_ops::serial_configure);
    detail::serial_failed(why, e.kind(), "the line's settings could not be read (tcgetattr)");
    return e;
  }
  d::saved_line old;
  (void)d::save_line(fd, old);
  struct termios t = before;
  if (error e = d::encode_line(s, t, why)) return e;
  bool special = false;
  if (error e = d::apply_speed(fd, t, s, special, why)) return e;
  error e;
  serial_settings now;
  if (d::retry_tcsetattr(fd, t) != 0) {
    // The call as a whole: the line holds what it held, which says nothing
    // of the field refused.
    e = d::refused(errno);
    detail::serial_failed(why, e.kind(), "the driver refused the line settings (tcsetattr)");
  }
  if (!e && special) e = d::apply_special_speed(fd, s, why);
  if (!e) {
    e = d::read_settings(fd, now);
    if (e) detail::serial_failed(why, e.kind(), "the settings could not be read back");
  }
  if (!e && now != s) {
    e = error{errc::not_supported, dev_ops::serial_configure};
    detail::serial_not_kept(why, s, now);
  }
  if (e) d::restore_line(fd, before, old);  // a refused change leaves the line as it was
  return e;
}

VITTE_DECL error os_devices::serial_modem_get(native_handle h, modem_lines& out) noexcept {
  int bits = 0;
  if (::ioctl(static_cast<int>(h), TIOCMGET, &bits) != 0) {
    if (errno == EINVAL || errno == ENOTTY)
      return error{errc::not_supported, dev_ops::serial_modem, errno, error_domain::posix};
    return detail::errno_error(dev_ops::serial_modem, errno);
  }
  modem_lines m;
  m = m.with(modem_line::dtr, (bits & TIOCM_DTR) != 0).with(modem_line::rts, (bits & TIOCM_RTS) != 0);
  m = m.with(modem_line::cts, (bits & TIOCM_CTS) != 0).with(modem_line::dsr, (bits & TIOCM_DSR) != 0);
  m = m.with(modem_line::dcd, (bits & TIOCM_CAR) != 0).with(modem_line::ri, (bits & TIOCM_RNG) != 0);
  out = m;
  return {};
}

VITTE_DECL error os_devices::serial_modem_set(native_handle h, modem_lines which, bool on) noexcept {
  int bits = detail::posix_devices::modem_bits(which);
  if (::ioctl(static_cast<int>(h), on ? TIOCMBIS : TIOCMBIC, &bits) != 0) {
    if (errno == EINVAL || errno == ENOTTY)
      return error{errc::not_supported, dev_ops::serial_modem, errno, error_domain::posix};
    return detail::errno_error(dev_ops::serial_modem, errno);
  }
  return {};
}

// TIOCSBRK for `ms`, then TIOCCBRK; tcsendbreak where those are missing.
VITTE_DECL error os_devices::serial_break(native_handle h, std::uint32_t ms) noexcept {
  int fd = static_cast<int>(h);
#if defined(TIOCSBRK) && defined(TIOCCBRK)
  if (::ioctl(fd, TIOCSBRK, 0) != 0) return detail::posix_devices::fail(dev_ops::serial_break);
  std::int64_t until = detail::posix::clock_now(CLOCK_MONOTONIC) + std::int64_t{ms} * 1'000'000;
  while (detail::posix::sleep_until(CLOCK_MONOTONIC, until) == errc::interrupted) {
  }
  if (::ioctl(fd, TIOCCBRK, 0) != 0) return detail::posix_devices::fail(dev_ops::serial_break);
  return {};
#else
  (void)ms;
  if (::tcsendbreak(fd, 0) != 0) return detail::posix_devices::fail(dev_ops::serial_break);
  return {};
#endif
}

VITTE_DECL error os_devices::serial_flush(native_handle h, serial_queue q) noexcept {
  int which = q == serial_queue::input ? TCIFLUSH : q == serial_queue::output ? TCOFLUSH : TCIOFLUSH;
  if (::tcflush(static_cast<int>(h), which) != 0) return detail::posix_devices::fail(dev_ops::serial_flush);
  return {};
}

VITTE_DECL error os_devices::serial_drain(native_handle h) noexcept {
  int rc;
  do rc = ::tcdrain(static_cast<int>(h));
  while (rc != 0 && errno == EINTR);
  if (rc != 0) return detail::posix_devices::fail(dev_ops::serial_drain);
  return {};
}

// Linux: /sys/class/tty entries with a device, but the UART slots a
// serial driver reserves without hardware (type 0). Darwin: /dev/cu.*. The
// BSDs: /dev/cuaU*, /dev/cuau* (callout devices).
VITTE_DECL error os_devices::serial_list(void (*each)(void*, const char*, const char*), void* ctx) noexcept {
#if VITTE_OS_LINUX
  DIR* dir = ::opendir("/sys/class/tty");
  if (dir == nullptr) return errno == ENOENT ? error{} : detail::errno_error(dev_ops::serial_list, errno);
  while (struct dirent* e = ::readdir(dir)) {
    if (e->d_name[0] == '.') continue;
    char path[512], target[256] = {}, type[16] = {};
    ::snprintf(path, sizeof path, "/sys/class/tty/%s/device/driver", e->d_name);
    ssize_t n = ::readlink(path, target, sizeof target - 1);
    if (n <= 0) continue;  // a virtual terminal, a pseudo-terminal
    target[n] = '\0';
    ::snprintf(path, sizeof path, "/sys/class/tty/%s/type", e->d_name);
    int tf = ::open(path, O_RDONLY | O_CLOEXEC);
    if (tf >= 0) {
      ssize_t got = ::read(tf, type, sizeof type - 1);
      ::close(tf);
      if (got > 0 && type[0] == '0' && (type[1] == '\n' || type[1] == '\0')) continue;  // no UART there
    }
    const char* driver = ::strrchr(target, '/');
    if (driver != nullptr && ::strcmp(driver, "/port") == 0) {  // Linux 6.5's serial-base: the controller's driver
      ::snprintf(path, sizeof path, "/sys/class/tty/%s/device/../../driver", e->d_name);
      ssize_t m = ::readlink(path, target, sizeof target - 1);
      if (m > 0) target[m] = '\0';
      driver = m > 0 ? ::strrchr(target, '/') : driver;
    }
    char name[300];
    ::snprintf(name, sizeof name, "/dev/%s", e->d_name);
    each(ctx, name, driver != nullptr ? driver + 1 : target);
  }
  ::closedir(dir);
  return {};
#else
  DIR* dir = ::opendir("/dev");
  if (dir == nullptr) return detail::errno_error(dev_ops::serial_list, errno);
  while (struct dirent* e = ::readdir(dir)) {
#if VITTE_OS_DARWIN
    bool port = ::strncmp(e->d_name, "cu.", 3) == 0;
#else
    bool port = ::strncmp(e->d_name, "cuaU", 4) == 0 || ::strncmp(e->d_name, "cuau", 4) == 0;
#endif
    if (!port || ::strstr(e->d_name, ".init") != nullptr || ::strstr(e->d_name, ".lock") != nullptr) continue;
    char name[300];
    ::snprintf(name, sizeof name, "/dev/%s", e->d_name);
    each(ctx, name, "");
  }
  ::closedir(dir);
  return {};
#endif
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_POSIX_SERIAL_IPP
