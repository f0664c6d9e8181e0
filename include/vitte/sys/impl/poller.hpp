// Template bodies for vitte/sys/poller.hpp. Included by it; do not include.
#ifndef VITTE_SYS_IMPL_POLLER_HPP
#define VITTE_SYS_IMPL_POLLER_HPP

#include <vitte/sys/detail/retry.hpp>

namespace vitte::sys {

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
