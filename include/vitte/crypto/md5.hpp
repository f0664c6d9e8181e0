// vitte/crypto/md5.hpp - MD5 (RFC 1321), incremental and one-shot, for the
// formats that still require it: an .rpm's signature header carries the MD5
// of its header and payload, which `rpm -K` checks. MD5 is broken: never
// use it for security, only where a format demands it beside a SHA-256.
//
//   auto d = vitte::crypto::md5::hash(bytes);           // std::array<std::uint8_t, 16>
//
//   vitte::crypto::md5 h;                               // or piece by piece
//   h.update(part1);
//   h.update(part2);
//   auto d2 = h.finish();
//
// Portable code only. No allocation, no exceptions, no OS call; works on
// 32-bit and freestanding targets. Unlike SHA-1 and SHA-2, MD5 is
// little-endian: words, the bit length at the end, and the digest.
#ifndef VITTE_CRYPTO_MD5_HPP
#define VITTE_CRYPTO_MD5_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/detail/endian.hpp>  // byte-order loads and stores
#include <vitte/base/span.hpp>           // inputs
#include <vitte/crypto/detail/md.hpp>    // buffering

#include <array>    // digests
#include <cstddef>  // std::size_t, std::byte
#include <cstdint>  // std::uint32_t

namespace vitte::crypto {

/// MD5, for formats that require it (rpm), not for security.
/// Thread safety: a value type.
class md5 {
 public:
  static constexpr std::size_t digest_size = 16;
  static constexpr std::size_t block_size = 64;
  using digest_type = std::array<std::uint8_t, digest_size>;

  /// An empty message.
  constexpr md5() noexcept = default;

  /// Appends n bytes.
  void update(const void* data, std::size_t n) noexcept;
  /// Appends bytes.
  void update(span<const std::byte> data) noexcept { update(data.data(), data.size()); }

  /// The digest of everything appended; the object is then reset.
  digest_type finish() noexcept;

  /// The digest of one message.
  static digest_type hash(const void* data, std::size_t n) noexcept {
    md5 h;
    h.update(data, n);
    return h.finish();
  }
  static digest_type hash(span<const std::byte> data) noexcept { return hash(data.data(), data.size()); }

 private:
  std::uint32_t state_[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  std::uint64_t length_ = 0;  // bytes appended
  std::uint8_t buffer_[block_size] = {};
};

}  // namespace vitte::crypto

#if VITTE_HEADER_ONLY
#include <vitte/crypto/impl/md5.ipp>
#endif

#endif  // VITTE_CRYPTO_MD5_HPP
