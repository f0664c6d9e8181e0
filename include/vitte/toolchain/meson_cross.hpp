// vitte/toolchain/meson_cross.hpp - a Meson cross file for a toolchain.
//
//   namespace toolchain = vitte::toolchain;
//   auto tc = toolchain::find_toolchain("aarch64-linux-gnu").value();
//   vitte::text ini = toolchain::meson_cross_file(tc, toolchain::find_cross_pkg_config(tc.target));
//   // [binaries] c, cpp, ar, pkg-config, exe_wrapper; [host_machine] system, cpu_family, cpu, endian
//   // meson_cross_file(tc, pkg_config, "/usr/bin/ccache"): c = ['/usr/bin/ccache', 'gcc']
//
// The file names the toolchain's programs with the arguments they carry
// (c = ['clang', '--target=wasm32-wasi']), the runner as Meson's
// exe_wrapper, and the host machine as Meson names it: system "linux",
// "windows", "darwin" or "none" (bare metal), cpu_family from the target's
// architecture, cpu as the triple spells it, endian "little" or "big". A
// cross target always names a pkg-config: the target's own wrapper, or
// 'false' when there is none (the build machine's would hand out its own
// libraries). MinGW targets link statically: no runtime DLLs to find beside
// the programs. Thread safety: pure functions of their arguments, except
// find_cross_pkg_config, which reads PATH.
#ifndef VITTE_TOOLCHAIN_MESON_CROSS_HPP
#define VITTE_TOOLCHAIN_MESON_CROSS_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/machine/triple.hpp>
#include <vitte/toolchain/toolchain.hpp>  // toolchain, program

namespace vitte::toolchain {

/// Meson's cpu_family for `t`: the machine layer's name of its architecture
/// ("x86_64", "aarch64", "arm" for armv7), or the triple's spelling for an
/// architecture vitte does not know.
VITTE_DECL text_view meson_cpu_family(const machine::triple& t) noexcept;

/// Meson's system for `t`: "linux", "windows", "darwin", "freebsd", ...;
/// "none" for bare metal (no operating system in the triple).
VITTE_DECL text_view meson_system(const machine::triple& t) noexcept;

/// The name of `t`'s pkg-config wrapper: "aarch64-linux-gnu-pkg-config".
VITTE_DECL text cross_pkg_config_name(const machine::triple& t);

/// `t`'s pkg-config wrapper found on PATH (vitte::sys::find_program); empty
/// when there is none.
VITTE_DECL text find_cross_pkg_config(const machine::triple& t);

/// The Meson cross file for `tc`. `pkg_config` is the target's pkg-config
/// (find_cross_pkg_config); empty writes 'false'. A native toolchain names
/// no pkg-config (Meson's own lookup is right for it). `launcher` runs the
/// compilers (ccache: c = ['ccache', 'gcc']), as Meson adds ccache to the
/// native compilers it finds itself but never to a cross file's.
VITTE_DECL text meson_cross_file(const toolset& tc, text_view pkg_config = {}, text_view launcher = {});

}  // namespace vitte::toolchain

#if VITTE_HEADER_ONLY
#include <vitte/toolchain/impl/meson_cross.ipp>
#endif

#endif  // VITTE_TOOLCHAIN_MESON_CROSS_HPP
