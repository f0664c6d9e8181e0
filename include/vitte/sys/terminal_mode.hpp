// vitte/sys/terminal_mode.hpp - terminal control for interactive tools:
// raw mode undone when it ends, at exit and on fatal signals, the window
// size, and its changes.
//
//   namespace sys = vitte::sys;
//   sys::native_handle in = sys::standard_handle(sys::standard_stream::input);
//   auto raw = sys::raw_mode::enter(in).value();   // keys arrive one by one, unechoed
//   ...                                           // restored when `raw` goes away, at exit(),
//                                                 // and on SIGINT/SIGTERM/SIGHUP/SIGQUIT
//   auto size = sys::get_terminal_size(sys::standard_handle(sys::standard_stream::output)).value();
//   auto resized = sys::resize_watch::open().value();   // readable on SIGWINCH
//   my_poller.add(resized.native(), sys::io_events::readable, 7);
//   if (resized.take()) size = sys::get_terminal_size(out).value();
//
// Raw mode (cfmakeraw; Windows: console input without line, echo and
// processed input, with virtual-terminal input) is recorded process-wide
// (up to 8 terminals, each with a descriptor of its own) so that exit()
// and SIGINT, SIGTERM, SIGHUP and SIGQUIT restore the modes saved, then let
// the signal act as it would have. The signals are taken only when they are
// at their default action the first time a raw mode is entered (a handler
// of the program's stays its own); SIGKILL, a crash or _exit() restore
// nothing. Windows restores at exit() and on close, logoff and shutdown.
// Only the process that entered a raw mode restores it: in a forked child,
// restore() and exit() leave the terminal alone.
//
// Errors: terminal_mode (invalid_argument: not a terminal; limit_exceeded:
// a 9th terminal), terminal_size, resize_watch (limit_exceeded: a 17th
// watch on POSIX, whose 16 self-pipes, once made, last as long as the
// process). Thread safety: raw modes may be entered and left from any
// thread; a watch is a value.
#ifndef VITTE_SYS_TERMINAL_MODE_HPP
#define VITTE_SYS_TERMINAL_MODE_HPP

#include <vitte/base.hpp>
#include <vitte/sys/device_capabilities.hpp>
#include <vitte/sys/device_types.hpp>
#include <vitte/sys/policy/devices.hpp>

#include <utility>  // std::exchange

namespace vitte::sys {

/// The window size of the terminal `h`. Errors (terminal_size):
/// invalid_argument when `h` is not a terminal.
template <class P = device_platform>
result<terminal_size> get_terminal_size(native_handle h) noexcept {
  VITTE_REQUIRE_DEVICE_CAPABILITY(P, terminal_control);
  terminal_size s;
  if (error e = P::terminal_size_get(h, s)) return e;
  return s;
}

/// A terminal in raw mode until this object goes away. Move-only.
template <class P = device_platform>
class basic_raw_mode {
  VITTE_REQUIRE_DEVICE_CAPABILITY(P, terminal_control);

 public:
  basic_raw_mode() noexcept = default;
  basic_raw_mode(basic_raw_mode&& o) noexcept : h_(std::exchange(o.h_, invalid_handle)), saved_(o.saved_) {}
  basic_raw_mode& operator=(basic_raw_mode&& o) noexcept {
    if (this != &o) {
      (void)restore();
      h_ = std::exchange(o.h_, invalid_handle);
      saved_ = o.saved_;
    }
    return *this;
  }
  basic_raw_mode(const basic_raw_mode&) = delete;
  basic_raw_mode& operator=(const basic_raw_mode&) = delete;
  ~basic_raw_mode() { (void)restore(); }

  /// Saves the modes of terminal `h` and makes it raw. Errors
  /// (terminal_mode): invalid_argument when `h` is not a terminal,
  /// limit_exceeded beyond 8 terminals in raw mode at once.
  static result<basic_raw_mode> enter(native_handle h) noexcept {
    basic_raw_mode m;
    if (error e = P::terminal_mode_save(h, m.saved_)) return e;
    if (error e = P::terminal_mode_raw(h, m.saved_)) return e;
    m.h_ = h;
    return m;
  }
  /// Puts back the modes saved (idempotent).
  status restore() noexcept {
    if (h_ == invalid_handle) return {};
    if (error e = P::terminal_mode_restore(std::exchange(h_, invalid_handle), saved_)) return e;
    return {};
  }
  /// The terminal, while raw.
  native_handle native() const noexcept { return h_; }

 private:
  native_handle h_ = invalid_handle;
  saved_terminal_mode saved_;
};

/// A handle that becomes readable when this process's terminal window
/// changes size (SIGWINCH). Move-only.
template <class P = device_platform>
class basic_resize_watch {
  VITTE_REQUIRE_DEVICE_CAPABILITY(P, terminal_control);

 public:
  basic_resize_watch() noexcept = default;
  basic_resize_watch(basic_resize_watch&& o) noexcept : h_(std::exchange(o.h_, invalid_handle)) {}
  basic_resize_watch& operator=(basic_resize_watch&& o) noexcept {
    if (this != &o) {
      close();
      h_ = std::exchange(o.h_, invalid_handle);
    }
    return *this;
  }
  basic_resize_watch(const basic_resize_watch&) = delete;
  basic_resize_watch& operator=(const basic_resize_watch&) = delete;
  ~basic_resize_watch() { close(); }

  /// Starts watching. Errors (resize_watch): what the OS reports.
  static result<basic_resize_watch> open() noexcept {
    basic_resize_watch w;
    if (error e = P::resize_watch_open(w.h_)) return e;
    return w;
  }
  /// True when the size changed since the last call (and consumes the news).
  bool take() noexcept { return h_ != invalid_handle && P::resize_watch_take(h_); }
  /// The handle to poll for readability.
  native_handle native() const noexcept { return h_; }
  void close() noexcept {
    if (h_ != invalid_handle) P::resize_watch_close(std::exchange(h_, invalid_handle));
  }

 private:
  native_handle h_ = invalid_handle;
};

using raw_mode = basic_raw_mode<device_platform>;
using resize_watch = basic_resize_watch<device_platform>;

}  // namespace vitte::sys

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/devices.ipp>
#endif

#endif  // VITTE_SYS_TERMINAL_MODE_HPP
