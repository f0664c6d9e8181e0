// Images seen by debuggers: GDB's JIT interface (also read by LLDB). Each
// image hands the debugger a small ELF file of its symbols at the addresses
// it runs at, so a backtrace through a plugin names its functions.
#ifndef VITTE_LOADER_ELF_IMAGE_IMPL_DEBUGGER_IPP
#define VITTE_LOADER_ELF_IMAGE_IMPL_DEBUGGER_IPP

#include <vitte/loader/elf_image/impl/jit_interface.hpp>
#include <vitte/loader/elf_image/impl/reloc_riscv64.hpp>  // a RISC-V host's e_flags
#include <vitte/sys/mutex.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <mutex>  // std::lock_guard
#include <vector>

namespace vitte::loader::elf_image::detail {

/// One image's registration.
struct debug_entry {
  vitte_jit_code_entry entry{};
  std::vector<std::byte> file;  // the copy the debugger reads
  bool registered = false;
};

VITTE_DECL sys::mutex& debug_lock() noexcept {
  static sys::mutex m;
  return m;
}

/// Writes the symbol file the debugger reads: an ELF file of the host's
/// class with one NOBITS section spanning the image at its address, and
/// the image's dynamic symbols (`syms`, `count` entries of the ELF symbol
/// layout) moved by `bias` onto it, with their string table. A few bytes
/// per symbol: the image's code is never copied.
VITTE_DECL void debug_symfile(std::vector<std::byte>& f, const std::byte* syms, std::size_t count, const char* strtab,
                              std::size_t strsz, std::uintptr_t start, std::size_t size, std::uintptr_t bias) {
  constexpr bool is64 = sizeof(void*) == 8;
  constexpr std::size_t eh = is64 ? 64 : 52, sh = is64 ? 64 : 40, ent = is64 ? 24 : 16;
  static constexpr char shstr[] = "\0.text\0.symtab\0.strtab\0.shstrtab";  // names at 1, 7, 15, 23
  const std::size_t symoff = eh, stroff = symoff + count * ent, shstroff = stroff + strsz;
  const std::size_t shoff = (shstroff + sizeof shstr + 7) / 8 * 8;
  f.assign(shoff + 5 * sh, std::byte{0});
  auto put = [&](std::size_t off, auto v) { std::memcpy(f.data() + off, &v, sizeof v); };
  auto word = [&](std::size_t off, std::uint64_t v) {
    if constexpr (is64)
      put(off, v);
    else
      put(off, static_cast<std::uint32_t>(v));
  };
  const unsigned char ident[16] = {0x7f, 'E', 'L', 'F', is64 ? 2 : 1, 1, 1};
  std::memcpy(f.data(), ident, 16);
  put(16, std::uint16_t{3});  // ET_DYN
#if defined(__x86_64__)
  put(18, std::uint16_t{62});
#elif defined(__aarch64__)
  put(18, std::uint16_t{183});
#elif defined(__riscv)
  put(18, std::uint16_t{243});
  put(48, riscv64_rules::host_flags);  // the float ABI the debugger reads
#else
  put(18, std::uint16_t{40});
#endif
  put(20, std::uint32_t{1});
  word(is64 ? 40 : 32, shoff);
  put(is64 ? 52 : 40, static_cast<std::uint16_t>(eh));
  put(is64 ? 58 : 46, static_cast<std::uint16_t>(sh));
  put(is64 ? 60 : 48, std::uint16_t{5});
  put(is64 ? 62 : 50, std::uint16_t{4});  // .shstrtab
  std::memcpy(f.data() + symoff, syms, count * ent);
  for (std::size_t i = 1; i < count; ++i) {  // defined symbols: onto .text, at their address
    std::size_t e = symoff + i * ent;
    std::uint16_t shndx;
    std::memcpy(&shndx, f.data() + e + (is64 ? 6 : 14), 2);
    if (shndx == 0 || shndx >= 0xff00) continue;
    put(e + (is64 ? 6 : 14), std::uint16_t{1});
    std::uint64_t v = 0;
    std::memcpy(&v, f.data() + e + (is64 ? 8 : 4), is64 ? 8 : 4);
    word(e + (is64 ? 8 : 4), v + bias);
  }
  std::memcpy(f.data() + stroff, strtab, strsz);
  std::memcpy(f.data() + shstroff, shstr, sizeof shstr);
  auto section = [&](std::size_t n, std::uint32_t name, std::uint32_t type, std::uint64_t flags, std::uint64_t addr,
                     std::uint64_t off, std::uint64_t sz, std::uint32_t link, std::uint32_t info, std::uint64_t es) {
    std::size_t h = shoff + n * sh;
    put(h, name);
    put(h + 4, type);
    word(h + 8, flags);
    word(h + (is64 ? 16 : 12), addr);
    word(h + (is64 ? 24 : 16), off);
    word(h + (is64 ? 32 : 20), sz);
    put(h + (is64 ? 40 : 24), link);
    put(h + (is64 ? 44 : 28), info);
    word(h + (is64 ? 48 : 32), 1);
    word(h + (is64 ? 56 : 36), es);
  };
  section(1, 1, 8, 6, start, shoff, size, 0, 0, 0);          // .text: NOBITS, alloc + exec
  section(2, 7, 2, 0, 0, symoff, count * ent, 3, 1, ent);    // .symtab
  section(3, 15, 3, 0, 0, stroff, strsz, 0, 0, 0);           // .strtab
  section(4, 23, 3, 0, 0, shstroff, sizeof shstr, 0, 0, 0);  // .shstrtab
}

/// Tells the debugger about an image (its symbol file, see debug_symfile).
VITTE_DECL void debug_register(debug_entry& d, const std::byte* syms, std::size_t count, const char* strtab,
                               std::size_t strsz, std::uintptr_t start, std::size_t size, std::uintptr_t bias) {
  debug_symfile(d.file, syms, count, strtab, strsz, start, size, bias);
  d.entry.symfile_addr = reinterpret_cast<const char*>(d.file.data());
  d.entry.symfile_size = d.file.size();
  std::lock_guard<sys::mutex> g(debug_lock());
  d.entry.prev_entry = nullptr;
  d.entry.next_entry = __jit_debug_descriptor.first_entry;
  if (d.entry.next_entry != nullptr) d.entry.next_entry->prev_entry = &d.entry;
  __jit_debug_descriptor.first_entry = &d.entry;
  __jit_debug_descriptor.relevant_entry = &d.entry;
  __jit_debug_descriptor.action_flag = 1;
  __jit_debug_register_code();
  d.registered = true;
}

VITTE_DECL void debug_unregister(debug_entry& d) noexcept {
  if (!d.registered) return;
  std::lock_guard<sys::mutex> g(debug_lock());
  if (d.entry.prev_entry != nullptr)
    d.entry.prev_entry->next_entry = d.entry.next_entry;
  else
    __jit_debug_descriptor.first_entry = d.entry.next_entry;
  if (d.entry.next_entry != nullptr) d.entry.next_entry->prev_entry = d.entry.prev_entry;
  __jit_debug_descriptor.relevant_entry = &d.entry;
  __jit_debug_descriptor.action_flag = 2;
  __jit_debug_register_code();
  d.registered = false;
}

}  // namespace vitte::loader::elf_image::detail

#endif  // VITTE_LOADER_ELF_IMAGE_IMPL_DEBUGGER_IPP
