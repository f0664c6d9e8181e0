// A freestanding board has no OS random source: asking for random bytes (or
// a generated key) must fail to compile naming the missing capability.
// expect: lacks the 'random' capability
#include <vitte/crypto/keygen.hpp>
#include <vitte/sys/policy/freestanding.hpp>

#include <cstdint>

struct tick_board {
  static std::uint64_t ticks() noexcept { return 0; }
  static constexpr std::uint64_t ticks_per_second = 1000;
};

int main() {
  using platform = vitte::sys::freestanding_platform<tick_board>;
  auto kp = vitte::crypto::ed25519::generate_key_pair<platform>();
  (void)kp;
}
