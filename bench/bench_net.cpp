// Network benchmarks over loopback TCP: vitte's poller and sockets against a
// raw epoll loop written directly against the OS, libuv and asio, in the
// same run. Prints JSON lines (docs/BENCHMARKS.md).
//
//   net.pingpong.1B          one 1-byte round trip between two sockets served
//                            by one event loop (2 sends, 2 receives, ~2 waits)
//   net.bulk.<size>          <size> bytes through one connection, one loop:
//                            one 256 KiB send per writable event and one
//                            256 KiB receive per readable event, as asio and
//                            libuv do (1 GiB; VITTE_BENCH_NET_BYTES changes it)
//   net.wait.<b>.idle<N>     one wait that finds 1 active socket among N idle
//                            registered ones (N = 100, 1,000, 10,000): vitte's
//                            epoll poller vs raw epoll_wait, and vitte's poll(2)
//                            backend (which scans every descriptor) vs raw poll
//
// Every implementation gets the same connected sockets (made with plain
// socket calls), non-blocking, TCP_NODELAY.
#include <vitte/sys/net.hpp>
#include <vitte/sys/poller.hpp>

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.hpp"

#if VITTE_BENCH_HAVE_UV
#include <uv.h>
#endif
#if VITTE_BENCH_HAVE_ASIO
#include <asio.hpp>
#endif

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

namespace sys = vitte::sys;

namespace {

struct pair_fds {
  int a = -1, b = -1;
};

// A connected loopback TCP pair, both ends non-blocking with TCP_NODELAY.
pair_fds tcp_pair() {
  int l = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ::bind(l, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::listen(l, 1);
  ::getsockname(l, reinterpret_cast<sockaddr*>(&addr), &len);
  pair_fds p;
  p.a = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (::connect(p.a, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) std::abort();
  p.b = ::accept4(l, nullptr, nullptr, SOCK_CLOEXEC);
  ::close(l);
  int on = 1;
  for (int fd : {p.a, p.b}) {
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  }
  return p;
}

// --- ping-pong --------------------------------------------------------------------

void vitte_pingpong(std::uint64_t n) {
  pair_fds p = tcp_pair();
  sys::socket a{p.a}, b{p.b};
  auto poller = sys::poller::create().value();
  poller.add(a.native(), sys::io_events::readable, std::uint64_t{1}).value();
  poller.add(b.native(), sys::io_events::readable, std::uint64_t{2}).value();
  std::byte one[1] = {std::byte{1}}, in[1];
  (void)a.send(one);
  sys::poll_event evs[8];
  std::uint64_t done = 0;
  while (done < n) {
    auto got = poller.wait(evs).value();
    for (const sys::poll_event& e : got) {
      if (e.data == 2) {
        if (b.receive(in).value_or(0) == 1) (void)b.send(in);
        continue;
      }
      if (a.receive(in).value_or(0) != 1) continue;
      if (++done < n) (void)a.send(one);
    }
  }
}

void epoll_pingpong(std::uint64_t n) {
  pair_fds p = tcp_pair();
  int ep = ::epoll_create1(EPOLL_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = 1;
  ::epoll_ctl(ep, EPOLL_CTL_ADD, p.a, &ev);
  ev.data.u64 = 2;
  ::epoll_ctl(ep, EPOLL_CTL_ADD, p.b, &ev);
  char one = 1, in;
  ::send(p.a, &one, 1, MSG_NOSIGNAL);
  epoll_event evs[8];
  std::uint64_t done = 0;
  while (done < n) {
    int k = ::epoll_wait(ep, evs, 8, -1);
    for (int i = 0; i < k; ++i) {
      if (evs[i].data.u64 == 2) {
        if (::recv(p.b, &in, 1, 0) == 1) ::send(p.b, &in, 1, MSG_NOSIGNAL);
        continue;
      }
      if (::recv(p.a, &in, 1, 0) != 1) continue;
      if (++done < n) ::send(p.a, &one, 1, MSG_NOSIGNAL);
    }
  }
  ::close(ep);
  ::close(p.a);
  ::close(p.b);
}

#if VITTE_BENCH_HAVE_UV
struct uv_pingpong_state {
  uv_tcp_t a, b;
  std::uint64_t n = 0, done = 0;
  char buf[64];
};

void uv_pingpong(std::uint64_t n) {
  pair_fds p = tcp_pair();
  uv_loop_t loop;
  uv_loop_init(&loop);
  uv_pingpong_state st;
  st.n = n;
  uv_tcp_init(&loop, &st.a);
  uv_tcp_init(&loop, &st.b);
  uv_tcp_open(&st.a, p.a);
  uv_tcp_open(&st.b, p.b);
  st.a.data = st.b.data = &st;
  auto alloc = [](uv_handle_t* h, std::size_t, uv_buf_t* out) {
    auto* s = static_cast<uv_pingpong_state*>(h->data);
    *out = uv_buf_init(s->buf, sizeof s->buf);
  };
  uv_read_start(reinterpret_cast<uv_stream_t*>(&st.b), alloc, [](uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) {
    if (nread <= 0) return;
    uv_buf_t b = uv_buf_init(buf->base, static_cast<unsigned>(nread));
    uv_try_write(s, &b, 1);
  });
  uv_read_start(reinterpret_cast<uv_stream_t*>(&st.a), alloc, [](uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) {
    if (nread <= 0) return;
    auto* state = static_cast<uv_pingpong_state*>(s->data);
    if (++state->done >= state->n) {
      uv_read_stop(s);
      uv_read_stop(reinterpret_cast<uv_stream_t*>(&state->b));
      return;
    }
    uv_buf_t b = uv_buf_init(buf->base, 1);
    uv_try_write(s, &b, 1);
  });
  char one = 1;
  uv_buf_t b = uv_buf_init(&one, 1);
  uv_try_write(reinterpret_cast<uv_stream_t*>(&st.a), &b, 1);
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_close(reinterpret_cast<uv_handle_t*>(&st.a), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&st.b), nullptr);
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
}
#endif

#if VITTE_BENCH_HAVE_ASIO
struct asio_pingpong {
  asio::io_context io;
  asio::ip::tcp::socket a{io}, b{io};
  std::uint64_t n = 0, done = 0;
  char ina[1], inb[1];

  void read_b() {
    b.async_read_some(asio::buffer(inb), [this](std::error_code ec, std::size_t k) {
      if (ec || k == 0) return;
      std::error_code wec;
      b.write_some(asio::buffer(inb, 1), wec);
      if (done < n) read_b();
    });
  }
  void read_a() {
    a.async_read_some(asio::buffer(ina), [this](std::error_code ec, std::size_t k) {
      if (ec || k == 0) return;
      if (++done >= n) {
        b.cancel();
        return;
      }
      std::error_code wec;
      a.write_some(asio::buffer(ina, 1), wec);
      read_a();
    });
  }
};

void asio_run_pingpong(std::uint64_t n) {
  pair_fds p = tcp_pair();
  asio_pingpong s;
  s.n = n;
  s.a.assign(asio::ip::tcp::v4(), p.a);
  s.b.assign(asio::ip::tcp::v4(), p.b);
  s.a.non_blocking(true);
  s.b.non_blocking(true);
  s.read_a();
  s.read_b();
  char one = 1;
  std::error_code ec;
  s.a.write_some(asio::buffer(&one, 1), ec);
  s.io.run();
}
#endif

// --- bulk ----------------------------------------------------------------------------

constexpr std::size_t chunk = 256 * 1024;

std::uint64_t bulk_bytes() {
  const char* v = std::getenv("VITTE_BENCH_NET_BYTES");
  std::uint64_t n = v != nullptr ? std::strtoull(v, nullptr, 10) : 0;
  return n != 0 ? n : std::uint64_t{1} << 30;
}

void vitte_bulk(std::uint64_t total) {
  static std::vector<std::byte> out(chunk, std::byte{0x5a}), in(chunk);
  pair_fds p = tcp_pair();
  sys::socket a{p.a}, b{p.b};
  auto poller = sys::poller::create().value();
  poller.add(a.native(), sys::io_events::writable, std::uint64_t{1}).value();
  poller.add(b.native(), sys::io_events::readable, std::uint64_t{2}).value();
  std::uint64_t sent = 0, received = 0;
  sys::poll_event evs[8];
  while (received < total) {
    auto got = poller.wait(evs).value();
    for (const sys::poll_event& e : got) {
      if (e.data == 2) {
        auto r = b.receive(in);
        if (r) received += *r;
        continue;
      }
      if (sent < total) {
        std::size_t want = total - sent < chunk ? static_cast<std::size_t>(total - sent) : chunk;
        auto w = a.send(std::span(out.data(), want));
        if (w) sent += *w;
      }
      if (sent == total) (void)poller.modify(a.native(), sys::io_events::none, std::uint64_t{1});
    }
  }
}

void epoll_bulk(std::uint64_t total) {
  static std::vector<char> out(chunk, 0x5a), in(chunk);
  pair_fds p = tcp_pair();
  int ep = ::epoll_create1(EPOLL_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLOUT;
  ev.data.u64 = 1;
  ::epoll_ctl(ep, EPOLL_CTL_ADD, p.a, &ev);
  ev.events = EPOLLIN;
  ev.data.u64 = 2;
  ::epoll_ctl(ep, EPOLL_CTL_ADD, p.b, &ev);
  std::uint64_t sent = 0, received = 0;
  epoll_event evs[8];
  while (received < total) {
    int k = ::epoll_wait(ep, evs, 8, -1);
    for (int i = 0; i < k; ++i) {
      if (evs[i].data.u64 == 2) {
        ssize_t r = ::recv(p.b, in.data(), chunk, 0);
        if (r > 0) received += static_cast<std::uint64_t>(r);
        continue;
      }
      if (sent < total) {
        std::size_t want = total - sent < chunk ? static_cast<std::size_t>(total - sent) : chunk;
        ssize_t w = ::send(p.a, out.data(), want, MSG_NOSIGNAL);
        if (w > 0) sent += static_cast<std::uint64_t>(w);
      }
      if (sent == total) {
        ev.events = 0;
        ev.data.u64 = 1;
        ::epoll_ctl(ep, EPOLL_CTL_MOD, p.a, &ev);
      }
    }
  }
  ::close(ep);
  ::close(p.a);
  ::close(p.b);
}

#if VITTE_BENCH_HAVE_UV
struct uv_bulk_state {
  uv_tcp_t a, b;
  uv_write_t req;
  std::uint64_t total = 0, sent = 0, received = 0;
  std::vector<char> out = std::vector<char>(chunk, 0x5a), in = std::vector<char>(chunk);
};

void uv_write_next(uv_bulk_state* s) {
  if (s->sent >= s->total) return;
  std::size_t want = s->total - s->sent < chunk ? static_cast<std::size_t>(s->total - s->sent) : chunk;
  s->sent += want;
  uv_buf_t b = uv_buf_init(s->out.data(), static_cast<unsigned>(want));
  uv_write(&s->req, reinterpret_cast<uv_stream_t*>(&s->a), &b, 1, [](uv_write_t* r, int status) {
    if (status == 0) uv_write_next(static_cast<uv_bulk_state*>(r->handle->data));
  });
}

void uv_bulk(std::uint64_t total) {
  pair_fds p = tcp_pair();
  uv_loop_t loop;
  uv_loop_init(&loop);
  uv_bulk_state st;
  st.total = total;
  uv_tcp_init(&loop, &st.a);
  uv_tcp_init(&loop, &st.b);
  uv_tcp_open(&st.a, p.a);
  uv_tcp_open(&st.b, p.b);
  st.a.data = st.b.data = &st;
  uv_read_start(
      reinterpret_cast<uv_stream_t*>(&st.b),
      [](uv_handle_t* h, std::size_t, uv_buf_t* out) {
        auto* s = static_cast<uv_bulk_state*>(h->data);
        *out = uv_buf_init(s->in.data(), static_cast<unsigned>(s->in.size()));
      },
      [](uv_stream_t* s, ssize_t nread, const uv_buf_t*) {
        auto* state = static_cast<uv_bulk_state*>(s->data);
        if (nread > 0) state->received += static_cast<std::uint64_t>(nread);
        if (nread < 0 || state->received >= state->total) uv_read_stop(s);
      });
  uv_write_next(&st);
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_close(reinterpret_cast<uv_handle_t*>(&st.a), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&st.b), nullptr);
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
}
#endif

#if VITTE_BENCH_HAVE_ASIO
struct asio_bulk {
  asio::io_context io;
  asio::ip::tcp::socket a{io}, b{io};
  std::uint64_t total = 0, sent = 0, received = 0;
  std::vector<char> out = std::vector<char>(chunk, 0x5a), in = std::vector<char>(chunk);

  void write_more() {
    if (sent >= total) return;
    std::size_t want = total - sent < chunk ? static_cast<std::size_t>(total - sent) : chunk;
    a.async_write_some(asio::buffer(out.data(), want), [this](std::error_code ec, std::size_t k) {
      if (ec) return;
      sent += k;
      write_more();
    });
  }
  void read_more() {
    b.async_read_some(asio::buffer(in), [this](std::error_code ec, std::size_t k) {
      if (ec) return;
      received += k;
      if (received < total) read_more();
    });
  }
};

void asio_run_bulk(std::uint64_t total) {
  pair_fds p = tcp_pair();
  asio_bulk s;
  s.total = total;
  s.a.assign(asio::ip::tcp::v4(), p.a);
  s.b.assign(asio::ip::tcp::v4(), p.b);
  s.write_more();
  s.read_more();
  s.io.run();
}
#endif

// --- wait cost with idle descriptors ------------------------------------------------

struct idle_set {
  std::vector<int> fds;  // UDP sockets nobody sends to: never ready
  explicit idle_set(std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) fds.push_back(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  }
  ~idle_set() {
    for (int fd : fds) ::close(fd);
  }
};

template <class P>
void bench_wait(std::size_t idle, const char* label, bool poll_baseline) {
  idle_set set(idle);
  pair_fds act = tcp_pair();
  auto poller = sys::basic_poller<P>::create().value();
  for (std::size_t i = 0; i < set.fds.size(); ++i)
    poller.add(set.fds[i], sys::io_events::readable, std::uint64_t{i + 10}).value();
  poller.add(act.b, sys::io_events::readable, std::uint64_t{1}).value();
  char one = 1;
  ::send(act.a, &one, 1, MSG_NOSIGNAL);  // stays unread: level triggered, always ready
  sys::poll_event evs[16];

  int ep = ::epoll_create1(EPOLL_CLOEXEC);
  std::vector<pollfd> pfds;
  epoll_event ev{};
  ev.events = EPOLLIN;
  for (std::size_t i = 0; i < set.fds.size(); ++i) {
    ev.data.u64 = i + 10;
    ::epoll_ctl(ep, EPOLL_CTL_ADD, set.fds[i], &ev);
    pfds.push_back(pollfd{set.fds[i], POLLIN, 0});
  }
  ev.data.u64 = 1;
  ::epoll_ctl(ep, EPOLL_CTL_ADD, act.b, &ev);
  pfds.push_back(pollfd{act.b, POLLIN, 0});
  epoll_event eevs[16];

  std::string name = std::string("net.wait.") + label + ".idle" + std::to_string(idle);
  bench::suite s(name);
  s.add("vitte", [&] { return poller.wait(evs).value().size(); });
  // Each backend against its own system call (a calibrated batch of epoll
  // waits would take minutes as poll(2) over 10,000 descriptors).
  if (poll_baseline)
    s.add("raw poll", [&] { return ::poll(pfds.data(), pfds.size(), -1); });
  else
    s.add("raw epoll_wait", [&] { return ::epoll_wait(ep, eevs, 16, -1); });
  s.run();
  ::close(ep);
  ::close(act.a);
  ::close(act.b);
}

}  // namespace

int main() {
  bench::suite pp("net.pingpong.1B");
  pp.add_batch("vitte", vitte_pingpong).add_batch("raw epoll", epoll_pingpong);
#if VITTE_BENCH_HAVE_UV
  pp.add_batch("libuv", uv_pingpong);
#endif
#if VITTE_BENCH_HAVE_ASIO
  pp.add_batch("asio", asio_run_pingpong);
#endif
  pp.run();

  std::uint64_t total = bulk_bytes();
  std::string bulk_name = "net.bulk." + (total % (1u << 30) == 0   ? std::to_string(total >> 30) + "GiB"
                                         : total % (1u << 20) == 0 ? std::to_string(total >> 20) + "MiB"
                                                                   : std::to_string(total) + "B");
  bench::suite bulk(bulk_name, 5);
  bulk.batch_size(1);
  bulk.add_batch("vitte", [total](std::uint64_t) { vitte_bulk(total); }).add_batch("raw epoll", [total](std::uint64_t) {
    epoll_bulk(total);
  });
#if VITTE_BENCH_HAVE_UV
  bulk.add_batch("libuv", [total](std::uint64_t) { uv_bulk(total); });
#endif
#if VITTE_BENCH_HAVE_ASIO
  bulk.add_batch("asio", [total](std::uint64_t) { asio_run_bulk(total); });
#endif
  bulk.run();

  for (std::size_t idle : {100u, 1000u, 10000u}) bench_wait<sys::platform>(idle, "epoll", false);
  for (std::size_t idle : {100u, 1000u, 10000u}) bench_wait<sys::poll_platform<sys::platform>>(idle, "poll", true);
}
