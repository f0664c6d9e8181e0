// vitte/toolchain/toolchain.hpp on a PATH made for the test: which names are
// compilers (and which are not: gcc-ar, c89-gcc, clang-format), the targets
// and versions they report, and find_toolchain's choices: the environment
// (CC_<triple>, TARGET_CC, with arguments), the host's compiler, a GCC
// cross prefix, MinGW's -posix flavour, the runner, and what it says when
// nothing builds for a triple. The fake compilers are shell scripts that
// answer -dumpversion, so this runs where /bin/sh does.
#include <vitte/sys/directory.hpp>
#include <vitte/sys/environment.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/time.hpp>
#include <vitte/sys/whole_file.hpp>
#include <vitte/toolchain/tool.hpp>
#include <vitte/toolchain/toolchain.hpp>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#if !defined(_WIN32)
#include <sys/stat.h>  // chmod
#endif

#include <boost/test/unit_test.hpp>

namespace cache = vitte::cache;
namespace toolchain = vitte::toolchain;
namespace sys = vitte::sys;
using vitte::errc;

namespace {

#if !defined(_WIN32)
// A PATH of one directory holding `names`, each a script printing `version`
// for -dumpversion; restored when the object goes away.
struct fake_path {
  sys::temp_directory dir = sys::temp_directory::create().value();
  std::string old = std::string(sys::get_env("PATH").value_or("").view());
  std::vector<std::string> vars;
  fake_path(std::initializer_list<const char*> names, const char* version = "13.2.0") {
    for (const char* n : names) {
      const std::string path = std::string(dir.path().c_str()) + "/" + n;
      BOOST_REQUIRE(sys::write_file(path.c_str(), "#!/bin/sh\necho " + std::string(version) + "\n").has_value());
      BOOST_REQUIRE(::chmod(path.c_str(), 0755) == 0);
    }
    BOOST_REQUIRE(sys::set_env("PATH", dir.path().c_str()).has_value());
  }
  void env(const char* name, const std::string& value) {
    BOOST_REQUIRE(sys::set_env(name, value.c_str()).has_value());
    vars.emplace_back(name);
  }
  std::string at(const char* name) const { return std::string(dir.path().c_str()) + "/" + name; }
  ~fake_path() {
    (void)sys::set_env("PATH", old.c_str());
    for (const std::string& v : vars) (void)sys::unset_env(v.c_str());
  }
};

std::string names_of(const vitte::buffer<toolchain::compiler>& all) {
  std::string s;
  for (const toolchain::compiler& c : all) s += std::string(c.name.view()) + " ";
  return s;
}
#endif

}  // namespace

BOOST_AUTO_TEST_SUITE(finding_toolchains)

#if !defined(_WIN32)
BOOST_AUTO_TEST_CASE(list_compilers_names_compilers_and_nothing_else) {
  fake_path p({"gcc", "g++", "aarch64-linux-gnu-gcc", "aarch64-linux-gnu-g++-13", "x86_64-w64-mingw32-gcc-posix",
               "clang", "clang++-17", "gcc-ar", "c89-gcc", "clang-format", "aarch64-linux-gnu-gcc-ranlib", "ld"});
  auto all = toolchain::list_compilers().value();
  BOOST_TEST(names_of(all) ==
             "aarch64-linux-gnu-g++-13 aarch64-linux-gnu-gcc clang clang++-17 g++ gcc x86_64-w64-mingw32-gcc-posix ");
  for (const toolchain::compiler& c : all) {
    const std::string name(c.name.view());
    BOOST_TEST(!c.version.empty(), name);
    if (name == "aarch64-linux-gnu-g++-13" || name == "clang++-17")  // the name says it
      BOOST_TEST(std::string(c.version.view()) == name.substr(name.rfind('-') + 1));
    if (name.rfind("aarch64", 0) == 0) BOOST_TEST(std::string(c.target.view()) == "aarch64-linux-gnu");
    if (name.rfind("x86_64-w64", 0) == 0) BOOST_TEST(std::string(c.target.view()) == "x86_64-w64-mingw32");
    if (name.rfind("clang", 0) == 0) {
      BOOST_TEST((c.family == toolchain::compiler_family::clang));
      BOOST_TEST(c.target.empty());  // any triple, with --target
    } else {
      BOOST_TEST((c.family == toolchain::compiler_family::gcc));
    }
    BOOST_TEST(c.cxx == (name.find("++") != std::string::npos), name);
    BOOST_TEST(std::string(c.path.view()) == p.at(name.c_str()));
  }
}

BOOST_AUTO_TEST_CASE(find_toolchain_prefers_the_environment_then_the_machine) {
  {  // A GCC cross prefix, spelled without the vendor; the runner when qemu is there.
    // (riscv64: a target no machine of the matrix is.)
    fake_path p({"riscv64-linux-gnu-gcc", "riscv64-linux-gnu-g++", "riscv64-linux-gnu-ar", "qemu-riscv64"});
    auto tc = toolchain::find_toolchain("riscv64-linux").value();
    BOOST_TEST(std::string(tc.target.str()) == "riscv64-unknown-linux-gnu");
    BOOST_TEST(std::string(tc.origin.view()) == "gcc cross prefix");
    BOOST_TEST(std::string(tc.cc.path.view()) == p.at("riscv64-linux-gnu-gcc"));
    BOOST_TEST(std::string(tc.cxx.path.view()) == p.at("riscv64-linux-gnu-g++"));
    BOOST_TEST(std::string(tc.ar.path.view()) == p.at("riscv64-linux-gnu-ar"));
    BOOST_TEST(!tc.cc.version.empty());  // this machine's layout, or asked: either says something
    BOOST_TEST_REQUIRE(!tc.runner.empty());
    BOOST_TEST(std::string(tc.runner[0].view()) == p.at("qemu-riscv64"));
    BOOST_TEST(!tc.native);
    BOOST_TEST(tc.executable_suffix().empty());
    // The environment wins, with its arguments: CC_<triple with underscores>.
    p.env("CC_riscv64_unknown_linux_gnu", "riscv64-linux-gnu-gcc -march=rv64gc");
    tc = toolchain::find_toolchain("riscv64-linux-gnu").value();
    BOOST_TEST(std::string(tc.origin.view()) == "environment");
    BOOST_TEST_REQUIRE(tc.cc.args.size() == 1u);
    BOOST_TEST(std::string(tc.cc.args[0].view()) == "-march=rv64gc");
    BOOST_TEST(std::string(tc.cxx.path.view()) == p.at("riscv64-linux-gnu-g++"));  // CXX not overridden: found
  }
  {  // MinGW: the -posix flavour first; wine runs what it builds.
    fake_path p({"x86_64-w64-mingw32-gcc", "x86_64-w64-mingw32-gcc-posix", "x86_64-w64-mingw32-g++-posix", "wine"});
    auto tc = toolchain::find_toolchain("x86_64-w64-mingw32").value();
    BOOST_TEST(std::string(tc.target.str()) == "x86_64-w64-windows-gnu");
    BOOST_TEST(std::string(tc.cc.path.view()) == p.at("x86_64-w64-mingw32-gcc-posix"));
    BOOST_TEST_REQUIRE(tc.runner.size() == 1u);
    BOOST_TEST(std::string(tc.runner[0].view()) == p.at("wine"));
    BOOST_TEST(std::string(tc.executable_suffix()) == ".exe");
  }
  {  // TARGET_CC for any cross target; CC for the host only.
    fake_path p({"my-cc", "gcc", "g++"});
    p.env("TARGET_CC", "my-cc");
    auto tc = toolchain::find_toolchain("s390x-linux-gnu").value();
    BOOST_TEST(std::string(tc.cc.path.view()) == p.at("my-cc"));
    auto host = toolchain::find_toolchain(vitte::machine::host_triple().str()).value();
    BOOST_TEST(host.native);
    BOOST_TEST(std::string(host.origin.view()) == "host");
    BOOST_TEST(std::string(host.cc.path.view()) == p.at("gcc"));
    BOOST_TEST(host.runner.empty());
  }
}

// The hint follows what is missing ("...; install: HINT"), about the
// triple as given, with the error's kind.
std::string hint_of(const vitte::diagnostic& why) {
  const std::string m(why.message().data(), why.message().size());
  const std::size_t at = m.find("; install: ");
  return at == std::string::npos ? std::string() : m.substr(at + 11);
}

BOOST_AUTO_TEST_CASE(nothing_for_a_triple_is_an_error_with_a_hint) {
  fake_path p({"gcc", "g++"});
  vitte::diagnostic why;
  auto tc = toolchain::find_toolchain("s390x-linux-gnu", {}, &why);
  BOOST_TEST((tc.error() == errc::not_found));
  BOOST_TEST((why.kind() == errc::not_found));
  BOOST_TEST(std::string(why.subject().data(), why.subject().size()) == "s390x-linux-gnu");
  BOOST_TEST(std::string(why.format().c_str())
                     .rfind("s390x-linux-gnu: no compiler for this target here; install: g++-s390x-linux-gnu", 0) == 0u,
             why.format().c_str());
  BOOST_TEST(hint_of(why).find("g++-s390x-linux-gnu") != std::string::npos, why.format().c_str());
  tc = toolchain::find_toolchain("x86_64-windows-msvc", {}, &why);
  BOOST_TEST((tc.error() == errc::not_found));
  BOOST_TEST(hint_of(why).find("mingw32") != std::string::npos, why.format().c_str());
  tc = toolchain::find_toolchain("wasm32-wasi", {}, &why);  // no clang, no wasm-ld on this PATH
  BOOST_TEST((tc.error() == errc::not_found));
  BOOST_TEST(hint_of(why).find("wasi-libc") != std::string::npos, why.format().c_str());
  BOOST_TEST(std::string(why.subject().data(), why.subject().size()) == "wasm32-wasi");
  tc = toolchain::find_toolchain("nonsense-thing", {}, &why);
  BOOST_TEST((tc.error() == errc::invalid_argument));
  BOOST_TEST((why.kind() == errc::invalid_argument));
  BOOST_TEST(hint_of(why).empty(), why.format().c_str());  // no package to install for a name nobody knows
  BOOST_TEST(std::string(why.format().c_str()) == "nonsense-thing: an architecture LLVM does not know");
}

// Only packages Debian has are named: its cross compilers are for Linux
// with glibc and MinGW-w64, spelled without '_'.
BOOST_AUTO_TEST_CASE(install_hints_name_only_packages_that_exist) {
  fake_path p({"gcc", "g++"});
  const vitte::machine::triple host = vitte::machine::host_triple();
  // Whether the hint for `triple` holds `needle` (or, with present = false,
  // does not); a triple that is this host's own (the fake gcc builds for
  // it) is not asked.
  const auto expect = [&](const char* triple, const char* needle, bool present = true) {
    const vitte::machine::triple t = vitte::machine::triple::resolve(triple);
    if (t.arch() == host.arch() && t.system() == host.system() && t.env() == host.env()) return;
    vitte::diagnostic why;
    auto tc = toolchain::find_toolchain(triple, {}, &why);
    BOOST_TEST((tc.error() == errc::not_found), triple);
    const std::string hint = hint_of(why);
    BOOST_TEST((hint.find(needle) != std::string::npos) == present, triple << ": " << hint);
  };
  expect("aarch64-apple-darwin", "g++-", false);
  expect("aarch64-apple-darwin", "not packaged by Debian");
  expect("aarch64-linux-musl", "g++-", false);
  expect("x86_64-w64-mingw32", "g++-mingw-w64-x86-64-posix");
  expect("i686-w64-mingw32", "g++-mingw-w64-i686-posix");
  expect("riscv64-linux-gnu", "g++-riscv64-linux-gnu (Debian)");
  expect("x86_64-freebsd", "g++-", false);
  expect("arm-none-eabi", "gcc-arm-none-eabi");
  // Debian's spellings: armv7 is its arm-linux-gnueabihf, i386 its i686; none for aarch64_be or aarch64 MinGW.
  expect("armv7-linux-gnueabihf", "g++-arm-linux-gnueabihf (Debian)");
  expect("i386-linux-gnu", "g++-i686-linux-gnu (Debian)");
  expect("aarch64_be-linux-gnu", "g++-", false);
  expect("aarch64-w64-mingw32", "g++-", false);
  expect("x86_64-unknown-linux", "  ", false);  // no empty word
}

BOOST_AUTO_TEST_CASE(a_remembered_tool_runs_again_only_when_its_file_changes) {
  fake_path p({"cc"});
  const std::string runs = p.at("runs");
  const auto script = [&](const char* version) {
    BOOST_REQUIRE(
        sys::write_file(p.at("cc").c_str(), "#!/bin/sh\necho run >> " + runs + "\necho " + version + "\n").has_value());
  };
  const auto count = [&] {
    const std::string all(sys::read_file_string(runs.c_str()).value_or("").view());
    return static_cast<int>(std::count(all.begin(), all.end(), '\n'));
  };
  script("cc 1.0");
  (void)sys::sleep_for(std::chrono::milliseconds(2100));  // the stamp settles
  auto index = cache::index::open(p.at("index.vitte")).value();
  cache::file_hasher files;
  const toolchain::tool first = toolchain::find_tool_remembered("cc", index, files).value();
  BOOST_TEST(std::string(first.version.view()) == "cc 1.0");
  BOOST_TEST(count() == 1);
  const toolchain::tool again = toolchain::find_tool_remembered("cc", index, files).value();
  BOOST_TEST(count() == 1);  // not run: its file is the one recorded
  BOOST_TEST((again.identity == first.identity));
  BOOST_TEST(std::string(again.path.view()) == p.at("cc"));
  BOOST_TEST(again.version.empty());
  BOOST_REQUIRE(index.save());
  auto reopened = cache::index::open(p.at("index.vitte")).value();
  cache::file_hasher later;
  BOOST_TEST((toolchain::find_tool_remembered("cc", reopened, later).value().identity == first.identity));
  BOOST_TEST(count() == 1);
  // Another program under the same name (the next build: a new pass): run
  // again, another identity.
  script("cc 2.0");
  reopened.refresh();
  cache::file_hasher after_edit;
  const toolchain::tool changed = toolchain::find_tool_remembered("cc", reopened, after_edit).value();
  BOOST_TEST(count() == 2);
  BOOST_TEST(std::string(changed.version.view()) == "cc 2.0");
  BOOST_TEST((changed.identity != first.identity));
}
#else
BOOST_AUTO_TEST_CASE(skipped_on_windows) { BOOST_TEST_MESSAGE("skipped: the fake compilers are shell scripts"); }
#endif

BOOST_AUTO_TEST_SUITE_END()
