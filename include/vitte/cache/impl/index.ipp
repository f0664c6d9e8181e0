// vitte/cache/impl/index.ipp - verdict::to_text, and decoding a step of
// index.vitte (vitte/cache/index.hpp; the templates are in impl/index.hpp).
#ifndef VITTE_CACHE_IMPL_INDEX_IPP
#define VITTE_CACHE_IMPL_INDEX_IPP

#include <vitte/base/config.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/cache/detail/record.hpp>
#include <vitte/cache/file_hasher.hpp>
#include <vitte/cache/index.hpp>

namespace vitte::cache {

namespace detail {
// The step decoded into `s`.
VITTE_DECL bool read_step(record_reader& r, step_record& s) {
  text_view name;
  const bool ok = walk_step(r, name, s.command, s.built_ns, [&](int list, text_view path, const file_version& v) {
    (list == 0 ? s.inputs : s.outputs).push_back(file_record{text(path), v});
    return true;
  });
  s.name = text(name);
  return ok;
}
}  // namespace detail

VITTE_DECL text verdict::to_text() const {
  text_view head;
  switch (why) {
    case reason::up_to_date:
      return text("up to date");
    case reason::never_built:
      return text("never built");
    case reason::command_changed:
      return text("command changed");
    case reason::input_missing:
      head = "input missing: ";
      break;
    case reason::input_changed:
      head = "input changed: ";
      break;
    case reason::output_missing:
      head = "output missing: ";
      break;
    case reason::output_changed:
      head = "output changed: ";
      break;
  }
  text t(head);
  t.append(path);
  return t;
}

}  // namespace vitte::cache

#endif  // VITTE_CACHE_IMPL_INDEX_IPP
