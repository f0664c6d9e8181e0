// A board with RAM but no MPU hook has regions, but no protection: guard
// pages (and protect, make_executable) must fail to compile, naming the
// missing capability.
// expect: lacks the 'memory_protection' capability
#include <vitte/sys/memory.hpp>
#include <vitte/sys/policy/freestanding.hpp>

#include <cstddef>
#include <span>

struct ram_only_board {
  static std::span<std::byte> memory() noexcept {
    alignas(1024) static std::byte ram[8192];
    return ram;
  }
};

int main() {
  using region = vitte::sys::basic_region<vitte::sys::freestanding_platform<ram_only_board>>;
  auto r = region::allocate(2048);
  if (r) (void)r->guard(0, 1024);
}
