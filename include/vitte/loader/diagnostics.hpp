// vitte/loader/diagnostics.hpp - the text of loader errors.
//
// vitte::error says what kind of thing failed (8 bytes, never allocates).
// Some loader failures need more: where in a file a parser stopped, which
// modules form a cycle, every import that did not bind. Two carriers:
//
//   - parse_problem: a static text and a file offset, filled by the ELF,
//     PE and metadata readers; no allocation, so they can run anywhere.
//   - diagnostics: a list of lines owned by the caller, who passes its
//     address to the resolver, linker and loader; it allocates, but only
//     when the caller asked for text.
//
//   vitte::loader::diagnostics why;
//   auto m = loader.load("app", &why);
//   if (!m) std::fprintf(stderr, "%s\n", why.str().c_str());
//   // "cycle: a -> b -> c -> a"
//   // "missing: net (needed by app, range ^2), log (needed by net, range *)"
#ifndef VITTE_LOADER_DIAGNOSTICS_HPP
#define VITTE_LOADER_DIAGNOSTICS_HPP

#include <vitte/base.hpp>
#include <vitte/loader/format_error.hpp>  // add(context, format_error)
#include <vitte/loader/operations.hpp>

#include <cstdint>      // offsets
#include <string>       // lines
#include <string_view>  // add()
#include <vector>       // lines

namespace vitte::loader {

/// Why a reader refused a file: a static description and the file offset it
/// is about. Never allocates.
struct parse_problem {
  const char* what = "";     ///< E.g. "section header table out of bounds".
  std::uint64_t offset = 0;  ///< File offset of the offending field or structure.

  /// Sets both fields; handy as `return p->set(...), error{...}`.
  void set(const char* w, std::uint64_t off) noexcept {
    what = w;
    offset = off;
  }
};

/// Caller-owned text of loader errors: one line per problem. Not
/// thread-safe: one per call.
class diagnostics {
 public:
  /// Adds one line.
  void add(std::string line) { lines_.push_back(std::move(line)); }
  /// Adds "context: <problem> at offset N".
  void add(std::string_view context, const parse_problem& p) {
    std::string s(context);
    s += ": ";
    s += p.what;
    s += " (at offset ";
    s += std::to_string(p.offset);
    s += ")";
    lines_.push_back(std::move(s));
  }
  /// Adds "context: <format_error::message()>" (the container readers' errors).
  void add(std::string_view context, const format_error& e) {
    std::string s(context);
    s += ": ";
    s += e.message().view();
    lines_.push_back(std::move(s));
  }
  /// The lines so far.
  const std::vector<std::string>& lines() const noexcept { return lines_; }
  bool empty() const noexcept { return lines_.empty(); }
  void clear() noexcept { lines_.clear(); }
  /// Every line, joined with newlines.
  std::string str() const {
    std::string out;
    for (const std::string& l : lines_) {
      if (!out.empty()) out += '\n';
      out += l;
    }
    return out;
  }
  /// True when a line contains `text`.
  bool contains(std::string_view text) const noexcept {
    for (const std::string& l : lines_)
      if (l.find(text) != std::string::npos) return true;
    return false;
  }

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
/// Adds "context: <e's message>" to `d` when it is not null.
inline void note(diagnostics* d, std::string_view context, const format_error& e) {
  if (d != nullptr) d->add(context, e);
}

}  // namespace vitte::loader

#endif  // VITTE_LOADER_DIAGNOSTICS_HPP
