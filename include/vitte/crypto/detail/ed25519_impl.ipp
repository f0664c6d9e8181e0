// Non-template bodies of vitte/crypto/detail/ed25519_impl.hpp: arithmetic
// on scalars modulo L (constant time), and the non-adjacent form of public
// scalars.
#ifndef VITTE_CRYPTO_DETAIL_ED25519_IMPL_IPP
#define VITTE_CRYPTO_DETAIL_ED25519_IMPL_IPP

#include <vitte/crypto/detail/ed25519_impl.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::crypto::detail {

/// Carries limbs from..to-1 into the next (signed: limbs end in [0, 2^21),
/// the last one takes what is left).
VITTE_DECL void sc_carry(std::int64_t* x, int from, int to) noexcept {
  for (int j = from; j < to; ++j) {
    const std::int64_t carry = x[j] >> sc_radix;  // arithmetic shift (C++20)
    x[j] &= sc_mask;
    x[j + 1] += carry;
  }
}

/// Reduces 25 limbs (a value below 2^512, limbs below 2^46 in magnitude)
/// modulo L into 32 bytes.
VITTE_DECL void sc_reduce_limbs(std::int64_t* x, std::uint8_t* out) noexcept {
  const std::int64_t* c = sc_c.v;
  sc_carry(x, 0, 24);
  // Fold limbs 24..12 down; each fold's six limbs are carried at once, so
  // every limb stays below 2^24 in magnitude when its turn comes.
  for (int i = 24; i >= 12; --i) {
    const std::int64_t v = x[i];
    x[i] = 0;
    for (int j = 0; j < 6; ++j) x[i - 12 + j] -= v * c[j];
    sc_carry(x, i - 12, i - 6);
  }
  // value = t * 2^252 + r with 0 <= r < 2^252 and small t; t * 2^252 = -t * c.
  sc_carry(x, 0, 12);
  const std::int64_t t = x[12];
  x[12] = 0;
  for (int j = 0; j < 6; ++j) x[j] -= t * c[j];
  sc_carry(x, 0, 12);
  // Now -2^130 < value < 2^252 + 2^130 and x[12] is its sign or its bit
  // 252: add L when negative, then subtract L when that does not borrow.
  const std::int64_t negative = x[12] >> 63;  // 0 or -1
  for (int j = 0; j < 6; ++j) x[j] += c[j] & negative;
  x[12] -= negative;
  sc_carry(x, 0, 12);
  std::int64_t y[13];
  for (int j = 0; j < 13; ++j) y[j] = x[j] - (j < 6 ? c[j] : 0);
  y[12] -= 1;
  sc_carry(y, 0, 12);
  const std::int64_t keep_x = y[12] >> 63;  // -1 when x - L < 0
  for (int j = 0; j < 13; ++j) x[j] = (x[j] & keep_x) | (y[j] & ~keep_x);
  // Pack 13 limbs (the last one is bit 252) into 32 bytes.
  std::uint64_t acc = 0;
  int bits = 0;
  std::size_t o = 0;
  for (int j = 0; j < 13; ++j) {
    acc |= static_cast<std::uint64_t>(x[j]) << bits;
    for (bits += sc_radix; bits >= 8 && o < 32; bits -= 8, acc >>= 8) out[o++] = static_cast<std::uint8_t>(acc);
  }
  for (; o < 32; acc >>= 8) out[o++] = static_cast<std::uint8_t>(acc);
}

/// out = in (64 bytes, e.g. a SHA-512 digest) mod L.
VITTE_DECL void sc_reduce64(std::uint8_t* out, const std::uint8_t* in) noexcept {
  std::int64_t x[25];
  for (int i = 0; i < 25; ++i) x[i] = sc_limb(in, 64, i);
  sc_reduce_limbs(x, out);
}

/// out = (a * b + c) mod L, each 32 bytes below 2^256 (a * b + c < 2^512).
VITTE_DECL void sc_muladd(std::uint8_t* out, const std::uint8_t* a, const std::uint8_t* b,
                          const std::uint8_t* c) noexcept {
  std::int64_t la[13], lb[13], x[25] = {};
  for (int i = 0; i < 13; ++i) {
    la[i] = sc_limb(a, 32, i);
    lb[i] = sc_limb(b, 32, i);
    x[i] = sc_limb(c, 32, i);
  }
  for (int i = 0; i < 13; ++i)
    for (int j = 0; j < 13; ++j) x[i + j] += la[i] * lb[j];
  sc_reduce_limbs(x, out);
}

/// True when s < L (the canonical range of a signature's S). Not secret.
VITTE_DECL bool sc_is_canonical(const std::uint8_t* s) noexcept {
  for (int i = 31; i >= 0; --i) {
    if (s[i] < ed_l_bytes[i]) return true;
    if (s[i] > ed_l_bytes[i]) return false;
  }
  return false;  // equal to L
}

/// Width-w non-adjacent form of a public scalar s < 2^253: digits odd, at
/// most 2^(w-1) - 1 in magnitude, at least w - 1 zeros between nonzero ones.
VITTE_DECL void sc_wnaf(std::int8_t* out, std::size_t n, const std::uint8_t* s, int w) noexcept {
  for (std::size_t i = 0; i < n; ++i) out[i] = 0;
  const auto bits = [s](std::size_t pos, int count) {
    std::uint32_t v = 0;
    for (int k = count - 1; k >= 0; --k) {
      const std::size_t b = pos + static_cast<std::size_t>(k);
      v = (v << 1) | (b < 256 ? (s[b / 8] >> (b % 8)) & 1u : 0u);
    }
    return v;
  };
  std::uint32_t carry = 0;
  for (std::size_t pos = 0; pos < n;) {
    if (bits(pos, 1) == carry) {
      ++pos;
      continue;
    }
    std::uint32_t window = bits(pos, w) + carry;  // odd, below 2^w
    carry = window >> (w - 1);
    out[pos] = static_cast<std::int8_t>(static_cast<std::int32_t>(window) - static_cast<std::int32_t>(carry << w));
    pos += static_cast<std::size_t>(w);
  }
}

}  // namespace vitte::crypto::detail

#endif  // VITTE_CRYPTO_DETAIL_ED25519_IMPL_IPP
