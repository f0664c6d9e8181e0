// libFuzzer target: the WebAssembly engine end to end. Decodes and validates
// the input; when it is a valid module, instantiates it against imports made
// to fit (host functions returning zeros, memories, tables and globals of
// the imported types) in a store with tight limits (steps, memory pages,
// table size, call depth), then calls every exported function with zero
// arguments. Nothing may crash, hang past the step budget, or grow past the
// limits. SIMD runs through the vector paths for inputs of even length and
// through the portable lanes (store_limits::scalar_simd) for odd ones.
// Build and run with fuzz/run.sh (seeds: fuzz/corpus/wasm and, when
// wast2json and ../shared/wasm/testsuite are there, the suite's modules).
#include <vitte/wasm.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace {
vitte::error zeros(void*, vitte::span<const vitte::wasm::value>, vitte::span<vitte::wasm::value>) { return {}; }
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace wasm = vitte::wasm;
  wasm::diagnostic why;
  auto m = wasm::decode({data, size}, &why);
  if (!m) {
    if (why.message.empty()) __builtin_trap();  // every refusal says why
    return 0;
  }
  wasm::store_limits lim;
  lim.fuel = true;  // every call gets a budget: endless loops stop
  lim.max_memory_pages = 64;
  lim.max_table_elements = 10000;
  lim.max_call_depth = 500;
  lim.stack_cells = 1u << 16;
  lim.scalar_simd = (size & 1) != 0;
  wasm::store s(lim);
  wasm::imports env;
  for (const auto& imp : m->imports) {
    switch (imp.kind) {
      case wasm::extern_kind::function:
        env.add(imp.module.view(), imp.name.view(), s.host_function(m->types[imp.type_index], zeros, nullptr));
        break;
      case wasm::extern_kind::memory:
        if (auto mem = s.new_memory(imp.memory)) env.add(imp.module.view(), imp.name.view(), *mem);
        break;
      case wasm::extern_kind::table:
        if (auto t = s.new_table(imp.table)) env.add(imp.module.view(), imp.name.view(), *t);
        break;
      case wasm::extern_kind::global: {
        wasm::value v{imp.global.type, 0, 0};
        if (auto g = s.new_global(imp.global, v)) env.add(imp.module.view(), imp.name.view(), *g);
        break;
      }
    }
  }
  auto inst = s.instantiate(*m, env, &why);
  if (!inst) return 0;
  for (const auto& e : m->exports) {
    if (e.kind != wasm::extern_kind::function) continue;
    wasm::function f = inst->function(e.name.view());
    std::vector<wasm::value> args, out(f.type().results.size());
    for (auto t : f.type().params) args.push_back(wasm::value{t, 0, 0});
    s.set_fuel(100000);
    (void)s.call(f, args, out);
  }
  for (const auto& e : m->exports)
    if (e.kind == wasm::extern_kind::memory && inst->memory(e.name.view()).pages() > lim.max_memory_pages)
      __builtin_trap();
  return 0;
}
