// vitte/crypto/sha256.hpp - SHA-256 (FIPS 180-4), incremental and one-shot.
//
//   auto d = vitte::crypto::sha256::hash(bytes);        // std::array<std::uint8_t, 32>
//
//   vitte::crypto::sha256 h;                            // or piece by piece
//   h.update(part1);
//   h.update(part2);
//   auto d2 = h.finish();
//
// Uses the CPU's SHA instructions when it has them (x86 SHA-NI, ARMv8 SHA2),
// checked once at run time, and portable code otherwise; all give the same
// digests. No allocation, no exceptions, no OS call (the Arm check asks the
// OS once, in base/detail/cpu.ipp). Works on 32-bit and freestanding targets.
// The compression functions are in impl/sha256.ipp.
#ifndef VITTE_CRYPTO_SHA256_HPP
#define VITTE_CRYPTO_SHA256_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/detail/cpu.hpp>     // SHA-NI / ARMv8 SHA2 detection
#include <vitte/base/detail/endian.hpp>  // byte-order loads and stores
#include <vitte/base/span.hpp>           // inputs
#include <vitte/crypto/detail/md.hpp>    // buffering and padding

#include <array>    // digests
#include <cstddef>  // std::size_t, std::byte
#include <cstdint>  // std::uint32_t
#include <cstring>  // std::memcpy

namespace vitte::crypto {

/// SHA-256. A value type: copy it to hash two messages sharing a prefix.
/// Thread safety: a value type.
class sha256 {
 public:
  static constexpr std::size_t digest_size = 32;
  static constexpr std::size_t block_size = 64;
  using digest_type = std::array<std::uint8_t, digest_size>;

  /// An empty message.
  constexpr sha256() noexcept = default;

  /// Appends n bytes.
  void update(const void* data, std::size_t n) noexcept;
  /// Appends bytes.
  void update(span<const std::byte> data) noexcept { update(data.data(), data.size()); }

  /// The digest of everything appended. The object is then reset to an
  /// empty message.
  digest_type finish() noexcept;

  /// The digest of one message.
  static digest_type hash(const void* data, std::size_t n) noexcept {
    sha256 h;
    h.update(data, n);
    return h.finish();
  }
  static digest_type hash(span<const std::byte> data) noexcept { return hash(data.data(), data.size()); }

 private:
  std::uint32_t state_[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                             0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::uint64_t length_ = 0;  // bytes appended
  std::uint8_t buffer_[block_size] = {};
};

namespace detail {

constexpr std::uint32_t rotr32(std::uint32_t x, unsigned n) noexcept { return (x >> n) | (x << (32 - n)); }

/// Compresses `blocks` 64-byte blocks into `state`: portable code.
VITTE_DECL void sha256_blocks_portable(std::uint32_t* state, const std::uint8_t* p, std::size_t blocks) noexcept;

/// True when sha256_blocks uses CPU instructions.
inline bool sha256_accelerated() noexcept {
#if VITTE_CRYPTO_HAS_X86_SHA
  if (vitte::detail::cpu().x86_sha) return true;
#endif
#if VITTE_CRYPTO_HAS_ARM_SHA2
  if (vitte::detail::cpu().arm_sha2) return true;
#endif
  return false;
}

/// Compresses with the best code this CPU runs.
VITTE_DECL void sha256_blocks(std::uint32_t* state, const std::uint8_t* p, std::size_t blocks) noexcept;

}  // namespace detail

}  // namespace vitte::crypto

#if VITTE_HEADER_ONLY
#include <vitte/crypto/impl/sha256.ipp>
#endif

#endif  // VITTE_CRYPTO_SHA256_HPP
