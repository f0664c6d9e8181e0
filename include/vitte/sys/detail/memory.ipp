// Backend switch for virtual and shared memory: the definitions of the
// target OS's policy members. Public headers include it at their end in
// header-only mode; src/vitte.cpp includes it in compiled mode. Each
// per-OS file includes its policy header and guards itself.
#ifndef VITTE_SYS_DETAIL_MEMORY_IPP
#define VITTE_SYS_DETAIL_MEMORY_IPP

#include <vitte/base/config.hpp>

#if VITTE_OS_POSIX
#include <vitte/sys/detail/posix/memory.ipp>
#endif
#if VITTE_OS_LINUX
#include <vitte/sys/detail/linux/memory.ipp>
#endif
#if VITTE_OS_WINDOWS
#include <vitte/sys/detail/win32/memory.ipp>
#endif

#endif  // VITTE_SYS_DETAIL_MEMORY_IPP
