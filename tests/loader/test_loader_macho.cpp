// Mach-O: the metadata reader on Mach-O files built here by clang for
// x86_64, arm64 and i386 Darwin (object files of tests/plugins/c_plugin.c:
// no SDK is needed to compile C with -ffreestanding), turned into bundles
// by patching the file type (no Mach-O linker here), and fat files crafted
// from them: the slice for the architecture asked for is chosen; truncated
// and corrupted files are refused, never a crash.
#include <vitte/loader/detail/type_signature.hpp>
#include <vitte/loader/inspect.hpp>
#include <vitte/loader/macho.hpp>
#include <vitte/sys/metadata.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>  // std::memcpy
#include <span>
#include <string>
#include <utility>  // std::pair
#include <vector>

#include <boost/test/unit_test.hpp>

#include "loader_fixture.hpp"

namespace vl = vitte::loader;
namespace macho = vitte::loader::macho;
using vitte::errc;
using namespace loader_test;

namespace {

std::string object_path(const std::string& arch) {
  return sys::path_join(plugin_dir(), "c_plugin_" + arch + ".macho.o");
}

bool skip_without_objects() {
  if (sys::stat(object_path("x86_64")).has_value()) return false;
  BOOST_TEST_MESSAGE("skipped: no clang on the build machine (or a cross build), so no Mach-O objects were made");
  return true;
}

// A copy of the object whose header says MH_BUNDLE (a loadable plugin).
std::vector<std::byte> as_bundle(std::vector<std::byte> b) {
  b[12] = std::byte{macho::mh_bundle};  // filetype, little-endian
  return b;
}

void put_be32(std::vector<std::byte>& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = std::byte(static_cast<unsigned char>(v >> (24 - 8 * i)));
}
void put_be64(std::vector<std::byte>& b, std::size_t at, std::uint64_t v) {
  put_be32(b, at, static_cast<std::uint32_t>(v >> 32));
  put_be32(b, at + 4, static_cast<std::uint32_t>(v));
}

// A fat file of `slices` (each with its CPU type), 4 KiB-aligned, with
// 20-byte (fat_magic) or 32-byte (fat_magic_64) entries.
std::vector<std::byte> fat_of(const std::vector<std::pair<std::uint32_t, std::vector<std::byte>>>& slices, bool wide) {
  std::vector<std::byte> out(4096);
  put_be32(out, 0, wide ? macho::fat_magic_64 : macho::fat_magic);
  put_be32(out, 4, static_cast<std::uint32_t>(slices.size()));
  std::size_t entry = 8;
  for (const auto& [cpu, bytes] : slices) {
    const std::size_t off = out.size();
    put_be32(out, entry, cpu);
    put_be32(out, entry + 4, 3);
    if (wide) {
      put_be64(out, entry + 8, off);
      put_be64(out, entry + 16, bytes.size());
      put_be32(out, entry + 24, 12);
    } else {
      put_be32(out, entry + 8, static_cast<std::uint32_t>(off));
      put_be32(out, entry + 12, static_cast<std::uint32_t>(bytes.size()));
      put_be32(out, entry + 16, 12);
    }
    entry += wide ? 32 : 20;
    out.insert(out.end(), bytes.begin(), bytes.end());
    out.resize((out.size() + 4095) & ~std::size_t{4095});
  }
  return out;
}

void check_c_plugin(const vl::module_info& info) {
  BOOST_TEST(info.id.name == "c_plugin");
  BOOST_TEST(info.id.version == "0.3.0");
  BOOST_TEST(info.exports.size() == 2u);
  BOOST_TEST(info.imports.size() == 2u);
  BOOST_REQUIRE(info.dependencies.size() == 1u);
  BOOST_TEST(info.dependencies[0].name == "chain_c");
  BOOST_TEST(info.exports[0].signature == vl::signature_hash<int(int)>);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(loader_macho)

BOOST_AUTO_TEST_CASE(thin_objects_64_and_32_bit) {
  if (skip_without_objects()) return;
  struct want {
    const char* file;
    vl::architecture arch;
    bool is64;
  };
  for (want w : {want{"x86_64", vl::architecture::x86_64, true}, want{"arm64", vl::architecture::aarch64, true},
                 want{"i386", vl::architecture::x86, false}}) {
    BOOST_TEST_CONTEXT(w.file) {
      const auto bytes = bytes_of(object_path(w.file));
      BOOST_TEST((vl::detect_format(span_of(bytes)) == vl::module_format::macho));
      vitte::diagnostic why;
      auto r = macho::reader::parse(span_of(bytes), w.arch, &why);
      BOOST_REQUIRE_MESSAGE(r.has_value(), why.format().c_str());
      BOOST_TEST((r->arch() == w.arch));
      BOOST_TEST(r->is_64() == w.is64);
      BOOST_TEST(r->file_type() == macho::mh_object);
      BOOST_TEST(!r->is_loadable_library());
      BOOST_TEST(!r->from_fat());
      BOOST_TEST(r->check_sections(&why).has_value());
      // The section lands where the plugin macros put it on Darwin.
      auto s = r->find_section(VITTE_PLUGIN_MACHO_SEGMENT, VITTE_PLUGIN_MACHO_SECTION, &why);
      BOOST_REQUIRE_MESSAGE(s.has_value(), why.format().c_str());
      // A section that is not there: named, with the kind.
      BOOST_TEST(r->find_section("__DATA", "__nothing", &why).error() == errc::not_found);
      BOOST_TEST(why.subject() == "__DATA,__nothing");
      BOOST_TEST((why.kind() == errc::not_found));
      BOOST_TEST(r->find_section("__TEXT", "__text").has_value());
      BOOST_TEST(r->find_section("__DATA", "__nope").error() == errc::not_found);
      vl::module_info info;
      BOOST_REQUIRE(vl::decode_metadata(r->section_data(*s), false, info, &why).has_value());
      check_c_plugin(info);
      BOOST_TEST((info.id.arch == w.arch));
      // An object file is not a plugin; as a bundle it reads whole.
      BOOST_TEST(vl::read_plugin(span_of(bytes), &why).error() == errc::exec_format);
      const auto bundle = as_bundle(bytes);
      auto whole = vl::read_plugin(span_of(bundle), &why);
      BOOST_REQUIRE_MESSAGE(whole.has_value(), why.format().c_str());
      check_c_plugin(*whole);
      BOOST_TEST((whole->source.format == vl::module_format::macho));
      BOOST_TEST((whole->id.arch == w.arch));
      // Read, never loaded: this OS does not load Mach-O.
      if (!VITTE_OS_DARWIN) BOOST_TEST(!vl::check_compatible(*whole).has_value());
    }
  }
}

BOOST_AUTO_TEST_CASE(fat_files_pick_the_slice_asked_for) {
  if (skip_without_objects()) return;
  const auto x86 = as_bundle(bytes_of(object_path("x86_64")));
  const auto arm = as_bundle(bytes_of(object_path("arm64")));
  for (bool wide : {false, true}) {
    BOOST_TEST_CONTEXT((wide ? "fat_magic_64" : "fat_magic")) {
      const auto fat = fat_of({{macho::cpu_x86_64, x86}, {macho::cpu_arm64, arm}}, wide);
      BOOST_TEST((vl::detect_format(span_of(fat)) == vl::module_format::macho));
      vitte::diagnostic why;
      auto a = macho::reader::parse(span_of(fat), vl::architecture::aarch64, &why);
      BOOST_REQUIRE_MESSAGE(a.has_value(), why.format().c_str());
      BOOST_TEST((a->arch() == vl::architecture::aarch64));
      BOOST_TEST(a->from_fat());
      BOOST_TEST(a->slice_offset() == 4096u + ((x86.size() + 4095) & ~std::size_t{4095}));
      auto s = a->find_section(VITTE_PLUGIN_MACHO_SEGMENT, VITTE_PLUGIN_MACHO_SECTION, &why);
      BOOST_REQUIRE(s.has_value());
      BOOST_TEST(s->offset > a->slice_offset());  // offsets in the whole file
      vl::module_info info;
      BOOST_REQUIRE(vl::decode_metadata(a->section_data(*s), false, info, &why).has_value());
      BOOST_TEST((info.id.arch == vl::architecture::aarch64));
      auto x = macho::reader::parse(span_of(fat), vl::architecture::x86_64, &why);
      BOOST_REQUIRE(x.has_value());
      BOOST_TEST(x->slice_offset() == 4096u);
      BOOST_TEST(macho::reader::parse(span_of(fat), vl::architecture::riscv64, &why).error() == errc::exec_format);
      // read_plugin reads the slice of this program's architecture.
      if (vl::host_architecture == vl::architecture::x86_64 || vl::host_architecture == vl::architecture::aarch64) {
        auto info2 = vl::read_plugin(span_of(fat), &why);
        BOOST_REQUIRE_MESSAGE(info2.has_value(), why.format().c_str());
        BOOST_TEST((info2->id.arch == vl::host_architecture));
      }
      // A slice outside the file is refused.
      auto bad = fat;
      put_be32(bad, 8 + (wide ? 32 : 20) + 8 + (wide ? 4 : 0), 0x7ffffff0u);
      BOOST_TEST(macho::reader::parse(span_of(bad), vl::architecture::aarch64, &why).error() == errc::malformed);
      BOOST_TEST((why.kind() == errc::malformed));  // the reader says the kind itself
    }
  }
}

BOOST_AUTO_TEST_CASE(truncated_and_corrupted_files_never_crash) {
  if (skip_without_objects()) return;
  const auto bundle = as_bundle(bytes_of(object_path("x86_64")));
  const auto fat = fat_of({{macho::cpu_x86_64, bundle}, {macho::cpu_arm64, bundle}}, false);
  vitte::diagnostic why;
  auto full = macho::reader::parse(span_of(bundle), vl::architecture::x86_64, &why).value();
  const auto meta = full.find_section(VITTE_PLUGIN_MACHO_SEGMENT, VITTE_PLUGIN_MACHO_SECTION).value();
  for (const auto* file : {&bundle, &fat}) {
    for (std::size_t n = 0; n < file->size(); n += (n < 256 ? 1 : 7)) {
      std::span<const std::byte> cut(file->data(), n);
      auto r = vl::read_plugin(cut, &why);
      if (file == &bundle && n < meta.offset + meta.size) BOOST_TEST(!r.has_value());
      if (!r) BOOST_TEST((why.kind() == r.error().kind()));
    }
  }
  // Every byte of the header and load commands flipped, one at a time.
  std::uint32_t sizeofcmds = 0;
  std::memcpy(&sizeofcmds, bundle.data() + 20, 4);
  for (std::size_t i = 0; i < 32 + sizeofcmds && i < bundle.size(); ++i)
    for (unsigned char x : {0x01, 0x80, 0xff}) {
      auto b = bundle;
      b[i] ^= std::byte{x};
      (void)vl::read_plugin(span_of(b), &why);
      if (auto r = macho::reader::parse(span_of(b), vl::architecture::x86_64, &why))
        for (std::uint32_t k = 0; k < r->section_count(); ++k)
          if (auto s = r->section_at(k)) (void)r->section_data(*s).size();
    }
}

BOOST_AUTO_TEST_SUITE_END()
