// vitte/toolchain/impl/hermetic.ipp - refused_files (vitte/toolchain/hermetic.hpp).
#ifndef VITTE_TOOLCHAIN_IMPL_HERMETIC_IPP
#define VITTE_TOOLCHAIN_IMPL_HERMETIC_IPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/toolchain/hermetic.hpp>

#include <cstddef>

namespace vitte::toolchain {

VITTE_DECL buffer<text> refused_files(text_view messages) {
  buffer<text> files;
  static constexpr text_view denied = ": Permission denied";
  detail::each_line(messages, [&](text_view line) {
    const std::size_t at = line.find(denied);
    if (at == text_view::npos) return;
    text_view before = line.substr(0, at);
    if (before.ends_with("'")) {
      // 'PATH' (Clang): between the quotes.
      before = before.substr(0, before.size() - 1);
      const std::size_t open = before.rfind('\'');
      if (open == text_view::npos) return;
      detail::add_once(files, before.substr(open + 1));
      return;
    }
    // "...: PATH" (GCC), "cannot open output file PATH" (ld): the last word
    // after the last ": ", unless that is a message of several words.
    const std::size_t colon = before.rfind(": ");
    text_view what = colon == text_view::npos ? before : before.substr(colon + 2);
    const std::size_t space = what.rfind(' ');
    if (space != text_view::npos) what = what.substr(space + 1);
    if (what.find('/') != text_view::npos || what.find('.') != text_view::npos) detail::add_once(files, what);
  });
  return files;
}

}  // namespace vitte::toolchain

#endif  // VITTE_TOOLCHAIN_IMPL_HERMETIC_IPP
