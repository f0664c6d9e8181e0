// Non-template bodies of vitte/crypto/sha1.hpp: the compression function
// and the incremental interface over it.
#ifndef VITTE_CRYPTO_IMPL_SHA1_IPP
#define VITTE_CRYPTO_IMPL_SHA1_IPP

#include <vitte/base/detail/endian.hpp>  // byte-order loads and stores
#include <vitte/crypto/detail/md.hpp>    // buffering and padding
#include <vitte/crypto/sha1.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::crypto {

namespace detail {

/// Compresses `blocks` 64-byte blocks into `state`.
VITTE_DECL void sha1_blocks(std::uint32_t* state, const std::uint8_t* p, std::size_t blocks) noexcept {
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

VITTE_DECL void sha1::update(const void* data, std::size_t n) noexcept {
  detail::md_update<block_size>(buffer_, length_, data, n, [this](const std::uint8_t* p, std::size_t blocks) {
    detail::sha1_blocks(state_, p, blocks);
  });
}

VITTE_DECL sha1::digest_type sha1::finish() noexcept {
  detail::md_finish<block_size, 8>(
      buffer_, length_, [this](const std::uint8_t* p, std::size_t blocks) { detail::sha1_blocks(state_, p, blocks); });
  digest_type out;
  for (int i = 0; i < 5; ++i) ::vitte::detail::store_be<std::uint32_t>(out.data() + 4 * i, state_[i]);
  *this = sha1{};
  return out;
}

}  // namespace vitte::crypto

#endif  // VITTE_CRYPTO_IMPL_SHA1_IPP
