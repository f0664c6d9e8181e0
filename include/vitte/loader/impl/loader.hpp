// The loader's machinery: the core that plans, acquires, links, caches and
// unloads modules through the backends (impl/backend.hpp), the hot-reload
// swap and the host table. Included by vitte/loader/loader.hpp, which holds
// the contract; do not include directly.
#ifndef VITTE_LOADER_IMPL_LOADER_HPP
#define VITTE_LOADER_IMPL_LOADER_HPP

#include <vitte/loader/loader.hpp>
#include <vitte/sys/clock_id.hpp>
#include <vitte/sys/metadata.hpp>  // the fast key of files read before

#include <string>  // std::to_string
#include <type_traits>
#include <utility>  // std::move

namespace vitte::loader {

template <class P>
basic_loader<P>::basic_loader(loader_options options)
    : resolver_(static_cast<search_options&&>(options.search)),
      trust_(static_cast<trust_store&&>(options.trust)),
      images_(options.native),
      os_(options.native),
      containers_(trust_, options.verify, options.log, options.log_context) {
  host_info_.id.name = "host";
  on_unload_ = options.on_unload;
  on_unload_context_ = options.on_unload_context;
  log_ = options.log;
  log_context_ = options.log_context;
  if (options.verify == verify_policy::require) resolver_.require_signers(&trust_);
  if (options.scan_on_create) (void)resolver_.template scan<P>();
}

template <class P>
basic_loader<P>::~basic_loader() {
  // Handles should be gone; whatever is left unloads, dependents first.
  while (!live_.empty()) {
    record* r = live_.back();
    live_.pop_back();
    r->deps.clear();  // the records they point at are in live_ too
    if (r->image != nullptr) {
      r->image->teardown();
      if (r->image->may_unmap(r->info))
        r->image->unmap();
      else
        r->image->pin();
    }
    delete r;
  }
  for (record* r : retired_) {
    if (r->image != nullptr) r->image->pin();
    delete r;
  }
}

template <class P>
template <class T>
status basic_loader<P>::export_symbol(text_view name, T* address, std::uint32_t version) {
  guard g(mutex_);
  if (host_info_.find_export(name, version) != nullptr) return error{errc::already_exists, ops::module_link};
  host_info_.exports.push_back(
      export_info{text(name), detail::kind_of<T>(), version, signature_hash<std::remove_cv_t<T>>});
  if constexpr (std::is_function_v<T>)
    host_addresses_.push_back({reinterpret_cast<void*>(reinterpret_cast<std::uintptr_t>(address)),
                               detail::cell_call_of<std::remove_cv_t<T>>(), false});
  else
    host_addresses_.push_back({const_cast<void*>(static_cast<const volatile void*>(address)), nullptr, false});
  host_exports_.build(host_info_, host_addresses_.data());
  return {};
}

template <class P>
status basic_loader<P>::register_executor(payload_kind kind, module_executor& executor) {
  return containers_.add(kind, executor);
}

template <class P>
status basic_loader<P>::rescan(diagnostic_list* diag) {
  guard g(mutex_);
  return resolver_.template scan<P>(diag);
}

template <class P>
result<module> basic_loader<P>::load(text_view name, diagnostic_list* diag) {
  guard g(mutex_);
  return load_plan(resolver_.plan(name, pinned_locked(), diag), false, diag, g);
}

template <class P>
result<module_info> basic_loader<P>::read_known(const text& path, diagnostic_list* diag) {
  // The fast key is the file's stamp (device, inode, size, times); the
  // content is read again when the stamp changed or was not settled when it
  // was read (sys::file_stamp::settled_before).
  result<sys::file_status> st = sys::stat<P>(path.c_str());
  if (st) {
    guard g(mutex_);
    auto it = known_.find(path);
    if (it != known_.end() && it->second.stamp == sys::file_stamp::of(*st) &&
        it->second.stamp.settled_before(it->second.read_ns))
      return it->second.info;
  }
  const std::int64_t read_ns = P::clock_now_ns(sys::clock_id::realtime);
  vitte::diagnostic why;
  result<module_info> info = read_module_file<P>(path, &why);
  if (!info) {
    note(diag, why);  // about the file
    return info.error();
  }
  guard g(mutex_);
  known_.insert_or_assign(path, known_file{*info, st ? sys::file_stamp::of(*st) : sys::file_stamp{}, read_ns});
  return info;
}

template <class P>
result<module> basic_loader<P>::load_file(const text& path, diagnostic_list* diag) {
  result<module_info> info = read_known(path, diag);
  if (!info) return info.error();
  if (status ok = check_compatible(*info, diag); !ok) return ok.error();
  guard g(mutex_);
  resolver_.add(*info);
  return load_plan(resolver_.plan(*info, pinned_locked(), diag), false, diag, g);
}

template <class P>
result<module> basic_loader<P>::load_replacement(const text& path, diagnostic_list* diag) {
  vitte::diagnostic why;
  result<module_info> info = read_plugin_file<P>(path, &why);
  if (!info) {
    note(diag, why);  // about the file
    return info.error();
  }
  if (status ok = check_compatible(*info, diag); !ok) return ok.error();
  guard g(mutex_);
  if (registered_locked(info->id.name) == nullptr) {
    note(diag, errc::invalid_argument, info->id.name, "no module of that name is loaded to replace");
    return error{errc::invalid_argument, ops::module_load};
  }
  // Plan without pinning the module being replaced.
  buffer<pinned_module> pinned = pinned_locked();
  for (std::size_t i = 0; i < pinned.size(); ++i)
    if (pinned[i].name == info->id.name) pinned.erase(pinned.begin() + static_cast<std::ptrdiff_t>(i--));
  resolver_.add(*info);
  return load_plan(resolver_.plan(*info, pinned, diag), true, diag, g);
}

template <class P>
result<module> basic_loader<P>::load_plan(result<buffer<const module_info*>> plan, bool replacement,
                                          diagnostic_list* diag, guard& g) {
  if (!plan) return plan.error();
  // The plan points into the resolver, which a rescan may change: copy.
  buffer<module_info> order;
  order.reserve(plan->size());
  for (const module_info* m : *plan) order.push_back(*m);
  // Every module to load needs a backend that can run it now (a container
  // an executor for its payload): all of those missing are named, grouped
  // before anything loads, each in an entry about it.
  bool refused = false;
  for (const module_info& m : order) {
    if (const record* have = registered_locked(m.id.name);
        have != nullptr && have->info.id.content_hash == m.id.content_hash)
      continue;  // loaded already
    const detail::module_backend* b = backend_for(m);
    const char* reason = b != nullptr ? b->unavailable_reason() : "no backend runs";
    text why = b != nullptr ? b->unavailable(m) : "format " + text(to_string(m.source.format));
    if (why.empty()) continue;
    refused = true;
    note(diag, errc::not_supported, m.id.name,
         text(reason) + " " + m.id.name + " " + m.id.version + " (" + m.source.path + "): " + why);
  }
  if (refused) return error{errc::not_supported, ops::module_load};
  g.unlock();
  buffer<detail::core_ref> held;
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
result<detail::core_ref> basic_loader<P>::acquire(module_info& info, bool replacement, diagnostic_list* diag) {
  record* r = nullptr;
  {
    guard g(mutex_);
    for (;;) {
      record* have = replacement ? nullptr : registered_locked(info.id.name);
      if (have == nullptr) break;
      if (have->info.id.content_hash != info.id.content_hash) {
        note(diag, errc::version_mismatch, info.id.name,
             "version " + have->info.id.version + " (" + have->info.source.path + ") is loaded; " + info.id.version +
                 " (" + info.source.path + ") cannot be loaded beside it");
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
status basic_loader<P>::link_and_init(record* r, diagnostic_list* diag) {
  detail::module_backend* backend = backend_for(r->info);
  if (backend == nullptr) {
    note(diag, errc::not_supported, r->info.id.name,
         r->info.source.path + ": no backend runs modules of format " + text(to_string(r->info.source.format)));
    return error{errc::not_supported, ops::module_load};
  }
  result<std::unique_ptr<detail::module_image>> image = backend->open(r->info, diag);
  if (!image) return image.error();
  r->image = std::move(*image);
  r->descriptor = r->image->descriptor();
  take_dependencies(r);
  buffer<detail::export_address> bound(r->info.imports.size());
  if (status st = bind_imports(r, bound, diag); !st) return st;
  if (status st = r->image->instantiate(r->info, bound, diag); !st) return st;
  if (status st = r->image->bind_exports(r->info, r->addresses, diag); !st) return st;
  r->exports.build(r->info, r->addresses.data());
  return r->image->start(r->info, &r->host, diag);  // init, without the lock
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
status basic_loader<P>::bind_imports(const record* r, buffer<detail::export_address>& bound,
                                     diagnostic_list* diag) const {
  // Every import, every failure listed (an entry each, after one that
  // counts them). bound[i] stays null for imports from lazy or absent
  // optional dependencies.
  const module_info& info = r->info;
  buffer<text> unbound;
  bool only_signatures = true;
  for (std::size_t i = 0; i < info.imports.size(); ++i) {
    const import_info& imp = info.imports[i];
    const text what = "import " + imp.module + "." + imp.name +
                      (imp.version != 0 ? text(" v") + std::to_string(imp.version) : text());
    const detail::export_table* table = nullptr;
    text provider = imp.module;
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
    if (detail::import_match m = detail::match_import(*e, imp); m != detail::import_match::ok) {
      unbound.push_back(what + ": " + provider + " exports it " + detail::to_string(m));
      continue;
    }
    bound[i] = {e->address, e->call, e->foreign};
  }
  if (unbound.empty()) return {};
  const errc kind = only_signatures ? errc::verification_failed : errc::not_found;
  note(diag, kind, info.id.name, info.id.version + ": " + std::to_string(unbound.size()) + " unresolved import(s)");
  for (const text& u : unbound) note(diag, kind, info.id.name, u);
  return error{kind, ops::module_link};
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
  buffer<detail::core_ref> deps;
  {
    guard g(mutex_);
    deps = static_cast<buffer<detail::core_ref>&&>(r->deps);
  }
  const bool was_loaded = r->st == state::unloading;  // not a failed load
  if (r->image != nullptr) r->image->teardown();
  const bool unmap = r->image == nullptr || r->image->may_unmap(r->info);
  if (was_loaded && on_unload_ != nullptr) on_unload_(on_unload_context_, r->info, unmap);
  if (unmap) {
    if (r->image != nullptr) r->image->unmap();
    delete r;
  } else {
    guard g(mutex_);
    retired_.push_back(r);
  }
  // Then what it depended on: reverse dependency order.
  while (!deps.empty()) deps.pop_back();
}

template <class P>
result<module> basic_loader<P>::find(text_view name) const {
  guard g(mutex_);
  record* r = registered_locked(name);
  if (r == nullptr || r->st != state::ready) return error{errc::not_found, ops::module_load};
  r->acquire();
  return module(detail::core_ref::adopt(r));
}

template <class P>
buffer<module> basic_loader<P>::modules() const {
  guard g(mutex_);
  buffer<module> out;
  for (record* r : live_)
    if (r->st == state::ready) {
      r->acquire();
      out.emplace_back(detail::core_ref::adopt(r));
    }
  return out;
}

template <class P>
buffer<text> basic_loader<P>::retired() const {
  guard g(mutex_);
  buffer<text> out;
  for (record* r : retired_) out.push_back(r->info.id.name + " " + r->info.id.version);
  return out;
}

template <class P>
status basic_loader<P>::replace(const module& current, const module& next, diagnostic_list* diag) {
  // References the dependents drop on `current`: released after the lock
  // (declared first, destroyed last).
  buffer<detail::core_ref> dropped;
  guard g(mutex_);
  record* cur = static_cast<record*>(current.core());
  record* nxt = static_cast<record*>(next.core());
  if (cur == nullptr || nxt == nullptr || !cur->registered || nxt->registered ||
      cur->info.id.name != nxt->info.id.name) {
    note(diag, errc::invalid_argument, cur != nullptr ? text_view(cur->info.id.name) : text_view(),
         "replace: the first module must be loaded by name and the second a replacement of it");
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
    std::size_t dep;           // its reference on cur
    buffer<slot_write> slots;  // its imports from cur, bound to nxt
  };
  buffer<rebind> plan;
  buffer<text> problems;
  const text& name = cur->info.id.name;
  semver next_version;
  const bool parsed = semver::parse(nxt->info.id.version, next_version);
  for (record* other : live_) {
    if (other == cur || other == nxt) continue;
    for (std::size_t k = 0; k < other->deps.size(); ++k) {
      if (other->deps[k].get() != cur) continue;
      rebind rb{other, k, {}};
      const text who = other->info.id.name + " " + other->info.id.version;
      if (const char* why = other->image->not_rebindable(); why != nullptr) {
        problems.push_back(who + " is " + why);
        continue;
      }
      for (const dependency_info& d : other->info.dependencies)
        if (d.name == name && (!parsed || !semver_range::satisfied_by(d.range, next_version)))
          problems.push_back(who + " needs " + name + " " + (d.range.empty() ? "*" : d.range) + ", not " +
                             nxt->info.id.version);
      for (std::size_t i = 0; i < other->info.imports.size(); ++i) {
        const import_info& imp = other->info.imports[i];
        if (imp.module != name) continue;
        const text what = who + ": import " + imp.module + "." + imp.name + " v" + std::to_string(imp.version);
        const detail::export_entry* e = nxt->exports.find(imp.name, imp.version);
        if (e == nullptr) {
          problems.push_back(what + ": " + name + " " + nxt->info.id.version + " does not export it");
          continue;
        }
        if (detail::import_match m = detail::match_import(*e, imp); m != detail::import_match::ok) {
          problems.push_back(what + ": " + name + " " + nxt->info.id.version + " exports it " + detail::to_string(m));
          continue;
        }
        void** slot = other->image->import_slot(i);
        if (slot != nullptr && e->foreign) {
          problems.push_back(what + ": " + name + " " + nxt->info.id.version +
                             " exports it as a foreign function, which is not rebound into a native slot");
          continue;
        }
        if (slot != nullptr) rb.slots.push_back(slot_write{slot, e->address});
      }
      plan.push_back(static_cast<rebind&&>(rb));
    }
  }
  if (!problems.empty()) {
    note(diag, errc::verification_failed, name,
         cur->info.id.version + " cannot be replaced by " + nxt->info.id.version + ": " +
             std::to_string(problems.size()) + " problem(s)");
    for (const text& p : problems) note(diag, errc::verification_failed, name, p);
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
  text_view mod(module_name);
  if (mod == "host") {
    const detail::export_entry* e = self->host_exports_.find(name);
    return e != nullptr ? e->address : nullptr;  // the host's are native
  }
  {
    guard g(self->mutex_);
    for (const detail::core_ref& dep : r->deps)
      if (dep.get()->info.id.name == mod) {
        const detail::export_entry* e = dep.get()->exports.find(name);
        return e != nullptr && !e->foreign ? e->address : nullptr;  // no type here to make a thunk of
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
      if (!semver::parse(have->info.id.version, v) || !semver_range::satisfied_by(want->range, v))
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
    if (e == nullptr || e->foreign || detail::match_import(*e, imp) != detail::import_match::ok) continue;
    if (void** slot = r->image->import_slot(i); slot != nullptr) *slot = e->address;
  }
  const detail::export_entry* e = dep->exports.find(name);
  {
    guard g(self->mutex_);
    r->deps.push_back(detail::core_ref(detail::core_ref::adopt(dep)));
    dep->acquire();  // the module handle below releases its own
  }
  return e != nullptr && !e->foreign ? e->address : nullptr;
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
  r->loader->log_(r->loader->log_context_, r->info, static_cast<log_level>(level), text_view(text));
}

}  // namespace vitte::loader

#endif  // VITTE_LOADER_IMPL_LOADER_HPP
