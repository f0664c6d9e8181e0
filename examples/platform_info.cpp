// platform_info: what vitte's platform layer sees on this machine.
//
//   ./scripts/demo            (or: build/examples/platform_info)
#include <vitte/sys.hpp>

#include <chrono>
#include <cstdio>

namespace sys = vitte::sys;
using namespace std::chrono_literals;

template <class Clock>
static void show_clock(const char* name) {
  auto now = Clock::now().time_since_epoch();
  std::printf("  %-18s now %22lld ns   resolution %10lld ns\n", name, static_cast<long long>(now.count()),
              static_cast<long long>(Clock::resolution().count()));
}

int main() {
  std::printf("vitte %d.%d.%d\n", VITTE_VERSION_MAJOR, VITTE_VERSION_MINOR, VITTE_VERSION_PATCH);
  std::printf("platform policy      %s\n", sys::platform_name().data());
  std::printf("operating system     %s\n", sys::os_description().c_str());
  std::printf("CPUs available       %u\n", sys::cpu_count());
  std::printf("page size            %zu bytes\n", sys::page_size());
  std::printf("allocation unit      %zu bytes\n", sys::allocation_granularity());
  std::printf("exceptions           %s\n", VITTE_HAS_EXCEPTIONS ? "on" : "off");
  std::printf("clocks:\n");
  show_clock<sys::monotonic_clock>("monotonic");
  show_clock<sys::coarse_monotonic_clock>("monotonic (coarse)");
  show_clock<sys::realtime_clock>("realtime");
  show_clock<sys::coarse_realtime_clock>("realtime (coarse)");
  if constexpr (sys::platform::has_clock(sys::clock_id::boottime))
    show_clock<sys::basic_clock<sys::platform, sys::clock_id::boottime>>("boottime");
  if constexpr (sys::platform::has_clock(sys::clock_id::process_cpu))
    show_clock<sys::basic_clock<sys::platform, sys::clock_id::process_cpu>>("process CPU");

  // Cost of a clock read and accuracy of a 10 ms sleep.
  constexpr int reads = 1'000'000;
  auto t0 = sys::monotonic_clock::now();
  for (int i = 0; i < reads; ++i) (void)sys::monotonic_clock::now();
  auto per_read = (sys::monotonic_clock::now() - t0) / reads;
  std::printf("monotonic read       %lld ns\n", static_cast<long long>(per_read.count()));

  auto d = sys::deadline::after(10ms);
  if (auto s = sys::sleep_until(d); !s) {
    std::printf("sleep failed: %s\n", s.error().message().c_str());
    return 1;
  }
  auto late = -d.time_point().time_since_epoch() + sys::monotonic_clock::now().time_since_epoch();
  std::printf("10 ms sleep woke     %lld us after its deadline\n", static_cast<long long>(late.count() / 1000));

  vitte::error e = sys::platform::make_error(vitte::errc::not_found, vitte::sys::ops::open);
  std::printf("an error reads       \"%s\" (%zu bytes)\n", e.message().c_str(), sizeof e);
  return 0;
}
