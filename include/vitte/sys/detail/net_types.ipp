// Out-of-line part of vitte/sys/net_types.hpp: parsing and formatting
// addresses (no OS, no allocation).
#ifndef VITTE_SYS_DETAIL_NET_TYPES_IPP
#define VITTE_SYS_DETAIL_NET_TYPES_IPP

#include <vitte/base/detail/endian.hpp>  // address groups are big-endian
#include <vitte/base/detail/hex.hpp>     // IPv6 groups
#include <vitte/sys/net_types.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::sys {

namespace detail::addr {

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

VITTE_DECL void format_ip(writer& w, const ip_address& a) noexcept {
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

VITTE_DECL result<ip_address> ip_address::parse(text_view text) noexcept {
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

VITTE_DECL std::size_t ip_address::format(char* buf, std::size_t n) const noexcept {
  detail::addr::writer w{buf, n};
  detail::addr::format_ip(w, *this);
  return w.finish();
}

VITTE_DECL address_text ip_address::to_text() const noexcept {
  address_text t;
  t.length = format(t.text, t.capacity);
  return t;
}

VITTE_DECL result<std::uint16_t> socket_address::parse_port(text_view text) noexcept {
  std::uint32_t v = 0;
  if (text == "0") return std::uint16_t{0};
  if (!detail::addr::parse_decimal(text, 65535, v)) return detail::addr::bad_text();
  return static_cast<std::uint16_t>(v);
}

VITTE_DECL result<socket_address> socket_address::unix_path(text_view path) noexcept {
  if (path.empty() || path.find('\0') != text_view::npos) return error{errc::invalid_argument, ops::address_parse};
  if (path.size() > max_path) return error{errc::name_too_long, ops::address_parse};
  socket_address a;
  a.family_ = address_family::unix_domain;
  a.path_length_ = static_cast<std::uint8_t>(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) a.path_[i] = path[i];
  return a;
}

VITTE_DECL result<socket_address> socket_address::parse(text_view ip, std::uint16_t port) noexcept {
  result<ip_address> a = ip_address::parse(ip);
  if (!a) return a.error();
  return socket_address{*a, port};
}

VITTE_DECL result<socket_address> socket_address::parse(text_view text) noexcept {
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

VITTE_DECL std::size_t socket_address::format(char* buf, std::size_t n) const noexcept {
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

VITTE_DECL address_text socket_address::to_text() const noexcept {
  address_text t;
  t.length = format(t.text, t.capacity);
  return t;
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_NET_TYPES_IPP
