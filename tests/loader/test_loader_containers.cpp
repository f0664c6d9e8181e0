// Loader: .vitmod / .vitbc containers as modules. A real executor (a small
// stack machine for a toy bytecode, below) runs their payloads; containers
// depend on native plugins (tests/plugins/), native plugins on containers,
// and containers on containers, all through the same resolver and linker.
// Also: the signature policy (off, warn, require), the module cache,
// unloading in reverse dependency order, every unresolved import in one
// error, and the errors for a missing executor, an unknown payload kind, a
// payload the executor refuses and a file changed after the scan.
#include <vitte/loader/container.hpp>
#include <vitte/loader/elf_image/image.hpp>
#include <vitte/loader/executor.hpp>
#include <vitte/loader/loader.hpp>
#include <vitte/loader/vitmod.hpp>
#include <vitte/sys/directory.hpp>  // remove
#include <vitte/sys/path.hpp>       // path_join
#include <vitte/sys/whole_file.hpp>

#include <array>
#include <cstdint>
#include <cstring>
#include <fstream>  // rewriting a file in place
#include <memory>
#include <mutex>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "loader_fixture.hpp"

namespace vitte::loader {  // for Boost.Test's messages
inline std::ostream& operator<<(std::ostream& o, module_format f) { return o << to_string(f); }
inline std::ostream& operator<<(std::ostream& o, signature_state s) { return o << to_string(s); }
}  // namespace vitte::loader

namespace vl = vitte::loader;
namespace ed = vitte::crypto::ed25519;
using vitte::errc;
using namespace loader_test;

namespace {

// --- A toy bytecode and its executor ---------------------------------------
//
// Payload: "TVM1", u8 import count, one u8 arity per import (the manifest's
// imports, in order), u8 function count, then per function: u8 arity, u16
// code size (little endian), code. Export i of the manifest is function i;
// functions take and return int, at most two arguments, so that each export
// is a plain C function pointer: int(), int(int) or int(int, int).
// Instructions (operands little endian):
//   01 PUSH i32   02 ARG u8   03 ADD   04 SUB   05 MUL   0A LT
//   06 CALLI u8 (an import)   07 CALL u8 (a function)
//   08 JZ i16 (pops; jumps relative to the next instruction when zero)
//   09 RET (pops the result)
namespace op {
constexpr std::uint8_t push = 1, arg = 2, add = 3, sub = 4, mul = 5, calli = 6, call = 7, jz = 8, ret = 9, lt = 10;
}

struct function {
  std::uint8_t arity = 0;
  std::span<const std::byte> code;  // in the loader's mapping of the container
};

struct instance {
  std::string name;
  std::vector<function> functions;
  std::vector<std::uint8_t> import_arity;
  std::vector<void*> imports;
  std::vector<int> thunk_slots;  // one per export
  bool trapped = false;
};

// The executor: verification at instantiate, thunks for the exports,
// a small interpreter. It keeps a log of what it did, for the tests.
class toy_vm final : public vl::module_executor {
 public:
  std::vector<std::string> log;
  int live = 0;

  vitte::result<void*> instantiate(const vl::executor_request& r) override;
  vitte::status bind_exports(void* inst, vitte::span<vl::export_binding> out, vitte::diagnostic_list* diag) override;
  vitte::status start(void* inst, vitte::diagnostic_list*) override {
    log.push_back("start " + static_cast<instance*>(inst)->name);
    return {};
  }
  void teardown(void* inst) noexcept override;

  static int run(instance& in, std::size_t f, const int* args, int depth);
};

// Exports become C function pointers through a fixed pool of thunks, one
// static function per slot and arity: slot s of arity a calls function
// slots[a][s].fn of slots[a][s].in.
constexpr int pool = 32;
struct slot {
  instance* in = nullptr;
  std::size_t fn = 0;
};
std::mutex slots_mutex;
slot slots[3][pool];

template <int S>
int thunk0() {
  return toy_vm::run(*slots[0][S].in, slots[0][S].fn, nullptr, 0);
}
template <int S>
int thunk1(int a) {
  const int args[] = {a};
  return toy_vm::run(*slots[1][S].in, slots[1][S].fn, args, 0);
}
template <int S>
int thunk2(int a, int b) {
  const int args[] = {a, b};
  return toy_vm::run(*slots[2][S].in, slots[2][S].fn, args, 0);
}
template <int... S>
constexpr auto make_thunks(std::integer_sequence<int, S...>) {
  return std::make_tuple(std::array<int (*)(), pool>{&thunk0<S>...}, std::array<int (*)(int), pool>{&thunk1<S>...},
                         std::array<int (*)(int, int), pool>{&thunk2<S>...});
}
const auto thunks = make_thunks(std::make_integer_sequence<int, pool>{});

void* thunk_address(int arity, int s) {
  auto as_void = [](auto f) { return reinterpret_cast<void*>(reinterpret_cast<std::uintptr_t>(f)); };
  if (arity == 0) return as_void(std::get<0>(thunks)[static_cast<std::size_t>(s)]);
  if (arity == 1) return as_void(std::get<1>(thunks)[static_cast<std::size_t>(s)]);
  return as_void(std::get<2>(thunks)[static_cast<std::size_t>(s)]);
}
std::uint64_t signature_of(int arity) {
  if (arity == 0) return vl::signature_hash<int()>;
  if (arity == 1) return vl::signature_hash<int(int)>;
  return vl::signature_hash<int(int, int)>;
}

std::uint16_t u16(std::span<const std::byte> b, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned>(b[at]) | static_cast<unsigned>(b[at + 1]) << 8);
}

vitte::result<void*> toy_vm::instantiate(const vl::executor_request& r) {
  const std::span<const std::byte> p = r.container.payload();
  std::size_t at = 0;
  // As an executor says why: the kind, the offset in the payload, about the module.
  auto refuse = [&](const std::string& why) -> vitte::error {
    vitte::diagnostic d;
    d.of(errc::malformed).at(at).about(r.info.id.name).say("payload: ").append(why);
    vl::note(r.diag, d);
    return vitte::error{errc::malformed, vitte::loader::ops::module_load};
  };
  if (p.size() < 6 || std::memcmp(p.data(), "TVM1", 4) != 0) return refuse("not TVM1 bytecode");
  auto in = std::make_unique<instance>();
  in->name = r.info.id.name;
  at = 4;
  const std::size_t imports = static_cast<std::uint8_t>(p[at++]);
  if (imports != r.info.imports.size()) return refuse("import table differs from the manifest's imports");
  if (at + imports + 1 > p.size()) return refuse("import table past the end");
  for (std::size_t i = 0; i < imports; ++i) in->import_arity.push_back(static_cast<std::uint8_t>(p[at++]));
  const std::size_t count = static_cast<std::uint8_t>(p[at++]);
  for (std::size_t f = 0; f < count; ++f) {
    if (at + 3 > p.size()) return refuse("function header past the end");
    function fn{static_cast<std::uint8_t>(p[at]), {}};
    const std::size_t size = u16(p, at + 1);
    at += 3;
    if (fn.arity > 2) return refuse("more than two arguments");
    if (at + size > p.size()) return refuse("function code past the end");
    fn.code = p.subspan(at, size);
    at += size;
    in->functions.push_back(fn);
  }
  if (at != p.size()) return refuse("bytes after the last function");
  // Verify every function: known opcodes, operands inside the code, indices
  // and arities valid, jumps onto instruction boundaries.
  for (const function& fn : in->functions) {
    std::vector<bool> starts(fn.code.size() + 1, false);
    std::vector<std::size_t> targets;
    for (std::size_t pc = 0; pc < fn.code.size();) {
      starts[pc] = true;
      const std::uint8_t o = static_cast<std::uint8_t>(fn.code[pc]);
      const std::size_t len = o == op::push                                       ? 5
                              : o == op::jz                                       ? 3
                              : (o == op::arg || o == op::calli || o == op::call) ? 2
                                                                                  : 1;
      if (o == 0 || o > op::lt) return at = pc, refuse("bad opcode " + std::to_string(o));
      if (pc + len > fn.code.size()) return at = pc, refuse("operand past the end of the function");
      const std::uint8_t x = len == 2 ? static_cast<std::uint8_t>(fn.code[pc + 1]) : 0;
      if (o == op::arg && x >= fn.arity) return at = pc, refuse("argument index out of range");
      if (o == op::calli && x >= imports) return at = pc, refuse("import index out of range");
      if (o == op::call && x >= in->functions.size()) return at = pc, refuse("function index out of range");
      if (o == op::jz) targets.push_back(pc + 3 + static_cast<std::int16_t>(u16(fn.code, pc + 1)));
      pc += len;
    }
    for (std::size_t t : targets)
      if (t >= fn.code.size() || !starts[t]) return refuse("jump outside the function or into an instruction");
  }
  if (in->functions.size() < r.info.exports.size()) return refuse("fewer functions than exports");
  for (std::size_t i = 0; i < r.info.exports.size(); ++i)
    if (r.info.exports[i].kind != vl::export_kind::function) return refuse("exports functions only");
  in->imports.assign(r.imports.begin(), r.imports.end());
  log.push_back("instantiate " + in->name);
  ++live;
  return static_cast<void*>(in.release());
}

vitte::status toy_vm::bind_exports(void* inst, vitte::span<vl::export_binding> out, vitte::diagnostic_list* diag) {
  instance& in = *static_cast<instance*>(inst);
  std::lock_guard<std::mutex> g(slots_mutex);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int arity = in.functions[i].arity;
    int s = 0;
    while (s < pool && slots[arity][s].in != nullptr) ++s;
    if (s == pool) {
      vl::note(diag, errc::no_memory, in.name, "out of thunks");
      return vitte::error{errc::no_memory, vitte::loader::ops::module_link};
    }
    slots[arity][s] = {&in, i};
    in.thunk_slots.push_back(s);
    out[i] = {thunk_address(arity, s), signature_of(arity)};
  }
  return {};
}

void toy_vm::teardown(void* inst) noexcept {
  instance* in = static_cast<instance*>(inst);
  {
    std::lock_guard<std::mutex> g(slots_mutex);
    for (std::size_t i = 0; i < in->thunk_slots.size(); ++i) slots[in->functions[i].arity][in->thunk_slots[i]] = {};
  }
  log.push_back("teardown " + in->name);
  --live;
  delete in;
}

int toy_vm::run(instance& in, std::size_t f, const int* args, int depth) {
  const function& fn = in.functions[f];
  int stack[32];
  int sp = 0;
  auto trap = [&]() {
    in.trapped = true;
    return 0;
  };
  if (depth > 64) return trap();
  for (std::size_t pc = 0; pc < fn.code.size();) {
    const std::uint8_t o = static_cast<std::uint8_t>(fn.code[pc]);
    const std::uint8_t x = pc + 1 < fn.code.size() ? static_cast<std::uint8_t>(fn.code[pc + 1]) : 0;
    auto pop = [&]() { return stack[--sp]; };
    const int need = o == op::add || o == op::sub || o == op::mul || o == op::lt ? 2
                     : o == op::jz || o == op::ret                               ? 1
                                                                                 : 0;
    if (sp < need || sp >= 31) return trap();
    switch (o) {
      case op::push: {
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i)
          v |= static_cast<std::uint32_t>(fn.code[pc + 1 + static_cast<std::size_t>(i)]) << (8 * i);
        stack[sp++] = static_cast<int>(v);
        pc += 5;
        continue;
      }
      case op::arg:
        stack[sp++] = args[x];
        pc += 2;
        continue;
      case op::add: {
        int b = pop(), a = pop();
        stack[sp++] = a + b;
        break;
      }
      case op::sub: {
        int b = pop(), a = pop();
        stack[sp++] = a - b;
        break;
      }
      case op::mul: {
        int b = pop(), a = pop();
        stack[sp++] = a * b;
        break;
      }
      case op::lt: {
        int b = pop(), a = pop();
        stack[sp++] = a < b;
        break;
      }
      case op::calli: {
        const int n = in.import_arity[x];
        void* target = in.imports[x];
        if (sp < n || target == nullptr) return trap();
        const auto addr = reinterpret_cast<std::uintptr_t>(target);
        int result = 0;
        if (n == 0) result = reinterpret_cast<int (*)()>(addr)();
        if (n == 1) result = reinterpret_cast<int (*)(int)>(addr)(stack[sp - 1]);
        if (n == 2) result = reinterpret_cast<int (*)(int, int)>(addr)(stack[sp - 2], stack[sp - 1]);
        sp -= n;
        stack[sp++] = result;
        pc += 2;
        continue;
      }
      case op::call: {
        const int n = in.functions[x].arity;
        if (sp < n) return trap();
        const int result = run(in, x, stack + sp - n, depth + 1);
        sp -= n;
        stack[sp++] = result;
        pc += 2;
        continue;
      }
      case op::jz: {
        const int v = pop();
        pc += 3;
        if (v == 0) pc += static_cast<std::size_t>(static_cast<std::int16_t>(u16(fn.code, pc - 2)));
        continue;
      }
      case op::ret:
        return pop();
      default:
        return trap();  // verified away
    }
    ++pc;
  }
  return trap();  // fell off the end
}

// --- Writing toy programs ---------------------------------------------------

struct program {
  std::vector<std::uint8_t> import_arity;
  std::vector<std::pair<std::uint8_t, std::vector<std::uint8_t>>> functions;  // arity, code

  std::vector<std::byte> bytes() const {
    std::vector<std::byte> out;
    for (char c : std::string_view("TVM1")) out.push_back(static_cast<std::byte>(c));
    out.push_back(static_cast<std::byte>(import_arity.size()));
    for (std::uint8_t a : import_arity) out.push_back(static_cast<std::byte>(a));
    out.push_back(static_cast<std::byte>(functions.size()));
    for (const auto& [arity, code] : functions) {
      out.push_back(static_cast<std::byte>(arity));
      out.push_back(static_cast<std::byte>(code.size() & 0xff));
      out.push_back(static_cast<std::byte>(code.size() >> 8));
      for (std::uint8_t b : code) out.push_back(static_cast<std::byte>(b));
    }
    return out;
  }
};
std::vector<std::uint8_t> push(int v) {
  const auto u = static_cast<std::uint32_t>(v);
  return {op::push, static_cast<std::uint8_t>(u), static_cast<std::uint8_t>(u >> 8), static_cast<std::uint8_t>(u >> 16),
          static_cast<std::uint8_t>(u >> 24)};
}
std::vector<std::uint8_t> cat(std::initializer_list<std::vector<std::uint8_t>> parts) {
  std::vector<std::uint8_t> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

struct module_spec {
  std::string name, version = "1.0.0";
  std::vector<vl::dependency> dependencies;
  std::vector<vl::import_entry> imports;
  std::vector<std::string> exports;
  program code;
  vl::payload_kind kind = vl::payload_kind::bytecode;
};

ed::key_pair key(std::uint8_t n) {
  ed::seed s{};
  s.fill(n);
  return ed::key_pair_from_seed(s);
}

std::vector<std::byte> build(const module_spec& m, const ed::key_pair* signer) {
  vl::vitmod_builder b;
  b.manifest.name = m.name;
  b.manifest.version = m.version;
  b.manifest.dependencies = m.dependencies;
  b.manifest.imports = m.imports;
  for (const std::string& e : m.exports) b.manifest.exports.push_back({e, vl::symbol_kind::function, 1});
  b.payload_kind = m.kind;
  b.payload = m.code.bytes();
  return b.build(signer);
}

// Writes `m` (signed by `signer` when given) into the scenario as <name>.vitbc.
std::string put(scenario& s, const module_spec& m, const ed::key_pair* signer, std::string file = {}) {
  if (file.empty()) file = m.name + (m.kind == vl::payload_kind::bytecode ? ".vitbc" : ".vitmod");
  const std::string path = s.dir + "/" + file;
  const std::vector<std::byte> bytes = build(m, signer);
  BOOST_REQUIRE(vitte::sys::write_file(path, std::span<const std::byte>(bytes)).has_value());
  return path;
}

const ed::key_pair& release_key() {
  static const ed::key_pair k = key(7);
  return k;
}
vl::trust_store trusted() {
  vl::trust_store t;
  t.add(release_key().public_key, "release");
  return t;
}

// calc: depends on the native chain_b, imports chain_b.b_value and host.add.
//   twice_plus(x) = add(b_value(), x * 2)
//   fact(n) = n < 1 ? 1 : n * fact(n - 1)
module_spec calc() {
  module_spec m;
  m.name = "calc";
  m.dependencies = {{"chain_b", "^1.1", false}};
  m.imports = {{"chain_b", "b_value", vl::symbol_kind::function}, {"host", "add", vl::symbol_kind::function}};
  m.exports = {"twice_plus", "fact"};
  m.code.import_arity = {0, 2};
  m.code.functions.push_back({1, cat({{op::calli, 0, op::arg, 0}, push(2), {op::mul, op::calli, 1, op::ret}})});
  // fact: ARG0 PUSH1 LT JZ +6 ; PUSH1 RET ; ARG0 ARG0 PUSH1 SUB CALL1 MUL RET
  m.code.functions.push_back({1, cat({{op::arg, 0},
                                      push(1),
                                      {op::lt, op::jz, 6, 0},
                                      push(1),
                                      {op::ret, op::arg, 0, op::arg, 0},
                                      push(1),
                                      {op::sub, op::call, 1, op::mul, op::ret}})});
  return m;
}

// A container named chain_c 1.0.0 that the native chain_b can import from.
module_spec bytecode_chain_c() {
  module_spec m;
  m.name = "chain_c";
  m.exports = {"c_value"};
  m.code.functions.push_back({0, cat({push(3), {op::ret}})});
  return m;
}

// base <- mid <- top, all containers.
module_spec base() {
  module_spec m;
  m.name = "base";
  m.version = "1.2.0";
  m.exports = {"base"};
  m.code.functions.push_back({1, cat({{op::arg, 0}, push(1000), {op::add, op::ret}})});
  return m;
}
module_spec mid() {
  module_spec m;
  m.name = "mid";
  m.dependencies = {{"base", "^1.0", false}};
  m.imports = {{"base", "base", vl::symbol_kind::function}};
  m.exports = {"mid"};
  m.code.import_arity = {1};
  m.code.functions.push_back({1, cat({{op::arg, 0, op::calli, 0}, push(2), {op::mul, op::ret}})});
  return m;
}
module_spec top() {
  module_spec m;
  m.name = "top";
  m.dependencies = {{"mid", "*", false}};
  m.imports = {{"mid", "mid", vl::symbol_kind::function}};
  m.exports = {"top"};
  m.code.import_arity = {1};
  m.code.functions.push_back({0, cat({push(5), {op::calli, 0, op::ret}})});
  return m;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(loader_containers)

BOOST_AUTO_TEST_CASE(containers_depend_on_containers_cache_and_unload_in_reverse_order) {
  scenario s{};
  const std::string base_path = put(s, base(), &release_key());
  put(s, mid(), &release_key());
  put(s, top(), &release_key());
  toy_vm vm;
  std::vector<std::string> unloaded;
  auto on_unload = [](void* c, const vl::module_info& info, bool) {
    static_cast<std::vector<std::string>*>(c)->push_back(info.id.name);
  };
  {
    vl::loader l(
        {.search = {.paths = {s.dir}}, .on_unload = on_unload, .on_unload_context = &unloaded, .trust = trusted()});
    BOOST_REQUIRE(l.register_executor(vl::payload_kind::bytecode, vm).has_value());
    BOOST_TEST(l.register_executor(vl::payload_kind::bytecode, vm).error() == errc::already_exists);
    vl::module t = load_ok(l, "top");
    auto run = t.find<int()>("top").value();
    BOOST_TEST(run() == 2010);  // mid(5) = base(5) * 2 = 1005 * 2
    BOOST_TEST(t.info().source.format == vl::module_format::vitmod);
    BOOST_TEST(t.info().source.signature == vl::signature_state::verified);
    BOOST_TEST(t.info().source.signer == "release");
    auto mods = l.modules();
    BOOST_REQUIRE(mods.size() == 3u);
    BOOST_TEST(mods[0].name() == "base");
    BOOST_TEST(mods[1].name() == "mid");
    BOOST_TEST(mods[2].name() == "top");
    BOOST_TEST(mods[0].version() == "1.2.0");
    // The cache: by name, by path, and a dependency loaded on its own.
    BOOST_TEST((load_ok(l, "top") == t));
    auto by_path = l.load_file(base_path);
    BOOST_REQUIRE(by_path.has_value());
    BOOST_TEST((*by_path == mods[0]));
    BOOST_TEST(vm.live == 3);
    BOOST_TEST(vm.log == (std::vector<std::string>{"instantiate base", "start base", "instantiate mid", "start mid",
                                                   "instantiate top", "start top"}));
    // Typed lookups check the executor's signatures.
    BOOST_TEST(t.find<int(int)>("top").error() == errc::verification_failed);
    // The symbol keeps top (and so mid and base) loaded.
    by_path->reset();
    mods.clear();
    t.reset();
    BOOST_TEST(vm.live == 3);
    BOOST_TEST(run() == 2010);
    run = {};
    BOOST_TEST(vm.live == 0);
    BOOST_TEST(unloaded == (std::vector<std::string>{"top", "mid", "base"}));
    BOOST_TEST(vm.log.back() == "teardown base");
    BOOST_TEST(l.modules().empty());
  }
}

BOOST_AUTO_TEST_CASE(container_on_native_plugins_and_host) {
  if (natives_unavailable()) return;
  scenario s{"chain_b", "chain_c"};
  put(s, calc(), nullptr);
  toy_vm vm;
  vl::loader l({.search = {.paths = {s.dir}}, .verify = vl::verify_policy::off});
  BOOST_REQUIRE(l.export_symbol<int(int, int)>("add", &host_add).has_value());
  BOOST_REQUIRE(l.register_executor(vl::payload_kind::bytecode, vm).has_value());
  vl::module c = load_ok(l, "calc");
  auto twice_plus = c.find<int(int)>("twice_plus").value();
  BOOST_TEST(twice_plus(10) == 43);  // add(b_value() = 20 + c_value() = 23, 10 * 2)
  auto fact = c.find<int(int)>("fact").value();
  BOOST_TEST(fact(5) == 120);
  BOOST_TEST(fact(0) == 1);
  auto mods = l.modules();
  BOOST_REQUIRE(mods.size() == 3u);
  BOOST_TEST(mods[0].name() == "chain_c");
  BOOST_TEST(mods[1].name() == "chain_b");
  BOOST_TEST(mods[2].name() == "calc");
  BOOST_TEST(c.info().source.signature == vl::signature_state::not_checked);
}

BOOST_AUTO_TEST_CASE(native_plugins_on_a_container) {
  if (natives_unavailable()) return;
  scenario s{"chain_a", "chain_b"};
  put(s, bytecode_chain_c(), &release_key());
  toy_vm vm;
  vl::loader l({.search = {.paths = {s.dir}}, .trust = trusted()});
  BOOST_REQUIRE(l.export_symbol<int(int, int)>("add", &host_add).has_value());
  BOOST_REQUIRE(l.register_executor(vl::payload_kind::bytecode, vm).has_value());
  vl::module a = load_ok(l, "chain_a");
  BOOST_TEST(a.find<int()>("a_value").value()() == 123);  // chain_b's import bound to the VM's c_value
  BOOST_TEST(l.find("chain_c").value().info().source.format == vl::module_format::vitmod);
  a.reset();
  BOOST_TEST(vm.live == 0);
}

BOOST_AUTO_TEST_CASE(every_unresolved_import_in_one_error) {
  scenario s{};
  put(s, base(), nullptr);
  module_spec m;
  m.name = "needy";
  m.dependencies = {{"base", "^1", false}};
  m.imports = {{"base", "base", vl::symbol_kind::function},
               {"base", "nope", vl::symbol_kind::function},
               {"host", "missing", vl::symbol_kind::function},
               {"ghost", "x", vl::symbol_kind::function}};
  m.exports = {"f"};
  m.code.import_arity = {1, 0, 0, 0};
  m.code.functions.push_back({0, cat({push(0), {op::ret}})});
  put(s, m, nullptr);
  toy_vm vm;
  vl::loader l({.search = {.paths = {s.dir}}, .verify = vl::verify_policy::off});
  BOOST_REQUIRE(l.register_executor(vl::payload_kind::bytecode, vm).has_value());
  vitte::diagnostic_list why;
  auto r = l.load("needy", &why);
  BOOST_TEST_MESSAGE(why.joined().c_str());
  BOOST_TEST(r.error() == errc::not_found);
  BOOST_TEST(why.contains("needy: 1.0.0: 3 unresolved import(s)"));
  BOOST_TEST(why.contains("needy: import base.nope: base 1.2.0 does not export it"));
  BOOST_TEST(why.contains("needy: import host.missing: host does not export it"));
  BOOST_TEST(why.contains("needy: import ghost.x: not a declared dependency"));
  BOOST_TEST(why.size() == 4u);
  BOOST_TEST(l.modules().empty());  // base, loaded for it, is unloaded again
  BOOST_TEST(vm.live == 0);
}

// A module with no dependency: value() returns `v`.
module_spec leaf(std::string name, int v) {
  module_spec m;
  m.name = std::move(name);
  m.exports = {"value"};
  m.code.functions.push_back({0, cat({push(v), {op::ret}})});
  return m;
}

// load_file does not read and hash a file again while its device, inode,
// size and modification time stay the same, except when that time was
// within a timestamp tick (2 s) of the read: a file rewritten in place in
// that tick, same size and time, is read again and its new content loads.
BOOST_AUTO_TEST_CASE(load_file_reads_a_racy_file_again) {
  namespace sys = vitte::sys;
  scenario s{};
  const std::string path = put(s, leaf("same", 1), &release_key());
  toy_vm vm;
  vl::loader l({.trust = trusted()});
  BOOST_REQUIRE(l.register_executor(vl::payload_kind::bytecode, vm).has_value());
  auto value_of = [&] {
    vitte::diagnostic_list why;
    auto m = l.load_file(path, &why);
    BOOST_REQUIRE_MESSAGE(m.has_value(), why.joined().c_str());
    return m->find<int()>("value").value()();  // the module is released here
  };
  // Rewrites the file in place (same inode, same size) and puts its time back.
  auto rewrite = [&](int v) {
    const sys::file_status before = sys::stat(path).value();
    const std::vector<std::byte> bytes = build(leaf("same", v), &release_key());
    BOOST_REQUIRE_EQUAL(bytes.size(), before.size);
    {
      std::ofstream out(path, std::ios::binary | std::ios::in | std::ios::out);
      out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    }
    BOOST_REQUIRE(sys::set_times(path, sys::keep_time, before.mtime_ns).has_value());
    const sys::file_status after = sys::stat(path).value();
    BOOST_REQUIRE(after.same_file(before));
    BOOST_REQUIRE_EQUAL(after.mtime_ns, before.mtime_ns);
    BOOST_REQUIRE_EQUAL(after.size, before.size);
  };
  BOOST_TEST(value_of() == 1);
  BOOST_TEST(value_of() == 1);  // the same file again
  rewrite(2);                   // within the tick of the last read: racy
  BOOST_TEST(value_of() == 2);
  rewrite(3);
  BOOST_TEST(value_of() == 3);
  // A change of time is a change, however old the file.
  const std::vector<std::byte> four = build(leaf("same", 4), &release_key());
  BOOST_REQUIRE(sys::write_file(path, std::span<const std::byte>(four)).has_value());
  const std::int64_t old = sys::stat(path).value().mtime_ns - 3'600'000'000'000;
  BOOST_REQUIRE(sys::set_times(path, sys::keep_time, old).has_value());
  BOOST_TEST(value_of() == 4);
  BOOST_TEST(value_of() == 4);
}

BOOST_AUTO_TEST_CASE(signature_policy) {
  scenario s{};
  const std::string good = put(s, leaf("good", 1), &release_key());
  const std::string unsigned_file = put(s, leaf("plain", 2), nullptr);
  const ed::key_pair stranger = key(9);
  const std::string stranger_file = put(s, leaf("stranger", 3), &stranger);
  // Signed by the trusted key, then the signature damaged.
  std::vector<std::byte> bytes = build(leaf("forged", 4), &release_key());
  bytes[bytes.size() - 1] ^= std::byte{1};
  const std::string forged = s.dir + "/forged.vitbc";
  BOOST_REQUIRE(vitte::sys::write_file(forged, std::span<const std::byte>(bytes)).has_value());

  toy_vm vm;
  struct outcome {
    vitte::result<vl::module> module;
    vitte::diagnostic_list why;
  };
  auto load = [&](vl::loader& l, const std::string& path) {
    outcome o{vitte::error{errc::unknown, vitte::loader::ops::module_load}, {}};
    o.module = l.load_file(path, &o.why);
    BOOST_TEST_MESSAGE(path << ": " << o.why.joined().c_str());
    return o;
  };
  // require: the trusted one loads; the others are refused, each with its reason.
  {
    vl::loader l({.search = {.paths = {s.dir}}, .trust = trusted()});
    BOOST_REQUIRE(l.register_executor(vl::payload_kind::bytecode, vm).has_value());
    outcome ok = load(l, good);
    BOOST_REQUIRE(ok.module.has_value());
    BOOST_TEST(ok.module->find<int()>("value").value()() == 1);
    BOOST_TEST(ok.module->info().source.signature == vl::signature_state::verified);
    const std::pair<std::string, const char*> refused[] = {{unsigned_file, "container is not signed"},
                                                           {stranger_file, "unknown key id"},
                                                           {forged, "signature does not match"}};
    for (const auto& [path, reason] : refused) {
      outcome o = load(l, path);
      BOOST_TEST(o.module.error() == errc::verification_failed);
      BOOST_TEST(o.why.contains("refused under verify_policy::require"));
      BOOST_TEST(o.why.contains(reason), path << " should say " << reason);
    }
    BOOST_TEST(l.modules().size() == 1u);
    BOOST_TEST(vm.live == 1);  // the refused ones never reached the executor
  }
  BOOST_TEST(vm.live == 0);
  // off: every one loads, unchecked.
  {
    vl::loader l({.search = {.paths = {s.dir}}, .verify = vl::verify_policy::off});
    BOOST_REQUIRE(l.register_executor(vl::payload_kind::bytecode, vm).has_value());
    int expect = 2;
    for (const std::string& path : {unsigned_file, stranger_file, forged}) {
      outcome o = load(l, path);
      BOOST_REQUIRE(o.module.has_value());
      BOOST_TEST(o.module->find<int()>("value").value()() == expect++);
      BOOST_TEST(o.module->info().source.signature == vl::signature_state::not_checked);
      BOOST_TEST(o.why.empty());
    }
  }
  // warn: every one loads, and each failure is reported.
  {
    std::vector<std::string> logged;
    auto sink = [](void* c, const vl::module_info& from, vl::log_level level, vitte::text_view text) {
      if (level == vl::log_level::warning)
        static_cast<std::vector<std::string>*>(c)->push_back(from.id.name + ": " + std::string(text));
    };
    vl::loader l({.search = {.paths = {s.dir}},
                  .log = sink,
                  .log_context = &logged,
                  .trust = trusted(),
                  .verify = vl::verify_policy::warn});
    BOOST_REQUIRE(l.register_executor(vl::payload_kind::bytecode, vm).has_value());
    const std::pair<std::string, const char*> warned[] = {{unsigned_file, "container is not signed"},
                                                          {stranger_file, "unknown key id"},
                                                          {forged, "signature does not match"}};
    for (const auto& [path, reason] : warned) {
      outcome o = load(l, path);
      BOOST_REQUIRE(o.module.has_value());
      BOOST_TEST(o.module->info().source.signature == vl::signature_state::failed);
      BOOST_TEST(o.why.contains("signature not verified, loaded under verify_policy::warn"));
      BOOST_TEST(o.why.contains(reason), path << " should say " << reason);
    }
    outcome ok = load(l, good);
    BOOST_REQUIRE(ok.module.has_value());
    BOOST_TEST(ok.module->info().source.signature == vl::signature_state::verified);
    BOOST_TEST(ok.why.empty());
    // The log sink got one warning per failure, from the module concerned.
    BOOST_REQUIRE(logged.size() == 3u);
    BOOST_TEST(logged[0].find("plain: plain 1.0.0") == 0u);
    BOOST_TEST(logged[1].find("unknown key id") != std::string::npos);
    BOOST_TEST(logged[2].find("signature does not match") != std::string::npos);
  }
}

// Under require, the scan sets aside the versions the loader would refuse,
// so that loading by name picks the highest version that loads instead of
// failing on a newer unsigned one; off still sees every version.
BOOST_AUTO_TEST_CASE(the_scan_sets_aside_what_require_would_refuse) {
  scenario s{};
  module_spec v1 = leaf("picky", 1), v2 = leaf("picky", 2), v3 = leaf("picky", 3);
  v2.version = "2.0.0";
  v3.version = "3.0.0";
  put(s, v1, &release_key(), "picky1.vitbc");
  put(s, v2, nullptr, "picky2.vitbc");
  const ed::key_pair stranger = key(9);
  put(s, v3, &stranger, "picky3.vitbc");
  toy_vm vm;
  {
    vl::loader l({.search = {.paths = {s.dir}}, .trust = trusted()});
    BOOST_REQUIRE(l.register_executor(vl::payload_kind::bytecode, vm).has_value());
    BOOST_TEST(l.plugins().modules().size() == 1u);
    const vitte::diagnostic_list& aside = l.plugins().rejected();
    BOOST_REQUIRE(aside.size() == 2u);
    for (const vitte::diagnostic& d : aside.items()) {  // about the module, the file and reason in the message
      BOOST_TEST(d.subject() == "picky");
      BOOST_TEST((d.kind() == errc::verification_failed));
    }
    BOOST_TEST(std::string(aside.items()[0].message())
                   .find(std::string(vitte::sys::path_join(s.dir, "picky2.vitbc")) +
                         ": 2.0.0: container is not signed, set aside under verify_policy::require") == 0u);
    BOOST_TEST(std::string(aside.items()[1].message())
                   .find(std::string(vitte::sys::path_join(s.dir, "picky3.vitbc")) + ": 3.0.0: unknown key id") == 0u);
    // Loading a refused file by path reports the refusal and does not make
    // it a candidate for later loads by name.
    vitte::diagnostic_list why;
    BOOST_TEST(l.load_file(s.dir + "/picky2.vitbc", &why).error() == errc::verification_failed);
    BOOST_TEST(why.contains("container is not signed"));
    BOOST_TEST(l.plugins().modules().size() == 1u);
    vl::module m = load_ok(l, "picky");
    BOOST_TEST(m.info().id.version == "1.0.0");
    BOOST_TEST(m.find<int()>("value").value()() == 1);
    BOOST_TEST(m.info().source.signature == vl::signature_state::verified);
    BOOST_TEST(l.plugins().best("picky", ">=2.0") == nullptr);  // no candidate it would refuse
  }
  {
    // Only unsigned versions: the "missing" error repeats why each was set aside.
    scenario only{};
    put(only, v2, nullptr, "picky2.vitbc");
    vl::loader l({.search = {.paths = {only.dir}}, .trust = trusted()});
    vitte::diagnostic_list why;
    BOOST_TEST(l.load("picky", &why).error() == errc::not_found);
    BOOST_TEST(why.contains("container is not signed, set aside under verify_policy::require"), why.joined().c_str());
  }
  {
    vl::loader l({.search = {.paths = {s.dir}}, .verify = vl::verify_policy::off});
    BOOST_REQUIRE(l.register_executor(vl::payload_kind::bytecode, vm).has_value());
    BOOST_TEST(l.plugins().modules().size() == 3u);
    BOOST_TEST(l.plugins().rejected().empty());
    BOOST_TEST(load_ok(l, "picky").find<int()>("value").value()() == 3);
  }
}

BOOST_AUTO_TEST_CASE(missing_executor_unknown_kind_and_refused_payload) {
  scenario s{};
  module_spec w = leaf("wasm_mod", 1);
  w.kind = vl::payload_kind::wasm;
  put(s, w, nullptr);
  put(s, leaf("needs_wasm", 2), nullptr);
  toy_vm vm;
  vl::loader l({.search = {.paths = {s.dir}}, .verify = vl::verify_policy::off});
  // No executor at all: the kind is named.
  {
    vitte::diagnostic_list why;
    auto r = l.load("needs_wasm", &why);
    BOOST_TEST_MESSAGE(why.joined().c_str());
    BOOST_TEST(r.error() == errc::not_supported);
    BOOST_TEST(why.contains("no executor registered for the payload of needs_wasm 1.0.0"));
    BOOST_TEST(why.contains("payload kind bytecode"));
  }
  BOOST_REQUIRE(l.register_executor(vl::payload_kind::bytecode, vm).has_value());
  BOOST_TEST(load_ok(l, "needs_wasm").find<int()>("value").value()() == 2);
  {
    vitte::diagnostic_list why;
    auto r = l.load("wasm_mod", &why);
    BOOST_TEST(r.error() == errc::not_supported);
    BOOST_TEST(why.contains("payload kind wasm"), why.joined().c_str());
  }
  // An unknown payload kind: refused when read, with its value.
  {
    std::vector<std::byte> bytes = build(leaf("odd", 1), nullptr);
    bytes[40] = std::byte{9};
    const std::string path = s.dir + "/odd.vitmod";
    BOOST_REQUIRE(vitte::sys::write_file(path, std::span<const std::byte>(bytes)).has_value());
    vitte::diagnostic_list why;
    auto r = l.load_file(path, &why);
    BOOST_TEST_MESSAGE(why.joined().c_str());
    BOOST_TEST(r.error() == errc::not_supported);
    BOOST_TEST(why.contains("unknown payload kind"));
    BOOST_TEST(why.contains("payload kind 9"));
    // Said by the reader of the file: about it, at the header's field, of the kind refused.
    BOOST_REQUIRE(why.size() == 1u);
    BOOST_TEST(why.back().subject() == path);
    BOOST_TEST(why.back().offset() == 40u);
    BOOST_TEST((why.back().kind() == errc::not_supported));
  }
  // A payload the executor refuses: its reason, and nothing stays loaded.
  {
    module_spec bad = leaf("bad_code", 1);
    bad.code.functions[0].second = {0x7f};
    const std::string path = put(s, bad, nullptr);
    vitte::diagnostic_list why;
    auto r = l.load_file(path, &why);
    BOOST_TEST_MESSAGE(why.joined().c_str());
    BOOST_TEST(r.error() == errc::malformed);
    BOOST_TEST(why.contains("payload: bad opcode 127"));
    bool from_executor = false;  // its entry: about the module, at the offset in the payload
    for (const vitte::diagnostic& d : why.items())
      from_executor |= d.subject() == "bad_code" && d.has_offset() && d.kind() == errc::malformed;
    BOOST_TEST(from_executor);
    BOOST_TEST(why.contains("the bytecode executor refused it"));
  }
  BOOST_TEST(vm.live == 0);
}

BOOST_AUTO_TEST_CASE(a_file_changed_after_the_scan_is_not_loaded_blindly) {
  scenario s{};
  put(s, leaf("moving", 1), nullptr);
  toy_vm vm;
  vl::loader l({.search = {.paths = {s.dir}}, .verify = vl::verify_policy::off});
  BOOST_REQUIRE(l.register_executor(vl::payload_kind::bytecode, vm).has_value());
  put(s, leaf("moving", 2), nullptr);  // after the scan
  vitte::diagnostic_list why;
  auto r = l.load("moving", &why);
  BOOST_TEST(r.error() == errc::version_mismatch);
  BOOST_TEST(why.contains("the file changed since it was read; rescan"), why.joined().c_str());
  BOOST_REQUIRE(l.rescan().has_value());
  BOOST_TEST(load_ok(l, "moving").find<int()>("value").value()() == 2);
}

// Native code in signed containers, with no executor registered for it:
// each payload (a plugin's file) is loaded as an in-memory image from the
// verified bytes, its imports bound through the manifest.
BOOST_AUTO_TEST_CASE(native_payloads_load_as_images_from_the_verified_bytes) {
  if (!vl::elf_image::images_supported()) {
    BOOST_TEST_MESSAGE(
        "skipped: this host cannot load in-memory ELF images (not an ELF Linux host of x86_64, "
        "AArch64 or 32-bit Arm)");
    return;
  }
  scenario s{};
  auto file_of = [](const std::string& plugin) {
    auto b = vitte::sys::read_file(plugin_path(plugin));
    BOOST_REQUIRE(b.has_value());
    return std::vector<std::byte>(b->data(), b->data() + b->size());
  };
  auto native = [&](const std::string& name, const std::string& version, const std::string& plugin) {
    vl::vitmod_builder b;
    b.manifest.name = name;
    b.manifest.version = version;
    b.payload_kind = vl::payload_kind::native;
    b.payload = file_of(plugin);
    return b;
  };
  auto write = [&](const std::string& file, const vl::vitmod_builder& b) {
    const std::vector<std::byte> bytes = b.build(&release_key());
    BOOST_REQUIRE(vitte::sys::write_file(s.dir + "/" + file, std::span<const std::byte>(bytes)).has_value());
  };
  vl::vitmod_builder c = native("chain_c", "1.0.0", "chain_c");
  c.manifest.exports = {{"c_value", vl::symbol_kind::function, 1}};
  write("chain_c.vitmod", c);
  vl::vitmod_builder b = native("chain_b", "1.2.0", "chain_b");
  b.manifest.dependencies = {{"chain_c", "^1.0", false}};
  b.manifest.imports = {{"chain_c", "c_value", vl::symbol_kind::function}};
  b.manifest.exports = {{"b_value", vl::symbol_kind::function, 1}};
  write("chain_b.vitmod", b);
  {
    vl::loader l({.search = {.paths = {s.dir}}, .trust = trusted(), .verify = vl::verify_policy::require});
    vl::module m = load_ok(l, "chain_b");
    BOOST_TEST(m.find<int()>("b_value").value()() == 23);  // 20 + chain_c's c_value
    BOOST_TEST(m.info().source.format == vl::module_format::vitmod);
    BOOST_TEST(m.info().source.signature == vl::signature_state::verified);
    BOOST_TEST(!m.find<long(long)>("b_value").has_value());  // the plugin's metadata types the export
    BOOST_TEST(l.find("chain_c").value().find<int()>("c_value").value()() == 3);
  }
  // Payloads that are not what the manifest says: refused, with the reason.
  auto refused = [&](const std::string& file, const vl::vitmod_builder& m, const std::string& what) {
    BOOST_TEST_CONTEXT(file) {
      write(file, m);
      vl::loader l({.search = {.paths = {s.dir}}, .trust = trusted()});
      vitte::diagnostic_list why;
      auto r = l.load_file(s.dir + "/" + file, &why);
      BOOST_TEST(!r.has_value());
      BOOST_TEST(why.contains(what), why.joined().c_str());
      BOOST_TEST(vitte::sys::remove(s.dir + "/" + file).has_value());  // out of the search path again
    }
  };
  vl::vitmod_builder other = native("chain_c", "1.0.0", "chain_b");
  refused("other.vitmod", other, "native payload: the plugin is chain_b 1.2.0, the manifest names chain_c 1.0.0");
  vl::vitmod_builder junk = native("chain_c", "1.0.0", "chain_c");
  junk.payload.assign(64, std::byte{0x5a});
  refused("junk.vitmod", junk, "native payload: not a vitte plugin");
  vl::vitmod_builder absent = native("chain_c", "1.0.0", "chain_c");
  absent.manifest.exports = {{"no_such_export", vl::symbol_kind::function, 1}};
  refused("absent.vitmod", absent, "the manifest exports no_such_export, which the plugin does not");
  vl::vitmod_builder undeclared = native("chain_b", "1.2.0", "chain_b");
  undeclared.manifest.dependencies = {{"chain_c", "^1.0", false}};
  undeclared.manifest.exports = {{"b_value", vl::symbol_kind::function, 1}};
  refused("undeclared.vitmod", undeclared, "the plugin imports chain_c.c_value, which the manifest does not declare");
}

BOOST_AUTO_TEST_SUITE_END()
