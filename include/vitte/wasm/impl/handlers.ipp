// vitte/wasm/impl/handlers.ipp - the bodies of the internal instructions,
// written once and included by each dispatcher (impl/exec.hpp), which
// defines:
//   VITTE_WASM_HANDLER(name)  the start of a handler
//   NEXT(n)                   advance n words and dispatch
//   JUMP(p)                   continue at p
//   TRAP(name)                stop with trap ops::name
//   STOP()                    stop (x->trap already set, or a normal halt)
// and the names ip, fp, x, mem, msize and acc (the accumulator, code.hpp).
// No include guard: included thrice.

#define W(k) ip[k]
#define RELOAD_MEMORY() (mem = x->mem->data, msize = x->mem->size)
// Writes cell c to fp[W(k)] and leaves it in the accumulator.
#define PUT(k, c)        \
  do {                   \
    const cell c_ = (c); \
    fp[W(k)] = c_;       \
    acc = c_.u64;        \
  } while (0)
// The accumulator read as one of a cell's fields.
#define ACC(field) acc_cell(acc).field

VITTE_WASM_HANDLER(unreachable) { TRAP(trap_unreachable); }

VITTE_WASM_HANDLER(halt) { STOP(); }

VITTE_WASM_HANDLER(br) { JUMP(ip + static_cast<std::int32_t>(W(2))); }

#define VITTE_WASM_BR_IF(name, a, cmp)                        \
  VITTE_WASM_HANDLER(name) {                                  \
    if ((a)cmp 0) JUMP(ip + static_cast<std::int32_t>(W(3))); \
    NEXT(4);                                                  \
  }
VITTE_WASM_BR_IF(br_if, fp[W(2)].u32, !=)
VITTE_WASM_BR_IF(br_if_not, fp[W(2)].u32, ==)
VITTE_WASM_BR_IF(br_if_acc, ACC(u32), !=)
VITTE_WASM_BR_IF(br_if_not_acc, ACC(u32), ==)
#undef VITTE_WASM_BR_IF

VITTE_WASM_HANDLER(br_table) {
  std::uint32_t i = fp[W(2)].u32, n = W(3);
  if (i > n) i = n;
  JUMP(ip + static_cast<std::int32_t>(W(4 + i)));
}

VITTE_WASM_HANDLER(copy) {
  PUT(2, fp[W(3)]);
  NEXT(4);
}

VITTE_WASM_HANDLER(move) {
  std::memmove(fp + W(2), fp + W(3), W(4) * sizeof(cell));
  NEXT(5);
}

VITTE_WASM_HANDLER(const32) {
  PUT(2, cell_of(W(3)));
  NEXT(4);
}

VITTE_WASM_HANDLER(const64) {
  PUT(2, cell_of(static_cast<std::uint64_t>(W(3)) | static_cast<std::uint64_t>(W(4)) << 32));
  NEXT(5);
}

VITTE_WASM_HANDLER(select) {
  PUT(2, fp[W(5)].u32 != 0 ? fp[W(3)] : fp[W(4)]);
  NEXT(6);
}

VITTE_WASM_HANDLER(select_acc) {
  PUT(2, ACC(u32) != 0 ? fp[W(3)] : fp[W(4)]);
  NEXT(6);
}

VITTE_WASM_HANDLER(ret) {
  std::uint32_t s = W(2), n = W(3);
  // Results move down (s > 0), so a forward copy is safe; most are one cell.
  if (s != 0)
    for (std::uint32_t k = 0; k < n; ++k) fp[k] = fp[s + k];
  frame_record* r = --x->frame_top;
  ip = r->ret;
  fp = r->fp;
  x->mem = r->caller_memory;
  RELOAD_MEMORY();
  JUMP(ip);
}

// A call: the callee's frame starts at nfp, its arguments already there.
#define VITTE_WASM_ENTER(f, nfp, resume)                                                                          \
  do {                                                                                                            \
    if ((f)->owner == nullptr) { /* a host function */                                                            \
      if (!call_host(x, f, nfp)) STOP();                                                                          \
      RELOAD_MEMORY();                                                                                            \
      JUMP(resume);                                                                                               \
    }                                                                                                             \
    if (x->frame_top == x->frame_end || (nfp) + (f)->frame_cells > x->stack_end) TRAP(trap_call_stack_exhausted); \
    if ((f)->code == nullptr && !translate(x, f)) STOP();                                                         \
    *x->frame_top++ = frame_record{resume, fp, f, x->mem};                                                        \
    for (std::uint32_t k = (f)->num_params; k < (f)->num_locals; ++k) (nfp)[k].u64 = 0;                           \
    fp = (nfp);                                                                                                   \
    x->mem = (f)->memory;                                                                                         \
    RELOAD_MEMORY();                                                                                              \
    JUMP((f)->code);                                                                                              \
  } while (0)

VITTE_WASM_HANDLER(call) {
  function_object* f = static_cast<function_object*>(read_ptr(ip + 3));
  cell* nfp = fp + W(2);
  VITTE_WASM_ENTER(f, nfp, ip + 5);
}

// The function of an indirect call, type-checked: null when it traps.
#define VITTE_WASM_INDIRECT(f, tbl, idx, type)                         \
  table_object* tbl_ = static_cast<table_object*>(read_ptr(tbl));      \
  std::uint32_t i_ = (idx);                                            \
  if (i_ >= tbl_->elems.size()) TRAP(trap_undefined_element);          \
  function_object* f = static_cast<function_object*>(tbl_->elems[i_]); \
  if (f == nullptr) TRAP(trap_uninitialized_element);                  \
  if (f->type_id != (type)) TRAP(trap_indirect_call_type_mismatch)

VITTE_WASM_HANDLER(call_indirect) {
  VITTE_WASM_INDIRECT(f, ip + 4, fp[W(3)].u32, W(6));
  cell* nfp = fp + W(2);
  VITTE_WASM_ENTER(f, nfp, ip + 7);
}

// A tail call: the arguments move to the bottom of this frame, which the
// callee then takes over; the return address stays the caller's.
#define VITTE_WASM_TAIL(f, src)                                                      \
  do {                                                                               \
    std::memmove(fp, fp + (src), (f)->num_params * sizeof(cell));                    \
    if ((f)->owner == nullptr) { /* a host function */                               \
      if (!call_host(x, f, fp)) STOP();                                              \
      frame_record* r_ = --x->frame_top;                                             \
      ip = r_->ret;                                                                  \
      fp = r_->fp;                                                                   \
      x->mem = r_->caller_memory;                                                    \
      RELOAD_MEMORY();                                                               \
      JUMP(ip);                                                                      \
    }                                                                                \
    if (fp + (f)->frame_cells > x->stack_end) TRAP(trap_call_stack_exhausted);       \
    if ((f)->code == nullptr && !translate(x, f)) STOP();                            \
    x->frame_top[-1].fn = (f);                                                       \
    for (std::uint32_t k = (f)->num_params; k < (f)->num_locals; ++k) fp[k].u64 = 0; \
    x->mem = (f)->memory;                                                            \
    RELOAD_MEMORY();                                                                 \
    JUMP((f)->code);                                                                 \
  } while (0)

VITTE_WASM_HANDLER(return_call) {
  function_object* f = static_cast<function_object*>(read_ptr(ip + 3));
  VITTE_WASM_TAIL(f, W(2));
}

VITTE_WASM_HANDLER(return_call_indirect) {
  VITTE_WASM_INDIRECT(f, ip + 4, fp[W(3)].u32, W(6));
  VITTE_WASM_TAIL(f, W(2));
}

VITTE_WASM_HANDLER(global_get) {
  PUT(2, static_cast<global_object*>(read_ptr(ip + 3))->v[0]);
  NEXT(5);
}

VITTE_WASM_HANDLER(global_set) {
  static_cast<global_object*>(read_ptr(ip + 3))->v[0] = fp[W(2)];
  NEXT(5);
}

VITTE_WASM_HANDLER(memory_size) {
  fp[W(2)].u64 = msize / page_size;
  NEXT(3);
}

VITTE_WASM_HANDLER(memory_grow) {
  fp[W(2)].u64 = static_cast<std::uint32_t>(grow_memory(x, fp[W(3)].u32));
  RELOAD_MEMORY();
  NEXT(4);
}

VITTE_WASM_HANDLER(memory_fill) {
  std::uint64_t d = fp[W(2)].u32, n = fp[W(4)].u32;
  if (d + n > msize) TRAP(trap_memory_out_of_bounds);
  // A memory of 0 pages has no bytes (mem may be null): memset/memmove need a pointer.
  if (n != 0) std::memset(mem + d, static_cast<int>(fp[W(3)].u32 & 0xff), static_cast<std::size_t>(n));
  NEXT(5);
}

VITTE_WASM_HANDLER(memory_copy) {
  std::uint64_t d = fp[W(2)].u32, s = fp[W(3)].u32, n = fp[W(4)].u32;
  if (d + n > msize || s + n > msize) TRAP(trap_memory_out_of_bounds);
  if (n != 0) std::memmove(mem + d, mem + s, static_cast<std::size_t>(n));
  NEXT(5);
}

VITTE_WASM_HANDLER(memory_init) {
  if (!memory_init(x, fp[W(2)].u32, fp[W(3)].u32, fp[W(4)].u32, W(5))) STOP();
  NEXT(6);
}

VITTE_WASM_HANDLER(data_drop) {
  current_instance(x)->data[W(2)].size = 0;
  NEXT(3);
}

VITTE_WASM_HANDLER(table_get) {
  table_object* t = static_cast<table_object*>(read_ptr(ip + 4));
  std::uint32_t i = fp[W(3)].u32;
  if (i >= t->elems.size()) TRAP(trap_table_out_of_bounds);
  fp[W(2)].u64 = 0;
  fp[W(2)].ref = t->elems[i];
  NEXT(6);
}

VITTE_WASM_HANDLER(table_set) {
  table_object* t = static_cast<table_object*>(read_ptr(ip + 4));
  std::uint32_t i = fp[W(2)].u32;
  if (i >= t->elems.size()) TRAP(trap_table_out_of_bounds);
  t->elems[i] = fp[W(3)].ref;
  NEXT(6);
}

VITTE_WASM_HANDLER(table_size) {
  fp[W(2)].u64 = static_cast<table_object*>(read_ptr(ip + 3))->elems.size();
  NEXT(5);
}

VITTE_WASM_HANDLER(table_grow) {
  table_object* t = static_cast<table_object*>(read_ptr(ip + 5));
  fp[W(2)].u64 = static_cast<std::uint32_t>(t->grow(fp[W(4)].u32, fp[W(3)].ref));
  NEXT(7);
}

VITTE_WASM_HANDLER(table_fill) {
  table_object* t = static_cast<table_object*>(read_ptr(ip + 5));
  std::uint64_t i = fp[W(2)].u32, n = fp[W(4)].u32;
  if (i + n > t->elems.size()) TRAP(trap_table_out_of_bounds);
  for (std::uint64_t k = 0; k < n; ++k) t->elems[static_cast<std::size_t>(i + k)] = fp[W(3)].ref;
  NEXT(7);
}

VITTE_WASM_HANDLER(table_copy) {
  table_object* dt = static_cast<table_object*>(read_ptr(ip + 5));
  table_object* st = static_cast<table_object*>(read_ptr(ip + 7));
  std::uint64_t d = fp[W(2)].u32, s = fp[W(3)].u32, n = fp[W(4)].u32;
  if (d + n > dt->elems.size() || s + n > st->elems.size()) TRAP(trap_table_out_of_bounds);
  if (n) std::memmove(dt->elems.data() + d, st->elems.data() + s, static_cast<std::size_t>(n) * sizeof(void*));
  NEXT(9);
}

VITTE_WASM_HANDLER(table_init) {
  if (!table_init(x, static_cast<table_object*>(read_ptr(ip + 5)), fp[W(2)].u32, fp[W(3)].u32, fp[W(4)].u32, W(7)))
    STOP();
  NEXT(8);
}

VITTE_WASM_HANDLER(elem_drop) {
  auto& seg = current_instance(x)->elements[W(2)];
  seg.clear();
  seg.shrink_to_fit();
  NEXT(3);
}

VITTE_WASM_HANDLER(ref_null) {
  fp[W(2)].u64 = 0;
  NEXT(3);
}

VITTE_WASM_HANDLER(ref_is_null) {
  fp[W(2)].u64 = fp[W(3)].ref == nullptr ? 1 : 0;
  NEXT(4);
}

VITTE_WASM_HANDLER(ref_func) {
  fp[W(2)].u64 = 0;
  fp[W(2)].ref = read_ptr(ip + 3);
  NEXT(5);
}

// A basic block's cost, charged before it runs: out of fuel, the call
// stops here and resume() takes it up again at this instruction.
VITTE_WASM_HANDLER(fuel) {
  if (x->fuel < W(2)) {
    x->resume_ip = ip;
    x->resume_fp = fp;
    TRAP(trap_out_of_fuel);
  }
  x->fuel -= W(2);
  NEXT(3);
}

// An interruption (store::interrupt(), from any thread) or the deadline,
// whose clock is read once every poll_period polls.
VITTE_WASM_HANDLER(poll) {
  if (__atomic_load_n(&x->interrupt_flag, __ATOMIC_RELAXED) != 0 || (--x->poll_countdown == 0 && past_deadline(x))) {
    x->resume_ip = ip;
    x->resume_fp = fp;
    if (__atomic_exchange_n(&x->interrupt_flag, 0u, __ATOMIC_RELAXED) != 0) TRAP(trap_interrupted);
    TRAP(trap_deadline);
  }
  NEXT(2);
}

// The fused instructions whose first operand is an i32 (code.hpp), written
// once for it from its cell (A(k) reads word k's cell) and from the
// accumulator.
#define VITTE_WASM_FUSED_ARITH_BODIES(sfx, A)                                        \
  VITTE_WASM_HANDLER(i32_shr_u_and_imm##sfx) {                                       \
    PUT(2, cell_of(static_cast<std::uint32_t>((A(3) >> W(4)) & W(5))));              \
    NEXT(6);                                                                         \
  }                                                                                  \
  VITTE_WASM_HANDLER(i32_and_eq_imm##sfx) {                                          \
    PUT(2, cell_of(static_cast<std::uint32_t>((A(3) & W(4)) == W(5))));              \
    NEXT(6);                                                                         \
  }                                                                                  \
  VITTE_WASM_HANDLER(i32_and_ne_imm##sfx) {                                          \
    PUT(2, cell_of(static_cast<std::uint32_t>((A(3) & W(4)) != W(5))));              \
    NEXT(6);                                                                         \
  }                                                                                  \
  VITTE_WASM_HANDLER(br_if_i32_and_eq_imm##sfx) {                                    \
    if ((A(2) & W(3)) == W(4)) JUMP(ip + static_cast<std::int32_t>(W(5)));           \
    NEXT(6);                                                                         \
  }                                                                                  \
  VITTE_WASM_HANDLER(br_if_i32_and_ne_imm##sfx) {                                    \
    if ((A(2) & W(3)) != W(4)) JUMP(ip + static_cast<std::int32_t>(W(5)));           \
    NEXT(6);                                                                         \
  }                                                                                  \
  VITTE_WASM_HANDLER(i32_mul_add##sfx) {                                             \
    PUT(2, cell_of(static_cast<std::uint32_t>(A(3) * fp[W(4)].u32 + fp[W(5)].u32))); \
    NEXT(6);                                                                         \
  }                                                                                  \
  VITTE_WASM_HANDLER(i32_add_and_imm##sfx) {                                         \
    PUT(2, cell_of(static_cast<std::uint32_t>((A(3) + W(4)) & W(5))));               \
    NEXT(6);                                                                         \
  }                                                                                  \
  VITTE_WASM_HANDLER(i32_and_shl_imm##sfx) {                                         \
    PUT(2, cell_of(static_cast<std::uint32_t>((A(3) & W(4)) << W(5))));              \
    NEXT(6);                                                                         \
  }                                                                                  \
  VITTE_WASM_HANDLER(i32_add_shl_imm##sfx) {                                         \
    PUT(2, cell_of(static_cast<std::uint32_t>(A(3) + (fp[W(4)].u32 << W(5)))));      \
    NEXT(6);                                                                         \
  }                                                                                  \
  VITTE_WASM_HANDLER(i32_add_imm_br_if##sfx) {                                       \
    std::uint32_t r = A(3) + W(4);                                                   \
    PUT(2, cell_of(r));                                                              \
    if (r != 0) JUMP(ip + static_cast<std::int32_t>(W(5)));                          \
    NEXT(6);                                                                         \
  }                                                                                  \
  VITTE_WASM_HANDLER(i32_add_imm_br_if_not##sfx) {                                   \
    std::uint32_t r = A(3) + W(4);                                                   \
    PUT(2, cell_of(r));                                                              \
    if (r == 0) JUMP(ip + static_cast<std::int32_t>(W(5)));                          \
    NEXT(6);                                                                         \
  }                                                                                  \
  VITTE_WASM_HANDLER(i32_and_imm_br_if_eq_imm##sfx) {                                \
    std::uint32_t r = A(3) & W(4);                                                   \
    PUT(2, cell_of(r));                                                              \
    if (r == W(5)) JUMP(ip + static_cast<std::int32_t>(W(6)));                       \
    NEXT(7);                                                                         \
  }                                                                                  \
  VITTE_WASM_HANDLER(i32_and_imm_br_if_ne_imm##sfx) {                                \
    std::uint32_t r = A(3) & W(4);                                                   \
    PUT(2, cell_of(r));                                                              \
    if (r != W(5)) JUMP(ip + static_cast<std::int32_t>(W(6)));                       \
    NEXT(7);                                                                         \
  }                                                                                  \
  VITTE_WASM_HANDLER(i32_shr_u_xor##sfx) {                                           \
    PUT(2, cell_of(static_cast<std::uint32_t>((A(3) >> W(4)) ^ fp[W(5)].u32)));      \
    NEXT(6);                                                                         \
  }                                                                                  \
  VITTE_WASM_HANDLER(select_and_imm##sfx) {                                          \
    PUT(2, (A(3) & W(4)) != 0 ? fp[W(5)] : fp[W(6)]);                                \
    NEXT(7);                                                                         \
  }                                                                                  \
  VITTE_WASM_HANDLER(i32_add_imm_br_table##sfx) {                                    \
    std::uint32_t i = A(2) + W(3), n = W(4);                                         \
    if (i > n) i = n;                                                                \
    JUMP(ip + static_cast<std::int32_t>(W(5 + i)));                                  \
  }
#define VITTE_WASM_CELL_A(k) fp[W(k)].u32
#define VITTE_WASM_ACC_A(k) ACC(u32)
VITTE_WASM_FUSED_ARITH_BODIES(, VITTE_WASM_CELL_A)
VITTE_WASM_FUSED_ARITH_BODIES(_acc, VITTE_WASM_ACC_A)
#undef VITTE_WASM_FUSED_ARITH_BODIES

VITTE_WASM_HANDLER(i32_add_imm_pair) {
  fp[W(5)] = cell_of(static_cast<std::uint32_t>(fp[W(6)].u32 + W(7)));
  PUT(2, cell_of(static_cast<std::uint32_t>(fp[W(3)].u32 + W(4))));
  NEXT(8);
}

VITTE_WASM_HANDLER(copy_br) {
  fp[W(2)] = fp[W(3)];
  JUMP(ip + static_cast<std::int32_t>(W(4)));
}

VITTE_WASM_HANDLER(copy_br_if) {
  PUT(2, fp[W(3)]);
  if (fp[W(4)].u32 != 0) JUMP(ip + static_cast<std::int32_t>(W(5)));
  NEXT(6);
}

VITTE_WASM_HANDLER(copy_br_if_not) {
  PUT(2, fp[W(3)]);
  if (fp[W(4)].u32 == 0) JUMP(ip + static_cast<std::int32_t>(W(5)));
  NEXT(6);
}

VITTE_WASM_HANDLER(copy_br_if_i32_eq_imm) {
  PUT(2, fp[W(3)]);
  if (fp[W(4)].u32 == W(5)) JUMP(ip + static_cast<std::int32_t>(W(6)));
  NEXT(7);
}

VITTE_WASM_HANDLER(copy_br_if_i32_ne_imm) {
  PUT(2, fp[W(3)]);
  if (fp[W(4)].u32 != W(5)) JUMP(ip + static_cast<std::int32_t>(W(6)));
  NEXT(7);
}

VITTE_WASM_HANDLER(copy_pair) {
  fp[W(2)] = fp[W(3)];
  fp[W(4)] = fp[W(5)];
  NEXT(6);
}

VITTE_WASM_HANDLER(const32_copy) {
  fp[W(2)].u64 = W(3);
  fp[W(4)] = fp[W(5)];
  NEXT(6);
}

// Each numeric instruction twice: operand a from its cell, and from the
// accumulator (<name>_acc).
#define VITTE_WASM_UNARY_FORM(name, in, fout, expr)           \
  VITTE_WASM_HANDLER(name) {                                  \
    auto a = in;                                              \
    PUT(2, cell_of(static_cast<decltype(fp[0].fout)>(expr))); \
    NEXT(4);                                                  \
  }
#define VITTE_WASM_UNARY_BODY(name, code, tin, tout, fin, fout, expr) \
  VITTE_WASM_UNARY_FORM(name, fp[W(3)].fin, fout, expr)               \
  VITTE_WASM_UNARY_FORM(name##_acc, ACC(fin), fout, expr)
VITTE_WASM_UNARY(VITTE_WASM_UNARY_BODY)
#undef VITTE_WASM_UNARY_BODY
#undef VITTE_WASM_UNARY_FORM

#define VITTE_WASM_UNARY_TRAP_BODY(name, code, tin, tout, fin, fout, fn) \
  VITTE_WASM_HANDLER(name) {                                             \
    decltype(fp[0].fout) v_{};                                           \
    if (!fn(fp[W(3)].fin, v_, x->trap)) STOP();                          \
    PUT(2, cell_of(v_));                                                 \
    NEXT(4);                                                             \
  }
VITTE_WASM_UNARY_TRAPPING(VITTE_WASM_UNARY_TRAP_BODY)
#undef VITTE_WASM_UNARY_TRAP_BODY

#define VITTE_WASM_BINARY_FORM(name, in, fin, fout, expr)     \
  VITTE_WASM_HANDLER(name) {                                  \
    auto a = in;                                              \
    auto b = fp[W(4)].fin;                                    \
    PUT(2, cell_of(static_cast<decltype(fp[0].fout)>(expr))); \
    NEXT(5);                                                  \
  }
#define VITTE_WASM_BINARY_BODY(name, code, tin, tout, fin, fout, expr) \
  VITTE_WASM_BINARY_FORM(name, fp[W(3)].fin, fin, fout, expr)          \
  VITTE_WASM_BINARY_FORM(name##_acc, ACC(fin), fin, fout, expr)
VITTE_WASM_BINARY(VITTE_WASM_BINARY_BODY)
#undef VITTE_WASM_BINARY_BODY
#undef VITTE_WASM_BINARY_FORM

#define VITTE_WASM_BINARY_TRAP_BODY(name, code, tin, tout, fin, fout, fn) \
  VITTE_WASM_HANDLER(name) {                                              \
    decltype(fp[0].fout) v_{};                                            \
    if (!fn(fp[W(3)].fin, fp[W(4)].fin, v_, x->trap)) STOP();             \
    PUT(2, cell_of(v_));                                                  \
    NEXT(5);                                                              \
  }
VITTE_WASM_BINARY_TRAPPING(VITTE_WASM_BINARY_TRAP_BODY)
#undef VITTE_WASM_BINARY_TRAP_BODY

// Each load and store in four forms: checked or not (guard pages,
// impl/linear_memory.hpp: an access past the end faults), the address (a
// load) or the value (a store) from its cell or from the accumulator.
#define VITTE_WASM_LOAD_FORM(name, addr, field, ctype, CHECK)                                     \
  VITTE_WASM_HANDLER(name) {                                                                      \
    std::uint64_t ea = static_cast<std::uint64_t>(addr) + W(4);                                   \
    CHECK(ea, sizeof(ctype));                                                                     \
    ctype v_ = static_cast<ctype>(vitte::detail::load_le<std::make_unsigned_t<ctype>>(mem + ea)); \
    PUT(2, cell_of(static_cast<decltype(fp[0].field)>(v_)));                                      \
    NEXT(5);                                                                                      \
  }
#define VITTE_WASM_STORE_FORM(name, value, ctype, CHECK)                                \
  VITTE_WASM_HANDLER(name) {                                                            \
    std::uint64_t ea = static_cast<std::uint64_t>(fp[W(2)].u32) + W(4);                 \
    CHECK(ea, sizeof(ctype));                                                           \
    vitte::detail::store_le(mem + ea, static_cast<std::make_unsigned_t<ctype>>(value)); \
    NEXT(5);                                                                            \
  }
#define VITTE_WASM_CHECK_END(ea, n) \
  if ((ea) + (n) > msize) TRAP(trap_memory_out_of_bounds)
#define VITTE_WASM_NO_CHECK(ea, n) static_cast<void>(0)
#define VITTE_WASM_LOAD_BODY(name, code, vt, natural, field, ctype)            \
  VITTE_WASM_LOAD_FORM(name, fp[W(3)].u32, field, ctype, VITTE_WASM_CHECK_END) \
  VITTE_WASM_LOAD_FORM(name##_acc, ACC(u32), field, ctype, VITTE_WASM_CHECK_END)
#define VITTE_WASM_STORE_BODY(name, code, vt, natural, field, ctype)       \
  VITTE_WASM_STORE_FORM(name, fp[W(3)].field, ctype, VITTE_WASM_CHECK_END) \
  VITTE_WASM_STORE_FORM(name##_acc, ACC(field), ctype, VITTE_WASM_CHECK_END)
VITTE_WASM_LOADS(VITTE_WASM_LOAD_BODY)
VITTE_WASM_STORES(VITTE_WASM_STORE_BODY)
#undef VITTE_WASM_LOAD_BODY
#undef VITTE_WASM_STORE_BODY
#if VITTE_WASM_DISPATCH != 1
#define VITTE_WASM_LOAD_BODY(name, code, vt, natural, field, ctype)                     \
  VITTE_WASM_LOAD_FORM(name##_guarded, fp[W(3)].u32, field, ctype, VITTE_WASM_NO_CHECK) \
  VITTE_WASM_LOAD_FORM(name##_acc_guarded, ACC(u32), field, ctype, VITTE_WASM_NO_CHECK)
#define VITTE_WASM_STORE_BODY(name, code, vt, natural, field, ctype)                \
  VITTE_WASM_STORE_FORM(name##_guarded, fp[W(3)].field, ctype, VITTE_WASM_NO_CHECK) \
  VITTE_WASM_STORE_FORM(name##_acc_guarded, ACC(field), ctype, VITTE_WASM_NO_CHECK)
VITTE_WASM_LOADS(VITTE_WASM_LOAD_BODY)
VITTE_WASM_STORES(VITTE_WASM_STORE_BODY)
#undef VITTE_WASM_LOAD_BODY
#undef VITTE_WASM_STORE_BODY
#endif
#undef VITTE_WASM_LOAD_FORM
#undef VITTE_WASM_STORE_FORM

// Loads fused with the instruction before them (code.hpp), written once for
// both forms: CHECK(ea, n) traps when n bytes at ea pass the memory's end,
// or, with guard pages, checks nothing.
#define VITTE_WASM_LOAD_AT(ctype, ea) static_cast<std::uint32_t>(vitte::detail::load_le<ctype>(mem + (ea)))
#define VITTE_WASM_LOAD_LOAD(name, ctype, CHECK, A)             \
  VITTE_WASM_HANDLER(name) {                                    \
    std::uint64_t ea = static_cast<std::uint64_t>(A(3)) + W(4); \
    CHECK(ea, 4);                                               \
    std::uint32_t p_ = VITTE_WASM_LOAD_AT(std::uint32_t, ea);   \
    fp[W(5)] = cell_of(p_);                                     \
    ea = static_cast<std::uint64_t>(p_) + W(6);                 \
    CHECK(ea, sizeof(ctype));                                   \
    PUT(2, cell_of(VITTE_WASM_LOAD_AT(ctype, ea)));             \
    NEXT(7);                                                    \
  }
#define VITTE_WASM_LOAD_BRANCH(name, ctype, cmp, CHECK, A)      \
  VITTE_WASM_HANDLER(name) {                                    \
    std::uint64_t ea = static_cast<std::uint64_t>(A(3)) + W(4); \
    CHECK(ea, sizeof(ctype));                                   \
    std::uint32_t v_ = VITTE_WASM_LOAD_AT(ctype, ea);           \
    PUT(2, cell_of(v_));                                        \
    if (v_ cmp 0) JUMP(ip + static_cast<std::int32_t>(W(5)));   \
    NEXT(6);                                                    \
  }
// A load from an address just computed (the sum wraps at 2^32), the
// offset in word `offw`.
#define VITTE_WASM_ADDED_LOAD(name, ctype, field, addr, offw, n, CHECK)                           \
  VITTE_WASM_HANDLER(name) {                                                                      \
    std::uint64_t ea = static_cast<std::uint64_t>(static_cast<std::uint32_t>(addr)) + W(offw);    \
    CHECK(ea, sizeof(ctype));                                                                     \
    ctype v_ = static_cast<ctype>(vitte::detail::load_le<std::make_unsigned_t<ctype>>(mem + ea)); \
    PUT(2, cell_of(static_cast<decltype(fp[0].field)>(v_)));                                      \
    NEXT(n);                                                                                      \
  }
#define VITTE_WASM_ADDED_LOADS(how, addr, offw, n, sfx, CHECK)                               \
  VITTE_WASM_ADDED_LOAD(i32_##how##_load##sfx, std::uint32_t, u32, addr, offw, n, CHECK)     \
  VITTE_WASM_ADDED_LOAD(i32_##how##_load8_u##sfx, std::uint8_t, u32, addr, offw, n, CHECK)   \
  VITTE_WASM_ADDED_LOAD(i32_##how##_load16_u##sfx, std::uint16_t, u32, addr, offw, n, CHECK) \
  VITTE_WASM_ADDED_LOAD(i32_##how##_load16_s##sfx, std::int16_t, i32, addr, offw, n, CHECK)
#define VITTE_WASM_COPY_LOAD_BODY(sfx, CHECK)                           \
  VITTE_WASM_HANDLER(copy_i32_load##sfx) {                              \
    fp[W(5)] = fp[W(6)];                                                \
    std::uint64_t ea = static_cast<std::uint64_t>(fp[W(3)].u32) + W(4); \
    CHECK(ea, 4);                                                       \
    PUT(2, cell_of(VITTE_WASM_LOAD_AT(std::uint32_t, ea)));             \
    NEXT(7);                                                            \
  }
// The others, also with the address (word 3) from the accumulator.
#define VITTE_WASM_ADDRESS_LOAD_BODIES(sfx, CHECK, A)                                          \
  VITTE_WASM_ADDED_LOADS(add, A(3) + fp[W(4)].u32, 5, 6, sfx, CHECK)                           \
  VITTE_WASM_ADDED_LOADS(add_imm, A(3) + W(4), 5, 6, sfx, CHECK)                               \
  VITTE_WASM_ADDED_LOADS(add_shl, A(3) + (fp[W(4)].u32 << W(5)), 6, 7, sfx, CHECK)             \
  VITTE_WASM_HANDLER(i32_load_add_imm##sfx) {                                                  \
    std::uint64_t ea = static_cast<std::uint64_t>(A(3)) + W(4);                                \
    CHECK(ea, 4);                                                                              \
    PUT(2, cell_of(static_cast<std::uint32_t>(VITTE_WASM_LOAD_AT(std::uint32_t, ea) + W(5)))); \
    NEXT(6);                                                                                   \
  }                                                                                            \
  VITTE_WASM_LOAD_LOAD(i32_load_load##sfx, std::uint32_t, CHECK, A)                            \
  VITTE_WASM_LOAD_LOAD(i32_load_load8_u##sfx, std::uint8_t, CHECK, A)                          \
  VITTE_WASM_LOAD_LOAD(i32_load_load16_u##sfx, std::uint16_t, CHECK, A)                        \
  VITTE_WASM_LOAD_BRANCH(i32_load_br_if##sfx, std::uint32_t, !=, CHECK, A)                     \
  VITTE_WASM_LOAD_BRANCH(i32_load_br_if_not##sfx, std::uint32_t, ==, CHECK, A)                 \
  VITTE_WASM_LOAD_BRANCH(i32_load8_u_br_if##sfx, std::uint8_t, !=, CHECK, A)                   \
  VITTE_WASM_LOAD_BRANCH(i32_load8_u_br_if_not##sfx, std::uint8_t, ==, CHECK, A)
VITTE_WASM_COPY_LOAD_BODY(, VITTE_WASM_CHECK_END)
VITTE_WASM_ADDRESS_LOAD_BODIES(, VITTE_WASM_CHECK_END, VITTE_WASM_CELL_A)
VITTE_WASM_ADDRESS_LOAD_BODIES(_acc, VITTE_WASM_CHECK_END, VITTE_WASM_ACC_A)
#if VITTE_WASM_DISPATCH != 1
VITTE_WASM_COPY_LOAD_BODY(_guarded, VITTE_WASM_NO_CHECK)
VITTE_WASM_ADDRESS_LOAD_BODIES(_guarded, VITTE_WASM_NO_CHECK, VITTE_WASM_CELL_A)
VITTE_WASM_ADDRESS_LOAD_BODIES(_acc_guarded, VITTE_WASM_NO_CHECK, VITTE_WASM_ACC_A)
#endif
#undef VITTE_WASM_COPY_LOAD_BODY
#undef VITTE_WASM_ADDRESS_LOAD_BODIES
#undef VITTE_WASM_ADDED_LOADS
#undef VITTE_WASM_ADDED_LOAD
#undef VITTE_WASM_LOAD_BRANCH
#undef VITTE_WASM_LOAD_LOAD
#undef VITTE_WASM_LOAD_AT
#undef VITTE_WASM_CHECK_END
#undef VITTE_WASM_NO_CHECK

#define VITTE_WASM_FUSED_FORM(name, a, field, cmp)                         \
  VITTE_WASM_HANDLER(name) {                                               \
    if ((a)cmp fp[W(3)].field) JUMP(ip + static_cast<std::int32_t>(W(4))); \
    NEXT(5);                                                               \
  }
#define VITTE_WASM_FUSED_BODY(name, field, cmp, from)     \
  VITTE_WASM_FUSED_FORM(name, fp[W(2)].field, field, cmp) \
  VITTE_WASM_FUSED_FORM(name##_acc, ACC(field), field, cmp)
VITTE_WASM_FUSED_BRANCHES(VITTE_WASM_FUSED_BODY)
#undef VITTE_WASM_FUSED_BODY
#undef VITTE_WASM_FUSED_FORM

#define VITTE_WASM_BINARY_IMM_FORM(name, in, fout, expr)         \
  VITTE_WASM_HANDLER(name) {                                     \
    auto a = in;                                                 \
    auto b = static_cast<decltype(a)>(imm_of<sizeof a>(ip + 4)); \
    PUT(2, cell_of(static_cast<decltype(fp[0].fout)>(expr)));    \
    NEXT(4 + sizeof a / 4);                                      \
  }
#define VITTE_WASM_BINARY_IMM_BODY(name, base, fin, fout, expr) \
  VITTE_WASM_BINARY_IMM_FORM(name, fp[W(3)].fin, fout, expr)    \
  VITTE_WASM_BINARY_IMM_FORM(name##_acc, ACC(fin), fout, expr)
VITTE_WASM_BINARY_IMM(VITTE_WASM_BINARY_IMM_BODY)
#undef VITTE_WASM_BINARY_IMM_BODY
#undef VITTE_WASM_BINARY_IMM_FORM

#define VITTE_WASM_FUSED_IMM_FORM(name, a, field, cmp)                     \
  VITTE_WASM_HANDLER(name) {                                               \
    constexpr std::size_t n_ = sizeof fp[0].field / 4;                     \
    if ((a)cmp static_cast<decltype(fp[0].field)>(imm_of<n_ * 4>(ip + 3))) \
      JUMP(ip + static_cast<std::int32_t>(W(3 + n_)));                     \
    NEXT(4 + n_);                                                          \
  }
#define VITTE_WASM_FUSED_IMM_BODY(name, field, cmp, from)     \
  VITTE_WASM_FUSED_IMM_FORM(name, fp[W(2)].field, field, cmp) \
  VITTE_WASM_FUSED_IMM_FORM(name##_acc, ACC(field), field, cmp)
VITTE_WASM_FUSED_BRANCHES_IMM(VITTE_WASM_FUSED_IMM_BODY)
#undef VITTE_WASM_FUSED_IMM_BODY
#undef VITTE_WASM_FUSED_IMM_FORM

#include <vitte/wasm/impl/simd_handlers.ipp>

#undef VITTE_WASM_ENTER
#undef VITTE_WASM_INDIRECT
#undef VITTE_WASM_TAIL
#undef RELOAD_MEMORY
#undef VITTE_WASM_CELL_A
#undef VITTE_WASM_ACC_A
#undef PUT
#undef ACC
#undef W
