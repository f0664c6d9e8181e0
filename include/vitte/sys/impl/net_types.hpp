// constexpr bodies for vitte/sys/net_types.hpp: numeric address parsing
// (no OS, no allocation); the rest is in detail/net_types.ipp. Included by
// it; do not include.
#ifndef VITTE_SYS_IMPL_NET_TYPES_HPP
#define VITTE_SYS_IMPL_NET_TYPES_HPP

namespace vitte::sys {

namespace detail::addr {

constexpr error bad_text() noexcept { return error{errc::invalid_argument, ops::address_parse}; }

using vitte::detail::hex_value;  // <vitte/base/detail/hex.hpp>

// Decimal without sign or leading zeros, at most `max`; false otherwise.
constexpr bool parse_decimal(text_view s, std::uint32_t max, std::uint32_t& out) noexcept {
  std::uint64_t v = 0;
  if (s.size() > 10 || (s.size() > 1 && s[0] == '0') || !vitte::detail::parse_decimal(s, max, v)) return false;
  out = static_cast<std::uint32_t>(v);
  return true;
}

constexpr bool parse_v4(text_view s, std::uint8_t* out) noexcept {
  for (int part = 0; part < 4; ++part) {
    std::size_t dot = s.find('.');
    if ((dot == text_view::npos) != (part == 3)) return false;
    std::uint32_t v = 0;
    if (!parse_decimal(s.substr(0, dot), 255, v)) return false;
    out[part] = static_cast<std::uint8_t>(v);
    s = part == 3 ? text_view{} : s.substr(dot + 1);
  }
  return true;
}

// RFC 4291 section 2.2 text (no scope) into 16 bytes.
constexpr bool parse_v6(text_view s, std::uint8_t* out) noexcept {
  std::uint16_t head[8] = {}, tail[8] = {};
  std::size_t nh = 0, nt = 0;
  bool gap = false;
  std::size_t i = 0;
  if (s.size() >= 2 && s[0] == ':' && s[1] == ':') {
    gap = true;
    i = 2;
  } else if (!s.empty() && s[0] == ':') {
    return false;
  }
  auto push = [&](std::uint16_t g) {
    if (nh + nt >= 8) return false;
    if (gap)
      tail[nt++] = g;
    else
      head[nh++] = g;
    return true;
  };
  while (i < s.size()) {
    std::size_t j = s.find(':', i);
    if (j == text_view::npos) j = s.size();
    text_view tok = s.substr(i, j - i);
    if (tok.empty()) return false;
    if (tok.find('.') != text_view::npos) {  // an IPv4 tail
      std::uint8_t v4[4] = {};
      if (j != s.size() || !parse_v4(tok, v4)) return false;
      if (!push(vitte::detail::load_be<std::uint16_t>(v4)) || !push(vitte::detail::load_be<std::uint16_t>(v4 + 2)))
        return false;
      i = j;
      break;
    }
    if (tok.size() > 4) return false;
    std::uint32_t g = 0;
    for (char c : tok) {
      int h = hex_value(c);
      if (h < 0) return false;
      g = g << 4 | static_cast<std::uint32_t>(h);
    }
    if (!push(static_cast<std::uint16_t>(g))) return false;
    i = j;
    if (i == s.size()) break;
    if (i + 1 < s.size() && s[i + 1] == ':') {
      if (gap) return false;
      gap = true;
      i += 2;
      continue;
    }
    ++i;
    if (i == s.size()) return false;  // a single trailing colon
  }
  std::size_t total = nh + nt;
  if (gap ? total > 7 : total != 8) return false;
  std::uint16_t groups[8] = {};
  for (std::size_t k = 0; k < nh; ++k) groups[k] = head[k];
  for (std::size_t k = 0; k < nt; ++k) groups[8 - nt + k] = tail[k];
  for (std::size_t k = 0; k < 8; ++k) vitte::detail::store_be(out + 2 * k, groups[k]);
  return true;
}

}  // namespace detail::addr

constexpr bool ip_address::is_loopback() const noexcept {
  if (!v6_) return bytes_[0] == 127;
  for (std::size_t i = 0; i < 15; ++i)
    if (bytes_[i] != 0) return false;
  return bytes_[15] == 1;
}

constexpr bool ip_address::is_unspecified() const noexcept {
  for (std::size_t i = 0; i < size(); ++i)
    if (bytes_[i] != 0) return false;
  return true;
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_IMPL_NET_TYPES_HPP
