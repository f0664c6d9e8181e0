// vitte/base/detail/hex.hpp - hexadecimal digits, written once for every layer:
// lower-case encoding of bytes into a caller's buffer, and decoding that
// accepts either case and refuses anything else (no "0x", no space, no
// sign). No allocation, no OS: freestanding code may include it.
//
//   char out[2 * sizeof digest];
//   vitte::detail::hex_encode(digest, sizeof digest, out);
//   std::uint8_t back[sizeof digest];
//   bool ok = vitte::detail::hex_decode(vitte::text_view(out, sizeof out), back);
#ifndef VITTE_BASE_DETAIL_HEX_HPP
#define VITTE_BASE_DETAIL_HEX_HPP

#include <vitte/base/text_view.hpp>  // the input of the decoders

#include <cstddef>
#include <cstdint>

namespace vitte::detail {

/// The digit for `v & 15`, lower case ('0'..'9', 'a'..'f'). A value below
/// ten is its decimal digit, so numbers in base 10 or 16 share it.
constexpr char hex_digit(unsigned v) noexcept { return "0123456789abcdef"[v & 15]; }

/// Writes the two lower-case digits of `b` at `out[0]`, `out[1]`.
constexpr void hex_byte(std::uint8_t b, char* out) noexcept {
  out[0] = hex_digit(b >> 4);
  out[1] = hex_digit(b);
}

/// Writes `n` bytes from `in` as `2 * n` lower-case digits at `out` (no NUL).
constexpr void hex_encode(const std::uint8_t* in, std::size_t n, char* out) noexcept {
  for (std::size_t i = 0; i < n; ++i) hex_byte(in[i], out + 2 * i);
}

/// The value of the digit `c` (0-9, a-f, A-F), or -1 when it is not one.
constexpr int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// True when `s` is only lower-case digits (0-9, a-f); true for "".
constexpr bool is_lower_hex(text_view s) noexcept {
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

/// Decodes `s` (an even number of digits, either case) into `s.size() / 2`
/// bytes at `out`. False for an odd length or a byte that is not a digit;
/// then the bytes before the bad pair are written and the rest untouched.
constexpr bool hex_decode(text_view s, std::uint8_t* out) noexcept {
  if (s.size() % 2 != 0) return false;
  for (std::size_t i = 0; i < s.size(); i += 2) {
    const int hi = hex_value(s[i]), lo = hex_value(s[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i / 2] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return true;
}

}  // namespace vitte::detail

#endif  // VITTE_BASE_DETAIL_HEX_HPP
