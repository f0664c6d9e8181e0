// vitte/sys/device_types.hpp - the vocabulary of serial ports, terminals and
// pseudo-terminals: line settings, modem lines, window sizes, and the
// operations device errors name.
//
//   sys::serial_settings s;                 // 115200 8N1, no flow control
//   s.baud = 921'600;                       // any rate the driver accepts
//   s.flow = sys::flow_control::hardware;   // RTS/CTS
//   s.line_parity = sys::parity::even;
//
// Used by vitte/sys/serial.hpp, pseudo_terminal.hpp and terminal_mode.hpp,
// and by the device policy (vitte/sys/policy/devices.hpp).
#ifndef VITTE_SYS_DEVICE_TYPES_HPP
#define VITTE_SYS_DEVICE_TYPES_HPP

#include <vitte/base/operation.hpp>
#include <vitte/base/text_view.hpp>

#include <cstddef>
#include <cstdint>

// clang-format off
#define VITTE_DEVICE_OPERATIONS(X)                                                                 \
  X(device_open) X(device_read) X(device_write) X(device_wait) X(serial_configure)                 \
  X(serial_settings) X(serial_modem) X(serial_break) X(serial_flush) X(serial_drain)               \
  X(serial_list) X(pty_open) X(terminal_size) X(terminal_mode) X(session_spawn) X(resize_watch)
// clang-format on

namespace vitte::sys {

/// The facility of device errors: "devices" in messages (device_open,
/// serial_configure, ...).
inline constexpr facility devices_facility = facility::devices;

/// The operations devices report in errors: dev_ops::device_open,
/// dev_ops::serial_configure, ... The OS calls they wrap carry the native code.
VITTE_OPERATIONS(dev_ops, devices_facility, "devices", VITTE_DEVICE_OPERATIONS);

/// Parity bit of each character.
enum class parity : std::uint8_t { none, odd, even, mark, space };
/// Stop bits after each character (one_and_half: Windows only, with 5 data bits).
enum class stop_bits : std::uint8_t { one, one_and_half, two };
/// Flow control: none, RTS/CTS lines, or XON/XOFF characters.
enum class flow_control : std::uint8_t { none, hardware, software };

/// How a serial line runs. The default is 115200 baud, 8 data bits, no
/// parity, one stop bit, no flow control (115200 8N1). Ports always run raw:
/// bytes pass unchanged, nothing is echoed, no character is special.
struct serial_settings {
  std::uint32_t baud = 115'200;  ///< Any rate the driver takes (arbitrary rates on Linux, macOS, Windows).
  std::uint8_t data_bits = 8;    ///< 5, 6, 7 or 8.
  parity line_parity = parity::none;
  stop_bits stop = stop_bits::one;
  flow_control flow = flow_control::none;
  friend constexpr bool operator==(const serial_settings&, const serial_settings&) = default;
};

/// The modem control and status lines, as bits: DTR and RTS are outputs,
/// CTS, DSR, DCD and RI inputs.
enum class modem_line : std::uint8_t { dtr = 1, rts = 2, cts = 4, dsr = 8, dcd = 16, ri = 32 };

/// A set of modem lines (the ones asserted).
struct modem_lines {
  std::uint8_t bits = 0;
  constexpr bool has(modem_line l) const noexcept { return (bits & static_cast<std::uint8_t>(l)) != 0; }
  constexpr modem_lines with(modem_line l, bool on = true) const noexcept {
    auto b = static_cast<std::uint8_t>(l);
    return modem_lines{static_cast<std::uint8_t>(on ? bits | b : bits & ~b)};
  }
  friend constexpr bool operator==(const modem_lines&, const modem_lines&) = default;
};

/// Which queue flush() empties.
enum class serial_queue : std::uint8_t { input, output, both };

/// A terminal's window: characters, and pixels where known (0 otherwise).
struct terminal_size {
  std::uint16_t rows = 24;
  std::uint16_t columns = 80;
  std::uint16_t width_px = 0;
  std::uint16_t height_px = 0;
  friend constexpr bool operator==(const terminal_size&, const terminal_size&) = default;
};

/// A terminal's modes as the OS keeps them (termios, console modes), saved
/// to be restored. Opaque; `valid` says whether it holds a saved mode.
struct saved_terminal_mode {
  alignas(8) unsigned char bytes[120] = {};
  bool valid = false;
};

/// Validates `s` without a device: the data bits, a non-zero rate, and
/// one-and-a-half stop bits only with 5 data bits. Returns the first field
/// that is wrong, or an empty view.
constexpr text_view check_serial_settings(const serial_settings& s) noexcept {
  if (s.baud == 0) return "baud rate 0";
  if (s.data_bits < 5 || s.data_bits > 8) return "data bits not 5, 6, 7 or 8";
  if (s.line_parity > parity::space) return "parity not none, odd, even, mark or space";
  if (s.stop > stop_bits::two) return "stop bits not 1, 1.5 or 2";
  if (s.flow > flow_control::software) return "flow control not none, hardware or software";
  if (s.stop == stop_bits::one_and_half && s.data_bits != 5) return "1.5 stop bits need 5 data bits";
  return {};
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DEVICE_TYPES_HPP
