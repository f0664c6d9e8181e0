// libFuzzer target: what a remote cache server sends back (vitte/cache):
// RESP2 replies (whole and cut short) and Bazel ActionResult entries.
// Build and run with fuzz/run.sh; seeds: fuzz/make_http_corpus.py.
#include <vitte/cache/remote/action_result.hpp>
#include <vitte/cache/remote/resp.hpp>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const vitte::span<const std::byte> in(reinterpret_cast<const std::byte*>(data), size);
  vitte::cache::resp_limits limits;
  limits.max_bulk = 1 << 16;
  limits.max_elements = 64;
  vitte::cache::resp_reply r;
  auto used = vitte::cache::parse_resp(in, r, limits);
  if (used && *used > size) __builtin_trap();
  if (used && *used != 0) {
    // A complete reply stays complete, with the same length, when more follows.
    vitte::cache::resp_reply again;
    auto shorter = vitte::cache::parse_resp(in.first(*used - 1), again, limits);
    if (shorter && *shorter != 0) __builtin_trap();
  }
  auto ref = vitte::cache::decode_action_result(in);
  if (ref) {
    auto back = vitte::cache::encode_action_result(ref->path, ref->hash, ref->size);
    auto again = vitte::cache::decode_action_result(back.span());
    if (!again || again->hash != ref->hash || again->size != ref->size || again->path != ref->path) __builtin_trap();
  }
  return 0;
}
