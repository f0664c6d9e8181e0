// Thread-locals an image imports (TLS relocations against an undefined
// symbol): where the definition lies, found from its address in the
// calling thread (what image::symbol, dlsym and the process's lookups give
// for a thread-local), as the tls_index the image's relocations write: an
// image's module id and block offset, or a module of the C library's (the
// host, a library it loaded). Part of impl/image.ipp.
#ifndef VITTE_LOADER_ELF_IMAGE_IMPL_TLS_IMPORTS_IPP
#define VITTE_LOADER_ELF_IMAGE_IMPL_TLS_IMPORTS_IPP

#include <vitte/loader/elf_image/impl/host.hpp>
#include <vitte/loader/elf_image/impl/os.hpp>   // process_tls_location, process_tls_get_addr
#include <vitte/loader/elf_image/impl/tls.ipp>  // tls_index, tls_locate, tls_foreign

#include <atomic>
#include <cstdint>

#if VITTE_IMAGE_HOST
namespace vitte::loader::elf_image::detail {

/// The tls_index that reaches, from every thread, the thread-local at
/// `address` in the calling thread: an image's module id and the offset in
/// its block; for a module of the C library's, its id tagged with
/// tls_foreign (passed on to the C library's __tls_get_addr) or, where the
/// process has no __tls_get_addr (a static host, whose TLS is all static),
/// tls_from_thread_pointer and the offset from the thread pointer. False
/// when `address` is null or lies in none of the calling thread's blocks.
VITTE_DECL bool tls_import(const void* address, tls_index& out) noexcept {
  if (address == nullptr) return false;
  std::uintptr_t module = 0, offset = 0;
  if (tls_locate(address, module, offset)) {
    out = tls_index{module, offset};
    return true;
  }
  if (!process_tls_location(address, &module, &offset)) return false;
  tls_registry& r = tls_registry::get();
  tls_get_addr_fn os = r.os_get_addr.load(std::memory_order_relaxed);
  if (os == nullptr) {
    os = reinterpret_cast<tls_get_addr_fn>(reinterpret_cast<std::uintptr_t>(process_tls_get_addr()));
    r.os_get_addr.store(os, std::memory_order_relaxed);
  }
  if (os == nullptr) {
    out = tls_index{tls_from_thread_pointer, reinterpret_cast<std::uintptr_t>(address) - thread_pointer()};
    return true;
  }
  out = tls_index{module | tls_foreign, offset};
  return true;
}

}  // namespace vitte::loader::elf_image::detail
#endif  // VITTE_IMAGE_HOST

#endif  // VITTE_LOADER_ELF_IMAGE_IMPL_TLS_IMPORTS_IPP
