// vitte/wasm: decoding with diagnostics that say what and where, host
// functions, traps with backtraces, the limits a store enforces (call depth,
// memory pages, instances), linking errors that list every problem, calls
// from the host back into wasm, and memory seen through spans. The official
// test suite runs separately (spec_runner, tests wasm_spec*).
#include <vitte/wasm.hpp>
#include <vitte/wasm/impl/opcodes.hpp>  // the codes of the decoded constant expressions

#include <chrono>
#include <cstring>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "../print.hpp"
#include "wasm_builder.hpp"

namespace wasm = vitte::wasm;
using namespace wasm_builder;

namespace vitte::wasm {
inline std::ostream& operator<<(std::ostream& os, value_type t) { return os << to_string(t); }
}  // namespace vitte::wasm

namespace {

constexpr std::uint8_t i32 = 0x7f, i64 = 0x7e, f64 = 0x7c;

// The builder's octets as the bytes decode() reads.
vitte::span<const std::byte> in(const bytes& b) { return vitte::as_bytes(vitte::span<const std::uint8_t>(b)); }

wasm::module decode_ok(const bytes& b) {
  vitte::diagnostic why;
  auto m = wasm::decode(in(b), &why);
  BOOST_TEST_REQUIRE(m.has_value(), why.format().c_str());
  return std::move(*m);
}

// The message of the refusal of `b`; its error and whole diagnostic when asked.
std::string refusal(const bytes& b, vitte::error* err = nullptr, vitte::diagnostic* out = nullptr) {
  vitte::diagnostic why;
  auto m = wasm::decode(in(b), &why);
  BOOST_TEST(!m.has_value());
  if (m.has_value()) return {};
  if (err) *err = m.error();
  BOOST_TEST((why.kind() == m.error().kind()));  // the decoder names the kind itself
  BOOST_TEST(why.has_offset());
  BOOST_TEST(why.offset() <= b.size());
  if (out) *out = why;
  return std::string(why.message());
}

// (func $add (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
bytes adder() {
  return cat({header(), section(1, vec({functype({i32, i32}, {i32})})), section(3, vec({leb(0)})),
              section(7, vec({export_func("add", 0)})), section(10, vec({body({}, {0x20, 0, 0x20, 1, 0x6a})}))});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(wasm_engine)

BOOST_AUTO_TEST_CASE(decodes_instantiates_and_calls) {
  wasm::module m = decode_ok(adder());
  BOOST_TEST(m.functions.size() == 1u);
  BOOST_TEST(m.find_export("add") != nullptr);
  wasm::store s;
  auto inst = s.instantiate(m, {}).value();
  wasm::value args[] = {wasm::value::from_i32(2), wasm::value::from_i32(40)}, out[1];
  BOOST_TEST(!s.call(inst.function("add"), args, out));
  BOOST_TEST(out[0].type == wasm::value_type::i32);
  BOOST_TEST(out[0].i32() == 42);
  // Wrong argument count or type: invalid_argument, nothing runs.
  wasm::value bad[] = {wasm::value::from_i64(1), wasm::value::from_i32(2)};
  BOOST_TEST(s.call(inst.function("add"), bad, out) == vitte::errc::invalid_argument);
  BOOST_TEST(s.call(inst.function("add"), {}, out) == vitte::errc::invalid_argument);
}

BOOST_AUTO_TEST_CASE(refusals_say_what_and_where) {
  // (func (result i32) f64.const 0): the body ends with an f64.
  bytes code = cat({{0x44}, bytes(8, 0)});
  bytes b = cat({header(), section(1, vec({functype({}, {i32})})), section(3, vec({leb(0), leb(0)})),
                 section(10, vec({body({}, {0x41, 1}), body({}, code)}))});
  vitte::error e;
  vitte::diagnostic where;
  std::string msg = refusal(b, &e, &where);
  BOOST_TEST(e == vitte::errc::malformed);
  BOOST_TEST(e.op() == wasm::ops::wasm_validate);
  BOOST_TEST(msg.find("function 1: ") == 0u, msg);  // the function in the words, the offset as the position
  BOOST_TEST(msg.find("offset") == std::string::npos, msg);
  BOOST_TEST(msg.find("type mismatch: expected i32, got f64") != std::string::npos, msg);
  BOOST_TEST(where.offset() >= b.size() - code.size() - 1);  // in the second body
  BOOST_TEST(where.subject().empty());                       // for the caller to name the file

  // Broken binaries: the offset and the problem.
  BOOST_TEST(refusal({0x00, 0x61, 0x73}, &e).find("unexpected end") != std::string::npos);
  BOOST_TEST(e == vitte::errc::unexpected_eof);
  BOOST_TEST(refusal({0x00, 0x61, 0x73, 0x6e, 1, 0, 0, 0}).find("magic header") != std::string::npos);
  BOOST_TEST(refusal({0x00, 0x61, 0x73, 0x6d, 2, 0, 0, 0}).find("unknown binary version") != std::string::npos);
  // A section claiming more bytes than the file has.
  bytes big = cat({header(), {0x01, 0xff, 0xff, 0x03}});
  BOOST_TEST(refusal(big).find("section size") != std::string::npos);
  // A count larger than the bytes that follow is refused before allocating.
  bytes lying = cat({header(), section(1, cat({leb(0xfffffff), functype({}, {})}))});
  BOOST_TEST(refusal(lying).find("count") != std::string::npos);
  // Unknown local, unknown function, undeclared ref.func.
  bytes unknown_local = cat({header(), section(1, vec({functype({}, {})})), section(3, vec({leb(0)})),
                             section(10, vec({body({}, {0x20, 3, 0x1a})}))});
  BOOST_TEST(refusal(unknown_local).find("unknown local 3") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(simd_lane_immediates_and_opcodes_are_checked) {
  // i32x4.extract_lane 4: there are four lanes.
  bytes lane = cat({header(), section(1, vec({functype({0x7b}, {i32})})), section(3, vec({leb(0)})),
                    section(10, vec({body({}, {0x20, 0, 0xfd, 0x1b, 4})}))});
  vitte::error e;
  BOOST_TEST(refusal(lane, &e).find("invalid lane index 4") != std::string::npos);
  // An i8x16.shuffle lane of 32 names neither operand.
  bytes shuffle = {0x20, 0, 0x20, 0, 0xfd, 0x0d};
  for (int i = 0; i < 16; ++i) shuffle.push_back(i == 9 ? 32 : static_cast<std::uint8_t>(i));
  bytes sh = cat({header(), section(1, vec({functype({0x7b}, {0x7b})})), section(3, vec({leb(0)})),
                  section(10, vec({body({}, shuffle)}))});
  BOOST_TEST(refusal(sh).find("invalid lane index 32") != std::string::npos);
  // A sub-opcode WebAssembly 2.0 does not define.
  bytes op = cat({header(), section(1, vec({functype({}, {})})), section(3, vec({leb(0)})),
                  section(10, vec({body({}, {0xfd, 0x9a, 0x01})}))});
  BOOST_TEST(refusal(op, &e).find("illegal opcode 0xfd 154") != std::string::npos);
  BOOST_TEST(e == vitte::errc::malformed);
  // v128.load's natural alignment is 16 bytes (2^4).
  bytes align = cat({header(), section(1, vec({functype({i32}, {0x7b})})), section(3, vec({leb(0)})),
                     section(5, vec({bytes{0x00, 0x01}})), section(10, vec({body({}, {0x20, 0, 0xfd, 0x00, 5, 0})}))});
  BOOST_TEST(refusal(align).find("alignment must not be larger than natural") != std::string::npos);
}

namespace {
// (i32 a, v128 v, i64 b) -> (v128 as i64x2 (b, a), i32 lane 0 of v)
vitte::error mix(void*, vitte::span<const wasm::value> args, vitte::span<wasm::value> results) {
  if (args[0].type != wasm::value_type::i32 || args[1].type != wasm::value_type::v128)
    return vitte::error{vitte::errc::invalid_argument};
  results[0] =
      wasm::value::from_v128(static_cast<std::uint64_t>(args[2].i64()), static_cast<std::uint32_t>(args[0].i32()));
  results[1] = wasm::value::from_i32(static_cast<std::int32_t>(args[1].bits & 0xffffffffu));
  return {};
}
}  // namespace

BOOST_AUTO_TEST_CASE(v128_values_cross_calls_locals_globals_and_the_host) {
  // (import "env" "mix" (func (param i32 v128 i64) (result v128 i32)))
  // (global (mut v128) (v128.const i32x4 10 20 30 40))
  // (func (export "add") (param v128 v128) (result v128) local.get 0 local.get 1 i32x4.add)
  // (func (export "mixed") (param v128 i64) (result i64 i32) (local i32)
  //   i32.const 5 local.get 0 local.get 1 call 0 local.set 2 i64x2.extract_lane 0 local.get 2)
  // (func (export "bump") (result v128) global.get 0 global.get 0 i32x4.add global.set 0 global.get 0)
  bytes v1020 = {0xfd, 0x0c, 10, 0, 0, 0, 20, 0, 0, 0, 30, 0, 0, 0, 40, 0, 0, 0};
  bytes b =
      cat({header(),
           section(1, vec({functype({i32, 0x7b, i64}, {0x7b, i32}), functype({0x7b, 0x7b}, {0x7b}),
                           functype({0x7b, i64}, {i64, i32}), functype({}, {0x7b})})),
           section(2, vec({cat({name("env"), name("mix"), {0x00}, leb(0)})})),
           section(3, vec({leb(1), leb(2), leb(3)})), section(6, vec({cat({{0x7b, 0x01}, v1020, {0x0b}})})),
           section(7, vec({export_func("add", 1), export_func("mixed", 2), export_func("bump", 3)})),
           section(10, vec({body({}, {0x20, 0, 0x20, 1, 0xfd, 0xae, 0x01}),
                            body({{1, i32}}, {0x41, 5, 0x20, 0, 0x20, 1, 0x10, 0, 0x21, 2, 0xfd, 0x1d, 0, 0x20, 2}),
                            body({}, {0x23, 0, 0x23, 0, 0xfd, 0xae, 0x01, 0x24, 0, 0x23, 0})}))});
  wasm::module m = decode_ok(b);
  for (bool scalar : {false, true}) {
    wasm::store_limits limits;
    limits.scalar_simd = scalar;
    wasm::store s(limits);
    wasm::imports env;
    env.add("env", "mix",
            s.host_function({{wasm::value_type::i32, wasm::value_type::v128, wasm::value_type::i64},
                             {wasm::value_type::v128, wasm::value_type::i32}},
                            mix, nullptr));
    auto inst = s.instantiate(m, env).value();
    // i32x4 (1, 2, 3, 0xffffffff) + (10, 20, 30, 1): the last lane wraps.
    wasm::value in[] = {wasm::value::from_v128(0x0000000200000001ull, 0xffffffff00000003ull),
                        wasm::value::from_v128(0x000000140000000aull, 0x000000010000001eull)};
    wasm::value out[2];
    BOOST_TEST_REQUIRE(!s.call(inst.function("add"), in, vitte::span<wasm::value>(out, 1)));
    BOOST_TEST(out[0].type == wasm::value_type::v128);
    BOOST_TEST(out[0].bits == 0x000000160000000bull);
    BOOST_TEST(out[0].hi == 0x0000000000000021ull);
    wasm::value mixed_in[] = {wasm::value::from_v128(0x1234567800000000ull | 0x9abcdef0ull, 7),
                              wasm::value::from_i64(-3)};
    BOOST_TEST_REQUIRE(!s.call(inst.function("mixed"), mixed_in, out));
    BOOST_TEST(out[0].i64() == -3);
    BOOST_TEST(static_cast<std::uint32_t>(out[1].i32()) == 0x9abcdef0u);
    BOOST_TEST_REQUIRE(!s.call(inst.function("bump"), {}, vitte::span<wasm::value>(out, 1)));
    BOOST_TEST(out[0].bits == (40ull << 32 | 20));
    BOOST_TEST(out[0].hi == (80ull << 32 | 60));
  }
}

namespace {
vitte::error twice(void*, vitte::span<const wasm::value> args, vitte::span<wasm::value> results) {
  if (args[0].i32() < 0) return vitte::error{vitte::errc::invalid_argument};
  results[0] = wasm::value::from_i32(args[0].i32() * 2);
  return {};
}
}  // namespace

BOOST_AUTO_TEST_CASE(host_functions_are_called_and_their_errors_trap) {
  // (import "env" "twice" (func (param i32) (result i32)))
  // (func (export "run") (param i32) (result i32) local.get 0 call 0 i32.const 1 i32.add)
  bytes b =
      cat({header(), section(1, vec({functype({i32}, {i32})})),
           section(2, vec({cat({name("env"), name("twice"), {0x00}, leb(0)})})), section(3, vec({leb(0)})),
           section(7, vec({export_func("run", 1)})), section(10, vec({body({}, {0x20, 0, 0x10, 0, 0x41, 1, 0x6a})}))});
  wasm::module m = decode_ok(b);
  wasm::store s;
  wasm::imports env;
  env.add("env", "twice", s.host_function({{wasm::value_type::i32}, {wasm::value_type::i32}}, twice, nullptr));
  auto inst = s.instantiate(m, env).value();
  wasm::value in[] = {wasm::value::from_i32(20)}, out[1];
  BOOST_TEST(!s.call(inst.function("run"), in, out));
  BOOST_TEST(out[0].i32() == 41);
  in[0] = wasm::value::from_i32(-1);
  BOOST_TEST(s.call(inst.function("run"), in, out) == vitte::errc::invalid_argument);
  // The store is usable after a trap.
  in[0] = wasm::value::from_i32(5);
  BOOST_TEST(!s.call(inst.function("run"), in, out));
  BOOST_TEST(out[0].i32() == 11);
}

namespace {
// Results in the reverse order of the arguments (the types reversed too).
vitte::error reversed(void*, vitte::span<const wasm::value> args, vitte::span<wasm::value> results) {
  for (std::size_t i = 0; i < args.size(); ++i) results[i] = args[args.size() - 1 - i];
  return {};
}
}  // namespace

// More than eight parameters and results: a host call's values then live
// on the heap (fewer stay on the C stack); every one passes both ways.
BOOST_AUTO_TEST_CASE(host_functions_with_ten_parameters_and_ten_results) {
  const std::vector<std::uint8_t> t = {i32, i64, 0x7d, 0x7c, i32, i64, 0x7d, 0x7c, i32, i64};
  const std::vector<std::uint8_t> r(t.rbegin(), t.rend());
  std::vector<std::uint8_t> code;
  for (std::uint8_t k = 0; k < 10; ++k) code.insert(code.end(), {0x20, k});
  code.insert(code.end(), {0x10, 0});
  // (import "env" "many" (func (param T...) (result R...)))
  // (func (export "run") (param T...) (result R...) local.get 0 ... local.get 9 call 0)
  bytes b = cat({header(), section(1, vec({functype(t, r)})),
                 section(2, vec({cat({name("env"), name("many"), {0x00}, leb(0)})})), section(3, vec({leb(0)})),
                 section(7, vec({export_func("run", 1)})), section(10, vec({body({}, code)}))});
  wasm::module m = decode_ok(b);
  wasm::store s;
  wasm::imports env;
  vitte::buffer<wasm::value_type> tt, rt;
  for (std::uint8_t c : t) tt.push_back(static_cast<wasm::value_type>(c));
  for (std::uint8_t c : r) rt.push_back(static_cast<wasm::value_type>(c));
  env.add("env", "many", s.host_function({tt, rt}, reversed, nullptr));
  auto inst = s.instantiate(m, env).value();
  const wasm::value in[] = {wasm::value::from_i32(-1),     wasm::value::from_i64(-2),
                            wasm::value::from_f32(3.5f),   wasm::value::from_f64(-4.25),
                            wasm::value::from_i32(5),      wasm::value::from_i64(1ll << 40),
                            wasm::value::from_f32(-7.75f), wasm::value::from_f64(8e300),
                            wasm::value::from_i32(9),      wasm::value::from_i64(-(1ll << 62))};
  wasm::value out[10];
  BOOST_TEST_REQUIRE(!s.call(inst.function("run"), in, out));
  for (std::size_t i = 0; i < 10; ++i) {
    BOOST_TEST((out[i].type == in[9 - i].type), "result " << i);
    BOOST_TEST(out[i].bits == in[9 - i].bits, "result " << i);
  }
}

BOOST_AUTO_TEST_CASE(host_functions_from_cpp_callables_and_typed_calls) {
  // (import "env" "scale" (func (param i32 f64) (result f64)))
  // (import "env" "note" (func (param i64)))
  // (func (export "run") (param i32) (result f64)
  //   i64.const 7 call 1  local.get 0 f64.const 1.5 call 0)
  bytes f15 = {0x44, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f};
  bytes b = cat({header(), section(1, vec({functype({i32, f64}, {f64}), functype({i64}, {}), functype({i32}, {f64})})),
                 section(2, vec({cat({name("env"), name("scale"), {0x00}, leb(0)}),
                                 cat({name("env"), name("note"), {0x00}, leb(1)})})),
                 section(3, vec({leb(2)})), section(7, vec({export_func("run", 2)})),
                 section(10, vec({body({}, cat({{0x42, 7, 0x10, 1, 0x20, 0}, f15, {0x10, 0}}))}))});
  wasm::module m = decode_ok(b);
  wasm::store s;
  std::int64_t noted = 0;
  wasm::imports env;
  env.add("env", "scale", s.host([](std::int32_t a, double k) { return a * k; }));
  env.add("env", "note", s.host([&noted](std::int64_t v) { noted = v; }));
  auto inst = s.instantiate(m, env).value();
  auto r = s.call_as<double>(inst.function("run"), std::int32_t{4});
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST(*r == 6.0);
  BOOST_TEST(noted == 7);
  // A wrong C++ signature is refused before anything runs.
  BOOST_TEST(s.call_as<std::int32_t>(inst.function("run"), std::int32_t{4}).error() == vitte::errc::invalid_argument);
  BOOST_TEST(s.call_as<double>(inst.function("run"), 4.0).error() == vitte::errc::invalid_argument);
  // A callable of the wrong type does not satisfy the import.
  wasm::imports wrong;
  wrong.add("env", "scale", s.host([](std::int64_t a) { return a; }));
  wrong.add("env", "note", s.host([](std::int64_t) {}));
  BOOST_TEST(s.instantiate(m, wrong).error().op() == wasm::ops::wasm_link);
  // A callable returning vitte::error traps its caller with that error.
  wasm::imports failing;
  failing.add("env", "scale", s.host([](std::int32_t, double) { return 0.0; }));
  failing.add("env", "note", s.host([](std::int64_t) { return vitte::error{vitte::errc::permission_denied}; }));
  auto i2 = s.instantiate(m, failing).value();
  BOOST_TEST(s.call_as<double>(i2.function("run"), std::int32_t{1}).error() == vitte::errc::permission_denied);
}

namespace {
// What a raw host function saw, and its results: (f64 p3 + f32 p2, i32 p0 ^ p4, i64 p1 * 2); i32 13 traps.
struct raw_seen {
  std::uint64_t words[5] = {};
  int calls = 0;
};
vitte::error raw_mix(void* user, std::uint64_t* w) {
  auto* seen = static_cast<raw_seen*>(user);
  for (int k = 0; k < 5; ++k) seen->words[k] = w[k];
  ++seen->calls;
  if (static_cast<std::uint32_t>(w[0]) == 13) return vitte::error{vitte::errc::permission_denied};
  double d;
  std::memcpy(&d, &w[3], 8);
  float f;
  const std::uint32_t fb = static_cast<std::uint32_t>(w[2]);
  std::memcpy(&f, &fb, 4);
  const double sum = d + f;
  const std::uint64_t i32_result = static_cast<std::uint32_t>(w[0] ^ w[4]), i64_result = w[1] * 2;
  std::memcpy(&w[0], &sum, 8);
  w[1] = i32_result;
  w[2] = i64_result;
  return {};
}
// Breaks the rule: its i32 result -1 sign-extended to 64 bits.
vitte::error raw_dirty(void*, std::uint64_t* w) {
  w[0] = ~std::uint64_t{0};
  return {};
}
}  // namespace

// A raw host function reads the caller's frame as words in place: a 32-bit
// parameter has its upper half zero (even when another raw host function
// returned it sign-extended), floats by their bits; its results come back
// typed; through a call, a tail call and the host's call.
BOOST_AUTO_TEST_CASE(raw_host_functions_read_and_write_the_frame_in_place) {
  using vt = wasm::value_type;
  // (import "env" "mix" (func (param i32 i64 f32 f64 i32) (result f64 i32 i64)))
  // (import "env" "dirty" (func (result i32)))
  // (func (export "run") (param i64) (result f64 i32 i64)
  //   local.get 0 i32.wrap_i64 local.get 0 f32.const 1.5 f64.const 2.25 call 1 call 0)
  // (func (export "tail") ... the same with return_call 0)
  const bytes args = {0x20, 0, 0xa7, 0x20, 0, 0x43, 0, 0, 0xc0, 0x3f, 0x44, 0, 0, 0, 0, 0, 0, 0x02, 0x40, 0x10, 1};
  bytes b = cat({header(),
                 section(1, vec({functype({i32, i64, 0x7d, f64, i32}, {f64, i32, i64}),
                                 functype({i64}, {f64, i32, i64}), functype({}, {i32})})),
                 section(2, vec({cat({name("env"), name("mix"), {0x00}, leb(0)}),
                                 cat({name("env"), name("dirty"), {0x00}, leb(2)})})),
                 section(3, vec({leb(1), leb(1)})), section(7, vec({export_func("run", 2), export_func("tail", 3)})),
                 section(10, vec({body({}, cat({args, {0x10, 0}})), body({}, cat({args, {0x12, 0}}))}))});
  wasm::module m = decode_ok(b);
  wasm::store s;
  raw_seen seen;
  auto mix =
      s.raw_host_function({{vt::i32, vt::i64, vt::f32, vt::f64, vt::i32}, {vt::f64, vt::i32, vt::i64}}, raw_mix, &seen);
  BOOST_TEST_REQUIRE(mix.has_value());
  wasm::imports env;
  env.add("env", "mix", *mix);
  env.add("env", "dirty", s.raw_host_function({{}, {vt::i32}}, raw_dirty, nullptr).value());
  auto inst = s.instantiate(m, env).value();
  for (const char* entry : {"run", "tail"}) {
    BOOST_TEST_CONTEXT(entry) {
      wasm::value in[] = {wasm::value::from_i64(static_cast<std::int64_t>(0xffffffff00000005ull))}, out[3];
      BOOST_TEST_REQUIRE(!s.call(inst.function(entry), in, out));
      BOOST_TEST(seen.words[0] == 5u);
      BOOST_TEST(seen.words[1] == 0xffffffff00000005ull);
      BOOST_TEST(seen.words[2] == 0x3fc00000u);
      BOOST_TEST(seen.words[3] == 0x4002000000000000ull);
      BOOST_TEST(seen.words[4] == 0xffffffffu);
      BOOST_TEST((out[0].type == vt::f64 && out[1].type == vt::i32 && out[2].type == vt::i64));
      BOOST_TEST(out[0].f64() == 3.75);
      BOOST_TEST(out[1].i32() == -6);
      BOOST_TEST(out[2].bits == 0xfffffffe0000000aull);
      // The callback's error traps the caller with it.
      in[0] = wasm::value::from_i64(13);
      BOOST_TEST(s.call(inst.function(entry), in, out) == vitte::errc::permission_denied);
    }
  }
  // The host calls it directly too.
  const wasm::value direct[] = {wasm::value::from_i32(6), wasm::value::from_i64(-1), wasm::value::from_f32(0.5f),
                                wasm::value::from_f64(1.0), wasm::value::from_i32(3)};
  wasm::value out[3];
  BOOST_TEST_REQUIRE(!s.call(*mix, direct, out));
  BOOST_TEST(out[0].f64() == 1.5);
  BOOST_TEST(out[1].i32() == 5);
  BOOST_TEST(out[2].bits == 0xfffffffffffffffeull);
  BOOST_TEST(seen.calls == 5);
  // Parameters and results are words: a v128 or a reference is refused.
  BOOST_TEST(s.raw_host_function({{vt::v128}, {}}, raw_mix, &seen).error() == vitte::errc::invalid_argument);
  BOOST_TEST(s.raw_host_function({{}, {vt::funcref}}, raw_mix, &seen).error() == vitte::errc::invalid_argument);
}

BOOST_AUTO_TEST_CASE(extended_constant_expressions) {
  // (import "env" "base" (global i32))
  // (global (export "g") i32 (i32.add (global.get 0) (i32.mul (i32.const 3) (i32.const 4))))
  // (global (export "h") i64 (i64.sub (i64.const 10) (i64.const 25)))
  bytes b = cat({header(), section(2, vec({cat({name("env"), name("base"), {0x03, i32, 0x00}})})),
                 section(6, vec({{i32, 0x00, 0x23, 0, 0x41, 3, 0x41, 4, 0x6c, 0x6a, 0x0b},
                                 {i64, 0x00, 0x42, 10, 0x42, 25, 0x7d, 0x0b}})),
                 section(7, vec({cat({name("g"), {0x03}, leb(1)}), cat({name("h"), {0x03}, leb(2)})}))});
  wasm::module m = decode_ok(b);
  // Decoded once: the instructions instantiation evaluates, with their operands.
  namespace code = wasm::detail::instr;
  const wasm::const_expr g = m.globals[0].init;
  BOOST_REQUIRE_EQUAL(g.count, 5u);
  const wasm::detail::const_op* op = m.const_ops.data() + g.first;
  BOOST_TEST((op[0].code == code::global_get && op[0].index == 0));
  BOOST_TEST((op[1].code == code::i32_const && op[1].bits[0] == 3));
  BOOST_TEST((op[2].code == code::i32_const && op[2].bits[0] == 4));
  BOOST_TEST((op[3].code == code::i32_mul && op[4].code == code::i32_add));
  BOOST_TEST(int{m.bytes[g.offset]} == 0x23);  // where its bytes start: global.get
  const wasm::const_expr h = m.globals[1].init;
  BOOST_REQUIRE_EQUAL(h.count, 3u);
  BOOST_TEST((m.const_ops[h.first].code == code::i64_const && m.const_ops[h.first + 1].bits[0] == 25));
  BOOST_TEST((m.const_ops[h.first + 2].code == code::i64_sub));
  wasm::store s;
  wasm::imports env;
  env.add("env", "base", s.new_global({wasm::value_type::i32, false}, wasm::value::from_i32(100)).value());
  auto inst = s.instantiate(m, env).value();
  BOOST_TEST(inst.global("g").get().i32() == 112);
  BOOST_TEST(inst.global("h").get().i64() == -15);
  // An extended-const operator outside its type is refused.
  bytes bad = cat({header(), section(6, vec({{i32, 0x00, 0x41, 1, 0x42, 2, 0x6a, 0x0b}}))});
  BOOST_TEST(refusal(bad).find("type mismatch in constant expression") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(traps_carry_a_backtrace_with_names) {
  // func 0 "inner": i32.const 1 i32.const 0 i32.div_s drop
  // func 1 "outer": call 0
  bytes b = cat({header(), section(1, vec({functype({}, {})})), section(3, vec({leb(0), leb(0)})),
                 section(7, vec({export_func("outer", 1)})),
                 section(10, vec({body({}, {0x41, 1, 0x41, 0, 0x6d, 0x1a}), body({}, {0x10, 0})})),
                 names({{0, "inner"}, {1, "outer"}})});
  wasm::module m = decode_ok(b);
  wasm::store s;
  auto inst = s.instantiate(m, {}).value();
  vitte::error e = s.call(inst.function("outer"), {}, {});
  BOOST_TEST(e.op() == wasm::ops::trap_integer_divide_by_zero);
  BOOST_TEST(wasm::trap_message(e) == "integer divide by zero");
  const wasm::trap_info& t = s.last_trap();
  BOOST_TEST_REQUIRE(t.functions.size() == 2u);
  BOOST_TEST(t.functions[0] == 0u);
  BOOST_TEST(t.functions[1] == 1u);
  BOOST_TEST(t.names[0] == "inner");
  BOOST_TEST(t.names[1] == "outer");
}

BOOST_AUTO_TEST_CASE(call_depth_limit_is_exact) {
  // (func $rec (param i32) (result i32)
  //   local.get 0 i32.eqz if (result i32) i32.const 0 else local.get 0 i32.const 1 i32.sub call 0 end)
  bytes code = {0x20, 0, 0x45, 0x04, i32, 0x41, 0, 0x05, 0x20, 0, 0x41, 1, 0x6b, 0x10, 0, 0x0b};
  bytes b = cat({header(), section(1, vec({functype({i32}, {i32})})), section(3, vec({leb(0)})),
                 section(7, vec({export_func("rec", 0)})), section(10, vec({body({}, code)}))});
  wasm::module m = decode_ok(b);
  wasm::store_limits lim;
  lim.max_call_depth = 100;
  wasm::store s(lim);
  auto inst = s.instantiate(m, {}).value();
  wasm::value in[] = {wasm::value::from_i32(99)}, out[1];  // 100 frames
  BOOST_TEST(!s.call(inst.function("rec"), in, out));
  in[0] = wasm::value::from_i32(100);  // 101 frames
  vitte::error e = s.call(inst.function("rec"), in, out);
  BOOST_TEST(e.op() == wasm::ops::trap_call_stack_exhausted);
  BOOST_TEST(e == vitte::errc::limit_exceeded);
  BOOST_TEST(s.last_trap().functions.size() == 100u);
  // A deep recursion on the default limits traps; the host's stack is untouched.
  wasm::store big;
  auto i2 = big.instantiate(m, {}).value();
  in[0] = wasm::value::from_i32(10000000);
  BOOST_TEST(big.call(i2.function("rec"), in, out).op() == wasm::ops::trap_call_stack_exhausted);
}

BOOST_AUTO_TEST_CASE(memory_is_capped_and_seen_through_spans) {
  // (memory (export "mem") 1) (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
  // (func (export "load") (param i32) (result i32) local.get 0 i32.load)
  bytes b = cat({header(), section(1, vec({functype({i32}, {i32})})), section(3, vec({leb(0), leb(0)})),
                 section(5, vec({{0x00, 0x01}})),
                 section(7, vec({export_func("grow", 0), export_func("load", 1), cat({name("mem"), {0x02, 0x00}})})),
                 section(10, vec({body({}, {0x20, 0, 0x40, 0}), body({}, {0x20, 0, 0x28, 2, 0})}))});
  wasm::module m = decode_ok(b);
  wasm::store_limits lim;
  lim.max_memory_pages = 4;
  wasm::store s(lim);
  auto inst = s.instantiate(m, {}).value();
  wasm::memory mem = inst.memory("mem");
  BOOST_TEST_REQUIRE(static_cast<bool>(mem));
  BOOST_TEST(mem.pages() == 1u);
  wasm::value in[] = {wasm::value::from_i32(3)}, out[1];
  BOOST_TEST(!s.call(inst.function("grow"), in, out));
  BOOST_TEST(out[0].i32() == 1);  // the old size
  in[0] = wasm::value::from_i32(1);
  BOOST_TEST(!s.call(inst.function("grow"), in, out));
  BOOST_TEST(out[0].i32() == -1);  // past the store's cap
  BOOST_TEST(mem.pages() == 4u);
  // The host writes through the span; wasm reads it (little-endian on every host).
  const std::uint8_t v[4] = {0xef, 0xbe, 0xad, 0xde};
  std::memcpy(mem.bytes().data() + 65536 * 4 - 4, v, 4);
  in[0] = wasm::value::from_i32(65536 * 4 - 4);
  BOOST_TEST(!s.call(inst.function("load"), in, out));
  BOOST_TEST(static_cast<std::uint32_t>(out[0].i32()) == 0xdeadbeefu);
  in[0] = wasm::value::from_i32(65536 * 4 - 3);
  BOOST_TEST(s.call(inst.function("load"), in, out).op() == wasm::ops::trap_memory_out_of_bounds);
  // A memory whose minimum is above the cap is refused at instantiation.
  wasm::store_limits tiny;
  tiny.max_memory_pages = 0;
  wasm::store s2(tiny);
  BOOST_TEST(s2.instantiate(m, {}).error() == vitte::errc::limit_exceeded);
}

BOOST_AUTO_TEST_CASE(bulk_memory_of_zero_bytes_on_a_memory_of_zero_pages) {
  // (memory 0) (func (export "f") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.fill
  //   local.get 0 local.get 1 local.get 2 memory.copy)
  // A memory of 0 pages has no bytes: filling or copying 0 bytes at 0 succeeds (and passes no null
  // pointer to memset/memmove, which the sanitizer targets see); 1 byte or an offset past 0 traps.
  bytes b = cat(
      {header(), section(1, vec({functype({i32, i32, i32}, {})})), section(3, vec({leb(0)})),
       section(5, vec({{0x00, 0x00}})), section(7, vec({export_func("f", 0)})),
       section(10,
               vec({body({}, {0x20, 0, 0x20, 1, 0x20, 2, 0xfc, 11, 0, 0x20, 0, 0x20, 1, 0x20, 2, 0xfc, 10, 0, 0})}))});
  wasm::module m = decode_ok(b);
  wasm::store s;
  auto inst = s.instantiate(m, {}).value();
  wasm::value in[] = {wasm::value::from_i32(0), wasm::value::from_i32(0), wasm::value::from_i32(0)};
  BOOST_TEST(!s.call(inst.function("f"), in, {}));
  in[2] = wasm::value::from_i32(1);
  BOOST_TEST(s.call(inst.function("f"), in, {}).op() == wasm::ops::trap_memory_out_of_bounds);
  in[0] = wasm::value::from_i32(1);
  in[2] = wasm::value::from_i32(0);
  BOOST_TEST(s.call(inst.function("f"), in, {}).op() == wasm::ops::trap_memory_out_of_bounds);
}

BOOST_AUTO_TEST_CASE(instances_of_one_module_translate_it_once) {
  // (type (func (result i32))) (table 1 funcref) (global (mut i32) (i32.const 0))
  // (func $inc (result i32) global.get 0 i32.const 1 i32.add global.set 0 global.get 0)
  // (func $via_table (result i32) i32.const 0 call_indirect (type 0))   (func $direct (result i32) call $inc)
  // (elem (i32.const 0) $inc)
  // Each instance has its own global, table and functions: the shared code names them by index.
  bytes b = cat({header(), section(1, vec({functype({}, {i32})})), section(3, vec({leb(0), leb(0), leb(0)})),
                 section(4, vec({{0x70, 0x00, 0x01}})), section(6, vec({{i32, 0x01, 0x41, 0x00, 0x0b}})),
                 section(7, vec({export_func("inc", 0), export_func("via_table", 1), export_func("direct", 2)})),
                 section(9, vec({{0x00, 0x41, 0x00, 0x0b, 0x01, 0x00}})),
                 section(10, vec({body({}, {0x23, 0, 0x41, 1, 0x6a, 0x24, 0, 0x23, 0}), body({}, {0x41, 0, 0x11, 0, 0}),
                                  body({}, {0x10, 0})}))});
  wasm::module m = decode_ok(b);
  wasm::store s;
  auto first = s.instantiate(m, {}).value();
  auto second = s.instantiate(m, {}).value();
  auto third = s.instantiate(decode_ok(b), {}).value();  // decoded again: the same module
  auto call = [&](wasm::instance& i, const char* name) {
    wasm::value out[1];
    BOOST_TEST_REQUIRE(!s.call(i.function(name), {}, out));
    return out[0].i32();
  };
  BOOST_TEST(s.translations() == 0u);  // translated on the first call
  BOOST_TEST(call(first, "inc") == 1);
  BOOST_TEST(call(first, "via_table") == 2);
  BOOST_TEST(call(first, "direct") == 3);
  BOOST_TEST(s.translations() == 3u);
  BOOST_TEST(call(second, "direct") == 1);     // its own $inc and global
  BOOST_TEST(call(second, "via_table") == 2);  // its own table, holding its own $inc
  BOOST_TEST(call(second, "inc") == 3);
  BOOST_TEST(call(third, "via_table") == 1);
  BOOST_TEST(call(first, "inc") == 4);
  BOOST_TEST(s.translations() == 3u);
  // Another module is translated on its own; another store translates again.
  auto sum = s.instantiate(decode_ok(adder()), {}).value();
  wasm::value args[] = {wasm::value::from_i32(2), wasm::value::from_i32(3)}, out[1];
  BOOST_TEST(!s.call(sum.function("add"), args, out));
  BOOST_TEST(out[0].i32() == 5);
  BOOST_TEST(s.translations() == 4u);
  wasm::store other;
  auto fourth = other.instantiate(m, {}).value();
  BOOST_TEST(!other.call(fourth.function("direct"), {}, out));
  BOOST_TEST(out[0].i32() == 1);
  BOOST_TEST(other.translations() == 2u);
  // A copy whose host renamed an export (or named functions from a debug
  // file) is another module: its own names are honoured.
  wasm::module renamed = m;
  renamed.exports[0].name = vitte::text_view("increment");
  auto fifth = s.instantiate(renamed, {}).value();
  BOOST_TEST(call(fifth, "increment") == 1);
  BOOST_TEST(!fifth.function("inc"));
  BOOST_TEST(s.translations() == 5u);
}

BOOST_AUTO_TEST_CASE(a_failed_instantiation_reports_no_earlier_backtrace) {
  // (func (export "boom") unreachable), then a module whose element segment
  // does not fit its table: the second error has no backtrace of the first.
  bytes boom = cat({header(), section(1, vec({functype({}, {})})), section(3, vec({leb(0)})),
                    section(7, vec({export_func("boom", 0)})), section(10, vec({body({}, {0x00})}))});
  bytes oob = cat({header(), section(1, vec({functype({}, {})})), section(3, vec({leb(0)})),
                   section(4, vec({{0x70, 0x00, 0x00}})), section(9, vec({{0x00, 0x41, 0x00, 0x0b, 0x01, 0x00}})),
                   section(10, vec({body({}, {})}))});
  wasm::store s;
  auto inst = s.instantiate(decode_ok(boom), {}).value();
  BOOST_TEST(s.call(inst.function("boom"), {}, {}).op() == wasm::ops::trap_unreachable);
  BOOST_TEST(s.last_trap().functions.size() == 1u);
  auto r = s.instantiate(decode_ok(oob), {});
  BOOST_TEST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().op() == wasm::ops::trap_table_out_of_bounds);
  BOOST_TEST(s.last_trap().functions.empty());
  BOOST_TEST(s.last_trap().names.empty());
}

BOOST_AUTO_TEST_CASE(link_errors_list_every_import) {
  bytes b = cat({header(), section(1, vec({functype({}, {})})),
                 section(2, vec({cat({name("env"), name("f"), {0x00}, leb(0)}),
                                 cat({name("env"), name("g"), {0x03, i64, 0x00}})}))});
  wasm::module m = decode_ok(b);
  wasm::store s;
  wasm::imports env;
  env.add("env", "g", s.new_global({wasm::value_type::i32, false}, wasm::value::from_i32(1)).value());
  vitte::diagnostic_list why;
  auto inst = s.instantiate(m, env, &why);
  BOOST_TEST(inst.error().op() == wasm::ops::wasm_link);
  std::string msg = why.joined().c_str();
  BOOST_TEST(why.size() == 2u);  // an entry each, about the import
  BOOST_TEST(why.items()[0].subject() == "env.f");
  BOOST_TEST(why.items()[1].subject() == "env.g");
  for (const vitte::diagnostic& d : why.items()) BOOST_TEST((d.kind() == inst.error().kind()));
  BOOST_TEST(msg.find("env.f: unknown import") != std::string::npos, msg);
  BOOST_TEST(msg.find("env.g: incompatible import type") != std::string::npos, msg);
}

namespace {
struct reentry {
  wasm::store* s;
  wasm::function f;
  int calls = 0;
};
vitte::error call_back(void* user, vitte::span<const wasm::value> args, vitte::span<wasm::value> results) {
  auto* r = static_cast<reentry*>(user);
  ++r->calls;
  wasm::value in[] = {args[0]}, out[1];
  if (auto e = r->s->call(r->f, in, out)) return e;
  results[0] = out[0];
  return {};
}
}  // namespace

namespace {
// Calls `fails` (which traps), handles its error, and returns its argument + 1.
struct handler {
  wasm::store* s;
  wasm::function fails;
  vitte::error seen;
};
vitte::error handle_by_value(void* user, vitte::span<const wasm::value> args, vitte::span<wasm::value> results) {
  auto* h = static_cast<handler*>(user);
  wasm::value in[] = {args[0]}, out[1];
  h->seen = h->s->call(h->fails, in, out);
  results[0] = wasm::value::from_i32(args[0].i32() + 1);
  return {};
}
vitte::error handle_raw(void* user, std::uint64_t* w) {
  auto* h = static_cast<handler*>(user);
  wasm::value in[] = {wasm::value::from_i32(static_cast<std::int32_t>(w[0]))}, out[1];
  h->seen = h->s->call(h->fails, in, out);
  w[0] = static_cast<std::uint32_t>(w[0] + 1);
  return {};
}
}  // namespace

// A host function that calls back into wasm and handles the trap it gets:
// its caller goes on (both kinds of host function).
BOOST_AUTO_TEST_CASE(a_trap_the_host_handled_does_not_stop_its_caller) {
  // (import "env" "handles" (func (param i32) (result i32)))
  // (func (export "outer") (param i32) (result i32) local.get 0 call 0 i32.const 1000 i32.add)
  // (func (export "fails") (param i32) (result i32) unreachable)
  bytes b = cat({header(), section(1, vec({functype({i32}, {i32})})),
                 section(2, vec({cat({name("env"), name("handles"), {0x00}, leb(0)})})),
                 section(3, vec({leb(0), leb(0)})), section(7, vec({export_func("outer", 1), export_func("fails", 2)})),
                 section(10, vec({body({}, cat({{0x20, 0, 0x10, 0, 0x41}, sleb(1000), {0x6a}})), body({}, {0x00})}))});
  wasm::module m = decode_ok(b);
  for (bool raw : {false, true}) {
    BOOST_TEST_CONTEXT((raw ? "raw" : "over values")) {
      wasm::store s;
      handler h{&s, {}, {}};
      const wasm::func_type t{{wasm::value_type::i32}, {wasm::value_type::i32}};
      wasm::imports env;
      env.add("env", "handles",
              raw ? s.raw_host_function(t, handle_raw, &h).value() : s.host_function(t, handle_by_value, &h));
      auto inst = s.instantiate(m, env).value();
      h.fails = inst.function("fails");
      wasm::value in[] = {wasm::value::from_i32(5)}, out[1];
      BOOST_TEST(!s.call(inst.function("outer"), in, out));
      BOOST_TEST(out[0].i32() == 1006);
      BOOST_TEST(h.seen.op() == wasm::ops::trap_unreachable);
      // The store goes on: the next call runs as well.
      BOOST_TEST(!s.call(inst.function("outer"), in, out));
      BOOST_TEST(out[0].i32() == 1006);
    }
  }
}

BOOST_AUTO_TEST_CASE(host_functions_call_back_into_wasm) {
  // (import "env" "cb" (func (param i32) (result i32)))
  // (func (export "outer") (param i32) (result i32) local.get 0 call 0 i32.const 1000 i32.add)
  // (func (export "inner") (param i32) (result i32) local.get 0 i32.const 7 i32.mul)
  bytes b = cat({header(), section(1, vec({functype({i32}, {i32})})),
                 section(2, vec({cat({name("env"), name("cb"), {0x00}, leb(0)})})), section(3, vec({leb(0), leb(0)})),
                 section(7, vec({export_func("outer", 1), export_func("inner", 2)})),
                 section(10, vec({body({}, cat({{0x20, 0, 0x10, 0, 0x41}, sleb(1000), {0x6a}})),
                                  body({}, {0x20, 0, 0x41, 7, 0x6c})}))});
  wasm::module m = decode_ok(b);
  wasm::store s;
  reentry r{&s, {}};
  wasm::imports env;
  env.add("env", "cb", s.host_function({{wasm::value_type::i32}, {wasm::value_type::i32}}, call_back, &r));
  auto inst = s.instantiate(m, env).value();
  r.f = inst.function("inner");
  wasm::value in[] = {wasm::value::from_i32(6)}, out[1];
  BOOST_TEST(!s.call(inst.function("outer"), in, out));
  BOOST_TEST(out[0].i32() == 1042);
  BOOST_TEST(r.calls == 1);
}

namespace {
// (func (export "spin") (loop (br 0)))
// (func (export "one") (result i32) i32.const 1)
// (func (export "sum") (param i32) (result i32) (local i32)   ;; 0 + 1 + ... + n-1
//   (block (loop (br_if 1 (i32.eqz (local.get 0)))
//     (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
//     (local.set 1 (i32.add (local.get 1) (local.get 0))) (br 0)))
//   (local.get 1))
bytes limits_module() {
  return cat({header(), section(1, vec({functype({}, {}), functype({}, {i32}), functype({i32}, {i32})})),
              section(3, vec({leb(0), leb(1), leb(2)})),
              section(7, vec({export_func("spin", 0), export_func("one", 1), export_func("sum", 2)})),
              section(10, vec({body({}, {0x03, 0x40, 0x0c, 0, 0x0b}), body({}, {0x41, 1}),
                               body({{1, i32}}, {0x02, 0x40, 0x03, 0x40, 0x20, 0,    0x45, 0x0d, 1,    0x20,
                                                 0,    0x41, 1,    0x6b, 0x21, 0,    0x20, 1,    0x20, 0,
                                                 0x6a, 0x21, 1,    0x0c, 0,    0x0b, 0x0b, 0x20, 1})}))});
}
std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

BOOST_AUTO_TEST_CASE(fuel_counts_instructions_and_a_stopped_call_resumes) {
  wasm::module m = decode_ok(limits_module());
  wasm::store_limits lim;
  lim.fuel = true;
  wasm::store s(lim);
  auto inst = s.instantiate(m, {}).value();
  wasm::value out[1];
  // One instruction costs one unit, charged when its block begins.
  s.set_fuel(1);
  BOOST_TEST(!s.call(inst.function("one"), {}, out));
  BOOST_TEST(out[0].i32() == 1);
  BOOST_TEST(s.fuel() == 0u);
  vitte::error e = s.call(inst.function("one"), {}, out);
  BOOST_TEST(e.op() == wasm::ops::trap_out_of_fuel);
  BOOST_TEST(e == vitte::errc::limit_exceeded);
  BOOST_TEST(wasm::trap_message(e) == "all fuel consumed");
  // An endless loop stops, and stops again after more fuel.
  s.set_fuel(100000);
  e = s.call(inst.function("spin"), {}, {});
  BOOST_TEST(e.op() == wasm::ops::trap_out_of_fuel);
  BOOST_TEST(s.suspended());
  s.add_fuel(1000);
  BOOST_TEST(s.resume({}).op() == wasm::ops::trap_out_of_fuel);
  // A long computation runs to the end in slices of fuel, with the result
  // of one uninterrupted run.
  wasm::value in[] = {wasm::value::from_i32(100000)};
  s.set_fuel(5000);
  e = s.call(inst.function("sum"), in, out);
  int slices = 1;
  while (e.op() == wasm::ops::trap_out_of_fuel && s.suspended()) {
    s.add_fuel(5000);
    e = s.resume(out);
    ++slices;
  }
  BOOST_TEST(!e);
  BOOST_TEST(static_cast<std::uint32_t>(out[0].i32()) == static_cast<std::uint32_t>(100000ull * 99999 / 2));
  BOOST_TEST(slices > 100);  // about 11 instructions an iteration: 1.1 M units
  BOOST_TEST(!s.suspended());
  BOOST_TEST(s.resume(out) == vitte::errc::invalid_argument);  // nothing to resume
  // A new call abandons a stopped one.
  s.set_fuel(10);
  BOOST_TEST(s.call(inst.function("spin"), {}, {}).op() == wasm::ops::trap_out_of_fuel);
  s.set_fuel(10);
  BOOST_TEST(!s.call(inst.function("one"), {}, out));
  BOOST_TEST(!s.suspended());
}

BOOST_AUTO_TEST_CASE(another_thread_interrupts_a_running_call) {
  wasm::module m = decode_ok(limits_module());
  wasm::store_limits lim;
  lim.interruptible = true;
  wasm::store s(lim);
  auto inst = s.instantiate(m, {}).value();
  std::thread t([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    s.interrupt();
  });
  vitte::error e = s.call(inst.function("spin"), {}, {});
  t.join();
  BOOST_TEST(e.op() == wasm::ops::trap_interrupted);
  BOOST_TEST(e == vitte::errc::interrupted);
  BOOST_TEST(s.suspended());
  // The flag is spent: resumed, the loop spins on until interrupted again.
  s.interrupt();
  BOOST_TEST(s.resume({}).op() == wasm::ops::trap_interrupted);
  wasm::value out[1];
  BOOST_TEST(!s.call(inst.function("one"), {}, out));
  BOOST_TEST(out[0].i32() == 1);
}

BOOST_AUTO_TEST_CASE(a_deadline_stops_a_running_call) {
  wasm::module m = decode_ok(limits_module());
  wasm::store_limits lim;
  lim.interruptible = true;
  wasm::store s(lim);
  auto inst = s.instantiate(m, {}).value();
  const std::int64_t start = steady_ns();
  s.set_deadline(start + 50'000'000, steady_ns);
  vitte::error e = s.call(inst.function("spin"), {}, {});
  BOOST_TEST(e.op() == wasm::ops::trap_deadline);
  BOOST_TEST(e == vitte::errc::timed_out);
  BOOST_TEST(steady_ns() >= start + 50'000'000);
  s.set_deadline(INT64_MAX, nullptr);
  wasm::value out[1];
  BOOST_TEST(!s.call(inst.function("one"), {}, out));
}

BOOST_AUTO_TEST_CASE(instances_are_capped) {
  wasm::module m = decode_ok(adder());
  wasm::store_limits lim;
  lim.max_instances = 2;
  wasm::store s(lim);
  BOOST_TEST(s.instantiate(m, {}).has_value());
  BOOST_TEST(s.instantiate(m, {}).has_value());
  BOOST_TEST(s.instantiate(m, {}).error() == vitte::errc::limit_exceeded);
}

BOOST_AUTO_TEST_CASE(locals_survive_fused_sets_and_aliases) {
  // (func (param i32) (result i32) (local i32)
  //   local.get 0 local.set 1        ;; copy
  //   local.get 1 local.get 0 i32.add local.set 0   ;; fused add into local 0
  //   local.get 1 local.get 0 local.tee 1 i32.add)  ;; an alias read before its local changes
  bytes code = {0x20, 0, 0x21, 1, 0x20, 1, 0x20, 0, 0x6a, 0x21, 0, 0x20, 1, 0x20, 0, 0x22, 1, 0x6a};
  bytes b = cat({header(), section(1, vec({functype({i32}, {i32})})), section(3, vec({leb(0)})),
                 section(7, vec({export_func("f", 0)})), section(10, vec({body({{1, i32}}, code)}))});
  wasm::module m = decode_ok(b);
  wasm::store s;
  auto inst = s.instantiate(m, {}).value();
  wasm::value in[] = {wasm::value::from_i32(5)}, out[1];
  BOOST_TEST(!s.call(inst.function("f"), in, out));
  // l1 = 5; l0 = 10; result = old l1 (5) + l0 (10)
  BOOST_TEST(out[0].i32() == 15);
}

// A module of one function type whose functions f0, f1, ... have the
// given bodies (with one local each of i32, f32, f64 and i64, in that
// order); with `memory`, also a memory of one page exported as "mem".
bytes numbered_functions(const bytes& type, const std::vector<bytes>& fns, bool memory = false) {
  bytes funcs = leb(fns.size()), code = leb(fns.size()), exports = leb(fns.size() + memory);
  for (std::size_t i = 0; i < fns.size(); ++i) {
    const bytes f = leb(0), b = body({{1, i32}, {1, 0x7d}, {1, f64}, {1, i64}}, fns[i]),
                e = export_func("f" + std::to_string(i), i);
    funcs.insert(funcs.end(), f.begin(), f.end());
    code.insert(code.end(), b.begin(), b.end());
    exports.insert(exports.end(), e.begin(), e.end());
  }
  if (!memory)
    return cat({header(), section(1, vec({type})), section(3, funcs), section(7, exports), section(10, code)});
  exports = cat({exports, name("mem"), {0x02, 0x00}});
  return cat({header(), section(1, vec({type})), section(3, funcs), section(5, vec({{0x00, 0x01}})),
              section(7, exports), section(10, code)});
}

BOOST_AUTO_TEST_CASE(constant_operands_in_the_instruction) {
  // Each i32 operation that has a form with a constant operand, with the
  // constant second, first (swapped where the operation allows), feeding a
  // br_if and an if, and its result set into a local; against C++.
  const std::uint8_t opcodes[] = {0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f,
                                  0x6a, 0x6b, 0x6c, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76};
  const std::int32_t values[] = {0, 1, -1, 7, 33, -100, INT32_MIN, INT32_MAX};
  auto expect = [](std::uint8_t o, std::uint32_t a, std::uint32_t b) -> std::uint32_t {
    const auto sa = static_cast<std::int32_t>(a), sb = static_cast<std::int32_t>(b);
    switch (o) {
      case 0x46:
        return a == b;
      case 0x47:
        return a != b;
      case 0x48:
        return sa < sb;
      case 0x49:
        return a < b;
      case 0x4a:
        return sa > sb;
      case 0x4b:
        return a > b;
      case 0x4c:
        return sa <= sb;
      case 0x4d:
        return a <= b;
      case 0x4e:
        return sa >= sb;
      case 0x4f:
        return a >= b;
      case 0x6a:
        return a + b;
      case 0x6b:
        return a - b;
      case 0x6c:
        return a * b;
      case 0x71:
        return a & b;
      case 0x72:
        return a | b;
      case 0x73:
        return a ^ b;
      case 0x74:
        return a << (b & 31);
      case 0x75:
        return static_cast<std::uint32_t>(sa >> (b & 31));
      default:
        return a >> (b & 31);
    }
  };
  for (std::uint8_t o : opcodes)
    for (std::int32_t c : values) {
      const bytes k = cat({{0x41}, sleb(c)}), x = {0x20, 0};
      const std::vector<bytes> fns = {
          cat({x, k, {o}}),                                                       // x op c
          cat({k, x, {o}}),                                                       // c op x
          cat({{0x02, 0x40}, x, k, {o, 0x0d, 0, 0x41, 2, 0x0f, 0x0b, 0x41, 1}}),  // br_if (x op c)
          cat({k, x, {o, 0x04, 0x7f, 0x41, 1, 0x05, 0x41, 2, 0x0b}}),             // if (c op x)
          cat({x, k, {o, 0x21, 0, 0x20, 0}}),                                     // local.set 0 (x op c)
          cat({{0x02, 0x40}, x, {0x45, 0x0d, 0, 0x41, 2, 0x0f, 0x0b, 0x41, 1}}),  // br_if (x == 0)
          cat({x, {0x45, 0x04, 0x7f, 0x41, 1, 0x05, 0x41, 2, 0x0b}}),             // if (x == 0)
      };
      wasm::module m = decode_ok(numbered_functions(functype({i32}, {i32}), fns));
      wasm::store s;
      auto inst = s.instantiate(m, {}).value();
      for (std::int32_t v : values) {
        const auto a = static_cast<std::uint32_t>(v), b = static_cast<std::uint32_t>(c);
        const std::uint32_t want[] = {expect(o, a, b),           expect(o, b, a), expect(o, a, b) ? 1u : 2u,
                                      expect(o, b, a) ? 1u : 2u, expect(o, a, b), a == 0 ? 1u : 2u,
                                      a == 0 ? 1u : 2u};
        for (int i = 0; i < 7; ++i) {
          wasm::value in[] = {wasm::value::from_i32(v)}, out[1];
          BOOST_TEST_REQUIRE(!s.call(inst.function("f" + std::to_string(i)), in, out));
          BOOST_TEST(static_cast<std::uint32_t>(out[0].i32()) == want[i],
                     "opcode 0x" << std::hex << int(o) << std::dec << " c " << c << " x " << v << " form " << i);
        }
      }
    }
}

BOOST_AUTO_TEST_CASE(fused_pairs_compute_what_their_two_instructions_do) {
  // The translator fuses an instruction with the one that produced its
  // operand (impl/code.hpp: shift-and, and-compare, branch on an and,
  // multiply-add, add-and, add-shift, shift-xor, select on an and), two additions of a constant in a
  // row, and a branch with the copy or the addition before it. Each form,
  // where it fuses and where it must not (the result kept in a local, read
  // twice, a loop label between), against C++, with shift counts of 32 and
  // more and masks and constants at the edges.
  const std::int32_t ps[] = {0, 1, 5, 31, 32, 37, 255};
  const std::int32_t qs[] = {0, 1, 0xff, 0x8000, -1, 0x12345678};
  const std::int32_t values[] = {0, 1, -1, 7, 0x12345678, INT32_MIN, INT32_MAX, 0x8000};
  const bytes x = {0x20, 0}, y = {0x20, 1}, z = {0x20, 2};
  auto times3 = [](std::uint32_t v, std::uint32_t n) {
    for (std::uint32_t i = 0; i < n; ++i) v *= 3;
    return v;
  };
  for (std::int32_t p : ps)
    for (std::int32_t q : qs) {
      const bytes kp = cat({{0x41}, sleb(p)}), kq = cat({{0x41}, sleb(q)});
      const bytes ret12 = {0x41, 2, 0x0f, 0x0b, 0x41, 1};  // after `br_if 0`: 2 when not taken, 1 when taken
      const std::vector<bytes> fns = {
          cat({x, kp, {0x76}, kq, {0x71}}),                                            // (x >> p) & q
          cat({x, kq, {0x71}, kp, {0x46}}),                                            // (x & q) == p
          cat({x, kq, {0x71}, kp, {0x47}}),                                            // (x & q) != p
          cat({x, kq, {0x71, 0x45}}),                                                  // (x & q) == 0
          cat({{0x02, 0x40}, x, kq, {0x71, 0x0d, 0}, ret12}),                          // br_if (x & q)
          cat({{0x02, 0x40}, x, kq, {0x71}, kp, {0x46, 0x0d, 0}, ret12}),              // br_if ((x & q) == p)
          cat({{0x02, 0x40}, x, kq, {0x71, 0x45, 0x0d, 0}, ret12}),                    // br_if ((x & q) == 0)
          cat({x, kq, {0x71}, kp, {0x47, 0x04, 0x7f, 0x41, 1, 0x05, 0x41, 2, 0x0b}}),  // if ((x & q) != p)
          cat({x, y, {0x6c}, z, {0x6a}}),                                              // x * y + z
          cat({z, x, y, {0x6c, 0x6a}}),                                                // z + x * y
          cat({x, kp, {0x76}, kq, {0x71, 0x21, 3, 0x20, 3}}),                          // local.set 3 ((x >> p) & q)
          cat({x, y, {0x6c, 0x22, 3, 0x20, 3, 0x6a}}),                                 // local.tee 3 (x * y), + itself
          cat({x, x, {0x6c}, x, {0x6a}}),                                              // x * x + x
          cat({x, kq, {0x71, 0x22, 3}, kp, {0x46, 0x20, 3, 0x6a}}),                    // ((x & q) == p) + (x & q)
          cat({x, kp, {0x6a}, kq, {0x71}}),                                            // (x + p) & q
          cat({x, y, kp, {0x74, 0x6a}}),                                               // x + (y << p)
          cat({y, kp, {0x74}, x, {0x6a}}),                                             // (y << p) + x
          cat({x, kp, {0x6a, 0x21, 3, 0x20, 3}, kq, {0x6a}}),                          // l3 = x + p; l3 + q
          cat({x, kp, {0x6a, 0x21, 3}, y, kq, {0x6a, 0x20, 3, 0x6c}}),                 // l3 = x + p; (y + q) * l3
          cat({x, kp, {0x6a, 0x21, 3, 0x03, 0x7f}, y, kq, {0x6a, 0x0b, 0x20, 3, 0x6c}}),  // the same, a loop between
          // l3 = (x & 15) + 1; do y *= 3 while (--l3)
          cat({x,
               {0x41, 15, 0x71, 0x41, 1, 0x6a, 0x21, 3, 0x03, 0x40},
               y,
               {0x41, 3, 0x6c, 0x21, 1, 0x20, 3, 0x41, 0x7f, 0x6a, 0x22, 3, 0x0d, 0, 0x0b, 0x20, 1}}),
          // l3 = (x & 15) + 1; if (--l3) 1 else 2
          cat({x, {0x41, 15,   0x71, 0x41, 1,    0x6a, 0x21, 3,    0x20, 3, 0x41, 0x7f,
                   0x6a, 0x22, 3,    0x04, 0x7f, 0x41, 1,    0x05, 0x41, 2, 0x0b}}),
          cat({{0x02, 0x40}, y, {0x21, 3}, x, {0x0d, 0, 0x41, 0, 0x21, 3, 0x0b, 0x20, 3}}),  // l3 = y; br_if x; l3 = 0
          cat({{0x02, 0x40}, x, {0x21, 3, 0x20, 3, 0x0d, 0}, y, {0x21, 3, 0x0b, 0x20, 3}}),  // l3 = x; br_if l3; l3 = y
          // l3 = y; br out, unless x: l3 = z
          cat({{0x02, 0x40, 0x02, 0x40}, x, {0x0d, 0}, y, {0x21, 3, 0x0c, 1, 0x0b}, z, {0x21, 3, 0x0b, 0x20, 3}}),
          cat({y, {0x21, 3}, x, {0x04, 0x7f, 0x20, 3, 0x05}, z, {0x0b}}),  // l3 = y; if x l3 else z
          cat({x, kp, {0x76}, y, {0x73}}),                                 // (x >> p) ^ y
          cat({y, x, kp, {0x76, 0x73}}),                                   // y ^ (x >> p)
          cat({x, x, kp, {0x76, 0x73}}),                                   // x ^ (x >> p)
          cat({x, kp, {0x76, 0x22, 3}, y, {0x73, 0x20, 3, 0x6a}}),         // (l3 = x >> p) ^ y, + l3
          cat({y, z, x, kq, {0x71, 0x1b}}),                                // select(y, z, x & q)
          cat({x, y, x, kq, {0x71, 0x1b}}),                                // select(x, y, x & q)
          cat({y, z, x, kq, {0x71, 0x22, 3, 0x1b, 0x20, 3, 0x6a}}),        // select(y, z, l3 = x & q) + l3
          cat({z, y, x, kp, {0x76}, y, {0x73, 0x41, 1, 0x71, 0x1b}}),      // select(z, y, ((x >> p) ^ y) & 1)
      };
      wasm::module m = decode_ok(numbered_functions(functype({i32, i32, i32}, {i32}), fns));
      wasm::store s;
      auto inst = s.instantiate(m, {}).value();
      const auto up = static_cast<std::uint32_t>(p), uq = static_cast<std::uint32_t>(q);
      for (std::int32_t vx : values)
        for (std::int32_t vy : {3, -7}) {
          const auto a = static_cast<std::uint32_t>(vx), b = static_cast<std::uint32_t>(vy), c = 0x10001u;
          const std::uint32_t want[] = {(a >> (up & 31)) & uq,
                                        (a & uq) == up,
                                        (a & uq) != up,
                                        (a & uq) == 0,
                                        (a & uq) != 0 ? 1u : 2u,
                                        (a & uq) == up ? 1u : 2u,
                                        (a & uq) == 0 ? 1u : 2u,
                                        (a & uq) != up ? 1u : 2u,
                                        a * b + c,
                                        c + a * b,
                                        (a >> (up & 31)) & uq,
                                        a * b * 2u,
                                        a * a + a,
                                        ((a & uq) == up) + (a & uq),
                                        (a + up) & uq,
                                        a + (b << (up & 31)),
                                        (b << (up & 31)) + a,
                                        a + up + uq,
                                        (b + uq) * (a + up),
                                        (b + uq) * (a + up),
                                        times3(b, (a & 15) + 1),
                                        (a & 15) != 0 ? 1u : 2u,
                                        a != 0 ? b : 0u,
                                        a != 0 ? a : b,
                                        a != 0 ? c : b,
                                        a != 0 ? b : c,
                                        (a >> (up & 31)) ^ b,
                                        b ^ (a >> (up & 31)),
                                        a ^ (a >> (up & 31)),
                                        ((a >> (up & 31)) ^ b) + (a >> (up & 31)),
                                        (a & uq) != 0 ? b : c,
                                        (a & uq) != 0 ? a : b,
                                        ((a & uq) != 0 ? b : c) + (a & uq),
                                        (((a >> (up & 31)) ^ b) & 1) != 0 ? c : b};
          static_assert(sizeof want / sizeof want[0] == 34, "one per function");
          for (std::size_t i = 0; i < fns.size(); ++i) {
            wasm::value in[] = {wasm::value::from_i32(vx), wasm::value::from_i32(vy),
                                wasm::value::from_i32(static_cast<std::int32_t>(c))},
                        out[1];
            BOOST_TEST_REQUIRE(!s.call(inst.function("f" + std::to_string(i)), in, out));
            BOOST_TEST(static_cast<std::uint32_t>(out[0].i32()) == want[i],
                       "form " << i << " p " << p << " q " << q << " x " << vx << " y " << vy);
          }
        }
    }
}

BOOST_AUTO_TEST_CASE(i64_constant_operands_in_the_instruction) {
  // Each i64 operation that has a form with a constant operand (held in two
  // words), with the constant second, first, feeding a br_if and an if, and
  // its result set into a local; then both operands in locals, plain and
  // feeding a br_if; against C++. Comparisons widen to i64 (extend_i32_u);
  // arithmetic feeds a branch through `!= 0`.
  const std::uint8_t opcodes[] = {0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a,
                                  0x7c, 0x7d, 0x7e, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88};
  const std::int64_t values[] = {0,         1,         -1,         7,         63,        64,       -100,
                                 INT32_MIN, INT32_MAX, 0xffffffff, 1LL << 32, INT64_MIN, INT64_MAX};
  auto expect = [](std::uint8_t o, std::uint64_t a, std::uint64_t b) -> std::uint64_t {
    const auto sa = static_cast<std::int64_t>(a), sb = static_cast<std::int64_t>(b);
    switch (o) {
      case 0x51:
        return a == b;
      case 0x52:
        return a != b;
      case 0x53:
        return sa < sb;
      case 0x54:
        return a < b;
      case 0x55:
        return sa > sb;
      case 0x56:
        return a > b;
      case 0x57:
        return sa <= sb;
      case 0x58:
        return a <= b;
      case 0x59:
        return sa >= sb;
      case 0x5a:
        return a >= b;
      case 0x7c:
        return a + b;
      case 0x7d:
        return a - b;
      case 0x7e:
        return a * b;
      case 0x83:
        return a & b;
      case 0x84:
        return a | b;
      case 0x85:
        return a ^ b;
      case 0x86:
        return a << (b & 63);
      case 0x87:
        return static_cast<std::uint64_t>(sa >> (b & 63));
      default:
        return a >> (b & 63);
    }
  };
  for (std::uint8_t o : opcodes)
    for (std::int64_t c : values) {
      const bool cmp = o <= 0x5a;
      const bytes k = cat({{0x42}, sleb(c)}), x = {0x20, 0}, y = {0x20, 1};
      const bytes wide = cmp ? bytes{0xad} : bytes{}, test = cmp ? bytes{} : bytes{0x42, 0, 0x52};
      const bytes set = cmp ? bytes{0x21, 2, 0x20, 2, 0xad} : bytes{0x21, 0, 0x20, 0};
      const std::vector<bytes> fns = {
          cat({x, k, {o}, wide}),                                                         // x op c
          cat({k, x, {o}, wide}),                                                         // c op x
          cat({{0x02, 0x40}, x, k, {o}, test, {0x0d, 0, 0x42, 2, 0x0f, 0x0b, 0x42, 1}}),  // br_if (x op c)
          cat({k, x, {o}, test, {0x04, 0x7e, 0x42, 1, 0x05, 0x42, 2, 0x0b}}),             // if (c op x)
          cat({x, k, {o}, set}),                                                          // local.set (x op c)
          cat({x, y, {o}, wide}),                                                         // x op y
          cat({{0x02, 0x40}, x, y, {o}, test, {0x0d, 0, 0x42, 2, 0x0f, 0x0b, 0x42, 1}}),  // br_if (x op y)
      };
      wasm::module m = decode_ok(numbered_functions(functype({i64, i64}, {i64}), fns));
      wasm::store s;
      auto inst = s.instantiate(m, {}).value();
      for (std::int64_t v : values) {
        const auto a = static_cast<std::uint64_t>(v), b = static_cast<std::uint64_t>(c);
        const std::uint64_t want[] = {expect(o, a, b),           expect(o, b, a), expect(o, a, b) ? 1u : 2u,
                                      expect(o, b, a) ? 1u : 2u, expect(o, a, b), expect(o, a, b),
                                      expect(o, a, b) ? 1u : 2u};
        for (int i = 0; i < 7; ++i) {
          wasm::value in[] = {wasm::value::from_i64(v), wasm::value::from_i64(c)}, out[1];
          BOOST_TEST_REQUIRE(!s.call(inst.function("f" + std::to_string(i)), in, out));
          BOOST_TEST(static_cast<std::uint64_t>(out[0].i64()) == want[i],
                     "opcode 0x" << std::hex << int(o) << std::dec << " c " << c << " x " << v << " form " << i);
        }
      }
    }
}

namespace {
// (memory (export "mem") 1 4)
// (func (export "load") (param i32) (result i32) local.get 0 i32.load)
// (func (export "load_far") (param i32) (result i32) local.get 0 i32.load offset=0xffffff00)
// (func (export "store") (param i32 i32) local.get 0 local.get 1 i32.store)
// (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
bytes bounds_module() {
  return cat({header(), section(1, vec({functype({i32}, {i32}), functype({i32, i32}, {})})),
              section(3, vec({leb(0), leb(0), leb(1), leb(0)})), section(5, vec({{0x01, 0x01, 0x04}})),
              section(7, vec({export_func("load", 0), export_func("load_far", 1), export_func("store", 2),
                              export_func("grow", 3), cat({name("mem"), {0x02, 0x00}})})),
              section(10, vec({body({}, {0x20, 0, 0x28, 2, 0}), body({}, cat({{0x20, 0, 0x28, 2}, leb(0xffffff00u)})),
                               body({}, {0x20, 0, 0x20, 1, 0x36, 2, 0}), body({}, {0x20, 0, 0x40, 0})}))});
}

// Whether this build's stores take guard pages by default: 64-bit hosts
// whose platform turns access faults into returns, with a dispatcher that
// calls handlers through addresses (not the switch loop).
#if VITTE_OS_POSIX || (VITTE_OS_WINDOWS && defined(__GNUC__))
constexpr bool faults_return = true;
#else
constexpr bool faults_return = false;
#endif
constexpr bool guard_pages_expected = sizeof(void*) == 8 && VITTE_WASM_DISPATCH != 1 && faults_return;

wasm::store_limits with_guard_pages(bool on) {
  wasm::store_limits lim;
  lim.guard_pages = on;
  return lim;
}
}  // namespace

BOOST_AUTO_TEST_CASE(guarded_and_checked_memories_trap_alike) {
  wasm::module m = decode_ok(bounds_module());
  for (bool guarded : {true, false}) {
    BOOST_TEST_CONTEXT((guarded ? "guard pages" : "checked")) {
      wasm::store s(with_guard_pages(guarded));
      BOOST_TEST(s.guard_pages() == (guarded && guard_pages_expected));
      auto inst = s.instantiate(m, {}).value();
      wasm::memory mem = inst.memory("mem");
      auto load = [&](std::uint32_t at) {
        wasm::value in[] = {wasm::value::from_i32(static_cast<std::int32_t>(at))}, out[1];
        return s.call(inst.function("load"), in, out);
      };
      std::memcpy(mem.bytes().data() + 65532, "\x01\x02\x03\x04", 4);
      BOOST_TEST(!load(65532));
      // Every access that reaches past the end, by one byte or by 4 GiB,
      // traps; many in a row, each leaving the store as it was.
      for (std::uint32_t at : {65533u, 65535u, 65536u, 0x7fffffffu, 0xfffffffcu, 0xffffffffu})
        for (int k = 0; k < 20; ++k) BOOST_TEST(load(at).op() == wasm::ops::trap_memory_out_of_bounds);
      BOOST_TEST(s.last_trap().functions.size() == 1u);
      BOOST_TEST(s.last_trap().functions[0] == 0u);
      wasm::value beyond[] = {wasm::value::from_i32(-1)}, out[1];
      BOOST_TEST(s.call(inst.function("load_far"), beyond, out).op() == wasm::ops::trap_memory_out_of_bounds);
      beyond[0] = wasm::value::from_i32(0xfc);  // 0xffffff00 + 0xfc: 4 GiB - 4, past a 1-page memory
      BOOST_TEST(s.call(inst.function("load_far"), beyond, out).op() == wasm::ops::trap_memory_out_of_bounds);
      // A store that does not fit writes nothing.
      wasm::value st[] = {wasm::value::from_i32(65533), wasm::value::from_i32(-1)};
      BOOST_TEST(s.call(inst.function("store"), st, {}).op() == wasm::ops::trap_memory_out_of_bounds);
      BOOST_TEST(std::memcmp(mem.bytes().data() + 65532, "\x01\x02\x03\x04", 4) == 0);
      // Growing keeps the bytes (in place with guard pages) and the new page reads as zeros.
      const std::uint8_t* before = mem.bytes().data();
      wasm::value one[] = {wasm::value::from_i32(1)};
      BOOST_TEST(!s.call(inst.function("grow"), one, out));
      BOOST_TEST(out[0].i32() == 1);
      if (s.guard_pages()) BOOST_TEST(mem.bytes().data() == before);
      BOOST_TEST(std::memcmp(mem.bytes().data() + 65532, "\x01\x02\x03\x04", 4) == 0);
      BOOST_TEST(!load(65536 * 2 - 4));
      BOOST_TEST(!s.call(inst.function("store"), st, {}));
      BOOST_TEST(load(65536 * 2 - 3).op() == wasm::ops::trap_memory_out_of_bounds);
    }
  }
}

BOOST_AUTO_TEST_CASE(fused_loads_read_and_trap_as_their_two_instructions_do) {
  // The loads the translator fuses with the instruction before them
  // (impl/code.hpp: a copy, an i32.load of the address, a branch or an if
  // on the value loaded, the address computed just before, a constant
  // added to the value), a switch on x + k, (x & m) << s, two copies and a
  // copy before a compare-branch, with the forms that share their path (an and kept
  // in a local feeding a compare-branch, a constant then a copy), against
  // C++, in both memories: each access at the memory's end and past it
  // traps as the two instructions would, the first or the second.
  const bytes ret12 = {0x41, 2, 0x0f, 0x0b, 0x41, 1};             // after `br_if 0`: 2 when not taken, 1 when taken
  const bytes if12 = {0x04, 0x7f, 0x41, 1, 0x05, 0x41, 2, 0x0b};  // if 1 else 2
  const bytes load = {0x28, 2, 0}, load8 = {0x2d, 0, 0};
  const std::vector<bytes> fns = {
      {0x20, 0, 0x21, 2, 0x20, 2, 0x28, 2, 4, 0x20, 2, 0x6a},       // l2 = x; load(l2 + 4) + l2
      {0x20, 1, 0x21, 2, 0x20, 0, 0x28, 2, 0, 0x20, 2, 0x6a},       // l2 = y; load(x) + l2
      {0x20, 0, 0x28, 2, 0, 0x2d, 0, 1},                            // load8_u(load(x) + 1)
      {0x20, 0, 0x28, 2, 0, 0x2f, 1, 2},                            // load16_u(load(x) + 2)
      {0x20, 0, 0x28, 2, 0, 0x22, 2, 0x2d, 0, 3, 0x20, 2, 0x6a},    // l2 = load(x); load8_u(l2 + 3) + l2
      cat({{0x02, 0x40, 0x20, 0}, load, {0x0d, 0}, ret12}),         // br_if load(x)
      cat({{0x02, 0x40, 0x20, 0}, load, {0x45, 0x0d, 0}, ret12}),   // br_if !load(x)
      cat({{0x02, 0x40, 0x20, 0}, load8, {0x0d, 0}, ret12}),        // br_if load8_u(x)
      cat({{0x02, 0x40, 0x20, 0}, load8, {0x45, 0x0d, 0}, ret12}),  // br_if !load8_u(x)
      cat({{0x20, 0}, load, if12}),                                 // if load(x)
      cat({{0x20, 0}, load8, if12}),                                // if load8_u(x)
      cat({{0x20, 0}, load, {0x45}, if12}),                         // if !load(x)
      // l2 = load(x); br_if l2; return 2; ... l2
      cat({{0x02, 0x40, 0x20, 0}, load, {0x22, 2, 0x0d, 0, 0x41, 2, 0x0f, 0x0b, 0x20, 2}}),
      // l2 = y & 255; br_if (l2 == 44); return 2; ... l2
      {0x02, 0x40, 0x20, 1, 0x41, 0xff, 0x01, 0x71, 0x22, 2, 0x41, 44, 0x46, 0x0d, 0, 0x41, 2, 0x0f, 0x0b, 0x20, 2},
      // l2 = y & 255; br_if (l2 != 44); return 2; ... l2
      {0x02, 0x40, 0x20, 1, 0x41, 0xff, 0x01, 0x71, 0x22, 2, 0x41, 44, 0x47, 0x0d, 0, 0x41, 2, 0x0f, 0x0b, 0x20, 2},
      {0x41, 7, 0x21, 2, 0x20, 1, 0x21, 0, 0x20, 2, 0x20, 0, 0x6a},  // l2 = 7; x = y; l2 + x
      {0x41, 7, 0x21, 2, 0x20, 2, 0x21, 0, 0x20, 0},                 // l2 = 7; x = l2; x
      {0x20, 0, 0x28, 2, 0, 0x28, 2, 4},                             // load(load(x) + 4)
      {0x20, 0, 0x41, 0x78, 0x6a, 0x28, 2, 12},                      // load((x - 8) + 12): the sum wraps first
      {0x20, 0, 0x28, 2, 0, 0x41, 0x7d, 0x6a},                       // load(x) - 3
      {0x20, 0, 0x41, 4, 0x6a, 0x22, 2, 0x28, 2, 0, 0x20, 2, 0x6a},  // l2 = x + 4; load(l2) + l2
      {0x20, 0, 0x20, 1, 0x6a, 0x2d, 0, 1},                          // load8_u(x + y + 1)
      {0x20, 0, 0x20, 1, 0x41, 1, 0x74, 0x6a, 0x2e, 1, 2},           // load16_s(x + (y << 1) + 2)
      {0x20, 0, 0x41, 3, 0x6a, 0x2f, 1, 0},                          // load16_u(x + 3)
      {0x20, 0, 0x20, 1, 0x6a, 0x28, 2, 4},                          // load(x + y + 4)
      // switch (x - 16) { case 0: 10; case 1..4: 11; default: 12 }
      {0x02, 0x40, 0x02, 0x40, 0x02, 0x40, 0x20, 0,    0x41, 0x70, 0x6a, 0x0e, 5,    0,    1,
       1,    1,    1,    2,    0x0b, 0x41, 10,   0x0f, 0x0b, 0x41, 11,   0x0f, 0x0b, 0x41, 12},
      {0x20, 0, 0x41, 0xf0, 0x1f, 0x71, 0x41, 35, 0x74},             // (x & 0xff0) << 35
      {0x20, 0, 0x21, 2, 0x20, 2, 0x21, 1, 0x20, 1, 0x20, 2, 0x6a},  // l2 = x; y = l2; y + l2
      {0x20, 0, 0x21, 2, 0x20, 1, 0x21, 0, 0x20, 0, 0x20, 2, 0x6a},  // l2 = x; x = y; x + l2
      // l2 = y; br_if (x == 16); return 2; ... l2
      {0x02, 0x40, 0x20, 1, 0x21, 2, 0x20, 0, 0x41, 16, 0x46, 0x0d, 0, 0x41, 2, 0x0f, 0x0b, 0x20, 2},
      // l2 = x; br_if (l2 != 20); return 2; ... l2
      {0x02, 0x40, 0x20, 0, 0x21, 2, 0x20, 2, 0x41, 20, 0x47, 0x0d, 0, 0x41, 2, 0x0f, 0x0b, 0x20, 2},
  };
  constexpr std::uint32_t size = 65536;
  auto fill = [](std::uint8_t* m) {
    for (std::uint32_t i = 0; i < size; ++i) m[i] = static_cast<std::uint8_t>(i * 7 + 3);
    const std::uint32_t words[][2] = {{16, 100}, {20, 65534}, {24, 0}, {28, 0xfffffff0u}, {36, 65533}, {40, 65532}};
    for (const auto& w : words)
      for (int k = 0; k < 4; ++k) m[w[0] + k] = static_cast<std::uint8_t>(w[1] >> (8 * k));
  };
  std::vector<std::uint8_t> image(size);
  fill(image.data());
  // The two instructions' model: nothing when an access traps.
  using maybe = std::optional<std::uint32_t>;
  auto ld = [&](maybe a, std::uint32_t off, std::uint32_t n) -> maybe {
    if (!a || std::uint64_t{*a} + off + n > size) return std::nullopt;
    std::uint32_t v = 0;
    for (std::uint32_t k = 0; k < n; ++k) v |= std::uint32_t{image[*a + off + k]} << (8 * k);
    return v;
  };
  auto then = [](maybe v, auto f) -> maybe { return v ? maybe(f(*v)) : std::nullopt; };
  auto expect = [&](std::size_t form, std::uint32_t x, std::uint32_t y) -> maybe {
    const std::uint32_t m = y & 255;
    switch (form) {
      case 0:
        return then(ld(x, 4, 4), [&](std::uint32_t v) { return v + x; });
      case 1:
        return then(ld(x, 0, 4), [&](std::uint32_t v) { return v + y; });
      case 2:
        return ld(ld(x, 0, 4), 1, 1);
      case 3:
        return ld(ld(x, 0, 4), 2, 2);
      case 4: {
        maybe p = ld(x, 0, 4);
        return then(ld(p, 3, 1), [&](std::uint32_t v) { return v + *p; });
      }
      case 5:
      case 9:
        return then(ld(x, 0, 4), [](std::uint32_t v) { return v != 0 ? 1u : 2u; });
      case 6:
      case 11:
        return then(ld(x, 0, 4), [](std::uint32_t v) { return v == 0 ? 1u : 2u; });
      case 7:
      case 10:
        return then(ld(x, 0, 1), [](std::uint32_t v) { return v != 0 ? 1u : 2u; });
      case 8:
        return then(ld(x, 0, 1), [](std::uint32_t v) { return v == 0 ? 1u : 2u; });
      case 12:
        return then(ld(x, 0, 4), [](std::uint32_t v) { return v != 0 ? v : 2u; });
      case 13:
        return m == 44 ? m : 2u;
      case 14:
        return m != 44 ? m : 2u;
      case 15:
        return 7 + y;
      case 16:
        return 7u;
      case 17:
        return ld(ld(x, 0, 4), 4, 4);
      case 18:
        return ld(x - 8, 12, 4);
      case 19:
        return then(ld(x, 0, 4), [](std::uint32_t v) { return v - 3; });
      case 20:
        return then(ld(x + 4, 0, 4), [&](std::uint32_t v) { return v + x + 4; });
      case 21:
        return ld(x + y, 1, 1);
      case 22: {
        auto sext = [](std::uint32_t v) { return static_cast<std::uint32_t>(static_cast<std::int16_t>(v)); };
        return then(ld(x + (y << 1), 2, 2), sext);
      }
      case 23:
        return ld(x + 3, 0, 2);
      case 24:
        return ld(x + y, 4, 4);
      case 25:
        return x - 16 == 0 ? 10u : x - 16 <= 4 ? 11u : 12u;
      case 26:
        return (x & 0xff0) << 3;
      case 27:
        return 2 * x;
      case 28:
        return x + y;
      case 29:
        return x == 16 ? y : 2u;
      default:
        return x != 20 ? x : 2u;
    }
  };
  wasm::module mod = decode_ok(numbered_functions(functype({i32, i32}, {i32}), fns, true));
  for (bool guarded : {true, false}) {
    BOOST_TEST_CONTEXT((guarded ? "guard pages" : "checked")) {
      wasm::store s(with_guard_pages(guarded));
      auto inst = s.instantiate(mod, {}).value();
      fill(inst.memory("mem").bytes().data());
      for (std::uint32_t x : {16u, 20u, 24u, 28u, 32u, 36u, 40u, 0u, 65532u, 65533u, 65535u, 0xffffffffu})
        for (std::uint32_t y : {44u, 300u, 0u, 5u, 0xffffffffu})
          for (std::size_t i = 0; i < fns.size(); ++i) {
            wasm::value in[] = {wasm::value::from_i32(static_cast<std::int32_t>(x)),
                                wasm::value::from_i32(static_cast<std::int32_t>(y))},
                        out[1];
            const maybe want = expect(i, x, y);
            vitte::error e = s.call(inst.function("f" + std::to_string(i)), in, out);
            BOOST_TEST_CONTEXT("form " << i << " x " << x << " y " << y) {
              if (!want) {
                BOOST_TEST(e.op() == wasm::ops::trap_memory_out_of_bounds);
              } else {
                BOOST_TEST_REQUIRE(!e);
                BOOST_TEST(static_cast<std::uint32_t>(out[0].i32()) == *want);
              }
            }
          }
    }
  }
}

BOOST_AUTO_TEST_CASE(results_taken_from_the_accumulator_match_results_read_from_cells) {
  // Each instruction that has a form taking an operand from the
  // accumulator (impl/code.hpp), right after an instruction that made that
  // operand, against the same code with a block around the maker, whose
  // end is a label: there the operand is read back from its cell. Numeric
  // operations of each type (with the result just made as the first and
  // as the second operand), constants, loads and stores in both memories,
  // branches and compare-branches, if, select, a switch, the fused
  // arithmetic and loads, and branches that make a value for the
  // instruction after them. Every result and every trap must agree.
  auto c32 = [](std::int64_t k) { return cat({{0x41}, sleb(k)}); };
  auto c64 = [](std::int64_t k) { return cat({{0x42}, sleb(k)}); };
  const bytes x = {0x20, 0}, y = {0x20, 1}, ext = {0xad};
  const bytes add = {0x20, 0, 0x20, 1, 0x6a}, xor_ = {0x20, 0, 0x20, 1, 0x73};
  const bytes add64 = {0x20, 0, 0xac, 0x20, 1, 0xac, 0x7c};
  const bytes mul_f64 = {0x20, 0, 0xb7, 0x20, 1, 0xb7, 0xa2}, mul_f32 = {0x20, 0, 0xb2, 0x20, 1, 0xb2, 0x94};
  const bytes block = {0x02, 0x40}, taken = cat({c64(2), {0x0f, 0x0b}, c64(1)});  // after br_if: 2, or 1 when taken
  struct form {
    bytes outer, made, use;
    std::uint8_t type;  // of what `made` leaves
  };
  std::vector<form> forms;
  for (std::uint8_t u : {0x45, 0x67, 0x68, 0x69, 0xc0, 0xc1, 0xac}) forms.push_back({{}, add, {u, 0xad}, i32});
  forms.back().use = {0xac};  // i64.extend_i32_s
  for (int o = 0x46; o <= 0x78; ++o) {
    if (o >= 0x50 && o <= 0x69) continue;
    const std::uint8_t b = static_cast<std::uint8_t>(o);
    const bytes tail = {b, 0xad};
    forms.push_back({{}, add, cat({y, tail}), i32});  // the result just made first
    forms.push_back({y, xor_, tail, i32});            // ... and second
    for (std::int64_t k : {5, 31, -1}) forms.push_back({{}, add, cat({c32(k), tail}), i32});
  }
  for (int o = 0x51; o <= 0x8a; ++o) {
    if (o >= 0x5b && o <= 0x7b) continue;
    const std::uint8_t b = static_cast<std::uint8_t>(o);
    const bytes tail = b <= 0x5a ? bytes{b, 0xad} : bytes{b};
    forms.push_back({{}, add64, cat({{0x20, 1, 0xac}, tail}), i64});
    forms.push_back({{0x20, 1, 0xac, 0x21, 5}, add64, cat({{0x20, 5}, tail}), i64});  // l5 = i64(y)
    forms.push_back({{0x20, 1, 0xac}, add64, tail, i64});
    for (std::int64_t k : {3, 63, -7}) forms.push_back({{}, add64, cat({c64(k), tail}), i64});
  }
  for (std::uint8_t b : {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0x61, 0x63}) {
    const bytes tail = b < 0xa0 ? bytes{b, 0xad} : bytes{b, 0xbd};
    forms.push_back({{}, mul_f64, cat({{0x20, 1, 0xb7}, tail}), f64});
    forms.push_back({{0x20, 1, 0xb7, 0x21, 4}, mul_f64, cat({{0x20, 4}, tail}), f64});  // l4 = f64(y)
  }
  for (std::uint8_t u : {0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xb0, 0xaa, 0xb6})
    forms.push_back({{},
                     mul_f64,
                     u == 0xb0   ? bytes{u}
                     : u == 0xaa ? bytes{u, 0xad}
                     : u == 0xb6 ? bytes{u, 0xbc, 0xad}
                                 : bytes{u, 0xbd},
                     f64});
  for (std::uint8_t b : {0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x5b, 0x5d}) {
    const bytes tail = b < 0x92 ? bytes{b, 0xad} : bytes{b, 0xbc, 0xad};
    forms.push_back({{}, mul_f32, cat({{0x20, 1, 0xb2}, tail}), 0x7d});
    forms.push_back({{0x20, 1, 0xb2, 0x21, 3}, mul_f32, cat({{0x20, 3}, tail}), 0x7d});  // l3 = f32(y)
  }
  // Loads of the address just made, stores of the value just made.
  for (std::uint8_t l = 0x28; l <= 0x35; ++l)
    for (std::uint8_t off : {0, 3}) {
      const bytes tail = l == 0x2a                ? bytes{0xbc, 0xad}
                         : l == 0x2b              ? bytes{0xbd}
                         : l == 0x29 || l >= 0x30 ? bytes{}
                                                  : ext;
      forms.push_back({{}, add, cat({{l, 0, off}, tail}), i32});
    }
  for (std::uint8_t s = 0x36; s <= 0x3e; ++s) {
    const bool wide = s == 0x37 || s == 0x39 || s >= 0x3c;
    const bytes value = s == 0x38 ? mul_f32 : s == 0x39 ? mul_f64 : wide ? add64 : add;
    const std::uint8_t t = s == 0x38 ? 0x7d : s == 0x39 ? f64 : wide ? i64 : i32;
    forms.push_back({x, value, {s, 0, 2, 0x20, 0, 0x29, 0, 2}, t});
  }
  // Branches on the value just made.
  forms.push_back({block, add, cat({{0x0d, 0}, taken}), i32});
  forms.push_back({block, add, cat({{0x45, 0x0d, 0}, taken}), i32});
  for (std::uint8_t cmp = 0x46; cmp <= 0x4f; ++cmp) {
    forms.push_back({block, add, cat({y, {cmp, 0x0d, 0}, taken}), i32});
    forms.push_back({block, add, cat({c32(100), {cmp, 0x0d, 0}, taken}), i32});
  }
  for (std::uint8_t cmp = 0x51; cmp <= 0x5a; ++cmp) {
    forms.push_back({block, add64, cat({{0x20, 1, 0xac, cmp, 0x0d, 0}, taken}), i64});
    forms.push_back({block, add64, cat({c64(-100), {cmp, 0x0d, 0}, taken}), i64});
  }
  forms.push_back({{}, add, cat({{0x04, 0x7e}, c64(1), {0x05}, c64(2), {0x0b}}), i32});  // if
  forms.push_back({{0x20, 0, 0xac, 0x20, 1, 0xac}, xor_, {0x1b}, i32});                  // select
  forms.push_back({{}, add, {0x20, 1, 0x20, 0, 0x1b, 0xad}, i32});                       // select(made, y, x)
  // switch ((x ^ y) - 3) { case 0: 10; case 1: 11; default: 12 }
  forms.push_back(
      {{0x02, 0x40, 0x02, 0x40, 0x02, 0x40},
       xor_,
       cat({c32(-3), {0x6a, 0x0e, 2, 0, 1, 2, 0x0b}, c64(10), {0x0f, 0x0b}, c64(11), {0x0f, 0x0b}, c64(12)}),
       i32});
  // The fused arithmetic.
  for (const bytes& tail : {cat({c32(3), {0x76}, c32(255), {0x71, 0xad}}), cat({c32(15), {0x71}, c32(4), {0x46, 0xad}}),
                            cat({c32(15), {0x71}, c32(4), {0x47, 0xad}}), cat({y, {0x6c}, x, {0x6a, 0xad}}),
                            cat({c32(7), {0x6a}, c32(255), {0x71, 0xad}}), cat({y, c32(2), {0x74, 0x6a, 0xad}}),
                            cat({c32(255), {0x71}, c32(3), {0x74, 0xad}}), cat({c32(3), {0x76}, y, {0x73, 0xad}})})
    forms.push_back({{}, add, tail, i32});
  forms.push_back({{0x20, 0, 0xac, 0x20, 1, 0xac}, add, cat({c32(1), {0x71, 0x1b}}), i32});  // select on made & 1
  forms.push_back({cat({x, y}), add, cat({c32(6), {0x71, 0x1b, 0xad}}), i32});
  for (std::uint8_t cmp : {0x46, 0x47})
    forms.push_back({block, add, cat({c32(15), {0x71}, c32(4), {cmp, 0x0d, 0}, taken}), i32});
  forms.push_back({block, add, cat({c32(15), {0x71, 0x0d, 0}, taken}), i32});
  // l2 = made + 1 (or & 255); br_if l2 (== 44); return 2 (or l2 + 3 when it falls through)
  const bytes keep = {0x22, 2}, plus3 = cat({{0x20, 2}, c32(3), {0x6a, 0xad, 0x0f, 0x0b}, c64(1)});
  forms.push_back({block, xor_, cat({c32(1), {0x6a}, keep, {0x0d, 0}, taken}), i32});
  forms.push_back({block, xor_, cat({c32(1), {0x6a}, keep, {0x45, 0x0d, 0}, plus3}), i32});
  for (std::uint8_t cmp : {0x46, 0x47}) {
    forms.push_back({block, xor_, cat({c32(255), {0x71}, keep, c32(44), {cmp, 0x0d, 0}, taken}), i32});
    forms.push_back({block, xor_, cat({c32(255), {0x71}, keep, c32(44), {cmp, 0x0d, 0}, plus3}), i32});
  }
  // The fused loads, their address just made.
  for (const bytes& tail : {cat({c32(4), {0x6a, 0x28, 2, 0, 0xad}}), cat({y, {0x6a, 0x2d, 0, 1, 0xad}}),
                            cat({y, c32(1), {0x74, 0x6a, 0x2e, 1, 2, 0xad}}), bytes{0x28, 2, 0, 0x28, 2, 4, 0xad},
                            bytes{0x28, 2, 0, 0x2d, 0, 1, 0xad}, bytes{0x28, 2, 0, 0x2f, 1, 2, 0xad},
                            cat({{0x28, 2, 0}, c32(5), {0x6a, 0xad}})})
    forms.push_back({{}, xor_, tail, i32});
  for (std::uint8_t l : {0x28, 0x2d}) {
    forms.push_back({block, xor_, cat({{l, 0, 0, 0x0d, 0}, taken}), i32});
    forms.push_back({block, xor_, cat({{l, 0, 0, 0x45, 0x0d, 0}, taken}), i32});
    forms.push_back({block, xor_, cat({{l, 0, 0}, keep, {0x0d, 0}, plus3}), i32});
    forms.push_back({block, xor_, cat({{l, 0, 0}, keep, {0x45, 0x0d, 0}, plus3}), i32});
  }

  std::vector<bytes> fns;
  for (const form& f : forms) fns.push_back(cat({f.outer, f.made, f.use}));
  for (const form& f : forms) fns.push_back(cat({f.outer, {0x02, f.type}, f.made, {0x0b}, f.use}));
  // A loop whose first instruction reads what the instruction before the
  // loop made, while the back edge arrives with something else made last:
  // l2 = x; do { l2 += 1; } while (--y); l2
  fns.push_back(cat({{0x20, 0, 0x21, 2, 0x03, 0x40, 0x20, 2},
                     c32(1),
                     {0x6a, 0x21, 2, 0x20, 1},
                     c32(1),
                     {0x6b, 0x22, 1, 0x0d, 0, 0x0b, 0x20, 2, 0xad}}));
  wasm::module mod = decode_ok(numbered_functions(functype({i32, i32}, {i64}), fns, true));
  const std::size_t n = forms.size();
  for (bool guarded : {true, false}) {
    BOOST_TEST_CONTEXT((guarded ? "guard pages" : "checked")) {
      wasm::store s(with_guard_pages(guarded));
      auto inst = s.instantiate(mod, {}).value();
      std::uint8_t* m = inst.memory("mem").bytes().data();
      for (std::uint32_t i = 0; i < 65536; ++i) m[i] = static_cast<std::uint8_t>(i * 13 + 5);
      for (std::uint32_t a :
           {0u, 1u, 5u, 100u, 65530u, 65535u, 65536u, 0x7fffffffu, 0x80000000u, 0xfffffff0u, 0xffffffffu})
        for (std::uint32_t b : {0u, 1u, 3u, 44u, 300u, 65535u, 0x80000000u, 0xffffffffu})
          for (std::size_t i = 0; i < n; ++i) {
            wasm::value in[] = {wasm::value::from_i32(static_cast<std::int32_t>(a)),
                                wasm::value::from_i32(static_cast<std::int32_t>(b))},
                        got[1], want[1];
            vitte::error eg = s.call(inst.function("f" + std::to_string(i)), in, got);
            vitte::error ew = s.call(inst.function("f" + std::to_string(n + i)), in, want);
            BOOST_TEST_CONTEXT("form " << i << " x " << a << " y " << b) {
              BOOST_TEST(eg.op() == ew.op());
              if (!eg && !ew) BOOST_TEST(got[0].i64() == want[0].i64());
            }
          }
      for (std::uint32_t a : {0u, 1u, 6u, 7u, 0xfffffffeu}) {
        wasm::value in[] = {wasm::value::from_i32(static_cast<std::int32_t>(a)), wasm::value::from_i32(9)}, out[1];
        BOOST_TEST_REQUIRE(!s.call(inst.function("f" + std::to_string(2 * n)), in, out));
        BOOST_TEST(static_cast<std::uint32_t>(out[0].i64()) == a + 9);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(an_out_of_bounds_trap_under_a_host_call_stops_the_inner_call_only) {
  // (import "env" "handles" (func (param i32) (result i32)))
  // (memory 1)
  // (func (export "outer") (param i32) (result i32) local.get 0 call 0 i32.const 1000 i32.add)
  // (func (export "fails") (param i32) (result i32) local.get 0 i32.load)
  bytes b = cat(
      {header(), section(1, vec({functype({i32}, {i32})})),
       section(2, vec({cat({name("env"), name("handles"), {0x00}, leb(0)})})), section(3, vec({leb(0), leb(0)})),
       section(5, vec({{0x00, 0x01}})), section(7, vec({export_func("outer", 1), export_func("fails", 2)})),
       section(10,
               vec({body({}, cat({{0x20, 0, 0x10, 0, 0x41}, sleb(1000), {0x6a}})), body({}, {0x20, 0, 0x28, 2, 0})}))});
  wasm::module m = decode_ok(b);
  for (bool guarded : {true, false}) {
    BOOST_TEST_CONTEXT((guarded ? "guard pages" : "checked")) {
      wasm::store s(with_guard_pages(guarded));
      handler h{&s, {}, {}};
      wasm::imports env;
      env.add("env", "handles",
              s.host_function({{wasm::value_type::i32}, {wasm::value_type::i32}}, handle_by_value, &h));
      auto inst = s.instantiate(m, env).value();
      h.fails = inst.function("fails");
      for (int k = 0; k < 3; ++k) {
        wasm::value in[] = {wasm::value::from_i32(70000)}, out[1];
        h.seen = {};
        BOOST_TEST(!s.call(inst.function("outer"), in, out));
        BOOST_TEST(out[0].i32() == 71001);
        BOOST_TEST(h.seen.op() == wasm::ops::trap_memory_out_of_bounds);
        // And straight from the host, outside any call.
        BOOST_TEST(s.call(inst.function("fails"), in, out).op() == wasm::ops::trap_memory_out_of_bounds);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(a_store_with_guard_pages_imports_only_memories_with_guard_pages) {
  // (import "env" "mem" (memory 1)) (func (export "load") (param i32) (result i32) local.get 0 i32.load)
  bytes b = cat({header(), section(1, vec({functype({i32}, {i32})})),
                 section(2, vec({cat({name("env"), name("mem"), {0x02, 0x00, 0x01}})})), section(3, vec({leb(0)})),
                 section(7, vec({export_func("load", 0)})), section(10, vec({body({}, {0x20, 0, 0x28, 2, 0})}))});
  wasm::module m = decode_ok(b);
  wasm::store checked(with_guard_pages(false)), guarded(with_guard_pages(true));
  wasm::imports env;
  env.add("env", "mem", checked.new_memory({{1, 1, true}}).value());
  vitte::diagnostic_list why;
  auto r = guarded.instantiate(m, env, &why);
  if (guarded.guard_pages()) {
    BOOST_TEST_REQUIRE(!r.has_value());
    BOOST_TEST(r.error() == vitte::errc::not_found);
    BOOST_TEST(why.contains("env.mem: a memory without guard pages"), why.joined().c_str());
  } else {
    BOOST_TEST(r.has_value());
  }
  // The other way round is safe: the checked store checks every access.
  wasm::imports env2;
  env2.add("env", "mem", guarded.new_memory({{1, 1, true}}).value());
  auto inst = checked.instantiate(m, env2).value();
  wasm::value in[] = {wasm::value::from_i32(65533)}, out[1];
  BOOST_TEST(checked.call(inst.function("load"), in, out).op() == wasm::ops::trap_memory_out_of_bounds);
}

BOOST_AUTO_TEST_CASE(a_memory_grows_a_page_at_a_time_keeping_its_bytes) {
  // (memory (export "mem") 0) (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
  // (func (export "poke") (param i32 i32) local.get 0 local.get 1 i32.store8)
  bytes b = cat({header(), section(1, vec({functype({i32}, {i32}), functype({i32, i32}, {})})),
                 section(3, vec({leb(0), leb(1)})), section(5, vec({{0x00, 0x00}})),
                 section(7, vec({export_func("grow", 0), export_func("poke", 1), cat({name("mem"), {0x02, 0x00}})})),
                 section(10, vec({body({}, {0x20, 0, 0x40, 0}), body({}, {0x20, 0, 0x20, 1, 0x3a, 0, 0})}))});
  wasm::module m = decode_ok(b);
  for (bool guarded : {true, false}) {
    BOOST_TEST_CONTEXT((guarded ? "guard pages" : "checked")) {
      wasm::store s(with_guard_pages(guarded));
      auto inst = s.instantiate(m, {}).value();
      wasm::memory mem = inst.memory("mem");
      constexpr int pages = 256;
      bool all = true;
      for (int p = 0; p < pages; ++p) {
        wasm::value in[] = {wasm::value::from_i32(1)}, out[1];
        all = all && !s.call(inst.function("grow"), in, out) && out[0].i32() == p;
        wasm::value poke[] = {wasm::value::from_i32(p * 65536 + 65535), wasm::value::from_i32(p + 1)};
        all = all && !s.call(inst.function("poke"), poke, {});
      }
      BOOST_TEST(all);
      BOOST_TEST(mem.pages() == static_cast<std::uint64_t>(pages));
      int wrong = 0;
      for (int p = 0; p < pages; ++p) {
        const std::uint8_t* page = mem.bytes().data() + p * 65536;
        wrong += page[65535] != static_cast<std::uint8_t>(p + 1) || page[0] != 0 || page[32768] != 0;
      }
      BOOST_TEST(wrong == 0);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_memory_given_back_comes_again_as_zeros) {
  // Stores come and go; their memories' address space may be reused (guard
  // pages keep some reservations for the next memory), never their bytes.
  int dirty = 0;
  for (int round = 0; round < 40; ++round) {
    wasm::store s;
    wasm::memory m = s.new_memory({{2, 4, true}}).value();
    if (round % 2 == 1) BOOST_TEST(m.grow(1).has_value());
    vitte::span<std::uint8_t> b = m.bytes();
    for (std::size_t i = 0; i < b.size(); i += 4093) dirty += b[i] != 0;
    dirty += b[b.size() - 1] != 0;
    std::memset(b.data(), 0xab, b.size());
  }
  BOOST_TEST(dirty == 0);
}

BOOST_AUTO_TEST_CASE(functions_tables_and_reference_globals_of_another_store_are_refused) {
  // (import "env" "f" (func (param i32) (result i32))) (import "env" "t" (table 1 funcref))
  // (import "env" "r" (global funcref)) (import "env" "n" (global i32))
  bytes b = cat({header(), section(1, vec({functype({i32}, {i32})})),
                 section(2, vec({cat({name("env"), name("f"), {0x00}, leb(0)}),
                                 cat({name("env"), name("t"), {0x01, 0x70, 0x00, 0x01}}),
                                 cat({name("env"), name("r"), {0x03, 0x70, 0x00}}),
                                 cat({name("env"), name("n"), {0x03, 0x7f, 0x00}})}))});
  wasm::module m = decode_ok(b);
  using vt = wasm::value_type;
  wasm::store other, here;
  auto fill = [&](wasm::store& s) {
    wasm::imports env;
    env.add("env", "f", s.host_function({{vt::i32}, {vt::i32}}, handle_by_value, nullptr));
    env.add("env", "t", s.new_table({vt::funcref, {1, 1, true}}, wasm::value::from_ref(vt::funcref, nullptr)).value());
    env.add("env", "r", s.new_global({vt::funcref, false}, wasm::value::from_ref(vt::funcref, nullptr)).value());
    env.add("env", "n", s.new_global({vt::i32, false}, wasm::value::from_i32(7)).value());
    return env;
  };
  vitte::diagnostic_list why;
  auto r = here.instantiate(m, fill(other), &why);
  BOOST_TEST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error() == vitte::errc::not_found);
  std::string msg = why.joined().c_str();
  for (const char* want :
       {"env.f: a func of another store", "env.t: a table of another store", "env.r: a global of another store"})
    BOOST_TEST(msg.find(want) != std::string::npos, msg);
  BOOST_TEST(msg.find("env.n") == std::string::npos, msg);  // a number is only data
  BOOST_TEST(here.instantiate(m, fill(here)).has_value());
}

#if defined(__cpp_exceptions)
namespace {
vitte::error throws_on_negative(void*, vitte::span<const wasm::value> args, vitte::span<wasm::value> results) {
  if (args[0].i32() < 0) throw std::runtime_error("negative");
  results[0] = wasm::value::from_i32(args[0].i32() * 2);
  return {};
}
}  // namespace

BOOST_AUTO_TEST_CASE(an_exception_from_a_host_function_passes_through_and_the_store_goes_on) {
  // (import "env" "h" (func (param i32) (result i32))) (memory 1)
  // (func (export "f") (param i32) (result i32) local.get 0 call 0 i32.const 1 i32.add)
  // (func (export "load") (param i32) (result i32) local.get 0 i32.load)
  bytes b = cat({header(), section(1, vec({functype({i32}, {i32})})),
                 section(2, vec({cat({name("env"), name("h"), {0x00}, leb(0)})})), section(3, vec({leb(0), leb(0)})),
                 section(5, vec({{0x00, 0x01}})), section(7, vec({export_func("f", 1), export_func("load", 2)})),
                 section(10, vec({body({}, {0x20, 0, 0x10, 0, 0x41, 1, 0x6a}), body({}, {0x20, 0, 0x28, 2, 0})}))});
  wasm::module m = decode_ok(b);
  for (bool guarded : {true, false}) {
    BOOST_TEST_CONTEXT((guarded ? "guard pages" : "checked")) {
      wasm::store s(with_guard_pages(guarded));
      wasm::imports env;
      env.add("env", "h",
              s.host_function({{wasm::value_type::i32}, {wasm::value_type::i32}}, throws_on_negative, nullptr));
      auto inst = s.instantiate(m, env).value();
      wasm::value in[] = {wasm::value::from_i32(-1)}, out[1];
      int thrown = 0;  // more than max_call_depth (20,000): a call the exception ended leaves no frame behind
      for (int k = 0; k < 25000; ++k) {
        try {
          (void)s.call(inst.function("f"), in, out);
        } catch (const std::runtime_error&) {
          ++thrown;
        }
      }
      BOOST_TEST(thrown == 25000);
      in[0] = wasm::value::from_i32(20);
      BOOST_TEST(!s.call(inst.function("f"), in, out));
      BOOST_TEST(out[0].i32() == 41);
      in[0] = wasm::value::from_i32(65536);  // and a fault is still a trap
      BOOST_TEST(s.call(inst.function("load"), in, out).op() == wasm::ops::trap_memory_out_of_bounds);
    }
  }
}
#endif

BOOST_AUTO_TEST_SUITE_END()
