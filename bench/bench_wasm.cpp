// bench_wasm - the WebAssembly engine against wabt's interpreter.
//
//   wasm.<workload>   a CPU-bound program (bench/wasm/workloads.c, compiled to
//                     wasm at build time with clang --target=wasm32): vitte's
//                     call of `run` vs `wasm-interp --run-all-exports`, whose
//                     start-up (the same command on an empty module) is
//                     subtracted. Workloads: mix (CoreMark-like: lists,
//                     matrices, a state machine, CRC), nbody, hash, calls
//                     (4 million calls of a small function).
//   wasm.hostcall     4 million calls of WASI's args_sizes_get (workloads.c,
//                     HOSTCALL): vitte's WASI (raw host functions, the
//                     frame's words in place) against the same import as a
//                     host function over wasm::value arrays, in process,
//                     and against each peer's WASI as a whole process.
//   wasm.simd         bench/wasm/simd.c (wasm_simd128.h, -msimd128): the
//                     engine's vector paths (SSE2/NEON) against its portable
//                     lanes (store_limits::scalar_simd) in the same run, and
//                     against wasm-interp.
//   wasm.decode       decode + validate of a generated 2,000-function module,
//                     vs `wasm-validate` on the same file (start-up subtracted).
//   wasm.startup      decode + instantiate + the call of `run` on a module
//                     whose `run` returns at once: vitte in process (no
//                     baseline), then each peer as a whole process on that
//                     module against a process that does nothing (`true`).
//
// Peers built by hand (docs/WASM.md says how) are passed at run time and
// skipped when absent; each workload then prints one line per peer:
//   --peer wasm3=/path/to/wasm3   runs `wasm3 --func run FILE`
//   --peer wamr=/path/to/iwasm    runs `iwasm -f run FILE` (WAMR, fast-interp)
// Prints one JSON line per (benchmark, baseline), as bench/harness.hpp does.
#include <vitte/sys/environment.hpp>
#include <vitte/sys/fs.hpp>
#include <vitte/sys/info.hpp>
#include <vitte/sys/metadata.hpp>
#include <vitte/sys/path.hpp>
#include <vitte/sys/process.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/whole_file.hpp>
#include <vitte/wasm.hpp>
#include <vitte/wasm/wasi.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "../tests/wasm/wasm_builder.hpp"

namespace sys = vitte::sys;
namespace wasm = vitte::wasm;

namespace {

void must(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "bench_wasm: %s failed\n", what);
    std::exit(1);
  }
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

using clock_type = std::chrono::steady_clock;

template <class F>
double time_ns(F f) {
  auto t0 = clock_type::now();
  f();
  return std::chrono::duration<double, std::nano>(clock_type::now() - t0).count();
}

void line(const std::string& bench, double vitte_ns, const std::string& baseline, double base_ns, int reps) {
  std::printf(
      "{\"bench\": \"%s\", \"impl\": \"vitte\", \"median_ns\": %.0f, \"baseline\": \"%s\", \"baseline_median_ns\": "
      "%.0f, \"ratio\": %.4f, \"reps\": %d}\n",
      bench.c_str(), vitte_ns, baseline.c_str(), base_ns, vitte_ns / base_ns, reps);
  std::fflush(stdout);
}

// Median wall time of a command, minus the same command on `empty`.
double process_ns(const std::string& tool, std::vector<std::string> args, const std::string& file,
                  const std::string& empty, int reps) {
  auto once = [&](const std::string& f) {
    std::vector<std::string> a = args;
    a.push_back(f);
    return time_ns([&] {
      auto st = sys::command(tool).args(a).out(sys::stdio::null()).err(sys::stdio::null()).run();
      must(st && st->success(), tool.c_str());
    });
  };
  std::vector<double> work, start;
  for (int r = 0; r < reps; ++r) {
    work.push_back(once(file));
    start.push_back(once(empty));
  }
  return std::max(median(work) - median(start), 1.0);
}

vitte::buffer<std::byte> read(const std::string& path) {
  auto b = sys::read_file(path.c_str());
  must(b.has_value(), ("reading " + path).c_str());
  return std::move(*b);
}

// The median time of the module's `run` export in a store with `limits`
// (fuel enough for every run when metered).
double run_ns(const wasm::module& m, wasm::store_limits limits, int reps) {
  wasm::store s(limits);
  s.set_fuel(UINT64_MAX);
  auto inst = s.instantiate(m, {}).value();
  wasm::function run = inst.function("run");
  wasm::value out[1];
  must(!s.call(run, {}, out), "the first run");
  const std::uint64_t expect = out[0].bits;
  std::vector<double> t;
  for (int r = 0; r < reps; ++r)
    t.push_back(time_ns([&] {
      must(!s.call(run, {}, out), "run");
      must(out[0].bits == expect, "the same checksum every run");
    }));
  return median(t);
}

// A peer interpreter run as a whole process: its name, program, and the
// arguments that call the export `run` of the file that follows them.
struct peer {
  std::string name, path;
  std::vector<std::string> args;
};

void workload(const std::string& dir, const std::string& name, const std::string& interp,
              const std::vector<peer>& peers) {
  const std::string file = dir + "/" + name + ".wasm", empty = dir + "/empty.wasm";
  auto bytes = read(file);
  vitte::diagnostic why;
  auto m = wasm::decode(bytes, &why);
  must(m.has_value(), why.format().c_str());
  const int reps = 7;
  const double vitte_ns = run_ns(*m, {}, reps);
  // What the limits cost: fuel charged per basic block, polls at loop
  // headers and calls; against the same engine without them.
  wasm::store_limits metered, polled;
  metered.fuel = true;
  polled.interruptible = true;
  line("wasm." + name + ".fuel", run_ns(*m, metered, reps), "vitte without fuel", vitte_ns, reps);
  line("wasm." + name + ".interruptible", run_ns(*m, polled, reps), "vitte without polls", vitte_ns, reps);
  if (!interp.empty())
    line("wasm." + name, vitte_ns, "wasm-interp", process_ns(interp, {"--run-all-exports"}, file, empty, 5), reps);
  for (const peer& p : peers) line("wasm." + name, vitte_ns, p.name, process_ns(p.path, p.args, file, empty, 5), reps);
  if (interp.empty() && peers.empty())
    std::printf(
        "{\"bench\": \"wasm.%s\", \"impl\": \"vitte\", \"median_ns\": %.0f, \"note\": \"no baseline installed\"}\n",
        name.c_str(), vitte_ns);
}

// The time of `run` in a store where `define` provides the imports and
// `bind` sees the instance before the first call.
template <class Define, class Bind>
double run_with_ns(const wasm::module& m, Define define, Bind bind, int reps) {
  wasm::store s;
  wasm::imports env;
  define(s, env);
  auto inst = s.instantiate(m, env);
  must(inst.has_value(), "instantiating");
  bind(*inst);
  wasm::function run = inst->function("run");
  wasm::value out[1];
  must(!s.call(run, {}, out), "the first run");
  std::vector<double> t;
  for (int r = 0; r < reps; ++r) t.push_back(time_ns([&] { must(!s.call(run, {}, out), "run"); }));
  return median(t);
}

// args_sizes_get as a host function over values: no arguments, no
// environment, so both counts are 0.
struct value_args_sizes {
  wasm::memory mem;
  static vitte::error call(void* user, vitte::span<const wasm::value> args, vitte::span<wasm::value> results) {
    auto* self = static_cast<value_args_sizes*>(user);
    vitte::span<std::uint8_t> bytes = self->mem.bytes();
    for (const wasm::value& a : args) {
      if (a.bits + 4 > bytes.size()) return vitte::error{vitte::errc::invalid_argument};
      std::memset(bytes.data() + a.bits, 0, 4);
    }
    results[0] = wasm::value::from_i32(0);
    return {};
  }
};

// Calls into the host: vitte's WASI against the same import over values,
// and against each peer's WASI.
void hostcall_workload(const std::string& dir, const std::vector<peer>& peers) {
  const std::string file = dir + "/hostcall.wasm", empty = dir + "/empty.wasm";
  auto bytes = read(file);
  vitte::diagnostic why;
  auto m = wasm::decode(bytes, &why);
  must(m.has_value(), why.format().c_str());
  const int reps = 7;
  auto wasi = wasm::wasi::create({});
  must(wasi.has_value(), "the WASI context");
  const double raw_ns = run_with_ns(
      *m, [&](wasm::store& s, wasm::imports& env) { (*wasi)->define(s, env); },
      [&](wasm::instance inst) { must((*wasi)->bind(inst).has_value(), "binding WASI"); }, reps);
  value_args_sizes by_value;
  const double value_ns = run_with_ns(
      *m,
      [&](wasm::store& s, wasm::imports& env) {
        env.add("wasi_snapshot_preview1", "args_sizes_get",
                s.host_function({{wasm::value_type::i32, wasm::value_type::i32}, {wasm::value_type::i32}},
                                &value_args_sizes::call, &by_value));
      },
      [&](wasm::instance inst) { by_value.mem = inst.memory("memory"); }, reps);
  line("wasm.hostcall", raw_ns, "vitte host function over values", value_ns, reps);
  for (const peer& p : peers) line("wasm.hostcall", raw_ns, p.name, process_ns(p.path, p.args, file, empty, 5), reps);
}

// The SIMD workload: vector paths vs portable lanes (the same checksum).
void simd_workload(const std::string& dir, const std::string& interp) {
  const std::string file = dir + "/simd.wasm", empty = dir + "/empty.wasm";
  auto bytes = read(file);
  vitte::diagnostic why;
  auto m = wasm::decode(bytes, &why);
  must(m.has_value(), why.format().c_str());
  std::uint64_t sums[2];
  for (int scalar = 0; scalar < 2; ++scalar) {
    wasm::store_limits limits;
    limits.scalar_simd = scalar == 1;
    wasm::store s(limits);
    auto inst = s.instantiate(*m, {}).value();
    wasm::value out[1];
    must(!s.call(inst.function("run"), {}, out), "the SIMD workload");
    sums[scalar] = out[0].bits;
  }
  must(sums[0] == sums[1], "the same checksum through the vector paths and the portable lanes");
  const int reps = 9;
  wasm::store_limits portable;
  portable.scalar_simd = true;
  const double vector_ns = run_ns(*m, {}, reps);
  line("wasm.simd", vector_ns, "vitte portable lanes", run_ns(*m, portable, reps), reps);
  if (!interp.empty())
    line("wasm.simd", vector_ns, "wasm-interp", process_ns(interp, {"--run-all-exports"}, file, empty, 5), reps);
}

// A module of 2,000 functions mixing locals, arithmetic, memory and control.
std::vector<std::uint8_t> big_module() {
  using namespace wasm_builder;
  bytes types = vec({functype({0x7f, 0x7f}, {0x7f})});
  bytes funcs = leb(2000);
  bytes code = leb(2000);
  for (int i = 0; i < 2000; ++i) {
    bytes f = leb(0);
    funcs.insert(funcs.end(), f.begin(), f.end());
    bytes c;
    for (int k = 0; k < 20; ++k) {
      bytes step = {0x20, 0,    0x20, 1,    0x6a, 0x41, static_cast<std::uint8_t>(k & 0x3f),
                    0x6c, 0x21, 2,    0x20, 2,    0x28, 2,
                    0,    0x20, 0,    0x6b, 0x21, 0,    0x20,
                    2,    0x41, 3,    0x49, 0x04, 0x40, 0x20,
                    1,    0x41, 1,    0x6a, 0x21, 1,    0x0b};
      c.insert(c.end(), step.begin(), step.end());
    }
    bytes end = {0x20, 0, 0x20, 1, 0x73};
    c.insert(c.end(), end.begin(), end.end());
    bytes b = body({{1, 0x7f}}, c);
    code.insert(code.end(), b.begin(), b.end());
  }
  return cat({header(), section(1, types), section(3, funcs), section(5, vec({{0x00, 0x01}})), section(10, code)});
}

// Start-up: vitte's decode + instantiate + first call of empty.wasm's `run`
// in process; each peer's process on it against a process doing nothing.
void startup(const std::string& dir, const std::vector<peer>& peers) {
  const std::string empty = dir + "/empty.wasm";
  auto bytes = read(empty);
  const int reps = 21;
  std::vector<double> t;
  for (int r = 0; r < reps; ++r)
    t.push_back(time_ns([&] {
      auto m = wasm::decode(bytes);
      must(m.has_value(), "decoding empty.wasm");
      wasm::store s;
      auto inst = s.instantiate(*m, {});
      must(inst.has_value(), "instantiating empty.wasm");
      wasm::value out[1];
      must(!s.call(inst->function("run"), {}, out), "calling run");
    }));
  std::printf("{\"bench\": \"wasm.startup\", \"impl\": \"vitte\", \"median_ns\": %.0f, \"note\": \"in process\"}\n",
              median(t));
  auto p = sys::find_program("true");
  if (peers.empty() || !p) return;
  const std::string nothing(p->c_str());
  auto spawn_ns = [&](const std::string& tool, std::vector<std::string> args) {
    std::vector<double> v;
    for (int r = 0; r < reps; ++r)
      v.push_back(time_ns([&] {
        auto st = sys::command(tool).args(args).out(sys::stdio::null()).err(sys::stdio::null()).run();
        must(st && st->success(), tool.c_str());
      }));
    return median(v);
  };
  const double base = spawn_ns(nothing, {});
  for (const peer& q : peers) {
    std::vector<std::string> a = q.args;
    a.push_back(empty);
    const double ns = spawn_ns(q.path, a);
    std::printf(
        "{\"bench\": \"wasm.startup\", \"impl\": \"%s\", \"median_ns\": %.0f, \"baseline\": \"true (a process)\", "
        "\"baseline_median_ns\": %.0f, \"ratio\": %.4f, \"reps\": %d}\n",
        q.name.c_str(), ns, base, ns / base, reps);
  }
}

void decode(const std::string& dir, const std::string& validate) {
  const auto generated = big_module();
  const vitte::span<const std::byte> bytes = vitte::as_bytes(vitte::span<const std::uint8_t>(generated));
  const int reps = 9;
  std::vector<double> t;
  for (int r = 0; r < reps; ++r)
    t.push_back(time_ns([&] {
      auto m = wasm::decode(bytes);
      must(m.has_value(), "decoding the generated module");
    }));
  const double ns = median(t);
  const double mb_per_s = static_cast<double>(bytes.size()) / (ns / 1e9) / 1e6;
  if (validate.empty()) {
    std::printf(
        "{\"bench\": \"wasm.decode\", \"impl\": \"vitte\", \"median_ns\": %.0f, \"mb_per_s\": %.1f, "
        "\"note\": \"wasm-validate not installed\"}\n",
        ns, mb_per_s);
    return;
  }
  sys::temp_directory tmp = sys::temp_directory::create().value();
  const std::string file = std::string(tmp.path().c_str()) + "/big.wasm";
  must(sys::write_file(file.c_str(), bytes).has_value(), "writing big.wasm");
  const double base = process_ns(validate, {}, file, dir + "/empty.wasm", 5);
  std::printf(
      "{\"bench\": \"wasm.decode\", \"impl\": \"vitte\", \"median_ns\": %.0f, \"mb_per_s\": %.1f, \"baseline\": "
      "\"wasm-validate\", \"baseline_median_ns\": %.0f, \"ratio\": %.4f, \"bytes\": %zu, \"reps\": %d}\n",
      ns, mb_per_s, base, ns / base, bytes.size(), reps);
}

}  // namespace

int main(int argc, char** argv) {
  // The workloads are built beside this program (bench/meson.build); --dir
  // names another directory.
  std::string dir;
  if (auto exe = sys::executable_path()) dir = std::string(sys::parent_path(*exe));
  std::vector<peer> peers;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--peer" && i + 1 < argc) {
      std::string p = argv[++i];
      std::string path = p.substr(p.find('=') + 1);
      if (!sys::exists(path.c_str()).value_or(false)) {
        std::fprintf(stderr, "bench_wasm: %s: no such program, peer skipped\n", path.c_str());
      } else if (p.rfind("wasm3=", 0) == 0) {
        peers.push_back({"wasm3", path, {"--func", "run"}});
      } else if (p.rfind("wamr=", 0) == 0) {
        peers.push_back({"wamr", path, {"-f", "run"}});
      } else {
        std::fprintf(stderr, "bench_wasm: --peer wants wasm3=PATH or wamr=PATH, not %s\n", p.c_str());
        return 2;
      }
    } else if (a == "--dir" && i + 1 < argc) {
      dir = argv[++i];
    }
  }
  auto find = [](const char* name) {
    auto p = sys::find_program(name);
    return p ? std::string(p->c_str()) : std::string();
  };
  const std::string interp = find("wasm-interp"), validate = find("wasm-validate");
  if (dir.empty() || !sys::exists((dir + "/mix.wasm").c_str()).value_or(false)) {
    std::printf(
        "{\"bench\": \"wasm\", \"note\": \"workloads not built (clang --target=wasm32 and wasm-ld missing)\"}\n");
  } else {
    for (const char* w : {"mix", "nbody", "hash", "calls"}) workload(dir, w, interp, peers);
    hostcall_workload(dir, peers);
    simd_workload(dir, interp);
    startup(dir, peers);
  }
  decode(dir, validate);
}
