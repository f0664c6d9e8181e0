// vitte/wasm/impl/compile_simd.ipp - the validator-translator's SIMD
// instructions (the 0xfd prefix; impl/simd_code.hpp).
#ifndef VITTE_WASM_IMPL_COMPILE_SIMD_IPP
#define VITTE_WASM_IMPL_COMPILE_SIMD_IPP

#include <vitte/base/config.hpp>
#include <vitte/wasm/impl/compile.ipp>

namespace vitte::wasm::detail {

// Pops operands of types `ins`, pushes a result of type out_t (any_type:
// none) and emits `o d slots... imms...` (no d without a result), or
// simd_callN to the portable code when the emitter asks for it.
VITTE_DECL bool function_compiler::simd_op(std::size_t at, op o, std::initializer_list<value_type> ins,
                                           value_type out_t, std::initializer_list<std::uint32_t> imms) {
  std::size_t n = ins.size();
  std::size_t h[3] = {0, 0, 0};
  entry e[3] = {};
  for (std::size_t k = n; k-- > 0;) {
    if (!pop(at, ins.begin()[k], nullptr, &h[k])) return false;
    e[k] = popped_;
  }
  bool has_result = static_cast<std::uint8_t>(out_t) != any_type;
  std::size_t hd = n ? h[0] : vals_.size();
  if (live()) {
    std::uint32_t slots[3] = {0, 0, 0};
    for (std::size_t k = 0; k < n; ++k) slots[k] = slot_of(h[k], e[k]);
    simd_fn portable = out_->scalar_simd ? out_->scalar_simd[static_cast<std::size_t>(o)] : nullptr;
    std::uint32_t s = begin(portable == nullptr ? o
                            : n == 1            ? op::simd_call2
                            : n == 2            ? op::simd_call3
                                                : op::simd_call4);
    if (has_result) word(cell(hd));
    for (std::size_t k = 0; k < n; ++k) word(slots[k]);
    if (portable != nullptr) {
      std::uint64_t p = reinterpret_cast<std::uintptr_t>(portable);
      word(static_cast<std::uint32_t>(p));
      word(static_cast<std::uint32_t>(p >> 32));
    }
    for (auto w : imms) word(w);
    if (has_result) mark_result(s, hd);
  }
  if (has_result) push(out_t);
  return true;
}

VITTE_DECL bool function_compiler::simd(reader& in, std::size_t at) {
  std::uint32_t sub;
  if (!in.u32(sub, "0xfd sub-opcode")) return false;
  constexpr value_type V = value_type::v128, I32 = value_type::i32;
  const value_type none = static_cast<value_type>(any_type);
  std::uint32_t off = 0;
  std::uint8_t lane = 0;
  switch (sub) {
#define VITTE_WASM_CASE_UNARY(name, code, ...) \
  case code:                                   \
    return simd_op(at, op::name, {V}, V);
#define VITTE_WASM_CASE_BINARY(name, code, ...) \
  case code:                                    \
    return simd_op(at, op::name, {V, V}, V);
#define VITTE_WASM_CASE_SHIFT(name, code, ...) \
  case code:                                   \
    return simd_op(at, op::name, {V, I32}, V);
#define VITTE_WASM_CASE_TEST(name, code, ...) \
  case code:                                  \
    return simd_op(at, op::name, {V}, I32);
#define VITTE_WASM_CASE_SPLAT(name, code, vt, ...) \
  case code:                                       \
    return simd_op(at, op::name, {value_type::vt}, V);
#define VITTE_WASM_CASE_EXTRACT(name, code, vt, field, L, lanes) \
  case code:                                                     \
    if (!lane_index(in, at, lanes, lane)) return false;          \
    return simd_op(at, op::name, {V}, value_type::vt, {lane});
#define VITTE_WASM_CASE_REPLACE(name, code, vt, field, L, lanes) \
  case code:                                                     \
    if (!lane_index(in, at, lanes, lane)) return false;          \
    return simd_op(at, op::name, {V, value_type::vt}, V, {lane});
#define VITTE_WASM_CASE_LOAD(name, code, natural, ...) \
  case code:                                           \
    if (!memarg(in, at, natural, off)) return false;   \
    return simd_op(at, op::name, {I32}, V, {off});
#define VITTE_WASM_CASE_LANE_LOAD(name, code, natural, L, lanes)                         \
  case code:                                                                             \
    if (!memarg(in, at, natural, off) || !lane_index(in, at, lanes, lane)) return false; \
    return simd_op(at, op::name, {I32, V}, V, {off, lane});
#define VITTE_WASM_CASE_LANE_STORE(name, code, natural, L, lanes)                        \
  case code:                                                                             \
    if (!memarg(in, at, natural, off) || !lane_index(in, at, lanes, lane)) return false; \
    return simd_op(at, op::name, {I32, V}, none, {off, lane});
    VITTE_WASM_SIMD_UNARY(VITTE_WASM_CASE_UNARY)
    VITTE_WASM_SIMD_BINARY(VITTE_WASM_CASE_BINARY)
    VITTE_WASM_SIMD_SHIFT(VITTE_WASM_CASE_SHIFT)
    VITTE_WASM_SIMD_TEST(VITTE_WASM_CASE_TEST)
    VITTE_WASM_SIMD_SPLAT(VITTE_WASM_CASE_SPLAT)
    VITTE_WASM_SIMD_EXTRACT(VITTE_WASM_CASE_EXTRACT)
    VITTE_WASM_SIMD_REPLACE(VITTE_WASM_CASE_REPLACE)
    VITTE_WASM_SIMD_LOADS(VITTE_WASM_CASE_LOAD)
    VITTE_WASM_SIMD_LANE_LOADS(VITTE_WASM_CASE_LANE_LOAD)
    VITTE_WASM_SIMD_LANE_STORES(VITTE_WASM_CASE_LANE_STORE)
#undef VITTE_WASM_CASE_UNARY
#undef VITTE_WASM_CASE_BINARY
#undef VITTE_WASM_CASE_SHIFT
#undef VITTE_WASM_CASE_TEST
#undef VITTE_WASM_CASE_SPLAT
#undef VITTE_WASM_CASE_EXTRACT
#undef VITTE_WASM_CASE_REPLACE
#undef VITTE_WASM_CASE_LOAD
#undef VITTE_WASM_CASE_LANE_LOAD
#undef VITTE_WASM_CASE_LANE_STORE
    case simd_opcode::v128_store:
      if (!memarg(in, at, 4, off)) return false;
      return simd_op(at, op::v128_store, {I32, V}, none, {off});
    case simd_opcode::v128_const: {  // 16 bytes
      std::uint32_t w[4];
      for (auto& x : w)
        if (!in.fixed32(x, "v128.const")) return false;
      return simd_op(at, op::v128_const, {}, V, {w[0], w[1], w[2], w[3]});
    }
    case simd_opcode::i8x16_shuffle: {  // 16 lane indices below 32
      std::uint32_t w[4] = {0, 0, 0, 0};
      for (unsigned i = 0; i < 16; ++i) {
        if (!lane_index(in, at, 32, lane)) return false;
        w[i / 4] |= static_cast<std::uint32_t>(lane) << (8 * (i % 4));
      }
      return simd_op(at, op::i8x16_shuffle, {V, V}, V, {w[0], w[1], w[2], w[3]});
    }
    case 0x52:
      return simd_op(at, op::v128_bitselect, {V, V, V}, V);
    default:
      return in.malformed(at, "illegal opcode 0xfd %u", static_cast<unsigned>(sub));
  }
}

}  // namespace vitte::wasm::detail

#endif  // VITTE_WASM_IMPL_COMPILE_SIMD_IPP
