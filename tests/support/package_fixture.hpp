// tests/support/package_fixture.hpp - what the package tests share: a
// staging tree (made in either order, at any time, under any umask), the
// options of the "hello" package, signify keys from a fill byte,
// verify_package()'s verdict as one line, and what a format reader's
// refusal says.
#ifndef VITTE_TESTS_SUPPORT_PACKAGE_FIXTURE_HPP
#define VITTE_TESTS_SUPPORT_PACKAGE_FIXTURE_HPP

#include <vitte/base/diagnostic.hpp>  // refusal
#include <vitte/crypto/ed25519.hpp>
#include <vitte/release/package.hpp>
#include <vitte/release/signify.hpp>
#include <vitte/sys/directory.hpp>
#include <vitte/sys/path_ops.hpp>
#include <vitte/sys/whole_file.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#if !defined(_WIN32)
#include <sys/stat.h>  // chmod
#endif

#include <boost/test/unit_test.hpp>

namespace vitte_test {

inline vitte::span<const std::byte> bytes(const std::string& s) {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}
inline std::string join(const std::string& a, const std::string& b) { return a + "/" + b; }
inline std::string slurp(const std::string& path) { return std::string(vitte::sys::read_file_string(path).value()); }
inline void put(const std::string& path, const std::string& data) {
  BOOST_REQUIRE(vitte::sys::atomic_replace(path, vitte::text_view(data)).has_value());
}

inline vitte::release::signify::secret_key key_from(std::uint8_t fill) {
  vitte::crypto::ed25519::seed s{};
  s.fill(fill);
  return vitte::release::signify::from_key_pair(vitte::crypto::ed25519::key_pair_from_seed(s));
}

/// A staging tree: bin/hello (executable), share/doc/README, `extra` bytes
/// in share/data, and (POSIX, unless `symlink` is false) bin/hi -> hello.
inline void make_tree(const std::string& root, bool reverse, std::int64_t seconds, const std::string& extra = "data",
                      bool symlink = true) {
  namespace sys = vitte::sys;
  std::vector<std::pair<std::string, std::string>> files = {
      {"bin/hello", "#!/bin/sh\necho hello\n"}, {"share/doc/README", "read me\n"}, {"share/data", extra}};
  if (reverse) files = {files.rbegin(), files.rend()};
  for (const auto& [name, content] : files) {
    const std::string full = join(root, name);
    BOOST_REQUIRE(sys::create_directories(full.substr(0, full.rfind('/'))).has_value());
    BOOST_REQUIRE(sys::write_file(full, vitte::text_view(content)).has_value());
    auto f = sys::file::open(full, sys::open_mode::write).value();
    BOOST_REQUIRE(f.set_times(seconds * 1'000'000'000, seconds * 1'000'000'000).has_value());
  }
#if !defined(_WIN32)
  BOOST_REQUIRE(::chmod(join(root, "bin/hello").c_str(), 0755) == 0);
  if (symlink) BOOST_REQUIRE(sys::create_symlink("hello", join(root, "bin/hi")).has_value());
#else
  (void)symlink;
#endif
}

/// The "hello" package: version 1.2.0 for x86_64 Linux (an .msi: for x86_64
/// Windows), time 1700000000.
inline vitte::release::package_options options(vitte::release::package_format f,
                                               const vitte::release::signify::secret_key* key) {
  vitte::release::package_options o;
  o.name = "hello";
  o.version = "1.2.0";
  o.target = f == vitte::release::package_format::msi ? "x86_64-pc-windows-msvc" : "x86_64-unknown-linux-gnu";
  o.format = f;
  o.mtime = 1'700'000'000;
  o.key = key;
  o.description = "says hello";
  return o;
}

/// What verify_package() says about `dir` (its message, "what (detail)"): ""
/// when it accepts it.
inline std::string verdict(const std::string& dir, const vitte::release::signify::public_key* key) {
  vitte::diagnostic why;
  auto r = vitte::release::verify_package(dir, key, &why);
  if (r) return "";
  return std::string(why.message().data(), why.message().size());
}

/// The message of a package reader's refusal (release/detail/), after
/// checking what every refusal promises: a kind, a message, and a byte
/// offset inside the input of `size` bytes.
inline std::string refusal(const vitte::diagnostic& why, std::size_t size) {
  BOOST_TEST((why.kind() != vitte::errc::ok));
  BOOST_TEST(why.has_offset());
  BOOST_TEST(why.offset() <= size);
  const std::string said(why.message().data(), why.message().size());
  BOOST_TEST(!said.empty());
  return said.empty() ? "(empty message)" : said;
}

}  // namespace vitte_test

#endif  // VITTE_TESTS_SUPPORT_PACKAGE_FIXTURE_HPP
