// Loader, reading without loading: the metadata of the sample plugins is
// read from their files (ELF or PE, whichever this system builds); a plugin
// for another architecture is refused from its metadata; truncated and
// corrupted files give errors naming the problem, never a crash; the
// ELF/PE readers check every structure; signature hashes are stable.
#include <vitte/loader/elf.hpp>
#include <vitte/loader/inspect.hpp>
#include <vitte/loader/pe.hpp>
#include <vitte/loader/plugin.hpp>  // signature_hash
#include <vitte/sys/metadata.hpp>

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "loader_fixture.hpp"

namespace vl = vitte::loader;
using vitte::errc;
using namespace loader_test;

namespace {

vl::module_info read(const std::string& name) {
  vitte::diagnostic why;
  auto info = vl::read_plugin_file(plugin_path(name), &why);
  BOOST_REQUIRE_MESSAGE(info.has_value(), why.format().c_str());
  return *info;
}

// Offset of the metadata section in a plugin file (ELF or PE).
std::uint64_t metadata_offset(const std::vector<std::byte>& bytes) {
  if (vl::detect_format(span_of(bytes)) == vl::module_format::elf) {
    auto elf = vl::elf::reader::parse(span_of(bytes)).value();
    return elf.find_section(VITTE_PLUGIN_ELF_SECTION).value().offset;
  }
  auto pe = vl::pe::reader::parse(span_of(bytes)).value();
  return pe.find_section(VITTE_PLUGIN_PE_SECTION).value().raw_offset;
}

// The sample plugins are in the host's byte order (ELF's EI_DATA: big-endian
// on s390x); their metadata is in the file's.
bool big_endian_file(std::span<const std::byte> b) {
  return vl::detect_format(b) == vl::module_format::elf && b[5] == std::byte{2};
}

// Writes the `width` low bytes of v at `at`, in the file's byte order.
void put(std::vector<std::byte>& b, std::uint64_t at, std::uint32_t v, std::size_t width, bool big) {
  for (std::size_t i = 0; i < width; ++i) b[at + (big ? width - 1 - i : i)] = std::byte((v >> (8 * i)) & 0xff);
}

void put16(std::vector<std::byte>& b, std::uint64_t at, std::uint16_t v) { put(b, at, v, 2, big_endian_file(b)); }

std::uint32_t get32(std::span<const std::byte> b, std::uint64_t at, bool big) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = v << 8 | std::to_integer<std::uint32_t>(b[at + (big ? i : 3 - i)]);
  return v;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(loader_inspect)

BOOST_AUTO_TEST_CASE(reads_identity_exports_imports_dependencies) {
  vl::module_info a = read("chain_a");
  BOOST_TEST(a.id.name == "chain_a");
  BOOST_TEST(a.id.version == "1.0.0");
  BOOST_TEST(a.id.abi_major == VITTE_PLUGIN_ABI_MAJOR);
  BOOST_TEST(a.id.abi_minor == VITTE_PLUGIN_ABI_MINOR);
  BOOST_TEST((a.id.arch == vl::host_architecture));
  BOOST_TEST(a.id.unload_safe);
  BOOST_TEST(a.id.content_hash != 0u);
  BOOST_TEST((a.source.format == (VITTE_OS_WINDOWS ? vl::module_format::pe : vl::module_format::elf)));
  BOOST_TEST(a.source.size > 0u);
  BOOST_REQUIRE(a.exports.size() == 2u);
  BOOST_TEST(a.exports[0].name == "a_value");
  BOOST_TEST((a.exports[0].kind == vl::export_kind::function));
  BOOST_TEST(a.exports[0].signature == vl::signature_hash<int()>);
  BOOST_TEST(a.exports[1].name == "init_calls");
  BOOST_TEST((a.exports[1].kind == vl::export_kind::object));
  BOOST_TEST(a.exports[1].signature == vl::signature_hash<int>);
  BOOST_REQUIRE(a.imports.size() == 2u);
  BOOST_TEST(a.imports[0].module == "chain_b");
  BOOST_TEST(a.imports[0].name == "b_value");
  BOOST_TEST(a.imports[1].module == "host");
  BOOST_TEST(a.imports[1].signature == (vl::signature_hash<int(int, int)>));
  BOOST_REQUIRE(a.dependencies.size() == 1u);
  BOOST_TEST(a.dependencies[0].name == "chain_b");
  BOOST_TEST(a.dependencies[0].range == "^1.1");
  BOOST_TEST(vl::check_compatible(a).has_value());

  vl::module_info lazy = read("lazy_user");
  BOOST_REQUIRE(lazy.dependencies.size() == 1u);
  BOOST_TEST(lazy.dependencies[0].lazy());
  BOOST_TEST(!lazy.dependencies[0].optional());
  vl::module_info miss = read("miss_dep");
  BOOST_REQUIRE(miss.dependencies.size() == 3u);
  BOOST_TEST(miss.dependencies[1].range == "*");
  BOOST_TEST(miss.dependencies[2].optional());
  BOOST_TEST(!read("retired").id.unload_safe);
  BOOST_TEST(read("reload_v1").id.has_state);
}

BOOST_AUTO_TEST_CASE(content_hash_tells_files_apart) {
  BOOST_TEST(read("ver_base_100").id.content_hash != read("ver_base_150").id.content_hash);
  BOOST_TEST(read("chain_c").id.content_hash == read("chain_c").id.content_hash);
}

BOOST_AUTO_TEST_CASE(signature_hashes) {
  static_assert(vl::signature_hash<int(int)> == vl::signature_hash<int(int) noexcept>);
  static_assert(vl::signature_hash<int(int)> != vl::signature_hash<int(long double)>);
  static_assert(vl::signature_hash<int*> != vl::signature_hash<const int*>);
  static_assert(vl::signature_hash<std::int64_t> == vl::signature_hash<long long>);
  static_assert(vl::signature_hash<int(int&)> != vl::signature_hash<int(int&&)>);
  struct local_type {};
  static_assert(vl::signature_hash<void(local_type*)> != vl::signature_hash<void(int*)>);
  BOOST_TEST(vl::signature_hash_of("i(ii)") == vl::detail::fnv1a("i(ii)"));
}

BOOST_AUTO_TEST_CASE(another_architecture_is_refused_from_metadata) {
  // A native plugin patched into an aarch64 (or, on aarch64, x86_64) one:
  // the ELF/PE machine field and the metadata's architecture.
  auto bytes = bytes_of(plugin_path("chain_c"));
  const bool elf = vl::detect_format(span_of(bytes)) == vl::module_format::elf;
  const bool on_arm = vl::host_architecture == vl::architecture::aarch64;
  const std::uint64_t meta = metadata_offset(bytes);
  if (elf) {
    put16(bytes, 18, on_arm ? vl::elf::em_x86_64 : vl::elf::em_aarch64);
  } else {
    const std::uint32_t lfanew = get32(span_of(bytes), 0x3c, false);
    put16(bytes, lfanew + 4u, on_arm ? vl::pe::machine_amd64 : vl::pe::machine_arm64);
  }
  put16(bytes, meta + 14, on_arm ? VITTE_ARCH_X86_64 : VITTE_ARCH_AARCH64);
  vitte::diagnostic p;
  auto info = vl::read_plugin(span_of(bytes), &p);
  BOOST_REQUIRE_MESSAGE(info.has_value(), p.format().c_str());
  BOOST_TEST((info->id.arch == (on_arm ? vl::architecture::x86_64 : vl::architecture::aarch64)));
  vitte::diagnostic_list why;
  auto ok = vl::check_compatible(*info, &why);
  BOOST_TEST(ok.error() == errc::exec_format);
  BOOST_TEST_MESSAGE(why.joined().c_str());
  BOOST_TEST(why.contains(on_arm ? "built for x86_64" : "built for aarch64"));
  // One entry, about the module, of the error's kind.
  BOOST_REQUIRE(why.size() == 1u);
  BOOST_TEST(why.back().subject() == "chain_c");
  BOOST_TEST((why.back().kind() == errc::exec_format));

  // Only the container patched: the metadata disagrees with it.
  bytes = bytes_of(plugin_path("chain_c"));
  if (elf) put16(bytes, 18, on_arm ? vl::elf::em_x86_64 : vl::elf::em_aarch64);
  if (elf) {
    auto bad = vl::read_plugin(span_of(bytes), &p);
    BOOST_TEST(bad.error() == errc::malformed);
    BOOST_TEST(std::string(p.message()).find("architecture") != std::string::npos);
    BOOST_TEST((p.kind() == errc::malformed));
    BOOST_TEST(p.subject() == VITTE_PLUGIN_ELF_SECTION);  // the metadata section disagrees
    BOOST_TEST(p.offset() == meta + 14);
  }
}

BOOST_AUTO_TEST_CASE(abi_major_mismatch_is_refused) {
  auto bytes = bytes_of(plugin_path("chain_c"));
  const std::uint64_t meta = metadata_offset(bytes);
  put16(bytes, meta + 10, VITTE_PLUGIN_ABI_MAJOR + 1);
  auto info = vl::read_plugin(span_of(bytes));
  BOOST_REQUIRE(info.has_value());
  vitte::diagnostic_list why;
  BOOST_TEST(vl::check_compatible(*info, &why).error() == errc::version_mismatch);
  BOOST_TEST(why.contains("plugin ABI 2.0"));
  BOOST_TEST((why.back().kind() == errc::version_mismatch));
  put16(bytes, meta + 10, VITTE_PLUGIN_ABI_MAJOR);
  put16(bytes, meta + 12, VITTE_PLUGIN_ABI_MINOR + 1);
  info = vl::read_plugin(span_of(bytes));
  BOOST_REQUIRE(info.has_value());
  BOOST_TEST(vl::check_compatible(*info, &why).error() == errc::version_mismatch);
  BOOST_TEST(why.contains("newer"));
}

BOOST_AUTO_TEST_CASE(truncated_files_never_crash) {
  const auto whole = bytes_of(plugin_path("chain_a"));
  const std::uint64_t meta = metadata_offset(whole);
  std::size_t failures = 0;
  // Every cut inside the headers and the metadata, then coarser steps.
  for (std::size_t n = 0; n < whole.size(); n += (n < 512 || (n >= meta && n < meta + 512)) ? 1 : 97) {
    std::vector<std::byte> cut(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(n));
    vitte::diagnostic p;
    auto info = vl::read_plugin(span_of(cut), &p);
    if (!info) {
      ++failures;
      BOOST_TEST(!p.message().empty());
      BOOST_TEST((p.kind() == info.error().kind()));  // the reader names the kind itself
    }
  }
  BOOST_TEST(failures > 0u);
  vitte::diagnostic p;
  auto empty = vl::read_plugin({}, &p);
  BOOST_TEST(empty.error() == errc::unexpected_eof);
  BOOST_TEST((p.kind() == errc::unexpected_eof));
  // Cut in the middle of the metadata: the section table then points past
  // the end, and the error says so.
  std::vector<std::byte> cut(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(meta + 20));
  auto mid = vl::read_plugin(span_of(cut), &p);
  BOOST_TEST(!mid.has_value());
  BOOST_TEST_MESSAGE(p.format().c_str());
}

BOOST_AUTO_TEST_CASE(corrupted_files_never_crash) {
  const auto whole = bytes_of(plugin_path("chain_a"));
  const std::uint64_t meta = metadata_offset(whole);
  std::uint64_t state = 0x9e3779b97f4a7c15ull;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  std::size_t refused = 0;
  for (int round = 0; round < 3000; ++round) {
    auto bytes = whole;
    // Aim at the headers, the section table and the metadata, where the
    // reader looks.
    for (int k = 0; k < 4; ++k) {
      std::uint64_t r = next();
      std::uint64_t at = r % 3 == 0 ? r % 128 : r % 3 == 1 ? meta + (r >> 8) % 256 : (r >> 8) % bytes.size();
      if (at < bytes.size()) bytes[at] = std::byte(next() & 0xff);
    }
    vitte::diagnostic p;
    auto info = vl::read_plugin(span_of(bytes), &p);
    if (!info) ++refused;
    if (!info) BOOST_TEST((p.kind() == info.error().kind()));
  }
  BOOST_TEST(refused > 0u);
}

BOOST_AUTO_TEST_CASE(metadata_records_are_bounds_checked) {
  const auto whole = bytes_of(plugin_path("chain_a"));
  const std::uint64_t meta = metadata_offset(whole);
  auto section = span_of(whole).subspan(meta);
  const bool big = big_endian_file(span_of(whole));
  vl::module_info out;
  BOOST_REQUIRE(vl::decode_metadata(section, big, out).has_value());
  const std::uint32_t total = get32(section, 20, big);
  auto patched = [&](std::uint64_t at, std::uint32_t v, std::size_t width) {
    std::vector<std::byte> b(section.begin(), section.begin() + total);
    put(b, at, v, width, big);
    vitte::diagnostic p;
    vl::module_info m;
    auto st = vl::decode_metadata(span_of(b), big, m, &p);
    BOOST_TEST_MESSAGE(p.format().c_str());
    if (!st) BOOST_TEST((p.kind() == st.error().kind()));
    return std::pair{st, std::string(p.message())};
  };
  BOOST_TEST(patched(0, 'X', 1).second.find("magic") != std::string::npos);
  BOOST_TEST(patched(8, 9, 2).first.error() == errc::version_mismatch);
  BOOST_TEST(patched(20, total + 8, 4).first.error() == errc::unexpected_eof);
  BOOST_TEST(patched(24, 100000, 4).second.find("record count") != std::string::npos);
  BOOST_TEST(patched(28, 2, 2).second.find("name") != std::string::npos);
  // The first record starts after the strings; make its size huge.
  std::uint64_t first = 32 + ((std::strlen("chain_a") + std::strlen("1.0.0") + 2 + 7) & ~7u);
  BOOST_TEST(patched(first + 4, 0xffffff, 4).second.find("record size") != std::string::npos);
  BOOST_TEST(patched(first + 8, 9, 4).second.find("kind") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(not_a_plugin) {
  vitte::diagnostic p;
  const char text[] = "just some text, not a shared library";
  auto r = vl::read_plugin(std::as_bytes(std::span(text)), &p);
  BOOST_TEST(r.error() == errc::exec_format);
  BOOST_TEST((p.kind() == errc::exec_format));
  vitte::diagnostic why;
  const std::string missing = sys::path_join(plugin_dir(), "no-such-plugin.so");
  auto f = vl::read_plugin_file(missing, &why);
  BOOST_TEST(f.error() == errc::not_found);
  BOOST_TEST(why.subject() == missing);  // the reader of a file names it
  BOOST_TEST((why.kind() == errc::not_found));
}

// A reader of a file names the file; what the reader of its bytes named
// (the section) leads the message, and the offset is the file's.
BOOST_AUTO_TEST_CASE(a_damaged_plugin_file_names_itself_and_the_section) {
  auto bytes = bytes_of(plugin_path("chain_a"));
  const std::uint64_t meta = metadata_offset(bytes);
  put16(bytes, meta + 8, 99);  // an unknown metadata format version
  vitte::diagnostic inner;
  BOOST_TEST(vl::read_plugin(span_of(bytes), &inner).error() == errc::version_mismatch);
  const bool elf = vl::detect_format(span_of(bytes)) == vl::module_format::elf;
  BOOST_TEST(inner.subject() == (elf ? VITTE_PLUGIN_ELF_SECTION : VITTE_PLUGIN_PE_SECTION));
  BOOST_TEST(inner.offset() == meta + 8);
  scenario s{};
  const std::string path = sys::path_join(s.dir, plugin_file("chain_a"));
  BOOST_REQUIRE(sys::write_file(path, span_of(bytes)).has_value());
  vitte::diagnostic why;
  auto info = vl::read_plugin_file(path, &why);
  BOOST_TEST(info.error() == errc::version_mismatch);
  BOOST_TEST(why.subject() == path);
  BOOST_TEST((why.kind() == errc::version_mismatch));
  BOOST_TEST(why.offset() == meta + 8);
  BOOST_TEST(std::string(why.message()).find(std::string(inner.subject()) + ": unknown metadata format version") == 0u,
             why.format().c_str());
}

BOOST_AUTO_TEST_CASE(foreign_plugins_built_by_cross_compilers) {
  // Built by tests/plugins/meson.build when the cross compilers exist.
  int seen = 0;
  for (const char* name : {"foreign_pe.dll", "libforeign_aarch64.so"}) {
    std::string path = sys::path_join(plugin_dir(), name);
    if (!sys::exists(path).value_or(false)) continue;
    ++seen;
    vitte::diagnostic read_why;
    auto info = vl::read_plugin_file(path, &read_why);
    BOOST_REQUIRE_MESSAGE(info.has_value(), read_why.format().c_str());
    BOOST_TEST(info->id.name == "chain_c");
    BOOST_TEST(info->exports.size() == 1u);
    BOOST_TEST(!info->id.debug);  // built with NDEBUG
    const bool pe = std::string(name).ends_with(".dll");
    BOOST_TEST((info->source.format == (pe ? vl::module_format::pe : vl::module_format::elf)));
    BOOST_TEST((info->id.arch == (pe ? vl::architecture::x86_64 : vl::architecture::aarch64)));
    vitte::diagnostic_list why;
    auto ok = vl::check_compatible(*info, &why);
    BOOST_TEST_MESSAGE(name << ": " << why.joined().c_str());
    if (pe != bool(VITTE_OS_WINDOWS) || info->id.arch != vl::host_architecture) BOOST_TEST(!ok.has_value());
  }
  if (seen == 0) BOOST_TEST_MESSAGE("skipped: no cross compiler built the foreign plugins (mingw, aarch64)");
}

BOOST_AUTO_TEST_SUITE_END()
