// libFuzzer target: DEFLATE, zlib and gzip decoding (vitte/compress) on
// hostile streams, with a small output limit so bombs end quickly; what
// decodes must re-encode and decode to the same bytes. The decompressor,
// fed the same stream in pieces, must agree with inflate(): the same bytes
// when both accept it, a refusal when inflate() refuses it (it also refuses
// bytes after the end, which inflate() leaves to its caller); and the
// compressor's output, fed in pieces, must decode back. Build and run with
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
  // The same stream in pieces.
  const std::size_t piece = 1 + size % 61;
  vc::decompressor d(vc::format::raw, limits);
  vitte::buffer<std::uint8_t> out;
  vc::problem swhy;
  bool ok = true;
  for (std::size_t i = 0; ok && i < size; i += piece)
    ok = d.write(in.subspan(i, size - i < piece ? size - i : piece), out, &swhy).has_value();
  if (ok) ok = d.finish(out, &swhy).has_value();
  if (ok && !raw) __builtin_trap();
  if (!ok && swhy.offset > size) __builtin_trap();
  if (ok && (out.size() != raw->size() || (out.size() != 0 && std::memcmp(out.data(), raw->data(), out.size()) != 0)))
    __builtin_trap();
  if (!ok && raw && std::strcmp(swhy.what, "bytes after the end of the stream") != 0) __builtin_trap();
  if (raw) {  // the compressor, in pieces
    vc::compressor c(vc::format::gzip, 1 + size % 9);
    vitte::buffer<std::uint8_t> z;
    for (std::size_t i = 0; i < raw->size(); i += piece * 37)
      if (!c.write(vitte::span<const std::uint8_t>(raw->data() + i,
                                                   raw->size() - i < piece * 37 ? raw->size() - i : piece * 37),
                   z))
        __builtin_trap();
    if (!c.finish(z)) __builtin_trap();
    auto back = vc::gzip_decompress(vitte::span<const std::uint8_t>(z.data(), z.size()));
    if (!back || back->size() != raw->size() ||
        (raw->size() != 0 && std::memcmp(back->data(), raw->data(), raw->size()) != 0))
      __builtin_trap();
  }
  (void)vc::zlib_decompress(in, limits, &why);
  (void)vc::gzip_decompress(in, limits, &why);
  return 0;
}
