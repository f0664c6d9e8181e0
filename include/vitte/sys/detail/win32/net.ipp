// Definitions of win32_platform's socket functions (see the net section of
// vitte/sys/policy/win32.hpp). Included by vitte/sys/detail/net.ipp.
#ifndef VITTE_SYS_DETAIL_WIN32_NET_IPP
#define VITTE_SYS_DETAIL_WIN32_NET_IPP

#include <vitte/sys/detail/win32/utf.hpp>
#include <vitte/sys/detail/win32/winsock.hpp>
#include <vitte/sys/policy/win32.hpp>

#include <cstring>  // memcpy, memset

#include <afunix.h>  // sockaddr_un (Windows 10 1803)
// after the OS headers: it converts to and from their structures
#include <vitte/sys/detail/sockaddr.hpp>

namespace vitte::sys {

namespace detail::win32_net {

constexpr ULONG max_chunk = 1u << 30;  // WSABUF lengths are ULONG
constexpr std::size_t max_bufs = 64;
// Resolver codes (the EAI_ values of Windows) MinGW may lack.
constexpr int host_not_found = 11001;  // WSAHOST_NOT_FOUND
constexpr int try_again = 11002;       // WSATRY_AGAIN
constexpr int no_data = 11004;         // WSANO_DATA
constexpr int type_not_found = 10109;  // WSATYPE_NOT_FOUND

using bsd_sockets::addresses_of;
using bsd_sockets::domain_of;
using bsd_sockets::from_native;
using bsd_sockets::to_native;
using bsd_sockets::type_of;

inline error set_nonblocking(SOCKET s, bool on, operation op) noexcept {
  u_long v = on ? 1 : 0;
  if (::ioctlsocket(s, FIONBIO, &v) != 0) return wsa_error(op);
  return {};
}

inline result<SOCKET> open(int domain, int type, operation op) noexcept {
  if (error e = startup()) return error{e.kind(), op, e.native(), e.domain()};
  SOCKET s = ::WSASocketW(domain, type, 0, nullptr, 0, WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
  if (s == INVALID_SOCKET) return wsa_error(op);
  return s;
}

struct option_spec {
  int level;
  int name;
};

// UTF-16 into a fixed buffer (null stays null); false when `s` is not valid
// UTF-8 or does not fit.
inline bool widen(const char* s, wchar_t* out, std::size_t n) noexcept {
  return s == nullptr || win32_utf::widen_into(s, out, n);
}

}  // namespace detail::win32_net

VITTE_DECL result<native_handle> os_platform_base::socket_open(address_family f, socket_type t,
                                                               bool nonblocking) noexcept {
  using namespace detail::win32_net;
  result<SOCKET> s = open(domain_of(f), type_of(t), ops::socket_create);
  if (!s) return s.error();
  if (nonblocking) {
    if (error e = set_nonblocking(*s, true, ops::socket_create)) {
      ::closesocket(*s);
      return e;
    }
  }
  return static_cast<native_handle>(*s);
}

VITTE_DECL error os_platform_base::socket_close(native_handle h) noexcept {
  if (::closesocket(detail::win32_net::sock(h)) != 0) return detail::win32_net::wsa_error(ops::close);
  return {};
}

VITTE_DECL error os_platform_base::socket_bind(native_handle h, const socket_address& a) noexcept {
  using namespace detail::win32_net;
  sockaddr_storage ss;
  int len = 0;
  if (!to_native(a, ss, len)) return error{errc::invalid_argument, ops::socket_bind};
  if (::bind(sock(h), reinterpret_cast<sockaddr*>(&ss), len) != 0) return wsa_error(ops::socket_bind);
  return {};
}

VITTE_DECL error os_platform_base::socket_listen(native_handle h, int backlog) noexcept {
  if (::listen(detail::win32_net::sock(h), backlog) != 0) return detail::win32_net::wsa_error(ops::socket_listen);
  return {};
}

VITTE_DECL result<native_handle> os_platform_base::socket_accept(native_handle h, socket_address* peer,
                                                                 bool nonblocking) noexcept {
  using namespace detail::win32_net;
  sockaddr_storage ss;
  std::memset(&ss, 0, sizeof ss);
  int len = sizeof ss;
  SOCKET s = ::accept(sock(h), reinterpret_cast<sockaddr*>(&ss), &len);
  if (s == INVALID_SOCKET) return wsa_error(ops::socket_accept);
  // The accepted socket copies the listener's mode; make both explicit.
  ::SetHandleInformation(reinterpret_cast<HANDLE>(s), HANDLE_FLAG_INHERIT, 0);
  if (error e = set_nonblocking(s, nonblocking, ops::socket_accept)) {
    ::closesocket(s);
    return e;
  }
  if (peer != nullptr) *peer = from_native(ss, len);
  return static_cast<native_handle>(s);
}

// connect; a non-blocking socket reports errc::in_progress (WSAEWOULDBLOCK).
VITTE_DECL error os_platform_base::socket_connect(native_handle h, const socket_address& a) noexcept {
  using namespace detail::win32_net;
  sockaddr_storage ss;
  int len = 0;
  if (!to_native(a, ss, len)) return error{errc::invalid_argument, ops::socket_connect};
  if (::connect(sock(h), reinterpret_cast<sockaddr*>(&ss), len) == 0) return {};
  int code = ::WSAGetLastError();
  if (code == WSAEWOULDBLOCK) return error{errc::in_progress, ops::socket_connect, code, error_domain::win32};
  return wsa_error(ops::socket_connect, code);
}

VITTE_DECL error os_platform_base::socket_connect_result(native_handle h) noexcept {
  using namespace detail::win32_net;
  int code = 0;
  int len = sizeof code;
  if (::getsockopt(sock(h), SOL_SOCKET, SO_ERROR, reinterpret_cast<char*>(&code), &len) != 0)
    return wsa_error(ops::socket_connect);
  if (code != 0) return wsa_error(ops::socket_connect, code);
  return {};
}

// WSASend / WSASendTo.
VITTE_DECL result<std::size_t> os_platform_base::socket_send(native_handle h, const const_buffer* bufs,
                                                             std::size_t count, const socket_address* to) noexcept {
  using namespace detail::win32_net;
  WSABUF wb[max_bufs];
  std::size_t k = count < max_bufs ? count : max_bufs;
  for (std::size_t i = 0; i < k; ++i) {
    wb[i].buf = static_cast<char*>(const_cast<void*>(bufs[i].data));
    wb[i].len = bufs[i].size < max_chunk ? static_cast<ULONG>(bufs[i].size) : max_chunk;
  }
  DWORD sent = 0;
  int rc;
  if (to != nullptr) {
    sockaddr_storage ss;
    int len = 0;
    if (!to_native(*to, ss, len)) return error{errc::invalid_argument, ops::socket_send};
    rc = ::WSASendTo(sock(h), wb, static_cast<DWORD>(k), &sent, 0, reinterpret_cast<sockaddr*>(&ss), len, nullptr,
                     nullptr);
  } else {
    rc = ::WSASend(sock(h), wb, static_cast<DWORD>(k), &sent, 0, nullptr, nullptr);
  }
  if (rc != 0) return wsa_error(ops::socket_send);
  return static_cast<std::size_t>(sent);
}

// WSARecv / WSARecvFrom; WSAEMSGSIZE sets `truncated`.
VITTE_DECL result<std::size_t> os_platform_base::socket_receive(native_handle h, const mutable_buffer* bufs,
                                                                std::size_t count, socket_address* from,
                                                                bool* truncated) noexcept {
  using namespace detail::win32_net;
  WSABUF wb[max_bufs];
  std::size_t k = count < max_bufs ? count : max_bufs;
  std::size_t total = 0;
  for (std::size_t i = 0; i < k; ++i) {
    wb[i].buf = static_cast<char*>(bufs[i].data);
    wb[i].len = bufs[i].size < max_chunk ? static_cast<ULONG>(bufs[i].size) : max_chunk;
    total += wb[i].len;
  }
  DWORD got = 0;
  DWORD flags = 0;
  sockaddr_storage ss;
  std::memset(&ss, 0, sizeof ss);
  int len = sizeof ss;
  int rc = from != nullptr ? ::WSARecvFrom(sock(h), wb, static_cast<DWORD>(k), &got, &flags,
                                           reinterpret_cast<sockaddr*>(&ss), &len, nullptr, nullptr)
                           : ::WSARecv(sock(h), wb, static_cast<DWORD>(k), &got, &flags, nullptr, nullptr);
  if (truncated != nullptr) *truncated = false;
  if (rc != 0) {
    int code = ::WSAGetLastError();
    if (code != WSAEMSGSIZE || truncated == nullptr) return wsa_error(ops::socket_receive, code);
    *truncated = true;  // the buffers hold the head of the datagram
    got = static_cast<DWORD>(total);
  }
  if (from != nullptr) *from = from_native(ss, len);
  return static_cast<std::size_t>(got);
}

VITTE_DECL error os_platform_base::socket_shutdown(native_handle h, shutdown_how how) noexcept {
  using namespace detail::win32_net;
  int native = how == shutdown_how::receive ? SD_RECEIVE : how == shutdown_how::send ? SD_SEND : SD_BOTH;
  if (::shutdown(sock(h), native) != 0) return wsa_error(ops::socket_shutdown);
  return {};
}

VITTE_DECL error os_platform_base::socket_set_option(native_handle h, socket_option o, int value) noexcept {
  using namespace detail::win32_net;
  int rc = 0;
  switch (o) {
    case socket_option::reuse_address:
      return {};  // see socket_option::reuse_address
    case socket_option::reuse_port:
      return error{errc::not_supported, ops::socket_option};
    case socket_option::linger: {
      struct linger l{};
      l.l_onoff = static_cast<u_short>(value >= 0 ? 1 : 0);
      l.l_linger = static_cast<u_short>(value >= 0 ? value : 0);
      rc = ::setsockopt(sock(h), SOL_SOCKET, SO_LINGER, reinterpret_cast<const char*>(&l), sizeof l);
      break;
    }
    case socket_option::no_delay:
      rc = ::setsockopt(sock(h), IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char*>(&value), sizeof value);
      break;
    case socket_option::keep_alive:
      rc = ::setsockopt(sock(h), SOL_SOCKET, SO_KEEPALIVE, reinterpret_cast<const char*>(&value), sizeof value);
      break;
    case socket_option::send_buffer_size:
      rc = ::setsockopt(sock(h), SOL_SOCKET, SO_SNDBUF, reinterpret_cast<const char*>(&value), sizeof value);
      break;
    case socket_option::receive_buffer_size:
      rc = ::setsockopt(sock(h), SOL_SOCKET, SO_RCVBUF, reinterpret_cast<const char*>(&value), sizeof value);
      break;
    case socket_option::v6_only:
      rc = ::setsockopt(sock(h), IPPROTO_IPV6, IPV6_V6ONLY, reinterpret_cast<const char*>(&value), sizeof value);
      break;
  }
  if (rc != 0) return wsa_error(ops::socket_option);
  return {};
}

VITTE_DECL result<int> os_platform_base::socket_get_option(native_handle h, socket_option o) noexcept {
  using namespace detail::win32_net;
  int level = SOL_SOCKET, name = 0;
  switch (o) {
    case socket_option::reuse_address:
      return 0;
    case socket_option::reuse_port:
      return error{errc::not_supported, ops::socket_option};
    case socket_option::linger: {
      struct linger l{};
      int len = sizeof l;
      if (::getsockopt(sock(h), SOL_SOCKET, SO_LINGER, reinterpret_cast<char*>(&l), &len) != 0)
        return wsa_error(ops::socket_option);
      return l.l_onoff != 0 ? static_cast<int>(l.l_linger) : -1;
    }
    case socket_option::no_delay:
      level = IPPROTO_TCP;
      name = TCP_NODELAY;
      break;
    case socket_option::keep_alive:
      name = SO_KEEPALIVE;
      break;
    case socket_option::send_buffer_size:
      name = SO_SNDBUF;
      break;
    case socket_option::receive_buffer_size:
      name = SO_RCVBUF;
      break;
    case socket_option::v6_only:
      level = IPPROTO_IPV6;
      name = IPV6_V6ONLY;
      break;
  }
  int value = 0;
  int len = sizeof value;
  if (::getsockopt(sock(h), level, name, reinterpret_cast<char*>(&value), &len) != 0)
    return wsa_error(ops::socket_option);
  return value != 0 && len == 1 ? 1 : value;  // some options are reported as a BOOLEAN byte
}

// ioctlsocket(FIONBIO).
VITTE_DECL error os_platform_base::socket_set_nonblocking(native_handle h, bool on) noexcept {
  return detail::win32_net::set_nonblocking(detail::win32_net::sock(h), on, ops::socket_option);
}

VITTE_DECL error os_platform_base::socket_address_of(native_handle h, bool peer, socket_address& out) noexcept {
  using namespace detail::win32_net;
  sockaddr_storage ss;
  std::memset(&ss, 0, sizeof ss);
  int len = sizeof ss;
  int rc = peer ? ::getpeername(sock(h), reinterpret_cast<sockaddr*>(&ss), &len)
                : ::getsockname(sock(h), reinterpret_cast<sockaddr*>(&ss), &len);
  if (rc != 0) return wsa_error(peer ? ops::socket_connect : ops::socket_bind);
  out = from_native(ss, len);
  return {};
}

VITTE_DECL error os_platform_base::socket_pair(socket_type t, bool nonblocking, native_handle* out) noexcept {
  using namespace detail::win32_net;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int len = sizeof a;
  SOCKET s[2] = {INVALID_SOCKET, INVALID_SOCKET};
  SOCKET listener = INVALID_SOCKET;
  auto fail = [&](error e) {
    for (SOCKET x : s)
      if (x != INVALID_SOCKET) ::closesocket(x);
    if (listener != INVALID_SOCKET) ::closesocket(listener);
    return error{e.kind(), ops::socket_pair, e.native(), e.domain()};
  };
  if (t == socket_type::datagram) {
    // Two UDP sockets on loopback, each connected to the other.
    sockaddr_in addr[2];
    for (int i = 0; i < 2; ++i) {
      result<SOCKET> r = open(AF_INET, SOCK_DGRAM, ops::socket_pair);
      if (!r) return fail(r.error());
      s[i] = *r;
      addr[i] = a;
      len = sizeof addr[i];
      if (::bind(s[i], reinterpret_cast<sockaddr*>(&addr[i]), sizeof addr[i]) != 0 ||
          ::getsockname(s[i], reinterpret_cast<sockaddr*>(&addr[i]), &len) != 0)
        return fail(wsa_error(ops::socket_pair));
    }
    if (::connect(s[0], reinterpret_cast<sockaddr*>(&addr[1]), sizeof addr[1]) != 0 ||
        ::connect(s[1], reinterpret_cast<sockaddr*>(&addr[0]), sizeof addr[0]) != 0)
      return fail(wsa_error(ops::socket_pair));
  } else {
    // A loopback listener on an ephemeral port, a client, and the accepted end.
    result<SOCKET> l = open(AF_INET, SOCK_STREAM, ops::socket_pair);
    if (!l) return fail(l.error());
    listener = *l;
    if (::bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(listener, reinterpret_cast<sockaddr*>(&a), &len) != 0 || ::listen(listener, 1) != 0)
      return fail(wsa_error(ops::socket_pair));
    result<SOCKET> c = open(AF_INET, SOCK_STREAM, ops::socket_pair);
    if (!c) return fail(c.error());
    s[0] = *c;
    if (::connect(s[0], reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return fail(wsa_error(ops::socket_pair));
    s[1] = ::accept(listener, nullptr, nullptr);
    if (s[1] == INVALID_SOCKET) return fail(wsa_error(ops::socket_pair));
    ::SetHandleInformation(reinterpret_cast<HANDLE>(s[1]), HANDLE_FLAG_INHERIT, 0);
    ::closesocket(listener);
    listener = INVALID_SOCKET;
    // Small writes go out at once, as on a Unix-domain socket.
    int on = 1;
    for (SOCKET x : s) ::setsockopt(x, IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char*>(&on), sizeof on);
  }
  if (nonblocking) {
    for (SOCKET x : s)
      if (error e = set_nonblocking(x, true, ops::socket_pair)) return fail(e);
  }
  out[0] = static_cast<native_handle>(s[0]);
  out[1] = static_cast<native_handle>(s[1]);
  return {};
}

// select() on one socket (it reports failed connects, which WSAPoll did
// not before Windows 10 2004).
VITTE_DECL result<io_events> os_platform_base::socket_wait(native_handle h, io_events interest,
                                                           std::int64_t deadline_ns) noexcept {
  using namespace detail::win32_net;
  fd_set rd, wr, ex;
  FD_ZERO(&rd);
  FD_ZERO(&wr);
  FD_ZERO(&ex);
  SOCKET s = sock(h);
  if (has(interest, io_events::readable)) FD_SET(s, &rd);
  if (has(interest, io_events::writable)) FD_SET(s, &wr);
  FD_SET(s, &ex);  // a failed connect shows here
  int ms = detail::win32_net::poll_timeout_ms(deadline_ns);
  timeval tv{ms / 1000, (ms % 1000) * 1000};
  int n = ::select(0, &rd, &wr, &ex, ms < 0 ? nullptr : &tv);
  if (n == SOCKET_ERROR) return wsa_error(ops::poller_wait);
  if (n == 0) return error{errc::timed_out, ops::poller_wait};
  io_events ev = io_events::none;
  if (FD_ISSET(s, &rd)) ev |= io_events::readable;
  if (FD_ISSET(s, &wr)) ev |= io_events::writable;
  if (FD_ISSET(s, &ex)) ev |= io_events::error;
  return ev;
}

// GetAddrInfoW.
VITTE_DECL result<std::size_t> os_platform_base::resolve(const char* host, const char* service,
                                                         const resolve_hints& hints, socket_address* out,
                                                         std::size_t n) noexcept {
  using namespace detail::win32_net;
  if (error e = startup()) return error{e.kind(), ops::resolve, e.native(), e.domain()};
  wchar_t whost[256], wservice[256];
  if (!widen(host, whost, 256) || !widen(service, wservice, 256)) return error{errc::invalid_argument, ops::resolve};
  ADDRINFOW want{};
  want.ai_family = hints.family == address_family::ipv4   ? AF_INET
                   : hints.family == address_family::ipv6 ? AF_INET6
                                                          : AF_UNSPEC;
  want.ai_socktype = type_of(hints.type);
  want.ai_flags = AI_ADDRCONFIG;
  if (hints.numeric_host) want.ai_flags |= AI_NUMERICHOST;
  if (hints.passive) want.ai_flags |= AI_PASSIVE;
  ADDRINFOW* list = nullptr;
  int rc = ::GetAddrInfoW(host != nullptr ? whost : nullptr, service != nullptr ? wservice : nullptr, &want, &list);
  if (rc != 0) {
    errc kind = rc == host_not_found || rc == no_data ? errc::not_found
                : rc == try_again                     ? errc::would_block
                : rc == type_not_found                ? errc::invalid_argument
                                                      : win32_platform::classify(rc);
    return error{kind, ops::resolve, rc, error_domain::win32};
  }
  const std::size_t count = addresses_of<int>(list, out, n);
  ::FreeAddrInfoW(list);
  return count;
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_WIN32_NET_IPP
