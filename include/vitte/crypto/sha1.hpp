// vitte/crypto/sha1.hpp - SHA-1 (FIPS 180-4, RFC 3174), incremental and
// one-shot, for the formats that still require it: an .rpm's signature
// header carries the SHA-1 of its main header, which `rpm -K` checks.
// SHA-1 is broken for collisions: never use it for security, only where a
// format demands it beside a SHA-256.
//
//   auto d = vitte::crypto::sha1::hash(bytes);          // std::array<std::uint8_t, 20>
//
//   vitte::crypto::sha1 h;                              // or piece by piece
//   h.update(part1);
//   h.update(part2);
//   auto d2 = h.finish();
//
// Portable code only. No allocation, no exceptions, no OS call; works on
// 32-bit and freestanding targets.
#ifndef VITTE_CRYPTO_SHA1_HPP
#define VITTE_CRYPTO_SHA1_HPP

#include <vitte/base/detail/endian.hpp>  // byte-order loads and stores
#include <vitte/crypto/detail/md.hpp>    // buffering and padding

#include <array>    // digests
#include <cstddef>  // std::size_t, std::byte
#include <cstdint>  // std::uint32_t
#include <span>     // inputs

namespace vitte::crypto {

/// SHA-1, for formats that require it (rpm), not for security.
/// Thread safety: a value type.
class sha1 {
 public:
  static constexpr std::size_t digest_size = 20;
  static constexpr std::size_t block_size = 64;
  using digest_type = std::array<std::uint8_t, digest_size>;

  /// An empty message.
  constexpr sha1() noexcept = default;

  /// Appends n bytes.
  void update(const void* data, std::size_t n) noexcept;
  /// Appends bytes.
  void update(std::span<const std::byte> data) noexcept { update(data.data(), data.size()); }

  /// The digest of everything appended; the object is then reset.
  digest_type finish() noexcept;

  /// The digest of one message.
  static digest_type hash(const void* data, std::size_t n) noexcept {
    sha1 h;
    h.update(data, n);
    return h.finish();
  }
  static digest_type hash(std::span<const std::byte> data) noexcept { return hash(data.data(), data.size()); }

 private:
  std::uint32_t state_[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
  std::uint64_t length_ = 0;  // bytes appended
  std::uint8_t buffer_[block_size] = {};
};

namespace detail {

constexpr std::uint32_t rotl32(std::uint32_t x, unsigned n) noexcept { return (x << n) | (x >> (32 - n)); }

/// Compresses `blocks` 64-byte blocks into `state`.
inline void sha1_blocks(std::uint32_t* state, const std::uint8_t* p, std::size_t blocks) noexcept {
  for (; blocks != 0; --blocks, p += 64) {
    std::uint32_t w[16];
    for (int i = 0; i < 16; ++i) w[i] = ::vitte::detail::load_be<std::uint32_t>(p + 4 * i);
    std::uint32_t a = state[0], b = state[1], c = state[2], d = state[3], e = state[4];
    for (int t = 0; t < 80; ++t) {
      if (t >= 16) w[t & 15] = rotl32(w[(t - 3) & 15] ^ w[(t - 8) & 15] ^ w[(t - 14) & 15] ^ w[t & 15], 1);
      std::uint32_t f, k;
      if (t < 20) {
        f = (b & c) | (~b & d);
        k = 0x5a827999;
      } else if (t < 40) {
        f = b ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (t < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8f1bbcdc;
      } else {
        f = b ^ c ^ d;
        k = 0xca62c1d6;
      }
      const std::uint32_t next = rotl32(a, 5) + f + e + k + w[t & 15];
      e = d;
      d = c;
      c = rotl32(b, 30);
      b = a;
      a = next;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
  }
}

}  // namespace detail

inline void sha1::update(const void* data, std::size_t n) noexcept {
  detail::md_update<block_size>(buffer_, length_, data, n, [this](const std::uint8_t* p, std::size_t blocks) {
    detail::sha1_blocks(state_, p, blocks);
  });
}

inline sha1::digest_type sha1::finish() noexcept {
  detail::md_finish<block_size, 8>(
      buffer_, length_, [this](const std::uint8_t* p, std::size_t blocks) { detail::sha1_blocks(state_, p, blocks); });
  digest_type out;
  for (int i = 0; i < 5; ++i) ::vitte::detail::store_be<std::uint32_t>(out.data() + 4 * i, state_[i]);
  *this = sha1{};
  return out;
}

}  // namespace vitte::crypto

#endif  // VITTE_CRYPTO_SHA1_HPP
