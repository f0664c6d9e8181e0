// A freestanding board that supplies no RAM has no memory capability: a
// region on it must fail to compile, naming the capability.
// expect: lacks the 'memory' capability
#include <vitte/sys/memory.hpp>
#include <vitte/sys/policy/freestanding.hpp>

#include <cstdint>

struct tick_only_board {
  static std::uint64_t ticks() noexcept { return 0; }
  static constexpr std::uint64_t ticks_per_second = 1000;
};

int main() {
  using region = vitte::sys::basic_region<vitte::sys::freestanding_platform<tick_only_board>>;
  auto r = region::reserve(4096);
  (void)r;
}
