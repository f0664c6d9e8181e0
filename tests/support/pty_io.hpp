// tests/support/pty_io.hpp - what the device tests (POSIX and Windows)
// share: reading a pseudo-terminal until some text arrives, and random
// bytes to send through ports.
#ifndef VITTE_TESTS_SUPPORT_PTY_IO_HPP
#define VITTE_TESTS_SUPPORT_PTY_IO_HPP

#include <vitte/sys/pseudo_terminal.hpp>

#include <cstddef>
#include <random>
#include <string>
#include <vector>

namespace vitte_test {

/// Reads from `pty` until `needle` has arrived in `seen` (true), or the
/// end or the deadline came first (false).
inline bool read_until(vitte::sys::pseudo_terminal& pty, const std::string& needle, std::string& seen,
                       vitte::sys::deadline d) {
  std::byte buf[1024];
  while (seen.find(needle) == std::string::npos) {
    auto n = pty.read(buf, d);
    if (!n || *n == 0) return false;
    seen.append(reinterpret_cast<const char*>(buf), *n);
  }
  return true;
}

/// `n` bytes from a generator seeded with `seed` (the same on every run).
inline std::vector<std::byte> random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::byte> v(n);
  for (auto& b : v) b = static_cast<std::byte>(rng());
  return v;
}

}  // namespace vitte_test

#endif  // VITTE_TESTS_SUPPORT_PTY_IO_HPP
