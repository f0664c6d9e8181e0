// vitte/release/detail/package_name.hpp - the characters a package's name,
// version, release or architecture may hold: the check package() makes on
// its options and the .rpm writer makes on its header fields, written once.
#ifndef VITTE_RELEASE_DETAIL_PACKAGE_NAME_HPP
#define VITTE_RELEASE_DETAIL_PACKAGE_NAME_HPP

#include <vitte/base/text_view.hpp>

#include <cstddef>

namespace vitte::build::detail {

/// 1-128 characters, each an ASCII letter or digit or one of `extra`; with
/// `first_alnum`, the first one a letter or digit.
inline bool name_ok(text_view s, text_view extra, bool first_alnum) {
  if (s.empty() || s.size() > 128) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && ((i == 0 && first_alnum) || extra.find(c) == text_view::npos)) return false;
  }
  return true;
}

}  // namespace vitte::build::detail

#endif  // VITTE_RELEASE_DETAIL_PACKAGE_NAME_HPP
