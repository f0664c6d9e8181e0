// vitte/wasm/impl/simd_neon.hpp - simd_native on aarch64: NEON where the
// instruction gives WebAssembly's result; everything else is simd_scalar's.
// Included by impl/simd.hpp when the compiler targets NEON.
#ifndef VITTE_WASM_IMPL_SIMD_NEON_HPP
#define VITTE_WASM_IMPL_SIMD_NEON_HPP

#include <vitte/wasm/impl/simd_lanes.hpp>

#include <cstdint>

#include <arm_neon.h>

namespace vitte::wasm::detail {

/// NEON where the instruction is WebAssembly's operation.
struct simd_native : simd_scalar {
  static uint8x16_t in(v128 a) noexcept { return vld1q_u8(a.b); }
  static v128 out(uint8x16_t x) noexcept {
    v128 r;
    vst1q_u8(r.b, x);
    return r;
  }
  // The bytes of a vector of any lane type, and back.
  using n_u8 = uint8x16_t;
  using n_s8 = int8x16_t;
  using n_u16 = uint16x8_t;
  using n_s16 = int16x8_t;
  using n_u32 = uint32x4_t;
  using n_s32 = int32x4_t;
  using n_u64 = uint64x2_t;
  using n_s64 = int64x2_t;
  using n_f32 = float32x4_t;
  using n_f64 = float64x2_t;
  static uint8x16_t raw(uint8x16_t x) noexcept { return x; }
  static uint8x16_t raw(int8x16_t x) noexcept { return vreinterpretq_u8_s8(x); }
  static uint8x16_t raw(uint16x8_t x) noexcept { return vreinterpretq_u8_u16(x); }
  static uint8x16_t raw(int16x8_t x) noexcept { return vreinterpretq_u8_s16(x); }
  static uint8x16_t raw(uint32x4_t x) noexcept { return vreinterpretq_u8_u32(x); }
  static uint8x16_t raw(int32x4_t x) noexcept { return vreinterpretq_u8_s32(x); }
  static uint8x16_t raw(uint64x2_t x) noexcept { return vreinterpretq_u8_u64(x); }
  static uint8x16_t raw(int64x2_t x) noexcept { return vreinterpretq_u8_s64(x); }
  static uint8x16_t raw(float32x4_t x) noexcept { return vreinterpretq_u8_f32(x); }
  static uint8x16_t raw(float64x2_t x) noexcept { return vreinterpretq_u8_f64(x); }
  template <class T>
  static T cast(uint8x16_t x) noexcept {
    if constexpr (std::is_same_v<T, uint8x16_t>)
      return x;
    else if constexpr (std::is_same_v<T, int8x16_t>)
      return vreinterpretq_s8_u8(x);
    else if constexpr (std::is_same_v<T, uint16x8_t>)
      return vreinterpretq_u16_u8(x);
    else if constexpr (std::is_same_v<T, int16x8_t>)
      return vreinterpretq_s16_u8(x);
    else if constexpr (std::is_same_v<T, uint32x4_t>)
      return vreinterpretq_u32_u8(x);
    else if constexpr (std::is_same_v<T, int32x4_t>)
      return vreinterpretq_s32_u8(x);
    else if constexpr (std::is_same_v<T, uint64x2_t>)
      return vreinterpretq_u64_u8(x);
    else if constexpr (std::is_same_v<T, int64x2_t>)
      return vreinterpretq_s64_u8(x);
    else if constexpr (std::is_same_v<T, float32x4_t>)
      return vreinterpretq_f32_u8(x);
    else
      return vreinterpretq_f64_u8(x);
  }
#define VITTE_WASM_NEON2(name, T, fn) \
  static v128 name(v128 va, v128 vb) noexcept { return out(raw(fn(cast<n_##T>(in(va)), cast<n_##T>(in(vb))))); }
#define VITTE_WASM_NEON2M(name, T, M, fn) \
  static v128 name(v128 va, v128 vb) noexcept { return out(raw(fn(cast<n_##T>(in(va)), cast<n_##T>(in(vb))))); }
  static v128 v128_and(v128 a, v128 b) noexcept { return out(vandq_u8(in(a), in(b))); }
  static v128 v128_andnot(v128 a, v128 b) noexcept { return out(vbicq_u8(in(a), in(b))); }
  static v128 v128_or(v128 a, v128 b) noexcept { return out(vorrq_u8(in(a), in(b))); }
  static v128 v128_xor(v128 a, v128 b) noexcept { return out(veorq_u8(in(a), in(b))); }
  VITTE_WASM_NEON2(i8x16_add, u8, vaddq_u8)
  VITTE_WASM_NEON2(i8x16_add_sat_s, s8, vqaddq_s8)
  VITTE_WASM_NEON2(i8x16_add_sat_u, u8, vqaddq_u8)
  VITTE_WASM_NEON2(i8x16_sub, u8, vsubq_u8)
  VITTE_WASM_NEON2(i8x16_sub_sat_s, s8, vqsubq_s8)
  VITTE_WASM_NEON2(i8x16_sub_sat_u, u8, vqsubq_u8)
  VITTE_WASM_NEON2(i8x16_min_s, s8, vminq_s8)
  VITTE_WASM_NEON2(i8x16_min_u, u8, vminq_u8)
  VITTE_WASM_NEON2(i8x16_max_s, s8, vmaxq_s8)
  VITTE_WASM_NEON2(i8x16_max_u, u8, vmaxq_u8)
  VITTE_WASM_NEON2(i8x16_avgr_u, u8, vrhaddq_u8)
  VITTE_WASM_NEON2(i16x8_q15mulr_sat_s, s16, vqrdmulhq_s16)
  VITTE_WASM_NEON2(i16x8_add, u16, vaddq_u16)
  VITTE_WASM_NEON2(i16x8_add_sat_s, s16, vqaddq_s16)
  VITTE_WASM_NEON2(i16x8_add_sat_u, u16, vqaddq_u16)
  VITTE_WASM_NEON2(i16x8_sub, u16, vsubq_u16)
  VITTE_WASM_NEON2(i16x8_sub_sat_s, s16, vqsubq_s16)
  VITTE_WASM_NEON2(i16x8_sub_sat_u, u16, vqsubq_u16)
  VITTE_WASM_NEON2(i16x8_mul, u16, vmulq_u16)
  VITTE_WASM_NEON2(i16x8_min_s, s16, vminq_s16)
  VITTE_WASM_NEON2(i16x8_min_u, u16, vminq_u16)
  VITTE_WASM_NEON2(i16x8_max_s, s16, vmaxq_s16)
  VITTE_WASM_NEON2(i16x8_max_u, u16, vmaxq_u16)
  VITTE_WASM_NEON2(i16x8_avgr_u, u16, vrhaddq_u16)
  VITTE_WASM_NEON2(i32x4_add, u32, vaddq_u32)
  VITTE_WASM_NEON2(i32x4_sub, u32, vsubq_u32)
  VITTE_WASM_NEON2(i32x4_mul, u32, vmulq_u32)
  VITTE_WASM_NEON2(i32x4_min_s, s32, vminq_s32)
  VITTE_WASM_NEON2(i32x4_min_u, u32, vminq_u32)
  VITTE_WASM_NEON2(i32x4_max_s, s32, vmaxq_s32)
  VITTE_WASM_NEON2(i32x4_max_u, u32, vmaxq_u32)
  VITTE_WASM_NEON2(i64x2_add, u64, vaddq_u64)
  VITTE_WASM_NEON2(i64x2_sub, u64, vsubq_u64)
  // fmin/fmax: NaN when either is (quieted), -0 below +0: WebAssembly's min/max.
  VITTE_WASM_NEON2(f32x4_add, f32, vaddq_f32)
  VITTE_WASM_NEON2(f32x4_sub, f32, vsubq_f32)
  VITTE_WASM_NEON2(f32x4_mul, f32, vmulq_f32)
  VITTE_WASM_NEON2(f32x4_div, f32, vdivq_f32)
  VITTE_WASM_NEON2(f32x4_min, f32, vminq_f32)
  VITTE_WASM_NEON2(f32x4_max, f32, vmaxq_f32)
  VITTE_WASM_NEON2(f64x2_add, f64, vaddq_f64)
  VITTE_WASM_NEON2(f64x2_sub, f64, vsubq_f64)
  VITTE_WASM_NEON2(f64x2_mul, f64, vmulq_f64)
  VITTE_WASM_NEON2(f64x2_div, f64, vdivq_f64)
  VITTE_WASM_NEON2(f64x2_min, f64, vminq_f64)
  VITTE_WASM_NEON2(f64x2_max, f64, vmaxq_f64)
  VITTE_WASM_NEON2M(i8x16_eq, u8, u8, vceqq_u8)
  VITTE_WASM_NEON2M(i8x16_lt_s, s8, u8, vcltq_s8)
  VITTE_WASM_NEON2M(i8x16_lt_u, u8, u8, vcltq_u8)
  VITTE_WASM_NEON2M(i8x16_gt_s, s8, u8, vcgtq_s8)
  VITTE_WASM_NEON2M(i8x16_gt_u, u8, u8, vcgtq_u8)
  VITTE_WASM_NEON2M(i8x16_le_s, s8, u8, vcleq_s8)
  VITTE_WASM_NEON2M(i8x16_le_u, u8, u8, vcleq_u8)
  VITTE_WASM_NEON2M(i8x16_ge_s, s8, u8, vcgeq_s8)
  VITTE_WASM_NEON2M(i8x16_ge_u, u8, u8, vcgeq_u8)
  VITTE_WASM_NEON2M(i16x8_eq, u16, u16, vceqq_u16)
  VITTE_WASM_NEON2M(i16x8_lt_s, s16, u16, vcltq_s16)
  VITTE_WASM_NEON2M(i16x8_lt_u, u16, u16, vcltq_u16)
  VITTE_WASM_NEON2M(i16x8_gt_s, s16, u16, vcgtq_s16)
  VITTE_WASM_NEON2M(i16x8_gt_u, u16, u16, vcgtq_u16)
  VITTE_WASM_NEON2M(i16x8_le_s, s16, u16, vcleq_s16)
  VITTE_WASM_NEON2M(i16x8_le_u, u16, u16, vcleq_u16)
  VITTE_WASM_NEON2M(i16x8_ge_s, s16, u16, vcgeq_s16)
  VITTE_WASM_NEON2M(i16x8_ge_u, u16, u16, vcgeq_u16)
  VITTE_WASM_NEON2M(i32x4_eq, u32, u32, vceqq_u32)
  VITTE_WASM_NEON2M(i32x4_lt_s, s32, u32, vcltq_s32)
  VITTE_WASM_NEON2M(i32x4_lt_u, u32, u32, vcltq_u32)
  VITTE_WASM_NEON2M(i32x4_gt_s, s32, u32, vcgtq_s32)
  VITTE_WASM_NEON2M(i32x4_gt_u, u32, u32, vcgtq_u32)
  VITTE_WASM_NEON2M(i32x4_le_s, s32, u32, vcleq_s32)
  VITTE_WASM_NEON2M(i32x4_le_u, u32, u32, vcleq_u32)
  VITTE_WASM_NEON2M(i32x4_ge_s, s32, u32, vcgeq_s32)
  VITTE_WASM_NEON2M(i32x4_ge_u, u32, u32, vcgeq_u32)
  VITTE_WASM_NEON2M(i64x2_eq, u64, u64, vceqq_u64)
  VITTE_WASM_NEON2M(i64x2_lt_s, s64, u64, vcltq_s64)
  VITTE_WASM_NEON2M(i64x2_gt_s, s64, u64, vcgtq_s64)
  VITTE_WASM_NEON2M(i64x2_le_s, s64, u64, vcleq_s64)
  VITTE_WASM_NEON2M(i64x2_ge_s, s64, u64, vcgeq_s64)
  VITTE_WASM_NEON2M(f32x4_eq, f32, u32, vceqq_f32)
  VITTE_WASM_NEON2M(f32x4_lt, f32, u32, vcltq_f32)
  VITTE_WASM_NEON2M(f32x4_gt, f32, u32, vcgtq_f32)
  VITTE_WASM_NEON2M(f32x4_le, f32, u32, vcleq_f32)
  VITTE_WASM_NEON2M(f32x4_ge, f32, u32, vcgeq_f32)
  VITTE_WASM_NEON2M(f64x2_eq, f64, u64, vceqq_f64)
  VITTE_WASM_NEON2M(f64x2_lt, f64, u64, vcltq_f64)
  VITTE_WASM_NEON2M(f64x2_gt, f64, u64, vcgtq_f64)
  VITTE_WASM_NEON2M(f64x2_le, f64, u64, vcleq_f64)
  VITTE_WASM_NEON2M(f64x2_ge, f64, u64, vcgeq_f64)
#undef VITTE_WASM_NEON2
#undef VITTE_WASM_NEON2M
  static v128 i8x16_swizzle(v128 a, v128 s) noexcept { return out(vqtbl1q_u8(in(a), in(s))); }
  static v128 i8x16_narrow_i16x8_s(v128 a, v128 b) noexcept {
    return out(vreinterpretq_u8_s8(
        vcombine_s8(vqmovn_s16(vreinterpretq_s16_u8(in(a))), vqmovn_s16(vreinterpretq_s16_u8(in(b))))));
  }
  static v128 i8x16_narrow_i16x8_u(v128 a, v128 b) noexcept {
    return out(vcombine_u8(vqmovun_s16(vreinterpretq_s16_u8(in(a))), vqmovun_s16(vreinterpretq_s16_u8(in(b)))));
  }
  static v128 i32x4_dot_i16x8_s(v128 a, v128 b) noexcept {
    int16x8_t x = vreinterpretq_s16_u8(in(a)), y = vreinterpretq_s16_u8(in(b));
    int32x4_t lo = vmull_s16(vget_low_s16(x), vget_low_s16(y));
    int32x4_t hi = vmull_high_s16(x, y);
    return out(vreinterpretq_u8_s32(vpaddq_s32(lo, hi)));
  }
  static v128 i16x8_extmul_low_i8x16_s(v128 a, v128 b) noexcept {
    return out(vreinterpretq_u8_s16(
        vmull_s8(vget_low_s8(vreinterpretq_s8_u8(in(a))), vget_low_s8(vreinterpretq_s8_u8(in(b))))));
  }
  static v128 i16x8_extmul_high_i8x16_s(v128 a, v128 b) noexcept {
    return out(vreinterpretq_u8_s16(vmull_high_s8(vreinterpretq_s8_u8(in(a)), vreinterpretq_s8_u8(in(b)))));
  }
  static v128 i16x8_extmul_low_i8x16_u(v128 a, v128 b) noexcept {
    return out(vreinterpretq_u8_u16(vmull_u8(vget_low_u8(in(a)), vget_low_u8(in(b)))));
  }
  static v128 i16x8_extmul_high_i8x16_u(v128 a, v128 b) noexcept {
    return out(vreinterpretq_u8_u16(vmull_high_u8(in(a), in(b))));
  }

#define VITTE_WASM_NEON1(name, T, R, fn) \
  static v128 name(v128 va) noexcept { return out(raw(fn(cast<n_##T>(in(va))))); }
  VITTE_WASM_NEON1(v128_not, u8, u8, vmvnq_u8)
  VITTE_WASM_NEON1(i8x16_abs, s8, s8, vabsq_s8)
  VITTE_WASM_NEON1(i8x16_neg, s8, s8, vnegq_s8)
  VITTE_WASM_NEON1(i8x16_popcnt, u8, u8, vcntq_u8)
  VITTE_WASM_NEON1(i16x8_abs, s16, s16, vabsq_s16)
  VITTE_WASM_NEON1(i16x8_neg, s16, s16, vnegq_s16)
  VITTE_WASM_NEON1(i32x4_abs, s32, s32, vabsq_s32)
  VITTE_WASM_NEON1(i32x4_neg, s32, s32, vnegq_s32)
  VITTE_WASM_NEON1(i64x2_abs, s64, s64, vabsq_s64)
  VITTE_WASM_NEON1(i64x2_neg, s64, s64, vnegq_s64)
  VITTE_WASM_NEON1(f32x4_ceil, f32, f32, vrndpq_f32)
  VITTE_WASM_NEON1(f32x4_floor, f32, f32, vrndmq_f32)
  VITTE_WASM_NEON1(f32x4_trunc, f32, f32, vrndq_f32)
  VITTE_WASM_NEON1(f32x4_nearest, f32, f32, vrndnq_f32)
  VITTE_WASM_NEON1(f32x4_abs, f32, f32, vabsq_f32)
  VITTE_WASM_NEON1(f32x4_neg, f32, f32, vnegq_f32)
  VITTE_WASM_NEON1(f32x4_sqrt, f32, f32, vsqrtq_f32)
  VITTE_WASM_NEON1(f64x2_ceil, f64, f64, vrndpq_f64)
  VITTE_WASM_NEON1(f64x2_floor, f64, f64, vrndmq_f64)
  VITTE_WASM_NEON1(f64x2_trunc, f64, f64, vrndq_f64)
  VITTE_WASM_NEON1(f64x2_nearest, f64, f64, vrndnq_f64)
  VITTE_WASM_NEON1(f64x2_abs, f64, f64, vabsq_f64)
  VITTE_WASM_NEON1(f64x2_neg, f64, f64, vnegq_f64)
  VITTE_WASM_NEON1(f64x2_sqrt, f64, f64, vsqrtq_f64)
  // fcvtzs/fcvtzu saturate and give 0 for NaN: trunc_sat exactly.
  VITTE_WASM_NEON1(i32x4_trunc_sat_f32x4_s, f32, s32, vcvtq_s32_f32)
  VITTE_WASM_NEON1(i32x4_trunc_sat_f32x4_u, f32, u32, vcvtq_u32_f32)
  VITTE_WASM_NEON1(f32x4_convert_i32x4_s, s32, f32, vcvtq_f32_s32)
  VITTE_WASM_NEON1(f32x4_convert_i32x4_u, u32, f32, vcvtq_f32_u32)
  VITTE_WASM_NEON1(i16x8_extadd_pairwise_i8x16_s, s8, s16, vpaddlq_s8)
  VITTE_WASM_NEON1(i16x8_extadd_pairwise_i8x16_u, u8, u16, vpaddlq_u8)
  VITTE_WASM_NEON1(i32x4_extadd_pairwise_i16x8_s, s16, s32, vpaddlq_s16)
  VITTE_WASM_NEON1(i32x4_extadd_pairwise_i16x8_u, u16, u32, vpaddlq_u16)
#undef VITTE_WASM_NEON1
  static v128 i16x8_extend_low_i8x16_s(v128 a) noexcept {
    return out(vreinterpretq_u8_s16(vmovl_s8(vget_low_s8(vreinterpretq_s8_u8(in(a))))));
  }
  static v128 i16x8_extend_high_i8x16_s(v128 a) noexcept {
    return out(vreinterpretq_u8_s16(vmovl_high_s8(vreinterpretq_s8_u8(in(a)))));
  }
  static v128 i16x8_extend_low_i8x16_u(v128 a) noexcept {
    return out(vreinterpretq_u8_u16(vmovl_u8(vget_low_u8(in(a)))));
  }
  static v128 i16x8_extend_high_i8x16_u(v128 a) noexcept { return out(vreinterpretq_u8_u16(vmovl_high_u8(in(a)))); }
  static v128 i32x4_extend_low_i16x8_s(v128 a) noexcept {
    return out(vreinterpretq_u8_s32(vmovl_s16(vget_low_s16(vreinterpretq_s16_u8(in(a))))));
  }
  static v128 i32x4_extend_high_i16x8_s(v128 a) noexcept {
    return out(vreinterpretq_u8_s32(vmovl_high_s16(vreinterpretq_s16_u8(in(a)))));
  }
  static v128 i32x4_extend_low_i16x8_u(v128 a) noexcept {
    return out(vreinterpretq_u8_u32(vmovl_u16(vget_low_u16(vreinterpretq_u16_u8(in(a))))));
  }
  static v128 i32x4_extend_high_i16x8_u(v128 a) noexcept {
    return out(vreinterpretq_u8_u32(vmovl_high_u16(vreinterpretq_u16_u8(in(a)))));
  }

  static v128 v128_bitselect(v128 a, v128 b, v128 c) noexcept { return out(vbslq_u8(in(c), in(a), in(b))); }

  // Shifts: a negative count shifts right.
#define VITTE_WASM_NEON_SHIFT(name, T, D, bits, sign)                \
  static v128 name(v128 va, std::uint32_t n) noexcept {              \
    int c = sign static_cast<int>(n & (bits - 1));                   \
    return out(raw(vshlq_##T(cast<n_##T>(in(va)), vdupq_n_##D(c)))); \
  }
  VITTE_WASM_NEON_SHIFT(i8x16_shl, u8, s8, 8, +)
  VITTE_WASM_NEON_SHIFT(i8x16_shr_s, s8, s8, 8, -)
  VITTE_WASM_NEON_SHIFT(i8x16_shr_u, u8, s8, 8, -)
  VITTE_WASM_NEON_SHIFT(i16x8_shl, u16, s16, 16, +)
  VITTE_WASM_NEON_SHIFT(i16x8_shr_s, s16, s16, 16, -)
  VITTE_WASM_NEON_SHIFT(i16x8_shr_u, u16, s16, 16, -)
  VITTE_WASM_NEON_SHIFT(i32x4_shl, u32, s32, 32, +)
  VITTE_WASM_NEON_SHIFT(i32x4_shr_s, s32, s32, 32, -)
  VITTE_WASM_NEON_SHIFT(i32x4_shr_u, u32, s32, 32, -)
  VITTE_WASM_NEON_SHIFT(i64x2_shl, u64, s64, 64, +)
  VITTE_WASM_NEON_SHIFT(i64x2_shr_s, s64, s64, 64, -)
  VITTE_WASM_NEON_SHIFT(i64x2_shr_u, u64, s64, 64, -)
#undef VITTE_WASM_NEON_SHIFT

  static std::uint32_t v128_any_true(v128 a) noexcept { return vmaxvq_u32(vreinterpretq_u32_u8(in(a))) != 0; }
  static std::uint32_t i8x16_all_true(v128 a) noexcept { return vminvq_u8(in(a)) != 0; }
  static std::uint32_t i16x8_all_true(v128 a) noexcept { return vminvq_u16(vreinterpretq_u16_u8(in(a))) != 0; }
  static std::uint32_t i32x4_all_true(v128 a) noexcept { return vminvq_u32(vreinterpretq_u32_u8(in(a))) != 0; }
};

}  // namespace vitte::wasm::detail

#endif  // VITTE_WASM_IMPL_SIMD_NEON_HPP
