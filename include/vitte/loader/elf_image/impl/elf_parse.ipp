// The in-memory ELF loader's first step: the checks of every structure of
// the input against its bytes, before anything is mapped (the ELF header,
// the program headers, the dynamic section, the hash tables, the symbols
// and the versions), and the host's ELF word and structure sizes. Reads go
// through base's byte_view and load_le; the ELF values are named in
// loader/detail/elf_constants.hpp. Part of impl/image.ipp.
#ifndef VITTE_LOADER_ELF_IMAGE_IMPL_ELF_PARSE_IPP
#define VITTE_LOADER_ELF_IMAGE_IMPL_ELF_PARSE_IPP

#include <vitte/base.hpp>
#include <vitte/base/detail/byte_view.hpp>  // the input, bounds-checked
#include <vitte/base/detail/endian.hpp>     // load_le: fields of ranges already checked
#include <vitte/loader/detail/elf_constants.hpp>
#include <vitte/loader/diagnostics.hpp>      // refuse
#include <vitte/loader/elf_image/image.hpp>  // image_options
#include <vitte/loader/elf_image/impl/host.hpp>
#include <vitte/loader/elf_image/impl/reloc_aarch64.hpp>
#include <vitte/loader/elf_image/impl/reloc_arm.hpp>
#include <vitte/loader/elf_image/impl/reloc_riscv64.hpp>
#include <vitte/loader/elf_image/impl/reloc_x86_64.hpp>
#include <vitte/loader/operations.hpp>
#include <vitte/sys/memory.hpp>  // the page size

#include <algorithm>  // std::max
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

#if VITTE_IMAGE_HOST
namespace vitte::loader::elf_image::detail {

#if defined(__x86_64__)
using host_rules = x86_64_rules;
#elif defined(__aarch64__)
using host_rules = aarch64_rules;
#elif defined(__riscv)
using host_rules = riscv64_rules;
#else
using host_rules = arm_rules;
#endif

/// The host's ELF word and the sizes of its structures.
using word = std::conditional_t<host_rules::is64, std::uint64_t, std::uint32_t>;
inline constexpr std::size_t word_size = sizeof(word);
inline constexpr std::size_t ehdr_size = host_rules::is64 ? 64 : 52;
inline constexpr std::size_t phdr_size = host_rules::is64 ? 56 : 32;
inline constexpr std::size_t sym_size = host_rules::is64 ? 24 : 16;
inline constexpr std::size_t rel_size = host_rules::is64 ? (host_rules::rela ? 24 : 16) : (host_rules::rela ? 12 : 8);

using vitte::detail::load_le;

struct segment {
  std::uint64_t vaddr = 0, memsz = 0, offset = 0, filesz = 0, align = 0;
  std::uint32_t flags = 0;  // elf::pf_x, pf_w, pf_r
};

struct symbol_entry {
  std::uint32_t name = 0;
  unsigned char type = 0, bind = 0, visibility = 0;
  std::uint16_t shndx = 0;
  std::uint64_t value = 0;
};

/// The dynamic section's entries the loader uses (addresses are vaddrs).
struct dynamic_info {
  std::uint64_t strtab = 0, strsz = 0, symtab = 0, syment = 0, hash = 0, gnu_hash = 0;
  std::uint64_t rel = 0, relsz = 0, relent = 0, jmprel = 0, pltrelsz = 0, pltrel = 0;
  std::uint64_t relr = 0, relrsz = 0, relrent = 0;
  std::uint64_t init = 0, fini = 0, init_array = 0, init_arraysz = 0, fini_array = 0, fini_arraysz = 0;
  std::uint64_t versym = 0, verdef = 0, verdefnum = 0, verneed = 0, verneednum = 0;
  bool has_rel = false, has_jmprel = false, has_relr = false, has_init = false, has_fini = false;
  bool nodelete = false;                 // DF_1_NODELETE in DT_FLAGS_1
  std::vector<std::uint64_t> needed;     // string table offsets
  std::uint64_t rpath = 0, runpath = 0;  // string table offsets (image_set's search)
  bool has_rpath = false, has_runpath = false;
};

// --- Checks before mapping ---------------------------------------------------

/// The input and what load() learnt of it, with the problem it found.
class parser {
 public:
  parser(std::span<const std::byte> in, vitte::diagnostic* why) noexcept : in_{in}, why_(why) {}

  vitte::detail::byte_view in_;  // little-endian: the hosts images run on
  vitte::diagnostic* why_;
  std::vector<segment> loads;
  segment dynamic{}, tls{}, relro{}, eh_frame_hdr{}, exidx{};
  bool has_dynamic = false, has_tls = false, has_relro = false, has_eh = false, has_exidx = false;
  dynamic_info dyn;
  std::uint64_t lo = 0, hi = 0;
  std::size_t nsyms = 0;
  std::uint64_t gnu_nsyms = 0;       // the symbols DT_GNU_HASH's chains cover (checked)
  std::span<const std::byte> phdrs;  // the program header table, in the input

  error fail(const char* what, std::uint64_t off, errc code = errc::malformed) noexcept {
    return vitte::loader::detail::refuse(why_, code, off, what);
  }
  /// fail() with a description naming values: `fill` appends them to it.
  template <class F>
  error fail_with(const char* what, std::uint64_t off, F fill, errc code = errc::malformed) noexcept {
    const error e = fail(what, off, code);
    if (why_ != nullptr) fill(*why_);
    return e;
  }

  /// True when vaddr `va` lies in an executable PT_LOAD segment.
  bool executable(std::uint64_t va) const noexcept {
    for (const segment& s : loads)
      if ((s.flags & elf::pf_x) != 0 && va >= s.vaddr && va - s.vaddr < s.memsz) return true;
    return false;
  }

  /// The input bytes of vaddr range [va, va + n): inside one readable
  /// segment's file bytes (the loaded image reads its tables there too).
  const std::byte* at(std::uint64_t va, std::uint64_t n) const noexcept {
    for (const segment& s : loads)
      if ((s.flags & elf::pf_r) != 0 && va >= s.vaddr && va - s.vaddr < s.filesz && n <= s.filesz - (va - s.vaddr))
        return in_.bytes.data() + s.offset + (va - s.vaddr);
    return nullptr;
  }
  /// The file offset of vaddr `va` (for messages); the vaddr when none.
  std::uint64_t offset_of(std::uint64_t va) const noexcept {
    for (const segment& s : loads)
      if (va >= s.vaddr && va - s.vaddr < s.filesz) return s.offset + (va - s.vaddr);
    return va;
  }

  status header(const image_options& o) noexcept {
    const std::byte* p = in_.bytes.data();
    if (in_.size() < 16 || std::memcmp(p, "\177ELF", 4) != 0) return fail("not an ELF file", 0, errc::exec_format);
    if (static_cast<unsigned>(p[elf::ei_class]) != (host_rules::is64 ? elf::elfclass64 : elf::elfclass32))
      return fail(host_rules::is64 ? "ELF class is 32-bit; this host loads 64-bit objects"
                                   : "ELF class is 64-bit; this host loads 32-bit objects",
                  elf::ei_class, errc::exec_format);
    if (static_cast<unsigned>(p[elf::ei_data]) != elf::elfdata2lsb)
      return fail("ELF byte order is big-endian; this host is little-endian", elf::ei_data, errc::exec_format);
    if (in_.size() < ehdr_size) return fail("ELF header cut short", in_.size(), errc::unexpected_eof);
    std::uint16_t type = load_le<std::uint16_t>(p + 16), machine = load_le<std::uint16_t>(p + 18);
    if (machine != host_rules::machine)
      return fail("ELF machine is not this host's architecture", 18, errc::exec_format);
    // An ABI named in e_flags (RISC-V's float ABI): the rules that have one say whether it is the host's.
    auto abi = [&](auto rules) -> status {
      using R = decltype(rules);
      if constexpr (requires { R::flags_problem(0u); }) {
        constexpr std::size_t at_flags = R::is64 ? 48 : 36;
        std::uint32_t flags = load_le<std::uint32_t>(p + at_flags);
        if (const char* what = R::flags_problem(flags))
          return fail_with(
              what, at_flags,
              [&](vitte::diagnostic& w) {
                w.append(": the image's is ").append(R::abi_name(flags)).append(", this host's ");
                w.append(R::abi_name(R::host_flags));
              },
              errc::exec_format);
      }
      return {};
    };
    if (status s = abi(host_rules{}); !s) return s;
    if (type != elf::et_dyn) return fail("not a shared object (ELF type is not ET_DYN)", 16, errc::exec_format);
    std::uint64_t phoff = host_rules::is64 ? load_le<std::uint64_t>(p + 32) : load_le<std::uint32_t>(p + 28);
    std::uint16_t phentsize = load_le<std::uint16_t>(p + (host_rules::is64 ? 54 : 42));
    std::uint16_t phnum = load_le<std::uint16_t>(p + (host_rules::is64 ? 56 : 44));
    if (phentsize != phdr_size) return fail("program header size is not the ELF class's", host_rules::is64 ? 54 : 42);
    if (phnum == elf::pn_xnum)
      return fail("extended program header count (PN_XNUM) not supported", host_rules::is64 ? 56 : 44);
    if (!in_.contains(phoff, std::uint64_t{phnum} * phdr_size))
      return fail("program header table outside the file", host_rules::is64 ? 32 : 28);
    phdrs = in_.sub(phoff, std::uint64_t{phnum} * phdr_size);
    for (std::uint16_t i = 0; i < phnum; ++i) {
      const std::byte* h = p + phoff + std::uint64_t{i} * phdr_size;
      std::uint64_t at_ = phoff + std::uint64_t{i} * phdr_size;
      std::uint32_t ptype = load_le<std::uint32_t>(h);
      segment s;
      if constexpr (host_rules::is64) {
        s.flags = load_le<std::uint32_t>(h + 4);
        s.offset = load_le<std::uint64_t>(h + 8);
        s.vaddr = load_le<std::uint64_t>(h + 16);
        s.filesz = load_le<std::uint64_t>(h + 32);
        s.memsz = load_le<std::uint64_t>(h + 40);
        s.align = load_le<std::uint64_t>(h + 48);
      } else {
        s.offset = load_le<std::uint32_t>(h + 4);
        s.vaddr = load_le<std::uint32_t>(h + 8);
        s.filesz = load_le<std::uint32_t>(h + 16);
        s.memsz = load_le<std::uint32_t>(h + 20);
        s.flags = load_le<std::uint32_t>(h + 24);
        s.align = load_le<std::uint32_t>(h + 28);
      }
      switch (ptype) {
        case elf::pt_load: {
          if (s.filesz > s.memsz) return fail("segment's file size exceeds its memory size", at_);
          if (!in_.contains(s.offset, s.filesz)) return fail("segment outside the file", at_);
          if (s.vaddr + s.memsz < s.vaddr || s.vaddr + s.memsz > (std::numeric_limits<word>::max)() - 0xffff)
            return fail("segment's size overflows the address space", at_);
          if ((s.flags & (elf::pf_w | elf::pf_x)) == (elf::pf_w | elf::pf_x))
            return fail("segment is writable and executable", at_, errc::not_supported);
          if (s.align > 1 && (s.align & (s.align - 1)) != 0)
            return fail("segment alignment is not a power of two", at_);
          if (!loads.empty() && s.vaddr < loads.back().vaddr + loads.back().memsz)
            return fail("segments overlap or are out of order", at_);
          if (status c = congruent(s, i, at_); !c) return c;
          if (s.memsz != 0) loads.push_back(s);
          break;
        }
        case elf::pt_dynamic:
          if (has_dynamic) return fail("two dynamic segments", at_);
          dynamic = s, has_dynamic = true;
          break;
        case elf::pt_tls:
          if (has_tls) return fail("two TLS segments", at_);
          if (s.filesz > s.memsz || (s.align > 1 && (s.align & (s.align - 1)) != 0) || s.align > 4096)
            return fail("TLS segment's sizes or alignment are invalid", at_);
          tls = s, has_tls = true;
          break;
        case elf::pt_gnu_relro:
          relro = s, has_relro = true;
          break;
        case elf::pt_gnu_stack:
          if ((s.flags & elf::pf_x) != 0)
            return fail("requests an executable stack (PT_GNU_STACK)", at_, errc::not_supported);
          break;
        case elf::pt_gnu_eh_frame:
          eh_frame_hdr = s, has_eh = true;
          break;
        case elf::pt_arm_exidx:  // another processor's type elsewhere
          if (host_rules::machine == elf::em_arm) exidx = s, has_exidx = true;
          break;
        default:
          break;
      }
    }
    if (loads.empty()) return fail("no loadable segment", host_rules::is64 ? 32 : 28);
    std::uint64_t page = sys::region::page_size();
    lo = loads.front().vaddr / page * page;
    std::uint64_t end = loads.back().vaddr + loads.back().memsz;
    hi = (end + page - 1) / page * page;
    if (has_tls && tls.memsz > o.max_size)
      return fail("TLS segment larger than image_options::max_size", tls.offset, errc::no_memory);
    if (hi - lo > o.max_size)
      return fail("image larger than image_options::max_size", host_rules::is64 ? 32 : 28, errc::no_memory);
    if (has_tls && !at(tls.vaddr, tls.filesz) && tls.filesz != 0)
      return fail("TLS initial image outside the loaded segments", tls.offset);
    if (!has_dynamic) return fail("no dynamic segment", host_rules::is64 ? 32 : 28);
    return {};
  }

  /// A PT_LOAD's offset and address agree modulo its alignment and the
  /// page size (what mapping it at its address needs: the ELF rule).
  status congruent(const segment& s, std::uint16_t index, std::uint64_t at_) noexcept {
    std::uint64_t page = sys::region::page_size();
    std::uint64_t m = s.align > page ? s.align : page;
    if (s.offset % m == s.vaddr % m) return {};
    return fail_with("PT_LOAD segment's p_offset and p_vaddr disagree modulo its alignment: program header ", at_,
                     [&](vitte::diagnostic& w) {
                       w.append(index).append(", p_offset ").append(s.offset, true).append(", p_vaddr ");
                       w.append(s.vaddr, true).append(", modulo ").append(m, true);
                     });
  }

  /// DT_INIT and DT_FINI lie in an executable segment.
  status entry_points() noexcept {
    auto check = [&](bool has, std::uint64_t va, const char* what) -> status {
      if (!has || executable(va)) return {};
      return fail_with(what, dynamic.offset, [&](vitte::diagnostic& w) { w.append(va, true); });
    };
    if (status s = check(dyn.has_init, dyn.init, "DT_INIT outside the executable segments: "); !s) return s;
    return check(dyn.has_fini, dyn.fini, "DT_FINI outside the executable segments: ");
  }

  /// Reads and checks the dynamic section; `whole` false stops before the
  /// entry points and the symbol table (what image_set's search reads: the
  /// names needed and the search paths).
  status dynamic_section(bool whole = true) {
    const std::byte* d = at(dynamic.vaddr, dynamic.filesz);
    if (d == nullptr || !in_.contains(dynamic.offset, dynamic.filesz))
      return fail("dynamic segment outside the loaded segments", dynamic.offset);
    constexpr std::size_t entry = 2 * word_size;
    bool terminated = false;
    for (std::uint64_t i = 0; i + entry <= dynamic.filesz; i += entry) {
      std::int64_t tag = static_cast<std::int64_t>(static_cast<std::make_signed_t<word>>(load_le<word>(d + i)));
      std::uint64_t v = load_le<word>(d + i + word_size);
      std::uint64_t at_ = dynamic.offset + i;
      if (tag == elf::dt_null) {
        terminated = true;
        break;
      }
      switch (tag) {
        case elf::dt_needed:
          dyn.needed.push_back(v);
          break;
        case elf::dt_hash:
          dyn.hash = v;
          break;
        case elf::dt_strtab:
          dyn.strtab = v;
          break;
        case elf::dt_symtab:
          dyn.symtab = v;
          break;
        case elf::dt_rela:
        case elf::dt_rel:
          dyn.rel = v, dyn.has_rel = true;
          break;
        case elf::dt_relasz:
        case elf::dt_relsz:
          dyn.relsz = v;
          break;
        case elf::dt_relaent:
        case elf::dt_relent:
          dyn.relent = v;
          break;
        case elf::dt_strsz:
          dyn.strsz = v;
          break;
        case elf::dt_syment:
          dyn.syment = v;
          break;
        case elf::dt_init:
          dyn.init = v, dyn.has_init = true;
          break;
        case elf::dt_fini:
          dyn.fini = v, dyn.has_fini = true;
          break;
        case elf::dt_rpath:
          dyn.rpath = v, dyn.has_rpath = true;
          break;
        case elf::dt_runpath:
          dyn.runpath = v, dyn.has_runpath = true;
          break;
        case elf::dt_symbolic:  // own definitions first, as always here
          break;
        case elf::dt_pltrel:
          dyn.pltrel = v;
          break;
        case elf::dt_textrel:
          return fail("text relocations (DT_TEXTREL) are refused: build with -fPIC", at_, errc::not_supported);
        case elf::dt_jmprel:
          dyn.jmprel = v, dyn.has_jmprel = true;
          break;
        case elf::dt_pltrelsz:
          dyn.pltrelsz = v;
          break;
        case elf::dt_init_array:
          dyn.init_array = v;
          break;
        case elf::dt_fini_array:
          dyn.fini_array = v;
          break;
        case elf::dt_init_arraysz:
          dyn.init_arraysz = v;
          break;
        case elf::dt_fini_arraysz:
          dyn.fini_arraysz = v;
          break;
        case elf::dt_flags:
          if ((v & elf::df_textrel) != 0)
            return fail("text relocations (DF_TEXTREL) are refused: build with -fPIC", at_, errc::not_supported);
          if ((v & elf::df_static_tls) != 0)
            return fail("initial-exec (static) TLS (DF_STATIC_TLS) is refused: build with -ftls-model=global-dynamic",
                        at_, errc::not_supported);
          break;
        case elf::dt_flags_1:
          dyn.nodelete = (v & elf::df_1_nodelete) != 0;
          break;
        case elf::dt_relrsz:
          dyn.relrsz = v;
          break;
        case elf::dt_relr:
          dyn.relr = v, dyn.has_relr = true;
          break;
        case elf::dt_relrent:
          dyn.relrent = v;
          break;
        case elf::dt_gnu_hash:
          dyn.gnu_hash = v;
          break;
        case elf::dt_versym:
          dyn.versym = v;
          break;
        case elf::dt_verdef:
          dyn.verdef = v;
          break;
        case elf::dt_verdefnum:
          dyn.verdefnum = v;
          break;
        case elf::dt_verneed:
          dyn.verneed = v;
          break;
        case elf::dt_verneednum:
          dyn.verneednum = v;
          break;
        default:
          break;
      }
    }
    if (!terminated) return fail("dynamic section has no DT_NULL", dynamic.offset + dynamic.filesz);
    std::uint64_t dyn_at = dynamic.offset;
    if (dyn.has_rel && dyn.relent != 0 && dyn.relent != rel_size)
      return fail("relocation entry size is not the ELF class's", dyn_at);
    if (dyn.has_jmprel && dyn.pltrel != static_cast<std::uint64_t>(host_rules::rela ? elf::dt_rela : elf::dt_rel))
      return fail(host_rules::rela ? "PLT relocations are not RELA" : "PLT relocations are not REL", dyn_at);
    if (dyn.has_relr && dyn.relrent != 0 && dyn.relrent != word_size)
      return fail("DT_RELRENT is not the word size", dyn_at);
    if (dyn.syment != 0 && dyn.syment != sym_size) return fail("symbol entry size is not the ELF class's", dyn_at);
    if (dyn.strtab == 0 || at(dyn.strtab, dyn.strsz) == nullptr)
      return fail("string table outside the loaded segments", dyn_at);
    if (dyn.strsz == 0 || at(dyn.strtab + dyn.strsz - 1, 1)[0] != std::byte{0})
      return fail("string table does not end with a NUL", offset_of(dyn.strtab));
    for (std::uint64_t n : dyn.needed)
      if (n >= dyn.strsz) return fail("DT_NEEDED name outside the string table", dyn_at);
    if ((dyn.has_rpath && dyn.rpath >= dyn.strsz) || (dyn.has_runpath && dyn.runpath >= dyn.strsz))
      return fail("DT_RPATH or DT_RUNPATH outside the string table", dyn_at);
    if (dyn.init_arraysz % word_size != 0 || (dyn.init_arraysz != 0 && at(dyn.init_array, dyn.init_arraysz) == nullptr))
      return fail("DT_INIT_ARRAY outside the loaded segments", dyn_at);
    if (dyn.fini_arraysz % word_size != 0 || (dyn.fini_arraysz != 0 && at(dyn.fini_array, dyn.fini_arraysz) == nullptr))
      return fail("DT_FINI_ARRAY outside the loaded segments", dyn_at);
    if (!whole) return {};
    if (status s = entry_points(); !s) return s;
    return symbols();
  }

  /// The number of symbols, from DT_HASH or DT_GNU_HASH (walked with bounds).
  status symbols() noexcept {
    if (dyn.symtab == 0) return fail("no symbol table (DT_SYMTAB)", dynamic.offset);
    if (dyn.hash == 0 && dyn.gnu_hash == 0)
      return fail("no symbol hash table (DT_HASH or DT_GNU_HASH)", dynamic.offset);
    std::uint64_t gnu_nsyms = 0;
    if (dyn.gnu_hash != 0) {  // walked even beside DT_HASH: lookups use it
      const std::byte* h = at(dyn.gnu_hash, 16);
      if (h == nullptr) return fail("DT_GNU_HASH outside the loaded segments", offset_of(dyn.gnu_hash));
      std::uint64_t nbucket = load_le<std::uint32_t>(h), symoffset = load_le<std::uint32_t>(h + 4);
      std::uint64_t bloom = load_le<std::uint32_t>(h + 8);
      std::uint64_t head = 16 + bloom * word_size;
      if (nbucket == 0 || at(dyn.gnu_hash, head + 4 * nbucket) == nullptr)
        return fail("DT_GNU_HASH tables outside the loaded segments", offset_of(dyn.gnu_hash));
      std::uint64_t last = 0;
      for (std::uint64_t b = 0; b < nbucket; ++b)
        last = std::max<std::uint64_t>(last, load_le<std::uint32_t>(h + head + 4 * b));
      if (last != 0 && last < symoffset)
        return fail("DT_GNU_HASH bucket below its first symbol", offset_of(dyn.gnu_hash));
      gnu_nsyms = symoffset;
      std::uint64_t chain = dyn.gnu_hash + head + 4 * nbucket;
      if (last >= symoffset) {
        for (std::uint64_t i = last;; ++i) {  // ends at the chain's last entry or the end of the bytes
          const std::byte* c = at(chain + 4 * (i - symoffset), 4);
          if (c == nullptr) return fail("DT_GNU_HASH chain runs past the loaded segments", offset_of(dyn.gnu_hash));
          if ((load_le<std::uint32_t>(c) & 1) != 0) {
            gnu_nsyms = i + 1;
            break;
          }
        }
      }
      // The chains end before the symbols and the strings begin.
      std::uint64_t end = chain + 4 * (gnu_nsyms - symoffset);
      auto overlaps = [&](std::uint64_t a, std::uint64_t n) { return a < end && dyn.gnu_hash < a + n; };
      if (overlaps(dyn.symtab, gnu_nsyms * sym_size) || overlaps(dyn.strtab, dyn.strsz))
        return fail("DT_GNU_HASH chain runs into the symbol or string table", offset_of(dyn.gnu_hash));
      nsyms = gnu_nsyms;
      this->gnu_nsyms = gnu_nsyms;
    }
    if (dyn.hash != 0) {
      const std::byte* h = at(dyn.hash, 8);
      if (h == nullptr) return fail("DT_HASH outside the loaded segments", offset_of(dyn.hash));
      std::uint64_t nbucket = load_le<std::uint32_t>(h), nchain = load_le<std::uint32_t>(h + 4);
      if (at(dyn.hash, 8 + 4 * (nbucket + nchain)) == nullptr)
        return fail("DT_HASH tables outside the loaded segments", offset_of(dyn.hash));
      if (dyn.gnu_hash != 0 && nchain < gnu_nsyms)
        return fail("DT_HASH and DT_GNU_HASH disagree on the symbol count", offset_of(dyn.hash));
      nsyms = nchain;
    }
    if (nsyms > (std::uint64_t{1} << 28) || at(dyn.symtab, nsyms * sym_size) == nullptr)
      return fail("symbol table outside the loaded segments", offset_of(dyn.symtab));
    if (dyn.versym != 0 && at(dyn.versym, nsyms * 2) == nullptr)
      return fail("DT_VERSYM outside the loaded segments", offset_of(dyn.versym));
    for (std::size_t i = 0; i < nsyms; ++i) {
      symbol_entry s = symbol(i);
      if (s.name >= dyn.strsz)
        return fail("symbol name outside the string table", offset_of(dyn.symtab) + i * sym_size);
      if (s.shndx != elf::shn_undef && s.type != elf::stt_tls && s.shndx < elf::shn_loreserve &&
          !(s.value >= lo && s.value <= hi))
        return fail("symbol value outside the image", offset_of(dyn.symtab) + i * sym_size);
      if (s.shndx != elf::shn_undef && s.type == elf::stt_tls && (!has_tls || s.value > tls.memsz))
        return fail("TLS symbol outside the TLS segment", offset_of(dyn.symtab) + i * sym_size);
      if (s.shndx != elf::shn_undef && s.type == elf::stt_gnu_ifunc && s.shndx < elf::shn_loreserve &&
          !executable(s.value))
        return fail_with("IFUNC resolver outside the executable segments: symbol ",
                         offset_of(dyn.symtab) + i * sym_size,
                         [&](vitte::diagnostic& w) { w.append(name(s.name)).append(" at ").append(s.value, true); });
    }
    return {};
  }

  /// Every DT_VERSYM entry names version 0 (local), 1 (global) or one of
  /// the versions DT_VERDEF and DT_VERNEED define (`versions`).
  status version_indices(const std::vector<std::string_view>& versions) noexcept {
    if (dyn.versym == 0) return {};
    const std::byte* v = at(dyn.versym, nsyms * 2);
    for (std::size_t i = 0; i < nsyms; ++i) {
      std::uint16_t index = load_le<std::uint16_t>(v + 2 * i) & elf::versym_index_mask;
      if (index <= elf::ver_ndx_global || (index < versions.size() && !versions[index].empty())) continue;
      return fail_with("symbol version index beyond the version definitions and needs: symbol ",
                       offset_of(dyn.versym) + 2 * i, [&](vitte::diagnostic& w) {
                         w.append(name(symbol(i).name)).append(", index ").append(index).append(" of ");
                         w.append(versions.empty() ? 0 : versions.size() - 1);
                       });
    }
    return {};
  }

  symbol_entry symbol(std::size_t i) const noexcept {
    const std::byte* s = at(dyn.symtab + i * sym_size, sym_size);
    symbol_entry e;
    e.name = load_le<std::uint32_t>(s);
    unsigned char info, other;
    if constexpr (host_rules::is64) {
      info = static_cast<unsigned char>(s[4]), other = static_cast<unsigned char>(s[5]);
      e.shndx = load_le<std::uint16_t>(s + 6);
      e.value = load_le<std::uint64_t>(s + 8);
    } else {
      e.value = load_le<std::uint32_t>(s + 4);
      info = static_cast<unsigned char>(s[12]), other = static_cast<unsigned char>(s[13]);
      e.shndx = load_le<std::uint16_t>(s + 14);
    }
    e.type = info & 0xf, e.bind = info >> 4, e.visibility = other & 3;
    return e;
  }
  const char* name(std::uint64_t off) const noexcept {
    return reinterpret_cast<const char*>(at(dyn.strtab, dyn.strsz)) + off;
  }

  /// Version names by index, from DT_VERDEF and DT_VERNEED (walked with bounds).
  status versions(std::vector<std::string_view>& out) {
    auto put = [&](std::uint16_t index, std::uint32_t name_off, std::uint64_t at_) -> status {
      if (name_off >= dyn.strsz) return fail("version name outside the string table", at_);
      if (out.size() <= index) out.resize(std::size_t{index} + 1);
      out[index] = std::string_view(name(name_off));
      return {};
    };
    std::uint64_t va = dyn.verdef;
    for (std::uint64_t n = 0; dyn.verdef != 0 && n < dyn.verdefnum && n <= elf::versym_index_mask; ++n) {
      const std::byte* v = at(va, 20);
      if (v == nullptr) return fail("DT_VERDEF entry outside the loaded segments", offset_of(va));
      std::uint16_t ndx = load_le<std::uint16_t>(v + 4) & elf::versym_index_mask;
      std::uint32_t aux = load_le<std::uint32_t>(v + 12), next = load_le<std::uint32_t>(v + 16);
      const std::byte* a = at(va + aux, 8);
      if (a == nullptr) return fail("DT_VERDEF name entry outside the loaded segments", offset_of(va));
      if (status s = put(ndx, load_le<std::uint32_t>(a), offset_of(va + aux)); !s) return s;
      if (next == 0) break;
      va += next;
    }
    va = dyn.verneed;
    for (std::uint64_t n = 0; dyn.verneed != 0 && n < dyn.verneednum && n <= elf::versym_index_mask; ++n) {
      const std::byte* v = at(va, 16);
      if (v == nullptr) return fail("DT_VERNEED entry outside the loaded segments", offset_of(va));
      std::uint16_t cnt = load_le<std::uint16_t>(v + 2);
      std::uint32_t aux = load_le<std::uint32_t>(v + 8), next = load_le<std::uint32_t>(v + 12);
      std::uint64_t ava = va + aux;
      for (std::uint16_t k = 0; k < cnt; ++k) {
        const std::byte* a = at(ava, 16);
        if (a == nullptr) return fail("DT_VERNEED version entry outside the loaded segments", offset_of(ava));
        if (status s = put(load_le<std::uint16_t>(a + 6) & elf::versym_index_mask, load_le<std::uint32_t>(a + 8),
                           offset_of(ava));
            !s)
          return s;
        std::uint32_t anext = load_le<std::uint32_t>(a + 12);
        if (anext == 0) break;
        ava += anext;
      }
      if (next == 0) break;
      va += next;
    }
    return {};
  }
};

/// One relocation as read from the input.
struct relocation {
  std::uint64_t offset = 0;  // vaddr of the word
  std::uint32_t type = 0;
  std::uint32_t sym = 0;
  std::int64_t addend = 0;
  bool has_addend = false;
};

VITTE_DECL relocation read_relocation(const std::byte* p, bool rela) noexcept {
  relocation r;
  if constexpr (host_rules::is64) {
    r.offset = load_le<std::uint64_t>(p);
    std::uint64_t info = load_le<std::uint64_t>(p + 8);
    r.type = static_cast<std::uint32_t>(info), r.sym = static_cast<std::uint32_t>(info >> 32);
    if (rela) r.addend = static_cast<std::int64_t>(load_le<std::uint64_t>(p + 16)), r.has_addend = true;
  } else {
    r.offset = load_le<std::uint32_t>(p);
    std::uint32_t info = load_le<std::uint32_t>(p + 4);
    r.type = info & 0xff, r.sym = info >> 8;
    if (rela) r.addend = static_cast<std::int32_t>(load_le<std::uint32_t>(p + 8)), r.has_addend = true;
  }
  return r;
}

}  // namespace vitte::loader::elf_image::detail
#endif  // VITTE_IMAGE_HOST

#endif  // VITTE_LOADER_ELF_IMAGE_IMPL_ELF_PARSE_IPP
