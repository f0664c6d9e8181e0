// Definitions of posix_platform's poller (poll(2) with a self-pipe) and of
// the kqueue poller of darwin_platform and bsd_platform (see the poller
// sections of vitte/sys/policy/posix.hpp, darwin.hpp, bsd.hpp). Included by
// vitte/sys/detail/poller.ipp.
#ifndef VITTE_SYS_DETAIL_POSIX_POLLER_IPP
#define VITTE_SYS_DETAIL_POSIX_POLLER_IPP

#include <vitte/sys/detail/poll_set.hpp>
#include <vitte/sys/detail/posix/clock.hpp>  // poll_timeout_ms
#include <vitte/sys/detail/posix/errno.hpp>
#include <vitte/sys/policy/posix.hpp>
#if VITTE_OS_DARWIN
#include <vitte/sys/policy/darwin.hpp>
#endif
#if VITTE_OS_BSD
#include <vitte/sys/policy/bsd.hpp>
#endif

#include <climits>  // INT_MAX
#include <new>      // std::nothrow

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>
#if VITTE_OS_DARWIN || VITTE_OS_BSD
#include <sys/event.h>
#include <sys/types.h>
#endif

namespace vitte::sys {

namespace detail::posix_poll {

using detail::errno_error;  // brought in by the `using namespace` of the platform functions

// A pipe whose ends are close-on-exec and non-blocking (pipe2 where the
// system has it would do this in one call; POSIX.1-2008 needs fcntl).
inline error open_pipe(int fds[2], operation op) noexcept {
  if (::pipe(fds) != 0) return errno_error(op);
  for (int i = 0; i < 2; ++i) {
    int fl = ::fcntl(fds[i], F_GETFL);
    if (::fcntl(fds[i], F_SETFD, FD_CLOEXEC) != 0 || fl < 0 || ::fcntl(fds[i], F_SETFL, fl | O_NONBLOCK) != 0) {
      error e = errno_error(op);
      ::close(fds[0]);
      ::close(fds[1]);
      return e;
    }
  }
  return {};
}

// Empties the wake-up pipe (or eventfd) so it stops being readable.
inline void drain(int fd) noexcept {
  char buf[64];
  while (::read(fd, buf, sizeof buf) > 0) {
  }
}

inline short poll_events_of(io_events interest) noexcept {
  short ev = 0;
  if (has(interest, io_events::readable)) ev |= POLLIN;
  if (has(interest, io_events::writable)) ev |= POLLOUT;
  return ev;
}

inline io_events io_events_of_poll(short rev) noexcept {
  io_events ev = io_events::none;
  if ((rev & (POLLIN | POLLPRI)) != 0) ev |= io_events::readable;
  if ((rev & POLLOUT) != 0) ev |= io_events::writable;
  if ((rev & (POLLERR | POLLNVAL)) != 0) ev |= io_events::error;
  if ((rev & POLLHUP) != 0) ev |= io_events::hangup;
  return ev;
}

struct poll_poller {
  poll_set<struct pollfd> set;
  int wake_read = -1;
  int wake_write = -1;
};

inline poll_poller* as_poll(std::intptr_t p) noexcept { return reinterpret_cast<poll_poller*>(p); }

}  // namespace detail::posix_poll

// A new poller (its wake-up pipe is close-on-exec and non-blocking).
VITTE_DECL result<std::intptr_t> os_platform_base::poller_open() noexcept {
  using namespace detail::posix_poll;
  auto* p = new (std::nothrow) poll_poller;
  if (p == nullptr) return error{errc::no_memory, ops::poller_create};
  int fds[2];
  if (error e = open_pipe(fds, ops::poller_create)) {
    delete p;
    return e;
  }
  p->wake_read = fds[0];
  p->wake_write = fds[1];
  p->set.add(fds[0], POLLIN, poller_reserved_data);
  return reinterpret_cast<std::intptr_t>(p);
}

// Frees the poller; registered descriptors stay open.
VITTE_DECL void os_platform_base::poller_close(std::intptr_t handle) noexcept {
  auto* p = detail::posix_poll::as_poll(handle);
  ::close(p->wake_read);
  ::close(p->wake_write);
  delete p;
}

// Watches `h` for `interest`; waits report `data`. Errors: already_exists.
VITTE_DECL error os_platform_base::poller_add(std::intptr_t handle, native_handle h, io_events interest, trigger t,
                                              std::uint64_t data) noexcept {
  using namespace detail::posix_poll;
  if (t == trigger::edge) return error{errc::not_supported, ops::poller_add};
  if (h < 0 || h > INT_MAX) return error{errc::bad_descriptor, ops::poller_add};
  if (!as_poll(handle)->set.add(h, poll_events_of(interest), data)) return error{errc::already_exists, ops::poller_add};
  return {};
}

// Changes the interest and data of `h`. Errors: not_found.
VITTE_DECL error os_platform_base::poller_modify(std::intptr_t handle, native_handle h, io_events interest, trigger t,
                                                 std::uint64_t data) noexcept {
  using namespace detail::posix_poll;
  if (t == trigger::edge) return error{errc::not_supported, ops::poller_modify};
  if (!as_poll(handle)->set.modify(h, poll_events_of(interest), data))
    return error{errc::not_found, ops::poller_modify};
  return {};
}

// Stops watching `h`. Errors: not_found.
VITTE_DECL error os_platform_base::poller_remove(std::intptr_t handle, native_handle h) noexcept {
  if (!detail::posix_poll::as_poll(handle)->set.remove(h)) return error{errc::not_found, ops::poller_remove};
  return {};
}

// Waits until a descriptor is ready, a wake-up, or the monotonic clock
// reaches deadline_ns (INT64_MAX: never); writes at most n events (a
// wake-up as one with poller_reserved_data) and returns the count, 0 at
// the deadline. EINTR: errc::interrupted.
VITTE_DECL result<std::size_t> os_platform_base::poller_wait(std::intptr_t handle, poll_event* out, std::size_t n,
                                                             std::int64_t deadline_ns) noexcept {
  using namespace detail::posix_poll;
  poll_poller& p = *as_poll(handle);
  std::size_t size = p.set.size();
  int ready = ::poll(p.set.records(), static_cast<nfds_t>(size), detail::posix::poll_timeout_ms(deadline_ns));
  if (ready < 0) return errno_error(ops::poller_wait);
  return p.set.scan_ready(static_cast<std::size_t>(ready), n, [&p, out](std::size_t i, std::size_t k) {
    const std::uint64_t data = p.set.data_at(i);
    if (data == poller_reserved_data) drain(p.wake_read);
    out[k] = poll_event{data, io_events_of_poll(p.set.records()[i].revents)};
  });
}

// Makes a current or the next poller_wait return. Any thread may call it.
VITTE_DECL error os_platform_base::poller_wake(std::intptr_t handle) noexcept {
  const char one = 1;
  for (;;) {
    if (::write(detail::posix_poll::as_poll(handle)->wake_write, &one, 1) >= 0) return {};
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return {};  // full: a wake-up is pending anyway
    return detail::errno_error(ops::poller_wake);
  }
}

#if VITTE_OS_DARWIN || VITTE_OS_BSD

// kqueue: one kevent per filter (EVFILT_READ, EVFILT_WRITE) keyed by the
// descriptor; udata carries the caller's data. Add and modify add the
// filters asked for and delete the others (ENOENT for a filter never added
// is fine). darwin_platform and bsd_platform forward to these.
namespace detail::kqueue_poll {

struct kqueue_poller {
  int kq = -1;
  int wake_read = -1;
  int wake_write = -1;
};

inline kqueue_poller* as_kq(std::intptr_t p) noexcept { return reinterpret_cast<kqueue_poller*>(p); }

inline void* udata_of(std::uint64_t data) noexcept {
  return reinterpret_cast<void*>(static_cast<std::uintptr_t>(data));  // kqueue's udata is a pointer
}

// Applies `count` changes, each with EV_RECEIPT so that every one reports
// its own result. Returns how many failed with ENOENT, or the first other error.
inline result<int> apply(int kq, struct kevent* changes, int count, operation op) noexcept {
  struct kevent results[2];
  for (int i = 0; i < count; ++i) changes[i].flags |= EV_RECEIPT;
  int got = ::kevent(kq, changes, count, results, count, nullptr);
  if (got < 0) return detail::errno_error(op);
  int missing = 0;
  for (int i = 0; i < got; ++i) {
    if ((results[i].flags & EV_ERROR) == 0 || results[i].data == 0) continue;
    int code = static_cast<int>(results[i].data);
    if (code != ENOENT) return detail::errno_error(op, code);
    ++missing;
  }
  return missing;
}

inline void close_all(kqueue_poller* p) noexcept {
  if (p->kq >= 0) ::close(p->kq);
  ::close(p->wake_read);
  ::close(p->wake_write);
  delete p;
}

inline result<std::intptr_t> open() noexcept {
  auto* p = new (std::nothrow) kqueue_poller;
  if (p == nullptr) return error{errc::no_memory, ops::poller_create};
  int fds[2];
  if (error e = posix_poll::open_pipe(fds, ops::poller_create)) {
    delete p;
    return e;
  }
  p->wake_read = fds[0];
  p->wake_write = fds[1];
  p->kq = ::kqueue();
  if (p->kq < 0 || ::fcntl(p->kq, F_SETFD, FD_CLOEXEC) != 0) {
    error e = detail::errno_error(ops::poller_create);
    close_all(p);
    return e;
  }
  struct kevent ch;
  EV_SET(&ch, static_cast<uintptr_t>(fds[0]), EVFILT_READ, EV_ADD, 0, 0, udata_of(poller_reserved_data));
  if (result<int> r = apply(p->kq, &ch, 1, ops::poller_create); !r) {
    close_all(p);
    return r.error();
  }
  return reinterpret_cast<std::intptr_t>(p);
}

inline error change(std::intptr_t handle, native_handle h, io_events interest, trigger t, std::uint64_t data,
                    operation op) noexcept {
  unsigned short extra = t == trigger::edge ? EV_CLEAR : 0;
  unsigned short on = static_cast<unsigned short>(EV_ADD | EV_ENABLE | extra);
  struct kevent ch[2];
  EV_SET(&ch[0], static_cast<uintptr_t>(h), EVFILT_READ, has(interest, io_events::readable) ? on : EV_DELETE, 0, 0,
         udata_of(data));
  EV_SET(&ch[1], static_cast<uintptr_t>(h), EVFILT_WRITE, has(interest, io_events::writable) ? on : EV_DELETE, 0, 0,
         udata_of(data));
  result<int> r = apply(as_kq(handle)->kq, ch, 2, op);
  return r ? error{} : r.error();
}

inline error remove(std::intptr_t handle, native_handle h) noexcept {
  struct kevent ch[2];
  EV_SET(&ch[0], static_cast<uintptr_t>(h), EVFILT_READ, EV_DELETE, 0, 0, nullptr);
  EV_SET(&ch[1], static_cast<uintptr_t>(h), EVFILT_WRITE, EV_DELETE, 0, 0, nullptr);
  result<int> r = apply(as_kq(handle)->kq, ch, 2, ops::poller_remove);
  if (!r) return r.error();
  if (*r == 2) return error{errc::not_found, ops::poller_remove};
  return {};
}

inline result<std::size_t> wait(std::intptr_t handle, poll_event* out, std::size_t n, std::int64_t deadline_ns,
                                std::int64_t now_ns) noexcept {
  kqueue_poller& p = *as_kq(handle);
  struct kevent evs[256];
  int max = n < 256 ? static_cast<int>(n) : 256;
  struct timespec ts;
  struct timespec* tp = nullptr;
  if (deadline_ns != INT64_MAX) {
    std::int64_t left = deadline_ns > now_ns ? deadline_ns - now_ns : 0;
    ts.tv_sec = static_cast<time_t>(left / 1'000'000'000);
    ts.tv_nsec = static_cast<long>(left % 1'000'000'000);
    tp = &ts;
  }
  int got = ::kevent(p.kq, nullptr, 0, evs, max, tp);
  if (got < 0) return detail::errno_error(ops::poller_wait);
  for (int i = 0; i < got; ++i) {
    std::uint64_t data = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(evs[i].udata));
    io_events ev = evs[i].filter == EVFILT_WRITE ? io_events::writable : io_events::readable;
    if ((evs[i].flags & EV_EOF) != 0) ev |= io_events::hangup;
    if ((evs[i].flags & EV_ERROR) != 0) ev |= io_events::error;
    if (static_cast<int>(evs[i].ident) == p.wake_read) {
      posix_poll::drain(p.wake_read);
      data = poller_reserved_data;
    }
    out[i] = poll_event{data, ev};
  }
  return static_cast<std::size_t>(got);
}

inline error wake(std::intptr_t handle) noexcept {
  const char one = 1;
  for (;;) {
    if (::write(as_kq(handle)->wake_write, &one, 1) >= 0) return {};
    if (errno == EINTR) continue;
    if (errno == EAGAIN) return {};  // full: a wake-up is pending anyway
    return detail::errno_error(ops::poller_wake);
  }
}

}  // namespace detail::kqueue_poll

// darwin_platform and bsd_platform have the same kqueue poller.
#define VITTE_KQUEUE_POLLER(policy)                                                                       \
  VITTE_DECL result<std::intptr_t> policy::poller_open() noexcept { return detail::kqueue_poll::open(); } \
  VITTE_DECL void policy::poller_close(std::intptr_t p) noexcept {                                        \
    detail::kqueue_poll::close_all(detail::kqueue_poll::as_kq(p));                                        \
  }                                                                                                       \
  VITTE_DECL error policy::poller_add(std::intptr_t p, native_handle h, io_events i, trigger t,           \
                                      std::uint64_t d) noexcept {                                         \
    return detail::kqueue_poll::change(p, h, i, t, d, ops::poller_add);                                   \
  }                                                                                                       \
  VITTE_DECL error policy::poller_modify(std::intptr_t p, native_handle h, io_events i, trigger t,        \
                                         std::uint64_t d) noexcept {                                      \
    return detail::kqueue_poll::change(p, h, i, t, d, ops::poller_modify);                                \
  }                                                                                                       \
  VITTE_DECL error policy::poller_remove(std::intptr_t p, native_handle h) noexcept {                     \
    return detail::kqueue_poll::remove(p, h);                                                             \
  }                                                                                                       \
  VITTE_DECL result<std::size_t> policy::poller_wait(std::intptr_t p, poll_event* out, std::size_t n,     \
                                                     std::int64_t deadline_ns) noexcept {                 \
    return detail::kqueue_poll::wait(p, out, n, deadline_ns, clock_now_ns(clock_id::monotonic));          \
  }                                                                                                       \
  VITTE_DECL error policy::poller_wake(std::intptr_t p) noexcept { return detail::kqueue_poll::wake(p); }

#if VITTE_OS_DARWIN
VITTE_KQUEUE_POLLER(darwin_platform)
#endif
#if VITTE_OS_BSD
VITTE_KQUEUE_POLLER(bsd_platform)
#endif
#undef VITTE_KQUEUE_POLLER

#endif  // VITTE_OS_DARWIN || VITTE_OS_BSD

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_POSIX_POLLER_IPP
