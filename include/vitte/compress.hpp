// vitte/compress.hpp - compression: DEFLATE with its zlib and gzip
// framings, and their checksums. Freestanding (no OS call).
#ifndef VITTE_COMPRESS_HPP
#define VITTE_COMPRESS_HPP

#include <vitte/compress/checksum.hpp>    // crc32, adler32
#include <vitte/compress/deflate.hpp>     // deflate, inflate, zlib_*, gzip_*
#include <vitte/compress/operations.hpp>  // compress::ops
#include <vitte/compress/stream.hpp>      // compressor, decompressor

#endif  // VITTE_COMPRESS_HPP
