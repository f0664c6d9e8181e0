// vitte/release/detail/xml.ipp - XML escaping and the bounded reader (xml.hpp).
#ifndef VITTE_RELEASE_DETAIL_XML_IPP
#define VITTE_RELEASE_DETAIL_XML_IPP

#include <vitte/base/detail/decimal.hpp>      // &#NNN;
#include <vitte/base/detail/hex.hpp>          // &#xHH;
#include <vitte/base/detail/utf8.hpp>         // the document is UTF-8
#include <vitte/base/detail/utf8_encode.hpp>  // a character reference's code point
#include <vitte/base/text_view.hpp>
#include <vitte/release/detail/failure.hpp>  // refuse
#include <vitte/release/detail/xml.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vitte::release::detail {

VITTE_DECL void xml_escape(std::string& out, text_view s) {
  for (const char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r')
          out += "\xEF\xBF\xBD";
        else
          out += c;
    }
  }
}

VITTE_DECL const xml_element* xml_element::child(text_view n) const noexcept {
  for (const xml_element& c : children)
    if (text_view(c.name) == n) return &c;
  return nullptr;
}

VITTE_DECL text_view xml_element::attribute(text_view n) const noexcept {
  for (const auto& [k, v] : attributes)
    if (text_view(k) == n) return v;
  return {};
}

VITTE_DECL text_view xml_element::child_text(text_view n) const noexcept {
  const xml_element* c = child(n);
  return c == nullptr ? text_view() : text_view(c->text);
}

namespace xml_detail {

constexpr bool space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
constexpr bool name_char(char c) noexcept {
  return !space(c) && c != '/' && c != '>' && c != '<' && c != '=' && c != '"' && c != '\'' && c != '&' && c != ';' &&
         c != '!' && c != '?';
}

// A character XML 1.0 allows (after decoding a reference).
constexpr bool xml_char(std::uint32_t c) noexcept {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

struct reader {
  text_view doc;
  std::size_t pos = 0;
  vitte::diagnostic* why = nullptr;

  bool fail(const char* w, std::size_t where) {
    return refuse(why, errc::malformed, where > doc.size() ? doc.size() : where, {}, w);
  }
  bool starts(text_view s) const noexcept { return doc.substr(pos).starts_with(s); }
  void skip_space() noexcept {
    while (pos < doc.size() && space(doc[pos])) ++pos;
  }
  // Moves past the next `end`; false when there is none.
  bool skip_past(text_view end, const char* w) {
    const std::size_t e = doc.find(end, pos);
    if (e == text_view::npos) return fail(w, pos);
    pos = e + end.size();
    return true;
  }
  bool name(std::string& out) {
    const std::size_t start = pos;
    while (pos < doc.size() && name_char(doc[pos])) ++pos;
    if (pos == start) return fail("an XML name expected", start);
    out.assign(doc.data() + start, pos - start);
    return true;
  }
  // Appends `raw` (text or an attribute value) with its references decoded.
  bool decode(text_view raw, std::size_t base, std::string& out) {
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '&') {
        out += raw[i];
        continue;
      }
      const std::size_t semi = raw.find(';', i);
      if (semi == text_view::npos || semi - i > 12) return fail("an XML reference without its ';'", base + i);
      const text_view ref = raw.substr(i + 1, semi - i - 1);
      if (ref == "lt") {
        out += '<';
      } else if (ref == "gt") {
        out += '>';
      } else if (ref == "amp") {
        out += '&';
      } else if (ref == "quot") {
        out += '"';
      } else if (ref == "apos") {
        out += '\'';
      } else if (ref.size() >= 2 && ref[0] == '#') {
        std::uint64_t code = 0;
        if (ref[1] == 'x') {
          const text_view digits = ref.substr(2);
          if (digits.empty()) return fail("an empty XML character reference", base + i);
          for (const char c : digits) {
            const int v = vitte::detail::hex_value(c);
            if (v < 0 || code > 0x10FFFF) return fail("a bad XML character reference", base + i);
            code = code * 16 + static_cast<std::uint64_t>(v);
          }
        } else if (!vitte::detail::parse_decimal(ref.substr(1), 0x10FFFF, code)) {
          return fail("a bad XML character reference", base + i);
        }
        if (!xml_char(static_cast<std::uint32_t>(code)) || code > 0x10FFFF)
          return fail("an XML character reference to a character XML does not allow", base + i);
        vitte::detail::append_utf8(out, static_cast<char32_t>(code));
      } else {
        return fail("an XML entity other than lt, gt, amp, quot and apos", base + i);
      }
      i = semi;
    }
    return true;
  }
  // Comments, processing instructions and whitespace outside the root.
  bool misc(bool& more) {
    skip_space();
    more = true;
    if (starts("<?")) return skip_past("?>", "an XML processing instruction without its end");
    if (starts("<!--")) return skip_past("-->", "an XML comment without its end");
    if (starts("<!")) return fail("an XML document type declaration (not supported)", pos);
    more = false;
    return true;
  }
};

}  // namespace xml_detail

VITTE_DECL bool xml_read(text_view doc, xml_element& root, vitte::diagnostic* why, const xml_limits& limits) {
  xml_detail::reader r{doc};
  r.why = why;
  std::vector<xml_element*> open;   // the elements not yet closed, outermost first
  const auto done = [&](bool ok) {  // a fault inside an element names it
    if (!ok && why != nullptr && !open.empty()) why->about(open.back()->name);
    return ok;
  };
  if (!vitte::detail::valid_utf8(doc)) return done(r.fail("an XML document that is not UTF-8", 0));
  for (std::size_t i = 0; i < doc.size(); ++i) {
    const auto c = static_cast<unsigned char>(doc[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
      return done(r.fail("a control character in an XML document", i));
  }
  if (r.starts("\xEF\xBB\xBF")) r.pos = 3;
  for (bool more = true; more;)
    if (!r.misc(more)) return done(false);
  if (!r.starts("<")) return done(r.fail("no XML root element", r.pos));

  root = xml_element();
  std::size_t elements = 0;
  bool root_seen = false;
  while (r.pos < doc.size()) {
    if (open.empty() && root_seen) break;
    if (doc[r.pos] != '<') {  // character data
      const std::size_t end = doc.find('<', r.pos);
      const text_view raw = doc.substr(r.pos, end == text_view::npos ? text_view::npos : end - r.pos);
      if (!r.decode(raw, r.pos, open.back()->text)) return done(false);
      r.pos += raw.size();
      continue;
    }
    if (r.starts("<!--")) {
      if (!r.skip_past("-->", "an XML comment without its end")) return done(false);
      continue;
    }
    if (r.starts("<?")) {
      if (!r.skip_past("?>", "an XML processing instruction without its end")) return done(false);
      continue;
    }
    if (r.starts("<![CDATA[")) {
      const std::size_t start = r.pos + 9;
      if (!r.skip_past("]]>", "an XML CDATA section without its end")) return done(false);
      open.back()->text.append(doc.data() + start, r.pos - 3 - start);
      continue;
    }
    if (r.starts("<!")) return done(r.fail("an XML declaration inside the document", r.pos));
    const std::size_t tag = r.pos;
    if (r.starts("</")) {
      r.pos += 2;
      std::string n;
      if (!r.name(n)) return done(false);
      r.skip_space();
      if (r.pos >= doc.size() || doc[r.pos] != '>') return done(r.fail("an XML end tag without its '>'", r.pos));
      ++r.pos;
      if (open.empty() || open.back()->name != n) return done(r.fail("an XML end tag that does not match", tag));
      open.pop_back();
      continue;
    }
    ++r.pos;
    if (open.size() >= limits.max_depth) return done(r.fail("XML elements nested too deep", tag));
    if (++elements > limits.max_elements) return done(r.fail("too many XML elements", tag));
    xml_element* e = &root;
    if (!open.empty()) {
      open.back()->children.emplace_back();
      e = &open.back()->children.back();
    }
    root_seen = true;
    e->offset = tag;
    if (!r.name(e->name)) return done(false);
    for (;;) {
      const std::size_t before = r.pos;
      r.skip_space();
      if (r.pos >= doc.size()) return done(r.fail("an XML start tag without its end", tag));
      if (r.starts("/>")) {
        r.pos += 2;
        break;
      }
      if (doc[r.pos] == '>') {
        ++r.pos;
        open.push_back(e);
        break;
      }
      if (r.pos == before) return done(r.fail("no space before an XML attribute", r.pos));
      std::string k, v;
      if (!r.name(k)) return done(false);
      r.skip_space();
      if (r.pos >= doc.size() || doc[r.pos] != '=') return done(r.fail("an XML attribute without '='", r.pos));
      ++r.pos;
      r.skip_space();
      if (r.pos >= doc.size() || (doc[r.pos] != '"' && doc[r.pos] != '\''))
        return done(r.fail("an XML attribute value without quotes", r.pos));
      const char quote = doc[r.pos++];
      const std::size_t end = doc.find(quote, r.pos);
      if (end == text_view::npos) return done(r.fail("an XML attribute value without its end", r.pos));
      const text_view raw = doc.substr(r.pos, end - r.pos);
      if (raw.find('<') != text_view::npos) return done(r.fail("a '<' in an XML attribute value", r.pos));
      if (!r.decode(raw, r.pos, v)) return done(false);
      r.pos = end + 1;
      for (const auto& a : e->attributes)
        if (a.first == k) return done(r.fail("an XML attribute given twice", before));
      e->attributes.emplace_back(static_cast<std::string&&>(k), static_cast<std::string&&>(v));
    }
  }
  if (!open.empty()) return done(r.fail("an XML element without its end tag", open.back()->offset));
  for (bool more = true; more;)
    if (!r.misc(more)) return done(false);
  if (r.pos != doc.size()) return done(r.fail("something after the XML root element", r.pos));
  return true;
}

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_XML_IPP
