// vitte/toolchain/operations.hpp - the operations of vitte/toolchain, as errors name them.
#ifndef VITTE_TOOLCHAIN_OPERATIONS_HPP
#define VITTE_TOOLCHAIN_OPERATIONS_HPP

#include <vitte/base/operation.hpp>

#define VITTE_TOOLCHAIN_OPERATIONS(X) X(toolchain) X(schedule) X(bindgen)

namespace vitte::toolchain {
/// The operations the toolchain layer reports in errors: ops::toolchain (none
/// for a target), ops::schedule (a step that names one not added yet, a
/// malformed events file), ops::bindgen (C headers read and bindings written). The rest are the sys operations of the
/// calls that failed (process_spawn, ...).
VITTE_OPERATIONS(ops, ::vitte::facility::toolchain, "toolchain", VITTE_TOOLCHAIN_OPERATIONS);
}  // namespace vitte::toolchain

#endif  // VITTE_TOOLCHAIN_OPERATIONS_HPP
