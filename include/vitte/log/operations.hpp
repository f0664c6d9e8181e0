// vitte/log/operations.hpp - the operations of vitte/log, as errors name them.
#ifndef VITTE_LOG_OPERATIONS_HPP
#define VITTE_LOG_OPERATIONS_HPP

#include <vitte/base/operation.hpp>

#define VITTE_LOG_OPERATIONS(X) X(log_open) X(log_write) X(log_flush)

namespace vitte::log {
/// The operations vitte/log reports in errors.
VITTE_OPERATIONS(ops, ::vitte::facility::log, "log", VITTE_LOG_OPERATIONS);
}  // namespace vitte::log

#endif  // VITTE_LOG_OPERATIONS_HPP
