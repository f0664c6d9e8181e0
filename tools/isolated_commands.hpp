// vitte load --isolate: a native plugin loaded out of process, in a
// sandboxed plugin host (vitte/loader/isolated.hpp), its exports printed as
// the host announced them, with --json the protections the sandbox applied
// (sandbox_commands' report printer). The option table is in vitte.cpp.
#ifndef VITTE_TOOLS_ISOLATED_COMMANDS_HPP
#define VITTE_TOOLS_ISOLATED_COMMANDS_HPP

#include <vitte/loader/isolated.hpp>
#include <vitte/loader/resolver.hpp>

#include <cinttypes>
#include <cstdio>
#include <string>
#include <string_view>

#include "cli.hpp"
#include "loader_commands.hpp"   // search_from, format_id
#include "sandbox_commands.hpp"  // report_json, warn_missing

namespace isolated_commands {

namespace vl = vitte::loader;

inline const char* form_id(vl::wire::call_form f) {
  switch (f) {
    case vl::wire::call_form::none:
      return "none";
    case vl::wire::call_form::cells:
      return "cells";
    case vl::wire::call_form::bytes:
      return "bytes";
    case vl::wire::call_form::text:
      return "text";
  }
  return "none";
}
inline const char* kind_id(std::uint8_t kind) { return kind == VITTE_EXPORT_OBJECT ? "object" : "function"; }

// The plugin file `what` names: a path as it is, else a module of the search paths.
inline std::string plugin_file(std::string_view what, const vl::search_options& o) {
  if (what.find('/') != std::string_view::npos || vl::has_plugin_suffix(what)) return std::string(what);
  vl::resolver r(o);
  (void)r.scan();
  for (const vl::module_info& m : r.modules())
    if (m.id.name == what) return m.source.path;
  return {};
}

/// vitte load --isolate [--host PATH]
inline int load(const cli::parsed& p, const cli::context& c) {
  if (p.operands.size() != 1) return cli::usage_error(c, "load", "one module or file to load");
  const vl::search_options search = loader_commands::search_from(p);
  const std::string path = plugin_file(p.operands[0], search);
  if (path.empty())
    return cli::fail(c, "load", p.operands[0], vitte::error{vitte::errc::not_found, vl::ops::module_load});
  vl::isolated_options o;
  o.host = vitte::text(p.get("--host").data(), p.get("--host").size());
  o.search = search.paths;
  vl::isolated_failure why;
  auto plugin = vl::isolated_plugin::open(path, vl::default_plugin_sandbox(), o, &why);
  if (!plugin) {
    // What ended the host: a crash, an exit, the loader's refusal.
    const vitte::text said = why.what != vl::isolated_outcome::none ? why.message() : vitte::text();
    vitte::diagnostic d = cli::described(path, plugin.error());
    if (!said.empty()) d.say(vitte::text_view(said.data(), said.size()));
    return cli::fail(c, "load", d);
  }
  vl::module_format format = vl::module_format::unknown;
  if (auto head = vitte::sys::read_file(path)) format = vl::detect_format(*head);
  const vl::wire::ready& info = plugin->info();
  if (!c.json) {
    sandbox_commands::warn_missing(plugin->report(), "load");
    std::printf("loaded      %s %s  (%s)\n", info.module.c_str(), info.version.c_str(), path.c_str());
    std::printf("  host      %s, pid %" PRId64 "\n", plugin->host_program().c_str(), plugin->host_id());
    for (const vl::wire::export_desc& e : info.exports)
      std::printf("  export    %s v%u %s, %s, signature %016" PRIx64 "\n", e.name.c_str(), e.version, kind_id(e.kind),
                  e.form == vl::wire::call_form::none ? "not callable here" : form_id(e.form), e.signature);
    return 0;
  }
  cli::json j;
  j.schema("load").key("loaded").begin_array();
  j.begin_object().field("name", info.module).field("version", info.version).field("path", path);
  j.field("format", loader_commands::format_id(format))
      .key("payload")
      .null()
      .field("signature", "not_checked")
      .field("signer", "");
  j.key("bindings").begin_array().end_array().end_object().end_array();
  j.key("isolated").begin_object().field("host", plugin->host_program()).key("exports").begin_array();
  for (const vl::wire::export_desc& e : info.exports)
    j.begin_object()
        .field("name", e.name)
        .field("version", std::int64_t{e.version})
        .field("kind", kind_id(e.kind))
        .field("form", form_id(e.form))
        .field("signature", loader_commands::hex64(e.signature))
        .end_object();
  j.end_array();
  sandbox_commands::report_json(j, plugin->report());
  j.end_object().end_object().print();
  return 0;
}

}  // namespace isolated_commands

#endif  // VITTE_TOOLS_ISOLATED_COMMANDS_HPP
