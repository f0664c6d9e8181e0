// vitte/sys/serial.hpp - serial ports: open by name, configure, read and
// write with deadlines, modem lines, break, flush and drain.
//
//   namespace sys = vitte::sys;
//   sys::serial_settings s;                       // 115200 8N1
//   s.baud = 921'600;
//   vitte::diagnostic why;
//   auto port = sys::serial_port::open("/dev/ttyUSB0", s, &why);   // "COM3" on Windows
//   if (!port) std::puts(why.format().c_str());   // "/dev/ttyUSB0: baud rate 921600: the driver keeps 460800"
//   port->write(bytes, sys::deadline::after(std::chrono::seconds(1))).value();
//   std::byte buf[256];
//   std::size_t n = port->read(buf, sys::deadline::after(std::chrono::milliseconds(100))).value();
//   port->set_modem(sys::modem_lines{}.with(sys::modem_line::dtr), false).value();  // drop DTR
//   for (const sys::serial_port_info& p : sys::list_serial_ports().value()) std::puts(p.name.c_str());
//
// A port runs raw: bytes pass unchanged, nothing is echoed or translated.
// Any terminal device opens as a serial port, pseudo-terminals included
// (they keep the settings they are given and ignore most of them); a
// board's UART does too on freestanding targets ("uart0", ...).
// native() works with the poller on POSIX (a descriptor); the Windows
// poller watches sockets only: there, use the read and write deadlines.
//
// Opening is exclusive on Windows (busy when another program holds the
// port), not on POSIX. A read that the OS answers with EIO (a USB adapter
// unplugged, a pseudo-terminal hung up) reads as the end (0); a write the
// OS answers so is broken_pipe: nobody is left to take the bytes. Windows
// writes go through a 16 KiB buffer per port: write() returns once the
// bytes are in it, a failure shows at the next write or drain(), and
// close() waits for it about as long as the bytes take at the port's rate.
//
// Errors: device_open (not_found, permission_denied, busy, invalid_argument
// for a device that is not a terminal), serial_configure (invalid_argument:
// a setting no driver takes; not_supported: a rate or combination the
// driver refuses), device_wait (timed_out; broken_pipe for a write nobody
// is left to take), device_read / device_write (the OS's; broken_pipe for
// a write nobody is left to take), serial_modem, serial_break,
// serial_flush, serial_drain; bad_descriptor from any call on a closed
// port. open(), open_as_is() and configure() also say it as a
// vitte::diagnostic through `why`: its kind is the error's, its subject
// the device's name (open, open_as_is: configure has no name), and a
// configure error names the field refused with its value ("baud rate
// 250000: the driver keeps 38400", "data bits 9: not 5, 6, 7 or 8").
// Thread safety: a port is a value; one reader and one writer at a time.
#ifndef VITTE_SYS_SERIAL_HPP
#define VITTE_SYS_SERIAL_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>         // list_serial_ports
#include <vitte/base/detail/chrono.hpp>  // std::chrono::milliseconds, without <chrono>
#include <vitte/base/diagnostic.hpp>     // what open and configure say
#include <vitte/base/span.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/sys/device_capabilities.hpp>
#include <vitte/sys/device_types.hpp>
#include <vitte/sys/policy/devices.hpp>
#include <vitte/sys/time.hpp>  // deadlines

#include <cstddef>
#include <cstdint>

namespace vitte::sys {

/// One port found by list_serial_ports().
struct serial_port_info {
  text name;         ///< What open() takes: /dev/ttyUSB0, COM3.
  text description;  ///< The driver or device, when the OS says (may be empty).
};

/// An open serial port (or terminal device). Move-only; closes its handle
/// when destroyed.
template <class P = device_platform>
class basic_serial_port {
  VITTE_REQUIRE_DEVICE_CAPABILITY(P, serial);

 public:
  using policy = P;
  using deadline_type = basic_deadline<typename P::platform_policy>;  // sys::deadline

  basic_serial_port() noexcept = default;
  basic_serial_port(basic_serial_port&& other) noexcept : h_(other.h_) { other.h_ = invalid_handle; }
  basic_serial_port& operator=(basic_serial_port&& other) noexcept;
  basic_serial_port(const basic_serial_port&) = delete;
  basic_serial_port& operator=(const basic_serial_port&) = delete;
  ~basic_serial_port() { close(); }

  /// Opens the device `name` and applies `settings` (raw mode included).
  /// Errors: device_open, serial_configure (see the header); `why`, when
  /// given, is filled on failure: the kind, `name` as the subject, and
  /// what was wrong ("no such device", the field configure refused).
  static result<basic_serial_port> open(text_view name, const serial_settings& settings = {},
                                        diagnostic* why = nullptr);
  /// Opens `name` as it is, changing no setting (a terminal someone else
  /// configured, a pseudo-terminal's own side). `why` as for open().
  static result<basic_serial_port> open_as_is(text_view name, diagnostic* why = nullptr);

  /// Applies `settings`; the port is raw afterwards. Errors
  /// (serial_configure): invalid_argument (check_serial_settings),
  /// not_supported (the driver kept another rate or framing). `why`, when
  /// given, is filled on failure: the kind and the field refused, with its
  /// value ("data bits 7: the driver keeps 8"); no subject (the port does
  /// not keep its name: a caller that knows it adds it).
  status configure(const serial_settings& settings, diagnostic* why = nullptr) noexcept;
  /// The settings the device holds now (read back from the driver).
  result<serial_settings> settings() const noexcept;

  /// Reads what has arrived, waiting until at least one byte has or `d`
  /// passes (errc::timed_out). 0 means the other side hung up (a
  /// pseudo-terminal whose program ended). An empty `out` returns 0 at once.
  result<std::size_t> read(span<std::byte> out, deadline_type d = deadline_type::never()) noexcept;
  /// Reads exactly out.size() bytes, or fails: timed_out at `d`,
  /// unexpected_eof when the other side hung up first.
  status read_exact(span<std::byte> out, deadline_type d = deadline_type::never()) noexcept;
  /// Writes all of `data` before `d`, or fails with errc::timed_out (what
  /// was written before stays written: use write_some to know how much).
  status write(span<const std::byte> data, deadline_type d = deadline_type::never()) noexcept;
  status write(text_view data, deadline_type d = deadline_type::never()) noexcept;
  /// Writes what the device takes before `d`: at least one byte, or
  /// errc::timed_out.
  result<std::size_t> write_some(span<const std::byte> data, deadline_type d = deadline_type::never()) noexcept;

  /// The modem lines asserted now (outputs DTR, RTS and inputs CTS, DSR,
  /// DCD, RI). Errors (serial_modem): not_supported where the device has
  /// none (a Linux pseudo-terminal).
  result<modem_lines> modem() const noexcept;
  /// Asserts (`on`) or clears the output lines in `which` (DTR, RTS; an
  /// input line is invalid_argument).
  status set_modem(modem_lines which, bool on) noexcept;
  /// Sends a break: the line held low for `duration` (1 ms to 60 s, else
  /// invalid_argument), blocking the calling thread meanwhile. Where the OS
  /// has no TIOCSBRK, tcsendbreak holds it 0.25 to 0.5 s.
  status send_break(std::chrono::milliseconds duration = std::chrono::milliseconds(250)) noexcept;
  /// Discards what was received and not read (input), written and not
  /// sent (output), or both.
  status flush(serial_queue which = serial_queue::both) noexcept;
  /// Waits until everything written has been sent (no deadline: flow
  /// control can hold it).
  status drain() noexcept;

  /// The OS handle (a descriptor, a HANDLE; the port index on a board).
  native_handle native() const noexcept { return h_; }
  bool is_open() const noexcept { return h_ != invalid_handle; }
  explicit operator bool() const noexcept { return is_open(); }
  /// Closes the port (idempotent).
  void close() noexcept;

 private:
  explicit basic_serial_port(native_handle h) noexcept : h_(h) {}
  native_handle h_ = invalid_handle;
};

/// The serial ports present, in natural order of their names (ttyS2 before
/// ttyS10). Errors: serial_list.
template <class P = device_platform>
result<buffer<serial_port_info>> list_serial_ports();

/// Serial ports of the default device policy.
using serial_port = basic_serial_port<device_platform>;

}  // namespace vitte::sys

#include <vitte/sys/impl/serial.hpp>
#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/devices.ipp>
#endif

#endif  // VITTE_SYS_SERIAL_HPP
