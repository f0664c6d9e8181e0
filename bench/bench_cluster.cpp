// bench/bench_cluster: compiles spread over three loopback distccd servers,
// as whole processes, on a generated C project of N units (default 400;
// VITTE_BENCH_UNITS sets it), every build from empty (no object, no cache):
//   cluster.build_N   wall time of a first build:
//       vitte                         examples/driver --distcc (3 servers x 2), -j6
//       distcc as the compiler        ninja -j6, `distcc cc` (DISTCC_HOSTS the same servers)
//       ccache + distcc               ninja -j6, `ccache cc` with CCACHE_PREFIX=distcc, an empty cache
//       local                         ninja -j2, `cc` (this machine's two cores)
//   cluster.client_cpu_per_step_N  the CPU time (user + system) the client
//       side spends per compile: every process of the build but the
//       servers (the driver or ninja, the preprocessors, distcc's client),
//       against distcc's client, and against a whole compile here (the
//       local build's CPU per step: the model's p / c).
// The servers run on this machine, so the figures measure overhead, not
// speed-up (docs/CLUSTER.md models the speed-up for N machines from them).
// Skipped, saying why, when distccd, distcc, ninja or cc is absent; the
// ccache line when ccache is. Usage: bench_cluster [DRIVER] (default:
// remote_driver beside this program).
#include <vitte/sys/directory.hpp>
#include <vitte/sys/process.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/time.hpp>
#include <vitte/sys/whole_file.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <sys/resource.h>

#include "harness.hpp"
#include "support/servers.hpp"

namespace sys = vitte::sys;

namespace {

void must(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "bench_cluster: %s failed\n", what);
  std::exit(1);
}

// CPU time of the waited-for children so far, in nanoseconds.
double children_cpu_ns() {
  rusage u{};
  getrusage(RUSAGE_CHILDREN, &u);
  const auto ns = [](const timeval& t) { return t.tv_sec * 1e9 + t.tv_usec * 1e3; };
  return ns(u.ru_utime) + ns(u.ru_stime);
}

// PROJECT/u*.c (each a loop the optimiser works on), PROJECT/main.c, and a
// build.ninja per way of compiling under ROOT/<way>/.
void generate(const std::string& root, int units, const std::vector<std::pair<std::string, std::string>>& ways) {
  const std::string project = root + "/project";
  must(sys::create_directories(project.c_str()).has_value(), "creating the project");
  must(sys::write_file((project + "/k.h").c_str(), "#define K 11\n").has_value(), "the header");
  std::string decls, calls, builds, objects;
  for (int i = 0; i < units; ++i) {
    const std::string n = std::to_string(i);
    std::string body;
    for (int j = 0; j < 24; ++j)
      body += "  x = (x * " + std::to_string(j * 2 + 3) + "u) ^ (x >> " + std::to_string(j % 11 + 1) + ");\n";
    must(sys::write_file((project + "/u" + n + ".c").c_str(), "#include \"k.h\"\n#include <string.h>\nunsigned u" + n +
                                                                  "(unsigned x) {\n" + body + "  return x + K + " + n +
                                                                  ";\n}\n")
             .has_value(),
         "a unit");
    decls += "unsigned u" + n + "(unsigned);\n";
    calls += "  s += u" + n + "(1u);\n";
    builds += "build obj/u" + n + ".o: cc " + project + "/u" + n + ".c\n";
    objects += " obj/u" + n + ".o";
  }
  must(sys::write_file((project + "/main.c").c_str(), "#include <stdio.h>\n" + decls +
                                                          "int main(void) {\n  unsigned s = 0;\n" + calls +
                                                          "  printf(\"%u\\n\", s);\n  return 0;\n}\n")
           .has_value(),
       "main.c");
  builds += "build obj/main.o: cc " + project + "/main.c\nbuild app: link" + objects + " obj/main.o\n";
  for (const auto& [way, compiler] : ways) {
    must(sys::create_directories((root + "/" + way).c_str()).has_value(), "a ninja directory");
    const std::string ninja = "rule cc\n  command = " + compiler +
                              " -c -O2 -MD -MF $out.d -o $out $in\n  depfile = $out.d\n  deps = gcc\n"
                              "rule link\n  command = cc -o $out $in\n" +
                              builds;
    must(sys::write_file((root + "/" + way + "/build.ninja").c_str(), vitte::text_view(ninja)).has_value(),
         "build.ninja");
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string driver = argc > 1 ? argv[1] : argv[0];
  if (argc < 2) driver = driver.substr(0, driver.rfind('/') + 1) + "remote_driver";
  const std::string distccd = vitte_test::find_server("distccd"), distcc = vitte_test::find_server("distcc"),
                    ninja = vitte_test::find_server("ninja"), cc = vitte_test::find_server("cc"),
                    ccache = vitte_test::find_server("ccache");
  if (distccd.empty() || distcc.empty() || ninja.empty() || cc.empty()) {
    std::fprintf(stderr,
                 "bench_cluster: skipped: distccd, distcc, ninja or cc not installed (Debian distcc, "
                 "ninja-build, gcc)\n");
    return 0;
  }
  const char* env_units = std::getenv("VITTE_BENCH_UNITS");
  const int units = env_units != nullptr && std::atoi(env_units) > 0 ? std::atoi(env_units) : 400;
  const std::string n = std::to_string(units);
  auto tmp = sys::temp_directory::create({}, "vitte-bench-cluster-").value();
  const std::string root(tmp.path().c_str());
  std::vector<std::pair<std::string, std::string>> ways = {{"distcc", "distcc cc"}, {"local", "cc"}};
  if (!ccache.empty()) ways.push_back({"ccache", "ccache cc"});
  generate(root, units, ways);

  // Three servers, two compiles each, on loopback.
  std::vector<sys::child> servers;
  std::string hosts;
  for (int i = 0; i < 3; ++i) {
    const int port = vitte_test::free_port();
    sys::command c{vitte::text(distccd.c_str())};
    c.args({"--daemon", "--no-detach", "--listen", "127.0.0.1", "--port", std::to_string(port).c_str(), "--allow",
            "127.0.0.1", "--jobs", "2"});
    c.out(sys::stdio::null()).err(sys::stdio::null());
    auto child = c.spawn();
    must(child.has_value(), "starting distccd");
    servers.push_back(std::move(*child));
    must(vitte_test::wait_listening(static_cast<std::uint16_t>(port)), "distccd listening");
    // Appended piece by piece: a chain of operator+ trips GCC 12 -O3's -Wrestrict (a false positive).
    if (!hosts.empty()) hosts += ' ';
    hosts += "127.0.0.1:";
    hosts += std::to_string(port);
    hosts += "/2";
  }

  struct way_cost {
    double cpu_ns = 0;
    int builds = 0;
  };
  way_cost costs[4];
  const auto timed = [&](way_cost& w, auto&& run) {
    const double before = children_cpu_ns();
    run();
    w.cpu_ns += children_cpu_ns() - before;
    ++w.builds;
  };
  const auto ninja_build = [&](const std::string& way, const char* jobs, bool with_ccache) {
    const std::string dir = root + "/" + way;
    for (const char* leftover : {"/obj", "/.ninja_log", "/.ninja_deps", "/app", "/ccache"})
      (void)sys::remove_all((dir + leftover).c_str());
    sys::command c{vitte::text(ninja.c_str())};
    c.args({"-C", dir.c_str(), "-j", jobs}).env("DISTCC_HOSTS", hosts.c_str()).env("LANG", "C");
    if (with_ccache) c.env("CCACHE_DIR", (dir + "/ccache").c_str()).env("CCACHE_PREFIX", "distcc");
    c.out(sys::stdio::null());
    auto r = c.run();
    must(r && r->success(), ("a build with ninja (" + way + ")").c_str());
  };
  {
    const char* env_reps = std::getenv("VITTE_BENCH_CLUSTER_REPS");
    bench::suite s{"cluster.build_" + n, env_reps != nullptr && std::atoi(env_reps) > 0 ? std::atoi(env_reps) : 1};
    s.batch_size(1);
    s.add_batch("vitte", [&](std::uint64_t) {
      timed(costs[0], [&] {
        const std::string build = root + "/vitte-build";
        (void)sys::remove_all(build.c_str());
        sys::command c{vitte::text(driver.c_str())};
        c.args({(root + "/project").c_str(), build.c_str(), "-j", "6", "--quiet", "--distcc", hosts.c_str()});
        c.out(sys::stdio::null());
        auto r = c.run();
        must(r && r->success(), "a build with the driver through the servers");
      });
    });
    s.add_batch("distcc as the compiler",
                [&](std::uint64_t) { timed(costs[1], [&] { ninja_build("distcc", "6", false); }); });
    if (!ccache.empty())
      s.add_batch("ccache + distcc",
                  [&](std::uint64_t) { timed(costs[2], [&] { ninja_build("ccache", "6", true); }); });
    s.add_batch("local", [&](std::uint64_t) { timed(costs[3], [&] { ninja_build("local", "2", false); }); });
    s.run();
  }
  // Client CPU per compile (units + main.c), against distcc's client.
  const double steps = units + 1;
  const auto per_step = [&](const way_cost& w) { return w.builds == 0 ? 0.0 : w.cpu_ns / w.builds / steps; };
  const double mine = per_step(costs[0]), theirs = per_step(costs[1]), here = per_step(costs[3]);
  const auto line = [&](const char* baseline, double other) {
    std::printf(
        "{\"bench\": \"cluster.client_cpu_per_step_%s\", \"impl\": \"vitte\", \"median_ns\": %.0f, "
        "\"baseline\": \"%s\", \"baseline_median_ns\": %.0f, \"ratio\": %.3f}\n",
        n.c_str(), mine, baseline, other, other > 0 ? mine / other : 0.0);
  };
  line("distcc client", theirs);
  // The client's share of a whole compile here: p / c in docs/CLUSTER.md's model.
  line("a whole compile here", here);
  for (sys::child& c : servers) (void)c.kill();
}
