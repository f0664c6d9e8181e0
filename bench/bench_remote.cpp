// bench/bench_remote: a build of 1,000 C files sharing its results through
// a real nginx (started here; skipped, saying why, when nginx or ccache is
// absent), vitte's cache (examples/driver --remote URL|layout=subdirs)
// against Debian's ccache (CCACHE_REMOTE_STORAGE=URL|layout=subdirs), both
// compiling with the same cc and flags, one file at a time:
//   remote.upload_1000     a cold build: every object compiled and sent
//   remote.download_1000   a fresh build directory and local cache, the same
//                          checkout: every object fetched from the server
// Each run has fresh local caches and, for uploads, a fresh path on the
// server; the build directory keeps its path (emptied). Usage: bench_remote [DRIVER] (default: remote_driver beside
// this program, which bench/meson.build builds from examples/driver).
#include <vitte/sys/directory.hpp>
#include <vitte/sys/process.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/whole_file.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "harness.hpp"
#include "support/servers.hpp"

namespace sys = vitte::sys;

namespace {

constexpr int files = 1000;

void run_or_die(sys::command& c) {
  auto r = c.run();
  if (!r || !r->success()) {
    std::fprintf(stderr, "bench_remote: %s failed\n", c.command_line().c_str());
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string driver = argc > 1 ? argv[1] : argv[0];
  if (argc < 2) driver = driver.substr(0, driver.rfind('/') + 1) + "remote_driver";
  const std::string ccache = vitte_test::find_server("ccache"), cc = vitte_test::find_server("gcc");
  if (ccache.empty() || cc.empty()) {
    std::fprintf(stderr, "bench_remote: skipped: ccache or gcc not installed (Debian ccache, gcc)\n");
    return 0;
  }
  auto tmp = sys::temp_directory::create().value();
  const std::string root(tmp.path().c_str());
  auto server = vitte_test::nginx_server::start(root + "/nginx");
  if (!server) {
    std::fprintf(stderr, "bench_remote: skipped: %s\n", vitte_test::nginx_server::why().c_str());
    return 0;
  }
  // The project: 1,000 small translation units and a main.
  const std::string project = root + "/project";
  (void)sys::create_directories(project.c_str());
  std::string decls, calls;
  for (int i = 0; i < files; ++i) {
    const std::string n = std::to_string(i);
    (void)sys::write_file(
        (project + "/f" + n + ".c").c_str(),
        "int f" + n + "(int x) { int s = 0; for (int k = 0; k < x; ++k) s += k * " + n + " ^ (s >> 3); return s; }\n");
    decls += "int f" + n + "(int);\n";
    calls += "  s += f" + n + "(argc);\n";
  }
  (void)sys::write_file((project + "/main.c").c_str(),
                        decls + "int main(int argc, char** argv) {\n  (void)argv;\n  int s = 0;\n" + calls +
                            "  return s == 12345 ? 1 : 0;\n}\n");
  int run = 0;
  const auto fresh = [&](const char* what) { return root + "/" + what + std::to_string(++run); };
  // Build directories keep their path from run to run (emptied first): what
  // a CI job or a second machine sees, a checkout at the same place. The
  // driver's keys name the build directory (command_key's cwd), as ccache's
  // do for -g builds.
  const auto emptied = [&](const char* what) {
    const std::string dir = root + "/" + what;
    (void)sys::remove_all(dir.c_str());
    (void)sys::create_directories(dir.c_str());
    return dir;
  };

  // vitte: the driver, each run in a fresh build directory and local cache.
  const auto vitte_build = [&](const std::string& prefix) {
    sys::command c{vitte::text(driver.c_str())};
    c.args({project.c_str(), emptied("vitte-build").c_str(), "--cache", fresh("vc").c_str(), "--remote",
            (server->url() + "/" + prefix + "|layout=subdirs").c_str(), "--quiet"})
        .out(sys::stdio::null());
    run_or_die(c);
  };
  // ccache: the same compiles through `ccache gcc`, then the same link.
  const auto ccache_build = [&](const std::string& prefix) {
    const std::string out = emptied("ccache-build"), dir = fresh("cc");
    const std::string remote = server->url() + "/" + prefix + "|layout=subdirs";
    std::vector<std::string> objects;
    for (int i = -1; i < files; ++i) {
      std::string stem = i < 0 ? "main" : "f";  // appended: "f" + std::to_string(i) trips GCC 12 -O3's -Wrestrict
      if (i >= 0) stem += std::to_string(i);
      const std::string obj = out + "/" + stem + ".o";
      sys::command c{vitte::text(ccache.c_str())};
      c.args({cc.c_str(), "-c", "-O2", "-MD", "-MF", (out + "/" + stem + ".d").c_str(), "-o", obj.c_str(),
              (project + "/" + stem + ".c").c_str()})
          .env("CCACHE_DIR", dir.c_str())
          .env("CCACHE_REMOTE_STORAGE", remote.c_str())
          .env("LANG", "C")
          .cwd(vitte::text(out.c_str()));
      run_or_die(c);
      objects.push_back(obj);
    }
    sys::command link{vitte::text(cc.c_str())};
    link.args(objects).args({"-o", (out + "/app").c_str()});
    run_or_die(link);
  };

  {
    bench::suite s{"remote.upload_1000", 3};
    s.batch_size(1);
    s.add_batch("vitte", [&](std::uint64_t) { vitte_build("vitte-up" + std::to_string(++run)); });
    s.add_batch("ccache", [&](std::uint64_t) { ccache_build("ccache-up" + std::to_string(++run)); });
    s.run();
  }
  {
    vitte_build("vitte-shared");
    ccache_build("ccache-shared");
    bench::suite s{"remote.download_1000", 5};
    s.batch_size(1);
    s.add_batch("vitte", [&](std::uint64_t) { vitte_build("vitte-shared"); });
    s.add_batch("ccache", [&](std::uint64_t) { ccache_build("ccache-shared"); });
    s.run();
  }
  return 0;
}
