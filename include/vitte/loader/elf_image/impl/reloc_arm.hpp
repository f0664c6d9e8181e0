// 32-bit Arm's relocation types (REL: the addend is the word in place), as
// the in-memory ELF loader applies them.
#ifndef VITTE_LOADER_ELF_IMAGE_IMPL_RELOC_ARM_HPP
#define VITTE_LOADER_ELF_IMAGE_IMPL_RELOC_ARM_HPP

#include <vitte/loader/detail/elf_constants.hpp>  // the machine
#include <vitte/loader/elf_image/impl/reloc.hpp>

namespace vitte::loader::elf_image::detail {

struct arm_rules {
  static constexpr std::uint16_t machine = elf::em_arm;
  static constexpr bool is64 = false;
  static constexpr bool rela = false;
  static constexpr std::uint32_t relative = 23;  // the type of relative relocations: the loaders\' fast path

  static constexpr reloc_rule rule(std::uint32_t type) noexcept {
    switch (type) {
      case 0:
        return {reloc_kind::none, "R_ARM_NONE"};
      case 2:
        return {reloc_kind::absolute, "R_ARM_ABS32"};
      case 13:
        return {reloc_kind::tls_desc, "R_ARM_TLS_DESC"};
      case 17:
        return {reloc_kind::tls_module, "R_ARM_TLS_DTPMOD32"};
      case 18:
        return {reloc_kind::tls_offset, "R_ARM_TLS_DTPOFF32"};
      case 19:
        return {reloc_kind::tp_offset, "R_ARM_TLS_TPOFF32"};
      case 20:
        return {reloc_kind::copy, "R_ARM_COPY"};
      case 21:
        return {reloc_kind::symbol, "R_ARM_GLOB_DAT"};
      case 22:
        return {reloc_kind::symbol, "R_ARM_JUMP_SLOT"};
      case 23:
        return {reloc_kind::relative, "R_ARM_RELATIVE"};
      case 160:
        return {reloc_kind::irelative, "R_ARM_IRELATIVE"};
      case 3:
        return {reloc_kind::unknown, "R_ARM_REL32"};
      default:
        return {reloc_kind::unknown, nullptr};
    }
  }
};

}  // namespace vitte::loader::elf_image::detail

#endif  // VITTE_LOADER_ELF_IMAGE_IMPL_RELOC_ARM_HPP
