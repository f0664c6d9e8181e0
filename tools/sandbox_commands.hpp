// vitte run --sandbox: a native program under vitte::sys::sandbox. The
// option table is in vitte.cpp; the limit and network syntax is the
// library's (parse_sandbox_limits, parse_sandbox_network).
#ifndef VITTE_TOOLS_SANDBOX_COMMANDS_HPP
#define VITTE_TOOLS_SANDBOX_COMMANDS_HPP

#include <vitte/base/detail/decimal.hpp>
#include <vitte/sys/sandbox.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>  // strtod
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#if !defined(_WIN32)
#include <grp.h>  // getgrnam
#include <pwd.h>  // getpwnam
#endif

#include "cli.hpp"
#include "wasm_commands.hpp"  // parse_bytes

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

// What the program's start failed with: under --strict, the layer that
// was missing ("sandbox: landlock_net: refused (code 3): TCP rules need
// Landlock ABI 4; --strict: the program was not run"), else the error
// about the program.
inline std::string start_failure(const sys::sandbox& box, vitte::error e, std::string_view program) {
  const vitte::diagnostic missing = sys::describe(box.last_report());
  if (box.settings().missing == sys::sandbox_missing::fail && missing)
    return std::string("sandbox: ") + missing.format().c_str() + "; --strict: the program was not run";
  return std::string(program) + ": " + e.message().c_str();
}

// Seconds as "2", "0.5": above 0, at most a year.
inline bool parse_seconds(std::string_view v, double& out) {
  std::string z(v);
  char* end = nullptr;
  out = std::strtod(z.c_str(), &end);
  return end != z.c_str() && *end == '\0' && out > 0 && out <= 366.0 * 86400;
}

// "65534", "65534:65534", "nobody", "nobody:nogroup": a user and a group
// (the user's own group when none is given).
inline bool parse_user(std::string_view v, std::uint32_t& uid, std::uint32_t& gid) {
#if defined(_WIN32)
  (void)v, (void)uid, (void)gid;
  return false;  // no POSIX users: --user is refused
#else
  const std::size_t colon = v.find(':');
  const std::string user(v.substr(0, colon));
  const auto number = [](const std::string& s, std::uint32_t& out) {
    std::uint64_t n = 0;
    if (s.empty() || !vitte::detail::parse_decimal(vitte::text_view(s.data(), s.size()), 0xfffffffeu, n)) return false;
    out = static_cast<std::uint32_t>(n);
    return true;
  };
  if (const passwd* pw = ::getpwnam(user.c_str())) {
    uid = pw->pw_uid;
    gid = pw->pw_gid;
  } else if (number(user, uid)) {
    gid = uid;
  } else {
    return false;
  }
  if (colon == std::string_view::npos) return true;
  const std::string group(v.substr(colon + 1));
  if (const ::group* gr = ::getgrnam(group.c_str())) {
    gid = gr->gr_gid;
    return true;
  }
  return number(group, gid);
#endif
}

// The options of `vitte run` that belong to WASI programs alone.
inline constexpr std::string_view wasi_only[] = {"--dir", "--fuel", "--invoke"};

inline int run(const cli::parsed& p, const cli::context& c) {
  const auto usage = [&c](std::string_view what) { return cli::usage_error(c, "run", what); };
  sys::sandbox box;
  const std::string_view runtime =
      std::string_view(p.get("--runtime", "system").data(), p.get("--runtime", "system").size());
  if (runtime == "system")
    box.system_runtime();
  else if (runtime == "minimal")
    box.minimal_runtime();
  else if (runtime != "none")
    return usage("--runtime wants system, minimal or none");
  bool clear_env = false;
  double timeout_s = 0;
  std::size_t max_output = 16u << 20;
  std::uint64_t max_memory = 0;
  std::vector<std::pair<std::string, std::string>> env;
  for (const auto& [opt, v] : p.options) {
    const vitte::text path{vitte::text_view(v.data(), v.size())};
    for (std::string_view w : wasi_only)
      if (opt == w)
        return usage(std::string(opt) +
                     " is for WASI programs, not with --sandbox (paths: --allow-read, --allow-write)");
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
        return usage("--limit " + std::string(why.format().c_str()) +
                     " (cpu=S,mem=B,as=B,files=N,procs=N,fsize=B,wall=S)");
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
      clear_env = true;
    } else if (opt == "--strict") {
      box.on_missing(sys::sandbox_missing::fail);
    } else if (opt == "--timeout") {
      if (!parse_seconds(v, timeout_s)) return usage("--timeout wants seconds above 0 (2, 0.5)");
    } else if (opt == "--max-memory") {
      if (!wasm_commands::parse_bytes(v, max_memory) || max_memory == 0)
        return usage("--max-memory wants bytes (65536, 64MiB, 1GiB)");
    } else if (opt == "--max-output") {
      std::uint64_t n = 0;
      if (!wasm_commands::parse_bytes(v, n) || n == 0) return usage("--max-output wants bytes (65536, 16MiB)");
      max_output = static_cast<std::size_t>(n);
    } else if (opt == "--user") {
      std::uint32_t uid = 0, gid = 0;
      if (!parse_user(v, uid, gid))
        return usage(VITTE_OS_WINDOWS ? "--user: no POSIX users on Windows"
                                      : "--user wants a user and a group: NAME[:GROUP] or UID[:GID]");
      box.run_as(uid, gid);
    } else if (opt == "--env") {
      const std::size_t eq = v.find('=');
      if (eq == std::string_view::npos || eq == 0) return usage("--env wants NAME=value");
      env.emplace_back(std::string(v.substr(0, eq)), std::string(v.substr(eq + 1)));
    }
  }
  if (p.operands.empty()) return usage("no program to run");
  // The limits --limit gave, with what --timeout and --max-memory add (the
  // whole sandbox's memory; the wall clock in whole seconds, rounded up:
  // the caller's deadline below is the exact one).
  sys::sandbox_limits limits = box.settings().limits;
  if (max_memory != 0) limits.memory = max_memory;
  if (timeout_s > 0) limits.wall_seconds = static_cast<std::uint64_t>(timeout_s) + 1;
  box.limits(limits);
  if (clear_env) {
    box.clear_environment({"PATH", "HOME", "LANG", "TERM"});
    for (const auto& [name, value] : env) box.clear_environment({vitte::text_view(name.data(), name.size())});
  }
  const std::string_view program = p.operands[0];
  sys::sandbox_command cmd{vitte::text(vitte::text_view(program.data(), program.size()))};
  for (std::size_t i = 1; i < p.operands.size(); ++i)
    cmd.arg(vitte::text_view(p.operands[i].data(), p.operands[i].size()));
  for (const auto& [name, value] : env)
    cmd.env(vitte::text_view(name.data(), name.size()), vitte::text_view(value.data(), value.size()));
  const sys::deadline d =
      timeout_s > 0 ? sys::deadline::after(std::chrono::nanoseconds(static_cast<std::int64_t>(timeout_s * 1e9)))
                    : sys::deadline::never();
  const std::string timed_out = std::string(program) + ": timed out after " +
                                std::string(p.get("--timeout").data(), p.get("--timeout").size()) + " s";
  if (!c.json) {
    auto r = box.spawn(cmd);
    if (!r) {
      warn_missing(box.last_report());
      return cli::fail(c, "run", start_failure(box, r.error(), program));
    }
    warn_missing(r->report);
    auto st = r->child.wait(vitte::sys::basic_deadline<sys::sandboxed<sys::platform>>::at_ns(d.ns()));
    if (!st && st.error() == vitte::errc::timed_out) {
      (void)r->child.kill();
      cli::fail(c, "run", timed_out);
      return 124;
    }
    if (!st) return cli::fail(c, "run", st.error().message().view());
    return exit_code(*st);
  }
  auto r = box.output(cmd, d, max_output);
  cli::json j;
  j.schema("run");
  if (!r) {
    const bool late = r.error() == vitte::errc::timed_out;
    j.field("error", late ? std::string_view(timed_out) : std::string_view(start_failure(box, r.error(), program)));
    if (late) j.field("timed_out", true);
    report_json(j, box.last_report());
    j.end_object().print();
    return late ? 124 : 1;
  }
  const sys::exit_status& s = r->output.status;
  j.field("exit_code", std::int64_t{s.code()}).field("signal", std::int64_t{s.signal()});
  j.field("stdout", r->output.out).field("stderr", r->output.err);
  j.field("stdout_truncated", r->output.out_truncated).field("stderr_truncated", r->output.err_truncated);
  report_json(j, r->report);
  j.end_object().print();
  return exit_code(s);
}

}  // namespace sandbox_commands

#endif  // VITTE_TOOLS_SANDBOX_COMMANDS_HPP
