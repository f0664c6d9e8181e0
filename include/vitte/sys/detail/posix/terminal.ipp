// Definitions of posix_platform's terminal functions (see the terminal
// block of vitte/sys/policy/posix.hpp).
#ifndef VITTE_SYS_DETAIL_POSIX_TERMINAL_IPP
#define VITTE_SYS_DETAIL_POSIX_TERMINAL_IPP

#include <vitte/sys/policy/posix.hpp>

#include <unistd.h>  // isatty

namespace vitte::sys {

VITTE_DECL native_handle os_platform_base::standard_handle(int which) noexcept {
  return which >= 0 && which <= 2 ? static_cast<native_handle>(which) : invalid_handle;
}

VITTE_DECL bool os_platform_base::is_terminal(native_handle h) noexcept {
  return h != invalid_handle && ::isatty(static_cast<int>(h)) == 1;
}

// A terminal interprets ANSI sequences itself: true when h is one.
VITTE_DECL bool os_platform_base::enable_terminal_colors(native_handle h) noexcept { return is_terminal(h); }

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_POSIX_TERMINAL_IPP
