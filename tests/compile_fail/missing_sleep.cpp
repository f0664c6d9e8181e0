// A policy with clocks but no sleep: sleep_for must name the capability.
// expect: lacks the 'sleep' capability
#include <vitte/sys/time.hpp>

#include <chrono>
#include <string_view>

struct clock_only {
  static constexpr std::string_view name = "clock-only";
  static constexpr bool has_clock(vitte::sys::clock_id) noexcept { return true; }
  static std::int64_t clock_now_ns(vitte::sys::clock_id) noexcept { return 0; }
  static std::int64_t clock_resolution_ns(vitte::sys::clock_id) noexcept { return 1; }
};

int main() { (void)vitte::sys::sleep_for<clock_only>(std::chrono::milliseconds(1)); }
