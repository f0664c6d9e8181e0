// bench/bench_driver: the example driver (examples/driver) against ninja as
// whole processes, on a generated C project of N units (default 1,000;
// VITTE_BENCH_UNITS sets it) and N/25 headers, each unit including two,
// both compiling with `cc -c -O2 -MD` and linking with cc:
//   driver.build_N_j2   a first build with -j2 (an empty build directory
//                       and, for the driver, an empty cache)
//   driver.noop_N       a no-op: everything up to date (the driver says
//                       "nothing to do", ninja "no work to do")
//   monitor.noop_N      the driver's no-op with --monitor 0 --trace
//                       --ninja-log --events against the same without
//   monitor.build_N_j2  the first build, with and without them (3
//                       repetitions; VITTE_BENCH_MONITOR_REPS sets it)
//   monitor.noop_work_N the monitor's own work in a no-op (the page's
//                       port bound and closed, a look for a waiting client
//                       as the driver goes through the units, the events
//                       file, the trace and .ninja_log), timed in this
//                       process, against the driver's no-op: the ratio is
//                       its share
//   monitor.build_work_N the same for a build of N + 2 steps (each step
//                       started and finished through the monitor; the
//                       page's server serves from the first), against the
//                       driver's first build
// On a machine shared with other work the whole-process pairs move by
// more than the cost they compare; the *_work lines time that cost alone.
// Skipped, saying why, when ninja or cc is absent. Usage: bench_driver
// [DRIVER] (default: remote_driver beside this program, which
// bench/meson.build builds from examples/driver).
#include <vitte/sys/directory.hpp>
#include <vitte/sys/process.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/time.hpp>
#include <vitte/sys/whole_file.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <fcntl.h>   // open: /dev/null
#include <unistd.h>  // dup, dup2

#include "../examples/driver/monitor.hpp"  // the driver's monitor, timed alone
#include "c_project.hpp"
#include "harness.hpp"
#include "support/servers.hpp"

namespace sys = vitte::sys;
using bench::must;
using bench::run_expecting;

int main(int argc, char** argv) {
  std::string driver = argc > 1 ? argv[1] : argv[0];
  if (argc < 2) driver = driver.substr(0, driver.rfind('/') + 1) + "remote_driver";
  const std::string ninja = vitte_test::find_server("ninja"), cc = vitte_test::find_server("cc");
  if (ninja.empty() || cc.empty()) {
    std::fprintf(stderr, "bench_driver: skipped: ninja or cc not installed (Debian ninja-build, gcc)\n");
    return 0;
  }
  const char* env_units = std::getenv("VITTE_BENCH_UNITS");
  const int units = env_units != nullptr && std::atoi(env_units) > 0 ? std::atoi(env_units) : 1000;
  const std::string n = std::to_string(units);
  auto tmp = sys::temp_directory::create({}, "vitte-bench-driver-").value();
  const std::string root(tmp.path().c_str());
  bench::generate_c_project(root, units);
  const std::string project = root + "/project", vitte_build = root + "/vitte-build";

  const auto driver_command = [&](bool quiet) {
    sys::command c{vitte::text(driver.c_str())};
    c.args({project.c_str(), vitte_build.c_str()});
    if (quiet) c.arg("--quiet");
    return c;
  };
  const auto emptied = [](const std::string& dir) {
    (void)sys::remove_all(dir.c_str());
    must(sys::create_directories(dir.c_str()).has_value(), "emptying a build directory");
  };
  {
    bench::suite s{"driver.build_" + n + "_j2", 1};
    s.batch_size(1);
    s.add_batch("vitte", [&](std::uint64_t) {
      emptied(vitte_build);
      sys::command c = driver_command(true);
      c.args({"-j", "2"});
      run_expecting(c, "", "a first build with the driver");
    });
    s.add_batch("ninja", [&](std::uint64_t) {
      (void)sys::remove_all((root + "/ninja/obj").c_str());
      (void)sys::remove_all((root + "/ninja/.ninja_log").c_str());
      (void)sys::remove_all((root + "/ninja/.ninja_deps").c_str());
      sys::command c{vitte::text(ninja.c_str())};
      c.args({"-C", (root + "/ninja").c_str(), "-j", "2"});
      run_expecting(c, "", "a first build with ninja");
    });
    s.run();
  }
  // Every stamp settled, as between two builds; the warm-up runs record that.
  (void)sys::sleep_for(std::chrono::milliseconds(2100));
  {
    // Pairs taken in turn; many of them, as one no-op in a few moves by
    // 20% on a shared machine.
    bench::suite s{"driver.noop_" + n, 101};
    s.batch_size(1);
    s.add_batch("vitte", [&](std::uint64_t) {
      sys::command c = driver_command(false);
      run_expecting(c, "nothing to do", "a no-op with the driver");
    });
    s.add_batch("ninja", [&](std::uint64_t) {
      sys::command c{vitte::text(ninja.c_str())};
      c.args({"-C", (root + "/ninja").c_str()});
      run_expecting(c, "no work to do", "a no-op with ninja");
    });
    s.run();
  }
  // What monitoring costs (examples/driver/monitor.hpp): the page's server,
  // the events file, and the trace and .ninja_log written at the end.
  const auto monitored = [&](sys::command c) {
    c.args({"--monitor", "0", "--trace", (root + "/trace.json").c_str(), "--ninja-log", (root + "/ninja_log").c_str(),
            "--events", (root + "/events").c_str()});
    return c;
  };
  // A 2% goal against a no-op that moves by 20% on a loaded machine: many
  // pairs (each a few tens of milliseconds).
  constexpr int noop_pairs = 201;
  {
    bench::suite s{"monitor.noop_" + n, noop_pairs};
    s.batch_size(1);
    s.add_batch("vitte", [&](std::uint64_t) {
      sys::command c = monitored(driver_command(false));
      run_expecting(c, "nothing to do", "a monitored no-op");
    });
    s.add_batch("driver without monitoring", [&](std::uint64_t) {
      sys::command c = driver_command(false);
      run_expecting(c, "nothing to do", "a no-op with the driver");
    });
    s.run();
  }
  {
    const char* env_reps = std::getenv("VITTE_BENCH_MONITOR_REPS");
    bench::suite s{"monitor.build_" + n + "_j2",
                   env_reps != nullptr && std::atoi(env_reps) > 0 ? std::atoi(env_reps) : 3};
    s.batch_size(1);
    const auto build = [&](bool monitor) {
      emptied(vitte_build);
      sys::command c = driver_command(true);
      c.args({"-j", "2"});
      if (monitor) c = monitored(std::move(c));
      run_expecting(c, "", "a first build with the driver");
    };
    s.add_batch("vitte", [&](std::uint64_t) { build(true); });
    s.add_batch("driver without monitoring", [&](std::uint64_t) { build(false); });
    s.run();
  }
  // The monitor's work alone, as the driver does it: `steps` steps with
  // the names and outputs of this project's.
  const auto monitor_work = [&](int steps) {
    driver_monitor::options o;
    o.port = 0;
    o.trace = root + "/trace.json";
    o.ninja_log = root + "/ninja_log";
    o.events = root + "/events";
    // The URL line goes to /dev/null, not among the JSON lines.
    std::fflush(stdout);
    const int saved = ::dup(1), null = ::open("/dev/null", O_WRONLY);
    must(saved >= 0 && null >= 0 && ::dup2(null, 1) == 1, "hiding stdout");
    {
      driver_monitor::monitor m(o, vitte_build);
      must(m.start(2), "starting the monitor");
      for (int i = 0; i <= units; ++i) m.tick();  // as the driver goes through its units and main.c
      for (int i = 0; i < steps; ++i) {
        const std::string object = vitte_build + "/obj/f" + std::to_string(i) + ".o";
        const std::uint32_t id =
            m.started("cc src/f" + std::to_string(i) + ".c", object, "never built; cache: no entry for these inputs");
        m.finished(id, 0, vitte::toolchain::cache_tier::none, "local", object);
      }
      m.finish(steps == 0 ? static_cast<std::uint64_t>(units) + 1 : 0);
    }
    std::fflush(stdout);
    must(::dup2(saved, 1) == 1, "restoring stdout");
    ::close(saved);
    ::close(null);
  };
  {
    bench::suite s{"monitor.noop_work_" + n, noop_pairs};
    s.batch_size(1);
    s.add_batch("vitte", [&](std::uint64_t) { monitor_work(0); });
    s.add_batch("driver no-op without monitoring", [&](std::uint64_t) {
      sys::command c = driver_command(false);
      run_expecting(c, "nothing to do", "a no-op with the driver");
    });
    s.run();
  }
  {
    bench::suite s{"monitor.build_work_" + n, 1};
    s.batch_size(1);
    s.add_batch("vitte", [&](std::uint64_t) { monitor_work(units + 2); });
    s.add_batch("driver first build without monitoring", [&](std::uint64_t) {
      emptied(vitte_build);
      sys::command c = driver_command(true);
      c.args({"-j", "2"});
      run_expecting(c, "", "a first build with the driver");
    });
    s.run();
  }
}
