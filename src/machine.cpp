// machine.cpp - compiled mode: the non-template bodies of vitte/machine (target triples and what they mean),
// compiled once. Part of libvitte with src/vitte.cpp; see there.
#ifndef VITTE_SEPARATE_COMPILATION
#error "vitte: compile src/machine.cpp with -DVITTE_SEPARATE_COMPILATION"
#endif

#include <vitte/base/config.hpp>
#include <vitte/machine/impl/triple.ipp>  // triples: LLVM's tables, normalize, parse, resolve, host_triple
