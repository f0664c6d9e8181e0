// The in-memory ELF loader behind vitte/loader/elf_image/image.hpp, as its
// steps (musl's ldso/dynlink.c in the same order): check the input
// (impl/elf_parse.ipp), map, bind and relocate, protect, resolve the IFUNCs
// and seal RELRO (impl/relocate.ipp), tell the unwinder and debuggers,
// run init. Symbol lookup is impl/symbols.ipp; the C library's loader
// services images bind to are impl/runtime.ipp; the OS's part is impl/os.hpp.
#ifndef VITTE_LOADER_ELF_IMAGE_IMPL_IMAGE_IPP
#define VITTE_LOADER_ELF_IMAGE_IMPL_IMAGE_IPP

#include <vitte/loader/elf_image/image.hpp>
#include <vitte/loader/elf_image/impl/host.hpp>

#if VITTE_IMAGE_HOST
#include <vitte/loader/elf_image/impl/debugger.ipp>
#include <vitte/loader/elf_image/impl/elf_parse.ipp>
#include <vitte/loader/elf_image/impl/os.hpp>
#include <vitte/loader/elf_image/impl/relocate.ipp>
#include <vitte/loader/elf_image/impl/runtime.ipp>
#include <vitte/loader/elf_image/impl/state.ipp>
#include <vitte/loader/elf_image/impl/symbols.ipp>
#include <vitte/loader/elf_image/impl/tls.ipp>
#include <vitte/sys/file_map.hpp>
#include <vitte/sys/memory.hpp>
#include <vitte/sys/mutex.hpp>
#endif

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <mutex>  // std::lock_guard
#include <string>
#include <vector>

namespace vitte::loader::elf_image {

#if VITTE_IMAGE_HOST
namespace detail {

VITTE_DECL void run_fini(image_state& st) noexcept {
  if (!st.inited) return;
  st.inited = false;
  image_counters::get().code_calls.fetch_add(1, std::memory_order_relaxed);
  using fn = void (*)();
  for (std::size_t i = st.fini_count; i-- > 0;) {
    word w;
    std::memcpy(&w, reinterpret_cast<const void*>(st.bias + st.fini_array + i * word_size), word_size);
    if (w != 0 && w != static_cast<word>(-1)) reinterpret_cast<fn>(static_cast<std::uintptr_t>(w))();
  }
  if (st.has_fini) reinterpret_cast<fn>(st.bias + st.fini)();
}

/// Images that stay loaded for the rest of the process (DF_1_NODELETE,
/// image_options::unload): close() leaves them mapped and registered,
/// and their finalizers run at exit, the latest loaded first, after every
/// atexit handler and the program's static destructors, from the
/// program's own finalizers (vitte_image_resident_fini below), as glibc's
/// _dl_fini runs a NODELETE object's.
struct resident_images {
  sys::mutex lock;
  std::vector<image_state*> all;

  /// Never destroyed: the program's finalizers read it after the static
  /// destructors have run.
  static resident_images& get() noexcept {
    static resident_images* r = new resident_images;
    return *r;
  }
  void add(image_state* st) {
    std::lock_guard<sys::mutex> g(lock);
    all.push_back(st);
  }
  /// The resident image loaded from file (device, inode), or null: an
  /// image_set needing that file again binds to it, as dlopen returns the
  /// NODELETE object already loaded.
  image_state* find(std::uint64_t device, std::uint64_t inode) {
    std::lock_guard<sys::mutex> g(lock);
    for (image_state* st : all)
      if (inode != 0 && st->inode == inode && st->device == device) return st;
    return nullptr;
  }
  static void at_exit() noexcept {
    resident_images& r = get();
    std::vector<image_state*> images;
    {
      std::lock_guard<sys::mutex> g(r.lock);
      images.swap(r.all);
    }
    for (std::size_t i = images.size(); i-- > 0;) run_fini(*images[i]);
  }
};

/// The finalizers of resident images, among the program's own (in
/// .fini_array: after exit()'s atexit handlers and static destructors,
/// where glibc runs a NODELETE library's); once, whichever copy runs.
__attribute__((destructor)) VITTE_DECL void vitte_image_resident_fini() noexcept { resident_images::at_exit(); }

/// Whether close() will unload `st` (unload_policy): one that stays is
/// registered for its finalizers at exit.
VITTE_DECL void settle(image_state& st, unload_policy unload) {
  st.nodelete = unload == unload_policy::never || (unload == unload_policy::as_marked && st.marked_nodelete);
  if (st.nodelete) resident_images::get().add(&st);
}

VITTE_DECL void run_init(image_state& st) noexcept {
  if (st.inited) return;
  st.inited = true;
  image_counters::get().code_calls.fetch_add(1, std::memory_order_relaxed);
  using fn = void (*)(int, char**, char**);
  static char* no_args[] = {nullptr};
  char** env = process_environment();
  if (st.has_init) reinterpret_cast<fn>(st.bias + st.init)(0, no_args, env);
  for (std::size_t i = 0; i < st.init_count; ++i) {
    word w;
    std::memcpy(&w, reinterpret_cast<const void*>(st.bias + st.init_array + i * word_size), word_size);
    if (w != 0 && w != static_cast<word>(-1)) reinterpret_cast<fn>(static_cast<std::uintptr_t>(w))(0, no_args, env);
  }
}

/// Finds .eh_frame through PT_GNU_EH_FRAME (its eh_frame_ptr field), read
/// from the input: null unless it lands in a readable segment's file bytes.
VITTE_DECL const void* find_eh_frame(const image_state& st, const parser& p) noexcept {
  const std::byte* h = p.has_eh && p.eh_frame_hdr.memsz >= 8 ? p.at(p.eh_frame_hdr.vaddr, 8) : nullptr;
  if (h == nullptr || static_cast<unsigned>(h[0]) != 1) return nullptr;
  unsigned enc = static_cast<unsigned>(h[1]);
  std::uint64_t v;
  // DWARF pointer encodings (DW_EH_PE_*): the value's format, then what it is relative to.
  constexpr unsigned dw_eh_pe_udata4 = 0x03, dw_eh_pe_sdata4 = 0x0b, dw_eh_pe_absptr = 0x00, dw_eh_pe_pcrel = 0x10;
  switch (enc & 0x0f) {
    case dw_eh_pe_udata4:
      v = load_le<std::uint32_t>(h + 4);
      break;
    case dw_eh_pe_sdata4:
      v = static_cast<std::uint64_t>(
          static_cast<std::int64_t>(static_cast<std::int32_t>(load_le<std::uint32_t>(h + 4))));
      break;
    default:
      return nullptr;
  }
  std::uint64_t va;
  switch (enc & 0x70) {
    case dw_eh_pe_absptr:
      va = v;
      break;
    case dw_eh_pe_pcrel:  // from the field, in the image's addresses
      va = p.eh_frame_hdr.vaddr + 4 + v;
      break;
    default:
      return nullptr;
  }
  for (const segment& s : st.loads)
    if ((s.flags & elf::pf_r) != 0 && va >= s.vaddr && va - s.vaddr < s.filesz && s.filesz - (va - s.vaddr) >= 4)
      return reinterpret_cast<const void*>(st.bias + va);
  return nullptr;
}

}  // namespace detail
#endif

VITTE_DECL bool images_supported() noexcept { return VITTE_IMAGE_HOST != 0; }

#if VITTE_IMAGE_HOST
namespace detail {

struct image_access {
  static image make(image_state* st) noexcept { return image(st); }
  static image_state* state(const image& i) noexcept { return i.s_; }
};

/// What an unwinder asks of the image, found from the input: .eh_frame
/// (PT_GNU_EH_FRAME), the program headers dl_iterate_phdr hands out, and
/// 32-bit Arm's .ARM.exidx table.
VITTE_DECL void describe_for_unwinders(image_state& st, const parser& p) {
  st.eh_frame = find_eh_frame(st, p);
  if (st.eh_frame != nullptr) st.eh_frame_hdr = reinterpret_cast<const void*>(st.bias + p.eh_frame_hdr.vaddr);
  st.phdrs.assign(p.phdrs.begin(), p.phdrs.end());
  st.phnum = static_cast<std::uint16_t>(p.phdrs.size() / phdr_size);
  constexpr std::uint64_t exidx_entry = 8;  // two words: the function's offset and its unwind data
  if (p.has_exidx && p.exidx.memsz / exidx_entry <= 0x7fffffff && p.at(p.exidx.vaddr, p.exidx.memsz) != nullptr)
    st.exidx = st.bias + static_cast<std::uintptr_t>(p.exidx.vaddr),
    st.exidx_count = static_cast<int>(p.exidx.memsz / exidx_entry);
}

/// Makes the loaded image known: its frames to the unwinder, its symbols to
/// debuggers (GDB's JIT interface), itself to the runtime's list of images.
VITTE_DECL void announce(image_state& st) {
  if (st.eh_frame != nullptr) unwind_register(st.eh_frame);
  debug_register(st.debug, st.symtab, st.nsyms, st.strtab, st.strsz, st.bias + st.lo,
                 static_cast<std::size_t>(st.hi - st.lo), st.bias);
  live_images::get().add(&st);
}

/// The error for a program linked statically against a dynamic build of vitte.
VITTE_DECL error refuse_static_process(vitte::diagnostic* why) noexcept {
  return vitte::loader::detail::refuse(
      why, errc::not_supported, vitte::diagnostic::no_offset,
      "this program is linked statically but vitte was built for dynamic linking: define "
      "VITTE_HAS_DYNAMIC_LIBRARIES=0 (Meson: -Dstatic=true)",
      ops::module_load);
}

/// The address `key` has in image `st` (image::symbol's answer): a
/// thread-local's in the calling thread, an IFUNC's resolved. An IFUNC of
/// an image not `bound` yet (its resolver cannot run before its
/// relocations) is null; of a dormant one (image_set: nothing of it ever
/// runs), its resolver's address, which stands for "defined".
VITTE_DECL void* symbol_address(const image_state& st, bool bound, symbol_key& key, std::string_view version) {
  std::uint64_t value;
  unsigned char type;
  if (!find_symbol(st, key, version, value, type)) return nullptr;
  if (type == elf::stt_tls) return tls_address(st.tls_module, static_cast<std::uintptr_t>(value));
  if (type != elf::stt_gnu_ifunc) return reinterpret_cast<void*>(st.bias + value);
  if (st.dormant) return reinterpret_cast<void*>(st.bias + value);
  if (!bound || !st.ifunc) return nullptr;
  return reinterpret_cast<void*>(run_ifunc(st.bias + static_cast<std::uintptr_t>(value)));
}

/// An image between its two steps: checked and mapped, its tables readable
/// (map()), then bound, relocated, protected and announced (bind()).
/// load_image() runs both at once; image_set maps every image of a closure
/// before it binds any, as ld.so does, so that each binds in the whole set.
/// Until release() a staged image owns its state (destroyed with it).
struct staged_image {
  parser p;
  image_options options;
  image_state* st;
  linker l;
  std::vector<std::string_view> versions;

  staged_image(std::span<const std::byte> bytes, const image_options& o, vitte::diagnostic* why, diagnostic_list* diag)
      : p(bytes, why), options(o), st(new image_state), l(p, *st, options, why, diag) {}
  staged_image(const staged_image&) = delete;
  staged_image& operator=(const staged_image&) = delete;
  ~staged_image() {
    if (st != nullptr) destroy(st);
  }

  /// 1. Checks the input (headers, dynamic section, symbols, versions,
  /// every relocation), maps it, keeps its tables for lookups and gives
  /// its thread-locals a module id. `fd`: the file the bytes map, or -1.
  status map(int fd) {
    if (status s = p.header(options); !s) return s;
    if (status s = p.dynamic_section(); !s) return s;
    if (status s = p.versions(versions); !s) return s;
    if (status s = p.version_indices(versions); !s) return s;
    st->name = options.name.empty() ? std::string("image") : std::string(options.name);
    st->ifunc = options.ifunc;
    st->marked_nodelete = p.dyn.nodelete;
    if (status s = l.check_relocations(); !s) return s;
    if (status s = l.map(fd); !s) return s;
    l.keep(static_cast<std::vector<std::string_view>&&>(versions));  // bind() reads the versions from the image
    l.register_tls();
    return {};
  }

  /// 2. Binds and relocates; protects; IFUNCs; seals RELRO; tells the
  /// unwinder, debuggers and the runtime. With `unbound` (image_set), names
  /// nothing defines go there and the image stays dormant instead.
  status bind(diagnostic_list* unbound) {
    l.collect_unbound(unbound);
    if (status s = l.relocate(); !s) return s;
    if (st->dormant) return {};  // none of its code runs; its tables still answer the others' lookups
    if (status s = l.protect(); !s) return s;
    if (status s = l.resolve_ifuncs(); !s) return s;
    if (status s = l.seal_relro(); !s) return s;
    describe_for_unwinders(*st, p);
    announce(*st);
    return {};
  }

  /// The loaded image, which owns the state from now on.
  image release() noexcept {
    image_state* s = st;
    st = nullptr;
    return image_access::make(s);
  }
};

/// load() and load_file(): `fd` is the file the bytes map, or -1. The
/// steps in order; none of the image's code runs before the IFUNC pass,
/// and that runs on the final mapping (text executable, data writable,
/// RELRO sealed after it).
VITTE_DECL result<image> load_image(std::span<const std::byte> bytes, int fd, const image_options& options,
                                    vitte::diagnostic* why, diagnostic_list* diag) noexcept {
  if (static_process_in_dynamic_build()) return refuse_static_process(why);
  staged_image s(bytes, options, why, diag);
  if (status m = s.map(fd); !m) return m.error();
  if (status b = s.bind(nullptr); !b) return b.error();
  settle(*s.st, options.unload);
  image img = s.release();
  if (options.run_init) run_init(*image_access::state(img));
  return img;
}

}  // namespace detail
#endif

VITTE_DECL result<image> image::load(span<const std::byte> bytes, const image_options& options, vitte::diagnostic* why,
                                     diagnostic_list* diag) noexcept {
#if VITTE_IMAGE_HOST
  return detail::load_image(bytes, -1, options, why, diag);
#else
  (void)bytes, (void)options, (void)diag;
  return vitte::loader::detail::refuse(why, errc::not_supported, vitte::diagnostic::no_offset,
                                       "in-memory ELF images are not supported on this host", ops::module_load);
#endif
}

VITTE_DECL result<image> image::load_file(const sys::file& f, const image_options& options, vitte::diagnostic* why,
                                          diagnostic_list* diag) noexcept {
#if VITTE_IMAGE_HOST
  result<sys::file_map> m = sys::file_map::map(f);
  if (!m) {
    (void)vitte::loader::detail::refuse(why, m.error().kind(), vitte::diagnostic::no_offset, "cannot map the file");
    return m.error();
  }
  return detail::load_image(std::span<const std::byte>(m->data(), m->size()), f.native(), options, why, diag);
#else
  (void)f, (void)options, (void)diag;
  return vitte::loader::detail::refuse(why, errc::not_supported, vitte::diagnostic::no_offset,
                                       "in-memory ELF images are not supported on this host", ops::module_load);
#endif
}

#if VITTE_IMAGE_HOST
VITTE_DECL void* image::symbol(text_view name, text_view version) const noexcept {
  if (s_ == nullptr) return nullptr;
  detail::symbol_key key(name);
  return detail::symbol_address(*s_, true, key, version);
}

VITTE_DECL status image::run_init() noexcept {
  if (s_ == nullptr) return error{errc::bad_descriptor, ops::module_load};
  detail::run_init(*s_);
  return {};
}

VITTE_DECL void image::close() noexcept {
  if (s_ == nullptr) return;
  detail::image_state* st = s_;
  s_ = nullptr;
  if (st->nodelete) return;  // stays loaded and registered; finalised at exit (resident_images)
  detail::run_fini(*st);
  if (st->eh_frame != nullptr) detail::unwind_deregister(st->eh_frame);
  detail::debug_unregister(st->debug);
  detail::live_images::get().remove(st);
  detail::release(st);  // unmapped now, or after the last thread_local destructor of the image
}

VITTE_DECL void image::pin() noexcept {
  if (s_ != nullptr) s_->pinned = true;
}
VITTE_DECL std::byte* image::base() const noexcept {
  return s_ != nullptr ? reinterpret_cast<std::byte*>(s_->bias) : nullptr;
}
VITTE_DECL std::size_t image::size() const noexcept {
  return s_ != nullptr ? static_cast<std::size_t>(s_->hi - s_->lo) : 0;
}
VITTE_DECL const image_stats& image::stats() const noexcept {
  static const image_stats none{};
  return s_ != nullptr ? s_->stats : none;
}

#else
VITTE_DECL void* image::symbol(text_view, text_view) const noexcept { return nullptr; }
VITTE_DECL status image::run_init() noexcept { return error{errc::bad_descriptor, ops::module_load}; }
VITTE_DECL void image::close() noexcept {}
VITTE_DECL void image::pin() noexcept {}
VITTE_DECL std::byte* image::base() const noexcept { return nullptr; }
VITTE_DECL std::size_t image::size() const noexcept { return 0; }
VITTE_DECL const image_stats& image::stats() const noexcept {
  static const image_stats none{};
  return none;
}
#endif

}  // namespace vitte::loader::elf_image

#endif  // VITTE_LOADER_ELF_IMAGE_IMPL_IMAGE_IPP
