// vitte/loader/diagnostics.hpp - the text of loader errors.
//
// vitte::error says what kind of thing failed (8 bytes, never allocates).
// Some loader failures need more: where in a file a parser stopped, which
// modules form a cycle, every import that did not bind. Two carriers:
//
//   - parse_problem: a text and a file offset, filled by the ELF, PE and
//     metadata readers; no allocation, so they can run anywhere.
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
#include <vitte/base/detail/hex.hpp>      // append(v, hex)
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
/// fields, a symbol) is kept in the object itself, and a copy points at its
/// own copy of it.
struct parse_problem {
  const char* what = "";     ///< E.g. "section header table out of bounds".
  std::uint64_t offset = 0;  ///< File offset of the offending field or structure.

  parse_problem() noexcept = default;
  parse_problem(const parse_problem& o) noexcept { *this = o; }
  parse_problem& operator=(const parse_problem& o) noexcept {
    if (this == &o) return *this;
    for (std::size_t i = 0; i < sizeof text_; ++i) text_[i] = o.text_[i];
    offset = o.offset;
    used_ = o.used_;
    what = o.what == o.text_ ? text_ : o.what;
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
    used_ = 0;
    offset = off;
    what = text_;
    return append(w);
  }
  /// Adds `s` to the description describe() started.
  parse_problem& append(const char* s) noexcept {
    while (s != nullptr && *s != '\0' && used_ + 1 < sizeof text_) text_[used_++] = *s++;
    text_[used_] = '\0';
    return *this;
  }
  parse_problem& append(const char* s, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n && used_ + 1 < sizeof text_; ++i) text_[used_++] = s[i];
    text_[used_] = '\0';
    return *this;
  }
  /// Adds `v` in decimal, or in hexadecimal with 0x.
  parse_problem& append(std::uint64_t v, bool hex = false) noexcept {
    char digits[24];
    std::size_t n = 0;
    const unsigned base = hex ? 16 : 10;
    do {
      digits[n++] = vitte::detail::hex_digit(static_cast<unsigned>(v % base));
      v /= base;
    } while (v != 0);
    if (hex) append("0x");
    while (n > 0) append(digits + --n, 1);
    return *this;
  }
  static constexpr std::size_t capacity() noexcept { return sizeof text_ - 1; }

 private:
  char text_[200] = {};
  std::size_t used_ = 0;
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
