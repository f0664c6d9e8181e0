// vitte/base/detail/bytes.hpp - text as bytes, bytes as octets and bytes as
// text: the views every format reader and writer needs, written once (the
// public headers' only casts between the byte types).
#ifndef VITTE_BASE_DETAIL_BYTES_HPP
#define VITTE_BASE_DETAIL_BYTES_HPP

#include <vitte/base/span.hpp>       // what comes out
#include <vitte/base/text_view.hpp>  // what goes in

#include <cstddef>  // std::byte
#include <cstdint>  // std::uint8_t

namespace vitte::detail {

/// The bytes of a text, without copying.
inline span<const std::byte> bytes_of(text_view t) noexcept {
  return {reinterpret_cast<const std::byte*>(t.data()), t.size()};
}
/// The same bytes as octets, for the code written over std::uint8_t.
inline span<const std::uint8_t> octets_of(span<const std::byte> s) noexcept {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
/// Bytes read as text (a name field, a guest's string), without copying.
inline text_view text_of(span<const std::byte> s) noexcept {
  return {reinterpret_cast<const char*>(s.data()), s.size()};
}
inline text_view text_of(span<const std::uint8_t> s) noexcept {
  return {reinterpret_cast<const char*>(s.data()), s.size()};
}

}  // namespace vitte::detail

#endif  // VITTE_BASE_DETAIL_BYTES_HPP
