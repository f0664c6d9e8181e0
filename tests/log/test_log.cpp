// vitte/log: levels and thresholds, the text and JSON formats, escaping of
// hostile text, the deterministic mode, colour decided as ninja does (a
// table, and a real pseudo-terminal), sinks under threads (no torn line),
// full disks, and the loader's plugin lines forwarded to a logger.
#include <vitte/loader/log_sink.hpp>
#include <vitte/log.hpp>
#include <vitte/sys/environment.hpp>
#include <vitte/sys/file.hpp>
#include <vitte/sys/fs.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/thread.hpp>
#include <vitte/sys/time.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#if !defined(_WIN32)
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#endif

#include "print.hpp"

namespace lg = vitte::log;
namespace sys = vitte::sys;
using vitte::errc;

namespace {

std::string line_of(const lg::line_style& st, lg::level l, std::string_view msg, std::initializer_list<lg::field> f,
                    std::int64_t t = 0) {
  lg::line_buffer out;
  lg::format_line(out, st, l, t, msg, vitte::span<const lg::field>(f.begin(), f.size()));
  return std::string(out.view());
}

constexpr lg::line_style plain{lg::format::text, false, false};
constexpr lg::line_style json{lg::format::json, false, false};

// Collects what a callback sink receives.
struct capture {
  std::vector<std::string> lines;
  std::vector<std::map<std::string, std::string>> fields;
  static void take(void* self, lg::level, vitte::text_view line, vitte::text_view, vitte::span<const lg::field> f) {
    auto* c = static_cast<capture*>(self);
    c->lines.emplace_back(line);
    std::map<std::string, std::string> m;
    for (const lg::field& x : f) m[std::string(x.key())] = std::string(x.text());
    c->fields.push_back(m);
  }
};

// A file name in a directory of this test's own, removed at exit.
std::string temp_path(const char* name) {
  static const sys::temp_directory dir = sys::temp_directory::create().value();
  return std::string(sys::path_join(dir.path(), name));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(logging)

BOOST_AUTO_TEST_CASE(levels_names_and_thresholds) {
  BOOST_TEST(lg::to_string(lg::level::warn) == "warn");
  lg::level l{};
  BOOST_TEST(lg::parse_level("debug", l));
  BOOST_TEST((l == lg::level::debug));
  BOOST_TEST(lg::parse_level("warning", l));
  BOOST_TEST((l == lg::level::warn));
  BOOST_TEST(!lg::parse_level("loud", l));

  lg::logger log(lg::level::info);
  BOOST_TEST(log.enabled(lg::level::error));
  BOOST_TEST(log.enabled(lg::level::info));
  BOOST_TEST(!log.enabled(lg::level::debug));
  BOOST_TEST(!log.enabled(lg::level::off));
  log.set_threshold(lg::level::off);
  BOOST_TEST(!log.enabled(lg::level::error));

  // Below the threshold, the macro evaluates none of its arguments.
  capture c;
  lg::callback_sink s(&capture::take, &c, plain);
  BOOST_REQUIRE(log.add(s).has_value());
  log.set_threshold(lg::level::info);
  int evaluated = 0;
  auto expensive = [&] {
    ++evaluated;
    return 1;
  };
  VITTE_LOGGER_DEBUG(log, "probe", {{"n", expensive()}});
  BOOST_TEST(evaluated == 0);
  VITTE_LOGGER_INFO(log, "kept", {{"n", expensive()}});
  BOOST_TEST(evaluated == 1);
  BOOST_REQUIRE(c.lines.size() == 1u);
  BOOST_TEST(c.lines[0] == "info  kept n=1\n");
  log.debug("dropped");
  log.error("kept too");
  BOOST_TEST(c.lines.size() == 2u);
}

BOOST_AUTO_TEST_CASE(text_and_json_lines_keep_the_field_order) {
  auto fields = {lg::field{"file", "src/a.c"},
                 lg::field{"ms", 42},
                 lg::field{"cached", true},
                 lg::field{"ratio", 0.5},
                 lg::field{"big", std::uint64_t{18446744073709551615u}},
                 lg::field{"neg", -7}};
  BOOST_TEST(line_of(plain, lg::level::info, "compiled", fields) ==
             "info  compiled file=src/a.c ms=42 cached=true ratio=0.5 big=18446744073709551615 neg=-7\n");
  BOOST_TEST(line_of(json, lg::level::info, "compiled", fields) ==
             "{\"level\":\"info\",\"msg\":\"compiled\",\"file\":\"src/a.c\",\"ms\":42,\"cached\":true,"
             "\"ratio\":0.5,\"big\":18446744073709551615,\"neg\":-7}\n");
  // Values that need it are quoted; an empty value is "".
  BOOST_TEST(line_of(plain, lg::level::warn, "m", {{"a", "two words"}, {"b", ""}, {"c", "x=y"}, {"d", "q\"\\"}}) ==
             "warn  m a=\"two words\" b=\"\" c=\"x=y\" d=\"q\\\"\\\\\"\n");
  // Non-finite reals: JSON has no such numbers.
  const double inf = 1e308 * 10;
  BOOST_TEST(line_of(json, lg::level::info, "m", {{"x", inf}}) == "{\"level\":\"info\",\"msg\":\"m\",\"x\":null}\n");
  BOOST_TEST(line_of(plain, lg::level::info, "m", {{"x", -inf}}) == "info  m x=-inf\n");
}

BOOST_AUTO_TEST_CASE(hostile_text_never_reaches_the_terminal) {
  // ESC sequences, a newline that would forge a second line, a C1 CSI
  // (U+009B), bytes that are not UTF-8, DEL; valid UTF-8 passes.
  const std::string name = "evil\x1b[2J\nerror forged=1\xc2\x9b\xff\xfe\x7f\xc3\xa9t\xc3\xa9";
  const std::string t = line_of(plain, lg::level::info, name, {{"file", name}});
  BOOST_TEST(t ==
             "info  evil\\x1b[2J\\nerror forged=1\\u009b\\xff\\xfe\\x7f\xc3\xa9t\xc3\xa9 "
             "file=\"evil\\x1b[2J\\nerror forged=1\\u009b\\xff\\xfe\\x7f\xc3\xa9t\xc3\xa9\"\n");
  for (std::size_t i = 0; i + 1 < t.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(t[i]);
    BOOST_TEST((c >= 0x20 && c != 0x7f), "control byte " << int(c) << " at " << i);
  }
  BOOST_TEST(t.find('\n') == t.size() - 1);
  const std::string j = line_of(json, lg::level::info, name, {{"file", name}});
  BOOST_TEST(j.find("\"msg\":\"evil\\u001b[2J\\nerror forged=1\\u009b\\\\xff\\\\xfe\\u007f\xc3\xa9t\xc3\xa9\"") !=
                 std::string::npos,
             j);
  // Truncated and overlong sequences, and surrogates, are not UTF-8.
  BOOST_TEST(line_of(plain, lg::level::info, "\xe2\x82", {}) == "info  \\xe2\\x82\n");
  BOOST_TEST(line_of(plain, lg::level::info, "\xc0\xaf", {}) == "info  \\xc0\\xaf\n");
  BOOST_TEST(line_of(plain, lg::level::info, "\xed\xa0\x80", {}) == "info  \\xed\\xa0\\x80\n");
  BOOST_TEST(line_of(plain, lg::level::info, "\xf0\x9f\x98\x80", {}) == "info  \xf0\x9f\x98\x80\n");
}

BOOST_AUTO_TEST_CASE(timestamps_and_the_deterministic_mode) {
  lg::line_buffer b;
  lg::append_timestamp(b, 0);
  BOOST_TEST(std::string(b.view()) == "1970-01-01T00:00:00.000Z");
  b.clear();
  lg::append_timestamp(b, 1'700'000'000'123'456'789);
  BOOST_TEST(std::string(b.view()) == "2023-11-14T22:13:20.123Z");
  b.clear();
  lg::append_timestamp(b, 951'782'400'999'000'000);  // a leap day
  BOOST_TEST(std::string(b.view()) == "2000-02-29T00:00:00.999Z");

  const lg::line_style timed{lg::format::text, false, true};
  BOOST_TEST(line_of(timed, lg::level::error, "x", {}, 1'700'000'000'123'456'789) ==
             "2023-11-14T22:13:20.123Z error x\n");
  // Without timestamps, the same call is the same bytes, whenever it runs.
  capture a, c;
  lg::callback_sink sa(&capture::take, &a, json), sc(&capture::take, &c, json);
  lg::logger one, two;
  BOOST_REQUIRE(one.add(sa).has_value());
  BOOST_REQUIRE(two.add(sc).has_value());
  one.info("built", {{"target", "app"}, {"n", 3}});
  sys::sleep_for(std::chrono::milliseconds(5)).value();
  two.info("built", {{"target", "app"}, {"n", 3}});
  BOOST_TEST(a.lines == c.lines);
}

BOOST_AUTO_TEST_CASE(colour_is_decided_as_ninja_does) {
  struct row {
    bool terminal;
    const char* term;  // null: unset
    const char* no_color;
    const char* force;
    bool color;
  };
  const row table[] = {
      {true, "xterm-256color", nullptr, nullptr, true},
      {true, "dumb", nullptr, nullptr, false},
      {true, nullptr, nullptr, nullptr, false},
      {true, "", nullptr, nullptr, false},
      {false, "xterm", nullptr, nullptr, false},
      {true, "xterm", "1", nullptr, false},
      {true, "xterm", "", nullptr, true},    // NO_COLOR counts only when not empty
      {false, "xterm", nullptr, "1", true},  // CLICOLOR_FORCE forces, even into a pipe
      {false, "dumb", "1", "1", true},
      {false, "xterm", nullptr, "0", false},
      {true, "xterm", nullptr, "0", true},
  };
  for (const row& r : table) {
    lg::color_inputs in;
    in.terminal = r.terminal;
    in.term_set = r.term != nullptr;
    in.term = r.term != nullptr ? r.term : "";
    in.no_color_set = r.no_color != nullptr;
    in.no_color = r.no_color != nullptr ? r.no_color : "";
    in.clicolor_force_set = r.force != nullptr;
    in.clicolor_force = r.force != nullptr ? r.force : "";
    BOOST_TEST(lg::decide_color(lg::color_mode::automatic, in) == r.color,
               "tty=" << r.terminal << " TERM=" << (r.term ? r.term : "(unset)")
                      << " NO_COLOR=" << (r.no_color ? r.no_color : "(unset)")
                      << " CLICOLOR_FORCE=" << (r.force ? r.force : "(unset)"));
    BOOST_TEST(lg::decide_color(lg::color_mode::always, in));
    BOOST_TEST(!lg::decide_color(lg::color_mode::never, in));
  }
  // A Windows console needs no TERM.
  lg::color_inputs console;
  console.terminal = console.windows_console = true;
  BOOST_TEST(lg::decide_color(lg::color_mode::automatic, console));
}

#if !defined(_WIN32)
// The same rule on real streams: a pseudo-terminal and a pipe, with the
// environment set per row, and the bytes a stream sink writes on each.
BOOST_AUTO_TEST_CASE(colour_on_a_pseudo_terminal_and_a_pipe) {
  int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0) {
    BOOST_TEST_MESSAGE("skipped: no pseudo-terminal here (posix_openpt failed)");
    return;
  }
  BOOST_REQUIRE(::grantpt(master) == 0 && ::unlockpt(master) == 0);
  int slave = ::open(::ptsname(master), O_RDWR | O_NOCTTY);
  BOOST_REQUIRE(slave >= 0);
  int p[2];
  BOOST_REQUIRE(::pipe(p) == 0);
  BOOST_TEST(sys::is_terminal(sys::native_handle(slave)));
  BOOST_TEST(!sys::is_terminal(sys::native_handle(p[1])));

  struct saved {
    std::string name, value;
    bool set;
  };
  std::vector<saved> env;
  for (const char* n : {"TERM", "NO_COLOR", "CLICOLOR_FORCE"}) {
    auto v = sys::get_env(n);
    env.push_back({n, v ? std::string(*v) : std::string(), v.has_value()});
  }
  auto set = [](const char* n, const char* v) {
    if (v == nullptr)
      (void)sys::unset_env(n);
    else
      (void)sys::set_env(n, v);
  };
  struct row {
    const char* term;
    const char* no_color;
    const char* force;
    bool on_tty, on_pipe;
  };
  const row rows[] = {{"xterm", nullptr, nullptr, true, false},  {"dumb", nullptr, nullptr, false, false},
                      {nullptr, nullptr, nullptr, false, false}, {"xterm", "1", nullptr, false, false},
                      {"xterm", nullptr, "1", true, true},       {"dumb", "1", "1", true, true}};
  for (const row& r : rows) {
    set("TERM", r.term);
    set("NO_COLOR", r.no_color);
    set("CLICOLOR_FORCE", r.force);
    BOOST_TEST(lg::use_color(lg::color_mode::automatic, sys::native_handle(slave)) == r.on_tty);
    BOOST_TEST(lg::use_color(lg::color_mode::automatic, sys::native_handle(p[1])) == r.on_pipe);
    // What a stream sink on the terminal writes.
    lg::stream_sink s(
        sys::native_handle(slave),
        lg::line_style{lg::format::text, lg::use_color(lg::color_mode::automatic, sys::native_handle(slave)), false});
    lg::logger log;
    BOOST_REQUIRE(log.add(s).has_value());
    log.error("boom");
    // A pseudo-terminal may hand the line over in pieces: read up to its end.
    std::string got;
    while (got.find('\n') == std::string::npos) {
      char buf[256];
      const ssize_t n = ::read(master, buf, sizeof buf);
      BOOST_REQUIRE(n > 0);
      got.append(buf, static_cast<std::size_t>(n));
    }
    BOOST_TEST((got.find("\x1b[1;31merror\x1b[0m boom") != std::string::npos) == r.on_tty, got);
    BOOST_TEST(got.find("boom") != std::string::npos);
  }
  for (const saved& s : env) set(s.name.c_str(), s.set ? s.value.c_str() : nullptr);
  ::close(p[0]);
  ::close(p[1]);
  ::close(slave);
  ::close(master);
}
#endif

BOOST_AUTO_TEST_CASE(threads_never_tear_a_line) {
  for (bool buffered : {true, false}) {
    const std::string path = temp_path(buffered ? "threads-buffered" : "threads-direct");
    (void)sys::remove(path);
    {
      lg::file_sink file(plain, {.buffered = buffered, .flush_at = lg::level::error});
      BOOST_REQUIRE(file.open(path).has_value());
      lg::logger log;
      BOOST_REQUIRE(log.add(file).has_value());
      constexpr int threads = 8, lines = 2000;
      std::vector<sys::thread> pool;
      for (int t = 0; t < threads; ++t)
        pool.push_back(sys::thread::spawn([&log, t] {
                         const std::string pad(static_cast<std::size_t>(40 + t * 37), char('a' + t));
                         for (int i = 0; i < lines; ++i) log.info("line", {{"t", t}, {"i", i}, {"pad", pad}});
                       }).value());
      for (sys::thread& th : pool) th.join().value();
      BOOST_TEST(file.failures() == 0u);
    }  // flushed
    const std::string all = sys::read_file_string(path).value();
    std::map<int, int> next;
    std::size_t start = 0, count = 0;
    while (start < all.size()) {
      std::size_t end = all.find('\n', start);
      BOOST_REQUIRE(end != std::string::npos);
      std::string line = all.substr(start, end - start);
      int t = -1, i = -1;
      char pad[400];
      BOOST_REQUIRE_MESSAGE(std::sscanf(line.c_str(), "info  line t=%d i=%d pad=%399s", &t, &i, pad) == 3, line);
      BOOST_TEST(std::string(pad) == std::string(static_cast<std::size_t>(40 + t * 37), char('a' + t)));
      BOOST_TEST(i == next[t]);  // each thread's lines in its order, none lost
      next[t] = i + 1;
      ++count;
      start = end + 1;
    }
    BOOST_TEST(count == 8u * 2000u);
    (void)sys::remove(path);
  }
}

BOOST_AUTO_TEST_CASE(file_sink_errors_are_counted_never_thrown) {
  // A directory that does not exist: open fails, named as log_open.
  lg::file_sink missing(plain);
  vitte::status st = missing.open(temp_path("no-such-dir") + "/x/y.log");
  BOOST_REQUIRE(!st.has_value());
  BOOST_TEST(st.error() == errc::not_found);
  BOOST_TEST(std::string(st.error().message().view()).rfind("log_open: not found", 0) == 0u);
  // Lines to a sink that never opened are counted as lost.
  lg::logger log;
  BOOST_REQUIRE(log.add(missing).has_value());
  log.info("one");
  log.error("two");  // flushes: both lost
  BOOST_TEST(missing.failures() == 2u);
  BOOST_TEST(missing.first_failure() == errc::bad_descriptor);
  BOOST_TEST((missing.first_failure().op() == lg::ops::log_write));
#if defined(__linux__)
  // A full disk (/dev/full): every line lost and counted, the first error kept.
  lg::file_sink full(plain, {.buffered = false});
  BOOST_REQUIRE(full.open("/dev/full").has_value());
  lg::logger flog;
  BOOST_REQUIRE(flog.add(full).has_value());
  for (int i = 0; i < 5; ++i) flog.info("lost", {{"i", i}});
  BOOST_TEST(full.failures() == 5u);
  BOOST_TEST(full.first_failure() == errc::no_space);
  BOOST_TEST(std::string(full.first_failure().message().view()).rfind("log_write: no space left", 0) == 0u);
#endif
  // More sinks than a logger holds.
  lg::logger many;
  std::vector<std::unique_ptr<lg::callback_sink>> sinks;
  for (std::size_t i = 0; i <= lg::logger::max_sinks; ++i)
    sinks.push_back(std::make_unique<lg::callback_sink>(nullptr, nullptr));
  for (std::size_t i = 0; i < lg::logger::max_sinks; ++i) BOOST_REQUIRE(many.add(*sinks[i]).has_value());
  BOOST_TEST(many.add(*sinks.back()).error() == errc::limit_exceeded);
}

BOOST_AUTO_TEST_CASE(each_sink_gets_its_own_style) {
  capture text, js;
  lg::callback_sink a(&capture::take, &text, plain), b(&capture::take, &js, json);
  lg::logger log;
  BOOST_REQUIRE(log.add(a).has_value());
  BOOST_REQUIRE(log.add(b).has_value());
  log.warn("disk", {{"free", 12}});
  BOOST_TEST(text.lines.at(0) == "warn  disk free=12\n");
  BOOST_TEST(js.lines.at(0) == "{\"level\":\"warn\",\"msg\":\"disk\",\"free\":12}\n");
}

BOOST_AUTO_TEST_CASE(plugin_lines_reach_a_logger_through_the_loader_sink) {
  capture c;
  lg::callback_sink s(&capture::take, &c, plain);
  lg::logger log(lg::level::debug);
  BOOST_REQUIRE(log.add(s).has_value());
  vitte::loader::module_info info;
  info.id.name = "calc";
  info.id.version = "1.2.0";
  vitte::loader::forward_to_logger(&log, info, vitte::loader::log_level::warning, "cache cold");
  vitte::loader::forward_to_logger(&log, info, vitte::loader::log_level::debug, "detail");
  log.set_threshold(lg::level::info);
  vitte::loader::forward_to_logger(&log, info, vitte::loader::log_level::debug, "dropped");
  BOOST_REQUIRE(c.lines.size() == 2u);
  BOOST_TEST(c.lines[0] == "warn  cache cold module=calc version=1.2.0\n");
  BOOST_TEST(c.lines[1] == "debug detail module=calc version=1.2.0\n");
}

BOOST_AUTO_TEST_SUITE_END()
