// vitte/base/detail/diagnostic_list.ipp - the bodies of vitte::diagnostic_list
// (vitte/base/diagnostic_list.hpp).
#ifndef VITTE_BASE_DETAIL_DIAGNOSTIC_LIST_IPP
#define VITTE_BASE_DETAIL_DIAGNOSTIC_LIST_IPP

#include <vitte/base/diagnostic_list.hpp>

namespace vitte {

VITTE_DECL void diagnostic_list::add(const diagnostic& d) { items_.push_back(d); }

VITTE_DECL void diagnostic_list::add(errc kind, text_view subject, text_view message) {
  diagnostic d;
  d.of(kind).about(subject).say(message);
  items_.push_back(d);
}

VITTE_DECL void diagnostic_list::add_all(const diagnostic_list& other) {
  for (const diagnostic& d : other.items_) items_.push_back(d);
}

VITTE_DECL void diagnostic_list::clear() noexcept { items_.clear(); }

VITTE_DECL bool diagnostic_list::contains(text_view needle) const noexcept {
  for (const diagnostic& d : items_) {
    const diagnostic_line l = d.format();
    if (l.view().find(needle) != text_view::npos) return true;
  }
  return false;
}

VITTE_DECL text diagnostic_list::joined() const {
  text out;
  for (const diagnostic& d : items_) {
    const diagnostic_line l = d.format();
    out.append(l.view()).append("\n");
  }
  return out;
}

}  // namespace vitte

#endif  // VITTE_BASE_DETAIL_DIAGNOSTIC_LIST_IPP
