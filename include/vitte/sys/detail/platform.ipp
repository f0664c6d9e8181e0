// Backend switch for the core of each policy (errors, clocks, sleep, system
// information): the definitions of the target OS's policy members. Policy
// headers include their own part in header-only mode; src/vitte.cpp
// includes this switch in compiled mode.
#ifndef VITTE_SYS_DETAIL_PLATFORM_IPP
#define VITTE_SYS_DETAIL_PLATFORM_IPP

#include <vitte/base/config.hpp>

#if VITTE_OS_POSIX
#include <vitte/sys/detail/posix/platform.ipp>
#endif
#if VITTE_OS_LINUX
#include <vitte/sys/detail/linux/platform.ipp>
#endif
#if VITTE_OS_DARWIN
#include <vitte/sys/detail/darwin/platform.ipp>
#endif
#if VITTE_OS_BSD
#include <vitte/sys/detail/bsd/platform.ipp>
#endif
#if VITTE_OS_WINDOWS
#include <vitte/sys/detail/win32/platform.ipp>
#endif

#endif  // VITTE_SYS_DETAIL_PLATFORM_IPP
