// Images seen by debuggers: GDB's JIT interface (also read by LLDB). Each
// image hands the debugger a copy of its file whose addresses are those it
// runs at (section and segment addresses, symbol values moved by the load
// bias), so a backtrace through a plugin names its functions.
#ifndef VITTE_LOADER_NATIVE_IMPL_DEBUGGER_HPP
#define VITTE_LOADER_NATIVE_IMPL_DEBUGGER_HPP

#include <vitte/sys/mutex.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <mutex>  // std::lock_guard
#include <span>
#include <string_view>
#include <vector>

extern "C" {
/// GDB's JIT interface (gdb/doc, "JIT Compilation Interface"), by its names.
struct vitte_jit_code_entry {
  vitte_jit_code_entry* next_entry;
  vitte_jit_code_entry* prev_entry;
  const char* symfile_addr;
  std::uint64_t symfile_size;
};
struct vitte_jit_descriptor {
  std::uint32_t version;
  std::uint32_t action_flag;  // 0 none, 1 register, 2 unregister
  vitte_jit_code_entry* relevant_entry;
  vitte_jit_code_entry* first_entry;
};
// The debugger sets a breakpoint in this function; its body must stay.
__attribute__((noinline, used)) inline void __jit_debug_register_code() { __asm__ volatile("" ::: "memory"); }
inline vitte_jit_descriptor __jit_debug_descriptor{1, 0, nullptr, nullptr};
}

namespace vitte::loader::native::detail {

/// One image's registration.
struct debug_entry {
  vitte_jit_code_entry entry{};
  std::vector<std::byte> file;  // the copy the debugger reads
  bool registered = false;
};

inline sys::mutex& debug_lock() noexcept {
  static sys::mutex m;
  return m;
}

/// Moves the addresses of the copy by `bias`; false when a header lies
/// outside it (the copy is then not registered).
inline bool debug_relocate(std::vector<std::byte>& f, std::uintptr_t bias) noexcept {
  constexpr bool is64 = sizeof(void*) == 8;
  using word = std::conditional_t<is64, std::uint64_t, std::uint32_t>;
  auto rd = [&](std::size_t off, auto v) {
    std::memcpy(&v, f.data() + off, sizeof v);
    return v;
  };
  auto add = [&](std::size_t off) {
    word w;
    std::memcpy(&w, f.data() + off, sizeof w);
    w = static_cast<word>(w + bias);
    std::memcpy(f.data() + off, &w, sizeof w);
  };
  if (f.size() < (is64 ? 64u : 52u)) return false;
  std::uint64_t shoff = is64 ? rd(40, std::uint64_t{}) : rd(32, std::uint32_t{});
  std::uint64_t phoff = is64 ? rd(32, std::uint64_t{}) : rd(28, std::uint32_t{});
  std::size_t shentsize = rd(is64 ? 58 : 46, std::uint16_t{}), shnum = rd(is64 ? 60 : 48, std::uint16_t{});
  std::size_t phentsize = rd(is64 ? 54 : 42, std::uint16_t{}), phnum = rd(is64 ? 56 : 44, std::uint16_t{});
  if (shentsize != (is64 ? 64u : 40u) || phentsize != (is64 ? 56u : 32u)) return false;
  if (shoff > f.size() || shnum * shentsize > f.size() - shoff || phoff > f.size() ||
      phnum * phentsize > f.size() - phoff)
    return false;
  add(is64 ? 24 : 24);  // e_entry
  for (std::size_t i = 0; i < phnum; ++i) {
    std::size_t h = phoff + i * phentsize;
    add(h + (is64 ? 16 : 8));   // p_vaddr
    add(h + (is64 ? 24 : 12));  // p_paddr
  }
  for (std::size_t i = 0; i < shnum; ++i) {
    std::size_t h = shoff + i * shentsize;
    std::uint32_t type = rd(h + 4, std::uint32_t{});
    std::uint64_t flags = is64 ? rd(h + 8, std::uint64_t{}) : rd(h + 8, std::uint32_t{});
    if ((flags & 2) != 0) add(h + (is64 ? 16 : 12));  // SHF_ALLOC: sh_addr
    if (type != 2 && type != 11) continue;            // SHT_SYMTAB, SHT_DYNSYM
    std::uint64_t off = is64 ? rd(h + 24, std::uint64_t{}) : rd(h + 16, std::uint32_t{});
    std::uint64_t size = is64 ? rd(h + 32, std::uint64_t{}) : rd(h + 20, std::uint32_t{});
    constexpr std::size_t ent = is64 ? 24 : 16;
    if (off > f.size() || size > f.size() - off) return false;
    for (std::uint64_t s = off; s + ent <= off + size; s += ent) {
      std::uint16_t shndx = rd(s + (is64 ? 6 : 14), std::uint16_t{});
      if (shndx != 0 && shndx < 0xff00) add(s + (is64 ? 8 : 4));
    }
  }
  return true;
}

/// Tells the debugger about an image loaded at `bias` from `bytes`.
inline void debug_register(debug_entry& d, std::span<const std::byte> bytes, std::uintptr_t bias, std::string_view) {
  d.file.assign(bytes.begin(), bytes.end());
  if (!debug_relocate(d.file, bias)) {
    d.file = {};
    return;
  }
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

inline void debug_unregister(debug_entry& d) noexcept {
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

}  // namespace vitte::loader::native::detail

#endif  // VITTE_LOADER_NATIVE_IMPL_DEBUGGER_HPP
