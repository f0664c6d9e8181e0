// The backend switch of sockets: includes the definitions of the policies'
// socket functions for this OS. vitte/sys/net.hpp includes it in
// header-only mode; src/vitte.cpp in compiled mode.
#ifndef VITTE_SYS_DETAIL_NET_IPP
#define VITTE_SYS_DETAIL_NET_IPP

#include <vitte/base/config.hpp>

#if VITTE_OS_POSIX
#include <vitte/sys/detail/posix/net.ipp>  // BSD sockets, getaddrinfo
#endif
#if VITTE_OS_LINUX
#include <vitte/sys/detail/linux/net.ipp>  // SOCK_CLOEXEC, accept4
#endif
#if VITTE_OS_WINDOWS
#include <vitte/sys/detail/win32/net.ipp>  // Winsock 2
#endif

#endif  // VITTE_SYS_DETAIL_NET_IPP
