// wasm.cpp - compiled mode: the non-template bodies of vitte/wasm (the WebAssembly engine and WASI),
// compiled once. Part of libvitte with src/vitte.cpp; see there.
#ifndef VITTE_SEPARATE_COMPILATION
#error "vitte: compile src/wasm.cpp with -DVITTE_SEPARATE_COMPILATION"
#endif

#include <vitte/base/config.hpp>

// The engine: decoding and validation, translation, the dispatcher, the store.
#include <vitte/wasm/impl/accumulator.ipp>    // the pass giving instructions their accumulator forms
#include <vitte/wasm/impl/compile.ipp>        // the validator-translator of function bodies (function_compiler)
#include <vitte/wasm/impl/compile_ops.ipp>    // its instructions: calls, branches, the numeric and memory ones
#include <vitte/wasm/impl/compile_simd.ipp>   // its SIMD instructions
#include <vitte/wasm/impl/decode.ipp>         // the sections of the binary format; decode()
#include <vitte/wasm/impl/exec.ipp>           // the dispatcher and handlers, host calls, translation on first call
#include <vitte/wasm/impl/linear_memory.ipp>  // memories: guard pages or heap blocks, growth, the fault filter
#include <vitte/wasm/impl/reader.ipp>         // bounded reads of the binary format, refusals
#include <vitte/wasm/impl/runtime.ipp>        // the store: linking, instantiation, calls; instances, imports

// WASI: the rest is templates (basic_wasi<P>), in the headers.
#include <vitte/wasm/wasi/abi.ipp>  // errno_of, filetype_of
