// vitte/toolchain/meson_cross.hpp: the cross files written for a native
// toolchain, a Linux cross toolchain with a qemu-user runner, MinGW (static
// links, system windows), a big-endian target and a bare-metal one, checked
// line by line; the names of the host machine and of the pkg-config wrapper.
#include <vitte/toolchain/meson_cross.hpp>

#include <string>

#include <boost/test/unit_test.hpp>

namespace toolchain = vitte::toolchain;
using vitte::machine::triple;

namespace {

toolchain::program program_of(const char* path, std::initializer_list<vitte::text> args = {}) {
  toolchain::program p;
  p.path = path;
  p.args = args;
  return p;
}

/// A toolchain for `t` with GCC cross drivers named after `prefix`.
toolchain::toolset gcc_toolchain(const char* t, const std::string& prefix) {
  toolchain::toolset tc;
  tc.target = triple::resolve(t);
  tc.cc = program_of(("/usr/bin/" + prefix + "gcc").c_str());
  tc.cxx = program_of(("/usr/bin/" + prefix + "g++").c_str());
  tc.ar = program_of(("/usr/bin/" + prefix + "ar").c_str());
  return tc;
}

std::string str(const vitte::text& t) { return std::string(t.data(), t.size()); }

}  // namespace

BOOST_AUTO_TEST_SUITE(build_meson_cross)

BOOST_AUTO_TEST_CASE(native_x86_64_linux_names_no_pkg_config_and_no_runner) {
  toolchain::toolset tc = gcc_toolchain("x86_64-linux-gnu", "");
  tc.native = true;
  BOOST_TEST(str(toolchain::meson_cross_file(tc, "/usr/bin/x86_64-linux-gnu-pkg-config")) ==
             "[binaries]\n"
             "c = ['/usr/bin/gcc']\n"
             "cpp = ['/usr/bin/g++']\n"
             "ar = '/usr/bin/ar'\n"
             "\n[host_machine]\n"
             "system = 'linux'\n"
             "cpu_family = 'x86_64'\n"
             "cpu = 'x86_64'\n"
             "endian = 'little'\n");
}

BOOST_AUTO_TEST_CASE(aarch64_linux_with_a_runner_has_an_exe_wrapper) {
  toolchain::toolset tc = gcc_toolchain("aarch64-linux-gnu", "aarch64-linux-gnu-");
  tc.runner = {"qemu-aarch64", "-L", "/usr/aarch64-linux-gnu"};
  BOOST_TEST(str(toolchain::meson_cross_file(tc, "/usr/bin/aarch64-linux-gnu-pkg-config")) ==
             "[binaries]\n"
             "c = ['/usr/bin/aarch64-linux-gnu-gcc']\n"
             "cpp = ['/usr/bin/aarch64-linux-gnu-g++']\n"
             "ar = '/usr/bin/aarch64-linux-gnu-ar'\n"
             "pkg-config = '/usr/bin/aarch64-linux-gnu-pkg-config'\n"
             "exe_wrapper = ['qemu-aarch64', '-L', '/usr/aarch64-linux-gnu']\n"
             "\n[host_machine]\n"
             "system = 'linux'\n"
             "cpu_family = 'aarch64'\n"
             "cpu = 'aarch64'\n"
             "endian = 'little'\n");
}

BOOST_AUTO_TEST_CASE(a_launcher_runs_the_compilers_and_nothing_else) {
  toolchain::toolset tc = gcc_toolchain("aarch64-linux-gnu", "aarch64-linux-gnu-");
  tc.cxx.args = {"-march=armv8.2-a"};
  const std::string f = str(toolchain::meson_cross_file(tc, "", "/usr/bin/ccache"));
  BOOST_TEST(f.find("c = ['/usr/bin/ccache', '/usr/bin/aarch64-linux-gnu-gcc']\n") != std::string::npos, f);
  BOOST_TEST(
      f.find("cpp = ['/usr/bin/ccache', '/usr/bin/aarch64-linux-gnu-g++', '-march=armv8.2-a']\n") != std::string::npos,
      f);
  BOOST_TEST(f.find("ar = '/usr/bin/aarch64-linux-gnu-ar'\n") != std::string::npos, f);  // ar is not a compiler
}

BOOST_AUTO_TEST_CASE(mingw_links_statically_for_windows) {
  toolchain::toolset tc = gcc_toolchain("x86_64-w64-mingw32", "x86_64-w64-mingw32-");
  tc.runner = {"wine"};
  BOOST_TEST(str(toolchain::meson_cross_file(tc)) ==
             "[binaries]\n"
             "c = ['/usr/bin/x86_64-w64-mingw32-gcc']\n"
             "cpp = ['/usr/bin/x86_64-w64-mingw32-g++']\n"
             "ar = '/usr/bin/x86_64-w64-mingw32-ar'\n"
             "pkg-config = 'false'\n"
             "exe_wrapper = ['wine']\n"
             "\n[built-in options]\n"
             "c_link_args = ['-static']\n"
             "cpp_link_args = ['-static']\n"
             "\n[host_machine]\n"
             "system = 'windows'\n"
             "cpu_family = 'x86_64'\n"
             "cpu = 'x86_64'\n"
             "endian = 'little'\n");
}

BOOST_AUTO_TEST_CASE(a_big_endian_target_says_big) {
  toolchain::toolset tc = gcc_toolchain("s390x-linux-gnu", "s390x-linux-gnu-");
  const std::string f = str(toolchain::meson_cross_file(tc));
  BOOST_TEST(f.find("\nendian = 'big'\n") != std::string::npos, f);
  BOOST_TEST(f.find("\ncpu_family = 's390x'\n") != std::string::npos, f);
  BOOST_TEST(f.find("\nsystem = 'linux'\n") != std::string::npos, f);
}

BOOST_AUTO_TEST_CASE(bare_metal_has_system_none) {
  toolchain::toolset tc = gcc_toolchain("arm-none-eabi", "arm-none-eabi-");
  tc.ar = {};  // no archiver: no ar line
  BOOST_TEST(str(toolchain::meson_cross_file(tc)) ==
             "[binaries]\n"
             "c = ['/usr/bin/arm-none-eabi-gcc']\n"
             "cpp = ['/usr/bin/arm-none-eabi-g++']\n"
             "pkg-config = 'false'\n"
             "\n[host_machine]\n"
             "system = 'none'\n"
             "cpu_family = 'arm'\n"
             "cpu = 'arm'\n"
             "endian = 'little'\n");
}

BOOST_AUTO_TEST_CASE(programs_keep_their_arguments) {
  toolchain::toolset tc;
  tc.target = triple::resolve("wasm32-wasi");
  tc.cc = program_of("/usr/bin/clang", {"--target=wasm32-wasi"});
  tc.cxx = program_of("/usr/bin/clang++", {"--target=wasm32-wasi", "--sysroot=/usr"});
  const std::string f = str(toolchain::meson_cross_file(tc));
  BOOST_TEST(f.find("c = ['/usr/bin/clang', '--target=wasm32-wasi']\n") != std::string::npos, f);
  BOOST_TEST(f.find("cpp = ['/usr/bin/clang++', '--target=wasm32-wasi', '--sysroot=/usr']\n") != std::string::npos, f);
  BOOST_TEST(f.find("\ncpu_family = 'wasm32'\n") != std::string::npos, f);
}

BOOST_AUTO_TEST_CASE(cpu_family_is_the_target_layers_name) {
  BOOST_TEST(toolchain::meson_cpu_family(triple::resolve("armv7-linux-gnueabihf")) == "arm");
  BOOST_TEST(toolchain::meson_cpu_family(triple::resolve("i686-linux-gnu")) == "x86");
  BOOST_TEST(toolchain::meson_cpu_family(triple::resolve("powerpc64le-linux-gnu")) == "ppc64");
  BOOST_TEST(toolchain::meson_cpu_family(triple::resolve("riscv64-linux-gnu")) == "riscv64");
}

BOOST_AUTO_TEST_CASE(system_and_pkg_config_names) {
  BOOST_TEST(toolchain::meson_system(triple::resolve("x86_64-apple-darwin")) == "darwin");
  BOOST_TEST(toolchain::meson_system(triple::resolve("x86_64-pc-windows-msvc")) == "windows");
  BOOST_TEST(toolchain::meson_system(triple::resolve("x86_64-unknown-freebsd")) == "freebsd");
  BOOST_TEST(toolchain::meson_system(triple::resolve("aarch64-none-elf")) == "none");
  BOOST_TEST(str(toolchain::cross_pkg_config_name(triple::resolve("aarch64-linux-gnu"))) ==
             "aarch64-linux-gnu-pkg-config");
  BOOST_TEST(str(toolchain::cross_pkg_config_name(triple::resolve("riscv64-linux"))) == "riscv64-linux-gnu-pkg-config");
}

BOOST_AUTO_TEST_SUITE_END()
