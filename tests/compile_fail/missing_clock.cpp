// A policy without the clock capability: using a clock must fail to compile
// with a message that names the missing capability.
// expect: lacks the 'clock' capability
#include <vitte/sys/time.hpp>

#include <string_view>

struct half_port {
  static constexpr std::string_view name = "half-port";
  // No has_clock / clock_now_ns / clock_resolution_ns.
};

int main() {
  auto t = vitte::sys::basic_clock<half_port, vitte::sys::clock_id::monotonic>::now();
  (void)t;
}
