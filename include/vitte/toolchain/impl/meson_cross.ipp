// vitte/toolchain/impl/meson_cross.ipp - the Meson cross file
// (vitte/toolchain/meson_cross.hpp).
#ifndef VITTE_TOOLCHAIN_IMPL_MESON_CROSS_IPP
#define VITTE_TOOLCHAIN_IMPL_MESON_CROSS_IPP

#include <vitte/base/config.hpp>
#include <vitte/machine/architecture.hpp>
#include <vitte/sys/process.hpp>  // find_program
#include <vitte/toolchain/meson_cross.hpp>

namespace vitte::toolchain {
namespace detail {

/// ['launcher', 'path', 'arg', ...] (no launcher: ['path', 'arg', ...])
VITTE_DECL void append_meson_list(text& f, const program& p, text_view launcher) {
  f += '[';
  if (!launcher.empty()) {
    f += '\'';
    f += launcher;
    f += "', ";
  }
  f += '\'';
  f += p.path;
  f += '\'';
  for (const text& a : p.args) {
    f += ", '";
    f += a;
    f += '\'';
  }
  f += ']';
}

}  // namespace detail

VITTE_DECL text_view meson_cpu_family(const machine::triple& t) noexcept {
  if (t.arch() == machine::architecture::unknown) return t.arch_name();
  return machine::to_string(t.arch());
}

VITTE_DECL text_view meson_system(const machine::triple& t) noexcept {
  if (t.is_windows()) return "windows";
  if (t.is_apple()) return "darwin";
  const text_view os = t.os_name();
  if (os.empty() || os == "unknown" || os == "none") return "none";
  return os;
}

VITTE_DECL text cross_pkg_config_name(const machine::triple& t) {
  text name(t.arch_name());
  name += '-';
  name += t.os_name();
  if (!t.environment_name().empty()) {
    name += '-';
    name += t.environment_name();
  }
  name += "-pkg-config";
  return name;
}

VITTE_DECL text find_cross_pkg_config(const machine::triple& t) {
  auto found = sys::find_program(cross_pkg_config_name(t));
  return found ? static_cast<text&&>(*found) : text();
}

VITTE_DECL text meson_cross_file(const toolset& tc, text_view pkg_config, text_view launcher) {
  const machine::triple& t = tc.target;
  text f("[binaries]\nc = ");
  detail::append_meson_list(f, tc.cc, launcher);
  f += "\ncpp = ";
  detail::append_meson_list(f, tc.cxx, launcher);
  f += '\n';
  if (!tc.ar.path.empty()) {
    f += "ar = '";
    f += tc.ar.path;
    f += "'\n";
  }
  if (!tc.native) {  // the build machine's pkg-config would hand out its own libraries
    f += "pkg-config = '";
    f += pkg_config.empty() ? text_view("false") : pkg_config;
    f += "'\n";
  }
  if (!tc.runner.empty()) {
    f += "exe_wrapper = [";
    for (std::size_t i = 0; i < tc.runner.size(); ++i) {
      f += i != 0 ? text_view(", '") : text_view("'");
      f += tc.runner[i];
      f += '\'';
    }
    f += "]\n";
  }
  if (t.is_windows() && t.env() == machine::environment::gnu)  // no MinGW runtime DLLs to find beside the programs
    f += "\n[built-in options]\nc_link_args = ['-static']\ncpp_link_args = ['-static']\n";
  f += "\n[host_machine]\nsystem = '";
  f += meson_system(t);
  f += "'\ncpu_family = '";
  f += meson_cpu_family(t);
  f += "'\ncpu = '";
  f += t.arch_name();
  f += "'\nendian = '";
  f += t.order() == machine::byte_order::little ? text_view("little") : text_view("big");
  f += "'\n";
  return f;
}

}  // namespace vitte::toolchain

#endif  // VITTE_TOOLCHAIN_IMPL_MESON_CROSS_IPP
