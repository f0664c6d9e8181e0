// vitte/toolchain/impl/tool.ipp - command_key's paths relocated under a
// base directory (vitte/toolchain/tool.hpp).
#ifndef VITTE_TOOLCHAIN_IMPL_TOOL_IPP
#define VITTE_TOOLCHAIN_IMPL_TOOL_IPP

#include <vitte/base/config.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/cache/detail/base_dir.hpp>  // keyed_path
#include <vitte/toolchain/tool.hpp>

#include <cstddef>

namespace vitte::toolchain {

// Whether a path may start at a[i] (see the class comment).
VITTE_DECL bool command_key::path_may_start(text_view a, std::size_t i) {
  if (i == 0) return true;
  if (i == 2 && a[0] == '-' && (a[1] == 'I' || a[1] == 'L' || a[1] == 'F' || a[1] == 'B')) return true;
  if (a[i - 1] != '=') return false;
  const text_view option = a.substr(0, a.find('='));
  return option == "--sysroot" || option.ends_with("prefix-map") || option.starts_with("-fprofile-");
}

// `a` with the paths under base_ relative to it, each after a NUL (no
// argument holds one): "-I/src/inc" is "-I\0inc", never "-Iinc". `a`
// itself when nothing in it moves; otherwise a view of scratch_, valid
// until the next call (the hasher takes it at once).
VITTE_DECL text_view command_key::relocated(text_view a) {
  if (base_.empty()) return a;
  bool moved = false;
  std::size_t from = 0;  // where the part not copied yet starts
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != base_[0] || !path_may_start(a, i)) continue;
    const text_view rest = a.substr(i);
    std::size_t end = rest.find('=');  // a prefix map's OLD=NEW
    if (end == text_view::npos) end = rest.size();
    const text_view path = rest.substr(0, end);
    const text_view kept = cache::detail::keyed_path(base_, path);
    if (kept.data() == path.data() && kept.size() == path.size()) continue;
    if (!moved) scratch_.clear();
    moved = true;
    scratch_.append(a.substr(from, i - from)).append(text_view("\0", 1)).append(kept);
    from = i + end;
    i = from - 1;
  }
  if (!moved) return a;
  scratch_.append(a.substr(from));
  return scratch_;
}

}  // namespace vitte::toolchain

#endif  // VITTE_TOOLCHAIN_IMPL_TOOL_IPP
