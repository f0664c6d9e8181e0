// Clock benchmarks: vitte's clocks against the raw OS call and std::chrono,
// in the same run. Prints JSON lines (docs/BENCHMARKS.md).
#include <vitte/sys/time.hpp>

#include <chrono>

#include <time.h>

#include "harness.hpp"

namespace sys = vitte::sys;

static std::int64_t raw_clock(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

int main() {
  bench::suite("clock.monotonic.now")
      .add("vitte", [] { return sys::monotonic_clock::now(); })
      .add("clock_gettime", [] { return raw_clock(CLOCK_MONOTONIC); })
      .add("std::chrono::steady_clock", [] { return std::chrono::steady_clock::now(); })
      .run();
  bench::suite("clock.realtime.now")
      .add("vitte", [] { return sys::realtime_clock::now(); })
      .add("clock_gettime", [] { return raw_clock(CLOCK_REALTIME); })
      .add("std::chrono::system_clock", [] { return std::chrono::system_clock::now(); })
      .run();
#ifdef CLOCK_MONOTONIC_COARSE
  bench::suite("clock.monotonic_coarse.now")
      .add("vitte", [] { return sys::coarse_monotonic_clock::now(); })
      .add("clock_gettime", [] { return raw_clock(CLOCK_MONOTONIC_COARSE); })
      .add("std::chrono::steady_clock", [] { return std::chrono::steady_clock::now(); })
      .run();
#endif
  bench::suite("deadline.expired")
      .add("vitte",
           [] {
             static const auto d = sys::deadline::after(std::chrono::hours(1));
             return d.expired();
           })
      .add("clock_gettime+compare",
           [] {
             static const std::int64_t end = raw_clock(CLOCK_MONOTONIC) + 3'600'000'000'000;
             return raw_clock(CLOCK_MONOTONIC) >= end;
           })
      .run();
  return 0;
}
