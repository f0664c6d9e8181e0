// Unsigned decimals in text, written once for every layer: digits only (no
// sign, no space, no "0x"), at most a given maximum, so that a caller's
// bound is checked before anything can overflow.
#ifndef VITTE_DETAIL_DECIMAL_HPP
#define VITTE_DETAIL_DECIMAL_HPP

#include <vitte/text_view.hpp>  // the input

#include <cstdint>

namespace vitte::detail {

/// `v` as a number of at most `max`, or false (empty, a byte that is not a
/// digit, or more than `max`). Leading zeros are allowed.
constexpr bool parse_decimal(text_view v, std::uint64_t max, std::uint64_t& out) noexcept {
  if (v.empty()) return false;
  std::uint64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return false;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (digit > max || n > (max - digit) / 10) return false;
    n = n * 10 + digit;
  }
  out = n;
  return true;
}

}  // namespace vitte::detail

#endif  // VITTE_DETAIL_DECIMAL_HPP
