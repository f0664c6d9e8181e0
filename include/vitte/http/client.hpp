// vitte/http/client.hpp - an HTTP/1.1 client on vitte's sockets: persistent
// connections, Content-Length and chunked bodies, streaming, deadlines.
//
//   namespace http = vitte::http;
//   http::client_options o;
//   o.timeout = std::chrono::seconds(5);          // each request, connection to last byte
//   o.headers.push_back(http::bearer(token));     // sent with every request
//   http::client c(std::move(o));
//   auto r = c.get("http://127.0.0.1:8080/cas/ab12...");
//   if (!r) puts(c.failure().c_str());             // "GET http://127.0.0.1:8080/cas/ab12...: http_connect: connection
//   refused" else if (r->status == 200) use(r->body); c.put("http://127.0.0.1:8080/cas/ab12...", bytes);
//
//   // Streaming: the request body from a source, the response body to a sink.
//   c.stream(http::method::put, url, size, [&](span<std::byte> out) -> result<std::size_t> {...},
//            [&](span<const std::byte> in) -> status {...});
//
// Connections: a request reuses an idle connection to the same origin
// (checked first: one the server closed is dropped) and returns it to the
// pool when the response allows (keep-alive, body fully read); at most
// max_idle stay open per origin. A buffered request that fails on a reused
// connection before any response byte arrived is retried once on a new
// connection (the server may have closed it in between).
//
// Time: every request has one deadline (options.timeout): resolving,
// connecting, sending each byte of the request and waiting for each byte
// of the response are all bounded by it, so a server that accepts and
// never answers, or stops reading an upload, costs exactly that, never a
// hang (http_send or http_receive, timed_out). Plain http connections are
// non-blocking; an https transport gets the deadline and must keep it.
//
// Early answers: while a request body is being sent the client watches for
// the response; a server that answers before the whole body arrived (a 413,
// a 401) and stops reading gets its response returned as the result (the
// connection is closed afterwards), and one that closes the connection
// after answering too. With options.expect_continue_over, bodies larger
// than that (and chunked ones) are announced with "Expect: 100-continue":
// the body follows a "100 Continue", is not sent at all after a final
// status, and is sent anyway when the server said nothing within
// options.expect_wait (as curl does: some servers ignore Expect).
//
// Not HTTP/1.x: the status line is checked as it arrives, so a peer that
// speaks HTTP/2, HTTP/0.9 or anything else is refused at its first bytes
// (http_parse, version_mismatch), and a bare-LF line ending at once
// (http_parse, malformed; see parser.hpp for why it is refused), never
// after a deadline or the head limit.
//
// Statuses: any complete response is a result, whatever its status; a
// caller that treats some statuses as errors uses status_error(). Every
// failure, and every response request() or stream() returns with a status
// outside 2xx, leaves a sentence in failure() naming the method, the URL,
// the status and reason ("GET http://h/x: 404 Not Found"; a 3xx adds where
// it points) or what went wrong.
//
// Secrets: failure() never shows a configured secret, whatever the server
// echoes in its reason phrase, a Location, or a URL it redirects to: every
// occurrence of one, as is, in another letter case, percent-encoded or
// escaped, is replaced by "<redacted>". The secrets are the values
// of the header fields the client sends (options.headers and the request's
// headers: credential fields such as Authorization, Cookie and names with
// "token", "key", "secret", "auth", "session" or "password" in them
// whatever their length, with the credentials after an Authorization
// scheme too; other values of 8 bytes or more), the URL's password and
// its Basic credentials, and options.secrets. Server text is quoted with bytes outside printable
// ASCII escaped (\xNN), so it cannot drive a terminal either.
//
// Redirects are not followed unless options.follow_redirects (then up to
// max_redirects, http and https only, by request() only; 303 turns into GET).
// A Location may be any URI reference (absolute, "//host/p", "/p", "p",
// "../p", "?q"), resolved as RFC 3986 says. Credential fields (the
// header fields redaction treats as credentials: Authorization, Cookie,
// names with token, key, secret, auth, session or password) are sent only
// to the origin (scheme, host, port) the request was made to, never to
// another one a redirect names. User information in the URL
// ("http://user:pw@host/") is sent as Basic credentials (RFC 7617), each
// part percent-decoded, unless a header field Authorization is given.
//
// TLS is not in the core, which speaks plain TCP: an https URL needs
// options.tls, a transport (below) that wraps each connection (OS TLS
// libraries plug in there). Without one, https fails with not_supported;
// docs/CACHE.md shows the supported set-up, a TLS-terminating proxy on
// the loopback (stunnel, nginx).
//
// Thread safety: a client is used by one thread at a time; use one client
// per thread.
#ifndef VITTE_HTTP_CLIENT_HPP
#define VITTE_HTTP_CLIENT_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/http/message.hpp>
#include <vitte/http/operations.hpp>
#include <vitte/http/parser.hpp>
#include <vitte/http/url.hpp>
#include <vitte/sys/fs_types.hpp>  // native_handle
#include <vitte/sys/net.hpp>
#include <vitte/sys/platform.hpp>
#include <vitte/sys/time.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace vitte::http {

/// Where TLS (or any other wrapping of the bytes) plugs in: functions the
/// client calls on each connection to an https origin. `deadline_ns` is
/// the request's deadline on the monotonic clock (INT64_MAX: none).
struct transport {
  void* context = nullptr;
  /// After the TCP connection to `host` is up: the handshake. `*state`
  /// may receive per-connection data, handed back to the other functions.
  status (*open)(void* context, sys::native_handle socket, text_view host, std::int64_t deadline_ns,
                 void** state) = nullptr;
  /// Sends some of `data`; returns how much.
  result<std::size_t> (*send)(void* state, sys::native_handle socket, span<const std::byte> data,
                              std::int64_t deadline_ns) = nullptr;
  /// Receives at most buf.size() bytes; 0 at the end of the stream.
  result<std::size_t> (*receive)(void* state, sys::native_handle socket, span<std::byte> buf,
                                 std::int64_t deadline_ns) = nullptr;
  /// The connection is being closed.
  void (*close)(void* state) = nullptr;
};

/// A client's settings.
struct client_options {
  std::chrono::milliseconds timeout{30'000};  ///< one request, from resolving the host to the last byte
  std::size_t max_idle = 4;                   ///< idle connections kept per origin
  parser_limits limits{64 * 1024, 128, std::uint64_t{1} << 30};  ///< response limits (body: 1 GiB)
  bool follow_redirects = false;
  unsigned max_redirects = 5;
  buffer<header> headers;  ///< sent with every request, e.g. bearer(token)
  text user_agent{"vitte-http/1"};
  const transport* tls = nullptr;  ///< wraps https connections (must outlive the client)
  /// Request bodies larger than this many bytes (and chunked ones) are sent
  /// with "Expect: 100-continue" (see the header). Default: never.
  std::uint64_t expect_continue_over = UINT64_MAX;
  /// How long to wait for "100 Continue" before sending the body anyway
  /// (bounded by the request's deadline too).
  std::chrono::milliseconds expect_wait{1000};
  /// More strings failure() must never show (besides the header values and
  /// the URL's password, which are always kept out).
  buffer<text> secrets;
};

/// The error for a response status a caller refuses: op http_status,
/// native() the status; kind not_found (404, 410), permission_denied
/// (401, 403), limit_exceeded (413, 429), timed_out (408, 504),
/// busy (503), no_space (507), io_error (other 5xx), invalid_argument
/// (other 4xx), unknown (anything else).
constexpr error status_error(int status) noexcept;

template <class P = sys::platform>
class basic_client {
 public:
  using deadline = sys::basic_deadline<P>;

  explicit basic_client(client_options options = {});
  basic_client(basic_client&&) noexcept = default;
  basic_client& operator=(basic_client&&) noexcept = default;
  ~basic_client();

  /// Sends `m` to `url` with `body` (Content-Length; none for an empty
  /// GET, HEAD or DELETE) and `headers` (after options.headers) and returns
  /// the whole response (also one the server sent before the whole body
  /// was sent). Errors: url_parse; http_connect (connection_refused,
  /// timed_out, not_found: no such host, not_supported: https without a
  /// transport); http_send and http_receive (connection_reset, broken_pipe,
  /// timed_out); http_parse (see parser.hpp; version_mismatch for a peer not
  /// speaking HTTP/1.x, limit_exceeded past options.limits); http_redirect;
  /// invalid_argument for a header with CR or LF (request splitting).
  result<response> request(method m, text_view url, span<const std::byte> body = {}, span<const header> headers = {});
  result<response> get(text_view url, span<const header> headers = {}) {
    return request(method::get, url, {}, headers);
  }
  result<response> head(text_view url, span<const header> headers = {}) {
    return request(method::head, url, {}, headers);
  }
  result<response> put(text_view url, span<const std::byte> body, span<const header> headers = {}) {
    return request(method::put, url, body, headers);
  }
  result<response> remove(text_view url, span<const header> headers = {}) {
    return request(method::delete_, url, {}, headers);
  }

  /// Streams a request: `source(span<std::byte> out) -> result<size_t>`
  /// fills `out` with the next body bytes and returns how many (0: the
  /// end); `size` is the body's length (Content-Length, which the source
  /// must then match), or -1 to send it chunked. `sink(span<const std::byte>)
  /// -> status` takes the response body as it arrives; an error from either
  /// aborts the request (the connection is closed) and is returned. Never
  /// retried and never redirected. Errors: those of request(); the
  /// source's and the sink's; invalid_argument when the source's bytes
  /// do not match `size`.
  template <class Source, class Sink>
  result<response_head> stream(method m, text_view url, std::int64_t size, Source&& source, Sink&& sink,
                               span<const header> headers = {});

  /// What went wrong last: "PUT http://h:8080/x: http_receive: timed out",
  /// "GET http://h/y: 404 Not Found". Empty after a 2xx response. Never
  /// contains a configured secret (see the header).
  const text& failure() const noexcept { return failure_; }
  /// Connections opened so far (reuse shows as requests > connections).
  std::uint64_t connections_opened() const noexcept { return opened_; }
  /// Idle connections kept.
  std::size_t idle_connections() const noexcept { return idle_.size(); }
  /// Closes the idle connections.
  void close_idle() noexcept;
  const client_options& options() const noexcept { return options_; }
  /// Changes the deadline of the requests that follow.
  void set_timeout(std::chrono::milliseconds t) noexcept { options_.timeout = t; }

 private:
  struct connection {
    text origin;  // "scheme://authority"
    sys::basic_socket<P> socket;
    void* tls_state = nullptr;
    bool reused = false;
    buffer<std::byte> in;  // received, not yet parsed: [begin, end)
    std::size_t begin = 0, end = 0;
  };
  // One request on one connection; `stale` says it failed on a reused
  // connection before any response byte (worth one retry).
  template <class Source, class Sink>
  result<response_head> exchange(method m, const url& u, std::int64_t size, Source& source, Sink& sink,
                                 span<const header> headers, deadline d, bool& stale);
  result<connection> connect(const url& u, deadline d);
  connection take_idle(const url& u);
  void give_back(connection c);
  void close(connection& c) noexcept;
  // Sends `data`; false when the server started answering (or closed)
  // before all of it was sent: the caller reads the response then.
  result<bool> send(connection& c, span<const std::byte> data, deadline d);
  result<std::size_t> receive(connection& c, span<std::byte> buf, deadline d);
  status build_head(text& out, method m, const url& u, std::int64_t size, bool expect,
                    span<const header> headers) const;
  void note(method m, const url& u, text_view what);
  void note(method m, const url& u, const error& e, const response_parser* p = nullptr);
  void note_status(method m, const url& u, const response_head& h);
  void redact(text& t) const;

  client_options options_;
  buffer<connection> idle_;
  text failure_;
  std::uint64_t opened_ = 0;
  // During one request()/stream() call: what else redact() hides (the
  // request's own headers, the password of the URL it was given).
  span<const header> call_headers_;
  text call_password_;  // the URL's password, percent-decoded
  text call_basic_;     // its Basic credentials (basic_credentials)
  // After a redirect to another origin: credential fields are not sent.
  bool strip_credentials_ = false;
};

using client = basic_client<>;

}  // namespace vitte::http

#include <vitte/http/impl/client.hpp>

#endif  // VITTE_HTTP_CLIENT_HPP
