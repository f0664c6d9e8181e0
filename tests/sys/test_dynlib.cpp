// Dynamic libraries: the test library built by tests/meson.build opens, its
// symbols resolve and are called; a symbol at a version (dlvsym); bad paths
// and missing symbols give errors whose text names them; the running
// program; naming helpers; faults.
#include <vitte/sys/dynlib.hpp>
#include <vitte/sys/info.hpp>
#include <vitte/sys/path.hpp>
#include <vitte/sys/policy/fault.hpp>

#include <string>
#include <string_view>

#include <boost/test/unit_test.hpp>

#include "print.hpp"

namespace sys = vitte::sys;
using vitte::errc;
using vitte::operation;

namespace {

std::string library_path() {
  std::string self = sys::executable_path().value();
  return sys::path_join(sys::parent_path(self), sys::library_file_name("vitte_testlib"));
}

bool skip_without_loader() {
  if (sys::dynamic_libraries_available) return false;
  auto r = sys::library::open(library_path());
  BOOST_TEST(r.error() == errc::not_supported);  // a clear error, not a crash
  BOOST_TEST_MESSAGE("skipped: this build has no dynamic loader (static binary); open() reports not_supported");
  return true;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dynlib)

BOOST_AUTO_TEST_CASE(naming_helpers) {
  if (VITTE_OS_WINDOWS) BOOST_TEST(sys::library_file_name("z") == "z.dll");
  if (VITTE_OS_LINUX) BOOST_TEST(sys::library_file_name("z") == "libz.so");
  if (VITTE_OS_DARWIN) BOOST_TEST(sys::library_file_name("z") == "libz.dylib");
}

BOOST_AUTO_TEST_CASE(open_resolve_and_call) {
  if (skip_without_loader()) return;
  vitte::diagnostic why;
  auto lib = sys::library::open(library_path(), sys::library_flags::now, &why);
  BOOST_REQUIRE_MESSAGE(lib.has_value(), why.format().c_str());
  auto add = lib->sym<int(int, int)>("vitte_test_add").value();
  BOOST_TEST(add(2, 40) == 42);
  auto name = lib->sym<const char*()>("vitte_test_name").value();
  BOOST_TEST(std::string(name()) == "vitte test library");
  int* counter = lib->sym<int>("vitte_test_counter").value();
  auto bump = lib->sym<int()>("vitte_test_bump").value();
  BOOST_TEST(*counter == 41);
  BOOST_TEST(bump() == 42);
  BOOST_TEST(*counter == 42);
  BOOST_TEST(lib->close(&why).has_value());
  BOOST_TEST(!lib->is_open());
  BOOST_TEST(lib->symbol("vitte_test_add").error() == errc::bad_descriptor);
}

BOOST_AUTO_TEST_CASE(bad_path_names_the_path) {
  if (skip_without_loader()) return;
  vitte::diagnostic why;
  std::string missing = sys::path_join(sys::parent_path(library_path()), "no-such-library-4b1d");
  auto r = sys::library::open(missing, sys::library_flags::now, &why);
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error() == errc::not_found);
  BOOST_TEST(r.error().op() == vitte::sys::ops::library_open);
  BOOST_TEST(why.subject() == missing);  // about the path, with the kind of the error
  BOOST_TEST((why.kind() == errc::not_found));
  BOOST_TEST(!why.message().empty());
  BOOST_TEST(std::string(why.format().c_str()).find("no-such-library-4b1d") != std::string::npos, why.format().c_str());
  BOOST_TEST_MESSAGE("open error: " << why.format().c_str());

  // Not a library at all: the test program's helper text file, or a directory.
  auto dir = sys::library::open(std::string(sys::parent_path(library_path())), sys::library_flags::now, &why);
  BOOST_TEST(!dir);
  BOOST_TEST(!why.message().empty());
  if (!dir) BOOST_TEST((why.kind() == dir.error().kind()));
}

BOOST_AUTO_TEST_CASE(missing_symbol_names_the_symbol) {
  if (skip_without_loader()) return;
  auto lib = sys::library::open(library_path()).value();
  vitte::diagnostic why;
  auto r = lib.sym<void()>("vitte_no_such_symbol_91", &why);
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error() == errc::not_found);
  BOOST_TEST(r.error().op() == vitte::sys::ops::library_symbol);
  BOOST_TEST(why.subject() == "vitte_no_such_symbol_91");  // about the symbol
  BOOST_TEST((why.kind() == errc::not_found));
  BOOST_TEST_MESSAGE("symbol error: " << why.format().c_str());
  // Lookups without a diagnostic work the same.
  BOOST_TEST(lib.symbol("vitte_no_such_symbol_91").error() == errc::not_found);
}

// A symbol at a version (dlvsym): glibc's memcpy has two on x86_64, the
// old one (GLIBC_2.2.5, memmove's semantics) and the default (GLIBC_2.14).
BOOST_AUTO_TEST_CASE(a_symbol_at_a_version) {
  if (skip_without_loader()) return;
#if defined(__GLIBC__) && defined(__x86_64__)
  auto c = sys::library::open("libc.so.6").value();
  void* fallback = c.symbol("memcpy").value();
  void* current = c.versioned_symbol("memcpy", "GLIBC_2.14").value();
  void* old = c.versioned_symbol("memcpy", "GLIBC_2.2.5").value();
  BOOST_TEST(current == fallback);  // the default version is dlsym's
  BOOST_TEST(old != nullptr);
  vitte::diagnostic why;
  auto none = c.versioned_symbol("memcpy", "VITTE_0", &why);
  BOOST_REQUIRE(!none);
  BOOST_TEST(none.error() == errc::not_found);
  BOOST_TEST(why.subject() == "memcpy");
  BOOST_TEST_MESSAGE("version error: " << why.format().c_str());
#elif defined(__GLIBC__)
  // An object without symbol versions answers a versioned lookup with its
  // one definition (glibc's dlvsym, as ld.so binds a versioned reference).
  auto lib = sys::library::open(library_path()).value();
  auto r = lib.versioned_symbol("vitte_test_add", "VERS_1");
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(*r == lib.symbol("vitte_test_add").value());
#else
  auto lib = sys::library::open(library_path()).value();
  auto r = lib.versioned_symbol("vitte_test_add", "VERS_1");
  BOOST_TEST((!r && (r.error() == errc::not_found || r.error() == errc::not_supported)));
#endif
}

BOOST_AUTO_TEST_CASE(the_running_program_and_flags) {
  if (skip_without_loader()) return;
  auto self = sys::library::open_self();
  BOOST_REQUIRE(self.has_value());
  BOOST_TEST(self->close().has_value());
  // Global, lazy, and loaded again (reference counted): both stay usable.
  auto a = sys::library::open(library_path(), sys::library_flags::lazy | sys::library_flags::global).value();
  auto b = sys::library::open(library_path()).value();
  BOOST_TEST(a.sym<int(int, int)>("vitte_test_add").value()(1, 1) == 2);
  BOOST_TEST(a.close().has_value());
  BOOST_TEST(b.sym<int(int, int)>("vitte_test_add").value()(2, 2) == 4);
  // Pinned: the object forgets the handle, the library stays.
  auto add = b.sym<int(int, int)>("vitte_test_add").value();
  BOOST_TEST(b.pin().has_value());
  BOOST_TEST(!b.is_open());
  BOOST_TEST(add(3, 3) == 6);
}

BOOST_AUTO_TEST_CASE(open_faults_are_reported) {
  using P = sys::fault_platform<sys::platform>;
  sys::fault_plan::clear();
  sys::fault_plan::fail(vitte::sys::ops::library_open, errc::no_memory);
  auto r = sys::basic_library<P>::open(library_path());
  BOOST_TEST(r.error() == errc::no_memory);
  sys::fault_plan::clear();
}

BOOST_AUTO_TEST_SUITE_END()
