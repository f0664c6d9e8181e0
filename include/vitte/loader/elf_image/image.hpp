// vitte/loader/elf_image/image.hpp - a position-independent ELF shared object
// loaded from bytes, without the OS loader: mapped, relocated, bound and
// run by vitte, in a static or a dynamic host.
//
//   namespace ln = vitte::loader::elf_image;
//   vitte::buffer<std::byte> bytes = vitte::sys::read_file("libgreeter.so").value();
//   vitte::diagnostic why;
//   vitte::diagnostic_list diag;
//   auto img = ln::image::load(bytes, {}, &why, &diag);
//   if (!img) { std::printf("%s\n%s", why.format().c_str(), diag.joined().c_str()); return; }
//   auto greet = img->find<int(const char*)>("greet");   // a defined dynamic symbol
//
// What it does, in order (docs/ELF_IMAGE.md has the whole list):
//   1. checks every header, table and index against the bytes, and refuses
//      what it does not run (below), before anything is mapped;
//   2. maps the PT_LOAD segments at their offsets in one reservation (copies
//      of the bytes, or private mappings of the file with load_file), the
//      rest of each segment (.bss) zero;
//   3. binds the undefined symbols: vitte's runtime first (__tls_get_addr,
//      __cxa_thread_atexit, and dl_iterate_phdr, _dl_find_object,
//      __gnu_Unwind_Find_exidx, which list images too), then options.lookup
//      (what the host offers: its own functions, another image's exports),
//      then the process:
//      dlsym where the host is dynamic; in a static host the runtime table
//      and the program's symbol table (detail/image_os.ipp). Weak undefined
//      symbols left unbound are null; every strong one is listed in one error.
//      An undefined thread-local binds to the module that defines it (another
//      image, the host, a library the OS loaded); one nobody defines, weak or
//      not, is listed in that error too;
//   4. applies the relocations straight from the input (relative, packed
//      DT_RELR, absolute, GLOB_DAT/JUMP_SLOT bound now, TLS), and checks
//      that every DT_INIT_ARRAY/DT_FINI_ARRAY entry points into an
//      executable segment: no code of the image has run so far;
//   5. gives each page its segment's protection (never writable and
//      executable at once), then, on that final mapping, calls the IFUNC
//      resolvers (IRELATIVE, symbols of IFUNCs) as ld.so does, and seals
//      PT_GNU_RELRO read-only;
//   6. registers its unwind tables and tells debuggers about it (GDB's JIT
//      interface), then runs DT_INIT and DT_INIT_ARRAY.
// close() (or the destructor) runs DT_FINI_ARRAY in reverse and DT_FINI,
// then __cxa_finalize for the image, and unmaps it once no thread_local
// destructor of the image is pending. An image marked DF_1_NODELETE (or
// loaded with options.unload = never) is never unmapped: close() drops the
// handle, and its finalizers run at exit, as glibc runs a NODELETE object's.
//
// Refused, each with its reason (naming the header, entry or symbol and
// its values): another architecture or class, not ET_DYN, a PT_LOAD whose
// p_offset and p_vaddr disagree modulo its alignment, DT_INIT, DT_FINI,
// init/fini array entries or IFUNC resolvers outside the executable
// segments, symbol version indices beyond the versions defined and needed,
// text relocations, a writable and executable segment, an executable-stack
// request, COPY relocations, initial-exec (static) TLS, unknown relocation
// types (named), segments that overlap or lie outside the file, sizes that
// overflow, relocations outside the image, symbol and string indices out of
// range, hash chains that loop, dynamic sections without DT_NULL.
//
// Errors: module_read (malformed, exec_format: not an ELF object for this
// host), module_load (no_memory, not_supported), module_link (not_found: a
// strong symbol nothing defines). `why` gets the kind, the problem and its
// file offset; `diag` gets what needs more than one (every unbound symbol,
// an entry each about the image).
//
// Thread safety: load and close from any thread; an image is one owner's.
// Host: Linux and other ELF systems on x86_64, aarch64 and 32-bit Arm (hard
// float); elsewhere load() reports not_supported.
#ifndef VITTE_LOADER_ELF_IMAGE_IMAGE_HPP
#define VITTE_LOADER_ELF_IMAGE_IMAGE_HPP

#include <vitte/base.hpp>
#include <vitte/loader/diagnostics.hpp>
#include <vitte/loader/operations.hpp>
#include <vitte/sys/file.hpp>

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace vitte::loader::elf_image {

namespace detail {
struct image_state;
struct image_access;
/// A symbol's address as a pointer to T (a function type gives a function pointer).
template <class T>
std::add_pointer_t<T> symbol_as(void* p) noexcept {
  if constexpr (std::is_function_v<T>)
    return reinterpret_cast<std::add_pointer_t<T>>(reinterpret_cast<std::uintptr_t>(p));
  else
    return static_cast<std::add_pointer_t<T>>(p);
}
}  // namespace detail

/// Finds an undefined symbol of an image: its address, or null when this
/// source does not define it. `version` is the symbol version the image
/// asks for ("GLIBC_2.2.5"), empty when it names none. For a thread-local,
/// its address in the calling thread (what image::symbol and dlsym give):
/// the loader finds the module that holds it and binds the image's TLS
/// relocations to that module, for every thread.
using symbol_lookup = void* (*)(void* context, text_view name, text_view version) noexcept;

/// What close() does with an image. An image that stays loaded keeps its
/// memory and its registrations (the unwinder, debuggers, dl_iterate_phdr)
/// for the rest of the process, and its finalizers run at exit, as glibc
/// runs a NODELETE object's; close() only drops the handle.
enum class unload_policy : unsigned char {
  as_marked,  ///< Unloads it unless it is marked DF_1_NODELETE (-z nodelete), as dlopen does.
  never,      ///< Never unloads it, as dlopen's RTLD_NODELETE.
  always,     ///< Unloads it even when marked: for a host that runs none of its code (a fuzzer).
};

struct image_options {
  /// Asked for every undefined symbol but vitte's runtime's (those the
  /// image must bind to vitte: __tls_get_addr, dl_iterate_phdr, ...); null for none.
  symbol_lookup lookup = nullptr;
  void* lookup_context = nullptr;
  /// Then the process: the C and C++ runtime (dlsym, or the runtime table
  /// of a static host). False binds only through `lookup` and vitte's runtime.
  bool process_symbols = true;
  /// In a dynamic host, a symbol found nowhere else is looked for in the
  /// image's DT_NEEDED libraries, opened through the OS loader (dlopen)
  /// the first time one is needed. False: never (image_set loads the
  /// dependencies as images; a weak symbol nothing defines is then null).
  bool os_needed = true;
  /// Runs DT_INIT and DT_INIT_ARRAY in load(); false leaves them to run_init().
  bool run_init = true;
  /// Runs IFUNC resolvers while relocating (the image's code). False
  /// refuses an object that needs one: with run_init false too, nothing of
  /// the image runs in load() (what a fuzzer wants).
  bool ifunc = true;
  /// The largest image (the span of its segments) load() maps; larger ones
  /// are refused before anything is reserved.
  std::uint64_t max_size = sizeof(void*) == 8 ? std::uint64_t{1} << 34 : std::uint64_t{1} << 30;
  /// A name for debuggers and messages (the file's path); empty: "image".
  text_view name{};
  /// Whether close() unloads the image, or only drops the handle (see
  /// unload_policy): as the object asks, by default.
  unload_policy unload = unload_policy::as_marked;
};

/// Counts of what load() did (for benchmarks and tools).
struct image_stats {
  std::size_t relative = 0;  ///< Relative relocations (DT_RELR words count their every address).
  std::size_t symbolic = 0;  ///< Relocations through a symbol.
  std::size_t imports = 0;   ///< Undefined symbols bound.
};

/// One loaded image. Move-only; destroying it closes it.
class image {
 public:
  /// Loads the ELF shared object in `bytes` (see the header). The bytes are
  /// only read during load(); the image keeps no reference to them.
  static result<image> load(span<const std::byte> bytes, const image_options& options = {},
                            vitte::diagnostic* why = nullptr, diagnostic_list* diag = nullptr) noexcept;
  /// Loads the ELF shared object in file `f` (open for reading) as the OS
  /// loader does: each segment is a private mapping of the file's pages,
  /// shared with the page cache until written, not a copy (a segment that
  /// shares a page with another is copied). `f` may be closed afterwards;
  /// the file must not change while the image is loaded, as under dlopen.
  /// Errors: as load(); map_file when the file cannot be mapped.
  static result<image> load_file(const sys::file& f, const image_options& options = {},
                                 vitte::diagnostic* why = nullptr, diagnostic_list* diag = nullptr) noexcept;

  image() noexcept = default;
  image(image&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
  image& operator=(image&& o) noexcept {
    if (this != &o) {
      close();
      s_ = o.s_;
      o.s_ = nullptr;
    }
    return *this;
  }
  image(const image&) = delete;
  image& operator=(const image&) = delete;
  ~image() { close(); }

  /// The address of defined dynamic symbol `name` (of version `version`
  /// when not empty; the default version otherwise), or null. For a TLS
  /// symbol: its address in the calling thread.
  void* symbol(text_view name, text_view version = {}) const noexcept;
  /// symbol() as a pointer to T (a function type gives a function pointer).
  template <class T>
  std::add_pointer_t<T> find(text_view name, text_view version = {}) const noexcept {
    return detail::symbol_as<T>(symbol(name, version));
  }

  /// Runs DT_INIT and DT_INIT_ARRAY when load() did not (run_init false);
  /// once. Errors: bad_descriptor when closed.
  status run_init() noexcept;
  /// Runs the finalizers (when init ran) and unmaps the image; the memory
  /// stays mapped while a thread_local destructor of the image is pending.
  /// An image that stays loaded (DF_1_NODELETE, image_options::unload)
  /// only loses its handle: it stays mapped and registered, finalised at exit.
  void close() noexcept;
  /// Keeps the image mapped for the rest of the process (its finalizers
  /// still run in close()).
  void pin() noexcept;

  bool is_open() const noexcept { return s_ != nullptr; }
  explicit operator bool() const noexcept { return s_ != nullptr; }
  /// Where the image is mapped (its address 0) and the span of its segments.
  std::byte* base() const noexcept;
  std::size_t size() const noexcept;
  const image_stats& stats() const noexcept;

 private:
  friend struct detail::image_access;
  explicit image(detail::image_state* s) noexcept : s_(s) {}
  detail::image_state* s_ = nullptr;
};

/// True when this build can load images (an ELF host of a supported architecture).
VITTE_DECL bool images_supported() noexcept;

}  // namespace vitte::loader::elf_image

#if VITTE_HEADER_ONLY
#include <vitte/loader/elf_image/impl/image.ipp>
#endif

#endif  // VITTE_LOADER_ELF_IMAGE_IMAGE_HPP
