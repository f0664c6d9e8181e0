// Uses vitte through its public headers only, as a consumer project would.
#include <vitte/sys.hpp>

#include <chrono>
#include <cstdio>

int main() {
  using namespace std::chrono_literals;
  auto d = vitte::sys::deadline::after(1ms);
  if (auto s = vitte::sys::sleep_until(d); !s) {
    std::printf("sleep failed: %s\n", s.error().message().c_str());
    return 1;
  }
  std::printf("consumer: vitte on %s, %u CPUs\n", vitte::sys::platform_name().data(), vitte::sys::cpu_count());
  return d.expired() ? 0 : 1;
}
