// The one GetLastError-to-error conversion of the Windows backends. Every
// sys/detail/win32 file includes this, never copies it.
#ifndef VITTE_SYS_DETAIL_WIN32_LAST_ERROR_HPP
#define VITTE_SYS_DETAIL_WIN32_LAST_ERROR_HPP

#include <vitte/base/detail/win32/windows.hpp>
#include <vitte/base/error.hpp>
#include <vitte/sys/policy/win32.hpp>

namespace vitte::sys::detail {

// The error `op` reports for Windows error `code` (GetLastError() by default).
inline error last_error(operation op, DWORD code = ::GetLastError()) noexcept {
  int native = static_cast<int>(code);
  return error{win32_platform::classify(native), op, native, error_domain::win32};
}

}  // namespace vitte::sys::detail

#endif  // VITTE_SYS_DETAIL_WIN32_LAST_ERROR_HPP
