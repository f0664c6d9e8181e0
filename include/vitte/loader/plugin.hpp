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
//   function<f>("name", version)        export a function (signature from its type)
//   object<&o>("name", version)         export an object
//   import<slot>("module", "name", v)   import into an `imported<T>` variable;
//                                       module "host" names the host's exports
//   depends("module", "range", flags)   dependency (dependency_flags::optional, lazy)
//   unload_safe                         the plugin may be unmapped (see docs/PLUGINS.md)
//   on_init<f>() / on_fini<f>()         int f(const vitte_plugin_host*) / void f()
//   state<save, restore>()              hot-reload hooks (plugin.h for the types)
//
// Imports are usable from init on (the loader binds them after the library's
// static constructors ran and before init); calling one earlier calls null.
#ifndef VITTE_LOADER_PLUGIN_HPP
#define VITTE_LOADER_PLUGIN_HPP

#include <vitte/loader/plugin.h>
#include <vitte/loader/detail/type_signature.hpp>  // signature_hash
#include <vitte/loader/module.hpp>                 // dependency_flags

#include <array>    // the encoded metadata and tables
#include <cstddef>  // std::size_t
#include <cstdint>
#include <initializer_list>  // the record kinds loop
#include <new>               // the default allocation functions
#include <string_view>
#include <type_traits>
#include <utility>  // std::index_sequence

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
  decltype(auto) operator()(A&&... a) const requires std::is_function_v<T> {
    return get()(static_cast<A&&>(a)...);
  }
  /// The imported object.
  T& operator*() const noexcept requires(!std::is_function_v<T>) { return *get(); }
  T* operator->() const noexcept requires(!std::is_function_v<T>) { return get(); }
  /// The raw pointer (function or object pointer).
  std::add_pointer_t<T> get() const noexcept {
    if constexpr (std::is_function_v<T>)
      return reinterpret_cast<std::add_pointer_t<T>>(reinterpret_cast<std::uintptr_t>(vitte_slot_));
    else
      return static_cast<T*>(vitte_slot_);
  }

  /// The slot the loader writes (public for the descriptor; not for users).
  void* vitte_slot_ = nullptr;
};

/// Item: export function F under `name`.
template <auto F>
struct function_item {
  const char* name;
  std::uint32_t version;
};
template <auto F>
requires std::is_function_v<std::remove_pointer_t<decltype(F)>>
constexpr function_item<F> function(const char* name, std::uint32_t version = 1) noexcept { return {name, version}; }

/// Item: export the object at P under `name`.
template <auto P>
struct object_item {
  const char* name;
  std::uint32_t version;
};
template <auto P>
requires std::is_pointer_v<decltype(P)>
constexpr object_item<P> object(const char* name, std::uint32_t version = 1) noexcept { return {name, version}; }

/// Item: import (module, name, version) into the `imported<T>` variable S.
template <auto& S>
struct import_item {
  const char* module;
  const char* name;
  std::uint32_t version;
};
template <auto& S>
constexpr import_item<S> import(const char* module, const char* name, std::uint32_t version = 1) noexcept {
  return {module, name, version};
}

/// Item: a dependency on `module` in the semver `range`.
struct depends_item {
  const char* module;
  const char* range;
  dependency_flags flags;
};
constexpr depends_item depends(const char* module, const char* range = "*",
                               dependency_flags flags = dependency_flags::none) noexcept {
  return {module, range, flags};
}

/// Item: the plugin may be unmapped when unloaded.
struct unload_safe_item {};
inline constexpr unload_safe_item unload_safe{};

/// Item: init and fini entry points.
template <int (*F)(const vitte_plugin_host*)>
struct init_item {};
template <int (*F)(const vitte_plugin_host*)>
constexpr init_item<F> on_init() noexcept {
  return {};
}
template <void (*F)()>
struct fini_item {};
template <void (*F)()>
constexpr fini_item<F> on_fini() noexcept {
  return {};
}

/// Item: hot-reload state hooks.
template <int (*Save)(void**, std::size_t*), int (*Restore)(const void*, std::size_t)>
struct state_item {};
template <int (*Save)(void**, std::size_t*), int (*Restore)(const void*, std::size_t)>
constexpr state_item<Save, Restore> state() noexcept {
  return {};
}

namespace detail {

constexpr std::size_t cstr_size(const char* s) noexcept {  // with the NUL
  std::size_t n = 0;
  while (s[n] != '\0') ++n;
  return n + 1;
}
constexpr std::size_t align8(std::size_t n) noexcept { return (n + 7) & ~std::size_t{7}; }

template <class I>
struct item_traits {
  static constexpr bool is_export = false, is_import = false, is_dependency = false;
  static constexpr std::size_t record_size(const I&) noexcept { return 0; }
};
template <auto F>
struct item_traits<function_item<F>> {
  static constexpr bool is_export = true, is_import = false, is_dependency = false;
  static constexpr std::uint32_t kind = VITTE_EXPORT_FUNCTION;
  static constexpr std::uint64_t signature = signature_hash<std::remove_pointer_t<decltype(F)>>;
  static constexpr std::size_t record_size(const function_item<F>& i) noexcept { return 24 + cstr_size(i.name); }
  static void* address() noexcept { return reinterpret_cast<void*>(reinterpret_cast<std::uintptr_t>(F)); }
};
template <auto P>
struct item_traits<object_item<P>> {
  static constexpr bool is_export = true, is_import = false, is_dependency = false;
  static constexpr std::uint32_t kind = VITTE_EXPORT_OBJECT;
  static constexpr std::uint64_t signature = signature_hash<std::remove_cv_t<std::remove_pointer_t<decltype(P)>>>;
  static constexpr std::size_t record_size(const object_item<P>& i) noexcept { return 24 + cstr_size(i.name); }
  static void* address() noexcept { return const_cast<void*>(static_cast<const volatile void*>(P)); }
};
template <auto& S>
struct item_traits<import_item<S>> {
  static constexpr bool is_export = false, is_import = true, is_dependency = false;
  using T = typename std::remove_cvref_t<decltype(S)>::type;
  static constexpr std::uint32_t kind = std::is_function_v<T> ? VITTE_EXPORT_FUNCTION : VITTE_EXPORT_OBJECT;
  static constexpr std::uint64_t signature = signature_hash<std::remove_cv_t<T>>;
  static constexpr std::size_t record_size(const import_item<S>& i) noexcept {
    return 24 + cstr_size(i.module) + cstr_size(i.name);
  }
  static constexpr void** slot() noexcept { return &S.vitte_slot_; }
};
template <>
struct item_traits<depends_item> {
  static constexpr bool is_export = false, is_import = false, is_dependency = true;
  static constexpr std::size_t record_size(const depends_item& i) noexcept {
    return 16 + cstr_size(i.module) + cstr_size(i.range);
  }
};

template <class I>
struct flag_of {
  static constexpr std::uint32_t value = 0;
};
template <>
struct flag_of<unload_safe_item> {
  static constexpr std::uint32_t value = VITTE_PLUGIN_FLAG_UNLOAD_SAFE;
};
template <auto S, auto R>
struct flag_of<state_item<S, R>> {
  static constexpr std::uint32_t value = VITTE_PLUGIN_FLAG_STATE;
};

template <class I>
struct hooks_of {};
template <int (*F)(const vitte_plugin_host*)>
struct hooks_of<init_item<F>> {
  static constexpr auto init = F;
};
template <void (*F)()>
struct hooks_of<fini_item<F>> {
  static constexpr auto fini = F;
};
template <auto S, auto R>
struct hooks_of<state_item<S, R>> {
  static constexpr auto save = S;
  static constexpr auto restore = R;
};

template <class T>
concept has_init = requires {
  hooks_of<T>::init;
};
template <class T>
concept has_fini = requires {
  hooks_of<T>::fini;
};
template <class T>
concept has_state = requires {
  hooks_of<T>::save;
};

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
  constexpr void put_string(const char* s) noexcept {
    for (std::size_t i = 0; s[i] != '\0'; ++i) out[at++] = static_cast<unsigned char>(s[i]);
    out[at++] = 0;
  }
  constexpr void pad() noexcept { at = align8(at); }
};

template <std::size_t K, class T>
struct leaf {
  T value;
};
template <class Seq, class... I>
struct item_list;
template <std::size_t... K, class... I>
struct item_list<std::index_sequence<K...>, I...> : leaf<K, I>... {
  constexpr explicit item_list(I... i) : leaf<K, I>{i}... {}
  /// Calls f on every item, in order.
  template <class F>
  constexpr void each(F&& f) const {
    (f(static_cast<const leaf<K, I>&>(*this).value), ...);
  }
};

/// What VITTE_PLUGIN collects: name, version and the items.
template <class... I>
struct plugin_def {
  using storage = item_list<std::index_sequence_for<I...>, I...>;
  const char* name;
  const char* version;
  storage items;

  static constexpr std::size_t export_count = (0 + ... + (item_traits<I>::is_export ? 1 : 0));
  static constexpr std::size_t import_count = (0 + ... + (item_traits<I>::is_import ? 1 : 0));
  static constexpr std::size_t dependency_count = (0 + ... + (item_traits<I>::is_dependency ? 1 : 0));
  static constexpr std::uint32_t flags = (VITTE_PLUGIN_DEBUG_FLAG | ... | flag_of<I>::value);

  constexpr std::size_t encoded_size() const noexcept {
    std::size_t n = 32 + align8(cstr_size(name) + cstr_size(version));
    items.each([&](const auto& i) { n += align8(item_traits<std::remove_cvref_t<decltype(i)>>::record_size(i)); });
    return n;
  }

  template <class W, class T>
  static constexpr void encode_one(W& w, const T& i, std::uint32_t tag) noexcept {
    using tr = item_traits<T>;
    if constexpr (tr::is_export || tr::is_import || tr::is_dependency) {
      if (tag == VITTE_RECORD_EXPORT && !tr::is_export) return;
      if (tag == VITTE_RECORD_IMPORT && !tr::is_import) return;
      if (tag == VITTE_RECORD_DEPENDENCY && !tr::is_dependency) return;
      w.put(tag, 2);
      w.put(0, 2);
      w.put(tr::record_size(i), 4);
      if constexpr (tr::is_dependency) {
        w.put(static_cast<std::uint32_t>(i.flags), 4);
        w.put(0, 4);
        w.put_string(i.module);
        w.put_string(i.range);
      } else {
        w.put(tr::kind, 4);
        w.put(i.version, 4);
        w.put(tr::signature, 8);
        if constexpr (tr::is_import) w.put_string(i.module);
        w.put_string(i.name);
      }
      w.pad();
    }
  }

  /// The section's bytes (N = encoded_size()). Records are grouped: exports,
  /// imports, dependencies, each in declaration order.
  template <std::size_t N>
  constexpr std::array<unsigned char, N> encode() const noexcept {
    writer<N> w;
    const char magic[8] = {'V', 'I', 'T', 'P', 'L', 'U', 'G', '\0'};
    for (char c : magic) w.out[w.at++] = static_cast<unsigned char>(c);
    w.put(VITTE_PLUGIN_FORMAT_VERSION, 2);
    w.put(VITTE_PLUGIN_ABI_MAJOR, 2);
    w.put(VITTE_PLUGIN_ABI_MINOR, 2);
    w.put(VITTE_PLUGIN_ARCH, 2);
    w.put(flags, 4);
    w.put(N, 4);
    w.put(export_count + import_count + dependency_count, 4);
    w.put(32, 2);
    w.put(32 + cstr_size(name), 2);
    w.put_string(name);
    w.put_string(version);
    w.pad();
    for (std::uint32_t tag : {VITTE_RECORD_EXPORT, VITTE_RECORD_IMPORT, VITTE_RECORD_DEPENDENCY})
      items.each([&](const auto& i) { encode_one(w, i, tag); });
    return w.out;
  }

  /// Export addresses in record order (not constexpr: function addresses
  /// become integers).
  std::array<void*, export_count> export_addresses() const noexcept {
    std::array<void*, export_count> out{};
    std::size_t k = 0;
    auto one = [&]<class T>(const T*) {
      if constexpr (item_traits<T>::is_export) out[k++] = item_traits<T>::address();
    };
    (one(static_cast<const I*>(nullptr)), ...);
    return out;
  }
  /// Import slots in record order.
  static constexpr std::array<void**, import_count> import_slots() noexcept {
    std::array<void**, import_count> out{};
    std::size_t k = 0;
    auto one = [&]<class T>(const T*) {
      if constexpr (item_traits<T>::is_import) out[k++] = item_traits<T>::slot();
    };
    (one(static_cast<const I*>(nullptr)), ...);
    return out;
  }

  static constexpr auto init() noexcept {
    int (*f)(const vitte_plugin_host*) = nullptr;
    ((f = pick_init<I>(f)), ...);
    return f;
  }
  static constexpr auto fini() noexcept {
    void (*f)() = nullptr;
    ((f = pick_fini<I>(f)), ...);
    return f;
  }
  static constexpr auto save() noexcept {
    int (*f)(void**, std::size_t*) = nullptr;
    ((f = pick_save<I>(f)), ...);
    return f;
  }
  static constexpr auto restore() noexcept {
    int (*f)(const void*, std::size_t) = nullptr;
    ((f = pick_restore<I>(f)), ...);
    return f;
  }

 private:
  template <class T, class F>
  static constexpr F pick_init(F f) noexcept {
    if constexpr (has_init<T>) return hooks_of<T>::init;
    return f;
  }
  template <class T, class F>
  static constexpr F pick_fini(F f) noexcept {
    if constexpr (has_fini<T>) return hooks_of<T>::fini;
    return f;
  }
  template <class T, class F>
  static constexpr F pick_save(F f) noexcept {
    if constexpr (has_state<T>) return hooks_of<T>::save;
    return f;
  }
  template <class T, class F>
  static constexpr F pick_restore(F f) noexcept {
    if constexpr (has_state<T>) return hooks_of<T>::restore;
    return f;
  }
};

template <class... I>
constexpr plugin_def<I...> make_plugin(const char* name, const char* version, I... items) noexcept {
  return plugin_def<I...>{name, version, typename plugin_def<I...>::storage(items...)};
}

// The default allocation functions: the plugin's own operator new/delete,
// so memory crosses the boundary only with its owner's functions.
inline void* default_allocate(std::size_t size, std::size_t align) noexcept {
  return ::operator new(size, std::align_val_t(align), std::nothrow);
}
inline void default_deallocate(void* p, std::size_t, std::size_t align) noexcept {
  ::operator delete(p, std::align_val_t(align), std::nothrow);
}

}  // namespace detail
}  // namespace vitte::loader

/// Declares this shared library as a vitte plugin called NAME (a string
/// literal) at VERSION (a semantic version literal), with the items listed
/// (see the header). Use once, at namespace scope, in one source file.
#define VITTE_PLUGIN(NAME, VERSION, ...)                                                                         \
  namespace vitte_plugin_generated_ {                                                                            \
  constexpr auto def() noexcept {                                                                                \
    return ::vitte::loader::detail::make_plugin(NAME, VERSION __VA_OPT__(, ) __VA_ARGS__);                       \
  }                                                                                                              \
  using def_type = decltype(def());                                                                              \
  alignas(8) VITTE_PLUGIN_SECTION_ATTR                                                                           \
      constexpr std::array<unsigned char, def().encoded_size()> metadata = def().encode<def().encoded_size()>(); \
  const auto export_addresses = def().export_addresses();                                                        \
  constexpr auto import_slots = def_type::import_slots();                                                        \
  }                                                                                                              \
  extern "C" VITTE_PLUGIN_API const vitte_plugin_descriptor vitte_plugin_entry = {                               \
      VITTE_PLUGIN_DESCRIPTOR_MAGIC,                                                                             \
      VITTE_PLUGIN_ABI_MAJOR,                                                                                    \
      VITTE_PLUGIN_ABI_MINOR,                                                                                    \
      static_cast<std::uint32_t>(sizeof(vitte_plugin_descriptor)),                                               \
      VITTE_PLUGIN_ARCH,                                                                                         \
      static_cast<std::uint16_t>(vitte_plugin_generated_::def_type::flags),                                      \
      NAME,                                                                                                      \
      VERSION,                                                                                                   \
      vitte_plugin_generated_::metadata.data(),                                                                  \
      static_cast<std::uint32_t>(vitte_plugin_generated_::metadata.size()),                                      \
      static_cast<std::uint32_t>(vitte_plugin_generated_::def_type::export_count),                               \
      static_cast<std::uint32_t>(vitte_plugin_generated_::def_type::import_count),                               \
      static_cast<std::uint32_t>(vitte_plugin_generated_::def_type::dependency_count),                           \
      vitte_plugin_generated_::export_addresses.data(),                                                          \
      vitte_plugin_generated_::import_slots.data(),                                                              \
      vitte_plugin_generated_::def_type::init(),                                                                 \
      vitte_plugin_generated_::def_type::fini(),                                                                 \
      &::vitte::loader::detail::default_allocate,                                                                \
      &::vitte::loader::detail::default_deallocate,                                                              \
      vitte_plugin_generated_::def_type::save(),                                                                 \
      vitte_plugin_generated_::def_type::restore(),                                                              \
  };                                                                                                             \
  static_assert(true, "VITTE_PLUGIN(...) takes a semicolon")

#endif  // VITTE_LOADER_PLUGIN_HPP
