// vitte run --sandbox: a native program under vitte::sys::sandbox. The
// option table is in vitte.cpp; the limit and network syntax is the
// library's (parse_sandbox_limits, parse_sandbox_network).
#ifndef VITTE_TOOLS_SANDBOX_COMMANDS_HPP
#define VITTE_TOOLS_SANDBOX_COMMANDS_HPP

#include <vitte/sys/sandbox.hpp>

#include <cstdio>
#include <string>
#include <string_view>

#include "cli.hpp"

namespace sandbox_commands {

namespace sys = vitte::sys;

inline void report_json(cli::json& j, const sys::sandbox_report& r) {
  j.key("report").begin_object().field("landlock_abi", std::int64_t{r.landlock_abi}).field("complete", r.complete());
  j.key("layers").begin_object();
  for (std::size_t i = 0; i < sys::sandbox_layer_count; ++i) {
    const sys::layer_outcome& l = r.layers[i];
    j.key(std::string_view(sys::to_string(static_cast<sys::sandbox_layer>(i)).data(),
                           sys::to_string(static_cast<sys::sandbox_layer>(i)).size()))
        .begin_object()
        .field("state", sys::to_string(l.state))
        .field("code", std::int64_t{l.code})
        .field("reason", l.reason)
        .end_object();
  }
  j.end_object().end_object();
}

// Layers asked for and not enforced, one line each on stderr ("vitte CMD: sandbox: ...").
inline void warn_missing(const sys::sandbox_report& r, const char* command = "run") {
  for (std::size_t i = 0; i < sys::sandbox_layer_count; ++i) {
    const sys::layer_outcome& l = r.layers[i];
    if (l.state != sys::layer_state::refused && l.state != sys::layer_state::unsupported) continue;
    std::fprintf(stderr, "vitte %s: sandbox: %s %s: %s\n", command,
                 sys::to_string(static_cast<sys::sandbox_layer>(i)).data(), sys::to_string(l.state).data(), l.reason);
  }
}

inline int exit_code(const sys::exit_status& s) { return s.exited() ? s.code() : 128 + s.signal(); }

inline int run(const cli::parsed& p, const cli::context& c) {
  const auto usage = [&c](std::string_view what) { return cli::usage_error(c, "run", what); };
  sys::sandbox box;
  box.system_runtime();
  for (const auto& [opt, v] : p.options) {
    const vitte::text path{vitte::text_view(v.data(), v.size())};
    if (opt == "--allow-read") {
      box.allow_read(path);
    } else if (opt == "--allow-write") {
      box.allow_write(path);
    } else if (opt == "--allow-exec") {
      box.allow_exec(path);
    } else if (opt == "--net") {
      sys::sandbox_network n;
      vitte::diagnostic why;
      if (!sys::parse_sandbox_network(vitte::text_view(v.data(), v.size()), n, &why))
        return usage("--net " + std::string(why.format().c_str()));
      box.network(n);
    } else if (opt == "--limit") {
      sys::sandbox_limits l;
      vitte::diagnostic why;
      if (!sys::parse_sandbox_limits(vitte::text_view(v.data(), v.size()), l, &why))
        return usage("--limit " + std::string(why.format().c_str()) + " (cpu=S,mem=B,files=N,procs=N,fsize=B)");
      box.limits(l);
    } else if (opt == "--syscalls") {
      if (v == "standard")
        box.syscalls(sys::syscall_profile::standard);
      else if (v == "compiler")
        box.syscalls(sys::syscall_profile::compiler);
      else if (v == "unfiltered")
        box.syscalls(sys::syscall_profile::unfiltered);
      else
        return usage("--syscalls wants standard, compiler or unfiltered");
    } else if (opt == "--clear-env") {
      box.clear_environment({"PATH", "HOME", "LANG", "TERM"});
    } else if (opt == "--strict") {
      box.on_missing(sys::sandbox_missing::fail);
    }
  }
  if (p.operands.empty()) return usage("no program to run");
  sys::sandbox_command cmd{vitte::text(vitte::text_view(p.operands[0].data(), p.operands[0].size()))};
  for (std::size_t i = 1; i < p.operands.size(); ++i)
    cmd.arg(vitte::text_view(p.operands[i].data(), p.operands[i].size()));
  if (!c.json) {
    auto r = box.spawn(cmd);
    if (!r) {
      warn_missing(box.last_report());
      return cli::fail(c, "run", r.error().message().view());
    }
    warn_missing(r->report);
    auto st = r->child.wait();
    if (!st) return cli::fail(c, "run", st.error().message().view());
    return exit_code(*st);
  }
  auto r = box.output(cmd);
  cli::json j;
  j.schema("run");
  if (!r) {
    j.field("error", r.error().message().view());
    report_json(j, box.last_report());
    j.end_object().print();
    return 1;
  }
  const sys::exit_status& s = r->output.status;
  j.field("exit_code", std::int64_t{s.code()}).field("signal", std::int64_t{s.signal()});
  j.field("stdout", r->output.out).field("stderr", r->output.err);
  report_json(j, r->report);
  j.end_object().print();
  return exit_code(s);
}

}  // namespace sandbox_commands

#endif  // VITTE_TOOLS_SANDBOX_COMMANDS_HPP
