// libFuzzer target: what the loader reads of a .wasm file to plan a load
// (vitte/loader/wasm_module.hpp): the sections it walks (types, imports,
// functions, exports, custom) and the vitte.module section, as a whole
// module and as a bare section payload. Build and run with fuzz/run.sh;
// seeds: fuzz/make_wasm_module_corpus.py.
#include <vitte/loader/wasm_module.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace vl = vitte::loader;
  const std::span<const std::byte> bytes{reinterpret_cast<const std::byte*>(data), size};
  std::size_t sum = 0;
  vitte::diagnostic why;
  auto info = vl::read_wasm_module(bytes, "fuzz.wasm", &why);
  if (info) {
    for (const auto& e : info->exports) sum += e.name.size() + e.signature;
    for (const auto& i : info->imports) sum += i.module.size() + i.signature;
    for (const auto& d : info->dependencies) sum += d.range.size();
  } else if (!why.has_offset() || why.offset() > size || why.kind() != info.error().kind()) {
    __builtin_trap();  // a problem is placed inside the input, of the error's kind
  }
  // The same bytes as a section payload; what decodes must encode back to
  // a payload that decodes the same.
  vl::wasm_module_section s;
  if (vl::decode_wasm_module_section(bytes, s)) {
    const std::vector<std::byte> again = vl::encode_wasm_module_section(s);
    vl::wasm_module_section t;
    std::size_t head = 1;  // id, then the size's LEB128 bytes, then the name
    while (head < again.size() && (again[head] & std::byte{0x80}) != std::byte{0}) ++head;
    head += 2 + vl::wasm_module_section_name.size();
    if (again.size() < head || !vl::decode_wasm_module_section(std::span<const std::byte>(again).subspan(head), t) ||
        t.name != s.name || t.version != s.version || t.exports.size() != s.exports.size() ||
        t.imports.size() != s.imports.size() || t.dependencies.size() != s.dependencies.size())
      __builtin_trap();
  }
  return sum == 0xFFFFFFFF ? 1 : 0;
}
