// vitte/release/detail/msi_names.ipp - the names of a Windows Installer database (msi_names.hpp),
// and short_names, the 8.3 names of one directory.
#ifndef VITTE_RELEASE_DETAIL_MSI_NAMES_IPP
#define VITTE_RELEASE_DETAIL_MSI_NAMES_IPP

#include <vitte/base/detail/hex.hpp>          // GUIDs
#include <vitte/base/detail/utf8.hpp>         // names from untrusted packages
#include <vitte/base/detail/utf8_encode.hpp>  // stream names as text
#include <vitte/base/text_view.hpp>
#include <vitte/crypto/sha256.hpp>
#include <vitte/release/detail/msi_names.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace vitte::release::detail {
namespace msi {

VITTE_DECL int mime_of(char32_t c) {
  if (c >= '0' && c <= '9') return static_cast<int>(c - '0');
  if (c >= 'A' && c <= 'Z') return static_cast<int>(c - 'A') + 10;  // A-Z: 10-35
  if (c >= 'a' && c <= 'z') return static_cast<int>(c - 'a' + 36);
  if (c == '.') return 62;
  if (c == '_') return 63;
  return -1;
}

VITTE_DECL char char_of_mime(unsigned m) {
  if (m < 10) return static_cast<char>('0' + m);
  if (m < 36) return static_cast<char>('A' + m - 10);
  if (m < 62) return static_cast<char>('a' + m - 36);
  return m == 62 ? '.' : '_';
}

VITTE_DECL std::u16string stream_name(text_view name, bool table) {
  std::u16string out;
  if (table) out += char16_t{0x4840};
  for (std::size_t i = 0; i < name.size(); ++i) {
    const int a = mime_of(static_cast<unsigned char>(name[i]));
    if (a < 0) {
      out += static_cast<char16_t>(static_cast<unsigned char>(name[i]));
      continue;
    }
    const int b = i + 1 < name.size() ? mime_of(static_cast<unsigned char>(name[i + 1])) : -1;
    if (b < 0) {
      out += static_cast<char16_t>(0x4800 + a);
      continue;
    }
    out += static_cast<char16_t>(0x3800 + a + (b << 6));
    ++i;
  }
  return out;
}

VITTE_DECL std::string decode_stream_name(std::u16string_view name, bool& table) {
  table = !name.empty() && name[0] == 0x4840;
  if (table) name.remove_prefix(1);
  std::string out;
  for (const char16_t c : name) {
    if (c >= 0x3800 && c < 0x4800) {
      out += char_of_mime((c - 0x3800) & 0x3F);
      out += char_of_mime(((c - 0x3800) >> 6) & 0x3F);
    } else if (c >= 0x4800 && c < 0x4840) {
      out += char_of_mime(c - 0x4800);
    } else {
      vitte::detail::append_utf8(out, c);
    }
  }
  return out;
}

VITTE_DECL std::string upper_of(text_view s) {
  std::string out(s.data(), s.size());
  for (char& c : out) c = upper_ascii(c);
  return out;
}

VITTE_DECL bool windows_name_ok(text_view s) {
  if (s.empty() || s.size() > 255 || s.back() == '.' || s.back() == ' ') return false;
  for (const char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || text_view("\\/:*?\"<>|").find(c) != text_view::npos) return false;
  const std::string stem = upper_of(s.substr(0, s.find('.')));
  if (stem == "CON" || stem == "PRN" || stem == "AUX" || stem == "NUL") return false;
  if (stem.size() == 4 && (stem.starts_with("COM") || stem.starts_with("LPT")) && stem[3] >= '1' && stem[3] <= '9')
    return false;
  return vitte::detail::valid_utf8(std::string_view(s.data(), s.size()));
}

VITTE_DECL bool short_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         text_view("!#$%&'()-@^_`{}~").find(c) != text_view::npos;
}

VITTE_DECL bool is_short_name(text_view s) {
  const std::size_t dot = s.find('.');
  const text_view base = s.substr(0, dot), ext = dot == text_view::npos ? text_view() : s.substr(dot + 1);
  if (base.empty() || base.size() > 8 || ext.size() > 3 || (dot != text_view::npos && ext.empty())) return false;
  for (const char c : base)
    if (!short_char(c)) return false;
  for (const char c : ext)
    if (!short_char(c)) return false;
  return true;
}

// The short names of one directory's entries, each unique.
struct short_names {
  std::unordered_set<std::string> used;
  std::unordered_map<std::string, std::size_t> next;

  // "SHORT~1.EXT|long name", or the long name when it is a free 8.3 name.
  std::string field(text_view long_name) {
    if (is_short_name(long_name) && used.insert(upper_of(long_name)).second) return std::string(long_name);
    const std::size_t dot = long_name.rfind('.');
    const text_view stem_part = dot == text_view::npos || dot == 0 ? long_name : long_name.substr(0, dot);
    const text_view ext_part = dot == text_view::npos || dot == 0 ? text_view() : long_name.substr(dot + 1);
    std::string stem, ext;
    for (const char c : stem_part)
      if (short_char(c) && stem.size() < 8) stem += upper_ascii(c);
    for (const char c : ext_part)
      if (short_char(c) && ext.size() < 3) ext += upper_ascii(c);
    if (stem.empty()) stem = "_";
    std::size_t& n = next[stem + "." + ext];
    for (;;) {
      const std::string suffix = "~" + std::to_string(++n);
      std::string name = stem.substr(0, 8 - suffix.size()) + suffix;
      if (!ext.empty()) name += "." + ext;
      if (used.insert(name).second) return name + "|" + std::string(long_name);
    }
  }
};

VITTE_DECL bool guid_ok(text_view s) {
  if (s.size() != 38 || s[0] != '{' || s[37] != '}') return false;
  for (std::size_t i = 1; i < 37; ++i) {
    const bool dash = i == 9 || i == 14 || i == 19 || i == 24;
    if (dash ? s[i] != '-' : (vitte::detail::hex_value(s[i]) < 0 || (s[i] >= 'a' && s[i] <= 'f'))) return false;
  }
  return true;
}

VITTE_DECL std::string guid_of(std::initializer_list<text_view> parts) {
  crypto::sha256 h;
  for (const text_view p : parts) {
    h.update(p.data(), p.size());
    h.update("", 1);
  }
  std::array<std::uint8_t, 32> d = h.finish();
  d[6] = static_cast<std::uint8_t>((d[6] & 0x0F) | 0x80);
  d[8] = static_cast<std::uint8_t>((d[8] & 0x3F) | 0x80);
  std::string out = "{";
  for (std::size_t i = 0; i < 16; ++i) {
    char two[2];
    vitte::detail::hex_byte(d[i], two);
    out += upper_ascii(two[0]);
    out += upper_ascii(two[1]);
    if (i == 3 || i == 5 || i == 7 || i == 9) out += '-';
  }
  return out + "}";
}

}  // namespace msi
}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_MSI_NAMES_IPP
