// A freestanding board has no child processes to confine: naming a sandbox
// must fail to compile with a message that names the missing capability.
// expect: lacks the 'sandbox' capability
#include <vitte/sys/policy/freestanding.hpp>
#include <vitte/sys/sandbox.hpp>

#include <cstdint>

struct tick_board {
  static std::uint64_t ticks() noexcept { return 0; }
  static constexpr std::uint64_t ticks_per_second = 1000;
};

int main() {
  using platform = vitte::sys::freestanding_platform<tick_board>;
  vitte::sys::basic_sandbox<platform> box;
  box.network(vitte::sys::sandbox_network::none);
}
