// vitte.cpp - compiled mode: every non-template definition, compiled once.
//
// Build this file with -DVITTE_SEPARATE_COMPILATION and give the same macro
// to every file that includes vitte (Meson: dependency vitte_compiled_dep).
// Public headers then include no OS header and no .ipp file.
#ifndef VITTE_SEPARATE_COMPILATION
#error "vitte: compile src/vitte.cpp with -DVITTE_SEPARATE_COMPILATION"
#endif

#include <vitte/base/config.hpp>
#include <vitte/base/detail/error.ipp>
#include <vitte/base/detail/result.ipp>

// One backend switch per facility (vitte/sys/detail/<facility>.ipp): each
// includes the POSIX, Linux, Darwin, BSD or Windows definitions it needs.
#include <vitte/sys/detail/access_fault.ipp>  // guard-page faults as returns
#include <vitte/sys/detail/devices.ipp>       // serial ports, terminals, pseudo-terminals
#include <vitte/sys/detail/dynlib.ipp>
#include <vitte/sys/detail/environment.ipp>  // environment variables, host information
#include <vitte/sys/detail/fs.ipp>
#include <vitte/sys/detail/memory.ipp>
#include <vitte/sys/detail/net.ipp>
#include <vitte/sys/detail/platform.ipp>  // errors, clocks, sleep, system info
#include <vitte/sys/detail/poller.ipp>
#include <vitte/sys/detail/process.ipp>
#include <vitte/sys/detail/random.ipp>
#include <vitte/sys/detail/sandbox.ipp>  // namespaces, Landlock, seccomp, rlimits; job objects
#include <vitte/sys/detail/signal.ipp>
#include <vitte/sys/detail/terminal.ipp>
#include <vitte/sys/detail/thread.ipp>

// Crypto: CPU feature detection (cpuid, getauxval).
#include <vitte/crypto/detail/cpu.ipp>

// Loader: what in-memory ELF images ask of the OS (dlsym, getauxval, the unwinder).
#include <vitte/loader/elf_image/detail/image_os.ipp>
