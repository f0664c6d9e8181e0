// libFuzzer target: the WebAssembly engine end to end. Decodes and validates
// the input; when it is a valid module, instantiates it against imports made
// to fit (host functions returning zeros, memories, tables and globals of
// the imported types) in a store with tight limits (steps, memory pages,
// table size, call depth), then calls every exported function with zero
// arguments. Nothing may crash, hang past the step budget, or grow past the
// limits. It does all of that twice, in a store with guard-page memories
// (loads and stores that check nothing, traps from faults) and in one that
// checks every access, and the two must agree: instantiated or not, each
// call's trap, results and the bytes of every exported memory. SIMD runs
// through the vector paths for inputs of even length and through the
// portable lanes (store_limits::scalar_simd) for odd ones.
// Build and run with fuzz/run.sh (seeds: fuzz/corpus/wasm and, when
// wast2json and ../shared/wasm/testsuite are there, the suite's modules).
#include <vitte/wasm.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace {
namespace wasm = vitte::wasm;

vitte::error zeros(void*, vitte::span<const wasm::value>, vitte::span<wasm::value>) { return {}; }

// What one store made of the module: words to compare.
std::vector<std::uint64_t> run(const wasm::module& m, bool scalar_simd, bool guard_pages) {
  std::vector<std::uint64_t> seen;
  wasm::store_limits lim;
  lim.fuel = true;  // every call gets a budget: endless loops stop
  lim.max_memory_pages = 64;
  lim.max_table_elements = 10000;
  lim.max_call_depth = 500;
  lim.stack_cells = 1u << 16;
  lim.scalar_simd = scalar_simd;
  lim.guard_pages = guard_pages;
  wasm::store s(lim);
  wasm::imports env;
  for (const auto& imp : m.imports) {
    switch (imp.kind) {
      case wasm::extern_kind::function:
        env.add(imp.module.view(), imp.name.view(), s.host_function(m.types[imp.type_index], zeros, nullptr));
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
  vitte::diagnostic_list why;
  auto inst = s.instantiate(m, env, &why);
  seen.push_back(inst ? 0 : static_cast<std::uint64_t>(inst.error().op().value()) + 1);
  if (!inst && inst.error().op() == wasm::ops::wasm_link && why.empty())
    __builtin_trap();  // every link refusal says why
  if (!inst) return seen;
  for (const auto& e : m.exports) {
    if (e.kind != wasm::extern_kind::function) continue;
    wasm::function f = inst->function(e.name.view());
    std::vector<wasm::value> args, out(f.type().results.size());
    for (auto t : f.type().params) args.push_back(wasm::value{t, 0, 0});
    s.set_fuel(100000);
    vitte::error err = s.call(f, args, out);
    seen.push_back(err ? static_cast<std::uint64_t>(err.op().value()) + 1 : 0);
    if (err) continue;
    for (const wasm::value& v : out) {
      bool ref = v.type == wasm::value_type::funcref || v.type == wasm::value_type::externref;
      seen.push_back(ref ? (v.bits != 0) : v.bits);  // references: another store's addresses
      seen.push_back(v.hi);
    }
  }
  for (const auto& e : m.exports) {
    if (e.kind != wasm::extern_kind::memory) continue;
    wasm::memory mem = inst->memory(e.name.view());
    if (mem.pages() > lim.max_memory_pages) __builtin_trap();
    std::uint64_t h = 14695981039346656037u;  // FNV-1a over the bytes
    for (std::uint8_t b : mem.bytes()) h = (h ^ b) * 1099511628211u;
    seen.push_back(mem.pages());
    seen.push_back(h);
  }
  return seen;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  vitte::diagnostic why;
  auto m = wasm::decode(vitte::as_bytes(vitte::span<const std::uint8_t>(data, size)), &why);
  if (!m) {
    // Every refusal says why, of the error's kind, at an offset inside the input.
    if (why.message().empty() || why.kind() != m.error().kind() || !why.has_offset() || why.offset() > size)
      __builtin_trap();
    return 0;
  }
  bool scalar_simd = (size & 1) != 0;
  if (run(*m, scalar_simd, true) != run(*m, scalar_simd, false)) __builtin_trap();  // guard pages = checks
  return 0;
}
