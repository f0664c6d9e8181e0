// vitte/toolchain/hermetic.hpp - a build step that sees only its inputs, the
// compiler and its output directory.
//
//   namespace toolchain = vitte::toolchain;
//   auto cc = toolchain::find_compiler_reach("cc").value();        // what the compiler itself needs
//   toolchain::hermetic_step step;
//   step.inputs = {"/src/proj"};                               // declared inputs: files or trees
//   step.outputs = {"/build/obj"};                             // written; the first is its TMPDIR
//   auto cmd = vitte::sys::sandbox_command(cc.program).args({"-c", "/src/proj/a.c", "-o", "/build/obj/a.o"});
//   auto r = toolchain::run_hermetic(cc, cmd, step).value();
//   for (const vitte::text& f : r.outside) std::printf("read outside its inputs: %s\n", f.c_str());
//
// The step runs under vitte::sys::sandbox (docs/SANDBOX.md): Landlock lets
// it read its inputs and the compiler's reach, write its outputs and
// /dev/null, and nothing else; no network; the standard system-call
// profile; the environment cleared but for PATH, LANG, LC_ALL,
// SOURCE_DATE_EPOCH and TMPDIR (set to the first output). A step that
// touches anything else fails (the OS refuses the open: EACCES), and the
// files its tools name in their "Permission denied" messages come back in
// `outside`: a hermeticity check that fails loudly instead of a build that
// silently depends on a file nobody declared.
//
// The compiler's reach (find_compiler_reach) is what it needs whatever it
// compiles: its program and the directory it is in (the assembler and the
// linker are found on PATH there), its real directory and installation
// (clang's /usr/lib/llvm-N), the directories it reports with
// -print-search-dirs (install, programs), /usr/lib/gcc and /usr/libexec, the
// dynamic loader's directories for the target (/lib/TRIPLE, /usr/lib/TRIPLE,
// /lib64, /usr/lib64), /etc/ld.so.cache, and to read the system include
// directories it reports with `COMPILER -E -v -x LANG /dev/null`.
//
// Where the OS has no Landlock (an old kernel, Windows, macOS) a step is not
// hermetic: run_hermetic fails with not_supported after the run, its report
// saying why, rather than pass a step nothing checked.
//
// Errors: those of running the compiler (find_program, process_spawn);
// malformed when `-E -v` prints no include search list.
// Thread safety: a compiler_reach is a value; steps run in parallel.
#ifndef VITTE_TOOLCHAIN_HERMETIC_HPP
#define VITTE_TOOLCHAIN_HERMETIC_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/sys/platform.hpp>
#include <vitte/sys/sandbox.hpp>
#include <vitte/toolchain/run.hpp>  // run_options, run_report

namespace vitte::toolchain {

/// What a compiler needs to see to run at all (see the header comment).
struct compiler_reach {
  text program;       ///< The compiler, found on PATH.
  buffer<text> exec;  ///< Trees it may read and run programs from.
  buffer<text> read;  ///< Trees and files it may read: the system include directories, the loader's cache.
};

/// Asks `compiler` (a name found on PATH, or a path) what it needs, for
/// sources of `language` (as -x takes it: c, c++). Errors: see the header.
template <class P = sys::platform>
result<compiler_reach> find_compiler_reach(text_view compiler, text_view language = "c");

/// What a step may touch besides the compiler's reach.
struct hermetic_step {
  buffer<text> inputs;   ///< Files and trees it may read: its sources, the declared input directories.
  buffer<text> outputs;  ///< Trees it may write; its temporary files go in the first.
};

/// What a hermetic run did.
struct hermetic_report {
  run_report run;               ///< Status, captured output, timed_out, the command line.
  sys::sandbox_report sandbox;  ///< The protections applied.
  buffer<text> outside;         ///< Files the step was refused, as its tools named them; empty when hermetic.
};

/// Runs `cmd` (its program: normally `c.program`) under the sandbox of
/// `step` (see the header), with `o`'s deadline and output limit (dry_run
/// is not honoured: nothing runs unconfined). Errors: those of the spawn;
/// not_supported when Landlock was not applied (the report of the run is
/// lost then: the step is not hermetic).
template <class P = sys::platform>
result<hermetic_report> run_hermetic(const compiler_reach& c, const sys::basic_command<sys::sandboxed<P>>& cmd,
                                     const hermetic_step& step, const basic_run_options<P>& o = {});

/// The files a tool's messages say it could not open for lack of
/// permission, in order, each once: "a.c:1:10: fatal error: /x/a.h:
/// Permission denied" (GCC), "fatal error: cannot open file '/x/a.h':
/// Permission denied" (Clang), "cannot open output file /x/a.o: Permission
/// denied" (ld).
VITTE_DECL buffer<text> refused_files(text_view messages);

}  // namespace vitte::toolchain

#include <vitte/toolchain/impl/hermetic.hpp>

#if VITTE_HEADER_ONLY
#include <vitte/toolchain/impl/hermetic.ipp>
#endif

#endif  // VITTE_TOOLCHAIN_HERMETIC_HPP
