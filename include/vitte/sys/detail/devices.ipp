// The backend switch of serial ports, terminals and pseudo-terminals
// (vitte/sys/serial.hpp, pseudo_terminal.hpp, terminal_mode.hpp): the
// definitions of os_devices for this OS. Included at the end of those
// headers in header-only mode, by src/vitte.cpp in compiled mode.
// Freestanding builds define their board's devices inline
// (policy/board_devices.hpp).
#ifndef VITTE_SYS_DETAIL_DEVICES_IPP
#define VITTE_SYS_DETAIL_DEVICES_IPP

#include <vitte/base/config.hpp>

#if VITTE_OS_POSIX && VITTE_POLICY != VITTE_POLICY_FREESTANDING
#include <vitte/sys/detail/posix/pseudo_terminal.ipp>
#include <vitte/sys/detail/posix/serial.ipp>
#include <vitte/sys/detail/posix/terminal_mode.ipp>
#endif
#if VITTE_OS_WINDOWS && VITTE_POLICY != VITTE_POLICY_FREESTANDING
#include <vitte/sys/detail/win32/console_mode.ipp>
#include <vitte/sys/detail/win32/pseudo_console.ipp>
#include <vitte/sys/detail/win32/serial.ipp>
#endif

#endif  // VITTE_SYS_DETAIL_DEVICES_IPP
