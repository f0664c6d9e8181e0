// libFuzzer target: the manifest decoder, the semver parsers and the
// module description `vitte pack` reads (the whole input as its text). The
// first byte splits the input into the manifest and the string table. A
// description that parses has a name and a semver version, and builds a
// container that reads back with the same manifest; one that does not says
// which line. Build and run with fuzz/run.sh (seeds: fuzz/corpus/manifest,
// and fuzz/corpus/description for the description).
#include <vitte/loader/description.hpp>
#include <vitte/loader/manifest.hpp>
#include <vitte/loader/semver.hpp>
#include <vitte/loader/vitmod.hpp>

#include <algorithm>  // std::count: the lines
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace loader = vitte::loader;
  if (size == 0) return 0;
  const std::size_t split = size == 1 ? 0 : data[0] % size;
  const auto* p = reinterpret_cast<const std::byte*>(data + 1);
  const std::span<const std::byte> all{p, size - 1};
  const std::span<const std::byte> manifest = all.first(split < all.size() ? split : all.size());
  const std::span<const std::byte> strings = all.subspan(manifest.size());
  loader::manifest_limits limits;
  limits.max_dependencies = 64;
  auto m = loader::manifest_view::parse(manifest, strings, limits);
  std::size_t sum = 0;
  if (m) {
    for (const auto& d : m->dependencies()) sum += loader::semver_range::satisfied_by(d.range, m->version());
    for (const auto& e : m->exports()) sum += e.name.size();
    for (const auto& i : m->imports()) sum += i.name.size();
  }
  // The strings as free text: the semver parsers must never misbehave.
  const std::string_view text{reinterpret_cast<const char*>(strings.data()), strings.size()};
  loader::semver v;
  if (loader::semver::parse(text, v)) sum += v.major;
  if (loader::semver_range::validate(text)) sum += loader::semver_range::satisfied_by(text, v);
  // The whole input as a description.
  loader::vitmod_builder b;
  vitte::buffer<loader::custom_file> files;
  vitte::diagnostic why;
  const vitte::text_view all_text(reinterpret_cast<const char*>(data), size);
  if (loader::parse_description(all_text, b, files, &why)) {
    if (b.manifest.name.empty() || !loader::semver::parse(b.manifest.version, v)) __builtin_trap();
    for (const auto& f : files)
      if (f.name.empty() || f.path.empty()) __builtin_trap();
    const std::vector<std::byte> built = b.build();
    auto back = loader::vitmod_view::parse(std::span<const std::byte>(built));
    if (!back || back->manifest().name() != b.manifest.name) __builtin_trap();
  } else if (why.message().empty() || why.kind() != vitte::errc::malformed ||
             why.line() > static_cast<std::uint32_t>(std::count(data, data + size, '\n')) + 1) {
    __builtin_trap();  // says why, and on a line of the text (or none)
  }
  return sum == 0xFFFFFFFF ? 1 : 0;
}
