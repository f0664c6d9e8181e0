// A freestanding board has no descriptors to poll: a poller must fail to
// compile with a message that names the missing capability.
// expect: lacks the 'poller' capability
#include <vitte/sys/policy/freestanding.hpp>
#include <vitte/sys/poller.hpp>

#include <cstdint>

struct tick_board {
  static std::uint64_t ticks() noexcept { return 0; }
  static constexpr std::uint64_t ticks_per_second = 1000;
};

int main() {
  using platform = vitte::sys::freestanding_platform<tick_board>;
  auto p = vitte::sys::basic_poller<platform>::create();
  (void)p;
}
