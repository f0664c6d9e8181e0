// echo_client: sends a message to an echo server and prints what comes back.
//
//   build/examples/echo_client 127.0.0.1:7000 "hello"
#include <vitte/sys/net.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <span>
#include <string>

namespace sys = vitte::sys;
using namespace std::chrono_literals;

int main(int argc, char** argv) {
  const char* where = argc > 1 ? argv[1] : "127.0.0.1:7000";
  std::string message = argc > 2 ? argv[2] : "hello, vitte";
  auto addr = sys::socket_address::parse(where);
  if (!addr) {
    std::fprintf(stderr, "echo_client: %s: %s\n", where, addr.error().message().c_str());
    return 2;
  }
  auto d = sys::deadline::after(5s);
  auto s = sys::socket::connect_to(*addr, d);
  if (!s) {
    std::fprintf(stderr, "echo_client: %s\n", s.error().message().c_str());
    return 1;
  }
  std::string back(message.size(), '\0');
  auto sent = s->send_all(message, d);
  auto got = sent ? s->receive_exact(std::as_writable_bytes(std::span(back)), d) : sent;
  if (!got) {
    std::fprintf(stderr, "echo_client: %s\n", got.error().message().c_str());
    return 1;
  }
  std::printf("%s\n", back.c_str());
  return back == message ? 0 : 1;
}
