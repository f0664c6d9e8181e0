// A freestanding board has no file system: opening a file must fail to
// compile with a message that names the missing capability.
// expect: lacks the 'file' capability
#include <vitte/sys/file.hpp>
#include <vitte/sys/policy/freestanding.hpp>

#include <cstdint>

struct tick_board {
  static std::uint64_t ticks() noexcept { return 0; }
  static constexpr std::uint64_t ticks_per_second = 1000;
};

int main() {
  using platform = vitte::sys::freestanding_platform<tick_board>;
  auto f = vitte::sys::basic_file<platform>::open("data.bin", vitte::sys::open_mode::read);
  (void)f;
}
