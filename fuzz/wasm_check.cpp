// wasm_check FILE... - prints, per file, "accept" or "reject KIND" as
// vitte::wasm::decode judges it; fuzz/wasm_differential.py compares that with
// wabt's wasm-validate.
#include <vitte/wasm/module.hpp>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <vector>

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::ifstream f(argv[i], std::ios::binary);
    std::vector<std::uint8_t> b((std::istreambuf_iterator<char>(f)), {});
    vitte::diagnostic why;
    auto m = vitte::wasm::decode(vitte::as_bytes(vitte::span<const std::uint8_t>(b)), &why);
    if (m)
      std::printf("accept\n");
    else
      std::printf("reject %s %s\n", vitte::to_string(m.error().kind()).data(), why.format().c_str());
  }
}
