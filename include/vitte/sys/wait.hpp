// vitte/sys/wait.hpp - waiting until a 32-bit atomic changes (futex-style).
//
// The primitive every vitte lock is built from, for code that builds its
// own: a thread waits while a word holds a value; another changes the word
// and wakes it. Like std::atomic::wait, with deadlines and without the
// standard library's spinning policy.
//
//   std::atomic<std::uint32_t> ready{0};
//
//   // consumer: returns once ready != 0
//   vitte::sys::atomic_wait(ready, 0);
//
//   // producer
//   ready.store(1);
//   vitte::sys::atomic_notify_one(ready);
//
//   // with a deadline: false if ready still holds 0 when it passes
//   bool changed = vitte::sys::atomic_wait_until(ready, 0, vitte::sys::deadline::after(50ms));
//
// Backends: the futex on Linux (FUTEX_WAIT_BITSET, absolute CLOCK_MONOTONIC
// deadline), WaitOnAddress on Windows (a parking table where it is missing),
// a hashed table of pthread mutex + condition variable slots on other POSIX
// systems. Signals and spurious wake-ups are absorbed here: the calls
// return only when the value differs or the deadline has passed.
#ifndef VITTE_SYS_WAIT_HPP
#define VITTE_SYS_WAIT_HPP

#include <vitte/base.hpp>
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/operations.hpp>
#include <vitte/sys/platform.hpp>
#include <vitte/sys/time.hpp>

#include <concepts>     // std::convertible_to
#include <cstdint>      // std::uint32_t
#include <type_traits>  // std::is_standard_layout_v

namespace vitte::sys {

/// A 32-bit atomic word that can be waited on: std::atomic<std::uint32_t>,
/// std::atomic<std::int32_t>, vitte::detail::atomic<std::uint32_t>. The
/// value must sit at the object's address, as it does in every standard
/// library (this header does not include <atomic>: it is costly to parse).
template <class W>
concept atomic_word = sizeof(W) == 4 && alignof(W) >= 4 && std::is_standard_layout_v<W> && requires(const W& w) {
  { w.load() } -> std::convertible_to<std::uint32_t>;
};

/// Blocks until `word` no longer holds `old` (checked first: returns at once
/// if it already differs). Wake-ups come from atomic_notify_one/_all.
/// Thread safety: any number of threads may wait on and notify a word.
template <class P = platform, atomic_word W>
void atomic_wait(const W& word, std::uint32_t old) noexcept;

/// Blocks until `word` no longer holds `old` or deadline `d` passes.
/// Returns true when the value changed, false when the deadline passed first.
template <class P, atomic_word W>
bool atomic_wait_until(const W& word, std::uint32_t old, basic_deadline<P> d) noexcept;

/// atomic_wait_until with a deadline `d` from now.
template <class P = platform, atomic_word W, class Rep, class Period>
bool atomic_wait_for(const W& word, std::uint32_t old, std::chrono::duration<Rep, Period> d) noexcept;

/// Wakes one thread waiting on `word` (call after changing it).
template <class P = platform, atomic_word W>
void atomic_notify_one(const W& word) noexcept;

/// Wakes every thread waiting on `word` (call after changing it).
template <class P = platform, atomic_word W>
void atomic_notify_all(const W& word) noexcept;

}  // namespace vitte::sys

#include <vitte/sys/impl/wait.hpp>

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/thread.ipp>  // the backend's definitions
#endif

#endif  // VITTE_SYS_WAIT_HPP
