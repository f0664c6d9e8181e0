// Backend switch for files and directories: the definitions of the
// target OS's policy members. Public headers include it at their end in
// header-only mode; src/vitte.cpp includes it in compiled mode. Each
// per-OS file includes its policy header and guards itself.
#ifndef VITTE_SYS_DETAIL_FS_IPP
#define VITTE_SYS_DETAIL_FS_IPP

#include <vitte/base/config.hpp>

#if VITTE_OS_POSIX
#include <vitte/sys/detail/posix/fs.ipp>
#endif
#if VITTE_OS_LINUX
#include <vitte/sys/detail/linux/fs.ipp>
#endif
#if VITTE_OS_WINDOWS
#include <vitte/sys/detail/win32/fs.ipp>
#endif

#endif  // VITTE_SYS_DETAIL_FS_IPP
