// vitte/sys/aligned_alloc.hpp - heap blocks with any power-of-two alignment.
//
//   namespace sys = vitte::sys;
//   void* p = sys::aligned_allocate(4096, 64).value();   // a 64-byte aligned block
//   sys::aligned_free(p);
//
//   std::unique_ptr<float, sys::aligned_deleter<>> v{
//       static_cast<float*>(sys::aligned_allocate(1024 * sizeof(float), 32).value())};
//
// posix_memalign on POSIX, _aligned_malloc on Windows (whose free() cannot
// take aligned blocks: always free them with aligned_free), and over-allocation
// from malloc on freestanding targets.
#ifndef VITTE_SYS_ALIGNED_ALLOC_HPP
#define VITTE_SYS_ALIGNED_ALLOC_HPP

#include <vitte/base.hpp>
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/detail/pages.hpp>
#include <vitte/sys/operations.hpp>
#include <vitte/sys/platform.hpp>

#include <cstddef>  // std::size_t

namespace vitte::sys {

/// `size` bytes at an address that is a multiple of `alignment` (a power of
/// two; small ones are raised to what the C library accepts). Free the block
/// with aligned_free<P>.
/// Errors (allocate): invalid_argument for size 0 or an alignment that is
/// not a power of two; no_memory.
/// Thread safety: may be called concurrently.
template <class P = platform>
result<void*> aligned_allocate(std::size_t size, std::size_t alignment) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, aligned_allocation);
  if (size == 0 || !detail::is_power_of_two(alignment)) return error{errc::invalid_argument, ops::allocate};
  return P::aligned_allocate(size, alignment);
}

/// Frees a block of aligned_allocate<P>; nullptr is ignored.
/// Thread safety: may be called concurrently (for different blocks).
template <class P = platform>
void aligned_free(void* p) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, aligned_allocation);
  if (p != nullptr) P::aligned_free(p);
}

/// A deleter for std::unique_ptr that calls aligned_free<P>.
template <class P = platform>
struct aligned_deleter {
  void operator()(void* p) const noexcept { aligned_free<P>(p); }
};

}  // namespace vitte::sys

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/memory.ipp>  // the backend's definitions
#endif

#endif  // VITTE_SYS_ALIGNED_ALLOC_HPP
