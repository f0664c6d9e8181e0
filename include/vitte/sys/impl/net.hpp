// Template bodies for vitte/sys/net.hpp. Included by it; do not include.
#ifndef VITTE_SYS_IMPL_NET_HPP
#define VITTE_SYS_IMPL_NET_HPP

#include <vitte/sys/detail/retry.hpp>

namespace vitte::sys {

namespace detail {

// A name for the resolver: NUL-terminated on the stack; null for empty.
struct c_name {
  char text[256];
  bool ok = true;
  explicit c_name(text_view s) noexcept {
    if (s.size() >= sizeof text) {
      ok = false;
      text[0] = '\0';
      return;
    }
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '\0') ok = false;
      text[i] = s[i];
    }
    text[s.size()] = '\0';
  }
  const char* get() const noexcept { return text[0] == '\0' ? nullptr : text; }
};

// Waits for `interest` on h until d; would_block turns into a wait, and a
// wait past the deadline into timed_out with operation `op`.
template <class P>
status wait_ready(native_handle h, io_events interest, std::int64_t deadline_ns, operation op) noexcept {
  for (;;) {
    result<io_events> r = P::socket_wait(h, interest, deadline_ns);
    if (r) return {};
    if (r.error() == errc::interrupted) continue;
    if (r.error() == errc::timed_out) return error{errc::timed_out, op};
    return r.error();
  }
}

}  // namespace detail

template <class P>
result<basic_socket<P>> basic_socket<P>::open(address_family f, socket_type t, bool nonblocking) noexcept {
  result<native_handle> h = P::socket_open(f, t, nonblocking);
  if (!h) return h.error();
  return basic_socket{*h};
}

template <class P>
result<basic_socket<P>> basic_socket<P>::listen(const socket_address& a, const listen_options& o) noexcept {
  result<basic_socket> s = open(a.family(), socket_type::stream, o.nonblocking);
  if (!s) return s.error();
  if (a.is_ip() && o.reuse_address) {
    if (error e = P::socket_set_option(s->native(), socket_option::reuse_address, 1)) return e;
  }
  if (o.reuse_port) {
    if (error e = P::socket_set_option(s->native(), socket_option::reuse_port, 1)) return e;
  }
  if (a.family() == address_family::ipv6 && o.v6_only >= 0) {
    if (error e = P::socket_set_option(s->native(), socket_option::v6_only, o.v6_only)) return e;
  }
  if (status st = s->bind(a); !st) return st.error();
  if (status st = s->listen(o.backlog); !st) return st.error();
  return s;
}

template <class P>
result<basic_socket<P>> basic_socket<P>::connect_to(const socket_address& a, deadline_type d,
                                                    bool nonblocking) noexcept {
  result<basic_socket> s = open(a.family(), socket_type::stream, true);
  if (!s) return s.error();
  if (error e = P::socket_connect(s->native(), a)) {
    if (e != errc::in_progress && e != errc::would_block) return e;
    if (status st = detail::wait_ready<P>(s->native(), io_events::writable, d.ns(), ops::socket_connect); !st)
      return st.error();
    if (error r = P::socket_connect_result(s->native())) return r;
  }
  if (!nonblocking) {
    if (error e = P::socket_set_nonblocking(s->native(), false)) return e;
  }
  return s;
}

template <class P>
result<basic_socket<P>> basic_socket<P>::connect_start(const socket_address& a) noexcept {
  result<basic_socket> s = open(a.family(), socket_type::stream, true);
  if (!s) return s.error();
  error e = P::socket_connect(s->native(), a);
  if (e && e != errc::in_progress) return e;
  return s;
}

template <class P>
result<basic_socket<P>> basic_socket<P>::open_datagram(const socket_address& a, bool nonblocking) noexcept {
  result<basic_socket> s = open(a.family(), socket_type::datagram, nonblocking);
  if (!s) return s.error();
  if (status st = s->bind(a); !st) return st.error();
  return s;
}

template <class P>
result<std::pair<basic_socket<P>, basic_socket<P>>> basic_socket<P>::pair(socket_type t, bool nonblocking) noexcept {
  native_handle h[2] = {invalid_handle, invalid_handle};
  if (error e = P::socket_pair(t, nonblocking, h)) return e;
  return std::pair<basic_socket, basic_socket>{basic_socket{h[0]}, basic_socket{h[1]}};
}

template <class P>
status basic_socket<P>::close() noexcept {
  if (!is_open()) return error{errc::bad_descriptor, ops::close};
  if (error e = P::socket_close(release())) return e;
  return {};
}

template <class P>
status basic_socket<P>::bind(const socket_address& a) noexcept {
  if (error e = P::socket_bind(h_, a)) return e;
  return {};
}

template <class P>
status basic_socket<P>::listen(int backlog) noexcept {
  if (error e = P::socket_listen(h_, backlog)) return e;
  return {};
}

template <class P>
result<basic_socket<P>> basic_socket<P>::accept(socket_address* peer, bool nonblocking) noexcept {
  for (;;) {
    result<native_handle> h = P::socket_accept(h_, peer, nonblocking);
    if (h) return basic_socket{*h};
    if (h.error() != errc::interrupted) return h.error();
  }
}

template <class P>
status basic_socket<P>::connect(const socket_address& a, deadline_type d) noexcept {
  bool timed = !d.is_never();
  if (timed) {
    if (error e = P::socket_set_nonblocking(h_, true)) return e;
  }
  error e = P::socket_connect(h_, a);
  if (e && e != errc::in_progress && e != errc::would_block) return e;
  if (e) {
    if (status st = detail::wait_ready<P>(h_, io_events::writable, d.ns(), ops::socket_connect); !st) return st;
    if (error r = P::socket_connect_result(h_)) return r;
  }
  if (timed) {
    if (error m = P::socket_set_nonblocking(h_, false)) return m;
  }
  return {};
}

template <class P>
status basic_socket<P>::finish_connect() noexcept {
  if (error e = P::socket_connect_result(h_)) return e;
  return {};
}

template <class P>
result<std::size_t> basic_socket<P>::send(span<const std::byte> data) noexcept {
  const_buffer b{data.data(), data.size()};
  return detail::retry_interrupted([&] { return P::socket_send(h_, &b, 1, nullptr); });
}

template <class P>
result<std::size_t> basic_socket<P>::receive(span<std::byte> buf) noexcept {
  mutable_buffer b{buf.data(), buf.size()};
  return detail::retry_interrupted([&] { return P::socket_receive(h_, &b, 1, nullptr, nullptr); });
}

template <class P>
result<std::size_t> basic_socket<P>::send_vec(span<const const_buffer> bufs) noexcept {
  return detail::retry_interrupted([&] { return P::socket_send(h_, bufs.data(), bufs.size(), nullptr); });
}

template <class P>
result<std::size_t> basic_socket<P>::receive_vec(span<const mutable_buffer> bufs) noexcept {
  return detail::retry_interrupted([&] { return P::socket_receive(h_, bufs.data(), bufs.size(), nullptr, nullptr); });
}

template <class P>
status basic_socket<P>::send_all(span<const std::byte> data, deadline_type d) noexcept {
  std::size_t done = 0;
  while (done < data.size()) {
    result<std::size_t> r = send(data.subspan(done));
    if (r) {
      done += *r;
      continue;
    }
    if (r.error() != errc::would_block) return r.error();
    if (status st = detail::wait_ready<P>(h_, io_events::writable, d.ns(), ops::socket_send); !st) return st;
  }
  return {};
}

template <class P>
status basic_socket<P>::receive_exact(span<std::byte> buf, deadline_type d) noexcept {
  std::size_t done = 0;
  while (done < buf.size()) {
    result<std::size_t> r = receive(buf.subspan(done));
    if (r) {
      if (*r == 0) return error{errc::unexpected_eof, ops::socket_receive};
      done += *r;
      continue;
    }
    if (r.error() != errc::would_block) return r.error();
    if (status st = detail::wait_ready<P>(h_, io_events::readable, d.ns(), ops::socket_receive); !st) return st;
  }
  return {};
}

template <class P>
result<std::size_t> basic_socket<P>::send_to(span<const std::byte> data, const socket_address& to) noexcept {
  const_buffer b{data.data(), data.size()};
  return detail::retry_interrupted([&] { return P::socket_send(h_, &b, 1, &to); });
}

template <class P>
result<datagram> basic_socket<P>::receive_from(span<std::byte> buf, socket_address* from) noexcept {
  mutable_buffer b{buf.data(), buf.size()};
  bool truncated = false;
  result<std::size_t> r = detail::retry_interrupted([&] { return P::socket_receive(h_, &b, 1, from, &truncated); });
  if (!r) return r.error();
  std::size_t n = *r < buf.size() ? *r : buf.size();  // Linux reports the datagram's length with MSG_TRUNC
  return datagram{n, truncated};
}

template <class P>
status basic_socket<P>::shutdown(shutdown_how how) noexcept {
  if (error e = P::socket_shutdown(h_, how)) return e;
  return {};
}

template <class P>
status basic_socket<P>::set_option(socket_option o, int value) noexcept {
  if (error e = P::socket_set_option(h_, o, value)) return e;
  return {};
}

template <class P>
result<int> basic_socket<P>::option(socket_option o) const noexcept {
  return P::socket_get_option(h_, o);
}

template <class P>
status basic_socket<P>::set_nonblocking(bool on) noexcept {
  if (error e = P::socket_set_nonblocking(h_, on)) return e;
  return {};
}

template <class P>
result<socket_address> basic_socket<P>::local_address() const noexcept {
  socket_address a;
  if (error e = P::socket_address_of(h_, false, a)) return e;
  return a;
}

template <class P>
result<socket_address> basic_socket<P>::peer_address() const noexcept {
  socket_address a;
  if (error e = P::socket_address_of(h_, true, a)) return e;
  return a;
}

template <class P>
result<io_events> basic_socket<P>::wait(io_events interest, deadline_type d) const noexcept {
  for (;;) {
    result<io_events> r = P::socket_wait(h_, interest, d.ns());
    if (r || r.error() != errc::interrupted) return r;
  }
}

template <class P>
result<basic_acceptor<P>> basic_acceptor<P>::create(socket listener) noexcept {
  result<socket> spare = socket::open(address_family::ipv4, socket_type::datagram);
  if (!spare) return spare.error();
  basic_acceptor a;
  a.listener_ = static_cast<socket&&>(listener);
  a.spare_ = static_cast<socket&&>(*spare);
  return a;
}

template <class P>
result<basic_socket<P>> basic_acceptor<P>::accept(socket_address* peer, bool nonblocking) noexcept {
  result<socket> s = listener_.accept(peer, nonblocking);
  if (s || s.error() != errc::too_many_open_files) return s;
  if (!spare_.is_open()) {
    // Lost the spare (another thread took the descriptor): try again to get it.
    result<socket> again = socket::open(address_family::ipv4, socket_type::datagram);
    if (again) spare_ = static_cast<socket&&>(*again);
    return s.error();
  }
  (void)spare_.close();
  result<socket> shed = listener_.accept(nullptr, true);
  if (shed) {
    (void)shed->set_option(socket_option::linger, 0);  // reset: the client learns at once
    (void)shed->close();
    ++shed_;
  }
  result<socket> again = socket::open(address_family::ipv4, socket_type::datagram);
  if (again) spare_ = static_cast<socket&&>(*again);
  // Linux reports EMFILE before looking at the queue: with nothing pending,
  // say so, or a loop that accepts until would_block would never stop.
  if (!shed && shed.error() == errc::would_block) return shed.error();
  return s.error();
}

template <class P>
result<buffer<socket_address>> resolve(text_view host, text_view service, const resolve_hints& hints) {
  VITTE_REQUIRE_CAPABILITY(P, socket);
  detail::c_name h(host), s(service);
  if (!h.ok || !s.ok || (h.get() == nullptr && s.get() == nullptr)) return error{errc::invalid_argument, ops::resolve};
  socket_address found[64];
  result<std::size_t> n = P::resolve(h.get(), s.get(), hints, found, 64);
  if (!n) return n.error();
  if (*n == 0) return error{errc::not_found, ops::resolve};
  return buffer<socket_address>(found, found + *n);
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_IMPL_NET_HPP
