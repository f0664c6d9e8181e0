// The one place vitte includes <windows.h>, with its macro noise turned down.
#ifndef VITTE_BASE_DETAIL_WIN32_WINDOWS_HPP
#define VITTE_BASE_DETAIL_WIN32_WINDOWS_HPP

#include <vitte/base/config.hpp>
#if !VITTE_OS_WINDOWS
#error "vitte: base/detail/win32/windows.hpp is for Windows targets"
#endif

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>

namespace vitte::detail::win32 {
// Win32 codes some SDKs (MinGW-w64) do not define.
constexpr int error_directory_not_supported = 336;  // ERROR_DIRECTORY_NOT_SUPPORTED
constexpr int error_elevation_required = 740;       // ERROR_ELEVATION_REQUIRED
constexpr int error_disk_quota_exceeded = 1295;     // ERROR_DISK_QUOTA_EXCEEDED
}  // namespace vitte::detail::win32

#endif  // VITTE_BASE_DETAIL_WIN32_WINDOWS_HPP
