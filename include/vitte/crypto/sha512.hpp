// vitte/crypto/sha512.hpp - SHA-512 (FIPS 180-4), incremental and one-shot.
//
//   auto d = vitte::crypto::sha512::hash(bytes);        // std::array<std::uint8_t, 64>
//
//   vitte::crypto::sha512 h;
//   h.update(part1);
//   h.update(part2);
//   auto d2 = h.finish();
//
// Portable code (few CPUs have SHA-512 instructions); the compression loop
// is written so that compilers keep the state in registers. No allocation,
// no exceptions, no OS call; works on 32-bit and freestanding targets.
// Ed25519 (vitte/crypto/ed25519.hpp) hashes with it.
#ifndef VITTE_CRYPTO_SHA512_HPP
#define VITTE_CRYPTO_SHA512_HPP

#include <vitte/config.hpp>
#include <vitte/crypto/detail/md.hpp>  // buffering and padding

#include <array>    // digests
#include <cstddef>  // std::size_t, std::byte
#include <cstdint>  // std::uint64_t
#include <cstring>  // std::memcpy
#include <span>     // inputs

namespace vitte::crypto {

/// SHA-512. Thread safety: a value type.
class sha512 {
 public:
  static constexpr std::size_t digest_size = 64;
  static constexpr std::size_t block_size = 128;
  using digest_type = std::array<std::uint8_t, digest_size>;

  /// An empty message.
  constexpr sha512() noexcept = default;

  /// Appends n bytes.
  void update(const void* data, std::size_t n) noexcept;
  /// Appends bytes.
  void update(std::span<const std::byte> data) noexcept { update(data.data(), data.size()); }

  /// The digest of everything appended; the object is then reset.
  digest_type finish() noexcept;

  /// The digest of one message.
  static digest_type hash(const void* data, std::size_t n) noexcept {
    sha512 h;
    h.update(data, n);
    return h.finish();
  }
  static digest_type hash(std::span<const std::byte> data) noexcept { return hash(data.data(), data.size()); }

 private:
  std::uint64_t state_[8] = {0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
                             0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179};
  std::uint64_t length_ = 0;  // bytes appended (messages below 2^64 bytes)
  std::uint8_t buffer_[block_size] = {};
};

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

constexpr std::uint64_t rotr64(std::uint64_t x, unsigned n) noexcept { return (x >> n) | (x << (64 - n)); }

inline std::uint64_t load_be64(const std::uint8_t* p) noexcept {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);  // one load and a byte swap (GCC does not see it in the loop below)
  return __builtin_bswap64(v);
#else
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
#endif
}

constexpr void store_be64(std::uint8_t* p, std::uint64_t v) noexcept {
  for (int i = 7; i >= 0; --i, v >>= 8) p[i] = static_cast<std::uint8_t>(v);
}

// One round; the caller rotates the roles of the eight words instead of
// moving them, so eight rounds run without a register shuffle.
inline void sha512_round(std::uint64_t a, std::uint64_t b, std::uint64_t c, std::uint64_t& d, std::uint64_t e,
                         std::uint64_t f, std::uint64_t g, std::uint64_t& h, std::uint64_t kw) noexcept {
  const std::uint64_t t1 = h + (rotr64(e, 14) ^ rotr64(e, 18) ^ rotr64(e, 41)) + (g ^ (e & (f ^ g))) + kw;
  d += t1;
  h = t1 + (rotr64(a, 28) ^ rotr64(a, 34) ^ rotr64(a, 39)) + ((a & b) | (c & (a | b)));
}

/// Compresses `blocks` 128-byte blocks into `state`.
inline void sha512_blocks(std::uint64_t* state, const std::uint8_t* p, std::size_t blocks) noexcept {
  for (; blocks != 0; --blocks, p += 128) {
    std::uint64_t w[16];
    for (int i = 0; i < 16; ++i) w[i] = load_be64(p + 8 * i);
    std::uint64_t a = state[0], b = state[1], c = state[2], d = state[3];
    std::uint64_t e = state[4], f = state[5], g = state[6], h = state[7];
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
      const std::uint64_t* k = sha512_k + t;
      const std::uint64_t* x = w + (t & 15);
      sha512_round(a, b, c, d, e, f, g, h, k[0] + x[0]);
      sha512_round(h, a, b, c, d, e, f, g, k[1] + x[1]);
      sha512_round(g, h, a, b, c, d, e, f, k[2] + x[2]);
      sha512_round(f, g, h, a, b, c, d, e, k[3] + x[3]);
      sha512_round(e, f, g, h, a, b, c, d, k[4] + x[4]);
      sha512_round(d, e, f, g, h, a, b, c, k[5] + x[5]);
      sha512_round(c, d, e, f, g, h, a, b, k[6] + x[6]);
      sha512_round(b, c, d, e, f, g, h, a, k[7] + x[7]);
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

}  // namespace detail

inline void sha512::update(const void* data, std::size_t n) noexcept {
  detail::md_update<block_size>(buffer_, length_, data, n, [this](const std::uint8_t* p, std::size_t blocks) {
    detail::sha512_blocks(state_, p, blocks);
  });
}

inline sha512::digest_type sha512::finish() noexcept {
  detail::md_finish<block_size, 16>(buffer_, length_, [this](const std::uint8_t* p, std::size_t blocks) {
    detail::sha512_blocks(state_, p, blocks);
  });
  digest_type out;
  for (int i = 0; i < 8; ++i) detail::store_be64(out.data() + 8 * i, state_[i]);
  *this = sha512{};
  return out;
}

}  // namespace vitte::crypto

#endif  // VITTE_CRYPTO_SHA512_HPP
