// vitte.cpp - compiled mode: every non-template definition, compiled once.
//
// Build this file with -DVITTE_SEPARATE_COMPILATION and give the same macro
// to every file that includes vitte (Meson: dependency vitte_compiled_dep).
// Public headers then include no OS header and no .ipp file.
#ifndef VITTE_SEPARATE_COMPILATION
#error "vitte: compile src/vitte.cpp with -DVITTE_SEPARATE_COMPILATION"
#endif

#include <vitte/config.hpp>

#include <vitte/detail/error.ipp>
#include <vitte/detail/result.ipp>

// One block per OS: the POSIX family shares the posix backends, Linux,
// Darwin and the BSDs add their deltas, Windows has its own.
#if VITTE_OS_POSIX
#include <vitte/sys/detail/posix/fs.ipp>
#include <vitte/sys/detail/posix/memory.ipp>
#include <vitte/sys/detail/posix/platform.ipp>
#include <vitte/sys/detail/posix/thread.ipp>
#endif
#if VITTE_OS_LINUX
#include <vitte/sys/detail/linux/fs.ipp>
#include <vitte/sys/detail/linux/memory.ipp>
#include <vitte/sys/detail/linux/platform.ipp>
#include <vitte/sys/detail/linux/thread.ipp>
#endif
#if VITTE_OS_DARWIN
#include <vitte/sys/detail/darwin/platform.ipp>
#endif
#if VITTE_OS_BSD
#include <vitte/sys/detail/bsd/platform.ipp>
#endif
#if VITTE_OS_WINDOWS
#include <vitte/sys/detail/win32/fs.ipp>
#include <vitte/sys/detail/win32/memory.ipp>
#include <vitte/sys/detail/win32/platform.ipp>
#include <vitte/sys/detail/win32/thread.ipp>
#endif
