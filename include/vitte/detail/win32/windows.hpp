// The one place vitte includes <windows.h>, with its macro noise turned down.
#ifndef VITTE_DETAIL_WIN32_WINDOWS_HPP
#define VITTE_DETAIL_WIN32_WINDOWS_HPP

#include <vitte/config.hpp>
#if !VITTE_OS_WINDOWS
#error "vitte: detail/win32/windows.hpp is for Windows targets"
#endif

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>

#endif  // VITTE_DETAIL_WIN32_WINDOWS_HPP
