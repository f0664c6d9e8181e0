// Non-template bodies of vitte/crypto/sha256.hpp: the compression
// functions (portable, SHA-NI, ARMv8 SHA2), the dispatch between them, and
// the incremental interface over them.
#ifndef VITTE_CRYPTO_IMPL_SHA256_IPP
#define VITTE_CRYPTO_IMPL_SHA256_IPP

#include <vitte/base/detail/cpu.hpp>
#include <vitte/base/detail/endian.hpp>  // byte-order loads and stores
#include <vitte/crypto/detail/md.hpp>    // buffering and padding
#include <vitte/crypto/sha256.hpp>

#include <cstddef>
#include <cstdint>

#if VITTE_CRYPTO_HAS_X86_SHA
#include <immintrin.h>  // SHA-NI, SSSE3, SSE4.1 intrinsics (compiler header)
#endif
#if VITTE_CRYPTO_HAS_ARM_SHA2
#include <arm_neon.h>  // vsha256* intrinsics (compiler header)
#endif

namespace vitte::crypto {

namespace detail {

inline constexpr std::uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

/// Compresses `blocks` 64-byte blocks into `state`: portable code.
VITTE_DECL void sha256_blocks_portable(std::uint32_t* state, const std::uint8_t* p, std::size_t blocks) noexcept {
  for (; blocks != 0; --blocks, p += 64) {
    std::uint32_t w[16];
    for (int i = 0; i < 16; ++i) w[i] = ::vitte::detail::load_be<std::uint32_t>(p + 4 * i);
    std::uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    std::uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (int t = 0; t < 64; ++t) {
      if (t >= 16) {
        const std::uint32_t w15 = w[(t - 15) & 15], w2 = w[(t - 2) & 15];
        const std::uint32_t s0 = rotr32(w15, 7) ^ rotr32(w15, 18) ^ (w15 >> 3);
        const std::uint32_t s1 = rotr32(w2, 17) ^ rotr32(w2, 19) ^ (w2 >> 10);
        w[t & 15] += s0 + s1 + w[(t - 7) & 15];
      }
      const std::uint32_t t1 =
          h + (rotr32(e, 6) ^ rotr32(e, 11) ^ rotr32(e, 25)) + ((e & f) ^ (~e & g)) + sha256_k[t] + w[t & 15];
      const std::uint32_t t2 = (rotr32(a, 2) ^ rotr32(a, 13) ^ rotr32(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      h = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
  }
}

#if VITTE_CRYPTO_HAS_X86_SHA
/// The same with SHA-NI; only call when vitte::detail::cpu().x86_sha.
__attribute__((target("sha,sse4.1"))) VITTE_DECL void sha256_blocks_x86(std::uint32_t* state, const std::uint8_t* p,
                                                                        std::size_t blocks) noexcept {
  const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
  __m128i dcba = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state));
  __m128i hgfe = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4));
  dcba = _mm_shuffle_epi32(dcba, 0xB1);              // lanes B A D C
  hgfe = _mm_shuffle_epi32(hgfe, 0x1B);              // lanes H G F E
  __m128i abef = _mm_alignr_epi8(dcba, hgfe, 8);     // lanes F E B A
  __m128i cdgh = _mm_blend_epi16(hgfe, dcba, 0xF0);  // lanes H G D C
  for (; blocks != 0; --blocks, p += 64) {
    const __m128i abef0 = abef, cdgh0 = cdgh;
    __m128i w[4];
#pragma GCC unroll 16
    for (int g = 0; g < 16; ++g) {
      if (g < 4) w[g] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * g)), bswap);
      __m128i msg = _mm_add_epi32(w[g & 3], _mm_loadu_si128(reinterpret_cast<const __m128i*>(sha256_k + 4 * g)));
      cdgh = _mm_sha256rnds2_epu32(cdgh, abef, msg);
      msg = _mm_shuffle_epi32(msg, 0x0E);
      abef = _mm_sha256rnds2_epu32(abef, cdgh, msg);
      if (g >= 3 && g < 15) {
        // W[g+1] = msg2(msg1(W[g-3], W[g-2]) + W[g-2..g-1] shifted by one word, W[g]).
        const int n = (g + 1) & 3;
        __m128i x = _mm_sha256msg1_epu32(w[n], w[(g + 2) & 3]);
        x = _mm_add_epi32(x, _mm_alignr_epi8(w[g & 3], w[(g + 3) & 3], 4));
        w[n] = _mm_sha256msg2_epu32(x, w[g & 3]);
      }
    }
    abef = _mm_add_epi32(abef, abef0);
    cdgh = _mm_add_epi32(cdgh, cdgh0);
  }
  const __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
  const __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state), _mm_blend_epi16(feba, dchg, 0xF0));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), _mm_alignr_epi8(dchg, feba, 8));
}
#endif

#if VITTE_CRYPTO_HAS_ARM_SHA2
/// The same with the ARMv8 SHA2 instructions; only call when vitte::detail::cpu().arm_sha2.
#if defined(__clang__)
#define VITTE_CRYPTO_ARM_SHA2_TARGET
#else
#define VITTE_CRYPTO_ARM_SHA2_TARGET __attribute__((target("+crypto")))
#endif
VITTE_CRYPTO_ARM_SHA2_TARGET VITTE_DECL void sha256_blocks_arm(std::uint32_t* state, const std::uint8_t* p,
                                                               std::size_t blocks) noexcept {
  uint32x4_t abcd = vld1q_u32(state), efgh = vld1q_u32(state + 4);
  for (; blocks != 0; --blocks, p += 64) {
    const uint32x4_t abcd0 = abcd, efgh0 = efgh;
    uint32x4_t w[4];
    for (int i = 0; i < 4; ++i) w[i] = vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(p + 16 * i)));
#pragma GCC unroll 16
    for (int g = 0; g < 16; ++g) {
      const uint32x4_t wk = vaddq_u32(w[g & 3], vld1q_u32(sha256_k + 4 * g));
      const uint32x4_t prev = abcd;
      abcd = vsha256hq_u32(abcd, efgh, wk);
      efgh = vsha256h2q_u32(efgh, prev, wk);
      if (g < 12) w[g & 3] = vsha256su1q_u32(vsha256su0q_u32(w[g & 3], w[(g + 1) & 3]), w[(g + 2) & 3], w[(g + 3) & 3]);
    }
    abcd = vaddq_u32(abcd, abcd0);
    efgh = vaddq_u32(efgh, efgh0);
  }
  vst1q_u32(state, abcd);
  vst1q_u32(state + 4, efgh);
}
#undef VITTE_CRYPTO_ARM_SHA2_TARGET
#endif

/// Compresses with the best code this CPU runs.
VITTE_DECL void sha256_blocks(std::uint32_t* state, const std::uint8_t* p, std::size_t blocks) noexcept {
#if VITTE_CRYPTO_HAS_X86_SHA
  if (vitte::detail::cpu().x86_sha) return sha256_blocks_x86(state, p, blocks);
#endif
#if VITTE_CRYPTO_HAS_ARM_SHA2
  if (vitte::detail::cpu().arm_sha2) return sha256_blocks_arm(state, p, blocks);
#endif
  sha256_blocks_portable(state, p, blocks);
}

}  // namespace detail

VITTE_DECL void sha256::update(const void* data, std::size_t n) noexcept {
  detail::md_update<block_size>(buffer_, length_, data, n, [this](const std::uint8_t* p, std::size_t blocks) {
    detail::sha256_blocks(state_, p, blocks);
  });
}

VITTE_DECL sha256::digest_type sha256::finish() noexcept {
  detail::md_finish<block_size, 8>(buffer_, length_, [this](const std::uint8_t* p, std::size_t blocks) {
    detail::sha256_blocks(state_, p, blocks);
  });
  digest_type out;
  for (int i = 0; i < 8; ++i) ::vitte::detail::store_be<std::uint32_t>(out.data() + 4 * i, state_[i]);
  *this = sha256{};
  return out;
}

}  // namespace vitte::crypto

#endif  // VITTE_CRYPTO_IMPL_SHA256_IPP
