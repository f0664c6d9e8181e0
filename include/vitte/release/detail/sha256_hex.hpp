// vitte/release/detail/sha256_hex.hpp - bytes as the 64 hex digits of their
// SHA-256, as package manifests, rpm's digests and the msi's list name them.
#ifndef VITTE_RELEASE_DETAIL_SHA256_HEX_HPP
#define VITTE_RELEASE_DETAIL_SHA256_HEX_HPP

#include <vitte/base/detail/hex.hpp>  // hex_encode
#include <vitte/base/span.hpp>        // what goes in
#include <vitte/crypto/sha256.hpp>    // the digest

#include <cstddef>  // std::byte
#include <string>   // what comes out

namespace vitte::release::detail {

/// The 64 lower-case hex digits of the SHA-256 of `data`.
/// A digest (an array of bytes) in lower-case hex.
template <class Digest>
std::string digest_hex(const Digest& d) {
  std::string out(2 * d.size(), '0');
  ::vitte::detail::hex_encode(d.data(), d.size(), out.data());
  return out;
}

inline std::string sha256_hex(span<const std::byte> data) { return digest_hex(crypto::sha256::hash(data)); }

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_SHA256_HEX_HPP
