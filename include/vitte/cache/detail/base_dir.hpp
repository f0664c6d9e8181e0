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

// `path` as keys and manifests hold it: relative to `base` when under it
// (cache_step::base_dir; `base` itself is "."), else as given.
inline text_view keyed_path(text_view base, text_view path) {
  while (base.size() > 1 && (base.back() == '/' || base.back() == '\\')) base.remove_suffix(1);
  if (base.empty() || !path.starts_with(base)) return path;
  if (path.size() == base.size()) return ".";
  const char sep = path[base.size()];
  if (sep != '/' && !(VITTE_OS_WINDOWS && sep == '\\')) return path;  // "/src2" is not under "/src"
  return path.size() == base.size() + 1 ? text_view(".") : path.substr(base.size() + 1);
}

// A recorded path where the asking step's files are: a relative one under
// `base`.
inline text resolved_path(text_view base, text_view recorded) {
  const bool absolute =
      !recorded.empty() && (recorded[0] == '/' || recorded[0] == '\\' || (recorded.size() > 1 && recorded[1] == ':'));
  if (base.empty() || absolute) return text(recorded);
  return sys::path_join(base, recorded);
}

}  // namespace vitte::build::detail

#endif  // VITTE_CACHE_DETAIL_BASE_DIR_HPP
