// log.cpp - compiled mode: the non-template bodies of vitte/log (records, sinks, formats),
// compiled once. Part of libvitte with src/vitte.cpp; see there.
#ifndef VITTE_SEPARATE_COMPILATION
#error "vitte: compile src/log.cpp with -DVITTE_SEPARATE_COMPILATION"
#endif

#include <vitte/base/config.hpp>
#include <vitte/log/impl/format.ipp>  // line growth, escaping, timestamps, the text and JSON line formats
