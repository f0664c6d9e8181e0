// vitte/release/detail/msi.hpp, cab.hpp and cfb.hpp: Windows Installer
// packages of a file tree read back as the tree (files, directories, sizes,
// digests), byte-identical when made twice, bad fields and symlinks refused;
// what msiinfo, msiextract, gcab and wixl say of them (each when installed);
// a package wixl writes read by us; and hostile bytes (every truncation,
// flipped header, FAT and directory bytes, a FAT chain that loops, cabinets
// that lie about sizes or checksums, deflate bombs) refused with a reason,
// never a crash or a hang. The writers as they stream: a cabinet's blocks
// out as they fill and a new folder when one is full, a compound file's
// large stream filled from elsewhere, the tree read from disk with its
// cabinet in a scratch file giving the bytes its tar gives.
//
// The Wine install is tests/tools/msi_wine.py: it runs this program with
// `--run_test=msi_sample_for_outside_tools -- --msi-out DIR` to get a package
// and its tree.
#include <vitte/archive/tar.hpp>
#include <vitte/compress/deflate.hpp>
#include <vitte/release/detail/cab.hpp>
#include <vitte/release/detail/cfb.hpp>
#include <vitte/release/detail/msi.hpp>
#include <vitte/release/detail/package_tree.hpp>  // the tree as make_package lists it
#include <vitte/release/detail/sha256_hex.hpp>    // sha256_hex
#include <vitte/sys/directory.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/whole_file.hpp>

#include <algorithm>
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

namespace {

std::string string_of(vitte::span<const std::byte> b) {
  return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}

// Bytes that do not compress much: a linear congruential sequence.
std::string noise(std::size_t n, std::uint32_t seed) {
  std::string s(n, '\0');
  for (char& c : s) {
    seed = seed * 1664525u + 1013904223u;
    c = static_cast<char>(seed >> 24);
  }
  return s;
}

// A tree: paths ending in '/' are directories, in the order a tar lists them.
using tree = std::vector<std::pair<std::string, std::string>>;

tree sample_tree() {
  return {{"bin/", ""},
          {"bin/hello.exe", "MZ hello\r\n"},
          {"bin/tool.dll", noise(40000, 7)},  // two MSZIP blocks, a stream outside the mini stream
          {"share/", ""},
          {"share/doc/", ""},
          {"share/doc/README", "read me\n"},
          {"share/doc/Long File Name.txt", std::string(70000, 'a')},
          {"share/doc/long file name 2.txt", "two\n"},
          {"share/zero", ""},
          {"empty/", ""},
          {"top.txt", "top\n"}};
}

vitte::buffer<std::byte> tar_of(const tree& t) {
  va::tar_writer w;
  for (const auto& [path, data] : t) {
    if (path.ends_with('/'))
      BOOST_REQUIRE(w.add_directory(path.substr(0, path.size() - 1)).has_value());
    else
      BOOST_REQUIRE(w.add_file(path, bytes(data)).has_value());
  }
  return w.finish();
}

// What msi_read() should report for `tar`: its entries as archive::tar_reader
// gives them, sorted, with MSI's fixed modes.
std::vector<bd::package_entry> msi_expected_entries(vitte::span<const std::byte> tar) {
  std::vector<bd::package_entry> out;
  va::tar_reader r(tar);
  for (;;) {
    auto e = r.next();
    BOOST_REQUIRE(e.has_value());
    if (*e == nullptr) break;
    bd::package_entry p;
    p.path = std::string((*e)->path.view());
    p.type = std::string(va::to_string((*e)->type));
    p.mode = (*e)->type == va::entry_type::directory ? 0755 : 0644;
    p.size = (*e)->size;
    if ((*e)->type == va::entry_type::file) p.sha256 = bd::sha256_hex(r.data());
    out.push_back(p);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  return out;
}

bd::msi_fields msi_test_fields() {
  bd::msi_fields f;
  f.name = "vitte-msi-test";
  f.version = "1.2.3";
  f.manufacturer = "The vitte authors";
  f.description = "a test package";
  f.time = 1'700'000'000;
  return f;
}

vitte::buffer<std::byte> make_msi(const tree& t, const bd::msi_fields& f = msi_test_fields()) {
  const vitte::buffer<std::byte> tar = tar_of(t);
  vitte::diagnostic why;
  auto m = bd::msi_write(tar.span(), f, &why);
  BOOST_REQUIRE_MESSAGE(m.has_value(), why.format().c_str());
  return *m;
}

// What a reader's diagnostic says of a failure: a kind, a message, a place
// inside the input (`size` bytes); "subject: message" (or the message).
std::string said(const vitte::diagnostic& why, std::size_t size) {
  const std::string message = vitte_test::refusal(why, size);
  if (why.subject().empty()) return message;
  return std::string(why.subject().data(), why.subject().size()) + ": " + message;
}

// msi_read()'s verdict: "" when it reads, else its message (after its
// subject, "Directory: ..."); the place must lie in the input.
std::string verdict(vitte::span<const std::byte> msi, bd::msi_contents* out = nullptr) {
  bd::msi_contents c;
  vitte::diagnostic why;
  const bool ok = bd::msi_read(msi, c, &why);
  if (out != nullptr) *out = c;
  if (ok) {
    std::uint64_t sum = 0;
    for (const auto& e : c.entries) {
      BOOST_TEST(!e.path.empty());
      BOOST_TEST(e.path[0] != '/');
      sum += e.size;
    }
    BOOST_TEST(sum <= c.unpacked);
    return "";
  }
  return said(why, msi.size());
}

std::string cab_verdict(vitte::span<const std::byte> cab, std::uint64_t limit = bd::cab_default_limit) {
  bd::cab_contents c;
  vitte::diagnostic why;
  if (bd::cab_read(cab, c, &why, limit)) return "";
  return said(why, cab.size());
}

// The package's streams, and a package made of them again (one replaced).
std::vector<bd::cfb_stream> streams_of(vitte::span<const std::byte> msi) {
  bd::cfb_contents c;
  vitte::diagnostic why;
  BOOST_REQUIRE_MESSAGE(bd::cfb_read(msi, c, &why), why.format().c_str());
  return std::move(c.streams);
}
vitte::buffer<std::byte> rebuild(const std::vector<bd::cfb_stream>& streams, const std::u16string& name,
                                 vitte::span<const std::byte> replacement) {
  std::vector<bd::cfb_input> in;
  for (const auto& s : streams) in.push_back({s.name, s.name == name ? replacement : s.data.span()});
  vitte::buffer<std::byte> out;
  vitte::diagnostic why;
  BOOST_REQUIRE_MESSAGE(bd::cfb_write(in, bd::msi::database_clsid, out, &why), why.format().c_str());
  return out;
}
const std::u16string cab_stream = bd::msi::stream_name("product.cab", false);

void write_out(const std::string& path, vitte::span<const std::byte> data) {
  BOOST_REQUIRE(sys::atomic_replace(path, data).has_value());
}
std::string sh_quote(const std::string& s) { return "'" + s + "'"; }

// A cabinet made by hand: one MSZIP folder of `blocks` (each compressed
// with the previous one as dictionary when `chained`), one file of it all.
vitte::buffer<std::byte> mszip_cabinet(const std::vector<std::string>& blocks, bool chained) {
  std::string all;
  for (const auto& b : blocks) all += b;
  std::string c(36 + 8 + 16 + 2, '\0');
  std::memcpy(c.data(), "MSCF", 4);
  vitte::detail::store_le<std::uint32_t>(c.data() + 16, 44);
  c[24] = 3;
  c[25] = 1;
  vitte::detail::store_le<std::uint16_t>(c.data() + 26, 1);
  vitte::detail::store_le<std::uint16_t>(c.data() + 28, 1);
  vitte::detail::store_le<std::uint32_t>(c.data() + 36, static_cast<std::uint32_t>(c.size()));
  vitte::detail::store_le<std::uint16_t>(c.data() + 40, static_cast<std::uint16_t>(blocks.size()));
  vitte::detail::store_le<std::uint16_t>(c.data() + 42, 1);
  vitte::detail::store_le<std::uint32_t>(c.data() + 44, static_cast<std::uint32_t>(all.size()));
  vitte::detail::store_le<std::uint16_t>(c.data() + 58, 0x20);
  c[60] = 'x';
  std::string history;
  for (const auto& b : blocks) {
    const auto* p = reinterpret_cast<const std::byte*>(b.data());
    const auto* h = reinterpret_cast<const std::byte*>(history.data());
    auto z =
        chained && !history.empty()
            ? vitte::compress::deflate(vitte::span<const std::byte>(p, b.size()),
                                       vitte::span<const std::byte>(h, std::min<std::size_t>(history.size(), 32768)), 6)
            : vitte::compress::deflate(vitte::span<const std::byte>(p, b.size()), 6);
    BOOST_REQUIRE(z.has_value());
    const std::string data = "CK" + std::string(reinterpret_cast<const char*>(z->data()), z->size());
    char head[8];
    const auto cb = static_cast<std::uint16_t>(data.size()), ub = static_cast<std::uint16_t>(b.size());
    vitte::detail::store_le<std::uint32_t>(head, bd::cab_block_checksum(bytes(data), cb, ub));
    vitte::detail::store_le<std::uint16_t>(head + 4, cb);
    vitte::detail::store_le<std::uint16_t>(head + 6, ub);
    c += std::string(head, 8) + data;
    history += b;
    if (history.size() > 32768) history.erase(0, history.size() - 32768);
  }
  vitte::detail::store_le<std::uint32_t>(c.data() + 8, static_cast<std::uint32_t>(c.size()));
  return vitte::buffer<std::byte>(bytes(c));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(msi)

BOOST_AUTO_TEST_CASE(msi_reads_back_as_the_tree) {
  const tree t = sample_tree();
  const vitte::buffer<std::byte> tar = tar_of(t);
  for (const int level : {9, 1, 0}) {
    bd::msi_fields f = msi_test_fields();
    f.level = level;
    const vitte::buffer<std::byte> m = make_msi(t, f);
    bd::msi_contents c;
    BOOST_REQUIRE_EQUAL(verdict(m.span(), &c), "");
    BOOST_TEST(c.name == "vitte-msi-test");
    BOOST_TEST(c.version == "1.2.3");
    BOOST_TEST(bd::msi::guid_ok(c.product_code), c.product_code);
    BOOST_TEST(bd::msi::guid_ok(c.upgrade_code), c.upgrade_code);
    BOOST_TEST(c.product_code != c.upgrade_code);
    const auto want = msi_expected_entries(tar.span());
    BOOST_REQUIRE_EQUAL(c.entries.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) BOOST_TEST((c.entries[i] == want[i]), want[i].path);
  }
  // Names outside ASCII make a UTF-8 database; they read back the same.
  const tree u = {{"données/", ""}, {"données/café €.txt", "euro\n"}, {"日本.txt", "nihon\n"}};
  const vitte::buffer<std::byte> m = make_msi(u);
  bd::msi_contents c;
  BOOST_REQUIRE_EQUAL(verdict(m.span(), &c), "");
  const vitte::buffer<std::byte> utar = tar_of(u);
  BOOST_TEST((c.entries == msi_expected_entries(utar.span())));
  // An empty tree: a package with nothing but its folder.
  BOOST_TEST(verdict(make_msi({}).span(), &c) == "");
  BOOST_TEST(c.entries.empty());
}

// The tree read from disk, each file in pieces, its cabinet set aside in a
// scratch file: the bytes msi_write() makes of the tar of that tree, what
// msi_read() finds said by the writer, and no scratch file left.
BOOST_AUTO_TEST_CASE(msi_of_a_tree_on_disk_is_msi_of_its_tar) {
  sys::temp_directory d = sys::temp_directory::create().value();
  const std::string root(d.path()), dir = root + "/tree", scratch = root + "/out";
  tree t = sample_tree();
  t.push_back({"share/big", noise((3u << 20) + 7, 5)});  // pieces of 1 MiB crossing cabinet blocks
  for (const auto& [path, data] : t) {
    if (path.ends_with('/'))
      BOOST_REQUIRE(sys::create_directories(dir + "/" + path).has_value());
    else
      BOOST_REQUIRE(sys::write_file(dir + "/" + path, bytes(data)).has_value());
  }
  BOOST_REQUIRE(sys::create_directories(scratch).has_value());
  std::vector<bd::tree_item> items;
  bd::package_tree_options to;
  to.hard_links = false;
  vitte::diagnostic why;
  BOOST_REQUIRE_MESSAGE(bd::list_package_tree(dir, "", to, items, &why).has_value(), why.format().c_str());
  // The tar of the same tree, in the order listed.
  va::tar_writer w;
  for (const bd::tree_item& x : items) {
    if (x.type == va::entry_type::directory) {
      BOOST_REQUIRE(w.add_directory(x.path).has_value());
      continue;
    }
    const vitte::buffer<std::byte> body = sys::read_file(x.source).value();
    BOOST_REQUIRE(w.add_file(x.path, body.span()).has_value());
  }
  const vitte::buffer<std::byte> tar = w.finish();
  for (const int level : {9, 0}) {
    BOOST_TEST_CONTEXT("level " << level) {
      bd::msi_fields f = msi_test_fields();
      f.level = level;
      auto from_tar = bd::msi_write(tar.span(), f, &why);
      BOOST_REQUIRE_MESSAGE(from_tar.has_value(), why.format().c_str());
      vitte::buffer<std::byte> bytes_out;
      bd::archive_sink out;
      out.memory = &bytes_out;
      std::vector<bd::package_entry> installs;
      BOOST_REQUIRE_MESSAGE(bd::msi_write_tree(items, f, out, scratch, installs, &why).has_value(),
                            why.format().c_str());
      BOOST_TEST((string_of(bytes_out.span()) == string_of(from_tar->span())));
      BOOST_TEST(out.size == bytes_out.size());
      bd::msi_contents c;
      BOOST_REQUIRE_EQUAL(verdict(bytes_out.span(), &c), "");
      BOOST_TEST((c.entries == installs));
      BOOST_TEST((c.entries == msi_expected_entries(tar.span())));
      auto listing = sys::directory_reader::open(scratch).value();
      std::size_t left = 0;
      for (const auto& e : listing) left += e.name.empty() ? 0 : 1;
      BOOST_TEST(left == 0u);  // the scratch cabinet is gone
    }
  }
  // A file a cabinet folder cannot hold: refused by name,
  // before any file is read.
  std::vector<bd::tree_item> bad = items;
  bad.back().size = bd::cab_folder_max + 1;
  bad.back().source = root + "/not-there";
  vitte::buffer<std::byte> none;
  bd::archive_sink out;
  out.memory = &none;
  std::vector<bd::package_entry> installs;
  BOOST_TEST(!bd::msi_write_tree(bad, msi_test_fields(), out, scratch, installs, &why).has_value());
  BOOST_TEST((why.kind() == errc::limit_exceeded));
  BOOST_TEST(std::string(why.subject().data(), why.subject().size()) == bad.back().path);
  BOOST_TEST(none.empty());
}

BOOST_AUTO_TEST_CASE(msi_large_trees_use_difat_sectors_and_many_directories) {
  // Over 109 FAT sectors (7 MiB) needs DIFAT sectors; 300 files in 30
  // directories need generated short names that stay unique.
  tree t = {{"big/", ""}, {"big/blob.bin", noise(8u << 20, 3)}};
  for (int d = 0; d < 30; ++d) {
    const std::string dir = "directory with a long name " + std::to_string(d) + "/";
    t.push_back({dir, ""});
    for (int i = 0; i < 10; ++i) t.push_back({dir + "file number " + std::to_string(i) + ".text", std::to_string(i)});
  }
  bd::msi_fields f = msi_test_fields();
  f.level = 1;
  const vitte::buffer<std::byte> m = make_msi(t, f);
  BOOST_TEST(vitte::detail::load_le<std::uint32_t>(m.data() + 72) >= 1u);  // DIFAT sectors
  bd::msi_contents c;
  BOOST_REQUIRE_EQUAL(verdict(m.span(), &c), "");
  const vitte::buffer<std::byte> tar = tar_of(t);
  BOOST_TEST((c.entries == msi_expected_entries(tar.span())));
}

BOOST_AUTO_TEST_CASE(msi_is_deterministic) {
  const tree t = sample_tree();
  const vitte::buffer<std::byte> a = make_msi(t), b = make_msi(t);
  BOOST_TEST((a == b));
  // The codes given are the ones written; another time, other bytes.
  bd::msi_fields f = msi_test_fields();
  f.product_code = "{12345678-9ABC-DEF0-1234-56789ABCDEF0}";
  f.upgrade_code = "{0FEDCBA9-8765-4321-0FED-CBA987654321}";
  bd::msi_contents c;
  BOOST_REQUIRE_EQUAL(verdict(make_msi(t, f).span(), &c), "");
  BOOST_TEST(c.product_code == "{12345678-9ABC-DEF0-1234-56789ABCDEF0}");
  BOOST_TEST(c.upgrade_code == "{0FEDCBA9-8765-4321-0FED-CBA987654321}");
  f = msi_test_fields();
  f.time += 1;
  BOOST_TEST(!(make_msi(t, f) == a));
  // Derived codes: the product code follows the version, the upgrade code does not.
  bd::msi_contents one, two;
  f = msi_test_fields();
  f.version = "1.2.4";
  BOOST_REQUIRE_EQUAL(verdict(a.span(), &one), "");
  BOOST_REQUIRE_EQUAL(verdict(make_msi(t, f).span(), &two), "");
  BOOST_TEST(one.product_code != two.product_code);
  BOOST_TEST(one.upgrade_code == two.upgrade_code);
}

BOOST_AUTO_TEST_CASE(msi_refuses_bad_fields_and_entries) {
  const vitte::buffer<std::byte> tar = tar_of(sample_tree());
  const auto refused = [&](const bd::msi_fields& f, vitte::span<const std::byte> in = {}) {
    vitte::diagnostic why;
    auto m = bd::msi_write(in.empty() ? tar.span() : in, f, &why);
    BOOST_TEST(!m.has_value());
    if (!m) BOOST_TEST((why.kind() == m.error().kind()));  // the kind, without the caller adding it
    // The message, then the entry or field (the subject) in brackets.
    return std::make_pair(m ? errc::ok : m.error().kind(),
                          std::string(why.message().data(), why.message().size()) + " [" +
                              std::string(why.subject().data(), why.subject().size()) + "]");
  };
  for (const char* v :
       {"1.2", "1.2.3.4", "256.0.0", "1.256.0", "1.0.65536", "a.b.c", "", "1..2", "1.2.3-beta", "v1.2.3"}) {
    bd::msi_fields f = msi_test_fields();
    f.version = v;
    const auto [kind, what] = refused(f);
    BOOST_TEST((kind == errc::invalid_argument), v);
    BOOST_TEST(what.find("a.b.c") != std::string::npos, what);
    BOOST_TEST(what.find(std::string("[") + v + "]") != std::string::npos, what);
  }
  bd::msi_fields f = msi_test_fields();
  f.product_code = "{12345678-9abc-def0-1234-56789abcdef0}";  // lower case
  BOOST_TEST(refused(f).second.find("upper case") != std::string::npos);
  f = msi_test_fields();
  f.upgrade_code = "12345678-9ABC-DEF0-1234-56789ABCDEF0";  // no braces
  BOOST_TEST((refused(f).first == errc::invalid_argument));
  f = msi_test_fields();
  f.arch = "x86_64";
  BOOST_TEST(refused(f).second.find("Arm64") != std::string::npos);
  f = msi_test_fields();
  f.name = "a:b";
  BOOST_TEST((refused(f).first == errc::invalid_argument));

  // A symlink: MSI has none; the entry is named.
  va::tar_writer w;
  BOOST_REQUIRE(w.add_directory("bin").has_value());
  BOOST_REQUIRE(w.add_file("bin/hello.exe", bytes("MZ")).has_value());
  BOOST_REQUIRE(w.add_symlink("bin/hi", "hello.exe").has_value());
  const vitte::buffer<std::byte> with_link = w.finish();
  const auto [kind, what] = refused(msi_test_fields(), with_link.span());
  BOOST_TEST((kind == errc::not_supported));
  BOOST_TEST(what.find("symbolic link") != std::string::npos, what);
  BOOST_TEST(what.find("[bin/hi]") != std::string::npos, what);
  // Names Windows cannot hold, a file before its directory, names equal but for case.
  for (const tree& bad : {tree{{"a?b", "x"}}, tree{{"dir/", ""}, {"dir/con.txt", "x"}}, tree{{"trailing.", "x"}},
                          tree{{"dir/file", "x"}}, tree{{"README", "x"}, {"readme", "y"}}}) {
    const vitte::buffer<std::byte> bt = tar_of(bad);
    BOOST_TEST((refused(msi_test_fields(), bt.span()).first == errc::invalid_argument), bad.back().first);
  }
}

BOOST_AUTO_TEST_CASE(msi_architectures_and_summary) {
  for (const char* arch : {"x64", "Intel", "Arm64"}) {
    bd::msi_fields f = msi_test_fields();
    f.arch = arch;
    const vitte::buffer<std::byte> m = make_msi(sample_tree(), f);
    BOOST_TEST(verdict(m.span()) == "");
    const std::string all = string_of(m.span());
    BOOST_TEST(all.find(std::string(arch) + ";1033") != std::string::npos, arch);
    BOOST_TEST((all.find("ProgramFiles64Folder") != std::string::npos) == (std::string(arch) != "Intel"), arch);
  }
}

BOOST_AUTO_TEST_CASE(msi_others_read_ours) {
  if (!vitte_test::have("msiinfo") || !vitte_test::have("msiextract")) {
    BOOST_TEST_MESSAGE("skipped: no msiinfo or msiextract (Debian msitools; not on Windows or under an emulator)");
    return;
  }
  sys::temp_directory dir = sys::temp_directory::create().value();
  const std::string root(dir.path());
  const tree t = sample_tree();
  const vitte::buffer<std::byte> m = make_msi(t);
  const std::string msi = root + "/x.msi";
  write_out(msi, m.span());
  int st = -1;
  const std::string tables = vitte_test::run("msiinfo tables " + sh_quote(msi) + " 2>&1", &st);
  BOOST_TEST(st == 0, tables);
  for (const char* name : {"Property", "Directory", "Component", "File", "Feature", "FeatureComponents", "Media",
                           "CreateFolder", "InstallExecuteSequence", "InstallUISequence", "AdminExecuteSequence"})
    BOOST_TEST(tables.find(std::string(name) + "\n") != std::string::npos, name << " in: " << tables);
  const std::string files = vitte_test::run("msiinfo export " + sh_quote(msi) + " File 2>&1", &st);
  BOOST_TEST(st == 0, files);
  BOOST_TEST(files.find("LONGFI~1.TXT|Long File Name.txt\t70000") != std::string::npos, files);
  const std::string media = vitte_test::run("msiinfo export " + sh_quote(msi) + " Media 2>&1", &st);
  BOOST_TEST(media.find("#product.cab") != std::string::npos, media);
  const std::string property = vitte_test::run("msiinfo export " + sh_quote(msi) + " Property 2>&1", &st);
  BOOST_TEST(property.find("ProductVersion\t1.2.3") != std::string::npos, property);
  BOOST_TEST(property.find("ALLUSERS\t1") != std::string::npos, property);
  const std::string summary = vitte_test::run("msiinfo suminfo " + sh_quote(msi) + " 2>&1", &st);
  BOOST_TEST(summary.find("Template: x64;1033") != std::string::npos, summary);
  BOOST_TEST(summary.find("Author: The vitte authors") != std::string::npos, summary);

  // msiextract puts the files where the tables say, byte for byte.
  BOOST_TEST(vitte_test::run_status("msiextract -C " + sh_quote(root + "/out") + " " + sh_quote(msi) +
                                    " >/dev/null 2>&1") == 0);
  for (const auto& [path, data] : t) {
    if (path.ends_with('/')) continue;
    auto got = sys::read_file_string(root + "/out/vitte-msi-test/" + path);
    BOOST_TEST(got.has_value(), path);
    if (got) BOOST_TEST((std::string(got->view()) == data), path);
  }

  // gcab lists and extracts the cabinet msiinfo takes out of it.
  if (!vitte_test::have("gcab")) {
    BOOST_TEST_MESSAGE("skipped: no gcab");
    return;
  }
  BOOST_TEST(vitte_test::run_status("msiinfo extract " + sh_quote(msi) + " product.cab > " +
                                    sh_quote(root + "/product.cab")) == 0);
  const std::string listing = vitte_test::run("gcab -t " + sh_quote(root + "/product.cab") + " 2>&1", &st);
  BOOST_TEST(st == 0, listing);
  BOOST_TEST(listing == "f1\nf2\nf3\nf4\nf5\nf6\nf7\n", listing);
  BOOST_TEST(vitte_test::run_status("gcab -x -C " + sh_quote(root + "/cab") + " " + sh_quote(root + "/product.cab") +
                                    " >/dev/null 2>&1") == 0);
  auto tool = sys::read_file_string(root + "/cab/f2");
  BOOST_TEST((tool.has_value() && std::string(tool->view()) == t[2].second));
}

BOOST_AUTO_TEST_CASE(msi_we_read_what_wixl_writes) {
  if (!vitte_test::have("wixl")) {
    BOOST_TEST_MESSAGE("skipped: no wixl (Debian wixl)");
    return;
  }
  sys::temp_directory dir = sys::temp_directory::create().value();
  const std::string root(dir.path());
  BOOST_REQUIRE(sys::create_directories(root + "/src").has_value());
  const std::string big = noise(50000, 11);
  BOOST_REQUIRE(sys::write_file(root + "/src/a.exe", vitte::text_view(big)).has_value());
  BOOST_REQUIRE(sys::write_file(root + "/src/b.txt", vitte::text_view("bee\n")).has_value());
  const std::string wxs = R"(<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="{11111111-2222-3333-4444-555555555555}" Name="fromwixl" Language="1033" Version="2.3.4"
           Manufacturer="me" UpgradeCode="{11111111-2222-3333-4444-666666666666}">
    <Package InstallerVersion="200" Compressed="yes" InstallScope="perMachine"/>
    <Media Id="1" Cabinet="product.cab" EmbedCab="yes"/>
    <Directory Id="TARGETDIR" Name="SourceDir">
      <Directory Id="ProgramFiles64Folder">
        <Directory Id="INSTALLDIR" Name="fromwixl">
          <Directory Id="d_bin" Name="bin">
            <Component Id="c1" Guid="{11111111-2222-3333-4444-777777777777}" Win64="yes">
              <File Id="f1" Name="a.exe" Source="src/a.exe" KeyPath="yes"/>
              <File Id="f2" Name="b long name.txt" Source="src/b.txt"/>
            </Component>
          </Directory>
        </Directory>
      </Directory>
    </Directory>
    <Feature Id="Main" Level="1"><ComponentRef Id="c1"/></Feature>
  </Product>
</Wix>
)";
  BOOST_REQUIRE(sys::write_file(root + "/p.wxs", vitte::text_view(wxs)).has_value());
  BOOST_REQUIRE(vitte_test::run_status("cd " + sh_quote(root) + " && wixl -a x64 p.wxs -o p.msi >/dev/null 2>&1") == 0);
  auto m = sys::read_file(root + "/p.msi");
  BOOST_REQUIRE(m.has_value());
  bd::msi_contents c;
  BOOST_REQUIRE_EQUAL(verdict(m->span(), &c), "");
  BOOST_TEST(c.name == "fromwixl");
  BOOST_TEST(c.version == "2.3.4");
  BOOST_TEST(c.product_code == "{11111111-2222-3333-4444-555555555555}");
  BOOST_REQUIRE_EQUAL(c.entries.size(), 3u);
  BOOST_TEST(c.entries[0].path == "bin");
  BOOST_TEST(c.entries[1].path == "bin/a.exe");
  BOOST_TEST(c.entries[1].sha256 == bd::sha256_hex(bytes(big)));
  BOOST_TEST(c.entries[2].path == "bin/b long name.txt");
  BOOST_TEST(c.entries[2].size == 4u);
}

BOOST_AUTO_TEST_CASE(msi_hostile_bytes_are_refused_with_a_reason) {
  const tree small = {{"bin/", ""}, {"bin/a.exe", "MZ"}, {"b.txt", std::string(5000, 'b')}};
  const vitte::buffer<std::byte> m = make_msi(small);
  BOOST_REQUIRE_EQUAL(verdict(m.span()), "");
  // Every truncation.
  for (std::size_t n = 0; n < m.size(); ++n) BOOST_TEST(verdict(m.span().first(n)) != "", n);
  // Every byte of the header, the FAT and the directory flipped: refused
  // with a reason, or (a byte nobody checks) read as before.
  const std::uint32_t dir_sector = vitte::detail::load_le<std::uint32_t>(m.data() + 48);
  std::vector<std::size_t> spots;
  for (std::size_t i = 0; i < 512; ++i) spots.insert(spots.end(), {i, 512 + i, (dir_sector + 1) * 512 + i});
  for (const std::size_t i : spots) {
    vitte::buffer<std::byte> bad = m;
    bad.data()[i] ^= std::byte{0xFF};
    (void)verdict(bad.span());
  }
  // A FAT chain that loops: the directory's sector names itself next.
  {
    vitte::buffer<std::byte> bad = m;
    vitte::detail::store_le<std::uint32_t>(bad.data() + 512 + 4 * dir_sector, dir_sector);
    BOOST_TEST(verdict(bad.span()).find("loops") != std::string::npos, verdict(bad.span()));
  }
  // A directory tree that loops: the root's child is its own left sibling.
  {
    vitte::buffer<std::byte> bad = m;
    std::byte* root = bad.data() + (dir_sector + 1) * 512;
    const std::uint32_t child = vitte::detail::load_le<std::uint32_t>(root + 76);
    vitte::detail::store_le<std::uint32_t>(root + 128 * child + 68, child);
    BOOST_TEST(verdict(bad.span()).find("loops") != std::string::npos, verdict(bad.span()));
  }
  // A sector number past the end of the file.
  {
    vitte::buffer<std::byte> bad = m;
    vitte::detail::store_le<std::uint32_t>(bad.data() + 48, 0x00FFFFFF);
    BOOST_TEST(verdict(bad.span()).find("past the end") != std::string::npos, verdict(bad.span()));
  }
  // Not a package at all, and a compound file that is not an installer database.
  BOOST_TEST(verdict(bytes(std::string(4096, 'x'))).find("signature") != std::string::npos);
  {
    const std::string y = "y";
    std::vector<bd::cfb_input> in = {{u"x", bytes(y)}};
    vitte::buffer<std::byte> other;
    const std::uint8_t clsid[16] = {};
    BOOST_REQUIRE(bd::cfb_write(in, clsid, other));
    BOOST_TEST(verdict(other.span()).find("CLSID") != std::string::npos);
  }

  // The cabinet inside: a lying size, a lying file size, a bad checksum,
  // truncated, another stream's bytes.
  const auto streams = streams_of(m.span());
  vitte::buffer<std::byte> cab;
  for (const auto& s : streams)
    if (s.name == cab_stream) cab = s.data;
  BOOST_REQUIRE(!cab.empty());
  BOOST_REQUIRE_EQUAL(verdict(rebuild(streams, cab_stream, cab.span()).span()), "");
  {
    vitte::buffer<std::byte> bad = cab;
    vitte::detail::store_le<std::uint32_t>(bad.data() + 8, static_cast<std::uint32_t>(cab.size() + 100));
    BOOST_TEST(verdict(rebuild(streams, cab_stream, bad.span()).span()).find("cut short") != std::string::npos);
    bad = cab;
    vitte::detail::store_le<std::uint32_t>(bad.data() + 44, 1u << 30);  // the first file's size
    const std::string past = verdict(rebuild(streams, cab_stream, bad.span()).span());
    BOOST_TEST(past.rfind("f1: a file past the end", 0) == 0u, past);  // the cabinet file, named
    bad = cab;
    const std::size_t first_block = vitte::detail::load_le<std::uint32_t>(cab.data() + 36);
    bad.data()[first_block + 20] ^= std::byte{1};
    BOOST_TEST(verdict(rebuild(streams, cab_stream, bad.span()).span()).find("checksum") != std::string::npos);
    for (std::size_t n = 0; n < cab.size(); ++n) BOOST_TEST(cab_verdict(cab.span().first(n)) != "", n);
  }
}

// Three folders, one of them empty, the other two on the same blocks: the
// empty one sorted between them must not hide the overlap (each shared
// block would be decompressed once per folder). Made by a stranger's
// generator (262 bytes).
BOOST_AUTO_TEST_CASE(cab_folders_sharing_blocks_are_refused_with_an_empty_one_between) {
  const std::string c(
      "\x4d\x53\x43\x46\x00\x00\x00\x00\x06\x01\x00\x00\x00\x00\x00\x00\x4c\x00\x00\x00\x00\x00\x00\x00"
      "\x03\x01\x05\x00\x01\x00\x00\x00\x00\x00\x00\x00\x5e\x00\x00\x00\x03\x00\x01\x00\x5f\x00\x00\x00"
      "\x00\x00\x01\x00\x96\x00\x00\x00\x02\x00\x01\x00\x97\x00\x00\x00\x00\x00\x01\x00\xce\x00\x00\x00"
      "\x01\x00\x01\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x21\x58\x00\x00\x20\x00\x66\x00\x00\x00"
      "\x00\x00\x30\x00\x00\x80\x43\x4b\xed\xc1\x01\x01\x00\x00\x00\x80\x90\xfe\xaf\xee\x08\x0a\x00\x00"
      "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
      "\x00\x00\x00\x00\x00\x18\x00\x00\x00\x00\x30\x00\x00\x80\x43\x4b\xed\xc1\x01\x01\x00\x00\x00\x80"
      "\x90\xfe\xaf\xee\x08\x0a\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
      "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x18\x00\x00\x00\x00\x30\x00\x00\x80\x43\x4b"
      "\xed\xc1\x01\x01\x00\x00\x00\x80\x90\xfe\xaf\xee\x08\x0a\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
      "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x18",
      262);
  BOOST_TEST(cab_verdict(bytes(c)) == "two folders that share data blocks", cab_verdict(bytes(c)));
}

BOOST_AUTO_TEST_CASE(cab_reads_dictionary_blocks_and_refuses_bombs) {
  // MSZIP blocks compressed with the previous one as dictionary (what
  // Microsoft's writer does) read back; gcab agrees when it is here.
  const std::string one = noise(32768, 5), two = one.substr(20000, 12000) + "tail";
  std::size_t sizes[2] = {};
  for (const bool chained : {false, true}) {
    const vitte::buffer<std::byte> cab = mszip_cabinet({one, two}, chained);
    bd::cab_contents c;
    vitte::diagnostic why;
    BOOST_REQUIRE_MESSAGE(bd::cab_read(cab.span(), c, &why), why.format().c_str());
    BOOST_REQUIRE_EQUAL(c.files.size(), 1u);
    BOOST_TEST((string_of(c.data(c.files[0])) == one + two));
    sizes[chained] = cab.size();
  }
  BOOST_TEST(sizes[1] + 10000 < sizes[0]);  // the second block is mostly a reference to the first
  if (vitte_test::have("gcab")) {
    sys::temp_directory dir = sys::temp_directory::create().value();
    const std::string root(dir.path());
    write_out(root + "/d.cab", mszip_cabinet({one, two}, true).span());
    BOOST_TEST(vitte_test::run_status("cd " + sh_quote(root) + " && gcab -x d.cab >/dev/null 2>&1") == 0);
    auto x = sys::read_file_string(root + "/x");
    BOOST_TEST((x.has_value() && std::string(x->view()) == one + two));
  }

  // A block that inflates to more than it declares.
  {
    std::string zeros(32768, '\0');
    vitte::buffer<std::byte> cab = mszip_cabinet({zeros}, false);
    const std::size_t block = vitte::detail::load_le<std::uint32_t>(cab.data() + 36);
    vitte::detail::store_le<std::uint16_t>(cab.data() + block + 6, 100);  // declares 100 bytes
    vitte::detail::store_le<std::uint32_t>(cab.data() + block, 0);        // no checksum
    BOOST_TEST(cab_verdict(cab.span()) != "");
  }
  // Many blocks that declare 32 KiB each from 3 bytes: more than DEFLATE can hold.
  {
    std::string c(44, '\0');
    std::memcpy(c.data(), "MSCF", 4);
    vitte::detail::store_le<std::uint32_t>(c.data() + 16, 44);
    c[25] = 1;
    vitte::detail::store_le<std::uint16_t>(c.data() + 26, 1);
    vitte::detail::store_le<std::uint32_t>(c.data() + 36, 44);
    vitte::detail::store_le<std::uint16_t>(c.data() + 40, 60000);
    vitte::detail::store_le<std::uint16_t>(c.data() + 42, 1);
    for (int i = 0; i < 60000; ++i)
      c += std::string(
          "\0\0\0\0\3\0\0\x80"
          "CK\3",
          11);
    vitte::detail::store_le<std::uint32_t>(c.data() + 8, static_cast<std::uint32_t>(c.size()));
    BOOST_TEST(cab_verdict(bytes(c)).find("more data than DEFLATE") != std::string::npos, cab_verdict(bytes(c)));
  }
  // Two folders that share their data blocks (decompressed twice over).
  {
    const vitte::buffer<std::byte> one_folder = mszip_cabinet({one}, false);
    const std::string c = string_of(one_folder.span());
    std::string two_folders = c.substr(0, 44) + c.substr(36, 8) + c.substr(44);
    vitte::detail::store_le<std::uint32_t>(two_folders.data() + 8, static_cast<std::uint32_t>(two_folders.size()));
    vitte::detail::store_le<std::uint32_t>(two_folders.data() + 16, 52);
    vitte::detail::store_le<std::uint16_t>(two_folders.data() + 26, 2);
    vitte::detail::store_le<std::uint32_t>(two_folders.data() + 36, 70);
    vitte::detail::store_le<std::uint32_t>(two_folders.data() + 44, 70);
    BOOST_TEST(cab_verdict(bytes(two_folders)).find("share") != std::string::npos, cab_verdict(bytes(two_folders)));
  }
  // A limit below what a cabinet holds.
  {
    const vitte::buffer<std::byte> cab = mszip_cabinet({one, two}, false);
    BOOST_TEST(cab_verdict(cab.span(), 1000).find("limit") != std::string::npos);
  }
  // Ours: round trip, stored and compressed, and the checksum gcab computes.
  for (const int level : {0, 6}) {
    const std::string a = noise(100000, 9), b = "b";
    const std::vector<bd::cab_input> in = {{"a", bytes(a)}, {"b", bytes(b)}};
    vitte::buffer<std::byte> cab;
    vitte::diagnostic why;
    BOOST_REQUIRE_MESSAGE(bd::cab_write(in, level, 0, cab, &why), why.format().c_str());
    bd::cab_contents c;
    BOOST_REQUIRE_MESSAGE(bd::cab_read(cab.span(), c, &why), why.format().c_str());
    BOOST_REQUIRE_EQUAL(c.files.size(), 2u);
    BOOST_TEST((string_of(c.data(c.files[0])) == a));
    BOOST_TEST((string_of(c.data(c.files[1])) == b));
    BOOST_TEST(c.declared == a.size() + b.size());
  }
}

// The cabinet as it is written: blocks out as they fill, files given in
// pieces that cross blocks, a new folder when the next file would take the
// current one past its limit (here 3 blocks: 40000 + 50000 bytes fit, the
// 70000 after them start the second folder, the last byte joins them).
BOOST_AUTO_TEST_CASE(a_cabinet_streams_and_takes_a_new_folder_when_one_is_full) {
  const std::vector<std::pair<std::string, std::string>> files = {
      {"a", noise(40000, 1)}, {"b", noise(50000, 2)}, {"c", noise(70000, 3)}, {"d", "d"}};
  for (const int level : {0, 6}) {
    BOOST_TEST_CONTEXT("level " << level) {
      vitte::buffer<std::byte> data, cab;
      bd::archive_sink sink;
      sink.memory = &data;
      bd::cab_stream w(level, 0, sink, 3 * bd::cab_block);
      vitte::diagnostic why;
      for (const auto& [name, body] : files) {
        BOOST_REQUIRE_MESSAGE(w.add(name, body.size(), &why), why.format().c_str());
        for (std::size_t at = 0; at < body.size(); at += 1000)
          BOOST_REQUIRE(w.write(bytes(body).subspan(at, std::min<std::size_t>(1000, body.size() - at))).has_value());
      }
      BOOST_REQUIRE_MESSAGE(w.finish(cab, &why), why.format().c_str());
      cab.append(data.data(), data.size());
      bd::cab_contents c;
      BOOST_REQUIRE_MESSAGE(bd::cab_read(cab.span(), c, &why), why.format().c_str());
      BOOST_REQUIRE_EQUAL(c.folders.size(), 2u);
      BOOST_REQUIRE_EQUAL(c.files.size(), files.size());
      const unsigned folder[] = {0, 0, 1, 1}, offset[] = {0, 40000, 0, 70000};
      for (std::size_t i = 0; i < files.size(); ++i) {
        BOOST_TEST(c.files[i].name == files[i].first);
        BOOST_TEST(c.files[i].folder == folder[i]);
        BOOST_TEST(c.files[i].offset == offset[i]);
        BOOST_TEST((string_of(c.data(c.files[i])) == files[i].second));
      }
      // The same bytes as cab_write() of the same files in one folder's
      // worth: the first two.
      const std::vector<bd::cab_input> two = {{"a", bytes(files[0].second)}, {"b", bytes(files[1].second)}};
      vitte::buffer<std::byte> whole, part_data, part;
      BOOST_REQUIRE(bd::cab_write(two, level, 0, whole, &why));
      bd::archive_sink part_sink;
      part_sink.memory = &part_data;
      bd::cab_stream p(level, 0, part_sink);
      for (const auto& in : two) BOOST_REQUIRE(p.add(in.name, in.data.size()) && p.write(in.data).has_value());
      BOOST_REQUIRE(p.finish(part));
      part.append(part_data.data(), part_data.size());
      BOOST_TEST((string_of(part.span()) == string_of(whole.span())));
    }
  }
  // What a cabinet cannot hold, refused by name before any byte: a file
  // over one folder (65535 blocks of 32 KiB); a file given fewer or more
  // bytes than it said.
  vitte::buffer<std::byte> data, head;
  bd::archive_sink sink;
  sink.memory = &data;
  bd::cab_stream w(6, 0, sink);
  vitte::diagnostic why;
  BOOST_TEST(!w.add("huge", bd::cab_folder_max + 1, &why));
  BOOST_TEST((why.kind() == errc::limit_exceeded));
  BOOST_TEST(std::string(why.subject().data(), why.subject().size()) == "huge");
  BOOST_TEST(std::string(why.message().data(), why.message().size()).find("2147450880 bytes (2 GiB - 32 KiB)") !=
             std::string::npos);
  BOOST_TEST(bd::cab_folder_max == 2147450880u);
  BOOST_REQUIRE(w.add("short", 10, &why));
  BOOST_TEST(!w.write(bytes(std::string(11, 'x'))).has_value());
  BOOST_REQUIRE(w.write(bytes(std::string(9, 'x'))).has_value());
  BOOST_TEST(!w.finish(head, &why));
  BOOST_TEST((why.kind() == errc::invalid_argument));
}

// A stream whose bytes come from a callback (a cabinet read back from its
// scratch file) makes the file that the same bytes in memory make, large
// (sectors of its own) or small (the mini stream); a callback that writes
// another size than it said is refused.
BOOST_AUTO_TEST_CASE(a_compound_file_stream_filled_later_is_the_same_file) {
  struct source {
    std::string bytes;
    static vitte::status fill(bd::archive_sink& out, void* self) {
      return out.write(vitte_test::bytes(static_cast<source*>(self)->bytes));
    }
  };
  source large{noise(10000, 4)}, small{"small"}, wrong{"wrong"};
  const std::string one = "one";
  std::vector<bd::cfb_input> given = {
      {u"one", bytes(one)}, {u"large", bytes(large.bytes)}, {u"small", bytes(small.bytes)}};
  std::vector<bd::cfb_input> later = {{u"one", bytes(one)},
                                      {u"large", {}, large.bytes.size(), &source::fill, &large},
                                      {u"small", {}, small.bytes.size(), &source::fill, &small}};
  vitte::buffer<std::byte> a, b;
  vitte::diagnostic why;
  BOOST_REQUIRE_MESSAGE(bd::cfb_write(given, bd::msi::database_clsid, a, &why), why.format().c_str());
  BOOST_REQUIRE_MESSAGE(bd::cfb_write(later, bd::msi::database_clsid, b, &why), why.format().c_str());
  BOOST_TEST((string_of(a.span()) == string_of(b.span())));
  for (const std::uint64_t said_size : {std::uint64_t{4}, std::uint64_t{5000}}) {
    std::vector<bd::cfb_input> lying = {{u"wrong", {}, said_size, &source::fill, &wrong}};
    BOOST_TEST(!bd::cfb_write(lying, bd::msi::database_clsid, b, &why));
    BOOST_TEST((why.kind() == errc::io_error));
  }
}

BOOST_AUTO_TEST_CASE(cfb_round_trip_and_names) {
  const std::string big = noise(10000, 1), one = "one", two = "two";
  std::vector<bd::cfb_input> in = {{u"b", bytes(two)}, {u"A", bytes(one)}, {u"long", bytes(big)}, {u"e", {}}};
  vitte::buffer<std::byte> f;
  vitte::diagnostic why;
  BOOST_REQUIRE_MESSAGE(bd::cfb_write(in, bd::msi::database_clsid, f, &why), why.format().c_str());
  bd::cfb_contents c;
  BOOST_REQUIRE_MESSAGE(bd::cfb_read(f.span(), c, &why), why.format().c_str());
  BOOST_REQUIRE_EQUAL(c.streams.size(), 4u);
  for (const auto& s : c.streams) {
    const auto it = std::find_if(in.begin(), in.end(), [&](const bd::cfb_input& i) { return i.name == s.name; });
    BOOST_REQUIRE(it != in.end());
    BOOST_TEST((string_of(s.data.span()) == string_of(it->data)));
  }
  // CFB's order: shorter first, then upper-cased.
  BOOST_TEST(bd::cfb_compare(u"b", u"A") > 0);
  BOOST_TEST(bd::cfb_compare(u"Z", u"aa") < 0);
  BOOST_TEST(bd::cfb_compare(u"abc", u"ABC") == 0);
  // Names that are refused: repeated (ignoring case), too long, with '/'.
  std::vector<bd::cfb_input> dup = {{u"name", {}}, {u"NAME", {}}};
  BOOST_TEST(!bd::cfb_write(dup, bd::msi::database_clsid, f, &why));
  BOOST_TEST((why.kind() == errc::invalid_argument));
  BOOST_TEST(std::string(why.message().data(), why.message().size()).find("one name") != std::string::npos);
  std::vector<bd::cfb_input> longer = {{std::u16string(32, u'x'), {}}};
  BOOST_TEST(!bd::cfb_write(longer, bd::msi::database_clsid, f, &why));
  BOOST_TEST((why.kind() == errc::invalid_argument));
  std::vector<bd::cfb_input> slash = {{u"a/b", {}}};
  BOOST_TEST(!bd::cfb_write(slash, bd::msi::database_clsid, f, &why));
  BOOST_TEST((why.kind() == errc::invalid_argument));
  // MSI's stream names: pairs of characters in U+3800-U+47FF, tables after U+4840.
  BOOST_TEST((bd::msi::stream_name("_Tables", true) == u"\x4840\x3f7f\x4164\x422f\x4836"));
  bool table = false;
  BOOST_TEST(bd::msi::decode_stream_name(bd::msi::stream_name("product.cab", false), table) == "product.cab");
  BOOST_TEST(!table);
}

// Writes a package of the sample tree and the tree itself to the directory
// given as `-- --msi-out DIR`, for tests/tools/msi_wine.py; else nothing.
BOOST_AUTO_TEST_CASE(msi_sample_for_outside_tools) {
  const auto& suite = boost::unit_test::framework::master_test_suite();
  std::string out;
  for (int i = 1; i + 1 < suite.argc; ++i)
    if (std::string(suite.argv[i]) == "--msi-out") out = suite.argv[i + 1];
  if (out.empty()) {
    BOOST_TEST_MESSAGE("no --msi-out DIR: nothing to write (tests/tools/msi_wine.py passes one)");
    return;
  }
  const tree t = sample_tree();
  BOOST_REQUIRE(sys::create_directories(out + "/tree").has_value());
  for (const auto& [path, data] : t) {
    if (path.ends_with('/'))
      BOOST_REQUIRE(sys::create_directories(out + "/tree/" + path).has_value());
    else
      BOOST_REQUIRE(sys::write_file(out + "/tree/" + path, vitte::text_view(data)).has_value());
  }
  write_out(out + "/sample.msi", make_msi(t).span());
}

BOOST_AUTO_TEST_SUITE_END()
