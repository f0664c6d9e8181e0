// libFuzzer target: the HTTP server's request parser (http::request_parser,
// vitte/http/server.hpp), with its promises asserted:
//   - fed in pieces of any size (the first byte picks it) it reaches the same
//     answer as fed whole: the same head, or a refusal with the same status;
//   - it never uses more than it was given, nor more than the head;
//   - a head it accepts has a token for a method, a target that starts with
//     '/' and holds no space, control or non-ASCII byte, path + query that
//     make the target, at most max_fields fields, and fit max_request_bytes;
//   - a head it accepts takes no body: no Transfer-Encoding, and every
//     Content-Length (any letter case) is a zero;
//   - a refusal is 400, 431 or 505, with a reason.
// Seeds: fuzz/corpus/http_server. Build and run with fuzz/run.sh.
#include <vitte/http/server.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

struct outcome {
  bool done = false;
  int refusal = 0;
  std::size_t used = 0;
};

outcome feed(vitte::http::request_parser& p, vitte::span<const std::byte> in, std::size_t piece) {
  outcome o;
  while (o.used < in.size() && !p.done()) {
    const std::size_t n = in.size() - o.used < piece ? in.size() - o.used : piece;
    auto used = p.feed(in.subspan(o.used, n));
    if (!used) {
      o.refusal = p.refusal();
      return o;
    }
    check(*used <= n);
    o.used += *used;
    if (*used < n) check(p.done());
  }
  o.done = p.done();
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace http = vitte::http;
  if (size == 0) return 0;
  const std::size_t piece = data[0] % 16 + 1;
  const vitte::span<const std::byte> in(reinterpret_cast<const std::byte*>(data + 1), size - 1);
  http::request_limits limits;
  limits.max_request_bytes = 1024;
  limits.max_fields = 8;
  http::request_parser whole(limits), pieces(limits);
  const outcome a = feed(whole, in, in.size() + 1), b = feed(pieces, in, piece);
  check(a.done == b.done && a.refusal == b.refusal);
  if (a.refusal != 0) {
    check(a.refusal == 400 || a.refusal == 431 || a.refusal == 505);
    check(!whole.describe().message().empty());
    check(whole.describe().kind() != vitte::errc::ok);
    return 0;
  }
  if (!a.done) return 0;
  check(a.used == b.used && a.used <= limits.max_request_bytes + 4);
  const http::request& r = whole.head();
  check(!r.method.empty());
  for (char c : r.method.view()) check(vitte::http::detail::is_tchar(c));
  check(!r.target.empty() && r.target.view()[0] == '/');
  for (char c : r.target.view()) check(c > 0x20 && c < 0x7f);
  vitte::text joined = r.path;
  if (r.target.view().find('?') != vitte::text_view::npos) joined.append("?").append(r.query);
  check(joined == r.target);
  check(r.fields.size() <= limits.max_fields);
  for (const http::header& h : r.fields) {
    check(!http::header_equal(h.name, "Transfer-Encoding"));
    if (!http::header_equal(h.name, "Content-Length")) continue;
    check(!h.value.empty());
    for (char c : h.value.view()) check(c == '0');
  }
  check(pieces.head().target == r.target && pieces.head().fields.size() == r.fields.size());
  return 0;
}
