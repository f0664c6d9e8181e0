// Non-template bodies of vitte/crypto/md5.hpp: the compression function
// and the incremental interface over it.
#ifndef VITTE_CRYPTO_IMPL_MD5_IPP
#define VITTE_CRYPTO_IMPL_MD5_IPP

#include <vitte/base/detail/endian.hpp>  // byte-order loads and stores
#include <vitte/crypto/detail/md.hpp>    // buffering
#include <vitte/crypto/md5.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::crypto {

namespace detail {

// floor(abs(sin(i + 1)) * 2^32) (RFC 1321 3.4).
inline constexpr std::uint32_t md5_k[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};

// The rotation of each round, four per group of sixteen.
inline constexpr unsigned md5_r[16] = {7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21};

/// Compresses `blocks` 64-byte blocks into `state`.
VITTE_DECL void md5_blocks(std::uint32_t* state, const std::uint8_t* p, std::size_t blocks) noexcept {
  for (; blocks != 0; --blocks, p += 64) {
    std::uint32_t m[16];
    for (int i = 0; i < 16; ++i) m[i] = ::vitte::detail::load_le<std::uint32_t>(p + 4 * i);
    std::uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    for (unsigned t = 0; t < 64; ++t) {
      std::uint32_t f;
      unsigned g;
      if (t < 16) {
        f = (b & c) | (~b & d);
        g = t;
      } else if (t < 32) {
        f = (d & b) | (~d & c);
        g = (5 * t + 1) & 15;
      } else if (t < 48) {
        f = b ^ c ^ d;
        g = (3 * t + 5) & 15;
      } else {
        f = c ^ (b | ~d);
        g = (7 * t) & 15;
      }
      const std::uint32_t x = a + f + md5_k[t] + m[g];
      const unsigned r = md5_r[(t / 16) * 4 + (t & 3)];
      a = d;
      d = c;
      c = b;
      b += (x << r) | (x >> (32 - r));
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
  }
}

}  // namespace detail

VITTE_DECL void md5::update(const void* data, std::size_t n) noexcept {
  detail::md_update<block_size>(buffer_, length_, data, n, [this](const std::uint8_t* p, std::size_t blocks) {
    detail::md5_blocks(state_, p, blocks);
  });
}

VITTE_DECL md5::digest_type md5::finish() noexcept {
  // md_finish writes a big-endian length; MD5's is little-endian, so the
  // padding goes through update(): 0x80, zeros to 56 bytes mod 64, then
  // the bit length.
  const std::uint64_t bits = length_ * 8;
  std::uint8_t pad[block_size + 8] = {0x80};
  const std::size_t used = static_cast<std::size_t>(length_ % block_size);
  const std::size_t padding = used < 56 ? 56 - used : 120 - used;  // 0x80 and the zeros
  ::vitte::detail::store_le<std::uint64_t>(pad + padding, bits);
  update(pad, padding + 8);
  digest_type out;
  for (int i = 0; i < 4; ++i) ::vitte::detail::store_le<std::uint32_t>(out.data() + 4 * i, state_[i]);
  *this = md5{};
  return out;
}

}  // namespace vitte::crypto

#endif  // VITTE_CRYPTO_IMPL_MD5_IPP
