// The Linux sandbox (vitte/sys/sandbox.hpp): namespaces, Landlock, seccomp,
// no_new_privs, rlimits. Reached through detail/sandbox.ipp.
//
// The parent prepares everything: the Landlock ruleset (its rules added
// from descriptors opened here, so the child resolves no path), the BPF
// program, the uid and gid map lines, the environment. The child, between
// fork and exec (posix_process::fork_exec's `first`), makes only
// async-signal-safe calls: PR_SET_PDEATHSIG, its pids cgroup
// (detail/linux/sandbox_cgroup.hpp), unshare, writes to
// /proc/self/{uid,gid}_map, a second fork to enter the pid namespace,
// setrlimit, prctl, landlock_restrict_self, seccomp; then writes what it
// applied to a pipe. In a pid namespace a third fork leaves a minimal init
// as pid 1 and makes the program pid 2 (signals it sends itself then act as
// anywhere else).
#ifndef VITTE_SYS_DETAIL_LINUX_SANDBOX_IPP
#define VITTE_SYS_DETAIL_LINUX_SANDBOX_IPP

#include <vitte/sys/detail/linux/sandbox_cgroup.hpp>
#include <vitte/sys/detail/linux/sandbox_compiler_calls.hpp>
#include <vitte/sys/detail/linux/sandbox_mounts.hpp>
#include <vitte/sys/detail/linux/sandbox_refused_calls.hpp>
#include <vitte/sys/detail/posix/errno.hpp>
#include <vitte/sys/detail/posix/process.ipp>        // posix_process::fork_exec
#include <vitte/sys/detail/posix/sandbox_setup.hpp>  // the environment, rlimits
#include <vitte/sys/sandbox.hpp>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>           // setgroups
#include <linux/audit.h>   // AUDIT_ARCH_*
#include <linux/filter.h>  // sock_filter, BPF_*
#include <linux/seccomp.h>
#include <net/if.h>  // ifreq, IFF_UP
#include <sched.h>   // CLONE_NEW*
#include <signal.h>
#include <stddef.h>  // offsetof
#include <stdio.h>   // snprintf (parent only)
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace vitte::sys::detail::linux_sandbox {

// Landlock's interface (linux/landlock.h; older C libraries lack the
// newer parts). The three system calls have the same numbers everywhere.
inline constexpr long nr_landlock_create_ruleset = 444;
inline constexpr long nr_landlock_add_rule = 445;
inline constexpr long nr_landlock_restrict_self = 446;
inline constexpr unsigned landlock_create_ruleset_version = 1u << 0;
inline constexpr int landlock_rule_path_beneath = 1;

inline constexpr std::uint64_t fs_execute = 1ull << 0;
inline constexpr std::uint64_t fs_write_file = 1ull << 1;
inline constexpr std::uint64_t fs_read_file = 1ull << 2;
inline constexpr std::uint64_t fs_read_dir = 1ull << 3;
inline constexpr std::uint64_t fs_remove_dir = 1ull << 4;
inline constexpr std::uint64_t fs_remove_file = 1ull << 5;
inline constexpr std::uint64_t fs_make_char = 1ull << 6;
inline constexpr std::uint64_t fs_make_dir = 1ull << 7;
inline constexpr std::uint64_t fs_make_reg = 1ull << 8;
inline constexpr std::uint64_t fs_make_sock = 1ull << 9;
inline constexpr std::uint64_t fs_make_fifo = 1ull << 10;
inline constexpr std::uint64_t fs_make_block = 1ull << 11;
inline constexpr std::uint64_t fs_make_sym = 1ull << 12;
inline constexpr std::uint64_t fs_refer = 1ull << 13;      // ABI 2
inline constexpr std::uint64_t fs_truncate = 1ull << 14;   // ABI 3
inline constexpr std::uint64_t fs_ioctl_dev = 1ull << 15;  // ABI 5
inline constexpr std::uint64_t net_bind_tcp = 1ull << 0;   // ABI 4
inline constexpr std::uint64_t net_connect_tcp = 1ull << 1;
inline constexpr std::uint64_t scope_abstract_unix_socket = 1ull << 0;  // ABI 6
inline constexpr std::uint64_t scope_signal = 1ull << 1;

struct ruleset_attr {
  std::uint64_t handled_access_fs;
  std::uint64_t handled_access_net;
  std::uint64_t scoped;
};

struct __attribute__((packed)) path_beneath_attr {
  std::uint64_t allowed_access;
  std::int32_t parent_fd;
};

// The file-system rights Landlock ABI `abi` knows.
constexpr std::uint64_t fs_rights(int abi) noexcept {
  std::uint64_t r = fs_execute | fs_write_file | fs_read_file | fs_read_dir | fs_remove_dir | fs_remove_file |
                    fs_make_char | fs_make_dir | fs_make_reg | fs_make_sock | fs_make_fifo | fs_make_block |
                    fs_make_sym;
  if (abi >= 2) r |= fs_refer;
  if (abi >= 3) r |= fs_truncate;
  if (abi >= 5) r |= fs_ioctl_dev;
  return r;
}
// The rights that apply to a file (not a directory).
inline constexpr std::uint64_t file_only_rights =
    fs_execute | fs_write_file | fs_read_file | fs_truncate | fs_ioctl_dev;

#if defined(__x86_64__)
inline constexpr std::uint32_t audit_arch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
inline constexpr std::uint32_t audit_arch = AUDIT_ARCH_AARCH64;
#elif defined(__arm__)
inline constexpr std::uint32_t audit_arch = AUDIT_ARCH_ARM;
#elif defined(__i386__)
inline constexpr std::uint32_t audit_arch = AUDIT_ARCH_I386;
#elif defined(__riscv) && __riscv_xlen == 64
inline constexpr std::uint32_t audit_arch = AUDIT_ARCH_RISCV64;
#else
inline constexpr std::uint32_t audit_arch = 0;  // no filter: the report says seccomp is unsupported
#endif

// The namespaces clone(2) must not make under the standard and compiler
// profiles (CLONE_NEWTIME shares its bit with the exit signal in clone).
inline constexpr std::uint32_t clone_namespace_flags =
    CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET;

// A BPF program built in the parent, in place.
struct bpf_program {
  static constexpr std::size_t capacity = 1024;
  sock_filter code[capacity];
  std::size_t size = 0;
  bool overflow = false;

  void put(std::uint16_t op, std::uint32_t k, std::uint8_t jt = 0, std::uint8_t jf = 0) noexcept {
    if (size == capacity) {
      overflow = true;
      return;
    }
    code[size++] = sock_filter{op, jt, jf, k};
  }
  void load_nr() noexcept { put(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)); }
  void load_arg0() noexcept { put(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, args[0])); }
  // if nr == `nr`: return `action` (the accumulator stays nr).
  void on_call(long nr, std::uint32_t action) noexcept {
    put(BPF_JMP | BPF_JEQ | BPF_K, static_cast<std::uint32_t>(nr), 0, 1);
    put(BPF_RET | BPF_K, action);
  }
};

inline constexpr std::uint32_t ret_allow = SECCOMP_RET_ALLOW;
inline constexpr std::uint32_t ret_kill = 0x80000000u;  // SECCOMP_RET_KILL_PROCESS (Linux 4.14)
constexpr std::uint32_t ret_errno(int e) noexcept {
  return SECCOMP_RET_ERRNO | (static_cast<std::uint32_t>(e) & SECCOMP_RET_DATA);
}

// Checks of one call's arguments (clone's flags, socket's family, ioctl's
// request, modes and paths of the metadata calls). Each leaves nr reloaded.
inline void check_clone(bpf_program& p, std::uint32_t refuse) noexcept {
#ifdef __NR_clone
  p.put(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 0, 4);
  p.load_arg0();
  p.put(BPF_JMP | BPF_JSET | BPF_K, clone_namespace_flags, 0, 1);
  p.put(BPF_RET | BPF_K, refuse);
  p.load_nr();
#endif
#ifdef __NR_clone3
  p.on_call(__NR_clone3, ret_errno(ENOSYS));  // its flags sit in memory: callers fall back to clone
#endif
}

// The offsets of the low and high 32 bits of argument `i`.
constexpr std::uint32_t arg_lo(int i) noexcept {
  return static_cast<std::uint32_t>(offsetof(seccomp_data, args) + 8 * i +
                                    (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? 0 : 4));
}
constexpr std::uint32_t arg_hi(int i) noexcept {
  return static_cast<std::uint32_t>(offsetof(seccomp_data, args) + 8 * i +
                                    (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? 4 : 0));
}

// socket(2): network none, no family; loopback, AF_INET and AF_INET6 only
// (a unix socket reaches the host by path, outside any namespace).
inline void check_socket_family(bpf_program& p, sandbox_network net) noexcept {
#ifdef __NR_socket
  const std::uint32_t refuse = ret_errno(EAFNOSUPPORT);
  if (net == sandbox_network::none) {
    p.on_call(__NR_socket, refuse);
    return;
  }
  p.put(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 0, 6);
  p.put(BPF_LD | BPF_W | BPF_ABS, arg_lo(0));
  p.put(BPF_JMP | BPF_JEQ | BPF_K, AF_INET, 2, 0);
  p.put(BPF_JMP | BPF_JEQ | BPF_K, AF_INET6, 1, 0);
  p.put(BPF_RET | BPF_K, refuse);
  p.put(BPF_RET | BPF_K, ret_allow);
  p.load_nr();
#else
  (void)net;
#endif
}

// socketpair(2) under network none and loopback: no datagram pair (its
// sendto with an address, or a connect, reaches any host datagram socket by
// path: /dev/log, journald, a notify socket; and carries descriptors there).
// Stream and seqpacket pairs stay: they are connected to each other only.
inline void check_socketpair(bpf_program& p, std::uint32_t refuse) noexcept {
#ifdef __NR_socketpair
  p.put(BPF_JMP | BPF_JEQ | BPF_K, __NR_socketpair, 0, 5);
  p.put(BPF_LD | BPF_W | BPF_ABS, arg_lo(1));
  p.put(BPF_ALU | BPF_AND | BPF_K, 0xf);  // the type without SOCK_NONBLOCK, SOCK_CLOEXEC
  p.put(BPF_JMP | BPF_JEQ | BPF_K, SOCK_DGRAM, 0, 1);
  p.put(BPF_RET | BPF_K, refuse);
  p.load_nr();
#else
  (void)p;
  (void)refuse;
#endif
#ifdef __NR_socketcall
  p.on_call(__NR_socketcall, ret_errno(ENOSYS));  // its arguments sit in memory: the C library falls back
#endif
}

// ioctl(2) requests refused (the low 32 bits): typing into a terminal
// (TIOCSTI), TIOCLINUX, and a file's attribute flags (chattr: immutable,
// append-only) and extended attributes (FS_IOC_FSSETXATTR), which Landlock
// does not cover.
inline constexpr std::uint32_t refused_ioctls[] = {
    0x5412u,      // TIOCSTI
    0x541Cu,      // TIOCLINUX
    0x40086602u,  // FS_IOC_SETFLAGS (64-bit long)
    0x40046602u,  // FS_IOC_SETFLAGS, FS_IOC32_SETFLAGS (32-bit)
    0x401c5820u,  // FS_IOC_FSSETXATTR
};

inline void check_ioctl(bpf_program& p, std::uint32_t refuse) noexcept {
#ifdef __NR_ioctl
  constexpr std::size_t k = sizeof refused_ioctls / sizeof refused_ioctls[0];
  p.put(BPF_JMP | BPF_JEQ | BPF_K, __NR_ioctl, 0, static_cast<std::uint8_t>(k + 3));
  p.put(BPF_LD | BPF_W | BPF_ABS, arg_lo(1));
  for (std::size_t i = 0; i < k; ++i)
    p.put(BPF_JMP | BPF_JEQ | BPF_K, refused_ioctls[i], static_cast<std::uint8_t>(k - 1 - i), i + 1 == k ? 1 : 0);
  p.put(BPF_RET | BPF_K, refuse);
  p.load_nr();
#else
  (void)p;
  (void)refuse;
#endif
}

// Metadata of files by path (Landlock does not cover it): chmod, chown,
// utime and xattr changes refused; fchmod without set-user-id or
// set-group-id bits, fchown and futimens (utimensat without a path) kept,
// unless `descriptors` (no mount namespace: the read-only trees are not
// remounted read-only, so a descriptor opened for reading would do).
inline void check_metadata(bpf_program& p, bool descriptors) noexcept {
  const std::uint32_t refuse = ret_errno(EPERM);
  for (long nr : path_metadata_calls)
    if (nr >= 0) p.on_call(nr, refuse);
  if (descriptors) {
    for (long nr : descriptor_metadata_calls)
      if (nr >= 0) p.on_call(nr, refuse);
#ifdef __NR_utimensat
    p.on_call(__NR_utimensat, refuse);
#endif
#ifdef __NR_utimensat_time64
    p.on_call(__NR_utimensat_time64, refuse);
#endif
  }
#ifdef __NR_fchmod
  p.put(BPF_JMP | BPF_JEQ | BPF_K, __NR_fchmod, 0, 4);
  p.put(BPF_LD | BPF_W | BPF_ABS, arg_lo(1));
  p.put(BPF_JMP | BPF_JSET | BPF_K, S_ISUID | S_ISGID, 0, 1);
  p.put(BPF_RET | BPF_K, refuse);
  p.load_nr();
#endif
  const long utimensat_calls[] = {
#ifdef __NR_utimensat
      __NR_utimensat,
#endif
#ifdef __NR_utimensat_time64
      __NR_utimensat_time64,
#endif
      -1};
  for (long nr : utimensat_calls) {
    if (nr < 0) continue;
    p.put(BPF_JMP | BPF_JEQ | BPF_K, static_cast<std::uint32_t>(nr), 0, 6);
    p.put(BPF_LD | BPF_W | BPF_ABS, arg_lo(1));
    p.put(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 2);
    p.put(BPF_LD | BPF_W | BPF_ABS, arg_hi(1));
    p.put(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0);
    p.put(BPF_RET | BPF_K, refuse);
    p.load_nr();
  }
}

// The filter of `s`: the architecture checked first (another one is
// killed: its numbers mean other calls), then what holds under every
// profile (the network's sockets, terminal injection, and without a mount
// namespace file metadata), then the profile's lists.
inline void build_filter(const sandbox_settings& s, bool no_mount_namespace, bpf_program& p) noexcept {
  const std::uint32_t refuse = s.action == syscall_action::kill ? ret_kill : ret_errno(EPERM);
  p.put(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch));
  p.put(BPF_JMP | BPF_JEQ | BPF_K, audit_arch, 1, 0);
  p.put(BPF_RET | BPF_K, ret_kill);
  p.load_nr();
#if defined(__x86_64__)
  p.put(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1);  // the x32 ABI's numbers
  p.put(BPF_RET | BPF_K, ret_kill);
#endif
  if (s.network != sandbox_network::any) {
    check_socket_family(p, s.network);
    check_socketpair(p, refuse);
    // io_uring's operations (IORING_OP_CONNECT, ...) bypass the filter.
    for (long nr : io_uring_calls)
      if (nr >= 0) p.on_call(nr, refuse);
  }
  if (s.network == sandbox_network::none) {
#ifdef __NR_connect
    p.on_call(__NR_connect, refuse);  // a unix socket by path reaches outside any namespace
#endif
  }
  check_ioctl(p, refuse);
  for (long nr : mount_calls)
    if (nr >= 0) p.on_call(nr, refuse);
  if (s.profile == syscall_profile::unfiltered) {
    check_metadata(p, no_mount_namespace);  // Landlock does not cover metadata: every profile keeps it
    p.put(BPF_RET | BPF_K, ret_allow);
    return;
  }
  check_metadata(p, no_mount_namespace);
  check_clone(p, refuse);
  if (s.profile == syscall_profile::standard) {
    for (long nr : dangerous_calls)
      if (nr >= 0) p.on_call(nr, refuse);
    for (long nr : io_uring_calls)  // it bypasses the filter
      if (nr >= 0) p.on_call(nr, refuse);
    p.put(BPF_RET | BPF_K, ret_allow);
    return;
  }
  for (long nr : compiler_calls)
    if (nr >= 0) p.on_call(nr, ret_allow);
  p.put(BPF_RET | BPF_K, refuse);
}

// Everything the child needs, made before fork.
// A cgroup the child joins: the directory it makes its own in, the
// version, the limit's file (kept open once joined).
struct cgroup_join_plan {
  int dir = -1;
  int version = 0;
  int limit_fd = -1;
};

struct plan {
  const sandbox_settings* s = nullptr;
  sandbox_calls calls{};
  int flags = 0;          // unshare flags (0: no namespaces)
  bool pid_ns = false;    // a second fork enters the pid namespace
  bool waiter = false;    // a waiter stays outside (a pid namespace, or a wall-clock limit)
  bool new_group = true;  // the child makes its own group (fork_exec is told not to)
  int ruleset = -1;       // Landlock ruleset, rules added
  bool seccomp = false;
  sock_fprog fprog{};            // with the trees remounted read-only
  sock_fprog fprog_no_mounts{};  // without a mount namespace: descriptor metadata refused too
  char uid_map[48] = {};
  char gid_map[48] = {};
  int report_fd = -1;   // the child's end of the report pipe
  bool root = false;    // the program's real uid is 0: RLIMIT_NPROC does not bind
  bool run_as = false;  // the program runs as `uid`, `gid` (the caller is root)
  uid_t uid = 0;
  gid_t gid = 0;
  cgroup_join_plan cgroups[cgroup_controller_count];
  const mount_step* mounts = nullptr;  // the trees, shallow first
  std::size_t mount_count = 0;
  bool own_proc = false;  // a tree reaches /proc: mount the pid namespace's own
  const proc_rule* proc_rules = nullptr;
  std::size_t proc_rule_count = 0;
  std::int64_t wall_ns = 0;  // the wall-clock limit (0: none)
  pid_t caller = 0;          // the spawning process: the child ends if it is gone already
  int status_fd = -1;        // in a pid namespace: where the init writes the program's wait status
  sandbox_report report;
};

// What the child tells the parent through the report pipe (one write,
// below PIPE_BUF): what it applied, and its pid, which names its cgroup
// even when the spawn fails after all.
struct child_word {
  sandbox_report report;
  std::int64_t pid;
};

// The reason of a layer the child has still to apply: a parent-side
// refusal is anything else.
inline constexpr const char* not_reached = "not reached";

inline void set(sandbox_report& r, sandbox_layer l, layer_state st, int code, const char* why) noexcept {
  r[l] = layer_outcome{st, code, why};
}

// Child side: writes `data` to a file of /proc/self; 0 or the errno.
inline int write_proc(const char* path, const char* data) noexcept {
  int fd = ::open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  std::size_t n = ::strlen(data);
  int code = ::write(fd, data, n) == static_cast<ssize_t>(n) ? 0 : errno;
  ::close(fd);
  return code;
}

// Child side: brings `lo` up in a fresh network namespace.
inline int loopback_up() noexcept {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return errno;
  struct ifreq ifr;
  ::memset(&ifr, 0, sizeof ifr);
  ::memcpy(ifr.ifr_name, "lo", 3);
  int code = 0;
  if (::ioctl(fd, SIOCGIFFLAGS, &ifr) != 0) code = errno;
  ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
  if (code == 0 && ::ioctl(fd, SIOCSIFFLAGS, &ifr) != 0) code = errno;
  ::close(fd);
  return code;
}

// The signals the waiter and the init pass on to the program; with
// SIGCHLD, the set both wait for (blocked: fork_exec blocks every signal
// before the fork, and a blocked signal reaches even a pid 1 without a
// handler).
inline constexpr int forwarded_signals[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2};

inline void waited_signals(sigset_t& set) noexcept {
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  for (int sig : forwarded_signals) sigaddset(&set, sig);
}

// The next signal of `set` (blocked), or -1 with errno (EAGAIN: `timeout`
// passed, when given).
inline int next_signal(const sigset_t& set, const struct timespec* timeout = nullptr) noexcept {
  return static_cast<int>(::syscall(SYS_rt_sigtimedwait, &set, nullptr, timeout, static_cast<long>(_NSIG / 8)));
}

// CLOCK_MONOTONIC in nanoseconds (async-signal-safe).
inline std::int64_t monotonic_ns() noexcept {
  struct timespec t{};
  ::clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<std::int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec;
}

// Closes every descriptor but `keep`.
inline void close_all_but(int keep) noexcept {
  bool closed = ::syscall(SYS_close_range, static_cast<unsigned>(keep + 1), ~0u, 0u) == 0;
  if (keep > 0) closed = ::syscall(SYS_close_range, 0u, static_cast<unsigned>(keep - 1), 0u) == 0 && closed;
  if (closed) return;
  for (int fd = 0; fd < 1024; ++fd)
    if (fd != keep) ::close(fd);
}

// Ends this process the way wait status `st` says, a signal included: its
// disposition reset, no core dump of this process's own (the program made
// its own, where allowed).
[[noreturn]] inline void end_as(int st) noexcept {
  if (WIFSIGNALED(st)) {
    const int sig = WTERMSIG(st);
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    struct rlimit none{0, 0};
    ::setrlimit(RLIMIT_CORE, &none);
    struct sigaction dfl;
    ::memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    ::sigaction(sig, &dfl, nullptr);
    sigset_t only;
    sigemptyset(&only);
    sigaddset(&only, sig);
    ::sigprocmask(SIG_UNBLOCK, &only, nullptr);
    ::kill(::getpid(), sig);
    ::_exit(128 + sig);
  }
  ::_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 127);
}

// Child side: forks once more so that what follows runs in the new pid
// namespace (as its pid 1), when one was made. This process stays outside
// as the waiter: it passes the forwarded signals on, waits, kills the
// sandbox at the wall-clock limit (`wall_ns` after now, 0: none: the inner
// process, whose death ends the pid namespace; without one, the whole
// process group), and ends as the program did (its wait status comes from
// the init through a pipe; without it, as the inner process did). The
// inner process dies with it (PR_SET_PDEATHSIG). Returns in the inner
// process only, `status_fd` the pipe's write end.
inline int start_waiter(int& status_fd, std::int64_t wall_ns, bool pid_ns) noexcept {
  const std::int64_t deadline = wall_ns > 0 ? monotonic_ns() + wall_ns : 0;
  pid_t outer = ::getpid();
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) return errno;
  // Not ignored: an inherited SIG_IGN would reap the inner process unseen.
  struct sigaction dfl;
  ::memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  ::sigaction(SIGCHLD, &dfl, nullptr);
  long inner = ::syscall(SYS_clone, static_cast<long>(SIGCHLD), 0L, 0L, 0L, 0L);
  if (inner < 0) {
    const int code = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    return code;
  }
  if (inner == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    if (::getppid() != outer && ::getppid() != 0) ::_exit(127);  // the waiter is gone already
    ::close(fds[0]);
    status_fd = fds[1];
    return 0;
  }
  // The waiter: nothing of the parent's kept but the status pipe, default
  // signals, the waited ones blocked.
  ::close(fds[1]);
  int from = fds[0];
  if (from != 3) {
    if (::dup2(from, 3) == 3) from = 3;
  }
  close_all_but(from);
  for (int sig = 1; sig < NSIG; ++sig)  // SIGCHLD's is default already (a reset would drop it pending)
    if (sig != SIGKILL && sig != SIGSTOP && sig != SIGCHLD) ::sigaction(sig, &dfl, nullptr);
  sigset_t set;
  waited_signals(set);
  ::sigprocmask(SIG_SETMASK, &set, nullptr);
  int st = 0;
  bool killed = false;
  for (;;) {
    if (::waitpid(static_cast<pid_t>(inner), &st, WNOHANG) == static_cast<pid_t>(inner)) break;
    struct timespec left{};
    if (deadline != 0 && !killed) {
      const std::int64_t ns = deadline - monotonic_ns();
      if (ns <= 0) {
        killed = true;  // the wall-clock limit: everything of the sandbox dies
        ::kill(pid_ns ? static_cast<pid_t>(inner) : 0, SIGKILL);
        continue;
      }
      left.tv_sec = static_cast<time_t>(ns / 1000000000);
      left.tv_nsec = static_cast<long>(ns % 1000000000);
    }
    const int sig = next_signal(set, deadline != 0 && !killed ? &left : nullptr);
    if (sig < 0 && errno != EINTR && errno != EAGAIN) {
      while (::waitpid(static_cast<pid_t>(inner), &st, 0) < 0)
        if (errno != EINTR) ::_exit(127);
      break;
    }
    if (sig > 0 && sig != SIGCHLD) ::kill(static_cast<pid_t>(inner), sig);
  }
  int program = 0;
  if (::read(from, &program, sizeof program) == static_cast<ssize_t>(sizeof program)) st = program;
  end_as(st);
}

// Child side, pid 1 of the namespace, everything applied: forks the program
// as pid 2 (returns 0 there, or the errno of the fork) and stays as its
// init: no allocation, async-signal-safe calls only (the same filter and
// Landlock domain as the program). It reaps every child, passes the
// forwarded signals on to the program, and when the program ends writes
// its wait status to `status_fd` and exits (the kernel then ends whatever
// else runs in the namespace).
inline int become_init(int status_fd) noexcept {
  long program = ::syscall(SYS_clone, static_cast<long>(SIGCHLD), 0L, 0L, 0L, 0L);
  if (program < 0) return errno;
  if (program == 0) {
    ::close(status_fd);
    return 0;
  }
  close_all_but(status_fd);
  sigset_t set;
  waited_signals(set);  // blocked since fork_exec
  int options = WNOHANG;
  for (;;) {
    int st = 0;
    for (pid_t r; (r = ::waitpid(-1, &st, options)) > 0;) {
      if (r != static_cast<pid_t>(program)) continue;
      (void)::write(status_fd, &st, sizeof st);
      ::_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
    }
    const int sig = next_signal(set);
    if (sig > 0 && sig != SIGCHLD) ::kill(static_cast<pid_t>(program), sig);
    if (sig < 0 && errno != EINTR && errno != EAGAIN) options = 0;  // no signals: reap, forward nothing
  }
}

inline bool refuse_or_warn(const plan& p, int code, int& out) noexcept {
  if (p.s->missing == sandbox_missing::fail && out == 0) out = code != 0 ? code : EPERM;
  return false;
}

// Child side: joins the cgroups of the limits asked for (the pids
// cgroup's limit is written later, once the waiter and init are known to
// count); the memory limit is written at once. Returns the errno of the
// pids cgroup (0: joined), the memory cgroup's outcome in the report.
inline int join_cgroups(plan& p) noexcept {
  int pids = 0;
  cgroup_join_plan& cp = p.cgroups[static_cast<int>(cgroup_controller::pids)];
  if (cp.dir >= 0) pids = cgroup_join(cp.dir, limit_file(cgroup_controller::pids, cp.version), cp.limit_fd);
  cgroup_join_plan& cm = p.cgroups[static_cast<int>(cgroup_controller::memory)];
  if (cm.dir >= 0) {
    int e = cgroup_join(cm.dir, limit_file(cgroup_controller::memory, cm.version), cm.limit_fd);
    if (e == 0 && cm.limit_fd >= 0) {
      e = cgroup_limit(cm.limit_fd, p.s->limits.memory);
      cm.limit_fd = -1;
    }
    if (e == 0)
      set(p.report, sandbox_layer::memory_limit, layer_state::applied, cm.version,
          cm.version == 1 ? "a memory cgroup (v1)" : "a memory cgroup (v2)");
    else
      set(p.report, sandbox_layer::memory_limit, layer_state::refused, e, "the memory cgroup was refused");
  }
  return pids;
}

// The child side, between fork and exec: 0, or the errno that fails the
// spawn (sandbox_missing::fail). Writes the report either way.
inline int apply_in_child(plan& p) noexcept {
  const sandbox_settings& s = *p.s;
  sandbox_report& r = p.report;
  int fail = 0;
  const std::int64_t self = ::getpid();  // as the parent knows it: before the pid namespace
  // A killed caller leaves nothing behind: this process (the program, or
  // the waiter whose death takes the pid namespace along) dies with it.
  // (The parent is the thread that spawned: it must outlive the child.)
  ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (::getppid() != p.caller) ::_exit(127);  // gone already
  // The cgroups first: the processes made below count.
  int cgroup_refused = join_cgroups(p);
  if (r[sandbox_layer::memory_limit].state == layer_state::refused)
    refuse_or_warn(p, r[sandbox_layer::memory_limit].code, fail);
  cgroup_join_plan& pids_cgroup = p.cgroups[static_cast<int>(cgroup_controller::pids)];
  int cgroup_max = pids_cgroup.limit_fd;
  // A session of its own: no controlling terminal (TIOCSTI and the like
  // need one), and its own process group (pgid = pid).
  if (::setsid() < 0 && p.new_group && ::setpgid(0, 0) != 0) fail = errno;
  // Another user, from here on (its cgroups joined as root above): no
  // supplementary group, its ids, then dumpable again only while it writes
  // its own user namespace's maps (a set-user-id change leaves the process
  // not dumpable, and its /proc files root's).
  if (p.run_as) {
    if (::setgroups(0, nullptr) != 0 || ::setresgid(p.gid, p.gid, p.gid) != 0 || ::setresuid(p.uid, p.uid, p.uid) != 0)
      return errno;
  }
  if (p.flags != 0 && fail == 0) {
    if (p.run_as) ::prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
    int e = p.calls.unshare(p.flags);
    if (e == 0) e = write_proc("/proc/self/setgroups", "deny");
    if (e == 0) e = write_proc("/proc/self/uid_map", p.uid_map);
    if (e == 0) e = write_proc("/proc/self/gid_map", p.gid_map);
    if (p.run_as) ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    const sandbox_layer ns[] = {sandbox_layer::user_namespace, sandbox_layer::mount_namespace,
                                sandbox_layer::pid_namespace,  sandbox_layer::net_namespace,
                                sandbox_layer::ipc_namespace,  sandbox_layer::uts_namespace};
    for (sandbox_layer l : ns) {
      if (r[l].state == layer_state::off) continue;
      if (e == 0)
        set(r, l, layer_state::applied, 0, "a namespace of its own");
      else
        set(r, l, layer_state::refused, e, "unshare refused");
    }
    if (e != 0) {
      refuse_or_warn(p, e, fail);
    } else {
      // The read and exec trees read-only, in this mount namespace.
      const int m = remount_trees(p.mounts, p.mount_count);
      if (m == 0)
        set(r, sandbox_layer::readonly_mounts, layer_state::applied, 0, "the read and exec trees remounted read-only");
      else
        set(r, sandbox_layer::readonly_mounts, layer_state::refused, m, "a read-only remount was refused");
      if (m != 0) refuse_or_warn(p, m, fail);
      if (s.network == sandbox_network::loopback) {
        int lo = loopback_up();
        if (lo == 0)
          set(r, sandbox_layer::net_namespace, layer_state::applied, 0, "its own loopback, up");
        else
          set(r, sandbox_layer::net_namespace, layer_state::refused, lo, "loopback could not be brought up");
        if (lo != 0) refuse_or_warn(p, lo, fail);
      } else if (s.network == sandbox_network::none) {
        set(r, sandbox_layer::net_namespace, layer_state::applied, 0, "no interface up");
      }
      if (p.pid_ns && fail == 0) {
        // The waiter and the init keep nothing of the caller's a program could read.
        (void)forget_the_caller();
        int f = start_waiter(p.status_fd, p.wall_ns, true);
        if (f != 0) {
          set(r, sandbox_layer::pid_namespace, layer_state::refused, f, "the fork into it failed");
          refuse_or_warn(p, f, fail);
        } else {
          set(r, sandbox_layer::pid_namespace, layer_state::applied, 0, "the program is pid 2, under a minimal init");
          if (p.wall_ns > 0)
            set(r, sandbox_layer::wall_clock, layer_state::applied, 0,
                "the waiter kills the pid namespace at the limit");
        }
      } else if (p.pid_ns) {
        set(r, sandbox_layer::pid_namespace, layer_state::off, 0, "not entered");
      }
    }
  }
  const bool in_pid_ns = r[sandbox_layer::pid_namespace].state == layer_state::applied;
  // A wall-clock limit without a pid namespace: a waiter all the same, which
  // kills the process group at the limit.
  if (p.wall_ns > 0 && !in_pid_ns && fail == 0) {
    (void)forget_the_caller();
    const int f = start_waiter(p.status_fd, p.wall_ns, false);
    if (f == 0)
      set(r, sandbox_layer::wall_clock, layer_state::applied, 0, "the waiter kills the process group at the limit");
    else
      set(r, sandbox_layer::wall_clock, layer_state::refused, f, "the waiter could not be started");
    if (f != 0) refuse_or_warn(p, f, fail);
  }
  // /proc: the pid namespace's own (pid 1 mounts it), or none reachable.
  if (p.own_proc && fail == 0) {
    const int e = in_pid_ns && r[sandbox_layer::mount_namespace].state == layer_state::applied
                      ? mount_own_proc(p.ruleset, nr_landlock_add_rule, landlock_rule_path_beneath, file_only_rights,
                                       p.proc_rules, p.proc_rule_count)
                      : EPERM;
    if (e == 0)
      set(r, sandbox_layer::own_procfs, layer_state::applied, 0, "the /proc of its own pid namespace");
    else
      set(r, sandbox_layer::own_procfs, layer_state::refused, e,
          in_pid_ns ? "mounting the pid namespace's /proc was refused" : "the host's /proc: no pid namespace");
    if (e != 0) refuse_or_warn(p, e, fail);
  }
  // The process limit: the pids cgroup, else RLIMIT_NPROC (which binds no
  // process of real uid 0, fork(2) exempts it, in any user namespace). The
  // waiter outside the pid namespace and the init inside are two of the
  // processes.
  const sandbox_limits& lim = s.limits;
  const bool pid_ns = in_pid_ns;
  const std::uint64_t procs = lim.processes + (lim.processes != 0 && pid_ns ? 2 : 0);
  bool nproc = false;
  if (lim.processes != 0) {
    if (cgroup_refused == 0 && cgroup_max >= 0) cgroup_refused = cgroup_limit(cgroup_max, procs);
    if (pids_cgroup.dir >= 0 && cgroup_refused == 0) {
      set(r, sandbox_layer::process_limit, layer_state::applied, pids_cgroup.version,
          pids_cgroup.version == 1 ? "a pids cgroup (v1)" : "a pids cgroup (v2)");
    } else if (!p.root) {
      nproc = true;
      set(r, sandbox_layer::process_limit, layer_state::applied, cgroup_refused,
          pids_cgroup.dir >= 0 ? "RLIMIT_NPROC (the pids cgroup was refused)"
                               : "RLIMIT_NPROC (no writable pids cgroup)");
    } else {
      const int e = cgroup_refused != 0 ? cgroup_refused : EPERM;
      set(r, sandbox_layer::process_limit, layer_state::refused, e,
          pids_cgroup.dir >= 0 ? "the pids cgroup was refused, and RLIMIT_NPROC binds no process of real uid 0"
                               : "no writable pids cgroup, and RLIMIT_NPROC binds no process of real uid 0");
      refuse_or_warn(p, e, fail);
    }
  }
  if (cgroup_max >= 0 && lim.processes == 0) ::close(cgroup_max);
  pids_cgroup.limit_fd = -1;
  const posix_sandbox::rlimit_plan limits(lim, nproc ? procs : 0);
  if (limits.any()) {
    if (int rl = limits.apply(); rl != 0) {
      set(r, sandbox_layer::rlimits, layer_state::refused, rl, "setrlimit refused");
      if (nproc) set(r, sandbox_layer::process_limit, layer_state::refused, rl, "setrlimit refused");
      refuse_or_warn(p, rl, fail);
    } else {
      set(r, sandbox_layer::rlimits, layer_state::applied, 0, "setrlimit");
    }
  }
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0) {
    set(r, sandbox_layer::no_new_privs, layer_state::applied, 0, "no set-user-id or file capabilities gained");
  } else {
    set(r, sandbox_layer::no_new_privs, layer_state::refused, errno, "prctl refused");
    refuse_or_warn(p, errno, fail);
  }
  if (p.ruleset >= 0) {
    if (::syscall(nr_landlock_restrict_self, p.ruleset, 0u) != 0) {
      int e = errno;
      const sandbox_layer ll[] = {sandbox_layer::landlock_fs, sandbox_layer::landlock_net,
                                  sandbox_layer::landlock_scope};
      for (sandbox_layer l : ll)
        if (r[l].state == layer_state::applied) set(r, l, layer_state::refused, e, "landlock_restrict_self refused");
      refuse_or_warn(p, e, fail);
    }
  }
  // Without a mount namespace the read-only trees are not remounted: the
  // filter refuses metadata changes through descriptors too.
  const bool mounts = r[sandbox_layer::readonly_mounts].state == layer_state::applied;
  if (p.seccomp) {
    int e = p.calls.seccomp_install(mounts ? &p.fprog : &p.fprog_no_mounts);
    if (e == 0) {
      set(r, sandbox_layer::seccomp, layer_state::applied, 0, "filter installed");
      if (!mounts && r[sandbox_layer::readonly_mounts].reason == not_reached)
        set(r, sandbox_layer::readonly_mounts, layer_state::applied, 0,
            "no mount namespace: metadata changes refused by the filter, by path and by descriptor");
    } else {
      set(r, sandbox_layer::seccomp, layer_state::refused, e, "the filter was refused");
      refuse_or_warn(p, e, fail);
    }
  }
  if (r[sandbox_layer::readonly_mounts].state == layer_state::refused && !mounts &&
      r[sandbox_layer::readonly_mounts].reason == not_reached) {
    set(r, sandbox_layer::readonly_mounts, layer_state::refused, 0,
        "no mount namespace and no filter: a descriptor could change metadata");
    refuse_or_warn(p, EPERM, fail);
  }
  const child_word said{r, self};
  (void)write_all(p.report_fd, reinterpret_cast<const char*>(&said), sizeof said);
  if (fail != 0 || !pid_ns) return fail;
  return become_init(p.status_fd);  // returns in the program only
}

// Parent side: the Landlock ruleset of `s` (its rules added), or -1 with
// the report saying why.
inline int make_ruleset(const sandbox_settings& s, const spawn_request& req, const sandbox_calls& calls,
                        sandbox_report& r) noexcept {
  int abi = calls.landlock_abi();
  r.landlock_abi = abi > 0 ? abi : 0;
  const bool want_net = s.network == sandbox_network::none;
  if (abi < 1) {
    const char* why = abi == -ENOSYS ? "the kernel has no Landlock" : "Landlock is disabled";
    set(r, sandbox_layer::landlock_fs, layer_state::refused, -abi, why);
    if (want_net) set(r, sandbox_layer::landlock_net, layer_state::refused, -abi, why);
    set(r, sandbox_layer::landlock_scope, layer_state::refused, -abi, why);
    return -1;
  }
  ruleset_attr attr{fs_rights(abi), 0, 0};
  if (want_net) {
    if (abi >= 4)
      attr.handled_access_net = net_bind_tcp | net_connect_tcp;
    else
      set(r, sandbox_layer::landlock_net, layer_state::refused, abi, "TCP rules need Landlock ABI 4");
  }
  if (abi >= 6)
    attr.scoped = scope_abstract_unix_socket | scope_signal;
  else
    set(r, sandbox_layer::landlock_scope, layer_state::refused, abi, "scoping needs Landlock ABI 6");
  int fd = static_cast<int>(::syscall(nr_landlock_create_ruleset, &attr, sizeof attr, 0u));
  if (fd < 0) {
    set(r, sandbox_layer::landlock_fs, layer_state::refused, errno, "landlock_create_ruleset refused");
    return -1;
  }
  ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  const std::uint64_t all = fs_rights(abi);
  const std::uint64_t read = fs_read_file | fs_read_dir;
  const auto add = [&](const char* path, std::uint64_t rights) {
    int dir = ::open(path, O_PATH | O_CLOEXEC);
    if (dir < 0) return;  // nothing there: nothing to allow
    struct stat st;
    if (::fstat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) rights &= file_only_rights;
    path_beneath_attr rule{rights & all, dir};
    (void)::syscall(nr_landlock_add_rule, fd, landlock_rule_path_beneath, &rule, 0u);
    ::close(dir);
  };
  for (const text& p : s.read) add(p.c_str(), read);
  for (const text& p : s.exec) add(p.c_str(), read | fs_execute);
  for (const text& p : s.write) add(p.c_str(), all & ~fs_execute);
  add(req.program, fs_read_file | fs_execute);
  set(r, sandbox_layer::landlock_fs, layer_state::applied, abi, "only the allowed paths");
  if (attr.handled_access_net != 0)
    set(r, sandbox_layer::landlock_net, layer_state::applied, abi, "no TCP bind or connect");
  if (attr.scoped != 0)
    set(r, sandbox_layer::landlock_scope, layer_state::applied, abi, "no abstract unix socket or signal outside");
  return fd;
}

}  // namespace vitte::sys::detail::linux_sandbox

namespace vitte::sys {

VITTE_DECL int sandbox_kernel::landlock_abi() noexcept {
  long v = ::syscall(detail::linux_sandbox::nr_landlock_create_ruleset, nullptr, 0,
                     detail::linux_sandbox::landlock_create_ruleset_version);
  return v < 0 ? -errno : static_cast<int>(v);
}

VITTE_DECL int sandbox_kernel::unshare(int flags) noexcept { return ::unshare(flags) == 0 ? 0 : errno; }

VITTE_DECL int sandbox_kernel::seccomp_install(const void* program) noexcept {
  return ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, program, 0, 0) == 0 ? 0 : errno;
}

VITTE_DECL error detail::sandbox_spawn(sandbox_session& session, const spawn_request& req,
                                       native_process& out) noexcept {
  namespace ls = detail::linux_sandbox;
  const sandbox_settings& s = *session.settings;
  ls::plan p;
  p.s = &s;
  p.calls = session.calls;
  p.run_as = s.uid >= 0 || s.gid >= 0;
  p.uid = s.uid >= 0 ? static_cast<uid_t>(s.uid) : ::getuid();
  p.gid = s.gid >= 0 ? static_cast<gid_t>(s.gid) : ::getgid();
  if (p.run_as && ::getuid() != 0)
    return error{errc::permission_denied, ops::process_spawn, EPERM, error_domain::posix};
  p.root = p.uid == 0;
  p.caller = ::getpid();
  sandbox_report& r = p.report;
  ls::set(r, sandbox_layer::job_object, layer_state::off, 0, "Windows only");
  ls::set(r, sandbox_layer::ui_restrictions, layer_state::off, 0, "Windows only");

  // The environment: cleared but for the names kept.
  spawn_request child = req;
  buffer<const char*> envp;
  if (int kept = posix_sandbox::filter_environment(s, child, envp); kept >= 0)
    ls::set(r, sandbox_layer::environment, layer_state::applied, kept, "cleared");

  // The cgroups of the process and memory limits: made by the child in these directories.
  const auto open_cgroup = [&p](ls::cgroup_controller c) {
    const ls::cgroup_place& place = ls::cgroup_place_once(c);
    ls::cgroup_join_plan& j = p.cgroups[static_cast<int>(c)];
    j.version = place.version;
    // Found once; whether this process may write there is asked each time (its ids may change).
    if (place.version == 0 || ::access(place.dir.c_str(), W_OK | X_OK) != 0) return;
    ls::cgroup_sweep(place.dir.c_str());  // what killed callers left
    j.dir = ::open(place.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (j.dir >= 0) ls::cgroups_made().store(true);
  };
  if (s.limits.processes != 0) {
    open_cgroup(ls::cgroup_controller::pids);
    if (p.root && p.cgroups[0].dir < 0)
      ls::set(r, sandbox_layer::process_limit, layer_state::refused, EPERM,
              "no writable pids cgroup, and RLIMIT_NPROC binds no process of real uid 0");
  }
  if (s.limits.memory != 0) {
    open_cgroup(ls::cgroup_controller::memory);
    if (p.cgroups[1].dir < 0)
      ls::set(r, sandbox_layer::memory_limit, layer_state::refused, p.cgroups[1].version == 0 ? ENOENT : EACCES,
              "no memory cgroup this process may write");
  }
  p.wall_ns = s.limits.wall_seconds > 0 && s.limits.wall_seconds < 9000000000ull
                  ? static_cast<std::int64_t>(s.limits.wall_seconds) * 1000000000
                  : 0;

  // The trees, resolved and ordered, for the read-only remount; the trees
  // that reach /proc, for the pid namespace's own.
  buffer<ls::mount_step> mounts;
  buffer<ls::proc_rule> proc_rules;
  const std::uint64_t read = ls::fs_read_file | ls::fs_read_dir;
  const std::uint64_t all = ls::fs_rights(7) & ~ls::fs_execute;
  const struct {
    const buffer<text>* list;
    bool writable;
    std::uint64_t rights;
  } lists[] = {{&s.read, false, read}, {&s.exec, false, read | ls::fs_execute}, {&s.write, true, all}};
  for (const auto& l : lists)
    for (const text& t : *l.list) {
      if (ls::reaches_proc(text_view(t))) {
        p.own_proc = true;
        if (text_view(t) != "/") proc_rules.push_back(ls::proc_rule{t.c_str(), l.rights});
        if (text_view(t) != "/") continue;  // remounted read-only beneath the pid namespace's own
      }
      if (s.namespaces) ls::plan_mount(mounts, t.c_str(), l.writable);
    }
  if (s.namespaces) ls::plan_mount(mounts, req.program, false);
  ls::order_mounts(mounts);
  ls::drop_covered(mounts);
  p.mounts = mounts.data();
  p.mount_count = mounts.size();
  p.proc_rules = proc_rules.data();
  p.proc_rule_count = proc_rules.size();

  if (s.namespaces) {
    p.flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS;
    if (s.network != sandbox_network::any) p.flags |= CLONE_NEWNET;
    p.pid_ns = true;
    const sandbox_layer ns[] = {sandbox_layer::user_namespace, sandbox_layer::mount_namespace,
                                sandbox_layer::pid_namespace, sandbox_layer::ipc_namespace,
                                sandbox_layer::uts_namespace};
    for (sandbox_layer l : ns) ls::set(r, l, layer_state::refused, 0, ls::not_reached);
    if (s.network != sandbox_network::any)
      ls::set(r, sandbox_layer::net_namespace, layer_state::refused, 0, ls::not_reached);
    // Its own ids (the run_as user's) mapped to themselves.
    ::snprintf(p.uid_map, sizeof p.uid_map, "%u %u 1\n", static_cast<unsigned>(p.uid), static_cast<unsigned>(p.uid));
    ::snprintf(p.gid_map, sizeof p.gid_map, "%u %u 1\n", static_cast<unsigned>(p.gid), static_cast<unsigned>(p.gid));
  } else {
    if (s.network == sandbox_network::loopback)
      ls::set(r, sandbox_layer::net_namespace, layer_state::refused, 0, "loopback only needs a network namespace");
    if (p.own_proc)
      ls::set(r, sandbox_layer::own_procfs, layer_state::refused, 0,
              "the host's /proc: namespaces are off (every process's entries are visible)");
  }
  if (s.limits.wall_seconds != 0) ls::set(r, sandbox_layer::wall_clock, layer_state::refused, 0, ls::not_reached);
  if (p.own_proc && s.namespaces) ls::set(r, sandbox_layer::own_procfs, layer_state::refused, 0, ls::not_reached);
  ls::set(r, sandbox_layer::readonly_mounts, layer_state::refused, 0, ls::not_reached);
  p.ruleset = ls::make_ruleset(s, req, p.calls, r);
  for (ls::proc_rule& rule : proc_rules) rule.rights &= ls::fs_rights(r.landlock_abi);

  ls::bpf_program prog, prog_no_mounts;
  if (ls::audit_arch == 0) {
    ls::set(r, sandbox_layer::seccomp, layer_state::unsupported, 0, "no filter for this architecture");
  } else {
    ls::build_filter(s, false, prog);
    ls::build_filter(s, true, prog_no_mounts);
    p.seccomp = !prog.overflow && !prog_no_mounts.overflow;
    p.fprog.len = static_cast<unsigned short>(prog.size);
    p.fprog.filter = prog.code;
    p.fprog_no_mounts.len = static_cast<unsigned short>(prog_no_mounts.size);
    p.fprog_no_mounts.filter = prog_no_mounts.code;
    ls::set(r, sandbox_layer::seccomp, layer_state::refused, 0, p.seccomp ? ls::not_reached : "the filter is too long");
  }
  ls::set(r, sandbox_layer::no_new_privs, layer_state::refused, 0, ls::not_reached);

  const auto release = [&p] {
    if (p.ruleset >= 0) ::close(p.ruleset);
    for (ls::cgroup_join_plan& c : p.cgroups)
      if (c.dir >= 0) ::close(c.dir);
  };
  // sandbox_missing::fail: what the parent already knows is missing
  // refuses before a fork (a layer the child finds missing refuses there,
  // before the exec).
  if (s.missing == sandbox_missing::fail)
    for (const layer_outcome& l : r.layers)
      if ((l.state == layer_state::refused || l.state == layer_state::unsupported) && l.reason != ls::not_reached) {
        release();
        for (layer_outcome& o : r.layers)
          if (o.reason == ls::not_reached)
            o = layer_outcome{layer_state::off, 0, "not attempted: the spawn was refused"};
        session.report = r;
        return error{errc::not_supported, ops::process_spawn};
      }

  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    const int code = errno;
    release();
    return errno_error(ops::process_spawn, code);
  }
  p.report_fd = pipe_fds[1];
  p.new_group = child.new_group;
  child.new_group = false;  // the child does it, before the pid namespace's fork
  error e = posix_process::fork_exec(child, out, ops::process_spawn, [&p] { return ls::apply_in_child(p); });
  ::close(pipe_fds[1]);
  const bool made_cgroup = p.cgroups[0].dir >= 0 || p.cgroups[1].dir >= 0;
  release();
  ls::child_word got;
  got.pid = 0;
  if (::read(pipe_fds[0], &got, sizeof got) == static_cast<ssize_t>(sizeof got)) r = got.report;
  ::close(pipe_fds[0]);
  session.report = r;
  if (e) {
    // A child that failed before exec was reaped by fork_exec: its cgroups go too.
    if (made_cgroup && got.pid > 0) ls::cgroup_remove(got.pid);
    return e;
  }
  if (p.new_group) {
    (void)::setpgid(static_cast<pid_t>(out.id), static_cast<pid_t>(out.id));
    out.group = out.id;
  }
  return {};
}

VITTE_DECL void detail::sandbox_reaped(std::int64_t id) noexcept { detail::linux_sandbox::cgroup_remove(id); }

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_LINUX_SANDBOX_IPP
