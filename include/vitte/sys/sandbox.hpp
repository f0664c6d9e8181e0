// vitte/sys/sandbox.hpp - run a child with only what it needs.
//
// A sandbox describes what a child process may do: the paths it may read,
// write and execute, whether it may use the network, which system calls it
// may make, how much CPU time, memory, descriptors, processes and file size
// it gets, and whether it sees the parent's environment. spawn() and
// output() start a command under it and say, layer by layer, what the OS
// enforced and what it refused.
//
//   namespace sys = vitte::sys;
//   sys::sandbox box;
//   box.system_runtime().allow_read("src").allow_write("out").network(sys::sandbox_network::none)
//      .limits({.cpu_seconds = 60, .address_space = 2ull << 30});
//   auto r = box.output(sys::sandbox_command("cc").args({"-c", "src/x.c", "-o", "out/x.o"})).value();
//   if (!r.report.complete()) std::fputs(r.report.to_json().c_str(), stderr);
//
// What each platform enforces (docs/SANDBOX.md has the details):
//   Linux    user, mount, pid, net, ipc and uts namespaces (where the kernel
//            lets an unprivileged process make them); Landlock with the best
//            ABI the kernel offers (file rights; TCP bind/connect from ABI 4;
//            abstract unix sockets and signals scoped from ABI 6); a seccomp
//            filter built from the profile; no_new_privs; rlimits.
//   Windows  a job object (process count, memory, CPU time, kill on close,
//            UI restrictions). Paths and network are not enforced: the
//            report says so.
//   Darwin, BSD  rlimits only (sandbox_init is deprecated): the report says so.
//   Freestanding  no processes: naming a sandbox fails to compile.
//
// Guarantees: a layer asked for and not enforced is never silent; with
// on_missing(sandbox_missing::fail) the spawn fails instead (the report
// still says why). The child is a basic_child of the sandboxed policy:
// wait, kill, deadlines and output capture work as for sys::command.
//
// Errors: those of sys::command's spawn (process_spawn, find_program, ...);
// with sandbox_missing::fail, process_spawn with the errno of the first
// layer refused (not_supported when the parent found it missing), before
// any code of the program runs: describe(last_report()) names the layer.
// Thread safety: a sandbox is a value; spawning under one sandbox from
// several threads at once is safe.
#ifndef VITTE_SYS_SANDBOX_HPP
#define VITTE_SYS_SANDBOX_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>  // path lists
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/platform.hpp>
#include <vitte/sys/process.hpp>
#include <vitte/sys/process_types.hpp>

#include <cstddef>  // std::size_t
#include <cstdint>
#include <initializer_list>

namespace vitte::sys {

/// What the child may do with the network.
enum class sandbox_network : std::uint8_t {
  none,      ///< Nothing: a namespace with no interface up; no socket but socketpair; TCP denied by Landlock.
  loopback,  ///< Its own loopback only (a namespace with `lo` up), IP sockets only: never the host's.
  any,       ///< The host's network.
};

/// Which system calls the seccomp filter lets through.
enum class syscall_profile : std::uint8_t {
  unfiltered,  ///< No filter.
  standard,    ///< All but the dangerous ones (ptrace, mount, namespaces, bpf, io_uring, keyrings, modules...).
  compiler,    ///< Only what compilers, linkers and build tools use (files, memory, processes, pipes).
};

/// What a call the filter refuses does.
enum class syscall_action : std::uint8_t {
  deny,  ///< Fails with EPERM.
  kill,  ///< Kills the process (SIGSYS).
};

/// Whether a protection the OS refuses fails the spawn.
enum class sandbox_missing : std::uint8_t {
  warn,  ///< Run anyway; the report says what is missing.
  fail,  ///< Do not run the program.
};

/// Resource limits; 0 leaves one unlimited.
struct sandbox_limits {
  std::uint64_t cpu_seconds = 0;  ///< CPU time of each process (RLIMIT_CPU; a job's user time on Windows).
  std::uint64_t address_space =
      0;                           ///< Bytes of address space of each process (RLIMIT_AS; committed memory on Windows).
  std::uint64_t open_files = 0;    ///< Descriptors (RLIMIT_NOFILE; at least 4).
  std::uint64_t processes = 0;     ///< Processes, the child included (a pids cgroup, else RLIMIT_NPROC).
  std::uint64_t file_size = 0;     ///< Bytes one file may grow to: output size (RLIMIT_FSIZE).
  std::uint64_t memory = 0;        ///< Bytes of memory of the whole sandbox, every process together (a memory cgroup).
  std::uint64_t wall_seconds = 0;  ///< Wall-clock time: at the limit every process of the sandbox is killed (SIGKILL).
};

/// The protections a report covers.
enum class sandbox_layer : std::uint8_t {
  user_namespace,
  mount_namespace,
  pid_namespace,
  net_namespace,
  ipc_namespace,
  uts_namespace,
  no_new_privs,
  landlock_fs,
  landlock_net,
  landlock_scope,
  seccomp,
  rlimits,
  environment,
  job_object,
  ui_restrictions,
  process_limit,    ///< The process limit: a pids cgroup, RLIMIT_NPROC or a job's count (the reason says which).
  readonly_mounts,  ///< Read and exec trees remounted read-only (no metadata change as root either).
  own_procfs,       ///< A /proc of the sandbox's own pid namespace, when /proc is allowed.
  memory_limit,     ///< The whole sandbox's memory: a memory cgroup.
  wall_clock,       ///< The wall-clock limit: a waiter outside kills the sandbox at the deadline.
};
inline constexpr std::size_t sandbox_layer_count = 20;

/// What became of one layer.
enum class layer_state : std::uint8_t {
  off,          ///< Not asked for (or not needed by what was asked).
  applied,      ///< Enforced.
  refused,      ///< Asked for; the OS refused it (code: the errno, or what the kernel lacks).
  unsupported,  ///< Asked for; this platform has no such mechanism.
};

/// One layer's outcome: its state, the errno or Landlock ABI behind it, and
/// a short static reason.
struct layer_outcome {
  layer_state state = layer_state::off;
  int code = 0;
  const char* reason = "";
};

/// Which protections a spawn applied and which the OS refused.
struct sandbox_report {
  layer_outcome layers[sandbox_layer_count] = {};
  int landlock_abi = 0;  ///< The ABI the kernel reported (0: no Landlock).

  const layer_outcome& operator[](sandbox_layer l) const noexcept { return layers[static_cast<std::size_t>(l)]; }
  layer_outcome& operator[](sandbox_layer l) noexcept { return layers[static_cast<std::size_t>(l)]; }
  /// True when no layer asked for was refused or unsupported.
  VITTE_DECL bool complete() const noexcept;
  /// {"landlock_abi":7,"complete":true,"layers":{"user_namespace":{"state":"applied","code":0,"reason":"..."},...}}
  VITTE_DECL text to_json() const;
};

/// "user_namespace", "landlock_fs", ...
VITTE_DECL text_view to_string(sandbox_layer l) noexcept;
/// "off", "applied", "refused", "unsupported".
VITTE_DECL text_view to_string(layer_state s) noexcept;
/// The first layer of `r` asked for and not enforced: its name as the
/// subject, its state, code and reason as the message ("landlock_net:
/// refused (code 3): TCP rules need Landlock ABI 4"); nothing recorded
/// (errc::ok) when `r` is complete.
VITTE_DECL diagnostic describe(const sandbox_report& r) noexcept;

/// Reads a limit list "cpu=S,mem=B,as=B,files=N,procs=N,fsize=B,wall=S"
/// (mem: the whole sandbox's memory; as: each process's address space;
/// bytes take the suffixes B, k, K, M, G, T, KiB, MiB, GiB, TiB, powers of 1024,
/// as every size vitte reads; any subset, in any order) into
/// `out`. On success every limit named is from 1 to 2^64-1 and the others
/// are 0; on failure `out` is unchanged and `problem` (when given) says
/// what and at which byte of `spec` ("at offset 0x6: unknown limit 'disk'").
/// Errors: invalid_argument (an unknown name, a bad or zero number, a
/// repeat, an empty item).
VITTE_DECL status parse_sandbox_limits(text_view spec, sandbox_limits& out, diagnostic* problem = nullptr) noexcept;
/// "none", "loopback", "any". Errors: invalid_argument (`problem` at offset 0).
VITTE_DECL status parse_sandbox_network(text_view s, sandbox_network& out, diagnostic* problem = nullptr) noexcept;

/// Everything a sandbox says, as plain data (what the backends read).
struct sandbox_settings {
  buffer<text> read;   ///< Readable trees.
  buffer<text> write;  ///< Readable and writable trees.
  buffer<text> exec;   ///< Readable and executable trees.
  sandbox_network network = sandbox_network::none;
  syscall_profile profile = syscall_profile::standard;
  syscall_action action = syscall_action::deny;
  sandbox_limits limits;
  bool clear_env = false;
  buffer<text> keep_env;  ///< With clear_env: the variables kept.
  std::int64_t uid = -1;  ///< run_as: the user the program runs as (-1: the caller's).
  std::int64_t gid = -1;  ///< run_as: its group (-1: the caller's).
  bool namespaces = true;
  bool ui_restrictions = true;  ///< Windows: no desktop, clipboard or global atoms of others.
  sandbox_missing missing = sandbox_missing::warn;
};

/// The kernel calls a sandbox's setup depends on: the seam a test replaces
/// to act as an older or stricter kernel. Derive and hide what to change:
///
///   struct old_kernel : vitte::sys::sandbox_kernel {
///     static int landlock_abi() noexcept { return -ENOSYS; }
///     static int unshare(int) noexcept { return EPERM; }
///   };
///   vitte::sys::basic_sandbox<vitte::sys::platform, old_kernel> box;
///
/// unshare and seccomp_install run in the child after fork: they must stay
/// async-signal-safe.
struct sandbox_kernel {
  /// The Landlock ABI version, or -errno (ENOSYS, EOPNOTSUPP: none).
  static VITTE_DECL int landlock_abi() noexcept;
  /// unshare(flags): 0 or the errno.
  static VITTE_DECL int unshare(int flags) noexcept;
  /// Installs a seccomp filter (a sock_fprog): 0 or the errno.
  static VITTE_DECL int seccomp_install(const void* program) noexcept;
};

namespace detail {

struct sandbox_calls {
  int (*landlock_abi)() noexcept;
  int (*unshare)(int) noexcept;
  int (*seccomp_install)(const void*) noexcept;
};

// What a spawn under a sandbox reads and writes: set by basic_sandbox for
// the duration of one spawn, read by sandboxed<P>::process_spawn.
struct sandbox_session {
  const sandbox_settings* settings = nullptr;
  sandbox_calls calls{};
  sandbox_report report;
};

inline sandbox_session*& sandbox_slot() noexcept {
  static thread_local sandbox_session* current = nullptr;
  return current;
}

/// Spawns `req` under the session's settings (the backend of this OS).
VITTE_DECL error sandbox_spawn(sandbox_session& s, const spawn_request& req, native_process& out) noexcept;
/// The child `id` was reaped: what its spawn made for it goes (Linux: its
/// pids cgroup).
VITTE_DECL void sandbox_reaped(std::int64_t id) noexcept;

}  // namespace detail

/// The sandboxed process policy: P, whose process_spawn applies the
/// sandbox of the basic_sandbox call that runs it. A command of this policy
/// spawned any other way is refused (permission_denied): never unconfined.
template <class P>
struct sandboxed : P {
  static error process_spawn(const spawn_request& req, native_process& out) noexcept {
    detail::sandbox_session* s = detail::sandbox_slot();
    if (s == nullptr) return error{errc::permission_denied, ops::process_spawn};
    return detail::sandbox_spawn(*s, req, out);
  }
  static error process_wait(native_process& p, std::int64_t deadline_ns, exit_status& out) noexcept {
    const std::int64_t id = p.id;
    error e = P::process_wait(p, deadline_ns, out);
    if (!e) detail::sandbox_reaped(id);
    return e;
  }
};

/// Platforms with child processes can sandbox them (what each enforces
/// varies; the report says).
template <class P>
concept sandbox_capability = process_capability<P>;

/// A child under a sandbox and the report of its spawn.
template <class P>
struct sandbox_child {
  basic_child<sandboxed<P>> child;
  sandbox_report report;
};

/// What output() collected and the report of the spawn.
struct sandbox_output {
  process_output output;
  sandbox_report report;
};

/// A description of what a child may do, and the way to start one under
/// it. Nothing is allowed until asked: no path (system_runtime() adds the
/// system's programs and libraries), no network, the standard syscall
/// profile, namespaces on, no limits, the environment passed. The program
/// run is always executable.
template <class P = platform, class K = sandbox_kernel>
class basic_sandbox {
  VITTE_REQUIRE_CAPABILITY(P, sandbox);

 public:
  using command_type = basic_command<sandboxed<P>>;

  /// Lets the child read the tree at `path` (files and directories).
  basic_sandbox& allow_read(text path) { return add(&sandbox_settings::read, static_cast<text&&>(path)); }
  /// Lets the child read, write, create and remove in the tree at `path`.
  basic_sandbox& allow_write(text path) { return add(&sandbox_settings::write, static_cast<text&&>(path)); }
  /// Lets the child read and execute in the tree at `path`.
  basic_sandbox& allow_exec(text path) { return add(&sandbox_settings::exec, static_cast<text&&>(path)); }
  /// Read and execute /usr, /bin, /sbin, /lib*, read /etc and /dev/urandom,
  /// write /dev/null: what a dynamically linked program needs to start.
  basic_sandbox& system_runtime();
  /// Read and execute /usr, /bin, /sbin, /lib*, read of the dynamic
  /// loader's cache and configuration and of /etc/localtime, read
  /// /dev/urandom, write /dev/null: the system runtime without the rest of
  /// /etc (no passwd, hosts, ssl, ...).
  basic_sandbox& minimal_runtime();
  /// The program runs as user `uid` and group `gid`, with no supplementary
  /// group (the caller must be root: otherwise the spawn fails with
  /// permission_denied). The sandbox's init runs as that user too. POSIX
  /// only: on Windows the spawn fails with not_supported.
  basic_sandbox& run_as(std::uint32_t uid, std::uint32_t gid) noexcept {
    set(&sandbox_settings::uid, static_cast<std::int64_t>(uid));
    return set(&sandbox_settings::gid, static_cast<std::int64_t>(gid));
  }
  basic_sandbox& network(sandbox_network n) noexcept { return set(&sandbox_settings::network, n); }
  basic_sandbox& syscalls(syscall_profile p, syscall_action a = syscall_action::deny) noexcept {
    set(&sandbox_settings::profile, p);
    return set(&sandbox_settings::action, a);
  }
  basic_sandbox& limits(const sandbox_limits& l) noexcept { return set(&sandbox_settings::limits, l); }
  /// The child starts with an empty environment but `keep` (values from the
  /// command's environment).
  basic_sandbox& clear_environment(std::initializer_list<text_view> keep = {});
  /// Linux namespaces (user, mount, pid, ipc, uts, and net unless network
  /// is any). Off: Landlock and seccomp still isolate.
  basic_sandbox& namespaces(bool on) noexcept { return set(&sandbox_settings::namespaces, on); }
  basic_sandbox& on_missing(sandbox_missing m) noexcept { return set(&sandbox_settings::missing, m); }

  /// Starts `cmd` under the sandbox. Errors: those of command::spawn; with
  /// sandbox_missing::fail, process_spawn with the errno of the first layer
  /// refused, the program not started (describe(last_report()) names it).
  result<sandbox_child<P>> spawn(const command_type& cmd) const;
  /// Runs `cmd` under the sandbox with stdout and stderr captured (as
  /// command::output).
  result<sandbox_output> output(const command_type& cmd, basic_deadline<P> d = basic_deadline<P>::never(),
                                std::size_t limit = unlimited_output) const;
  /// The report of the last spawn that failed (sandbox_missing::fail).
  const sandbox_report& last_report() const noexcept { return last_; }

  const sandbox_settings& settings() const noexcept { return s_; }

 private:
  template <class Run>
  auto under(Run run) const;
  basic_sandbox& add(buffer<text> sandbox_settings::* list, text path);
  template <class T>
  basic_sandbox& set(T sandbox_settings::* field, const T& v) noexcept {
    s_.*field = v;
    return *this;
  }

  sandbox_settings s_;
  mutable sandbox_report last_;
};

/// The sandbox, command and child of the default platform.
using sandbox = basic_sandbox<platform>;
using sandbox_command = basic_command<sandboxed<platform>>;
using sandboxed_child = basic_child<sandboxed<platform>>;

}  // namespace vitte::sys

#include <vitte/sys/impl/sandbox.hpp>
#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/sandbox.ipp>
#endif

#endif  // VITTE_SYS_SANDBOX_HPP
