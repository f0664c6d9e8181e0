// vitte/compress/stream.hpp - DEFLATE, zlib and gzip streams: compress and
// decompress data that arrives in pieces, with bounded memory.
//
//   namespace vc = vitte::compress;
//   vc::compressor z(vc::format::gzip, 6);
//   vitte::buffer<std::byte> out;
//   while (read(piece)) z.write(piece, out).value();   // `out` grows by what is ready
//   z.finish(out).value();                              // the rest and the trailer
//
//   vc::decompressor d(vc::format::gzip, {.max_output = 1 << 30});
//   vitte::diagnostic why;
//   while (read(piece)) if (!d.write(piece, out, &why)) fail(why.about("logs.gz"));
//   d.finish(out, &why).value();                        // unexpected_eof when it stopped short
//
// Pieces are span<const std::byte>, the output a buffer<std::byte>.
//
// The compressor works on 256 KiB of input at a time, with the 32 KiB before
// it as history for matches: its memory is about 700 KiB whatever the
// stream's length, and its output depends on the bytes alone, not on how
// they were cut into write() calls (it is not byte-identical to the one-shot
// functions', which see the whole input at once; both decode the same).
//
// The decompressor decodes symbol by symbol as input arrives: it keeps the
// last 32 KiB of output as history, at most 64 KiB more before handing it to
// `out`, and the few input bytes of a symbol or block header cut short (so
// its memory is about 140 KiB whatever the stream, plus 32 KiB of
// Huffman tables on the stack while it decodes). A gzip member header is
// kept whole until it ends: at most 128 KiB (a file name or comment that
// does not end by then is refused with limit_exceeded). Limits are those of the
// one-shot functions, enforced at every byte: max_output over the whole
// stream (all members of a gzip stream together), max_ratio against the
// input so far; a write() that reaches a limit first appends the output up
// to it, then fails with limit_exceeded, so `out` never gains more than
// max_output bytes, and grows (when the caller keeps it) to at most its
// size plus max_output. A refusal fills `why` with its kind (the returned
// error's), an offset counted from the start of the stream and a message;
// every call after it fails and fills `why` the same way. gzip streams may hold several members; bytes after a zlib or
// raw stream's end are refused.
//
// Preset dictionaries: a compressor or decompressor made with one primes
// its window with the dictionary's last 32 KiB (raw streams), or writes
// and checks the zlib FDICT id (zlib streams), as zlib's
// deflateSetDictionary and inflateSetDictionary do; gzip has no
// dictionaries (write() refuses one with invalid_argument).
#ifndef VITTE_COMPRESS_STREAM_HPP
#define VITTE_COMPRESS_STREAM_HPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>  // why
#include <vitte/base/result.hpp>
#include <vitte/base/span.hpp>
#include <vitte/compress/deflate.hpp>
#include <vitte/compress/impl/inflate.hpp>  // detail::inflate_state
#include <vitte/compress/operations.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::compress {

/// The framing around DEFLATE.
enum class format : std::uint8_t { raw, zlib, gzip };

/// Compresses a stream written in pieces. Thread safety: one thread at a time.
class compressor {
 public:
  explicit compressor(format f = format::gzip, int level = 6) noexcept;
  /// With a preset `dictionary` (copied; raw and zlib only): the first
  /// write() reports no_memory when it could not be copied, invalid_argument
  /// for gzip.
  compressor(format f, int level, span<const std::byte> dictionary) noexcept;

  /// Takes `data`; appends to `out` what is ready. Errors (ops::deflate):
  /// no_memory; invalid_argument after finish().
  status write(span<const std::byte> data, buffer<std::byte>& out);
  /// Compresses what is left and appends the end of the stream (and the
  /// trailer). Errors: write()'s.
  status finish(buffer<std::byte>& out);

  std::uint64_t bytes_in() const noexcept { return total_in_; }

 private:
  status compress(std::size_t n, bool last, buffer<std::byte>& out);
  format format_;
  int level_;
  bool started_ = false, finished_ = false;
  buffer<std::byte> window_;  // history (at most 32 KiB), then input not compressed yet
  std::size_t history_ = 0;
  std::uint64_t bits_ = 0;  // what the last block left short of a byte
  unsigned bit_count_ = 0;
  std::uint32_t check_ = 0;  // CRC-32 (gzip) or Adler-32 (zlib) so far
  std::uint64_t total_in_ = 0;
  std::uint32_t dictionary_id_ = 0;  // the preset dictionary's Adler-32, for the zlib header
  bool has_dictionary_ = false;
  errc refused_ = errc::ok;  // a dictionary that could not be taken
};

/// Decompresses a stream written in pieces. Thread safety: one thread at a time.
class decompressor {
 public:
  explicit decompressor(format f = format::gzip, const decompress_limits& limits = {}) noexcept;
  /// With a preset `dictionary` (copied: its last 32 KiB, and its Adler-32
  /// for a zlib stream's FDICT id). A zlib stream that names no dictionary
  /// ignores it; one that names another is refused with invalid_argument,
  /// as is one that names a dictionary when none was given; gzip refuses
  /// it. Errors at the first write(): no_memory when it could not be copied.
  decompressor(format f, const decompress_limits& limits, span<const std::byte> dictionary) noexcept;

  /// Takes `data`; appends to `out` what it decodes. Errors (ops::inflate,
  /// ops::zlib_decode, ops::gzip_decode): those of the one-shot functions
  /// (malformed, limit_exceeded, no_memory), never unexpected_eof: a cut
  /// stream is only known at finish(). After an error every call fails.
  status write(span<const std::byte> data, buffer<std::byte>& out, vitte::diagnostic* why = nullptr);
  /// The input is over: decodes what was held back, and refuses a stream
  /// that stopped short (unexpected_eof). Errors: write()'s.
  status finish(buffer<std::byte>& out, vitte::diagnostic* why = nullptr);

  /// The stream (for gzip: a member) ended at its trailer.
  bool done() const noexcept { return stage_ == stage::end; }
  std::uint64_t bytes_out() const noexcept { return total_out_; }

 private:
  enum class stage : std::uint8_t { header, blocks, trailer, end, failed };
  status step(buffer<std::byte>& out, bool at_end, vitte::diagnostic* why);
  // Fails with `e` (as the stream's operation), what (static text) at stream
  // offset `at`, filling `why`; remembered for the calls after.
  status fail(vitte::error e, vitte::diagnostic* why, const char* what, std::uint64_t at);
  format format_;
  decompress_limits limits_;
  stage stage_ = stage::header;
  buffer<std::byte> in_;         // input not consumed yet (a header or symbol cut short)
  unsigned skip_ = 0;            // bits of in_[0] already consumed
  std::uint64_t in_base_ = 0;    // stream offset of in_[0]
  buffer<std::byte> history_;    // the last 32 KiB of output, then what is being decoded
  detail::inflate_state state_;  // where the DEFLATE stream stands
  std::uint32_t check_ = 0;
  std::uint64_t member_out_ = 0, total_out_ = 0, total_in_ = 0;
  buffer<std::byte> dictionary_;     // the preset dictionary's last window
  std::uint32_t dictionary_id_ = 0;  // its Adler-32 (all of it)
  bool has_dictionary_ = false;
  std::size_t header_retry_ = 0;  // a gzip header cut short is read again at this much input
  vitte::error error_;
  const char* failure_ = "";  // the refusal's message and stream offset, repeated after it
  std::uint64_t failure_at_ = vitte::diagnostic::no_offset;
};

}  // namespace vitte::compress

#if VITTE_HEADER_ONLY
#include <vitte/compress/impl/stream.ipp>
#endif

#endif  // VITTE_COMPRESS_STREAM_HPP
