// vitte/loader/impl/macho.ipp - the Mach-O reader's bodies (vitte/loader/macho.hpp).
#ifndef VITTE_LOADER_IMPL_MACHO_IPP
#define VITTE_LOADER_IMPL_MACHO_IPP

#include <vitte/base.hpp>
#include <vitte/base/detail/byte_view.hpp>
#include <vitte/base/detail/text.hpp>  // text_writer: "__DATA,__vitplug"
#include <vitte/loader/diagnostics.hpp>
#include <vitte/loader/macho.hpp>
#include <vitte/loader/module.hpp>
#include <vitte/loader/operations.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::loader::macho {

VITTE_DECL result<reader> reader::parse(span<const std::byte> bytes, architecture want,
                                        vitte::diagnostic* why) noexcept {
  auto fail = [why](errc kind, const char* what, std::uint64_t off) { return detail::refuse(why, kind, off, what); };
  reader r;
  r.whole_.bytes = bytes;
  vitte::detail::byte_view be{bytes, true};
  std::uint32_t magic = 0;
  if (!be.read<std::uint32_t>(0, magic)) return fail(errc::unexpected_eof, "file shorter than a Mach-O header", 0);
  span<const std::byte> slice = bytes;
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

VITTE_DECL result<section> reader::decode(std::uint32_t index, std::uint64_t record, bool wide,
                                          vitte::diagnostic* why) const noexcept {
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
    const error e =
        detail::refuse(why, errc::malformed, base_ + record + (wide ? 40 : 36), "section contents outside the file");
    if (why != nullptr) about(*why, s.segment, s.name);
    return e;
  }
  return s;
}

VITTE_DECL result<section> reader::section_at(std::uint32_t i, vitte::diagnostic* why) const noexcept {
  if (i >= nsections_) {
    const error e = detail::refuse(why, errc::invalid_argument, base_ + commands_, "section index out of range");
    if (why != nullptr) detail::about_section(*why, i);
    return e;
  }
  result<section> out = error{errc::not_found, ops::module_read};
  each_section([&](std::uint32_t index, std::uint64_t record, bool wide) {
    if (index != i) return false;
    out = decode(index, record, wide, why);
    return true;
  });
  return out;
}

VITTE_DECL status reader::check_sections(vitte::diagnostic* why) const noexcept {
  status st;
  each_section([&](std::uint32_t index, std::uint64_t record, bool wide) {
    result<section> s = decode(index, record, wide, why);
    if (!s) st = s.error();
    return !s;
  });
  return st;
}

VITTE_DECL result<section> reader::find_section(text_view segment, text_view name,
                                                vitte::diagnostic* why) const noexcept {
  result<section> out = error{errc::not_found, ops::module_read};
  each_section([&](std::uint32_t index, std::uint64_t record, bool wide) {
    if (fixed_name(v_.sub(record, 16)) != name || fixed_name(v_.sub(record + 16, 16)) != segment) return false;
    out = decode(index, record, wide, why);
    return true;
  });
  if (!out && out.error() == errc::not_found && why != nullptr)
    about(why->of(errc::not_found).at(base_ + commands_).say("section not found"), segment, name);
  return out;
}

VITTE_DECL vitte::diagnostic& reader::about(vitte::diagnostic& d, text_view segment, text_view name) noexcept {
  char both[40];  // two 16-byte names and a comma
  vitte::detail::text_writer w{both, sizeof both};
  w.append(segment);
  w.append(",");
  w.append(name);
  return d.about(text_view(both, w.len));
}

}  // namespace vitte::loader::macho

#endif  // VITTE_LOADER_IMPL_MACHO_IPP
