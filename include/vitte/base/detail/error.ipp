// Native errors: picks the OS family's file (text and classification).
#ifndef VITTE_BASE_DETAIL_ERROR_IPP
#define VITTE_BASE_DETAIL_ERROR_IPP

#include <vitte/base/error.hpp>

#if VITTE_OS_POSIX
#include <vitte/base/detail/posix/native_error.ipp>
#elif VITTE_OS_WINDOWS
#include <vitte/base/detail/win32/native_error.ipp>
#else
namespace vitte::detail {
VITTE_DECL std::size_t native_error_text(error_domain, std::int32_t, char* buf, std::size_t n) noexcept {
  if (n != 0) buf[0] = '\0';
  return 0;  // bare metal: there is no OS to describe its codes
}
VITTE_DECL errc classify_native(std::int32_t c) noexcept { return c == 0 ? errc::ok : errc::unknown; }
}  // namespace vitte::detail
#endif

#endif  // VITTE_BASE_DETAIL_ERROR_IPP
