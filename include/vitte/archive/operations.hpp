// vitte/archive/operations.hpp - the operations of vitte/archive, as errors
// name them.
#ifndef VITTE_ARCHIVE_OPERATIONS_HPP
#define VITTE_ARCHIVE_OPERATIONS_HPP

#include <vitte/base/operation.hpp>

// clang-format off
#define VITTE_ARCHIVE_OPERATIONS(X) \
  X(tar_read) \
  X(tar_write) \
  X(tar_pack) \
  X(tar_extract)
// clang-format on

namespace vitte::archive {
/// The operations vitte/archive reports in errors.
VITTE_OPERATIONS(ops, ::vitte::facility::archive, "archive", VITTE_ARCHIVE_OPERATIONS);
}  // namespace vitte::archive

#endif  // VITTE_ARCHIVE_OPERATIONS_HPP
