// Definitions of linux_platform's socket functions (see the net section of
// vitte/sys/policy/linux.hpp): close-on-exec and non-blocking set
// atomically with the descriptor. Included by vitte/sys/detail/net.ipp.
#ifndef VITTE_SYS_DETAIL_LINUX_NET_IPP
#define VITTE_SYS_DETAIL_LINUX_NET_IPP

#include <vitte/sys/detail/posix/net.ipp>
#include <vitte/sys/policy/linux.hpp>

#include <sys/socket.h>

namespace vitte::sys {

VITTE_DECL result<native_handle> linux_platform::socket_open(address_family f, socket_type t,
                                                             bool nonblocking) noexcept {
  using namespace detail::posix_net;
  int type = type_of(t) | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0);
  int s = ::socket(domain_of(f), type, 0);
  if (s < 0) return errno_error(ops::socket_create);
  return native_handle{s};
}

VITTE_DECL result<native_handle> linux_platform::socket_accept(native_handle h, socket_address* peer,
                                                               bool nonblocking) noexcept {
  using namespace detail::posix_net;
  sockaddr_storage ss;
  socklen_t len = sizeof ss;
  int s = ::accept4(fd(h), reinterpret_cast<sockaddr*>(&ss), &len, SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0));
  if (s < 0) return errno_error(ops::socket_accept);
  if (peer != nullptr) *peer = from_native(ss, len);
  return native_handle{s};
}

VITTE_DECL error linux_platform::socket_pair(socket_type t, bool nonblocking, native_handle* out) noexcept {
  using namespace detail::posix_net;
  int fds[2];
  int type = type_of(t) | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0);
  if (::socketpair(AF_UNIX, type, 0, fds) != 0) return errno_error(ops::socket_pair);
  out[0] = fds[0];
  out[1] = fds[1];
  return {};
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_LINUX_NET_IPP
