// vitte/compress/detail/adler32_sums.hpp - Adler-32's two sums over a run of
// bytes, portable and with SIMD (as zlib-ng and libdeflate do it):
//   adler32_sums_scalar   a byte at a time
//   adler32_sums_ssse3    16 bytes a step: PSADBW sums the bytes, PMADDUBSW
//                         weighs them 16..1
//   adler32_sums_avx2     the same on 32 bytes
//   adler32_sums_neon     32 bytes a step: pairwise widening adds, column
//                         sums weighed 32..1 at the end
// Each adds to `a` the sum of the n bytes x[0..n) and to `b` the sum of
// (n - i) * x[i]: Adler-32 over them is then b += n * a (the old a),
// a += sum, both mod 65521 (adler32_chunked). The SIMD ones take n a multiple
// of their step. Included by impl/checksum.ipp only, which picks one by what
// the CPU has (vitte/base/detail/cpu.hpp).
#ifndef VITTE_COMPRESS_DETAIL_ADLER32_SUMS_HPP
#define VITTE_COMPRESS_DETAIL_ADLER32_SUMS_HPP

#include <vitte/base/detail/cpu.hpp>  // VITTE_HAS_X86_CLMUL, VITTE_CRYPTO_HAS_X86_AVX2, VITTE_HAS_ARM_NEON

#include <cstddef>  // std::size_t
#include <cstdint>  // the sums

#if VITTE_HAS_X86_CLMUL
#include <immintrin.h>  // SSSE3 and AVX2 (compiler header)
#endif
#if VITTE_HAS_ARM_NEON
#include <arm_neon.h>  // Advanced SIMD (compiler header)
#endif

namespace vitte::compress::detail {

inline constexpr std::uint32_t adler32_base = 65521;
/// The most bytes whose sums cannot overflow 32 bits before the modulo:
/// 255 n (n + 1) / 2 + (n + 1) (base - 1) < 2^32.
inline constexpr std::size_t adler32_most = 5552;

/// Adler-32 state `adler` over n bytes at p (a multiple of Step), in pieces
/// of at most adler32_most bytes, each summed by `sums`.
template <std::size_t Step, class Sums>
inline std::uint32_t adler32_chunked(std::uint32_t adler, const std::uint8_t* p, std::size_t n, Sums sums) noexcept {
  std::uint32_t a = adler & 0xffff, b = adler >> 16;
  constexpr std::size_t most = adler32_most / Step * Step;
  while (n != 0) {
    const std::size_t k = n < most ? n : most;
    b += a * static_cast<std::uint32_t>(k);
    sums(p, k, a, b);
    a %= adler32_base;
    b %= adler32_base;
    p += k;
    n -= k;
  }
  return b << 16 | a;
}

inline void adler32_sums_scalar(const std::uint8_t* p, std::size_t n, std::uint32_t& a, std::uint32_t& b) noexcept {
  std::uint32_t s = 0, t = 0;
  for (; n != 0; --n) {
    s += *p++;
    t += s;
  }
  a += s;
  b += t;
}

#if VITTE_HAS_X86_CLMUL

__attribute__((target("ssse3"))) inline std::uint32_t adler32_sum_lanes(__m128i x) noexcept {
  x = _mm_add_epi32(x, _mm_shuffle_epi32(x, 0x4e));
  x = _mm_add_epi32(x, _mm_shuffle_epi32(x, 0xb1));
  return static_cast<std::uint32_t>(_mm_cvtsi128_si32(x));
}

__attribute__((target("ssse3"))) inline void adler32_sums_ssse3(const std::uint8_t* p, std::size_t n, std::uint32_t& a,
                                                                std::uint32_t& b) noexcept {
  const __m128i weights = _mm_setr_epi8(16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1);
  const __m128i ones = _mm_set1_epi16(1), zero = _mm_setzero_si128();
  __m128i sum = zero, before = zero, weighed = zero;  // before: the sums before each step
  for (; n != 0; p += 16, n -= 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    before = _mm_add_epi32(before, sum);
    sum = _mm_add_epi32(sum, _mm_sad_epu8(x, zero));
    weighed = _mm_add_epi32(weighed, _mm_madd_epi16(_mm_maddubs_epi16(x, weights), ones));
  }
  a += adler32_sum_lanes(sum);
  b += adler32_sum_lanes(_mm_add_epi32(weighed, _mm_slli_epi32(before, 4)));
}

#if VITTE_CRYPTO_HAS_X86_AVX2

__attribute__((target("avx2"))) inline void adler32_sums_avx2(const std::uint8_t* p, std::size_t n, std::uint32_t& a,
                                                              std::uint32_t& b) noexcept {
  const __m256i weights = _mm256_setr_epi8(32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14,
                                           13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1);
  const __m256i ones = _mm256_set1_epi16(1), zero = _mm256_setzero_si256();
  __m256i sum = zero, before = zero, weighed = zero;
  for (; n != 0; p += 32, n -= 32) {
    const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    before = _mm256_add_epi32(before, sum);
    sum = _mm256_add_epi32(sum, _mm256_sad_epu8(x, zero));
    weighed = _mm256_add_epi32(weighed, _mm256_madd_epi16(_mm256_maddubs_epi16(x, weights), ones));
  }
  const auto halves = [](__m256i x) __attribute__((target("avx2"))) {
    return adler32_sum_lanes(_mm_add_epi32(_mm256_castsi256_si128(x), _mm256_extracti128_si256(x, 1)));
  };
  a += halves(sum);
  b += halves(_mm256_add_epi32(weighed, _mm256_slli_epi32(before, 5)));
}

#endif  // VITTE_CRYPTO_HAS_X86_AVX2
#endif  // VITTE_HAS_X86_CLMUL

#if VITTE_HAS_ARM_NEON

inline void adler32_sums_neon(const std::uint8_t* p, std::size_t n, std::uint32_t& a, std::uint32_t& b) noexcept {
  uint32x4_t sum = vdupq_n_u32(0), before = vdupq_n_u32(0);
  // The sums of each of the 32 byte positions (at most 5552 / 32 * 255: 16 bits).
  uint16x8_t c0 = vdupq_n_u16(0), c1 = c0, c2 = c0, c3 = c0;
  for (; n != 0; p += 32, n -= 32) {
    const uint8x16_t x0 = vld1q_u8(p), x1 = vld1q_u8(p + 16);
    before = vaddq_u32(before, sum);
    sum = vpadalq_u16(sum, vpadalq_u8(vpaddlq_u8(x0), x1));
    c0 = vaddw_u8(c0, vget_low_u8(x0));
    c1 = vaddw_u8(c1, vget_high_u8(x0));
    c2 = vaddw_u8(c2, vget_low_u8(x1));
    c3 = vaddw_u8(c3, vget_high_u8(x1));
  }
  static constexpr std::uint16_t w[32] = {32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17,
                                          16, 15, 14, 13, 12, 11, 10, 9,  8,  7,  6,  5,  4,  3,  2,  1};
  uint32x4_t weighed = vshlq_n_u32(before, 5);
  const uint16x8_t columns[4] = {c0, c1, c2, c3};
  for (int i = 0; i < 4; ++i) {
    weighed = vmlal_u16(weighed, vget_low_u16(columns[i]), vld1_u16(w + 8 * i));
    weighed = vmlal_u16(weighed, vget_high_u16(columns[i]), vld1_u16(w + 8 * i + 4));
  }
  a += vaddvq_u32(sum);
  b += vaddvq_u32(weighed);
}

#endif  // VITTE_HAS_ARM_NEON

}  // namespace vitte::compress::detail

#endif  // VITTE_COMPRESS_DETAIL_ADLER32_SUMS_HPP
