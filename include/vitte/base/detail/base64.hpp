// vitte/base/detail/base64.hpp - base64 (RFC 4648, with padding), written
// once for every layer: signify's key and signature lines, HTTP's Basic
// credentials.
#ifndef VITTE_BASE_DETAIL_BASE64_HPP
#define VITTE_BASE_DETAIL_BASE64_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::detail {

/// `n` bytes at `p` in base64, padded.
VITTE_DECL text base64_encode(const std::uint8_t* p, std::size_t n);

/// Decodes `s` into exactly `n` bytes at `out`; false when `s` is not the
/// canonical padded encoding of `n` bytes.
VITTE_DECL bool base64_decode(text_view s, std::uint8_t* out, std::size_t n);

}  // namespace vitte::detail

#if VITTE_HEADER_ONLY
#include <vitte/base/detail/base64.ipp>
#endif

#endif  // VITTE_BASE_DETAIL_BASE64_HPP
