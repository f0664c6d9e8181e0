// What the in-memory ELF loader asks of the operating system and of the
// process's runtime, defined in detail/image_os.ipp like every other
// OS-facing definition: symbols of the process (dlsym, or in a static host
// the runtime table and the program's own symbol table), the CPU capability
// bits IFUNC resolvers get, the environment init functions get, the
// unwinder's registry of frame tables, and file pages mapped into an image.
#ifndef VITTE_LOADER_ELF_IMAGE_IMPL_OS_HPP
#define VITTE_LOADER_ELF_IMAGE_IMPL_OS_HPP

#include <vitte/base.hpp>
#include <vitte/base/config.hpp>
#include <vitte/loader/operations.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vitte::loader::elf_image::detail {

/// The process's definition of `name` (of `version` when not null and the
/// C library tells versions apart): dlvsym/dlsym in a dynamic host; the
/// runtime table, then the program's own symbol table, in a static host.
/// For a thread-local: its address in the calling thread.
VITTE_DECL void* process_symbol(const char* name, const char* version) noexcept;
/// The C library's module id of the calling thread's TLS block that holds
/// `address`, and the offset of `address` in it (dl_iterate_phdr's
/// dlpi_tls_modid and dlpi_tls_data); false when no module's block holds it.
VITTE_DECL bool process_tls_location(const void* address, std::uintptr_t* module, std::uintptr_t* offset) noexcept;
/// The C library's __tls_get_addr, which images reach the thread-locals of
/// its modules through; null in a static host, whose TLS is all static
/// (a constant offset from the thread pointer reaches it).
VITTE_DECL void* process_tls_get_addr() noexcept;
/// Opens a DT_NEEDED library the process lacks (dynamic hosts; null in a
/// static host or when it cannot be opened), its symbols, and closes it.
VITTE_DECL void* needed_open(const char* soname) noexcept;
VITTE_DECL void* needed_symbol(void* handle, const char* name, const char* version) noexcept;
VITTE_DECL void needed_close(void* handle) noexcept;
/// Whether the process provides DT_NEEDED library `soname` (image_set):
/// a library of the C and C++ runtime's (libc, libm, libpthread, libdl,
/// librt, ld.so, libgcc_s, libstdc++...: in a static host, what it links),
/// or, in a dynamic host, one already loaded. *handle (dynamic hosts): the
/// library, opened (a runtime library the host had not loaded yet, libm
/// for a C program) or referenced again, to search with needed_symbol and
/// close; null in a static host.
VITTE_DECL bool process_provides(const char* soname, void** handle) noexcept;
/// The device and inode of open file `fd` (what makes two paths one file);
/// false when they cannot be read.
VITTE_DECL bool file_identity(int fd, std::uint64_t* device, std::uint64_t* inode) noexcept;
/// The directories ld.so searches for a needed library besides the
/// object's own: LD_LIBRARY_PATH's (ignored in a set-uid program), and the
/// system's (ld.so.conf and its includes, read once per process as ld.so
/// reads its cache, then /lib, /usr/lib).
VITTE_DECL void library_dirs(std::vector<std::string>& from_env, std::vector<std::string>& system) noexcept;
/// True when this build expects a dynamic linker (VITTE_HAS_DYNAMIC_LIBRARIES)
/// and the process has none: linked with -static without the static
/// configuration, where dlsym and dlopen crash C++ modules. load() refuses
/// then, naming what to set.
VITTE_DECL bool static_process_in_dynamic_build() noexcept;
/// AT_HWCAP (which 1) and AT_HWCAP2 (which 2); 0 where unknown.
VITTE_DECL unsigned long cpu_hwcap(int which) noexcept;
/// The environment passed to init functions.
VITTE_DECL char** process_environment() noexcept;
/// Registers (and removes) an image's .eh_frame with the unwinder.
VITTE_DECL void unwind_register(const void* eh_frame) noexcept;
VITTE_DECL void unwind_deregister(const void* eh_frame) noexcept;
/// The program's own unwind table as an .eh_frame_hdr when it was linked
/// without one (g++ -static passes no --eh-frame-hdr, and the C library's
/// _dl_find_object then answers with no table): a header with no search
/// table, so an unwinder linked into an image searches the program's
/// .eh_frame linearly. Null unless `pc` lies in one of the program's
/// PT_LOAD segments (the C library's answer may cover its code only, while
/// .eh_frame sits in a read-only segment of its own: ld -z separate-code),
/// and when the program has PT_GNU_EH_FRAME or no .eh_frame.
VITTE_DECL const void* program_eh_frame_hdr(std::uintptr_t pc) noexcept;
/// 32-bit Arm: the .ARM.exidx table of the loaded object holding `pc` and
/// its entries in *count, as the C library's __gnu_Unwind_Find_exidx
/// answers (its own, else dl_iterate_phdr); 0 for none, and elsewhere.
VITTE_DECL std::uintptr_t process_unwind_table(std::uintptr_t pc, int* count) noexcept;
/// Maps `size` bytes of file descriptor `fd` from `offset` (both page
/// aligned) over the reserved pages at `at`, private (copy-on-write),
/// readable and, when `writable`, writable, or else, when `executable`,
/// executable (never both). Errors (module_load): what mmap reports.
VITTE_DECL status map_file_pages(void* at, std::size_t size, int fd, std::uint64_t offset, bool writable,
                                 bool executable) noexcept;
/// Why a static host cannot give an image `name` (of `version` when not
/// null), for the undefined-symbol message: GLIBC_PRIVATE and ld.so's names
/// (no dynamic linker to supply them), or what the static surface found
/// (docs/ELF_IMAGE.md, "Static hosts: the C library surface": a
/// compatibility symbol, a name the static archive lacks). Null when there
/// is no known reason, and always in a dynamic host. A static string.
VITTE_DECL const char* process_cannot_supply(const char* name, const char* version) noexcept;

}  // namespace vitte::loader::elf_image::detail

#if VITTE_HEADER_ONLY
#include <vitte/loader/elf_image/detail/image_os.ipp>
#endif

#endif  // VITTE_LOADER_ELF_IMAGE_IMPL_OS_HPP
