// vitte/release/package.hpp and signify.hpp: signify's key and signature files
// (ours read by signify-openbsd, its read by us), deterministic packages in
// the three formats (trees made in different orders, times and umasks give
// the same bytes), what sha256sum, signify and dpkg-deb say of them, and
// verify_package() refusing each kind of damage with its own message.
#include <vitte/base/detail/base64.hpp>
#include <vitte/crypto/ed25519.hpp>
#include <vitte/release/detail/ar.hpp>          // ar_read: its diagnostic
#include <vitte/release/detail/sha256_hex.hpp>  // sha256_hex
#include <vitte/release/package.hpp>
#include <vitte/release/signify.hpp>
#include <vitte/sys/directory.hpp>
#include <vitte/sys/metadata.hpp>  // exists
#include <vitte/sys/path_ops.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/whole_file.hpp>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#if !defined(_WIN32)
#include <sys/stat.h>  // umask, chmod
#include <unistd.h>    // truncate: a sparse file
#endif

#include <boost/test/unit_test.hpp>

#include "support/package_fixture.hpp"
#include "support/programs.hpp"

namespace release = vitte::release;
namespace sg = vitte::release::signify;
namespace ed = vitte::crypto::ed25519;
namespace sys = vitte::sys;
using vitte::errc;
using vitte_test::bytes;
using vitte_test::join;
using vitte_test::key_from;
using vitte_test::make_tree;
using vitte_test::options;
using vitte_test::put;
using vitte_test::slurp;
using vitte_test::verdict;

BOOST_AUTO_TEST_SUITE(package)

BOOST_AUTO_TEST_CASE(signify_files_round_trip_and_refuse_what_is_wrong) {
  const sg::secret_key k = key_from(7);
  const sg::public_key pub = sg::public_of(k);
  const std::string pub_file(sg::public_key_file(pub, "test public key").view());
  const std::string sec_file(sg::secret_key_file(k, "test secret key").view());
  BOOST_TEST(pub_file.rfind("untrusted comment: test public key\nRW", 0) == 0u, pub_file);  // base64 of "Ed"

  auto p = sg::read_public_key(pub_file).value();
  BOOST_TEST((p.number == pub.number));
  BOOST_TEST((p.key == pub.key));
  auto s = sg::read_secret_key(sec_file).value();
  BOOST_TEST((s.pair.seed == k.pair.seed));
  BOOST_TEST((s.number == k.number));

  const std::string msg = "SHA256 (a) = " + std::string(64, '0') + "\n";
  const std::string embedded(sg::sign(k, bytes(msg), "verify with test.pub", true).view());
  BOOST_TEST(std::string(sg::verify_embedded(pub, embedded).value()) == msg);
  const std::string detached(sg::sign(k, bytes(msg), "verify with test.pub", false).view());
  BOOST_TEST(sg::verify(pub, detached, bytes(msg)).has_value());

  vitte::diagnostic why;
  const auto said = [&] { return std::string(why.message().data(), why.message().size()); };
  // Another key, another message: both key numbers, the signer's first.
  const sg::public_key other = sg::public_of(key_from(8));
  auto wrong = sg::verify(other, detached, bytes(msg), &why);
  BOOST_TEST((wrong.error() == errc::verification_failed));
  BOOST_TEST((why.kind() == errc::verification_failed));
  BOOST_TEST(said().find("another key") != std::string::npos, said());
  BOOST_TEST(said().find("signed by key " + std::string(sg::to_hex(pub.number).view()) + ", the key given is " +
                         std::string(sg::to_hex(other.number).view())) != std::string::npos,
             said());
  sg::public_key same_number = other;
  same_number.number = pub.number;
  BOOST_TEST(!sg::verify(same_number, detached, bytes(msg), &why).has_value());
  BOOST_TEST(said() == "the signature does not match");
  BOOST_TEST(!sg::verify(pub, detached, bytes(msg + "x"), &why).has_value());
  BOOST_TEST(said() == "the signature does not match");

  // Malformed files.
  const auto malformed = [&](const std::string& file, const char* expect) {
    auto r = sg::read_public_key(file, &why);
    BOOST_TEST(!r.has_value(), file);
    if (!r) BOOST_TEST((r.error() == errc::malformed));
    BOOST_TEST((why.kind() == errc::malformed));
    BOOST_TEST(said().find(expect) != std::string::npos, said() << " / " << expect);
  };
  malformed("", "untrusted comment");
  malformed("comment: x\nRWQ=\n", "untrusted comment");
  malformed("untrusted comment: x\n", "newline");
  malformed("untrusted comment: x\nRWQ!!!!\n", "base64");
  malformed(std::string(sg::public_key_file(pub, "x").view()) + "more", "after the base64");
  malformed("untrusted comment: " + std::string(2000, 'c') + "\n", "1024");
  malformed(std::string(sg::secret_key_file(k, "x").view()), "base64");  // a secret key is not a public one
  // A passphrase-protected key: kdfrounds 42.
  std::uint8_t rec[104] = {'E', 'd', 'B', 'K', 0, 0, 0, 42};
  const std::string locked =
      "untrusted comment: locked\n" + std::string(vitte::detail::base64_encode(rec, 104).view()) + "\n";
  auto r = sg::read_secret_key(locked, &why);
  BOOST_TEST((r.error() == errc::not_supported));
  BOOST_TEST(said().find("passphrase") != std::string::npos);
  BOOST_TEST((why.kind() == errc::not_supported));
  // A corrupted secret key (its checksum no longer matches).
  std::string bad = sec_file;
  bad[bad.size() - 10] = bad[bad.size() - 10] == 'A' ? 'B' : 'A';
  auto c = sg::read_secret_key(bad, &why);
  BOOST_TEST(!c.has_value());
}

BOOST_AUTO_TEST_CASE(signify_openbsd_reads_ours_and_we_read_its) {
  if (!vitte_test::have("signify-openbsd")) {
    BOOST_TEST_MESSAGE("skipped: no signify-openbsd (Debian signify-openbsd; not on Windows or under an emulator)");
    return;
  }
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string root(t.path());
  const sg::secret_key k = key_from(9);
  put(join(root, "ours.pub"), std::string(sg::public_key_file(sg::public_of(k), "ours").view()));
  put(join(root, "ours.sec"), std::string(sg::secret_key_file(k, "ours").view()));
  put(join(root, "a.txt"), "some bytes\n");
  const std::string msg =
      "SHA256 (a.txt) = " + std::string(vitte::release::detail::sha256_hex(bytes("some bytes\n"))) + "\n";
  put(join(root, "SHA256.sig"), std::string(sg::sign(k, bytes(msg), "verify with ours.pub", true).view()));
  BOOST_TEST(vitte_test::run_status("cd '" + root + "' && signify-openbsd -C -p ours.pub -x SHA256.sig >/dev/null") ==
             0);
  // signify signs with our secret key; we check its signature.
  BOOST_TEST(vitte_test::run_status("cd '" + root + "' && signify-openbsd -S -s ours.sec -m a.txt -x a.txt.sig") == 0);
  BOOST_TEST(sg::verify(sg::public_of(k), slurp(join(root, "a.txt.sig")), bytes("some bytes\n")).has_value());
  // Its keys (no passphrase) sign for us; we verify its signatures.
  BOOST_REQUIRE(vitte_test::run_status("cd '" + root + "' && signify-openbsd -G -n -p theirs.pub -s theirs.sec") == 0);
  BOOST_REQUIRE(vitte_test::run_status("cd '" + root + "' && signify-openbsd -S -e -s theirs.sec -m a.txt -x e.sig") ==
                0);
  auto theirs_pub = sg::read_public_key(slurp(join(root, "theirs.pub"))).value();
  auto theirs_sec = sg::read_secret_key(slurp(join(root, "theirs.sec"))).value();
  BOOST_TEST((sg::public_of(theirs_sec).key == theirs_pub.key));
  BOOST_TEST(std::string(sg::verify_embedded(theirs_pub, slurp(join(root, "e.sig"))).value()) == "some bytes\n");
}

BOOST_AUTO_TEST_CASE(packages_are_deterministic) {
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string root(t.path());
#if !defined(_WIN32)
  const mode_t old = ::umask(022);
#endif
  make_tree(join(root, "one"), false, 1'000'000);
#if !defined(_WIN32)
  ::umask(077);
#endif
  make_tree(join(root, "two"), true, 2'000'000);
#if !defined(_WIN32)
  ::umask(old);
#endif
  const sg::secret_key k = key_from(1);
  for (auto f : {release::package_format::tar_gz, release::package_format::tar, release::package_format::deb}) {
    vitte::diagnostic why;
    auto a = release::make_package(join(root, "one"), join(root, "dist-one"), options(f, &k), &why);
    BOOST_REQUIRE_MESSAGE(a.has_value(), why.format().c_str());
    auto b = release::make_package(join(root, "two"), join(root, "dist-two"), options(f, &k), &why);
    BOOST_REQUIRE(b.has_value());
    BOOST_TEST(std::string(sys::file_name(a->archive)) == std::string(sys::file_name(b->archive)));
    for (const std::string& name : {std::string(sys::file_name(a->archive)), std::string("manifest.json"),
                                    std::string("SHA256SUMS"), std::string("SHA256SUMS.sig")})
      BOOST_TEST(slurp(join(join(root, "dist-one"), name)) == slurp(join(join(root, "dist-two"), name)), name);
#if !defined(_WIN32)
    BOOST_TEST(a->entries == 8u);  // the top, bin, bin/hello, bin/hi, share, share/data, share/doc, its README
#endif
  }
}

BOOST_AUTO_TEST_CASE(the_archive_in_memory_is_the_one_a_package_writes) {
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string root(t.path());
  make_tree(join(root, "tree"), false, 1'000'000, "data", false);
  // A file read in several pieces (1 MiB each), of bytes gzip cannot
  // shrink much, so the stream crosses its pieces and blocks.
  std::string big(3 * 1024 * 1024 + 7, '\0');
  std::uint32_t x = 12345;
  for (char& c : big) c = static_cast<char>((x = x * 1103515245u + 12345u) >> 24);
  put(join(join(root, "tree"), "share/big"), big);
  for (auto f : {release::package_format::tar_gz, release::package_format::tar, release::package_format::deb,
                 release::package_format::rpm, release::package_format::msi, release::package_format::pkg}) {
    BOOST_TEST_CONTEXT(release::to_string(f)) {
      release::package_options o = options(f, nullptr);
      if (f == release::package_format::pkg) o.target = "aarch64-apple-darwin";
      const std::string dist = join(root, std::string("dist-") + std::string(release::to_string(f)));
      vitte::diagnostic why;
      auto written = release::make_package(join(root, "tree"), dist, o, &why);
      BOOST_REQUIRE_MESSAGE(written.has_value(), why.format().c_str());
      auto in_memory = release::make_package_archive(join(root, "tree"), o, &why);
      BOOST_REQUIRE_MESSAGE(in_memory.has_value(), why.format().c_str());
      BOOST_TEST(std::string(in_memory->name.view()) == std::string(sys::file_name(written->archive)));
      BOOST_TEST(in_memory->entries == written->entries);
      const std::string file = slurp(std::string(written->archive.view()));
      BOOST_TEST(written->size == file.size());
      BOOST_TEST(
          (std::string(reinterpret_cast<const char*>(in_memory->bytes.data()), in_memory->bytes.size()) == file));
      BOOST_TEST(vitte_test::verdict(dist, nullptr) == "");  // it reads back, big file and all, as its manifest says
      // No scratch file is left beside the package, and the archive is readable by all.
      std::vector<std::string> names;
      auto listing = sys::directory_reader::open(dist).value();
      for (const auto& e : listing) names.push_back(std::string(e.name));
      BOOST_TEST(names.size() == 3u);  // the archive, manifest.json, SHA256SUMS
#if !defined(_WIN32)
      BOOST_TEST((sys::stat(written->archive).value().permissions & 0777) == 0644u);
#endif
    }
  }
  // Bad options fail as make_package's do.
  release::package_options bad = options(release::package_format::deb, nullptr);
  bad.version = "v1";
  vitte::diagnostic why;
  BOOST_TEST(!release::make_package_archive(join(root, "tree"), bad, &why).has_value());
  BOOST_TEST(std::string(why.message().data(), why.message().size()) ==
             "a Debian version starts with a digit and holds [A-Za-z0-9.+~-]");
  BOOST_TEST(std::string(why.subject().data(), why.subject().size()) == "v1");
  BOOST_TEST((why.kind() == errc::invalid_argument));
}

#if !defined(_WIN32)
BOOST_AUTO_TEST_CASE(a_long_package_tells_its_progress) {
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string root(t.path());
  make_tree(join(root, "tree"), false, 1'000'000);
  std::vector<std::string> steps;
  release::package_options o = options(release::package_format::tar, nullptr);
  o.progress = [](vitte::text_view step, void* user) {
    static_cast<std::vector<std::string>*>(user)->push_back(std::string(step.data(), step.size()));
  };
  o.progress_user = &steps;
  const auto packing = [&] {
    std::vector<std::string> lines;
    for (const std::string& s : steps)
      if (s.starts_with("packing the files: ")) lines.push_back(s);
    return lines;
  };
  // A small tree: the steps only.
  BOOST_REQUIRE(release::make_package(join(root, "tree"), join(root, "dist-small"), o).has_value());
  BOOST_TEST(packing().empty());
  BOOST_TEST((std::find(steps.begin(), steps.end(), "reading the tree") != steps.end()));
  // More than 64 MiB of files (a sparse one): each percent once, in order, to 100.
  BOOST_REQUIRE(::truncate(join(root, "tree/share/data").c_str(), std::int64_t{80} << 20) == 0);
  steps.clear();
  BOOST_REQUIRE(release::make_package(join(root, "tree"), join(root, "dist-large"), o).has_value());
  const std::vector<std::string> lines = packing();
  BOOST_REQUIRE(!lines.empty());
  BOOST_TEST(lines.back() == "packing the files: 100% (80 of 80 MiB)");
  BOOST_TEST(lines.size() <= 101u);
  for (std::size_t i = 1; i < lines.size(); ++i) BOOST_TEST(lines[i] != lines[i - 1]);
}
#endif

BOOST_AUTO_TEST_CASE(sha256sum_signify_and_dpkg_deb_accept_ours) {
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string root(t.path());
  make_tree(join(root, "tree"), false, 1);
  const sg::secret_key k = key_from(2);
  put(join(root, "release.pub"), std::string(sg::public_key_file(sg::public_of(k), "release").view()));
  for (auto f : {release::package_format::tar_gz, release::package_format::deb}) {
    const std::string dist = join(root, std::string("dist-") + std::string(release::to_string(f)));
    auto out = release::make_package(join(root, "tree"), dist, options(f, &k)).value();
    const sg::public_key pub = sg::public_of(k);
    BOOST_TEST(verdict(dist, &pub) == "");
    BOOST_TEST(verdict(dist, nullptr) == "");
    if (vitte_test::have("sha256sum"))
      BOOST_TEST(vitte_test::run_status("cd '" + dist + "' && sha256sum --quiet -c SHA256SUMS") == 0);
    if (vitte_test::have("signify-openbsd"))
      BOOST_TEST(vitte_test::run_status("cd '" + dist +
                                        "' && signify-openbsd -C -q -p ../release.pub -x SHA256SUMS.sig") == 0);
    else
      BOOST_TEST_MESSAGE("signify-openbsd not installed: its check skipped");
    if (f == release::package_format::tar_gz && vitte_test::have("tar")) {
      const std::string listing = vitte_test::run("tar -tzf '" + std::string(out.archive.view()) + "'");
      BOOST_TEST(listing.rfind("hello-1.2.0-x86_64-unknown-linux-gnu/\n", 0) == 0u, listing);
    }
    if (f == release::package_format::deb) {
      BOOST_TEST(std::string(sys::file_name(out.archive)) == "hello_1.2.0_amd64.deb");
      if (!vitte_test::have("dpkg-deb")) {
        BOOST_TEST_MESSAGE("dpkg-deb not here: its check skipped");
        continue;
      }
      int st = -1;
      const std::string info = vitte_test::run("dpkg-deb --info '" + std::string(out.archive.view()) + "' 2>&1", &st);
      BOOST_TEST(st == 0, info);
      BOOST_TEST(info.find("Package: hello") != std::string::npos, info);
      BOOST_TEST(info.find("Architecture: amd64") != std::string::npos, info);
      BOOST_TEST(info.find("Description: says hello") != std::string::npos, info);
      const std::string contents =
          vitte_test::run("dpkg-deb --contents '" + std::string(out.archive.view()) + "' 2>&1", &st);
      BOOST_TEST(st == 0, contents);
      BOOST_TEST(contents.find("usr/bin/hello") != std::string::npos, contents);
      BOOST_TEST(contents.find("usr/share/doc/README") != std::string::npos, contents);
    }
  }
}

BOOST_AUTO_TEST_CASE(verify_package_names_each_kind_of_damage) {
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string root(t.path());
  make_tree(join(root, "tree"), false, 1);
  make_tree(join(root, "bigger"), false, 1, std::string(20000, 'x'));
  const sg::secret_key k = key_from(3);
  const sg::public_key pub = sg::public_of(k);
  const auto fresh = [&](const std::string& name, release::package_format f, const char* tree = "tree") {
    const std::string dist = join(root, name);
    auto out = release::make_package(join(root, tree), dist, options(f, &k)).value();
    BOOST_REQUIRE(verdict(dist, &pub) == "");
    return std::pair<std::string, std::string>(dist, std::string(out.archive.view()));
  };

  {  // truncation
    auto [dist, archive] = fresh("truncated", release::package_format::tar_gz);
    const std::string whole = slurp(archive);
    put(archive, whole.substr(0, whole.size() / 2));
    const std::string v = verdict(dist, &pub);
    BOOST_TEST(v.rfind("truncated", 0) == 0u, v);
    BOOST_TEST(v.find(std::to_string(whole.size())) != std::string::npos, v);
  }
  {  // a swapped archive: another package of the same name
    auto [dist, archive] = fresh("swapped", release::package_format::tar_gz);
    auto other =
        release::make_package(join(root, "bigger"), join(root, "other"), options(release::package_format::tar_gz, &k))
            .value();
    put(archive, slurp(std::string(other.archive.view())));
    const std::string v = verdict(dist, &pub);
    BOOST_TEST(v.rfind("an entry differs from the manifest", 0) == 0u, v);
    BOOST_TEST(v.find("share/data") != std::string::npos, v);
  }
  {                     // a swapped archive that is shorter: still "differs", not "truncated"
    std::string noise;  // bytes gzip cannot shrink, so the other archive is surely shorter
    for (std::uint32_t x = 1; noise.size() < 3000;) noise += static_cast<char>((x = x * 1103515245u + 12345u) >> 24);
    make_tree(join(root, "larger"), false, 1, noise);
    auto [dist, archive] = fresh("swapped-shorter", release::package_format::tar_gz, "larger");
    make_tree(join(root, "smaller"), false, 1, "d");
    auto other = release::make_package(join(root, "smaller"), join(root, "other-smaller"),
                                       options(release::package_format::tar_gz, &k))
                     .value();
    BOOST_TEST(other.size < slurp(archive).size());
    put(archive, slurp(std::string(other.archive.view())));
    const std::string v = verdict(dist, &pub);
    BOOST_TEST(v.rfind("an entry differs from the manifest", 0) == 0u, v);
  }
  {  // a swapped member of a .deb
    auto [dist, archive] = fresh("swapped-deb", release::package_format::deb);
    auto other =
        release::make_package(join(root, "bigger"), join(root, "other-deb"), options(release::package_format::deb, &k))
            .value();
    const std::string mine = slurp(archive), theirs = slurp(std::string(other.archive.view()));
    const std::size_t at = mine.find("data.tar.gz"), at2 = theirs.find("data.tar.gz");
    BOOST_REQUIRE(at != std::string::npos);
    put(archive, mine.substr(0, at) + theirs.substr(at2));
    const std::string v = verdict(dist, &pub);
    BOOST_TEST(v.rfind("a member differs from the manifest", 0) == 0u, v);
    BOOST_TEST(v.find("data.tar.gz") != std::string::npos, v);
  }
  {  // a wrong key
    auto [dist, archive] = fresh("wrong-key", release::package_format::tar_gz);
    const sg::public_key other = sg::public_of(key_from(4));
    const std::string v = verdict(dist, &other);
    BOOST_TEST(v.rfind("signed by another key", 0) == 0u, v);
    BOOST_TEST(v.find(std::string(sg::to_hex(pub.number).view())) != std::string::npos, v);
  }
  {  // a bad checksum: one byte of the archive changed in place
    auto [dist, archive] = fresh("bad-checksum", release::package_format::tar_gz);
    std::string data = slurp(archive);
    data[data.size() / 2] = static_cast<char>(data[data.size() / 2] ^ 0x20);
    put(archive, data);
    const std::string v = verdict(dist, &pub);
    BOOST_TEST(v.rfind("checksum mismatch", 0) == 0u, v);
    // The check that failed is named: SHA-256, not the gzip CRC met reading it back.
    BOOST_TEST(v.find("(its SHA-256 differs") != std::string::npos, v);
  }
  {  // a key given for a package that was never signed
    auto [dist, archive] = fresh("unsigned", release::package_format::tar_gz);
    BOOST_REQUIRE(sys::remove(join(dist, "SHA256SUMS.sig")).has_value());
    vitte::diagnostic why;
    auto r = release::verify_package(dist, &pub, &why);
    BOOST_TEST((r.error() == errc::not_found));
    BOOST_TEST(std::string(why.message().data(), why.message().size()) ==
               "the package is unsigned: it has no SHA256SUMS.sig");
    BOOST_TEST((why.kind() == errc::not_found));
    BOOST_TEST(std::string(why.subject().data(), why.subject().size()) ==
               std::string(sys::path_join(dist, "SHA256SUMS.sig").view()));
    BOOST_TEST(verdict(dist, nullptr) == "");  // its checksums alone still hold
  }
  {  // SHA256SUMS edited after signing; a manifest edited
    auto [dist, archive] = fresh("edited", release::package_format::tar_gz);
    std::string sums = slurp(join(dist, "SHA256SUMS"));
    sums[sums.size() - 2] = sums[sums.size() - 2] == '0' ? '1' : '0';
    put(join(dist, "SHA256SUMS"), sums);
    BOOST_TEST(verdict(dist, &pub).rfind("SHA256SUMS is not the list", 0) == 0u, verdict(dist, &pub));
    std::string m = slurp(join(dist, "manifest.json"));
    m.replace(m.find("1.2.0"), 5, "1.2.1");
    put(join(dist, "manifest.json"), m);
    BOOST_TEST(verdict(dist, nullptr).rfind("checksum mismatch", 0) == 0u, verdict(dist, nullptr));
  }
  {  // a manifest that is not JSON, its checksum listed: the byte where it stops being JSON
    auto [dist, archive] = fresh("not_json", release::package_format::tar_gz);
    const std::string m = "{\"schema\": \"vitte.package\",, }";
    put(join(dist, "manifest.json"), m);
    const std::string digest =
        vitte::release::detail::sha256_hex({reinterpret_cast<const std::byte*>(m.data()), m.size()});
    std::string sums = slurp(join(dist, "SHA256SUMS"));
    const std::string listed = "SHA256 (manifest.json) = ";
    const std::size_t line = sums.find(listed);
    BOOST_REQUIRE(line != std::string::npos);
    sums.replace(line + listed.size(), 64, digest);
    put(join(dist, "SHA256SUMS"), sums);
    vitte::diagnostic why;
    auto r = release::verify_package(dist, nullptr, &why);
    BOOST_REQUIRE(!r.has_value());
    BOOST_TEST((r.error() == errc::malformed));
    const vitte::diagnostic d = why;
    BOOST_TEST((d.kind() == errc::malformed));
    BOOST_TEST(d.offset() == m.find(",,") + 1);
    BOOST_TEST(std::string(d.subject().data(), d.subject().size()) ==
               std::string(sys::path_join(dist, "manifest.json").view()));
    // A later refusal of another kind has no position left over.
    BOOST_REQUIRE(sys::remove(join(dist, "SHA256SUMS")).has_value());
    BOOST_REQUIRE(!release::verify_package(dist, nullptr, &why).has_value());
    BOOST_TEST(!why.has_offset());
  }
  {  // a signature that is not one, a missing archive
    auto [dist, archive] = fresh("missing", release::package_format::tar_gz);
    BOOST_REQUIRE(sys::remove(archive).has_value());
    BOOST_TEST(verdict(dist, &pub).rfind("cannot read", 0) == 0u);
    put(join(dist, "SHA256SUMS.sig"), "not a signature\n");
    BOOST_TEST(verdict(dist, &pub).find("untrusted comment") != std::string::npos, verdict(dist, &pub));
  }
}

BOOST_AUTO_TEST_CASE(ar_read_names_the_member_it_was_reading) {
  // The reader fills the kind, the offset and the member itself.
  std::string a(vitte::release::detail::ar_magic.data(), vitte::release::detail::ar_magic.size());
  BOOST_REQUIRE(vitte::release::detail::ar_append(a, "debian-binary", 0, bytes("2.0\n")));
  BOOST_REQUIRE(vitte::release::detail::ar_append(a, "data.tar.gz", 0, bytes(std::string(100, 'x'))));
  std::vector<vitte::release::detail::ar_member> members;
  vitte::diagnostic why;
  BOOST_REQUIRE(vitte::release::detail::ar_read(bytes(a), members, &why));
  BOOST_TEST(members.size() == 2u);
  members.clear();
  const std::string cut = a.substr(0, a.size() - 10);
  BOOST_TEST(!vitte::release::detail::ar_read(bytes(cut), members, &why));
  BOOST_TEST((why.kind() == errc::malformed));
  BOOST_TEST(std::string(why.subject().data(), why.subject().size()) == "data.tar.gz");
  BOOST_TEST(std::string(why.message().data(), why.message().size()) == "an ar member's data cut short");
  BOOST_TEST(why.offset() == a.size() - 100);  // where its data starts
  // A header cut short names no member (not the one before it).
  BOOST_TEST(!vitte::release::detail::ar_read(bytes(a + "data"), members, &why));
  BOOST_TEST(why.subject().empty());
  BOOST_TEST(why.offset() == a.size());
  BOOST_TEST(!vitte::release::detail::ar_read(bytes("!<arc"), members, &why));
  BOOST_TEST(std::string(why.message().data(), why.message().size()).find("magic") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_options_are_refused_before_anything_is_written) {
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string root(t.path());
  make_tree(join(root, "tree"), false, 1);
  const auto refused = [&](release::package_options o, const char* expect) {
    vitte::diagnostic why;
    auto r = release::make_package(join(root, "tree"), join(root, "dist"), o, &why);
    BOOST_TEST(!r.has_value(), expect);
    if (!r) BOOST_TEST((r.error() == errc::invalid_argument));
    BOOST_TEST((why.kind() == errc::invalid_argument));
    const std::string said(why.message().data(), why.message().size());
    BOOST_TEST(said.find(expect) != std::string::npos, said << " / " << expect);
  };
  auto o = options(release::package_format::tar_gz, nullptr);
  o.name = "../evil";
  refused(o, "package name");
  o = options(release::package_format::deb, nullptr);
  o.name = "Hello";
  refused(o, "Debian");
  o = options(release::package_format::deb, nullptr);
  o.version = "v1";
  refused(o, "starts with a digit");
  o = options(release::package_format::deb, nullptr);
  o.target = "wasm32-unknown-wasi";
  refused(o, "no architecture");
  o = options(release::package_format::tar_gz, nullptr);
  o.target = "x86_64/linux";
  refused(o, "triple");
  BOOST_TEST(!sys::exists(join(root, "dist")).value());
}

#if !defined(_WIN32)
// An .msi's file lives in one cabinet folder, 65535 blocks of 32 KiB: one
// (sparse) byte more is refused by name, about the tree, before any byte is
// read or written; nothing is left where the package would have gone.
BOOST_AUTO_TEST_CASE(an_msi_refuses_a_file_larger_than_a_cabinet_folder) {
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string root(t.path());
  make_tree(join(root, "tree"), false, 1, "data", false);  // no symlink, which MSI cannot hold
  BOOST_REQUIRE(::truncate(join(root, "tree/share/data").c_str(), std::int64_t{65535} * 32768 + 1) == 0);
  release::package_options o = options(release::package_format::msi, nullptr);
  vitte::diagnostic why;
  auto r = release::make_package(join(root, "tree"), join(root, "dist"), o, &why);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error() == errc::limit_exceeded));
  BOOST_TEST((why.kind() == errc::limit_exceeded));
  BOOST_TEST(std::string(why.subject().data(), why.subject().size()) == join(root, "tree"));
  BOOST_TEST(std::string(why.message().data(), why.message().size()) ==
             "a file over 2147450880 bytes (2 GiB - 32 KiB), the most one cabinet folder holds (65535 blocks of 32 "
             "KiB; a file cannot leave its folder) (share/data)");
  BOOST_TEST(!sys::exists(join(root, "dist")).value());
  BOOST_TEST(!release::make_package_archive(join(root, "tree"), o, &why).has_value());
  BOOST_TEST((why.kind() == errc::limit_exceeded));
}
#endif

BOOST_AUTO_TEST_SUITE_END()
