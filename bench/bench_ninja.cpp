// bench/bench_ninja: `vitte build` against ninja as whole processes, on the
// generated C project of bench/c_project.hpp (N units, default 1,000;
// VITTE_BENCH_UNITS sets it) and on this build tree's own build.ninja:
//   ninja.build_N_j2     a first build with -j2 (objects, .ninja_log and
//                        .ninja_deps removed before each)
//   ninja.noop_N         a no-op: everything up to date
//   ninja.noop_meson     a dry run (-n) on Meson's build.ninja of vitte
//                        itself, the build tree this program is in: the
//                        manifest read, .ninja_log and .ninja_deps loaded,
//                        every step found up to date (-n: nothing is built
//                        when something is not)
// Skipped, saying why, when ninja or cc is absent. Usage: bench_ninja
// [VITTE] (default: tools/vitte in the build tree).
#include <vitte/sys/directory.hpp>
#include <vitte/sys/process.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/time.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "build_tree.hpp"
#include "c_project.hpp"
#include "harness.hpp"
#include "support/servers.hpp"

namespace sys = vitte::sys;
using bench::must;
using bench::run_expecting;

int main(int argc, char** argv) {
  const std::string vitte = argc > 1 ? argv[1] : bench::in_build_tree("tools/vitte");
  const std::string ninja = vitte_test::find_server("ninja"), cc = vitte_test::find_server("cc");
  if (ninja.empty() || cc.empty()) {
    std::fprintf(stderr, "bench_ninja: skipped: ninja or cc not installed (Debian ninja-build, gcc)\n");
    return 0;
  }
  const char* env_units = std::getenv("VITTE_BENCH_UNITS");
  const int units = env_units != nullptr && std::atoi(env_units) > 0 ? std::atoi(env_units) : 1000;
  const std::string n = std::to_string(units);
  auto tmp = sys::temp_directory::create({}, "vitte-bench-ninja-").value();
  const std::string root(tmp.path().c_str());
  bench::generate_c_project(root, units);
  // The same manifest in a second directory, for vitte.
  const std::string theirs = root + "/ninja", ours = root + "/vitte";
  must(sys::create_directories(ours.c_str()).has_value(), "creating vitte's directory");
  must(sys::copy_file((theirs + "/build.ninja").c_str(), (ours + "/build.ninja").c_str()).has_value(),
       "copying the manifest");
  const auto clean = [](const std::string& dir) {
    (void)sys::remove_all((dir + "/obj").c_str());
    (void)sys::remove_all((dir + "/.ninja_log").c_str());
    (void)sys::remove_all((dir + "/.ninja_deps").c_str());
  };
  // `vitte build -C DIR ...` or `ninja -C DIR ...`.
  const auto tool = [&](const std::string& program, const std::string& dir,
                        std::initializer_list<vitte::text_view> more) {
    sys::command c{vitte::text(program.c_str())};
    if (program == vitte) c.arg("build");
    c.args({"-C", dir.c_str()});
    c.args(more);
    return c;
  };
  {
    bench::suite s{"ninja.build_" + n + "_j2", 1};
    s.batch_size(1);
    s.add_batch("vitte", [&](std::uint64_t) {
      clean(ours);
      sys::command c = tool(vitte, ours, {"-j", "2"});
      run_expecting(c, "", "a first build with vitte build");
    });
    s.add_batch("ninja", [&](std::uint64_t) {
      clean(theirs);
      sys::command c = tool(ninja, theirs, {"-j", "2"});
      run_expecting(c, "", "a first build with ninja");
    });
    s.run();
  }
  {
    bench::suite s{"ninja.noop_" + n, 101};
    s.batch_size(1);
    s.add_batch("vitte", [&](std::uint64_t) {
      sys::command c = tool(vitte, ours, {});
      run_expecting(c, "no work to do", "a no-op with vitte build");
    });
    s.add_batch("ninja", [&](std::uint64_t) {
      sys::command c = tool(ninja, theirs, {});
      run_expecting(c, "no work to do", "a no-op with ninja");
    });
    s.run();
  }
  {
    const std::string tree = bench::in_build_tree(".");
    bench::suite s{"ninja.noop_meson", 31};
    s.batch_size(1);
    s.add_batch("vitte", [&](std::uint64_t) {
      sys::command c = tool(vitte, tree, {"-n"});
      run_expecting(c, "", "a dry run of vitte's own build with vitte build");
    });
    s.add_batch("ninja", [&](std::uint64_t) {
      sys::command c = tool(ninja, tree, {"-n"});
      run_expecting(c, "", "a dry run of vitte's own build with ninja");
    });
    s.run();
  }
}
