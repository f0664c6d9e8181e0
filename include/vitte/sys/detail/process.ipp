// The backend switch of vitte/sys/process.hpp: the definitions of the
// process and pipe members of the policies for this OS. Included at the end
// of process.hpp in header-only mode, by src/vitte.cpp in compiled mode.
#ifndef VITTE_SYS_DETAIL_PROCESS_IPP
#define VITTE_SYS_DETAIL_PROCESS_IPP

#include <vitte/base/config.hpp>

#if VITTE_OS_POSIX
#include <vitte/sys/detail/posix/process.ipp>
#endif
#if VITTE_OS_LINUX
#include <vitte/sys/detail/linux/process.ipp>
#endif
#if VITTE_OS_WINDOWS
#include <vitte/sys/detail/win32/process.ipp>
#endif

#endif  // VITTE_SYS_DETAIL_PROCESS_IPP
