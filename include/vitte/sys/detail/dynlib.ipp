// The backend switch of vitte/sys/dynlib.hpp: the definitions of the
// dynlib members of the policies for this OS. Included at the end
// of dynlib.hpp in header-only mode, by src/vitte.cpp in compiled mode.
#ifndef VITTE_SYS_DETAIL_DYNLIB_IPP
#define VITTE_SYS_DETAIL_DYNLIB_IPP

#include <vitte/base/config.hpp>

#if VITTE_OS_POSIX
#include <vitte/sys/detail/posix/dynlib.ipp>
#endif
#if VITTE_OS_WINDOWS
#include <vitte/sys/detail/win32/dynlib.ipp>
#endif

#endif  // VITTE_SYS_DETAIL_DYNLIB_IPP
