// vitte/archive: tar round trips (long names, links), deterministic packing
// (different creation orders, times and umasks give the same bytes), GNU
// tar and bsdtar reading ours and we theirs, a strict reader (checksums,
// truncation, pax size desynchronisation), and a hostile-archive corpus
// refused with nothing written outside the destination (a sentinel
// directory beside it is checked after each), in memory and streamed from a
// file. GNU sparse files (old GNU, pax 0.0, 0.1, 1.0) as GNU tar writes them
// extract to the same bytes with their holes; hostile maps are refused.
// Streamed extraction of 200 MiB keeps the memory it uses small (a forked
// child measures its peak).
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
#include <sys/resource.h>  // getrusage
#include <sys/stat.h>      // umask, st_blocks
#include <sys/wait.h>
#include <unistd.h>  // fork
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
std::string str(vitte::text_view t) { return {t.data(), t.size()}; }
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

// Refused in memory, and streamed from a file with the same refusal.
va::refusal refused(const std::string& archive, errc kind, va::extract_options options = {}) {
  sandbox s;
  vitte::diagnostic why;
  va::refusal reason = va::refusal::none;
  auto r = va::extract(bytes(archive), s.dest, options, &why, &reason);
  BOOST_TEST(!r.has_value());
  if (!r) BOOST_TEST((r.error() == kind), to_string(reason) << ": " << why.format().c_str());
  BOOST_TEST(!why.message().empty());
  if (!r) BOOST_TEST((why.kind() == r.error().kind()));  // the kind comes with it
  s.check_untouched();

  sandbox t;
  sys::temp_directory holder = sys::temp_directory::create().value();
  const std::string path = join(std::string(holder.path()), "a.tar");
  BOOST_REQUIRE(sys::write_file(path, bytes(archive)).has_value());
  auto f = sys::file::open(path, sys::open_mode::read).value();
  vitte::diagnostic streamed;
  va::refusal streamed_reason = va::refusal::none;
  auto q = va::extract(f, t.dest, options, &streamed, &streamed_reason);
  BOOST_TEST(!q.has_value());
  if (!q)
    BOOST_TEST((q.error() == kind), "streamed: " << to_string(streamed_reason) << ": " << streamed.format().c_str());
  BOOST_TEST((streamed_reason == reason), to_string(streamed_reason) << " vs " << to_string(reason));
  BOOST_TEST(str(streamed.subject()) == str(why.subject()));
  t.check_untouched();
  return reason;
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

BOOST_AUTO_TEST_CASE(a_file_written_in_pieces_is_the_file_written_whole) {
  std::string data(5000, 'x');
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>('a' + i % 26);
  const auto view = [](std::string_view s) {
    return vitte::span<const std::byte>(reinterpret_cast<const std::byte*>(s.data()), s.size());
  };
  va::write_options o;
  o.mtime = 1'700'000'000;
  va::tar_writer whole(o);
  BOOST_REQUIRE(whole.add_directory("d").has_value());
  BOOST_REQUIRE(whole.add_file("d/f", view(data), 0600).has_value());
  BOOST_REQUIRE(whole.add_hard_link("d/g", "d/f", 0600).has_value());
  BOOST_REQUIRE(whole.add_file("d/empty", {}).has_value());
  const vitte::buffer<std::byte> expected = whole.finish();

  va::tar_writer pieces(o);
  std::string got;
  const auto drain = [&] {
    const vitte::buffer<std::byte> b = pieces.take();
    got.append(reinterpret_cast<const char*>(b.data()), b.size());
  };
  BOOST_REQUIRE(pieces.add_directory("d").has_value());
  BOOST_REQUIRE(pieces.begin_file("d/f", data.size(), 0600).has_value());
  drain();
  // Nothing else until the data is whole, and no more than was announced.
  BOOST_TEST((pieces.add_directory("e").error() == errc::invalid_argument));
  for (std::size_t at = 0; at < data.size(); at += 777) {
    BOOST_REQUIRE(pieces.append(view(std::string_view(data).substr(at, 777))).has_value());
    drain();
  }
  BOOST_TEST((pieces.append(view("more")).error() == errc::invalid_argument));
  BOOST_REQUIRE(pieces.add_hard_link("d/g", "d/f", 0600).has_value());
  BOOST_REQUIRE(pieces.begin_file("d/empty", 0).has_value());
  const vitte::buffer<std::byte> end = pieces.finish();
  got.append(reinterpret_cast<const char*>(end.data()), end.size());
  BOOST_TEST((got == std::string(reinterpret_cast<const char*>(expected.data()), expected.size())));
  // The hard link carries the mode it was given.
  va::tar_reader r(expected.span());
  for (const va::entry* e = r.next().value_or(nullptr); e != nullptr; e = r.next().value_or(nullptr))
    if (e->type == va::entry_type::hard_link) BOOST_TEST(e->mode == 0600u);
  // A file begun and cut short is finished with zeros: the archive still reads.
  va::tar_writer cut(o);
  BOOST_REQUIRE(cut.begin_file("f", 1000).has_value());
  BOOST_REQUIRE(cut.append(view("abc")).has_value());
  const vitte::buffer<std::byte> short_one = cut.finish();
  BOOST_TEST(short_one.size() == 512u + 1024u + 1024u);
  BOOST_TEST(va::list(short_one.span()).has_value());
}

BOOST_AUTO_TEST_CASE(the_reader_is_strict) {
  va::tar_writer w;
  BOOST_REQUIRE(w.add_file("f", bytes(std::string(700, 'y'))).has_value());
  const vitte::buffer<std::byte> good = w.finish();
  const std::string tar = str(view(good));
  vitte::diagnostic why;

  // Truncated anywhere: an error, never a short listing.
  for (std::size_t cut :
       {std::size_t(0), std::size_t(100), std::size_t(512), std::size_t(1000), std::size_t(1536), tar.size() - 512}) {
    auto r = va::list(bytes(tar.substr(0, cut)), {}, &why);
    BOOST_TEST(!r.has_value(), "cut at " << cut);
    if (!r) BOOST_TEST((r.error() == errc::unexpected_eof), why.format().c_str());
    if (!r) BOOST_TEST((why.kind() == errc::unexpected_eof));
  }
  // A flipped byte in a header: the checksum.
  std::string bad = tar;
  bad[10] ^= 1;
  BOOST_TEST((va::list(bytes(bad), {}, &why).error() == errc::malformed));
  BOOST_TEST(str(why.message()) == "bad header checksum");
  BOOST_TEST(why.offset() == 0u);
  BOOST_TEST((why.kind() == errc::malformed));

  // TARmageddon: the pax size and the header's size disagree.
  std::string x = pax_record("size", "1024");
  std::string desync;
  raw_header(desync, "PaxHeaders/f", 'x', x.size());
  raw_data(desync, x);
  raw_header(desync, "f", '0', 512);
  raw_data(desync, std::string(1024, 'z'));
  BOOST_TEST((va::list(bytes(raw_end(desync)), {}, &why).error() == errc::malformed));
  BOOST_TEST(str(why.message()) == "pax size disagrees with the header's size");

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
  std::string sparse;  // old GNU sparse needs the GNU magic: its fields overlap the ustar prefix
  raw_header(sparse, "s", 'S', 0);
  BOOST_TEST((va::list(bytes(raw_end(sparse)), {}, &why).error() == errc::malformed));
  std::string label;
  raw_header(label, "volume", 'V', 0);
  BOOST_TEST((va::list(bytes(raw_end(label)), {}, &why).error() == errc::not_supported));
  std::string badpax;
  raw_header(badpax, "PaxHeaders/f", 'x', 12);
  raw_data(badpax, "99 path=abc\n");
  raw_header(badpax, "f", '0', 0);
  BOOST_TEST((va::list(bytes(raw_end(badpax)), {}, &why).error() == errc::malformed));
  BOOST_TEST(str(why.message()) == "bad pax record");
  BOOST_TEST(why.offset() == 512u);  // in the extended header's data
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
    vitte::diagnostic why;
    auto entries = va::list(view(*data), {}, &why);
    BOOST_REQUIRE_MESSAGE(entries.has_value(), format << ": " << why.format().c_str());
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
  vitte::diagnostic why;
  va::refusal reason = va::refusal::none;
  auto r = va::extract(view(tar), s.dest, {}, &why, &reason);
  BOOST_REQUIRE_MESSAGE(r.has_value(), why.format().c_str());
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
  BOOST_TEST((va::extract(view(tar), s.dest, {}, &why, &reason).error() == errc::directory_not_empty));
  BOOST_TEST((reason == va::refusal::destination_not_empty));
  BOOST_TEST((why.kind() == errc::directory_not_empty));
  BOOST_TEST(str(why.subject()) == s.dest);  // before any entry: the destination
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

namespace {

// An old GNU sparse header ('S', GNU magic): `runs` in the header (at most
// 4), the real size, the isextended flag.
std::string old_gnu_sparse(const std::string& name, const std::vector<va::sparse_run>& runs, std::uint64_t real,
                           std::uint64_t stored, bool extended = false) {
  std::string h(512, '\0');
  std::memcpy(&h[0], name.data(), name.size());
  std::snprintf(&h[100], 8, "%07o", 0644u);
  std::snprintf(&h[108], 8, "%07o", 0u);
  std::snprintf(&h[116], 8, "%07o", 0u);
  std::snprintf(&h[124], 12, "%011llo", static_cast<unsigned long long>(stored));
  std::snprintf(&h[136], 12, "%011o", 0u);
  h[156] = 'S';
  std::memcpy(&h[257], "ustar  ", 8);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    std::snprintf(&h[386 + i * 24], 12, "%011llo", static_cast<unsigned long long>(runs[i].offset));
    std::snprintf(&h[386 + i * 24 + 12], 12, "%011llo", static_cast<unsigned long long>(runs[i].size));
  }
  h[482] = extended ? 1 : 0;
  std::snprintf(&h[483], 12, "%011llo", static_cast<unsigned long long>(real));
  std::memset(&h[148], ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  std::snprintf(&h[148], 7, "%06o", sum);
  return h;
}

// A pax header with `records`, then a file entry `name` with `data`.
std::string pax_entry(const std::string& records, const std::string& name, const std::string& data) {
  std::string out;
  raw_header(out, "PaxHeaders/x", 'x', records.size());
  raw_data(out, records);
  raw_header(out, name, '0', data.size());
  raw_data(out, data);
  return out;
}

std::string sparse_0_1(const std::string& map, std::uint64_t real, const std::string& data,
                       const std::string& name = "s") {
  return pax_entry(pax_record("GNU.sparse.size", std::to_string(real)) + pax_record("GNU.sparse.name", name) +
                       pax_record("GNU.sparse.map", map),
                   "GNUSparseFile.1/" + name, data);
}

std::string sparse_1_0(const std::string& map, std::uint64_t real, const std::string& data) {
  std::string body = map;
  body.append((512 - body.size() % 512) % 512, '\0');
  return pax_entry(pax_record("GNU.sparse.major", "1") + pax_record("GNU.sparse.minor", "0") +
                       pax_record("GNU.sparse.name", "s") + pax_record("GNU.sparse.realsize", std::to_string(real)),
                   "GNUSparseFile.1/s", body + data);
}

errc read_error(const std::string& archive, vitte::diagnostic* why = nullptr, const va::read_limits& limits = {}) {
  vitte::diagnostic p;
  auto r = va::list(bytes(archive), limits, why != nullptr ? why : &p);
  return r ? errc{} : r.error().kind();
}

#if !defined(_WIN32)
std::uint64_t allocated(const std::string& path) {
  struct ::stat st{};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_blocks) * 512 : ~std::uint64_t(0);
}
#endif

}  // namespace

BOOST_AUTO_TEST_SUITE(archive)

BOOST_AUTO_TEST_CASE(gnu_sparse_files_extract_as_gnu_tar_extracts_them) {
#if defined(_WIN32)
  BOOST_TEST_MESSAGE("skipped: GNU tar and sparse files are compared on POSIX hosts");
#else
  if (!have("tar") || !have("truncate") || !have("dd")) {
    BOOST_TEST_MESSAGE("skipped: no GNU tar, truncate or dd here");
    return;
  }
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string root(t.path()), src = join(root, "src");
  BOOST_REQUIRE(sys::create_directories(src).has_value());
  // Holes in the middle, a hole at the end, only a hole, many runs, data
  // at the very end, no hole at all.
  const std::string put = "put() { printf \"$2\" | dd of=\"$1\" bs=1 seek=\"$3\" conv=notrunc 2>/dev/null; }; ";
  run("cd '" + src + "' && " + put +
      "truncate -s 3M middle && put middle hello 1000000 && put middle world 2500000 && "
      "truncate -s 1M tail && put tail start 0 && "
      "truncate -s 2M hole && "
      "truncate -s 8M many && i=0; while [ $i -lt 100 ]; do put many x$i $((i * 65536 + 7)); i=$((i + 1)); done; "
      "truncate -s 5M end && put end last 5242876 && "
      "printf dense > dense");
  const std::vector<std::string> names = {"middle", "tail", "hole", "many", "end", "dense"};
  const bool holes = allocated(join(src, "middle")) < 3u << 20;  // the file system keeps holes
  for (const std::string format : {"posix-0.0", "posix-0.1", "posix-1.0", "gnu"}) {
    const std::string archive = join(root, format + ".tar");
    const std::string flags = format == "gnu" ? "--format=gnu" : "--format=posix --sparse-version=" + format.substr(6);
    run("tar --sparse " + flags + " -cf '" + archive + "' -C '" + src + "' middle tail hole many end dense");
    const vitte::buffer<std::byte> data = sys::read_file(archive).value();
    vitte::diagnostic why;
    auto entries = va::list(view(data), {}, &why);
    BOOST_REQUIRE_MESSAGE(entries.has_value(), format << ": " << why.format().c_str());
    BOOST_REQUIRE(entries->size() == names.size());
    for (std::size_t i = 0; i < names.size(); ++i) {
      BOOST_TEST(std::string((*entries)[i].path) == names[i], format);
      BOOST_TEST((*entries)[i].size == sys::stat(join(src, names[i])).value().size, format << " " << names[i]);
    }
    BOOST_TEST(run("tar -tf '" + archive + "'") == "middle\ntail\nhole\nmany\nend\ndense\n", format);
    // In memory, and streamed from the file.
    for (int streamed = 0; streamed < 2; ++streamed) {
      const std::string dest = join(root, format + (streamed ? "-stream" : "-memory"));
      vitte::diagnostic ewhy;
      vitte::result<va::extract_report> r = vitte::errc::io_error;
      if (streamed) {
        auto f = sys::file::open(archive, sys::open_mode::read).value();
        r = va::extract(f, dest, {}, &ewhy);
      } else {
        r = va::extract(view(data), dest, {}, &ewhy);
      }
      BOOST_REQUIRE_MESSAGE(r.has_value(), format << ": " << ewhy.format().c_str());
      BOOST_TEST(r->files == names.size());
      for (const std::string& n : names) {
        const std::string got = join(dest, n), want = join(src, n);
        BOOST_TEST(run("cmp '" + got + "' '" + want + "' && echo same") == "same\n", format << " " << n);
        if (holes && n != "dense")
          BOOST_TEST(allocated(got) <= allocated(want) + 65536, format << " " << n << ": holes kept");
      }
    }
  }
  // Python's tarfile (another writer of pax 1.0 and old GNU sparse maps) is
  // not needed: GNU tar is the reference the issue names.
#endif
}

BOOST_AUTO_TEST_CASE(sparse_maps_are_checked) {
  vitte::diagnostic why;
  // Good ones, by hand: 1.0 and 0.1 and old GNU give the same file.
  const std::string stored = std::string(512, 'a') + "xyz";
  for (const std::string& a :
       {sparse_1_0("3\n512\n512\n2048\n3\n3000\n0\n", 3000, stored), sparse_0_1("512,512,2048,3,3000,0", 3000, stored),
        old_gnu_sparse("s", {{512, 512}, {2048, 3}, {3000, 0}}, 3000, 515) + stored + std::string(509, '\0')}) {
    const std::string whole = raw_end(a);
    va::tar_reader r(bytes(whole));
    auto next = r.next();
    BOOST_REQUIRE_MESSAGE(next.has_value(), r.failure().format().c_str());
    const va::entry* e = *next;
    BOOST_REQUIRE(e != nullptr);
    BOOST_TEST(std::string(e->path) == "s");
    BOOST_TEST(e->sparse);
    BOOST_TEST(e->size == 3000u);
    BOOST_TEST(str(r.data()) == stored);
    BOOST_REQUIRE(r.sparse_map().size() == 3u);
    BOOST_TEST(r.sparse_map()[1].offset == 2048u);
    sandbox s;
    vitte::diagnostic ewhy;
    BOOST_REQUIRE_MESSAGE(va::extract(bytes(raw_end(a)), s.dest, {}, &ewhy).has_value(), ewhy.format().c_str());
    std::string want(3000, '\0');
    want.replace(512, 512, std::string(512, 'a'));
    want.replace(2048, 3, "xyz");
    BOOST_TEST((std::string(sys::read_file_string(join(s.dest, "s")).value()) == want));
    s.check_untouched();
  }
  // Hostile maps.
  BOOST_TEST((read_error(raw_end(sparse_0_1("0,100,50,100", 400, std::string(200, 'a'))), &why) == errc::malformed));
  BOOST_TEST(str(why.message()) == "GNU sparse map not sorted or overlapping");
  BOOST_TEST(str(why.subject()) == "s");  // the entry, named by the reader
  BOOST_TEST((read_error(raw_end(sparse_0_1("100,10,0,10", 400, std::string(20, 'a')))) == errc::malformed));
  BOOST_TEST((read_error(raw_end(sparse_0_1("4000,200", 4096, std::string(200, 'a'))), &why) == errc::malformed));
  BOOST_TEST(str(why.message()) == "GNU sparse run beyond the file's real size");
  BOOST_TEST((read_error(raw_end(sparse_0_1("18446744073709551615,2", 10, "ab"))) == errc::malformed));
  BOOST_TEST((read_error(raw_end(sparse_0_1("0,512,600,0", 600, std::string(50, 'a'))), &why) == errc::malformed));
  BOOST_TEST(str(why.message()) == "GNU sparse map disagrees with the data stored");
  // What GNU tar and libarchive would read differently.
  BOOST_TEST((read_error(raw_end(sparse_0_1("10,3,100,2", 102, "abcde")), &why) == errc::malformed));
  BOOST_TEST((read_error(raw_end(sparse_0_1("10,3", 200, "abc")), &why) == errc::malformed));
  BOOST_TEST(str(why.message()) == "GNU sparse map that does not end at the real size (readers disagree)");
  BOOST_TEST((read_error(raw_end(sparse_0_1("0,1,", 4, "a"))) == errc::malformed));
  BOOST_TEST((read_error(raw_end(sparse_0_1("0,1,5", 8, "a"))) == errc::malformed));
  va::read_limits two;
  two.max_sparse_runs = 2;
  BOOST_TEST((read_error(raw_end(sparse_0_1("0,1,2,1,4,1", 8, "abc")), nullptr, two) == errc::limit_exceeded));
  BOOST_TEST(
      (read_error(raw_end(sparse_1_0("3\n0\n1\n2\n1\n4\n1\n", 8, "abc")), nullptr, two) == errc::limit_exceeded));
  BOOST_TEST((read_error(raw_end(sparse_1_0("99999999999999\n", 8, "")), &why) == errc::limit_exceeded));
  BOOST_TEST((read_error(raw_end(sparse_1_0("2\n0\n1\n", 8, ""))) == errc::malformed));  // map runs past the entry
  BOOST_TEST((read_error(raw_end(sparse_1_0("1\n0\nx\n", 8, ""))) == errc::malformed));
  // numblocks that disagree, a version not known, no name for 0.1.
  BOOST_TEST(
      (read_error(raw_end(pax_entry(pax_record("GNU.sparse.size", "8") + pax_record("GNU.sparse.numblocks", "2") +
                                        pax_record("GNU.sparse.offset", "0") + pax_record("GNU.sparse.numbytes", "1"),
                                    "s", "a"))) == errc::malformed));
  BOOST_TEST((read_error(raw_end(pax_entry(pax_record("GNU.sparse.size", "8") + pax_record("GNU.sparse.numbytes", "1"),
                                           "s", "a"))) == errc::malformed));
  BOOST_TEST(
      (read_error(raw_end(pax_entry(pax_record("GNU.sparse.major", "2") + pax_record("GNU.sparse.minor", "0") +
                                        pax_record("GNU.sparse.name", "s") + pax_record("GNU.sparse.realsize", "8"),
                                    "GNUSparseFile.1/s", "")),
                  &why) == errc::not_supported));
  BOOST_TEST(str(why.subject()) == "s");
  BOOST_TEST((why.kind() == errc::not_supported));
  BOOST_TEST((read_error(raw_end(pax_entry(pax_record("GNU.sparse.size", "8") + pax_record("GNU.sparse.map", "0,1"),
                                           "GNUSparseFile.1/s", "a"))) == errc::malformed));
  // 0.0 as GNU tar writes it: the header's name is the file's.
  {
    const std::string a =
        raw_end(pax_entry(pax_record("GNU.sparse.size", "8") + pax_record("GNU.sparse.numblocks", "1") +
                              pax_record("GNU.sparse.offset", "7") + pax_record("GNU.sparse.numbytes", "1"),
                          "zero", "z"));
    auto entries = va::list(bytes(a), {}, &why);
    BOOST_REQUIRE_MESSAGE(entries.has_value(), why.format().c_str());
    BOOST_TEST(std::string((*entries)[0].path) == "zero");
    BOOST_TEST((*entries)[0].size == 8u);
  }
  // Old GNU: the map ends before the extension blocks it announces.
  BOOST_TEST((read_error(raw_end(old_gnu_sparse("s", {{0, 1}}, 8, 1, true) + std::string(512, '\0') + "a" +
                                 std::string(511, '\0')),
                         &why) == errc::malformed));
  BOOST_TEST(str(why.message()) == "GNU sparse map ends before its extension blocks");
  // A real size beyond the extraction limits, with almost nothing stored.
  BOOST_TEST((refused(raw_end(sparse_0_1("0,1,1099511627776,0", std::uint64_t(1) << 40, "a")), errc::limit_exceeded) ==
              va::refusal::too_large));
}

BOOST_AUTO_TEST_CASE(a_nul_in_any_name_is_malformed) {
  auto long_name = [](const std::string& name, char type = 'L') {
    std::string a;
    raw_header(a, "././@LongLink", type, name.size());
    raw_data(a, name);
    raw_header(a, "short", '0', 0);
    return raw_end(a);
  };
  vitte::diagnostic why;
  BOOST_TEST((read_error(long_name(std::string("safe\0../../evil", 15) + '\0'), &why) == errc::malformed));
  BOOST_TEST(str(why.message()) == "NUL in a GNU long name");
  BOOST_TEST(str(why.subject()) == str(va::escaped_name(std::string("safe\0../../evil", 15))));  // the whole name
  BOOST_TEST(str(why.subject()) == "safe\\x00../../evil");
  BOOST_TEST((read_error(long_name(std::string("x\0y", 3), 'K')) == errc::malformed));
  // Trailing NULs end the name, as every writer pads it.
  auto ok = va::list(bytes(long_name(std::string("long/name") + std::string(3, '\0')))).value();
  BOOST_TEST(std::string(ok[0].path) == "long/name");
  std::string pax;
  const std::string rec = pax_record("path", std::string("a\0b", 3));
  raw_header(pax, "PaxHeaders/x", 'x', rec.size());
  raw_data(pax, rec);
  raw_header(pax, "short", '0', 0);
  BOOST_TEST((read_error(raw_end(pax), &why) == errc::malformed));
  BOOST_TEST(str(why.message()) == "NUL in a pax path");
  BOOST_TEST(str(why.subject()) == "a\\x00b");
}

BOOST_AUTO_TEST_CASE(refused_paths_print_escaped) {
  BOOST_TEST(str(va::escaped_name("a\x1b[31mred\n\\\xc3\xa9\xff\xe2\x80\xae\xc2\x9b\x7f")) ==
             "a\\x1b[31mred\\n\\\\\xc3\xa9\\xff\\xe2\\x80\\xae\\xc2\\x9b\\x7f");
  // Through a refusal: nothing below 0x20 in what a program prints.
  std::string a;
  raw_header(a, "../\x1b]0;owned\x07x", '0', 0);
  sandbox s;
  vitte::diagnostic why;
  va::refusal reason = va::refusal::none;
  BOOST_TEST(!va::extract(bytes(raw_end(a)), s.dest, {}, &why, &reason).has_value());
  BOOST_TEST((reason == va::refusal::parent_reference));
  const std::string printed = str(why.subject());
  BOOST_TEST(printed == "../\\x1b]0;owned\\x07x");
  for (char c : printed) BOOST_TEST(static_cast<unsigned char>(c) >= 0x20);
}

BOOST_AUTO_TEST_CASE(streamed_extraction_matches_memory_and_cleans_up_a_cut_file) {
  va::tar_writer w(va::write_options{1'600'000'000});
  (void)w.add_directory("top");
  (void)w.add_file("top/a.txt", bytes("alpha"));
  (void)w.add_file("top/big", bytes(std::string(300'000, 'b')));
  (void)w.add_hard_link("top/h", "top/a.txt");
  const auto tar = w.finish();
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string path = join(std::string(t.path()), "a.tar");
  BOOST_REQUIRE(sys::write_file(path, view(tar)).has_value());
  {
    sandbox s;
    auto f = sys::file::open(path, sys::open_mode::read).value();
    vitte::diagnostic why;
    auto r = va::extract(f, s.dest, {}, &why);
    BOOST_REQUIRE_MESSAGE(r.has_value(), why.format().c_str());
    BOOST_TEST(r->files == 2u);
    BOOST_TEST(r->bytes == 300'005u);
    BOOST_TEST(std::string(sys::read_file_string(join(s.dest, "top/big")).value()) == std::string(300'000, 'b'));
    BOOST_TEST(std::string(sys::read_file_string(join(s.dest, "top/h")).value()) == "alpha");
    s.check_untouched();
  }
  // The stream ends inside top/big: refused, and top/big is not left cut.
  const std::string cut = join(std::string(t.path()), "cut.tar");
  BOOST_REQUIRE(sys::write_file(cut, view(tar).first(100'000)).has_value());
  sandbox s;
  auto f = sys::file::open(cut, sys::open_mode::read).value();
  vitte::diagnostic why;
  va::refusal reason = va::refusal::none;
  auto r = va::extract(f, s.dest, {}, &why, &reason);
  BOOST_TEST((r.error() == errc::unexpected_eof));
  BOOST_TEST((reason == va::refusal::unreadable));
  BOOST_TEST(str(why.message()) == "entry data runs past the end of the archive");
  BOOST_TEST((why.kind() == errc::unexpected_eof));
  BOOST_TEST(str(why.subject()) == "top/big");  // the reader's failure, naming the entry
  BOOST_TEST(!sys::stat(join(s.dest, "top/big")).has_value());
  BOOST_TEST(std::string(sys::read_file_string(join(s.dest, "top/a.txt")).value()) == "alpha");
  s.check_untouched();
  // The stream reader by itself: data read in pieces, the rest skipped.
  auto g = sys::file::open(path, sys::open_mode::read).value();
  va::tar_stream_reader sr(g);
  std::string seen;
  while (const va::entry* e = sr.next().value_or(nullptr)) {
    seen += std::string(e->path) + ";";
    if (e->path == "top/a.txt") {
      std::byte piece[3];
      BOOST_TEST(sr.read_data(piece).value() == 3u);
      BOOST_TEST(sr.data_left() == 2u);
    }
  }
  BOOST_TEST(seen == "top;top/a.txt;top/big;top/h;");
  BOOST_TEST(!sr.failure());
}

BOOST_AUTO_TEST_CASE(streamed_extraction_memory_does_not_grow_with_the_archive) {
#if defined(_WIN32) || defined(VITTE_TEST_CROSS) || defined(__SANITIZE_ADDRESS__)
  BOOST_TEST_MESSAGE("skipped: measured with fork and getrusage on native POSIX builds without ASan");
#else
  // 50 files of 4 MiB (200 MiB), written piece by piece: the test itself
  // never holds the archive.
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string path = join(std::string(t.path()), "big.tar"), dest = join(std::string(t.path()), "out");
  constexpr std::size_t files = 50, file_size = 4u << 20;
  {
    auto f = sys::file::open(path, sys::open_mode::write | sys::open_mode::create | sys::open_mode::truncate).value();
    const std::string piece(1u << 20, 'p');
    for (std::size_t i = 0; i < files; ++i) {
      std::string h;
      raw_header(h, "d/f" + std::to_string(i), '0', file_size);
      BOOST_REQUIRE(f.write(bytes(h)).has_value());
      for (std::size_t k = 0; k < file_size / piece.size(); ++k) BOOST_REQUIRE(f.write(bytes(piece)).has_value());
    }
    BOOST_REQUIRE(f.write(bytes(std::string(1024, '\0'))).has_value());
    BOOST_REQUIRE(f.close().has_value());
  }
  const std::string result_path = join(std::string(t.path()), "growth");
  const pid_t pid = ::fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) {
    struct rusage before{}, after{};
    ::getrusage(RUSAGE_SELF, &before);
    auto f = sys::file::open(path, sys::open_mode::read);
    if (!f) ::_exit(3);
    auto r = va::extract(*f, dest);
    ::getrusage(RUSAGE_SELF, &after);
    const long grown_kib = after.ru_maxrss - before.ru_maxrss;
    const std::string out = std::to_string(grown_kib) + " " + std::to_string(r ? r->bytes : 0);
    (void)sys::write_file(result_path, vitte::text_view(out));
    ::_exit(r ? 0 : 2);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  BOOST_REQUIRE(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 0);
  const std::string got(sys::read_file_string(result_path).value());
  const long grown_kib = std::stol(got.substr(0, got.find(' ')));
  BOOST_TEST(got.substr(got.find(' ') + 1) == std::to_string(files * file_size));
  BOOST_TEST_MESSAGE("streamed extraction of 200 MiB: peak RSS grew by " << grown_kib << " KiB");
  BOOST_TEST(grown_kib < 8 * 1024, "peak RSS grew by " << grown_kib << " KiB");
#endif
}

BOOST_AUTO_TEST_SUITE_END()

// --- diagnostics: the layer names the entry or the file, with the kind ------

BOOST_AUTO_TEST_CASE(the_reader_names_the_entry_and_the_field_with_the_kind) {
  // A link with data: the entry is named, at its size field.
  std::string a;
  raw_header(a, "first", '0', 0);
  raw_header(a, "l", '2', 10, "t");
  raw_data(a, "0123456789");
  vitte::diagnostic why;
  auto r = va::list(bytes(raw_end(a)), {}, &why);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((why.kind() == r.error().kind()));
  BOOST_TEST((why.kind() == errc::malformed));
  BOOST_TEST(str(why.subject()) == "l");
  BOOST_TEST(why.offset() == 512u + 124u);  // the second header's size field
  BOOST_TEST(str(why.format().c_str()) == "l: at offset 0x27c: a directory, link, device or fifo with data");
  // Before the name is read, no subject: the caller names the file it read.
  std::string bad = raw_end(a);
  bad[512 + 148] ^= 1;  // the second header's checksum
  vitte::diagnostic unnamed;
  BOOST_TEST((va::list(bytes(bad), {}, &unnamed).error() == errc::malformed));
  BOOST_TEST(unnamed.subject().empty());
  BOOST_TEST(unnamed.offset() == 512u);
  // The reader's failure() is the same diagnostic, and empty before an error.
  const std::string whole = raw_end(a);
  va::tar_reader reader(bytes(whole));
  BOOST_TEST(!reader.failure());
  while (reader.next().value_or(nullptr) != nullptr) {
  }
  BOOST_TEST(str(reader.failure().format().c_str()) == str(why.format().c_str()));
}

#if !defined(_WIN32)
BOOST_AUTO_TEST_CASE(extraction_names_the_entry_and_the_path_the_file_system_refused) {
  // A name longer than the file system holds (NAME_MAX 255): the entry, at
  // its header, the path it could not create, the system's kind.
  const std::string name = "top/" + std::string(300, 'n');
  va::tar_writer w;
  BOOST_REQUIRE(w.add_directory("top").has_value());
  BOOST_REQUIRE(w.add_file(name, bytes("x")).has_value());
  const auto tar = w.finish();
  sandbox s;
  vitte::diagnostic why;
  va::refusal reason = va::refusal::none;
  auto r = va::extract(view(tar), s.dest, {}, &why, &reason);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((reason == va::refusal::io_error));
  BOOST_TEST((why.kind() == r.error().kind()));
  BOOST_TEST((why.kind() != errc::permission_denied));                      // the system's, not a rule's
  BOOST_TEST(name.rfind(str(why.subject()), 0) == 0u, str(why.subject()));  // the entry (cut to the capacity)
  BOOST_TEST(why.subject().size() == vitte::diagnostic::subject_capacity);
  BOOST_TEST(why.offset() == 512u);  // its header (a pax header first, at 512)
  BOOST_TEST(str(why.message()).rfind("cannot create the file " + s.dest + "/top/nnn", 0) == 0u, str(why.message()));
  s.check_untouched();
  // The destination itself: named when no entry was read.
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string file = join(std::string(t.path()), "plain");
  BOOST_REQUIRE(sys::write_file(file, vitte::text_view("not a directory")).has_value());
  vitte::diagnostic dest;
  auto d = va::extract(view(tar), file + "/sub", {}, &dest, &reason);
  BOOST_REQUIRE(!d.has_value());
  BOOST_TEST((reason == va::refusal::io_error));
  BOOST_TEST((dest.kind() == d.error().kind()));
  BOOST_TEST(str(dest.subject()) == file + "/sub");
  BOOST_TEST(!dest.has_offset());
  BOOST_TEST(str(dest.message()).rfind("cannot create the destination: ", 0) == 0u, str(dest.message()));
}

BOOST_AUTO_TEST_CASE(packing_names_the_file_it_could_not_read_and_why) {
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string root = join(std::string(t.path()), "tree");
  BOOST_REQUIRE(sys::create_directories(join(root, "sub")).has_value());
  BOOST_REQUIRE(sys::write_file(join(root, "sub/a.txt"), vitte::text_view("a")).has_value());
  BOOST_REQUIRE(::mkfifo(join(root, "sub/pipe").c_str(), 0600) == 0);
  vitte::diagnostic why;
  auto r = va::pack_tree(root, "top", {}, &why);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error() == errc::not_supported));
  BOOST_TEST((why.kind() == errc::not_supported));
  BOOST_TEST(str(why.subject()) == root + "/sub/pipe");
  BOOST_TEST(str(why.message()) == "a device, FIFO or socket (not packed)");
  // A tree that is not there: the system's kind and message, about it.
  vitte::diagnostic missing;
  auto m = va::pack_tree(join(root, "absent"), "top", {}, &missing);
  BOOST_REQUIRE(!m.has_value());
  BOOST_TEST((missing.kind() == m.error().kind()));
  BOOST_TEST((missing.kind() == errc::not_found));
  BOOST_TEST(str(missing.subject()) == join(root, "absent"));
  BOOST_TEST(str(missing.message()).rfind("cannot read the tree: ", 0) == 0u, str(missing.message()));
}
#endif
