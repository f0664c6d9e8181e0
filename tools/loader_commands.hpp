// The native-plugin subcommands of the vitte tool (tools/vitte.cpp):
//
//   vitte modules [-p DIR]...            plugins in the search paths: versions, dependencies
//   vitte load <module|file> [-p DIR]... load and resolve, print the load order and bindings
//   vitte unload <module> [-p DIR]...    load, then release: print the unload order
//   vitte inspect <plugin file>          metadata, exports, imports, without loading
//
// Search paths are the -p directories, then those of VITTE_PLUGIN_PATH (the
// tool opts in to the environment; the library never reads it on its own).
// The tool offers one host symbol to plugins: add(int, int), module "host".
// Containers (.vitmod, .vitbc) are loaded with the trusted keys and policy
// given (--trust, --policy: tools/vitte.cpp). The tool registers the
// built-in WebAssembly executor (vitte/loader/wasm_executor.hpp), so .wasm
// modules and wasm containers load; for other payload kinds, loading says
// which kind lacks an executor (a host program registers its own:
// vitte/loader/executor.hpp).
#ifndef VITTE_TOOLS_LOADER_COMMANDS_HPP
#define VITTE_TOOLS_LOADER_COMMANDS_HPP

#include <vitte/loader/inspect.hpp>
#include <vitte/loader/loader.hpp>
#include <vitte/loader/wasm_executor.hpp>

#include <cinttypes>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace loader_commands {

namespace vl = vitte::loader;
using args = std::vector<std::string_view>;

inline int host_add(int a, int b) { return a + b; }

// -p DIR options out of `a`; the rest stays in `positional`.
inline vl::search_options search_from(const args& a, std::vector<std::string_view>& positional) {
  vl::search_options o;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] == "-p" && i + 1 < a.size())
      o.paths.emplace_back(a[++i]);
    else
      positional.push_back(a[i]);
  }
  o.environment_variable = "VITTE_PLUGIN_PATH";
  return o;
}

inline void print_list(const char* label, const std::vector<std::string>& lines) {
  for (const std::string& l : lines) std::printf("%-12s%s\n", label, l.c_str());
}

inline std::string dependency_text(const vl::dependency_info& d) {
  std::string s = d.name + " " + d.range;
  if (d.optional()) s += " (optional)";
  if (d.lazy()) s += " (lazy)";
  return s;
}

inline int fail_with(const char* what, const vl::diagnostics& why, vitte::error e) {
  std::fprintf(stderr, "vitte: %s: %s\n", what, e.message().c_str());
  for (const std::string& l : why.lines()) std::fprintf(stderr, "  %s\n", l.c_str());
  return 1;
}

/// vitte modules
inline int modules(const args& a) {
  std::vector<std::string_view> rest;
  vl::search_options o = search_from(a, rest);
  if (!rest.empty()) return 2;
  vl::resolver r(o);
  vl::diagnostics why;
  (void)r.scan(&why);
  for (const vl::module_info& m : r.modules()) {
    std::printf("%-16s %-10s %s\n", m.id.name.c_str(), m.id.version.c_str(), m.source.path.c_str());
    for (const vl::dependency_info& d : m.dependencies) std::printf("    needs %s\n", dependency_text(d).c_str());
  }
  for (const std::string& s : r.rejected()) std::printf("set aside: %s\n", s.c_str());
  if (r.modules().empty()) std::printf("no plugins in the search paths\n");
  return 0;
}

/// vitte inspect <plugin>: true when `path` is a native plugin file (ELF,
/// PE, Mach-O) and was handled; rc receives the exit status.
inline bool inspect(std::string_view path, int& rc) {
  auto head = vitte::sys::read_file(std::string(path));
  if (!head) return false;
  const vl::module_format format = vl::detect_format(std::span<const std::byte>(head->data(), head->size()));
  if (format == vl::module_format::unknown || format == vl::module_format::vitmod) return false;
  vl::diagnostics why;
  auto info = vl::read_plugin_file(std::string(path), &why);
  if (!info) {
    rc = fail_with("inspect", why, info.error());
    return true;
  }
  const vl::module_info& m = *info;
  std::printf("format      %s plugin, %" PRIu64 " bytes, content hash %016" PRIx64 "\n",
              std::string(to_string(m.source.format)).c_str(), m.source.size, m.id.content_hash);
  std::printf("module      %s %s\n", m.id.name.c_str(), m.id.version.c_str());
  std::printf("abi         %u.%u, %s, %s%s%s\n", m.id.abi_major, m.id.abi_minor,
              std::string(to_string(m.id.arch)).c_str(), m.id.debug ? "debug" : "release",
              m.id.unload_safe ? ", unload-safe" : "", m.id.has_state ? ", state hooks" : "");
  if (!m.id.build_id.empty()) std::printf("build id    %s\n", m.id.build_id.c_str());
  for (const vl::dependency_info& d : m.dependencies) std::printf("depends     %s\n", dependency_text(d).c_str());
  for (const vl::export_info& e : m.exports)
    std::printf("export      %-24s %-8s v%u  signature %016" PRIx64 "\n", e.name.c_str(),
                std::string(to_string(e.kind)).c_str(), e.version, e.signature);
  for (const vl::import_info& i : m.imports)
    std::printf("import      %-24s %-8s v%u  signature %016" PRIx64 "\n", (i.module + "." + i.name).c_str(),
                std::string(to_string(i.kind)).c_str(), i.version, i.signature);
  vl::diagnostics compat;
  std::printf("loadable    %s\n", vl::check_compatible(m, &compat) ? "yes" : ("no: " + compat.str()).c_str());
  rc = 0;
  return true;
}

/// What `vitte load` and `vitte unload` do with containers' signatures.
struct container_options {
  vl::trust_store trust;
  vl::verify_policy verify = vl::verify_policy::require;
};

// Loads <module|file> and prints the order and every import's binding.
inline int load_and_print(vl::loader& l, std::string_view what, vl::module& out) {
  vl::diagnostics why;
  const bool is_file = what.find('/') != std::string_view::npos || what.find('\\') != std::string_view::npos ||
                       vl::has_plugin_suffix(what);
  auto m = is_file ? l.load_file(std::string(what), &why) : l.load(what, &why);
  if (!m) return fail_with("load", why, m.error());
  for (const vl::module& mod : l.modules()) {
    const vl::module_info& info = mod.info();
    std::printf("loaded      %s %s  (%s)\n", info.id.name.c_str(), info.id.version.c_str(), info.source.path.c_str());
    if (info.source.format == vl::module_format::vitmod || info.source.format == vl::module_format::wasm) {
      std::printf("  payload   %s, signature %s%s%s\n",
                  std::string(to_string(static_cast<vl::payload_kind>(info.source.payload_kind))).c_str(),
                  std::string(to_string(info.source.signature)).c_str(), info.source.signer.empty() ? "" : ", key ",
                  info.source.signer.c_str());
      for (const vl::import_info& imp : info.imports)
        std::printf("  bind      %s.%s -> (the executor's)\n", imp.module.c_str(), imp.name.c_str());
      continue;
    }
    const vitte_plugin_descriptor& d = mod.descriptor();
    for (std::size_t i = 0; i < info.imports.size(); ++i) {
      const vl::import_info& imp = info.imports[i];
      void* at = d.import_slots != nullptr && d.import_slots[i] != nullptr ? *d.import_slots[i] : nullptr;
      std::printf("  bind      %s.%s v%u -> %p%s\n", imp.module.c_str(), imp.name.c_str(), imp.version, at,
                  at == nullptr ? " (lazy: bound on first use)" : "");
    }
  }
  out = *m;
  return 0;
}

/// vitte load
inline int load(const args& a, container_options c = {}) {
  std::vector<std::string_view> rest;
  vl::search_options o = search_from(a, rest);
  if (rest.size() != 1) return 2;
  vl::wasm_executor wasm;  // outlives l
  vl::loader l({.search = o, .trust = static_cast<vl::trust_store&&>(c.trust), .verify = c.verify});
  (void)l.export_symbol<int(int, int)>("add", &host_add);
  (void)l.register_executor(vl::payload_kind::wasm, wasm);
  vl::module m;
  return load_and_print(l, rest[0], m);
}

/// vitte unload
inline int unload(const args& a, container_options c = {}) {
  std::vector<std::string_view> rest;
  vl::search_options o = search_from(a, rest);
  if (rest.size() != 1) return 2;
  auto print = [](void*, const vl::module_info& info, bool unmapped) {
    std::printf("%-12s%s %s\n", unmapped ? "unloaded" : "retired", info.id.name.c_str(), info.id.version.c_str());
  };
  vl::wasm_executor wasm;  // outlives l
  vl::loader l({.search = o, .on_unload = print, .trust = static_cast<vl::trust_store&&>(c.trust), .verify = c.verify});
  (void)l.export_symbol<int(int, int)>("add", &host_add);
  (void)l.register_executor(vl::payload_kind::wasm, wasm);
  vl::module m;
  if (int rc = load_and_print(l, rest[0], m); rc != 0) return rc;
  m.reset();  // the last reference: unloads, dependents first
  return 0;
}

}  // namespace loader_commands

#endif  // VITTE_TOOLS_LOADER_COMMANDS_HPP
