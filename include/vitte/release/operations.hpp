// vitte/release/operations.hpp - the operations of vitte/release, as errors name them.
#ifndef VITTE_RELEASE_OPERATIONS_HPP
#define VITTE_RELEASE_OPERATIONS_HPP

#include <vitte/base/operation.hpp>

#define VITTE_RELEASE_OPERATIONS(X) X(signify) X(package) X(verify_package)

namespace vitte::release {
/// The operations the release layer reports in errors: ops::signify (a key or
/// signature file), ops::package / ops::verify_package (making or checking a
/// release package). The rest are the sys operations of the calls that failed.
VITTE_OPERATIONS(ops, ::vitte::facility::release, "release", VITTE_RELEASE_OPERATIONS);
}  // namespace vitte::release

#endif  // VITTE_RELEASE_OPERATIONS_HPP
