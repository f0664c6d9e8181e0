// socket_address to and from the BSD socket structures (sockaddr_in,
// sockaddr_in6, sockaddr_un in a sockaddr_storage), which POSIX and Winsock
// spell alike: the conversion of both backends, written once. Included by
// posix/net.ipp and win32/net.ipp after their OS's socket headers (it
// includes none itself); `Len` is the OS's length type (socklen_t, int).
#ifndef VITTE_SYS_DETAIL_SOCKADDR_HPP
#define VITTE_SYS_DETAIL_SOCKADDR_HPP

#include <vitte/sys/net.hpp>

#include <cstddef>  // offsetof
#include <cstdint>
#include <cstring>  // memcpy, memset

namespace vitte::sys::detail::bsd_sockets {

// The socket() domain of an address family (AF_INET for unspecified).
inline int domain_of(address_family f) noexcept {
  switch (f) {
    case address_family::ipv6:
      return AF_INET6;
    case address_family::unix_domain:
      return AF_UNIX;
    case address_family::ipv4:
    case address_family::unspecified:
      break;
  }
  return AF_INET;
}

// The socket() type of a socket_type.
inline int type_of(socket_type t) noexcept { return t == socket_type::stream ? SOCK_STREAM : SOCK_DGRAM; }

// A socket_address as the OS's sockaddr; false when it cannot be one (an
// unspecified address, a Unix path too long for sun_path).
template <class Len>
bool to_native(const socket_address& a, sockaddr_storage& ss, Len& len) noexcept {
  std::memset(&ss, 0, sizeof ss);
  switch (a.family()) {
    case address_family::ipv4: {
      auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
      sin->sin_family = AF_INET;
      sin->sin_port = htons(a.port());
      std::memcpy(&sin->sin_addr, a.ip().bytes(), 4);
      len = sizeof(sockaddr_in);
      return true;
    }
    case address_family::ipv6: {
      auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
      sin6->sin6_family = AF_INET6;
      sin6->sin6_port = htons(a.port());
      std::memcpy(&sin6->sin6_addr, a.ip().bytes(), 16);
      sin6->sin6_scope_id = a.ip().scope();
      len = sizeof(sockaddr_in6);
      return true;
    }
    case address_family::unix_domain: {
      auto* sun = reinterpret_cast<sockaddr_un*>(&ss);
      text_view p = a.path();
      if (p.size() >= sizeof sun->sun_path) return false;
      sun->sun_family = AF_UNIX;
      std::memcpy(sun->sun_path, p.data(), p.size());
      len = static_cast<Len>(offsetof(sockaddr_un, sun_path) + p.size() + 1);
      return true;
    }
    case address_family::unspecified:
      break;
  }
  return false;
}

// The socket_address the OS wrote into `ss` (`len` bytes of it); an
// unspecified one for a family vitte does not know.
template <class Len>
socket_address from_native(const sockaddr_storage& ss, Len len) noexcept {
  if (ss.ss_family == AF_INET) {
    const auto* sin = reinterpret_cast<const sockaddr_in*>(&ss);
    const auto* b = reinterpret_cast<const std::uint8_t*>(&sin->sin_addr);
    return socket_address{ip_address::v4(b[0], b[1], b[2], b[3]), ntohs(sin->sin_port)};
  }
  if (ss.ss_family == AF_INET6) {
    const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(&ss);
    std::uint8_t b[16];
    std::memcpy(b, &sin6->sin6_addr, 16);
    return socket_address{ip_address::v6(b, sin6->sin6_scope_id), ntohs(sin6->sin6_port)};
  }
  if (ss.ss_family == AF_UNIX) {
    const auto* sun = reinterpret_cast<const sockaddr_un*>(&ss);
    const std::size_t off = offsetof(sockaddr_un, sun_path);
    std::size_t max = len > static_cast<Len>(off) ? static_cast<std::size_t>(len) - off : 0;
    if (max > sizeof sun->sun_path) max = sizeof sun->sun_path;
    std::size_t n = 0;
    while (n < max && sun->sun_path[n] != '\0') ++n;
    if (n == 0) return socket_address::unnamed_unix();
    result<socket_address> a = socket_address::unix_path(text_view(sun->sun_path, n));
    return a ? *a : socket_address{};
  }
  return socket_address{};
}

// The IPv4 and IPv6 addresses of a resolver's list (struct addrinfo,
// ADDRINFOW), at most `n`, into `out`; returns how many.
template <class Len, class AddrInfo>
std::size_t addresses_of(const AddrInfo* list, socket_address* out, std::size_t n) noexcept {
  std::size_t count = 0;
  for (const AddrInfo* ai = list; ai != nullptr && count < n; ai = ai->ai_next) {
    if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6) continue;
    sockaddr_storage ss;
    std::memset(&ss, 0, sizeof ss);
    std::memcpy(&ss, ai->ai_addr, ai->ai_addrlen < sizeof ss ? ai->ai_addrlen : sizeof ss);
    out[count++] = from_native(ss, static_cast<Len>(ai->ai_addrlen));
  }
  return count;
}

}  // namespace vitte::sys::detail::bsd_sockets

#endif  // VITTE_SYS_DETAIL_SOCKADDR_HPP
