// archive.cpp - compiled mode: the non-template bodies of vitte/archive (tar, zip and their readers and writers),
// compiled once. Part of libvitte with src/vitte.cpp; see there.
#ifndef VITTE_SEPARATE_COMPILATION
#error "vitte: compile src/archive.cpp with -DVITTE_SEPARATE_COMPILATION"
#endif

#include <vitte/archive/impl/extract.ipp>     // extract(): name and link rules, extract() from memory
#include <vitte/archive/impl/pack.ipp>        // pack_tree, add_tree
#include <vitte/archive/impl/tar_reader.ipp>  // the reader: header fields, escaped names, tar_reader, list
#include <vitte/archive/impl/tar_writer.ipp>  // the deterministic writer, write_options
#include <vitte/base/config.hpp>
