// vitte/sys/terminal.hpp - the standard streams, and whether they are terminals.
//
//   namespace sys = vitte::sys;
//   sys::native_handle err = sys::standard_handle(sys::standard_stream::error);
//   bool tty = sys::is_terminal(err);                 // isatty, GetConsoleMode
//   bool colors = tty && sys::enable_terminal_colors(err);  // Windows consoles: VT processing on
//
// The handles are the process's own and are never closed by vitte. Whether
// to colour output is a policy on top of this (vitte/log/color.hpp).
#ifndef VITTE_SYS_TERMINAL_HPP
#define VITTE_SYS_TERMINAL_HPP

#include <vitte/base.hpp>
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/platform.hpp>

namespace vitte::sys {

/// The three standard streams.
enum class standard_stream : int { input = 0, output = 1, error = 2 };

/// The handle of a standard stream (not owned; invalid_handle when the
/// process has none). Thread safety: may be called concurrently.
template <class P = platform>
native_handle standard_handle(standard_stream which) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, terminal);
  return P::standard_handle(static_cast<int>(which));
}

/// True when `h` is an interactive terminal (a tty, a Windows console).
template <class P = platform>
bool is_terminal(native_handle h) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, terminal);
  return P::is_terminal(h);
}

/// Makes the terminal `h` interpret ANSI colour sequences (a Windows
/// console: ENABLE_VIRTUAL_TERMINAL_PROCESSING); true when it does, false
/// when `h` is not a terminal or cannot.
template <class P = platform>
bool enable_terminal_colors(native_handle h) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, terminal);
  return P::enable_terminal_colors(h);
}

}  // namespace vitte::sys

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/terminal.ipp>
#endif

#endif  // VITTE_SYS_TERMINAL_HPP
