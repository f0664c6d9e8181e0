// vitte/sys/poller.hpp - readiness polling and timers: one event loop core.
//
// A poller watches native handles (sockets; on POSIX any descriptor: pipes,
// terminals, signalfd, ...) and reports which are ready, together with the
// timers that expired, in one wait:
//
//   namespace sys = vitte::sys;
//   auto poller = sys::poller::create().value();
//   poller.add(sock.native(), sys::io_events::readable, 1).value();    // data 1
//   sys::timer_id t = poller.add_timer(sys::deadline::after(500ms), 2);
//   sys::poll_event evs[64];
//   for (;;) {
//     auto ready = poller.wait(evs).value();   // keep the span: do not range-for over a temporary result
//     for (const sys::poll_event& e : ready) {
//       if (has(e.events, sys::io_events::timer)) on_timeout(e.data);    // 2
//       else if (has(e.events, sys::io_events::readable)) on_read(e.data);
//     }
//   }
//
// Backends (chosen per policy; docs/NET.md compares them):
//   linux     epoll, level or edge triggered, woken by an eventfd
//   darwin,   kqueue (EV_CLEAR for edge), woken by a self-pipe
//   bsd
//   posix     poll(2) over a dense pollfd array with an index map (O(1)
//             add/modify/remove), woken by a self-pipe; level only
//   win32     WSAPoll the same way, woken by a loopback UDP socket; sockets only
// To use poll(2) on Linux: -DVITTE_DISABLE_EPOLL for the whole build, or
// basic_poller<poll_platform<linux_platform>> for one poller.
//
// Timers live in a binary heap keyed by deadline: add and cancel cost
// O(log n), and each wait sleeps until the earlier of its own deadline and
// the first timer. wake() may be called from any other thread and makes a
// current or the next wait return.
//
// Thread safety: one thread uses a poller (add, modify, remove, timers,
// wait); wake() is safe from any thread.
#ifndef VITTE_SYS_POLLER_HPP
#define VITTE_SYS_POLLER_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>  // the timer heap
#include <vitte/base/span.hpp>    // event arrays
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/fs_types.hpp>  // native_handle
#include <vitte/sys/operations.hpp>
#include <vitte/sys/platform.hpp>
#include <vitte/sys/poller_types.hpp>
#include <vitte/sys/time.hpp>  // deadlines

#include <cstddef>
#include <cstdint>

namespace vitte::sys {

/// Names a timer of a poller, to cancel it. Stale ids (fired or cancelled
/// timers) are recognised: cancelling one does nothing.
struct timer_id {
  std::uint32_t slot = ~std::uint32_t{0};
  std::uint32_t generation = 0;
  friend constexpr bool operator==(timer_id, timer_id) noexcept = default;
};

namespace detail {

// A binary min-heap of timers keyed by deadline (monotonic nanoseconds),
// with a slot per timer that knows its heap position, so cancel is
// O(log n). Slots are reused; generations tell stale ids apart.
class timer_heap {
 public:
  timer_id add(std::int64_t when, std::uint64_t data);
  bool cancel(timer_id id) noexcept;
  std::size_t size() const noexcept { return heap_.size(); }
  // The first deadline; INT64_MAX when there is no timer.
  std::int64_t next() const noexcept { return heap_.empty() ? INT64_MAX : heap_[0].when; }
  // Moves timers due at `now` into out (timer events); returns how many.
  std::size_t pop_due(std::int64_t now, span<poll_event> out) noexcept;

 private:
  struct node {
    std::int64_t when;
    std::uint64_t order;  // ties: first added fires first
    std::uint32_t slot;
  };
  struct slot_state {
    std::uint64_t data = 0;
    std::uint32_t generation = 0;
    std::uint32_t position = ~std::uint32_t{0};  // in heap_; ~0 when free
  };
  static bool before(const node& a, const node& b) noexcept {
    return a.when != b.when ? a.when < b.when : a.order < b.order;
  }
  void place(std::size_t i, const node& n) noexcept {
    heap_[i] = n;
    slots_[n.slot].position = static_cast<std::uint32_t>(i);
  }
  void sift_up(std::size_t i) noexcept;
  void sift_down(std::size_t i) noexcept;
  void erase_at(std::size_t i) noexcept;

  buffer<node> heap_;
  buffer<slot_state> slots_;
  buffer<std::uint32_t> free_;
  std::uint64_t order_ = 0;
};

}  // namespace detail

/// A readiness poller with timers. Move-only; destroying it frees the OS
/// object (registered handles stay open and are not closed).
template <class P>
class basic_poller {
  VITTE_REQUIRE_CAPABILITY(P, poller);

 public:
  using policy = P;
  using deadline_type = basic_deadline<P>;

  /// A closed poller; create() makes a working one.
  constexpr basic_poller() noexcept = default;
  basic_poller(basic_poller&& other) noexcept;
  basic_poller& operator=(basic_poller&& other) noexcept;
  basic_poller(const basic_poller&) = delete;
  basic_poller& operator=(const basic_poller&) = delete;
  ~basic_poller();

  /// A new poller: an epoll or kqueue descriptor, or a poll array, and its
  /// wake-up channel (close-on-exec).
  /// Errors (poller_create): too_many_open_files, no_memory.
  static result<basic_poller> create() noexcept;

  /// True when the poller is open.
  bool is_open() const noexcept { return handle_ != 0; }

  /// Watches `h` for `interest` (readable, writable or both; none keeps
  /// only error and hangup); waits report `data` with it.
  /// Errors (poller_add): already_exists (h is registered), invalid_argument
  /// (data is poller_reserved_data), not_supported (edge triggering on the
  /// poll and WSAPoll backends), bad_descriptor, what the OS reports.
  status add(native_handle h, io_events interest, std::uint64_t data, trigger t = trigger::level) noexcept;
  /// As add(), with a pointer as the data (poll_event::pointer gives it back).
  status add(native_handle h, io_events interest, void* data, trigger t = trigger::level) noexcept {
    return add(h, interest, pointer_data(data), t);
  }
  /// Changes what `h` is watched for, and its data.
  /// Errors (poller_modify): not_found (h is not registered), as add().
  status modify(native_handle h, io_events interest, std::uint64_t data, trigger t = trigger::level) noexcept;
  status modify(native_handle h, io_events interest, void* data, trigger t = trigger::level) noexcept {
    return modify(h, interest, pointer_data(data), t);
  }
  /// Stops watching `h`. Remove a handle before closing it (epoll forgets
  /// closed descriptors by itself, poll and kqueue backends may not).
  /// Errors (poller_remove): not_found.
  status remove(native_handle h) noexcept;

  /// Waits until a handle is ready, a timer expires, wake() is called, or
  /// `d` passes; fills `out` and returns the part filled: empty when `d`
  /// passed or on a wake-up. Timer events have io_events::timer and the
  /// timer's data; a fired timer is gone. Interruptions (EINTR) are retried.
  /// One wait reports at most out.size() events (and at most 256 from the
  /// OS); the rest come in the next wait.
  /// Errors (poller_wait): invalid_argument for an empty `out`, what the OS reports.
  result<span<poll_event>> wait(span<poll_event> out, deadline_type d = deadline_type::never()) noexcept;

  /// Makes a current or the next wait() return. Safe from any thread.
  /// Errors (poller_wake): what the OS reports.
  status wake() noexcept;

  /// Adds a timer that fires at `when`: a wait then reports an event with
  /// io_events::timer and `data`. Allocates (the heap grows).
  timer_id add_timer(deadline_type when, std::uint64_t data) { return timers_.add(when.ns(), data); }
  /// Cancels a pending timer; false when it already fired or was cancelled.
  bool cancel_timer(timer_id id) noexcept { return timers_.cancel(id); }
  /// Pending timers.
  std::size_t timer_count() const noexcept { return timers_.size(); }
  /// The deadline of the first pending timer (never() when none).
  deadline_type next_timer() const noexcept { return deadline_type::at_ns(timers_.next()); }

  /// The policy's handle of the poller (its epoll/kqueue object or poll array).
  std::intptr_t native() const noexcept { return handle_; }

 private:
  static std::uint64_t pointer_data(void* p) noexcept {
    return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(p));
  }
  void close() noexcept;

  std::intptr_t handle_ = 0;
  detail::timer_heap timers_;
};

#if VITTE_OS_POSIX
/// Policy P with the poll(2) poller of posix_platform instead of its own
/// (epoll, kqueue): basic_poller<poll_platform<linux_platform>> is the poll
/// backend on Linux, for tests and for descriptors epoll refuses (regular files).
template <class P>
struct poll_platform : P {
  static constexpr text_view name = "poll";
  static result<std::intptr_t> poller_open() noexcept { return posix_platform::poller_open(); }
  static void poller_close(std::intptr_t p) noexcept { posix_platform::poller_close(p); }
  static error poller_add(std::intptr_t p, native_handle h, io_events i, trigger t, std::uint64_t d) noexcept {
    return posix_platform::poller_add(p, h, i, t, d);
  }
  static error poller_modify(std::intptr_t p, native_handle h, io_events i, trigger t, std::uint64_t d) noexcept {
    return posix_platform::poller_modify(p, h, i, t, d);
  }
  static error poller_remove(std::intptr_t p, native_handle h) noexcept { return posix_platform::poller_remove(p, h); }
  static result<std::size_t> poller_wait(std::intptr_t p, poll_event* out, std::size_t n, std::int64_t d) noexcept {
    return posix_platform::poller_wait(p, out, n, d);
  }
  static error poller_wake(std::intptr_t p) noexcept { return posix_platform::poller_wake(p); }
};
#endif

/// The poller of the default platform.
using poller = basic_poller<platform>;

}  // namespace vitte::sys

#include <vitte/sys/impl/poller.hpp>

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/poller.ipp>
#include <vitte/sys/detail/timer_heap.ipp>  // the timers (no OS)
#endif

#endif  // VITTE_SYS_POLLER_HPP
