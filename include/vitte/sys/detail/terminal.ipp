// Backend switch for terminals: the definitions of the target OS's
// standard_handle, is_terminal and enable_terminal_colors. Public headers
// include it at their end in header-only mode; src/vitte.cpp includes it in
// compiled mode.
#ifndef VITTE_SYS_DETAIL_TERMINAL_IPP
#define VITTE_SYS_DETAIL_TERMINAL_IPP

#include <vitte/base/config.hpp>

#if VITTE_OS_POSIX
#include <vitte/sys/detail/posix/terminal.ipp>
#endif
#if VITTE_OS_WINDOWS
#include <vitte/sys/detail/win32/terminal.ipp>
#endif

#endif  // VITTE_SYS_DETAIL_TERMINAL_IPP
