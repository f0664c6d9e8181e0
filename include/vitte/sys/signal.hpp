// vitte/sys/signal.hpp - signals as events a poller can wait on.
//
// A signal watch turns SIGINT, SIGTERM, SIGHUP and SIGCHLD (Windows:
// console control events) into readable events on one native handle:
// register native() with any poller (epoll, kqueue, poll,
// WaitForMultipleObjects), then read() them. No code runs in a signal
// handler but a write to a pipe.
//
//   namespace sys = vitte::sys;
//   auto w = sys::signal_watch::open({sys::signal_kind::interrupt, sys::signal_kind::terminate}).value();
//   my_poller.add(w.native(), ...);              // readable when a signal is pending
//   while (auto s = w.read()) {                  // errc::would_block when none is left
//     if (*s == sys::signal_kind::terminate) shut_down();
//   }
//   w.wait(sys::deadline::after(std::chrono::seconds(5)));   // or wait without a poller
//
// Backends:
//   Linux      signalfd; the signals are blocked in the thread that opens
//              the watch, and threads started later inherit the mask: open
//              it in main() before starting threads (or block_signals() in
//              every thread), or another thread may take the signal.
//   POSIX      a self-pipe written by a sigaction handler (SA_RESTART);
//              the previous handler comes back when the last watch closes.
//   Windows    SetConsoleCtrlHandler; CTRL_C and CTRL_BREAK are interrupt,
//              CTRL_CLOSE hangup, LOGOFF and SHUTDOWN terminate; the
//              handle is an event. `child` is not_supported.
//
// Children spawned by vitte/sys/process.hpp start with an empty signal
// mask and default dispositions whatever the parent blocked.
//
// Thread safety: a watch is a value; one reader at a time.
#ifndef VITTE_SYS_SIGNAL_HPP
#define VITTE_SYS_SIGNAL_HPP

#include <vitte/base.hpp>
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/operations.hpp>
#include <vitte/sys/platform.hpp>
#include <vitte/sys/process_types.hpp>  // signal_kind
#include <vitte/sys/time.hpp>           // deadlines

#include <cstdint>
#include <initializer_list>

namespace vitte::sys {

/// A set of signal kinds as a mask of signal_bit()s.
constexpr std::uint32_t signal_mask(std::initializer_list<signal_kind> kinds) noexcept {
  std::uint32_t m = 0;
  for (signal_kind k : kinds) m |= signal_bit(k);
  return m;
}

/// Delivery of signals as events on a native handle. Move-only.
template <class P>
class basic_signal_watch {
  VITTE_REQUIRE_CAPABILITY(P, signal);

 public:
  using policy = P;
  constexpr basic_signal_watch() noexcept = default;
  basic_signal_watch(basic_signal_watch&& o) noexcept : h_(o.h_), mask_(o.mask_) { o.h_ = invalid_handle; }
  basic_signal_watch& operator=(basic_signal_watch&& o) noexcept {
    if (this != &o) {
      close();
      h_ = o.h_;
      mask_ = o.mask_;
      o.h_ = invalid_handle;
    }
    return *this;
  }
  basic_signal_watch(const basic_signal_watch&) = delete;
  basic_signal_watch& operator=(const basic_signal_watch&) = delete;
  ~basic_signal_watch() { close(); }

  /// Starts delivering `kinds`. Errors (signal_watch): invalid_argument for
  /// an empty set, not_supported (child on Windows), limit_exceeded (more
  /// than 8 watches on the self-pipe backend), too_many_open_files.
  static result<basic_signal_watch> open(std::initializer_list<signal_kind> kinds) noexcept {
    return open_mask(signal_mask(kinds));
  }
  /// As open(), with a mask of signal_bit()s.
  static result<basic_signal_watch> open_mask(std::uint32_t mask) noexcept {
    if (mask == 0 || mask >= (1u << signal_kind_count)) return error{errc::invalid_argument, ops::signal_watch};
    result<native_handle> h = P::signal_open(mask);
    if (!h) return h.error();
    basic_signal_watch w;
    w.h_ = *h;
    w.mask_ = mask;
    return w;
  }

  /// The next pending signal, without blocking. Errors (signal_watch):
  /// would_block when none is pending.
  result<signal_kind> read() noexcept {
    if (h_ == invalid_handle) return error{errc::bad_descriptor, ops::signal_watch};
    return P::signal_read(h_);
  }
  /// Waits until a signal is pending (then read() it) or `d`. Errors
  /// (signal_watch): timed_out. Interruptions are retried.
  status wait(basic_deadline<P> d = basic_deadline<P>::never()) noexcept {
    if (h_ == invalid_handle) return error{errc::bad_descriptor, ops::signal_watch};
    return P::signal_wait(h_, d.ns());
  }
  /// Waits, then reads: the next signal, or timed_out at `d`.
  result<signal_kind> next(basic_deadline<P> d = basic_deadline<P>::never()) noexcept {
    for (;;) {
      result<signal_kind> s = read();
      if (s || s.error() != errc::would_block) return s;
      if (status w = wait(d); !w) return w.error();
    }
  }
  /// Stops the delivery (Linux: unblocks what open() blocked).
  void close() noexcept {
    if (h_ != invalid_handle) P::signal_close(h_, mask_);
    h_ = invalid_handle;
  }

  /// The handle to register with a poller: readable (POSIX) or signalled
  /// (Windows event) while a signal is pending.
  native_handle native() const noexcept { return h_; }
  std::uint32_t mask() const noexcept { return mask_; }
  bool is_open() const noexcept { return h_ != invalid_handle; }

 private:
  native_handle h_ = invalid_handle;
  std::uint32_t mask_ = 0;
};

/// Blocks `kinds` in the calling thread (pthread_sigmask); threads it
/// starts later inherit that. Errors (signal_mask); not_supported on Windows.
template <class P = platform>
status block_signals(std::initializer_list<signal_kind> kinds) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, signal);
  return P::signal_block(signal_mask(kinds), true);
}
/// Unblocks `kinds` in the calling thread.
template <class P = platform>
status unblock_signals(std::initializer_list<signal_kind> kinds) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, signal);
  return P::signal_block(signal_mask(kinds), false);
}
/// Sends `kind` to this process (kill(getpid())): what a user's ^C does.
/// Windows: delivered to this process's console handlers only.
template <class P = platform>
status raise_signal(signal_kind kind) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, signal);
  return P::signal_raise(kind);
}

/// Signal watches of the default platform.
using signal_watch = basic_signal_watch<platform>;

}  // namespace vitte::sys

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/signal.ipp>
#endif

#endif  // VITTE_SYS_SIGNAL_HPP
