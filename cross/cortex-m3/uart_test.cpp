// cross/cortex-m3/uart_test.cpp - serial ports over the board's UARTs (QEMU
// mps2-an385), through vitte::sys::serial_port as on a hosted target.
//
// UART0 must be connected to the host: the host feeds it `host_input` and
// checks that it receives exactly `greeting`; matrix.sh does both. By hand:
//
//   cross/cortex-m3/build.sh -o uart.elf cross/cortex-m3/uart_test.cpp
//   printf 'host to uart0: 0123456789\n' >in
//   cross/cortex-m3/run.sh --uart0 in out uart.elf
//   printf 'vitte uart0: hello from mps2-an385\r\n' | cmp - out
//
// The test cases run in order: nothing reads UART0 before
// read_gets_what_the_host_sent, and the host sends nothing after it.
#include <vitte/base.hpp>
#include <vitte/base/span.hpp>
#include <vitte/sys/serial.hpp>
#include <vitte/sys/time.hpp>

#include <chrono>
#include <cstddef>
#include <string_view>

#include "harness.hpp"

using namespace std::chrono_literals;
namespace sys = vitte::sys;

namespace {

// What the program writes to UART0, and what the host sends it (keep in
// step with matrix.sh).
constexpr std::string_view greeting = "vitte uart0: hello from mps2-an385\r\n";
constexpr std::string_view host_input = "host to uart0: 0123456789\n";

std::string_view as_text(const std::byte* p, std::size_t n) { return {reinterpret_cast<const char*>(p), n}; }

}  // namespace

VITTE_TEST_CASE(unknown_names_are_not_found) {
  for (const char* name : {"uart5", "uart", "uart00", "uart01", "uart0x", "UART0", "com1", "/dev/ttyS0"}) {
    auto port = sys::serial_port::open(name);
    VITTE_REQUIRE(!port);
    VITTE_CHECK_EQUAL(port.error().kind(), vitte::errc::not_found);
    VITTE_CHECK_EQUAL(port.error().op(), sys::dev_ops::device_open);
    vitte::diagnostic why;  // names the port it was given, with the error's kind
    VITTE_CHECK(!sys::serial_port::open(name, {}, &why));
    VITTE_CHECK(why.kind() == vitte::errc::not_found);
    VITTE_CHECK(why.subject() == vitte::text_view(name));
  }
  VITTE_CHECK(sys::serial_port::open("").error() == vitte::errc::invalid_argument);
}

VITTE_TEST_CASE(list_names_every_uart) {
  auto ports = sys::list_serial_ports();
  VITTE_REQUIRE(ports.has_value());
  VITTE_REQUIRE(ports->size() == 5u);
  VITTE_CHECK_EQUAL((*ports)[0].name.view(), std::string_view{"uart0"});
  VITTE_CHECK_EQUAL((*ports)[4].name.view(), std::string_view{"uart4"});
  VITTE_CHECK_EQUAL((*ports)[0].description.view(), std::string_view{"CMSDK APB UART0 at 0x40004000"});
}

VITTE_TEST_CASE(open_applies_and_reads_back_settings) {
  sys::serial_settings s;  // 115200 8N1
  auto port = sys::serial_port::open("uart0", s);
  VITTE_REQUIRE(port.has_value());
  VITTE_CHECK(port->is_open());
  VITTE_CHECK_EQUAL(port->native(), 0);
  auto got = port->settings();
  VITTE_REQUIRE(got.has_value());
  VITTE_CHECK(*got == s);

  sys::serial_settings slow;
  slow.baud = 9600;
  VITTE_CHECK(port->configure(slow).has_value());
  VITTE_CHECK(port->settings().value() == slow);
  VITTE_CHECK(port->configure(s).has_value());
  VITTE_CHECK(port->settings().value() == s);

  // open_as_is keeps what the port holds: UART1 is still at its reset 115200 8N1.
  auto other = sys::serial_port::open_as_is("uart1");
  VITTE_REQUIRE(other.has_value());
  VITTE_CHECK_EQUAL(other->native(), 1);
  VITTE_CHECK(other->settings().value() == sys::serial_settings{});
}

VITTE_TEST_CASE(unsupported_settings_are_refused) {
  auto port = sys::serial_port::open("uart0");
  VITTE_REQUIRE(port.has_value());
  const sys::serial_settings before = port->settings().value();

  auto refused = [&](sys::serial_settings s) {
    vitte::status r = port->configure(s);
    return !r && r.error() == vitte::errc::not_supported && r.error().op() == sys::dev_ops::serial_configure;
  };
  sys::serial_settings s;
  s.data_bits = 7;
  VITTE_CHECK(refused(s));
  s = {};
  s.line_parity = sys::parity::even;
  VITTE_CHECK(refused(s));
  s = {};
  s.stop = sys::stop_bits::two;
  VITTE_CHECK(refused(s));
  s = {};
  s.flow = sys::flow_control::hardware;
  VITTE_CHECK(refused(s));
  s = {};
  s.flow = sys::flow_control::software;
  VITTE_CHECK(refused(s));
  s = {};
  s.baud = 2'000'000;  // BAUDDIV would be 12.5: below 16
  VITTE_CHECK(refused(s));
  vitte::diagnostic why;  // the field refused, with its value; the kind is the error's
  VITTE_CHECK(!port->configure(s, &why));
  VITTE_CHECK(why.kind() == vitte::errc::not_supported);
  VITTE_CHECK(why.message().starts_with("baud rate 2000000: "));
  s = {};
  s.baud = 10;  // BAUDDIV would be 2.5 million: above 20 bits
  VITTE_CHECK(refused(s));

  s = {};
  s.baud = 0;
  VITTE_CHECK(port->configure(s).error() == vitte::errc::invalid_argument);
  VITTE_CHECK(port->settings().value() == before);
}

VITTE_TEST_CASE(modem_lines_and_break_are_not_supported) {
  auto port = sys::serial_port::open("uart0");
  VITTE_REQUIRE(port.has_value());
  VITTE_CHECK(port->modem().error() == vitte::errc::not_supported);
  VITTE_CHECK(port->set_modem(sys::modem_lines{}.with(sys::modem_line::dtr), true).error() ==
              vitte::errc::not_supported);
  VITTE_CHECK(port->send_break().error() == vitte::errc::not_supported);
  VITTE_CHECK_EQUAL(port->send_break().error().op(), sys::dev_ops::serial_break);
}

VITTE_TEST_CASE(write_reaches_the_host) {
  auto port = sys::serial_port::open("uart0");
  VITTE_REQUIRE(port.has_value());
  vitte::status w = port->write(greeting, sys::deadline::after(1s));
  VITTE_CHECK(w.has_value());
  VITTE_CHECK(port->drain().has_value());
  VITTE_CHECK(port->flush(sys::serial_queue::output).has_value());  // nothing left to discard
  // UART1 has no host side under the matrix: QEMU drops what it sends.
  auto other = sys::serial_port::open("uart1");
  VITTE_REQUIRE(other.has_value());
  VITTE_CHECK(other->write("to nowhere\r\n", sys::deadline::after(1s)).has_value());
}

VITTE_TEST_CASE(read_gets_what_the_host_sent) {
  auto port = sys::serial_port::open("uart0");
  VITTE_REQUIRE(port.has_value());
  std::byte buf[host_input.size()];
  vitte::status r = port->read_exact(buf, sys::deadline::after(5s));
  VITTE_REQUIRE(r.has_value());
  VITTE_CHECK_EQUAL(as_text(buf, sizeof buf), host_input);
}

VITTE_TEST_CASE(read_times_out_when_nothing_arrives) {
  auto port = sys::serial_port::open("uart0");
  VITTE_REQUIRE(port.has_value());
  std::byte buf[8];
  auto t0 = sys::monotonic_clock::now();
  auto r = port->read(buf, sys::deadline::after(50ms));
  auto waited = sys::monotonic_clock::now() - t0;
  VITTE_REQUIRE(!r);
  VITTE_CHECK_EQUAL(r.error().kind(), vitte::errc::timed_out);
  VITTE_CHECK(waited >= 50ms);
  VITTE_CHECK(waited < 1s);
  // An expired deadline still reports timed_out, at once.
  VITTE_CHECK(port->read(buf, sys::deadline::after(0ms)).error() == vitte::errc::timed_out);
  VITTE_CHECK(port->read_exact(buf, sys::deadline::after(5ms)).error() == vitte::errc::timed_out);
}

VITTE_TEST_CASE(flush_move_and_close) {
  auto opened = sys::serial_port::open("uart0");
  VITTE_REQUIRE(opened.has_value());
  sys::serial_port port = std::move(*opened);
  VITTE_CHECK(!opened->is_open());
  VITTE_CHECK(port.flush(sys::serial_queue::input).has_value());
  VITTE_CHECK(port.flush().has_value());
  port.close();
  VITTE_CHECK(!port.is_open());
  std::byte b[1];
  VITTE_CHECK(port.read(b).error() == vitte::errc::bad_descriptor);
  VITTE_CHECK(port.write("x").error() == vitte::errc::bad_descriptor);
  VITTE_CHECK(port.settings().error() == vitte::errc::bad_descriptor);
  port.close();  // idempotent
}
