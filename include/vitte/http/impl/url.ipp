// Non-template bodies of vitte/http/url.hpp: parsing, resolving and
// printing URLs.
#ifndef VITTE_HTTP_IMPL_URL_IPP
#define VITTE_HTTP_IMPL_URL_IPP

#include <vitte/base/detail/decimal.hpp>  // ports
#include <vitte/base/detail/hex.hpp>      // hex_digit, hex_value (percent_decoded)
#include <vitte/http/url.hpp>

#include <cstddef>

namespace vitte::http {

namespace detail {

VITTE_DECL void append_number(text& t, std::uint64_t v, unsigned base) {
  char digits[24];
  std::size_t n = 0;
  do {
    digits[n++] = vitte::detail::hex_digit(static_cast<unsigned>(v % base));
    v /= base;
  } while (v != 0);
  while (n != 0) t.append(&digits[--n], 1);
}

}  // namespace detail

VITTE_DECL result<url> url::parse(text_view s) {
  const error bad{errc::invalid_argument, ops::url_parse};
  if (s.size() > 8192) return error{errc::name_too_long, ops::url_parse};
  for (char c : s)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return bad;
  const std::size_t colon = s.find("://");
  if (colon == text_view::npos || colon == 0) return bad;
  url u;
  for (char c : s.substr(0, colon)) {
    const char l = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (!((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '+' || l == '-' || l == '.')) return bad;
    u.scheme.append(&l, 1);
  }
  if (default_port(u.scheme) == 0) return bad;
  text_view rest = s.substr(colon + 3);
  if (const std::size_t hash = rest.find('#'); hash != text_view::npos) rest = rest.substr(0, hash);
  std::size_t end = rest.find_first_of("/?");
  text_view authority = rest.substr(0, end);
  text_view target = end == text_view::npos ? text_view("/") : rest.substr(end);
  if (const std::size_t at = authority.rfind('@'); at != text_view::npos) {
    const text_view info = authority.substr(0, at);
    const std::size_t c = info.find(':');
    u.user = info.substr(0, c);
    if (c != text_view::npos) u.password = info.substr(c + 1);
    authority = authority.substr(at + 1);
  }
  text_view host = authority;
  text_view port;
  if (!authority.empty() && authority[0] == '[') {
    const std::size_t close = authority.find(']');
    if (close == text_view::npos) return bad;
    host = authority.substr(1, close - 1);
    const text_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return bad;
      port = after.substr(1);
    }
  } else if (const std::size_t c = authority.rfind(':'); c != text_view::npos) {
    host = authority.substr(0, c);
    port = authority.substr(c + 1);
    if (port.empty()) return bad;
  }
  if (host.empty()) return bad;
  if (authority[0] == '[') {  // an IPv6 literal: hex digits, colons, dots, a zone after '%'
    if (host.find(':') == text_view::npos) return bad;
    for (char c : host)
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == ':' || c == '.' ||
            c == '%'))
        return bad;
  }
  if (authority[0] != '[' && host.find_first_of("[]@:") != text_view::npos) return bad;
  u.host = host;
  u.port = default_port(u.scheme);
  if (!port.empty()) {
    std::uint64_t v = 0;
    if (port.size() > 5 || !vitte::detail::parse_decimal(port, 65535, v) || v == 0) return bad;
    u.port = static_cast<std::uint16_t>(v);
  }
  if (target[0] == '?') {
    u.target = "/";
    u.target.append(target.data(), target.size());
  } else {
    u.target = target;
  }
  return u;
}

namespace detail {
// RFC 3986 5.2.4: removes "." and ".." segments from an absolute path.
VITTE_DECL text remove_dot_segments(text_view in) {
  text out;
  while (!in.empty()) {
    if (in.starts_with("../")) {
      in.remove_prefix(3);
    } else if (in.starts_with("./")) {
      in.remove_prefix(2);
    } else if (in.starts_with("/./")) {
      in.remove_prefix(2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.starts_with("/../") || in == "/..") {
      in = in.size() == 3 ? text_view("/") : in.substr(3);
      const std::size_t last = out.rfind('/');
      out = out.substr(0, last == text::npos ? 0 : last);
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      const std::size_t next = in.find('/', 1);
      const text_view segment = in.substr(0, next);
      out.append(segment.data(), segment.size());
      in.remove_prefix(segment.size());
    }
  }
  return out;
}
}  // namespace detail

VITTE_DECL result<url> url::resolve(text_view reference) const {
  if (const std::size_t hash = reference.find('#'); hash != text_view::npos) reference = reference.substr(0, hash);
  const std::size_t colon = reference.find(':');
  const std::size_t first_delimiter = reference.find_first_of("/?");
  if (colon != text_view::npos && colon < first_delimiter) return parse(reference);  // has a scheme
  if (reference.starts_with("//")) {
    text absolute = scheme;
    absolute.append(":", 1);
    absolute.append(reference.data(), reference.size());
    return parse(absolute);
  }
  text rebuilt = scheme;
  rebuilt.append("://", 3);
  const text a = authority();
  rebuilt.append(a.data(), a.size());
  const text_view base = target;
  const std::size_t query = base.find('?');
  const text_view base_path = base.substr(0, query);
  text path;
  if (reference.empty()) {
    path = text(base);
  } else if (reference.starts_with('?')) {
    path = text(base_path);
    path.append(reference.data(), reference.size());
  } else {
    const std::size_t q = reference.find('?');
    const text_view ref_path = reference.substr(0, q);
    text merged;
    if (ref_path.starts_with('/')) {
      merged = text(ref_path);
    } else {
      const std::size_t slash = base_path.rfind('/');
      merged = text(base_path.substr(0, slash == text_view::npos ? 0 : slash + 1));
      if (merged.empty()) merged = text("/");
      merged.append(ref_path.data(), ref_path.size());
    }
    path = detail::remove_dot_segments(merged);
    if (path.empty() || path[0] != '/') {
      text slash("/");
      slash.append(path.data(), path.size());
      path = static_cast<text&&>(slash);
    }
    if (q != text_view::npos) path.append(reference.data() + q, reference.size() - q);
  }
  rebuilt.append(path.data(), path.size());
  result<url> r = parse(rebuilt);
  if (r) r->user = user, r->password = password;  // same origin: the credentials stay
  return r;
}

VITTE_DECL text url::authority() const {
  text a;
  const bool v6 = host.find(':') != text::npos;
  if (v6) a.append("[", 1);
  a.append(host.data(), host.size());
  if (v6) a.append("]", 1);
  if (port != default_port(scheme)) {
    a.append(":", 1);
    detail::append_number(a, port);
  }
  return a;
}

VITTE_DECL text percent_decoded(text_view t) {
  text out;
  out.reserve(t.size());
  for (std::size_t i = 0; i < t.size(); ++i) {
    const int hi = i + 2 < t.size() && t[i] == '%' ? vitte::detail::hex_value(t[i + 1]) : -1;
    const int lo = hi >= 0 ? vitte::detail::hex_value(t[i + 2]) : -1;
    if (lo < 0) {
      out.append(t.data() + i, 1);
      continue;
    }
    const char byte = static_cast<char>(hi * 16 + lo);
    out.append(&byte, 1);
    i += 2;
  }
  return out;
}

VITTE_DECL text url::to_text() const {
  text t = scheme;
  t.append("://", 3);
  const text a = authority();
  t.append(a.data(), a.size());
  t.append(target.data(), target.size());
  return t;
}

}  // namespace vitte::http

#endif  // VITTE_HTTP_IMPL_URL_IPP
