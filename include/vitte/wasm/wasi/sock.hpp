// vitte/wasm/wasi/sock.hpp - the WASI calls on sockets (sock_*): accept,
// receive, send, shut down. Another descriptor is `notsock` whatever its
// rights (wasmtime's order: badf, notsock, notcapable).
//
// Member definitions of basic_wasi: the class comes first, so the public
// header is included above the guard (it includes this file back, in its
// order, at its end).
#include <vitte/wasm/wasi.hpp>

#ifndef VITTE_WASM_WASI_SOCK_HPP
#define VITTE_WASM_WASI_SOCK_HPP

#include <vitte/sys/net.hpp>
#include <vitte/wasm/wasi/abi.hpp>
#include <vitte/wasm/wasi/context.hpp>
#include <vitte/wasm/wasi/guest.hpp>

#include <cstdint>
#include <memory>

namespace vitte::wasm {

template <class P>
std::uint16_t basic_wasi<P>::sock_accept(const std::uint64_t* a) {
  namespace w = detail::wasi;
  std::uint16_t err;
  fd_entry* e = find(a[0], 0, err);
  if (e == nullptr) return err;
  if (e->k != fd_entry::kind::socket) return w::e_notsock;
  if ((err = w::rights_check(e->rights, w::r_sock_accept)) != w::e_success) return err;
  if ((a[1] & ~4ull) != 0) return w::e_inval;
  if (!mem().fits(a[2], 4)) return w::e_fault;
  result<sys::basic_socket<P>> s = e->socket.accept(nullptr, (a[1] & 4) != 0);
  if (!s) return w::errno_of(s.error());
  auto c = std::make_unique<fd_entry>();
  c->k = fd_entry::kind::socket;
  c->socket = std::move(*s);
  c->filetype = w::t_socket_stream;
  c->rights = w::r_socket & ~w::r_sock_accept;
  c->flags = static_cast<std::uint16_t>(a[1]);
  mem().put32(a[2], add_fd(std::move(c)));
  return w::e_success;
}
template <class P>
std::uint16_t basic_wasi<P>::sock_recv(const std::uint64_t* a) {
  namespace w = detail::wasi;
  // fd, ri_data, ri_data_len, ri_flags (peek 1, waitall 2), out ro_datalen, out ro_flags
  std::uint16_t err;
  fd_entry* e = find(a[0], 0, err);
  if (e == nullptr) return err;
  if (e->k != fd_entry::kind::socket) return w::e_notsock;
  if ((err = w::rights_check(e->rights, w::r_fd_read)) != w::e_success) return err;
  if ((a[3] & ~3ull) != 0) return w::e_inval;
  if (a[3] & 1) return w::e_notsup;  // peeking would need a buffer between the socket and the program
  if (!mem().fits(a[5], 2)) return w::e_fault;
  buffer<sys::mutable_buffer> bufs;
  if ((err = buffers(a[1], a[2], bufs)) != w::e_success) return err;
  std::uint64_t done = 0;
  for (const sys::mutable_buffer& b : bufs) {
    std::size_t got = 0;
    while (got < b.size) {
      result<std::size_t> r = e->socket.receive(
          as_writable_bytes(span<std::uint8_t>(static_cast<std::uint8_t*>(b.data) + got, b.size - got)));
      if (!r) {
        if (done + got > 0) break;
        return w::errno_of(r.error());
      }
      if (*r == 0) break;
      got += *r;
      if (!(a[3] & 2)) break;
    }
    done += got;
    if (got < b.size) break;
  }
  if (std::uint16_t x = mem().out32(a[4], static_cast<std::uint32_t>(done))) return x;
  mem().put16(a[5], 0);
  return w::e_success;
}
template <class P>
std::uint16_t basic_wasi<P>::sock_send(const std::uint64_t* a) {
  namespace w = detail::wasi;
  std::uint16_t err;
  fd_entry* e = find(a[0], 0, err);
  if (e == nullptr) return err;
  if (e->k != fd_entry::kind::socket) return w::e_notsock;
  if ((err = w::rights_check(e->rights, w::r_fd_write)) != w::e_success) return err;
  if (a[3] != 0) return w::e_inval;
  return transfer(a[0], a[1], a[2], nullptr, a[4], true);
}
template <class P>
std::uint16_t basic_wasi<P>::sock_shutdown(const std::uint64_t* a) {
  namespace w = detail::wasi;
  std::uint16_t err;
  fd_entry* e = find(a[0], 0, err);
  if (e == nullptr) return err;
  if (e->k != fd_entry::kind::socket) return w::e_notsock;
  if ((err = w::rights_check(e->rights, w::r_sock_shutdown)) != w::e_success) return err;
  if (a[1] == 0 || a[1] > 3) return w::e_inval;
  const sys::shutdown_how how = a[1] == 1   ? sys::shutdown_how::receive
                                : a[1] == 2 ? sys::shutdown_how::send
                                            : sys::shutdown_how::both;
  if (status st = e->socket.shutdown(how); !st) return w::errno_of(st.error());
  return w::e_success;
}

}  // namespace vitte::wasm

#endif  // VITTE_WASM_WASI_SOCK_HPP
