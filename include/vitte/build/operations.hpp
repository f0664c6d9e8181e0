// vitte/build/operations.hpp - the operations of vitte/build, as errors name them.
#ifndef VITTE_BUILD_OPERATIONS_HPP
#define VITTE_BUILD_OPERATIONS_HPP

#include <vitte/operation.hpp>

// clang-format off
#define VITTE_BUILD_OPERATIONS(X)                                                                 \
  X(hash_file) X(index_read) X(index_write) X(cache_open) X(cache_lookup) X(cache_store)           \
  X(cache_clean) X(cache_stats) X(depfile_read) X(linker_find) X(link) X(run_program)
// clang-format on

namespace vitte::build {
/// The operations vitte/build reports in errors: ops::cache_store, ops::link, ...
VITTE_OPERATIONS(ops, ::vitte::facility::build, "build", VITTE_BUILD_OPERATIONS);
}  // namespace vitte::build

#endif  // VITTE_BUILD_OPERATIONS_HPP
