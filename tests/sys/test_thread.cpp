// Threads: spawning, joining, detaching, ids, names the OS shows, stack
// size, CPU affinity, and creation failures injected with fault_platform.
#include <vitte/sys/policy/fault.hpp>
#include <vitte/sys/semaphore.hpp>
#include <vitte/sys/thread.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "print.hpp"

#if VITTE_OS_LINUX
#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif
#if VITTE_OS_WINDOWS
#include <vitte/base/detail/win32/windows.hpp>
#endif

using namespace std::chrono_literals;
namespace sys = vitte::sys;
namespace utf = boost::unit_test;
using vitte::errc;
using vitte::operation;

namespace {

using faulty = sys::fault_platform<sys::platform>;

// Counts the live copies of a callable, to prove a callable that never ran
// was destroyed (and, under ASan, freed).
struct tracked {
  static inline std::atomic<int> alive{0};
  static inline std::atomic<int> runs{0};
  tracked() noexcept { ++alive; }
  tracked(const tracked&) noexcept { ++alive; }
  tracked(tracked&&) noexcept { ++alive; }
  ~tracked() { --alive; }
  void operator()() const noexcept { ++runs; }
};

// The CPUs this process may run on.
std::vector<unsigned> allowed_cpus() {
  std::vector<unsigned> cpus;
#if VITTE_OS_LINUX
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    for (unsigned c = 0; c < CPU_SETSIZE; ++c)
      if (CPU_ISSET(c, &set)) cpus.push_back(c);
    return cpus;
  }
#elif VITTE_OS_WINDOWS
  DWORD_PTR process = 0, system = 0;
  if (GetProcessAffinityMask(GetCurrentProcess(), &process, &system)) {
    for (unsigned c = 0; c < 64; ++c)
      if (process >> c & 1) cpus.push_back(c);
    return cpus;
  }
#endif
  for (unsigned c = 0; c < sys::thread::hardware_concurrency(); ++c) cpus.push_back(c);
  return cpus;
}

// Skips a test where the policy has no thread names.
boost::test_tools::assertion_result has_names(utf::test_unit_id) {
  boost::test_tools::assertion_result r = true;
  auto t = sys::thread::spawn([&] {
    if (sys::this_thread::set_name("probe").error() == errc::not_supported) {
      r = false;
      r.message() << "the " << sys::platform::name << " policy has no thread names";
    }
  });
  return r;
}

// Skips a test where there is only one CPU, or no affinity.
boost::test_tools::assertion_result has_affinity(utf::test_unit_id) {
  boost::test_tools::assertion_result r = true;
  if (allowed_cpus().size() < 2) {
    r = false;
    r.message() << "only one CPU: affinity cannot be observed";
    return r;
  }
  sys::cpu_set one;
  one.add(allowed_cpus().front());
  if (sys::thread::spawn(sys::thread_options{{}, 0, one}, [] {}).error() == errc::not_supported) {
    r = false;
    r.message() << "the " << sys::platform::name << " policy has no CPU affinity";
  }
  return r;
}

#if VITTE_OS_LINUX
std::string proc_comm() {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/self/task/%ld/comm", static_cast<long>(syscall(SYS_gettid)));
  std::FILE* f = std::fopen(path, "r");
  if (f == nullptr) return "(no /proc)";
  char buf[64] = {};
  std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  std::string s(buf, n);
  if (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}
#endif

}  // namespace

BOOST_AUTO_TEST_SUITE(thread)

BOOST_AUTO_TEST_CASE(spawn_runs_and_join_waits) {
  std::atomic<int> ran{0};
  auto t = sys::thread::spawn([&] { ran = 1; });
  BOOST_REQUIRE(t.has_value());
  BOOST_TEST(t->joinable());
  BOOST_TEST(t->join().has_value());
  BOOST_TEST(ran.load() == 1);
  BOOST_TEST(!t->joinable());
  auto again = t->join();
  BOOST_TEST(again.error() == errc::invalid_argument);
  BOOST_TEST(again.error().op() == vitte::sys::ops::thread_join);
}

BOOST_AUTO_TEST_CASE(destruction_joins) {
  std::atomic<bool> done{false};
  {
    auto t = sys::thread::spawn([&] {
      (void)sys::sleep_for(20ms);
      done = true;
    });
    BOOST_REQUIRE(t.has_value());
  }
  BOOST_TEST(done.load());
}

BOOST_AUTO_TEST_CASE(detach_lets_the_thread_run_on) {
  sys::counting_semaphore<> finished(0);
  auto t = sys::thread::spawn([&] { finished.release(); });
  BOOST_REQUIRE(t.has_value());
  BOOST_TEST(t->detach().has_value());
  BOOST_TEST(!t->joinable());
  BOOST_TEST(t->detach().error() == errc::invalid_argument);
  BOOST_TEST(finished.try_acquire_for(30s));
}

BOOST_AUTO_TEST_CASE(moves_transfer_the_thread) {
  std::atomic<int> ran{0};
  auto a = sys::thread::spawn([&] { ++ran; });
  BOOST_REQUIRE(a.has_value());
  sys::thread b = std::move(*a);
  BOOST_TEST(!a->joinable());
  BOOST_TEST(b.joinable());
  auto c = sys::thread::spawn([&] { ++ran; });
  BOOST_REQUIRE(c.has_value());
  b = std::move(*c);  // joins the first thread, takes the second
  BOOST_TEST(ran.load() >= 1);
  BOOST_TEST(b.join().has_value());
  BOOST_TEST(ran.load() == 2);
  sys::thread empty;
  BOOST_TEST(!empty.joinable());
  BOOST_TEST((empty.id() == sys::thread_id{}));
}

BOOST_AUTO_TEST_CASE(ids_identify_threads) {
  sys::thread_id inside;
  sys::counting_semaphore<> seen(0), release(0);
  auto t = sys::thread::spawn([&] {
    inside = sys::this_thread::id();
    seen.release();
    release.acquire();
  });
  BOOST_REQUIRE(t.has_value());
  seen.acquire();
  BOOST_TEST((t->id() == inside));
  BOOST_TEST((inside != sys::this_thread::id()));
  BOOST_TEST((sys::this_thread::id() != sys::thread_id{}));
  release.release();
  BOOST_TEST(t->join().has_value());
}

BOOST_AUTO_TEST_CASE(hardware_concurrency_and_yield) {
  BOOST_TEST(sys::thread::hardware_concurrency() >= 1u);
  sys::this_thread::yield();
}

BOOST_AUTO_TEST_CASE(names_are_visible_to_the_os, *utf::precondition(has_names)) {
  std::string from_vitte, from_os, from_proc = "vitte-worker";
  sys::thread_options o;
  o.name = "vitte-worker";
  auto t = sys::thread::spawn(o, [&] {
    from_vitte = std::string(sys::this_thread::name().value().view());
#if VITTE_OS_LINUX
    char buf[32] = {};
    if (pthread_getname_np(pthread_self(), buf, sizeof buf) == 0) from_os = buf;
    from_proc = proc_comm();
#else
    from_os = from_vitte;
#endif
  });
  BOOST_REQUIRE(t.has_value());
  BOOST_TEST(t->join().has_value());
  BOOST_TEST(from_vitte == "vitte-worker");
  BOOST_TEST(from_os == "vitte-worker");
  BOOST_TEST(from_proc == "vitte-worker");
}

BOOST_AUTO_TEST_CASE(long_names_are_truncated, *utf::precondition(has_names)) {
  std::string seen;
  vitte::status set;
  auto t = sys::thread::spawn([&] {
    // "é" is two bytes in UTF-8; Linux keeps 15 bytes, which would split it.
    set = sys::this_thread::set_name("abcdefghijklmn\xC3\xA9xyz");
    seen = std::string(sys::this_thread::name().value().view());
  });
  BOOST_REQUIRE(t.has_value());
  BOOST_TEST(t->join().has_value());
  BOOST_TEST(set.has_value());
#if VITTE_OS_LINUX
  BOOST_TEST(seen == "abcdefghijklmn");
#else
  BOOST_TEST(seen == "abcdefghijklmn\xC3\xA9xyz");
#endif
}

BOOST_AUTO_TEST_CASE(names_are_dropped_where_the_os_has_none) {
  // A name never makes spawn fail, whatever the policy.
  std::atomic<int> ran{0};
  sys::thread_options o;
  o.name = "anything";
  auto t = sys::thread::spawn(o, [&] { ran = 1; });
  BOOST_REQUIRE(t.has_value());
  BOOST_TEST(t->join().has_value());
  BOOST_TEST(ran.load() == 1);
}

BOOST_AUTO_TEST_CASE(affinity_is_honoured, *utf::precondition(has_affinity)) {
  std::vector<unsigned> cpus = allowed_cpus();
  for (unsigned cpu : {cpus.front(), cpus.back()}) {
    sys::thread_options o;
    o.affinity.add(cpu);
    std::vector<int> seen;
    auto t = sys::thread::spawn(o, [&] {
      for (int i = 0; i < 20; ++i) {
        seen.push_back(sys::this_thread::current_cpu());
#if VITTE_OS_LINUX
        seen.push_back(sched_getcpu());
#endif
        sys::this_thread::yield();
      }
    });
    BOOST_REQUIRE(t.has_value());
    BOOST_TEST(t->join().has_value());
    for (int c : seen) BOOST_TEST(c == static_cast<int>(cpu));
  }
}

BOOST_AUTO_TEST_CASE(affinity_to_a_missing_cpu_fails_spawn, *utf::precondition(has_affinity)) {
  tracked::runs = 0;
  sys::thread_options o;
  o.affinity.add(sys::cpu_set::max_cpus - 1);
  auto t = sys::thread::spawn(o, tracked{});
  BOOST_TEST(!t.has_value());
  BOOST_TEST(t.error() == errc::invalid_argument);
  BOOST_TEST(t.error().op() == vitte::sys::ops::thread_set_affinity);
  BOOST_TEST(tracked::runs.load() == 0);
  BOOST_TEST(tracked::alive.load() == 0);
}

BOOST_AUTO_TEST_CASE(cpu_set_basics) {
  sys::cpu_set s;
  BOOST_TEST(s.empty());
  BOOST_TEST(s.add(0));
  BOOST_TEST(s.add(65));
  BOOST_TEST(!s.add(sys::cpu_set::max_cpus));
  BOOST_TEST(s.contains(65));
  BOOST_TEST(!s.contains(64));
  BOOST_TEST(s.words()[1] == 2u);
  s.remove(0);
  s.remove(65);
  BOOST_TEST(s.empty());
  BOOST_TEST(sys::this_thread::set_affinity(s).error() == errc::invalid_argument);
}

BOOST_AUTO_TEST_CASE(stack_size_is_applied) {
  constexpr std::size_t size = 4 * 1024 * 1024;
  std::size_t seen = size;
  sys::thread_options o;
  o.stack_size = size;
  auto t = sys::thread::spawn(o, [&] {
    // Touch more stack than the smallest defaults (musl's 128 KiB).
    volatile char big[512 * 1024];
    big[0] = 1;
    big[sizeof big - 1] = 1;
#if VITTE_OS_LINUX
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
      pthread_attr_getstacksize(&attr, &seen);
      pthread_attr_destroy(&attr);
    }
#endif
  });
  BOOST_REQUIRE(t.has_value());
  BOOST_TEST(t->join().has_value());
  BOOST_TEST(seen >= size);
}

BOOST_AUTO_TEST_CASE(creation_failures_are_errors_and_the_callable_never_runs) {
  for (errc kind : {errc::limit_exceeded, errc::no_memory}) {
    sys::fault_plan::clear();
    tracked::runs = 0;
    BOOST_TEST(sys::fault_plan::fail(vitte::sys::ops::thread_create, kind));
    auto t = sys::basic_thread<faulty>::spawn(tracked{});
    BOOST_TEST(!t.has_value());
    BOOST_TEST(t.error() == kind);
    BOOST_TEST(t.error().op() == vitte::sys::ops::thread_create);
    BOOST_TEST(tracked::runs.load() == 0);
    BOOST_TEST(tracked::alive.load() == 0);
    // The next spawn works again.
    auto ok = sys::basic_thread<faulty>::spawn(tracked{});
    BOOST_REQUIRE(ok.has_value());
    BOOST_TEST(ok->join().has_value());
    BOOST_TEST(tracked::runs.load() == 1);
    BOOST_TEST(sys::fault_plan::calls(vitte::sys::ops::thread_create) == 2u);
  }
  sys::fault_plan::clear();
}

BOOST_AUTO_TEST_CASE(affinity_failure_is_reported_by_spawn) {
  sys::fault_plan::clear();
  tracked::runs = 0;
  BOOST_TEST(sys::fault_plan::fail(vitte::sys::ops::thread_set_affinity, errc::permission_denied));
  sys::thread_options o;
  o.affinity.add(0);
  auto t = sys::basic_thread<faulty>::spawn(o, tracked{});
  BOOST_TEST(t.error() == errc::permission_denied);
  BOOST_TEST(t.error().op() == vitte::sys::ops::thread_set_affinity);
  BOOST_TEST(tracked::runs.load() == 0);
  BOOST_TEST(tracked::alive.load() == 0);
  sys::fault_plan::clear();
}

BOOST_AUTO_TEST_CASE(many_threads_at_once) {
  std::atomic<int> sum{0};
  std::vector<sys::thread> threads;
  for (int i = 1; i <= 16; ++i) {
    auto t = sys::thread::spawn([&sum, i] { sum += i; });
    BOOST_REQUIRE(t.has_value());
    threads.push_back(std::move(*t));
  }
  threads.clear();  // joins them all
  BOOST_TEST(sum.load() == 136);
}

BOOST_AUTO_TEST_SUITE_END()
