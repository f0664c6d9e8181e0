// vitte/sys/policy/board_devices.hpp - a freestanding board's UARTs as
// serial ports.
//
// board_devices<Board> is the device policy of freestanding builds
// (vitte/sys/policy/devices.hpp makes board_devices<board> the default):
// freestanding_platform<Board> plus the serial capability over the UARTs the
// Board type supplies. What the board lacks, the policy lacks: without the
// UART hooks, serial_port fails to compile with a message naming the
// 'serial' capability.
//
//   struct my_board {
//     // ... ticks() and ticks_per_second, as for freestanding_platform ...
//     // Required for serial ports: how many UARTs ("uart0" .. "uart1"), and
//     // one byte moved without waiting, per port index: false when the
//     // transmitter is full (nothing written) or nothing has arrived.
//     static constexpr std::size_t uart_count = 2;
//     static bool uart_put(std::size_t port, std::byte b) noexcept;
//     static bool uart_get(std::size_t port, std::byte& b) noexcept;
//     // Optional: runs the port at `baud` (8N1), e.g. divider = clock / baud;
//     // false when the hardware cannot reach the rate. Without it the rate
//     // is the one the board set up, taken to be 115200.
//     static bool uart_configure(std::size_t port, std::uint32_t baud) noexcept;
//     // Optional: true once everything written has left the transmitter.
//     static bool uart_tx_done(std::size_t port) noexcept;
//     // Optional: what list_serial_ports() says of a port (default "UART").
//     static const char* uart_description(std::size_t port) noexcept;
//   };
//
//   // As on a hosted target (sys::serial_port is basic_serial_port<board_devices<board>>):
//   auto port = sys::serial_port::open("uart0").value();  // 115200 8N1
//   port.write("hello\r\n", sys::deadline::after(100ms)).value();
//   std::size_t n = port.read(buf, sys::deadline::after(1s)).value();
//
// Names: "uart0" .. "uart<uart_count - 1>" (anything else is not_found); the
// native handle is the port index. Ports start at 115200 8N1 and take only 8
// data bits, no parity, one stop bit and no flow control (not_supported
// otherwise, serial_set's diagnostic naming the field and its value: "baud
// rate 2000000: the board cannot run its UART at this rate"); serial_get
// returns what serial_set last applied. Modem lines
// and breaks are not_supported. flush discards what the receiver holds;
// output has no queue to discard (what the board took goes out). drain
// waits for uart_tx_done, or returns at once without it.
//
// Waiting polls the UART with deadlines on the board's tick source, spinning
// rather than calling idle(): a wait-for-interrupt sleeps until the next
// tick interrupt, which may be longer than a character takes to arrive (87 us
// at 115200), and a receiver without a FIFO would overrun. A write waits for
// uart_tx_done, or a character time at the port's rate, between attempts.
// Thread safety: none inside the policy (settings and one read-ahead byte
// are kept per port); use a port from one thread, not from interrupts.
#ifndef VITTE_SYS_POLICY_BOARD_DEVICES_HPP
#define VITTE_SYS_POLICY_BOARD_DEVICES_HPP

#include <vitte/base.hpp>
#include <vitte/base/detail/decimal.hpp>  // port numbers in names
#include <vitte/sys/clock_id.hpp>
#include <vitte/sys/device_types.hpp>  // serial_settings, dev_ops
#include <vitte/sys/fs_types.hpp>      // native_handle
#include <vitte/sys/policy/freestanding.hpp>

#include <concepts>  // std::same_as
#include <cstddef>   // std::size_t, std::byte
#include <cstdint>

namespace vitte::sys {

/// A board with UARTs: `uart_count`, and `uart_put` / `uart_get` per port.
template <class B>
concept board_uart = requires(std::size_t port, std::byte b, std::byte& out) {
  { B::uart_count } -> std::convertible_to<std::size_t>;
  { B::uart_put(port, b) } noexcept -> std::same_as<bool>;
  { B::uart_get(port, out) } noexcept -> std::same_as<bool>;
} && (B::uart_count > 0);

/// A board whose UARTs change rate: `uart_configure(port, baud)`.
template <class B>
concept board_uart_configure = board_uart<B> && requires(std::size_t port, std::uint32_t baud) {
  { B::uart_configure(port, baud) } noexcept -> std::same_as<bool>;
};

/// A board that says when a UART has sent everything: `uart_tx_done(port)`.
template <class B>
concept board_uart_tx_done = board_uart<B> && requires(std::size_t port) {
  { B::uart_tx_done(port) } noexcept -> std::same_as<bool>;
};

/// A board that describes its UARTs: `uart_description(port)`.
template <class B>
concept board_uart_description = board_uart<B> && requires(std::size_t port) {
  { B::uart_description(port) } noexcept -> std::convertible_to<const char*>;
};

namespace detail {

// What the policy keeps of a port: the settings last applied, and a byte
// that device_wait took from the receiver before device_read asked for it.
struct board_uart_state {
  serial_settings settings{};
  std::byte ahead{};
  bool has_ahead = false;
};

template <class Board>
inline constinit board_uart_state board_uart_states[Board::uart_count]{};

// The state of port `h`, or null when `h` names no port.
template <class Board>
board_uart_state* board_uart_find(native_handle h) noexcept {
  if (h < 0 || static_cast<std::size_t>(h) >= Board::uart_count) return nullptr;
  return &board_uart_states<Board>[h];
}

// The index of "uart<N>" (decimal, no leading zero) below `count`, or -1.
constexpr native_handle board_uart_index(const char* name, std::size_t count) noexcept {
  text_view v(name);
  if (!v.starts_with("uart")) return -1;
  text_view digits = v.substr(4);
  std::uint64_t n = 0;
  if (digits.size() > 1 && digits[0] == '0') return -1;
  if (count == 0 || !::vitte::detail::parse_decimal(digits, count - 1, n)) return -1;
  return static_cast<native_handle>(n);
}

// "uart<index>", NUL-terminated, into `out`.
inline void board_uart_name(std::size_t index, char (&out)[24]) noexcept {
  char digits[20];
  std::size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + index % 10);
    index /= 10;
  } while (index != 0);
  constexpr char prefix[] = "uart";
  std::size_t len = 0;
  for (; len + 1 < sizeof prefix; ++len) out[len] = prefix[len];
  while (n > 0) out[len++] = digits[--n];
  out[len] = '\0';
}

}  // namespace detail

/// Device policy over a freestanding Board's UARTs (see the header).
template <class Board>
struct board_devices : freestanding_platform<Board> {
  using platform_policy = freestanding_platform<Board>;

  // device handles
  static error device_open(const char* name, native_handle& out) noexcept
    requires board_uart<Board>
  {
    native_handle index = detail::board_uart_index(name, Board::uart_count);
    if (index < 0) return error{errc::not_found, dev_ops::device_open};
    out = index;
    return {};
  }

  static void device_close(native_handle) noexcept
    requires board_uart<Board>
  {}

  static error device_read(native_handle h, void* p, std::size_t n, std::size_t& got) noexcept
    requires board_uart<Board>
  {
    got = 0;
    detail::board_uart_state* port = detail::board_uart_find<Board>(h);
    if (port == nullptr) return error{errc::bad_descriptor, dev_ops::device_read};
    if (n == 0) return {};
    auto* out = static_cast<std::byte*>(p);
    if (port->has_ahead) {
      out[got++] = port->ahead;
      port->has_ahead = false;
    }
    while (got < n && Board::uart_get(static_cast<std::size_t>(h), out[got])) ++got;
    if (got == 0) return error{errc::would_block, dev_ops::device_read};
    return {};
  }

  static error device_write(native_handle h, const void* p, std::size_t n, std::size_t& put) noexcept
    requires board_uart<Board>
  {
    put = 0;
    if (detail::board_uart_find<Board>(h) == nullptr) return error{errc::bad_descriptor, dev_ops::device_write};
    if (n == 0) return {};
    const auto* in = static_cast<const std::byte*>(p);
    while (put < n && Board::uart_put(static_cast<std::size_t>(h), in[put])) ++put;
    if (put == 0) return error{errc::would_block, dev_ops::device_write};
    return {};
  }

  static error device_wait(native_handle h, bool for_write, std::int64_t deadline_ns) noexcept
    requires board_uart<Board> && board_tick_source<Board>
  {
    detail::board_uart_state* port = detail::board_uart_find<Board>(h);
    if (port == nullptr) return error{errc::bad_descriptor, dev_ops::device_wait};
    auto i = static_cast<std::size_t>(h);
    if (for_write) return wait_writable(i, *port, deadline_ns);
    for (;;) {
      if (port->has_ahead) return {};
      if (Board::uart_get(i, port->ahead)) {
        port->has_ahead = true;
        return {};
      }
      if (now_ns() >= deadline_ns) return error{errc::timed_out, dev_ops::device_wait};
    }
  }

  // serial lines
  static error serial_get(native_handle h, serial_settings& out) noexcept
    requires board_uart<Board>
  {
    detail::board_uart_state* port = detail::board_uart_find<Board>(h);
    if (port == nullptr) return error{errc::bad_descriptor, dev_ops::serial_settings};
    out = port->settings;
    return {};
  }

  static error serial_set(native_handle h, const serial_settings& s, diagnostic* why) noexcept
    requires board_uart<Board>
  {
    using detail::serial_field;
    const auto refused = [&](errc kind, serial_field f, text_view reason) {
      detail::serial_refused(why, kind, f, s, reason);
      return error{kind, dev_ops::serial_configure};
    };
    detail::board_uart_state* port = detail::board_uart_find<Board>(h);
    if (port == nullptr) return error{errc::bad_descriptor, dev_ops::serial_configure};
    if (s.baud == 0) return refused(errc::invalid_argument, serial_field::baud, "not a rate");
    if (s.data_bits != 8) return refused(errc::not_supported, serial_field::data_bits, "a board's UART takes 8 only");
    if (s.line_parity != parity::none)
      return refused(errc::not_supported, serial_field::parity, "a board's UART takes none only");
    if (s.stop != stop_bits::one)
      return refused(errc::not_supported, serial_field::stop_bits, "a board's UART takes 1 only");
    if (s.flow != flow_control::none)
      return refused(errc::not_supported, serial_field::flow, "a board's UART takes none only");
    if constexpr (board_uart_configure<Board>) {
      if (!Board::uart_configure(static_cast<std::size_t>(h), s.baud))
        return refused(errc::not_supported, serial_field::baud, "the board cannot run its UART at this rate");
    } else {
      if (s.baud != port->settings.baud)
        return refused(errc::not_supported, serial_field::baud, "the board sets no other rate than its own");
    }
    port->settings = s;
    return {};
  }

  static error serial_modem_get(native_handle, modem_lines&) noexcept
    requires board_uart<Board>
  {
    return error{errc::not_supported, dev_ops::serial_modem};
  }

  static error serial_modem_set(native_handle, modem_lines, bool) noexcept
    requires board_uart<Board>
  {
    return error{errc::not_supported, dev_ops::serial_modem};
  }

  static error serial_break(native_handle, std::uint32_t) noexcept
    requires board_uart<Board>
  {
    return error{errc::not_supported, dev_ops::serial_break};
  }

  static error serial_flush(native_handle h, serial_queue q) noexcept
    requires board_uart<Board>
  {
    detail::board_uart_state* port = detail::board_uart_find<Board>(h);
    if (port == nullptr) return error{errc::bad_descriptor, dev_ops::serial_flush};
    if (q == serial_queue::output) return {};
    port->has_ahead = false;
    std::byte discarded;
    while (Board::uart_get(static_cast<std::size_t>(h), discarded)) {
    }
    return {};
  }

  static error serial_drain(native_handle h) noexcept
    requires board_uart<Board>
  {
    if (detail::board_uart_find<Board>(h) == nullptr) return error{errc::bad_descriptor, dev_ops::serial_drain};
    if constexpr (board_uart_tx_done<Board>) {
      while (!Board::uart_tx_done(static_cast<std::size_t>(h))) {
      }
    }
    return {};
  }

  static error serial_list(void (*each)(void*, const char*, const char*), void* ctx) noexcept
    requires board_uart<Board>
  {
    for (std::size_t i = 0; i < Board::uart_count; ++i) {
      char name[24];
      detail::board_uart_name(i, name);
      const char* description = "UART";
      if constexpr (board_uart_description<Board>) description = Board::uart_description(i);
      each(ctx, name, description != nullptr ? description : "UART");
    }
    return {};
  }

 private:
  static std::int64_t now_ns() noexcept { return platform_policy::clock_now_ns(clock_id::monotonic); }

  // Until port `i` can take a byte or the deadline: with uart_tx_done, until
  // it is true; without, one character time at the port's rate (10 bits for
  // 8N1), after which the caller tries to write again.
  static error wait_writable([[maybe_unused]] std::size_t i, [[maybe_unused]] const detail::board_uart_state& port,
                             std::int64_t deadline_ns) noexcept {
    if constexpr (board_uart_tx_done<Board>) {
      for (;;) {
        if (Board::uart_tx_done(i)) return {};
        if (now_ns() >= deadline_ns) return error{errc::timed_out, dev_ops::device_wait};
      }
    } else {
      std::int64_t now = now_ns();
      if (now >= deadline_ns) return error{errc::timed_out, dev_ops::device_wait};
      std::int64_t character_ns = (10'000'000'000 + port.settings.baud - 1) / port.settings.baud;
      std::int64_t until = deadline_ns - now > character_ns ? now + character_ns : deadline_ns;
      while (now_ns() < until) {
      }
      return {};
    }
  }
};

}  // namespace vitte::sys

#endif  // VITTE_SYS_POLICY_BOARD_DEVICES_HPP
