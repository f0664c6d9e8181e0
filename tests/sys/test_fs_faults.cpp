// The file-system layer under injected faults (fault_platform): short
// transfers, EINTR, ENOSPC, EMFILE, failing syncs and renames; and a crash
// test that kills a process in the middle of atomic replaces.
#include <vitte/sys/fs.hpp>
#include <vitte/sys/policy/fault.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "fs_fixture.hpp"
#include "print.hpp"

#if VITTE_OS_POSIX
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#endif

namespace sys = vitte::sys;
namespace utf = boost::unit_test;
using fs_test::fixture;
using fs_test::names_in;
using sys::fault_plan;
using sys::open_mode;
using vitte::errc;
using vitte::operation;

namespace {

using P = sys::fault_platform<sys::platform>;
using faulty_file = sys::basic_file<P>;

// The fixture, with a clean fault plan before and after.
struct fault_fixture : fixture {
  fault_fixture() { fault_plan::clear(); }
  ~fault_fixture() { fault_plan::clear(); }
};

std::string pattern(std::size_t n, unsigned seed) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = char('a' + (i * 7 + seed) % 26);
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fs_faults)

BOOST_FIXTURE_TEST_CASE(short_writes_and_reads_are_completed, fault_fixture) {
  std::string data = pattern(100'000, 1);
  fault_plan::shorten(vitte::sys::ops::write, 7, 1000);
  fault_plan::shorten(vitte::sys::ops::read, 13, 1000);
  {
    auto f = faulty_file::open(path("s"), open_mode::write | open_mode::create).value();
    BOOST_TEST(f.write(data).has_value());
  }
  BOOST_TEST(fault_plan::calls(vitte::sys::ops::write) > 1000u);  // 1000 writes of 7 bytes, then whole
  auto f = faulty_file::open(path("s"), open_mode::read).value();
  std::string back(data.size(), '\0');
  BOOST_TEST(f.read(std::as_writable_bytes(std::span(back))).value() == data.size());
  BOOST_TEST((back == data));
  BOOST_TEST(fault_plan::pending(vitte::sys::ops::read) == 0u);

  fault_plan::shorten(vitte::sys::ops::read, 5, 50);
  BOOST_TEST((sys::read_file_string<P>(path("s")).value() == data));

  fault_plan::shorten(vitte::sys::ops::write, 3, 20);
  fault_plan::shorten(vitte::sys::ops::read, 2, 20);
  auto g = faulty_file::open(path("v"), open_mode::read | open_mode::write | open_mode::create).value();
  std::string a = pattern(30, 2), b = pattern(40, 3);
  sys::const_buffer out[] = {{a.data(), a.size()}, {b.data(), b.size()}};
  BOOST_TEST(g.write_vec(out).has_value());
  BOOST_TEST(g.write_at(std::as_bytes(std::span(a)), 70).has_value());
  std::string x(30, '\0'), y(70, '\0');
  sys::mutable_buffer in[] = {{x.data(), x.size()}, {y.data(), y.size()}};
  BOOST_TEST(g.seek(0).has_value());
  BOOST_TEST(g.read_vec(in).value() == 100u);
  BOOST_TEST(x + y == a + b + a);
  std::string z(30, '\0');
  BOOST_TEST(g.read_at(std::as_writable_bytes(std::span(z)), 70).value() == 30u);
  BOOST_TEST(z == a);
}

BOOST_FIXTURE_TEST_CASE(interruptions_are_retried, fault_fixture) {
  fault_plan::fail(vitte::sys::ops::open, errc::interrupted, 3);
  fault_plan::fail(vitte::sys::ops::write, errc::interrupted, 3);
  fault_plan::fail(vitte::sys::ops::read, errc::interrupted, 3);
  fault_plan::fail(vitte::sys::ops::file_sync, errc::interrupted, 2);
  fault_plan::fail(vitte::sys::ops::file_lock, errc::interrupted, 2);
  fault_plan::fail(vitte::sys::ops::dir_read, errc::interrupted, 2);
  auto f = faulty_file::open(path("i"), open_mode::read | open_mode::write | open_mode::create).value();
  BOOST_TEST(f.write("interrupted").has_value());
  BOOST_TEST(f.sync().has_value());
  BOOST_TEST(f.lock(sys::lock_kind::exclusive).has_value());
  BOOST_TEST(f.unlock().has_value());
  std::byte buf[32];
  BOOST_TEST(f.read_at(buf, 0).value() == 11u);
  auto r = sys::basic_directory_reader<P>::open(dir.path()).value();
  int n = 0;
  for (const sys::dir_entry& e : r) n += e.name == "i";
  BOOST_TEST(!r.error());
  BOOST_TEST(n == 1);
  BOOST_TEST(fault_plan::calls(vitte::sys::ops::open) == 4u);
  for (operation op : {vitte::sys::ops::open, vitte::sys::ops::write, vitte::sys::ops::read, vitte::sys::ops::file_sync,
                       vitte::sys::ops::file_lock, vitte::sys::ops::dir_read})
    BOOST_TEST(fault_plan::pending(op) == 0u);
}

BOOST_FIXTURE_TEST_CASE(no_space_in_the_middle_of_an_atomic_replace_keeps_the_old_file, fault_fixture) {
  std::string target = path("db");
  std::string old_content = pattern(50'000, 4);
  sys::write_file(target, old_content).value();
  std::string new_content = pattern(80'000, 5);

  // Writes of 1000 bytes; the fourth fails: the disk is full.
  fault_plan::shorten(vitte::sys::ops::write, 1000, 3);
  fault_plan::fail(vitte::sys::ops::write, errc::no_space, 1);  // applies once the short writes are used up
  auto s = sys::atomic_replace<P>(target, new_content);
  BOOST_TEST(s.error() == errc::no_space);
  BOOST_TEST(s.error().op() == vitte::sys::ops::write);
  BOOST_TEST((sys::read_file_string(target).value() == old_content));
  BOOST_TEST((names_in(dir.path()) == std::vector<std::string>{"db"}));

  // A failing sync, close-time rename: the same.
  fault_plan::fail(vitte::sys::ops::file_sync, errc::io_error);
  BOOST_TEST(sys::atomic_replace<P>(target, new_content).error() == errc::io_error);
  BOOST_TEST((sys::read_file_string(target).value() == old_content));
  BOOST_TEST((names_in(dir.path()) == std::vector<std::string>{"db"}));
  fault_plan::fail(vitte::sys::ops::rename, errc::permission_denied);
  BOOST_TEST(sys::atomic_replace<P>(target, new_content).error() == errc::permission_denied);
  BOOST_TEST((sys::read_file_string(target).value() == old_content));
  BOOST_TEST((names_in(dir.path()) == std::vector<std::string>{"db"}));

  // A name clash with another temporary is retried with a new name.
  fault_plan::fail(vitte::sys::ops::open, errc::already_exists, 2);
  BOOST_TEST(sys::atomic_replace<P>(target, new_content).has_value());
  BOOST_TEST((sys::read_file_string(target).value() == new_content));
  BOOST_TEST((names_in(dir.path()) == std::vector<std::string>{"db"}));
}

BOOST_FIXTURE_TEST_CASE(too_many_open_files_is_reported_cleanly, fault_fixture) {
  fault_plan::fail(vitte::sys::ops::open, errc::too_many_open_files);
  auto f = faulty_file::open(path("m"), open_mode::write | open_mode::create);
  BOOST_TEST(f.error() == errc::too_many_open_files);
  BOOST_TEST(f.error().op() == vitte::sys::ops::open);
  std::string text(f.error().message().view());
  BOOST_TEST(text.find("open: too many open files") == 0u, text);
  fault_plan::fail(vitte::sys::ops::dir_open, errc::too_many_open_files);
  BOOST_TEST(sys::walk<P>(dir.path(), [](const sys::walk_entry&) {}).error() == errc::too_many_open_files);
  BOOST_TEST(sys::read_file<P>(path("m")).error() == errc::not_found);  // the plan is used up
}

#if VITTE_OS_POSIX
BOOST_FIXTURE_TEST_CASE(real_descriptor_exhaustion, fixture) {
  // In a child, whose descriptor limit is lowered: open until the OS refuses.
  pid_t pid = ::fork();
  if (pid == 0) {
    struct rlimit lim{};
    ::getrlimit(RLIMIT_NOFILE, &lim);
    lim.rlim_cur = 64;
    ::setrlimit(RLIMIT_NOFILE, &lim);
    std::vector<sys::file> files;
    for (int i = 0; i < 100; ++i) {
      auto f = sys::file::open(path("x"), open_mode::write | open_mode::create);
      if (!f) ::_exit(f.error() == errc::too_many_open_files && f.error().op() == vitte::sys::ops::open ? 0 : 2);
      files.push_back(std::move(*f));
    }
    ::_exit(1);
  }
  int st = 0;
  ::waitpid(pid, &st, 0);
  BOOST_TEST(WIFEXITED(st));
  BOOST_TEST(WEXITSTATUS(st) == 0);
}
#endif

BOOST_FIXTURE_TEST_CASE(failures_while_walking_and_removing_release_every_handle, fault_fixture) {
  sys::create_directories(path("t/a/b/c")).value();
  sys::write_file(path("t/a/b/c/f"), "f").value();
  fault_plan::fail(vitte::sys::ops::dir_read, errc::io_error, 1, 3);
  BOOST_TEST(sys::walk<P>(path("t"), [](const sys::walk_entry&) {}).error() == errc::io_error);
  fault_plan::fail(vitte::sys::ops::remove, errc::permission_denied, 1);
  BOOST_TEST(sys::remove_all<P>(path("t")).error() == errc::permission_denied);
  BOOST_TEST(sys::exists(path("t")).value());
  BOOST_TEST(sys::remove_all<P>(path("t")).value() == 5u);
}

BOOST_FIXTURE_TEST_CASE(copy_file_falls_back_and_completes_short_copies, fault_fixture) {
  std::string data = pattern(300'000, 6);
  sys::write_file(path("src"), data).value();
  fault_plan::shorten(vitte::sys::ops::copy_file, 4096, 6);  // kernel copies cut short (the first call: path_copy)
  BOOST_TEST(sys::copy_file<P>(path("src"), path("a")).has_value());
  BOOST_TEST((sys::read_file_string(path("a")).value() == data));
  fault_plan::clear();  // Windows copies whole files in one call: the short rules are left over
  // No whole-file copy (Windows) and no kernel copy (Linux): read and write.
  fault_plan::fail(vitte::sys::ops::copy_file, errc::not_supported, 2);
  fault_plan::shorten(vitte::sys::ops::write, 1000, 3);
  BOOST_TEST(sys::copy_file<P>(path("src"), path("b")).has_value());
  BOOST_TEST((sys::read_file_string(path("b")).value() == data));
  fault_plan::fail(vitte::sys::ops::copy_file, errc::not_supported, 2);
  fault_plan::fail(vitte::sys::ops::write, errc::no_space, 1, 1);
  BOOST_TEST(sys::copy_file<P>(path("src"), path("c")).error() == errc::no_space);
  BOOST_TEST(!sys::exists(path("c")).value());  // a partial copy is removed
}

#if VITTE_OS_POSIX
namespace {

// Version `gen` of the crash-test file: a header with the number and length,
// then bytes derived from both. Lengths vary, so a mix of two versions shows.
std::string version(unsigned gen) {
  std::size_t n = 4096 + (gen * 7919u) % 60'000u;
  char head[32];
  int h = std::snprintf(head, sizeof head, "gen %08u len %08zu\n", gen, n);
  std::string s(head, static_cast<std::size_t>(h));
  for (std::size_t i = s.size(); i < n; ++i) s.push_back(char('A' + (i + gen) % 23));
  return s;
}

// True when `s` is exactly one version; its number in *gen.
bool is_whole_version(const std::string& s, unsigned* gen) {
  unsigned g = 0;
  std::size_t n = 0;
  if (std::sscanf(s.c_str(), "gen %08u len %08zu\n", &g, &n) != 2) return false;
  *gen = g;
  return s == version(g);
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(atomic_replace_survives_being_killed, fixture) {
  // A child replaces the file over and over; it is killed (SIGKILL) at random
  // moments, 200 times. Each time the file must be one whole version.
  constexpr int kills = 200;
  std::string target = path("target");
  // Kill within 0 to 4 replace times (fork, fsync and rename take longer on
  // some machines than on others), so that some kills land mid-replace and
  // some replaces complete. Where replaces are slower in a child than here
  // (ThreadSanitizer, emulators, a busy disk) the window doubles after 10
  // kills that saw no new version, up to 200 ms.
  auto m0 = sys::monotonic_clock::now();
  // A kill is not a power loss: the page cache survives it, so most replaces
  // skip the syncs (which would tie each one to the disk's latency) and every
  // fourth one syncs, to be killed in the middle of that too.
  auto options = [](unsigned g) { return sys::replace_options{.sync = g % 4 == 0}; };
  for (unsigned g = 0; g < 5; ++g) sys::atomic_replace(target, version(g), options(g)).value();
  long window_ns = static_cast<long>(std::chrono::nanoseconds(sys::monotonic_clock::now() - m0).count()) * 4 / 5;
  window_ns = std::min(std::max(window_ns, 1'000'000L), 50'000'000L);
  int unchanged = 0;
  sys::atomic_replace(target, version(0)).value();
  unsigned seed = static_cast<unsigned>(sys::monotonic_clock::now_ns());
  unsigned next_gen = 1, last_seen = 0, changes = 0;
  int bad = 0;
  auto t0 = sys::monotonic_clock::now();
  for (int k = 0; k < kills; ++k) {
    unsigned start = next_gen;
    next_gen += 100'000;
    // The child says when it starts replacing, so that the time a fork takes
    // to get going (long under emulators and sanitizers) is not in the window.
    int ready[2];
    BOOST_REQUIRE(::pipe(ready) == 0);
    pid_t pid = ::fork();
    if (pid == 0) {
      char one = 1;
      if (::write(ready[1], &one, 1) != 1) ::_exit(4);
      for (unsigned g = start;; ++g)
        if (!sys::atomic_replace(target, version(g), options(g))) ::_exit(3);
    }
    char got = 0;
    bool started = ::read(ready[0], &got, 1) == 1;
    ::close(ready[0]);
    ::close(ready[1]);
    if (!started) ++bad;
    seed = seed * 1103515245u + 12345u;
    struct timespec pause{0, static_cast<long>((seed >> 8) % static_cast<unsigned long>(window_ns))};
    ::nanosleep(&pause, nullptr);
    ::kill(pid, SIGKILL);
    int st = 0;
    ::waitpid(pid, &st, 0);
    if (!WIFSIGNALED(st)) ++bad;  // the child failed on its own
    auto content = sys::read_file_string(target);
    unsigned gen = 0;
    if (!content || !is_whole_version(*content, &gen)) {
      ++bad;
      BOOST_TEST_MESSAGE("kill " << k << ": the file holds " << (content ? content->size() : 0)
                                 << " bytes, not a version");
      continue;
    }
    changes += gen != last_seen;
    unchanged = gen != last_seen ? 0 : unchanged + 1;
    last_seen = gen;
    if (unchanged == 10) {
      window_ns = std::min(window_ns * 2, 200'000'000L);
      unchanged = 0;
    }
  }
  double secs = std::chrono::duration<double>(sys::monotonic_clock::now() - t0).count();
  BOOST_TEST_MESSAGE(kills << " kills in " << secs << " s; the file changed " << changes
                           << " times between kills; last window " << window_ns / 1000 << " us");
  BOOST_TEST(bad == 0);
  BOOST_TEST(changes > 10u);  // the children did replace the file
  // Killed children leave their temporaries: those are the only other names.
  for (const std::string& n : names_in(dir.path())) BOOST_TEST((n == "target" || n.find(".target.tmp-") == 0), n);
}
#else
BOOST_AUTO_TEST_CASE(atomic_replace_survives_being_killed, *utf::precondition([](utf::test_unit_id) {
                       boost::test_tools::assertion_result r(false);
                       r.message() << "needs fork and SIGKILL (POSIX only)";
                       return r;
                     })) {}
#endif

BOOST_AUTO_TEST_SUITE_END()
