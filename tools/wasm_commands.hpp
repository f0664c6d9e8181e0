// The WebAssembly commands of the vitte tool:
//
//   vitte run prog.wasm [args...]                  a WASI program; exits with its status
//   vitte run --dir data::/data --env LANG=C prog.wasm
//   vitte run --fuel 1000000 --timeout 2.5 --max-memory 64MiB prog.wasm
//   vitte run --invoke add lib.wasm 2 40           call an export, print its results
//   vitte inspect prog.wasm                        types, imports, exports, memories, custom sections
//
// run's status: the program's (proc_exit, or 0), 134 when it traps or hits
// a limit (the reason and backtrace on stderr), 1 when it cannot start, 2
// for bad usage.
#ifndef VITTE_TOOLS_WASM_COMMANDS_HPP
#define VITTE_TOOLS_WASM_COMMANDS_HPP

#include <vitte/base/detail/decimal.hpp>  // numeric arguments
#include <vitte/sys/clock_id.hpp>
#include <vitte/sys/file.hpp>
#include <vitte/sys/platform.hpp>
#include <vitte/sys/whole_file.hpp>
#include <vitte/wasm.hpp>
#include <vitte/wasm/wasi.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "cli.hpp"

namespace wasm_commands {

namespace wasm = vitte::wasm;

// True when the file starts with the wasm magic.
inline bool is_wasm(std::string_view path) {
  auto f = vitte::sys::file::open(std::string(path).c_str(), vitte::sys::open_mode::read);
  std::byte magic[4];
  return f && f->read_exact(magic).has_value() && std::memcmp(magic, "\0asm", 4) == 0;
}

// What the engine refused: `d` as it was filled, named after `subject`
// when it names nothing itself; the error's message when `d` is empty.
inline vitte::diagnostic refusal(vitte::diagnostic d, vitte::error e, std::string_view subject) {
  if (!d) return cli::described(subject, e);
  if (d.subject().empty()) d.about(vitte::text_view(subject.data(), subject.size()));
  return d;
}

// The module at `path`, decoded and validated; `why` says what was wrong,
// about `path`.
inline vitte::result<wasm::module> read_module(std::string_view path, vitte::diagnostic& why) {
  auto bytes = vitte::sys::read_file(std::string(path));
  if (!bytes) {
    why = cli::described(path, bytes.error());
    return bytes.error();
  }
  vitte::diagnostic d;
  auto m = wasm::decode(*bytes, &d);
  if (!m) why = refusal(d, m.error(), path);
  return m;
}

inline std::string type_text(const wasm::func_type& t) {
  std::string s = "(";
  for (std::size_t i = 0; i < t.params.size(); ++i) s += (i ? ", " : "") + std::string(to_string(t.params[i]));
  s += ") -> (";
  for (std::size_t i = 0; i < t.results.size(); ++i) s += (i ? ", " : "") + std::string(to_string(t.results[i]));
  return s + ")";
}

inline std::string limits_text(const wasm::limits& l) {
  return std::to_string(l.min) + (l.has_max ? ".." + std::to_string(l.max) : std::string(".."));
}

inline void limits_json(cli::json& j, const wasm::limits& l) {
  j.field("min", std::uint64_t{l.min}).key("max");
  if (l.has_max)
    j.value(std::uint64_t{l.max});
  else
    j.null();
}

inline void inspect_json(std::string_view path, const wasm::module& m) {
  cli::json j;
  j.schema("inspect").field("file", path).field("format", "wasm").field("size", std::uint64_t{m.bytes.size()});
  j.key("module").null().key("dependencies").begin_array().end_array();
  j.key("exports").begin_array();
  for (const auto& e : m.exports) {
    j.begin_object().field("name", e.name).field("kind", to_string(e.kind));
    if (e.kind == wasm::extern_kind::function) j.field("type", type_text(m.type_of_function(e.index)));
    j.end_object();
  }
  j.end_array().key("imports").begin_array();
  for (const auto& im : m.imports) {
    j.begin_object().field("module", im.module).field("name", im.name).field("kind", to_string(im.kind));
    if (im.kind == wasm::extern_kind::function) j.field("type", type_text(m.types[im.type_index]));
    j.end_object();
  }
  j.end_array().key("wasm").begin_object().key("types").begin_array();
  for (const auto& t : m.types) j.value(type_text(t));
  j.end_array().field("functions_defined", std::uint64_t{m.functions.size()});
  j.field("functions_imported", std::uint64_t{m.imported_functions}).key("memories").begin_array();
  for (const auto& mem : m.memories) limits_json(j.begin_object(), mem.limits), j.end_object();
  j.end_array().key("tables").begin_array();
  for (const auto& t : m.tables)
    limits_json(j.begin_object().field("element", to_string(t.element)), t.limits), j.end_object();
  j.end_array().field("globals", std::uint64_t{m.globals.size()}).field("data_segments", std::uint64_t{m.data.size()});
  j.key("start");
  if (m.has_start)
    j.value(std::uint64_t{m.start});
  else
    j.null();
  j.key("custom_sections").begin_array();
  for (const auto& c : m.customs)
    j.begin_object()
        .field("name", c.name)
        .field("size", std::uint64_t{c.payload.size})
        .field("offset", std::uint64_t{c.payload.offset})
        .end_object();
  j.end_array().end_object().end_object().print();
}

// Decodes and validates, runs nothing.
inline int inspect(std::string_view path, const cli::context& c) {
  vitte::diagnostic why;
  auto m = read_module(path, why);
  if (!m) return cli::fail(c, "inspect", why);
  if (c.json) return inspect_json(path, *m), 0;
  std::printf("format      wasm, %zu bytes\n", m->bytes.size());
  for (std::size_t i = 0; i < m->types.size(); ++i) std::printf("type %-6zu %s\n", i, type_text(m->types[i]).c_str());
  for (const auto& im : m->imports) {
    std::string what = std::string(to_string(im.kind));
    if (im.kind == wasm::extern_kind::function) what += " " + type_text(m->types[im.type_index]);
    if (im.kind == wasm::extern_kind::memory) what += " pages " + limits_text(im.memory.limits);
    if (im.kind == wasm::extern_kind::table) what += " " + limits_text(im.table.limits);
    if (im.kind == wasm::extern_kind::global)
      what += std::string(" ") + (im.global.is_mutable ? "mut " : "") + std::string(to_string(im.global.type));
    std::printf("import      %s.%s %s\n", im.module.c_str(), im.name.c_str(), what.c_str());
  }
  for (const auto& e : m->exports) {
    std::string what = std::string(to_string(e.kind));
    if (e.kind == wasm::extern_kind::function) what += " " + type_text(m->type_of_function(e.index));
    std::printf("export      %s %s\n", e.name.c_str(), what.c_str());
  }
  std::printf("functions   %zu defined, %u imported\n", m->functions.size(), m->imported_functions);
  for (const auto& mem : m->memories) std::printf("memory      pages %s\n", limits_text(mem.limits).c_str());
  for (const auto& t : m->tables)
    std::printf("table       %s %s\n", std::string(to_string(t.element)).c_str(), limits_text(t.limits).c_str());
  std::printf("globals     %zu defined\n", m->globals.size());
  std::printf("data        %zu segments\n", m->data.size());
  if (m->has_start) std::printf("start       function %u\n", m->start);
  for (const auto& cs : m->customs)
    std::printf("custom      %s, %u bytes at 0x%x\n", cs.name.c_str(), cs.payload.size, cs.payload.offset);
  return 0;
}

// The largest number a decimal argument may be: 18446744073709551609, one
// ten below the digits that could overflow as they are read.
inline constexpr std::uint64_t argument_max = (UINT64_MAX - 9) / 10 * 10 + 9;

// "64MiB", "64M", "65536", "2GiB": bytes, in the units the sandbox's
// limits take (vitte::detail::parse_byte_count).
inline bool parse_bytes(std::string_view s, std::uint64_t& out) { return vitte::detail::parse_byte_count(s, out); }

inline bool parse_u64(std::string_view s, std::uint64_t& out) {
  return vitte::detail::parse_decimal(s, argument_max, out);
}

// An argument of --invoke, as the parameter's type reads it.
inline bool parse_value(std::string_view s, wasm::value_type t, wasm::value& out) {
  std::string z(s);
  char* end = nullptr;
  switch (t) {
    case wasm::value_type::i32:
      out = wasm::value::from_i32(static_cast<std::int32_t>(std::strtoll(z.c_str(), &end, 0)));
      break;
    case wasm::value_type::i64:
      out = wasm::value::from_i64(static_cast<std::int64_t>(std::strtoll(z.c_str(), &end, 0)));
      break;
    case wasm::value_type::f32:
      out = wasm::value::from_f32(std::strtof(z.c_str(), &end));
      break;
    case wasm::value_type::f64:
      out = wasm::value::from_f64(std::strtod(z.c_str(), &end));
      break;
    default:
      return false;
  }
  return end != nullptr && *end == '\0' && !z.empty();
}

inline void print_value(const wasm::value& v) {
  switch (v.type) {
    case wasm::value_type::i32:
      std::printf("%d\n", v.i32());
      break;
    case wasm::value_type::i64:
      std::printf("%lld\n", static_cast<long long>(v.i64()));
      break;
    case wasm::value_type::f32:
      std::printf("%.9g\n", static_cast<double>(v.f32()));
      break;
    case wasm::value_type::f64:
      std::printf("%.17g\n", v.f64());
      break;
    default:
      std::printf("ref\n");
  }
}

inline std::int64_t monotonic_ns() { return vitte::sys::platform::clock_now_ns(vitte::sys::clock_id::monotonic); }

// Prints why the program stopped; 134, as a program killed by SIGABRT.
inline int trapped(const cli::context& c, const wasm::store& s, vitte::error e) {
  const vitte::text_view msg = wasm::trap_message(e);
  cli::fail(c, "run", msg.empty() ? e.message().view() : msg);
  const wasm::trap_info& t = s.last_trap();
  for (std::size_t i = 0; i < t.functions.size(); ++i)
    std::fprintf(stderr, "  at function %u%s%s\n", t.functions[i], t.names[i].empty() ? "" : " ", t.names[i].c_str());
  return 134;
}

inline int run(const cli::parsed& p, const cli::context& c) {
  const auto fail = [&c](std::string_view what) { return cli::fail(c, "run", what); };
  const auto usage = [&c](std::string_view what) { return cli::usage_error(c, "run", what); };
  wasm::wasi_options o;
  wasm::store_limits limits;
  std::uint64_t fuel = 0;
  double timeout_s = 0;
  std::string invoke;
  for (const auto& [opt, v] : p.options) {  // in the order given: the first bad value is the one reported
    if (opt == "--dir") {
      const std::size_t sep = v.find("::");
      const std::string_view host = v.substr(0, sep), guest = sep == std::string_view::npos ? v : v.substr(sep + 2);
      o.dirs.push_back({vitte::text(host), vitte::text(guest)});
    } else if (opt == "--env") {
      if (v.find('=') == std::string_view::npos) return usage("--env wants NAME=value");
      o.env.emplace_back(v);
    } else if (opt == "--fuel") {
      if (!parse_u64(v, fuel)) return usage("--fuel wants a count of instructions");
      limits.fuel = true;
    } else if (opt == "--timeout") {
      char* end = nullptr;
      std::string z(v);
      timeout_s = std::strtod(z.c_str(), &end);
      if (end == z.c_str() || *end != '\0' || !(timeout_s > 0)) return usage("--timeout wants seconds");
      limits.interruptible = true;
    } else if (opt == "--max-memory") {
      std::uint64_t bytes;
      if (!parse_bytes(v, bytes)) return usage("--max-memory wants bytes (65536, 64MiB, 1GiB)");
      const std::uint64_t pages = bytes / wasm::page_size;
      limits.max_memory_pages = static_cast<std::uint32_t>(pages > 65536 ? 65536 : pages);
    } else if (opt == "--invoke") {
      invoke = std::string(v);
    }
  }
  if (p.operands.empty()) return usage("no program to run");
  const std::string_view path = p.operands[0];
  vitte::diagnostic why;
  auto m = read_module(path, why);
  if (!m) return cli::fail(c, "run", why);
  o.args.emplace_back(path);
  const std::vector<std::string_view> rest(p.operands.begin() + 1, p.operands.end());
  if (invoke.empty())
    for (std::string_view s : rest) o.args.emplace_back(s);
  vitte::diagnostic d;
  auto w = wasm::wasi::create(o, &d);
  if (!w) return cli::fail(c, "run", refusal(d, w.error(), {}));
  wasm::store s(limits);
  s.set_fuel(fuel);
  if (timeout_s > 0)
    s.set_deadline(monotonic_ns() + static_cast<std::int64_t>(timeout_s * 1e9), [] { return monotonic_ns(); });
  wasm::imports env;
  (*w)->define(s, env);
  vitte::diagnostic_list link;
  auto inst = s.instantiate(*m, env, &link);
  if (!inst) {
    if (wasm::trap_message(inst.error()).size() != 0) return trapped(c, s, inst.error());
    cli::fail(c, "run", cli::described(path, inst.error()));
    for (const vitte::diagnostic& l : link.items()) std::fprintf(stderr, "  %s\n", l.format().c_str());
    return 1;
  }
  if (invoke.empty()) {
    vitte::result<int> rc = (*w)->run(s, *inst);
    std::fflush(stdout);
    if (!rc) {
      if (rc.error().op() == wasm::ops::wasi_run) return fail(std::string(path) + ": no _start or no memory");
      return trapped(c, s, rc.error());
    }
    return *rc;
  }
  // --invoke: a reactor's _initialize first, then the export.
  (void)(*w)->bind(*inst);
  if (wasm::function init = inst->function("_initialize"); init && init.type().params.empty())
    if (vitte::error e = s.call(init, {}, {})) return trapped(c, s, e);
  wasm::function f = inst->function(invoke);
  if (!f) return fail(std::string(path) + ": no exported function " + invoke);
  const wasm::func_type& t = f.type();
  if (rest.size() != t.params.size())
    return fail(invoke + " takes " + std::to_string(t.params.size()) + " argument(s): " + type_text(t));
  std::vector<wasm::value> in(t.params.size()), out(t.results.size());
  for (std::size_t k = 0; k < rest.size(); ++k)
    if (!parse_value(rest[k], t.params[k], in[k]))
      return fail("argument " + std::to_string(k + 1) + " of " + invoke + " is not a " +
                  std::string(to_string(t.params[k])));
  if (vitte::error e = s.call(f, in, out)) return (*w)->exited() ? (*w)->exit_code() : trapped(c, s, e);
  for (const wasm::value& v : out) print_value(v);
  return 0;
}

}  // namespace wasm_commands

#endif  // VITTE_TOOLS_WASM_COMMANDS_HPP
