// vitte/loader/wasm_module.hpp - .wasm files as modules of the loader: what
// the loader reads of one to plan a load (without decoding its code), and
// the `vitte.module` custom section that names it.
//
//   namespace vl = vitte::loader;
//   vl::wasm_module_section s;                   // written into the module by its build
//   s.name = "calc";  s.version = "1.2.0";
//   s.dependencies.push_back({"math", "^1.0"});
//   s.exports.push_back({"checksum", "FU4U4E"});  // u32(u32): the wasm type says only i32
//   vitte::buffer<std::byte> section = vl::encode_wasm_module_section(s);   // append to the .wasm
//
//   vitte::diagnostic why;
//   auto info = vl::read_wasm_module(bytes, "calc.wasm", &why);   // module_info, format wasm
//   if (!info) std::puts(why.format().c_str());   // "vitte.module: at offset 0x2f: empty module name"
//
// A module with no `vitte.module` section is named after its file ("calc"
// for calc.wasm), at version 0.0.0, and depends (range "*") on every module
// it imports functions from, except "host" (the host's exports) and the
// WASI modules (wasi_snapshot_preview1, wasi_unstable: the executor's).
// Its function exports are the module's exports and its function imports
// its imports, typed by their wasm types: i32 as int32_t, i64 as int64_t,
// f32 as float, f64 as double, so `find<int(int)>` takes an (i32) -> i32
// export. A function with several results, or v128 or reference
// parameters, is untyped (signature 0): other wasm modules and containers
// reach it, C++ does not. The section may type an export or import more
// precisely (unsigned, narrower integers, bool) with a signature text of
// the same shape; docs/formats/wasm-module.md specifies it.
//
// Only functions cross modules: a module that imports a memory, table or
// global from a module other than the WASI ones is refused here.
// Everything else (the code, its validation) is the executor's, when the
// module loads (vitte/loader/wasm_executor.hpp).
#ifndef VITTE_LOADER_WASM_MODULE_HPP
#define VITTE_LOADER_WASM_MODULE_HPP

#include <vitte/base.hpp>
#include <vitte/base/detail/hash.hpp>  // content_hash, fnv1a
#include <vitte/loader/diagnostics.hpp>
#include <vitte/loader/module.hpp>
#include <vitte/loader/operations.hpp>
#include <vitte/loader/vitmod.hpp>  // payload_kind

#include <cstddef>
#include <cstdint>

namespace vitte::loader {

/// The `vitte.module` custom section of a .wasm module.
struct wasm_module_section {
  /// A signature text for one export or import ("FI4I4E": int(int); see
  /// VITTE_SIGNATURE in vitte/loader/plugin.h), of the same shape as its wasm type.
  struct typed {
    text name;
    text signature;
  };
  struct typed_import {
    text module;
    text name;
    text signature;
  };
  text name;
  text version = "0.0.0";
  buffer<dependency_info> dependencies;
  buffer<typed> exports;
  buffer<typed_import> imports;
};

/// The name of the custom section.
inline constexpr text_view wasm_module_section_name = "vitte.module";

namespace detail {

/// A wasm function type: its value types (wasm's encoding), params and results.
struct wasm_func_type {
  buffer<std::uint8_t> params, results;
};

// "FI4I4E" for (i32) -> i32; empty when untyped.
VITTE_DECL text wasm_signature_text(const wasm_func_type& t);

}  // namespace detail

/// Reads the `vitte.module` section's payload (after its name). False, with
/// `why` set (malformed, about "vitte.module", offsets relative to the
/// payload), when it is malformed.
VITTE_DECL bool decode_wasm_module_section(span<const std::byte> payload, wasm_module_section& out,
                                           vitte::diagnostic* why = nullptr);

/// The whole custom section (id 0, size, name, payload) for `s`, ready to
/// append to a .wasm file.
VITTE_DECL buffer<std::byte> encode_wasm_module_section(const wasm_module_section& s);

/// True for the modules whose imports the wasm executor provides itself.
inline bool is_wasi_module(text_view m) noexcept { return m == "wasi_snapshot_preview1" || m == "wasi_unstable"; }

/// Reads the module model of the .wasm file whose bytes are `file` (see the
/// header); `file_name` names it when it has no vitte.module section. Only
/// the type, import, function, export and custom sections are read (their
/// structure checked, with `why` giving the kind, the problem, its offset
/// and what it is about: the vitte.module section, an export, an import);
/// the code is checked when the module loads. Errors (module_read): malformed,
/// unexpected_eof, not_supported (a memory, table or global imported from
/// another module), version_mismatch (not wasm version 1).
VITTE_DECL result<module_info> read_wasm_module(span<const std::byte> file, text_view file_name,
                                                vitte::diagnostic* why = nullptr);

}  // namespace vitte::loader

#if VITTE_HEADER_ONLY
#include <vitte/loader/impl/wasm_module.ipp>
#endif

#endif  // VITTE_LOADER_WASM_MODULE_HPP
