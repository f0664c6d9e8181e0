// load_gen: opens many connections to an echo server at once, sends each a
// random payload and checks the echo byte for byte (examples/load_gen.hpp).
//
//   build/examples/echo_server 127.0.0.1:7000 &
//   build/examples/load_gen 127.0.0.1:7000 10000 4096
//
// Prints one JSON line: connections, verified, bytes, checksum, seconds.
#include "load_gen.hpp"

#include <vitte/sys/net.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace sys = vitte::sys;
using namespace std::chrono_literals;

int main(int argc, char** argv) {
  const char* where = argc > 1 ? argv[1] : "127.0.0.1:7000";
  std::size_t count = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1000;
  std::size_t max_payload = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 4096;
  auto addr = sys::socket_address::parse(where);
  if (!addr || count == 0 || max_payload == 0) {
    std::fprintf(stderr, "usage: load_gen ADDRESS:PORT [CONNECTIONS [MAX_PAYLOAD]]\n");
    return 2;
  }
  auto t0 = sys::monotonic_clock::now();
  load_gen::report r = load_gen::run_load(*addr, count, max_payload, 2026, sys::deadline::after(120s));
  double secs = std::chrono::duration<double>(sys::monotonic_clock::now() - t0).count();
  std::printf("{\"connections\": %llu, \"verified\": %llu, \"bytes\": %llu, \"checksum\": %llu, \"seconds\": %.3f}\n",
              static_cast<unsigned long long>(r.connected), static_cast<unsigned long long>(r.verified),
              static_cast<unsigned long long>(r.bytes), static_cast<unsigned long long>(r.checksum), secs);
  if (r.first_error) std::fprintf(stderr, "load_gen: %s\n", r.first_error.message().c_str());
  return r.verified == count ? 0 : 1;
}
