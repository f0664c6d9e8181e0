// vitte/compress/impl/checksum.ipp - crc32 and adler32 (vitte/compress/checksum.hpp):
// the kernels (detail/crc32_fold.hpp, detail/adler32_sums.hpp) and the
// choice among them; CRC-32's slicing-by-8 tables, built at compile time.
#ifndef VITTE_COMPRESS_IMPL_CHECKSUM_IPP
#define VITTE_COMPRESS_IMPL_CHECKSUM_IPP

#include <vitte/base/detail/bytes.hpp>   // octets_of
#include <vitte/base/detail/endian.hpp>  // 4-byte loads
#include <vitte/compress/checksum.hpp>
#include <vitte/compress/detail/adler32_sums.hpp>  // Adler-32's kernels
#include <vitte/compress/detail/crc32_fold.hpp>    // carry-less multiplication folding

#include <cstddef>
#include <cstdint>
#include <type_traits>  // std::integral_constant

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

namespace detail {

/// The inverted CRC state `c` over n bytes at p, by the tables.
inline std::uint32_t crc32_tables(std::uint32_t c, const std::uint8_t* p, std::size_t n) noexcept {
  const auto& t = crc.t;
  for (; n >= 8; p += 8, n -= 8) {
    const std::uint32_t lo = c ^ vitte::detail::load_le<std::uint32_t>(p);
    c = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^ t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^ t[3][p[4]] ^ t[2][p[5]] ^
        t[1][p[6]] ^ t[0][p[7]];
  }
  for (; n != 0; --n) c = t[0][(c ^ *p++) & 0xff] ^ (c >> 8);
  return c;
}

VITTE_DECL bool runs(crc32_kernel kernel) noexcept {
  const auto& cpu = vitte::detail::cpu();
  switch (kernel) {
    case crc32_kernel::portable:
      return true;
    case crc32_kernel::x86_clmul:
      return VITTE_HAS_X86_CLMUL && cpu.x86_clmul;
    case crc32_kernel::x86_vpclmul256:
      return VITTE_HAS_X86_CLMUL && VITTE_CRYPTO_HAS_X86_AVX2 && cpu.x86_vpclmul;
    case crc32_kernel::x86_vpclmul512:
      return VITTE_HAS_X86_CLMUL && VITTE_CRYPTO_HAS_X86_AVX2 && cpu.x86_vpclmul && cpu.x86_avx512vl;
    case crc32_kernel::arm_crc32:
      return VITTE_HAS_ARM_CRC32 && cpu.arm_crc32;
    case crc32_kernel::arm_pmull:
      return VITTE_HAS_ARM_PMULL && cpu.arm_pmull;
  }
  return false;
}

VITTE_DECL bool runs(adler32_kernel kernel) noexcept {
  const auto& cpu = vitte::detail::cpu();
  switch (kernel) {
    case adler32_kernel::portable:
      return true;
    case adler32_kernel::x86_ssse3:
      return VITTE_HAS_X86_CLMUL && cpu.x86_ssse3;
    case adler32_kernel::x86_avx2:
      return VITTE_HAS_X86_CLMUL && VITTE_CRYPTO_HAS_X86_AVX2 && cpu.x86_avx2;
    case adler32_kernel::arm_neon:
      return VITTE_HAS_ARM_NEON;
  }
  return false;
}

VITTE_DECL std::uint32_t crc32_by([[maybe_unused]] crc32_kernel kernel, span<const std::byte> data,
                                  std::uint32_t crc) noexcept {
  std::uint32_t c = ~crc;
  const std::uint8_t* p = vitte::detail::octets_of(data).data();
  std::size_t n = data.size();
  // Folds what a kernel takes (at least `least` bytes, a multiple of 16).
  [[maybe_unused]] const auto fold = [&](std::size_t least, auto kernel_fn) {
    if (n < least) return;
    const std::size_t m = n & ~std::size_t{15};
    c = kernel_fn(c, p, m);
    p += m;
    n -= m;
  };
#if VITTE_HAS_X86_CLMUL && VITTE_CRYPTO_HAS_X86_AVX2
  if (kernel == crc32_kernel::x86_vpclmul512) fold(256, crc32_fold_vpclmul512);
  if (kernel == crc32_kernel::x86_vpclmul512 || kernel == crc32_kernel::x86_vpclmul256)
    fold(128, crc32_fold_vpclmul256);
#endif
#if VITTE_HAS_X86_CLMUL
  if (kernel != crc32_kernel::portable) fold(64, crc32_fold_clmul);  // every x86 kernel
#endif
#if VITTE_HAS_ARM_PMULL
  if (kernel == crc32_kernel::arm_pmull) fold(64, crc32_fold_pmull);
#endif
#if VITTE_HAS_ARM_CRC32
  if (kernel == crc32_kernel::arm_crc32) return ~crc32_arm(c, p, n);
#endif
  return ~crc32_tables(c, p, n);
}

VITTE_DECL std::uint32_t adler32_by([[maybe_unused]] adler32_kernel kernel, span<const std::byte> data,
                                    std::uint32_t adler) noexcept {
  const std::uint8_t* p = vitte::detail::octets_of(data).data();
  std::size_t n = data.size();
  // Sums what a kernel takes (whole steps).
  [[maybe_unused]] const auto steps = [&]<std::size_t Step>(std::integral_constant<std::size_t, Step>, auto sums) {
    const std::size_t m = n / Step * Step;
    adler = adler32_chunked<Step>(adler, p, m, sums);
    p += m;
    n -= m;
  };
#if VITTE_HAS_X86_CLMUL && VITTE_CRYPTO_HAS_X86_AVX2
  if (kernel == adler32_kernel::x86_avx2) steps(std::integral_constant<std::size_t, 32>{}, adler32_sums_avx2);
#endif
#if VITTE_HAS_X86_CLMUL
  if (kernel == adler32_kernel::x86_avx2 || kernel == adler32_kernel::x86_ssse3)
    steps(std::integral_constant<std::size_t, 16>{}, adler32_sums_ssse3);
#endif
#if VITTE_HAS_ARM_NEON
  if (kernel == adler32_kernel::arm_neon) steps(std::integral_constant<std::size_t, 32>{}, adler32_sums_neon);
#endif
  return adler32_chunked<1>(adler, p, n, adler32_sums_scalar);
}

/// The widest kernels this CPU runs, asked once.
inline crc32_kernel best_crc32_kernel() noexcept {
  static const crc32_kernel best = [] {
    for (crc32_kernel k : {crc32_kernel::x86_vpclmul512, crc32_kernel::x86_vpclmul256, crc32_kernel::x86_clmul,
                           crc32_kernel::arm_pmull, crc32_kernel::arm_crc32})
      if (runs(k)) return k;
    return crc32_kernel::portable;
  }();
  return best;
}

inline adler32_kernel best_adler32_kernel() noexcept {
  static const adler32_kernel best = [] {
    for (adler32_kernel k : {adler32_kernel::x86_avx2, adler32_kernel::x86_ssse3, adler32_kernel::arm_neon})
      if (runs(k)) return k;
    return adler32_kernel::portable;
  }();
  return best;
}

}  // namespace detail

/// CRC-32 of `data`, continuing from `crc` (0 to start).
VITTE_DECL std::uint32_t crc32(span<const std::byte> data, std::uint32_t crc) noexcept {
  return detail::crc32_by(detail::best_crc32_kernel(), data, crc);
}

/// Adler-32 of `data`, continuing from `adler` (1 to start).
VITTE_DECL std::uint32_t adler32(span<const std::byte> data, std::uint32_t adler) noexcept {
  return detail::adler32_by(detail::best_adler32_kernel(), data, adler);
}

}  // namespace vitte::compress

#endif  // VITTE_COMPRESS_IMPL_CHECKSUM_IPP
