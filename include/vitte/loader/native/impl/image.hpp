// The in-memory ELF loader behind vitte/loader/native/image.hpp: the checks
// of every structure against the input, the mapping, the symbol binding
// and the relocations (the rules of each architecture are in reloc_*.hpp),
// protections, unwind registration, debugger registration, init and fini.
#ifndef VITTE_LOADER_NATIVE_IMPL_IMAGE_HPP
#define VITTE_LOADER_NATIVE_IMPL_IMAGE_HPP

#include <vitte/loader/native/image.hpp>
#include <vitte/loader/native/impl/host.hpp>

#if VITTE_IMAGE_HOST
#include <vitte/loader/native/impl/debugger.hpp>
#include <vitte/loader/native/impl/os.hpp>
#include <vitte/loader/native/impl/reloc_aarch64.hpp>
#include <vitte/loader/native/impl/reloc_arm.hpp>
#include <vitte/loader/native/impl/reloc_x86_64.hpp>
#include <vitte/loader/native/impl/tls.hpp>
#include <vitte/sys/file_map.hpp>
#include <vitte/sys/memory.hpp>
#endif

#include <atomic>
#include <cstddef>  // offsetof
#include <cstring>
#include <limits>
#include <new>  // placement new: a pinned image forgets its region
#include <string>
#include <utility>
#include <vector>

#if VITTE_IMAGE_HOST && defined(__arm__)
// Defined below, after the registry of images it reads.
extern "C" inline std::uintptr_t __gnu_Unwind_Find_exidx(std::uintptr_t pc, int* count);
#endif

namespace vitte::loader::native {

#if VITTE_IMAGE_HOST
namespace detail {

#if defined(__x86_64__)
using host_rules = x86_64_rules;
#elif defined(__aarch64__)
using host_rules = aarch64_rules;
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

template <class T>
inline T load_as(const std::byte* p) noexcept {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

/// What tests and fuzzers check after each load: the images mapped now
/// (a refused load leaves none behind), and the calls made into an image's
/// code (resolvers, init, fini: none before every check passed).
struct image_counters {
  std::atomic<std::size_t> mapped{0};
  std::atomic<std::size_t> code_calls{0};

  static image_counters& get() noexcept {
    static image_counters c;
    return c;
  }
};

/// Overflow-safe "[off, off + n) lies in [0, size)".
constexpr bool in_range(std::uint64_t off, std::uint64_t n, std::uint64_t size) noexcept {
  return off <= size && n <= size - off;
}

struct segment {
  std::uint64_t vaddr = 0, memsz = 0, offset = 0, filesz = 0, align = 0;
  std::uint32_t flags = 0;  // PF_X 1, PF_W 2, PF_R 4
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
  std::vector<std::uint64_t> needed;  // string table offsets
};

/// Everything a loaded image keeps.
struct image_state {
  sys::region region;
  std::uintptr_t bias = 0;  // runtime address = bias + vaddr
  std::uint64_t lo = 0, hi = 0;
  std::vector<segment> loads;
  // Tables in the mapped image (read-only after load).
  const std::byte* symtab = nullptr;
  std::size_t nsyms = 0;
  const char* strtab = nullptr;
  std::size_t strsz = 0;
  const std::byte* gnu_hash = nullptr;
  const std::byte* sysv_hash = nullptr;
  const std::uint16_t* versym = nullptr;
  std::vector<std::string_view> versions;  // by version index (defined and needed)
  // Running.
  std::uint64_t init = 0, fini = 0, init_array = 0, fini_array = 0;
  std::size_t init_count = 0, fini_count = 0;
  bool has_init = false, has_fini = false, inited = false, pinned = false, mapped = false;
  std::uintptr_t tls_module = 0;
  std::vector<tls_index> tls_descs;  // arguments of TLS descriptors (stable: reserved before use)
  const void* eh_frame = nullptr;
  std::uintptr_t exidx = 0;  // 32-bit Arm: the .ARM.exidx table and its entries
  int exidx_count = 0;
  std::vector<void*> needed_handles;
  debug_entry debug{};
  std::atomic<std::size_t> refs{1};  // the owner, and each thread_local destructor not yet run
  bool ifunc = true;                 // image_options::ifunc: symbol() may run a resolver
  std::string name;
  image_stats stats;
  // What dl_iterate_phdr and _dl_find_object say of it (image_dl_*).
  std::vector<std::byte> phdrs;  // a copy of the program header table
  std::uint16_t phnum = 0;
  const void* eh_frame_hdr = nullptr;
};

inline int image_thread_atexit(void (*fn)(void*), void* object, void* dso) noexcept;
struct phdr_info;
inline int image_dl_iterate_phdr(int (*callback)(phdr_info*, std::size_t, void*), void* data) noexcept;
struct find_object;
inline int image_dl_find_object(void* pc, find_object* out) noexcept;

// --- Checks before mapping ---------------------------------------------------

/// The input and what load() learnt of it, with the problem it found.
class parser {
 public:
  parser(std::span<const std::byte> in, parse_problem* why) noexcept : in_(in), why_(why) {}

  std::span<const std::byte> in_;
  parse_problem* why_;
  std::vector<segment> loads;
  segment dynamic{}, tls{}, relro{}, eh_frame_hdr{}, exidx{};
  bool has_dynamic = false, has_tls = false, has_relro = false, has_eh = false, has_exidx = false;
  dynamic_info dyn;
  std::uint64_t lo = 0, hi = 0;
  std::size_t nsyms = 0;
  std::span<const std::byte> phdrs;  // the program header table, in the input

  error fail(const char* what, std::uint64_t off, errc code = errc::malformed) noexcept {
    if (why_ != nullptr) why_->set(what, off);
    return error{code, ops::module_read};
  }
  /// fail() with a description naming values: `fill` appends them to it.
  template <class F>
  error fail_with(const char* what, std::uint64_t off, F fill, errc code = errc::malformed) noexcept {
    if (why_ != nullptr) fill(why_->describe(what, off));
    return error{code, ops::module_read};
  }

  /// True when vaddr `va` lies in an executable PT_LOAD segment.
  bool executable(std::uint64_t va) const noexcept {
    for (const segment& s : loads)
      if ((s.flags & 1) != 0 && va >= s.vaddr && va - s.vaddr < s.memsz) return true;
    return false;
  }

  /// The input bytes of vaddr range [va, va + n): inside one readable
  /// segment's file bytes (the loaded image reads its tables there too).
  const std::byte* at(std::uint64_t va, std::uint64_t n) const noexcept {
    for (const segment& s : loads)
      if ((s.flags & 4) != 0 && va >= s.vaddr && va - s.vaddr < s.filesz && n <= s.filesz - (va - s.vaddr))
        return in_.data() + s.offset + (va - s.vaddr);
    return nullptr;
  }
  /// The file offset of vaddr `va` (for messages); the vaddr when none.
  std::uint64_t offset_of(std::uint64_t va) const noexcept {
    for (const segment& s : loads)
      if (va >= s.vaddr && va - s.vaddr < s.filesz) return s.offset + (va - s.vaddr);
    return va;
  }

  status header(const image_options& o) noexcept {
    const std::byte* p = in_.data();
    if (in_.size() < 16 || std::memcmp(p, "\177ELF", 4) != 0) return fail("not an ELF file", 0, errc::exec_format);
    if (static_cast<unsigned>(p[4]) != (host_rules::is64 ? 2u : 1u))
      return fail(host_rules::is64 ? "ELF class is 32-bit; this host loads 64-bit objects"
                                   : "ELF class is 64-bit; this host loads 32-bit objects",
                  4, errc::exec_format);
    if (static_cast<unsigned>(p[5]) != 1u)
      return fail("ELF byte order is big-endian; this host is little-endian", 5, errc::exec_format);
    if (in_.size() < ehdr_size) return fail("ELF header cut short", in_.size(), errc::unexpected_eof);
    std::uint16_t type = load_as<std::uint16_t>(p + 16), machine = load_as<std::uint16_t>(p + 18);
    if (machine != host_rules::machine)
      return fail("ELF machine is not this host's architecture", 18, errc::exec_format);
    if (type != 3) return fail("not a shared object (ELF type is not ET_DYN)", 16, errc::exec_format);
    std::uint64_t phoff = host_rules::is64 ? load_as<std::uint64_t>(p + 32) : load_as<std::uint32_t>(p + 28);
    std::uint16_t phentsize = load_as<std::uint16_t>(p + (host_rules::is64 ? 54 : 42));
    std::uint16_t phnum = load_as<std::uint16_t>(p + (host_rules::is64 ? 56 : 44));
    if (phentsize != phdr_size) return fail("program header size is not the ELF class's", host_rules::is64 ? 54 : 42);
    if (phnum == 0xffff)
      return fail("extended program header count (PN_XNUM) not supported", host_rules::is64 ? 56 : 44);
    if (!in_range(phoff, std::uint64_t{phnum} * phdr_size, in_.size()))
      return fail("program header table outside the file", host_rules::is64 ? 32 : 28);
    phdrs = in_.subspan(static_cast<std::size_t>(phoff), std::size_t{phnum} * phdr_size);
    for (std::uint16_t i = 0; i < phnum; ++i) {
      const std::byte* h = p + phoff + std::uint64_t{i} * phdr_size;
      std::uint64_t at_ = phoff + std::uint64_t{i} * phdr_size;
      std::uint32_t ptype = load_as<std::uint32_t>(h);
      segment s;
      if constexpr (host_rules::is64) {
        s.flags = load_as<std::uint32_t>(h + 4);
        s.offset = load_as<std::uint64_t>(h + 8);
        s.vaddr = load_as<std::uint64_t>(h + 16);
        s.filesz = load_as<std::uint64_t>(h + 32);
        s.memsz = load_as<std::uint64_t>(h + 40);
        s.align = load_as<std::uint64_t>(h + 48);
      } else {
        s.offset = load_as<std::uint32_t>(h + 4);
        s.vaddr = load_as<std::uint32_t>(h + 8);
        s.filesz = load_as<std::uint32_t>(h + 16);
        s.memsz = load_as<std::uint32_t>(h + 20);
        s.flags = load_as<std::uint32_t>(h + 24);
        s.align = load_as<std::uint32_t>(h + 28);
      }
      switch (ptype) {
        case 1: {  // PT_LOAD
          if (s.filesz > s.memsz) return fail("segment's file size exceeds its memory size", at_);
          if (!in_range(s.offset, s.filesz, in_.size())) return fail("segment outside the file", at_);
          if (s.vaddr + s.memsz < s.vaddr || s.vaddr + s.memsz > (std::numeric_limits<word>::max)() - 0xffff)
            return fail("segment's size overflows the address space", at_);
          if ((s.flags & 3) == 3) return fail("segment is writable and executable", at_, errc::not_supported);
          if (s.align > 1 && (s.align & (s.align - 1)) != 0)
            return fail("segment alignment is not a power of two", at_);
          if (!loads.empty() && s.vaddr < loads.back().vaddr + loads.back().memsz)
            return fail("segments overlap or are out of order", at_);
          if (status c = congruent(s, i, at_); !c) return c;
          if (s.memsz != 0) loads.push_back(s);
          break;
        }
        case 2:  // PT_DYNAMIC
          if (has_dynamic) return fail("two dynamic segments", at_);
          dynamic = s, has_dynamic = true;
          break;
        case 7:  // PT_TLS
          if (has_tls) return fail("two TLS segments", at_);
          if (s.filesz > s.memsz || (s.align > 1 && (s.align & (s.align - 1)) != 0) || s.align > 4096)
            return fail("TLS segment's sizes or alignment are invalid", at_);
          tls = s, has_tls = true;
          break;
        case 0x6474e552:  // PT_GNU_RELRO
          relro = s, has_relro = true;
          break;
        case 0x6474e551:  // PT_GNU_STACK
          if ((s.flags & 1) != 0) return fail("requests an executable stack (PT_GNU_STACK)", at_, errc::not_supported);
          break;
        case 0x6474e550:  // PT_GNU_EH_FRAME
          eh_frame_hdr = s, has_eh = true;
          break;
        case 0x70000001:  // PT_ARM_EXIDX (32-bit Arm; another processor's type elsewhere)
          if (host_rules::machine == 40) exidx = s, has_exidx = true;
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
                     [&](parse_problem& w) {
                       w.append(index).append(", p_offset ").append(s.offset, true).append(", p_vaddr ");
                       w.append(s.vaddr, true).append(", modulo ").append(m, true);
                     });
  }

  /// DT_INIT and DT_FINI lie in an executable segment.
  status entry_points() noexcept {
    auto check = [&](bool has, std::uint64_t va, const char* what) -> status {
      if (!has || executable(va)) return {};
      return fail_with(what, dynamic.offset, [&](parse_problem& w) { w.append(va, true); });
    };
    if (status s = check(dyn.has_init, dyn.init, "DT_INIT outside the executable segments: "); !s) return s;
    return check(dyn.has_fini, dyn.fini, "DT_FINI outside the executable segments: ");
  }

  status dynamic_section() {
    const std::byte* d = at(dynamic.vaddr, dynamic.filesz);
    if (d == nullptr || !in_range(dynamic.offset, dynamic.filesz, in_.size()))
      return fail("dynamic segment outside the loaded segments", dynamic.offset);
    constexpr std::size_t entry = 2 * word_size;
    bool terminated = false;
    for (std::uint64_t i = 0; i + entry <= dynamic.filesz; i += entry) {
      std::int64_t tag = static_cast<std::int64_t>(static_cast<std::make_signed_t<word>>(load_as<word>(d + i)));
      std::uint64_t v = load_as<word>(d + i + word_size);
      std::uint64_t at_ = dynamic.offset + i;
      if (tag == 0) {
        terminated = true;
        break;
      }
      switch (tag) {
        case 1:
          dyn.needed.push_back(v);
          break;
        case 4:
          dyn.hash = v;
          break;
        case 5:
          dyn.strtab = v;
          break;
        case 6:
          dyn.symtab = v;
          break;
        case 7:
        case 17:
          dyn.rel = v, dyn.has_rel = true;
          break;  // DT_RELA, DT_REL
        case 8:
        case 18:
          dyn.relsz = v;
          break;
        case 9:
        case 19:
          dyn.relent = v;
          break;
        case 10:
          dyn.strsz = v;
          break;
        case 11:
          dyn.syment = v;
          break;
        case 12:
          dyn.init = v, dyn.has_init = true;
          break;
        case 13:
          dyn.fini = v, dyn.has_fini = true;
          break;
        case 16:
          break;  // DT_SYMBOLIC: own definitions first, as always here
        case 20:
          dyn.pltrel = v;
          break;
        case 22:
          return fail("text relocations (DT_TEXTREL) are refused: build with -fPIC", at_, errc::not_supported);
        case 23:
          dyn.jmprel = v, dyn.has_jmprel = true;
          break;
        case 2:
          dyn.pltrelsz = v;
          break;
        case 25:
          dyn.init_array = v;
          break;
        case 26:
          dyn.fini_array = v;
          break;
        case 27:
          dyn.init_arraysz = v;
          break;
        case 28:
          dyn.fini_arraysz = v;
          break;
        case 30:  // DT_FLAGS
          if ((v & 4) != 0)
            return fail("text relocations (DF_TEXTREL) are refused: build with -fPIC", at_, errc::not_supported);
          if ((v & 0x10) != 0)
            return fail("initial-exec (static) TLS (DF_STATIC_TLS) is refused: build with -ftls-model=global-dynamic",
                        at_, errc::not_supported);
          break;
        case 35:
          dyn.relrsz = v;
          break;
        case 36:
          dyn.relr = v, dyn.has_relr = true;
          break;
        case 37:
          dyn.relrent = v;
          break;
        case 0x6ffffef5:
          dyn.gnu_hash = v;
          break;
        case 0x6ffffff0:
          dyn.versym = v;
          break;
        case 0x6ffffffc:
          dyn.verdef = v;
          break;
        case 0x6ffffffd:
          dyn.verdefnum = v;
          break;
        case 0x6ffffffe:
          dyn.verneed = v;
          break;
        case 0x6fffffff:
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
    if (dyn.has_jmprel && dyn.pltrel != (host_rules::rela ? 7u : 17u))
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
    if (dyn.init_arraysz % word_size != 0 || (dyn.init_arraysz != 0 && at(dyn.init_array, dyn.init_arraysz) == nullptr))
      return fail("DT_INIT_ARRAY outside the loaded segments", dyn_at);
    if (dyn.fini_arraysz % word_size != 0 || (dyn.fini_arraysz != 0 && at(dyn.fini_array, dyn.fini_arraysz) == nullptr))
      return fail("DT_FINI_ARRAY outside the loaded segments", dyn_at);
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
      std::uint64_t nbucket = load_as<std::uint32_t>(h), symoffset = load_as<std::uint32_t>(h + 4);
      std::uint64_t bloom = load_as<std::uint32_t>(h + 8);
      std::uint64_t head = 16 + bloom * word_size;
      if (nbucket == 0 || at(dyn.gnu_hash, head + 4 * nbucket) == nullptr)
        return fail("DT_GNU_HASH tables outside the loaded segments", offset_of(dyn.gnu_hash));
      std::uint64_t last = 0;
      for (std::uint64_t b = 0; b < nbucket; ++b)
        last = std::max<std::uint64_t>(last, load_as<std::uint32_t>(h + head + 4 * b));
      if (last != 0 && last < symoffset)
        return fail("DT_GNU_HASH bucket below its first symbol", offset_of(dyn.gnu_hash));
      gnu_nsyms = symoffset;
      std::uint64_t chain = dyn.gnu_hash + head + 4 * nbucket;
      if (last >= symoffset) {
        for (std::uint64_t i = last;; ++i) {  // ends at the chain's last entry or the end of the bytes
          const std::byte* c = at(chain + 4 * (i - symoffset), 4);
          if (c == nullptr) return fail("DT_GNU_HASH chain runs past the loaded segments", offset_of(dyn.gnu_hash));
          if ((load_as<std::uint32_t>(c) & 1) != 0) {
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
    }
    if (dyn.hash != 0) {
      const std::byte* h = at(dyn.hash, 8);
      if (h == nullptr) return fail("DT_HASH outside the loaded segments", offset_of(dyn.hash));
      std::uint64_t nbucket = load_as<std::uint32_t>(h), nchain = load_as<std::uint32_t>(h + 4);
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
      if (s.shndx != 0 && s.type != 6 && s.shndx < 0xff00 && !(s.value >= lo && s.value <= hi))
        return fail("symbol value outside the image", offset_of(dyn.symtab) + i * sym_size);
      if (s.shndx != 0 && s.type == 6 && (!has_tls || s.value > tls.memsz))
        return fail("TLS symbol outside the TLS segment", offset_of(dyn.symtab) + i * sym_size);
      if (s.shndx != 0 && s.type == 10 && s.shndx < 0xff00 && !executable(s.value))
        return fail_with("IFUNC resolver outside the executable segments: symbol ",
                         offset_of(dyn.symtab) + i * sym_size,
                         [&](parse_problem& w) { w.append(name(s.name)).append(" at ").append(s.value, true); });
    }
    return {};
  }

  /// Every DT_VERSYM entry names version 0 (local), 1 (global) or one of
  /// the versions DT_VERDEF and DT_VERNEED define (`versions`).
  status version_indices(const std::vector<std::string_view>& versions) noexcept {
    if (dyn.versym == 0) return {};
    const std::byte* v = at(dyn.versym, nsyms * 2);
    for (std::size_t i = 0; i < nsyms; ++i) {
      std::uint16_t index = load_as<std::uint16_t>(v + 2 * i) & 0x7fff;
      if (index < 2 || (index < versions.size() && !versions[index].empty())) continue;
      return fail_with("symbol version index beyond the version definitions and needs: symbol ",
                       offset_of(dyn.versym) + 2 * i, [&](parse_problem& w) {
                         w.append(name(symbol(i).name)).append(", index ").append(index).append(" of ");
                         w.append(versions.empty() ? 0 : versions.size() - 1);
                       });
    }
    return {};
  }

  symbol_entry symbol(std::size_t i) const noexcept {
    const std::byte* s = at(dyn.symtab + i * sym_size, sym_size);
    symbol_entry e;
    e.name = load_as<std::uint32_t>(s);
    unsigned char info, other;
    if constexpr (host_rules::is64) {
      info = static_cast<unsigned char>(s[4]), other = static_cast<unsigned char>(s[5]);
      e.shndx = load_as<std::uint16_t>(s + 6);
      e.value = load_as<std::uint64_t>(s + 8);
    } else {
      e.value = load_as<std::uint32_t>(s + 4);
      info = static_cast<unsigned char>(s[12]), other = static_cast<unsigned char>(s[13]);
      e.shndx = load_as<std::uint16_t>(s + 14);
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
    for (std::uint64_t n = 0; dyn.verdef != 0 && n < dyn.verdefnum && n < 0x8000; ++n) {
      const std::byte* v = at(va, 20);
      if (v == nullptr) return fail("DT_VERDEF entry outside the loaded segments", offset_of(va));
      std::uint16_t ndx = load_as<std::uint16_t>(v + 4) & 0x7fff;
      std::uint32_t aux = load_as<std::uint32_t>(v + 12), next = load_as<std::uint32_t>(v + 16);
      const std::byte* a = at(va + aux, 8);
      if (a == nullptr) return fail("DT_VERDEF name entry outside the loaded segments", offset_of(va));
      if (status s = put(ndx, load_as<std::uint32_t>(a), offset_of(va + aux)); !s) return s;
      if (next == 0) break;
      va += next;
    }
    va = dyn.verneed;
    for (std::uint64_t n = 0; dyn.verneed != 0 && n < dyn.verneednum && n < 0x8000; ++n) {
      const std::byte* v = at(va, 16);
      if (v == nullptr) return fail("DT_VERNEED entry outside the loaded segments", offset_of(va));
      std::uint16_t cnt = load_as<std::uint16_t>(v + 2);
      std::uint32_t aux = load_as<std::uint32_t>(v + 8), next = load_as<std::uint32_t>(v + 12);
      std::uint64_t ava = va + aux;
      for (std::uint16_t k = 0; k < cnt; ++k) {
        const std::byte* a = at(ava, 16);
        if (a == nullptr) return fail("DT_VERNEED version entry outside the loaded segments", offset_of(ava));
        if (status s = put(load_as<std::uint16_t>(a + 6) & 0x7fff, load_as<std::uint32_t>(a + 8), offset_of(ava)); !s)
          return s;
        std::uint32_t anext = load_as<std::uint32_t>(a + 12);
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

inline relocation read_relocation(const std::byte* p, bool rela) noexcept {
  relocation r;
  if constexpr (host_rules::is64) {
    r.offset = load_as<std::uint64_t>(p);
    std::uint64_t info = load_as<std::uint64_t>(p + 8);
    r.type = static_cast<std::uint32_t>(info), r.sym = static_cast<std::uint32_t>(info >> 32);
    if (rela) r.addend = load_as<std::int64_t>(p + 16), r.has_addend = true;
  } else {
    r.offset = load_as<std::uint32_t>(p);
    std::uint32_t info = load_as<std::uint32_t>(p + 4);
    r.type = info & 0xff, r.sym = info >> 8;
    if (rela) r.addend = load_as<std::int32_t>(p + 8), r.has_addend = true;
  }
  return r;
}

/// Calls an IFUNC resolver with the arguments the host's ld.so passes:
/// AArch64 the capability bits with _IFUNC_ARG_HWCAP and the argument
/// block, 32-bit Arm AT_HWCAP, x86_64 AT_HWCAP too (its resolvers ask cpuid).
inline std::uintptr_t run_ifunc(std::uintptr_t resolver) noexcept {
  image_counters::get().code_calls.fetch_add(1, std::memory_order_relaxed);
#if defined(__aarch64__)
  struct ifunc_arg {
    unsigned long size, hwcap, hwcap2;
  } arg{sizeof(ifunc_arg), cpu_hwcap(1), cpu_hwcap(2)};
  constexpr unsigned long ifunc_arg_hwcap = 1ul << 62;  // _IFUNC_ARG_HWCAP
  return reinterpret_cast<std::uintptr_t (*)(unsigned long, const ifunc_arg*)>(resolver)(arg.hwcap | ifunc_arg_hwcap,
                                                                                         &arg);
#else
  return reinterpret_cast<std::uintptr_t (*)(unsigned long)>(resolver)(cpu_hwcap(1));
#endif
}

/// The loader of one image: parser checks, then maps, binds, relocates.
class linker {
 public:
  linker(parser& p, image_state& st, const image_options& o, parse_problem* why, diagnostics* diag) noexcept
      : p_(p), st_(st), o_(o), why_(why), diag_(diag) {}

  /// Every relocation's type, symbol and target, checked before mapping.
  status check_relocations() {
    for (const segment& s : p_.loads)
      if ((s.flags & 2) != 0 && s.memsz >= word_size) writable_.push_back({s.vaddr, s.vaddr + s.memsz - word_size});
    std::size_t tlsdesc = 0;
    auto each = [&](std::uint64_t table, std::uint64_t size, bool rela, std::size_t entry) -> status {
      if (size == 0) return {};
      const std::byte* t = p_.at(table, size);
      if (t == nullptr || size % entry != 0)
        return p_.fail("relocation table outside the loaded segments", p_.offset_of(table));
      for (std::uint64_t i = 0; i < size; i += entry) {
        relocation r = read_relocation(t + i, rela);
        if (r.type == host_rules::relative && r.sym < p_.nsyms && writable(r.offset)) continue;
        std::uint64_t at_ = p_.offset_of(table) + i;
        reloc_rule rule = host_rules::rule(r.type);
        if (status s = check(rule, r, at_); !s) return s;
        if (rule.kind == reloc_kind::tls_desc) ++tlsdesc;
      }
      return {};
    };
    if (status s = each(p_.dyn.rel, p_.dyn.has_rel ? p_.dyn.relsz : 0, host_rules::rela, rel_size); !s) return s;
    if (status s = each(p_.dyn.jmprel, p_.dyn.has_jmprel ? p_.dyn.pltrelsz : 0, host_rules::rela, rel_size); !s)
      return s;
    if (p_.dyn.has_relr && p_.dyn.relrsz != 0) {
      const std::byte* t = p_.at(p_.dyn.relr, p_.dyn.relrsz);
      if (t == nullptr || p_.dyn.relrsz % word_size != 0)
        return p_.fail("DT_RELR table outside the loaded segments", p_.offset_of(p_.dyn.relr));
      if ((load_as<word>(t) & 1) != 0) return p_.fail("DT_RELR table starts with a bitmap", p_.offset_of(p_.dyn.relr));
      std::uint64_t where = 0;
      for (std::uint64_t i = 0; i < p_.dyn.relrsz; i += word_size) {
        word w = load_as<word>(t + i);
        std::uint64_t at_ = p_.offset_of(p_.dyn.relr) + i;
        if ((w & 1) == 0) {
          if (!writable(w)) return p_.fail("DT_RELR address outside the image's writable segments", at_);
          where = w + word_size;
        } else {
          for (unsigned b = 1; b < 8 * word_size; ++b)
            if (((w >> b) & 1) != 0 && !writable(where + (b - 1) * word_size))
              return p_.fail("DT_RELR bitmap address outside the image's writable segments", at_);
          where += (8 * word_size - 1) * word_size;
        }
      }
    }
    st_.tls_descs.reserve(tlsdesc);
    return {};
  }

  /// Maps the segments in one reservation: from the file (load_file) as the
  /// OS loader does, private pages of the file's cache; otherwise, or for a
  /// segment that shares a page with another or whose offset and address
  /// disagree within a page, committed and copied from the input.
  status map(int fd) noexcept {
    std::uint64_t page = sys::region::page_size(), align = page;
    for (const segment& s : p_.loads) align = std::max<std::uint64_t>(align, s.align);
    if (align > (std::uint64_t{1} << 24)) align = page;  // a huge alignment buys nothing here
    std::uint64_t span = p_.hi - p_.lo;
    result<sys::region> r = sys::region::reserve(static_cast<std::size_t>(span + align - page));
    if (!r) {
      if (why_ != nullptr) why_->set("cannot reserve the image's address space", 0);
      return error{r.error().kind(), ops::module_load};
    }
    std::uintptr_t start = reinterpret_cast<std::uintptr_t>(r->data());
    std::uintptr_t aligned = (start + align - 1) / align * align;
    std::size_t skip = aligned - start;
    st_.bias = aligned - p_.lo;
    st_.region = static_cast<sys::region&&>(*r);
    st_.mapped = true;
    image_counters::get().mapped.fetch_add(1, std::memory_order_relaxed);
    st_.lo = p_.lo, st_.hi = p_.hi, st_.loads = p_.loads;
    skip_ = skip;
    for (std::size_t i = 0; i < p_.loads.size(); ++i) {
      const segment& s = p_.loads[i];
      std::uint64_t first = s.vaddr / page * page, last = (s.vaddr + s.memsz + page - 1) / page * page;
      std::uint64_t filled = std::min(last, (s.vaddr + s.filesz + page - 1) / page * page);
      std::size_t at = skip + static_cast<std::size_t>(first - p_.lo);
      if (fd >= 0 && filled > first && s.offset % page == s.vaddr % page && alone(i, first, last)) {
        // Writable for the relocations, or for the zeroing below (protect() then sets the segment's flags).
        status m = map_file_pages(st_.region.data() + at, static_cast<std::size_t>(filled - first), fd,
                                  s.offset - s.vaddr % page, (s.flags & 2) != 0 || s.memsz > s.filesz);
        if (!m) {
          if (why_ != nullptr) why_->set("cannot map a segment from the file", s.offset);
          return m;
        }
        // The rest of the last file page is the start of .bss: zero, as the OS loader makes it.
        if (s.memsz > s.filesz)
          std::memset(reinterpret_cast<void*>(st_.bias + s.vaddr + s.filesz), 0,
                      static_cast<std::size_t>(std::min(filled, s.vaddr + s.memsz) - (s.vaddr + s.filesz)));
      } else if (filled > first) {
        // The input's pages faulted in at once: they are written next.
        status c = st_.region.commit(at, static_cast<std::size_t>(filled - first), sys::protection::read_write,
                                     sys::commit_options{.populate = true});
        if (!c) return commit_failed(c.error(), s);
        if (s.filesz != 0) std::memcpy(reinterpret_cast<void*>(st_.bias + s.vaddr), p_.in_.data() + s.offset, s.filesz);
      }
      if (last > filled) {  // .bss: zero pages on first use
        status c = st_.region.commit(skip + static_cast<std::size_t>(filled - p_.lo),
                                     static_cast<std::size_t>(last - filled), sys::protection::read_write);
        if (!c) return commit_failed(c.error(), s);
      }
    }
    return {};
  }

  /// Binds the symbols and applies every relocation; IRELATIVE and
  /// symbols of IFUNCs last.
  status relocate() {
    addr_.assign(p_.nsyms, 0);
    state_.assign(p_.nsyms, 0);
    if (p_.has_tls) {
      tls_template t;
      t.init = reinterpret_cast<const std::byte*>(st_.bias + p_.tls.vaddr);
      t.init_size = p_.tls.filesz, t.size = p_.tls.memsz, t.align = p_.tls.align == 0 ? 1 : p_.tls.align;
      st_.tls_module = tls_register(t);
    }
    if (p_.dyn.has_relr) apply_relr();
    std::vector<relocation>& later = later_;
    auto each = [&](std::uint64_t table, std::uint64_t size) {
      const std::byte* t = p_.at(table, size);
      std::size_t relative = 0;
      for (std::uint64_t i = 0; i < size; i += rel_size) {
        relocation r = read_relocation(t + i, host_rules::rela);
        if (r.type == host_rules::relative) {  // the most common by far: no rule lookup
          apply_relative(r);
          ++relative;
        } else if (!apply(r, false)) {
          later.push_back(r);
        }
      }
      st_.stats.relative += relative;
    };
    if (p_.dyn.has_rel) each(p_.dyn.rel, p_.dyn.relsz);
    if (p_.dyn.has_jmprel) each(p_.dyn.jmprel, p_.dyn.pltrelsz);
    if (!missing_.empty()) return undefined_symbols();
    return entries();
  }

  /// The second pass, on the final mapping (the text executable, RELRO not
  /// yet sealed), as ld.so does: IRELATIVE and the symbols of IFUNCs, each
  /// resolver called now; then the init and fini entries they may have set
  /// are checked again.
  status resolve_ifuncs() {
    for (const relocation& r : later_) apply(r, true);
    return later_.empty() ? status{} : entries();
  }

  /// Every DT_INIT_ARRAY and DT_FINI_ARRAY entry (relocated) is 0, -1 or
  /// an address in the image's executable segments: checked before any of
  /// the image's code runs.
  status entries() noexcept {
    auto check = [&](std::uint64_t table, std::uint64_t size, const char* what) -> status {
      for (std::uint64_t i = 0; i < size / word_size; ++i) {
        word w = get(table + i * word_size);
        if (w == 0 || w == static_cast<word>(-1)) continue;
        std::uint64_t va = static_cast<std::uint64_t>(static_cast<std::uintptr_t>(w) - st_.bias);
        if (static_cast<std::uintptr_t>(w) >= st_.bias && p_.executable(va)) continue;
        if (why_ != nullptr)
          why_->describe(what, p_.offset_of(table) + i * word_size)
              .append(i)
              .append(" is ")
              .append(static_cast<std::uint64_t>(w), true);
        return error{errc::malformed, ops::module_read};
      }
      return {};
    };
    if (status s = check(p_.dyn.init_array, p_.dyn.init_arraysz,
                         "DT_INIT_ARRAY entry outside the executable segments: entry ");
        !s)
      return s;
    return check(p_.dyn.fini_array, p_.dyn.fini_arraysz, "DT_FINI_ARRAY entry outside the executable segments: entry ");
  }

  /// Seals PT_GNU_RELRO read-only (after the IFUNC pass wrote the GOT).
  status seal_relro() noexcept {
    if (!p_.has_relro || p_.relro.vaddr < p_.lo || p_.relro.vaddr > p_.hi || p_.relro.memsz > p_.hi - p_.relro.vaddr)
      return {};
    std::uint64_t page = sys::region::page_size();
    // As glibc: the pages from the one holding its start to the one holding its end, that one excluded.
    std::uint64_t a = (p_.relro.vaddr - p_.lo) / page, b = (p_.relro.vaddr + p_.relro.memsz - p_.lo) / page;
    if (b <= a) return {};
    status s = st_.region.protect(skip_ + static_cast<std::size_t>(a * page), static_cast<std::size_t>((b - a) * page),
                                  sys::protection::read);
    if (!s) {
      if (why_ != nullptr) why_->set("cannot seal PT_GNU_RELRO", p_.relro.offset);
      return error{s.error().kind(), ops::module_load};
    }
    return {};
  }

  /// Protections per page (RELRO stays writable until seal_relro()), the
  /// instruction cache flushed.
  status protect() noexcept {
    std::uint64_t page = sys::region::page_size();
    std::size_t pages = static_cast<std::size_t>((p_.hi - p_.lo) / page);
    std::vector<std::uint8_t> flags(pages, 0);
    for (const segment& s : p_.loads) {
      std::uint64_t first = (s.vaddr - p_.lo) / page, last = (s.vaddr + s.memsz - p_.lo + page - 1) / page;
      for (std::uint64_t i = first; i < last; ++i) flags[i] |= static_cast<std::uint8_t>(s.flags & 7);
    }
    for (std::size_t i = 0; i < pages;) {
      std::size_t j = i;
      while (j < pages && flags[j] == flags[i]) ++j;
      std::uint8_t f = flags[i];
      if ((f & 3) == 3) {
        if (why_ != nullptr) why_->set("a page would be writable and executable (segments share it)", 0);
        return error{errc::not_supported, ops::module_load};
      }
      std::size_t off = skip_ + i * page, len = (j - i) * page;
      status s = (f & 1) != 0   ? st_.region.make_executable(off, len)
                 : (f & 2) != 0 ? status{}
                 : (f & 4) != 0 ? st_.region.protect(off, len, sys::protection::read)
                                : st_.region.protect(off, len, sys::protection::none);
      if (!s) {
        if (why_ != nullptr) why_->set("cannot set a segment's protection", 0);
        return error{s.error().kind(), ops::module_load};
      }
      i = j;
    }
    return {};
  }

  /// Keeps what the image needs after load.
  void keep(std::vector<std::string_view>&& versions) {
    st_.symtab = reinterpret_cast<const std::byte*>(st_.bias + p_.dyn.symtab);
    st_.nsyms = p_.nsyms;
    st_.strtab = reinterpret_cast<const char*>(st_.bias + p_.dyn.strtab);
    st_.strsz = p_.dyn.strsz;
    st_.gnu_hash = p_.dyn.gnu_hash != 0 ? reinterpret_cast<const std::byte*>(st_.bias + p_.dyn.gnu_hash) : nullptr;
    st_.sysv_hash = p_.dyn.hash != 0 ? reinterpret_cast<const std::byte*>(st_.bias + p_.dyn.hash) : nullptr;
    st_.versym = p_.dyn.versym != 0 ? reinterpret_cast<const std::uint16_t*>(st_.bias + p_.dyn.versym) : nullptr;
    // Version names point into the input: re-point them into the image.
    const char* in_strtab = p_.name(0);
    for (std::string_view& v : versions)
      if (!v.empty()) v = std::string_view(st_.strtab + (v.data() - in_strtab), v.size());
    st_.versions = static_cast<std::vector<std::string_view>&&>(versions);
    st_.init = p_.dyn.init, st_.fini = p_.dyn.fini, st_.has_init = p_.dyn.has_init, st_.has_fini = p_.dyn.has_fini;
    st_.init_array = p_.dyn.init_array, st_.fini_array = p_.dyn.fini_array;
    st_.init_count = p_.dyn.init_arraysz / word_size, st_.fini_count = p_.dyn.fini_arraysz / word_size;
  }

 private:
  parser& p_;
  image_state& st_;
  const image_options& o_;
  parse_problem* why_;
  diagnostics* diag_;
  std::size_t skip_ = 0;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> writable_;
  std::vector<std::uintptr_t> addr_;
  std::vector<std::uint8_t> state_;  // 0 unbound, 1 bound, 2 IFUNC (bound after the others), 3 missing
  std::vector<std::string> missing_;
  std::vector<relocation> later_;  // the IFUNC pass: IRELATIVE, symbols of IFUNCs

  /// The error for unbound strong symbols: the first names in `why`, all
  /// of them in one diagnostics line.
  error undefined_symbols() {
    std::string line = (st_.name.empty() ? std::string("image") : st_.name) + ": undefined symbols:";
    for (std::size_t i = 0; i < missing_.size(); ++i) line += (i == 0 ? " " : ", ") + missing_[i];
    if (diag_ != nullptr) diag_->add(static_cast<std::string&&>(line));
    if (why_ != nullptr) {
      parse_problem& w = why_->describe(missing_.size() == 1 ? "undefined symbol: " : "undefined symbols: ",
                                        p_.offset_of(p_.dyn.symtab));
      std::size_t named = 0;
      constexpr std::size_t room = 24;  // kept for " (and N more)"
      for (; named < missing_.size(); ++named) {
        std::size_t len = std::strlen(w.what);
        if (len + missing_[named].size() + 2 + room > parse_problem::capacity() && named > 0) break;
        if (named > 0) w.append(", ");
        w.append(missing_[named].c_str());
      }
      if (named < missing_.size()) w.append(" (and ").append(missing_.size() - named).append(" more)");
    }
    return error{errc::not_found, ops::module_link};
  }

  /// True when a word at `va` lies in a writable segment (writable_, made
  /// by check_relocations: the first and last such address of each).
  bool writable(std::uint64_t va) const noexcept {
    for (const std::pair<std::uint64_t, std::uint64_t>& w : writable_)
      if (va >= w.first && va <= w.second) return true;
    return false;
  }
  /// True when no other segment has a page in [first, last).
  bool alone(std::size_t i, std::uint64_t first, std::uint64_t last) const noexcept {
    std::uint64_t page = sys::region::page_size();
    for (std::size_t j = 0; j < p_.loads.size(); ++j) {
      const segment& o = p_.loads[j];
      std::uint64_t ofirst = o.vaddr / page * page, olast = (o.vaddr + o.memsz + page - 1) / page * page;
      if (j != i && ofirst < last && first < olast) return false;
    }
    return true;
  }
  error commit_failed(error e, const segment& s) noexcept {
    if (why_ != nullptr) why_->set("cannot commit a segment's memory", s.offset);
    return error{e.kind(), ops::module_load};
  }

  status check(const reloc_rule& rule, const relocation& r, std::uint64_t at_) noexcept {
    switch (rule.kind) {
      case reloc_kind::unknown:
        if (why_ != nullptr) why_->set(rule.name != nullptr ? rule.name : "unknown relocation type", at_);
        if (diag_ != nullptr)
          diag_->add(std::string("unknown relocation type ") + std::to_string(r.type) +
                     (rule.name != nullptr ? std::string(" (") + rule.name + ")" : std::string()));
        return error{errc::not_supported, ops::module_read};
      case reloc_kind::copy:
        return p_.fail("COPY relocations are refused (an executable's, not a shared object's)", at_,
                       errc::not_supported);
      case reloc_kind::tp_offset:
        return p_.fail("initial-exec (static) TLS relocation is refused: build with -ftls-model=global-dynamic", at_,
                       errc::not_supported);
      case reloc_kind::irelative: {
        const std::byte* in_place = p_.at(r.offset, word_size);  // REL: the addend is the word in place
        std::uint64_t resolver = r.has_addend          ? static_cast<std::uint64_t>(r.addend)
                                 : in_place != nullptr ? load_as<word>(in_place)
                                                       : 0;
        if (!p_.executable(resolver))
          return p_.fail_with("IRELATIVE resolver outside the executable segments: ", at_,
                              [&](parse_problem& w) { w.append(resolver, true); });
        if (!o_.ifunc)
          return p_.fail("IRELATIVE relocation, and image_options::ifunc is false", at_, errc::not_supported);
        break;
      }
      case reloc_kind::tls_desc:
        if (!writable(r.offset + word_size))
          return p_.fail("TLS descriptor outside the image's writable segments", at_);
        break;
      default:
        break;
    }
    if (rule.kind == reloc_kind::none) return {};
    if (r.sym >= p_.nsyms) return p_.fail("relocation's symbol index out of range", at_);
    const bool tls =
        rule.kind == reloc_kind::tls_module || rule.kind == reloc_kind::tls_offset || rule.kind == reloc_kind::tls_desc;
    if (tls && r.sym != 0 && p_.symbol(r.sym).type != 6)
      return p_.fail_with("TLS relocation against a symbol that is not thread-local: ", at_,
                          [&](parse_problem& w) { w.append(p_.name(p_.symbol(r.sym).name)); });
    if (!writable(r.offset)) {
      if (in_range(r.offset, word_size, p_.hi) && r.offset >= p_.lo)
        return p_.fail("text relocation (into a read-only segment) is refused: build with -fPIC", at_,
                       errc::not_supported);
      return p_.fail("relocation outside the image", at_);
    }
    return {};
  }

  void put(std::uint64_t va, std::uintptr_t v) noexcept {
    word w = static_cast<word>(v);
    std::memcpy(reinterpret_cast<void*>(st_.bias + va), &w, word_size);
  }
  word get(std::uint64_t va) const noexcept {
    word w;
    std::memcpy(&w, reinterpret_cast<const void*>(st_.bias + va), word_size);
    return w;
  }

  void apply_relr() noexcept {
    const std::byte* t = p_.at(p_.dyn.relr, p_.dyn.relrsz);
    std::uint64_t where = 0;
    std::size_t n = 0;
    for (std::uint64_t i = 0; i < p_.dyn.relrsz; i += word_size) {
      word w = load_as<word>(t + i);
      if ((w & 1) == 0) {
        put(w, st_.bias + get(w));
        where = w + word_size;
        ++n;
      } else {
        for (unsigned b = 1; b < 8 * word_size; ++b)
          if (((w >> b) & 1) != 0) {
            std::uint64_t va = where + (b - 1) * word_size;
            put(va, st_.bias + get(va));
            ++n;
          }
        where += (8 * word_size - 1) * word_size;
      }
    }
    st_.stats.relative += n;
  }

  const char* version_of(std::uint32_t i) const noexcept {
    if (p_.dyn.versym == 0) return nullptr;
    std::uint16_t v = load_as<std::uint16_t>(p_.at(p_.dyn.versym + 2 * std::uint64_t{i}, 2)) & 0x7fff;
    return v >= 2 && v < st_.versions.size() && !st_.versions[v].empty() ? st_.versions[v].data() : nullptr;
  }

  /// The address symbol `i` binds to (state 1), or that it is an IFUNC
  /// (state 2, bound in the second pass) or missing (state 3).
  std::uint8_t bind(std::uint32_t i, bool ifuncs) {
    if (state_[i] == 1 || (state_[i] == 2 && !ifuncs) || state_[i] == 3) return state_[i];
    symbol_entry s = p_.symbol(i);
    if (s.shndx != 0 && s.bind != 0 && s.visibility == 0 && o_.process_symbols && one_per_process(p_.name(s.name))) {
      // The C++ exception runtime and the unwinder of an image linked with
      // -static-libstdc++ -static-libgcc: the process's copy, as dlopen's
      // interposition gives it; two copies cannot unwind through each other.
      if (void* a = process_symbol(p_.name(s.name), version_of(i)); a != nullptr) {
        addr_[i] = reinterpret_cast<std::uintptr_t>(a);
        return state_[i] = 1;
      }
    }
    if (s.shndx != 0) {
      if (s.type == 10) {  // STT_GNU_IFUNC
        if (!o_.ifunc) {
          missing_.push_back(std::string(p_.name(s.name)) + " (an IFUNC, and image_options::ifunc is false)");
          return state_[i] = 3;
        }
        if (!ifuncs) return state_[i] = 2;
        addr_[i] = run_ifunc(st_.bias + s.value);
      } else {
        addr_[i] = s.shndx == 0xfff1 ? s.value : (s.type == 6 ? s.value : st_.bias + s.value);  // SHN_ABS, STT_TLS
      }
      return state_[i] = 1;
    }
    const char* n = p_.name(s.name);
    const char* ver = version_of(i);
    void* a = nullptr;
    std::string_view nv(n), vv(ver != nullptr ? ver : "");
    if (o_.lookup != nullptr) a = o_.lookup(o_.lookup_context, nv, vv);
    if (a == nullptr) a = runtime_symbol(nv);
    if (a == nullptr && o_.process_symbols) a = process_symbol(n, ver);
    if (a == nullptr && o_.process_symbols) a = from_needed(n, ver);
    if (a == nullptr && s.bind != 2) {  // a strong undefined symbol
      missing_.push_back(std::string(n) + (ver != nullptr ? std::string("@") + ver : std::string()));
      return state_[i] = 3;
    }
    if (a != nullptr) ++st_.stats.imports;
    addr_[i] = reinterpret_cast<std::uintptr_t>(a);
    return state_[i] = 1;
  }

  /// Names of which a process must have one definition: the unwinder's
  /// and the C++ ABI's exception functions.
  /// (__cxa_thread_atexit stays the image's: it calls the _impl, vitte's.)
  static bool one_per_process(std::string_view n) noexcept {
    if (n.starts_with("__cxa_thread_atexit")) return false;
    return n.starts_with("_Unwind_") || n.starts_with("__cxa_") || n.starts_with("__gxx_personality") ||
           n.starts_with("__gcc_personality") || n == "__register_frame_info" || n == "__deregister_frame_info";
  }
  /// vitte's runtime, ahead of the process's: TLS, thread_local exits, and
  /// what an unwinder asks about loaded objects.
  static void* runtime_symbol(std::string_view n) noexcept {
    if (n == "__tls_get_addr") return reinterpret_cast<void*>(&vitte_image_tls_get_addr);
    if (n == "__cxa_thread_atexit" || n == "__cxa_thread_atexit_impl")
      return reinterpret_cast<void*>(&image_thread_atexit);
    // An unwinder linked into the image (-static-libgcc -static-libstdc++)
    // looks for frames through these: they list images too.
    if (n == "dl_iterate_phdr") return reinterpret_cast<void*>(&image_dl_iterate_phdr);
    if (n == "_dl_find_object") return reinterpret_cast<void*>(&image_dl_find_object);
#if defined(__arm__)
    if (n == "__gnu_Unwind_Find_exidx") return reinterpret_cast<void*>(&::__gnu_Unwind_Find_exidx);
#endif
    return nullptr;
  }

  void* from_needed(const char* n, const char* ver) {
    if (st_.needed_handles.empty() && !p_.dyn.needed.empty()) {
      for (std::uint64_t off : p_.dyn.needed) st_.needed_handles.push_back(needed_open(p_.name(off)));
    }
    for (void* h : st_.needed_handles)
      if (h != nullptr)
        if (void* a = needed_symbol(h, n, ver)) return a;
    return nullptr;
  }

  /// Applies `r`; false when it waits for the second pass (IRELATIVE, IFUNC symbols).
  /// B + A (RELA's addend, or REL's word in place).
  void apply_relative(const relocation& r) noexcept {
    put(r.offset, st_.bias + static_cast<std::uintptr_t>(r.has_addend ? static_cast<word>(r.addend) : get(r.offset)));
  }
  bool apply(const relocation& r, bool second) {
    reloc_rule rule = host_rules::rule(r.type);
    std::int64_t a =
        r.has_addend ? r.addend : static_cast<std::int64_t>(static_cast<std::make_signed_t<word>>(get(r.offset)));
    switch (rule.kind) {
      case reloc_kind::none:
        return true;
      case reloc_kind::relative:
        apply_relative(r);
        ++st_.stats.relative;
        return true;
      case reloc_kind::irelative:
        if (!second) return false;
        put(r.offset, run_ifunc(st_.bias + static_cast<std::uintptr_t>(a)));
        return true;
      case reloc_kind::tls_module:
        // A symbol of another module would need its id; a plugin's own TLS is the case compilers emit.
        put(r.offset, st_.tls_module);
        ++st_.stats.symbolic;
        return true;
      case reloc_kind::tls_offset: {
        std::uintptr_t v = r.sym != 0 ? p_.symbol(r.sym).value : 0;
        put(r.offset, v + static_cast<std::uintptr_t>(a));
        ++st_.stats.symbolic;
        return true;
      }
      case reloc_kind::tls_desc: {
        std::uintptr_t v = r.sym != 0 ? p_.symbol(r.sym).value : 0;
#if defined(__arm__)
        // REL: the argument word (first on Arm) holds the addend only for a
        // relocation without a symbol; with one it is the linker's lazy mark.
        std::uintptr_t addend = r.sym != 0 ? 0 : static_cast<std::uintptr_t>(get(r.offset));
        st_.tls_descs.push_back(tls_index{st_.tls_module, v + addend});
        vitte_image_arm_d32 = (cpu_hwcap(1) & (1ul << 19)) != 0 ? 1 : 0;  // HWCAP_VFPD32
        put(r.offset, reinterpret_cast<std::uintptr_t>(&st_.tls_descs.back()));
        put(r.offset + word_size, reinterpret_cast<std::uintptr_t>(&vitte_image_tlsdesc));
#else
        st_.tls_descs.push_back(tls_index{st_.tls_module, v + static_cast<std::uintptr_t>(a)});
        put(r.offset, reinterpret_cast<std::uintptr_t>(&vitte_image_tlsdesc));
        put(r.offset + word_size, reinterpret_cast<std::uintptr_t>(&st_.tls_descs.back()));
#endif
        ++st_.stats.symbolic;
        return true;
      }
      case reloc_kind::absolute:
      case reloc_kind::symbol: {
        std::uint8_t b = r.sym == 0 ? 1 : bind(r.sym, second);
        if (b == 2) return false;
        if (b == 3) return true;
        std::uintptr_t s = r.sym == 0 ? 0 : addr_[r.sym];
        put(r.offset, rule.kind == reloc_kind::absolute ? s + static_cast<std::uintptr_t>(a) : s);
        ++st_.stats.symbolic;
        return true;
      }
      default:
        return true;  // refused in check()
    }
  }
};

inline std::uint32_t gnu_hash_of(std::string_view s) noexcept {
  std::uint32_t h = 5381;
  for (char c : s) h = h * 33 + static_cast<unsigned char>(c);
  return h;
}
inline std::uint32_t sysv_hash_of(std::string_view s) noexcept {
  std::uint32_t h = 0;
  for (char c : s) {
    h = (h << 4) + static_cast<unsigned char>(c);
    std::uint32_t g = h & 0xf0000000u;
    if (g != 0) h ^= g >> 24;
    h &= ~g;
  }
  return h;
}

/// Symbol `i` of a loaded image matches `name` (and `version`)?
inline bool symbol_matches(const image_state& st, std::size_t i, std::string_view name, std::string_view version,
                           std::uint64_t& value, unsigned char& type) noexcept {
  const std::byte* s = st.symtab + i * sym_size;
  std::uint32_t n = load_as<std::uint32_t>(s);
  std::uint16_t shndx = load_as<std::uint16_t>(s + (host_rules::is64 ? 6 : 14));
  if (shndx == 0 || n >= st.strsz) return false;
  const char* sn = st.strtab + n;
  if (std::strncmp(sn, name.data(), name.size()) != 0 || sn[name.size()] != '\0') return false;
  if (st.versym != nullptr) {
    std::uint16_t v = load_as<std::uint16_t>(reinterpret_cast<const std::byte*>(st.versym + i));
    if (version.empty()) {
      if ((v & 0x8000) != 0) return false;  // hidden: not the default version
    } else if ((v & 0x7fff) >= st.versions.size() || st.versions[v & 0x7fff] != version) {
      return false;
    }
  }
  unsigned char info = static_cast<unsigned char>(s[host_rules::is64 ? 4 : 12]);
  type = info & 0xf;
  value = host_rules::is64 ? load_as<std::uint64_t>(s + 8) : load_as<std::uint32_t>(s + 4);
  return true;
}

/// Finds `name` through DT_GNU_HASH (or DT_HASH, its chains bounded).
inline bool find_symbol(const image_state& st, std::string_view name, std::string_view version, std::uint64_t& value,
                        unsigned char& type) noexcept {
  if (st.gnu_hash != nullptr) {
    const std::byte* h = st.gnu_hash;
    std::uint32_t nbucket = load_as<std::uint32_t>(h), symoffset = load_as<std::uint32_t>(h + 4);
    std::uint32_t bloom_size = load_as<std::uint32_t>(h + 8), shift = load_as<std::uint32_t>(h + 12);
    std::uint32_t hash = gnu_hash_of(name);
    if (bloom_size != 0) {
      constexpr unsigned bits = 8 * word_size;
      word w = load_as<word>(h + 16 + word_size * ((hash / bits) % bloom_size));
      if (((w >> (hash % bits)) & (w >> ((hash >> (shift & 31)) % bits)) & 1) == 0) return false;
    }
    const std::byte* buckets = h + 16 + word_size * std::size_t{bloom_size};
    std::uint32_t i = load_as<std::uint32_t>(buckets + 4 * std::size_t{hash % nbucket});
    if (i < symoffset) return false;
    const std::byte* chain = buckets + 4 * std::size_t{nbucket};
    for (; i < st.nsyms; ++i) {
      std::uint32_t c = load_as<std::uint32_t>(chain + 4 * std::size_t{i - symoffset});
      if ((c | 1) == (hash | 1) && symbol_matches(st, i, name, version, value, type)) return true;
      if ((c & 1) != 0) break;
    }
    return false;
  }
  if (st.sysv_hash != nullptr) {
    const std::byte* h = st.sysv_hash;
    std::uint32_t nbucket = load_as<std::uint32_t>(h), nchain = load_as<std::uint32_t>(h + 4);
    if (nbucket == 0) return false;
    std::uint32_t i = load_as<std::uint32_t>(h + 8 + 4 * std::size_t{sysv_hash_of(name) % nbucket});
    for (std::uint32_t steps = 0; i != 0 && i < nchain && steps <= nchain; ++steps) {  // a looping chain ends
      if (symbol_matches(st, i, name, version, value, type)) return true;
      i = load_as<std::uint32_t>(h + 8 + 4 * (std::size_t{nbucket} + i));
    }
  }
  return false;
}

inline void run_fini(image_state& st) noexcept {
  if (!st.inited) return;
  st.inited = false;
  image_counters::get().code_calls.fetch_add(1, std::memory_order_relaxed);
  using fn = void (*)();
  for (std::size_t i = st.fini_count; i-- > 0;) {
    word w;
    std::memcpy(&w, reinterpret_cast<const void*>(st.bias + st.fini_array + i * word_size), word_size);
    if (w != 0 && w != static_cast<word>(-1)) reinterpret_cast<fn>(static_cast<std::uintptr_t>(w))();
  }
  if (st.has_fini) reinterpret_cast<fn>(st.bias + st.fini)();
}

inline void run_init(image_state& st) noexcept {
  if (st.inited) return;
  st.inited = true;
  image_counters::get().code_calls.fetch_add(1, std::memory_order_relaxed);
  using fn = void (*)(int, char**, char**);
  static char* no_args[] = {nullptr};
  char** env = process_environment();
  if (st.has_init) reinterpret_cast<fn>(st.bias + st.init)(0, no_args, env);
  for (std::size_t i = 0; i < st.init_count; ++i) {
    word w;
    std::memcpy(&w, reinterpret_cast<const void*>(st.bias + st.init_array + i * word_size), word_size);
    if (w != 0 && w != static_cast<word>(-1)) reinterpret_cast<fn>(static_cast<std::uintptr_t>(w))(0, no_args, env);
  }
}

/// Finds .eh_frame through PT_GNU_EH_FRAME (its eh_frame_ptr field), read
/// from the input: null unless it lands in a readable segment's file bytes.
inline const void* find_eh_frame(const image_state& st, const parser& p) noexcept {
  const std::byte* h = p.has_eh && p.eh_frame_hdr.memsz >= 8 ? p.at(p.eh_frame_hdr.vaddr, 8) : nullptr;
  if (h == nullptr || static_cast<unsigned>(h[0]) != 1) return nullptr;
  unsigned enc = static_cast<unsigned>(h[1]);
  std::uint64_t v;
  switch (enc & 0x0f) {
    case 0x03:  // udata4
      v = load_as<std::uint32_t>(h + 4);
      break;
    case 0x0b:  // sdata4
      v = static_cast<std::uint64_t>(static_cast<std::int64_t>(load_as<std::int32_t>(h + 4)));
      break;
    default:
      return nullptr;
  }
  std::uint64_t va;
  switch (enc & 0x70) {
    case 0x00:
      va = v;
      break;
    case 0x10:  // pcrel: from the field, in the image's addresses
      va = p.eh_frame_hdr.vaddr + 4 + v;
      break;
    default:
      return nullptr;
  }
  for (const segment& s : st.loads)
    if ((s.flags & 4) != 0 && va >= s.vaddr && va - s.vaddr < s.filesz && s.filesz - (va - s.vaddr) >= 4)
      return reinterpret_cast<const void*>(st.bias + va);
  return nullptr;
}

/// Every open image, for the thread_local destructors they register.
struct live_images {
  sys::mutex lock;
  std::vector<image_state*> all;

  static live_images& get() noexcept {
    static live_images l;
    return l;
  }
  void add(image_state* st) {
    std::lock_guard<sys::mutex> g(lock);
    all.push_back(st);
  }
  void remove(image_state* st) noexcept {
    std::lock_guard<sys::mutex> g(lock);
    for (std::size_t i = 0; i < all.size(); ++i)
      if (all[i] == st) {
        all[i] = all.back();
        all.pop_back();
        return;
      }
  }
  /// Calls f(image) under the lock for the open image holding `address`;
  /// false when none holds it.
  template <class F>
  bool with_image(std::uintptr_t address, F f) noexcept {
    std::lock_guard<sys::mutex> g(lock);
    for (image_state* st : all)
      if (address >= st->bias + st->lo && address < st->bias + st->hi) {
        f(*st);
        return true;
      }
    return false;
  }
  /// The open image holding `address`, with one more reference; null for none.
  image_state* acquire(std::uintptr_t address) noexcept {
    image_state* found = nullptr;
    with_image(address, [&](image_state& st) {
      st.refs.fetch_add(1, std::memory_order_relaxed);
      found = &st;
    });
    return found;
  }
};

}  // namespace detail
}  // namespace vitte::loader::native

#if defined(__arm__)
// 32-bit Arm unwinds through .ARM.exidx tables, which libgcc asks of
// __gnu_Unwind_Find_exidx: the C library's knows only what the dynamic
// linker loaded. This definition, linked into the host (`used`) and so
// exported to libgcc, answers for images first, then passes the question
// on (detail/image_os.ipp). docs/ELF_IMAGE.md, Exceptions.
extern "C" inline __attribute__((used)) std::uintptr_t __gnu_Unwind_Find_exidx(std::uintptr_t pc, int* count) {
  std::uintptr_t table = 0;
  auto image_table = [&](const vitte::loader::native::detail::image_state& st) {
    table = st.exidx, *count = st.exidx_count;
  };
  if (vitte::loader::native::detail::live_images::get().with_image(pc, image_table)) return table;
  return vitte::loader::native::detail::process_unwind_table(pc, count);
}
#endif

namespace vitte::loader::native {
namespace detail {

/// The fields of dl_iterate_phdr's dl_phdr_info that images fill (the size
/// passed to the callback says so: its readers check it).
struct phdr_info {
  std::uintptr_t addr;  // dlpi_addr: the bias
  const char* name;     // dlpi_name
  const void* phdr;     // dlpi_phdr
  std::uint16_t phnum;  // dlpi_phnum
};
inline constexpr std::size_t phdr_info_size = offsetof(phdr_info, phnum) + sizeof(std::uint16_t);

/// glibc's struct dl_find_object (2.35), as the host's ABI lays it out.
struct find_object {
  unsigned long long flags;
  void* map_start;
  void* map_end;
  void* link_map;
  const void* eh_frame;  // PT_GNU_EH_FRAME; 32-bit Arm: PT_ARM_EXIDX
#if defined(__arm__)
  int eh_count;
  unsigned eh_count_pad;
#endif
  unsigned long long reserved[7];
};

/// dl_iterate_phdr for images: each open image, then the process's objects.
inline int image_dl_iterate_phdr(int (*callback)(phdr_info*, std::size_t, void*), void* data) noexcept {
  {
    live_images& l = live_images::get();
    std::lock_guard<sys::mutex> g(l.lock);
    for (image_state* st : l.all) {
      phdr_info i{st->bias, st->name.c_str(), st->phdrs.data(), st->phnum};
      if (int r = callback(&i, phdr_info_size, data); r != 0) return r;
    }
  }
  using real_fn = int (*)(int (*)(phdr_info*, std::size_t, void*), void*);
  static void* const real = process_symbol("dl_iterate_phdr", nullptr);
  return real != nullptr ? reinterpret_cast<real_fn>(reinterpret_cast<std::uintptr_t>(real))(callback, data) : 0;
}

/// _dl_find_object for images: the image holding `pc`, else the process's answer.
inline int image_dl_find_object(void* pc, find_object* out) noexcept {
  auto describe = [&](const image_state& st) {
    *out = find_object{};
    out->map_start = reinterpret_cast<void*>(st.bias + st.lo);
    out->map_end = reinterpret_cast<void*>(st.bias + st.hi);
#if defined(__arm__)
    out->eh_frame = reinterpret_cast<const void*>(st.exidx), out->eh_count = st.exidx_count;
#else
    out->eh_frame = st.eh_frame_hdr;
#endif
  };
  if (live_images::get().with_image(reinterpret_cast<std::uintptr_t>(pc), describe)) return 0;
  using real_fn = int (*)(void*, find_object*);
  static void* const real = process_symbol("_dl_find_object", nullptr);
  if (real == nullptr) return -1;
  int r = reinterpret_cast<real_fn>(reinterpret_cast<std::uintptr_t>(real))(pc, out);
  if (r != 0 || out->eh_frame != nullptr) return r;
  // The program linked without --eh-frame-hdr (g++ -static): the C library
  // knows no table for it, and an unwinder given none aborts. Its .eh_frame,
  // searched linearly, when the answer is the program; else "not found",
  // which sends the unwinder to its other sources.
  std::uintptr_t eh_frame = 0;
  const void* hdr = program_eh_frame_hdr(&eh_frame);
  if (hdr == nullptr || eh_frame < reinterpret_cast<std::uintptr_t>(out->map_start) ||
      eh_frame >= reinterpret_cast<std::uintptr_t>(out->map_end))
    return -1;
  out->eh_frame = hdr;
  return 0;
}

inline void destroy(image_state* st) noexcept {
  if (st->mapped) image_counters::get().mapped.fetch_sub(1, std::memory_order_relaxed);
  if (st->tls_module != 0) tls_unregister(st->tls_module);
  for (void* h : st->needed_handles) needed_close(h);
  if (st->pinned) new (&st->region) sys::region();  // forgotten, not released: it stays mapped
  delete st;
}

/// Drops one reference; the last one unmaps the image.
inline void release(image_state* st) noexcept {
  if (st->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) destroy(st);
}

/// A thread_local destructor an image registered, run at thread exit.
struct thread_exit {
  void (*fn)(void*);
  void* object;
  image_state* image;
};
inline void run_thread_exit(void* p) noexcept {
  auto* e = static_cast<thread_exit*>(p);
  e->fn(e->object);
  image_state* st = e->image;
  delete e;
  release(st);  // the image stays mapped until its last destructor has run
}

/// __cxa_thread_atexit(_impl), as images import it: the destructor is
/// registered with the process's C library through run_thread_exit, and
/// holds a reference on the image meanwhile.
inline int image_thread_atexit(void (*fn)(void*), void* object, void* dso) noexcept {
  using real_fn = int (*)(void (*)(void*), void*, void*);
  static const real_fn real =
      reinterpret_cast<real_fn>(reinterpret_cast<std::uintptr_t>(process_symbol("__cxa_thread_atexit_impl", nullptr)));
  if (real == nullptr) return -1;
  image_state* st = live_images::get().acquire(reinterpret_cast<std::uintptr_t>(dso));
  if (st == nullptr) return real(fn, object, dso);
  auto* e = new (std::nothrow) thread_exit{fn, object, st};
  if (e == nullptr) {
    release(st);
    return -1;
  }
  return real(&run_thread_exit, e, reinterpret_cast<void*>(&run_thread_exit));
}

}  // namespace detail
#endif

inline bool images_supported() noexcept { return VITTE_IMAGE_HOST != 0; }

#if VITTE_IMAGE_HOST
namespace detail {

struct image_access {
  static image make(image_state* st) noexcept { return image(st); }
};

/// load() and load_file(): `fd` is the file the bytes map, or -1.
inline result<image> load_image(std::span<const std::byte> bytes, int fd, const image_options& options,
                                parse_problem* why, diagnostics* diag) noexcept {
  if (static_process_in_dynamic_build()) {
    if (why != nullptr)
      why->set(
          "this program is linked statically but vitte was built for dynamic linking: define "
          "VITTE_HAS_DYNAMIC_LIBRARIES=0 (Meson: -Dstatic=true)",
          0);
    return error{errc::not_supported, ops::module_load};
  }
  parser p(bytes, why);
  if (status s = p.header(options); !s) return s.error();
  if (status s = p.dynamic_section(); !s) return s.error();
  std::vector<std::string_view> versions;
  if (status s = p.versions(versions); !s) return s.error();
  if (status s = p.version_indices(versions); !s) return s.error();
  auto* st = new image_state;
  st->name = options.name.empty() ? std::string("image") : std::string(options.name);
  st->ifunc = options.ifunc;
  st->versions = versions;  // bind() reads them (in the input) while relocating
  linker l(p, *st, options, why, diag);
  auto undo = [&](error e) {
    destroy(st);
    return e;
  };
  if (status s = l.check_relocations(); !s) return undo(s.error());
  if (status s = l.map(fd); !s) return undo(s.error());
  // No code of the image runs before the IFUNC pass, and that runs on the
  // final mapping: text executable, data writable, RELRO sealed after it.
  if (status s = l.relocate(); !s) return undo(s.error());
  if (status s = l.protect(); !s) return undo(s.error());
  if (status s = l.resolve_ifuncs(); !s) return undo(s.error());
  if (status s = l.seal_relro(); !s) return undo(s.error());
  l.keep(static_cast<std::vector<std::string_view>&&>(versions));
  st->eh_frame = find_eh_frame(*st, p);
  if (st->eh_frame != nullptr) st->eh_frame_hdr = reinterpret_cast<const void*>(st->bias + p.eh_frame_hdr.vaddr);
  st->phdrs.assign(p.phdrs.begin(), p.phdrs.end());
  st->phnum = static_cast<std::uint16_t>(p.phdrs.size() / phdr_size);
  if (p.has_exidx && p.exidx.memsz / 8 <= 0x7fffffff && p.at(p.exidx.vaddr, p.exidx.memsz) != nullptr)
    st->exidx = st->bias + static_cast<std::uintptr_t>(p.exidx.vaddr),
    st->exidx_count = static_cast<int>(p.exidx.memsz / 8);
  if (st->eh_frame != nullptr) unwind_register(st->eh_frame);
  debug_register(st->debug, st->symtab, st->nsyms, st->strtab, st->strsz, st->bias + st->lo,
                 static_cast<std::size_t>(st->hi - st->lo), st->bias);
  live_images::get().add(st);
  image img = image_access::make(st);
  if (options.run_init) run_init(*st);
  return img;
}

}  // namespace detail
#endif

inline result<image> image::load(std::span<const std::byte> bytes, const image_options& options, parse_problem* why,
                                 diagnostics* diag) noexcept {
#if VITTE_IMAGE_HOST
  return detail::load_image(bytes, -1, options, why, diag);
#else
  (void)bytes, (void)options, (void)diag;
  if (why != nullptr) why->set("in-memory ELF images are not supported on this host", 0);
  return error{errc::not_supported, ops::module_load};
#endif
}

inline result<image> image::load_file(const sys::file& f, const image_options& options, parse_problem* why,
                                      diagnostics* diag) noexcept {
#if VITTE_IMAGE_HOST
  result<sys::file_map> m = sys::file_map::map(f);
  if (!m) {
    if (why != nullptr) why->set("cannot map the file", 0);
    return m.error();
  }
  return detail::load_image(std::span<const std::byte>(m->data(), m->size()), f.native(), options, why, diag);
#else
  (void)f, (void)options, (void)diag;
  if (why != nullptr) why->set("in-memory ELF images are not supported on this host", 0);
  return error{errc::not_supported, ops::module_load};
#endif
}

#if VITTE_IMAGE_HOST
inline void* image::symbol(std::string_view name, std::string_view version) const noexcept {
  if (s_ == nullptr) return nullptr;
  std::uint64_t value;
  unsigned char type;
  if (!detail::find_symbol(*s_, name, version, value, type)) return nullptr;
  if (type == 6) return detail::tls_address(s_->tls_module, static_cast<std::uintptr_t>(value));
  if (type == 10 && !s_->ifunc) return nullptr;
  if (type == 10) return reinterpret_cast<void*>(detail::run_ifunc(s_->bias + static_cast<std::uintptr_t>(value)));
  return reinterpret_cast<void*>(s_->bias + value);
}

inline status image::run_init() noexcept {
  if (s_ == nullptr) return error{errc::bad_descriptor, ops::module_load};
  detail::run_init(*s_);
  return {};
}

inline void image::close() noexcept {
  if (s_ == nullptr) return;
  detail::image_state* st = s_;
  s_ = nullptr;
  detail::run_fini(*st);
  if (st->eh_frame != nullptr) detail::unwind_deregister(st->eh_frame);
  detail::debug_unregister(st->debug);
  detail::live_images::get().remove(st);
  detail::release(st);  // unmapped now, or after the last thread_local destructor of the image
}

inline void image::pin() noexcept {
  if (s_ != nullptr) s_->pinned = true;
}
inline std::byte* image::base() const noexcept {
  return s_ != nullptr ? reinterpret_cast<std::byte*>(s_->bias) : nullptr;
}
inline std::size_t image::size() const noexcept {
  return s_ != nullptr ? static_cast<std::size_t>(s_->hi - s_->lo) : 0;
}
inline const image_stats& image::stats() const noexcept {
  static const image_stats none{};
  return s_ != nullptr ? s_->stats : none;
}

#else
inline void* image::symbol(std::string_view, std::string_view) const noexcept { return nullptr; }
inline status image::run_init() noexcept { return error{errc::bad_descriptor, ops::module_load}; }
inline void image::close() noexcept {}
inline void image::pin() noexcept {}
inline std::byte* image::base() const noexcept { return nullptr; }
inline std::size_t image::size() const noexcept { return 0; }
inline const image_stats& image::stats() const noexcept {
  static const image_stats none{};
  return none;
}
#endif

}  // namespace vitte::loader::native

#endif  // VITTE_LOADER_NATIVE_IMPL_IMAGE_HPP
