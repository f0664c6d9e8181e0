// libFuzzer target: what verify_package() reads from a package's directory,
// fed hostile bytes. The first byte picks the reader: 0 a signify public
// key, 1 a signify secret key, 2 an embedded signature (checked against a
// fixed key), 3 an ar archive (a .deb), 4 a manifest.json, 5 a SHA256SUMS
// list. None may crash, hang or read out of bounds; what parses must
// round-trip (a key written back reads the same; ar members lie inside the
// input). Build and run with fuzz/run.sh; seeds: fuzz/make_package_corpus.py.
#include <vitte/base/detail/json_reader.hpp>  // json_reader
#include <vitte/release/detail/ar.hpp>        // ar_member
#include <vitte/release/package.hpp>
#include <vitte/release/signify.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace sg = vitte::release::signify;
namespace bd = vitte::release::detail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > 65536) return 0;
  const vitte::text_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto* bytes = reinterpret_cast<const std::byte*>(data + 1);
  switch (data[0] % 6) {
    case 0: {
      vitte::diagnostic why;
      auto k = sg::read_public_key(in, &why);
      if (!k && (why.message().empty() || why.kind() != k.error().kind())) std::abort();
      if (k) {
        auto again = sg::read_public_key(sg::public_key_file(*k, "x"));
        if (!again || again->key != k->key || again->number != k->number) std::abort();
      }
      break;
    }
    case 1: {
      auto k = sg::read_secret_key(in);
      if (k && sg::public_of(*k).key != vitte::crypto::ed25519::key_pair_from_seed(k->pair.seed).public_key)
        std::abort();
      break;
    }
    case 2: {
      vitte::crypto::ed25519::seed s{};
      const sg::secret_key k = sg::from_key_pair(vitte::crypto::ed25519::key_pair_from_seed(s));
      auto m = sg::verify_embedded(sg::public_of(k), in);
      if (m && (m->data() < in.data() || m->data() + m->size() > in.data() + in.size())) std::abort();
      break;
    }
    case 3: {
      std::vector<bd::ar_member> members;
      vitte::diagnostic why;
      if (bd::ar_read(vitte::span<const std::byte>(bytes, size - 1), members, &why)) {
        for (const auto& m : members)
          if (m.data.data() < bytes || m.data.data() + m.data.size() > bytes + (size - 1)) std::abort();
      } else if (why.message().empty() || why.kind() != vitte::errc::malformed || why.offset() > size - 1) {
        std::abort();
      }
      break;
    }
    case 4: {
      vitte::detail::json_value v;
      vitte::detail::json_reader r(in);
      if (r.parse(v)) {
        std::vector<bd::package_member> members;
        std::vector<bd::package_entry> entries;
        (void)bd::manifest_lists(v, members, entries);
      } else if (r.at > in.size()) {
        std::abort();
      }
      break;
    }
    default: {
      std::vector<bd::sum_line> lines;
      if (bd::parse_sums(in, lines))
        for (const auto& l : lines)
          if (l.sha256.size() != 64 || l.file.find('/') != std::string::npos) std::abort();
      break;
    }
  }
  return 0;
}
