// x86_64's relocation types, as the in-memory ELF loader applies them.
#ifndef VITTE_LOADER_ELF_IMAGE_IMPL_RELOC_X86_64_HPP
#define VITTE_LOADER_ELF_IMAGE_IMPL_RELOC_X86_64_HPP

#include <vitte/loader/detail/elf_constants.hpp>  // the machine
#include <vitte/loader/elf_image/impl/reloc.hpp>

namespace vitte::loader::elf_image::detail {

struct x86_64_rules {
  static constexpr std::uint16_t machine = elf::em_x86_64;
  static constexpr bool is64 = true;
  static constexpr bool rela = true;
  static constexpr std::uint32_t relative = 8;  // the type of relative relocations: the loaders\' fast path

  static constexpr reloc_rule rule(std::uint32_t type) noexcept {
    switch (type) {
      case 0:
        return {reloc_kind::none, "R_X86_64_NONE"};
      case 1:
        return {reloc_kind::absolute, "R_X86_64_64"};
      case 5:
        return {reloc_kind::copy, "R_X86_64_COPY"};
      case 6:
        return {reloc_kind::symbol, "R_X86_64_GLOB_DAT"};
      case 7:
        return {reloc_kind::symbol, "R_X86_64_JUMP_SLOT"};
      case 8:
        return {reloc_kind::relative, "R_X86_64_RELATIVE"};
      case 16:
        return {reloc_kind::tls_module, "R_X86_64_DTPMOD64"};
      case 17:
        return {reloc_kind::tls_offset, "R_X86_64_DTPOFF64"};
      case 18:
        return {reloc_kind::tp_offset, "R_X86_64_TPOFF64"};
      case 36:
        return {reloc_kind::tls_desc, "R_X86_64_TLSDESC"};
      case 37:
        return {reloc_kind::irelative, "R_X86_64_IRELATIVE"};
      case 2:
        return {reloc_kind::unknown, "R_X86_64_PC32"};
      case 10:
        return {reloc_kind::unknown, "R_X86_64_32"};
      case 11:
        return {reloc_kind::unknown, "R_X86_64_32S"};
      default:
        return {reloc_kind::unknown, nullptr};
    }
  }
};

}  // namespace vitte::loader::elf_image::detail

#endif  // VITTE_LOADER_ELF_IMAGE_IMPL_RELOC_X86_64_HPP
