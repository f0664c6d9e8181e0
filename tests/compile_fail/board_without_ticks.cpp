// A freestanding board without a tick source has no clock.
// expect: lacks the 'clock' capability
#include <vitte/sys/policy/freestanding.hpp>
#include <vitte/sys/time.hpp>

struct empty_board {};

int main() {
  using clock =
      vitte::sys::basic_clock<vitte::sys::freestanding_platform<empty_board>, vitte::sys::clock_id::monotonic>;
  (void)clock::now();
}
