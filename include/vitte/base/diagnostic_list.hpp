// vitte/base/diagnostic_list.hpp - many diagnostics: a linker's every
// unbound import, a checker's every finding, a loader's chain of causes.
//
// One list type for every layer that reports more than one thing. Each entry
// is a whole vitte::diagnostic (kind, position, subject, message), so a
// caller can branch on kinds and positions as well as print lines.
//
//   vitte::diagnostic_list why;
//   auto m = loader.load("app", &why);
//   if (!m) std::fputs(why.joined().c_str(), stderr);
//   // "app: cycle: a -> b -> c -> a"
//   // "plugins/libnet.so: at offset 0x40: section header table out of bounds"
//
// Allocates (a vitte::buffer) only when something is added. Not
// thread-safe: one list per call.
#ifndef VITTE_BASE_DIAGNOSTIC_LIST_HPP
#define VITTE_BASE_DIAGNOSTIC_LIST_HPP

#include <vitte/base/buffer.hpp>      // the entries
#include <vitte/base/config.hpp>      // VITTE_DECL, VITTE_HEADER_ONLY
#include <vitte/base/diagnostic.hpp>  // what each entry is
#include <vitte/base/span.hpp>        // items()
#include <vitte/base/text.hpp>        // joined()
#include <vitte/base/text_view.hpp>   // contains()

#include <cstddef>  // std::size_t

namespace vitte {

/// An ordered list of diagnostics. See the header comment.
class diagnostic_list {
 public:
  /// Adds `d` at the end.
  VITTE_DECL void add(const diagnostic& d);
  /// Adds a diagnostic of `kind` about `subject` saying `message`.
  VITTE_DECL void add(errc kind, text_view subject, text_view message);
  /// Adds every entry of `other`, in order.
  VITTE_DECL void add_all(const diagnostic_list& other);

  /// The entries so far, oldest first.
  span<const diagnostic> items() const noexcept { return {items_.data(), items_.size()}; }
  std::size_t size() const noexcept { return items_.size(); }
  bool empty() const noexcept { return items_.size() == 0; }
  VITTE_DECL void clear() noexcept;
  /// The last entry added; the list must not be empty.
  const diagnostic& back() const noexcept { return items_[items_.size() - 1]; }

  /// True when the printed line of an entry contains `needle`.
  VITTE_DECL bool contains(text_view needle) const noexcept;
  /// Every entry's line (diagnostic::format), each ended by a newline.
  VITTE_DECL text joined() const;

 private:
  buffer<diagnostic> items_;
};

}  // namespace vitte

#if VITTE_HEADER_ONLY
#include <vitte/base/detail/diagnostic_list.ipp>
#endif

#endif  // VITTE_BASE_DIAGNOSTIC_LIST_HPP
