// the build kit in one process: fingerprints, depfiles, index.vitte (up-to-date
// checks, damage, merging saves), and the output cache (what misses, what
// hits, two checkouts, damaged entries, exact statistics, cleaning), and
// full disks (fault_platform) in the middle of stores, restores and saves.
#include <vitte/cache.hpp>
#include <vitte/sys/directory.hpp>
#include <vitte/sys/fs.hpp>
#include <vitte/sys/policy/fault.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/time.hpp>
#include <vitte/sys/whole_file.hpp>
#include <vitte/toolchain.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "print.hpp"

namespace cache = vitte::cache;
namespace toolchain = vitte::toolchain;
namespace sys = vitte::sys;
using vitte::errc;
using vitte::text;
using vitte::text_view;

namespace {

struct tree {
  sys::temp_directory dir = sys::temp_directory::create({}, "vitte-build-").value();
  text at(std::string_view name) const { return sys::path_join(dir.path(), name); }
  void write(std::string_view name, std::string_view content) const {
    text p = at(name);
    BOOST_REQUIRE(sys::create_directories(sys::parent_path(p)));
    BOOST_REQUIRE(sys::write_file(p.c_str(), vitte::text_view(content)));
  }
  std::string read(std::string_view name) const {
    auto s = sys::read_file_string(at(name).c_str());
    return s ? std::string(s->data(), s->size()) : std::string("<missing>");
  }
  // Waits until what was written has settled: a stamp is trusted only once
  // its modification and change times (which nothing can set back) lie a
  // timestamp tick before the hash.
  static void settle() { (void)sys::sleep_for(std::chrono::milliseconds(2100)); }
};

cache::fingerprint tool_of(std::string_view version) { return cache::hasher{}.add("cc").add(version).finish(); }

// Whether two spellings of a path are the same with '/' for every
// separator (Windows gives back '\\' where the test wrote '/').
bool same_place(std::string_view a, std::string_view b) {
  std::string x(a), y(b);
  std::replace(x.begin(), x.end(), '\\', '/');
  std::replace(y.begin(), y.end(), '\\', '/');
  return x == y;
}

// The one line a diagnostic prints.
std::string line_of(const vitte::diagnostic& d) {
  const vitte::diagnostic_line l = d.format();
  return std::string(l.view().data(), l.view().size());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fingerprints)

BOOST_AUTO_TEST_CASE(fields_are_framed) {
  auto ab_c = cache::hasher{}.add("ab").add("c").finish();
  auto a_bc = cache::hasher{}.add("a").add("bc").finish();
  BOOST_TEST((ab_c != a_bc));
  BOOST_TEST((cache::hasher{}.add("ab").add("c").finish() == ab_c));
  // A number and a text of the same bytes differ.
  BOOST_TEST((cache::hasher{}.add(std::uint64_t{0x61}).finish() != cache::hasher{}.add("a").finish()));
  cache::fingerprint back;
  BOOST_TEST(cache::fingerprint::parse(ab_c.hex(), back));
  BOOST_TEST((back == ab_c));
  BOOST_TEST(!cache::fingerprint::parse("xyz", back));
}

BOOST_AUTO_TEST_CASE(command_keys_cover_tool_arguments_cwd_and_environment) {
  auto base = [] { return toolchain::command_key(tool_of("1")).args({"-c", "-O2"}).cwd("/a").env("LANG", "C"); };
  const auto k = base().finish();
  BOOST_TEST((k == base().finish()));
  BOOST_TEST((k != toolchain::command_key(tool_of("2")).args({"-c", "-O2"}).cwd("/a").env("LANG", "C").finish()));
  BOOST_TEST((k != toolchain::command_key(tool_of("1")).args({"-c", "-O3"}).cwd("/a").env("LANG", "C").finish()));
  BOOST_TEST((k != toolchain::command_key(tool_of("1")).args({"-c", "-O2"}).cwd("/b").env("LANG", "C").finish()));
  BOOST_TEST((k != toolchain::command_key(tool_of("1")).args({"-c", "-O2"}).cwd("/a").env("LANG", "fr").finish()));
  BOOST_TEST((k != base().arg("").finish()));  // an empty argument counts
}

BOOST_AUTO_TEST_CASE(file_hasher_reuses_a_settled_stamp_and_rehashes_a_racy_one) {
  tree t;
  t.write("a.h", "one");
  cache::file_hasher files;
  auto v1 = files.version(t.at("a.h")).value();
  auto again = files.version(t.at("a.h")).value();  // just written: not settled, hashed again
  BOOST_TEST((again.content == v1.content));
  BOOST_TEST(files.stats().files_hashed == 2u);
  tree::settle();
  (void)files.version(t.at("a.h")).value();
  BOOST_TEST(files.stats().files_hashed == 3u);  // not settled when last hashed
  (void)files.version(t.at("a.h")).value();
  BOOST_TEST(files.stats().stamp_hits == 1u);  // settled now: one stat
  t.write("a.h", "two");
  BOOST_TEST((files.version(t.at("a.h")).value().content != v1.content));
  BOOST_TEST(files.version(t.at("missing.h")).error() == errc::not_found);
  BOOST_TEST(files.version(t.dir.path()).error() == errc::is_a_directory);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(depfiles)

BOOST_AUTO_TEST_CASE(reads_what_gcc_and_clang_write) {
  auto d = cache::parse_depfile(
               "out/a.o: src/a.c src/a.h \\\n  src/b\\ c.h /usr/include/x$$y.h\r\n"
               "\nsrc/a.h:\n\nsrc/b\\ c.h:\n")
               .value();
  BOOST_REQUIRE(d.targets.size() == 1u);
  BOOST_TEST(std::string_view(d.targets[0]) == "out/a.o");
  std::vector<std::string> deps(d.dependencies.begin(), d.dependencies.end());
  BOOST_TEST((deps == std::vector<std::string>{"src/a.c", "src/a.h", "src/b c.h", "/usr/include/x$y.h"}));
  auto win = cache::parse_depfile("C:/out/a.obj: C:\\src\\a.c\n").value();
  BOOST_TEST(std::string_view(win.targets[0]) == "C:/out/a.obj");
  BOOST_TEST(std::string_view(win.dependencies[0]) == "C:\\src\\a.c");
  BOOST_TEST(cache::parse_depfile("").value().dependencies.empty());
}

BOOST_AUTO_TEST_CASE(tabs_and_carriage_returns_in_names) {
  // GCC writes a tab in a path after a backslash and a CR as it is; a CR ends a
  // line only before a LF or at the end.
  auto d = cache::parse_depfile("o.o: ta\\\tb.c inc\rdir/z.h \\\r\n t\\\tb.h\r\nt\\\tb.h:\r").value();
  std::vector<std::string> deps(d.dependencies.begin(), d.dependencies.end());
  BOOST_TEST((deps == std::vector<std::string>{"ta\tb.c", "inc\rdir/z.h", "t\tb.h"}));
  BOOST_REQUIRE(d.targets.size() == 1u);
  BOOST_TEST(std::string_view(d.targets[0]) == "o.o");
  vitte::diagnostic why;
  BOOST_TEST(cache::parse_depfile("a.o: a.c\rb.o\n", &why).value().dependencies.size() == 1u);
}

BOOST_AUTO_TEST_CASE(backslashes_as_gcc_writes_them) {
  // gcc-12 -MD for files named a\\b.c, x\\#.h, "s\ b.h" and "e\" (a
  // backslash at the end): backslashes are doubled only before a blank or
  // the name's end, a '#' gets one of its own.
  auto d = cache::parse_depfile("o.o: a\\\\b.c x\\\\\\#.h s\\\\\\ b.h e\\\\ \\\n k.h\n").value();
  std::vector<std::string> deps(d.dependencies.begin(), d.dependencies.end());
  BOOST_TEST((deps == std::vector<std::string>{"a\\\\b.c", "x\\\\#.h", "s\\ b.h", "e\\", "k.h"}));
}

BOOST_AUTO_TEST_CASE(malformed_depfiles_say_where) {
  vitte::diagnostic why;
  auto r = cache::parse_depfile("a.o: a.c\nb.o b.c\n", &why);
  BOOST_TEST(r.error() == errc::malformed);
  BOOST_TEST((why.kind() == errc::malformed));
  BOOST_TEST(std::string_view(why.format().c_str()) == "line 2, column 8: expected ':' after the targets");
  BOOST_TEST(std::string_view(r.error().message().c_str()).find("depfile_read") != std::string_view::npos,
             r.error().message().c_str());
  BOOST_TEST(cache::parse_depfile("a.o: b\n: c\n", &why).error() == errc::malformed);
  BOOST_TEST(std::string_view(why.format().c_str()) == "line 2, column 1: a ':' with no target before it");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(index_vitte)

BOOST_AUTO_TEST_CASE(says_why_a_step_runs) {
  tree t;
  t.write("a.c", "int a;");
  t.write("a.h", "#define A 1");
  t.write("a.o", "object");
  cache::file_hasher files;
  auto idx = cache::index::open(t.at("index.vitte")).value();
  const auto cmd = tool_of("1");
  const text ins[] = {t.at("a.c"), t.at("a.h")};
  const text outs[] = {t.at("a.o")};
  BOOST_TEST((idx.check("a.o", cmd, files).why == cache::reason::never_built));
  BOOST_REQUIRE(idx.record("a.o", cmd, ins, outs, files));
  BOOST_TEST(idx.check("a.o", cmd, files).up_to_date());
  BOOST_TEST((idx.check("a.o", tool_of("2"), files).why == cache::reason::command_changed));
  BOOST_REQUIRE(idx.save());

  // A fresh index object (a new build) sees the same, and says which file changed.
  auto check = [&] {
    cache::file_hasher fresh;
    auto again = cache::index::open(t.at("index.vitte")).value();
    return again.check("a.o", cmd, fresh);
  };
  BOOST_TEST(check().up_to_date());
  t.write("a.h", "#define A 1");  // same content, new stamp: a touch rebuilds nothing
  BOOST_TEST(check().up_to_date());
  t.write("a.h", "#define A 2");
  auto v = check();
  BOOST_TEST((v.why == cache::reason::input_changed));
  BOOST_TEST(std::string_view(v.to_text()) == "input changed: " + std::string(t.at("a.h")));
  t.write("a.h", "#define A 1");
  BOOST_REQUIRE(sys::remove(t.at("a.o").c_str()).value());
  BOOST_TEST((check().why == cache::reason::output_missing));
  t.write("a.o", "tampered");
  BOOST_TEST((check().why == cache::reason::output_changed));
  BOOST_REQUIRE(sys::remove(t.at("a.c").c_str()).value());
  BOOST_TEST((check().why == cache::reason::input_missing));
}

namespace {
// Writes a.c and a.o (after the stamps settled, when `settled`), records
// the step a.o and saves the index.
void record_a(const tree& t, bool settled) {
  t.write("a.c", "int a;");
  t.write("a.o", "object");
  if (settled) tree::settle();
  cache::file_hasher files;
  auto idx = cache::index::open(t.at("index.vitte")).value();
  const text ins[] = {t.at("a.c")};
  const text outs[] = {t.at("a.o")};
  BOOST_REQUIRE(idx.record("a.o", tool_of("1"), ins, outs, files));
  BOOST_REQUIRE(idx.save());
}
}  // namespace

BOOST_AUTO_TEST_CASE(a_settled_unchanged_tree_is_checked_with_stats_alone) {
  tree t;
  record_a(t, true);
  cache::file_hasher fresh;
  auto again = cache::index::open(t.at("index.vitte")).value();
  BOOST_TEST(again.check("a.o", tool_of("1"), fresh).up_to_date());
  BOOST_TEST(fresh.stats().files_hashed == 0u);
}

BOOST_AUTO_TEST_CASE(a_record_made_before_its_stamps_settled_is_settled_by_the_next_check) {
  tree t;
  record_a(t, false);  // recorded at once, as a driver does after the compiler
  tree::settle();
  // The first check after the stamps settled hashes and refreshes the record...
  cache::file_hasher first;
  auto again = cache::index::open(t.at("index.vitte")).value();
  BOOST_TEST(again.check("a.o", tool_of("1"), first).up_to_date());
  BOOST_TEST(first.stats().files_hashed > 0u);
  BOOST_REQUIRE(again.save());
  // ...so that every later one needs the stamps alone, and a no-op saves nothing.
  const auto before = sys::stat(t.at("index.vitte").c_str()).value();
  cache::file_hasher later;
  auto third = cache::index::open(t.at("index.vitte")).value();
  BOOST_TEST(third.check("a.o", tool_of("1"), later).up_to_date());
  BOOST_TEST(later.stats().files_hashed == 0u);
  BOOST_REQUIRE(third.save());
  const auto after = sys::stat(t.at("index.vitte").c_str()).value();
  BOOST_TEST(after.inode == before.inode);
  BOOST_TEST(after.mtime_ns == before.mtime_ns);
  // A touch without a change: up to date, refreshed once, then stamps again.
  t.write("a.c", "int a;");
  tree::settle();
  cache::file_hasher touched;
  auto fourth = cache::index::open(t.at("index.vitte")).value();
  BOOST_TEST(fourth.check("a.o", tool_of("1"), touched).up_to_date());
  BOOST_TEST(touched.stats().files_hashed == 1u);
  BOOST_REQUIRE(fourth.save());
  cache::file_hasher last;
  BOOST_TEST(cache::index::open(t.at("index.vitte")).value().check("a.o", tool_of("1"), last).up_to_date());
  BOOST_TEST(last.stats().files_hashed == 0u);
}

// Steps read from the file are checked where they lie and decoded when
// asked for; every operation sees them as if they had been decoded at open.
BOOST_AUTO_TEST_CASE(steps_read_from_the_file_behave_as_decoded_ones) {
  static_assert(!std::is_copy_constructible_v<cache::index>);
  tree t;
  t.write("a.c", "x");
  t.write("b.c", "y");
  cache::file_hasher files;
  {
    auto idx = cache::index::open(t.at("index.vitte")).value();
    const text a[] = {t.at("a.c")};
    const text b[] = {t.at("b.c")};
    for (const char* name : {"one", "two", "three"}) BOOST_REQUIRE(idx.record(name, tool_of("1"), a, {}, files));
    BOOST_REQUIRE(idx.record("bee", tool_of("1"), b, {}, files));
    BOOST_REQUIRE(idx.save());
  }
  tree::settle();
  auto idx = cache::index::open(t.at("index.vitte")).value();
  BOOST_TEST(idx.size() == 4u);
  BOOST_TEST((idx.check("one", tool_of("2"), files).why == cache::reason::command_changed));
  idx.forget("two");
  BOOST_TEST(idx.size() == 3u);
  BOOST_TEST((idx.check("two", tool_of("1"), files).why == cache::reason::never_built));
  BOOST_TEST(idx.find("two") == nullptr);
  const cache::step_record* three = idx.find("three");
  BOOST_REQUIRE(three != nullptr);
  BOOST_TEST(three->inputs.size() == 1u);
  BOOST_TEST(std::string_view(three->inputs[0].path) == std::string_view(t.at("a.c")));
  BOOST_TEST(idx.size() == 3u);  // decoded, counted once
  t.write("b.c", "changed");
  const cache::verdict v = idx.check("bee", tool_of("1"), files);
  BOOST_TEST((v.why == cache::reason::input_changed));
  BOOST_TEST(std::string_view(v.path) == std::string_view(t.at("b.c")));
  BOOST_REQUIRE(idx.save());
  auto back = cache::index::open(t.at("index.vitte")).value();
  BOOST_TEST(back.size() == 3u);
  BOOST_TEST(back.find("two") == nullptr);
  BOOST_TEST(back.check("one", tool_of("1"), files).up_to_date());
  // Moved, the steps still read from the bytes it holds.
  cache::index moved = std::move(back);
  BOOST_TEST(moved.check("three", tool_of("1"), files).up_to_date());
}

// A step the file could not hold is refused, not written: written, it
// would make every step after it unreadable at the next open.
BOOST_AUTO_TEST_CASE(a_step_the_file_cannot_hold_is_refused) {
  tree t;
  t.write("a.c", "x");
  cache::file_hasher files;
  auto idx = cache::index::open(t.at("index.vitte")).value();
  const text ins[] = {t.at("a.c")};
  const text long_path[] = {text(std::string(70000, 'p'))};
  BOOST_TEST((idx.record("", tool_of("1"), ins, {}, files).error() == errc::invalid_argument));
  BOOST_TEST((idx.record(std::string(70000, 'n'), tool_of("1"), ins, {}, files).error() == errc::invalid_argument));
  BOOST_TEST((idx.record("a.o", tool_of("1"), long_path, {}, files).error() == errc::invalid_argument));
  BOOST_REQUIRE(idx.record("a.o", tool_of("1"), ins, {}, files));
  BOOST_REQUIRE(idx.save());
  auto back = cache::index::open(t.at("index.vitte")).value();
  BOOST_TEST(!back.describe());
  BOOST_TEST(back.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_damaged_index_keeps_what_came_before_the_damage) {
  tree t;
  t.write("a.c", "x");
  cache::file_hasher files;
  auto idx = cache::index::open(t.at("index.vitte")).value();
  const text ins[] = {t.at("a.c")};
  for (const char* name : {"a", "b", "c"}) BOOST_REQUIRE(idx.record(name, tool_of("1"), ins, {}, files));
  BOOST_REQUIRE(idx.save());
  auto bytes = sys::read_file(t.at("index.vitte").c_str()).value();
  // Records are sorted by name: flip a byte inside the last one ("c").
  auto damaged = bytes;
  damaged[damaged.size() - 20] ^= std::byte{1};
  BOOST_REQUIRE(sys::write_file(t.at("index.vitte").c_str(), damaged.span()));
  auto back = cache::index::open(t.at("index.vitte")).value();
  BOOST_TEST(back.size() == 2u);
  BOOST_TEST(back.find("a") != nullptr);
  BOOST_TEST(back.find("c") == nullptr);
  BOOST_TEST(line_of(back.describe()).find("record 2: checksum mismatch") != std::string_view::npos);
  BOOST_TEST(back.describe().kind() == errc::malformed);
  // Truncated, and not an index at all.
  BOOST_REQUIRE(sys::write_file(t.at("index.vitte").c_str(), bytes.span().first(bytes.size() - 5)));
  BOOST_TEST(line_of(cache::index::open(t.at("index.vitte")).value().describe()).find("truncated") !=
             std::string_view::npos);
  BOOST_REQUIRE(sys::write_file(t.at("index.vitte").c_str(), vitte::text_view("#!/bin/sh\n")));
  auto junk = cache::index::open(t.at("index.vitte")).value();
  BOOST_TEST(junk.size() == 0u);
  BOOST_TEST(line_of(junk.describe()) == "at offset 0x0: not an index.vitte file (bad magic)");
  vitte::diagnostic named = junk.describe();
  BOOST_TEST(line_of(named.about(junk.path())) ==
             std::string(junk.path().view()) + ": at offset 0x0: not an index.vitte file (bad magic)");
  // Another version.
  auto other = bytes;
  other[8] = std::byte{9};
  BOOST_REQUIRE(sys::write_file(t.at("index.vitte").c_str(), other.span()));
  BOOST_TEST(line_of(cache::index::open(t.at("index.vitte")).value().describe()) ==
             "at offset 0x8: format version 9, this code reads 1");
}

BOOST_AUTO_TEST_CASE(saves_of_two_processes_merge_without_losing_an_update) {
  tree t;
  t.write("a.c", "x");
  cache::file_hasher files;
  const text ins[] = {t.at("a.c")};
  auto first = cache::index::open(t.at("index.vitte")).value();
  BOOST_REQUIRE(first.record("old", tool_of("1"), ins, {}, files));
  BOOST_REQUIRE(first.save());
  auto one = cache::index::open(t.at("index.vitte")).value();
  auto two = cache::index::open(t.at("index.vitte")).value();
  BOOST_REQUIRE(one.record("from-one", tool_of("1"), ins, {}, files));
  BOOST_REQUIRE(two.record("from-two", tool_of("1"), ins, {}, files));
  two.forget("old");
  BOOST_REQUIRE(one.save());
  BOOST_REQUIRE(two.save());
  auto merged = cache::index::open(t.at("index.vitte")).value();
  BOOST_TEST(merged.size() == 2u);
  BOOST_TEST(merged.find("from-one") != nullptr);
  BOOST_TEST(merged.find("from-two") != nullptr);
  BOOST_TEST(merged.find("old") == nullptr);
  // The bytes are the same whatever the order records were made in.
  auto a = sys::read_file(t.at("index.vitte").c_str()).value();
  BOOST_REQUIRE(merged.save());
  BOOST_TEST((sys::read_file(t.at("index.vitte").c_str()).value() == a));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(output_cache)

namespace {
// A step "compiling" src/NAME.c (which includes src/NAME.h) to out/NAME.o.
struct step_files {
  text src, header, obj;
  text ins[1];
  text outs[1];
  text deps[1];
  step_files(const tree& t, std::string_view name, std::string_view root = "")
      : src(t.at(std::string(root) + "src/" + std::string(name) + ".c")),
        header(t.at(std::string(root) + "src/" + std::string(name) + ".h")),
        obj(t.at(std::string(root) + "out/" + std::string(name) + ".o")),
        ins{src},
        outs{obj},
        deps{header} {}
  cache::cache_step step(const cache::fingerprint& cmd) const { return {cmd, ins, outs}; }
};
}  // namespace

BOOST_AUTO_TEST_CASE(changing_anything_that_matters_misses_and_nothing_hits) {
  tree t;
  t.write("src/a.c", "#include \"a.h\"");
  t.write("src/a.h", "#define A 1");
  t.write("out/a.o", "object of a, A=1");
  auto cache = cache::output_cache::open(t.at("cache")).value();
  cache::file_hasher files;
  step_files a(t, "a");
  const auto cmd = toolchain::command_key(tool_of("12.2")).args({"-c", "-O2"}).cwd(t.dir.path()).finish();
  auto miss = cache.lookup(a.step(cmd), files).value();
  BOOST_TEST(!miss.hit);
  BOOST_TEST(std::string_view(miss.why) == "no entry for these inputs");
  BOOST_REQUIRE(cache.store(a.step(cmd), a.deps, files));

  BOOST_REQUIRE(sys::remove(a.obj.c_str()).value());
  auto hit = cache.lookup(a.step(cmd), files).value();
  BOOST_TEST(hit.hit);
  BOOST_TEST(t.read("out/a.o") == "object of a, A=1");
  BOOST_REQUIRE(hit.dependencies.size() == 1u);
  BOOST_TEST(std::string_view(hit.dependencies[0]) == std::string_view(a.header));

  // Each of these must miss.
  BOOST_TEST(
      !cache
           .lookup(a.step(toolchain::command_key(tool_of("12.3")).args({"-c", "-O2"}).cwd(t.dir.path()).finish()),
                   files)
           .value()
           .hit);  // tool version
  BOOST_TEST(
      !cache
           .lookup(a.step(toolchain::command_key(tool_of("12.2")).args({"-c", "-O3"}).cwd(t.dir.path()).finish()),
                   files)
           .value()
           .hit);  // an argument
  t.write("src/a.h", "#define A 2");
  auto dep = cache.lookup(a.step(cmd), files).value();
  BOOST_TEST(!dep.hit);
  BOOST_TEST(std::string_view(dep.why) == "dependency changed: " + std::string(a.header));
  t.write("src/a.h", "#define A 1");
  t.write("src/a.c", "#include \"a.h\" // edited");
  BOOST_TEST(!cache.lookup(a.step(cmd), files).value().hit);  // an input
  t.write("src/a.c", "#include \"a.h\"");
  BOOST_TEST(cache.lookup(a.step(cmd), files).value().hit);  // back as it was: hit again

  auto s = cache.stats().value();
  BOOST_TEST(s.hits == 2u);
  BOOST_TEST(s.misses == 5u);
  BOOST_TEST(s.stores == 1u);
  BOOST_TEST(s.files == 2);
}

BOOST_AUTO_TEST_CASE(two_checkouts_never_share_an_output) {
  // sccache #2863: two checkouts with the same relative paths. The second
  // must never receive the first one's object.
  tree t;
  for (const char* root : {"one/", "two/"}) {
    t.write(std::string(root) + "src/a.c", "#include \"a.h\"");
    t.write(std::string(root) + "src/a.h", std::string("#define WHERE \"") + root + "\"");
  }
  auto cache = cache::output_cache::open(t.at("cache")).value();
  cache::file_hasher files;
  step_files one(t, "a", "one/"), two(t, "a", "two/");
  auto cmd_in = [&](std::string_view root) {
    return toolchain::command_key(tool_of("1")).args({"-c", "src/a.c", "-o", "out/a.o"}).cwd(t.at(root)).finish();
  };
  t.write("one/out/a.o", "object built in one/");
  BOOST_REQUIRE(cache.store(one.step(cmd_in("one")), one.deps, files));
  auto other = cache.lookup(two.step(cmd_in("two")), files).value();
  BOOST_TEST(!other.hit);
  BOOST_TEST(t.read("two/out/a.o") == "<missing>");
  // Even with the same command key (a driver that leaves cwd out), the
  // dependency is the other tree's file, with other content: still a miss.
  auto same_cmd = cache.lookup(two.step(cmd_in("one")), files).value();
  BOOST_TEST(!same_cmd.hit);
  BOOST_TEST(t.read("two/out/a.o") == "<missing>");
}

BOOST_AUTO_TEST_CASE(checkouts_at_other_paths_share_outputs_under_a_base_dir) {
  // The same project at one/ and two/ (same content), and at three/ with
  // another header. With each checkout as its base_dir, keys and recorded
  // dependencies are relative to it: two/ gets one/'s object, three/ not.
  tree t;
  for (const char* root : {"one/", "two/", "three/"}) {
    t.write(std::string(root) + "src/a.c", "#include \"a.h\"");
    t.write(std::string(root) + "src/a.h", root == std::string("three/") ? "#define A 3" : "#define A 1");
  }
  auto cache = cache::output_cache::open(t.at("cache")).value();
  cache::file_hasher files;
  auto cmd_in = [&](std::string_view root) {
    const text base = t.at(root);
    return toolchain::command_key(tool_of("1"))
        .base_dir(base)
        .args({text_view("-c"), text_view(sys::path_join(base, "src/a.c")), text_view("-o"),
               text_view(sys::path_join(base, "out/a.o")), text_view(text("-I") + sys::path_join(base, "src")),
               text_view(text("-ffile-prefix-map=") + base + "=.")})
        .cwd(base)
        .finish();
  };
  BOOST_TEST((cmd_in("one") == cmd_in("two")));
  step_files one(t, "a", "one/"), two(t, "a", "two/"), three(t, "a", "three/");
  const text base_one = t.at("one"), base_two = t.at("two"), base_three = t.at("three");
  t.write("one/out/a.o", "object of a, A=1");
  BOOST_REQUIRE(cache.store({cmd_in("one"), one.ins, one.outs, base_one}, one.deps, files));

  auto hit = cache.lookup({cmd_in("two"), two.ins, two.outs, base_two}, files).value();
  BOOST_TEST(hit.hit, hit.why);
  BOOST_TEST(t.read("two/out/a.o") == "object of a, A=1");
  BOOST_REQUIRE(hit.dependencies.size() == 1u);
  BOOST_TEST(same_place(hit.dependencies[0], two.header));  // where two/ has it

  auto other = cache.lookup({cmd_in("three"), three.ins, three.outs, base_three}, files).value();
  BOOST_TEST(!other.hit);
  BOOST_TEST(same_place(other.why, "dependency changed: " + std::string(three.header)));
  BOOST_TEST(t.read("three/out/a.o") == "<missing>");
}

#if !VITTE_OS_WINDOWS  // symbolic links need a privilege there
BOOST_AUTO_TEST_CASE(a_base_dir_is_where_files_really_are) {
  // Checkout one reached through a link and its header spelled through the
  // real path, or with "//": still one's own header, recorded relative, so
  // checkout two (another header) does not get one's object.
  tree t;
  for (const char* root : {"real-one/", "two/"}) {
    t.write(std::string(root) + "src/a.c", "#include \"a.h\"");
    t.write(std::string(root) + "src/a.h", root == std::string("two/") ? "#define A 2" : "#define A 1");
  }
  BOOST_REQUIRE(sys::create_symlink(t.at("real-one").c_str(), t.at("one").c_str()));
  auto cache = cache::output_cache::open(t.at("cache")).value();
  cache::file_hasher files;
  const auto cmd = toolchain::command_key(tool_of("1")).args({"-c", "src/a.c"}).finish();
  for (const text& spelled : {t.at("real-one/src/a.h"), text(t.at("one") + "//src/a.h")}) {
    const text ins[] = {t.at("one/src/a.c")}, outs[] = {t.at("one/out/a.o")};
    t.write("real-one/out/a.o", "object of a, A=1");
    const text deps[] = {spelled};
    BOOST_REQUIRE(cache.store({cmd, ins, outs, t.at("one")}, deps, files));
    const text ins2[] = {t.at("two/src/a.c")}, outs2[] = {t.at("two/out/a.o")};
    auto other = cache.lookup({cmd, ins2, outs2, t.at("two")}, files).value();
    BOOST_TEST(!other.hit, std::string(spelled.view()));
    BOOST_TEST(t.read("two/out/a.o") == "<missing>");
  }
  // A relative base names no place: refused.
  const text ins[] = {t.at("two/src/a.c")}, outs[] = {t.at("two/out/a.o")};
  auto relative = cache.lookup({cmd, ins, outs, "two"}, files);
  BOOST_REQUIRE(!relative.has_value());
  BOOST_TEST((relative.error() == errc::invalid_argument));
}
#endif

#if !VITTE_OS_WINDOWS  // devices by path are a POSIX thing
BOOST_AUTO_TEST_CASE(only_regular_files_are_hashed) {
  // A dependency that never ends or never opens (a hostile manifest may
  // name one) is refused at once, never read.
  cache::file_hasher files;
  for (const char* device : {"/dev/zero", "/dev/null"}) {
    if (!sys::exists(device).value_or(false)) continue;
    auto v = files.version(device);
    BOOST_REQUIRE(!v.has_value());
    BOOST_TEST((v.error() == errc::not_supported));
  }
}
#endif

BOOST_AUTO_TEST_CASE(a_base_dir_relocates_paths_under_it_only) {
  const auto key = [](std::string_view base, std::initializer_list<text_view> args, std::string_view cwd) {
    return toolchain::command_key(tool_of("1")).base_dir(base).args(args).cwd(cwd).finish();
  };
  // Under the base: at an argument's start, after an option's letters, after '='.
  BOOST_TEST((
      key("/a/ws", {"/a/ws/x.c", "-I/a/ws/inc", "-fprefix-map=/a/ws=."}, "/a/ws/build") ==
      key("/b/other/ws", {"/b/other/ws/x.c", "-I/b/other/ws/inc", "-fprefix-map=/b/other/ws=."}, "/b/other/ws/build")));
  BOOST_TEST((key("/a/ws/", {"/a/ws/x.c"}, "/a/ws") == key("/b/ws", {"/b/ws/x.c"}, "/b/ws")));
  // Not under it: a sibling with the same prefix, a path elsewhere, a path
  // inside an argument.
  BOOST_TEST((key("/a/ws", {"/a/ws2/x.c"}, "/") != key("/b/ws", {"/b/ws2/x.c"}, "/")));
  BOOST_TEST((key("/a/ws", {"/usr/include/x.h"}, "/") == key("/b/ws", {"/usr/include/x.h"}, "/")));
  BOOST_TEST((key("/a/ws", {"--opt/a/ws/x"}, "/") != key("/b/ws", {"--opt/b/ws/x"}, "/")));
  // A relocated path is never a relative one written as such; a path in a
  // macro's value goes into the program, so it stays as written.
  BOOST_TEST((key("/a/ws", {"-I/a/ws/inc"}, "/a/ws/build") != key("/a/ws", {"-Iinc"}, "/a/ws/build")));
  BOOST_TEST((key("/a/ws", {"-I/a/ws//usr/inc"}, "/") != key("/a/ws", {"-I/usr/inc"}, "/")));
  BOOST_TEST((key("/a/ws", {"x.c"}, "/a/ws/build") != key("/a/ws", {"x.c"}, "build")));
  BOOST_TEST((key("/a/ws", {"-DROOT=/a/ws/share"}, "/") != key("/b/ws", {"-DROOT=/b/ws/share"}, "/")));
  BOOST_TEST((key("/a/ws", {"--sysroot=/a/ws/root"}, "/") == key("/b/ws", {"--sysroot=/b/ws/root"}, "/")));
  // Without a base nothing moves.
  BOOST_TEST((key("", {"/a/ws/x.c"}, "/a/ws") != key("", {"/b/ws/x.c"}, "/b/ws")));
}

BOOST_AUTO_TEST_CASE(a_damaged_entry_is_a_miss_and_goes_away) {
  tree t;
  t.write("src/a.c", "a");
  t.write("src/a.h", "h");
  t.write("out/a.o", "object");
  auto cache = cache::output_cache::open(t.at("cache")).value();
  cache::file_hasher files;
  step_files a(t, "a");
  const auto cmd = tool_of("1");
  BOOST_REQUIRE(cache.store(a.step(cmd), a.deps, files));
  std::vector<std::string> results;
  BOOST_REQUIRE(sys::walk(t.at("cache/results").c_str(), [&](const sys::walk_entry& e) {
    if (e.type == sys::file_type::regular) results.emplace_back(e.path);
  }));
  BOOST_REQUIRE(results.size() == 1u);
  auto bytes = sys::read_file(results[0].c_str()).value();
  bytes[bytes.size() / 2] ^= std::byte{0x40};
  BOOST_REQUIRE(sys::write_file(results[0].c_str(), bytes.span()));
  BOOST_REQUIRE(sys::remove(a.obj.c_str()).value());
  auto r = cache.lookup(a.step(cmd), files).value();
  BOOST_TEST(!r.hit);
  BOOST_TEST(std::string_view(r.why) == "damaged result removed");
  BOOST_TEST(t.read("out/a.o") == "<missing>");  // nothing half-restored
  BOOST_TEST(!sys::exists(results[0].c_str()).value());
  auto s = cache.stats().value();
  BOOST_TEST(s.evictions == 1u);
  BOOST_TEST(s.files == 1);  // the manifest
}

BOOST_AUTO_TEST_CASE(cleaning_keeps_the_cache_under_its_limit_and_the_counts_exact) {
  tree t;
  cache::cache_options o;
  o.max_bytes = 4096;
  auto cache = cache::output_cache::open(t.at("cache"), o).value();
  cache::file_hasher files;
  for (int i = 0; i < 40; ++i) {
    const std::string n = "f" + std::to_string(i);
    t.write("src/" + n + ".c", n);
    t.write("src/" + n + ".h", n);
    t.write("out/" + n + ".o", std::string(300, 'x') + n);
    step_files f(t, n);
    BOOST_REQUIRE(cache.store(f.step(tool_of("1")), f.deps, files));
  }
  auto s = cache.stats().value();
  BOOST_TEST(s.stores == 40u);
  BOOST_TEST(s.evictions > 0u);
  BOOST_TEST(s.bytes <= 4096);
  std::int64_t on_disk = 0, count = 0;
  for (const char* kind : {"cache/results", "cache/manifests"})
    BOOST_REQUIRE(sys::walk(t.at(kind).c_str(), [&](const sys::walk_entry& e) {
      if (e.type != sys::file_type::regular) return;
      on_disk += static_cast<std::int64_t>(sys::file_size(vitte::text(e.path).c_str()).value());
      ++count;
    }));
  BOOST_TEST(s.bytes == on_disk);
  BOOST_TEST(s.files == count);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(full_disks)

using faulty = sys::fault_platform<sys::platform>;

BOOST_AUTO_TEST_CASE(a_full_disk_fails_the_store_and_leaves_nothing_half_written) {
  tree t;
  t.write("src/a.c", "a");
  t.write("src/a.h", "h");
  t.write("out/a.o", "object");
  sys::fault_plan::clear();
  auto cache = cache::basic_output_cache<faulty>::open(t.at("cache")).value();
  cache::basic_file_hasher<faulty> files;
  const text ins[] = {t.at("src/a.c")}, outs[] = {t.at("out/a.o")}, deps[] = {t.at("src/a.h")};
  const cache::cache_step step{tool_of("1"), ins, outs};
  BOOST_REQUIRE(sys::fault_plan::fail(sys::ops::write, errc::no_space, 1000));
  auto stored = cache.store(step, deps, files);
  BOOST_TEST(stored.error() == errc::no_space);
  sys::fault_plan::clear();
  BOOST_TEST(!cache.lookup(step, files).value().hit);
  auto s = cache.stats().value();
  BOOST_TEST(s.stores == 0u);
  BOOST_TEST(s.bytes == 0);
  BOOST_TEST(s.files == 0);
  int stray = 0;
  BOOST_REQUIRE(sys::walk(t.at("cache/tmp").c_str(), [&](const sys::walk_entry&) { ++stray; }));
  BOOST_TEST(stray == 0);

  // Stored now; a full disk while restoring leaves the old output whole.
  BOOST_REQUIRE(cache.store(step, deps, files));
  t.write("out/a.o", "the previous object");
  BOOST_REQUIRE(sys::fault_plan::fail(sys::ops::write, errc::no_space, 1));
  BOOST_TEST(cache.lookup(step, files).error() == errc::no_space);
  sys::fault_plan::clear();
  BOOST_TEST(t.read("out/a.o") == "the previous object");
  BOOST_TEST(cache.lookup(step, files).value().hit);
  BOOST_TEST(t.read("out/a.o") == "object");
}

BOOST_AUTO_TEST_CASE(a_full_disk_fails_the_index_save_and_keeps_the_old_index) {
  tree t;
  t.write("a.c", "a");
  sys::fault_plan::clear();
  cache::basic_file_hasher<faulty> files;
  auto idx = cache::basic_index<faulty>::open(t.at("index.vitte")).value();
  const text ins[] = {t.at("a.c")};
  BOOST_REQUIRE(idx.record("one", tool_of("1"), ins, {}, files));
  BOOST_REQUIRE(idx.save());
  BOOST_REQUIRE(idx.record("two", tool_of("1"), ins, {}, files));
  BOOST_REQUIRE(sys::fault_plan::fail(sys::ops::write, errc::no_space, 1000));
  BOOST_TEST(idx.save().error() == errc::no_space);
  sys::fault_plan::clear();
  auto back = cache::index::open(t.at("index.vitte")).value();
  BOOST_TEST(back.size() == 1u);
  BOOST_TEST(!back.describe());
  BOOST_REQUIRE(idx.save());  // the change is still pending, and lands now
  BOOST_TEST(cache::index::open(t.at("index.vitte")).value().size() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
