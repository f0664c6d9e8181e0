// vitte build: a build.ninja run as ninja 1.11 runs it (options, status
// line, failure output and the files it keeps are ninja's), through
// vitte::toolchain::read_ninja_manifest and run_ninja_build.
#ifndef VITTE_TOOLS_NINJA_COMMANDS_HPP
#define VITTE_TOOLS_NINJA_COMMANDS_HPP

#include <vitte/base/detail/decimal.hpp>
#include <vitte/base/json_writer.hpp>
#include <vitte/cache/cache.hpp>
#include <vitte/cache/remote.hpp>
#include <vitte/sys/directory.hpp>
#include <vitte/sys/info.hpp>  // cpu_count
#include <vitte/sys/path_ops.hpp>
#include <vitte/sys/terminal.hpp>
#include <vitte/toolchain/distcc.hpp>
#include <vitte/toolchain/ninja_build.hpp>
#include <vitte/toolchain/ninja_manifest.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cli.hpp"

namespace ninja_commands {

namespace cache = vitte::cache;
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

/// The steps of `m` by output.
inline std::unordered_map<std::string, std::size_t> producers(const toolchain::ninja_manifest& m) {
  std::unordered_map<std::string, std::size_t> made_by;
  for (std::size_t i = 0; i < m.steps.size(); ++i)
    for (const vitte::text& o : m.steps[i].outputs) made_by.emplace(std::string(o.view()), i);
  return made_by;
}

/// `vitte build -t TOOL`: ninja's tools that read the manifest only.
inline int tool(std::string_view name, const toolchain::ninja_manifest& m, const cli::args& operands,
                const context& c) {
  const auto made_by = producers(m);
  if (name == "list") {
    std::puts(
        "vitte build subtools:\n  clean     remove the outputs (not a generator's; dyndep files' too)\n"
        "  commands  the commands to build the targets, each once, in order\n"
        "  compdb    a compilation database of the steps with inputs [RULE...]\n"
        "  targets   every output and its rule (targets all), or a rule's (targets rule NAME)");
    return 0;
  }
  if (name == "commands") {
    // Depth first from the targets (the defaults, else every output nothing reads), post-order.
    std::vector<std::string> roots(operands.begin(), operands.end());
    if (roots.empty()) {
      for (const vitte::text& d : m.defaults) roots.emplace_back(d.view());
      if (roots.empty()) {
        std::unordered_map<std::string, bool> read;
        for (const toolchain::ninja_step& s : m.steps)
          for (const vitte::text& i : s.inputs) read[std::string(i.view())] = true;
        for (const toolchain::ninja_step& s : m.steps)
          for (const vitte::text& o : s.outputs)
            if (read.count(std::string(o.view())) == 0) roots.emplace_back(o.view());
      }
    }
    std::vector<std::uint8_t> seen(m.steps.size(), 0);
    std::vector<std::pair<std::size_t, std::size_t>> stack;  // step, next input
    for (const std::string& r : roots) {
      const auto at =
          made_by.find(std::string(toolchain::ninja_canonical_path(vitte::text_view(r.data(), r.size())).view()));
      if (at == made_by.end()) return cli::fail(c, "build", "unknown target '" + r + "'");
      if (seen[at->second] != 0) continue;
      seen[at->second] = 1;
      stack.emplace_back(at->second, 0);
      while (!stack.empty()) {
        auto& [step, next] = stack.back();
        const toolchain::ninja_step& s = m.steps[step];
        if (next < s.inputs.size()) {
          const auto in = made_by.find(std::string(s.inputs[next++].view()));
          if (in != made_by.end() && seen[in->second] == 0) {
            seen[in->second] = 1;
            stack.emplace_back(in->second, 0);
          }
          continue;
        }
        if (s.rule != "phony") std::printf("%s\n", s.command.c_str());
        stack.pop_back();
      }
    }
    return 0;
  }
  if (name == "targets") {
    const bool all = operands.empty() || operands[0] == "all";
    if (!all && (operands.size() != 2 || operands[0] != "rule"))
      return cli::usage_error(c, "build", "-t targets [all | rule NAME]");
    for (const toolchain::ninja_step& s : m.steps)
      if (all || s.rule == vitte::text_view(operands[1].data(), operands[1].size()))
        for (const vitte::text& o : s.outputs) std::printf("%s: %s\n", o.c_str(), s.rule.c_str());
    return 0;
  }
  if (name == "compdb") {
    const vitte::text here = sys::current_directory().value_or(vitte::text("."));
    vitte::json_writer j;
    j.begin_array();
    for (const toolchain::ninja_step& s : m.steps) {
      if (s.inputs.empty()) continue;  // as ninja: phony steps too, with no command
      bool listed = operands.empty();
      for (const std::string_view r : operands) listed = listed || s.rule == vitte::text_view(r.data(), r.size());
      if (!listed) continue;
      j.begin_object().key("directory").value(here).key("command").value(s.command);
      j.key("file").value(s.inputs[0]).key("output").value(s.outputs[0]).end_object();
    }
    j.end_array();
    std::printf("%.*s\n", static_cast<int>(j.view().size()), j.view().data());
    return 0;
  }
  if (name == "clean") {
    // As ninja's Cleaner: the dyndep files there are read first (one that
    // cannot be is passed over), so the outputs they add go too.
    std::unordered_map<std::size_t, std::vector<vitte::text>> discovered;
    std::unordered_map<std::string, bool> read;
    const auto step_of = [](vitte::text_view path, void* context) -> std::int64_t {
      const auto& by = *static_cast<const std::unordered_map<std::string, std::size_t>*>(context);
      const auto at = by.find(std::string(path));
      return at == by.end() ? -1 : static_cast<std::int64_t>(at->second);
    };
    for (const toolchain::ninja_step& s : m.steps) {
      if (s.dyndep.empty() || read[std::string(s.dyndep.view())]) continue;
      read[std::string(s.dyndep.view())] = true;
      auto body = sys::read_file_string(s.dyndep);
      if (!body) continue;
      auto f = toolchain::parse_ninja_dyndep(*body, s.dyndep,
                                             {step_of, const_cast<void*>(static_cast<const void*>(&made_by))});
      if (!f) continue;
      for (toolchain::ninja_dyndep& d : f->statements) {
        const std::size_t at = made_by.at(std::string(d.output.view()));
        if (m.steps[at].dyndep != s.dyndep) continue;
        for (vitte::text& o : d.implicit_outputs) discovered[at].push_back(std::move(o));
      }
    }
    std::size_t removed = 0;
    for (std::size_t i = 0; i < m.steps.size(); ++i) {
      const toolchain::ninja_step& s = m.steps[i];
      if (s.rule == "phony" || s.generator) continue;
      for (const vitte::text& o : s.outputs) removed += sys::remove(o).value_or(false) ? 1 : 0;
      for (const vitte::text& o : discovered[i]) removed += sys::remove(o).value_or(false) ? 1 : 0;
      if (!s.depfile.empty()) removed += sys::remove(s.depfile).value_or(false) ? 1 : 0;
      if (!s.rspfile.empty()) removed += sys::remove(s.rspfile).value_or(false) ? 1 : 0;
    }
    std::printf("Cleaning... %zu files.\n", removed);
    return 0;
  }
  return cli::usage_error(c, "build", "no tool '" + std::string(name) + "' (vitte build -t list)");
}

inline int build(const cli::parsed& p, const context& c) {
  toolchain::ninja_build_options o;
  if (!count_option(p, "-j", 0, o.jobs)) return cli::usage_error(c, "build", "-j takes a number of jobs");
  if (!count_option(p, "-k", 1, o.failures_allowed))
    return cli::usage_error(c, "build", "-k takes a number of failures (0: no limit)");
  if (p.has("-j") && o.jobs == 0) o.jobs = 1u << 20;  // -j0: no limit, as ninja
  o.dry_run = p.has("-n");
  o.content_hashes = p.has("--content-hashes");
  toolchain::jobserver js = toolchain::jobserver::from_environment();  // under make -jN
  if (!js.active() && !js.note().empty())
    std::fprintf(stderr, "vitte build: warning: %.*s\n", static_cast<int>(js.note().size()), js.note().data());
  o.tokens = js.active() ? &js : nullptr;
  o.serve_jobserver = p.has("-j");  // -j N: the commands share the N (a make among them too)
  // The shared cache, opened before -C moves us: its paths are the caller's.
  std::optional<cache::output_cache> shared;
  if (p.has("--cache")) {
    (void)sys::create_directories(p.get("--cache"));  // made now, so that its path is taken absolute
    auto opened = cache::output_cache::open(sys::canonical(p.get("--cache")).value_or(vitte::text(p.get("--cache"))));
    if (opened) shared.emplace(std::move(*opened));
    if (!opened)  // a cache that cannot be used (read-only, damaged) costs time, never the build
      std::fprintf(stderr, "vitte build: warning: --cache %s: %s; building without it\n",
                   std::string(p.get("--cache")).c_str(), opened.error().message().c_str());
    if (shared && p.has("--remote")) {
      auto remote = cache::remote_options::parse(p.get("--remote"));
      if (!remote) return cli::fail(c, "build", "--remote " + std::string(p.get("--remote")), remote.error());
      if (auto s = shared->attach_remote(std::move(*remote)); !s)
        return cli::fail(c, "build", "--remote " + std::string(p.get("--remote")), s.error());
    }
    o.cache = shared ? &*shared : nullptr;
    if (p.has("--base-dir")) {
      auto base = sys::canonical(p.get("--base-dir"));
      if (!base) return cli::fail(c, "build", "--base-dir " + std::string(p.get("--base-dir")), base.error());
      o.base_dir = std::move(*base);
    }
  } else if (p.has("--remote") || p.has("--base-dir")) {
    return cli::usage_error(c, "build", "--remote and --base-dir go with --cache");
  }
  // distcc servers (DISTCC_HOSTS's form): -j counts their slots too.
  std::unique_ptr<toolchain::compile_pool> pool;
  if (p.has("--distcc")) {
    vitte::diagnostic why;
    auto hosts = toolchain::parse_distcc_hosts(p.get("--distcc"), &why);
    if (!hosts) return cli::fail(c, "build", why);
    toolchain::compile_pool_options po;
    po.local_slots = hosts->local_slots != 0 ? hosts->local_slots : sys::cpu_count();
    unsigned slots = po.local_slots;
    for (const toolchain::distcc_host& h : hosts->servers) slots += h.limit;
    po.servers = std::move(hosts->servers);
    if (!p.has("-j")) o.jobs = slots;
    pool = std::make_unique<toolchain::compile_pool>(std::move(po));
    o.distcc = pool.get();
  }
  const vitte::text_view dir = p.get("-C");
  if (!dir.empty()) {
    std::printf("vitte build: Entering directory `%.*s'\n", static_cast<int>(dir.size()), dir.data());
    if (auto s = sys::set_current_directory(dir); !s) return cli::fail(c, "build", std::string_view(dir), s.error());
  }
  const vitte::text manifest_path = p.get("-f", "build.ninja");
  if (p.has("-t")) {
    const vitte::text_view name = p.get("-t");
    if (name == "list") return tool("list", {}, p.operands, c);
    vitte::diagnostic why;
    auto m = toolchain::read_ninja_manifest(manifest_path, {}, &why);
    if (!m) return cli::fail(c, "build", why);
    return tool(std::string_view(name), *m, p.operands, c);
  }
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
    if (shared && r->cached != 0)
      std::printf("vitte build: %u of %u commands answered by the cache (%s)\n", r->cached, r->ran,
                  shared->root().c_str());
    if (pool) {
      const toolchain::compile_pool_stats st = pool->stats();
      std::printf("vitte build: %llu compiles on distcc servers, %llu here (%llu retried)\n",
                  static_cast<unsigned long long>(st.remote), static_cast<unsigned long long>(st.local),
                  static_cast<unsigned long long>(st.retried));
    }
    if (shared) (void)shared->flush_remote(sys::deadline::after(std::chrono::seconds(10)));
    return 0;
  }
}

}  // namespace ninja_commands

#endif  // VITTE_TOOLS_NINJA_COMMANDS_HPP
