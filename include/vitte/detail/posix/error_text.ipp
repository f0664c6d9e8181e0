// POSIX backend of detail::native_error_text (strerror_r, thread-safe).
#ifndef VITTE_DETAIL_POSIX_ERROR_TEXT_IPP
#define VITTE_DETAIL_POSIX_ERROR_TEXT_IPP

#include <vitte/config.hpp>
#if !VITTE_OS_POSIX
#error "vitte: detail/posix/error_text.ipp is the POSIX backend"
#endif

#include <string.h>  // strerror_r

namespace vitte::detail {

// glibc's strerror_r returns char* (GNU) or int (XSI) depending on feature
// macros; these two overloads accept either without testing the macros.
inline const char* strerror_result(int rc, const char* buf) noexcept { return rc == 0 ? buf : ""; }
inline const char* strerror_result(const char* p, const char*) noexcept { return p != nullptr ? p : ""; }

VITTE_DECL std::size_t native_error_text(error_domain domain, std::int32_t code, char* buf, std::size_t n) noexcept {
  if (n == 0) return 0;
  buf[0] = '\0';
  if (domain != error_domain::posix) return 0;
  char tmp[128];
  tmp[0] = '\0';
  const char* text = strerror_result(::strerror_r(code, tmp, sizeof tmp), tmp);
  std::size_t len = 0;
  while (text[len] != '\0' && len + 1 < n) {
    buf[len] = text[len];
    ++len;
  }
  buf[len] = '\0';
  return len;
}

}  // namespace vitte::detail

#endif  // VITTE_DETAIL_POSIX_ERROR_TEXT_IPP
