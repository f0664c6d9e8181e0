// The report and limit syntax of vitte/sys/sandbox.hpp, and its one backend
// switch: detail/linux/sandbox.ipp (namespaces, Landlock, seccomp, rlimits),
// detail/posix/sandbox.ipp (rlimits: Darwin, the BSDs),
// detail/win32/sandbox.ipp (job objects). Included at the end of
// sandbox.hpp in header-only mode, by src/vitte.cpp in compiled mode.
#ifndef VITTE_SYS_DETAIL_SANDBOX_IPP
#define VITTE_SYS_DETAIL_SANDBOX_IPP

#include <vitte/base/config.hpp>
#include <vitte/base/detail/decimal.hpp>
#include <vitte/base/json_writer.hpp>  // to_json
#include <vitte/sys/sandbox.hpp>

namespace vitte::sys {

VITTE_DECL text_view to_string(sandbox_layer l) noexcept {
  static constexpr const char* names[sandbox_layer_count] = {
      "user_namespace", "mount_namespace", "pid_namespace", "net_namespace", "ipc_namespace",
      "uts_namespace",  "no_new_privs",    "landlock_fs",   "landlock_net",  "landlock_scope",
      "seccomp",        "rlimits",         "environment",   "job_object",    "ui_restrictions",
      "process_limit",  "readonly_mounts", "own_procfs",    "memory_limit",  "wall_clock"};
  auto i = static_cast<std::size_t>(l);
  return i < sandbox_layer_count ? text_view(names[i]) : text_view("layer");
}

VITTE_DECL text_view to_string(layer_state s) noexcept {
  switch (s) {
    case layer_state::off:
      return "off";
    case layer_state::applied:
      return "applied";
    case layer_state::refused:
      return "refused";
    case layer_state::unsupported:
      return "unsupported";
  }
  return "state";
}

VITTE_DECL bool sandbox_report::complete() const noexcept {
  for (const layer_outcome& l : layers)
    if (l.state == layer_state::refused || l.state == layer_state::unsupported) return false;
  return true;
}

VITTE_DECL diagnostic describe(const sandbox_report& r) noexcept {
  diagnostic d;
  for (std::size_t i = 0; i < sandbox_layer_count; ++i) {
    const layer_outcome& l = r.layers[i];
    if (l.state != layer_state::refused && l.state != layer_state::unsupported) continue;
    d.of(l.state == layer_state::refused ? errc::permission_denied : errc::not_supported)
        .about(to_string(static_cast<sandbox_layer>(i)))
        .say(to_string(l.state));
    if (l.code != 0) d.append(" (code ").append(static_cast<std::uint64_t>(l.code < 0 ? -l.code : l.code)).append(")");
    d.append(": ").append(text_view(l.reason));
    break;
  }
  return d;
}

VITTE_DECL text sandbox_report::to_json() const {
  json_writer j;
  j.begin_object().field("landlock_abi", static_cast<std::int64_t>(landlock_abi)).field("complete", complete());
  j.key("layers").begin_object();
  for (std::size_t i = 0; i < sandbox_layer_count; ++i) {
    const layer_outcome& l = layers[i];
    j.key(to_string(static_cast<sandbox_layer>(i))).begin_object();
    j.field("state", to_string(l.state)).field("code", static_cast<std::int64_t>(l.code));
    j.field("reason", text_view(l.reason)).end_object();
  }
  j.end_object().end_object();
  return j.take();
}

namespace detail {

// "60", "64MiB", "2G": a count, or bytes with a unit (parse_byte_count's).
inline bool parse_sandbox_amount(text_view v, bool bytes, std::uint64_t& out) noexcept {
  std::uint64_t n = 0;
  if (bytes ? !vitte::detail::parse_byte_count(v, n) : !vitte::detail::parse_decimal(v, UINT64_MAX, n)) return false;
  if (n == 0) return false;
  out = n;
  return true;
}

}  // namespace detail

VITTE_DECL status parse_sandbox_limits(text_view spec, sandbox_limits& out, diagnostic* problem) noexcept {
  const auto bad = [problem](std::size_t at, text_view what, text_view name) -> status {
    if (problem != nullptr) {
      problem->clear();
      problem->of(errc::invalid_argument).at(at).say(what);
      if (!name.empty()) problem->append(" '").append(name).append("'");
    }
    return error{errc::invalid_argument, operation{}};
  };
  if (spec.empty()) return bad(0, "no limit: expected cpu=S,mem=B,as=B,files=N,procs=N,fsize=B,wall=S", {});
  struct field {
    const char* name;
    std::uint64_t sandbox_limits::* where;
    bool bytes;
  };
  static constexpr field fields[] = {
      {"cpu", &sandbox_limits::cpu_seconds, false},  {"mem", &sandbox_limits::memory, true},
      {"as", &sandbox_limits::address_space, true},  {"files", &sandbox_limits::open_files, false},
      {"procs", &sandbox_limits::processes, false},  {"fsize", &sandbox_limits::file_size, true},
      {"wall", &sandbox_limits::wall_seconds, false}};
  constexpr unsigned count = sizeof fields / sizeof fields[0];
  sandbox_limits l;
  unsigned seen = 0;
  std::size_t start = 0;
  while (start <= spec.size()) {
    std::size_t end = spec.find(',', start);
    if (end == text_view::npos) end = spec.size();
    text_view item = spec.substr(start, end - start);
    std::size_t eq = item.find('=');
    if (item.empty()) return bad(start, "empty item", {});
    if (eq == text_view::npos) return bad(start, "expected NAME=VALUE, not", item);
    text_view name = item.substr(0, eq), value = item.substr(eq + 1);
    unsigned f = 0;
    while (f < count && name != text_view(fields[f].name)) ++f;
    if (f == count) return bad(start, "unknown limit (cpu, mem, as, files, procs, fsize, wall):", name);
    if ((seen & (1u << f)) != 0) return bad(start, "limit given twice:", name);
    if (!detail::parse_sandbox_amount(value, fields[f].bytes, l.*fields[f].where))
      return bad(start + eq + 1,
                 fields[f].bytes ? "not a byte count from 1 (B, k, K, M, G, T, KiB, MiB, GiB, TiB; below 2^64):"
                                 : "not a whole number from 1 below 2^64:",
                 value);
    seen |= 1u << f;
    start = end + 1;
  }
  out = l;
  return {};
}

VITTE_DECL status parse_sandbox_network(text_view s, sandbox_network& out, diagnostic* problem) noexcept {
  const text_view names[] = {"none", "loopback", "any"};
  const sandbox_network values[] = {sandbox_network::none, sandbox_network::loopback, sandbox_network::any};
  for (int i = 0; i < 3; ++i)
    if (s == names[i]) {
      out = values[i];
      return {};
    }
  if (problem != nullptr) {
    problem->clear();
    problem->of(errc::invalid_argument).at(0).say("expected none, loopback or any, not '").append(s).append("'");
  }
  return error{errc::invalid_argument, operation{}};
}

}  // namespace vitte::sys

#if VITTE_OS_LINUX && VITTE_POLICY != VITTE_POLICY_FREESTANDING
#include <vitte/sys/detail/linux/sandbox.ipp>
#elif VITTE_OS_POSIX && VITTE_POLICY != VITTE_POLICY_FREESTANDING
#include <vitte/sys/detail/posix/sandbox.ipp>
#elif VITTE_OS_WINDOWS && VITTE_POLICY != VITTE_POLICY_FREESTANDING
#include <vitte/sys/detail/win32/sandbox.ipp>
#endif

#endif  // VITTE_SYS_DETAIL_SANDBOX_IPP
