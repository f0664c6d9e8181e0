// libFuzzer target: the .vitmod container reader, then everything a loader
// reads from a container that parsed (sections, names, manifest lists,
// signature check). Build and run with fuzz/run.sh.
#include <vitte/loader/signature.hpp>
#include <vitte/loader/vitmod.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

const vitte::loader::trust_store& store() {
  static const vitte::loader::trust_store s = [] {
    vitte::loader::trust_store t;
    t.add(vitte::crypto::ed25519::key_pair_from_seed({}).public_key, "zero");  // the corpus's key
    return t;
  }();
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace loader = vitte::loader;
  const std::span<const std::byte> bytes{reinterpret_cast<const std::byte*>(data), size};
  static constexpr vitte::text_view known[] = {"required-debug"};
  loader::vitmod_limits limits;
  limits.known_custom = known;
  vitte::diagnostic why;
  auto v = loader::vitmod_view::parse(bytes, limits, &why);
  if (!v) {
    // Every refusal says why, of the error's kind, inside the input.
    if (why.message().empty() || why.kind() != v.error().kind() || !why.has_offset() || why.offset() > size)
      __builtin_trap();
    return 0;
  }
  std::size_t sum = 0;
  for (std::uint32_t i = 0; i < v->section_count(); ++i) {
    const loader::section_view s = v->section(i);
    sum += s.bytes.size() + v->section_name(s).size();
  }
  const loader::manifest_view& m = v->manifest();
  for (const auto& d : m.dependencies()) sum += d.module.size() + d.range.size();
  for (const auto& e : m.exports()) sum += e.name.size() + e.version;
  for (const auto& i : m.imports()) sum += i.module.size() + i.name.size();
  sum += v->payload().size();
  (void)loader::verify_signature(*v, store());
  return sum == 0xFFFFFFFF ? 1 : 0;  // keep `sum` alive
}
