// Out-of-line part of vitte/base/detail/hash.hpp: the content hash.
#ifndef VITTE_BASE_DETAIL_HASH_IPP
#define VITTE_BASE_DETAIL_HASH_IPP

#include <vitte/base/detail/endian.hpp>  // load_le
#include <vitte/base/detail/hash.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::detail {

VITTE_DECL std::uint64_t content_hash(span<const std::byte> data) noexcept {
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

#endif  // VITTE_BASE_DETAIL_HASH_IPP
