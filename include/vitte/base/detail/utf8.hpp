// vitte/base/detail/utf8.hpp - the one UTF-8 well-formedness check, for every
// layer that reads names from untrusted bytes (module manifests, wasm names),
// and the one decoder of a sequence for the layers that escape such names
// before printing them (log lines, tar member paths).
#ifndef VITTE_BASE_DETAIL_UTF8_HPP
#define VITTE_BASE_DETAIL_UTF8_HPP

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace vitte::detail {

/// True when `s` is well-formed UTF-8 (no overlong forms, no surrogates,
/// nothing above U+10FFFF).
constexpr bool valid_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;
    std::uint32_t cp = 0, min = 0;
    if ((b0 & 0xE0) == 0xC0)
      n = 1, cp = b0 & 0x1Fu, min = 0x80;
    else if ((b0 & 0xF0) == 0xE0)
      n = 2, cp = b0 & 0x0Fu, min = 0x800;
    else if ((b0 & 0xF8) == 0xF0)
      n = 3, cp = b0 & 0x07u, min = 0x10000;
    else
      return false;
    if (s.size() - i <= n) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

/// Length of the valid UTF-8 sequence of 2-4 bytes at s[i], or 0 when the
/// bytes there are not one (ASCII, stray continuation, overlong, surrogate,
/// > U+10FFFF, truncated). `code` receives the code point.
constexpr std::size_t utf8_sequence(std::string_view s, std::size_t i, std::uint32_t& code) noexcept {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  const std::size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
  if (n == 0 || c > 0xf4 || i + n > s.size()) return 0;
  std::uint32_t v = c & (0x7f >> n);
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xc0) != 0x80) return 0;
    v = (v << 6) | (b(i + k) & 0x3f);
  }
  constexpr std::uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
  if (v < least[n] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return 0;
  code = v;
  return n;
}

}  // namespace vitte::detail

#endif  // VITTE_BASE_DETAIL_UTF8_HPP
