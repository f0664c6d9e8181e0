// vitte/sys/process.hpp - child processes: spawn, wait, signal, capture.
//
// A command is a program and its arguments, passed to the OS as they are:
// never through a shell, so no argument is ever re-parsed (on Windows each
// one is quoted so that the child's CommandLineToArgvW gives it back
// exactly). The environment is inherited, cleared or edited; the working
// directory and each of stdin, stdout and stderr are chosen per command.
//
//   namespace sys = vitte::sys;
//   auto out = sys::command("cc").args({"-c", "x.c", "-o", "x.o"}).cwd("build")
//                  .env("LANG", "C").output(sys::deadline::after(std::chrono::seconds(60)))
//                  .value();
//   if (!out.status.success()) std::fputs(out.err.c_str(), stderr);
//
//   std::puts(sys::command("ld").arg("-o").arg("my app").dry_run().value().c_str());
//   // prints: /usr/bin/ld -o 'my app'
//
// Guarantees:
//   - The program is found on PATH by vitte (find_program), never in the
//     current directory unless PATH names it; a path with a separator is
//     used as is (relative to the caller's current directory).
//   - A program that cannot be executed is an error value (not_found,
//     permission_denied, exec_format, ...) from spawn(), never exit code 127.
//   - Each child leads a process group of its own (a job object on
//     Windows): kill() and deadlines stop it and everything it started.
//   - No descriptor of the parent leaks into the child but the three
//     standard ones and those given to pass() (close-on-exec everywhere,
//     and on Linux and Darwin the spawn closes every other descriptor as
//     well).
//   - output() reads stdout and stderr together (poll, or overlapped pipes
//     on Windows): a child writing a lot to both never deadlocks.
//   - A child object that goes away unwaited kills its group and reaps it:
//     no zombies (detach() opts out).
//
// Errors carry process_spawn, process_wait, process_kill, pipe_create or
// find_program. Thread safety: commands and children are values; spawning
// from several threads at once is safe.
#ifndef VITTE_SYS_PROCESS_HPP
#define VITTE_SYS_PROCESS_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>  // arguments
#include <vitte/base/text.hpp>    // programs, arguments, captured output
#include <vitte/base/text_view.hpp>
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/file.hpp>  // pipes are files
#include <vitte/sys/operations.hpp>
#include <vitte/sys/platform.hpp>
#include <vitte/sys/process_types.hpp>
#include <vitte/sys/time.hpp>  // deadlines

#include <cstddef>           // std::size_t
#include <cstdint>           // ids
#include <initializer_list>  // args({...})

namespace vitte::sys {

/// Where one of a child's standard streams goes.
class stdio {
 public:
  enum class kind : std::uint8_t {
    inherit,  ///< The parent's own stream (the default).
    null,     ///< The null device.
    pipe,     ///< A pipe; the parent's end is on the child object.
    file,     ///< A file opened by path (stdin: read; others: created, truncated or appended).
    handle,   ///< A handle the caller owns (borrowed: the caller closes it after spawn).
    merge,    ///< stderr: the same as stdout; stdout: the same as stderr.
  };
  static stdio inherit() noexcept { return stdio{kind::inherit}; }
  static stdio null() noexcept { return stdio{kind::null}; }
  static stdio pipe() noexcept { return stdio{kind::pipe}; }
  static stdio merge() noexcept { return stdio{kind::merge}; }
  static stdio handle(native_handle h) noexcept {
    stdio s{kind::handle};
    s.handle_ = h;
    return s;
  }
  static stdio file(text path, bool append = false) {
    stdio s{kind::file};
    s.path_ = std::move(path);
    s.append_ = append;
    return s;
  }
  kind what() const noexcept { return kind_; }
  native_handle native() const noexcept { return handle_; }
  const text& path() const noexcept { return path_; }
  bool append() const noexcept { return append_; }

 private:
  explicit stdio(kind k) noexcept : kind_(k) {}
  kind kind_ = kind::inherit;
  bool append_ = false;
  native_handle handle_ = invalid_handle;
  text path_;
};

/// try_wait()'s answer: the exit status once the child has exited, else
/// empty. Reads like a std::optional<exit_status>.
class maybe_exit_status {
 public:
  constexpr maybe_exit_status() noexcept = default;
  constexpr maybe_exit_status(exit_status s) noexcept : status_(s), exited_(true) {}
  /// True once the child has exited (and was reaped).
  constexpr bool has_value() const noexcept { return exited_; }
  constexpr explicit operator bool() const noexcept { return exited_; }
  /// The status; meaningful only when has_value().
  constexpr const exit_status& operator*() const noexcept { return status_; }
  constexpr const exit_status* operator->() const noexcept { return &status_; }
  constexpr void reset() noexcept { exited_ = false; }

 private:
  exit_status status_;
  bool exited_ = false;
};

/// What output() collected.
struct process_output {
  exit_status status;
  text out;                    ///< stdout (with stderr when it was merged).
  text err;                    ///< stderr.
  bool out_truncated = false;  ///< stdout went past the limit; the rest was read and dropped.
  bool err_truncated = false;
};

/// No limit on captured output.
inline constexpr std::size_t unlimited_output = static_cast<std::size_t>(-1);

template <class P>
class basic_command;

/// A running (or finished, not yet dropped) child process. Move-only.
/// Destroying a child that was neither waited for nor detached kills its
/// process group and reaps it.
template <class P>
class basic_child {
  VITTE_REQUIRE_CAPABILITY(P, process);

 public:
  using policy = P;
  basic_child() noexcept = default;
  basic_child(basic_child&& other) noexcept;
  basic_child& operator=(basic_child&& other) noexcept;
  basic_child(const basic_child&) = delete;
  basic_child& operator=(const basic_child&) = delete;
  ~basic_child();

  /// The process id (pid, Windows process id); -1 for an empty child.
  std::int64_t id() const noexcept { return np_.id; }
  /// The OS's handles for the child.
  const native_process& native() const noexcept { return np_; }
  /// The parent's ends of the pipes asked for with stdio::pipe() (closed
  /// files otherwise): write to stdin_pipe(), read the others.
  basic_file<P>& stdin_pipe() noexcept { return pipes_[0]; }
  basic_file<P>& stdout_pipe() noexcept { return pipes_[1]; }
  basic_file<P>& stderr_pipe() noexcept { return pipes_[2]; }

  /// Closes stdin_pipe() (so a child reading it sees its end), then waits
  /// for the child to exit, until `d`. Errors (process_wait): timed_out
  /// (the child keeps running), what the OS reports. Interruptions are
  /// retried. Once reaped, the status is kept: waiting again returns it.
  result<exit_status> wait(basic_deadline<P> d = basic_deadline<P>::never()) noexcept;
  /// The status when the child has exited (reaping it), else empty.
  result<maybe_exit_status> try_wait() noexcept;
  /// Sends `kind` to the child's whole group. Errors (process_kill):
  /// no_such_process when the group is gone.
  status signal(process_signal_kind kind) noexcept;
  /// Kills the whole group now and reaps the child.
  result<exit_status> kill() noexcept;
  /// Asks the group to stop (SIGTERM; CTRL_BREAK on Windows), waits up to
  /// `grace`, then kills the group; returns how the child ended.
  template <class Rep, class Period>
  result<exit_status> terminate(std::chrono::duration<Rep, Period> grace) noexcept;
  /// Reads stdout_pipe() and stderr_pipe() to their ends together (no
  /// deadlock), keeping at most `limit` bytes of each, then waits. At `d`
  /// the group is killed and the result is errc::timed_out. On Windows the
  /// reads are overlapped, which needs the pipes output() creates: use
  /// output() rather than spawn() + collect() there.
  result<process_output> collect(basic_deadline<P> d = basic_deadline<P>::never(),
                                 std::size_t limit = unlimited_output);
  /// Lets the child run on: the object forgets it (on POSIX it stays a
  /// zombie after it exits until this process waits for it or exits).
  void detach() noexcept;
  /// True between a successful spawn and a reap, kill or detach.
  bool running() const noexcept { return np_.id != -1 && !status_; }

 private:
  friend class basic_command<P>;
  basic_child(native_process np, basic_file<P> (&pipes)[3]) noexcept;
  void release() noexcept;

  native_process np_;
  basic_file<P> pipes_[3];
  maybe_exit_status status_;
};

/// A program, its arguments, environment, working directory and standard
/// streams: what to run. Build it with chained calls, then spawn(), run(),
/// output() or dry_run(). The builder never fails; an argument that the OS
/// cannot carry (a NUL byte) is reported by the call that runs it.
template <class P>
class basic_command {
  VITTE_REQUIRE_CAPABILITY(P, process);

 public:
  using policy = P;
  using child_type = basic_child<P>;

  /// Runs `program`: a name looked up on PATH, or a path (with a separator).
  explicit basic_command(text program) : program_(std::move(program)) {}

  /// Appends one argument, exactly as it is.
  basic_command& arg(text_view a);
  /// Appends arguments.
  basic_command& args(std::initializer_list<text_view> list);
  template <class Range>
  basic_command& args(const Range& range) {
    for (const auto& a : range) arg(text_view(a));
    return *this;
  }
  /// argv[0] as the child sees it (POSIX; default: the program as given).
  basic_command& arg0(text_view a);
  /// Sets a variable for the child (names compare without case on Windows).
  basic_command& env(text_view name, text_view value);
  /// Removes a variable from the child's environment.
  basic_command& env_remove(text_view name);
  /// Starts the child's environment empty (later env() calls add to it).
  basic_command& env_clear();
  /// The child's working directory (a relative program path still
  /// resolves from the caller's).
  basic_command& cwd(text dir);
  /// The child's stdin, stdout, stderr (default: inherited).
  basic_command& in(stdio s);
  basic_command& out(stdio s);
  basic_command& err(stdio s);
  /// Own process group and job (default true). Without one, kill() and
  /// deadlines reach the child only, not what it started.
  basic_command& new_group(bool yes) noexcept;
  /// The child gets `h` (open in the parent until spawn() returns) as
  /// descriptor 3, the next one passed as 4, and so on: the explicit
  /// inheritance a protocol such as make's jobserver (`--jobserver-auth=3,4`)
  /// needs. POSIX only: on Windows spawn() fails with not_supported.
  basic_command& pass(native_handle h);

  /// Starts the child. Errors: find_program (not_found, permission_denied),
  /// process_spawn (not_found, exec_format, permission_denied,
  /// too_many_open_files, limit_exceeded, invalid_argument for a NUL in an
  /// argument or a batch-file argument cmd.exe would re-parse), pipe_create,
  /// open (stdio::file).
  result<basic_child<P>> spawn() const;
  /// spawn() and wait() until `d`; at the deadline the group is killed and
  /// reaped, and the result is errc::timed_out (process_wait).
  result<exit_status> run(basic_deadline<P> d = basic_deadline<P>::never()) const;
  /// Runs with stdout and stderr captured (stderr stays merged into stdout
  /// when err(stdio::merge()) was asked), keeping at most `limit` bytes of
  /// each, until `d` (then: killed, errc::timed_out).
  result<process_output> output(basic_deadline<P> d = basic_deadline<P>::never(),
                                std::size_t limit = unlimited_output) const;

  /// The path spawn() would execute (find_program's answer).
  result<text> resolve() const;
  /// What spawn() would do, as one printable line, without doing it: on
  /// POSIX a command a shell runs the same way (cd DIR &&, env -i / -u
  /// NAME / NAME=value, the resolved program and arguments quoted,
  /// redirections for null, file and merge); on Windows the exact command
  /// line given to CreateProcessW, after `cd /d DIR &&` and `set "NAME=value" &&`.
  result<text> dry_run() const;
  /// The arguments, the program as given first, quoted for this host
  /// (POSIX shell quoting, or the Windows command-line rules).
  text command_line() const;

  const text& program() const noexcept { return program_; }
  const buffer<text>& arguments() const noexcept { return args_; }

 private:
  struct env_edit {
    text name;
    text value;
    bool remove = false;
  };
  result<basic_child<P>> start(bool capture) const;
  bool env_edited() const noexcept { return env_cleared_ || !env_edits_.empty(); }
  buffer<text> child_environment() const;
  const text* path_override() const noexcept;

  text program_;
  text arg0_;
  bool has_arg0_ = false;
  buffer<text> args_;
  buffer<env_edit> env_edits_;
  bool env_cleared_ = false;
  text cwd_;
  stdio stdio_[3] = {stdio::inherit(), stdio::inherit(), stdio::inherit()};
  bool new_group_ = true;
  buffer<native_handle> passed_;  // the child's 3, 4, ...
  errc invalid_ = errc::ok;       // a NUL met by the builder
};

/// Finds `name` as spawn() does: a name with a separator is checked as it
/// is (made absolute from the current directory); otherwise each entry of
/// `search_path` (PATH's syntax: ':' or ';' on Windows) in order, skipping
/// empty entries (never the current directory implicitly), trying PATHEXT's
/// extensions (.COM;.EXE;.BAT;.CMD by default) on Windows when the name has
/// none. Errors (find_program): not_found, invalid_argument for an empty
/// name or a NUL.
template <class P = platform>
result<text> find_program(text_view name, text_view search_path);
/// find_program on the PATH of this process.
template <class P = platform>
result<text> find_program(text_view name);

/// Commands and children of the default platform.
using command = basic_command<platform>;
using child = basic_child<platform>;

}  // namespace vitte::sys

#include <vitte/sys/impl/process.hpp>
#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/environment.ipp>
#include <vitte/sys/detail/process.ipp>
#endif

#endif  // VITTE_SYS_PROCESS_HPP
