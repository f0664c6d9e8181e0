// Bodies for vitte/sys/net_types.hpp: numeric address parsing and
// formatting (no OS, no allocation). Included by it; do not include.
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

// Appends to a bounded buffer; `ok` turns false on overflow.
struct writer {
  char* buf;
  std::size_t cap;
  std::size_t len = 0;
  void put(char c) noexcept {
    if (len < cap) buf[len] = c;
    ++len;
  }
  void put(text_view s) noexcept {
    for (char c : s) put(c);
  }
  void decimal(std::uint32_t v) noexcept {
    char tmp[10];
    int n = 0;
    do {
      tmp[n++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    while (n > 0) put(tmp[--n]);
  }
  void hex(std::uint32_t v) noexcept {
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      unsigned d = (v >> shift) & 0xF;
      if (d == 0 && !started && shift != 0) continue;
      started = true;
      put(vitte::detail::hex_digit(d));
    }
  }
  // Ends the text: NUL-terminates and returns the length, or writes
  // nothing useful and returns the length when the buffer was too small.
  std::size_t finish() noexcept {
    if (len < cap) {
      buf[len] = '\0';
    } else if (cap > 0) {
      buf[0] = '\0';
    }
    return len;
  }
};

inline void format_ip(writer& w, const ip_address& a) noexcept {
  const std::uint8_t* b = a.bytes();
  if (a.is_v4()) {
    for (int i = 0; i < 4; ++i) {
      if (i != 0) w.put('.');
      w.decimal(b[i]);
    }
    return;
  }
  std::uint16_t g[8];
  for (int i = 0; i < 8; ++i) g[i] = vitte::detail::load_be<std::uint16_t>(b + 2 * i);
  // IPv4-mapped (::ffff:a.b.c.d), per RFC 5952 section 5.
  bool mapped = g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xFFFF;
  int groups = mapped ? 6 : 8;
  // The longest run of two or more zero groups (the first when tied).
  int best = -1, best_len = 1;
  for (int i = 0; i < groups;) {
    if (g[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < groups && g[j] == 0) ++j;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  for (int i = 0; i < groups; ++i) {
    if (i == best) {
      w.put("::");
      i += best_len - 1;
      continue;
    }
    if (i != 0 && i != best + best_len) w.put(':');
    w.hex(g[i]);
  }
  if (mapped) {
    if (best + best_len != 6) w.put(':');
    for (int i = 12; i < 16; ++i) {
      if (i != 12) w.put('.');
      w.decimal(b[i]);
    }
  }
  if (a.scope() != 0) {
    w.put('%');
    w.decimal(a.scope());
  }
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

inline result<ip_address> ip_address::parse(text_view text) noexcept {
  using namespace detail::addr;
  if (text.find(':') == text_view::npos) {
    std::uint8_t b[4] = {};
    if (!parse_v4(text, b)) return bad_text();
    return v4(b[0], b[1], b[2], b[3]);
  }
  std::uint32_t scope = 0;
  std::size_t pct = text.find('%');
  if (pct != text_view::npos) {
    text_view s = text.substr(pct + 1);
    if (s == "0") {
      scope = 0;
    } else if (!parse_decimal(s, 0xFFFFFFFFu, scope)) {
      return bad_text();
    }
    text = text.substr(0, pct);
  }
  std::uint8_t b[16] = {};
  if (!parse_v6(text, b)) return bad_text();
  return v6(b, scope);
}

inline std::size_t ip_address::format(char* buf, std::size_t n) const noexcept {
  detail::addr::writer w{buf, n};
  detail::addr::format_ip(w, *this);
  return w.finish();
}

inline address_text ip_address::to_text() const noexcept {
  address_text t;
  t.length = format(t.text, t.capacity);
  return t;
}

inline result<std::uint16_t> socket_address::parse_port(text_view text) noexcept {
  std::uint32_t v = 0;
  if (text == "0") return std::uint16_t{0};
  if (!detail::addr::parse_decimal(text, 65535, v)) return detail::addr::bad_text();
  return static_cast<std::uint16_t>(v);
}

inline result<socket_address> socket_address::unix_path(text_view path) noexcept {
  if (path.empty() || path.find('\0') != text_view::npos) return error{errc::invalid_argument, ops::address_parse};
  if (path.size() > max_path) return error{errc::name_too_long, ops::address_parse};
  socket_address a;
  a.family_ = address_family::unix_domain;
  a.path_length_ = static_cast<std::uint8_t>(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) a.path_[i] = path[i];
  return a;
}

inline result<socket_address> socket_address::parse(text_view ip, std::uint16_t port) noexcept {
  result<ip_address> a = ip_address::parse(ip);
  if (!a) return a.error();
  return socket_address{*a, port};
}

inline result<socket_address> socket_address::parse(text_view text) noexcept {
  using namespace detail::addr;
  text_view host, port;
  if (!text.empty() && text[0] == '[') {
    std::size_t close = text.find(']');
    if (close == text_view::npos || close + 1 >= text.size() || text[close + 1] != ':') return bad_text();
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
    if (host.find(':') == text_view::npos) return bad_text();  // brackets are for IPv6
  } else {
    std::size_t colon = text.find(':');
    if (colon == text_view::npos || text.find(':', colon + 1) != text_view::npos) return bad_text();
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  result<std::uint16_t> p = parse_port(port);
  if (!p) return p.error();
  return parse(host, *p);
}

inline std::size_t socket_address::format(char* buf, std::size_t n) const noexcept {
  detail::addr::writer w{buf, n};
  switch (family_) {
    case address_family::unspecified:
      break;
    case address_family::ipv4:
      detail::addr::format_ip(w, ip_);
      w.put(':');
      w.decimal(port_);
      break;
    case address_family::ipv6:
      w.put('[');
      detail::addr::format_ip(w, ip_);
      w.put("]:");
      w.decimal(port_);
      break;
    case address_family::unix_domain:
      w.put(path());
      break;
  }
  return w.finish();
}

inline address_text socket_address::to_text() const noexcept {
  address_text t;
  t.length = format(t.text, t.capacity);
  return t;
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_IMPL_NET_TYPES_HPP
