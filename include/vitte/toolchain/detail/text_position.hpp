// Where a byte of a text is, as a diagnostic of a text format says it: the
// line and column of the compilation database, a command line and a distcc
// host list (only when something is wrong there).
#ifndef VITTE_TOOLCHAIN_DETAIL_TEXT_POSITION_HPP
#define VITTE_TOOLCHAIN_DETAIL_TEXT_POSITION_HPP

#include <vitte/base/diagnostic.hpp>
#include <vitte/base/text_view.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::toolchain::detail {

/// Places `d` at the line and column (1-based; columns count bytes) of
/// byte `at` of `s` (its end when `at` is past it).
constexpr diagnostic& at_text_position(diagnostic& d, text_view s, std::size_t at) noexcept {
  if (at > s.size()) at = s.size();
  std::uint32_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < at; ++i)
    if (s[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  return d.at_line(line, static_cast<std::uint32_t>(at - line_start + 1));
}

}  // namespace vitte::toolchain::detail

#endif  // VITTE_TOOLCHAIN_DETAIL_TEXT_POSITION_HPP
