// Which build.ninja commands the shared output cache may answer for
// `vitte build` (ninja_build.ipp): one run of a C or C++ compiler that
// compiles one source with -c into an output the step lists, with a
// depfile naming what it read, and nothing that makes the answer depend on
// more than the cache keys (a shell construct, a response file, an option
// writing a file the step does not list).
#ifndef VITTE_TOOLCHAIN_DETAIL_CACHEABLE_COMPILE_HPP
#define VITTE_TOOLCHAIN_DETAIL_CACHEABLE_COMPILE_HPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/toolchain/ninja_manifest.hpp>

namespace vitte::toolchain::detail {

/// Whether `program` (argv[0]) names a C or C++ compiler driver: cc, c++,
/// gcc, g++, clang, clang++, with a target prefix or a version suffix
/// (x86_64-linux-gnu-gcc-12, clang++-14); not their companions (gcc-ar,
/// clang-tidy, ...) nor a wrapper (ccache, distcc: they decide themselves).
VITTE_DECL bool is_compiler_driver(text_view program) noexcept;

/// Options whose output the step does not list, or that read a file the
/// depfile does not name (a profile, a specs file, a plugin, another cc1),
/// in either spelling (GCC takes `--save-temps` as `-save-temps`).
VITTE_DECL bool unlisted_effect(text_view a) noexcept;

/// `s`'s command split into `argv` when the cache may answer for it (see
/// the header); false otherwise.
VITTE_DECL bool cacheable_compile(const ninja_step& s, buffer<text>& argv);

}  // namespace vitte::toolchain::detail

#if VITTE_HEADER_ONLY
#include <vitte/toolchain/detail/cacheable_compile.ipp>
#endif

#endif  // VITTE_TOOLCHAIN_DETAIL_CACHEABLE_COMPILE_HPP
