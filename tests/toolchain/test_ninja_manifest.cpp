// build.ninja read as ninja 1.11 reads it: the language's corners (escapes,
// scopes, late expansion, include and subninja, pools, phony), each error in
// ninja's words at its line and column, hostile manifests refused by their
// limits, and real manifests written by Meson and CMake whose every command
// equals the one ninja itself expands (`ninja -t compdb`), when those tools
// are installed.
#include <vitte/sys/fs.hpp>
#include <vitte/sys/path.hpp>
#include <vitte/sys/process.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/whole_file.hpp>
#include <vitte/toolchain/ninja_manifest.hpp>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

namespace sys = vitte::sys;
namespace toolchain = vitte::toolchain;
using vitte::text_view;

namespace {

/// Files for include and subninja, by name.
struct file_map {
  std::map<std::string, std::string> files;
  static vitte::result<vitte::text> read(text_view path, void* context, vitte::diagnostic* why) {
    const auto& m = static_cast<file_map*>(context)->files;
    const auto it = m.find(std::string(path));
    if (it == m.end()) {
      if (why != nullptr) why->of(vitte::errc::not_found).about(path).say("No such file or directory");
      return vitte::errc::not_found;
    }
    return vitte::text(it->second);
  }
  toolchain::ninja_files reader() { return {&file_map::read, this}; }
};

toolchain::ninja_manifest parse(const std::string& source, file_map* files = nullptr) {
  vitte::diagnostic why;
  auto m = toolchain::parse_ninja_manifest(source, "build.ninja",
                                           files != nullptr ? files->reader() : toolchain::ninja_files{}, {}, &why);
  BOOST_REQUIRE_MESSAGE(m.has_value(), why.format().c_str());
  return static_cast<toolchain::ninja_manifest&&>(*m);
}

/// The one line a manifest is refused with.
std::string refusal(const std::string& source, file_map* files = nullptr, toolchain::ninja_limits limits = {},
                    vitte::errc kind = vitte::errc::malformed) {
  vitte::diagnostic why;
  auto m = toolchain::parse_ninja_manifest(source, "build.ninja",
                                           files != nullptr ? files->reader() : toolchain::ninja_files{}, limits, &why);
  BOOST_TEST(!m.has_value());
  if (m) return {};
  BOOST_TEST((m.error() == kind));
  BOOST_TEST((why.kind() == kind));
  return std::string(why.format().c_str());
}

std::string s(const vitte::text& t) { return std::string(t.view()); }

std::vector<std::string> list(const vitte::buffer<vitte::text>& b) {
  std::vector<std::string> out;
  for (const vitte::text& t : b) out.push_back(s(t));
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ninja_manifest)

BOOST_AUTO_TEST_CASE(rules_steps_and_the_paths_of_each_kind) {
  const auto m = parse(
      "cflags = -O2\n"
      "rule cc\n"
      "  command = cc $cflags -c $in -o $out\n"
      "  description = CC $out\n"
      "  depfile = $out.d\n"
      "  deps = gcc\n"
      "build a.o | a.o.extra: cc src/./a.c | gen.h || stamp |@ check\n"
      "build all: phony a.o\n"
      "default all\n");
  BOOST_REQUIRE(m.steps.size() == 2u);
  const toolchain::ninja_step& a = m.steps[0];
  BOOST_TEST(s(a.rule) == "cc");
  BOOST_TEST(list(a.outputs) == (std::vector<std::string>{"a.o", "a.o.extra"}));
  BOOST_TEST(a.implicit_outputs == 1u);
  BOOST_TEST(list(a.inputs) == (std::vector<std::string>{"src/a.c", "gen.h", "stamp"}));
  BOOST_TEST(a.explicit_inputs() == 1u);
  BOOST_TEST(a.implicit_inputs == 1u);
  BOOST_TEST(a.order_only_inputs == 1u);
  BOOST_TEST(list(a.validations) == (std::vector<std::string>{"check"}));
  BOOST_TEST(s(a.command) == "cc -O2 -c src/a.c -o a.o");
  BOOST_TEST(s(a.description) == "CC a.o");
  BOOST_TEST(s(a.depfile) == "a.o.d");
  BOOST_TEST(s(a.deps) == "gcc");
  BOOST_TEST(a.line == 7u);
  BOOST_TEST(s(m.steps[1].rule) == "phony");
  BOOST_TEST(m.steps[1].command.empty());
  BOOST_TEST(list(m.defaults) == (std::vector<std::string>{"all"}));
}

BOOST_AUTO_TEST_CASE(escapes_continuations_and_comments) {
  const auto m = parse(
      "# a comment\n"
      "   # an indented comment\n"
      "rule r\n"
      "  # a comment among the bindings\n"
      "  command = echo $$HOME a$ b $:x ${in} $\n"
      "      continued\r\n"
      "build out$ file: r in$:put $\n"
      "    second\n");
  BOOST_REQUIRE(m.steps.size() == 1u);
  BOOST_TEST(list(m.steps[0].outputs) == (std::vector<std::string>{"out file"}));
  BOOST_TEST(list(m.steps[0].inputs) == (std::vector<std::string>{"in:put", "second"}));
  // $in is shell-quoted where a path needs it, a quote inside as '\''.
  BOOST_TEST(s(m.steps[0].command) == "echo $HOME a b :x 'in:put' second continued");
  const auto q = parse("rule r\n  command = x $in > $out\nbuild o$ 1: r it's a.c\n");
  BOOST_TEST(s(q.steps[0].command) == "x 'it'\\''s' a.c > 'o 1'");
}

BOOST_AUTO_TEST_CASE(scopes_as_ninja_has_them) {
  // A step's bindings are expanded where it is read; its rule's variables
  // when the manifest is complete, so the later file value wins (ninja).
  const auto m = parse(
      "flags = -O0\n"
      "rule cc\n"
      "  command = cc $flags $extra $in\n"
      "build a.o: cc a.c\n"
      "build b.o: cc b.c\n"
      "  extra = [$flags]\n"
      "  flags = -g\n"
      "flags = -O2\n");
  BOOST_TEST(s(m.steps[0].command) == "cc -O2  a.c");
  BOOST_TEST(s(m.steps[1].command) == "cc -g [-O0] b.c");
  // subninja: a child scope (its rules and variables stay inside);
  // include: the same scope.
  file_map files;
  files.files["sub.ninja"] =
      "v = sub\n"
      "rule local\n"
      "  command = local $v $top\n"
      "build s.o: local s.c\n";
  files.files["inc.ninja"] = "w = included\n";
  const auto n = parse(
      "top = T\n"
      "v = parent\n"
      "subninja sub.ninja\n"
      "include inc.ninja\n"
      "rule r\n"
      "  command = r $v $w\n"
      "build p.o: r p.c\n",
      &files);
  BOOST_REQUIRE(n.steps.size() == 2u);
  BOOST_TEST(s(n.steps[0].command) == "local sub T");
  BOOST_TEST(s(n.steps[0].file) == "sub.ninja");
  BOOST_TEST(s(n.steps[1].command) == "r parent included");
  BOOST_TEST(refusal("subninja sub.ninja\nbuild q: local q.c\n", &files) ==
             "build.ninja:2:10: unknown build rule 'local'");
}

BOOST_AUTO_TEST_CASE(pools_rsp_files_and_flags) {
  const auto m = parse(
      "pool link\n"
      "  depth = 2\n"
      "rule ld\n"
      "  command = ld @$out.rsp\n"
      "  rspfile = $out.rsp\n"
      "  rspfile_content = $in_newline\n"
      "  pool = link\n"
      "  restat = 1\n"
      "rule gen\n"
      "  command = regen\n"
      "  generator = 1\n"
      "  pool = console\n"
      "build my$ app: ld a.o b.o\n"
      "build build.ninja: gen\n"
      "builddir = out\n");
  BOOST_REQUIRE(m.pools.size() == 1u);
  BOOST_TEST(s(m.pools[0].name) == "link");
  BOOST_TEST(m.pools[0].depth == 2u);
  BOOST_TEST(s(m.steps[0].pool) == "link");
  BOOST_TEST(s(m.steps[0].rspfile) == "my app.rsp");  // not quoted: a file name
  BOOST_TEST(s(m.steps[0].rspfile_content) == "a.o\nb.o");
  BOOST_TEST(s(m.steps[0].command) == "ld @'my app'.rsp");
  BOOST_TEST(m.steps[0].restat);
  BOOST_TEST(!m.steps[0].generator);
  BOOST_TEST(s(m.steps[1].pool) == "console");
  BOOST_TEST(m.steps[1].generator);
  BOOST_TEST(s(m.builddir) == "out");
}

BOOST_AUTO_TEST_CASE(pool_depth_read_as_ninja_reads_it) {
  // atol: the leading digits, blanks before them, nothing (0) is no limit.
  const std::pair<const char*, std::uint32_t> cases[] = {
      {"2x", 2u}, {" 3", 3u}, {"+4", 4u}, {"x", 0u}, {"", 0u}, {"1.5", 1u}, {"99999999999", 0x7fffffffu}};
  for (const auto& [value, depth] : cases) {
    const toolchain::ninja_manifest m = parse(std::string("pool p\n  depth = ") + value + "\n");
    BOOST_REQUIRE(m.pools.size() == 1u);
    BOOST_TEST(m.pools[0].depth == depth, value);
  }
}

BOOST_AUTO_TEST_CASE(paths_are_canonical_as_ninja_makes_them) {
  const std::pair<const char*, const char*> cases[] = {
      {"a/./b", "a/b"}, {"./a", "a"},          {"a//b", "a/b"},         {"a/b/../c", "a/c"},
      {"../a", "../a"}, {"a/../../b", "../b"}, {"/a/../b", "/b"},       {"a/", "a"},
      {".", "."},       {"a/..", "."},         {"../../x/..", "../.."}, {"/..", "/.."},
  };
  for (const auto& [in, want] : cases) BOOST_TEST(s(toolchain::ninja_canonical_path(in)) == want, in);
  const auto m = parse("rule r\n  command = x\nbuild ./out/../o: r ./in//x\ndefault o\n");
  BOOST_TEST(list(m.steps[0].outputs) == (std::vector<std::string>{"o"}));
  BOOST_TEST(list(m.steps[0].inputs) == (std::vector<std::string>{"in/x"}));
}

BOOST_AUTO_TEST_CASE(a_phony_step_naming_itself_loses_that_input_with_a_warning) {
  const auto m = parse("build a: phony a b\n");
  BOOST_TEST(list(m.steps[0].inputs) == (std::vector<std::string>{"b"}));
  BOOST_TEST(m.steps[0].explicit_inputs() == 1u);
  BOOST_REQUIRE(m.warnings.size() == 1u);
  BOOST_TEST(m.warnings.contains("phony target 'a' names itself as an input"));
}

BOOST_AUTO_TEST_CASE(each_error_in_ninjas_words_at_its_place) {
  BOOST_TEST(refusal("rule cc\n  command = cc\nbuild a.o: cxx a.c\n") == "build.ninja:3:12: unknown build rule 'cxx'");
  BOOST_TEST(refusal("rule cc\n  command = x\nbuild a: cc\nbuild a: cc\n") ==
             "build.ninja:4:7: multiple rules generate a");
  BOOST_TEST(refusal("rule cc\n  description = x\n") == "build.ninja:1:1: expected 'command =' line");
  BOOST_TEST(refusal("rule cc\n  command = x\n  foo = y\n") == "build.ninja:3:9: unexpected variable 'foo'");
  BOOST_TEST(refusal("rule cc\n  command = x\n  rspfile = r\n") ==
             "build.ninja:1:1: rspfile and rspfile_content need to be both specified");
  BOOST_TEST(refusal("x = $%\n") == "build.ninja:1:5: bad $-escape (literal $ must be written as $$)");
  BOOST_TEST(refusal("x = ${a b}\n") == "build.ninja:1:5: bad $-escape (literal $ must be written as $$)");
  BOOST_TEST(refusal("\tx = 1\n") == "build.ninja:1:1: tabs are not allowed, use spaces");
  BOOST_TEST(refusal("  x = 1\n") == "build.ninja:1:1: unexpected indent");
  BOOST_TEST(refusal("x 1\n") == "build.ninja:1:3: expected '=', got identifier");
  BOOST_TEST(refusal("rule r\n  command = x\nbuild a b\n") ==
             "build.ninja:3:10: expected ':', got newline ($ also escapes ':')");
  BOOST_TEST(refusal("build : phony\n") == "build.ninja:1:7: expected path");
  BOOST_TEST(refusal("default nothing\n") == "build.ninja:1:9: unknown target 'nothing'");
  BOOST_TEST(refusal("pool p\n  depth = -1\n") == "build.ninja:2:11: invalid pool depth");
  BOOST_TEST(refusal("pool p\n") == "build.ninja:1:1: expected 'depth =' line");
  BOOST_TEST(refusal("pool p\n  depth = -2x\n") == "build.ninja:2:11: invalid pool depth");
  BOOST_TEST(refusal("pool console\n  depth = 1\n") == "build.ninja:1:13: duplicate pool 'console'");
  BOOST_TEST(refusal("rule r\n  command = x\n  pool = nope\nbuild a: r\n") ==
             "build.ninja:4:1: unknown pool name 'nope'");
  BOOST_TEST(refusal("rule r\n  command = x\n  dyndep = d\nbuild a: r b\n") ==
             "build.ninja:4:1: dyndep 'd' is not an input");
  // Ninja takes a dyndep among the inputs only, on phony steps too.
  BOOST_TEST(refusal("rule r\n  command = x\nbuild a: r b\n  dyndep = a\n") ==
             "build.ninja:3:1: dyndep 'a' is not an input");
  BOOST_TEST(refusal("build a: phony b\n  dyndep = d\n") == "build.ninja:1:1: dyndep 'd' is not an input");
  BOOST_TEST(
      refusal("ninja_required_version = 1.12\n") ==
      "build.ninja:1:26: ninja version (1.11.1) incompatible with build file ninja_required_version version (1.12)");
  BOOST_TEST(refusal("x = unfinished") == "build.ninja:1:15: unexpected EOF");
  // What the file system said, in vitte's words with the OS's.
  const std::string missing = refusal("include nowhere.ninja\n");
  BOOST_TEST(missing.find("build.ninja:1:9: loading 'nowhere.ninja': ") == 0u);
  BOOST_TEST(missing.find("not found") != std::string::npos, missing);  // the OS's words follow, in its language
  // A rule variable that expands itself, found when the steps are expanded.
  BOOST_TEST(refusal("rule r\n  command = $command x\nbuild a: r\n") ==
             "build.ninja:3: cycle in rule variables: command -> command");
  // Errors in an included file name that file and its line.
  file_map files;
  files.files["bad.ninja"] = "\n\nbuild x: nope\n";
  BOOST_TEST(refusal("include bad.ninja\n", &files) == "bad.ninja:3:10: unknown build rule 'nope'");
}

namespace {

/// Steps by output, as a build's graph answers the dyndep parser: `out`
/// and `out2` are made by step 0, `other` by step 1.
std::int64_t test_step_of(text_view path, void*) {
  if (path == "out" || path == "out2") return 0;
  return path == "other" ? 1 : -1;
}

toolchain::ninja_dyndep_file dyndep(const std::string& source) {
  vitte::diagnostic why;
  auto f = toolchain::parse_ninja_dyndep(source, "dd", {&test_step_of, nullptr}, &why);
  BOOST_REQUIRE_MESSAGE(f.has_value(), why.format().c_str());
  return static_cast<toolchain::ninja_dyndep_file&&>(*f);
}

std::string dyndep_refusal(const std::string& source) {
  vitte::diagnostic why;
  auto f = toolchain::parse_ninja_dyndep(source, "dd", {&test_step_of, nullptr}, &why);
  BOOST_TEST(!f.has_value());
  if (f) return {};
  BOOST_TEST((why.kind() == vitte::errc::malformed));
  return std::string(why.format().c_str());
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_dyndep_file_as_ninja_reads_it) {
  const auto f = dyndep(
      "# made by a scanner\nninja_dyndep_version = 1.0\n\n"
      "build ./out | a.mod x//b.mod: dyndep | in$ 1.mod ${unset}c.mod$\n   d.mod\n"
      "  restat = 1\n"
      "build other: dyndep\r\n  restat =\n");
  BOOST_REQUIRE(f.statements.size() == 2u);
  BOOST_TEST(s(f.statements[0].output) == "out");
  BOOST_TEST(list(f.statements[0].implicit_outputs) == (std::vector<std::string>{"a.mod", "x/b.mod"}));
  BOOST_TEST(list(f.statements[0].implicit_inputs) == (std::vector<std::string>{"in 1.mod", "c.modd.mod"}));
  BOOST_TEST(f.statements[0].restat);
  BOOST_TEST(s(f.statements[1].output) == "other");
  BOOST_TEST(f.statements[1].implicit_inputs.empty());
  BOOST_TEST(!f.statements[1].restat);  // an empty value
  // The version as ninja's ParseVersion reads it: atoi before and after the first dot.
  for (const char* v : {"1", "1.0", "1.0.7", "01.00", "1x", "1.", " +1"})
    BOOST_TEST(dyndep(std::string("ninja_dyndep_version = ") + v + "\n").statements.empty(), v);
  // Without a graph to ask, any output is taken, each once.
  vitte::diagnostic why;
  auto loose =
      toolchain::parse_ninja_dyndep("ninja_dyndep_version = 1\nbuild z: dyndep\nbuild z: dyndep\n", "dd", {}, &why);
  BOOST_TEST(!loose.has_value());
  BOOST_TEST(std::string(why.format().c_str()) == "dd:3:7: multiple statements for 'z'");
}

BOOST_AUTO_TEST_CASE(each_dyndep_error_in_ninjas_words_at_its_place) {
  const std::string v = "ninja_dyndep_version = 1\n";
  BOOST_TEST(dyndep_refusal("") == "dd:1:1: expected 'ninja_dyndep_version = ...'");
  BOOST_TEST(dyndep_refusal("build out: dyndep\n") == "dd:1:1: expected 'ninja_dyndep_version = ...'");
  BOOST_TEST(dyndep_refusal("x = 1\n") == "dd:1:5: expected 'ninja_dyndep_version = ...'");
  BOOST_TEST(dyndep_refusal("ninja_dyndep_version = 1.1\n") == "dd:1:24: unsupported 'ninja_dyndep_version = 1.1'");
  BOOST_TEST(dyndep_refusal("ninja_dyndep_version = 2\n") == "dd:1:24: unsupported 'ninja_dyndep_version = 2'");
  BOOST_TEST(dyndep_refusal("ninja_dyndep_version = 18446744073709551617\n") ==
             "dd:1:24: unsupported 'ninja_dyndep_version = 18446744073709551617'");
  BOOST_TEST(dyndep_refusal(v + v) == "dd:2:1: unexpected identifier");
  BOOST_TEST(dyndep_refusal(v + "rule r\n") == "dd:2:1: unexpected 'rule'");
  BOOST_TEST(dyndep_refusal(v + "  restat = 1\n") == "dd:2:1: unexpected indent");
  BOOST_TEST(dyndep_refusal(v + "build\n") == "dd:2:6: expected path");
  BOOST_TEST(dyndep_refusal(v + "build $\n") == "dd:3:1: unexpected EOF");  // `$\n` continues the line
  BOOST_TEST(dyndep_refusal(v + "build $%\n") == "dd:2:7: bad $-escape (literal $ must be written as $$)");
  BOOST_TEST(dyndep_refusal(v + "build ${x}: dyndep\n") == "dd:2:7: empty path");
  BOOST_TEST(dyndep_refusal(v + "build nothere: dyndep\n") == "dd:2:7: no build statement exists for 'nothere'");
  BOOST_TEST(dyndep_refusal(v + "build out: dyndep\nbuild out2: dyndep\n") == "dd:3:7: multiple statements for 'out2'");
  BOOST_TEST(dyndep_refusal(v + "build out more: dyndep\n") == "dd:2:11: explicit outputs not supported");
  BOOST_TEST(dyndep_refusal(v + "build out | x\n") == "dd:2:14: expected ':', got newline ($ also escapes ':')");
  BOOST_TEST(dyndep_refusal(v + "build out: cc\n") == "dd:2:12: expected build command name 'dyndep'");
  BOOST_TEST(dyndep_refusal(v + "build out: dyndep in\n") == "dd:2:19: explicit inputs not supported");
  BOOST_TEST(dyndep_refusal(v + "build out: dyndep | a || b\n") == "dd:2:23: order-only inputs not supported");
  BOOST_TEST(dyndep_refusal(v + "build out: dyndep |@ b\n") == "dd:2:19: expected newline, got '|@'");
  BOOST_TEST(dyndep_refusal(v + "build out: dyndep\n  pool = p\n") == "dd:3:10: binding is not 'restat'");
  BOOST_TEST(dyndep_refusal(v + "build out: dyndep\n  restat = 1\n  restat = 1\n") == "dd:4:1: unexpected indent");
  BOOST_TEST(dyndep_refusal(v + "build out: dyndep | $x\n") == "dd:3:1: empty path");
  BOOST_TEST(dyndep_refusal(v + "build out | $x: dyndep\n  restat = 1\n") == "dd:3:12: empty path");
  BOOST_TEST(dyndep_refusal(v + "\tbuild out: dyndep\n") == "dd:2:1: tabs are not allowed, use spaces");
}

BOOST_AUTO_TEST_CASE(hostile_manifests_stop_at_their_limits) {
  // Doubling a variable 40 times would want a terabyte.
  std::string doubling = "v0 = xxxxxxxxxxxxxxxx\n";
  for (int i = 1; i <= 40; ++i)
    doubling += "v" + std::to_string(i) + " = $v" + std::to_string(i - 1) + "$v" + std::to_string(i - 1) + "\n";
  toolchain::ninja_limits small;
  small.value_bytes = 1 << 20;
  small.expanded_bytes = 8 << 20;
  BOOST_TEST(refusal(doubling, nullptr, small, vitte::errc::limit_exceeded).find("more than the limit") !=
             std::string::npos);
  BOOST_TEST(refusal(doubling, nullptr, {}, vitte::errc::limit_exceeded).find("more than the limit") !=
             std::string::npos);
  // A file that includes itself.
  file_map files;
  files.files["self.ninja"] = "include self.ninja\n";
  BOOST_TEST(
      refusal("include self.ninja\n", &files, {}, vitte::errc::limit_exceeded).find("nested deeper than the limit") !=
      std::string::npos);
  // Rule variables nested deeper than the limit.
  std::string deep =
      "rule r\n  command = $description\n  description = $depfile\n  depfile = $rspfile\n"
      "  rspfile = $rspfile_content\n  rspfile_content = $msvc_deps_prefix\n  msvc_deps_prefix = x\n"
      "build a: r\n";
  toolchain::ninja_limits shallow;
  shallow.variable_depth = 3;
  BOOST_TEST(refusal(deep, nullptr, shallow, vitte::errc::limit_exceeded).find("deeper than the limit") !=
             std::string::npos);
  toolchain::ninja_limits few;
  few.steps = 2;
  BOOST_TEST(refusal("rule r\n  command = x\nbuild a: r\nbuild b: r\nbuild c: r\n", nullptr, few,
                     vitte::errc::limit_exceeded) == "build.ninja:5:1: more build statements than the limit");
}

BOOST_AUTO_TEST_CASE(a_manifest_file_names_itself_and_what_it_includes) {
  auto dir = sys::temp_directory::create().value();
  const vitte::text main = sys::path_join(dir.path(), "build.ninja");
  sys::write_file(main, "rule r\n  command = touch $out\nbuild x: r\nbuild y: nope\n").value();
  vitte::diagnostic why;
  auto m = toolchain::read_ninja_manifest(main, {}, &why);
  BOOST_REQUIRE(!m.has_value());
  BOOST_TEST(std::string(why.format().c_str()) == std::string(main.view()) + ":4:10: unknown build rule 'nope'");
  auto missing = toolchain::read_ninja_manifest(sys::path_join(dir.path(), "none.ninja"), {}, &why);
  BOOST_REQUIRE(!missing.has_value());
  BOOST_TEST((missing.error() == vitte::errc::not_found));
  BOOST_TEST(std::string(why.subject()).find("none.ninja") != std::string::npos);
}

#if VITTE_OS_POSIX
namespace {

/// Every step's command as `ninja -t compdb` expands it in `dir`, compared
/// with ours, output by output (the compilation database names each
/// step's first output; it lists the steps that have inputs).
void same_commands_as_ninja(const vitte::text& dir) {
  const auto ninja = sys::find_program("ninja");
  if (!ninja) return;
  auto out = sys::command(*ninja).args({"-t", "compdb"}).cwd(dir).output().value();
  BOOST_REQUIRE(out.status.success());
  // The database as written by ninja: "command" then "file" then
  // "output" per entry, one per line. A small reader for this shape.
  const std::string all(out.out.view());
  std::map<std::string, std::string> theirs;
  const auto field = [&](std::size_t from, const std::string& key, std::size_t& end) {
    const std::size_t k = all.find("\"" + key + "\": \"", from);
    if (k == std::string::npos) return std::string();
    std::string v;
    std::size_t i = k + key.size() + 5;
    for (; i < all.size() && all[i] != '"'; ++i) {
      if (all[i] == '\\' && i + 1 < all.size()) ++i;
      v.push_back(all[i]);
    }
    end = i;
    return v;
  };
  for (std::size_t at = all.find('{'); at != std::string::npos; at = all.find('{', at + 1)) {
    std::size_t end = at;
    const std::string command = field(at, "command", end);
    const std::string output = field(end, "output", end);
    if (!command.empty()) theirs[output] = command;
    at = end;
  }
  BOOST_REQUIRE(!theirs.empty());
  // include and subninja resolve against the build directory, where ninja runs.
  struct in_dir {
    vitte::text dir;
    static vitte::result<vitte::text> read(text_view path, void* context, vitte::diagnostic* why) {
      return sys::read_file_string(sys::path_join(static_cast<in_dir*>(context)->dir, path), why);
    }
  } base{dir};
  const vitte::text main = sys::path_join(dir, "build.ninja");
  vitte::diagnostic why;
  auto m = toolchain::parse_ninja_manifest(sys::read_file_string(main).value(), main, {&in_dir::read, &base}, {}, &why);
  BOOST_REQUIRE_MESSAGE(m.has_value(), why.format().c_str());
  std::size_t compared = 0;
  for (const toolchain::ninja_step& st : m->steps) {
    if (st.rule == "phony" || st.inputs.empty()) continue;  // compdb lists steps with inputs
    const auto it = theirs.find(s(st.outputs[0]));
    BOOST_REQUIRE_MESSAGE(it != theirs.end(), s(st.outputs[0]));
    BOOST_TEST(s(st.command) == it->second, s(st.outputs[0]));
    ++compared;
  }
  BOOST_TEST(compared == theirs.size());
}

bool run_in(const vitte::text& dir, text_view program, std::initializer_list<text_view> args) {
  const auto path = sys::find_program(program);
  if (!path) return false;
  auto out = sys::command(*path).args(args).cwd(dir).output();
  return out && out->status.success();
}

}  // namespace

BOOST_AUTO_TEST_CASE(what_meson_and_cmake_write_expands_as_ninja_expands_it) {
  auto dir = sys::temp_directory::create().value();
  const vitte::text src = sys::path_join(dir.path(), "src");
  BOOST_REQUIRE(sys::create_directory(src));
  sys::write_file(sys::path_join(src, "lib.c"), "int twice(int x) { return 2 * x; }\n").value();
  sys::write_file(sys::path_join(src, "main.c"),
                  "#include <stdio.h>\nint twice(int);\nint main(void) { printf(\"%d\\n\", twice(21)); return 0; }\n")
      .value();
  sys::write_file(sys::path_join(src, "it's here.c"), "int here(void) { return 1; }\n").value();
  sys::write_file(
      sys::path_join(src, "meson.build"),
      "project('p', 'c')\n"
      "lib = shared_library('twice', 'lib.c', c_args: ['-DNAME=\"a b\"'])\n"
      "st = static_library('here', 'it\\'s here.c')\n"
      "exe = executable('main', 'main.c', link_with: [lib, st])\n"
      "custom_target('gen', output: 'gen.h', command: ['sh', '-c', 'echo \"#define X 1\" > $1', '_', '@OUTPUT@'])\n"
      "test('t', exe)\n")
      .value();
  sys::write_file(sys::path_join(src, "CMakeLists.txt"),
                  "cmake_minimum_required(VERSION 3.13)\nproject(p C)\n"
                  "add_library(twice SHARED lib.c)\nadd_library(twice_static STATIC lib.c)\n"
                  "target_compile_definitions(twice PRIVATE \"NAME=\\\"a b\\\"\")\n"
                  "add_executable(main main.c)\ntarget_link_libraries(main twice)\n")
      .value();
  const vitte::text meson_build = sys::path_join(dir.path(), "meson-build");
  if (run_in(dir.path(), "meson", {"setup", "meson-build", "src"})) {
    same_commands_as_ninja(meson_build);
  } else {
    BOOST_TEST_MESSAGE("meson is not installed: its build.ninja is not compared");
  }
  const vitte::text cmake_build = sys::path_join(dir.path(), "cmake-build");
  if (run_in(dir.path(), "cmake", {"-G", "Ninja", "-S", "src", "-B", "cmake-build"})) {
    same_commands_as_ninja(cmake_build);
  } else {
    BOOST_TEST_MESSAGE("cmake is not installed: its build.ninja is not compared");
  }
}
#endif

BOOST_AUTO_TEST_SUITE_END()
