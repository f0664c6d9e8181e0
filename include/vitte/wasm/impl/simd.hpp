// vitte/wasm/impl/simd.hpp - the lanes of WebAssembly's v128, twice:
//   simd_scalar  portable code, one lane at a time, always exact
//                (impl/simd_lanes.hpp);
//   simd_native  the same operations with SSE2 (SSE4.1, SSSE3 when the
//                compiler targets them) on x86_64 (impl/simd_sse2.hpp) and
//                NEON on aarch64 (impl/simd_neon.hpp), where the vector
//                instruction gives WebAssembly's result; everything else is
//                inherited from simd_scalar.
// This file is the switch between them, and simd_exec, the instruction
// bodies over either. The dispatchers run simd_native inline;
// store_limits::scalar_simd runs simd_scalar instead, through simd_call*
// (for comparison and testing).
#ifndef VITTE_WASM_IMPL_SIMD_HPP
#define VITTE_WASM_IMPL_SIMD_HPP

#include <vitte/wasm/impl/objects.hpp>
#include <vitte/wasm/impl/simd_code.hpp>
#include <vitte/wasm/impl/simd_lanes.hpp>

#include <cstdint>

#if VITTE_WASM_X86_SSE2  // impl/numeric.hpp, through impl/simd_lanes.hpp
#define VITTE_WASM_SIMD_SSE2 1
#include <vitte/wasm/impl/simd_sse2.hpp>
#elif defined(__aarch64__) && defined(__ARM_NEON)
#define VITTE_WASM_SIMD_NEON 1
#include <vitte/wasm/impl/simd_neon.hpp>
#endif

namespace vitte::wasm::detail {

#if !VITTE_WASM_SIMD_SSE2 && !VITTE_WASM_SIMD_NEON
/// No vector unit the compiler targets: the portable lanes.
struct simd_native : simd_scalar {};
#endif

// The body of each compute instruction for an implementation I, reading its
// operand words w (d first): the same bodies run inline in the dispatcher
// and, for store_limits::scalar_simd, through simd_call*.
template <class I>
struct simd_exec {
#define VITTE_WASM_EXEC1(name, ...) \
  static void name(cell* fp, const std::uint32_t* w) noexcept { v_put(fp + w[0], I::name(v_get(fp + w[1]))); }
#define VITTE_WASM_EXEC2(name, ...)                                \
  static void name(cell* fp, const std::uint32_t* w) noexcept {    \
    v_put(fp + w[0], I::name(v_get(fp + w[1]), v_get(fp + w[2]))); \
  }
#define VITTE_WASM_EXEC_SHIFT(name, ...)                        \
  static void name(cell* fp, const std::uint32_t* w) noexcept { \
    v_put(fp + w[0], I::name(v_get(fp + w[1]), fp[w[2]].u32));  \
  }
#define VITTE_WASM_EXEC_TEST(name, ...) \
  static void name(cell* fp, const std::uint32_t* w) noexcept { fp[w[0]].u64 = I::name(v_get(fp + w[1])); }
  VITTE_WASM_SIMD_UNARY(VITTE_WASM_EXEC1)
  VITTE_WASM_SIMD_BINARY(VITTE_WASM_EXEC2)
  VITTE_WASM_SIMD_SHIFT(VITTE_WASM_EXEC_SHIFT)
  VITTE_WASM_SIMD_TEST(VITTE_WASM_EXEC_TEST)
#undef VITTE_WASM_EXEC1
#undef VITTE_WASM_EXEC2
#undef VITTE_WASM_EXEC_SHIFT
#undef VITTE_WASM_EXEC_TEST
  static void v128_bitselect(cell* fp, const std::uint32_t* w) noexcept {
    v_put(fp + w[0], I::v128_bitselect(v_get(fp + w[1]), v_get(fp + w[2]), v_get(fp + w[3])));
  }
};

}  // namespace vitte::wasm::detail

#endif  // VITTE_WASM_IMPL_SIMD_HPP
