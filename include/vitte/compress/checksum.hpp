// vitte/compress/checksum.hpp - the checksums of the zlib and gzip formats:
// CRC-32 (ISO-HDLC, gzip's) and Adler-32 (zlib's), incremental.
//
//   std::uint32_t c = vitte::compress::crc32(bytes);          // whole (a span<const std::byte>)
//   c = vitte::compress::crc32(more, c);                      // continued
//   std::uint32_t a = vitte::compress::adler32(bytes);
//
// Each picks at run time the fastest kernel the CPU runs (the same results):
// CRC-32 by carry-less multiplication (VPCLMULQDQ on AVX-512 or AVX2,
// PCLMULQDQ, ARMv8 PMULL; ARMv8's CRC32 instructions) and slicing-by-8 tables
// elsewhere (built at compile time); Adler-32 with AVX2, SSSE3 or NEON, and
// in plain C++ elsewhere. No allocation, no OS call: usable freestanding.
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

namespace detail {

/// The CRC-32 kernels, widest last on each architecture.
enum class crc32_kernel : std::uint8_t {
  portable,        ///< slicing-by-8 tables: every CPU
  x86_clmul,       ///< PCLMULQDQ folding
  x86_vpclmul256,  ///< VPCLMULQDQ on YMM (AVX2), then PCLMULQDQ
  x86_vpclmul512,  ///< VPCLMULQDQ on ZMM (AVX-512), then the two above
  arm_crc32,       ///< ARMv8 CRC32X/CRC32B
  arm_pmull,       ///< ARMv8 PMULL folding, then the tables
};

/// The Adler-32 kernels.
enum class adler32_kernel : std::uint8_t {
  portable,   ///< a byte at a time: every CPU
  x86_ssse3,  ///< 16 bytes a step
  x86_avx2,   ///< 32 bytes a step, then SSSE3
  arm_neon,   ///< 32 bytes a step
};

/// True when this build has the kernel and this CPU runs it.
VITTE_DECL bool runs(crc32_kernel kernel) noexcept;
VITTE_DECL bool runs(adler32_kernel kernel) noexcept;

/// crc32 and adler32 by one kernel (tests compare them); only call with one that runs().
VITTE_DECL std::uint32_t crc32_by(crc32_kernel kernel, span<const std::byte> data, std::uint32_t crc) noexcept;
VITTE_DECL std::uint32_t adler32_by(adler32_kernel kernel, span<const std::byte> data, std::uint32_t adler) noexcept;

}  // namespace detail

}  // namespace vitte::compress

#if VITTE_HEADER_ONLY
#include <vitte/compress/impl/checksum.ipp>
#endif

#endif  // VITTE_COMPRESS_CHECKSUM_HPP
