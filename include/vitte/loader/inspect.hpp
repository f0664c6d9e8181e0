// vitte/loader/inspect.hpp - reading a plugin's metadata without loading it.
//
//   namespace vl = vitte::loader;
//   vl::diagnostics why;
//   auto info = vl::read_plugin_file("plugins/libcalc.so", &why);
//   if (!info) { std::fprintf(stderr, "%s\n", why.str().c_str()); return; }
//   if (auto ok = vl::check_compatible(*info, &why); !ok) { ... }   // arch, byte order, ABI
//   for (const auto& e : info->exports) std::printf("%s v%u\n", e.name.c_str(), e.version);
//
// The file is read and parsed as ELF or PE (vitte/loader/elf.hpp, pe.hpp);
// the metadata section (docs/formats/vitplug.md) is decoded with every
// offset and size checked. No byte of the plugin is executed and the OS
// loader is never called: a plugin for another architecture, a truncated
// file or a corrupted one is refused here with a message naming the
// problem. Errors (module_read): exec_format (not ELF/PE, or another
// architecture), malformed, unexpected_eof, version_mismatch (format or
// ABI), not_found (no metadata section: not a vitte plugin), and the file
// system's errors (open, map_file).
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
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vitte::loader {

/// The container format of `bytes`, from its magic number.
VITTE_DECL module_format detect_format(std::span<const std::byte> bytes) noexcept;

/// Decodes a metadata section (the bytes of ".vitte_plugin" / ".vitplug")
/// into `out` (identity fields and the three lists; container fields are
/// left alone). `big_endian` is the file's byte order. The header's
/// architecture is stored in out.id.arch. Errors (module_read): malformed,
/// unexpected_eof, version_mismatch (unknown format version).
VITTE_DECL status decode_metadata(std::span<const std::byte> section, bool big_endian, module_info& out,
                                  parse_problem* why = nullptr) noexcept;

/// Reads the metadata of the plugin whose whole file is `file`: container,
/// section, records, content hash, build id. Errors: see the header.
VITTE_DECL result<module_info> read_plugin(std::span<const std::byte> file, parse_problem* why = nullptr);

/// Reads the metadata of the plugin at `path` (read into memory, never
/// loaded), and fills info.source with the path and the file's identity.
/// On error, `diag` gets one line naming the file, the problem and its
/// offset.
template <class P = sys::platform>
result<module_info> read_plugin_file(const std::string& path, diagnostics* diag = nullptr);

/// Whether this program can load the module: same architecture and byte
/// order, same ABI major version and a minor version no newer than ours,
/// this OS's container format. Errors (module_load): exec_format,
/// version_mismatch; `diag` says which and why.
VITTE_DECL status check_compatible(const module_info& info, diagnostics* diag = nullptr);

// ---------------------------------------------------------------------------

namespace detail {

// A module file opened for reading, with its status.
template <class P>
struct opened_module_file {
  sys::basic_file<P> file;
  sys::file_status status;
};

// Notes "<path>: <what>: <error>" in diag and returns e.
VITTE_DECL error module_file_error(diagnostics* diag, const std::string& path, const char* what, error e);

// Opens `path` for reading and checks it is a regular file; what failed
// goes to diag. What plugin and container readers share.
template <class P>
result<opened_module_file<P>> open_module_file(const std::string& path, diagnostics* diag) {
  result<sys::basic_file<P>> f = sys::basic_file<P>::open(path.c_str(), sys::open_mode::read);
  if (!f) return module_file_error(diag, path, "cannot open", f.error());
  result<sys::file_status> st = f->stat();
  if (!st) return module_file_error(diag, path, "cannot stat", st.error());
  if (st->type != sys::file_type::regular)
    return module_file_error(diag, path, "not a regular file", error{errc::invalid_argument, ops::module_read});
  return opened_module_file<P>{static_cast<sys::basic_file<P>&&>(*f), *st};
}

}  // namespace detail

template <class P>
result<module_info> read_plugin_file(const std::string& path, diagnostics* diag) {
  auto fail = [&](error e, const char* what) { return detail::module_file_error(diag, path, what, e); };
  result<detail::opened_module_file<P>> opened = detail::open_module_file<P>(path, diag);
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
  result<std::size_t> n = f->read(std::span<std::byte>(bytes.p, static_cast<std::size_t>(st->size)));
  if (!n) return fail(n.error(), "cannot read");
  parse_problem why;
  result<module_info> info = read_plugin(std::span<const std::byte>(bytes.p, *n), &why);
  if (!info) {
    if (diag != nullptr) diag->add(path, why);
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
