// vitte/sys/device_types.hpp - the vocabulary of serial ports, terminals and
// pseudo-terminals: line settings, modem lines, window sizes, and the
// operations device errors name.
//
//   sys::serial_settings s;                 // 115200 8N1, no flow control
//   s.baud = 921'600;                       // any rate the driver accepts
//   s.flow = sys::flow_control::hardware;   // RTS/CTS
//   s.line_parity = sys::parity::even;
//   vitte::diagnostic why;
//   if (!sys::check_serial_settings(s, &why)) std::puts(why.format().c_str());  // "data bits 9: not 5, 6, 7 or 8"
//
// Used by vitte/sys/serial.hpp, pseudo_terminal.hpp and terminal_mode.hpp,
// and by the device policy (vitte/sys/policy/devices.hpp).
#ifndef VITTE_SYS_DEVICE_TYPES_HPP
#define VITTE_SYS_DEVICE_TYPES_HPP

#include <vitte/base/diagnostic.hpp>  // check_serial_settings, and what configure() says
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

/// The names the settings print with: "none", "odd", "even", "mark",
/// "space"; "1", "1.5", "2"; "none", "hardware", "software". Empty for a
/// value outside the enumeration.
constexpr text_view to_string(parity p) noexcept {
  constexpr text_view names[] = {"none", "odd", "even", "mark", "space"};
  return p <= parity::space ? names[static_cast<std::uint8_t>(p)] : text_view();
}
constexpr text_view to_string(stop_bits s) noexcept {
  constexpr text_view names[] = {"1", "1.5", "2"};
  return s <= stop_bits::two ? names[static_cast<std::uint8_t>(s)] : text_view();
}
constexpr text_view to_string(flow_control f) noexcept {
  constexpr text_view names[] = {"none", "hardware", "software"};
  return f <= flow_control::software ? names[static_cast<std::uint8_t>(f)] : text_view();
}

namespace detail {

// A field of serial_settings, as a configure error names it.
enum class serial_field : std::uint8_t { baud, data_bits, parity, stop_bits, flow };

// The value of field `f` of `s`: "921600", "7", "mark", "1.5", "hardware";
// "(value 9)" for a value an enumeration does not have.
constexpr void append_serial_value(diagnostic& d, serial_field f, const serial_settings& s) noexcept {
  std::uint64_t raw = 0;
  text_view name;
  switch (f) {
    case serial_field::baud:
      d.append(std::uint64_t{s.baud});
      return;
    case serial_field::data_bits:
      d.append(std::uint64_t{s.data_bits});
      return;
    case serial_field::parity:
      name = to_string(s.line_parity);
      raw = static_cast<std::uint8_t>(s.line_parity);
      break;
    case serial_field::stop_bits:
      name = to_string(s.stop);
      raw = static_cast<std::uint8_t>(s.stop);
      break;
    case serial_field::flow:
      name = to_string(s.flow);
      raw = static_cast<std::uint8_t>(s.flow);
      break;
  }
  if (!name.empty()) {
    d.append(name);
    return;
  }
  d.append("(value ").append(raw).append(")");
}

// Sets the message of `d` to "FIELD VALUE: " ("baud rate 921600: ", "parity
// mark: "), the field named as people name it.
constexpr void say_serial_field(diagnostic& d, serial_field f, const serial_settings& s) noexcept {
  constexpr text_view names[] = {"baud rate ", "data bits ", "parity ", "stop bits ", "flow control "};
  d.say(names[static_cast<std::uint8_t>(f)]);
  append_serial_value(d, f, s);
  d.append(": ");
}

// Fills `why`, when given, anew: `kind` and `message` (a failure that
// names no field: the call as a whole, reading the line back).
constexpr void serial_failed(diagnostic* why, errc kind, text_view message) noexcept {
  if (why == nullptr) return;
  why->clear();
  why->of(kind).say(message);
}

// Fills `why`, when given, anew: `kind`, "FIELD VALUE: reason".
constexpr void serial_refused(diagnostic* why, errc kind, serial_field f, const serial_settings& s,
                              text_view reason) noexcept {
  if (why == nullptr) return;
  why->clear();
  say_serial_field(why->of(kind), f, s);
  why->append(reason);
}

// Fills `why`, when given, anew for a driver that kept `kept` when asked
// for `asked`: not_supported, and the first field that differs ("data bits
// 7: the driver keeps 8").
constexpr void serial_not_kept(diagnostic* why, const serial_settings& asked, const serial_settings& kept) noexcept {
  if (why == nullptr) return;
  why->clear();
  serial_field f = serial_field::flow;
  if (asked.baud != kept.baud)
    f = serial_field::baud;
  else if (asked.data_bits != kept.data_bits)
    f = serial_field::data_bits;
  else if (asked.line_parity != kept.line_parity)
    f = serial_field::parity;
  else if (asked.stop != kept.stop)
    f = serial_field::stop_bits;
  say_serial_field(why->of(errc::not_supported), f, asked);
  why->append("the driver keeps ");
  append_serial_value(*why, f, kept);
}

}  // namespace detail

/// Validates `s` without a device: the data bits, a non-zero rate, the
/// enumerations' values, and one-and-a-half stop bits only with 5 data
/// bits. False when a field is wrong; `why` (when given) then names the
/// first, with its value (invalid_argument: "data bits 9: not 5, 6, 7 or 8").
constexpr bool check_serial_settings(const serial_settings& s, diagnostic* why = nullptr) noexcept {
  using detail::serial_field;
  const auto wrong = [&](serial_field f, text_view reason) {
    detail::serial_refused(why, errc::invalid_argument, f, s, reason);
    return false;
  };
  if (s.baud == 0) return wrong(serial_field::baud, "not a rate");
  if (s.data_bits < 5 || s.data_bits > 8) return wrong(serial_field::data_bits, "not 5, 6, 7 or 8");
  if (s.line_parity > parity::space) return wrong(serial_field::parity, "not none, odd, even, mark or space");
  if (s.stop > stop_bits::two) return wrong(serial_field::stop_bits, "not 1, 1.5 or 2");
  if (s.flow > flow_control::software) return wrong(serial_field::flow, "not none, hardware or software");
  if (s.stop == stop_bits::one_and_half && s.data_bits != 5)
    return wrong(serial_field::stop_bits, "only with 5 data bits");
  return true;
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DEVICE_TYPES_HPP
