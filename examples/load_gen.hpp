// load_gen.hpp - the load generator's client, shared by examples/load_gen.cpp,
// the 10,000-connection test (tests/test_net.cpp) and bench/bench_net.cpp.
//
// run_load opens `connections` TCP connections to an echo server and keeps
// them all open at once; then each sends a payload of random length and
// content (seeded, so runs repeat), reads the echo back and compares it byte
// for byte; then all close. The report says how many connections echoed
// correctly, the bytes sent, and a checksum (the sum over connections of
// FNV-1a of the bytes sent) that the server can compute independently.
#ifndef VITTE_EXAMPLES_LOAD_GEN_HPP
#define VITTE_EXAMPLES_LOAD_GEN_HPP

#include <vitte/sys/net.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace load_gen {

struct report {
  std::uint64_t connected = 0;  ///< Connections established.
  std::uint64_t verified = 0;   ///< Connections whose echo matched.
  std::uint64_t bytes = 0;      ///< Payload bytes sent (and expected back).
  std::uint64_t checksum = 0;   ///< Sum of FNV-1a of each connection's bytes.
  vitte::error first_error;     ///< The first failure, if any.
};

/// FNV-1a, 64-bit, continued from `h`.
inline std::uint64_t fnv1a(const std::byte* p, std::size_t n, std::uint64_t h = 0xcbf29ce484222325ull) {
  for (std::size_t i = 0; i < n; ++i) {
    h ^= static_cast<std::uint8_t>(p[i]);
    h *= 0x100000001b3ull;
  }
  return h;
}

/// A small deterministic generator (xorshift64*), so client and checks agree.
struct rng {
  std::uint64_t s;
  explicit rng(std::uint64_t seed) : s(seed * 0x9E3779B97F4A7C15ull + 1) {}
  std::uint64_t next() {
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    return s * 0x2545F4914F6CDD1Dull;
  }
};

/// Runs the load against `server`: see the file comment. `max_payload` is
/// the largest payload (each is 1..max_payload bytes).
template <class P = vitte::sys::platform>
report run_load(const vitte::sys::socket_address& server, std::size_t connections, std::size_t max_payload,
                std::uint64_t seed, vitte::sys::basic_deadline<P> d) {
  using socket = vitte::sys::basic_socket<P>;
  report r;
  std::vector<socket> socks;
  socks.reserve(connections);
  auto fail = [&r](vitte::error e) {
    if (!r.first_error) r.first_error = e;
  };
  for (std::size_t i = 0; i < connections; ++i) {
    vitte::result<socket> s = socket::connect_to(server, d);
    if (!s) {
      fail(s.error());
      break;
    }
    (void)s->set_option(vitte::sys::socket_option::no_delay, 1);
    socks.push_back(static_cast<socket&&>(*s));
  }
  r.connected = socks.size();
  std::vector<std::vector<std::byte>> payloads(socks.size());
  rng g(seed);
  for (std::size_t i = 0; i < socks.size(); ++i) {
    std::size_t n = 1 + static_cast<std::size_t>(g.next() % max_payload);
    payloads[i].resize(n);
    for (std::byte& b : payloads[i]) b = static_cast<std::byte>(g.next());
    if (auto st = socks[i].send_all(payloads[i], d); !st) fail(st.error());
    r.bytes += n;
    r.checksum += fnv1a(payloads[i].data(), n);
  }
  std::vector<std::byte> echo;
  for (std::size_t i = 0; i < socks.size(); ++i) {
    echo.assign(payloads[i].size(), std::byte{0});
    if (auto st = socks[i].receive_exact(echo, d); !st) {
      fail(st.error());
      continue;
    }
    if (std::memcmp(echo.data(), payloads[i].data(), echo.size()) == 0) ++r.verified;
  }
  return r;
}

}  // namespace load_gen

#endif  // VITTE_EXAMPLES_LOAD_GEN_HPP
