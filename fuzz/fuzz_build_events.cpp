// libFuzzer target: the build events file (toolchain::read_events,
// vitte/toolchain/build_events.hpp) and what is made of it, with the
// reader's promises asserted:
//   - it reads whole records only: the events read, written again, are a
//     prefix of the input's records, byte for byte, and read back the same
//     and untorn;
//   - torn exactly when bytes are left after the last record read, and then
//     the problem's offset lies inside the input;
//   - every event has a known kind and tier and at most max_event_after steps
//     it waited for;
//   - the summary of any events, and its .ninja_log, keep their shapes: a
//     step starts once, a .ninja_log line has five fields, the trace has no
//     raw control byte.
// Seeds: fuzz/corpus/build_events (files of a real build, cut and damaged).
// Build and run with fuzz/run.sh.
#include <vitte/toolchain/build_events.hpp>
#include <vitte/toolchain/build_trace.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace toolchain = vitte::toolchain;
  const vitte::span<const std::byte> in(reinterpret_cast<const std::byte*>(data), size);
  vitte::diagnostic problem;
  auto r = toolchain::read_events(in, &problem);
  if (!r) {
    check(size < 8 || std::memcmp(data, "VITTEEV1", 8) != 0);
    check(problem.kind() == r.error().kind() && problem.offset() == 0);
    return 0;
  }
  vitte::buffer<std::byte> again(in.begin(), in.begin() + 8);
  for (const toolchain::build_event& e : r->events) {
    check(static_cast<unsigned>(e.kind) >= 1 && static_cast<unsigned>(e.kind) <= 4);
    check(static_cast<std::size_t>(e.tier) < toolchain::cache_tier_count);
    check(e.after.size() <= toolchain::max_event_after);
    toolchain::encode_event(e, again);
  }
  check(again.size() <= size);
  check(std::memcmp(again.data(), data, again.size()) == 0);
  check(r->torn == (again.size() != size));
  if (r->torn) check(problem.kind() == vitte::errc::malformed && problem.offset() <= size);
  if (!r->torn) check(!problem);
  auto back = toolchain::read_events(vitte::span<const std::byte>(again.data(), again.size()));
  check(back && !back->torn && back->events.size() == r->events.size());

  toolchain::build_summary s;
  for (const toolchain::build_event& e : r->events) toolchain::apply(s, e);
  check(s.steps.size() <= r->events.size());
  check(s.finished <= s.steps.size());
  for (std::size_t i = 0; i < s.steps.size(); ++i)
    for (std::uint32_t a : s.steps[i].after) check(a < i);
  const vitte::text log = toolchain::ninja_log(s);
  std::size_t tabs = 0, lines = 0;
  for (char c : log.view()) {
    if (c == '\t') ++tabs;
    if (c == '\n') ++lines;
  }
  check(tabs == 4 * (lines - 1));
  const vitte::text trace = toolchain::chrome_trace(s);
  for (char c : trace.view()) check(static_cast<unsigned char>(c) >= 0x20 || c == '\n');
  const vitte::buffer<std::uint32_t> path = toolchain::critical_path(s);
  for (std::size_t k = 1; k < path.size(); ++k) check(path[k - 1] < path[k]);
  return 0;
}
