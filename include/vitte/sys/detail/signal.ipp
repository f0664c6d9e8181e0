// The backend switch of vitte/sys/signal.hpp: the definitions of the
// signal members of the policies for this OS. Included at the end
// of signal.hpp in header-only mode, by src/vitte.cpp in compiled mode.
#ifndef VITTE_SYS_DETAIL_SIGNAL_IPP
#define VITTE_SYS_DETAIL_SIGNAL_IPP

#include <vitte/base/config.hpp>

#if VITTE_OS_POSIX
#include <vitte/sys/detail/posix/signal.ipp>
#endif
#if VITTE_OS_LINUX
#include <vitte/sys/detail/linux/signal.ipp>
#endif
#if VITTE_OS_WINDOWS
#include <vitte/sys/detail/win32/signal.ipp>
#endif

#endif  // VITTE_SYS_DETAIL_SIGNAL_IPP
