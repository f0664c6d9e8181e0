// vitte/loader/diagnostics.hpp - how the loader says what was wrong: the
// helpers its readers, resolver, linker and loader share to fill the one
// diagnostic model (vitte/base/diagnostic.hpp, diagnostic_list.hpp).
//
// vitte::error says what kind of thing failed (8 bytes, never allocates).
// Some loader failures need more: where in a file a reader stopped, which
// modules form a cycle, every import that did not bind. Two carriers:
//
//   - vitte::diagnostic, filled by the ELF, PE, Mach-O, metadata, container
//     and wasm readers where they find the fault (`vitte::diagnostic* why`):
//     the kind, the file offset, the message; the subject is the section,
//     segment or symbol concerned, or the file when the reader was given
//     its path. No allocation, so they can run anywhere.
//   - vitte::diagnostic_list, owned by the caller, who passes its address
//     to the resolver, linker, loader and reloader: one entry per problem,
//     its subject the module (or the file) concerned. It allocates, but
//     only when something goes wrong.
//
//   vitte::diagnostic_list why;
//   auto m = loader.load("app", &why);
//   if (!m) std::fputs(why.joined().c_str(), stderr);
//   // "app: cycle: app -> net -> app"
//   // "net: missing dependency log (range ^2)"
//   // "plugins/libnet.so: at offset 0x40: section header table outside the file"
#ifndef VITTE_LOADER_DIAGNOSTICS_HPP
#define VITTE_LOADER_DIAGNOSTICS_HPP

#include <vitte/base.hpp>               // vitte::diagnostic, vitte::diagnostic_list, error
#include <vitte/base/detail/text.hpp>   // text_writer: "section 3"
#include <vitte/loader/operations.hpp>  // module_read

#include <cstdint>  // offsets, indices

namespace vitte::loader {

/// Adds `d` to `list` when the list is not null.
inline void note(diagnostic_list* list, const vitte::diagnostic& d) {
  if (list != nullptr) list->add(d);
}
/// Adds a diagnostic of `kind` about `subject` saying `message` to `list`
/// when the list is not null.
inline void note(diagnostic_list* list, errc kind, text_view subject, text_view message) {
  if (list != nullptr) list->add(kind, subject, message);
}

/// Adds a diagnostic of the kind of `e` about `subject` to `list` when the
/// list is not null: "what: <the error's message>" ("cannot open: open: no
/// such file or directory (errno 2)").
inline void note(diagnostic_list* list, error e, text_view subject, text_view what) {
  if (list == nullptr) return;
  vitte::diagnostic d;
  d.of(e.kind()).about(subject).say(what).append(": ").append(e.message().view());
  list->add(d);
}

namespace detail {

/// Records `what` at `offset` with `kind` in `why` (when not null; what
/// it held before is forgotten) and returns the error of `kind`:
/// `return refuse(why, errc::malformed, 16, "...")`.
inline error refuse(vitte::diagnostic* why, errc kind, std::uint64_t offset, text_view what,
                    operation op = ops::module_read) noexcept {
  if (why != nullptr) {
    why->clear();
    why->of(kind).at(offset).say(what);
  }
  return error{kind, op};
}

/// Names "section `index`" as the subject of `d` (a section without a name).
inline vitte::diagnostic& about_section(vitte::diagnostic& d, std::uint64_t index) noexcept {
  char name[32];
  vitte::detail::text_writer w{name, sizeof name};
  w.append("section ");
  w.append_unsigned(index);
  return d.about(text_view(name, w.len));
}

/// Names the file `path` as the subject of `d`, filled by a reader of its
/// bytes: what that reader named (a section, a symbol) leads the message
/// ("path: at offset 0x40: .vitte_plugin: record size out of bounds").
inline vitte::diagnostic& name_file(vitte::diagnostic& d, text_view path) noexcept {
  if (!d.subject().empty() && d.subject() != path) {
    const vitte::diagnostic inner = d;
    d.say(inner.subject()).append(": ").append(inner.message().empty() ? to_string(inner.kind()) : inner.message());
  }
  return d.about(path);
}

/// The first section of `r` (an ELF or PE reader) from index `first` on
/// whose name is `name`; not_found (named `name`, at `table`) when none is.
template <class Reader>
auto find_named_section(const Reader& r, std::uint32_t first, text_view name, vitte::diagnostic* why,
                        std::uint64_t table) noexcept -> decltype(r.section_at(0, why)) {
  for (std::uint32_t i = first; i < r.section_count(); ++i) {
    auto s = r.section_at(i, why);
    if (!s || s->name == name) return s;
  }
  const error e = refuse(why, errc::not_found, table, "no such section");
  if (why != nullptr) why->about(name);
  return e;
}

}  // namespace detail

}  // namespace vitte::loader

#endif  // VITTE_LOADER_DIAGNOSTICS_HPP
