// vitte/toolchain/impl/jobserver.ipp - what the jobserver client reads from
// MAKEFLAGS and says about it (vitte/toolchain/impl/jobserver.hpp).
#ifndef VITTE_TOOLCHAIN_IMPL_JOBSERVER_IPP
#define VITTE_TOOLCHAIN_IMPL_JOBSERVER_IPP

#include <vitte/base/config.hpp>
#include <vitte/base/detail/decimal.hpp>  // parse_decimal: the descriptors
#include <vitte/base/diagnostic.hpp>      // notes printed safely
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/toolchain/jobserver.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::toolchain::detail {

// A note as it may be printed: MAKEFLAGS is anyone's text, so its control
// bytes (a terminal's escape sequences) come out as \xNN.
VITTE_DECL text shown_note(text_view raw) {
  const diagnostic_line line = vitte::diagnostic().say(raw).format();
  return text(line.view());
}

// "R,W" as two non-negative descriptors.
VITTE_DECL bool jobserver_descriptors(text_view s, std::uint64_t& r, std::uint64_t& w) {
  const std::size_t comma = s.find(',');
  if (comma == text_view::npos) return false;
  return vitte::detail::parse_decimal(s.substr(0, comma), 1u << 30, r) &&
         vitte::detail::parse_decimal(s.substr(comma + 1), 1u << 30, w);
}

}  // namespace vitte::toolchain::detail

#endif  // VITTE_TOOLCHAIN_IMPL_JOBSERVER_IPP
