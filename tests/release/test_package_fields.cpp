// What a distribution expects of a .deb and an .rpm beyond their layout
// (vitte/release/package.hpp): every field refused, by name, when it holds
// a line break or a control character, in every format; configuration
// files kept on upgrade (dpkg's conffiles, rpm's %config(noreplace)) as
// dpkg and rpm install them in a scratch root; dependencies asked for and
// those the ELF files need, equal to what dpkg-shlibdeps and rpm's elfdeps
// say of a program built here; the Debian control file (extended
// description, Section, Priority, md5sums); and lintian and rpmlint on a
// realistic tree. Each outside program is used when installed; the case
// says what it skipped otherwise.
#include <vitte/release/detail/elf_needs.hpp>
#include <vitte/release/detail/package_fields.hpp>
#include <vitte/release/detail/shlib_deps.hpp>
#include <vitte/release/package.hpp>
#include <vitte/sys/directory.hpp>
#include <vitte/sys/metadata.hpp>  // exists
#include <vitte/sys/temp.hpp>
#include <vitte/sys/whole_file.hpp>

#include <algorithm>
#include <span>
#include <string>
#include <vector>

#if !defined(_WIN32)
#include <sys/stat.h>  // chmod
#endif

#include <boost/test/unit_test.hpp>

#include "support/package_fixture.hpp"
#include "support/programs.hpp"

namespace release = vitte::release;
namespace rd = vitte::release::detail;
namespace sys = vitte::sys;
using vitte::errc;
using vitte_test::join;
using vitte_test::make_tree;
using vitte_test::options;
using vitte_test::put;
using vitte_test::slurp;

namespace {

constexpr release::package_format all_formats[] = {release::package_format::tar_gz, release::package_format::tar,
                                                   release::package_format::deb,    release::package_format::rpm,
                                                   release::package_format::msi,    release::package_format::pkg};

std::string quote(const std::string& s) { return "'" + s + "'"; }

// The options of the "hello" package for `f` (a .pkg: for macOS).
release::package_options hello(release::package_format f) {
  release::package_options o = options(f, nullptr);
  if (f == release::package_format::pkg) o.target = "aarch64-apple-darwin";
  o.maintainer = "Ann Example <ann@example.org>";
  return o;
}

// What making the package of `tree` with `o` says: "" when it is made,
// else "kind|file|what".
std::string refusal(const std::string& tree, const release::package_options& o) {
  vitte::diagnostic why;
  auto r = release::make_package_archive(tree, o, &why);
  if (r) return "";
  BOOST_TEST((why.kind() == r.error().kind()));  // the kind, without the caller adding it
  return std::string(why.kind() == errc::invalid_argument ? "invalid_argument" : "other") + "|" +
         std::string(why.subject().data(), why.subject().size()) + "|" +
         std::string(why.message().data(), why.message().size());
}

// A .deb's file (dpkg-deb --field / --info member), or "" without dpkg-deb.
std::string deb_info(const std::string& deb, const std::string& member) {
  return vitte_test::run("dpkg-deb --info " + quote(deb) + " " + member + " 2>&1");
}

void write_package(const std::string& tree, const std::string& file, const release::package_options& o) {
  vitte::diagnostic why;
  auto r = release::make_package_archive(tree, o, &why);
  BOOST_REQUIRE_MESSAGE(r.has_value(), why.format().c_str());
  BOOST_REQUIRE(sys::atomic_replace(file, r->bytes.span()).has_value());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(package_fields)

BOOST_AUTO_TEST_CASE(a_line_break_or_control_character_is_refused_in_every_field_of_every_format) {
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string tree = join(std::string(t.path()), "tree");
  make_tree(tree, false, 1'000'000, "data", false);
  for (const auto f : all_formats) {
    BOOST_TEST_CONTEXT(release::to_string(f)) {
      BOOST_TEST(refusal(tree, hello(f)) == "");
      for (const char* bad : {"\nPre-Depends: evil", "\r", "\x01", "\x7f", "\t"}) {
        struct field {
          const char* name;
          vitte::text release::package_options::* member;
        };
        const field fields[] = {{"name", &release::package_options::name},
                                {"version", &release::package_options::version},
                                {"target", &release::package_options::target},
                                {"prefix", &release::package_options::prefix},
                                {"maintainer", &release::package_options::maintainer},
                                {"release", &release::package_options::release},
                                {"license", &release::package_options::license},
                                {"url", &release::package_options::url},
                                {"product_code", &release::package_options::product_code},
                                {"upgrade_code", &release::package_options::upgrade_code},
                                {"identifier", &release::package_options::identifier},
                                {"section", &release::package_options::section},
                                {"priority", &release::package_options::priority},
                                {"dpkg_admindir", &release::package_options::dpkg_admindir},
                                {"key_name", &release::package_options::key_name}};
        for (const field& fl : fields) {
          release::package_options o = hello(f);
          o.*fl.member = vitte::text(o.*fl.member) + bad;
          const std::string said = refusal(tree, o);
          BOOST_TEST(said.rfind(std::string("invalid_argument|") + fl.name + "|holds a line break", 0) == 0u,
                     fl.name << ": " << said);
        }
        // A description is lines: a line break is fine, any other control character is not.
        release::package_options o = hello(f);
        o.description = vitte::text("says hello") + (bad[0] == '\n' ? "\x1b[31m" : bad);
        BOOST_TEST(refusal(tree, o).rfind("invalid_argument|description|holds a control character", 0) == 0u,
                   refusal(tree, o));
        for (const char* list : {"depends", "conflicts", "provides", "conffiles"}) {
          release::package_options l = hello(f);
          vitte::buffer<vitte::text>& items = std::string(list) == "depends"     ? l.depends
                                              : std::string(list) == "conflicts" ? l.conflicts
                                              : std::string(list) == "provides"  ? l.provides
                                                                                 : l.conffiles;
          items.push_back(vitte::text(std::string(list) == "conffiles" ? "/etc/x" : "libc6") + bad);
          BOOST_TEST(refusal(tree, l).rfind(std::string("invalid_argument|") + list + "|holds a line break", 0) == 0u,
                     list << ": " << refusal(tree, l));
        }
      }
      release::package_options o = hello(f);
      o.depends.push_back("libc6 (~> 2)");
      BOOST_TEST(refusal(tree, o).rfind("invalid_argument|depends|is not a relation", 0) == 0u, refusal(tree, o));
      o = hello(f);
      o.provides.push_back("greeter (>= 1)");  // dpkg allows only "=" in Provides
      if (f == release::package_format::deb)
        BOOST_TEST(refusal(tree, o).rfind("invalid_argument|provides|in a .deb", 0) == 0u, refusal(tree, o));
      else
        BOOST_TEST(refusal(tree, o) == "");
    }
  }
}

BOOST_AUTO_TEST_CASE(relations_descriptions_and_versions) {
  rd::relation r;
  BOOST_TEST(rd::parse_relation("libc6 (>= 2.36)", r));
  BOOST_TEST((r.name == "libc6" && r.op == ">=" && r.version == "2.36"));
  BOOST_TEST(rd::parse_relation("glibc >= 2.36", r));
  BOOST_TEST(rd::deb_relation(r) == "glibc (>= 2.36)");
  BOOST_TEST(rd::parse_relation("foo (<< 1:2.0-1)", r));
  BOOST_TEST(rd::deb_relation(r) == "foo (<< 1:2.0-1)");
  BOOST_TEST(rd::parse_relation("libc.so.6()(64bit)", r));
  BOOST_TEST(r.op.empty());
  for (const char* bad : {"", "a, b", "a | b", "a (>= )", "a (=> 1)", "a >= 1 2", "a (>= 1\n)"})
    BOOST_TEST(!rd::parse_relation(bad, r), bad);
  BOOST_TEST(rd::deb_description("says hello\nIt says hello.\n\nTwice.", "x") ==
             "says hello\n It says hello.\n .\n Twice.");
  BOOST_TEST(rd::deb_description("", "hello") == "hello");
  BOOST_TEST(rd::deb_version_compare("2.34", "2.2.5") > 0);
  BOOST_TEST(rd::deb_version_compare("1.0~rc1", "1.0") < 0);
  BOOST_TEST(rd::deb_version_compare("1:0.1", "2.0") > 0);
  BOOST_TEST(rd::deb_version_compare("2.36-9", "2.36-10") < 0);
  BOOST_TEST(rd::deb_version_compare("1.0", "1.0") == 0);
}

BOOST_AUTO_TEST_CASE(the_deb_control_file_has_what_debian_asks) {
  if (!vitte_test::have("dpkg-deb")) {
    BOOST_TEST_MESSAGE("skipped: no dpkg-deb (Debian dpkg)");
    return;
  }
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string root(t.path());
  const std::string tree = join(root, "tree");
  make_tree(join(tree, "usr"), false, 1'000'000, "data", true);
  BOOST_REQUIRE(sys::create_directories(join(tree, "etc/hello")).has_value());
  put(join(tree, "etc/hello/hello.conf"), "greeting = hello\n");
  release::package_options o = hello(release::package_format::deb);
  o.prefix = "/";
  o.description = "says hello\nIt says hello, then exits.\n\nNothing else.";
  o.depends.push_back("libc6 (>= 2.36)");
  o.depends.push_back("sh >= 1");
  o.conflicts.push_back("hello-old");
  o.provides.push_back("greeter (= 1.2.0)");
  o.conffiles.push_back("/usr/share/data");
  o.url = "https://example.org/hello";
  const std::string deb = join(root, "hello.deb");
  write_package(tree, deb, o);
  const std::string control = deb_info(deb, "control");
  BOOST_TEST(control ==
                 "Package: hello\nVersion: 1.2.0\nArchitecture: amd64\nMaintainer: Ann Example <ann@example.org>\n"
                 "Installed-Size: 4\nDepends: libc6 (>= 2.36), sh (>= 1)\nConflicts: hello-old\n"
                 "Provides: greeter (= 1.2.0)\nSection: misc\nPriority: optional\n"
                 "Homepage: https://example.org/hello\nDescription: says hello\n It says hello, then exits.\n .\n"
                 " Nothing else.\n",
             control);
  BOOST_TEST(deb_info(deb, "conffiles") == "/etc/hello/hello.conf\n/usr/share/data\n");
  const std::string md5 = deb_info(deb, "md5sums");
  BOOST_TEST(md5.find("  usr/bin/hello\n") != std::string::npos, md5);
  BOOST_TEST(md5.find("etc/hello") == std::string::npos, md5);  // conffiles are not in md5sums
  BOOST_TEST(md5.find("usr/share/data") == std::string::npos, md5);
  const std::string x = join(root, "x");
  BOOST_REQUIRE(vitte_test::run_status("dpkg-deb -x " + quote(deb) + " " + quote(x)) == 0);
  int st = 0;
  const std::string checked =
      vitte_test::run("cd " + quote(x) + " && dpkg-deb --info " + quote(deb) + " md5sums | md5sum -c 2>&1", &st);
  BOOST_TEST(st == 0, checked);
}

BOOST_AUTO_TEST_CASE(a_local_edit_of_a_conffile_survives_an_upgrade) {
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string root(t.path());
  const auto tree_v = [&](const std::string& version, const std::string& conf) {
    const std::string tree = join(root, "tree-" + version);
    make_tree(join(tree, "usr"), false, 1'000'000, "data " + version, true);
    BOOST_REQUIRE(sys::create_directories(join(tree, "etc")).has_value());
    put(join(tree, "etc/hello.conf"), conf);
    return tree;
  };
  const std::string v1 = tree_v("1.0", "greeting = hello\n"), v2 = tree_v("2.0", "greeting = hi\n");
  release::package_options o = hello(release::package_format::deb);
  o.prefix = "/";
  o.shlib_depends = false;
  if (!vitte_test::have("dpkg") || !vitte_test::have("dpkg-deb")) {
    BOOST_TEST_MESSAGE("skipped dpkg: not installed (Debian dpkg)");
  } else {
    o.version = "1.0";
    write_package(v1, join(root, "v1.deb"), o);
    o.version = "2.0";
    write_package(v2, join(root, "v2.deb"), o);
    const std::string inst = join(root, "deb-root");
    const std::string admin = join(inst, "var/lib/dpkg");
    BOOST_REQUIRE(sys::create_directories(join(admin, "updates")).has_value());
    BOOST_REQUIRE(sys::create_directories(join(admin, "info")).has_value());
    put(join(admin, "status"), "");
    const std::string dpkg =
        "dpkg --force-not-root --force-script-chrootless --log=/dev/null --instdir=" + quote(inst) +
        " --admindir=" + quote(admin) + " --force-confold ";
    int st = 0;
    std::string out = vitte_test::run(dpkg + "-i " + quote(join(root, "v1.deb")) + " 2>&1", &st);
    BOOST_REQUIRE_MESSAGE(st == 0, out);
    BOOST_TEST(slurp(join(inst, "etc/hello.conf")) == "greeting = hello\n");
    BOOST_TEST(slurp(join(admin, "info/hello.conffiles")) == "/etc/hello.conf\n");
    put(join(inst, "etc/hello.conf"), "greeting = bonjour\n");  // the local edit
    out = vitte_test::run(dpkg + "-i " + quote(join(root, "v2.deb")) + " 2>&1", &st);
    BOOST_REQUIRE_MESSAGE(st == 0, out);
    BOOST_TEST(slurp(join(inst, "etc/hello.conf")) == "greeting = bonjour\n", out);
    BOOST_TEST(slurp(join(inst, "etc/hello.conf.dpkg-dist")) == "greeting = hi\n", out);
    BOOST_TEST(slurp(join(inst, "usr/share/data")) == "data 2.0");  // the rest is upgraded
  }
  if (!vitte_test::have("rpm")) {
    BOOST_TEST_MESSAGE("skipped rpm: not installed (Debian rpm)");
    return;
  }
  o.format = release::package_format::rpm;
  o.version = "1.0";
  write_package(v1, join(root, "v1.rpm"), o);
  o.version = "2.0";
  write_package(v2, join(root, "v2.rpm"), o);
  const std::string inst = join(root, "rpm-root");
  BOOST_REQUIRE(sys::create_directories(inst).has_value());
  BOOST_REQUIRE(vitte_test::run_status("rpm --root " + quote(inst) + " --initdb 2>&1") == 0);
  const std::string rpm = "rpm --root " + quote(inst) + " --nodeps --noscripts --notriggers ";
  int st = 0;
  std::string out = vitte_test::run(rpm + "-i " + quote(join(root, "v1.rpm")) + " 2>&1", &st);
  if (st != 0) {
    BOOST_TEST_MESSAGE("rpm -i failed (needs root here?): " << out);
    return;
  }
  BOOST_TEST(vitte_test::run("rpm --root " + quote(inst) + " -qc hello 2>&1") == "/etc/hello.conf\n");
  put(join(inst, "etc/hello.conf"), "greeting = bonjour\n");
  out = vitte_test::run(rpm + "-U " + quote(join(root, "v2.rpm")) + " 2>&1", &st);
  BOOST_REQUIRE_MESSAGE(st == 0, out);
  BOOST_TEST(slurp(join(inst, "etc/hello.conf")) == "greeting = bonjour\n", out);
  BOOST_TEST(slurp(join(inst, "etc/hello.conf.rpmnew")) == "greeting = hi\n", out);
  out = vitte_test::run(rpm + "-e hello 2>&1", &st);
  BOOST_TEST(st == 0, out);
  BOOST_TEST(slurp(join(inst, "etc/hello.conf.rpmsave")) == "greeting = bonjour\n", out);
}

BOOST_AUTO_TEST_CASE(automatic_dependencies_are_those_dpkg_shlibdeps_and_elfdeps_find) {
  if (!vitte_test::have("cc")) {
    BOOST_TEST_MESSAGE("skipped: no C compiler (cc) to build a program with");
    return;
  }
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string root(t.path());
  put(join(root, "hello.c"),
      "#include <stdio.h>\n#include <math.h>\nint main(int argc, char** argv) {\n"
      "  (void)argv; printf(\"%f\\n\", sqrt((double)argc)); puts(\"hello\"); return 0;\n}\n");
  const std::string prog = join(root, "tree/bin/hello");
  BOOST_REQUIRE(sys::create_directories(join(root, "tree/bin")).has_value());
  BOOST_REQUIRE(vitte_test::run_status("cc -O2 -o " + quote(prog) + " " + quote(join(root, "hello.c")) + " -lm") == 0);
  const vitte::buffer<std::byte> bytes = sys::read_file(prog).value();
  rd::elf_needs n;
  BOOST_REQUIRE(rd::elf_read_needs(bytes.span(), n));
  BOOST_TEST((std::find(n.needed.begin(), n.needed.end(), "libc.so.6") != n.needed.end()));

  // rpm's elfdeps needs no database.
  std::vector<std::string> requirements, provides;
  rd::rpm_elf_dependencies(n, true, requirements, provides);
  std::sort(requirements.begin(), requirements.end());
  std::string ours;
  for (const std::string& r : requirements) ours += r + "\n";
  if (sys::exists("/usr/lib/rpm/elfdeps").value_or(false)) {
    const std::string theirs = vitte_test::run("/usr/lib/rpm/elfdeps --requires " + quote(prog) + " | LC_ALL=C sort");
    BOOST_TEST(ours == theirs);
  } else {
    BOOST_TEST_MESSAGE("elfdeps: not installed (Debian rpm), ours: " << ours);
  }
  BOOST_TEST(provides.empty());  // a program provides no soname

  // dpkg-shlibdeps maps the libraries to packages with dpkg's database.
  std::vector<std::string> deps;
  vitte::diagnostic why;
  const bool mapped = rd::deb_shlib_depends({n}, {}, "x86_64-linux-gnu", "/var/lib/dpkg", deps, &why);
  if (!vitte_test::have("dpkg-shlibdeps") || !sys::exists("/var/lib/dpkg/info").value_or(false) ||
      n.machine != 62 /* EM_X86_64 */) {
    BOOST_TEST_MESSAGE("skipped dpkg-shlibdeps: not installed, or no dpkg database, or not x86_64");
  } else {
    BOOST_REQUIRE_MESSAGE(mapped, why.format().c_str());
    std::string joined;
    for (const std::string& d : deps) joined += (joined.empty() ? "" : ", ") + d;
    BOOST_REQUIRE(sys::create_directories(join(root, "src/debian")).has_value());
    put(join(root, "src/debian/control"), "Source: hello\n\nPackage: hello\nArchitecture: any\n");
    const std::string theirs =
        vitte_test::run("cd " + quote(join(root, "src")) + " && dpkg-shlibdeps -O " + quote(prog) + " 2>/dev/null");
    BOOST_TEST(theirs == "shlibs:Depends=" + joined + "\n");
  }
  // Without a database nothing is guessed.
  BOOST_TEST(!rd::deb_shlib_depends({n}, {}, "x86_64-linux-gnu", join(root, "no-dpkg"), deps, &why));
  BOOST_TEST(std::string(why.message().data(), why.message().size()).find("no dpkg database") != std::string::npos,
             why.format().c_str());
  BOOST_TEST((why.kind() == errc::not_found));
  BOOST_TEST(std::string(why.subject().data(), why.subject().size()) == join(root, "no-dpkg") + "/info");
  release::package_options o = hello(release::package_format::deb);
  const std::string no_dpkg = join(root, "no-dpkg");
  o.dpkg_admindir = vitte::text_view(no_dpkg);
  const std::string said = refusal(join(root, "tree"), o);
  BOOST_TEST(said.find("no dpkg database") != std::string::npos, said);
  o.shlib_depends = false;
  BOOST_TEST(refusal(join(root, "tree"), o) == "");
}

#if !defined(_WIN32)
BOOST_AUTO_TEST_CASE(modes_are_kept_when_asked_and_hard_links_stay_links) {
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string root(t.path());
  const std::string tree = join(root, "tree");
  make_tree(tree, false, 1'000'000, "data", true);
  put(join(tree, "share/secret"), "key\n");
  BOOST_REQUIRE(::chmod(join(tree, "share/secret").c_str(), 0600) == 0);
  BOOST_REQUIRE(
      vitte_test::run_status("ln " + quote(join(tree, "bin/hello")) + " " + quote(join(tree, "bin/hello2"))) == 0);
  for (const auto f : {release::package_format::tar_gz, release::package_format::deb, release::package_format::rpm}) {
    BOOST_TEST_CONTEXT(release::to_string(f)) {
      release::package_options o = hello(f);
      o.keep_modes = true;
      const std::string dist = join(root, std::string("dist-") + std::string(release::to_string(f)));
      vitte::diagnostic why;
      auto out = release::make_package(tree, dist, o, &why);
      BOOST_REQUIRE_MESSAGE(out.has_value(), why.format().c_str());
      BOOST_TEST(vitte_test::verdict(dist, nullptr) == "");  // read back as the manifest says
      const std::string manifest = slurp(join(dist, "manifest.json"));
      BOOST_TEST(manifest.find("share/secret\", \"type\": \"file\", \"mode\": \"0600\"") != std::string::npos,
                 manifest);
      const std::string file(out->archive.view());
      if (f == release::package_format::deb && vitte_test::have("dpkg-deb")) {
        const std::string listing = vitte_test::run("dpkg-deb -c " + quote(file));
        BOOST_TEST(listing.find("-rw------- 0/0") != std::string::npos, listing);
        BOOST_TEST(listing.find("usr/bin/hello2 link to usr/bin/hello") != std::string::npos, listing);
      }
      if (f == release::package_format::rpm && vitte_test::have("rpm")) {
        const std::string inst = join(root, "rpm-root");
        BOOST_REQUIRE(sys::create_directories(inst).has_value());
        BOOST_REQUIRE(vitte_test::run_status("rpm --root " + quote(inst) + " --initdb 2>&1") == 0);
        int st = 0;
        const std::string said =
            vitte_test::run("rpm -i --root " + quote(inst) + " --nodeps --noscripts " + quote(file) + " 2>&1", &st);
        if (st != 0) {
          BOOST_TEST_MESSAGE("rpm -i failed (needs root here?): " << said);
        } else {
          BOOST_TEST(vitte_test::run("stat -c '%a' " + quote(join(inst, "usr/share/secret"))) == "600\n");
          BOOST_TEST(vitte_test::run("stat -c '%h %i' " + quote(join(inst, "usr/bin/hello")) + " | cut -d' ' -f1") ==
                     "2\n");
          BOOST_TEST(vitte_test::run("stat -c '%i' " + quote(join(inst, "usr/bin/hello"))) ==
                     vitte_test::run("stat -c '%i' " + quote(join(inst, "usr/bin/hello2"))));
          BOOST_TEST(vitte_test::run_status("rpm --root " + quote(inst) + " -V hello") == 0);
        }
      }
    }
  }
  // Without keep_modes, a file others may not read in a tree where others
  // may read the rest stays private (the determinism test checks that a
  // tree made under umask 077 packs as one made under 022).
  for (const auto f : {release::package_format::tar_gz, release::package_format::deb, release::package_format::rpm,
                       release::package_format::pkg}) {
    BOOST_TEST_CONTEXT(release::to_string(f)) {
      release::package_options o = hello(f);
      if (f == release::package_format::pkg) o.target = "aarch64-apple-darwin";
      const std::string dist = join(root, std::string("dist-default-") + std::string(release::to_string(f)));
      vitte::diagnostic why;
      BOOST_REQUIRE_MESSAGE(release::make_package(tree, dist, o, &why).has_value(), why.format().c_str());
      // What an .rpm or a .pkg installs is read back from it for the manifest.
      const std::string manifest = slurp(join(dist, "manifest.json"));
      BOOST_TEST(manifest.find("share/secret\", \"type\": \"file\", \"mode\": \"0600\"") != std::string::npos,
                 manifest);
      // A hard link carries its file's mode (hello: 0755); an .rpm's reader
      // lists each name of a file as a file.
      const std::string link = f == release::package_format::rpm
                                   ? "bin/hello2\", \"type\": \"file\", \"mode\": \"0755\""
                                   : "bin/hello2\", \"type\": \"hard link\", \"mode\": \"0755\"";
      if (f != release::package_format::pkg) BOOST_TEST(manifest.find(link) != std::string::npos, manifest);
    }
  }
}
#endif

BOOST_AUTO_TEST_CASE(the_tool_warns_of_defaults_a_linter_rejects) {
  release::package_options o = options(release::package_format::deb, nullptr);
  o.mtime = 0;
  const vitte::buffer<vitte::text> w = release::package_warnings(o);
  BOOST_REQUIRE(w.size() == 3u);
  BOOST_TEST(std::string(w[0].view()).rfind("maintainer: ", 0) == 0u, w[0].c_str());
  BOOST_TEST(std::string(w[1].view()).rfind("description: one line", 0) == 0u, w[1].c_str());
  BOOST_TEST(std::string(w[2].view()).rfind("time: ", 0) == 0u, w[2].c_str());
  o.maintainer = "Ann Example <ann@example.org>";
  o.description = "says hello\nIt says hello.";
  o.mtime = 1'700'000'000;
  BOOST_TEST(release::package_warnings(o).empty());
  o.format = release::package_format::rpm;
  o.url = "https://example.org";
  BOOST_REQUIRE(release::package_warnings(o).size() == 1u);
  BOOST_TEST(std::string(release::package_warnings(o)[0].view()).find("invalid-license") != std::string::npos);
  o.format = release::package_format::tar_gz;
  o.maintainer = release::package_options{}.maintainer;
  BOOST_TEST(release::package_warnings(o).empty());  // no linter for a tar
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(package_linters)

// lintian and rpmlint on a realistic tree: a program, the shared library it
// links, a man page, a configuration file under /etc, a symlink and an
// empty directory, packaged with the fields a real package sets. No E: or
// W: line may come from the package writer. What the test tree itself
// causes (not the writer) is allowed, each with its reason:
constexpr const char* lintian_allowed[] = {
    // the test ships a shared library in a package not named after it, as
    // a real package would split it into libhello1 (Debian policy 8.1).
    "package-name-doesnt-match-sonames",
    // a native test package has no Debian changelog, which dh_installchangelogs writes.
    "no-changelog",
};
constexpr const char* rpmlint_allowed[] = {
    // an unsigned package (the signed case: tests/release/test_rpm.cpp).
    "no-signature",
    // the test ships a shared library in a package not named after it (a real one: libhello1).
    "shlib-policy-name-error",
    "shlib-policy-missing-suffix",
    // Debian's rpmlint configuration wants man pages compressed with bzip2
    // (CompressExtension "bz2"); the tree follows Debian (gzip -9n), so
    // rpmlint neither takes them as compressed nor finds them for the programs.
    "manpage-not-compressed",
    "no-manual-page-for-binary",
    // Debian's rpmlint configuration has no list of valid licenses: every
    // license, "MIT" too, is invalid-license there.
    "invalid-license",
};

namespace {

bool allowed(const std::string& line, std::span<const char* const> tags) {
  for (const char* t : tags)
    if (line.find(t) != std::string::npos) return true;
  return false;
}

// A tree as `meson install --destdir` leaves it, for --prefix /.
void realistic_tree(const std::string& root, const std::string& tree) {
  put(join(root, "libhello.c"), "#include <stdio.h>\nvoid hello_say(const char* w) { printf(\"hello, %s\\n\", w); }\n");
  put(join(root, "hello.c"), "void hello_say(const char*);\nint main(void) { hello_say(\"world\"); return 0; }\n");
  const std::string lib = join(tree, "usr/lib/x86_64-linux-gnu");
  BOOST_REQUIRE(sys::create_directories(lib).has_value());
  BOOST_REQUIRE(sys::create_directories(join(tree, "usr/bin")).has_value());
  BOOST_REQUIRE(sys::create_directories(join(tree, "usr/share/man/man1")).has_value());
  BOOST_REQUIRE(sys::create_directories(join(tree, "usr/share/doc/hello")).has_value());
  BOOST_REQUIRE(sys::create_directories(join(tree, "usr/share/hello/empty")).has_value());
  BOOST_REQUIRE(sys::create_directories(join(tree, "etc/hello")).has_value());
  const std::string flags = "-O2 -g0 -fstack-protector-strong -D_FORTIFY_SOURCE=2 -Wl,-z,relro,-z,now ";
  BOOST_REQUIRE(vitte_test::run_status("cc " + flags + "-fPIC -shared -Wl,-soname,libhello.so.1 -o " +
                                       quote(join(lib, "libhello.so.1.0.0")) + " " + quote(join(root, "libhello.c"))) ==
                0);
  BOOST_REQUIRE(sys::create_symlink("libhello.so.1.0.0", join(lib, "libhello.so.1")).has_value());
  BOOST_REQUIRE(vitte_test::run_status("cc " + flags + "-fPIE -pie -o " + quote(join(tree, "usr/bin/hello")) + " " +
                                       quote(join(root, "hello.c")) + " " + quote(join(lib, "libhello.so.1.0.0"))) ==
                0);
  BOOST_REQUIRE(vitte_test::run_status("strip --remove-section=.comment --remove-section=.note " +
                                       quote(join(tree, "usr/bin/hello")) + " " +
                                       quote(join(lib, "libhello.so.1.0.0")) + " && chmod 0644 " +
                                       quote(join(lib, "libhello.so.1.0.0"))) == 0);
  BOOST_REQUIRE(sys::create_symlink("hello", join(tree, "usr/bin/hi")).has_value());
  put(join(root, "hello.1"), ".TH HELLO 1\n.SH NAME\nhello \\- says hello\n.SH SYNOPSIS\n.B hello\n");
  BOOST_REQUIRE(vitte_test::run_status("gzip -9n < " + quote(join(root, "hello.1")) + " > " +
                                       quote(join(tree, "usr/share/man/man1/hello.1.gz"))) == 0);
  put(join(root, "hi.1"), ".so man1/hello.1\n");
  BOOST_REQUIRE(sys::create_symlink("hello.1.gz", join(tree, "usr/share/man/man1/hi.1.gz")).has_value());
  put(join(tree, "usr/share/doc/hello/copyright"), "Copyright 2026 Ann Example <ann@example.org>\nLicense: MIT\n");
  put(join(tree, "etc/hello/hello.conf"), "greeting = hello\n");
}

}  // namespace

BOOST_AUTO_TEST_CASE(lintian_and_rpmlint_find_nothing_the_writer_caused) {
  if (!vitte_test::have("cc") || !vitte_test::have("gzip") || !vitte_test::have("strip")) {
    BOOST_TEST_MESSAGE("skipped: no cc, gzip or strip to make the tree with");
    return;
  }
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string root(t.path());
  const std::string tree = join(root, "stage");
  realistic_tree(root, tree);
  release::package_options o = hello(release::package_format::deb);
  o.prefix = "/";
  o.version = "1.2.0-1";
  o.license = "MIT";
  o.url = "https://example.org/hello";
  o.description =
      "Friendly greeting program\nhello prints a greeting, using the libhello library it ships.\n\n"
      "It is the package the vitte tests lint.";
  if (!vitte_test::have("lintian")) {
    BOOST_TEST_MESSAGE("skipped lintian: not installed (Debian lintian)");
  } else if (!sys::exists("/var/lib/dpkg/info").value_or(false)) {
    BOOST_TEST_MESSAGE("skipped lintian: no dpkg database for the library dependencies");
  } else {
    const std::string deb = join(root, "hello_1.2.0-1_amd64.deb");
    write_package(tree, deb, o);
    const std::string lint = vitte_test::run("lintian --no-cfg --fail-on none " + quote(deb) + " 2>&1");
    BOOST_TEST_MESSAGE("lintian:\n" << lint);
    std::size_t at = 0;
    for (std::size_t nl; (nl = lint.find('\n', at)) != std::string::npos; at = nl + 1) {
      const std::string line = lint.substr(at, nl - at);
      if (line.rfind("E: ", 0) != 0 && line.rfind("W: ", 0) != 0) continue;
      BOOST_TEST(allowed(line, lintian_allowed), line);
    }
  }
  if (!vitte_test::have("rpmlint")) {
    BOOST_TEST_MESSAGE("skipped rpmlint: not installed (Debian rpmlint)");
    return;
  }
  o.format = release::package_format::rpm;
  o.version = "1.2.0";
  const std::string rpm = join(root, "hello-1.2.0-1.x86_64.rpm");
  write_package(tree, rpm, o);
  const std::string lint = vitte_test::run("cd " + quote(root) + " && rpmlint " + quote(rpm) + " 2>&1");
  BOOST_TEST_MESSAGE("rpmlint:\n" << lint);
  std::size_t at = 0;
  for (std::size_t nl; (nl = lint.find('\n', at)) != std::string::npos; at = nl + 1) {
    const std::string line = lint.substr(at, nl - at);
    if (line.find(": E: ") == std::string::npos && line.find(": W: ") == std::string::npos) continue;
    BOOST_TEST(allowed(line, rpmlint_allowed), line);
  }
}

BOOST_AUTO_TEST_SUITE_END()
