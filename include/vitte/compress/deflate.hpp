// vitte/compress/deflate.hpp - DEFLATE (RFC 1951) and its zlib (RFC 1950)
// and gzip (RFC 1952) wrappers: compress at levels 1-9, decompress with
// limits that stop bombs.
//
//   namespace vc = vitte::compress;
//   vitte::buffer<std::uint8_t> z = vc::gzip_compress(bytes, 6).value();   // what `gzip -6` reads
//   vc::problem why;
//   auto back = vc::gzip_decompress(z, {.max_output = 64 << 20}, &why);
//   if (!back) std::puts(why.describe().about("logs.gz").format().c_str());
//   // "logs.gz: at offset 0x1a4: distance too far back" (why.what, why.offset)
//
// Decompression checks everything a stream can get wrong (block types, code
// lengths that over- or under-subscribe, distances before the start of the
// output, lengths, checksums, sizes, truncation) and says what and where,
// never reading or writing out of bounds. `decompress_limits::max_output`
// caps what it writes, and `max_ratio` the output per input byte (DEFLATE's
// own ceiling is 1032), checked at every byte written: a bomb ends with
// errc::limit_exceeded having produced at most the limit, and the output
// buffer never holds more than the limit plus 8 bytes (growing it never
// holds more than that in both blocks together). Peak memory is the limit
// plus about 64 KiB (Huffman tables, a preset dictionary) beyond the input;
// see docs/COMPRESS.md.
//
// Preset dictionaries (zlib's FDICT, or a raw stream primed with a
// window): the overloads taking a `dictionary` compress with its last
// 32 KiB as history and, for zlib, write its Adler-32 as the header's
// DICTID; decompression checks that id and starts with the same history.
//
// Compression: level 1 is the fastest (greedy matching, short chains),
// 6 the default, 9 the smallest (lazy matching, long chains); blocks are
// Huffman-coded with the cheapest of dynamic codes, the fixed code or a
// stored copy. The output is deterministic: the same input and level give
// the same bytes on every platform, and zlib, gzip and libdeflate read it.
//
// Freestanding like vitte/crypto: no OS call; memory only for the output
// and the compressor's window (about 400 KiB).
#ifndef VITTE_COMPRESS_DEFLATE_HPP
#define VITTE_COMPRESS_DEFLATE_HPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>  // problem::describe()
#include <vitte/base/result.hpp>
#include <vitte/base/span.hpp>
#include <vitte/compress/operations.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::compress {

/// What stops a decompression that produces too much.
struct decompress_limits {
  std::size_t max_output = std::size_t{1} << 30;  ///< bytes written, at most
  /// Output bytes per input byte, at most (0: no limit); checked once the
  /// output passes 1 MiB, so small inputs are never refused by it.
  std::uint32_t max_ratio = 0;
};

/// Where and why a stream was refused: a static text ("distance too far
/// back") and the input offset where it was found.
struct problem {
  const char* what = "";
  std::size_t offset = 0;

  /// The model (vitte/base/diagnostic.hpp): `what` at `offset`. The caller
  /// adds the kind and names the input: `why.describe().of(e.kind()).about(path)`.
  vitte::diagnostic describe() const noexcept { return vitte::diagnostic().at(offset).say(what); }
};

/// Compresses `data` as a raw DEFLATE stream at `level` (1..9; others are
/// clamped). Errors: no_memory.
VITTE_DECL result<buffer<std::uint8_t>> deflate(span<const std::uint8_t> data, int level = 6);
/// As deflate(), with the last 32 KiB of `dictionary` as history matches
/// may refer to (what zlib's deflateSetDictionary does for a raw stream).
/// Errors: no_memory.
VITTE_DECL result<buffer<std::uint8_t>> deflate(span<const std::uint8_t> data, span<const std::uint8_t> dictionary,
                                                int level);
/// Decompresses the raw DEFLATE stream `data`. Bytes after the final block
/// are not read (a raw stream has no length of its own: the container's
/// framing decides, as with zlib's raw inflate); the streaming decompressor,
/// which owns its input, refuses them. Errors (ops::inflate): malformed,
/// unexpected_eof (truncated), limit_exceeded (limits), no_memory; `why`
/// says what and where.
VITTE_DECL result<buffer<std::uint8_t>> inflate(span<const std::uint8_t> data, const decompress_limits& limits = {},
                                                problem* why = nullptr);

/// As inflate(), for a stream compressed with the preset `dictionary`
/// (zlib's inflateSetDictionary on a raw stream).
VITTE_DECL result<buffer<std::uint8_t>> inflate(span<const std::uint8_t> data, span<const std::uint8_t> dictionary,
                                                const decompress_limits& limits, problem* why = nullptr);

/// As inflate(), into `out` (its contents replaced, its memory reused: no
/// allocation once it is large enough). On error `out` holds what was
/// decoded before the problem.
VITTE_DECL status inflate(span<const std::uint8_t> data, buffer<std::uint8_t>& out,
                          const decompress_limits& limits = {}, problem* why = nullptr);

/// zlib format (a header, DEFLATE, the Adler-32 of the data).
VITTE_DECL result<buffer<std::uint8_t>> zlib_compress(span<const std::uint8_t> data, int level = 6);
/// zlib format with a preset dictionary: FDICT set, the dictionary's
/// Adler-32 as DICTID, its last 32 KiB as history. Errors: no_memory.
VITTE_DECL result<buffer<std::uint8_t>> zlib_compress(span<const std::uint8_t> data,
                                                      span<const std::uint8_t> dictionary, int level);
/// Errors (ops::zlib_decode): those of inflate, malformed for a bad header
/// or a wrong checksum (trailing bytes are refused), and invalid_argument
/// for a stream that names a preset dictionary (use the overload below).
VITTE_DECL result<buffer<std::uint8_t>> zlib_decompress(span<const std::uint8_t> data,
                                                        const decompress_limits& limits = {}, problem* why = nullptr);
/// As zlib_decompress(), for a stream that may name a preset dictionary:
/// `dictionary` must be the one it names (its Adler-32 is the DICTID), or
/// the call fails with invalid_argument; a stream that names none ignores it.
VITTE_DECL result<buffer<std::uint8_t>> zlib_decompress(span<const std::uint8_t> data,
                                                        span<const std::uint8_t> dictionary,
                                                        const decompress_limits& limits, problem* why = nullptr);

/// gzip format (one member, no name, mtime 0, OS "unknown": deterministic).
VITTE_DECL result<buffer<std::uint8_t>> gzip_compress(span<const std::uint8_t> data, int level = 6);
/// Decompresses every member of `data` (gzip concatenates them), checking
/// each one's CRC-32 and size; the limits count all members together. Errors (ops::gzip_decode): those of
/// inflate, and malformed for a bad header, flags, CRC or size.
VITTE_DECL result<buffer<std::uint8_t>> gzip_decompress(span<const std::uint8_t> data,
                                                        const decompress_limits& limits = {}, problem* why = nullptr);

}  // namespace vitte::compress

#if VITTE_HEADER_ONLY
#include <vitte/compress/impl/deflate.ipp>
#include <vitte/compress/impl/inflate.ipp>
#include <vitte/compress/impl/wrappers.ipp>
#endif

#endif  // VITTE_COMPRESS_DEFLATE_HPP
