// vitte/toolchain/detail/cacheable_compile.ipp - which build.ninja commands
// the shared output cache may answer (vitte/toolchain/detail/cacheable_compile.hpp).
#ifndef VITTE_TOOLCHAIN_DETAIL_CACHEABLE_COMPILE_IPP
#define VITTE_TOOLCHAIN_DETAIL_CACHEABLE_COMPILE_IPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/toolchain/compile_commands.hpp>  // split_command_line
#include <vitte/toolchain/detail/cacheable_compile.hpp>
#include <vitte/toolchain/ninja_manifest.hpp>

namespace vitte::toolchain::detail {

/// Whether `program` (argv[0]) names a C or C++ compiler driver: cc, c++,
/// gcc, g++, clang, clang++, with a target prefix or a version suffix
/// (x86_64-linux-gnu-gcc-12, clang++-14); not their companions (gcc-ar,
/// clang-tidy, ...) nor a wrapper (ccache, distcc: they decide themselves).
VITTE_DECL bool is_compiler_driver(text_view program) noexcept {
  const std::size_t slash = program.rfind('/');
  const text_view name = slash == text_view::npos ? program : program.substr(slash + 1);
  if (name == "cc" || name == "c++") return true;
  for (const text_view companion : {"-ar", "-nm", "-ranlib", "tidy", "format", "-cpp", "-check", "-scan"})
    if (name.find(companion) != text_view::npos) return false;
  return name.find("gcc") != text_view::npos || name.find("g++") != text_view::npos ||
         name.find("clang") != text_view::npos;
}

/// Options whose output the step does not list, or that read a file the
/// depfile does not name (a profile, a specs file, a plugin, another cc1),
/// in either spelling (GCC takes `--save-temps` as `-save-temps`).
VITTE_DECL bool unlisted_effect(text_view a) noexcept {
  if (a.starts_with("--")) a.remove_prefix(1);
  if (a.starts_with("-d") || a.starts_with("-aux-info") || a.starts_with("-fopt-info") ||
      a.starts_with("-fsave-optimization-record") || a.starts_with("-foptimization-record") ||
      a.starts_with("-fproc-stat-report") || a.starts_with("-fdiagnostics-format=sarif-file") ||
      a.starts_with("-fdiagnostics-format=json-file") || a.starts_with("-fdiagnostics-add-output"))
    return true;  // dumps, reports and records written beside the object
  for (const text_view p : {"-save-temps",
                            "-ftime-trace",
                            "--coverage",
                            "-fprofile-arcs",
                            "-ftest-coverage",
                            "-fprofile-generate",
                            "-fprofile-instr-generate",
                            "-gsplit-dwarf",
                            "-fdump-",
                            "-fstack-usage",
                            "-fcallgraph-info",
                            "-MJ",
                            "-fmodules",
                            "-fmodule-",
                            "-frandom-seed",
                            "-fprofile-use",
                            "-fprofile-sample-use",
                            "-fprofile-instr-use",
                            "-fauto-profile",
                            "-specs",
                            "--specs",
                            "-B",
                            "-fplugin",
                            "-fpass-plugin",
                            "-Xclang",
                            "-Xpreprocessor",
                            "-Xassembler",
                            "-Wa,",
                            "-wrapper",
                            "-fcreate-profile"})
    if (a.starts_with(p)) return true;
  return a == "-" || a.starts_with("@") || a == "-E" || a == "-M" || a == "-MM";
}

/// `s`'s command split into `argv` when the cache may answer for it (see
/// the header); false otherwise.
VITTE_DECL bool cacheable_compile(const ninja_step& s, buffer<text>& argv) {
  if (s.depfile.empty() || s.command.empty() || !s.rspfile.empty() || s.pool == "console") return false;
  for (const char c : text_view(s.command))
    if (text_view("|&;<>()$`*?[]#~{}\\\n\r!").find(c) != text_view::npos) return false;
  argv.clear();
  if (!split_command_line(s.command, argv) || argv.size() < 4 || !is_compiler_driver(argv[0])) return false;
  bool compile = false, output_listed = false, writes_depfile = false, names_depfile = false;
  for (std::size_t i = 1; i < argv.size(); ++i) {
    const text_view a = argv[i];
    if (unlisted_effect(a) || a.starts_with("-Wp,")) return false;
    compile = compile || a == "-c";
    // -MD: every header read (-MMD leaves out system headers, whose change would go unseen).
    if (a == "-MMD") return false;
    writes_depfile = writes_depfile || a == "-MD";
    if (a == "-MF" && i + 1 < argv.size()) {  // the depfile, named: no other file, no stale one
      if (ninja_canonical_path(argv[++i]) != ninja_canonical_path(s.depfile)) return false;
      names_depfile = true;
      continue;
    }
    if (a.starts_with("-MF")) return false;
    text_view out;
    if (a == "-o" && i + 1 < argv.size())
      out = argv[++i];
    else if (a.starts_with("-o") && a.size() > 2)
      out = a.substr(2);
    else
      continue;
    for (const text& o : s.outputs) output_listed = output_listed || ninja_canonical_path(out) == o;
    if (!output_listed) return false;
  }
  return compile && output_listed && writes_depfile && names_depfile;
}

}  // namespace vitte::toolchain::detail

#endif  // VITTE_TOOLCHAIN_DETAIL_CACHEABLE_COMPILE_IPP
