// The bodies of vitte/toolchain/distcc.hpp.
#ifndef VITTE_TOOLCHAIN_IMPL_DISTCC_HPP
#define VITTE_TOOLCHAIN_IMPL_DISTCC_HPP

#include <vitte/base/detail/byte_view.hpp>  // object_is_whole
#include <vitte/base/detail/decimal.hpp>    // ports and limits
#include <vitte/base/detail/json.hpp>       // a server's text escaped
#include <vitte/sys/metadata.hpp>           // lstat
#include <vitte/sys/path.hpp>               // path_join, file_name
#include <vitte/sys/path_ops.hpp>           // canonical, read_symlink
#include <vitte/sys/whole_file.hpp>         // atomic_replace
#include <vitte/toolchain/detail/distcc_args.hpp>
#include <vitte/toolchain/run.hpp>

#include <mutex>  // std::unique_lock

namespace vitte::build {

inline result<distcc_hosts> parse_distcc_hosts(text_view list, diagnostic& why) {
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
    const auto bad = [&](text_view what) -> result<distcc_hosts> {
      why.of(errc::malformed).at_line(1, static_cast<std::uint32_t>(start + 1)).about(entry).say(what);
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

inline bool coff_machine_known(std::uint16_t m) noexcept {
  return m == coff_amd64 || m == coff_i386 || m == coff_arm64 || m == coff_armnt;
}

// The sections, relocations, symbols and strings of a COFF object (plain,
// or the big-object form of -mbig-obj and /bigobj) lie inside the file.
inline bool coff_tables_inside(const vitte::detail::byte_view& v, std::uint64_t sections_at, std::uint64_t sections,
                               std::uint64_t symbols_at, std::uint64_t symbols, std::uint64_t symbol_size, text& why) {
  const auto no = [&](text_view what) {
    why = text(what);
    return false;
  };
  if (!v.contains(sections_at, sections * coff_section_size)) return no("COFF section headers beyond the file's end");
  for (std::uint64_t i = 0; i < sections; ++i) {
    const std::uint64_t at = sections_at + i * coff_section_size;
    std::uint32_t raw_size = 0, raw_at = 0, relocs_at = 0;
    std::uint16_t relocs = 0;
    (void)v.read<std::uint32_t>(at + 16, raw_size);
    (void)v.read<std::uint32_t>(at + 20, raw_at);
    (void)v.read<std::uint32_t>(at + 24, relocs_at);
    (void)v.read<std::uint16_t>(at + 32, relocs);
    // Uninitialised data (.bss) has a size and no bytes (raw_at 0).
    if (raw_at != 0 && !v.contains(raw_at, raw_size)) return no("a COFF section beyond the file's end");
    if (relocs != 0 && !v.contains(relocs_at, std::uint64_t{relocs} * coff_relocation_size))
      return no("COFF relocations beyond the file's end");
  }
  if (symbols_at == 0) return true;
  // The string table follows the symbols; its first 4 bytes are its size.
  const std::uint64_t strings_at = symbols_at + symbols * symbol_size;
  std::uint32_t strings = 0;
  if (!v.contains(symbols_at, symbols * symbol_size) || !v.read<std::uint32_t>(strings_at, strings) ||
      !v.contains(strings_at, strings))
    return no("the COFF symbol or string table beyond the file's end");
  return true;
}

}  // namespace detail

inline bool object_is_whole(span<const std::byte> object, text& why) {
  const vitte::detail::byte_view v{std::span<const std::byte>(object.data(), object.size())};
  const auto no = [&](text_view what) {
    why = text(what);
    return false;
  };
  std::uint32_t magic = 0;
  if (!v.read<std::uint32_t>(0, magic)) return no("shorter than any object's header");
  if (magic == detail::elf_magic) {
    std::uint8_t cls = 0, data = 0;
    (void)v.read<std::uint8_t>(4, cls);
    (void)v.read<std::uint8_t>(5, data);
    if ((cls != 1 && cls != 2) || (data != 1 && data != 2)) return no("an ELF header of unknown class or byte order");
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
    if (!ok || ehsize != (wide ? 64 : 52)) return no("an ELF header cut short");
    if (type != detail::elf_type_rel) return no("an ELF file that is not a relocatable object (ET_REL)");
    if (shentsize != (wide ? 64 : 40) || shoff == 0) return no("an ELF object without a usable section header table");
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
      if (!ok) return no("ELF section headers beyond the file's end");
      if (shnum == 0) sections = size0;
      if (shstrndx == detail::elf_shn_xindex) strings = link0;
    }
    if (sections == 0 || strings >= sections) return no("an ELF object without a usable section header table");
    if (sections > v.size() / shentsize || !v.contains(shoff, sections * shentsize))
      return no("ELF section headers beyond the file's end");
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
        return no("an ELF section beyond the file's end");
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
      return no("a Mach-O header cut short");
    if (filetype != detail::macho_mh_object) return no("a Mach-O file that is not an object (MH_OBJECT)");
    const std::uint64_t cmds_at = wide ? 32 : 28;
    if (!v.contains(cmds_at, sizeofcmds)) return no("Mach-O load commands beyond the file's end");
    if (ncmds == 0) return no("a Mach-O object without load commands");
    // Each load command inside the commands' area; the bytes of each
    // segment and of the symbol and string tables inside the file.
    std::uint64_t at = cmds_at;
    const std::uint64_t end = cmds_at + sizeofcmds;
    for (std::uint32_t c = 0; c < ncmds; ++c) {
      std::uint32_t cmd = 0, size = 0;
      if (at + 8 > end || !m.read<std::uint32_t>(at, cmd) || !m.read<std::uint32_t>(at + 4, size) || size < 8 ||
          size > end - at)
        return no("a Mach-O load command beyond the commands' area");
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
      if (placed && !v.contains(off, n)) return no("a Mach-O segment beyond the file's end");
      if (cmd == detail::macho_lc_symtab && size >= 24) {
        std::uint32_t symoff = 0, nsyms = 0, stroff = 0, strsize = 0;
        (void)m.read<std::uint32_t>(at + 8, symoff);
        (void)m.read<std::uint32_t>(at + 12, nsyms);
        (void)m.read<std::uint32_t>(at + 16, stroff);
        (void)m.read<std::uint32_t>(at + 20, strsize);
        if (!v.contains(symoff, std::uint64_t{nsyms} * (wide ? 16 : 12)) || !v.contains(stroff, strsize))
          return no("the Mach-O symbol or string table beyond the file's end");
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
      return no("a COFF big-object header cut short");
    if (count == 0) return no("a COFF file that is not an object");
    return detail::coff_tables_inside(v, 56, count, symbols_at, symbols, 20, why);
  }
  if (!detail::coff_machine_known(machine)) return no("not an ELF, Mach-O or COFF object");
  if (optional != 0 || sections == 0) return no("a COFF file that is not an object");
  std::uint32_t symbols_at = 0, symbols = 0;
  if (!v.read<std::uint32_t>(8, symbols_at) || !v.read<std::uint32_t>(12, symbols))
    return no("a COFF header cut short");
  return detail::coff_tables_inside(v, 20, sections, symbols_at, symbols, 18, why);
}

template <class P>
result<text> distcc_compiler_name(text_view compiler) {
  // A C++ driver is one whose name holds "++" (c++, g++-12, clang++).
  const auto cxx = [](text_view name) { return name.find("++") != text_view::npos; };
  const bool want_cxx = cxx(sys::file_name(compiler));
  text at(compiler), chosen(sys::file_name(compiler));
  for (int links = 0; links < 40; ++links) {
    auto next = sys::read_symlink<P>(at);
    if (!next) break;  // not a link: the end of the chain
    text target = std::move(*next);
    if (!text_view(target).starts_with("/")) target = sys::path_join(sys::parent_path(at), target);
    at = std::move(target);
    if (cxx(sys::file_name(at)) == want_cxx) chosen = text(sys::file_name(at));
  }
  if (auto real = sys::canonical<P>(at); !real) return real.error();
  return chosen;
}

template <class P>
struct basic_compile_pool<P>::server {
  distcc_host host;
  text where;
  buffer<sys::socket_address> address;  // resolved once
  unsigned running = 0;
  std::uint64_t compiled = 0, failed = 0;
  sys::basic_deadline<P> aside_until = sys::basic_deadline<P>::at_ns(0);
  text last_trouble;
};

template <class P>
struct basic_compile_pool<P>::state {
  compile_pool_options o;
  buffer<server> servers;
  mutable sys::basic_mutex<P> m;
  sys::basic_condition_variable<P> freed;
  unsigned local_running = 0;
  compile_pool_stats stats;
  std::size_t next = 0;  // round robin among equals
};

namespace detail {

// `from` (a server's stderr or stdout) appended to `to` with every control
// byte but the newline escaped (\xHH): a server's text cannot move the
// cursor, retitle the window or redraw a line of the user's terminal.
inline void append_printable(text& to, text_view from) {
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
inline text port_text(std::uint16_t port) {
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

// `job`'s compiler with `args`, where and as `job` runs it.
template <class P>
sys::basic_command<P> compiler_command(const compile_job& job, const buffer<text>& args) {
  sys::basic_command<P> cmd(job.compiler);
  cmd.args(args).cwd(job.cwd);
  for (const text& e : job.env) {
    const text_view v(e);
    const std::size_t eq = v.find('=');
    cmd.env(v.substr(0, eq), eq == text_view::npos ? text_view() : v.substr(eq + 1));
  }
  return cmd;
}

// One run of the compiler here, as the outcome of `job`.
template <class P>
result<compile_outcome> compile_here(const compile_job& job, sys::basic_deadline<P> d, compile_outcome o) {
  basic_run_options<P> ro;
  ro.deadline = d;
  auto r = run<P>(compiler_command<P>(job, job.args), ro);
  if (!r) return r.error();
  o.status = r->status;
  o.out = std::move(r->out);
  o.err = std::move(r->err);
  o.timed_out = r->timed_out;
  o.where = text("local");
  return o;
}

}  // namespace detail

template <class P>
basic_compile_pool<P>::basic_compile_pool(compile_pool_options o) : s_(new state) {
  s_->o = std::move(o);
  for (const distcc_host& h : s_->o.servers) {
    server sv;
    sv.host = h;
    sv.where = h.name;
    if (text_view(h.name).find(':') != text_view::npos) {
      sv.where = text("[");
      sv.where.append(h.name).append("]");
    }
    sv.where.append(":").append(text_view(detail::port_text(h.port)));
    s_->servers.push_back(std::move(sv));
  }
}

template <class P>
basic_compile_pool<P>::~basic_compile_pool() = default;

template <class P>
result<compile_outcome> basic_compile_pool<P>::compile(const compile_job& job, sys::basic_deadline<P> d) {
  state& s = *s_;
  compile_outcome o;
  // The compiler as servers know it; Clang also behind a name like "cc".
  auto compiler_name = distcc_compiler_name<P>(job.compiler);
  const bool clang = sys::file_name(job.compiler).find("clang") != text_view::npos ||
                     (compiler_name && text_view(*compiler_name).find("clang") != text_view::npos);
  const detail::distcc_split split =
      detail::split_for_distcc(span<const text>(job.args.data(), job.args.size()), clang);
  // Waits for a slot: a server's (its index) or one here (`here`); false
  // when `d` passes first. A server is a candidate when it was not tried
  // for this compile, is not set aside, and has a free slot; the least
  // loaded (running / limit) wins. Without servers allowed or left to try,
  // the compile takes a slot here (with no local slots, here it is at once:
  // a pool never waits for servers that cannot come back).
  constexpr std::size_t here = static_cast<std::size_t>(-1);
  buffer<std::size_t> tried;
  const auto was_tried = [&](std::size_t i) {
    for (std::size_t t : tried)
      if (t == i) return true;
    return false;
  };
  const auto take_slot = [&](bool servers_allowed, std::size_t& slot) -> bool {
    std::unique_lock<sys::basic_mutex<P>> lock(s.m);
    for (;;) {
      std::size_t best = here;
      bool some_left = false;  // a server that may free a slot
      for (std::size_t k = 0; servers_allowed && k < s.servers.size(); ++k) {
        const std::size_t i = (s.next + k) % s.servers.size();
        const server& sv = s.servers[i];
        if (was_tried(i) || !sv.aside_until.expired()) continue;
        some_left = true;
        if (sv.running >= sv.host.limit) continue;
        if (best == here || sv.running * s.servers[best].host.limit < s.servers[best].running * sv.host.limit) best = i;
      }
      if (best != here) {
        ++s.servers[best].running;
        s.next = best + 1;
        slot = best;
        return true;
      }
      if (s.local_running < s.o.local_slots || (s.o.local_slots == 0 && !some_left)) {
        ++s.local_running;
        slot = here;
        return true;
      }
      if (!s.freed.wait_until(lock, d)) return false;
    }
  };
  const auto give_back = [&](std::size_t slot) {
    {
      std::lock_guard<sys::basic_mutex<P>> lock(s.m);
      if (slot == here)
        --s.local_running;
      else
        --s.servers[slot].running;
    }
    s.freed.notify_all();
  };
  const auto run_here = [&](text_view why) -> result<compile_outcome> {
    std::size_t slot = here;
    if (!take_slot(false, slot)) return error{errc::timed_out};
    o.why_local = text(why);
    auto r = detail::compile_here<P>(job, d, std::move(o));
    give_back(slot);
    std::lock_guard<sys::basic_mutex<P>> lock(s.m);
    ++s.stats.local;
    return r;
  };

  if (!split.why_local.empty()) return run_here(split.why_local);
  if (s.servers.empty()) return run_here("no server in the pool");

  // Preprocessed here, into memory (the compiler's stdout).
  text preprocessed;
  {
    basic_run_options<P> ro;
    ro.deadline = d;
    ro.output_limit = s.o.max_source + 1;
    auto r = run<P>(detail::compiler_command<P>(job, split.preprocess), ro);
    if (!r) return r.error();
    if (r->timed_out || !r->status.success()) {
      // The preprocessor's own failure is the compile's.
      o.status = r->status;
      o.err = std::move(r->err);
      o.timed_out = r->timed_out;
      o.where = text("local");
      o.why_local = text("preprocessing failed");
      std::lock_guard<sys::basic_mutex<P>> lock(s.m);
      ++s.stats.local;
      return o;
    }
    if (r->out.size() > s.o.max_source) return run_here("the preprocessed source is over max_source");
    preprocessed = std::move(r->out);
    o.err = std::move(r->err);  // the preprocessor's warnings
  }
  const text_view source_text(preprocessed);
  if (!compiler_name) return run_here("the compiler's file could not be resolved");
  buffer<text> argv;
  argv.push_back(std::move(*compiler_name));
  for (const text& a : split.server) argv.push_back(a);
  text head;
  if (!detail::distcc_request_head(head, argv, source_text.size()))
    return run_here("an argument too long for distcc's protocol");
  const text object_path = sys::path_join(job.cwd, split.object);
  // Written by renaming over it: a link, a device (-o /dev/null) or a
  // directory there would be replaced, where the compiler writes through it.
  if (auto st = sys::lstat<P>(object_path); st && st->type != sys::file_type::regular)
    return run_here("the object's path is not a regular file (a link, a device or a directory)");

  for (unsigned attempt = 0; attempt < s.o.tries; ++attempt) {
    std::size_t slot = here;
    if (!take_slot(true, slot)) return error{errc::timed_out};
    if (slot == here) {
      o.why_local = text(attempt == 0 ? "every server slot busy or set aside" : "no other server to try");
      auto r = detail::compile_here<P>(job, d, std::move(o));
      give_back(slot);
      std::lock_guard<sys::basic_mutex<P>> lock(s.m);
      ++s.stats.local;
      return r;
    }
    tried.push_back(slot);
    server& sv = s.servers[slot];
    // One attempt; `trouble` empty when the server answered well.
    text trouble;
    detail::distcc_reply reply;
    const auto attempt_deadline = sys::basic_deadline<P>::earliest(d, sys::basic_deadline<P>::after(s.o.job_timeout));
    {
      buffer<sys::socket_address> addr;
      {
        std::lock_guard<sys::basic_mutex<P>> lock(s.m);
        addr = sv.address;
      }
      if (addr.empty()) {
        auto found = sys::resolve<P>(sv.host.name, text_view(detail::port_text(sv.host.port)));
        if (found && !found->empty()) {
          addr = std::move(*found);
          std::lock_guard<sys::basic_mutex<P>> lock(s.m);
          sv.address = addr;
        } else {
          trouble = text("its name does not resolve");
        }
      }
      result<sys::basic_socket<P>> sock = error{errc::not_found};
      if (trouble.empty()) {
        const auto connect_by =
            sys::basic_deadline<P>::earliest(attempt_deadline, sys::basic_deadline<P>::after(s.o.connect_timeout));
        // Non-blocking, so that every send and receive keeps the deadline
        // (a blocking send to a server that stopped reading never returns).
        // Each address in turn (a name may give ::1 before 127.0.0.1).
        for (const sys::socket_address& a : addr) {
          sock = sys::basic_socket<P>::connect_to(a, connect_by, true);
          if (sock || connect_by.expired()) break;
        }
        if (!sock) {
          trouble = text("connect: ");
          trouble.append(sock.error().message().view());
        }
      }
      if (trouble.empty()) {
        auto sent = sock->send_all(text_view(head), attempt_deadline);
        if (sent)
          sent = sock->send_all(
              span<const std::byte>(reinterpret_cast<const std::byte*>(source_text.data()), source_text.size()),
              attempt_deadline);
        if (!sent) {
          trouble = text("sending the source: ");
          trouble.append(sent.error().message().view());
        }
      }
      if (trouble.empty()) {
        diagnostic why;
        auto got = detail::read_distcc_reply(
            [&](std::byte* p, std::size_t n) -> status {
              return sock->receive_exact(span<std::byte>(p, n), attempt_deadline);
            },
            s.o.limits, reply, why);
        if (!got) {
          trouble = text(got.error() == errc::timed_out ? "timed out waiting for the answer: " : "its answer: ");
          const diagnostic_line line = why.format();
          trouble.append(line.view());
        }
      }
    }
    if (trouble.empty() && reply.status == 0) {
      text bad;
      if (!object_is_whole(span<const std::byte>(reply.object.data(), reply.object.size()), bad)) {
        trouble = text("it sent an object that is not whole: ");
        trouble.append(bad);
      }
    }
    if (trouble.empty() && reply.status == 0) {
      if (auto ok = sys::atomic_replace<P>(object_path, span<const std::byte>(reply.object.data(), reply.object.size()),
                                           sys::replace_options{sys::keep_permissions, false});
          !ok) {
        // Not the server's fault: the compile here says what is wrong.
        give_back(slot);
        return run_here("the object could not be written where -o says");
      }
    }
    if (!trouble.empty() && d.expired()) {
      // The caller's deadline passed: that is no fault of the server's.
      give_back(slot);
      o.timed_out = true;
      o.status = sys::exit_status{sys::exit_status::how::exited, -1};
      o.where = sv.where;
      return o;
    }
    {
      std::lock_guard<sys::basic_mutex<P>> lock(s.m);
      if (trouble.empty()) {
        ++sv.compiled;
      } else {
        ++sv.failed;
        ++s.stats.retried;
        sv.last_trouble = trouble;
        sv.aside_until = sys::basic_deadline<P>::after(s.o.backoff);
      }
    }
    give_back(slot);
    if (!trouble.empty()) {
      o.retried.push_back(compile_attempt{sv.where, std::move(trouble)});
      continue;
    }
    o.sent = source_text.size();
    o.received = reply.object.size();
    if (reply.status != 0 && s.o.confirm_failures) {
      {
        std::lock_guard<sys::basic_mutex<P>> lock(s.m);
        ++s.stats.confirmed;
      }
      text why("it failed on ");
      why.append(sv.where).append(": run here to confirm");
      return run_here(why);
    }
    o.status = reply.status == 0 ? sys::exit_status{}
               : (reply.status & 0x7f) != 0
                   ? sys::exit_status{sys::exit_status::how::signaled, static_cast<int>(reply.status & 0x7f)}
                   : sys::exit_status{sys::exit_status::how::exited, static_cast<int>((reply.status >> 8) & 0xff)};
    detail::append_printable(o.err, reply.err);
    detail::append_printable(o.out, reply.out);
    o.where = sv.where;
    std::lock_guard<sys::basic_mutex<P>> lock(s.m);
    ++s.stats.remote;
    return o;
  }
  return run_here("every server tried failed");
}

template <class P>
buffer<compile_server_state> basic_compile_pool<P>::servers() const {
  buffer<compile_server_state> out;
  std::lock_guard<sys::basic_mutex<P>> lock(s_->m);
  for (const server& sv : s_->servers)
    out.push_back(compile_server_state{sv.where, sv.host.limit, sv.running, sv.compiled, sv.failed,
                                       !sv.aside_until.expired(), sv.last_trouble});
  return out;
}

template <class P>
compile_pool_stats basic_compile_pool<P>::stats() const {
  std::lock_guard<sys::basic_mutex<P>> lock(s_->m);
  return s_->stats;
}

template <class P>
result<buffer<distcc_probe>> probe_distcc_hosts(span<const distcc_host> servers, text_view compiler, text_view scratch,
                                                std::chrono::milliseconds timeout) {
  const text source = sys::path_join(scratch, "vitte-probe.c");
  if (auto ok = sys::write_file(source, text_view("int vitte_probe(int x) { return x + 1; }\n")); !ok)
    return ok.error();
  buffer<distcc_probe> out;
  for (const distcc_host& h : servers) {
    compile_pool_options o;
    o.servers.push_back(h);
    o.local_slots = 0;
    o.tries = 1;
    o.job_timeout = timeout;
    o.connect_timeout = timeout;
    o.confirm_failures = false;
    basic_compile_pool<P> pool(std::move(o));
    compile_job job{text(compiler), {}, text(scratch), {text("LANG=C")}};
    for (text_view a : {"-c", "-O2", "-o", "vitte-probe.o", "vitte-probe.c"}) job.args.push_back(text(a));
    distcc_probe probe;
    probe.where = pool.servers()[0].where;
    const auto started = sys::basic_clock<P, sys::clock_id::monotonic>::now();
    auto r = pool.compile(job, sys::basic_deadline<P>::after(timeout * 2));
    probe.round_trip = sys::basic_clock<P, sys::clock_id::monotonic>::now() - started;
    if (!r) {
      probe.trouble = text(r.error().message().view());
    } else if (!r->retried.empty()) {
      probe.trouble = std::move(r->retried[0].trouble);
    } else if (!r->why_local.empty()) {
      probe.trouble = std::move(r->why_local);
    } else if (!r->status.success()) {
      probe.trouble = text("the compile failed there (is the compiler installed and named in /usr/lib/distcc?): ");
      probe.trouble.append(r->err);
      while (!probe.trouble.empty() && probe.trouble.back() == '\n') probe.trouble.pop_back();
    } else {
      probe.ok = true;
    }
    out.push_back(std::move(probe));
  }
  return out;
}

}  // namespace vitte::build

#endif  // VITTE_TOOLCHAIN_IMPL_DISTCC_HPP
