// libFuzzer target: DEFLATE, zlib and gzip decoding (vitte/compress) on
// hostile streams, with a small output limit so bombs end quickly; what
// decodes must re-encode and decode to the same bytes. The decompressor,
// fed the same stream in pieces, must agree with inflate(): the same bytes
// when both accept it, a refusal when inflate() refuses it (it also refuses
// bytes after the end, which inflate() leaves to its caller); and the
// compressor's output, fed in pieces, must decode back. The limits hold on
// every input, for every API: with a limit taken from the input's first
// bytes, no API produces more than it, the output buffers never hold more
// than it plus the documented 8 bytes of slack, and a refusal past it is
// limit_exceeded. Every refusal's diagnostic carries the returned error's
// kind and an offset inside the input. Build and run with fuzz/run.sh; seeds:
// fuzz/make_inflate_corpus.py.
#include <vitte/compress.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace vc = vitte::compress;
  const vitte::span<const std::byte> in = vitte::as_bytes(vitte::span<const std::uint8_t>(data, size));
  const vc::decompress_limits limits{.max_output = std::size_t{4} << 20, .max_ratio = 0};
  vitte::diagnostic why;
  auto raw = vc::inflate(in, limits, &why);
  if (!raw && (why.offset() > size || why.kind() != raw.error().kind())) __builtin_trap();  // placed in the input
  if (raw && raw->size() > limits.max_output) __builtin_trap();
  // A limit from the input (0 to 64 KiB, often below what it decodes to):
  // never more output than it, in any API, and the memory held within it
  // plus the slack.
  const std::size_t small = size < 2 ? size : (std::size_t{data[0]} << 8 | data[size - 1]);
  const vc::decompress_limits tight{.max_output = small, .max_ratio = 0};
  auto limited = [&](const vitte::result<vitte::buffer<std::byte>>& r, bool is_raw) {
    if (r && r->size() > small) __builtin_trap();
    if (r && r->capacity() > small + 8) __builtin_trap();
    // Refused for the limit only when the unlimited decoding is longer.
    if (is_raw && !r && r.error() == vitte::errc::limit_exceeded && raw && raw->size() <= small) __builtin_trap();
    if (is_raw && r && (!raw || raw->size() != r->size())) __builtin_trap();
  };
  limited(vc::inflate(in, tight), true);
  limited(vc::zlib_decompress(in, tight), false);
  limited(vc::gzip_decompress(in, tight), false);
  vitte::buffer<std::byte> reused;
  const vitte::status rs = vc::inflate(in, reused, tight);
  if (reused.size() > small || reused.capacity() > small + 8) __builtin_trap();
  if (rs && raw && (reused.size() != raw->size())) __builtin_trap();
  for (vc::format f : {vc::format::raw, vc::format::zlib, vc::format::gzip}) {
    vc::decompressor d(f, tight);
    vitte::buffer<std::byte> o;
    const std::size_t step = 1 + (size > 1 ? data[1] % 97 : 0);
    bool fine = true;
    for (std::size_t i = 0; fine && i < size; i += step)
      fine = d.write(in.subspan(i, size - i < step ? size - i : step), o).has_value();
    if (fine) (void)d.finish(o);
    if (o.size() > small || d.bytes_out() > small || o.capacity() > small) __builtin_trap();
  }
  if (raw) {
    auto again = vc::deflate(raw->span(), 1 + size % 9);
    if (!again) __builtin_trap();
    auto back = vc::inflate(again->span());
    if (!back || back->size() != raw->size() ||
        (raw->size() != 0 && std::memcmp(back->data(), raw->data(), raw->size()) != 0))
      __builtin_trap();
  }
  // The same stream in pieces.
  const std::size_t piece = 1 + size % 61;
  vc::decompressor d(vc::format::raw, limits);
  vitte::buffer<std::byte> out;
  vitte::diagnostic swhy;
  bool ok = true;
  for (std::size_t i = 0; ok && i < size; i += piece)
    ok = d.write(in.subspan(i, size - i < piece ? size - i : piece), out, &swhy).has_value();
  if (ok) ok = d.finish(out, &swhy).has_value();
  if (ok && !raw) __builtin_trap();
  if (!ok && (swhy.offset() > size || swhy.kind() == vitte::errc::ok)) __builtin_trap();
  if (ok && (out.size() != raw->size() || (out.size() != 0 && std::memcmp(out.data(), raw->data(), out.size()) != 0)))
    __builtin_trap();
  if (!ok && raw && swhy.message() != "bytes after the end of the stream") __builtin_trap();
  if (raw) {  // the compressor, in pieces
    vc::compressor c(vc::format::gzip, 1 + size % 9);
    vitte::buffer<std::byte> z;
    for (std::size_t i = 0; i < raw->size(); i += piece * 37)
      if (!c.write(raw->span().subspan(i, raw->size() - i < piece * 37 ? raw->size() - i : piece * 37), z))
        __builtin_trap();
    if (!c.finish(z)) __builtin_trap();
    auto back = vc::gzip_decompress(z.span());
    if (!back || back->size() != raw->size() ||
        (raw->size() != 0 && std::memcmp(back->data(), raw->data(), raw->size()) != 0))
      __builtin_trap();
  }
  auto zr = vc::zlib_decompress(in, limits, &why);
  if (!zr && (why.kind() != zr.error().kind() || why.offset() > size)) __builtin_trap();
  auto gr = vc::gzip_decompress(in, limits, &why);
  if (!gr && (why.kind() != gr.error().kind() || why.offset() > size)) __builtin_trap();
  return 0;
}
