// vitte/wasm/impl/exec.ipp - the dispatcher of the register-slot code, in
// the form VITTE_WASM_DISPATCH names (impl/dispatch.hpp), the calls into
// host functions, and the translation of a function on its first call.
// All three dispatchers run the same handler bodies (impl/handlers.inc).
// Calls between wasm functions never use the C stack: frames live on the
// store's own stack, so call depth limits are exact.
#ifndef VITTE_WASM_IMPL_EXEC_IPP
#define VITTE_WASM_IMPL_EXEC_IPP

#include <vitte/base/config.hpp>
#include <vitte/base/detail/endian.hpp>
#include <vitte/wasm/impl/code.hpp>
#include <vitte/wasm/impl/compile.ipp>
#include <vitte/wasm/impl/dispatch.hpp>
#include <vitte/wasm/impl/linear_memory.hpp>
#include <vitte/wasm/impl/numeric.hpp>
#include <vitte/wasm/impl/objects.hpp>
#include <vitte/wasm/impl/simd.hpp>

#include <bit>
#include <cstring>
#include <type_traits>
#include <vector>

namespace vitte::wasm::detail {

inline instance_object* current_instance(exec_state* x) noexcept { return x->frame_top[-1].fn->owner; }

inline std::int64_t grow_memory(exec_state* x, std::uint32_t delta) noexcept { return x->mem->grow(delta); }

VITTE_DECL bool memory_init(exec_state* x, std::uint32_t d, std::uint32_t s, std::uint32_t n,
                            std::uint32_t seg) noexcept {
  instance_object* inst = current_instance(x);
  byte_range r = inst->data[seg];
  if (static_cast<std::uint64_t>(s) + n > r.size || static_cast<std::uint64_t>(d) + n > x->mem->size) {
    x->trap = ops::trap_memory_out_of_bounds;
    return false;
  }
  if (n) std::memcpy(x->mem->data + d, inst->m->bytes.data() + r.offset + s, n);
  return true;
}

VITTE_DECL bool table_init(exec_state* x, table_object* t, std::uint32_t d, std::uint32_t s, std::uint32_t n,
                           std::uint32_t seg) noexcept {
  const auto& items = current_instance(x)->elements[seg];
  if (static_cast<std::uint64_t>(s) + n > items.size() || static_cast<std::uint64_t>(d) + n > t->elems.size()) {
    x->trap = ops::trap_table_out_of_bounds;
    return false;
  }
  for (std::uint32_t k = 0; k < n; ++k) t->elems[d + k] = items[s + k];
  return true;
}

// Polls between two readings of the deadline's clock.
constexpr std::uint32_t poll_period = 1024;

// True once the deadline has passed; rearms the countdown.
inline bool past_deadline(exec_state* x) noexcept {
  x->poll_countdown = poll_period;
  return x->clock_ns != nullptr && x->clock_ns() >= x->deadline_ns;
}

// After a host function: its error traps the caller; success clears the
// trap of a call back into wasm that the host function handled.
inline bool host_returned(exec_state* x, vitte::error e) noexcept {
  if (e) {
    x->trap = ops::trap_host;
    x->host_error = e;
    return false;
  }
  x->trap = operation::none;
  return true;
}

// Calls a host function with its arguments in args[0..params) (read from
// io), its results in results[0..results) (written back to io).
VITTE_DECL bool call_host_with(exec_state* x, function_object* f, cell* io, value* args, value* results) {
  const func_type& t = *f->type;
  const std::size_t np = t.params.size(), nr = t.results.size();
  std::uint32_t at = 0;
  for (std::size_t i = 0; i < np; ++i) {
    args[i] = read_value(io + at, t.params[i]);
    at += cells_of(t.params[i]);
  }
  for (std::size_t i = 0; i < nr; ++i) results[i] = value{t.results[i], 0, 0};
  cell* saved = x->nested_base;
  std::uint32_t span_cells = f->num_params > f->num_results ? f->num_params : f->num_results;
  x->nested_base = io + span_cells;
  vitte::error e = f->host(f->user, span<const value>(args, np), span<value>(results, nr));
  x->nested_base = saved;
  if (!host_returned(x, e)) return false;
  at = 0;
  for (std::size_t i = 0; i < nr; ++i) {
    results[i].type = t.results[i];
    at += write_value(io + at, results[i]);
  }
  return true;
}

// More than eight parameters or results: the values on the heap.
[[gnu::noinline]] VITTE_DECL bool call_host_many(exec_state* x, function_object* f, cell* io) {
  std::vector<value> args(f->type->params.size()), results(f->type->results.size());
  return call_host_with(x, f, io, args.data(), results.data());
}

// A value's storage left uninitialized: call_host fills what it uses
// (zeroing eight values for arguments and eight for results was the larger
// part of a host call's cost).
union value_slot {
  value v;
  value_slot() noexcept {}
};

static_assert(sizeof(cell) == sizeof(std::uint64_t), "a frame's cells are the raw host functions' words");

// Calls a raw host function on the frame's words in place. A 32-bit value
// is the low half of its cell; the handlers write the upper half zero, but
// a raw host function may have returned an i32 or f32 with other upper
// bits (sign-extended, say): cleared first, as raw_host_callback promises.
inline bool call_raw_host(exec_state* x, function_object* f, cell* io) {
  for (std::uint64_t m = f->narrow_params; m != 0; m &= m - 1) {
    cell& c = io[std::countr_zero(m)];
    c.u64 = c.u32;
  }
  const std::size_t np = f->type->params.size();
  for (std::size_t k = 64; k < np; ++k)
    if (f->type->params[k] == value_type::i32 || f->type->params[k] == value_type::f32) io[k].u64 = io[k].u32;
  cell* saved = x->nested_base;
  x->nested_base = io + f->frame_cells;
  vitte::error e = f->raw(f->user, &io->u64);
  x->nested_base = saved;
  return host_returned(x, e);
}

// Calls a host function whose arguments are io[0..params); its results go to
// io[0..results).
inline bool call_host_here(exec_state* x, function_object* f, cell* io) {
  if (f->raw != nullptr) return call_raw_host(x, f, io);
  if (f->type->params.size() > 8 || f->type->results.size() > 8) return call_host_many(x, f, io);
  value_slot args[8], results[8];
  return call_host_with(x, f, io, &args[0].v, &results[0].v);
}

// ... with the faults of the host's code its own (guard pages: a fault in
// a memory's guard while the host runs is the host's, not a wasm trap;
// claims_memory_fault reads host_depth).
VITTE_ALWAYS_INLINE bool call_host(exec_state* x, function_object* f, cell* io) {
  ++x->host_depth;  // an exception skips the decrement: the store's call puts it back
  bool ok = call_host_here(x, f, io);
  --x->host_depth;
  return ok;
}

// Takes back the frames a call from the host pushed, its memory, and where
// nested calls go, when an exception from a host function ends the call;
// finish() does it otherwise (or keeps them, for a call that can resume).
class frames_until_finished {
 public:
  frames_until_finished(exec_state* x, frame_record* entry, memory_object* mem) noexcept
      : x_(x), entry_(entry), mem_(mem), nested_base_(x->nested_base), host_depth_(x->host_depth) {}
  ~frames_until_finished() {
    if (x_ == nullptr) return;
    x_->frame_top = entry_;
    x_->mem = mem_;
    x_->nested_base = nested_base_;
    x_->host_depth = host_depth_;
  }
  void finished() noexcept { x_ = nullptr; }
  frames_until_finished(const frames_until_finished&) = delete;
  frames_until_finished& operator=(const frames_until_finished&) = delete;

 private:
  exec_state* x_;
  frame_record* entry_;
  memory_object* mem_;
  cell* nested_base_;
  std::uint32_t host_depth_;
};

// By op: the portable code of each SIMD compute instruction, for
// translations that run it through simd_call* (store_limits::scalar_simd).
VITTE_DECL const simd_fn* scalar_simd_table() noexcept {
  static const simd_fn* table = [] {
    static simd_fn t[op_count] = {};
#define VITTE_WASM_PORTABLE(name, ...) t[static_cast<std::size_t>(op::name)] = &simd_exec<simd_scalar>::name;
    VITTE_WASM_SIMD_UNARY(VITTE_WASM_PORTABLE)
    VITTE_WASM_SIMD_BINARY(VITTE_WASM_PORTABLE)
    VITTE_WASM_SIMD_SHIFT(VITTE_WASM_PORTABLE)
    VITTE_WASM_SIMD_TEST(VITTE_WASM_PORTABLE)
    VITTE_WASM_PORTABLE(v128_bitselect)
#undef VITTE_WASM_PORTABLE
    return t;
  }();
  return table;
}

// Gives a wasm function its code on its first call. The first instance of a
// module in a store translates the function and runs that code; the others
// copy it and write their own objects into the words that name them.
VITTE_DECL bool translate(exec_state* x, function_object* f) {
  instance_object* inst = f->owner;
  instance_refs objects{inst->functions.data(), inst->globals.data(), inst->tables.data(), inst->type_ids.data()};
  translation& t = inst->record->functions[f->index - inst->m->imported_functions];
  if (t.done) {
    f->storage = t.code;
    for (const code_ref& r : t.refs) write_ref(f->storage.data(), r, objects);
    f->code = f->storage.data();
    return true;
  }
  refusal r;
  emitter e;
  e.handlers = x->handlers;
  e.objects = objects;
  e.metered = x->metered;
  e.interruptible = x->interruptible;
  e.scalar_simd = x->scalar_simd ? scalar_simd_table() : nullptr;
  body_context ctx{inst->m, &inst->declared, inst->m->has_data_count};
  function_compiler c(ctx, f->index, r, &e);
  if (!c.run()) {
    x->trap = ops::wasm_validate;  // cannot happen for a validated module, short of memory
    return false;
  }
  ++x->translations;
  t.code = static_cast<std::vector<std::uint32_t>&&>(e.code);
  t.refs = static_cast<std::vector<code_ref>&&>(e.refs);
  t.done = true;
  f->code = t.code.data();  // the store keeps it as long as the instance
  return true;
}

// The accumulator (code.hpp) as the cell it was taken from.
inline cell acc_cell(std::uint64_t acc) noexcept {
  cell c;
  c.u64 = acc;
  return c;
}

#if VITTE_WASM_DISPATCH == 3
// ---- handlers chained by guaranteed tail calls ------------------------------
#define VITTE_WASM_SIGNATURE                                                                           \
  [[maybe_unused]] const std::uint32_t *ip, [[maybe_unused]] cell *fp, [[maybe_unused]] exec_state *x, \
      [[maybe_unused]] std::uint8_t *mem, [[maybe_unused]] std::uint64_t msize, [[maybe_unused]] std::uint64_t acc
using handler_fn = void (*)(const std::uint32_t*, cell*, exec_state*, std::uint8_t*, std::uint64_t, std::uint64_t);
inline handler_fn handler_of(const std::uint32_t* ip) noexcept { return reinterpret_cast<handler_fn>(read_ptr(ip)); }

namespace tail {
#define VITTE_WASM_HANDLER(name) [[maybe_unused]] inline void h_##name(VITTE_WASM_SIGNATURE)
#define NEXT(n)                                                            \
  do {                                                                     \
    ip += (n);                                                             \
    [[clang::musttail]] return handler_of(ip)(ip, fp, x, mem, msize, acc); \
  } while (0)
#define JUMP(p)                                                            \
  do {                                                                     \
    ip = (p);                                                              \
    [[clang::musttail]] return handler_of(ip)(ip, fp, x, mem, msize, acc); \
  } while (0)
#define TRAP(name)       \
  do {                   \
    x->trap = ops::name; \
    return;              \
  } while (0)
#define STOP() return
// Handlers name each other only through the code, so declare none ahead.
#include <vitte/wasm/impl/handlers.inc>
#undef VITTE_WASM_HANDLER
#undef NEXT
#undef JUMP
#undef TRAP
#undef STOP
}  // namespace tail

VITTE_DECL const std::uintptr_t* handler_table() noexcept {
#define VITTE_WASM_TABLE_ENTRY(name, ...) reinterpret_cast<std::uintptr_t>(&tail::h_##name),
#define VITTE_WASM_TABLE_CONTROL(name) reinterpret_cast<std::uintptr_t>(&tail::h_##name),
#define VITTE_WASM_TABLE_GUARDED(name, ...) reinterpret_cast<std::uintptr_t>(&tail::h_##name##_guarded),
#define VITTE_WASM_TABLE_ACC(name, ...) reinterpret_cast<std::uintptr_t>(&tail::h_##name##_acc),
#define VITTE_WASM_TABLE_ACC_GUARDED(name, ...) reinterpret_cast<std::uintptr_t>(&tail::h_##name##_acc_guarded),
  static const std::uintptr_t table[] = {
      VITTE_WASM_CONTROL(VITTE_WASM_TABLE_CONTROL) VITTE_WASM_UNARY(VITTE_WASM_TABLE_ENTRY) VITTE_WASM_UNARY_TRAPPING(
          VITTE_WASM_TABLE_ENTRY) VITTE_WASM_BINARY(VITTE_WASM_TABLE_ENTRY)
          VITTE_WASM_BINARY_TRAPPING(VITTE_WASM_TABLE_ENTRY) VITTE_WASM_LOADS(VITTE_WASM_TABLE_ENTRY)
              VITTE_WASM_STORES(VITTE_WASM_TABLE_ENTRY) VITTE_WASM_FUSED_BRANCHES(VITTE_WASM_TABLE_ENTRY)
                  VITTE_WASM_BINARY_IMM(VITTE_WASM_TABLE_ENTRY) VITTE_WASM_FUSED_BRANCHES_IMM(VITTE_WASM_TABLE_ENTRY)
                      VITTE_WASM_FUSED_LOADS(VITTE_WASM_TABLE_ENTRY) VITTE_WASM_SIMD_ALL(
                          VITTE_WASM_TABLE_ENTRY, VITTE_WASM_TABLE_CONTROL) VITTE_WASM_ACC_ALL(VITTE_WASM_TABLE_ACC)
                          VITTE_WASM_LOADS(VITTE_WASM_TABLE_GUARDED) VITTE_WASM_FUSED_LOADS(VITTE_WASM_TABLE_GUARDED)
                              VITTE_WASM_LOADS(VITTE_WASM_TABLE_ACC_GUARDED)
                                  VITTE_WASM_ADDRESS_LOADS(VITTE_WASM_TABLE_ACC_GUARDED)
                                      VITTE_WASM_STORES(VITTE_WASM_TABLE_GUARDED)
                                          VITTE_WASM_STORES(VITTE_WASM_TABLE_ACC_GUARDED)};
#undef VITTE_WASM_TABLE_ENTRY
#undef VITTE_WASM_TABLE_CONTROL
#undef VITTE_WASM_TABLE_GUARDED
#undef VITTE_WASM_TABLE_ACC
#undef VITTE_WASM_TABLE_ACC_GUARDED
  static_assert(sizeof table / sizeof table[0] == op_count + guarded_op_count,
                "one handler per op, then the guarded loads and stores");
  return table;
}

VITTE_DECL void run(exec_state* x, const std::uint32_t* ip, cell* fp) {
  handler_of(ip)(ip, fp, x, x->mem->data, x->mem->size, 0);
}
#undef VITTE_WASM_SIGNATURE

#elif VITTE_WASM_DISPATCH == 2
// ---- computed goto ----------------------------------------------------------
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"  // labels as values
#endif
VITTE_DECL const std::uintptr_t* run(exec_state* x, const std::uint32_t* ip, cell* fp) {
#define VITTE_WASM_LABEL(name, ...) reinterpret_cast<std::uintptr_t>(&&L_##name),
#define VITTE_WASM_LABEL_CONTROL(name) reinterpret_cast<std::uintptr_t>(&&L_##name),
#define VITTE_WASM_LABEL_GUARDED(name, ...) reinterpret_cast<std::uintptr_t>(&&L_##name##_guarded),
#define VITTE_WASM_LABEL_ACC(name, ...) reinterpret_cast<std::uintptr_t>(&&L_##name##_acc),
#define VITTE_WASM_LABEL_ACC_GUARDED(name, ...) reinterpret_cast<std::uintptr_t>(&&L_##name##_acc_guarded),
  static const std::uintptr_t labels[] = {
      VITTE_WASM_CONTROL(VITTE_WASM_LABEL_CONTROL) VITTE_WASM_UNARY(VITTE_WASM_LABEL) VITTE_WASM_UNARY_TRAPPING(
          VITTE_WASM_LABEL) VITTE_WASM_BINARY(VITTE_WASM_LABEL) VITTE_WASM_BINARY_TRAPPING(VITTE_WASM_LABEL)
          VITTE_WASM_LOADS(VITTE_WASM_LABEL) VITTE_WASM_STORES(VITTE_WASM_LABEL) VITTE_WASM_FUSED_BRANCHES(
              VITTE_WASM_LABEL) VITTE_WASM_BINARY_IMM(VITTE_WASM_LABEL) VITTE_WASM_FUSED_BRANCHES_IMM(VITTE_WASM_LABEL)
              VITTE_WASM_FUSED_LOADS(VITTE_WASM_LABEL) VITTE_WASM_SIMD_ALL(VITTE_WASM_LABEL, VITTE_WASM_LABEL_CONTROL)
                  VITTE_WASM_ACC_ALL(VITTE_WASM_LABEL_ACC) VITTE_WASM_LOADS(VITTE_WASM_LABEL_GUARDED)
                      VITTE_WASM_FUSED_LOADS(VITTE_WASM_LABEL_GUARDED) VITTE_WASM_LOADS(VITTE_WASM_LABEL_ACC_GUARDED)
                          VITTE_WASM_ADDRESS_LOADS(VITTE_WASM_LABEL_ACC_GUARDED)
                              VITTE_WASM_STORES(VITTE_WASM_LABEL_GUARDED)
                                  VITTE_WASM_STORES(VITTE_WASM_LABEL_ACC_GUARDED)};
#undef VITTE_WASM_LABEL
#undef VITTE_WASM_LABEL_CONTROL
#undef VITTE_WASM_LABEL_GUARDED
#undef VITTE_WASM_LABEL_ACC
#undef VITTE_WASM_LABEL_ACC_GUARDED
  static_assert(sizeof labels / sizeof labels[0] == op_count + guarded_op_count,
                "one label per op, then the guarded loads and stores");
  if (ip == nullptr) return labels;
  std::uint8_t* mem = x->mem->data;
  std::uint64_t msize = x->mem->size;
  std::uint64_t acc = 0;
#define VITTE_WASM_HANDLER(name) L_##name:
#define NEXT(n)         \
  do {                  \
    ip += (n);          \
    goto* read_ptr(ip); \
  } while (0)
#define JUMP(p)         \
  do {                  \
    ip = (p);           \
    goto* read_ptr(ip); \
  } while (0)
#define TRAP(name)       \
  do {                   \
    x->trap = ops::name; \
    return nullptr;      \
  } while (0)
#define STOP() return nullptr
  goto* read_ptr(ip);
#include <vitte/wasm/impl/handlers.inc>
#undef VITTE_WASM_HANDLER
#undef NEXT
#undef JUMP
#undef TRAP
#undef STOP
  return nullptr;
}
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

VITTE_DECL const std::uintptr_t* handler_table() noexcept {
  static const std::uintptr_t* table = run(nullptr, nullptr, nullptr);
  return table;
}

#else
// ---- portable switch loop ---------------------------------------------------
VITTE_DECL const std::uintptr_t* handler_table() noexcept {
  static const std::uintptr_t* table = [] {
    static std::uintptr_t t[op_count];
    for (std::size_t i = 0; i < op_count; ++i) t[i] = i;
    return t;
  }();
  return table;
}

// Never used: the switch loop has no guard pages (impl/linear_memory.hpp).
VITTE_DECL const std::uintptr_t* guarded_handler_table() noexcept { return handler_table(); }

VITTE_DECL void run(exec_state* x, const std::uint32_t* ip, cell* fp) {
  std::uint8_t* mem = x->mem->data;
  std::uint64_t msize = x->mem->size;
  std::uint64_t acc = 0;
#define VITTE_WASM_HANDLER(name) case op::name:
#define NEXT(n)    \
  do {             \
    ip += (n);     \
    goto dispatch; \
  } while (0)
#define JUMP(p)    \
  do {             \
    ip = (p);      \
    goto dispatch; \
  } while (0)
#define TRAP(name)       \
  do {                   \
    x->trap = ops::name; \
    return;              \
  } while (0)
#define STOP() return
dispatch:
  switch (static_cast<op>(ip[0])) {
#include <vitte/wasm/impl/handlers.inc>
    default:
      break;
  }
#undef VITTE_WASM_HANDLER
#undef NEXT
#undef JUMP
#undef TRAP
#undef STOP
}
#endif

#if VITTE_WASM_DISPATCH != 1
// The table with the loads (and, where they fault whole, the stores) that
// check nothing (guard pages). Each dispatcher's list holds their handlers
// after the ops': loads, fused loads, loads and fused loads taking the
// accumulator, then stores and stores taking the accumulator, in the order
// of VITTE_WASM_LOADS, VITTE_WASM_FUSED_LOADS, VITTE_WASM_ADDRESS_LOADS and
// VITTE_WASM_STORES.
VITTE_DECL const std::uintptr_t* guarded_handler_table() noexcept {
  static const std::uintptr_t* table = [] {
    static std::uintptr_t t[op_count];
    const std::uintptr_t* all = handler_table();
    std::memcpy(t, all, sizeof t);
    std::size_t k = op_count;
#define VITTE_WASM_GUARDED_ENTRY(name, ...) t[static_cast<std::size_t>(op::name)] = all[k++];
#define VITTE_WASM_GUARDED_ACC(name, ...) t[static_cast<std::size_t>(op::name##_acc)] = all[k++];
    VITTE_WASM_LOADS(VITTE_WASM_GUARDED_ENTRY)
    VITTE_WASM_FUSED_LOADS(VITTE_WASM_GUARDED_ENTRY)
    VITTE_WASM_LOADS(VITTE_WASM_GUARDED_ACC)
    VITTE_WASM_ADDRESS_LOADS(VITTE_WASM_GUARDED_ACC)
    if constexpr (stores_fault_whole) {
      VITTE_WASM_STORES(VITTE_WASM_GUARDED_ENTRY)
      VITTE_WASM_STORES(VITTE_WASM_GUARDED_ACC)
    }
#undef VITTE_WASM_GUARDED_ENTRY
#undef VITTE_WASM_GUARDED_ACC
    return t;
  }();
  return table;
}
#endif

// Runs code from ip in frame fp. With guard pages, a fault in the guard of
// the running code's memory stops it as the checked loads and stores would
// have: trap_memory_out_of_bounds, the frames as they were.
inline void execute(exec_state* x, const std::uint32_t* ip, cell* fp) {
  if (!x->guarded) {
    run(x, ip, fp);
    return;
  }
  struct call {
    exec_state* x;
    const std::uint32_t* ip;
    cell* fp;
  } c{x, ip, fp};
  auto go = [](void* p) {
    call* c = static_cast<call*>(p);
    run(c->x, c->ip, c->fp);
  };
  std::uint32_t host_depth = x->host_depth;  // a call from a host function: its wasm claims its faults
  x->host_depth = 0;
  if (faults::run(go, &c, &claims_memory_fault, x)) x->trap = ops::trap_memory_out_of_bounds;
  x->host_depth = host_depth;
}

}  // namespace vitte::wasm::detail

#endif  // VITTE_WASM_IMPL_EXEC_IPP
