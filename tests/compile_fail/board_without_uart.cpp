// A freestanding board without UART hooks has no serial ports: opening one
// must fail to compile with a message that names the missing capability.
// expect: lacks the 'serial' capability
#include <vitte/sys/policy/board_devices.hpp>
#include <vitte/sys/serial.hpp>

#include <cstdint>

struct tick_board {
  static std::uint64_t ticks() noexcept { return 0; }
  static constexpr std::uint64_t ticks_per_second = 1000;
};

int main() {
  using devices = vitte::sys::board_devices<tick_board>;
  auto port = vitte::sys::basic_serial_port<devices>::open("uart0");
  (void)port;
}
