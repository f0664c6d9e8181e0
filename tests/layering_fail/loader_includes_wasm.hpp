// The loader reaches the WebAssembly engine only from its executor glue
// (loader/wasm_executor.hpp, loader/impl/wasm_backend.hpp), nowhere else.
// as: loader/resolver.hpp
// expect: loader may not include <vitte/wasm/engine.hpp> (wasm)
#include <vitte/wasm/engine.hpp>
