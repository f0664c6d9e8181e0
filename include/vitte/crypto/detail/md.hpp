// vitte/crypto/detail/md.hpp - the Merkle-Damgard buffering and padding that
// SHA-256 and SHA-512 share: whole blocks go straight to the compression
// function, the rest waits in a buffer; the end appends 0x80, zeros and the
// big-endian bit length.
#ifndef VITTE_CRYPTO_DETAIL_MD_HPP
#define VITTE_CRYPTO_DETAIL_MD_HPP

#include <cstddef>  // std::size_t
#include <cstdint>
#include <cstring>  // std::memcpy, std::memset

namespace vitte::crypto::detail {

/// Appends n bytes; `length` counts every byte appended so far, and
/// `compress(p, blocks)` consumes whole blocks.
template <std::size_t BlockSize, class Compress>
void md_update(std::uint8_t* buffer, std::uint64_t& length, const void* data, std::size_t n,
               Compress compress) noexcept {
  if (n == 0) return;  // data may be null then: memcpy must not see it
  const auto* p = static_cast<const std::uint8_t*>(data);
  std::size_t used = static_cast<std::size_t>(length % BlockSize);
  length += n;
  if (used != 0) {
    const std::size_t take = n < BlockSize - used ? n : BlockSize - used;
    std::memcpy(buffer + used, p, take);
    p += take;
    n -= take;
    used += take;
    if (used < BlockSize) return;
    compress(buffer, 1);
  }
  if (n >= BlockSize) {
    compress(p, n / BlockSize);
    p += n / BlockSize * BlockSize;
    n %= BlockSize;
  }
  if (n != 0) std::memcpy(buffer, p, n);
}

/// Pads and compresses the last block(s): the bit length takes the last
/// LengthBytes bytes (8 for SHA-256, 16 for SHA-512; lengths below 2^64 bytes).
template <std::size_t BlockSize, std::size_t LengthBytes, class Compress>
void md_finish(std::uint8_t* buffer, std::uint64_t length, Compress compress) noexcept {
  std::size_t used = static_cast<std::size_t>(length % BlockSize);
  buffer[used++] = 0x80;
  if (used > BlockSize - LengthBytes) {
    std::memset(buffer + used, 0, BlockSize - used);
    compress(buffer, 1);
    used = 0;
  }
  std::memset(buffer + used, 0, BlockSize - used);
  std::uint8_t* end = buffer + BlockSize;
  const std::uint64_t high = length >> 61, low = length << 3;
  for (std::size_t i = 0; i < 8; ++i)
    end[-1 - static_cast<std::ptrdiff_t>(i)] = static_cast<std::uint8_t>(low >> (8 * i));
  if (LengthBytes > 8) end[-9] = static_cast<std::uint8_t>(high);
  compress(buffer, 1);
}

}  // namespace vitte::crypto::detail

#endif  // VITTE_CRYPTO_DETAIL_MD_HPP
