// RISC-V 64's relocation types (RELA), as the in-memory ELF loader applies
// them, and the ELF header flags an image must share with the host (its
// float ABI and the E base ISA).
#ifndef VITTE_LOADER_ELF_IMAGE_IMPL_RELOC_RISCV64_HPP
#define VITTE_LOADER_ELF_IMAGE_IMPL_RELOC_RISCV64_HPP

#include <vitte/loader/detail/elf_constants.hpp>  // the machine
#include <vitte/loader/elf_image/impl/reloc.hpp>

namespace vitte::loader::elf_image::detail {

struct riscv64_rules {
  static constexpr std::uint16_t machine = elf::em_riscv;
  static constexpr bool is64 = true;
  static constexpr bool rela = true;
  static constexpr std::uint32_t relative = 3;  // the type of relative relocations: the loaders' fast path

  // e_flags (the RISC-V psABI): EF_RISCV_FLOAT_ABI (bits 1-2) and EF_RISCV_RVE.
  static constexpr std::uint32_t ef_float_abi = 0x6, ef_rve = 0x8;
  /// The host's e_flags bits under `ef_float_abi | ef_rve` (what its compiler was told: -mabi).
  static constexpr std::uint32_t host_flags =
#if defined(__riscv_float_abi_double)
      0x4
#elif defined(__riscv_float_abi_single)
      0x2
#elif defined(__riscv_float_abi_quad)
      0x6
#else
      0x0
#endif
#if defined(__riscv_32e) || defined(__riscv_64e)
      | ef_rve
#endif
      ;
  /// The ABI a value of those bits names, for messages.
  static constexpr const char* abi_name(std::uint32_t flags) noexcept {
    if ((flags & ef_rve) != 0) return "the E base ISA (lp64e)";
    switch (flags & ef_float_abi) {
      case 0x0:
        return "soft-float (lp64)";
      case 0x2:
        return "single-float (lp64f)";
      case 0x4:
        return "double-float (lp64d)";
      default:
        return "quad-float (lp64q)";
    }
  }
  /// Null when an image with these e_flags can run in this process; else
  /// what differs (floating-point arguments travel in other registers, or
  /// the image assumes 16 integer registers).
  static constexpr const char* flags_problem(std::uint32_t e_flags) noexcept {
    if ((e_flags & (ef_float_abi | ef_rve)) == host_flags) return nullptr;
    return (e_flags & ef_rve) != (host_flags & ef_rve) ? "ELF e_flags name another base ISA (RVE) than this host's"
                                                       : "ELF e_flags name another float ABI than this host's";
  }

  static constexpr reloc_rule rule(std::uint32_t type) noexcept {
    switch (type) {
      case 0:
        return {reloc_kind::none, "R_RISCV_NONE"};
      case 2:
        return {reloc_kind::absolute, "R_RISCV_64"};  // also the GOT's entries: RISC-V has no GLOB_DAT
      case 3:
        return {reloc_kind::relative, "R_RISCV_RELATIVE"};
      case 4:
        return {reloc_kind::copy, "R_RISCV_COPY"};
      case 5:
        return {reloc_kind::absolute, "R_RISCV_JUMP_SLOT"};  // S + A, as glibc applies it
      case 7:
        return {reloc_kind::tls_module, "R_RISCV_TLS_DTPMOD64"};
      case 9:
        return {reloc_kind::tls_offset, "R_RISCV_TLS_DTPREL64"};  // S + A - 0x800 (tls.hpp: tls_dtv_offset)
      case 11:
        return {reloc_kind::tp_offset, "R_RISCV_TLS_TPREL64"};
      case 58:
        return {reloc_kind::irelative, "R_RISCV_IRELATIVE"};
      case 1:
        return {reloc_kind::unknown, "R_RISCV_32"};
      case 12:
        return {reloc_kind::unknown, "R_RISCV_TLSDESC (TLS descriptors: build with -mtls-dialect=trad)"};
      default:
        return {reloc_kind::unknown, nullptr};
    }
  }
};

}  // namespace vitte::loader::elf_image::detail

#endif  // VITTE_LOADER_ELF_IMAGE_IMPL_RELOC_RISCV64_HPP
