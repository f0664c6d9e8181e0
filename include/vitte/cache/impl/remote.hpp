// The remote cache's backends (HTTP, Redis), templates of the platform, for
// the remote tier a cache owns (impl/remote_tier.hpp). remote_options::parse
// is in impl/remote.ipp.
#ifndef VITTE_CACHE_IMPL_REMOTE_HPP
#define VITTE_CACHE_IMPL_REMOTE_HPP

#include <vitte/base/detail/atomic.hpp>
#include <vitte/cache/remote.hpp>
#include <vitte/cache/remote/action_result.hpp>
#include <vitte/cache/remote/resp.hpp>
#include <vitte/crypto/sha256.hpp>
#include <vitte/http/client.hpp>
#include <vitte/http/url.hpp>
#include <vitte/log/logger.hpp>
#include <vitte/sys/condition_variable.hpp>
#include <vitte/sys/mutex.hpp>
#include <vitte/sys/net.hpp>
#include <vitte/sys/thread.hpp>
#include <vitte/sys/time.hpp>

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>

namespace vitte::cache {

namespace detail {

inline text hex_of(const std::array<std::uint8_t, 32>& d) {
  fingerprint f;
  f.bytes = d;
  return f.hex();
}

// One server, one connection at a time (each thread has its own backend).
template <class P>
class remote_backend {
 public:
  using deadline = sys::basic_deadline<P>;
  virtual ~remote_backend() = default;
  /// The blob stored under kind ("ac" or "cas") and `hex`; false when absent.
  virtual result<bool> get(text_view kind, text_view hex, buffer<std::byte>& out, deadline d) = 0;
  /// Whether the server holds it.
  virtual result<bool> contains(text_view kind, text_view hex, deadline d) = 0;
  /// Stores `blob` under cas/`cas_hex` (unless `blob_known`), then `entry` under ac/`ac_hex`.
  virtual status put_pair(text_view cas_hex, span<const std::byte> blob, bool blob_known, text_view ac_hex,
                          span<const std::byte> entry, deadline d) = 0;
  /// What the last failure was, in words (names the server, never a secret).
  virtual text_view failure() const = 0;
};

template <class P>
class http_backend final : public remote_backend<P> {
 public:
  using deadline = sys::basic_deadline<P>;
  http_backend(const remote_options& o, http::url u) : layout_(o.layout), client_(options_for(o)) {
    base_ = u.scheme;
    base_.append("://", 3);
    // The user information stays in every URL the client is given: it
    // sends it as Basic credentials and keeps the password out of failures.
    if (!u.user.empty() || !u.password.empty()) {
      base_.append(u.user.data(), u.user.size());
      if (!u.password.empty()) base_.append(":", 1);
      base_.append(u.password.data(), u.password.size());
      base_.append("@", 1);
    }
    const text authority = u.authority();
    base_.append(authority.data(), authority.size());
    text_view path = u.target;
    while (path.ends_with('/')) path.remove_suffix(1);
    base_.append(path.data(), path.size());
  }

  result<bool> get(text_view kind, text_view hex, buffer<std::byte>& out, deadline d) override {
    arm(d);
    auto r = client_.get(where(kind, hex));
    if (!r) return r.error();
    if (r->status == 404) return false;
    if (!r->ok()) return http::status_error(r->status);
    out = std::move(r->body);
    return true;
  }
  result<bool> contains(text_view kind, text_view hex, deadline d) override {
    arm(d);
    auto r = client_.head(where(kind, hex));
    if (!r) return r.error();
    if (r->status == 404) return false;
    if (!r->ok()) return http::status_error(r->status);
    return true;
  }
  status put_pair(text_view cas_hex, span<const std::byte> blob, bool blob_known, text_view ac_hex,
                  span<const std::byte> entry, deadline d) override {
    if (!blob_known)
      if (auto ok = put(where("cas", cas_hex), blob, d); !ok) return ok;
    return put(where("ac", ac_hex), entry, d);
  }
  text_view failure() const override { return client_.failure(); }

 private:
  static http::client_options options_for(const remote_options& o) {
    http::client_options c;
    c.timeout = o.timeout;
    c.headers = o.headers;
    c.max_idle = 2;
    return c;
  }
  void arm(deadline d) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(d.remaining());
    client_.set_timeout(left.count() > 0 ? left : std::chrono::milliseconds(1));
  }
  status put(const text& u, span<const std::byte> body, deadline d) {
    arm(d);
    auto r = client_.put(u, body);
    if (!r) return r.error();
    if (!r->ok()) return http::status_error(r->status);
    return {};
  }
  text where(text_view kind, text_view hex) const {
    text u = base_;
    u.append("/", 1);
    u.append(kind.data(), kind.size());
    u.append("/", 1);
    if (layout_ == remote_layout::subdirs) {
      u.append(hex.data(), 2);
      u.append("/", 1);
      hex.remove_prefix(2);
    }
    u.append(hex.data(), hex.size());
    return u;
  }

  remote_layout layout_;
  http::basic_client<P> client_;
  text base_;  // scheme://[user:password@]authority/path, without a trailing '/'
};

template <class P>
class redis_backend final : public remote_backend<P> {
 public:
  using deadline = sys::basic_deadline<P>;
  explicit redis_backend(http::url u)
      : url_(std::move(u)), user_(http::percent_decoded(url_.user)), password_(http::percent_decoded(url_.password)) {
    text_view db = url_.target;
    db.remove_prefix(1);
    db_ = db.empty() ? text("0") : text(db);
  }

  result<bool> get(text_view kind, text_view hex, buffer<std::byte>& out, deadline d) override {
    const text k = key(kind, hex);
    buffer<std::byte> cmd;
    append_resp_command(cmd, {as_bytes("GET"), as_bytes(k)});
    resp_reply r[1];
    if (auto ok = exchange(cmd, r, d); !ok) return ok.error();
    if (r[0].type == resp_reply::kind::nil) return false;
    if (r[0].type != resp_reply::kind::bulk) return refused(r[0], "GET");
    out = std::move(r[0].bytes);
    return true;
  }
  result<bool> contains(text_view kind, text_view hex, deadline d) override {
    const text k = key(kind, hex);
    buffer<std::byte> cmd;
    append_resp_command(cmd, {as_bytes("EXISTS"), as_bytes(k)});
    resp_reply r[1];
    if (auto ok = exchange(cmd, r, d); !ok) return ok.error();
    if (r[0].type != resp_reply::kind::integer) return refused(r[0], "EXISTS");
    return r[0].integer != 0;
  }
  status put_pair(text_view cas_hex, span<const std::byte> blob, bool blob_known, text_view ac_hex,
                  span<const std::byte> entry, deadline d) override {
    // Pipelined: both SETs in one write, both replies in one wait. A value
    // beyond what a Redis server takes (proto-max-bulk-len) is not sent.
    const std::uint64_t most = resp_limits{}.max_bulk;
    if ((!blob_known && blob.size() > most) || entry.size() > most) {
      failure_ = "redis ";
      const text u = url_.to_text();
      failure_.append(u.data(), u.size());
      http::detail::append(failure_, ": a value larger than a Redis server takes (proto-max-bulk-len, 512 MiB)");
      return error{errc::limit_exceeded, ops::remote_put};
    }
    const text ck = key("cas", cas_hex), ak = key("ac", ac_hex);
    buffer<std::byte> cmd;
    if (!blob_known) append_resp_command(cmd, {as_bytes("SET"), as_bytes(ck), blob});
    append_resp_command(cmd, {as_bytes("SET"), as_bytes(ak), entry});
    if (d.expired()) return broken(error{errc::timed_out, ops::remote_put});  // a large blob took its time to copy
    resp_reply r[2];
    const std::size_t n = blob_known ? 1 : 2;
    if (auto ok = exchange(cmd, span<resp_reply>(r, n), d); !ok) return ok;
    for (std::size_t i = 0; i < n; ++i)
      if (r[i].type != resp_reply::kind::simple) return refused(r[i], "SET");
    return {};
  }
  text_view failure() const override { return failure_; }

 private:
  static span<const std::byte> as_bytes(text_view t) {
    return {reinterpret_cast<const std::byte*>(t.data()), t.size()};
  }
  static text key(text_view kind, text_view hex) {
    text k("vitte:");
    k.append(kind.data(), kind.size());
    k.append(":", 1);
    k.append(hex.data(), hex.size());
    return k;
  }
  error refused(const resp_reply& r, text_view command) {
    failure_ = "redis ";
    const text u = url_.to_text();
    failure_.append(u.data(), u.size());
    failure_.append(": ", 2);
    failure_.append(command.data(), command.size());
    failure_.append(" answered ", 10);
    if (r.type == resp_reply::kind::error) {  // quoted, and never the password a server echoes
      text said;
      http::detail::append_quoted(said, text_view(reinterpret_cast<const char*>(r.bytes.data()), r.bytes.size()));
      if (!http::detail::redact_one(said, password_))  // whole, then cut: a cut never splits the password
        said = text("<a refusal whose text could not be checked for the password>");
      failure_.append(said.data(), said.size() < 200 ? said.size() : 200);
    } else {
      failure_.append("an unexpected reply", 19);
    }
    if (http::detail::contains_secret(failure_, password_)) {  // a password "<redacted>" spells
      failure_ = "redis ";
      failure_.append(u.data(), u.size());
      failure_.append(": a refusal whose text would show the password", 46);
    }
    return error{errc::io_error, ops::remote_get};
  }
  error broken(const error& e) {
    (void)socket_.close();
    failure_ = "redis ";
    const text u = url_.to_text();
    failure_.append(u.data(), u.size());
    failure_.append(": ", 2);
    text said;
    http::detail::append_quoted(said, e.message().view());
    if (!http::detail::redact_one(said, password_) || http::detail::contains_secret(said, password_))
      said = text("a failure whose text would show the password");
    failure_.append(said.data(), said.size());
    return e;
  }
  status connect(deadline d) {
    // Non-blocking: every send and receive waits on the deadline, so a
    // server that stops reading a large SET cannot hold the caller.
    auto s = http::detail::connect_host<P>(url_.host, url_.port, d, true);
    if (!s) return broken(s.error());
    socket_ = std::move(*s);
    buffer<std::byte> hello;
    std::size_t n = 0;
    if (!password_.empty() && !user_.empty()) {  // Redis 6 ACL: AUTH user password
      append_resp_command(hello, {as_bytes("AUTH"), as_bytes(user_), as_bytes(password_)});
      ++n;
    } else if (!password_.empty()) {
      append_resp_command(hello, {as_bytes("AUTH"), as_bytes(password_)});
      ++n;
    }
    if (db_ != "0") {
      append_resp_command(hello, {as_bytes("SELECT"), as_bytes(db_)});
      ++n;
    }
    if (n == 0) return {};
    resp_reply r[2];
    if (auto ok = round_trip(hello, span<resp_reply>(r, n), d); !ok) return ok;
    for (std::size_t i = 0; i < n; ++i)
      if (r[i].type != resp_reply::kind::simple) {
        (void)socket_.close();
        return refused(r[i], i == 0 && !password_.empty() ? "AUTH" : "SELECT");
      }
    return {};
  }
  status exchange(const buffer<std::byte>& cmd, span<resp_reply> replies, deadline d) {
    if (!socket_.is_open())
      if (auto ok = connect(d); !ok) return ok;
    return round_trip(cmd, replies, d);
  }
  status round_trip(const buffer<std::byte>& cmd, span<resp_reply> replies, deadline d) {
    if (auto ok = socket_.send_all(cmd.span(), d); !ok) return broken(ok.error());
    std::size_t have = 0, at = 0;
    if (in_.size() > 64 * 1024) in_ = buffer<std::byte>();  // a large reply's memory is not kept
    in_.resize(64 * 1024);
    for (std::size_t i = 0; i < replies.size();) {
      auto used = parse_resp(span<const std::byte>(in_.data() + at, have - at), replies[i], reply_limits);
      if (!used) return broken(used.error());
      if (*used != 0) {
        at += *used;
        ++i;
        continue;
      }
      // The deadline holds while bytes keep coming too, and no reply we ask
      // for is larger than one value (resp_limits::max_bulk) and its framing.
      if (d.expired()) return broken(error{errc::timed_out, http::ops::http_receive});
      if (have == in_.size()) {
        const std::size_t most = static_cast<std::size_t>(resp_limits{}.max_bulk) + 64 * 1024;
        if (in_.size() >= most) return broken(error{errc::limit_exceeded, ops::remote_decode});
        in_.resize(in_.size() * 2 < most ? in_.size() * 2 : most);
      }
      if (auto ready = socket_.wait(sys::io_events::readable, d); !ready) return broken(ready.error());
      auto n = socket_.receive(span<std::byte>(in_.data() + have, in_.size() - have));
      if (!n && n.error() == errc::would_block) continue;
      if (!n) return broken(n.error());
      if (*n == 0) return broken(error{errc::unexpected_eof, http::ops::http_receive});
      have += *n;
    }
    if (at != have) return broken(error{errc::malformed, ops::remote_decode});  // replies nobody asked for
    return {};
  }

  // The replies of GET, EXISTS, SET, AUTH and SELECT: one value, never an
  // array (an array of anything is refused before it is read).
  static constexpr resp_limits reply_limits{resp_limits{}.max_bulk, 0, 0};

  http::url url_;
  text user_, password_;  // percent-decoded from the URL
  text db_;
  sys::basic_socket<P> socket_;
  buffer<std::byte> in_;
  text failure_;
};

template <class P>
result<std::unique_ptr<remote_backend<P>>> make_backend(const remote_options& o) {
  auto u = http::url::parse(o.url);
  if (!u) return u.error();
  if (u->scheme == "redis") return std::unique_ptr<remote_backend<P>>(new redis_backend<P>(std::move(*u)));
  return std::unique_ptr<remote_backend<P>>(new http_backend<P>(o, std::move(*u)));
}

}  // namespace detail

}  // namespace vitte::cache

#endif  // VITTE_CACHE_IMPL_REMOTE_HPP
