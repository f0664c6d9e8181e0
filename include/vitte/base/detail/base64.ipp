// Out-of-line part of vitte/base/detail/base64.hpp.
#ifndef VITTE_BASE_DETAIL_BASE64_IPP
#define VITTE_BASE_DETAIL_BASE64_IPP

#include <vitte/base/detail/base64.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::detail {

VITTE_DECL text base64_encode(const std::uint8_t* p, std::size_t n) {
  static constexpr char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  text out;
  out.reserve((n + 2) / 3 * 4);
  for (std::size_t i = 0; i < n; i += 3) {
    const std::uint32_t v = (std::uint32_t{p[i]} << 16) | (i + 1 < n ? std::uint32_t{p[i + 1]} << 8 : 0) |
                            (i + 2 < n ? std::uint32_t{p[i + 2]} : 0);
    out += digits[(v >> 18) & 63];
    out += digits[(v >> 12) & 63];
    out += i + 1 < n ? digits[(v >> 6) & 63] : '=';
    out += i + 2 < n ? digits[v & 63] : '=';
  }
  return out;
}

VITTE_DECL bool base64_decode(text_view s, std::uint8_t* out, std::size_t n) {
  if (s.size() != (n + 2) / 3 * 4) return false;
  const auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::size_t o = 0;
  for (std::size_t i = 0; i < s.size(); i += 4) {
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const char c = s[i + k];
      const bool pad = c == '=';
      if (pad && i + 4 != s.size()) return false;
      const int d = pad ? 0 : value(c);
      if (d < 0) return false;
      v = (v << 6) | static_cast<std::uint32_t>(d);
    }
    const std::uint8_t b[3] = {static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 8),
                               static_cast<std::uint8_t>(v)};
    for (std::size_t k = 0; k < 3 && o < n; ++k) out[o++] = b[k];
  }
  // Padding where there are no bytes, and no bits set in it.
  return base64_encode(out, n).view() == s;
}

}  // namespace vitte::detail

#endif  // VITTE_BASE_DETAIL_BASE64_IPP
