// tests/support/programs.hpp - outside programs a test compares vitte with
// (GNU tar, bsdtar, signify, dpkg-deb, sha256sum): whether one is here, and
// its output.
//
//   if (!vitte_test::have("dpkg-deb")) { BOOST_TEST_MESSAGE("skipped: ..."); return; }
//   std::string out = vitte_test::run("dpkg-deb --info x.deb 2>&1");
//   int status = vitte_test::run_status("sha256sum -c SHA256SUMS");
//
// Windows and cross builds (an emulator runs the test) have none of them:
// have() says false there.
#ifndef VITTE_TESTS_SUPPORT_PROGRAMS_HPP
#define VITTE_TESTS_SUPPORT_PROGRAMS_HPP

#include <cstdio>
#include <cstdlib>
#include <string>

#if !defined(_WIN32)
#include <sys/wait.h>
#endif

namespace vitte_test {

inline bool have(const char* program) {
#if defined(_WIN32) || defined(VITTE_TEST_CROSS)
  (void)program;
  return false;
#else
  return std::system((std::string("command -v ") + program + " >/dev/null 2>&1").c_str()) == 0;
#endif
}

/// What `command` (run by /bin/sh) prints on stdout; `status` its exit status.
inline std::string run(const std::string& command, int* status = nullptr) {
  std::string out;
  int st = -1;
#if !defined(_WIN32)
  if (FILE* p = ::popen(command.c_str(), "r")) {
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    const int w = ::pclose(p);
    st = WIFEXITED(w) ? WEXITSTATUS(w) : -1;
  }
#else
  (void)command;
#endif
  if (status != nullptr) *status = st;
  return out;
}

inline int run_status(const std::string& command) {
  int st = -1;
  run(command, &st);
  return st;
}

}  // namespace vitte_test

#endif  // VITTE_TESTS_SUPPORT_PROGRAMS_HPP
