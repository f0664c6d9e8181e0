// A freestanding board has no signals: watching them must fail to compile
// with a message that names the missing capability.
// expect: lacks the 'signal' capability
#include <vitte/sys/policy/freestanding.hpp>
#include <vitte/sys/signal.hpp>

#include <cstdint>

struct tick_board {
  static std::uint64_t ticks() noexcept { return 0; }
  static constexpr std::uint64_t ticks_per_second = 1000;
};

int main() {
  using platform = vitte::sys::freestanding_platform<tick_board>;
  auto w = vitte::sys::basic_signal_watch<platform>::open({vitte::sys::signal_kind::interrupt});
  (void)w;
}
