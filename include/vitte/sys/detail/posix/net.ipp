// Definitions of posix_platform's socket functions (see the net section of
// vitte/sys/policy/posix.hpp). Included by vitte/sys/detail/net.ipp.
#ifndef VITTE_SYS_DETAIL_POSIX_NET_IPP
#define VITTE_SYS_DETAIL_POSIX_NET_IPP

#include <vitte/sys/detail/posix/clock.hpp>  // poll_timeout_ms
#include <vitte/sys/detail/posix/errno.hpp>
#include <vitte/sys/policy/posix.hpp>

#include <cstring>  // memcpy, memset

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>
// after the OS headers: it converts to and from their structures
#include <vitte/sys/detail/sockaddr.hpp>

namespace vitte::sys {

namespace detail::posix_net {

using detail::errno_error;  // brought in by the `using namespace` of the platform functions

inline int fd(native_handle h) noexcept { return static_cast<int>(h); }

using bsd_sockets::addresses_of;
using bsd_sockets::domain_of;
using bsd_sockets::from_native;
using bsd_sockets::to_native;
using bsd_sockets::type_of;

inline error set_flags(int s, bool nonblocking, operation op) noexcept {
  if (::fcntl(s, F_SETFD, FD_CLOEXEC) != 0) return errno_error(op);
  if (nonblocking) {
    int fl = ::fcntl(s, F_GETFL);
    if (fl < 0 || ::fcntl(s, F_SETFL, fl | O_NONBLOCK) != 0) return errno_error(op);
  }
#if defined(SO_NOSIGPIPE)  // Darwin and the BSDs: no SIGPIPE from this socket
  int on = 1;
  (void)::setsockopt(s, SOL_SOCKET, SO_NOSIGPIPE, &on, sizeof on);
#endif
  return {};
}

#if defined(MSG_NOSIGNAL)
constexpr int send_flags = MSG_NOSIGNAL;
#else
constexpr int send_flags = 0;  // SO_NOSIGPIPE is set on every socket instead
#endif

#ifdef IOV_MAX
constexpr std::size_t max_iov = IOV_MAX < 64 ? IOV_MAX : 64;
#else
constexpr std::size_t max_iov = 16;
#endif

struct option_spec {
  int level;
  int name;
};

inline bool spec_of(socket_option o, option_spec& out) noexcept {
  switch (o) {
    case socket_option::no_delay:
      out = {IPPROTO_TCP, TCP_NODELAY};
      return true;
    case socket_option::reuse_address:
      out = {SOL_SOCKET, SO_REUSEADDR};
      return true;
    case socket_option::reuse_port:
#ifdef SO_REUSEPORT
      out = {SOL_SOCKET, SO_REUSEPORT};
      return true;
#else
      return false;
#endif
    case socket_option::keep_alive:
      out = {SOL_SOCKET, SO_KEEPALIVE};
      return true;
    case socket_option::send_buffer_size:
      out = {SOL_SOCKET, SO_SNDBUF};
      return true;
    case socket_option::receive_buffer_size:
      out = {SOL_SOCKET, SO_RCVBUF};
      return true;
    case socket_option::linger:
      out = {SOL_SOCKET, SO_LINGER};
      return true;
    case socket_option::v6_only:
      out = {IPPROTO_IPV6, IPV6_V6ONLY};
      return true;
  }
  return false;
}

inline errc classify_eai(int code) noexcept {
  switch (code) {
    case EAI_NONAME:
#if defined(EAI_NODATA) && EAI_NODATA != EAI_NONAME
    case EAI_NODATA:
#endif
      return errc::not_found;
    case EAI_AGAIN:
      return errc::would_block;
    case EAI_MEMORY:
      return errc::no_memory;
    case EAI_FAMILY:
    case EAI_SOCKTYPE:
    case EAI_SERVICE:
    case EAI_BADFLAGS:
      return errc::invalid_argument;
    default:
      return errc::unknown;
  }
}

}  // namespace detail::posix_net

// socket() (SOCK_CLOEXEC | SOCK_NONBLOCK where the OS has them, else fcntl).
VITTE_DECL result<native_handle> os_platform_base::socket_open(address_family f, socket_type t,
                                                               bool nonblocking) noexcept {
  using namespace detail::posix_net;
  int s = ::socket(domain_of(f), type_of(t), 0);
  if (s < 0) return errno_error(ops::socket_create);
  if (error e = set_flags(s, nonblocking, ops::socket_create)) {
    ::close(s);
    return e;
  }
  return native_handle{s};
}

// close; the descriptor is gone even when an error is reported.
VITTE_DECL error os_platform_base::socket_close(native_handle h) noexcept {
  // POSIX leaves the descriptor state after EINTR unspecified; Linux and the
  // BSDs have closed it, so never retry.
  if (::close(detail::posix_net::fd(h)) != 0 && errno != EINTR) return detail::errno_error(ops::close);
  return {};
}

VITTE_DECL error os_platform_base::socket_bind(native_handle h, const socket_address& a) noexcept {
  using namespace detail::posix_net;
  sockaddr_storage ss;
  socklen_t len = 0;
  if (!to_native(a, ss, len)) return error{errc::invalid_argument, ops::socket_bind};
  if (::bind(fd(h), reinterpret_cast<sockaddr*>(&ss), len) != 0) return errno_error(ops::socket_bind);
  return {};
}

VITTE_DECL error os_platform_base::socket_listen(native_handle h, int backlog) noexcept {
  if (::listen(detail::posix_net::fd(h), backlog) != 0) return detail::errno_error(ops::socket_listen);
  return {};
}

// accept (accept4 with SOCK_CLOEXEC on Linux); `peer` may be null.
VITTE_DECL result<native_handle> os_platform_base::socket_accept(native_handle h, socket_address* peer,
                                                                 bool nonblocking) noexcept {
  using namespace detail::posix_net;
  sockaddr_storage ss;
  socklen_t len = sizeof ss;
  int s = ::accept(fd(h), reinterpret_cast<sockaddr*>(&ss), &len);
  if (s < 0) return errno_error(ops::socket_accept);
  if (error e = set_flags(s, nonblocking, ops::socket_accept)) {
    ::close(s);
    return e;
  }
  // The accepted socket may inherit O_NONBLOCK from the listener (BSDs).
  if (!nonblocking) (void)socket_set_nonblocking(s, false);
  if (peer != nullptr) *peer = from_native(ss, len);
  return native_handle{s};
}

// connect; a non-blocking socket reports errc::in_progress.
VITTE_DECL error os_platform_base::socket_connect(native_handle h, const socket_address& a) noexcept {
  using namespace detail::posix_net;
  sockaddr_storage ss;
  socklen_t len = 0;
  if (!to_native(a, ss, len)) return error{errc::invalid_argument, ops::socket_connect};
  if (::connect(fd(h), reinterpret_cast<sockaddr*>(&ss), len) == 0) return {};
  int code = errno;
  // EINTR: the connection goes on in the background, like EINPROGRESS.
  if (code == EINTR) code = EINPROGRESS;
  return errno_error(ops::socket_connect, code);
}

// The outcome of a non-blocking connect (SO_ERROR).
VITTE_DECL error os_platform_base::socket_connect_result(native_handle h) noexcept {
  using namespace detail::posix_net;
  int code = 0;
  socklen_t len = sizeof code;
  if (::getsockopt(fd(h), SOL_SOCKET, SO_ERROR, &code, &len) != 0) return errno_error(ops::socket_connect);
  if (code != 0) return errno_error(ops::socket_connect, code);
  return {};
}

// sendmsg of `count` buffers, to `to` when not null (a datagram).
VITTE_DECL result<std::size_t> os_platform_base::socket_send(native_handle h, const const_buffer* bufs,
                                                             std::size_t count, const socket_address* to) noexcept {
  using namespace detail::posix_net;
  if (count == 1 && to == nullptr) {
    ssize_t n = ::send(fd(h), bufs[0].data, bufs[0].size, send_flags);
    if (n < 0) return errno_error(ops::socket_send);
    return static_cast<std::size_t>(n);
  }
  struct iovec iov[max_iov];
  std::size_t k = count < max_iov ? count : max_iov;
  for (std::size_t i = 0; i < k; ++i) {
    iov[i].iov_base = const_cast<void*>(bufs[i].data);
    iov[i].iov_len = bufs[i].size;
  }
  struct msghdr msg{};
  sockaddr_storage ss;
  socklen_t len = 0;
  if (to != nullptr) {
    if (!to_native(*to, ss, len)) return error{errc::invalid_argument, ops::socket_send};
    msg.msg_name = &ss;
    msg.msg_namelen = len;
  }
  msg.msg_iov = iov;
  msg.msg_iovlen = static_cast<decltype(msg.msg_iovlen)>(k);
  ssize_t n = ::sendmsg(fd(h), &msg, send_flags);
  if (n < 0) return errno_error(ops::socket_send);
  return static_cast<std::size_t>(n);
}

// recvmsg into `count` buffers; `from` (may be null) gets the sender and
// `truncated` (may be null) is set when a datagram did not fit (MSG_TRUNC).
VITTE_DECL result<std::size_t> os_platform_base::socket_receive(native_handle h, const mutable_buffer* bufs,
                                                                std::size_t count, socket_address* from,
                                                                bool* truncated) noexcept {
  using namespace detail::posix_net;
  if (count == 1 && from == nullptr && truncated == nullptr) {
    ssize_t n = ::recv(fd(h), bufs[0].data, bufs[0].size, 0);
    if (n < 0) return errno_error(ops::socket_receive);
    return static_cast<std::size_t>(n);
  }
  struct iovec iov[max_iov];
  std::size_t k = count < max_iov ? count : max_iov;
  for (std::size_t i = 0; i < k; ++i) {
    iov[i].iov_base = bufs[i].data;
    iov[i].iov_len = bufs[i].size;
  }
  struct msghdr msg{};
  sockaddr_storage ss;
  std::memset(&ss, 0, sizeof ss);
  msg.msg_name = &ss;
  msg.msg_namelen = sizeof ss;
  msg.msg_iov = iov;
  msg.msg_iovlen = static_cast<decltype(msg.msg_iovlen)>(k);
  ssize_t n = ::recvmsg(fd(h), &msg, 0);
  if (n < 0) return errno_error(ops::socket_receive);
  if (truncated != nullptr) *truncated = (msg.msg_flags & MSG_TRUNC) != 0;
  if (from != nullptr) *from = from_native(ss, msg.msg_namelen);
  return static_cast<std::size_t>(n);
}

VITTE_DECL error os_platform_base::socket_shutdown(native_handle h, shutdown_how how) noexcept {
  using namespace detail::posix_net;
  int native = how == shutdown_how::receive ? SHUT_RD : how == shutdown_how::send ? SHUT_WR : SHUT_RDWR;
  if (::shutdown(fd(h), native) != 0) return errno_error(ops::socket_shutdown);
  return {};
}

VITTE_DECL error os_platform_base::socket_set_option(native_handle h, socket_option o, int value) noexcept {
  using namespace detail::posix_net;
  option_spec spec{};
  if (!spec_of(o, spec)) return error{errc::not_supported, ops::socket_option};
  int rc;
  if (o == socket_option::linger) {
    struct linger l{};
    l.l_onoff = value >= 0 ? 1 : 0;
    l.l_linger = value >= 0 ? value : 0;
    rc = ::setsockopt(fd(h), spec.level, spec.name, &l, sizeof l);
  } else {
    rc = ::setsockopt(fd(h), spec.level, spec.name, &value, sizeof value);
  }
  if (rc != 0) return errno_error(ops::socket_option);
  return {};
}

VITTE_DECL result<int> os_platform_base::socket_get_option(native_handle h, socket_option o) noexcept {
  using namespace detail::posix_net;
  option_spec spec{};
  if (!spec_of(o, spec)) return error{errc::not_supported, ops::socket_option};
  if (o == socket_option::linger) {
    struct linger l{};
    socklen_t len = sizeof l;
    if (::getsockopt(fd(h), spec.level, spec.name, &l, &len) != 0) return errno_error(ops::socket_option);
    return l.l_onoff != 0 ? static_cast<int>(l.l_linger) : -1;
  }
  int value = 0;
  socklen_t len = sizeof value;
  if (::getsockopt(fd(h), spec.level, spec.name, &value, &len) != 0) return errno_error(ops::socket_option);
  return value;
}

// O_NONBLOCK.
VITTE_DECL error os_platform_base::socket_set_nonblocking(native_handle h, bool on) noexcept {
  using namespace detail::posix_net;
  int fl = ::fcntl(fd(h), F_GETFL);
  if (fl < 0) return errno_error(ops::socket_option);
  int want = on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK;
  if (want != fl && ::fcntl(fd(h), F_SETFL, want) != 0) return errno_error(ops::socket_option);
  return {};
}

// getsockname (`peer` false) or getpeername (`peer` true).
VITTE_DECL error os_platform_base::socket_address_of(native_handle h, bool peer, socket_address& out) noexcept {
  using namespace detail::posix_net;
  sockaddr_storage ss;
  std::memset(&ss, 0, sizeof ss);
  socklen_t len = sizeof ss;
  int rc = peer ? ::getpeername(fd(h), reinterpret_cast<sockaddr*>(&ss), &len)
                : ::getsockname(fd(h), reinterpret_cast<sockaddr*>(&ss), &len);
  if (rc != 0) return errno_error(peer ? ops::socket_connect : ops::socket_bind);
  out = from_native(ss, len);
  return {};
}

// socketpair(AF_UNIX) of type `t`.
VITTE_DECL error os_platform_base::socket_pair(socket_type t, bool nonblocking, native_handle* out) noexcept {
  using namespace detail::posix_net;
  int fds[2];
  if (::socketpair(AF_UNIX, type_of(t), 0, fds) != 0) return errno_error(ops::socket_pair);
  for (int s : fds) {
    if (error e = set_flags(s, nonblocking, ops::socket_pair)) {
      ::close(fds[0]);
      ::close(fds[1]);
      return e;
    }
  }
  out[0] = fds[0];
  out[1] = fds[1];
  return {};
}

// poll() on one descriptor until ready for `interest` or the monotonic
// deadline (errc::timed_out); returns what is ready.
VITTE_DECL result<io_events> os_platform_base::socket_wait(native_handle h, io_events interest,
                                                           std::int64_t deadline_ns) noexcept {
  using namespace detail::posix_net;
  struct pollfd p{};
  p.fd = fd(h);
  if (has(interest, io_events::readable)) p.events |= POLLIN;
  if (has(interest, io_events::writable)) p.events |= POLLOUT;
  int n = ::poll(&p, 1, detail::posix::poll_timeout_ms(deadline_ns));
  if (n < 0) return errno_error(ops::poller_wait);
  if (n == 0) return error{errc::timed_out, ops::poller_wait};
  io_events ev = io_events::none;
  if ((p.revents & POLLIN) != 0) ev |= io_events::readable;
  if ((p.revents & POLLOUT) != 0) ev |= io_events::writable;
  if ((p.revents & (POLLERR | POLLNVAL)) != 0) ev |= io_events::error;
  if ((p.revents & POLLHUP) != 0) ev |= io_events::hangup;
  return ev;
}

// getaddrinfo: writes at most n addresses, returns how many it wrote.
VITTE_DECL result<std::size_t> os_platform_base::resolve(const char* host, const char* service,
                                                         const resolve_hints& hints, socket_address* out,
                                                         std::size_t n) noexcept {
  using namespace detail::posix_net;
  struct addrinfo want{};
  want.ai_family = hints.family == address_family::ipv4   ? AF_INET
                   : hints.family == address_family::ipv6 ? AF_INET6
                                                          : AF_UNSPEC;
  want.ai_socktype = type_of(hints.type);
  want.ai_flags = AI_ADDRCONFIG;
  if (hints.numeric_host) want.ai_flags |= AI_NUMERICHOST;
  if (hints.passive) want.ai_flags |= AI_PASSIVE;
  struct addrinfo* list = nullptr;
  int rc = ::getaddrinfo(host, service, &want, &list);
  if (rc == EAI_SYSTEM) return errno_error(ops::resolve);
  if (rc != 0) return error{classify_eai(rc), ops::resolve, rc, error_domain::none};
  const std::size_t count = addresses_of<socklen_t>(list, out, n);
  ::freeaddrinfo(list);
  return count;
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_POSIX_NET_IPP
