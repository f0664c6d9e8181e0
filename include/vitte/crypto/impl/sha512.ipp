// Non-template bodies of vitte/crypto/sha512.hpp: the compression
// functions (portable; AVX2 and BMI2, AVX-512VL on x86_64), the dispatch
// between them, and the incremental interface over them.
#ifndef VITTE_CRYPTO_IMPL_SHA512_IPP
#define VITTE_CRYPTO_IMPL_SHA512_IPP

#include <vitte/base/detail/cpu.hpp>
#include <vitte/base/detail/endian.hpp>  // byte-order loads and stores
#include <vitte/crypto/detail/md.hpp>    // buffering and padding
#include <vitte/crypto/sha512.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>  // std::memcpy

// The rounds are inlined into each compression function, so that the x86
// ones are compiled for their targets (rorx, vprorq) and the portable one
// for the build's.
#if defined(__GNUC__) || defined(__clang__)
#define VITTE_CRYPTO_SHA512_INLINE __attribute__((always_inline))
#else
#define VITTE_CRYPTO_SHA512_INLINE
#endif

namespace vitte::crypto {

namespace detail {

inline constexpr std::uint64_t sha512_k[80] = {
    0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc, 0x3956c25bf348b538,
    0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242, 0x12835b0145706fbe,
    0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2, 0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
    0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
    0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5, 0x983e5152ee66dfab,
    0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
    0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed,
    0x53380d139d95b3df, 0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
    0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
    0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8, 0x19a4c116b8d2d0c8, 0x1e376c085141ab53,
    0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373,
    0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
    0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b, 0xca273eceea26619c,
    0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba, 0x0a637dc5a2c898a6,
    0x113f9804bef90dae, 0x1b710b35131c471b, 0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
    0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817};

// One round; the caller rotates the roles of the eight words instead of
// moving them, so eight rounds run without a register shuffle. Maj(a, b, c)
// = b ^ ((a ^ b) & (b ^ c)), and b ^ c is the previous round's a ^ b: the
// caller keeps it in bc.
VITTE_CRYPTO_SHA512_INLINE inline void sha512_round(std::uint64_t a, std::uint64_t b, std::uint64_t& bc,
                                                    std::uint64_t& d, std::uint64_t e, std::uint64_t f, std::uint64_t g,
                                                    std::uint64_t& h, std::uint64_t kw) noexcept {
  const std::uint64_t ab = a ^ b;
  const std::uint64_t maj = b ^ (ab & bc);
  bc = ab;
  const std::uint64_t t1 = h + kw + (g ^ (e & (f ^ g))) + (rotr64(e, 14) ^ rotr64(e, 18) ^ rotr64(e, 41));
  d += t1;
  h = t1 + maj + (rotr64(a, 28) ^ rotr64(a, 34) ^ rotr64(a, 39));
}

// Eight rounds over W + K read from wk[0], wk[1], wk[Step], wk[Step + 1], ...
// bc holds b ^ c of the next round (Maj reuses it).
template <int Step>
VITTE_CRYPTO_SHA512_INLINE inline void sha512_round8(std::uint64_t* v, std::uint64_t& bc,
                                                     const std::uint64_t* x) noexcept {
  sha512_round(v[0], v[1], bc, v[3], v[4], v[5], v[6], v[7], x[0]);
  sha512_round(v[7], v[0], bc, v[2], v[3], v[4], v[5], v[6], x[1]);
  sha512_round(v[6], v[7], bc, v[1], v[2], v[3], v[4], v[5], x[Step]);
  sha512_round(v[5], v[6], bc, v[0], v[1], v[2], v[3], v[4], x[Step + 1]);
  sha512_round(v[4], v[5], bc, v[7], v[0], v[1], v[2], v[3], x[2 * Step]);
  sha512_round(v[3], v[4], bc, v[6], v[7], v[0], v[1], v[2], x[2 * Step + 1]);
  sha512_round(v[2], v[3], bc, v[5], v[6], v[7], v[0], v[1], x[3 * Step]);
  sha512_round(v[1], v[2], bc, v[4], v[5], v[6], v[7], v[0], x[3 * Step + 1]);
}

/// Compresses `blocks` 128-byte blocks into `state`: portable code.
VITTE_DECL void sha512_blocks_portable(std::uint64_t* state, const std::uint8_t* p, std::size_t blocks) noexcept {
  for (; blocks != 0; --blocks, p += 128) {
    std::uint64_t w[16];
    for (int i = 0; i < 16; ++i) w[i] = ::vitte::detail::load_be<std::uint64_t>(p + 8 * i);
    std::uint64_t v[8];
    for (int i = 0; i < 8; ++i) v[i] = state[i];
    std::uint64_t bc = v[1] ^ v[2];
#pragma GCC unroll 10
    for (int t = 0; t < 80; t += 8) {
      if (t >= 16) {
#pragma GCC unroll 8
        for (int i = 0; i < 8; ++i) {
          const int j = (t + i) & 15;
          const std::uint64_t w15 = w[(j + 1) & 15], w2 = w[(j + 14) & 15];
          w[j] += (rotr64(w15, 1) ^ rotr64(w15, 8) ^ (w15 >> 7)) + (rotr64(w2, 19) ^ rotr64(w2, 61) ^ (w2 >> 6)) +
                  w[(j + 9) & 15];
        }
      }
      std::uint64_t kw[8];
      for (int i = 0; i < 8; ++i) kw[i] = sha512_k[t + i] + w[(t & 15) + i];
      sha512_round8<2>(v, bc, kw);
    }
    for (int i = 0; i < 8; ++i) state[i] += v[i];
  }
}

#if VITTE_CRYPTO_HAS_X86_AVX2
// The x86 code is written once with the compilers' vector extensions and
// compiled twice, inside an AVX2 + BMI2 function and inside one that also
// has AVX-512VL (where a 64-bit rotation is one instruction and a
// three-way XOR another). Vectors are only passed by pointer, so no
// function has a vector in its calling convention.
typedef std::uint64_t sha512_u64x4 __attribute__((vector_size(32)));
typedef std::uint8_t sha512_u8x32 __attribute__((vector_size(32)));
typedef std::uint8_t sha512_u8x16 __attribute__((vector_size(16)));

// K[2i], K[2i + 1], K[2i], K[2i + 1]: one load gives both blocks their K.
struct sha512_k_pairs {
  alignas(32) std::uint64_t k[160];
  constexpr sha512_k_pairs() noexcept : k{} {
    for (int i = 0; i < 160; ++i) k[i] = sha512_k[i / 4 * 2 + i % 2];
  }
};
inline constexpr sha512_k_pairs sha512_k2{};

// x[i] = the first block's W[2i..2i+1] in the low half, the second's in the
// high half (big-endian words).
VITTE_CRYPTO_SHA512_INLINE inline void sha512_load_x86(sha512_u64x4* x, const std::uint8_t* first,
                                                       const std::uint8_t* second) noexcept {
  for (int i = 0; i < 8; ++i) {
    sha512_u8x16 lo, hi;
    std::memcpy(&lo, first + 16 * i, 16);
    std::memcpy(&hi, second + 16 * i, 16);
    const sha512_u8x32 v = __builtin_shufflevector(lo, hi, 7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8, 23, 22,
                                                   21, 20, 19, 18, 17, 16, 31, 30, 29, 28, 27, 26, 25, 24);
    std::memcpy(&x[i], &v, sizeof v);
  }
}

// Step i of 40 of two blocks' schedule: W[2i..2i+1] (from the 16 words
// before, kept in x[8] as a ring), plus K, stored at out[4i..4i+3] (the
// first block's two words, then the second's). Shuffles stay within
// 128-bit halves, so one instruction serves both blocks.
VITTE_CRYPTO_SHA512_INLINE inline void sha512_schedule_x86(sha512_u64x4* x, int i, std::uint64_t* out) noexcept {
  if (i >= 8) {
    // sigma0(W[t-15..t-14]) + W[t-7..t-6] + sigma1(W[t-2..t-1]) + W[t-16..t-15], t = 2i.
    const int j = i & 7;
    const sha512_u64x4 w15 = __builtin_shufflevector(x[j], x[(j + 1) & 7], 1, 4, 3, 6);
    const sha512_u64x4 w7 = __builtin_shufflevector(x[(j + 4) & 7], x[(j + 5) & 7], 1, 4, 3, 6);
    const sha512_u64x4 w2 = x[(j + 7) & 7];
    const sha512_u64x4 s0 = ((w15 >> 1) | (w15 << 63)) ^ ((w15 >> 8) | (w15 << 56)) ^ (w15 >> 7);
    const sha512_u64x4 s1 = ((w2 >> 19) | (w2 << 45)) ^ ((w2 >> 61) | (w2 << 3)) ^ (w2 >> 6);
    x[j] += s0 + w7 + s1;
  }
  sha512_u64x4 k;
  std::memcpy(&k, sha512_k2.k + 4 * i, sizeof k);
  const sha512_u64x4 wk = x[i & 7] + k;
  std::memcpy(out + 4 * i, &wk, sizeof wk);
}

// The 80 rounds of block B (0 or 1) of a pair whose W + K are in wk; when
// `next` is set, half of the next pair's schedule steps run in between, so
// the scalar and the vector units work at once.
template <int B>
VITTE_CRYPTO_SHA512_INLINE inline void sha512_rounds_x86(std::uint64_t* state, const std::uint64_t* wk, sha512_u64x4* x,
                                                         std::uint64_t* next) noexcept {
  std::uint64_t v[8];
  for (int i = 0; i < 8; ++i) v[i] = state[i];
  std::uint64_t bc = v[1] ^ v[2];
#pragma GCC unroll 10
  for (int g = 0; g < 10; ++g) {
    sha512_round8<4>(v, bc, wk + 2 * B + 16 * g);
    if (next != nullptr) {
      sha512_schedule_x86(x, 20 * B + 2 * g, next);
      sha512_schedule_x86(x, 20 * B + 2 * g + 1, next);
    }
  }
  for (int i = 0; i < 8; ++i) state[i] += v[i];
}

// Two blocks at a time: vector code computes both blocks' W + K at once (the
// next pair's interleaved with this pair's rounds), and the rounds run in
// scalar code (with BMI2, rorx rotates without a copy).
VITTE_CRYPTO_SHA512_INLINE inline void sha512_blocks_x86(std::uint64_t* state, const std::uint8_t* p,
                                                         std::size_t blocks) noexcept {
  if (blocks == 0) return;
  alignas(32) std::uint64_t wk[2][40 * 4];
  sha512_u64x4 x[8];
  sha512_load_x86(x, p, blocks >= 2 ? p + 128 : p);  // one block left: schedule it twice, use it once
#pragma GCC unroll 40
  for (int i = 0; i < 40; ++i) sha512_schedule_x86(x, i, wk[0]);
  for (int cur = 0;; cur ^= 1) {
    const bool pair = blocks >= 2;
    blocks -= pair ? 2 : 1;
    p += pair ? 256 : 128;
    std::uint64_t* next = nullptr;
    if (blocks != 0) {
      sha512_load_x86(x, p, blocks >= 2 ? p + 128 : p);
      next = wk[cur ^ 1];
    }
    // A lone block is the last one: no schedule steps are skipped with it.
    sha512_rounds_x86<0>(state, wk[cur], x, next);
    if (pair) sha512_rounds_x86<1>(state, wk[cur], x, next);
    if (blocks == 0) return;
  }
}

/// The same with AVX2 and BMI2; only call when cpu().x86_avx2.
__attribute__((target("avx2,bmi2"))) VITTE_DECL void sha512_blocks_avx2(std::uint64_t* state, const std::uint8_t* p,
                                                                        std::size_t blocks) noexcept {
  sha512_blocks_x86(state, p, blocks);
}

/// The same with AVX-512VL too; only call when vitte::detail::cpu().x86_avx512vl.
__attribute__((target("avx2,bmi2,avx512f,avx512vl"))) VITTE_DECL void sha512_blocks_avx512(
    std::uint64_t* state, const std::uint8_t* p, std::size_t blocks) noexcept {
  sha512_blocks_x86(state, p, blocks);
}
#endif

/// Compresses with the best code this CPU runs.
VITTE_DECL void sha512_blocks(std::uint64_t* state, const std::uint8_t* p, std::size_t blocks) noexcept {
#if VITTE_CRYPTO_HAS_X86_AVX2
  if (vitte::detail::cpu().x86_avx512vl) return sha512_blocks_avx512(state, p, blocks);
  if (vitte::detail::cpu().x86_avx2) return sha512_blocks_avx2(state, p, blocks);
#endif
  sha512_blocks_portable(state, p, blocks);
}

}  // namespace detail

VITTE_DECL void sha512::update(const void* data, std::size_t n) noexcept {
  detail::md_update<block_size>(buffer_, length_, data, n, [this](const std::uint8_t* p, std::size_t blocks) {
    detail::sha512_blocks(state_, p, blocks);
  });
}

VITTE_DECL sha512::digest_type sha512::finish() noexcept {
  detail::md_finish<block_size, 16>(buffer_, length_, [this](const std::uint8_t* p, std::size_t blocks) {
    detail::sha512_blocks(state_, p, blocks);
  });
  digest_type out;
  for (int i = 0; i < 8; ++i) ::vitte::detail::store_be<std::uint64_t>(out.data() + 8 * i, state_[i]);
  *this = sha512{};
  return out;
}

}  // namespace vitte::crypto

#endif  // VITTE_CRYPTO_IMPL_SHA512_IPP
