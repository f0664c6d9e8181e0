// The in-memory ELF loader's middle steps, over the parser's checked
// input: every relocation checked before mapping, the segments mapped in one
// reservation, the symbols bound and the relocations applied (each
// architecture's rules in reloc_*.hpp), the protections set, the IFUNC
// resolvers run on the final mapping, PT_GNU_RELRO sealed. Part of
// impl/image.ipp.
#ifndef VITTE_LOADER_ELF_IMAGE_IMPL_RELOCATE_IPP
#define VITTE_LOADER_ELF_IMAGE_IMPL_RELOCATE_IPP

#include <vitte/loader/elf_image/impl/elf_parse.ipp>
#include <vitte/loader/elf_image/impl/os.hpp>       // cpu_hwcap, map_file_pages, process_symbol, needed_*
#include <vitte/loader/elf_image/impl/runtime.ipp>  // runtime_symbol, one_per_process
#include <vitte/loader/elf_image/impl/state.ipp>
#include <vitte/loader/elf_image/impl/tls.ipp>
#include <vitte/loader/elf_image/impl/tls_imports.ipp>  // tls_import: thread-locals of other modules
#include <vitte/sys/memory.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#if VITTE_IMAGE_HOST
namespace vitte::loader::elf_image::detail {

/// Calls an IFUNC resolver with the arguments the host's ld.so passes:
/// AArch64 the capability bits with _IFUNC_ARG_HWCAP and the argument
/// block, 32-bit Arm AT_HWCAP, x86_64 AT_HWCAP too (its resolvers ask cpuid).
VITTE_DECL std::uintptr_t run_ifunc(std::uintptr_t resolver) noexcept {
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

/// The error for strong symbols nothing defines in image `subject`: an
/// entry each in `diag`; the first names (as many as fit) in `why`, at `offset`.
VITTE_DECL error unbound_symbols(text_view subject, const std::vector<std::string>& names, std::uint64_t offset,
                                 vitte::diagnostic* why, diagnostic_list* diag) {
  if (diag != nullptr)
    for (const std::string& n : names) diag->add(errc::not_found, subject, "undefined symbol: " + n);
  if (vitte::loader::detail::refuse(why, errc::not_found, offset,
                                    names.size() == 1 ? "undefined symbol: " : "undefined symbols: ") &&
      why != nullptr) {
    vitte::diagnostic& w = why->about(subject);
    std::size_t named = 0;
    constexpr std::size_t room = 24;  // kept for " (and N more)"
    for (; named < names.size(); ++named) {
      if (w.message().size() + names[named].size() + 2 + room > vitte::diagnostic::message_capacity && named > 0) break;
      if (named > 0) w.append(", ");
      w.append(names[named]);
    }
    if (named < names.size()) w.append(" (and ").append(names.size() - named).append(" more)");
  }
  return error{errc::not_found, ops::module_link};
}

/// The loader of one image: parser checks, then maps, binds, relocates.
class linker {
 public:
  linker(parser& p, image_state& st, const image_options& o, vitte::diagnostic* why, diagnostic_list* diag) noexcept
      : p_(p), st_(st), o_(o), why_(why), diag_(diag) {}

  /// An image_set's first pass: unbound strong symbols go to `out` (an
  /// entry each, about the image) instead of failing relocate(), and the
  /// image stays dormant (mapped and relocated, none of its code ever run)
  /// so that the others bind to it and report their own.
  void collect_unbound(diagnostic_list* out) noexcept { unbound_ = out; }

  /// Every relocation's type, symbol and target, checked before mapping.
  status check_relocations() {
    for (const segment& s : p_.loads)
      if ((s.flags & elf::pf_w) != 0 && s.memsz >= word_size)
        writable_.push_back({s.vaddr, s.vaddr + s.memsz - word_size});
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
      if ((load_le<word>(t) & 1) != 0) return p_.fail("DT_RELR table starts with a bitmap", p_.offset_of(p_.dyn.relr));
      std::uint64_t where = 0;
      for (std::uint64_t i = 0; i < p_.dyn.relrsz; i += word_size) {
        word w = load_le<word>(t + i);
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
      return vitte::loader::detail::refuse(why_, r.error().kind(), 0, "cannot reserve the image's address space",
                                           ops::module_load);
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
        // Writable for the relocations, or for the zeroing below (protect() then sets the segment's flags);
        // otherwise mapped as it stays (read-only, or read and execute: nothing writes there), and
        // protect() leaves those pages alone.
        const bool written = (s.flags & elf::pf_w) != 0 || s.memsz > s.filesz;
        const bool exec = (s.flags & elf::pf_x) != 0;
        status m = map_file_pages(st_.region.data() + at, static_cast<std::size_t>(filled - first), fd,
                                  s.offset - s.vaddr % page, written, !written && exec);
        if (!m) {
          (void)vitte::loader::detail::refuse(why_, m.error().kind(), s.offset, "cannot map a segment from the file");
          return m;
        }
        if (!written && (s.flags & elf::pf_r) != 0 && filled == last) as_mapped_.emplace_back(first, last);
        // The rest of the last file page is the start of .bss: zero, as the OS loader makes it.
        if (s.memsz > s.filesz)
          std::memset(reinterpret_cast<void*>(st_.bias + s.vaddr + s.filesz), 0,
                      static_cast<std::size_t>(std::min(filled, s.vaddr + s.memsz) - (s.vaddr + s.filesz)));
      } else if (filled > first) {
        // The input's pages faulted in at once: they are written next.
        status c = st_.region.commit(at, static_cast<std::size_t>(filled - first), sys::protection::read_write,
                                     sys::commit_options{.populate = true});
        if (!c) return commit_failed(c.error(), s);
        if (s.filesz != 0)
          std::memcpy(reinterpret_cast<void*>(st_.bias + s.vaddr), p_.in_.bytes.data() + s.offset, s.filesz);
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
    register_tls();
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
    if (!missing_.empty() && unbound_ != nullptr) {  // an image_set's first pass: names kept, nothing runs
      for (std::string& m : missing_) unbound_->add(errc::not_found, st_.name, "undefined symbol: " + m);
      st_.dormant = true;
      return {};
    }
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
        const error e = p_.fail(what, p_.offset_of(table) + i * word_size);
        if (why_ != nullptr) why_->append(i).append(" is ").append(static_cast<std::uint64_t>(w), true);
        return e;
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
      return vitte::loader::detail::refuse(why_, s.error().kind(), p_.relro.offset, "cannot seal PT_GNU_RELRO",
                                           ops::module_load);
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
      for (std::uint64_t i = first; i < last; ++i)
        flags[i] |= static_cast<std::uint8_t>(s.flags & (elf::pf_r | elf::pf_w | elf::pf_x));
    }
    // Pages a segment of the file was mapped over with its final protection (map()): no call for them.
    std::vector<std::uint8_t> done(pages, 0);
    for (const std::pair<std::uint64_t, std::uint64_t>& m : as_mapped_)
      for (std::uint64_t i = (m.first - p_.lo) / page; i < (m.second - p_.lo) / page; ++i) done[i] = 1;
    for (std::size_t i = 0; i < pages;) {
      std::size_t j = i;
      while (j < pages && flags[j] == flags[i] && done[j] == done[i]) ++j;
      std::uint8_t f = flags[i];
      if ((f & (elf::pf_w | elf::pf_x)) == (elf::pf_w | elf::pf_x)) {
        return vitte::loader::detail::refuse(why_, errc::not_supported, 0,
                                             "a page would be writable and executable (segments share it)",
                                             ops::module_load);
      }
      if (done[i] != 0) {
        i = j;
        continue;
      }
      std::size_t off = skip_ + i * page, len = (j - i) * page;
      status s = (f & elf::pf_x) != 0   ? st_.region.make_executable(off, len)
                 : (f & elf::pf_w) != 0 ? status{}
                 : (f & elf::pf_r) != 0 ? st_.region.protect(off, len, sys::protection::read)
                                        : st_.region.protect(off, len, sys::protection::none);
      if (!s) {
        return vitte::loader::detail::refuse(why_, s.error().kind(), 0, "cannot set a segment's protection",
                                             ops::module_load);
      }
      i = j;
    }
    return {};
  }

  /// Gives the image's PT_TLS its module id (once): mapped, before any
  /// relocation of this image or of another that reaches its thread-locals.
  void register_tls() {
    if (!p_.has_tls || st_.tls_module != 0) return;
    tls_template t;
    t.init = reinterpret_cast<const std::byte*>(st_.bias + p_.tls.vaddr);
    t.init_size = p_.tls.filesz, t.size = p_.tls.memsz, t.align = p_.tls.align == 0 ? 1 : p_.tls.align;
    st_.tls_module = tls_register(t);
  }

  /// An image_set's global scope: `find` is asked for the image's own
  /// definitions too (default visibility, not thread-local), and a
  /// definition it gives (an image before this one in the set's order)
  /// wins, as ld.so's interposition: C++'s unique symbols (STB_GNU_UNIQUE,
  /// inline and template statics) are then one object for the whole set.
  void interpose_with(symbol_lookup find, void* context) noexcept { interpose_ = find, interpose_context_ = context; }

  /// Keeps what the image needs after load.
  void keep(std::vector<std::string_view>&& versions) {
    st_.symtab = reinterpret_cast<const std::byte*>(st_.bias + p_.dyn.symtab);
    st_.nsyms = p_.nsyms;
    st_.strtab = reinterpret_cast<const char*>(st_.bias + p_.dyn.strtab);
    st_.strsz = p_.dyn.strsz;
    st_.gnu_hash = p_.dyn.gnu_hash != 0 ? reinterpret_cast<const std::byte*>(st_.bias + p_.dyn.gnu_hash) : nullptr;
    st_.sysv_hash = p_.dyn.hash != 0 ? reinterpret_cast<const std::byte*>(st_.bias + p_.dyn.hash) : nullptr;
    st_.versym = p_.dyn.versym != 0 ? reinterpret_cast<const std::uint16_t*>(st_.bias + p_.dyn.versym) : nullptr;
    if (const std::byte* h = p_.dyn.gnu_hash != 0 ? p_.at(p_.dyn.gnu_hash, 16) : nullptr) {  // checked by symbols()
      st_.gnu_nbucket = load_le<std::uint32_t>(h), st_.gnu_symoffset = load_le<std::uint32_t>(h + 4);
      st_.gnu_bloom = load_le<std::uint32_t>(h + 8), st_.gnu_shift = load_le<std::uint32_t>(h + 12);
      st_.gnu_nsyms = static_cast<std::size_t>(p_.gnu_nsyms);
    }
    if (const std::byte* h = p_.dyn.hash != 0 ? p_.at(p_.dyn.hash, 8) : nullptr)
      st_.sysv_nbucket = load_le<std::uint32_t>(h), st_.sysv_nchain = load_le<std::uint32_t>(h + 4);
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
  vitte::diagnostic* why_;
  diagnostic_list* diag_;
  std::size_t skip_ = 0;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> writable_;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> as_mapped_;  // pages mapped with their final protection
  std::vector<std::uintptr_t> addr_;
  std::vector<std::uint8_t> state_;  // 0 unbound, 1 bound, 2 IFUNC (bound after the others), 3 missing
  std::vector<std::string> missing_;
  diagnostic_list* unbound_ = nullptr;  // collect_unbound(): where missing_ goes
  symbol_lookup interpose_ = nullptr;   // interpose_with()
  void* interpose_context_ = nullptr;
  std::vector<relocation> later_;                                 // the IFUNC pass: IRELATIVE, symbols of IFUNCs
  std::vector<std::pair<std::uint32_t, tls_index>> tls_imports_;  // undefined thread-locals bound (few)

  /// The error for unbound strong symbols: the first names in `why`, all
  /// of them in `diag`, an entry each.
  error undefined_symbols() {
    return unbound_symbols(st_.name.empty() ? text_view("image") : text_view(st_.name), missing_,
                           p_.offset_of(p_.dyn.symtab), why_, diag_);
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
    return vitte::loader::detail::refuse(why_, e.kind(), s.offset, "cannot commit a segment's memory",
                                         ops::module_load);
  }

  status check(const reloc_rule& rule, const relocation& r, std::uint64_t at_) noexcept {
    switch (rule.kind) {
      case reloc_kind::unknown:
        if (vitte::loader::detail::refuse(why_, errc::not_supported, at_, "unknown relocation type ") &&
            why_ != nullptr) {
          why_->append(std::uint64_t{r.type});
          if (rule.name != nullptr) why_->append(" (").append(rule.name).append(")");
        }
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
                                 : in_place != nullptr ? load_le<word>(in_place)
                                                       : 0;
        if (!p_.executable(resolver))
          return p_.fail_with("IRELATIVE resolver outside the executable segments: ", at_,
                              [&](vitte::diagnostic& w) { w.append(resolver, true); });
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
    if (tls && r.sym != 0 && p_.symbol(r.sym).type != elf::stt_tls)
      return p_.fail_with("TLS relocation against a symbol that is not thread-local: ", at_,
                          [&](vitte::diagnostic& w) { w.append(p_.name(p_.symbol(r.sym).name)); });
    if (!writable(r.offset)) {
      if (r.offset >= p_.lo && r.offset <= p_.hi && word_size <= p_.hi - r.offset)
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
      word w = load_le<word>(t + i);
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
    std::uint16_t v = load_le<std::uint16_t>(p_.at(p_.dyn.versym + 2 * std::uint64_t{i}, 2)) & elf::versym_index_mask;
    return v > elf::ver_ndx_global && v < st_.versions.size() && !st_.versions[v].empty() ? st_.versions[v].data()
                                                                                          : nullptr;
  }

  /// The address symbol `i` binds to (state 1), or that it is an IFUNC
  /// (state 2, bound in the second pass) or missing (state 3).
  std::uint8_t bind(std::uint32_t i, bool ifuncs) {
    if (state_[i] == 1 || (state_[i] == 2 && !ifuncs) || state_[i] == 3) return state_[i];
    symbol_entry s = p_.symbol(i);
    if (s.shndx != elf::shn_undef && s.bind != elf::stb_local && s.visibility == elf::stv_default &&
        o_.process_symbols && *p_.name(s.name) == '_' /* each of those names, and no strlen for the rest */ &&
        one_per_process(p_.name(s.name))) {
      // The C++ exception runtime and the unwinder of an image linked with
      // -static-libstdc++ -static-libgcc: the process's copy, as dlopen's
      // interposition gives it; two copies cannot unwind through each other.
      if (void* a = process_symbol(p_.name(s.name), version_of(i)); a != nullptr) {
        addr_[i] = reinterpret_cast<std::uintptr_t>(a);
        return state_[i] = 1;
      }
    }
    if (s.shndx != elf::shn_undef && interpose_ != nullptr && s.bind != elf::stb_local &&
        s.visibility == elf::stv_default && s.type != elf::stt_tls) {
      const char* ver = version_of(i);
      if (void* a = interpose_(interpose_context_, p_.name(s.name), ver != nullptr ? ver : "")) {
        addr_[i] = reinterpret_cast<std::uintptr_t>(a);
        return state_[i] = 1;
      }
    }
    if (s.shndx != elf::shn_undef) {
      if (s.type == elf::stt_gnu_ifunc) {
        if (!o_.ifunc) {
          missing_.push_back(std::string(p_.name(s.name)) + " (an IFUNC, and image_options::ifunc is false)");
          return state_[i] = 3;
        }
        if (!ifuncs) return state_[i] = 2;
        addr_[i] = run_ifunc(st_.bias + s.value);
      } else {
        addr_[i] = s.shndx == elf::shn_abs || s.type == elf::stt_tls ? s.value : st_.bias + s.value;
      }
      return state_[i] = 1;
    }
    const char* n = p_.name(s.name);
    const char* ver = version_of(i);
    std::string_view nv(n), vv(ver != nullptr ? ver : "");
    // vitte's runtime first: an image's TLS module ids are vitte's, and its
    // unwinder must see images (a lookup through dlsym would give ld.so's).
    void* a = runtime_symbol(nv);
    if (a == nullptr && o_.lookup != nullptr) a = o_.lookup(o_.lookup_context, nv, vv);
    if (a == nullptr && o_.process_symbols) a = process_symbol(n, ver);
    if (a == nullptr && o_.process_symbols && o_.os_needed) a = from_needed(n, ver);
    if (a == nullptr && s.bind != elf::stb_weak) {  // a strong undefined symbol
      missing_.push_back(unbound_name(n, ver));
      return state_[i] = 3;
    }
    if (a != nullptr) ++st_.stats.imports;
    addr_[i] = reinterpret_cast<std::uintptr_t>(a);
    return state_[i] = 1;
  }

  /// The module and block offset of thread-local symbol `i` (symbol 0:
  /// the image's own block, for local-dynamic accesses). An undefined one
  /// binds to its definer, in bind()'s order (the host's lookup, the
  /// process, the DT_NEEDED libraries: each gives its address in this
  /// thread, which tls_import() locates); module 0 when nobody defines it,
  /// weak or not (listed in missing_, once): dlopen refuses it too.
  tls_index tls_symbol(std::uint32_t i) {
    if (i == 0) return tls_index{st_.tls_module, 0};
    symbol_entry s = p_.symbol(i);
    if (s.shndx != elf::shn_undef) return tls_index{st_.tls_module, static_cast<std::uintptr_t>(s.value)};
    for (const std::pair<std::uint32_t, tls_index>& b : tls_imports_)
      if (b.first == i) return b.second;
    const char* n = p_.name(s.name);
    const char* ver = version_of(i);
    std::string_view nv(n), vv(ver != nullptr ? ver : "");
    tls_index where{0, 0};
    bool found = o_.lookup != nullptr && tls_import(o_.lookup(o_.lookup_context, nv, vv), where);
    if (!found && o_.process_symbols)
      found = tls_import(process_symbol(n, ver), where) || (o_.os_needed && tls_import(from_needed(n, ver), where));
    if (found)
      ++st_.stats.imports;
    else
      missing_.push_back(unbound_name(n, ver) + " (a thread-local nobody defines)");
    tls_imports_.emplace_back(i, where);
    return where;
  }

  /// "name@version", with the reason a static host cannot supply it when
  /// there is one (an ld.so internal, GLIBC_PRIVATE, what its surface lacks).
  static std::string unbound_name(const char* n, const char* ver) {
    std::string s = std::string(n) + (ver != nullptr ? std::string("@") + ver : std::string());
    if (const char* why = process_cannot_supply(n, ver)) s.append(" (").append(why).append(")");
    return s;
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
        put(r.offset, tls_symbol(r.sym).module);
        ++st_.stats.symbolic;
        return true;
      case reloc_kind::tls_offset:
        put(r.offset, tls_symbol(r.sym).offset + static_cast<std::uintptr_t>(a) - tls_dtv_offset);
        ++st_.stats.symbolic;
        return true;
      case reloc_kind::tls_desc: {
        tls_index v = tls_symbol(r.sym);
#if defined(__riscv)
        (void)v;  // riscv64_rules names no descriptor (GCC 12 emits none): never reached
#elif defined(__arm__)
        // REL: the argument word (first on Arm) holds the addend only for a
        // relocation without a symbol; with one it is the linker's lazy mark.
        std::uintptr_t addend = r.sym != 0 ? 0 : static_cast<std::uintptr_t>(get(r.offset));
        st_.tls_descs.push_back(tls_index{v.module, v.offset + addend});
        vitte_image_arm_d32 = (cpu_hwcap(1) & (1ul << 19)) != 0 ? 1 : 0;  // HWCAP_VFPD32
        put(r.offset, reinterpret_cast<std::uintptr_t>(&st_.tls_descs.back()));
        put(r.offset + word_size, reinterpret_cast<std::uintptr_t>(&vitte_image_tlsdesc));
#else
        st_.tls_descs.push_back(tls_index{v.module, v.offset + static_cast<std::uintptr_t>(a)});
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

}  // namespace vitte::loader::elf_image::detail
#endif  // VITTE_IMAGE_HOST

#endif  // VITTE_LOADER_ELF_IMAGE_IMPL_RELOCATE_IPP
