// vitte/toolchain/impl/cancel.hpp - basic_cancellation: the programs
// running are kept in a list that cancel() walks, killing each group
// (POSIX); on Windows each run() polls the flag while its program runs.
#ifndef VITTE_TOOLCHAIN_IMPL_CANCEL_HPP
#define VITTE_TOOLCHAIN_IMPL_CANCEL_HPP

#include <vitte/sys/file.hpp>  // the captured streams, on Windows
#include <vitte/sys/path.hpp>
#include <vitte/sys/temp.hpp>

#include <algorithm>  // std::find
#include <chrono>
#include <mutex>  // std::lock_guard

namespace vitte::toolchain {

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
  if (o.dry_run) return ::vitte::toolchain::run(cmd, o);
  if constexpr (VITTE_OS_WINDOWS) return run_polled(cmd, o);
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

namespace detail {

// At most `limit` bytes of the file at `path` (a child's captured stream).
template <class P>
result<text> captured(const text& path, std::size_t limit) {
  auto f = sys::basic_file<P>::open(path, sys::open_mode::read);
  if (!f) return f.error();
  text out;
  char chunk[16384];
  while (out.size() < limit) {
    const std::size_t want = limit - out.size() < sizeof chunk ? limit - out.size() : sizeof chunk;
    auto n = f->read_some(vitte::as_writable_bytes(span<char>(chunk, want)));
    if (!n) return n.error();
    if (*n == 0) break;
    out.append(text_view(chunk, *n));
  }
  return out;
}

}  // namespace detail

// Windows: a child's captured pipes need sys::command::output(), which
// keeps the child to itself; so the streams go to two files and this
// thread waits in slices of 50 ms, killing the child (its job: what it
// started too) once cancel() was called or the deadline passed.
template <class P>
result<run_report> basic_cancellation<P>::run_polled(const sys::basic_command<P>& cmd, const basic_run_options<P>& o) {
  const error stopped{errc::interrupted, sys::ops::process_wait};
  run_report r;
  auto line = cmd.dry_run();
  if (!line) return line.error();
  r.command_line = static_cast<text&&>(*line);
  auto dir = sys::basic_temp_directory<P>::create({}, "vitte-run-");
  if (!dir) return dir.error();
  const text out_path = sys::path_join(dir->path(), "out"), err_path = sys::path_join(dir->path(), "err");
  sys::basic_command<P> captured = cmd;
  captured.out(sys::stdio::file(out_path)).err(sys::stdio::file(err_path));
  auto child = captured.spawn();
  if (!child) return child.error();
  for (;;) {
    const auto slice = sys::basic_deadline<P>::after(std::chrono::milliseconds(50));
    const bool last = o.deadline.ns() <= slice.ns();
    auto st = child->wait(last ? o.deadline : slice);
    if (st) {
      r.status = *st;
      break;
    }
    if (st.error() != errc::timed_out) return st.error();
    if (cancelled()) {
      (void)child->kill();
      return stopped;
    }
    if (last) {
      (void)child->kill();
      r.timed_out = true;
      return r;
    }
  }
  // As on POSIX (where cancel() kills it): a program that ended well
  // before cancel() is kept; one that failed after it (a console's
  // Ctrl-Break ends it too) was stopped.
  if (cancelled() && !r.status.success()) return stopped;
  auto out = detail::captured<P>(out_path, o.output_limit);
  if (!out) return out.error();
  auto err = detail::captured<P>(err_path, o.output_limit);
  if (!err) return err.error();
  r.out = static_cast<text&&>(*out);
  r.err = static_cast<text&&>(*err);
  return r;
}

}  // namespace vitte::toolchain

#endif  // VITTE_TOOLCHAIN_IMPL_CANCEL_HPP
