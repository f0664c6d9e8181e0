// Loader: a plugin written in C (tests/plugins/c_plugin.c, VITTE_C_PLUGIN_DEFINE
// of <vitte/loader/plugin.h>) read without loading, loaded, its imports
// bound against a C++ plugin's exports and the host's, called; the lines
// plugins log reaching the host's log sink with module and level; borrowed
// and prehashed lookups, and the export table's versions.
#include <vitte/loader/inspect.hpp>
#include <vitte/loader/loader.hpp>
#include <vitte/sys/metadata.hpp>

#include <string>
#include <string_view>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "loader_fixture.hpp"

namespace vl = vitte::loader;
using namespace loader_test;

namespace {

bool skip_without_c_plugin() {
  if (!can_load_plugins()) {
    BOOST_TEST_MESSAGE("skipped: this build cannot load shared libraries (static binary)");
    return true;
  }
  if (!sys::stat(plugin_path("c_plugin")).has_value()) {
    BOOST_TEST_MESSAGE("skipped: no C compiler for this target, so tests/plugins/c_plugin.c was not built");
    return true;
  }
  return false;
}

struct log_lines {
  std::vector<std::string> lines;
  static void sink(void* context, const vl::module_info& from, vl::log_level level, vitte::text_view text) {
    const char* lv = level == vl::log_level::error     ? "error"
                     : level == vl::log_level::warning ? "warning"
                     : level == vl::log_level::info    ? "info"
                                                       : "debug";
    static_cast<log_lines*>(context)->lines.push_back(from.id.name + " " + lv + ": " + std::string(text));
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(loader_c)

BOOST_AUTO_TEST_CASE(c_plugin_metadata_is_read_without_loading) {
  if (skip_without_c_plugin()) return;
  vitte::diagnostic why;
  auto info = vl::read_plugin_file(plugin_path("c_plugin"), &why);
  BOOST_REQUIRE_MESSAGE(info.has_value(), why.format().c_str());
  BOOST_TEST(info->id.name == "c_plugin");
  BOOST_TEST(info->id.version == "0.3.0");
  BOOST_TEST(info->id.unload_safe);
  BOOST_TEST((info->id.arch == vl::host_architecture));
  BOOST_REQUIRE(info->exports.size() == 2u);
  BOOST_TEST(info->exports[0].name == "c_sum");
  BOOST_TEST((info->exports[0].kind == vl::export_kind::function));
  BOOST_TEST(info->exports[0].signature == vl::signature_hash<int(int)>);
  BOOST_TEST(info->exports[1].name == "c_calls");
  BOOST_TEST((info->exports[1].kind == vl::export_kind::object));
  BOOST_TEST(info->exports[1].version == 2u);
  BOOST_TEST(info->exports[1].signature == vl::signature_hash<int>);
  BOOST_REQUIRE(info->imports.size() == 2u);
  BOOST_TEST(info->imports[0].module == "chain_c");
  BOOST_TEST(info->imports[0].name == "c_value");
  BOOST_TEST(info->imports[0].signature == vl::signature_hash<int()>);
  BOOST_TEST(info->imports[1].module == "host");
  BOOST_TEST(info->imports[1].name == "add");
  BOOST_TEST(info->imports[1].signature == vl::signature_hash<int(int, int)>);
  BOOST_REQUIRE(info->dependencies.size() == 1u);
  BOOST_TEST(info->dependencies[0].name == "chain_c");
  BOOST_TEST(info->dependencies[0].range == "^1.0");
  BOOST_TEST(!info->dependencies[0].lazy());
}

BOOST_AUTO_TEST_CASE(c_plugin_binds_against_a_cpp_plugin_and_logs) {
  if (skip_without_c_plugin()) return;
  scenario s{"c_plugin", "chain_c"};
  log_lines log;
  {
    vl::loader l(with_backend({.search = {.paths = {s.dir}}, .log = &log_lines::sink, .log_context = &log}));
    BOOST_REQUIRE(l.export_symbol<int(int, int)>("add", &host_add).has_value());
    vitte::diagnostic_list why;
    auto m = l.load("c_plugin", &why);
    BOOST_REQUIRE_MESSAGE(m.has_value(), why.joined().c_str());
    auto mods = l.modules();
    BOOST_REQUIRE(mods.size() == 2u);
    BOOST_TEST(mods[0].name() == "chain_c");  // the dependency first
    auto sum = m->find<int(int)>("c_sum").value();
    BOOST_TEST(sum(10) == 13);  // host add(10, chain_c's c_value() = 3)
    BOOST_TEST(sum(-3) == 0);
    auto calls = m->find<int>("c_calls", 2).value();
    BOOST_TEST(*calls == 2);
    BOOST_TEST(m->find<int>("c_calls", 1).error() == vitte::errc::not_found);
    BOOST_TEST(m->find<int(int, int)>("c_sum").error() == vitte::errc::verification_failed);
    BOOST_REQUIRE(log.lines.size() == 1u);
    BOOST_TEST(log.lines[0] == "c_plugin info: c_plugin ready");
  }  // unloaded: fini logs at warning level
  BOOST_REQUIRE(log.lines.size() == 2u);
  BOOST_TEST(log.lines[1] == "c_plugin warning: c_plugin done");
}

BOOST_AUTO_TEST_CASE(c_plugin_without_its_host_import_is_refused) {
  if (skip_without_c_plugin()) return;
  scenario s{"c_plugin", "chain_c"};
  vl::loader l(with_backend({.search = {.paths = {s.dir}}}));  // no "add": every import is checked
  vitte::diagnostic_list why;
  auto m = l.load("c_plugin", &why);
  BOOST_TEST(m.error() == vitte::errc::not_found);
  BOOST_TEST(why.contains("import host.add v1: host does not export it"));
  BOOST_TEST(l.modules().empty());
}

BOOST_AUTO_TEST_CASE(logging_without_a_sink_is_harmless) {
  if (skip_without_c_plugin()) return;
  scenario s{"c_plugin", "chain_c"};
  vl::loader l(with_backend({.search = {.paths = {s.dir}}}));
  BOOST_REQUIRE(l.export_symbol<int(int, int)>("add", &host_add).has_value());
  auto m = l.load("c_plugin");
  BOOST_REQUIRE(m.has_value());
  BOOST_TEST(m->find<int(int)>("c_sum").value()(1) == 4);
}

BOOST_AUTO_TEST_CASE(borrowed_symbols_and_prehashed_names) {
  if (skip_without_c_plugin()) return;
  scenario s{"c_plugin", "chain_c"};
  vl::loader l(with_backend({.search = {.paths = {s.dir}}}));
  BOOST_REQUIRE(l.export_symbol<int(int, int)>("add", &host_add).has_value());
  vl::module m = l.load("c_plugin").value();
  const std::uint32_t refs = m.use_count();
  {
    auto sum = m.borrow<int(int)>("c_sum").value();  // no reference taken
    BOOST_TEST(m.use_count() == refs);
    BOOST_TEST(sum(1) == 4);
    static constexpr vl::symbol_name calls_name{"c_calls"};
    static_assert(calls_name.hash() == vl::detail::name_hash("c_calls"));
    auto calls = m.borrow<int>(calls_name).value();
    BOOST_TEST(*calls == 1);
    BOOST_TEST(m.borrow<int(int, int)>("c_sum").error() == vitte::errc::verification_failed);
    BOOST_TEST(m.borrow<int(int)>(vl::symbol_name("nope")).error() == vitte::errc::not_found);
    auto kept = sum.keep();  // now owning
    BOOST_TEST(m.use_count() == refs + 1);
    BOOST_TEST(kept(2) == 5);
  }
  BOOST_TEST(m.use_count() == refs);
}

BOOST_AUTO_TEST_CASE(export_table_finds_each_version_and_the_highest) {
  vl::module_info info;
  const char* names[] = {"a",
                         "ab",
                         "abc",
                         "abcd",
                         "abcde",
                         "abcdefg",
                         "abcdefgh",
                         "abcdefghi",
                         "sixteen_bytes_16",   // the longest name kept in the entry
                         "seventeen_bytes17",  // the shortest kept in module_info
                         "a_name_of_thirty_three_bytes_33"};
  std::vector<vl::detail::export_address> addresses;
  static int cells[64];
  int k = 0;
  for (const char* n : names)
    for (std::uint32_t v : {2u, 5u, 1u}) {  // versions in no particular order
      info.exports.push_back(vl::export_info{n, vl::export_kind::object, v, 0});
      addresses.push_back({&cells[k++], nullptr, false});
    }
  vl::detail::export_table t;
  t.build(info, addresses.data());
  for (std::size_t i = 0; i < info.exports.size(); ++i) {
    const vl::export_info& e = info.exports[i];
    const vl::detail::export_entry* got = t.find(e.name, e.version);
    BOOST_REQUIRE(got != nullptr);
    BOOST_TEST(got->address == addresses[i].address);
    const vl::detail::export_entry* latest = t.find(e.name);  // version 0: the highest
    BOOST_REQUIRE(latest != nullptr);
    BOOST_TEST(latest->version == 5u);
  }
  BOOST_TEST(t.find("abcdef") == nullptr);
  BOOST_TEST(t.find("a", 3) == nullptr);
  BOOST_TEST(t.find("") == nullptr);
  BOOST_TEST(t.find("sixteen_bytes_1X") == nullptr);
  BOOST_TEST(t.find("seventeen_bytes1X") == nullptr);
  // Names that share a prefix or a tail still hash apart.
  BOOST_TEST(vl::detail::name_hash("abcdefgh") != vl::detail::name_hash("abcdefgi"));
  BOOST_TEST(vl::detail::name_hash("abcd") != vl::detail::name_hash("abce"));
  BOOST_TEST(vl::detail::name_hash("a") != vl::detail::name_hash("b"));
}

BOOST_AUTO_TEST_CASE(every_byte_of_a_name_counts_in_its_hash_and_its_comparison) {
  // For each length (both sides of the 4-, 8- and 16-byte load widths and of
  // the inline name storage) and each position: a name differing in that one
  // byte hashes apart and compares unequal, whether the entry keeps the name
  // itself (16 bytes or fewer) or points at it.
  std::string base;
  for (std::size_t n = 0; n <= 40; ++n, base += static_cast<char>('a' + n % 26)) {
    vl::detail::export_entry e;
    e.set_name(base);
    BOOST_TEST(e.name() == base);
    BOOST_TEST(e.named(base));
    BOOST_TEST(!e.named(base + "x"));
    if (n > 0) BOOST_TEST(!e.named(std::string_view(base).substr(0, n - 1)));
    for (std::size_t i = 0; i < n; ++i) {
      std::string other = base;
      other[i] = static_cast<char>(other[i] ^ 0x20);
      BOOST_TEST(vl::detail::name_hash(other) != vl::detail::name_hash(base), "length " << n << ", byte " << i);
      BOOST_TEST(!e.named(other), "length " << n << ", byte " << i);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
