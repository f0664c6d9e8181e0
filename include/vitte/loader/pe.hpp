// vitte/loader/pe.hpp - a reader of PE/COFF images (PE32 and PE32+) over a
// byte span, for metadata: headers and sections.
//
//   vitte::loader::parse_problem why;
//   auto pe = vitte::loader::pe::reader::parse(bytes, &why);
//   if (!pe) { std::printf("%s at %llu\n", why.what, (unsigned long long)why.offset); return; }
//   auto sec = pe->find_section(".vitplug", &why);
//   std::span<const std::byte> data = pe->section_data(*sec);
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
#include <span>
#include <string_view>

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
  std::string_view name;              ///< Up to 8 bytes, or the long name.
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
  static result<reader> parse(std::span<const std::byte> bytes, parse_problem* why = nullptr) noexcept;

  std::uint16_t machine() const noexcept { return machine_; }
  architecture arch() const noexcept { return architecture_of(machine_); }
  bool is_pe32_plus() const noexcept { return plus_; }
  bool is_dll() const noexcept { return (characteristics_ & characteristic_dll) != 0; }
  std::uint32_t section_count() const noexcept { return nsections_; }

  /// Section `i`. Errors: malformed (contents outside the file, bad long name).
  result<section> section_at(std::uint32_t i, parse_problem* why = nullptr) const noexcept;
  /// The first section called `name`. Errors: not_found, and those of section_at.
  result<section> find_section(std::string_view name, parse_problem* why = nullptr) const noexcept;
  /// The bytes of `s` present in the file: min(virtual size, raw size)
  /// (a virtual size of 0 means the raw size).
  std::span<const std::byte> section_data(const section& s) const noexcept {
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

inline result<reader> reader::parse(std::span<const std::byte> bytes, parse_problem* why) noexcept {
  parse_problem ignored;
  if (why == nullptr) why = &ignored;
  auto fail = [why](errc kind, const char* what, std::uint64_t off) {
    why->set(what, off);
    return error{kind, ops::module_read};
  };
  reader r;
  r.v_.bytes = bytes;
  r.v_.big_endian = false;
  if (bytes.size() < 2 || bytes[0] != std::byte{'M'} || bytes[1] != std::byte{'Z'})
    return fail(bytes.size() < 2 ? errc::unexpected_eof : errc::exec_format, "not a PE file (no MZ header)", 0);
  std::uint32_t lfanew = 0;
  if (!r.v_.read<std::uint32_t>(0x3c, lfanew))
    return fail(errc::unexpected_eof, "file shorter than the DOS header", 0x3c);
  if (!r.v_.contains(lfanew, 24)) return fail(errc::unexpected_eof, "PE header outside the file", 0x3c);
  if (bytes[lfanew] != std::byte{'P'} || bytes[lfanew + 1] != std::byte{'E'} || bytes[lfanew + 2] != std::byte{0} ||
      bytes[lfanew + 3] != std::byte{0})
    return fail(errc::exec_format, "bad PE signature", lfanew);
  const std::uint64_t coff = static_cast<std::uint64_t>(lfanew) + 4;
  std::uint16_t nsections = 0, opt_size = 0;
  std::uint32_t symtab = 0, nsyms = 0;
  (void)r.v_.read<std::uint16_t>(coff, r.machine_);
  (void)r.v_.read<std::uint16_t>(coff + 2, nsections);
  (void)r.v_.read<std::uint32_t>(coff + 8, symtab);
  (void)r.v_.read<std::uint32_t>(coff + 12, nsyms);
  (void)r.v_.read<std::uint16_t>(coff + 16, opt_size);
  (void)r.v_.read<std::uint16_t>(coff + 18, r.characteristics_);
  const std::uint64_t opt = coff + 20;
  std::uint16_t magic = 0;
  if (opt_size < 2 || !r.v_.read<std::uint16_t>(opt, magic))
    return fail(errc::malformed, "missing optional header", coff + 16);
  if (magic != 0x10b && magic != 0x20b) return fail(errc::malformed, "bad optional header magic", opt);
  r.plus_ = magic == 0x20b;
  if (!r.v_.contains(opt, opt_size)) return fail(errc::unexpected_eof, "optional header outside the file", opt);
  r.table_ = opt + opt_size;
  r.nsections_ = nsections;
  if (!r.v_.contains(r.table_, static_cast<std::uint64_t>(nsections) * 40))
    return fail(errc::unexpected_eof, "section table outside the file", r.table_);
  // The COFF string table follows the symbol table (18-byte records).
  if (symtab != 0) {
    const std::uint64_t st = static_cast<std::uint64_t>(symtab) + static_cast<std::uint64_t>(nsyms) * 18;
    std::uint32_t size = 0;
    if (r.v_.read<std::uint32_t>(st, size) && size >= 4 && r.v_.contains(st, size)) {
      r.strings_ = st;
      r.strings_size_ = size;
    }
  }
  return r;
}

inline result<section> reader::section_at(std::uint32_t i, parse_problem* why) const noexcept {
  parse_problem ignored;
  if (why == nullptr) why = &ignored;
  if (i >= nsections_) {
    why->set("section index out of range", table_);
    return error{errc::invalid_argument, ops::module_read};
  }
  section s;
  s.index = i;
  const std::uint64_t at = table_ + static_cast<std::uint64_t>(i) * 40;
  const char* raw = reinterpret_cast<const char*>(v_.bytes.data()) + at;
  std::size_t n = 0;
  while (n < 8 && raw[n] != '\0') ++n;
  s.name = std::string_view(raw, n);
  (void)v_.read<std::uint32_t>(at + 8, s.virtual_size);
  (void)v_.read<std::uint32_t>(at + 12, s.virtual_address);
  (void)v_.read<std::uint32_t>(at + 16, s.raw_size);
  (void)v_.read<std::uint32_t>(at + 20, s.raw_offset);
  (void)v_.read<std::uint32_t>(at + 36, s.characteristics);
  if (s.raw_size != 0 && !v_.contains(s.raw_offset, s.raw_size)) {
    // Linkers round the last section's raw size up to the file alignment;
    // a file cut there is still readable up to the data's real end.
    std::uint32_t need = s.virtual_size != 0 && s.virtual_size < s.raw_size ? s.virtual_size : s.raw_size;
    if (!v_.contains(s.raw_offset, need)) {
      why->set("section contents outside the file", at + 16);
      return error{errc::malformed, ops::module_read};
    }
    s.raw_size = need;
  }
  if (n > 1 && s.name[0] == '/' && strings_ != 0) {
    std::uint64_t off = 0;
    if (!vitte::detail::parse_decimal(s.name.substr(1, n - 1), UINT64_MAX, off)) {
      why->set("bad long section name", at);
      return error{errc::malformed, ops::module_read};
    }
    if (off >= strings_size_ || !v_.cstring(strings_ + off, strings_ + strings_size_, s.name)) {
      why->set("long section name outside the string table", at);
      return error{errc::malformed, ops::module_read};
    }
  }
  return s;
}

inline result<section> reader::find_section(std::string_view name, parse_problem* why) const noexcept {
  return detail::find_named_section(*this, 0, name, why, table_);
}

}  // namespace vitte::loader::pe

#endif  // VITTE_LOADER_PE_HPP
