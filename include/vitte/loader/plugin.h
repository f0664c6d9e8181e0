/* vitte/loader/plugin.h - the C ABI of a vitte native plugin (.vitplug).
 *
 * A vitte plugin is an ordinary shared library (ELF .so, PE .dll) that
 * carries two things (docs/formats/vitplug.md):
 *
 *   1. Its metadata, in a section of its own (ELF ".vitte_plugin", PE
 *      ".vitplug"): a self-contained, relocation-free encoding (offsets, not
 *      pointers) of its name, version, ABI, architecture, exports, imports
 *      and dependencies. The loader reads it from the file, without loading
 *      the library and without running any of its code.
 *   2. A descriptor, the exported data symbol `vitte_plugin_entry`
 *      (struct vitte_plugin_descriptor below): the same metadata's address,
 *      plus what only exists once the library is loaded: the addresses of
 *      its exports, the slots its imports are bound into, init/fini, the
 *      allocation functions for objects that cross the boundary, and the
 *      state hooks of hot reload.
 *
 * C++ authors use <vitte/loader/plugin.hpp>, which writes both from one
 * VITTE_PLUGIN(...) line. C authors use VITTE_C_PLUGIN_DEFINE at the end of
 * this file (exports, imports, dependencies, init and fini):
 *
 *   #include <vitte/loader/plugin.h>
 *   static int add(int a, int b) { return a + b; }
 *
 *   #define GREETER_EXPORTS(X) X(FUNCTION, add, VITTE_SIGNATURE("FI4I4I4E"), 1)
 *   VITTE_C_PLUGIN_DEFINE("greeter", "1.2.0", VITTE_PLUGIN_FLAG_UNLOAD_SAFE,
 *                         GREETER_EXPORTS, VITTE_C_NONE, VITTE_C_NONE, 0, 0);
 *
 * The header is C99 (variadic macros, <stdint.h>) and valid C++. */
#ifndef VITTE_LOADER_PLUGIN_H
#define VITTE_LOADER_PLUGIN_H

#include <vitte/machine/arch.h> /* VITTE_ARCH_* codes, VITTE_HOST_ARCH */

#include <stddef.h> /* size_t */
#include <stdint.h> /* fixed-width fields */

/* ------------------------------------------------------------------------
 * Versions and constants */

/** The plugin ABI this header describes. A loader refuses plugins of
 *  another major version, and plugins of a newer minor version than its own. */
#define VITTE_PLUGIN_ABI_MAJOR 1
#define VITTE_PLUGIN_ABI_MINOR 0

/** The descriptor's magic: "VPLG" read as a little-endian 32-bit word. */
#define VITTE_PLUGIN_DESCRIPTOR_MAGIC 0x474C5056u

/** Version of the section encoding (docs/formats/vitplug.md). */
#define VITTE_PLUGIN_FORMAT_VERSION 1

/** The section that holds the metadata. PE section names have 8 bytes;
 *  Mach-O names a segment and a section of up to 16 bytes each. */
#define VITTE_PLUGIN_ELF_SECTION ".vitte_plugin"
#define VITTE_PLUGIN_PE_SECTION ".vitplug"
#define VITTE_PLUGIN_MACHO_SEGMENT "__DATA"
#define VITTE_PLUGIN_MACHO_SECTION "__vitplug"

/** The exported data symbol holding the descriptor. */
#define VITTE_PLUGIN_DESCRIPTOR_SYMBOL "vitte_plugin_entry"

/** Plugin flags (header and descriptor). */
#define VITTE_PLUGIN_FLAG_DEBUG 0x1u       /**< built without optimisation / with assertions */
#define VITTE_PLUGIN_FLAG_UNLOAD_SAFE 0x2u /**< may be unmapped when its last user is gone */
#define VITTE_PLUGIN_FLAG_STATE 0x4u       /**< has save_state/restore_state hooks */

/** Alignment of the state bytes save_state allocates (with the plugin's
 *  allocate) and the host frees (with its deallocate). */
#define VITTE_PLUGIN_STATE_ALIGN 16u

/** Kinds of exports and imports. */
#define VITTE_EXPORT_FUNCTION 1u
#define VITTE_EXPORT_OBJECT 2u

/** Dependency flags. */
#define VITTE_DEPENDENCY_OPTIONAL 0x1u /**< load when found; absence is not an error */
#define VITTE_DEPENDENCY_LAZY 0x2u     /**< resolved and loaded on first use, not at load */

/** Record tags of the section encoding. */
#define VITTE_RECORD_EXPORT 1u
#define VITTE_RECORD_IMPORT 2u
#define VITTE_RECORD_DEPENDENCY 3u

/** The architecture this translation unit is compiled for (a VITTE_ARCH_* code, the `arch` fields). */
#define VITTE_PLUGIN_ARCH VITTE_HOST_ARCH

#if defined(NDEBUG) && !defined(VITTE_PLUGIN_DEBUG)
#define VITTE_PLUGIN_DEBUG_FLAG 0u
#else
#define VITTE_PLUGIN_DEBUG_FLAG VITTE_PLUGIN_FLAG_DEBUG
#endif

/* ------------------------------------------------------------------------
 * The section encoding, as C structs. Integers are in the byte order of the
 * object file; every record starts on an 8-byte boundary. */

/** The section header (32 bytes). `total_size` covers the header and every
 *  record; `record_count` counts the records. Name and version follow the
 *  header as two NUL-terminated strings, at `name_offset` and
 *  `version_offset` from the start of the header. */
typedef struct vitte_plugin_section_header {
  char magic[8]; /**< "VITPLUG\0" */
  uint16_t format_version;
  uint16_t abi_major;
  uint16_t abi_minor;
  uint16_t arch;
  uint32_t flags;
  uint32_t total_size;
  uint32_t record_count;
  uint16_t name_offset;
  uint16_t version_offset;
} vitte_plugin_section_header;

/** The header of every record (8 bytes): its tag and its size in bytes
 *  (header included, padding excluded). */
typedef struct vitte_plugin_record_header {
  uint16_t tag;
  uint16_t reserved;
  uint32_t size;
} vitte_plugin_record_header;

/* ------------------------------------------------------------------------
 * The runtime descriptor */

/** What the host hands to a plugin's init. */
typedef struct vitte_plugin_host {
  uint32_t size; /**< sizeof(vitte_plugin_host) as the host knows it */
  uint32_t reserved;
  void* context; /**< the host's, passed back to the functions below */
  /** Looks up an export of an already loaded module (or the host, module
   *  "host") by name; NULL when there is none. Loads lazy dependencies. */
  void* (*lookup)(void* context, const char* module, const char* name);
  /** Writes a line to the host's log, at level VITTE_LOG_INFO. */
  void (*log)(void* context, const char* text);
  /** Writes a line to the host's log at `level` (VITTE_LOG_*). Added in ABI
   *  1.0 after `log`: a plugin built with an older header does not see it;
   *  a plugin may call it when `size` covers it (VITTE_PLUGIN_HOST_HAS_LOG_AT). */
  void (*log_at)(void* context, int level, const char* text);
} vitte_plugin_host;

/** Log levels of vitte_plugin_host::log_at. */
#define VITTE_LOG_ERROR 1
#define VITTE_LOG_WARNING 2
#define VITTE_LOG_INFO 3
#define VITTE_LOG_DEBUG 4

/** True when the host `h` offers log_at. */
#define VITTE_PLUGIN_HOST_HAS_LOG_AT(h) \
  ((h)->size >= offsetof(vitte_plugin_host, log_at) + sizeof(void (*)(void*, int, const char*)))

/** Calls across kinds of module (native code, WebAssembly, a virtual
 *  machine's functions). A cell call runs `target` with its arguments as
 *  64-bit cells and writes its result (at most one) to `results[0]`:
 *  integers, enums and bool in the low bits (the others unspecified), float
 *  and double by their bit patterns in the low bits. Returns 0, or nonzero
 *  when the callee failed (a WebAssembly trap); the result is then 0. */
typedef int (*vitte_cell_call)(void* target, const uint64_t* args, uint64_t* results);

/** What makes a native function of an import's own C type out of a cell
 *  call (the importer knows its type; the loader does not): `make` returns
 *  a function pointer that calls `call(target, ...)`, or NULL when it has no
 *  slot left; `drop` gives one back once nothing calls it any more. */
typedef struct vitte_import_thunk {
  void* (*make)(vitte_cell_call call, void* target);
  void (*drop)(void* thunk);
} vitte_import_thunk;

/** The descriptor a plugin exports as `vitte_plugin_entry`. */
typedef struct vitte_plugin_descriptor {
  uint32_t magic;     /**< VITTE_PLUGIN_DESCRIPTOR_MAGIC */
  uint16_t abi_major; /**< VITTE_PLUGIN_ABI_MAJOR */
  uint16_t abi_minor; /**< VITTE_PLUGIN_ABI_MINOR */
  uint32_t size;      /**< sizeof(vitte_plugin_descriptor) as the plugin knows it */
  uint16_t arch;      /**< VITTE_ARCH_* */
  uint16_t flags;     /**< VITTE_PLUGIN_FLAG_* */
  const char* name;
  const char* version;
  /** The metadata section's bytes, as loaded (equal to the file's). */
  const unsigned char* metadata;
  uint32_t metadata_size;
  uint32_t export_count;
  uint32_t import_count;
  uint32_t dependency_count;
  /** Addresses of the exports, in the order of the export records. */
  void* const* export_addresses;
  /** Where each import's address is written, in the order of the import
   *  records. The loader fills them before init. */
  void** const* import_slots;
  /** Called once after every import is bound; nonzero fails the load. */
  int (*init)(const vitte_plugin_host* host);
  /** Called once before the plugin is retired or unloaded. */
  void (*fini)(void);
  /** Memory for objects that cross the boundary: the host frees what the
   *  plugin allocated with the plugin's deallocate, never its own free. */
  void* (*allocate)(size_t size, size_t align);
  void (*deallocate)(void* p, size_t size, size_t align);
  /** Hot reload: the old version saves its state into memory from its
   *  allocate(size, VITTE_PLUGIN_STATE_ALIGN) (the host frees it with
   *  deallocate(data, size, VITTE_PLUGIN_STATE_ALIGN) after restore)... */
  int (*save_state)(void** data, size_t* size);
  /** ... and the new version restores from those bytes. Nonzero fails. */
  int (*restore_state)(const void* data, size_t size);
  /** Calls across kinds (present when `size` covers them; C plugins leave
   *  them NULL): for each export, a cell call of the exported function
   *  (target: its address; NULL for objects and types cells cannot carry),
   *  so WebAssembly modules and virtual machines can call it... */
  const vitte_cell_call* export_calls;
  /** ... and for each import, what makes a native function of its type
   *  from a foreign export (a WebAssembly function), so the plugin calls it
   *  like any import. */
  const vitte_import_thunk* import_thunks;
} vitte_plugin_descriptor;

/** True when the descriptor `d` carries export_calls and import_thunks. */
#define VITTE_PLUGIN_HAS_CELL_CALLS(d) ((d)->size >= sizeof(vitte_plugin_descriptor))

/* ------------------------------------------------------------------------
 * Exporting from C and C++ */

#if defined(_WIN32) || defined(__CYGWIN__)
#define VITTE_PLUGIN_API __declspec(dllexport)
#else
#define VITTE_PLUGIN_API __attribute__((visibility("default")))
#endif

#if defined(_WIN32) || defined(__CYGWIN__) || defined(__APPLE__)
#define VITTE_PLUGIN_SECTION_NAME VITTE_PLUGIN_PE_SECTION
#else
#define VITTE_PLUGIN_SECTION_NAME VITTE_PLUGIN_ELF_SECTION
#endif
#if defined(__APPLE__)
#define VITTE_PLUGIN_SECTION_ATTR \
  __attribute__((section(VITTE_PLUGIN_MACHO_SEGMENT "," VITTE_PLUGIN_MACHO_SECTION), used))
#else
#define VITTE_PLUGIN_SECTION_ATTR __attribute__((section(VITTE_PLUGIN_SECTION_NAME), used))
#endif

#ifdef __cplusplus
#define VITTE_PLUGIN_EXTERN_C extern "C"
#else
#define VITTE_PLUGIN_EXTERN_C
#endif

/* ------------------------------------------------------------------------
 * Plugins written in C
 *
 *   #include <vitte/loader/plugin.h>
 *
 *   static int (*c_value)(void);          // an import: bound before init
 *   static int calls;                     // an exported object
 *   static int twice(int x) { ++calls; return 2 * x + c_value(); }
 *   static int start(const vitte_plugin_host* host) { host->log(host->context, "ready"); return 0; }
 *
 *   #define CALC_EXPORTS(X)  X(FUNCTION, twice, VITTE_SIGNATURE("FI4I4E"), 1) \
 *                            X(OBJECT, calls, VITTE_SIGNATURE("I4"), 1)
 *   #define CALC_IMPORTS(X)  X(FUNCTION, c_value, "chain_c", "c_value", VITTE_SIGNATURE("FI4E"), 1)
 *   #define CALC_DEPENDS(X)  X("chain_c", "^1.0", 0)
 *   VITTE_C_PLUGIN_DEFINE("calc", "1.0.0", VITTE_PLUGIN_FLAG_UNLOAD_SAFE,
 *                         CALC_EXPORTS, CALC_IMPORTS, CALC_DEPENDS, start, 0);
 *
 * Each list is an X-macro (VITTE_C_NONE for an empty one):
 *   exports       X(FUNCTION | OBJECT, symbol, signature, version): exports
 *                 `symbol` under its own name;
 *   imports       X(FUNCTION | OBJECT, slot, "module", "name", signature,
 *                 version): `slot` is a pointer variable of the plugin (a
 *                 function pointer for FUNCTION, an object pointer for
 *                 OBJECT) that the loader writes before init, as
 *                 `*(void**)&slot` (the POSIX dlsym idiom); module "host"
 *                 names the host's exports;
 *   dependencies  X("module", "semver range", VITTE_DEPENDENCY_* flags).
 * init is `int f(const vitte_plugin_host*)` (nonzero fails the load), fini
 * `void f(void)`, 0 for none. VITTE_C_PLUGIN_DEFINE_ALL adds the allocation
 * functions and the hot-reload state hooks (set VITTE_PLUGIN_FLAG_STATE).
 *
 * A signature is the 64-bit hash the other side's must equal: C++ plugins
 * and hosts use vitte::loader::signature_hash<T>, the FNV-1a hash of T's
 * canonical spelling (vitte/loader/detail/type_signature.hpp), which
 * VITTE_SIGNATURE("text") computes at compile time from the spelling (up to
 * 40 characters; for hundreds of exports write the constants out):
 *   int(void) "FI4E", int(int) "FI4I4E", int(int, int) "FI4I4I4E",
 *   void(const char*) "FvPKcE", double(double) "FD8D8E", an int object "I4",
 *   int64_t "I8", uint32_t "U4", a pointer P<type>, const K<type>.
 * The lists are expanded several times: keep them free of side effects.
 * Use once per plugin, at file scope, in one source file (C99 or later, or
 * C++; GCC and Clang). */

/* FNV-1a 64 of a string literal of up to 40 characters, as a constant
 * expression (C has no constexpr functions): VITTE_SIGNATURE below. */
#define VITTE_C_FNV_STEP_(h, s, i)                                                               \
  (((h) ^ (uint64_t)((i) < sizeof(s) - 1 ? (unsigned char)(s)[(i) < sizeof(s) ? (i) : 0] : 0)) * \
   ((i) < sizeof(s) - 1 ? 0x100000001b3ull : 1ull))
#define VITTE_C_FNV4_(h, s, i) \
  VITTE_C_FNV_STEP_(VITTE_C_FNV_STEP_(VITTE_C_FNV_STEP_(VITTE_C_FNV_STEP_(h, s, i), s, i + 1), s, i + 2), s, i + 3)
#define VITTE_C_FNV16_(h, s, i) \
  VITTE_C_FNV4_(VITTE_C_FNV4_(VITTE_C_FNV4_(VITTE_C_FNV4_(h, s, i), s, i + 4), s, i + 8), s, i + 12)
#define VITTE_SIGNATURE(s) \
  VITTE_C_FNV4_(VITTE_C_FNV4_(VITTE_C_FNV16_(VITTE_C_FNV16_(0xcbf29ce484222325ull, s, 0), s, 16), s, 32), s, 36)

/** An empty list. */
#define VITTE_C_NONE(X)

#define VITTE_C_CAT2_(a, b) a##b
#define VITTE_C_CAT_(a, b) VITTE_C_CAT2_(a, b)
/* A member name of its own for each record (records may repeat names). */
#define VITTE_C_MEMBER_ VITTE_C_CAT_(vitte_record_, __COUNTER__)
#define VITTE_C_ALIGN8_(n) (((n) + 7u) & ~(size_t)7u)
#define VITTE_C_COUNT_(...) +1

/* The records, as struct members (the type) and their initialisers. */
#define VITTE_C_EXPORT_FIELD_(k, sym, sig, ver) \
  struct {                                      \
    vitte_plugin_record_header h;               \
    uint32_t kind, version;                     \
    uint64_t signature;                         \
    char name[VITTE_C_ALIGN8_(sizeof(#sym))];   \
  } VITTE_C_MEMBER_;
#define VITTE_C_EXPORT_INIT_(k, sym, sig, ver) \
  {{VITTE_RECORD_EXPORT, 0, (uint32_t)(24u + sizeof(#sym))}, VITTE_EXPORT_##k, (uint32_t)(ver), (uint64_t)(sig), #sym},
#define VITTE_C_ADDRESS_FUNCTION_(sym) __extension__(void*) sym
#define VITTE_C_ADDRESS_OBJECT_(sym) (void*)&sym
#define VITTE_C_EXPORT_ADDRESS_(k, sym, sig, ver) VITTE_C_ADDRESS_##k##_(sym),

#define VITTE_C_IMPORT_FIELD_(k, slot, mod, nm, sig, ver) \
  struct {                                                \
    vitte_plugin_record_header h;                         \
    uint32_t kind, version;                               \
    uint64_t signature;                                   \
    char text[VITTE_C_ALIGN8_(sizeof(mod) + sizeof(nm))]; \
  } VITTE_C_MEMBER_;
#define VITTE_C_IMPORT_INIT_(k, slot, mod, nm, sig, ver)                 \
  {{VITTE_RECORD_IMPORT, 0, (uint32_t)(24u + sizeof(mod) + sizeof(nm))}, \
   VITTE_EXPORT_##k,                                                     \
   (uint32_t)(ver),                                                      \
   (uint64_t)(sig),                                                      \
   mod "\0" nm},
#define VITTE_C_IMPORT_SLOT_(k, slot, mod, nm, sig, ver) (void**)&slot,

#define VITTE_C_DEPENDS_FIELD_(mod, range, fl)               \
  struct {                                                   \
    vitte_plugin_record_header h;                            \
    uint32_t flags, reserved;                                \
    char text[VITTE_C_ALIGN8_(sizeof(mod) + sizeof(range))]; \
  } VITTE_C_MEMBER_;
#define VITTE_C_DEPENDS_INIT_(mod, range, fl) \
  {{VITTE_RECORD_DEPENDENCY, 0, (uint32_t)(16u + sizeof(mod) + sizeof(range))}, (uint32_t)(fl), 0, mod "\0" range},

/* The older export-only list form, X(function, signature, version). */
#define VITTE_C_RECORD_(fn, sig, ver) VITTE_C_EXPORT_FIELD_(FUNCTION, fn, sig, ver)
#define VITTE_C_RECORD_INIT_(fn, sig, ver) VITTE_C_EXPORT_INIT_(FUNCTION, fn, sig, ver)
#define VITTE_C_ADDRESS_(fn, sig, ver) VITTE_C_EXPORT_ADDRESS_(FUNCTION, fn, sig, ver)

/* The metadata section (one const struct whose layout is the encoding) and
 * the descriptor. EF/EI/EA are the export list's field, initialiser and
 * address macros. */
#define VITTE_C_PLUGIN_IMPL_(name, version, flags, EXPORTS, EF, EI, EA, IMPORTS, DEPENDS, init, fini, allocate,       \
                             deallocate, save, restore)                                                               \
  typedef struct {                                                                                                    \
    vitte_plugin_section_header h;                                                                                    \
    char strings[VITTE_C_ALIGN8_(sizeof(name) + sizeof(version))];                                                    \
    EXPORTS(EF) IMPORTS(VITTE_C_IMPORT_FIELD_) DEPENDS(VITTE_C_DEPENDS_FIELD_)                                        \
  } vitte_c_metadata_t_;                                                                                              \
  static const vitte_c_metadata_t_ vitte_c_metadata_ VITTE_PLUGIN_SECTION_ATTR __attribute__((aligned(8))) = {        \
      {"VITPLUG", VITTE_PLUGIN_FORMAT_VERSION, VITTE_PLUGIN_ABI_MAJOR, VITTE_PLUGIN_ABI_MINOR, VITTE_PLUGIN_ARCH,     \
       (flags) | VITTE_PLUGIN_DEBUG_FLAG, (uint32_t)sizeof(vitte_c_metadata_t_),                                      \
       0 EXPORTS(VITTE_C_COUNT_) IMPORTS(VITTE_C_COUNT_) DEPENDS(VITTE_C_COUNT_), 32, (uint16_t)(32 + sizeof(name))}, \
      name "\0" version,                                                                                              \
      EXPORTS(EI) IMPORTS(VITTE_C_IMPORT_INIT_) DEPENDS(VITTE_C_DEPENDS_INIT_)};                                      \
  static void* const vitte_c_exports_[] = {EXPORTS(EA) 0};                                                            \
  static void** const vitte_c_imports_[] = {IMPORTS(VITTE_C_IMPORT_SLOT_) 0};                                         \
  VITTE_PLUGIN_EXTERN_C VITTE_PLUGIN_API const vitte_plugin_descriptor vitte_plugin_entry = {                         \
      VITTE_PLUGIN_DESCRIPTOR_MAGIC,                                                                                  \
      VITTE_PLUGIN_ABI_MAJOR,                                                                                         \
      VITTE_PLUGIN_ABI_MINOR,                                                                                         \
      (uint32_t)sizeof(vitte_plugin_descriptor),                                                                      \
      VITTE_PLUGIN_ARCH,                                                                                              \
      (uint16_t)((flags) | VITTE_PLUGIN_DEBUG_FLAG),                                                                  \
      name,                                                                                                           \
      version,                                                                                                        \
      (const unsigned char*)&vitte_c_metadata_,                                                                       \
      (uint32_t)sizeof(vitte_c_metadata_t_),                                                                          \
      0 EXPORTS(VITTE_C_COUNT_),                                                                                      \
      0 IMPORTS(VITTE_C_COUNT_),                                                                                      \
      0 DEPENDS(VITTE_C_COUNT_),                                                                                      \
      vitte_c_exports_,                                                                                               \
      vitte_c_imports_,                                                                                               \
      init,                                                                                                           \
      fini,                                                                                                           \
      allocate,                                                                                                       \
      deallocate,                                                                                                     \
      save,                                                                                                           \
      restore,                                                                                                        \
      0,                                                                                                              \
      0}

/** Declares a C plugin (see above): `name` and `version` are string
 *  literals, `flags` VITTE_PLUGIN_FLAG_* (UNLOAD_SAFE: see docs/PLUGINS.md),
 *  the three X-macro lists, and init and fini (0 for none). */
#define VITTE_C_PLUGIN_DEFINE(name, version, flags, EXPORTS, IMPORTS, DEPENDS, init, fini)         \
  VITTE_C_PLUGIN_IMPL_(name, version, flags, EXPORTS, VITTE_C_EXPORT_FIELD_, VITTE_C_EXPORT_INIT_, \
                       VITTE_C_EXPORT_ADDRESS_, IMPORTS, DEPENDS, init, fini, 0, 0, 0, 0)

/** VITTE_C_PLUGIN_DEFINE plus `void* allocate(size_t size, size_t align)` and
 *  `void deallocate(void*, size_t size, size_t align)` for memory that
 *  crosses the boundary, and the hot-reload hooks `int save(void** data,
 *  size_t* size)` (allocating with `allocate`) and `int restore(const void*,
 *  size_t)`; 0 for any of them that is absent. */
#define VITTE_C_PLUGIN_DEFINE_ALL(name, version, flags, EXPORTS, IMPORTS, DEPENDS, init, fini, allocate, deallocate, \
                                  save, restore)                                                                     \
  VITTE_C_PLUGIN_IMPL_(name, version, flags, EXPORTS, VITTE_C_EXPORT_FIELD_, VITTE_C_EXPORT_INIT_,                   \
                       VITTE_C_EXPORT_ADDRESS_, IMPORTS, DEPENDS, init, fini, allocate, deallocate, save, restore)

/** The short form: a plugin called `name` (an identifier) exporting the
 *  functions of the X-macro list `EXPORTS`, each X(function, signature,
 *  version); no imports, dependencies or entry points. */
#define VITTE_C_PLUGIN(name, version, flags, EXPORTS)                                                           \
  VITTE_C_PLUGIN_IMPL_(#name, version, flags, EXPORTS, VITTE_C_RECORD_, VITTE_C_RECORD_INIT_, VITTE_C_ADDRESS_, \
                       VITTE_C_NONE, VITTE_C_NONE, 0, 0, 0, 0, 0, 0)

#endif /* VITTE_LOADER_PLUGIN_H */
