// UTF-8 <-> UTF-16 for every Windows backend: the one place that calls
// MultiByteToWideChar and WideCharToMultiByte (tests/helpers_once.py checks).
// Internal: includes <windows.h>; reached from .ipp files.
//
// The rule for invalid input, one per direction:
// - Into Windows (UTF-8 -> UTF-16) is strict. Paths, names, arguments and
//   variables come from the caller; text that is not valid UTF-8 (a stray
//   byte such as "\xff", an overlong form, a surrogate encoded as CESU-8
//   such as "\xed\xa0\x80") is refused, and the backend reports
//   errc::invalid_argument. Nothing is replaced: a replaced path names
//   another file.
// - Out of Windows (UTF-16 -> UTF-8) is lenient. Names read back, messages
//   and variables may hold unpaired surrogates (NTFS allows them in names);
//   each becomes U+FFFD, so a listing or a diagnostic still says something.
#ifndef VITTE_SYS_DETAIL_WIN32_UTF_HPP
#define VITTE_SYS_DETAIL_WIN32_UTF_HPP

#include <vitte/base/detail/win32/windows.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace vitte::sys::detail::win32_utf {

constexpr std::size_t max_units = 0x7FFF'FFFF;  // the APIs count in int

/// UTF-16 units of the UTF-8 text `s` (`n` bytes, no terminator needed), or
/// -1 when it is not valid UTF-8 (the strict rule) or too long.
inline std::ptrdiff_t utf16_length(const char* s, std::size_t n) noexcept {
  if (n == 0) return 0;
  if (n > max_units) return -1;
  int units = ::MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, static_cast<int>(n), nullptr, 0);
  return units > 0 ? units : -1;
}

/// Writes the UTF-16 of the valid UTF-8 `s` (`n` bytes) to `out`, which
/// holds `units` = utf16_length(s, n) units. No terminator is written.
inline void to_utf16(const char* s, std::size_t n, wchar_t* out, std::size_t units) noexcept {
  if (n == 0) return;
  ::MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, static_cast<int>(n), out, static_cast<int>(units));
}

/// UTF-8 bytes of `n` UTF-16 units at `w` (unpaired surrogates count as
/// U+FFFD, the lenient rule); 0 when `n` is 0 or too long.
inline std::size_t utf8_length(const wchar_t* w, std::size_t n) noexcept {
  if (n == 0 || n > max_units) return 0;
  int len = ::WideCharToMultiByte(CP_UTF8, 0, w, static_cast<int>(n), nullptr, 0, nullptr, nullptr);
  return len > 0 ? static_cast<std::size_t>(len) : 0;
}

/// Writes the UTF-8 of `n` units at `w` to `out`, which holds `bytes` =
/// utf8_length(w, n) bytes. No terminator is written.
inline void to_utf8(const wchar_t* w, std::size_t n, char* out, std::size_t bytes) noexcept {
  if (n == 0 || bytes == 0) return;
  ::WideCharToMultiByte(CP_UTF8, 0, w, static_cast<int>(n), out, static_cast<int>(bytes), nullptr, nullptr);
}

/// UTF-16 of `s` into `out`; false (and `out` empty) when `s` is not valid
/// UTF-8.
[[nodiscard]] inline bool widen(std::string_view s, std::wstring& out) {
  out.clear();
  std::ptrdiff_t n = utf16_length(s.data(), s.size());
  if (n < 0) return false;
  out.resize(static_cast<std::size_t>(n));
  to_utf16(s.data(), s.size(), out.data(), out.size());
  return true;
}

/// UTF-16 of the NUL-terminated `s` into `out` (NUL-terminated, at most
/// `size` units with the NUL); false when `s` is not valid UTF-8 or does not
/// fit. No allocation.
[[nodiscard]] inline bool widen_into(const char* s, wchar_t* out, std::size_t size) noexcept {
  std::size_t len = std::char_traits<char>::length(s);
  std::ptrdiff_t n = utf16_length(s, len);
  if (n < 0 || static_cast<std::size_t>(n) >= size) return false;
  to_utf16(s, len, out, static_cast<std::size_t>(n));
  out[n] = L'\0';
  return true;
}

/// UTF-8 of `n` UTF-16 units at `w`.
inline std::string narrow(const wchar_t* w, std::size_t n) {
  std::string out(utf8_length(w, n), '\0');
  to_utf8(w, n, out.data(), out.size());
  return out;
}

/// Writes the UTF-8 of `n` units at `w` into buf (NUL-terminated) when it
/// fits in `size` bytes; returns the UTF-8 length either way. No allocation.
inline std::size_t narrow_into(const wchar_t* w, std::size_t n, char* buf, std::size_t size) noexcept {
  std::size_t need = utf8_length(w, n);
  if (need < size) {
    to_utf8(w, n, buf, need);
    buf[need] = '\0';
  } else if (size > 0) {
    buf[0] = '\0';
  }
  return need;
}

}  // namespace vitte::sys::detail::win32_utf

#endif  // VITTE_SYS_DETAIL_WIN32_UTF_HPP
