// vitte/log/color.hpp - whether to colour output, decided as ninja does.
//
//   bool on = vitte::log::use_color(vitte::log::color_mode::automatic,
//                                   sys::standard_handle(sys::standard_stream::error));
//
// automatic: colour when CLICOLOR_FORCE is set to anything but "0" (it
// forces colour, even into a pipe); otherwise none when NO_COLOR is set and
// not empty (no-color.org); otherwise colour when the stream is a terminal
// and TERM is set and not "dumb" (on Windows a console that accepts ANSI
// sequences, whatever TERM says). always and never override all of it.
#ifndef VITTE_LOG_COLOR_HPP
#define VITTE_LOG_COLOR_HPP

#include <vitte/base.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/sys/environment.hpp>
#include <vitte/sys/platform.hpp>
#include <vitte/sys/terminal.hpp>

namespace vitte::log {

/// Who decides about colour.
enum class color_mode : std::uint8_t {
  automatic,  ///< the environment and the stream (the rule above)
  always,     ///< colour, whatever the stream
  never,      ///< no colour
};

/// What the automatic rule reads: an unset variable is `set == false`.
struct color_inputs {
  bool terminal = false;         ///< the stream is an interactive terminal
  bool windows_console = false;  ///< it is a Windows console (TERM is not needed)
  bool term_set = false;
  text_view term;
  bool no_color_set = false;
  text_view no_color;
  bool clicolor_force_set = false;
  text_view clicolor_force;
};

/// The rule itself, on given inputs (for tests and for hosts with their own
/// environment).
constexpr bool decide_color(color_mode mode, const color_inputs& in) noexcept {
  if (mode == color_mode::always) return true;
  if (mode == color_mode::never) return false;
  if (in.clicolor_force_set && in.clicolor_force != "0") return true;
  if (in.no_color_set && !in.no_color.empty()) return false;
  if (!in.terminal) return false;
  if (in.windows_console) return true;
  return in.term_set && !in.term.empty() && in.term != "dumb";
}

/// The rule applied to the stream `h` and this process's environment. On a
/// Windows console that decides for colour, ANSI processing is switched on.
template <class P = sys::platform>
bool use_color(color_mode mode, sys::native_handle h) {
  if (mode == color_mode::never) return false;
  if (mode == color_mode::always) {
    if (sys::is_terminal<P>(h)) (void)sys::enable_terminal_colors<P>(h);  // a Windows console: ANSI on
    return true;
  }
  color_inputs in;
  in.terminal = sys::is_terminal<P>(h);
  in.windows_console = VITTE_OS_WINDOWS && in.terminal;
  result<text> term = sys::get_env<P>("TERM");
  result<text> no_color = sys::get_env<P>("NO_COLOR");
  result<text> force = sys::get_env<P>("CLICOLOR_FORCE");
  in.term_set = term.has_value();
  if (in.term_set) in.term = *term;
  in.no_color_set = no_color.has_value();
  if (in.no_color_set) in.no_color = *no_color;
  in.clicolor_force_set = force.has_value();
  if (in.clicolor_force_set) in.clicolor_force = *force;
  const bool on = decide_color(mode, in);
  if (on && in.terminal) (void)sys::enable_terminal_colors<P>(h);
  return on;
}

}  // namespace vitte::log

#endif  // VITTE_LOG_COLOR_HPP
