// vitte/cache/operations.hpp - the operations of vitte/cache, as errors name them.
#ifndef VITTE_CACHE_OPERATIONS_HPP
#define VITTE_CACHE_OPERATIONS_HPP

#include <vitte/base/operation.hpp>

// clang-format off
#define VITTE_CACHE_OPERATIONS(X) \
  X(hash_file) X(cache_lookup) X(depfile_read) X(remote_decode) X(remote_get) X(remote_put) X(index_record)
// clang-format on

namespace vitte::cache {
/// The operations the cache reports in errors: ops::cache_lookup (a result that
/// does not decode), ops::depfile_read (a malformed depfile), ops::hash_file,
/// ops::remote_decode (an action-cache entry that does not decode),
/// ops::remote_get / ops::remote_put (a remote cache refused or failed),
/// ops::index_record (the build index could not record a step).
/// The rest are the sys operations of the calls that failed (open, write, ...).
VITTE_OPERATIONS(ops, ::vitte::facility::cache, "cache", VITTE_CACHE_OPERATIONS);
}  // namespace vitte::cache

#endif  // VITTE_CACHE_OPERATIONS_HPP
