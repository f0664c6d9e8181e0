// vitte/wasm/impl/opcodes.hpp - the binary format's instruction and type
// codes by name, once, for the decoder, the translator and the evaluation of
// constant expressions (the numeric operators' codes are in the operator
// tables of impl/code.hpp, with their handlers).
#ifndef VITTE_WASM_IMPL_OPCODES_HPP
#define VITTE_WASM_IMPL_OPCODES_HPP

#include <cstdint>  // the codes

namespace vitte::wasm::detail {

/// One-byte instruction codes (and the two prefixes).
namespace instr {
inline constexpr std::uint8_t unreachable = 0x00, nop = 0x01, block = 0x02, loop = 0x03, if_ = 0x04, else_ = 0x05;
inline constexpr std::uint8_t end = 0x0b, br = 0x0c, br_if = 0x0d, br_table = 0x0e, return_ = 0x0f;
inline constexpr std::uint8_t call = 0x10, call_indirect = 0x11, return_call = 0x12, return_call_indirect = 0x13;
inline constexpr std::uint8_t drop = 0x1a, select = 0x1b, select_typed = 0x1c;
inline constexpr std::uint8_t local_get = 0x20, local_set = 0x21, local_tee = 0x22, global_get = 0x23,
                              global_set = 0x24, table_get = 0x25, table_set = 0x26;
inline constexpr std::uint8_t first_load = 0x28, last_store = 0x3e;  ///< the memory instructions between
inline constexpr std::uint8_t memory_size = 0x3f, memory_grow = 0x40;
inline constexpr std::uint8_t i32_const = 0x41, i64_const = 0x42, f32_const = 0x43, f64_const = 0x44;
inline constexpr std::uint8_t i32_add = 0x6a, i32_sub = 0x6b, i32_mul = 0x6c;
inline constexpr std::uint8_t i64_add = 0x7c, i64_sub = 0x7d, i64_mul = 0x7e;
inline constexpr std::uint8_t ref_null = 0xd0, ref_is_null = 0xd1, ref_func = 0xd2;
inline constexpr std::uint8_t prefix_misc = 0xfc, prefix_simd = 0xfd;
}  // namespace instr

/// The 0xfc prefix's table and bulk-memory instructions (after the
/// saturating truncations, 0 to 7, which the operator tables hold).
namespace misc_opcode {
inline constexpr std::uint32_t memory_init = 8, data_drop = 9, memory_copy = 10, memory_fill = 11, table_init = 12,
                               elem_drop = 13, table_copy = 14, table_grow = 15, table_size = 16, table_fill = 17;
}  // namespace misc_opcode

/// The 0xfd prefix's instructions that constant expressions and the
/// translator name (the lanes' operators are in impl/simd_code.hpp).
namespace simd_opcode {
inline constexpr std::uint32_t v128_store = 0x0b, v128_const = 0x0c, i8x16_shuffle = 0x0d;
}  // namespace simd_opcode

/// Type codes: value types, the function type's form, an empty block type.
namespace type_code {
inline constexpr std::uint8_t i32 = 0x7f, i64 = 0x7e, f32 = 0x7d, f64 = 0x7c, v128 = 0x7b;
inline constexpr std::uint8_t funcref = 0x70, externref = 0x6f;
inline constexpr std::uint8_t func = 0x60, empty_block = 0x40;
}  // namespace type_code

}  // namespace vitte::wasm::detail

#endif  // VITTE_WASM_IMPL_OPCODES_HPP
