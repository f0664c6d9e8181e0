// vitte/loader/macho.hpp - a reader of Mach-O files (32- and 64-bit, either
// byte order, and fat/universal archives) over a byte span, for metadata:
// the header, the load commands, and the sections of the segment commands.
//
//   vitte::loader::parse_problem why;
//   auto m = vitte::loader::macho::reader::parse(bytes, vitte::loader::architecture::aarch64, &why);
//   if (!m) { std::printf("%s at %llu\n", why.what, (unsigned long long)why.offset); return; }
//   auto sec = m->find_section("__DATA", "__vitplug", &why);
//   std::span<const std::byte> data = m->section_data(*sec);
//
// A fat (universal) file holds one Mach-O file per architecture; parse()
// picks the slice for the architecture asked for (the host's by default)
// and reads it, reporting offsets in the whole file. As the ELF and PE
// readers: every offset, size and count is checked against the span before
// use (load commands against sizeofcmds and the file, sections against
// their command, contents against the file); malformed input is an error
// naming the problem and its offset, never a crash; nothing is loaded or
// run. Errors (module_read): malformed, unexpected_eof, exec_format (not
// Mach-O, or no slice for the architecture), not_found.
//
// Thread safety: a value over the caller's bytes, which must outlive it.
#ifndef VITTE_LOADER_MACHO_HPP
#define VITTE_LOADER_MACHO_HPP

#include <vitte/base.hpp>
#include <vitte/base/detail/byte_view.hpp>
#include <vitte/loader/diagnostics.hpp>
#include <vitte/loader/module.hpp>  // architecture
#include <vitte/loader/operations.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace vitte::loader::macho {

inline constexpr std::uint32_t magic_32 = 0xfeedface, magic_64 = 0xfeedfacf;
inline constexpr std::uint32_t fat_magic = 0xcafebabe, fat_magic_64 = 0xcafebabf;
inline constexpr std::uint32_t cpu_abi64 = 0x01000000, cpu_abi64_32 = 0x02000000;
inline constexpr std::uint32_t cpu_x86 = 7, cpu_x86_64 = cpu_x86 | cpu_abi64, cpu_arm = 12,
                               cpu_arm64 = cpu_arm | cpu_abi64, cpu_powerpc = 18,
                               cpu_powerpc64 = cpu_powerpc | cpu_abi64;
inline constexpr std::uint32_t mh_object = 1, mh_execute = 2, mh_dylib = 6, mh_bundle = 8;
inline constexpr std::uint32_t lc_segment = 0x1, lc_segment_64 = 0x19;
inline constexpr std::uint32_t section_type_mask = 0xff, s_zerofill = 0x1, s_gb_zerofill = 0xc,
                               s_thread_local_zerofill = 0x12;

/// The architecture of a Mach-O CPU type.
constexpr architecture architecture_of(std::uint32_t cputype) noexcept {
  switch (cputype) {
    case cpu_x86_64:
      return architecture::x86_64;
    case cpu_x86:
      return architecture::x86;
    case cpu_arm64:
      return architecture::aarch64;
    case cpu_arm:
      return architecture::arm;
    case cpu_powerpc64:
      return architecture::ppc64;
    case cpu_powerpc:
      return architecture::ppc;
    default:
      return architecture::unknown;
  }
}

/// One section, decoded.
struct section {
  std::uint32_t index = 0;    ///< In load-command order, from 0.
  std::string_view segment;   ///< Up to 16 bytes ("__DATA").
  std::string_view name;      ///< Up to 16 bytes ("__vitplug").
  std::uint64_t address = 0;  ///< In memory.
  std::uint64_t size = 0;     ///< Bytes.
  std::uint64_t offset = 0;   ///< File offset of the contents (in the whole file).
  std::uint32_t flags = 0;    ///< Type (low byte) and attributes.
  /// True when the section has no contents in the file (zero-fill).
  bool zero_fill() const noexcept {
    const std::uint32_t t = flags & section_type_mask;
    return t == s_zerofill || t == s_gb_zerofill || t == s_thread_local_zerofill;
  }
};

/// Reads a Mach-O file (or the slice of a fat file) held in memory.
class reader {
 public:
  /// Checks the header (picking the slice for `want` in a fat file) and
  /// every load command's bounds. Errors: see the header.
  static result<reader> parse(std::span<const std::byte> bytes, architecture want = host_architecture,
                              parse_problem* why = nullptr) noexcept;

  std::uint32_t cpu_type() const noexcept { return cputype_; }
  architecture arch() const noexcept { return architecture_of(cputype_); }
  byte_order order() const noexcept { return v_.big_endian ? byte_order::big : byte_order::little; }
  bool is_64() const noexcept { return is64_; }
  /// MH_OBJECT, MH_DYLIB, MH_BUNDLE, ...
  std::uint32_t file_type() const noexcept { return filetype_; }
  /// True for the kinds a plugin is: a dylib or a bundle.
  bool is_loadable_library() const noexcept { return filetype_ == mh_dylib || filetype_ == mh_bundle; }
  /// True when the file was a fat archive (this is one of its slices).
  bool from_fat() const noexcept { return fat_; }
  /// File offset of the slice read (0 for a thin file).
  std::uint64_t slice_offset() const noexcept { return base_; }
  std::uint32_t section_count() const noexcept { return nsections_; }

  /// Section `i`. Errors: invalid_argument (index), malformed (contents
  /// outside the file).
  result<section> section_at(std::uint32_t i, parse_problem* why = nullptr) const noexcept;
  /// Checks that every section's contents lie in the file (one walk).
  /// Errors: malformed.
  status check_sections(parse_problem* why = nullptr) const noexcept;
  /// The first section `segment`,`name`. Errors: not_found, and those of section_at.
  result<section> find_section(std::string_view segment, std::string_view name,
                               parse_problem* why = nullptr) const noexcept;
  /// The bytes of `s` in the file (empty for zero-fill sections).
  std::span<const std::byte> section_data(const section& s) const noexcept {
    if (s.zero_fill()) return {};
    return whole_.sub(s.offset, s.size);
  }

 private:
  // Walks the load commands; for each section calls f(index, offset of its
  // record in the slice). Stops when f returns true.
  template <class F>
  void each_section(F&& f) const noexcept;

  // A 16-byte name field, NUL-padded (or not, when all 16 are used).
  static std::string_view fixed_name(std::span<const std::byte> sixteen) noexcept {
    const char* p = reinterpret_cast<const char*>(sixteen.data());
    std::size_t n = 0;
    while (n < sixteen.size() && p[n] != '\0') ++n;
    return std::string_view(p, n);
  }
  result<section> decode(std::uint32_t index, std::uint64_t record, bool wide, parse_problem* why) const noexcept;

  vitte::detail::byte_view whole_;  // the whole file (byte order unused)
  vitte::detail::byte_view v_;      // the slice, in its byte order
  std::uint64_t base_ = 0;          // slice offset in the file
  bool fat_ = false;
  bool is64_ = false;
  std::uint32_t cputype_ = 0;
  std::uint32_t filetype_ = 0;
  std::uint32_t ncmds_ = 0;
  std::uint32_t sizeofcmds_ = 0;
  std::uint32_t nsections_ = 0;
  std::uint64_t commands_ = 0;  // offset of the first load command in the slice
};

inline result<reader> reader::parse(std::span<const std::byte> bytes, architecture want, parse_problem* why) noexcept {
  parse_problem ignored;
  if (why == nullptr) why = &ignored;
  auto fail = [why](errc kind, const char* what, std::uint64_t off) {
    why->set(what, off);
    return error{kind, ops::module_read};
  };
  reader r;
  r.whole_.bytes = bytes;
  vitte::detail::byte_view be{bytes, true};
  std::uint32_t magic = 0;
  if (!be.read<std::uint32_t>(0, magic)) return fail(errc::unexpected_eof, "file shorter than a Mach-O header", 0);
  std::span<const std::byte> slice = bytes;
  if (magic == fat_magic || magic == fat_magic_64) {
    // The fat header and its table are big-endian, whatever the slices are.
    const bool wide = magic == fat_magic_64;
    const std::uint64_t entry = wide ? 32 : 20;
    std::uint32_t count = 0;
    if (!be.read<std::uint32_t>(4, count)) return fail(errc::unexpected_eof, "fat header outside the file", 4);
    if (count == 0 || count > 64) return fail(errc::malformed, "fat header: implausible number of slices", 4);
    if (!be.contains(8, count * entry)) return fail(errc::unexpected_eof, "fat table outside the file", 8);
    bool found = false;
    for (std::uint32_t i = 0; i < count && !found; ++i) {
      const std::uint64_t at = 8 + i * entry;
      std::uint32_t cpu = 0;
      std::uint64_t off = 0, size = 0;
      (void)be.read<std::uint32_t>(at, cpu);
      if (wide) {
        (void)be.read<std::uint64_t>(at + 8, off);
        (void)be.read<std::uint64_t>(at + 16, size);
      } else {
        std::uint32_t off32 = 0, size32 = 0;
        (void)be.read<std::uint32_t>(at + 8, off32);
        (void)be.read<std::uint32_t>(at + 12, size32);
        off = off32;
        size = size32;
      }
      if (architecture_of(cpu) != want) continue;
      if (!be.contains(off, size) || off < 8 + count * entry)
        return fail(errc::malformed, "fat slice outside the file", at + 8);
      slice = be.sub(off, size);
      r.base_ = off;
      found = true;
    }
    if (!found) return fail(errc::exec_format, "fat file has no slice for the architecture asked for", 8);
    r.fat_ = true;
    if (!vitte::detail::byte_view{slice, true}.read<std::uint32_t>(0, magic))
      return fail(errc::unexpected_eof, "slice shorter than a Mach-O header", r.base_);
  }
  switch (magic) {
    case magic_32:
    case magic_64:
      r.v_.big_endian = true;
      break;
    case 0xcefaedfe:
    case 0xcffaedfe:
      r.v_.big_endian = false;
      break;
    default:
      return fail(errc::exec_format, "not a Mach-O file (bad magic)", r.base_);
  }
  r.v_.bytes = slice;
  r.is64_ = magic == magic_64 || magic == 0xcffaedfe;
  const std::uint64_t header = r.is64_ ? 32 : 28;
  if (!r.v_.contains(0, header)) return fail(errc::unexpected_eof, "Mach-O header outside the file", r.base_);
  (void)r.v_.read<std::uint32_t>(4, r.cputype_);
  (void)r.v_.read<std::uint32_t>(12, r.filetype_);
  (void)r.v_.read<std::uint32_t>(16, r.ncmds_);
  (void)r.v_.read<std::uint32_t>(20, r.sizeofcmds_);
  r.commands_ = header;
  if (!r.v_.contains(header, r.sizeofcmds_))
    return fail(errc::unexpected_eof, "load commands outside the file", r.base_ + 20);
  // Every command inside sizeofcmds; segment commands' sections inside
  // their command; counted here so that section_at need not check again.
  const std::uint64_t end = header + r.sizeofcmds_;
  std::uint64_t at = header;
  for (std::uint32_t i = 0; i < r.ncmds_; ++i) {
    std::uint32_t cmd = 0, size = 0;
    if (at + 8 > end) return fail(errc::malformed, "load command outside sizeofcmds", r.base_ + at);
    (void)r.v_.read<std::uint32_t>(at, cmd);
    (void)r.v_.read<std::uint32_t>(at + 4, size);
    if (size < 8 || size % 4 != 0 || size > end - at)
      return fail(errc::malformed, "bad load command size", r.base_ + at + 4);
    if (cmd == lc_segment || cmd == lc_segment_64) {
      const bool wide = cmd == lc_segment_64;
      const std::uint64_t fixed = wide ? 72 : 56, each = wide ? 80 : 68;
      std::uint32_t nsects = 0;
      if (size < fixed) return fail(errc::malformed, "segment command too small", r.base_ + at + 4);
      (void)r.v_.read<std::uint32_t>(at + (wide ? 64 : 48), nsects);
      if (nsects > (size - fixed) / each)
        return fail(errc::malformed, "segment's sections outside its command", r.base_ + at);
      if (r.nsections_ + nsects < r.nsections_) return fail(errc::malformed, "too many sections", r.base_ + at);
      r.nsections_ += nsects;
    }
    at += size;
  }
  return r;
}

template <class F>
void reader::each_section(F&& f) const noexcept {
  std::uint64_t at = commands_;
  std::uint32_t index = 0;
  for (std::uint32_t i = 0; i < ncmds_; ++i) {
    std::uint32_t cmd = 0, size = 0;
    (void)v_.read<std::uint32_t>(at, cmd);
    (void)v_.read<std::uint32_t>(at + 4, size);
    if (cmd == lc_segment || cmd == lc_segment_64) {
      const bool wide = cmd == lc_segment_64;
      std::uint32_t nsects = 0;
      (void)v_.read<std::uint32_t>(at + (wide ? 64 : 48), nsects);
      for (std::uint32_t k = 0; k < nsects; ++k, ++index)
        if (f(index, at + (wide ? 72 : 56) + k * static_cast<std::uint64_t>(wide ? 80 : 68), wide)) return;
    }
    at += size;  // checked by parse
  }
}

inline result<section> reader::decode(std::uint32_t index, std::uint64_t record, bool wide,
                                      parse_problem* why) const noexcept {
  section s;
  s.index = index;
  s.name = fixed_name(v_.sub(record, 16));  // inside the file: checked by parse
  s.segment = fixed_name(v_.sub(record + 16, 16));
  std::uint32_t offset = 0;
  if (wide) {
    (void)v_.read<std::uint64_t>(record + 32, s.address);
    (void)v_.read<std::uint64_t>(record + 40, s.size);
    (void)v_.read<std::uint32_t>(record + 48, offset);
    (void)v_.read<std::uint32_t>(record + 64, s.flags);
  } else {
    std::uint32_t a = 0, n = 0;
    (void)v_.read<std::uint32_t>(record + 32, a);
    (void)v_.read<std::uint32_t>(record + 36, n);
    (void)v_.read<std::uint32_t>(record + 40, offset);
    (void)v_.read<std::uint32_t>(record + 56, s.flags);
    s.address = a;
    s.size = n;
  }
  s.offset = base_ + offset;
  if (!s.zero_fill() && s.size != 0 && !v_.contains(offset, s.size)) {
    if (why != nullptr) why->set("section contents outside the file", base_ + record + (wide ? 40 : 36));
    return error{errc::malformed, ops::module_read};
  }
  return s;
}

inline result<section> reader::section_at(std::uint32_t i, parse_problem* why) const noexcept {
  if (i >= nsections_) {
    if (why != nullptr) why->set("section index out of range", base_ + commands_);
    return error{errc::invalid_argument, ops::module_read};
  }
  result<section> out = error{errc::not_found, ops::module_read};
  each_section([&](std::uint32_t index, std::uint64_t record, bool wide) {
    if (index != i) return false;
    out = decode(index, record, wide, why);
    return true;
  });
  return out;
}

inline status reader::check_sections(parse_problem* why) const noexcept {
  status st;
  each_section([&](std::uint32_t index, std::uint64_t record, bool wide) {
    result<section> s = decode(index, record, wide, why);
    if (!s) st = s.error();
    return !s;
  });
  return st;
}

inline result<section> reader::find_section(std::string_view segment, std::string_view name,
                                            parse_problem* why) const noexcept {
  result<section> out = error{errc::not_found, ops::module_read};
  each_section([&](std::uint32_t index, std::uint64_t record, bool wide) {
    if (fixed_name(v_.sub(record, 16)) != name || fixed_name(v_.sub(record + 16, 16)) != segment) return false;
    out = decode(index, record, wide, why);
    return true;
  });
  if (!out && out.error() == errc::not_found && why != nullptr) why->set("section not found", base_ + commands_);
  return out;
}

}  // namespace vitte::loader::macho

#endif  // VITTE_LOADER_MACHO_HPP
