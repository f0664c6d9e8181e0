// vitte/wasm/wasi/poll.hpp - poll_oneoff: clock subscriptions and
// descriptors ready to read or write.
//
// Member definitions of basic_wasi: the class comes first, so the public
// header is included above the guard (it includes this file back, in its
// order, at its end).
#include <vitte/wasm/wasi.hpp>

#ifndef VITTE_WASM_WASI_POLL_HPP
#define VITTE_WASM_WASI_POLL_HPP

#include <vitte/sys/clock_id.hpp>
#include <vitte/sys/net.hpp>   // io_events
#include <vitte/sys/time.hpp>  // basic_deadline
#include <vitte/wasm/wasi/abi.hpp>
#include <vitte/wasm/wasi/context.hpp>
#include <vitte/wasm/wasi/guest.hpp>

#include <cstdint>

namespace vitte::wasm {

template <class P>
std::uint16_t basic_wasi<P>::poll_oneoff(const std::uint64_t* a) {
  namespace w = detail::wasi;
  const std::uint64_t in = a[0], out = a[1], n = a[2];
  w::guest g = mem();
  if (n == 0) return w::e_inval;
  if (n > 4096) return w::e_inval;
  if (!g.fits(in, 48 * n) || !g.fits(out, 32 * n) || !g.fits(a[3], 4)) return w::e_fault;
  // Descriptors are ready at once (files, directories, standard streams),
  // or, for sockets, when the OS says so; clocks fire when their time
  // comes. The call waits for the first of them.
  std::int64_t wake = INT64_MAX;  // monotonic
  const std::int64_t now = P::clock_now_ns(sys::clock_id::monotonic);
  std::uint32_t events = 0;
  auto event = [&](std::uint64_t sub, std::uint16_t error, std::uint8_t type, std::uint64_t nbytes) {
    const std::uint64_t at = out + 32ull * events++;
    std::memset(g.p + at, 0, 32);
    g.put64(at, g.u64(sub));
    g.put16(at + 8, error);
    g.put8(at + 10, type);
    g.put64(at + 16, nbytes);
  };
  for (int pass = 0; pass < 2 && events == 0; ++pass) {
    // pass 0: what is ready now; pass 1: after waiting for the earliest.
    for (std::uint64_t i = 0; i < n; ++i) {
      const std::uint64_t sub = in + 48 * i;
      const std::uint8_t tag = g.p[sub + 8];
      if (tag == 0) {  // clock
        sys::clock_id id;
        if (!w::clock_of(g.u32(sub + 16), id)) {
          event(sub, w::e_inval, 0, 0);
          continue;
        }
        const std::uint64_t timeout = g.u64(sub + 24);
        const bool absolute = g.u32(sub + 40) & 1;
        std::int64_t due = absolute
                               ? now + (static_cast<std::int64_t>(timeout) - P::clock_now_ns(id))
                               : now + static_cast<std::int64_t>(timeout > INT64_MAX / 2 ? INT64_MAX / 2 : timeout);
        if (pass == 0 && due < wake) wake = due;
        if (P::clock_now_ns(sys::clock_id::monotonic) >= due) event(sub, w::e_success, 0, 0);
      } else if (tag == 1 || tag == 2) {
        std::uint16_t err;
        fd_entry* e = find(g.u32(sub + 16), w::r_poll_fd_readwrite, err);
        if (e == nullptr) {
          event(sub, err, tag, 0);
          continue;
        }
        if (e->k == fd_entry::kind::socket) {
          const sys::io_events want = tag == 1 ? sys::io_events::readable : sys::io_events::writable;
          result<sys::io_events> r = e->socket.wait(want, sys::basic_deadline<P>::at_ns(now));
          if (r && *r != sys::io_events::none) event(sub, w::e_success, tag, 0);
          if (pass == 0 && wake > now + 10'000'000) wake = now + 10'000'000;  // sockets: look again soon
          continue;
        }
        std::uint64_t nbytes = 0;
        sys::file_status st;
        if (tag == 1 && e->k == fd_entry::kind::file && !P::file_stat(e->handle(), st)) {
          result<std::uint64_t> pos = P::file_seek(e->handle(), 0, sys::seek_origin::current);
          if (pos && *pos < st.size) nbytes = st.size - *pos;
        }
        event(sub, w::e_success, tag, nbytes);
      } else {
        event(sub, w::e_inval, tag, 0);
      }
    }
    if (events == 0 && pass == 0 && wake != INT64_MAX) (void)P::sleep_until_ns(sys::clock_id::monotonic, wake);
  }
  g.put32(a[3], events);
  return w::e_success;
}

}  // namespace vitte::wasm

#endif  // VITTE_WASM_WASI_POLL_HPP
