// WebAssembly modules in the loader: .wasm files found in the search paths
// and signed wasm containers load, link with native plugins and the host in
// both directions, and are called with C++ types.
#include <vitte/crypto/ed25519.hpp>
#include <vitte/loader/loader.hpp>
#include <vitte/loader/vitmod.hpp>
#include <vitte/loader/wasm_executor.hpp>
#include <vitte/loader/wasm_module.hpp>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "loader_fixture.hpp"

namespace vl = vitte::loader;
namespace sys = vitte::sys;
namespace ed = vitte::crypto::ed25519;
using loader_test::natives_unavailable;
using loader_test::scenario;
using vitte::errc;

namespace {

std::string wasm_path(const std::string& name) {
  return sys::path_join(sys::path_join(sys::path_join(loader_test::exe_dir(), "loader"), "wasm"), name + ".wasm");
}

// The bytes of tests/loader/wasm/<name>.wat as wat2wasm assembled them;
// empty (and the test says why) when wabt was not there at build time.
std::vector<std::byte> assembled(const std::string& name) {
  auto bytes = sys::read_file(wasm_path(name));
  if (!bytes) return {};
  return std::vector<std::byte>(bytes->begin(), bytes->end());
}

bool have_wasm() {
  if (sys::exists(wasm_path("calc"))) return true;
  BOOST_TEST_MESSAGE("skipped: " + wasm_path("calc") +
                     " was not built (wat2wasm, Debian package wabt, was missing at build time)");
  return false;
}

std::vector<std::byte> with_section(std::vector<std::byte> wasm, const vl::wasm_module_section& s) {
  const std::vector<std::byte> sec = vl::encode_wasm_module_section(s);
  wasm.insert(wasm.end(), sec.begin(), sec.end());
  return wasm;
}

vl::wasm_module_section calc_section() {
  vl::wasm_module_section s;
  s.name = "calc_wasm";
  s.version = "1.2.0";
  s.dependencies.push_back({"wasm_low", "^1.0", vl::dependency_flags::none});
  s.exports.push_back({"wide", "FU8U8E"});  // typed more precisely than i64
  return s;
}

void put(const scenario& s, const std::string& file, const std::vector<std::byte>& bytes) {
  BOOST_REQUIRE(sys::write_file(sys::path_join(s.dir, file), std::span<const std::byte>(bytes)).has_value());
}

int host_offset(int x) { return x + 100; }

}  // namespace

BOOST_AUTO_TEST_SUITE(loader_wasm)

BOOST_AUTO_TEST_CASE(a_wasm_module_and_native_plugins_call_each_other) {
  if (!have_wasm() || natives_unavailable()) return;
  scenario s{"wasm_low", "wasm_high"};
  put(s, "calc.wasm", with_section(assembled("calc"), calc_section()));
  vl::wasm_executor wasm;
  {
    vl::loader l({.search = {.paths = {s.dir}}});
    BOOST_REQUIRE(l.register_executor(vl::payload_kind::wasm, wasm).has_value());
    BOOST_REQUIRE(l.export_symbol<int(int)>("offset", &host_offset).has_value());
    vitte::diagnostic_list why;
    auto high = l.load("wasm_high", &why);
    BOOST_TEST_REQUIRE(high.has_value(), why.joined().c_str());
    // host -> native wasm_high -> wasm calc_wasm -> native wasm_low
    auto quad = high->find<int(int)>("quad_square");
    BOOST_TEST_REQUIRE(quad.has_value());
    BOOST_TEST((*quad)(3) == 36);  // 2 * (2 * 3 * 3)
    // The wasm module is a module like the others.
    auto calc = l.find("calc_wasm");
    BOOST_TEST_REQUIRE(calc.has_value());
    BOOST_TEST(calc->version() == "1.2.0");
    BOOST_TEST((calc->info().source.format == vl::module_format::wasm));
    BOOST_TEST(calc->info().dependencies.size() == 1u);
    auto twice = calc->find<int(int)>("twice_square");
    BOOST_TEST_REQUIRE(twice.has_value());
    BOOST_TEST((*twice)(5) == 50);
    BOOST_TEST(calc->find<int()>("calls").value()() == 2);             // one call through wasm_high, one here
    BOOST_TEST(calc->find<int(int)>("add_offset").value()(1) == 101);  // the host's export
    BOOST_TEST(calc->find<double(double, float)>("fsum").value()(1.5, 2.25f) == 3.75);
    BOOST_TEST(calc->find<std::uint64_t(std::uint64_t)>("wide").value()(1ull << 40) == 3ull << 40);
    // The same thunk serves every find of the export.
    BOOST_TEST(calc->find<int(int)>("twice_square").value().raw() == twice->raw());
    // Types are checked: the section typed `wide` as unsigned, and wasm
    // i32 is int32_t, not unsigned.
    BOOST_TEST(calc->find<std::int64_t(std::int64_t)>("wide").error() == errc::verification_failed);
    BOOST_TEST(calc->find<unsigned(unsigned)>("twice_square").error() == errc::verification_failed);
    // Several results: untyped for C++.
    BOOST_TEST(calc->find<int()>("pair").error() == errc::verification_failed);
    // A trap in a call from C++ returns 0 and says so.
    auto div = calc->find<int(int, int)>("div").value();
    BOOST_TEST(div(7, 2) == 3);
    BOOST_TEST(vl::last_cell_failure() == 0);
    BOOST_TEST(div(1, 0) == 0);
    BOOST_TEST(vl::last_cell_failure() != 0);
    BOOST_TEST(vl::last_cell_failure() == 0);  // read once
    BOOST_TEST(div(9, 3) == 3);                // the module still works after a trap
  }
}

BOOST_AUTO_TEST_CASE(every_import_is_checked_before_anything_runs) {
  if (!have_wasm() || natives_unavailable()) return;
  scenario s{"wasm_low"};
  vl::wasm_module_section sec;
  sec.name = "mismatch";
  sec.version = "1.0.0";
  sec.dependencies.push_back({"wasm_low", "*", vl::dependency_flags::none});
  put(s, "mismatch.wasm", with_section(assembled("mismatch"), sec));
  vl::wasm_executor wasm;
  vl::loader l({.search = {.paths = {s.dir}}});
  BOOST_REQUIRE(l.register_executor(vl::payload_kind::wasm, wasm).has_value());
  vitte::diagnostic_list why;
  auto m = l.load("mismatch", &why);
  BOOST_TEST_REQUIRE(!m.has_value());
  const std::string text = why.joined().c_str();
  BOOST_TEST(why.size() == 3u);  // the count, then an entry per import, about the module
  for (const vitte::diagnostic& d : why.items()) BOOST_TEST(d.subject() == "mismatch");
  BOOST_TEST(text.find("2 unresolved import(s)") != std::string::npos, text);
  BOOST_TEST(text.find("wasm_low.square: wasm_low 1.0.0 exports it with another signature") != std::string::npos, text);
  BOOST_TEST(text.find("host.nothing: host does not export it") != std::string::npos, text);
  BOOST_TEST(!l.find("mismatch").has_value());
}

BOOST_AUTO_TEST_CASE(a_module_without_a_section_is_named_after_its_file) {
  if (!have_wasm()) return;
  scenario s{};
  put(s, "plain.wasm", assembled("plain"));
  vl::wasm_executor wasm;
  vl::loader l({.search = {.paths = {s.dir}}});
  BOOST_REQUIRE(l.register_executor(vl::payload_kind::wasm, wasm).has_value());
  auto m = l.load("plain");
  BOOST_TEST_REQUIRE(m.has_value());
  BOOST_TEST(m->version() == "0.0.0");
  BOOST_TEST(m->find<int()>("answer").value()() == 42);
  // load_file too, and the same module comes back.
  auto again = l.load_file(sys::path_join(s.dir, "plain.wasm"));
  BOOST_TEST_REQUIRE(again.has_value());
  BOOST_TEST((*again == *m));
}

BOOST_AUTO_TEST_CASE(without_the_executor_a_wasm_module_is_refused_by_name) {
  if (!have_wasm()) return;
  scenario s{};
  put(s, "plain.wasm", assembled("plain"));
  vl::loader l({.search = {.paths = {s.dir}}});
  vitte::diagnostic_list why;
  auto m = l.load("plain", &why);
  BOOST_TEST_REQUIRE(!m.has_value());
  BOOST_TEST(why.contains("payload kind wasm"), why.joined().c_str());
}

BOOST_AUTO_TEST_CASE(a_signed_wasm_container_is_verified_then_run) {
  if (!have_wasm()) return;
  scenario s{};
  ed::seed seed{};
  seed.fill(11);
  const ed::key_pair key = ed::key_pair_from_seed(seed);
  vl::vitmod_builder b;
  b.manifest.name = "boxed";
  b.manifest.version = "2.0.0";
  b.manifest.exports.push_back({"answer", vl::symbol_kind::function, 1});
  b.payload_kind = vl::payload_kind::wasm;
  const std::vector<std::byte> code = assembled("plain");
  b.payload = code;
  put(s, "boxed.vitmod", b.build(&key));
  vl::trust_store trust;
  trust.add(key.public_key, "release");
  vl::wasm_executor wasm;
  {
    vl::loader l({.search = {.paths = {s.dir}}, .trust = trust});
    BOOST_REQUIRE(l.register_executor(vl::payload_kind::wasm, wasm).has_value());
    vitte::diagnostic_list why;
    auto m = l.load("boxed", &why);
    BOOST_TEST_REQUIRE(m.has_value(), why.joined().c_str());
    BOOST_TEST((m->info().source.signature == vl::signature_state::verified));
    BOOST_TEST(m->find<int()>("answer").value()() == 42);
  }
  {
    // Signed by a key nobody trusts: refused before a byte of wasm is decoded.
    vl::loader l({.search = {.paths = {s.dir}}});
    BOOST_REQUIRE(l.register_executor(vl::payload_kind::wasm, wasm).has_value());
    BOOST_TEST(!l.load("boxed").has_value());
  }
}

BOOST_AUTO_TEST_CASE(fuel_stops_a_module_that_spins_and_the_caller_hears_of_it) {
  if (!have_wasm() || natives_unavailable()) return;
  scenario s{"wasm_low"};
  put(s, "calc.wasm", with_section(assembled("calc"), calc_section()));
  vl::wasm_executor_options o;
  o.limits.fuel = true;
  o.fuel = 100000;
  vl::wasm_executor wasm(o);
  vl::loader l({.search = {.paths = {s.dir}}});
  BOOST_REQUIRE(l.register_executor(vl::payload_kind::wasm, wasm).has_value());
  BOOST_REQUIRE(l.export_symbol<int(int)>("offset", &host_offset).has_value());
  auto calc = l.load("calc_wasm");
  BOOST_TEST_REQUIRE(calc.has_value());
  calc->find<void()>("spin").value()();
  BOOST_TEST(vl::last_cell_failure() == static_cast<int>(errc::limit_exceeded));
}

BOOST_AUTO_TEST_CASE(the_section_round_trips_and_hostile_bytes_are_named) {
  vl::wasm_module_section s = calc_section();
  s.imports.push_back({"wasm_low", "square", "FI4I4E"});
  const std::vector<std::byte> sec = vl::encode_wasm_module_section(s);
  // id 0, size, name "vitte.module", payload
  std::size_t at = 2;  // the size fits one byte here
  BOOST_TEST_REQUIRE(static_cast<std::size_t>(sec[at]) == vl::wasm_module_section_name.size());
  at += 1 + vl::wasm_module_section_name.size();
  vl::wasm_module_section back;
  BOOST_TEST_REQUIRE(vl::decode_wasm_module_section(std::span<const std::byte>(sec).subspan(at), back));
  BOOST_TEST(back.name == "calc_wasm");
  BOOST_TEST(back.version == "1.2.0");
  BOOST_TEST(back.dependencies.size() == 1u);
  BOOST_TEST(back.exports.size() == 1u);
  BOOST_TEST(back.imports.size() == 1u);
  BOOST_TEST(back.imports[0].signature == "FI4I4E");
  // Every truncation of the payload is refused, with the place.
  for (std::size_t n = 0; n + at < sec.size(); ++n) {
    vl::wasm_module_section x;
    vitte::diagnostic why;
    BOOST_TEST(!vl::decode_wasm_module_section(std::span<const std::byte>(sec).subspan(at, n), x, &why));
    BOOST_TEST(!why.message().empty());
    BOOST_TEST(why.subject() == vl::wasm_module_section_name);
    BOOST_TEST((why.kind() == vitte::errc::malformed));
    BOOST_TEST(why.offset() <= n);
  }
  // A module whose section types an export with another shape is refused.
  if (!have_wasm()) return;
  vl::wasm_module_section wrong = calc_section();
  wrong.exports[0].signature = "FI4I4E";  // wide is (i64) -> i64
  vitte::diagnostic why;
  const std::vector<std::byte> bytes = with_section(assembled("calc"), wrong);
  auto info = vl::read_wasm_module(bytes, "calc.wasm", &why);
  BOOST_TEST_REQUIRE(!info.has_value());
  BOOST_TEST(std::string(why.message()).find("does not match its wasm type") != std::string::npos);
  BOOST_TEST(why.subject() == wrong.exports[0].name);  // the export concerned
  BOOST_TEST((why.kind() == info.error().kind()));
  // Truncated modules: an error with an offset, never a crash.
  for (std::size_t n = 0; n < bytes.size(); n += 7) {
    vitte::diagnostic w;
    auto cut = vl::read_wasm_module(std::span<const std::byte>(bytes).first(n), "calc.wasm", &w);
    if (!cut) BOOST_TEST((w.kind() == cut.error().kind()));
    if (!cut) BOOST_TEST(w.has_offset());
  }
}

BOOST_AUTO_TEST_SUITE_END()
