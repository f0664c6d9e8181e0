// vitte/loader/container.hpp - .vitmod / .vitbc containers as modules: the
// manifest turned into the module model the resolver and linker use, and
// one reader for every module file (native plugin or container).
//
//   namespace vl = vitte::loader;
//   vitte::diagnostic why;
//   auto info = vl::read_module_file("mods/calc.vitbc", &why);   // or a .so / .dll / .vitplug
//   if (!info) { std::puts(why.format().c_str()); return; }
//   // "mods/calc.vitbc: at offset 0x1a4: section 2: sections overlap or are out of order"
//   std::printf("%s %s, %s\n", info->id.name.c_str(), info->id.version.c_str(),
//               vitte::text(to_string(info->source.format)).c_str());  // "calc 1.0.0, vitmod"
//
// The manifest maps onto module_info field by field: name and version;
// dependencies with their semver ranges (the `optional` flag; containers
// have no lazy dependencies); exports (function -> export_kind::function,
// data and type -> export_kind::object, a pointer to the datum or to the
// type's descriptor, as the executor defines it) with their interface
// version; imports with version 0 (the highest version the provider
// exports) and no signature hash, which the linker then does not check
// (format 1.0 manifests carry no types; the executor defines the calling
// convention of what it imports). Export signature hashes come from the
// executor when the module is instantiated (vitte/loader/executor.hpp).
//
// A container's identity (module_identity::content_hash) is the hash of its
// header and section table. The table holds the SHA-256 of every section,
// which the loader verifies (or the signature, which covers the table)
// before anything is used, so two containers with the same table have the
// same contents.
//
// Reading here checks the container's whole structure and its manifest but
// neither the section checksums nor the signature: that is what the search
// paths' scan needs to plan a load. The loader checks both, per its policy,
// on the mapping it then uses (vitte/loader/vitmod_file.hpp).
#ifndef VITTE_LOADER_CONTAINER_HPP
#define VITTE_LOADER_CONTAINER_HPP

#include <vitte/base.hpp>
#include <vitte/base/detail/hash.hpp>
#include <vitte/loader/diagnostics.hpp>
#include <vitte/loader/inspect.hpp>
#include <vitte/loader/module.hpp>
#include <vitte/loader/operations.hpp>
#include <vitte/loader/vitmod.hpp>
#include <vitte/loader/wasm_module.hpp>
#include <vitte/sys/file.hpp>
#include <vitte/sys/file_map.hpp>
#include <vitte/sys/platform.hpp>

#include <cstddef>  // std::byte
#include <cstdint>  // hashes

namespace vitte::loader {

/// "bytecode", "native", "wasm"; "unknown" for another value.
constexpr text_view to_string(payload_kind k) noexcept {
  switch (k) {
    case payload_kind::bytecode:
      return "bytecode";
    case payload_kind::native:
      return "native";
    case payload_kind::wasm:
      return "wasm";
  }
  return "unknown";
}

/// True when `file` ends in ".vitmod" or ".vitbc".
inline bool has_container_suffix(text_view file) noexcept {
  for (text_view s : {text_view(".vitmod"), text_view(".vitbc")})
    if (file.size() > s.size() && file.substr(file.size() - s.size()) == s) return true;
  return false;
}

/// The identity hash of a parsed container: its header and section table
/// (which hold every section's SHA-256). See the header.
inline std::uint64_t container_content_hash(const vitmod_view& c) noexcept {
  return vitte::detail::content_hash(
      c.bytes().first(vitmod::header_size + std::size_t{c.section_count()} * vitmod::entry_size));
}

/// The module model of a parsed container (see the header). `source.path`
/// and the file's identity are left for the caller.
VITTE_DECL module_info container_module_info(const vitmod_view& c);

/// Reads the container at `path` for planning: maps it, checks its structure
/// and manifest (not its checksums or signature: see the header) and returns
/// its module model with info.source filled. On error, `why` names the
/// file (its subject), the offset, the section and the problem. Errors
/// (module_read): those of vitmod_view::parse and of opening the file.
template <class P = sys::platform>
result<module_info> read_container_file(const text& path, vitte::diagnostic* why = nullptr) {
  auto fail = [&](error e, const char* what) { return detail::module_file_error(why, path, what, e); };
  result<detail::opened_module_file<P>> opened = detail::open_module_file<P>(path, why);
  if (!opened) return opened.error();
  sys::basic_file<P>* f = &opened->file;
  const sys::file_status* st = &opened->status;
  if (st->size < vitmod::header_size) {
    const error e =
        detail::refuse(why, errc::unexpected_eof, vitte::diagnostic::no_offset, "file too short to be a container (");
    if (why != nullptr) why->about(path).append(st->size).append(" bytes)");
    return e;
  }
  result<sys::basic_file_map<P>> map = sys::basic_file_map<P>::map(*f);
  if (!map) return fail(map.error(), "cannot map");
  vitmod_limits limits;
  limits.verify_checksums = false;  // planning only: the loader verifies what it uses
  result<vitmod_view> c = vitmod_view::parse(span<const std::byte>(map->data(), map->size()), limits, why);
  if (!c) {
    if (why != nullptr) detail::name_file(*why, path);
    return c.error();
  }
  module_info info = container_module_info(*c);
  info.source.path = path;
  info.source.device = st->device;
  info.source.inode = st->inode;
  info.source.size = st->size;
  info.source.mtime_ns = st->mtime_ns;
  return info;
}

/// Reads the .wasm module at `path` for planning (read_wasm_module,
/// vitte/loader/wasm_module.hpp) and returns its module model with
/// info.source filled. Errors (module_read): those of read_wasm_module and
/// of reading the file; `why` names the file.
template <class P = sys::platform>
result<module_info> read_wasm_file(const text& path, vitte::diagnostic* why = nullptr) {
  result<detail::opened_module_file<P>> opened = detail::open_module_file<P>(path, why);
  if (!opened) return opened.error();
  const sys::file_status& st = opened->status;
  buffer<std::byte> bytes(static_cast<std::size_t>(st.size));
  result<std::size_t> n = opened->file.read(span<std::byte>(bytes));
  if (!n) return detail::module_file_error(why, path, "cannot read", n.error());
  result<module_info> info = read_wasm_module(span<const std::byte>(bytes.data(), *n), path, why);
  if (!info) {
    if (why != nullptr) detail::name_file(*why, path);
    return info.error();
  }
  info->source.path = path;
  info->source.device = st.device;
  info->source.inode = st.inode;
  info->source.size = st.size;
  info->source.mtime_ns = st.mtime_ns;
  return info;
}

/// True when `file` ends in ".wasm".
inline bool has_wasm_suffix(text_view file) noexcept {
  return file.size() > 5 && file.substr(file.size() - 5) == ".wasm";
}

/// Reads any module file: a container (by its suffix or its magic number)
/// with read_container_file, a WebAssembly module (.wasm, or its magic)
/// with read_wasm_file, anything else with read_plugin_file
/// (vitte/loader/inspect.hpp). Errors: theirs, described in `why`.
template <class P = sys::platform>
result<module_info> read_module_file(const text& path, vitte::diagnostic* why = nullptr) {
  if (has_container_suffix(path)) return read_container_file<P>(path, why);
  if (has_wasm_suffix(path)) return read_wasm_file<P>(path, why);
  result<module_info> info = read_plugin_file<P>(path, why);
  if (!info && info.error() == errc::exec_format) {
    // Not ELF or PE: a container under another name?
    std::byte head[8] = {};
    result<sys::basic_file<P>> f = sys::basic_file<P>::open(path.c_str(), sys::open_mode::read);
    result<std::size_t> n = f ? f->read(span<std::byte>(head, sizeof head)) : result<std::size_t>(f.error());
    const module_format format = n ? detect_format(span<const std::byte>(head, *n)) : module_format::unknown;
    if (format == module_format::vitmod) return read_container_file<P>(path, why);
    if (format == module_format::wasm) return read_wasm_file<P>(path, why);
  }
  return info;
}

}  // namespace vitte::loader

#if VITTE_HEADER_ONLY
#include <vitte/loader/impl/container.ipp>
#endif

#endif  // VITTE_LOADER_CONTAINER_HPP
