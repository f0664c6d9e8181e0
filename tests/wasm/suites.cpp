// The engine's unit tests and WASI's as one program (tests/wasm/meson.build):
// both instantiate the whole engine, which a header-only library compiles
// again in every translation unit, so as one unit it compiles once per
// target. Each keeps its own Meson test (wasm: --run_test=wasm_engine;
// wasi: --run_test=wasi). The other dispatchers' programs (test_wasm_goto,
// test_wasm_switch on Clang) compile test_wasm.cpp alone.
#include "test_wasi.cpp"  // WASI programs (wasi/*.c) run through the library
#include "test_wasm.cpp"  // decoding, validation, instances, calls, traps, SIMD
