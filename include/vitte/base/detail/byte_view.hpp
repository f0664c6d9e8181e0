// Bounds-checked reads of fixed-width integers from a byte span, in either
// byte order. Format readers (ELF, PE, Mach-O, metadata, and the layers to
// come) use nothing else to touch file bytes, so every access is checked in
// one place.
#ifndef VITTE_BASE_DETAIL_BYTE_VIEW_HPP
#define VITTE_BASE_DETAIL_BYTE_VIEW_HPP

#include <vitte/base/detail/endian.hpp>  // the loads

#include <cstddef>  // std::byte
#include <cstdint>  // fixed-width integers
#include <span>     // the bytes
#include <string_view>
#include <type_traits>  // std::make_unsigned_t

namespace vitte::detail {

/// A byte span and a byte order. Reads past the end fail (return false)
/// and leave the output untouched.
struct byte_view {
  std::span<const std::byte> bytes;
  bool big_endian = false;

  std::uint64_t size() const noexcept { return bytes.size(); }

  /// True when [offset, offset + n) lies inside the span (no overflow).
  bool contains(std::uint64_t offset, std::uint64_t n) const noexcept {
    return offset <= bytes.size() && n <= bytes.size() - offset;
  }

  template <class T>
  bool read(std::uint64_t offset, T& out) const noexcept {
    if (!contains(offset, sizeof(T))) return false;
    using word = std::make_unsigned_t<T>;
    const std::byte* p = bytes.data() + offset;
    out = static_cast<T>(big_endian ? load_be<word>(p) : load_le<word>(p));
    return true;
  }

  /// The sub-span [offset, offset + n), or an empty span when out of bounds
  /// (check contains() first when n may be 0).
  std::span<const std::byte> sub(std::uint64_t offset, std::uint64_t n) const noexcept {
    if (!contains(offset, n)) return {};
    return bytes.subspan(static_cast<std::size_t>(offset), static_cast<std::size_t>(n));
  }

  /// The NUL-terminated string at `offset`, which must end before `limit`
  /// (an offset into the span); false when it does not.
  bool cstring(std::uint64_t offset, std::uint64_t limit, std::string_view& out) const noexcept {
    if (limit > bytes.size()) limit = bytes.size();
    for (std::uint64_t i = offset; i < limit; ++i) {
      if (bytes[static_cast<std::size_t>(i)] == std::byte{0}) {
        out = std::string_view(reinterpret_cast<const char*>(bytes.data()) + offset,
                               static_cast<std::size_t>(i - offset));
        return true;
      }
    }
    return false;
  }
};

}  // namespace vitte::detail

#endif  // VITTE_BASE_DETAIL_BYTE_VIEW_HPP
