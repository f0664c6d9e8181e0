// vitte/cache/operations.hpp - the build kit's operations (cache, toolchain, release).
#ifndef VITTE_CACHE_OPERATIONS_HPP
#define VITTE_CACHE_OPERATIONS_HPP

#include <vitte/base/operation.hpp>

// clang-format off
#define VITTE_BUILD_OPERATIONS(X)                                                                 \
  X(hash_file) X(cache_lookup) X(depfile_read) X(remote_decode) X(remote_get) X(remote_put) \
  X(signify) X(package) X(verify_package) X(toolchain) X(schedule) X(index_record)
// clang-format on

namespace vitte::build {
/// The operations the build kit reports in errors: ops::cache_lookup (a result that
/// does not decode), ops::depfile_read (a malformed depfile), ops::hash_file.
/// ops::remote_decode (an action-cache entry that does not decode),
/// ops::remote_get / ops::remote_put (a remote cache refused or failed).
/// ops::signify (a key or signature file), ops::package / ops::verify_package
/// (making or checking a release package), ops::toolchain (none for a target),
/// ops::schedule (a step that names one not added yet).
/// The rest are the sys operations of the calls that failed (open, write, ...).
VITTE_OPERATIONS(ops, ::vitte::facility::build, "build", VITTE_BUILD_OPERATIONS);
}  // namespace vitte::build

#endif  // VITTE_CACHE_OPERATIONS_HPP
