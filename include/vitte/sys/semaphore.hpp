// vitte/sys/semaphore.hpp - counting semaphores.
//
//   vitte::sys::counting_semaphore<> slots(4);   // four permits
//   slots.acquire();                              // blocks while none is left
//   use_slot();
//   slots.release();
//
//   if (slots.try_acquire_for(10ms)) { ...; slots.release(); }
//   vitte::sys::binary_semaphore signal(0);
//   signal.release();                             // wakes one acquirer
//
// The std::counting_semaphore interface, plus deadlines. Built on the
// policy's wait on address (vitte/sys/wait.hpp) on every platform: one
// atomic word holds the permits and a "sleepers" bit, so release() makes no
// system call when nobody sleeps, and touches nothing but that word: the
// semaphore may be destroyed as soon as an acquire returns. Timeouts are
// measured on the monotonic clock.
//
// Not available when VITTE_HAS_THREADS is 0.
#ifndef VITTE_SYS_SEMAPHORE_HPP
#define VITTE_SYS_SEMAPHORE_HPP

#include <vitte/base.hpp>
#include <vitte/base/detail/atomic.hpp>  // the count
#include <vitte/base/detail/chrono.hpp>  // durations and time points
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/operations.hpp>
#include <vitte/sys/platform.hpp>
#include <vitte/sys/time.hpp>

#include <cstddef>  // std::ptrdiff_t
#include <cstdint>  // std::uint32_t

namespace vitte::sys {

/// A counting semaphore on policy P holding at most LeastMaxValue permits
/// (at most 2^31 - 1).
/// Thread safety: every member may be called concurrently.
template <class P, std::ptrdiff_t LeastMaxValue = 0x7FFF'FFFF>
class basic_counting_semaphore {
  VITTE_REQUIRE_CAPABILITY(P, wait);
  static_assert(LeastMaxValue >= 0 && LeastMaxValue <= 0x7FFF'FFFF,
                "vitte: a semaphore holds between 0 and 2^31 - 1 permits");

 public:
  /// The largest count the semaphore can hold.
  static constexpr std::ptrdiff_t max() noexcept { return LeastMaxValue; }

  /// A semaphore holding `desired` permits (0 <= desired <= max()).
  constexpr explicit basic_counting_semaphore(std::ptrdiff_t desired) noexcept
      : state_(static_cast<std::uint32_t>(desired) * one) {}
  basic_counting_semaphore(const basic_counting_semaphore&) = delete;
  basic_counting_semaphore& operator=(const basic_counting_semaphore&) = delete;

  /// Adds `update` permits (the count must stay within max()) and wakes
  /// as many waiters.
  void release(std::ptrdiff_t update = 1) noexcept;

  /// Takes a permit, blocking while there is none.
  void acquire() noexcept;
  /// Takes a permit if there is one; never blocks.
  [[nodiscard]] bool try_acquire() noexcept;
  /// Takes a permit (true), or gives up when deadline `d` passes (false).
  [[nodiscard]] bool try_acquire_until(basic_deadline<P> d) noexcept;
  /// try_acquire_until with a deadline `d` from now.
  template <class Rep, class Period>
  [[nodiscard]] bool try_acquire_for(const std::chrono::duration<Rep, Period>& d) noexcept {
    return try_acquire_until(basic_deadline<P>::after(d));
  }
  /// Takes a permit (true), or gives up when clock `Clock` reaches `t`.
  template <class Clock, class Dur>
  [[nodiscard]] bool try_acquire_until(const std::chrono::time_point<Clock, Dur>& t) noexcept;

 private:
  bool acquire_slow(basic_deadline<P> d) noexcept;

  // Permits in the high 31 bits; bit 0: threads may sleep on the word.
  static constexpr std::uint32_t sleepers = 1;
  static constexpr std::uint32_t one = 2;

  vitte::detail::atomic<std::uint32_t> state_;
};

#if VITTE_HAS_THREADS
/// A counting semaphore of the default platform.
template <std::ptrdiff_t LeastMaxValue = 0x7FFF'FFFF>
using counting_semaphore = basic_counting_semaphore<platform, LeastMaxValue>;
/// A semaphore of one permit.
using binary_semaphore = counting_semaphore<1>;
#endif

}  // namespace vitte::sys

#include <vitte/sys/impl/semaphore.hpp>

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/thread.ipp>  // the backend's definitions
#endif

#endif  // VITTE_SYS_SEMAPHORE_HPP
