// Files, directories, metadata, mapping and watching on the real file system
// of the default platform (and the polling watcher, and the generic POSIX
// policy's locks in a child process).
#include <vitte/sys/fs.hpp>
#include <vitte/sys/update_file.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "fs_fixture.hpp"
#include "print.hpp"

#if VITTE_OS_POSIX
#include <fcntl.h>
#if defined(__linux__)
#include <poll.h>
#include <sys/inotify.h>
#endif
#include <sys/stat.h>  // mkfifo
#include <sys/wait.h>
#include <unistd.h>
#endif

namespace sys = vitte::sys;
namespace utf = boost::unit_test;
using fs_test::fixture;
using fs_test::names_in;
using sys::open_mode;
using vitte::errc;
using vitte::operation;
using namespace std::chrono_literals;

namespace {

std::vector<std::byte> bytes_of(std::string_view s) {
  std::vector<std::byte> v(s.size());
  std::memcpy(v.data(), s.data(), s.size());
  return v;
}

std::string text_of(std::span<const std::byte> b) {
  return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}

// Symbolic links need a privilege or developer mode on Windows, and wine
// reports success without making a usable link: probe that one resolves.
bool symlinks_work(const fixture& f) {
  std::string target = f.path("probe-target"), link = f.path("probe-link");
  bool works = sys::write_file(target, "t").has_value() && sys::create_symlink("probe-target", link).has_value();
  auto st = sys::stat(link);
  auto lst = sys::lstat(link);
  works = works && st && lst && lst->type == sys::file_type::symlink && st->same_file(sys::stat(target).value());
  (void)sys::remove(link);
  (void)sys::remove(target);
  if (!works) BOOST_TEST_MESSAGE("symbolic links do not work here: checks of links skipped");
  return works;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fs)

BOOST_AUTO_TEST_CASE(path_helpers) {
  BOOST_TEST(sys::file_name("a/b/c.txt") == "c.txt");
  BOOST_TEST(sys::file_name("a/b/") == "");
  BOOST_TEST(sys::file_name("c") == "c");
  BOOST_TEST(sys::parent_path("a/b/c") == "a/b");
  BOOST_TEST(sys::parent_path("/c") == "/");
  BOOST_TEST(sys::parent_path("c") == "");
  BOOST_TEST(sys::parent_path("a//b") == "a");
  std::string sep(1, sys::preferred_separator);
  BOOST_TEST(sys::path_join("a", "b") == "a" + sep + "b");
  BOOST_TEST(sys::path_join("a/", "b") == "a/b");
  BOOST_TEST(sys::path_join("", "b") == "b");
  BOOST_TEST(sys::path_join("a", "/b") == "/b");
}

BOOST_FIXTURE_TEST_CASE(path_with_a_nul_inside_is_refused, fixture) {
  std::string bad("a\0b", 3);
  auto f = sys::file::open(bad, open_mode::read);
  BOOST_TEST(f.error() == errc::invalid_argument);
  BOOST_TEST(f.error().op() == vitte::sys::ops::open);
  auto g = sys::file::open(std::string_view(bad), open_mode::read);
  BOOST_TEST(g.error() == errc::invalid_argument);
}

// Whole-file reads and writes name the path in their diagnostic, with the
// failed call's kind: the caller prints one line and joins nothing.
BOOST_FIXTURE_TEST_CASE(whole_file_errors_name_the_path, fixture) {
  const std::string missing = path("missing/notes.txt");
  vitte::diagnostic why;
  BOOST_TEST(!sys::read_file(missing, &why));
  BOOST_TEST((why.kind() == vitte::errc::not_found));
  BOOST_TEST(why.subject() == vitte::text_view(missing));
  BOOST_TEST(std::string(why.format().c_str()).find(missing + ": open: not found") == 0u, why.format().c_str());
  vitte::diagnostic as_text;
  BOOST_TEST(!sys::read_file_string(missing, &as_text));
  BOOST_TEST(as_text.subject() == vitte::text_view(missing));
  vitte::diagnostic written;
  BOOST_TEST(!sys::write_file(missing, vitte::text_view("x"), {}, &written));
  BOOST_TEST((written.kind() == vitte::errc::not_found));
  BOOST_TEST(written.subject() == vitte::text_view(missing));
  const std::string kept = path("kept.txt");
  sys::write_file(kept, "old").value();
  sys::write_options exclusive;
  exclusive.exclusive = true;
  vitte::diagnostic exists;
  BOOST_TEST(!sys::write_file(kept, vitte::text_view("new"), exclusive, &exists));
  BOOST_TEST((exists.kind() == vitte::errc::already_exists));
  BOOST_TEST(exists.subject() == vitte::text_view(kept));
  vitte::diagnostic replaced;
  BOOST_TEST(!sys::atomic_replace(missing, vitte::text_view("x"), {}, &replaced));
  BOOST_TEST(replaced.subject() == vitte::text_view(missing));
  vitte::diagnostic untouched;
  BOOST_TEST(sys::atomic_replace(kept, vitte::text_view("new"), {}, &untouched).has_value());
  BOOST_TEST(!untouched);
  BOOST_TEST(sys::read_file_string(kept).value() == "new");
  // A path with a NUL is named as given (the NUL printed \x00), and an
  // earlier problem's position does not stay.
  vitte::diagnostic nul;
  nul.at(99);
  const std::string with_nul = std::string("a\0b", 3);
  BOOST_TEST(!sys::read_file(with_nul, &nul));
  BOOST_TEST((nul.kind() == vitte::errc::invalid_argument));
  BOOST_TEST(!nul.has_offset());
  BOOST_TEST(std::string(nul.format().c_str()).find("a\\x00b: ") == 0u, nul.format().c_str());
}

BOOST_FIXTURE_TEST_CASE(open_modes, fixture) {
  std::string p = path("modes.txt");
  BOOST_TEST(sys::file::open(p, open_mode::read).error() == errc::not_found);
  BOOST_TEST(sys::file::open(p, open_mode::create).error() == errc::invalid_argument);  // neither read nor write
  BOOST_TEST(sys::file::open(p, open_mode::read | open_mode::truncate).error() == errc::invalid_argument);

  {
    auto f = sys::file::open(p, open_mode::write | open_mode::exclusive).value();
    BOOST_TEST(f.write("12345").has_value());
  }
  auto again = sys::file::open(p, open_mode::write | open_mode::exclusive);
  BOOST_TEST(again.error() == errc::already_exists);
  BOOST_TEST(again.error().op() == vitte::sys::ops::open);

  {
    auto f = sys::file::open(p, open_mode::append).value();
    BOOST_TEST(f.write("678").has_value());
  }
  BOOST_TEST(sys::read_file_string(p).value() == "12345678");
  {
    auto f = sys::file::open(p, open_mode::write | open_mode::truncate).value();
    BOOST_TEST(f.write("ab").has_value());
  }
  BOOST_TEST(sys::read_file_string(p).value() == "ab");
  {
    auto f = sys::file::open(p, open_mode::write | open_mode::create).value();  // keeps contents
    BOOST_TEST(f.write("X").has_value());
  }
  BOOST_TEST(sys::read_file_string(p).value() == "Xb");

  BOOST_TEST(!sys::file::open(dir.path(), open_mode::write).has_value());
}

BOOST_FIXTURE_TEST_CASE(no_follow_refuses_a_link, fixture) {
  if (!symlinks_work(*this)) return;
  sys::write_file(path("real"), "data").value();
  sys::create_symlink("real", path("link")).value();
  BOOST_TEST(sys::file::open(path("link"), open_mode::read).has_value());
  auto refused = sys::file::open(path("link"), open_mode::read | open_mode::no_follow);
  BOOST_TEST(refused.error() == errc::too_many_links);
  BOOST_TEST(sys::file::open(path("real"), open_mode::read | open_mode::no_follow).has_value());
}

#if VITTE_OS_POSIX
BOOST_FIXTURE_TEST_CASE(handles_are_close_on_exec, fixture) {
  auto f = sys::file::open(path("x"), open_mode::write | open_mode::create).value();
  BOOST_TEST((::fcntl(static_cast<int>(f.native()), F_GETFD) & FD_CLOEXEC) != 0);
  auto d = sys::directory::open(dir.path()).value();
  BOOST_TEST((::fcntl(static_cast<int>(d.native()), F_GETFD) & FD_CLOEXEC) != 0);
}
#endif

BOOST_FIXTURE_TEST_CASE(read_write_seek_and_positional_io, fixture) {
  auto f = sys::file::open(path("io"), open_mode::read | open_mode::write | open_mode::create).value();
  BOOST_TEST(f.write("hello world").has_value());
  BOOST_TEST(f.seek(0).value() == 0u);
  std::byte buf[64];
  BOOST_TEST(f.read(buf).value() == 11u);
  BOOST_TEST(text_of({buf, 11}) == "hello world");
  BOOST_TEST(f.read_some(buf).value() == 0u);  // end of file

  BOOST_TEST(f.write_at(std::as_bytes(std::span("HELLO", 5)), 0).has_value());
  BOOST_TEST(f.read_at({buf, 5}, 6).value() == 5u);
  BOOST_TEST(text_of({buf, 5}) == "world");
  BOOST_TEST(f.read_at(buf, 100).value() == 0u);
  BOOST_TEST(f.read_exact({buf, 11}).error() == errc::unexpected_eof);  // position is at the end
  BOOST_TEST(f.seek(-5, sys::seek_origin::end).value() == 6u);
  BOOST_TEST(f.read_exact({buf, 5}).has_value());
  BOOST_TEST(text_of({buf, 5}) == "world");
  BOOST_TEST(f.size().value() == 11u);
  BOOST_TEST(sys::read_file_string(path("io")).value() == "HELLO world");

  BOOST_TEST(f.truncate(5).has_value());
  BOOST_TEST(f.size().value() == 5u);
  BOOST_TEST(f.allocate(1 << 20).has_value());
  BOOST_TEST(f.size().value() == (1u << 20));
  BOOST_TEST(f.allocate(10).has_value());  // never shrinks
  BOOST_TEST(f.size().value() == (1u << 20));
  BOOST_TEST(f.sync().has_value());
  BOOST_TEST(f.data_sync().has_value());
  BOOST_TEST(f.close().has_value());
  BOOST_TEST(f.close().error() == errc::bad_descriptor);
}

BOOST_FIXTURE_TEST_CASE(vectored_io, fixture) {
  auto f = sys::file::open(path("vec"), open_mode::read | open_mode::write | open_mode::create).value();
  std::vector<std::string> parts;
  std::vector<sys::const_buffer> out;
  for (int i = 0; i < 40; ++i) parts.push_back(std::string(static_cast<std::size_t>(i + 1), char('a' + i % 26)));
  std::string all;
  for (const std::string& s : parts) {
    out.push_back({s.data(), s.size()});
    all += s;
  }
  out.push_back({nullptr, 0});  // empty buffers are fine
  BOOST_TEST(f.write_vec(out).has_value());
  BOOST_TEST(f.size().value() == all.size());

  BOOST_TEST(f.seek(0).has_value());
  std::string a(100, '\0'), b(all.size(), '\0');
  sys::mutable_buffer in[] = {{a.data(), a.size()}, {b.data(), b.size()}};
  BOOST_TEST(f.read_vec(in).value() == all.size());  // stops at the end of the file
  BOOST_TEST(a + b.substr(0, all.size() - 100) == all);
}

BOOST_FIXTURE_TEST_CASE(open_relative_to_a_directory_handle, fixture) {
  sys::create_directory(path("d")).value();
  auto d = sys::directory::open(path("d")).value();
  {
    auto f = d.open_file("inside", open_mode::write | open_mode::create).value();
    BOOST_TEST(f.write("x").has_value());
  }
  // The handle keeps naming the directory after its path changes (openat;
  // NtCreateFile relative to the handle on Windows).
  sys::rename(path("d"), path("elsewhere")).value();
  BOOST_TEST(d.open_file("inside", open_mode::read).has_value());
  BOOST_TEST(d.open_file("new", open_mode::write | open_mode::exclusive).has_value());
  BOOST_TEST(d.open_file("new", open_mode::write | open_mode::exclusive).error() == errc::already_exists);
  BOOST_TEST(d.open_file("absent", open_mode::read).error() == errc::not_found);
  sys::create_directory(path("elsewhere/sub0")).value();
  auto sub0 = d.open_directory("sub0");
  BOOST_TEST(sub0.has_value(), (sub0 ? "" : sub0.error().message().c_str()));
  BOOST_TEST(d.open_directory("inside").error() == errc::not_a_directory);
  BOOST_TEST(sys::read_file_string(path("elsewhere/new")).value().empty());
  sys::rename(path("elsewhere"), path("d")).value();
  d = sys::directory{};
  sys::rename(path("d"), path("moved")).value();
  BOOST_TEST(sys::read_file_string(path("moved/inside")).value() == "x");
  auto m = sys::directory::open(path("moved")).value();
  BOOST_TEST(m.stat("inside").value().size == 1u);
  BOOST_TEST(m.create_directory("sub").has_value());
  BOOST_TEST(m.create_directory("sub").error() == errc::already_exists);
  BOOST_TEST(m.rename("inside", m, "sub/renamed").has_value());
  BOOST_TEST(m.remove("sub/renamed").has_value());
  BOOST_TEST(m.remove("sub").has_value());
  BOOST_TEST(m.remove("sub").error() == errc::not_found);
  BOOST_TEST(m.sync().has_value());
}

// Another process (POSIX: a child; the generic policy's record locks are per
// process) or another handle (Windows: locks are per handle) tries the lock.
namespace {
enum class other_result { got_it = 0, blocked = 1, timed_out = 2, failed = 3 };

other_result try_lock_elsewhere(const std::string& p, sys::lock_kind kind, bool with_deadline) {
  auto attempt = [&]() -> other_result {
    auto g = sys::file::open(p, open_mode::read | open_mode::write);
    if (!g) return other_result::failed;
    if (!with_deadline) {
      auto r = g->try_lock(kind);
      if (!r) return other_result::failed;
      return *r ? other_result::got_it : other_result::blocked;
    }
    auto t0 = sys::monotonic_clock::now();
    auto s = g->lock(kind, sys::deadline::after(100ms));
    if (s) return other_result::got_it;
    if (s.error() != errc::timed_out || sys::monotonic_clock::now() - t0 < 100ms) return other_result::failed;
    return other_result::timed_out;
  };
#if VITTE_OS_POSIX
  pid_t pid = ::fork();
  if (pid == 0) ::_exit(static_cast<int>(attempt()));
  int st = 0;
  ::waitpid(pid, &st, 0);
  return WIFEXITED(st) ? static_cast<other_result>(WEXITSTATUS(st)) : other_result::failed;
#else
  return attempt();
#endif
}
}  // namespace

BOOST_FIXTURE_TEST_CASE(advisory_locks, fixture) {
  std::string p = path("lock");
  sys::write_file(p, "l").value();
  auto f = sys::file::open(p, open_mode::read | open_mode::write).value();
  BOOST_TEST(f.try_lock(sys::lock_kind::exclusive).value());
  BOOST_TEST(int(try_lock_elsewhere(p, sys::lock_kind::shared, false)) == int(other_result::blocked));
  BOOST_TEST(int(try_lock_elsewhere(p, sys::lock_kind::exclusive, true)) == int(other_result::timed_out));
  BOOST_TEST(f.unlock().has_value());
  BOOST_TEST(int(try_lock_elsewhere(p, sys::lock_kind::exclusive, false)) == int(other_result::got_it));

  BOOST_TEST(f.lock(sys::lock_kind::shared).has_value());
  BOOST_TEST(int(try_lock_elsewhere(p, sys::lock_kind::shared, false)) == int(other_result::got_it));
  BOOST_TEST(int(try_lock_elsewhere(p, sys::lock_kind::exclusive, false)) == int(other_result::blocked));
  BOOST_TEST(f.unlock().has_value());
}

BOOST_FIXTURE_TEST_CASE(read_file_sizes, fixture) {
  BOOST_TEST(sys::read_file(path("missing")).error() == errc::not_found);
  sys::write_file(path("empty"), "").value();
  BOOST_TEST(sys::read_file(path("empty")).value().empty());
  std::string big(3 * 1024 * 1024 + 17, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = char(i * 131 % 251);
  sys::write_file(path("big"), big).value();
  BOOST_TEST((text_of(sys::read_file(path("big")).value()) == big));
  BOOST_TEST((sys::read_file_string(path("big")).value() == big));
  BOOST_TEST(sys::read_file(dir.path()).error() == errc::is_a_directory);
  BOOST_TEST(sys::write_file(path("big"), "x", {.exclusive = true}).error() == errc::already_exists);
}

#if VITTE_OS_LINUX
BOOST_FIXTURE_TEST_CASE(read_file_of_proc_reports_size_zero, fixture) {
  BOOST_TEST(sys::stat("/proc/self/status").value().size == 0u);
  std::string s = sys::read_file_string("/proc/self/status").value();
  BOOST_TEST(s.find("Name:") == 0u);
  BOOST_TEST(s.find("VmRSS") != std::string::npos);
}
#endif

#if VITTE_OS_POSIX
// `-o /dev/null` as root: a rename over a device or a named pipe would put a
// regular file in its place (for /dev/null, the whole machine's).
BOOST_FIXTURE_TEST_CASE(atomic_replace_writes_through_a_named_pipe, fixture) {
  const std::string p = path("pipe");
  BOOST_TEST_REQUIRE(::mkfifo(p.c_str(), 0600) == 0);
  // atomic_replace of `text` at `target` while a reader drains the pipe: what it read.
  auto through = [&](const std::string& target, const char* text) {
    std::string got;
    std::thread reader([&] {
      int fd = ::open(p.c_str(), O_RDONLY);
      char b[64];
      for (ssize_t n; fd >= 0 && (n = ::read(fd, b, sizeof b)) > 0;) got.append(b, static_cast<std::size_t>(n));
      if (fd >= 0) ::close(fd);
    });
    vitte::diagnostic why;
    const bool ok = sys::atomic_replace(target, text, {}, &why).has_value();
    reader.join();
    BOOST_TEST(ok, why.format().c_str());
    return got;
  };
  BOOST_TEST(through(p, "through the pipe") == "through the pipe");
  BOOST_TEST((sys::lstat(p).value().type == sys::file_type::fifo));
  // Through a link to it (-o /dev/stdout): the link stays.
  const std::string link = path("link");
  BOOST_TEST_REQUIRE(sys::create_symlink("pipe", link.c_str()).has_value());
  BOOST_TEST(through(link, "through the link") == "through the link");
  BOOST_TEST((sys::lstat(link).value().type == sys::file_type::symlink));
  BOOST_TEST((names_in(dir.path()) == std::vector<std::string>{"link", "pipe"}));  // no temporary left
}
#endif

BOOST_FIXTURE_TEST_CASE(atomic_replace_replaces_and_leaves_no_temporary, fixture) {
  std::string p = path("config");
  BOOST_TEST(sys::atomic_replace(p, "one").has_value());  // creates
  BOOST_TEST(sys::read_file_string(p).value() == "one");
#if VITTE_OS_POSIX
  sys::set_permissions(p, 0640).value();
#endif
  BOOST_TEST(sys::atomic_replace(p, bytes_of("two, longer")).has_value());
  BOOST_TEST(sys::read_file_string(p).value() == "two, longer");
#if VITTE_OS_POSIX
  BOOST_TEST(sys::stat(p).value().permissions == 0640u);  // kept exactly, umask or not
  BOOST_TEST(sys::atomic_replace(p, "three", {.permissions = 0600}).has_value());
  BOOST_TEST(sys::stat(p).value().permissions == 0600u);
#endif
  BOOST_TEST(sys::atomic_replace_with(p, [](sys::file& f) -> vitte::status {
               if (auto s = f.write("four "); !s) return s;
               return f.write("parts");
             }).has_value());
  BOOST_TEST(sys::read_file_string(p).value() == "four parts");
  BOOST_TEST((names_in(dir.path()) == std::vector<std::string>{"config"}));

  // A writer that fails leaves the old file and no temporary.
  auto failed =
      sys::atomic_replace_with(p, [](sys::file&) -> vitte::status { return vitte::error{errc::verification_failed}; });
  BOOST_TEST(failed.error() == errc::verification_failed);
  BOOST_TEST(sys::read_file_string(p).value() == "four parts");
  BOOST_TEST((names_in(dir.path()) == std::vector<std::string>{"config"}));

  BOOST_TEST(sys::atomic_replace(path("no-such-dir/x"), "x").error() == errc::not_found);
  BOOST_TEST(sys::atomic_replace(path(""), "x").error() == errc::invalid_argument);
}

BOOST_FIXTURE_TEST_CASE(update_file_writes_only_what_changed, fixture) {
  std::string p = path("report");
  BOOST_TEST(sys::update_file(p, "first version").value());  // creates
  BOOST_TEST(sys::read_file_string(p).value() == "first version");
  const std::int64_t then = 1'600'000'000'000'000'000;
  BOOST_TEST(sys::set_times(p, sys::keep_time, then).has_value());
  BOOST_TEST(!sys::update_file(p, "first version").value());  // the same: left alone
  BOOST_TEST(sys::stat(p).value().mtime_ns == then);
  BOOST_TEST(sys::update_file(p, "other version").value());  // the same size, other bytes
  BOOST_TEST(sys::read_file_string(p).value() == "other version");
  BOOST_TEST(sys::update_file(p, "short").value());  // cut to size
  BOOST_TEST(sys::read_file_string(p).value() == "short");
  std::string big(10000, 'x');
  big[9000] = 'y';
  BOOST_TEST(sys::update_file(p, bytes_of(big)).value());  // longer than the piece compared at a time
  BOOST_TEST(!sys::update_file(p, bytes_of(big)).value());
  big[9000] = 'z';
  BOOST_TEST(sys::update_file(p, bytes_of(big)).value());
  BOOST_TEST(sys::read_file_string(p).value() == big);
  BOOST_TEST(sys::update_file(p, "").value());
  BOOST_TEST(sys::stat(p).value().size == 0u);
  BOOST_TEST(!sys::update_file(p, "").value());
  BOOST_TEST(sys::update_file(path("no-such-dir/x"), "x").error() == errc::not_found);
}

BOOST_FIXTURE_TEST_CASE(atomic_replace_of_a_link_replaces_the_link, fixture) {
  if (!symlinks_work(*this)) return;
  sys::write_file(path("target"), "target").value();
  sys::create_symlink("target", path("link")).value();
  BOOST_TEST(sys::atomic_replace(path("link"), "new").has_value());
  BOOST_TEST(sys::read_file_string(path("target")).value() == "target");
  BOOST_TEST(sys::lstat(path("link")).value().type == sys::file_type::regular);
}

BOOST_FIXTURE_TEST_CASE(metadata, fixture) {
  std::string p = path("meta");
  sys::write_file(p, "12345").value();
  sys::file_status st = sys::stat(p).value();
  BOOST_TEST(st.type == sys::file_type::regular);
  BOOST_TEST(st.size == 5u);
  BOOST_TEST(st.links == 1u);
  BOOST_TEST(st.mtime_ns > 1'600'000'000'000'000'000);
  auto f = sys::file::open(p, open_mode::read).value();
  sys::file_status fst = f.stat().value();
  BOOST_TEST(fst.same_file(st));
  BOOST_TEST(fst.size == 5u);
  BOOST_TEST(sys::stat(dir.path()).value().type == sys::file_type::directory);
  BOOST_TEST(sys::exists(p).value());
  BOOST_TEST(!sys::exists(path("nothing")).value());
  BOOST_TEST(sys::file_size(p).value() == 5u);
  BOOST_TEST(sys::stat(path("nothing")).error() == errc::not_found);
  BOOST_TEST(sys::stat(path("nothing")).error().op() == vitte::sys::ops::file_stat);

  BOOST_TEST(sys::create_hard_link(p, path("hard")).has_value());
  BOOST_TEST(sys::stat(p).value().links == 2u);
  BOOST_TEST(sys::stat(path("hard")).value().same_file(st));

  const std::int64_t t = 1'500'000'000'123'456'700;  // 100 ns steps survive FILETIME
  BOOST_TEST(sys::set_times(p, sys::keep_time, t).has_value());
  BOOST_TEST(sys::stat(p).value().mtime_ns == t);
  BOOST_TEST(sys::set_times(p, sys::now_time, sys::now_time).has_value());
  BOOST_TEST(sys::stat(p).value().mtime_ns > t);

#if VITTE_OS_POSIX
  BOOST_TEST(sys::set_permissions(p, 0600).has_value());
  BOOST_TEST(sys::stat(p).value().permissions == 0600u);
#else
  BOOST_TEST(sys::set_permissions(p, 0444).has_value());
  BOOST_TEST(sys::stat(p).value().permissions == 0444u);
  BOOST_TEST(sys::set_permissions(p, 0666).has_value());
  BOOST_TEST(sys::stat(p).value().permissions == 0666u);
#endif
  if (symlinks_work(*this)) {
    sys::create_symlink("meta", path("sym")).value();
    BOOST_TEST(sys::lstat(path("sym")).value().type == sys::file_type::symlink);
    BOOST_TEST(sys::stat(path("sym")).value().same_file(st));
    BOOST_TEST(sys::read_symlink(path("sym")).value() == "meta");
  }
}

BOOST_FIXTURE_TEST_CASE(create_and_remove_directories, fixture) {
  BOOST_TEST(sys::create_directories(path("a/b/c/d")).has_value());
  BOOST_TEST(sys::create_directories(path("a/b/c/d")).has_value());  // exists: fine
  BOOST_TEST(sys::create_directories(path("a/b/")).has_value());
  BOOST_TEST(sys::stat(path("a/b/c/d")).value().type == sys::file_type::directory);
  BOOST_TEST(sys::create_directory(path("a")).error() == errc::already_exists);
  BOOST_TEST(sys::create_directory(path("x/y")).error() == errc::not_found);
  sys::write_file(path("a/file"), "f").value();
  BOOST_TEST(sys::create_directories(path("a/file/sub")).error() == errc::not_a_directory);
  BOOST_TEST(sys::create_directories(path("a/file")).error() == errc::not_a_directory);

  BOOST_TEST(sys::remove(path("a/b")).error() == errc::directory_not_empty);
  BOOST_TEST(sys::remove(path("a/b/c/d")).value());
  BOOST_TEST(!sys::remove(path("a/b/c/d")).value());
  BOOST_TEST(sys::remove(path("a/file")).value());
  sys::write_file(path("a/b/c/f1"), "1").value();
  sys::write_file(path("a/b/f2"), "2").value();
  BOOST_TEST(sys::remove_all(path("a")).value() == 5u);  // a, b, c, f1, f2
  BOOST_TEST(!sys::exists(path("a")).value());
  BOOST_TEST(sys::remove_all(path("a")).value() == 0u);
  sys::write_file(path("lone"), "x").value();
  BOOST_TEST(sys::remove_all(path("lone")).value() == 1u);
}

BOOST_FIXTURE_TEST_CASE(remove_all_never_follows_a_link_out_of_the_tree, fixture) {
  if (!symlinks_work(*this)) return;
  sys::create_directories(path("outside/keep")).value();
  sys::write_file(path("outside/keep/precious"), "do not delete").value();
  sys::create_directories(path("tree/sub")).value();
  sys::write_file(path("tree/sub/file"), "x").value();
  sys::create_symlink(path("outside"), path("tree/link-to-dir")).value();
  sys::create_symlink(path("outside/keep/precious"), path("tree/sub/link-to-file")).value();
  sys::create_symlink(path("outside"), path("root-link")).value();

  BOOST_TEST(sys::remove_all(path("root-link")).value() == 1u);  // the link only
  BOOST_TEST(sys::remove_all(path("tree")).value() == 5u);
  BOOST_TEST(!sys::exists(path("tree")).value());
  BOOST_TEST(sys::read_file_string(path("outside/keep/precious")).value() == "do not delete");
}

BOOST_FIXTURE_TEST_CASE(listing_sees_every_entry_exactly_once, fixture) {
  // 100,000 entries; where creating them is slow (emulators, wine) fewer,
  // as many as about 5 seconds allow.
  std::size_t count = 100'000;
  std::string d = path("many");
  sys::create_directory(d).value();
  auto parent = sys::directory::open(d).value();
  char name[32];
  auto make = [&](std::size_t i) {
    std::snprintf(name, sizeof name, "f%06zu", i);
    return parent.open_file(name, open_mode::write | open_mode::exclusive).has_value();
  };
  auto t0 = sys::monotonic_clock::now();
  std::size_t made = 0;
  std::size_t failed = 0;
  for (; made < 2000; ++made) failed += !make(made);
  double per_entry = std::chrono::duration<double>(sys::monotonic_clock::now() - t0).count() / 2000;
  if (per_entry * static_cast<double>(count) > 5.0) {
    count = std::max<std::size_t>(2'000, static_cast<std::size_t>(5.0 / per_entry));
    BOOST_TEST_MESSAGE("creating a file takes " << per_entry * 1e6 << " us here (an emulator?): listing " << count
                                                << " entries instead of 100000");
  }
  for (; made < count; ++made) failed += !make(made);
  BOOST_REQUIRE(failed == 0u);

  std::vector<unsigned char> seen(count, 0);
  std::size_t entries = 0, bad = 0;
  auto r = sys::directory_reader::open(d).value();
  for (const sys::dir_entry& e : r) {
    ++entries;
    std::size_t i = 0;
    bool ok = e.name.size() == 7 && e.name[0] == 'f';
    for (std::size_t k = 1; ok && k < 7; ++k) i = i * 10 + static_cast<std::size_t>(e.name[k] - '0');
    if (!ok || i >= count || seen[i]++ != 0) ++bad;
    if (e.type != sys::file_type::regular &&
        r.resolve_type(e).value_or(sys::file_type::unknown) != sys::file_type::regular)
      ++bad;
  }
  BOOST_TEST(!r.error());
  BOOST_TEST(entries == count);
  BOOST_TEST(bad == 0u);
  BOOST_TEST(std::count(seen.begin(), seen.end(), 1) == static_cast<std::ptrdiff_t>(count));
  r = sys::directory_reader{};
  parent = sys::directory{};
  BOOST_TEST(sys::remove_all(d).value() == count + 1);
}

BOOST_FIXTURE_TEST_CASE(non_ascii_names_round_trip, fixture) {
  const std::string names[] = {"h\xC3\xA9llo w\xC3\xB6rld",                 // héllo wörld
                               "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E.txt",  // 日本語.txt
                               "\xE2\x9C\x93 check",                        // ✓ check
                               "\xF0\x9F\x98\x80"};                         // an emoji (a UTF-16 surrogate pair)
  for (const std::string& n : names) BOOST_TEST(sys::write_file(path(n), n).has_value());
  sys::create_directory(path("\xC3\x85ngstr\xC3\xB6m")).value();                            // Ångström
  sys::write_file(path("\xC3\x85ngstr\xC3\xB6m/\xCE\xB1\xCE\xB2\xCE\xB3"), "abc").value();  // αβγ

  std::vector<std::string> listed = names_in(dir.path());
  std::vector<std::string> expected(std::begin(names), std::end(names));
  expected.push_back("\xC3\x85ngstr\xC3\xB6m");
  std::sort(expected.begin(), expected.end());
  BOOST_TEST(listed == expected, boost::test_tools::per_element());
  for (const std::string& n : names) BOOST_TEST(sys::read_file_string(path(n)).value() == n);
  std::vector<std::string> walked;
  sys::walk(dir.path(), [&](const sys::walk_entry& e) { walked.emplace_back(e.path); }).value();
  BOOST_TEST(std::count(walked.begin(), walked.end(),
                        sys::path_join(path("\xC3\x85ngstr\xC3\xB6m"), "\xCE\xB1\xCE\xB2\xCE\xB3")) == 1);
  BOOST_TEST(sys::canonical(path(names[1])).value().find(names[1]) != std::string::npos);
}

// Windows names are UTF-16: a name that is not valid UTF-8 has no exact
// UTF-16 form and is refused (vitte/sys/detail/win32/utf.hpp states the
// rule), never replaced by U+FFFD, which would name another file. POSIX
// names are bytes and take it as it is.
BOOST_FIXTURE_TEST_CASE(names_that_are_not_utf8_are_refused_on_windows, fixture) {
  const std::string valid = "\xC3\xA9\xE6\x97\xA5\xE6\x9C\xAC.txt";  // é日本.txt
  sys::write_file(path(valid), "x").value();
  BOOST_TEST(names_in(dir.path()) == std::vector<std::string>{valid}, boost::test_tools::per_element());
  BOOST_TEST(sys::stat(path(valid)).value().size == 1u);
  auto d = sys::directory::open(dir.path()).value();
  BOOST_TEST(d.stat(valid).value().size == 1u);
  BOOST_TEST(d.open_file(valid, open_mode::read).has_value());

  const std::string invalid[] = {"\xFF.txt",          // a byte that is never UTF-8
                                 "\xED\xA0\x80.txt",  // a lone surrogate encoded as CESU-8
                                 "\xC0\xAF.txt"};     // an overlong '/'
  for (const std::string& n : invalid) {
#if VITTE_OS_WINDOWS
    auto w = sys::write_file(path(n), "x");
    BOOST_TEST(w.error() == errc::invalid_argument);
    BOOST_TEST(sys::stat(path(n)).error() == errc::invalid_argument);
    BOOST_TEST(d.open_file(n, open_mode::write | open_mode::create).error() == errc::invalid_argument);
    BOOST_TEST(sys::create_directory(path(n)).error() == errc::invalid_argument);
#else
    (void)n;
#endif
  }
  BOOST_TEST(names_in(dir.path()) == std::vector<std::string>{valid}, boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(walk_visits_the_tree, fixture) {
  sys::create_directories(path("t/a/b")).value();
  sys::create_directories(path("t/skip/inner")).value();
  sys::write_file(path("t/a/b/f"), "f").value();
  sys::write_file(path("t/top"), "t").value();
  bool links = symlinks_work(*this);
  if (links) {
    sys::create_symlink(path("t/a"), path("t/a/b/loop")).value();  // a loop back up
    sys::create_symlink("top", path("t/top-link")).value();
  }

  std::vector<std::string> seen;
  auto visit = [&](const sys::walk_entry& e) {
    std::string rel(e.path.substr(path("t").size() + 1));
    std::replace(rel.begin(), rel.end(), '\\', '/');
    seen.push_back(rel + ":" + std::to_string(int(e.type)) + ":" + std::to_string(e.depth));
    BOOST_TEST(e.name == sys::file_name(e.path));
    BOOST_TEST(e.type != sys::file_type::unknown);
    return e.name == "skip" ? sys::walk_action::skip : sys::walk_action::next;
  };
  BOOST_TEST(sys::walk(path("t"), visit).has_value());
  std::sort(seen.begin(), seen.end());
  std::vector<std::string> expected = {"a:2:0", "a/b:2:1", "a/b/f:1:2", "skip:2:0", "top:1:0"};
  if (links) expected.insert(expected.end(), {"a/b/loop:3:2", "top-link:3:0"});
  std::sort(expected.begin(), expected.end());
  BOOST_TEST(seen == expected, boost::test_tools::per_element());

  if (links) {
    seen.clear();
    BOOST_TEST(sys::walk(path("t"), visit, {.links = sys::symlink_policy::follow}).has_value());
    // The loop is reported as a directory and not entered again.
    BOOST_TEST(std::count(seen.begin(), seen.end(), "a/b/loop:2:2") == 1);
    BOOST_TEST(std::count(seen.begin(), seen.end(), "top-link:1:0") == 1);
    BOOST_TEST(seen.size() == expected.size());
  }

  seen.clear();
  BOOST_TEST(sys::walk(path("t"), visit, {.max_depth = 0}).has_value());
  BOOST_TEST(seen.size() == (links ? 4u : 3u));
  int visits = 0;
  BOOST_TEST(sys::walk(path("t"), [&](const sys::walk_entry&) {
               return ++visits == 2 ? sys::walk_action::stop : sys::walk_action::next;
             }).has_value());
  BOOST_TEST(visits == 2);
  BOOST_TEST(sys::walk(path("none"), visit).error() == errc::not_found);
}

BOOST_FIXTURE_TEST_CASE(copy_file_copies_contents_and_permissions, fixture) {
  std::string big(5 * 1024 * 1024 + 3, 'q');
  big[12345] = 'Z';
  sys::write_file(path("src"), big).value();
#if VITTE_OS_POSIX
  sys::set_permissions(path("src"), 0640).value();
#endif
  BOOST_TEST(sys::copy_file(path("src"), path("dst")).has_value());
  BOOST_TEST((sys::read_file_string(path("dst")).value() == big));
#if VITTE_OS_POSIX
  BOOST_TEST(sys::stat(path("dst")).value().permissions == 0640u);
#endif
  BOOST_TEST(sys::copy_file(path("src"), path("dst")).error() == errc::already_exists);
  sys::write_file(path("small"), "small").value();
  BOOST_TEST(sys::copy_file(path("small"), path("dst"), {.overwrite = true}).has_value());
  BOOST_TEST(sys::read_file_string(path("dst")).value() == "small");
  BOOST_TEST(!sys::copy_file(path("src"), path("src"), {.overwrite = true}).has_value());
  BOOST_TEST((sys::read_file_string(path("src")).value() == big));
  BOOST_TEST(sys::copy_file(path("none"), path("x")).error() == errc::not_found);
#if VITTE_OS_LINUX
  BOOST_TEST(sys::copy_file("/proc/self/status", path("status")).has_value());
  BOOST_TEST(sys::read_file_string(path("status")).value().find("Name:") == 0u);
#endif
}

BOOST_FIXTURE_TEST_CASE(links_current_directory_and_canonical_paths, fixture) {
  std::string here = sys::current_directory().value();
  BOOST_TEST(!here.empty());
  sys::create_directory(path("cwd")).value();
  BOOST_TEST(sys::set_current_directory(path("cwd")).has_value());
  sys::write_file("relative", "r").value();
  std::string now = sys::current_directory().value();
  BOOST_TEST(sys::canonical("relative").value() == sys::path_join(now, "relative"));
  BOOST_TEST(sys::set_current_directory(here).has_value());
  BOOST_TEST(sys::read_file_string(path("cwd/relative")).value() == "r");
  BOOST_TEST(sys::canonical(path("cwd/../cwd/./relative")).value() == sys::canonical(path("cwd/relative")).value());
  BOOST_TEST(sys::canonical(path("nothing")).error() == errc::not_found);
  BOOST_TEST(!sys::temp_directory_path().value().empty());
  BOOST_TEST(sys::rename(path("cwd/relative"), path("renamed")).has_value());
  BOOST_TEST(sys::rename(path("cwd/relative"), path("renamed")).error() == errc::not_found);
  if (symlinks_work(*this)) {
    sys::create_symlink("renamed", path("l")).value();
    BOOST_TEST(sys::canonical(path("l")).value() == sys::canonical(path("renamed")).value());
    BOOST_TEST(sys::read_symlink(path("renamed")).error() == errc::invalid_argument);
  }
}

BOOST_FIXTURE_TEST_CASE(temporary_files_and_directories_go_away, fixture) {
  std::string kept;
  {
    auto d = sys::temp_directory::create(dir.path(), "td-").value();
    BOOST_TEST(sys::file_name(d.path()).substr(0, 3) == "td-");
    sys::write_file(sys::path_join(d.path(), "inner"), "x").value();
    auto t = sys::temp_file::create(d.path()).value();
    BOOST_TEST(t.file().write("scratch").has_value());
    BOOST_TEST(sys::read_file_string(t.path()).value() == "scratch");
    kept = d.path();
    auto t2 = std::move(t);
    BOOST_TEST(t.path().empty());
  }
  BOOST_TEST(!sys::exists(kept).value());
  auto a = sys::temp_directory::create(dir.path()).value();
  auto b = sys::temp_directory::create(dir.path()).value();
  BOOST_TEST(a.path() != b.path());
}

BOOST_FIXTURE_TEST_CASE(mapped_views, fixture) {
  std::string content(200'000, '\0');
  for (std::size_t i = 0; i < content.size(); ++i) content[i] = char('a' + i % 26);
  sys::write_file(path("m"), content).value();

  auto ro = sys::file_map::open(path("m")).value();
  BOOST_TEST(ro.size() == content.size());
  BOOST_TEST(std::memcmp(ro.data(), content.data(), content.size()) == 0);

  auto f = sys::file::open(path("m"), open_mode::read | open_mode::write).value();
  auto part = sys::file_map::map(f, sys::map_mode::read_write, 70'001, 100).value();  // unaligned offset
  BOOST_TEST(char(part.data()[0]) == content[70'001]);
  part.data()[0] = std::byte{'#'};
  BOOST_TEST(part.sync().has_value());
  BOOST_TEST(part.unmap().has_value());
  BOOST_TEST(sys::read_file_string(path("m")).value()[70'001] == '#');

  auto cow = sys::file_map::map(f, sys::map_mode::copy).value();
  cow.data()[1] = std::byte{'!'};
  BOOST_TEST(sys::read_file_string(path("m")).value()[1] == content[1]);

  BOOST_TEST(sys::file_map::map(f, sys::map_mode::read, content.size() + 1).error() == errc::invalid_argument);
  sys::write_file(path("empty"), "").value();
  auto empty = sys::file_map::open(path("empty")).value();
  BOOST_TEST(empty.empty());
}

namespace {

// Collects events until each wanted (kind, name) pair was seen, or 5 s.
template <class Watcher>
std::vector<std::string> collect(Watcher& w, std::vector<std::string> wanted) {
  std::vector<std::string> got;
  auto until = sys::basic_deadline<typename Watcher::policy>::after(5s);
  while (!wanted.empty()) {
    auto ev = w.next(until);
    if (!ev) break;
    std::string key = std::to_string(int(ev->kind)) + ":" + std::string(ev->name);
    got.push_back(key);
    auto it = std::find(wanted.begin(), wanted.end(), key);
    if (it != wanted.end()) wanted.erase(it);
  }
  BOOST_TEST(wanted.empty(), "events not seen: " << wanted.size());
  return got;
}

std::string key(sys::watch_event_kind k, std::string_view name) {
  return std::to_string(int(k)) + ":" + std::string(name);
}

template <class Watcher>
void check_watcher(fixture& f, Watcher w) {
  using k = sys::watch_event_kind;
  sys::create_directory(f.path("w")).value();
  sys::write_file(f.path("w/existing"), "1").value();
  int id = w.add(f.path("w")).value();
  BOOST_TEST(w.next(sys::basic_deadline<typename Watcher::policy>::after(10ms)).error() == errc::timed_out);

  sys::write_file(f.path("w/new"), "x").value();
  collect(w, {key(k::created, "new")});
  sys::write_file(f.path("w/existing"), "longer").value();
  collect(w, {key(k::modified, "existing")});
  sys::rename(f.path("w/new"), f.path("w/renamed")).value();
  auto got = collect(w, {key(k::renamed_from, "new"), key(k::renamed_to, "renamed")});
  sys::remove(f.path("w/renamed")).value();
  collect(w, {key(k::removed, "renamed")});
  BOOST_TEST(w.remove(id).has_value());

  int file_id = w.add(f.path("w/existing")).value();
  sys::write_file(f.path("w/existing"), "much longer now").value();
  auto ev = collect(w, {key(k::modified, "")});
  (void)file_id;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(watcher_reports_changes, fixture) { check_watcher(*this, sys::watcher::create().value()); }

BOOST_FIXTURE_TEST_CASE(polling_watcher_reports_changes, fixture) {
  check_watcher(*this, sys::basic_watcher<sys::platform, false>::create(20ms).value());
}

#if defined(__linux__)
namespace {
// Change hints as kqueue gives them on Darwin and the BSDs (a path changed,
// no name), made here from inotify, so that the snapshot watcher's hinted
// path runs on Linux: with an hour between scans, every event below comes
// from a hint.
struct hinted_platform : sys::platform {
  static vitte::result<sys::native_handle> watch_hint_open() noexcept {
    int fd = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (fd < 0) return vitte::error{errc::unknown, vitte::sys::ops::watch};
    return sys::native_handle{fd};
  }
  static vitte::result<sys::native_handle> watch_hint_add(sys::native_handle h, const char* path) noexcept {
    ++adds;
    constexpr std::uint32_t mask =
        IN_MODIFY | IN_ATTRIB | IN_CREATE | IN_DELETE | IN_MOVE | IN_DELETE_SELF | IN_MOVE_SELF;
    int wd = ::inotify_add_watch(int(h), path, mask);
    if (wd < 0) return vitte::error{errc::unknown, vitte::sys::ops::watch};
    return sys::native_handle{wd};
  }
  static void watch_hint_remove(sys::native_handle h, sys::native_handle token) noexcept {
    ::inotify_rm_watch(int(h), int(token));
  }
  static vitte::error watch_hint_wait(sys::native_handle h, std::int64_t deadline_ns) noexcept {
    std::int64_t left = deadline_ns - clock_now_ns(sys::clock_id::monotonic);
    struct pollfd p{int(h), POLLIN, 0};
    if (::poll(&p, 1, left <= 0 ? 0 : int(left / 1'000'000 + 1)) <= 0)
      return vitte::error{errc::timed_out, vitte::sys::ops::watch};
    alignas(struct inotify_event) char buf[4096];
    while (::read(int(h), buf, sizeof buf) > 0) {
    }
    return {};
  }
  static void watch_hint_close(sys::native_handle h) noexcept { ::close(int(h)); }
  static inline int adds = 0;
};
static_assert(sys::watch_hint_capability<hinted_platform>);
}  // namespace

BOOST_FIXTURE_TEST_CASE(snapshot_watcher_scans_on_hints, fixture) {
  hinted_platform::adds = 0;
  check_watcher(*this, sys::basic_watcher<hinted_platform, false>::create(1h).value());
  BOOST_TEST(hinted_platform::adds >= 2);  // the directory, the file
}
#endif

BOOST_FIXTURE_TEST_CASE(paths_longer_than_260_characters, fixture) {
  // Windows needs the \\?\ form past MAX_PATH; vitte adds it.
  std::string p = dir.path();
  std::string component(60, 'L');
  for (int i = 0; i < 5; ++i) p = sys::path_join(p, component + std::to_string(i));
  BOOST_TEST(p.size() > 300u);
  BOOST_TEST(sys::create_directories(p).has_value());
  std::string file = sys::path_join(p, "long-file.txt");
  BOOST_TEST(sys::write_file(file, "far away").has_value());
  BOOST_TEST(sys::read_file_string(file).value() == "far away");
  BOOST_TEST(sys::atomic_replace(file, "further").has_value());
  BOOST_TEST(sys::read_file_string(file).value() == "further");
  BOOST_TEST(sys::stat(file).value().size == 7u);
  BOOST_TEST(sys::remove(file).value());
  BOOST_TEST(sys::remove_all(sys::path_join(dir.path(), component + "0")).value() == 5u);
}

BOOST_AUTO_TEST_SUITE_END()
