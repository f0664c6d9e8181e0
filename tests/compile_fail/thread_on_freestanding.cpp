// A freestanding board has no threads: spawning one on the freestanding
// policy must fail to compile with a message naming the capability.
// expect: lacks the 'thread' capability
#include <vitte/sys/policy/freestanding.hpp>
#include <vitte/sys/thread.hpp>

#include <cstdint>

struct tick_board {
  static std::uint64_t ticks() noexcept { return 0; }
  static constexpr std::uint64_t ticks_per_second = 1000;
};

int main() {
  using thread = vitte::sys::basic_thread<vitte::sys::freestanding_platform<tick_board>>;
  auto t = thread::spawn([] {});
  (void)t;
}
