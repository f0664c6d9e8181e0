// vitte build: a build.ninja run as ninja 1.11 runs it (options, status
// line, failure output and the files it keeps are ninja's), through
// vitte::toolchain::read_ninja_manifest and run_ninja_build.
#ifndef VITTE_TOOLS_NINJA_COMMANDS_HPP
#define VITTE_TOOLS_NINJA_COMMANDS_HPP

#include <vitte/base/detail/decimal.hpp>
#include <vitte/sys/path_ops.hpp>
#include <vitte/sys/terminal.hpp>
#include <vitte/toolchain/ninja_build.hpp>
#include <vitte/toolchain/ninja_manifest.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "cli.hpp"

namespace ninja_commands {

namespace toolchain = vitte::toolchain;
namespace sys = vitte::sys;
using cli::context;

/// Prints as ninja does: on a terminal one status line rewritten in place,
/// elsewhere a line per finished step; a step's output whole; a failure as
/// "FAILED: outputs", the command, its output.
class printer final : public toolchain::ninja_status {
 public:
  explicit printer(bool verbose)
      : verbose_(verbose), smart_(sys::is_terminal(sys::standard_handle(sys::standard_stream::output)) && !dumb()) {}

  void started(const toolchain::ninja_step& s, const toolchain::ninja_progress& p) override {
    if (smart_ || s.pool == "console") show(s, p.finished, p);
    if (s.pool == "console") end_line();
  }

  void finished(const toolchain::ninja_step& s, bool ok, vitte::text_view output,
                const toolchain::ninja_progress& p) override {
    if (!smart_) show(s, p.finished, p);
    if (!ok) {
      end_line();
      std::string outs;
      for (const vitte::text& o : s.outputs) {
        if (!outs.empty()) outs += ' ';
        outs += o.view();
      }
      std::printf("FAILED: %s\n%s\n", outs.c_str(), s.command.c_str());
    }
    if (!output.empty()) {
      end_line();
      std::fwrite(output.data(), 1, output.size(), stdout);
      if (output.back() != '\n') std::fputc('\n', stdout);
    }
    std::fflush(stdout);
  }

  /// Ends the status line on a terminal before other text is printed.
  void end_line() {
    if (!open_) return;
    std::fputc('\n', stdout);
    open_ = false;
  }

 private:
  static bool dumb() {
    const char* term = std::getenv("TERM");
    return term == nullptr || std::string_view(term) == "dumb";
  }

  void show(const toolchain::ninja_step& s, std::uint32_t finished, const toolchain::ninja_progress& p) {
    const vitte::text& what = verbose_ || s.description.empty() ? s.command : s.description;
    if (smart_) {
      std::printf("\r[%u/%u] %s\x1b[K", finished, p.total, what.c_str());
      open_ = true;
    } else {
      std::printf("[%u/%u] %s\n", finished, p.total, what.c_str());
    }
    std::fflush(stdout);
  }

  bool verbose_;
  bool smart_;
  bool open_ = false;
};

inline bool count_option(const cli::parsed& p, std::string_view name, unsigned fallback, unsigned& out) {
  const vitte::text_view v = p.get(name);
  if (v.empty()) {
    out = fallback;
    return true;
  }
  std::uint64_t n = 0;
  if (!vitte::detail::parse_decimal(v, 1u << 20, n)) return false;
  out = static_cast<unsigned>(n);
  return true;
}

inline int build(const cli::parsed& p, const context& c) {
  toolchain::ninja_build_options o;
  if (!count_option(p, "-j", 0, o.jobs)) return cli::usage_error(c, "build", "-j takes a number of jobs");
  if (!count_option(p, "-k", 1, o.failures_allowed))
    return cli::usage_error(c, "build", "-k takes a number of failures (0: no limit)");
  if (p.has("-j") && o.jobs == 0) o.jobs = 1u << 20;  // -j0: no limit, as ninja
  o.dry_run = p.has("-n");
  o.content_hashes = p.has("--content-hashes");
  const vitte::text_view dir = p.get("-C");
  if (!dir.empty()) {
    std::printf("vitte build: Entering directory `%.*s'\n", static_cast<int>(dir.size()), dir.data());
    if (auto s = sys::set_current_directory(dir); !s) return cli::fail(c, "build", std::string_view(dir), s.error());
  }
  const vitte::text manifest_path = p.get("-f", "build.ninja");
  vitte::buffer<vitte::text> targets;
  for (const std::string_view t : p.operands) targets.push_back(vitte::text_view(t.data(), t.size()));
  printer out(p.has("-v"));

  // The manifest first, when a step makes it (a generator rule), then the
  // build with the manifest it wrote, as ninja does; at most 100 rounds.
  for (int round = 0;; ++round) {
    vitte::diagnostic why;
    auto m = toolchain::read_ninja_manifest(manifest_path, {}, &why);
    if (!m) return out.end_line(), cli::fail(c, "build", why);
    for (const vitte::diagnostic& w : m->warnings.items())
      std::fprintf(stderr, "vitte build: warning: %s\n", w.format().c_str());
    const vitte::text self = toolchain::ninja_canonical_path(manifest_path);
    bool makes_itself = false;
    for (const toolchain::ninja_step& s : m->steps)
      for (const vitte::text& o2 : s.outputs) makes_itself = makes_itself || o2 == self;
    if (makes_itself && round < 100 && !o.dry_run) {
      const vitte::text one[] = {self};
      auto r = toolchain::run_ninja_build(*m, vitte::span<const vitte::text>(one, 1), o, out, &why);
      if (!r) return out.end_line(), cli::fail(c, "build", why);
      if (!r->ok()) {
        out.end_line();
        std::fprintf(stderr, "vitte build: error: rebuilding '%s': subcommand failed\n", self.c_str());
        return 1;
      }
      if (r->ran != 0) continue;  // read what it wrote
    }
    auto r = toolchain::run_ninja_build(*m, targets.span(), o, out, &why);
    out.end_line();
    if (!r) return cli::fail(c, "build", why);
    if (!r->ok()) {
      std::fprintf(stderr, "vitte build: build stopped: subcommand failed.\n");
      return 1;
    }
    if (r->total == 0) std::printf("vitte build: no work to do.\n");
    return 0;
  }
}

}  // namespace ninja_commands

#endif  // VITTE_TOOLS_NINJA_COMMANDS_HPP
