// vitte/crypto.hpp - the cryptography vitte verifies and signs with:
// SHA-256, SHA-512 and Ed25519 (strict checks), and key pairs from the OS's
// random source.
#ifndef VITTE_CRYPTO_HPP
#define VITTE_CRYPTO_HPP

#include <vitte/crypto/ed25519.hpp>   // signatures (RFC 8032)
#include <vitte/crypto/key_file.hpp>  // vitte's key files (hex digits)
#include <vitte/crypto/keygen.hpp>    // key pairs from the OS's random source
#include <vitte/crypto/sha256.hpp>    // SHA-256 (FIPS 180-4)
#include <vitte/crypto/sha512.hpp>    // SHA-512 (FIPS 180-4)

#endif  // VITTE_CRYPTO_HPP
