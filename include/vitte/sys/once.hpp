// vitte/sys/once.hpp - running initialisation exactly once.
//
//   vitte::sys::once_flag flag;          // constant-initialised: fine as a static
//   vitte::sys::call_once(flag, [] { init_tables(); });
//
// Every caller returns after the function has run once to completion;
// callers that arrive while it runs sleep until it is done. If the function
// exits by an exception, the flag stays unset and the next caller runs it.
// After the first run call_once is one acquire load.
//
// Built on the policy's wait on address (vitte/sys/wait.hpp): one 32-bit
// word that is new, running, running with sleepers, or done.
//
// With VITTE_HAS_THREADS=0, once_flag is null_once_flag: a plain bool,
// with no atomic operation.
#ifndef VITTE_SYS_ONCE_HPP
#define VITTE_SYS_ONCE_HPP

#include <vitte/base.hpp>
#include <vitte/base/detail/atomic.hpp>  // the state word
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/operations.hpp>
#include <vitte/sys/platform.hpp>

#include <cstdint>  // std::uint32_t
#include <utility>  // std::forward

namespace vitte::sys {

/// The state of a call_once on policy P. Thread safety: call_once may be
/// called concurrently on the same flag.
template <class P>
class basic_once_flag {
  VITTE_REQUIRE_CAPABILITY(P, wait);

 public:
  constexpr basic_once_flag() noexcept = default;
  basic_once_flag(const basic_once_flag&) = delete;
  basic_once_flag& operator=(const basic_once_flag&) = delete;

  /// True once a call_once on this flag has completed.
  bool done() const noexcept { return state_.load(vitte::detail::acquire) == finished; }

 private:
  template <class Q, class F, class... Args>
  friend void call_once(basic_once_flag<Q>& flag, F&& f, Args&&... args);

  static constexpr std::uint32_t fresh = 0;
  static constexpr std::uint32_t running = 1;
  static constexpr std::uint32_t sleepers = 2;  // running, and threads sleep on the word
  static constexpr std::uint32_t finished = 3;

  vitte::detail::atomic<std::uint32_t> state_{fresh};
};

/// The once flag of single-threaded builds: a bool.
class null_once_flag {
 public:
  constexpr null_once_flag() noexcept = default;
  null_once_flag(const null_once_flag&) = delete;
  null_once_flag& operator=(const null_once_flag&) = delete;

  /// True once a call_once on this flag has completed.
  constexpr bool done() const noexcept { return done_; }

 private:
  template <class F, class... Args>
  friend constexpr void call_once(null_once_flag& flag, F&& f, Args&&... args);
  bool done_ = false;
};

/// Runs f(args...) unless a call on `flag` has completed; returns once one
/// has (see the header). Exceptions from f propagate, leaving the flag unset.
template <class P, class F, class... Args>
void call_once(basic_once_flag<P>& flag, F&& f, Args&&... args);

/// Runs f(args...) unless a call on `flag` has completed.
template <class F, class... Args>
constexpr void call_once(null_once_flag& flag, F&& f, Args&&... args) {
  if (flag.done_) return;
  std::forward<F>(f)(std::forward<Args>(args)...);
  flag.done_ = true;
}

#if VITTE_HAS_THREADS
/// The once flag of the default platform.
using once_flag = basic_once_flag<platform>;
#else
using once_flag = null_once_flag;
#endif

}  // namespace vitte::sys

#include <vitte/sys/impl/once.hpp>

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/thread.ipp>  // the backend's definitions
#endif

#endif  // VITTE_SYS_ONCE_HPP
