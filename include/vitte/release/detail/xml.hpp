// vitte/release/detail/xml.hpp - the XML a macOS package holds (a xar
// archive's table of contents, Distribution, PackageInfo): text escaped for
// writing, and a small bounded reader of elements, attributes and text.
//
//   std::string s = "<name>";
//   xml_escape(s, "a & b");                         // "<name>a &amp; b"
//   xml_element root;
//   vitte::diagnostic why;
//   if (!xml_read(doc, root, &why)) ...              // what was wrong, at which offset, in which element
//   const xml_element* toc = root.child("toc");
//
// The reader takes what these documents use: one root element, attributes
// in single or double quotes, character data with the five predefined
// entities and character references (&#38; &#x26;), CDATA sections,
// comments, processing instructions and the XML declaration. A document
// type declaration is refused (no entity of its own can expand), and so is
// anything malformed: a mismatched end tag, a second root, text outside it.
// Bounded: elements nest at most xml_limits::max_depth deep and number at
// most max_elements, so a hostile document costs memory in proportion to
// its size.
#ifndef VITTE_RELEASE_DETAIL_XML_HPP
#define VITTE_RELEASE_DETAIL_XML_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>
#include <vitte/base/text_view.hpp>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace vitte::release::detail {

/// Appends `s` with `&`, `<`, `>`, `"` and `'` escaped: good in text and in
/// attribute values alike. Control characters other than tab, line feed and
/// carriage return cannot be written in XML 1.0: they become U+FFFD.
VITTE_DECL void xml_escape(std::string& out, text_view s);

/// One element as read: its name, attributes in document order, the
/// character data directly inside it (entities decoded, every piece
/// joined), its child elements, and the offset of its '<' in the document.
struct xml_element {
  std::string name;
  std::vector<std::pair<std::string, std::string>> attributes;
  std::string text;
  std::vector<xml_element> children;
  std::size_t offset = 0;

  /// The first child named `n`, or null.
  VITTE_DECL const xml_element* child(text_view n) const noexcept;
  /// The value of attribute `n`, or "" when absent.
  VITTE_DECL text_view attribute(text_view n) const noexcept;
  /// The text of the first child named `n` ("" when absent).
  VITTE_DECL text_view child_text(text_view n) const noexcept;
};

struct xml_limits {
  std::size_t max_depth = 64;
  std::size_t max_elements = std::size_t{1} << 20;
};

/// Reads the document `doc` into `root` (its one root element). False with
/// `why` filled (errc::malformed, an offset no larger than `doc.size()`,
/// the innermost element open there, a static message) when it is not
/// well-formed or passes `limits`.
VITTE_DECL bool xml_read(text_view doc, xml_element& root, vitte::diagnostic* why = nullptr,
                         const xml_limits& limits = {});

}  // namespace vitte::release::detail

#if VITTE_HEADER_ONLY
#include <vitte/release/detail/xml.ipp>
#endif

#endif  // VITTE_RELEASE_DETAIL_XML_HPP
