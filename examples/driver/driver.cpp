// examples/driver: a small real build driver on the build kit (vitte/cache, vitte/toolchain).
//
//   driver PROJECT BUILD [-j N] [--keep-going] [--cache DIR] [--remote URL]
//                        [--base-dir DIR] [--dry-run] [--quiet] [--explain] [--no-wait] [--run]
//                        [--step-timeout SECONDS] [--compile-commands FILE] [--distcc HOSTS]
//                        [--distcc-timeout SECONDS]
//                        [--monitor PORT] [--monitor-linger SECONDS] [--trace FILE] [--ninja-log FILE]
//                        [--events FILE] [--hermetic [--input DIR]...]
//
// Compiles every .c file under PROJECT (subdirectories and symbolic links
// too; hidden directories and BUILD are left out) with the system cc into
// BUILD/obj (objects at the sources' relative paths, each through the
// cache, header dependencies from -MD files), N at a time (default: one per CPU; under `make -jN` it shares
// make's jobserver), links them with cc into BUILD/app (and with --run runs it), and says
// what it did. A second run does nothing and says so; editing a header
// rebuilds exactly the objects that include it; a fresh BUILD with the same
// cache restores every object from it. The record of each step is
// BUILD/index.vitte. Cache keys hold paths relative to the base directory
// (--base-dir; default: the deepest directory holding both PROJECT and
// BUILD), and objects are compiled with -ffile-prefix-map so that they do
// not hold it either: a checkout at another path, with the same layout,
// builds with every object another one stored. With --remote
// (http://host:port/path[|layout=subdirs], redis://host:port/db; see
// docs/CACHE.md) the cache shares results through that server: a second
// checkout, on another machine or at another path, builds with every
// object from it.
//
// Output: a line per step that ran ("  cc  main.o  compiled", "from the
// cache", "failed"), on a terminal a progress line in place ("[3/12] cc
// src/a.c"); what the compiler printed, as it printed it, after its step's
// line and never mixed with another step's; --explain adds why each step
// ran ("input changed: util.h"); --quiet prints only failures and the
// program's output. A failed compile stops the build (the steps running
// finish), unless --keep-going; so does a compile still running after
// --step-timeout seconds, which is killed.
//
// Ctrl-C, SIGTERM or SIGHUP stops the build: nothing more starts, every
// compile running is killed with what it started (each leads a process
// group of its own), their unfinished objects are removed, what finished
// is kept in the index, and the driver says "interrupted: N steps stopped"
// and exits 130, 143 or 129 (128 + the signal's number, as a shell says).
//
// With --compile-commands FILE (a compile_commands.json, as CMake, Meson or
// Bear write it) the compiles are that file's, each with its own compiler,
// directory and flags, and its object where the entry says ("output", or
// -o); they go through the same index, cache and schedule, and nothing is
// linked (the file says nothing of links). PROJECT still sets the default
// base directory. One driver at a time uses a build
// directory: a second one waits for it, or with --no-wait stops at once.
//
// With --hermetic (hermetic.hpp) each compile runs in a sandbox that sees
// only PROJECT, the --input directories, the compiler and its object's
// directory, network off: one that touches anything else fails, naming the
// file. Not with --distcc (refused: the pool preprocesses outside it).
//
// Monitoring (monitor.hpp, docs/MONITOR.md): --monitor serves a live page
// of the build on 127.0.0.1; --trace, --ninja-log and --events write what
// each step did.
//
// With --distcc "HOST[:PORT][/LIMIT] ... [localhost/N]" (distcc's host
// list) the compiles the cache could not give are preprocessed here and
// compiled by those distccd servers (toolchain::compile_pool), LIMIT at a time
// each; a server that is down, late or answers garbage is set aside and
// the compile tried on another, then here. Each step's line says where it
// ran, and what was tried before ("compiled on 10.0.0.2:3632 (after
// 10.0.0.3:3632: connect: connection refused)"). Give -j the total of the
// servers' limits and the local slots. --distcc-timeout (default 300) bounds
// one server's attempt: a server that takes longer is set aside and the
// compile tried elsewhere.
#include <vitte/cache.hpp>
#include <vitte/log.hpp>
#include <vitte/sys/directory.hpp>
#include <vitte/sys/file.hpp>
#include <vitte/sys/fs.hpp>
#include <vitte/sys/info.hpp>
#include <vitte/sys/path_ops.hpp>
#include <vitte/sys/signal.hpp>  // Ctrl-C, SIGTERM, SIGHUP
#include <vitte/sys/terminal.hpp>
#include <vitte/sys/terminal_mode.hpp>  // the window's width for the progress line
#include <vitte/sys/thread.hpp>         // the thread waiting for a signal while compiles run
#include <vitte/toolchain.hpp>
#include <vitte/toolchain/cancel.hpp>
#include <vitte/toolchain/distcc.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "hermetic.hpp"  // --hermetic, --input
#include "monitor.hpp"   // --monitor, --trace, --ninja-log, --events

namespace cache = vitte::cache;
namespace toolchain = vitte::toolchain;
namespace sys = vitte::sys;
namespace lg = vitte::log;
using vitte::text;

namespace {

int fail(const std::string& what, const vitte::error& e) {
  std::fprintf(stderr, "driver: %s: %s\n", what.c_str(), e.message().c_str());
  return 1;
}

// The exit status of a driver a signal stopped: 128 + the signal's number,
// as a shell reports a program that signal killed.
int stopped_status(sys::signal_kind k) {
  switch (k) {
    case sys::signal_kind::terminate:
      return 143;
    case sys::signal_kind::hangup:
      return 129;
    case sys::signal_kind::interrupt:
    case sys::signal_kind::child:
      break;
  }
  return 130;
}

// Ctrl-C, SIGTERM and SIGHUP, read from a watch opened before any thread
// starts (so that no thread takes them with their default action): polled
// between the driver's own steps, waited for by a thread while compiles
// run. Each stops the build through `stop`, which kills the compiles.
struct interrupts {
  sys::signal_watch watch;
  toolchain::cancellation stop;

  void open() {
    if (auto w = sys::signal_watch::open(
            {sys::signal_kind::interrupt, sys::signal_kind::terminate, sys::signal_kind::hangup}))
      watch = std::move(*w);
  }
  // True once a signal came (taking one that is pending).
  bool poll() {
    if (!stop.cancelled() && watch.is_open())
      if (auto k = watch.read()) stop.cancel(stopped_status(*k));
    return stop.cancelled();
  }
  // Runs `f` while a thread waits for a signal (checking every 50 ms
  // whether `f` returned, so that the thread ends soon after it). With
  // nothing to run (`idle`: a no-op), `f` returns at once and no thread
  // starts: one that entered its wait first would hold the driver's exit
  // for those 50 ms.
  template <class F>
  auto during(bool idle, F&& f) {
    if (idle) return f();
    std::atomic<bool> over{false};
    sys::thread waiter;
    if (watch.is_open() && !stop.cancelled())
      if (auto t = sys::thread::spawn([&] {
            while (!over.load(std::memory_order_acquire)) {
              auto k = watch.next(sys::deadline::after(std::chrono::milliseconds(50)));
              if (k) {
                stop.cancel(stopped_status(*k));
                return;
              }
            }
          }))
        waiter = std::move(*t);
    auto r = f();
    over.store(true, std::memory_order_release);
    if (waiter.joinable()) (void)waiter.join();
    return r;
  }
  // Says the build was stopped, and the status to exit with. The watch
  // then stays open until the process ends (held by a pointer nobody
  // frees): closing it would unblock the signals, and a second Ctrl-C
  // already pending would end the driver by its default action instead
  // of this status.
  int said(int steps) {
    std::fprintf(stderr, "driver: interrupted: %d step%s stopped\n", steps, steps == 1 ? "" : "s");
    keep = true;
    return stop.why();
  }
  interrupts() = default;
  interrupts(const interrupts&) = delete;
  interrupts& operator=(const interrupts&) = delete;
  ~interrupts() {
    static sys::signal_watch* kept = nullptr;  // reachable: not a leak to LeakSanitizer
    if (keep && kept == nullptr && watch.is_open()) kept = new sys::signal_watch(std::move(watch));
  }

 private:
  bool keep = false;
};

// Which file an error about a step's files concerns (storing it in the
// cache, recording it in the index): "PATH: MESSAGE" for the first of
// them that cannot be stat()ed (a header its depfile names, gone since),
// else the error's own message.
std::string about_file(const vitte::error& e, const vitte::text& object, const vitte::buffer<text>& read) {
  if (auto st = sys::stat(object.c_str()); !st) return std::string(object) + ": " + st.error().message().c_str();
  for (const text& p : read)
    if (auto st = sys::stat(p.c_str()); !st) return std::string(p) + ": " + st.error().message().c_str();
  return e.message().c_str();
}

struct settings {
  std::vector<std::string> pos;
  std::string cache_dir, remote, base_dir, compile_commands, distcc;
  unsigned jobs = 0;
  unsigned step_timeout = 0;  // seconds; 0: none
  unsigned distcc_timeout = 300;
  bool dry_run = false, quiet = false, explain = false, keep_going = false, no_wait = false, run = false;
  driver_monitor::options monitor;
  driver_hermetic::options hermetic;
};

// The arguments; false (after a message) when they are not usable.
bool parse(int argc, char** argv, settings& s) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (const int taken = driver_monitor::take_option(argc, argv, i, s.monitor); taken != 0) {
      if (taken < 0) return false;
    } else if (const int sealed = driver_hermetic::take_option(argc, argv, i, s.hermetic); sealed != 0) {
      if (sealed < 0) return false;
    } else if (a == "--cache" && has_value) {
      s.cache_dir = argv[++i];
    } else if (a == "--remote" && has_value) {
      s.remote = argv[++i];
    } else if (a == "--base-dir" && has_value) {
      s.base_dir = argv[++i];
    } else if (a == "--compile-commands" && has_value) {
      s.compile_commands = argv[++i];
    } else if (a == "--distcc" && has_value) {
      s.distcc = argv[++i];
    } else if ((a == "--step-timeout" || a == "--distcc-timeout") && has_value) {
      const char* v = argv[++i];
      char* end = nullptr;
      const unsigned long n = std::strtoul(v, &end, 10);
      if (*v < '1' || *v > '9' || *end != '\0' || n > 86400 * 7) {
        std::fprintf(stderr, "driver: %s %s: not a whole number of seconds from 1 to 604800\n", a.c_str(), v);
        return false;
      }
      (a == "--step-timeout" ? s.step_timeout : s.distcc_timeout) = static_cast<unsigned>(n);
    } else if ((a == "-j" || a == "--jobs") && has_value) {
      s.jobs = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
    } else if (a.rfind("-j", 0) == 0 && a.size() > 2) {
      s.jobs = static_cast<unsigned>(std::strtoul(a.c_str() + 2, nullptr, 10));
    } else if (a == "--dry-run" || a == "--quiet" || a == "--explain" || a == "--keep-going" || a == "--no-wait" ||
               a == "--run") {
      bool& flag = a == "--dry-run"      ? s.dry_run
                   : a == "--quiet"      ? s.quiet
                   : a == "--explain"    ? s.explain
                   : a == "--keep-going" ? s.keep_going
                   : a == "--run"        ? s.run
                                         : s.no_wait;
      flag = true;
    } else if (a.rfind("-", 0) == 0) {
      std::fprintf(stderr, "driver: unknown option %s\n", a.c_str());
      return false;
    } else {
      s.pos.push_back(a);
    }
  }
  if (s.pos.size() == 2) return true;
  std::fprintf(stderr,
               "usage: driver PROJECT BUILD [-j N] [--keep-going] [--cache DIR] [--remote URL] [--base-dir DIR] "
               "[--dry-run] [--quiet] [--explain] [--no-wait] [--run] [--step-timeout SECONDS] "
               "[--compile-commands FILE] [--distcc HOSTS] [--distcc-timeout SECONDS]%s%s\n",
               driver_monitor::usage, driver_hermetic::usage);
  return false;
}

// Every .c file under `project`, as paths relative to it, sorted; hidden
// directories and the build directory are not entered.
vitte::result<std::vector<std::string>> find_sources(const std::string& project, const std::string& out) {
  std::vector<std::string> found;
  auto ok = sys::walk(project.c_str(),
                      [&](const sys::walk_entry& e) {
                        const std::string_view n(e.name);
                        if (e.type == sys::file_type::directory)
                          return n.starts_with(".") || std::string_view(e.path) == out ? sys::walk_action::skip
                                                                                       : sys::walk_action::next;
                        if (e.type == sys::file_type::regular && n.size() > 2 && n.ends_with(".c"))
                          found.emplace_back(std::string_view(e.path).substr(project.size() + 1));
                        return sys::walk_action::next;
                      },
                      {sys::symlink_policy::follow, SIZE_MAX});
  if (!ok) return ok.error();
  std::sort(found.begin(), found.end());
  return found;
}

// The deepest directory holding both `a` and `b` (absolute, canonical);
// empty when that is the root.
std::string common_base(const std::string& a, const std::string& b) {
  std::size_t n = 0;
  for (std::size_t i = 0; i <= a.size() && i <= b.size(); ++i) {
    const bool end_a = i == a.size() || a[i] == '/';
    const bool end_b = i == b.size() || b[i] == '/';
    if (end_a && end_b) n = i;
    if (i == a.size() || i == b.size() || a[i] != b[i]) break;
  }
  return n <= 1 ? std::string() : a.substr(0, n);
}

// One compile: what the schedule's step and its report need.
struct unit {
  std::string source;  // absolute
  std::string name;    // the object as shown: relative to BUILD/obj ("src/a.o") or as the entry names it
  text obj, dep;
  std::vector<std::string> args;
  std::string cwd;       // where the compiler runs
  std::size_t tool = 0;  // which of the compilers
  std::string from;      // "FILE: entry N" for a compilation database's compile, else empty
  cache::fingerprint key;
  std::string why;  // the index's reason
};

// ninja's hash of the command line that runs `program` with `args` (the
// .ninja_log records it as ninja records a step's command).
template <class Args>
std::uint64_t command_hash(vitte::text_view program, const Args& args) {
  text line(program);
  for (const auto& a : args) {
    line.push_back(' ');
    line.append(vitte::text_view(a));
  }
  return toolchain::ninja_command_hash(line);
}

// `p` with "." components and repeated separators gone (lexically: "a/./b"
// and "a//b" are "a/b"), to compare objects.
std::string lexical(std::string_view p) {
  std::string out;
  std::size_t i = 0;
  while (i <= p.size()) {
    const std::size_t end = std::min(p.find('/', i), p.size());
    const std::string_view part = p.substr(i, end - i);
    if (part != "." && !(part.empty() && i != 0)) {
      if (!out.empty() && out.back() != '/') out += '/';
      out.append(part);
      if (part.empty()) out += '/';  // the root
    }
    i = end + 1;
  }
  return out;
}

// The compiles of a compile_commands.json: each entry's own arguments
// (the compiler's name apart), with -MD -MF OBJECT.d added for the headers
// it reads; its compiler's index in `compilers` (a relative path to a
// compiler from the entry's directory; a bare name found on PATH, once).
// `own` are the driver's own files and directories, which no object may be.
// Says what is wrong itself.
vitte::result<std::vector<unit>> database_units(const std::string& file, std::vector<std::string>& compilers,
                                                const std::vector<std::string>& own) {
  auto json = sys::read_file_string(file.c_str());
  if (!json) {
    std::fprintf(stderr, "driver: %s: %s\n", file.c_str(), json.error().message().c_str());
    return json.error();
  }
  vitte::diagnostic problem;
  auto db = toolchain::parse_compile_commands(*json, &problem);
  if (!db) {
    const vitte::diagnostic_line line = problem.about(file).format();
    std::fprintf(stderr, "driver: %s\n", line.c_str());
    return db.error();
  }
  if (db->empty()) {
    std::fprintf(stderr, "driver: no sources found: %s holds no compile\n", file.c_str());
    return vitte::errc::malformed;
  }
  std::vector<unit> units;
  units.reserve(db->size());
  std::unordered_map<std::string, std::size_t> objects;  // lexical object -> entry
  for (std::size_t n = 0; n < db->size(); ++n) {
    const toolchain::compile_command& c = (*db)[n];
    unit u;
    u.from = file + ": entry " + std::to_string(n);
    u.source = std::string(c.source().view());
    u.obj = c.object();
    if (u.obj.empty()) {
      std::fprintf(stderr, "driver: %s (%s): no object: neither \"output\" nor -o\n", u.from.c_str(), u.source.c_str());
      return vitte::errc::malformed;
    }
    const std::string object = lexical(std::string_view(u.obj));
    if (auto [at, added] = objects.emplace(object, n); !added) {
      std::fprintf(stderr, "driver: %s: entries %zu and %zu both write %s\n", file.c_str(), at->second, n,
                   object.c_str());
      return vitte::errc::malformed;
    }
    for (const std::string& mine : own)
      if (object == mine || object.starts_with(mine + "/")) {
        std::fprintf(stderr, "driver: %s: its object %s is the driver's own %s\n", u.from.c_str(), object.c_str(),
                     mine.c_str());
        return vitte::errc::malformed;
      }
    u.name = std::string(c.output.view());
    u.dep = u.obj;
    u.dep.append(".d");
    u.cwd = std::string(c.directory.view());
    std::string compiler(c.arguments[0].view());
    if (compiler.find('/') != std::string::npos) compiler = std::string(sys::path_join(u.cwd, compiler).view());
    u.tool = std::find(compilers.begin(), compilers.end(), compiler) - compilers.begin();
    if (u.tool == compilers.size()) compilers.push_back(compiler);
    for (std::size_t i = 1; i < c.arguments.size(); ++i) u.args.emplace_back(c.arguments[i].view());
    u.args.insert(u.args.end(), {"-MD", "-MF", std::string(u.dep)});
    units.push_back(std::move(u));
  }
  return units;
}

// Where a compile of the pool ran, as the step line says it: " on HOST:PORT"
// or " here (why)", then each server tried before and what went wrong.
std::string describe_where(const toolchain::compile_outcome& r) {
  std::string s = r.why_local.empty() ? " on " + std::string(r.where) : " here (" + std::string(r.why_local) + ")";
  for (std::size_t i = 0; i < r.retried.size(); ++i)
    s += (i == 0 ? " (after " : "; ") + std::string(r.retried[i].where) + ": " + std::string(r.retried[i].trouble);
  if (!r.retried.empty()) s += ")";
  return s;
}

// The step lines and the progress line. On a terminal the progress line
// fits the window (the middle of a long name gives way to "..."), re-measured
// when the window changes size: a line that wrapped could not be rewritten.
struct screen {
  bool quiet = false, explain = false, tty = false;
  std::size_t total = 0, begun = 0;
  bool progress_shown = false;
  std::size_t columns = 0;  // 0: unknown, nothing cut
  sys::resize_watch resized;

  void watch_window() {
    if (auto w = sys::resize_watch::open()) resized = std::move(*w);
    measure();
  }
  void measure() {
    auto size = sys::get_terminal_size(sys::standard_handle(sys::standard_stream::output));
    columns = size ? size->columns : 0;
  }
  void progress(const std::string& what) {
    ++begun;
    if (!tty || quiet) return;
    if (resized.take()) measure();
    std::string line = "[" + std::to_string(begun) + "/" + std::to_string(total) + "] " + what;
    // One column short of the window: a line that fills the last column wraps on some terminals.
    if (columns > 8 && line.size() > columns - 1) {
      std::size_t keep = columns - 1 - 3, head = keep / 2;
      line = line.substr(0, head) + "..." + line.substr(line.size() - (keep - head));
    }
    std::printf("\r\033[K%s", line.c_str());
    std::fflush(stdout);
    progress_shown = true;
  }
  // A step's line, then what its program printed, whole.
  void step(const char* verb, const std::string& name, const char* said, const std::string& why,
            vitte::text_view output, bool failed) {
    if (progress_shown) {
      std::printf("\r\033[K");
      progress_shown = false;
    }
    if (!quiet || failed) {
      if (explain && !why.empty())
        std::printf("  %s  %s  %s  (%s)\n", verb, name.c_str(), said, why.c_str());
      else
        std::printf("  %s  %s  %s\n", verb, name.c_str(), said);
    }
    std::fflush(stdout);
    if (!output.empty() && (!quiet || failed)) {
      std::fwrite(output.data(), 1, output.size(), stderr);
      std::fflush(stderr);
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  settings set;
  if (!parse(argc, argv, set)) return 2;
  interrupts intr;
  intr.open();  // before any thread starts
  auto project = sys::canonical(set.pos[0].c_str());
  if (!project) return fail(set.pos[0], project.error());
  if (auto ok = sys::create_directories(set.pos[1].c_str()); !ok) return fail(set.pos[1], ok.error());
  auto out = sys::canonical(set.pos[1].c_str());
  if (!out) return fail(set.pos[1], out.error());
  if (set.cache_dir.empty()) set.cache_dir = sys::path_join(*out, "cache");
  std::string base = set.base_dir.empty() ? common_base(*project, *out) : set.base_dir;
  if (!set.base_dir.empty()) {
    auto b = sys::canonical(set.base_dir.c_str());
    if (!b) return fail(set.base_dir, b.error());
    base = *b;
  }

  // One driver at a time in a build directory.
  const text lock_path = sys::path_join(*out, ".driver.lock");
  auto lock = sys::file::open(lock_path, sys::open_mode::write | sys::open_mode::create);
  if (!lock) return fail(std::string(lock_path), lock.error());
  auto free_now = lock->try_lock(sys::lock_kind::exclusive);
  if (!free_now) return fail(std::string(lock_path), free_now.error());
  if (!*free_now) {
    if (set.no_wait) {
      std::fprintf(stderr, "driver: %s is in use by another driver (%s is locked)\n", out->c_str(), lock_path.c_str());
      return 1;
    }
    std::fprintf(stderr, "driver: %s is in use by another driver: waiting for it (%s)\n", out->c_str(),
                 lock_path.c_str());
    for (;;) {  // until it is ours, or a signal
      if (intr.poll()) return intr.said(0);
      auto got = lock->try_lock(sys::lock_kind::exclusive);
      if (!got) return fail(std::string(lock_path), got.error());
      if (*got) break;
      if (intr.watch.is_open())
        (void)intr.watch.wait(sys::deadline::after(std::chrono::milliseconds(200)));
      else
        (void)sys::sleep_for(std::chrono::milliseconds(200));
    }
  }

  // The compiles: the .c files under PROJECT, or a compile_commands.json's.
  // A source's unit is made when its turn comes (a no-op keeps none).
  const bool from_database = !set.compile_commands.empty();
  std::vector<std::string> compilers;
  std::vector<unit> listed;
  std::vector<std::string> sources;
  if (from_database) {
    auto here = sys::current_directory();  // a relative --cache, made absolute as the objects are
    const text cache_dir = sys::path_join(here ? vitte::text_view(*here) : vitte::text_view(), set.cache_dir);
    const std::vector<std::string> own = {
        lexical(std::string_view(cache_dir)), std::string(sys::path_join(*out, "index.vitte").view()),
        std::string(sys::path_join(*out, "index.vitte.lock").view()),
        std::string(sys::path_join(*out, ".driver.lock").view()), std::string(sys::path_join(*out, "app").view())};
    auto db = database_units(set.compile_commands, compilers, own);
    if (!db) return 1;
    listed = std::move(*db);
  } else {
    auto found = find_sources(*project, *out);
    if (!found) return fail(std::string(*project), found.error());
    if (found->empty()) {
      std::fprintf(stderr, "driver: no sources found: no .c file under %s\n", project->c_str());
      return 1;
    }
    sources = std::move(*found);
    compilers.push_back("cc");
  }
  // Objects go under BUILD/obj/ (a source directory named app/ or cache/
  // never meets the driver's own files); their names are the sources'.
  const text objects_dir = sys::path_join(*out, "obj");
  const std::size_t unit_count = from_database ? listed.size() : sources.size();
  const auto unit_at = [&](std::size_t i) {
    if (from_database) return std::move(listed[i]);
    const std::string& rel = sources[i];
    unit u;
    u.source = sys::path_join(*project, rel);
    u.name = rel.substr(0, rel.size() - 2) + ".o";
    u.obj = sys::path_join(objects_dir, u.name);
    u.dep = sys::path_join(objects_dir, rel.substr(0, rel.size() - 2) + ".d");
    u.args = {"-c", "-O2", "-MD", "-MF", std::string(u.dep), "-o", std::string(u.obj), u.source};
    u.cwd = *out;
    return u;
  };

  // The remote cache's troubles (a server down, an answer unusable) go to stderr.
  lg::stream_sink err = lg::stream_sink::standard_error();
  lg::logger log(set.quiet ? lg::level::error : lg::level::warn);
  (void)log.add(err);
  auto cache = cache::output_cache::open(text(set.cache_dir));
  if (!cache) return fail(set.cache_dir, cache.error());
  if (!set.remote.empty()) {
    auto options = cache::remote_options::parse(set.remote.c_str());
    if (!options) return fail("--remote " + set.remote, options.error());
    if (auto ok = cache->attach_remote(std::move(*options), &log); !ok)
      return fail("--remote " + set.remote, ok.error());
  }
  auto index = cache::index::open(sys::path_join(*out, "index.vitte"));
  if (!index) return fail(std::string(sys::path_join(*out, "index.vitte")), index.error());
  if (index->describe()) {
    vitte::diagnostic d = index->describe();
    std::printf("%s: rebuilding\n", d.about(index->path()).format().c_str());
  }
  cache::file_hasher files;
  // A compiler runs (--version) only when its file changed since the last build.
  std::vector<toolchain::tool> tools;
  for (const std::string& name : compilers) {
    auto t = toolchain::find_tool_remembered(name, *index, files);
    if (!t) {
      if (!from_database) return fail(name, t.error());
      const unit& first =
          *std::find_if(listed.begin(), listed.end(), [&](const unit& u) { return &compilers[u.tool] == &name; });
      return fail(first.from + ": the compiler " + name, t.error());
    }
    tools.push_back(std::move(*t));
  }
  driver_hermetic::sealer sealed;  // --hermetic: what each compiler needs, the declared inputs
  if (!sealed.prepare(set.hermetic, !set.distcc.empty(), *project, tools)) return 2;

  screen show;
  show.quiet = set.quiet;
  show.explain = set.explain;
  show.tty = sys::is_terminal(sys::standard_handle(sys::standard_stream::output));
  if (show.tty && !show.quiet) show.watch_window();

  // The build's events, files and live page (monitor.hpp).
  driver_monitor::monitor mon(set.monitor, *out);
  mon.signals(&intr.watch);  // declared after intr: destroyed (and lingering) first
  if (!mon.start(set.jobs != 0 ? set.jobs : sys::cpu_count())) return 1;
  const std::string remote_where = driver_monitor::remote_host(set.remote);

  // Which objects are stale; those the cache has come back from it here.
  int compiled = 0, restored = 0, fresh = 0;
  std::vector<unit> stale;
  vitte::buffer<text> objects;
  objects.reserve(unit_count);
  for (std::size_t i = 0; i < unit_count; ++i) {
    mon.tick();  // the page, for a client that waits while nothing runs
    if (i % 64 == 0 && intr.poll()) {
      (void)index->save();  // the objects restored from the cache so far
      return intr.said(0);
    }
    unit u = unit_at(i);
    objects.push_back(u.obj);
    if (!base.empty()) u.args.push_back("-ffile-prefix-map=" + base + "=.");
    u.key = toolchain::command_key(tools[u.tool]).base_dir(base).args(u.args).cwd(u.cwd).env("LANG", "C").finish();
    const cache::verdict v = index->check(u.obj, u.key, files);
    if (v.up_to_date()) {
      ++fresh;
      continue;
    }
    u.why = std::string(v.to_text());
    if (auto ok = sys::create_directories(sys::parent_path(u.obj)); !ok) return fail(std::string(u.obj), ok.error());
    if (set.dry_run) {
      show.step("cc", u.name, "[dry run]", u.why, {}, false);
      continue;
    }
    const text ins[] = {text(u.source)};
    const text outs[] = {u.obj};
    const std::int64_t asked = mon.now();
    const std::uint64_t remote_hits = mon.on() && !set.remote.empty() ? cache->remote_statistics().hits : 0;
    auto found = cache->lookup(cache::cache_step{u.key, ins, outs, base}, files);
    if (!found) {
      // A source that is not there, most often: say which, and whose.
      const std::string whose = u.from.empty() ? u.name : u.from + " (" + u.name + ")";
      return fail(whose + ": cache lookup of " + u.source, found.error());
    }
    if (!found->hit) {
      u.why += "; cache: " + std::string(found->why);
      stale.push_back(std::move(u));
      continue;
    }
    show.step("cc", u.name, "from the cache", u.why, {}, false);
    ++restored;
    if (mon.on()) {
      const bool remote = !set.remote.empty() && cache->remote_statistics().hits > remote_hits;
      const bool inside = u.source.size() > project->size() && u.source.compare(0, project->size(), *project) == 0;
      const std::uint32_t step = mon.started("cc " + (inside ? u.source.substr(project->size() + 1) : u.source), u.obj,
                                             u.why, {}, asked, command_hash(tools[u.tool].path, u.args));
      mon.finished(step, 0, remote ? driver_monitor::remote_tier(set.remote) : toolchain::cache_tier::local,
                   remote ? vitte::text_view(remote_where) : "local", u.obj);
    }
    vitte::buffer<text> read = {text(u.source)};
    for (const text& p : found->dependencies) read.push_back(p);
    if (auto ok = index->record(u.obj, u.key, read, outs, files); !ok) {
      std::fprintf(stderr, "driver: %s: recording %s: %s\n", index->path().c_str(), u.name.c_str(),
                   about_file(ok.error(), u.obj, read).c_str());
      return 1;
    }
  }

  // With --distcc, the compiles go through a pool of distcc servers.
  std::unique_ptr<toolchain::compile_pool> pool;
  if (!set.distcc.empty()) {
    vitte::diagnostic why;
    auto hosts = toolchain::parse_distcc_hosts(set.distcc, &why);
    if (!hosts) {
      std::fprintf(stderr, "driver: --distcc: %s\n", why.format().c_str());
      return 2;
    }
    toolchain::compile_pool_options po;
    po.servers = std::move(hosts->servers);
    po.local_slots = hosts->local_slots;
    po.job_timeout = std::chrono::seconds(set.distcc_timeout);
    pool = std::make_unique<toolchain::compile_pool>(std::move(po));
  }

  // The compiles, in parallel; what each wrote is stored and recorded here.
  toolchain::schedule plan;
  std::vector<toolchain::step_id> compiles;
  // Where each compile ran: its host ("local" or a server), its exit
  // status, and with --distcc what its step line says of it.
  struct ran {
    std::string host = "local", line;
    int code = 0;
    bool stopped = false;  // killed, or never run, by an interrupt
  };
  std::vector<ran> ran_on(stale.size());
  for (const unit& u : stale) {
    const sys::command cmd = sys::command(tools[u.tool].path).args(u.args).cwd(u.cwd).env("LANG", "C");
    const bool under_project = u.source.size() > project->size() && u.source.compare(0, project->size(), *project) == 0;
    toolchain::compile_job job{tools[u.tool].path, {}, text(u.cwd), {text("LANG=C")}};
    for (const std::string& a : u.args) job.args.push_back(text(a));
    ran* where = &ran_on[compiles.size()];
    const driver_hermetic::compile hermetic =
        sealed.step(u.tool, tools[u.tool].path.c_str(), u.args, u.cwd, u.source, std::string(u.obj), u.name);
    compiles.push_back(plan.add("cc " + (under_project ? u.source.substr(project->size() + 1) : u.source), {},
                                [cmd, job, where, p = pool.get(), limit = set.step_timeout, hermetic,
                                 stop = &intr.stop](const toolchain::step_context& c) {
                                  // A distcc or sealed compile is not killed by an interrupt: it
                                  // finishes; one that has not started never does.
                                  if (stop->cancelled()) {
                                    where->stopped = true;
                                    return toolchain::step_outcome{false, {}};
                                  }
                                  const auto killed = [&] {
                                    return toolchain::step_outcome{
                                        false,
                                        "killed: still running after --step-timeout " + std::to_string(limit) + " s\n"};
                                  };
                                  if (p != nullptr) {
                                    auto r = p->compile(job, c.deadline);
                                    if (!r)
                                      return toolchain::step_outcome{false, text(r.error().message().view()) + "\n"};
                                    where->line = describe_where(*r);
                                    where->host = std::string(r->where);
                                    where->code = r->status.exited() ? r->status.code() : 128 + r->status.signal();
                                    if (r->timed_out) return killed();
                                    return toolchain::step_outcome{r->status.success(), r->err + r->out};
                                  }
                                  toolchain::run_options ro;
                                  ro.deadline = c.deadline;
                                  auto r = hermetic ? hermetic(ro) : stop->run(cmd, ro);
                                  if (!r && r.error() == vitte::errc::interrupted) where->stopped = true;
                                  if (!r)
                                    return toolchain::step_outcome{false, text(r.error().message().view()) + "\n"};
                                  where->code = r->status.exited() ? r->status.code() : 128 + r->status.signal();
                                  if (r->timed_out) return killed();
                                  return toolchain::step_outcome{r->status.success(), r->err + r->out};
                                })
                           .value());
  }
  show.total = compiles.size();
  int failed = 0, stopped = 0;
  std::string first_failure;
  struct observer {
    screen& show;
    std::vector<unit>& stale;
    const std::vector<ran>& ran_on;
    cache::basic_output_cache<sys::platform>& cache;
    cache::basic_index<sys::platform>& index;
    cache::file_hasher& files;
    const std::string& base;
    int& compiled;
    int& failed;
    int& stopped;
    std::string& first_failure;
    std::string trouble;  // why the build's record could not be kept: a line per step
    void add_trouble(const std::string& line) { trouble += (trouble.empty() ? "" : "\ndriver: ") + line; }
    driver_monitor::monitor& mon;
    const std::vector<toolchain::tool>& tools;
    std::vector<std::uint32_t> steps = {};  // the monitor's number of each compile

    void started(toolchain::step_id id, const toolchain::schedule& s) {
      show.progress(std::string(s.name(id)));
      if (steps.size() <= id) steps.resize(id + 1);
      const unit& u = stale[id];
      steps[id] = mon.started(std::string(s.name(id)), u.obj, u.why, {}, -1, command_hash(tools[u.tool].path, u.args));
    }
    void finished(toolchain::step_id id, toolchain::step_state st, toolchain::step_outcome& o,
                  const toolchain::schedule&) {
      const unit& u = stale[id];
      if (st == toolchain::step_state::skipped) return;
      // A compile on a distcc server: the cluster tier, and the server.
      const ran& r = ran_on[id];
      if (r.stopped) {
        // Interrupted: nothing of it is kept (the compiler may have left
        // half an object), nothing recorded.
        ++stopped;
        mon.finished(steps[id], 130, toolchain::cache_tier::none, r.host, stale[id].obj);
        (void)sys::remove_all(u.obj.c_str());
        (void)sys::remove_all(u.dep.c_str());
        return;
      }
      const int code = st == toolchain::step_state::failed ? (r.code != 0 ? r.code : 1) : 0;
      // Compiled here or on a server, the step ran: no cache tier served it
      // (`where` names the server; cache_tier::cluster is a cluster's cache).
      mon.finished(steps[id], code, toolchain::cache_tier::none, r.host, stale[id].obj);
      if (st == toolchain::step_state::failed) {
        show.step("cc", u.name, ("failed" + ran_on[id].line).c_str(), u.why, o.output, true);
        if (failed++ == 0) first_failure = u.name;
        return;
      }
      if (!sys::stat(u.obj.c_str())) {
        // A compile that succeeds without writing its object (an entry whose
        // "output" is not where its -o writes) is a failed step.
        text said(o.output);
        said.append("driver: the compile succeeded but wrote no ").append(u.obj).append("\n");
        show.step("cc", u.name, "failed", u.why, said, true);
        if (failed++ == 0) first_failure = u.name;
        return;
      }
      show.step("cc", u.name, ("compiled" + ran_on[id].line).c_str(), u.why, o.output, false);
      ++compiled;
      vitte::diagnostic why;
      auto d = cache::read_depfile(u.dep, &why);
      if (!d) {
        // The compiler said it succeeded but wrote no usable depfile (a
        // wrapper that drops -MD -MF): the step cannot be recorded.
        add_trouble(std::string(why.format().c_str()) + " (the headers " + u.name + " reads are unknown)");
        return;
      }
      vitte::buffer<text> deps;
      // A depfile names files as the compiler was given them: relative
      // ones from the directory it ran in.
      for (const text& p : d->dependencies) {
        text at = sys::path_join(u.cwd, p);
        if (std::string_view(at) != u.source) deps.push_back(std::move(at));
      }
      const text ins[] = {text(u.source)};
      const text outs[] = {u.obj};
      vitte::buffer<text> read = {text(u.source)};
      for (const text& p : deps) read.push_back(p);
      if (auto ok = cache.store(cache::cache_step{u.key, ins, outs, base}, deps, files); !ok)
        std::fprintf(stderr, "driver: %s: cache store: %s\n", u.name.c_str(),
                     about_file(ok.error(), u.obj, read).c_str());
      if (auto ok = index.record(u.obj, u.key, read, outs, files); !ok)
        add_trouble(std::string(index.path()) + ": recording " + u.name + ": " + about_file(ok.error(), u.obj, read));
    }
  } watcher{show, stale, ran_on, *cache, *index, files, base, compiled, failed, stopped, first_failure, {}, mon, tools};
  toolchain::jobserver js = toolchain::jobserver::from_environment();
  if (!js.note().empty() && !set.quiet) std::fprintf(stderr, "driver: %s\n", std::string(js.note()).c_str());
  toolchain::schedule_options so;
  so.jobs = set.jobs;
  so.keep_going = set.keep_going;
  so.tokens = js.active() ? &js : nullptr;
  so.step_time_limit = std::chrono::seconds(set.step_timeout);
  so.stop = &intr.stop.flag();
  mon.plan(stale.size());
  auto report = intr.during(stale.empty(), [&] { return toolchain::run_schedule(plan, so, watcher); });
  if (!report) return fail("running the steps", report.error());
  if (intr.poll()) {
    if (show.progress_shown) std::printf("\r\033[K");
    std::fflush(stdout);
    (void)index->save();  // the steps that finished
    return intr.said(stopped);
  }
  if (!watcher.trouble.empty()) {
    (void)index->save();  // what the other steps recorded stays
    std::fprintf(stderr, "driver: %s\n", watcher.trouble.c_str());
    return 1;
  }
  if (failed > 0) {
    (void)index->save();
    std::fprintf(stderr, "driver: %d of %zu compiles failed (the first: %s); %u not run\n", failed, stale.size(),
                 first_failure.c_str(), report->skipped);
    return 1;
  }

  // Link the objects with cc as the linker driver; a compilation database
  // says nothing of links: its compiles are the build.
  const toolchain::linker ld{toolchain::linker_flavor::cc, tools[0]};
  toolchain::link_job job;
  job.output = sys::path_join(*out, "app");
  job.inputs = objects;
  bool linked = false;
  if (!from_database) {
    const auto link_key = toolchain::command_key(ld.program).args(toolchain::link_arguments(ld.flavor, job)).finish();
    const cache::verdict lv = index->check("app", link_key, files);
    if (!lv.up_to_date()) {
      toolchain::link_options o;
      o.dry_run = set.dry_run;
      std::vector<std::uint32_t> everything(mon.next());  // the link waits for every step before it
      for (std::uint32_t i = 0; i < everything.size(); ++i) everything[i] = i;
      if (!set.dry_run) mon.plan(1);
      const std::uint32_t link_step =
          set.dry_run ? 0
                      : mon.started("link app", job.output, std::string(lv.to_text()), everything, -1,
                                    command_hash(ld.program.path, toolchain::link_arguments(ld.flavor, job)));
      auto r = toolchain::link(ld, job, o);
      if (!r) return fail("link app", r.error());
      if (!r->dry_run) {
        const bool ok = r->status.success();
        mon.finished(link_step, ok ? 0 : (r->status.value > 0 ? r->status.value : 1), toolchain::cache_tier::none,
                     "local", job.output);
        show.step("link", "app", ok ? "linked" : "failed", std::string(lv.to_text()), r->err + r->out, !ok);
        if (!ok) return 1;
        const text outs[] = {job.output};
        if (auto rec = index->record("app", link_key, objects, outs, files); !rec) return fail("index", rec.error());
        linked = true;
      } else {
        show.step("link", "app", "[dry run]", std::string(lv.to_text()), {}, false);
      }
    }
  }
  if (auto ok = index->save(); !ok) return fail(std::string(index->path()), ok.error());
  if (intr.poll()) return intr.said(0);  // during the link: it finished, and is recorded
  // All is saved: from here (the program --run runs, --monitor-linger) a
  // signal has its default action again.
  intr.watch.close();

  if (!set.quiet) {
    if (compiled + restored == 0 && !linked && !set.dry_run)
      std::printf("nothing to do: all %d objects%s are up to date\n", fresh, from_database ? "" : " and the program");
    else
      std::printf("%d compiled, %d from the cache, %d up to date%s\n", compiled, restored, fresh,
                  linked ? ", linked" : "");
  }
  if (!set.remote.empty()) {
    (void)cache->flush_remote(sys::deadline::after(std::chrono::seconds(30)));
    const cache::remote_stats rs = cache->remote_statistics();
    if (!set.quiet)
      std::printf("remote: %llu hits, %llu misses, %llu uploads, %llu dropped, %llu rejected\n",
                  static_cast<unsigned long long>(rs.hits), static_cast<unsigned long long>(rs.misses),
                  static_cast<unsigned long long>(rs.uploads), static_cast<unsigned long long>(rs.dropped),
                  static_cast<unsigned long long>(rs.rejected));
  }
  if (pool && !set.quiet) {
    const toolchain::compile_pool_stats ps = pool->stats();
    std::printf("distcc: %llu compiled on servers, %llu here, %llu attempts failed and were tried again\n",
                static_cast<unsigned long long>(ps.remote), static_cast<unsigned long long>(ps.local),
                static_cast<unsigned long long>(ps.retried));
  }
  mon.finish(static_cast<std::uint64_t>(fresh));
  if (from_database) return 0;
  if (set.dry_run || !set.run) return 0;
  auto r = toolchain::run(sys::command(job.output));
  if (!r) return fail(std::string(job.output), r.error());
  std::printf("app: %s", r->out.c_str());
  return r->status.success() ? 0 : 1;
}
