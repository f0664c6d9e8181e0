// Template bodies for vitte/sys/poller.hpp. Included by it; do not include.
#ifndef VITTE_SYS_IMPL_POLLER_HPP
#define VITTE_SYS_IMPL_POLLER_HPP

#include <vitte/sys/detail/retry.hpp>

namespace vitte::sys {

namespace detail {

inline timer_id timer_heap::add(std::int64_t when, std::uint64_t data) {
  std::uint32_t slot;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.push_back(slot_state{});
  }
  slots_[slot].data = data;
  heap_.push_back(node{when, order_++, slot});
  slots_[slot].position = static_cast<std::uint32_t>(heap_.size() - 1);
  sift_up(heap_.size() - 1);
  return timer_id{slot, slots_[slot].generation};
}

inline bool timer_heap::cancel(timer_id id) noexcept {
  if (id.slot >= slots_.size()) return false;
  const slot_state& s = slots_[id.slot];
  if (s.generation != id.generation || s.position == ~std::uint32_t{0}) return false;
  erase_at(s.position);
  return true;
}

inline std::size_t timer_heap::pop_due(std::int64_t now, span<poll_event> out) noexcept {
  std::size_t n = 0;
  while (n < out.size() && !heap_.empty() && heap_[0].when <= now) {
    out[n++] = poll_event{slots_[heap_[0].slot].data, io_events::timer};
    erase_at(0);
  }
  return n;
}

inline void timer_heap::sift_up(std::size_t i) noexcept {
  node n = heap_[i];
  while (i > 0) {
    std::size_t parent = (i - 1) / 2;
    if (!before(n, heap_[parent])) break;
    place(i, heap_[parent]);
    i = parent;
  }
  place(i, n);
}

inline void timer_heap::sift_down(std::size_t i) noexcept {
  node n = heap_[i];
  std::size_t size = heap_.size();
  for (;;) {
    std::size_t child = 2 * i + 1;
    if (child >= size) break;
    if (child + 1 < size && before(heap_[child + 1], heap_[child])) ++child;
    if (!before(heap_[child], n)) break;
    place(i, heap_[child]);
    i = child;
  }
  place(i, n);
}

// Frees the slot of the node at heap position i and restores the heap.
inline void timer_heap::erase_at(std::size_t i) noexcept {
  std::uint32_t slot = heap_[i].slot;
  slots_[slot].position = ~std::uint32_t{0};
  ++slots_[slot].generation;
  free_.push_back(slot);
  std::size_t last = heap_.size() - 1;
  if (i != last) {
    place(i, heap_[last]);
    heap_.pop_back();
    sift_down(i);
    sift_up(i);
    return;
  }
  heap_.pop_back();
}

}  // namespace detail

template <class P>
basic_poller<P>::basic_poller(basic_poller&& other) noexcept
    : handle_(other.handle_), timers_(static_cast<detail::timer_heap&&>(other.timers_)) {
  other.handle_ = 0;
}

template <class P>
basic_poller<P>& basic_poller<P>::operator=(basic_poller&& other) noexcept {
  if (this == &other) return *this;
  close();
  handle_ = other.handle_;
  other.handle_ = 0;
  timers_ = static_cast<detail::timer_heap&&>(other.timers_);
  return *this;
}

template <class P>
basic_poller<P>::~basic_poller() {
  close();
}

template <class P>
void basic_poller<P>::close() noexcept {
  if (handle_ == 0) return;
  P::poller_close(handle_);
  handle_ = 0;
}

template <class P>
result<basic_poller<P>> basic_poller<P>::create() noexcept {
  result<std::intptr_t> h = P::poller_open();
  if (!h) return h.error();
  basic_poller p;
  p.handle_ = *h;
  return p;
}

template <class P>
status basic_poller<P>::add(native_handle h, io_events interest, std::uint64_t data, trigger t) noexcept {
  if (handle_ == 0) return error{errc::bad_descriptor, ops::poller_add};
  if (data == poller_reserved_data) return error{errc::invalid_argument, ops::poller_add};
  if (error e = P::poller_add(handle_, h, interest, t, data)) return e;
  return {};
}

template <class P>
status basic_poller<P>::modify(native_handle h, io_events interest, std::uint64_t data, trigger t) noexcept {
  if (handle_ == 0) return error{errc::bad_descriptor, ops::poller_modify};
  if (data == poller_reserved_data) return error{errc::invalid_argument, ops::poller_modify};
  if (error e = P::poller_modify(handle_, h, interest, t, data)) return e;
  return {};
}

template <class P>
status basic_poller<P>::remove(native_handle h) noexcept {
  if (handle_ == 0) return error{errc::bad_descriptor, ops::poller_remove};
  if (error e = P::poller_remove(handle_, h)) return e;
  return {};
}

template <class P>
result<span<poll_event>> basic_poller<P>::wait(span<poll_event> out, deadline_type d) noexcept {
  if (handle_ == 0) return error{errc::bad_descriptor, ops::poller_wait};
  if (out.empty()) return error{errc::invalid_argument, ops::poller_wait};
  for (;;) {
    std::int64_t until = timers_.next() < d.ns() ? timers_.next() : d.ns();
    result<std::size_t> r = P::poller_wait(handle_, out.data(), out.size(), until);
    if (!r) {
      if (r.error() == errc::interrupted) continue;
      return r.error();
    }
    // Take the wake-up events out (order does not matter).
    std::size_t n = *r;
    bool woken = false;
    for (std::size_t i = 0; i < n;) {
      if (out[i].data != poller_reserved_data) {
        ++i;
        continue;
      }
      woken = true;
      out[i] = out[--n];
    }
    if (timers_.size() != 0 || n == 0) {
      std::int64_t now = P::clock_now_ns(clock_id::monotonic);
      n += timers_.pop_due(now, out.subspan(n));
      if (n == 0 && !woken && now < d.ns()) continue;  // woke early (timeouts round to the OS's step)
    }
    return out.first(n);
  }
}

template <class P>
status basic_poller<P>::wake() noexcept {
  if (handle_ == 0) return error{errc::bad_descriptor, ops::poller_wake};
  if (error e = P::poller_wake(handle_)) return e;
  return {};
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_IMPL_POLLER_HPP
