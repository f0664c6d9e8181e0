// Definitions of win32_platform's WSAPoll poller (see the poller section of
// vitte/sys/policy/win32.hpp). Included by vitte/sys/detail/poller.ipp.
#ifndef VITTE_SYS_DETAIL_WIN32_POLLER_IPP
#define VITTE_SYS_DETAIL_WIN32_POLLER_IPP

#include <vitte/sys/detail/poll_set.hpp>
#include <vitte/sys/detail/win32/winsock.hpp>
#include <vitte/sys/policy/win32.hpp>

#include <new>  // std::nothrow

namespace vitte::sys {

namespace detail::win32_poll {

struct wsapoll_poller {
  poll_set<WSAPOLLFD> set;
  SOCKET wake = INVALID_SOCKET;  // a UDP socket connected to itself on loopback
};

inline wsapoll_poller* as_poll(std::intptr_t p) noexcept { return reinterpret_cast<wsapoll_poller*>(p); }

inline short poll_events_of(io_events interest) noexcept {
  short ev = 0;
  if (has(interest, io_events::readable)) ev |= POLLRDNORM;
  if (has(interest, io_events::writable)) ev |= POLLWRNORM;
  return ev;
}

inline io_events io_events_of_poll(short rev) noexcept {
  io_events ev = io_events::none;
  if ((rev & (POLLRDNORM | POLLRDBAND)) != 0) ev |= io_events::readable;
  if ((rev & POLLWRNORM) != 0) ev |= io_events::writable;
  if ((rev & (POLLERR | POLLNVAL)) != 0) ev |= io_events::error;
  if ((rev & POLLHUP) != 0) ev |= io_events::hangup;
  return ev;
}

// A non-blocking, non-inheritable UDP socket on 127.0.0.1 connected to itself.
inline result<SOCKET> open_wake_socket() noexcept {
  SOCKET s = ::WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, nullptr, 0, WSA_FLAG_NO_HANDLE_INHERIT);
  if (s == INVALID_SOCKET) return win32_net::wsa_error(ops::poller_create);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int len = sizeof a;
  u_long on = 1;
  if (::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) != 0 ||
      ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::ioctlsocket(s, FIONBIO, &on) != 0) {
    error e = win32_net::wsa_error(ops::poller_create);
    ::closesocket(s);
    return e;
  }
  return s;
}

inline void drain(SOCKET s) noexcept {
  char buf[64];
  while (::recv(s, buf, sizeof buf, 0) > 0) {
  }
}

}  // namespace detail::win32_poll

VITTE_DECL result<std::intptr_t> os_platform_base::poller_open() noexcept {
  using namespace detail::win32_poll;
  if (error e = detail::win32_net::startup()) return error{e.kind(), ops::poller_create, e.native(), e.domain()};
  auto* p = new (std::nothrow) wsapoll_poller;
  if (p == nullptr) return error{errc::no_memory, ops::poller_create};
  result<SOCKET> w = open_wake_socket();
  if (!w) {
    delete p;
    return w.error();
  }
  p->wake = *w;
  p->set.add(static_cast<native_handle>(*w), POLLRDNORM, poller_reserved_data);
  return reinterpret_cast<std::intptr_t>(p);
}

VITTE_DECL void os_platform_base::poller_close(std::intptr_t handle) noexcept {
  auto* p = detail::win32_poll::as_poll(handle);
  ::closesocket(p->wake);
  delete p;
}

VITTE_DECL error os_platform_base::poller_add(std::intptr_t handle, native_handle h, io_events interest, trigger t,
                                              std::uint64_t data) noexcept {
  using namespace detail::win32_poll;
  if (t == trigger::edge) return error{errc::not_supported, ops::poller_add};
  if (h == invalid_handle) return error{errc::bad_descriptor, ops::poller_add};
  if (!as_poll(handle)->set.add(h, poll_events_of(interest), data)) return error{errc::already_exists, ops::poller_add};
  return {};
}

VITTE_DECL error os_platform_base::poller_modify(std::intptr_t handle, native_handle h, io_events interest, trigger t,
                                                 std::uint64_t data) noexcept {
  using namespace detail::win32_poll;
  if (t == trigger::edge) return error{errc::not_supported, ops::poller_modify};
  if (!as_poll(handle)->set.modify(h, poll_events_of(interest), data))
    return error{errc::not_found, ops::poller_modify};
  return {};
}

VITTE_DECL error os_platform_base::poller_remove(std::intptr_t handle, native_handle h) noexcept {
  if (!detail::win32_poll::as_poll(handle)->set.remove(h)) return error{errc::not_found, ops::poller_remove};
  return {};
}

VITTE_DECL result<std::size_t> os_platform_base::poller_wait(std::intptr_t handle, poll_event* out, std::size_t n,
                                                             std::int64_t deadline_ns) noexcept {
  using namespace detail::win32_poll;
  wsapoll_poller& p = *as_poll(handle);
  std::size_t size = p.set.size();
  int ready = ::WSAPoll(p.set.records(), static_cast<ULONG>(size), detail::win32_net::poll_timeout_ms(deadline_ns));
  if (ready == SOCKET_ERROR) return detail::win32_net::wsa_error(ops::poller_wait);
  return p.set.scan_ready(static_cast<std::size_t>(ready), n, [&p, out](std::size_t i, std::size_t k) {
    const std::uint64_t data = p.set.data_at(i);
    if (data == poller_reserved_data) drain(p.wake);
    out[k] = poll_event{data, io_events_of_poll(p.set.records()[i].revents)};
  });
}

VITTE_DECL error os_platform_base::poller_wake(std::intptr_t handle) noexcept {
  const char one = 1;
  if (::send(detail::win32_poll::as_poll(handle)->wake, &one, 1, 0) != SOCKET_ERROR) return {};
  int code = ::WSAGetLastError();
  if (code == WSAEWOULDBLOCK) return {};  // the buffer is full: a wake-up is pending anyway
  return detail::win32_net::wsa_error(ops::poller_wake, code);
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_WIN32_POLLER_IPP
