// A freestanding board has no network stack: opening a socket must fail to
// compile with a message that names the missing capability.
// expect: lacks the 'socket' capability
#include <vitte/sys/net.hpp>
#include <vitte/sys/policy/freestanding.hpp>

#include <cstdint>

struct tick_board {
  static std::uint64_t ticks() noexcept { return 0; }
  static constexpr std::uint64_t ticks_per_second = 1000;
};

int main() {
  using platform = vitte::sys::freestanding_platform<tick_board>;
  auto s = vitte::sys::basic_socket<platform>::open(vitte::sys::address_family::ipv4, vitte::sys::socket_type::stream);
  (void)s;
}
