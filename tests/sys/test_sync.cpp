// Synchronisation: mutexes under contention, timed waits that end at their
// deadline and not before, readers-writer locks, condition variables,
// semaphores, once, and waiting on an address. Each test runs on the default
// policy, on fault_platform (interrupted waits must be retried) and, on
// Linux, also on the generic POSIX policy (pthread locks, the parking table).
//
// Timing: waits must not end before their deadline; the upper bounds are
// generous (seconds) because CI machines are small and noisy.
#include <vitte/sys/condition_variable.hpp>
#include <vitte/sys/mutex.hpp>
#include <vitte/sys/once.hpp>
#include <vitte/sys/policy/fault.hpp>
#include <vitte/sys/semaphore.hpp>
#include <vitte/sys/shared_mutex.hpp>
#include <vitte/sys/thread.hpp>
#include <vitte/sys/wait.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <shared_mutex>
#include <tuple>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "print.hpp"

using namespace std::chrono_literals;
namespace sys = vitte::sys;
using vitte::errc;
using vitte::operation;

namespace {

using faulty = sys::fault_platform<sys::platform>;
#if VITTE_POLICY == VITTE_POLICY_LINUX
using policies = std::tuple<sys::platform, sys::posix_platform, faulty>;
#else
using policies = std::tuple<sys::platform, faulty>;
#endif

constexpr auto generous = 10s;  // an upper bound no healthy run comes near

template <class P>
std::chrono::nanoseconds since(typename sys::basic_clock<P, sys::clock_id::monotonic>::time_point t0) {
  return sys::basic_clock<P, sys::clock_id::monotonic>::now() - t0;
}

template <class P>
auto now() {
  return sys::basic_clock<P, sys::clock_id::monotonic>::now();
}

// Runs f(i) on n threads of policy P and joins them.
template <class P, class F>
void run_threads(int n, F f) {
  std::vector<sys::basic_thread<P>> threads;
  for (int i = 0; i < n; ++i) {
    auto t = sys::basic_thread<P>::spawn([&f, i] { f(i); });
    BOOST_REQUIRE(t.has_value());
    threads.push_back(std::move(*t));
  }
  for (auto& t : threads) BOOST_TEST(t.join().has_value());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(synchronisation)

// First in this executable: the process has one thread until it spawns one.
BOOST_AUTO_TEST_CASE(mutex_held_across_the_first_thread_creation) {
#if VITTE_POLICY == VITTE_POLICY_LINUX
  BOOST_TEST_MESSAGE("single-threaded at start: " << sys::platform::single_threaded());
#endif
  sys::mutex m;
  m.lock();  // perhaps with plain stores: nobody else exists
  BOOST_TEST(!m.try_lock());
  std::atomic<int> tried{-1};
  sys::counting_semaphore<> tried_once(0);
  auto t = sys::thread::spawn([&] {
    tried = m.try_lock() ? 1 : 0;
    tried_once.release();
    m.lock();  // sleeps until main unlocks
    m.unlock();
  });
  BOOST_REQUIRE(t.has_value());
#if VITTE_POLICY == VITTE_POLICY_LINUX
  BOOST_TEST(!sys::platform::single_threaded());
#endif
  tried_once.acquire();
  BOOST_TEST(tried.load() == 0);  // the lock taken before the thread existed holds
  m.unlock();
  BOOST_TEST(t->join().has_value());
  BOOST_TEST(m.try_lock());
  m.unlock();
}

BOOST_AUTO_TEST_CASE_TEMPLATE(mutex_counter_is_exact_under_contention, P, policies) {
  sys::fault_plan::clear();
  if constexpr (std::is_same_v<P, faulty>)
    BOOST_TEST(sys::fault_plan::fail(vitte::sys::ops::wait_on_address, errc::interrupted, 50));
  sys::basic_mutex<P> m;
  long counter = 0;  // plain: only the mutex protects it
  run_threads<P>(4, [&](int) {
    for (int i = 0; i < 200'000; ++i) {
      std::lock_guard<sys::basic_mutex<P>> g(m);
      ++counter;
    }
  });
  BOOST_TEST(counter == 800'000);
  sys::fault_plan::clear();
}

BOOST_AUTO_TEST_CASE_TEMPLATE(mutex_works_with_standard_locks, P, policies) {
  sys::basic_mutex<P> a, b;
  {
    std::scoped_lock both(a, b);
    BOOST_TEST(!a.try_lock());
    BOOST_TEST(!b.try_lock());
  }
  std::unique_lock<sys::basic_mutex<P>> u(a, std::try_to_lock);
  BOOST_TEST(u.owns_lock());
  u.unlock();
  BOOST_TEST(a.try_lock());
  a.unlock();
}

BOOST_AUTO_TEST_CASE_TEMPLATE(timed_mutex_times_out_at_its_deadline, P, policies) {
  sys::basic_timed_mutex<P> m;
  sys::basic_counting_semaphore<P> held(0), release(0);
  auto owner = sys::basic_thread<P>::spawn([&] {
    m.lock();
    held.release();
    release.acquire();
    m.unlock();
  });
  BOOST_REQUIRE(owner.has_value());
  held.acquire();

  auto t0 = now<P>();
  BOOST_TEST(!m.try_lock_for(50ms));
  BOOST_TEST(since<P>(t0) >= 50ms);
  BOOST_TEST(since<P>(t0) < generous);

  t0 = now<P>();
  BOOST_TEST(!m.try_lock_until(std::chrono::steady_clock::now() + 30ms));  // another clock
  BOOST_TEST(since<P>(t0) >= 30ms);
  BOOST_TEST(!m.try_lock_until(sys::basic_deadline<P>::after(-1s)));  // already expired: no wait

  release.release();
  BOOST_TEST(m.try_lock_for(generous));  // taken once the owner lets go
  m.unlock();
  BOOST_TEST(owner->join().has_value());
}

BOOST_AUTO_TEST_CASE_TEMPLATE(timed_mutex_counter_is_exact, P, policies) {
  sys::basic_timed_mutex<P> m;
  long counter = 0;
  std::atomic<int> timeouts{0};
  run_threads<P>(3, [&](int) {
    for (int i = 0; i < 50'000; ++i) {
      std::unique_lock<sys::basic_timed_mutex<P>> g(m, std::defer_lock);
      if (i % 2 == 0) {
        g.lock();
      } else if (!g.try_lock_for(generous)) {
        ++timeouts;
        continue;
      }
      ++counter;
    }
  });
  BOOST_TEST(timeouts.load() == 0);
  BOOST_TEST(counter == 150'000);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(shared_mutex_admits_readers_together, P, policies) {
  sys::basic_shared_mutex<P> m;
  std::atomic<int> inside{0};
  std::atomic<bool> met{false};
  run_threads<P>(2, [&](int) {
    std::shared_lock<sys::basic_shared_mutex<P>> r(m);
    ++inside;
    // Both readers hold the lock at once, or this waits out the deadline.
    auto d = sys::basic_deadline<P>::after(generous);
    while (inside.load() < 2 && !d.expired()) sys::this_thread::yield<P>();
    if (inside.load() == 2) met = true;
  });
  BOOST_TEST(met.load());

  m.lock_shared();
  BOOST_TEST(!m.try_lock());
  BOOST_TEST(m.try_lock_shared());
  m.unlock_shared();
  m.unlock_shared();
  m.lock();
  BOOST_TEST(!m.try_lock_shared());
  BOOST_TEST(!m.try_lock());
  m.unlock();
}

BOOST_AUTO_TEST_CASE_TEMPLATE(shared_mutex_readers_never_see_a_half_write, P, policies) {
  sys::basic_shared_mutex<P> m;
  long a = 0, b = 0;  // writers keep a == b
  std::atomic<long> torn{0};
  run_threads<P>(4, [&](int i) {
    for (int k = 0; k < 20'000; ++k) {
      if (i < 2) {
        std::lock_guard<sys::basic_shared_mutex<P>> w(m);
        ++a;
        ++b;
      } else {
        std::shared_lock<sys::basic_shared_mutex<P>> r(m);
        if (a != b) ++torn;
      }
    }
  });
  BOOST_TEST(torn.load() == 0);
  BOOST_TEST(a == 40'000);
  BOOST_TEST(b == 40'000);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(condition_variable_hands_over_work, P, policies) {
  sys::basic_mutex<P> m;
  sys::basic_condition_variable<P> cv;
  int queue = 0;
  long consumed = 0;
  constexpr int items = 2'000;
  auto consumer = sys::basic_thread<P>::spawn([&] {
    std::unique_lock<sys::basic_mutex<P>> lock(m);
    while (consumed < items) {
      cv.wait(lock, [&] { return queue > 0; });
      --queue;
      ++consumed;
    }
  });
  BOOST_REQUIRE(consumer.has_value());
  for (int i = 0; i < items; ++i) {
    {
      std::lock_guard<sys::basic_mutex<P>> g(m);
      ++queue;
    }
    cv.notify_one();
  }
  BOOST_TEST(consumer->join().has_value());
  BOOST_TEST(consumed == items);
  BOOST_TEST(queue == 0);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(condition_variable_notify_all_wakes_everyone, P, policies) {
  sys::basic_mutex<P> m;
  sys::basic_condition_variable<P> cv;
  bool go = false;
  std::atomic<int> waiting{0}, woken{0};
  std::vector<sys::basic_thread<P>> threads;
  for (int i = 0; i < 4; ++i) {
    auto t = sys::basic_thread<P>::spawn([&] {
      std::unique_lock<sys::basic_mutex<P>> lock(m);
      ++waiting;
      cv.wait(lock, [&] { return go; });
      ++woken;
    });
    BOOST_REQUIRE(t.has_value());
    threads.push_back(std::move(*t));
  }
  auto d = sys::basic_deadline<P>::after(generous);
  while (waiting.load() < 4 && !d.expired()) sys::this_thread::yield<P>();
  {
    std::lock_guard<sys::basic_mutex<P>> g(m);
    go = true;
  }
  cv.notify_all();
  threads.clear();
  BOOST_TEST(woken.load() == 4);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(condition_variable_times_out_at_its_deadline, P, policies) {
  sys::basic_mutex<P> m;
  sys::basic_condition_variable<P> cv;
  std::unique_lock<sys::basic_mutex<P>> lock(m);

  auto t0 = now<P>();
  BOOST_TEST(!cv.wait_until(lock, sys::basic_deadline<P>::after(50ms), [] { return false; }));
  BOOST_TEST(since<P>(t0) >= 50ms);
  BOOST_TEST(since<P>(t0) < generous);
  BOOST_TEST(lock.owns_lock());

  t0 = now<P>();
  while (cv.wait_for(lock, 30ms)) {  // spurious wake-ups return true: wait again
  }
  BOOST_TEST(since<P>(t0) >= 30ms);
  BOOST_TEST(!cv.wait_for(lock, -5ms));
  BOOST_TEST(cv.wait_for(lock, 1ms, [] { return true; }));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(semaphore_counts_permits, P, policies) {
  sys::basic_counting_semaphore<P, 8> s(3);
  static_assert(sys::basic_counting_semaphore<P, 8>::max() == 8);
  BOOST_TEST(s.try_acquire());
  BOOST_TEST(s.try_acquire());
  BOOST_TEST(s.try_acquire());
  BOOST_TEST(!s.try_acquire());
  s.release(2);
  BOOST_TEST(s.try_acquire());
  BOOST_TEST(s.try_acquire());
  BOOST_TEST(!s.try_acquire());
  s.release(0);
  BOOST_TEST(!s.try_acquire());
}

BOOST_AUTO_TEST_CASE_TEMPLATE(semaphore_times_out_at_its_deadline, P, policies) {
  sys::basic_counting_semaphore<P, 1> s(0);
  auto t0 = now<P>();
  BOOST_TEST(!s.try_acquire_for(50ms));
  BOOST_TEST(since<P>(t0) >= 50ms);
  BOOST_TEST(since<P>(t0) < generous);
  t0 = now<P>();
  BOOST_TEST(!s.try_acquire_until(std::chrono::system_clock::now() + 30ms));  // the wall clock
  BOOST_TEST(since<P>(t0) >= 25ms);                                           // the two clocks tick apart by a little
  s.release();
  BOOST_TEST(s.try_acquire_until(sys::basic_deadline<P>::after(-1s)));  // a permit needs no waiting
}

BOOST_AUTO_TEST_CASE_TEMPLATE(semaphore_limits_concurrency_and_wakes_acquirers, P, policies) {
  sys::basic_counting_semaphore<P> s(2);
  std::atomic<int> inside{0}, most{0};
  run_threads<P>(6, [&](int) {
    for (int k = 0; k < 200; ++k) {
      s.acquire();
      int n = ++inside;
      int m = most.load();
      while (n > m && !most.compare_exchange_weak(m, n)) {
      }
      --inside;
      s.release();
    }
  });
  BOOST_TEST(most.load() <= 2);
  BOOST_TEST(most.load() >= 1);

  // A producer hands 1000 permits to two consumers, one at a time.
  sys::basic_counting_semaphore<P> items(0);
  std::atomic<int> taken{0};
  auto consume = [&] {
    for (int k = 0; k < 500; ++k) {
      items.acquire();
      ++taken;
    }
  };
  auto c1 = sys::basic_thread<P>::spawn(consume);
  auto c2 = sys::basic_thread<P>::spawn(consume);
  BOOST_REQUIRE(c1.has_value());
  BOOST_REQUIRE(c2.has_value());
  for (int k = 0; k < 1000; ++k) items.release();
  BOOST_TEST(c1->join().has_value());
  BOOST_TEST(c2->join().has_value());
  BOOST_TEST(taken.load() == 1000);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(once_runs_exactly_once_under_contention, P, policies) {
  for (int round = 0; round < 20; ++round) {
    sys::basic_once_flag<P> flag;
    std::atomic<int> runs{0};
    std::atomic<int> saw_unfinished{0};
    int value = 0;  // written once, read by everyone after call_once
    run_threads<P>(8, [&](int) {
      sys::call_once(
          flag,
          [&](int v) {
            ++runs;
            sys::this_thread::yield<P>();  // let the others pile up
            value = v;
          },
          42);
      if (value != 42 || !flag.done()) ++saw_unfinished;
    });
    BOOST_TEST(runs.load() == 1);
    BOOST_TEST(saw_unfinished.load() == 0);
  }
}

#if VITTE_HAS_EXCEPTIONS
BOOST_AUTO_TEST_CASE_TEMPLATE(once_runs_again_after_an_exception, P, policies) {
  sys::basic_once_flag<P> flag;
  int runs = 0;
  BOOST_CHECK_THROW(sys::call_once(flag,
                                   [&] {
                                     ++runs;
                                     throw 1;
                                   }),
                    int);
  BOOST_TEST(!flag.done());
  sys::call_once(flag, [&] { ++runs; });
  sys::call_once(flag, [&] { ++runs; });
  BOOST_TEST(runs == 2);
  BOOST_TEST(flag.done());
}
#endif

BOOST_AUTO_TEST_CASE_TEMPLATE(wait_returns_when_the_word_changes, P, policies) {
  std::atomic<std::uint32_t> word{0};
  std::atomic<int> done{0};
  run_threads<P>(3, [&](int i) {
    if (i == 0) {
      (void)sys::sleep_for(20ms);
      word.store(1);
      sys::atomic_notify_all<P>(word);
      return;
    }
    sys::atomic_wait<P>(word, 0);
    ++done;
  });
  BOOST_TEST(done.load() == 2);
  BOOST_TEST(word.load() == 1u);
  sys::atomic_wait<P>(word, 0);  // already different: returns at once
}

BOOST_AUTO_TEST_CASE_TEMPLATE(wait_notify_one_ping_pong, P, policies) {
  std::atomic<std::uint32_t> turn{0};
  constexpr std::uint32_t rounds = 1'000;
  auto other = sys::basic_thread<P>::spawn([&] {
    for (std::uint32_t r = 0; r < rounds; ++r) {
      sys::atomic_wait<P>(turn, 2 * r);  // wait for the ping (2r + 1)
      turn.store(2 * r + 2);
      sys::atomic_notify_one<P>(turn);
    }
  });
  BOOST_REQUIRE(other.has_value());
  for (std::uint32_t r = 0; r < rounds; ++r) {
    turn.store(2 * r + 1);
    sys::atomic_notify_one<P>(turn);
    sys::atomic_wait<P>(turn, 2 * r + 1);
  }
  BOOST_TEST(other->join().has_value());
  BOOST_TEST(turn.load() == 2 * rounds);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(wait_times_out_at_its_deadline, P, policies) {
  std::atomic<std::uint32_t> word{7};
  auto t0 = now<P>();
  BOOST_TEST(!sys::atomic_wait_until(word, 7, sys::basic_deadline<P>::after(50ms)));
  BOOST_TEST(since<P>(t0) >= 50ms);
  BOOST_TEST(since<P>(t0) < generous);
  BOOST_TEST(!sys::atomic_wait_for<P>(word, 7, 0ms));
  BOOST_TEST(sys::atomic_wait_for<P>(word, 8, 1h));  // differs already
}

BOOST_AUTO_TEST_CASE(interrupted_waits_are_retried_without_drift) {
  sys::fault_plan::clear();
  BOOST_TEST(sys::fault_plan::fail(vitte::sys::ops::wait_on_address, errc::interrupted, 3));
  std::atomic<std::uint32_t> word{0};
  auto t0 = now<faulty>();
  BOOST_TEST(!sys::atomic_wait_until(word, 0, sys::basic_deadline<faulty>::after(40ms)));
  BOOST_TEST(since<faulty>(t0) >= 40ms);
  BOOST_TEST(sys::fault_plan::calls(vitte::sys::ops::wait_on_address) >= 4u);
  BOOST_TEST(sys::fault_plan::pending(vitte::sys::ops::wait_on_address) == 0u);

  // An interrupted semaphore wait keeps waiting for its permit.
  BOOST_TEST(sys::fault_plan::fail(vitte::sys::ops::wait_on_address, errc::interrupted, 3));
  sys::basic_counting_semaphore<faulty> s(0);
  auto giver = sys::basic_thread<faulty>::spawn([&] {
    (void)sys::sleep_for(30ms);
    s.release();
  });
  BOOST_REQUIRE(giver.has_value());
  s.acquire();
  BOOST_TEST(giver->join().has_value());
  sys::fault_plan::clear();
}

BOOST_AUTO_TEST_CASE(default_aliases_use_the_platform) {
  static_assert(std::is_same_v<sys::mutex, sys::basic_mutex<sys::platform>>);
  static_assert(std::is_same_v<sys::condition_variable, sys::basic_condition_variable<sys::platform>>);
  static_assert(std::is_same_v<sys::binary_semaphore, sys::basic_counting_semaphore<sys::platform, 1>>);
  static_assert(sys::sync_capability<sys::platform>);
  static_assert(sys::thread_capability<sys::platform>);
  static_assert(sys::wait_capability<sys::platform>);
#if VITTE_POLICY == VITTE_POLICY_LINUX
  static_assert(sys::futex_lock_capability<sys::platform>);
  static_assert(sizeof(sys::mutex) == 4, "the futex mutex is one word");
  static_assert(sizeof(sys::condition_variable) == 8);
#else
  static_assert(!sys::futex_lock_capability<sys::platform>);
#endif
  sys::mutex m;
  std::lock_guard<sys::mutex> g(m);
  BOOST_TEST(!m.try_lock());
}

BOOST_AUTO_TEST_SUITE_END()
