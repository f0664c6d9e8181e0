// Nor can a freestanding board block a thread: a real mutex on the
// freestanding policy must name the missing synchronisation capability
// (vitte::sys::mutex is null_mutex there).
// expect: lacks the 'sync' capability
#include <vitte/sys/mutex.hpp>
#include <vitte/sys/policy/freestanding.hpp>

#include <cstdint>

struct tick_board {
  static std::uint64_t ticks() noexcept { return 0; }
  static constexpr std::uint64_t ticks_per_second = 1000;
};

int main() {
  vitte::sys::basic_mutex<vitte::sys::freestanding_platform<tick_board>> m;
  m.lock();
}
