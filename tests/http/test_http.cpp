// vitte/http: URLs, the strict response parser (byte by byte and whole),
// the client against scripted servers (keep-alive, a server that closes an
// idle connection, one that never answers, chunked bodies both ways,
// redirects, the TLS hook, header splitting, secrets kept out of errors),
// and against a real nginx on the loopback when it is installed.
#include <vitte/http.hpp>
#include <vitte/sys/mutex.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/thread.hpp>

#include <atomic>
#include <cstring>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "print.hpp"
#if !defined(_WIN32) && !defined(VITTE_TEST_CROSS)
#define VITTE_TEST_SERVERS 1
#include "support/servers.hpp"
#endif

namespace http = vitte::http;
namespace sys = vitte::sys;
using vitte::errc;
using namespace std::chrono_literals;

namespace {

vitte::span<const std::byte> bytes_of(const std::string& s) {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}
std::string string_of(vitte::span<const std::byte> b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

struct parsed {
  vitte::error error;
  http::response_head head;
  std::string body;
  std::string problem;
};

// Feeds `wire` in pieces of `step` bytes, then the end of input.
parsed parse(const std::string& wire, std::size_t step = 1 << 20, bool head_request = false,
             http::parser_limits limits = {}) {
  http::response_parser p(limits);
  p.start(head_request);
  parsed out;
  std::size_t at = 0;
  while (!p.done() && at < wire.size()) {
    auto in = bytes_of(wire).subspan(at, std::min(step, wire.size() - at));
    while (!in.empty() && !p.done()) {
      auto s = p.feed(in);
      if (!s) {
        out.error = s.error();
        out.problem = std::string(p.problem());
        return out;
      }
      out.body += string_of(s->body);
      in = in.subspan(s->used);
      at += s->used;
    }
  }
  if (!p.done())
    if (auto ok = p.finish(); !ok) {
      out.error = ok.error();
      out.problem = std::string(p.problem());
      return out;
    }
  out.head = std::move(p.head());
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(url)

BOOST_AUTO_TEST_CASE(parses_and_prints_without_secrets) {
  auto u = http::url::parse("HTTP://user:s3cret@Cache.local:8080/v1/ac?x=1#frag").value();
  BOOST_TEST(u.scheme == "http");
  BOOST_TEST(u.user == "user");
  BOOST_TEST(u.password == "s3cret");
  BOOST_TEST(u.host == "Cache.local");
  BOOST_TEST(u.port == 8080);
  BOOST_TEST(u.target == "/v1/ac?x=1");
  BOOST_TEST(u.to_text() == "http://Cache.local:8080/v1/ac?x=1");
  auto v6 = http::url::parse("http://[::1]:9000").value();
  BOOST_TEST(v6.host == "::1");
  BOOST_TEST(v6.target == "/");
  BOOST_TEST(v6.authority() == "[::1]:9000");
  BOOST_TEST(http::url::parse("https://h").value().port == 443);
  BOOST_TEST(http::url::parse("redis://h/2").value().port == 6379);
  BOOST_TEST(http::url::parse("http://h?q").value().target == "/?q");
  for (const char* bad : {"", "h:80/x", "ftp://h/", "http://", "http://h:0/", "http://h:65536/", "http://h:x/",
                          "http://h /", "http://[::1/", "http://h:/", "http://[0[0]:8/", "http://[abc]/"}) {
    auto r = http::url::parse(bad);
    BOOST_TEST(!r, bad);
    if (!r) BOOST_TEST((r.error().op() == http::ops::url_parse));
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(parser)

BOOST_AUTO_TEST_CASE(content_length_chunked_and_until_close_in_any_pieces) {
  const std::string cl = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A:  b \r\n\r\nhello";
  const std::string ch =
      "HTTP/1.1 201 Created\r\nTransfer-Encoding: "
      "chunked\r\n\r\n5;ext=1\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n"
      "0\r\nX-Trailer: t\r\n\r\n";
  const std::string uc = "HTTP/1.0 200 OK\r\n\r\nuntil the end";
  for (std::size_t step : {std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{1} << 20}) {
    auto a = parse(cl, step);
    BOOST_TEST(!a.error, a.problem);
    BOOST_TEST(a.head.status == 200);
    BOOST_TEST(a.head.reason == "OK");
    BOOST_TEST(a.body == "hello");
    BOOST_TEST(*a.head.find("x-a") == "b");
    BOOST_TEST(a.head.keep_alive);
    BOOST_TEST((a.head.framing == http::body_framing::length));
    auto b = parse(ch, step);
    BOOST_TEST(!b.error, b.problem);
    BOOST_TEST(b.body == "helloabcdefghijklmnopqrstuvwxyz");
    BOOST_TEST(b.head.keep_alive);
    auto c = parse(uc, step);
    BOOST_TEST(!c.error, c.problem);
    BOOST_TEST(c.body == "until the end");
    BOOST_TEST(!c.head.keep_alive);
  }
}

BOOST_AUTO_TEST_CASE(no_body_interim_responses_and_connection_rules) {
  auto h = parse("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", 3, /*head_request=*/true);
  BOOST_TEST(!h.error);
  BOOST_TEST(h.head.content_length == 100u);
  BOOST_TEST((h.head.framing == http::body_framing::none));
  BOOST_TEST(parse("HTTP/1.1 204 No Content\r\n\r\n").head.status == 204);
  BOOST_TEST(parse("HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n").body.empty());
  auto i = parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 4);
  BOOST_TEST(i.head.status == 200);
  BOOST_TEST(i.body == "ok");
  BOOST_TEST(!parse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").head.keep_alive);
  BOOST_TEST(!parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").head.keep_alive);
  BOOST_TEST(parse("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n").head.keep_alive);
  BOOST_TEST(parse("HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\n\r\nabc").body == "abc");
  BOOST_TEST(parse("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n").head.reason == "");
}

BOOST_AUTO_TEST_CASE(refuses_what_could_be_read_two_ways) {
  struct bad_case {
    const char* wire;
    errc kind;
    const char* problem;
  };
  const bad_case cases[] = {
      {"HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\r\n", errc::malformed, "folded header line (obs-fold)"},
      {"HTTP/1.1 200 OK\r\nContent-Length : 1\r\n\r\nx", errc::malformed, "header field name"},
      {"HTTP/1.1 200 OK\r\n: v\r\n\r\n", errc::malformed, "header field without a name"},
      {"HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n", errc::malformed, "control character in a header field value"},
      {"HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n", errc::malformed, "control character in the reason phrase"},
      {"HTTP/2 200 OK\r\n\r\n", errc::malformed, "status line"},
      {"HTTP/1.1 20x OK\r\n\r\n", errc::malformed, "status code"},
      {"HTTP/1.1 099 Low\r\n\r\n", errc::malformed, "status code"},
      {"\r\n\r\n", errc::malformed, "status line"},
      {"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx", errc::malformed, "Content-Length"},
      {"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", errc::malformed, "Content-Length"},
      {"HTTP/1.1 200 OK\r\nContent-Length: 1 2\r\n\r\n", errc::malformed, "Content-Length"},
      {"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", errc::malformed, "Content-Length"},
      {"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", errc::malformed,
       "Content-Length with Transfer-Encoding"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", errc::not_supported,
       "Transfer-Encoding other than chunked"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", errc::malformed,
       "Transfer-Encoding: chunked applied twice"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", errc::malformed, "chunk size"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n", errc::malformed,
       "chunk data not followed by CRLF"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n", errc::malformed,
       "chunk size over 15 hex digits"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\nx", errc::malformed, "chunk-size line without CRLF"},
      {"HTTP/1.1 101 Switching Protocols\r\n\r\n", errc::not_supported, "101 Switching Protocols"},
      {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", errc::unexpected_eof, "connection closed in the body"},
      {"HTTP/1.1 200 OK\r\nContent-Le", errc::unexpected_eof, "connection closed in the response head"},
      {"", errc::unexpected_eof, "connection closed before a response"},
  };
  for (const bad_case& c : cases) {
    for (std::size_t step : {std::size_t{1}, std::size_t{1} << 20}) {
      auto r = parse(c.wire, step);
      BOOST_TEST((r.error.kind() == c.kind), c.wire);
      BOOST_TEST(r.problem == c.problem, c.wire);
      BOOST_TEST((r.error.op() == http::ops::http_parse));
    }
  }
}

BOOST_AUTO_TEST_CASE(limits_bound_memory) {
  http::parser_limits l;
  l.max_head_bytes = 64;
  l.max_fields = 2;
  l.max_body_bytes = 4;
  auto big = parse("HTTP/1.1 200 OK\r\nX: " + std::string(100, 'a') + "\r\n\r\n", 1, false, l);
  BOOST_TEST((big.error.kind() == errc::limit_exceeded));
  BOOST_TEST(big.problem == "response head over the limit");
  auto many = parse("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", 5, false, l);
  BOOST_TEST(many.problem == "too many header fields");
  auto cl = parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 5, false, l);
  BOOST_TEST(cl.problem == "Content-Length over the body limit");
  auto ch =
      parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\nabc\r\n0\r\n\r\n", 5, false, l);
  BOOST_TEST(ch.problem == "chunked body over the body limit");
  auto uc = parse("HTTP/1.1 200 OK\r\n\r\nhello", 50, false, l);
  BOOST_TEST(uc.problem == "body over the body limit");
  auto line = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;" + std::string(5000, 'e'), 100);
  BOOST_TEST(line.problem == "chunk-size line over 4096 bytes");
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

// A scripted server on 127.0.0.1: for each request it receives (head and a
// Content-Length or chunked body), `reply` returns the bytes to send and
// whether to close the connection afterwards. `hang` accepts and never
// answers. Counts connections; keeps every request's raw bytes.
class scripted_server {
 public:
  using reply_fn = std::function<std::pair<std::string, bool>(const std::string& request)>;

  explicit scripted_server(reply_fn reply, bool hang = false) : reply_(std::move(reply)), hang_(hang) {
    listener_ = sys::socket::listen(sys::socket_address::parse("127.0.0.1:0").value()).value();
    port_ = listener_.local_address().value().port();
    thread_ = sys::thread::spawn([this] { run(); }).value();
  }
  ~scripted_server() {
    stop_ = true;
    {
      std::lock_guard<sys::mutex> hold(m_);
      if (current_ != nullptr) (void)current_->shutdown(sys::shutdown_how::both);  // a client may keep it open
    }
    (void)sys::socket::connect_to(sys::socket_address(sys::ip_address::loopback_v4(), port_));
    (void)thread_.join();
  }
  std::string url(const char* path = "/") const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  int connections() const { return connections_.load(); }
  std::vector<std::string> requests() {
    std::lock_guard<sys::mutex> hold(m_);
    return requests_;
  }
  std::uint16_t port() const { return port_; }

 private:
  static bool complete(const std::string& r, std::size_t& length) {
    const std::size_t end = r.find("\r\n\r\n");
    if (end == std::string::npos) return false;
    const std::size_t cl = r.find("Content-Length: ");
    if (cl != std::string::npos && cl < end) {
      length = end + 4 + std::stoul(r.substr(cl + 16));
      return r.size() >= length;
    }
    if (r.find("Transfer-Encoding: chunked") < end) {
      const std::size_t z = r.find("\r\n0\r\n\r\n", end);
      if (z == std::string::npos) return false;
      length = z + 7;
      return true;
    }
    length = end + 4;
    return true;
  }

  void run() {
    std::vector<sys::socket> hung;
    while (!stop_) {
      auto c = listener_.accept();
      if (!c || stop_) break;
      ++connections_;
      if (hang_) {
        hung.push_back(std::move(*c));
        continue;
      }
      {
        std::lock_guard<sys::mutex> hold(m_);
        current_ = &*c;
      }
      serve(*c);
      std::lock_guard<sys::mutex> hold(m_);
      current_ = nullptr;
    }
  }

  void serve(sys::socket& c) {
    std::string in;
    char buf[65536];
    for (;;) {
      auto n = c.receive(vitte::as_writable_bytes(vitte::span<char>(buf, sizeof buf)));
      if (!n || *n == 0) break;
      in.append(buf, *n);
      std::size_t length = 0;
      bool closed = false;
      while (complete(in, length)) {
        const std::string req = in.substr(0, length);
        in.erase(0, length);
        {
          std::lock_guard<sys::mutex> hold(m_);
          requests_.push_back(req);
        }
        auto [out, close] = reply_(req);
        (void)c.send_all(out);
        if (close) {
          closed = true;
          break;
        }
      }
      if (closed) break;
    }
  }

  reply_fn reply_;
  bool hang_;
  sys::socket listener_;
  std::uint16_t port_ = 0;
  sys::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  sys::mutex m_;
  std::vector<std::string> requests_;
  sys::socket* current_ = nullptr;
};

std::pair<std::string, bool> ok_reply(const std::string& body, bool close = false) {
  return {"HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body, close};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(client)

BOOST_AUTO_TEST_CASE(keeps_connections_alive) {
  scripted_server s([](const std::string&) { return ok_reply("pong"); });
  http::client c;
  for (int i = 0; i < 20; ++i) {
    auto r = c.get(s.url("/ping"));
    BOOST_REQUIRE_MESSAGE(r, c.failure().c_str());
    BOOST_TEST(r->status == 200);
    BOOST_TEST(string_of(r->body.span()) == "pong");
  }
  BOOST_TEST(c.connections_opened() == 1u);
  BOOST_TEST(s.connections() == 1);
  const auto reqs = s.requests();
  BOOST_TEST(reqs.size() == 20u);
  BOOST_TEST(reqs[0].rfind("GET /ping HTTP/1.1\r\nHost: 127.0.0.1:", 0) == 0u);
  BOOST_TEST(reqs[0].find("Content-Length") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_connection_the_server_closed_is_replaced) {
  // The server answers "keep-alive" but closes after each response.
  scripted_server s([](const std::string&) { return ok_reply("x", /*close=*/true); });
  http::client c;
  for (int i = 0; i < 5; ++i) {
    auto r = c.put(s.url("/k"), bytes_of("data"));
    BOOST_REQUIRE_MESSAGE(r, c.failure().c_str());
    BOOST_TEST(r->status == 200);
  }
  BOOST_TEST(s.connections() == 5);
  for (const std::string& q : s.requests()) BOOST_TEST(q.substr(q.size() - 4) == "data");
}

BOOST_AUTO_TEST_CASE(a_silent_server_costs_the_timeout_once) {
  scripted_server s([](const std::string&) { return ok_reply(""); }, /*hang=*/true);
  http::client_options o;
  o.timeout = 200ms;
  o.headers.push_back(http::bearer("t0ken-secret"));
  http::client c(std::move(o));
  const std::string u = "http://user:pa55word@127.0.0.1:" + std::to_string(s.port()) + "/ac/1";
  auto r = c.get(u);
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error() == errc::timed_out);
  BOOST_TEST((r.error().op() == http::ops::http_receive));
  const std::string f = c.failure().c_str();
  BOOST_TEST(f.find("GET http://127.0.0.1:" + std::to_string(s.port()) + "/ac/1: ") == 0u, f);
  BOOST_TEST(f.find("timed out") != std::string::npos, f);
  BOOST_TEST(f.find("t0ken") == std::string::npos);
  BOOST_TEST(f.find("pa55word") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(refused_connections_and_statuses_are_named) {
  const std::uint16_t port = [] {
    auto l = sys::socket::listen(sys::socket_address::parse("127.0.0.1:0").value()).value();
    return l.local_address().value().port();
  }();
  http::client_options o;
  o.timeout = 10s;  // Windows retries a refused loopback connection for about 2 s
  http::client c(std::move(o));
  auto r = c.get("http://127.0.0.1:" + std::to_string(port) + "/x");
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error() == errc::connection_refused);
  BOOST_TEST((r.error().op() == http::ops::http_connect));
  BOOST_TEST(std::string(c.failure().c_str()).find("connection refused") != std::string::npos);

  scripted_server s([](const std::string&) {
    return std::pair<std::string, bool>{"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", false};
  });
  http::client c2;  // destroyed before the server: its idle connection closes first
  auto nf = c2.get(s.url("/cas/00"));
  BOOST_REQUIRE(nf);
  BOOST_TEST(nf->status == 404);
  BOOST_TEST(std::string(c2.failure().c_str()) == "GET " + s.url("/cas/00") + ": 404 Not Found");
  BOOST_TEST(http::status_error(404) == errc::not_found);
  BOOST_TEST(http::status_error(507) == errc::no_space);
  BOOST_TEST(http::status_error(503).native() == 503);
}

BOOST_AUTO_TEST_CASE(chunked_both_ways_and_streaming) {
  scripted_server s([](const std::string&) {
    return std::pair<std::string, bool>{
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", false};
  });
  http::client c;
  auto r = c.get(s.url());
  BOOST_REQUIRE_MESSAGE(r, c.failure().c_str());
  BOOST_TEST(string_of(r->body.span()) == "abcde");

  // A request body of unknown length goes chunked; the sink sees the response.
  int pulls = 0;
  std::string got;
  auto h = c.stream(
      http::method::post, s.url("/up"), -1,
      [&](vitte::span<std::byte> out) -> vitte::result<std::size_t> {
        if (pulls++ == 3) return std::size_t{0};
        std::memcpy(out.data(), "xyz", 3);
        return std::size_t{3};
      },
      [&](vitte::span<const std::byte> in) -> vitte::status {
        got += string_of(in);
        return {};
      });
  BOOST_REQUIRE_MESSAGE(h, c.failure().c_str());
  BOOST_TEST(got == "abcde");
  const std::string q = s.requests().back();
  BOOST_TEST(q.find("Transfer-Encoding: chunked\r\n\r\n3\r\nxyz\r\n3\r\nxyz\r\n3\r\nxyz\r\n0\r\n\r\n") !=
             std::string::npos);
  // A source that does not match its announced length is refused.
  auto wrong = c.stream(
      http::method::put, s.url("/up"), 10,
      [&](vitte::span<std::byte>) -> vitte::result<std::size_t> { return std::size_t{0}; },
      [&](vitte::span<const std::byte>) -> vitte::status { return {}; });
  BOOST_TEST(!wrong);
  BOOST_TEST(wrong.error() == errc::invalid_argument);
}

BOOST_AUTO_TEST_CASE(redirects_only_when_asked) {
  scripted_server s([](const std::string& q) {
    if (q.rfind("GET /a ", 0) == 0)
      return std::pair<std::string, bool>{"HTTP/1.1 302 Found\r\nLocation: /b\r\nContent-Length: 0\r\n\r\n", false};
    if (q.rfind("GET /loop ", 0) == 0)
      return std::pair<std::string, bool>{"HTTP/1.1 307 Again\r\nLocation: /loop\r\nContent-Length: 0\r\n\r\n", false};
    return ok_reply("at b");
  });
  http::client plain;
  BOOST_TEST(plain.get(s.url("/a")).value().status == 302);
  plain.close_idle();  // the scripted server serves one connection at a time
  http::client_options o;
  o.follow_redirects = true;
  o.max_redirects = 3;
  http::client follow(std::move(o));
  auto r = follow.get(s.url("/a"));
  BOOST_REQUIRE_MESSAGE(r, follow.failure().c_str());
  BOOST_TEST(string_of(r->body.span()) == "at b");
  auto loop = follow.get(s.url("/loop"));
  BOOST_TEST(!loop);
  BOOST_TEST(loop.error() == errc::limit_exceeded);
  BOOST_TEST((loop.error().op() == http::ops::http_redirect));
}

BOOST_AUTO_TEST_CASE(headers_cannot_split_requests) {
  scripted_server s([](const std::string&) { return ok_reply(""); });
  http::client c;
  const http::header evil[] = {{vitte::text("X-A"), vitte::text("1\r\nX-Injected: 2")}};
  auto r = c.get(s.url(), evil);
  BOOST_TEST(!r);
  BOOST_TEST(r.error() == errc::invalid_argument);
  BOOST_TEST(s.requests().empty());
}

namespace {
struct counting_tls {
  std::atomic<int> opened{0}, sent{0}, received{0}, closed{0};
};
}  // namespace

BOOST_AUTO_TEST_CASE(https_goes_through_the_transport_hook) {
  scripted_server s([](const std::string&) { return ok_reply("secure"); });
  http::client bare;
  const std::string u = "https://127.0.0.1:" + std::to_string(s.port()) + "/";
  auto refused = bare.get(u);
  BOOST_TEST(!refused);
  BOOST_TEST(refused.error() == errc::not_supported);

  // A pass-through "TLS": proves every byte goes through the hook.
  static counting_tls counts;
  http::transport t;
  t.context = &counts;
  t.open = [](void* ctx, sys::native_handle, vitte::text_view host, std::int64_t, void** state) -> vitte::status {
    static_cast<counting_tls*>(ctx)->opened++;
    *state = ctx;
    return host == "127.0.0.1" ? vitte::status{} : vitte::status{vitte::error{errc::invalid_argument}};
  };
  t.send = [](void* st, sys::native_handle h, vitte::span<const std::byte> d,
              std::int64_t) -> vitte::result<std::size_t> {
    static_cast<counting_tls*>(st)->sent += static_cast<int>(d.size());
    sys::socket borrowed(h);
    auto n = borrowed.send(d);
    (void)borrowed.release();
    return n;
  };
  t.receive = [](void* st, sys::native_handle h, vitte::span<std::byte> b, std::int64_t) -> vitte::result<std::size_t> {
    sys::socket borrowed(h);
    auto n = borrowed.receive(b);
    (void)borrowed.release();
    if (n) static_cast<counting_tls*>(st)->received += static_cast<int>(*n);
    return n;
  };
  t.close = [](void* st) { static_cast<counting_tls*>(st)->closed++; };
  http::client_options o;
  o.tls = &t;
  {
    http::client c(std::move(o));
    auto r = c.get(u);
    BOOST_REQUIRE_MESSAGE(r, c.failure().c_str());
    BOOST_TEST(string_of(r->body.span()) == "secure");
  }
  BOOST_TEST(counts.opened.load() == 1);
  BOOST_TEST(counts.sent.load() > 0);
  BOOST_TEST(counts.received.load() > 0);
  BOOST_TEST(counts.closed.load() == 1);
}

BOOST_AUTO_TEST_SUITE_END()

#if VITTE_TEST_SERVERS
BOOST_AUTO_TEST_SUITE(nginx)

BOOST_AUTO_TEST_CASE(round_trips_against_a_real_server) {
  auto dir = sys::temp_directory::create().value();
  auto server = vitte_test::nginx_server::start(dir.path().c_str());
  if (!server) {
    BOOST_TEST_MESSAGE("skipped: " << vitte_test::nginx_server::why());
    return;
  }
  http::client c;
  std::string big(3 << 20, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7 + (i >> 9));
  const std::string u = server->url() + "/cas/ab/blob";
  auto put = c.put(u, bytes_of(big));
  BOOST_REQUIRE_MESSAGE(put, c.failure().c_str());
  BOOST_TEST((put->status == 201 || put->status == 204), put->status);
  auto get = c.get(u);
  BOOST_REQUIRE_MESSAGE(get, c.failure().c_str());
  BOOST_TEST(get->status == 200);
  BOOST_TEST((string_of(get->body.span()) == big));
  auto head = c.head(u);
  BOOST_REQUIRE(head);
  BOOST_TEST(head->content_length == big.size());
  BOOST_TEST(head->body.empty());
  // Streaming download into a sink, in pieces.
  std::size_t streamed = 0;
  auto st = c.stream(
      http::method::get, u, 0, [](vitte::span<std::byte>) -> vitte::result<std::size_t> { return std::size_t{0}; },
      [&](vitte::span<const std::byte> in) -> vitte::status {
        BOOST_CHECK(std::memcmp(in.data(), big.data() + streamed, in.size()) == 0);
        streamed += in.size();
        return {};
      });
  BOOST_REQUIRE(st);
  BOOST_TEST(streamed == big.size());
  BOOST_TEST(c.remove(u).value().status == 204);
  auto gone = c.get(u);
  BOOST_TEST(gone.value().status == 404);
  BOOST_TEST(std::string(c.failure().c_str()).find(": 404 Not Found") != std::string::npos);
  BOOST_TEST(c.connections_opened() == 1u);  // every request above on one connection
}

BOOST_AUTO_TEST_SUITE_END()
#endif
