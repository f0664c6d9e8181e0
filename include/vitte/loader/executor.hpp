// vitte/loader/executor.hpp - what runs a container's payload: the interface
// a host implements once per payload kind (Vitte bytecode, native code,
// WebAssembly) and registers on the loader.
//
//   struct my_vm final : vitte::loader::module_executor {
//     vitte::result<void*> instantiate(const vitte::loader::executor_request& r) override {
//       // r.container.payload(): the verified bytes (in the loader's mapping)
//       // r.imports[i]: the address bound to r.info.imports[i]
//       return new vm_instance(r.container.payload(), r.imports);
//     }
//     vitte::status bind_exports(void* instance, vitte::span<vitte::loader::export_binding> out,
//                                vitte::diagnostic_list* diag) override {
//       for (std::size_t i = 0; i < out.size(); ++i)   // one per r.info.exports[i]
//         out[i] = {thunk_for(instance, i), vitte::loader::signature_hash<int(int)>};
//       return {};
//     }
//     void teardown(void* instance) noexcept override { delete static_cast<vm_instance*>(instance); }
//   } vm;
//   loader.register_executor(vitte::loader::payload_kind::bytecode, vm);
//   auto calc = loader.load("calc").value();                  // calc.vitbc, found in the search paths
//   int y = calc.find<int(int)>("twice").value()(21);         // into the VM through a thunk
//
// Life of a container module, in order (vitte/loader/loader.hpp):
//   1. resolve: planned from its manifest with every other module;
//   2. open: mapped once, signature checked per the loader's policy, parsed;
//   3. link: every import is bound, from its dependencies (native plugins or
//      containers) or the host's exports; every failure in one error;
//   4. instantiate(request): the executor checks and prepares the payload,
//      with the import addresses in hand, and returns its instance;
//   5. bind_exports: the executor gives an address (or handle) and a
//      signature hash for each export; the loader builds the module's export
//      table from them, so dependents and find<T>() bind to them;
//   6. start: the module's initialiser, if the executor has one to run;
//   7. ... the module is used ...
//   8. teardown(instance) when the module's last reference goes (dependents
//      first: reverse dependency order), or after a failure in steps 5-6.
//      The mapping of the container is released after teardown.
//
// Addresses. Whatever bind_exports returns is what importers call or read:
// for a function export, a pointer callable with the C++ type whose
// signature_hash<T> it reports (a thunk into an interpreter, compiled code,
// a host function), for data or type exports a pointer to the object. A
// signature of 0 declares an untyped export: find<T>() refuses it and only
// untyped importers (other containers) bind to it. The addresses must stay
// valid until teardown.
//
// Imports. request.imports[i] is the address of request.info.imports[i]'s
// export (a function pointer cast to void*, or an object's address), or
// nullptr when the import comes from an optional dependency that is absent.
// The executor knows how to call them: a container's manifest has no types
// (the import's signature is 0 and the linker does not check it), so the
// executor's own conventions (e.g. the payload's import table) decide.
//
// Threads and lifetime: the loader calls an executor without holding its
// lock, possibly from several threads at once for different modules; each
// instance sees its calls in the order above, from one thread at a time.
// The loader does not own executors: one must outlive every module it
// instantiated (in practice, the loader).
#ifndef VITTE_LOADER_EXECUTOR_HPP
#define VITTE_LOADER_EXECUTOR_HPP

#include <vitte/base.hpp>
#include <vitte/loader/diagnostics.hpp>
#include <vitte/loader/module.hpp>
#include <vitte/loader/vitmod.hpp>

#include <cstdint>  // signature hashes

namespace vitte::loader {

/// A function any kind of module can call: a cell call and its target
/// (vitte/loader/plugin.h, vitte_cell_call). Null when the export bound to
/// an import offers none (an object, a type cells cannot carry, an absent
/// optional dependency).
struct cell_function {
  vitte_cell_call call = nullptr;
  void* target = nullptr;
  explicit operator bool() const noexcept { return call != nullptr; }
  /// Calls it: arguments and result as cells. 0, or the callee's failure.
  int operator()(const std::uint64_t* args, std::uint64_t* results) const { return call(target, args, results); }
};

/// What the loader hands an executor to instantiate one container.
struct executor_request {
  /// The module: identity, exports, imports and dependencies, from the
  /// manifest (container_module_info in vitte/loader/container.hpp).
  const module_info& info;
  /// The verified container, viewing the loader's mapping (payload(),
  /// target(), custom sections): valid until teardown.
  const vitmod_view& container;
  /// The bound address of each import, in info.imports order; nullptr for
  /// an import from an optional dependency that is absent, and for a
  /// foreign function (a WebAssembly export), which only calls[i] reaches.
  span<void* const> imports;
  /// Each import as a cell function, in info.imports order: how an
  /// executor calls functions of any kind (native, WebAssembly, the host's).
  span<const cell_function> calls;
  /// The bytes to run: the container's payload, or a whole module file
  /// (a .wasm file read as a module, whose `container` is then empty).
  span<const std::byte> payload;
  /// Where to explain a refusal: entries about the module (info.id.name),
  /// with the offset in the payload where there is one ("calc: at offset
  /// 0xc: bad opcode 0x7f"); may be null.
  diagnostic_list* diag;
};

/// One export as the executor provides it.
struct export_binding {
  void* address = nullptr;      ///< What importers call or read; must not be null.
  std::uint64_t signature = 0;  ///< signature_hash<T> of what `address` is; 0: untyped.
  /// Set for a foreign function: `address` is then not native code but the
  /// target of this cell call; native importers and find<T>() reach it
  /// through a thunk of their own type (vitte/loader/detail/cell_call.hpp).
  vitte_cell_call call = nullptr;
};

/// Runs the payloads of one kind (see the header). Implement it, register
/// it with basic_loader::register_executor, keep it alive as long as the
/// loader.
class module_executor {
 public:
  /// Checks and prepares the payload of `request.container` (bytecode
  /// verification, compilation, memory) and returns an opaque instance,
  /// which the loader hands back to the other calls. Should not run module
  /// code yet (start does). Errors refuse the module: say why in
  /// request.diag (a vitte::diagnostic of the error's kind); any
  /// vitte::error (malformed, not_supported, no_memory...).
  virtual result<void*> instantiate(const executor_request& request) = 0;

  /// Fills `out[i]` with the address and signature of export i of the
  /// module (the order of info.exports; out is as long). Errors refuse the
  /// module (teardown follows). A null address is refused by the loader.
  virtual status bind_exports(void* instance, span<export_binding> out, diagnostic_list* diag) = 0;

  /// Runs the module's initialiser, if any; after its exports are bound.
  /// Errors refuse the module (teardown follows). Default: nothing to run.
  virtual status start(void* instance, diagnostic_list* diag) {
    (void)instance;
    (void)diag;
    return {};
  }

  /// Ends the instance: runs any finaliser and frees it. Called once per
  /// successful instantiate, when the module unloads or its load fails.
  virtual void teardown(void* instance) noexcept = 0;

 protected:
  module_executor() = default;
  module_executor(const module_executor&) = default;
  module_executor& operator=(const module_executor&) = default;
  ~module_executor() = default;  // the loader never deletes one
};

}  // namespace vitte::loader

#endif  // VITTE_LOADER_EXECUTOR_HPP
