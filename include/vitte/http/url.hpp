// vitte/http/url.hpp - the URLs the HTTP client and the remote cache take.
//
//   auto u = vitte::http::url::parse("http://cache.local:8080/v1/ac?x=1").value();
//   u.host;          // "cache.local"
//   u.port;          // 8080 (80 when absent; 443 for https)
//   u.target;        // "/v1/ac?x=1" (what the request line carries; "/" when empty)
//   u.to_text();     // "http://cache.local:8080/v1/ac?x=1"
//
// Schemes: http, https (which needs a TLS transport, see client.hpp),
// redis. Hosts: a name, dotted IPv4, or [IPv6]. User information
// ("user:secret@") is parsed into `user` and `password` and never printed
// by to_text(), so errors and logs that show a URL never show a secret.
// Fragments are dropped. Parsing allocates the parts; nothing touches the OS.
#ifndef VITTE_HTTP_URL_HPP
#define VITTE_HTTP_URL_HPP

#include <vitte/base.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/http/operations.hpp>

#include <cstdint>

namespace vitte::http {

/// A parsed absolute URL. Thread safety: a value type.
struct url {
  text scheme;    ///< lower case: "http", "https", "redis"
  text user;      ///< from "user:password@", as written (percent_decoded() for the name)
  text password;  ///< as written; never printed by to_text()
  text host;      ///< without brackets for IPv6
  std::uint16_t port = 0;
  text target;  ///< path and query, "/" at least

  /// Parses `s`. Errors (url_parse): invalid_argument for a missing or
  /// unknown scheme, an empty host, a bad port, spaces or control
  /// characters; name_too_long past 8 KiB.
  static result<url> parse(text_view s);
  /// "scheme://host:port/target" (the port only when not the scheme's
  /// default; never the user information).
  text to_text() const;
  /// "host:port" as the Host header carries it ("[::1]:8080").
  text authority() const;
  /// The URL `reference` names relative to this one, as RFC 3986 section 5
  /// resolves it (what a Location header may hold): an absolute URL,
  /// "//host/path", "/path", "path", "../path", "?query", "" (this URL);
  /// dot segments removed, the fragment dropped. The user information is
  /// kept only while the origin is. Errors: those of parse().
  result<url> resolve(text_view reference) const;
  /// True when `o` has this URL's scheme, host and port (RFC 6454 origin).
  bool same_origin(const url& o) const noexcept { return scheme == o.scheme && host == o.host && port == o.port; }
};

/// `t` with each "%XX" (two hex digits, either case) replaced by its byte;
/// a '%' without two digits after it stays as written. What user
/// information and paths mean once read (RFC 3986 section 2.1).
VITTE_DECL text percent_decoded(text_view t);

/// The default port of `scheme`: 80, 443, 6379 (redis); 0 when unknown.
constexpr std::uint16_t default_port(text_view scheme) noexcept {
  if (scheme == "http") return 80;
  if (scheme == "https") return 443;
  if (scheme == "redis") return 6379;
  return 0;
}

namespace detail {

inline void append(text& t, text_view v) { t.append(v.data(), v.size()); }

// Appends `v` in `base` (10 or 16, lower case).
VITTE_DECL void append_number(text& t, std::uint64_t v, unsigned base = 10);

}  // namespace detail

}  // namespace vitte::http

#if VITTE_HEADER_ONLY
#include <vitte/http/impl/url.ipp>
#endif

#endif  // VITTE_HTTP_URL_HPP
