// A build.ninja run as ninja runs it: what is dirty and what is not (inputs,
// commands, order-only inputs, phony steps, restat, header dependencies),
// pools, failures and -k, refusals by name; and ninja itself, when it is
// installed, agreeing afterwards that there is nothing to do (the same
// .ninja_log and .ninja_deps), on small manifests and on what CMake and
// Meson write for a real C project, whose objects and program come out
// byte-identical to ninja's.
#include <vitte/cache/cache.hpp>
#include <vitte/sys/fs.hpp>
#include <vitte/sys/metadata.hpp>
#include <vitte/sys/path.hpp>
#include <vitte/sys/path_ops.hpp>  // canonical
#include <vitte/sys/process.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/thread.hpp>
#include <vitte/sys/whole_file.hpp>
#include <vitte/toolchain/build_trace.hpp>  // ninja_command_hash
#include <vitte/toolchain/detail/cacheable_compile.hpp>
#include <vitte/toolchain/ninja_build.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "support/distccd.hpp"  // VITTE_TEST_DISTCCD on Linux hosts

#if VITTE_OS_POSIX
#include <sys/stat.h>  // mkfifo: a damaged cache entry
#include <unistd.h>    // pipe, read, write: a jobserver's pipe
#endif

namespace sys = vitte::sys;
namespace toolchain = vitte::toolchain;
using vitte::text;
using vitte::text_view;

#if VITTE_OS_POSIX
namespace {

/// What the build said, step by step.
struct recorder final : toolchain::ninja_status {
  std::vector<std::string> started_steps;
  std::vector<std::string> failed_steps;
  std::vector<std::uint32_t> finished_totals;
  std::string output;
  std::uint32_t most_running = 0;
  toolchain::ninja_build_report report;
  void started(const toolchain::ninja_step& s, const toolchain::ninja_progress& p) override {
    started_steps.emplace_back(s.outputs[0].view());
    most_running = p.running > most_running ? p.running : most_running;
  }
  void finished(const toolchain::ninja_step& s, bool ok, text_view out, const toolchain::ninja_progress& p) override {
    finished_totals.push_back(p.total);
    if (!ok) failed_steps.emplace_back(s.outputs[0].view());
    output.append(out.data(), out.size());
  }
};

/// A build directory with a manifest in it.
struct project {
  sys::temp_directory dir = sys::temp_directory::create().value();
  text path(text_view name) const { return sys::path_join(dir.path(), name); }
  void write(text_view name, text_view body) const {
    const text p = path(name);
    const text_view parent = sys::parent_path(p);
    BOOST_REQUIRE(sys::create_directories(parent));
    BOOST_REQUIRE(sys::write_file(p, body));
  }
  std::string read(text_view name) const { return std::string(sys::read_file_string(path(name)).value().view()); }
  bool exists(text_view name) const { return sys::stat(path(name)).has_value(); }
  /// Makes `name` newer than everything written before (a later mtime).
  void touch(text_view name) const {
    (void)sys::sleep_for(std::chrono::milliseconds(20));
    const std::string body = read(name);
    write(name, body);
  }

  /// Builds `targets` (none: the defaults) and returns what was said.
  recorder build(std::vector<std::string> targets = {}, toolchain::ninja_build_options o = {},
                 bool expect_ok = true) const {
    vitte::diagnostic why;
    auto m = toolchain::read_ninja_manifest(path("build.ninja"), {}, &why);
    BOOST_REQUIRE_MESSAGE(m.has_value(), why.format().c_str());
    o.directory = dir.path();
    vitte::buffer<text> t;
    for (const std::string& x : targets) t.push_back(text(x));
    recorder r;
    auto rep = toolchain::run_ninja_build(*m, t.span(), o, r, &why);
    BOOST_REQUIRE_MESSAGE(rep.has_value(), why.format().c_str());
    BOOST_TEST(rep->ok() == expect_ok, r.output);
    r.report = *rep;
    return r;
  }

  /// What ninja says it would do (empty when ninja is not installed).
  std::string ninja_dry_run() const {
    const auto ninja = sys::find_program("ninja");
    if (!ninja) return {};
    auto out = sys::command(*ninja).args({"-n", "-C", text_view(dir.path())}).output().value();
    return std::string(out.out.view());
  }
};

bool ninja_agrees_nothing_is_left(const project& p) {
  const std::string said = p.ninja_dry_run();
  return said.empty() || said.find("no work to do") != std::string::npos;
}

const char* copy_rule = "rule copy\n  command = cat $in > $out\n  description = COPY $out\n";

}  // namespace

BOOST_AUTO_TEST_SUITE(ninja_build)

BOOST_AUTO_TEST_CASE(builds_in_order_then_has_nothing_to_do_and_ninja_agrees) {
  project p;
  p.write("src.txt", "hello\n");
  p.write("build.ninja", std::string(copy_rule) +
                             "build out/b.txt: copy out/a.txt\n"
                             "build out/a.txt: copy src.txt\n"
                             "build all: phony out/b.txt\n"
                             "default all\n");
  const recorder first = p.build();
  BOOST_TEST(first.started_steps == (std::vector<std::string>{"out/a.txt", "out/b.txt"}));
  BOOST_TEST(p.read("out/b.txt") == "hello\n");
  BOOST_TEST(p.exists(".ninja_log"));
  BOOST_TEST(p.build().started_steps.empty());
  BOOST_TEST(ninja_agrees_nothing_is_left(p));
  // An input newer than its output reruns that step and what follows.
  p.touch("src.txt");
  BOOST_TEST(p.build().started_steps.size() == 2u);
  // A changed command reruns its step only (the output's content is the same).
  p.write("build.ninja", std::string(copy_rule) +
                             "build out/b.txt: copy out/a.txt\n"
                             "build out/a.txt: copy src.txt\n"
                             "  description = changed\n"
                             "rule twice\n  command = cat $in $in > $out\n"
                             "build out/c.txt: twice src.txt\n"
                             "build all: phony out/b.txt out/c.txt\n"
                             "default all\n");
  BOOST_TEST(p.build().started_steps == (std::vector<std::string>{"out/c.txt"}));
  p.write("build.ninja", std::string(copy_rule) +
                             "build out/b.txt: copy out/a.txt\n"
                             "build out/a.txt: copy src.txt\n"
                             "build out/c.txt: copy src.txt\n"
                             "build all: phony out/b.txt out/c.txt\n"
                             "default all\n");
  BOOST_TEST(p.build().started_steps == (std::vector<std::string>{"out/c.txt"}));
  BOOST_TEST(ninja_agrees_nothing_is_left(p));
}

BOOST_AUTO_TEST_CASE(order_only_inputs_come_first_and_never_make_a_step_dirty) {
  project p;
  p.write("src.txt", "x\n");
  p.write("build.ninja", std::string(copy_rule) +
                             "build gen.txt: copy src.txt\n"
                             "build out.txt: copy src.txt || gen.txt\n");
  BOOST_TEST(p.build({"out.txt"}).started_steps == (std::vector<std::string>{"gen.txt", "out.txt"}));
  p.write("other.txt", "y\n");
  p.write("build.ninja", std::string(copy_rule) +
                             "build gen.txt: copy other.txt\n"
                             "build out.txt: copy src.txt || gen.txt\n");
  BOOST_TEST(p.build({"out.txt"}).started_steps == (std::vector<std::string>{"gen.txt"}));
}

BOOST_AUTO_TEST_CASE(a_phony_step_without_inputs_always_reruns_what_waits_for_it) {
  project p;
  p.write("src.txt", "x\n");
  p.write("build.ninja", std::string(copy_rule) +
                             "build force: phony\n"
                             "build out.txt: copy src.txt | force\n");
  BOOST_TEST(p.build().started_steps.size() == 1u);
  BOOST_TEST(p.build().started_steps.size() == 1u);
}

BOOST_AUTO_TEST_CASE(restat_skips_what_waits_only_for_unchanged_outputs) {
  project p;
  p.write("src.txt", "same\n");
  p.write("build.ninja", std::string(copy_rule) +
                             "rule maybe\n  command = cmp -s $in $out || cp $in $out\n  restat = 1\n"
                             "build mid.txt: maybe src.txt\n"
                             "build out.txt: copy mid.txt\n");
  BOOST_TEST(p.build().started_steps.size() == 2u);
  p.touch("src.txt");  // newer, same content: mid.txt is left alone
  BOOST_TEST(p.build().started_steps == (std::vector<std::string>{"mid.txt"}));
  BOOST_TEST(p.build().started_steps.empty());
  BOOST_TEST(ninja_agrees_nothing_is_left(p));
  p.write("src.txt", "other\n");
  BOOST_TEST(p.build().started_steps.size() == 2u);
  BOOST_TEST(p.read("out.txt") == "other\n");
}

BOOST_AUTO_TEST_CASE(after_restat_the_log_keeps_the_newest_input_on_disk_as_ninja_1_11) {
  // ninja 1.11 logs a restat-cleaned step with its newest non-order-only
  // input as stat() sees it; a phony alias is no file (0), so a step behind
  // a newer alias is dirty again on every run, and ninja -n says so too.
  project p;
  p.write("src.txt", "same\n");
  p.write("dep.txt", "d\n");
  p.write("build.ninja",
          "rule maybe\n  command = cmp -s $in $out || cp $in $out\n  restat = 1\n"
          "build out.txt: maybe src.txt | alias\n"
          "build alias: phony dep.txt\n");
  BOOST_TEST(p.build().started_steps.size() == 1u);
  p.touch("dep.txt");
  BOOST_TEST(p.build().started_steps.size() == 1u);
  BOOST_TEST(p.build().started_steps.size() == 1u);
  const std::string said = p.ninja_dry_run();
  BOOST_TEST((said.empty() || said.find("cmp -s src.txt out.txt") != std::string::npos), said);
  BOOST_TEST(!p.exists(".ninja_lock"));
}

BOOST_AUTO_TEST_CASE(a_torn_ninja_deps_keeps_its_whole_records_as_ninja_recovers_it) {
  // A build killed while writing .ninja_deps leaves half a record; ninja
  // cuts it and keeps the records before, so only the torn step reruns.
  project p;
  p.write("a.c", "a\n");
  p.write("b.c", "b\n");
  p.write("h.h", "h\n");
  p.write("build.ninja",
          "rule cc\n  command = cat $in > $out && echo \"$out: h.h\" > $out.d\n"
          "  depfile = $out.d\n  deps = gcc\n"
          "build a.o: cc a.c\nbuild b.o: cc b.c\n");
  toolchain::ninja_build_options one_at_a_time;
  one_at_a_time.jobs = 1;  // b.o's record last
  BOOST_TEST(p.build({}, one_at_a_time).started_steps.size() == 2u);
  const std::string whole = p.read(".ninja_deps");
  p.write(".ninja_deps", whole.substr(0, whole.size() - 3));  // b.o's record torn
  BOOST_TEST(p.build().started_steps == (std::vector<std::string>{"b.o"}));
  BOOST_TEST(p.build().started_steps.empty());
  BOOST_TEST(ninja_agrees_nothing_is_left(p));
}

BOOST_AUTO_TEST_CASE(msvc_deps_come_from_the_output_and_leave_it) {
  // deps = msvc: /showIncludes lines are the header dependencies, not output.
  project p;
  p.write("src.c", "s\n");
  p.write("h1.h", "1\n");
  p.write("sub/h2.h", "2\n");
  p.write("build.ninja",
          "rule cl\n  command = echo src.c; echo 'Note: including file: h1.h'; "
          "echo 'Note: including file:    sub/h2.h'; echo real; cat $in > $out\n  deps = msvc\n"
          "rule cl2\n  command = echo 'Inc: h1.h'; cat $in > $out\n  deps = msvc\n  msvc_deps_prefix = Inc:\n"
          "build out: cl src.c\nbuild out2: cl2 src.c\n");
  const recorder first = p.build();
  BOOST_TEST(first.started_steps.size() == 2u);
  BOOST_TEST(first.output == "real\n");
  BOOST_TEST(p.build().started_steps.empty());
  BOOST_TEST(ninja_agrees_nothing_is_left(p));
  p.touch("sub/h2.h");
  BOOST_TEST(p.build().started_steps == (std::vector<std::string>{"out"}));
  p.touch("h1.h");
  BOOST_TEST(p.build().started_steps.size() == 2u);
  BOOST_TEST(ninja_agrees_nothing_is_left(p));
}

BOOST_AUTO_TEST_CASE(a_restat_step_is_told_finished_before_it_shrinks_the_plan) {
  // ninja 1.11 prints "[1/3] mid" then "[2/2] z": the plan shrinks after.
  project p;
  p.write("src.txt", "same\n");
  p.write("z.in", "z\n");
  p.write("build.ninja", std::string(copy_rule) +
                             "rule maybe\n  command = cmp -s $in $out || cp $in $out\n  restat = 1\n"
                             "build mid.txt: maybe src.txt\n"
                             "build out.txt: copy mid.txt\n"
                             "build z.txt: copy z.in\n");
  p.build();
  p.touch("src.txt");
  p.touch("z.in");
  toolchain::ninja_build_options o;
  o.jobs = 1;
  const recorder r = p.build({}, o);
  BOOST_TEST(r.started_steps == (std::vector<std::string>{"mid.txt", "z.txt"}));
  BOOST_TEST(r.finished_totals == (std::vector<std::uint32_t>{3u, 2u}));
}

BOOST_AUTO_TEST_CASE(with_content_hashes_a_touched_but_unchanged_input_reruns_nothing) {
  project p;
  p.write("src.txt", "hello\n");
  p.write("build.ninja", std::string(copy_rule) + "build mid.txt: copy src.txt\nbuild out.txt: copy mid.txt\n");
  toolchain::ninja_build_options o;
  o.content_hashes = true;
  BOOST_TEST(p.build({}, o).started_steps.size() == 2u);
  p.touch("src.txt");  // newer, the same bytes
  BOOST_TEST(p.build({}, o).started_steps.empty());
  BOOST_TEST(ninja_agrees_nothing_is_left(p));  // the outputs were dated, .ninja_log says so
  BOOST_TEST(p.build().started_steps.empty());  // and without the option too
  p.write("src.txt", "changed\n");
  BOOST_TEST(p.build({}, o).started_steps.size() == 2u);
  BOOST_TEST(p.read("out.txt") == "changed\n");
  // A step never hashed (built without the option) runs once to be.
  p.write("build.ninja", std::string(copy_rule) +
                             "build mid.txt: copy src.txt\nbuild other.txt: copy src.txt\n"
                             "build out.txt: copy mid.txt\n");
  BOOST_TEST(p.build({}).started_steps == (std::vector<std::string>{"other.txt"}));
  p.touch("src.txt");
  BOOST_TEST(p.build({}, o).started_steps == (std::vector<std::string>{"other.txt"}));
  p.touch("src.txt");
  BOOST_TEST(p.build({}, o).started_steps.empty());
}

BOOST_AUTO_TEST_CASE(a_pool_runs_at_most_its_depth) {
  project p;
  // Two commands of the pool at once would find the lock directory taken.
  std::string m =
      "pool one\n  depth = 1\n"
      "rule locked\n  command = mkdir lock && sleep 0.05 && rmdir lock && touch $out\n  pool = one\n"
      "rule free\n  command = sleep 0.05 && touch $out\n";
  for (int i = 0; i < 4; ++i) m += "build l" + std::to_string(i) + ": locked\nbuild f" + std::to_string(i) + ": free\n";
  p.write("build.ninja", m);
  toolchain::ninja_build_options o;
  o.jobs = 4;
  const recorder r = p.build({}, o);
  BOOST_TEST(r.failed_steps.empty(), r.output);
  BOOST_TEST(r.started_steps.size() == 8u);
  BOOST_TEST(r.most_running >= 2u);  // the free steps ran beside the pool's one
}

BOOST_AUTO_TEST_CASE(the_longest_path_starts_first_from_recorded_durations) {
  // Without durations y1 -> y2 is the longer chain; once x is known to
  // take 300 ms it starts first (ninja 1.11 keeps manifest order).
  project p;
  const auto manifest = [&](const char* version) {
    p.write("build.ninja", std::string("rule slow\n  command = sleep 0.3 && touch $out # ") + version +
                               "\nrule fast\n  command = touch $out # " + version +
                               "\nbuild y1: fast\nbuild y2: fast y1\nbuild x: slow\n");
  };
  manifest("1");
  toolchain::ninja_build_options o;
  o.jobs = 1;
  BOOST_TEST(p.build({}, o).started_steps == (std::vector<std::string>{"y1", "y2", "x"}));
  manifest("2");  // every command changed: everything runs again, x first now
  BOOST_TEST(p.build({}, o).started_steps == (std::vector<std::string>{"x", "y1", "y2"}));
}

BOOST_AUTO_TEST_CASE(under_makes_jobserver_it_runs_no_more_than_its_tokens) {
  // make -j2: one token in the pipe, one job free: two commands at once at
  // most, whatever -j says; the token is back in the pipe afterwards.
  int fds[2];
  BOOST_REQUIRE(::pipe(fds) == 0);
  BOOST_REQUIRE(::write(fds[1], "+", 1) == 1);
  {
    toolchain::jobserver js = toolchain::jobserver::from_makeflags("-j2 --jobserver-auth=" + std::to_string(fds[0]) +
                                                                   "," + std::to_string(fds[1]));
    BOOST_REQUIRE(js.active());
    project p;
    std::string m = "rule slow\n  command = sleep 0.05 && touch $out\n";
    for (int i = 0; i < 8; ++i) m += "build s" + std::to_string(i) + ": slow\n";
    p.write("build.ninja", m);
    toolchain::ninja_build_options o;
    o.jobs = 8;
    o.tokens = &js;
    const recorder r = p.build({}, o);
    BOOST_TEST(r.started_steps.size() == 8u);
    BOOST_TEST(r.most_running == 2u);
  }
  char b = 0;
  BOOST_TEST(::read(fds[0], &b, 1) == 1);  // the token is back
  BOOST_TEST(b == '+');
  ::close(fds[0]);
  ::close(fds[1]);
}

BOOST_AUTO_TEST_CASE(serving_a_jobserver_the_makes_among_the_commands_share_its_slots) {
  // Two commands, each a make of four jobs (GNU make 4.3 reads the pipe
  // form, 4.4 both): with -j3 served, three jobs at once in all, never
  // more, where each make alone would run one at a time.
  if (!sys::find_program("make")) {
    BOOST_TEST_MESSAGE("make is not installed: the served jobserver is not tried");
    return;
  }
  project p;
  for (const char* d : {"s1", "s2"})
    p.write(std::string(d) + "/Makefile",
            "all: t1 t2 t3 t4\nt1 t2 t3 t4:\n\t@echo + >> ../log; sleep 0.3; echo - >> ../log\n"
            ".PHONY: all t1 t2 t3 t4\n");
  p.write("build.ninja",
          "rule mk\n  command = make -s -C $dir && touch $out\nbuild o1: mk\n  dir = s1\nbuild o2: mk\n  dir = s2\n");
  toolchain::ninja_build_options o;
  o.jobs = 3;
  o.serve_jobserver = true;
  const recorder r = p.build({}, o);
  BOOST_TEST(r.output.find("warning") == std::string::npos, r.output);  // make took the jobserver as its parent's
  int running = 0, most = 0;
  for (const char c : p.read("log")) {
    running += c == '+' ? 1 : c == '-' ? -1 : 0;
    most = running > most ? running : most;
  }
  BOOST_TEST(most == 3);
  // Without it, each make runs its jobs one at a time.
  (void)sys::remove(p.path("log"));
  (void)sys::remove(p.path("o1"));
  (void)sys::remove(p.path("o2"));
  o.serve_jobserver = false;
  (void)p.build({}, o);
  running = most = 0;
  for (const char c : p.read("log")) {
    running += c == '+' ? 1 : c == '-' ? -1 : 0;
    most = running > most ? running : most;
  }
  BOOST_TEST(most == 2);
}

BOOST_AUTO_TEST_CASE(a_failure_stops_the_build_unless_more_are_allowed) {
  project p;
  p.write("build.ninja",
          "rule fail\n  command = echo broken $out; exit 1\n"
          "rule ok\n  command = touch $out\n"
          "build a: fail\nbuild b: fail\nbuild c: ok\nbuild d: ok\n");
  toolchain::ninja_build_options o;
  o.jobs = 1;
  const recorder one = p.build({}, o, false);
  BOOST_TEST(one.failed_steps == (std::vector<std::string>{"a"}));
  BOOST_TEST(one.output.find("broken a") != std::string::npos);
  BOOST_TEST(!p.exists("c"));
  o.failures_allowed = 0;  // -k 0
  const recorder all = p.build({}, o, false);
  BOOST_TEST(all.failed_steps == (std::vector<std::string>{"a", "b"}));
  BOOST_TEST(p.exists("c"));
  BOOST_TEST(p.exists("d"));
}

BOOST_AUTO_TEST_CASE(a_dry_run_runs_and_writes_nothing) {
  project p;
  p.write("src.txt", "x\n");
  p.write("build.ninja", std::string(copy_rule) + "build out.txt: copy src.txt\n");
  toolchain::ninja_build_options o;
  o.dry_run = true;
  BOOST_TEST(p.build({}, o).started_steps.size() == 1u);
  BOOST_TEST(!p.exists("out.txt"));
  BOOST_TEST(!p.exists(".ninja_log"));
}

BOOST_AUTO_TEST_CASE(a_missing_input_a_cycle_and_an_unknown_target_are_refused_by_name) {
  const auto refusal = [](const std::string& manifest, std::vector<std::string> targets = {}) {
    project p;
    p.write("build.ninja", manifest);
    vitte::diagnostic why;
    auto m = toolchain::read_ninja_manifest(p.path("build.ninja"), {}, &why);
    BOOST_REQUIRE(m.has_value());
    toolchain::ninja_build_options o;
    o.directory = p.dir.path();
    vitte::buffer<text> t;
    for (const std::string& x : targets) t.push_back(text(x));
    recorder r;
    auto rep = toolchain::run_ninja_build(*m, t.span(), o, r, &why);
    BOOST_TEST(!rep.has_value());
    BOOST_TEST(r.started_steps.empty());
    return std::string(why.message());
  };
  BOOST_TEST(refusal(std::string(copy_rule) + "build out: copy nowhere.txt\n") ==
             "'nowhere.txt', needed by 'out', missing and no known rule to make it");
  BOOST_TEST(refusal(std::string(copy_rule) + "build a: copy b\nbuild b: copy a\n", {"a"}) ==
             "dependency cycle: a -> b -> a");
  BOOST_TEST(refusal(std::string(copy_rule) + "build a: copy b\nbuild b: copy a\n") ==
             "could not determine root nodes of build graph");
  BOOST_TEST(refusal(std::string(copy_rule) + "build a: copy b\nbuild b: copy c\n", {"zzz"}) == "unknown target 'zzz'");
}

namespace {

// A Fortran-like project: `module X` in a source makes X.mod, `use X`
// needs it; a scanner writes the dyndep file saying so (rewritten only
// when it changes, as CMake's does), each compile rewrites a module file
// only when its interface (`iface` lines) changes.
const char* scan_sh =
    "out=$1; shift\n"
    "{ echo 'ninja_dyndep_version = 1'\n"
    "  for f in \"$@\"; do\n"
    "    mods=$(sed -n 's/^module \\(.*\\)/\\1.mod/p' $f | tr '\\n' ' ')\n"
    "    uses=$(sed -n 's/^use \\(.*\\)/\\1.mod/p' $f | tr '\\n' ' ')\n"
    "    extra=$(sed -n \"s/^${f%.f}.o: //p\" extra.txt 2>/dev/null)\n"
    "    line=\"build ${f%.f}.o\"; [ -n \"$mods\" ] && line=\"$line | $mods\"\n"
    "    line=\"$line: dyndep\"; [ -n \"$uses$extra\" ] && line=\"$line | $uses $extra\"\n"
    "    echo \"$line\"\n"
    "  done; } > $out.tmp\n"
    "cmp -s $out.tmp $out && rm $out.tmp || mv $out.tmp $out\n";
const char* fc_sh =
    "in=$1; out=$2\n"
    "for m in $(sed -n 's/^module \\(.*\\)/\\1/p' $in); do\n"
    "  sed -n 's/^iface //p' $in > $m.mod.tmp\n"
    "  cmp -s $m.mod.tmp $m.mod && rm $m.mod.tmp || mv $m.mod.tmp $m.mod\n"
    "done\n"
    "{ cat $in; for u in $(sed -n 's/^use \\(.*\\)/\\1/p' $in); do cat $u.mod || exit 1; done; } > $out\n";

std::string fortran_like(bool restat_in_manifest) {
  return std::string("rule scan\n  command = sh scan.sh $out $in\n  description = SCAN $out\n  restat = 1\n") +
         "rule fc\n  command = sh fc.sh $in $out\n  description = FC $out\n" +
         (restat_in_manifest ? "  restat = 1\n" : "") +
         "rule link\n  command = cat $in > $out\n  description = LINK $out\n"
         "build dd: scan a.f b.f c.f | extra.txt\n"
         "build a.o: fc a.f || dd\n  dyndep = dd\n"
         "build b.o: fc b.f || dd\n  dyndep = dd\n"
         "build c.o: fc c.f || dd\n  dyndep = dd\n"
         "build prog: link a.o b.o c.o\n";
}

/// The same project built by vitte and by ninja (when it is installed),
/// edit by edit: the same steps run, the same files come out.
struct twins {
  project mine, theirs;
  bool with_ninja = sys::find_program("ninja").has_value();

  void write(text_view name, text_view body) {
    (void)sys::sleep_for(std::chrono::milliseconds(20));  // a later mtime than what came before
    mine.write(name, body);
    theirs.write(name, body);
  }
  /// What each built, sorted: vitte's started steps, ninja's descriptions.
  std::vector<std::string> build(toolchain::ninja_build_options o = {}) {
    recorder r = mine.build({}, o);
    last = r;
    std::vector<std::string> started = r.started_steps;
    std::sort(started.begin(), started.end());
    if (!with_ninja) return started;
    auto out = sys::command(sys::find_program("ninja").value())
                   .args({"-C", text_view(theirs.dir.path())})
                   .err(sys::stdio::merge())
                   .output()
                   .value();
    std::vector<std::string> said;
    const std::string all(out.out.view());
    for (std::size_t at = 0; at < all.size(); at = all.find('\n', at) + 1) {
      const std::string line = all.substr(at, all.find('\n', at) - at);
      if (line.rfind("[", 0) == 0) said.push_back(line.substr(line.rfind(' ') + 1));
      if (all.find('\n', at) == std::string::npos) break;
    }
    std::sort(said.begin(), said.end());
    BOOST_TEST(said == started, all);
    for (const char* f : {"dd", "a.o", "b.o", "c.o", "prog", "A.mod", "C.mod"})
      BOOST_TEST((mine.exists(f) == theirs.exists(f) && (!mine.exists(f) || mine.read(f) == theirs.read(f))), f);
    if (agreeing) BOOST_TEST(ninja_agrees_nothing_is_left(mine));
    return started;
  }
  std::size_t started_at(const std::string& out) const {
    for (std::size_t i = 0; i < last.started_steps.size(); ++i)
      if (last.started_steps[i] == out) return i;
    return last.started_steps.size();
  }
  recorder last;
  bool agreeing = true;  // ninja -n has nothing left after each build
};

using names = std::vector<std::string>;

/// The build.ninja of directory `dir`, what it includes read there too.
vitte::result<toolchain::ninja_manifest> manifest_in(const text& dir, vitte::diagnostic* why) {
  struct in_dir {
    text dir;
    static vitte::result<text> read(text_view path, void* context, vitte::diagnostic* w) {
      return sys::read_file_string(sys::path_join(static_cast<in_dir*>(context)->dir, path), w);
    }
  } base{dir};
  const text main = sys::path_join(dir, "build.ninja");
  auto body = sys::read_file_string(main, why);
  if (!body) return body.error();
  return toolchain::parse_ninja_manifest(*body, main, {&in_dir::read, &base}, {}, why);
}

bool run_in(const text& dir, text_view program, std::initializer_list<text_view> args);

}  // namespace

BOOST_AUTO_TEST_CASE(a_dyndep_file_a_scanner_writes_adds_inputs_and_outputs_and_the_plan_follows_as_in_ninja) {
  twins t;
  t.write("scan.sh", scan_sh);
  t.write("fc.sh", fc_sh);
  t.write("a.f", "module A\niface a1\nbody 1\n");
  t.write("b.f", "use A\nbody 2\n");
  t.write("c.f", "module C\niface c1\n");
  t.write("extra.txt", "");
  t.write("build.ninja", fortran_like(true));
  toolchain::ninja_build_options o;
  o.jobs = 4;
  // b.o reads A.mod, known from the dyndep file only: it waits for a.o.
  BOOST_TEST(t.build(o) == (names{"a.o", "b.o", "c.o", "dd", "prog"}));
  BOOST_TEST(t.started_at("a.o") < t.started_at("b.o"));
  BOOST_TEST(t.mine.read("prog") == "module A\niface a1\nbody 1\nuse A\nbody 2\na1\nmodule C\niface c1\n");
  BOOST_TEST(t.build(o).empty());  // the dyndep file up to date: read before anything runs
  // A.mod, an output the dyndep file gave a.o, is unchanged (restat): b.o does not run.
  t.write("a.f", "module A\niface a1\nbody 11\n");
  BOOST_TEST(t.build(o) == (names{"a.o", "dd", "prog"}));
  // Changed, it reruns b.o.
  t.write("a.f", "module A\niface a2\nbody 11\n");
  BOOST_TEST(t.build(o) == (names{"a.o", "b.o", "dd", "prog"}));
  // A stale dyndep file: b.f now uses C; the file read is the one the
  // scanner writes again (b.o after c.o's module, C.mod newer than b.o).
  t.write("b.f", "use C\nbody 2\n");
  BOOST_TEST(t.build(o) == (names{"b.o", "dd", "prog"}));
  BOOST_TEST(t.mine.read("b.o") == "use C\nbody 2\nc1\n");
  t.write("c.f", "module C\niface c2\n");
  BOOST_TEST(t.build(o) == (names{"b.o", "c.o", "dd", "prog"}));
  BOOST_TEST(t.started_at("c.o") < t.started_at("b.o"));
  // An implicit input known from the dyndep file only, read at startup, touched.
  t.write("C.mod", "c2\n");
  BOOST_TEST(t.build(o) == (names{"b.o", "prog"}));
  // The dyndep file removed: made again, nothing else to do.
  BOOST_REQUIRE(sys::remove(t.mine.path("dd")));
  if (t.with_ninja) BOOST_REQUIRE(sys::remove(t.theirs.path("dd")));
  BOOST_TEST(t.build(o) == (names{"dd"}));
}

BOOST_AUTO_TEST_CASE(commands_a_dyndep_file_adds_count_in_the_plan_and_run_side_by_side) {
  twins t;
  t.write("scan.sh", scan_sh);
  // Each compile waits (up to 5 s) for the other to have started: two run at once.
  t.write("fc.sh", std::string("touch $2.started; other=a.o; [ $2 = a.o ] && other=c.o; i=0\n"
                               "while [ ! -e $other.started ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done\n"
                               "[ -e $other.started ] && echo together > $2.seen\n") +
                       fc_sh);
  t.write("a.f", "module A\niface a1\n");
  t.write("b.f", "body 2\n");
  t.write("c.f", "module C\niface c1\n");
  t.write("extra.txt", "");
  t.write("build.ninja", fortran_like(true));
  toolchain::ninja_build_options o;
  o.jobs = 4;
  BOOST_TEST(t.build(o).size() == 5u);
  // A header only the scanner knows of, newer than the objects: only the
  // scanner is dirty when the build starts; its file adds the compiles.
  t.write("new.h", "x\n");
  t.write("extra.txt", "a.o: new.h\nc.o: new.h\n");
  for (project* p : {&t.mine, &t.theirs}) {
    (void)sys::remove(p->path("a.o.started"));
    (void)sys::remove(p->path("c.o.started"));
    (void)sys::remove(p->path("a.o.seen"));
  }
  BOOST_TEST(t.build(o) == (names{"a.o", "c.o", "dd", "prog"}));
  BOOST_TEST(t.last.report.total == 4u);
  BOOST_TEST(t.last.finished_totals.back() == 4u);
  BOOST_TEST(t.mine.exists("a.o.seen"));
}

BOOST_AUTO_TEST_CASE(restat_from_a_dyndep_file_and_one_checked_in) {
  twins t;
  t.write("fc.sh", fc_sh);
  t.write("a.f", "module A\niface a1\nbody 1\n");
  t.write("b.f", "use A\nbody 2\n");
  t.write("c.f", "module C\niface c1\n");
  // No step makes it: read when the build starts.
  t.write("dd",
          "ninja_dyndep_version = 1\nbuild a.o | A.mod: dyndep\n  restat = 1\nbuild b.o: dyndep | A.mod\n"
          "build c.o | C.mod: dyndep\n");
  std::string manifest = fortran_like(false);
  manifest.replace(manifest.find("build dd:"), manifest.find("build a.o") - manifest.find("build dd:"), "");
  t.write("build.ninja", manifest);
  BOOST_TEST(t.build() == (names{"a.o", "b.o", "c.o", "prog"}));
  t.write("a.f", "module A\niface a1\nbody 11\n");
  BOOST_TEST(t.build() == (names{"a.o", "prog"}));  // the file's restat: A.mod unchanged
  // Without restat, an output left older than the input is dirty again, as in ninja.
  t.agreeing = false;
  t.write("c.f", "module C\niface c1\nbody 3\n");
  BOOST_TEST(t.build() == (names{"c.o", "prog"}));
  BOOST_TEST(!ninja_agrees_nothing_is_left(t.mine));
  BOOST_TEST(t.build() == (names{"c.o", "prog"}));
}

BOOST_AUTO_TEST_CASE(a_malformed_dyndep_file_is_refused_with_its_place_in_ninjas_words) {
  // `dd` made by a step (read once made) or checked in (read at startup).
  const auto refusal = [](const std::string& dd, bool made) {
    project p;
    const bool with_ninja = sys::find_program("ninja").has_value();
    p.write(made ? "dd.in" : "dd", dd);
    p.write("build.ninja", std::string(copy_rule) + (made ? "build dd: copy dd.in\n" : "") +
                               "build other: copy src\nbuild out: copy src || dd\n  dyndep = dd\n"
                               "build all: phony out other\ndefault all\n");
    p.write("src", "x\n");
    vitte::diagnostic why;
    auto m = toolchain::read_ninja_manifest(p.path("build.ninja"), {}, &why);
    BOOST_REQUIRE(m.has_value());
    toolchain::ninja_build_options o;
    o.directory = p.dir.path();
    o.jobs = 1;
    recorder r;
    auto rep = toolchain::run_ninja_build(*m, {}, o, r, &why);
    BOOST_TEST(!rep.has_value());
    BOOST_TEST(r.started_steps == (made ? names{"dd"} : names{}));
    BOOST_TEST(!p.exists("out"));
    const std::string said(why.format().c_str());
    if (with_ninja) {
      for (const char* f : {".ninja_log", "other"}) (void)sys::remove(p.path(f));
      if (made) (void)sys::remove(p.path("dd"));
      auto out = sys::command(sys::find_program("ninja").value())
                     .args({"-j1", "-C", text_view(p.dir.path())})
                     .err(sys::stdio::merge())
                     .output()
                     .value();
      const std::string theirs(out.out.view());
      BOOST_TEST(!out.status.success());
      // Ninja's words, at the same line ("dd:2: ..." where vitte adds the column).
      std::string message(why.message());
      if (why.line() != 0) message = "dd:" + std::to_string(why.line()) + ": " + message;
      if (message.rfind("loading 'dd': ", 0) == 0) message = "loading 'dd': ";
      BOOST_TEST(theirs.find(message) != std::string::npos, theirs + " lacks " + message);
    }
    return said;
  };
  const std::string v = "ninja_dyndep_version = 1\n";
  for (const bool made : {true, false}) {
    BOOST_TEST(refusal("ninja_dyndep_version = 2\n", made) == "dd:1:24: unsupported 'ninja_dyndep_version = 2'");
    BOOST_TEST(refusal(v + "build out: dyndep || x\n", made) == "dd:2:19: order-only inputs not supported");
    BOOST_TEST(refusal(v + "build nothere: dyndep\n", made) == "dd:2:7: no build statement exists for 'nothere'");
    BOOST_TEST(refusal(v, made) == "dd: 'out' not mentioned in its dyndep file 'dd'");
    // An output of another step, whose statement names no dyndep file.
    BOOST_TEST(refusal(v + "build out: dyndep\nbuild other: dyndep\n", made) ==
               "dd: dyndep file 'dd' mentions output 'other' whose build statement does not have a dyndep binding for "
               "the file");
    BOOST_TEST(refusal(v + "build out | other: dyndep\n", made) == "dd: multiple rules generate other");
    BOOST_TEST(refusal(v + "build out: dyndep | nowhere.h\n", made) ==
               "nowhere.h: 'nowhere.h', needed by 'out', missing and no known rule to make it");
  }
  BOOST_TEST(refusal("", true) == "dd:1:1: expected 'ninja_dyndep_version = ...'");
  // A checked-in one missing: ninja's words, then the system's.
  project p;
  p.write("build.ninja", std::string(copy_rule) + "build out: copy src || dd\n  dyndep = dd\n");
  p.write("src", "x\n");
  vitte::diagnostic why;
  auto m = toolchain::read_ninja_manifest(p.path("build.ninja"), {}, &why);
  toolchain::ninja_build_options o;
  o.directory = p.dir.path();
  recorder r;
  BOOST_TEST(!toolchain::run_ninja_build(*m, {}, o, r, &why).has_value());
  BOOST_TEST(std::string(why.format().c_str()).rfind("loading 'dd': ", 0) == 0u, why.format().c_str());
}

BOOST_AUTO_TEST_CASE(cmake_fortran_modules_build_as_with_ninja_and_rebuild_after_an_edit) {
  project p;
  p.write("src/CMakeLists.txt",
          "cmake_minimum_required(VERSION 3.20)\nproject(f Fortran)\nadd_library(moda STATIC a.f90)\n"
          "add_executable(prog b.f90)\ntarget_link_libraries(prog moda)\n");
  const auto module = [&](const char* body) {
    p.write("src/a.f90", std::string("module a\n  implicit none\ncontains\n") + body + "end module a\n");
  };
  module("  integer function twice(x)\n    integer, intent(in) :: x\n    twice = 2 * x\n  end function\n");
  p.write("src/b.f90", "program b\n  use a\n  print *, twice(21)\nend program b\n");
  const text one = p.path("vitte"), two = p.path("ninja");
  if (!sys::find_program("gfortran") || !sys::find_program("ninja") ||
      !run_in(p.dir.path(), "cmake", {"-G", "Ninja", "-S", "src", "-B", text_view(one)}) ||
      !run_in(p.dir.path(), "cmake", {"-G", "Ninja", "-S", "src", "-B", text_view(two)})) {
    BOOST_TEST_MESSAGE("cmake, gfortran or ninja is not installed: CMake's Fortran dyndep files are not built");
    return;
  }
  const auto round = [&](std::size_t least) {
    vitte::diagnostic why;
    auto m = manifest_in(one, &why);
    BOOST_REQUIRE_MESSAGE(m.has_value(), why.format().c_str());
    toolchain::ninja_build_options o;
    o.directory = one;
    recorder r;
    auto rep = toolchain::run_ninja_build(*m, {}, o, r, &why);
    BOOST_REQUIRE_MESSAGE(rep.has_value(), why.format().c_str());
    BOOST_REQUIRE_MESSAGE(rep->ok(), r.output);
    BOOST_TEST(r.started_steps.size() >= least);
    BOOST_REQUIRE(run_in(two, "ninja", {}));
    for (const char* f : {"prog", "a.mod", "libmoda.a", "CMakeFiles/prog.dir/b.f90.o"}) {
      const auto a = sys::read_file(sys::path_join(one, f)), b = sys::read_file(sys::path_join(two, f));
      BOOST_TEST((a && b && *a == *b), f);
    }
    auto dry = sys::command(sys::find_program("ninja").value()).args({"-n"}).cwd(one).output().value();
    BOOST_TEST(std::string(dry.out.view()).find("no work to do") != std::string::npos, std::string(dry.out.view()));
    auto ran = sys::command(sys::path_join(one, "prog")).output().value();
    return std::string(ran.out.view());
  };
  BOOST_TEST(round(8).find("42") != std::string::npos);
  // The module's interface changes: b.f90 is compiled again, after it.
  module(
      "  integer function twice(x)\n    integer, intent(in) :: x\n    twice = 3 * x\n  end function\n"
      "  integer function thrice(x)\n    integer, intent(in) :: x\n    thrice = 3 * x\n  end function\n");
  BOOST_TEST(round(4).find("63") != std::string::npos);
}

namespace {

/// `argv` run in `dir`; false when it failed or the program is missing.
bool run_in(const text& dir, text_view program, std::initializer_list<text_view> args) {
  const auto path = sys::find_program(program);
  if (!path) return false;
  auto out = sys::command(*path).args(args).cwd(dir).output();
  return out && out->status.success();
}

/// A build directory configured by CMake or Meson, built by vitte, then
/// by ninja (nothing left), a header touched: vitte rebuilds only its users.
void build_real(const text& build, const text& other, const text& header, bool* compared) {
  vitte::diagnostic why;
  auto m = manifest_in(build, &why);
  BOOST_REQUIRE_MESSAGE(m.has_value(), why.format().c_str());
  toolchain::ninja_build_options o;
  o.directory = build;
  recorder r;
  auto rep = toolchain::run_ninja_build(*m, {}, o, r, &why);
  BOOST_REQUIRE_MESSAGE(rep.has_value(), why.format().c_str());
  BOOST_REQUIRE_MESSAGE(rep->ok(), r.output);
  BOOST_TEST(rep->ran >= 4u);
  // .ninja_log: one line per output of every step that ran, each with its
  // step's command hash as ninja computes it (a reader that groups by hash,
  // as ninjatracing does, sees one entry per step).
  {
    const std::string log(
        sys::read_file_string(
            sys::path_join(build, m->builddir.empty() ? text(".ninja_log") : sys::path_join(m->builddir, ".ninja_log")))
            .value()
            .view());
    BOOST_REQUIRE(log.rfind("# ninja log v5\n", 0) == 0u);
    std::size_t lines = 0, matched = 0;
    for (std::size_t at = log.find('\n') + 1; at < log.size(); at = log.find('\n', at) + 1) {
      const std::string line = log.substr(at, log.find('\n', at) - at);
      ++lines;
      const std::size_t tab = line.rfind('\t'), before = line.rfind('\t', tab - 1);
      const std::string output = line.substr(before + 1, tab - before - 1), hash = line.substr(tab + 1);
      for (const toolchain::ninja_step& st : m->steps) {
        if (st.rule == "phony" || std::string(st.outputs[0].view()) != output) continue;
        char hex[20];
        std::snprintf(
            hex, sizeof hex, "%llx",
            static_cast<unsigned long long>(toolchain::ninja_command_hash(
                st.rspfile_content.empty() ? text(st.command) : text(st.command) + ";rspfile=" + st.rspfile_content)));
        matched += hash == hex;
      }
    }
    BOOST_TEST(lines >= rep->ran);
    BOOST_TEST(matched == rep->ran);
  }
  const auto ninja = sys::find_program("ninja");
  if (!ninja) return;
  auto dry = sys::command(*ninja).args({"-n"}).cwd(build).output().value();
  BOOST_TEST(std::string(dry.out.view()).find("no work to do") != std::string::npos, std::string(dry.out.view()));
  // The same project built by ninja elsewhere: the same program, byte for byte.
  BOOST_REQUIRE(run_in(other, "ninja", {}));
  const auto a = sys::read_file(sys::path_join(build, "main")).value();
  const auto b = sys::read_file(sys::path_join(other, "main")).value();
  BOOST_TEST((a == b));
  *compared = true;
  // A header the compiler reported (deps = gcc, or a depfile): its users
  // rebuild, and ninja reads what vitte recorded.
  (void)sys::sleep_for(std::chrono::milliseconds(20));
  BOOST_REQUIRE(sys::write_file(header, sys::read_file_string(header).value() + "\n"));
  recorder again;
  auto rep2 = toolchain::run_ninja_build(*m, {}, o, again, &why);
  BOOST_REQUIRE(rep2.has_value());
  BOOST_TEST(again.started_steps.size() >= 2u);
  auto dry2 = sys::command(*ninja).args({"-n"}).cwd(build).output().value();
  BOOST_TEST(std::string(dry2.out.view()).find("no work to do") != std::string::npos, std::string(dry2.out.view()));
}

}  // namespace

BOOST_AUTO_TEST_CASE(what_cmake_and_meson_write_builds_as_with_ninja) {
  project p;
  p.write("src/lib.c", "#include \"lib.h\"\nint twice(int x) { return 2 * x; }\n");
  p.write("src/lib.h", "int twice(int x);\n");
  p.write("src/main.c",
          "#include <stdio.h>\n#include \"lib.h\"\nint main(void) { printf(\"%d\\n\", twice(21)); return 0; }\n");
  p.write("src/CMakeLists.txt",
          "cmake_minimum_required(VERSION 3.13)\nproject(p C)\nadd_library(twice STATIC lib.c)\n"
          "add_executable(main main.c)\ntarget_link_libraries(main twice)\n");
  p.write("src/meson.build",
          "project('p', 'c')\nexecutable('main', 'main.c', link_with: static_library('twice', 'lib.c'))\n");
  bool compared = false;
  for (const char* tool : {"cmake", "meson"}) {
    const text one = p.path(std::string(tool) + "-1"), two = p.path(std::string(tool) + "-2");
    const bool configured =
        std::string(tool) == "cmake"
            ? run_in(p.dir.path(), "cmake", {"-G", "Ninja", "-S", "src", "-B", text_view(one)}) &&
                  run_in(p.dir.path(), "cmake", {"-G", "Ninja", "-S", "src", "-B", text_view(two)})
            : run_in(p.dir.path(), "meson", {"setup", "--buildtype=release", text_view(one), "src"}) &&
                  run_in(p.dir.path(), "meson", {"setup", "--buildtype=release", text_view(two), "src"});
    if (!configured) {
      BOOST_TEST_MESSAGE(tool << " is not installed: its build.ninja is not built");
      continue;
    }
    build_real(one, two, p.path("src/lib.h"), &compared);
  }
  if (!compared) BOOST_TEST_MESSAGE("ninja is not installed: no comparison with it");
}

BOOST_AUTO_TEST_CASE(the_demos_sample_builds_runs_and_then_has_nothing_to_do) {
  // examples/sample, found from this file (compiled from the build tree, where the tests run).
  const text here = sys::parent_path(__FILE__);
  const text sample = sys::path_join(sys::parent_path(sys::parent_path(here)), "examples/sample");
  if (!sys::stat(sys::path_join(sample, "build.ninja"))) {
    BOOST_TEST_MESSAGE("examples/sample is not beside the tests (" << sample.c_str() << "): not built");
    return;
  }
  project p;
  for (const char* f : {"build.ninja", "main.c", "greet.c", "greet.h"})
    p.write(f, sys::read_file_string(sys::path_join(sample, f)).value());
  BOOST_TEST(p.build().started_steps.size() == 3u);
  auto out = sys::command(p.path("hello")).args({"demo"}).output().value();
  BOOST_TEST(std::string(out.out.view()) == "hello, demo\n");
  BOOST_TEST(p.build().started_steps.empty());
  BOOST_TEST(ninja_agrees_nothing_is_left(p));
  p.touch("greet.h");  // a header: both units include it
  BOOST_TEST(p.build().started_steps.size() == 3u);
}

BOOST_AUTO_TEST_CASE(with_the_shared_cache_a_second_checkout_compiles_nothing_and_a_changed_header_recompiles) {
  if (!sys::find_program("cc")) {
    BOOST_TEST_MESSAGE("cc is not installed: nothing compiled");
    return;
  }
  const auto store = sys::temp_directory::create().value();
  auto shared = vitte::cache::output_cache::open(text(store.path())).value();
  // Two checkouts at other paths; a compile the cache understands, a link
  // and a copy (not a compile: always run).
  const char* manifest =
      "rule cc\n  command = cc -O2 -MD -MF $out.d -c $in -o $out\n  depfile = $out.d\n  deps = gcc\n"
      "rule link\n  command = cc $in -o $out\n"
      "rule copy\n  command = cat $in > $out\n"
      "build obj/main.o: cc main.c\nbuild obj/lib.o: cc lib.c\nbuild prog: link obj/main.o obj/lib.o\n"
      "build copy.txt: copy main.c\n";
  project one, two;
  for (const project* p : {&one, &two}) {
    p->write("build.ninja", manifest);
    p->write("lib.h", "int twice(int x);\n");
    p->write("lib.c", "#include \"lib.h\"\nint twice(int x) { return 2 * x; }\n");
    p->write("main.c", "#include <stdio.h>\n#include \"lib.h\"\nint main(void) { printf(\"%d\\n\", twice(21)); }\n");
  }
  // A file written during a compile is not stored (what it read may not be
  // what is there): these were written just now, so wait a little.
  (void)sys::sleep_for(std::chrono::milliseconds(50));
  const auto options = [&shared](const project& p) {
    toolchain::ninja_build_options o;
    o.cache = &shared;
    o.base_dir = sys::canonical(p.dir.path()).value();
    return o;
  };
  recorder first = one.build({}, options(one));
  BOOST_TEST(first.started_steps.size() == 4u);
  BOOST_TEST(first.report.cached == 0u);
  BOOST_TEST(shared.stats().value().stores == 2u);  // the two compiles, not the link or the copy

  recorder second = two.build({}, options(two));
  BOOST_TEST(second.started_steps.size() == 4u);
  BOOST_TEST(second.report.cached == 2u);
  BOOST_TEST(two.read("obj/main.o") == one.read("obj/main.o"));
  BOOST_TEST(two.read("obj/lib.o") == one.read("obj/lib.o"));
  auto out = sys::command(two.path("prog")).output().value();
  BOOST_TEST(std::string(out.out.view()) == "42\n");
  BOOST_TEST(!two.exists("obj/main.o.d"));  // the restored depfile went into .ninja_deps, as after a compile
  BOOST_TEST(two.build({}, options(two)).started_steps.empty());
  BOOST_TEST(ninja_agrees_nothing_is_left(two));

  // A header that differs: what includes it compiles; its old bytes again: answered.
  two.write("lib.h", "int twice(int x); /* changed */\n");
  recorder changed = two.build({}, options(two));
  BOOST_TEST(changed.report.cached == 0u);
  BOOST_TEST(changed.report.ran == 3u);  // two compiles and the link
  two.touch("lib.h");
  two.write("lib.h", "int twice(int x);\n");
  (void)sys::sleep_for(std::chrono::milliseconds(50));
  recorder back = two.build({}, options(two));
  BOOST_TEST(back.report.cached == 2u);
  BOOST_TEST(two.read("obj/lib.o") == one.read("obj/lib.o"));
}

BOOST_AUTO_TEST_CASE(the_shared_cache_stores_nothing_another_checkout_could_misread) {
  if (!sys::find_program("cc")) {
    BOOST_TEST_MESSAGE("cc is not installed: nothing compiled");
    return;
  }
  const auto store = sys::temp_directory::create().value();
  auto shared = vitte::cache::output_cache::open(text(store.path())).value();
  const auto build = [&shared](const project& p) {
    toolchain::ninja_build_options o;
    o.cache = &shared;
    o.base_dir = sys::canonical(p.dir.path()).value();
    return p.build({}, o).report;
  };
  const auto stores = [&shared] { return shared.stats().value().stores; };
  const auto rule = [](const std::string& flags) {
    return "rule cc\n  command = cc " + flags + " -MD -MF $out.d -c $in -o $out\n  depfile = $out.d\n  deps = gcc\n";
  };

  // Paths of the checkout in the command (as CMake writes them) and no
  // prefix map: keys stay absolute, so another checkout compiles its own
  // and its .ninja_deps names its own header.
  project a, b;
  for (const project* p : {&a, &b}) {
    p->write("inc/v.h", "#define V 1\n");
    p->write("x.c", "#include \"v.h\"\nint v(void) { return V; }\n");
    p->write("build.ninja",
             rule("-I" + std::string(sys::canonical(p->dir.path()).value().view()) + "/inc") + "build x.o: cc x.c\n");
  }
  (void)sys::sleep_for(std::chrono::milliseconds(50));
  BOOST_TEST(build(a).cached == 0u);
  BOOST_TEST(build(b).cached == 0u);
  b.write("inc/v.h", "#define V 2\n");
  BOOST_TEST(b.build().started_steps.size() == 1u);  // b's own header: its change is seen

  // A header reached through a link, or outside the base by a relative
  // path, or using __TIME__: compiled, not stored; beside them a plain
  // unit that is stored (so that storing itself is seen to work).
  project c;
  c.write("ok.c", "int ok(void) { return 5; }\n");
  c.write("real/v.h", "#define V 3\n");
  BOOST_REQUIRE(sys::create_symlink("real", c.path("linked")));
  c.write("t.c", "const char* t(void) { return __TIME__; }\n");
  c.write("l.c", "#include \"linked/v.h\"\nint l(void) { return V; }\n");
  c.write("build.ninja", rule("-O2") + "build t.o: cc t.c\nbuild l.o: cc l.c\nbuild ok.o: cc ok.c\n");
  project d;
  d.write("src/o.c", "#include \"../outside.h\"\nint o(void) { return W; }\n");
  d.write("outside.h", "#define W 4\n");
  d.write("src/build.ninja", rule("-O2") + "build o.o: cc o.c\n");
  (void)sys::sleep_for(std::chrono::milliseconds(50));
  const std::uint64_t before = stores();
  BOOST_TEST(build(c).ran == 3u);
  toolchain::ninja_build_options in_src;
  in_src.cache = &shared;
  in_src.base_dir = sys::canonical(d.path("src")).value();  // the base: src/ only
  vitte::diagnostic why;
  auto m = toolchain::read_ninja_manifest(d.path("src/build.ninja"), {}, &why);
  BOOST_REQUIRE(m.has_value());
  in_src.directory = d.path("src");
  recorder said;
  BOOST_TEST(toolchain::run_ninja_build(*m, {}, in_src, said, &why).value().ran == 1u);
  BOOST_TEST(stores() == before + 1);  // ok.o alone

  // A cache whose manifests became FIFOs (someone else's write access):
  // read as damage, never blocked on; the compile runs.
  std::size_t fifos = 0;
  for (const auto& f : std::filesystem::recursive_directory_iterator(std::string(store.path().view()) + "/manifests"))
    if (f.is_regular_file()) {
      std::filesystem::remove(f.path());
      BOOST_REQUIRE(::mkfifo(f.path().c_str(), 0644) == 0);
      ++fifos;
    }
  BOOST_TEST(fifos >= 1u);
  project e;
  e.write("ok.c", "int ok(void) { return 5; }\n");
  e.write("build.ninja", rule("-O2") + "build ok.o: cc ok.c\n");
  (void)sys::sleep_for(std::chrono::milliseconds(50));
  const toolchain::ninja_build_report damaged = build(e);
  BOOST_TEST(damaged.ran == 1u);
  BOOST_TEST(damaged.cached == 0u);
  BOOST_TEST(e.read("ok.o") == c.read("ok.o"));
  std::size_t left = 0;  // the one e's compile asked for was taken away as damage
  for (const auto& f : std::filesystem::recursive_directory_iterator(std::string(store.path().view()) + "/manifests"))
    left += f.is_fifo() ? 1 : 0;
  BOOST_TEST(left == fifos - 1);
}

BOOST_AUTO_TEST_CASE(with_distcc_compiles_go_to_the_servers_and_stay_here_when_none_answers) {
#if !defined(VITTE_TEST_DISTCCD)
  BOOST_TEST_MESSAGE("skipped: distccd runs on a Linux host, not under an emulator or Wine");
#else
  const auto cc = sys::find_program("cc");
  const auto exe = sys::find_program("distccd");
  if (!cc || !exe) {
    BOOST_TEST_MESSAGE("skipped: cc or distccd is not installed");
    return;
  }
  const auto name = toolchain::distcc_compiler_name(*cc);
  if (!name || !sys::stat(sys::path_join("/usr/lib/distcc", *name))) {
    BOOST_TEST_MESSAGE("skipped: distccd would refuse the compiler (not in /usr/lib/distcc)");
    return;
  }
  const char* manifest =
      "rule cc\n  command = cc -O2 -MD -MF $out.d -c $in -o $out\n  depfile = $out.d\n  deps = gcc\n"
      "rule link\n  command = cc $in -o $out\n"
      "build obj/a.o: cc a.c\nbuild obj/b.o: cc b.c\nbuild obj/c.o: cc c.c\nbuild obj/main.o: cc main.c\n"
      "build prog: link obj/a.o obj/b.o obj/c.o obj/main.o\n";
  project here, there, dead;
  for (const project* p : {&here, &there, &dead}) {
    p->write("build.ninja", manifest);
    p->write("n.h", "#define N 7\n");
    for (const char* u : {"a", "b", "c"})
      p->write(std::string(u) + ".c", std::string("#include \"n.h\"\nint ") + u + "(void) { return N; }\n");
    p->write("main.c",
             "#include <stdio.h>\nint a(void), b(void), c(void);\n"
             "int main(void) { printf(\"%d\\n\", a() + b() + c()); }\n");
  }
  here.build();  // the reference: every compile here, no pool

  const vitte_test::distccd server(std::string(exe->view()), std::string(there.path("distccd.log").view()));
  BOOST_TEST_REQUIRE(server.ready());
  toolchain::compile_pool_options po;
  po.servers.push_back(server.host());
  po.local_slots = 1;
  toolchain::compile_pool pool(std::move(po));
  toolchain::ninja_build_options o;
  o.distcc = &pool;
  o.jobs = 3;  // the server's two slots and one here
  recorder r = there.build({}, o);
  BOOST_TEST(r.report.ran == 5u);
  BOOST_TEST(r.report.distributed == pool.stats().remote);
  BOOST_TEST(pool.stats().remote + pool.stats().local == 4u);  // the four compiles; the link ran as a command
  BOOST_TEST(pool.stats().remote >= 1u);
  for (const char* o2 : {"obj/a.o", "obj/b.o", "obj/c.o", "obj/main.o"})
    BOOST_TEST(there.read(o2) == here.read(o2), o2);
  auto out = sys::command(there.path("prog")).output().value();
  BOOST_TEST(std::string(out.out.view()) == "21\n");
  BOOST_TEST(there.build({}, o).started_steps.empty());  // the depfiles went into .ninja_deps
  BOOST_TEST(ninja_agrees_nothing_is_left(there));

  // Every server dead: each compile runs here, and the build is the same.
  toolchain::compile_pool_options gone;
  gone.servers.push_back(toolchain::distcc_host{text("127.0.0.1"), vitte_test::free_port(), 2});
  gone.connect_timeout = std::chrono::milliseconds(500);
  toolchain::compile_pool nobody(std::move(gone));
  o.distcc = &nobody;
  recorder d = dead.build({}, o);
  BOOST_TEST(d.report.ran == 5u);
  BOOST_TEST(d.report.distributed == 0u);
  BOOST_TEST(nobody.stats().local == 4u);
  for (const char* o2 : {"obj/a.o", "obj/b.o", "obj/c.o", "obj/main.o"}) BOOST_TEST(dead.read(o2) == here.read(o2), o2);
#endif
}

BOOST_AUTO_TEST_CASE(only_a_compile_the_cache_understands_is_looked_up) {
  toolchain::ninja_step s;
  s.depfile = text("a.o.d");
  s.outputs.push_back(text("a.o"));
  s.inputs.push_back(text("a.c"));
  vitte::buffer<text> argv;
  const auto cacheable = [&](const char* command) {
    s.command = text(command);
    return toolchain::detail::cacheable_compile(s, argv);
  };
  BOOST_TEST(cacheable("cc -O2 -MD -MF a.o.d -c a.c -o a.o"));
  BOOST_TEST(cacheable("/usr/bin/x86_64-linux-gnu-gcc-12 '-DX=1' -MD -MF a.o.d -c a.c -oa.o"));
  BOOST_TEST(cacheable("clang++-14 -MD -MF ./a.o.d -c a.c -o ./a.o"));
  BOOST_TEST(!cacheable("cc -MMD -MF a.o.d -c a.c -o a.o"));                  // system headers left out
  BOOST_TEST(!cacheable("cc -MD -c a.c -o a.o"));                             // the depfile not named: a.d, maybe stale
  BOOST_TEST(!cacheable("cc -MD -MF a.o.d -c a.c -o a.o --save-temps"));      // the long spelling too
  BOOST_TEST(!cacheable("cc -MD -MF a.o.d -c a.c -o a.o -fopt-info-all=o"));  // a report beside it
  BOOST_TEST(!cacheable("cc -MD -MF a.o.d -c a.c -o a.o -dA"));               // RTL dumps
  BOOST_TEST(!cacheable("cc -MD -MF a.o.d -c a.c -o a.o -aux-info x"));
  BOOST_TEST(!cacheable("cc -MD -MF a.o.d a.c -o a.o"));                          // links: no -c
  BOOST_TEST(!cacheable("cc -MD -MF a.o.d -c a.c -o b.o"));                       // writes what the step does not list
  BOOST_TEST(!cacheable("cc -MD -MF other.d -c a.c -o a.o"));                     // another depfile
  BOOST_TEST(!cacheable("cc -c a.c -o a.o"));                                     // nothing says what it read
  BOOST_TEST(!cacheable("cc -MD -MF a.o.d -c a.c -o a.o && touch x"));            // the shell
  BOOST_TEST(!cacheable("cc -MD -MF a.o.d -c a.c -o a.o -DV=$(date)"));           // an expansion
  BOOST_TEST(!cacheable("cc -MD -MF a.o.d -c a.c -o a.o -save-temps"));           // files not listed
  BOOST_TEST(!cacheable("cc -MD -MF a.o.d -c a.c -o a.o -gsplit-dwarf"));         // a .dwo
  BOOST_TEST(!cacheable("cc -MD -MF a.o.d -c a.c -o a.o -fprofile-use=a.gcda"));  // reads what no depfile names
  BOOST_TEST(!cacheable("cc -MD -MF a.o.d -c a.c -o a.o -B/opt/other-cc1/"));     // another compiler proper
  BOOST_TEST(!cacheable("cc -MD -MF a.o.d -c a.c -o a.o @flags.rsp"));            // a response file
  BOOST_TEST(!cacheable("ccache cc -MD -MF a.o.d -c a.c -o a.o"));                // a wrapper caching itself
  BOOST_TEST(!cacheable("gcc-ar rcs a.o a.c -c -MD -MF a.o.d -o a.o"));           // a companion, not the driver
  BOOST_TEST(!cacheable("cc -MD -MF a.o.d -c a.c -o a.o 'unclosed"));             // does not split
  s.depfile = text();
  BOOST_TEST(!cacheable("cc -MD -c a.c -o a.o"));  // no depfile in the step
}

BOOST_AUTO_TEST_SUITE_END()
#else
BOOST_AUTO_TEST_CASE(ninja_build_needs_a_posix_shell) {
  BOOST_TEST_MESSAGE(
      "the tests run commands through /bin/sh; the Windows build runs them through cmd /c untested here");
}
#endif
