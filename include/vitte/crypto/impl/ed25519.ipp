// Non-template bodies of vitte/crypto/ed25519.hpp: key derivation,
// signing and verification on the default field representation.
#ifndef VITTE_CRYPTO_IMPL_ED25519_IPP
#define VITTE_CRYPTO_IMPL_ED25519_IPP

#include <vitte/crypto/ed25519.hpp>

#include <cstring>  // std::memcpy

namespace vitte::crypto::ed25519 {

VITTE_DECL key_pair key_pair_from_seed(const seed& s) noexcept {
  return detail::key_pair_from_seed<detail::fe_default>(s);
}

VITTE_DECL signature sign(const key_pair& kp, span<const std::byte> message) noexcept {
  return detail::sign<detail::fe_default>(kp, message);
}

VITTE_DECL verify_status verify_detailed(const public_key& pk, span<const std::byte> message,
                                         const signature& sig) noexcept {
  return detail::verify<detail::fe_default>(pk, message, sig);
}

VITTE_DECL verify_status verify_detailed(span<const std::uint8_t> pk, span<const std::byte> message,
                                         span<const std::uint8_t> sig) noexcept {
  if (pk.size() != public_key_size || sig.size() != signature_size) return verify_status::bad_length;
  public_key k;
  signature s;
  std::memcpy(k.data(), pk.data(), k.size());
  std::memcpy(s.data(), sig.data(), s.size());
  return verify_detailed(k, message, s);
}

}  // namespace vitte::crypto::ed25519

#endif  // VITTE_CRYPTO_IMPL_ED25519_IPP
