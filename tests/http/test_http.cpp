// vitte/http: URLs, the strict response parser (byte by byte and whole),
// the client against scripted servers (keep-alive, a server that closes an
// idle connection, one that never answers, chunked bodies both ways,
// redirects, the TLS hook, header splitting, secrets kept out of errors),
// and against a real nginx on the loopback when it is installed.
#include <vitte/http.hpp>
#include <vitte/sys/mutex.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/thread.hpp>
#include <vitte/sys/time.hpp>

#include <atomic>
#include <cctype>
#include <cstring>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "print.hpp"
#include "support/scripted_server.hpp"
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
  vitte::diagnostic why;
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
        out.why = p.describe();
        out.problem = std::string(p.describe().message());
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
      out.why = p.describe();
      out.problem = std::string(p.describe().message());
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

BOOST_AUTO_TEST_CASE(references_resolve_as_rfc_3986_says) {
  // RFC 3986 section 5.4: the normal and abnormal examples (with an http base).
  const http::url base = http::url::parse("http://a/b/c/d;p?q").value();
  const std::pair<const char*, const char*> cases[] = {
      {"g", "http://a/b/c/g"},       {"./g", "http://a/b/c/g"},    {"g/", "http://a/b/c/g/"},
      {"/g", "http://a/g"},          {"//g", "http://g/"},         {"?y", "http://a/b/c/d;p?y"},
      {"g?y", "http://a/b/c/g?y"},   {"#s", "http://a/b/c/d;p?q"}, {"g#s", "http://a/b/c/g"},
      {";x", "http://a/b/c/;x"},     {"", "http://a/b/c/d;p?q"},   {".", "http://a/b/c/"},
      {"./", "http://a/b/c/"},       {"..", "http://a/b/"},        {"../", "http://a/b/"},
      {"../g", "http://a/b/g"},      {"../..", "http://a/"},       {"../../g", "http://a/g"},
      {"../../../g", "http://a/g"},  {"/./g", "http://a/g"},       {"/../g", "http://a/g"},
      {"g.", "http://a/b/c/g."},     {"..g", "http://a/b/c/..g"},  {"./../g", "http://a/b/g"},
      {"g/./h", "http://a/b/c/g/h"}, {"g/../h", "http://a/b/c/h"}, {"https://x:8443/y", "https://x:8443/y"},
  };
  for (auto [ref, want] : cases) {
    auto r = base.resolve(ref);
    BOOST_REQUIRE_MESSAGE(r.has_value(), ref);
    BOOST_TEST(std::string(r->to_text().view()) == want, ref);
  }
  const http::url with_user = http::url::parse("http://u:secret@a/b").value();
  BOOST_TEST(std::string(with_user.resolve("c").value().password.view()) == "secret");  // same origin
  BOOST_TEST(with_user.resolve("http://other/").value().password.empty());              // not another's
  BOOST_TEST(!base.resolve("ftp://x/").has_value());
  BOOST_TEST(base.same_origin(base.resolve("/z").value()));
  BOOST_TEST(!base.same_origin(base.resolve("http://a:81/").value()));
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
      {"HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n", errc::malformed, "bare LF line ending (CRLF required)"},
      {"HTTP/1.1 200 OK\nContent-Length: 0\n\n", errc::malformed, "bare LF line ending (CRLF required)"},
      {"HTTP/1.1 200 OK\r\nX: 1\nContent-Length: 0\r\n\r\n", errc::malformed, "bare LF line ending (CRLF required)"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: 1\n\r\n", errc::malformed,
       "bare LF line ending (CRLF required)"},
      {"HTTP/2 200 OK\r\n\r\n", errc::version_mismatch, "not an HTTP/1.x response"},
      {"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", errc::version_mismatch, "not an HTTP/1.x response"},
      {"hello, world\n", errc::version_mismatch, "not an HTTP/1.x response"},
      {"http/1.1 200 OK\r\n\r\n", errc::version_mismatch, "not an HTTP/1.x response"},
      {"HTTP/1.1 200OK\r\n", errc::malformed, "status line"},
      {"HTTP/1.1 20x OK\r\n\r\n", errc::malformed, "status code"},
      {"HTTP/1.1 099 Low\r\n\r\n", errc::malformed, "status code"},
      {"\r\n\r\n", errc::version_mismatch, "not an HTTP/1.x response"},
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
    std::uint64_t where = 0;
    for (std::size_t step : {std::size_t{1}, std::size_t{1} << 20}) {
      auto r = parse(c.wire, step);
      BOOST_TEST((r.error.kind() == c.kind), c.wire);
      BOOST_TEST(r.problem == c.problem, c.wire);
      BOOST_TEST((r.error.op() == http::ops::http_parse));
      // The diagnostic is whole where the parser made it: the kind of the
      // error, and a position that does not depend on how the bytes came.
      BOOST_TEST((r.why.kind() == c.kind), c.wire);
      BOOST_TEST(r.why.has_offset(), c.wire);
      BOOST_TEST(r.why.offset() <= std::strlen(c.wire), c.wire);
      if (step == 1) where = r.why.offset();
      BOOST_TEST(r.why.offset() == where, c.wire);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_problem_is_placed_where_it_is) {
  struct placed {
    const char* wire;
    std::uint64_t offset;
  };
  const placed cases[] = {
      {"HTTP/2 200 OK\r\n\r\n", 5},                                              // the '2'
      {"HTTP/1.1 200 OK\r\nX: 1\nContent-Length: 0\r\n\r\n", 21},                // the bare LF
      {"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", 17},                     // the field's line
      {"HTTP/1.1 200 OK\r\nA: 1\r\nContent-Length : 1\r\n\r\nx", 23},            // the second field
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n", 51},  // the 'b'
      {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", 44},                // where the input ended
  };
  for (const placed& c : cases) {
    auto r = parse(c.wire, 3);
    BOOST_TEST(r.error, c.wire);
    BOOST_TEST(r.why.offset() == c.offset, c.wire);
  }
  const vitte::diagnostic d = vitte::diagnostic(parse(cases[2].wire).why).about("http://example.test/");
  const vitte::diagnostic_line l = d.format();
  BOOST_TEST(std::string(l.view()) == "http://example.test/: at offset 0x11: Content-Length");
  auto big = parse("HTTP/1.1 200 OK\r\nX: " + std::string(100, 'a') + "\r\n\r\n", 7, false, [] {
    http::parser_limits l;
    l.max_head_bytes = 64;
    return l;
  }());
  BOOST_TEST(big.why.offset() == 64u);  // the first byte over the limit
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

using vitte_test::scripted_server;

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

namespace {

// A server on 127.0.0.1 that hands each connection, on a thread of its
// own, to `serve`, which does what it likes with it (read part of a
// request, answer early, stop reading); `stopping` turns true when the
// test ends.
class raw_server {
 public:
  using serve_fn = std::function<void(sys::socket&, const std::atomic<bool>& stopping)>;
  explicit raw_server(serve_fn serve) : serve_(std::move(serve)) {
    listener_ = sys::socket::listen(sys::socket_address::parse("127.0.0.1:0").value()).value();
    port_ = listener_.local_address().value().port();
    thread_ = sys::thread::spawn([this] {
                for (;;) {
                  auto c = listener_.accept();
                  if (!c || stop_) break;
                  auto t = sys::thread::spawn([this, s = std::move(*c)]() mutable { serve_(s, stop_); });
                  std::lock_guard<sys::mutex> hold(m_);
                  if (t) serving_.push_back(std::move(*t));
                }
              }).value();
  }
  ~raw_server() {
    stop_ = true;
    (void)sys::socket::connect_to(sys::socket_address(sys::ip_address::loopback_v4(), port_));
    (void)thread_.join();
    for (sys::thread& t : serving_) (void)t.join();
  }
  std::string url(const char* path = "/") const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

 private:
  serve_fn serve_;
  sys::socket listener_;
  std::uint16_t port_ = 0;
  sys::thread thread_;
  std::atomic<bool> stop_{false};
  sys::mutex m_;
  std::vector<sys::thread> serving_;
};

// Reads until the end of a request head (and returns it, with what followed).
std::string read_head(sys::socket& c) {
  std::string in;
  char buf[4096];
  while (in.find("\r\n\r\n") == std::string::npos) {
    auto n = c.receive(vitte::as_writable_bytes(vitte::span<char>(buf, sizeof buf)));
    if (!n || *n == 0) break;
    in.append(buf, *n);
  }
  return in;
}

void idle_until(const std::atomic<bool>& stopping) {
  while (!stopping) sys::sleep_for(10ms).value();
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

const std::string big_body(32u << 20, 'u');  // more than loopback buffers hold (several MiB)

}  // namespace

BOOST_AUTO_TEST_CASE(an_upload_to_a_server_that_stops_reading_ends_at_the_deadline) {
  scripted_server s([](const std::string&) { return ok_reply(""); }, /*hang=*/true);  // accepts, never reads
  const auto deadline = 1500ms;
  http::client_options o;
  o.timeout = deadline;
  http::client c(std::move(o));
  const auto t0 = std::chrono::steady_clock::now();
  auto r = c.put(s.url("/cas/big"), bytes_of(big_body));
  const double took = seconds_since(t0);
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error() == errc::timed_out);
  BOOST_TEST((r.error().op() == http::ops::http_send));
  // The promise: the deadline the test chose, within 10%.
  const double want = std::chrono::duration<double>(deadline).count();
  BOOST_TEST(took >= want * 0.9, took);
  BOOST_TEST(took <= want * 1.1, took);
  BOOST_TEST_MESSAGE("upload to a server that stops reading: deadline " << want << " s, failed after " << took << " s");
  BOOST_TEST(std::string(c.failure().c_str()).find("PUT " + s.url("/cas/big") + ": http_send: timed out") == 0u,
             c.failure().c_str());
}

BOOST_AUTO_TEST_CASE(a_peer_that_never_stops_sending_ends_at_the_deadline) {
  // An endless chunked body at full speed: the deadline bounds it too.
  raw_server endless([](sys::socket& c, const std::atomic<bool>& stopping) {
    (void)read_head(c);
    std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    (void)c.send_all(vitte::as_bytes(vitte::span<const char>(head.data(), head.size())));
    const std::string chunk = "4000\r\n" + std::string(0x4000, 'z') + "\r\n";
    while (!stopping)
      if (!c.send_all(vitte::as_bytes(vitte::span<const char>(chunk.data(), chunk.size())))) break;
  });
  const auto deadline = 1000ms;
  http::client_options o;
  o.timeout = deadline;
  o.limits.max_body_bytes = UINT64_MAX;  // only the deadline ends it
  http::client c(std::move(o));
  const auto t0 = std::chrono::steady_clock::now();
  // Streamed to a sink that keeps nothing: the time measured is the
  // client's, not that of growing a buffer of hundreds of MiB.
  auto r = c.stream(
      http::method::get, endless.url("/endless"), 0,
      [](vitte::span<std::byte>) -> vitte::result<std::size_t> { return std::size_t{0}; },
      [](vitte::span<const std::byte>) -> vitte::status { return {}; });
  const double took = seconds_since(t0);
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error() == errc::timed_out);
  BOOST_TEST(took >= 0.9, took);
  BOOST_TEST(took <= 1.1, took);
  // A flood of interim responses: refused after parser_limits::max_interim.
  raw_server flood([](sys::socket& c, const std::atomic<bool>& stopping) {
    (void)read_head(c);
    const std::string interim = "HTTP/1.1 100 Continue\r\n\r\n";
    while (!stopping)
      if (!c.send_all(vitte::as_bytes(vitte::span<const char>(interim.data(), interim.size())))) break;
  });
  http::client_options fo;
  fo.timeout = deadline;
  http::client fc(std::move(fo));
  const auto t1 = std::chrono::steady_clock::now();
  auto f = fc.get(flood.url("/flood"));
  BOOST_REQUIRE(!f);
  BOOST_TEST(f.error() == errc::limit_exceeded);
  BOOST_TEST(seconds_since(t1) <= 1.1);
}

BOOST_AUTO_TEST_CASE(an_early_answer_during_an_upload_is_the_response) {
  // The server reads the head, answers 413 and stops reading.
  raw_server s([](sys::socket& c, const std::atomic<bool>& stopping) {
    read_head(c);
    (void)c.send_all("HTTP/1.1 413 Payload Too Large\r\nContent-Length: 8\r\nConnection: close\r\n\r\ntoo big!");
    idle_until(stopping);
  });
  http::client_options o;
  o.timeout = 10s;
  http::client c(std::move(o));
  const auto t0 = std::chrono::steady_clock::now();
  auto r = c.put(s.url("/cas/big"), bytes_of(big_body));
  BOOST_REQUIRE_MESSAGE(r, c.failure().c_str());
  BOOST_TEST(seconds_since(t0) < 5.0);
  BOOST_TEST(r->status == 413);
  BOOST_TEST(string_of(r->body.span()) == "too big!");
  BOOST_TEST(std::string(c.failure().c_str()) == "PUT " + s.url("/cas/big") + ": 413 Payload Too Large");
  BOOST_TEST(c.idle_connections() == 0u);  // the body was cut: never reused

  // Streaming: the sink sees the early body too.
  std::string got;
  std::size_t pulled = 0;
  auto h = c.stream(
      http::method::put, s.url("/cas/big"), static_cast<std::int64_t>(big_body.size()),
      [&](vitte::span<std::byte> out) -> vitte::result<std::size_t> {
        const std::size_t n = std::min(out.size(), big_body.size() - pulled);
        std::memcpy(out.data(), big_body.data() + pulled, n);
        pulled += n;
        return n;
      },
      [&](vitte::span<const std::byte> in) -> vitte::status {
        got += string_of(in);
        return {};
      });
  BOOST_REQUIRE_MESSAGE(h, c.failure().c_str());
  BOOST_TEST(h->status == 413);
  BOOST_TEST(got == "too big!");
  BOOST_TEST(pulled < big_body.size());
}

BOOST_AUTO_TEST_CASE(expect_100_continue) {
  // A server that honours Expect: 100 Continue, or refuses (401) without
  // reading the body, or ignores Expect; records what it saw.
  std::atomic<int> mode{0};
  std::atomic<bool> saw_expect{false};
  std::atomic<std::size_t> body_bytes{0};
  std::atomic<bool> refused_counted{false};
  raw_server s([&](sys::socket& c, const std::atomic<bool>& stopping) {
    std::string in = read_head(c);
    const std::size_t end = in.find("\r\n\r\n");
    if (end == std::string::npos) return;
    saw_expect = in.substr(0, end + 2).find("\r\nExpect: 100-continue\r\n") != std::string::npos;
    const std::size_t cl = in.find("Content-Length: ");
    const std::size_t want = cl < end ? std::stoul(in.substr(cl + 16)) : 0;
    std::size_t have = in.size() - end - 4;
    if (mode == 1) {
      (void)c.send_all("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");
      // Whatever arrives before the client closes would be body bytes.
      char buf[65536];
      for (;;) {
        auto n = c.receive(vitte::as_writable_bytes(vitte::span<char>(buf, sizeof buf)));
        if (!n || *n == 0) break;
        have += *n;
      }
      body_bytes = have;
      refused_counted = true;
      return;
    }
    if (mode == 0) (void)c.send_all("HTTP/1.1 100 Continue\r\n\r\n");
    char buf[65536];
    while (have < want && !stopping) {
      auto n = c.receive(vitte::as_writable_bytes(vitte::span<char>(buf, sizeof buf)));
      if (!n || *n == 0) break;
      have += *n;
    }
    body_bytes = have;
    (void)c.send_all("HTTP/1.1 201 Created\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  });
  const std::string body(1 << 20, 'b');
  http::client_options o;
  o.timeout = 10s;
  o.expect_continue_over = 1000;
  o.expect_wait = 2s;  // long enough that a slow (sanitized, loaded) server's 401 comes first
  http::client c(std::move(o));

  auto small = c.put(s.url("/small"), bytes_of(std::string(1000, 's')));  // not over the threshold
  BOOST_REQUIRE_MESSAGE(small, c.failure().c_str());
  BOOST_TEST(!saw_expect.load());

  auto t0 = std::chrono::steady_clock::now();
  auto r = c.put(s.url("/big"), bytes_of(body));
  BOOST_REQUIRE_MESSAGE(r, c.failure().c_str());
  BOOST_TEST(r->status == 201);
  BOOST_TEST(saw_expect.load());
  BOOST_TEST(body_bytes.load() == body.size());
  BOOST_TEST(seconds_since(t0) < 1.5);  // the 100 came: no waiting for expect_wait

  mode = 1;  // a final status instead of 100: the body is never sent
  auto refused = c.put(s.url("/big"), bytes_of(body));
  BOOST_REQUIRE_MESSAGE(refused, c.failure().c_str());
  BOOST_TEST(refused->status == 401);
  c.close_idle();  // the server counts what arrived until the client closes
  for (int i = 0; i < 500 && !refused_counted; ++i) sys::sleep_for(10ms).value();
  BOOST_REQUIRE(refused_counted.load());
  BOOST_TEST(body_bytes.load() == 0u);

  mode = 2;  // a server that ignores Expect: the body goes after expect_wait
  t0 = std::chrono::steady_clock::now();
  auto ignored = c.put(s.url("/big"), bytes_of(body));
  BOOST_REQUIRE_MESSAGE(ignored, c.failure().c_str());
  BOOST_TEST(ignored->status == 201);
  BOOST_TEST(body_bytes.load() == body.size());
  BOOST_TEST(seconds_since(t0) >= 1.9);
}

BOOST_AUTO_TEST_CASE(non_http_answers_are_refused_at_once) {
  struct answer {
    const char* name;
    std::string bytes;
    errc kind;
  };
  const answer answers[] = {
      {"bare LF", "HTTP/1.1 200 OK\nContent-Length: 2\n\nok", errc::malformed},
      {"HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", errc::version_mismatch},
      {"HTTP/2 SETTINGS frame", std::string("\0\0\0\4\0\0\0\0\0", 9), errc::version_mismatch},
      {"HTTP/0.9 body", "<html>hello</html>\n", errc::version_mismatch},
      {"HTTP/2 status line", "HTTP/2 200\r\n\r\n", errc::version_mismatch},
  };
  for (const answer& a : answers) {
    // The server answers and keeps the connection open: nothing but the
    // check of the status line can end the wait before the deadline.
    const std::string bytes = a.bytes;
    scripted_server s([bytes](const std::string&) { return std::pair<std::string, bool>{bytes, false}; });
    http::client_options o;
    o.timeout = 5s;
    http::client c(std::move(o));
    const auto t0 = std::chrono::steady_clock::now();
    auto r = c.get(s.url("/x"));
    const double took = seconds_since(t0);
    BOOST_REQUIRE_MESSAGE(!r, a.name);
    BOOST_TEST((r.error().kind() == a.kind), a.name);
    BOOST_TEST((r.error().op() == http::ops::http_parse), a.name);
    BOOST_TEST(r.error() != errc::unexpected_eof);
    BOOST_TEST(took < 1.0, a.name << ": " << took);
    BOOST_TEST_MESSAGE(a.name << ": refused after " << took * 1000 << " ms");
    const std::string f = c.failure().c_str();
    BOOST_TEST(f.find("GET " + s.url("/x") + ": ") == 0u, f);
  }
}

BOOST_AUTO_TEST_CASE(interim_and_redirect_statuses_are_named) {
  scripted_server s([](const std::string& q) {
    if (q.rfind("GET /101 ", 0) == 0)
      return std::pair<std::string, bool>{"HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n", false};
    if (q.rfind("GET /304 ", 0) == 0) return std::pair<std::string, bool>{"HTTP/1.1 304 Not Modified\r\n\r\n", false};
    return std::pair<std::string, bool>{"HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n",
                                        false};
  });
  http::client c;
  auto r = c.get(s.url("/a"));
  BOOST_REQUIRE(r);
  BOOST_TEST(r->status == 302);
  BOOST_TEST(std::string(c.failure().c_str()) == "GET " + s.url("/a") + ": 302 Found (to /elsewhere, redirects off)");
  auto nm = c.get(s.url("/304"));
  BOOST_REQUIRE(nm);
  BOOST_TEST(std::string(c.failure().c_str()).find("GET " + s.url("/304") + ": 304 Not Modified") == 0u,
             c.failure().c_str());
  auto up = c.get(s.url("/101"));
  BOOST_REQUIRE(!up);
  BOOST_TEST(std::string(c.failure().c_str()).find("GET " + s.url("/101") + ": ") == 0u, c.failure().c_str());
  BOOST_TEST(std::string(c.failure().c_str()).find("101 Switching Protocols") != std::string::npos);
}

// The platform with a resolver that takes 3 s to answer (as a DNS server
// that drops packets makes getaddrinfo wait): a request still ends at its
// deadline, timed out, and the lookup ends on its own later.
struct slow_resolver : sys::platform {
  static std::atomic<int> lookups;
  static vitte::result<std::size_t> resolve(const char* host, const char* service, const sys::resolve_hints& hints,
                                            sys::socket_address* out, std::size_t n) noexcept {
    ++lookups;
    (void)sys::sleep_for(3s);
    return sys::platform::resolve(host, service, hints, out, n);
  }
};
std::atomic<int> slow_resolver::lookups{0};

BOOST_AUTO_TEST_CASE(resolving_a_name_is_held_to_the_deadline) {
  http::client_options o;
  o.timeout = 300ms;
  http::basic_client<slow_resolver> c(std::move(o));
  auto r = c.get("http://cache.invalid:8080/x");
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error() == vitte::errc::timed_out, r.error().message().c_str());
  // The lookup ran (on its own thread, which may start late under an emulator).
  for (int i = 0; i < 500 && slow_resolver::lookups.load() == 0; ++i) (void)sys::sleep_for(10ms);
  BOOST_TEST(slow_resolver::lookups.load() == 1);
  BOOST_TEST(std::string(c.failure().c_str()).find("GET http://cache.invalid:8080/x: ") == 0u, c.failure().c_str());
}

// Secrets that overlap (one inside another, or two sharing bytes) are
// hidden whole: the union of where they are is redacted.
BOOST_AUTO_TEST_CASE(overlapping_secrets_are_hidden_whole) {
  scripted_server s([](const std::string&) {
    return std::pair<std::string, bool>{
        "HTTP/1.1 403 a=sk_live_0123456789 b=XYZ123ABC789 c=%53%4b_LIVE_0123456789\r\nContent-Length: 0\r\n\r\n",
        false};
  });
  http::client_options o;
  o.secrets.push_back(vitte::text("sk_live_0123456789"));
  o.secrets.push_back(vitte::text("123ABC789"));
  http::client c(std::move(o));
  const http::header mine[] = {{vitte::text("X-Api-Key"), vitte::text("sk_live")},
                               {vitte::text("X-Token"), vitte::text("XYZ123")}};
  auto r = c.get(s.url("/x"), mine);
  BOOST_REQUIRE(r);
  const std::string f = c.failure().c_str();
  BOOST_TEST(f == "GET " + s.url("/x") + ": 403 a=<redacted> b=<redacted> c=<redacted>", f);
}

// A secret that holds the quoting's own characters: the server sends the
// byte 0xc3 where the secret has the four characters \xc3, and the
// quoted text then holds the secret as is.
BOOST_AUTO_TEST_CASE(a_secret_spelled_like_the_quoting_is_hidden) {
  const std::string secret = "k\\xc3ey-5150";
  scripted_server s([](const std::string&) {
    return std::pair<std::string, bool>{
        "HTTP/1.1 403 k\xc3"
        "ey-5150 K\xC3"
        "EY-5150\r\nContent-Length: 0\r\n\r\n",
        false};
  });
  http::client_options o;
  o.secrets.push_back(vitte::text(secret.c_str()));
  http::client c(std::move(o));
  auto r = c.get(s.url("/x"));
  BOOST_REQUIRE(r);
  const std::string f = c.failure().c_str();
  BOOST_TEST(f == "GET " + s.url("/x") + ": 403 <redacted> <redacted>", f);
}

// Text built to make the search for secrets costly (a long run of a
// secret's prefix) is withheld whole once the search's budget runs out,
// never shown unchecked.
BOOST_AUTO_TEST_CASE(text_too_costly_to_check_is_withheld) {
  scripted_server s([](const std::string&) {
    return std::pair<std::string, bool>{"HTTP/1.1 403 " + std::string(8192, 'a') + "\r\nContent-Length: 0\r\n\r\n",
                                        false};
  });
  http::client_options o;
  o.secrets.push_back(vitte::text((std::string(512, 'a') + "X").c_str()));
  http::client c(std::move(o));
  auto r = c.get(s.url("/x"));
  BOOST_REQUIRE(r);
  BOOST_TEST(std::string(c.failure().c_str()) == "<a failure whose text could not be checked for secrets>");
}

BOOST_AUTO_TEST_CASE(user_information_is_sent_as_basic_credentials) {
  // The server answers 401 quoting the Authorization it got.
  scripted_server s([](const std::string& q) {
    const std::size_t at = q.find("\r\nAuthorization: ");
    const std::string auth = at == std::string::npos ? "none" : q.substr(at + 17, q.find("\r\n", at + 2) - at - 17);
    return std::pair<std::string, bool>{"HTTP/1.1 401 " + auth + "\r\nContent-Length: 0\r\n\r\n", false};
  });
  http::client c;
  // "Aladdin:open sesame" (RFC 7617's example), the space and colon written percent-encoded.
  const std::string u = "http://Aladdin:open%20sesame@127.0.0.1:" + std::to_string(s.port()) + "/x";
  auto r = c.get(u);
  BOOST_REQUIRE(r);
  BOOST_TEST(r->status == 401);
  BOOST_TEST(s.requests().back().find("\r\nAuthorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n") !=
             std::string::npos);
  // The failure quotes the credentials back: both the Basic value and the
  // password are secrets.
  const std::string f = c.failure().c_str();
  BOOST_TEST(f.find("QWxhZGRpbjpvcGVuIHNlc2FtZQ") == std::string::npos, f);
  BOOST_TEST(f.find("<redacted>") != std::string::npos, f);
  // A header's own Authorization wins over the URL's.
  const http::header mine[] = {http::bearer("tok-0123456789")};
  (void)c.get(u, mine);
  BOOST_TEST(s.requests().back().find("Authorization: Basic") == std::string::npos);
  BOOST_TEST(s.requests().back().find("Authorization: Bearer tok-0123456789") != std::string::npos);
  // No user information: no Authorization.
  (void)c.get(s.url("/x"));
  BOOST_TEST(s.requests().back().find("Authorization") == std::string::npos);
}

namespace {
const std::string token = "tok-3f9a1c55e0b2";
const std::string password = "pw-77d2aa10";
const std::string extra_secret = "xs-5e1d0c33";
const std::string api_key = "key-19bb7e";
// A secret with the bytes quoting and percent-encoding render in two ways
// ("\\" as "\\\\", '%' as "%25"): redaction must try every reading.
const std::string odd_secret = "ob\\s%41x-9e";
// A secret made of hex digits: a '%' just before it makes "%0d" of its
// first byte in one reading of the text, and the secret in another.
const std::string hex_secret = "deadbeef0123";

// What the echoing server sends back for each path: the secrets it saw
// (the Authorization header whole, its token, the X-Api-Key value) put
// wherever a client might quote server text.
std::pair<std::string, bool> echo_reply(const std::string& q) {
  auto value_of = [&](const std::string& name) {
    const std::size_t at = q.find("\r\n" + name + ": ");
    if (at == std::string::npos) return std::string();
    const std::size_t from = at + name.size() + 4;
    return q.substr(from, q.find("\r\n", from) - from);
  };
  const std::string auth = value_of("Authorization");  // "Bearer <token>"
  const std::string key = value_of("X-Api-Key");
  const std::string all =
      auth + " " + key + " " + password + " " + extra_secret + " " + odd_secret + " %0" + hex_secret;
  const std::string path = q.substr(q.find(' ') + 1, q.find(' ', q.find(' ') + 1) - q.find(' ') - 1);
  auto reply = [](std::string s, bool close = false) { return std::pair<std::string, bool>{std::move(s), close}; };
  if (path == "/403") return reply("HTTP/1.1 403 Forbidden: " + all + "\r\nContent-Length: 0\r\n\r\n");
  if (path == "/500")
    return reply("HTTP/1.1 500 " + all + "\r\nX-Echo: " + all + "\r\nContent-Length: 3\r\n\r\n" + auth.substr(0, 3));
  if (path == "/302")
    return reply("HTTP/1.1 302 " + auth + "\r\nLocation: http://127.0.0.1:1/?t=" + auth + "&k=" + key +
                 "\r\nContent-Length: 0\r\n\r\n");
  if (path == "/300") return reply("HTTP/1.1 300 Multiple\r\nLocation: /x?" + all + "\r\nContent-Length: 0\r\n\r\n");
  if (path.rfind("/hop", 0) == 0)
    return reply("HTTP/1.1 307 Again\r\nLocation: /hop" + token + "\r\nContent-Length: 0\r\n\r\n");
  if (path == "/to-secret")
    return reply("HTTP/1.1 302 Found\r\nLocation: /landed/" + token + "/" + password + "\r\nContent-Length: 0\r\n\r\n");
  if (path.rfind("/landed", 0) == 0) return reply("HTTP/1.1 404 Not " + all + "\r\nContent-Length: 0\r\n\r\n");
  if (path == "/ftp")
    return reply("HTTP/1.1 302 Found\r\nLocation: ftp://" + token + "@h/\r\nContent-Length: 0\r\n\r\n");
  if (path == "/bad-field") return reply("HTTP/1.1 200 OK\r\n" + token + " : " + all + "\r\n\r\n");
  if (path == "/bad-length") return reply("HTTP/1.1 200 OK\r\nContent-Length: " + token + "\r\n\r\n");
  if (path == "/control") return reply("HTTP/1.1 200 " + auth + "\x01\r\n\r\n");
  if (path == "/bare-lf") return reply("HTTP/1.1 200 " + all + "\n\n");
  if (path == "/not-http") return reply(all + "\r\n\r\n");
  if (path == "/truncated") return reply("HTTP/1.1 200 " + all + "\r\nContent-Length: 100\r\n\r\n" + all, true);
  if (path == "/cut-head") return reply("HTTP/1.1 200 " + all + "\r\nX-" + token, true);
  if (path == "/silent") return reply("HTTP/1.1 200 " + all + "\r\n", false);  // then nothing: timeout
  if (path == "/huge") return reply("HTTP/1.1 200 " + all + "\r\nX: " + std::string(70000, 'a') + "\r\n\r\n");
  if (path == "/body-limit") return reply("HTTP/1.1 200 " + all + "\r\nContent-Length: 999999999\r\n\r\n");
  if (path == "/chunk") return reply("HTTP/1.1 200 " + all + "\r\nTransfer-Encoding: chunked\r\n\r\n" + token + "\r\n");
  if (path == "/101") return reply("HTTP/1.1 101 " + all + "\r\n\r\n");
  // The secrets rendered otherwise: percent-encoded (upper- and lower-case
  // hex), lower- and upper-cased, in a login redirect's query.
  auto encoded = [](const std::string& v, bool upper) {
    std::string out;
    for (unsigned char c : v) {
      const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
      out += '%', out += digits[c >> 4], out += digits[c & 15];
    }
    return out;
  };
  auto cased = [](std::string v, bool upper) {
    for (char& c : v)
      c = static_cast<char>(upper ? std::toupper(static_cast<unsigned char>(c))
                                  : std::tolower(static_cast<unsigned char>(c)));
    return v;
  };
  if (path == "/403-encoded")
    return reply("HTTP/1.1 403 bad " + encoded(token, true) + " " + encoded(key, false) + " " +
                 encoded(password, true) + "\r\nContent-Length: 0\r\n\r\n");
  if (path == "/403-odd")  // the odd secret percent-encoded and quoted, as a server might send either
    return reply("HTTP/1.1 403 bad " + encoded(odd_secret, false) + " " + odd_secret + "\r\nLocation: /" +
                 encoded(odd_secret, true) + "\r\nContent-Length: 0\r\n\r\n");
  if (path == "/403-hex")  // after a '%', as is, case changed, partly encoded, after "%25"
    return reply("HTTP/1.1 403 a%0" + hex_secret + " b%" + cased(hex_secret, true) + " c%0de%61dbeef0123 d%25" +
                 hex_secret + "\r\nContent-Length: 0\r\n\r\n");
  if (path == "/403-encoded-cased")  // case changed, then percent-encoded; and half of it encoded
    return reply("HTTP/1.1 403 bad " + encoded(cased(token, true), true) + " " + encoded(cased(key, true), false) +
                 " " + encoded(cased(password.substr(0, 5), true), true) + cased(password.substr(5), true) +
                 "\r\nContent-Length: 0\r\n\r\n");
  if (path == "/403-cased")
    return reply("HTTP/1.1 403 bad " + cased(token, true) + " " + cased(extra_secret, true) + " " + cased(key, true) +
                 "\r\nContent-Length: 0\r\n\r\n");
  if (path == "/302-login")
    return reply("HTTP/1.1 302 Found\r\nLocation: /login?next=%2Fx%3Ftoken%3D" + encoded(token, false) + "%26k%3D" +
                 encoded(key, true) + "\r\nContent-Length: 0\r\n\r\n");
  return reply("HTTP/1.1 401 " + all + "\r\nWWW-Authenticate: Bearer realm=\"" + auth +
               "\"\r\nContent-Length: 0\r\n\r\n");
}
}  // namespace

BOOST_AUTO_TEST_CASE(no_error_text_shows_a_secret) {
  const char* paths[] = {"/403",         "/500",        "/302",       "/300",        "/hop",
                         "/to-secret",   "/ftp",        "/bad-field", "/bad-length", "/control",
                         "/bare-lf",     "/not-http",   "/truncated", "/cut-head",   "/silent",
                         "/huge",        "/body-limit", "/chunk",     "/101",        "/401",
                         "/403-encoded", "/403-cased",  "/302-login", "/403-odd",    "/403-encoded-cased",
                         "/403-hex"};
  const std::string secrets[] = {token, password, extra_secret, api_key, odd_secret, hex_secret};
  // A secret shows when the text holds it as is, in another case,
  // percent-encoded, or quoted (\xNN, \\).
  auto shows = [](const std::string& text, const std::string& secret) {
    auto lower = [](std::string v) {
      for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return v;
    };
    std::string decoded;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '%' && i + 2 < text.size() + 0 && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
          std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
        decoded += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        decoded += text[i];
      }
    }
    std::string unquoted;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == '\\') {
        unquoted += '\\';
        ++i;
      } else if (text[i] == '\\' && i + 3 < text.size() && text[i + 1] == 'x' &&
                 std::isxdigit(static_cast<unsigned char>(text[i + 2])) &&
                 std::isxdigit(static_cast<unsigned char>(text[i + 3]))) {
        unquoted += static_cast<char>(std::stoi(text.substr(i + 2, 2), nullptr, 16));
        i += 3;
      } else {
        unquoted += text[i];
      }
    }
    for (const std::string& t : {text, decoded, unquoted})
      if (lower(t).find(lower(secret)) != std::string::npos) return true;
    return false;
  };
  int failures_seen = 0;
  for (bool follow : {false, true}) {
    for (const char* path : paths) {
      scripted_server s(echo_reply);
      http::client_options o;
      o.timeout = 300ms;
      o.follow_redirects = follow;
      o.max_redirects = 2;
      o.headers.push_back(http::bearer(token));
      o.secrets.push_back(vitte::text(extra_secret));
      o.secrets.push_back(vitte::text(odd_secret));
      o.secrets.push_back(vitte::text(hex_secret));
      http::client c(std::move(o));
      const http::header mine[] = {{vitte::text("X-Api-Key"), vitte::text(api_key)}};
      const std::string u = "http://user:" + password + "@127.0.0.1:" + std::to_string(s.port()) + path;
      auto r = c.get(u, mine);
      const std::string f = c.failure().c_str();
      if (!r || !r->ok()) ++failures_seen;
      BOOST_TEST(!f.empty(), path);  // every path here is a failure of some kind
      for (const std::string& secret : secrets) BOOST_TEST(!shows(f, secret), path << ": " << f);
      if (!r) {
        const std::string m = r.error().message().c_str();
        for (const std::string& secret : secrets) BOOST_TEST(!shows(m, secret), path << ": " << m);
      }
      // The same through stream() and with the upload path (an early answer).
      auto h = c.stream(
          http::method::put, u, 3,
          [](vitte::span<std::byte> out) -> vitte::result<std::size_t> {
            std::memcpy(out.data(), "abc", 3);
            return std::size_t{3};
          },
          [](vitte::span<const std::byte>) -> vitte::status { return {}; }, mine);
      const std::string g = c.failure().c_str();
      for (const std::string& secret : secrets) BOOST_TEST(!shows(g, secret), path << ": " << g);
      c.close_idle();
    }
  }
  BOOST_TEST(failures_seen == 52);
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

  // Expect: 100-continue: nginx answers "100 Continue" at once, so the body
  // goes without waiting for expect_wait (5 s here).
  http::client_options eo;
  eo.timeout = 30s;
  eo.expect_continue_over = 0;
  eo.expect_wait = 5s;
  http::client ec(std::move(eo));
  const std::string eu = server->url() + "/cas/cd/expect";
  const auto t0 = std::chrono::steady_clock::now();
  auto ep = ec.put(eu, bytes_of(big));
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  BOOST_REQUIRE_MESSAGE(ep, ec.failure().c_str());
  BOOST_TEST((ep->status == 201 || ep->status == 204), ep->status);
  BOOST_TEST(took < 4.0, took);
  BOOST_TEST_MESSAGE("nginx Expect: 100-continue PUT of 3 MiB: " << took << " s");
  auto back = ec.get(eu);
  BOOST_REQUIRE(back);
  BOOST_TEST((string_of(back->body.span()) == big));
  // Chunked with Expect too.
  std::size_t at = 0;
  auto ch = ec.stream(
      http::method::put, server->url() + "/cas/cd/chunked", -1,
      [&](vitte::span<std::byte> out) -> vitte::result<std::size_t> {
        const std::size_t n = std::min(out.size(), big.size() - at);
        std::memcpy(out.data(), big.data() + at, n);
        at += n;
        return n;
      },
      [](vitte::span<const std::byte>) -> vitte::status { return {}; });
  BOOST_REQUIRE_MESSAGE(ch, ec.failure().c_str());
  BOOST_TEST((ch->status == 201 || ch->status == 204), ch->status);
}

BOOST_AUTO_TEST_SUITE_END()
#endif
