// vitte/wasm/impl/const_op.hpp - one instruction of a constant expression
// (a global's initialiser, a segment's offset, an element item), as
// decode() leaves it once validated and instantiation evaluates it: the
// bytes are read by one piece of code only.
#ifndef VITTE_WASM_IMPL_CONST_OP_HPP
#define VITTE_WASM_IMPL_CONST_OP_HPP

#include <cstdint>  // the code, the operands

namespace vitte::wasm::detail {

/// `code`: the instruction's code from impl/opcodes.hpp: instr::i32_const,
/// i64_const, f32_const, f64_const, prefix_simd (v128.const, the only 0xfd
/// instruction allowed), ref_null, ref_func, global_get, and the
/// extended-const i32_add, i32_sub, i32_mul, i64_add, i64_sub, i64_mul.
/// `index`: ref.func's function, global.get's global. `bits`: a constant's
/// bits (an i32 or f32 zero-extended; a v128's low half, then its high half).
struct const_op {
  std::uint8_t code = 0;
  std::uint32_t index = 0;
  std::uint64_t bits[2] = {0, 0};
};

}  // namespace vitte::wasm::detail

#endif  // VITTE_WASM_IMPL_CONST_OP_HPP
