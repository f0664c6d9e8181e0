// vitte/machine: triples normalised as clang prints them (clang_triples.inc,
// written by clang_triples.py from clang 14), their parts, vitte's short
// forms and the host triple.
#include <vitte/machine/triple.hpp>

#include <cstring>
#include <string>
#include <string_view>

#include <boost/test/unit_test.hpp>

namespace vt = vitte::machine;
using vt::architecture;
using vt::byte_order;
using vt::environment;
using vt::object_format;
using vt::os;

namespace {

struct clang_row {
  const char* input;
  const char* clang;
};
constexpr clang_row clang_rows[] = {
#include "clang_triples.inc"
};

std::string str(const vt::triple& t) { return std::string(t.str()); }

}  // namespace

BOOST_AUTO_TEST_SUITE(triples)

BOOST_AUTO_TEST_CASE(normalisation_agrees_with_clang) {
  BOOST_TEST(std::size(clang_rows) >= 200u);
  std::size_t differ = 0;
  for (const clang_row& r : clang_rows) {
    const std::string got(vt::normalize(r.input));
    if (got != r.clang) {
      ++differ;
      BOOST_TEST_MESSAGE(r.input << ": clang " << r.clang << ", vitte " << got);
    }
    // parse() keeps the normalised text, and normalising it again changes nothing.
    BOOST_TEST(str(vt::triple::parse(r.input)) == got);
    BOOST_TEST(std::string(vt::normalize(got)) == got);
  }
  BOOST_TEST(differ == 0u);
  // LLVM rewrites androideabiX to androidX on every pass, so normalising is
  // not idempotent there; clang 14 prints these.
  BOOST_TEST(std::string(vt::normalize("n-androideabieabis39")) == "n-unknown-unknown-androideabis39");
  BOOST_TEST(std::string(vt::normalize("n-unknown-unknown-androideabis39")) == "n-unknown-unknown-androids39");
}

BOOST_AUTO_TEST_CASE(parts_of_common_triples) {
  vt::triple w = vt::triple::parse("x86_64-w64-mingw32");
  BOOST_TEST(str(w) == "x86_64-w64-windows-gnu");
  BOOST_TEST((w.arch() == architecture::x86_64));
  BOOST_TEST(std::string(w.vendor_name()) == "w64");
  BOOST_TEST((w.system() == os::windows));
  BOOST_TEST((w.env() == environment::gnu));
  BOOST_TEST((w.format() == object_format::coff));
  BOOST_TEST(w.pointer_width() == 64u);
  BOOST_TEST(w.is_windows());

  vt::triple wasi = vt::triple::parse("wasm32-wasi");
  BOOST_TEST(str(wasi) == "wasm32-unknown-wasi");
  BOOST_TEST((wasi.arch() == architecture::wasm32));
  BOOST_TEST((wasi.system() == os::wasi));
  BOOST_TEST((wasi.format() == object_format::wasm));
  BOOST_TEST(wasi.pointer_width() == 32u);
  BOOST_TEST(wasi.is_wasm());

  vt::triple mac = vt::triple::parse("arm64-apple-macos11");
  BOOST_TEST((mac.arch() == architecture::aarch64));
  BOOST_TEST((mac.system() == os::macos));
  BOOST_TEST((mac.format() == object_format::macho));
  BOOST_TEST(mac.is_apple());

  vt::triple aix = vt::triple::parse("powerpc64-ibm-aix7.2");
  BOOST_TEST((aix.format() == object_format::xcoff));
  BOOST_TEST((aix.order() == byte_order::big));
  BOOST_TEST((vt::triple::parse("s390x-ibm-zos").format() == object_format::goff));
  BOOST_TEST((vt::triple::parse("x86_64-pc-windows-msvc").env() == environment::msvc));
  BOOST_TEST((vt::triple::parse("x86_64-pc-windows-msvc-elf").format() == object_format::elf));
  BOOST_TEST((vt::triple::parse("x86_64-unknown-linux-gnu").format() == object_format::elf));

  vt::triple m = vt::triple::parse("thumbv7em-none-eabihf");
  BOOST_TEST(str(m) == "thumbv7em-none-unknown-eabihf");
  BOOST_TEST((m.arch() == architecture::arm));
  BOOST_TEST((m.env() == environment::eabihf));
  BOOST_TEST(m.pointer_width() == 32u);
  BOOST_TEST((vt::triple::parse("armeb-linux-gnueabi").order() == byte_order::big));
  BOOST_TEST((vt::triple::parse("mips-linux-gnu").order() == byte_order::big));
  BOOST_TEST((vt::triple::parse("mipsel-linux-gnu").order() == byte_order::little));
  BOOST_TEST(vt::triple::parse("arm64_32-apple-watchos").pointer_width() == 32u);
  BOOST_TEST(vt::triple::parse("avr-unknown-unknown").pointer_width() == 16u);

  // Unknown parts stay as written and read as unknown.
  vt::triple odd = vt::triple::parse("riscv64gc-unknown-linux-gnu");
  BOOST_TEST(std::string(odd.arch_name()) == "riscv64gc");
  BOOST_TEST((odd.arch() == architecture::unknown));
  BOOST_TEST(!odd.known_arch());
  BOOST_TEST((odd.system() == os::linux_os));
  vt::triple sparc = vt::triple::parse("sparcv9-sun-solaris2.11");
  BOOST_TEST(sparc.known_arch());  // known to LLVM, without a vitte code
  BOOST_TEST((sparc.arch() == architecture::unknown));
  BOOST_TEST((sparc.system() == os::solaris));

  vt::triple none;
  BOOST_TEST(str(none) == "unknown");
  BOOST_TEST(std::string(none.environment_name()).empty());
  BOOST_TEST((none == vt::triple::parse("unknown")));
}

BOOST_AUTO_TEST_CASE(short_forms) {
  struct row {
    const char* in;
    const char* out;
  };
  constexpr row rows[] = {
      {"x86_64-linux", "x86_64-unknown-linux-gnu"},
      {"aarch64-linux", "aarch64-unknown-linux-gnu"},
      {"armv7-linux", "armv7-unknown-linux-gnueabihf"},
      {"x86_64-linux-musl", "x86_64-unknown-linux-musl"},
      {"arm-linux-musl", "arm-unknown-linux-musleabihf"},
      {"aarch64-android", "aarch64-unknown-linux-android"},
      {"aarch64-macos", "aarch64-apple-macos"},
      {"arm64-ios", "arm64-apple-ios"},
      {"x86_64-windows", "x86_64-pc-windows-msvc"},
      {"x86_64-mingw", "x86_64-w64-windows-gnu"},
      {"x86_64-freebsd", "x86_64-unknown-freebsd"},
      {"thumbv7m-none", "thumbv7m-none-unknown-eabi"},
      {"riscv64-none", "riscv64-unknown-none-elf"},
      {"wasm32", "wasm32-unknown-unknown"},
      {"wasm64", "wasm64-unknown-unknown"},
      {"wasm32-wasi", "wasm32-unknown-wasi"},
      // Not short forms: as parse() reads them.
      {"x86_64-pc-linux-gnu", "x86_64-pc-linux-gnu"},
      {"x86_64-w64-mingw32", "x86_64-w64-windows-gnu"},
      {"x86_64-linux-gnu", "x86_64-unknown-linux-gnu"},
      {"foo-linux", "foo-unknown-linux"},
  };
  for (const row& r : rows) BOOST_TEST(str(vt::triple::resolve(r.in)) == r.out, r.in);
  BOOST_TEST((vt::triple::resolve("aarch64-macos").format() == object_format::macho));
  BOOST_TEST(vt::triple::resolve("wasm64").pointer_width() == 64u);
}

BOOST_AUTO_TEST_CASE(host_triple_describes_this_program) {
  const vt::triple host = vt::host_triple();
  BOOST_TEST_MESSAGE("host triple: " << host.str());
  BOOST_TEST((host.arch() == vt::host_architecture));
  BOOST_TEST((host.order() == vt::host_byte_order));
  BOOST_TEST(host.pointer_width() == sizeof(void*) * 8);
  BOOST_TEST((vt::triple::parse(host.str()) == host));
#if defined(__linux__)
  BOOST_TEST((host.system() == os::linux_os));
#elif defined(_WIN32)
  BOOST_TEST((host.system() == os::windows));
  BOOST_TEST((host.format() == object_format::coff));
#elif defined(__APPLE__)
  BOOST_TEST(host.is_apple());
#endif
}

BOOST_AUTO_TEST_CASE(names_of_the_enumerations) {
  BOOST_TEST(std::string(vt::to_string(os::linux_os)) == "linux");
  BOOST_TEST(std::string(vt::to_string(environment::musleabihf)) == "musleabihf");
  BOOST_TEST(std::string(vt::to_string(object_format::macho)) == "macho");
  BOOST_TEST(std::string(vt::to_string(architecture::wasm64)) == "wasm64");
}

BOOST_AUTO_TEST_SUITE_END()
