// vitte/loader/symbol.hpp - loaded modules as values, their export tables,
// and typed symbol handles that keep their module alive.
//
//   vitte::loader::module m = loader.load("calc").value();
//   auto twice = m.find<int(int)>("twice_square").value();   // symbol<int(int)>
//   int y = twice(21);                                       // a plain indirect call
//   int (*raw)(int) = twice.raw();                           // explicit escape: no lifetime guard
//   auto counter = m.find<int>("counter", 2).value();        // symbol<int>: an object
//   *counter += 1;
//   auto fast = m.borrow<int(int)>("twice_square").value();  // borrowed: valid while m lives
//
// A `module` and every `symbol<T>` taken from it hold a reference on the
// loaded module: it stays loaded (and its code mapped) while any of them
// exists. When the last reference goes, the loader runs the module's fini
// and unloads it (vitte/loader/loader.hpp says when it is unmapped).
// find() checks the export's kind and signature hash against T: asking for
// int(int) an export declared as int(double) is errc::verification_failed.
// Lookups use the module's own hash table (immutable once loaded), without
// a lock: O(1), a few nanoseconds. find() takes a reference for the handle
// (two atomic operations over the handle's life); borrow() returns a
// borrowed_symbol<T> under the caller's reference to the module, with none,
// and symbol_name constants skip hashing the name.
//
// Thread safety: module and symbol are values; copies may be used and
// destroyed on any thread (the count is atomic).
#ifndef VITTE_LOADER_SYMBOL_HPP
#define VITTE_LOADER_SYMBOL_HPP

#include <vitte/base.hpp>
#include <vitte/base/detail/atomic.hpp>
#include <vitte/base/detail/endian.hpp>            // name comparison loads
#include <vitte/base/detail/hash.hpp>              // name_hash
#include <vitte/loader/detail/cell_call.hpp>       // thunks into foreign exports
#include <vitte/loader/detail/type_signature.hpp>  // signature_hash
#include <vitte/loader/module.hpp>
#include <vitte/loader/operations.hpp>
#include <vitte/loader/plugin.h>

#include <cstddef>
#include <cstdint>
#include <cstring>  // std::memcpy
#include <memory>   // the thunk cache
#include <type_traits>
#include <utility>  // std::exchange

namespace vitte::loader {

namespace detail {

/// The export tables' name hash (vitte/base/detail/hash.hpp).
using vitte::detail::name_hash;

/// Where an export is, as its module's backend gives it: a native address
/// (with, for a function, the cell call other kinds of module reach it
/// through, when its type allows one), or a foreign function (a
/// WebAssembly export): `address` is then only the target of `call`, and
/// native code calls it through a thunk.
struct export_address {
  void* address = nullptr;
  vitte_cell_call call = nullptr;
  bool foreign = false;
};

/// Whether the n bytes at a and b are equal, for n <= 16: at most two
/// overlapping loads from each side (reads no byte outside either range).
inline bool equal_short(const char* a, const char* b, std::size_t n) noexcept {
  if (n >= 8) {
    using vitte::detail::load_le;
    return ((load_le<std::uint64_t>(a) ^ load_le<std::uint64_t>(b)) |
            (load_le<std::uint64_t>(a + n - 8) ^ load_le<std::uint64_t>(b + n - 8))) == 0;
  }
  if (n >= 4) {
    using vitte::detail::load_le;
    return ((load_le<std::uint32_t>(a) ^ load_le<std::uint32_t>(b)) |
            (load_le<std::uint32_t>(a + n - 4) ^ load_le<std::uint32_t>(b + n - 4))) == 0;
  }
  for (std::size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

/// One export of a loaded module: its metadata and its address, in one
/// cache line. A name of up to 16 bytes is kept in the entry itself, so a
/// lookup reads the slot, this line and the caller's name, nothing else.
struct alignas(64) export_entry {
  static constexpr std::size_t inline_name = 16;

  std::uint64_t hash = 0;
  std::uint64_t signature = 0;
  void* address = nullptr;
  vitte_cell_call call = nullptr;  // see export_address
  std::uint32_t version = 0;
  std::uint32_t name_size = 0;
  export_kind kind = export_kind::function;
  bool latest = true;  // the highest version of this name
  bool foreign = false;
  union {
    char bytes[inline_name];  // name_size <= inline_name
    const char* pointer;      // longer: into the module's module_info
  } name_store{};

  void set_name(text_view n) noexcept {
    name_size = static_cast<std::uint32_t>(n.size());
    if (n.size() <= inline_name)
      std::memcpy(name_store.bytes, n.data(), n.size());
    else
      name_store.pointer = n.data();
  }
  text_view name() const noexcept {
    return {name_size <= inline_name ? name_store.bytes : name_store.pointer, name_size};
  }
  bool named(text_view n) const noexcept {
    if (n.size() != name_size) return false;
    if (n.size() <= inline_name) return equal_short(name_store.bytes, n.data(), n.size());
    return std::memcmp(name_store.pointer, n.data(), n.size()) == 0;
  }
};
static_assert(sizeof(export_entry) == 64);

/// A module's exports by (name, version): open addressing, power-of-two
/// capacity at most half full. Each slot carries the upper half of its
/// entry's hash, so a probe that does not match never touches the entry;
/// the highest version of each name is marked, so a lookup stops at the
/// first match. Built once, then read without locks.
class export_table {
 public:
  export_table() = default;
  export_table(const export_table&) = delete;
  export_table& operator=(const export_table&) = delete;
  ~export_table() { drop_thunks(); }

  /// Builds the table over `info`'s exports with `addresses` (in the same order).
  void build(const module_info& info, const export_address* addresses);

  /// The export called `name` (whose name_hash is `h`) at `version`, or
  /// the highest version when version is 0; nullptr when there is none.
  const export_entry* find_hashed(text_view name, std::uint64_t h, std::uint32_t version = 0) const noexcept {
    if (slots_.empty()) return nullptr;
    const std::uint32_t tag = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t s = static_cast<std::size_t>(h) & mask_; slots_[s].index != 0; s = (s + 1) & mask_) {
      if (slots_[s].tag != tag) continue;
      const export_entry& e = entries_[slots_[s].index - 1];
      if (e.hash != h || !e.named(name)) continue;
      if (version == 0 ? e.latest : e.version == version) return &e;
    }
    return nullptr;
  }
  const export_entry* find(text_view name, std::uint32_t version = 0) const noexcept {
    return find_hashed(name, name_hash(name), version);
  }

  span<const export_entry> entries() const noexcept { return {entries_.get(), entry_count_}; }

  /// A native function of type F calling the foreign export `e` (an entry
  /// of this table), made once and kept until the table goes; null when
  /// the thunks of type F are all taken.
  template <class F>
  void* thunk(const export_entry& e) const {
    cached_thunk& c = thunks_[static_cast<std::size_t>(&e - entries_.get())];
    if (void* have = c.fn.load(vitte::detail::acquire); have != nullptr) return have;
    constexpr vitte_import_thunk maker = import_thunk_of<F>();
    void* made = maker.make(e.call, e.address);
    if (made == nullptr) return nullptr;
    void* expected = nullptr;
    if (!c.fn.compare_exchange(expected, made, vitte::detail::acq_rel, vitte::detail::acquire)) {
      maker.drop(made);  // another thread made one first
      return expected;
    }
    c.drop.store(maker.drop, vitte::detail::release);
    return made;
  }

 private:
  struct cached_thunk {
    vitte::detail::atomic<void*> fn{nullptr};
    vitte::detail::atomic<void (*)(void*)> drop{nullptr};
  };
  void drop_thunks() noexcept;

  struct slot {
    std::uint32_t index = 0;  // entry index + 1; 0 is empty
    std::uint32_t tag = 0;    // upper half of the entry's hash
  };
  std::unique_ptr<export_entry[]> entries_;  // over-aligned: not a buffer
  std::size_t entry_count_ = 0;
  std::unique_ptr<cached_thunk[]> thunks_;  // per entry: the thunk find<T>() made for a foreign one
  buffer<slot> slots_;
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

/// A symbol name with its hash computed once (at compile time for a
/// constant): lookups by symbol_name skip hashing the name.
///   static constexpr vl::symbol_name step{"step"};
///   auto f = m.borrow<void(float)>(step);
class symbol_name {
 public:
  constexpr explicit symbol_name(text_view name) noexcept : name_(name), hash_(detail::name_hash(name)) {}
  constexpr text_view view() const noexcept { return name_; }
  constexpr std::uint64_t hash() const noexcept { return hash_; }

 private:
  text_view name_;
  std::uint64_t hash_;
};

namespace detail {
/// What symbol<T> and borrowed_symbol<T> share: the typed address and its use.
template <class T>
class typed_export {
 public:
  using pointer = std::add_pointer_t<T>;

  /// Calls the function (T a function type).
  template <class... A>
  decltype(auto) operator()(A&&... a) const
    requires std::is_function_v<T>
  {
    return p_(static_cast<A&&>(a)...);
  }
  /// The object (T an object type).
  T& operator*() const noexcept
    requires(!std::is_function_v<T>)
  {
    return *p_;
  }
  T* operator->() const noexcept
    requires(!std::is_function_v<T>)
  {
    return p_;
  }
  /// The raw pointer: valid only while a reference to the module lives.
  /// The explicit way out of the lifetime guard.
  pointer raw() const noexcept { return p_; }
  explicit operator bool() const noexcept { return p_ != nullptr; }

 protected:
  constexpr typed_export() noexcept = default;
  explicit typed_export(pointer p) noexcept : p_(p) {}
  pointer p_ = nullptr;
};
}  // namespace detail

template <class T>
class symbol;

/// A typed export borrowed from a module: checked like symbol<T>, but it
/// holds no reference, so taking and dropping one costs no atomic
/// operation. It is valid only while a reference to its module lives (the
/// `module` it was borrowed from, typically): the fast way to look up many
/// symbols while holding the module. keep() turns it into an owning
/// symbol<T> (one reference).
template <class T>
class borrowed_symbol : public detail::typed_export<T> {
 public:
  using pointer = std::add_pointer_t<T>;

  constexpr borrowed_symbol() noexcept = default;
  borrowed_symbol(pointer p, detail::module_core* owner) noexcept : detail::typed_export<T>(p), owner_(owner) {}

  /// An owning handle to the same export (the module must still be alive,
  /// as for any use of a borrowed symbol).
  symbol<T> keep() const noexcept;

 private:
  detail::module_core* owner_ = nullptr;
};

/// A typed handle to an export: calls it (functions) or reaches it
/// (objects), and keeps its module loaded. Copyable; empty when default
/// constructed.
template <class T>
class symbol : public detail::typed_export<T> {
 public:
  using pointer = std::add_pointer_t<T>;

  constexpr symbol() noexcept = default;
  symbol(pointer p, detail::core_ref owner) noexcept
      : detail::typed_export<T>(p), owner_(static_cast<detail::core_ref&&>(owner)) {}

  /// Name of the module it comes from.
  text_view module_name() const noexcept {
    return owner_.get() != nullptr ? text_view(owner_.get()->info.id.name) : text_view();
  }

 private:
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
  const text& name() const noexcept { return ref_.get()->info.id.name; }
  const text& version() const noexcept { return ref_.get()->info.id.version; }
  /// The plugin's descriptor (allocation functions, hooks), as loaded.
  const vitte_plugin_descriptor& descriptor() const noexcept { return *ref_.get()->descriptor; }

  /// The export `name` (version 0: the highest) as a `symbol<T>`. Errors
  /// (module_link): not_found; verification_failed when its kind or
  /// signature hash is not T's. A foreign export (a WebAssembly function)
  /// is reached through a thunk of type T (vitte/loader/detail/cell_call.hpp):
  /// not_supported when cells cannot carry T, limit_exceeded when the 64
  /// thunks of type T in this program are taken.
  template <class T>
  VITTE_ALWAYS_INLINE result<symbol<T>> find(text_view name, std::uint32_t version = 0) const noexcept {
    return find<T>(symbol_name(name), version);
  }
  template <class T>
  VITTE_ALWAYS_INLINE result<symbol<T>> find(const symbol_name& name, std::uint32_t version = 0) const noexcept {
    const detail::export_entry* e = ref_.get()->exports.find_hashed(name.view(), name.hash(), version);
    if (VITTE_LIKELY(e != nullptr && native_match<T>(*e))) return symbol<T>(address_of<T>(*e), ref_);
    result<borrowed_symbol<T>> b = borrow_other<T>(e);
    if (!b) return b.error();
    return symbol<T>(b->raw(), ref_);
  }
  /// The export `name` as a borrowed_symbol<T>: the same checks and errors
  /// as find(), without taking a reference (no atomic operation). Valid
  /// while this module, or another reference to it, lives.
  template <class T>
  VITTE_ALWAYS_INLINE result<borrowed_symbol<T>> borrow(text_view name, std::uint32_t version = 0) const noexcept {
    return borrow<T>(symbol_name(name), version);
  }
  template <class T>
  VITTE_ALWAYS_INLINE result<borrowed_symbol<T>> borrow(const symbol_name& name,
                                                        std::uint32_t version = 0) const noexcept {
    const detail::export_entry* e = ref_.get()->exports.find_hashed(name.view(), name.hash(), version);
    if (VITTE_LIKELY(e != nullptr && native_match<T>(*e))) return borrowed_symbol<T>(address_of<T>(*e), ref_.get());
    return borrow_other<T>(e);
  }
  /// The address of export `name` without type check or lifetime guard;
  /// nullptr when absent.
  void* find_raw(text_view name, std::uint32_t version = 0) const noexcept {
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
  /// The common case, checked inline: a native export of T's kind and signature.
  template <class T>
  static bool native_match(const detail::export_entry& e) noexcept {
    return e.kind == detail::kind_of<T>() && e.signature == signature_hash<std::remove_cv_t<T>> &&
           (!std::is_function_v<T> || !e.foreign);
  }
  template <class T>
  static typename symbol<T>::pointer address_of(const detail::export_entry& e) noexcept {
    using pointer = typename symbol<T>::pointer;
    if constexpr (std::is_function_v<T>)
      return reinterpret_cast<pointer>(reinterpret_cast<std::uintptr_t>(e.address));
    else
      return static_cast<pointer>(e.address);
  }
  /// Everything else: the errors, and a foreign function reached through a thunk of type T.
  template <class T>
  result<borrowed_symbol<T>> borrow_other(const detail::export_entry* e) const noexcept {
    if (e == nullptr) return error{errc::not_found, ops::module_link};
    if (e->kind != detail::kind_of<T>() || e->signature != signature_hash<std::remove_cv_t<T>>)
      return error{errc::verification_failed, ops::module_link};
    if constexpr (!std::is_function_v<T>) {
      return borrowed_symbol<T>(address_of<T>(*e), ref_.get());
    } else if constexpr (detail::cell_callable<std::remove_cv_t<T>>) {
      void* a = ref_.get()->exports.template thunk<std::remove_cv_t<T>>(*e);
      if (a == nullptr) return error{errc::limit_exceeded, ops::module_link};
      return borrowed_symbol<T>(reinterpret_cast<typename symbol<T>::pointer>(reinterpret_cast<std::uintptr_t>(a)),
                                ref_.get());
    } else {
      return error{errc::not_supported, ops::module_link};  // cells cannot carry T
    }
  }

  detail::core_ref ref_;
};

template <class T>
symbol<T> borrowed_symbol<T>::keep() const noexcept {
  if (owner_ == nullptr) return symbol<T>();
  owner_->acquire();
  return symbol<T>(this->p_, detail::core_ref::adopt(owner_));
}

}  // namespace vitte::loader

#if VITTE_HEADER_ONLY
#include <vitte/loader/impl/symbol.ipp>
#endif

#endif  // VITTE_LOADER_SYMBOL_HPP
