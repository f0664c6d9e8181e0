// GDB's JIT interface (gdb/doc, "JIT Compilation Interface"; LLDB reads it
// too), by its names: the list of the symbol files impl/debugger.ipp hands
// debuggers, one per image. A header of its own: tests read the list in
// compiled mode too.
#ifndef VITTE_LOADER_ELF_IMAGE_IMPL_JIT_INTERFACE_HPP
#define VITTE_LOADER_ELF_IMAGE_IMPL_JIT_INTERFACE_HPP

#include <cstdint>

extern "C" {
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
// Inline (a weak definition) in compiled mode too: any JIT of the process
// (LLVM's) defines these names as well, and one definition wins.
__attribute__((noinline, used)) inline void __jit_debug_register_code() { __asm__ volatile("" ::: "memory"); }
inline vitte_jit_descriptor __jit_debug_descriptor{1, 0, nullptr, nullptr};
}

#endif  // VITTE_LOADER_ELF_IMAGE_IMPL_JIT_INTERFACE_HPP
