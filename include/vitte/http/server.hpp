// vitte/http/server.hpp - a small HTTP/1.1 server for read-only pages: a
// strict request parser and a server on one thread of its own.
//
//   namespace http = vitte::http;
//   http::server_options o;                        // 127.0.0.1, port 0: the OS picks one
//   auto s = http::server::start(o, [](const http::request& r) {
//     if (r.path == "/") return http::reply(200, "text/html; charset=utf-8", page);
//     return http::reply(404, "text/plain; charset=utf-8", "not found\n");
//   }).value();
//   std::printf("http://127.0.0.1:%u/\n", s.port());
//   ...
//   s.stop();                                      // or let the destructor stop it
//
// A server may listen at once and serve later (server_options::serve_later):
// start() then only binds (the port is known, clients' connections wait in
// the listener's backlog) and serve() starts the thread; waiting() tells
// whether a client waits meanwhile. A program that is over in milliseconds
// most of the time (a no-op build with a live page) does not pay for a
// thread nobody would have asked anything of.
//
// What it accepts: GET and HEAD (HEAD answers GET's head, no body); any
// other method is 405, a request with a body (Content-Length other than 0,
// Transfer-Encoding) 400. The handler sees the path and query of an
// origin-form target; it is called on the server's thread, one request at a
// time. One request per connection ("Connection: close"), so nothing is
// pipelined or kept alive.
//
// Bounds: at most max_connections at once (more are accepted and closed at
// once; at the descriptor limit too, through sys::acceptor's spare); a request head of at most max_request_bytes and
// max_fields fields (431 beyond); the whole head within request_time (408 after: a client sending a byte a minute is
// closed), the reply written within reply_time. The parser is strict as the response parser is (vitte/http/parser.hpp):
// CRLF line ends, a bare LF refused, tokens for method and field names, no
// obs-fold, no control character in a target or a value.
//
// Only a loopback address is served unless server_options::any_address: a
// monitor is not published on the network by mistake.
//
// Errors (start): invalid_argument (a non-loopback address without
// any_address), those of listening (address_in_use, ...), of the poller and
// of the thread. Thread safety: start/serve/waiting/stop/port from one thread; the
// handler runs on the server's thread.
#ifndef VITTE_HTTP_SERVER_HPP
#define VITTE_HTTP_SERVER_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/http/message.hpp>     // header
#include <vitte/http/operations.hpp>  // http::ops
#include <vitte/http/parser.hpp>      // the rules the request parser shares (detail::is_tchar, trim_ows, ...)
#include <vitte/sys/net.hpp>          // the listener and connections
#include <vitte/sys/poller.hpp>       // the server's loop
#include <vitte/sys/thread.hpp>       // the server's thread

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>  // the handler
#include <memory>      // the loop's state, shared with its thread

namespace vitte::http {

/// The sizes a request may reach before the parser refuses it.
struct request_limits {
  std::size_t max_request_bytes = 8 * 1024;  ///< request line and fields
  std::size_t max_fields = 64;
};

/// A request's head.
struct request {
  text method;            ///< "GET", "HEAD", ... (a token)
  text target;            ///< as sent: "/api/status?from=3"
  text path;              ///< the target up to '?'
  text query;             ///< after '?' (empty without one)
  int minor = 1;          ///< HTTP/1.minor
  buffer<header> fields;  ///< in the order sent
  /// The first field named `name` (case-insensitive), or empty.
  text_view field(text_view name) const noexcept;
  /// The value of `key` in the query ("from" in "from=3&x=1"), or empty.
  text_view query_value(text_view key) const noexcept;
};

/// Parses one request head, fed in pieces.
class request_parser {
 public:
  explicit request_parser(request_limits limits = {}) noexcept : limits_(limits) {}
  /// Takes bytes; returns how many it used (it stops after the head: what
  /// follows is not its business). Errors (http_parse): malformed (a bare
  /// LF, a bad request line or field), limit_exceeded (too long, too many
  /// fields), not_supported (a version other than HTTP/1.x, a body);
  /// describe() says what and where.
  result<std::size_t> feed(span<const std::byte> in);
  /// True once the head is whole and parsed.
  bool done() const noexcept { return done_; }
  /// The head (once done()).
  const request& head() const noexcept { return req_; }
  /// What was wrong, filled where it was found: the error's kind, the
  /// bytes of the head read by then, the message; nothing recorded when
  /// nothing was wrong.
  const vitte::diagnostic& describe() const noexcept { return why_; }
  /// The status to answer a refused request with: 400, 431, 505, or 501.
  int refusal() const noexcept { return refusal_; }

 private:
  error fail(errc kind, int status, text_view what) noexcept;
  status parse();

  request_limits limits_;
  text buf_;
  request req_;
  bool done_ = false;
  bool method_done_ = false, line_done_ = false;
  vitte::diagnostic why_;
  int refusal_ = 0;
};

/// What a handler answers.
struct reply {
  int status = 200;
  text content_type = "text/plain; charset=utf-8";
  text body;
  reply() = default;
  reply(int s, text_view type, text b) : status(s), content_type(type), body(static_cast<text&&>(b)) {}
};

/// "OK", "Not Found", ... for the statuses the server sends.
VITTE_DECL text_view reason_phrase(int status) noexcept;

/// How a server listens and what it bounds.
struct server_options {
  text address = "127.0.0.1";  ///< an IP address
  std::uint16_t port = 0;      ///< 0: the OS picks a free one (port() says which)
  bool any_address = false;    ///< serve an address other than loopback
  std::size_t max_connections = 32;
  request_limits limits;
  std::chrono::milliseconds request_time{5000};  ///< the whole head must arrive within this
  std::chrono::milliseconds reply_time{10000};   ///< the whole reply must leave within this
  bool serve_later = false;                      ///< start() only listens; serve() starts serving (see the header)
};

/// What a server counted.
struct server_stats {
  std::uint64_t requests = 0;  ///< answered by the handler
  std::uint64_t refused = 0;   ///< answered 4xx/5xx by the server itself (parse, method, timeout)
  std::uint64_t shed = 0;      ///< closed at once: max_connections reached
};

namespace detail {
struct server_state;
}

/// A server on its own thread (see the header).
class server {
 public:
  using handler = std::function<reply(const request&)>;
  server() = default;
  server(server&&) noexcept = default;
  server& operator=(server&&) noexcept;
  server(const server&) = delete;
  server& operator=(const server&) = delete;
  ~server() { stop(); }

  /// Listens and starts serving, or only listens with o.serve_later (see
  /// the header for errors).
  static result<server> start(const server_options& o, handler h);
  /// Starts serving a server started with serve_later; nothing when it
  /// serves already. Errors: invalid_argument once stopped (or never
  /// started); those of the poller and of the thread.
  status serve();
  /// True while its thread serves.
  bool serving() const noexcept { return thread_.joinable(); }
  /// True when a client's connection waits for a server started with
  /// serve_later that does not serve yet (a look at the listener, no wait).
  bool waiting() const noexcept;
  /// The port it listens on.
  std::uint16_t port() const noexcept { return port_; }
  /// Stops: connections are closed, the thread joined, the listener
  /// closed. Idempotent.
  void stop() noexcept;
  /// Counters so far (safe while it runs).
  server_stats stats() const noexcept;

 private:
  std::shared_ptr<detail::server_state> state_;
  sys::thread thread_;
  std::uint16_t port_ = 0;
};

}  // namespace vitte::http

#if VITTE_HEADER_ONLY
#include <vitte/http/impl/server.ipp>
#endif

#endif  // VITTE_HTTP_SERVER_HPP
