// vitte/loader/plugin.hpp - declaring a vitte plugin in C++.
//
//   #include <vitte/loader/plugin.hpp>
//   namespace vl = vitte::loader;
//
//   vl::imported<int(int)> square;   // bound by the loader before init
//   int twice_square(int x) { return 2 * square(x); }
//   int counter = 0;
//
//   VITTE_PLUGIN("calc", "1.4.2",
//                vl::function<twice_square>("twice_square"),
//                vl::object<&counter>("counter"),
//                vl::import<square>("math", "square"),
//                vl::depends("math", "^1.0"),
//                vl::unload_safe);
//
// VITTE_PLUGIN (once per plugin, at namespace scope) writes:
//   - the metadata section (".vitte_plugin" on ELF, ".vitplug" on PE): a
//     relocation-free byte array computed at compile time, which the loader
//     reads from the file without loading the library;
//   - the exported descriptor `vitte_plugin_entry` (vitte/loader/plugin.h):
//     export addresses, import slots, init/fini, allocation and state hooks.
//
// Items, in any order:
//   function<f>("name", version)        export a function (signature from its
//   type) object<&o>("name", version)         export an object
//   import<slot>("module", "name", v)   import into an `imported<T>` variable;
//                                       module "host" names the host's exports
//   depends("module", "range", flags)   dependency (dependency_flags::optional,
//   lazy) unload_safe                         the plugin may be unmapped (see
//   docs/PLUGINS.md) on_init<f>() / on_fini<f>()         int f(const
//   vitte_plugin_host*) / void f() state<save, restore>() hot-reload hooks
//   (plugin.h for the types)
//
// Imports are usable from init on (the loader binds them after the library's
// static constructors ran and before init); calling one earlier calls null.
#ifndef VITTE_LOADER_PLUGIN_HPP
#define VITTE_LOADER_PLUGIN_HPP

#include <vitte/loader/detail/cell_call.hpp>       // calls from and to other kinds of module
#include <vitte/loader/detail/type_signature.hpp>  // signature_hash
#include <vitte/loader/module.hpp>                 // dependency_flags
#include <vitte/loader/plugin.h>

#include <array>    // the encoded metadata and tables
#include <cstddef>  // std::size_t
#include <cstdint>
#include <initializer_list>  // the record kinds loop
#include <new>               // the default allocation functions
#include <type_traits>

namespace vitte::loader {

/// A symbol a plugin imports: declare one at namespace scope and name it in
/// an `import<...>` item; the loader writes the address before init.
/// `imported<R(A...)>` is callable; `imported<T>` (an object) dereferences.
template <class T>
class imported {
 public:
  using type = T;
  /// True once bound (always true from init on, unless the import is of a
  /// lazy dependency that is not loaded yet).
  explicit operator bool() const noexcept { return vitte_slot_ != nullptr; }

  /// Calls the imported function.
  template <class... A>
  decltype(auto) operator()(A &&...a) const
    requires std::is_function_v<T>
  {
    return get()(static_cast<A &&>(a)...);
  }
  /// The imported object.
  T &operator*() const noexcept
    requires(!std::is_function_v<T>)
  {
    return *get();
  }
  T *operator->() const noexcept
    requires(!std::is_function_v<T>)
  {
    return get();
  }
  /// The raw pointer (function or object pointer).
  std::add_pointer_t<T> get() const noexcept {
    if constexpr (std::is_function_v<T>)
      return reinterpret_cast<std::add_pointer_t<T>>(reinterpret_cast<std::uintptr_t>(vitte_slot_));
    else
      return static_cast<T *>(vitte_slot_);
  }

  /// The slot the loader writes (public for the descriptor; not for users).
  void *vitte_slot_ = nullptr;
};

namespace detail {

/// One item of VITTE_PLUGIN, whatever it declares: every item is this one
/// literal type, so the plugin's items form one constexpr array and the
/// metadata is a loop over it (no template per item beyond the small
/// function that makes it: compile time stays linear in the item count).
struct plugin_item {
  std::uint16_t tag = 0;  ///< VITTE_RECORD_*, or 0 for flags and hooks
  std::uint32_t kind = 0;
  std::uint32_t version = 0;
  std::uint64_t signature = 0;
  const char *module = nullptr;  ///< import, dependency
  const char *name = nullptr;    ///< export, import
  const char *range = nullptr;   ///< dependency
  std::uint32_t dependency_flags = 0;
  std::uint32_t plugin_flags = 0;  ///< VITTE_PLUGIN_FLAG_* this item sets
  void *(*address)() noexcept = nullptr;
  void **slot = nullptr;
  vitte_cell_call call = nullptr;              ///< function export: its cell call
  vitte_import_thunk thunk{nullptr, nullptr};  ///< function import: its thunk maker
  int (*init)(const vitte_plugin_host *) = nullptr;
  void (*fini)() = nullptr;
  int (*save)(void **, std::size_t *) = nullptr;
  int (*restore)(const void *, std::size_t) = nullptr;
};

template <auto F>
void *function_address() noexcept {
  return reinterpret_cast<void *>(reinterpret_cast<std::uintptr_t>(F));
}
template <auto P>
void *object_address() noexcept {
  return const_cast<void *>(static_cast<const volatile void *>(P));
}

}  // namespace detail

/// Item: export function F under `name`.
template <auto F>
  requires std::is_function_v<std::remove_pointer_t<decltype(F)>>
constexpr detail::plugin_item function(const char *name, std::uint32_t version = 1) noexcept {
  detail::plugin_item i;
  i.tag = VITTE_RECORD_EXPORT;
  i.kind = VITTE_EXPORT_FUNCTION;
  i.version = version;
  i.signature = signature_hash<std::remove_pointer_t<decltype(F)>>;
  i.name = name;
  i.address = &detail::function_address<F>;
  i.call = detail::cell_call_of<std::remove_pointer_t<decltype(F)>>();
  return i;
}

/// Item: export the object at P under `name`.
template <auto P>
  requires std::is_pointer_v<decltype(P)>
constexpr detail::plugin_item object(const char *name, std::uint32_t version = 1) noexcept {
  detail::plugin_item i;
  i.tag = VITTE_RECORD_EXPORT;
  i.kind = VITTE_EXPORT_OBJECT;
  i.version = version;
  i.signature = signature_hash<std::remove_cv_t<std::remove_pointer_t<decltype(P)>>>;
  i.name = name;
  i.address = &detail::object_address<P>;
  return i;
}

/// Item: import (module, name, version) into the `imported<T>` variable S.
template <auto &S>
constexpr detail::plugin_item import(const char *module, const char *name, std::uint32_t version = 1) noexcept {
  using T = typename std::remove_cvref_t<decltype(S)>::type;
  detail::plugin_item i;
  i.tag = VITTE_RECORD_IMPORT;
  i.kind = std::is_function_v<T> ? VITTE_EXPORT_FUNCTION : VITTE_EXPORT_OBJECT;
  i.version = version;
  i.signature = signature_hash<std::remove_cv_t<T>>;
  i.module = module;
  i.name = name;
  i.slot = &S.vitte_slot_;
  if constexpr (std::is_function_v<T>) i.thunk = detail::import_thunk_of<T>();
  return i;
}

/// Item: a dependency on `module` in the semver `range`.
constexpr detail::plugin_item depends(const char *module, const char *range = "*",
                                      dependency_flags flags = dependency_flags::none) noexcept {
  detail::plugin_item i;
  i.tag = VITTE_RECORD_DEPENDENCY;
  i.module = module;
  i.range = range;
  i.dependency_flags = static_cast<std::uint32_t>(flags);
  return i;
}

/// Item: the plugin may be unmapped when unloaded.
inline constexpr detail::plugin_item unload_safe = [] {
  detail::plugin_item i;
  i.plugin_flags = VITTE_PLUGIN_FLAG_UNLOAD_SAFE;
  return i;
}();

/// Item: init and fini entry points.
template <int (*F)(const vitte_plugin_host *)>
constexpr detail::plugin_item on_init() noexcept {
  detail::plugin_item i;
  i.init = F;
  return i;
}
template <void (*F)()>
constexpr detail::plugin_item on_fini() noexcept {
  detail::plugin_item i;
  i.fini = F;
  return i;
}

/// Item: hot-reload state hooks.
template <int (*Save)(void **, std::size_t *), int (*Restore)(const void *, std::size_t)>
constexpr detail::plugin_item state() noexcept {
  detail::plugin_item i;
  i.plugin_flags = VITTE_PLUGIN_FLAG_STATE;
  i.save = Save;
  i.restore = Restore;
  return i;
}

namespace detail {

constexpr std::size_t cstr_size(const char *s) noexcept {  // with the NUL
  std::size_t n = 0;
  while (s[n] != '\0') ++n;
  return n + 1;
}
constexpr std::size_t align8(std::size_t n) noexcept { return (n + 7) & ~std::size_t{7}; }

constexpr std::size_t record_size(const plugin_item &i) noexcept {
  if (i.tag == VITTE_RECORD_EXPORT) return 24 + cstr_size(i.name);
  if (i.tag == VITTE_RECORD_IMPORT) return 24 + cstr_size(i.module) + cstr_size(i.name);
  if (i.tag == VITTE_RECORD_DEPENDENCY) return 16 + cstr_size(i.module) + cstr_size(i.range);
  return 0;
}

/// What the descriptor needs from the items: sizes, counts, flags, hooks.
struct plugin_summary {
  std::size_t size = 0;  ///< of the encoded metadata
  std::size_t exports = 0, imports = 0, dependencies = 0;
  std::uint32_t flags = VITTE_PLUGIN_DEBUG_FLAG;
  int (*init)(const vitte_plugin_host *) = nullptr;
  void (*fini)() = nullptr;
  int (*save)(void **, std::size_t *) = nullptr;
  int (*restore)(const void *, std::size_t) = nullptr;
};

template <std::size_t M>
constexpr plugin_summary summarize(const char *name, const char *version, const plugin_item (&items)[M]) noexcept {
  plugin_summary s;
  s.size = 32 + align8(cstr_size(name) + cstr_size(version));
  for (const plugin_item &i : items) {
    s.size += align8(record_size(i));
    s.exports += i.tag == VITTE_RECORD_EXPORT;
    s.imports += i.tag == VITTE_RECORD_IMPORT;
    s.dependencies += i.tag == VITTE_RECORD_DEPENDENCY;
    s.flags |= i.plugin_flags;
    if (i.init != nullptr) s.init = i.init;
    if (i.fini != nullptr) s.fini = i.fini;
    if (i.save != nullptr) s.save = i.save;
    if (i.restore != nullptr) s.restore = i.restore;
  }
  return s;
}

// Writes integers in this target's byte order (the file's).
template <std::size_t N>
struct writer {
  std::array<unsigned char, N> out{};
  std::size_t at = 0;
  constexpr void put(std::uint64_t v, std::size_t bytes) noexcept {
    for (std::size_t i = 0; i < bytes; ++i) {
      std::size_t shift = host_byte_order == byte_order::little ? i : bytes - 1 - i;
      out[at + i] = static_cast<unsigned char>(v >> (8 * shift));
    }
    at += bytes;
  }
  constexpr void put_string(const char *s) noexcept {
    for (std::size_t i = 0; s[i] != '\0'; ++i) out[at++] = static_cast<unsigned char>(s[i]);
    out[at++] = 0;
  }
  constexpr void pad() noexcept { at = align8(at); }
};

/// The section's bytes (N = summarize().size). Records are grouped:
/// exports, imports, dependencies, each in declaration order.
template <std::size_t N, std::size_t M>
constexpr std::array<unsigned char, N> encode(const char *name, const char *version, std::uint32_t flags,
                                              const plugin_item (&items)[M]) noexcept {
  writer<N> w;
  const char magic[8] = {'V', 'I', 'T', 'P', 'L', 'U', 'G', '\0'};
  for (char c : magic) w.out[w.at++] = static_cast<unsigned char>(c);
  std::size_t records = 0;
  for (const plugin_item &i : items) records += i.tag != 0;
  w.put(VITTE_PLUGIN_FORMAT_VERSION, 2);
  w.put(VITTE_PLUGIN_ABI_MAJOR, 2);
  w.put(VITTE_PLUGIN_ABI_MINOR, 2);
  w.put(VITTE_PLUGIN_ARCH, 2);
  w.put(flags, 4);
  w.put(N, 4);
  w.put(records, 4);
  w.put(32, 2);
  w.put(32 + cstr_size(name), 2);
  w.put_string(name);
  w.put_string(version);
  w.pad();
  for (std::uint16_t tag : {VITTE_RECORD_EXPORT, VITTE_RECORD_IMPORT, VITTE_RECORD_DEPENDENCY}) {
    for (const plugin_item &i : items) {
      if (i.tag != tag) continue;
      w.put(tag, 2);
      w.put(0, 2);
      w.put(record_size(i), 4);
      if (tag == VITTE_RECORD_DEPENDENCY) {
        w.put(i.dependency_flags, 4);
        w.put(0, 4);
        w.put_string(i.module);
        w.put_string(i.range);
      } else {
        w.put(i.kind, 4);
        w.put(i.version, 4);
        w.put(i.signature, 8);
        if (tag == VITTE_RECORD_IMPORT) w.put_string(i.module);
        w.put_string(i.name);
      }
      w.pad();
    }
  }
  return w.out;
}

/// Export addresses in record order (at run time: function addresses are
/// not constants of the language).
template <std::size_t E, std::size_t M>
std::array<void *, E> export_addresses(const plugin_item (&items)[M]) noexcept {
  std::array<void *, E> out{};
  std::size_t k = 0;
  for (const plugin_item &i : items)
    if (i.tag == VITTE_RECORD_EXPORT) out[k++] = i.address();
  return out;
}
/// Cell calls of the exports, in record order (null for objects).
template <std::size_t E, std::size_t M>
constexpr std::array<vitte_cell_call, E + 1> export_calls(const plugin_item (&items)[M]) noexcept {
  std::array<vitte_cell_call, E + 1> out{};
  std::size_t k = 0;
  for (const plugin_item &i : items)
    if (i.tag == VITTE_RECORD_EXPORT) out[k++] = i.call;
  return out;
}
/// Thunk makers of the imports, in record order.
template <std::size_t I, std::size_t M>
constexpr std::array<vitte_import_thunk, I + 1> import_thunks(const plugin_item (&items)[M]) noexcept {
  std::array<vitte_import_thunk, I + 1> out{};
  std::size_t k = 0;
  for (const plugin_item &i : items)
    if (i.tag == VITTE_RECORD_IMPORT) out[k++] = i.thunk;
  return out;
}
/// Import slots in record order.
template <std::size_t I, std::size_t M>
constexpr std::array<void **, I> import_slots(const plugin_item (&items)[M]) noexcept {
  std::array<void **, I> out{};
  std::size_t k = 0;
  for (const plugin_item &i : items)
    if (i.tag == VITTE_RECORD_IMPORT) out[k++] = i.slot;
  return out;
}

// The default allocation functions: the plugin's own operator new/delete,
// so memory crosses the boundary only with its owner's functions.
inline void *default_allocate(std::size_t size, std::size_t align) noexcept {
  return ::operator new(size, std::align_val_t(align), std::nothrow);
}
inline void default_deallocate(void *p, std::size_t, std::size_t align) noexcept {
  ::operator delete(p, std::align_val_t(align), std::nothrow);
}

}  // namespace detail
}  // namespace vitte::loader

/// Declares this shared library as a vitte plugin called NAME (a string
/// literal) at VERSION (a semantic version literal), with the items listed
/// (see the header). Use once, at namespace scope, in one source file.
/// Compile time is linear in the number of items (one constexpr array of
/// items, one pass to size the metadata, one to write it).
#define VITTE_PLUGIN(NAME, VERSION, ...)                                                            \
  namespace vitte_plugin_generated_ {                                                               \
  constexpr ::vitte::loader::detail::plugin_item items[] = {                                        \
      __VA_ARGS__ __VA_OPT__(, )::vitte::loader::detail::plugin_item{}};                            \
  constexpr ::vitte::loader::detail::plugin_summary summary =                                       \
      ::vitte::loader::detail::summarize(NAME, VERSION, items);                                     \
  alignas(8) VITTE_PLUGIN_SECTION_ATTR constexpr std::array<unsigned char, summary.size> metadata = \
      ::vitte::loader::detail::encode<summary.size>(NAME, VERSION, summary.flags, items);           \
  const auto export_addresses = ::vitte::loader::detail::export_addresses<summary.exports>(items);  \
  constexpr auto import_slots = ::vitte::loader::detail::import_slots<summary.imports>(items);      \
  constexpr auto export_calls = ::vitte::loader::detail::export_calls<summary.exports>(items);      \
  constexpr auto import_thunks = ::vitte::loader::detail::import_thunks<summary.imports>(items);    \
  }                                                                                                 \
  extern "C" VITTE_PLUGIN_API const vitte_plugin_descriptor vitte_plugin_entry = {                  \
      VITTE_PLUGIN_DESCRIPTOR_MAGIC,                                                                \
      VITTE_PLUGIN_ABI_MAJOR,                                                                       \
      VITTE_PLUGIN_ABI_MINOR,                                                                       \
      static_cast<std::uint32_t>(sizeof(vitte_plugin_descriptor)),                                  \
      VITTE_PLUGIN_ARCH,                                                                            \
      static_cast<std::uint16_t>(vitte_plugin_generated_::summary.flags),                           \
      NAME,                                                                                         \
      VERSION,                                                                                      \
      vitte_plugin_generated_::metadata.data(),                                                     \
      static_cast<std::uint32_t>(vitte_plugin_generated_::metadata.size()),                         \
      static_cast<std::uint32_t>(vitte_plugin_generated_::summary.exports),                         \
      static_cast<std::uint32_t>(vitte_plugin_generated_::summary.imports),                         \
      static_cast<std::uint32_t>(vitte_plugin_generated_::summary.dependencies),                    \
      vitte_plugin_generated_::export_addresses.data(),                                             \
      vitte_plugin_generated_::import_slots.data(),                                                 \
      vitte_plugin_generated_::summary.init,                                                        \
      vitte_plugin_generated_::summary.fini,                                                        \
      &::vitte::loader::detail::default_allocate,                                                   \
      &::vitte::loader::detail::default_deallocate,                                                 \
      vitte_plugin_generated_::summary.save,                                                        \
      vitte_plugin_generated_::summary.restore,                                                     \
      vitte_plugin_generated_::export_calls.data(),                                                 \
      vitte_plugin_generated_::import_thunks.data(),                                                \
  };                                                                                                \
  static_assert(true, "VITTE_PLUGIN(...) takes a semicolon")

#endif  // VITTE_LOADER_PLUGIN_HPP
