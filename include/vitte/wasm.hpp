// vitte/wasm.hpp - the WebAssembly engine: decode and validate modules, run
// them in a store with host functions, limits and traps as errors.
#ifndef VITTE_WASM_HPP
#define VITTE_WASM_HPP

#include <vitte/wasm/module.hpp>      // decode + validate
#include <vitte/wasm/operations.hpp>  // wasm::ops
#include <vitte/wasm/runtime.hpp>     // store, instances, calls
#include <vitte/wasm/types.hpp>       // value types, values

#endif  // VITTE_WASM_HPP
