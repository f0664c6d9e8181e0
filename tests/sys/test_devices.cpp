// Serial ports, terminals and pseudo-terminals (vitte/sys/serial.hpp,
// pseudo_terminal.hpp, terminal_mode.hpp) on POSIX hosts: every setting a
// pseudo-terminal honours, the bytes both ways, deadlines, a program run on
// a terminal, raw modes restored at exit and on signals, and socat's null
// modem between two ports. Windows: test_devices_windows.cpp.
#include <vitte/sys/policy/board_devices.hpp>
#include <vitte/sys/process.hpp>
#include <vitte/sys/pseudo_terminal.hpp>
#include <vitte/sys/serial.hpp>
#include <vitte/sys/terminal_mode.hpp>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <random>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "print.hpp"
#include "support/programs.hpp"
#include "support/pty_io.hpp"

namespace sys = vitte::sys;
using namespace std::chrono_literals;
using vitte::errc;

namespace {

sys::deadline soon(std::chrono::milliseconds ms = 5000ms) { return sys::deadline::after(ms); }

std::string str(vitte::text_view v) { return std::string(v.data(), v.size()); }

// Everything read from `pty` until its end (or the deadline).
std::string read_all(sys::pseudo_terminal& pty, sys::deadline d = soon()) {
  std::string out;
  std::byte buf[4096];
  for (;;) {
    auto n = pty.read(buf, d);
    if (!n || *n == 0) return out;
    out.append(reinterpret_cast<const char*>(buf), *n);
  }
}

// qemu-user passes on the ioctls it knows; TCGETS2 (any baud rate) and
// TIOCSBRK are not among them and come back as ENOSYS: skipped there, with
// the reason. Everywhere else the call must succeed.
bool emulator_lacks(const vitte::status& r, const char* what) {
#if defined(VITTE_TEST_CROSS)
  if (!r && r.error() == errc::not_supported && r.error().native() == ENOSYS) {
    BOOST_TEST_MESSAGE("skipped: the emulator does not implement the ioctl behind " << what);
    return true;
  }
#else
  (void)r;
  (void)what;
#endif
  return false;
}

// Forks `body` (which ends the child) and returns its wait status.
template <class F>
int in_child_process(F body) {
  std::fflush(nullptr);
  std::cout.flush();
  pid_t pid = ::fork();
  if (pid == 0) body();
  int st = 0;
  if (::waitpid(pid, &st, 0) != pid) return -1;
  return st;
}

struct pty_and_port {
  sys::pseudo_terminal pty = sys::pseudo_terminal::open({30, 100}).value();
  sys::serial_port port = sys::serial_port::open(pty.terminal_name()).value();
};

}  // namespace

BOOST_AUTO_TEST_SUITE(serial_ports)

BOOST_AUTO_TEST_CASE(a_raw_port_passes_every_byte_value_both_ways) {
  pty_and_port p;
  std::vector<std::byte> all(256);
  for (int i = 0; i < 256; ++i) all[i] = static_cast<std::byte>(i);
  BOOST_REQUIRE(p.port.write(all, soon()));
  std::vector<std::byte> got(256);
  std::size_t have = 0;
  while (have < got.size()) {
    auto n = p.pty.read(std::span(got).subspan(have), soon());
    BOOST_REQUIRE(n && *n > 0);
    have += *n;
  }
  BOOST_TEST(got == all, "the terminal side sent the bytes unchanged (no CR LF, no special characters)");
  BOOST_REQUIRE(p.pty.write(all, soon()));
  std::vector<std::byte> back(256);
  BOOST_REQUIRE(p.port.read_exact(back, soon()));
  BOOST_TEST(back == all, "nothing was echoed, translated or eaten on the way in");
}

BOOST_AUTO_TEST_CASE(rates_stop_bits_and_flow_control_are_kept_by_a_pty) {
  pty_and_port p;
#if defined(VITTE_TEST_CROSS)
  BOOST_TEST_MESSAGE("921600 baud skipped: qemu-user's termios translation knows the rates up to 460800");
  for (std::uint32_t baud : {9600u, 19200u, 115200u, 230400u, 460800u}) {
#else
  for (std::uint32_t baud : {9600u, 19200u, 115200u, 230400u, 921600u}) {
#endif
    sys::serial_settings s;
    s.baud = baud;
    BOOST_TEST_CONTEXT("baud " << baud) {
      BOOST_REQUIRE(p.port.configure(s));
      BOOST_TEST(p.port.settings().value().baud == baud);
    }
  }
#if VITTE_OS_LINUX || VITTE_OS_DARWIN
  for (std::uint32_t baud : {250'000u, 1'000'000u, 31'250u}) {  // MIDI's rate, DMX's, and a round million
    sys::serial_settings s;
    s.baud = baud;
    BOOST_TEST_CONTEXT("arbitrary baud " << baud) {
      auto r = p.port.configure(s);
      if (emulator_lacks(r, "any baud rate (TCGETS2)")) break;
      BOOST_REQUIRE(r);
      BOOST_TEST(p.port.settings().value().baud == baud);
    }
  }
#endif
  sys::serial_settings s;
  s.stop = sys::stop_bits::two;
  s.flow = sys::flow_control::hardware;
  BOOST_REQUIRE(p.port.configure(s));
  BOOST_TEST((p.port.settings().value() == s));
  s.flow = sys::flow_control::software;
  s.stop = sys::stop_bits::one;
  BOOST_REQUIRE(p.port.configure(s));
  BOOST_TEST((p.port.settings().value() == s));
}

BOOST_AUTO_TEST_CASE(framing_a_driver_does_not_keep_is_reported_not_dropped) {
  pty_and_port p;
  sys::serial_settings s;
  s.data_bits = 7;
  s.line_parity = sys::parity::even;
  vitte::diagnostic why;
  auto r = p.port.configure(s, &why);
#if VITTE_OS_LINUX
  // Linux's pty driver forces CS8 and clears PARENB: read back, refused.
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error() == errc::not_supported);
  BOOST_TEST(r.error().op() == sys::dev_ops::serial_configure);
  BOOST_TEST(p.port.settings().value().data_bits == 8);
  // The field it did not keep, with the value asked and the one kept; the
  // kind is the error's; configure() knows no name.
  BOOST_TEST(why.kind() == errc::not_supported);
  BOOST_TEST(str(why.message()) == "data bits 7: the driver keeps 8");
  BOOST_TEST(why.subject().empty());
  // open() knows the name: the same, about the device.
  auto opened = sys::serial_port::open(p.pty.terminal_name(), s, &why);
  BOOST_REQUIRE(!opened);
  BOOST_TEST(opened.error() == errc::not_supported);
  BOOST_TEST(why.kind() == errc::not_supported);
  BOOST_TEST(str(why.subject()) == str(p.pty.terminal_name()));
  BOOST_TEST(str(why.format().c_str()) == str(p.pty.terminal_name()) + ": data bits 7: the driver keeps 8");
#else
  if (r) BOOST_TEST((p.port.settings().value() == s));
  if (!r) BOOST_TEST(r.error() == errc::not_supported);
#endif
}

#if VITTE_OS_LINUX && VITTE_HAS_TERMIOS2
BOOST_AUTO_TEST_CASE(a_standard_rate_after_an_arbitrary_one_sets_both_directions) {
  pty_and_port p;
  namespace d = vitte::sys::detail::posix_devices;
  for (std::uint32_t arbitrary : {31'250u, 1'000'000u, 250'000u}) {
    sys::serial_settings s;
    s.baud = arbitrary;
    auto r = p.port.configure(s);
    if (emulator_lacks(r, "any baud rate (TCGETS2)")) return;
    BOOST_REQUIRE(r);
    s.baud = 9600;
    BOOST_REQUIRE(p.port.configure(s));
    d::termios2 t2;
    BOOST_REQUIRE(::ioctl(static_cast<int>(p.port.native()), d::get_termios2, &t2) == 0);
    BOOST_TEST(t2.c_ospeed == 9600u);
    BOOST_TEST(t2.c_ispeed == 9600u, "the input rate left " << arbitrary << " too");
  }
}
#endif

BOOST_AUTO_TEST_CASE(a_refused_change_leaves_the_line_as_it_was) {
  pty_and_port p;
  sys::serial_settings before;
  before.baud = 9600;
  BOOST_REQUIRE(p.port.configure(before));
  sys::serial_settings s;
  s.baud = 460800;
  s.data_bits = 7;
  s.line_parity = sys::parity::even;
  s.stop = sys::stop_bits::two;
  s.flow = sys::flow_control::hardware;
  auto r = p.port.configure(s);
  if (r) return;  // a driver that keeps all of it (not a Linux pty)
  BOOST_TEST(r.error() == errc::not_supported, "the driver's refusal, whatever errno it used");
  BOOST_TEST((p.port.settings().value() == before), "rate, stop bits and flow control put back");
  s = before;
  s.data_bits = 7;  // the rate unchanged: glibc's tcsetattr says EINVAL itself
  r = p.port.configure(s);
  BOOST_REQUIRE(!r);  // this driver refused 7 data bits above
  BOOST_TEST(r.error() == errc::not_supported);
  BOOST_TEST((p.port.settings().value() == before));
}

BOOST_AUTO_TEST_CASE(impossible_settings_are_refused_before_the_driver) {
  pty_and_port p;
  sys::serial_settings s;
  s.baud = 0;
  BOOST_TEST(p.port.configure(s).error() == errc::invalid_argument);
  vitte::diagnostic why;
  BOOST_TEST(!sys::check_serial_settings(s, &why));
  BOOST_TEST(why.kind() == errc::invalid_argument);
  BOOST_TEST(str(why.message()) == "baud rate 0: not a rate");
  BOOST_TEST(sys::check_serial_settings(sys::serial_settings{}));
  // Each field named with its value, by check_serial_settings and by
  // configure() alike (the kind is the error's).
  const auto refused = [&](const sys::serial_settings& bad, const std::string& says) {
    BOOST_TEST(!sys::check_serial_settings(bad, &why));
    BOOST_TEST(str(why.message()) == says);
    why.clear();
    BOOST_TEST(p.port.configure(bad, &why).error() == errc::invalid_argument);
    BOOST_TEST(why.kind() == errc::invalid_argument);
    BOOST_TEST(str(why.message()) == says);
  };
  s = {};
  s.data_bits = 9;
  BOOST_TEST(p.port.configure(s).error() == errc::invalid_argument);
  refused(s, "data bits 9: not 5, 6, 7 or 8");
  s = {};
  s.line_parity = static_cast<sys::parity>(9);
  BOOST_TEST(p.port.configure(s).error() == errc::invalid_argument);
  refused(s, "parity (value 9): not none, odd, even, mark or space");
  s = {};
  s.flow = static_cast<sys::flow_control>(7);
  BOOST_TEST(p.port.configure(s).error() == errc::invalid_argument);
  refused(s, "flow control (value 7): not none, hardware or software");
  s = {};
  s.stop = static_cast<sys::stop_bits>(3);
  refused(s, "stop bits (value 3): not 1, 1.5 or 2");
  s = {};
  s.stop = sys::stop_bits::one_and_half;
  BOOST_TEST(p.port.configure(s).error() == errc::invalid_argument);
  refused(s, "stop bits 1.5: only with 5 data bits");
  s.data_bits = 5;
  BOOST_TEST(p.port.configure(s, &why).error() == errc::not_supported, "POSIX has no 1.5 stop bits");
  BOOST_TEST(why.kind() == errc::not_supported);
  BOOST_TEST(str(why.message()) == "stop bits 1.5: termios has no 1.5 stop bits");
  BOOST_TEST((p.port.settings().value().stop == sys::stop_bits::one), "a refused change leaves the line as it was");
}

// A board's UART (vitte/sys/policy/board_devices.hpp) whose divider reaches
// two rates: a rate it cannot run is named with its value, about the port
// open() was given; each framing field it lacks likewise.
struct two_rate_board {
  static std::uint64_t ticks() noexcept { return 0; }
  static constexpr std::uint64_t ticks_per_second = 1000;
  static constexpr std::size_t uart_count = 1;
  static bool uart_put(std::size_t, std::byte) noexcept { return true; }
  static bool uart_get(std::size_t, std::byte&) noexcept { return false; }
  static bool uart_configure(std::size_t, std::uint32_t baud) noexcept { return baud == 9600 || baud == 115'200; }
};

BOOST_AUTO_TEST_CASE(an_unsupported_baud_rate_is_named_with_its_value) {
  using board_port = sys::basic_serial_port<sys::board_devices<two_rate_board>>;
  sys::serial_settings s;
  s.baud = 250'000;
  vitte::diagnostic why;
  auto port = board_port::open("uart0", s, &why);
  BOOST_REQUIRE(!port);
  BOOST_TEST(port.error() == errc::not_supported);
  BOOST_TEST(port.error().op() == sys::dev_ops::serial_configure);
  BOOST_TEST(why.kind() == errc::not_supported);
  BOOST_TEST(str(why.subject()) == "uart0");
  BOOST_TEST(str(why.format().c_str()) == "uart0: baud rate 250000: the board cannot run its UART at this rate");

  auto open = board_port::open("uart0", {}, &why);
  BOOST_REQUIRE(open);
  s = {};
  s.data_bits = 7;
  BOOST_TEST(open->configure(s, &why).error() == errc::not_supported);
  BOOST_TEST(str(why.format().c_str()) == "data bits 7: a board's UART takes 8 only");
  s = {};
  s.flow = sys::flow_control::software;
  BOOST_TEST(open->configure(s, &why).error() == errc::not_supported);
  BOOST_TEST(str(why.message()) == "flow control software: a board's UART takes none only");
  s = {};
  s.baud = 9600;
  BOOST_TEST(bool(open->configure(s, &why)));

  BOOST_TEST(board_port::open("uart1", {}, &why).error() == errc::not_found);
  BOOST_TEST(str(why.format().c_str()) == "uart1: no such device");
}

BOOST_AUTO_TEST_CASE(modem_lines_break_flush_and_drain) {
  pty_and_port p;
  auto m = p.port.modem();
#if VITTE_OS_LINUX
  BOOST_REQUIRE(!m);
  BOOST_TEST(m.error() == errc::not_supported, "Linux ptys have no modem lines (TIOCMGET: ENOTTY)");
#endif
  if (m) BOOST_TEST_MESSAGE("modem lines: " << int(m->bits));
  BOOST_TEST(p.port.set_modem(sys::modem_lines{}.with(sys::modem_line::cts), true).error() == errc::invalid_argument,
             "CTS is an input");
  auto brk = p.port.send_break(20ms);
  if (!emulator_lacks(brk, "a break (TIOCSBRK)")) BOOST_CHECK(brk);
  BOOST_TEST(p.port.send_break(0ms).error() == errc::invalid_argument);
  BOOST_CHECK(p.port.drain());

  // Bytes waiting on the port's input are discarded by flush(input).
  BOOST_REQUIRE(p.pty.write("discard me", soon()));
  BOOST_REQUIRE(!sys::device_platform::device_wait(p.port.native(), false, soon().ns()));
  BOOST_REQUIRE(p.port.flush(sys::serial_queue::input));
  std::byte b[16];
  auto r = p.port.read(b, sys::deadline::after(100ms));
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error() == errc::timed_out);
  BOOST_CHECK(p.port.flush(sys::serial_queue::both));
}

BOOST_AUTO_TEST_CASE(reads_and_writes_keep_their_deadlines) {
  pty_and_port p;
  std::byte b[8];
  auto d = sys::deadline::after(80ms);
  auto r = p.port.read(b, d);
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error() == errc::timed_out);
  BOOST_TEST(d.expired(), "a read never gives up before its deadline");

  // Nobody reads the pty: a big write fills its buffers and stops at the deadline.
  std::vector<std::byte> big(4 << 20, std::byte{'x'});
  auto w = p.port.write(big, sys::deadline::after(200ms));
  BOOST_REQUIRE(!w);
  BOOST_TEST(w.error() == errc::timed_out);
  auto some = p.port.write_some(big, sys::deadline::after(50ms));
  BOOST_TEST((!some && some.error() == errc::timed_out), "a full buffer takes nothing more");
}

BOOST_AUTO_TEST_CASE(a_hang_up_reads_as_the_end) {
  pty_and_port p;
  BOOST_REQUIRE(p.port.write("last words", soon()));
  std::string seen;
  BOOST_REQUIRE(vitte_test::read_until(p.pty, "last words", seen, soon()));
  p.port.close();
  p.pty.close_terminal();
  std::byte b[8];
  auto n = p.pty.read(b, soon());
  BOOST_REQUIRE(n);
  BOOST_TEST(*n == 0u, "the terminal side closed everywhere: the end");
}

BOOST_AUTO_TEST_CASE(bad_names_and_non_terminals_are_refused) {
  auto missing = sys::serial_port::open("/dev/vitte-no-such-port");
  BOOST_REQUIRE(!missing);
  BOOST_TEST(missing.error() == errc::not_found);
  BOOST_TEST(missing.error().op() == sys::dev_ops::device_open);
  auto null_device = sys::serial_port::open("/dev/null");
  BOOST_REQUIRE(!null_device);
  BOOST_TEST(null_device.error() == errc::invalid_argument, "/dev/null is not a terminal");
  BOOST_TEST(sys::serial_port::open(std::string_view("/dev/tty\0x", 10)).error() == errc::invalid_argument);
  BOOST_TEST(sys::serial_port::open("").error() == errc::invalid_argument);

  // The diagnostic names the device, with the error's kind, whoever opens it.
  vitte::diagnostic why;
  BOOST_TEST(!sys::serial_port::open("/dev/vitte-no-such-port", {}, &why));
  BOOST_TEST(why.kind() == errc::not_found);
  BOOST_TEST(str(why.subject()) == "/dev/vitte-no-such-port");
  BOOST_TEST(str(why.format().c_str()) == "/dev/vitte-no-such-port: no such device");
  why.clear();
  BOOST_TEST(!sys::serial_port::open_as_is("/dev/vitte-no-such-port", &why));
  BOOST_TEST(str(why.format().c_str()) == "/dev/vitte-no-such-port: no such device");
  BOOST_TEST(!sys::serial_port::open_as_is("/dev/null", &why));
  BOOST_TEST(why.kind() == errc::invalid_argument);
  BOOST_TEST(str(why.format().c_str()) == "/dev/null: not a terminal or serial device");
  BOOST_TEST(!sys::serial_port::open(std::string_view("/dev/tty\0x", 10), {}, &why));
  BOOST_TEST(why.kind() == errc::invalid_argument);
  BOOST_TEST(str(why.format().c_str()) == "/dev/tty\\x00x: a NUL byte in the device name");
  BOOST_TEST(!sys::serial_port::open("", {}, &why));
  BOOST_TEST(str(why.format().c_str()) == "an empty device name");
  sys::serial_port closed;
  std::byte b[1];
  BOOST_TEST(closed.read(b).error() == errc::bad_descriptor);
  BOOST_TEST(closed.settings().error() == errc::bad_descriptor);
}

BOOST_AUTO_TEST_CASE(the_ports_present_are_listed_by_their_device_names) {
  auto ports = sys::list_serial_ports();
  BOOST_REQUIRE(ports);
  for (const auto& p : *ports) {
    BOOST_TEST_MESSAGE("port " << p.name.c_str() << " (" << p.description.c_str() << ")");
    BOOST_TEST(p.name.starts_with("/dev/"));
    struct stat st;
    BOOST_TEST(::stat(p.name.c_str(), &st) == 0, p.name.c_str() << " exists");
  }
}

// A device policy that lists its ports in the order a directory gives them:
// list_serial_ports() returns them in natural order of their names.
struct shuffled_ports : sys::device_platform {
  static vitte::error serial_list(void (*each)(void*, const char*, const char*), void* ctx) noexcept {
    for (const char* name : {"/dev/ttyUSB0", "/dev/ttyS10", "/dev/ttyACM1", "/dev/ttyS2", "/dev/ttyS0", "/dev/ttyS1",
                             "/dev/ttyACM0", "/dev/ttyS11", "/dev/ttyS3"})
      each(ctx, name, "a port");
    return {};
  }
};

BOOST_AUTO_TEST_CASE(the_ports_are_listed_in_natural_order) {
  auto ports = sys::list_serial_ports<shuffled_ports>();
  BOOST_REQUIRE(ports);
  std::vector<std::string> names;
  for (const auto& p : *ports) names.emplace_back(p.name.c_str());
  const std::vector<std::string> want = {"/dev/ttyACM0", "/dev/ttyACM1", "/dev/ttyS0",  "/dev/ttyS1",  "/dev/ttyS2",
                                         "/dev/ttyS3",   "/dev/ttyS10",  "/dev/ttyS11", "/dev/ttyUSB0"};
  BOOST_TEST(names == want, boost::test_tools::per_element());
}

// A device policy whose reads and writes are interrupted and cut short:
// the port's loops retry and finish the job.
struct flaky_devices : sys::device_platform {
  static inline int calls = 0;
  static vitte::error device_read(sys::native_handle h, void* p, std::size_t n, std::size_t& got) noexcept {
    if (++calls % 3 == 1) return vitte::error{errc::interrupted, sys::dev_ops::device_read};
    return sys::device_platform::device_read(h, p, n < 3 ? n : 3, got);
  }
  static vitte::error device_write(sys::native_handle h, const void* p, std::size_t n, std::size_t& put) noexcept {
    if (++calls % 3 == 1) return vitte::error{errc::interrupted, sys::dev_ops::device_write};
    if (calls % 3 == 2) return vitte::error{errc::would_block, sys::dev_ops::device_write};
    return sys::device_platform::device_write(h, p, n < 2 ? n : 2, put);
  }
};

BOOST_AUTO_TEST_CASE(interrupted_and_short_transfers_are_retried) {
  auto pty = sys::pseudo_terminal::open().value();
  auto port = sys::basic_serial_port<flaky_devices>::open(pty.terminal_name()).value();
  auto data = vitte_test::random_bytes(1000, 7);
  BOOST_REQUIRE(port.write(data, soon()));
  std::vector<std::byte> got(data.size());
  std::size_t have = 0;
  while (have < got.size()) {
    auto n = pty.read(std::span(got).subspan(have), soon());
    BOOST_REQUIRE(n && *n > 0);
    have += *n;
  }
  BOOST_TEST(got == data);
  BOOST_REQUIRE(pty.write(data, soon()));
  std::vector<std::byte> back(data.size());
  BOOST_REQUIRE(port.read_exact(back, soon()));
  BOOST_TEST(back == data);
}

BOOST_AUTO_TEST_CASE(port_names_sort_as_people_number_them) {
  using vitte::sys::detail::natural_less;
  BOOST_TEST(natural_less("/dev/ttyS2", "/dev/ttyS10"));
  BOOST_TEST(!natural_less("/dev/ttyS10", "/dev/ttyS2"));
  BOOST_TEST(natural_less("/dev/ttyS10", "/dev/ttyUSB0"));
  BOOST_TEST(natural_less("COM9", "COM10"));
  BOOST_TEST(natural_less("uart1", "uart01x"), "equal numbers: the rest decides");
  BOOST_TEST(!natural_less("uart1", "uart1"));
  BOOST_TEST(natural_less("uart", "uart0"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(pseudo_terminals)

BOOST_AUTO_TEST_CASE(a_program_on_a_pty_sees_a_terminal_and_its_colours_arrive) {
  auto pty = sys::pseudo_terminal::open({30, 100}).value();
  BOOST_TEST(pty.terminal_name().starts_with("/dev/"));
  BOOST_TEST((pty.size().value() == sys::terminal_size{30, 100}));
  auto child = pty.command("/bin/sh")
                   .arg("-c")
                   .arg(
                       "test -t 0 && test -t 1 && test -t 2 && echo all-ttys; stty size; tty; "
                       "printf '\\033[31mred\\033[0m\\n' > /dev/tty")
                   .spawn()
                   .value();
  pty.close_terminal();
  std::string out = read_all(pty);
  BOOST_TEST(child.wait().value().success());
  BOOST_TEST(out.find("all-ttys\r\n") != std::string::npos, out);
  BOOST_TEST(out.find("30 100") != std::string::npos, "TIOCGWINSZ gives the window: " << out);
  BOOST_TEST(out.find(std::string(pty.terminal_name())) != std::string::npos, "tty names the pty: " << out);
  BOOST_TEST(out.find("\x1b[31mred\x1b[0m") != std::string::npos,
             "/dev/tty opens (the pty is the controlling terminal) and the escape arrives: " << out);
}

BOOST_AUTO_TEST_CASE(input_reaches_the_program_and_its_answer_comes_back) {
  auto pty = sys::pseudo_terminal::open().value();
  auto child = pty.command("/bin/sh").arg("-c").arg("read line; echo \"got <$line>\"").spawn().value();
  pty.close_terminal();
  BOOST_REQUIRE(pty.write("hello there\n", soon()));
  std::string out = read_all(pty);
  BOOST_TEST(child.wait().value().success());
  BOOST_TEST(out.find("hello there\r\n") != std::string::npos, "the terminal echoes in cooked mode: " << out);
  BOOST_TEST(out.find("got <hello there>") != std::string::npos, out);
}

BOOST_AUTO_TEST_CASE(a_resize_reaches_the_program_as_sigwinch) {
  auto pty = sys::pseudo_terminal::open({24, 80}).value();
  auto child = pty.command("/bin/sh")
                   .arg("-c")
                   .arg("trap 'stty size; exit 0' WINCH; echo ready; while :; do sleep 0.05; done")
                   .spawn()
                   .value();
  pty.close_terminal();
  std::string seen;
  BOOST_REQUIRE(vitte_test::read_until(pty, "ready", seen, soon()));
  BOOST_REQUIRE(pty.resize({50, 132}));
  BOOST_TEST((pty.size().value() == sys::terminal_size{50, 132}));
  BOOST_TEST(vitte_test::read_until(pty, "50 132", seen, soon()),
             "the foreground group got SIGWINCH and saw the new size: " << seen);
  BOOST_TEST(child.wait(sys::pseudo_terminal::child_deadline::after(5s)).value().success());
  BOOST_TEST(pty.resize({0, 80}).error() == errc::invalid_argument);
}

BOOST_AUTO_TEST_CASE(kill_stops_the_programs_group) {
  auto pty = sys::pseudo_terminal::open().value();
  auto child = pty.command("/bin/sh").arg("-c").arg("sleep 60 & echo started; wait").spawn().value();
  std::string seen;
  BOOST_REQUIRE(vitte_test::read_until(pty, "started", seen, soon()));
  auto st = child.kill().value();
  BOOST_TEST(st.signal() == SIGKILL);
  pty.close_terminal();
  std::byte b[256];
  vitte::result<std::size_t> n = std::size_t{1};
  while (n && *n > 0) n = pty.read(b, soon());
  BOOST_TEST((n && *n == 0u), "the end came: the background sleeper died with its group");
}

// docs/DEVICES.md: a write nobody is left to take is broken_pipe, on the
// terminal side (whose write the OS answers with EIO once the pty is
// closed: the first write already) and on the pty's side (whose writes
// fill the buffer of a terminal nobody has open any more, then find it
// hung up), not an I/O error and not a wait to the deadline.
BOOST_AUTO_TEST_CASE(a_write_nobody_can_take_fails_instead_of_spinning) {
  pty_and_port p;
  p.pty.close();  // the other side is gone
  std::vector<std::byte> big(1 << 20, std::byte{'x'});
  auto w = p.port.write(big, soon());
  BOOST_REQUIRE(!w);
  BOOST_TEST(w.error() == errc::broken_pipe, w.error());
  auto one = p.port.write_some(big, soon());
  BOOST_REQUIRE(!one);
  BOOST_TEST(one.error() == errc::broken_pipe, one.error());

  auto pty = sys::pseudo_terminal::open().value();
  pty.close_terminal();  // nobody has the terminal side open
  const auto start = std::chrono::steady_clock::now();
  auto typed = pty.write(big, soon(20'000ms));
  BOOST_REQUIRE(!typed);
  BOOST_TEST(typed.error() == errc::broken_pipe, typed.error());
  BOOST_TEST((std::chrono::steady_clock::now() - start < 10s), "found at once, not at the deadline");
}

BOOST_AUTO_TEST_CASE(one_session_per_terminal) {
  auto pty = sys::pseudo_terminal::open().value();
  auto first = pty.command("/bin/sh").arg("-c").arg("echo first; sleep 5").spawn().value();
  std::string seen;
  BOOST_REQUIRE(vitte_test::read_until(pty, "first", seen, soon()));
  auto second = pty.command("/bin/sh").arg("-c").arg("true").spawn();
  BOOST_REQUIRE(!second);
  BOOST_TEST(second.error() == errc::permission_denied, "the terminal already has a session");
  (void)first.kill();
  BOOST_TEST(sys::pseudo_terminal::open({0, 80}).error() == errc::invalid_argument);
}

// With 0, 1 and 2 closed, the pty's own descriptors take those numbers:
// the program must still get all three streams (the one already at its
// number loses its close-on-exec flag).
BOOST_AUTO_TEST_CASE(a_parent_without_standard_streams_still_gives_them_to_the_program) {
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(0);
    ::close(1);
    ::close(2);
    auto pty = sys::pseudo_terminal::open();
    if (!pty) ::_exit(10);
    auto child = pty->command("/bin/sh").arg("-c").arg("echo to-out; echo to-err >&2").spawn();
    if (!child) ::_exit(11);
    pty->close_terminal();
    std::string out = read_all(*pty);
    if (!child->wait().value().success()) ::_exit(12);
    bool both = out.find("to-out") != std::string::npos && out.find("to-err") != std::string::npos;
    ::_exit(both ? 0 : 13);
  }
  int st = 0;
  BOOST_REQUIRE(::waitpid(pid, &st, 0) == pid);
  BOOST_TEST((WIFEXITED(st) && WEXITSTATUS(st) == 0), "exit status " << WEXITSTATUS(st));
}

// With 0, 1 and 2 closed after the pty was opened, the spawn's report
// pipe takes low numbers: a program that cannot start must still be an
// error value, not a child that exits 127.
BOOST_AUTO_TEST_CASE(a_failed_start_is_reported_whatever_descriptors_are_free) {
  int st = in_child_process([] {
    auto pty = sys::pseudo_terminal::open();
    if (!pty) ::_exit(10);
    ::close(0);
    ::close(1);
    ::close(2);
    auto child = pty->command("/bin/sh").cwd("/nonexistent/vitte-directory").spawn();
    ::_exit(!child && child.error() == errc::not_found ? 0 : 11);
  });
  BOOST_TEST((WIFEXITED(st) && WEXITSTATUS(st) == 0), "exit status " << WEXITSTATUS(st));
}

BOOST_AUTO_TEST_CASE(a_program_that_cannot_start_is_an_error_value) {
  auto pty = sys::pseudo_terminal::open().value();
  auto child = pty.command("/nonexistent/vitte-program").spawn();
  BOOST_REQUIRE(!child);
  BOOST_TEST(child.error() == errc::not_found);
  sys::pseudo_terminal closed;
  BOOST_TEST(closed.resize({10, 10}).error() == errc::bad_descriptor);
  std::byte b[1];
  BOOST_TEST(closed.read(b).error() == errc::bad_descriptor);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(terminal_modes)

namespace {
struct termios attributes(int fd) {
  struct termios t;
  BOOST_REQUIRE(::tcgetattr(fd, &t) == 0);
  return t;
}
bool same_modes(const struct termios& a, const struct termios& b) {
  return a.c_iflag == b.c_iflag && a.c_oflag == b.c_oflag && a.c_lflag == b.c_lflag && a.c_cflag == b.c_cflag;
}
}  // namespace

BOOST_AUTO_TEST_CASE(raw_mode_is_entered_and_left) {
  auto pty = sys::pseudo_terminal::open().value();
  int fd = static_cast<int>(pty.terminal_handle());
  struct termios cooked = attributes(fd);
  {
    auto raw = sys::raw_mode::enter(pty.terminal_handle()).value();
    struct termios t = attributes(fd);
    BOOST_TEST((t.c_lflag & (ICANON | ECHO | ISIG)) == 0u);
    BOOST_TEST((t.c_oflag & OPOST) == 0u);
  }
  BOOST_TEST(same_modes(attributes(fd), cooked), "the destructor put the modes back");
  auto not_tty = sys::raw_mode::enter(STDIN_FILENO == 0 && ::isatty(0) ? -1 : 0);
  BOOST_TEST((!not_tty && not_tty.error() == errc::invalid_argument));
}

BOOST_AUTO_TEST_CASE(raw_mode_is_undone_at_exit_and_on_a_fatal_signal) {
  for (int how : {0, SIGTERM, SIGINT, SIGHUP, SIGQUIT}) {
    auto pty = sys::pseudo_terminal::open().value();
    int fd = static_cast<int>(pty.terminal_handle());
    struct termios cooked = attributes(fd);
    std::fflush(nullptr);
    std::cout.flush();
    pid_t pid = ::fork();
    if (pid == 0) {
      struct sigaction now;
      if (how != 0 && ::sigaction(how, nullptr, &now) == 0 && now.sa_handler == SIG_IGN) ::_exit(5);
      auto raw = sys::raw_mode::enter(pty.terminal_handle());
      if (!raw) ::_exit(3);
      if (how == 0) std::exit(0);
      ::raise(how);
      ::_exit(4);
    }
    int st = 0;
    BOOST_REQUIRE(::waitpid(pid, &st, 0) == pid);
    if (WIFEXITED(st) && WEXITSTATUS(st) == 5) {
      BOOST_TEST_MESSAGE("skipped " << ::strsignal(how)
                                    << ": this test runs with it ignored (nohup), as the program would");
      continue;
    }
    BOOST_TEST_CONTEXT("ended by " << (how == 0 ? "exit" : ::strsignal(how))) {
      if (how == 0) BOOST_TEST((WIFEXITED(st) && WEXITSTATUS(st) == 0));
      if (how != 0) BOOST_TEST((WIFSIGNALED(st) && WTERMSIG(st) == how), "the signal still ends the program");
      BOOST_TEST(same_modes(attributes(fd), cooked), "the terminal is cooked again");
    }
  }
}

template <class F>
int in_child(F body) {
  return in_child_process(body);
}

BOOST_AUTO_TEST_CASE(a_forked_child_leaves_its_parents_raw_terminal_alone) {
  auto pty = sys::pseudo_terminal::open().value();
  int fd = static_cast<int>(pty.terminal_handle());
  auto raw = sys::raw_mode::enter(pty.terminal_handle()).value();
  struct termios raw_modes = attributes(fd);
  int st = in_child([] { std::exit(0); });
  BOOST_TEST((WIFEXITED(st) && WEXITSTATUS(st) == 0));
  BOOST_TEST(same_modes(attributes(fd), raw_modes), "a child's exit() did not restore the parent's terminal");
  st = in_child([] { ::raise(SIGTERM); });
  BOOST_TEST((WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM));
  BOOST_TEST(same_modes(attributes(fd), raw_modes), "nor did a child killed by SIGTERM");
}

BOOST_AUTO_TEST_CASE(a_forked_child_leaves_a_static_raw_mode_to_its_parent) {
  auto pty = sys::pseudo_terminal::open().value();
  int fd = static_cast<int>(pty.terminal_handle());
  static sys::raw_mode kept;  // its destructor runs at exit(), in a forked child too
  kept = sys::raw_mode::enter(pty.terminal_handle()).value();
  struct termios raw_modes = attributes(fd);
  int st = in_child([] { std::exit(0); });
  BOOST_TEST((WIFEXITED(st) && WEXITSTATUS(st) == 0));
  BOOST_TEST(same_modes(attributes(fd), raw_modes), "the child's exit() ran the destructor and left the terminal raw");
  BOOST_CHECK(kept.restore());
}

BOOST_AUTO_TEST_CASE(a_raw_mode_outliving_its_descriptor_touches_no_other_terminal) {
  auto first = sys::pseudo_terminal::open().value();
  auto raw = sys::raw_mode::enter(first.terminal_handle()).value();
  first.close();  // the number, and maybe the /dev/pts name, are free again
  auto second = sys::pseudo_terminal::open().value();
  int fd = static_cast<int>(second.terminal_handle());
  struct termios before = attributes(fd);
  BOOST_TEST_MESSAGE("raw mode entered on descriptor " << raw.native() << ", the new terminal's is " << fd);
  (void)raw.restore();  // reaches the first terminal through the record's own descriptor
  BOOST_TEST(same_modes(attributes(fd), before), "the first terminal's modes did not land on the second");
  int st = in_child([] { std::exit(0); });
  BOOST_TEST(WIFEXITED(st));
  BOOST_TEST(same_modes(attributes(fd), before), "nor at exit()");
}

// A terminal whose inode changes while raw (written to, chmod'ed: what
// mesg does, what devfs does on every write on macOS and the BSDs) is
// still restored.
BOOST_AUTO_TEST_CASE(a_terminal_changed_while_raw_is_still_restored) {
  auto pty = sys::pseudo_terminal::open().value();
  int fd = static_cast<int>(pty.terminal_handle());
  struct termios cooked = attributes(fd);
  struct stat st;
  BOOST_REQUIRE(::fstat(fd, &st) == 0);
  {
    auto raw = sys::raw_mode::enter(pty.terminal_handle()).value();
    BOOST_REQUIRE(::write(fd, "x", 1) == 1);
    BOOST_REQUIRE(::fchmod(fd, (st.st_mode & 07777) ^ 0020) == 0);
    BOOST_CHECK(raw.restore());
  }
  BOOST_TEST(same_modes(attributes(fd), cooked));
  (void)::fchmod(fd, st.st_mode & 07777);
}

BOOST_AUTO_TEST_CASE(nested_raw_modes_unwind_in_order_at_exit) {
  for (int inner_left_first : {0, 1}) {
    auto pty = sys::pseudo_terminal::open().value();
    int fd = static_cast<int>(pty.terminal_handle());
    struct termios cooked = attributes(fd);
    int st = in_child([&] {
      auto outer = sys::raw_mode::enter(pty.terminal_handle());
      auto inner = sys::raw_mode::enter(pty.terminal_handle());
      if (!outer || !inner) ::_exit(3);
      if (inner_left_first) (void)inner->restore();
      std::exit(0);
    });
    BOOST_TEST_CONTEXT((inner_left_first ? "inner left first" : "both alive at exit")) {
      BOOST_TEST((WIFEXITED(st) && WEXITSTATUS(st) == 0));
      BOOST_TEST(same_modes(attributes(fd), cooked), "the outermost saved modes win");
    }
  }
}

BOOST_AUTO_TEST_CASE(raw_modes_entered_on_many_threads_free_their_records) {
  std::vector<sys::pseudo_terminal> ptys;
  for (int i = 0; i < 4; ++i) ptys.push_back(sys::pseudo_terminal::open().value());
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&, i] {
      for (int round = 0; round < 200; ++round) {
        auto outer = sys::raw_mode::enter(ptys[i].terminal_handle());
        auto inner = sys::raw_mode::enter(ptys[i].terminal_handle());
        if (!outer || !inner) ++failures;
      }
    });
  for (auto& t : threads) t.join();
  BOOST_TEST(failures.load() == 0, "8 records are enough for 4 threads nesting two deep");
  std::vector<sys::raw_mode> all;
  for (int i = 0; i < 8; ++i) all.push_back(sys::raw_mode::enter(ptys[i % 4].terminal_handle()).value());
  BOOST_TEST(sys::raw_mode::enter(ptys[0].terminal_handle()).error() == errc::limit_exceeded, "and no record leaked");
}

namespace {
std::atomic<int> program_winch_calls{0};
void program_winch(int, siginfo_t*, void*) { ++program_winch_calls; }
}  // namespace

BOOST_AUTO_TEST_CASE(the_programs_own_sigwinch_handler_keeps_running) {
  struct sigaction act, old;
  std::memset(&act, 0, sizeof act);
  act.sa_sigaction = program_winch;
  act.sa_flags = SA_SIGINFO;
  sigemptyset(&act.sa_mask);
  BOOST_REQUIRE(::sigaction(SIGWINCH, &act, &old) == 0);  // installed after vitte's: the next watch chains it
  auto watch = sys::resize_watch::open().value();
  program_winch_calls = 0;
  ::raise(SIGWINCH);
  BOOST_TEST(watch.take());
  BOOST_TEST(program_winch_calls.load() == 1, "the SA_SIGINFO handler installed before the watch still runs");
  watch.close();
  ::sigaction(SIGWINCH, &old, nullptr);
}

namespace {
struct sigaction vitte_winch;
std::atomic<int> chaining_calls{0};
// A handler that calls the one it replaced, as readline's does.
void chaining_winch(int sig, siginfo_t* info, void* ctx) {
  ++chaining_calls;
  if ((vitte_winch.sa_flags & SA_SIGINFO) != 0) vitte_winch.sa_sigaction(sig, info, ctx);
}
}  // namespace

BOOST_AUTO_TEST_CASE(a_handler_that_chains_back_to_vitte_does_not_recurse) {
  auto first = sys::resize_watch::open().value();
  struct sigaction act, before;
  std::memset(&act, 0, sizeof act);
  act.sa_sigaction = chaining_winch;
  act.sa_flags = SA_SIGINFO;
  sigemptyset(&act.sa_mask);
  BOOST_REQUIRE(::sigaction(SIGWINCH, &act, &vitte_winch) == 0);
  before = vitte_winch;
  auto second = sys::resize_watch::open().value();  // puts vitte's in front of the chaining one
  chaining_calls = 0;
  ::raise(SIGWINCH);
  BOOST_TEST(first.take());
  BOOST_TEST(second.take());
  BOOST_TEST(chaining_calls.load() == 1);
  second.close();
  first.close();
  ::sigaction(SIGWINCH, &before, nullptr);
}

BOOST_AUTO_TEST_CASE(an_ignored_sigwinch_with_siginfo_flags_is_not_called) {
  struct sigaction act, old;
  std::memset(&act, 0, sizeof act);
  act.sa_handler = SIG_IGN;
  act.sa_flags = SA_SIGINFO;
  sigemptyset(&act.sa_mask);
  BOOST_REQUIRE(::sigaction(SIGWINCH, &act, &old) == 0);
  auto watch = sys::resize_watch::open().value();
  ::raise(SIGWINCH);
  BOOST_TEST(watch.take(), "heard, and the ignored disposition was not called (it would crash)");
  watch.close();
  ::sigaction(SIGWINCH, &old, nullptr);
}

BOOST_AUTO_TEST_CASE(window_sizes_and_their_changes) {
  auto pty = sys::pseudo_terminal::open({33, 77}).value();
  auto s = sys::get_terminal_size(pty.terminal_handle());
  BOOST_REQUIRE(s);
  BOOST_TEST((*s == sys::terminal_size{33, 77}));
  BOOST_TEST(sys::get_terminal_size(-1).error() != errc::ok);
  auto watch = sys::resize_watch::open().value();
  BOOST_TEST(!watch.take());
  ::raise(SIGWINCH);
  BOOST_TEST(watch.take());
  BOOST_TEST(!watch.take(), "the news is consumed");
  auto second = sys::resize_watch::open().value();
  ::raise(SIGWINCH);
  BOOST_TEST(watch.take());
  BOOST_TEST(second.take(), "every watch hears it");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(null_modem)

// socat joins two ptys as a null-modem cable; two serial ports talk
// through it at several rates, both ways at once.
BOOST_AUTO_TEST_CASE(two_ports_joined_by_socat_carry_data_both_ways) {
  if (!vitte_test::have("socat")) {
    BOOST_TEST_MESSAGE("skipped: socat is not installed (apt-get install socat)");
    return;
  }
  char dir_template[] = "/tmp/vitte-null-modem-XXXXXX";
  BOOST_REQUIRE(::mkdtemp(dir_template) != nullptr);
  std::string dir = dir_template, a = dir + "/a", b = dir + "/b";
  auto socat = sys::command("socat")
                   .arg("pty,raw,echo=0,link=" + a)
                   .arg("pty,raw,echo=0,link=" + b)
                   .err(sys::stdio::null())
                   .spawn()
                   .value();
  for (int i = 0; i < 500 && (::access(a.c_str(), F_OK) != 0 || ::access(b.c_str(), F_OK) != 0); ++i) ::usleep(10'000);
  for (std::uint32_t baud : {9600u, 115200u, 460800u, 1'000'000u}) {
    BOOST_TEST_CONTEXT("baud " << baud) {
      sys::serial_settings s;
      s.baud = baud;
      auto left = sys::serial_port::open(a, s);
      auto right = sys::serial_port::open(b, s);
      BOOST_REQUIRE(left);
      BOOST_REQUIRE(right);
      auto there = vitte_test::random_bytes(64 << 10, baud), back = vitte_test::random_bytes(48 << 10, baud + 1);
      std::vector<std::byte> got_there(there.size()), got_back(back.size());
      // Interleave writes and reads so neither side's buffer fills.
      std::size_t sent_a = 0, sent_b = 0, recv_a = 0, recv_b = 0;
      auto d = soon(20000ms);
      while ((recv_a < back.size() || recv_b < there.size()) && !d.expired()) {
        if (sent_a < there.size()) {
          auto n =
              left->write_some(std::span(there).subspan(sent_a, std::min<std::size_t>(4096, there.size() - sent_a)),
                               sys::deadline::after(1ms));
          if (n) sent_a += *n;
        }
        if (sent_b < back.size()) {
          auto n = right->write_some(std::span(back).subspan(sent_b, std::min<std::size_t>(4096, back.size() - sent_b)),
                                     sys::deadline::after(1ms));
          if (n) sent_b += *n;
        }
        if (recv_b < there.size()) {
          auto n = right->read(std::span(got_there).subspan(recv_b), sys::deadline::after(1ms));
          if (n) recv_b += *n;
        }
        if (recv_a < back.size()) {
          auto n = left->read(std::span(got_back).subspan(recv_a), sys::deadline::after(1ms));
          if (n) recv_a += *n;
        }
      }
      BOOST_TEST(got_there == there);
      BOOST_TEST(got_back == back);
    }
  }
  (void)socat.kill();
  ::unlink(a.c_str());
  ::unlink(b.c_str());
  ::rmdir(dir.c_str());
}

BOOST_AUTO_TEST_SUITE_END()
