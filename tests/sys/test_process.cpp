// Processes: arguments, environment, working directory and streams through a
// real child (tests/helper_child.cpp), errors, descriptors, zombies,
// deadlines, capture without deadlock, dry runs, PATH lookup, fault
// injection; the environment and host information of this process.
#include <vitte/sys/environment.hpp>
#include <vitte/sys/fs.hpp>
#include <vitte/sys/info.hpp>
#include <vitte/sys/policy/fault.hpp>
#include <vitte/sys/process.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "fs_fixture.hpp"
#include "print.hpp"

#if VITTE_OS_POSIX
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#endif
#if VITTE_OS_WINDOWS
#include <windows.h>
#endif

namespace vitte::sys {
inline std::ostream& operator<<(std::ostream& os, const exit_status& st) {
  return os << (st.exited() ? "exit " : "signal ") << st.value;
}
}  // namespace vitte::sys

namespace sys = vitte::sys;
using sys::stdio;
using vitte::errc;
using vitte::operation;
using namespace std::chrono_literals;

namespace {

std::string test_dir() {
  std::string self = sys::executable_path().value();
  return std::string(sys::parent_path(self));
}

std::string helper() { return sys::path_join(test_dir(), VITTE_OS_WINDOWS ? "helper_child.exe" : "helper_child"); }

// Strings that break naive quoting.
const std::vector<std::string>& hostile() {
  static const std::vector<std::string> v = {
      "plain",
      "two words",
      "",
      "\"quoted\"",
      "a\"b",
      "back\\slash",
      "trailing\\",
      "trailing two\\\\",
      "quote after backslash\\\"",
      "\\\\\"",
      "\\",
      "tab\there",
      "new\nline",
      "*?[glob]$HOME;|&<>`(')",
      "100% ^caret !bang",
      "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80",
      " leading and trailing ",
  };
  return v;
}

std::string expected_args_output(const std::vector<std::string>& args) {
  std::string out;
  for (const std::string& a : args) out += std::to_string(a.size()) + ":" + a + "\n";
  return out;
}

// The parsing rules of CommandLineToArgvW (and the Microsoft C runtime),
// for arguments after the program name: a model to check the quoting on
// every host.
std::vector<std::string> parse_windows_arguments(const std::string& line) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size()) break;
    std::string arg;
    bool quoted = false;
    while (i < line.size()) {
      char c = line[i];
      if (!quoted && (c == ' ' || c == '\t')) break;
      if (c == '\\') {
        std::size_t n = 0;
        while (i < line.size() && line[i] == '\\') {
          ++n;
          ++i;
        }
        if (i < line.size() && line[i] == '"') {
          arg.append(n / 2, '\\');
          if (n % 2 == 1) {
            arg.push_back('"');
            ++i;
          }
        } else {
          arg.append(n, '\\');
        }
        continue;
      }
      if (c == '"') {
        if (quoted && i + 1 < line.size() && line[i + 1] == '"') {  // "" inside quotes: a quote
          arg.push_back('"');
          i += 2;
          continue;
        }
        quoted = !quoted;
        ++i;
        continue;
      }
      arg.push_back(c);
      ++i;
    }
    out.push_back(arg);
  }
  return out;
}

std::string read_all(sys::file& f) {
  std::string s;
  char buf[4096];
  for (;;) {
    auto n = f.read_some(std::as_writable_bytes(std::span(buf)));
    if (!n || *n == 0) break;
    s.append(buf, *n);
  }
  return s;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
    start = end + 1;
  }
  return out;
}

bool contains_line(const std::string& text, const std::string& line) {
  for (const std::string& l : lines_of(text))
    if (l == line) return true;
  return false;
}

#if VITTE_OS_POSIX
// The fork/exec path of the POSIX policies, on its own.
struct fork_exec_platform : sys::platform {
  static vitte::error process_spawn(const sys::spawn_request& req, sys::native_process& out) noexcept {
    return sys::posix_platform::process_spawn_fork_exec(req, out);
  }
};

bool process_gone(long pid) {
  if (::kill(static_cast<pid_t>(pid), 0) != 0) return errno == ESRCH;
  // A zombie nobody reaps (no init in a container) is gone too.
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%ld/stat", pid);
  std::FILE* f = std::fopen(path, "r");
  if (f == nullptr) return true;
  char buf[512] = {};
  std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  const char* close_paren = std::strrchr(buf, ')');
  return n > 0 && close_paren != nullptr && close_paren[1] == ' ' && close_paren[2] == 'Z';
}
#endif

#if VITTE_OS_WINDOWS
bool process_gone(long pid) {
  HANDLE h = ::OpenProcess(SYNCHRONIZE, FALSE, static_cast<DWORD>(pid));
  if (h == nullptr) return true;
  bool gone = ::WaitForSingleObject(h, 0) == WAIT_OBJECT_0;
  ::CloseHandle(h);
  return gone;
}
#endif

}  // namespace

BOOST_AUTO_TEST_SUITE(process)

BOOST_AUTO_TEST_CASE(windows_quoting_round_trips_through_the_parsing_rules) {
  for (const std::string& a : hostile()) {
    std::string line = "prog ";
    sys::detail::append_windows_argument(line, a);
    std::vector<std::string> parsed = parse_windows_arguments(line.substr(5));
    BOOST_TEST_CONTEXT("argument [" << a << "] quoted as [" << line << "]") {
      BOOST_REQUIRE_EQUAL(parsed.size(), 1u);
      BOOST_TEST(parsed[0] == a);
    }
  }
  std::string line;
  BOOST_TEST(!sys::detail::append_windows_program(line, "a\"b"));
  BOOST_TEST(sys::detail::is_batch_file("C:\\x\\build.CMD"));
  BOOST_TEST(!sys::detail::batch_argument_safe("a&calc.exe"));
  BOOST_TEST(!sys::detail::batch_argument_safe("%PATH%"));
  BOOST_TEST(sys::detail::batch_argument_safe("plain words"));
}

BOOST_AUTO_TEST_CASE(hostile_arguments_round_trip_through_a_child) {
  auto out = sys::command(helper()).arg("args").args(hostile()).output().value();
  BOOST_TEST(out.status.success());
  BOOST_TEST(out.out == expected_args_output(hostile()));
}

#if VITTE_OS_POSIX
BOOST_AUTO_TEST_CASE(fork_exec_path_round_trips_arguments_and_directories) {
  fs_test::fixture dir;
  using command = sys::basic_command<fork_exec_platform>;
  auto out = command(helper()).arg("args").args(hostile()).output().value();
  BOOST_TEST(out.out == expected_args_output(hostile()));
  auto cwd = command(helper()).arg("cwd").cwd(dir.dir.path()).output().value();
  BOOST_TEST(cwd.out == sys::canonical(dir.dir.path()).value() + "\n");
  sys::native_process np;
  const char* argv[] = {"missing", nullptr};
  sys::spawn_request req;
  req.program = "/nonexistent/vitte/program";
  req.argv = argv;
  req.argc = 1;
  vitte::error e = sys::posix_platform::process_spawn_fork_exec(req, np);
  BOOST_TEST(e == errc::not_found);
  BOOST_TEST(e.op() == vitte::sys::ops::process_spawn);
}
#endif

BOOST_AUTO_TEST_CASE(exit_codes_and_statuses) {
  auto st = sys::command(helper()).args({"exit", "3"}).run().value();
  BOOST_TEST(st.exited());
  BOOST_TEST(st.code() == 3);
  BOOST_TEST(!st.success());
  BOOST_TEST(sys::command(helper()).args({"exit", "0"}).run().value().success());
}

BOOST_AUTO_TEST_CASE(environment_is_inherited_cleared_and_edited) {
  sys::set_env("VITTE_TEST_MARKER", "inherited").value();
  auto inherited = sys::command(helper()).arg("env").output().value();
  BOOST_TEST(contains_line(inherited.out, "VITTE_TEST_MARKER=inherited"));

  auto edited = sys::command(helper())
                    .arg("env")
                    .env("VITTE_TEST_ADDED", "caf\xc3\xa9 = value")
                    .env_remove("VITTE_TEST_MARKER")
                    .output()
                    .value();
  BOOST_TEST(contains_line(edited.out, "VITTE_TEST_ADDED=caf\xc3\xa9 = value"));
  BOOST_TEST(!contains_line(edited.out, "VITTE_TEST_MARKER=inherited"));

  auto cleared = sys::command(helper()).arg("env").env_clear().env("ONLY", "1").output().value();
  BOOST_TEST(contains_line(cleared.out, "ONLY=1"));
  BOOST_TEST(!contains_line(cleared.out, "VITTE_TEST_MARKER=inherited"));
  if (VITTE_OS_POSIX) BOOST_TEST(cleared.out == "ONLY=1\n");

  sys::unset_env("VITTE_TEST_MARKER").value();
  BOOST_TEST(sys::get_env("VITTE_TEST_MARKER").error() == errc::not_found);
}

BOOST_AUTO_TEST_CASE(working_directory) {
  fs_test::fixture dir;
  auto out = sys::command(helper()).arg("cwd").cwd(dir.dir.path()).output().value();
  BOOST_TEST(out.status.success());
  std::string got = lines_of(out.out).at(0);
  BOOST_TEST(sys::canonical(got).value() == sys::canonical(dir.dir.path()).value());
  // A missing directory is a spawn error, not a child that fails.
  auto bad = sys::command(helper()).arg("cwd").cwd(dir.path("missing")).spawn();
  BOOST_TEST(!bad);
}

BOOST_AUTO_TEST_CASE(missing_program_is_not_found_not_exit_127) {
  auto r = sys::command("vitte-no-such-program-7f3a").spawn();
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error() == errc::not_found);
  BOOST_TEST(r.error().op() == vitte::sys::ops::find_program);
  auto abs = sys::command(sys::path_join(test_dir(), "no-such-helper")).run();
  BOOST_TEST(abs.error() == errc::not_found);
  // The policy itself reports an exec failure as an error (posix_spawn,
  // CreateProcessW), never as a child that exits 127.
  sys::native_process np;
  const char* argv[] = {"missing", nullptr};
  sys::spawn_request req;
  std::string missing = sys::path_join(test_dir(), "no-such-helper");
  req.program = missing.c_str();
  req.argv = argv;
  req.argc = 1;
  vitte::error e = sys::platform::process_spawn(req, np);
  BOOST_TEST(e == errc::not_found);
  BOOST_TEST(e.op() == vitte::sys::ops::process_spawn);
}

#if VITTE_OS_POSIX
BOOST_AUTO_TEST_CASE(a_file_that_is_not_a_program_is_exec_format) {
  fs_test::fixture dir;
  std::string path = dir.path("garbage");
  sys::write_file(path, "\x01\x02\x03 not a program").value();
  sys::set_permissions(path, 0755).value();
  auto r = sys::command(path).spawn();
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error() == errc::exec_format);
  auto not_exec = sys::command(dir.dir.path()).spawn();  // a directory
  BOOST_TEST(!not_exec);
}

BOOST_AUTO_TEST_CASE(no_descriptor_leaks_into_children) {
  // One descriptor vitte opened (close-on-exec), one opened raw without
  // O_CLOEXEC, as careless code does: the child sees neither.
  fs_test::fixture dir;
  auto f = sys::file::open(dir.path("x"), sys::open_mode::write | sys::open_mode::create).value();
  int raw = ::open((dir.path("x")).c_str(), O_RDONLY);
  BOOST_REQUIRE(raw >= 0);
  auto out = sys::command(helper()).arg("fds").in(stdio::null()).output().value();
  BOOST_TEST(out.out == "0 1 2\n");
  auto forked = sys::basic_command<fork_exec_platform>(helper()).arg("fds").in(stdio::null()).output().value();
  BOOST_TEST(forked.out == "0 1 2\n");
  ::close(raw);
}

BOOST_AUTO_TEST_CASE(passed_descriptors_reach_the_child_as_3_4_and_nothing_else_does) {
  // Two pipes, passed write end first then the other's write end: the child
  // has them as 3 and 4 (whatever numbers they had here), and no other.
  int a[2], b[2];
  BOOST_REQUIRE(::pipe2(a, O_CLOEXEC) == 0);
  BOOST_REQUIRE(::pipe2(b, O_CLOEXEC) == 0);
  const auto check = [&](auto command) {
    auto fds = decltype(command)(helper()).arg("fds").in(stdio::null()).pass(b[1]).pass(a[1]).output().value();
    BOOST_TEST(fds.out == "0 1 2 3 4\n");
    auto wrote =
        decltype(command)("/bin/sh").args({"-c", "printf three >&3; printf four >&4"}).pass(b[1]).pass(a[1]).run();
    BOOST_REQUIRE(wrote.has_value());
    BOOST_TEST(wrote->success());
    char got[16] = {};
    BOOST_TEST(::read(b[0], got, sizeof got) == 5);
    BOOST_TEST(std::string(got) == "three");
    std::memset(got, 0, sizeof got);
    BOOST_TEST(::read(a[0], got, sizeof got) == 4);
    BOOST_TEST(std::string(got) == "four");
  };
  check(sys::command("x"));
  check(sys::basic_command<fork_exec_platform>("x"));
  // The parent's own descriptors are as they were: close-on-exec.
  BOOST_TEST((::fcntl(a[1], F_GETFD) & FD_CLOEXEC) != 0);
  for (int fd : {a[0], a[1], b[0], b[1]}) ::close(fd);
}

BOOST_AUTO_TEST_CASE(a_thousand_spawns_leave_no_zombies) {
  for (int i = 0; i < 1000; ++i) {
    auto st = sys::command(helper()).args({"exit", "0"}).run();
    BOOST_REQUIRE(st);
    BOOST_REQUIRE(st->success());
  }
  for (int i = 0; i < 50; ++i) {
    auto c = sys::command(helper()).args({"sleep", "10000"}).spawn().value();
    (void)c;  // dropped unwaited: killed and reaped
  }
  int st;
  BOOST_TEST(::waitpid(-1, &st, WNOHANG) == -1);
  BOOST_TEST(errno == ECHILD);
}
#endif

BOOST_AUTO_TEST_CASE(a_deadline_kills_the_child_and_its_grandchild) {
  fs_test::fixture dir;
  std::string pid_file = dir.path("grandchild.pid");
  auto c = sys::command(helper()).args({"grandchild", pid_file}).spawn().value();
  long pid = 0;
  for (int i = 0; i < 500 && pid == 0; ++i) {
    auto text = sys::read_file_string(pid_file);
    if (text && !text->empty() && text->back() == '\n') pid = std::atol(text->c_str());
    if (pid == 0) (void)sys::sleep_for(10ms);
  }
  BOOST_REQUIRE(pid > 0);
  auto r = c.wait(sys::deadline::after(200ms));
  BOOST_TEST(r.error() == errc::timed_out);
  BOOST_TEST(c.running());
  auto killed = c.kill().value();
  if (VITTE_OS_POSIX) BOOST_TEST(killed.signal() == 9);
  bool gone = false;
  for (int i = 0; i < 500 && !gone; ++i) {
    gone = process_gone(pid);
    if (!gone) (void)sys::sleep_for(10ms);
  }
  BOOST_TEST(gone);

  // run() with a deadline does the same in one call.
  auto timed = sys::command(helper()).args({"sleep", "100000"}).run(sys::deadline::after(100ms));
  BOOST_TEST(timed.error() == errc::timed_out);
}

BOOST_AUTO_TEST_CASE(wait_try_wait_and_terminate) {
  auto c = sys::command(helper()).args({"sleep", "100000"}).spawn().value();
  auto none = c.try_wait().value();
  BOOST_TEST(!none.has_value());
  auto st = c.terminate(2s).value();
  if (VITTE_OS_POSIX) BOOST_TEST(st.signal() == 15);
  BOOST_TEST(!c.running());
  BOOST_TEST(c.wait().value() == st);  // kept

  auto quick = sys::command(helper()).args({"exit", "7"}).spawn().value();
  sys::maybe_exit_status done;
  for (int i = 0; i < 1000 && !done; ++i) {
    done = quick.try_wait().value();
    if (!done) (void)sys::sleep_for(5ms);
  }
  BOOST_REQUIRE(done.has_value());
  BOOST_TEST(done->code() == 7);
}

BOOST_AUTO_TEST_CASE(hundred_mebibytes_on_both_streams_without_deadlock) {
  const std::size_t size = 100u << 20;
  auto out = sys::command(helper()).args({"flood", std::to_string(size)}).output().value();
  BOOST_TEST(out.status.success());
  BOOST_TEST(out.out.size() == size);
  BOOST_TEST(out.err.size() == size);
  BOOST_TEST(out.out.starts_with("abcdefghijklmnopqrstuvwxyz"));

  // With a limit the rest is read and dropped: the child still finishes.
  auto capped =
      sys::command(helper()).args({"flood", std::to_string(8u << 20)}).output(sys::deadline::never(), 4096).value();
  BOOST_TEST(capped.status.success());
  BOOST_TEST(capped.out.size() == 4096u);
  BOOST_TEST(capped.err.size() == 4096u);
  BOOST_TEST(capped.out_truncated);
  BOOST_TEST(capped.err_truncated);
}

BOOST_AUTO_TEST_CASE(pipes_files_null_and_merge) {
  fs_test::fixture dir;
  auto c = sys::command(helper()).arg("cat").in(stdio::pipe()).out(stdio::pipe()).spawn().value();
  c.stdin_pipe().write("through a pipe").value();
  (void)c.stdin_pipe().close();
  BOOST_TEST(read_all(c.stdout_pipe()) == "through a pipe");
  BOOST_TEST(c.wait().value().success());

  std::string file = dir.path("out.txt");
  sys::command(helper()).args({"args", "to a file"}).out(stdio::file(file)).run().value();
  sys::command(helper()).args({"args", "appended"}).out(stdio::file(file, true)).run().value();
  BOOST_TEST(sys::read_file_string(file).value() == "9:to a file\n8:appended\n");

  auto merged = sys::command(helper()).args({"flood", "10"}).err(stdio::merge()).output().value();
  BOOST_TEST(merged.out.size() == 20u);
  BOOST_TEST(merged.err.empty());

  auto nulled = sys::command(helper()).arg("cat").in(stdio::null()).output().value();
  BOOST_TEST(nulled.out.empty());
  BOOST_TEST(nulled.status.success());
}

BOOST_AUTO_TEST_CASE(dry_run_prints_the_exact_command) {
  std::string h = helper();
  auto line = sys::command(h)
                  .args({"args", "two words", "it's", ""})
                  .cwd("/tmp/build dir")
                  .env("LANG", "C")
                  .env_remove("TERM")
                  .in(stdio::null())
                  .err(stdio::merge())
                  .dry_run()
                  .value();
  if (VITTE_OS_WINDOWS) {
    BOOST_TEST(line == "cd /d \"/tmp/build dir\" && set \"LANG=C\" && set \"TERM=\" && " +
                           (h.find(' ') != std::string::npos ? "\"" + h + "\"" : h) +
                           " args \"two words\" it's \"\" <NUL 2>&1");
  } else {
    std::string quoted;
    sys::detail::append_shell_argument(quoted, h);
    BOOST_TEST(line == "cd '/tmp/build dir' && env -u TERM LANG=C " + quoted +
                           " args 'two words' 'it'\\''s' '' </dev/null 2>&1");
  }
  // Nothing ran, and an unknown program fails the dry run as it would the run.
  BOOST_TEST(sys::command("vitte-no-such-program-7f3a").dry_run().error() == errc::not_found);
  BOOST_TEST(sys::command("x").arg(std::string("a\0b", 3)).dry_run().error() == errc::invalid_argument);
}

#if VITTE_OS_POSIX
BOOST_AUTO_TEST_CASE(path_lookup_never_searches_the_current_directory_implicitly) {
  fs_test::fixture dir;
  std::string prog = dir.path("vitte-probe");
  sys::write_file(prog, "#!/bin/sh\nexit 0\n").value();
  sys::set_permissions(prog, 0755).value();
  std::string here = sys::current_directory().value();
  sys::set_current_directory(dir.dir.path()).value();
  auto implicit = sys::find_program("vitte-probe", ":/nonexistent::");
  auto explicit_dot = sys::find_program("vitte-probe", "/nonexistent:.");
  auto relative = sys::find_program("./vitte-probe", "");
  sys::set_current_directory(here).value();
  BOOST_TEST(implicit.error() == errc::not_found);
  BOOST_TEST(sys::canonical(explicit_dot.value()).value() == sys::canonical(prog).value());
  BOOST_TEST(relative.value().front() == '/');
  BOOST_TEST(sys::find_program("sh").value().front() == '/');
  // The child's PATH, when the command sets one, is the one searched.
  BOOST_TEST(sys::command("vitte-probe").env("PATH", dir.dir.path()).resolve().value() == prog);
  BOOST_TEST(sys::command("sh").env("PATH", dir.dir.path()).resolve().error() == errc::not_found);
}

// A parent with 0, 1 and 2 closed: a pipe takes those numbers, and a
// handle given as stdout that already is descriptor 1 must reach the child
// (it is not dup2'ed, so its close-on-exec flag has to be cleared), with
// posix_spawn and with fork/exec (a working directory on an old C library).
BOOST_AUTO_TEST_CASE(a_handle_already_at_its_number_reaches_the_child) {
  for (bool with_cwd : {false, true}) {
    std::fflush(nullptr);
    pid_t pid = ::fork();
    if (pid == 0) {
      ::close(0);
      ::close(1);
      ::close(2);
      int fds[2];
      if (::pipe(fds) != 0 || fds[0] != 0 || fds[1] != 1) ::_exit(10);
      ::fcntl(1, F_SETFD, FD_CLOEXEC);
      auto cmd = sys::command("/bin/sh");
      cmd.arg("-c").arg("echo reached").out(sys::stdio::handle(1)).in(sys::stdio::null()).err(sys::stdio::null());
      if (with_cwd) cmd.cwd("/");
      auto st = cmd.run();
      if (!st || !st->success()) ::_exit(11);
      ::close(1);
      char buf[64] = {};
      ssize_t n = ::read(0, buf, sizeof buf - 1);
      ::_exit(n > 0 && std::strcmp(buf, "reached\n") == 0 ? 0 : 12);
    }
    int st = 0;
    BOOST_REQUIRE(::waitpid(pid, &st, 0) == pid);
    BOOST_TEST((WIFEXITED(st) && WEXITSTATUS(st) == 0), (with_cwd ? "with" : "without")
                                                            << " a working directory: exit " << WEXITSTATUS(st));
  }
}
#endif

BOOST_AUTO_TEST_CASE(faults_are_reported_and_leak_nothing) {
  using P = sys::fault_platform<sys::platform>;
  sys::fault_plan::clear();
  long before = fs_test::open_descriptors();
  sys::fault_plan::fail(vitte::sys::ops::pipe_create, errc::too_many_open_files, 1, 1);  // the second pipe
  auto r = sys::basic_command<P>(helper()).args({"exit", "0"}).output();
  BOOST_TEST(r.error() == errc::too_many_open_files);
  sys::fault_plan::fail(vitte::sys::ops::process_spawn, errc::limit_exceeded);
  auto s = sys::basic_command<P>(helper()).args({"exit", "0"}).out(stdio::pipe()).spawn();
  BOOST_TEST(s.error() == errc::limit_exceeded);
  BOOST_TEST(fs_test::open_descriptors() == before);
  sys::fault_plan::fail(vitte::sys::ops::process_wait, errc::interrupted, 3);
  BOOST_TEST(sys::basic_command<P>(helper()).args({"exit", "4"}).run().value().code() == 4);
  BOOST_TEST(sys::fault_plan::pending(vitte::sys::ops::process_wait) == 0u);
  sys::fault_plan::clear();
}

BOOST_AUTO_TEST_CASE(environment_variables) {
  BOOST_TEST(sys::set_env("VITTE_TEST_VAR", "caf\xc3\xa9").has_value());
  BOOST_TEST(sys::get_env("VITTE_TEST_VAR").value() == "caf\xc3\xa9");
  std::string big(1000, 'x');
  sys::set_env("VITTE_TEST_VAR", big).value();
  BOOST_TEST(sys::get_env("VITTE_TEST_VAR").value() == big);
  bool listed = false;
  for (const vitte::text& e : sys::environment_entries()) listed = listed || e == "VITTE_TEST_VAR=" + big;
  BOOST_TEST(listed);
  sys::unset_env("VITTE_TEST_VAR").value();
  BOOST_TEST(sys::get_env("VITTE_TEST_VAR").error() == errc::not_found);
  BOOST_TEST(sys::unset_env("VITTE_TEST_VAR").has_value());
  BOOST_TEST(sys::set_env("", "x").error() == errc::invalid_argument);
  BOOST_TEST(sys::set_env("A=B", "x").error() == errc::invalid_argument);
}

BOOST_AUTO_TEST_CASE(host_information) {
  // The path names this program: the file Meson ran (argv[0]), ".exe" or not.
  std::string exe = sys::executable_path().value();
  auto& suite = boost::unit_test::framework::master_test_suite();
  BOOST_REQUIRE(suite.argc > 0);
  auto stem = [](std::string_view name) { return name.ends_with(".exe") ? name.substr(0, name.size() - 4) : name; };
  BOOST_TEST(stem(sys::file_name(exe)) == stem(sys::file_name(suite.argv[0])));
  BOOST_TEST(sys::file_name(exe).substr(0, 5) == "test_");
  BOOST_TEST(!sys::host_name().value().empty());
  BOOST_TEST(sys::physical_memory() > (16u << 20));
  BOOST_TEST(sys::cpu_count() >= 1u);
  if (VITTE_OS_LINUX) BOOST_TEST(sys::os_name().view() == "Linux");
  if (VITTE_OS_WINDOWS) BOOST_TEST(sys::os_name().view() == "Windows");
  BOOST_TEST(!sys::os_version().view().empty());
  BOOST_TEST_MESSAGE(sys::os_name().view() << " " << sys::os_version().view() << " on " << sys::host_name().value());
}

BOOST_AUTO_TEST_SUITE_END()
