// vitte/loader/isolated.hpp: a plugin (tests/loader/plugins/isolated.cpp) in
// a sandboxed plugin host (tools/vitte-plugin-host.cpp, found through
// $VITTE_PLUGIN_HOST, which tests/meson.build sets). Typed calls round-trip;
// each hostile export (crash, abort, exit, hang, garbage, a flood, a 4 GiB
// frame, a half reply, orphans that ignore SIGTERM, reads and connects
// outside the sandbox) leaves this process running with an error that says
// what happened, and restart() brings the plugin back.
#include <vitte/loader/isolated.hpp>
#include <vitte/sys/net.hpp>
#include <vitte/sys/random.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/whole_file.hpp>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <string>

#include <boost/test/unit_test.hpp>

#include <dirent.h>
#include <signal.h>

#include "loader_fixture.hpp"

namespace vl = vitte::loader;
namespace sys = vitte::sys;
using loader_test::plugin_path;

BOOST_TEST_DONT_PRINT_LOG_VALUE(vl::isolated_outcome)

namespace {

vl::isolated_options quick() {
  vl::isolated_options o;
  o.call_timeout = std::chrono::milliseconds(2000);
  return o;
}

vl::isolated_plugin open_plugin(vl::isolated_options o = quick()) {
  vl::isolated_failure why;
  auto p = vl::isolated_plugin::open(plugin_path("isolated"), vl::default_plugin_sandbox(), o, &why);
  BOOST_REQUIRE_MESSAGE(p, "open: " << why.message());
  return std::move(*p);
}

// Calls export `name` (int()), expecting the host to end; returns the failure.
template <class F = int()>
vl::isolated_failure hostile(vl::isolated_plugin& p, const char* name, vitte::errc kind) {
  auto f = p.find<F>(name);
  BOOST_REQUIRE(f);
  auto r = (*f)();
  BOOST_REQUIRE(!r);
  BOOST_TEST(static_cast<int>(r.error().kind()) == static_cast<int>(kind));
  BOOST_TEST(!p.alive());
  BOOST_TEST_MESSAGE(name << ": " << p.failure().message());
  return p.failure();
}

bool process_gone(std::int64_t pid) { return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH; }

// True when a process named `name` (/proc/*/comm) exists.
bool process_named(const std::string& name) {
  DIR* d = ::opendir("/proc");
  bool found = false;
  while (dirent* e = d != nullptr ? ::readdir(d) : nullptr) {
    std::ifstream comm(std::string("/proc/") + e->d_name + "/comm");
    std::string line;
    if (std::getline(comm, line) && line == name) found = true;
  }
  if (d != nullptr) ::closedir(d);
  return found;
}

}  // namespace

BOOST_AUTO_TEST_CASE(typed_calls_round_trip) {
  auto p = open_plugin();
  BOOST_TEST(p.info().module == "isolated");
  BOOST_TEST(p.info().version == "1.0.0");
  BOOST_TEST(p.alive());
  BOOST_TEST(p.host_id() > 0);

  auto add = p.find<std::int64_t(std::int64_t, std::int32_t)>("add").value();
  BOOST_TEST(add(std::int64_t{1} << 40, -5).value() == (std::int64_t{1} << 40) - 5);
  auto scale = p.find<double(double, float, bool)>("scale").value();
  BOOST_TEST(scale(2.5, 0.5f, true).value() == -1.25);
  auto low = p.find<unsigned char(std::uint64_t)>("low_byte").value();
  BOOST_TEST(low(0x1234).value() == 0x34);
  auto bump = p.find<int()>("bump").value();  // state lives in the host between calls
  BOOST_TEST(bump().value() == 1);
  BOOST_TEST(bump().value() == 2);

  auto upper = p.find<std::size_t(const char*, std::size_t, char*, std::size_t)>("upper").value();
  char out[16] = {};
  BOOST_TEST(upper("hello, world", 12, out, sizeof out).value() == 12u);
  BOOST_TEST(std::string(out, 12) == "HELLO, WORLD");
  char small[4] = {};
  // A value above the capacity is refused, not passed on as a size.
  auto over = upper("abcdefgh", 8, small, sizeof small);
  BOOST_REQUIRE(!over);
  BOOST_TEST((over.error().kind() == vitte::errc::limit_exceeded));
  BOOST_TEST(p.failure().message() ==
             "the plugin host refused the call to 'upper': the export returned 8, more than the capacity 4 it was "
             "given");
  BOOST_TEST(p.alive());

  auto mask = p.find<std::size_t(const unsigned char*, std::size_t, unsigned char*, std::size_t)>("mask").value();
  const unsigned char in[3] = {0x00, 0x5a, 0xff};
  unsigned char masked[3] = {};
  BOOST_TEST(mask(in, 3, masked, 3).value() == 3u);
  BOOST_TEST(masked[0] == 0x5a);
  BOOST_TEST(masked[1] == 0x00);
  BOOST_TEST(masked[2] == 0xa5);
  BOOST_TEST(p.failure().what == vl::isolated_outcome::none);
}

BOOST_AUTO_TEST_CASE(lookups_are_checked) {
  auto p = open_plugin();
  BOOST_TEST(p.find<int(int)>("add").error().kind() == vitte::errc::verification_failed);
  BOOST_TEST(p.find<int()>("no_such_export").error().kind() == vitte::errc::not_found);
  BOOST_TEST(p.find<int()>("counter").error().kind() == vitte::errc::verification_failed);  // an object
  bool listed = false;
  for (const auto& e : p.info().exports)
    if (e.name == "name_of") listed = e.form == vl::wire::call_form::none;  // const char*(int): no form carries it
  BOOST_TEST(listed);
  BOOST_TEST(p.alive());
}

BOOST_AUTO_TEST_CASE(a_crash_is_reported_and_restart_works) {
  auto p = open_plugin();
  const std::int64_t pid = p.host_id();
  auto f = hostile(p, "crash", vitte::errc::no_such_process);
  BOOST_TEST(f.what == vl::isolated_outcome::signaled);
  BOOST_TEST(f.status.signal() == SIGSEGV);
  BOOST_TEST(f.message() == "the plugin host died of signal 11 (SIGSEGV) during the call to 'crash'");
  BOOST_TEST(process_gone(pid));
  // Gone until restarted: calls say so without touching anything.
  auto add = p.find<std::int64_t(std::int64_t, std::int32_t)>("add").value();
  BOOST_TEST(add(1, 2).error().kind() == vitte::errc::no_such_process);
  BOOST_TEST(p.failure().what == vl::isolated_outcome::gone);
  BOOST_REQUIRE(p.restart());
  BOOST_TEST(p.alive());
  BOOST_TEST(add(1, 2).value() == 3);
}

BOOST_AUTO_TEST_CASE(abort_and_exit_are_reported) {
  auto p = open_plugin();
  auto a = hostile(p, "abort", vitte::errc::no_such_process);
  BOOST_TEST(a.what == vl::isolated_outcome::signaled);
  BOOST_TEST(a.status.signal() == SIGABRT);
  BOOST_TEST(a.message() == "the plugin host died of signal 6 (SIGABRT) during the call to 'abort'");
  BOOST_REQUIRE(p.restart());
  auto leave = p.find<int(int)>("leave").value();
  BOOST_TEST(leave(7).error().kind() == vitte::errc::no_such_process);
  BOOST_TEST(p.failure().what == vl::isolated_outcome::exited);
  BOOST_TEST(p.failure().status.code() == 7);
  BOOST_TEST(p.failure().message() == "the plugin host exited with code 7 during the call to 'leave'");
}

BOOST_AUTO_TEST_CASE(a_hang_passes_its_deadline) {
  auto o = quick();
  o.call_timeout = std::chrono::milliseconds(300);
  auto p = open_plugin(o);
  for (const char* name : {"hang", "ignore_term_and_hang"}) {
    const std::int64_t pid = p.host_id();
    const auto t0 = std::chrono::steady_clock::now();
    auto f = hostile(p, name, vitte::errc::timed_out);
    const auto took = std::chrono::steady_clock::now() - t0;
    BOOST_TEST(f.what == vl::isolated_outcome::timed_out);
    BOOST_TEST(took < std::chrono::seconds(3));
    BOOST_TEST(f.message() ==
               "the plugin host passed its deadline during the call to '" + std::string(name) + "'; it was killed");
    BOOST_TEST(process_gone(pid));
    BOOST_REQUIRE(p.restart());
  }
}

BOOST_AUTO_TEST_CASE(bytes_that_are_not_frames_end_the_host) {
  auto p = open_plugin();
  struct case_ {
    const char* name;
    const char* says;
  } cases[] = {
      {"garbage", "a frame header announcing 268435455 bytes (the limit is 16777216)"},
      {"flood", "a frame header announcing 1094795585 bytes (the limit is 16777216)"},
      {"huge_frame", "a frame header announcing 4294967295 bytes (the limit is 16777216)"},
  };
  for (const case_& c : cases) {
    const std::int64_t pid = p.host_id();
    auto f = hostile(p, c.name, vitte::errc::limit_exceeded);
    BOOST_TEST(f.what == vl::isolated_outcome::protocol);
    BOOST_TEST(f.detail == c.says);
    BOOST_TEST(process_gone(pid));
    BOOST_REQUIRE(p.restart());
  }
  // A reply cut short, then the host exits.
  auto f = hostile(p, "half_reply", vitte::errc::no_such_process);
  BOOST_TEST(f.what == vl::isolated_outcome::exited);
  BOOST_TEST(f.message() ==
             "the plugin host exited with code 0 during the call to 'half_reply': the channel ended in the middle "
             "of a frame");
}

// A buffer export that lies about the size it wrote: refused, naming it;
// the host stays usable.
BOOST_AUTO_TEST_CASE(a_size_above_the_capacity_is_refused) {
  auto p = open_plugin();
  auto liar = p.find<std::size_t(const char*, std::size_t, char*, std::size_t)>("liar").value();
  char out[8] = {};
  auto r = liar("x", 1, out, sizeof out);
  BOOST_REQUIRE(!r);
  BOOST_TEST((r.error().kind() == vitte::errc::limit_exceeded));
  BOOST_TEST(p.failure().call == "liar");
  BOOST_TEST(p.failure().message() ==
             "the plugin host refused the call to 'liar': the export returned 4104, more than the capacity 8 it was "
             "given");
  BOOST_TEST(p.alive());
  BOOST_TEST(p.find<int()>("bump").value()().value() == 1);
}

// An extra reply frame forged on the channel: a reply out of sequence,
// whether it comes first (a wrong number) or the host's own reply comes a
// call late (the right one); the host is ended and restart() recovers.
BOOST_AUTO_TEST_CASE(a_forged_reply_is_out_of_sequence) {
  auto p = open_plugin();
  auto forge = p.find<int(std::int64_t)>("forge").value();
  auto wrong = forge(999);
  BOOST_REQUIRE(!wrong);
  BOOST_TEST((p.failure().what == vl::isolated_outcome::protocol));
  BOOST_TEST(p.failure().message() ==
             "the plugin host broke the protocol during the call to 'forge'; it was killed: a reply out of sequence "
             "(to call 999, not 1)");
  BOOST_TEST(!p.alive());
  BOOST_REQUIRE(p.restart());
  forge = p.find<int(std::int64_t)>("forge").value();
  BOOST_TEST(forge(2).value() == 42);  // call 2 (the numbers go on): the forgery is taken for its reply
  auto add = p.find<std::int64_t(std::int64_t, std::int32_t)>("add").value();
  auto late = add(1, 2);  // call 3 reads the host's reply to call 2
  BOOST_REQUIRE(!late);
  BOOST_TEST((late.error().kind() == vitte::errc::malformed));
  BOOST_TEST(p.failure().detail == "a reply out of sequence (to call 2, not 3)");
  BOOST_TEST(!p.alive());
  BOOST_TEST((add(1, 2).error().kind() == vitte::errc::no_such_process));  // gone until restarted
  BOOST_REQUIRE(p.restart());
  BOOST_TEST(p.find<std::int64_t(std::int64_t, std::int32_t)>("add").value()(1, 2).value() == 3);
}

BOOST_AUTO_TEST_CASE(orphans_do_not_outlive_the_host) {
  auto p = open_plugin();
  if (p.report()[sys::sandbox_layer::pid_namespace].state != sys::layer_state::applied) {
    // Under ThreadSanitizer, for one, the forked child has the runtime's thread: unshare refuses (EINVAL).
    BOOST_TEST_MESSAGE("skipped: no pid namespace here (" << p.report()[sys::sandbox_layer::pid_namespace].reason
                                                          << "): orphans outlive a crashed host");
    return;
  }
  std::uint64_t tag = 0;
  BOOST_REQUIRE(sys::random_fill(vitte::span<std::byte>(reinterpret_cast<std::byte*>(&tag), sizeof tag)));
  tag &= 0xffffffffffffull;
  std::string name = "vo-";
  for (int i = 0; i < 12; ++i) name += static_cast<char>('a' + ((tag >> (4 * i)) & 15));
  auto orphan = p.find<int(std::int64_t)>("orphan_then_crash").value();
  BOOST_TEST(orphan(static_cast<std::int64_t>(tag)).error().kind() == vitte::errc::no_such_process);
  BOOST_TEST(p.failure().status.signal() == SIGSEGV);
  bool gone = false;
  for (int i = 0; i < 40 && !gone; ++i) {
    gone = !process_named(name);
    if (!gone) ::usleep(50000);
  }
  BOOST_TEST(gone, "the plugin's child " << name << " outlived its host");
}

BOOST_AUTO_TEST_CASE(the_sandbox_stops_reads_and_connects) {
  auto dir = sys::temp_directory::create({}, "vitte-isolated-").value();
  const std::string secret = sys::path_join(dir.path(), "secret").c_str();
  BOOST_REQUIRE(sys::write_file(secret, "the host's secret"));
  auto p = open_plugin();
  auto read = p.find<std::size_t(const char*, std::size_t, char*, std::size_t)>("read_file").value();
  char out[64] = {};
  // The export returns -EACCES (Landlock) or -ENOENT (a mount namespace):
  // as a size, above the capacity, so refused.
  auto got = read(secret.data(), secret.size(), out, sizeof out);
  BOOST_TEST_MESSAGE("read " << secret << ": " << p.failure().message());
  BOOST_TEST(!got);
  const std::string eacces = std::to_string(static_cast<std::uint64_t>(-EACCES));
  const std::string enoent = std::to_string(static_cast<std::uint64_t>(-ENOENT));
  BOOST_TEST(
      (p.failure().detail.find(eacces) != std::string::npos || p.failure().detail.find(enoent) != std::string::npos));
  BOOST_TEST(std::strstr(out, "secret") == nullptr);

  auto listener = sys::socket::listen(sys::socket_address(sys::ip_address::loopback_v4(), 0)).value();
  const int port = listener.local_address().value().port();
  auto connect = p.find<int(int)>("connect_port").value();
  const int rc = connect(port).value();
  BOOST_TEST_MESSAGE("connect to 127.0.0.1:" << port << ": errno " << rc);
  BOOST_TEST(rc != 0);
  BOOST_TEST(p.alive());
  // The same read and connect succeed outside the sandbox.
  std::ifstream f(secret);
  std::string line;
  BOOST_TEST((std::getline(f, line) && line == "the host's secret"));
  BOOST_TEST(
      sys::socket::connect_to(sys::socket_address(sys::ip_address::loopback_v4(), static_cast<std::uint16_t>(port)))
          .has_value());
}

BOOST_AUTO_TEST_CASE(start_failures_say_why) {
  vl::isolated_failure why;
  vl::isolated_options o;
  o.host = "/nonexistent/vitte-plugin-host";
  auto p = vl::isolated_plugin::open(plugin_path("isolated"), vl::default_plugin_sandbox(), o, &why);
  BOOST_TEST(!p);
  BOOST_TEST(why.what == vl::isolated_outcome::spawn_failed);
  BOOST_TEST_MESSAGE(why.message());

  auto dir = sys::temp_directory::create({}, "vitte-isolated-").value();
  const std::string junk = sys::path_join(dir.path(), "libjunk.so").c_str();
  BOOST_REQUIRE(sys::write_file(junk, "not a plugin"));
  auto q = vl::isolated_plugin::open(junk, vl::default_plugin_sandbox(), {}, &why);
  BOOST_TEST(!q);
  BOOST_TEST(why.what == vl::isolated_outcome::load_failed);
  BOOST_TEST(why.message().find("the plugin host could not load the plugin: ") == 0);
  BOOST_TEST_MESSAGE(why.message());
}

BOOST_AUTO_TEST_CASE(close_ends_the_host) {
  auto p = open_plugin();
  const std::int64_t pid = p.host_id();
  BOOST_TEST(p.report().to_json().size() > 2u);
  auto st = p.close();
  BOOST_REQUIRE(st);
  BOOST_TEST(st->success());
  BOOST_TEST(process_gone(pid));
  BOOST_TEST(!p.alive());
}
