// vitte/loader/inspect.hpp - reading a plugin's metadata without loading it.
//
//   namespace vl = vitte::loader;
//   vitte::diagnostic why;
//   auto info = vl::read_plugin_file("plugins/libcalc.so", &why);
//   if (!info) { std::puts(why.format().c_str()); return; }
//   // "plugins/libcalc.so: at offset 0x3054: .vitte_plugin: record size out of bounds"
//   vitte::diagnostic_list problems;
//   if (auto ok = vl::check_compatible(*info, &problems); !ok) { ... }   // arch, byte order, ABI
//   for (const auto& e : info->exports) std::printf("%s v%u\n", e.name.c_str(), e.version);
//
// The file is read and parsed as ELF or PE (vitte/loader/elf.hpp, pe.hpp);
// the metadata section (docs/formats/vitplug.md) is decoded with every
// offset and size checked. No byte of the plugin is executed and the OS
// loader is never called: a plugin for another architecture, a truncated
// file or a corrupted one is refused here with a vitte::diagnostic naming
// the problem, its offset in the file and the section concerned. Errors (module_read): exec_format (not ELF/PE, or
// another architecture), malformed, unexpected_eof, version_mismatch (format or ABI), not_found (no metadata section:
// not a vitte plugin), and the file system's errors (open, map_file).
#ifndef VITTE_LOADER_INSPECT_HPP
#define VITTE_LOADER_INSPECT_HPP

#include <vitte/base.hpp>
#include <vitte/base/detail/byte_view.hpp>
#include <vitte/base/detail/endian.hpp>  // magic numbers
#include <vitte/base/detail/hash.hpp>
#include <vitte/base/detail/hex.hpp>  // build ids
#include <vitte/loader/diagnostics.hpp>
#include <vitte/loader/elf.hpp>
#include <vitte/loader/macho.hpp>
#include <vitte/loader/module.hpp>
#include <vitte/loader/operations.hpp>
#include <vitte/loader/pe.hpp>
#include <vitte/sys/file.hpp>
#include <vitte/sys/path.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::loader {

/// The container format of `bytes`, from its magic number.
VITTE_DECL module_format detect_format(span<const std::byte> bytes) noexcept;

/// Decodes a metadata section (the bytes of ".vitte_plugin" / ".vitplug")
/// into `out` (identity fields and the three lists; container fields are
/// left alone). `big_endian` is the file's byte order. The header's
/// architecture is stored in out.id.arch. Errors (module_read): malformed,
/// unexpected_eof, version_mismatch (unknown format version); `why` gets
/// the kind, the offset in the section and the problem.
VITTE_DECL status decode_metadata(span<const std::byte> section, bool big_endian, module_info& out,
                                  vitte::diagnostic* why = nullptr) noexcept;

/// Reads the metadata of the plugin whose whole file is `file`: container,
/// section, records, content hash, build id. Errors: see the header; `why`
/// gets the kind, the file offset, the problem and the section concerned
/// as its subject (".vitte_plugin", "section 3").
VITTE_DECL result<module_info> read_plugin(span<const std::byte> file, vitte::diagnostic* why = nullptr);

/// Reads the metadata of the plugin at `path` (read into memory, never
/// loaded), and fills info.source with the path and the file's identity.
/// On error, `why` names the file (its subject), the problem, its offset
/// and the section concerned.
template <class P = sys::platform>
result<module_info> read_plugin_file(const text& path, vitte::diagnostic* why = nullptr);

/// Whether this program can load the module: same architecture and byte
/// order, same ABI major version and a minor version no newer than ours,
/// this OS's container format. Errors (module_load): exec_format,
/// version_mismatch; `diag` gets which and why, about the module.
VITTE_DECL status check_compatible(const module_info& info, diagnostic_list* diag = nullptr);

// ---------------------------------------------------------------------------

namespace detail {

// A module file opened for reading, with its status.
template <class P>
struct opened_module_file {
  sys::basic_file<P> file;
  sys::file_status status;
};

// Records "<what>: <error>" about `path` in why (when not null) and returns e.
VITTE_DECL error module_file_error(vitte::diagnostic* why, const text& path, const char* what, error e) noexcept;

// Opens `path` for reading and checks it is a regular file; what failed
// goes to why. What plugin and container readers share.
template <class P>
result<opened_module_file<P>> open_module_file(const text& path, vitte::diagnostic* why) {
  result<sys::basic_file<P>> f = sys::basic_file<P>::open(path.c_str(), sys::open_mode::read);
  if (!f) return module_file_error(why, path, "cannot open", f.error());
  result<sys::file_status> st = f->stat();
  if (!st) return module_file_error(why, path, "cannot stat", st.error());
  if (st->type != sys::file_type::regular) {
    const error e = refuse(why, errc::invalid_argument, vitte::diagnostic::no_offset, "not a regular file");
    if (why != nullptr) why->about(path);
    return e;
  }
  return opened_module_file<P>{static_cast<sys::basic_file<P>&&>(*f), *st};
}

}  // namespace detail

template <class P>
result<module_info> read_plugin_file(const text& path, vitte::diagnostic* why) {
  auto fail = [&](error e, const char* what) { return detail::module_file_error(why, path, what, e); };
  result<detail::opened_module_file<P>> opened = detail::open_module_file<P>(path, why);
  if (!opened) return opened.error();
  sys::basic_file<P>* f = &opened->file;
  const sys::file_status* st = &opened->status;
  // Read, not mapped: the whole file is hashed, and reading it in one go
  // costs less than a page fault per page; a file that shrinks meanwhile
  // is a short read, not a fault.
  struct buffer {  // not zero-filled: read() writes every byte used
    std::byte* p;
    ~buffer() { delete[] p; }
  } bytes{new std::byte[static_cast<std::size_t>(st->size) + 1]};
  result<std::size_t> n = f->read(span<std::byte>(bytes.p, static_cast<std::size_t>(st->size)));
  if (!n) return fail(n.error(), "cannot read");
  result<module_info> info = read_plugin(span<const std::byte>(bytes.p, *n), why);
  if (!info) {
    if (why != nullptr) detail::name_file(*why, path);
    return info.error();
  }
  info->source.path = path;
  info->source.device = st->device;
  info->source.inode = st->inode;
  info->source.size = st->size;
  info->source.mtime_ns = st->mtime_ns;
  return info;
}

}  // namespace vitte::loader

#if VITTE_HEADER_ONLY
#include <vitte/loader/impl/inspect.ipp>
#endif

#endif  // VITTE_LOADER_INSPECT_HPP
