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

#include "cli.hpp"

namespace loader_commands {

namespace vl = vitte::loader;

inline int host_add(int a, int b) { return a + b; }

// The search paths: the -p directories, then VITTE_PLUGIN_PATH's.
inline vl::search_options search_from(const cli::parsed& p) {
  vl::search_options o;
  for (std::string_view dir : p.all("-p")) o.paths.emplace_back(dir);
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

// The error through the one model (cli::fail), then the loader's entries.
inline int fail_with(const cli::context& c, const char* what, const vitte::diagnostic_list& why, vitte::error e) {
  cli::fail(c, what, {}, e);
  for (const vitte::diagnostic& d : why.items()) std::fprintf(stderr, "  %s\n", d.format().c_str());
  return 1;
}

inline void dependency_json(cli::json& j, const vl::dependency_info& d) {
  j.begin_object().field("name", d.name).field("range", d.range).field("optional", d.optional());
  j.field("lazy", d.lazy()).end_object();
}

/// vitte modules
inline int modules(const cli::parsed& p, const cli::context& c) {
  vl::search_options o = search_from(p);
  if (!p.operands.empty()) return cli::usage_error(c, "modules", "no operand expected");
  vl::resolver r(o);
  vitte::diagnostic_list why;
  (void)r.scan(&why);
  if (c.json) {
    cli::json j;
    j.schema("modules").key("modules").begin_array();
    for (const vl::module_info& m : r.modules()) {
      j.begin_object().field("name", m.id.name).field("version", m.id.version).field("path", m.source.path);
      j.key("dependencies").begin_array();
      for (const vl::dependency_info& d : m.dependencies) dependency_json(j, d);
      j.end_array().end_object();
    }
    j.end_array().key("rejected").begin_array();
    for (const vitte::diagnostic& d : r.rejected().items()) {
      const vitte::diagnostic_line line = d.format();
      j.value(line.view());
    }
    j.end_array().end_object().print();
    return 0;
  }
  for (const vl::module_info& m : r.modules()) {
    std::printf("%-16s %-10s %s\n", m.id.name.c_str(), m.id.version.c_str(), m.source.path.c_str());
    for (const vl::dependency_info& d : m.dependencies) std::printf("    needs %s\n", dependency_text(d).c_str());
  }
  for (const vitte::diagnostic& d : r.rejected().items()) std::printf("set aside: %s\n", d.format().c_str());
  if (r.modules().empty()) std::printf("no plugins in the search paths\n");
  return 0;
}

// Identifiers for JSON (the enumerations' names in the schemas).
inline const char* format_id(vl::module_format f) {
  switch (f) {
    case vl::module_format::unknown:
      return "unknown";
    case vl::module_format::elf:
      return "elf";
    case vl::module_format::pe:
      return "pe";
    case vl::module_format::macho:
      return "macho";
    case vl::module_format::vitmod:
      return "vitmod";
    case vl::module_format::wasm:
      return "wasm";
  }
  return "unknown";
}
inline const char* signature_id(vl::signature_state s) {
  return s == vl::signature_state::verified ? "verified" : s == vl::signature_state::failed ? "failed" : "not_checked";
}

inline std::string hex64(std::uint64_t v) {
  char b[17];
  std::snprintf(b, sizeof b, "%016" PRIx64, v);
  return b;
}

inline void inspect_json(std::string_view path, const vl::module_info& m, bool loadable, const std::string& why_not) {
  cli::json j;
  j.schema("inspect").field("file", path).field("format", format_id(m.source.format)).field("size", m.source.size);
  j.key("module").begin_object().field("name", m.id.name).field("version", m.id.version).end_object();
  j.key("plugin").begin_object().field("content_hash", hex64(m.id.content_hash));
  j.field("abi", std::to_string(m.id.abi_major) + "." + std::to_string(m.id.abi_minor));
  j.field("arch", to_string(m.id.arch)).field("debug", m.id.debug).field("unload_safe", m.id.unload_safe);
  j.field("state_hooks", m.id.has_state).field("build_id", m.id.build_id).field("loadable", loadable);
  j.key("not_loadable_because");
  if (loadable)
    j.null();
  else
    j.value(why_not);
  j.end_object().key("dependencies").begin_array();
  for (const vl::dependency_info& d : m.dependencies) dependency_json(j, d);
  j.end_array().key("exports").begin_array();
  for (const vl::export_info& e : m.exports)
    j.begin_object()
        .field("name", e.name)
        .field("kind", to_string(e.kind))
        .field("version", e.version)
        .field("signature", hex64(e.signature))
        .end_object();
  j.end_array().key("imports").begin_array();
  for (const vl::import_info& i : m.imports)
    j.begin_object()
        .field("module", i.module)
        .field("name", i.name)
        .field("kind", to_string(i.kind))
        .field("version", i.version)
        .field("signature", hex64(i.signature))
        .end_object();
  j.end_array().end_object().print();
}

/// vitte inspect <plugin>: true when `path` is a native plugin file (ELF,
/// PE, Mach-O) and was handled; rc receives the exit status.
inline bool inspect(std::string_view path, int& rc, const cli::context& c) {
  auto head = vitte::sys::read_file(std::string(path));
  if (!head) return false;
  const vl::module_format format = vl::detect_format(std::span<const std::byte>(head->data(), head->size()));
  if (format == vl::module_format::unknown || format == vl::module_format::vitmod || format == vl::module_format::wasm)
    return false;
  vitte::diagnostic why;
  auto info = vl::read_plugin_file(std::string(path), &why);
  if (!info) {
    rc = cli::fail(c, "inspect", why);
    return true;
  }
  const vl::module_info& m = *info;
  vitte::diagnostic_list compat;
  const bool loadable = vl::check_compatible(m, &compat).has_value();
  const std::string why_not = compat.empty() ? std::string() : std::string(compat.back().message());
  rc = 0;
  if (c.json) return inspect_json(path, m, loadable, why_not), true;
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
  std::printf("loadable    %s\n", loadable ? "yes" : ("no: " + why_not).c_str());
  return true;
}

/// What `vitte load` and `vitte unload` do with containers' signatures.
struct container_options {
  vl::trust_store trust;
  vl::verify_policy verify = vl::verify_policy::require;
  vl::native_backend_choice native = vl::native_backend_choice::automatic;  // --backend
};

// A container or a .wasm module: run by an executor, which binds its imports.
inline bool run_by_executor(const vl::module_info& info) {
  return info.source.format == vl::module_format::vitmod || info.source.format == vl::module_format::wasm;
}
// Where native import `i` of `mod` is bound; nullptr until its first use (lazy).
inline void* bound_address(const vl::module& mod, std::size_t i) {
  const vitte_plugin_descriptor& d = mod.descriptor();
  return d.import_slots != nullptr && d.import_slots[i] != nullptr ? *d.import_slots[i] : nullptr;
}

// The modules `l` holds, as JSON: identity, where from, and every import's binding.
inline void loaded_json(cli::json& j, vl::loader& l) {
  j.key("loaded").begin_array();
  for (const vl::module& mod : l.modules()) {
    const vl::module_info& info = mod.info();
    j.begin_object().field("name", info.id.name).field("version", info.id.version).field("path", info.source.path);
    j.field("format", format_id(info.source.format));
    const bool foreign = run_by_executor(info);
    j.key("payload");
    if (foreign)
      j.value(to_string(static_cast<vl::payload_kind>(info.source.payload_kind)));
    else
      j.null();
    j.field("signature", signature_id(info.source.signature)).field("signer", info.source.signer);
    j.key("bindings").begin_array();
    for (std::size_t i = 0; i < info.imports.size(); ++i) {
      const vl::import_info& imp = info.imports[i];
      void* at = foreign ? nullptr : bound_address(mod, i);
      j.begin_object().field("module", imp.module).field("name", imp.name).field("version", imp.version);
      j.field("bound_by", foreign ? "executor" : at != nullptr ? "loader" : "first use").end_object();
    }
    j.end_array().end_object();
  }
  j.end_array();
}

// Loads <module|file>; prints the order and every import's binding (as
// text, or JSON into `j` when given).
inline int load_and_print(const cli::context& c, vl::loader& l, std::string_view what, vl::module& out, cli::json* j) {
  vitte::diagnostic_list why;
  const bool is_file = what.find('/') != std::string_view::npos || what.find('\\') != std::string_view::npos ||
                       vl::has_plugin_suffix(what);
  auto m = is_file ? l.load_file(std::string(what), &why) : l.load(what, &why);
  if (!m) return fail_with(c, "load", why, m.error());
  out = *m;
  if (j != nullptr) return loaded_json(*j, l), 0;
  for (const vl::module& mod : l.modules()) {
    const vl::module_info& info = mod.info();
    std::printf("loaded      %s %s  (%s)\n", info.id.name.c_str(), info.id.version.c_str(), info.source.path.c_str());
    if (run_by_executor(info)) {
      std::printf("  payload   %s, signature %s%s%s\n",
                  std::string(to_string(static_cast<vl::payload_kind>(info.source.payload_kind))).c_str(),
                  std::string(to_string(info.source.signature)).c_str(), info.source.signer.empty() ? "" : ", key ",
                  info.source.signer.c_str());
      for (const vl::import_info& imp : info.imports)
        std::printf("  bind      %s.%s -> (the executor's)\n", imp.module.c_str(), imp.name.c_str());
      continue;
    }
    for (std::size_t i = 0; i < info.imports.size(); ++i) {
      const vl::import_info& imp = info.imports[i];
      void* at = bound_address(mod, i);
      std::printf("  bind      %s.%s v%u -> %p%s\n", imp.module.c_str(), imp.name.c_str(), imp.version, at,
                  at == nullptr ? " (lazy: bound on first use)" : "");
    }
  }
  return 0;
}

/// vitte load
inline int load(const cli::parsed& p, const cli::context& c, container_options co) {
  vl::search_options o = search_from(p);
  if (p.operands.size() != 1) return cli::usage_error(c, "load", "one module or file to load");
  vl::wasm_executor wasm;  // outlives l
  vl::loader l(
      {.search = o, .trust = static_cast<vl::trust_store&&>(co.trust), .verify = co.verify, .native = co.native});
  (void)l.export_symbol<int(int, int)>("add", &host_add);
  (void)l.register_executor(vl::payload_kind::wasm, wasm);
  vl::module m;
  cli::json j;
  if (c.json) j.schema("load");
  if (int rc = load_and_print(c, l, p.operands[0], m, c.json ? &j : nullptr); rc != 0) return rc;
  if (c.json) j.end_object().print();
  return 0;
}

/// vitte unload
inline int unload(const cli::parsed& p, const cli::context& c, container_options co) {
  vl::search_options o = search_from(p);
  if (p.operands.size() != 1) return cli::usage_error(c, "unload", "one module to load and unload");
  struct events {
    bool json;
    struct unloaded {
      std::string name, version;
      bool unmapped;
    };
    std::vector<unloaded> unloaded;
  } ev{c.json, {}};
  auto record = [](void* self, const vl::module_info& info, bool unmapped) {
    auto& e = *static_cast<events*>(self);
    if (e.json) return e.unloaded.push_back({info.id.name, info.id.version, unmapped}), void();
    std::printf("%-12s%s %s\n", unmapped ? "unloaded" : "retired", info.id.name.c_str(), info.id.version.c_str());
  };
  vl::wasm_executor wasm;  // outlives l
  vl::loader l({.search = o,
                .on_unload = record,
                .on_unload_context = &ev,
                .trust = static_cast<vl::trust_store&&>(co.trust),
                .verify = co.verify,
                .native = co.native});
  (void)l.export_symbol<int(int, int)>("add", &host_add);
  (void)l.register_executor(vl::payload_kind::wasm, wasm);
  vl::module m;
  cli::json j;
  if (c.json) j.schema("unload");
  if (int rc = load_and_print(c, l, p.operands[0], m, c.json ? &j : nullptr); rc != 0) return rc;
  m.reset();  // the last reference: unloads, dependents first
  if (!c.json) return 0;
  j.key("unloaded").begin_array();
  for (const auto& u : ev.unloaded)
    j.begin_object().field("name", u.name).field("version", u.version).field("unmapped", u.unmapped).end_object();
  j.end_array().end_object().print();
  return 0;
}

}  // namespace loader_commands

#endif  // VITTE_TOOLS_LOADER_COMMANDS_HPP
