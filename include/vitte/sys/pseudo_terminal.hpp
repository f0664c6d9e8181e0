// vitte/sys/pseudo_terminal.hpp - pseudo-terminals: a terminal whose other
// side is this program, to run a compiler so that it colours its output,
// drive an interactive program, or host a REPL.
//
//   namespace sys = vitte::sys;
//   auto pty = sys::pseudo_terminal::open({.rows = 40, .columns = 120}).value();
//   auto child = pty.command("ls").arg("--color=auto").spawn().value();
//   pty.close_terminal();                        // the reader sees the end when ls exits
//   std::byte buf[4096];
//   while (std::size_t n = pty.read(buf, sys::deadline::after(std::chrono::seconds(5))).value()) {
//     ...                                        // ls's output, colours and CR LF line ends
//   }
//   child.wait().value();
//
// The program runs as a new session whose controlling terminal is the
// pseudo-terminal: isatty() is true on its standard streams, it sees the
// window size (TIOCGWINSZ) and gets SIGWINCH when resize() changes it, and
// kill() stops its process group; close() hangs the terminal up (SIGHUP to
// the session leader and the foreground group; jobs a job-control shell
// moved to groups of their own are in neither, see docs/DEVICES.md). One session per terminal: a second command()
// while the first program runs fails (permission_denied). Its output arrives as a terminal
// gives it (the terminal side is in cooked mode: "\n" becomes "\r\n"; open
// it with serial_port::open_as_is(terminal_name()) to change that).
//
// Backends: POSIX posix_openpt (Linux, Darwin, the BSDs); Windows
// CreatePseudoConsole (Windows 10 1809 and later, errc::not_supported
// before), where the program's three streams are always the console, kill()
// ends its job object, and close_terminal() takes effect once the programs
// started on the console have exited (closing a console ends them).
//
// Errors: pty_open (invalid_argument for a window of 0 rows or columns),
// terminal_size, session_spawn, device_wait (timed_out; broken_pipe for a
// write nobody can take: the terminal side is closed everywhere), device_read,
// device_write (broken_pipe where the OS refuses such a write at once).
// Thread safety: a value; one reader and one writer at a time.
#ifndef VITTE_SYS_PSEUDO_TERMINAL_HPP
#define VITTE_SYS_PSEUDO_TERMINAL_HPP

#include <vitte/base.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/sys/device_capabilities.hpp>
#include <vitte/sys/device_types.hpp>
#include <vitte/sys/policy/devices.hpp>
#include <vitte/sys/process.hpp>  // the commands it runs
#include <vitte/sys/time.hpp>     // deadlines

#include <cstddef>

namespace vitte::sys {

/// The device policy `P` whose children start as a new session on the
/// terminal given as their stdin (what basic_pseudo_terminal::command()
/// builds). A basic_command<terminal_session<P>> is a full command:
/// arguments, environment, working directory, deadlines, kill().
template <class P>
struct terminal_session : P {
  static error process_spawn(const spawn_request& req, native_process& out) noexcept {
    return P::session_spawn(req, req.stdio[0], out);
  }
};

/// A pseudo-terminal pair. Move-only; closing it hangs up the terminal at
/// once (the session leader and the foreground group get SIGHUP).
template <class P = device_platform>
class basic_pseudo_terminal {
  VITTE_REQUIRE_DEVICE_CAPABILITY(P, terminal_control);

 public:
  using policy = P;
  using deadline_type = basic_deadline<typename P::platform_policy>;  // sys::deadline
  using command_type = basic_command<terminal_session<P>>;
  /// The deadlines the children of command() wait with.
  using child_deadline = basic_deadline<terminal_session<P>>;

  basic_pseudo_terminal() noexcept = default;
  basic_pseudo_terminal(basic_pseudo_terminal&& other) noexcept;
  basic_pseudo_terminal& operator=(basic_pseudo_terminal&& other) noexcept;
  basic_pseudo_terminal(const basic_pseudo_terminal&) = delete;
  basic_pseudo_terminal& operator=(const basic_pseudo_terminal&) = delete;
  ~basic_pseudo_terminal() { close(); }

  /// Opens a pair whose window is `size`. Errors (pty_open): what the OS
  /// reports (too_many_open_files, not_supported).
  static result<basic_pseudo_terminal> open(const terminal_size& size = {});

  /// The terminal side's name (/dev/pts/3), for open_as_is; empty on Windows.
  text_view terminal_name() const noexcept { return name_.view(); }

  /// A command that runs `program` on the terminal (see the header); spawn
  /// it before close_terminal(). Its stdin must stay the terminal (POSIX:
  /// the session takes it as controlling terminal), and on Windows all
  /// three streams (else session_spawn: invalid_argument). output()
  /// captures through pipes: stdout and stderr are then not the terminal.
  command_type command(text program) const;

  /// Reads the programs' output: at least one byte, waiting until `d`
  /// (errc::timed_out); 0 once the terminal side is closed everywhere
  /// and everything was read.
  result<std::size_t> read(span<std::byte> out, deadline_type d = deadline_type::never()) noexcept;
  /// Types `data` to the programs (all of it before `d`, or timed_out).
  status write(span<const std::byte> data, deadline_type d = deadline_type::never()) noexcept;
  status write(text_view data, deadline_type d = deadline_type::never()) noexcept;

  /// Changes the window size (the session's foreground group gets
  /// SIGWINCH). A size of 0 rows or columns is invalid_argument.
  status resize(const terminal_size& size) noexcept;
  /// The window size now.
  result<terminal_size> size() const noexcept;

  /// Closes this object's handle of the terminal side, so that read()
  /// returns 0 once the programs running on it have all exited.
  void close_terminal() noexcept;
  /// Closes both sides (idempotent).
  void close() noexcept;

  /// The handle read() reads (a descriptor for a poller on POSIX; a pipe on
  /// Windows, which the poller does not watch), the one write() writes (the
  /// same on POSIX), and the terminal side's (invalid once closed).
  native_handle native() const noexcept { return pty_.output; }
  native_handle input_handle() const noexcept { return pty_.input; }
  native_handle terminal_handle() const noexcept { return pty_.terminal; }
  bool is_open() const noexcept { return pty_.output != invalid_handle; }
  explicit operator bool() const noexcept { return is_open(); }

 private:
  native_pty pty_;
  text name_;
};

/// Pseudo-terminals of the default device policy.
using pseudo_terminal = basic_pseudo_terminal<device_platform>;

}  // namespace vitte::sys

#include <vitte/sys/impl/pseudo_terminal.hpp>
#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/devices.ipp>
#endif

#endif  // VITTE_SYS_PSEUDO_TERMINAL_HPP
