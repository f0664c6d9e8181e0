// cross/cortex-m3/sync_test.cpp - locks on a single-threaded target.
//
// Freestanding builds default to VITTE_HAS_THREADS=0: vitte::sys::mutex,
// timed_mutex and shared_mutex are null_mutex (an empty type whose members
// are constexpr no-ops) and once_flag is a bool, so code written for threads
// runs here unchanged and its locks compile to nothing.
//
//   cross/cortex-m3/build.sh -o sync.elf cross/cortex-m3/sync_test.cpp
//   cross/cortex-m3/run.sh sync.elf
#include <vitte/sys/mutex.hpp>
#include <vitte/sys/once.hpp>
#include <vitte/sys/shared_mutex.hpp>

#include <mutex>         // std::lock_guard, std::unique_lock, std::scoped_lock
#include <shared_mutex>  // std::shared_lock
#include <type_traits>

#include "harness.hpp"

namespace sys = vitte::sys;

static_assert(!VITTE_HAS_THREADS, "freestanding builds have no threads by default");
static_assert(std::is_same_v<sys::mutex, sys::null_mutex>);
static_assert(std::is_same_v<sys::timed_mutex, sys::null_mutex>);
static_assert(std::is_same_v<sys::shared_mutex, sys::null_mutex>);
static_assert(std::is_empty_v<sys::mutex> && std::is_trivially_destructible_v<sys::mutex>);
static_assert(std::is_same_v<sys::once_flag, sys::null_once_flag>);

namespace {

// A counter guarded the way threaded code guards it. Evaluated at compile
// time below: the locking cannot do anything at run time either.
struct guarded_counter {
  sys::mutex m;
  int value = 0;
  constexpr int bump() {
    m.lock();
    int v = ++value;
    m.unlock();
    return v;
  }
};

constexpr int bump_three_times() {
  guarded_counter c;
  c.bump();
  c.bump();
  return c.bump();
}
static_assert(bump_three_times() == 3);

// An object with a lock inside costs no more than one without (the empty
// mutex is overlapped by [[no_unique_address]]).
struct with_lock {
  [[no_unique_address]] sys::mutex m;
  int value;
};
static_assert(sizeof(with_lock) == sizeof(int));

int init_runs = 0;
sys::once_flag init_flag;  // constant-initialised, like a hosted once_flag

}  // namespace

VITTE_TEST_CASE(mutex_is_empty) {
  VITTE_CHECK_EQUAL(sizeof(sys::mutex), 1u);
  VITTE_CHECK_EQUAL(sizeof(sys::once_flag), sizeof(bool));
}

VITTE_TEST_CASE(standard_locks_work_with_null_mutexes) {
  int counter = 0;
  sys::mutex a;
  {
    std::lock_guard<sys::mutex> g(a);
    ++counter;
  }
  VITTE_CHECK_EQUAL(counter, 1);
  sys::shared_mutex b;
  {
    std::scoped_lock both(a, b);
    VITTE_CHECK(a.try_lock());  // a null mutex never refuses
  }
  {
    std::unique_lock<sys::mutex> u(a);
    VITTE_CHECK(u.owns_lock());
  }
  {
    std::shared_lock<sys::shared_mutex> r(b);
    VITTE_CHECK(r.owns_lock());
  }
  sys::timed_mutex t;
  VITTE_CHECK(t.try_lock_for(std::chrono::milliseconds(5)));
}

VITTE_TEST_CASE(once_runs_once) {
  VITTE_CHECK(!init_flag.done());
  for (int i = 0; i < 3; ++i) sys::call_once(init_flag, [](int n) { init_runs += n; }, 2);
  VITTE_CHECK_EQUAL(init_runs, 2);
  VITTE_CHECK(init_flag.done());
}
