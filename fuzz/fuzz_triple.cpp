// libFuzzer target: target triples (vitte/machine) from hostile text. Parsing
// never fails; the normalised text grows by a bounded amount (an empty
// component becomes "unknown", at most four components are added),
// normalising it again is stable for triples of at most four components
// (but for "androideabiX", which LLVM's rule rewrites to "androidX" each
// time: "androideabieabi" becomes "androideabi", then "android"), and the
// accessors agree with the text. Build and run with fuzz/run.sh; seeds:
// fuzz/corpus/triple (a sample of tests/machine/clang_triples.inc).
#include <vitte/machine/triple.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 256) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const vitte::text once = vitte::machine::normalize(in);
  std::size_t components = 1;
  for (char c : in) components += c == '-';
  if (once.size() > size + 8 * (components + 4)) std::abort();
  const vitte::machine::triple t = vitte::machine::triple::parse(in);
  if (std::string_view(t.str()) != std::string_view(once)) std::abort();
  std::size_t dashes = 0;
  for (char c : std::string_view(once)) dashes += c == '-';
  const bool android_rewrite = std::string_view(once).find("androideabi") != std::string_view::npos;
  if (dashes < 4 && !android_rewrite && std::string_view(vitte::machine::normalize(once)) != std::string_view(once))
    std::abort();
  if (t.known_arch() != (t.pointer_width() != 0)) std::abort();
  (void)vitte::machine::triple::resolve(in);
  return 0;
}
