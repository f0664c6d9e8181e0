// vitte/release/detail/pkg.hpp and what it stands on (xar.hpp, bom.hpp,
// cpio_odc.hpp, xml.hpp): macOS flat packages written from the tar of a
// tree (a program, an /etc file, a symlink, an empty directory, a UTF-8
// name, a 0600 file) and read back by our own readers (the xar's TOC and
// checksums, the Bom, the Payload against the Bom), byte for byte
// deterministic; what other tools say of them (7-Zip lists, tests and
// extracts the xar, GNU cpio reads the gunzipped Payload and Scripts,
// cksum agrees with the Bom's checksums, bomutils' mkbom and lsbom when
// installed); `vitte package --format pkg` through make_package() and
// verify_package(); and hostile input (every truncation, bytes flipped, a
// Payload larger than its Bom, a TOC that lies) refused with a reason.
// What only a Mac can check (pkgutil, installer) is in docs/PACKAGE.md.
#include <vitte/archive/tar.hpp>
#include <vitte/base/detail/bytes.hpp>
#include <vitte/base/detail/endian.hpp>
#include <vitte/base/detail/hex.hpp>
#include <vitte/compress/deflate.hpp>
#include <vitte/release/detail/bom.hpp>
#include <vitte/release/detail/cpio.hpp>
#include <vitte/release/detail/cpio_odc.hpp>
#include <vitte/release/detail/pkg.hpp>
#include <vitte/release/detail/sha256_hex.hpp>
#include <vitte/release/detail/xar.hpp>
#include <vitte/release/detail/xml.hpp>
#include <vitte/release/package.hpp>
#include <vitte/sys/directory.hpp>
#include <vitte/sys/metadata.hpp>  // exists
#include <vitte/sys/path_ops.hpp>  // read_symlink
#include <vitte/sys/temp.hpp>
#include <vitte/sys/whole_file.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#if !defined(_WIN32)
#include <sys/stat.h>  // lstat: what cpio extracted
#endif

#include <boost/test/unit_test.hpp>

#include "support/package_fixture.hpp"
#include "support/programs.hpp"

namespace rd = vitte::release::detail;
namespace release = vitte::release;
namespace va = vitte::archive;
namespace sys = vitte::sys;
using vitte::errc;
using vitte_test::bytes;

namespace {

constexpr std::int64_t test_time = 1'700'000'000;
const std::string utf8_name = "share/h\xC3\xA9llo w\xC3\xB6rld.txt";

std::string quote(const std::string& s) {
  std::string q = "'";
  for (const char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string text_of(vitte::span<const std::byte> b) { return std::string(vitte::detail::text_of(b)); }

// Bytes of every value, a length that is not a multiple of anything.
std::string binary_data(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + 7) & 255);
  return s;
}

struct item {
  std::string path;
  int kind;  // 0 directory, 1 file, 2 symlink
  std::string data;
  std::uint32_t mode;
};

// The tree: a program, a config file and a 0600 secret under etc, a
// symlink, an empty directory, a UTF-8 name, binary data.
std::vector<item> tree_items() {
  return {
      {"bin", 0, "", 0755},
      {"bin/hello", 1, "#!/bin/sh\necho hello\n", 0755},
      {"bin/hi", 2, "hello", 0777},
      {"etc", 0, "", 0755},
      {"etc/hello.conf", 1, "greeting = hello\n", 0644},
      {"etc/secret", 1, "s3cret\n", 0600},
      {"share", 0, "", 0755},
      {"share/empty", 0, "", 0755},
      {"share/data.bin", 1, binary_data(70001), 0644},
      {utf8_name, 1, "unicode\n", 0644},
  };
}

vitte::buffer<std::byte> tree_tar(bool reverse = false) {
  std::vector<item> items = tree_items();
  if (reverse) std::reverse(items.begin(), items.end());
  va::write_options wo;
  wo.mtime = test_time;
  va::tar_writer w(wo);
  for (const item& i : items) {
    const vitte::status s = i.kind == 0   ? w.add_directory(i.path, i.mode)
                            : i.kind == 1 ? w.add_file(i.path, bytes(i.data), i.mode)
                                          : w.add_symlink(i.path, i.data);
    BOOST_REQUIRE(s.has_value());
  }
  return w.finish();
}

const std::string preinstall = "#!/bin/sh\necho before\n";
const std::string postinstall = "#!/bin/sh\necho after\n";

rd::pkg_fields fields(bool scripts = false) {
  rd::pkg_fields f;
  f.name = "hello";
  f.version = "1.2.0";
  f.identifier = "org.example.hello";
  f.install_location = "/usr/local";
  f.architectures = "x86_64,arm64";
  f.time = test_time;
  if (scripts) {
    f.preinstall = bytes(preinstall);
    f.postinstall = bytes(postinstall);
  }
  return f;
}

vitte::buffer<std::byte> write_pkg(vitte::span<const std::byte> tar, const rd::pkg_fields& f) {
  vitte::diagnostic why;
  auto r = rd::pkg_write(tar, f, &why);
  BOOST_REQUIRE_MESSAGE(r.has_value(), why.format().c_str());
  return static_cast<vitte::buffer<std::byte>&&>(*r);
}

// pkg_read's verdict: "" when it accepts the package; a refusal must say
// what (non-empty) and where (inside the input). `subject`: what it named.
std::string read_problem(vitte::span<const std::byte> pkg, rd::pkg_contents* out = nullptr,
                         std::string* subject = nullptr) {
  rd::pkg_contents c;
  vitte::diagnostic why;
  const bool ok = rd::pkg_read(pkg, c, &why);
  if (out != nullptr) *out = c;
  if (subject != nullptr) subject->assign(why.subject().data(), why.subject().size());
  if (ok) return "";
  return vitte_test::refusal(why, pkg.size());
}

// What the package installs: the tree under usr/local, sorted, sizes of files only.
std::vector<rd::package_entry> expected_entries() {
  std::vector<rd::package_entry> out;
  for (const item& i : tree_items()) {
    rd::package_entry e;
    e.path = "usr/local/" + i.path;
    e.type = i.kind == 0 ? "directory" : i.kind == 1 ? "file" : "symlink";
    e.mode = i.mode;
    e.size = i.kind == 1 ? i.data.size() : 0;
    if (i.kind == 1) e.sha256 = rd::sha256_hex(bytes(i.data));
    if (i.kind == 2) e.link = i.data;
    out.push_back(e);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  return out;
}

// The 7-Zip command here, "" when there is none.
std::string seven_zip() {
  for (const char* p : {"7zz", "7z", "7za"})
    if (vitte_test::have(p)) return p;
  return "";
}

void write_out(const std::string& path, vitte::span<const std::byte> data) {
  BOOST_REQUIRE(sys::atomic_replace(path, data).has_value());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pkg)

BOOST_AUTO_TEST_CASE(xml_escapes_and_reads_what_packages_hold) {
  std::string s;
  rd::xml_escape(s, "a<b>&\"c'\x01");
  BOOST_TEST(s == "a&lt;b&gt;&amp;&quot;c&apos;\xEF\xBF\xBD");
  const std::string doc =
      "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- c -->\n<a x='1' y=\"&lt;2&#x26;&#38;\">t&amp;<b/><![CDATA[<raw>]]>"
      "<c>\xC3\xA9</c><?pi?></a>\n";
  rd::xml_element root;
  vitte::diagnostic why;
  BOOST_REQUIRE_MESSAGE(rd::xml_read(doc, root, &why), why.format().c_str());
  BOOST_TEST(root.name == "a");
  BOOST_TEST(std::string(root.attribute("y")) == "<2&&");
  BOOST_TEST(root.text == "t&<raw>");
  BOOST_TEST(root.children.size() == 2u);
  BOOST_TEST(std::string(root.child_text("c")) == "\xC3\xA9");
  for (const char* bad :
       {"<a>", "<a></b>", "<a/><b/>", "x<a/>", "<!DOCTYPE a><a/>", "<a x='1' x='2'/>", "<a>&foo;</a>", "<a>&#0;</a>",
        "<a>&#x110000;</a>", "<a x=1/>", "<a>\xFF</a>", "<a>\x01</a>", "<a><!-- </a>", ""}) {
    rd::xml_element r;
    BOOST_TEST(!rd::xml_read(bad, r, &why), bad);
    (void)vitte_test::refusal(why, std::string(bad).size());
  }
  // A fault inside an element names it: the innermost one open there.
  rd::xml_element r;
  BOOST_TEST(!rd::xml_read("<a><b x='1' x='2'/></a>", r, &why));
  BOOST_TEST(std::string(why.subject().data(), why.subject().size()) == "a");
  BOOST_TEST(why.offset() == 11u);  // the space before the second x
  BOOST_TEST(std::string(why.message().data(), why.message().size()) == "an XML attribute given twice");
  rd::xml_limits l;
  l.max_depth = 3;
  BOOST_TEST(!rd::xml_read("<a><b><c><d/></c></b></a>", r, &why, l));
  BOOST_TEST((why.kind() == errc::malformed));
  BOOST_TEST(std::string(why.subject().data(), why.subject().size()) == "c");
  BOOST_TEST(rd::xml_read("<a><b><c/></b></a>", r, &why, l));
}

BOOST_AUTO_TEST_CASE(odc_cpio_round_trip_and_gnu_cpio) {
  std::string a;
  BOOST_TEST(rd::cpio_odc_append(a, ".", {.ino = 1, .mode = 040755, .nlink = 2, .mtime = 5}, {}));
  BOOST_TEST(rd::cpio_odc_append(a, "./x", {.ino = 2, .mode = 0100600, .nlink = 1, .mtime = 5}, bytes("abcde")));
  BOOST_TEST(!rd::cpio_odc_append(a, "", {}, {}));
  BOOST_TEST(!rd::cpio_odc_append(a, "./big-inode", {.ino = 01000000}, {}));
  rd::cpio_odc_finish(a);
  BOOST_TEST(a.substr(0, 6) == "070707");
  std::vector<rd::cpio_member> m;
  vitte::diagnostic why;
  BOOST_REQUIRE(rd::cpio_odc_read(bytes(a), m, &why));
  BOOST_REQUIRE(m.size() == 2u);
  BOOST_TEST(std::string(m[1].name) == "./x");
  BOOST_TEST(m[1].fields.mode == 0100600u);
  BOOST_TEST(text_of(m[1].data) == "abcde");
  for (std::size_t n = 0; n < a.size(); ++n) {  // every truncation refused, inside the input
    std::vector<rd::cpio_member> cut;
    BOOST_TEST(!rd::cpio_odc_read(bytes(a.substr(0, n)), cut, &why), n);
    (void)vitte_test::refusal(why, n);
  }
  // The member whose data is cut short is named, at where its data starts.
  std::vector<rd::cpio_member> cut;
  BOOST_TEST(!rd::cpio_odc_read(bytes(a.substr(0, a.find("abcde") + 2)), cut, &why));
  BOOST_TEST(std::string(why.subject().data(), why.subject().size()) == "./x");
  BOOST_TEST(why.offset() == a.find("abcde"));
  BOOST_TEST(std::string(why.message().data(), why.message().size()) == "a cpio member's data cut short");
  if (!vitte_test::have("cpio")) {
    BOOST_TEST_MESSAGE("skipped: no cpio (Debian cpio) to compare the odc format with");
    return;
  }
  // GNU cpio reads ours and writes what we read.
  sys::temp_directory dir = sys::temp_directory::create().value();
  const std::string root(dir.path());
  write_out(root + "/a.cpio", bytes(a));
  int st = -1;
  const std::string listing = vitte_test::run("cpio -it < " + quote(root + "/a.cpio") + " 2>&1", &st);
  BOOST_TEST(st == 0, listing);
  BOOST_TEST(listing.find("./x") != std::string::npos, listing);
  vitte_test::put(root + "/f", "from gnu cpio\n");
  BOOST_REQUIRE(
      vitte_test::run_status("cd " + quote(root) + " && printf 'f\\n' | cpio -o -H odc > g.cpio 2>/dev/null") == 0);
  const std::string g = vitte_test::slurp(root + "/g.cpio");
  std::vector<rd::cpio_member> gm;
  BOOST_REQUIRE_MESSAGE(rd::cpio_odc_read(bytes(g), gm, &why), why.format().c_str());
  BOOST_REQUIRE(gm.size() == 1u);
  BOOST_TEST(std::string(gm[0].name) == "f");
  BOOST_TEST(text_of(gm[0].data) == "from gnu cpio\n");
}

BOOST_AUTO_TEST_CASE(bom_round_trip_checksums_and_a_deep_tree) {
  // POSIX cksum's CRC, as `cksum` prints it.
  BOOST_TEST(rd::bom_cksum(bytes("")) == 4294967295u);
  BOOST_TEST(rd::bom_cksum(bytes("hello")) == 3287646509u);
  if (vitte_test::have("cksum")) {
    const std::string data = binary_data(70001);
    sys::temp_directory dir = sys::temp_directory::create().value();
    const std::string f = std::string(dir.path()) + "/data";
    vitte_test::put(f, data);
    const std::string out = vitte_test::run("cksum < " + quote(f));
    BOOST_TEST(out.substr(0, out.find(' ')) == std::to_string(rd::bom_cksum(bytes(data))), out);
  }
  // Paths for more than one leaf (256 each) and more than one branch level.
  std::vector<rd::bom_entry> e = {{".", rd::bom_directory, 040755, 0, 0, 7, 0, 0, ""},
                                  {"./d", rd::bom_directory, 040755, 0, 0, 7, 0, 0, ""}};
  for (int i = 0; i < 70000; ++i)
    e.push_back({"./d/f" + std::to_string(i), rd::bom_file, 0100644, 501, 20, 7, static_cast<std::uint32_t>(i),
                 static_cast<std::uint32_t>(i * 7), ""});
  e.push_back({"./l", rd::bom_symlink, 0120755, 0, 0, 7, 1, rd::bom_cksum(bytes("d")), "d"});
  vitte::diagnostic why;
  auto bom = rd::bom_write(e, &why);
  BOOST_REQUIRE_MESSAGE(bom.has_value(), why.format().c_str());
  std::vector<rd::bom_entry> back;
  BOOST_REQUIRE_MESSAGE(rd::bom_read(bom->span(), back, &why), why.format().c_str());
  BOOST_REQUIRE(back.size() == e.size());
  // Breadth first, children by name: ".", "./d", "./l", then d's files by name.
  BOOST_TEST(back[0].path == ".");
  BOOST_TEST(back[1].path == "./d");
  BOOST_TEST(back[2].path == "./l");
  BOOST_TEST(back[2].link == "d");
  std::vector<rd::bom_entry> sorted_in = e, sorted_back = back;
  const auto by_path = [](const rd::bom_entry& a, const rd::bom_entry& b) { return a.path < b.path; };
  std::sort(sorted_in.begin(), sorted_in.end(), by_path);
  std::sort(sorted_back.begin(), sorted_back.end(), by_path);
  BOOST_TEST((sorted_in == sorted_back));
  // Refused: no ".", a path twice, a path under no directory, "..".
  const std::vector<std::vector<rd::bom_entry>> bad = {
      {{"./a", rd::bom_file, 0100644, 0, 0, 0, 0, 0, ""}},
      {{".", rd::bom_directory, 040755, 0, 0, 0, 0, 0, ""},
       {"./a", rd::bom_file, 0100644, 0, 0, 0, 0, 0, ""},
       {"./a", rd::bom_file, 0100644, 0, 0, 0, 0, 0, ""}},
      {{".", rd::bom_directory, 040755, 0, 0, 0, 0, 0, ""}, {"./a/b", rd::bom_file, 0100644, 0, 0, 0, 0, 0, ""}},
      {{".", rd::bom_directory, 040755, 0, 0, 0, 0, 0, ""}, {"./..", rd::bom_directory, 040755, 0, 0, 0, 0, 0, ""}},
  };
  for (const auto& b : bad) {
    auto r = rd::bom_write(b, &why);
    BOOST_TEST(!r.has_value(), why.format().c_str());
    if (!r) BOOST_TEST((r.error() == errc::invalid_argument));
    BOOST_TEST((why.kind() == errc::invalid_argument));
    BOOST_TEST(!why.subject().empty(), why.format().c_str());  // the path
  }
}

BOOST_AUTO_TEST_CASE(pkg_is_deterministic_and_reads_back) {
  const vitte::buffer<std::byte> tar = tree_tar(), reversed = tree_tar(true);
  const vitte::buffer<std::byte> a = write_pkg(tar.span(), fields()), b = write_pkg(tar.span(), fields()),
                                 c = write_pkg(reversed.span(), fields());
  BOOST_TEST((text_of(a.span()) == text_of(b.span())));
  BOOST_TEST((text_of(a.span()) == text_of(c.span())), "the tar's order changes nothing");
  BOOST_TEST((text_of(a.span()).substr(0, 4) == "xar!"));

  // The xar's TOC: the members, each range inside the heap, every checksum.
  rd::xar_contents x;
  vitte::diagnostic why;
  BOOST_REQUIRE_MESSAGE(rd::xar_read(a.span(), x, &why), why.format().c_str());
  BOOST_TEST(x.checksum_style == "sha1");
  BOOST_TEST(x.heap == rd::xar_header_size + x.toc_length);
  std::vector<std::string> paths;
  for (const rd::xar_file& f : x.files) {
    paths.push_back(f.path);
    if (!f.has_data) continue;
    BOOST_TEST(x.heap + f.offset + f.length <= a.size(), f.path);
    BOOST_TEST(f.offset >= 20u, f.path << ": the TOC's checksum comes first in the heap");
    vitte::buffer<std::byte> data;
    BOOST_TEST(rd::xar_extract(a.span(), x, f, 1u << 30, data, &why), why.format().c_str());
    BOOST_TEST(data.size() == f.size, f.path);
  }
  const std::vector<std::string> expected_paths = {"Distribution", "hello.pkg", "hello.pkg/Bom", "hello.pkg/Payload",
                                                   "hello.pkg/PackageInfo"};
  BOOST_TEST(paths == expected_paths, boost::test_tools::per_element());
  BOOST_TEST(x.find("hello.pkg/Payload")->encoding == "application/octet-stream");
  BOOST_TEST(x.find("hello.pkg/Bom")->encoding == "application/x-gzip");
  BOOST_TEST(x.creation_time == "2023-11-14T22:13:20");

  // The package: what it installs, and its Bom.
  rd::pkg_contents pc;
  BOOST_REQUIRE_EQUAL(read_problem(a.span(), &pc), "");
  BOOST_TEST(pc.identifier == "org.example.hello");
  BOOST_TEST(pc.version == "1.2.0");
  BOOST_TEST(pc.install_location == "/usr/local");
  BOOST_TEST(pc.component == "hello.pkg");
  BOOST_TEST(pc.architectures == "x86_64,arm64");
  BOOST_TEST(!pc.has_scripts);
  BOOST_TEST(pc.files == tree_items().size() + 1);
  const std::vector<rd::package_entry> want = expected_entries();
  BOOST_REQUIRE(pc.entries.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) BOOST_TEST((pc.entries[i] == want[i]), want[i].path);
  BOOST_REQUIRE(pc.bom.size() == tree_items().size() + 1);
  BOOST_TEST(pc.bom[0].path == ".");
  for (const item& i : tree_items()) {
    const auto it = std::find_if(pc.bom.begin(), pc.bom.end(), [&](const auto& e) { return e.path == "./" + i.path; });
    BOOST_REQUIRE_MESSAGE(it != pc.bom.end(), i.path);
    const std::uint32_t type = i.kind == 0 ? 040000 : i.kind == 1 ? 0100000 : 0120000;
    BOOST_TEST(it->mode == (type | i.mode), i.path);
    BOOST_TEST(it->uid == 0u);
    BOOST_TEST(it->gid == 0u);
    BOOST_TEST(it->mtime == static_cast<std::uint32_t>(test_time));
    BOOST_TEST(it->size == (i.kind == 0 ? 0 : i.data.size()), i.path);
    if (i.kind != 0) BOOST_TEST(it->checksum == rd::bom_cksum(bytes(i.data)), i.path);
  }
}

BOOST_AUTO_TEST_CASE(seven_zip_and_cpio_read_the_package) {
  const std::string z = seven_zip();
  if (z.empty() || !vitte_test::have("cpio") || !vitte_test::have("gzip")) {
    BOOST_TEST_MESSAGE("skipped: needs 7-Zip (Debian 7zip or p7zip-full), cpio and gzip");
    return;
  }
  sys::temp_directory dir = sys::temp_directory::create().value();
  const std::string root(dir.path());
  const vitte::buffer<std::byte> tar = tree_tar();
  write_out(root + "/hello.pkg", write_pkg(tar.span(), fields(true)).span());

  // 7-Zip lists the xar, checks every checksum, extracts it.
  int st = -1;
  const std::string listing = vitte_test::run(z + " l -slt " + quote(root + "/hello.pkg") + " 2>&1", &st);
  BOOST_TEST(st == 0, listing);
  BOOST_TEST(listing.find("Type = Xar") != std::string::npos, listing);
  for (const char* p : {"Path = Distribution", "Path = hello.pkg/Bom", "Path = hello.pkg/Payload",
                        "Path = hello.pkg/Scripts", "Path = hello.pkg/PackageInfo"})
    BOOST_TEST(listing.find(p) != std::string::npos, p << " in: " << listing);
  const std::string test = vitte_test::run(z + " t " + quote(root + "/hello.pkg") + " 2>&1", &st);
  BOOST_TEST(st == 0, test);
  BOOST_TEST(test.find("Everything is Ok") != std::string::npos, test);
  const std::string x = root + "/x";
  BOOST_REQUIRE(
      vitte_test::run_status(z + " x -o" + quote(x) + " " + quote(root + "/hello.pkg") + " >/dev/null 2>&1") == 0);
  const std::string dist = vitte_test::slurp(x + "/Distribution");
  BOOST_TEST(dist.find("<pkg-ref id=\"org.example.hello\" version=\"1.2.0\" onConclusion=\"none\" installKBytes=\"") !=
                 std::string::npos,
             dist);
  BOOST_TEST(dist.find(">#hello.pkg</pkg-ref>") != std::string::npos, dist);
  BOOST_TEST(dist.find("hostArchitectures=\"x86_64,arm64\"") != std::string::npos, dist);
  const std::string info = vitte_test::slurp(x + "/hello.pkg/PackageInfo");
  BOOST_TEST(info.find("identifier=\"org.example.hello\"") != std::string::npos, info);
  BOOST_TEST(info.find("install-location=\"/usr/local\"") != std::string::npos, info);
  BOOST_TEST(info.find("<preinstall file=\"./preinstall\"/>") != std::string::npos, info);
  // Our Bom reader reads the Bom 7-Zip extracted.
  const std::string bom = vitte_test::slurp(x + "/hello.pkg/Bom");
  std::vector<rd::bom_entry> listed;
  vitte::diagnostic why;
  BOOST_REQUIRE_MESSAGE(rd::bom_read(bytes(bom), listed, &why), why.format().c_str());
  BOOST_TEST(listed.size() == tree_items().size() + 1);

  // GNU cpio reads the gunzipped Payload: the tree, modes, the link, the UTF-8 name.
  const std::string out = root + "/payload";
  BOOST_REQUIRE(sys::create_directories(out).has_value());
  const std::string cpio_list =
      vitte_test::run("gzip -dc " + quote(x + "/hello.pkg/Payload") + " | cpio -itv 2>&1", &st);
  BOOST_TEST(st == 0, cpio_list);
  BOOST_TEST(cpio_list.find("./bin/hi -> hello") != std::string::npos, cpio_list);
  BOOST_TEST(vitte_test::run_status("cd " + quote(out) + " && gzip -dc " + quote(x + "/hello.pkg/Payload") +
                                    " | cpio -idm --quiet 2>&1") == 0);
  for (const item& i : tree_items()) {
    const std::string p = out + "/" + i.path;
#if !defined(_WIN32)
    struct stat s{};
    BOOST_REQUIRE_MESSAGE(::lstat(p.c_str(), &s) == 0, p);
    BOOST_TEST((s.st_mode & 07777) == (i.kind == 2 ? (s.st_mode & 07777) : i.mode), i.path);
    if (i.kind == 0) BOOST_TEST(S_ISDIR(s.st_mode), i.path);
    if (i.kind == 2) BOOST_TEST(S_ISLNK(s.st_mode), i.path);
    if (i.kind == 1) BOOST_TEST(s.st_mtime == test_time, i.path);
#endif
    if (i.kind == 1) BOOST_TEST(vitte_test::slurp(p) == i.data, i.path);
    if (i.kind == 2) BOOST_TEST(std::string(sys::read_symlink(p).value().view()) == i.data, i.path);
  }
  // And the Scripts.
  const std::string scripts = root + "/scripts";
  BOOST_REQUIRE(sys::create_directories(scripts).has_value());
  BOOST_TEST(vitte_test::run_status("cd " + quote(scripts) + " && gzip -dc " + quote(x + "/hello.pkg/Scripts") +
                                    " | cpio -idm --quiet 2>&1") == 0);
  BOOST_TEST(vitte_test::slurp(scripts + "/preinstall") == preinstall);
  BOOST_TEST(vitte_test::slurp(scripts + "/postinstall") == postinstall);
#if !defined(_WIN32)
  struct stat s{};
  BOOST_TEST(::stat((scripts + "/postinstall").c_str(), &s) == 0);
  BOOST_TEST((s.st_mode & 0777) == 0755u);
#endif

  // bomutils (built from source; Debian has no package): its mkbom makes
  // the same Bom of the extracted tree, and its lsbom lists ours.
  if (!vitte_test::have("mkbom") || !vitte_test::have("lsbom")) {
    BOOST_TEST_MESSAGE("skipped: no mkbom and lsbom (bomutils) to compare the Bom with");
    return;
  }
  BOOST_TEST(vitte_test::run_status("cd " + quote(out) + " && find . -exec touch -h -d @" + std::to_string(test_time) +
                                    " {} + && mkbom -u 0 -g 0 . " + quote(root + "/ref.bom") + " 2>&1") == 0);
  BOOST_TEST((vitte_test::slurp(root + "/ref.bom") == bom), "mkbom's Bom of the same tree is byte-identical");
  const std::string ls = vitte_test::run("lsbom " + quote(x + "/hello.pkg/Bom") + " 2>&1", &st);
  BOOST_TEST(st == 0, ls);
  BOOST_TEST(ls.find("./etc/secret\t100600\t0/0\t7\t") != std::string::npos, ls);
}

BOOST_AUTO_TEST_CASE(make_package_writes_and_verifies_a_pkg) {
  sys::temp_directory dir = sys::temp_directory::create().value();
  const std::string root(dir.path());
  vitte_test::make_tree(root + "/tree", false, test_time);
  const auto key = vitte_test::key_from(7);
  auto o = vitte_test::options(release::package_format::pkg, &key);
  o.target = "aarch64-apple-darwin";
  vitte::diagnostic why;
  auto r = release::make_package(root + "/tree", root + "/dist", o, &why);
  BOOST_REQUIRE_MESSAGE(r.has_value(), why.format().c_str());
  const std::string archive(r->archive.view());
  BOOST_TEST((archive.ends_with("/hello-1.2.0-arm64.pkg") || archive.ends_with("\\hello-1.2.0-arm64.pkg")), archive);
  const auto pub = vitte::release::signify::public_of(key);
  BOOST_TEST(vitte_test::verdict(root + "/dist", &pub) == "");
  const std::string manifest = vitte_test::slurp(root + "/dist/manifest.json");
  BOOST_TEST(manifest.find("\"format\": \"pkg\"") != std::string::npos);
#if !defined(_WIN32)  // Windows trees have no executable bits to keep
  BOOST_TEST(
      manifest.find("\"path\": \"usr/local/bin/hello\", \"type\": \"file\", \"mode\": \"0755\"") != std::string::npos,
      manifest);
#endif
  // The same tree again, listed in the other order: the same bytes.
  vitte_test::make_tree(root + "/tree2", true, test_time + 99);
  auto again = release::make_package_archive(root + "/tree2", o, &why);
  BOOST_REQUIRE(again.has_value());
  BOOST_TEST((vitte_test::slurp(std::string(r->archive.view())) == text_of(again->bytes.span())));
  rd::pkg_contents pc;
  BOOST_REQUIRE_EQUAL(read_problem(again->bytes.span(), &pc), "");
  BOOST_TEST(pc.identifier == "local.hello");
  BOOST_TEST(pc.architectures == "arm64");

  // Bytes altered in place: the checksums say so; a package whose
  // SHA256SUMS was rewritten to match is still refused by its own reader.
  std::string bytes_ = vitte_test::slurp(std::string(r->archive.view()));
  bytes_[bytes_.size() - 40] ^= 0x20;
  vitte_test::put(std::string(r->archive.view()), bytes_);
  BOOST_TEST(vitte_test::verdict(root + "/dist", &pub).find("checksum mismatch") != std::string::npos);
  BOOST_TEST(read_problem(bytes(bytes_)) != "");

  // Refused before anything is written: not macOS, a bad identifier, a relative prefix.
  const auto refused = [&](const release::package_options& bad, const char* says) {
    vitte::diagnostic w;
    auto rr = release::make_package(root + "/tree", root + "/dist-bad", bad, &w);
    BOOST_REQUIRE(!rr.has_value());
    BOOST_TEST((rr.error() == errc::invalid_argument));
    BOOST_TEST((w.kind() == errc::invalid_argument));
    const std::string said(w.message().data(), w.message().size());
    BOOST_TEST(said.find(says) != std::string::npos, said);
  };
  auto bad = o;
  bad.target = "x86_64-unknown-linux-gnu";
  refused(bad, "macOS target");
  bad = o;
  bad.target = "riscv64-apple-darwin";
  refused(bad, "macOS target");
  bad = o;
  bad.identifier = "org.example/hello";
  refused(bad, "identifier");
  bad = o;
  bad.prefix = "opt";
  refused(bad, "absolute");
  BOOST_TEST(!sys::exists(root + "/dist-bad").value());
}

BOOST_AUTO_TEST_CASE(hostile_packages_are_refused_with_a_reason) {
  const vitte::buffer<std::byte> tar = tree_tar();
  const vitte::buffer<std::byte> good = write_pkg(tar.span(), fields(true));
  const std::string g = text_of(good.span());
  // Every truncation (each 7th, and the first 200 bytes all).
  for (std::size_t n = 0; n < g.size(); n += n < 200 ? 1 : 7) BOOST_TEST(read_problem(bytes(g.substr(0, n))) != "", n);
  // A byte flipped anywhere: refused (a checksum, the TOC, the header).
  for (std::size_t i = 0; i < g.size(); i += 13) {
    std::string b = g;
    b[i] ^= 0x01;
    BOOST_TEST(read_problem(bytes(b)) != "", i);
  }
  vitte::diagnostic why;
  // A Payload larger than its Bom says: inflated no further than the Bom allows.
  rd::bom_entry root_dir{".", rd::bom_directory, 040755, 0, 0, 0, 0, 0, ""};
  auto bom = rd::bom_write(vitte::span<const rd::bom_entry>(&root_dir, 1), &why);
  BOOST_REQUIRE(bom.has_value());
  std::string cpio;
  BOOST_REQUIRE(rd::cpio_odc_append(cpio, ".", {.ino = 1, .mode = 040755, .nlink = 2}, {}));
  BOOST_REQUIRE(rd::cpio_odc_append(cpio, "./zeros", {.ino = 2, .mode = 0100644}, bytes(std::string(8 << 20, '\0'))));
  rd::cpio_odc_finish(cpio);
  auto bomb = vitte::compress::gzip_compress(bytes(cpio), 9);
  BOOST_REQUIRE(bomb.has_value());
  const std::string dist = "<installer-gui-script><pkg-ref id='x'>#x.pkg</pkg-ref></installer-gui-script>";
  const std::string info = "<pkg-info identifier='x' version='1' install-location='/usr/local'/>";
  const rd::xar_member m[] = {{"Distribution", false, bytes(dist), true, 0},
                              {"x.pkg", true, {}, false, 0},
                              {"x.pkg/Bom", false, bom->span(), true, 0},
                              {"x.pkg/Payload", false, as_bytes(bomb->span()), false, 0},
                              {"x.pkg/PackageInfo", false, bytes(info), true, 0}};
  auto forged = rd::xar_write(m, {}, &why);
  BOOST_REQUIRE(forged.has_value());
  std::string member;
  BOOST_TEST(read_problem(forged->span(), nullptr, &member) == "a Payload larger than its Bom says");
  BOOST_TEST(member == "x.pkg/Payload");

  // A TOC that lies: a file's data past the archive. With the heap's copy
  // of the TOC's checksum left as it was, the checksum refuses it; with that
  // copy rewritten to match, the range itself is refused.
  rd::xar_contents x;
  BOOST_REQUIRE(rd::xar_read(good.span(), x, &why));
  const auto with_toc = [&](const std::string& toc, bool fix_checksum) {
    auto z = vitte::compress::zlib_compress(vitte::detail::bytes_of(toc), 9);
    std::string out = g.substr(0, rd::xar_header_size);
    vitte::detail::store_be<std::uint64_t>(out.data() + 8, z->size());
    vitte::detail::store_be<std::uint64_t>(out.data() + 16, toc.size());
    const std::string ztoc(vitte::detail::text_of(z->span()));
    out += ztoc;
    std::string heap = g.substr(static_cast<std::size_t>(x.heap));
    if (fix_checksum) {
      std::string sum;
      BOOST_REQUIRE(rd::xar_checksum("sha1", bytes(ztoc), sum));
      std::uint8_t raw[20];
      BOOST_REQUIRE(vitte::detail::hex_decode(sum, raw));
      for (std::size_t i = 0; i < 20; ++i) heap[i] = static_cast<char>(raw[i]);
    }
    return out + heap;
  };
  BOOST_REQUIRE_EQUAL(read_problem(bytes(with_toc(x.toc, true))), "");
  std::string toc = x.toc;
  const std::string payload_offset = "<offset>" + std::to_string(x.find("hello.pkg/Payload")->offset) + "</offset>";
  const std::size_t p = toc.find(payload_offset);
  BOOST_REQUIRE(p != std::string::npos);
  toc.replace(p, payload_offset.size(), "<offset>99999999</offset>");
  rd::xar_contents bad;
  const auto said = [&] { return std::string(why.message().data(), why.message().size()); };
  BOOST_TEST(!rd::xar_read(bytes(with_toc(toc, false)), bad, &why));
  BOOST_TEST(said() == "the xar TOC does not match its checksum");
  BOOST_TEST(why.offset() == bad.heap + bad.toc_checksum_offset);  // the heap's copy
  BOOST_TEST(!rd::xar_read(bytes(with_toc(toc, true)), bad, &why));
  // In the TOC (where it starts in the archive): the file, where its <file> is in the XML.
  BOOST_TEST(said().rfind("a xar file's data outside the heap (hello.pkg/Payload, at offset 0x", 0) == 0u, said());
  BOOST_TEST(said().find(" of the TOC)") != std::string::npos, said());
  BOOST_TEST(std::string(why.subject().data(), why.subject().size()) == "TOC");
  BOOST_TEST(why.offset() == rd::xar_header_size);
  // Two files on the same bytes.
  toc = x.toc;
  const std::string bom_offset = "<offset>" + std::to_string(x.find("hello.pkg/Bom")->offset) + "</offset>";
  const std::size_t q = toc.find(payload_offset);
  toc.replace(q, payload_offset.size(), bom_offset);
  BOOST_TEST(!rd::xar_read(bytes(with_toc(toc, true)), bad, &why));
  BOOST_TEST(said() == "xar file data overlapping other data");
}

BOOST_AUTO_TEST_SUITE_END()
