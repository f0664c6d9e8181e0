// vitte/sys/process_types.hpp - the vocabulary of processes, libraries and signals.
//
// What a platform policy's process, dynamic-library, environment and signal
// functions take and give: the spawn request, a native process, exit
// statuses, library flags, signal kinds. Users meet these
// types through vitte/sys/process.hpp, dynlib.hpp and signal.hpp:
//
//   vitte::sys::exit_status st = vitte::sys::command("cc").arg("-v").run().value();
//   if (!st.success()) std::printf("exit code %d\n", st.code());
//
// It also holds the Windows command-line quoting (pure functions, so that a
// dry run on any host prints what CreateProcessW would get, and tests check
// the rules on Linux as well as under Wine).
//
// This header includes only light standard headers; policies include it.
#ifndef VITTE_SYS_PROCESS_TYPES_HPP
#define VITTE_SYS_PROCESS_TYPES_HPP

#include <vitte/base.hpp>
#include <vitte/base/text_view.hpp>  // arguments
#include <vitte/sys/fs_types.hpp>    // native_handle
#include <vitte/sys/operations.hpp>

#include <cstddef>  // std::size_t
#include <cstdint>  // fixed-width fields

namespace vitte::sys {

// ---------------------------------------------------------------------------
// Processes

/// What a policy spawns: everything resolved, nothing left to look up.
/// Strings are UTF-8 and NUL-terminated; arrays end with a null pointer.
struct spawn_request {
  const char* program = nullptr;      ///< The file to execute: a path (never searched for).
  const char* const* argv = nullptr;  ///< argv[0], ..., nullptr.
  std::size_t argc = 0;               ///< Entries of argv before the nullptr.
  const char* const* envp = nullptr;  ///< "NAME=value", ..., nullptr; nullptr: the parent's.
  const char* cwd = nullptr;          ///< The child's working directory; nullptr: the parent's.
  native_handle stdio[3] = {invalid_handle, invalid_handle, invalid_handle};  ///< invalid_handle: the parent's own.
  /// Descriptors the child gets as 3, 4, ... in this order (POSIX only);
  /// every other one is closed in the child as usual.
  const native_handle* passed = nullptr;
  std::size_t passed_count = 0;
  bool new_group = true;  ///< Own process group (POSIX), own job object (Windows).
};

/// A running or finished child as the OS knows it. POSIX: `id` is the pid,
/// `group` the process group (the pid), `handle` a pidfd where the OS has
/// one. Windows: `id` the process id, `handle` the process HANDLE, `group`
/// the job object HANDLE.
struct native_process {
  std::int64_t id = -1;
  native_handle handle = invalid_handle;
  native_handle group = invalid_handle;
};

/// How a child ended.
struct exit_status {
  enum class how : std::uint8_t {
    exited,    ///< It returned from main or called exit: code() is its status.
    signaled,  ///< A signal killed it (POSIX): signal() says which.
  };
  how reason = how::exited;
  int value = 0;  ///< The exit code, or the signal number.

  /// Exited with code 0.
  constexpr bool success() const noexcept { return reason == how::exited && value == 0; }
  /// Exited normally (not by a signal).
  constexpr bool exited() const noexcept { return reason == how::exited; }
  /// The exit code; -1 when a signal ended the process. On Windows an
  /// NTSTATUS such as 0xC0000005 reads as a negative int.
  constexpr int code() const noexcept { return reason == how::exited ? value : -1; }
  /// The signal that ended the process; 0 when it exited.
  constexpr int signal() const noexcept { return reason == how::signaled ? value : 0; }
  friend constexpr bool operator==(const exit_status&, const exit_status&) = default;
};

/// What process_signal sends to a child's whole group.
enum class process_signal_kind : std::uint8_t {
  terminate,  ///< Ask it to stop: SIGTERM; CTRL_BREAK_EVENT to its console group on Windows.
  kill,       ///< Stop it now: SIGKILL; TerminateJobObject on Windows.
  interrupt,  ///< SIGINT; CTRL_BREAK_EVENT on Windows.
};

/// Receives what pipe_drain reads: `data(ctx, index, p, n)` for the
/// `index`th handle. Must not fail (it may drop bytes it has no room for).
struct drain_sink {
  void* ctx = nullptr;
  void (*data)(void* ctx, std::size_t index, const char* p, std::size_t n) noexcept = nullptr;
};

// ---------------------------------------------------------------------------
// Dynamic libraries

/// How a library is opened: combine with `|`. The default (`now | local`)
/// binds every symbol at open (missing ones fail the open, not a later
/// call) and keeps the library's symbols out of the global namespace.
enum class library_flags : std::uint8_t {
  now = 0,              ///< RTLD_NOW (the default).
  local = 0,            ///< RTLD_LOCAL (the default).
  lazy = 1u << 0,       ///< RTLD_LAZY: bind functions at first call.
  global = 1u << 1,     ///< RTLD_GLOBAL: symbols resolve later libraries.
  no_delete = 1u << 2,  ///< RTLD_NODELETE: never unloaded, even when closed.
  no_load = 1u << 3,    ///< RTLD_NOLOAD / GetModuleHandleEx: only if already loaded.
};
constexpr library_flags operator|(library_flags a, library_flags b) noexcept {
  return static_cast<library_flags>(static_cast<std::uint8_t>(a) | static_cast<std::uint8_t>(b));
}
constexpr bool has(library_flags f, library_flags bit) noexcept {
  return (static_cast<std::uint8_t>(f) & static_cast<std::uint8_t>(bit)) == static_cast<std::uint8_t>(bit);
}

// ---------------------------------------------------------------------------
// Signals

/// The signals vitte delivers as events (a bit each in a signal mask).
enum class signal_kind : std::uint8_t {
  interrupt = 0,  ///< SIGINT; CTRL_C_EVENT and CTRL_BREAK_EVENT on Windows.
  terminate = 1,  ///< SIGTERM; CTRL_LOGOFF_EVENT and CTRL_SHUTDOWN_EVENT on Windows.
  hangup = 2,     ///< SIGHUP; CTRL_CLOSE_EVENT on Windows.
  child = 3,      ///< SIGCHLD (POSIX only).
};
inline constexpr std::size_t signal_kind_count = 4;
/// The mask bit of `k`.
constexpr std::uint32_t signal_bit(signal_kind k) noexcept { return 1u << static_cast<unsigned>(k); }
/// Name: "interrupt", "terminate", "hangup", "child".
constexpr text_view to_string(signal_kind k) noexcept {
  switch (k) {
    case signal_kind::interrupt:
      return "interrupt";
    case signal_kind::terminate:
      return "terminate";
    case signal_kind::hangup:
      return "hangup";
    case signal_kind::child:
      return "child";
  }
  return "signal";
}

// ---------------------------------------------------------------------------
// Command lines

namespace detail {

/// Appends `arg` to `out` quoted so that CommandLineToArgvW (and the
/// Microsoft C runtime) gives back exactly `arg`: no quotes when none are
/// needed; otherwise inside quotes, with backslashes doubled before a quote
/// and at the end, and each quote escaped.
template <class Out>  // vitte::text, or any string with append and push_back
void append_windows_argument(Out& out, text_view arg) {
  bool plain = !arg.empty() && arg.find_first_of(" \t\n\v\"") == text_view::npos;
  if (plain) {
    out.append(arg);
    return;
  }
  out.push_back('"');
  std::size_t backslashes = 0;
  for (char c : arg) {
    if (c == '\\') {
      ++backslashes;
      continue;
    }
    if (c == '"') {
      out.append(backslashes * 2 + 1, '\\');
    } else {
      out.append(backslashes, '\\');
    }
    backslashes = 0;
    out.push_back(c);
  }
  out.append(backslashes * 2, '\\');
  out.push_back('"');
}

/// The program name (argv[0]) for a Windows command line: CommandLineToArgvW
/// reads it up to the next space or inside quotes, with no escapes, so a
/// name with a quote cannot be written (returns false).
template <class Out>  // vitte::text, or any string with append and push_back
bool append_windows_program(Out& out, text_view name) {
  if (name.find('"') != text_view::npos || name.empty()) return false;
  bool quote = name.find_first_of(" \t") != text_view::npos;
  if (quote) out.push_back('"');
  out.append(name);
  if (quote) out.push_back('"');
  return true;
}

/// True when cmd.exe would read `arg` as it is written: a .bat or .cmd file
/// runs under cmd.exe, which re-parses its command line (%VAR%, ^, &, |, <,
/// >, (, ), !, quotes, line breaks), so vitte refuses such arguments rather
/// than let them turn into commands.
constexpr bool batch_argument_safe(text_view arg) noexcept {
  for (char c : arg) {
    switch (c) {
      case '"':
      case '%':
      case '^':
      case '&':
      case '|':
      case '<':
      case '>':
      case '(':
      case ')':
      case '!':
      case '\n':
      case '\r':
        return false;
      default:
        break;
    }
  }
  return true;
}

/// True when `path` names a batch file (.bat or .cmd, any case).
constexpr bool is_batch_file(text_view path) noexcept {
  if (path.size() < 4) return false;
  text_view ext = path.substr(path.size() - 4);
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  char e[4] = {lower(ext[0]), lower(ext[1]), lower(ext[2]), lower(ext[3])};
  return text_view(e, 4) == ".bat" || text_view(e, 4) == ".cmd";
}

/// Appends `arg` quoted for a POSIX shell: as it is when it only holds
/// characters no shell treats specially, else in single quotes ('\'' for a
/// quote). For printing commands only; vitte never runs a shell.
template <class Out>  // vitte::text, or any string with append and push_back
void append_shell_argument(Out& out, text_view arg) {
  bool plain = !arg.empty();
  for (char c : arg) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              text_view("-_./:=+,@%").find(c) != text_view::npos;
    if (!ok) plain = false;
  }
  if (plain) {
    out.append(arg);
    return;
  }
  out.push_back('\'');
  for (char c : arg) {
    if (c == '\'')
      out.append("'\\''");
    else
      out.push_back(c);
  }
  out.push_back('\'');
}

}  // namespace detail

}  // namespace vitte::sys

#endif  // VITTE_SYS_PROCESS_TYPES_HPP
