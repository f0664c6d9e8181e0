// vitte/compress/deflate.hpp - DEFLATE (RFC 1951) and its zlib (RFC 1950)
// and gzip (RFC 1952) wrappers: compress at levels 1-9, decompress with
// limits that stop bombs.
//
//   namespace vc = vitte::compress;
//   vitte::buffer<std::byte> z = vc::gzip_compress(bytes, 6).value();   // what `gzip -6` reads
//   vitte::diagnostic why;
//   auto back = vc::gzip_decompress(z.span(), {.max_output = 64 << 20}, &why);
//   if (!back) std::puts(why.about("logs.gz").format().c_str());
//   // "logs.gz: at offset 0x1a4: distance too far back"
//   // (why.kind() == back.error().kind(), why.offset(), why.message())
//
// Bytes in and out are std::byte, as everywhere in vitte: a span<const
// std::byte> in, a buffer<std::byte> out (vitte::as_bytes() views other
// spans as bytes).
//
// Decompression checks everything a stream can get wrong (block types, code
// lengths that over- or under-subscribe, distances before the start of the
// output, lengths, checksums, sizes, truncation) and says what and where,
// never reading or writing out of bounds: `why` gets the kind (the
// returned error's), the input offset where the fault was found and a
// message; it names no subject (the caller knows the file it read and adds
// it with about()). `decompress_limits::max_output` caps what it writes,
// and `max_ratio` the output per input byte (DEFLATE's own ceiling is
// 1032), checked at every byte written: a bomb ends with
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
#include <vitte/base/diagnostic.hpp>  // why
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

/// Compresses `data` as a raw DEFLATE stream at `level` (1..9; others are
/// clamped). Errors: no_memory.
VITTE_DECL result<buffer<std::byte>> deflate(span<const std::byte> data, int level = 6);
/// As deflate(), with the last 32 KiB of `dictionary` as history matches
/// may refer to (what zlib's deflateSetDictionary does for a raw stream).
/// Errors: no_memory.
VITTE_DECL result<buffer<std::byte>> deflate(span<const std::byte> data, span<const std::byte> dictionary, int level);
/// Decompresses the raw DEFLATE stream `data`. Bytes after the final block
/// are not read (a raw stream has no length of its own: the container's
/// framing decides, as with zlib's raw inflate); the streaming decompressor,
/// which owns its input, refuses them. Errors (ops::inflate): malformed,
/// unexpected_eof (truncated), limit_exceeded (limits), no_memory; `why`
/// gets the kind, the offset in `data` and what was wrong.
VITTE_DECL result<buffer<std::byte>> inflate(span<const std::byte> data, const decompress_limits& limits = {},
                                             vitte::diagnostic* why = nullptr);

/// As inflate(), for a stream compressed with the preset `dictionary`
/// (zlib's inflateSetDictionary on a raw stream).
VITTE_DECL result<buffer<std::byte>> inflate(span<const std::byte> data, span<const std::byte> dictionary,
                                             const decompress_limits& limits, vitte::diagnostic* why = nullptr);

/// As inflate(), into `out` (its contents replaced, its memory reused: no
/// allocation once it is large enough). On error `out` holds what was
/// decoded before the problem.
VITTE_DECL status inflate(span<const std::byte> data, buffer<std::byte>& out, const decompress_limits& limits = {},
                          vitte::diagnostic* why = nullptr);

/// zlib format (a header, DEFLATE, the Adler-32 of the data).
VITTE_DECL result<buffer<std::byte>> zlib_compress(span<const std::byte> data, int level = 6);
/// zlib format with a preset dictionary: FDICT set, the dictionary's
/// Adler-32 as DICTID, its last 32 KiB as history. Errors: no_memory.
VITTE_DECL result<buffer<std::byte>> zlib_compress(span<const std::byte> data, span<const std::byte> dictionary,
                                                   int level);
/// Errors (ops::zlib_decode): those of inflate, malformed for a bad header
/// or a wrong checksum (trailing bytes are refused), and invalid_argument
/// for a stream that names a preset dictionary (use the overload below).
VITTE_DECL result<buffer<std::byte>> zlib_decompress(span<const std::byte> data, const decompress_limits& limits = {},
                                                     vitte::diagnostic* why = nullptr);
/// As zlib_decompress(), for a stream that may name a preset dictionary:
/// `dictionary` must be the one it names (its Adler-32 is the DICTID), or
/// the call fails with invalid_argument; a stream that names none ignores it.
VITTE_DECL result<buffer<std::byte>> zlib_decompress(span<const std::byte> data, span<const std::byte> dictionary,
                                                     const decompress_limits& limits, vitte::diagnostic* why = nullptr);

/// gzip format (one member, no name, mtime 0, OS "unknown": deterministic).
VITTE_DECL result<buffer<std::byte>> gzip_compress(span<const std::byte> data, int level = 6);
/// Decompresses every member of `data` (gzip concatenates them), checking
/// each one's CRC-32 and size; the limits count all members together. Errors (ops::gzip_decode): those of
/// inflate, and malformed for a bad header, flags, CRC or size.
VITTE_DECL result<buffer<std::byte>> gzip_decompress(span<const std::byte> data, const decompress_limits& limits = {},
                                                     vitte::diagnostic* why = nullptr);

}  // namespace vitte::compress

#if VITTE_HEADER_ONLY
#include <vitte/compress/impl/deflate.ipp>
#include <vitte/compress/impl/inflate.ipp>
#include <vitte/compress/impl/wrappers.ipp>
#endif

#endif  // VITTE_COMPRESS_DEFLATE_HPP
