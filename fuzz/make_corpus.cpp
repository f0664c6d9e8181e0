// Writes the seed corpus of fuzz/corpus/: small valid containers (signed by
// the all-zero seed's key, unsigned, each payload kind, custom sections) and
// manifests in the fuzz_manifest input layout. Run by fuzz/run.sh when the
// corpus is missing; the files are committed.
#include <vitte/loader/vitmod.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace loader = vitte::loader;

static void write(const std::string& path, const std::vector<std::byte>& bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return;
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
}

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : "fuzz/corpus";
  const auto kp = vitte::crypto::ed25519::key_pair_from_seed({});
  std::vector<loader::vitmod_builder> builders;
  loader::vitmod_builder b;
  b.manifest.name = "hello";
  b.manifest.version = "1.0.0";
  b.payload = {std::byte{1}, std::byte{2}, std::byte{3}};
  builders.push_back(b);
  b.manifest.version = "2.3.4-rc.1+build.5";
  b.manifest.dependencies = {{"log", "^1.2", false}, {"net", ">=1.0.0 <2 || ~3.1", true}};
  b.manifest.exports = {{"greet", loader::symbol_kind::function, 2}, {"table", loader::symbol_kind::data, 1}};
  b.manifest.imports = {{"log", "write", loader::symbol_kind::function}};
  builders.push_back(b);
  b.payload_kind = loader::payload_kind::wasm;
  b.custom = {{"debug", std::vector<std::byte>(16, std::byte{0x5a}), false, 8},
              {"required-debug", std::vector<std::byte>(3, std::byte{1}), true, 4}};
  builders.push_back(b);
  b.payload_kind = loader::payload_kind::native;
  b.target = {62, 1};
  b.payload_alignment = 64;
  b.manifest.name = "ünïcödé";
  builders.push_back(b);
  int n = 0;
  for (const auto& builder : builders) {
    const std::string base = dir + "/vitmod/seed" + std::to_string(n++);
    write(base + "-signed.vitmod", builder.build(&kp));
    write(base + "-unsigned.vitmod", builder.build());
    // The manifest alone, in fuzz_manifest's layout: split byte, manifest, strings.
    loader::string_table_builder strings;
    const std::vector<std::byte> m = builder.manifest.encode(strings);
    std::vector<std::byte> input;
    const std::size_t total = 1 + m.size() + strings.bytes().size();
    std::size_t split_byte = 0;
    while (split_byte < 256 && split_byte % (total) != m.size()) ++split_byte;
    input.push_back(static_cast<std::byte>(split_byte));
    input.insert(input.end(), m.begin(), m.end());
    input.insert(input.end(), strings.bytes().begin(), strings.bytes().end());
    write(dir + "/manifest/seed" + std::to_string(n - 1), input);
  }
  return 0;
}
