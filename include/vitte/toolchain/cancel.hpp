// vitte/toolchain/cancel.hpp - stopping a build at once: every program its
// steps run is killed with what it started, and nothing more starts.
//
//   namespace toolchain = vitte::toolchain;
//   toolchain::cancellation stop;
//   toolchain::schedule_options o;
//   o.stop = &stop.flag();                         // the schedule starts nothing once cancelled
//   (void)plan.add("cc a.c", {}, [&](const toolchain::step_context& c) {
//     toolchain::run_options ro;
//     ro.deadline = c.deadline;
//     auto r = stop.run(vitte::sys::command("cc").args({"-c", "a.c"}), ro);
//     if (!r && r.error() == vitte::errc::interrupted) ...   // stopped by cancel()
//     ...
//   });
//   // elsewhere (a thread reading a sys::signal_watch): stop.cancel(signal_number);
//
// cancel() acts as an immediate deadline for every program running through
// run(): each is killed with its process group (a compiler and the
// assembler it started), as toolchain::run kills one at its deadline, and
// run() answers errc::interrupted; a run() called after cancel() starts
// nothing and answers the same. A program that exits between the check and
// the kill is reported as it ended. Windows: the program's output goes to
// two temporary files (captured pipes need sys::command::output, which
// keeps the child to itself) and run() looks at the flag every 50 ms,
// then kills the program's job (what it started too). Unlike toolchain::run,
// stdout and stderr are always captured apart: a command's
// err(stdio::merge()) is not kept.
//
// Thread safety: cancel(), cancelled() and run() may be called from any
// thread at once.
#ifndef VITTE_TOOLCHAIN_CANCEL_HPP
#define VITTE_TOOLCHAIN_CANCEL_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/sys/mutex.hpp>
#include <vitte/sys/platform.hpp>
#include <vitte/sys/process.hpp>
#include <vitte/toolchain/run.hpp>  // run_options, run_report

#include <atomic>

namespace vitte::toolchain {

/// A build's stop (see the header).
template <class P = sys::platform>
class basic_cancellation {
 public:
  basic_cancellation() = default;
  basic_cancellation(const basic_cancellation&) = delete;
  basic_cancellation& operator=(const basic_cancellation&) = delete;

  /// Stops: from now on cancelled() is true, every program running through
  /// run() is killed with its group, and run() starts none. `why` (a signal
  /// number, say) is kept from the first call.
  void cancel(int why = 0) noexcept;
  /// True once cancel() was called.
  bool cancelled() const noexcept { return flag_.load(std::memory_order_acquire); }
  /// The first cancel()'s `why` (0 before).
  int why() const noexcept { return why_.load(std::memory_order_acquire); }
  /// The flag for schedule_options::stop.
  const std::atomic<bool>& flag() const noexcept { return flag_; }

  /// Runs `cmd` with its output captured, as toolchain::run does (the options'
  /// deadline, output limit and dry run; no log), until it ends or
  /// cancel(). Errors: those of toolchain::run; interrupted (process_wait) when
  /// cancel() stopped it or came first.
  result<run_report> run(const sys::basic_command<P>& cmd, const basic_run_options<P>& o = {});

 private:
  result<run_report> run_polled(const sys::basic_command<P>& cmd, const basic_run_options<P>& o);

  sys::basic_mutex<P> m_;
  buffer<sys::basic_child<P>*> running_;  // killed by cancel()
  std::atomic<bool> flag_{false};
  std::atomic<int> why_{0};
};

/// The default platform's cancellation.
using cancellation = basic_cancellation<sys::platform>;

}  // namespace vitte::toolchain

#include <vitte/toolchain/impl/cancel.hpp>

#endif  // VITTE_TOOLCHAIN_CANCEL_HPP
