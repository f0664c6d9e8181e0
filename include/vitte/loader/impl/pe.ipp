// vitte/loader/impl/pe.ipp - the PE reader's bodies (vitte/loader/pe.hpp).
#ifndef VITTE_LOADER_IMPL_PE_IPP
#define VITTE_LOADER_IMPL_PE_IPP

#include <vitte/base.hpp>
#include <vitte/base/detail/byte_view.hpp>
#include <vitte/base/detail/decimal.hpp>
#include <vitte/loader/diagnostics.hpp>
#include <vitte/loader/operations.hpp>
#include <vitte/loader/pe.hpp>

#include <cstddef>
#include <cstdint>  // UINT64_MAX

namespace vitte::loader::pe {

VITTE_DECL result<reader> reader::parse(span<const std::byte> bytes, vitte::diagnostic* why) noexcept {
  auto fail = [why](errc kind, const char* what, std::uint64_t off) { return detail::refuse(why, kind, off, what); };
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

VITTE_DECL result<section> reader::section_at(std::uint32_t i, vitte::diagnostic* why) const noexcept {
  // The section concerned names the problem: its name, or "section 3".
  auto fail = [why, i](errc kind, const char* what, std::uint64_t off, text_view name = {}) {
    const error e = detail::refuse(why, kind, off, what);
    if (why != nullptr && name.empty()) detail::about_section(*why, i);
    if (why != nullptr && !name.empty()) why->about(name);
    return e;
  };
  if (i >= nsections_) return fail(errc::invalid_argument, "section index out of range", table_);
  section s;
  s.index = i;
  const std::uint64_t at = table_ + static_cast<std::uint64_t>(i) * 40;
  const char* raw = reinterpret_cast<const char*>(v_.bytes.data()) + at;
  std::size_t n = 0;
  while (n < 8 && raw[n] != '\0') ++n;
  s.name = text_view(raw, n);
  (void)v_.read<std::uint32_t>(at + 8, s.virtual_size);
  (void)v_.read<std::uint32_t>(at + 12, s.virtual_address);
  (void)v_.read<std::uint32_t>(at + 16, s.raw_size);
  (void)v_.read<std::uint32_t>(at + 20, s.raw_offset);
  (void)v_.read<std::uint32_t>(at + 36, s.characteristics);
  if (s.raw_size != 0 && !v_.contains(s.raw_offset, s.raw_size)) {
    // Linkers round the last section's raw size up to the file alignment;
    // a file cut there is still readable up to the data's real end.
    std::uint32_t need = s.virtual_size != 0 && s.virtual_size < s.raw_size ? s.virtual_size : s.raw_size;
    if (!v_.contains(s.raw_offset, need))
      return fail(errc::malformed, "section contents outside the file", at + 16, s.name);
    s.raw_size = need;
  }
  if (n > 1 && s.name[0] == '/' && strings_ != 0) {
    std::uint64_t off = 0;
    if (!vitte::detail::parse_decimal(s.name.substr(1, n - 1), UINT64_MAX, off))
      return fail(errc::malformed, "bad long section name", at, s.name);
    std::string_view name;
    if (off >= strings_size_ || !v_.cstring(strings_ + off, strings_ + strings_size_, name))
      return fail(errc::malformed, "long section name outside the string table", at, s.name);
    s.name = name;
  }
  return s;
}

VITTE_DECL result<section> reader::find_section(text_view name, vitte::diagnostic* why) const noexcept {
  return detail::find_named_section(*this, 0, name, why, table_);
}

}  // namespace vitte::loader::pe

#endif  // VITTE_LOADER_IMPL_PE_IPP
