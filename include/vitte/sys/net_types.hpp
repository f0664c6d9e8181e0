// vitte/sys/net_types.hpp - addresses and the vocabulary of vitte's sockets.
//
// IP addresses (v4, v6 with a scope id) and socket addresses (an IP address
// and a port, or a Unix-domain path) are plain values: parsing and
// formatting numeric text allocates nothing and touches no OS:
//
//   auto a = vitte::sys::socket_address::parse("[fe80::1%2]:8080").value();
//   a.port();                          // 8080
//   a.ip().scope();                    // 2
//   std::puts(a.to_text().c_str());    // "[fe80::1%2]:8080"
//   vitte::sys::ip_address::parse("1.2.3.256").error();   // invalid_argument, address_parse
//
// Formatting follows RFC 5952 (lowercase, the longest run of zero groups as
// "::", IPv4-mapped addresses as ::ffff:a.b.c.d). Parsing takes the forms of
// RFC 4291 section 2.2 and dotted-quad IPv4 without leading zeros (so that
// "010.0.0.1" is not mistaken for octal); scope ids are numeric (interface
// indexes). Policies include this header to declare their socket functions.
#ifndef VITTE_SYS_NET_TYPES_HPP
#define VITTE_SYS_NET_TYPES_HPP

#include <vitte/base.hpp>
#include <vitte/base/detail/decimal.hpp>  // IPv4 parts, ports, scopes
#include <vitte/base/detail/endian.hpp>   // address groups are big-endian
#include <vitte/base/detail/hex.hpp>      // IPv6 groups
#include <vitte/base/text_view.hpp>       // text
#include <vitte/sys/operations.hpp>

#include <cstddef>  // std::size_t
#include <cstdint>  // fixed-width fields

namespace vitte::sys {

/// What kind of address (and of socket).
enum class address_family : std::uint8_t {
  unspecified,  ///< No address (a default-constructed one).
  ipv4,         ///< AF_INET.
  ipv6,         ///< AF_INET6.
  unix_domain,  ///< AF_UNIX: a path (Windows 10 1803+ has stream sockets only).
};

/// Stream (TCP, Unix stream) or datagram (UDP, Unix datagram) sockets.
enum class socket_type : std::uint8_t { stream, datagram };

/// Which direction shutdown() closes.
enum class shutdown_how : std::uint8_t { receive, send, both };

/// Socket options that set_option and option take; values are ints.
enum class socket_option : std::uint8_t {
  no_delay,             ///< TCP_NODELAY: 1 sends small segments at once (no Nagle).
  reuse_address,        ///< SO_REUSEADDR: bind through TIME_WAIT. Windows: accepted, no effect
                        ///< (its SO_REUSEADDR would let others steal the port).
  reuse_port,           ///< SO_REUSEPORT: several listeners share a port (not_supported on Windows).
  keep_alive,           ///< SO_KEEPALIVE.
  send_buffer_size,     ///< SO_SNDBUF in bytes (Linux reports twice what was set).
  receive_buffer_size,  ///< SO_RCVBUF in bytes.
  linger,               ///< SO_LINGER: -1 off, n >= 0 on with n seconds (0: close resets).
  v6_only,              ///< IPV6_V6ONLY: 1 keeps an IPv6 socket off IPv4.
};

/// Text of an address, held by value (no allocation); NUL-terminated.
struct address_text {
  static constexpr std::size_t capacity = 128;
  char text[capacity] = {};
  std::size_t length = 0;
  const char* c_str() const noexcept { return text; }
  text_view view() const noexcept { return {text, length}; }
};

/// An IPv4 or IPv6 address (with a scope id for link-local IPv6).
/// Thread safety: a value type.
class ip_address {
 public:
  /// The longest text format() writes, without the NUL:
  /// "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255%4294967295".
  static constexpr std::size_t max_text = 56;

  /// 0.0.0.0.
  constexpr ip_address() noexcept = default;
  /// a.b.c.d
  static constexpr ip_address v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) noexcept {
    ip_address r;
    r.bytes_[0] = a;
    r.bytes_[1] = b;
    r.bytes_[2] = c;
    r.bytes_[3] = d;
    return r;
  }
  /// An IPv6 address from its 16 bytes (network order) and a scope id.
  static constexpr ip_address v6(const std::uint8_t (&bytes)[16], std::uint32_t scope = 0) noexcept {
    ip_address r;
    r.v6_ = true;
    for (std::size_t i = 0; i < 16; ++i) r.bytes_[i] = bytes[i];
    r.scope_ = scope;
    return r;
  }
  static constexpr ip_address loopback_v4() noexcept { return v4(127, 0, 0, 1); }
  static constexpr ip_address any_v4() noexcept { return v4(0, 0, 0, 0); }
  static constexpr ip_address loopback_v6() noexcept {
    const std::uint8_t b[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    return v6(b);
  }
  static constexpr ip_address any_v6() noexcept {
    const std::uint8_t b[16] = {};
    return v6(b);
  }

  /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text, with an optional
  /// numeric scope ("fe80::1%3"). Errors (address_parse): invalid_argument.
  static result<ip_address> parse(text_view text) noexcept;

  constexpr bool is_v4() const noexcept { return !v6_; }
  constexpr bool is_v6() const noexcept { return v6_; }
  constexpr address_family family() const noexcept { return v6_ ? address_family::ipv6 : address_family::ipv4; }
  /// The bytes in network order: 4 for IPv4, 16 for IPv6.
  constexpr const std::uint8_t* bytes() const noexcept { return bytes_; }
  constexpr std::size_t size() const noexcept { return v6_ ? 16 : 4; }
  /// The IPv6 scope id (interface index); 0 for IPv4.
  constexpr std::uint32_t scope() const noexcept { return scope_; }
  /// 127.0.0.0/8 or ::1.
  constexpr bool is_loopback() const noexcept;
  /// 0.0.0.0 or ::.
  constexpr bool is_unspecified() const noexcept;

  /// Writes the text into buf (NUL-terminated when it fits); returns its
  /// length, which is at most max_text. Nothing is written when n is too small.
  std::size_t format(char* buf, std::size_t n) const noexcept;
  /// The text, by value.
  address_text to_text() const noexcept;

  friend constexpr bool operator==(const ip_address& a, const ip_address& b) noexcept {
    if (a.v6_ != b.v6_ || a.scope_ != b.scope_) return false;
    for (std::size_t i = 0; i < 16; ++i)
      if (a.bytes_[i] != b.bytes_[i]) return false;
    return true;
  }

 private:
  std::uint8_t bytes_[16] = {};
  std::uint32_t scope_ = 0;
  bool v6_ = false;
};

/// An address a socket binds or connects to: an IP address and a port, or
/// a Unix-domain path. Thread safety: a value type.
class socket_address {
 public:
  /// The longest Unix-domain path, in bytes without the NUL (Linux and
  /// Windows: 107; Darwin and the BSDs take 103 and report name_too_long).
  static constexpr std::size_t max_path = 107;

  /// No address (family unspecified).
  constexpr socket_address() noexcept = default;
  /// `ip`, port `port`.
  constexpr socket_address(const ip_address& ip, std::uint16_t port) noexcept
      : ip_(ip), port_(port), family_(ip.family()) {}
  /// A Unix-domain path. Errors (address_parse): name_too_long beyond
  /// max_path, invalid_argument for an empty path or one with a NUL.
  static result<socket_address> unix_path(text_view path) noexcept;
  /// The address of an unnamed Unix-domain socket (socket pairs, clients
  /// that never bound): family unix_domain, empty path.
  static constexpr socket_address unnamed_unix() noexcept {
    socket_address a;
    a.family_ = address_family::unix_domain;
    return a;
  }
  /// Parses "a.b.c.d:port" or "[v6%scope]:port". Errors (address_parse):
  /// invalid_argument for a malformed address, a missing port or a port
  /// outside 0..65535.
  static result<socket_address> parse(text_view text) noexcept;
  /// Parses an IP address and takes `port`. Errors: as ip_address::parse.
  static result<socket_address> parse(text_view ip, std::uint16_t port) noexcept;
  /// Parses a port: decimal, 0..65535, no sign. Errors (address_parse): invalid_argument.
  static result<std::uint16_t> parse_port(text_view text) noexcept;

  constexpr address_family family() const noexcept { return family_; }
  constexpr bool is_ip() const noexcept { return family_ == address_family::ipv4 || family_ == address_family::ipv6; }
  /// The IP address (meaningful when is_ip()).
  constexpr const ip_address& ip() const noexcept { return ip_; }
  /// The port (0 when not an IP address).
  constexpr std::uint16_t port() const noexcept { return port_; }
  /// The Unix-domain path (empty otherwise, and for unnamed sockets).
  constexpr text_view path() const noexcept { return {path_, path_length_}; }

  /// "1.2.3.4:80", "[::1]:80", or the Unix-domain path; returns the length
  /// (NUL-terminated when it fits; nothing written when n is too small).
  std::size_t format(char* buf, std::size_t n) const noexcept;
  address_text to_text() const noexcept;

  friend constexpr bool operator==(const socket_address& a, const socket_address& b) noexcept {
    return a.family_ == b.family_ && a.port_ == b.port_ && a.ip_ == b.ip_ && a.path() == b.path();
  }

 private:
  ip_address ip_;
  std::uint16_t port_ = 0;
  address_family family_ = address_family::unspecified;
  std::uint8_t path_length_ = 0;
  char path_[max_path + 1] = {};
};

/// What receive_from reports: the bytes stored, and whether the datagram
/// was longer than the buffer (the rest is lost; vitte reports it instead of
/// failing, so the head of the datagram stays usable).
struct datagram {
  std::size_t size = 0;    ///< Bytes written into the buffer.
  bool truncated = false;  ///< The datagram did not fit: bytes after `size` were discarded.
};

/// Hints for name resolution.
struct resolve_hints {
  address_family family = address_family::unspecified;  ///< unspecified: IPv4 and IPv6.
  socket_type type = socket_type::stream;
  bool numeric_host = false;  ///< The host is numeric text: no DNS query.
  bool passive = false;       ///< An empty host means "any" (to bind), not loopback.
};

}  // namespace vitte::sys

#include <vitte/sys/impl/net_types.hpp>
#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/net_types.ipp>
#endif

#endif  // VITTE_SYS_NET_TYPES_HPP
