// Triple benchmarks: vitte::machine::normalize and triple::parse against
// LLVM's Triple::normalize (the libLLVM that clang uses, loaded at run time)
// and against splitting and joining the components with std::string (the
// floor: what any normaliser pays to copy the text), in the same run.
//
//   bench_target                         libLLVM-14.so.1 when the loader finds it
//   bench_target --peer llvm=/path/libLLVM.so
//
// Prints JSON lines (docs/BENCHMARKS.md); the LLVM line is skipped, with a
// note on stderr, when no libLLVM is found.
#include <vitte/machine/triple.hpp>

#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <dlfcn.h>

#include "harness.hpp"

namespace vt = vitte::machine;

namespace {

// What a build tool sees: canonical triples, GNU spellings, short forms.
constexpr const char* inputs[] = {
    "x86_64-unknown-linux-gnu", "x86_64-linux-gnu",      "x86_64-w64-mingw32",  "aarch64-apple-darwin",
    "armv7-linux-gnueabihf",    "wasm32-wasi",           "thumbv7em-none-eabi", "riscv64-unknown-linux-gnu",
    "x86_64-pc-windows-msvc",   "aarch64-linux-android", "linux-x86_64",        "mips64el-linux-gnuabi64",
};
constexpr std::size_t count = sizeof(inputs) / sizeof(inputs[0]);

struct string_ref {  // llvm::StringRef: passed by value in two registers
  const char* data;
  std::size_t size;
};
using llvm_normalize = std::string (*)(string_ref);

std::string split_and_join(std::string_view s) {
  std::vector<std::string_view> parts;
  for (;;) {
    std::size_t dash = s.find('-');
    parts.push_back(s.substr(0, dash));
    if (dash == std::string_view::npos) break;
    s.remove_prefix(dash + 1);
  }
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i != 0) out += '-';
    out += parts[i];
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const char* llvm_path = "libLLVM-14.so.1";
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], "--peer") == 0 && std::strncmp(argv[i + 1], "llvm=", 5) == 0) llvm_path = argv[i + 1] + 5;
  llvm_normalize llvm = nullptr;
  if (void* lib = ::dlopen(llvm_path, RTLD_NOW | RTLD_LOCAL)) {
    llvm = reinterpret_cast<llvm_normalize>(::dlsym(lib, "_ZN4llvm6Triple9normalizeB5cxx11ENS_9StringRefE"));
    // The same answers, or the comparison means nothing.
    for (const char* in : inputs)
      if (llvm != nullptr && std::string_view(vt::normalize(in)) != llvm({in, std::strlen(in)})) {
        std::fprintf(stderr, "bench_target: vitte and LLVM disagree on %s\n", in);
        return 1;
      }
  }
  if (llvm == nullptr) std::fprintf(stderr, "bench_target: no libLLVM (%s): LLVM's line skipped\n", llvm_path);

  std::size_t next = 0;
  auto pick = [&] { return inputs[next++ % count]; };
  bench::suite normalize("target.normalize");
  normalize.add("vitte", [&] { return vt::normalize(pick()).size(); });
  if (llvm != nullptr)
    normalize.add("llvm::Triple::normalize", [&] {
      const char* in = pick();
      return llvm({in, std::strlen(in)}).size();
    });
  normalize.add("std::string split+join", [&] { return split_and_join(pick()).size(); });
  normalize.run();

  bench::suite parse("target.parse");
  parse.add("vitte", [&] { return vt::triple::parse(pick()).pointer_width(); });
  if (llvm != nullptr)
    parse.add("llvm::Triple::normalize", [&] {
      const char* in = pick();
      return llvm({in, std::strlen(in)}).size();
    });
  parse.run();
  return 0;
}
