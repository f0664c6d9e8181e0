// Template bodies for vitte/sys/condition_variable.hpp. Included by it; do not include.
#ifndef VITTE_SYS_IMPL_CONDITION_VARIABLE_HPP
#define VITTE_SYS_IMPL_CONDITION_VARIABLE_HPP

#include <vitte/sys/impl/sync.hpp>

#include <utility>  // std::move

namespace vitte::sys::detail {

/// The futex condition variable: waiters sleep on a sequence number that
/// each notification increments, so a notification between releasing the
/// mutex and sleeping is not lost. A count of waiters, kept while the mutex
/// is held, lets notify skip the system call when nobody waits: a notifier
/// that reads 0 ran before any waiter's critical section that could need
/// it (the predicate is changed under the mutex). Notify reads the count
/// before it publishes the new sequence number and then uses only the
/// address, so a waiter may destroy the condition variable once woken.
template <class P>
class futex_condition {
 public:
  constexpr futex_condition() noexcept = default;

  // `m` is held; held again on return. False once `d` has passed.
  bool wait(futex_mutex<P>& m, basic_deadline<P> d) noexcept {
    waiters_.fetch_add(1, vitte::detail::seq_cst);
    std::uint32_t seq = seq_.load(vitte::detail::seq_cst);
    m.unlock();
    park<P>(seq_, seq, d.ns());
    waiters_.fetch_sub(1, vitte::detail::relaxed);
    m.lock();
    return !d.expired();
  }

  void notify(bool all) noexcept {
    bool anyone = waiters_.load(vitte::detail::seq_cst) != 0;
    seq_.fetch_add(1, vitte::detail::seq_cst);
    if (anyone) P::wake_on_address(&seq_, all);
  }

 private:
  vitte::detail::atomic<std::uint32_t> seq_{0};
  vitte::detail::atomic<std::uint32_t> waiters_{0};
};

/// The policy's native condition variable (pthread_cond_t, CONDITION_VARIABLE).
template <class P>
class native_condition
    : public native_object<P::condition_size, P::condition_align, &P::condition_init, &P::condition_destroy> {
 public:
  bool wait(native_mutex<P>& m, basic_deadline<P> d) noexcept {
    return P::condition_wait(this->native(), m.native(), d.ns()) != errc::timed_out;
  }

  void notify(bool all) noexcept { P::condition_notify(this->native(), all); }
};

}  // namespace vitte::sys::detail

namespace vitte::sys {

template <class P>
template <lock_of<basic_mutex<P>> Lock>
void basic_condition_variable<P>::wait(Lock& lock) noexcept {
  assert(lock.owns_lock() && "vitte: condition_variable::wait needs the lock held");
  (void)impl_.wait(lock.mutex()->impl_, basic_deadline<P>::never());
}

template <class P>
template <lock_of<basic_mutex<P>> Lock, class Pred>
void basic_condition_variable<P>::wait(Lock& lock, Pred pred) {
  while (!pred()) wait(lock);
}

template <class P>
template <lock_of<basic_mutex<P>> Lock>
bool basic_condition_variable<P>::wait_until(Lock& lock, basic_deadline<P> d) noexcept {
  assert(lock.owns_lock() && "vitte: condition_variable::wait_until needs the lock held");
  if (d.expired()) return false;
  return impl_.wait(lock.mutex()->impl_, d);
}

template <class P>
template <lock_of<basic_mutex<P>> Lock, class Pred>
bool basic_condition_variable<P>::wait_until(Lock& lock, basic_deadline<P> d, Pred pred) {
  while (!pred()) {
    if (!wait_until(lock, d)) return pred();
  }
  return true;
}

template <class P>
template <lock_of<basic_mutex<P>> Lock, class Rep, class Period>
bool basic_condition_variable<P>::wait_for(Lock& lock, std::chrono::duration<Rep, Period> d) noexcept {
  return wait_until(lock, basic_deadline<P>::after(d));
}

template <class P>
template <lock_of<basic_mutex<P>> Lock, class Rep, class Period, class Pred>
bool basic_condition_variable<P>::wait_for(Lock& lock, std::chrono::duration<Rep, Period> d, Pred pred) {
  return wait_until(lock, basic_deadline<P>::after(d), std::move(pred));
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_IMPL_CONDITION_VARIABLE_HPP
