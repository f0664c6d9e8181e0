// vitte/base/detail/json.hpp - the inside of a JSON string, escaped once for
// every layer that writes JSON (log lines, build manifests), and the log's
// text format, which escapes the same bytes with other prefixes. It hands
// the pieces to the caller's sink, so it allocates nothing and needs no OS.
//
//   std::string out = "\"";
//   vitte::detail::json_escape(name, vitte::detail::json_escaping::minimal,
//                              [&](vitte::text_view p) { out.append(p.data(), p.size()); });
//   out += '"';
#ifndef VITTE_BASE_DETAIL_JSON_HPP
#define VITTE_BASE_DETAIL_JSON_HPP

#include <vitte/base/detail/hex.hpp>   // hex_byte
#include <vitte/base/detail/utf8.hpp>  // utf8_sequence
#include <vitte/base/text_view.hpp>    // the input and the pieces

#include <cstddef>
#include <cstdint>

namespace vitte::detail {

/// Which bytes json_escape() escapes, and how.
enum class json_escaping : std::uint8_t {
  /// `"` and `\` behind a backslash, `\n` and `\t`, every other byte below
  /// 0x20 as `\u00XX`; every other byte as it is.
  minimal,
  /// As minimal, and also `\r` and DEL (`\u007f`); the C1 controls
  /// (U+0080..U+009F, which terminals act on) as `\u00XX`; a byte that is
  /// not part of well-formed UTF-8 as the text `\xHH` behind an escaped
  /// backslash (`\\xHH`), so the string stays valid JSON and shows the byte.
  strict,
  /// The log's text format, not JSON: as strict, but a control below 0x20,
  /// DEL and a byte that is not UTF-8 as `\xHH`; `"` and `\` as they are.
  text,
  /// As text, with `"` and `\` behind a backslash (a quoted value).
  quoted_text,
};

/// Escapes `s` for the inside of a string (no quotes added), calling
/// `put(text_view)` with each piece in order: a byte that stands for itself
/// alone, a well-formed UTF-8 sequence whole, an escape as its prefix and
/// then its hex digits one at a time. Hex digits are lower case.
template <class Put>
constexpr void json_escape(text_view s, json_escaping how, Put&& put) {
  const bool strict = how != json_escaping::minimal;
  const bool json = how == json_escaping::minimal || how == json_escaping::strict;
  const bool quotes = how != json_escaping::text;
  const auto hex_escape = [&](text_view prefix, std::uint32_t b) {
    char digits[2] = {};
    hex_byte(static_cast<std::uint8_t>(b), digits);
    put(prefix);
    put(text_view(digits, 1));
    put(text_view(digits + 1, 1));
  };
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (strict && c >= 0x80) {
      std::uint32_t code = 0;
      const std::size_t n = utf8_sequence(s, i, code);
      if (n == 0) {  // not UTF-8: the byte, visibly
        hex_escape(json ? "\\\\x" : "\\x", c);
        ++i;
        continue;
      }
      if (code <= 0x9f) {
        hex_escape("\\u00", code);
      } else {
        put(s.substr(i, n));
      }
      i += n;
      continue;
    }
    const text_view self = s.substr(i, 1);
    ++i;
    if (c == '\n') {
      put("\\n");
    } else if (c == '\t') {
      put("\\t");
    } else if (strict && c == '\r') {
      put("\\r");
    } else if (c < 0x20 || (strict && c == 0x7f)) {
      hex_escape(json ? "\\u00" : "\\x", c);
    } else if (quotes && (c == '"' || c == '\\')) {
      put("\\");
      put(self);
    } else {
      put(self);
    }
  }
}

}  // namespace vitte::detail

#endif  // VITTE_BASE_DETAIL_JSON_HPP
