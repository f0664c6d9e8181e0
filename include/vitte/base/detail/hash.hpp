// Non-cryptographic hashes, written once for every layer: FNV-1a for names
// and signatures (constexpr, so plugins compute them at compile time), one
// 64-bit mixer (an avalanche finaliser), one multiply-fold and the short-key
// hash built on it (the loader's export names), and a fast 64-bit content hash for
// file identity in caches. None authenticates anything (vitte/crypto does).
#ifndef VITTE_BASE_DETAIL_HASH_HPP
#define VITTE_BASE_DETAIL_HASH_HPP

#include <vitte/base/detail/endian.hpp>  // load_le
#include <vitte/base/span.hpp>           // content_hash input
#include <vitte/base/text_view.hpp>      // fnv1a input

#include <cstddef>  // std::byte
#include <cstdint>

namespace vitte::detail {

inline constexpr std::uint64_t fnv_offset = 0xcbf29ce484222325ull;
inline constexpr std::uint64_t fnv_prime = 0x100000001b3ull;

/// FNV-1a 64 of `s`, continuing from `h`.
constexpr std::uint64_t fnv1a(text_view s, std::uint64_t h = fnv_offset) noexcept {
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * fnv_prime;
  return h;
}

constexpr std::uint64_t rotl64(std::uint64_t x, int r) noexcept { return (x << r) | (x >> (64 - r)); }

/// The 64-bit mixer (MurmurHash3's finaliser): every input bit affects
/// every output bit. Use it, not another, wherever bits need spreading.
constexpr std::uint64_t mix64(std::uint64_t h) noexcept {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

/// The 128-bit product of a and b with its halves xored: one multiply that
/// spreads every bit of both inputs (wyhash's "mum"), for hashes short
/// enough that a finaliser would be most of their cost.
constexpr std::uint64_t fold_multiply(std::uint64_t a, std::uint64_t b) noexcept {
#if defined(__SIZEOF_INT128__)
  __extension__ typedef unsigned __int128 u128;
  const u128 p = static_cast<u128>(a) * b;
  return static_cast<std::uint64_t>(p) ^ static_cast<std::uint64_t>(p >> 64);
#else
  const std::uint64_t al = a & 0xffffffffu, ah = a >> 32, bl = b & 0xffffffffu, bh = b >> 32;
  const std::uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
  const std::uint64_t mid = (ll >> 32) + (lh & 0xffffffffu) + (hl & 0xffffffffu);
  return ((ll & 0xffffffffu) | mid << 32) ^ (hh + (lh >> 32) + (hl >> 32) + (mid >> 32));
#endif
}

/// Hash of a short key (the loader's export names): one multiply-fold per 16
/// bytes, the tail in at most two overlapping loads (no byte loop, no
/// library call); a name of up to 16 bytes takes a single multiply. The
/// same value on every host and at compile time (the loader's symbol_name
/// constants).
constexpr std::uint64_t name_hash(text_view s) noexcept {
  constexpr std::uint64_t k0 = 0xa0761d6478bd642full, k1 = 0xe7037ed1a0b428dbull;
  std::uint64_t h = k0 ^ s.size();
  const char* p = s.data();
  std::size_t n = s.size();
  for (; n > 16; p += 16, n -= 16) h = fold_multiply(load_le<std::uint64_t>(p) ^ k1, load_le<std::uint64_t>(p + 8) ^ h);
  std::uint64_t a = 0, b = 0;
  if (n >= 8) {  // 8..16 bytes: the first eight and the last eight (they may overlap)
    a = load_le<std::uint64_t>(p);
    b = load_le<std::uint64_t>(p + n - 8);
  } else if (n >= 4) {  // 4..7: the first four and the last four
    a = load_le<std::uint32_t>(p);
    b = load_le<std::uint32_t>(p + n - 4);
  } else if (n != 0) {  // 1..3: first, middle, last
    a = std::uint64_t(static_cast<unsigned char>(p[0])) << 16 |
        std::uint64_t(static_cast<unsigned char>(p[n / 2])) << 8 | std::uint64_t(static_cast<unsigned char>(p[n - 1]));
  }
  return fold_multiply(a ^ k1, b ^ h);
}

/// 64-bit hash of `data`: four independent multiply-rotate lanes over
/// 32-byte blocks (several bytes per cycle), then the tail, the length and
/// an avalanche. The same value on every host.
inline std::uint64_t content_hash(span<const std::byte> data) noexcept {
  constexpr std::uint64_t k1 = 0x9e3779b185ebca87ull, k2 = 0xc2b2ae3d27d4eb4full;
  // Four lanes in registers: independent multiply chains run in parallel.
  std::uint64_t a = k1 + k2, b = k2, c = 0, d = 0 - k1;
  const std::byte* p = data.data();
  std::size_t n = data.size();
  while (n >= 32) {
    a = rotl64(a + load_le<std::uint64_t>(p) * k2, 31) * k1;
    b = rotl64(b + load_le<std::uint64_t>(p + 8) * k2, 31) * k1;
    c = rotl64(c + load_le<std::uint64_t>(p + 16) * k2, 31) * k1;
    d = rotl64(d + load_le<std::uint64_t>(p + 24) * k2, 31) * k1;
    p += 32;
    n -= 32;
  }
  std::uint64_t lane[4] = {a, b, c, d};
  std::uint64_t h = rotl64(lane[0], 1) + rotl64(lane[1], 7) + rotl64(lane[2], 12) + rotl64(lane[3], 18);
  h ^= static_cast<std::uint64_t>(data.size()) * k1;
  while (n >= 8) {
    h = rotl64(h ^ (load_le<std::uint64_t>(p) * k2), 27) * k1 + k2;
    p += 8;
    n -= 8;
  }
  while (n > 0) {
    h = rotl64(h ^ (static_cast<std::uint64_t>(*p) * k1), 11) * k2;
    ++p;
    --n;
  }
  return mix64(h);
}

}  // namespace vitte::detail

#endif  // VITTE_BASE_DETAIL_HASH_HPP
