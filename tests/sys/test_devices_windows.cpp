// Serial ports, pseudo consoles and console modes on Windows
// (vitte/sys/serial.hpp, pseudo_terminal.hpp, terminal_mode.hpp), run
// under Wine by the matrix. tests/sys/wine_null_modem.py joins two COM
// ports with socat's null modem and names them in VITTE_NULL_MODEM
// ("COM40,COM41"); without it the port checks say why they skip. POSIX:
// test_devices.cpp.
#include <vitte/sys/info.hpp>
#include <vitte/sys/path.hpp>
#include <vitte/sys/process.hpp>
#include <vitte/sys/pseudo_terminal.hpp>
#include <vitte/sys/serial.hpp>
#include <vitte/sys/terminal_mode.hpp>

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <iostream>
#include <random>
#include <span>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/test/unit_test.hpp>

#include <windows.h>

#include "print.hpp"
#include "support/pty_io.hpp"

namespace vitte::sys {
inline std::ostream& operator<<(std::ostream& os, const serial_settings& s) {
  static const char* const parities[] = {"N", "O", "E", "M", "S"};
  static const char* const stops[] = {"1", "1.5", "2"};
  static const char* const flows[] = {"none", "rts/cts", "xon/xoff"};
  return os << s.baud << " " << int(s.data_bits) << parities[int(s.line_parity)] << stops[int(s.stop)] << " "
            << flows[int(s.flow)];
}
inline std::ostream& operator<<(std::ostream& os, const terminal_size& s) { return os << s.rows << "x" << s.columns; }
inline std::ostream& operator<<(std::ostream& os, const exit_status& st) {
  return os << (st.exited() ? "exit " : "signal ") << st.value;
}
}  // namespace vitte::sys

namespace sys = vitte::sys;
using namespace std::chrono_literals;
using vitte::errc;

namespace {

sys::deadline soon(std::chrono::milliseconds ms = 10'000ms) { return sys::deadline::after(ms); }

std::string test_dir() { return std::string(sys::parent_path(sys::executable_path().value())); }
std::string helper() { return sys::path_join(test_dir(), "helper_child.exe"); }

// Why a status failed, for a message ("" when it did not).
std::string why(const vitte::status& s) { return s ? std::string() : std::string(s.error().message().view()); }

// Wine (its ntdll exports wine_get_version), where some checks differ.
bool on_wine() { return ::GetProcAddress(::GetModuleHandleW(L"ntdll.dll"), "wine_get_version") != nullptr; }

// The two ends of the null modem wine_null_modem.py made.
bool null_modem_ports(std::string& a, std::string& b) {
  const char* names = std::getenv("VITTE_NULL_MODEM");
  std::string v = names != nullptr ? names : "";
  std::size_t comma = v.find(',');
  if (comma == std::string::npos) return false;
  a = v.substr(0, comma);
  b = v.substr(comma + 1);
  return true;
}

// The precondition of the null-modem suite: it skips, saying why, without.
boost::test_tools::assertion_result have_null_modem(boost::unit_test::test_unit_id) {
  std::string a, b;
  boost::test_tools::assertion_result have(null_modem_ports(a, b));
  have.message() << "no null modem (VITTE_NULL_MODEM unset: tests/sys/wine_null_modem.py sets it, with socat)";
  return have;
}

struct port_pair {
  sys::serial_port a, b;
};

void open_pair(port_pair& p, const sys::serial_settings& s = {}) {
  std::string a, b;
  BOOST_REQUIRE(null_modem_ports(a, b));
  auto left = sys::serial_port::open(a, s);
  auto right = sys::serial_port::open(b, s);
  BOOST_REQUIRE_MESSAGE(left, a << ": " << left.error());
  BOOST_REQUIRE_MESSAGE(right, b << ": " << right.error());
  p.a = std::move(*left);
  p.b = std::move(*right);
}

// Everything `pty` gives until its end (or the deadline).
std::string read_all(sys::pseudo_terminal& pty, sys::deadline d = soon()) {
  std::string out;
  std::byte buf[4096];
  for (;;) {
    auto n = pty.read(buf, d);
    if (!n) {
      BOOST_TEST_MESSAGE("read_all stopped: " << n.error());
      return out;
    }
    if (*n == 0) return out;
    out.append(reinterpret_cast<const char*>(buf), *n);
  }
}

// Wine 8 starts a program on a pseudo console without the console as its
// standard handles (kernelbase binds none; later Wine does): true, with the
// reason printed, there.
bool wine_without_console_handles() {
  using version_fn = const char*(__cdecl*)();
  auto version = reinterpret_cast<version_fn>(
      reinterpret_cast<void (*)()>(::GetProcAddress(::GetModuleHandleW(L"ntdll.dll"), "wine_get_version")));
  if (version == nullptr || std::atoi(version()) >= 9) return false;
  BOOST_TEST_MESSAGE("skipped: Wine " << version()
                                      << " gives a program on a pseudo console no standard handles (only CONIN$ "
                                         "and CONOUT$ reach the console)");
  return true;
}

// A pseudo console, or false with the reason printed (Windows before 10
// 1809, a Wine without conhost).
bool open_pty(sys::pseudo_terminal& out, sys::terminal_size size = {}) {
  auto pty = sys::pseudo_terminal::open(size);
  if (!pty) {
    BOOST_TEST(pty.error() == errc::not_supported, pty.error());
    BOOST_TEST_MESSAGE("skipped: no pseudo consoles here (" << pty.error() << ")");
    return false;
  }
  out = std::move(*pty);
  return true;
}

// --- the test as a program on a pseudo console ---------------------------------------
// A test run by meson under Wine has no console (AllocConsole fails), so
// the console checks run in this executable started on a pseudo console
// with VITTE_DEVICES_CHILD=<step>; each step reports "[name=value]" lines
// through CONOUT$, which the test reads from the pseudo console.

int console_step(const std::string& step) {
  HANDLE in = ::CreateFileW(L"CONIN$", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                            OPEN_EXISTING, 0, nullptr);
  HANDLE out = ::CreateFileW(L"CONOUT$", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                             OPEN_EXISTING, 0, nullptr);
  if (in == INVALID_HANDLE_VALUE || out == INVALID_HANDLE_VALUE) return 3;
  auto say = [out](const std::string& name, const std::string& value) {
    std::string line = "[" + name + "=" + value + "]\r\n";
    DWORD n = 0;
    ::WriteFile(out, line.data(), static_cast<DWORD>(line.size()), &n, nullptr);
  };
  auto hex = [](DWORD v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%lx", static_cast<unsigned long>(v));
    return std::string(buf);
  };
  auto mode_of = [](HANDLE h) {
    DWORD m = 0;
    ::GetConsoleMode(h, &m);
    return m;
  };
  auto in_handle = reinterpret_cast<sys::native_handle>(in);
  auto out_handle = reinterpret_cast<sys::native_handle>(out);
  if (step == "modes") {
    say("mode", hex(mode_of(in)));
    {
      auto raw = sys::raw_mode::enter(in_handle);
      if (!raw) return 4;
      say("raw", hex(mode_of(in)));
    }
    say("restored", hex(mode_of(in)));
    DWORD out_before = mode_of(out);
    {
      auto raw = sys::raw_mode::enter(out_handle);
      say("output", raw && mode_of(out) != 0 ? "ok" : "failed");
    }
    if (mode_of(out) != out_before) say("output", "not restored");
    // Raw twice, never destroyed: only the exit hook restores, the latest
    // first, so that the console gets its first mode back.
    auto raw = sys::raw_mode::enter(in_handle).value();
    auto again = sys::raw_mode::enter(in_handle).value();
    say("exiting", (mode_of(in) & ENABLE_LINE_INPUT) == 0 ? "raw" : "cooked");
    std::exit(0);
  }
  if (step == "check") {
    say("after", hex(mode_of(in)));
    return 0;
  }
  if (step == "window") {
    auto size = sys::get_terminal_size(out_handle);
    say("size", size ? std::to_string(size->rows) + "x" + std::to_string(size->columns) : "error");
    auto watch = sys::resize_watch::open();
    if (!watch) return 5;
    ::Sleep(300);  // a few of the watch's looks at the window
    say("early", watch->take() ? "yes" : "no");
    CONSOLE_SCREEN_BUFFER_INFO info;
    SMALL_RECT smaller;
    bool made = ::GetConsoleScreenBufferInfo(out, &info) != 0;
    if (made) {
      smaller = info.srWindow;
      smaller.Bottom = static_cast<SHORT>(smaller.Bottom - 2);
      made = ::SetConsoleWindowInfo(out, TRUE, &smaller) != 0;
    }
    say("change", made ? "made" : "error " + std::to_string(::GetLastError()));
    if (!made) return 0;
    bool seen = false;
    for (int i = 0; i < 40 && !seen; ++i) {
      ::Sleep(50);
      seen = watch->take();
    }
    say("seen", seen ? "yes" : "no");
    ::Sleep(300);
    say("again", watch->take() ? "yes" : "no");
    return 0;
  }
  return 2;
}

// Before Boost.Test's main: the child steps above.
const bool console_step_hook = [] {
  if (const char* step = std::getenv("VITTE_DEVICES_CHILD")) std::exit(console_step(step));
  return false;
}();

// Runs each of `steps` in turn on one pseudo console; what they reported.
bool run_on_console(std::initializer_list<const char*> steps, std::string& report, sys::terminal_size size = {}) {
  sys::pseudo_terminal pty;
  if (!open_pty(pty, size)) return false;
  for (const char* step : steps) {
    auto child = pty.command(sys::executable_path().value()).env("VITTE_DEVICES_CHILD", step).spawn();
    BOOST_REQUIRE_MESSAGE(child, child.error());
    auto st = child->wait(sys::pseudo_terminal::child_deadline::after(20s));
    BOOST_REQUIRE_MESSAGE(st, st.error());
    BOOST_TEST_CONTEXT("step " << step) { BOOST_TEST(st->value == 0); }
  }
  pty.close_terminal();
  report = read_all(pty, soon(20'000ms));
  return true;
}

// The "[name=value]" items of a report, without the console's escapes.
std::string items(const std::string& report) {
  std::string out;
  for (std::size_t end = report.find(']'); end != std::string::npos; end = report.find(']', end + 1)) {
    std::size_t at = report.rfind('[', end);
    if (at == std::string::npos) continue;
    std::string item = report.substr(at, end + 1 - at);
    if (item.find('=') != std::string::npos && item.find('\x1b') == std::string::npos) out += item;
  }
  return out;
}

// The value of "[name=value]" in a report ("" when missing).
std::string field(const std::string& report, const std::string& name) {
  std::size_t at = report.find("[" + name + "=");
  if (at == std::string::npos) return {};
  at += name.size() + 2;
  return report.substr(at, report.find(']', at) - at);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(serial_ports)

BOOST_AUTO_TEST_CASE(a_missing_port_is_not_found) {
  for (const char* name : {"COM199", "com198", "\\\\.\\COM197"}) {
    auto p = sys::serial_port::open(name);
    BOOST_TEST_CONTEXT(name) {
      BOOST_REQUIRE(!p);
      BOOST_TEST(p.error() == errc::not_found, p.error());
      BOOST_TEST(p.error().op() == sys::dev_ops::device_open);
      vitte::diagnostic why;  // names the port as given, with the error's kind
      BOOST_TEST(!sys::serial_port::open(name, {}, &why));
      BOOST_TEST(why.kind() == errc::not_found);
      BOOST_TEST(std::string(why.format().c_str()) == std::string(name) + ": no such device");
    }
  }
  BOOST_TEST(sys::serial_port::open("").error() == errc::invalid_argument);
  BOOST_TEST(sys::serial_port::open(std::string("COM1\0x", 6)).error() == errc::invalid_argument);
}

BOOST_AUTO_TEST_CASE(a_regular_file_is_not_a_port) {
  wchar_t dir[MAX_PATH], file[MAX_PATH];
  BOOST_REQUIRE(::GetTempPathW(MAX_PATH, dir) > 0);
  BOOST_REQUIRE(::GetTempFileNameW(dir, L"vtd", 0, file) != 0);
  char name[MAX_PATH * 3];
  BOOST_REQUIRE(::WideCharToMultiByte(CP_UTF8, 0, file, -1, name, sizeof name, nullptr, nullptr) > 0);
  vitte::diagnostic why;
  auto p = sys::serial_port::open(name, {}, &why);
  BOOST_TEST(::DeleteFileW(file));
  BOOST_REQUIRE(!p);
  BOOST_TEST(p.error() == errc::invalid_argument, p.error());
  BOOST_TEST(why.kind() == errc::invalid_argument);
  BOOST_TEST(std::string(why.format().c_str()) == std::string(name) + ": not a terminal or serial device");
}

BOOST_AUTO_TEST_CASE(the_ports_present_are_listed) {
  auto ports = sys::list_serial_ports();
  BOOST_REQUIRE_MESSAGE(ports, ports.error());
  for (const sys::serial_port_info& p : *ports) {
    BOOST_TEST_MESSAGE("port " << p.name.c_str() << " (" << p.description.c_str() << ")");
    BOOST_TEST(!p.name.empty());
  }
  for (std::size_t i = 1; i < ports->size(); ++i) BOOST_TEST((*ports)[i - 1].name.compare((*ports)[i].name) <= 0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(null_modem, *boost::unit_test::precondition(have_null_modem))

BOOST_AUTO_TEST_CASE(settings_are_read_back) {
  port_pair p;
  open_pair(p);
  BOOST_TEST(p.a.settings().value() == sys::serial_settings{});
  for (std::uint32_t baud : {1200u, 9600u, 19200u, 57600u, 115200u, 230400u, 460800u, 921600u}) {
    sys::serial_settings s;
    s.baud = baud;
    BOOST_TEST_CONTEXT(s) {
      auto r = p.a.configure(s);
      BOOST_TEST(r.has_value(), why(r));
      BOOST_TEST(p.a.settings().value() == s);
    }
  }
  // Framings a 16550 has, and rates no table names: what the driver keeps
  // reads back; anything else must be refused as not_supported (a Linux
  // pseudo-terminal under Wine keeps 8 data bits without parity, and
  // Wine 8 sets no rate outside the termios table).
  std::vector<sys::serial_settings> framings;
  for (std::uint8_t bits : {5, 6, 7, 8})
    for (auto par : {sys::parity::none, sys::parity::odd, sys::parity::even, sys::parity::mark, sys::parity::space})
      for (auto stop : {sys::stop_bits::one, sys::stop_bits::one_and_half, sys::stop_bits::two}) {
        if (stop == sys::stop_bits::one_and_half && bits != 5) continue;
        framings.push_back({9600, bits, par, stop, sys::flow_control::none});
      }
  framings.push_back({38400, 8, sys::parity::none, sys::stop_bits::one, sys::flow_control::hardware});
  framings.push_back({38400, 8, sys::parity::none, sys::stop_bits::one, sys::flow_control::software});
  framings.push_back({250'000, 8, sys::parity::none, sys::stop_bits::one, sys::flow_control::none});
  framings.push_back({31'250, 8, sys::parity::none, sys::stop_bits::one, sys::flow_control::none});
  std::ostringstream kept, refused;
  for (const sys::serial_settings& s : framings) {
    BOOST_TEST_CONTEXT(s) {
      auto before = p.a.settings();
      BOOST_REQUIRE(before);
      vitte::diagnostic says;
      auto r = p.a.configure(s, &says);
      auto now = p.a.settings();
      BOOST_REQUIRE(now);
      if (r) {
        BOOST_TEST(*now == s);
        kept << " [" << s << "]";
      } else {
        BOOST_TEST(r.error() == errc::not_supported, r.error());
        BOOST_TEST(says.kind() == errc::not_supported);  // the field the driver did not keep, or the call refused
        BOOST_TEST(!says.message().empty());
        BOOST_TEST_MESSAGE(s << ": " << says.format().c_str());
        BOOST_TEST(*now == *before, "a refused change leaves the line as it was: " << *before << " became " << *now);
        refused << " [" << s << "]";
      }
    }
  }
  BOOST_TEST_MESSAGE("this port keeps:" << kept.str());
  BOOST_TEST_MESSAGE("and refuses (not_supported):" << refused.str());
  sys::serial_settings bad;
  bad.data_bits = 9;
  BOOST_TEST(p.a.configure(bad).error() == errc::invalid_argument);
  vitte::diagnostic why;
  BOOST_TEST(p.a.configure(bad, &why).error() == errc::invalid_argument);
  BOOST_TEST(std::string(why.format().c_str()) == "data bits 9: not 5, 6, 7 or 8");
  bad = {};
  bad.baud = 0;
  BOOST_TEST(p.a.configure(bad).error() == errc::invalid_argument);
}

// Both ways at once at several rates: the writes interleave with reads so
// that neither side's buffer fills.
BOOST_AUTO_TEST_CASE(data_crosses_both_ways) {
  for (std::uint32_t baud : {9600u, 115200u, 921600u}) {
    sys::serial_settings s;
    s.baud = baud;
    port_pair p;
    open_pair(p, s);
    BOOST_TEST_CONTEXT("baud " << baud) {
      auto there = vitte_test::random_bytes(64 << 10, baud), back = vitte_test::random_bytes(48 << 10, baud + 1);
      std::vector<std::byte> got_there(there.size()), got_back(back.size());
      std::size_t sent_a = 0, sent_b = 0, recv_a = 0, recv_b = 0;
      auto d = soon(30'000ms);
      while ((recv_a < back.size() || recv_b < there.size()) && !d.expired()) {
        if (sent_a < there.size()) {
          auto n = p.a.write_some(std::span(there).subspan(sent_a), sys::deadline::after(1ms));
          if (n) sent_a += *n;
          if (!n) BOOST_TEST(n.error() == errc::timed_out, n.error());
        }
        if (sent_b < back.size()) {
          auto n = p.b.write_some(std::span(back).subspan(sent_b), sys::deadline::after(1ms));
          if (n) sent_b += *n;
          if (!n) BOOST_TEST(n.error() == errc::timed_out, n.error());
        }
        if (recv_b < there.size()) {
          auto n = p.b.read(std::span(got_there).subspan(recv_b), sys::deadline::after(1ms));
          if (n) recv_b += *n;
          if (!n) BOOST_TEST(n.error() == errc::timed_out, n.error());
        }
        if (recv_a < back.size()) {
          auto n = p.a.read(std::span(got_back).subspan(recv_a), sys::deadline::after(1ms));
          if (n) recv_a += *n;
          if (!n) BOOST_TEST(n.error() == errc::timed_out, n.error());
        }
      }
      BOOST_TEST(recv_b == there.size());
      BOOST_TEST(recv_a == back.size());
      BOOST_TEST((got_there == there));
      BOOST_TEST((got_back == back));
    }
  }
}

BOOST_AUTO_TEST_CASE(a_read_with_nothing_arriving_times_out_at_its_deadline) {
  port_pair p;
  open_pair(p);
  std::byte buf[16];
  for (auto wait : {50ms, 300ms}) {
    auto t0 = std::chrono::steady_clock::now();
    auto r = p.b.read(buf, sys::deadline::after(wait));
    auto took = std::chrono::steady_clock::now() - t0;
    BOOST_TEST_CONTEXT("deadline in " << wait.count() << " ms, took "
                                      << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms") {
      BOOST_REQUIRE(!r);
      BOOST_TEST(r.error() == errc::timed_out, r.error());
      BOOST_TEST((took >= wait), "not before the deadline");
      BOOST_TEST((took < wait + 1000ms), "soon after it (a loaded machine under Wine)");
    }
  }
  // A byte arriving in the middle of a wait ends it.
  std::thread later([&] {
    std::this_thread::sleep_for(200ms);
    (void)p.a.write(std::string_view("x"));
  });
  auto t0 = std::chrono::steady_clock::now();
  auto r = p.b.read(buf, soon(5000ms));
  auto took = std::chrono::steady_clock::now() - t0;
  later.join();
  BOOST_REQUIRE_MESSAGE(r, r.error());
  BOOST_TEST(*r == 1u);
  BOOST_TEST((took < 1500ms), "woken by the byte, not the deadline");
  auto none = p.b.read(buf, sys::deadline::after(0ms));
  BOOST_TEST(none.error() == errc::timed_out);
}

BOOST_AUTO_TEST_CASE(flush_discards_what_was_received) {
  port_pair p;
  open_pair(p);
  BOOST_REQUIRE(p.a.write(std::string_view("stale bytes"), soon()));
  BOOST_REQUIRE(p.a.drain());
  std::this_thread::sleep_for(300ms);  // through socat into b's queue
  BOOST_REQUIRE(p.b.flush(sys::serial_queue::input));
  std::byte buf[64];
  auto r = p.b.read(buf, sys::deadline::after(200ms));
  BOOST_TEST(!r, "nothing left to read");
  BOOST_REQUIRE(p.a.write(std::string_view("fresh"), soon()));
  std::byte five[5];
  BOOST_REQUIRE(p.b.read_exact(five, soon()));
  BOOST_TEST(std::string(reinterpret_cast<const char*>(five), 5) == "fresh");
  auto out = p.a.flush(sys::serial_queue::output);
  BOOST_TEST(out.has_value(), why(out));
  auto both = p.a.flush(sys::serial_queue::both);
  BOOST_TEST(both.has_value(), why(both));
}

BOOST_AUTO_TEST_CASE(drain_and_close_keep_what_was_written) {
  port_pair p;
  open_pair(p);
  // More than the buffers on the way hold: drain() returns once b has read
  // enough for the last of it to leave.
  auto data = vitte_test::random_bytes(96 << 10, 7);
  std::vector<std::byte> got(data.size());
  vitte::status drained = vitte::error{errc::unknown, sys::dev_ops::serial_drain};
  std::thread writer([&] {
    if (auto w = p.a.write(data, soon(20'000ms)); !w) {
      drained = w;
      return;
    }
    drained = p.a.drain();
  });
  auto r = p.b.read_exact(got, soon(20'000ms));
  writer.join();
  BOOST_TEST(r.has_value(), why(r));
  BOOST_TEST(drained.has_value(), why(drained));
  BOOST_TEST((got == data));
  // A little fits the buffers: drain() returns at once, all of it arrives.
  BOOST_REQUIRE(p.a.write(std::string_view("a short line\n"), soon()));
  auto t0 = std::chrono::steady_clock::now();
  auto d = p.a.drain();
  BOOST_TEST(d.has_value(), why(d));
  BOOST_TEST((std::chrono::steady_clock::now() - t0 < 2s));
  std::byte line[13];
  BOOST_REQUIRE(p.b.read_exact(line, soon()));
  BOOST_TEST(std::string(reinterpret_cast<const char*>(line), 13) == "a short line\n");
  // What a port wrote just before closing still goes out.
  BOOST_REQUIRE(p.a.write(std::string_view("last words"), soon()));
  p.a.close();
  std::byte ten[10];
  BOOST_REQUIRE(p.b.read_exact(ten, soon()));
  BOOST_TEST(std::string(reinterpret_cast<const char*>(ten), 10) == "last words");
}

BOOST_AUTO_TEST_CASE(a_port_opens_once) {
  std::string a, b;
  BOOST_REQUIRE(null_modem_ports(a, b));
  auto first = sys::serial_port::open(a);
  BOOST_REQUIRE(first);
  auto second = sys::serial_port::open(a);
  if (second && on_wine()) {
    BOOST_TEST_MESSAGE("skipped: Wine opens a COM port twice (it ignores the share mode of devices)");
    return;
  }
  BOOST_REQUIRE(!second);
  BOOST_TEST(second.error() == errc::busy, second.error());
  first->close();
  BOOST_TEST(sys::serial_port::open(a).has_value(), "free again once closed");
}

BOOST_AUTO_TEST_CASE(break_and_modem_lines) {
  port_pair p;
  open_pair(p);
  auto t0 = std::chrono::steady_clock::now();
  auto brk = p.a.send_break(100ms);
  auto took = std::chrono::steady_clock::now() - t0;
  if (!brk) {
    BOOST_TEST(brk.error() == errc::not_supported, brk.error());
    BOOST_TEST_MESSAGE("skipped: this port sends no break (" << brk.error() << ")");
  } else {
    BOOST_TEST((took >= 100ms), "the line is held for the duration");
  }
  BOOST_TEST(p.a.send_break(0ms).error() == errc::invalid_argument);
  // The port still carries data after the break.
  BOOST_REQUIRE(p.a.write(std::string_view("after"), soon()));
  std::string seen;
  std::byte buf[64];
  auto d = soon(5000ms);
  while (seen.find("after") == std::string::npos) {
    auto n = p.b.read(buf, d);
    BOOST_REQUIRE_MESSAGE(n, n.error());
    seen.append(reinterpret_cast<const char*>(buf), *n);
  }
  BOOST_TEST(p.a.set_modem(sys::modem_lines{}.with(sys::modem_line::cts), true).error() == errc::invalid_argument);
  auto m = p.a.modem();
  if (!m) {
    // Wine's ports on pseudo-terminals: TIOCMGET fails, Linux ptys have no modem lines.
    BOOST_TEST(m.error() == errc::not_supported, m.error());
    BOOST_TEST_MESSAGE("skipped: this port has no modem lines (" << m.error() << ")");
    auto set = p.a.set_modem(sys::modem_lines{}.with(sys::modem_line::dtr), false);
    BOOST_TEST((!set && set.error() == errc::not_supported), "setting them is not_supported too");
    return;
  }
  BOOST_TEST_MESSAGE("modem lines: " << int(m->bits));
  BOOST_REQUIRE(p.a.set_modem(sys::modem_lines{}.with(sys::modem_line::dtr).with(sys::modem_line::rts), false));
  BOOST_TEST(!p.a.modem().value().has(sys::modem_line::dtr));
  BOOST_TEST(!p.a.modem().value().has(sys::modem_line::rts));
  BOOST_REQUIRE(p.a.set_modem(sys::modem_lines{}.with(sys::modem_line::dtr), true));
  BOOST_TEST(p.a.modem().value().has(sys::modem_line::dtr));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(pseudo_consoles)

// cmd writes to the console itself (CONOUT$), which works wherever the
// console does; the standard handles of a program on a pseudo console are
// checked below, where the platform gives them.
BOOST_AUTO_TEST_CASE(a_program_on_a_pseudo_console_is_read_to_its_end) {
  sys::pseudo_terminal pty;
  if (!open_pty(pty, {25, 100})) return;
  BOOST_TEST(pty.terminal_name().empty());
  auto child = pty.command("cmd").args({"/c", "echo vitte-hi>CONOUT$"}).spawn();
  BOOST_REQUIRE_MESSAGE(child, child.error());
  pty.close_terminal();  // the console closes once cmd has ended, and the reader sees the end
  std::string out = read_all(pty, soon(20'000ms));
  BOOST_TEST(out.find("vitte-hi") != std::string::npos, out);
  BOOST_TEST(out.find("\r\n") != std::string::npos, "a console's line ends");
  auto st = child->wait(sys::pseudo_terminal::child_deadline::after(10s));
  BOOST_REQUIRE_MESSAGE(st, st.error());
  BOOST_TEST(st->exited());
  BOOST_TEST(st->value == 0);
  std::byte buf[16];
  BOOST_TEST(pty.read(buf, soon(1000ms)).value() == 0u, "the end stays the end");
  // docs/DEVICES.md: typing into a console that is gone is broken_pipe
  // (its input pipe has no reader), not an I/O error.
  auto typed = pty.write(std::string_view("too late\r"), soon());
  BOOST_REQUIRE(!typed);
  BOOST_TEST(typed.error() == errc::broken_pipe, typed.error());
}

BOOST_AUTO_TEST_CASE(the_standard_handles_of_a_program_are_the_console) {
  sys::pseudo_terminal pty;
  if (!open_pty(pty, {25, 100})) return;
  auto child = pty.command("cmd").args({"/c", "echo", "vitte-std"}).spawn();
  BOOST_REQUIRE_MESSAGE(child, child.error());
  pty.close_terminal();
  std::string out = read_all(pty, soon(20'000ms));
  auto st = child->wait(sys::pseudo_terminal::child_deadline::after(10s));
  BOOST_REQUIRE_MESSAGE(st, st.error());
  BOOST_TEST(st->value == 0);
  if (wine_without_console_handles()) return;
  BOOST_TEST(out.find("vitte-std") != std::string::npos, out);
}

BOOST_AUTO_TEST_CASE(what_is_typed_reaches_the_program) {
  sys::pseudo_terminal pty;
  if (!open_pty(pty)) return;
  auto child = pty.command("cmd").args({"/v:on", "/c", "set /p line=<CONIN$ & echo got-!line!>CONOUT$"}).spawn();
  BOOST_REQUIRE_MESSAGE(child, child.error());
  BOOST_REQUIRE(pty.write(std::string_view("typed-line\r"), soon()));
  std::string seen;
  BOOST_TEST(vitte_test::read_until(pty, "got-typed-line", seen, soon(20'000ms)), seen);
  auto st = child->wait(sys::pseudo_terminal::child_deadline::after(10s));
  BOOST_REQUIRE_MESSAGE(st, st.error());
  BOOST_TEST(st->value == 0);
}

BOOST_AUTO_TEST_CASE(the_window_size_is_kept_and_changed) {
  sys::pseudo_terminal pty;
  if (!open_pty(pty, {33, 77})) return;
  BOOST_TEST((pty.size().value() == sys::terminal_size{33, 77}));
  BOOST_TEST((sys::get_terminal_size(pty.terminal_handle()).value() == sys::terminal_size{33, 77}));
  BOOST_TEST(pty.resize({0, 10}).error() == errc::invalid_argument);
  auto r = pty.resize({40, 120});
  if (!r && on_wine()) {
    BOOST_TEST(r.error() == errc::not_supported, r.error());
    BOOST_TEST_MESSAGE("skipped: this Wine cannot resize a pseudo console (ResizePseudoConsole: E_NOTIMPL)");
    BOOST_TEST((pty.size().value() == sys::terminal_size{33, 77}), "the size is unchanged");
    return;
  }
  BOOST_REQUIRE_MESSAGE(r, r.error());
  BOOST_TEST((pty.size().value() == sys::terminal_size{40, 120}));
}

BOOST_AUTO_TEST_CASE(kill_ends_a_session_child) {
  sys::pseudo_terminal pty;
  if (!open_pty(pty)) return;
  auto child = pty.command(helper()).args({"sleep", "60000"}).spawn();
  BOOST_REQUIRE_MESSAGE(child, child.error());
  auto st = child->kill();
  BOOST_REQUIRE_MESSAGE(st, st.error());
  BOOST_TEST(st->exited());
  BOOST_TEST(st->value == 1);
}

BOOST_AUTO_TEST_CASE(closing_the_console_ends_its_programs) {
  sys::pseudo_terminal pty;
  if (!open_pty(pty)) return;
  auto child = pty.command(helper()).args({"sleep", "60000"}).spawn();
  BOOST_REQUIRE_MESSAGE(child, child.error());
  std::this_thread::sleep_for(200ms);
  pty.close();
  auto st = child->wait(sys::pseudo_terminal::child_deadline::after(on_wine() ? 2s : 10s));
  if (!st && on_wine()) {
    BOOST_TEST(st.error() == errc::timed_out, st.error());
    BOOST_TEST_MESSAGE("skipped: Wine's ClosePseudoConsole leaves the programs on the console running");
    return;
  }
  BOOST_REQUIRE_MESSAGE(st, st.error());
  BOOST_TEST_MESSAGE("the sleeper ended with " << *st);
}

BOOST_AUTO_TEST_CASE(a_session_needs_an_open_console) {
  sys::pseudo_terminal pty;
  if (!open_pty(pty)) return;
  // Its standard handles are the console's, or nothing.
  auto piped = pty.command("cmd").args({"/c", "exit"}).out(sys::stdio::null()).spawn();
  BOOST_TEST(piped.error() == errc::invalid_argument);
  auto cmd = pty.command("cmd");
  pty.close();
  auto child = cmd.args({"/c", "exit"}).spawn();
  BOOST_REQUIRE(!child);
  BOOST_TEST(child.error() == errc::invalid_argument, child.error());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(console_modes)

BOOST_AUTO_TEST_CASE(a_pipe_is_not_a_terminal) {
  HANDLE r = nullptr, w = nullptr;
  BOOST_REQUIRE(::CreatePipe(&r, &w, nullptr, 0));
  auto size = sys::get_terminal_size(reinterpret_cast<sys::native_handle>(r));
  BOOST_TEST(size.error() == errc::invalid_argument);
  auto raw = sys::raw_mode::enter(reinterpret_cast<sys::native_handle>(w));
  BOOST_TEST(raw.error() == errc::invalid_argument);
  BOOST_TEST(sys::get_terminal_size(sys::invalid_handle).error() == errc::bad_descriptor);
  ::CloseHandle(r);
  ::CloseHandle(w);
  auto watch = sys::resize_watch::open();
  BOOST_REQUIRE_MESSAGE(watch, watch.error());
  BOOST_TEST(!watch->take(), "no news without a change");
}

// On a console of its own: raw mode entered, left, and left again by
// exit() alone (entered twice), which the next program on the console sees.
BOOST_AUTO_TEST_CASE(raw_mode_is_undone_and_undone_at_exit) {
  std::string report;
  if (!run_on_console({"modes", "check"}, report)) return;
  BOOST_TEST_MESSAGE("console report: " << items(report));
  std::string before = field(report, "mode"), raw = field(report, "raw"), restored = field(report, "restored");
  BOOST_REQUIRE(!before.empty());
  BOOST_TEST(raw != before);
  unsigned long raw_bits = std::strtoul(raw.c_str(), nullptr, 16);
  BOOST_TEST((raw_bits & (ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT | ENABLE_PROCESSED_INPUT)) == 0u);
  BOOST_TEST(restored == before);
  BOOST_TEST(field(report, "exiting") == "raw", "the first program left the console raw");
  BOOST_TEST(field(report, "after") == before, "exit() put the mode back");
  BOOST_TEST(field(report, "output") == "ok", "raw mode on an output handle");
}

BOOST_AUTO_TEST_CASE(the_console_window_and_its_changes) {
  std::string report;
  if (!run_on_console({"window"}, report, {30, 90})) return;
  BOOST_TEST_MESSAGE("console report: " << items(report));
  BOOST_TEST(field(report, "size") == "30x90", "the pseudo console's size is the window");
  BOOST_TEST(field(report, "early") == "no");
  std::string change = field(report, "change");
  if (change != "made") {
    BOOST_TEST_MESSAGE("skipped: this console's window cannot be changed (" << change << ")");
    return;
  }
  BOOST_TEST(field(report, "seen") == "yes", "the watch saw the change");
  BOOST_TEST(field(report, "again") == "no", "the news is consumed");
}

BOOST_AUTO_TEST_SUITE_END()
