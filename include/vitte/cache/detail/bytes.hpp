// vitte/cache/detail/bytes.hpp - text as bytes, and bytes as the hex of
// their SHA-256: the small conversions the build kit's formats share.
#ifndef VITTE_CACHE_DETAIL_BYTES_HPP
#define VITTE_CACHE_DETAIL_BYTES_HPP

#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/cache/fingerprint.hpp>
#include <vitte/crypto/sha256.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

namespace vitte::build::detail {

inline span<const std::byte> bytes_of(text_view t) { return {reinterpret_cast<const std::byte*>(t.data()), t.size()}; }
inline span<const std::uint8_t> octets_of(span<const std::byte> s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
/// The 64 hex digits of the SHA-256 of `data`.
inline std::string sha256_hex(span<const std::byte> data) {
  fingerprint f;
  f.bytes = crypto::sha256::hash(std::span<const std::byte>(data.data(), data.size()));
  return std::string(f.hex().view());
}

}  // namespace vitte::build::detail

#endif  // VITTE_CACHE_DETAIL_BYTES_HPP
