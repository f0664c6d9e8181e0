// The loader's one module-backend interface. The loader's core (impl/loader.hpp)
// brings every module up and down through it, whatever runs the module's
// code: the OS loader (impl/os_backend.hpp), an executor running a
// container's payload (impl/container_backend.hpp), and the backends to come
// (an in-memory ELF image, the WebAssembly engine). A new backend is a class
// here and one line in basic_loader's list of backends; the core does not change.
//
// The life of a module, as the core drives it:
//   backend.open(info)            map or read it; nothing of the module runs yet
//                                 (except what the OS loader runs: static constructors)
//   image.instantiate(imports)    hand it its bound imports
//   image.bind_exports(addresses) learn the address of each export
//   image.start(host)             its init runs
//   ... loaded ...
//   image.teardown()              its fini runs (only after a start that succeeded
//                                 or an instantiate that did, as the backend says)
//   image.unmap() or image.pin()  unmapped, or kept mapped for the process (retired)
//
// Internal to the loader; not a public extension point yet.
#ifndef VITTE_LOADER_IMPL_BACKEND_HPP
#define VITTE_LOADER_IMPL_BACKEND_HPP

#include <vitte/base.hpp>
#include <vitte/loader/diagnostics.hpp>
#include <vitte/loader/module.hpp>
#include <vitte/loader/plugin.h>
#include <vitte/loader/symbol.hpp>

#include <cstddef>
#include <memory>  // std::unique_ptr: the core owns each image

namespace vitte::loader::detail {

/// Whether an export satisfies an import: the one rule the linker, lazy
/// binding and hot reload all apply. An import without a signature (a
/// container's) takes any export of its kind; a typed import needs the same
/// type, which an untyped export does not promise.
enum class import_match { ok, other_kind, untyped, other_signature };

constexpr import_match match_import(const export_entry& e, const import_info& imp) noexcept {
  if (e.kind != imp.kind) return import_match::other_kind;
  if (imp.signature == 0 || e.signature == imp.signature) return import_match::ok;
  return e.signature == 0 ? import_match::untyped : import_match::other_signature;
}

/// "with another kind", "untyped (...)", "with another signature"; empty for ok.
inline const char* to_string(import_match m) noexcept {
  switch (m) {
    case import_match::ok:
      return "";
    case import_match::other_kind:
      return "with another kind";
    case import_match::untyped:
      return "untyped (its executor gave no signature)";
    case import_match::other_signature:
      return "with another signature";
  }
  return "";
}

/// One module as its backend holds it: the code and data behind a loaded
/// module. Owned by the loader's record of the module; destroying it drops
/// what is still held (the mapping, the library handle).
class module_image {
 public:
  virtual ~module_image() = default;

  /// Hands the module the export bound to each import (info.imports order;
  /// a null address for an import of an absent optional or lazy dependency).
  virtual status instantiate(const module_info& info, span<const export_address> imports, diagnostic_list* diag) = 0;
  /// Where each export is, in info.exports order; the backend may fill
  /// info.exports[i].signature where it learns the type only now.
  virtual status bind_exports(module_info& info, buffer<export_address>& addresses, diagnostic_list* diag) = 0;
  /// Runs the module's own start (a plugin's init) with the host table.
  virtual status start(const module_info& info, vitte_plugin_host* host, diagnostic_list* diag) = 0;
  /// Runs the module's own end (fini, executor teardown) if it began.
  virtual void teardown() noexcept = 0;

  /// The slot the module reads import `i` through, for binding it again
  /// (lazy dependencies, hot reload); null when the module has none.
  virtual void** import_slot(std::size_t i) const noexcept = 0;
  /// Empty when its imports can be rebound (hot reload); otherwise why not,
  /// as "a container, whose executor cannot be rebound".
  virtual const char* not_rebindable() const noexcept = 0;
  /// The plugin descriptor of a native module; null for the others.
  virtual const vitte_plugin_descriptor* descriptor() const noexcept { return nullptr; }

  /// True when its memory may be unmapped after teardown; false retires it
  /// (kept mapped for the rest of the process: see loader.hpp, Unmapping).
  virtual bool may_unmap(const module_info& info) const noexcept = 0;
  /// Unmaps it now.
  virtual void unmap() noexcept = 0;
  /// Keeps it mapped for the rest of the process, even once destroyed.
  virtual void pin() noexcept = 0;
};

/// Opens the modules of one kind. The loader asks each of its backends in
/// turn whether it handles a module (by format and payload).
class module_backend {
 public:
  virtual ~module_backend() = default;

  /// True when this backend runs modules like `info`.
  virtual bool handles(const module_info& info) const noexcept = 0;
  /// Checked for every module of a plan before any of it loads: empty when
  /// this backend can open `info` now, else what is missing ("payload kind
  /// wasm"), listed after unavailable_reason().
  virtual text unavailable(const module_info& info) const = 0;
  /// The sentence the core puts before the modules unavailable() refused.
  virtual const char* unavailable_reason() const noexcept = 0;
  /// Maps or reads the module and checks it; runs none of its code except
  /// what the OS loader runs. May update info.source (signature state).
  virtual result<std::unique_ptr<module_image>> open(module_info& info, diagnostic_list* diag) = 0;
};

}  // namespace vitte::loader::detail

#endif  // VITTE_LOADER_IMPL_BACKEND_HPP
