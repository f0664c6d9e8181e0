// AArch64's relocation types, as the in-memory ELF loader applies them.
#ifndef VITTE_LOADER_ELF_IMAGE_IMPL_RELOC_AARCH64_HPP
#define VITTE_LOADER_ELF_IMAGE_IMPL_RELOC_AARCH64_HPP

#include <vitte/loader/detail/elf_constants.hpp>  // the machine
#include <vitte/loader/elf_image/impl/reloc.hpp>

namespace vitte::loader::elf_image::detail {

struct aarch64_rules {
  static constexpr std::uint16_t machine = elf::em_aarch64;
  static constexpr bool is64 = true;
  static constexpr bool rela = true;
  static constexpr std::uint32_t relative = 1027;  // the type of relative relocations: the loaders\' fast path

  static constexpr reloc_rule rule(std::uint32_t type) noexcept {
    switch (type) {
      case 0:
        return {reloc_kind::none, "R_AARCH64_NONE"};
      case 257:
        return {reloc_kind::absolute, "R_AARCH64_ABS64"};
      case 1024:
        return {reloc_kind::copy, "R_AARCH64_COPY"};
      case 1025:
        return {reloc_kind::absolute, "R_AARCH64_GLOB_DAT"};  // S + A on AArch64
      case 1026:
        return {reloc_kind::absolute, "R_AARCH64_JUMP_SLOT"};
      case 1027:
        return {reloc_kind::relative, "R_AARCH64_RELATIVE"};
      case 1028:
        return {reloc_kind::tls_module, "R_AARCH64_TLS_DTPMOD64"};
      case 1029:
        return {reloc_kind::tls_offset, "R_AARCH64_TLS_DTPREL64"};
      case 1030:
        return {reloc_kind::tp_offset, "R_AARCH64_TLS_TPREL64"};
      case 1031:
        return {reloc_kind::tls_desc, "R_AARCH64_TLSDESC"};
      case 1032:
        return {reloc_kind::irelative, "R_AARCH64_IRELATIVE"};
      case 258:
        return {reloc_kind::unknown, "R_AARCH64_ABS32"};
      default:
        return {reloc_kind::unknown, nullptr};
    }
  }
};

}  // namespace vitte::loader::elf_image::detail

#endif  // VITTE_LOADER_ELF_IMAGE_IMPL_RELOC_AARCH64_HPP
