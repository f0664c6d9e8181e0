// echo_loop.hpp - a single-threaded echo server on vitte's poller, shared by
// examples/echo_server.cpp, tests/test_net.cpp and bench/bench_net.cpp.
//
// One poller serves the listener and every connection (level triggered, so
// it runs on every backend). Connections are non-blocking; what cannot be
// written back at once waits for writability. Accepting goes through a
// basic_acceptor, so the descriptor limit sheds connections instead of
// spinning. The server stops after `expected` connections have come and
// gone (0: never), or at the deadline.
#ifndef VITTE_EXAMPLES_ECHO_LOOP_HPP
#define VITTE_EXAMPLES_ECHO_LOOP_HPP

#include <vitte/sys/net.hpp>
#include <vitte/sys/poller.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace echo {

struct stats {
  std::uint64_t accepted = 0;
  std::uint64_t closed = 0;
  std::uint64_t shed = 0;      ///< Connections closed at the descriptor limit.
  std::uint64_t bytes = 0;     ///< Bytes echoed.
  std::uint64_t checksum = 0;  ///< Sum over connections of FNV-1a of their bytes.
  std::uint64_t waits = 0;     ///< Poller waits: bounded, proof that nothing spins.
  std::uint64_t max_open = 0;  ///< Most connections open at once.
  vitte::error first_error;
};

template <class P = vitte::sys::platform>
class server {
 public:
  using socket = vitte::sys::basic_socket<P>;

  /// Serves `listener` (made non-blocking here) until `expected`
  /// connections have closed or `d` passes.
  static stats run(socket listener, std::uint64_t expected, vitte::sys::basic_deadline<P> d) {
    namespace sys = vitte::sys;
    stats st;
    auto fail = [&st](vitte::error e) {
      if (!st.first_error) st.first_error = e;
    };
    if (auto r = listener.set_nonblocking(true); !r) {
      fail(r.error());
      return st;
    }
    auto acc = sys::basic_acceptor<P>::create(static_cast<socket&&>(listener));
    auto poller = sys::basic_poller<P>::create();
    if (!acc || !poller) {
      fail(!acc ? acc.error() : poller.error());
      return st;
    }
    std::vector<conn> conns;  // indexed by slot; data = slot + 1 (0 is the listener)
    std::vector<std::size_t> free_slots;
    std::uint64_t open = 0;
    if (auto r = poller->add(acc->listener().native(), sys::io_events::readable, std::uint64_t{0}); !r) {
      fail(r.error());
      return st;
    }
    std::vector<sys::poll_event> evs(256);
    std::byte buf[16384];
    while (expected == 0 || st.closed < expected) {
      auto got = poller->wait(evs, d);
      ++st.waits;
      if (!got) {
        fail(got.error());
        break;
      }
      if (got->empty() && d.expired()) {
        fail(vitte::error{vitte::errc::timed_out, vitte::sys::ops::poller_wait});
        break;
      }
      for (const sys::poll_event& e : *got) {
        if (e.data == 0) {
          accept_all(*acc, *poller, conns, free_slots, st, open);
          continue;
        }
        std::size_t slot = static_cast<std::size_t>(e.data - 1);
        conn& c = conns[slot];
        if (!c.s.is_open()) continue;
        bool done = false;
        if (sys::has(e.events, sys::io_events::writable)) done = !flush(c, *poller, slot);
        if (!done && c.pending.empty()) done = !echo_some(c, *poller, slot, buf, sizeof buf, st);
        if (!done && sys::has(e.events, sys::io_events::error | sys::io_events::hangup) && c.pending.empty() &&
            !sys::has(e.events, sys::io_events::readable))
          done = true;
        if (!done) continue;
        (void)poller->remove(c.s.native());
        (void)c.s.close();
        st.checksum += c.hash;
        ++st.closed;
        --open;
        free_slots.push_back(slot);
      }
    }
    st.shed = acc->shed_count();
    return st;
  }

 private:
  struct conn {
    socket s;
    std::vector<std::byte> pending;  // echo not yet written
    std::uint64_t hash = 0xcbf29ce484222325ull;
  };

  static void accept_all(vitte::sys::basic_acceptor<P>& acc, vitte::sys::basic_poller<P>& poller,
                         std::vector<conn>& conns, std::vector<std::size_t>& free_slots, stats& st,
                         std::uint64_t& open) {
    namespace sys = vitte::sys;
    for (int k = 0; k < 64; ++k) {  // a batch, then back to the others
      auto s = acc.accept(nullptr, true);
      if (!s) {
        if (s.error() == vitte::errc::too_many_open_files) continue;  // shed one: try the next
        if (s.error() != vitte::errc::would_block && s.error() != vitte::errc::connection_aborted && !st.first_error)
          st.first_error = s.error();
        return;
      }
      std::size_t slot;
      if (!free_slots.empty()) {
        slot = free_slots.back();
        free_slots.pop_back();
      } else {
        slot = conns.size();
        conns.emplace_back();
      }
      conns[slot] = conn{};
      conns[slot].s = static_cast<socket&&>(*s);
      if (auto r = poller.add(conns[slot].s.native(), sys::io_events::readable, std::uint64_t{slot + 1}); !r) {
        if (!st.first_error) st.first_error = r.error();
        (void)conns[slot].s.close();
        free_slots.push_back(slot);
        continue;
      }
      ++st.accepted;
      if (++open > st.max_open) st.max_open = open;
    }
  }

  // Reads once and echoes; false when the connection is over.
  static bool echo_some(conn& c, vitte::sys::basic_poller<P>& poller, std::size_t slot, std::byte* buf,
                        std::size_t size, stats& st) {
    auto n = c.s.receive(std::span(buf, size));
    if (!n) return n.error() == vitte::errc::would_block;
    if (*n == 0) return false;
    st.bytes += *n;
    for (std::size_t i = 0; i < *n; ++i) {
      c.hash ^= static_cast<std::uint8_t>(buf[i]);
      c.hash *= 0x100000001b3ull;
    }
    std::size_t sent = 0;
    while (sent < *n) {
      auto w = c.s.send(std::span<const std::byte>(buf + sent, *n - sent));
      if (!w) {
        if (w.error() != vitte::errc::would_block) return false;
        c.pending.assign(buf + sent, buf + *n);
        return poller.modify(c.s.native(), vitte::sys::io_events::writable, std::uint64_t{slot + 1}).has_value();
      }
      sent += *w;
    }
    return true;
  }

  // Writes what is pending; false when the connection is over.
  static bool flush(conn& c, vitte::sys::basic_poller<P>& poller, std::size_t slot) {
    while (!c.pending.empty()) {
      auto w = c.s.send(c.pending);
      if (!w) return w.error() == vitte::errc::would_block;
      c.pending.erase(c.pending.begin(), c.pending.begin() + static_cast<std::ptrdiff_t>(*w));
    }
    return poller.modify(c.s.native(), vitte::sys::io_events::readable, std::uint64_t{slot + 1}).has_value();
  }
};

}  // namespace echo

#endif  // VITTE_EXAMPLES_ECHO_LOOP_HPP
