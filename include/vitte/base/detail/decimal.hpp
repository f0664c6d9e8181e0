// Unsigned decimals in text, written once for every layer: digits only (no
// sign, no space, no "0x"), at most a given maximum, so that a caller's
// bound is checked before anything can overflow. A whole text, a prefix
// (decimal_digits), or digits that arrive one at a time.
#ifndef VITTE_BASE_DETAIL_DECIMAL_HPP
#define VITTE_BASE_DETAIL_DECIMAL_HPP

#include <vitte/base/text_view.hpp>  // the input

#include <cstddef>
#include <cstdint>

namespace vitte::detail {

/// Appends the digit `c` to `n` (`n * 10 + c - '0'`), for digits that
/// arrive one at a time. False, with `n` unchanged, when `c` is not a digit
/// or the result would be more than `max`.
constexpr bool push_decimal_digit(std::uint64_t& n, char c, std::uint64_t max) noexcept {
  if (c < '0' || c > '9') return false;
  const auto digit = static_cast<std::uint64_t>(c - '0');
  if (digit > max || n > (max - digit) / 10) return false;
  n = n * 10 + digit;
  return true;
}

/// `v` as a number of at most `max`, or false (empty, a byte that is not a
/// digit, or more than `max`); `out` is written only on success. Leading
/// zeros are allowed.
constexpr bool parse_decimal(text_view v, std::uint64_t max, std::uint64_t& out) noexcept {
  if (v.empty()) return false;
  std::uint64_t n = 0;
  for (char c : v)
    if (!push_decimal_digit(n, c, max)) return false;
  out = n;
  return true;
}

/// The number of digits ('0'..'9') at the start of `v`: the length of the
/// number a prefix parser hands to parse_decimal().
constexpr std::size_t decimal_digits(text_view v) noexcept {
  std::size_t n = 0;
  while (n < v.size() && v[n] >= '0' && v[n] <= '9') ++n;
  return n;
}

}  // namespace vitte::detail

#endif  // VITTE_BASE_DETAIL_DECIMAL_HPP
