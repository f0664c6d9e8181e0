// vitte/sys/sandbox.hpp: for each protection a child (tests/sys/sandbox_child.cpp)
// that tries to escape and is stopped, and the same child succeeding
// without the sandbox; the report compared with what the kernel says; an
// older kernel simulated through the kernel seam (sandbox_kernel).
#include <vitte/sys/info.hpp>
#include <vitte/sys/path.hpp>
#include <vitte/sys/sandbox.hpp>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#if VITTE_OS_LINUX
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>  // setgroups
#include <netinet/in.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <termios.h>
#include <unistd.h>
#endif

namespace sys = vitte::sys;
using sys::layer_state;
using sys::sandbox_layer;

namespace {

std::string child_path() {
  std::string self = sys::executable_path().value();
  return sys::path_join(std::string(sys::parent_path(self)), VITTE_OS_WINDOWS ? "sandbox_child.exe" : "sandbox_child");
}

std::string scratch() {
  static std::string dir = [] {
    std::string d = sys::path_join(std::string(sys::parent_path(sys::executable_path().value())), "sandbox_scratch");
#if VITTE_OS_POSIX
    (void)::mkdir(d.c_str(), 0755);
#endif
    return d;
  }();
  return dir;
}

// The sandbox every case starts from: the system's runtime, /proc (the
// sanitizers' runtimes read it), a scratch directory to write in.
template <class K = sys::sandbox_kernel>
sys::basic_sandbox<sys::platform, K> base_box() {
  sys::basic_sandbox<sys::platform, K> box;
  box.system_runtime().allow_read("/proc").allow_write(scratch());
  return box;
}

template <class Command>
Command attempt(std::initializer_list<const char*> args) {
  Command c(child_path());
  for (const char* a : args) c.arg(a);
  c.env("ASAN_OPTIONS", "detect_leaks=0");  // LeakSanitizer ptraces its threads: refused by the filter
  return c;
}

// The child's verdict under `box`.
template <class Box>
sys::sandbox_output confined(const Box& box, std::initializer_list<const char*> args) {
  auto r = box.output(attempt<typename Box::command_type>(args), sys::deadline::after(std::chrono::seconds(60)));
  BOOST_REQUIRE_MESSAGE(r, "spawn: " << r.error().message().c_str());
  return std::move(*r);
}

sys::process_output free_run(std::initializer_list<const char*> args) {
  auto r = attempt<sys::command>(args).output(sys::deadline::after(std::chrono::seconds(60)));
  BOOST_REQUIRE(r);
  return std::move(*r);
}

// The first line, without the \r of a Windows child.
std::string first_line(const vitte::text& s) {
  std::string v(s.c_str());
  v = v.substr(0, v.find('\n'));
  if (!v.empty() && v.back() == '\r') v.pop_back();
  return v;
}

// Stopped: "denied ERRNO" from the child (exit 1), or killed by a signal.
[[maybe_unused]] void expect_stopped(const sys::sandbox_output& r, const char* errno_name) {
  if (errno_name == nullptr) {
    BOOST_TEST(r.output.status.signal() != 0);
    return;
  }
  BOOST_TEST(first_line(r.output.out) == std::string("denied ") + errno_name);
  BOOST_TEST(r.output.status.code() == 1);
}

[[maybe_unused]] void expect_free(std::initializer_list<const char*> args) {
  sys::process_output o = free_run(args);
  BOOST_TEST(first_line(o.out) == "ok");
  BOOST_TEST(o.status.success());
}

}  // namespace

BOOST_AUTO_TEST_CASE(limit_syntax) {
  sys::sandbox_limits l;
  BOOST_TEST(sys::parse_sandbox_limits("cpu=5,mem=64MiB,as=1G,files=32,procs=4,fsize=1k,wall=9", l).has_value());
  BOOST_TEST(l.cpu_seconds == 5u);
  BOOST_TEST(l.memory == 64u << 20);
  BOOST_TEST(l.address_space == 1u << 30);
  BOOST_TEST(l.wall_seconds == 9u);
  BOOST_TEST(l.open_files == 32u);
  BOOST_TEST(l.processes == 4u);
  BOOST_TEST(l.file_size == 1024u);
  for (const char* bad : {"", "cpu", "cpu=", "cpu=0", "cpu=1,cpu=2", "mem=1X", "cpu=1s", "disk=3", "cpu=1,", ",",
                          "mem=99999999999999999999", "mem=17179869184G", "as=0", "wall=1k"})
    BOOST_TEST(!sys::parse_sandbox_limits(bad, l).has_value(), bad);
  // A refusal says what and where.
  struct {
    const char* spec;
    std::uint64_t offset;
    const char* line;
  } const said[] = {
      {"cpu=5,disk=3", 6, "at offset 0x6: unknown limit (cpu, mem, as, files, procs, fsize, wall): 'disk'"},
      {"cpu=5,mem=1X", 10,
       "at offset 0xa: not a byte count from 1 (B, k, K, M, G, T, KiB, MiB, GiB, TiB; below 2^64): '1X'"},
      {"procs=2,procs=3", 8, "at offset 0x8: limit given twice: 'procs'"},
      {"cpu=1,", 6, "at offset 0x6: empty item"},
      {"files", 0, "at offset 0x0: expected NAME=VALUE, not 'files'"},
  };
  for (const auto& c : said) {
    vitte::diagnostic why;
    sys::sandbox_limits untouched{.cpu_seconds = 77};
    BOOST_TEST(!sys::parse_sandbox_limits(c.spec, untouched, &why).has_value());
    BOOST_TEST(untouched.cpu_seconds == 77u);
    BOOST_TEST(why.offset() == c.offset, c.spec);
    BOOST_TEST(std::string(why.format().c_str()) == c.line);
  }
  sys::sandbox_network n;
  BOOST_TEST(sys::parse_sandbox_network("loopback", n).has_value());
  BOOST_TEST((n == sys::sandbox_network::loopback));
  vitte::diagnostic why;
  BOOST_TEST(!sys::parse_sandbox_network("lan", n, &why).has_value());
  BOOST_TEST(std::string(why.format().c_str()) == "at offset 0x0: expected none, loopback or any, not 'lan'");
}

BOOST_AUTO_TEST_CASE(unconfined_command_refused) {
  // A command of the sandboxed policy spawned outside a sandbox never runs unconfined.
  auto r = sys::sandbox_command(child_path()).arg("pid").spawn();
  BOOST_REQUIRE(!r);
  BOOST_TEST((r.error() == vitte::errc::permission_denied));
}

#if VITTE_OS_LINUX

namespace {

int kernel_landlock_abi() { return static_cast<int>(::syscall(444, nullptr, 0, 1u)); }

// A TCP listener on 127.0.0.1 (a free port), closed at scope end.
struct listener {
  int fd = -1;
  int port = 0;
  listener() {
    fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    BOOST_REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    BOOST_REQUIRE(::listen(fd, 8) == 0);
    socklen_t n = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n);
    port = ntohs(a.sin_port);
  }
  ~listener() { ::close(fd); }
};

// A unix socket listening at `path` (or an abstract name), closed at scope end.
struct unix_listener {
  int fd = -1;
  std::string path;
  unix_listener(std::string p, bool abstract) : path(std::move(p)) {
    fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::size_t off = abstract ? 1 : 0;
    if (!abstract) ::unlink(path.c_str());
    path.copy(a.sun_path + off, sizeof a.sun_path - 1 - off);
    socklen_t n = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + off + path.size() + (abstract ? 0 : 1));
    BOOST_REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), n) == 0);
    BOOST_REQUIRE(::listen(fd, 8) == 0);
  }
  ~unix_listener() {
    ::close(fd);
    if (path[0] == '/') ::unlink(path.c_str());
  }
};

}  // namespace

namespace {

struct landlock_v1 : sys::sandbox_kernel {
  static int landlock_abi() noexcept { return 1; }
};
struct no_landlock : sys::sandbox_kernel {
  static int landlock_abi() noexcept { return -ENOSYS; }
};
struct no_user_namespaces : sys::sandbox_kernel {
  static int unshare(int) noexcept { return EPERM; }
};
struct no_seccomp : sys::sandbox_kernel {
  static int seccomp_install(const void*) noexcept { return EINVAL; }
};
struct landlock_v3 : sys::sandbox_kernel {
  static int landlock_abi() noexcept { return 3; }
};

}  // namespace

BOOST_AUTO_TEST_CASE(report_is_exact_on_this_kernel) {
  auto r = confined(base_box(), {"pid"});
  BOOST_TEST(r.output.status.success());
  const sys::sandbox_report& rep = r.report;
  int abi = kernel_landlock_abi();
  BOOST_TEST(rep.landlock_abi == (abi > 0 ? abi : 0));
  BOOST_TEST((rep[sandbox_layer::landlock_fs].state == (abi >= 1 ? layer_state::applied : layer_state::refused)));
  BOOST_TEST((rep[sandbox_layer::landlock_net].state == (abi >= 4 ? layer_state::applied : layer_state::refused)));
  BOOST_TEST((rep[sandbox_layer::landlock_scope].state == (abi >= 6 ? layer_state::applied : layer_state::refused)));
  BOOST_TEST((rep[sandbox_layer::no_new_privs].state == layer_state::applied));
  BOOST_TEST((rep[sandbox_layer::job_object].state == layer_state::off));
  // User namespaces: the report says what unshare said; when applied the
  // program is pid 2 of its namespace, under the sandbox's init.
  if (rep[sandbox_layer::user_namespace].state == layer_state::applied) {
    BOOST_TEST(first_line(r.output.out) == "2");
    BOOST_TEST((rep[sandbox_layer::pid_namespace].state == layer_state::applied));
    BOOST_TEST((rep[sandbox_layer::net_namespace].state == layer_state::applied));
  } else {
    BOOST_TEST_MESSAGE("user namespaces refused here: " << rep[sandbox_layer::user_namespace].reason);
  }
  BOOST_TEST_MESSAGE(rep.to_json().c_str());
}

BOOST_AUTO_TEST_CASE(reading_outside_is_stopped) {
  std::string outside = sys::path_join(std::string(sys::parent_path(scratch())), "sandbox_secret");
  std::FILE* f = std::fopen(outside.c_str(), "w");
  BOOST_REQUIRE(f);
  std::fputs("secret", f);
  std::fclose(f);
  expect_free({"read", outside.c_str()});
  auto box = base_box();
  expect_stopped(confined(box, {"read", outside.c_str()}), "EACCES");
  // The escapes a hostile child tries: a symlink, /proc/self/root, "..".
  std::string link = sys::path_join(scratch(), "link");
  ::unlink(link.c_str());
  BOOST_REQUIRE(::symlink(outside.c_str(), link.c_str()) == 0);
  expect_stopped(confined(box, {"read", link.c_str()}), "EACCES");
  std::string via_proc = "/proc/self/root" + outside;
  expect_stopped(confined(box, {"read", via_proc.c_str()}), "EACCES");
  std::string dotdot = scratch() + "/../sandbox_secret";
  expect_stopped(confined(box, {"read", dotdot.c_str()}), "EACCES");
  // Inside the allowed set it works.
  std::string inside = sys::path_join(scratch(), "mine");
  BOOST_TEST(first_line(confined(box, {"write", inside.c_str()}).output.out) == "ok");
  BOOST_TEST(first_line(confined(box, {"read", inside.c_str()}).output.out) == "ok");
}

BOOST_AUTO_TEST_CASE(writing_read_only_is_stopped) {
  std::string dir = sys::path_join(scratch(), "ro");
  (void)::mkdir(dir.c_str(), 0755);
  std::string file = sys::path_join(dir, "f");
  expect_free({"write", file.c_str()});
  sys::sandbox box;
  box.system_runtime().allow_read("/proc").allow_read(dir);
  // The tree is remounted read-only (EROFS) in the sandbox's mount
  // namespace; without namespaces Landlock refuses the write (EACCES).
  auto r = confined(box, {"write", file.c_str()});
  const bool remounted = r.report[sandbox_layer::mount_namespace].state == layer_state::applied;
  expect_stopped(r, remounted ? "EROFS" : "EACCES");
  BOOST_TEST(first_line(confined(box, {"read", file.c_str()}).output.out) == "ok");
  box.namespaces(false);
  expect_stopped(confined(box, {"write", file.c_str()}), "EACCES");
}

BOOST_AUTO_TEST_CASE(network_off_stops_loopback) {
  listener l;
  std::string port = std::to_string(l.port);
  expect_free({"connect", port.c_str()});
  auto none = confined(base_box(), {"connect", port.c_str()});
  BOOST_TEST(first_line(none.output.out).rfind("denied ", 0) == 0u);
  // Without namespaces nor a filter, Landlock's TCP rules alone refuse it.
  auto no_ns = base_box<no_seccomp>();
  no_ns.namespaces(false);
  auto r = confined(no_ns, {"connect", port.c_str()});
  if (r.report[sandbox_layer::landlock_net].state == layer_state::applied) expect_stopped(r, "EACCES");
  // network any: the host's loopback.
  auto any = base_box();
  any.network(sys::sandbox_network::any);
  BOOST_TEST(first_line(confined(any, {"connect", port.c_str()}).output.out) == "ok");
}

BOOST_AUTO_TEST_CASE(unix_sockets_outside_are_stopped) {
  std::string path = sys::path_join(scratch(), "sock");
  unix_listener named(path, false);
  unix_listener abstract("vitte-sandbox-test-" + std::to_string(::getpid()), true);
  expect_free({"unix", path.c_str()});
  expect_free({"abstract", abstract.path.c_str()});
  expect_stopped(confined(base_box(), {"unix", path.c_str()}), "EAFNOSUPPORT");  // socket refused by the filter
  auto r = confined(base_box(), {"abstract", abstract.path.c_str()});
  BOOST_TEST(first_line(r.output.out).rfind("denied ", 0) == 0u);
}

// Network loopback and none: no unix socket (a path reaches the host's
// listeners, stream or datagram, outside any namespace), and no io_uring
// (its operations are not filtered), even under the unfiltered profile.
BOOST_AUTO_TEST_CASE(unix_sockets_by_path_are_stopped_under_loopback_and_none) {
  std::string path = sys::path_join(scratch(), "sock2");
  unix_listener named(path, false);
  std::string dpath = sys::path_join(scratch(), "dgram");
  ::unlink(dpath.c_str());
  int dg = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  dpath.copy(a.sun_path, sizeof a.sun_path - 1);
  BOOST_REQUIRE(::bind(dg, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  expect_free({"unix", path.c_str()});
  expect_free({"sendto", dpath.c_str()});
  char got[8];
  BOOST_TEST(::recv(dg, got, sizeof got, MSG_DONTWAIT) == 1);
  for (auto net : {sys::sandbox_network::none, sys::sandbox_network::loopback}) {
    for (auto profile : {sys::syscall_profile::standard, sys::syscall_profile::unfiltered}) {
      auto box = base_box();
      box.network(net).syscalls(profile);
      auto probe = confined(box, {"pid"});
      if (probe.report[sandbox_layer::seccomp].state != layer_state::applied) {
        BOOST_TEST_MESSAGE("skipped: seccomp refused here: " << probe.report[sandbox_layer::seccomp].reason);
        continue;
      }
      expect_stopped(confined(box, {"unix", path.c_str()}), "EAFNOSUPPORT");
      expect_stopped(confined(box, {"sendto", dpath.c_str()}), "EAFNOSUPPORT");
      expect_stopped(confined(box, {"syscall", "io_uring"}), "EPERM");
    }
  }
  BOOST_TEST(::recv(dg, got, sizeof got, MSG_DONTWAIT) == -1);  // nothing arrived
  ::close(dg);
  ::unlink(dpath.c_str());
}

// File metadata outside the allowed paths (Landlock does not cover it):
// chmod, set-user-id, times, file capabilities are refused; fchmod of a
// file the program may open still works, without set-user-id bits.
BOOST_AUTO_TEST_CASE(metadata_outside_is_stopped) {
  std::string outside = sys::path_join(std::string(sys::parent_path(scratch())), "sandbox_meta");
  std::FILE* f = std::fopen(outside.c_str(), "w");
  BOOST_REQUIRE(f);
  std::fclose(f);
  BOOST_REQUIRE(::chmod(outside.c_str(), 0644) == 0);
  struct stat before{};
  BOOST_REQUIRE(::stat(outside.c_str(), &before) == 0);
  expect_free({"chmod", outside.c_str(), "0644"});
  std::string inside = sys::path_join(scratch(), "meta");
  expect_free({"write", inside.c_str()});
  for (auto profile : {sys::syscall_profile::standard, sys::syscall_profile::compiler}) {
    auto box = base_box();
    box.syscalls(profile);
    auto probe = confined(box, {"pid"});
    if (probe.report[sandbox_layer::seccomp].state != layer_state::applied) {
      BOOST_TEST_MESSAGE("skipped: seccomp refused here: " << probe.report[sandbox_layer::seccomp].reason);
      return;
    }
    expect_stopped(confined(box, {"chmod", outside.c_str(), "0777"}), "EPERM");
    expect_stopped(confined(box, {"chmod", outside.c_str(), "04755"}), "EPERM");
    expect_stopped(confined(box, {"utimes", outside.c_str()}), "EPERM");
    expect_stopped(confined(box, {"setxattr", outside.c_str()}), "EPERM");
    BOOST_TEST(first_line(confined(box, {"fchmod", inside.c_str(), "0755"}).output.out) == "ok");
    expect_stopped(confined(box, {"fchmod", inside.c_str(), "04755"}), "EPERM");
  }
  struct stat after{};
  BOOST_REQUIRE(::stat(outside.c_str(), &after) == 0);
  BOOST_TEST((after.st_mode & 07777) == 0644u);
  BOOST_TEST(after.st_mtime == before.st_mtime);
  char value[64];
  BOOST_TEST(::getxattr(outside.c_str(), "security.capability", value, sizeof value) < 0);
  ::unlink(outside.c_str());
}

// TIOCSTI through a terminal the program inherited: it runs in a session
// of its own (no controlling terminal) and the filter refuses the request;
// nothing reaches the terminal's input.
BOOST_AUTO_TEST_CASE(typing_into_the_terminal_is_stopped) {
  int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0) {
    BOOST_TEST_MESSAGE("skipped: no pseudo-terminal here");
    if (master >= 0) ::close(master);
    return;
  }
  int term = ::open(::ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
  BOOST_REQUIRE(term >= 0);
  termios t{};
  BOOST_REQUIRE(::tcgetattr(term, &t) == 0);
  ::cfmakeraw(&t);
  BOOST_REQUIRE(::tcsetattr(term, TCSANOW, &t) == 0);
  for (bool ns : {true, false})
    for (auto profile : {sys::syscall_profile::standard, sys::syscall_profile::unfiltered}) {
      auto box = base_box();
      box.namespaces(ns).syscalls(profile);
      auto c = attempt<sys::sandbox::command_type>({"tiocsti"});
      c.in(sys::stdio::handle(term));
      auto r = box.output(std::move(c), sys::deadline::after(std::chrono::seconds(60)));
      BOOST_REQUIRE(r);
      if (r->report[sandbox_layer::seccomp].state != layer_state::applied) {
        BOOST_TEST_MESSAGE("skipped: seccomp refused here: " << r->report[sandbox_layer::seccomp].reason);
        break;
      }
      expect_stopped(*r, "EPERM");
      pollfd pf{term, POLLIN, 0};
      BOOST_TEST(::poll(&pf, 1, 200) == 0, "namespaces " << ns << ": input reached the terminal");
    }
  ::close(term);
  ::close(master);
}

BOOST_AUTO_TEST_CASE(forbidden_syscalls_are_stopped) {
  auto box = base_box();
  auto probe = confined(box, {"pid"});
  if (probe.report[sandbox_layer::seccomp].state != layer_state::applied) {
    BOOST_TEST_MESSAGE("skipped: seccomp refused here: " << probe.report[sandbox_layer::seccomp].reason);
    return;
  }
  expect_free({"syscall", "ptrace"});
  for (const char* call : {"ptrace", "unshare", "io_uring", "mount"})
    expect_stopped(confined(box, {"syscall", call}), "EPERM");
  auto killing = base_box();
  killing.syscalls(sys::syscall_profile::standard, sys::syscall_action::kill);
  auto k = confined(killing, {"syscall", "ptrace"});
  BOOST_TEST(k.output.status.signal() == SIGSYS);
  // The compiler profile: the calls it lists work, the others do not.
  auto cc = base_box();
  cc.syscalls(sys::syscall_profile::compiler);
  std::string f = sys::path_join(scratch(), "cc");
  BOOST_TEST(first_line(confined(cc, {"write", f.c_str()}).output.out) == "ok");
  expect_stopped(confined(cc, {"syscall", "ptrace"}), "EPERM");
}

BOOST_AUTO_TEST_CASE(exec_outside_the_allowed_set_is_stopped) {
  sys::sandbox box;
  box.allow_exec("/lib").allow_exec("/lib64").allow_exec("/usr/lib").allow_read("/etc").allow_read("/proc");
  expect_stopped(confined(box, {"exec", "/bin/true"}), "EACCES");
}

BOOST_AUTO_TEST_CASE(signals_outside_are_stopped) {
  std::string me = std::to_string(::getpid());
  expect_free({"signal", me.c_str()});
  auto box = base_box();
  box.namespaces(false);
  auto r = confined(box, {"signal", me.c_str()});
  if (r.report[sandbox_layer::landlock_scope].state == layer_state::applied) expect_stopped(r, "EPERM");
}

BOOST_AUTO_TEST_CASE(rlimits_stop_the_child) {
  auto box = [](sys::sandbox_limits l) { return base_box().limits(l); };
  // CPU time: SIGXCPU at the limit (the hard limit, a second later, would
  // send SIGKILL), as the caller sees it through the waiter.
  auto cpu = confined(box({.cpu_seconds = 1}), {"cpu"});
  BOOST_TEST(cpu.output.status.signal() == SIGXCPU);
  BOOST_TEST((cpu.report[sandbox_layer::rlimits].state == layer_state::applied));
  expect_free({"memory", "268435456"});
  expect_stopped(confined(box({.address_space = 64u << 20}), {"memory", "268435456"}), "ENOMEM");
  expect_free({"files", "64"});
  expect_stopped(confined(box({.open_files = 16}), {"files", "64"}), "EMFILE");
  std::string big = sys::path_join(scratch(), "big");
  expect_free({"fsize", big.c_str(), "100000"});
  expect_stopped(confined(box({.file_size = 4096}), {"fsize", big.c_str(), "100000"}), "EFBIG");
  // SIGXFSZ left at its default ends the program.
  BOOST_TEST(confined(box({.file_size = 4096}), {"fsize-signal", big.c_str(), "100000"}).output.status.signal() ==
             SIGXFSZ);
}

// The program is not pid 1 (which ignores what it sends itself without a
// handler): abort() ends in SIGABRT and kill(getpid(), SIGTERM) in SIGTERM,
// with or without namespaces, as the caller sees them.
BOOST_AUTO_TEST_CASE(signals_the_program_sends_itself_end_it) {
  for (bool ns : {true, false}) {
    auto box = base_box();
    box.namespaces(ns);
    auto a = confined(box, {"abort"});
    BOOST_TEST(a.output.status.signal() == SIGABRT, "namespaces " << ns);
    auto t = confined(box, {"term-self"});
    BOOST_TEST(t.output.status.signal() == SIGTERM, "namespaces " << ns);
    BOOST_TEST(first_line(t.output.out) == "");
  }
}

// SIGTERM sent to the child the caller knows (the waiter outside the pid
// namespace) reaches the program through the waiter and the init: the
// program's handler runs and its exit status comes back.
BOOST_AUTO_TEST_CASE(sigterm_reaches_the_program) {
  auto cmd = attempt<sys::sandbox::command_type>({"trap-term"});
  cmd.out(sys::stdio::pipe());
  auto r = base_box().spawn(cmd);
  BOOST_REQUIRE(r);
  char buf[64];
  std::string said;
  while (said.find('\n') == std::string::npos) {
    auto n = r->child.stdout_pipe().read_some(vitte::span<std::byte>(reinterpret_cast<std::byte*>(buf), sizeof buf));
    BOOST_REQUIRE(n);
    BOOST_REQUIRE(*n > 0);
    said.append(buf, *n);
  }
  BOOST_TEST(said == "ready\n");
  BOOST_REQUIRE(::kill(static_cast<pid_t>(r->child.id()), SIGTERM) == 0);  // the waiter alone, not the group
  for (std::size_t n; (n = r->child.stdout_pipe()
                               .read_some(vitte::span<std::byte>(reinterpret_cast<std::byte*>(buf), sizeof buf))
                               .value_or(0)) > 0;)
    said.append(buf, n);
  auto st = r->child.wait();
  BOOST_REQUIRE(st);
  BOOST_TEST(st->code() == 3);
  BOOST_TEST(said == "ready\ngot SIGTERM\n");
}

namespace {

// The processes whose parent is `parent` (from /proc/PID/stat).
std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> found;
  DIR* d = ::opendir("/proc");
  if (d == nullptr) return found;
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    std::FILE* f = std::fopen(("/proc/" + std::string(e->d_name) + "/stat").c_str(), "r");
    if (f == nullptr) continue;
    char line[512] = {};
    const std::size_t n = std::fread(line, 1, sizeof line - 1, f);
    std::fclose(f);
    const char* close = std::strrchr(line, ')');  // the name may hold spaces and parentheses
    int ppid = 0;
    char state = 0;
    if (n > 0 && close != nullptr && std::sscanf(close + 1, " %c %d", &state, &ppid) == 2 && ppid == parent)
      found.push_back(static_cast<pid_t>(std::atoi(e->d_name)));
  }
  ::closedir(d);
  return found;
}

// True when `pid` has ended (gone, or a zombie nobody reaped yet).
bool ended(pid_t pid) {
  std::FILE* f = std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r");
  if (f == nullptr) return true;
  char line[512] = {};
  const std::size_t n = std::fread(line, 1, sizeof line - 1, f);
  std::fclose(f);
  const char* close = std::strrchr(line, ')');
  return n == 0 || close == nullptr || close[1] == '\0' || close[2] == 'Z' || close[2] == 'X';
}

}  // namespace

// A caller killed with SIGKILL leaves no sandboxed child behind: a forked
// caller spawns a sandboxed sleep, says the child's pid, and is killed; the
// sleep (pid 2 of the namespace, or the child itself without one) ends.
BOOST_AUTO_TEST_CASE(a_killed_caller_leaves_nothing_behind) {
  if (::access("/bin/sleep", X_OK) != 0) {
    BOOST_TEST_MESSAGE("skipped: no /bin/sleep");
    return;
  }
  for (bool ns : {true, false}) {
    int pipefd[2];
    BOOST_REQUIRE(::pipe(pipefd) == 0);
    const pid_t caller = ::fork();
    BOOST_REQUIRE(caller >= 0);
    if (caller == 0) {
      ::close(pipefd[0]);
      auto box = base_box();
      box.namespaces(ns);
      auto r = box.spawn(sys::sandbox::command_type("/bin/sleep").arg("100"));
      const std::int64_t said[2] = {r ? r->child.id() : -1,
                                    r && r->report[sandbox_layer::pid_namespace].state == layer_state::applied ? 1 : 0};
      (void)!::write(pipefd[1], said, sizeof said);
      for (;;) ::pause();
    }
    ::close(pipefd[1]);
    std::int64_t said[2] = {-1, 0};
    BOOST_REQUIRE(::read(pipefd[0], said, sizeof said) == static_cast<ssize_t>(sizeof said));
    ::close(pipefd[0]);
    BOOST_REQUIRE(said[0] > 0);
    // The sleep: the child itself, or its grandchild (waiter, init, program).
    pid_t sleeper = static_cast<pid_t>(said[0]);
    for (int depth = 0; said[1] != 0 && depth < 2; ++depth) {
      std::vector<pid_t> below;
      for (int i = 0; i < 500 && below.empty(); ++i) {
        below = children_of(sleeper);
        if (below.empty()) ::usleep(10'000);
      }
      BOOST_REQUIRE_MESSAGE(below.size() == 1u, "one child of " << sleeper << ", not " << below.size());
      sleeper = below[0];
    }
    BOOST_TEST(!ended(sleeper));
    ::kill(caller, SIGKILL);
    int st = 0;
    ::waitpid(caller, &st, 0);
    bool gone = false;
    for (int i = 0; i < 500 && !gone; ++i) {
      gone = ended(sleeper);
      if (!gone) ::usleep(10'000);
    }
    BOOST_TEST(gone, "namespaces " << ns << ": the sleep (" << sleeper << ") outlived its caller");
    if (!gone) ::kill(sleeper, SIGKILL);
  }
}

namespace {

// The directory a pids cgroup of this process's children would go in, as
// the sandbox finds it (v1's pids hierarchy here), or "" when there is none
// this process may write.
std::string pids_cgroup_dir() {
  std::FILE* f = std::fopen("/proc/self/cgroup", "r");
  if (f == nullptr) return {};
  char line[512];
  std::string mine;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    std::string l(line);
    std::size_t a = l.find(':'), b = l.find(':', a + 1);
    std::string controllers = l.substr(a + 1, b - a - 1);
    if (("," + controllers + ",").find(",pids,") != std::string::npos) mine = l.substr(b + 1, l.size() - b - 2);
  }
  std::fclose(f);
  std::string dir = "/sys/fs/cgroup/pids" + (mine == "/" ? std::string() : mine);
  return !mine.empty() && ::access(dir.c_str(), W_OK) == 0 ? dir : std::string();
}

std::string slurp(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr) return {};
  char buf[256];
  std::size_t n = std::fread(buf, 1, sizeof buf, f);
  std::fclose(f);
  return std::string(buf, n);
}

}  // namespace

// Forking beyond the process limit: as root a pids cgroup stops it
// (RLIMIT_NPROC binds no process of real uid 0); the report says which.
BOOST_AUTO_TEST_CASE(forking_beyond_the_process_limit_is_stopped) {
  expect_free({"fork", "10"});
  auto box = base_box().limits({.processes = 3});
  auto procs = confined(box, {"fork", "10"});
  const sys::layer_outcome& how = procs.report[sandbox_layer::process_limit];
  const std::string dir = pids_cgroup_dir();
  if (!dir.empty()) {
    expect_stopped(procs, "EAGAIN");
    BOOST_TEST((how.state == layer_state::applied));
    BOOST_TEST(std::string(how.reason) == "a pids cgroup (v1)");
    BOOST_TEST(how.code == 1);
  } else if (::getuid() != 0) {
    expect_stopped(procs, "EAGAIN");
    BOOST_TEST(std::string(how.reason) == "RLIMIT_NPROC (no writable pids cgroup)");
  } else {
    BOOST_TEST((how.state == layer_state::refused));
    BOOST_TEST_MESSAGE("skipped: no writable pids cgroup, and RLIMIT_NPROC binds no process of real uid 0");
    return;
  }
  BOOST_TEST((procs.report[sandbox_layer::rlimits].state == layer_state::off));  // no other limit asked
  // Within the limit the same child runs: itself, two children, the pid
  // namespace's waiter and init fit in 3 + 2.
  BOOST_TEST(first_line(confined(box, {"fork", "2"}).output.out) == "ok");
  if (dir.empty()) return;
  // The cgroup holds the child while it runs and is gone once it is reaped.
  auto running = box.spawn(attempt<sys::sandbox::command_type>({"cpu"}));
  BOOST_REQUIRE(running);
  const std::string cg = dir + "/vitte-sandbox-" + std::to_string(running->child.id());
  // The waiter outside a pid namespace and the init inside are two of the processes.
  const bool waiter = running->report[sandbox_layer::pid_namespace].state == layer_state::applied;
  BOOST_TEST(slurp(cg + "/pids.max") == (waiter ? "5\n" : "3\n"));
  BOOST_TEST(slurp(cg + "/cgroup.procs").find(std::to_string(running->child.id()) + "\n") != std::string::npos);
  BOOST_REQUIRE(running->child.kill());
  BOOST_TEST(::access(cg.c_str(), F_OK) != 0);
}

// A pids cgroup a SIGKILLed caller left behind (empty, its pid gone) is
// removed at the next sandboxed spawn with a process limit; one whose pid
// runs stays.
BOOST_AUTO_TEST_CASE(stale_pids_cgroups_are_removed) {
  const std::string dir = pids_cgroup_dir();
  if (dir.empty()) {
    BOOST_TEST_MESSAGE("skipped: no writable pids cgroup");
    return;
  }
  const pid_t dead = ::fork();
  BOOST_REQUIRE(dead >= 0);
  if (dead == 0) ::_exit(0);
  int st = 0;
  BOOST_REQUIRE(::waitpid(dead, &st, 0) == dead);
  const std::string stale = dir + "/vitte-sandbox-" + std::to_string(dead);
  const std::string live = dir + "/vitte-sandbox-" + std::to_string(::getpid());
  BOOST_REQUIRE(::mkdir(stale.c_str(), 0755) == 0);
  BOOST_REQUIRE(::mkdir(live.c_str(), 0755) == 0);
  auto box = base_box().limits({.processes = 3});
  auto r = confined(box, {"pid"});
  BOOST_TEST(r.output.status.success());
  BOOST_TEST(::access(stale.c_str(), F_OK) != 0, stale << " is still there");
  BOOST_TEST(::access(live.c_str(), F_OK) == 0);
  ::rmdir(live.c_str());
  ::rmdir(stale.c_str());
}

// As a user other than root (nobody): RLIMIT_NPROC, or the pids cgroup
// where that user may write one. The check runs in a forked process that
// drops to uid 65534 and says how it went through its exit status.
BOOST_AUTO_TEST_CASE(forking_beyond_the_process_limit_is_stopped_as_another_user) {
  if (::getuid() != 0) {
    BOOST_TEST_MESSAGE("skipped: only root can become nobody (the case above covers this user)");
    return;
  }
  int pipefd[2];
  BOOST_REQUIRE(::pipe(pipefd) == 0);
  pid_t pid = ::fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(pipefd[0]);
    std::string said;
    if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0) {
      said = "could not become nobody";
    } else {
      sys::sandbox box;
      box.system_runtime().allow_read("/proc").limits({.processes = 3});
      auto r = box.output(attempt<sys::sandbox::command_type>({"fork", "10"}),
                          sys::deadline::after(std::chrono::seconds(60)));
      // RLIMIT_NPROC counts the user's threads too (a sanitizer's among
      // them) where no user namespace of its own holds the child.
      auto roomy = box;
      roomy.limits({.processes = 8});
      auto ok = roomy.output(attempt<sys::sandbox::command_type>({"fork", "2"}),
                             sys::deadline::after(std::chrono::seconds(60)));
      if (!r || !ok) {
        said = "spawn failed";
      } else {
        said = first_line(r->output.out) + "|" + r->report[sandbox_layer::process_limit].reason + "|" +
               first_line(ok->output.out);
      }
    }
    (void)!::write(pipefd[1], said.data(), said.size());
    ::_exit(0);
  }
  ::close(pipefd[1]);
  std::string said;
  char buf[256];
  for (ssize_t n; (n = ::read(pipefd[0], buf, sizeof buf)) > 0;) said.append(buf, static_cast<std::size_t>(n));
  ::close(pipefd[0]);
  int st = 0;
  ::waitpid(pid, &st, 0);
  BOOST_TEST(said == "denied EAGAIN|RLIMIT_NPROC (no writable pids cgroup)|ok");
}

BOOST_AUTO_TEST_CASE(environment_cleared) {
  ::setenv("VITTE_SANDBOX_SECRET", "1", 1);
  auto box = base_box();
  box.clear_environment({"PATH"});
  auto r = confined(box, {"pid"});
  BOOST_TEST((r.report[sandbox_layer::environment].state == layer_state::applied));
  BOOST_TEST(r.report[sandbox_layer::environment].code <= 1);
}

BOOST_AUTO_TEST_CASE(old_kernels_degrade_explicitly) {
  {
    auto r = confined(base_box<landlock_v1>(), {"pid"});
    BOOST_TEST(r.report.landlock_abi == 1);
    BOOST_TEST((r.report[sandbox_layer::landlock_fs].state == layer_state::applied));
    BOOST_TEST((r.report[sandbox_layer::landlock_net].state == layer_state::refused));
    BOOST_TEST(r.report[sandbox_layer::landlock_net].code == 1);
    BOOST_TEST((r.report[sandbox_layer::landlock_scope].state == layer_state::refused));
    BOOST_TEST(!r.report.complete());
    BOOST_TEST(r.output.status.success());
  }
  {
    auto r = confined(base_box<no_landlock>(), {"pid"});
    BOOST_TEST(r.report.landlock_abi == 0);
    BOOST_TEST((r.report[sandbox_layer::landlock_fs].state == layer_state::refused));
    BOOST_TEST(r.report[sandbox_layer::landlock_fs].code == ENOSYS);
    BOOST_TEST(std::string(r.report[sandbox_layer::landlock_fs].reason) == "the kernel has no Landlock");
  }
  {
    auto r = confined(base_box<no_user_namespaces>(), {"pid"});
    for (auto l : {sandbox_layer::user_namespace, sandbox_layer::pid_namespace, sandbox_layer::net_namespace}) {
      BOOST_TEST((r.report[l].state == layer_state::refused));
      BOOST_TEST(r.report[l].code == EPERM);
    }
    BOOST_TEST(r.output.status.success());  // a warning: it ran
    BOOST_TEST(first_line(r.output.out) != "1");
  }
  {
    auto strict = base_box<no_user_namespaces>();
    strict.on_missing(sys::sandbox_missing::fail);
    auto r = strict.output(attempt<decltype(strict)::command_type>({"pid"}));
    BOOST_REQUIRE(!r);
    BOOST_TEST((r.error() == vitte::errc::permission_denied));
    BOOST_TEST((r.error().op() == sys::ops::process_spawn));
    BOOST_TEST((strict.last_report()[sandbox_layer::user_namespace].state == layer_state::refused));
  }
  {
    auto r = confined(base_box<no_seccomp>(), {"syscall", "ptrace"});
    BOOST_TEST((r.report[sandbox_layer::seccomp].state == layer_state::refused));
    BOOST_TEST(r.report[sandbox_layer::seccomp].code == EINVAL);
  }
}

namespace {

// A read-only tree: a directory beside the scratch directory holding one
// file, both owned by `owner`; the sandbox gets to read it only. The
// snapshot is taken by snapshot(), after the unconfined runs.
struct read_only_tree {
  std::string dir, file;
  struct stat file_before{}, dir_before{};
  explicit read_only_tree(uid_t owner = 0) {
    dir = sys::path_join(std::string(sys::parent_path(scratch())), "sandbox_ro");
    (void)::mkdir(dir.c_str(), 0755);
    file = sys::path_join(dir, "conf");
    std::FILE* f = std::fopen(file.c_str(), "w");
    BOOST_REQUIRE(f);
    std::fclose(f);
    BOOST_REQUIRE(::chmod(file.c_str(), 0644) == 0);
    BOOST_REQUIRE(::chmod(dir.c_str(), 0755) == 0);
    if (::getuid() == 0) {
      BOOST_REQUIRE(::chown(file.c_str(), owner, owner) == 0);
      BOOST_REQUIRE(::chown(dir.c_str(), owner, owner) == 0);
    }
  }
  void snapshot() {
    BOOST_REQUIRE(::stat(file.c_str(), &file_before) == 0);
    BOOST_REQUIRE(::stat(dir.c_str(), &dir_before) == 0);
  }
  void expect_unchanged() const {
    struct stat f{}, d{};
    BOOST_REQUIRE(::stat(file.c_str(), &f) == 0);
    BOOST_REQUIRE(::stat(dir.c_str(), &d) == 0);
    BOOST_TEST((f.st_mode & 07777) == (file_before.st_mode & 07777));
    BOOST_TEST(f.st_mtime == file_before.st_mtime);
    BOOST_TEST((d.st_mode & 07777) == (dir_before.st_mode & 07777));
    BOOST_TEST(d.st_mtime == dir_before.st_mtime);
  }
  ~read_only_tree() {
    ::unlink(file.c_str());
    ::rmdir(dir.c_str());
  }
};

bool denied(const sys::sandbox_output& r) {
  return first_line(r.output.out).rfind("denied ", 0) == 0 && r.output.status.code() == 1;
}

// Runs `what` in a forked process that became nobody (uid and gid 65534);
// what it returns comes back, or "could not become nobody".
template <class F>
std::string as_nobody(F what) {
  int pipefd[2];
  BOOST_REQUIRE(::pipe(pipefd) == 0);
  pid_t pid = ::fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(pipefd[0]);
    std::string said = "could not become nobody";
    // Dumpable again, as after an exec (a setuid makes a process not
    // dumpable, and its /proc/self/uid_map root's).
    if (::setgroups(0, nullptr) == 0 && ::setgid(65534) == 0 && ::setuid(65534) == 0 &&
        ::prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) == 0)
      said = what();
    (void)!::write(pipefd[1], said.data(), said.size());
    ::_exit(0);
  }
  ::close(pipefd[1]);
  std::string said;
  char buf[256];
  for (ssize_t n; (n = ::read(pipefd[0], buf, sizeof buf)) > 0;) said.append(buf, static_cast<std::size_t>(n));
  ::close(pipefd[0]);
  int st = 0;
  ::waitpid(pid, &st, 0);
  return said;
}

}  // namespace

// Read-only means read-only, for root too: a file or a directory of a read
// tree opened for reading cannot be chmod'ed, have its times set or be made
// immutable, under every profile, unfiltered included. With namespaces the
// tree is remounted read-only (EROFS); without, the filter refuses the
// calls (EPERM). Each works unconfined; the host's modes and times are the
// oracle.
BOOST_AUTO_TEST_CASE(read_only_trees_hold_through_descriptors) {
  read_only_tree t;
  expect_free({"fchmod", t.file.c_str(), "0644"});
  expect_free({"futimens", t.file.c_str()});
  const bool chattr = first_line(free_run({"chattr", t.file.c_str()}).out) == "ok";  // not every file system
  t.snapshot();
  for (bool ns : {true, false})
    for (auto profile : {sys::syscall_profile::standard, sys::syscall_profile::unfiltered}) {
      auto box = base_box();
      box.allow_read(t.dir).namespaces(ns).syscalls(profile);
      auto probe = confined(box, {"pid"});
      const sys::layer_outcome& ro = probe.report[sandbox_layer::readonly_mounts];
      BOOST_TEST((ro.state == layer_state::applied), "namespaces " << ns << ": " << ro.reason);
      BOOST_TEST(denied(confined(box, {"fchmod", t.file.c_str(), "0666"})), "namespaces " << ns);
      BOOST_TEST(denied(confined(box, {"fchmod", t.dir.c_str(), "0777"})), "namespaces " << ns);
      BOOST_TEST(denied(confined(box, {"futimens", t.file.c_str()})), "namespaces " << ns);
      BOOST_TEST(denied(confined(box, {"futimens", t.dir.c_str()})), "namespaces " << ns);
      if (chattr) BOOST_TEST(denied(confined(box, {"chattr", t.file.c_str()})), "namespaces " << ns);
      if (ns && ro.state == layer_state::applied)
        BOOST_TEST(first_line(confined(box, {"fchmod", t.file.c_str(), "0666"}).output.out) == "denied EROFS");
    }
  t.expect_unchanged();
  // The write trees stay writable beneath (and metadata of their files works).
  std::string inside = sys::path_join(scratch(), "meta-rw");
  auto box = base_box();
  box.allow_read(std::string(sys::parent_path(scratch())));
  BOOST_TEST(first_line(confined(box, {"write", inside.c_str()}).output.out) == "ok");
  BOOST_TEST(first_line(confined(box, {"fchmod", inside.c_str(), "0600"}).output.out) == "ok");
  BOOST_TEST(denied(confined(box, {"write", t.file.c_str()})));
  ::unlink(inside.c_str());
}

// Network none and loopback: no datagram socket pair, whose sendto with an
// address (or a connect) would reach any host datagram socket by path and
// carry descriptors there; under every profile. The host socket is the
// oracle: nothing arrives.
BOOST_AUTO_TEST_CASE(datagram_pairs_reach_no_host_socket) {
  std::string path = sys::path_join(std::string(sys::parent_path(scratch())), "sandbox_dgram.sock");
  ::unlink(path.c_str());
  int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  path.copy(a.sun_path, sizeof a.sun_path - 1);
  BOOST_REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  ::chmod(path.c_str(), 0777);
  char got[8];
  expect_free({"dgram-pair", path.c_str()});
  BOOST_TEST(::recv(fd, got, sizeof got, 0) == 1);
  for (auto net : {sys::sandbox_network::none, sys::sandbox_network::loopback})
    for (auto profile : {sys::syscall_profile::standard, sys::syscall_profile::unfiltered})
      for (bool ns : {true, false}) {
        auto box = base_box();
        box.network(net).syscalls(profile).namespaces(ns);
        auto r = confined(box, {"dgram-pair", path.c_str()});
        BOOST_TEST(first_line(r.output.out) == "denied EPERM");
        BOOST_TEST(::recv(fd, got, sizeof got, 0) < 0, "a datagram arrived");
      }
  ::close(fd);
  ::unlink(path.c_str());
}

// With /proc allowed the program sees the /proc of its own pid namespace:
// two processes (its init and itself), and nothing of the caller's: the
// init's environment and memory are unreadable (not dumpable) and its
// command line is blank. Under unfiltered it cannot ptrace its init either.
BOOST_AUTO_TEST_CASE(proc_shows_the_sandbox_only) {
  ::setenv("VITTE_SANDBOX_PROC_SECRET", "hunter2-proc", 1);
  auto box = base_box();
  box.clear_environment({"PATH"});
  auto probe = confined(box, {"pids"});
  if (probe.report[sandbox_layer::pid_namespace].state != layer_state::applied) {
    BOOST_TEST_MESSAGE("skipped: no pid namespace here: " << probe.report[sandbox_layer::pid_namespace].reason);
    return;
  }
  BOOST_TEST((probe.report[sandbox_layer::own_procfs].state == layer_state::applied));
  BOOST_TEST(first_line(probe.output.out) == "2");
  BOOST_TEST(first_line(confined(box, {"find", "/proc/1/environ", "hunter2-proc"}).output.out) != "found");
  BOOST_TEST(first_line(confined(box, {"find", "/proc/1/cmdline", "report_level"}).output.out) == "absent");
  BOOST_TEST(first_line(confined(box, {"find", "/proc/1/cmdline", "test_sandbox"}).output.out) == "absent");
  BOOST_TEST(denied(confined(box, {"read", "/proc/1/mem"})));
  BOOST_TEST(denied(confined(box, {"read", "/proc/1/maps"})));
  box.syscalls(sys::syscall_profile::unfiltered);
  BOOST_TEST(denied(confined(box, {"ptrace-init"})));
  // Without namespaces the host's /proc is all there is: the report says so.
  box.namespaces(false);
  auto host = confined(box, {"pid"});
  BOOST_TEST((host.report[sandbox_layer::own_procfs].state == layer_state::refused));
  ::unsetenv("VITTE_SANDBOX_PROC_SECRET");
}

// sandbox_missing::fail refuses before any code of the program runs
// whenever a layer is missing or weaker than asked, simulated kernel by
// kernel: the program would create a file, which must not appear; the
// error is process_spawn and the report names the layer.
BOOST_AUTO_TEST_CASE(strict_refuses_before_the_program_runs) {
  const std::string marker = sys::path_join(scratch(), "strict-ran");
  const auto check = [&marker](auto box, sandbox_layer layer, const char* what) {
    ::unlink(marker.c_str());
    box.on_missing(sys::sandbox_missing::fail);
    auto r = box.output(attempt<typename decltype(box)::command_type>({"write", marker.c_str()}),
                        sys::deadline::after(std::chrono::seconds(60)));
    BOOST_TEST(!r, what);
    if (!r) BOOST_TEST((r.error().op() == sys::ops::process_spawn), what << ": " << r.error().message().c_str());
    BOOST_TEST(::access(marker.c_str(), F_OK) != 0, what << ": the program ran");
    const layer_state st = box.last_report()[layer].state;
    BOOST_TEST((st == layer_state::refused || st == layer_state::unsupported), what);
    const vitte::diagnostic d = sys::describe(box.last_report());
    BOOST_TEST(bool(d), what);
    BOOST_TEST_MESSAGE(what << ": " << d.format().c_str());
  };
  check(base_box<no_landlock>(), sandbox_layer::landlock_fs, "no Landlock");
  check(base_box<landlock_v1>(), sandbox_layer::landlock_net, "Landlock ABI 1");
  check(base_box<landlock_v3>(), sandbox_layer::landlock_net, "Landlock ABI 3");
  check(base_box<landlock_v3>().network(sys::sandbox_network::any), sandbox_layer::landlock_scope,
        "Landlock ABI 3, network any");
  check(base_box<no_user_namespaces>(), sandbox_layer::user_namespace, "no user namespaces");
  check(base_box<no_seccomp>(), sandbox_layer::seccomp, "no seccomp");
  check(base_box().namespaces(false).network(sys::sandbox_network::loopback), sandbox_layer::net_namespace,
        "namespaces off, network loopback");
  check(base_box().namespaces(false), sandbox_layer::own_procfs, "namespaces off, /proc allowed");
  // All there: it runs.
  auto whole = base_box();
  whole.on_missing(sys::sandbox_missing::fail);
  auto r = confined(whole, {"write", marker.c_str()});
  BOOST_TEST(r.report.complete(), r.report.to_json().c_str());
  BOOST_TEST(first_line(r.output.out) == "ok");
  ::unlink(marker.c_str());
}

// The wall-clock limit: every process of the sandbox is killed at it, with
// or without a pid namespace (a waiter outside enforces it).
BOOST_AUTO_TEST_CASE(the_wall_clock_limit_kills_the_sandbox) {
  for (bool ns : {true, false}) {
    auto box = base_box();
    box.namespaces(ns).limits({.wall_seconds = 1});
    auto r = confined(box, {"sleep", "30"});
    BOOST_TEST(r.output.status.signal() == SIGKILL, "namespaces " << ns);
    BOOST_TEST(first_line(r.output.out) != "ok");
    BOOST_TEST((r.report[sandbox_layer::wall_clock].state == layer_state::applied));
  }
}

// The memory limit binds the sandbox's processes together (a memory
// cgroup), not each alone: four children of 40 MiB under 96 MiB cannot all
// hold theirs at once.
BOOST_AUTO_TEST_CASE(the_memory_limit_binds_the_whole_sandbox) {
  BOOST_TEST(first_line(free_run({"fork-memory", "4", "41943040"}).out) == "survived 4");
  auto box = base_box();
  box.limits({.memory = 96u << 20});
  auto r = confined(box, {"fork-memory", "4", "41943040"});
  const sys::layer_outcome& m = r.report[sandbox_layer::memory_limit];
  if (m.state != layer_state::applied) {
    BOOST_TEST((m.state == layer_state::refused));
    BOOST_TEST_MESSAGE("skipped: no writable memory cgroup here: " << m.reason);
    return;
  }
  const std::string said = first_line(r.output.out);
  BOOST_TEST((said == "survived 0" || said == "survived 1" || said == "survived 2"), said);
}

// The same attacks as nobody (uid 65534), on a tree nobody owns (so that
// unconfined its fchmod works): read-only holds, no datagram pair, /proc
// of its own.
BOOST_AUTO_TEST_CASE(the_attacks_fail_as_nobody_too) {
  if (::getuid() != 0) {
    BOOST_TEST_MESSAGE("skipped: only root can become nobody (the cases above cover this user)");
    return;
  }
  read_only_tree t(65534);
  (void)::chmod(scratch().c_str(), 0777);
  const std::string file = t.file, dir = t.dir;
  const std::string said = as_nobody([&] {
    std::string out;
    auto freely = attempt<sys::command>({"fchmod", file.c_str(), "0644"}).output();
    out += freely ? first_line(freely->out) : "spawn failed";
    sys::sandbox box;
    box.system_runtime().allow_read("/proc").allow_read(dir);
    for (const char* what : {"fchmod", "futimens"}) {
      auto r = box.output(attempt<sys::sandbox::command_type>({what, file.c_str(), "0666"}),
                          sys::deadline::after(std::chrono::seconds(60)));
      out += "|" + (r ? first_line(r->output.out) : std::string("spawn failed"));
    }
    auto pids =
        box.output(attempt<sys::sandbox::command_type>({"pids"}), sys::deadline::after(std::chrono::seconds(60)));
    out += "|" + (pids ? first_line(pids->output.out) : std::string("spawn failed"));
    auto dgram = box.output(attempt<sys::sandbox::command_type>({"dgram-pair", "/dev/log"}),
                            sys::deadline::after(std::chrono::seconds(60)));
    out += "|" + (dgram ? first_line(dgram->output.out) : std::string("spawn failed"));
    return out;
  });
  BOOST_TEST(said == "ok|denied EROFS|denied EROFS|2|denied EPERM");
  t.snapshot();  // after the unconfined fchmod (0644 again)
  t.expect_unchanged();
}

// run_as: the program (and the sandbox's init) runs as another user, with
// no supplementary group, with or without namespaces; only root may ask.
BOOST_AUTO_TEST_CASE(run_as_another_user) {
  if (::getuid() != 0) {
    BOOST_TEST_MESSAGE("skipped: only root may run a program as another user");
    return;
  }
  for (bool ns : {true, false}) {
    auto box = base_box();
    box.namespaces(ns).run_as(65534, 65534);
    auto r = confined(box, {"find", "/proc/self/status", "Uid:\t65534\t65534\t65534"});
    BOOST_TEST(first_line(r.output.out) == "found", "namespaces " << ns);
    BOOST_TEST(first_line(confined(box, {"find", "/proc/self/status", "Groups:\t \n"}).output.out) == "found");
    if (ns) BOOST_TEST(first_line(confined(box, {"find", "/proc/1/status", "Uid:\t65534"}).output.out) == "found");
  }
  const std::string said = as_nobody([] {
    sys::sandbox box;
    box.system_runtime().run_as(0, 0);
    auto r = box.output(attempt<sys::sandbox::command_type>({"pid"}));
    return std::string(r ? "ran" : r.error().message().c_str());
  });
  BOOST_TEST(said.find("permission denied") != std::string::npos, said);
}

#endif  // VITTE_OS_LINUX

#if VITTE_OS_WINDOWS
BOOST_AUTO_TEST_CASE(windows_job_object) {
  sys::sandbox box;
  box.limits({.cpu_seconds = 10, .address_space = 256u << 20, .processes = 4});
  auto r = confined(box, {"memory", "1048576"});
  BOOST_TEST((r.report[sandbox_layer::landlock_fs].state == layer_state::unsupported));
  BOOST_TEST((r.report[sandbox_layer::seccomp].state == layer_state::unsupported));
  BOOST_TEST((r.report[sandbox_layer::net_namespace].state == layer_state::unsupported));
  BOOST_TEST((r.report[sandbox_layer::job_object].state != layer_state::off));
  if (r.report[sandbox_layer::job_object].state == layer_state::applied) {
    BOOST_TEST((r.report[sandbox_layer::process_limit].state == layer_state::applied));
    BOOST_TEST(std::string(r.report[sandbox_layer::process_limit].reason) == "the job's active process count");
  }
  BOOST_TEST(first_line(r.output.out) == "ok");
  BOOST_TEST_MESSAGE(r.report.to_json().c_str());
}
#endif
