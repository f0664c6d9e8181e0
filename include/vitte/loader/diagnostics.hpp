// vitte/loader/diagnostics.hpp - the text of loader errors.
//
// vitte::error says what kind of thing failed (8 bytes, never allocates).
// Some loader failures need more: where in a file a parser stopped, which
// modules form a cycle, every import that did not bind. Two carriers:
//
//   - parse_problem: a text and a file offset, filled by the ELF, PE and
//     metadata readers; no allocation, so they can run anywhere. Its
//     describe() gives the one diagnostic model (vitte/base/diagnostic.hpp).
//   - diagnostics: a list of lines owned by the caller, who passes its
//     address to the resolver, linker and loader; it allocates, but only
//     when the caller asked for text.
//
//   vitte::loader::diagnostics why;
//   auto m = loader.load("app", &why);
//   if (!m) std::fprintf(stderr, "%s\n", why.str().c_str());
//   // "cycle: a -> b -> c -> a"
//   // "missing: net (needed by app, range ^2), log (needed by net, range *)"
//   // "plugins/libnet.so: at offset 0x40: section header table out of bounds"
#ifndef VITTE_LOADER_DIAGNOSTICS_HPP
#define VITTE_LOADER_DIAGNOSTICS_HPP

#include <vitte/base.hpp>
#include <vitte/loader/format_error.hpp>  // add(context, format_error)
#include <vitte/loader/operations.hpp>

#include <cstddef>      // size_t
#include <cstdint>      // offsets
#include <string>       // lines
#include <string_view>  // add()
#include <vector>       // lines

namespace vitte::loader {

/// Why a reader refused a file: a description and the file offset it is
/// about. Never allocates: a description that names values (a segment's
/// fields, a symbol) is kept in the object itself (a vitte::diagnostic's
/// message), and a copy points at its own copy of it.
struct parse_problem {
  const char* what = "";     ///< E.g. "section header table out of bounds".
  std::uint64_t offset = 0;  ///< File offset of the offending field or structure.

  parse_problem() noexcept = default;
  parse_problem(const parse_problem& o) noexcept { *this = o; }
  parse_problem& operator=(const parse_problem& o) noexcept {
    if (this == &o) return *this;
    kept_ = o.kept_;
    offset = o.offset;
    what = o.what == o.kept_.message().data() ? kept_.message().data() : o.what;
    return *this;
  }

  /// Sets both fields; handy as `return p->set(...), error{...}`.
  void set(const char* w, std::uint64_t off) noexcept {
    what = w;
    offset = off;
  }
  /// Starts a description kept here: `w`, then what append() adds
  /// ("segment 2: p_offset 0x1001 and p_vaddr 0x2000 disagree"). Cut at
  /// capacity() bytes.
  parse_problem& describe(const char* w, std::uint64_t off) noexcept {
    offset = off;
    kept_.say({});
    what = kept_.message().data();
    return append(w);
  }
  /// Adds `s` to the description describe() started.
  parse_problem& append(const char* s) noexcept { return append(s, s != nullptr ? text_view(s).size() : 0); }
  parse_problem& append(const char* s, std::size_t n) noexcept {
    kept_.append(text_view(s, n));
    return *this;
  }
  /// Adds `v` in decimal, or in hexadecimal with 0x.
  parse_problem& append(std::uint64_t v, bool hex = false) noexcept {
    kept_.append(v, hex);
    return *this;
  }
  static constexpr std::size_t capacity() noexcept { return vitte::diagnostic::message_capacity; }

  /// The model (vitte/base/diagnostic.hpp): `what` at `offset`. The caller
  /// names the file and the kind: `why.describe().about(path).of(e.kind())`.
  vitte::diagnostic describe() const noexcept { return vitte::diagnostic().at(offset).say(what); }

 private:
  vitte::diagnostic kept_;  // the text describe(w, off) starts (its message)
};

/// Caller-owned text of loader errors: one line per problem. Not
/// thread-safe: one per call.
class diagnostics {
 public:
  /// Adds one line.
  void add(std::string line) { lines_.push_back(std::move(line)); }
  /// Adds the problem's line (vitte/base/diagnostic.hpp) with `context`
  /// as its subject: "context: at offset 0x1a4: <what>".
  void add(std::string_view context, const parse_problem& p) { add(context, p.describe()); }
  /// Adds "context: at offset 0x1a4: section 2: <reason>" (the container
  /// readers' errors).
  void add(std::string_view context, const format_error& e) { add(context, e.describe()); }
  /// Adds the line of `d` (vitte::diagnostic::format), `context` its subject.
  void add(std::string_view context, vitte::diagnostic d);
  /// The lines so far.
  const std::vector<std::string>& lines() const noexcept { return lines_; }
  bool empty() const noexcept { return lines_.empty(); }
  void clear() noexcept { lines_.clear(); }
  /// Every line, joined with newlines.
  std::string str() const;
  /// True when a line contains `text`.
  bool contains(std::string_view text) const noexcept;

 private:
  std::vector<std::string> lines_;
};

namespace detail {
/// The first section of `r` (an ELF or PE reader) from index `first` on
/// whose name is `name`; not_found (the problem at `table`) when none is.
template <class Reader>
auto find_named_section(const Reader& r, std::uint32_t first, std::string_view name, parse_problem* why,
                        std::uint64_t table) noexcept -> decltype(r.section_at(0, why)) {
  for (std::uint32_t i = first; i < r.section_count(); ++i) {
    auto s = r.section_at(i, why);
    if (!s || s->name == name) return s;
  }
  if (why != nullptr) why->set("no such section", table);
  return error{errc::not_found, ops::module_read};
}
}  // namespace detail

/// Adds a line to `d` when it is not null.
inline void note(diagnostics* d, std::string line) {
  if (d != nullptr) d->add(std::move(line));
}
/// Adds the line of `e` (or of `problem`), `context` its subject, to `d`
/// when it is not null.
inline void note(diagnostics* d, std::string_view context, const format_error& e) {
  if (d != nullptr) d->add(context, e);
}
inline void note(diagnostics* d, std::string_view context, const vitte::diagnostic& problem) {
  if (d != nullptr) d->add(context, problem);
}

}  // namespace vitte::loader

#if VITTE_HEADER_ONLY
#include <vitte/loader/impl/diagnostics.ipp>
#endif

#endif  // VITTE_LOADER_DIAGNOSTICS_HPP
