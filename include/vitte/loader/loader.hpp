// vitte/loader/loader.hpp - loading, linking, caching and unloading plugins.
//
//   namespace vl = vitte::loader;
//   vl::loader loader({.search = {.paths = {"/opt/app/plugins"}}});
//   loader.export_symbol<int(int, int)>("add", &host_add);     // what plugins import from "host"
//   vl::diagnostics why;
//   auto calc = loader.load("calc", &why);                      // calc and its dependencies
//   if (!calc) { std::fprintf(stderr, "%s\n", why.str().c_str()); return; }
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
// caller's diagnostics and the log sink; require, the default: refuses:
// "container is not signed", "unknown key id", "signature does not match"),
// and the payload is handed to the executor registered for its kind
// (register_executor; vitte/loader/executor.hpp). The executor receives the
// bound imports, instantiates the payload and returns the exports'
// addresses, which the linker binds dependents to; teardown runs where a
// plugin's fini would. A container whose payload kind has no executor is an
// error naming the module and the kind, before anything of the plan loads.
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
// from each call; the text, when wanted, goes to the caller's diagnostics.
#ifndef VITTE_LOADER_LOADER_HPP
#define VITTE_LOADER_LOADER_HPP

#include <vitte/base.hpp>
#include <vitte/detail/hash.hpp>
#include <vitte/loader/container.hpp>
#include <vitte/loader/diagnostics.hpp>
#include <vitte/loader/executor.hpp>
#include <vitte/loader/inspect.hpp>
#include <vitte/loader/module.hpp>
#include <vitte/loader/operations.hpp>
#include <vitte/loader/plugin.h>
#include <vitte/loader/resolver.hpp>
#include <vitte/loader/signature.hpp>
#include <vitte/loader/symbol.hpp>
#include <vitte/loader/vitmod_file.hpp>
#include <vitte/sys/condition_variable.hpp>
#include <vitte/sys/dynlib.hpp>
#include <vitte/sys/mutex.hpp>
#include <vitte/sys/platform.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>  // std::pair
#include <vector>

namespace vitte::loader {

/// Levels of the lines plugins log (vitte_plugin_host::log_at; `log` is info).
enum class log_level : int {
  error = VITTE_LOG_ERROR,
  warning = VITTE_LOG_WARNING,
  info = VITTE_LOG_INFO,
  debug = VITTE_LOG_DEBUG,
};

/// Where the lines plugins log go: the module that logged, the level and
/// the text (valid during the call only). Called on the plugin's thread,
/// without the loader's lock, possibly from several threads at once.
using log_sink = void (*)(void* context, const module_info& from, log_level level, std::string_view text);

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
  status export_symbol(std::string_view name, T* address, std::uint32_t version = 1);

  /// Runs the payloads of containers of kind `kind` with `executor`
  /// (vitte/loader/executor.hpp), which must outlive the loader. Register
  /// executors before loading containers. Errors (module_load):
  /// already_exists when the kind has an executor already.
  status register_executor(payload_kind kind, module_executor& executor);

  /// Scans the search paths again (new and changed plugins). Errors: none.
  status rescan(diagnostics* diag = nullptr);

  /// Loads the highest version of the module called `name` and what it
  /// needs, or returns it when loaded. Errors: see the header.
  result<module> load(std::string_view name, diagnostics* diag = nullptr);
  /// Loads the plugin or container file at `path` (and its dependencies
  /// from the search paths), or returns it when this file's content is
  /// loaded already.
  result<module> load_file(const std::string& path, diagnostics* diag = nullptr);

  /// The loaded module called `name`. Errors (module_load): not_found.
  result<module> find(std::string_view name) const;
  /// Every loaded module, in load order.
  std::vector<module> modules() const;
  /// Names and versions of retired modules ("name version").
  std::vector<std::string> retired() const;
  /// The resolver (its candidates and what it set aside).
  const resolver& plugins() const noexcept { return resolver_; }

  /// Hot reload, step 1: loads the plugin at `path` as a replacement for
  /// the loaded module of the same name, without making it findable by
  /// name yet. Errors: those of load_file; invalid_argument when no module
  /// of that name is loaded.
  result<module> load_replacement(const std::string& path, diagnostics* diag = nullptr);
  /// Hot reload, step 2: makes `next` the module found by its name instead
  /// of `current`, and rebinds the modules that import from `current` to
  /// `next` (their import slots and their reference). All or nothing: when
  /// a dependent's import is missing from `next`, has another kind or
  /// signature, or its dependency range excludes next's version, nothing
  /// changes. Call it where no thread runs the dependents, or accept that
  /// such a thread calls the old or the new version. Errors: module_load
  /// invalid_argument; module_link verification_failed (all the problems
  /// in `diag`).
  status replace(const module& current, const module& next, diagnostics* diag = nullptr);

 private:
  enum class state : std::uint8_t { loading, ready, unloading };

  struct record : detail::module_core {
    basic_loader* loader = nullptr;
    sys::basic_library<P> library;
    std::vector<detail::core_ref> deps;  // references on what it imports from
    state st = state::loading;
    bool registered = false;  // found by name
    vitte_plugin_host host{};
    // Containers: the mapping the executor runs from, the executor and its
    // instance (torn down before the mapping goes), the export addresses.
    basic_vitmod_file<P> container;
    module_executor* executor = nullptr;
    void* instance = nullptr;
    std::vector<void*> addresses;
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

  record* registered_locked(std::string_view name) const noexcept {
    for (record* r : live_)
      if (r->registered && r->info.id.name == name) return r;
    return nullptr;
  }
  std::vector<pinned_module> pinned_locked() const {
    std::vector<pinned_module> out;
    for (record* r : live_)
      if (r->registered) out.push_back({r->info.id.name, r->info.id.content_hash});
    return out;
  }
  result<module> load_plan(result<std::vector<const module_info*>> plan, bool replacement, diagnostics* diag, guard& g);
  result<detail::core_ref> acquire(module_info& info, bool replacement, diagnostics* diag);
  status link_and_init(record* r, diagnostics* diag);
  status run_container(record* r, diagnostics* diag);
  void take_dependencies(record* r);
  status bind_imports(const record* r, std::vector<void*>& bound, diagnostics* diag) const;
  module_executor* executor_locked(std::uint32_t kind) const noexcept {
    for (const auto& e : executors_)
      if (static_cast<std::uint32_t>(e.first) == kind) return e.second;
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
  std::vector<void*> host_addresses_;
  detail::export_table host_exports_;
  std::vector<record*> live_;     // loading, ready: in load order
  std::vector<record*> retired_;  // kept mapped
  void (*on_unload_)(void*, const module_info&, bool) = nullptr;
  void* on_unload_context_ = nullptr;
  log_sink log_ = nullptr;
  void* log_context_ = nullptr;
  trust_store trust_;
  verify_policy verify_ = verify_policy::require;
  std::vector<std::pair<payload_kind, module_executor*>> executors_;
};

/// The loader of the default platform.
using loader = basic_loader<sys::platform>;

// ---------------------------------------------------------------------------

template <class P>
basic_loader<P>::basic_loader(loader_options options) : resolver_(static_cast<search_options&&>(options.search)) {
  host_info_.id.name = "host";
  on_unload_ = options.on_unload;
  on_unload_context_ = options.on_unload_context;
  log_ = options.log;
  log_context_ = options.log_context;
  trust_ = static_cast<trust_store&&>(options.trust);
  verify_ = options.verify;
  if (verify_ == verify_policy::require) resolver_.require_signers(&trust_);
  if (options.scan_on_create) (void)resolver_.template scan<P>();
}

template <class P>
basic_loader<P>::~basic_loader() {
  // Handles should be gone; whatever is left unloads, dependents first.
  while (!live_.empty()) {
    record* r = live_.back();
    live_.pop_back();
    r->deps.clear();  // the records they point at are in live_ too
    if (r->descriptor != nullptr && r->descriptor->fini != nullptr) r->descriptor->fini();
    if (r->executor != nullptr) r->executor->teardown(r->instance);
    if (r->info.id.unload_safe)
      (void)r->library.close();
    else
      (void)r->library.pin();
    delete r;
  }
  for (record* r : retired_) {
    (void)r->library.pin();
    delete r;
  }
}

template <class P>
template <class T>
status basic_loader<P>::export_symbol(std::string_view name, T* address, std::uint32_t version) {
  guard g(mutex_);
  if (host_info_.find_export(name, version) != nullptr) return error{errc::already_exists, ops::module_link};
  host_info_.exports.push_back(
      export_info{std::string(name), detail::kind_of<T>(), version, signature_hash<std::remove_cv_t<T>>});
  if constexpr (std::is_function_v<T>)
    host_addresses_.push_back(reinterpret_cast<void*>(reinterpret_cast<std::uintptr_t>(address)));
  else
    host_addresses_.push_back(const_cast<void*>(static_cast<const volatile void*>(address)));
  host_exports_.build(host_info_, host_addresses_.data());
  return {};
}

template <class P>
status basic_loader<P>::register_executor(payload_kind kind, module_executor& executor) {
  guard g(mutex_);
  if (executor_locked(static_cast<std::uint32_t>(kind)) != nullptr)
    return error{errc::already_exists, ops::module_load};
  executors_.emplace_back(kind, &executor);
  return {};
}

template <class P>
status basic_loader<P>::rescan(diagnostics* diag) {
  guard g(mutex_);
  return resolver_.template scan<P>(diag);
}

template <class P>
result<module> basic_loader<P>::load(std::string_view name, diagnostics* diag) {
  guard g(mutex_);
  return load_plan(resolver_.plan(name, pinned_locked(), diag), false, diag, g);
}

template <class P>
result<module> basic_loader<P>::load_file(const std::string& path, diagnostics* diag) {
  result<module_info> info = read_module_file<P>(path, diag);
  if (!info) return info.error();
  if (status ok = check_compatible(*info, diag); !ok) return ok.error();
  guard g(mutex_);
  resolver_.add(*info);
  return load_plan(resolver_.plan(*info, pinned_locked(), diag), false, diag, g);
}

template <class P>
result<module> basic_loader<P>::load_replacement(const std::string& path, diagnostics* diag) {
  result<module_info> info = read_plugin_file<P>(path, diag);
  if (!info) return info.error();
  if (status ok = check_compatible(*info, diag); !ok) return ok.error();
  guard g(mutex_);
  if (registered_locked(info->id.name) == nullptr) {
    note(diag, info->id.name + ": no module of that name is loaded to replace");
    return error{errc::invalid_argument, ops::module_load};
  }
  // Plan without pinning the module being replaced.
  std::vector<pinned_module> pinned = pinned_locked();
  for (std::size_t i = 0; i < pinned.size(); ++i)
    if (pinned[i].name == info->id.name) pinned.erase(pinned.begin() + static_cast<std::ptrdiff_t>(i--));
  resolver_.add(*info);
  return load_plan(resolver_.plan(*info, pinned, diag), true, diag, g);
}

template <class P>
result<module> basic_loader<P>::load_plan(result<std::vector<const module_info*>> plan, bool replacement,
                                          diagnostics* diag, guard& g) {
  if (!plan) return plan.error();
  // The plan points into the resolver, which a rescan may change: copy.
  std::vector<module_info> order;
  order.reserve(plan->size());
  for (const module_info* m : *plan) order.push_back(*m);
  // Every container to load needs an executor for its payload: all of
  // those missing are named before anything loads.
  std::string no_executor;
  for (const module_info& m : order) {
    if (m.source.format != module_format::vitmod || executor_locked(m.source.payload_kind) != nullptr) continue;
    if (const record* have = registered_locked(m.id.name);
        have != nullptr && have->info.id.content_hash == m.id.content_hash)
      continue;  // loaded already
    no_executor += (no_executor.empty() ? "" : ", ") + m.id.name + " " + m.id.version + " (" + m.source.path +
                   "): payload kind " + std::string(to_string(static_cast<payload_kind>(m.source.payload_kind)));
  }
  if (!no_executor.empty()) {
    note(diag, "no executor registered for the payload of " + no_executor);
    return error{errc::not_supported, ops::module_load};
  }
  g.unlock();
  std::vector<detail::core_ref> held;
  for (std::size_t i = 0; i < order.size(); ++i) {
    result<detail::core_ref> r = acquire(order[i], replacement && i + 1 == order.size(), diag);
    if (!r) {
      held.clear();  // releases what this call loaded (and unloads it)
      g.lock();
      return r.error();
    }
    held.push_back(static_cast<detail::core_ref&&>(*r));
  }
  module out(held.back());
  held.clear();
  g.lock();
  return out;
}

template <class P>
result<detail::core_ref> basic_loader<P>::acquire(module_info& info, bool replacement, diagnostics* diag) {
  record* r = nullptr;
  {
    guard g(mutex_);
    for (;;) {
      record* have = replacement ? nullptr : registered_locked(info.id.name);
      if (have == nullptr) break;
      if (have->info.id.content_hash != info.id.content_hash) {
        note(diag, info.id.name + ": version " + have->info.id.version + " (" + have->info.source.path +
                       ") is loaded; " + info.id.version + " (" + info.source.path + ") cannot be loaded beside it");
        return error{errc::version_mismatch, ops::module_load};
      }
      if (have->st == state::ready) {
        have->acquire();  // under the lock: see last_release
        return detail::core_ref::adopt(have);
      }
      loaded_.wait(g);  // another thread is loading it
    }
    r = new record;
    r->info = static_cast<module_info&&>(info);  // the caller's copy, not used after
    r->loader = this;
    r->last_release = &last_release;
    r->refs.store(1);
    r->registered = !replacement;
    r->host = vitte_plugin_host{sizeof(vitte_plugin_host), 0, r, &host_lookup, &host_log, &host_log_at};
    live_.push_back(r);
  }
  status st = link_and_init(r, diag);
  guard g(mutex_);
  if (st) r->st = state::ready;
  loaded_.notify_all();
  if (st) return detail::core_ref::adopt(r);
  for (std::size_t i = 0; i < live_.size(); ++i)
    if (live_[i] == r) live_.erase(live_.begin() + static_cast<std::ptrdiff_t>(i));
  g.unlock();
  r->descriptor = nullptr;  // init did not run (or failed): no fini
  unload(r);
  return st.error();
}

template <class P>
status basic_loader<P>::link_and_init(record* r, diagnostics* diag) {
  if (r->info.source.format == module_format::vitmod) return run_container(r, diag);
  const module_info& info = r->info;
  const std::string who = info.id.name + " " + info.id.version;
  // The OS loader: the library's static constructors run here.
  sys::library_diagnostic ldiag;
  result<sys::basic_library<P>> lib =
      sys::basic_library<P>::open(info.source.path.c_str(), sys::library_flags::now, &ldiag);
  if (!lib) {
    note(diag, who + ": " + std::string(ldiag.view()));
    return lib.error();
  }
  r->library = static_cast<sys::basic_library<P>&&>(*lib);
  result<const vitte_plugin_descriptor*> d =
      r->library.template sym<const vitte_plugin_descriptor>(VITTE_PLUGIN_DESCRIPTOR_SYMBOL, &ldiag);
  if (!d) {
    note(diag, who + ": no plugin descriptor: " + std::string(ldiag.view()));
    return error{errc::malformed, ops::module_load};
  }
  const vitte_plugin_descriptor* desc = *d;
  auto bad = [&](const char* what) {
    note(diag, who + ": descriptor does not match the file's metadata: " + what);
    return error{errc::malformed, ops::module_load};
  };
  if (desc->magic != VITTE_PLUGIN_DESCRIPTOR_MAGIC) return bad("bad magic");
  if (desc->abi_major != info.id.abi_major || desc->abi_minor != info.id.abi_minor) return bad("ABI version");
  if (desc->size < sizeof(vitte_plugin_descriptor)) return bad("descriptor too small");
  if (desc->export_count != info.exports.size() || desc->import_count != info.imports.size() ||
      desc->dependency_count != info.dependencies.size())
    return bad("counts of exports, imports or dependencies");
  if (desc->metadata == nullptr || desc->metadata_size == 0) return bad("no metadata");
  // The metadata in memory must be the bytes read from the file: hashing
  // them is cheaper than decoding them again.
  if (vitte::detail::content_hash(std::span<const std::byte>(reinterpret_cast<const std::byte*>(desc->metadata),
                                                             desc->metadata_size)) != info.source.metadata_hash)
    return bad("metadata in memory differs from the file's");
  r->descriptor = desc;
  r->exports.build(info, desc->export_addresses);

  take_dependencies(r);
  std::vector<void*> bound(info.imports.size(), nullptr);
  if (status st = bind_imports(r, bound, diag); !st) return st;
  if (desc->import_slots != nullptr)
    for (std::size_t i = 0; i < bound.size(); ++i)
      if (bound[i] != nullptr && desc->import_slots[i] != nullptr) *desc->import_slots[i] = bound[i];
  // Init, without the lock.
  if (desc->init != nullptr) {
    int rc = desc->init(&r->host);
    if (rc != 0) {
      note(diag, who + ": init failed (returned " + std::to_string(rc) + ")");
      return error{errc::unknown, ops::module_load};
    }
  }
  return {};
}

template <class P>
void basic_loader<P>::take_dependencies(record* r) {
  // Dependencies, loaded before this module by the plan.
  guard g(mutex_);
  for (const dependency_info& dep : r->info.dependencies) {
    record* d = registered_locked(dep.name);
    if (d == nullptr || d->st != state::ready) continue;  // lazy, or optional and absent
    d->acquire();
    r->deps.push_back(detail::core_ref::adopt(d));
  }
}

template <class P>
status basic_loader<P>::bind_imports(const record* r, std::vector<void*>& bound, diagnostics* diag) const {
  // Every import, every failure listed. bound[i] stays null for imports from
  // lazy or absent optional dependencies.
  const module_info& info = r->info;
  std::vector<std::string> unbound;
  bool only_signatures = true;
  for (std::size_t i = 0; i < info.imports.size(); ++i) {
    const import_info& imp = info.imports[i];
    const std::string what = "import " + imp.module + "." + imp.name +
                             (imp.version != 0 ? " v" + std::to_string(imp.version) : std::string());
    const detail::export_table* table = nullptr;
    std::string provider = imp.module;
    if (imp.module == "host") {
      table = &host_exports_;
    } else {
      for (const detail::core_ref& dep : r->deps)
        if (dep.get()->info.id.name == imp.module) {
          table = &dep.get()->exports;
          provider = imp.module + " " + dep.get()->info.id.version;
        }
      if (table == nullptr) {
        bool declared = false, lazy = false;
        for (const dependency_info& dep : info.dependencies)
          if (dep.name == imp.module) {
            declared = true;
            lazy = dep.lazy() || dep.optional();
          }
        if (lazy) continue;  // bound when the dependency loads (lookup), or absent
        unbound.push_back(what + ": " + (declared ? "dependency not loaded" : "not a declared dependency"));
        only_signatures = false;
        continue;
      }
    }
    const detail::export_entry* e = table->find(imp.name, imp.version);
    if (e == nullptr) {
      unbound.push_back(what + ": " + provider + " does not export it");
      only_signatures = false;
      continue;
    }
    // An import without a signature (a container's) takes any; a typed
    // import needs the same type, which an untyped export does not promise.
    if (e->kind != imp.kind || (imp.signature != 0 && e->signature != imp.signature)) {
      unbound.push_back(what + ": " + provider + " exports it " +
                        (e->kind != imp.kind ? "with another kind"
                         : e->signature == 0 ? "untyped (its executor gave no signature)"
                                             : "with another signature"));
      continue;
    }
    bound[i] = e->address;
  }
  if (unbound.empty()) return {};
  std::string all =
      info.id.name + " " + info.id.version + ": " + std::to_string(unbound.size()) + " unresolved import(s): ";
  for (std::size_t i = 0; i < unbound.size(); ++i) all += (i == 0 ? "" : "; ") + unbound[i];
  note(diag, all);
  return error{only_signatures ? errc::verification_failed : errc::not_found, ops::module_link};
}

template <class P>
status basic_loader<P>::run_container(record* r, diagnostics* diag) {
  const std::string who = r->info.id.name + " " + r->info.id.version;
  const std::string kind(to_string(static_cast<payload_kind>(r->info.source.payload_kind)));
  module_executor* executor = nullptr;
  {
    guard g(mutex_);
    executor = executor_locked(r->info.source.payload_kind);
  }
  if (executor == nullptr) {  // load_plan checked; a lazy load may not have
    note(diag, who + " (" + r->info.source.path + "): no executor registered for payload kind " + kind);
    return error{errc::not_supported, ops::module_load};
  }
  // One mapping: the signature is checked over the bytes the executor then
  // runs (vitte/loader/vitmod_file.hpp).
  parsed<basic_vitmod_file<P>> file = open_vitmod<P>(r->info.source.path.c_str(), trust_, verify_);
  if (!file) {
    const bool signature = file.error().kind == errc::verification_failed;
    note(diag, who + " (" + r->info.source.path + ")" + (signature ? ": refused under verify_policy::require" : ""),
         file.error());
    return file.error().to_error(ops::module_load);
  }
  if (container_content_hash(file->view) != r->info.id.content_hash) {
    note(diag, who + " (" + r->info.source.path + "): the file changed since it was read; rescan the search paths");
    return error{errc::version_mismatch, ops::module_load};
  }
  r->container = static_cast<basic_vitmod_file<P>&&>(*file);  // the view keeps pointing at the same pages
  const signature_check& check = r->container.signature;
  r->info.source.signature = verify_ == verify_policy::off ? signature_state::not_checked
                             : check.verified              ? signature_state::verified
                                                           : signature_state::failed;
  if (check.signer != nullptr) r->info.source.signer = check.signer->name;
  if (r->info.source.signature == signature_state::failed) {
    const std::string text = who + " (" + r->info.source.path + "): signature not verified, loaded under " +
                             "verify_policy::warn: " + std::string(check.error.message().view());
    if (log_ != nullptr) log_(log_context_, r->info, log_level::warning, text);
    note(diag, text);
  }

  take_dependencies(r);
  std::vector<void*> bound(r->info.imports.size(), nullptr);
  if (status st = bind_imports(r, bound, diag); !st) return st;

  result<void*> instance = executor->instantiate(executor_request{r->info, r->container.view, bound, diag});
  if (!instance) {
    note(diag, who + ": the " + kind + " executor refused it: " + instance.error().message().c_str());
    return instance.error();
  }
  r->executor = executor;  // from now on, teardown when it goes
  r->instance = *instance;
  std::vector<export_binding> out(r->info.exports.size());
  if (status st = executor->bind_exports(r->instance, out, diag); !st) {
    note(diag, who + ": the " + kind + " executor could not bind its exports: " + st.error().message().c_str());
    return st;
  }
  std::string missing;
  r->addresses.resize(out.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i].address == nullptr) missing += (missing.empty() ? "" : ", ") + r->info.exports[i].name;
    r->addresses[i] = out[i].address;
    r->info.exports[i].signature = out[i].signature;
  }
  if (!missing.empty()) {
    note(diag, who + ": the " + kind + " executor gave no address for export(s) " + missing);
    return error{errc::malformed, ops::module_link};
  }
  r->exports.build(r->info, r->addresses.data());
  if (status st = executor->start(r->instance, diag); !st) {
    note(diag, who + ": start failed: " + st.error().message().c_str());
    return st;
  }
  return {};
}

template <class P>
void basic_loader<P>::last_release(detail::module_core* c) noexcept {
  record* r = static_cast<record*>(c);
  basic_loader* self = r->loader;
  {
    guard g(self->mutex_);
    // The last reference is dropped here, under the lock: a lookup may have
    // taken a new one meanwhile, and then this is not the last.
    if (r->refs.fetch_sub(1, vitte::detail::acq_rel) != 1 || r->st != state::ready) return;
    r->st = state::unloading;
    for (std::size_t i = 0; i < self->live_.size(); ++i)
      if (self->live_[i] == r) self->live_.erase(self->live_.begin() + static_cast<std::ptrdiff_t>(i));
  }
  self->unload(r);
}

template <class P>
void basic_loader<P>::unload(record* r) noexcept {
  std::vector<detail::core_ref> deps;
  {
    guard g(mutex_);
    deps = static_cast<std::vector<detail::core_ref>&&>(r->deps);
  }
  const bool was_loaded = r->st == state::unloading;  // not a failed load
  if (r->descriptor != nullptr && r->descriptor->fini != nullptr) r->descriptor->fini();
  if (r->executor != nullptr) r->executor->teardown(r->instance);
  const bool unmap = r->info.id.unload_safe || !r->library.is_open();
  if (was_loaded && on_unload_ != nullptr) on_unload_(on_unload_context_, r->info, unmap);
  if (unmap) {
    (void)r->library.close();
    delete r;
  } else {
    guard g(mutex_);
    retired_.push_back(r);
  }
  // Then what it depended on: reverse dependency order.
  while (!deps.empty()) deps.pop_back();
}

template <class P>
result<module> basic_loader<P>::find(std::string_view name) const {
  guard g(mutex_);
  record* r = registered_locked(name);
  if (r == nullptr || r->st != state::ready) return error{errc::not_found, ops::module_load};
  r->acquire();
  return module(detail::core_ref::adopt(r));
}

template <class P>
std::vector<module> basic_loader<P>::modules() const {
  guard g(mutex_);
  std::vector<module> out;
  for (record* r : live_)
    if (r->st == state::ready) {
      r->acquire();
      out.emplace_back(detail::core_ref::adopt(r));
    }
  return out;
}

template <class P>
std::vector<std::string> basic_loader<P>::retired() const {
  guard g(mutex_);
  std::vector<std::string> out;
  for (record* r : retired_) out.push_back(r->info.id.name + " " + r->info.id.version);
  return out;
}

template <class P>
status basic_loader<P>::replace(const module& current, const module& next, diagnostics* diag) {
  // References the dependents drop on `current`: released after the lock
  // (declared first, destroyed last).
  std::vector<detail::core_ref> dropped;
  guard g(mutex_);
  record* cur = static_cast<record*>(current.core());
  record* nxt = static_cast<record*>(next.core());
  if (cur == nullptr || nxt == nullptr || !cur->registered || nxt->registered ||
      cur->info.id.name != nxt->info.id.name) {
    note(diag, "replace: the first module must be loaded by name and the second a replacement of it");
    return error{errc::invalid_argument, ops::module_load};
  }
  // Every module that imports from `cur` is rebound to `nxt`: all of them,
  // or none (every problem listed) and nothing changes.
  struct slot_write {
    void** slot;
    void* address;
  };
  struct rebind {
    record* who;
    std::size_t dep;                // its reference on cur
    std::vector<slot_write> slots;  // its imports from cur, bound to nxt
  };
  std::vector<rebind> plan;
  std::vector<std::string> problems;
  const std::string& name = cur->info.id.name;
  semver next_version;
  const bool parsed = semver::parse(nxt->info.id.version, next_version) == nullptr;
  for (record* other : live_) {
    if (other == cur || other == nxt) continue;
    for (std::size_t k = 0; k < other->deps.size(); ++k) {
      if (other->deps[k].get() != cur) continue;
      rebind rb{other, k, {}};
      const std::string who = other->info.id.name + " " + other->info.id.version;
      if (other->descriptor == nullptr) {  // a container: its executor holds the addresses it was given
        problems.push_back(who + " is a container, whose executor cannot be rebound");
        continue;
      }
      for (const dependency_info& d : other->info.dependencies)
        if (d.name == name && (!parsed || !semver_range::satisfied_by(d.range, next_version)))
          problems.push_back(who + " needs " + name + " " + (d.range.empty() ? "*" : d.range) + ", not " +
                             nxt->info.id.version);
      for (std::size_t i = 0; i < other->info.imports.size(); ++i) {
        const import_info& imp = other->info.imports[i];
        if (imp.module != name) continue;
        const std::string what = who + ": import " + imp.module + "." + imp.name + " v" + std::to_string(imp.version);
        const detail::export_entry* e = nxt->exports.find(imp.name, imp.version);
        if (e == nullptr) {
          problems.push_back(what + ": " + name + " " + nxt->info.id.version + " does not export it");
          continue;
        }
        if (e->kind != imp.kind || e->signature != imp.signature) {
          problems.push_back(what + ": " + name + " " + nxt->info.id.version + " exports it with another " +
                             (e->kind != imp.kind ? "kind" : "signature"));
          continue;
        }
        void** slot = other->descriptor->import_slots != nullptr ? other->descriptor->import_slots[i] : nullptr;
        if (slot != nullptr) rb.slots.push_back(slot_write{slot, e->address});
      }
      plan.push_back(static_cast<rebind&&>(rb));
    }
  }
  if (!problems.empty()) {
    std::string all = name + " " + cur->info.id.version + " cannot be replaced by " + nxt->info.id.version + ": ";
    for (std::size_t i = 0; i < problems.size(); ++i) all += (i == 0 ? "" : "; ") + problems[i];
    note(diag, all);
    return error{errc::verification_failed, ops::module_link};
  }
  // The swap: each slot is one aligned pointer store, so a thread inside a
  // dependent meanwhile calls the old or the new version, never a torn
  // address; the old version stays mapped while the caller holds it.
  for (rebind& rb : plan) {
    for (const slot_write& w : rb.slots) __atomic_store_n(w.slot, w.address, __ATOMIC_RELEASE);
    nxt->acquire();
    dropped.push_back(static_cast<detail::core_ref&&>(rb.who->deps[rb.dep]));
    rb.who->deps[rb.dep] = detail::core_ref::adopt(nxt);
  }
  cur->registered = false;
  nxt->registered = true;
  return {};
}

template <class P>
void* basic_loader<P>::host_lookup(void* context, const char* module_name, const char* name) noexcept {
  record* r = static_cast<record*>(context);
  basic_loader* self = r->loader;
  if (module_name == nullptr || name == nullptr) return nullptr;
  std::string_view mod(module_name);
  if (mod == "host") {
    const detail::export_entry* e = self->host_exports_.find(name);
    return e != nullptr ? e->address : nullptr;
  }
  {
    guard g(self->mutex_);
    for (const detail::core_ref& dep : r->deps)
      if (dep.get()->info.id.name == mod) {
        const detail::export_entry* e = dep.get()->exports.find(name);
        return e != nullptr ? e->address : nullptr;
      }
  }
  // A lazy (or optional) dependency, loaded now on first use.
  const dependency_info* want = nullptr;
  for (const dependency_info& d : r->info.dependencies)
    if (d.name == mod) want = &d;
  if (want == nullptr) return nullptr;
  result<module> m = [&]() -> result<module> {
    guard g(self->mutex_);
    if (record* have = self->registered_locked(mod); have != nullptr) {
      semver v;
      if (semver::parse(have->info.id.version, v) != nullptr || !semver_range::satisfied_by(want->range, v))
        return error{errc::version_mismatch, ops::module_resolve};
    }
    const module_info* best = self->resolver_.best(mod, want->range);
    if (best == nullptr) return error{errc::not_found, ops::module_resolve};
    return self->load_plan(self->resolver_.plan(*best, self->pinned_locked()), false, nullptr, g);
  }();
  if (!m) return nullptr;
  detail::module_core* dep = m->core();
  // Bind this module's imports from it.
  for (std::size_t i = 0; i < r->info.imports.size(); ++i) {
    const import_info& imp = r->info.imports[i];
    if (imp.module != mod) continue;
    const detail::export_entry* e = dep->exports.find(imp.name, imp.version);
    if (e != nullptr && e->kind == imp.kind && e->signature == imp.signature &&
        r->descriptor->import_slots != nullptr && r->descriptor->import_slots[i] != nullptr)
      *r->descriptor->import_slots[i] = e->address;
  }
  const detail::export_entry* e = dep->exports.find(name);
  {
    guard g(self->mutex_);
    r->deps.push_back(detail::core_ref(detail::core_ref::adopt(dep)));
    dep->acquire();  // the module handle below releases its own
  }
  return e != nullptr ? e->address : nullptr;
}

template <class P>
void basic_loader<P>::host_log(void* context, const char* text) noexcept {
  host_log_at(context, VITTE_LOG_INFO, text);
}

template <class P>
void basic_loader<P>::host_log_at(void* context, int level, const char* text) noexcept {
  const record* r = static_cast<const record*>(context);
  if (r == nullptr || r->loader->log_ == nullptr || text == nullptr) return;
  // Levels outside the known ones are clamped, not dropped.
  if (level < VITTE_LOG_ERROR) level = VITTE_LOG_ERROR;
  if (level > VITTE_LOG_DEBUG) level = VITTE_LOG_DEBUG;
  r->loader->log_(r->loader->log_context_, r->info, static_cast<log_level>(level), std::string_view(text));
}

}  // namespace vitte::loader

#endif  // VITTE_LOADER_LOADER_HPP
