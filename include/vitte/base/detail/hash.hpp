// Non-cryptographic hashes, written once for every layer: FNV-1a for names
// and signatures (constexpr, so plugins compute them at compile time), one
// 64-bit mixer (an avalanche finaliser), one multiply-fold and the short-key
// hash built on it (the loader's export names), and a fast 64-bit content hash for
// file identity in caches. None authenticates anything (vitte/crypto does).
#ifndef VITTE_BASE_DETAIL_HASH_HPP
#define VITTE_BASE_DETAIL_HASH_HPP

#include <vitte/base/config.hpp>
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
VITTE_DECL std::uint64_t content_hash(span<const std::byte> data) noexcept;

}  // namespace vitte::detail

#if VITTE_HEADER_ONLY
#include <vitte/base/detail/hash.ipp>
#endif

#endif  // VITTE_BASE_DETAIL_HASH_HPP
