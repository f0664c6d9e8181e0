// Page arithmetic shared by the memory facilities and the policies. Internal;
// includes no OS header.
#ifndef VITTE_SYS_DETAIL_PAGES_HPP
#define VITTE_SYS_DETAIL_PAGES_HPP

#include <cstddef>  // std::size_t, std::byte
#include <cstdint>  // std::uintptr_t

namespace vitte::sys::detail {

constexpr bool is_power_of_two(std::size_t n) noexcept { return n != 0 && (n & (n - 1)) == 0; }

// n rounded up to a multiple of `unit` (a power of two) into `out`; false
// when that does not fit in size_t.
constexpr bool round_up(std::size_t n, std::size_t unit, std::size_t& out) noexcept {
  std::size_t r = (n + unit - 1) & ~(unit - 1);
  if (r < n) return false;
  out = r;
  return true;
}

// Bytes to skip from `p` to the next multiple of `alignment` (a power of two).
inline std::size_t padding(const void* p, std::size_t alignment) noexcept {
  return static_cast<std::size_t>(0 - reinterpret_cast<std::uintptr_t>(p)) & (alignment - 1);
}

// One access per page of [p, p + n), so that the OS maps each now. Writing
// pages rewrites the byte read (the range may hold data).
inline void touch_pages(void* p, std::size_t n, std::size_t page, bool write) noexcept {
  auto* bytes = static_cast<volatile unsigned char*>(p);
  for (std::size_t off = 0; off < n; off += page) {
    unsigned char v = bytes[off];
    if (write) bytes[off] = v;
  }
}

}  // namespace vitte::sys::detail

#endif  // VITTE_SYS_DETAIL_PAGES_HPP
