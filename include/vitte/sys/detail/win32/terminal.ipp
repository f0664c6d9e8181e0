// Definitions of win32_platform's terminal functions (see the terminal
// block of vitte/sys/policy/win32.hpp).
#ifndef VITTE_SYS_DETAIL_WIN32_TERMINAL_IPP
#define VITTE_SYS_DETAIL_WIN32_TERMINAL_IPP

#include <vitte/base/detail/win32/windows.hpp>
#include <vitte/sys/policy/win32.hpp>

namespace vitte::sys {

VITTE_DECL native_handle os_platform_base::standard_handle(int which) noexcept {
  const DWORD id = which == 0 ? STD_INPUT_HANDLE : which == 1 ? STD_OUTPUT_HANDLE : STD_ERROR_HANDLE;
  if (which < 0 || which > 2) return invalid_handle;
  HANDLE h = ::GetStdHandle(id);
  return h == nullptr || h == INVALID_HANDLE_VALUE ? invalid_handle : reinterpret_cast<native_handle>(h);
}

VITTE_DECL bool os_platform_base::is_terminal(native_handle h) noexcept {
  DWORD mode = 0;
  return h != invalid_handle && ::GetConsoleMode(reinterpret_cast<HANDLE>(h), &mode) != 0;
}

VITTE_DECL bool os_platform_base::enable_terminal_colors(native_handle h) noexcept {
  constexpr DWORD virtual_terminal_processing = 0x0004;  // ENABLE_VIRTUAL_TERMINAL_PROCESSING
  DWORD mode = 0;
  if (h == invalid_handle || ::GetConsoleMode(reinterpret_cast<HANDLE>(h), &mode) == 0) return false;
  if ((mode & virtual_terminal_processing) != 0) return true;
  return ::SetConsoleMode(reinterpret_cast<HANDLE>(h), mode | virtual_terminal_processing) != 0;
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_WIN32_TERMINAL_IPP
