// vitte/toolchain/impl/cancel.hpp - basic_cancellation: the programs
// running are kept in a list that cancel() walks, killing each group.
#ifndef VITTE_TOOLCHAIN_IMPL_CANCEL_HPP
#define VITTE_TOOLCHAIN_IMPL_CANCEL_HPP

#include <algorithm>  // std::find
#include <mutex>      // std::lock_guard

namespace vitte::build {

template <class P>
void basic_cancellation<P>::cancel(int why) noexcept {
  int none = 0;
  (void)why_.compare_exchange_strong(none, why, std::memory_order_acq_rel);
  flag_.store(true, std::memory_order_release);
  // A child's id is never changed while it is listed (its reaping keeps
  // it), so each is signalled by the group it leads.
  std::lock_guard<sys::basic_mutex<P>> hold(m_);
  for (sys::basic_child<P>* c : running_) (void)c->signal(sys::process_signal_kind::kill);
}

template <class P>
result<run_report> basic_cancellation<P>::run(const sys::basic_command<P>& cmd, const basic_run_options<P>& o) {
  const error stopped{errc::interrupted, sys::ops::process_wait};
  if (cancelled()) return stopped;
  if (o.dry_run || VITTE_OS_WINDOWS) return build::run(cmd, o);
  run_report r;
  auto line = cmd.dry_run();
  if (!line) return line.error();
  r.command_line = static_cast<text&&>(*line);
  sys::basic_command<P> piped = cmd;
  piped.out(sys::stdio::pipe()).err(sys::stdio::pipe());
  auto child = piped.spawn();
  if (!child) return child.error();
  {
    // Listed before the flag is read again: a cancel() either finds it in
    // the list or set the flag before it was listed.
    std::lock_guard<sys::basic_mutex<P>> hold(m_);
    running_.push_back(&*child);
  }
  if (cancelled()) (void)child->signal(sys::process_signal_kind::kill);
  auto out = child->collect(o.deadline, o.output_limit);
  {
    std::lock_guard<sys::basic_mutex<P>> hold(m_);
    running_.erase(std::find(running_.begin(), running_.end(), &*child));
  }
  // A program that ended well before the kill reached it is kept.
  if (cancelled() && (!out || !out->status.success())) return stopped;
  if (!out) {
    if (out.error() != errc::timed_out) return out.error();
    r.timed_out = true;
    return r;
  }
  r.status = out->status;
  r.out = static_cast<text&&>(out->out);
  r.err = static_cast<text&&>(out->err);
  return r;
}

}  // namespace vitte::build

#endif  // VITTE_TOOLCHAIN_IMPL_CANCEL_HPP
