// Non-template bodies of vitte/http/server.hpp: the request parser, and
// the server's loop on its thread.
#ifndef VITTE_HTTP_IMPL_SERVER_IPP
#define VITTE_HTTP_IMPL_SERVER_IPP

#include <vitte/http/parser.hpp>  // detail::is_tchar, is_field_char, trim_ows, parse_decimal: the response parser's rules
#include <vitte/http/server.hpp>
#include <vitte/sys/net.hpp>
#include <vitte/sys/poller.hpp>
#include <vitte/sys/thread.hpp>
#include <vitte/sys/time.hpp>

#include <atomic>
#include <charconv>
#include <cstring>
#include <utility>
#include <vector>

namespace vitte::http {

VITTE_DECL text_view request::field(text_view name) const noexcept {
  for (const header& h : fields)
    if (header_equal(h.name, name)) return h.value;
  return {};
}

VITTE_DECL text_view request::query_value(text_view key) const noexcept {
  text_view q = query;
  while (!q.empty()) {
    const std::size_t amp = q.find('&');
    const text_view pair = q.substr(0, amp);
    q = amp == text_view::npos ? text_view() : q.substr(amp + 1);
    const std::size_t eq = pair.find('=');
    if (pair.substr(0, eq) == key) return eq == text_view::npos ? text_view() : pair.substr(eq + 1);
  }
  return {};
}

VITTE_DECL error request_parser::fail(errc kind, int status, text_view what) noexcept {
  why_.clear();
  why_.of(kind).at(buf_.size()).say(what);
  refusal_ = status;
  return error(kind, ops::http_parse);
}

VITTE_DECL result<std::size_t> request_parser::feed(span<const std::byte> in) {
  if (done_) return std::size_t{0};
  if (refusal_ != 0) return error(errc::malformed, ops::http_parse);
  std::size_t used = 0;
  while (used < in.size()) {
    const char c = static_cast<char>(in[used++]);
    if (c == '\n' && (buf_.empty() || buf_.view().back() != '\r'))
      return fail(errc::malformed, 400, "a bare LF (lines end with CRLF)");
    if (buf_.size() >= limits_.max_request_bytes)
      return fail(errc::limit_exceeded, 431, "the request head is longer than the server takes");
    // The request line's method, checked as it arrives: a client speaking
    // something else (TLS, HTTP/2's preface is a token) is refused at once.
    if (!line_done_ && !method_done_) {
      if (c == ' ' && !buf_.empty())
        method_done_ = true;
      else if (!detail::is_tchar(c) && !(c == '\r' || (c == '\n' && buf_.view() == "\r")))
        return fail(errc::malformed, 400, "the method is not a token");
    }
    if (c == '\n' && !buf_.empty()) line_done_ = true;
    buf_ += c;
    const text_view b = buf_;
    if (b.size() >= 4 && b.substr(b.size() - 4) == "\r\n\r\n") {
      if (auto ok = parse(); !ok) return ok.error();
      done_ = true;
      return used;
    }
    if (b == "\r\n") {  // an empty line before the request line (RFC 9112 2.2)
      buf_ = text();
      line_done_ = false;
    }
  }
  return used;
}

VITTE_DECL status request_parser::parse() {
  text_view rest = buf_;
  const std::size_t eol = rest.find("\r\n");
  const text_view line = rest.substr(0, eol);
  rest = rest.substr(eol + 2);
  // request-line = method SP request-target SP HTTP-version
  const std::size_t sp1 = line.find(' ');
  if (sp1 == text_view::npos || sp1 == 0) return fail(errc::malformed, 400, "no method in the request line");
  const std::size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == text_view::npos || sp2 == sp1 + 1) return fail(errc::malformed, 400, "no target in the request line");
  const text_view method = line.substr(0, sp1), target = line.substr(sp1 + 1, sp2 - sp1 - 1),
                  version = line.substr(sp2 + 1);
  for (char c : method)
    if (!detail::is_tchar(c)) return fail(errc::malformed, 400, "the method is not a token");
  for (char c : target)
    if (c <= 0x20 || c >= 0x7f) return fail(errc::malformed, 400, "a control, space or non-ASCII byte in the target");
  if (version.size() != 8 || version.substr(0, 7) != "HTTP/1." || version[7] < '0' || version[7] > '9') {
    if (version.starts_with("HTTP/")) return fail(errc::not_supported, 505, "not HTTP/1.x");
    return fail(errc::malformed, 400, "no HTTP version in the request line");
  }
  if (target[0] != '/') return fail(errc::malformed, 400, "the target is not a path (origin-form)");
  req_.method = method;
  req_.target = target;
  const std::size_t q = target.find('?');
  req_.path = target.substr(0, q);
  req_.query = q == text_view::npos ? text_view() : target.substr(q + 1);
  req_.minor = version[7] - '0';
  // Fields, up to the empty line.
  while (!rest.empty() && rest != "\r\n") {
    const std::size_t end = rest.find("\r\n");
    const text_view f = rest.substr(0, end);
    rest = rest.substr(end + 2);
    if (f[0] == ' ' || f[0] == '\t') return fail(errc::malformed, 400, "a folded field line (obs-fold)");
    const std::size_t colon = f.find(':');
    if (colon == text_view::npos || colon == 0) return fail(errc::malformed, 400, "a field line without a name");
    const text_view name = f.substr(0, colon);
    for (char c : name)
      if (!detail::is_tchar(c)) return fail(errc::malformed, 400, "a field name that is not a token");
    const text_view value = detail::trim_ows(f.substr(colon + 1));
    for (char c : value)
      if (!detail::is_field_char(c)) return fail(errc::malformed, 400, "a control character in a field value");
    if (req_.fields.size() >= limits_.max_fields) return fail(errc::limit_exceeded, 431, "too many fields");
    req_.fields.push_back(header{text(name), text(value)});
  }
  // No body is taken: any Transfer-Encoding, and every Content-Length
  // but "0" (also an empty one, or a second that disagrees), is refused.
  for (const header& h : req_.fields) {
    if (header_equal(h.name, "Transfer-Encoding")) return fail(errc::not_supported, 400, "a request with a body");
    if (!header_equal(h.name, "Content-Length")) continue;
    std::uint64_t n = 0;
    if (!detail::parse_decimal(h.value, n)) return fail(errc::malformed, 400, "a Content-Length that is not a number");
    if (n != 0) return fail(errc::not_supported, 400, "a request with a body");
  }
  return {};
}

VITTE_DECL text_view reason_phrase(int status) noexcept {
  switch (status) {
    case 200:
      return "OK";
    case 204:
      return "No Content";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Unknown";
  }
}

namespace detail {

// A reply's bytes: status line, the fields every reply has, the body unless HEAD.
VITTE_DECL text reply_bytes(const reply& r, bool head_only) {
  char digits[24];
  text out = "HTTP/1.1 ";
  auto n = std::to_chars(digits, digits + sizeof digits, r.status);
  out.append(digits, static_cast<std::size_t>(n.ptr - digits)).append(" ").append(reason_phrase(r.status));
  out.append("\r\nContent-Type: ").append(r.content_type);
  n = std::to_chars(digits, digits + sizeof digits, r.body.size());
  out.append("\r\nContent-Length: ").append(digits, static_cast<std::size_t>(n.ptr - digits));
  out.append(
      "\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n"
      "Content-Security-Policy: default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
      "img-src data:\r\nConnection: close\r\n");
  if (r.status == 405) out.append("Allow: GET, HEAD\r\n");
  out.append("\r\n");
  if (!head_only) out.append(r.body.data(), r.body.size());
  return out;
}

struct server_connection {
  enum class phase : std::uint8_t { reading, writing, draining };
  sys::socket sock;
  request_parser parser;
  text out;
  std::size_t sent = 0;
  std::int64_t deadline_ns = 0;
  phase at = phase::reading;
};

struct server_state {
  server_options o;
  server::handler handle;
  sys::socket listener;  // until serve(), which gives it to the acceptor
  sys::poller poller;
  sys::acceptor acceptor;  // sheds a connection at the descriptor limit instead of spinning on it
  std::vector<std::unique_ptr<server_connection>> conns;  // by slot; null: free
  std::size_t open = 0;
  std::atomic<bool> stopping{false};
  std::atomic<std::uint64_t> requests{0}, refused{0}, shed{0};

  static constexpr std::uint64_t listener_data = std::uint64_t{1} << 62;  // the poller keeps ~0 for itself

  void close(std::size_t slot) {
    (void)poller.remove(conns[slot]->sock.native());
    conns[slot].reset();
    --open;
  }

  void accept_all() {
    for (int n = 0; n < 256; ++n) {  // a bounded batch: the poller reports the listener again
      auto c = acceptor.accept(nullptr, /*nonblocking=*/true);
      if (!c && c.error().kind() == errc::too_many_open_files) {
        shed.fetch_add(1, std::memory_order_relaxed);
        continue;
      }
      if (!c) return;  // would_block, or a connection that went away: the poller says when there is more
      if (open >= o.max_connections) {
        // A connection that only waits for its client to close gives way.
        std::size_t done = 0;
        while (done < conns.size() && !(conns[done] && conns[done]->at == server_connection::phase::draining)) ++done;
        if (done == conns.size()) {
          shed.fetch_add(1, std::memory_order_relaxed);
          continue;  // closed here: the client sees its connection end
        }
        close(done);
      }
      std::size_t slot = 0;
      while (slot < conns.size() && conns[slot]) ++slot;
      if (slot == conns.size()) conns.emplace_back();
      auto conn = std::make_unique<server_connection>();
      conn->sock = static_cast<sys::socket&&>(*c);
      conn->parser = request_parser(o.limits);
      conn->deadline_ns = sys::deadline::after(o.request_time).ns();
      if (!poller.add(conn->sock.native(), sys::io_events::readable, slot)) continue;
      conns[slot] = static_cast<std::unique_ptr<server_connection>&&>(conn);
      ++open;
    }
  }

  void answer(std::size_t slot, const reply& r, bool head_only) {
    server_connection& c = *conns[slot];
    c.out = reply_bytes(r, head_only);
    c.at = server_connection::phase::writing;
    c.deadline_ns = sys::deadline::after(o.reply_time).ns();
    (void)poller.modify(c.sock.native(), sys::io_events::writable, slot);
    write(slot);
  }

  void refuse(std::size_t slot, int status, text_view why) {
    refused.fetch_add(1, std::memory_order_relaxed);
    text body(why);
    body.append("\n");
    answer(slot, reply(status, "text/plain; charset=utf-8", static_cast<text&&>(body)), false);
  }

  void write(std::size_t slot) {
    server_connection& c = *conns[slot];
    while (c.sent < c.out.size()) {
      auto n = c.sock.send(as_bytes(span<const char>(c.out.data() + c.sent, c.out.size() - c.sent)));
      if (!n) {
        if (n.error().kind() != errc::would_block) close(slot);
        return;
      }
      c.sent += *n;
    }
    // All sent: end our side, and read what the client still sends until it
    // closes, so that closing does not reset a reply it has not read.
    (void)c.sock.shutdown(sys::shutdown_how::send);
    c.at = server_connection::phase::draining;
    c.deadline_ns = sys::deadline::after(std::chrono::seconds(1)).ns();
    (void)poller.modify(c.sock.native(), sys::io_events::readable, slot);
  }

  void read(std::size_t slot) {
    server_connection& c = *conns[slot];
    std::byte buf[4096];
    auto n = c.sock.receive(span<std::byte>(buf, sizeof buf));
    if (!n) {
      if (n.error().kind() != errc::would_block) close(slot);
      return;
    }
    if (*n == 0 || c.at == server_connection::phase::draining) {
      if (*n == 0) close(slot);
      return;
    }
    auto used = c.parser.feed(span<const std::byte>(buf, *n));
    if (!used) return refuse(slot, c.parser.refusal(), c.parser.describe().message());
    if (!c.parser.done()) return;
    const request& r = c.parser.head();
    const bool head_only = r.method == "HEAD";
    if (r.method != "GET" && !head_only) return refuse(slot, 405, "only GET and HEAD are served");
    requests.fetch_add(1, std::memory_order_relaxed);
    answer(slot, handle(r), head_only);
  }

  void expire(std::int64_t now) {
    for (std::size_t slot = 0; slot < conns.size(); ++slot) {
      if (!conns[slot] || conns[slot]->deadline_ns > now) continue;
      if (conns[slot]->at == server_connection::phase::reading) {
        // Slow or silent: told so once, without waiting for it to read.
        refuse(slot, 408, "the request did not arrive in time");
        if (conns[slot] && conns[slot]->at != server_connection::phase::draining) close(slot);
        continue;
      }
      close(slot);
    }
  }

  void run() {
    sys::poll_event evs[64];
    while (!stopping.load(std::memory_order_acquire)) {
      std::int64_t next = sys::deadline::after(std::chrono::seconds(1)).ns();
      for (const auto& c : conns)
        if (c && c->deadline_ns < next) next = c->deadline_ns;
      auto ready = poller.wait(span<sys::poll_event>(evs, 64), sys::deadline::at_ns(next));
      if (!ready) continue;
      for (const sys::poll_event& e : *ready) {
        if (e.data == listener_data) {
          accept_all();
          continue;
        }
        const auto slot = static_cast<std::size_t>(e.data);
        if (slot >= conns.size() || !conns[slot]) continue;
        if (conns[slot]->at == server_connection::phase::writing)
          write(slot);
        else
          read(slot);
      }
      expire(sys::monotonic_clock::now_ns());
    }
    for (std::size_t slot = 0; slot < conns.size(); ++slot)
      if (conns[slot]) close(slot);
  }
};

}  // namespace detail

VITTE_DECL server& server::operator=(server&& other) noexcept {
  if (this != &other) {
    stop();
    state_ = static_cast<std::shared_ptr<detail::server_state>&&>(other.state_);
    thread_ = static_cast<sys::thread&&>(other.thread_);
    port_ = other.port_;
  }
  return *this;
}

VITTE_DECL result<server> server::start(const server_options& o, handler h) {
  auto ip = sys::ip_address::parse(o.address);
  if (!ip) return ip.error();
  if (!ip->is_loopback() && !o.any_address) return error(errc::invalid_argument, ops::http_connect);
  auto where = sys::socket_address::parse(o.address, o.port);
  if (!where) return where.error();
  sys::listen_options lo;
  lo.nonblocking = true;
  lo.backlog = 64;
  auto listener = sys::socket::listen(*where, lo);
  if (!listener) return listener.error();
  auto bound = listener->local_address();
  if (!bound) return bound.error();
  auto state = std::make_shared<detail::server_state>();
  state->o = o;
  state->handle = static_cast<handler&&>(h);
  state->listener = static_cast<sys::socket&&>(*listener);
  server s;
  s.port_ = bound->port();
  s.state_ = static_cast<std::shared_ptr<detail::server_state>&&>(state);
  if (!o.serve_later)
    if (auto ok = s.serve(); !ok) return ok.error();
  return s;
}

VITTE_DECL status server::serve() {
  if (thread_.joinable()) return {};
  if (!state_ || !state_->listener.is_open()) return error(errc::invalid_argument, ops::http_connect);
  auto poller = sys::poller::create();
  if (!poller) return poller.error();
  if (auto ok = poller->add(state_->listener.native(), sys::io_events::readable, detail::server_state::listener_data);
      !ok)
    return ok;
  auto acceptor = sys::acceptor::create(static_cast<sys::socket&&>(state_->listener));
  if (!acceptor) return acceptor.error();
  state_->poller = static_cast<sys::poller&&>(*poller);
  state_->acceptor = static_cast<sys::acceptor&&>(*acceptor);
  sys::thread_options to;
  to.name = "vitte-http";
  to.stack_size = 256 * 1024;  // a 4 KiB buffer and 64 poll events deep at most
  auto th = sys::thread::spawn(to, [state = state_] { state->run(); });
  if (!th) return th.error();
  thread_ = static_cast<sys::thread&&>(*th);
  return {};
}

VITTE_DECL bool server::waiting() const noexcept {
  if (!state_ || thread_.joinable() || !state_->listener.is_open()) return false;
  auto ready = state_->listener.wait(sys::io_events::readable, sys::deadline::at_ns(0));
  return ready && sys::has(*ready, sys::io_events::readable);
}

VITTE_DECL void server::stop() noexcept {
  if (!state_) return;
  state_->stopping.store(true, std::memory_order_release);
  if (thread_.joinable()) {
    (void)state_->poller.wake();
    (void)thread_.join();
  }
  (void)state_->listener.close();  // clients are refused from now
  state_->acceptor = sys::acceptor();
}

VITTE_DECL server_stats server::stats() const noexcept {
  if (!state_) return {};
  return {state_->requests.load(std::memory_order_relaxed), state_->refused.load(std::memory_order_relaxed),
          state_->shed.load(std::memory_order_relaxed)};
}

}  // namespace vitte::http

#endif  // VITTE_HTTP_IMPL_SERVER_IPP
