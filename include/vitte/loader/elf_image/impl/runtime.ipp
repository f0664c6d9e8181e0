// The in-memory ELF loader's stand-ins for the C library's loader
// services, which images bind ahead of the process's: the registry of open
// images, dl_iterate_phdr and _dl_find_object that list images too (and
// 32-bit Arm's __gnu_Unwind_Find_exidx), __cxa_thread_atexit holding an
// image mapped until its thread_local destructors ran, and the table of
// these names (runtime_symbol). The OS-facing part (the process's symbols,
// the static runtime table) is impl/os.hpp. Part of impl/image.ipp.
#ifndef VITTE_LOADER_ELF_IMAGE_IMPL_RUNTIME_IPP
#define VITTE_LOADER_ELF_IMAGE_IMPL_RUNTIME_IPP

#include <vitte/loader/elf_image/impl/os.hpp>     // process_symbol, process_unwind_table
#include <vitte/loader/elf_image/impl/state.ipp>  // image_state
#include <vitte/loader/elf_image/impl/tls.ipp>    // vitte_image_tls_get_addr
#include <vitte/sys/mutex.hpp>

#include <cstddef>  // offsetof
#include <cstdint>
#include <mutex>  // std::lock_guard
#include <new>    // placement new: a pinned image forgets its region; std::nothrow
#include <string_view>
#include <vector>

#if VITTE_IMAGE_HOST
namespace vitte::loader::elf_image::detail {

/// Every open image, for the thread_local destructors they register.
struct live_images {
  sys::mutex lock;
  std::vector<image_state*> all;

  static live_images& get() noexcept {
    static live_images l;
    return l;
  }
  void add(image_state* st) {
    std::lock_guard<sys::mutex> g(lock);
    all.push_back(st);
  }
  void remove(image_state* st) noexcept {
    std::lock_guard<sys::mutex> g(lock);
    for (std::size_t i = 0; i < all.size(); ++i)
      if (all[i] == st) {
        all[i] = all.back();
        all.pop_back();
        return;
      }
  }
  /// Calls f(image) under the lock for the open image holding `address`;
  /// false when none holds it.
  template <class F>
  bool with_image(std::uintptr_t address, F f) noexcept {
    std::lock_guard<sys::mutex> g(lock);
    for (image_state* st : all)
      if (address >= st->bias + st->lo && address < st->bias + st->hi) {
        f(*st);
        return true;
      }
    return false;
  }
  /// The open image holding `address`, with one more reference; null for none.
  image_state* acquire(std::uintptr_t address) noexcept {
    image_state* found = nullptr;
    with_image(address, [&](image_state& st) {
      st.refs.fetch_add(1, std::memory_order_relaxed);
      found = &st;
    });
    return found;
  }
};

}  // namespace vitte::loader::elf_image::detail

#if defined(__arm__)
// 32-bit Arm unwinds through .ARM.exidx tables, which libgcc asks of
// __gnu_Unwind_Find_exidx: the C library's knows only what the dynamic
// linker loaded. This definition, linked into the host (`used`) and so
// exported to libgcc, answers for images first, then passes the question
// on (detail/image_os.ipp). docs/ELF_IMAGE.md, Exceptions. Inline (weak)
// in compiled mode too: it stands in for the C library's definition.
extern "C" inline __attribute__((used)) std::uintptr_t __gnu_Unwind_Find_exidx(std::uintptr_t pc, int* count) {
  std::uintptr_t table = 0;
  auto image_table = [&](const vitte::loader::elf_image::detail::image_state& st) {
    table = st.exidx, *count = st.exidx_count;
  };
  if (vitte::loader::elf_image::detail::live_images::get().with_image(pc, image_table)) return table;
  return vitte::loader::elf_image::detail::process_unwind_table(pc, count);
}
#endif

namespace vitte::loader::elf_image::detail {

/// The fields of dl_iterate_phdr's dl_phdr_info that images fill (the size
/// passed to the callback says so: its readers check it).
struct phdr_info {
  std::uintptr_t addr;  // dlpi_addr: the bias
  const char* name;     // dlpi_name
  const void* phdr;     // dlpi_phdr
  std::uint16_t phnum;  // dlpi_phnum
};
inline constexpr std::size_t phdr_info_size = offsetof(phdr_info, phnum) + sizeof(std::uint16_t);

/// glibc's struct dl_find_object (2.35), as the host's ABI lays it out.
struct find_object {
  unsigned long long flags;
  void* map_start;
  void* map_end;
  void* link_map;
  const void* eh_frame;  // PT_GNU_EH_FRAME; 32-bit Arm: PT_ARM_EXIDX
#if defined(__arm__)
  int eh_count;
  unsigned eh_count_pad;
#endif
  unsigned long long reserved[7];
};

/// dl_iterate_phdr for images: each open image, then the process's objects.
VITTE_DECL int image_dl_iterate_phdr(int (*callback)(phdr_info*, std::size_t, void*), void* data) noexcept {
  {
    live_images& l = live_images::get();
    std::lock_guard<sys::mutex> g(l.lock);
    for (image_state* st : l.all) {
      phdr_info i{st->bias, st->name.c_str(), st->phdrs.data(), st->phnum};
      if (int r = callback(&i, phdr_info_size, data); r != 0) return r;
    }
  }
  using real_fn = int (*)(int (*)(phdr_info*, std::size_t, void*), void*);
  static void* const real = process_symbol("dl_iterate_phdr", nullptr);
  return real != nullptr ? reinterpret_cast<real_fn>(reinterpret_cast<std::uintptr_t>(real))(callback, data) : 0;
}

/// _dl_find_object for images: the image holding `pc`, else the process's answer.
VITTE_DECL int image_dl_find_object(void* pc, find_object* out) noexcept {
  auto describe = [&](const image_state& st) {
    *out = find_object{};
    out->map_start = reinterpret_cast<void*>(st.bias + st.lo);
    out->map_end = reinterpret_cast<void*>(st.bias + st.hi);
#if defined(__arm__)
    out->eh_frame = reinterpret_cast<const void*>(st.exidx), out->eh_count = st.exidx_count;
#else
    out->eh_frame = st.eh_frame_hdr;
#endif
  };
  if (live_images::get().with_image(reinterpret_cast<std::uintptr_t>(pc), describe)) return 0;
  using real_fn = int (*)(void*, find_object*);
  static void* const real = process_symbol("_dl_find_object", nullptr);
  if (real == nullptr) return -1;
  int r = reinterpret_cast<real_fn>(reinterpret_cast<std::uintptr_t>(real))(pc, out);
  if (r != 0 || out->eh_frame != nullptr) return r;
  // The program linked without --eh-frame-hdr (g++ -static): the C library
  // knows no table for it, and an unwinder given none aborts. Its .eh_frame,
  // searched linearly, when `pc` is the program's (the C library's range
  // may be its code alone, without the segment holding .eh_frame); else
  // "not found", which sends the unwinder to its other sources.
  const void* hdr = program_eh_frame_hdr(reinterpret_cast<std::uintptr_t>(pc));
  if (hdr == nullptr) return -1;
  out->eh_frame = hdr;
  return 0;
}

VITTE_DECL void destroy(image_state* st) noexcept {
  if (st->mapped) image_counters::get().mapped.fetch_sub(1, std::memory_order_relaxed);
  if (st->tls_module != 0) tls_unregister(st->tls_module);
  for (void* h : st->needed_handles) needed_close(h);
  if (st->pinned) new (&st->region) sys::region();  // forgotten, not released: it stays mapped
  delete st;
}

/// Drops one reference; the last one unmaps the image.
VITTE_DECL void release(image_state* st) noexcept {
  if (st->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) destroy(st);
}

/// A thread_local destructor an image registered, run at thread exit.
struct thread_exit {
  void (*fn)(void*);
  void* object;
  image_state* image;
};
VITTE_DECL void run_thread_exit(void* p) noexcept {
  auto* e = static_cast<thread_exit*>(p);
  e->fn(e->object);
  image_state* st = e->image;
  delete e;
  release(st);  // the image stays mapped until its last destructor has run
}

/// __cxa_thread_atexit(_impl), as images import it: the destructor is
/// registered with the process's C library through run_thread_exit, and
/// holds a reference on the image meanwhile.
VITTE_DECL int image_thread_atexit(void (*fn)(void*), void* object, void* dso) noexcept {
  using real_fn = int (*)(void (*)(void*), void*, void*);
  // glibc's registry; musl has none, and the C++ runtime's own then keeps them (libc++abi's).
  static const real_fn real = [] {
    void* f = process_symbol("__cxa_thread_atexit_impl", nullptr);
    if (f == nullptr) f = process_symbol("__cxa_thread_atexit", nullptr);
    return reinterpret_cast<real_fn>(reinterpret_cast<std::uintptr_t>(f));
  }();
  if (real == nullptr) return -1;
  image_state* st = live_images::get().acquire(reinterpret_cast<std::uintptr_t>(dso));
  if (st == nullptr) return real(fn, object, dso);
  auto* e = new (std::nothrow) thread_exit{fn, object, st};
  if (e == nullptr) {
    release(st);
    return -1;
  }
  return real(&run_thread_exit, e, reinterpret_cast<void*>(&run_thread_exit));
}

/// Names of which a process must have one definition: the unwinder's
/// and the C++ ABI's exception functions.
/// (__cxa_thread_atexit stays the image's: it calls the _impl, vitte's.)
VITTE_DECL bool one_per_process(std::string_view n) noexcept {
  if (n.starts_with("__cxa_thread_atexit")) return false;
  return n.starts_with("_Unwind_") || n.starts_with("__cxa_") || n.starts_with("__gxx_personality") ||
         n.starts_with("__gcc_personality") || n == "__register_frame_info" || n == "__deregister_frame_info";
}
/// vitte's runtime, ahead of the process's: TLS, thread_local exits, and
/// what an unwinder asks about loaded objects.
VITTE_DECL void* runtime_symbol(std::string_view n) noexcept {
  if (n == "__tls_get_addr") return reinterpret_cast<void*>(&vitte_image_tls_get_addr);
  if (n == "__cxa_thread_atexit" || n == "__cxa_thread_atexit_impl")
    return reinterpret_cast<void*>(&image_thread_atexit);
  // An unwinder linked into the image (-static-libgcc -static-libstdc++)
  // looks for frames through these: they list images too.
  if (n == "dl_iterate_phdr") return reinterpret_cast<void*>(&image_dl_iterate_phdr);
  if (n == "_dl_find_object") return reinterpret_cast<void*>(&image_dl_find_object);
#if defined(__arm__)
  if (n == "__gnu_Unwind_Find_exidx") return reinterpret_cast<void*>(&::__gnu_Unwind_Find_exidx);
#endif
  return nullptr;
}

}  // namespace vitte::loader::elf_image::detail
#endif  // VITTE_IMAGE_HOST

#endif  // VITTE_LOADER_ELF_IMAGE_IMPL_RUNTIME_IPP
