// The ELF constants vitte's ELF code names: the metadata reader
// (vitte/loader/elf.hpp) and the in-memory loader (vitte/loader/elf_image/)
// both use these, so a value is written once, under the name the ELF
// specification and <elf.h> give it (lowercase: PT_GNU_RELRO is
// elf::pt_gnu_relro). No OS header: the values are the format's.
#ifndef VITTE_LOADER_DETAIL_ELF_CONSTANTS_HPP
#define VITTE_LOADER_DETAIL_ELF_CONSTANTS_HPP

#include <cstdint>

namespace vitte::loader::elf {

// Identification (e_ident).
inline constexpr unsigned ei_class = 4, ei_data = 5, ei_version = 6;
inline constexpr unsigned elfclass32 = 1, elfclass64 = 2;
inline constexpr unsigned elfdata2lsb = 1, elfdata2msb = 2;
inline constexpr unsigned ev_current = 1;

// File types (e_type) and machines (e_machine).
inline constexpr std::uint16_t et_rel = 1, et_exec = 2, et_dyn = 3;
inline constexpr std::uint16_t em_386 = 3, em_mips = 8, em_ppc = 20, em_ppc64 = 21, em_s390 = 22, em_arm = 40,
                               em_x86_64 = 62, em_aarch64 = 183, em_riscv = 243, em_loongarch = 258;

// Section types, special section indices, notes.
inline constexpr std::uint32_t sht_nobits = 8, sht_note = 7;
inline constexpr std::uint16_t shn_undef = 0, shn_loreserve = 0xff00, shn_abs = 0xfff1, shn_xindex = 0xffff;
inline constexpr std::uint32_t nt_gnu_build_id = 3;

// Program headers: types, flags, the extended count.
inline constexpr std::uint32_t pt_load = 1, pt_dynamic = 2, pt_tls = 7;
inline constexpr std::uint32_t pt_gnu_eh_frame = 0x6474e550, pt_gnu_stack = 0x6474e551, pt_gnu_relro = 0x6474e552;
inline constexpr std::uint32_t pt_arm_exidx = 0x70000001;  // 32-bit Arm's (another processor's type elsewhere)
inline constexpr std::uint32_t pf_x = 1, pf_w = 2, pf_r = 4;
inline constexpr std::uint16_t pn_xnum = 0xffff;

// Dynamic section tags (d_tag), DT_FLAGS and DT_FLAGS_1 bits.
inline constexpr std::int64_t dt_null = 0, dt_needed = 1, dt_pltrelsz = 2, dt_hash = 4, dt_strtab = 5, dt_symtab = 6,
                              dt_rela = 7, dt_relasz = 8, dt_relaent = 9, dt_strsz = 10, dt_syment = 11, dt_init = 12,
                              dt_fini = 13, dt_rpath = 15, dt_symbolic = 16, dt_rel = 17, dt_relsz = 18, dt_relent = 19,
                              dt_pltrel = 20, dt_textrel = 22, dt_jmprel = 23, dt_init_array = 25, dt_fini_array = 26,
                              dt_init_arraysz = 27, dt_fini_arraysz = 28, dt_runpath = 29, dt_flags = 30,
                              dt_relrsz = 35, dt_relr = 36, dt_relrent = 37;
inline constexpr std::int64_t dt_gnu_hash = 0x6ffffef5, dt_versym = 0x6ffffff0, dt_flags_1 = 0x6ffffffb,
                              dt_verdef = 0x6ffffffc, dt_verdefnum = 0x6ffffffd, dt_verneed = 0x6ffffffe,
                              dt_verneednum = 0x6fffffff;
inline constexpr std::uint64_t df_textrel = 0x4, df_static_tls = 0x10;
inline constexpr std::uint64_t df_1_nodelete = 0x8;  // DT_FLAGS_1: never unloaded

// Symbols: types, bindings, visibility, version indices.
inline constexpr unsigned stt_tls = 6, stt_gnu_ifunc = 10;
inline constexpr unsigned stb_local = 0, stb_weak = 2;
inline constexpr unsigned stv_default = 0;
inline constexpr std::uint16_t ver_ndx_global = 1;          // indices below this are local or global
inline constexpr std::uint16_t versym_hidden = 0x8000;      // not the default version
inline constexpr std::uint16_t versym_index_mask = 0x7fff;  // the index without versym_hidden

}  // namespace vitte::loader::elf

#endif  // VITTE_LOADER_DETAIL_ELF_CONSTANTS_HPP
