// vitte/toolchain/link.hpp - running a linker for ELF, PE/COFF, Mach-O and wasm.
//
//   namespace toolchain = vitte::toolchain;
//   auto ld = toolchain::find_linker(toolchain::linker_flavor::elf).value();   // ld.lld, else ld
//   toolchain::link_job job;
//   job.output = "out/app";
//   job.inputs = {"out/main.o", "out/util.o"};
//   job.libraries = {"m"};
//   auto r = toolchain::link(ld, job, {}, &log).value();   // the exact command is r.command_line
//
// Each flavour has its own syntax, written once in link_arguments():
//   elf    ld.lld, ld.bfd, ld.gold   -o OUT -L DIR -lNAME -e SYM -shared -pie -static
//   mingw  ld.lld -m i386pep         as elf, plus --subsystem, --no-insert-timestamp
//   coff   lld-link                  /out:OUT /libpath:DIR NAME.lib /entry:SYM /dll /Brepro
//   macho  ld64.lld                  -arch ARCH -platform_version macos 11.0 11.0 -dylib
//   wasm   wasm-ld                   -o OUT --entry SYM | --no-entry --export-dynamic(shared)
//   cc     the system cc as driver   -o OUT -LDIR -lNAME -shared -pie -static -Wl,-e,SYM
// Flags that make the output depend on the inputs alone are added
// (/Brepro for lld-link, --no-insert-timestamp for MinGW): linking twice
// gives the same bytes. A command line longer than the OS takes
// (`response_file_over`, 32 KiB on Windows) goes through a response file
// (`OUT.rsp`, quoted as the flavour's tokenizer reads it). What the linker
// prints is passed to the log (toolchain::run).
#ifndef VITTE_TOOLCHAIN_LINK_HPP
#define VITTE_TOOLCHAIN_LINK_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/sys/platform.hpp>
#include <vitte/sys/process.hpp>
#include <vitte/sys/whole_file.hpp>
#include <vitte/toolchain/operations.hpp>
#include <vitte/toolchain/run.hpp>
#include <vitte/toolchain/tool.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>  // snprintf

namespace vitte::toolchain {

/// The command-line dialect of a linker.
enum class linker_flavor : std::uint8_t { elf, mingw, coff, macho, wasm, cc };

/// What to produce.
enum class link_output : std::uint8_t {
  executable,         ///< The flavour's default executable (no -pie / -no-pie added).
  pie,                ///< Position-independent executable (ELF, cc).
  shared,             ///< Shared library: .so, .dll, .dylib, a wasm shared module.
  static_executable,  ///< No dynamic linking (-static).
};

/// A linker found on PATH, with its flavour.
struct linker {
  linker_flavor flavor = linker_flavor::elf;
  tool program;
};

/// One link.
struct link_job {
  link_output kind = link_output::executable;
  text output;
  buffer<text> inputs;        ///< Objects and archives, in order.
  buffer<text> libraries;     ///< By name: "m", "kernel32".
  buffer<text> search_paths;  ///< Library directories.
  text entry;                 ///< Entry symbol; empty: the flavour's default (wasm: none).
  text machine;        ///< elf/mingw: the -m emulation (mingw default i386pep); coff: /machine; macho: -arch (x86_64).
  text subsystem;      ///< coff, mingw: console (default) or windows.
  buffer<text> extra;  ///< Passed last, as they are.
};

/// How to link.
template <class P = sys::platform>
struct basic_link_options {
  bool dry_run = false;
  sys::basic_deadline<P> deadline = sys::basic_deadline<P>::never();
  /// Use a response file when the command line would be longer than this.
  std::size_t response_file_over = 32 * 1024 - 1024;
};
using link_options = basic_link_options<sys::platform>;

/// The usual program name of each flavour.
constexpr text_view default_linker_name(linker_flavor f) noexcept {
  switch (f) {
    case linker_flavor::elf:
      return "ld.lld";
    case linker_flavor::mingw:
      return "ld.lld";
    case linker_flavor::coff:
      return "lld-link";
    case linker_flavor::macho:
      return "ld64.lld";
    case linker_flavor::wasm:
      return "wasm-ld";
    case linker_flavor::cc:
      return "cc";
  }
  return "ld";
}

/// Finds a linker of flavour `f`: `name` when given, else the usual one
/// (for elf, `ld` when there is no ld.lld). An lld name that is not on PATH
/// is also tried with the version suffixes Debian and Ubuntu install
/// (`ld64.lld-19` ... `ld64.lld-14`). Errors: find_program not_found.
template <class P = sys::platform>
result<linker> find_linker(linker_flavor f, text_view name = {}) {
  const text_view want = name.empty() ? default_linker_name(f) : name;
  auto t = find_tool<P>(want);
  for (int v = 19; !t && t.error() == errc::not_found && v >= 14 && want.find("ld") != text_view::npos; --v) {
    text versioned(want);
    char suffix[16];
    std::snprintf(suffix, sizeof suffix, "-%d", v);
    versioned.append(suffix);
    t = find_tool<P>(versioned);
  }
  if (!t && name.empty() && f == linker_flavor::elf) t = find_tool<P>("ld");
  if (!t) return t.error();
  return linker{f, std::move(*t)};
}

/// The arguments (without the program) for `job` in `flavor`'s syntax.
VITTE_DECL buffer<text> link_arguments(linker_flavor flavor, const link_job& job);

/// A response file's content for `args`, quoted as `flavor`'s tokenizer
/// reads it: Windows rules for lld-link, GNU rules (backslash escapes
/// inside double quotes) for the others. One argument per line.
VITTE_DECL text response_file_content(linker_flavor flavor, const buffer<text>& args);

/// Links `job` with `ld` (see the header). Errors: what running the linker
/// reports, writing the response file; a linker that runs and fails is a
/// report whose status says so.
template <class P = sys::platform>
result<run_report> link(const linker& ld, const link_job& job, const basic_link_options<P>& o = {},
                        log::basic_logger<P>* log = nullptr) {
  buffer<text> args = link_arguments(ld.flavor, job);
  std::size_t length = ld.program.path.size();
  for (const text& s : args) length += s.size() + 3;
  sys::basic_command<P> cmd(ld.program.path);
  if (length > o.response_file_over) {
    text rsp = job.output;
    rsp.append(".rsp");
    if (!o.dry_run)
      if (auto ok = sys::write_file<P>(rsp.c_str(), text_view(response_file_content(ld.flavor, args))); !ok)
        return ok.error();
    text at("@");
    at.append(rsp);
    cmd.arg(at);
  } else {
    cmd.args(args);
  }
  basic_run_options<P> ro;
  ro.deadline = o.deadline;
  ro.dry_run = o.dry_run;
  ro.what = "linked";
  return run(cmd, ro, log);
}

}  // namespace vitte::toolchain

#if VITTE_HEADER_ONLY
#include <vitte/toolchain/impl/link.ipp>
#endif

#endif  // VITTE_TOOLCHAIN_LINK_HPP
