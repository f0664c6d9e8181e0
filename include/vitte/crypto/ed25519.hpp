// vitte/crypto/ed25519.hpp - Ed25519 signatures (RFC 8032), strict checks.
//
//   namespace ed = vitte::crypto::ed25519;
//   ed::key_pair kp = ed::key_pair_from_seed(seed);         // 32 secret bytes
//   ed::signature sig = ed::sign(kp, message);              // 64 bytes
//   if (ed::verify(kp.public_key, message, sig)) { ... }
//
// Keys from the OS's random source: vitte/crypto/keygen.hpp.
//
// Verification is strict, and deterministic across implementations that
// follow the same rules (the ones libsodium applies):
//   - S must be canonical (S < L), else verify_status::non_canonical_s;
//   - R and A must be canonical encodings (y < p; x = 0 with the sign bit
//     set is refused) of points on the curve, else bad_r / bad_public_key;
//   - small-order points: A and R of small order (the 8 points P with
//     8P = 0) are refused (bad_public_key / bad_r). With such an A, one
//     signature verifies for many messages; with such an R, a signature can
//     be valid under several keys. Refusing them costs nothing honest keys
//     and signatures ever produce;
//   - the equation is the cofactorless one, [S]B = R + [k]A, checked
//     exactly (mismatch otherwise). Mixed-order A (a small-order component
//     added to a prime-order point) is therefore not accepted by accident:
//     the equation simply fails unless the signer produced it.
//
// Constant time where secrets are involved: key derivation and signing use
// a fixed-base multiplication that reads every table entry and selects with
// masks, scalar arithmetic without branches, and a fixed inversion chain.
// Verification handles public data only and runs in variable time.
//
// The field arithmetic uses 51-bit limbs and 128-bit products on 64-bit
// compilers, 16-bit limbs elsewhere (32-bit Arm, Cortex-M). Precomputed
// multiples of the base point are built on first use (about 35 KiB for
// signing, 4 KiB for verification with 51-bit limbs). No allocation, no
// exceptions, no OS call.
#ifndef VITTE_CRYPTO_ED25519_HPP
#define VITTE_CRYPTO_ED25519_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/span.hpp>  // inputs
#include <vitte/crypto/detail/ed25519_impl.hpp>
#include <vitte/crypto/sha512.hpp>

#include <array>    // keys and signatures
#include <cstddef>  // std::byte
#include <cstdint>
#include <cstring>  // std::memcpy

namespace vitte::crypto::ed25519 {

inline constexpr std::size_t seed_size = 32;
inline constexpr std::size_t public_key_size = 32;
inline constexpr std::size_t signature_size = 64;

/// The secret: 32 bytes from which everything else is derived.
using seed = std::array<std::uint8_t, seed_size>;
/// An encoded point A.
using public_key = std::array<std::uint8_t, public_key_size>;
/// R (32 bytes) then S (32 bytes).
using signature = std::array<std::uint8_t, signature_size>;

/// A seed and its public key. Wipe it with wipe() when done.
struct key_pair {
  ed25519::seed seed{};
  ed25519::public_key public_key{};
};

/// What verification found.
enum class verify_status : std::uint8_t {
  ok = 0,
  non_canonical_s,  ///< S >= L.
  bad_r,            ///< R is not a canonical encoding of a point, or has small order.
  bad_public_key,   ///< A is not a canonical encoding of a point, or has small order.
  mismatch,         ///< Well-formed, but not a signature of this message under this key.
  bad_length,       ///< The key is not 32 bytes or the signature not 64 (span overload).
};

/// A short description, e.g. "signature does not match".
constexpr const char* to_string(verify_status s) noexcept {
  switch (s) {
    case verify_status::ok:
      return "valid";
    case verify_status::non_canonical_s:
      return "non-canonical S (S >= L)";
    case verify_status::bad_r:
      return "R is not a valid point encoding";
    case verify_status::bad_public_key:
      return "public key is not a valid point encoding";
    case verify_status::mismatch:
      return "signature does not match";
    case verify_status::bad_length:
      return "wrong key or signature length";
  }
  return "unknown";
}

/// Derives the key pair of a seed (RFC 8032 5.1.5). Constant time.
VITTE_DECL key_pair key_pair_from_seed(const seed& s) noexcept;

/// Signs a message (RFC 8032 5.1.6). Deterministic; constant time in the
/// secret. Thread safety: pure function (the first call builds a table,
/// thread-safely).
VITTE_DECL signature sign(const key_pair& kp, span<const std::byte> message) noexcept;
inline signature sign(const key_pair& kp, const void* message, std::size_t n) noexcept {
  return sign(kp, {static_cast<const std::byte*>(message), n});
}

/// Verifies strictly (see the header comment). Variable time.
VITTE_DECL verify_status verify_detailed(const public_key& pk, span<const std::byte> message,
                                         const signature& sig) noexcept;
/// The same for a key and a signature of unchecked length (read from a
/// file, say): bad_length unless they are 32 and 64 bytes.
VITTE_DECL verify_status verify_detailed(span<const std::uint8_t> pk, span<const std::byte> message,
                                         span<const std::uint8_t> sig) noexcept;
/// True when verify_detailed says ok.
inline bool verify(const public_key& pk, span<const std::byte> message, const signature& sig) noexcept {
  return verify_detailed(pk, message, sig) == verify_status::ok;
}
inline bool verify(const public_key& pk, const void* message, std::size_t n, const signature& sig) noexcept {
  return verify(pk, {static_cast<const std::byte*>(message), n}, sig);
}

/// Overwrites secret bytes in a way the compiler does not remove.
inline void wipe(void* p, std::size_t n) noexcept {
  volatile auto* v = static_cast<volatile std::uint8_t*>(p);
  for (std::size_t i = 0; i < n; ++i) v[i] = 0;
}

namespace detail {

using crypto::detail::fe_default;

template <class F>
key_pair key_pair_from_seed(const seed& s) noexcept {
  sha512::digest_type h = sha512::hash(s.data(), s.size());
  h[0] &= 248;
  h[31] &= 127;
  h[31] |= 64;
  key_pair kp;
  kp.seed = s;
  crypto::detail::ge_encode(kp.public_key.data(), crypto::detail::ge_scalarmult_base<F>(h.data()));
  wipe(h.data(), h.size());
  return kp;
}

template <class F>
signature sign(const key_pair& kp, span<const std::byte> message) noexcept {
  sha512::digest_type h = sha512::hash(kp.seed.data(), kp.seed.size());
  h[0] &= 248;
  h[31] &= 127;
  h[31] |= 64;
  sha512 hr;
  hr.update(h.data() + 32, 32);
  hr.update(message);
  sha512::digest_type rh = hr.finish();
  std::uint8_t r[32];
  crypto::detail::sc_reduce64(r, rh.data());
  signature sig{};
  crypto::detail::ge_encode(sig.data(), crypto::detail::ge_scalarmult_base<F>(r));
  sha512 hk;
  hk.update(sig.data(), 32);
  hk.update(kp.public_key.data(), 32);
  hk.update(message);
  const sha512::digest_type kh = hk.finish();
  std::uint8_t k[32];
  crypto::detail::sc_reduce64(k, kh.data());
  crypto::detail::sc_muladd(sig.data() + 32, k, h.data(), r);
  wipe(h.data(), h.size());
  wipe(rh.data(), rh.size());
  wipe(r, sizeof r);
  return sig;
}

template <class F>
verify_status verify(const public_key& pk, span<const std::byte> message, const signature& sig) noexcept {
  using namespace crypto::detail;
  if (!sc_is_canonical(sig.data() + 32)) return verify_status::non_canonical_s;
  ge_p3<F> a{}, r{};
  if (ge_decode(a, pk.data()) != ge_decode_status::ok || ge_has_small_order(a)) return verify_status::bad_public_key;
  if (ge_decode(r, sig.data()) != ge_decode_status::ok || ge_has_small_order(r)) return verify_status::bad_r;
  sha512 hk;
  hk.update(sig.data(), 32);
  hk.update(pk.data(), 32);
  hk.update(message);
  const sha512::digest_type kh = hk.finish();
  std::uint8_t k[32];
  sc_reduce64(k, kh.data());
  const ge_p3<F> check = ge_double_scalarmult_vartime(sig.data() + 32, a, k);
  // check == r, projectively: X = x_r Z and Y = y_r Z (r has Z = 1).
  if (!fe_equal(check.X, F::mul(r.X, check.Z)) || !fe_equal(check.Y, F::mul(r.Y, check.Z)))
    return verify_status::mismatch;
  return verify_status::ok;
}

}  // namespace detail

}  // namespace vitte::crypto::ed25519

#if VITTE_HEADER_ONLY
#include <vitte/crypto/impl/ed25519.ipp>
#endif

#endif  // VITTE_CRYPTO_ED25519_HPP
