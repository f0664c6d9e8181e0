// Bounded text formatting into a caller's buffer: no allocation, no locale.
#ifndef VITTE_BASE_DETAIL_TEXT_HPP
#define VITTE_BASE_DETAIL_TEXT_HPP

#include <vitte/base/detail/hex.hpp>  // hex_digit: the digits of every base
#include <vitte/base/text_view.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::detail {

// Appends to buf[0, cap), truncating silently and keeping a terminating NUL.
struct text_writer {
  char* buf;
  std::size_t cap;
  std::size_t len = 0;

  constexpr void append(text_view s) noexcept {
    if (cap == 0) return;
    for (char c : s) {
      if (len + 1 >= cap) break;
      buf[len++] = c;
    }
    buf[len] = '\0';
  }

  /// Appends `v` in `base` (2..16; lower-case digits), without a prefix.
  constexpr void append_unsigned(std::uint64_t v, unsigned base = 10) noexcept {
    char digits[64];
    std::size_t n = 0;
    do {
      digits[n++] = hex_digit(static_cast<unsigned>(v % base));
      v /= base;
    } while (v != 0);
    char out[64];
    for (std::size_t i = 0; i < n; ++i) out[i] = digits[n - 1 - i];
    append(text_view{out, n});
  }

  constexpr void append_int(std::int64_t v) noexcept {
    // Work in unsigned space so that INT64_MIN is printed correctly.
    if (v < 0) append("-");
    append_unsigned(v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v));
  }

  template <class Message>
  constexpr Message& finish(Message& m) noexcept {
    m.length = len;
    return m;
  }
};

}  // namespace vitte::detail

#endif  // VITTE_BASE_DETAIL_TEXT_HPP
