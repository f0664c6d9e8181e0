// vitte/release/detail/package_fields.hpp - the text a package's fields may
// hold, and the fields every format shares written once: one rule per kind
// of field (one line, a multi-line text, a relation), the Debian form of a
// description, dependency relations in either syntax, and dpkg's version
// order (to keep the highest of two minimum versions).
//
//   relation r;
//   parse_relation("libc6 (>= 2.36)", r);   // {"libc6", ">=", "2.36"}
//   parse_relation("glibc >= 2.36", r);     // {"glibc", ">=", "2.36"}
//   deb_relation(r);                        // "glibc (>= 2.36)"
#ifndef VITTE_RELEASE_DETAIL_PACKAGE_FIELDS_HPP
#define VITTE_RELEASE_DETAIL_PACKAGE_FIELDS_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/text_view.hpp>

#include <cstdint>
#include <string>

namespace vitte::release::detail {

/// One line of text: no byte below 0x20 and no DEL (UTF-8 is fine). A line
/// break in a control field would start another field.
VITTE_DECL bool one_line(text_view s);

/// Lines of one_line() text separated by '\n' (a description).
VITTE_DECL bool text_lines(text_view s);

/// A dependency relation: a package (or capability) name, and optionally a
/// comparison and a version. `op` is "", "<", "<=", "=", ">=" or ">".
struct relation {
  std::string name, op, version;
};

/// Reads "name", "name (op version)" (Debian's form, "<<" and ">>" allowed)
/// or "name op version" (rpm's). False for anything else: an empty name, a
/// name holding a space, ',' or '|', an unknown operator, a version that is
/// not [A-Za-z0-9.+~:_^-]+, a control character.
VITTE_DECL bool parse_relation(text_view s, relation& out);

/// "name (>= version)", as a Debian control field writes it ("<<", ">>").
VITTE_DECL std::string deb_relation(const relation& r);

/// The description as Debian's Description field holds it after the colon:
/// the first line (the synopsis; `fallback` when the description is empty),
/// then each further line with a leading space, " ." for an empty one.
VITTE_DECL std::string deb_description(text_view description, text_view fallback);

/// dpkg's version order (epoch, upstream, revision; '~' before anything):
/// negative, zero or positive as `a` is older, the same or newer than `b`.
VITTE_DECL int deb_version_compare(text_view a, text_view b);

}  // namespace vitte::release::detail

#if VITTE_HEADER_ONLY
#include <vitte/release/detail/package_fields.ipp>
#endif

#endif  // VITTE_RELEASE_DETAIL_PACKAGE_FIELDS_HPP
