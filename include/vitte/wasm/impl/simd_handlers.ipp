// vitte/wasm/impl/simd_handlers.ipp - the bodies of the SIMD instructions
// (impl/simd_code.hpp), included by impl/handlers.ipp with its macros. The
// compute instructions run simd_native's lanes (impl/simd.hpp); simd_call*
// runs the portable code a translation chose instead (store_limits::scalar_simd).

VITTE_WASM_HANDLER(v128_store) {
  std::uint64_t ea = static_cast<std::uint64_t>(fp[W(2)].u32) + W(4);
  if (ea + 16 > msize) TRAP(trap_memory_out_of_bounds);
  std::memcpy(mem + ea, fp + W(3), 16);
  NEXT(5);
}

VITTE_WASM_HANDLER(v128_const) {
  v_put(fp + W(2), v_from_words(ip + 3));
  NEXT(7);
}

VITTE_WASM_HANDLER(i8x16_shuffle) {
  v128 a = v_get(fp + W(3)), b = v_get(fp + W(4)), r;
  for (int i = 0; i < 16; ++i) {
    std::uint8_t l = word_byte(ip + 5, i);
    r.b[i] = l < 16 ? a.b[l] : b.b[l - 16];
  }
  v_put(fp + W(2), r);
  NEXT(9);
}

VITTE_WASM_HANDLER(v128_bitselect) {
  simd_exec<simd_native>::v128_bitselect(fp, ip + 2);
  NEXT(6);
}

VITTE_WASM_HANDLER(copy128) {
  cell lo = fp[W(3)], hi = fp[W(3) + 1];
  fp[W(2)] = lo;
  fp[W(2) + 1] = hi;
  NEXT(4);
}

VITTE_WASM_HANDLER(select128) {
  const cell* s = fp[W(5)].u32 != 0 ? fp + W(3) : fp + W(4);
  cell lo = s[0], hi = s[1];
  fp[W(2)] = lo;
  fp[W(2) + 1] = hi;
  NEXT(6);
}

VITTE_WASM_HANDLER(global_get128) {
  const global_object* g = static_cast<const global_object*>(read_ptr(ip + 3));
  fp[W(2)] = g->v[0];
  fp[W(2) + 1] = g->v[1];
  NEXT(5);
}

VITTE_WASM_HANDLER(global_set128) {
  global_object* g = static_cast<global_object*>(read_ptr(ip + 3));
  g->v[0] = fp[W(2)];
  g->v[1] = fp[W(2) + 1];
  NEXT(5);
}

VITTE_WASM_HANDLER(simd_call2) {
  reinterpret_cast<simd_fn>(read_ptr(ip + 4))(fp, ip + 2);
  NEXT(6);
}

VITTE_WASM_HANDLER(simd_call3) {
  reinterpret_cast<simd_fn>(read_ptr(ip + 5))(fp, ip + 2);
  NEXT(7);
}

VITTE_WASM_HANDLER(simd_call4) {
  reinterpret_cast<simd_fn>(read_ptr(ip + 6))(fp, ip + 2);
  NEXT(8);
}

#define VITTE_WASM_SIMD_BODY(name, ...)       \
  VITTE_WASM_HANDLER(name) {                  \
    simd_exec<simd_native>::name(fp, ip + 2); \
    NEXT(4);                                  \
  }
VITTE_WASM_SIMD_UNARY(VITTE_WASM_SIMD_BODY)
VITTE_WASM_SIMD_TEST(VITTE_WASM_SIMD_BODY)
#undef VITTE_WASM_SIMD_BODY

#define VITTE_WASM_SIMD_BODY(name, ...)       \
  VITTE_WASM_HANDLER(name) {                  \
    simd_exec<simd_native>::name(fp, ip + 2); \
    NEXT(5);                                  \
  }
VITTE_WASM_SIMD_BINARY(VITTE_WASM_SIMD_BODY)
VITTE_WASM_SIMD_SHIFT(VITTE_WASM_SIMD_BODY)
#undef VITTE_WASM_SIMD_BODY

#define VITTE_WASM_SPLAT_BODY(name, code, vt, field, L) \
  VITTE_WASM_HANDLER(name) {                            \
    lanes<L> r_;                                        \
    L v_ = static_cast<L>(fp[W(3)].field);              \
    for (int i = 0; i < lanes<L>::n; ++i) r_.v[i] = v_; \
    v_put(fp + W(2), of(r_));                           \
    NEXT(4);                                            \
  }
VITTE_WASM_SIMD_SPLAT(VITTE_WASM_SPLAT_BODY)
#undef VITTE_WASM_SPLAT_BODY

#define VITTE_WASM_EXTRACT_BODY(name, code, vt, field, L, n)                                  \
  VITTE_WASM_HANDLER(name) {                                                                  \
    L v_ = lane_load<L>(reinterpret_cast<const std::uint8_t*>(fp + W(3)) + W(4) * sizeof(L)); \
    fp[W(2)] = cell_of(static_cast<decltype(fp[0].field)>(v_));                               \
    NEXT(5);                                                                                  \
  }
VITTE_WASM_SIMD_EXTRACT(VITTE_WASM_EXTRACT_BODY)
#undef VITTE_WASM_EXTRACT_BODY

#define VITTE_WASM_REPLACE_BODY(name, code, vt, field, L, n) \
  VITTE_WASM_HANDLER(name) {                                 \
    v128 a_ = v_get(fp + W(3));                              \
    L v_ = static_cast<L>(fp[W(4)].field);                   \
    lane_store(a_.b + W(5) * sizeof(L), v_);                 \
    v_put(fp + W(2), a_);                                    \
    NEXT(6);                                                 \
  }
VITTE_WASM_SIMD_REPLACE(VITTE_WASM_REPLACE_BODY)
#undef VITTE_WASM_REPLACE_BODY

#define VITTE_WASM_VLOAD_BODY(name, code, natural, bytes, expr)         \
  VITTE_WASM_HANDLER(name) {                                            \
    std::uint64_t ea = static_cast<std::uint64_t>(fp[W(3)].u32) + W(4); \
    if (ea + (bytes) > msize) TRAP(trap_memory_out_of_bounds);          \
    v128 raw{};                                                         \
    std::memcpy(raw.b, mem + ea, bytes);                                \
    v_put(fp + W(2), expr);                                             \
    NEXT(5);                                                            \
  }
VITTE_WASM_SIMD_LOADS(VITTE_WASM_VLOAD_BODY)
#undef VITTE_WASM_VLOAD_BODY

#define VITTE_WASM_LANE_LOAD_BODY(name, code, natural, L, n)            \
  VITTE_WASM_HANDLER(name) {                                            \
    std::uint64_t ea = static_cast<std::uint64_t>(fp[W(3)].u32) + W(5); \
    if (ea + sizeof(L) > msize) TRAP(trap_memory_out_of_bounds);        \
    v128 v_ = v_get(fp + W(4));                                         \
    std::memcpy(v_.b + W(6) * sizeof(L), mem + ea, sizeof(L));          \
    v_put(fp + W(2), v_);                                               \
    NEXT(7);                                                            \
  }
VITTE_WASM_SIMD_LANE_LOADS(VITTE_WASM_LANE_LOAD_BODY)
#undef VITTE_WASM_LANE_LOAD_BODY

#define VITTE_WASM_LANE_STORE_BODY(name, code, natural, L, n)                                              \
  VITTE_WASM_HANDLER(name) {                                                                               \
    std::uint64_t ea = static_cast<std::uint64_t>(fp[W(2)].u32) + W(4);                                    \
    if (ea + sizeof(L) > msize) TRAP(trap_memory_out_of_bounds);                                           \
    std::memcpy(mem + ea, reinterpret_cast<const std::uint8_t*>(fp + W(3)) + W(5) * sizeof(L), sizeof(L)); \
    NEXT(6);                                                                                               \
  }
VITTE_WASM_SIMD_LANE_STORES(VITTE_WASM_LANE_STORE_BODY)
#undef VITTE_WASM_LANE_STORE_BODY
