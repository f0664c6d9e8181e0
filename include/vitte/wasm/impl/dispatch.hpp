// vitte/wasm/impl/dispatch.hpp - which dispatcher runs the register-slot
// code (impl/exec.ipp), chosen by VITTE_WASM_DISPATCH (one per program):
//   3  handlers as functions chained by guaranteed tail calls
//      ([[clang::musttail]]); the default under Clang;
//   2  one function with computed goto (labels as values); the default
//      under GCC, which has no guaranteed tail calls;
//   1  a portable switch loop; the default elsewhere.
// In compiled mode the library is built with its compiler's default: a
// program choosing another dispatcher uses vitte header-only.
#ifndef VITTE_WASM_IMPL_DISPATCH_HPP
#define VITTE_WASM_IMPL_DISPATCH_HPP

#ifndef VITTE_WASM_DISPATCH
#if defined(__clang__) && defined(__has_cpp_attribute)
#if __has_cpp_attribute(clang::musttail)
#define VITTE_WASM_DISPATCH 3
#endif
#endif
#endif
#ifndef VITTE_WASM_DISPATCH
#if defined(__GNUC__)
#define VITTE_WASM_DISPATCH 2
#else
#define VITTE_WASM_DISPATCH 1
#endif
#endif

#endif  // VITTE_WASM_IMPL_DISPATCH_HPP
