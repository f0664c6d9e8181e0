// vitte/toolchain/ninja_build.hpp - the steps of a build.ninja run as ninja
// 1.11 runs them: what is dirty, in what order, how many at once, and the
// files ninja keeps (.ninja_log, .ninja_deps), so ninja and vitte take
// turns on one build directory.
//
//   namespace toolchain = vitte::toolchain;
//   vitte::diagnostic why;
//   auto m = toolchain::read_ninja_manifest("build.ninja", {}, &why);
//   struct printer : toolchain::ninja_status {
//     void started(const toolchain::ninja_step& s, const toolchain::ninja_progress& p) override { ... }
//     void finished(const toolchain::ninja_step& s, bool ok, vitte::text_view output,
//                   const toolchain::ninja_progress& p) override { ... }
//   } status;
//   toolchain::ninja_build_options o;
//   o.jobs = 8;
//   auto r = toolchain::run_ninja_build(*m, {}, o, status, &why);   // {}: the defaults
//   if (!r) ... why.format() ...                // "'a.h', needed by 'a.o', missing and no known rule to make it"
//   else if (r->failed != 0) ...                // a command failed (its output went to finished())
//
// What is dirty (ninja's DependencyScan): a step whose output is missing,
// older than its newest input (explicit or implicit; an order-only input
// is built first but does not make it dirty), whose command hash differs
// from .ninja_log's (unless `generator`), that .ninja_log never recorded,
// or whose recorded mtime is older than an input (.ninja_log keeps a
// step's newest output, or, when restat found an output unchanged, its
// newest non-order-only input on disk, as ninja 1.11); a step with an
// input that is dirty. `deps = gcc` steps take their header dependencies
// from .ninja_deps (ninja's v4 format: the depfile is read after the step
// and removed; `deps = msvc` steps from the lines of their output that
// start with `msvc_deps_prefix`, kept out of what is shown, as ninja's
// CLParser does; missing or out-of-date records make the step dirty), other
// steps with a `depfile` read it (a missing one makes the step dirty). A
// phony step's output is as new as its newest input; a phony step with no
// input and a missing output always runs what depends on it. `restat`: a
// step that left an output unchanged makes the steps waiting only for
// unchanged outputs clean again (they do not run).
//
// Dyndep files (ninja's `dyndep = FILE`, the file among the step's
// inputs, read by parse_ninja_dyndep): when the build meets a step naming
// one that nothing is left to make, the file is read before anything
// runs; otherwise it is read once the step making it is done, and the
// plan is made again for what depends on it, as ninja's DyndepsLoaded
// does: each step naming the file gains the implicit outputs and inputs
// the file gives it (and `restat`), the steps waiting for the file are
// scanned again (one now dirty runs), the steps making their new inputs
// join the plan, and each step waits for what it now reads (a module
// file another compile writes). A step that is clean but waits for an
// input still to be made (an order-only one, or such a file) finishes
// without running once that input is there, so what reads it waits too.
//
// How it runs: at most `jobs` commands at once through `/bin/sh -c` (on
// Windows, `cmd /c`) in `directory`, stdout and stderr together, shown
// whole when the command ends (the `console` pool: one at a time, its
// output straight to the terminal); a pool runs at most its depth;
// parents of outputs are created first; an `rspfile` is written before
// and removed after a success. Ready steps start longest critical path
// first (each step's duration from .ninja_log, the average of the known
// ones for a step never timed, plus the longest path of what waits for
// it), then in manifest order: what ninja 1.11 lacks. After
// `failures_allowed` failures (ninja's -k; 0: no limit) nothing more
// starts, the running commands finish. A dry run (`-n`) runs nothing and
// writes nothing; a dyndep file it would make is read as it is on disk
// (missing: the dry run stops there, as ninja's does).
//
// Errors (the build could not be planned or its logs written): malformed
// for a dependency cycle ("dependency cycle: a -> b -> a"), a graph with
// no root and no default ("could not determine root nodes of build
// graph"); not_found for an input
// that is missing with no step to make it and an unknown target; the file
// system's errors for .ninja_log, .ninja_deps and output directories, with
// `why` naming the path; a dyndep file that cannot be read ("loading
// 'dd': ...") or is malformed, in ninja's words (its parse errors with
// the file, line and column; "'out' not mentioned in its dyndep file
// 'dd'", "dyndep file 'dd' mentions output 'x' whose build statement does
// not have a dyndep binding for the file", "multiple rules generate x"),
// which stops the build (commands already running are waited for and not
// recorded; ninja kills them). A failing command is no error: it is
// counted in the report and shown through `finished()`.
#ifndef VITTE_TOOLCHAIN_NINJA_BUILD_HPP
#define VITTE_TOOLCHAIN_NINJA_BUILD_HPP

#include <vitte/base.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/cache/fwd.hpp>  // basic_output_cache, declared
#include <vitte/sys/platform.hpp>
#include <vitte/toolchain/jobserver.hpp>
#include <vitte/toolchain/ninja_manifest.hpp>

#include <cstdint>

namespace vitte::toolchain {

template <class P>
class basic_compile_pool;  // vitte/toolchain/distcc.hpp

/// How to run a build.
struct ninja_build_options {
  text directory;                 ///< where the manifest's relative paths are (ninja -C); empty: here
  unsigned jobs = 0;              ///< commands at once; 0: ninja's guess (CPUs + 2)
  unsigned failures_allowed = 1;  ///< stop after this many failures (ninja -k); 0: never stop
  bool dry_run = false;           ///< ninja -n: run nothing, write nothing
  /// What ninja lacks: a step that only a newer input time would rerun
  /// does not run when its inputs hold the bytes they held when it last
  /// ran (a digest per step in `.vitte_digests`); its outputs are dated
  /// now and .ninja_log says so, so ninja agrees afterwards.
  bool content_hashes = false;
  /// make's jobserver (vitte/toolchain/jobserver.hpp): under `make -jN`
  /// every command beyond the first running one holds one of its tokens.
  jobserver* tokens = nullptr;
  /// What ninja 1.11 lacks: make's jobserver for the commands
  /// (jobserver::serve, POSIX), when `tokens` is null and `jobs` is 2 to
  /// 4096: each command gets the pipe as its descriptors 3 and 4 and
  /// MAKEFLAGS " -jN --jobserver-auth=3,4" (the environment's MAKEFLAGS
  /// words after it, but its -j and jobserver ones), so that a `make` (4.3
  /// or 4.4) or another `vitte build` among them shares the `jobs` slots:
  /// every command beyond the first running one holds a token, as under
  /// make. A pipe that cannot be made leaves the build without it.
  bool serve_jobserver = false;
  /// What ninja lacks: the shared output cache (vitte/cache/cache.hpp).
  /// A step whose command is one compile the cache understands (a C or
  /// C++ compiler driver run with -c, -o naming an output of the step,
  /// -MD -MF naming the step's depfile; no shell construct, response file,
  /// wrapper, or option writing a file the step does not list or reading
  /// one no depfile names) is looked up before it runs: on a hit its
  /// outputs and depfile are written from the cache and the command does
  /// not run (its messages are not replayed); after it runs, they are
  /// stored with the headers its depfile names, unless one of them is
  /// reached through a link, lies outside the base by a relative path,
  /// changed after the compile started, or holds .incbin, __TIME__,
  /// __DATE__ or __TIMESTAMP__. Keys as toolchain::command_key makes them
  /// (the compiler's identity, the arguments, the directory, CPATH, the
  /// locale and the like), relative to `base_dir` (absolute: a checkout,
  /// or the directory holding the checkout and its build directory) when
  /// the object holds no path of the checkout (no argument naming a path
  /// under it, no debug information, or -ffile-prefix-map mapping it
  /// away): then checkouts at other paths share their objects. The cache
  /// is used by one of the build's threads at a time; a cache that fails
  /// makes the step run as without one.
  cache::basic_output_cache<sys::platform>* cache = nullptr;
  text base_dir;
  /// What ninja lacks: the compiles the cache would understand (above),
  /// when the cache does not answer them, go to a pool of distcc servers
  /// (vitte/toolchain/distcc.hpp: preprocessed here, compiled there, the
  /// object checked whole, run here when the pool keeps them or no server
  /// is left). `jobs` should count the pool's slots: the servers' limits
  /// and its local slots (`vitte build --distcc` does).
  basic_compile_pool<sys::platform>* distcc = nullptr;
};

/// Where the build is when a step starts or finishes.
struct ninja_progress {
  std::uint32_t started = 0;   ///< commands started so far
  std::uint32_t finished = 0;  ///< commands finished so far
  std::uint32_t total = 0;     ///< commands the build means to run
  std::uint32_t running = 0;   ///< commands running now
};

/// What the build tells as it goes; called on the caller's thread.
class ninja_status {
 public:
  /// `s` starts (after its output directories and rspfile are made).
  virtual void started(const ninja_step& s, const ninja_progress& p) = 0;
  /// `s` ended; `output` is its stdout and stderr (empty for the console
  /// pool, whose output went straight to the terminal).
  virtual void finished(const ninja_step& s, bool ok, text_view output, const ninja_progress& p) = 0;

 protected:
  ~ninja_status() = default;
};

/// What a build did.
struct ninja_build_report {
  std::uint32_t ran = 0;          ///< commands that ran and succeeded
  std::uint32_t failed = 0;       ///< commands that failed
  std::uint32_t total = 0;        ///< commands the plan held, dyndep files' included (restat may make fewer run)
  std::uint32_t cached = 0;       ///< of `ran`: outputs written from the shared cache, the command not run
  std::uint32_t distributed = 0;  ///< of `ran`: compiled on a distcc server
  bool ok() const noexcept { return failed == 0; }
};

/// Builds `targets` (paths, canonical as the manifest's; empty: the
/// defaults, else every output nothing else uses) of `m` (see the header).
VITTE_DECL result<ninja_build_report> run_ninja_build(const ninja_manifest& m, span<const text> targets,
                                                      const ninja_build_options& o, ninja_status& status,
                                                      diagnostic* why = nullptr);

}  // namespace vitte::toolchain

#if VITTE_HEADER_ONLY
#include <vitte/toolchain/impl/ninja_build.ipp>
#endif

#endif  // VITTE_TOOLCHAIN_NINJA_BUILD_HPP
