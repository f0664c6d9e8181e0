// bench/bench_http: keep-alive request latency on the loopback against a
// real nginx started here (skipped, saying why, when nginx is absent):
// vitte's client, a raw socket doing the same exchange (the floor), and the
// curl program fetching the same URL N times over one connection (N large
// enough that starting curl is a small share; curl absent: no line).
#include <vitte/http/client.hpp>
#include <vitte/sys/temp.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "harness.hpp"
#include "support/servers.hpp"

namespace http = vitte::http;
namespace sys = vitte::sys;

int main() {
  auto dir = sys::temp_directory::create().value();
  auto server = vitte_test::nginx_server::start(std::string(dir.path().c_str()) + "/nginx");
  if (!server) {
    std::fprintf(stderr, "bench_http: skipped: %s\n", vitte_test::nginx_server::why().c_str());
    return 0;
  }
  const std::string body(1024, 'x');
  const std::string url = server->url() + "/obj";
  http::client c;
  if (!c.put(url.c_str(), {reinterpret_cast<const std::byte*>(body.data()), body.size()})) return 1;

  auto raw = sys::socket::connect_to(sys::socket_address(sys::ip_address::loopback_v4(), server->port())).value();
  (void)raw.set_option(sys::socket_option::no_delay, 1);
  const std::string request = "GET /obj HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  char buf[8192];

  const std::string curl = vitte_test::find_server("curl");
  const std::string config = std::string(dir.path().c_str()) + "/curl.conf";
  const std::uint64_t batch = 400;
  {
    std::string lines;
    for (std::uint64_t i = 0; i < batch; ++i) lines += "url = \"" + url + "\"\noutput = \"/dev/null\"\n";
    (void)sys::write_file(config.c_str(), lines);
  }

  bench::suite s{"http.get_1k_keepalive"};
  s.batch_size(batch);
  s.add("vitte", [&] { return c.get(url.c_str()).value().body.size(); });
  s.add("raw_socket", [&] {
    (void)raw.send_all(request);
    std::size_t got = 0;
    std::string head;
    for (;;) {
      auto n = raw.receive(vitte::as_writable_bytes(vitte::span<char>(buf, sizeof buf))).value();
      head.append(buf, n);
      const std::size_t end = head.find("\r\n\r\n");
      if (end != std::string::npos && head.size() - end - 4 >= body.size()) {
        got = head.size();
        break;
      }
    }
    return got;
  });
  if (!curl.empty())
    s.add_batch("curl", [&](std::uint64_t n) {
      (void)n;  // the config holds `batch` URLs
      auto r = sys::command(vitte::text(curl.c_str())).args({"-s", "-K", config.c_str()}).run();
      if (!r || !r->success()) std::abort();
    });
  s.run();
  return 0;
}
