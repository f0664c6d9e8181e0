// vitte bindgen: a C library's headers as a C++ header of typed,
// signature-checked bindings (or a C plugin's export list), through
// vitte::toolchain::read_c_declarations and write_bindings (docs/BINDGEN.md).
#ifndef VITTE_TOOLS_BINDGEN_COMMANDS_HPP
#define VITTE_TOOLS_BINDGEN_COMMANDS_HPP

#include <vitte/sys/whole_file.hpp>  // atomic_replace
#include <vitte/toolchain/bindgen.hpp>

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "cli.hpp"

namespace bindgen_commands {

namespace toolchain = vitte::toolchain;
using cli::context;

inline constexpr cli::option options[] = {
    {"-o", "<file>", "write the bindings there (default: standard output)"},
    {"-I", "<dir>", "add a directory to the compiler's include path (repeatable)"},
    {"-D", "<name[=value]>", "define a macro for the compiler (repeatable)"},
    {"--allow", "<regex>",
     "bind the declarations whose whole name matches, from any header (repeatable; default: those of the headers "
     "given)"},
    {"--block", "<regex>", "never bind the declarations whose whole name matches (repeatable)"},
    {"--optional", "<regex>", "the symbols whose whole name matches may be absent: bind leaves them null (repeatable)"},
    {"--module", "<name>", "the C++ namespace (default: the first header's stem)"},
    {"--cc", "<compiler>", "the C compiler that preprocesses and probes (default $CC, else cc)"},
    {"--plugin-exports", nullptr, "write a C plugin's VITTE_C_PLUGIN_DEFINE export list instead"},
};

inline int run(const cli::parsed& p, const context& c) {
  if (p.operands.empty()) return cli::usage_error(c, "bindgen", "no header given");
  toolchain::bindgen_options o;
  for (std::string_view h : p.operands) o.headers.emplace_back(h);
  for (std::string_view d : p.all("-I")) o.include_dirs.emplace_back(d);
  for (std::string_view d : p.all("-D")) o.defines.emplace_back(d);
  for (std::string_view r : p.all("--allow")) o.allow.emplace_back(r);
  for (std::string_view r : p.all("--block")) o.block.emplace_back(r);
  for (std::string_view r : p.all("--optional")) o.optional.emplace_back(r);
  o.module = vitte::text(p.get("--module"));
  const char* cc = std::getenv("CC");
  o.compiler = vitte::text(p.get("--cc", cc != nullptr && *cc != '\0' ? vitte::text_view(cc) : "cc"));
  o.plugin_exports = p.has("--plugin-exports");
  vitte::diagnostic why;
  auto decls = toolchain::read_c_declarations(o, &why);
  if (!decls) return cli::fail(c, "bindgen", why ? why : cli::described("", decls.error()));
  auto out = toolchain::write_bindings(*decls, o, &why);
  if (!out) return cli::fail(c, "bindgen", why ? why : cli::described("", out.error()));
  const vitte::text_view file = p.get("-o");
  if (file.empty()) return std::fwrite(out->data(), 1, out->size(), stdout), 0;
  if (auto st = vitte::sys::atomic_replace(file, out->view()); !st)
    return cli::fail(c, "bindgen", std::string_view(file.data(), file.size()), st.error());
  return 0;
}

}  // namespace bindgen_commands

#endif  // VITTE_TOOLS_BINDGEN_COMMANDS_HPP
