// The WebAssembly engine is a layer of its own: the loader reaches it
// through an executor, never the reverse.
// as: wasm/engine.hpp
// expect: wasm may not include <vitte/loader/loader.hpp> (loader)
#include <vitte/loader/loader.hpp>
