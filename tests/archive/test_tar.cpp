// vitte/archive: tar round trips (long names, links), deterministic packing
// (different creation orders, times and umasks give the same bytes), GNU
// tar and bsdtar reading ours and we theirs, a strict reader (checksums,
// truncation, pax size desynchronisation), and a hostile-archive corpus
// refused with nothing written outside the destination (a sentinel
// directory beside it is checked after each).
#include <vitte/archive.hpp>
#include <vitte/sys/directory.hpp>
#include <vitte/sys/environment.hpp>
#include <vitte/sys/metadata.hpp>
#include <vitte/sys/path_ops.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/whole_file.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#if !defined(_WIN32)
#include <sys/stat.h>  // umask
#endif

#include <boost/test/unit_test.hpp>

#include "support/programs.hpp"

namespace va = vitte::archive;
namespace sys = vitte::sys;
using vitte::errc;

namespace {

vitte::span<const std::byte> bytes(const std::string& s) {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}
vitte::span<const std::byte> view(const vitte::buffer<std::byte>& b) { return {b.data(), b.size()}; }
std::string str(vitte::span<const std::byte> b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }
std::string join(const std::string& a, const std::string& b) { return a + "/" + b; }

// A raw ustar header for what the writer refuses to write.
void raw_header(std::string& out, const std::string& name, char type, std::uint64_t size, const std::string& link = {},
                std::uint64_t declared_size = ~std::uint64_t(0)) {
  std::string h(512, '\0');
  std::memcpy(&h[0], name.data(), name.size() < 100 ? name.size() : 100);
  std::snprintf(&h[100], 8, "%07o", 0644u);
  std::snprintf(&h[108], 8, "%07o", 0u);
  std::snprintf(&h[116], 8, "%07o", 0u);
  std::snprintf(&h[124], 12, "%011llo",
                static_cast<unsigned long long>(declared_size == ~std::uint64_t(0) ? size : declared_size));
  std::snprintf(&h[136], 12, "%011o", 0u);
  h[156] = type;
  std::memcpy(&h[157], link.data(), link.size() < 100 ? link.size() : 100);
  std::memcpy(&h[257], "ustar", 6);
  h[263] = '0';
  h[264] = '0';
  std::memset(&h[148], ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  std::snprintf(&h[148], 7, "%06o", sum);
  out += h;
}
void raw_data(std::string& out, const std::string& data) {
  out += data;
  out.append((512 - data.size() % 512) % 512, '\0');
}
std::string raw_end(std::string out) { return out + std::string(1024, '\0'); }
std::string pax_record(const std::string& key, const std::string& value) {
  std::string body = " " + key + "=" + value + "\n";
  std::size_t len = body.size() + 1;
  while (std::to_string(len).size() + body.size() != len) ++len;
  return std::to_string(len) + body;
}

struct sandbox {
  sys::temp_directory root = sys::temp_directory::create().value();
  std::string dest = join(std::string(root.path()), "dest");
  std::string sentinel = join(std::string(root.path()), "sentinel");
  sandbox() {
    BOOST_REQUIRE(sys::create_directories(sentinel).has_value());
    BOOST_REQUIRE(sys::write_file(join(sentinel, "file"), vitte::text_view("sentinel")).has_value());
  }
  // Nothing beside dest but the sentinel, which holds only its file.
  void check_untouched() const {
    std::vector<std::string> top, inside;
    auto root_listing = sys::directory_reader::open(root.path()).value();
    for (const auto& e : root_listing) top.emplace_back(e.name);
    auto sentinel_listing = sys::directory_reader::open(sentinel).value();
    for (const auto& e : sentinel_listing) inside.emplace_back(e.name);
    BOOST_TEST(top.size() <= 2u);
    for (const std::string& n : top) BOOST_TEST((n == "dest" || n == "sentinel"), n);
    BOOST_TEST(inside.size() == 1u);
    BOOST_TEST(std::string(sys::read_file_string(join(sentinel, "file")).value()) == "sentinel");
  }
};

va::refusal refused(const std::string& archive, errc kind, va::extract_options options = {}) {
  sandbox s;
  va::extract_problem why;
  auto r = va::extract(bytes(archive), s.dest, options, &why);
  BOOST_TEST(!r.has_value());
  if (!r) BOOST_TEST((r.error() == kind), to_string(why.refusal) << ": " << why.what);
  BOOST_TEST(why.what[0] != '\0');
  s.check_untouched();
  return why.refusal;
}

using vitte_test::have;
using vitte_test::run;

// Names as `tar -t` prints them (directories with a trailing '/').
std::string listing(const vitte::buffer<std::byte>& archive) {
  std::string out;
  const vitte::buffer<va::entry> entries = va::list(view(archive)).value();
  for (const va::entry& e : entries)
    out += std::string(e.path) + (e.type == va::entry_type::directory ? "/" : "") + "\n";
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(archive)

BOOST_AUTO_TEST_CASE(round_trip_with_long_names_and_links) {
  const std::string long_dir(120, 'd'), long_name(150, 'n'), very_long = std::string(300, 'v');
  va::tar_writer w;
  BOOST_REQUIRE(w.add_directory("top").has_value());
  BOOST_REQUIRE(w.add_file("top/a.txt", bytes("hello"), 0644).has_value());
  BOOST_REQUIRE(w.add_file("top/" + long_dir + "/" + long_name, bytes(std::string(1000, 'x')), 0755).has_value());
  BOOST_REQUIRE(w.add_file("top/" + very_long, bytes(""), 0644).has_value());
  BOOST_REQUIRE(w.add_file("top/" + long_dir + "/short", bytes("ustar prefix"), 0644).has_value());
  BOOST_REQUIRE(w.add_symlink("top/link", "a.txt").has_value());
  BOOST_REQUIRE(w.add_symlink("top/far", std::string(200, 't')).has_value());
  BOOST_REQUIRE(w.add_hard_link("top/hard", "top/a.txt").has_value());
  BOOST_TEST((w.add_file("/abs", bytes("")).error() == errc::invalid_argument));
  BOOST_TEST((w.add_file("a/../b", bytes("")).error() == errc::invalid_argument));
  const vitte::buffer<std::byte> tar = w.finish();
  BOOST_TEST(tar.size() % 512 == 0u);

  va::tar_reader r(view(tar));
  struct want {
    std::string path;
    va::entry_type type;
    std::string data, link;
    std::uint32_t mode;
  };
  const std::vector<want> wants = {
      {"top", va::entry_type::directory, "", "", 0755},
      {"top/a.txt", va::entry_type::file, "hello", "", 0644},
      {"top/" + long_dir + "/" + long_name, va::entry_type::file, std::string(1000, 'x'), "", 0755},
      {"top/" + very_long, va::entry_type::file, "", "", 0644},
      {"top/" + long_dir + "/short", va::entry_type::file, "ustar prefix", "", 0644},
      {"top/link", va::entry_type::symlink, "", "a.txt", 0777},
      {"top/far", va::entry_type::symlink, "", std::string(200, 't'), 0777},
      {"top/hard", va::entry_type::hard_link, "", "top/a.txt", 0644},
  };
  for (const want& w2 : wants) {
    const va::entry* e = r.next().value();
    BOOST_REQUIRE(e != nullptr);
    BOOST_TEST(std::string(e->path) == w2.path);
    BOOST_TEST((e->type == w2.type));
    BOOST_TEST(str(r.data()) == w2.data);
    BOOST_TEST(std::string(e->link) == w2.link);
    BOOST_TEST(e->mode == w2.mode);
    BOOST_TEST(e->uid == 0u);
    BOOST_TEST(e->mtime == 0);
  }
  BOOST_TEST(r.next().value() == nullptr);
}

BOOST_AUTO_TEST_CASE(the_reader_is_strict) {
  va::tar_writer w;
  BOOST_REQUIRE(w.add_file("f", bytes(std::string(700, 'y'))).has_value());
  const vitte::buffer<std::byte> good = w.finish();
  const std::string tar = str(view(good));
  va::problem why;

  // Truncated anywhere: an error, never a short listing.
  for (std::size_t cut :
       {std::size_t(0), std::size_t(100), std::size_t(512), std::size_t(1000), std::size_t(1536), tar.size() - 512}) {
    auto r = va::list(bytes(tar.substr(0, cut)), {}, &why);
    BOOST_TEST(!r.has_value(), "cut at " << cut);
    if (!r) BOOST_TEST((r.error() == errc::unexpected_eof), why.what);
  }
  // A flipped byte in a header: the checksum.
  std::string bad = tar;
  bad[10] ^= 1;
  BOOST_TEST((va::list(bytes(bad), {}, &why).error() == errc::malformed));
  BOOST_TEST(std::string(why.what) == "bad header checksum");
  BOOST_TEST(why.offset == 0u);

  // TARmageddon: the pax size and the header's size disagree.
  std::string x = pax_record("size", "1024");
  std::string desync;
  raw_header(desync, "PaxHeaders/f", 'x', x.size());
  raw_data(desync, x);
  raw_header(desync, "f", '0', 512);
  raw_data(desync, std::string(1024, 'z'));
  BOOST_TEST((va::list(bytes(raw_end(desync)), {}, &why).error() == errc::malformed));
  BOOST_TEST(std::string(why.what) == "pax size disagrees with the header's size");

  // With the header's size 0 the pax size rules: an inner header hidden in
  // the data stays data (one entry, 1024 bytes), as GNU tar reads it.
  std::string inner;
  raw_header(inner, "../evil", '0', 0);
  inner += std::string(512, 'q');
  std::string hidden;
  raw_header(hidden, "PaxHeaders/f", 'x', x.size());
  raw_data(hidden, x);
  raw_header(hidden, "f", '0', 1024, {}, 0);
  raw_data(hidden, inner);
  auto entries = va::list(bytes(raw_end(hidden))).value();
  BOOST_TEST(entries.size() == 1u);
  BOOST_TEST(entries[0].size == 1024u);

  // A symlink with data, an unknown type, a bad pax record.
  std::string data_link;
  raw_header(data_link, "l", '2', 10, "t");
  raw_data(data_link, "0123456789");
  BOOST_TEST((va::list(bytes(raw_end(data_link)), {}, &why).error() == errc::malformed));
  std::string sparse;
  raw_header(sparse, "s", 'S', 0);
  BOOST_TEST((va::list(bytes(raw_end(sparse)), {}, &why).error() == errc::not_supported));
  std::string badpax;
  raw_header(badpax, "PaxHeaders/f", 'x', 12);
  raw_data(badpax, "99 path=abc\n");
  raw_header(badpax, "f", '0', 0);
  BOOST_TEST((va::list(bytes(raw_end(badpax)), {}, &why).error() == errc::malformed));
  BOOST_TEST(std::string(why.what) == "bad pax record");
  // Limits.
  va::read_limits few;
  few.max_entries = 1;
  va::tar_writer two;
  (void)two.add_file("a", bytes(""));
  (void)two.add_file("b", bytes(""));
  BOOST_TEST((va::list(view(two.finish()), few, &why).error() == errc::limit_exceeded));
}

BOOST_AUTO_TEST_CASE(packing_is_deterministic) {
  auto tree = [](const std::string& root, bool reverse, std::int64_t seconds) {
    std::vector<std::string> files = {"b/z.txt", "a/y.txt", "a/c/x.txt", "run.sh", "m.txt"};
    if (reverse) files = std::vector<std::string>(files.rbegin(), files.rend());
    for (const std::string& f : files) {
      const std::string full = join(root, f);
      BOOST_REQUIRE(sys::create_directories(full.substr(0, full.rfind('/'))).has_value());
      BOOST_REQUIRE(sys::write_file(full, vitte::text_view(f)).has_value());
      auto file = sys::file::open(full, sys::open_mode::write).value();
      BOOST_REQUIRE(file.set_times(seconds * 1'000'000'000, seconds * 1'000'000'000).has_value());
    }
#if !defined(_WIN32)
    BOOST_REQUIRE(::chmod(join(root, "run.sh").c_str(), 0755) == 0);
    BOOST_REQUIRE(sys::create_symlink("a/y.txt", join(root, "link")).has_value());
#endif
  };
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string one = join(std::string(t.path()), "one"), two = join(std::string(t.path()), "two");
#if !defined(_WIN32)
  const mode_t old = ::umask(022);
#endif
  tree(one, false, 1'000'000);
#if !defined(_WIN32)
  ::umask(077);
#endif
  tree(two, true, 2'000'000);
#if !defined(_WIN32)
  ::umask(old);
#endif
  va::write_options o;
  o.mtime = 1'700'000'000;
  const auto a = va::pack_tree(one, "pkg-1.0", o).value();
  const auto b = va::pack_tree(two, "pkg-1.0", o).value();
  BOOST_TEST(listing(a) == listing(b));
  BOOST_TEST(a.size() == b.size());
  BOOST_TEST((str(view(a)) == str(view(b))));
  const std::string names = listing(a);
  BOOST_TEST(names.find("pkg-1.0/\npkg-1.0/a/\npkg-1.0/a/c/\npkg-1.0/a/c/x.txt\npkg-1.0/a/y.txt\n") == 0u, names);
  const vitte::buffer<va::entry> entries = va::list(view(a)).value();
  for (const va::entry& e : entries) {
    BOOST_TEST(e.mtime == 1'700'000'000);
    if (e.type == va::entry_type::directory) BOOST_TEST(e.mode == 0755u);
#if !defined(_WIN32)
    if (e.path == "pkg-1.0/run.sh") BOOST_TEST(e.mode == 0755u);
#endif
    if (e.path == "pkg-1.0/m.txt") BOOST_TEST(e.mode == 0644u);
  }
  // SOURCE_DATE_EPOCH.
  BOOST_REQUIRE(sys::set_env("SOURCE_DATE_EPOCH", "1234567890").has_value());
  BOOST_TEST(va::write_options::from_environment().mtime == 1234567890);
  (void)sys::unset_env("SOURCE_DATE_EPOCH");
  BOOST_TEST(va::write_options::from_environment().mtime == 0);
}

BOOST_AUTO_TEST_CASE(gnu_tar_and_bsdtar_agree_with_us) {
  if (!have("tar")) {
    BOOST_TEST_MESSAGE("skipped: no tar program here (Windows, cross builds under an emulator, or not installed)");
    return;
  }
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string root(t.path());
  const std::string src = join(root, "src");
  const std::string deep = "d/" + std::string(110, 'e') + "/" + std::string(120, 'f');
  BOOST_REQUIRE(sys::create_directories(join(src, deep.substr(0, deep.rfind('/')))).has_value());
  BOOST_REQUIRE(sys::write_file(join(src, deep), vitte::text_view("deep")).has_value());
  BOOST_REQUIRE(sys::write_file(join(src, "small"), vitte::text_view(std::string(5000, 's'))).has_value());
  BOOST_REQUIRE(sys::create_symlink("small", join(src, "ln")).has_value());
  const auto ours = va::pack_tree(src, "top").value();
  const std::string ours_path = join(root, "ours.tar");
  BOOST_REQUIRE(sys::write_file(ours_path, view(ours)).has_value());

  // They list what we list.
  const std::string gnu = run("tar -tf '" + ours_path + "'");
  BOOST_TEST(gnu == listing(ours));
  if (have("bsdtar"))
    BOOST_TEST(run("bsdtar -tf '" + ours_path + "'") == gnu);
  else
    BOOST_TEST_MESSAGE("bsdtar not installed (Debian libarchive-tools): its half skipped");
  // GNU tar extracts ours to the same files.
  BOOST_REQUIRE(sys::create_directories(join(root, "x")).has_value());
  run("tar -xf '" + ours_path + "' -C '" + join(root, "x") + "'");
  BOOST_TEST(std::string(sys::read_file_string(join(root, "x/top/" + deep)).value()) == "deep");

  // We read what GNU tar writes, in its three formats.
  for (const char* format : {"gnu", "pax"}) {
    const std::string theirs = join(root, std::string(format) + ".tar");
    run(std::string("tar --format=") + format + " --sort=name -cf '" + theirs + "' -C '" + src + "' . 2>/dev/null");
    auto data = sys::read_file(theirs);
    BOOST_REQUIRE(data.has_value());
    va::problem why;
    auto entries = va::list(view(*data), {}, &why);
    BOOST_REQUIRE_MESSAGE(entries.has_value(), format << ": " << why.what << " at " << why.offset);
    bool found = false;
    va::tar_reader r(view(*data));
    while (const va::entry* e = r.next().value())
      if (e->path == "./" + deep) found = str(r.data()) == "deep";
    BOOST_TEST(found, format);
    BOOST_TEST(run("tar -tf '" + theirs + "'") == [&] {
      std::string s;
      for (const va::entry& e : *entries)
        s += std::string(e.path) + (e.type == va::entry_type::directory ? "/" : "") + "\n";
      return s;
    }());
  }
}

BOOST_AUTO_TEST_CASE(extraction_makes_the_tree) {
  va::tar_writer w(va::write_options{1'600'000'000});
  (void)w.add_directory("top");
  (void)w.add_file("top/a.txt", bytes("alpha"), 04755);  // setuid dropped
  (void)w.add_file("top/sub/b.txt", bytes("beta"));      // parent created on the way
  (void)w.add_hard_link("top/h", "top/a.txt");
#if defined(_WIN32)
  const bool links = false;  // creating symbolic links needs a privilege there
#else
  const bool links = true;
#endif
  if (links) (void)w.add_symlink("top/sub/up", "../a.txt");
  const auto tar = w.finish();
  sandbox s;
  va::extract_problem why;
  auto r = va::extract(view(tar), s.dest, {}, &why);
  BOOST_REQUIRE_MESSAGE(r.has_value(), why.what << " " << why.path);
  BOOST_TEST(r->files == 2u);
  BOOST_TEST(r->hard_links == 1u);
  BOOST_TEST(r->bytes == 9u);
  BOOST_TEST(std::string(sys::read_file_string(join(s.dest, "top/sub/b.txt")).value()) == "beta");
  BOOST_TEST(std::string(sys::read_file_string(join(s.dest, "top/h")).value()) == "alpha");
  auto st = sys::stat(join(s.dest, "top/a.txt")).value();
  BOOST_TEST(st.mtime_ns == 1'600'000'000LL * 1'000'000'000);
#if !defined(_WIN32)
  BOOST_TEST((st.permissions & 07000) == 0u);
  if (links) BOOST_TEST(std::string(sys::read_file_string(join(s.dest, "top/sub/up")).value()) == "alpha");
#endif
  s.check_untouched();
  // A second time: the destination is not empty.
  BOOST_TEST((va::extract(view(tar), s.dest, {}, &why).error() == errc::directory_not_empty));
  BOOST_TEST((why.refusal == va::refusal::destination_not_empty));
}

BOOST_AUTO_TEST_CASE(hostile_archives_are_refused_with_nothing_written_outside) {
  using R = va::refusal;
  const errc rule = errc::permission_denied;
  auto one = [](const std::string& name, char type = '0', const std::string& link = {}, const std::string& data = {}) {
    std::string a;
    raw_header(a, name, type, data.size(), link);
    raw_data(a, data);
    return a;
  };
  // Path traversal.
  BOOST_TEST((refused(raw_end(one("/tmp/vitte-evil")), rule) == R::absolute_path));
  BOOST_TEST((refused(raw_end(one("../sentinel/evil")), rule) == R::parent_reference));
  BOOST_TEST((refused(raw_end(one("a/../../sentinel/evil")), rule) == R::parent_reference));
  BOOST_TEST((refused(raw_end(one("C:/evil")), rule) == R::absolute_path));
  BOOST_TEST((refused(raw_end(one("\\\\server\\share")), rule) == R::absolute_path));
  // Windows names.
  BOOST_TEST((refused(raw_end(one("a:b")), rule) == R::absolute_path));  // drive A:, relative
  for (const char* n : {"CON", "aux.txt", "dir/nul", "COM1.log", "lpt9", "name:stream", "trailing.", "space ",
                        "x\\..\\y", "q?", "star*"})
    BOOST_TEST((refused(raw_end(one(n)), rule) == R::windows_name), n);
  // Symbolic links out of the destination, and through links.
  BOOST_TEST((refused(raw_end(one("l", '2', "../sentinel")), rule) == R::link_escapes));
  BOOST_TEST((refused(raw_end(one("l", '2', "/etc")), rule) == R::link_escapes));
  BOOST_TEST((refused(raw_end(one("a/l", '2', "../../sentinel")), rule) == R::link_escapes));
  BOOST_TEST((refused(raw_end(one("l", '2', "x/../../sentinel")), rule) == R::link_escapes));
  {
    va::extract_options no_links;
    no_links.symlinks = false;
    BOOST_TEST((refused(raw_end(one("l", '2', "x")), rule, no_links) == R::link_escapes));
  }
#if !defined(_WIN32)
  // A link inside, then an entry through it, or a directory where it is
  // (the fix-up of CVE-2021-31566 has nothing to follow: there is none).
  BOOST_TEST((refused(raw_end(one("l", '2', ".") + one("l/evil")), rule) == R::through_symlink));
  BOOST_TEST((refused(raw_end(one("l", '2', ".") + one("l", '5')), rule) == R::through_symlink));
  BOOST_TEST((refused(raw_end(one("l", '2', "x") + one("l", '0', {}, "overwrite")), errc::already_exists) ==
              R::already_exists));
#endif
  // Hard links.
  BOOST_TEST((refused(raw_end(one("h", '1', "../sentinel/file")), rule) == R::hard_link_target));
  BOOST_TEST((refused(raw_end(one("h", '1', "/etc/passwd")), rule) == R::hard_link_target));
  BOOST_TEST((refused(raw_end(one("h", '1', "not-extracted")), rule) == R::hard_link_target));
  // A hard link to a file, then new content for the link: refused, the
  // file keeps its bytes.
  BOOST_TEST((refused(raw_end(one("f", '0', {}, "x") + one("h", '1', "f") + one("h", '0', {}, "y")),
                      errc::already_exists) == R::already_exists));
  // Devices and FIFOs.
  BOOST_TEST((refused(raw_end(one("dev", '3')), rule) == R::special_file));
  BOOST_TEST((refused(raw_end(one("blk", '4')), rule) == R::special_file));
  BOOST_TEST((refused(raw_end(one("fifo", '6')), rule) == R::special_file));
  // Bombs and limits.
  va::extract_options small;
  small.limits.max_file_bytes = 1000;
  small.limits.max_total_bytes = 1500;
  small.limits.max_entries = 3;
  small.limits.max_depth = 4;
  BOOST_TEST(
      (refused(raw_end(one("big", '0', {}, std::string(1001, 'b'))), errc::limit_exceeded, small) == R::too_large));
  BOOST_TEST((refused(raw_end(one("a", '0', {}, std::string(800, 'a')) + one("b", '0', {}, std::string(800, 'b'))),
                      errc::limit_exceeded, small) == R::too_large));
  BOOST_TEST((refused(raw_end(one("1") + one("2") + one("3") + one("4")), errc::limit_exceeded, small) ==
              R::too_many_entries));
  BOOST_TEST((refused(raw_end(one("a/b/c/d/e")), errc::limit_exceeded, small) == R::too_deep));
  // A truncated or corrupt archive.
  BOOST_TEST((refused(one("f", '0', {}, "data"), errc::unexpected_eof) == R::unreadable));
}

BOOST_AUTO_TEST_SUITE_END()
