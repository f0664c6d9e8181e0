// vitte/release/package.hpp with the installers' formats, .rpm and .msi, as
// a release script uses them: the same tree made in another order, at other
// times and under another umask gives the same bytes; the manifest lists
// what the package installs; verify_package() reads the package with the
// format's own reader and names truncation, a swapped package and an
// altered byte; options each format cannot hold are refused before a byte is
// written. What rpm, rpmlint, msiinfo and msiexec say of the packages:
// tests/release/test_rpm.cpp, test_msi.cpp and tests/tools/package_commands.py.
#include <vitte/release/detail/msi.hpp>         // msi_read: the components
#include <vitte/release/detail/pkg.hpp>         // pkg_read: the scripts
#include <vitte/release/detail/sha256_hex.hpp>  // sha256_hex
#include <vitte/release/package.hpp>
#include <vitte/sys/metadata.hpp>  // exists
#include <vitte/sys/temp.hpp>

#include <set>
#include <string>

#if !defined(_WIN32)
#include <sys/stat.h>  // umask
#endif

#include <boost/test/unit_test.hpp>

#include "support/package_fixture.hpp"

namespace release = vitte::release;
namespace sg = vitte::release::signify;
namespace sys = vitte::sys;
using vitte::errc;
using vitte_test::join;
using vitte_test::key_from;
using vitte_test::make_tree;
using vitte_test::options;
using vitte_test::put;
using vitte_test::slurp;
using vitte_test::verdict;

namespace {

constexpr release::package_format installers[] = {release::package_format::rpm, release::package_format::msi};

// An .msi holds no symlink: its trees have none.
bool with_symlink(release::package_format f) { return f != release::package_format::msi; }

}  // namespace

BOOST_AUTO_TEST_SUITE(package_installers)

BOOST_AUTO_TEST_CASE(installers_are_deterministic_and_list_what_they_install) {
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string root(t.path());
  const sg::secret_key k = key_from(1);
  for (auto f : installers) {
    const std::string one = join(root, std::string("one-") + std::string(release::to_string(f)));
    const std::string two = join(root, std::string("two-") + std::string(release::to_string(f)));
#if !defined(_WIN32)
    const mode_t old = ::umask(022);
#endif
    make_tree(one, false, 1'000'000, "data", with_symlink(f));
#if !defined(_WIN32)
    ::umask(077);
#endif
    make_tree(two, true, 2'000'000, "data", with_symlink(f));
#if !defined(_WIN32)
    ::umask(old);
#endif
    vitte::diagnostic why;
    auto a = release::make_package(one, one + ".dist", options(f, &k), &why);
    BOOST_REQUIRE_MESSAGE(a.has_value(), why.format().c_str());
    auto b = release::make_package(two, two + ".dist", options(f, &k), &why);
    BOOST_REQUIRE_MESSAGE(b.has_value(), why.format().c_str());
    const std::string name(sys::file_name(a->archive));
    BOOST_TEST(name == std::string(sys::file_name(b->archive)));
    BOOST_TEST(name == (f == release::package_format::rpm ? "hello-1.2.0-1.x86_64.rpm" : "hello-1.2.0-x64.msi"));
    for (const std::string& file : {name, std::string("manifest.json"), std::string("SHA256SUMS")})
      BOOST_TEST(slurp(join(one + ".dist", file)) == slurp(join(two + ".dist", file)), file);
    // The manifest lists the installed files with their digests.
    const std::string manifest = slurp(join(one + ".dist", "manifest.json"));
    BOOST_TEST(manifest.find("\"format\": \"" + std::string(release::to_string(f)) + "\"") != std::string::npos);
    BOOST_TEST(manifest.find("bin/hello\"") != std::string::npos, manifest);
    BOOST_TEST(manifest.find("share/doc/README\"") != std::string::npos, manifest);
    const std::string readme_sha = release::detail::sha256_hex(vitte_test::bytes("read me\n"));
    BOOST_TEST(manifest.find(readme_sha) != std::string::npos, manifest);
    BOOST_TEST(verdict(one + ".dist", nullptr) == "");
    const sg::public_key pub = sg::public_of(k);
    BOOST_TEST(verdict(one + ".dist", &pub) == "");
    // The archive in memory is the one written (a signed .rpm: signed too).
    auto in_memory = release::make_package_archive(one, options(f, &k), &why);
    BOOST_REQUIRE(in_memory.has_value());
    BOOST_TEST(std::string(in_memory->name.view()) == name);
    BOOST_TEST(std::string(reinterpret_cast<const char*>(in_memory->bytes.data()), in_memory->bytes.size()) ==
               slurp(join(one + ".dist", name)));
  }
}

BOOST_AUTO_TEST_CASE(verify_package_reads_installers_with_their_own_readers) {
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string root(t.path());
  const sg::secret_key k = key_from(3);
  const sg::public_key pub = sg::public_of(k);
  for (auto f : installers) {
    const std::string fmt(release::to_string(f));
    make_tree(join(root, "tree-" + fmt), false, 1, "data", with_symlink(f));
    make_tree(join(root, "bigger-" + fmt), false, 1, std::string(20000, 'x'), with_symlink(f));
    const auto fresh = [&](const std::string& name, const char* tree = "tree-") {
      const std::string dist = join(root, name + "-" + fmt);
      auto out = release::make_package(join(root, tree + fmt), dist, options(f, &k)).value();
      BOOST_REQUIRE(verdict(dist, &pub) == "");
      return std::pair<std::string, std::string>(dist, std::string(out.archive.view()));
    };
    {  // truncation: named, with where the reader stopped
      auto [dist, archive] = fresh("truncated");
      const std::string whole = slurp(archive);
      put(archive, whole.substr(0, whole.size() / 2));
      vitte::diagnostic why;
      auto r = release::verify_package(dist, &pub, &why);
      BOOST_REQUIRE(!r.has_value());
      BOOST_TEST((r.error() == errc::unexpected_eof), fmt);
      BOOST_TEST((why.kind() == errc::unexpected_eof), fmt);  // the kind, without the caller adding it
      const std::string said(why.message().data(), why.message().size());
      BOOST_TEST(said.rfind("truncated", 0) == 0u, fmt << ": " << said);
      BOOST_TEST(said.find(std::to_string(whole.size())) != std::string::npos, said);
      BOOST_TEST(std::string(why.subject().data(), why.subject().size()) == archive, fmt);  // the package's file
      BOOST_TEST(why.has_offset(), fmt << ": where the reader stopped");
    }
    {  // a swapped package: another tree under the same name
      auto [dist, archive] = fresh("swapped");
      auto other =
          release::make_package(join(root, "bigger-" + fmt), join(root, "other-" + fmt), options(f, &k)).value();
      put(archive, slurp(std::string(other.archive.view())));
      const std::string v = verdict(dist, &pub);
      BOOST_TEST(v.rfind("an entry differs from the manifest", 0) == 0u, fmt << ": " << v);
      BOOST_TEST(v.find("share/data") != std::string::npos, fmt << ": " << v);
    }
    {  // one byte altered in place
      auto [dist, archive] = fresh("altered");
      std::string data = slurp(archive);
      data[data.size() / 2] = static_cast<char>(data[data.size() / 2] ^ 0x20);
      put(archive, data);
      const std::string v = verdict(dist, &pub);
      BOOST_TEST(v.rfind("checksum mismatch", 0) == 0u, fmt << ": " << v);
    }
  }
}

// A signed .rpm whose own signature is by another key than the package's:
// SHA256SUMS, the manifest and their signify signature all made again by
// the package's key around another key's .rpm of the same tree.
BOOST_AUTO_TEST_CASE(a_signed_rpm_must_be_signed_by_the_package_key) {
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string root(t.path());
  make_tree(join(root, "tree"), false, 1);
  const sg::secret_key mine = key_from(5), theirs = key_from(6);
  const sg::public_key pub = sg::public_of(mine);
  auto a =
      release::make_package(join(root, "tree"), join(root, "a"), options(release::package_format::rpm, &mine)).value();
  auto b = release::make_package(join(root, "tree"), join(root, "b"), options(release::package_format::rpm, &theirs))
               .value();
  BOOST_TEST(std::string(sys::file_name(a.openpgp_key)) == "RPM-GPG-KEY-release");
  BOOST_TEST(verdict(join(root, "a"), &pub) == "");
  const std::string old_rpm = slurp(std::string(a.archive.view())), new_rpm = slurp(std::string(b.archive.view()));
  BOOST_REQUIRE(old_rpm != new_rpm);
  const auto hex = [](const std::string& data) { return release::detail::sha256_hex(vitte_test::bytes(data)); };
  const auto replace_all = [](std::string s, const std::string& from, const std::string& to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
      s.replace(at, from.size(), to);
    return s;
  };
  put(std::string(a.archive.view()), new_rpm);
  const std::string manifest_path = join(join(root, "a"), "manifest.json");
  const std::string old_manifest = slurp(manifest_path);
  const std::string new_manifest = replace_all(old_manifest, hex(old_rpm), hex(new_rpm));
  BOOST_REQUIRE(new_manifest != old_manifest);  // sizes are equal: the signatures have one length
  put(manifest_path, new_manifest);
  std::string sums = slurp(std::string(a.sums.view()));
  sums = replace_all(replace_all(sums, hex(old_rpm), hex(new_rpm)), hex(old_manifest), hex(new_manifest));
  put(std::string(a.sums.view()), sums);
  put(std::string(a.signature.view()),
      std::string(sg::sign(mine, vitte_test::bytes(sums), "verify with release.pub", true).view()));
  const std::string v = verdict(join(root, "a"), &pub);
  BOOST_TEST(v.rfind("the rpm's OpenPGP signature is not by the package's key", 0) == 0u, v);
  BOOST_TEST(verdict(join(root, "a"), nullptr) == "");  // its checksums alone hold
}

BOOST_AUTO_TEST_CASE(what_a_format_cannot_hold_is_refused_before_anything_is_written) {
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string root(t.path());
  make_tree(join(root, "tree"), false, 1);
  const auto refused = [&](release::package_options o, errc kind, const char* expect) {
    vitte::diagnostic why;
    auto r = release::make_package(join(root, "tree"), join(root, "dist"), o, &why);
    BOOST_TEST(!r.has_value(), expect);
    if (!r) BOOST_TEST((r.error() == kind), expect);
    BOOST_TEST((why.kind() == kind), expect);
    const std::string said(why.message().data(), why.message().size());
    BOOST_TEST(said.find(expect) != std::string::npos, said << " / " << expect);
  };
  auto o = options(release::package_format::rpm, nullptr);
  o.version = "1.2-3";
  refused(o, errc::invalid_argument, "no '-'");
  o = options(release::package_format::rpm, nullptr);
  o.release = "1-2";
  refused(o, errc::invalid_argument, "rpm release");
  o = options(release::package_format::rpm, nullptr);
  o.target = "wasm32-unknown-wasi";
  refused(o, errc::invalid_argument, "rpm has no architecture");
  o = options(release::package_format::rpm, nullptr);
  o.prefix = "usr";
  refused(o, errc::invalid_argument, "absolute");
  o = options(release::package_format::msi, nullptr);
  o.target = "x86_64-unknown-linux-gnu";
  refused(o, errc::invalid_argument, "Windows target");
  o = options(release::package_format::msi, nullptr);
  o.version = "1.2.0-beta";
  refused(o, errc::invalid_argument, "version");
  o = options(release::package_format::msi, nullptr);
  o.version = "1.256.0";
  refused(o, errc::invalid_argument, "version");
#if !defined(_WIN32)
  o = options(release::package_format::msi, nullptr);  // the tree holds bin/hi -> hello
  vitte::diagnostic why;
  auto r = release::make_package(join(root, "tree"), join(root, "dist"), o, &why);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error() == errc::not_supported));
  BOOST_TEST((why.kind() == errc::not_supported));
  // The entry, in the tree named as the subject.
  BOOST_TEST(std::string(why.message().data(), why.message().size()).find("bin/hi") != std::string::npos,
             why.format().c_str());
  BOOST_TEST(std::string(why.subject().data(), why.subject().size()) == join(root, "tree"));
#endif
  BOOST_TEST(!sys::exists(join(root, "dist")).value());
}

BOOST_AUTO_TEST_CASE(an_msi_keeps_configuration_files_on_upgrade_and_a_pkg_takes_scripts) {
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string root(t.path());
  const std::string tree = join(root, "tree");
  for (const char* d : {"tree/etc", "tree/share", "scripts"})
    BOOST_REQUIRE(sys::create_directories(join(root, d)).has_value());
  put(join(tree, "etc/hello.conf"), "level=1\n");
  put(join(tree, "share/extra.conf"), "more=1\n");
  put(join(tree, "hello.exe"), "MZ");
  // An .msi: a component per file, keyed by the upgrade code and the path
  // (one GUID whatever the version); a configuration file's (under etc/,
  // or asked for) NeverOverwrite and Permanent.
  std::vector<release::detail::msi_contents> read(2);
  for (int v = 0; v < 2; ++v) {
    release::package_options o = options(release::package_format::msi, nullptr);
    o.version = v == 0 ? "1.2.0" : "1.3.0";
    o.conffiles.push_back(vitte::text("/share/extra.conf"));
    vitte::diagnostic why;
    auto a = release::make_package_archive(tree, o, &why);
    BOOST_REQUIRE_MESSAGE(a.has_value(), why.format().c_str());
    BOOST_REQUIRE(release::detail::msi_read(a->bytes.span(), read[v], &why));
  }
  BOOST_REQUIRE(read[0].components.size() == 3u);
  std::set<std::string> ids;
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& c = read[0].components[i];
    BOOST_TEST(c.id == read[1].components[i].id, c.path);
    ids.insert(c.id);
    const bool config = c.path == "etc/hello.conf" || c.path == "share/extra.conf";
    BOOST_TEST(c.attributes == (config ? 256 | 128 | 16 : 256), c.path);
  }
  BOOST_TEST(ids.size() == 3u);  // one component each
  BOOST_TEST(read[0].product_code != read[1].product_code);

  // A .pkg's scripts, from a directory; refused for another format, or
  // when the directory holds neither script, or one without its "#!".
  const std::string scripts = join(root, "scripts");
  put(join(scripts, "postinstall"), "#!/bin/sh\necho after\n");
  release::package_options o = options(release::package_format::pkg, nullptr);
  o.target = "aarch64-apple-darwin";
  o.scripts = vitte::text_view(scripts);
  vitte::diagnostic why;
  auto a = release::make_package_archive(tree, o, &why);
  BOOST_REQUIRE_MESSAGE(a.has_value(), why.format().c_str());
  release::detail::pkg_contents pc;
  BOOST_REQUIRE(release::detail::pkg_read(a->bytes.span(), pc, &why));
  BOOST_TEST(pc.has_scripts);
  // numberOfFiles counts what `find` lists in the payload's root: ".", the
  // directories and the files.
  BOOST_TEST(pc.files == 6u);  // ., etc, etc/hello.conf, hello.exe, share, share/extra.conf
  const auto said = [&](release::package_options bad) {
    vitte::diagnostic w;
    return release::make_package_archive(tree, bad, &w) ? std::string() : std::string(w.format().c_str());
  };
  release::package_options rpm = options(release::package_format::rpm, nullptr);
  rpm.scripts = o.scripts;
  BOOST_TEST(said(rpm).find("only a .pkg runs scripts") != std::string::npos, said(rpm));
  release::package_options none = o;
  const std::string empty = join(root, "empty");
  BOOST_REQUIRE(sys::create_directories(empty).has_value());
  none.scripts = vitte::text_view(empty);
  BOOST_TEST(said(none).find("neither preinstall nor postinstall") != std::string::npos, said(none));
  put(join(scripts, "preinstall"), "echo no interpreter\n");
  BOOST_TEST(said(o).find("does not start with its \"#!\" line") != std::string::npos, said(o));
}

BOOST_AUTO_TEST_SUITE_END()
