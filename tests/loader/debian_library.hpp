// The installed shared libraries of Debian's multiarch directory for this
// architecture, for the tests that load them (test_image, test_image_real).
#ifndef VITTE_TESTS_LOADER_DEBIAN_LIBRARY_HPP
#define VITTE_TESTS_LOADER_DEBIAN_LIBRARY_HPP

#include <vitte/sys/file.hpp>
#include <vitte/sys/path.hpp>

#include <string>

namespace loader_test {

/// The path of installed library `file` of this architecture's Debian
/// multiarch directory; empty when it is not there.
inline std::string debian_library(const std::string& file) {
#if defined(__x86_64__)
  const std::string triplet = "x86_64-linux-gnu";
#elif defined(__aarch64__)
  const std::string triplet = "aarch64-linux-gnu";
#elif defined(__riscv)
  const std::string triplet = "riscv64-linux-gnu";
#else
  const std::string triplet = "arm-linux-gnueabihf";
#endif
  for (const std::string& dir : {"/usr/lib/" + triplet, "/lib/" + triplet}) {
    const std::string path = vitte::sys::path_join(dir, file);
    if (vitte::sys::file::open(path, vitte::sys::open_mode::read).has_value()) return path;
  }
  return {};
}

}  // namespace loader_test

#endif  // VITTE_TESTS_LOADER_DEBIAN_LIBRARY_HPP
