// vitte/toolchain/impl/distcc.ipp - the bodies of vitte/toolchain/distcc.hpp
// that are not templates: the host list, whole objects, a server's text shown.
#ifndef VITTE_TOOLCHAIN_IMPL_DISTCC_IPP
#define VITTE_TOOLCHAIN_IMPL_DISTCC_IPP

#include <vitte/base/config.hpp>
#include <vitte/base/detail/byte_view.hpp>           // object_is_whole
#include <vitte/base/detail/decimal.hpp>             // ports and limits
#include <vitte/base/detail/json.hpp>                // a server's text escaped
#include <vitte/toolchain/detail/text_position.hpp>  // where an entry of the host list is
#include <vitte/toolchain/distcc.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::toolchain {

VITTE_DECL result<distcc_hosts> parse_distcc_hosts(text_view list, diagnostic* why) {
  distcc_hosts out;
  std::size_t i = 0;
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (i < list.size()) {
    if (blank(list[i])) {
      ++i;
      continue;
    }
    if (list[i] == '#') {  // a comment, as in distcc's hosts files: to the end of the line
      while (i < list.size() && list[i] != '\n') ++i;
      continue;
    }
    const std::size_t start = i;
    while (i < list.size() && !blank(list[i])) ++i;
    const text_view entry = list.substr(start, i - start);
    // The entry as the subject, at its line and column in the list (a
    // hosts file has lines).
    const auto bad = [&](text_view what) -> result<distcc_hosts> {
      if (why != nullptr) {
        why->clear();
        detail::at_text_position(why->of(errc::malformed), list, start).about(entry).say(what);
      }
      return error{errc::malformed};
    };
    if (entry.find(',') != text_view::npos)
      return bad("options after a comma (lzo, cpp) are not spoken here: plain text, preprocessed here");
    if (entry.find('@') != text_view::npos) return bad("ssh hosts are not supported");
    if (entry.starts_with("-") || entry.starts_with("+"))
      return bad("distcc's options (--randomize, --localslots, +zeroconf) are not supported");
    text_view host = entry, limit;
    if (const std::size_t slash = entry.rfind('/'); slash != text_view::npos) {
      host = entry.substr(0, slash);
      limit = entry.substr(slash + 1);
    }
    text_view port;
    if (host.starts_with("[")) {
      const std::size_t close = host.find(']');
      if (close == text_view::npos) return bad("an IPv6 address without its ']'");
      if (close + 1 < host.size()) {
        if (host[close + 1] != ':') return bad("text after the IPv6 address's ']'");
        port = host.substr(close + 2);
        if (port.empty()) return bad("an empty port");
      }
      host = host.substr(1, close - 1);
    } else if (const std::size_t colon = host.find(':'); colon != text_view::npos) {
      port = host.substr(colon + 1);
      host = host.substr(0, colon);
      if (port.empty()) return bad("an empty port");
    }
    if (host.empty()) return bad("no host");
    if (host.find('/') != text_view::npos) return bad("more than one '/'");
    std::uint64_t n = 2, p = 3632;
    if (!limit.empty() || entry.ends_with("/")) {
      if (!vitte::detail::parse_decimal(limit, 1000, n) || n == 0)
        return bad("the limit after '/' is not a number of compiles from 1 to 1000");
    }
    if (!port.empty() && (!vitte::detail::parse_decimal(port, 65535, p) || p == 0))
      return bad("the port is not a number from 1 to 65535");
    if (host == "localhost" && port.empty()) {
      out.local_slots = static_cast<unsigned>(n);
      continue;
    }
    out.servers.push_back(distcc_host{text(host), static_cast<std::uint16_t>(p), static_cast<unsigned>(n)});
  }
  return out;
}

namespace detail {

// What object_is_whole reads of each format.
inline constexpr std::uint32_t elf_magic = 0x464c457fu;  // "\x7fELF", read little-endian
inline constexpr std::uint16_t elf_type_rel = 1;         // ET_REL
inline constexpr std::uint32_t elf_sht_null = 0, elf_sht_nobits = 8;
inline constexpr std::uint16_t elf_shn_xindex = 0xffff;  // e_shstrndx in section 0's sh_link
inline constexpr std::uint32_t macho_magic_32 = 0xfeedfaceu, macho_magic_64 = 0xfeedfacfu;
inline constexpr std::uint32_t macho_cigam_32 = 0xcefaedfeu, macho_cigam_64 = 0xcffaedfeu;
inline constexpr std::uint32_t macho_mh_object = 1;
inline constexpr std::uint32_t macho_lc_segment = 0x1, macho_lc_symtab = 0x2, macho_lc_segment_64 = 0x19;
inline constexpr std::uint16_t coff_amd64 = 0x8664, coff_i386 = 0x14c, coff_arm64 = 0xaa64, coff_armnt = 0x1c4;
inline constexpr std::uint64_t coff_section_size = 40, coff_relocation_size = 10;

VITTE_DECL bool coff_machine_known(std::uint16_t m) noexcept {
  return m == coff_amd64 || m == coff_i386 || m == coff_arm64 || m == coff_armnt;
}

// False, with `why` (when given) filled anew: malformed, at byte `at` of
// the object (the field that says so, or what lies outside).
VITTE_DECL bool object_refused(diagnostic* why, std::uint64_t at, text_view what) noexcept {
  if (why == nullptr) return false;
  why->clear();
  why->of(errc::malformed).at(at).say(what);
  return false;
}

// Where the header of a COFF object (plain, or the big-object form of
// -mbig-obj and /bigobj) says how many sections it has and where its
// symbols are: what a table beyond the file's end is blamed on.
struct coff_fields {
  std::uint64_t sections_count, symbols_pointer;
};

// The sections, relocations, symbols and strings of a COFF object lie
// inside the file.
VITTE_DECL bool coff_tables_inside(const vitte::detail::byte_view& v, std::uint64_t sections_at, std::uint64_t sections,
                                   std::uint64_t symbols_at, std::uint64_t symbols, std::uint64_t symbol_size,
                                   coff_fields fields, diagnostic* why) {
  const auto no = [&](std::uint64_t at, text_view what) { return object_refused(why, at, what); };
  if (!v.contains(sections_at, sections * coff_section_size))
    return no(fields.sections_count, "COFF section headers beyond the file's end");
  for (std::uint64_t i = 0; i < sections; ++i) {
    const std::uint64_t at = sections_at + i * coff_section_size;
    std::uint32_t raw_size = 0, raw_at = 0, relocs_at = 0;
    std::uint16_t relocs = 0;
    (void)v.read<std::uint32_t>(at + 16, raw_size);
    (void)v.read<std::uint32_t>(at + 20, raw_at);
    (void)v.read<std::uint32_t>(at + 24, relocs_at);
    (void)v.read<std::uint16_t>(at + 32, relocs);
    // Uninitialised data (.bss) has a size and no bytes (raw_at 0).
    if (raw_at != 0 && !v.contains(raw_at, raw_size)) return no(at, "a COFF section beyond the file's end");
    if (relocs != 0 && !v.contains(relocs_at, std::uint64_t{relocs} * coff_relocation_size))
      return no(at, "COFF relocations beyond the file's end");
  }
  if (symbols_at == 0) return true;
  // The string table follows the symbols; its first 4 bytes are its size.
  const std::uint64_t strings_at = symbols_at + symbols * symbol_size;
  std::uint32_t strings = 0;
  if (!v.contains(symbols_at, symbols * symbol_size) || !v.read<std::uint32_t>(strings_at, strings) ||
      !v.contains(strings_at, strings))
    return no(fields.symbols_pointer, "the COFF symbol or string table beyond the file's end");
  return true;
}

}  // namespace detail

VITTE_DECL bool object_is_whole(span<const std::byte> object, diagnostic* why) {
  const vitte::detail::byte_view v{std::span<const std::byte>(object.data(), object.size())};
  const auto no = [&](std::uint64_t at, text_view what) { return detail::object_refused(why, at, what); };
  std::uint32_t magic = 0;
  if (!v.read<std::uint32_t>(0, magic)) return no(0, "shorter than any object's header");
  if (magic == detail::elf_magic) {
    std::uint8_t cls = 0, data = 0;
    (void)v.read<std::uint8_t>(4, cls);
    (void)v.read<std::uint8_t>(5, data);
    if ((cls != 1 && cls != 2) || (data != 1 && data != 2))
      return no(cls != 1 && cls != 2 ? 4 : 5, "an ELF header of unknown class or byte order");
    vitte::detail::byte_view e = v;
    e.big_endian = data == 2;
    const bool wide = cls == 2;
    std::uint16_t type = 0, ehsize = 0, shentsize = 0, shnum = 0, shstrndx = 0;
    std::uint64_t shoff = 0;
    bool ok = e.read<std::uint16_t>(16, type) && e.read<std::uint16_t>(wide ? 52 : 40, ehsize) &&
              e.read<std::uint16_t>(wide ? 58 : 46, shentsize) && e.read<std::uint16_t>(wide ? 60 : 48, shnum) &&
              e.read<std::uint16_t>(wide ? 62 : 50, shstrndx);
    if (wide) {
      ok = ok && e.read<std::uint64_t>(40, shoff);
    } else {
      std::uint32_t off32 = 0;
      ok = ok && e.read<std::uint32_t>(32, off32);
      shoff = off32;
    }
    if (!ok) return no(0, "an ELF header cut short");
    if (ehsize != (wide ? 64 : 52)) return no(wide ? 52 : 40, "an ELF header of another size than its class's");
    if (type != detail::elf_type_rel) return no(16, "an ELF file that is not a relocatable object (ET_REL)");
    if (shentsize != (wide ? 64 : 40) || shoff == 0)
      return no(shoff == 0 ? (wide ? 40 : 32) : (wide ? 58 : 46),
                "an ELF object without a usable section header table");
    // Over 0xff00 sections (-ffunction-sections in a large unit), the count
    // and the string table's index are in section 0 (sh_size, sh_link).
    std::uint64_t sections = shnum;
    std::uint32_t strings = shstrndx;
    if (shnum == 0 || shstrndx == detail::elf_shn_xindex) {
      std::uint64_t size0 = 0;
      std::uint32_t link0 = 0;
      if (wide) {
        ok = e.read<std::uint64_t>(shoff + 32, size0) && e.read<std::uint32_t>(shoff + 40, link0);
      } else {
        std::uint32_t s32 = 0;
        ok = e.read<std::uint32_t>(shoff + 20, s32) && e.read<std::uint32_t>(shoff + 24, link0);
        size0 = s32;
      }
      if (!ok) return no(wide ? 40 : 32, "ELF section headers beyond the file's end");  // e_shoff
      if (shnum == 0) sections = size0;
      if (shstrndx == detail::elf_shn_xindex) strings = link0;
    }
    if (sections == 0 || strings >= sections)
      return no(sections == 0 ? (wide ? 60 : 48) : (wide ? 62 : 50),
                "an ELF object without a usable section header table");
    if (sections > v.size() / shentsize || !v.contains(shoff, sections * shentsize))
      return no(wide ? 40 : 32, "ELF section headers beyond the file's end");
    for (std::uint64_t s = 0; s < sections; ++s) {
      const std::uint64_t at = shoff + s * shentsize;
      std::uint32_t stype = 0;
      std::uint64_t off = 0, size = 0;
      (void)e.read<std::uint32_t>(at + 4, stype);
      if (wide) {
        (void)e.read<std::uint64_t>(at + 24, off);
        (void)e.read<std::uint64_t>(at + 32, size);
      } else {
        std::uint32_t o32 = 0, s32 = 0;
        (void)e.read<std::uint32_t>(at + 16, o32);
        (void)e.read<std::uint32_t>(at + 20, s32);
        off = o32;
        size = s32;
      }
      // Section 0 of an extended table holds counts, not a place.
      if (s != 0 && stype != detail::elf_sht_nobits && stype != detail::elf_sht_null && !v.contains(off, size))
        return no(at, "an ELF section beyond the file's end");
    }
    return true;
  }
  if (magic == detail::macho_magic_64 || magic == detail::macho_magic_32 || magic == detail::macho_cigam_64 ||
      magic == detail::macho_cigam_32) {
    vitte::detail::byte_view m = v;
    m.big_endian = magic == detail::macho_cigam_64 || magic == detail::macho_cigam_32;
    const bool wide = magic == detail::macho_magic_64 || magic == detail::macho_cigam_64;
    std::uint32_t filetype = 0, ncmds = 0, sizeofcmds = 0;
    if (!m.read<std::uint32_t>(12, filetype) || !m.read<std::uint32_t>(16, ncmds) ||
        !m.read<std::uint32_t>(20, sizeofcmds))
      return no(0, "a Mach-O header cut short");
    if (filetype != detail::macho_mh_object) return no(12, "a Mach-O file that is not an object (MH_OBJECT)");
    const std::uint64_t cmds_at = wide ? 32 : 28;
    if (!v.contains(cmds_at, sizeofcmds)) return no(20, "Mach-O load commands beyond the file's end");
    if (ncmds == 0) return no(16, "a Mach-O object without load commands");
    // Each load command inside the commands' area; the bytes of each
    // segment and of the symbol and string tables inside the file.
    std::uint64_t at = cmds_at;
    const std::uint64_t end = cmds_at + sizeofcmds;
    for (std::uint32_t c = 0; c < ncmds; ++c) {
      std::uint32_t cmd = 0, size = 0;
      if (at + 8 > end || !m.read<std::uint32_t>(at, cmd) || !m.read<std::uint32_t>(at + 4, size) || size < 8 ||
          size > end - at)
        return no(at, "a Mach-O load command beyond the commands' area");
      std::uint64_t off = 0, n = 0;
      bool placed = false;
      if (cmd == detail::macho_lc_segment && size >= 56) {
        std::uint32_t o32 = 0, n32 = 0;
        placed = m.read<std::uint32_t>(at + 32, o32) && m.read<std::uint32_t>(at + 36, n32);
        off = o32;
        n = n32;
      } else if (cmd == detail::macho_lc_segment_64 && size >= 72) {
        placed = m.read<std::uint64_t>(at + 40, off) && m.read<std::uint64_t>(at + 48, n);
      }
      if (placed && !v.contains(off, n)) return no(at, "a Mach-O segment beyond the file's end");
      if (cmd == detail::macho_lc_symtab && size >= 24) {
        std::uint32_t symoff = 0, nsyms = 0, stroff = 0, strsize = 0;
        (void)m.read<std::uint32_t>(at + 8, symoff);
        (void)m.read<std::uint32_t>(at + 12, nsyms);
        (void)m.read<std::uint32_t>(at + 16, stroff);
        (void)m.read<std::uint32_t>(at + 20, strsize);
        if (!v.contains(symoff, std::uint64_t{nsyms} * (wide ? 16 : 12)) || !v.contains(stroff, strsize))
          return no(at, "the Mach-O symbol or string table beyond the file's end");
      }
      at += size;
    }
    return true;
  }
  // COFF: machine, number of sections, ..., size of optional header (0 for
  // an object); or the big-object header (0x0000, 0xffff, version 2, machine).
  std::uint16_t machine = 0, sections = 0, optional = 0, sig2 = 0, version = 0;
  (void)v.read<std::uint16_t>(0, machine);
  (void)v.read<std::uint16_t>(2, sections);
  (void)v.read<std::uint16_t>(16, optional);
  if (machine == 0 && sections == 0xffff && v.read<std::uint16_t>(4, version) && version >= 2 &&
      v.read<std::uint16_t>(6, sig2) && detail::coff_machine_known(sig2)) {
    std::uint32_t count = 0, symbols_at = 0, symbols = 0;
    if (!v.read<std::uint32_t>(44, count) || !v.read<std::uint32_t>(48, symbols_at) ||
        !v.read<std::uint32_t>(52, symbols))
      return no(0, "a COFF big-object header cut short");
    if (count == 0) return no(44, "a COFF file that is not an object");
    return detail::coff_tables_inside(v, 56, count, symbols_at, symbols, 20, {44, 48}, why);
  }
  if (!detail::coff_machine_known(machine)) return no(0, "not an ELF, Mach-O or COFF object");
  if (optional != 0 || sections == 0) return no(optional != 0 ? 16 : 2, "a COFF file that is not an object");
  std::uint32_t symbols_at = 0, symbols = 0;
  if (!v.read<std::uint32_t>(8, symbols_at) || !v.read<std::uint32_t>(12, symbols))
    return no(0, "a COFF header cut short");
  return detail::coff_tables_inside(v, 20, sections, symbols_at, symbols, 18, {2, 8}, why);
}

namespace detail {

// `from` (a server's stderr or stdout) appended to `to` with every control
// byte but the newline escaped (\xHH): a server's text cannot move the
// cursor, retitle the window or redraw a line of the user's terminal.
VITTE_DECL void append_printable(text& to, text_view from) {
  while (!from.empty()) {
    const std::size_t nl = from.find('\n');
    vitte::detail::json_escape(from.substr(0, nl), vitte::detail::json_escaping::text,
                               [&](text_view piece) { to.append(piece); });
    if (nl == text_view::npos) break;
    to.push_back('\n');
    from = from.substr(nl + 1);
  }
}

// A port number in decimal.
VITTE_DECL text port_text(std::uint16_t port) {
  text t;
  char digits[5];
  std::size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + port % 10);
    port = static_cast<std::uint16_t>(port / 10);
  } while (port != 0);
  while (n > 0) t.push_back(digits[--n]);
  return t;
}

}  // namespace detail

}  // namespace vitte::toolchain

#endif  // VITTE_TOOLCHAIN_IMPL_DISTCC_IPP
