// libFuzzer target: build.ninja as ninja reads it
// (toolchain::parse_ninja_manifest), with include and subninja served from
// the input itself and small limits, so a hostile manifest meets them.
// The input is a main file, then files separated by NUL bytes named
// "0.ninja", "1.ninja", ... (what `include N.ninja` reads).
// Invariants:
//   - failure: malformed or limit_exceeded, the diagnostic of that kind,
//     with a message, naming a file that exists, at a line of that file;
//   - success: every step has an output; outputs are unique across steps
//     and canonical (ninja_canonical_path leaves them as they are); the
//     explicit/implicit/order-only counts add up; a step names its rule and
//     a phony one has no command; each default names a path some
//     step mentions; every kept value stays under the limits given.
//   - ninja_canonical_path is idempotent on any path.
// Build and run with fuzz/run.sh.
#include <vitte/toolchain/ninja_manifest.hpp>

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace {

struct files {
  std::vector<std::string> bodies;
  static vitte::result<vitte::text> read(vitte::text_view path, void* context, vitte::diagnostic* why) {
    const auto& f = *static_cast<files*>(context);
    for (std::size_t i = 0; i < f.bodies.size(); ++i)
      if (path == vitte::text_view(std::to_string(i) + ".ninja")) return vitte::text(f.bodies[i]);
    if (why != nullptr) why->of(vitte::errc::not_found).about(path).say("no such file");
    return vitte::errc::not_found;
  }
};

std::size_t lines_of(const std::string& s) {
  std::size_t n = 1;
  for (const char c : s) n += c == '\n';
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace toolchain = vitte::toolchain;
  const std::string all(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> parts;
  for (std::size_t from = 0;;) {
    const std::size_t nul = all.find('\0', from);
    parts.push_back(all.substr(from, nul == std::string::npos ? std::string::npos : nul - from));
    if (nul == std::string::npos) break;
    from = nul + 1;
  }
  files f{std::vector<std::string>(parts.begin() + 1, parts.end())};

  const vitte::text once = toolchain::ninja_canonical_path(parts[0].substr(0, 256));
  if (toolchain::ninja_canonical_path(once) != once) __builtin_trap();

  toolchain::ninja_limits limits;
  limits.include_depth = 8;
  limits.steps = 2000;
  limits.value_bytes = 1 << 16;
  limits.expanded_bytes = 1 << 20;
  limits.variable_depth = 32;
  vitte::diagnostic why;
  auto m = toolchain::parse_ninja_manifest(parts[0], "build.ninja", {&files::read, &f}, limits, &why);
  if (!m) {
    const vitte::errc k = m.error().kind();
    if (k != vitte::errc::malformed && k != vitte::errc::limit_exceeded) __builtin_trap();
    if (why.kind() != k || why.message().empty()) __builtin_trap();
    const std::string subject(why.subject());
    const std::string* file = nullptr;
    if (subject == "build.ninja") file = &parts[0];
    for (std::size_t i = 0; i < f.bodies.size(); ++i)
      if (subject == std::to_string(i) + ".ninja") file = &f.bodies[i];
    if (file == nullptr) __builtin_trap();
    const std::string cut = file->substr(0, file->find('\0'));
    if (why.line() == 0 || why.line() > lines_of(cut)) __builtin_trap();
    return 0;
  }
  if (why) __builtin_trap();
  std::set<std::string> outputs, mentioned;
  for (const toolchain::ninja_step& s : m->steps) {
    if (s.outputs.empty() || s.implicit_outputs > s.outputs.size()) __builtin_trap();
    if (std::size_t{s.implicit_inputs} + s.order_only_inputs > s.inputs.size()) __builtin_trap();
    for (const vitte::text& o : s.outputs) {
      if (o.empty() || toolchain::ninja_canonical_path(o) != o) __builtin_trap();
      if (!outputs.insert(std::string(o.view())).second) __builtin_trap();
      mentioned.insert(std::string(o.view()));
    }
    for (const vitte::text& i : s.inputs) {
      if (i.empty() || toolchain::ninja_canonical_path(i) != i) __builtin_trap();
      mentioned.insert(std::string(i.view()));
    }
    for (const vitte::text& v : s.validations) mentioned.insert(std::string(v.view()));
    if (s.rule.empty() || (s.rule == "phony" && !s.command.empty())) __builtin_trap();
    if (s.command.size() > limits.value_bytes || s.description.size() > limits.value_bytes) __builtin_trap();
  }
  for (const vitte::text& d : m->defaults)
    if (mentioned.count(std::string(d.view())) == 0) __builtin_trap();
  return 0;
}
