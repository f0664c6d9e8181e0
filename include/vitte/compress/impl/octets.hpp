// vitte/compress/impl/octets.hpp - the one cast of vitte/compress: its
// public functions take and give std::byte (as sys, archive and http do),
// its coders compute on std::uint8_t. Input spans cross with
// vitte::detail::octets_of (base/detail/bytes.hpp), octets written back
// with vitte::as_bytes (base/span.hpp); what the coders write into an
// output buffer of std::byte goes through octets() below.
#ifndef VITTE_COMPRESS_IMPL_OCTETS_HPP
#define VITTE_COMPRESS_IMPL_OCTETS_HPP

#include <cstddef>  // std::byte
#include <cstdint>  // std::uint8_t

namespace vitte::compress::detail {

// The bytes at `p` as the octets the coders write (both are unsigned char).
inline std::uint8_t* octets(std::byte* p) noexcept { return reinterpret_cast<std::uint8_t*>(p); }

}  // namespace vitte::compress::detail

#endif  // VITTE_COMPRESS_IMPL_OCTETS_HPP
