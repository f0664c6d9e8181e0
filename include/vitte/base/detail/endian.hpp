// Byte-order loads and stores of unsigned integers, for every layer that
// reads or writes a format (crypto, loader, wasm, compress, archive, ...).
// One load or store and at most a byte swap at run time; byte by byte in
// constant evaluation. `p` points at bytes: char, unsigned char,
// std::uint8_t or std::byte.
//
//   std::uint32_t w = vitte::detail::load_be<std::uint32_t>(p);
//   vitte::detail::store_le<std::uint64_t>(out, v);
#ifndef VITTE_BASE_DETAIL_ENDIAN_HPP
#define VITTE_BASE_DETAIL_ENDIAN_HPP

#include <cstddef>      // std::byte
#include <cstdint>      // fixed-width integers
#include <type_traits>  // std::is_constant_evaluated, the constraints

namespace vitte::detail {

inline constexpr bool host_is_big_endian =
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    true;
#else
    false;
#endif

template <class B>
concept byte_type = sizeof(B) == 1 && (std::is_same_v<B, char> || std::is_same_v<B, unsigned char> ||
                                       std::is_same_v<B, signed char> || std::is_same_v<B, std::byte>);

template <class T>
concept word_type = std::is_unsigned_v<T> && !std::is_same_v<T, bool> &&
                    (sizeof(T) == 1 || sizeof(T) == 2 || sizeof(T) == 4 || sizeof(T) == 8);

template <word_type T>
constexpr T byte_swap(T v) noexcept {
  if constexpr (sizeof(T) == 1) {
    return v;
  } else if constexpr (sizeof(T) == 2) {
    return __builtin_bswap16(v);
  } else if constexpr (sizeof(T) == 4) {
    return __builtin_bswap32(v);
  } else {
    return __builtin_bswap64(v);
  }
}

/// The little-endian T at p.
template <word_type T, byte_type B>
constexpr T load_le(const B* p) noexcept {
  if (std::is_constant_evaluated()) {
    T v = 0;
    for (std::size_t i = sizeof(T); i-- > 0;) v = static_cast<T>(v << 8 | static_cast<unsigned char>(p[i]));
    return v;
  }
  T v;
  __builtin_memcpy(&v, p, sizeof v);
  return host_is_big_endian ? byte_swap(v) : v;
}

/// The big-endian T at p.
template <word_type T, byte_type B>
constexpr T load_be(const B* p) noexcept {
  if (std::is_constant_evaluated()) {
    T v = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) v = static_cast<T>(v << 8 | static_cast<unsigned char>(p[i]));
    return v;
  }
  T v;
  __builtin_memcpy(&v, p, sizeof v);
  return host_is_big_endian ? v : byte_swap(v);
}

/// Writes v at p, little-endian.
template <word_type T, byte_type B>
constexpr void store_le(B* p, T v) noexcept {
  if (std::is_constant_evaluated()) {
    for (std::size_t i = 0; i < sizeof(T); ++i, v = static_cast<T>(v >> 8)) p[i] = static_cast<B>(v & 0xff);
    return;
  }
  T w = host_is_big_endian ? byte_swap(v) : v;
  __builtin_memcpy(p, &w, sizeof w);
}

/// Writes v at p, big-endian.
template <word_type T, byte_type B>
constexpr void store_be(B* p, T v) noexcept {
  if (std::is_constant_evaluated()) {
    for (std::size_t i = sizeof(T); i-- > 0; v = static_cast<T>(v >> 8)) p[i] = static_cast<B>(v & 0xff);
    return;
  }
  T w = host_is_big_endian ? v : byte_swap(v);
  __builtin_memcpy(p, &w, sizeof w);
}

}  // namespace vitte::detail

#endif  // VITTE_BASE_DETAIL_ENDIAN_HPP
