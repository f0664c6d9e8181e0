// The backend switch of the poller: includes the definitions of the
// policies' poller functions for this OS. vitte/sys/poller.hpp includes it
// in header-only mode; src/vitte.cpp in compiled mode.
#ifndef VITTE_SYS_DETAIL_POLLER_IPP
#define VITTE_SYS_DETAIL_POLLER_IPP

#include <vitte/base/config.hpp>

#if VITTE_OS_POSIX
#include <vitte/sys/detail/posix/poller.ipp>  // poll(2); kqueue on Darwin and the BSDs
#endif
#if VITTE_OS_LINUX
#include <vitte/sys/detail/linux/poller.ipp>  // epoll
#endif
#if VITTE_OS_WINDOWS
#include <vitte/sys/detail/win32/poller.ipp>  // WSAPoll
#endif

#endif  // VITTE_SYS_DETAIL_POLLER_IPP
