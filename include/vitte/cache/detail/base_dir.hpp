// vitte/cache/detail/base_dir.hpp - paths under a base directory, keyed and
// recorded relative to it (cache_step::base_dir, command_key::base_dir), and
// resolved again under the base of the checkout asking.
#ifndef VITTE_CACHE_DETAIL_BASE_DIR_HPP
#define VITTE_CACHE_DETAIL_BASE_DIR_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/sys/path_ops.hpp>  // path_join

namespace vitte::build::detail {

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
inline text_view keyed_path(text_view base, text_view path) {
  while (base.size() > 1 && path_separator(base.back())) base.remove_suffix(1);
  if (base.empty() || !path.starts_with(base)) return path;
  if (path.size() == base.size()) return ".";
  if (!path_separator(path[base.size()])) return path;  // "/src2" is not under "/src"
  std::size_t at = base.size();
  while (at < path.size() && path_separator(path[at])) ++at;  // "/src//a.h" is "a.h"
  return at == path.size() ? text_view(".") : path.substr(at);
}

// A recorded path where the asking step's files are: a relative one under
// `base`.
inline text resolved_path(text_view base, text_view recorded) {
  if (base.empty() || absolute_path(recorded)) return text(recorded);
  return sys::path_join(base, recorded);
}

}  // namespace vitte::build::detail

#endif  // VITTE_CACHE_DETAIL_BASE_DIR_HPP
