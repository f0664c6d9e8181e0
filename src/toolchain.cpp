// toolchain.cpp - compiled mode: the non-template bodies of vitte/toolchain (compilers, steps, the schedule, distcc),
// compiled once. Part of libvitte with src/vitte.cpp; see there.
#ifndef VITTE_SEPARATE_COMPILATION
#error "vitte: compile src/toolchain.cpp with -DVITTE_SEPARATE_COMPILATION"
#endif

#include <vitte/base/config.hpp>
#include <vitte/toolchain/detail/cacheable_compile.ipp>  // the commands the shared cache may answer
#include <vitte/toolchain/detail/distcc_args.ipp>        // a compile's arguments split as distcc splits them
#include <vitte/toolchain/impl/bindgen.ipp>              // C headers read, bindings written
#include <vitte/toolchain/impl/build_events.ipp>         // the events file, the summary, event_log
#include <vitte/toolchain/impl/build_trace.ipp>          // Chrome trace, .ninja_log, critical path, the monitor's JSON
#include <vitte/toolchain/impl/compile_commands.ipp>     // compile_commands.json, shell-style command lines
#include <vitte/toolchain/impl/distcc.ipp>               // DISTCC_HOSTS, whole objects, a server's text shown
#include <vitte/toolchain/impl/hermetic.ipp>             // refused_files
#include <vitte/toolchain/impl/jobserver.ipp>            // MAKEFLAGS' jobserver descriptors, its notes
#include <vitte/toolchain/impl/link.ipp>                 // link lines and response files per linker flavour
#include <vitte/toolchain/impl/meson_cross.ipp>          // Meson cross files
#include <vitte/toolchain/impl/ninja_build.ipp>          // build.ninja run as ninja runs it
#include <vitte/toolchain/impl/ninja_manifest.ipp>       // build.ninja as ninja reads it
#include <vitte/toolchain/impl/schedule.ipp>             // schedule::add_work
#include <vitte/toolchain/impl/tool.ipp>                 // command_key's paths under a base directory
#include <vitte/toolchain/impl/toolchain.ipp>            // list_compilers, find_toolchain
