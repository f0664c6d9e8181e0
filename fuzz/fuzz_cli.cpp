// libFuzzer target: the vitte tool's option parser (tools/cli.hpp,
// cli::parse_args) on hostile words (the input split at NUL bytes) against
// three tables: plain, passing what follows `--` on (cross), and options
// ending at the first operand (run). Asserted: a refusal says why; an
// accepted parse keeps only declared options, a flag without a value, never
// --json (the context takes it), and accounts for every word once; every
// view points into the words given. Build and run with fuzz/run.sh; seeds:
// fuzz/corpus/cli.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "../tools/cli.hpp"

namespace {

int nothing(const cli::parsed&, const cli::context&) { return 0; }

constexpr cli::option table[] = {
    {"-p", "<dir>", "a directory"},
    {"--name", "<name>", "a name"},
    {"-o", "<file>", "a file"},
    {"--run", nullptr, "a flag"},
    cli::json_option,
};
const cli::command commands[] = {
    {"plain", "<operands>", "", table, nothing},
    {"cross", "<operands> [-- args]", "", table, nothing, false, true},
    {"run", "<prog> [args...]", "", table, nothing, true},
};

bool inside(std::string_view part, const cli::args& words) {
  if (part.empty()) return true;
  for (std::string_view w : words)
    if (part.data() >= w.data() && part.data() + part.size() <= w.data() + w.size()) return true;
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  cli::args words;
  for (std::size_t at = 0; at <= in.size();) {
    const std::size_t end = std::min(in.find('\0', at), in.size());
    words.push_back(in.substr(at, end - at));
    at = end + 1;
  }
  for (const cli::command& c : commands) {
    cli::context ctx;
    const cli::parsed p = cli::parse_args(c, words, ctx);
    if (p.outcome == cli::verdict::bad) {
      if (p.why.empty()) std::abort();
      continue;
    }
    if (p.outcome == cli::verdict::help) continue;
    std::size_t used = p.operands.size() + p.after_dashes.size();
    for (const auto& [name, value] : p.options) {
      const cli::option* o = nullptr;
      for (const cli::option& k : c.options)
        if (name == k.name) o = &k;
      if (o == nullptr || name == "--json") std::abort();
      if (o->value == nullptr && !value.empty()) std::abort();
      if (!inside(name, words) || !inside(value, words)) std::abort();
      used += 1;
    }
    for (std::string_view w : p.operands)
      if (!inside(w, words)) std::abort();
    for (std::string_view w : p.after_dashes)
      if (!inside(w, words)) std::abort();
    if (!c.passes_dashes && !p.after_dashes.empty()) std::abort();
    // Each word is an operand, an option, an option's value, --json or the `--`.
    if (used > words.size()) std::abort();
    if (p.options.empty() && !ctx.json && used + 1 < words.size()) std::abort();
  }
  return 0;
}
