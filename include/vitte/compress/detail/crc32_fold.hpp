// vitte/compress/detail/crc32_fold.hpp - CRC-32 by carry-less multiplication,
// as Intel's "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ"
// describes: 128-bit lanes folded ahead over the input, folded into one,
// then reduced to 64 and 32 bits and by Barrett reduction to the CRC.
//   crc32_fold_clmul        PCLMULQDQ, four 128-bit lanes (64 bytes a step)
//   crc32_fold_vpclmul256   VPCLMULQDQ on YMM (AVX2), four lanes of 256 bits
//   crc32_fold_vpclmul512   VPCLMULQDQ on ZMM (AVX-512), four lanes of 512 bits
//   crc32_fold_pmull        ARMv8 PMULL, four 128-bit lanes
//   crc32_arm               the ARMv8 CRC32X/CRC32B instructions, no folding
// Included by impl/checksum.ipp only, which picks one by what the CPU has
// (vitte/base/detail/cpu.hpp). Each takes and returns the inverted CRC, as
// the table code keeps it; the folding ones take n >= their step and a
// multiple of 16.
//
// A fold moves a 128-bit lane D bits further along the message: its low
// half (the earlier bytes, in the reflected order) times x^(D+32) mod P, its
// high half times x^(D-32) mod P, both bit-reflected and shifted left once
// (crc32_x_pow_mod); mu = x^64 / P and P itself finish by Barrett reduction.
#ifndef VITTE_COMPRESS_DETAIL_CRC32_FOLD_HPP
#define VITTE_COMPRESS_DETAIL_CRC32_FOLD_HPP

#include <vitte/base/detail/cpu.hpp>  // VITTE_HAS_X86_CLMUL, VITTE_HAS_ARM_PMULL, VITTE_HAS_ARM_CRC32

#include <cstddef>  // std::size_t
#include <cstdint>  // the state
#include <cstring>  // std::memcpy (8-byte loads)

#if VITTE_HAS_X86_CLMUL
#include <immintrin.h>  // _mm*_clmulepi64_* and the SSE/AVX loads (compiler header)
#endif
#if VITTE_HAS_ARM_PMULL
#include <arm_neon.h>  // vmull_p64 (compiler header)
#endif
#if VITTE_HAS_ARM_CRC32
#include <arm_acle.h>  // __crc32d, __crc32b (compiler header)
#endif

namespace vitte::compress::detail {

/// x^k mod P for CRC-32's polynomial, bit-reflected and shifted left once:
/// the multiplier of a fold (see above).
constexpr std::uint64_t crc32_x_pow_mod(unsigned k) noexcept {
  std::uint32_t r = 1;  // x^0, normal bit order
  for (unsigned i = 0; i < k; ++i) r = (r & 0x80000000u) != 0 ? (r << 1) ^ 0x04c11db7u : r << 1;
  std::uint64_t reflected = 0;
  for (unsigned i = 0; i < 32; ++i) reflected |= std::uint64_t{(r >> i) & 1u} << (31 - i);
  return reflected << 1;
}
static_assert(crc32_x_pow_mod(544) == 0x154442bd4 && crc32_x_pow_mod(480) == 0x1c6e41596 &&
              crc32_x_pow_mod(64) == 0x163cd6124);  // Intel's k1, k2, k5

/// The fold multipliers for a distance of D bits: x^(D-32) high, x^(D+32) low.
template <unsigned D>
inline constexpr std::uint64_t crc32_fold_low = crc32_x_pow_mod(D + 32);
template <unsigned D>
inline constexpr std::uint64_t crc32_fold_high = crc32_x_pow_mod(D - 32);
inline constexpr std::uint64_t crc32_mu = 0x1f7011641;    // x^64 / P, reflected
inline constexpr std::uint64_t crc32_poly = 0x1db710641;  // P, reflected

#if VITTE_HAS_X86_CLMUL

template <unsigned D>
__attribute__((target("pclmul,sse4.1"))) inline __m128i crc32_fold_k128() noexcept {
  return _mm_set_epi64x(static_cast<long long>(crc32_fold_high<D>), static_cast<long long>(crc32_fold_low<D>));
}

/// x folded by the multipliers k, plus y.
__attribute__((target("pclmul,sse4.1"))) inline __m128i crc32_fold_16(__m128i x, __m128i k, __m128i y) noexcept {
  return _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x00), _mm_clmulepi64_si128(x, k, 0x11)), y);
}

/// The lane x (the bytes before p, folded), then n bytes at p (a multiple
/// of 16) 16 at a time, reduced to the state.
__attribute__((target("pclmul,sse4.1"))) inline std::uint32_t crc32_fold_finish(__m128i x, const std::uint8_t* p,
                                                                                std::size_t n) noexcept {
  const __m128i k128 = crc32_fold_k128<128>();
  for (; n >= 16; p += 16, n -= 16) x = crc32_fold_16(x, k128, _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  // 128 bits to 64, 64 to 32 (with the 32 zero bits of the CRC's degree).
  const __m128i low32 = _mm_set_epi32(0, 0, 0, -1);
  x = _mm_xor_si128(_mm_clmulepi64_si128(x, k128, 0x10), _mm_srli_si128(x, 8));
  x = _mm_xor_si128(_mm_clmulepi64_si128(_mm_and_si128(x, low32),
                                         _mm_set_epi64x(0, static_cast<long long>(crc32_x_pow_mod(64))), 0x00),
                    _mm_srli_si128(x, 4));
  // Barrett: T1 = floor(R / x^32) * mu, T2 = floor(T1 / x^32) * P, R ^ T2.
  const __m128i poly_mu = _mm_set_epi64x(static_cast<long long>(crc32_mu), static_cast<long long>(crc32_poly));
  __m128i t = _mm_clmulepi64_si128(_mm_and_si128(x, low32), poly_mu, 0x10);
  t = _mm_clmulepi64_si128(_mm_and_si128(t, low32), poly_mu, 0x00);
  return static_cast<std::uint32_t>(_mm_extract_epi32(_mm_xor_si128(x, t), 1));
}

/// PCLMULQDQ: n >= 64 bytes.
__attribute__((target("pclmul,sse4.1"))) inline std::uint32_t crc32_fold_clmul(std::uint32_t c, const std::uint8_t* p,
                                                                               std::size_t n) noexcept {
  const auto load = [](const std::uint8_t* q) __attribute__((target("sse4.1"))) {
    return _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
  };
  const __m128i k512 = crc32_fold_k128<512>(), k128 = crc32_fold_k128<128>();
  __m128i x0 = _mm_xor_si128(load(p), _mm_cvtsi32_si128(static_cast<int>(c)));
  __m128i x1 = load(p + 16), x2 = load(p + 32), x3 = load(p + 48);
  for (p += 64, n -= 64; n >= 64; p += 64, n -= 64) {
    x0 = crc32_fold_16(x0, k512, load(p));
    x1 = crc32_fold_16(x1, k512, load(p + 16));
    x2 = crc32_fold_16(x2, k512, load(p + 32));
    x3 = crc32_fold_16(x3, k512, load(p + 48));
  }
  const __m128i x = crc32_fold_16(crc32_fold_16(crc32_fold_16(x0, k128, x1), k128, x2), k128, x3);
  return crc32_fold_finish(x, p, n);
}

#if VITTE_CRYPTO_HAS_X86_AVX2

template <unsigned D>
__attribute__((target("pclmul,sse4.1,avx2,vpclmulqdq"))) inline __m256i crc32_fold_k256() noexcept {
  return _mm256_broadcastsi128_si256(crc32_fold_k128<D>());
}

__attribute__((target("pclmul,sse4.1,avx2,vpclmulqdq"))) inline __m256i crc32_fold_32(__m256i x, __m256i k,
                                                                                      __m256i y) noexcept {
  return _mm256_xor_si256(_mm256_xor_si256(_mm256_clmulepi64_epi128(x, k, 0x00), _mm256_clmulepi64_epi128(x, k, 0x11)),
                          y);
}

__attribute__((target("avx2"))) inline __m256i crc32_load32(const std::uint8_t* p) noexcept {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

/// The 256-bit lane x (the bytes before p, folded), then n bytes at p (a
/// multiple of 16) 32 at a time, reduced to the state.
__attribute__((target("pclmul,sse4.1,avx2,vpclmulqdq"))) inline std::uint32_t crc32_fold_finish256(
    __m256i x, const std::uint8_t* p, std::size_t n) noexcept {
  const __m256i k256 = crc32_fold_k256<256>();
  for (; n >= 32; p += 32, n -= 32) x = crc32_fold_32(x, k256, crc32_load32(p));
  // Its low 128 bits folded onto its high ones.
  return crc32_fold_finish(
      crc32_fold_16(_mm256_castsi256_si128(x), crc32_fold_k128<128>(), _mm256_extracti128_si256(x, 1)), p, n);
}

/// VPCLMULQDQ on YMM: n >= 128 bytes.
__attribute__((target("pclmul,sse4.1,avx2,vpclmulqdq"))) inline std::uint32_t crc32_fold_vpclmul256(
    std::uint32_t c, const std::uint8_t* p, std::size_t n) noexcept {
  const auto load = crc32_load32;
  const __m256i k1024 = crc32_fold_k256<1024>(), k256 = crc32_fold_k256<256>();
  __m256i x0 = _mm256_xor_si256(load(p), _mm256_setr_epi32(static_cast<int>(c), 0, 0, 0, 0, 0, 0, 0));
  __m256i x1 = load(p + 32), x2 = load(p + 64), x3 = load(p + 96);
  for (p += 128, n -= 128; n >= 128; p += 128, n -= 128) {
    x0 = crc32_fold_32(x0, k1024, load(p));
    x1 = crc32_fold_32(x1, k1024, load(p + 32));
    x2 = crc32_fold_32(x2, k1024, load(p + 64));
    x3 = crc32_fold_32(x3, k1024, load(p + 96));
  }
  return crc32_fold_finish256(crc32_fold_32(crc32_fold_32(crc32_fold_32(x0, k256, x1), k256, x2), k256, x3), p, n);
}

// (GCC 12's unmasked _mm512_broadcast_i32x4, _mm512_extracti64x4_epi64 and
// _mm512_castsi512_si256 read an uninitialized variable, which
// -Wuninitialized reports at -Og: set and maskz instead.)
template <unsigned D>
__attribute__((target("avx512f"))) inline __m512i crc32_fold_k512() noexcept {
  constexpr auto lo = static_cast<long long>(crc32_fold_low<D>), hi = static_cast<long long>(crc32_fold_high<D>);
  return _mm512_set_epi64(hi, lo, hi, lo, hi, lo, hi, lo);
}

__attribute__((target("avx512f"))) inline __m512i crc32_load64(const std::uint8_t* p) noexcept {
  return _mm512_loadu_si512(p);
}

__attribute__((target("avx512f,vpclmulqdq"))) inline __m512i crc32_fold_64(__m512i x, __m512i k, __m512i y) noexcept {
  return _mm512_ternarylogic_epi64(_mm512_clmulepi64_epi128(x, k, 0x00), _mm512_clmulepi64_epi128(x, k, 0x11), y,
                                   0x96);  // a ^ b ^ c
}

/// VPCLMULQDQ on ZMM: n >= 256 bytes.
__attribute__((target("pclmul,sse4.1,avx2,vpclmulqdq,avx512f,avx512vl"))) inline std::uint32_t crc32_fold_vpclmul512(
    std::uint32_t c, const std::uint8_t* p, std::size_t n) noexcept {
  const auto load = crc32_load64;
  const auto fold = crc32_fold_64;
  const __m512i k2048 = crc32_fold_k512<2048>(), k512 = crc32_fold_k512<512>();
  __m512i x0 =
      _mm512_xor_si512(load(p), _mm512_setr_epi32(static_cast<int>(c), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  __m512i x1 = load(p + 64), x2 = load(p + 128), x3 = load(p + 192);
  for (p += 256, n -= 256; n >= 256; p += 256, n -= 256) {
    x0 = fold(x0, k2048, load(p));
    x1 = fold(x1, k2048, load(p + 64));
    x2 = fold(x2, k2048, load(p + 128));
    x3 = fold(x3, k2048, load(p + 192));
  }
  __m512i x = fold(fold(fold(x0, k512, x1), k512, x2), k512, x3);
  for (; n >= 64; p += 64, n -= 64) x = fold(x, k512, load(p));
  // Its low 256 bits folded onto its high ones.
  return crc32_fold_finish256(crc32_fold_32(_mm512_maskz_extracti64x4_epi64(0xff, x, 0), crc32_fold_k256<256>(),
                                            _mm512_maskz_extracti64x4_epi64(0xff, x, 1)),
                              p, n);
}

#endif  // VITTE_CRYPTO_HAS_X86_AVX2
#endif  // VITTE_HAS_X86_CLMUL

#if VITTE_HAS_ARM_PMULL

/// x folded by the multipliers k (low, high), plus y.
__attribute__((target("+crypto"))) inline uint64x2_t crc32_fold_pmull_16(uint64x2_t x, uint64x2_t k,
                                                                         uint64x2_t y) noexcept {
  const uint64x2_t lo = vreinterpretq_u64_p128(vmull_p64(vgetq_lane_u64(x, 0), vgetq_lane_u64(k, 0)));
  const uint64x2_t hi = vreinterpretq_u64_p128(vmull_high_p64(vreinterpretq_p64_u64(x), vreinterpretq_p64_u64(k)));
  return veorq_u64(veorq_u64(lo, hi), y);
}

template <unsigned D>
inline uint64x2_t crc32_fold_pmull_k() noexcept {
  return vcombine_u64(vcreate_u64(crc32_fold_low<D>), vcreate_u64(crc32_fold_high<D>));
}

/// PMULL: n >= 64 bytes.
__attribute__((target("+crypto"))) inline std::uint32_t crc32_fold_pmull(std::uint32_t c, const std::uint8_t* p,
                                                                         std::size_t n) noexcept {
  const auto load = [](const std::uint8_t* q) { return vreinterpretq_u64_u8(vld1q_u8(q)); };
  const uint64x2_t k512 = crc32_fold_pmull_k<512>(), k128 = crc32_fold_pmull_k<128>();
  uint64x2_t x0 = veorq_u64(load(p), vcombine_u64(vcreate_u64(c), vcreate_u64(0)));
  uint64x2_t x1 = load(p + 16), x2 = load(p + 32), x3 = load(p + 48);
  for (p += 64, n -= 64; n >= 64; p += 64, n -= 64) {
    x0 = crc32_fold_pmull_16(x0, k512, load(p));
    x1 = crc32_fold_pmull_16(x1, k512, load(p + 16));
    x2 = crc32_fold_pmull_16(x2, k512, load(p + 32));
    x3 = crc32_fold_pmull_16(x3, k512, load(p + 48));
  }
  uint64x2_t x = crc32_fold_pmull_16(crc32_fold_pmull_16(crc32_fold_pmull_16(x0, k128, x1), k128, x2), k128, x3);
  for (; n >= 16; p += 16, n -= 16) x = crc32_fold_pmull_16(x, k128, load(p));
  // 128 bits to 64 (the low half times x^96, plus the high half), 64 to 32.
  const uint64x2_t zero = vdupq_n_u64(0);
  const auto mul = [](std::uint64_t a, std::uint64_t b)
                       __attribute__((target("+crypto"))) { return vreinterpretq_u64_p128(vmull_p64(a, b)); };
  x = veorq_u64(mul(vgetq_lane_u64(x, 0), crc32_fold_high<128>), vcombine_u64(vget_high_u64(x), vcreate_u64(0)));
  const std::uint64_t low32 = 0xffffffffu;
  x = veorq_u64(mul(vgetq_lane_u64(x, 0) & low32, crc32_x_pow_mod(64)),
                vreinterpretq_u64_u8(vextq_u8(vreinterpretq_u8_u64(x), vreinterpretq_u8_u64(zero), 4)));
  // Barrett: T1 = floor(R / x^32) * mu, T2 = floor(T1 / x^32) * P, R ^ T2.
  uint64x2_t t = mul(vgetq_lane_u64(x, 0) & low32, crc32_mu);
  t = mul(vgetq_lane_u64(t, 0) & low32, crc32_poly);
  return vgetq_lane_u32(vreinterpretq_u32_u64(veorq_u64(x, t)), 1);
}

#endif  // VITTE_HAS_ARM_PMULL

#if VITTE_HAS_ARM_CRC32

/// The CRC32 instructions, 8 bytes at a time: any n.
__attribute__((target("+crc"))) inline std::uint32_t crc32_arm(std::uint32_t c, const std::uint8_t* p,
                                                               std::size_t n) noexcept {
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);  // little-endian: the CRC's byte order
    c = __crc32d(c, v);
  }
  for (; n != 0; --n) c = __crc32b(c, *p++);
  return c;
}

#endif  // VITTE_HAS_ARM_CRC32

}  // namespace vitte::compress::detail

#endif  // VITTE_COMPRESS_DETAIL_CRC32_FOLD_HPP
