// vitte/cache/detail/base_dir.ipp - keyed_path, resolved_path
// (vitte/cache/detail/base_dir.hpp).
#ifndef VITTE_CACHE_DETAIL_BASE_DIR_IPP
#define VITTE_CACHE_DETAIL_BASE_DIR_IPP

#include <vitte/base/config.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/cache/detail/base_dir.hpp>
#include <vitte/sys/path_ops.hpp>  // path_join

#include <cstddef>

namespace vitte::cache::detail {

// `path` as keys and manifests hold it: relative to `base` when under it
// (cache_step::base_dir, absolute; `base` itself is "."), else as given.
VITTE_DECL text_view keyed_path(text_view base, text_view path) {
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
VITTE_DECL text resolved_path(text_view base, text_view recorded) {
  if (base.empty() || absolute_path(recorded)) return text(recorded);
  return sys::path_join(base, recorded);
}

}  // namespace vitte::cache::detail

#endif  // VITTE_CACHE_DETAIL_BASE_DIR_IPP
