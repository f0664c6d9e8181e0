// Shared by the file-system tests: a fresh temporary directory per test,
// and a check that the test closed every descriptor it opened.
#ifndef VITTE_TESTS_FS_FIXTURE_HPP
#define VITTE_TESTS_FS_FIXTURE_HPP

#include <vitte/sys/fs.hpp>

#include <algorithm>
#include <cstdlib>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "print.hpp"

namespace vitte::sys {
inline std::ostream& operator<<(std::ostream& os, file_type t) { return os << "file_type(" << int(t) << ")"; }
}  // namespace vitte::sys

namespace fs_test {

namespace sys = vitte::sys;

// Open descriptors of this process (/proc/self/fd on Linux); -1 elsewhere.
inline long open_descriptors() {
#if VITTE_OS_LINUX
  auto r = sys::directory_reader::open("/proc/self/fd");
  if (!r) return -1;
  long n = 0;
  for (const sys::dir_entry& e : *r) {
    (void)e;
    ++n;
  }
  return r->error() ? -1 : n;  // the reader's own count too, the same every time
#else
  return -1;
#endif
}

// The names in `dir`, sorted.
inline std::vector<std::string> names_in(const std::string& dir) {
  std::vector<std::string> names;
  auto r = sys::directory_reader::open(dir).value();
  for (const sys::dir_entry& e : r) names.emplace_back(e.name);
  BOOST_TEST(!r.error());
  std::sort(names.begin(), names.end());
  return names;
}

// Where test directories go: $VITTE_TEST_TMPDIR, else the system's.
inline std::string test_root() {
  const char* env = std::getenv("VITTE_TEST_TMPDIR");
  if (env != nullptr && env[0] != '\0') return env;
  return sys::temp_directory_path().value();
}

// A fresh directory for one test, removed afterwards; and the descriptor
// count before and after the test must match (no leaks).
struct fixture {
  long descriptors_before = open_descriptors();
  sys::temp_directory dir = sys::temp_directory::create(test_root(), "vitte-fs-test-").value();

  ~fixture() {
    BOOST_TEST(dir.remove().has_value());
    long after = open_descriptors();
    BOOST_TEST(after == descriptors_before,
               "open descriptors: " << descriptors_before << " before, " << after << " after the test");
  }

  std::string path(std::string_view name) const { return sys::path_join(dir.path(), name); }
};

}  // namespace fs_test

#endif  // VITTE_TESTS_FS_FIXTURE_HPP
