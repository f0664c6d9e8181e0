// vitte/wasm/impl/accumulator.hpp - which instructions leave their result in
// the accumulator, which take an operand from it (impl/code.hpp), and the
// pass over a translated function that gives each instruction reading the
// result just made its <name>_acc form.
#ifndef VITTE_WASM_IMPL_ACCUMULATOR_HPP
#define VITTE_WASM_IMPL_ACCUMULATOR_HPP

#include <vitte/base/config.hpp>
#include <vitte/wasm/impl/code.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace vitte::wasm::detail {

/// One translated instruction: its first word and its op. `joined`: it
/// follows the instruction before it with no label between, so it runs
/// only right after that one.
struct emitted {
  std::uint32_t start = 0;
  op o = op::count_;
  bool joined = false;
};

/// An instruction's use of the accumulator.
struct acc_use {
  op to = op::count_;      ///< its form taking the operand from the accumulator, or count_
  std::uint8_t word = 0;   ///< the operand's word
  std::uint8_t other = 0;  ///< a symmetric op's other operand word (swapped in when it is the one), or 0
};

struct acc_rules {
  bool sets[op_count] = {};  ///< leaves its word-2 result in the accumulator
  acc_use use[op_count] = {};
};

constexpr acc_rules make_acc_rules() {
  acc_rules r;
  auto at = [](op o) { return static_cast<std::size_t>(o); };
#define VITTE_WASM_SETS(name, ...) r.sets[at(op::name)] = true;
  VITTE_WASM_UNARY(VITTE_WASM_SETS)
  VITTE_WASM_UNARY_TRAPPING(VITTE_WASM_SETS)
  VITTE_WASM_BINARY(VITTE_WASM_SETS)
  VITTE_WASM_BINARY_TRAPPING(VITTE_WASM_SETS)
  VITTE_WASM_BINARY_IMM(VITTE_WASM_SETS)
  VITTE_WASM_LOADS(VITTE_WASM_SETS)
  VITTE_WASM_ACC_SETTERS(VITTE_WASM_SETS)
#undef VITTE_WASM_SETS
#define VITTE_WASM_USES_3(name, ...) r.use[at(op::name)] = {op::name##_acc, 3, 0};
#define VITTE_WASM_USES_2(name, ...) r.use[at(op::name)] = {op::name##_acc, 2, 0};
  VITTE_WASM_UNARY(VITTE_WASM_USES_3)
  VITTE_WASM_BINARY(VITTE_WASM_USES_3)
  VITTE_WASM_BINARY_IMM(VITTE_WASM_USES_3)
  VITTE_WASM_LOADS(VITTE_WASM_USES_3)
  VITTE_WASM_STORES(VITTE_WASM_USES_3)
  VITTE_WASM_ADDRESS_LOADS(VITTE_WASM_USES_3)
  VITTE_WASM_FUSED_BRANCHES(VITTE_WASM_USES_2)
  VITTE_WASM_FUSED_BRANCHES_IMM(VITTE_WASM_USES_2)
  VITTE_WASM_ARITH_MAKERS(VITTE_WASM_USES_3)
  VITTE_WASM_ARITH_TESTS(VITTE_WASM_USES_2)
  VITTE_WASM_USES_2(br_if)
  VITTE_WASM_USES_2(br_if_not)
#undef VITTE_WASM_USES_3
#undef VITTE_WASM_USES_2
  r.use[at(op::select)] = {op::select_acc, 5, 0};
  // Integer operations whose operands may change places.
  for (op o : {op::i32_add, op::i32_mul, op::i32_and, op::i32_or, op::i32_xor, op::i32_eq, op::i32_ne, op::i64_add,
               op::i64_mul, op::i64_and, op::i64_or, op::i64_xor, op::i64_eq, op::i64_ne, op::i32_mul_add,
               op::i32_add_load, op::i32_add_load8_u, op::i32_add_load16_u, op::i32_add_load16_s})
    r.use[at(o)].other = 4;
  for (op o : {op::br_if_i32_eq, op::br_if_i32_ne, op::br_if_i64_eq, op::br_if_i64_ne}) r.use[at(o)].other = 3;
  return r;
}

inline constexpr acc_rules accumulator_rules = make_acc_rules();

/// Gives each instruction of `code` that reads the cell the instruction
/// just before it wrote (and left in the accumulator) the form taking it
/// from the accumulator; `handlers` maps ops to handler words.
VITTE_DECL void use_accumulator(std::vector<std::uint32_t>& code, const std::vector<emitted>& insts,
                                const std::uintptr_t* handlers);

}  // namespace vitte::wasm::detail

#if VITTE_HEADER_ONLY
#include <vitte/wasm/impl/accumulator.ipp>
#endif

#endif  // VITTE_WASM_IMPL_ACCUMULATOR_HPP
