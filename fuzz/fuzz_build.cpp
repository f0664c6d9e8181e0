// libFuzzer target: the cache layer's parsers. The first byte picks one:
// index.vitte records (cache::index::parse, and index::of_bytes holding
// the same steps), depfiles (cache::parse_depfile),
// and the cache's sealed manifests (cache::detail::unseal + parse_manifest,
// re-sealed so the parser is reached past the digest). Build and run with
// fuzz/run.sh.
#include <vitte/cache/cache.hpp>
#include <vitte/cache/depfile.hpp>
#include <vitte/cache/index.hpp>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace cache = vitte::cache;
  if (size == 0) return 0;
  const auto* p = reinterpret_cast<const std::byte*>(data + 1);
  const vitte::span<const std::byte> rest{p, size - 1};
  switch (data[0] % 3) {
    case 0: {
      vitte::diagnostic problem;
      auto records = cache::index::parse(rest, problem);
      // A damaged index names the damage: malformed, at an offset inside it.
      if (problem && (problem.kind() != vitte::errc::malformed || !problem.has_offset() ||
                      problem.offset() > rest.size() || problem.message().empty()))
        __builtin_trap();
      // An index opened on the same bytes holds the same steps (decoded
      // on demand) and names the same damage.
      auto opened = cache::index::of_bytes("index.vitte", vitte::buffer<std::byte>(rest));
      const vitte::diagnostic& seen = opened.describe();
      if (opened.size() != records.size() || seen.message() != problem.message() ||
          seen.has_offset() != problem.has_offset() || (seen.has_offset() && seen.offset() != problem.offset()))
        __builtin_trap();
      for (const auto& [name, rec] : records) {
        const cache::step_record* mine = opened.find(name);
        if (mine == nullptr || mine->command != rec.command || mine->inputs.size() != rec.inputs.size() ||
            mine->outputs.size() != rec.outputs.size())
          __builtin_trap();
      }
      // What parses must serialize and parse back to the same records.
      auto again = cache::index::parse(cache::index::serialize(records).span(), problem);
      if (again.size() != records.size() || problem) __builtin_trap();
      break;
    }
    case 1: {
      vitte::diagnostic why;
      auto d = cache::parse_depfile({reinterpret_cast<const char*>(p), size - 1}, &why);
      if (!d && (why.kind() != vitte::errc::malformed || why.message().empty() || why.line() == 0)) __builtin_trap();
      break;
    }
    default: {
      vitte::buffer<std::byte> sealed(rest);
      cache::detail::seal(sealed);
      auto body = cache::detail::unseal(sealed.span(), cache::detail::manifest_magic);
      vitte::buffer<cache::detail::candidate> list;
      if (!body.empty()) (void)cache::detail::parse_manifest(body, list);
      break;
    }
  }
  return 0;
}
