// vitte/crypto/sha512.hpp - SHA-512 (FIPS 180-4), incremental and one-shot.
//
//   auto d = vitte::crypto::sha512::hash(bytes);        // std::array<std::uint8_t, 64>
//
//   vitte::crypto::sha512 h;
//   h.update(part1);
//   h.update(part2);
//   auto d2 = h.finish();
//
// On x86_64 CPUs with AVX2 and BMI2 (checked once at run time), vector code
// computes the message schedule of two blocks at once, interleaved with the
// scalar rounds of the two before, and the rounds rotate with rorx; with
// AVX-512VL too, the same code is compiled with one-instruction rotations.
// Elsewhere, portable code whose compression loop keeps the state in
// registers. All give the same digests. No allocation, no exceptions, no OS
// call (the detection is cpuid); works on 32-bit and freestanding targets.
// Ed25519 (vitte/crypto/ed25519.hpp) hashes with it. The compression
// functions are in impl/sha512.ipp.
#ifndef VITTE_CRYPTO_SHA512_HPP
#define VITTE_CRYPTO_SHA512_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/detail/cpu.hpp>     // AVX2 / BMI2 / AVX-512VL detection
#include <vitte/base/detail/endian.hpp>  // byte-order loads and stores
#include <vitte/base/span.hpp>           // inputs
#include <vitte/crypto/detail/md.hpp>    // buffering and padding

#include <array>    // digests
#include <cstddef>  // std::size_t, std::byte
#include <cstdint>  // std::uint64_t
#include <cstring>  // std::memcpy

namespace vitte::crypto {

namespace detail {
/// The initial state (FIPS 180-4 5.3.5).
inline constexpr std::uint64_t sha512_iv[8] = {0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b,
                                               0xa54ff53a5f1d36f1, 0x510e527fade682d1, 0x9b05688c2b3e6c1f,
                                               0x1f83d9abfb41bd6b, 0x5be0cd19137e2179};
}  // namespace detail

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
  void update(span<const std::byte> data) noexcept { update(data.data(), data.size()); }

  /// The digest of everything appended; the object is then reset.
  digest_type finish() noexcept;

  /// The digest of one message.
  static digest_type hash(const void* data, std::size_t n) noexcept {
    sha512 h;
    h.update(data, n);
    return h.finish();
  }
  static digest_type hash(span<const std::byte> data) noexcept { return hash(data.data(), data.size()); }

 private:
  std::uint64_t state_[8] = {detail::sha512_iv[0], detail::sha512_iv[1], detail::sha512_iv[2], detail::sha512_iv[3],
                             detail::sha512_iv[4], detail::sha512_iv[5], detail::sha512_iv[6], detail::sha512_iv[7]};
  std::uint64_t length_ = 0;  // bytes appended (messages below 2^64 bytes)
  std::uint8_t buffer_[block_size] = {};
};

namespace detail {

constexpr std::uint64_t rotr64(std::uint64_t x, unsigned n) noexcept { return (x >> n) | (x << (64 - n)); }

/// Compresses `blocks` 128-byte blocks into `state`: portable code.
VITTE_DECL void sha512_blocks_portable(std::uint64_t* state, const std::uint8_t* p, std::size_t blocks) noexcept;

#if VITTE_CRYPTO_HAS_X86_AVX2
/// The same with AVX2 and BMI2; only call when cpu().x86_avx2.
__attribute__((target("avx2,bmi2"))) VITTE_DECL void sha512_blocks_avx2(std::uint64_t* state, const std::uint8_t* p,
                                                                        std::size_t blocks) noexcept;
/// The same with AVX-512VL too; only call when vitte::detail::cpu().x86_avx512vl.
__attribute__((target("avx2,bmi2,avx512f,avx512vl"))) VITTE_DECL void sha512_blocks_avx512(std::uint64_t* state,
                                                                                           const std::uint8_t* p,
                                                                                           std::size_t blocks) noexcept;
#endif

/// True when sha512_blocks uses CPU-specific code (AVX2 or AVX-512VL).
inline bool sha512_accelerated() noexcept {
#if VITTE_CRYPTO_HAS_X86_AVX2
  if (vitte::detail::cpu().x86_avx2) return true;
#endif
  return false;
}

/// Compresses with the best code this CPU runs.
VITTE_DECL void sha512_blocks(std::uint64_t* state, const std::uint8_t* p, std::size_t blocks) noexcept;

}  // namespace detail

}  // namespace vitte::crypto

#if VITTE_HEADER_ONLY
#include <vitte/crypto/impl/sha512.ipp>
#endif

#endif  // VITTE_CRYPTO_SHA512_HPP
