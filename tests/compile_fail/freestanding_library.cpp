// A freestanding board has no dynamic loader: opening a library must fail
// to compile with a message that names the missing capability (static
// builds on an OS compile, and report errc::not_supported at run time).
// expect: lacks the 'dynamic_library' capability
#include <vitte/sys/dynlib.hpp>
#include <vitte/sys/policy/freestanding.hpp>

#include <cstdint>

struct tick_board {
  static std::uint64_t ticks() noexcept { return 0; }
  static constexpr std::uint64_t ticks_per_second = 1000;
};

int main() {
  using platform = vitte::sys::freestanding_platform<tick_board>;
  auto lib = vitte::sys::basic_library<platform>::open("libplugin.so");
  (void)lib;
}
