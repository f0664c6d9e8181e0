// The backend switch of vitte/sys/environment.hpp and vitte/sys/info.hpp: the definitions of the
// environment members of the policies for this OS. Included at the end
// of environment.hpp in header-only mode, by src/vitte.cpp in compiled mode.
#ifndef VITTE_SYS_DETAIL_ENVIRONMENT_IPP
#define VITTE_SYS_DETAIL_ENVIRONMENT_IPP

#include <vitte/base/config.hpp>

#if VITTE_OS_POSIX
#include <vitte/sys/detail/posix/environment.ipp>
#endif
#if VITTE_OS_WINDOWS
#include <vitte/sys/detail/win32/environment.ipp>
#endif

#endif  // VITTE_SYS_DETAIL_ENVIRONMENT_IPP
