// vitte/toolchain/build_trace.hpp - a build's summary (vitte/toolchain/build_events.hpp)
// written out: Chrome trace event JSON, .ninja_log v5 lines, the critical
// path, and the JSON a monitor page polls.
//
//   namespace toolchain = vitte::toolchain;
//   toolchain::build_summary sum = log.summary();
//   sys::write_file("out/trace.json", toolchain::chrome_trace(sum)).value();     // Perfetto, chrome://tracing
//   sys::write_file("out/.ninja_log", toolchain::ninja_log(sum)).value();       // ninja -t, ninjatracing
//   buffer<std::uint32_t> path = toolchain::critical_path(sum);             // first step to last
//
// The trace (the Trace Event Format, JSON object form): one process, a
// track per worker slot (tid = slot, named "worker N"), a complete event
// ("ph":"X") per step with its reason, cache tier, place, status and
// output size in "args"; a flow ("s" then "f") from each step to each step
// that waited for it; counters ("C") of steps running and of cache hits by
// tier. Events are in time order, so every track's timestamps rise; steps of
// one slot never overlap (build_events.hpp), so slices nest trivially.
// Times are microseconds from the build's start.
//
// .ninja_log: "# ninja log v5", then a line per finished step that has an
// output, in the order they ended (as ninja writes them): start and end in milliseconds, a restat time (0), the output,
// and ninja's 64-bit MurmurHash of the step's command line (step_summary::command_hash; of its name when that is 0)
// in hexadecimal. A tab, CR or LF in an output's name (which would
// break the line's fields) becomes '?'.
//
// Thread safety: pure functions of their arguments.
#ifndef VITTE_TOOLCHAIN_BUILD_TRACE_HPP
#define VITTE_TOOLCHAIN_BUILD_TRACE_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/toolchain/build_events.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::toolchain {

/// The build as Chrome trace event JSON (see the header).
VITTE_DECL text chrome_trace(const build_summary& s);

/// The build as a .ninja_log (v5) of the steps that finished; outputs
/// under `build_dir` are named relative to it, as ninja names them.
VITTE_DECL text ninja_log(const build_summary& s, text_view build_dir = {});

/// ninja's hash of a command (MurmurHash64A, seed 0xDECAFBADDECAFBAD).
VITTE_DECL std::uint64_t ninja_command_hash(text_view command) noexcept;

/// The chain of steps, each waiting for the one before, whose durations add
/// up to the most (the steps that bounded the build's length), first step
/// first. Empty when no step finished.
VITTE_DECL buffer<std::uint32_t> critical_path(const build_summary& s);

/// What a monitor page polls: the counters, the steps from `from` on (each
/// with name, output, why, tier, where, slot, start and end in
/// milliseconds, status, output bytes), the critical path once the build is
/// done and the slowest `slowest` steps, as one JSON object.
VITTE_DECL text monitor_json(const build_summary& s, std::size_t from, std::size_t slowest = 10);

}  // namespace vitte::toolchain

#if VITTE_HEADER_ONLY
#include <vitte/toolchain/impl/build_trace.ipp>
#endif

#endif  // VITTE_TOOLCHAIN_BUILD_TRACE_HPP
