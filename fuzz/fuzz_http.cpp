// libFuzzer target: the HTTP/1.1 response parser (vitte/http) on hostile
// bytes, fed in pieces whose sizes come from the input, with small limits;
// URL parsing; and the client itself against the input as a scripted server
// (through the transport hook: every byte the client receives is the
// input's), asserting its promise that no error text ever contains a
// configured secret, and that no request outlasts its deadline: the client
// runs on the fault policy, whose clock the scripted server moves forward
// by a cost per call (the input's first byte chooses it), as a slow peer
// would; "$W" in a response is a server that goes silent, the transport
// waiting until the deadline it was given. However the time is spent, a
// request ends by its deadline plus the cost of one call. In the scripted
// responses "$A" stands for the Authorization value the client sent, "$T"
// for the token, "$P" for the URL's password, "$S" and "$O" for
// options.secrets' entries and "$K" for a request header's value, so that echoes are easy to
// find. Whatever the split, the parser must reach the same verdict and the
// same body. Build and run with fuzz/run.sh; seeds: fuzz/make_http_corpus.py.
#include <vitte/http/client.hpp>
#include <vitte/http/parser.hpp>
#include <vitte/http/url.hpp>
#include <vitte/sys/policy/fault.hpp>

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

namespace http = vitte::http;
namespace sys = vitte::sys;
// The client's platform: the default one, with a clock the script moves.
using timed = sys::fault_platform<sys::platform>;

struct outcome {
  bool ok = false;
  int status = 0;
  std::string body;
};

// A refusal: the parser's diagnostic is whole where it was made (the
// error's kind, a position inside the input, a message).
outcome refused(const vitte::http::response_parser& p, vitte::error e, std::size_t size, const outcome& o) {
  const vitte::diagnostic& d = p.describe();
  if (d.kind() != e.kind() || !d.has_offset() || d.offset() > size || d.message().empty()) __builtin_trap();
  return o;
}

outcome run(const std::uint8_t* data, std::size_t size, std::size_t step, bool head) {
  vitte::http::parser_limits limits;
  limits.max_head_bytes = 2048;
  limits.max_fields = 16;
  limits.max_body_bytes = 1 << 16;
  vitte::http::response_parser p(limits);
  p.start(head);
  outcome o;
  const auto* bytes = reinterpret_cast<const std::byte*>(data);
  std::size_t at = 0;
  while (!p.done() && at < size) {
    vitte::span<const std::byte> in(bytes + at, step < size - at ? step : size - at);
    while (!in.empty() && !p.done()) {
      auto s = p.feed(in);
      if (!s) return refused(p, s.error(), size, o);
      if (s->used == 0) __builtin_trap();  // no progress on non-empty input
      if (p.offset() > size) __builtin_trap();
      o.body.append(reinterpret_cast<const char*>(s->body.data()), s->body.size());
      in = in.subspan(s->used);
      at += s->used;
    }
  }
  if (!p.done())
    if (auto ok = p.finish(); !ok) return refused(p, ok.error(), size, o);
  o.ok = true;
  o.status = p.head().status;
  if (o.body.size() > limits.max_body_bytes) __builtin_trap();
  return o;
}

// The secrets the client is configured with. The password and "odd" hold
// the bytes quoting and percent-encoding render two ways ('\\' as "\\\\",
// '%' as "%25"); the URL carries the password percent-encoded.
const char token[] = "tk-9f3b7c21d4e8a605";
const char password[] = "pw-c0\\ff%ee4411";
const char extra[] = "de77aa02bd";  // hex digits: "%0de7..." reads two ways
const char key[] = "kv-3e5d19f0";
const char odd[] = "ob\\q%41z-5c";

// The scripted server: what the client receives, in pieces of `step` bytes,
// each call of the transport costing `cost_ns` of the fault clock. A NUL
// byte at `silent` (the "$W" mark) is a server that says nothing more.
struct script {
  std::string bytes;
  std::size_t at = 0;
  std::size_t step = 1;
  std::int64_t cost_ns = 0;
  std::size_t silent = std::string::npos;
};

std::int64_t now_ns() { return timed::clock_now_ns(sys::clock_id::monotonic); }

http::transport scripted_transport() {
  http::transport t;
  t.open = [](void* ctx, sys::native_handle, vitte::text_view, std::int64_t, void** state) -> vitte::status {
    *state = ctx;
    sys::fault_plan::advance_clock(static_cast<script*>(ctx)->cost_ns);  // the handshake costs a call too
    return {};
  };
  t.send = [](void* state, sys::native_handle, vitte::span<const std::byte> d,
              std::int64_t) -> vitte::result<std::size_t> {
    sys::fault_plan::advance_clock(static_cast<script*>(state)->cost_ns);
    return d.size();  // the server reads everything
  };
  t.receive = [](void* state, sys::native_handle, vitte::span<std::byte> b,
                 std::int64_t deadline_ns) -> vitte::result<std::size_t> {
    auto& s = *static_cast<script*>(state);
    if (s.at == s.silent) {  // a transport waits for bytes until its deadline
      const std::int64_t left = deadline_ns - now_ns();
      sys::fault_plan::advance_clock(left);
      return vitte::error{vitte::errc::timed_out};
    }
    sys::fault_plan::advance_clock(s.cost_ns);
    std::size_t n = (s.silent < s.bytes.size() ? s.silent : s.bytes.size()) - s.at;
    if (n > s.step) n = s.step;
    if (n > b.size()) n = b.size();
    std::memcpy(b.data(), s.bytes.data() + s.at, n);
    s.at += n;
    return n;  // 0 at the end: the server closed
  };
  t.close = [](void*) {};
  return t;
}

// A loopback listener the client's TCP connections land in (the transport
// then stands in for the server); pending connections are accepted and
// closed after each input.
sys::socket& listener() {
  static sys::socket l =
      sys::socket::listen(sys::socket_address::parse("127.0.0.1:0").value(), sys::listen_options{.nonblocking = true})
          .value();
  return l;
}

// `t` with quoting (\\, \xNN) or percent-encoding (%NN) undone.
std::string undone(std::string_view t, bool percent) {
  auto hex = [&](std::size_t i) {
    if (i + 2 > t.size() || !std::isxdigit(static_cast<unsigned char>(t[i])) ||
        !std::isxdigit(static_cast<unsigned char>(t[i + 1])))
      return -1;
    return static_cast<int>(std::strtoul(std::string(t.substr(i, 2)).c_str(), nullptr, 16));
  };
  std::string out;
  for (std::size_t i = 0; i < t.size(); ++i) {
    int v = -1;
    if (percent && t[i] == '%' && (v = hex(i + 1)) >= 0) {
      out += static_cast<char>(v), i += 2;
    } else if (!percent && t[i] == '\\' && i + 1 < t.size() && t[i + 1] == '\\') {
      out += '\\', i += 1;
    } else if (!percent && t[i] == '\\' && i + 1 < t.size() && t[i + 1] == 'x' && (v = hex(i + 2)) >= 0) {
      out += static_cast<char>(v), i += 3;
    } else {
      out += t[i];
    }
  }
  return out;
}

// A secret as is, quoted, percent-encoded, or both.
bool has_secret(std::string_view text) {
  auto lower = [](std::string v) {
    for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return v;
  };
  const std::string unquoted = undone(text, false);
  for (const std::string& t : {std::string(text), unquoted, undone(text, true), undone(unquoted, true)})
    for (const char* s : {token, password, extra, key, odd})
      if (lower(t).find(lower(s)) != std::string::npos) return true;
  return false;
}

// The promise: no error text shows a configured secret.
void check(const http::basic_client<timed>& c, const vitte::error& e) {
  if (has_secret(std::string_view(c.failure().data(), c.failure().size()))) __builtin_trap();
  const auto message = e.message();  // held: view() points into it
  const vitte::text_view m = message.view();
  if (has_secret(std::string_view(m.data(), m.size()))) __builtin_trap();
}

void drive_client(const std::uint8_t* data, std::size_t size, std::uint8_t flags) {
  static script s;
  static const http::transport t = [] {
    http::transport x = scripted_transport();
    x.context = &s;
    return x;
  }();
  s.bytes.clear();
  s.at = 0;
  s.step = 1 + flags % 7;
  s.cost_ns = std::int64_t{flags >> 4} * 40'000'000;  // 0 to 600 ms a call
  s.silent = std::string::npos;
  sys::fault_plan::clear();
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::string auth = std::string("Bearer ") + token;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '$' && i + 1 < in.size()) {
      const char* what = nullptr;
      switch (in[i + 1]) {
        case 'A':
          what = auth.c_str();
          break;
        case 'T':
          what = token;
          break;
        case 'P':
          what = password;
          break;
        case 'S':
          what = extra;
          break;
        case 'K':
          what = key;
          break;
        case 'O':
          what = odd;
          break;
        case 'W':
          if (s.silent == std::string::npos) s.silent = s.bytes.size();
          what = "";
          break;
      }
      if (what != nullptr) {
        s.bytes += what;
        ++i;
        continue;
      }
    }
    s.bytes += in[i];
  }
  http::client_options o;
  o.timeout = std::chrono::seconds(2);
  o.tls = &t;
  o.limits = {2048, 16, 1 << 16};
  o.headers.push_back(http::bearer(token));
  o.secrets.push_back(vitte::text(extra));
  o.secrets.push_back(vitte::text(odd));
  // Redirects stay on the scripted origin: an absolute Location would make
  // the client connect to whatever host the input names.
  o.follow_redirects = (flags & 2) != 0 && s.bytes.find("://") == std::string::npos;
  o.max_redirects = 3;
  http::basic_client<timed> c(std::move(o));
  std::string encoded;  // the password in the URL, every byte percent-encoded
  for (unsigned char b : std::string_view(password))
    encoded += '%', encoded += "0123456789abcdef"[b >> 4], encoded += "0123456789abcdef"[b & 15];
  const std::string url =
      "https://user:" + encoded + "@127.0.0.1:" + std::to_string(listener().local_address().value().port()) + "/cas/ab";
  const http::header mine[] = {{vitte::text("X-Api-Key"), vitte::text(key)}};
  if ((flags & 4) == 0) {
    auto r = c.request((flags & 8) != 0 ? http::method::put : http::method::get, url,
                       vitte::as_bytes(vitte::span<const char>("body", 4)), mine);
    check(c, r ? vitte::error{} : r.error());
  } else {
    auto r = c.stream(
        http::method::post, url, -1,
        [](vitte::span<std::byte>) -> vitte::result<std::size_t> { return std::size_t{0}; },
        [](vitte::span<const std::byte>) -> vitte::status { return {}; }, mine);
    check(c, r ? vitte::error{} : r.error());
  }
  // The deadline holds: the request ended by it, plus one call begun just
  // before it (real time only makes the client stop sooner).
  if (sys::fault_plan::clock_offset() > std::int64_t{2'000'000'000} + s.cost_ns) __builtin_trap();
  c.close_idle();
  for (;;) {
    auto pending = listener().accept(nullptr, true);
    if (!pending) break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool head = (data[0] & 1) != 0;
  const outcome whole = run(data + 1, size - 1, size, head);
  const outcome pieces = run(data + 1, size - 1, 1 + data[0] % 7, head);
  if (whole.ok != pieces.ok || whole.status != pieces.status || whole.body != pieces.body) __builtin_trap();
  auto u = vitte::http::url::parse(vitte::text_view(reinterpret_cast<const char*>(data + 1), size - 1));
  if (u) {
    auto again = vitte::http::url::parse(u->to_text());
    if (!again || again->host != u->host || again->port != u->port || again->target != u->target) __builtin_trap();
  }
  drive_client(data + 1, size - 1, data[0]);
  return 0;
}
