// vitte/compress/stream.hpp - DEFLATE, zlib and gzip streams: compress and
// decompress data that arrives in pieces, with bounded memory.
//
//   namespace vc = vitte::compress;
//   vc::compressor z(vc::format::gzip, 6);
//   vitte::buffer<std::uint8_t> out;
//   while (read(piece)) z.write(piece, out).value();   // `out` grows by what is ready
//   z.finish(out).value();                              // the rest and the trailer
//
//   vc::decompressor d(vc::format::gzip, {.max_output = 1 << 30});
//   vc::problem why;
//   while (read(piece)) if (!d.write(piece, out, &why)) fail(why.what, why.offset);
//   d.finish(&why).value();                             // unexpected_eof when it stopped short
//
// The compressor works on 256 KiB of input at a time, with the 32 KiB before
// it as history for matches: its memory is about 700 KiB whatever the
// stream's length, and its output depends on the bytes alone, not on how
// they were cut into write() calls (it is not byte-identical to the one-shot
// functions', which see the whole input at once; both decode the same).
//
// The decompressor decodes whole blocks: it keeps the last 32 KiB of output
// and the input of the block being read, and retries a block when twice as
// much input has arrived (so a block arriving a byte at a time costs
// linear time). Limits are those of the one-shot functions: max_output
// over the whole stream (so a bomb stops after that much output, whatever
// the block sizes), max_ratio against the input so far. Offsets in
// `problem` count from the start of the stream. gzip streams may hold
// several members; bytes after a zlib or raw stream's end are refused.
#ifndef VITTE_COMPRESS_STREAM_HPP
#define VITTE_COMPRESS_STREAM_HPP

#include <vitte/buffer.hpp>
#include <vitte/compress/deflate.hpp>
#include <vitte/compress/operations.hpp>
#include <vitte/result.hpp>
#include <vitte/span.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::compress {

/// The framing around DEFLATE.
enum class format : std::uint8_t { raw, zlib, gzip };

/// Compresses a stream written in pieces. Thread safety: one thread at a time.
class compressor {
 public:
  explicit compressor(format f = format::gzip, int level = 6) noexcept;

  /// Takes `data`; appends to `out` what is ready. Errors (ops::deflate):
  /// no_memory; invalid_argument after finish().
  status write(span<const std::uint8_t> data, buffer<std::uint8_t>& out);
  /// Compresses what is left and appends the end of the stream (and the
  /// trailer). Errors: write()'s.
  status finish(buffer<std::uint8_t>& out);

  std::uint64_t bytes_in() const noexcept { return total_in_; }

 private:
  status compress(std::size_t n, bool last, buffer<std::uint8_t>& out);
  format format_;
  int level_;
  bool started_ = false, finished_ = false;
  buffer<std::uint8_t> window_;  // history (at most 32 KiB), then input not compressed yet
  std::size_t history_ = 0;
  std::uint64_t bits_ = 0;  // what the last block left short of a byte
  unsigned bit_count_ = 0;
  std::uint32_t check_ = 0;  // CRC-32 (gzip) or Adler-32 (zlib) so far
  std::uint64_t total_in_ = 0;
};

/// Decompresses a stream written in pieces. Thread safety: one thread at a time.
class decompressor {
 public:
  explicit decompressor(format f = format::gzip, const decompress_limits& limits = {}) noexcept;

  /// Takes `data`; appends to `out` what it decodes. Errors (ops::inflate,
  /// ops::zlib_decode, ops::gzip_decode): those of the one-shot functions
  /// (malformed, limit_exceeded, no_memory), never unexpected_eof: a cut
  /// stream is only known at finish(). After an error every call fails.
  status write(span<const std::uint8_t> data, buffer<std::uint8_t>& out, problem* why = nullptr);
  /// The input is over: decodes what was held back, and refuses a stream
  /// that stopped short (unexpected_eof). Errors: write()'s.
  status finish(buffer<std::uint8_t>& out, problem* why = nullptr);

  /// The stream (for gzip: a member) ended at its trailer.
  bool done() const noexcept { return stage_ == stage::end; }
  std::uint64_t bytes_out() const noexcept { return total_out_; }

 private:
  enum class stage : std::uint8_t { header, blocks, trailer, end, failed };
  status step(buffer<std::uint8_t>& out, bool at_end, problem* why);
  status fail(vitte::error e, problem* why, const char* what, std::uint64_t at);
  format format_;
  decompress_limits limits_;
  stage stage_ = stage::header;
  buffer<std::uint8_t> in_;       // input not consumed yet (from the current block's start)
  unsigned skip_ = 0;             // bits of in_[0] already consumed
  std::uint64_t in_base_ = 0;     // stream offset of in_[0]
  std::size_t retry_at_ = 0;      // decode again once in_ holds this much
  buffer<std::uint8_t> history_;  // the last 32 KiB of output, then a block being decoded
  std::uint32_t check_ = 0;
  std::uint64_t member_out_ = 0, total_out_ = 0, total_in_ = 0;
  vitte::error error_;
};

}  // namespace vitte::compress

#include <vitte/compress/impl/stream.hpp>

#endif  // VITTE_COMPRESS_STREAM_HPP
