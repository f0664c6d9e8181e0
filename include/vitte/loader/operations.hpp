// vitte/loader/operations.hpp - the operations of vitte/loader, as errors name them.
//
//   if (e.op() == vitte::loader::ops::module_link) ...   // "module_link: not found"
#ifndef VITTE_LOADER_OPERATIONS_HPP
#define VITTE_LOADER_OPERATIONS_HPP

#include <vitte/base/operation.hpp>

#define VITTE_LOADER_OPERATIONS(X) X(module_read) X(module_write) X(module_load) X(module_link) X(module_resolve)

namespace vitte::loader {
/// The operations vitte/loader reports in errors.
VITTE_OPERATIONS(ops, ::vitte::facility::loader, "loader", VITTE_LOADER_OPERATIONS);
}  // namespace vitte::loader

#endif  // VITTE_LOADER_OPERATIONS_HPP
