// compress.cpp - compiled mode: the non-template bodies of vitte/compress (DEFLATE, zlib, gzip, CRC),
// compiled once. Part of libvitte with src/vitte.cpp; see there.
#ifndef VITTE_SEPARATE_COMPILATION
#error "vitte: compile src/compress.cpp with -DVITTE_SEPARATE_COMPILATION"
#endif

#include <vitte/base/config.hpp>
#include <vitte/compress/impl/checksum.ipp>  // crc32, adler32 and the CRC tables
#include <vitte/compress/impl/deflate.ipp>   // DEFLATE encoding: code lengths, the deflater, deflate()
#include <vitte/compress/impl/inflate.ipp>   // DEFLATE decoding: Huffman tables, the inflater, inflate()
#include <vitte/compress/impl/stream.ipp>    // compressor, decompressor
#include <vitte/compress/impl/wrappers.ipp>  // zlib and gzip framing: zlib_*, gzip_*
