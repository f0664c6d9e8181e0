// vitte/compress/operations.hpp - the operations of vitte/compress, as
// errors name them.
#ifndef VITTE_COMPRESS_OPERATIONS_HPP
#define VITTE_COMPRESS_OPERATIONS_HPP

#include <vitte/base/operation.hpp>

// clang-format off
#define VITTE_COMPRESS_OPERATIONS(X) \
  X(inflate) \
  X(deflate) \
  X(zlib_decode) \
  X(gzip_decode)
// clang-format on

namespace vitte::compress {
/// The operations vitte/compress reports in errors.
VITTE_OPERATIONS(ops, ::vitte::facility::compress, "compress", VITTE_COMPRESS_OPERATIONS);
}  // namespace vitte::compress

#endif  // VITTE_COMPRESS_OPERATIONS_HPP
