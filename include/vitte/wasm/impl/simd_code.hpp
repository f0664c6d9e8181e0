// vitte/wasm/impl/simd_code.hpp - the fixed-width SIMD instructions (the 0xfd
// prefix), as lists the validator, the translator, the dispatchers and both
// lane implementations (impl/simd.hpp) read.
//
// A v128 value takes two adjacent cells of a frame: its 16 bytes in lane
// order (lane 0 at the lowest address), as in linear memory.
//
// Operands after the handler words:
//   <unary> d a / <binary> d a b / <shift> d a n / <test> d a (an i32 result)
//   <splat> d a / <extract> d a lane / <replace> d a v lane
//   <load> d a offset / v128_store a v offset
//   <lane load> d a v offset lane / <lane store> a v offset lane
//   v128_const d w0 w1 w2 w3 / i8x16_shuffle d a b l0 l1 l2 l3 (four lane bytes a word)
//   v128_bitselect d a b c
//   copy128 d s / select128 d a b c / global_get128 d g(2) / global_set128 a g(2)
//   simd_call2 d a fn(2) / simd_call3 d a b fn(2) / simd_call4 d a b c fn(2)
//                                       the portable code of a compute
//                                       instruction, called through its address
//                                       (store_limits::scalar_simd)
#ifndef VITTE_WASM_IMPL_SIMD_CODE_HPP
#define VITTE_WASM_IMPL_SIMD_CODE_HPP

// Lane-wise operations on two vectors: name, sub-opcode, lane type, the
// lane's result from lanes a and b.
#define VITTE_WASM_SIMD_LANEWISE2(X)                                                   \
  X(v128_and, 0x4e, u64, a& b)                                                         \
  X(v128_andnot, 0x4f, u64, a & ~b)                                                    \
  X(v128_or, 0x50, u64, a | b)                                                         \
  X(v128_xor, 0x51, u64, a ^ b)                                                        \
  X(i8x16_add, 0x6e, u8, a + b)                                                        \
  X(i8x16_add_sat_s, 0x6f, i8, (lane_sat<i8>(int(a) + int(b))))                        \
  X(i8x16_add_sat_u, 0x70, u8, (lane_sat<u8>(int(a) + int(b))))                        \
  X(i8x16_sub, 0x71, u8, a - b)                                                        \
  X(i8x16_sub_sat_s, 0x72, i8, (lane_sat<i8>(int(a) - int(b))))                        \
  X(i8x16_sub_sat_u, 0x73, u8, (lane_sat<u8>(int(a) - int(b))))                        \
  X(i8x16_min_s, 0x76, i8, a < b ? a : b)                                              \
  X(i8x16_min_u, 0x77, u8, a < b ? a : b)                                              \
  X(i8x16_max_s, 0x78, i8, a > b ? a : b)                                              \
  X(i8x16_max_u, 0x79, u8, a > b ? a : b)                                              \
  X(i8x16_avgr_u, 0x7b, u8, (int(a) + int(b) + 1) >> 1)                                \
  X(i16x8_q15mulr_sat_s, 0x82, i16, (lane_sat<i16>((int(a) * int(b) + 0x4000) >> 15))) \
  X(i16x8_add, 0x8e, u16, a + b)                                                       \
  X(i16x8_add_sat_s, 0x8f, i16, (lane_sat<i16>(int(a) + int(b))))                      \
  X(i16x8_add_sat_u, 0x90, u16, (lane_sat<u16>(int(a) + int(b))))                      \
  X(i16x8_sub, 0x91, u16, a - b)                                                       \
  X(i16x8_sub_sat_s, 0x92, i16, (lane_sat<i16>(int(a) - int(b))))                      \
  X(i16x8_sub_sat_u, 0x93, u16, (lane_sat<u16>(int(a) - int(b))))                      \
  X(i16x8_mul, 0x95, u16, std::uint32_t(a) * std::uint32_t(b))                         \
  X(i16x8_min_s, 0x96, i16, a < b ? a : b)                                             \
  X(i16x8_min_u, 0x97, u16, a < b ? a : b)                                             \
  X(i16x8_max_s, 0x98, i16, a > b ? a : b)                                             \
  X(i16x8_max_u, 0x99, u16, a > b ? a : b)                                             \
  X(i16x8_avgr_u, 0x9b, u16, (int(a) + int(b) + 1) >> 1)                               \
  X(i32x4_add, 0xae, u32, a + b)                                                       \
  X(i32x4_sub, 0xb1, u32, a - b)                                                       \
  X(i32x4_mul, 0xb5, u32, a* b)                                                        \
  X(i32x4_min_s, 0xb6, i32, a < b ? a : b)                                             \
  X(i32x4_min_u, 0xb7, u32, a < b ? a : b)                                             \
  X(i32x4_max_s, 0xb8, i32, a > b ? a : b)                                             \
  X(i32x4_max_u, 0xb9, u32, a > b ? a : b)                                             \
  X(i64x2_add, 0xce, u64, a + b)                                                       \
  X(i64x2_sub, 0xd1, u64, a - b)                                                       \
  X(i64x2_mul, 0xd5, u64, a* b)                                                        \
  X(f32x4_add, 0xe4, f32, a + b)                                                       \
  X(f32x4_sub, 0xe5, f32, a - b)                                                       \
  X(f32x4_mul, 0xe6, f32, a* b)                                                        \
  X(f32x4_div, 0xe7, f32, a / b)                                                       \
  X(f32x4_min, 0xe8, f32, ops_min(a, b))                                               \
  X(f32x4_max, 0xe9, f32, ops_max(a, b))                                               \
  X(f32x4_pmin, 0xea, f32, b < a ? b : a)                                              \
  X(f32x4_pmax, 0xeb, f32, a < b ? b : a)                                              \
  X(f64x2_add, 0xf0, f64, a + b)                                                       \
  X(f64x2_sub, 0xf1, f64, a - b)                                                       \
  X(f64x2_mul, 0xf2, f64, a* b)                                                        \
  X(f64x2_div, 0xf3, f64, a / b)                                                       \
  X(f64x2_min, 0xf4, f64, ops_min(a, b))                                               \
  X(f64x2_max, 0xf5, f64, ops_max(a, b))                                               \
  X(f64x2_pmin, 0xf6, f64, b < a ? b : a)                                              \
  X(f64x2_pmax, 0xf7, f64, a < b ? b : a)

// Lane-wise comparisons: name, sub-opcode, lane type, operator. A lane is
// all ones when the comparison holds.
#define VITTE_WASM_SIMD_COMPARE(X) \
  X(i8x16_eq, 0x23, u8, ==)        \
  X(i8x16_ne, 0x24, u8, !=)        \
  X(i8x16_lt_s, 0x25, i8, <)       \
  X(i8x16_lt_u, 0x26, u8, <)       \
  X(i8x16_gt_s, 0x27, i8, >)       \
  X(i8x16_gt_u, 0x28, u8, >)       \
  X(i8x16_le_s, 0x29, i8, <=)      \
  X(i8x16_le_u, 0x2a, u8, <=)      \
  X(i8x16_ge_s, 0x2b, i8, >=)      \
  X(i8x16_ge_u, 0x2c, u8, >=)      \
  X(i16x8_eq, 0x2d, u16, ==)       \
  X(i16x8_ne, 0x2e, u16, !=)       \
  X(i16x8_lt_s, 0x2f, i16, <)      \
  X(i16x8_lt_u, 0x30, u16, <)      \
  X(i16x8_gt_s, 0x31, i16, >)      \
  X(i16x8_gt_u, 0x32, u16, >)      \
  X(i16x8_le_s, 0x33, i16, <=)     \
  X(i16x8_le_u, 0x34, u16, <=)     \
  X(i16x8_ge_s, 0x35, i16, >=)     \
  X(i16x8_ge_u, 0x36, u16, >=)     \
  X(i32x4_eq, 0x37, u32, ==)       \
  X(i32x4_ne, 0x38, u32, !=)       \
  X(i32x4_lt_s, 0x39, i32, <)      \
  X(i32x4_lt_u, 0x3a, u32, <)      \
  X(i32x4_gt_s, 0x3b, i32, >)      \
  X(i32x4_gt_u, 0x3c, u32, >)      \
  X(i32x4_le_s, 0x3d, i32, <=)     \
  X(i32x4_le_u, 0x3e, u32, <=)     \
  X(i32x4_ge_s, 0x3f, i32, >=)     \
  X(i32x4_ge_u, 0x40, u32, >=)     \
  X(f32x4_eq, 0x41, f32, ==)       \
  X(f32x4_ne, 0x42, f32, !=)       \
  X(f32x4_lt, 0x43, f32, <)        \
  X(f32x4_gt, 0x44, f32, >)        \
  X(f32x4_le, 0x45, f32, <=)       \
  X(f32x4_ge, 0x46, f32, >=)       \
  X(f64x2_eq, 0x47, f64, ==)       \
  X(f64x2_ne, 0x48, f64, !=)       \
  X(f64x2_lt, 0x49, f64, <)        \
  X(f64x2_gt, 0x4a, f64, >)        \
  X(f64x2_le, 0x4b, f64, <=)       \
  X(f64x2_ge, 0x4c, f64, >=)       \
  X(i64x2_eq, 0xd6, u64, ==)       \
  X(i64x2_ne, 0xd7, u64, !=)       \
  X(i64x2_lt_s, 0xd8, i64, <)      \
  X(i64x2_gt_s, 0xd9, i64, >)      \
  X(i64x2_le_s, 0xda, i64, <=)     \
  X(i64x2_ge_s, 0xdb, i64, >=)

// Other operations on two vectors: name, sub-opcode, the result from
// vectors va and vb.
#define VITTE_WASM_SIMD_OTHER2(X)                                     \
  X(i8x16_swizzle, 0x0e, v_swizzle(va, vb))                           \
  X(i8x16_narrow_i16x8_s, 0x65, (v_narrow<i16, i8>(va, vb)))          \
  X(i8x16_narrow_i16x8_u, 0x66, (v_narrow<i16, u8>(va, vb)))          \
  X(i16x8_narrow_i32x4_s, 0x85, (v_narrow<i32, i16>(va, vb)))         \
  X(i16x8_narrow_i32x4_u, 0x86, (v_narrow<i32, u16>(va, vb)))         \
  X(i16x8_extmul_low_i8x16_s, 0x9c, (v_extmul<i8, i16, 0>(va, vb)))   \
  X(i16x8_extmul_high_i8x16_s, 0x9d, (v_extmul<i8, i16, 1>(va, vb)))  \
  X(i16x8_extmul_low_i8x16_u, 0x9e, (v_extmul<u8, u16, 0>(va, vb)))   \
  X(i16x8_extmul_high_i8x16_u, 0x9f, (v_extmul<u8, u16, 1>(va, vb)))  \
  X(i32x4_dot_i16x8_s, 0xba, v_dot(va, vb))                           \
  X(i32x4_extmul_low_i16x8_s, 0xbc, (v_extmul<i16, i32, 0>(va, vb)))  \
  X(i32x4_extmul_high_i16x8_s, 0xbd, (v_extmul<i16, i32, 1>(va, vb))) \
  X(i32x4_extmul_low_i16x8_u, 0xbe, (v_extmul<u16, u32, 0>(va, vb)))  \
  X(i32x4_extmul_high_i16x8_u, 0xbf, (v_extmul<u16, u32, 1>(va, vb))) \
  X(i64x2_extmul_low_i32x4_s, 0xdc, (v_extmul<i32, i64, 0>(va, vb)))  \
  X(i64x2_extmul_high_i32x4_s, 0xdd, (v_extmul<i32, i64, 1>(va, vb))) \
  X(i64x2_extmul_low_i32x4_u, 0xde, (v_extmul<u32, u64, 0>(va, vb)))  \
  X(i64x2_extmul_high_i32x4_u, 0xdf, (v_extmul<u32, u64, 1>(va, vb)))

// Lane-wise operations on one vector: name, sub-opcode, lane type in,
// lane type out, the lane's result from lane a.
#define VITTE_WASM_SIMD_LANEWISE1(X)                                          \
  X(v128_not, 0x4d, u64, u64, ~a)                                             \
  X(i8x16_abs, 0x60, i8, u8, a < 0 ? 0u - unsigned(a) : unsigned(a))          \
  X(i8x16_neg, 0x61, u8, u8, 0u - a)                                          \
  X(i8x16_popcnt, 0x62, u8, u8, ops_popcnt8(a))                               \
  X(i16x8_abs, 0x80, i16, u16, a < 0 ? 0u - unsigned(a) : unsigned(a))        \
  X(i16x8_neg, 0x81, u16, u16, 0u - a)                                        \
  X(i32x4_abs, 0xa0, i32, u32, a < 0 ? 0u - unsigned(a) : unsigned(a))        \
  X(i32x4_neg, 0xa1, u32, u32, 0u - a)                                        \
  X(i64x2_abs, 0xc0, i64, u64, a < 0 ? 0ull - u64(a) : u64(a))                \
  X(i64x2_neg, 0xc1, u64, u64, 0ull - a)                                      \
  X(f32x4_ceil, 0x67, f32, f32, ops_ceil(a))                                  \
  X(f32x4_floor, 0x68, f32, f32, ops_floor(a))                                \
  X(f32x4_trunc, 0x69, f32, f32, ops_trunc(a))                                \
  X(f32x4_nearest, 0x6a, f32, f32, ops_nearest(a))                            \
  X(f32x4_abs, 0xe0, u32, u32, a & 0x7fffffffu)                               \
  X(f32x4_neg, 0xe1, u32, u32, a ^ 0x80000000u)                               \
  X(f32x4_sqrt, 0xe3, f32, f32, ops_sqrt(a))                                  \
  X(f64x2_ceil, 0x74, f64, f64, ops_ceil(a))                                  \
  X(f64x2_floor, 0x75, f64, f64, ops_floor(a))                                \
  X(f64x2_trunc, 0x7a, f64, f64, ops_trunc(a))                                \
  X(f64x2_nearest, 0x94, f64, f64, ops_nearest(a))                            \
  X(f64x2_abs, 0xec, u64, u64, a & 0x7fffffffffffffffull)                     \
  X(f64x2_neg, 0xed, u64, u64, a ^ 0x8000000000000000ull)                     \
  X(f64x2_sqrt, 0xef, f64, f64, ops_sqrt(a))                                  \
  X(i32x4_trunc_sat_f32x4_s, 0xf8, f32, i32, ops_trunc_sat<std::int32_t>(a))  \
  X(i32x4_trunc_sat_f32x4_u, 0xf9, f32, u32, ops_trunc_sat<std::uint32_t>(a)) \
  X(f32x4_convert_i32x4_s, 0xfa, i32, f32, static_cast<float>(a))             \
  X(f32x4_convert_i32x4_u, 0xfb, u32, f32, static_cast<float>(a))

// Other operations on one vector: name, sub-opcode, the result from va.
#define VITTE_WASM_SIMD_OTHER1(X)                                              \
  X(f32x4_demote_f64x2_zero, 0x5e, v_demote(va))                               \
  X(f64x2_promote_low_f32x4, 0x5f, v_promote(va))                              \
  X(i16x8_extadd_pairwise_i8x16_s, 0x7c, (v_pairwise<i8, i16>(va)))            \
  X(i16x8_extadd_pairwise_i8x16_u, 0x7d, (v_pairwise<u8, u16>(va)))            \
  X(i32x4_extadd_pairwise_i16x8_s, 0x7e, (v_pairwise<i16, i32>(va)))           \
  X(i32x4_extadd_pairwise_i16x8_u, 0x7f, (v_pairwise<u16, u32>(va)))           \
  X(i16x8_extend_low_i8x16_s, 0x87, (v_extend<i8, i16, 0>(va)))                \
  X(i16x8_extend_high_i8x16_s, 0x88, (v_extend<i8, i16, 1>(va)))               \
  X(i16x8_extend_low_i8x16_u, 0x89, (v_extend<u8, u16, 0>(va)))                \
  X(i16x8_extend_high_i8x16_u, 0x8a, (v_extend<u8, u16, 1>(va)))               \
  X(i32x4_extend_low_i16x8_s, 0xa7, (v_extend<i16, i32, 0>(va)))               \
  X(i32x4_extend_high_i16x8_s, 0xa8, (v_extend<i16, i32, 1>(va)))              \
  X(i32x4_extend_low_i16x8_u, 0xa9, (v_extend<u16, u32, 0>(va)))               \
  X(i32x4_extend_high_i16x8_u, 0xaa, (v_extend<u16, u32, 1>(va)))              \
  X(i64x2_extend_low_i32x4_s, 0xc7, (v_extend<i32, i64, 0>(va)))               \
  X(i64x2_extend_high_i32x4_s, 0xc8, (v_extend<i32, i64, 1>(va)))              \
  X(i64x2_extend_low_i32x4_u, 0xc9, (v_extend<u32, u64, 0>(va)))               \
  X(i64x2_extend_high_i32x4_u, 0xca, (v_extend<u32, u64, 1>(va)))              \
  X(i32x4_trunc_sat_f64x2_s_zero, 0xfc, (v_trunc_sat_zero<std::int32_t>(va)))  \
  X(i32x4_trunc_sat_f64x2_u_zero, 0xfd, (v_trunc_sat_zero<std::uint32_t>(va))) \
  X(f64x2_convert_low_i32x4_s, 0xfe, (v_convert_low<i32>(va)))                 \
  X(f64x2_convert_low_i32x4_u, 0xff, (v_convert_low<u32>(va)))

// Shifts by an i32 (taken modulo the lane width): name, sub-opcode, lane
// type, the lane's result from lane a and the count n.
#define VITTE_WASM_SIMD_SHIFT(X)           \
  X(i8x16_shl, 0x6b, u8, a << (n & 7))     \
  X(i8x16_shr_s, 0x6c, i8, a >> (n & 7))   \
  X(i8x16_shr_u, 0x6d, u8, a >> (n & 7))   \
  X(i16x8_shl, 0x8b, u16, a << (n & 15))   \
  X(i16x8_shr_s, 0x8c, i16, a >> (n & 15)) \
  X(i16x8_shr_u, 0x8d, u16, a >> (n & 15)) \
  X(i32x4_shl, 0xab, u32, a << (n & 31))   \
  X(i32x4_shr_s, 0xac, i32, a >> (n & 31)) \
  X(i32x4_shr_u, 0xad, u32, a >> (n & 31)) \
  X(i64x2_shl, 0xcb, u64, a << (n & 63))   \
  X(i64x2_shr_s, 0xcc, i64, a >> (n & 63)) \
  X(i64x2_shr_u, 0xcd, u64, a >> (n & 63))

// Tests of a vector, with an i32 result: name, sub-opcode, the result from va.
#define VITTE_WASM_SIMD_TEST(X)                \
  X(v128_any_true, 0x53, v_any_true(va))       \
  X(i8x16_all_true, 0x63, v_all_true<u8>(va))  \
  X(i8x16_bitmask, 0x64, v_bitmask<i8>(va))    \
  X(i16x8_all_true, 0x83, v_all_true<u16>(va)) \
  X(i16x8_bitmask, 0x84, v_bitmask<i16>(va))   \
  X(i32x4_all_true, 0xa3, v_all_true<u32>(va)) \
  X(i32x4_bitmask, 0xa4, v_bitmask<i32>(va))   \
  X(i64x2_all_true, 0xc3, v_all_true<u64>(va)) \
  X(i64x2_bitmask, 0xc4, v_bitmask<i64>(va))

// Splats: name, sub-opcode, operand type, cell field, lane type.
#define VITTE_WASM_SIMD_SPLAT(X)      \
  X(i8x16_splat, 0x0f, i32, u32, u8)  \
  X(i16x8_splat, 0x10, i32, u32, u16) \
  X(i32x4_splat, 0x11, i32, u32, u32) \
  X(i64x2_splat, 0x12, i64, u64, u64) \
  X(f32x4_splat, 0x13, f32, u32, u32) \
  X(f64x2_splat, 0x14, f64, u64, u64)

// Lane reads and writes: name, sub-opcode, scalar type, cell field, lane
// type, lane count.
#define VITTE_WASM_SIMD_EXTRACT(X)                \
  X(i8x16_extract_lane_s, 0x15, i32, i32, i8, 16) \
  X(i8x16_extract_lane_u, 0x16, i32, u32, u8, 16) \
  X(i16x8_extract_lane_s, 0x18, i32, i32, i16, 8) \
  X(i16x8_extract_lane_u, 0x19, i32, u32, u16, 8) \
  X(i32x4_extract_lane, 0x1b, i32, u32, u32, 4)   \
  X(i64x2_extract_lane, 0x1d, i64, u64, u64, 2)   \
  X(f32x4_extract_lane, 0x1f, f32, u32, u32, 4)   \
  X(f64x2_extract_lane, 0x21, f64, u64, u64, 2)
#define VITTE_WASM_SIMD_REPLACE(X)              \
  X(i8x16_replace_lane, 0x17, i32, u32, u8, 16) \
  X(i16x8_replace_lane, 0x1a, i32, u32, u16, 8) \
  X(i32x4_replace_lane, 0x1c, i32, u32, u32, 4) \
  X(i64x2_replace_lane, 0x1e, i64, u64, u64, 2) \
  X(f32x4_replace_lane, 0x20, f32, u32, u32, 4) \
  X(f64x2_replace_lane, 0x22, f64, u64, u64, 2)

// Loads into a vector: name, sub-opcode, natural alignment (log2), bytes
// read, the vector from `raw` (those bytes, the rest zero).
#define VITTE_WASM_SIMD_LOADS(X)                               \
  X(v128_load, 0x00, 4, 16, raw)                               \
  X(v128_load8x8_s, 0x01, 3, 8, (v_extend<i8, i16, 0>(raw)))   \
  X(v128_load8x8_u, 0x02, 3, 8, (v_extend<u8, u16, 0>(raw)))   \
  X(v128_load16x4_s, 0x03, 3, 8, (v_extend<i16, i32, 0>(raw))) \
  X(v128_load16x4_u, 0x04, 3, 8, (v_extend<u16, u32, 0>(raw))) \
  X(v128_load32x2_s, 0x05, 3, 8, (v_extend<i32, i64, 0>(raw))) \
  X(v128_load32x2_u, 0x06, 3, 8, (v_extend<u32, u64, 0>(raw))) \
  X(v128_load8_splat, 0x07, 0, 1, v_splat_low<u8>(raw))        \
  X(v128_load16_splat, 0x08, 1, 2, v_splat_low<u16>(raw))      \
  X(v128_load32_splat, 0x09, 2, 4, v_splat_low<u32>(raw))      \
  X(v128_load64_splat, 0x0a, 3, 8, v_splat_low<u64>(raw))      \
  X(v128_load32_zero, 0x5c, 2, 4, raw)                         \
  X(v128_load64_zero, 0x5d, 3, 8, raw)

// Loads and stores of one lane: name, sub-opcode, natural alignment (log2),
// lane type, lane count.
#define VITTE_WASM_SIMD_LANE_LOADS(X)  \
  X(v128_load8_lane, 0x54, 0, u8, 16)  \
  X(v128_load16_lane, 0x55, 1, u16, 8) \
  X(v128_load32_lane, 0x56, 2, u32, 4) \
  X(v128_load64_lane, 0x57, 3, u64, 2)
#define VITTE_WASM_SIMD_LANE_STORES(X)  \
  X(v128_store8_lane, 0x58, 0, u8, 16)  \
  X(v128_store16_lane, 0x59, 1, u16, 8) \
  X(v128_store32_lane, 0x5a, 2, u32, 4) \
  X(v128_store64_lane, 0x5b, 3, u64, 2)

// Every v128 -> v128 and (v128, v128) -> v128 instruction, as (name, sub-opcode, ...).
#define VITTE_WASM_SIMD_UNARY(X) VITTE_WASM_SIMD_LANEWISE1(X) VITTE_WASM_SIMD_OTHER1(X)
#define VITTE_WASM_SIMD_BINARY(X) VITTE_WASM_SIMD_LANEWISE2(X) VITTE_WASM_SIMD_COMPARE(X) VITTE_WASM_SIMD_OTHER2(X)

// The instructions of their own shape (listed after the handler words above).
// clang-format off
#define VITTE_WASM_SIMD_CONTROL(X) \
  X(v128_store) \
  X(v128_const) \
  X(i8x16_shuffle) \
  X(v128_bitselect) \
  X(copy128) \
  X(select128) \
  X(global_get128) \
  X(global_set128) \
  X(simd_call2) \
  X(simd_call3) \
  X(simd_call4)
// clang-format on

// Every SIMD instruction of the internal set, as (name, ...).
// clang-format off
#define VITTE_WASM_SIMD_ALL(X, XC) \
  VITTE_WASM_SIMD_CONTROL(XC) \
  VITTE_WASM_SIMD_UNARY(X) \
  VITTE_WASM_SIMD_BINARY(X) \
  VITTE_WASM_SIMD_SHIFT(X) \
  VITTE_WASM_SIMD_TEST(X) \
  VITTE_WASM_SIMD_SPLAT(X) \
  VITTE_WASM_SIMD_EXTRACT(X) \
  VITTE_WASM_SIMD_REPLACE(X) \
  VITTE_WASM_SIMD_LOADS(X) \
  VITTE_WASM_SIMD_LANE_LOADS(X) \
  VITTE_WASM_SIMD_LANE_STORES(X)
// clang-format on

#endif  // VITTE_WASM_IMPL_SIMD_CODE_HPP
