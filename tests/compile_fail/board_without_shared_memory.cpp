// Shared memory needs an OS: on a freestanding board it must fail to
// compile, naming the capability.
// expect: lacks the 'shared_memory' capability
#include <vitte/sys/policy/freestanding.hpp>
#include <vitte/sys/shared_memory.hpp>

#include <cstddef>
#include <span>

struct ram_only_board {
  static std::span<std::byte> memory() noexcept {
    alignas(1024) static std::byte ram[8192];
    return ram;
  }
};

int main() {
  using shm = vitte::sys::basic_shared_memory<vitte::sys::freestanding_platform<ram_only_board>>;
  auto s = shm::create(4096);
  (void)s;
}
