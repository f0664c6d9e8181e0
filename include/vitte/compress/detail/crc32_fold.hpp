// vitte/compress/detail/crc32_fold.hpp - CRC-32 by carry-less multiplication
// (PCLMULQDQ), folding 512 bits at a time, as Intel's "Fast CRC Computation
// for Generic Polynomials Using PCLMULQDQ" describes: four 128-bit lanes
// folded 64 bytes ahead, folded into one, then reduced to 64 and 32 bits and
// by Barrett reduction to the CRC. Included by impl/checksum.ipp only, which
// calls it when the CPU has the instructions (vitte/base/detail/cpu.hpp).
//
// The constants are x^k mod P for the reflected polynomial 0xEDB88320 (P =
// 0x1DB710641 bit-reflected), each shifted left one bit for the reflected
// product: k1 = x^(4*128+32), k2 = x^(4*128-32) fold 512 bits; k3 = x^(128+32),
// k4 = x^(128-32) fold 128 bits; k5 = x^64 folds 64 to 32; mu = x^64 / P.
#ifndef VITTE_COMPRESS_DETAIL_CRC32_FOLD_HPP
#define VITTE_COMPRESS_DETAIL_CRC32_FOLD_HPP

#include <vitte/base/detail/cpu.hpp>  // VITTE_HAS_X86_CLMUL

#include <cstddef>  // std::size_t
#include <cstdint>  // the state

#if VITTE_HAS_X86_CLMUL
#include <immintrin.h>  // _mm_clmulepi64_si128 and the SSE loads (compiler header)

namespace vitte::compress::detail {

/// Folds `n` bytes at `p` (n >= 64 and a multiple of 16) into the CRC-32
/// state `c` (the inverted CRC, as the table code keeps it); the new state.
__attribute__((target("pclmul,sse4.1"))) inline std::uint32_t crc32_fold_clmul(std::uint32_t c, const std::uint8_t* p,
                                                                               std::size_t n) noexcept {
  const auto load = [](const std::uint8_t* q) __attribute__((target("pclmul,sse4.1"))) {
    return _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
  };
  // x.lo * k.lo ^ x.hi * k.hi: x moved 128 (or 512) bits further along.
  const auto fold = [](__m128i x, __m128i k) __attribute__((target("pclmul,sse4.1"))) {
    return _mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x00), _mm_clmulepi64_si128(x, k, 0x11));
  };
  const __m128i k1k2 = _mm_set_epi64x(0x1c6e41596, 0x154442bd4);
  const __m128i k3k4 = _mm_set_epi64x(0x0ccaa009e, 0x1751997d0);
  const __m128i k5 = _mm_set_epi64x(0, 0x163cd6124);
  const __m128i poly_mu = _mm_set_epi64x(0x1f7011641, 0x1db710641);
  const __m128i low32 = _mm_set_epi32(0, 0, 0, -1);

  __m128i x0 = _mm_xor_si128(load(p), _mm_cvtsi32_si128(static_cast<int>(c)));
  __m128i x1 = load(p + 16);
  __m128i x2 = load(p + 32);
  __m128i x3 = load(p + 48);
  p += 64;
  n -= 64;
  while (n >= 64) {
    x0 = _mm_xor_si128(fold(x0, k1k2), load(p));
    x1 = _mm_xor_si128(fold(x1, k1k2), load(p + 16));
    x2 = _mm_xor_si128(fold(x2, k1k2), load(p + 32));
    x3 = _mm_xor_si128(fold(x3, k1k2), load(p + 48));
    p += 64;
    n -= 64;
  }
  __m128i x = _mm_xor_si128(fold(x0, k3k4), x1);
  x = _mm_xor_si128(fold(x, k3k4), x2);
  x = _mm_xor_si128(fold(x, k3k4), x3);
  while (n >= 16) {
    x = _mm_xor_si128(fold(x, k3k4), load(p));
    p += 16;
    n -= 16;
  }
  // 128 bits to 64, 64 to 32 (with the 32 zero bits of the CRC's degree).
  x = _mm_xor_si128(_mm_clmulepi64_si128(x, k3k4, 0x10), _mm_srli_si128(x, 8));
  x = _mm_xor_si128(_mm_clmulepi64_si128(_mm_and_si128(x, low32), k5, 0x00), _mm_srli_si128(x, 4));
  // Barrett: T1 = floor(R / x^32) * mu, T2 = floor(T1 / x^32) * P, R ^ T2.
  __m128i t = _mm_clmulepi64_si128(_mm_and_si128(x, low32), poly_mu, 0x10);
  t = _mm_clmulepi64_si128(_mm_and_si128(t, low32), poly_mu, 0x00);
  return static_cast<std::uint32_t>(_mm_extract_epi32(_mm_xor_si128(x, t), 1));
}

}  // namespace vitte::compress::detail
#endif

#endif  // VITTE_COMPRESS_DETAIL_CRC32_FOLD_HPP
