// vitte/compress/impl/checksum.ipp - crc32 and adler32 (vitte/compress/checksum.hpp):
// CRC-32 by carry-less multiplication where the CPU has it (detail/crc32_fold.hpp),
// else by slicing-by-8 tables built at compile time.
#ifndef VITTE_COMPRESS_IMPL_CHECKSUM_IPP
#define VITTE_COMPRESS_IMPL_CHECKSUM_IPP

#include <vitte/base/detail/bytes.hpp>   // octets_of
#include <vitte/base/detail/endian.hpp>  // 4-byte loads
#include <vitte/compress/checksum.hpp>
#include <vitte/compress/detail/crc32_fold.hpp>  // PCLMULQDQ folding

#include <cstddef>
#include <cstdint>

namespace vitte::compress {

namespace detail {
struct crc_tables {
  std::uint32_t t[8][256];
};
constexpr crc_tables make_crc_tables() noexcept {
  crc_tables c{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t v = i;
    for (int k = 0; k < 8; ++k) v = (v & 1) ? 0xedb88320u ^ (v >> 1) : v >> 1;
    c.t[0][i] = v;
  }
  for (std::uint32_t i = 0; i < 256; ++i)
    for (int k = 1; k < 8; ++k) c.t[k][i] = (c.t[k - 1][i] >> 8) ^ c.t[0][c.t[k - 1][i] & 0xff];
  return c;
}
inline constexpr crc_tables crc = make_crc_tables();
}  // namespace detail

/// CRC-32 of `data`, continuing from `crc` (0 to start).
VITTE_DECL std::uint32_t crc32(span<const std::byte> data, std::uint32_t crc) noexcept {
  std::uint32_t c = ~crc;
  const std::uint8_t* p = vitte::detail::octets_of(data).data();
  std::size_t n = data.size();
  const auto& t = detail::crc.t;
#if VITTE_HAS_X86_CLMUL
  if (n >= 64 && vitte::detail::cpu().x86_clmul) {
    const std::size_t folded = n & ~std::size_t{15};
    c = detail::crc32_fold_clmul(c, p, folded);
    p += folded;
    n -= folded;
  }
#endif
  while (n >= 8) {
    const std::uint32_t lo = c ^ vitte::detail::load_le<std::uint32_t>(p);
    c = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^ t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^ t[3][p[4]] ^ t[2][p[5]] ^
        t[1][p[6]] ^ t[0][p[7]];
    p += 8;
    n -= 8;
  }
  while (n-- != 0) c = t[0][(c ^ *p++) & 0xff] ^ (c >> 8);
  return ~c;
}

/// Adler-32 of `data`, continuing from `adler` (1 to start).
VITTE_DECL std::uint32_t adler32(span<const std::byte> data, std::uint32_t adler) noexcept {
  std::uint32_t a = adler & 0xffff, b = adler >> 16;
  const std::uint8_t* p = vitte::detail::octets_of(data).data();
  std::size_t n = data.size();
  while (n != 0) {
    std::size_t k = n < 5552 ? n : 5552;  // the most bytes before b can overflow
    n -= k;
    while (k-- != 0) {
      a += *p++;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return b << 16 | a;
}

}  // namespace vitte::compress

#endif  // VITTE_COMPRESS_IMPL_CHECKSUM_IPP
