// Thread and lock benchmarks: vitte's mutex against std::mutex and the raw
// pthread mutex, uncontended and with two threads fighting over one lock,
// and thread creation against std::thread. Prints JSON lines
// (docs/BENCHMARKS.md); the goal is a ratio of at most 1.0 for the locks
// and 1.05 for threads.
#include <vitte/sys/mutex.hpp>
#include <vitte/sys/thread.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <thread>

#include <pthread.h>

#include "harness.hpp"

namespace sys = vitte::sys;

namespace {

// Each lock on a cache line of its own, so that layout favours none.
alignas(64) sys::mutex vitte_mutex;
alignas(64) std::mutex std_mutex;
alignas(64) pthread_mutex_t raw_mutex = PTHREAD_MUTEX_INITIALIZER;

struct raw_lockable {
  void lock() { pthread_mutex_lock(&raw_mutex); }
  void unlock() { pthread_mutex_unlock(&raw_mutex); }
};

// Two threads share `n` lock-increment-unlock rounds on one mutex; both
// start together. Threads are std::threads for every implementation, so
// only the lock differs.
template <class Mutex>
void contend(Mutex& m, std::uint64_t n) {
  alignas(64) static std::uint64_t counter = 0;  // the data the lock guards: a line of its own too
  std::atomic<int> ready{0};
  auto work = [&](std::uint64_t rounds) {
    ready.fetch_add(1);
    while (ready.load() < 2) {
    }
    for (std::uint64_t i = 0; i < rounds; ++i) {
      m.lock();
      ++counter;
      m.unlock();
    }
  };
  std::thread a(work, n / 2);
  std::thread b(work, n - n / 2);
  a.join();
  b.join();
  bench::do_not_optimize(counter);
}

void uncontended(const char* name) {
  bench::suite(name)
      .add("vitte",
           [] {
             vitte_mutex.lock();
             vitte_mutex.unlock();
             return 0;
           })
      .add("std::mutex",
           [] {
             std_mutex.lock();
             std_mutex.unlock();
             return 0;
           })
      .add("pthread_mutex",
           [] {
             pthread_mutex_lock(&raw_mutex);
             pthread_mutex_unlock(&raw_mutex);
             return 0;
           })
      .run();
}

}  // namespace

int main() {
  // glibc's mutex skips atomic instructions while the process has a single
  // thread, and so does vitte's: measure that first, then with a second
  // (idle) thread alive, the usual case of a lock.
  uncontended("mutex.uncontended.lock_unlock.single_threaded");
  std::atomic<bool> stop{false};
  std::thread idle([&stop] {
    while (!stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  });
  uncontended("mutex.uncontended.lock_unlock");
  stop = true;
  idle.join();

  raw_lockable raw;
  bench::suite("mutex.contended.2_threads")
      .add_batch("vitte", [](std::uint64_t n) { contend(vitte_mutex, n); })
      .add_batch("std::mutex", [](std::uint64_t n) { contend(std_mutex, n); })
      .add_batch("pthread_mutex", [&raw](std::uint64_t n) { contend(raw, n); })
      .batch_size(400'000)
      .run();

  bench::suite("thread.create_join")
      .add("vitte",
           [] {
             auto t = sys::thread::spawn([] {});
             return t.has_value() && t->join().has_value();
           })
      .add("std::thread",
           [] {
             std::thread t([] {});
             t.join();
             return true;
           })
      .run();
  return 0;
}
