// Processes and pipes of posix_platform: posix_spawn, fork/exec, waitpid,
// poll. Reached through the switch vitte/sys/detail/process.ipp.
#ifndef VITTE_SYS_DETAIL_POSIX_PROCESS_IPP
#define VITTE_SYS_DETAIL_POSIX_PROCESS_IPP

#include <vitte/sys/detail/posix/clock.hpp>
#include <vitte/sys/detail/posix/errno.hpp>
#include <vitte/sys/policy/posix.hpp>

#if !VITTE_OS_POSIX
#error "vitte: detail/posix/process.ipp is for POSIX targets"
#endif

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>  // memset
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#if VITTE_HAS_POSIX_SPAWN
#include <spawn.h>
#endif
#if VITTE_OS_DARWIN || VITTE_OS_BSD
#include <sys/event.h>  // kqueue EVFILT_PROC
#endif
#if VITTE_OS_LINUX
#include <sys/syscall.h>  // SYS_close_range
#endif

extern "C" char** environ;  // the process environment (POSIX declares it; no header must)

// posix_spawn_file_actions_addchdir_np: glibc 2.29, Darwin 10.15, FreeBSD 13.1.
#ifndef VITTE_HAS_SPAWN_CHDIR
#if defined(__GLIBC__) && defined(__GLIBC_MINOR__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 29)
#define VITTE_HAS_SPAWN_CHDIR 1
#elif VITTE_OS_DARWIN || (defined(__FreeBSD__) && __FreeBSD_version >= 1301000)
#define VITTE_HAS_SPAWN_CHDIR 1
#else
#define VITTE_HAS_SPAWN_CHDIR 0
#endif
#endif
// posix_spawn_file_actions_addclosefrom_np: glibc 2.34 (FreeBSD 13.1 too).
#ifndef VITTE_HAS_SPAWN_CLOSEFROM
#if defined(__GLIBC__) && defined(__GLIBC_MINOR__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 34)
#define VITTE_HAS_SPAWN_CLOSEFROM 1
#elif defined(__FreeBSD__) && __FreeBSD_version >= 1301000
#define VITTE_HAS_SPAWN_CLOSEFROM 1
#else
#define VITTE_HAS_SPAWN_CLOSEFROM 0
#endif
#endif

namespace vitte::sys::detail::posix_process {

inline std::int64_t monotonic_ns() noexcept { return posix::clock_now(CLOCK_MONOTONIC); }

inline int signal_number(process_signal_kind k) noexcept {
  switch (k) {
    case process_signal_kind::terminate:
      return SIGTERM;
    case process_signal_kind::kill:
      return SIGKILL;
    case process_signal_kind::interrupt:
      return SIGINT;
  }
  return SIGTERM;
}

inline exit_status decode(int st) noexcept {
  if (WIFSIGNALED(st)) return exit_status{exit_status::how::signaled, WTERMSIG(st)};
  return exit_status{exit_status::how::exited, WEXITSTATUS(st)};
}

// The descriptors a child gets as 0, 1 and 2 (-1: keep the parent's). A
// source that is itself 0, 1 or 2 but goes elsewhere would be overwritten
// by an earlier dup2, so it is first copied above 2 (temp, closed after).
// A source already at its number (the parent had 0, 1 or 2 closed and the
// handle took that number) is not dup2'ed, but loses its close-on-exec flag
// in the child (in_place).
// Descriptors passed (spawn_request::passed) are copied above the numbers
// they go to (3 + count and up, close-on-exec), so that no dup2 onto 3, 4,
// ... overwrites one still to be copied.
struct stdio_plan {
  int src[3] = {-1, -1, -1};
  int temp[3] = {-1, -1, -1};
  bool in_place[3] = {false, false, false};
  static constexpr std::size_t max_passed = 16;
  int passed[max_passed] = {};
  std::size_t passed_count = 0;
  int first_free() const noexcept { return 3 + static_cast<int>(passed_count); }  // the lowest not passed
  ~stdio_plan() {
    for (int t : temp)
      if (t >= 0) ::close(t);
    for (std::size_t i = 0; i < passed_count; ++i) ::close(passed[i]);
  }
};

inline error plan_stdio(const spawn_request& req, stdio_plan& plan) noexcept {
  for (int i = 0; i < 3; ++i) {
    int fd = req.stdio[i] == invalid_handle ? -1 : static_cast<int>(req.stdio[i]);
    plan.in_place[i] = fd == i;
    plan.src[i] = fd == i ? -1 : fd;
  }
  if (req.passed_count > stdio_plan::max_passed) return error{errc::invalid_argument, ops::process_spawn};
  const int above = 3 + static_cast<int>(req.passed_count);
  for (std::size_t i = 0; i < req.passed_count; ++i) {
    int copy = ::fcntl(static_cast<int>(req.passed[i]), F_DUPFD_CLOEXEC, above);
    if (copy < 0) return errno_error(ops::process_spawn, errno);
    plan.passed[plan.passed_count++] = copy;
  }
  for (int i = 0; i < 3; ++i) {
    if (plan.src[i] < 0 || plan.src[i] > 2) continue;
    int copy = ::fcntl(plan.src[i], F_DUPFD_CLOEXEC, above);
    if (copy < 0) return errno_error(ops::process_spawn, errno);
    plan.temp[i] = copy;
    plan.src[i] = copy;
  }
  return {};
}

// Signals a child must not inherit as ignored (dispositions set to a
// handler are reset by exec anyway).
inline void fill_default_signals(sigset_t& set) noexcept {
  sigemptyset(&set);
  static constexpr int sigs[] = {SIGPIPE, SIGINT,  SIGTERM, SIGHUP,  SIGQUIT, SIGCHLD, SIGUSR1,
                                 SIGUSR2, SIGALRM, SIGTSTP, SIGTTIN, SIGTTOU, SIGXFSZ};
  for (int s : sigs) sigaddset(&set, s);
}

inline int make_pipe(int (&fds)[2]) noexcept {
#if VITTE_OS_LINUX || VITTE_OS_BSD
  return ::pipe2(fds, O_CLOEXEC);
#else
  // Darwin has no pipe2: a fork in another thread between the two calls
  // could inherit the pipe (posix_spawn with CLOEXEC_DEFAULT does not).
  if (::pipe(fds) != 0) return -1;
  ::fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  ::fcntl(fds[1], F_SETFD, FD_CLOEXEC);
  return 0;
#endif
}

// The child side of fork/exec. Only async-signal-safe calls, no memory
// written but this frame's: safe after fork in a multi-threaded parent.
[[noreturn]] inline void exec_child(const spawn_request& req, const stdio_plan& plan, char* const* envp, int report,
                                    int max_fd) noexcept {
  struct sigaction dfl;
  ::memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  for (int s = 1; s < NSIG; ++s)
    if (s != SIGKILL && s != SIGSTOP) ::sigaction(s, &dfl, nullptr);
  int code = 0;
  if (req.new_group && ::setpgid(0, 0) != 0) code = errno;
  for (int i = 0; i < 3 && code == 0; ++i) {
    if (plan.src[i] >= 0 && ::dup2(plan.src[i], i) < 0) code = errno;
    if (plan.in_place[i] && ::fcntl(i, F_SETFD, 0) != 0) code = errno;
  }
  // The passed descriptors as 3, 4, ... (dup2 leaves them inheritable).
  for (std::size_t i = 0; i < plan.passed_count && code == 0; ++i)
    if (::dup2(plan.passed[i], 3 + static_cast<int>(i)) < 0) code = errno;
  if (code == 0 && req.cwd != nullptr && ::chdir(req.cwd) != 0) code = errno;
  if (code == 0) {
    // Every descriptor above the passed ones goes, but the report pipe,
    // moved just above them (close-on-exec again after dup2).
    const int kept = plan.first_free();
    if (report != kept) {
      ::dup2(report, kept);
      report = kept;
    }
    ::fcntl(report, F_SETFD, FD_CLOEXEC);
    bool closed = false;
#if VITTE_OS_LINUX && defined(SYS_close_range)
    closed = ::syscall(SYS_close_range, static_cast<unsigned>(kept + 1), ~0u, 0u) == 0;  // Linux 5.9
#endif
    for (int fd = kept + 1; fd < max_fd && !closed; ++fd) ::close(fd);
    sigset_t empty;
    sigemptyset(&empty);
    ::sigprocmask(SIG_SETMASK, &empty, nullptr);
    ::execve(req.program, const_cast<char* const*>(req.argv), envp);
    code = errno;
  }
  while (::write(report, &code, sizeof code) < 0 && errno == EINTR) {
  }
  ::_exit(127);
}

inline int waitpid_retry(pid_t pid, int* st, int flags) noexcept {
  int rc;
  do rc = ::waitpid(pid, st, flags);
  while (rc < 0 && errno == EINTR);
  return rc;
}

// fork, then in the child `first()` (async-signal-safe; 0 or an errno
// that fails the spawn) and exec_child; the parent learns of a failure
// through a close-on-exec pipe. Errors carry `op`. Used by
// process_spawn_fork_exec and by the session spawn of pseudo-terminals
// (detail/posix/pseudo_terminal.ipp, whose `first` is setsid + TIOCSCTTY).
template <class First>
error fork_exec(const spawn_request& req, native_process& out, operation op, First first) noexcept {
  stdio_plan plan;
  if (error e = plan_stdio(req, plan)) return e;
  int report[2];
  if (make_pipe(report) != 0) return errno_error(op, errno);
  // With 0, 1 or 2 closed the pipe may take those numbers, which the
  // child's dup2 of its streams would overwrite: keep both ends above 2,
  // and above the numbers passed descriptors go to.
  for (int& fd : report) {
    if (fd >= plan.first_free()) continue;
    int up = ::fcntl(fd, F_DUPFD_CLOEXEC, plan.first_free());
    int code = errno;
    ::close(fd);
    fd = up;
    if (up >= 0) continue;
    for (int other : report)
      if (other >= 0) ::close(other);
    return errno_error(op, code);
  }
  long open_max = ::sysconf(_SC_OPEN_MAX);
  int max_fd = open_max <= 0 || open_max > 65536 ? 65536 : static_cast<int>(open_max);
  char* const* envp = req.envp != nullptr ? const_cast<char* const*>(req.envp) : environ;
  // No handler of ours may run in the child before it resets them.
  sigset_t all, old;
  sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &old);
  pid_t pid = ::fork();
  if (pid == 0) {
    int code = first();
    if (code == 0) exec_child(req, plan, envp, report[1], max_fd);
    while (::write(report[1], &code, sizeof code) < 0 && errno == EINTR) {
    }
    ::_exit(127);
  }
  int fork_errno = errno;
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  ::close(report[1]);
  if (pid < 0) {
    ::close(report[0]);
    return errno_error(op, fork_errno);
  }
  if (req.new_group) (void)::setpgid(pid, pid);  // both sides: no window where the group is missing
  int code = 0;
  ssize_t got;
  do got = ::read(report[0], &code, sizeof code);
  while (got < 0 && errno == EINTR);
  ::close(report[0]);
  if (got == static_cast<ssize_t>(sizeof code)) {
    int st;
    (void)waitpid_retry(pid, &st, 0);
    return errno_error(op, code);
  }
  out.id = pid;
  out.group = req.new_group ? pid : invalid_handle;
  out.handle = invalid_handle;
  return {};
}

}  // namespace vitte::sys::detail::posix_process

namespace vitte::sys {

VITTE_DECL error posix_platform::process_spawn_fork_exec(const spawn_request& req, native_process& out) noexcept {
  return detail::posix_process::fork_exec(req, out, ops::process_spawn, [] { return 0; });
}

// posix_spawn (no shell, never a PATH search: the program is a path):
// own process group (POSIX_SPAWN_SETPGROUP), empty signal mask and
// default dispositions, the three stdio handles dup2'ed, descriptors from
// 3 up closed (addclosefrom_np, or POSIX_SPAWN_CLOEXEC_DEFAULT on
// Darwin), the working directory by addchdir_np (glibc 2.29, Darwin,
// FreeBSD 13.1). Where the C library cannot close those descriptors (musl,
// glibc before 2.34), or cannot change the directory, fork/exec does, so
// that a descriptor opened without O_CLOEXEC never reaches the child. An
// exec failure comes back as its errno (not_found, permission_denied,
// exec_format, ...), never as exit code 127.
VITTE_DECL error os_platform_base::process_spawn(const spawn_request& req, native_process& out) noexcept {
#if !VITTE_HAS_POSIX_SPAWN || (!VITTE_HAS_SPAWN_CLOSEFROM && !defined(POSIX_SPAWN_CLOEXEC_DEFAULT))
  return posix_platform::process_spawn_fork_exec(req, out);
#else
  namespace d = detail::posix_process;
#if !VITTE_HAS_SPAWN_CHDIR
  if (req.cwd != nullptr) return posix_platform::process_spawn_fork_exec(req, out);
#endif
  d::stdio_plan plan;
  if (error e = d::plan_stdio(req, plan)) return e;
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  int rc = ::posix_spawn_file_actions_init(&actions);
  if (rc != 0) return detail::errno_error(ops::process_spawn, rc);
  rc = ::posix_spawnattr_init(&attr);
  if (rc != 0) {
    ::posix_spawn_file_actions_destroy(&actions);
    return detail::errno_error(ops::process_spawn, rc);
  }
  for (int i = 0; i < 3 && rc == 0; ++i) {
    if (plan.src[i] >= 0) {
      rc = ::posix_spawn_file_actions_adddup2(&actions, plan.src[i], i);
      continue;
    }
#if !defined(POSIX_SPAWN_CLOEXEC_DEFAULT)
    // dup2 onto itself clears close-on-exec (glibc 2.29, musl, FreeBSD 13.1;
    // an older C library makes fork/exec do it).
    if (plan.in_place[i]) {
      rc = ::posix_spawn_file_actions_adddup2(&actions, i, i);
      continue;
    }
#endif
#if defined(POSIX_SPAWN_CLOEXEC_DEFAULT)
    rc = ::posix_spawn_file_actions_addinherit_np(&actions, i);  // CLOEXEC_DEFAULT would drop it
#endif
  }
  for (std::size_t i = 0; i < plan.passed_count && rc == 0; ++i)
    rc = ::posix_spawn_file_actions_adddup2(&actions, plan.passed[i], 3 + static_cast<int>(i));
#if VITTE_HAS_SPAWN_CLOSEFROM
  if (rc == 0) rc = ::posix_spawn_file_actions_addclosefrom_np(&actions, plan.first_free());
#endif
#if VITTE_HAS_SPAWN_CHDIR
  if (rc == 0 && req.cwd != nullptr) rc = ::posix_spawn_file_actions_addchdir_np(&actions, req.cwd);
#endif
  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
#if defined(POSIX_SPAWN_CLOEXEC_DEFAULT)
  flags |= POSIX_SPAWN_CLOEXEC_DEFAULT;
#endif
  if (req.new_group) {
    flags |= POSIX_SPAWN_SETPGROUP;
    if (rc == 0) rc = ::posix_spawnattr_setpgroup(&attr, 0);
  }
  sigset_t empty, defaults;
  sigemptyset(&empty);
  d::fill_default_signals(defaults);
  if (rc == 0) rc = ::posix_spawnattr_setsigmask(&attr, &empty);
  if (rc == 0) rc = ::posix_spawnattr_setsigdefault(&attr, &defaults);
  if (rc == 0) rc = ::posix_spawnattr_setflags(&attr, flags);
  pid_t pid = -1;
  char* const* envp = req.envp != nullptr ? const_cast<char* const*>(req.envp) : environ;
  // glibc, musl, Darwin and FreeBSD report an exec failure as the result.
  if (rc == 0) rc = ::posix_spawn(&pid, req.program, &actions, &attr, const_cast<char* const*>(req.argv), envp);
  ::posix_spawnattr_destroy(&attr);
  ::posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return detail::errno_error(ops::process_spawn, rc);
  out.id = pid;
  out.group = req.new_group ? pid : invalid_handle;
  out.handle = invalid_handle;
  return {};
#endif
}

// waitpid. Deadlines: kqueue EVFILT_PROC on Darwin and the BSDs, else
// WNOHANG polls with sleeps of 0.1 ms growing to 10 ms.
VITTE_DECL error os_platform_base::process_wait(native_process& p, std::int64_t deadline_ns,
                                                exit_status& out) noexcept {
  namespace d = detail::posix_process;
  pid_t pid = static_cast<pid_t>(p.id);
  int st = 0;
  if (deadline_ns == INT64_MAX) {
    if (::waitpid(pid, &st, 0) < 0) return detail::errno_error(ops::process_wait, errno);
    out = d::decode(st);
    return {};
  }
#if VITTE_OS_DARWIN || VITTE_OS_BSD
  // kqueue tells when the child exits; waitpid then reaps it.
  int kq = ::kqueue();
  if (kq >= 0) {
    struct kevent change;
    EV_SET(&change, static_cast<uintptr_t>(pid), EVFILT_PROC, EV_ADD | EV_ONESHOT, NOTE_EXIT, 0, nullptr);
    int rc = ::kevent(kq, &change, 1, nullptr, 0, nullptr);  // ESRCH: already a zombie
    while (rc == 0) {
      int r = d::waitpid_retry(pid, &st, WNOHANG);
      if (r == pid) {
        ::close(kq);
        out = d::decode(st);
        return {};
      }
      std::int64_t left = deadline_ns - d::monotonic_ns();
      if (r < 0 || left <= 0) break;  // the loop below reports both
      struct timespec ts = detail::posix::to_timespec(left);
      struct kevent ev;
      if (::kevent(kq, nullptr, 0, &ev, 1, &ts) == 0) break;
    }
    ::close(kq);
  }
#endif
  std::int64_t pause_ns = 100'000;
  for (;;) {
    int r = ::waitpid(pid, &st, WNOHANG);
    if (r < 0) return detail::errno_error(ops::process_wait, errno);
    if (r == pid) {
      out = d::decode(st);
      return {};
    }
    std::int64_t now = d::monotonic_ns();
    if (now >= deadline_ns) return error{errc::timed_out, ops::process_wait};
    std::int64_t t = now + pause_ns < deadline_ns ? now + pause_ns : deadline_ns;
    struct timespec ts = detail::posix::to_timespec(t - now);
    ::nanosleep(&ts, nullptr);  // an interruption only shortens a pause
    if (pause_ns < 10'000'000) pause_ns *= 2;
  }
}

// kill(-group) (the pid alone without a group).
VITTE_DECL error os_platform_base::process_signal(const native_process& p, process_signal_kind kind) noexcept {
  namespace d = detail::posix_process;
  pid_t target = p.group > 0 ? -static_cast<pid_t>(p.group) : static_cast<pid_t>(p.id);
  if (::kill(target, d::signal_number(kind)) != 0) return detail::errno_error(ops::process_kill, errno);
  return {};
}

// Closes what the OS handed out for the child (nothing on POSIX).
VITTE_DECL void os_platform_base::process_release(native_process& p, bool) noexcept {
  if (p.handle != invalid_handle) ::close(static_cast<int>(p.handle));
  p = native_process{};
}

// getpid.
VITTE_DECL std::int64_t os_platform_base::process_current_id() noexcept { return ::getpid(); }

// pipe, both ends close-on-exec (pipe2 where the OS has it).
VITTE_DECL error os_platform_base::pipe_create(native_handle (&ends)[2], bool) noexcept {
  int fds[2];
  if (detail::posix_process::make_pipe(fds) != 0) return detail::errno_error(ops::pipe_create, errno);
  ends[0] = fds[0];
  ends[1] = fds[1];
  return {};
}

// /dev/null, close-on-exec.
VITTE_DECL result<native_handle> os_platform_base::null_device_open(bool write) noexcept {
  int fd;
  do fd = ::open("/dev/null", (write ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  if (fd < 0) return detail::errno_error(ops::open, errno);
  return native_handle{fd};
}

// 0, 1 or 2.
VITTE_DECL native_handle os_platform_base::std_handle(int which) noexcept { return which; }

// poll on the pipes, read 64 KiB at a time until each reports its end.
VITTE_DECL error os_platform_base::pipe_drain(const native_handle* handles, std::size_t count, drain_sink& sink,
                                              std::int64_t deadline_ns) noexcept {
  namespace d = detail::posix_process;
  constexpr std::size_t max_pipes = 8;
  if (count > max_pipes) return error{errc::invalid_argument, ops::read};
  struct pollfd fds[max_pipes];
  std::size_t open = 0;
  for (std::size_t i = 0; i < count; ++i) {
    fds[i].fd = handles[i] == invalid_handle ? -1 : static_cast<int>(handles[i]);
    fds[i].events = POLLIN;
    fds[i].revents = 0;
    if (fds[i].fd >= 0) ++open;
  }
  char buf[32 * 1024];
  while (open > 0) {
    int timeout = -1;
    if (deadline_ns != INT64_MAX) {
      std::int64_t left = deadline_ns - d::monotonic_ns();
      if (left <= 0) return error{errc::timed_out, ops::read};
      std::int64_t ms = (left + 999'999) / 1'000'000;
      timeout = ms > 1'000'000'000 ? 1'000'000'000 : static_cast<int>(ms);
    }
    int n = ::poll(fds, static_cast<nfds_t>(count), timeout);
    if (n < 0) {
      if (errno == EINTR) continue;
      return detail::errno_error(ops::read, errno);
    }
    for (std::size_t i = 0; i < count; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
      if (got < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        return detail::errno_error(ops::read, errno);
      }
      if (got == 0) {
        fds[i].fd = -1;  // poll skips negative descriptors
        --open;
        continue;
      }
      sink.data(sink.ctx, i, buf, static_cast<std::size_t>(got));
    }
  }
  return {};
}

// Success for a regular file the process may execute (stat, access
// X_OK); else not_found, is_a_directory, permission_denied (operation
// find_program).
VITTE_DECL error os_platform_base::program_check(const char* path) noexcept {
  namespace d = detail::posix_process;
  struct stat st;
  if (::stat(path, &st) != 0) return detail::errno_error(ops::find_program, errno);
  if (S_ISDIR(st.st_mode)) return error{errc::is_a_directory, ops::find_program, EISDIR, error_domain::posix};
  if (!S_ISREG(st.st_mode) || ::access(path, X_OK) != 0)
    return error{errc::permission_denied, ops::find_program, EACCES, error_domain::posix};
  return {};
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_POSIX_PROCESS_IPP
