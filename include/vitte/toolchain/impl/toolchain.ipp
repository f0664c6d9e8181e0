// vitte/toolchain/impl/toolchain.ipp - list_compilers, find_toolchain
// (vitte/toolchain/toolchain.hpp).
#ifndef VITTE_TOOLCHAIN_IMPL_TOOLCHAIN_IPP
#define VITTE_TOOLCHAIN_IMPL_TOOLCHAIN_IPP

#include <vitte/base/config.hpp>
#include <vitte/sys/directory.hpp>
#include <vitte/sys/environment.hpp>
#include <vitte/sys/metadata.hpp>
#include <vitte/sys/path.hpp>
#include <vitte/sys/path_ops.hpp>
#include <vitte/sys/process.hpp>
#include <vitte/toolchain/toolchain.hpp>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

namespace vitte::toolchain {

VITTE_DECL text_view to_string(compiler_family f) noexcept { return f == compiler_family::gcc ? "gcc" : "clang"; }

namespace detail {

VITTE_DECL bool all_digits(text_view s, bool dots = false) {
  if (s.empty()) return false;
  for (const char c : s)
    if (!((c >= '0' && c <= '9') || (dots && c == '.'))) return false;
  return true;
}

// Debian's spelling of a Linux glibc triple (its cross prefixes, its
// multiarch directories: "arm-linux-gnueabihf" for armv7-linux-gnueabihf,
// "i686-linux-gnu" for i386-linux), "" for other systems and C libraries.
VITTE_DECL std::string debian_triple(const machine::triple& t) {
  const auto env = t.env();
  const bool gnu_libc = env == machine::environment::unknown || env == machine::environment::gnu ||
                        env == machine::environment::gnueabi || env == machine::environment::gnueabihf ||
                        env == machine::environment::gnuabi64 || env == machine::environment::gnuabin32 ||
                        env == machine::environment::gnux32;
  if (t.system() != machine::os::linux_os || !gnu_libc) return {};
  std::string arch(t.arch_name());
  if (arch.starts_with("armv") || arch == "armhf" || arch == "armel") arch = "arm";
  if (arch == "i386" || arch == "i486" || arch == "i586") arch = "i686";
  const std::string libc = env == machine::environment::unknown ? "gnu" : std::string(t.environment_name());
  return arch + "-linux-" + libc;
}

// The cross compilers Debian 12 packages (g++-<name>), and MinGW-w64's.
inline constexpr const char* debian_cross_gxx[] = {
    "aarch64-linux-gnu",
    "alpha-linux-gnu",
    "arc-linux-gnu",
    "arm-linux-gnueabi",
    "arm-linux-gnueabihf",
    "hppa-linux-gnu",
    "i686-linux-gnu",
    "m68k-linux-gnu",
    "mips-linux-gnu",
    "mips64-linux-gnuabi64",
    "mips64el-linux-gnuabi64",
    "mipsel-linux-gnu",
    "mipsisa32r6-linux-gnu",
    "mipsisa32r6el-linux-gnu",
    "mipsisa64r6-linux-gnuabi64",
    "mipsisa64r6el-linux-gnuabi64",
    "powerpc-linux-gnu",
    "powerpc64-linux-gnu",
    "powerpc64le-linux-gnu",
    "riscv64-linux-gnu",
    "s390x-linux-gnu",
    "sh4-linux-gnu",
    "sparc64-linux-gnu",
    "x86-64-linux-gnux32",
};

// What to install for a target nothing here builds for: a package Debian
// has (its cross compilers are for Linux with glibc, and MinGW-w64 for
// x86-64 and i686), else what is needed, never a package that does not exist.
VITTE_DECL std::string install_hint(const machine::triple& t, const std::string& short_name) {
  const std::string arch(t.arch_name());
  const auto env = t.env();
  if (t.is_windows()) {
    if (env != machine::environment::gnu)
      return "clang-cl and the Windows SDK (not packaged by Debian); or target " + arch + "-w64-mingw32";
    if (arch == "x86_64" || arch == "i686")
      return "g++-mingw-w64-" + std::string(arch == "x86_64" ? "x86-64" : "i686") + "-posix (Debian)";
    return "an LLVM MinGW toolchain for " + arch + " (not packaged by Debian)";
  }
  if (const std::string debian = debian_triple(t); !debian.empty()) {
    std::string package = debian;
    if (package.starts_with("x86_64")) package.replace(0, 6, "x86-64");
    for (const char* known : debian_cross_gxx)
      if (package == known) return "g++-" + package + " (Debian), or clang and a sysroot in /usr/" + debian;
    return "clang and a glibc sysroot for " + arch + " in /usr/" + debian +
           " (Debian packages no cross compiler for it)";
  }
  if (t.system() == machine::os::linux_os && t.environment_name().starts_with("android"))
    return "the Android NDK's clang (not packaged by Debian)";
  if (t.system() == machine::os::linux_os)
    return "clang and a " + std::string(t.environment_name()) + " sysroot in /usr/" + short_name +
           " (Debian packages no cross compiler for it)";
  if (t.is_apple()) return "clang and an Apple SDK as a sysroot (not packaged by Debian)";
  if (t.os_name() == "none" || t.vendor_name() == "none")
    return arch.starts_with("arm") || arch.starts_with("thumb")
               ? std::string("gcc-arm-none-eabi (Debian), or clang and a bare-metal C library")
               : "clang and a bare-metal C library for " + arch + " (not packaged by Debian)";
  if (t.os_name().empty() || t.system() == machine::os::unknown)
    return "a compiler and a C library for " + std::string(t.str()) + " (name its system: " + arch + "-linux-gnu, " +
           arch + "-w64-mingw32, ...)";
  return "clang and a sysroot for " + std::string(t.os_name()) + " in /usr/" + short_name + " (not packaged by Debian)";
}

/// `a-b-c` without its vendor when it has four parts or an "unknown"/"pc"
/// one: the spelling Debian's cross prefixes and multiarch directories use.
VITTE_DECL std::string without_vendor(const machine::triple& t) {
  std::string s(t.arch_name());
  const text_view vendor = t.vendor_name();
  if (!vendor.empty() && vendor != "unknown" && vendor != "pc") s += "-" + std::string(vendor);
  if (!t.os_name().empty()) s += "-" + std::string(t.os_name());
  if (!t.environment_name().empty()) s += "-" + std::string(t.environment_name());
  return s;
}

/// The largest version-like name in `dir`; `count` gets how many there are.
VITTE_DECL std::string newest_subdirectory(const std::string& dir, std::size_t& count) {
  std::string best;
  count = 0;
  auto r = sys::directory_reader::open(dir);
  if (!r) return best;
  for (const auto& e : *r) {
    const std::string name(e.name);
    if (name.empty() || name[0] < '0' || name[0] > '9') continue;
    ++count;
    if (best.empty() || name.size() > best.size() || (name.size() == best.size() && name > best)) best = name;
  }
  return best;
}

/// The version a file name ends with: "gcc-12", "x86_64-w64-mingw32-gcc-12-posix", "clang-14".
VITTE_DECL std::string version_suffix(text_view name) {
  for (const text_view tail : {text_view(".exe"), text_view("-posix"), text_view("-win32")})
    if (name.ends_with(tail)) name.remove_suffix(tail.size());
  const std::size_t dash = name.rfind('-');
  if (dash != text_view::npos && all_digits(name.substr(dash + 1), true)) return std::string(name.substr(dash + 1));
  return {};
}

/// What a compiler's name and installation say of its version: its own
/// name's suffix, the suffix of the file it links to (Debian's
/// aarch64-linux-gnu-gcc -> aarch64-linux-gnu-gcc-12), clang's resource
/// directory, or GCC's library directory when it holds one version only.
VITTE_DECL std::string version_from_layout(const compiler& c) {
  result<text> real = sys::canonical(c.path);
  std::size_t count = 0;
  if (c.family == compiler_family::clang && real) {  // the full version first: 14.0.6 rather than 14
    // /usr/lib/llvm-14/bin/clang -> /usr/lib/llvm-14/lib/clang/14.0.6
    const text_view bin = sys::parent_path(*real);
    std::string v = newest_subdirectory(std::string(sys::parent_path(bin)) + "/lib/clang", count);
    if (count == 1) return v;
  }
  if (std::string v = version_suffix(c.name); !v.empty()) return v;
  if (real)
    if (std::string v = version_suffix(sys::file_name(*real)); !v.empty()) return v;
  if (c.family == compiler_family::clang) return {};
  for (const char* root : {"/usr/lib/gcc-cross/", "/usr/lib/gcc/"}) {
    const std::string v = newest_subdirectory(root + std::string(c.target.view()), count);
    if (count == 1) return v.substr(0, v.find('-'));  // "12-posix" for MinGW's thread flavour: the number
    if (count > 1) return {};                         // several: the compiler itself says which
  }
  return {};
}

VITTE_DECL std::string version_by_asking(text_view path, const buffer<text>& args = {}) {
  auto out = sys::command(text(path))
                 .args(args)
                 .arg("-dumpversion")
                 .output(sys::deadline::after(std::chrono::seconds(5)), 4096);
  if (!out || !out->status.success()) return {};
  std::string v(out->out.view());
  while (!v.empty() && (v.back() == '\n' || v.back() == '\r' || v.back() == ' ')) v.pop_back();
  return v;
}

/// Classifies a file name found on PATH; false when it is no compiler.
VITTE_DECL bool classify(text_view name, text_view host_gcc_target, compiler& c) {
  if (name.ends_with(".exe")) name.remove_suffix(4);
  // clang, clang++, clang-14, clang++-14
  if (name.starts_with("clang")) {
    text_view rest = name.substr(5);
    c.family = compiler_family::clang;
    c.cxx = rest.starts_with("++");
    if (c.cxx) rest.remove_prefix(2);
    return rest.empty() || (rest[0] == '-' && all_digits(rest.substr(1), true));
  }
  // [prefix-]gcc, [prefix-]g++, with -N, -posix or -win32 after
  for (const text_view driver : {text_view("gcc"), text_view("g++")}) {
    std::size_t at = name.rfind(driver);
    while (at != text_view::npos) {
      const text_view before = name.substr(0, at), after = name.substr(at + driver.size());
      const bool after_ok = after.empty() || after == "-posix" || after == "-win32" ||
                            (after[0] == '-' && all_digits(after.substr(1), true));
      const bool before_ok = before.empty() || (before.ends_with('-') && before.find('-') < before.size() - 1);
      if (after_ok && before_ok) {
        c.family = compiler_family::gcc;
        c.cxx = driver == "g++";
        c.target = before.empty() ? host_gcc_target : before.substr(0, before.size() - 1);
        return true;
      }
      at = at == 0 ? text_view::npos : name.rfind(driver, at - 1);
    }
  }
  return false;
}

VITTE_DECL std::vector<std::string> path_directories() {
  std::vector<std::string> dirs;
  result<text> path = sys::get_env("PATH");
  if (!path) return dirs;
  const char sep = VITTE_OS_WINDOWS ? ';' : ':';
  text_view rest = *path;
  while (!rest.empty()) {
    const std::size_t at = rest.find(sep);
    const text_view d = rest.substr(0, at);
    if (!d.empty() && std::find(dirs.begin(), dirs.end(), std::string(d)) == dirs.end()) dirs.emplace_back(d);
    if (at == text_view::npos) break;
    rest.remove_prefix(at + 1);
  }
  return dirs;
}

}  // namespace detail

VITTE_DECL result<buffer<compiler>> list_compilers() {
  const std::string host_gcc = detail::without_vendor(machine::host_triple());
  std::vector<compiler> found;
  for (const std::string& dir : detail::path_directories()) {
    auto r = sys::directory_reader::open(dir);
    if (!r) continue;
    for (const auto& e : *r) {
      compiler c;
      if (!detail::classify(e.name, host_gcc, c)) continue;
      c.name = e.name;
      if (std::any_of(found.begin(), found.end(), [&](const compiler& f) { return f.name.view() == c.name.view(); }))
        continue;
      c.path = sys::path_join(dir, e.name);
      result<sys::file_status> st = sys::stat(c.path);  // a link to nothing, a directory: not a compiler
      if (!st || st->type != sys::file_type::regular) continue;
      found.push_back(static_cast<compiler&&>(c));
    }
  }
  std::sort(found.begin(), found.end(),
            [](const compiler& a, const compiler& b) { return a.name.view() < b.name.view(); });
  buffer<compiler> out;
  out.reserve(found.size());
  for (compiler& c : found) {
    std::string v = detail::version_from_layout(c);
    if (v.empty()) v = detail::version_by_asking(c.path);
    c.version = text_view(v);
    out.push_back(static_cast<compiler&&>(c));
  }
  return out;
}

namespace detail {

VITTE_DECL text_view qemu_name(const machine::triple& t) {
  using machine::architecture;
  const bool little = t.order() == machine::byte_order::little;
  switch (t.arch()) {
    case architecture::aarch64:
      return little ? "qemu-aarch64" : "qemu-aarch64_be";
    case architecture::arm:
      return little ? "qemu-arm" : "qemu-armeb";
    case architecture::x86:
      return "qemu-i386";
    case architecture::x86_64:
      return "qemu-x86_64";
    case architecture::riscv64:
      return "qemu-riscv64";
    case architecture::riscv32:
      return "qemu-riscv32";
    case architecture::ppc64:
      return little ? "qemu-ppc64le" : "qemu-ppc64";
    case architecture::ppc:
      return "qemu-ppc";
    case architecture::s390x:
      return "qemu-s390x";
    case architecture::mips64:
      return little ? "qemu-mips64el" : "qemu-mips64";
    case architecture::mips:
      return little ? "qemu-mipsel" : "qemu-mips";
    case architecture::loongarch64:
      return "qemu-loongarch64";
    default:
      return "";
  }
}

VITTE_DECL bool is_directory(const std::string& p) {
  result<sys::file_status> st = sys::stat(p);
  return st && st->type == sys::file_type::directory;
}

/// A program from an override's value: its first word found on PATH, the
/// rest as arguments.
VITTE_DECL bool program_from_words(text_view value, program& p) {
  std::vector<std::string> words;
  std::string w;
  for (const char c : value) {
    if (c == ' ' || c == '\t') {
      if (!w.empty()) words.push_back(w), w.clear();
    } else {
      w += c;
    }
  }
  if (!w.empty()) words.push_back(w);
  if (words.empty()) return false;
  result<text> path = sys::find_program(words[0]);
  if (!path) return false;
  p.path = *path;
  for (std::size_t i = 1; i < words.size(); ++i) p.args.push_back(text(words[i]));
  return true;
}

VITTE_DECL bool find(text_view name, program& p) {
  result<text> path = sys::find_program(name);
  if (!path) return false;
  p.path = *path;
  return true;
}

}  // namespace detail

VITTE_DECL result<toolset> find_toolchain(text_view triple_text, const toolchain_options& options, diagnostic* why) {
  // "what; install: hint" about the triple as given (no hint: no package
  // would help).
  const auto fail = [&](errc kind, text_view what, text_view hint) -> vitte::error {
    if (why != nullptr) {
      why->clear();
      why->of(kind).about(triple_text).say(what);
      if (!hint.empty()) why->append("; install: ").append(hint);
    }
    return vitte::error{kind, ops::toolchain};
  };
  toolset tc;
  tc.target = machine::triple::resolve(triple_text);
  const machine::triple& t = tc.target;
  if (!t.known_arch()) return fail(errc::invalid_argument, "an architecture LLVM does not know", {});
  const machine::triple host = machine::host_triple();
  tc.native = t.arch() == host.arch() && t.system() == host.system() && t.env() == host.env();
  const std::string short_name = detail::without_vendor(t);
  // The names a GCC cross toolchain and its sysroot go by.
  std::vector<std::string> prefixes = {std::string(triple_text), std::string(t.str()), short_name};
  if (const std::string debian = detail::debian_triple(t); !debian.empty() && debian != short_name)
    prefixes.push_back(debian);  // armv7-linux-gnueabihf: Debian's arm-linux-gnueabihf-g++
  if (t.is_windows() && t.env() == machine::environment::gnu)
    prefixes.push_back(std::string(t.arch_name()) + "-w64-mingw32");

  // 1. The environment.
  const auto from_env = [&](text_view var, program& p) {
    std::vector<std::string> names;
    for (const std::string& spelling : {std::string(triple_text), std::string(t.str()), short_name}) {
      std::string underscored = spelling;
      std::replace(underscored.begin(), underscored.end(), '-', '_');
      names.push_back(std::string(var) + "_" + spelling);
      names.push_back(std::string(var) + "_" + underscored);
    }
    names.push_back(tc.native ? std::string(var) : "TARGET_" + std::string(var));
    for (const std::string& n : names) {
      result<text> v = sys::get_env(n);
      if (v && !v->empty() && detail::program_from_words(*v, p)) return true;
    }
    return false;
  };
  program env_cc, env_cxx;
  const bool have_env_cc = from_env("CC", env_cc);
  const bool have_env_cxx = from_env("CXX", env_cxx);
  const bool have_env = have_env_cc || have_env_cxx;
  from_env("AR", tc.ar);

  // 2-4. The machine.
  const auto clang = [&](program& cc, program& cxx) {
    if (!detail::find("clang", cc) || !detail::find("clang++", cxx)) return false;
    if (!tc.native) {
      cc.args.push_back(text("--target=") + t.str());
      cxx.args.push_back(text("--target=") + t.str());
    }
    return true;
  };
  const bool wasi = t.is_wasm() && t.system() == machine::os::wasi;
  if (tc.native) {
    program cc, cxx;
    const bool gcc = !options.prefer_clang && detail::find("gcc", cc) && detail::find("g++", cxx);
    if (gcc || clang(cc, cxx)) {
      tc.cc = cc;
      tc.cxx = cxx;
      tc.origin = "host";
    }
  } else if (wasi) {
    std::string sysroot;
    if (result<text> env = sys::get_env("WASI_SYSROOT"); env && detail::is_directory(std::string(env->view())))
      sysroot = std::string(env->view());
    else if (detail::is_directory("/usr/share/wasi-sysroot"))
      sysroot = "/usr/share/wasi-sysroot";
    const bool debian_wasi = detail::is_directory("/usr/lib/" + std::string(t.arch_name()) + "-wasi");
    program ld;
    const bool have_ld = detail::find("wasm-ld", ld);
    if (((sysroot.empty() && !debian_wasi) || !have_ld) && !have_env)
      return fail(
          errc::not_found, "no WASI toolchain here (clang, wasm-ld and wasi-libc)",
          "clang lld wasi-libc libclang-rt-14-dev-wasm32 (Debian), or WASI_SYSROOT=<wasi-sdk>/share/wasi-sysroot");
    program cc, cxx;
    if (!clang(cc, cxx) && !have_env) return fail(errc::not_found, "no clang on PATH", "clang lld wasi-libc (Debian)");
    if (!sysroot.empty()) {
      cc.args.push_back(text("--sysroot=") + sysroot);
      cxx.args.push_back(text("--sysroot=") + sysroot);
      tc.sysroot = text_view(sysroot);
    } else {
      tc.sysroot = "/usr";
    }
    tc.cc = cc;
    tc.cxx = cxx;
    tc.origin = "clang --target";
  } else {
    for (const std::string& p : prefixes) {
      if (options.prefer_clang) break;
      program cc, cxx;
      const bool found = (detail::find(p + "-gcc-posix", cc) || detail::find(p + "-gcc", cc)) &&
                         (detail::find(p + "-g++-posix", cxx) || detail::find(p + "-g++", cxx));
      if (!found) continue;
      tc.cc = cc;
      tc.cxx = cxx;
      detail::find(p + "-ar", tc.ar);
      if (detail::is_directory("/usr/" + p)) tc.sysroot = text_view("/usr/" + p);
      tc.origin = "gcc cross prefix";
      break;
    }
    if (tc.origin.empty()) {  // clang, when a sysroot for the target is installed
      for (const std::string& p : prefixes)
        if (tc.sysroot.empty() && detail::is_directory("/usr/" + p)) tc.sysroot = text_view("/usr/" + p);
      program cc, cxx;
      if (!tc.sysroot.empty() && clang(cc, cxx)) {
        tc.cc = cc;
        tc.cxx = cxx;
        tc.origin = "clang --target";
      }
    }
    if (tc.origin.empty() && !have_env) {
      return fail(errc::not_found, "no compiler for this target here", detail::install_hint(t, short_name));
    }
  }
  if (have_env) {  // the environment's word is final, for what it names
    tc.origin = "environment";
    if (have_env_cc) tc.cc = env_cc;
    if (have_env_cxx) tc.cxx = env_cxx;
  }
  if (tc.origin.empty()) return fail(errc::not_found, "no compiler on PATH", "gcc g++ or clang");
  for (const std::string& p : prefixes) {  // an override names the compiler only
    if (tc.native || t.is_wasm()) break;
    if (tc.sysroot.empty() && detail::is_directory("/usr/" + p)) tc.sysroot = text_view("/usr/" + p);
    if (tc.ar.path.empty()) detail::find(p + "-ar", tc.ar);
  }
  if (tc.cc.path.empty()) tc.cc = tc.cxx;
  if (tc.cxx.path.empty()) tc.cxx = tc.cc;
  if (tc.ar.path.empty()) {  // clang's own archiver for what clang builds (wasm objects), else binutils'
    const bool llvm = sys::file_name(tc.cc.path).starts_with("clang");
    if (!(llvm && detail::find("llvm-ar", tc.ar)) && !detail::find("ar", tc.ar)) detail::find("llvm-ar", tc.ar);
  }
  for (program* p : {&tc.cc, &tc.cxx}) {
    compiler c;
    c.path = p->path;
    c.name = sys::file_name(p->path);
    if (detail::classify(c.name, detail::without_vendor(host), c))
      p->version = text_view(detail::version_from_layout(c));
    if (p->version.empty()) p->version = text_view(detail::version_by_asking(p->path, p->args));
  }

  // How to run what it builds.
  if (!tc.native && t.is_windows()) {
    program wine;
    if (detail::find("wine", wine)) tc.runner.push_back(wine.path);
  } else if (!tc.native && !t.is_wasm() && t.system() == host.system()) {
    program qemu;
    if (detail::find(detail::qemu_name(t), qemu)) {
      tc.runner.push_back(qemu.path);
      if (!tc.sysroot.empty()) {
        tc.runner.push_back(text("-L"));
        tc.runner.push_back(tc.sysroot);
      }
    }
  }
  return tc;
}

}  // namespace vitte::toolchain

#endif  // VITTE_TOOLCHAIN_IMPL_TOOLCHAIN_IPP
