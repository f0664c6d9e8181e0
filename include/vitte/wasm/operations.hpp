// vitte/wasm/operations.hpp - the operations of vitte/wasm, as errors name them.
//
// Decoding and validation name the step that refused the module; a trap
// names what the running code did wrong ("integer divide by zero"), so that
// error::message() reads as the trap's own text.
#ifndef VITTE_WASM_OPERATIONS_HPP
#define VITTE_WASM_OPERATIONS_HPP

#include <vitte/base/operation.hpp>

// clang-format off
#define VITTE_WASM_OPERATIONS(X) \
  X(wasm_decode) \
  X(wasm_validate) \
  X(wasm_link) \
  X(wasm_instantiate) \
  X(wasm_call) \
  X(wasm_memory_grow) \
  X(trap_unreachable) \
  X(trap_memory_out_of_bounds) \
  X(trap_table_out_of_bounds) \
  X(trap_integer_divide_by_zero) \
  X(trap_integer_overflow) \
  X(trap_invalid_conversion) \
  X(trap_indirect_call_type_mismatch) \
  X(trap_undefined_element) \
  X(trap_uninitialized_element) \
  X(trap_null_reference) \
  X(trap_call_stack_exhausted) \
  X(trap_out_of_fuel) \
  X(trap_interrupted) \
  X(trap_deadline) \
  X(trap_host) \
  X(wasi_preopen) \
  X(wasi_run) \
  X(wasi_exit)
// clang-format on

namespace vitte::wasm {
/// The operations vitte/wasm reports in errors.
VITTE_OPERATIONS(ops, ::vitte::facility::wasm, "wasm", VITTE_WASM_OPERATIONS);
}  // namespace vitte::wasm

#endif  // VITTE_WASM_OPERATIONS_HPP
