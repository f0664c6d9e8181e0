// examples/driver: a small real build driver on the build kit (vitte/cache, vitte/toolchain).
//
//   driver PROJECT BUILD [--cache DIR] [--remote URL] [--dry-run] [--quiet]
//
// Compiles every PROJECT/*.c with the system cc into BUILD (each object
// through the cache, header dependencies from -MD files), links them with
// cc into BUILD/app, runs it, and says what it did and why. A second run
// does nothing and says so; editing a header rebuilds exactly the objects
// that include it; a fresh BUILD with the same cache restores every object
// from it. The record of each step is BUILD/index.vitte. With --remote
// (http://host:port/path[|layout=subdirs], redis://host:port/db; see
// docs/CACHE.md) the cache shares results through that server: a second
// checkout on another machine builds with every object from it.
#include <vitte/cache.hpp>
#include <vitte/log.hpp>
#include <vitte/sys/directory.hpp>
#include <vitte/sys/fs.hpp>
#include <vitte/sys/path_ops.hpp>
#include <vitte/toolchain.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace build = vitte::build;
namespace sys = vitte::sys;
namespace lg = vitte::log;
using vitte::text;

namespace {

int fail(const char* what, const vitte::error& e) {
  std::fprintf(stderr, "driver: %s: %s\n", what, e.message().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> pos;
  std::string cache_dir, remote;
  bool dry_run = false, quiet = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--cache") == 0 && i + 1 < argc)
      cache_dir = argv[++i];
    else if (std::strcmp(argv[i], "--remote") == 0 && i + 1 < argc)
      remote = argv[++i];
    else if (std::strcmp(argv[i], "--dry-run") == 0)
      dry_run = true;
    else if (std::strcmp(argv[i], "--quiet") == 0)
      quiet = true;
    else
      pos.emplace_back(argv[i]);
  }
  if (pos.size() != 2) {
    std::fprintf(stderr, "usage: driver PROJECT BUILD [--cache DIR] [--remote URL] [--dry-run] [--quiet]\n");
    return 2;
  }
  auto project = sys::canonical(pos[0].c_str());
  if (!project) return fail("project", project.error());
  if (auto ok = sys::create_directories(pos[1].c_str()); !ok) return fail("build directory", ok.error());
  auto out = sys::canonical(pos[1].c_str());
  if (!out) return fail("build directory", out.error());
  if (cache_dir.empty()) cache_dir = sys::path_join(*out, "cache");

  lg::stream_sink err = lg::stream_sink::standard_error();
  lg::logger log(quiet ? lg::level::error : lg::level::warn);
  (void)log.add(err);

  auto cc = build::find_tool("cc");
  if (!cc) return fail("cc", cc.error());
  auto cache = build::cache::open(text(cache_dir));
  if (!cache) return fail("cache", cache.error());
  if (!remote.empty()) {
    auto options = build::remote_options::parse(remote.c_str());
    if (!options) return fail("--remote", options.error());
    if (auto ok = cache->attach_remote(std::move(*options), &log); !ok) return fail("--remote", ok.error());
  }
  auto index = build::index::open(sys::path_join(*out, "index.vitte"));
  if (!index) return fail("index", index.error());
  if (index->problem()) {
    vitte::diagnostic d = index->problem();
    std::printf("%s: rebuilding\n", d.about(index->path()).format().c_str());
  }
  build::file_hasher files;

  std::vector<std::string> sources;
  if (auto ok = sys::walk(project->c_str(),
                          [&](const sys::walk_entry& e) {
                            const std::string_view n(e.name);
                            if (e.type == sys::file_type::regular && n.size() > 2 && n.substr(n.size() - 2) == ".c")
                              sources.emplace_back(e.path);
                          },
                          {sys::symlink_policy::report, 0});
      !ok)
    return fail("listing the project", ok.error());
  std::sort(sources.begin(), sources.end());

  int compiled = 0, restored = 0, fresh = 0;
  vitte::buffer<text> objects;
  for (const std::string& src : sources) {
    const std::string stem(sys::file_name(src).substr(0, sys::file_name(src).size() - 2));
    const text obj = sys::path_join(*out, stem + ".o");
    const text dep = sys::path_join(*out, stem + ".d");
    objects.push_back(obj);
    const std::vector<std::string> args = {"-c", "-O2", "-MD", "-MF", std::string(dep), "-o", std::string(obj), src};
    const auto key = build::command_key(*cc).args(args).cwd(*out).env("LANG", "C").finish();
    const build::verdict v = index->check(obj, key, files);
    if (v.up_to_date()) {
      ++fresh;
      continue;
    }
    const text ins[] = {text(src)};
    const text outs[] = {obj};
    const build::cache_step step{key, ins, outs};
    std::printf("  cc  %s.o  (%s)", stem.c_str(), v.describe().c_str());
    if (dry_run) {
      std::printf("  [dry run]\n");
      continue;
    }
    auto found = cache->lookup(step, files);
    if (!found) return fail("cache lookup", found.error());
    vitte::buffer<text> deps;
    if (found->hit) {
      std::printf("  from the cache\n");
      ++restored;
      deps = std::move(found->dependencies);
    } else {
      std::printf("  compiled (%s)\n", found->why.c_str());
      auto r = build::run(sys::command(cc->path).args(args).env("LANG", "C"), {}, &log);
      if (!r) return fail("cc", r.error());
      if (!r->status.success()) {
        std::fputs(r->err.c_str(), stderr);
        return 1;
      }
      text problem;
      auto d = build::read_depfile(dep, &problem);
      if (!d) {
        std::fprintf(stderr, "driver: %s: %s\n", dep.c_str(), problem.c_str());
        return 1;
      }
      for (text& p : d->dependencies)
        if (std::string_view(p) != src) deps.push_back(std::move(p));
      if (auto ok = cache->store(step, deps, files); !ok) return fail("cache store", ok.error());
      ++compiled;
    }
    vitte::buffer<text> read = {text(src)};
    for (const text& p : deps) read.push_back(p);
    if (auto ok = index->record(obj, key, read, outs, files); !ok) return fail("index", ok.error());
  }

  // Link the objects with cc as the linker driver.
  auto ld = build::find_linker(build::linker_flavor::cc);
  if (!ld) return fail("linker", ld.error());
  build::link_job job;
  job.output = sys::path_join(*out, "app");
  job.inputs = objects;
  const auto link_key = build::command_key(ld->program).args(build::link_arguments(ld->flavor, job)).finish();
  const build::verdict lv = index->check("app", link_key, files);
  bool linked = false;
  if (!lv.up_to_date()) {
    std::printf("  link  app  (%s)\n", lv.describe().c_str());
    build::link_options o;
    o.dry_run = dry_run;
    auto r = build::link(*ld, job, o, &log);
    if (!r) return fail("link", r.error());
    if (!r->dry_run) {
      if (!r->status.success()) return 1;
      const text outs[] = {job.output};
      if (auto ok = index->record("app", link_key, objects, outs, files); !ok) return fail("index", ok.error());
      linked = true;
    }
  }
  if (auto ok = index->save(); !ok) return fail("saving the index", ok.error());

  if (compiled + restored == 0 && !linked && !dry_run)
    std::printf("nothing to do: all %d objects and the program are up to date\n", fresh);
  else
    std::printf("%d compiled, %d from the cache, %d up to date%s\n", compiled, restored, fresh,
                linked ? ", linked" : "");
  if (!remote.empty()) {
    (void)cache->flush_remote(sys::deadline::after(std::chrono::seconds(30)));
    const build::remote_stats rs = cache->remote_statistics();
    std::printf("remote: %llu hits, %llu misses, %llu uploads, %llu dropped, %llu rejected\n",
                static_cast<unsigned long long>(rs.hits), static_cast<unsigned long long>(rs.misses),
                static_cast<unsigned long long>(rs.uploads), static_cast<unsigned long long>(rs.dropped),
                static_cast<unsigned long long>(rs.rejected));
  }
  if (dry_run) return 0;
  auto r = build::run(sys::command(job.output), {}, &log);
  if (!r) return fail("running app", r.error());
  std::printf("app: %s", r->out.c_str());
  return r->status.success() ? 0 : 1;
}
