// vitte/loader/macho.hpp - a reader of Mach-O files (32- and 64-bit, either
// byte order, and fat/universal archives) over a byte span, for metadata:
// the header, the load commands, and the sections of the segment commands.
//
//   vitte::diagnostic why;
//   auto m = vitte::loader::macho::reader::parse(bytes, vitte::loader::architecture::aarch64, &why);
//   if (!m) { std::puts(why.format().c_str()); return; }   // "at offset 0x14: load commands outside the file"
//   auto sec = m->find_section("__DATA", "__vitplug", &why);
//   vitte::span<const std::byte> data = m->section_data(*sec);
//
// A fat (universal) file holds one Mach-O file per architecture; parse()
// picks the slice for the architecture asked for (the host's by default)
// and reads it, reporting offsets in the whole file. As the ELF and PE
// readers: every offset, size and count is checked against the span before
// use (load commands against sizeofcmds and the file, sections against
// their command, contents against the file); malformed input is an error
// naming the problem and its offset (and the section, "__DATA,__vitplug",
// as the diagnostic's subject), never a crash; nothing is loaded or
// run. Errors (module_read): malformed, unexpected_eof, exec_format (not
// Mach-O, or no slice for the architecture), not_found.
//
// Thread safety: a value over the caller's bytes, which must outlive it.
#ifndef VITTE_LOADER_MACHO_HPP
#define VITTE_LOADER_MACHO_HPP

#include <vitte/base.hpp>
#include <vitte/base/detail/byte_view.hpp>
#include <vitte/base/detail/bytes.hpp>  // text_of
#include <vitte/loader/diagnostics.hpp>
#include <vitte/loader/module.hpp>  // architecture
#include <vitte/loader/operations.hpp>

#include <cstddef>
#include <cstdint>

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
  text_view segment;          ///< Up to 16 bytes ("__DATA").
  text_view name;             ///< Up to 16 bytes ("__vitplug").
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
  static result<reader> parse(span<const std::byte> bytes, architecture want = host_architecture,
                              vitte::diagnostic* why = nullptr) noexcept;

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
  result<section> section_at(std::uint32_t i, vitte::diagnostic* why = nullptr) const noexcept;
  /// Checks that every section's contents lie in the file (one walk).
  /// Errors: malformed.
  status check_sections(vitte::diagnostic* why = nullptr) const noexcept;
  /// The first section `segment`,`name`. Errors: not_found, and those of section_at.
  result<section> find_section(text_view segment, text_view name, vitte::diagnostic* why = nullptr) const noexcept;
  /// The bytes of `s` in the file (empty for zero-fill sections).
  span<const std::byte> section_data(const section& s) const noexcept {
    if (s.zero_fill()) return {};
    return whole_.sub(s.offset, s.size);
  }

 private:
  // Walks the load commands; for each section calls f(index, offset of its
  // record in the slice). Stops when f returns true.
  template <class F>
  void each_section(F&& f) const noexcept;

  // A 16-byte name field, NUL-padded (or not, when all 16 are used).
  static text_view fixed_name(span<const std::byte> sixteen) noexcept {
    const text_view all = vitte::detail::text_of(span<const std::byte>(sixteen.data(), sixteen.size()));
    std::size_t n = 0;
    while (n < all.size() && all.data()[n] != '\0') ++n;
    return text_view(all.data(), n);
  }
  result<section> decode(std::uint32_t index, std::uint64_t record, bool wide, vitte::diagnostic* why) const noexcept;
  // Names "segment,name" as the subject of `d`.
  static vitte::diagnostic& about(vitte::diagnostic& d, text_view segment, text_view name) noexcept;

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

}  // namespace vitte::loader::macho

#if VITTE_HEADER_ONLY
#include <vitte/loader/impl/macho.ipp>
#endif

#endif  // VITTE_LOADER_MACHO_HPP
