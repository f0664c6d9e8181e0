// Shared by tests/loader/test_loader*.cpp: where the sample plugins are
// (tests/loader/plugins/, built into loader/plugins/ beside the test
// executables), and scenario directories that hold copies of just the
// plugins a test wants.
#ifndef VITTE_TESTS_LOADER_FIXTURE_HPP
#define VITTE_TESTS_LOADER_FIXTURE_HPP

#include <vitte/loader/loader.hpp>
#include <vitte/sys/path.hpp>
#include <vitte/sys/path_ops.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/whole_file.hpp>

#include <cstddef>
#include <cstdlib>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "print.hpp"

namespace loader_test {

namespace sys = vitte::sys;

/// The directory of the test executable (from argv[0], as Meson runs it).
inline std::string exe_dir() {
  auto& suite = boost::unit_test::framework::master_test_suite();
  std::string self = suite.argc > 0 ? suite.argv[0] : "";
  std::string dir = sys::parent_path(self).empty() ? std::string(".") : std::string(sys::parent_path(self));
  return dir;
}

/// The directory of the sample plugins.
inline std::string plugin_dir() { return sys::path_join(sys::path_join(exe_dir(), "loader"), "plugins"); }

/// The file name Meson gives plugin `name` (shared_module, prefix "lib").
inline std::string plugin_file(const std::string& name) { return "lib" + name + (VITTE_OS_WINDOWS ? ".dll" : ".so"); }
inline std::string plugin_path(const std::string& name) { return sys::path_join(plugin_dir(), plugin_file(name)); }

/// A temporary directory holding copies of the named plugins; removed at
/// the end of the test.
struct scenario {
  sys::temp_directory temp;
  std::string dir;
  explicit scenario(std::initializer_list<std::string> names)
      : temp(sys::temp_directory::create({}, "vitte-loader-").value()), dir(temp.path()) {
    for (const std::string& n : names) add(n);
  }
  /// Copies plugin `name` in, as `as` (default: its own file name).
  std::string add(const std::string& name, std::string as = {}) {
    if (as.empty()) as = plugin_file(name);
    std::string to = sys::path_join(dir, as);
    BOOST_REQUIRE_MESSAGE(sys::copy_file(plugin_path(name), to, {.overwrite = true}).has_value(),
                          "copy " + plugin_path(name));
    return to;
  }
};

/// True when this run loads native plugins as in-memory ELF images: the
/// `*_image` tests run the same executable as the OS-loader tests, with
/// VITTE_TEST_IMAGES=1 in the environment (tests/meson.build), so each
/// test body compiles once per target.
inline bool testing_images() {
  static const bool on = [] {
    const char* v = std::getenv("VITTE_TEST_IMAGES");
    return v != nullptr && std::string(v) == "1";
  }();
  return on;
}

/// The loader options of a test: the backend under test is the OS loader,
/// or in-memory ELF images when testing_images() (the same test body runs
/// on both).
inline vitte::loader::loader_options with_backend(vitte::loader::loader_options o) {
  if (testing_images()) o.native = vitte::loader::native_backend_choice::image;
  return o;
}

/// True when this run loads native plugins: the OS loader, or images.
inline bool can_load_plugins() {
  if (testing_images()) return vitte::loader::elf_image::images_supported();
  return sys::dynamic_libraries_available || vitte::loader::elf_image::images_supported();
}

/// The host function the sample plugins import as host.add.
inline int host_add(int a, int b) { return a + b; }

/// Loads `name`, failing the test with the loader's diagnostics.
inline vitte::loader::module load_ok(vitte::loader::loader& l, std::string_view name) {
  vitte::diagnostic_list why;
  auto m = l.load(name, &why);
  BOOST_REQUIRE_MESSAGE(m.has_value(), why.joined().c_str());
  return *m;
}

/// True, with a message, in a build that cannot load shared libraries
/// (a static binary): the tests that need native plugins return.
inline bool natives_unavailable() {
  if (sys::dynamic_libraries_available) return false;
  BOOST_TEST_MESSAGE(
      "skipped: this build cannot load shared libraries (static binary); the tests without native plugins run");
  return true;
}

/// A vector's bytes as a span.
inline std::span<const std::byte> span_of(const std::vector<std::byte>& v) { return {v.data(), v.size()}; }

/// The bytes of a file.
inline std::vector<std::byte> bytes_of(const std::string& path) { return sys::read_file(path).value(); }

/// True under AddressSanitizer or ThreadSanitizer, which map memory of
/// their own as the program runs, and whose leak and race checks do not
/// see inside images.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool under_mapping_sanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool under_mapping_sanitizer = true;
#else
inline constexpr bool under_mapping_sanitizer = false;
#endif
#else
inline constexpr bool under_mapping_sanitizer = false;
#endif

}  // namespace loader_test

#endif  // VITTE_TESTS_LOADER_FIXTURE_HPP
