// libFuzzer target: the native plugin readers (vitte/loader/elf.hpp,
// pe.hpp, macho.hpp, inspect.hpp) on arbitrary bytes: the whole-file
// reader, every section of whichever container parses (Mach-O: the slice of
// each of three architectures in fat files), the build id, and the metadata
// decoder on the raw input in both byte orders. Build and run with
// fuzz/run.sh (target elf_pe; seeds from fuzz/make_elf_pe_corpus.py).
#include <vitte/loader/elf.hpp>
#include <vitte/loader/inspect.hpp>
#include <vitte/loader/macho.hpp>
#include <vitte/loader/pe.hpp>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace vl = vitte::loader;
  const std::span<const std::byte> bytes{reinterpret_cast<const std::byte*>(data), size};
  vitte::diagnostic why;
  if (auto info = vl::read_plugin(bytes, &why))
    (void)vl::check_compatible(*info);
  else if (why.kind() != info.error().kind() || why.message().empty() || (why.has_offset() && why.offset() > size))
    __builtin_trap();  // every refusal says why, of the error's kind, and places it inside the input
  if (auto elf = vl::elf::reader::parse(bytes, &why)) {
    for (std::uint32_t i = 0; i < elf->section_count(); ++i)
      if (auto s = elf->section_at(i, &why)) (void)elf->section_data(*s).size();
    (void)elf->build_id().size();
  }
  if (auto pe = vl::pe::reader::parse(bytes, &why)) {
    for (std::uint32_t i = 0; i < pe->section_count(); ++i)
      if (auto s = pe->section_at(i, &why)) (void)pe->section_data(*s).size();
  }
  for (vl::architecture want : {vl::architecture::x86_64, vl::architecture::aarch64, vl::architecture::x86}) {
    if (auto m = vl::macho::reader::parse(bytes, want, &why)) {
      (void)m->check_sections(&why);
      for (std::uint32_t i = 0; i < m->section_count() && i < 64; ++i)
        if (auto s = m->section_at(i, &why)) (void)m->section_data(*s).size();
      if (auto s = m->find_section(VITTE_PLUGIN_MACHO_SEGMENT, VITTE_PLUGIN_MACHO_SECTION, &why))
        (void)m->section_data(*s).size();
    }
  }
  vl::module_info m;
  (void)vl::decode_metadata(bytes, false, m, &why);
  (void)vl::decode_metadata(bytes, true, m, &why);
  return 0;
}
