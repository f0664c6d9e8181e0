// vitte/loader/impl/inspect.ipp - reading a plugin's metadata (vitte/loader/inspect.hpp).
#ifndef VITTE_LOADER_IMPL_INSPECT_IPP
#define VITTE_LOADER_IMPL_INSPECT_IPP

#include <vitte/base.hpp>
#include <vitte/base/detail/byte_view.hpp>
#include <vitte/base/detail/endian.hpp>  // magic numbers
#include <vitte/base/detail/hash.hpp>
#include <vitte/base/detail/hex.hpp>  // build ids
#include <vitte/loader/diagnostics.hpp>
#include <vitte/loader/elf.hpp>
#include <vitte/loader/inspect.hpp>
#include <vitte/loader/macho.hpp>
#include <vitte/loader/module.hpp>
#include <vitte/loader/operations.hpp>
#include <vitte/loader/pe.hpp>
#include <vitte/loader/plugin.h>

#include <cstddef>
#include <cstdint>

namespace vitte::loader {

VITTE_DECL module_format detect_format(span<const std::byte> bytes) noexcept {
  if (bytes.size() >= 4 && bytes[0] == std::byte{0x7f} && bytes[1] == std::byte{'E'} && bytes[2] == std::byte{'L'} &&
      bytes[3] == std::byte{'F'})
    return module_format::elf;
  if (bytes.size() >= 2 && bytes[0] == std::byte{'M'} && bytes[1] == std::byte{'Z'}) return module_format::pe;
  if (bytes.size() >= 8 && bytes[0] == std::byte{0x89} && bytes[1] == std::byte{'V'} && bytes[2] == std::byte{'I'} &&
      bytes[3] == std::byte{'T'} && bytes[4] == std::byte{0x0D} && bytes[5] == std::byte{0x0A} &&
      bytes[6] == std::byte{0x1A} && bytes[7] == std::byte{0x0A})
    return module_format::vitmod;
  if (bytes.size() >= 4 && bytes[0] == std::byte{0} && bytes[1] == std::byte{'a'} && bytes[2] == std::byte{'s'} &&
      bytes[3] == std::byte{'m'})
    return module_format::wasm;
  if (bytes.size() >= 4) {
    const std::uint32_t m = vitte::detail::load_be<std::uint32_t>(bytes.data());
    if (m == 0xfeedfacfu || m == 0xcffaedfeu || m == 0xfeedfaceu || m == 0xcefaedfeu || m == 0xcafebabeu ||
        m == 0xcafebabfu)
      return module_format::macho;
  }
  return module_format::unknown;
}

VITTE_DECL status decode_metadata(span<const std::byte> section, bool big_endian, module_info& out,
                                  vitte::diagnostic* why) noexcept {
  auto fail = [why](errc kind, const char* what, std::uint64_t off) { return detail::refuse(why, kind, off, what); };
  vitte::detail::byte_view v{section, big_endian};
  if (section.size() < 32) return fail(errc::unexpected_eof, "metadata section shorter than its header", 0);
  const char magic[8] = {'V', 'I', 'T', 'P', 'L', 'U', 'G', '\0'};
  for (int i = 0; i < 8; ++i)
    if (section[static_cast<std::size_t>(i)] != static_cast<std::byte>(magic[i]))
      return fail(errc::malformed, "bad metadata magic (not VITPLUG)", 0);
  std::uint16_t format = 0, abi_major = 0, abi_minor = 0, arch = 0, name_off = 0, version_off = 0;
  std::uint32_t flags = 0, total = 0, count = 0;
  (void)v.read(8, format);
  (void)v.read(10, abi_major);
  (void)v.read(12, abi_minor);
  (void)v.read(14, arch);
  (void)v.read(16, flags);
  (void)v.read(20, total);
  (void)v.read(24, count);
  (void)v.read(28, name_off);
  (void)v.read(30, version_off);
  if (format != VITTE_PLUGIN_FORMAT_VERSION) return fail(errc::version_mismatch, "unknown metadata format version", 8);
  if (total < 32) return fail(errc::malformed, "metadata size smaller than its header", 20);
  if (total > section.size()) return fail(errc::unexpected_eof, "metadata larger than its section", 20);
  if (count > (total - 32) / 8) return fail(errc::malformed, "record count larger than the metadata can hold", 24);
  std::string_view name, version;  // byte_view::cstring's
  if (name_off < 32 || !v.cstring(name_off, total, name) || name.empty())
    return fail(errc::malformed, "plugin name missing or not terminated", 28);
  if (version_off < 32 || !v.cstring(version_off, total, version))
    return fail(errc::malformed, "plugin version missing or not terminated", 30);
  out.id.name.assign(name);
  out.id.version.assign(version);
  out.id.abi_major = abi_major;
  out.id.abi_minor = abi_minor;
  out.id.arch = static_cast<architecture>(arch);
  out.id.debug = (flags & VITTE_PLUGIN_FLAG_DEBUG) != 0;
  out.id.unload_safe = (flags & VITTE_PLUGIN_FLAG_UNLOAD_SAFE) != 0;
  out.id.has_state = (flags & VITTE_PLUGIN_FLAG_STATE) != 0;
  out.exports.clear();
  out.imports.clear();
  out.dependencies.clear();
  out.exports.reserve(count);
  std::uint64_t at = (static_cast<std::uint64_t>(version_off) + version.size() + 1 + 7) & ~std::uint64_t{7};
  if (static_cast<std::uint64_t>(name_off) + name.size() + 1 > at) at = (name_off + name.size() + 1 + 7) & ~7ull;
  for (std::uint32_t r = 0; r < count; ++r) {
    std::uint16_t tag = 0;
    std::uint32_t size = 0;
    if (at + 8 > total)  // (the padding may run past the end: the place is the end)
      return fail(errc::unexpected_eof, "record header past the end of the metadata", at < total ? at : total);
    (void)v.read(at, tag);
    (void)v.read(at + 4, size);
    if (size < 8 || size > total - at) return fail(errc::malformed, "record size out of bounds", at + 4);
    const std::uint64_t end = at + size;
    if (tag == VITTE_RECORD_EXPORT || tag == VITTE_RECORD_IMPORT) {
      if (size < 25) return fail(errc::malformed, "symbol record too short", at);
      std::uint32_t kind = 0, ver = 0;
      std::uint64_t sig = 0;
      (void)v.read(at + 8, kind);
      (void)v.read(at + 12, ver);
      (void)v.read(at + 16, sig);
      if (kind != VITTE_EXPORT_FUNCTION && kind != VITTE_EXPORT_OBJECT)
        return fail(errc::malformed, "unknown symbol kind", at + 8);
      std::string_view first, second;
      if (!v.cstring(at + 24, end, first) || first.empty())
        return fail(errc::malformed, "symbol name missing or not terminated", at + 24);
      if (tag == VITTE_RECORD_EXPORT) {
        out.exports.push_back(export_info{text(first), static_cast<export_kind>(kind), ver, sig});
      } else {
        if (!v.cstring(at + 24 + first.size() + 1, end, second) || second.empty())
          return fail(errc::malformed, "imported name missing or not terminated", at + 24 + first.size() + 1);
        out.imports.push_back(import_info{text(first), text(second), static_cast<export_kind>(kind), ver, sig});
      }
    } else if (tag == VITTE_RECORD_DEPENDENCY) {
      if (size < 18) return fail(errc::malformed, "dependency record too short", at);
      std::uint32_t dflags = 0;
      (void)v.read(at + 8, dflags);
      std::string_view dname, range;
      if (!v.cstring(at + 16, end, dname) || dname.empty())
        return fail(errc::malformed, "dependency name missing or not terminated", at + 16);
      if (!v.cstring(at + 16 + dname.size() + 1, end, range))
        return fail(errc::malformed, "dependency range not terminated", at + 16 + dname.size() + 1);
      out.dependencies.push_back(
          dependency_info{text(dname), text(range.empty() ? "*" : range),
                          static_cast<dependency_flags>(dflags & (VITTE_DEPENDENCY_OPTIONAL | VITTE_DEPENDENCY_LAZY))});
    }
    // Unknown tags are skipped: newer minor versions may add records.
    at = (end + 7) & ~std::uint64_t{7};
  }
  return {};
}

VITTE_DECL result<module_info> read_plugin(span<const std::byte> file, vitte::diagnostic* why) {
  auto fail = [why](errc kind, std::uint64_t off, const char* what) { return detail::refuse(why, kind, off, what); };
  // A fault in the metadata section names it.
  auto in_section = [why](error e, text_view name) {
    if (why != nullptr) why->about(name);
    return e;
  };
  module_info info;
  info.source.format = detect_format(file);
  span<const std::byte> section;
  std::uint64_t section_offset = 0;
  text_view section_name;
  architecture container_arch = architecture::unknown;
  bool big = false;
  switch (info.source.format) {
    case module_format::elf: {
      result<elf::reader> r = elf::reader::parse(file, why);
      if (!r) return r.error();
      if (r->type() != elf::et_dyn)
        return fail(errc::exec_format, 16, "ELF file is not a shared object (e_type is not ET_DYN)");
      // Every section must lie in the file: a truncated file fails here,
      // before anything hands it to the OS loader.
      for (std::uint32_t i = 1; i < r->section_count(); ++i)
        if (result<elf::section> any = r->section_at(i, why); !any) return any.error();
      section_name = VITTE_PLUGIN_ELF_SECTION;
      result<elf::section> s = r->find_section(section_name, why);
      if (!s) {
        if (s.error() == errc::not_found && why != nullptr) why->append(": not a vitte plugin");
        return s.error();
      }
      if (s->type == elf::sht_nobits)  // its sh_offset points at nothing
        return in_section(fail(errc::malformed, vitte::diagnostic::no_offset, "section has no file contents"),
                          section_name);
      section = r->section_data(*s);
      section_offset = s->offset;
      container_arch = r->arch();
      big = r->order() == byte_order::big;
      span<const std::byte> id = r->build_id();
      for (std::byte b : id) {
        char digits[2];
        vitte::detail::hex_byte(static_cast<std::uint8_t>(b), digits);
        info.id.build_id.append(digits, 2);
      }
      break;
    }
    case module_format::pe: {
      result<pe::reader> r = pe::reader::parse(file, why);
      if (!r) return r.error();
      if (!r->is_dll()) return fail(errc::exec_format, 0, "PE image is not a DLL");
      for (std::uint32_t i = 0; i < r->section_count(); ++i)
        if (result<pe::section> any = r->section_at(i, why); !any) return any.error();
      section_name = VITTE_PLUGIN_PE_SECTION;
      result<pe::section> s = r->find_section(section_name, why);
      if (!s) {
        if (s.error() == errc::not_found && why != nullptr) why->append(": not a vitte plugin");
        return s.error();
      }
      section = r->section_data(*s);
      section_offset = s->raw_offset;
      container_arch = r->arch();
      break;
    }
    case module_format::macho: {
      // A fat file: the slice of this program's architecture.
      result<macho::reader> r = macho::reader::parse(file, host_architecture, why);
      if (!r) return r.error();
      if (!r->is_loadable_library())
        return fail(errc::exec_format, r->slice_offset() + 12, "Mach-O file is not a dylib or a bundle");
      if (status all = r->check_sections(why); !all) return all.error();
      section_name = VITTE_PLUGIN_MACHO_SEGMENT "," VITTE_PLUGIN_MACHO_SECTION;
      result<macho::section> s = r->find_section(VITTE_PLUGIN_MACHO_SEGMENT, VITTE_PLUGIN_MACHO_SECTION, why);
      if (!s) {
        if (s.error() == errc::not_found && why != nullptr) why->append(": not a vitte plugin");
        return s.error();
      }
      if (s->zero_fill())  // its offset points at nothing
        return in_section(fail(errc::malformed, vitte::diagnostic::no_offset, "section has no file contents"),
                          section_name);
      section = r->section_data(*s);
      section_offset = s->offset;
      container_arch = r->arch();
      big = r->order() == byte_order::big;
      break;
    }
    case module_format::vitmod:
      return fail(errc::exec_format, 0, "a .vitmod container, not a native plugin (read_module_file reads both)");
    case module_format::wasm:
      return fail(errc::exec_format, 0, "a WebAssembly module, not a native plugin (read_module_file reads both)");
    case module_format::unknown:
      return file.size() < 4 ? fail(errc::unexpected_eof, 0, "file too short to be a plugin")
                             : fail(errc::exec_format, 0, "not an ELF, PE or Mach-O file");
  }
  status st = decode_metadata(section, big, info, why);
  if (!st) {
    if (why != nullptr) why->at(why->offset() + section_offset);  // offsets in the file, not the section
    return in_section(st.error(), section_name);
  }
  if (info.id.arch != container_arch)
    return in_section(
        fail(errc::malformed, section_offset + 14, "metadata architecture differs from the file's machine type"),
        section_name);
  info.id.order = big ? byte_order::big : byte_order::little;
  info.id.content_hash = vitte::detail::content_hash(file);
  std::uint32_t total = 0;
  (void)vitte::detail::byte_view{section, big}.read(20, total);
  info.source.metadata_hash = vitte::detail::content_hash(section.first(total));
  return info;
}

namespace detail {

VITTE_DECL error module_file_error(vitte::diagnostic* why, const text& path, const char* what, error e) noexcept {
  if (why != nullptr)
    why->of(e.kind()).at(vitte::diagnostic::no_offset).about(path).say(what).append(": ").append(e.message().view());
  return e;
}

}  // namespace detail

VITTE_DECL status check_compatible(const module_info& info, diagnostic_list* diag) {
  // The module is the subject; its file leads the message.
  vitte::diagnostic d;
  auto fail = [&](errc kind) -> error {
    note(diag, d);
    return error{kind, ops::module_load};
  };
  auto start = [&](errc kind) -> vitte::diagnostic& {
    d.of(kind).about(info.id.name);
    if (!info.source.path.empty()) d.say(info.source.path).append(": ");
    return d;
  };
  if (info.source.format == module_format::vitmod || info.source.format == module_format::wasm) {
    // A container's target architecture is 0 (any: bytecode, wasm) or the
    // host's; it has no plugin ABI. Its executor checks the rest.
    if (info.id.arch != architecture::unknown && info.id.arch != host_architecture) {
      start(errc::exec_format).append("payload built for ").append(to_string(info.id.arch));
      d.append(", this program is ").append(to_string(host_architecture));
      return fail(errc::exec_format);
    }
    return {};
  }
  if (info.id.arch != host_architecture) {
    start(errc::exec_format).append("built for ").append(to_string(info.id.arch));
    d.append(", this program is ").append(to_string(host_architecture));
    return fail(errc::exec_format);
  }
  if (info.id.order != host_byte_order) {
    start(errc::exec_format).append("byte order differs from this program's");
    return fail(errc::exec_format);
  }
  if (info.id.abi_major != VITTE_PLUGIN_ABI_MAJOR) {
    start(errc::version_mismatch).append("plugin ABI ").append(std::uint64_t{info.id.abi_major}).append(".");
    d.append(std::uint64_t{info.id.abi_minor}).append(", this program supports ");
    d.append(std::uint64_t{VITTE_PLUGIN_ABI_MAJOR}).append(".x");
    return fail(errc::version_mismatch);
  }
  if (info.id.abi_minor > VITTE_PLUGIN_ABI_MINOR) {
    start(errc::version_mismatch).append("plugin ABI ").append(std::uint64_t{info.id.abi_major}).append(".");
    d.append(std::uint64_t{info.id.abi_minor}).append(" is newer than this program's ");
    d.append(std::uint64_t{VITTE_PLUGIN_ABI_MAJOR}).append(".").append(std::uint64_t{VITTE_PLUGIN_ABI_MINOR});
    return fail(errc::version_mismatch);
  }
  const module_format native = VITTE_OS_WINDOWS  ? module_format::pe
                               : VITTE_OS_DARWIN ? module_format::macho
                                                 : module_format::elf;
  if (info.source.format != module_format::unknown && info.source.format != native) {
    start(errc::exec_format).append(to_string(info.source.format)).append(" file, this system loads ");
    d.append(to_string(native));
    return fail(errc::exec_format);
  }
  return {};
}

}  // namespace vitte::loader

#endif  // VITTE_LOADER_IMPL_INSPECT_IPP
