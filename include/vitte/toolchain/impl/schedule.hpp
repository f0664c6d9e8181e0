// vitte/toolchain/impl/schedule.hpp - run_schedule: the caller's thread
// hands ready steps to workers and reports what they finish; tokens of a
// jobserver are taken for every step beyond the first running one.
#ifndef VITTE_TOOLCHAIN_IMPL_SCHEDULE_HPP
#define VITTE_TOOLCHAIN_IMPL_SCHEDULE_HPP

#include <vitte/base/config.hpp>
#include <vitte/sys/condition_variable.hpp>
#include <vitte/sys/info.hpp>  // cpu_count
#include <vitte/sys/mutex.hpp>
#include <vitte/sys/thread.hpp>

#include <memory>
#include <mutex>    // std::unique_lock
#include <utility>  // std::pair
#include <vector>

namespace vitte::toolchain {

namespace detail {

// What the caller's thread, the workers and the jobserver's thread share.
template <class P>
struct schedule_sync {
  sys::basic_mutex<P> m;
  sys::basic_condition_variable<P> cv;
  std::vector<std::pair<step_id, step_context>> to_run;  // handed to workers, oldest first
  std::size_t next = 0;                                  // the first of to_run not taken
  std::vector<std::pair<step_id, step_outcome>> done;    // finished, not reported yet
  bool quit = false;
  bool token_arrived = false;
};

}  // namespace detail

template <class P, class Observer>
result<schedule_report> run_schedule_on(schedule& s, const schedule_options& o, Observer& observer) {
  using std::unique_lock;
  enum class where : std::uint8_t { waiting, ready, running, over };
  const std::size_t n = s.steps_.size();
  schedule_report report;
  if (n == 0) return report;
  unsigned jobs = o.jobs != 0 ? o.jobs : sys::cpu_count();
  if (jobs == 0) jobs = 1;
  if (jobs > n) jobs = static_cast<unsigned>(n);
  jobserver* tokens = o.tokens != nullptr && o.tokens->active() ? o.tokens : nullptr;

  auto sync = std::make_shared<detail::schedule_sync<P>>();
  std::vector<where> place(n, where::waiting);
  std::vector<std::uint32_t> waits(n);
  std::vector<bool> holds_token(n, false);
  std::vector<step_id> ready;  // a queue: ready[head...] in the order they became ready
  std::size_t head = 0;
  for (std::size_t i = 0; i < n; ++i) {
    waits[i] = s.steps_[i].waits_for;
    if (waits[i] == 0) {
      place[i] = where::ready;
      ready.push_back(static_cast<step_id>(i));
    }
  }

  // Workers (none with one job: steps then run here, one after the other).
  std::vector<sys::basic_thread<P>> workers;
  if (jobs > 1) {
    for (unsigned k = 0; k < jobs; ++k) {
      auto th = sys::basic_thread<P>::spawn([sync, &s] {
        for (;;) {
          unique_lock<sys::basic_mutex<P>> hold(sync->m);
          while (!sync->quit && sync->next == sync->to_run.size()) sync->cv.wait(hold);
          if (sync->quit) return;
          const auto [id, context] = sync->to_run[sync->next++];
          hold.unlock();
          step_outcome out = s.steps_[id].work(context);
          hold.lock();
          sync->done.emplace_back(id, static_cast<step_outcome&&>(out));
          sync->cv.notify_all();
        }
      });
      if (!th) {
        if (workers.empty()) return th.error();
        break;  // fewer workers than asked: run with those
      }
      workers.push_back(static_cast<sys::basic_thread<P>&&>(*th));
    }
    jobs = static_cast<unsigned>(workers.size());
  }
  // However this function is left (an observer that throws too): no token
  // kept, no callback left behind, the workers told to stop and joined.
  struct ending {
    detail::schedule_sync<P>& sync;
    std::vector<sys::basic_thread<P>>& workers;
    jobserver* tokens;
    ~ending() {
      if (tokens != nullptr) {
        tokens->cancel_requests();
        tokens->on_arrival(nullptr);
      }
      {
        unique_lock<sys::basic_mutex<P>> hold(sync.m);
        sync.quit = true;
      }
      sync.cv.notify_all();
      for (auto& w : workers) (void)w.join();
    }
  } end_of_run{*sync, workers, tokens};
  if (tokens != nullptr) {
    tokens->on_arrival([sync] {
      {
        unique_lock<sys::basic_mutex<P>> hold(sync->m);
        sync->token_arrived = true;
      }
      sync->cv.notify_all();
    });
  }

  std::size_t over = 0;
  unsigned running = 0;
  bool stopping = false;
  bool requested = false;
  // Stopped by the build's failure, or from outside (schedule_options::stop).
  const auto halted = [&] { return stopping || (o.stop != nullptr && o.stop->load(std::memory_order_acquire)); };
  const auto end = [&](step_id id, step_state st, step_outcome& out) {
    place[id] = where::over;
    ++over;
    if (st == step_state::succeeded) ++report.succeeded;
    if (st == step_state::failed) ++report.failed;
    if (st == step_state::skipped) ++report.skipped;
    observer.finished(id, st, out, static_cast<const schedule&>(s));
  };
  // Every step that waits, directly or not, for `id` never runs.
  const auto skip_waiters = [&](step_id id) {
    std::vector<step_id> stack(s.steps_[id].waiters.begin(), s.steps_[id].waiters.end());
    while (!stack.empty()) {
      const step_id w = stack.back();
      stack.pop_back();
      if (place[w] == where::over) continue;
      step_outcome none;
      end(w, step_state::skipped, none);
      stack.insert(stack.end(), s.steps_[w].waiters.begin(), s.steps_[w].waiters.end());
    }
  };
  const auto finish = [&](step_id id, step_outcome& out) {
    --running;
    if (holds_token[id]) {
      tokens->give_back();
      holds_token[id] = false;
    }
    const bool ok = out.ok;
    end(id, ok ? step_state::succeeded : step_state::failed, out);
    if (ok) {
      for (step_id w : s.steps_[id].waiters)
        if (--waits[w] == 0 && place[w] == where::waiting) {
          place[w] = where::ready;
          ready.push_back(w);
        }
      return;
    }
    if (!o.keep_going) stopping = true;
    skip_waiters(id);
  };

  while (over < n) {
    // Start what may start: the first running step needs no token.
    while (!halted() && head < ready.size() && running < jobs) {
      const step_id id = ready[head];
      if (place[id] != where::ready) {  // skipped since it became ready
        ++head;
        continue;
      }
      if (running > 0 && tokens != nullptr) {
        if (!tokens->take()) break;
        requested = false;
        holds_token[id] = true;
      }
      ++head;
      place[id] = where::running;
      ++running;
      if (running > report.most_at_once) report.most_at_once = running;
      observer.started(id, static_cast<const schedule&>(s));
      step_context context;
      if (o.step_time_limit.count() > 0)
        context.deadline = sys::deadline::at_ns(sys::basic_deadline<P>::after(o.step_time_limit).ns());
      if (workers.empty()) {
        step_outcome out = s.steps_[id].work(context);
        finish(id, out);
        continue;
      }
      {
        unique_lock<sys::basic_mutex<P>> hold(sync->m);
        sync->to_run.emplace_back(id, context);
      }
      sync->cv.notify_all();
    }
    if (running == 0) {
      if (over == n) break;
      // Nothing runs and nothing more may start: the rest never runs.
      for (std::size_t i = 0; i < n; ++i) {
        if (place[i] == where::over) continue;
        step_outcome none;
        end(static_cast<step_id>(i), step_state::skipped, none);
      }
      break;
    }
    // A token is worth asking for only while a step waits for one.
    bool want = !halted() && head < ready.size() && running < jobs && tokens != nullptr;
    if (want && !requested) {
      tokens->request();
      requested = true;
    } else if (!want && requested) {
      tokens->cancel_requests();
      requested = false;
    }
    std::vector<std::pair<step_id, step_outcome>> finished;
    {
      unique_lock<sys::basic_mutex<P>> hold(sync->m);
      while (sync->done.empty() && !sync->token_arrived) sync->cv.wait(hold);
      sync->token_arrived = false;
      finished.swap(sync->done);
    }
    for (auto& f : finished) finish(f.first, f.second);
  }

  return report;
}

}  // namespace vitte::toolchain

#endif  // VITTE_TOOLCHAIN_IMPL_SCHEDULE_HPP
