// vitte/release/detail/msi_names.hpp - the names of a Windows Installer
// database: stream names as the compound file stores them (pairs of
// [0-9A-Za-z._] folded into one character of U+3800-U+47FF, table streams
// behind U+4840: msitools' encode_streamname) and back, names Windows can
// hold, 8.3 short names ("LONGFI~1.TXT|Long File Name.txt"), and GUIDs
// (checked, and derived from SHA-256 as name-based UUIDs).
#ifndef VITTE_RELEASE_DETAIL_MSI_NAMES_HPP
#define VITTE_RELEASE_DETAIL_MSI_NAMES_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/text_view.hpp>

#include <initializer_list>
#include <string>
#include <string_view>

namespace vitte::release::detail {
namespace msi {

// --- Stream names -----------------------------------------------------

VITTE_DECL int mime_of(char32_t c);
VITTE_DECL char char_of_mime(unsigned m);

// The stream name of a table (`table`: with the U+4840 prefix) or of a
// stream of the _Streams table, from an ASCII name.
VITTE_DECL std::u16string stream_name(text_view name, bool table);

// A stream name decoded: `table` says whether it had the table prefix.
VITTE_DECL std::string decode_stream_name(std::u16string_view name, bool& table);

// --- Names and codes --------------------------------------------------

inline char upper_ascii(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; }
VITTE_DECL std::string upper_of(text_view s);

// A file or folder name Windows can hold: no control character, none of
// \ / : * ? " < > |, not ending in a dot or space, not a device name.
VITTE_DECL bool windows_name_ok(text_view s);

VITTE_DECL bool short_char(char c);
// A valid 8.3 name: 1-8 characters, optionally a dot and 1-3 more.
VITTE_DECL bool is_short_name(text_view s);

// "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}", upper case.
VITTE_DECL bool guid_ok(text_view s);

// A name-based GUID: the first 16 bytes of the SHA-256 of the parts (each
// followed by a NUL), version 8 and the RFC 9562 variant, as MSI writes it.
VITTE_DECL std::string guid_of(std::initializer_list<text_view> parts);

}  // namespace msi

}  // namespace vitte::release::detail

#if VITTE_HEADER_ONLY
#include <vitte/release/detail/msi_names.ipp>
#endif

#endif  // VITTE_RELEASE_DETAIL_MSI_NAMES_HPP
