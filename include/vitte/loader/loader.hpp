// vitte/loader/loader.hpp - loading, linking, caching and unloading plugins.
//
//   namespace vl = vitte::loader;
//   vl::loader loader({.search = {.paths = {"/opt/app/plugins"}}});
//   loader.export_symbol<int(int, int)>("add", &host_add);     // what plugins import from "host"
//   vitte::diagnostic_list why;
//   auto calc = loader.load("calc", &why);                      // calc and its dependencies
//   if (!calc) { std::fputs(why.joined().c_str(), stderr); return; }   // one line per problem
//   auto f = calc->find<int(int)>("twice_square").value();
//   std::printf("%d\n", f(21));
//   calc->reset();   // f still holds calc: it unloads when f goes too
//
//   // Containers (.vitmod / .vitbc) too, run by an executor the host registers:
//   vl::loader mods({.search = {.paths = {"/opt/app/modules"}}, .trust = release_keys});
//   mods.register_executor(vl::payload_kind::bytecode, my_vm);    // vitte/loader/executor.hpp
//   auto greeter = mods.load("greeter", &why);                     // greeter.vitbc, signature required
//
// A load, in order, never running plugin code before the last step:
//   1. resolve: the module and its non-lazy dependencies are planned from
//      their metadata (vitte/loader/resolver.hpp): versions, cycles, missing
//      modules, architecture and ABI are all settled from the files;
//   2. for each module, dependencies first: the OS loader maps it
//      (sys::library, RTLD_NOW | RTLD_LOCAL); its descriptor must match the
//      metadata read from the file;
//   3. link: every import is bound now, from the module's dependencies or
//      the host's exports, checking kind and signature hash; every import
//      that does not bind is listed in one error;
//   4. init runs (with the loader's lock released).
//
// Containers (.vitmod, .vitbc; vitte/loader/container.hpp) are modules like
// plugins: found in the same search paths or loaded by path, planned from
// their manifests together with plugins (either may depend on the other),
// and linked by the same linker. Step 2 differs: the file is mapped once,
// its signature is checked on that mapping against loader_options::trust
// per loader_options::verify (off; warn: loads, and the failure goes to the
// caller's diagnostic_list and the log sink; require, the default: refuses:
// "container is not signed", "unknown key id", "signature does not match"),
// and the payload is handed to the executor registered for its kind
// (register_executor; vitte/loader/executor.hpp). The executor receives the
// bound imports, instantiates the payload and returns the exports'
// addresses, which the linker binds dependents to; teardown runs where a
// plugin's fini would. A native payload (a vitte plugin) needs no executor
// where in-memory ELF images run: it is loaded as an image from the
// verified bytes (docs/ELF_IMAGE.md). A container whose payload kind has no
// executor otherwise is an error naming the module and the kind, before
// anything of the plan loads.
//
// Cache: a loaded module is found again by name (one version of a name is
// loaded at a time) and checked by content hash; loading it again returns
// the same module with one more reference. References are held by
// `module` handles, `symbol<T>` handles and the modules that depend on it.
// When the last goes, the module is unloaded on that thread: fini runs,
// then the library is closed, then its dependencies are released (so
// modules unload in reverse dependency order).
//
// Unmapping: only modules that declare themselves unload-safe
// (`vitte::loader::unload_safe`) are closed. The others are *retired*:
// fini runs and they leave the name index, but their library stays mapped
// for the rest of the process, because unmapping code that may still be
// referenced is a crash waiting to happen: thread_local objects whose
// destructors live in the plugin run at thread exit; GNU unique symbols
// (STB_GNU_UNIQUE, inline statics of templates) make the C library refuse
// or defer dlclose; and objects, vtables, std::function targets or
// callbacks the plugin handed to the host point into its code and data.
//
// Concurrency: any number of threads may load, look up and release at
// once. The loader's lock guards its tables only; it is never held while
// plugin code (static constructors, init, fini) runs. A thread that needs a
// module another thread is loading waits for that load to finish.
//
// Errors (module_resolve, module_load, module_link, library_open) come back
// from each call; what went wrong, when wanted, goes to the caller's
// vitte::diagnostic_list: one entry per problem, about the module concerned
// (or the file, for a file that cannot be read).
#ifndef VITTE_LOADER_LOADER_HPP
#define VITTE_LOADER_LOADER_HPP

#include <vitte/base.hpp>
#include <vitte/loader/container.hpp>  // load_file reads containers
#include <vitte/loader/diagnostics.hpp>
#include <vitte/loader/executor.hpp>
#include <vitte/loader/impl/backend.hpp>            // the one interface the core loads through
#include <vitte/loader/impl/container_backend.hpp>  // containers, run by executors
#include <vitte/loader/impl/image_backend.hpp>      // in-memory ELF images
#include <vitte/loader/impl/os_backend.hpp>         // the OS loader
#include <vitte/loader/inspect.hpp>                 // load_file reads plugins
#include <vitte/loader/log_sink.hpp>
#include <vitte/loader/module.hpp>
#include <vitte/loader/plugin.h>
#include <vitte/loader/resolver.hpp>
#include <vitte/loader/signature.hpp>
#include <vitte/loader/symbol.hpp>
#include <vitte/sys/condition_variable.hpp>
#include <vitte/sys/fs_types.hpp>  // file_stamp
#include <vitte/sys/mutex.hpp>
#include <vitte/sys/platform.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>         // the records' images
#include <unordered_map>  // files read before, by path

namespace vitte::loader {

/// How a loader finds plugins.
struct loader_options {
  search_options search{};     ///< Where plugins are (explicit; see resolver.hpp).
  bool scan_on_create = true;  ///< Scan the search paths in the constructor.
  /// Called after each module is unloaded (unmapped true) or retired
  /// (false), on the thread that released it; null for none.
  void (*on_unload)(void* context, const module_info& info, bool unmapped) = nullptr;
  void* on_unload_context = nullptr;
  /// Receives what plugins log (host->log, host->log_at); null: dropped.
  log_sink log = nullptr;
  void* log_context = nullptr;
  /// Containers (.vitmod, .vitbc): the keys trusted to sign them, and what
  /// to do with their signatures (vitte/loader/signature.hpp). The default,
  /// require with an empty store, refuses every container: a host that
  /// loads containers says whom it trusts, or opts out with off.
  trust_store trust{};
  verify_policy verify = verify_policy::require;
  /// What runs native ELF plugins: the OS loader, or vitte's in-memory
  /// images (vitte/loader/elf_image/image.hpp), which a static build uses.
  native_backend_choice native = native_backend_choice::automatic;
};

/// Loads plugins (see the header). Not copyable or movable: handles point
/// at it. Every module handle must be gone before the loader is destroyed.
template <class P = sys::platform>
class basic_loader {
 public:
  explicit basic_loader(loader_options options = {});
  basic_loader(const basic_loader&) = delete;
  basic_loader& operator=(const basic_loader&) = delete;
  /// Unloads what is still loaded (dependents first); retired libraries
  /// stay mapped.
  ~basic_loader();

  /// Offers `address` to plugins as module "host", symbol `name`. Call
  /// before loading plugins that import it. Errors (module_link):
  /// already_exists for a (name, version) offered before.
  template <class T>
  status export_symbol(text_view name, T* address, std::uint32_t version = 1);

  /// Runs the payloads of containers of kind `kind` with `executor`
  /// (vitte/loader/executor.hpp), which must outlive the loader. Register
  /// executors before loading containers. Errors (module_load):
  /// already_exists when the kind has an executor already.
  status register_executor(payload_kind kind, module_executor& executor);

  /// Scans the search paths again (new and changed plugins). Errors: none.
  status rescan(diagnostic_list* diag = nullptr);

  /// Loads the highest version of the module called `name` and what it
  /// needs, or returns it when loaded. Errors: see the header.
  result<module> load(text_view name, diagnostic_list* diag = nullptr);
  /// Loads the plugin or container file at `path` (and its dependencies
  /// from the search paths), or returns it when this file's content is
  /// loaded already. A file read before is not read and hashed again while
  /// its device, inode, size and modification time stay the same and that
  /// time is older than the previous read by more than a file system's
  /// timestamp granularity (2 s): a file changed within the same tick as the
  /// read is read again, so the content hash keeps telling versions apart.
  result<module> load_file(const text& path, diagnostic_list* diag = nullptr);

  /// The loaded module called `name`. Errors (module_load): not_found.
  result<module> find(text_view name) const;
  /// Every loaded module, in load order.
  buffer<module> modules() const;
  /// Names and versions of retired modules ("name version").
  buffer<text> retired() const;
  /// The resolver (its candidates and what it set aside).
  const resolver& plugins() const noexcept { return resolver_; }

  /// Hot reload, step 1: loads the plugin at `path` as a replacement for
  /// the loaded module of the same name, without making it findable by
  /// name yet. Errors: those of load_file; invalid_argument when no module
  /// of that name is loaded.
  result<module> load_replacement(const text& path, diagnostic_list* diag = nullptr);
  /// Hot reload, step 2: makes `next` the module found by its name instead
  /// of `current`, and rebinds the modules that import from `current` to
  /// `next` (their import slots and their reference). All or nothing: when
  /// a dependent's import is missing from `next`, has another kind or
  /// signature, or its dependency range excludes next's version, nothing
  /// changes. Call it where no thread runs the dependents, or accept that
  /// such a thread calls the old or the new version. Errors: module_load
  /// invalid_argument; module_link verification_failed (all the problems
  /// in `diag`).
  status replace(const module& current, const module& next, diagnostic_list* diag = nullptr);

 private:
  enum class state : std::uint8_t { loading, ready, unloading };

  struct record : detail::module_core {
    basic_loader* loader = nullptr;
    buffer<detail::core_ref> deps;  // references on what it imports from
    state st = state::loading;
    bool registered = false;  // found by name
    vitte_plugin_host host{};
    std::unique_ptr<detail::module_image> image;  // what runs it (impl/backend.hpp); null until opened
    buffer<detail::export_address> addresses;     // of its exports, info.exports order
  };

  using lock_type = sys::basic_mutex<P>;
  // A unique_lock without <mutex>: what the condition variable waits with.
  struct guard {
    lock_type& m;
    bool owns = true;
    explicit guard(lock_type& l) : m(l) { m.lock(); }
    ~guard() {
      if (owns) m.unlock();
    }
    guard(const guard&) = delete;
    guard& operator=(const guard&) = delete;
    void lock() {
      m.lock();
      owns = true;
    }
    void unlock() {
      owns = false;
      m.unlock();
    }
    lock_type* mutex() const noexcept { return &m; }
    bool owns_lock() const noexcept { return owns; }
  };

  record* registered_locked(text_view name) const noexcept {
    for (record* r : live_)
      if (r->registered && r->info.id.name == name) return r;
    return nullptr;
  }
  buffer<pinned_module> pinned_locked() const {
    buffer<pinned_module> out;
    for (record* r : live_)
      if (r->registered) out.push_back({r->info.id.name, r->info.id.content_hash});
    return out;
  }
  result<module> load_plan(result<buffer<const module_info*>> plan, bool replacement, diagnostic_list* diag, guard& g);
  result<detail::core_ref> acquire(module_info& info, bool replacement, diagnostic_list* diag);
  result<module_info> read_known(const text& path, diagnostic_list* diag);
  status link_and_init(record* r, diagnostic_list* diag);
  void take_dependencies(record* r);
  status bind_imports(const record* r, buffer<detail::export_address>& bound, diagnostic_list* diag) const;
  detail::module_backend* backend_for(const module_info& info) const noexcept {
    for (detail::module_backend* b : backends_)
      if (b->handles(info)) return b;
    return nullptr;
  }
  void unload(record* r) noexcept;
  static void last_release(detail::module_core* c) noexcept;
  static void* host_lookup(void* context, const char* module, const char* name) noexcept;
  static void host_log(void* context, const char* text) noexcept;
  static void host_log_at(void* context, int level, const char* text) noexcept;

  mutable lock_type mutex_;
  sys::basic_condition_variable<P> loaded_;  // a load finished
  resolver resolver_;
  module_info host_info_;
  buffer<detail::export_address> host_addresses_;
  detail::export_table host_exports_;
  buffer<record*> live_;  // loading, ready: in load order
  // Files load_file read before, by path: what was read, its stamp, and when (see read_known).
  struct known_file {
    module_info info;
    sys::file_stamp stamp;
    std::int64_t read_ns = 0;  // realtime clock, when the file was read and hashed
  };
  struct path_hash {
    std::size_t operator()(text_view s) const noexcept { return static_cast<std::size_t>(detail::name_hash(s)); }
  };
  std::unordered_map<text, known_file, path_hash> known_;
  buffer<record*> retired_;  // kept mapped
  void (*on_unload_)(void*, const module_info&, bool) = nullptr;
  void* on_unload_context_ = nullptr;
  log_sink log_ = nullptr;
  void* log_context_ = nullptr;
  trust_store trust_;
  // The backends, asked in order which one runs a module. A new kind of
  // module is a new backend here; the core above does not change.
  detail::image_backend<P> images_;
  detail::os_backend<P> os_;
  detail::container_backend<P> containers_;
  detail::module_backend* backends_[3] = {&images_, &os_, &containers_};
};

/// The loader of the default platform.
using loader = basic_loader<sys::platform>;

}  // namespace vitte::loader

#include <vitte/loader/impl/loader.hpp>

#endif  // VITTE_LOADER_LOADER_HPP
