// echo_server: echoes every byte back, on one thread and one poller.
//
//   build/examples/echo_server 127.0.0.1:7000          serve until killed
//   build/examples/echo_server 127.0.0.1:0 100          stop after 100 connections
//
// Prints the address it listens on (port 0: the OS picks one), then a
// summary when it stops. The loop is examples/echo_loop.hpp.
#include <vitte/sys/net.hpp>

#include <cstdio>
#include <cstdlib>

#include "echo_loop.hpp"

namespace sys = vitte::sys;

int main(int argc, char** argv) {
  const char* where = argc > 1 ? argv[1] : "127.0.0.1:7000";
  std::uint64_t stop_after = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 0;
  auto addr = sys::socket_address::parse(where);
  if (!addr) {
    std::fprintf(stderr, "echo_server: %s: %s\n", where, addr.error().message().c_str());
    return 2;
  }
  auto listener = sys::socket::listen(*addr);
  if (!listener) {
    std::fprintf(stderr, "echo_server: %s\n", listener.error().message().c_str());
    return 1;
  }
  std::printf("listening on %s\n", listener->local_address().value().to_text().c_str());
  std::fflush(stdout);
  echo::stats st = echo::server<>::run(std::move(*listener), stop_after, sys::deadline::never());
  std::printf("connections %llu, shed %llu, bytes %llu, waits %llu, most open %llu\n",
              static_cast<unsigned long long>(st.accepted), static_cast<unsigned long long>(st.shed),
              static_cast<unsigned long long>(st.bytes), static_cast<unsigned long long>(st.waits),
              static_cast<unsigned long long>(st.max_open));
  if (st.first_error) std::printf("first error: %s\n", st.first_error.message().c_str());
  return st.first_error ? 1 : 0;
}
