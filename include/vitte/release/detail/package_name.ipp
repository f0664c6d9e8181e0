// vitte/release/detail/package_name.ipp - name_ok (package_name.hpp).
#ifndef VITTE_RELEASE_DETAIL_PACKAGE_NAME_IPP
#define VITTE_RELEASE_DETAIL_PACKAGE_NAME_IPP

#include <vitte/base/text_view.hpp>
#include <vitte/release/detail/package_name.hpp>

#include <cstddef>

namespace vitte::release::detail {

VITTE_DECL bool name_ok(text_view s, text_view extra, bool first_alnum) {
  if (s.empty() || s.size() > 128) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && ((i == 0 && first_alnum) || extra.find(c) == text_view::npos)) return false;
  }
  return true;
}

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_PACKAGE_NAME_IPP
