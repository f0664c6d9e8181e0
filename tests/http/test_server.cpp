// vitte/http/server.hpp against hostile clients: GET and HEAD served, other
// methods 405, unknown paths (traversals among them) 404, heads too long
// 431, a bare LF, a bad request line or a body 400, HTTP/2 505, a client
// that sends a byte at a time and never ends its head 408 and closed, more
// connections than allowed closed at once while the server keeps serving,
// and no address but loopback without asking; a server that listens first
// and serves later. The request parser alone,
// fed byte by byte. Its fuzz target: fuzz/fuzz_http_server.cpp.
#include <vitte/http/server.hpp>
#include <vitte/sys/net.hpp>
#include <vitte/sys/time.hpp>

#include <chrono>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

namespace http = vitte::http;
namespace sys = vitte::sys;
using namespace std::chrono_literals;

namespace {

http::server serve(http::server_options o = {}) {
  return http::server::start(o,
                             [](const http::request& r) {
                               if (r.path == "/") return http::reply(200, "text/html; charset=utf-8", "<p>page</p>");
                               if (r.path == "/api") {
                                 vitte::text body("from=");
                                 body.append(r.query_value("from"));
                                 return http::reply(200, "text/plain", body);
                               }
                               return http::reply(404, "text/plain", "not found\n");
                             })
      .value();
}

sys::socket connect(const http::server& s) {
  return sys::socket::connect_to(sys::socket_address(sys::ip_address::loopback_v4(), s.port()),
                                 sys::deadline::after(2s))
      .value();
}

// Everything the server sends until it closes (or 5 s pass).
std::string drain(sys::socket& c) {
  std::string out;
  char buf[4096];
  const auto d = sys::deadline::after(5s);
  while (!d.expired()) {
    auto ready = c.wait(sys::io_events::readable, d);
    if (!ready) break;
    auto n = c.receive(vitte::as_writable_bytes(vitte::span<char>(buf, sizeof buf)));
    if (!n || *n == 0) break;
    out.append(buf, *n);
  }
  return out;
}

std::string ask(const http::server& s, const std::string& request) {
  sys::socket c = connect(s);
  (void)c.send_all(vitte::text_view(request), sys::deadline::after(2s));
  return drain(c);
}

std::string status_line(const std::string& reply) { return reply.substr(0, reply.find("\r\n")); }

}  // namespace

BOOST_AUTO_TEST_SUITE(http_server)

BOOST_AUTO_TEST_CASE(get_and_head_are_served_and_nothing_else) {
  http::server s = serve();
  const std::string page = ask(s, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  BOOST_TEST(status_line(page) == "HTTP/1.1 200 OK");
  BOOST_TEST(page.find("Content-Length: 11\r\n") != std::string::npos);
  BOOST_TEST(page.find("Connection: close\r\n") != std::string::npos);
  BOOST_TEST(page.substr(page.size() - 11) == "<p>page</p>");
  const std::string head = ask(s, "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
  BOOST_TEST(status_line(head) == "HTTP/1.1 200 OK");
  BOOST_TEST(head.substr(head.size() - 4) == "\r\n\r\n");  // no body
  BOOST_TEST(ask(s, "GET /api?x=1&from=42 HTTP/1.1\r\n\r\n").find("from=42") != std::string::npos);
  for (const char* m : {"POST", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE"}) {
    const std::string r = ask(s, std::string(m) + " / HTTP/1.1\r\nHost: x\r\n\r\n");
    BOOST_TEST(status_line(r) == "HTTP/1.1 405 Method Not Allowed");
    BOOST_TEST(r.find("Allow: GET, HEAD\r\n") != std::string::npos);
  }
  for (const char* path : {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "//etc/passwd", "/index.html/../..",
                           "/api/../../x", "/nothing"})
    BOOST_TEST(status_line(ask(s, std::string("GET ") + path + " HTTP/1.1\r\n\r\n")) == "HTTP/1.1 404 Not Found");
  BOOST_TEST(s.stats().requests == 9u);
}

BOOST_AUTO_TEST_CASE(malformed_and_oversized_requests_are_refused) {
  http::server s = serve();
  BOOST_TEST(status_line(ask(s, "GET / HTTP/1.1\nHost: x\n\n")) == "HTTP/1.1 400 Bad Request");
  BOOST_TEST(status_line(ask(s, "GET / HTTP/2.0\r\n\r\n")) == "HTTP/1.1 505 HTTP Version Not Supported");
  BOOST_TEST(status_line(ask(s, "GET http://evil/ HTTP/1.1\r\n\r\n")) == "HTTP/1.1 400 Bad Request");
  BOOST_TEST(status_line(ask(s, "GET / HTTP/1.1\r\nX: a\r\n  folded\r\n\r\n")) == "HTTP/1.1 400 Bad Request");
  BOOST_TEST(status_line(ask(s, "GET / HTTP/1.1\r\nBad Name: a\r\n\r\n")) == "HTTP/1.1 400 Bad Request");
  BOOST_TEST(status_line(ask(s, "GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello")) == "HTTP/1.1 400 Bad Request");
  BOOST_TEST(status_line(ask(s, "GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")) == "HTTP/1.1 400 Bad Request");
  // A TLS ClientHello: refused at its first byte, not after a head that never comes.
  BOOST_TEST(status_line(ask(s, std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11))) ==
             "HTTP/1.1 400 Bad Request");
  // 1 MiB of header: refused at the limit, long before it is all sent.
  sys::socket c = connect(s);
  std::string huge = "GET / HTTP/1.1\r\nX-Big: " + std::string(1 << 20, 'a') + "\r\n\r\n";
  (void)c.send_all(vitte::text_view(huge), sys::deadline::after(2s));  // the server stops reading: may time out
  BOOST_TEST(status_line(drain(c)) == "HTTP/1.1 431 Request Header Fields Too Large");
  std::string many = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 100; ++i) many += "X" + std::to_string(i) + ": 1\r\n";
  BOOST_TEST(status_line(ask(s, many + "\r\n")) == "HTTP/1.1 431 Request Header Fields Too Large");
  BOOST_TEST(s.stats().refused == 10u);
  // Still serving.
  BOOST_TEST(status_line(ask(s, "GET / HTTP/1.1\r\n\r\n")) == "HTTP/1.1 200 OK");
}

BOOST_AUTO_TEST_CASE(a_slow_client_is_cut_off_and_the_rest_are_served) {
  http::server_options o;
  o.request_time = 400ms;
  o.max_connections = 4;
  http::server s = serve(o);
  // Slowloris: a byte every 100 ms, never the end of the head.
  sys::socket slow = connect(s);
  const auto t0 = sys::monotonic_clock::now();
  std::string got;
  for (int i = 0; i < 30 && got.empty(); ++i) {
    (void)slow.send_all(vitte::text_view("X"), sys::deadline::after(1s));
    if (slow.wait(sys::io_events::readable, sys::deadline::after(100ms))) got = drain(slow);
  }
  BOOST_TEST(status_line(got) == "HTTP/1.1 408 Request Timeout");
  BOOST_TEST((sys::monotonic_clock::now() - t0) < 2s);
  (void)slow.close();
  // Four idle connections take every place: a fifth is closed at once, and
  // once they time out the server answers again.
  std::vector<sys::socket> idle;
  for (int i = 0; i < 4; ++i) idle.push_back(connect(s));
  sys::socket fifth = connect(s);
  (void)fifth.send_all(vitte::text_view("GET / HTTP/1.1\r\n\r\n"), sys::deadline::after(1s));
  const std::string shed = drain(fifth);
  BOOST_TEST((shed.empty() || status_line(shed) == "HTTP/1.1 408 Request Timeout"));
  for (sys::socket& i : idle) {
    BOOST_TEST(status_line(drain(i)) == "HTTP/1.1 408 Request Timeout");
    (void)i.close();
  }
  BOOST_TEST(status_line(ask(s, "GET / HTTP/1.1\r\n\r\n")) == "HTTP/1.1 200 OK");
  BOOST_TEST(s.stats().shed >= 1u);
}

// serve_later: the port is bound and a client's connection waits in the
// backlog until serve(); waiting() sees it; a server stopped without ever
// serving refuses clients and cannot be started again.
BOOST_AUTO_TEST_CASE(a_server_may_listen_first_and_serve_later) {
  http::server_options o;
  o.serve_later = true;
  http::server s = serve(o);
  BOOST_TEST(s.port() != 0);
  BOOST_TEST(!s.serving());
  BOOST_TEST(!s.waiting());
  sys::socket c = connect(s);
  BOOST_REQUIRE(c.send_all(vitte::text_view("GET /api?from=7 HTTP/1.1\r\n\r\n"), sys::deadline::after(2s)));
  const auto d = sys::deadline::after(5s);
  while (!s.waiting() && !d.expired()) (void)sys::sleep_for(1ms);
  BOOST_TEST(s.waiting());
  BOOST_TEST(s.stats().requests == 0u);
  BOOST_REQUIRE(s.serve());
  BOOST_TEST(s.serving());
  BOOST_TEST(!s.waiting());
  BOOST_REQUIRE(s.serve());  // once is enough
  const std::string reply = drain(c);
  BOOST_TEST(status_line(reply) == "HTTP/1.1 200 OK");
  BOOST_TEST(reply.substr(reply.size() - 6) == "from=7");
  BOOST_TEST(status_line(ask(s, "GET / HTTP/1.1\r\n\r\n")) == "HTTP/1.1 200 OK");
  s.stop();
  BOOST_TEST(!s.serving());
  BOOST_TEST(!sys::socket::connect_to(sys::socket_address(sys::ip_address::loopback_v4(), s.port()),
                                      sys::deadline::after(2s)));

  http::server never = serve(o);
  const std::uint16_t port = never.port();
  never.stop();
  BOOST_TEST((never.serve().error().kind() == vitte::errc::invalid_argument));
  BOOST_TEST(
      !sys::socket::connect_to(sys::socket_address(sys::ip_address::loopback_v4(), port), sys::deadline::after(2s)));
}

BOOST_AUTO_TEST_CASE(only_loopback_unless_asked) {
  http::server_options o;
  o.address = "0.0.0.0";
  auto s = http::server::start(o, [](const http::request&) { return http::reply(); });
  BOOST_TEST(!s);
  BOOST_TEST((s.error().kind() == vitte::errc::invalid_argument));
  o.address = "::1";
  auto v6 = http::server::start(o, [](const http::request&) { return http::reply(); });
  if (v6) BOOST_TEST(v6->port() != 0);  // IPv6 loopback, where the machine has it
}

BOOST_AUTO_TEST_CASE(the_parser_takes_a_head_in_any_pieces) {
  const std::string req = "GET /a/b?from=3 HTTP/1.1\r\nHost: example\r\nAccept: */*\r\n\r\nleftover";
  for (std::size_t piece = 1; piece <= req.size(); ++piece) {
    http::request_parser p;
    std::size_t at = 0;
    while (!p.done() && at < req.size()) {
      const std::size_t n = std::min(piece, req.size() - at);
      auto used = p.feed(vitte::as_bytes(vitte::span<const char>(req.data() + at, n)));
      BOOST_REQUIRE(used);
      at += *used;
    }
    BOOST_REQUIRE(p.done());
    BOOST_TEST(at == req.size() - 8);  // the head only
    BOOST_TEST(std::string(p.head().path.view()) == "/a/b");
    BOOST_TEST(std::string(p.head().query_value("from")) == "3");
    BOOST_TEST(std::string(p.head().field("host")) == "example");
    BOOST_TEST(p.head().fields.size() == 2u);
  }
}

// What a body would be: every Content-Length is read (an empty one, a
// second that disagrees with the first), any Transfer-Encoding refuses; a
// request may start after empty lines.
BOOST_AUTO_TEST_CASE(every_body_field_is_read_not_only_the_first) {
  const auto refusal = [](const std::string& head) {
    http::request_parser p;
    auto used = p.feed(vitte::as_bytes(vitte::span<const char>(head.data(), head.size())));
    return used ? (p.done() ? 0 : -1) : p.refusal();
  };
  BOOST_TEST(refusal("GET / HTTP/1.1\r\nContent-Length: 0\r\n\r\n") == 0);
  BOOST_TEST(refusal("GET / HTTP/1.1\r\nContent-Length: 0\r\nContent-Length: 5\r\n\r\n") == 400);
  BOOST_TEST(refusal("GET / HTTP/1.1\r\ncontent-length: 0\r\nCONTENT-LENGTH: 0x5\r\n\r\n") == 400);
  BOOST_TEST(refusal("GET / HTTP/1.1\r\nContent-Length:\r\n\r\n") == 400);
  BOOST_TEST(refusal("GET / HTTP/1.1\r\nContent-Length: -0\r\n\r\n") == 400);
  BOOST_TEST(refusal("GET / HTTP/1.1\r\nTransfer-Encoding:\r\n\r\n") == 400);
  BOOST_TEST(refusal("GET / HTTP/1.1\r\nX: 1\r\ntransfer-encoding: identity\r\n\r\n") == 400);
  BOOST_TEST(refusal("\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n") == 0);
}

BOOST_AUTO_TEST_SUITE_END()
