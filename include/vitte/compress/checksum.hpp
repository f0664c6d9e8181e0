// vitte/compress/checksum.hpp - the checksums of the zlib and gzip formats:
// CRC-32 (ISO-HDLC, gzip's) and Adler-32 (zlib's), incremental.
//
//   std::uint32_t c = vitte::compress::crc32(bytes);          // whole (a span<const std::byte>)
//   c = vitte::compress::crc32(more, c);                      // continued
//   std::uint32_t a = vitte::compress::adler32(bytes);
//
// CRC-32 by carry-less multiplication (PCLMULQDQ, chosen at run time; about
// 5x zlib's speed) and slicing-by-8 tables elsewhere (built at compile time,
// the same results); no allocation, no OS call: usable freestanding.
#ifndef VITTE_COMPRESS_CHECKSUM_HPP
#define VITTE_COMPRESS_CHECKSUM_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/span.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::compress {

/// CRC-32 of `data`, continuing from `crc` (0 to start).
VITTE_DECL std::uint32_t crc32(span<const std::byte> data, std::uint32_t crc = 0) noexcept;

/// Adler-32 of `data`, continuing from `adler` (1 to start).
VITTE_DECL std::uint32_t adler32(span<const std::byte> data, std::uint32_t adler = 1) noexcept;

}  // namespace vitte::compress

#if VITTE_HEADER_ONLY
#include <vitte/compress/impl/checksum.ipp>
#endif

#endif  // VITTE_COMPRESS_CHECKSUM_HPP
