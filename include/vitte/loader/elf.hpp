// vitte/loader/elf.hpp - a reader of ELF files (32/64-bit, either byte
// order) over a byte span, for metadata: header, sections, notes.
//
//   vitte::diagnostic why;
//   auto elf = vitte::loader::elf::reader::parse(bytes, &why);
//   if (!elf) { std::puts(why.format().c_str()); return; }   // "at offset 0x3a: section header entry size too small"
//   auto sec = elf->find_section(".vitte_plugin", &why);   // errc::not_found, about ".vitte_plugin", when absent
//   vitte::span<const std::byte> data = elf->section_data(*sec);
//
// The reader never trusts the file: every offset, size, count and index is
// checked against the span before it is used (with overflow-safe
// arithmetic), and a malformed file is an error naming what is wrong and
// where (a vitte::diagnostic: the kind, the file offset, the section
// concerned as its subject), never a crash. It reads; it never loads, maps or
// runs anything. Errors (module_read): malformed, unexpected_eof (the file
// ends before a structure does), exec_format (not ELF), not_found.
//
// Thread safety: a value over the caller's bytes, which must outlive it.
#ifndef VITTE_LOADER_ELF_HPP
#define VITTE_LOADER_ELF_HPP

#include <vitte/base.hpp>
#include <vitte/base/detail/byte_view.hpp>
#include <vitte/loader/detail/elf_constants.hpp>  // et_dyn, em_*, sht_* (shared with elf_image/)
#include <vitte/loader/diagnostics.hpp>           // find_named_section, refuse
#include <vitte/loader/module.hpp>                // architecture, byte_order
#include <vitte/loader/operations.hpp>

#include <cstddef>  // std::byte
#include <cstdint>

namespace vitte::loader::elf {

/// The architecture of an ELF machine code (e_machine) and class.
constexpr architecture architecture_of(std::uint16_t machine, bool is64) noexcept {
  switch (machine) {
    case em_x86_64:
      return architecture::x86_64;
    case em_386:
      return architecture::x86;
    case em_aarch64:
      return architecture::aarch64;
    case em_arm:
      return architecture::arm;
    case em_riscv:
      return is64 ? architecture::riscv64 : architecture::riscv32;
    case em_ppc64:
      return architecture::ppc64;
    case em_ppc:
      return architecture::ppc;
    case em_s390:
      return is64 ? architecture::s390x : architecture::unknown;
    case em_mips:
      return is64 ? architecture::mips64 : architecture::mips;
    case em_loongarch:
      return architecture::loongarch64;
    default:
      return architecture::unknown;
  }
}

/// One section header, decoded.
struct section {
  std::uint32_t index = 0;
  text_view name;
  std::uint32_t type = 0;
  std::uint64_t flags = 0;
  std::uint64_t address = 0;
  std::uint64_t offset = 0;  ///< File offset of the contents.
  std::uint64_t size = 0;    ///< Bytes (no file bytes when type is SHT_NOBITS).
};

/// Reads an ELF file held in memory.
class reader {
 public:
  /// Checks the identification and the file header, and locates the section
  /// header table and its string table. Errors: see the header.
  static result<reader> parse(span<const std::byte> bytes, vitte::diagnostic* why = nullptr) noexcept;

  bool is_64() const noexcept { return is64_; }
  byte_order order() const noexcept { return v_.big_endian ? byte_order::big : byte_order::little; }
  std::uint16_t type() const noexcept { return type_; }        ///< e_type: et_dyn for shared objects.
  std::uint16_t machine() const noexcept { return machine_; }  ///< e_machine.
  architecture arch() const noexcept { return architecture_of(machine_, is64_); }
  std::uint32_t section_count() const noexcept { return shnum_; }

  /// Section `i` (0 <= i < section_count()), its name resolved. Errors:
  /// malformed (name outside the string table, contents outside the file).
  result<section> section_at(std::uint32_t i, vitte::diagnostic* why = nullptr) const noexcept;
  /// The first section called `name`. Errors: not_found, and those of section_at.
  result<section> find_section(text_view name, vitte::diagnostic* why = nullptr) const noexcept;
  /// The file bytes of `s` (empty for SHT_NOBITS). Valid for sections from
  /// section_at(), whose range was checked.
  span<const std::byte> section_data(const section& s) const noexcept {
    if (s.type == sht_nobits) return {};
    return v_.sub(s.offset, s.size);
  }
  /// The GNU build id (NT_GNU_BUILD_ID note) as bytes; empty when absent
  /// or malformed.
  span<const std::byte> build_id() const noexcept;

  /// The byte view (for readers of section contents).
  const vitte::detail::byte_view& view() const noexcept { return v_; }

 private:
  vitte::detail::byte_view v_;
  bool is64_ = false;
  std::uint16_t type_ = 0;
  std::uint16_t machine_ = 0;
  std::uint64_t shoff_ = 0;
  std::uint32_t shentsize_ = 0;
  std::uint32_t shnum_ = 0;
  section strtab_{};  // section names
};

}  // namespace vitte::loader::elf

#if VITTE_HEADER_ONLY
#include <vitte/loader/impl/elf.ipp>
#endif

#endif  // VITTE_LOADER_ELF_HPP
