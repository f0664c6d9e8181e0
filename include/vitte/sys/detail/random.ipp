// Backend switch for random bytes: the definitions of the target OS's
// random_fill. Public headers include it at their end in header-only mode;
// src/vitte.cpp includes it in compiled mode.
#ifndef VITTE_SYS_DETAIL_RANDOM_IPP
#define VITTE_SYS_DETAIL_RANDOM_IPP

#include <vitte/base/config.hpp>

#if VITTE_OS_POSIX
#include <vitte/sys/detail/posix/random.ipp>
#endif
#if VITTE_OS_LINUX
#include <vitte/sys/detail/linux/random.ipp>
#endif
#if VITTE_OS_WINDOWS
#include <vitte/sys/detail/win32/random.ipp>
#endif

#endif  // VITTE_SYS_DETAIL_RANDOM_IPP
