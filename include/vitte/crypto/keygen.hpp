// vitte/crypto/keygen.hpp - Ed25519 key pairs from the OS's random source.
//
//   auto kp = vitte::crypto::ed25519::generate_key_pair().value();
//   auto sig = vitte::crypto::ed25519::sign(kp, message);
//
// Apart from ed25519.hpp so that signing and verifying need no OS (and
// build on freestanding targets); this header needs the 'random'
// capability of the platform policy.
#ifndef VITTE_CRYPTO_KEYGEN_HPP
#define VITTE_CRYPTO_KEYGEN_HPP

#include <vitte/base.hpp>
#include <vitte/crypto/ed25519.hpp>
#include <vitte/sys/platform.hpp>
#include <vitte/sys/random.hpp>

namespace vitte::crypto::ed25519 {

/// A new key pair from 32 random bytes (vitte::sys::random_fill). Errors
/// (random): those of the OS's source.
template <class P = sys::platform>
result<key_pair> generate_key_pair() noexcept {
  seed s{};
  if (status st = sys::random_fill<P>(s.data(), s.size()); !st) return st.error();
  key_pair kp = key_pair_from_seed(s);
  wipe(s.data(), s.size());
  return kp;
}

}  // namespace vitte::crypto::ed25519

#endif  // VITTE_CRYPTO_KEYGEN_HPP
