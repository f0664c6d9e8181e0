// vitte/loader/impl/diagnostics.ipp - the lines of diagnostics (vitte/loader/diagnostics.hpp).
#ifndef VITTE_LOADER_IMPL_DIAGNOSTICS_IPP
#define VITTE_LOADER_IMPL_DIAGNOSTICS_IPP

#include <vitte/base.hpp>
#include <vitte/loader/diagnostics.hpp>

#include <string>
#include <string_view>

namespace vitte::loader {

VITTE_DECL void diagnostics::add(std::string_view context, vitte::diagnostic d) {
  const vitte::diagnostic_line line = d.about(text_view(context.data(), context.size())).format();
  lines_.emplace_back(line.text, line.length);
}

VITTE_DECL std::string diagnostics::str() const {
  std::string out;
  for (const std::string& l : lines_) {
    if (!out.empty()) out += '\n';
    out += l;
  }
  return out;
}

VITTE_DECL bool diagnostics::contains(std::string_view text) const noexcept {
  for (const std::string& l : lines_)
    if (l.find(text) != std::string::npos) return true;
  return false;
}

}  // namespace vitte::loader

#endif  // VITTE_LOADER_IMPL_DIAGNOSTICS_IPP
