// A board without a wall clock has no realtime clock.
// expect: does not have this clock
#include <vitte/sys/policy/freestanding.hpp>
#include <vitte/sys/time.hpp>

#include <cstdint>

struct ticking_board {
  static std::uint64_t ticks() noexcept { return 0; }
  static constexpr std::uint64_t ticks_per_second = 1000;
};

int main() {
  using wall =
      vitte::sys::basic_clock<vitte::sys::freestanding_platform<ticking_board>, vitte::sys::clock_id::realtime>;
  (void)wall::now();
}
