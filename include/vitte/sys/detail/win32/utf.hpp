// UTF-8 <-> UTF-16 for the Windows backends of processes, libraries and
// the environment. Internal: includes <windows.h>; reached from .ipp files.
#ifndef VITTE_SYS_DETAIL_WIN32_UTF_HPP
#define VITTE_SYS_DETAIL_WIN32_UTF_HPP

#include <vitte/detail/win32/windows.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace vitte::sys::detail::win32_utf {

/// UTF-16 of `s` (invalid UTF-8 becomes U+FFFD).
inline std::wstring widen(std::string_view s) {
  std::wstring out;
  if (s.empty()) return out;
  int n = ::MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), nullptr, 0);
  if (n <= 0) return out;
  out.resize(static_cast<std::size_t>(n));
  ::MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), out.data(), n);
  return out;
}

/// UTF-8 of `n` UTF-16 units at `w`.
inline std::string narrow(const wchar_t* w, std::size_t n) {
  std::string out;
  if (n == 0) return out;
  int len = ::WideCharToMultiByte(CP_UTF8, 0, w, static_cast<int>(n), nullptr, 0, nullptr, nullptr);
  if (len <= 0) return out;
  out.resize(static_cast<std::size_t>(len));
  ::WideCharToMultiByte(CP_UTF8, 0, w, static_cast<int>(n), out.data(), len, nullptr, nullptr);
  return out;
}

/// Writes the UTF-8 of `n` units at `w` into buf (NUL-terminated) when it
/// fits in `size` bytes; returns the UTF-8 length either way. No allocation.
inline std::size_t narrow_into(const wchar_t* w, std::size_t n, char* buf, std::size_t size) noexcept {
  if (n == 0) {
    if (size > 0) buf[0] = '\0';
    return 0;
  }
  int len = ::WideCharToMultiByte(CP_UTF8, 0, w, static_cast<int>(n), nullptr, 0, nullptr, nullptr);
  if (len <= 0) return 0;
  std::size_t need = static_cast<std::size_t>(len);
  if (need < size) {
    ::WideCharToMultiByte(CP_UTF8, 0, w, static_cast<int>(n), buf, len, nullptr, nullptr);
    buf[need] = '\0';
  } else if (size > 0) {
    buf[0] = '\0';
  }
  return need;
}

}  // namespace vitte::sys::detail::win32_utf

#endif  // VITTE_SYS_DETAIL_WIN32_UTF_HPP
