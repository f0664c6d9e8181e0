// vitte/loader/impl/elf.ipp - the ELF reader's bodies (vitte/loader/elf.hpp).
#ifndef VITTE_LOADER_IMPL_ELF_IPP
#define VITTE_LOADER_IMPL_ELF_IPP

#include <vitte/base.hpp>
#include <vitte/base/detail/byte_view.hpp>
#include <vitte/loader/detail/elf_constants.hpp>
#include <vitte/loader/diagnostics.hpp>
#include <vitte/loader/elf.hpp>
#include <vitte/loader/operations.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::loader::elf {

VITTE_DECL result<reader> reader::parse(span<const std::byte> bytes, vitte::diagnostic* why) noexcept {
  auto fail = [why](errc kind, const char* what, std::uint64_t off) { return detail::refuse(why, kind, off, what); };
  reader r;
  r.v_.bytes = bytes;
  if (bytes.size() < 16) return fail(errc::unexpected_eof, "file shorter than the ELF identification", 0);
  if (bytes[0] != std::byte{0x7f} || bytes[1] != std::byte{'E'} || bytes[2] != std::byte{'L'} ||
      bytes[3] != std::byte{'F'})
    return fail(errc::exec_format, "not an ELF file (bad magic)", 0);
  std::uint8_t cls = static_cast<std::uint8_t>(bytes[ei_class]);
  std::uint8_t data = static_cast<std::uint8_t>(bytes[ei_data]);
  if (cls != elfclass32 && cls != elfclass64) return fail(errc::malformed, "bad ELF class (EI_CLASS)", ei_class);
  if (data != elfdata2lsb && data != elfdata2msb) return fail(errc::malformed, "bad ELF byte order (EI_DATA)", ei_data);
  if (static_cast<unsigned>(bytes[ei_version]) != ev_current)
    return fail(errc::malformed, "unsupported ELF version (EI_VERSION)", ei_version);
  r.is64_ = cls == elfclass64;
  r.v_.big_endian = data == elfdata2msb;
  const std::uint64_t ehsize = r.is64_ ? 64 : 52;
  if (bytes.size() < ehsize) return fail(errc::unexpected_eof, "file shorter than the ELF header", 16);
  (void)r.v_.read<std::uint16_t>(16, r.type_);
  (void)r.v_.read<std::uint16_t>(18, r.machine_);
  std::uint16_t shentsize = 0, shnum = 0, shstrndx = 0;
  if (r.is64_) {
    (void)r.v_.read<std::uint64_t>(40, r.shoff_);
    (void)r.v_.read<std::uint16_t>(58, shentsize);
    (void)r.v_.read<std::uint16_t>(60, shnum);
    (void)r.v_.read<std::uint16_t>(62, shstrndx);
  } else {
    std::uint32_t off = 0;
    (void)r.v_.read<std::uint32_t>(32, off);
    r.shoff_ = off;
    (void)r.v_.read<std::uint16_t>(46, shentsize);
    (void)r.v_.read<std::uint16_t>(48, shnum);
    (void)r.v_.read<std::uint16_t>(50, shstrndx);
  }
  r.shentsize_ = shentsize;
  r.shnum_ = shnum;
  if (r.shoff_ == 0) {
    // No section headers (stripped with sstrip): nothing to find.
    r.shnum_ = 0;
    return r;
  }
  const std::uint32_t min_entsize = r.is64_ ? 64 : 40;
  const std::uint64_t entsize_at = r.is64_ ? 58 : 46;
  if (shentsize < min_entsize) return fail(errc::malformed, "section header entry size too small", entsize_at);
  // Extended numbering: counts that do not fit 16 bits live in section 0.
  if (!r.v_.contains(r.shoff_, shentsize))
    return fail(errc::unexpected_eof, "section header table outside the file", r.is64_ ? 40 : 32);
  std::uint32_t strndx = shstrndx;
  if (shnum == 0) {
    std::uint64_t n = 0;
    if (r.is64_)
      (void)r.v_.read<std::uint64_t>(r.shoff_ + 32, n);
    else {
      std::uint32_t n32 = 0;
      (void)r.v_.read<std::uint32_t>(r.shoff_ + 20, n32);
      n = n32;
    }
    if (n > 0xffffffffu) return fail(errc::malformed, "section count too large", r.shoff_);
    r.shnum_ = static_cast<std::uint32_t>(n);
  }
  if (shstrndx == shn_xindex) (void)r.v_.read<std::uint32_t>(r.shoff_ + (r.is64_ ? 40 : 24), strndx);
  if (r.shnum_ == 0) return r;
  if (!r.v_.contains(r.shoff_, static_cast<std::uint64_t>(r.shnum_) * shentsize))
    return fail(errc::unexpected_eof, "section header table outside the file", r.shoff_);
  if (strndx == 0) return r;  // no section names: sections can be listed, not found by name
  if (strndx >= r.shnum_) return fail(errc::malformed, "section name table index out of range", r.is64_ ? 62 : 50);
  // Decode the string table's header without names (they need it).
  section st;
  const std::uint64_t at = r.shoff_ + static_cast<std::uint64_t>(strndx) * shentsize;
  if (r.is64_) {
    (void)r.v_.read<std::uint32_t>(at + 4, st.type);
    (void)r.v_.read<std::uint64_t>(at + 24, st.offset);
    (void)r.v_.read<std::uint64_t>(at + 32, st.size);
  } else {
    std::uint32_t o = 0, s = 0;
    (void)r.v_.read<std::uint32_t>(at + 4, st.type);
    (void)r.v_.read<std::uint32_t>(at + 16, o);
    (void)r.v_.read<std::uint32_t>(at + 20, s);
    st.offset = o;
    st.size = s;
  }
  if (st.type == sht_nobits || !r.v_.contains(st.offset, st.size))
    return fail(errc::malformed, "section name table outside the file", at);
  r.strtab_ = st;
  return r;
}

VITTE_DECL result<section> reader::section_at(std::uint32_t i, vitte::diagnostic* why) const noexcept {
  // The section concerned names the problem: "section 3", or its name once read.
  auto fail = [why, i](errc kind, const char* what, std::uint64_t off, text_view name = {}) {
    const error e = detail::refuse(why, kind, off, what);
    if (why != nullptr && name.empty()) detail::about_section(*why, i);
    if (why != nullptr && !name.empty()) why->about(name);
    return e;
  };
  if (i >= shnum_) return fail(errc::invalid_argument, "section index out of range", shoff_);
  section s;
  s.index = i;
  const std::uint64_t at = shoff_ + static_cast<std::uint64_t>(i) * shentsize_;
  std::uint32_t name_off = 0;
  (void)v_.read<std::uint32_t>(at, name_off);
  (void)v_.read<std::uint32_t>(at + 4, s.type);
  if (is64_) {
    (void)v_.read<std::uint64_t>(at + 8, s.flags);
    (void)v_.read<std::uint64_t>(at + 16, s.address);
    (void)v_.read<std::uint64_t>(at + 24, s.offset);
    (void)v_.read<std::uint64_t>(at + 32, s.size);
  } else {
    std::uint32_t f = 0, a = 0, o = 0, z = 0;
    (void)v_.read<std::uint32_t>(at + 8, f);
    (void)v_.read<std::uint32_t>(at + 12, a);
    (void)v_.read<std::uint32_t>(at + 16, o);
    (void)v_.read<std::uint32_t>(at + 20, z);
    s.flags = f;
    s.address = a;
    s.offset = o;
    s.size = z;
  }
  if (strtab_.size != 0) {
    if (name_off >= strtab_.size) return fail(errc::malformed, "section name outside the section name table", at);
    std::string_view name;
    if (!v_.cstring(strtab_.offset + name_off, strtab_.offset + strtab_.size, name))
      return fail(errc::malformed, "section name not terminated", strtab_.offset + name_off);
    s.name = name;
  }
  if (s.type != sht_nobits && i != 0 && !v_.contains(s.offset, s.size))
    return fail(errc::malformed, "section contents outside the file", at, s.name);
  return s;
}

VITTE_DECL result<section> reader::find_section(text_view name, vitte::diagnostic* why) const noexcept {
  return detail::find_named_section(*this, 1, name, why, shoff_);
}

VITTE_DECL span<const std::byte> reader::build_id() const noexcept {
  for (std::uint32_t i = 1; i < shnum_; ++i) {
    result<section> s = section_at(i);
    if (!s || s->type != sht_note) continue;
    std::uint64_t at = s->offset;
    const std::uint64_t end = s->offset + s->size;
    while (at + 12 <= end) {
      std::uint32_t namesz = 0, descsz = 0, type = 0;
      (void)v_.read<std::uint32_t>(at, namesz);
      (void)v_.read<std::uint32_t>(at + 4, descsz);
      (void)v_.read<std::uint32_t>(at + 8, type);
      const std::uint64_t name_at = at + 12;
      const std::uint64_t desc_at = name_at + ((static_cast<std::uint64_t>(namesz) + 3) & ~std::uint64_t{3});
      const std::uint64_t next = desc_at + ((static_cast<std::uint64_t>(descsz) + 3) & ~std::uint64_t{3});
      if (next > end || next <= at) break;
      if (type == nt_gnu_build_id && namesz == 4 && v_.contains(name_at, 4) && v_.bytes[name_at] == std::byte{'G'} &&
          v_.bytes[name_at + 1] == std::byte{'N'} && v_.bytes[name_at + 2] == std::byte{'U'})
        return v_.sub(desc_at, descsz);
      at = next;
    }
  }
  return {};
}

}  // namespace vitte::loader::elf

#endif  // VITTE_LOADER_IMPL_ELF_IPP
