// vitte/release/detail/elf_needs.ipp - elf_read_needs (elf_needs.hpp).
#ifndef VITTE_RELEASE_DETAIL_ELF_NEEDS_IPP
#define VITTE_RELEASE_DETAIL_ELF_NEEDS_IPP

#include <vitte/base/detail/byte_view.hpp>  // every read bounds-checked
#include <vitte/release/detail/elf_needs.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vitte::release::detail {

namespace elf_detail {

// The names of the ELF constants this reads (elf.h).
inline constexpr std::uint16_t et_exec = 2, et_dyn = 3;
inline constexpr std::uint32_t pt_interp = 3;
inline constexpr std::uint32_t sht_dynsym = 11, sht_dynamic = 6, sht_gnu_verneed = 0x6ffffffe,
                               sht_gnu_versym = 0x6fffffff;
inline constexpr std::int64_t dt_null = 0, dt_needed = 1, dt_hash = 4, dt_soname = 14, dt_gnu_hash = 0x6ffffef5;
inline constexpr std::uint16_t shn_undef = 0;
inline constexpr std::uint8_t stb_weak = 2;

struct section {
  std::uint32_t type = 0, link = 0;
  std::uint64_t offset = 0, size = 0, entsize = 0;
};

}  // namespace elf_detail

VITTE_DECL bool elf_read_needs(span<const std::byte> bytes, elf_needs& out) {
  using namespace elf_detail;
  out = elf_needs{};
  if (bytes.size() < 16 || bytes[0] != std::byte{0x7f} || bytes[1] != std::byte{'E'} || bytes[2] != std::byte{'L'} ||
      bytes[3] != std::byte{'F'})
    return false;
  const auto cls = static_cast<std::uint8_t>(bytes[4]);
  const auto data = static_cast<std::uint8_t>(bytes[5]);
  if ((cls != 1 && cls != 2) || (data != 1 && data != 2)) return false;
  const vitte::detail::byte_view v{std::span<const std::byte>(bytes.data(), bytes.size()), data == 2};
  const bool b64 = cls == 2;
  out.is64 = b64;
  std::uint16_t type = 0, shentsize = 0, shnum = 0, phentsize = 0, phnum = 0;
  std::uint64_t shoff = 0, phoff = 0;
  bool ok = v.read(16, type) && v.read(18, out.machine);
  if (b64) {
    ok = ok && v.read(32, phoff) && v.read(40, shoff) && v.read(54, phentsize) && v.read(56, phnum) &&
         v.read(58, shentsize) && v.read(60, shnum);
  } else {
    std::uint32_t p = 0, s = 0;
    ok = ok && v.read(28, p) && v.read(32, s) && v.read(42, phentsize) && v.read(44, phnum) && v.read(46, shentsize) &&
         v.read(48, shnum);
    phoff = p;
    shoff = s;
  }
  if (!ok) return false;
  out.executable_or_dso = type == et_exec || type == et_dyn;
  for (std::uint16_t i = 0; i < phnum && phentsize != 0; ++i) {
    std::uint32_t pt = 0;
    if (v.read(phoff + std::uint64_t{i} * phentsize, pt) && pt == pt_interp) out.has_interpreter = true;
  }
  std::vector<section> sections;
  for (std::uint16_t i = 0; i < shnum && shentsize != 0; ++i) {
    const std::uint64_t at = shoff + std::uint64_t{i} * shentsize;
    section s;
    if (b64) {
      ok = v.read(at + 4, s.type) && v.read(at + 24, s.offset) && v.read(at + 32, s.size) && v.read(at + 40, s.link) &&
           v.read(at + 56, s.entsize);
    } else {
      std::uint32_t o = 0, z = 0, e = 0;
      ok = v.read(at + 4, s.type) && v.read(at + 16, o) && v.read(at + 20, z) && v.read(at + 24, s.link) &&
           v.read(at + 36, e);
      s.offset = o;
      s.size = z;
      s.entsize = e;
    }
    if (!ok) return false;
    sections.push_back(s);
  }
  const auto string_at = [&](std::uint32_t strtab, std::uint64_t offset, std::string& text) {
    if (strtab >= sections.size()) return false;
    const section& st = sections[strtab];
    if (offset >= st.size) return false;
    std::string_view sv;
    if (!v.cstring(st.offset + offset, st.offset + st.size, sv)) return false;
    text = std::string(sv);
    return true;
  };
  bool dynamic = false, has_hash = false, has_gnu_hash = false;
  for (const section& s : sections) {
    if (s.type != sht_dynamic) continue;
    dynamic = true;
    const std::uint64_t step = b64 ? 16 : 8;
    for (std::uint64_t at = s.offset; at + step <= s.offset + s.size; at += step) {
      std::int64_t tag = 0;
      std::uint64_t val = 0;
      if (b64) {
        if (!v.read(at, tag) || !v.read(at + 8, val)) return false;
      } else {
        std::int32_t t = 0;
        std::uint32_t u = 0;
        if (!v.read(at, t) || !v.read(at + 4, u)) return false;
        tag = t;
        val = u;
      }
      if (tag == dt_null) break;
      if (tag == dt_hash) has_hash = true;
      if (tag == dt_gnu_hash) has_gnu_hash = true;
      std::string name;
      if ((tag == dt_needed || tag == dt_soname) && string_at(s.link, val, name))
        (tag == dt_needed ? out.needed.push_back(name) : void(out.soname = name));
    }
  }
  if (!dynamic) return false;
  out.gnu_hash_only = has_gnu_hash && !has_hash;

  // Version needs: index -> (file, version).
  std::vector<std::pair<std::uint16_t, elf_version_need>> indexed;
  for (const section& s : sections) {
    if (s.type != sht_gnu_verneed) continue;
    std::uint64_t at = s.offset;
    for (int guard = 0; guard < 4096; ++guard) {
      std::uint16_t cnt = 0;
      std::uint32_t file = 0, aux = 0, next = 0;
      if (!v.read(at + 2, cnt) || !v.read(at + 4, file) || !v.read(at + 8, aux) || !v.read(at + 12, next)) break;
      std::string file_name;
      if (!string_at(s.link, file, file_name)) break;
      std::uint64_t a = at + aux;
      for (std::uint16_t k = 0; k < cnt; ++k) {
        std::uint16_t other = 0;
        std::uint32_t name = 0, anext = 0;
        if (!v.read(a + 6, other) || !v.read(a + 8, name) || !v.read(a + 12, anext)) break;
        std::string version;
        if (string_at(s.link, name, version)) {
          out.versions.push_back({file_name, version});
          indexed.push_back({static_cast<std::uint16_t>(other & 0x7fff), {file_name, version}});
        }
        if (anext == 0) break;
        a += anext;
      }
      if (next == 0) break;
      at += next;
    }
  }
  // Undefined dynamic symbols and their versions.
  const section* versym = nullptr;
  for (const section& s : sections)
    if (s.type == sht_gnu_versym) versym = &s;
  for (const section& s : sections) {
    if (s.type != sht_dynsym) continue;
    const std::uint64_t step = b64 ? 24 : 16;
    const std::uint64_t count = s.size / step;
    for (std::uint64_t i = 1; i < count && i < (1u << 20); ++i) {
      const std::uint64_t at = s.offset + i * step;
      std::uint32_t name = 0;
      std::uint8_t info = 0;
      std::uint16_t shndx = 0;
      if (!v.read(at, name) || !v.read(at + (b64 ? 4 : 12), info) || !v.read(at + (b64 ? 6 : 14), shndx)) break;
      if (shndx != shn_undef || name == 0) continue;
      elf_import imp;
      if (!string_at(s.link, name, imp.name)) continue;
      imp.weak = (info >> 4) == stb_weak;
      std::uint16_t ver = 0;
      if (versym != nullptr && v.read(versym->offset + i * 2, ver)) {
        for (const auto& [index, need] : indexed)
          if (index == (ver & 0x7fff)) {
            imp.file = need.file;
            imp.version = need.version;
          }
      }
      out.imports.push_back(static_cast<elf_import&&>(imp));
    }
  }
  return true;
}

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_ELF_NEEDS_IPP
