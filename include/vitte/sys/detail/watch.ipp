// Backend switch for change watching: the definitions of the target OS's
// watch members. vitte/sys/watch.hpp includes it at its end in header-only
// mode; src/vitte.cpp includes it in compiled mode. Each per-OS file
// includes its policy header and guards itself. On POSIX and Linux the
// watcher (kqueue hints, inotify) is still defined in their fs.ipp.
#ifndef VITTE_SYS_DETAIL_WATCH_IPP
#define VITTE_SYS_DETAIL_WATCH_IPP

#include <vitte/config.hpp>

#if VITTE_OS_WINDOWS
#include <vitte/sys/detail/win32/watch.ipp>  // ReadDirectoryChangesW
#endif

#endif  // VITTE_SYS_DETAIL_WATCH_IPP
