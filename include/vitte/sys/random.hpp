// vitte/sys/random.hpp - bytes from the OS's cryptographic random source.
//
//   std::array<std::byte, 32> key;
//   vitte::sys::random_fill(key).value();     // getrandom, getentropy, BCryptGenRandom
//
// Backends: getrandom(2) on Linux (/dev/urandom before 3.17), getentropy on
// Darwin and the BSDs, /dev/urandom on other POSIX systems, BCryptGenRandom
// (system-preferred RNG) on Windows. The buffer is always filled completely
// or an error is returned: short counts are completed and interruptions
// retried here. A policy without the source (freestanding boards) fails to
// compile naming the 'random' capability.
#ifndef VITTE_SYS_RANDOM_HPP
#define VITTE_SYS_RANDOM_HPP

#include <vitte/base.hpp>
#include <vitte/base/span.hpp>  // buffers
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/operations.hpp>
#include <vitte/sys/platform.hpp>

#include <cstddef>  // std::byte, std::size_t

namespace vitte::sys {

/// Fills `out` with random bytes of cryptographic quality. Errors (random):
/// whatever the OS reports (not_supported without a source, io_error).
/// Thread safety: safe to call from any thread.
template <class P = platform>
status random_fill(span<std::byte> out) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, random);
  std::byte* p = out.data();
  std::size_t left = out.size();
  while (left != 0) {
    result<std::size_t> got = P::random_fill(p, left);
    if (!got) {
      if (got.error() == errc::interrupted) continue;
      return got.error();
    }
    p += *got;
    left -= *got;
  }
  return {};
}

/// The same for `n` bytes at `p`.
template <class P = platform>
status random_fill(void* p, std::size_t n) noexcept {
  return random_fill<P>(span<std::byte>{static_cast<std::byte*>(p), n});
}

}  // namespace vitte::sys

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/random.ipp>
#endif

#endif  // VITTE_SYS_RANDOM_HPP
