// vitte/wasm/impl/compile_ops.ipp - the validator-translator's instructions.
#ifndef VITTE_WASM_IMPL_COMPILE_OPS_IPP
#define VITTE_WASM_IMPL_COMPILE_OPS_IPP

#include <vitte/base/config.hpp>
#include <vitte/wasm/impl/compile.ipp>

namespace vitte::wasm::detail {

// `target`: the function called (direct) or the table called through (indirect).
VITTE_DECL bool function_compiler::call_like(std::size_t at, const func_type& t, bool tail, bool indirect,
                                             std::uint32_t target, std::uint32_t type_index) {
  entry index{};
  std::size_t hi = 0;
  if (indirect) {
    if (!pop(at, value_type::i32, nullptr, &hi)) return false;
    index = popped_;
  }
  if (!check_top(at, t.params)) return false;
  std::size_t np = t.params.size();
  std::size_t base = vals_.size() >= ctrls_.back().height + np ? vals_.size() - np : ctrls_.back().height;
  if (live()) materialize_from(base);
  std::uint32_t si = 0;
  if (indirect && live()) si = slot_of(hi, index);
  if (!pop_all(at, t.params)) return false;
  if (tail && t.results != type_->results)
    return invalid(at, "type mismatch: tail call results differ from the function's results");
  if (live()) {
    if (!indirect) {
      begin(tail ? op::return_call : op::call);
      word(cell(base));
      ref(ref_kind::function, target);
    } else {
      begin(tail ? op::return_call_indirect : op::call_indirect);
      word(cell(base));
      word(si);
      ref(ref_kind::table, target);
      ref(ref_kind::type_id, type_index);
    }
  }
  if (tail) {
    unreachable_rest();
    return true;
  }
  for (auto r : t.results) push(r);
  return true;
}

VITTE_DECL bool function_compiler::branch_if(reader& in, std::size_t at) {
  std::uint32_t depth;
  if (!in.u32(depth, "br_if label")) return false;
  std::size_t hc = 0;
  if (!pop(at, value_type::i32, nullptr, &hc)) return false;
  entry c = popped_;
  if (!label_arity_ok(at, depth)) return false;
  std::size_t target = ctrls_.size() - 1 - depth;
  const auto& types = ctrls_[target].label_types();
  if (!check_top(at, types)) return false;
  // The values stay, typed as the label says (an unreachable stack gains them).
  if (ctrls_.back().unreachable && vals_.size() < ctrls_.back().height + types.size()) {
    std::vector<value_type> copy = types;
    if (!pop_all(at, copy)) return false;
    for (auto t : copy) push(t);
  }
  if (!live()) return true;
  condition k = take_condition(hc, c);
  std::size_t n = types.size();
  materialize_from(vals_.size() - n);
  bool direct = target != 0 && (n == 0 || vals_.size() - n == ctrls_[target].height);
  if (direct) {
    std::uint32_t s = branch_on(k, false);
    branch_to(target, s);
    return true;
  }
  std::uint32_t s = branch_on(k, true);
  std::uint32_t skip = here();
  word(0);
  emit_branch(target);
  out_->code[skip] = here() - s;
  label_here();
  return true;
}

VITTE_DECL bool function_compiler::branch_table(reader& in, std::size_t at) {
  std::uint32_t n;
  if (!in.u32(n, "br_table size")) return false;
  if (n > in.end() - in.pos()) return in.malformed(at, "br_table size %u exceeds the body", static_cast<unsigned>(n));
  std::vector<std::uint32_t> depths(n + 1);
  for (auto& d : depths)
    if (!in.u32(d, "br_table label")) return false;
  std::size_t hi = 0;
  if (!pop(at, value_type::i32, nullptr, &hi)) return false;
  entry idx = popped_;
  std::size_t arity = 0;
  for (std::size_t k = 0; k < depths.size(); ++k) {
    if (!label_arity_ok(at, depths[k])) return false;
    const auto& types = ctrls_[ctrls_.size() - 1 - depths[k]].label_types();
    if (k == 0)
      arity = types.size();
    else if (types.size() != arity)
      return invalid(at, "type mismatch: br_table labels have different arities");
    if (!check_top(at, types)) return false;
  }
  if (live()) {
    // A switch on `x + k` (no values to move) takes the addition in.
    const std::uint32_t* sum = arity == 0 ? producer(hi, idx, op::i32_add_imm) : nullptr;
    const std::uint32_t si = sum != nullptr ? sum[1] : slot_of(hi, idx), k = sum != nullptr ? sum[2] : 0;
    if (sum != nullptr) drop_last(fusable_start_);
    materialize_from(vals_.size() - arity);
    std::uint32_t s = begin(sum != nullptr ? op::i32_add_imm_br_table : op::br_table);
    word(si);
    if (sum != nullptr) word(k);
    word(n);
    std::uint32_t first = here();
    for (std::uint32_t k = 0; k <= n; ++k) word(0);
    // Each entry jumps to its label directly when the values are already in
    // place; otherwise to a stub that moves them (or returns).
    for (std::uint32_t k = 0; k <= n; ++k) {
      std::size_t target = ctrls_.size() - 1 - depths[k];
      bool direct = target != 0 && (arity == 0 || vals_.size() - arity == ctrls_[target].height);
      if (direct) {
        ctrl& l = ctrls_[target];
        if (l.kind == 2)
          out_->code[first + k] = static_cast<std::uint32_t>(static_cast<std::int32_t>(l.loop_start - s));
        else
          l.patches.push_back({first + k, s});
      } else {
        out_->code[first + k] = here() - s;
        emit_branch(target);
      }
    }
  }
  unreachable_rest();
  return true;
}

VITTE_DECL bool function_compiler::instruction(reader& in) {
  std::size_t at = in.pos();
  std::uint8_t opcode;
  if (!in.byte(opcode, "instruction")) return false;
  switch (opcode) {
    case instr::unreachable:
      if (live()) begin(op::unreachable);
      unreachable_rest();
      return true;
    case instr::nop:
      return true;
    case instr::block:
    case instr::loop: {
      std::vector<value_type> p, r;
      if (!block_type(in, p, r)) return false;
      return open(at, opcode == instr::block ? 1 : 2, static_cast<std::vector<value_type>&&>(p),
                  static_cast<std::vector<value_type>&&>(r));
    }
    case instr::if_: {
      std::vector<value_type> p, r;
      if (!block_type(in, p, r)) return false;
      std::size_t hc = 0;
      if (!pop(at, value_type::i32, nullptr, &hc)) return false;
      entry c = popped_;
      condition k;
      if (live()) k = take_condition(hc, c);
      if (!open(at, 3, static_cast<std::vector<value_type>&&>(p), static_cast<std::vector<value_type>&&>(r)))
        return false;
      if (live()) {
        std::uint32_t s = branch_on(k, true);
        ctrls_.back().else_patch = {here(), s};
        word(0);
      }
      return true;
    }
    case instr::else_:
      return else_block(at);
    case instr::end:
      return end_block(at);
    case instr::br: {
      std::uint32_t depth;
      if (!in.u32(depth, "br label")) return false;
      if (!label_arity_ok(at, depth)) return false;
      std::size_t target = ctrls_.size() - 1 - depth;
      const auto& types = ctrls_[target].label_types();
      if (!check_top(at, types)) return false;
      if (live()) {
        materialize_from(vals_.size() - types.size());
        emit_branch(target);
      }
      unreachable_rest();
      return true;
    }
    case instr::br_if:
      return branch_if(in, at);
    case instr::br_table:
      return branch_table(in, at);
    case instr::return_: {
      if (!check_top(at, type_->results)) return false;
      if (live()) {
        materialize_from(vals_.size() - type_->results.size());
        emit_branch(0);
      }
      unreachable_rest();
      return true;
    }
    case instr::call:
    case instr::return_call: {
      std::uint32_t f;
      if (!in.u32(f, "function index")) return false;
      if (f >= m_.function_types.size()) return invalid(at, "unknown function %u", static_cast<unsigned>(f));
      return call_like(at, m_.type_of_function(f), opcode == instr::return_call, false, f, 0);
    }
    case instr::call_indirect:
    case instr::return_call_indirect: {
      std::uint32_t ti, table;
      if (!in.u32(ti, "type index") || !in.u32(table, "table index")) return false;
      if (!need_table(at, table)) return false;
      if (ti >= m_.types.size()) return invalid(at, "unknown type %u", static_cast<unsigned>(ti));
      if (m_.all_tables[table].element != value_type::funcref)
        return invalid(at, "type mismatch: call_indirect through a table of %s", name(m_.all_tables[table].element));
      return call_like(at, m_.types[ti], opcode == instr::return_call_indirect, true, table, ti);
    }
    case instr::drop:
      return pop(at, static_cast<value_type>(any_type));
    case instr::select:
    case instr::select_typed: {
      value_type want = static_cast<value_type>(any_type);
      if (opcode == instr::select_typed) {
        std::uint32_t n;
        if (!in.u32(n, "select types")) return false;
        if (n != 1)
          return invalid(at, "invalid result arity: typed select takes one type, not %u", static_cast<unsigned>(n));
        std::size_t tat = in.pos();
        std::uint8_t b;
        if (!in.byte(b, "select type")) return false;
        if (b != type_code::v128 && b != type_code::i32 && b != type_code::i64 && b != type_code::f32 &&
            b != type_code::f64 && b != type_code::funcref && b != type_code::externref)
          return in.malformed(tat, "malformed value type 0x%02x", b);
        want = static_cast<value_type>(b);
      }
      std::size_t hc = 0, h2 = 0, h1 = 0;
      value_type t2, t1;
      if (!pop(at, value_type::i32, nullptr, &hc)) return false;
      entry c = popped_;
      if (!pop(at, want, &t2, &h2)) return false;
      entry b = popped_;
      if (!pop(at, want, &t1, &h1)) return false;
      entry a = popped_;
      value_type t = want;
      if (opcode == instr::select) {
        if ((static_cast<std::uint8_t>(t1) != any_type && is_reference(t1)) ||
            (static_cast<std::uint8_t>(t2) != any_type && is_reference(t2)))
          return invalid(at, "type mismatch: select without a type needs numeric operands");
        if (static_cast<std::uint8_t>(t1) != any_type && static_cast<std::uint8_t>(t2) != any_type && t1 != t2)
          return invalid(at, "type mismatch: select operands %s and %s", name(t1), name(t2));
        t = static_cast<std::uint8_t>(t1) != any_type ? t1 : t2;
      }
      if (live()) {
        std::uint32_t sa = slot_of(h1, a), sb = slot_of(h2, b), sc = slot_of(hc, c);
        const std::uint32_t* p = t == value_type::v128 ? nullptr : producer(hc, c, op::i32_and_imm);
        if (p != nullptr) {
          fuse_into(op::select_and_imm, h1, {p[1], p[2], sa, sb});  // select on (x & m)
        } else {
          std::uint32_t s = begin(t == value_type::v128 ? op::select128 : op::select);
          word(cell(h1));
          word(sa);
          word(sb);
          word(sc);
          mark_result(s, h1);
        }
      }
      push(t);
      if (static_cast<std::uint8_t>(t) == any_type) vals_.back().t = static_cast<value_type>(any_type);
      return true;
    }
    case instr::local_get: {
      std::uint32_t i;
      if (!in.u32(i, "local index")) return false;
      if (i >= nlocals_) return invalid(at, "unknown local %u", static_cast<unsigned>(i));
      push(local_type(i));
      vals_.back().kind = in_local;
      vals_.back().slot = local_cell(i);
      return true;
    }
    case instr::local_set:
    case instr::local_tee: {
      std::uint32_t i;
      if (!in.u32(i, "local index")) return false;
      if (i >= nlocals_) return invalid(at, "unknown local %u", static_cast<unsigned>(i));
      value_type t = local_type(i);
      std::size_t h = 0;
      if (!pop(at, t, nullptr, &h)) return false;
      entry e = popped_;
      std::uint32_t li = local_cell(i);
      if (live()) {
        for (std::size_t k = 0; k < vals_.size(); ++k)
          if (vals_[k].kind == in_local && vals_[k].slot == li) materialize(k);
        if (e.kind == in_cell && fusable_end_ == here() && fusable_height_ == h) {
          out_->code[fusable_dest_] = li;
        } else if (e.kind == constant) {
          begin(t == value_type::i32 || t == value_type::f32 ? op::const32 : op::const64);
          word(li);
          word(static_cast<std::uint32_t>(e.imm));
          if (t != value_type::i32 && t != value_type::f32) word(static_cast<std::uint32_t>(e.imm >> 32));
        } else if (e.slot != li) {
          emit_copy(li, e.slot, t);
        }
        fusable_end_ = 0xffffffffu;
      }
      if (opcode == instr::local_tee) {
        push(t);
        vals_.back().kind = in_local;
        vals_.back().slot = li;
      }
      return true;
    }
    case instr::global_get:
    case instr::global_set: {
      std::uint32_t g;
      if (!in.u32(g, "global index")) return false;
      if (g >= m_.all_globals.size()) return invalid(at, "unknown global %u", static_cast<unsigned>(g));
      const global_type& gt = m_.all_globals[g];
      if (opcode == instr::global_get) {
        if (live()) {
          std::uint32_t s = begin(gt.type == value_type::v128 ? op::global_get128 : op::global_get);
          word(cell(vals_.size()));
          ref(ref_kind::global, g);
          mark_result(s, vals_.size());
        }
        push(gt.type);
        return true;
      }
      if (!gt.is_mutable) return invalid(at, "global is immutable: global %u", static_cast<unsigned>(g));
      std::size_t h = 0;
      if (!pop(at, gt.type, nullptr, &h)) return false;
      entry e = popped_;
      if (live()) {
        std::uint32_t sa = slot_of(h, e);
        begin(gt.type == value_type::v128 ? op::global_set128 : op::global_set);
        word(sa);
        ref(ref_kind::global, g);
      }
      return true;
    }
    case instr::table_get:
    case instr::table_set: {
      std::uint32_t t;
      if (!in.u32(t, "table index")) return false;
      if (!need_table(at, t)) return false;
      value_type et = m_.all_tables[t].element;
      if (opcode == instr::table_get) {
        std::size_t h = 0;
        if (!pop(at, value_type::i32, nullptr, &h)) return false;
        entry e = popped_;
        if (live()) {
          std::uint32_t sa = slot_of(h, e);
          std::uint32_t s = begin(op::table_get);
          word(cell(h));
          word(sa);
          ref(ref_kind::table, t);
          mark_result(s, h);
        }
        push(et);
        return true;
      }
      std::size_t hv = 0, hi = 0;
      if (!pop(at, et, nullptr, &hv)) return false;
      entry v = popped_;
      if (!pop(at, value_type::i32, nullptr, &hi)) return false;
      entry i = popped_;
      if (live()) {
        std::uint32_t si = slot_of(hi, i), sv = slot_of(hv, v);
        begin(op::table_set);
        word(si);
        word(sv);
        ref(ref_kind::table, t);
      }
      return true;
    }
#define VITTE_WASM_LOAD_CASE(name, code, vt, natural, field, ctype) \
  case code: {                                                      \
    std::uint32_t off;                                              \
    if (!memarg(in, at, natural, off)) return false;                \
    std::size_t h = 0;                                              \
    if (!pop(at, value_type::i32, nullptr, &h)) return false;       \
    entry e = popped_;                                              \
    if (live()) emit_load(op::name, h, e, off);                     \
    push(value_type::vt);                                           \
    return true;                                                    \
  }
      VITTE_WASM_LOADS(VITTE_WASM_LOAD_CASE)
#undef VITTE_WASM_LOAD_CASE
#define VITTE_WASM_STORE_CASE(name, code, vt, natural, field, ctype) \
  case code: {                                                       \
    std::uint32_t off;                                               \
    if (!memarg(in, at, natural, off)) return false;                 \
    std::size_t hv = 0, ha = 0;                                      \
    if (!pop(at, value_type::vt, nullptr, &hv)) return false;        \
    entry v = popped_;                                               \
    if (!pop(at, value_type::i32, nullptr, &ha)) return false;       \
    entry a = popped_;                                               \
    if (live()) {                                                    \
      std::uint32_t sa = slot_of(ha, a), sv = slot_of(hv, v);        \
      begin(op::name);                                               \
      word(sa);                                                      \
      word(sv);                                                      \
      word(off);                                                     \
    }                                                                \
    return true;                                                     \
  }
      VITTE_WASM_STORES(VITTE_WASM_STORE_CASE)
#undef VITTE_WASM_STORE_CASE
    case instr::memory_size:
    case instr::memory_grow: {
      std::uint8_t zero;
      if (!in.byte(zero, "memory index")) return false;
      if (zero != 0) return in.malformed(at, "zero byte expected (memory index)");
      if (!need_memory(at)) return false;
      if (opcode == instr::memory_size) {
        if (live()) {
          std::uint32_t s = begin(op::memory_size);
          word(cell(vals_.size()));
          mark_result(s, vals_.size());
        }
        push(value_type::i32);
        return true;
      }
      std::size_t h = 0;
      if (!pop(at, value_type::i32, nullptr, &h)) return false;
      entry e = popped_;
      if (live()) {
        std::uint32_t sa = slot_of(h, e);
        std::uint32_t s = begin(op::memory_grow);
        word(cell(h));
        word(sa);
        mark_result(s, h);
      }
      push(value_type::i32);
      return true;
    }
    case instr::i32_const: {
      std::int32_t v;
      if (!in.s32(v, "i32.const")) return false;
      push_const(value_type::i32, static_cast<std::uint32_t>(v));
      return true;
    }
    case instr::i64_const: {
      std::int64_t v;
      if (!in.s64(v, "i64.const")) return false;
      push_const(value_type::i64, static_cast<std::uint64_t>(v));
      return true;
    }
    case instr::f32_const: {
      std::uint32_t v;
      if (!in.fixed32(v, "f32.const")) return false;
      push_const(value_type::f32, v);
      return true;
    }
    case instr::f64_const: {
      std::uint64_t v;
      if (!in.fixed64(v, "f64.const")) return false;
      push_const(value_type::f64, v);
      return true;
    }
#define VITTE_WASM_UNARY_CASE(name, code, tin, tout, ...) \
  case code:                                              \
    return unary(at, op::name, value_type::tin, value_type::tout);
#define VITTE_WASM_BINARY_CASE(name, code, tin, tout, ...) \
  case code:                                               \
    return binary(at, op::name, value_type::tin, value_type::tout);
      VITTE_WASM_UNARY_TRAPPING(VITTE_WASM_UNARY_CASE)
      VITTE_WASM_BINARY(VITTE_WASM_BINARY_CASE)
      VITTE_WASM_BINARY_TRAPPING(VITTE_WASM_BINARY_CASE)
#undef VITTE_WASM_UNARY_CASE
#undef VITTE_WASM_BINARY_CASE
    case instr::ref_null: {
      value_type t = value_type::i32;
      std::size_t tat = in.pos();
      std::uint8_t b;
      if (!in.byte(b, "reference type")) return false;
      if (b != type_code::funcref && b != type_code::externref)
        return in.malformed(tat, "malformed reference type 0x%02x", b);
      t = static_cast<value_type>(b);
      if (live()) {
        std::uint32_t s = begin(op::ref_null);
        word(cell(vals_.size()));
        mark_result(s, vals_.size());
      }
      push(t);
      return true;
    }
    case instr::ref_is_null: {
      value_type t = value_type::i32;
      std::size_t h = 0;
      if (!pop(at, static_cast<value_type>(any_type), &t, &h)) return false;
      entry e = popped_;
      if (static_cast<std::uint8_t>(t) != any_type && !is_reference(t))
        return invalid(at, "type mismatch: ref.is_null of %s", name(t));
      if (live()) {
        std::uint32_t sa = slot_of(h, e);
        std::uint32_t s = begin(op::ref_is_null);
        word(cell(h));
        word(sa);
        mark_result(s, h);
      }
      push(value_type::i32);
      return true;
    }
    case instr::ref_func: {
      std::uint32_t f;
      if (!in.u32(f, "function index")) return false;
      if (f >= m_.function_types.size()) return invalid(at, "unknown function %u", static_cast<unsigned>(f));
      if (f >= ctx_.declared->size() || !(*ctx_.declared)[f])
        return invalid(at, "undeclared function reference %u", static_cast<unsigned>(f));
      if (live()) {
        std::uint32_t s = begin(op::ref_func);
        word(cell(vals_.size()));
        ref(ref_kind::function, f);
        mark_result(s, vals_.size());
      }
      push(value_type::funcref);
      return true;
    }
    case instr::prefix_misc:
      return misc(in, at);
    case instr::prefix_simd:
      return simd(in, at);
    default:
      break;
  }
  // One-byte unary numeric operators.
  switch (opcode) {
#define VITTE_WASM_UNARY_LOW(name, code, tin, tout, ...)                             \
  case (code & 0xff):                                                                \
    if (code < 0x100) return unary(at, op::name, value_type::tin, value_type::tout); \
    break;
    VITTE_WASM_UNARY(VITTE_WASM_UNARY_LOW)
#undef VITTE_WASM_UNARY_LOW
    default:
      break;
  }
  return in.malformed(at, "illegal opcode 0x%02x", opcode);
}

VITTE_DECL bool function_compiler::misc(reader& in, std::size_t at) {
  std::uint32_t sub;
  if (!in.u32(sub, "0xfc sub-opcode")) return false;
  switch (sub) {
#define VITTE_WASM_SAT_CASE(name, code, tin, tout, ...)                               \
  case (code & 0xff):                                                                 \
    if (code >= 0x100) return unary(at, op::name, value_type::tin, value_type::tout); \
    break;
    VITTE_WASM_UNARY(VITTE_WASM_SAT_CASE)
#undef VITTE_WASM_SAT_CASE
    default:
      break;
  }
  auto pop3 = [&](value_type t0, value_type t1, value_type t2, std::uint32_t* slots) {
    std::size_t h[3];
    entry e[3];
    value_type ts[3] = {t0, t1, t2};
    for (int k = 2; k >= 0; --k) {
      if (!pop(at, ts[k], nullptr, &h[k])) return false;
      e[k] = popped_;
    }
    if (live())
      for (int k = 0; k < 3; ++k) slots[k] = slot_of(h[k], e[k]);
    return true;
  };
  std::uint32_t s3[3] = {0, 0, 0};
  switch (sub) {
    case misc_opcode::memory_init: {  // memory.init
      std::uint32_t seg;
      std::uint8_t zero;
      if (!in.u32(seg, "data segment index") || !in.byte(zero, "memory index")) return false;
      if (zero != 0) return in.malformed(at, "zero byte expected (memory index)");
      if (!need_memory(at)) return false;
      if (!ctx_.has_datacount) return in.malformed(at, "data count section required");
      if (seg >= m_.data.size()) return invalid(at, "unknown data segment %u", static_cast<unsigned>(seg));
      if (!pop3(value_type::i32, value_type::i32, value_type::i32, s3)) return false;
      if (live()) {
        begin(op::memory_init);
        word(s3[0]), word(s3[1]), word(s3[2]), word(seg);
      }
      return true;
    }
    case misc_opcode::data_drop: {  // data.drop
      std::uint32_t seg;
      if (!in.u32(seg, "data segment index")) return false;
      if (!ctx_.has_datacount) return in.malformed(at, "data count section required");
      if (seg >= m_.data.size()) return invalid(at, "unknown data segment %u", static_cast<unsigned>(seg));
      if (live()) {
        begin(op::data_drop);
        word(seg);
      }
      return true;
    }
    case misc_opcode::memory_copy:
    case misc_opcode::memory_fill: {  // memory.copy, memory.fill
      std::uint8_t zero;
      if (!in.byte(zero, "memory index")) return false;
      if (zero != 0) return in.malformed(at, "zero byte expected (memory index)");
      if (sub == 10) {
        if (!in.byte(zero, "memory index")) return false;
        if (zero != 0) return in.malformed(at, "zero byte expected (memory index)");
      }
      if (!need_memory(at)) return false;
      if (!pop3(value_type::i32, value_type::i32, value_type::i32, s3)) return false;
      if (live()) {
        begin(sub == 10 ? op::memory_copy : op::memory_fill);
        word(s3[0]), word(s3[1]), word(s3[2]);
      }
      return true;
    }
    case misc_opcode::table_init: {  // table.init seg table
      std::uint32_t seg, t;
      if (!in.u32(seg, "element segment index") || !in.u32(t, "table index")) return false;
      if (!need_table(at, t)) return false;
      if (seg >= m_.elements.size()) return invalid(at, "unknown elem segment %u", static_cast<unsigned>(seg));
      if (m_.elements[seg].type != m_.all_tables[t].element)
        return invalid(at, "type mismatch: table.init element types");
      if (!pop3(value_type::i32, value_type::i32, value_type::i32, s3)) return false;
      if (live()) {
        begin(op::table_init);
        word(s3[0]), word(s3[1]), word(s3[2]);
        ref(ref_kind::table, t);
        word(seg);
      }
      return true;
    }
    case misc_opcode::elem_drop: {  // elem.drop
      std::uint32_t seg;
      if (!in.u32(seg, "element segment index")) return false;
      if (seg >= m_.elements.size()) return invalid(at, "unknown elem segment %u", static_cast<unsigned>(seg));
      if (live()) {
        begin(op::elem_drop);
        word(seg);
      }
      return true;
    }
    case misc_opcode::table_copy: {  // table.copy dst src
      std::uint32_t dst, src;
      if (!in.u32(dst, "table index") || !in.u32(src, "table index")) return false;
      if (!need_table(at, dst) || !need_table(at, src)) return false;
      if (m_.all_tables[dst].element != m_.all_tables[src].element)
        return invalid(at, "type mismatch: table.copy between tables of different types");
      if (!pop3(value_type::i32, value_type::i32, value_type::i32, s3)) return false;
      if (live()) {
        begin(op::table_copy);
        word(s3[0]), word(s3[1]), word(s3[2]);
        ref(ref_kind::table, dst);
        ref(ref_kind::table, src);
      }
      return true;
    }
    case misc_opcode::table_grow: {  // table.grow t: [ref, i32] -> i32
      std::uint32_t t;
      if (!in.u32(t, "table index")) return false;
      if (!need_table(at, t)) return false;
      std::size_t hn = 0, hv = 0;
      if (!pop(at, value_type::i32, nullptr, &hn)) return false;
      entry n = popped_;
      if (!pop(at, m_.all_tables[t].element, nullptr, &hv)) return false;
      entry v = popped_;
      if (live()) {
        std::uint32_t sv = slot_of(hv, v), sn = slot_of(hn, n);
        std::uint32_t s = begin(op::table_grow);
        word(cell(hv));
        word(sv);
        word(sn);
        ref(ref_kind::table, t);
        mark_result(s, hv);
      }
      push(value_type::i32);
      return true;
    }
    case misc_opcode::table_size: {  // table.size
      std::uint32_t t;
      if (!in.u32(t, "table index")) return false;
      if (!need_table(at, t)) return false;
      if (live()) {
        std::uint32_t s = begin(op::table_size);
        word(cell(vals_.size()));
        ref(ref_kind::table, t);
        mark_result(s, vals_.size());
      }
      push(value_type::i32);
      return true;
    }
    case misc_opcode::table_fill: {  // table.fill: [i32, ref, i32]
      std::uint32_t t;
      if (!in.u32(t, "table index")) return false;
      if (!need_table(at, t)) return false;
      if (!pop3(value_type::i32, m_.all_tables[t].element, value_type::i32, s3)) return false;
      if (live()) {
        begin(op::table_fill);
        word(s3[0]), word(s3[1]), word(s3[2]);
        ref(ref_kind::table, t);
      }
      return true;
    }
    default:
      return in.malformed(at, "illegal opcode 0xfc %u", static_cast<unsigned>(sub));
  }
}

}  // namespace vitte::wasm::detail

#endif  // VITTE_WASM_IMPL_COMPILE_OPS_IPP
