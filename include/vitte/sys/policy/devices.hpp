// vitte/sys/policy/devices.hpp - the default device policy:
// vitte::sys::device_platform.
//
// The one backend switch of serial ports, terminals and pseudo-terminals.
// On an OS it is the platform policy (vitte/sys/platform.hpp) plus
// os_devices, whose functions each OS defines in its backend files (see
// os_devices below):
//
//   serial     POSIX termios (cfsetspeed; Linux termios2 with BOTHER for any
//              rate; Darwin IOSSIOSPEED), TIOCM* modem ioctls, tcsendbreak
//              / TIOCSBRK, tcflush, tcdrain; ports listed from
//              /sys/class/tty (Linux), /dev/cu.* (Darwin), /dev/cua*
//              (BSD). Windows: CreateFile on \\.\COMn, DCB, EscapeCommFunction,
//              GetCommModemStatus, SetCommBreak, PurgeComm, the registry's
//              HARDWARE\DEVICEMAP\SERIALCOMM.
//   pty        posix_openpt, grantpt, unlockpt, ptsname(_r); a session
//              child is forked, calls setsid and TIOCSCTTY on the terminal.
//              Windows: CreatePseudoConsole (Windows 10 1809).
//   modes      tcgetattr/cfmakeraw/tcsetattr; SIGWINCH through a self-pipe.
//              Windows: console modes.
//
// Freestanding builds use board_devices<board> (policy/board_devices.hpp):
// the board's UARTs as serial ports.
#ifndef VITTE_SYS_POLICY_DEVICES_HPP
#define VITTE_SYS_POLICY_DEVICES_HPP

#include <vitte/base/config.hpp>
#include <vitte/sys/device_capabilities.hpp>
#include <vitte/sys/platform.hpp>

#if VITTE_POLICY == VITTE_POLICY_FREESTANDING
#include <vitte/sys/policy/board_devices.hpp>
namespace vitte::sys {
using device_platform = board_devices<board>;
}  // namespace vitte::sys
#else
namespace vitte::sys {

/// The device functions of an OS, over its platform policy. Definitions:
/// vitte/sys/detail/posix/{serial,pseudo_terminal,terminal_mode}.ipp and
/// vitte/sys/detail/win32/{serial,pseudo_console,console_mode}.ipp.
struct os_devices : platform {
  using platform_policy = platform;

  // device handles
  static VITTE_DECL error device_open(const char* name, native_handle& out) noexcept;
  static VITTE_DECL void device_close(native_handle h) noexcept;
  static VITTE_DECL error device_read(native_handle h, void* p, std::size_t n, std::size_t& got) noexcept;
  static VITTE_DECL error device_write(native_handle h, const void* p, std::size_t n, std::size_t& put) noexcept;
  static VITTE_DECL error device_wait(native_handle h, bool for_write, std::int64_t deadline_ns) noexcept;

  // serial lines
  static VITTE_DECL error serial_get(native_handle h, serial_settings& out) noexcept;
  static VITTE_DECL error serial_set(native_handle h, const serial_settings& s, diagnostic* why) noexcept;
  static VITTE_DECL error serial_modem_get(native_handle h, modem_lines& out) noexcept;
  static VITTE_DECL error serial_modem_set(native_handle h, modem_lines which, bool on) noexcept;
  static VITTE_DECL error serial_break(native_handle h, std::uint32_t ms) noexcept;
  static VITTE_DECL error serial_flush(native_handle h, serial_queue q) noexcept;
  static VITTE_DECL error serial_drain(native_handle h) noexcept;
  static VITTE_DECL error serial_list(void (*each)(void*, const char*, const char*), void* ctx) noexcept;

  // terminals and pseudo-terminals
  static VITTE_DECL error pty_open(native_pty& out, const terminal_size& size, char* name, std::size_t n) noexcept;
  static VITTE_DECL void pty_close(const native_pty& pty) noexcept;
  static VITTE_DECL error terminal_size_get(native_handle h, terminal_size& out) noexcept;
  static VITTE_DECL error terminal_size_set(const native_pty& pty, const terminal_size& size) noexcept;
  static VITTE_DECL error session_spawn(const spawn_request& req, native_handle terminal, native_process& out) noexcept;
  static VITTE_DECL error terminal_mode_save(native_handle h, saved_terminal_mode& out) noexcept;
  static VITTE_DECL error terminal_mode_raw(native_handle h, saved_terminal_mode& saved) noexcept;
  static VITTE_DECL error terminal_mode_restore(native_handle h, const saved_terminal_mode& mode) noexcept;
  static VITTE_DECL error resize_watch_open(native_handle& out) noexcept;
  static VITTE_DECL void resize_watch_close(native_handle h) noexcept;
  static VITTE_DECL bool resize_watch_take(native_handle h) noexcept;
};

/// The default device policy.
using device_platform = os_devices;

}  // namespace vitte::sys
#endif

#endif  // VITTE_SYS_POLICY_DEVICES_HPP
