// Definitions of linux_platform's epoll poller (see the poller section of
// vitte/sys/policy/linux.hpp). Included by vitte/sys/detail/poller.ipp.
#ifndef VITTE_SYS_DETAIL_LINUX_POLLER_IPP
#define VITTE_SYS_DETAIL_LINUX_POLLER_IPP

#include <vitte/sys/detail/posix/clock.hpp>  // poll_timeout_ms
#include <vitte/sys/detail/posix/errno.hpp>
#include <vitte/sys/policy/linux.hpp>

#if VITTE_HAS_EPOLL

#include <new>  // std::nothrow

#include <errno.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace vitte::sys {

namespace detail::linux_epoll {

using detail::errno_error;  // brought in by the `using namespace` of the platform functions

struct epoll_poller {
  int epfd = -1;
  int wake = -1;  // eventfd
};

inline epoll_poller* as_epoll(std::intptr_t p) noexcept { return reinterpret_cast<epoll_poller*>(p); }

inline std::uint32_t epoll_events_of(io_events interest, trigger t) noexcept {
  std::uint32_t ev = 0;
  if (has(interest, io_events::readable)) ev |= EPOLLIN | EPOLLRDHUP;
  if (has(interest, io_events::writable)) ev |= EPOLLOUT;
  if (t == trigger::edge) ev |= EPOLLET;
  return ev;
}

inline io_events io_events_of_epoll(std::uint32_t rev) noexcept {
  io_events ev = io_events::none;
  if ((rev & (EPOLLIN | EPOLLPRI)) != 0) ev |= io_events::readable;
  if ((rev & EPOLLOUT) != 0) ev |= io_events::writable;
  if ((rev & EPOLLERR) != 0) ev |= io_events::error;
  if ((rev & (EPOLLHUP | EPOLLRDHUP)) != 0) ev |= io_events::hangup;
  return ev;
}

inline error control(std::intptr_t p, int op_code, native_handle h, io_events interest, trigger t, std::uint64_t data,
                     operation op) noexcept {
  struct epoll_event ev{};
  ev.events = epoll_events_of(interest, t);
  ev.data.u64 = data;
  if (::epoll_ctl(as_epoll(p)->epfd, op_code, static_cast<int>(h), &ev) != 0) return errno_error(op);
  return {};
}

}  // namespace detail::linux_epoll

VITTE_DECL result<std::intptr_t> linux_platform::poller_open() noexcept {
  using namespace detail::linux_epoll;
  auto* p = new (std::nothrow) epoll_poller;
  if (p == nullptr) return error{errc::no_memory, ops::poller_create};
  p->epfd = ::epoll_create1(EPOLL_CLOEXEC);
  if (p->epfd >= 0) p->wake = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (p->epfd < 0 || p->wake < 0) {
    error e = errno_error(ops::poller_create);
    if (p->epfd >= 0) ::close(p->epfd);
    delete p;
    return e;
  }
  std::intptr_t handle = reinterpret_cast<std::intptr_t>(p);
  if (error e = control(handle, EPOLL_CTL_ADD, p->wake, io_events::readable, trigger::level, poller_reserved_data,
                        ops::poller_create)) {
    poller_close(handle);
    return e;
  }
  return handle;
}

VITTE_DECL void linux_platform::poller_close(std::intptr_t handle) noexcept {
  auto* p = detail::linux_epoll::as_epoll(handle);
  ::close(p->wake);
  ::close(p->epfd);
  delete p;
}

VITTE_DECL error linux_platform::poller_add(std::intptr_t p, native_handle h, io_events interest, trigger t,
                                            std::uint64_t data) noexcept {
  return detail::linux_epoll::control(p, EPOLL_CTL_ADD, h, interest, t, data, ops::poller_add);
}

VITTE_DECL error linux_platform::poller_modify(std::intptr_t p, native_handle h, io_events interest, trigger t,
                                               std::uint64_t data) noexcept {
  return detail::linux_epoll::control(p, EPOLL_CTL_MOD, h, interest, t, data, ops::poller_modify);
}

VITTE_DECL error linux_platform::poller_remove(std::intptr_t p, native_handle h) noexcept {
  struct epoll_event ev{};  // kernels before 2.6.9 want a non-null pointer
  if (::epoll_ctl(detail::linux_epoll::as_epoll(p)->epfd, EPOLL_CTL_DEL, static_cast<int>(h), &ev) != 0)
    return detail::errno_error(ops::poller_remove);
  return {};
}

VITTE_DECL result<std::size_t> linux_platform::poller_wait(std::intptr_t handle, poll_event* out, std::size_t n,
                                                           std::int64_t deadline_ns) noexcept {
  using namespace detail::linux_epoll;
  epoll_poller& p = *as_epoll(handle);
  constexpr std::size_t max_events = 256;
  struct epoll_event evs[max_events];
  int max = static_cast<int>(n < max_events ? n : max_events);
  int got = ::epoll_wait(p.epfd, evs, max, detail::posix::poll_timeout_ms(deadline_ns));
  if (got < 0) return errno_error(ops::poller_wait);
  for (int i = 0; i < got; ++i) {
    std::uint64_t data = evs[i].data.u64;
    if (data == poller_reserved_data) {
      std::uint64_t count;
      (void)!::read(p.wake, &count, sizeof count);  // resets the eventfd; EAGAIN when already read
    }
    out[i] = poll_event{data, io_events_of_epoll(evs[i].events)};
  }
  return static_cast<std::size_t>(got);
}

VITTE_DECL error linux_platform::poller_wake(std::intptr_t handle) noexcept {
  const std::uint64_t one = 1;
  for (;;) {
    if (::write(detail::linux_epoll::as_epoll(handle)->wake, &one, sizeof one) >= 0) return {};
    if (errno == EINTR) continue;
    if (errno == EAGAIN) return {};  // the counter is full: a wake-up is pending anyway
    return detail::errno_error(ops::poller_wake);
  }
}

}  // namespace vitte::sys

#endif  // VITTE_HAS_EPOLL

#endif  // VITTE_SYS_DETAIL_LINUX_POLLER_IPP
