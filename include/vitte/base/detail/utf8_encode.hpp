// vitte/base/detail/utf8_encode.hpp - the one UTF-8 encoder of a code point,
// for the readers that turn other encodings into text (JSON's \u escapes,
// Windows Installer's UTF-16 stream names and code-page strings). Checking
// and decoding UTF-8 is utf8.hpp's.
#ifndef VITTE_BASE_DETAIL_UTF8_ENCODE_HPP
#define VITTE_BASE_DETAIL_UTF8_ENCODE_HPP

#include <string>

namespace vitte::detail {

/// Appends code point `c` (at most U+10FFFF; the caller checks) as UTF-8.
inline void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

}  // namespace vitte::detail

#endif  // VITTE_BASE_DETAIL_UTF8_ENCODE_HPP
