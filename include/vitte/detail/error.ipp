// Native error text: picks the OS backend for detail::native_error_text.
#ifndef VITTE_DETAIL_ERROR_IPP
#define VITTE_DETAIL_ERROR_IPP

#include <vitte/error.hpp>

#if VITTE_OS_POSIX
#include <vitte/detail/posix/error_text.ipp>
#elif VITTE_OS_WINDOWS
#include <vitte/detail/win32/error_text.ipp>
#else
namespace vitte::detail {
VITTE_DECL std::size_t native_error_text(error_domain, std::int32_t, char* buf, std::size_t n) noexcept {
  if (n != 0) buf[0] = '\0';
  return 0;  // bare metal: there is no OS to describe its codes
}
}  // namespace vitte::detail
#endif

#endif  // VITTE_DETAIL_ERROR_IPP
