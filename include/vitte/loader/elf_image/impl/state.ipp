// What a loaded in-memory ELF image keeps (image_state). Part of
// impl/image.ipp.
#ifndef VITTE_LOADER_ELF_IMAGE_IMPL_STATE_IPP
#define VITTE_LOADER_ELF_IMAGE_IMPL_STATE_IPP

#include <vitte/loader/elf_image/impl/counters.hpp>
#include <vitte/loader/elf_image/impl/debugger.ipp>   // debug_entry
#include <vitte/loader/elf_image/impl/elf_parse.ipp>  // segment
#include <vitte/loader/elf_image/impl/tls.ipp>        // tls_index
#include <vitte/sys/memory.hpp>                       // sys::region

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#if VITTE_IMAGE_HOST
namespace vitte::loader::elf_image::detail {

/// Everything a loaded image keeps.
struct image_state {
  sys::region region;
  std::uintptr_t bias = 0;  // runtime address = bias + vaddr
  std::uint64_t lo = 0, hi = 0;
  std::vector<segment> loads;
  // Tables in the mapped image (read-only after load).
  const std::byte* symtab = nullptr;
  std::size_t nsyms = 0;
  const char* strtab = nullptr;
  std::size_t strsz = 0;
  const std::byte* gnu_hash = nullptr;
  const std::byte* sysv_hash = nullptr;
  const std::uint16_t* versym = nullptr;
  // The hash tables' sizes, read once from the input as load() checked
  // them: a relocation may write over the image's copy of a table that
  // lies in a writable segment, and lookups never read past these.
  std::uint32_t gnu_nbucket = 0, gnu_symoffset = 0, gnu_bloom = 0, gnu_shift = 0;
  std::size_t gnu_nsyms = 0;  // the symbols its chains cover
  std::uint32_t sysv_nbucket = 0, sysv_nchain = 0;
  std::vector<std::string_view> versions;  // by version index (defined and needed)
  // Running.
  std::uint64_t init = 0, fini = 0, init_array = 0, fini_array = 0;
  std::size_t init_count = 0, fini_count = 0;
  bool has_init = false, has_fini = false, inited = false, pinned = false, mapped = false;
  bool dormant = false;          // an image_set's image with unbound symbols: none of its code runs, it is closed
  bool nodelete = false;         // DF_1_NODELETE or image_options::unload: stays loaded, finalised at exit
  bool marked_nodelete = false;  // DF_1_NODELETE in DT_FLAGS_1
  std::uintptr_t tls_module = 0;
  std::vector<tls_index> tls_descs;  // arguments of TLS descriptors (stable: reserved before use)
  const void* eh_frame = nullptr;
  std::uintptr_t exidx = 0;  // 32-bit Arm: the .ARM.exidx table and its entries
  int exidx_count = 0;
  std::vector<void*> needed_handles;
  debug_entry debug{};
  std::atomic<std::size_t> refs{1};  // the owner, and each thread_local destructor not yet run
  bool ifunc = true;                 // image_options::ifunc: symbol() may run a resolver
  std::string name;
  std::uint64_t device = 0, inode = 0;  // the file an image_set loaded it from (0: unknown)
  image_stats stats;
  // What dl_iterate_phdr and _dl_find_object say of it (image_dl_*).
  std::vector<std::byte> phdrs;  // a copy of the program header table
  std::uint16_t phnum = 0;
  const void* eh_frame_hdr = nullptr;
};

}  // namespace vitte::loader::elf_image::detail
#endif  // VITTE_IMAGE_HOST

#endif  // VITTE_LOADER_ELF_IMAGE_IMPL_STATE_IPP
