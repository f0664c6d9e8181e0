// Loader: resolving, linking, caching and unloading the sample plugins of
// tests/plugins/: a chain a -> b -> c with a host import, a diamond, a cycle,
// versions (highest compatible wins, conflicts), missing modules and
// symbols, a signature mismatch, an ABI-major mismatch and a plugin for
// another architecture (refused from metadata, never given to the OS
// loader), lazy dependencies, retired modules, typed symbols that keep
// their module alive, and concurrent loads.
#include <vitte/loader/elf.hpp>
#include <vitte/loader/loader.hpp>
#include <vitte/loader/pe.hpp>
#include <vitte/sys/thread.hpp>
#include <vitte/sys/whole_file.hpp>

#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "loader_fixture.hpp"

namespace vl = vitte::loader;
using vitte::errc;
using namespace loader_test;

namespace {

bool skip_without_loader() {
  if (can_load_plugins()) return false;
  scenario s{"chain_c"};
  vl::loader l(with_backend({.search = {.paths = {s.dir}}}));
  vitte::diagnostic_list why;
  auto m = l.load("chain_c", &why);
  BOOST_TEST(m.error() == errc::not_supported);  // a clear error, not a crash
  BOOST_TEST_MESSAGE("skipped: this build cannot load shared libraries (static binary): " << why.joined().c_str());
  return true;
}

// Patches a copy of a plugin so that its metadata (and container) claim
// `arch` or ABI major `abi`.
void patch(const std::string& path, std::uint16_t abi_major, bool foreign_arch) {
  auto bytes = bytes_of(path);
  std::span<const std::byte> all(bytes.data(), bytes.size());
  std::uint64_t meta = 0;
  std::uint64_t machine_at = 0;
  if (vl::detect_format(all) == vl::module_format::elf) {
    auto elf = vl::elf::reader::parse(all).value();
    meta = elf.find_section(VITTE_PLUGIN_ELF_SECTION).value().offset;
    machine_at = 18;
  } else {
    auto pe = vl::pe::reader::parse(all).value();
    meta = pe.find_section(VITTE_PLUGIN_PE_SECTION).value().raw_offset;
    std::uint32_t lfanew = 0;
    std::memcpy(&lfanew, bytes.data() + 0x3c, 4);
    machine_at = lfanew + 4u;
  }
  auto put16 = [&](std::uint64_t at, std::uint16_t v) {
    bytes[at] = std::byte(v & 0xff);
    bytes[at + 1] = std::byte(v >> 8);
  };
  put16(meta + 10, abi_major);
  if (foreign_arch) {
    const bool elf = machine_at == 18;
    const bool on_arm = vl::host_architecture == vl::architecture::aarch64;
    put16(machine_at, elf ? (on_arm ? vl::elf::em_x86_64 : vl::elf::em_aarch64)
                          : (on_arm ? vl::pe::machine_amd64 : vl::pe::machine_arm64));
    put16(meta + 14, on_arm ? VITTE_ARCH_X86_64 : VITTE_ARCH_AARCH64);
  }
  BOOST_REQUIRE(sys::write_file(path, std::span<const std::byte>(bytes.data(), bytes.size())).has_value());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(loader)

BOOST_AUTO_TEST_CASE(chain_with_host_import) {
  if (skip_without_loader()) return;
  scenario s{"chain_a", "chain_b", "chain_c"};
  vl::loader l(with_backend({.search = {.paths = {s.dir}}}));
  BOOST_REQUIRE(l.export_symbol<int(int, int)>("add", &host_add).has_value());
  BOOST_TEST(l.export_symbol<int(int, int)>("add", &host_add).error() == errc::already_exists);
  vl::module a = load_ok(l, "chain_a");
  auto a_value = a.find<int()>("a_value").value();
  BOOST_TEST(a_value() == 123);  // host add(100, b_value() = 20 + c_value() = 3)
  auto init_calls = a.find<int>("init_calls").value();
  BOOST_TEST(*init_calls == 1);
  // Load order: dependencies first.
  auto mods = l.modules();
  BOOST_REQUIRE(mods.size() == 3u);
  BOOST_TEST(mods[0].name() == "chain_c");
  BOOST_TEST(mods[1].name() == "chain_b");
  BOOST_TEST(mods[2].name() == "chain_a");
  BOOST_TEST(mods[1].version() == "1.2.0");
  // Loading again returns the same module; by path too.
  vl::module again = load_ok(l, "chain_a");
  BOOST_TEST((again == a));
  auto by_path = l.load_file(sys::path_join(s.dir, plugin_file("chain_a")));
  BOOST_REQUIRE(by_path.has_value());
  BOOST_TEST((*by_path == a));
  BOOST_TEST(*init_calls == 1);
  // Wrong type or kind: refused.
  BOOST_TEST(a.find<int(int)>("a_value").error() == errc::verification_failed);
  BOOST_TEST(a.find<int()>("init_calls").error() == errc::verification_failed);
  BOOST_TEST(a.find<int()>("nope").error() == errc::not_found);
  BOOST_TEST(a.find_raw("a_value") == reinterpret_cast<void*>(a_value.raw()));
}

BOOST_AUTO_TEST_CASE(missing_host_export_is_reported) {
  if (skip_without_loader()) return;
  scenario s{"chain_a", "chain_b", "chain_c"};
  vl::loader l(with_backend({.search = {.paths = {s.dir}}}));  // no "add" offered
  vitte::diagnostic_list why;
  auto a = l.load("chain_a", &why);
  BOOST_TEST(a.error() == errc::not_found);
  BOOST_TEST_MESSAGE(why.joined().c_str());
  BOOST_TEST(why.contains("import host.add v1: host does not export it"));
  BOOST_TEST(l.modules().empty());  // b and c, loaded for it, are unloaded again
}

BOOST_AUTO_TEST_CASE(symbols_keep_their_module_and_unload_in_reverse_order) {
  if (skip_without_loader()) return;
  scenario s{"chain_a", "chain_b", "chain_c"};
  vl::loader l(with_backend({.search = {.paths = {s.dir}}}));
  BOOST_REQUIRE(l.export_symbol<int(int, int)>("add", &host_add).has_value());
  vl::module a = load_ok(l, "chain_a");
  auto a_value = a.find<int()>("a_value").value();
  vl::module c = l.find("chain_c").value();
  a.reset();
  BOOST_TEST(l.modules().size() == 3u);  // a_value holds a, a holds b, b holds c
  BOOST_TEST(a_value() == 123);
  a_value = {};
  auto left = l.modules();
  BOOST_REQUIRE(left.size() == 1u);  // a and b unloaded; c held by `c`
  BOOST_TEST(left[0].name() == "chain_c");
  left.clear();
  c.reset();
  BOOST_TEST(l.modules().empty());
  auto retired = l.retired();  // b is not unload-safe: retired, a and c unmapped
  BOOST_REQUIRE(retired.size() == 1u);
  BOOST_TEST(retired[0] == "chain_b 1.2.0");
}

BOOST_AUTO_TEST_CASE(unload_runs_in_reverse_dependency_order) {
  if (skip_without_loader()) return;
  scenario s{"dia_top", "dia_left", "dia_right", "dia_base", "retired"};
  struct log_t {
    std::vector<std::string> lines;
  } log;
  auto record = [](void* ctx, const vl::module_info& info, bool unmapped) {
    static_cast<log_t*>(ctx)->lines.push_back(info.id.name + (unmapped ? " unmapped" : " retired"));
  };
  {
    vl::loader l(with_backend({.search = {.paths = {s.dir}}, .on_unload = record, .on_unload_context = &log}));
    vl::module top = load_ok(l, "dia_top");
    vl::module r = load_ok(l, "retired");
    top.reset();
    r.reset();
  }
  BOOST_REQUIRE(log.lines.size() == 5u);
  BOOST_TEST(log.lines[0] == "dia_top unmapped");
  BOOST_TEST(log.lines[1] == "dia_right unmapped");  // released in reverse order of declaration
  BOOST_TEST(log.lines[2] == "dia_left unmapped");
  BOOST_TEST(log.lines[3] == "dia_base unmapped");  // the shared base last
  BOOST_TEST(log.lines[4] == "retired retired");
}

BOOST_AUTO_TEST_CASE(modules_not_unload_safe_are_retired) {
  if (skip_without_loader()) return;
  scenario s{"retired", "chain_c"};
  vl::loader l(with_backend({.search = {.paths = {s.dir}}}));
  {
    vl::module r = load_ok(l, "retired");
    BOOST_TEST(!r.info().id.unload_safe);
    BOOST_TEST(r.find<int()>("retired_value").value()() == 5);
  }
  BOOST_TEST(l.modules().empty());
  auto retired = l.retired();
  BOOST_REQUIRE(retired.size() == 1u);
  BOOST_TEST(retired[0] == "retired 0.1.0");
  // Loading it again works (the image is still mapped).
  vl::module again = load_ok(l, "retired");
  BOOST_TEST(again.find<int()>("retired_value").value()() == 5);
}

BOOST_AUTO_TEST_CASE(diamond_loads_the_base_once) {
  if (skip_without_loader()) return;
  scenario s{"dia_top", "dia_left", "dia_right", "dia_base"};
  vl::loader l(with_backend({.search = {.paths = {s.dir}}}));
  vl::module top = load_ok(l, "dia_top");
  BOOST_TEST(top.find<int()>("top").value()() == 2003);
  auto mods = l.modules();
  BOOST_REQUIRE(mods.size() == 4u);
  BOOST_TEST(mods[0].name() == "dia_base");
  BOOST_TEST(mods[3].name() == "dia_top");
}

BOOST_AUTO_TEST_CASE(cycle_is_printed) {
  if (skip_without_loader()) return;
  scenario s{"cyc_x", "cyc_y", "cyc_z"};
  vl::loader l(with_backend({.search = {.paths = {s.dir}}}));
  vitte::diagnostic_list why;
  auto m = l.load("cyc_x", &why);
  BOOST_TEST(m.error() == errc::too_many_links);
  BOOST_TEST_MESSAGE(why.joined().c_str());
  BOOST_TEST(why.contains("cycle: cyc_x -> cyc_y -> cyc_z -> cyc_x"));
  BOOST_REQUIRE(!why.empty());
  BOOST_TEST(why.back().subject() == "cyc_x");  // about the module planned
  BOOST_TEST((why.back().kind() == errc::too_many_links));
  BOOST_TEST(l.modules().empty());
}

BOOST_AUTO_TEST_CASE(highest_compatible_version_wins_and_conflicts_are_listed) {
  if (skip_without_loader()) return;
  scenario s{"ver_base_100", "ver_base_150", "ver_base_200", "ver_user1", "ver_user2", "ver_both"};
  {
    vl::loader l(with_backend({.search = {.paths = {s.dir}}}));
    vl::module u1 = load_ok(l, "ver_user1");
    BOOST_TEST(u1.find<int()>("user1").value()() == 150);  // ^1.0: 1.5.0, not 1.0.0 or 2.0.0
    // ver_base 1.5.0 is loaded: user2 (^2.0) cannot have 2.0.0 beside it.
    vitte::diagnostic_list why;
    auto u2 = l.load("ver_user2", &why);
    BOOST_TEST(u2.error() == errc::version_mismatch);
    BOOST_TEST_MESSAGE(why.joined().c_str());
    BOOST_TEST(why.contains("ver_base: ^2.0 (ver_user2)"));
  }
  {
    vl::loader l(with_backend({.search = {.paths = {s.dir}}}));
    vl::module u2 = load_ok(l, "ver_user2");
    BOOST_TEST(u2.find<int()>("user2").value()() == 200);
  }
  vl::loader l(with_backend({.search = {.paths = {s.dir}}}));
  vitte::diagnostic_list why;
  auto both = l.load("ver_both", &why);
  BOOST_TEST(both.error() == errc::version_mismatch);
  BOOST_TEST_MESSAGE(why.joined().c_str());
  BOOST_TEST(
      why.contains("version conflict: ver_base: ^1.0 (ver_user1), ^2.0 (ver_user2); available: 1.0.0, 1.5.0, 2.0.0"));
}

BOOST_AUTO_TEST_CASE(every_missing_dependency_in_one_error) {
  if (skip_without_loader()) return;
  scenario s{"miss_dep"};
  vl::loader l(with_backend({.search = {.paths = {s.dir}}}));
  vitte::diagnostic_list why;
  auto m = l.load("miss_dep", &why);
  BOOST_TEST(m.error() == errc::not_found);
  BOOST_TEST_MESSAGE(why.joined().c_str());
  BOOST_TEST(why.size() == 1u);
  BOOST_TEST(why.contains("ghost_one ^1.0 (miss_dep)"));
  BOOST_TEST(why.contains("ghost_two * (miss_dep)"));
  BOOST_TEST(!why.contains("ghost_three"));  // optional
  BOOST_TEST(l.load("no_such_module", &why).error() == errc::not_found);
}

BOOST_AUTO_TEST_CASE(every_unresolved_import_in_one_error) {
  if (skip_without_loader()) return;
  scenario s{"miss_sym", "chain_c"};
  vl::loader l(with_backend({.search = {.paths = {s.dir}}}));
  vitte::diagnostic_list why;
  auto m = l.load("miss_sym", &why);
  BOOST_TEST(m.error() == errc::not_found);
  BOOST_TEST_MESSAGE(why.joined().c_str());
  BOOST_TEST(why.contains("3 unresolved import(s)"));
  BOOST_TEST(why.contains("import chain_c.nope v1: chain_c 1.0.0 does not export it"));
  BOOST_TEST(why.contains("import chain_c.also_nope v1"));
  BOOST_TEST(why.contains("import chain_c.c_value v1: chain_c 1.0.0 exports it with another signature"));
  // An entry each, after the count, about the module, of the error's kind.
  BOOST_TEST(why.size() == 4u);
  for (const vitte::diagnostic& d : why.items()) {
    BOOST_TEST(d.subject() == "miss_sym");
    BOOST_TEST((d.kind() == errc::not_found));
  }
  BOOST_TEST(l.modules().empty());
}

BOOST_AUTO_TEST_CASE(abi_major_mismatch_and_foreign_architecture_never_reach_the_os_loader) {
  if (skip_without_loader()) return;
  scenario s{};
  std::string abi = s.add("chain_c", "abi2" + plugin_file("chain_c").substr(3));
  patch(abi, VITTE_PLUGIN_ABI_MAJOR + 1, false);
  std::string arch = s.add("chain_c", "foreign" + plugin_file("chain_c").substr(3));
  patch(arch, VITTE_PLUGIN_ABI_MAJOR, true);
  vl::loader l(with_backend({.search = {.paths = {s.dir}}}));
  vitte::diagnostic_list why;
  auto m = l.load_file(abi, &why);
  BOOST_TEST(m.error() == errc::version_mismatch);
  BOOST_TEST_MESSAGE(why.joined().c_str());
  BOOST_TEST(why.contains("plugin ABI 2.0, this program supports 1.x"));
  why.clear();
  m = l.load_file(arch, &why);
  BOOST_TEST(m.error() == errc::exec_format);
  BOOST_TEST_MESSAGE(why.joined().c_str());
  BOOST_TEST(
      why.contains(vl::host_architecture == vl::architecture::aarch64 ? "built for x86_64" : "built for aarch64"));
  // By name: both were set aside by the scan, and the error says why.
  BOOST_TEST(l.plugins().rejected().size() == 2u);
  why.clear();
  BOOST_TEST(l.load("chain_c", &why).error() == errc::not_found);
  BOOST_TEST_MESSAGE(why.joined().c_str());
  BOOST_TEST(why.contains("set aside"));
}

BOOST_AUTO_TEST_CASE(truncated_plugin_is_refused_before_loading) {
  if (skip_without_loader()) return;
  scenario s{};
  auto bytes = bytes_of(plugin_path("chain_c"));
  std::string path = sys::path_join(s.dir, plugin_file("chain_c"));
  BOOST_REQUIRE(sys::write_file(path, std::span<const std::byte>(bytes.data(), bytes.size() / 2)).has_value());
  vl::loader l(with_backend({.search = {.paths = {s.dir}}}));
  vitte::diagnostic_list why;
  auto m = l.load_file(path, &why);
  BOOST_TEST(!m.has_value());
  BOOST_TEST_MESSAGE(why.joined().c_str());
  BOOST_TEST(why.contains("at offset"));
  // The reader of the file names it, with the kind it refused it for.
  BOOST_REQUIRE(!why.empty());
  BOOST_TEST(why.back().subject() == path);
  BOOST_TEST((why.back().kind() == m.error().kind()));
  BOOST_TEST(why.back().has_offset());
}

BOOST_AUTO_TEST_CASE(lazy_dependency_loads_on_first_use) {
  if (skip_without_loader()) return;
  scenario s{"lazy_user", "chain_c"};
  vl::loader l(with_backend({.search = {.paths = {s.dir}}}));
  vl::module u = load_ok(l, "lazy_user");
  BOOST_TEST(l.modules().size() == 1u);  // chain_c not loaded yet
  auto f = u.find<int()>("lazy_value").value();
  BOOST_TEST(f() == 4);
  BOOST_TEST(l.modules().size() == 2u);
  BOOST_TEST(f() == 4);
}

BOOST_AUTO_TEST_CASE(search_paths_are_explicit) {
  if (skip_without_loader()) return;
  scenario s{"chain_c"};
  vl::loader none;  // no paths: nothing is found, not even in the current directory
  BOOST_TEST(none.plugins().modules().empty());
  vitte::diagnostic_list why;
  BOOST_TEST(none.load("chain_c", &why).error() == errc::not_found);
  // From an environment variable, only when the host names it.
  BOOST_REQUIRE(sys::set_env("VITTE_TEST_PLUGIN_PATH", s.dir).has_value());
  vl::loader env(with_backend({.search = {.environment_variable = "VITTE_TEST_PLUGIN_PATH"}}));
  BOOST_TEST(env.plugins().modules().size() == 1u);
  (void)sys::unset_env("VITTE_TEST_PLUGIN_PATH");
}

BOOST_AUTO_TEST_CASE(concurrent_loads_of_the_same_and_different_plugins) {
  if (skip_without_loader()) return;
  scenario s{"dia_top", "dia_left", "dia_right", "dia_base", "chain_a", "chain_b", "chain_c"};
  vl::loader l(with_backend({.search = {.paths = {s.dir}}}));
  BOOST_REQUIRE(l.export_symbol<int(int, int)>("add", &host_add).has_value());
  constexpr int threads = 6, rounds = 40;
  vitte::detail::atomic<int> failures{0};
  // dia_base's init fails a second time: held here, it must load once.
  vl::module keep_base = load_ok(l, "dia_base");
  {
    std::vector<sys::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.push_back(sys::thread::spawn([&, t] {
                       for (int i = 0; i < rounds; ++i) {
                         const bool diamond = (t + i) % 2 == 0;
                         auto m = l.load(diamond ? "dia_top" : "chain_a");
                         if (!m) {
                           failures.fetch_add(1);
                           continue;
                         }
                         auto f = m->find<int()>(diamond ? "top" : "a_value");
                         if (!f || (*f)() != (diamond ? 2003 : 123)) failures.fetch_add(1);
                       }
                     }).value());
    }
  }
  BOOST_TEST(failures.load() == 0);
  auto a = l.find("chain_a");
  if (a) BOOST_TEST(*a->find<int>("init_calls").value() >= 1);
}

BOOST_AUTO_TEST_SUITE_END()
