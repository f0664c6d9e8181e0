// vitte/loader/symbol.hpp - loaded modules as values, their export tables,
// and typed symbol handles that keep their module alive.
//
//   vitte::loader::module m = loader.load("calc").value();
//   auto twice = m.find<int(int)>("twice_square").value();   // symbol<int(int)>
//   int y = twice(21);                                       // a plain indirect call
//   int (*raw)(int) = twice.raw();                           // explicit escape: no lifetime guard
//   auto counter = m.find<int>("counter", 2).value();        // symbol<int>: an object
//   *counter += 1;
//
// A `module` and every `symbol<T>` taken from it hold a reference on the
// loaded module: it stays loaded (and its code mapped) while any of them
// exists. When the last reference goes, the loader runs the module's fini
// and unloads it (vitte/loader/loader.hpp says when it is unmapped).
// find() checks the export's kind and signature hash against T: asking for
// int(int) an export declared as int(double) is errc::verification_failed.
// Lookups use the module's own hash table (immutable once loaded), without
// a lock: O(1), a few nanoseconds.
//
// Thread safety: module and symbol are values; copies may be used and
// destroyed on any thread (the count is atomic).
#ifndef VITTE_LOADER_SYMBOL_HPP
#define VITTE_LOADER_SYMBOL_HPP

#include <vitte/loader/plugin.h>
#include <vitte/base.hpp>
#include <vitte/detail/atomic.hpp>
#include <vitte/loader/detail/type_signature.hpp>  // signature_hash
#include <vitte/loader/module.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>  // std::memcpy
#include <string_view>
#include <type_traits>
#include <utility>  // std::exchange
#include <vector>

namespace vitte::loader {

namespace detail {

/// Hash of a symbol name for the export tables: 8 bytes per step.
inline std::uint64_t name_hash(std::string_view s) noexcept {
  constexpr std::uint64_t k = 0x9fb21c651e98df25ull;
  std::uint64_t h = 0x2d358dccaa6c78a5ull ^ s.size();
  const char* p = s.data();
  std::size_t n = s.size();
  while (n >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * k;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  if (n != 0) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = (h ^ w) * k;
    h ^= h >> 29;
  }
  return h * k;
}

/// One export of a loaded module: its metadata and its address.
struct export_entry {
  std::string_view name;  // into the module's module_info
  std::uint64_t hash = 0;
  std::uint64_t signature = 0;
  std::uint32_t version = 0;
  export_kind kind = export_kind::function;
  void* address = nullptr;
};

/// A module's exports by (name, version): open addressing, power-of-two
/// capacity at most half full. Built once, then read without locks.
class export_table {
 public:
  /// Builds the table over `info`'s exports with `addresses` (in the same order).
  void build(const module_info& info, void* const* addresses) {
    entries_.clear();
    entries_.reserve(info.exports.size());
    for (std::size_t i = 0; i < info.exports.size(); ++i) {
      const export_info& e = info.exports[i];
      entries_.push_back(export_entry{e.name, name_hash(e.name), e.signature, e.version, e.kind,
                                      addresses != nullptr ? addresses[i] : nullptr});
    }
    std::size_t cap = 8;
    while (cap < 2 * entries_.size()) cap *= 2;
    slots_.assign(cap, 0);
    mask_ = cap - 1;
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      std::size_t s = static_cast<std::size_t>(entries_[i].hash) & mask_;
      while (slots_[s] != 0) s = (s + 1) & mask_;
      slots_[s] = static_cast<std::uint32_t>(i + 1);
    }
  }

  /// The export called `name` at `version`, or the highest version when
  /// version is 0; nullptr when there is none.
  const export_entry* find(std::string_view name, std::uint32_t version = 0) const noexcept {
    if (slots_.empty()) return nullptr;
    const std::uint64_t h = name_hash(name);
    const export_entry* best = nullptr;
    for (std::size_t s = static_cast<std::size_t>(h) & mask_; slots_[s] != 0; s = (s + 1) & mask_) {
      const export_entry& e = entries_[slots_[s] - 1];
      if (e.hash != h || e.name != name) continue;
      if (e.version == version) return &e;
      if (version == 0 && (best == nullptr || e.version > best->version)) best = &e;
    }
    return best;
  }

  const std::vector<export_entry>& entries() const noexcept { return entries_; }

 private:
  std::vector<export_entry> entries_;
  std::vector<std::uint32_t> slots_;  // index + 1; 0 is empty
  std::size_t mask_ = 0;
};

/// What handles point at: the loader-independent part of a loaded module.
/// The loader derives its own record from it.
struct module_core {
  vitte::detail::atomic<std::uint32_t> refs{0};
  void (*last_release)(module_core*) noexcept = nullptr;  // the loader's: unloads
  module_info info;
  const vitte_plugin_descriptor* descriptor = nullptr;
  export_table exports;

  void acquire() noexcept { refs.fetch_add(1, vitte::detail::relaxed); }
  /// Drops a reference. The last one is dropped by the loader under its
  /// lock (last_release), where lookups revive modules: a reference that
  /// reached zero outside the lock could be revived, dropped and the module
  /// freed by another thread before this one looked at it again.
  void release() noexcept {
    std::uint32_t n = refs.load(vitte::detail::relaxed);
    while (n > 1)
      if (refs.compare_exchange_weak(n, n - 1, vitte::detail::acq_rel, vitte::detail::relaxed)) return;
    last_release(this);
  }
};

/// A counted reference to a module_core (the common part of module and symbol).
class core_ref {
 public:
  constexpr core_ref() noexcept = default;
  /// Adopts one reference already taken.
  static core_ref adopt(module_core* c) noexcept {
    core_ref r;
    r.p_ = c;
    return r;
  }
  core_ref(const core_ref& o) noexcept : p_(o.p_) {
    if (p_ != nullptr) p_->acquire();
  }
  core_ref(core_ref&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  core_ref& operator=(core_ref o) noexcept {
    std::swap(p_, o.p_);
    return *this;
  }
  ~core_ref() {
    if (p_ != nullptr) p_->release();
  }
  module_core* get() const noexcept { return p_; }
  void reset() noexcept { core_ref().swap(*this); }
  void swap(core_ref& o) noexcept { std::swap(p_, o.p_); }

 private:
  module_core* p_ = nullptr;
};

template <class T>
constexpr export_kind kind_of() noexcept {
  return std::is_function_v<T> ? export_kind::function : export_kind::object;
}

}  // namespace detail

/// A typed handle to an export: calls it (functions) or reaches it
/// (objects), and keeps its module loaded. Copyable; empty when default
/// constructed.
template <class T>
class symbol {
 public:
  using pointer = std::add_pointer_t<T>;

  constexpr symbol() noexcept = default;
  symbol(pointer p, detail::core_ref owner) noexcept : p_(p), owner_(static_cast<detail::core_ref&&>(owner)) {}

  /// Calls the function (T a function type).
  template <class... A>
  decltype(auto) operator()(A&&... a) const requires std::is_function_v<T> {
    return p_(static_cast<A&&>(a)...);
  }
  /// The object (T an object type).
  T& operator*() const noexcept requires(!std::is_function_v<T>) { return *p_; }
  T* operator->() const noexcept requires(!std::is_function_v<T>) { return p_; }
  /// The raw pointer: valid only while this handle (or another reference
  /// to the module) lives. The explicit way out of the lifetime guard.
  pointer raw() const noexcept { return p_; }
  explicit operator bool() const noexcept { return p_ != nullptr; }
  /// Name of the module it comes from.
  std::string_view module_name() const noexcept {
    return owner_.get() != nullptr ? std::string_view(owner_.get()->info.id.name) : std::string_view();
  }

 private:
  pointer p_ = nullptr;
  detail::core_ref owner_;
};

/// A loaded module: a counted reference to it. Copyable; empty when default
/// constructed. See the header.
class module {
 public:
  constexpr module() noexcept = default;
  explicit module(detail::core_ref r) noexcept : ref_(static_cast<detail::core_ref&&>(r)) {}

  explicit operator bool() const noexcept { return ref_.get() != nullptr; }
  /// What the module declared (identity, exports, imports, dependencies, source).
  const module_info& info() const noexcept { return ref_.get()->info; }
  const std::string& name() const noexcept { return ref_.get()->info.id.name; }
  const std::string& version() const noexcept { return ref_.get()->info.id.version; }
  /// The plugin's descriptor (allocation functions, hooks), as loaded.
  const vitte_plugin_descriptor& descriptor() const noexcept { return *ref_.get()->descriptor; }

  /// The export `name` (version 0: the highest) as a `symbol<T>`. Errors
  /// (module_link): not_found; verification_failed when its kind or
  /// signature hash is not T's.
  template <class T>
  result<symbol<T>> find(std::string_view name, std::uint32_t version = 0) const noexcept {
    const detail::export_entry* e = ref_.get()->exports.find(name, version);
    if (e == nullptr) return error{errc::not_found, operation::module_link};
    if (e->kind != detail::kind_of<T>() || e->signature != signature_hash<std::remove_cv_t<T>>)
      return error{errc::verification_failed, operation::module_link};
    using pointer = typename symbol<T>::pointer;
    pointer p;
    if constexpr (std::is_function_v<T>)
      p = reinterpret_cast<pointer>(reinterpret_cast<std::uintptr_t>(e->address));
    else
      p = static_cast<pointer>(e->address);
    return symbol<T>(p, ref_);
  }
  /// The address of export `name` without type check or lifetime guard;
  /// nullptr when absent.
  void* find_raw(std::string_view name, std::uint32_t version = 0) const noexcept {
    const detail::export_entry* e = ref_.get()->exports.find(name, version);
    return e != nullptr ? e->address : nullptr;
  }
  /// How many references exist (handles, symbols, dependents); a snapshot.
  std::uint32_t use_count() const noexcept { return ref_.get()->refs.load(vitte::detail::relaxed); }
  /// Drops this reference now.
  void reset() noexcept { ref_.reset(); }

  friend bool operator==(const module& a, const module& b) noexcept { return a.ref_.get() == b.ref_.get(); }

  /// The loader's record (for the loader).
  detail::module_core* core() const noexcept { return ref_.get(); }

 private:
  detail::core_ref ref_;
};

}  // namespace vitte::loader

#endif  // VITTE_LOADER_SYMBOL_HPP
