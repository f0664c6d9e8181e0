// vitte/release/detail/package_name.hpp - the characters a package's name,
// version, release or architecture may hold: the check package() makes on
// its options and the .rpm writer makes on its header fields, written once.
#ifndef VITTE_RELEASE_DETAIL_PACKAGE_NAME_HPP
#define VITTE_RELEASE_DETAIL_PACKAGE_NAME_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/text_view.hpp>

namespace vitte::release::detail {

/// 1-128 characters, each an ASCII letter or digit or one of `extra`; with
/// `first_alnum`, the first one a letter or digit.
VITTE_DECL bool name_ok(text_view s, text_view extra, bool first_alnum);

}  // namespace vitte::release::detail

#if VITTE_HEADER_ONLY
#include <vitte/release/detail/package_name.ipp>
#endif

#endif  // VITTE_RELEASE_DETAIL_PACKAGE_NAME_HPP
