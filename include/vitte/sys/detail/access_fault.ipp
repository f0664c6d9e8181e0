// Backend switch for access faults as returns: the definitions of the
// target OS's policy members. vitte/sys/access_fault.hpp includes it at its
// end in header-only mode; src/vitte.cpp includes it in compiled mode.
#ifndef VITTE_SYS_DETAIL_ACCESS_FAULT_IPP
#define VITTE_SYS_DETAIL_ACCESS_FAULT_IPP

#include <vitte/base/config.hpp>

#if VITTE_OS_POSIX
#include <vitte/sys/detail/posix/access_fault.ipp>
#endif
#if VITTE_OS_WINDOWS
#include <vitte/sys/detail/win32/access_fault.ipp>
#endif

#endif  // VITTE_SYS_DETAIL_ACCESS_FAULT_IPP
