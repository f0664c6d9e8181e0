// vitte/wasm/impl/code.hpp - the engine's internal instruction set.
//
// Functions are translated, on their first call, from WebAssembly's stack
// code into a register-slot code: every operand names a cell of the frame
// (locals first, then one cell per operand-stack height), so local.get and
// constants mostly disappear into the operands of the instructions that use
// them, and a result can be written straight into the local that keeps it.
//
// An instruction is a run of 32-bit words: two words of handler (the address
// the dispatcher jumps to, or the opcode number in the switch loop), then its
// operands. Branch offsets are in words, relative to the branching
// instruction's first word. Pointers (functions, globals, tables) take two
// words.
//
// A function is translated once per module in a store: the words that name
// the instance's own objects (functions, globals, tables, type ids) are
// listed as references, so that another instance of the module copies the
// code and writes its own objects there (instance_refs below).
#ifndef VITTE_WASM_IMPL_CODE_HPP
#define VITTE_WASM_IMPL_CODE_HPP

#include <vitte/wasm/impl/simd_code.hpp>
#include <vitte/wasm/types.hpp>

#include <cstdint>
#include <vector>

namespace vitte::wasm::detail {

// Numeric instructions: name, opcode (0x1nn for the 0xfc prefix), operand
// type, result type, operand cell field, result cell field, expression of a
// (and b). The validator, the translator and every dispatcher read this one
// list. Trapping ones (division, float-to-int truncation) use a helper that
// returns the trap, named T_*.
#define VITTE_WASM_UNARY(X)                                                            \
  X(i32_eqz, 0x45, i32, i32, u32, u32, a == 0)                                         \
  X(i64_eqz, 0x50, i64, i32, u64, u32, a == 0)                                         \
  X(i32_clz, 0x67, i32, i32, u32, u32, ops_clz32(a))                                   \
  X(i32_ctz, 0x68, i32, i32, u32, u32, ops_ctz32(a))                                   \
  X(i32_popcnt, 0x69, i32, i32, u32, u32, ops_popcnt32(a))                             \
  X(i64_clz, 0x79, i64, i64, u64, u64, ops_clz64(a))                                   \
  X(i64_ctz, 0x7a, i64, i64, u64, u64, ops_ctz64(a))                                   \
  X(i64_popcnt, 0x7b, i64, i64, u64, u64, ops_popcnt64(a))                             \
  X(f32_abs, 0x8b, f32, f32, u32, u32, a & 0x7fffffffu)                                \
  X(f32_neg, 0x8c, f32, f32, u32, u32, a ^ 0x80000000u)                                \
  X(f32_ceil, 0x8d, f32, f32, f32, f32, ops_ceil(a))                                   \
  X(f32_floor, 0x8e, f32, f32, f32, f32, ops_floor(a))                                 \
  X(f32_trunc, 0x8f, f32, f32, f32, f32, ops_trunc(a))                                 \
  X(f32_nearest, 0x90, f32, f32, f32, f32, ops_nearest(a))                             \
  X(f32_sqrt, 0x91, f32, f32, f32, f32, ops_sqrt(a))                                   \
  X(f64_abs, 0x99, f64, f64, u64, u64, a & 0x7fffffffffffffffull)                      \
  X(f64_neg, 0x9a, f64, f64, u64, u64, a ^ 0x8000000000000000ull)                      \
  X(f64_ceil, 0x9b, f64, f64, f64, f64, ops_ceil(a))                                   \
  X(f64_floor, 0x9c, f64, f64, f64, f64, ops_floor(a))                                 \
  X(f64_trunc, 0x9d, f64, f64, f64, f64, ops_trunc(a))                                 \
  X(f64_nearest, 0x9e, f64, f64, f64, f64, ops_nearest(a))                             \
  X(f64_sqrt, 0x9f, f64, f64, f64, f64, ops_sqrt(a))                                   \
  X(i32_wrap_i64, 0xa7, i64, i32, u64, u32, static_cast<std::uint32_t>(a))             \
  X(i64_extend_i32_s, 0xac, i32, i64, i32, i64, static_cast<std::int64_t>(a))          \
  X(i64_extend_i32_u, 0xad, i32, i64, u32, u64, static_cast<std::uint64_t>(a))         \
  X(f32_convert_i32_s, 0xb2, i32, f32, i32, f32, static_cast<float>(a))                \
  X(f32_convert_i32_u, 0xb3, i32, f32, u32, f32, static_cast<float>(a))                \
  X(f32_convert_i64_s, 0xb4, i64, f32, i64, f32, static_cast<float>(a))                \
  X(f32_convert_i64_u, 0xb5, i64, f32, u64, f32, static_cast<float>(a))                \
  X(f32_demote_f64, 0xb6, f64, f32, f64, f32, static_cast<float>(a))                   \
  X(f64_convert_i32_s, 0xb7, i32, f64, i32, f64, static_cast<double>(a))               \
  X(f64_convert_i32_u, 0xb8, i32, f64, u32, f64, static_cast<double>(a))               \
  X(f64_convert_i64_s, 0xb9, i64, f64, i64, f64, static_cast<double>(a))               \
  X(f64_convert_i64_u, 0xba, i64, f64, u64, f64, static_cast<double>(a))               \
  X(f64_promote_f32, 0xbb, f32, f64, f32, f64, static_cast<double>(a))                 \
  X(i32_reinterpret_f32, 0xbc, f32, i32, u32, u32, a)                                  \
  X(i64_reinterpret_f64, 0xbd, f64, i64, u64, u64, a)                                  \
  X(f32_reinterpret_i32, 0xbe, i32, f32, u32, u32, a)                                  \
  X(f64_reinterpret_i64, 0xbf, i64, f64, u64, u64, a)                                  \
  X(i32_extend8_s, 0xc0, i32, i32, u32, i32, static_cast<std::int8_t>(a))              \
  X(i32_extend16_s, 0xc1, i32, i32, u32, i32, static_cast<std::int16_t>(a))            \
  X(i64_extend8_s, 0xc2, i64, i64, u64, i64, static_cast<std::int8_t>(a))              \
  X(i64_extend16_s, 0xc3, i64, i64, u64, i64, static_cast<std::int16_t>(a))            \
  X(i64_extend32_s, 0xc4, i64, i64, u64, i64, static_cast<std::int32_t>(a))            \
  X(i32_trunc_sat_f32_s, 0x100, f32, i32, f32, i32, (ops_trunc_sat<std::int32_t>(a)))  \
  X(i32_trunc_sat_f32_u, 0x101, f32, i32, f32, u32, (ops_trunc_sat<std::uint32_t>(a))) \
  X(i32_trunc_sat_f64_s, 0x102, f64, i32, f64, i32, (ops_trunc_sat<std::int32_t>(a)))  \
  X(i32_trunc_sat_f64_u, 0x103, f64, i32, f64, u32, (ops_trunc_sat<std::uint32_t>(a))) \
  X(i64_trunc_sat_f32_s, 0x104, f32, i64, f32, i64, (ops_trunc_sat<std::int64_t>(a)))  \
  X(i64_trunc_sat_f32_u, 0x105, f32, i64, f32, u64, (ops_trunc_sat<std::uint64_t>(a))) \
  X(i64_trunc_sat_f64_s, 0x106, f64, i64, f64, i64, (ops_trunc_sat<std::int64_t>(a)))  \
  X(i64_trunc_sat_f64_u, 0x107, f64, i64, f64, u64, (ops_trunc_sat<std::uint64_t>(a)))

// Unary operations that may trap: the helper returns false and names the trap.
#define VITTE_WASM_UNARY_TRAPPING(X)                              \
  X(i32_trunc_f32_s, 0xa8, f32, i32, f32, i32, ops_trunc_checked) \
  X(i32_trunc_f32_u, 0xa9, f32, i32, f32, u32, ops_trunc_checked) \
  X(i32_trunc_f64_s, 0xaa, f64, i32, f64, i32, ops_trunc_checked) \
  X(i32_trunc_f64_u, 0xab, f64, i32, f64, u32, ops_trunc_checked) \
  X(i64_trunc_f32_s, 0xae, f32, i64, f32, i64, ops_trunc_checked) \
  X(i64_trunc_f32_u, 0xaf, f32, i64, f32, u64, ops_trunc_checked) \
  X(i64_trunc_f64_s, 0xb0, f64, i64, f64, i64, ops_trunc_checked) \
  X(i64_trunc_f64_u, 0xb1, f64, i64, f64, u64, ops_trunc_checked)

#define VITTE_WASM_BINARY(X)                                                       \
  X(i32_eq, 0x46, i32, i32, u32, u32, a == b)                                      \
  X(i32_ne, 0x47, i32, i32, u32, u32, a != b)                                      \
  X(i32_lt_s, 0x48, i32, i32, i32, u32, a < b)                                     \
  X(i32_lt_u, 0x49, i32, i32, u32, u32, a < b)                                     \
  X(i32_gt_s, 0x4a, i32, i32, i32, u32, a > b)                                     \
  X(i32_gt_u, 0x4b, i32, i32, u32, u32, a > b)                                     \
  X(i32_le_s, 0x4c, i32, i32, i32, u32, a <= b)                                    \
  X(i32_le_u, 0x4d, i32, i32, u32, u32, a <= b)                                    \
  X(i32_ge_s, 0x4e, i32, i32, i32, u32, a >= b)                                    \
  X(i32_ge_u, 0x4f, i32, i32, u32, u32, a >= b)                                    \
  X(i64_eq, 0x51, i64, i32, u64, u32, a == b)                                      \
  X(i64_ne, 0x52, i64, i32, u64, u32, a != b)                                      \
  X(i64_lt_s, 0x53, i64, i32, i64, u32, a < b)                                     \
  X(i64_lt_u, 0x54, i64, i32, u64, u32, a < b)                                     \
  X(i64_gt_s, 0x55, i64, i32, i64, u32, a > b)                                     \
  X(i64_gt_u, 0x56, i64, i32, u64, u32, a > b)                                     \
  X(i64_le_s, 0x57, i64, i32, i64, u32, a <= b)                                    \
  X(i64_le_u, 0x58, i64, i32, u64, u32, a <= b)                                    \
  X(i64_ge_s, 0x59, i64, i32, i64, u32, a >= b)                                    \
  X(i64_ge_u, 0x5a, i64, i32, u64, u32, a >= b)                                    \
  X(f32_eq, 0x5b, f32, i32, f32, u32, a == b)                                      \
  X(f32_ne, 0x5c, f32, i32, f32, u32, a != b)                                      \
  X(f32_lt, 0x5d, f32, i32, f32, u32, a < b)                                       \
  X(f32_gt, 0x5e, f32, i32, f32, u32, a > b)                                       \
  X(f32_le, 0x5f, f32, i32, f32, u32, a <= b)                                      \
  X(f32_ge, 0x60, f32, i32, f32, u32, a >= b)                                      \
  X(f64_eq, 0x61, f64, i32, f64, u32, a == b)                                      \
  X(f64_ne, 0x62, f64, i32, f64, u32, a != b)                                      \
  X(f64_lt, 0x63, f64, i32, f64, u32, a < b)                                       \
  X(f64_gt, 0x64, f64, i32, f64, u32, a > b)                                       \
  X(f64_le, 0x65, f64, i32, f64, u32, a <= b)                                      \
  X(f64_ge, 0x66, f64, i32, f64, u32, a >= b)                                      \
  X(i32_add, 0x6a, i32, i32, u32, u32, a + b)                                      \
  X(i32_sub, 0x6b, i32, i32, u32, u32, a - b)                                      \
  X(i32_mul, 0x6c, i32, i32, u32, u32, a* b)                                       \
  X(i32_and, 0x71, i32, i32, u32, u32, a& b)                                       \
  X(i32_or, 0x72, i32, i32, u32, u32, a | b)                                       \
  X(i32_xor, 0x73, i32, i32, u32, u32, a ^ b)                                      \
  X(i32_shl, 0x74, i32, i32, u32, u32, a << (b & 31))                              \
  X(i32_shr_s, 0x75, i32, i32, i32, i32, a >> (b & 31))                            \
  X(i32_shr_u, 0x76, i32, i32, u32, u32, a >> (b & 31))                            \
  X(i32_rotl, 0x77, i32, i32, u32, u32, ops_rotl32(a, b))                          \
  X(i32_rotr, 0x78, i32, i32, u32, u32, ops_rotr32(a, b))                          \
  X(i64_add, 0x7c, i64, i64, u64, u64, a + b)                                      \
  X(i64_sub, 0x7d, i64, i64, u64, u64, a - b)                                      \
  X(i64_mul, 0x7e, i64, i64, u64, u64, a* b)                                       \
  X(i64_and, 0x83, i64, i64, u64, u64, a& b)                                       \
  X(i64_or, 0x84, i64, i64, u64, u64, a | b)                                       \
  X(i64_xor, 0x85, i64, i64, u64, u64, a ^ b)                                      \
  X(i64_shl, 0x86, i64, i64, u64, u64, a << (b & 63))                              \
  X(i64_shr_s, 0x87, i64, i64, i64, i64, a >> (b & 63))                            \
  X(i64_shr_u, 0x88, i64, i64, u64, u64, a >> (b & 63))                            \
  X(i64_rotl, 0x89, i64, i64, u64, u64, ops_rotl64(a, b))                          \
  X(i64_rotr, 0x8a, i64, i64, u64, u64, ops_rotr64(a, b))                          \
  X(f32_add, 0x92, f32, f32, f32, f32, a + b)                                      \
  X(f32_sub, 0x93, f32, f32, f32, f32, a - b)                                      \
  X(f32_mul, 0x94, f32, f32, f32, f32, a* b)                                       \
  X(f32_div, 0x95, f32, f32, f32, f32, a / b)                                      \
  X(f32_min, 0x96, f32, f32, f32, f32, ops_min(a, b))                              \
  X(f32_max, 0x97, f32, f32, f32, f32, ops_max(a, b))                              \
  X(f32_copysign, 0x98, f32, f32, u32, u32, (a & 0x7fffffffu) | (b & 0x80000000u)) \
  X(f64_add, 0xa0, f64, f64, f64, f64, a + b)                                      \
  X(f64_sub, 0xa1, f64, f64, f64, f64, a - b)                                      \
  X(f64_mul, 0xa2, f64, f64, f64, f64, a* b)                                       \
  X(f64_div, 0xa3, f64, f64, f64, f64, a / b)                                      \
  X(f64_min, 0xa4, f64, f64, f64, f64, ops_min(a, b))                              \
  X(f64_max, 0xa5, f64, f64, f64, f64, ops_max(a, b))                              \
  X(f64_copysign, 0xa6, f64, f64, u64, u64, (a & 0x7fffffffffffffffull) | (b & 0x8000000000000000ull))

#define VITTE_WASM_BINARY_TRAPPING(X)               \
  X(i32_div_s, 0x6d, i32, i32, i32, i32, ops_div_s) \
  X(i32_div_u, 0x6e, i32, i32, u32, u32, ops_div_u) \
  X(i32_rem_s, 0x6f, i32, i32, i32, i32, ops_rem_s) \
  X(i32_rem_u, 0x70, i32, i32, u32, u32, ops_rem_u) \
  X(i64_div_s, 0x7f, i64, i64, i64, i64, ops_div_s) \
  X(i64_div_u, 0x80, i64, i64, u64, u64, ops_div_u) \
  X(i64_rem_s, 0x81, i64, i64, i64, i64, ops_rem_s) \
  X(i64_rem_u, 0x82, i64, i64, u64, u64, ops_rem_u)

// Loads and stores: name, opcode, value type, natural alignment (log2),
// cell field, C type in memory.
#define VITTE_WASM_LOADS(X)                         \
  X(i32_load, 0x28, i32, 2, u32, std::uint32_t)     \
  X(i64_load, 0x29, i64, 3, u64, std::uint64_t)     \
  X(f32_load, 0x2a, f32, 2, u32, std::uint32_t)     \
  X(f64_load, 0x2b, f64, 3, u64, std::uint64_t)     \
  X(i32_load8_s, 0x2c, i32, 0, i32, std::int8_t)    \
  X(i32_load8_u, 0x2d, i32, 0, u32, std::uint8_t)   \
  X(i32_load16_s, 0x2e, i32, 1, i32, std::int16_t)  \
  X(i32_load16_u, 0x2f, i32, 1, u32, std::uint16_t) \
  X(i64_load8_s, 0x30, i64, 0, i64, std::int8_t)    \
  X(i64_load8_u, 0x31, i64, 0, u64, std::uint8_t)   \
  X(i64_load16_s, 0x32, i64, 1, i64, std::int16_t)  \
  X(i64_load16_u, 0x33, i64, 1, u64, std::uint16_t) \
  X(i64_load32_s, 0x34, i64, 2, i64, std::int32_t)  \
  X(i64_load32_u, 0x35, i64, 2, u64, std::uint32_t)

#define VITTE_WASM_STORES(X)                       \
  X(i32_store, 0x36, i32, 2, u32, std::uint32_t)   \
  X(i64_store, 0x37, i64, 3, u64, std::uint64_t)   \
  X(f32_store, 0x38, f32, 2, u32, std::uint32_t)   \
  X(f64_store, 0x39, f64, 3, u64, std::uint64_t)   \
  X(i32_store8, 0x3a, i32, 0, u32, std::uint8_t)   \
  X(i32_store16, 0x3b, i32, 1, u32, std::uint16_t) \
  X(i64_store8, 0x3c, i64, 0, u64, std::uint8_t)   \
  X(i64_store16, 0x3d, i64, 1, u64, std::uint16_t) \
  X(i64_store32, 0x3e, i64, 2, u64, std::uint32_t)

// The other instructions, with their operands after the handler words:
//   unreachable                         trap
//   halt                                leave the dispatcher (the host's return address)
//   br          off                     jump
//   br_if       a off / br_if_not a off jump when fp[a] != 0 / == 0
//   br_table    a n off*(n+1)           jump to off[min(fp[a], n)]
//   copy        d a                     fp[d] = fp[a]
//   move        d s n                   fp[d..d+n) = fp[s..s+n)
//   const32     d v / const64 d lo hi
//   select      d a b c                 fp[d] = fp[c] ? fp[a] : fp[b]
//   ret         s n                     results fp[s..s+n) to fp[0..n), back to the caller
//   call        o fn(2)                 callee frame at fp+o
//   call_indirect o a table(2) type     callee fp[a] of the table, type checked
//   return_call s fn(2) / return_call_indirect s a table(2) type
//   global_get  d g(2) / global_set a g(2)
//   memory_size d / memory_grow d a / memory_fill d v n / memory_copy d s n
//   memory_init d s n seg / data_drop seg
//   table_get d a t(2) / table_set a b t(2) / table_size d t(2) / table_grow d v n t(2)
//   table_fill i v n t(2) / table_copy d s n dst(2) src(2) / table_init d s n t(2) seg / elem_drop seg
//   ref_null d / ref_is_null d a / ref_func d fn(2)
//   fuel        cost                    charge a basic block's instructions (first of each block, metered stores)
//   poll                                trap when interrupted or past the deadline (loop headers, function entries)
//   <load> d a offset / <store> a v offset
//   <unary> d a / <binary> d a b
// Two instructions fused where the first's result only feeds the second
// (the most frequent pairs, on CoreMark, zlib, bzip2 and Lua):
//   i32_shr_u_and_imm d a s m           d = (a >> s) & m          (s < 32)
//   i32_and_eq_imm d a m k              d = (a & m) == k   (i32.eqz of an and: k = 0)
//   i32_and_ne_imm d a m k              d = (a & m) != k
//   br_if_i32_and_eq_imm a m k off      branch when (a & m) == k
//   br_if_i32_and_ne_imm a m k off      branch when (a & m) != k (br_if on an and: k = 0)
//   i32_mul_add d a b c                 d = a * b + c
//   i32_add_and_imm d a k m             d = (a + k) & m
//   i32_add_shl_imm d a b s             d = a + (b << s)          (s < 32)
//   i32_and_shl_imm d a m s             d = (a & m) << s          (s < 32)
//   i32_shr_u_xor d a s b               d = (a >> s) ^ b          (s < 32)
//   select_and_imm d c m a b            d = (c & m) != 0 ? a : b  (select on a bit test)
//   i32_add_imm_br_table a k n off*(n+1)  br_table on a + k (a switch that moves no values)
// and two additions of a constant in a row, in their order (the second's
// result first, so that a local.set may redirect it):
//   i32_add_imm_pair d a k d1 a1 k1     d1 = a1 + k1, then d = a + k
// and a branch with the copy or the addition before it (phi moves, loop
// counters):
//   copy_br d s off                     copy, then jump
//   copy_br_if d s c off                copy, then branch when c != 0
//   copy_br_if_not d s c off            copy, then branch when c == 0
//   i32_add_imm_br_if d a k off         d = a + k, then branch when d != 0
//   i32_add_imm_br_if_not d a k off     d = a + k, then branch when d == 0
//   i32_and_imm_br_if_eq_imm d a m k off  d = a & m, then branch when d == k
//   i32_and_imm_br_if_ne_imm d a m k off  d = a & m, then branch when d != k
//   copy_br_if_i32_eq_imm d s a k off   copy, then branch when a == k
//   copy_br_if_i32_ne_imm d s a k off   copy, then branch when a != k
// and two moves in a row:
//   const32_copy d v cd cs              fp[d] = v, then fp[cd] = fp[cs]
//   copy_pair d s d1 s1                 fp[d] = fp[s], then fp[d1] = fp[s1]
// clang-format off
// The fused instructions above whose first operand is an i32 read from its
// cell, which also come in a form reading it from the accumulator (below):
// those that make a value, and those that only branch on one.
#define VITTE_WASM_ARITH_MAKERS(X) \
  X(i32_shr_u_and_imm) \
  X(i32_and_eq_imm) \
  X(i32_and_ne_imm) \
  X(i32_mul_add) \
  X(i32_add_and_imm) \
  X(i32_and_shl_imm) \
  X(i32_add_shl_imm) \
  X(i32_add_imm_br_if) \
  X(i32_add_imm_br_if_not) \
  X(i32_and_imm_br_if_eq_imm) \
  X(i32_and_imm_br_if_ne_imm) \
  X(i32_shr_u_xor) \
  X(select_and_imm)
#define VITTE_WASM_ARITH_TESTS(X) \
  X(br_if_i32_and_eq_imm) \
  X(br_if_i32_and_ne_imm) \
  X(i32_add_imm_br_table)
#define VITTE_WASM_ARITH_PAIRS(X) VITTE_WASM_ARITH_MAKERS(X) VITTE_WASM_ARITH_TESTS(X)
#define VITTE_WASM_CONTROL(X) \
  X(unreachable) \
  X(halt) \
  X(br) \
  X(br_if) \
  X(br_if_not) \
  X(br_table) \
  X(copy) \
  X(move) \
  X(const32) \
  X(const64) \
  X(select) \
  X(ret) \
  X(call) \
  X(call_indirect) \
  X(return_call) \
  X(return_call_indirect) \
  X(global_get) \
  X(global_set) \
  X(memory_size) \
  X(memory_grow) \
  X(memory_fill) \
  X(memory_copy) \
  X(memory_init) \
  X(data_drop) \
  X(table_get) \
  X(table_set) \
  X(table_size) \
  X(table_grow) \
  X(table_fill) \
  X(table_copy) \
  X(table_init) \
  X(elem_drop) \
  X(ref_null) \
  X(ref_is_null) \
  X(ref_func) \
  X(fuel) \
  X(poll) \
  VITTE_WASM_ARITH_PAIRS(X) \
  X(i32_add_imm_pair) \
  X(copy_br) \
  X(copy_br_if) \
  X(copy_br_if_not) \
  X(const32_copy) \
  X(copy_br_if_i32_eq_imm) \
  X(copy_br_if_i32_ne_imm) \
  X(copy_pair)
// clang-format on

// Loads fused with the instruction before them (the same counts),
// each also in a form that checks nothing (guard pages), as the loads are;
// the words after the handler's, done in the order written:
//   copy_i32_load d a off cd ca         fp[cd] = fp[ca], then d = i32.load(a + off)
//   i32_load_load d a off d1 off2       d1 = i32.load(a + off), then d = i32.load(d1 + off2)
//   i32_load_load8_u d a off d1 off2    d1 = i32.load(a + off), then d = i32.load8_u(d1 + off2)
//   i32_load_load16_u d a off d1 off2   the same with i32.load16_u
//   i32_load_br_if d a off target       d = i32.load(a + off), then branch when d != 0
//   i32_load_br_if_not d a off target   ... when d == 0
//   i32_load8_u_br_if d a off target    d = i32.load8_u(a + off), then branch when d != 0
//   i32_load8_u_br_if_not d a off target
// and, where the first result was a temporary only the second read, the
// load of an address just computed (i32.load, i32.load8_u, i32.load16_u and
// i32.load16_s; the sum wraps at 2^32, then the offset is added) and an
// addition to the value just loaded:
//   i32_add_<load> d a b off            d = <load>(a + b + off)
//   i32_add_imm_<load> d a k off        d = <load>(a + k + off)
//   i32_add_shl_<load> d a b s off      d = <load>(a + (b << s) + off)
//   i32_load_add_imm d a off k          d = i32.load(a + off) + k
#define VITTE_WASM_FUSED_LOADS(X) X(copy_i32_load, 7) VITTE_WASM_ADDRESS_LOADS(X)
// The fused loads whose address is their first operand (word 3).
#define VITTE_WASM_ADDRESS_LOADS(X) \
  X(i32_load_load, 7)               \
  X(i32_load_load8_u, 7)            \
  X(i32_load_load16_u, 7)           \
  X(i32_load_br_if, 6)              \
  X(i32_load_br_if_not, 6)          \
  X(i32_load8_u_br_if, 6)           \
  X(i32_load8_u_br_if_not, 6)       \
  X(i32_load_add_imm, 6)            \
  X(i32_add_load, 6)                \
  X(i32_add_load8_u, 6)             \
  X(i32_add_load16_u, 6)            \
  X(i32_add_load16_s, 6)            \
  X(i32_add_imm_load, 6)            \
  X(i32_add_imm_load8_u, 6)         \
  X(i32_add_imm_load16_u, 6)        \
  X(i32_add_imm_load16_s, 6)        \
  X(i32_add_shl_load, 7)            \
  X(i32_add_shl_load8_u, 7)         \
  X(i32_add_shl_load16_u, 7)        \
  X(i32_add_shl_load16_s, 7)

// Branches fused with the i32 or i64 comparison that feeds them: name, the
// cell field compared, the operator, and the comparison they replace (its
// opposite is used for a branch on false).
//   br_if_<cmp> a b off                 jump when fp[a] <cmp> fp[b]
#define VITTE_WASM_FUSED_BRANCHES(X)   \
  X(br_if_i32_eq, u32, ==, i32_eq)     \
  X(br_if_i32_ne, u32, !=, i32_ne)     \
  X(br_if_i32_lt_s, i32, <, i32_lt_s)  \
  X(br_if_i32_lt_u, u32, <, i32_lt_u)  \
  X(br_if_i32_gt_s, i32, >, i32_gt_s)  \
  X(br_if_i32_gt_u, u32, >, i32_gt_u)  \
  X(br_if_i32_le_s, i32, <=, i32_le_s) \
  X(br_if_i32_le_u, u32, <=, i32_le_u) \
  X(br_if_i32_ge_s, i32, >=, i32_ge_s) \
  X(br_if_i32_ge_u, u32, >=, i32_ge_u) \
  X(br_if_i64_eq, u64, ==, i64_eq)     \
  X(br_if_i64_ne, u64, !=, i64_ne)     \
  X(br_if_i64_lt_s, i64, <, i64_lt_s)  \
  X(br_if_i64_lt_u, u64, <, i64_lt_u)  \
  X(br_if_i64_gt_s, i64, >, i64_gt_s)  \
  X(br_if_i64_gt_u, u64, >, i64_gt_u)  \
  X(br_if_i64_le_s, i64, <=, i64_le_s) \
  X(br_if_i64_le_u, u64, <=, i64_le_u) \
  X(br_if_i64_ge_s, i64, >=, i64_ge_s) \
  X(br_if_i64_ge_u, u64, >=, i64_ge_u)

// i32 and i64 operations whose second operand is a constant held in the
// instruction (`i32.add` of `i32.const 1`, `i32.and` of a mask, a bound
// compared): name, the operation, operand cell field, result cell field,
// expression of a and b. The constant is one word (i32) or two, low word
// first (i64).
//   <binary>_imm d a v                  fp[d] = fp[a] <op> v
//   <binary>_imm d a lo hi              (i64)
// clang-format off
#define VITTE_WASM_BINARY_IMM(X) \
  X(i32_eq_imm, i32_eq, u32, u32, a == b) \
  X(i32_ne_imm, i32_ne, u32, u32, a != b) \
  X(i32_lt_s_imm, i32_lt_s, i32, u32, a < b) \
  X(i32_lt_u_imm, i32_lt_u, u32, u32, a < b) \
  X(i32_gt_s_imm, i32_gt_s, i32, u32, a > b) \
  X(i32_gt_u_imm, i32_gt_u, u32, u32, a > b) \
  X(i32_le_s_imm, i32_le_s, i32, u32, a <= b) \
  X(i32_le_u_imm, i32_le_u, u32, u32, a <= b) \
  X(i32_ge_s_imm, i32_ge_s, i32, u32, a >= b) \
  X(i32_ge_u_imm, i32_ge_u, u32, u32, a >= b) \
  X(i32_add_imm, i32_add, u32, u32, a + b) \
  X(i32_sub_imm, i32_sub, u32, u32, a - b) \
  X(i32_mul_imm, i32_mul, u32, u32, a * b) \
  X(i32_and_imm, i32_and, u32, u32, a & b) \
  X(i32_or_imm, i32_or, u32, u32, a | b) \
  X(i32_xor_imm, i32_xor, u32, u32, a ^ b) \
  X(i32_shl_imm, i32_shl, u32, u32, a << (b & 31)) \
  X(i32_shr_s_imm, i32_shr_s, i32, i32, a >> (b & 31)) \
  X(i32_shr_u_imm, i32_shr_u, u32, u32, a >> (b & 31)) \
  X(i64_eq_imm, i64_eq, u64, u32, a == b) \
  X(i64_ne_imm, i64_ne, u64, u32, a != b) \
  X(i64_lt_s_imm, i64_lt_s, i64, u32, a < b) \
  X(i64_lt_u_imm, i64_lt_u, u64, u32, a < b) \
  X(i64_gt_s_imm, i64_gt_s, i64, u32, a > b) \
  X(i64_gt_u_imm, i64_gt_u, u64, u32, a > b) \
  X(i64_le_s_imm, i64_le_s, i64, u32, a <= b) \
  X(i64_le_u_imm, i64_le_u, u64, u32, a <= b) \
  X(i64_ge_s_imm, i64_ge_s, i64, u32, a >= b) \
  X(i64_ge_u_imm, i64_ge_u, u64, u32, a >= b) \
  X(i64_add_imm, i64_add, u64, u64, a + b) \
  X(i64_sub_imm, i64_sub, u64, u64, a - b) \
  X(i64_mul_imm, i64_mul, u64, u64, a * b) \
  X(i64_and_imm, i64_and, u64, u64, a & b) \
  X(i64_or_imm, i64_or, u64, u64, a | b) \
  X(i64_xor_imm, i64_xor, u64, u64, a ^ b) \
  X(i64_shl_imm, i64_shl, u64, u64, a << (b & 63)) \
  X(i64_shr_s_imm, i64_shr_s, i64, i64, a >> (b & 63)) \
  X(i64_shr_u_imm, i64_shr_u, u64, u64, a >> (b & 63))

// Branches fused with an i32 or i64 comparison against a constant.
//   br_if_<cmp>_imm a v off             jump when fp[a] <cmp> v
//   br_if_<cmp>_imm a lo hi off         (i64)
#define VITTE_WASM_FUSED_BRANCHES_IMM(X) \
  X(br_if_i32_eq_imm, u32, ==, i32_eq_imm) \
  X(br_if_i32_ne_imm, u32, !=, i32_ne_imm) \
  X(br_if_i32_lt_s_imm, i32, <, i32_lt_s_imm) \
  X(br_if_i32_lt_u_imm, u32, <, i32_lt_u_imm) \
  X(br_if_i32_gt_s_imm, i32, >, i32_gt_s_imm) \
  X(br_if_i32_gt_u_imm, u32, >, i32_gt_u_imm) \
  X(br_if_i32_le_s_imm, i32, <=, i32_le_s_imm) \
  X(br_if_i32_le_u_imm, u32, <=, i32_le_u_imm) \
  X(br_if_i32_ge_s_imm, i32, >=, i32_ge_s_imm) \
  X(br_if_i32_ge_u_imm, u32, >=, i32_ge_u_imm) \
  X(br_if_i64_eq_imm, u64, ==, i64_eq_imm) \
  X(br_if_i64_ne_imm, u64, !=, i64_ne_imm) \
  X(br_if_i64_lt_s_imm, i64, <, i64_lt_s_imm) \
  X(br_if_i64_lt_u_imm, u64, <, i64_lt_u_imm) \
  X(br_if_i64_gt_s_imm, i64, >, i64_gt_s_imm) \
  X(br_if_i64_gt_u_imm, u64, >, i64_gt_u_imm) \
  X(br_if_i64_le_s_imm, i64, <=, i64_le_s_imm) \
  X(br_if_i64_le_u_imm, u64, <=, i64_le_u_imm) \
  X(br_if_i64_ge_s_imm, i64, >=, i64_ge_s_imm) \
  X(br_if_i64_ge_u_imm, u64, >=, i64_ge_u_imm)
// clang-format on

// The accumulator. Each instruction that makes one scalar result (the
// numeric ones, loads, constants, copies, select and the fused arithmetic;
// VITTE_WASM_ACC_SETTERS) also leaves that result's cell in a register the
// dispatcher carries from handler to handler. When the next instruction
// reads that cell and no label comes between them, the translator gives it
// the form <name>_acc, which takes that operand from the register: the same
// words, the operand's word left unread. A value just made then does not
// wait for its store to the frame to be read back. The operand taken:
//   <unary>_acc, <binary>_acc, <binary>_imm_acc, <load>_acc     a (word 3)
//   the fused arithmetic and the fused loads but copy_i32_load  a (word 3)
//   <store>_acc                                               the value (word 3)
//   br_if_acc, br_if_not_acc, br_if_<cmp>_acc, br_if_<cmp>_imm_acc  a (word 2)
//   br_if_i32_and_<eq|ne>_imm_acc, i32_add_imm_br_table_acc     a (word 2)
//   select_acc                                                the condition (word 5)
// (the loads and stores also in their guard-page forms). A symmetric
// operation whose other operand is the result just made takes it in the
// first's place. copy_i32_load has no such form: its copy may write the
// address's cell.
// clang-format off
#define VITTE_WASM_ACC_CONTROL(X) \
  X(br_if) \
  X(br_if_not) \
  X(select) \
  VITTE_WASM_ARITH_PAIRS(X)
#define VITTE_WASM_ACC_ALL(X) \
  VITTE_WASM_ACC_CONTROL(X) \
  VITTE_WASM_UNARY(X) \
  VITTE_WASM_BINARY(X) \
  VITTE_WASM_BINARY_IMM(X) \
  VITTE_WASM_FUSED_BRANCHES(X) \
  VITTE_WASM_FUSED_BRANCHES_IMM(X) \
  VITTE_WASM_LOADS(X) \
  VITTE_WASM_STORES(X) \
  VITTE_WASM_ADDRESS_LOADS(X)
// clang-format on
// The instructions outside the numeric lists and the loads that set it (a
// branch among them only on the path that falls through, which the
// instruction after it is on).
// clang-format off
#define VITTE_WASM_ACC_SETTERS(X) \
  X(copy) \
  X(const32) \
  X(const64) \
  X(select) \
  X(global_get) \
  VITTE_WASM_ARITH_MAKERS(X) \
  X(i32_add_imm_pair) \
  VITTE_WASM_FUSED_LOADS(X) \
  X(copy_br_if) \
  X(copy_br_if_not) \
  X(copy_br_if_i32_eq_imm) \
  X(copy_br_if_i32_ne_imm)
// clang-format on

/// Every internal instruction.
enum class op : std::uint16_t {
#define VITTE_WASM_OP_NAME(name, ...) name,
#define VITTE_WASM_CONTROL_NAME(name) name,
  VITTE_WASM_CONTROL(VITTE_WASM_CONTROL_NAME) VITTE_WASM_UNARY(VITTE_WASM_OP_NAME)
      VITTE_WASM_UNARY_TRAPPING(VITTE_WASM_OP_NAME) VITTE_WASM_BINARY(VITTE_WASM_OP_NAME)
          VITTE_WASM_BINARY_TRAPPING(VITTE_WASM_OP_NAME) VITTE_WASM_LOADS(VITTE_WASM_OP_NAME)
              VITTE_WASM_STORES(VITTE_WASM_OP_NAME) VITTE_WASM_FUSED_BRANCHES(VITTE_WASM_OP_NAME)
                  VITTE_WASM_BINARY_IMM(VITTE_WASM_OP_NAME) VITTE_WASM_FUSED_BRANCHES_IMM(VITTE_WASM_OP_NAME)
                      VITTE_WASM_FUSED_LOADS(VITTE_WASM_OP_NAME)
                          VITTE_WASM_SIMD_ALL(VITTE_WASM_OP_NAME, VITTE_WASM_CONTROL_NAME)
#define VITTE_WASM_ACC_NAME(name, ...) name##_acc,
                              VITTE_WASM_ACC_ALL(VITTE_WASM_ACC_NAME)
#undef VITTE_WASM_ACC_NAME
#undef VITTE_WASM_OP_NAME
#undef VITTE_WASM_CONTROL_NAME
                                  count_
};

constexpr std::size_t op_count = static_cast<std::size_t>(op::count_);

/// Loads (fused ones too) and stores that also come in a form checking
/// nothing (guard pages).
#define VITTE_WASM_COUNT_ONE(...) +1
constexpr std::size_t guarded_op_count =
    0 VITTE_WASM_LOADS(VITTE_WASM_COUNT_ONE) VITTE_WASM_FUSED_LOADS(VITTE_WASM_COUNT_ONE)
        VITTE_WASM_LOADS(VITTE_WASM_COUNT_ONE) VITTE_WASM_ADDRESS_LOADS(VITTE_WASM_COUNT_ONE)
            VITTE_WASM_STORES(VITTE_WASM_COUNT_ONE) VITTE_WASM_STORES(VITTE_WASM_COUNT_ONE);
#undef VITTE_WASM_COUNT_ONE

struct function_object;
struct global_object;
struct table_object;

/// The objects an instance's code names, by index in the module's spaces.
struct instance_refs {
  function_object* const* functions = nullptr;
  global_object* const* globals = nullptr;
  table_object* const* tables = nullptr;
  const std::uint32_t* type_ids = nullptr;  ///< store-wide id of each type index
};

/// A word or two of translated code that names one of the instance's
/// objects: a pointer (two words, low first) or a type id (one word).
enum class ref_kind : std::uint8_t { function, global, table, type_id };
struct code_ref {
  std::uint32_t at = 0;     ///< the first word
  std::uint32_t index = 0;  ///< in the module's index space of that kind
  ref_kind kind = ref_kind::function;
};

/// Writes a 64-bit value (a pointer, a handler) into two words of code, low
/// first, as read_ptr reads it.
inline void write_pair(std::uint32_t* at, std::uint64_t v) noexcept {
  at[0] = static_cast<std::uint32_t>(v);
  at[1] = static_cast<std::uint32_t>(v >> 32);
}

/// Cells a value of type t takes in a frame: two for a v128, one otherwise.
constexpr std::uint32_t cells_of(value_type t) noexcept { return t == value_type::v128 ? 2u : 1u; }
inline std::uint32_t cells_of(const std::vector<value_type>& ts) noexcept {
  std::uint32_t n = 0;
  for (auto t : ts) n += cells_of(t);
  return n;
}

}  // namespace vitte::wasm::detail

#endif  // VITTE_WASM_IMPL_CODE_HPP
