// vitte/release/detail/rpm.hpp and cpio.hpp: .rpm packages written from the
// tar of an installed tree and read back (the same entries as the tar, less
// the standard directories), byte for byte deterministic; what rpm itself
// says of them (rpm -K, -qpi, -qplv, rpmlint, rpm2cpio | cpio, an install
// into a scratch root compared with the tree); a package rpmbuild made read
// by us; and hostile packages (every truncation, index fields changed, a
// payload that does not match its digest, a gzip bomb) refused with a
// reason, never a crash. Signed packages (detail/openpgp.hpp): rpm -K
// checks our Ed25519 header signature once our key block is imported, gpg
// takes the key and our detached signatures, rpmlint finds no error at all,
// and hostile signature packets are refused.
#include <vitte/archive/tar.hpp>
#include <vitte/base/detail/bytes.hpp>  // octets_of
#include <vitte/base/detail/endian.hpp>
#include <vitte/base/detail/hex.hpp>
#include <vitte/compress/deflate.hpp>
#include <vitte/crypto/ed25519.hpp>
#include <vitte/crypto/sha256.hpp>
#include <vitte/release/detail/cpio.hpp>
#include <vitte/release/detail/openpgp.hpp>
#include <vitte/release/detail/rpm.hpp>
#include <vitte/release/detail/sha256_hex.hpp>  // sha256_hex
#include <vitte/sys/directory.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/whole_file.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "support/package_fixture.hpp"
#include "support/programs.hpp"

namespace bd = vitte::release::detail;
namespace va = vitte::archive;
namespace sys = vitte::sys;
using vitte::errc;
using vitte_test::bytes;
using vitte_test::join;
using vitte_test::put;
using vitte_test::slurp;

namespace {

std::string text_of(vitte::span<const std::byte> b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }
std::string quote(const std::string& s) { return "'" + s + "'"; }

// Data of every length mod 4, so that cpio pads each way; bytes of all values.
std::string binary_data(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + 7) & 255);
  return s;
}

// The tar of an installed tree as a .deb's data.tar has it: the parents of
// the prefix first, then the tree. `reverse` adds the entries in another
// order; `odd` adds what rpmlint frowns on (an empty file, a 0750 directory).
vitte::buffer<std::byte> tree_tar(bool reverse = false, bool odd = true) {
  struct item {
    std::string path;
    int kind;  // 0 directory, 1 file, 2 symlink
    std::string data;
    std::uint32_t mode;
  };
  std::vector<item> items = {
      {"usr", 0, "", 0755},
      {"usr/bin", 0, "", 0755},
      {"usr/bin/hello", 1, "#!/bin/sh\necho hello\n", 0755},
      {"usr/bin/hi", 2, "hello", 0777},
      {"usr/share", 0, "", 0755},
      {"usr/share/doc", 0, "", 0755},
      {"usr/share/doc/hello", 0, "", 0755},
      {"usr/share/doc/hello/README", 1, "Read me.\n", 0644},
      {"usr/share/hello", 0, "", 0755},
      {"usr/share/hello/a.dat", 1, binary_data(1), 0644},
      {"usr/share/hello/b.dat", 1, binary_data(4098), 0644},
      {"usr/share/hello/c.dat", 1, binary_data(7), 0644},
      {"usr/share/hello/empty", 1, "", 0644},
      {"usr/share/hello/sub", 0, "", 0750},
      {"usr/share/hello/sub/link-to-readme", 2, "../../doc/hello/README", 0777},
      {"usr/share/hello-extra", 0, "", 0755},  // sorts before "usr/share/hello/" byte-wise
  };
  if (!odd) {
    items.erase(std::remove_if(items.begin(), items.end(), [](const item& i) { return i.path.ends_with("empty"); }),
                items.end());
    for (item& i : items)
      if (i.mode == 0750) i.mode = 0755;
  }
  if (reverse) std::reverse(items.begin(), items.end());
  va::tar_writer w;
  for (const item& i : items) {
    vitte::status s = i.kind == 0   ? w.add_directory(i.path, i.mode)
                      : i.kind == 1 ? w.add_file(i.path, bytes(i.data), i.mode)
                                    : w.add_symlink(i.path, i.data);
    BOOST_REQUIRE(s.has_value());
  }
  return w.finish();
}

bd::rpm_fields fields(vitte::text_view arch = "x86_64") {
  bd::rpm_fields f;
  f.name = "hello";
  f.version = "1.2.0";
  f.release = "1";
  f.arch = arch;
  f.summary = "Greets the user";
  f.description = "A small program that greets its user, packaged for the tests.";
  f.license = "MIT";
  f.url = "https://example.org/hello";
  f.packager = "Ann Example <ann@example.org>";
  f.group = "Applications/System";
  f.build_time = 1'700'000'000;
  return f;
}

vitte::buffer<std::byte> write(vitte::span<const std::byte> tar, const bd::rpm_fields& f) {
  vitte::diagnostic why;
  auto r = bd::rpm_write(tar, f, &why);
  BOOST_REQUIRE_MESSAGE(r.has_value(), why.format().c_str());
  return static_cast<vitte::buffer<std::byte>&&>(*r);
}

// The entries of a tar, as the package readers list them (release/impl/package.ipp).
std::vector<bd::package_entry> tar_entries(vitte::span<const std::byte> tar) {
  std::vector<bd::package_entry> out;
  va::tar_reader r(tar);
  for (;;) {
    auto e = r.next();
    BOOST_REQUIRE(e.has_value());
    if (*e == nullptr) return out;
    bd::package_entry p;
    p.path = std::string((*e)->path.view());
    p.type = std::string(va::to_string((*e)->type));
    p.mode = (*e)->mode & 07777;
    p.size = (*e)->size;
    p.link = std::string((*e)->link.view());
    if ((*e)->type == va::entry_type::file) p.sha256 = bd::sha256_hex(r.data());
    out.push_back(p);
  }
}

// What rpm_write() puts in the package: the tar's entries less the standard
// directories, sorted by path.
std::vector<bd::package_entry> expected_entries(vitte::span<const std::byte> tar) {
  std::vector<bd::package_entry> all = tar_entries(tar), out;
  for (const auto& e : all)
    if (!(e.type == "directory" && bd::rpm_standard_directory(e.path))) out.push_back(e);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  return out;
}

// The signing key of the tests (a fixed seed: the same key ID every run),
// and another one.
vitte::crypto::ed25519::key_pair test_key(std::uint8_t salt = 0) {
  vitte::crypto::ed25519::seed seed{};
  for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<std::uint8_t>(i * 29 + 3 + salt);
  return vitte::crypto::ed25519::key_pair_from_seed(seed);
}
const char* const test_user_id = "Vitte Tests <release@example.org>";

// Lower-case hex of bytes; rpm -Kv names a key by its key ID's last 4 bytes.
template <class Bytes>
std::string hex(const Bytes& b, std::size_t from = 0) {
  std::string s(2 * (b.size() - from), '\0');
  vitte::detail::hex_encode(reinterpret_cast<const std::uint8_t*>(b.data()) + from, b.size() - from, s.data());
  return s;
}

std::string message_of(const vitte::diagnostic& why) { return std::string(why.message().data(), why.message().size()); }
std::string subject_of(const vitte::diagnostic& why) { return std::string(why.subject().data(), why.subject().size()); }

// rpm_read's verdict: "" when it accepts the package; `why`, what it said.
std::string read_problem(vitte::span<const std::byte> rpm, bd::rpm_contents* out = nullptr,
                         vitte::diagnostic* said = nullptr) {
  bd::rpm_contents c;
  vitte::diagnostic why;
  const bool ok = bd::rpm_read(rpm, c, &why);
  if (out != nullptr) *out = c;
  if (said != nullptr) *said = why;
  if (ok) return "";
  return vitte_test::refusal(why, rpm.size());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rpm)

BOOST_AUTO_TEST_CASE(cpio_round_trip_and_bounds) {
  std::string a;
  BOOST_TEST(bd::cpio_append(a, "./x", {.ino = 1, .mode = 0100644, .nlink = 1, .mtime = 5}, bytes("abcde")));
  BOOST_TEST(bd::cpio_append(a, "./dir", {.ino = 2, .mode = 040755}, {}));
  BOOST_TEST(!bd::cpio_append(a, "", {}, {}));
  BOOST_TEST(!bd::cpio_append(a, std::string("a\0b", 3), {}, {}));
  bd::cpio_finish(a);
  BOOST_TEST(a.size() % 4 == 0);
  BOOST_TEST(a.substr(0, 6) == "070701");
  // GNU cpio reads it.
  if (vitte_test::have("cpio")) {
    sys::temp_directory t = sys::temp_directory::create().value();
    put(join(std::string(t.path()), "a.cpio"), a);
    BOOST_TEST(vitte_test::run("cpio -t --quiet < " + quote(join(std::string(t.path()), "a.cpio")) + " 2>&1") ==
               "./x\n./dir\n");
  }
  std::vector<bd::cpio_member> m;
  vitte::diagnostic why;
  BOOST_REQUIRE(bd::cpio_read(bytes(a), m, &why));
  BOOST_REQUIRE(m.size() == 2u);
  BOOST_TEST(m[0].name == "./x");
  BOOST_TEST(text_of(m[0].data) == "abcde");
  BOOST_TEST(m[0].fields.mode == 0100644u);
  BOOST_TEST(m[0].fields.mtime == 5u);
  BOOST_TEST(m[1].name == "./dir");
  BOOST_TEST(m[1].data.empty());
  // Zero padding after the trailer is fine, anything else is not.
  BOOST_TEST(bd::cpio_read(bytes(a + std::string(512, '\0')), m, &why));
  BOOST_TEST(!bd::cpio_read(bytes(a + "x"), m, &why));
  // Every truncation fails inside the input.
  for (std::size_t n = 0; n < a.size(); ++n) {
    m.clear();
    BOOST_TEST(!bd::cpio_read(bytes(a.substr(0, n)), m, &why), n);
    (void)vitte_test::refusal(why, n);
  }
  // A size larger than what remains.
  std::string big = a;
  big.replace(6 + 8 * 6, 8, "7fffffff");
  BOOST_TEST(!bd::cpio_read(bytes(big), m, &why));
  BOOST_TEST(message_of(why) == "a cpio member's data cut short");
  BOOST_TEST(subject_of(why) == "./x");  // the member whose data it is
  BOOST_TEST(why.offset() == a.find("abcde"));
  big = a;
  big.replace(6 + 8 * 11, 8, "ffffffff");  // name size
  BOOST_TEST(!bd::cpio_read(bytes(big), m, &why));
  big = a;
  big[10] = 'g';  // not hexadecimal
  BOOST_TEST(!bd::cpio_read(bytes(big), m, &why));
}

BOOST_AUTO_TEST_CASE(round_trip_gives_the_tars_entries) {
  const vitte::buffer<std::byte> tar = tree_tar();
  const vitte::buffer<std::byte> rpm = write(tar.span(), fields());
  bd::rpm_contents c;
  BOOST_REQUIRE_EQUAL(read_problem(rpm.span(), &c), "");
  BOOST_TEST(c.name == "hello");
  BOOST_TEST(c.version == "1.2.0");
  BOOST_TEST(c.release == "1");
  BOOST_TEST(c.arch == "x86_64");
  const std::vector<bd::package_entry> want = expected_entries(tar.span());
  BOOST_REQUIRE_EQUAL(c.entries.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    BOOST_TEST(c.entries[i].path == want[i].path);
    BOOST_TEST((c.entries[i] == want[i]), want[i].path);
  }
  // The standard directories are left out, the package's own kept.
  const auto listed = [&](const std::string& p) {
    return std::any_of(c.entries.begin(), c.entries.end(), [&](const auto& e) { return e.path == p; });
  };
  BOOST_TEST(!listed("usr"));
  BOOST_TEST(!listed("usr/bin"));
  BOOST_TEST(!listed("usr/share/doc"));
  BOOST_TEST(listed("usr/share/doc/hello"));
  BOOST_TEST(listed("usr/share/hello/sub"));
  std::uint64_t sum = 0;
  for (const auto& e : c.entries) sum += e.size;
  BOOST_TEST(sum <= c.payload_size);
  // An empty tree makes a package without files.
  va::tar_writer w;
  const vitte::buffer<std::byte> none = write(w.finish().span(), fields());
  BOOST_REQUIRE_EQUAL(read_problem(none.span(), &c), "");
  BOOST_TEST(c.entries.empty());
}

BOOST_AUTO_TEST_CASE(rpm_arch_names) {
  namespace tg = vitte::machine;
  const std::pair<const char*, const char*> cases[] = {
      {"x86_64-unknown-linux-gnu", "x86_64"},       {"i686-unknown-linux-gnu", "i686"},
      {"aarch64-unknown-linux-gnu", "aarch64"},     {"armv7-unknown-linux-gnueabihf", "armv7hl"},
      {"riscv64-unknown-linux-gnu", "riscv64"},     {"s390x-unknown-linux-gnu", "s390x"},
      {"powerpc64le-unknown-linux-gnu", "ppc64le"}, {"wasm32-unknown-unknown", ""},
  };
  for (const auto& [triple, arch] : cases)
    BOOST_TEST(std::string(bd::rpm_arch(tg::triple::parse(triple))) == arch, triple);
  BOOST_TEST(bd::rpm_arch_number("x86_64") == 1);
  BOOST_TEST(bd::rpm_arch_number("aarch64") == 19);
}

BOOST_AUTO_TEST_CASE(packages_are_deterministic) {
  const vitte::buffer<std::byte> one = write(tree_tar(false).span(), fields());
  const vitte::buffer<std::byte> two = write(tree_tar(true).span(), fields());
  BOOST_TEST(text_of(one.span()) == text_of(two.span()));
  bd::rpm_fields later = fields();
  later.build_time += 1;
  BOOST_TEST(text_of(write(tree_tar().span(), later).span()) != text_of(one.span()));
  // Nothing of this host in the package.
  const std::string s = text_of(one.span());
  BOOST_TEST(s.find("localhost") != std::string::npos);
  if (const std::string host = vitte_test::run("hostname 2>/dev/null"); host.size() > 1 && host != "localhost\n")
    BOOST_TEST(s.find(host.substr(0, host.size() - 1)) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_fields_and_entries_are_refused) {
  const vitte::buffer<std::byte> tar = tree_tar();
  const auto refused = [&](const bd::rpm_fields& f, vitte::span<const std::byte> t, errc kind) {
    vitte::diagnostic why;
    auto r = bd::rpm_write(t, f, &why);
    BOOST_TEST(!r.has_value());
    if (!r) BOOST_TEST((r.error() == kind));
    BOOST_TEST((why.kind() == kind));
    BOOST_TEST(!why.message().empty());
    return message_of(why);
  };
  bd::rpm_fields f = fields();
  f.name = "-hello";
  refused(f, tar.span(), errc::invalid_argument);
  f = fields();
  f.version = "1.2-3";
  refused(f, tar.span(), errc::invalid_argument);
  f = fields();
  f.arch = "";
  refused(f, tar.span(), errc::invalid_argument);
  f = fields();
  f.summary = "two\nlines";
  refused(f, tar.span(), errc::invalid_argument);
  f = fields();
  f.build_time = -1;
  refused(f, tar.span(), errc::invalid_argument);
  va::tar_writer w;
  // A hard link is another name of a file before it (one inode, the data
  // once, as rpmbuild writes it); one to no such file is refused.
  BOOST_REQUIRE(w.add_hard_link("usr/bin/b", "usr/bin/a").has_value());
  BOOST_TEST(refused(fields(), w.finish().span(), errc::invalid_argument).find("hard link") != std::string::npos);
  BOOST_REQUIRE(w.add_file("usr/bin/a", bytes("x")).has_value());
  BOOST_REQUIRE(w.add_hard_link("usr/bin/b", "usr/bin/a").has_value());
  {
    vitte::diagnostic why;
    auto linked = bd::rpm_write(w.finish().span(), fields(), &why);
    BOOST_REQUIRE_MESSAGE(linked.has_value(), why.format().c_str());
    bd::rpm_contents c;
    BOOST_REQUIRE_MESSAGE(bd::rpm_read(linked->span(), c, &why), why.format().c_str());
    std::vector<std::string> files;
    for (const auto& e : c.entries)
      if (e.type == "file") files.push_back(e.path + " " + std::to_string(e.size) + " " + e.sha256);
    BOOST_TEST(files.size() == 2u);
    if (files.size() == 2u) BOOST_TEST(files[0].substr(files[0].find(' ')) == files[1].substr(files[1].find(' ')));
  }
  BOOST_REQUIRE(w.add_file("usr/bin/a", bytes("x")).has_value());
  BOOST_REQUIRE(w.add_file("usr/bin/a", bytes("y")).has_value());
  BOOST_TEST(refused(fields(), w.finish().span(), errc::invalid_argument).find("twice") != std::string::npos);
  const vitte::buffer<std::byte> cut(tar.data(), tar.data() + 700);
  refused(fields(), cut.span(), errc::unexpected_eof);
}

BOOST_AUTO_TEST_CASE(rpm_reads_ours) {
  if (!vitte_test::have("rpm") || !vitte_test::have("rpm2cpio") || !vitte_test::have("cpio")) {
    BOOST_TEST_MESSAGE("skipped: no rpm, rpm2cpio or cpio (Debian rpm, rpm2cpio, cpio)");
    return;
  }
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string root(t.path());
  const vitte::buffer<std::byte> tar = tree_tar(false, false);
  // Shell scripts and data: an architecture-independent package (rpmlint
  // wants an architecture's package to hold a binary).
  const vitte::buffer<std::byte> rpm = write(tar.span(), fields("noarch"));
  const std::string file = join(root, "hello-1.2.0-1.noarch.rpm");
  put(file, text_of(rpm.span()));

  int st = -1;
  const std::string k = vitte_test::run("rpm -K " + quote(file) + " 2>&1", &st);
  BOOST_TEST_MESSAGE("rpm -K: " << k);
  BOOST_TEST(st == 0);
  BOOST_TEST(k == file + ": digests OK\n");
  const std::string kv = vitte_test::run("rpm -Kv " + quote(file) + " 2>&1", &st);
  BOOST_TEST(st == 0);
  for (const char* line :
       {"Header SHA256 digest: OK", "Header SHA1 digest: OK", "Payload SHA256 digest: OK", "MD5 digest: OK"})
    BOOST_TEST(kv.find(line) != std::string::npos, line << " in " << kv);

  const std::string info = vitte_test::run("rpm -qpi " + quote(file) + " 2>/dev/null", &st);
  BOOST_TEST(st == 0);
  for (const char* line :
       {"Name        : hello\n", "Version     : 1.2.0\n", "Release     : 1\n", "Architecture: noarch\n",
        "Build Host  : localhost\n", "Source RPM  : hello-1.2.0-1.src.rpm\n", "Summary     : Greets the user\n"})
    BOOST_TEST(info.find(line) != std::string::npos, line << " in " << info);

  const std::vector<bd::package_entry> want = expected_entries(tar.span());
  const std::string listing = vitte_test::run("rpm -qplv " + quote(file) + " 2>/dev/null", &st);
  BOOST_TEST(st == 0);
  BOOST_TEST_MESSAGE("rpm -qplv:\n" << listing);
  std::string names;
  for (const auto& e : want) {
    names += "./" + e.path + "\n";
    const std::string tail = "/" + e.path + (e.type == "symlink" ? " -> " + e.link : "") + "\n";
    BOOST_TEST(listing.find(tail) != std::string::npos, tail);
  }
  BOOST_TEST(listing.find("-rwxr-xr-x    1 root     root") != std::string::npos);
  BOOST_TEST(listing.find("Nov 14  2023 /usr/bin/hello") != std::string::npos);
  BOOST_TEST(vitte_test::run("rpm -qpd " + quote(file) + " 2>/dev/null") ==
             "/usr/share/doc/hello\n/usr/share/doc/hello/README\n");
  BOOST_TEST(vitte_test::run("rpm -qp --requires " + quote(file) + " 2>/dev/null") ==
             "rpmlib(CompressedFileNames) <= 3.0.4-1\nrpmlib(FileDigests) <= 4.6.0-1\n"
             "rpmlib(PayloadFilesHavePrefix) <= 4.0-1\n");
  BOOST_TEST(vitte_test::run("rpm -qp --provides " + quote(file) + " 2>/dev/null") == "hello = 1.2.0-1\n");

  BOOST_TEST(vitte_test::run("rpm2cpio " + quote(file) + " | cpio -t --quiet 2>&1") == names);

  // Installed into a scratch root: the same tree, byte for byte.
  const std::string inst = join(root, "root");
  BOOST_REQUIRE(sys::create_directories(inst).has_value());
  BOOST_REQUIRE(vitte_test::run_status("rpm --root " + quote(inst) + " --initdb 2>&1") == 0);
  const std::string out = vitte_test::run(
      "rpm -i --root " + quote(inst) + " --nodeps --noscripts --notriggers " + quote(file) + " 2>&1", &st);
  if (st != 0) {
    BOOST_TEST_MESSAGE("rpm -i failed (needs root here?): " << out);
  } else {
    for (const auto& e : tar_entries(tar.span())) {
      const std::string path = join(inst, e.path);
      const std::string stat_line = vitte_test::run("stat -c '%F %a' " + quote(path) + " 2>&1");
      if (e.type == "file") {
        BOOST_TEST(bd::sha256_hex(bytes(slurp(path))) == e.sha256, e.path);
        BOOST_TEST(stat_line.find(e.mode == 0755 ? " 755" : " 644") != std::string::npos, e.path << ": " << stat_line);
      } else if (e.type == "symlink") {
        BOOST_TEST(vitte_test::run("readlink " + quote(path)) == e.link + "\n", e.path);
      } else {
        BOOST_TEST(stat_line.find("directory") == 0, e.path << ": " << stat_line);
      }
    }
    // Nothing else (rpm's database lives under var/).
    std::string expect;
    std::vector<std::string> paths;
    for (const auto& e : tar_entries(tar.span())) paths.push_back("./" + e.path);
    std::sort(paths.begin(), paths.end());
    for (const auto& p : paths) expect += p + "\n";
    BOOST_TEST(vitte_test::run("cd " + quote(inst) + " && find ./usr | LC_ALL=C sort") == expect);
    BOOST_TEST(vitte_test::run_status("rpm --root " + quote(inst) + " -V hello") == 0);
    BOOST_TEST(vitte_test::run("rpm --root " + quote(inst) + " -q hello 2>/dev/null") == "hello-1.2.0-1.noarch\n");
  }

  if (!vitte_test::have("rpmlint")) {
    BOOST_TEST_MESSAGE("skipped rpmlint: not installed (Debian rpmlint)");
    return;
  }
  // An unsigned package is rpmlint's error no-signature whatever it holds:
  // that one is filtered, every other check counts.
  put(join(root, "rpmlintrc"), "addFilter('no-signature')\n");
  const std::string lint =
      vitte_test::run("cd " + quote(root) + " && rpmlint -r rpmlintrc " + quote(file) + " 2>&1", &st);
  BOOST_TEST_MESSAGE("rpmlint:\n" << lint);
  BOOST_TEST(lint.find("1 packages and 0 specfiles checked; 0 errors") != std::string::npos, lint);
  BOOST_TEST(lint.find(": E: ") == std::string::npos, lint);
  BOOST_TEST(lint.find("standard-dir-owned-by-package") == std::string::npos);
}

// rpm 4.18 (libgcrypt) checks Ed25519 OpenPGP v4 header signatures, which
// rpmsign stores in the signature header's DSA tag (267): our package signed
// with gpg's ed25519 key verifies, still reads back, and satisfies rpmlint
// with no filter once the key is imported (rpmlint runs rpm -Kv, whose
// database HOME/.rpmmacros points at a scratch one).
BOOST_AUTO_TEST_CASE(rpmsign_signs_ours_with_ed25519) {
  if (!vitte_test::have("rpmsign") || !vitte_test::have("gpg") || !vitte_test::have("rpmkeys")) {
    BOOST_TEST_MESSAGE("skipped: no rpmsign, rpmkeys or gpg");
    return;
  }
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string root(t.path());
  const std::string env = "GNUPGHOME=" + quote(join(root, "gnupg")) + " HOME=" + quote(root) + " ";
  BOOST_REQUIRE(vitte_test::run_status("mkdir -m 700 " + quote(join(root, "gnupg"))) == 0);
  put(join(root, ".rpmmacros"), "%_dbpath " + join(root, "db") + "\n");
  const vitte::buffer<std::byte> tar = tree_tar(false, false);
  const std::string file = join(root, "hello-1.2.0-1.noarch.rpm");
  put(file, text_of(write(tar.span(), fields("noarch")).span()));
  int st = -1;
  const std::string made = vitte_test::run(
      env +
          "gpg --batch --pinentry-mode loopback --passphrase '' --quick-gen-key 'Test <t@example.org>' ed25519 "
          "sign never 2>&1 && " +
          env + "gpg --batch --armor --export t@example.org > " + quote(join(root, "key.asc")) + " && " + env +
          "rpm --initdb && " + env + "rpmkeys --import " + quote(join(root, "key.asc")) + " 2>&1 && " + env +
          "rpmsign --addsign --define '__gpg /usr/bin/gpg' --define '_gpg_name t@example.org' --define "
          "\"_gpg_sign_cmd_extra_args --batch --pinentry-mode loopback --passphrase ''\" " +
          quote(file) + " 2>&1",
      &st);
  (void)vitte_test::run_status(env + "gpgconf --kill gpg-agent >/dev/null 2>&1");
  if (st != 0) {
    BOOST_TEST_MESSAGE("skipped: gpg or rpmsign failed here: " << made);
    return;
  }
  const std::string kv = vitte_test::run(env + "rpm -Kv " + quote(file) + " 2>&1", &st);
  BOOST_TEST_MESSAGE("rpm -Kv of the signed package:\n" << kv);
  BOOST_TEST(st == 0);
  BOOST_TEST(kv.find("Header V4 EdDSA/SHA256 Signature, key ID ") != std::string::npos, kv);
  BOOST_TEST(kv.find(": OK") != std::string::npos);
  BOOST_TEST(kv.find("NOKEY") == std::string::npos);
  bd::rpm_contents c;
  BOOST_TEST(read_problem(bytes(slurp(file)), &c) == "");
  BOOST_TEST(c.entries.size() == expected_entries(tar.span()).size());
  // Our reader reads the signature rpmsign stored: gpg's key ID, as rpm -Kv names it.
  BOOST_TEST(c.has_signature);
  BOOST_TEST(kv.find("key ID " + hex(c.signer_key_id, 4) + ": OK") != std::string::npos, kv);
  if (vitte_test::have("rpmlint")) {
    const std::string lint = vitte_test::run("cd " + quote(root) + " && " + env + "rpmlint " + quote(file) + " 2>&1");
    BOOST_TEST_MESSAGE("rpmlint of the signed package:\n" << lint);
    BOOST_TEST(lint.find("1 packages and 0 specfiles checked; 0 errors") != std::string::npos, lint);
  }
}

// Signed packages: rpm_write() with a signer, read back, verified by us.
BOOST_AUTO_TEST_CASE(signed_packages_read_and_verify) {
  const auto kp = test_key();
  const auto other = test_key(1);
  bd::rpm_fields f = fields();
  f.signer = &kp;
  const vitte::buffer<std::byte> rpm = write(tree_tar().span(), f);
  bd::rpm_contents c;
  BOOST_REQUIRE_EQUAL(read_problem(rpm.span(), &c), "");
  BOOST_TEST(c.has_signature);
  BOOST_TEST(hex(c.signer_key_id) == hex(bd::openpgp_key_id(kp.public_key, 0)));
  BOOST_TEST(c.signature_time == 1'700'000'000u);
  BOOST_TEST(c.signature_size == 119u);  // what rpmsign stores for gpg's ed25519 keys, give or take MPI zeros
  vitte::diagnostic why;
  BOOST_TEST(bd::rpm_verify_signature(rpm.span(), kp.public_key, &why), why.format().c_str());
  BOOST_TEST(!bd::rpm_verify_signature(rpm.span(), other.public_key, &why));
  BOOST_TEST(message_of(why).find("another key") != std::string::npos, why.format().c_str());
  BOOST_TEST((why.kind() == errc::verification_failed));
  BOOST_TEST(why.offset() == c.signature_offset);  // the signature packet
  // Unsigned: read as before, not verified.
  const vitte::buffer<std::byte> plain = write(tree_tar().span(), fields());
  BOOST_REQUIRE_EQUAL(read_problem(plain.span(), &c), "");
  BOOST_TEST(!c.has_signature);
  BOOST_TEST(!bd::rpm_verify_signature(plain.span(), kp.public_key, &why));
  BOOST_TEST(message_of(why).find("unsigned") != std::string::npos, why.format().c_str());
  BOOST_TEST((why.kind() == errc::verification_failed));
  // The unsigned package is the signed one less its signature tag: the same main header and payload.
  bd::rpm_contents sc;
  BOOST_REQUIRE_EQUAL(read_problem(rpm.span(), &sc), "");
  BOOST_TEST(text_of(rpm.span()).substr(sc.header_offset) == text_of(plain.span()).substr(c.header_offset));
  // Every bit of the signed package's headers counts.
  const std::string good = text_of(rpm.span());
  for (std::size_t i = bd::rpm_lead_size; i < sc.payload_offset; ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ (1 << (i % 8)));
    if (read_problem(bytes(bad)).empty() && bd::rpm_verify_signature(bytes(bad), kp.public_key, &why))
      BOOST_ERROR("a flipped bit at " << i << " went unnoticed");
  }
  // Every truncation is refused.
  for (std::size_t n = 0; n < rpm.size(); n += 7)
    BOOST_TEST(read_problem(vitte::span<const std::byte>(rpm.data(), n)) != "", "length " << n);
}

// Deterministic: the same key, tree and time give the same bytes; another
// time or key, another signature.
BOOST_AUTO_TEST_CASE(signed_packages_are_deterministic) {
  const auto kp = test_key();
  const auto other = test_key(1);
  bd::rpm_fields f = fields();
  f.signer = &kp;
  const std::string one = text_of(write(tree_tar(false).span(), f).span());
  const std::string two = text_of(write(tree_tar(true).span(), f).span());
  BOOST_TEST(one == two);
  bd::rpm_fields later = f;
  later.build_time += 1;
  BOOST_TEST(text_of(write(tree_tar().span(), later).span()) != one);
  bd::rpm_fields by_other = f;
  by_other.signer = &other;
  BOOST_TEST(text_of(write(tree_tar().span(), by_other).span()) != one);
  // The key block and signatures too.
  BOOST_TEST(bd::rpm_public_key_block(kp, test_user_id)->view() == bd::rpm_public_key_block(kp, test_user_id)->view());
  const std::string data = "signed data\n";
  BOOST_TEST(text_of(bd::openpgp_sign(kp, bytes(data), 5)->span()) ==
             text_of(bd::openpgp_sign(kp, bytes(data), 5)->span()));
  BOOST_TEST(text_of(bd::openpgp_sign(kp, bytes(data), 5)->span()) !=
             text_of(bd::openpgp_sign(kp, bytes(data), 6)->span()));
  // Times outside 32 bits are refused.
  BOOST_TEST(!bd::openpgp_sign(kp, bytes(data), -1).has_value());
  BOOST_TEST(!bd::openpgp_sign(kp, bytes(data), 0x100000000LL).has_value());
  BOOST_TEST(!bd::openpgp_public_key_block(kp, test_user_id, -1).has_value());
  BOOST_TEST(!bd::openpgp_public_key_block(kp, "two\nlines", 0).has_value());
}

// The key block: armor and CRC as RFC 4880 6.2 says, read back by our armor reader.
BOOST_AUTO_TEST_CASE(openpgp_key_block_and_armor) {
  const auto kp = test_key();
  const std::string key(bd::rpm_public_key_block(kp, test_user_id)->view());
  BOOST_TEST(key.starts_with("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n"));
  BOOST_TEST(key.ends_with("\n-----END PGP PUBLIC KEY BLOCK-----\n"));
  // RFC 4880 6.1's CRC-24 of "123456789" (the usual check value).
  BOOST_TEST(bd::openpgp_crc24(bytes("123456789")) == 0x21cf02u);
  vitte::buffer<std::byte> packets;
  vitte::diagnostic why;
  BOOST_REQUIRE_MESSAGE(bd::openpgp_dearmor(key, "PGP PUBLIC KEY BLOCK", packets, &why), why.format().c_str());
  // Public key (tag 6, 51 bytes), user ID (tag 13), signature (tag 2).
  BOOST_REQUIRE(packets.size() > 53u);
  BOOST_TEST(std::to_integer<int>(packets[0]) == 0x98);
  BOOST_TEST(std::to_integer<int>(packets[1]) == 51);
  BOOST_TEST(std::to_integer<int>(packets[53]) == 0xb4);
  const std::size_t uid = std::to_integer<std::size_t>(packets[54]);
  BOOST_TEST(text_of(vitte::span<const std::byte>(packets.data() + 55, uid)) == test_user_id);
  bd::openpgp_signature s;
  BOOST_REQUIRE_MESSAGE(
      bd::openpgp_read_signature(vitte::span<const std::byte>(packets.data() + 55 + uid, packets.size() - 55 - uid), s,
                                 &why),
      why.format().c_str());
  BOOST_TEST(s.type == 0x13);
  BOOST_TEST(hex(s.key_id) == hex(bd::openpgp_key_id(kp.public_key, 0)));
  BOOST_TEST(hex(s.fingerprint) == hex(bd::openpgp_fingerprint(kp.public_key, 0)));
  // CRLF lines and text around the armor are fine; a changed digit, a
  // changed checksum or another label are not.
  std::string crlf;
  for (const char ch : key) crlf += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
  vitte::buffer<std::byte> again;
  BOOST_TEST(bd::openpgp_dearmor("some text\n" + crlf + "more\n", "PGP PUBLIC KEY BLOCK", again, &why),
             why.format().c_str());
  BOOST_TEST(again == packets);
  std::string bad = key;
  bad[45] = bad[45] == 'A' ? 'B' : 'A';
  BOOST_TEST(!bd::openpgp_dearmor(bad, "PGP PUBLIC KEY BLOCK", again, &why));
  BOOST_TEST(message_of(why).find("CRC-24") != std::string::npos, why.format().c_str());
  BOOST_TEST(subject_of(why) == "PGP PUBLIC KEY BLOCK");
  BOOST_TEST(!bd::openpgp_dearmor(key, "PGP SIGNATURE", again, &why));
  for (std::size_t n = 0; n + 1 < key.size(); ++n) {
    BOOST_TEST(!bd::openpgp_dearmor(key.substr(0, n), "PGP PUBLIC KEY BLOCK", again, &why), n);
    (void)vitte_test::refusal(why, n);
  }
}

// The signature packet reader: ours read back and verified; every
// truncation refused; every flipped bit refused by the reader or by the
// verification; a garbage tag 267 refused by rpm_read.
BOOST_AUTO_TEST_CASE(openpgp_signature_packets_are_checked) {
  const auto kp = test_key();
  const std::string data = "the data signed\n";
  const std::string packet = text_of(bd::openpgp_sign(kp, bytes(data), 1'700'000'000)->span());
  bd::openpgp_signature s;
  vitte::diagnostic why;
  BOOST_REQUIRE_MESSAGE(bd::openpgp_read_signature(bytes(packet), s, &why), why.format().c_str());
  BOOST_TEST(s.type == 0);
  BOOST_TEST(s.hash == 8);
  BOOST_TEST(s.created == 1'700'000'000u);
  BOOST_TEST(s.has_fingerprint);
  BOOST_TEST(hex(s.key_id) == hex(bd::openpgp_key_id(kp.public_key, 0)));
  BOOST_TEST(bd::openpgp_verify(s, kp.public_key, 0, bytes(data), &why), why.format().c_str());
  BOOST_TEST(!bd::openpgp_verify(s, kp.public_key, 1, bytes(data), &why));        // another creation time: another key
  BOOST_TEST(!bd::openpgp_verify(s, kp.public_key, 0, bytes(data + "x"), &why));  // other data
  // The layout gpg 2.2 writes for a binary signature by an ed25519 key.
  BOOST_TEST(hex(bytes(packet.substr(0, 8))) == "887504001608001d");
  for (std::size_t n = 0; n < packet.size(); ++n) {
    BOOST_TEST(!bd::openpgp_read_signature(bytes(packet.substr(0, n)), s, &why), n);
    (void)vitte_test::refusal(why, n);
  }
  BOOST_TEST(!bd::openpgp_read_signature(bytes(packet + "x"), s, &why));
  std::size_t by_reader = 0, by_verify = 0;
  for (std::size_t i = 0; i < 8 * packet.size(); ++i) {
    std::string bad = packet;
    bad[i / 8] = static_cast<char>(bad[i / 8] ^ (1 << (i % 8)));
    if (!bd::openpgp_read_signature(bytes(bad), s, &why)) {
      (void)vitte_test::refusal(why, bad.size());
      ++by_reader;
    } else if (!bd::openpgp_verify(s, kp.public_key, 0, bytes(data), &why)) {
      BOOST_TEST((why.kind() == errc::verification_failed));
      ++by_verify;
    } else {
      BOOST_ERROR("bit " << i % 8 << " of byte " << i / 8 << " flipped went unnoticed");
    }
  }
  BOOST_TEST_MESSAGE(by_reader << " flipped bits refused by the reader, " << by_verify << " by the verification");

  // A package whose tag 267 is garbage, or a signature of another kind.
  const vitte::buffer<std::byte> rpm = write(tree_tar().span(), fields());
  bd::rpm_contents c;
  BOOST_REQUIRE_EQUAL(read_problem(rpm.span(), &c), "");
  const std::string good = text_of(rpm.span());
  const std::string header = good.substr(c.header_offset, c.payload_offset - c.header_offset);
  const std::string payload = good.substr(c.payload_offset);
  const auto with_signature = [&](const std::string& sig) {
    auto r = bd::rpm_assemble("hello-1.2.0-1", "x86_64", header, bytes(payload), c.payload_size, bytes(sig));
    BOOST_REQUIRE(r.has_value());
    return text_of(r->span());
  };
  const std::string header_sig = text_of(bd::openpgp_sign(kp, bytes(header), 1'700'000'000)->span());
  BOOST_TEST(read_problem(bytes(with_signature(header_sig))) == "");
  BOOST_TEST(bd::rpm_verify_signature(bytes(with_signature(header_sig)), kp.public_key, &why), why.format().c_str());
  BOOST_TEST(read_problem(bytes(with_signature(std::string(119, 'g')))).find("OpenPGP") != std::string::npos);
  vitte::diagnostic said;  // the OpenPGP reader's message, placed in the signature header
  (void)read_problem(bytes(with_signature(std::string(119, 'g'))), nullptr, &said);
  BOOST_TEST(subject_of(said) == "signature header");
  BOOST_TEST(message_of(said).ends_with(" (tag 267)"), said.format().c_str());
  BOOST_TEST(read_problem(bytes(with_signature(header_sig.substr(0, 60)))).find("OpenPGP") != std::string::npos);
  // A signature of other data by the right key reads but does not verify.
  const std::string elsewhere = with_signature(packet);
  BOOST_TEST(read_problem(bytes(elsewhere)) == "");
  BOOST_TEST(!bd::rpm_verify_signature(bytes(elsewhere), kp.public_key, &why));
  // The key block's certification (type 0x13) is no header signature.
  vitte::buffer<std::byte> packets;
  BOOST_REQUIRE(
      bd::openpgp_dearmor(bd::rpm_public_key_block(kp, test_user_id)->view(), "PGP PUBLIC KEY BLOCK", packets, &why));
  const std::size_t cert_at = 55 + std::to_integer<std::size_t>(packets[54]);
  const std::string cert = text_of(vitte::span<const std::byte>(packets.data() + cert_at, packets.size() - cert_at));
  BOOST_TEST(read_problem(bytes(with_signature(cert))).find("binary document") != std::string::npos);
}

// rpm 4.18 checks our signature once our key is imported into its database
// (`rpm --root DIR --import`): OK with the key, NOKEY without it, BAD for a
// changed header.
BOOST_AUTO_TEST_CASE(rpm_checks_our_signature) {
  if (!vitte_test::have("rpm")) {
    BOOST_TEST_MESSAGE("skipped: no rpm (Debian rpm)");
    return;
  }
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string root(t.path());
  const std::string env = "HOME=" + quote(root) + " LC_ALL=C ";
  const auto kp = test_key();
  bd::rpm_fields f = fields("noarch");
  f.signer = &kp;
  const std::string file = join(root, "hello-1.2.0-1.noarch.rpm");
  put(file, text_of(write(tree_tar(false, false).span(), f).span()));
  const std::string key_file = join(root, "key.asc");
  put(key_file, std::string(bd::rpm_public_key_block(kp, test_user_id)->view()));
  const std::string db = join(root, "db");
  BOOST_REQUIRE(sys::create_directories(db).has_value());
  BOOST_REQUIRE(vitte_test::run_status(env + "rpm --root " + quote(db) + " --initdb 2>&1") == 0);
  const std::string id = hex(bd::openpgp_key_id(kp.public_key, 0), 4);
  const std::string line = "Header V4 EdDSA/SHA256 Signature, key ID " + id + ": ";

  int st = -1;
  std::string kv = vitte_test::run(env + "rpm --root " + quote(db) + " -Kv " + quote(file) + " 2>&1", &st);
  BOOST_TEST_MESSAGE("rpm -Kv without the key:\n" << kv);
  BOOST_TEST(kv.find(line + "NOKEY") != std::string::npos, kv);

  const std::string imported =
      vitte_test::run(env + "rpm --root " + quote(db) + " --import " + quote(key_file) + " 2>&1", &st);
  BOOST_TEST(st == 0, imported);
  BOOST_TEST(vitte_test::run(env + "rpm --root " + quote(db) + " -q gpg-pubkey 2>&1") == "gpg-pubkey-" + id + "-0\n");
  kv = vitte_test::run(env + "rpm --root " + quote(db) + " -Kv " + quote(file) + " 2>&1", &st);
  BOOST_TEST_MESSAGE("rpm -Kv with the key:\n" << kv);
  BOOST_TEST(st == 0);
  BOOST_TEST(kv.find(line + "OK") != std::string::npos, kv);
  BOOST_TEST(vitte_test::run(env + "rpm --root " + quote(db) + " -K " + quote(file) + " 2>&1") ==
             file + ": digests signatures OK\n");

  // A changed byte of the main header (in the summary): the signature is BAD.
  std::string bad = slurp(file);
  bd::rpm_contents c;
  BOOST_REQUIRE_EQUAL(read_problem(bytes(bad), &c), "");
  const std::size_t at = bad.find("Greets the user", c.header_offset);
  BOOST_REQUIRE(at != std::string::npos);
  bad[at] = 'g';
  const std::string bad_file = join(root, "bad.rpm");
  put(bad_file, bad);
  kv = vitte_test::run(env + "rpm --root " + quote(db) + " -Kv " + quote(bad_file) + " 2>&1", &st);
  BOOST_TEST_MESSAGE("rpm -Kv of a changed header:\n" << kv);
  BOOST_TEST(st != 0);
  BOOST_TEST(kv.find(line + "BAD") != std::string::npos, kv);
}

// gpg 2.2 imports our key block and verifies our detached signatures.
BOOST_AUTO_TEST_CASE(gpg_takes_our_key_and_signatures) {
  if (!vitte_test::have("gpg")) {
    BOOST_TEST_MESSAGE("skipped: no gpg");
    return;
  }
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string root(t.path());
  const std::string home = join(root, "gnupg");
  BOOST_REQUIRE(vitte_test::run_status("mkdir -m 700 " + quote(home)) == 0);
  const std::string gpg = "LC_ALL=C gpg --batch --homedir " + quote(home) + " ";
  const auto kp = test_key();
  put(join(root, "key.asc"), std::string(bd::rpm_public_key_block(kp, test_user_id)->view()));
  const std::string data = binary_data(5000);
  put(join(root, "data"), data);
  put(join(root, "data.sig"), text_of(bd::openpgp_sign(kp, bytes(data), 1'700'000'000)->span()));
  int st = -1;
  const std::string imported = vitte_test::run(gpg + "--import " + quote(join(root, "key.asc")) + " 2>&1", &st);
  BOOST_TEST_MESSAGE("gpg --import:\n" << imported);
  BOOST_TEST(st == 0);
  std::string fpr = hex(bd::openpgp_fingerprint(kp.public_key, 0));
  for (char& ch : fpr) ch = static_cast<char>(ch >= 'a' ? ch - 'a' + 'A' : ch);
  BOOST_TEST(
      imported.find("key " + fpr.substr(24) + ": public key \"" + test_user_id + "\" imported") != std::string::npos,
      imported);
  const std::string listed = vitte_test::run(gpg + "--with-colons --list-keys 2>&1");
  BOOST_TEST(listed.find("fpr:::::::::" + fpr + ":") != std::string::npos, listed);
  const std::string verified = vitte_test::run(
      gpg + "--verify " + quote(join(root, "data.sig")) + " " + quote(join(root, "data")) + " 2>&1", &st);
  BOOST_TEST_MESSAGE("gpg --verify:\n" << verified);
  BOOST_TEST(st == 0);
  BOOST_TEST(verified.find("Good signature from \"" + std::string(test_user_id) + "\"") != std::string::npos, verified);
  BOOST_TEST(verified.find("using EDDSA key " + fpr) != std::string::npos, verified);
  // The packet as gpg lists it: gpg's own layout.
  const std::string packets = vitte_test::run(gpg + "--list-packets " + quote(join(root, "data.sig")) + " 2>&1");
  for (const char* l :
       {"sigclass 0x00", "digest algo 8", "hashed subpkt 33 len 21", "hashed subpkt 2 len 4", "subpkt 16 len 8"})
    BOOST_TEST(packets.find(l) != std::string::npos, l << " in " << packets);
  // Changed data: a BAD signature.
  put(join(root, "data"), data + "x");
  const std::string bad = vitte_test::run(
      gpg + "--verify " + quote(join(root, "data.sig")) + " " + quote(join(root, "data")) + " 2>&1", &st);
  BOOST_TEST(st != 0);
  BOOST_TEST(bad.find("BAD signature") != std::string::npos, bad);
  (void)vitte_test::run_status("gpgconf --homedir " + quote(home) + " --kill all >/dev/null 2>&1");
}

// rpmlint, no filter: a signed package with a real ELF binary has no error
// once its key is in the database rpmlint's `rpm -Kv` reads (HOME/.rpmmacros).
BOOST_AUTO_TEST_CASE(rpmlint_finds_no_error_in_a_signed_package) {
  if (!vitte_test::have("rpm") || !vitte_test::have("rpmlint")) {
    BOOST_TEST_MESSAGE("skipped: no rpm or rpmlint (Debian rpm, rpmlint)");
    return;
  }
  const std::string arch_out = vitte_test::run("rpm --eval '%{_arch}' 2>/dev/null");
  const std::string arch = arch_out.empty() ? "" : arch_out.substr(0, arch_out.size() - 1);
  const std::string elf = vitte_test::run_status("test -f /usr/bin/true") == 0 ? slurp("/usr/bin/true") : "";
  if (arch.empty() || elf.substr(0, 4) != "\177ELF") {
    BOOST_TEST_MESSAGE("skipped: no rpm architecture or no ELF /usr/bin/true");
    return;
  }
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string root(t.path());
  const std::string env = "HOME=" + quote(root) + " LC_ALL=C ";
  put(join(root, ".rpmmacros"), "%_dbpath " + join(root, "db") + "\n");
  va::tar_writer w;
  BOOST_REQUIRE(w.add_directory("usr", 0755).has_value());
  BOOST_REQUIRE(w.add_directory("usr/bin", 0755).has_value());
  BOOST_REQUIRE(w.add_file("usr/bin/hello", bytes(elf), 0755).has_value());
  BOOST_REQUIRE(w.add_directory("usr/share/doc/hello", 0755).has_value());
  BOOST_REQUIRE(w.add_file("usr/share/doc/hello/README", bytes("Read me.\n"), 0644).has_value());
  const auto kp = test_key();
  bd::rpm_fields f = fields(arch);
  f.signer = &kp;
  const std::string file = join(root, "hello-1.2.0-1." + arch + ".rpm");
  put(file, text_of(write(w.finish().span(), f).span()));
  put(join(root, "key.asc"), std::string(bd::rpm_public_key_block(kp, test_user_id)->view()));
  int st = -1;
  const std::string made = vitte_test::run(
      env + "rpm --initdb 2>&1 && " + env + "rpm --import " + quote(join(root, "key.asc")) + " 2>&1", &st);
  BOOST_REQUIRE_MESSAGE(st == 0, made);
  const std::string lint =
      vitte_test::run("cd " + quote(root) + " && " + env + "rpmlint " + quote(file) + " 2>&1", &st);
  BOOST_TEST_MESSAGE("rpmlint of our signed package:\n" << lint);
  BOOST_TEST(lint.find("1 packages and 0 specfiles checked; 0 errors") != std::string::npos, lint);
  BOOST_TEST(lint.find(": E: ") == std::string::npos, lint);
  BOOST_TEST(lint.find("no-signature") == std::string::npos, lint);
}

BOOST_AUTO_TEST_CASE(we_read_what_rpmbuild_makes) {
  if (!vitte_test::have("rpmbuild")) {
    BOOST_TEST_MESSAGE("skipped: no rpmbuild (Debian rpm)");
    return;
  }
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string root(t.path());
  put(join(root, "hello.spec"),
      "Name: made\nVersion: 2.0\nRelease: 3\nSummary: Made by rpmbuild\nLicense: MIT\nBuildArch: noarch\n"
      "%description\nMade by rpmbuild for the tests.\n"
      "%install\nmkdir -p %{buildroot}/usr/share/made/d\n"
      "printf 'one\\n' > %{buildroot}/usr/share/made/one\n"
      "ln -s one %{buildroot}/usr/share/made/link\n"
      "%files\n/usr/share/made\n");
  int st = -1;
  const std::string out =
      vitte_test::run("cd " + quote(root) + " && rpmbuild -bb --quiet --define '_topdir " + root +
                          "/top' --define '_binary_payload w9.gzdio' --define '_build_id_links none' hello.spec 2>&1",
                      &st);
  if (st != 0) {
    BOOST_TEST_MESSAGE("skipped: rpmbuild failed here: " << out);
    return;
  }
  const std::string made = slurp(join(root, "top/RPMS/noarch/made-2.0-3.noarch.rpm"));
  bd::rpm_contents c;
  BOOST_REQUIRE_EQUAL(read_problem(bytes(made), &c), "");
  BOOST_TEST(c.name == "made");
  BOOST_TEST(c.version == "2.0");
  BOOST_TEST(c.release == "3");
  BOOST_TEST(c.arch == "noarch");
  std::string got;
  for (const auto& e : c.entries) got += e.path + " " + e.type + " " + e.link + "\n";
  BOOST_TEST(got ==
             "usr/share/made directory \nusr/share/made/d directory \nusr/share/made/link symlink one\n"
             "usr/share/made/one file \n");
}

BOOST_AUTO_TEST_CASE(every_truncation_is_refused) {
  va::tar_writer w;
  BOOST_REQUIRE(w.add_directory("usr/share/x").has_value());
  BOOST_REQUIRE(w.add_file("usr/share/x/f", bytes("small file\n")).has_value());
  BOOST_REQUIRE(w.add_symlink("usr/share/x/l", "f").has_value());
  const vitte::buffer<std::byte> rpm = write(w.finish().span(), fields());
  BOOST_REQUIRE_EQUAL(read_problem(rpm.span()), "");
  for (std::size_t n = 0; n < rpm.size(); ++n)
    BOOST_TEST(read_problem(vitte::span<const std::byte>(rpm.data(), n)) != "", "length " << n);
}

BOOST_AUTO_TEST_CASE(changed_index_fields_are_refused) {
  const vitte::buffer<std::byte> rpm = write(tree_tar().span(), fields());
  bd::rpm_contents c;
  BOOST_REQUIRE_EQUAL(read_problem(rpm.span(), &c), "");
  const std::string good = text_of(rpm.span());
  // Both headers: their counts, then each index entry's tag, type, offset
  // and count set to values that break it.
  const std::uint32_t values[] = {0, 1, 2, 3, 7, 9, 10, 15, 16, 17, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffff0};
  std::size_t tried = 0;
  for (const std::size_t at : {bd::rpm_lead_size, c.header_offset}) {
    const std::uint32_t il = vitte::detail::load_be<std::uint32_t>(rpm.data() + at + 8);
    std::vector<std::size_t> fields_at = {at + 8, at + 12};
    for (std::uint32_t i = 0; i < il; ++i)
      for (std::size_t k = 0; k < 4; ++k) fields_at.push_back(at + 16 + 16 * i + 4 * k);
    for (const std::size_t f : fields_at)
      for (const std::uint32_t v : values) {
        std::string bad = good;
        const std::uint32_t old = vitte::detail::load_be<std::uint32_t>(bad.data() + f);
        for (const std::uint32_t x : {v, old + v, old - v}) {
          if (x == old) continue;
          vitte::detail::store_be<std::uint32_t>(bad.data() + f, x);
          BOOST_TEST(read_problem(bytes(bad)) != "", "field at " << f << " = " << x);
          ++tried;
        }
      }
  }
  BOOST_TEST_MESSAGE(tried << " index fields changed");
  // Each single bit of the headers (the lead's name excepted: nothing covers it).
  for (std::size_t i = bd::rpm_lead_size; i < c.payload_offset; ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ (1 << (i % 8)));
    if (read_problem(bytes(bad)).empty()) BOOST_ERROR("a flipped bit at " << i << " went unnoticed");
  }
}

BOOST_AUTO_TEST_CASE(payload_digest_mismatch_and_gzip_bomb) {
  const vitte::buffer<std::byte> rpm = write(tree_tar().span(), fields());
  bd::rpm_contents c;
  BOOST_REQUIRE_EQUAL(read_problem(rpm.span(), &c), "");
  const std::string good = text_of(rpm.span());
  const std::string header = good.substr(c.header_offset, c.payload_offset - c.header_offset);
  const std::string payload = good.substr(c.payload_offset);
  const auto assemble = [&](const std::string& h, const std::string& p) {
    auto r = bd::rpm_assemble("hello-1.2.0-1", "x86_64", h, bytes(p), c.payload_size);
    BOOST_REQUIRE(r.has_value());
    return text_of(r->span());
  };
  BOOST_TEST(assemble(header, payload) == good);
  // The same files compressed at another level: the signature header's
  // digests are right, PAYLOADDIGEST is not.
  auto raw = vitte::compress::gzip_decompress(bytes(payload)).value();
  auto other = vitte::compress::gzip_compress(raw.span(), 1).value();
  const std::string level1(reinterpret_cast<const char*>(other.data()), other.size());
  BOOST_REQUIRE(level1 != payload);
  BOOST_TEST(read_problem(bytes(assemble(header, level1))) == "the payload's SHA-256 differs from PAYLOADDIGEST");
  // A payload bit flipped.
  std::string flipped = good;
  flipped[c.payload_offset + 20] ^= 1;
  BOOST_TEST(read_problem(bytes(flipped)) == "the payload's SHA-256 differs from PAYLOADDIGEST");

  // A gzip bomb: 64 MiB of zeros, every digest right (the header's
  // PAYLOADDIGEST rewritten for it).
  const std::string zeros(64u << 20, '\0');
  auto bomb_z = vitte::compress::gzip_compress(bytes(zeros), 9).value();
  const std::string bomb(reinterpret_cast<const char*>(bomb_z.data()), bomb_z.size());
  std::string bomb_header = header;
  const std::string old_digest = bd::sha256_hex(bytes(payload));
  const std::size_t at = bomb_header.find(old_digest);
  BOOST_REQUIRE(at != std::string::npos);
  bomb_header.replace(at, 64, bd::sha256_hex(bytes(bomb)));
  const std::string bombed = assemble(bomb_header, bomb);
  BOOST_TEST(read_problem(bytes(bombed)).find("gzip bomb") != std::string::npos, read_problem(bytes(bombed)));
  vitte::diagnostic said;
  (void)read_problem(bytes(bombed), nullptr, &said);
  BOOST_TEST((said.kind() == errc::limit_exceeded));
  BOOST_TEST(subject_of(said) == "payload");
  // A payload that is not gzip at all.
  const std::string junk(300, 'j');
  bomb_header = header;
  bomb_header.replace(at, 64, bd::sha256_hex(bytes(junk)));
  BOOST_TEST(read_problem(bytes(assemble(bomb_header, junk))) != "");
  // Not an rpm.
  BOOST_TEST(read_problem(bytes(std::string(200, 'x'))).find("not an rpm") == 0);
}

BOOST_AUTO_TEST_SUITE_END()
