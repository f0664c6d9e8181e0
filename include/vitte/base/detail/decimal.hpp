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

/// A byte count: digits and an optional unit, B (or none), k, K or KiB,
/// M or MiB, G or GiB, T or TiB, all powers of 1024 ("64MiB", "64M",
/// "65536"). False (`out` unchanged) for anything else or a count of 2^64
/// or more. The one reader of sizes: the sandbox's limits and the tool's
/// options take the same units.
constexpr bool parse_byte_count(text_view v, std::uint64_t& out) noexcept {
  const std::size_t i = decimal_digits(v);
  std::uint64_t n = 0;
  if (!parse_decimal(v.substr(0, i), UINT64_MAX, n)) return false;
  const text_view unit = v.substr(i);
  const unsigned shift = unit.empty() || unit == "B"                   ? 0
                         : unit == "k" || unit == "K" || unit == "KiB" ? 10
                         : unit == "M" || unit == "MiB"                ? 20
                         : unit == "G" || unit == "GiB"                ? 30
                         : unit == "T" || unit == "TiB"                ? 40
                                                                       : 64;
  if (shift == 64 || n > (UINT64_MAX >> shift)) return false;
  out = n << shift;
  return true;
}

}  // namespace vitte::detail

#endif  // VITTE_BASE_DETAIL_DECIMAL_HPP
