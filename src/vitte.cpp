// vitte.cpp - compiled mode: every non-template definition of base and sys,
// compiled once; src/<layer>.cpp does the same for each other layer.
//
// Build the files of src/ with -DVITTE_SEPARATE_COMPILATION into one
// library (libvitte) and give the same macro to every file that includes
// vitte (Meson: dependency vitte_compiled_dep; CMake: vitte::compiled).
// Public headers then include no OS header and no .ipp file.
#ifndef VITTE_SEPARATE_COMPILATION
#error "vitte: compile src/vitte.cpp with -DVITTE_SEPARATE_COMPILATION"
#endif

#include <vitte/base/config.hpp>
#include <vitte/base/detail/base64.ipp>           // base64 (RFC 4648)
#include <vitte/base/detail/cpu.ipp>              // what the CPU has (cpuid, getauxval)
#include <vitte/base/detail/diagnostic_list.ipp>  // vitte::diagnostic_list
#include <vitte/base/detail/error.ipp>            // error::message(), native error texts
#include <vitte/base/detail/error_code.ipp>       // the std::error_code bridge (<system_error>)
#include <vitte/base/detail/hash.ipp>             // the content hash
#include <vitte/base/detail/json_reader.ipp>      // the JSON reader and string escaper
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

// Bodies of sys that need no OS.
#include <vitte/sys/detail/net_types.ipp>   // parsing and printing addresses
#include <vitte/sys/detail/timer_heap.ipp>  // the poller's timers
