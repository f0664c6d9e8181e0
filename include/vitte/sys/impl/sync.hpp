// Internals shared by the synchronisation facilities (wait.hpp, mutex.hpp,
// condition_variable.hpp, semaphore.hpp, once.hpp, thread.hpp): spinning,
// parking on a word, deadline conversion, and the choice of lock backend.
// Included by those headers; do not include.
#ifndef VITTE_SYS_IMPL_SYNC_HPP
#define VITTE_SYS_IMPL_SYNC_HPP

#include <vitte/base.hpp>
#include <vitte/base/detail/atomic.hpp>  // the words waited on
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/operations.hpp>
#include <vitte/sys/time.hpp>

#include <cassert>      // invariants
#include <climits>      // INT64_MAX
#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint32_t
#include <type_traits>  // std::is_same_v

namespace vitte::sys::detail {

static_assert(__atomic_always_lock_free(sizeof(std::uint32_t), 0) && sizeof(vitte::detail::atomic<std::uint32_t>) == 4,
              "vitte: waiting on addresses needs lock-free 32-bit atomics");

/// A hint to the CPU that this thread spins (PAUSE, YIELD): saves power and
/// lets a sibling hyper-thread run.
VITTE_ALWAYS_INLINE void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__) || (defined(__arm__) && defined(__ARM_ARCH) && __ARM_ARCH >= 7)
  __asm__ volatile("yield" ::: "memory");
#endif
}

/// Sleeps once while `word` holds `old`, until a wake, a spurious wake-up,
/// an interruption or the deadline (ns of the monotonic clock, INT64_MAX:
/// never). Callers re-check their condition and the deadline.
template <class P, class Word>
VITTE_ALWAYS_INLINE void park(const Word& word, std::uint32_t old, std::int64_t deadline_ns) noexcept {
  [[maybe_unused]] error e = P::wait_on_address(&word, old, deadline_ns);
  assert((!e || e == errc::timed_out || e == errc::interrupted) && "vitte: wait_on_address failed");
}

/// The monotonic deadline of a time point on any clock. Clocks other than
/// the policy's monotonic clock are converted once, through "time left";
/// callers that must honour a clock that jumps check it again.
template <class P, class Clock, class Dur>
basic_deadline<P> deadline_from(const std::chrono::time_point<Clock, Dur>& t) noexcept {
  if constexpr (std::is_same_v<Clock, typename basic_deadline<P>::clock>) {
    return basic_deadline<P>::at(t);
  } else {
    return basic_deadline<P>::after(t - Clock::now());
  }
}

/// Runs attempt(deadline) until it succeeds or clock `Clock` reaches `t`:
/// the TimedLockable contract of try_lock_until for any clock.
template <class P, class Clock, class Dur, class Attempt>
bool until_time_point(const std::chrono::time_point<Clock, Dur>& t, Attempt attempt) noexcept {
  for (;;) {
    if (attempt(deadline_from<P>(t))) return true;
    if (Clock::now() >= t) return false;
  }
}

/// A native lock object (pthread_mutex_t, SRWLOCK, ...) in storage of the
/// size and alignment the policy declares, set up by Init and torn down by
/// Destroy. Not copyable: native objects may not move.
template <std::size_t Size, std::size_t Align, void (*Init)(void*) noexcept, void (*Destroy)(void*) noexcept>
class native_object {
 public:
  native_object() noexcept { Init(storage_); }
  ~native_object() { Destroy(storage_); }
  native_object(const native_object&) = delete;
  native_object& operator=(const native_object&) = delete;

  void* native() noexcept { return storage_; }

 private:
  alignas(Align) unsigned char storage_[Size];
};

}  // namespace vitte::sys::detail

#endif  // VITTE_SYS_IMPL_SYNC_HPP
