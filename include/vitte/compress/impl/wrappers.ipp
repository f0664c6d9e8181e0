// vitte/compress/impl/wrappers.ipp - the zlib (RFC 1950) and gzip (RFC 1952)
// framings around DEFLATE (vitte/compress/deflate.hpp): headers, trailers,
// zlib_* and gzip_*.
#ifndef VITTE_COMPRESS_IMPL_WRAPPERS_IPP
#define VITTE_COMPRESS_IMPL_WRAPPERS_IPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/detail/bytes.hpp>   // octets_of: the input as octets
#include <vitte/base/detail/endian.hpp>  // trailer fields
#include <vitte/base/result.hpp>
#include <vitte/base/span.hpp>
#include <vitte/compress/checksum.hpp>
#include <vitte/compress/deflate.hpp>
#include <vitte/compress/impl/deflate.hpp>
#include <vitte/compress/impl/inflate.hpp>
#include <vitte/compress/operations.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::compress::detail {

VITTE_DECL vitte::error frame_error(vitte::diagnostic* why, errc kind, operation op, const char* what, std::size_t at) {
  report(why, kind, at, what);
  return vitte::error{kind, op};
}

// The most a streaming decompressor keeps of one gzip member header: the
// fixed part, a whole FEXTRA (64 KiB), and room for a file name and comment.
inline constexpr std::size_t gzip_header_limit = std::size_t{128} << 10;

// The gzip member header at the start of `data`: errc::ok with its `size`,
// unexpected_eof when `data` stops inside it, malformed; `what` and `at`
// (an offset in `data`) say where.
VITTE_DECL errc gzip_header(span<const std::uint8_t> data, std::size_t& size, const char*& what, std::size_t& at) {
  const auto fail = [&](errc k, const char* w, std::size_t where) {
    what = w;
    at = where;
    return k;
  };
  std::size_t i = 10;
  if (data.size() < 10) return fail(errc::unexpected_eof, "gzip header cut short", data.size());
  if (data[0] != 0x1f || data[1] != 0x8b) return fail(errc::malformed, "not gzip (magic)", 0);
  if (data[2] != 8) return fail(errc::malformed, "compression method is not deflate", 2);
  const std::uint8_t flg = data[3];
  if (flg & 0xe0) return fail(errc::malformed, "reserved flag bits set", 3);
  if (flg & 4) {  // FEXTRA
    if (data.size() - i < 2) return fail(errc::unexpected_eof, "extra field cut short", i);
    const std::size_t xlen = vitte::detail::load_le<std::uint16_t>(data.data() + i);
    if (data.size() - i - 2 < xlen) return fail(errc::unexpected_eof, "extra field cut short", i);
    i += 2 + xlen;
  }
  for (std::uint8_t bit : {std::uint8_t{8}, std::uint8_t{16}}) {  // FNAME, FCOMMENT: zero-terminated
    if (!(flg & bit)) continue;
    while (i < data.size() && data[i] != 0) ++i;
    if (i == data.size()) return fail(errc::unexpected_eof, "file name or comment not terminated", i);
    ++i;
  }
  if (flg & 2) {  // FHCRC: the CRC-32 of the header, low half
    if (data.size() - i < 2) return fail(errc::unexpected_eof, "header CRC cut short", i);
    const std::uint32_t c = crc32(vitte::as_bytes(data.subspan(0, i))) & 0xffff;
    if (c != vitte::detail::load_le<std::uint16_t>(data.data() + i)) return fail(errc::malformed, "header CRC", i);
    i += 2;
  }
  size = i;
  return errc::ok;
}

// The zlib header's two bytes: errc::ok or malformed (FLG's FDICT bit,
// 0x20, says a dictionary id follows).
VITTE_DECL errc zlib_header(std::uint8_t cmf, std::uint8_t flg, const char*& what, std::size_t& at) {
  at = 0;
  if ((cmf & 0x0f) != 8 || (cmf >> 4) > 7) return what = "not deflate with a window of at most 32 KiB", errc::malformed;
  at = 1;
  if ((cmf * 256u + flg) % 31 != 0) return what = "header check bits", errc::malformed;
  return errc::ok;
}
inline constexpr std::uint8_t zlib_fdict = 0x20;

// The dictionary id after a zlib header with FDICT (at data[2..6)) against
// the caller's `dictionary`: errc::ok, unexpected_eof or invalid_argument
// (none given, or not the one named).
VITTE_DECL errc zlib_dictionary(span<const std::uint8_t> data, span<const std::byte> dictionary, const char*& what) {
  if (data.size() < 6) return what = "preset dictionary id cut short", errc::unexpected_eof;
  if (dictionary.empty()) return what = "a preset dictionary is required", errc::invalid_argument;
  if (adler32(dictionary) != vitte::detail::load_be<std::uint32_t>(data.data() + 2))
    return what = "not the preset dictionary the stream names (DICTID)", errc::invalid_argument;
  return errc::ok;
}

// The zlib header for `level` (1..9): CMF 0x78 (deflate, 32 KiB window), FLG
// with the level class and the check bits; with a dictionary, FDICT and
// its Adler-32 `id`. Returns its size (2 or 6).
VITTE_DECL std::size_t zlib_head(int level, std::uint8_t* head, bool dictionary = false, std::uint32_t id = 0) {
  const unsigned flevel = level == 1 ? 0 : level < 6 ? 1 : level == 6 ? 2 : 3;
  unsigned flg = flevel << 6 | (dictionary ? zlib_fdict : 0u);
  flg += 31 - (0x78u * 256 + flg) % 31;
  head[0] = 0x78;
  head[1] = static_cast<std::uint8_t>(flg);
  if (!dictionary) return 2;
  for (int i = 0; i < 4; ++i) head[2 + i] = static_cast<std::uint8_t>(id >> (24 - 8 * i));
  return 6;
}

// The ten bytes of a gzip header for `level` (1..9): no name, mtime 0, OS
// 255 (unknown), so the same bytes everywhere.
VITTE_DECL void gzip_head(int level, std::uint8_t* head) {
  const std::uint8_t h[10] = {
      0x1f, 0x8b, 8, 0, 0, 0, 0, 0, static_cast<std::uint8_t>(level == 9 ? 2 : level == 1 ? 4 : 0), 255};
  for (int i = 0; i < 10; ++i) head[i] = h[i];
}

// Compresses `data` (primed with `dictionary`) after `head`, then appends
// `tail`.
VITTE_DECL result<buffer<std::byte>> framed(span<const std::byte> data, span<const std::byte> dictionary, int level,
                                            span<const std::uint8_t> head, span<const std::uint8_t> tail) {
  result<buffer<std::byte>> body = dictionary.empty() ? deflate(data, level) : deflate(data, dictionary, level);
  if (!body) return body.error();
  buffer<std::byte> out;
  if (!out.try_reserve(head.size() + body->size() + tail.size())) return vitte::error{errc::no_memory, ops::deflate};
  out.append(vitte::as_bytes(head).data(), head.size());
  out.append(body->data(), body->size());
  out.append(vitte::as_bytes(tail).data(), tail.size());
  return out;
}

}  // namespace vitte::compress::detail

namespace vitte::compress {

VITTE_DECL result<buffer<std::byte>> zlib_compress(span<const std::byte> data, span<const std::byte> dictionary,
                                                   int level) {
  const int lv = level < 1 ? 1 : level > 9 ? 9 : level;
  std::uint8_t head[6];
  const std::size_t head_size = detail::zlib_head(lv, head, !dictionary.empty(), adler32(dictionary));
  const std::uint32_t a = adler32(data);
  const std::uint8_t tail[4] = {static_cast<std::uint8_t>(a >> 24), static_cast<std::uint8_t>(a >> 16),
                                static_cast<std::uint8_t>(a >> 8), static_cast<std::uint8_t>(a)};
  return detail::framed(data, dictionary, lv, span<const std::uint8_t>(head, head_size), tail);
}

VITTE_DECL result<buffer<std::byte>> zlib_compress(span<const std::byte> data, int level) {
  return zlib_compress(data, span<const std::byte>(), level);
}

VITTE_DECL result<buffer<std::byte>> zlib_decompress(span<const std::byte> bytes, span<const std::byte> dictionary,
                                                     const decompress_limits& limits, vitte::diagnostic* why) {
  using detail::frame_error;
  const span<const std::uint8_t> data = vitte::detail::octets_of(bytes);
  if (data.size() < 2) return frame_error(why, errc::unexpected_eof, ops::zlib_decode, "no zlib header", 0);
  const char* what = "";
  std::size_t where = 0;
  if (const errc k = detail::zlib_header(data[0], data[1], what, where); k != errc::ok)
    return frame_error(why, k, ops::zlib_decode, what, where);
  std::size_t head = 2;
  span<const std::byte> primed;  // the dictionary, when the stream names one
  if (data[1] & detail::zlib_fdict) {
    if (const errc k = detail::zlib_dictionary(data, dictionary, what); k != errc::ok)
      return frame_error(why, k, ops::zlib_decode, what, 2);
    head = 6;
    primed = dictionary;
  }
  buffer<std::byte> out;
  std::size_t used = 0;
  if (vitte::error e = detail::inflate_primed(data.subspan(head), primed, out, limits, why, used)) {
    if (why != nullptr && why->has_offset()) why->at(why->offset() + head);  // in `data`, not the DEFLATE stream
    return vitte::error{e.kind(), ops::zlib_decode};
  }
  const std::size_t at = head + used;
  if (data.size() - at < 4) return frame_error(why, errc::unexpected_eof, ops::zlib_decode, "no Adler-32 trailer", at);
  const std::uint32_t want = vitte::detail::load_be<std::uint32_t>(data.data() + at);
  if (adler32(out.span()) != want)
    return frame_error(why, errc::malformed, ops::zlib_decode, "Adler-32 of the data does not match", at);
  if (at + 4 != data.size())
    return frame_error(why, errc::malformed, ops::zlib_decode, "bytes after the zlib stream", at + 4);
  return out;
}

VITTE_DECL result<buffer<std::byte>> zlib_decompress(span<const std::byte> data, const decompress_limits& limits,
                                                     vitte::diagnostic* why) {
  return zlib_decompress(data, span<const std::byte>(), limits, why);
}

VITTE_DECL result<buffer<std::byte>> gzip_compress(span<const std::byte> data, int level) {
  const int lv = level < 1 ? 1 : level > 9 ? 9 : level;
  std::uint8_t head[10];
  detail::gzip_head(lv, head);
  const std::uint32_t c = crc32(data);
  const std::uint64_t n = data.size();
  const std::uint8_t tail[8] = {static_cast<std::uint8_t>(c),       static_cast<std::uint8_t>(c >> 8),
                                static_cast<std::uint8_t>(c >> 16), static_cast<std::uint8_t>(c >> 24),
                                static_cast<std::uint8_t>(n),       static_cast<std::uint8_t>(n >> 8),
                                static_cast<std::uint8_t>(n >> 16), static_cast<std::uint8_t>(n >> 24)};
  return detail::framed(data, span<const std::byte>(), lv, head, tail);
}

VITTE_DECL result<buffer<std::byte>> gzip_decompress(span<const std::byte> bytes, const decompress_limits& limits,
                                                     vitte::diagnostic* why) {
  using detail::frame_error;
  const span<const std::uint8_t> data = vitte::detail::octets_of(bytes);
  buffer<std::byte> out;
  std::size_t at = 0;
  // Every member counts against one limit, the ratio against the whole input.
  const char* limit_what = "";
  const std::size_t allowed = detail::output_allowed(limits, data.size(), limit_what);
  do {
    const std::size_t member = at;
    auto fail = [&](errc k, const char* what, std::size_t where) {
      return frame_error(why, k, ops::gzip_decode, what, where);
    };
    std::size_t header = 0, where = 0;
    const char* what = "";
    if (const errc k = detail::gzip_header(data.subspan(member), header, what, where); k != errc::ok)
      return fail(k, what, member + where);
    at += header;
    const std::size_t start = out.size();
    const decompress_limits lim{.max_output = allowed > start ? allowed - start : 0, .max_ratio = 0};
    detail::inflater in(data.subspan(at), lim, why);
    std::size_t used = 0;
    if (vitte::error e = in.run(out, used, 0, limit_what)) {
      if (why != nullptr && why->has_offset()) why->at(why->offset() + at);  // in `data`, not the member
      return vitte::error{e.kind(), ops::gzip_decode};
    }
    at += used;
    if (data.size() - at < 8) return fail(errc::unexpected_eof, "gzip trailer cut short", at);
    const span<const std::byte> produced(out.data() + start, out.size() - start);
    if (crc32(produced) != vitte::detail::load_le<std::uint32_t>(data.data() + at))
      return fail(errc::malformed, "CRC-32 of the data does not match", at);
    if (static_cast<std::uint32_t>(produced.size()) != vitte::detail::load_le<std::uint32_t>(data.data() + at + 4))
      return fail(errc::malformed, "size of the data does not match (ISIZE)", at + 4);
    at += 8;
  } while (at < data.size());
  return out;
}

}  // namespace vitte::compress

#endif  // VITTE_COMPRESS_IMPL_WRAPPERS_IPP
