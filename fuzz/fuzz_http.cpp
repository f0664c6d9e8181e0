// libFuzzer target: the HTTP/1.1 response parser (vitte/http) on hostile
// bytes, fed in pieces whose sizes come from the input, with small limits;
// and URL parsing. Whatever the split, the parser must reach the same
// verdict and the same body. Build and run with fuzz/run.sh; seeds:
// fuzz/make_http_corpus.py.
#include <vitte/http/parser.hpp>
#include <vitte/http/url.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

struct outcome {
  bool ok = false;
  int status = 0;
  std::string body;
};

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
      if (!s) return o;
      if (s->used == 0) __builtin_trap();  // no progress on non-empty input
      if (p.offset() > size) __builtin_trap();
      o.body.append(reinterpret_cast<const char*>(s->body.data()), s->body.size());
      in = in.subspan(s->used);
      at += s->used;
    }
  }
  if (!p.done() && !p.finish()) return o;
  o.ok = true;
  o.status = p.head().status;
  if (o.body.size() > limits.max_body_bytes) __builtin_trap();
  return o;
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
  return 0;
}
