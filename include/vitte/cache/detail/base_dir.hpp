// vitte/cache/detail/base_dir.hpp - paths under a base directory, keyed and
// recorded relative to it (cache_step::base_dir, command_key::base_dir), and
// resolved again under the base of the checkout asking.
#ifndef VITTE_CACHE_DETAIL_BASE_DIR_HPP
#define VITTE_CACHE_DETAIL_BASE_DIR_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>

namespace vitte::cache::detail {

// Whether `p` is absolute on this system ("c:x.h" is a file name on POSIX).
inline bool absolute_path(text_view p) {
  if (p.empty()) return false;
  if (p[0] == '/') return true;
  return VITTE_OS_WINDOWS && (p[0] == '\\' || (p.size() > 2 && p[1] == ':' && (p[2] == '\\' || p[2] == '/')));
}

// Whether `c` separates path components here.
inline bool path_separator(char c) { return c == '/' || (VITTE_OS_WINDOWS && c == '\\'); }

// `path` as keys and manifests hold it: relative to `base` when under it
// (cache_step::base_dir, absolute; `base` itself is "."), else as given.
VITTE_DECL text_view keyed_path(text_view base, text_view path);

// A recorded path where the asking step's files are: a relative one under
// `base`.
VITTE_DECL text resolved_path(text_view base, text_view recorded);

}  // namespace vitte::cache::detail

#if VITTE_HEADER_ONLY
#include <vitte/cache/detail/base_dir.ipp>
#endif

#endif  // VITTE_CACHE_DETAIL_BASE_DIR_HPP
