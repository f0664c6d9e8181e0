// vitte/loader/module.hpp - what a module is: identity, exports, imports,
// dependencies, where it came from.
//
// A module_info is what the loader knows about a plugin *before* running any
// of its code: read_plugin_file() (vitte/loader/inspect.hpp) fills one from
// the file's metadata section, and read_container_file()
// (vitte/loader/container.hpp) from a .vitmod / .vitbc container's manifest.
//
//   auto info = vitte::loader::read_plugin_file("plugins/libgreeter.so").value();
//   std::printf("%s %s (%s)\n", info.id.name.c_str(), info.id.version.c_str(),
//               vitte::loader::to_string(info.id.architecture).data());
//   for (const auto& e : info.exports) std::printf("  %s v%u\n", e.name.c_str(), e.version);
//
// Everything here is a plain value: copyable, no OS, no loading.
#ifndef VITTE_LOADER_MODULE_HPP
#define VITTE_LOADER_MODULE_HPP

#include <vitte/base.hpp>
#include <vitte/loader/plugin.h>           // the numeric codes shared with plugins
#include <vitte/machine/architecture.hpp>  // architecture, byte_order

#include <cstdint>  // fixed-width fields

namespace vitte::loader {

// Architectures and byte orders belong to vitte/machine; the loader speaks of them by these names.
using machine::architecture;
using machine::byte_order;
using machine::host_architecture;
using machine::host_byte_order;
using machine::to_string;

/// The container a module's code comes in.
enum class module_format : std::uint8_t {
  unknown,
  elf,     ///< ELF shared object (Linux, BSD).
  pe,      ///< PE/COFF DLL (Windows).
  macho,   ///< Mach-O dylib or bundle, thin or fat (Darwin).
  vitmod,  ///< A .vitmod / .vitbc container, run by an executor (vitte/loader/executor.hpp).
  wasm,    ///< A .wasm module, run by the executor of payload_kind::wasm (vitte/loader/wasm_executor.hpp).
};

constexpr text_view to_string(module_format f) noexcept {
  switch (f) {
    case module_format::unknown:
      return "unknown";
    case module_format::elf:
      return "ELF";
    case module_format::pe:
      return "PE";
    case module_format::macho:
      return "Mach-O";
    case module_format::vitmod:
      return "vitmod";
    case module_format::wasm:
      return "wasm";
  }
  return "unknown";
}

/// What an export or import is.
/// What runs native ELF plugins (loader_options::native).
enum class native_backend_choice : std::uint8_t {
  automatic,  ///< The OS loader (dlopen) where the build has one; in-memory images in a static build.
  os,         ///< The OS loader: dlopen, LoadLibrary.
  image,      ///< vitte's in-memory ELF loader (vitte/loader/elf_image/image.hpp), from the file's bytes.
};

enum class export_kind : std::uint8_t {
  function = VITTE_EXPORT_FUNCTION,  ///< Code, called through a function pointer.
  object = VITTE_EXPORT_OBJECT,      ///< Data, reached through a pointer.
};

constexpr text_view to_string(export_kind k) noexcept { return k == export_kind::function ? "function" : "object"; }

/// Who a module is. `content_hash` identifies the exact bytes of the file
/// (vitte's 64-bit content hash); `build_id` is the toolchain's build id
/// (ELF NT_GNU_BUILD_ID) when the file has one, else empty.
struct module_identity {
  text name;                                  ///< The plugin's declared name.
  text version;                               ///< Semantic version text ("1.2.0").
  std::uint16_t abi_major = 0;                ///< Plugin ABI (VITTE_PLUGIN_ABI_MAJOR it was built with).
  std::uint16_t abi_minor = 0;                ///< Plugin ABI minor.
  architecture arch = architecture::unknown;  ///< From the container (ELF e_machine, PE Machine).
  byte_order order = byte_order::little;      ///< From the container.
  bool debug = false;                         ///< Built as a debug build.
  bool unload_safe = false;                   ///< Declares it may be unmapped.
  bool has_state = false;                     ///< Has save/restore state hooks (hot reload).
  std::uint64_t content_hash = 0;             ///< Hash of the file's bytes.
  text build_id;                              ///< Hex build id, or empty.
};

/// One symbol a module offers.
struct export_info {
  text name;
  export_kind kind = export_kind::function;
  std::uint32_t version = 1;    ///< Interface version of this symbol.
  std::uint64_t signature = 0;  ///< Hash of the C++ type (vitte::loader::signature_hash<T>()).
};

/// One symbol a module needs from another module (or from the host:
/// module "host").
struct import_info {
  text module;
  text name;
  export_kind kind = export_kind::function;
  std::uint32_t version = 1;
  std::uint64_t signature = 0;
};

/// Dependency flags.
enum class dependency_flags : std::uint32_t {
  none = 0,
  optional = VITTE_DEPENDENCY_OPTIONAL,  ///< Absence is not an error.
  lazy = VITTE_DEPENDENCY_LAZY,          ///< Loaded on first use, not with the module.
};
constexpr dependency_flags operator|(dependency_flags a, dependency_flags b) noexcept {
  return static_cast<dependency_flags>(static_cast<std::uint32_t>(a) | static_cast<std::uint32_t>(b));
}
constexpr bool has(dependency_flags f, dependency_flags bit) noexcept {
  return (static_cast<std::uint32_t>(f) & static_cast<std::uint32_t>(bit)) == static_cast<std::uint32_t>(bit);
}

/// A module another module needs: its name and the versions that will do.
struct dependency_info {
  text name;
  text range;  ///< Semantic version range ("^1.2", ">=1.0.0 <2.0.0", "*").
  dependency_flags flags = dependency_flags::none;
  bool optional() const noexcept { return has(flags, dependency_flags::optional); }
  bool lazy() const noexcept { return has(flags, dependency_flags::lazy); }
};

/// What the loader found of a container's signature (native plugins: not_checked).
enum class signature_state : std::uint8_t {
  not_checked,  ///< verify_policy::off, or a native plugin.
  verified,     ///< A key of the trust store verified it.
  failed,       ///< Checked under verify_policy::warn and not verified (loaded anyway).
};

constexpr text_view to_string(signature_state s) noexcept {
  switch (s) {
    case signature_state::not_checked:
      return "not checked";
    case signature_state::verified:
      return "verified";
    case signature_state::failed:
      return "failed";
  }
  return "unknown";
}

/// Where a module came from: its file and that file's identity.
struct module_source {
  text path;  ///< As found (search path + file name) or as given.
  module_format format = module_format::unknown;
  std::uint64_t device = 0;  ///< File identity (with inode).
  std::uint64_t inode = 0;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::uint64_t metadata_hash = 0;  ///< Content hash of the metadata section's bytes.
  /// Containers: the payload kind (vitte::loader::payload_kind: 1 bytecode,
  /// 2 native, 3 wasm); 0 for native plugins.
  std::uint32_t payload_kind = 0;
  /// Containers, once loaded: whether a trusted key verified the signature.
  signature_state signature = signature_state::not_checked;
  text signer;  ///< Containers: name of the trusted key that verified it.
  /// Containers: the key id in the signature block, as read (empty when
  /// unsigned). Not verified: that takes the loader (see signature).
  buffer<std::uint8_t> signing_key{};
};

/// Everything known about a module without running it.
struct module_info {
  module_identity id;
  buffer<export_info> exports;
  buffer<import_info> imports;
  buffer<dependency_info> dependencies;
  module_source source;

  /// The export called `name` (any version when version is 0), or nullptr.
  const export_info* find_export(text_view name, std::uint32_t version = 0) const noexcept {
    for (const export_info& e : exports)
      if (e.name == name && (version == 0 || e.version == version)) return &e;
    return nullptr;
  }
};

}  // namespace vitte::loader

#endif  // VITTE_LOADER_MODULE_HPP
