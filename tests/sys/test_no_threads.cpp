// The single-threaded configuration: VITTE_HAS_THREADS=0, the default of
// freestanding builds, chosen here for a hosted one. Locks become null
// types that compile to nothing; once becomes a bool. (tests/compile_fail/
// proves that spawning a thread then fails to compile.)
//
// This file defines the macro itself, before any vitte header, so that the
// whole translation unit (the only one including vitte in this executable)
// is built as with -DVITTE_HAS_THREADS=0.
#ifndef VITTE_HAS_THREADS
#define VITTE_HAS_THREADS 0
#endif

#include <vitte/sys/mutex.hpp>
#include <vitte/sys/once.hpp>
#include <vitte/sys/shared_mutex.hpp>

#include <mutex>
#include <shared_mutex>
#include <type_traits>

#include <boost/test/unit_test.hpp>

#include "print.hpp"

namespace sys = vitte::sys;

static_assert(!VITTE_HAS_THREADS, "this test is built with VITTE_HAS_THREADS=0");

namespace {

// Locking in a constant expression proves the members do nothing at run time.
constexpr int locked_twice() {
  sys::mutex m;
  m.lock();
  m.unlock();
  int n = m.try_lock() ? 1 : 0;
  m.unlock();
  sys::shared_mutex s;
  s.lock_shared();
  s.unlock_shared();
  return n + (s.try_lock() ? 1 : 0);
}
static_assert(locked_twice() == 2);

constexpr int once_twice() {
  sys::once_flag flag;
  int runs = 0;
  sys::call_once(flag, [&] { ++runs; });
  sys::call_once(flag, [&] { ++runs; });
  return runs;
}
static_assert(once_twice() == 1);

}  // namespace

BOOST_AUTO_TEST_SUITE(no_threads)

BOOST_AUTO_TEST_CASE(locks_are_empty_types) {
  static_assert(std::is_same_v<sys::mutex, sys::null_mutex>);
  static_assert(std::is_same_v<sys::timed_mutex, sys::null_mutex>);
  static_assert(std::is_same_v<sys::shared_mutex, sys::null_mutex>);
  static_assert(std::is_empty_v<sys::mutex>);
  static_assert(std::is_trivially_default_constructible_v<sys::mutex>);
  static_assert(std::is_trivially_destructible_v<sys::mutex>);
  static_assert(std::is_same_v<sys::once_flag, sys::null_once_flag>);
  static_assert(sizeof(sys::once_flag) == sizeof(bool));
  BOOST_TEST(sizeof(sys::mutex) == 1u);
}

BOOST_AUTO_TEST_CASE(standard_locks_work) {
  sys::mutex m;
  int counter = 0;
  {
    std::lock_guard<sys::mutex> g(m);
    ++counter;
  }
  {
    std::unique_lock<sys::mutex> u(m);
    BOOST_TEST(u.owns_lock());
    ++counter;
  }
  sys::shared_mutex s;
  {
    std::shared_lock<sys::shared_mutex> r(s);
    BOOST_TEST(r.owns_lock());
  }
  {
    std::scoped_lock both(m, s);
    ++counter;
  }
  sys::timed_mutex t;
  BOOST_TEST(t.try_lock_for(std::chrono::milliseconds(1)));
  t.unlock();
  BOOST_TEST(counter == 3);
}

BOOST_AUTO_TEST_CASE(once_runs_once) {
  sys::once_flag flag;
  int runs = 0;
  BOOST_TEST(!flag.done());
  for (int i = 0; i < 3; ++i) sys::call_once(flag, [&](int step) { runs += step; }, 5);
  BOOST_TEST(runs == 5);
  BOOST_TEST(flag.done());
}

BOOST_AUTO_TEST_SUITE_END()
