// vitte/toolchain/toolchain.hpp - the compilers, archivers and runners this
// machine has, and the toolchain for a target triple.
//
//   namespace toolchain = vitte::toolchain;
//   auto all = toolchain::list_compilers().value();          // every gcc, g++, clang, cross prefix on PATH
//   vitte::diagnostic why;
//   auto tc = toolchain::find_toolchain("aarch64-linux-gnu", {}, &why);
//   // tc->cc.path "/usr/bin/aarch64-linux-gnu-gcc", tc->runner {"qemu-aarch64", "-L", "/usr/aarch64-linux-gnu"}
//   if (!tc) std::puts(why.format().c_str());
//   // "s390x-linux-gnu: no compiler for this target here; install: g++-s390x-linux-gnu (Debian), or ..."
//
// list_compilers() reads PATH's directories and names what it finds: GCC
// (`gcc`, `g++`, cross prefixes such as `aarch64-linux-gnu-g++`, MinGW's
// `x86_64-w64-mingw32-gcc-posix`) and clang (`clang`, `clang-14`), with the
// version read from the installation (clang's /usr/lib/llvm-<v>/lib/clang/<v>,
// a name's or its link target's "-12" suffix, GCC's /usr/lib/gcc*/<triple>/<v>
// when it holds one version): no compiler is run, so listing a machine takes
// a few milliseconds. A compiler whose installation says nothing is asked
// `-dumpversion`.
//
// find_toolchain() picks, for a triple (vitte's short forms accepted:
// machine/triple.hpp):
//   1. overrides from the environment, as the cc crate reads them:
//      CC_<triple>, CC_<triple with '_' for '-'>, then TARGET_CC for a cross
//      target or CC for the host (likewise CXX, AR); a value may carry
//      arguments ("ccache gcc");
//   2. the host's gcc/g++ (or clang) for the host triple;
//   3. a GCC cross prefix: the triple as written, without its vendor
//      (aarch64-linux-gnu), MinGW's (x86_64-w64-mingw32, "-posix" first);
//   4. clang --target=<triple>: for wasm32-wasi when wasi-libc is installed
//      (/usr/lib/wasm32-wasi, /usr/share/wasi-sysroot or WASI_SYSROOT) and
//      wasm-ld is on PATH; for other triples when a sysroot for them exists.
// and says how to run what it builds: nothing for the host, qemu-user for
// another Linux architecture (with -L and the cross sysroot), wine for
// Windows; for WASI the caller brings its runtime (`vitte run`).
#ifndef VITTE_TOOLCHAIN_TOOLCHAIN_HPP
#define VITTE_TOOLCHAIN_TOOLCHAIN_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>  // why find_toolchain found nothing
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/machine/triple.hpp>
#include <vitte/toolchain/operations.hpp>

#include <cstdint>

namespace vitte::toolchain {

enum class compiler_family : std::uint8_t { gcc, clang };
VITTE_DECL text_view to_string(compiler_family f) noexcept;

/// A compiler found on PATH.
struct compiler {
  compiler_family family = compiler_family::gcc;
  bool cxx = false;  ///< a C++ driver (g++, clang++)
  text path;         ///< as found on PATH
  text name;         ///< the file name
  /// GCC: the triple it targets (its prefix, or the host's); clang: empty
  /// (any triple with --target).
  text target;
  text version;  ///< "12", "14.0.6"; empty when nothing says
};

/// Every C and C++ compiler on PATH (sorted by name; the first of a name on
/// PATH wins). Errors: none but no_memory; unreadable directories are skipped.
VITTE_DECL result<buffer<compiler>> list_compilers();

/// A program of a toolchain: what to run and the arguments that come first.
struct program {
  text path;
  buffer<text> args;  ///< "--target=wasm32-wasi", or what an override carried
  text version;
};

/// What builds for a target: its C and C++ compilers, archiver, sysroot and
/// how to run what they build here.
struct toolset {
  machine::triple target;
  program cc;
  program cxx;
  program ar;
  text sysroot;  ///< where the target's headers and libraries are (may be empty)
  /// Runs a program built for the target here: empty when it runs natively
  /// (or, for WASI, needs the caller's runtime); {"wine"}, {"qemu-aarch64",
  /// "-L", "/usr/aarch64-linux-gnu"}.
  buffer<text> runner;
  bool native = false;  ///< the target is this machine's
  text origin;          ///< how it was chosen: "environment", "host", "gcc cross prefix", "clang --target"
  text_view executable_suffix() const noexcept {
    return target.is_windows() ? text_view(".exe") : target.is_wasm() ? text_view(".wasm") : text_view();
  }
};

struct toolchain_options {
  /// Prefer clang over GCC when both can build for the target.
  bool prefer_clang = false;
};

/// The toolchain for `triple`. Errors (ops::toolchain): invalid_argument for
/// a triple LLVM does not know, not_found when nothing here builds for it.
/// `why`, when given, is filled on failure: the error's kind, `triple` as
/// the subject, what is missing and, for a triple something could build
/// for, what to install ("no compiler for this target here; install:
/// g++-riscv64-linux-gnu (Debian), or clang and a sysroot in
/// /usr/riscv64-linux-gnu").
VITTE_DECL result<toolset> find_toolchain(text_view triple, const toolchain_options& options = {},
                                          diagnostic* why = nullptr);

}  // namespace vitte::toolchain

#if VITTE_HEADER_ONLY
#include <vitte/toolchain/impl/toolchain.ipp>
#endif

#endif  // VITTE_TOOLCHAIN_TOOLCHAIN_HPP
