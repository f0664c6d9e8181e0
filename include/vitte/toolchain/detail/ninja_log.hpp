// One line of a .ninja_log (v5), as ninja writes it: written once for the
// build trace's export (build_trace.ipp) and for `vitte build`
// (ninja_build.ipp).
#ifndef VITTE_TOOLCHAIN_DETAIL_NINJA_LOG_HPP
#define VITTE_TOOLCHAIN_DETAIL_NINJA_LOG_HPP

#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>

#include <charconv>
#include <cstdint>

namespace vitte::toolchain::detail {

/// Appends "START\tEND\tMTIME\tOUTPUT\tHASH\n": milliseconds since the
/// build started, the recorded mtime, the output (a tab, CR or LF in it,
/// which would break the line's fields, as '?'), the command's hash in
/// lowercase hexadecimal without leading zeros (ninja's "%" PRIx64).
inline void append_ninja_log_line(text& out, std::int64_t start_ms, std::int64_t end_ms, std::int64_t mtime,
                                  text_view output, std::uint64_t hash) {
  char digits[24];
  for (const std::int64_t v : {start_ms, end_ms, mtime}) {
    const auto r = std::to_chars(digits, digits + sizeof digits, v);
    out.append(digits, static_cast<std::size_t>(r.ptr - digits));
    out.push_back('\t');
  }
  for (const char c : output) out.push_back(c == '\t' || c == '\n' || c == '\r' ? '?' : c);
  out.push_back('\t');
  const auto r = std::to_chars(digits, digits + sizeof digits, hash, 16);
  out.append(digits, static_cast<std::size_t>(r.ptr - digits));
  out.push_back('\n');
}

}  // namespace vitte::toolchain::detail

#endif  // VITTE_TOOLCHAIN_DETAIL_NINJA_LOG_HPP
