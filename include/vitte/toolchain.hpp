// vitte/toolchain.hpp - the build kit's toolchains: compilers and linkers
// found for a target triple, tool identity, link lines for every object
// format, running what was built, and Meson cross files.
//
// Namespace vitte::toolchain; it uses vitte/cache.hpp for cache keys.
#ifndef VITTE_TOOLCHAIN_HPP
#define VITTE_TOOLCHAIN_HPP

#include <vitte/toolchain/bindgen.hpp>           // C headers read, bindings written
#include <vitte/toolchain/compile_commands.hpp>  // compile_commands.json
#include <vitte/toolchain/jobserver.hpp>         // GNU make's jobserver, as a client
#include <vitte/toolchain/link.hpp>              // linkers: ELF, MinGW, COFF, Mach-O, wasm, cc
#include <vitte/toolchain/meson_cross.hpp>       // meson_cross_file
#include <vitte/toolchain/ninja_build.hpp>       // build.ninja run as ninja runs it
#include <vitte/toolchain/ninja_manifest.hpp>    // build.ninja read as ninja reads it
#include <vitte/toolchain/operations.hpp>        // toolchain::ops, the layer's error operations
#include <vitte/toolchain/run.hpp>               // running programs, captured and logged
#include <vitte/toolchain/schedule.hpp>          // a build's steps in parallel
#include <vitte/toolchain/tool.hpp>              // tool identity for cache keys
#include <vitte/toolchain/toolchain.hpp>         // find_toolchain for a triple

#endif  // VITTE_TOOLCHAIN_HPP
