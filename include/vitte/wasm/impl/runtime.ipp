// vitte/wasm/impl/runtime.ipp - the store: linking, instantiation, calls
// (what impl/runtime.hpp keeps inline aside).
#ifndef VITTE_WASM_IMPL_RUNTIME_IPP
#define VITTE_WASM_IMPL_RUNTIME_IPP

#include <vitte/base/config.hpp>
#include <vitte/base/detail/text.hpp>  // text_writer: the subjects of link problems
#include <vitte/base/diagnostic.hpp>
#include <vitte/base/diagnostic_list.hpp>
#include <vitte/base/result.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/wasm/impl/const_op.hpp>  // the constant expressions, decoded
#include <vitte/wasm/impl/exec.ipp>
#include <vitte/wasm/impl/linear_memory.hpp>
#include <vitte/wasm/impl/objects.hpp>
#include <vitte/wasm/impl/opcodes.hpp>  // instr: their codes
#include <vitte/wasm/module.hpp>
#include <vitte/wasm/runtime.hpp>

#include <cassert>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <vector>

namespace vitte::wasm {

namespace detail {
VITTE_DECL bool limits_match(std::uint64_t size, bool has_max, std::uint64_t max, const limits& want) noexcept {
  if (size < want.min) return false;
  if (want.has_max && (!has_max || max > want.max)) return false;
  return true;
}
// An entry of `why` (when not null) about import `imp` ("env.log"):
// `before`, `kind` ("func"), `after`.
VITTE_DECL void link_problem(diagnostic_list* why, const import_desc& imp, text_view before, text_view kind = {},
                             text_view after = {}) {
  if (why == nullptr) return;
  vitte::diagnostic d;
  char name[vitte::diagnostic::subject_capacity + 1];
  vitte::detail::text_writer w{name, sizeof name};
  w.append(imp.module.view());
  w.append(".");
  w.append(imp.name.view());
  d.of(errc::not_found).about(text_view(name, w.len)).say(before).append(kind).append(after);
  why->add(d);
}
// An entry of `why` (when not null) about segment `index` of `kind`
// ("data segment 2") at `offset`.
VITTE_DECL void segment_problem(diagnostic_list* why, errc k, const char* kind, std::size_t index, std::uint64_t offset,
                                text_view what) {
  if (why == nullptr) return;
  vitte::diagnostic d;
  char name[48];
  vitte::detail::text_writer w{name, sizeof name};
  w.append(kind);
  w.append(" segment ");
  w.append_unsigned(index);
  d.of(k).at(offset).about(text_view(name, w.len)).say(what);
  why->add(d);
}
}  // namespace detail

VITTE_DECL result<extern_value> instance::find(text_view name) const noexcept {
  const export_desc* e = i_->m->find_export(name);
  if (e == nullptr) return vitte::error{errc::not_found, ops::wasm_link};
  switch (e->kind) {
    case extern_kind::function:
      return extern_value{e->kind, i_->functions[e->index]};
    case extern_kind::table:
      return extern_value{e->kind, i_->tables[e->index]};
    case extern_kind::memory:
      return extern_value{e->kind, i_->memories[e->index]};
    case extern_kind::global:
      return extern_value{e->kind, i_->globals[e->index]};
  }
  return vitte::error{errc::not_found, ops::wasm_link};
}

VITTE_DECL function instance::function(text_view name) const noexcept {
  auto e = find(name);
  return e && e->kind == extern_kind::function ? wasm::function(static_cast<detail::function_object*>(e->object))
                                               : wasm::function();
}
VITTE_DECL memory instance::memory(text_view name) const noexcept {
  auto e = find(name);
  return e && e->kind == extern_kind::memory ? wasm::memory(static_cast<detail::memory_object*>(e->object))
                                             : wasm::memory();
}
VITTE_DECL global instance::global(text_view name) const noexcept {
  auto e = find(name);
  return e && e->kind == extern_kind::global ? wasm::global(static_cast<detail::global_object*>(e->object))
                                             : wasm::global();
}
VITTE_DECL table instance::table(text_view name) const noexcept {
  auto e = find(name);
  return e && e->kind == extern_kind::table ? wasm::table(static_cast<detail::table_object*>(e->object))
                                            : wasm::table();
}

VITTE_DECL void imports::add(text_view module_name, text_view field, extern_value v) {
  for (auto& it : items_)
    if (it.module.view() == module_name && it.field.view() == field) {
      it.value = v;
      return;
    }
  items_.push_back({text(module_name), text(field), v});
}

VITTE_DECL void imports::add_instance(text_view module_name, instance inst) {
  for (const auto& e : inst.module().exports) {
    auto v = inst.find(e.name.view());
    if (v) add(module_name, e.name.view(), *v);
  }
}

VITTE_DECL const extern_value* imports::find(text_view module_name, text_view field) const noexcept {
  for (const auto& it : items_)
    if (it.module.view() == module_name && it.field.view() == field) return &it.value;
  return nullptr;
}

VITTE_DECL store::store(store_limits limits) : limits_(limits) {
  // Without memory for its stacks a store still constructs: every call then
  // fails with limit_exceeded (no cell, no frame).
  x_.stack.reset(new (std::nothrow) detail::cell[limits_.stack_cells]);
  x_.frames.reset(new (std::nothrow) detail::frame_record[limits_.max_call_depth]);
  std::size_t cells = x_.stack ? limits_.stack_cells : 0, frames = x_.frames ? limits_.max_call_depth : 0;
  x_.stack_end = x_.stack.get() + cells;
  x_.nested_base = x_.stack.get();
  x_.frame_top = x_.frames.get();
  x_.frame_end = x_.frames.get() + frames;
  x_.mem = &empty_memory_;
  x_.guarded = limits_.guard_pages && detail::guard_pages_available();
  x_.handlers = x_.guarded ? detail::guarded_handler_table() : detail::handler_table();
  x_.metered = limits_.fuel;
  x_.interruptible = limits_.interruptible;
  x_.scalar_simd = limits_.scalar_simd;
  detail::write_pair(x_.halt_code, x_.handlers[static_cast<std::size_t>(detail::op::halt)]);
}

VITTE_DECL store::~store() = default;

VITTE_DECL std::uint32_t store::intern(const func_type& t) {
  for (std::size_t i = 0; i < types_.size(); ++i)
    if (*types_[i] == t) return static_cast<std::uint32_t>(i);
  types_.push_back(std::make_unique<func_type>(t));
  return static_cast<std::uint32_t>(types_.size() - 1);
}

VITTE_DECL detail::function_object* store::new_host(const func_type& type, void* user) {
  auto f = std::make_unique<detail::function_object>();
  f->home = this;
  f->type_id = intern(type);
  f->type = types_[f->type_id].get();
  f->num_params = detail::cells_of(type.params);
  f->num_results = detail::cells_of(type.results);
  f->num_locals = f->num_params;
  f->frame_cells = f->num_params > f->num_results ? f->num_params : f->num_results;
  f->memory = &empty_memory_;
  f->user = user;
  functions_.push_back(static_cast<std::unique_ptr<detail::function_object>&&>(f));
  return functions_.back().get();
}

VITTE_DECL function store::host_function(const func_type& type, host_callback fn, void* user) {
  detail::function_object* f = new_host(type, user);
  f->host = fn;
  return function(f);
}

VITTE_DECL result<function> store::raw_host_function(const func_type& type, raw_host_callback fn, void* user) {
  auto word = [](value_type t) {
    return t == value_type::i32 || t == value_type::i64 || t == value_type::f32 || t == value_type::f64;
  };
  for (value_type t : type.params)
    if (!word(t)) return vitte::error{errc::invalid_argument, ops::wasm_link};
  for (value_type t : type.results)
    if (!word(t)) return vitte::error{errc::invalid_argument, ops::wasm_link};
  detail::function_object* f = new_host(type, user);
  f->raw = fn;
  for (std::size_t k = 0; k < type.params.size() && k < 64; ++k)
    if (type.params[k] == value_type::i32 || type.params[k] == value_type::f32) f->narrow_params |= 1ull << k;
  return function(f);
}

VITTE_DECL result<memory> store::new_memory(const memory_type& type) {
  auto m = std::make_unique<detail::memory_object>();
  m->type = type;
  m->max_pages = type.limits.has_max ? type.limits.max : 65536;
  if (m->max_pages > limits_.max_memory_pages) m->max_pages = limits_.max_memory_pages;
  if (type.limits.min > m->max_pages) return vitte::error{errc::limit_exceeded, ops::wasm_instantiate};
  if (x_.guarded && !m->reserve_guarded()) return vitte::error{errc::no_memory, ops::wasm_instantiate};
  if (m->grow(type.limits.min) < 0) return vitte::error{errc::no_memory, ops::wasm_instantiate};
  memories_.push_back(static_cast<std::unique_ptr<detail::memory_object>&&>(m));
  return memory(memories_.back().get());
}

VITTE_DECL result<table> store::new_table(const table_type& type, value init) {
  auto t = std::make_unique<detail::table_object>();
  t->home = this;
  t->type = type;
  t->max = type.limits.has_max ? type.limits.max : 0xffffffffu;
  if (t->max > limits_.max_table_elements) t->max = limits_.max_table_elements;
  if (type.limits.min > t->max) return vitte::error{errc::limit_exceeded, ops::wasm_instantiate};
  t->elems.assign(type.limits.min, init.ref());
  tables_.push_back(static_cast<std::unique_ptr<detail::table_object>&&>(t));
  return table(tables_.back().get());
}

VITTE_DECL result<global> store::new_global(const global_type& type, value init) {
  if (init.type != type.type) return vitte::error{errc::invalid_argument, ops::wasm_instantiate};
  auto g = std::make_unique<detail::global_object>();
  g->home = this;
  g->type = type;
  detail::write_value(g->v, init);
  globals_.push_back(static_cast<std::unique_ptr<detail::global_object>&&>(g));
  return global(globals_.back().get());
}

namespace detail {
// The value of the constant expression `e` of `inst`'s module, as decode()
// validated and decoded it (impl/const_op.hpp): `out`, and a v128's high
// half in `high` when not null.
VITTE_DECL void eval_const(const instance_object& inst, const_expr e, cell& out, cell* high) noexcept {
  struct cells {
    cell lo, hi;  // hi: the high half of a v128
  };
  cells stack[64];
  std::size_t depth = 0;
  const const_op* op = inst.m->const_ops.data() + e.first;
  for (const const_op* end = op + e.count; op != end; ++op) {
    cells v;
    cell& c = v.lo;
    c.u64 = 0;
    v.hi.u64 = 0;
    switch (op->code) {
      case instr::prefix_simd:  // v128.const
        set_v128_half(c, op->bits[0]);
        set_v128_half(v.hi, op->bits[1]);
        break;
      case instr::i32_const:
      case instr::f32_const:
        c.u32 = static_cast<std::uint32_t>(op->bits[0]);
        break;
      case instr::i64_const:
      case instr::f64_const:
        c.u64 = op->bits[0];
        break;
      case instr::ref_null:
        c.ref = nullptr;
        break;
      case instr::ref_func:
        c.ref = inst.functions[op->index];
        break;
      case instr::global_get:
        v = {inst.globals[op->index]->v[0], inst.globals[op->index]->v[1]};
        break;
      default: {  // the extended-const arithmetic
        assert(depth >= 2 && "decode() checked the operands");
        const cell b = stack[--depth].lo, a = stack[--depth].lo;
        if (op->code == instr::i32_add)
          c.u32 = a.u32 + b.u32;
        else if (op->code == instr::i32_sub)
          c.u32 = a.u32 - b.u32;
        else if (op->code == instr::i32_mul)
          c.u32 = a.u32 * b.u32;
        else if (op->code == instr::i64_add)
          c.u64 = a.u64 + b.u64;
        else if (op->code == instr::i64_sub)
          c.u64 = a.u64 - b.u64;
        else
          c.u64 = a.u64 * b.u64;
        break;
      }
    }
    assert(depth < 64 && "decode() bounds the depth");
    stack[depth++] = v;
  }
  cells v;
  v.lo.u64 = 0;
  v.hi.u64 = 0;
  if (depth) v = stack[depth - 1];
  out = v.lo;
  if (high != nullptr) *high = v.hi;
}
}  // namespace detail

VITTE_DECL vitte::error store::trap_without_backtrace(vitte::error e) {
  trap_.error = e;
  trap_.functions.clear();
  trap_.names.clear();
  return e;
}

namespace detail {
// The same module for sharing: the same bytes (everything decode derives
// from them), and the same exports and function names, which a host may
// edit in its copy (renamed exports, names from a separate debug file).
VITTE_DECL bool same_module(const module& a, const module& b) noexcept {
  if (a.bytes.size() != b.bytes.size() || a.exports.size() != b.exports.size() ||
      a.function_names.size() != b.function_names.size())
    return false;
  if (!a.bytes.empty() && std::memcmp(a.bytes.data(), b.bytes.data(), a.bytes.size()) != 0) return false;
  for (std::size_t i = 0; i < a.exports.size(); ++i) {
    const export_desc &x = a.exports[i], &y = b.exports[i];
    if (x.kind != y.kind || x.index != y.index || x.name.view() != y.name.view()) return false;
  }
  for (std::size_t i = 0; i < a.function_names.size(); ++i)
    if (a.function_names[i].view() != b.function_names[i].view()) return false;
  return true;
}
}  // namespace detail

VITTE_DECL detail::module_record* store::record_of(const module& m) {
  for (const auto& r : modules_)
    if (detail::same_module(r->m, m)) return r.get();
  modules_.push_back(std::make_unique<detail::module_record>(m));
  return modules_.back().get();
}

// Functions, tables and reference globals of another store would run its
// code (translated for its limits, its type ids, its memories) on this
// store's stack: refused. Memories (and number globals) carry only data.
VITTE_DECL bool store::from_another_store(const extern_value& v) const noexcept {
  switch (v.kind) {
    case extern_kind::function:
      return static_cast<const detail::function_object*>(v.object)->home != this;
    case extern_kind::table:
      return static_cast<const detail::table_object*>(v.object)->home != this;
    case extern_kind::global: {
      auto* g = static_cast<const detail::global_object*>(v.object);
      return is_reference(g->type.type) && g->home != this;
    }
    case extern_kind::memory:
      return false;
  }
  return false;
}

VITTE_DECL result<instance> store::instantiate(const module& m, const imports& env, diagnostic_list* why) {
  if (instances_.size() >= limits_.max_instances) return vitte::error{errc::limit_exceeded, ops::wasm_instantiate};
  if (x_.guarded) (void)detail::faults::ready();  // the handler back on top if another took its place
  // 1. Every import, checked; every problem listed (an entry each).
  bool refused = false;
  std::vector<extern_value> resolved;
  resolved.reserve(m.imports.size());
  for (const auto& imp : m.imports) {
    const extern_value* v = env.find(imp.module.view(), imp.name.view());
    if (v == nullptr) {
      detail::link_problem(why, imp, "unknown import (", to_string(imp.kind), ")");
      refused = true;
      resolved.push_back({});
      continue;
    }
    bool ok = v->kind == imp.kind;
    if (ok) {
      switch (imp.kind) {
        case extern_kind::function:
          ok = *static_cast<detail::function_object*>(v->object)->type == m.types[imp.type_index];
          break;
        case extern_kind::table: {
          auto* t = static_cast<detail::table_object*>(v->object);
          ok = t->type.element == imp.table.element &&
               detail::limits_match(t->elems.size(), t->type.limits.has_max, t->type.limits.max, imp.table.limits);
          break;
        }
        case extern_kind::memory: {
          auto* mo = static_cast<detail::memory_object*>(v->object);
          ok = detail::limits_match(mo->pages(), mo->type.limits.has_max, mo->type.limits.max, imp.memory.limits);
          if (ok && x_.guarded && mo->reserved == 0) {  // its loads and stores would check nothing
            detail::link_problem(why, imp, "a memory without guard pages (store_limits::guard_pages)");
            refused = true;
          }
          break;
        }
        case extern_kind::global: {
          auto* g = static_cast<detail::global_object*>(v->object);
          ok = g->type.type == imp.global.type && g->type.is_mutable == imp.global.is_mutable;
          break;
        }
      }
    }
    if (!ok) {
      detail::link_problem(why, imp, "incompatible import type (", to_string(imp.kind), " expected)");
      refused = true;
    } else if (from_another_store(*v)) {
      detail::link_problem(why, imp, "a ", to_string(imp.kind), " of another store (stores share only memories)");
      refused = true;
    }
    resolved.push_back(*v);
  }
  if (refused) return vitte::error{errc::not_found, ops::wasm_link};

  // 2. The instance and its objects.
  auto inst = std::make_unique<detail::instance_object>();
  inst->record = record_of(m);
  inst->m = &inst->record->m;
  const module& mm = *inst->m;
  for (const auto& t : mm.types) inst->type_ids.push_back(intern(t));
  for (std::size_t i = 0; i < mm.imports.size(); ++i) {
    void* o = resolved[i].object;
    switch (mm.imports[i].kind) {
      case extern_kind::function:
        inst->functions.push_back(static_cast<detail::function_object*>(o));
        break;
      case extern_kind::table:
        inst->tables.push_back(static_cast<detail::table_object*>(o));
        break;
      case extern_kind::memory:
        inst->memories.push_back(static_cast<detail::memory_object*>(o));
        break;
      case extern_kind::global:
        inst->globals.push_back(static_cast<detail::global_object*>(o));
        break;
    }
  }
  for (const auto& t : mm.tables) {
    auto r = new_table(t);
    if (!r) return r.error();
    inst->tables.push_back(r->object());
  }
  for (const auto& mt : mm.memories) {
    auto r = new_memory(mt);
    if (!r) return r.error();
    inst->memories.push_back(r->object());
  }
  inst->memory = inst->memories.empty() ? &empty_memory_ : inst->memories[0];
  for (std::uint32_t i = 0; i < mm.functions.size(); ++i) {
    auto f = std::make_unique<detail::function_object>();
    f->home = this;
    const function_def& d = mm.functions[i];
    f->type_id = inst->type_ids[d.type_index];
    f->type = types_[f->type_id].get();
    f->num_params = detail::cells_of(f->type->params);
    f->num_results = detail::cells_of(f->type->results);
    f->num_locals = d.num_locals;
    f->frame_cells = d.num_locals + d.max_height + 1;
    if (f->frame_cells < f->num_results) f->frame_cells = f->num_results;
    f->owner = inst.get();
    f->memory = inst->memory;
    f->index = mm.imported_functions + i;
    inst->functions.push_back(f.get());
    functions_.push_back(static_cast<std::unique_ptr<detail::function_object>&&>(f));
  }
  for (const auto& g : mm.globals) {
    auto gg = std::make_unique<detail::global_object>();
    gg->home = this;
    detail::eval_const(*inst, g.init, gg->v[0], &gg->v[1]);
    gg->type = g.type;
    inst->globals.push_back(gg.get());
    globals_.push_back(static_cast<std::unique_ptr<detail::global_object>&&>(gg));
  }
  inst->declared.assign(mm.function_types.size(), true);
  for (const auto& seg : mm.elements) {
    std::vector<void*> items;
    items.reserve(seg.size());
    if (seg.items_are_exprs) {
      for (const auto& ex : seg.exprs) {
        detail::cell c;
        detail::eval_const(*inst, ex, c, nullptr);
        items.push_back(c.ref);
      }
    } else {
      for (auto f : seg.funcs) items.push_back(inst->functions[f]);
    }
    inst->elements.push_back(static_cast<std::vector<void*>&&>(items));
  }
  for (const auto& d : mm.data) inst->data.push_back(d.bytes);
  detail::instance_object* ip = inst.get();
  instances_.push_back(static_cast<std::unique_ptr<detail::instance_object>&&>(inst));

  // 3. Segments, then the start function.
  if (auto e = initialise(*ip, why)) return e;
  return instance(ip);
}

VITTE_DECL vitte::error store::initialise(detail::instance_object& inst, diagnostic_list* why) {
  const module& mm = *inst.m;
  for (std::size_t i = 0; i < mm.elements.size(); ++i) {
    const auto& seg = mm.elements[i];
    if (seg.mode == segment_mode::active) {
      detail::cell off;
      detail::eval_const(inst, seg.offset, off, nullptr);
      detail::table_object* t = inst.tables[seg.table];
      auto& items = inst.elements[i];
      if (static_cast<std::uint64_t>(off.u32) + items.size() > t->elems.size()) {
        detail::segment_problem(why, errc::invalid_argument, "element", i, seg.offset.offset,
                                "out of bounds table access");
        return trap_without_backtrace(vitte::error{errc::invalid_argument, ops::trap_table_out_of_bounds});
      }
      for (std::size_t k = 0; k < items.size(); ++k) t->elems[off.u32 + k] = items[k];
    }
    if (seg.mode != segment_mode::passive) inst.elements[i].clear();
  }
  for (std::size_t i = 0; i < mm.data.size(); ++i) {
    const auto& seg = mm.data[i];
    if (seg.mode != segment_mode::active) continue;
    detail::cell off;
    detail::eval_const(inst, seg.offset, off, nullptr);
    detail::memory_object* mo = inst.memories[seg.memory];
    if (static_cast<std::uint64_t>(off.u32) + seg.bytes.size > mo->size) {
      detail::segment_problem(why, errc::invalid_argument, "data", i, seg.offset.offset, "out of bounds memory access");
      return trap_without_backtrace(vitte::error{errc::invalid_argument, ops::trap_memory_out_of_bounds});
    }
    if (seg.bytes.size) std::memcpy(mo->data + off.u32, mm.bytes.data() + seg.bytes.offset, seg.bytes.size);
    inst.data[i].size = 0;
  }
  if (mm.has_start) return call(function(inst.functions[mm.start]), {}, {});
  return {};
}

VITTE_DECL void store::abandon() noexcept {
  x_.frame_top = x_.frames.get();
  suspended_ = nullptr;
  suspended_base_ = nullptr;
}

VITTE_DECL vitte::error store::resume(span<value> results) {
  detail::function_object* f = suspended_;
  if (f == nullptr || results.size() != f->type->results.size())
    return vitte::error{errc::invalid_argument, ops::wasm_call};
  detail::cell* base = suspended_base_;
  suspended_ = nullptr;
  suspended_base_ = nullptr;
  x_.trap = operation::none;
  x_.host_error = {};
  detail::frame_record* entry = x_.frames.get();
  detail::memory_object* saved_mem = entry->caller_memory;
  x_.mem = x_.frame_top[-1].fn->memory;
  detail::frames_until_finished unwind(&x_, entry, saved_mem);
  detail::execute(&x_, x_.resume_ip, x_.resume_fp);
  unwind.finished();
  if (auto e = finish(entry, saved_mem, f, base)) return e;
  read_results(*f->type, base, results);
  return {};
}

VITTE_DECL vitte::error store::run(detail::function_object* f, detail::cell* base) {
  if (suspended_ != nullptr) abandon();  // a new outermost call
  x_.trap = operation::none;
  x_.host_error = {};
  detail::frame_record* entry = x_.frame_top;
  detail::memory_object* saved_mem = x_.mem;
  if (f->owner == nullptr) {  // a host function
    if (!detail::call_host(&x_, f, base)) return trap_without_backtrace(x_.host_error);
    return {};
  }
  if (x_.frame_top == x_.frame_end || base + f->frame_cells > x_.stack_end) {
    return trap_without_backtrace(vitte::error{errc::limit_exceeded, ops::trap_call_stack_exhausted});
  }
  if (f->code == nullptr && !detail::translate(&x_, f)) return vitte::error{errc::no_memory, ops::wasm_call};
  *x_.frame_top++ = detail::frame_record{x_.halt_code, nullptr, f, saved_mem};
  for (std::uint32_t k = f->num_params; k < f->num_locals; ++k) base[k].u64 = 0;
  x_.mem = f->memory;
  detail::frames_until_finished unwind(&x_, entry, saved_mem);
  detail::execute(&x_, f->code, base);
  unwind.finished();
  return finish(entry, saved_mem, f, base);
}

VITTE_DECL vitte::error store::finish(detail::frame_record* entry, detail::memory_object* saved_mem,
                                      detail::function_object* f, detail::cell* base) {
  if (x_.trap == operation::none) return {};
  // A trap: the backtrace, then the stack as it was (or kept, for a call
  // that can resume).
  trap_.functions.clear();
  trap_.names.clear();
  for (detail::frame_record* r = x_.frame_top; r-- != entry;) {
    detail::function_object* fn = r->fn;
    trap_.functions.push_back(fn->index);
    const module* mm = fn->owner ? fn->owner->m : nullptr;
    trap_.names.push_back(mm && fn->index < mm->function_names.size() ? mm->function_names[fn->index] : text());
  }
  const bool stop =
      x_.trap == ops::trap_out_of_fuel || x_.trap == ops::trap_interrupted || x_.trap == ops::trap_deadline;
  if (stop && entry == x_.frames.get()) {
    suspended_ = f;
    suspended_base_ = base;
  } else {
    x_.frame_top = entry;
  }
  x_.mem = saved_mem;
  if (x_.trap == ops::trap_host)
    trap_.error = x_.host_error;
  else if (x_.trap == ops::trap_call_stack_exhausted || x_.trap == ops::trap_out_of_fuel)
    trap_.error = vitte::error{errc::limit_exceeded, x_.trap};
  else if (x_.trap == ops::trap_interrupted)
    trap_.error = vitte::error{errc::interrupted, x_.trap};
  else if (x_.trap == ops::trap_deadline)
    trap_.error = vitte::error{errc::timed_out, x_.trap};
  else
    trap_.error = vitte::error{errc::invalid_argument, x_.trap};
  return trap_.error;
}

VITTE_DECL text_view trap_message(vitte::error e) noexcept {
  operation o = e.op();
  if (o == ops::trap_unreachable) return "unreachable";
  if (o == ops::trap_memory_out_of_bounds) return "out of bounds memory access";
  if (o == ops::trap_table_out_of_bounds) return "out of bounds table access";
  if (o == ops::trap_integer_divide_by_zero) return "integer divide by zero";
  if (o == ops::trap_integer_overflow) return "integer overflow";
  if (o == ops::trap_invalid_conversion) return "invalid conversion to integer";
  if (o == ops::trap_indirect_call_type_mismatch) return "indirect call type mismatch";
  if (o == ops::trap_undefined_element) return "undefined element";
  if (o == ops::trap_uninitialized_element) return "uninitialized element";
  if (o == ops::trap_null_reference) return "null reference";
  if (o == ops::trap_call_stack_exhausted) return "call stack exhausted";
  if (o == ops::trap_out_of_fuel) return "all fuel consumed";
  if (o == ops::trap_interrupted) return "interrupted";
  if (o == ops::trap_deadline) return "deadline reached";
  if (o == ops::trap_host) return "host error";
  return {};
}

}  // namespace vitte::wasm

#endif  // VITTE_WASM_IMPL_RUNTIME_IPP
