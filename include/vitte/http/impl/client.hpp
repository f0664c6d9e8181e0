// Definitions for vitte/http/client.hpp.
#ifndef VITTE_HTTP_IMPL_CLIENT_HPP
#define VITTE_HTTP_IMPL_CLIENT_HPP

#include <vitte/http/detail/redaction.hpp>   // append_quoted, redact_all
#include <vitte/sys/capabilities.hpp>        // resolve_within
#include <vitte/sys/condition_variable.hpp>  // resolve_within
#include <vitte/sys/mutex.hpp>               // resolve_within
#include <vitte/sys/thread.hpp>              // resolve_within

#include <atomic>  // lookups_running
#include <cstring>
#include <memory>  // shared_ptr (resolve_within)
#include <mutex>   // lock_guard, unique_lock
#include <utility>
#include <vector>

namespace vitte::http {

constexpr error status_error(int status) noexcept {
  errc k = errc::unknown;
  if (status == 404 || status == 410)
    k = errc::not_found;
  else if (status == 401 || status == 403)
    k = errc::permission_denied;
  else if (status == 413 || status == 429)
    k = errc::limit_exceeded;
  else if (status == 408 || status == 504)
    k = errc::timed_out;
  else if (status == 503)
    k = errc::busy;
  else if (status == 507)
    k = errc::no_space;
  else if (status >= 500 && status < 600)
    k = errc::io_error;
  else if (status >= 400 && status < 500)
    k = errc::invalid_argument;
  return error{k, ops::http_status, status};
}

namespace detail {

// "scheme://authority": what idle connections are kept by.
VITTE_DECL text origin_of(const url& u);

// The same error, reported as operation `op` (the OS code is kept).
constexpr error as_op(const error& e, operation op) noexcept { return error{e.kind(), op, e.native(), e.domain()}; }

// A header field the client may send: a token for a name, no CR, LF or
// NUL in the value (request splitting).
VITTE_DECL bool valid_header(const header& h) noexcept;

// Name lookups running on threads of their own, process-wide.
inline std::atomic<int>& lookups_running() noexcept {
  static std::atomic<int> n{0};
  return n;
}
constexpr int max_lookups = 16;

// The addresses of `host`, waited for until `d`: the system's resolver
// (getaddrinfo) has no deadline of its own, so the name is looked up on a
// thread of its own, which outlives a request that stops waiting and frees
// the lookup's state when it ends (curl's threaded resolver does the same).
// At most max_lookups run at once: past that (a resolver that hangs, many
// requests) a request fails at once (limit_exceeded) rather than start one
// more, and so does one whose thread cannot start. Builds without threads
// look up in the calling thread, without a deadline.
template <class P>
result<buffer<sys::socket_address>> resolve_within(text_view host, text_view service, sys::basic_deadline<P> d) {
  if constexpr (VITTE_HAS_THREADS && sys::thread_capability<P> && sys::wait_capability<P>) {
    if (d.expired()) return error{errc::timed_out, ops::http_connect};
    if (lookups_running().fetch_add(1) >= max_lookups) {
      lookups_running().fetch_sub(1);
      return error{errc::limit_exceeded, ops::http_connect};
    }
    struct lookup {
      sys::basic_mutex<P> m;
      sys::basic_condition_variable<P> ready;
      bool done = false;
      text host, service;
      result<buffer<sys::socket_address>> found = error{errc::timed_out, ops::http_connect};
    };
    auto job = std::make_shared<lookup>();
    job->host = text(host);
    job->service = text(service);
    auto t = sys::basic_thread<P>::spawn([job] {
      auto r = sys::resolve<P>(job->host, job->service);
      {
        std::lock_guard<sys::basic_mutex<P>> hold(job->m);
        job->found = std::move(r);
        job->done = true;
        job->ready.notify_all();
      }
      lookups_running().fetch_sub(1);
    });
    if (!t) {
      lookups_running().fetch_sub(1);
      return as_op(t.error(), ops::http_connect);
    }
    (void)t->detach();  // on its own: the lookup holds what it needs
    std::unique_lock<sys::basic_mutex<P>> hold(job->m);
    if (!job->ready.wait_until(hold, d, [&] { return job->done; })) return error{errc::timed_out, ops::http_connect};
    return std::move(job->found);
  } else {
    (void)d;
    return sys::resolve<P>(host, service);
  }
}

// A TCP connection to `host` (numeric, or resolved) and `port`, trying each
// address until `d`, with Nagle off, non-blocking if asked. Errors
// (http_connect): the last address's, not_found for a name without addresses.
template <class P>
result<sys::basic_socket<P>> connect_host(text_view host, std::uint16_t port, sys::basic_deadline<P> d,
                                          bool nonblocking = false) {
  buffer<sys::socket_address> where;
  if (auto numeric = sys::socket_address::parse(host, port); numeric) {
    where.push_back(*numeric);
  } else {
    text service;
    append_number(service, port);
    auto found = resolve_within<P>(host, service, d);
    if (!found) return as_op(found.error(), ops::http_connect);
    where = std::move(*found);
  }
  error last{errc::not_found, ops::http_connect};
  for (const sys::socket_address& a : where) {
    auto s = sys::basic_socket<P>::connect_to(a, d, nonblocking);
    if (s) {
      (void)s->set_option(sys::socket_option::no_delay, 1);
      return s;
    }
    last = as_op(s.error(), ops::http_connect);
    if (d.expired()) break;
  }
  return last;
}

// A header field whose value is a credential whatever its length.
constexpr bool is_credential(text_view name) noexcept {
  if (header_equal(name, "Authorization") || header_equal(name, "Proxy-Authorization") || header_equal(name, "Cookie"))
    return true;
  for (text_view word : {text_view("token"), text_view("key"), text_view("secret"), text_view("auth"),
                         text_view("session"), text_view("password")})
    for (std::size_t i = 0; i + word.size() <= name.size(); ++i)
      if (header_equal(name.substr(i, word.size()), word)) return true;
  return false;
}

// Calls f(secret) for each secret the header list carries (see client.hpp).
template <class F>
void for_each_secret(span<const header> list, F&& f) {
  for (const header& h : list) {
    const text_view v(h.value);
    if (is_credential(h.name)) {
      f(v);
      const std::size_t space = v.find_first_of(" \t");  // "Bearer <token>": the token alone too
      if (space != text_view::npos) f(trim_ows(v.substr(space + 1)));
      continue;
    }
    if (v.size() >= 8) f(v);
  }
}

// The Basic credentials of a URL's user information: base64 of
// "user:password", each percent-decoded.
VITTE_DECL text basic_credentials(const url& u);

constexpr bool is_redirect(int status) noexcept {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace detail

template <class P>
basic_client<P>::basic_client(client_options options) : options_(std::move(options)) {}

template <class P>
basic_client<P>::~basic_client() {
  close_idle();
}

template <class P>
void basic_client<P>::close(connection& c) noexcept {
  if (c.tls_state != nullptr && options_.tls != nullptr && options_.tls->close != nullptr)
    options_.tls->close(c.tls_state);
  c.tls_state = nullptr;
  (void)c.socket.close();
}

template <class P>
void basic_client<P>::close_idle() noexcept {
  for (connection& c : idle_) close(c);
  idle_.clear();
}

template <class P>
void basic_client<P>::redact(text& t) const {
  std::vector<text_view> secrets;
  auto add = [&](text_view secret) { secrets.push_back(secret); };
  detail::for_each_secret(span<const header>(options_.headers.data(), options_.headers.size()), add);
  detail::for_each_secret(call_headers_, add);
  for (const text& s : options_.secrets) add(s);
  add(call_password_);
  add(call_basic_);
  const span<const text_view> all(secrets.data(), secrets.size());
  if (!detail::redact_all(t, all)) {  // text built to make the search costly
    t = text("<a failure whose text could not be checked for secrets>");
    return;
  }
  // A secret that "<redacted>" itself would spell (a single letter...)
  // cannot be hidden by replacing it: show nothing rather than it.
  if (detail::contains_any(t, all)) t = text("<a failure whose text would show a configured secret>");
}

template <class P>
void basic_client<P>::note(method m, const url& u, text_view what) {
  failure_ = to_string(m);
  detail::append(failure_, " ");
  detail::append_quoted(failure_, u.to_text());  // a followed Location's bytes too
  detail::append(failure_, ": ");
  detail::append(failure_, what);
  redact(failure_);
}

template <class P>
void basic_client<P>::note(method m, const url& u, const error& e, const response_parser* p) {
  text what(e.message().view());
  if (p != nullptr && e.op() == ops::http_parse) {
    detail::append(what, " (");
    const vitte::diagnostic& d = p->describe();
    detail::append(what, d.message());
    detail::append(what, ", byte ");
    detail::append_number(what, d.offset());
    detail::append(what, " of the response)");
  }
  note(m, u, what);
}

template <class P>
void basic_client<P>::note_status(method m, const url& u, const response_head& h) {
  text what;
  detail::append_number(what, static_cast<std::uint64_t>(h.status));
  detail::append(what, " ");
  detail::append_quoted(what, h.reason);
  if (h.status >= 300 && h.status < 400) {
    const text* location = h.find("Location");
    detail::append(what, location != nullptr ? text_view(" (to ") : text_view(" (no Location)"));
    if (location != nullptr) {
      detail::append_quoted(what, *location);
      detail::append(what, options_.follow_redirects ? text_view(", not followed)") : text_view(", redirects off)"));
    }
  }
  note(m, u, what);
}

template <class P>
status basic_client<P>::build_head(text& out, method m, const url& u, std::int64_t size, bool expect,
                                   span<const header> headers) const {
  detail::append(out, to_string(m));
  detail::append(out, " ");
  detail::append(out, u.target);
  detail::append(out, " HTTP/1.1\r\nHost: ");
  detail::append(out, u.authority());
  detail::append(out, "\r\n");
  if (!options_.user_agent.empty()) {
    detail::append(out, "User-Agent: ");
    detail::append(out, options_.user_agent);
    detail::append(out, "\r\n");
  }
  for (span<const header> list : {span<const header>(options_.headers.data(), options_.headers.size()), headers})
    for (const header& h : list) {
      if (!detail::valid_header(h)) return error{errc::invalid_argument, ops::http_send};
      if (strip_credentials_ && detail::is_credential(h.name)) continue;
      detail::append(out, h.name);
      detail::append(out, ": ");
      detail::append(out, h.value);
      detail::append(out, "\r\n");
    }
  // User information in the URL is Basic credentials (RFC 7617), as curl
  // sends it, unless a header carries its own Authorization; never to
  // another origin.
  bool authorization = false;
  for (span<const header> list : {span<const header>(options_.headers.data(), options_.headers.size()), headers})
    for (const header& h : list) authorization = authorization || header_equal(h.name, "Authorization");
  if (!authorization && !strip_credentials_ && !(u.user.empty() && u.password.empty())) {
    detail::append(out, "Authorization: Basic ");
    detail::append(out, detail::basic_credentials(u));
    detail::append(out, "\r\n");
  }
  if (size < 0) {
    detail::append(out, "Transfer-Encoding: chunked\r\n");
  } else if (size > 0 || m == method::put || m == method::post) {
    detail::append(out, "Content-Length: ");
    detail::append_number(out, static_cast<std::uint64_t>(size));
    detail::append(out, "\r\n");
  }
  if (expect) detail::append(out, "Expect: 100-continue\r\n");
  detail::append(out, "\r\n");
  return {};
}

template <class P>
result<typename basic_client<P>::connection> basic_client<P>::connect(const url& u, deadline d) {
  if (u.scheme != "http" && u.scheme != "https") return error{errc::invalid_argument, ops::http_connect};
  if (u.scheme == "https" && options_.tls == nullptr) return error{errc::not_supported, ops::http_connect};
  // Plain connections are non-blocking, so that no send or receive can
  // outlast the deadline; a transport gets a blocking socket, as before.
  auto s = detail::connect_host<P>(u.host, u.port, d, u.scheme == "http");
  if (!s) return s.error();
  connection c;
  c.origin = detail::origin_of(u);
  c.socket = std::move(*s);
  c.in.resize(16 * 1024);
  if (u.scheme == "https") {
    const transport& t = *options_.tls;
    if (d.expired()) {
      close(c);
      return error{errc::timed_out, ops::http_connect};
    }
    if (auto ok = t.open(t.context, c.socket.native(), u.host, d.ns(), &c.tls_state); !ok) {
      close(c);
      return detail::as_op(ok.error(), ops::http_connect);
    }
  }
  ++opened_;
  return c;
}

template <class P>
typename basic_client<P>::connection basic_client<P>::take_idle(const url& u) {
  const text origin = detail::origin_of(u);
  for (std::size_t i = idle_.size(); i-- > 0;) {
    if (idle_[i].origin != origin) continue;
    connection c = std::move(idle_[i]);
    idle_.erase(idle_.data() + i);
    // Readable while idle: the server closed it (or sent what nobody asked for).
    auto ready = c.socket.wait(sys::io_events::readable, deadline::at_ns(0));
    if (ready || ready.error() != errc::timed_out) {
      close(c);
      continue;
    }
    c.reused = true;
    return c;
  }
  return connection{};
}

template <class P>
void basic_client<P>::give_back(connection c) {
  std::size_t same = 0;
  for (const connection& o : idle_) same += o.origin == c.origin ? 1 : 0;
  if (same >= options_.max_idle || idle_.size() >= 64) {
    close(c);
    return;
  }
  c.begin = c.end = 0;
  idle_.push_back(std::move(c));
}

template <class P>
result<bool> basic_client<P>::send(connection& c, span<const std::byte> data, deadline d) {
  // A transport is held to the deadline as the socket is: checked before
  // each call, so one that always makes progress cannot outlast it.
  if (c.tls_state != nullptr && options_.tls != nullptr) {
    while (!data.empty()) {
      if (d.expired()) return error{errc::timed_out, ops::http_send};
      auto n = options_.tls->send(c.tls_state, c.socket.native(), data, d.ns());
      if (!n) return detail::as_op(n.error(), ops::http_send);
      data = data.subspan(*n);
    }
    return true;
  }
  // Non-blocking: wait for room or for the server's answer, until `d`
  // (checked before each send too: a socket always ready never waits).
  while (!data.empty()) {
    if (d.expired()) return error{errc::timed_out, ops::http_send};
    auto ready = c.socket.wait(sys::io_events::readable | sys::io_events::writable, d);
    if (!ready) return detail::as_op(ready.error(), ops::http_send);
    if (sys::has(*ready, sys::io_events::readable)) return false;
    auto n = c.socket.send(data);
    if (!n && n.error() == errc::would_block) continue;
    if (!n) return detail::as_op(n.error(), ops::http_send);
    data = data.subspan(*n);
  }
  return true;
}

template <class P>
result<std::size_t> basic_client<P>::receive(connection& c, span<std::byte> buf, deadline d) {
  if (c.tls_state != nullptr && options_.tls != nullptr) {
    if (d.expired()) return error{errc::timed_out, ops::http_receive};
    auto n = options_.tls->receive(c.tls_state, c.socket.native(), buf, d.ns());
    if (!n) return detail::as_op(n.error(), ops::http_receive);
    return n;
  }
  for (;;) {
    // The deadline bounds a peer that never stops sending too (a 1xx flood,
    // an endless body), not only one that makes the client wait.
    if (d.expired()) return error{errc::timed_out, ops::http_receive};
    if (auto ready = c.socket.wait(sys::io_events::readable, d); !ready)
      return detail::as_op(ready.error(), ops::http_receive);
    auto n = c.socket.receive(buf);
    if (!n && n.error() == errc::would_block) continue;
    if (!n) return detail::as_op(n.error(), ops::http_receive);
    return n;
  }
}

template <class P>
template <class Source, class Sink>
result<response_head> basic_client<P>::exchange(method m, const url& u, std::int64_t size, Source& source, Sink& sink,
                                                span<const header> headers, deadline d, bool& stale) {
  stale = false;
  const bool expect = options_.expect_continue_over != UINT64_MAX &&
                      (size < 0 || static_cast<std::uint64_t>(size) > options_.expect_continue_over);
  text head;
  if (auto ok = build_head(head, m, u, size, expect, headers); !ok) {
    note(m, u, "a header name that is not a token, or a value with CR, LF or NUL");
    return ok.error();
  }
  connection c = take_idle(u);
  if (!c.socket.is_open()) {
    auto fresh = connect(u, d);
    if (!fresh) {
      note(m, u, fresh.error());
      return fresh.error();
    }
    c = std::move(*fresh);
  }
  response_parser p(options_.limits);
  p.start(m == method::head);
  bool any = false;  // a response byte arrived
  auto fail = [&](const error& e, bool before_response) -> error {
    stale = c.reused && before_response &&
            (e == errc::connection_reset || e == errc::broken_pipe || e == errc::unexpected_eof);
    close(c);
    note(m, u, e, e.op() == ops::http_parse ? &p : nullptr);
    return e;
  };
  // Receives once (waiting until `until`) and feeds what came to the
  // parser, the body to the sink. The end of the stream finishes the parser.
  auto pump = [&](deadline until) -> status {
    if (c.begin == c.end) {
      auto n = receive(c, span<std::byte>(c.in.data(), c.in.size()), until);
      if (!n) return n.error();
      if (*n == 0) return p.finish();
      c.begin = 0;
      c.end = *n;
      any = true;
    }
    while (c.begin < c.end && !p.done()) {
      auto st = p.feed(span<const std::byte>(c.in.data() + c.begin, c.end - c.begin));
      if (!st) return st.error();
      c.begin += st->used;
      if (!st->body.empty())
        if (auto ok = sink(st->body); !ok) return ok.error();
    }
    return {};
  };

  // The head, then the body in pieces of at most 64 KiB, framed when
  // chunked. The server may answer before the body is all sent (`cut`):
  // its response is read and the connection closed afterwards.
  constexpr std::size_t piece = 64 * 1024;
  buffer<std::byte> out;
  out.append(reinterpret_cast<const std::byte*>(head.data()), head.size());
  bool cut = false;
  error send_error{};  // the connection failed while sending: a response may still be there
  if (expect) {
    auto sent_head = send(c, out.span(), d);
    if (!sent_head) return fail(sent_head.error(), true);
    out.clear();
    // "100 Continue", a final status, or nothing within expect_wait: then the body anyway.
    deadline wait = deadline::after(options_.expect_wait);
    if (wait.ns() > d.ns()) wait = d;
    while (!p.head_done() && p.interim_status() == 0) {
      auto ok = pump(wait);
      if (ok) continue;
      if (ok.error() == errc::timed_out && !d.expired()) break;
      return fail(ok.error(), !any);
    }
    cut = p.head_done();
  }
  buffer<std::byte> chunk;
  std::uint64_t sent = 0;
  bool end = size == 0 || cut;
  while (!end) {
    chunk.resize(piece);
    auto got = source(span<std::byte>(chunk.data(), chunk.size()));
    if (!got) return fail(got.error(), false);
    const std::size_t n = *got;
    if (size >= 0) {
      if (n > static_cast<std::uint64_t>(size) - sent || (n == 0 && sent != static_cast<std::uint64_t>(size))) {
        close(c);
        note(m, u, "the body's source does not match its announced length");
        return error{errc::invalid_argument, ops::http_send};
      }
      out.append(chunk.data(), n);
      sent += n;
      end = sent == static_cast<std::uint64_t>(size);
    } else if (n != 0) {
      text frame;
      detail::append_number(frame, n, 16);
      detail::append(frame, "\r\n");
      out.append(reinterpret_cast<const std::byte*>(frame.data()), frame.size());
      out.append(chunk.data(), n);
      out.append(reinterpret_cast<const std::byte*>("\r\n"), 2);
      sent += n;
    } else {
      out.append(reinterpret_cast<const std::byte*>("0\r\n\r\n"), 5);
      end = true;
    }
    if (out.size() < piece && !end) continue;
    auto all = send(c, out.span(), d);
    out.clear();
    if (all && *all) continue;
    if (!all && all.error() != errc::connection_reset && all.error() != errc::broken_pipe)
      return fail(all.error(), true);
    if (!all) send_error = all.error();
    // The server answered early, closed or reset: read what it said.
    cut = true;
    break;
  }
  if (!out.empty() && !cut) {
    auto all = send(c, out.span(), d);
    if (!all && all.error() != errc::connection_reset && all.error() != errc::broken_pipe)
      return fail(all.error(), true);
    if (!all) send_error = all.error();
    cut = !all || !*all;
  }

  while (!p.done()) {
    if (auto ok = pump(d); !ok) {
      // A connection reset while sending, with no answer behind it: report the send.
      if (send_error && !any) return fail(send_error, true);
      return fail(ok.error(), !any);
    }
  }
  response_head h = std::move(p.head());
  if (h.keep_alive && !cut && c.begin == c.end && c.socket.is_open())
    give_back(std::move(c));
  else
    close(c);
  failure_.clear();
  return h;
}

template <class P>
result<response> basic_client<P>::request(method m, text_view where, span<const std::byte> body,
                                          span<const header> headers) {
  call_headers_ = headers;
  call_password_.clear();
  call_basic_.clear();
  auto u = url::parse(where);
  if (!u) {
    failure_ = to_string(m);
    detail::append(failure_, " <a URL that does not parse>: ");
    detail::append(failure_, u.error().message().view());
    return u.error();
  }
  call_password_ = percent_decoded(u->password);
  call_basic_ = u->user.empty() && u->password.empty() ? text() : detail::basic_credentials(*u);
  const deadline d = deadline::after(options_.timeout);
  const url origin = *u;
  strip_credentials_ = false;
  struct restore {
    bool& flag;
    ~restore() { flag = false; }
  } restore_credentials{strip_credentials_};
  response r;
  for (unsigned hop = 0;; ++hop) {
    for (int attempt = 0;; ++attempt) {
      r.body.clear();
      std::size_t at = 0;
      auto source = [&](span<std::byte> out) -> result<std::size_t> {
        const std::size_t n = out.size() < body.size() - at ? out.size() : body.size() - at;
        if (n != 0) std::memcpy(out.data(), body.data() + at, n);
        at += n;
        return n;
      };
      auto sink = [&](span<const std::byte> in) -> status {
        r.body.append(in.data(), in.size());
        return {};
      };
      bool stale = false;
      auto h = exchange(m, *u, static_cast<std::int64_t>(body.size()), source, sink, headers, d, stale);
      if (h) {
        static_cast<response_head&>(r) = std::move(*h);
        break;
      }
      if (!stale || attempt == 1) return h.error();
    }
    const text* location = r.find("Location");
    if (!options_.follow_redirects || !detail::is_redirect(r.status) || location == nullptr) break;
    if (hop == options_.max_redirects) {
      note(m, *u, "too many redirects");
      return error{errc::limit_exceeded, ops::http_redirect};
    }
    auto next = u->resolve(*location);
    if (!next || (next->scheme != "http" && next->scheme != "https")) {
      note(m, *u, "a redirect to a location that is not an http(s) URL");
      return error{errc::malformed, ops::http_redirect};
    }
    *u = std::move(*next);
    // Credentials go to the origin they were given for, never to another
    // one a Location names (as curl and browsers do).
    if (!origin.same_origin(*u)) strip_credentials_ = true;
    if (r.status == 303) {
      m = method::get;
      body = {};
    }
  }
  if (!r.ok()) note_status(m, *u, r);
  return r;
}

template <class P>
template <class Source, class Sink>
result<response_head> basic_client<P>::stream(method m, text_view where, std::int64_t size, Source&& source,
                                              Sink&& sink, span<const header> headers) {
  call_headers_ = headers;
  call_password_.clear();
  call_basic_.clear();
  auto u = url::parse(where);
  if (!u) {
    failure_ = to_string(m);
    detail::append(failure_, " <a URL that does not parse>: ");
    detail::append(failure_, u.error().message().view());
    return u.error();
  }
  call_password_ = percent_decoded(u->password);
  call_basic_ = u->user.empty() && u->password.empty() ? text() : detail::basic_credentials(*u);
  bool stale = false;
  auto h = exchange(m, *u, size, source, sink, headers, deadline::after(options_.timeout), stale);
  if (h && !h->ok()) note_status(m, *u, *h);
  return h;
}

}  // namespace vitte::http

#if VITTE_HEADER_ONLY
#include <vitte/http/impl/client.ipp>
#endif

#endif  // VITTE_HTTP_IMPL_CLIENT_HPP
