// vitte/loader/wasm_executor.hpp - the built-in WebAssembly executor: .wasm modules
// in the search paths and signed payload_kind::wasm containers load, link
// and run like native plugins.
//
//   namespace vl = vitte::loader;
//   vl::loader loader({.search = {.paths = {"/opt/app/modules"}}, .trust = keys});
//   vl::wasm_executor wasm;                                   // outlives the loader's modules
//   loader.register_executor(vl::payload_kind::wasm, wasm);
//   loader.export_symbol<int(int)>("log_level", &log_level);  // what modules import from "host"
//   auto calc = loader.load("calc").value();                   // calc.wasm, or a wasm container
//   int y = calc.find<int(int)>("twice").value()(21);          // into the module through a thunk
//
// Linking. A module's function imports bind like a plugin's, checked
// against the exporter's type before anything runs: to the host's exports,
// to native plugins' exports (called through the cell call their
// VITTE_PLUGIN declaration carries; C plugins offer none), and to other
// wasm modules' exports. Its function exports become the module's exports:
// the host calls them through find<T>() and native plugins through their
// imported<T>, both by thunks of T (vitte/loader/detail/cell_call.hpp).
// Types follow vitte/loader/wasm_module.hpp (i32 as int32_t...).
//
// Running. Each module gets its own wasm::store, made with the executor's
// limits (memory pages, table size, call depth, fuel, interruption: see
// vitte/wasm/runtime.hpp). Instantiation (the module's start function, then
// its `_initialize` export when it has one, as a WASI reactor) runs at the
// loader's start step. A module is called by one thread at a time (a lock
// per module; a call that comes back into the module on the same thread,
// through a native function it called, runs nested). A trap, or a limit
// hit, in a call from native code makes the thunk return 0 (or nothing):
// last_cell_failure() tells the caller the trap's kind (a vitte::errc value:
// limit_exceeded for fuel or memory, interrupted, unknown for the others).
// A trap in a call from wasm goes up that wasm call as a trap.
//
// WASI: a module importing wasi_snapshot_preview1 gets the functions of
// vitte/wasm/wasi.hpp with the executor's wasi_options (args, environment,
// granted directories); without them (the default) it sees no directory,
// no argument and no environment.
#ifndef VITTE_LOADER_WASM_EXECUTOR_HPP
#define VITTE_LOADER_WASM_EXECUTOR_HPP

#include <vitte/base.hpp>
#include <vitte/loader/executor.hpp>
#include <vitte/loader/module.hpp>
#include <vitte/loader/symbol.hpp>
#include <vitte/loader/wasm_module.hpp>
#include <vitte/sys/mutex.hpp>
#include <vitte/sys/platform.hpp>
#include <vitte/wasm/module.hpp>
#include <vitte/wasm/runtime.hpp>
#include <vitte/wasm/wasi.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>

namespace vitte::loader {

/// How the wasm executor runs modules.
struct wasm_executor_options {
  wasm::store_limits limits{};  ///< Per module (each has its own store).
  /// With limits.fuel: the fuel each module starts with (its start function
  /// and _initialize spend it too); wasm::store::add_fuel is not reachable
  /// through the loader, so this is each module's whole budget.
  std::uint64_t fuel = 0;
  /// What modules importing WASI see (args, env, dirs; not sockets).
  wasm::wasi_options wasi{};
};

/// The built-in executor of payload_kind::wasm (see the header). Register
/// it with basic_loader::register_executor; it must outlive the modules it
/// runs.
template <class P = sys::platform>
class basic_wasm_executor final : public module_executor {
 public:
  explicit basic_wasm_executor(wasm_executor_options options = {})
      : options_(static_cast<wasm_executor_options&&>(options)) {}

  result<void*> instantiate(const executor_request& r) override;
  status bind_exports(void* instance, span<export_binding> out, diagnostic_list* diag) override;
  status start(void* instance, diagnostic_list* diag) override;
  void teardown(void* instance) noexcept override;

 private:
  struct runner;
  struct import_call {
    runner* owner;
    cell_function call;
    std::uint32_t params;
  };
  struct export_call {
    runner* owner;
    text name;
    wasm::function fn;
  };
  struct runner {
    wasm::module code;
    std::unique_ptr<wasm::store> store;
    wasm::instance inst;
    std::unique_ptr<wasm::basic_wasi<P>> wasi;
    buffer<std::unique_ptr<import_call>> imports;
    buffer<std::unique_ptr<export_call>> exports;  // info.exports order
    buffer<text> export_names;                     // info.exports
    sys::basic_mutex<P> lock;
    wasm::imports env;
    text who;
  };
  // The runners this thread is inside (a call back into one runs nested, without its lock).
  struct running {
    const runner* r;
    const running* outer;
  };
  static inline thread_local const running* inside_ = nullptr;

  static vitte::error call_out(void* user, span<const wasm::value> args, span<wasm::value> results);
  static int call_in(void* target, const std::uint64_t* args, std::uint64_t* results);

  wasm_executor_options options_;
};

using wasm_executor = basic_wasm_executor<sys::platform>;

template <class P>
result<void*> basic_wasm_executor<P>::instantiate(const executor_request& r) {
  const text who = r.info.id.name + " " + r.info.id.version;
  auto refuse = [&](const text& what, error e) -> error {
    note(r.diag, e.kind(), who, what);
    return e;
  };
  vitte::diagnostic why;
  result<wasm::module> m = wasm::decode(r.payload, &why);
  if (!m) {
    if (why.subject().empty()) why.about(who);  // offsets in the payload
    note(r.diag, why);
    return m.error();
  }
  std::unique_ptr<runner> run(new runner);
  run->code = static_cast<wasm::module&&>(*m);
  run->who = who;
  run->store.reset(new wasm::store(options_.limits));
  if (options_.limits.fuel) run->store->set_fuel(options_.fuel);
  for (const export_info& e : r.info.exports) run->export_names.push_back(e.name);
  bool wants_wasi = false;
  for (const wasm::import_desc& d : run->code.imports) {
    const text_view mod = d.module.view();
    if (is_wasi_module(mod)) {
      wants_wasi = true;
      continue;
    }
    // The loader's import of the same (module, name): the module model
    // read from the file lists the function imports in this order.
    std::size_t k = r.info.imports.size();
    for (std::size_t i = 0; i < r.info.imports.size(); ++i)
      if (r.info.imports[i].module == mod && r.info.imports[i].name == d.name.view()) k = i;
    if (d.kind != wasm::extern_kind::function || k == r.info.imports.size())
      return refuse("import " + text(mod) + "." + text(d.name.view()) + " is not a function import",
                    error{errc::malformed, ops::module_link});
    const wasm::func_type& t = run->code.types[d.type_index];
    if (t.results.size() > 1)
      return refuse(
          "import " + text(mod) + "." + text(d.name.view()) + " has several results, which a cell call cannot return",
          error{errc::not_supported, ops::module_link});
    run->imports.emplace_back(new import_call{run.get(), r.calls[k], static_cast<std::uint32_t>(t.params.size())});
    import_call* c = run->imports.back().get();
    if (!c->call) {  // an absent optional dependency, or an export no cell call reaches
      const bool absent = r.imports[k] == nullptr;
      if (!absent)
        return refuse("import " + text(mod) + "." + text(d.name.view()) +
                          " binds to an export that offers no cell call (a C plugin's, or a type cells cannot carry)",
                      error{errc::not_supported, ops::module_link});
    }
    run->env.add(d.module.view(), d.name.view(), run->store->host_function(t, &call_out, c));
  }
  if (wants_wasi) {
    wasm::wasi_options o;
    o.args = options_.wasi.args;
    o.env = options_.wasi.env;
    o.dirs = options_.wasi.dirs;
    vitte::diagnostic wwhy;
    auto w = wasm::basic_wasi<P>::create(o, &wwhy);
    if (!w) {
      if (wwhy.subject().empty()) wwhy.about(who);
      note(r.diag, wwhy);
      return w.error();
    }
    run->wasi = static_cast<std::unique_ptr<wasm::basic_wasi<P>>&&>(*w);
    run->wasi->define(*run->store, run->env);
  }
  return static_cast<void*>(run.release());
}

template <class P>
status basic_wasm_executor<P>::bind_exports(void* instance, span<export_binding> out, diagnostic_list* diag) {
  runner* run = static_cast<runner*>(instance);
  // Each export the module model names (a container's manifest may name
  // fewer than the module has) must be a function export of the module;
  // its function is found at start, and reached through call_in.
  text missing;
  for (std::size_t i = 0; i < out.size() && i < run->export_names.size(); ++i) {
    const text& name = run->export_names[i];
    const wasm::export_desc* e = nullptr;
    for (const wasm::export_desc& d : run->code.exports)
      if (d.kind == wasm::extern_kind::function && d.name.view() == text_view(name)) e = &d;
    if (e == nullptr) {
      missing += (missing.empty() ? "" : ", ") + name;
      continue;
    }
    const wasm::func_type& t = run->code.type_of_function(e->index);
    detail::wasm_func_type shape;
    for (wasm::value_type v : t.params) shape.params.push_back(static_cast<std::uint8_t>(v));
    for (wasm::value_type v : t.results) shape.results.push_back(static_cast<std::uint8_t>(v));
    const vitte::text sig = detail::wasm_signature_text(shape);
    run->exports.emplace_back(new export_call{run, name, wasm::function()});
    out[i] = export_binding{run->exports.back().get(), sig.empty() ? 0 : vitte::detail::fnv1a(sig), &call_in};
  }
  if (!missing.empty()) {
    note(diag, errc::not_found, run->who, "the wasm module has no function export " + missing);
    return error{errc::not_found, ops::module_link};
  }
  return {};
}

template <class P>
status basic_wasm_executor<P>::start(void* instance, diagnostic_list* diag) {
  runner* run = static_cast<runner*>(instance);
  diagnostic_list why;  // about the module's imports and segments
  running here{run, inside_};
  inside_ = &here;
  result<wasm::instance> inst = run->store->instantiate(run->code, run->env, &why);
  vitte::error e;
  if (inst) {
    run->inst = *inst;
    if (wasm::function init = inst->function("_initialize"); init && init.type().params.empty())
      e = run->store->call(init, {}, {});
  }
  inside_ = here.outer;
  if (!inst) {
    note(diag, inst.error(), run->who, "cannot instantiate");
    if (diag != nullptr) diag->add_all(why);  // each import or segment refused
    return inst.error();
  }
  if (e) {
    const text_view trap = wasm::trap_message(e);
    note(diag, e.kind(), run->who, text("_initialize trapped: ") + text(trap.empty() ? e.message().view() : trap));
    return e;
  }
  for (auto& x : run->exports) x->fn = run->inst.function(x->name);
  return {};
}

template <class P>
void basic_wasm_executor<P>::teardown(void* instance) noexcept {
  delete static_cast<runner*>(instance);
}

// A call from the module to an import: its arguments as cells to the cell
// call, its result back; a failure of the callee (a trap further in) traps here.
template <class P>
vitte::error basic_wasm_executor<P>::call_out(void* user, span<const wasm::value> args, span<wasm::value> results) {
  const import_call* c = static_cast<const import_call*>(user);
  if (!c->call) return vitte::error{errc::not_found, ops::module_link};  // an absent optional dependency
  std::uint64_t in[64];
  buffer<std::uint64_t> many;
  std::uint64_t* cells = in;
  if (args.size() > 64) {
    many.resize(args.size());
    cells = many.data();
  }
  for (std::size_t i = 0; i < args.size(); ++i) cells[i] = args[i].bits;
  std::uint64_t out[1] = {0};
  if (c->call(cells, out) != 0) return vitte::error{errc::unknown, ops::module_link};
  if (!results.empty()) {
    results[0].bits = out[0];
    if (results[0].type == wasm::value_type::i32 || results[0].type == wasm::value_type::f32)
      results[0].bits &= 0xffffffffu;
  }
  return {};
}

// A call into the module from outside (a thunk, another module): one thread
// at a time, nested when this thread is inside the module already.
template <class P>
int basic_wasm_executor<P>::call_in(void* target, const std::uint64_t* args, std::uint64_t* results) {
  const export_call* x = static_cast<const export_call*>(target);
  runner* run = x->owner;
  if (!x->fn) return 1;  // not started
  const wasm::func_type& t = x->fn.type();
  wasm::value in[64], out[1];
  if (t.params.size() > 64 || t.results.size() > 1) return 1;
  for (std::size_t i = 0; i < t.params.size(); ++i) {
    in[i].type = t.params[i];
    in[i].bits = args[i];
    if (t.params[i] == wasm::value_type::i32 || t.params[i] == wasm::value_type::f32) in[i].bits &= 0xffffffffu;
  }
  bool nested = false;
  for (const running* r = inside_; r != nullptr; r = r->outer) nested |= r->r == run;
  if (!nested) run->lock.lock();
  running here{run, inside_};
  inside_ = &here;
  vitte::error e =
      run->store->call(x->fn, span<const wasm::value>(in, t.params.size()), span<wasm::value>(out, t.results.size()));
  inside_ = here.outer;
  if (!nested) run->lock.unlock();
  if (e) return static_cast<int>(e.kind());  // the trap's kind: limit_exceeded, interrupted...
  if (!t.results.empty()) results[0] = out[0].bits;
  return 0;
}

}  // namespace vitte::loader

#endif  // VITTE_LOADER_WASM_EXECUTOR_HPP
