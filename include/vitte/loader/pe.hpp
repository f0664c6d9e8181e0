// vitte/loader/pe.hpp - a reader of PE/COFF images (PE32 and PE32+) over a
// byte span, for metadata: headers and sections.
//
//   vitte::diagnostic why;
//   auto pe = vitte::loader::pe::reader::parse(bytes, &why);
//   if (!pe) { std::puts(why.format().c_str()); return; }   // "at offset 0x80: bad PE signature"
//   auto sec = pe->find_section(".vitplug", &why);
//   vitte::span<const std::byte> data = pe->section_data(*sec);
//
// As the ELF reader: every offset, size and count is checked against the
// span before use; malformed input is an error naming the problem and its
// offset, never a crash; nothing is loaded or run. Long section names
// ("/123", an offset into the COFF string table) are resolved when the
// image keeps a string table. Errors (module_read): malformed,
// unexpected_eof, exec_format (not PE), not_found.
//
// Thread safety: a value over the caller's bytes, which must outlive it.
#ifndef VITTE_LOADER_PE_HPP
#define VITTE_LOADER_PE_HPP

#include <vitte/base.hpp>
#include <vitte/base/detail/byte_view.hpp>
#include <vitte/base/detail/decimal.hpp>  // long section names
#include <vitte/loader/diagnostics.hpp>
#include <vitte/loader/module.hpp>  // architecture
#include <vitte/loader/operations.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::loader::pe {

inline constexpr std::uint16_t machine_i386 = 0x014c, machine_amd64 = 0x8664, machine_arm64 = 0xaa64,
                               machine_armnt = 0x01c4, machine_riscv64 = 0x5064, machine_riscv32 = 0x5032;
inline constexpr std::uint16_t characteristic_dll = 0x2000;

/// The architecture of a COFF machine code.
constexpr architecture architecture_of(std::uint16_t machine) noexcept {
  switch (machine) {
    case machine_amd64:
      return architecture::x86_64;
    case machine_i386:
      return architecture::x86;
    case machine_arm64:
      return architecture::aarch64;
    case machine_armnt:
      return architecture::arm;
    case machine_riscv64:
      return architecture::riscv64;
    case machine_riscv32:
      return architecture::riscv32;
    default:
      return architecture::unknown;
  }
}

/// One section, decoded.
struct section {
  std::uint32_t index = 0;
  text_view name;                     ///< Up to 8 bytes, or the long name.
  std::uint32_t virtual_size = 0;     ///< Bytes in memory.
  std::uint32_t virtual_address = 0;  ///< RVA.
  std::uint32_t raw_size = 0;         ///< Bytes in the file (rounded to the file alignment).
  std::uint32_t raw_offset = 0;       ///< File offset of the contents.
  std::uint32_t characteristics = 0;
};

/// Reads a PE image held in memory.
class reader {
 public:
  /// Checks the DOS stub, the PE signature, the COFF header and the optional
  /// header's magic, and locates the section table. Errors: see the header.
  static result<reader> parse(span<const std::byte> bytes, vitte::diagnostic* why = nullptr) noexcept;

  std::uint16_t machine() const noexcept { return machine_; }
  architecture arch() const noexcept { return architecture_of(machine_); }
  bool is_pe32_plus() const noexcept { return plus_; }
  bool is_dll() const noexcept { return (characteristics_ & characteristic_dll) != 0; }
  std::uint32_t section_count() const noexcept { return nsections_; }

  /// Section `i`. Errors: malformed (contents outside the file, bad long name).
  result<section> section_at(std::uint32_t i, vitte::diagnostic* why = nullptr) const noexcept;
  /// The first section called `name`. Errors: not_found, and those of section_at.
  result<section> find_section(text_view name, vitte::diagnostic* why = nullptr) const noexcept;
  /// The bytes of `s` present in the file: min(virtual size, raw size)
  /// (a virtual size of 0 means the raw size).
  span<const std::byte> section_data(const section& s) const noexcept {
    std::uint32_t n = s.virtual_size != 0 && s.virtual_size < s.raw_size ? s.virtual_size : s.raw_size;
    return v_.sub(s.raw_offset, n);
  }

  const vitte::detail::byte_view& view() const noexcept { return v_; }

 private:
  vitte::detail::byte_view v_;
  std::uint16_t machine_ = 0;
  std::uint16_t characteristics_ = 0;
  bool plus_ = false;
  std::uint32_t nsections_ = 0;
  std::uint64_t table_ = 0;    // file offset of the section table
  std::uint64_t strings_ = 0;  // COFF string table, 0 when none
  std::uint32_t strings_size_ = 0;
};

}  // namespace vitte::loader::pe

#if VITTE_HEADER_ONLY
#include <vitte/loader/impl/pe.ipp>
#endif

#endif  // VITTE_LOADER_PE_HPP
