// Win32 backend of detail::native_error_text (FormatMessageA into a buffer).
#ifndef VITTE_DETAIL_WIN32_ERROR_TEXT_IPP
#define VITTE_DETAIL_WIN32_ERROR_TEXT_IPP

#include <vitte/config.hpp>
#if !VITTE_OS_WINDOWS
#error "vitte: detail/win32/error_text.ipp is the Windows backend"
#endif

#include <vitte/detail/win32/windows.hpp>

#include <string.h>  // strerror_s for CRT errno values

namespace vitte::detail {

VITTE_DECL std::size_t native_error_text(error_domain domain, std::int32_t code, char* buf, std::size_t n) noexcept {
  if (n == 0) return 0;
  buf[0] = '\0';
  if (domain == error_domain::posix) {
    if (::strerror_s(buf, n, code) != 0) buf[0] = '\0';
    return ::strlen(buf);
  }
  if (domain != error_domain::win32) return 0;
  DWORD len = ::FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr,
                               static_cast<DWORD>(code), 0, buf, static_cast<DWORD>(n), nullptr);
  // Windows ends its messages with ".\r\n"; messages here are one line.
  while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' ' || buf[len - 1] == '.')) --len;
  buf[len] = '\0';
  return len;
}

}  // namespace vitte::detail

#endif  // VITTE_DETAIL_WIN32_ERROR_TEXT_IPP
