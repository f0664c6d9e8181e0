// libFuzzer target: a dyndep file as ninja reads it
// (toolchain::parse_ninja_dyndep), its outputs answered by a stand-in for
// the build's graph: a path starting with 'x' is made by no step, any
// other by the step numbered by its length (so two outputs of one length
// name one step).
// Invariants:
//   - failure: malformed or limit_exceeded, the diagnostic of that kind,
//     with a message, naming the file, at a line of it;
//   - success: every path is non-empty and canonical; no statement names
//     a path no step makes, and no two name one step; the same input read
//     without the graph (any output taken) succeeds with the same
//     statements.
// Build and run with fuzz/run.sh.
#include <vitte/toolchain/ninja_manifest.hpp>

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

namespace {

std::int64_t step_of(vitte::text_view path, void*) {
  return !path.empty() && path[0] == 'x' ? -1 : static_cast<std::int64_t>(path.size());
}

bool canonical(const vitte::text& p) { return !p.empty() && vitte::toolchain::ninja_canonical_path(p) == p; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace toolchain = vitte::toolchain;
  const std::string input(reinterpret_cast<const char*>(data), size);
  vitte::diagnostic why;
  auto f = toolchain::parse_ninja_dyndep(input, "dd", {&step_of, nullptr}, &why);
  if (!f) {
    const vitte::errc k = f.error().kind();
    if (k != vitte::errc::malformed && k != vitte::errc::limit_exceeded) __builtin_trap();
    if (why.kind() != k || why.message().empty() || why.subject() != "dd") __builtin_trap();
    std::size_t lines = 1;
    for (const char c : input.substr(0, input.find('\0'))) lines += c == '\n';
    if (why.line() == 0 || why.line() > lines) __builtin_trap();
    return 0;
  }
  std::set<std::size_t> steps;
  for (const toolchain::ninja_dyndep& d : f->statements) {
    if (!canonical(d.output) || step_of(d.output, nullptr) < 0) __builtin_trap();
    if (!steps.insert(d.output.size()).second) __builtin_trap();
    for (const vitte::text& p : d.implicit_outputs)
      if (!canonical(p)) __builtin_trap();
    for (const vitte::text& p : d.implicit_inputs)
      if (!canonical(p)) __builtin_trap();
  }
  auto loose = toolchain::parse_ninja_dyndep(input, "dd", {}, nullptr);
  if (!loose || loose->statements.size() != f->statements.size()) __builtin_trap();
  for (std::size_t i = 0; i < f->statements.size(); ++i) {
    const toolchain::ninja_dyndep &a = f->statements[i], &b = loose->statements[i];
    if (a.output != b.output || a.restat != b.restat || a.implicit_inputs.size() != b.implicit_inputs.size() ||
        a.implicit_outputs.size() != b.implicit_outputs.size())
      __builtin_trap();
  }
  return 0;
}
