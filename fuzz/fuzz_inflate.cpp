// libFuzzer target: DEFLATE, zlib and gzip decoding (vitte/compress) on
// hostile streams, with a small output limit so bombs end quickly; what
// decodes must re-encode and decode to the same bytes. Build and run with
// fuzz/run.sh; seeds: fuzz/make_inflate_corpus.py.
#include <vitte/compress.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace vc = vitte::compress;
  const vitte::span<const std::uint8_t> in(data, size);
  const vc::decompress_limits limits{.max_output = std::size_t{4} << 20, .max_ratio = 0};
  vc::problem why;
  auto raw = vc::inflate(in, limits, &why);
  if (!raw && why.offset > size) __builtin_trap();  // a problem is placed inside the input
  if (raw) {
    auto again = vc::deflate(vitte::span<const std::uint8_t>(raw->data(), raw->size()), 1 + size % 9);
    if (!again) __builtin_trap();
    auto back = vc::inflate(vitte::span<const std::uint8_t>(again->data(), again->size()));
    if (!back || back->size() != raw->size() ||
        (raw->size() != 0 && std::memcmp(back->data(), raw->data(), raw->size()) != 0))
      __builtin_trap();
  }
  (void)vc::zlib_decompress(in, limits, &why);
  (void)vc::gzip_decompress(in, limits, &why);
  return 0;
}
