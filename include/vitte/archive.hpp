// vitte/archive.hpp - tar archives: a strict reader, a deterministic writer,
// packing a tree, and safe extraction.
#ifndef VITTE_ARCHIVE_HPP
#define VITTE_ARCHIVE_HPP

#include <vitte/archive/extract.hpp>     // extract, refusal, extract_limits
#include <vitte/archive/operations.hpp>  // archive::ops
#include <vitte/archive/pack.hpp>        // pack_tree
#include <vitte/archive/tar.hpp>         // tar_reader, tar_writer, list, entry

#endif  // VITTE_ARCHIVE_HPP
