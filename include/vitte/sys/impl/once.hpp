// Template bodies for vitte/sys/once.hpp. Included by it; do not include.
#ifndef VITTE_SYS_IMPL_ONCE_HPP
#define VITTE_SYS_IMPL_ONCE_HPP

#include <vitte/sys/impl/sync.hpp>

namespace vitte::sys {

namespace detail {
// Ends a run of call_once: `finished` when the function returned, back to
// `fresh` when it threw; wakes the sleepers either way.
struct once_completion {
  vitte::detail::atomic<std::uint32_t>& state;
  std::uint32_t outcome;
  std::uint32_t sleepers;
  void (*wake_all)(const void*, bool) noexcept;
  ~once_completion() {
    if (state.exchange(outcome, vitte::detail::acq_rel) == sleepers) wake_all(&state, true);
  }
};
}  // namespace detail

template <class P, class F, class... Args>
void call_once(basic_once_flag<P>& flag, F&& f, Args&&... args) {
  using flag_type = basic_once_flag<P>;
  vitte::detail::atomic<std::uint32_t>& state = flag.state_;
  if (VITTE_LIKELY(state.load(vitte::detail::acquire) == flag_type::finished)) return;
  for (;;) {
    std::uint32_t s = flag_type::fresh;
    if (state.compare_exchange(s, flag_type::running, vitte::detail::acquire, vitte::detail::acquire)) {
      // Until f returns, the completion would put the flag back to fresh.
      detail::once_completion done{state, flag_type::fresh, flag_type::sleepers, &P::wake_on_address};
      std::forward<F>(f)(std::forward<Args>(args)...);
      done.outcome = flag_type::finished;
      return;
    }
    if (s == flag_type::finished) return;
    if (s == flag_type::running &&
        !state.compare_exchange(s, flag_type::sleepers, vitte::detail::acquire, vitte::detail::acquire))
      continue;  // the state moved on: look again
    detail::park<P>(state, flag_type::sleepers, INT64_MAX);
  }
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_IMPL_ONCE_HPP
