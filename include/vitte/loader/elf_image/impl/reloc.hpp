// What the in-memory ELF loader does with each relocation type: the kinds
// shared by every architecture, and one small file per architecture
// (reloc_x86_64.hpp, reloc_aarch64.hpp, reloc_arm.hpp) mapping its types
// to them.
#ifndef VITTE_LOADER_ELF_IMAGE_IMPL_RELOC_HPP
#define VITTE_LOADER_ELF_IMAGE_IMPL_RELOC_HPP

#include <cstdint>

namespace vitte::loader::elf_image::detail {

/// W: the word written (64 or 32 bits). B: the base, S: the symbol's
/// address, A: the addend (RELA's, or the word in place for REL).
enum class reloc_kind : std::uint8_t {
  none,        ///< nothing
  relative,    ///< B + A
  absolute,    ///< S + A
  symbol,      ///< S (GLOB_DAT, JUMP_SLOT: the addend is ignored)
  irelative,   ///< resolver(B + A)(), applied after the others
  tls_module,  ///< the TLS module id of the symbol's definer, this image or another module (DTPMOD)
  tls_offset,  ///< S + A within the definer's TLS block (DTPOFF); S a TLS symbol's offset there
  tls_desc,    ///< a TLS descriptor: {resolver, argument}
  tp_offset,   ///< refused: initial-exec (static) TLS
  copy,        ///< refused: COPY
  unknown,     ///< refused, named
};

/// One relocation type of an architecture.
struct reloc_rule {
  reloc_kind kind;
  const char* name;  ///< "R_X86_64_64"
};

}  // namespace vitte::loader::elf_image::detail

#endif  // VITTE_LOADER_ELF_IMAGE_IMPL_RELOC_HPP
