// vitte/toolchain/schedule.hpp - a build's steps, run in parallel.
//
//   namespace toolchain = vitte::toolchain;
//   toolchain::schedule s;
//   const toolchain::step_id a = s.add("cc a.c", {}, [](const toolchain::step_context& c) {
//     return compile("a.c", c.deadline);       // a work may take its context
//   }).value();
//   const toolchain::step_id b = s.add("cc b.c", {}, [] { return compile("b.c"); }).value();
//   (void)s.add("link app", {a, b}, [] { return link("app"); });
//
//   struct show {
//     void started(toolchain::step_id, const toolchain::schedule&) {}
//     void finished(toolchain::step_id id, toolchain::step_state st, toolchain::step_outcome& o, const
//     toolchain::schedule& s) {
//       std::fputs(o.output.c_str(), stdout);   // the step's output, whole
//     }
//   } observer;
//   toolchain::schedule_options o;
//   o.jobs = 8;                                    // 0: one per CPU
//   toolchain::schedule_report r = toolchain::run_schedule(s, o, observer).value();
//   if (!r.ok()) ...                               // r.failed steps failed, r.skipped never ran
//
// A step runs once every step it waits for succeeded; steps with nothing to
// wait for start in the order they were added, at most `jobs` at once, each
// on a worker thread (with jobs = 1, on the caller's thread, one after the
// other, in that order). A step only names steps added before it, so a
// schedule has no cycle. The observer is called on the caller's thread only:
// started() when a step is handed to a worker, finished() when it is done,
// in the order steps finish, so what it prints of a step is whole and never
// interleaved with another step's (ninja's rule). A step that fails stops
// the build: nothing more starts, the steps running finish and are reported,
// every step that never ran is reported skipped. With keep_going, the steps
// that do not wait (directly or through others) for a failed one still run.
//
// With step_time_limit, each step's work gets a deadline that far from its
// start (a work taking `const step_context&` reads it; toolchain::run kills a
// program at it): a compile that hangs fails its step, and the build goes
// on as for any failure.
//
// With stop (a toolchain::cancellation's flag, vitte/toolchain/cancel.hpp),
// a build interrupted from another thread starts nothing more: the steps
// running finish (a cancellation kills their programs), the rest are
// reported skipped.
//
// With a jobserver (vitte/toolchain/jobserver.hpp) every step beyond the
// first running one holds one of its tokens, so a `make -j4` around the
// build, and the other programs sharing that jobserver, never run more than
// four jobs together.
//
// Errors: thread_create when no worker could start.
// Thread safety: a schedule is used by one run_schedule at a time; a step's
// work runs on a worker thread and must not touch what the observer does.
#ifndef VITTE_TOOLCHAIN_SCHEDULE_HPP
#define VITTE_TOOLCHAIN_SCHEDULE_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/detail/chrono.hpp>  // step_time_limit
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/sys/platform.hpp>
#include <vitte/sys/time.hpp>  // a step's deadline
#include <vitte/toolchain/jobserver.hpp>
#include <vitte/toolchain/operations.hpp>

#include <atomic>  // schedule_options::stop
#include <cstddef>
#include <cstdint>
#include <functional>  // a step's work
#include <initializer_list>
#include <type_traits>  // works with and without a context
#include <utility>

namespace vitte::toolchain {

/// A step's number in its schedule: the order add() gave.
using step_id = std::uint32_t;

/// What a step's work returns.
struct step_outcome {
  bool ok = true;  ///< false: the step failed
  text output;     ///< what the step printed, shown whole when it finishes
};

/// What a step's work is told when it starts.
struct step_context {
  /// schedule_options::step_time_limit from the step's start (never() without one).
  sys::deadline deadline = sys::deadline::never();
};

/// How a step ended.
enum class step_state : std::uint8_t {
  succeeded,
  failed,
  skipped,  ///< never ran: a step it waits for failed, or the build stopped first
};

/// How to run a schedule.
struct schedule_options {
  unsigned jobs = 0;            ///< Steps at once; 0: one per CPU (sys::cpu_count()).
  bool keep_going = false;      ///< After a failure, still run what does not wait for it.
  jobserver* tokens = nullptr;  ///< Share the budget with make's jobserver (may be null).
  /// Each step's deadline from its start (step_context::deadline); zero: none.
  std::chrono::nanoseconds step_time_limit{0};
  /// Once it holds true (set from any thread; toolchain::cancellation::flag()),
  /// nothing more starts: the steps running finish, the rest are skipped.
  const std::atomic<bool>* stop = nullptr;
};

/// What a run did.
struct schedule_report {
  std::uint32_t succeeded = 0;
  std::uint32_t failed = 0;
  std::uint32_t skipped = 0;
  unsigned most_at_once = 0;  ///< The most steps that ran together.
  bool ok() const noexcept { return failed == 0 && skipped == 0; }
};

class schedule;

/// Runs the steps of `s` (see the header). The observer has
/// `started(step_id, const schedule&)` and
/// `finished(step_id, step_state, step_outcome&, const schedule&)`; for a
/// skipped step the outcome is empty.
template <class P = sys::platform, class Observer>
result<schedule_report> run_schedule_on(schedule& s, const schedule_options& o, Observer& observer);

/// The steps of a build and what each waits for.
class schedule {
 public:
  using work_type = std::function<step_outcome(const step_context&)>;

  /// Adds a step named `name` (for the observer) that runs `work` once every
  /// step in `after` succeeded; `work` takes a `const step_context&` or
  /// nothing. Errors: invalid_argument when `after` names a step not added
  /// yet (so no schedule has a cycle).
  template <class Work>
  result<step_id> add(text name, std::initializer_list<step_id> after, Work&& work) {
    return add_work(static_cast<text&&>(name), span<const step_id>(after.begin(), after.size()),
                    as_work(std::forward<Work>(work)));
  }
  template <class Work>
  result<step_id> add(text name, span<const step_id> after, Work&& work) {
    return add_work(static_cast<text&&>(name), after, as_work(std::forward<Work>(work)));
  }

  /// The number of steps.
  std::size_t size() const noexcept { return steps_.size(); }
  /// The name add() gave step `id`.
  text_view name(step_id id) const noexcept { return steps_[id].name; }

 private:
  template <class P, class Observer>
  friend result<schedule_report> run_schedule_on(schedule&, const schedule_options&, Observer&);

  template <class Work>
  static work_type as_work(Work&& work) {
    if constexpr (std::is_invocable_v<Work&, const step_context&>)
      return work_type(std::forward<Work>(work));
    else
      return [w = std::forward<Work>(work)](const step_context&) mutable { return w(); };
  }
  result<step_id> add_work(text name, span<const step_id> after, work_type work);

  struct step {
    text name;
    work_type work;
    buffer<step_id> waiters;      // the steps that wait for this one
    std::uint32_t waits_for = 0;  // how many steps this one waits for
  };
  buffer<step> steps_;
};

template <class Observer>
result<schedule_report> run_schedule(schedule& s, const schedule_options& o, Observer& observer) {
  return run_schedule_on<sys::platform>(s, o, observer);
}

}  // namespace vitte::toolchain

#include <vitte/toolchain/impl/schedule.hpp>

#if VITTE_HEADER_ONLY
#include <vitte/toolchain/impl/schedule.ipp>
#endif

#endif  // VITTE_TOOLCHAIN_SCHEDULE_HPP
