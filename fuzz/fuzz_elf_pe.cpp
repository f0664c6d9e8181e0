// libFuzzer target: the native plugin readers (vitte/loader/elf.hpp,
// pe.hpp, inspect.hpp) on arbitrary bytes: the whole-file reader, every
// section of whichever container parses, the build id, and the metadata
// decoder on the raw input in both byte orders. Build and run with
// fuzz/run.sh (target elf_pe; seeds from fuzz/make_elf_pe_corpus.py).
#include <vitte/loader/elf.hpp>
#include <vitte/loader/inspect.hpp>
#include <vitte/loader/pe.hpp>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace vl = vitte::loader;
  const std::span<const std::byte> bytes{reinterpret_cast<const std::byte*>(data), size};
  vl::parse_problem why;
  if (auto info = vl::read_plugin(bytes, &why)) (void)vl::check_compatible(*info);
  if (auto elf = vl::elf::reader::parse(bytes, &why)) {
    for (std::uint32_t i = 0; i < elf->section_count(); ++i)
      if (auto s = elf->section_at(i, &why)) (void)elf->section_data(*s).size();
    (void)elf->build_id().size();
  }
  if (auto pe = vl::pe::reader::parse(bytes, &why)) {
    for (std::uint32_t i = 0; i < pe->section_count(); ++i)
      if (auto s = pe->section_at(i, &why)) (void)pe->section_data(*s).size();
  }
  vl::module_info m;
  (void)vl::decode_metadata(bytes, false, m, &why);
  (void)vl::decode_metadata(bytes, true, m, &why);
  return 0;
}
