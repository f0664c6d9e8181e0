// vitte/toolchain/build_events.hpp - what a build did, step by step: events,
// a bounded ring of the latest, a summary per step, and an append-only file
// that a build killed half way still leaves readable.
//
//   namespace toolchain = vitte::toolchain;
//   toolchain::event_log log({.ring_capacity = 4096});
//   log.open_file("out/events.vitte").value();           // optional: every event appended, whole
//   log.build_started(plan.size(), jobs);
//   std::uint32_t s = log.step_started("cc a.c", "out/a.o", "input changed: a.h", {});   // its worker slot
//   log.step_finished(id, {.status = 0, .tier = toolchain::cache_tier::none, .where = "local", .output_bytes = 812});
//   log.build_finished();
//   toolchain::build_summary sum = log.summary();            // per step: times, slot, tier, why; counters
//
//   vitte::diagnostic why;
//   auto events = toolchain::read_events(bytes, &why);        // a file's events; a torn last record is reported
//
// A step is numbered by the caller (0, 1, ... in the order it started); its
// worker slot is the lowest free one when it starts and is freed when it
// ends, so two steps of one slot never overlap in time: slots are the
// tracks of a trace (vitte/toolchain/build_trace.hpp). Times are
// nanoseconds of the monotonic clock from build_started().
//
// The file: "VITTEEV1", then records, each a little-endian u32 length, a
// u32 check (the FNV-1a of the payload, folded to 32 bits) and the payload
// (docs/MONITOR.md). A record is written in one write() at the file's end,
// so a build killed between two events leaves whole records;
// read_events() stops at a record cut short or damaged and says where.
//
// Errors: those of opening and writing the file (open, write); read_events:
// malformed (not an events file), with a diagnostic at the byte offset of
// the damage (the bytes have no name here: a caller that read them from a
// file adds its path).
// Thread safety: an event_log may be used from several threads (a mutex
// guards it); summary() and the ring's copies are snapshots.
#ifndef VITTE_TOOLCHAIN_BUILD_EVENTS_HPP
#define VITTE_TOOLCHAIN_BUILD_EVENTS_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>  // what read_events says of a damaged file
#include <vitte/base/span.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/sys/file.hpp>   // the events file
#include <vitte/sys/mutex.hpp>  // the log is shared with a monitor's thread
#include <vitte/sys/platform.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::toolchain {

/// Where a step's outputs came from.
enum class cache_tier : std::uint8_t {
  none,     ///< the step ran
  local,    ///< the local output cache (vitte/cache/cache.hpp)
  http,     ///< a remote HTTP cache
  redis,    ///< a remote Redis cache
  cluster,  ///< a cluster's cache server
};
/// The number of tiers (for arrays indexed by tier).
inline constexpr std::size_t cache_tier_count = 5;

/// "none", "local", "http", "redis", "cluster".
constexpr text_view to_string(cache_tier t) noexcept {
  switch (t) {
    case cache_tier::none:
      return "none";
    case cache_tier::local:
      return "local";
    case cache_tier::http:
      return "http";
    case cache_tier::redis:
      return "redis";
    case cache_tier::cluster:
      return "cluster";
  }
  return "none";
}

/// What an event says.
enum class event_kind : std::uint8_t {
  build_started = 1,   ///< count: steps planned (may grow), slot: jobs
  step_started = 2,    ///< step, slot, name, output, why, after
  step_finished = 3,   ///< step, slot, status, tier, where, output_bytes
  build_finished = 4,  ///< count: steps up to date
};

/// One event, as the ring and the file keep it.
struct build_event {
  event_kind kind = event_kind::step_started;
  cache_tier tier = cache_tier::none;
  std::uint32_t step = 0;
  std::uint32_t slot = 0;
  std::int32_t status = 0;         ///< exit status (0: success; -1: did not run to an exit)
  std::int64_t time_ns = 0;        ///< from build_started
  std::uint64_t count = 0;         ///< build_started: steps planned
  std::uint64_t output_bytes = 0;  ///< step_finished: the size of what it wrote
  text name;                       ///< step_started: what ran ("cc src/a.c")
  text output;                     ///< step_started: its main output ("obj/a.o")
  text why;                        ///< step_started: the index's answer (verdict::to_text())
  text where;                      ///< step_finished: "local", or a server's name
  buffer<std::uint32_t> after;     ///< step_started: the steps it waited for
  std::uint64_t command_hash = 0;  ///< step_started: ninja_command_hash() of its command line; 0: not given
};

/// How a step ended, for step_finished().
struct step_end {
  std::int32_t status = 0;  ///< exit status; 0 is success
  cache_tier tier = cache_tier::none;
  text_view where = "local";
  std::uint64_t output_bytes = 0;
};

/// A step as the summary keeps it.
struct step_summary {
  text name, output, why, where;
  buffer<std::uint32_t> after;     ///< earlier steps it waited for, each once, in order
  std::uint64_t command_hash = 0;  ///< ninja_command_hash() of its command line; 0: not given
  std::int64_t start_ns = -1;      ///< -1: not started
  std::int64_t end_ns = -1;        ///< -1: still running (or never ended: a killed build)
  std::uint32_t slot = 0;
  std::int32_t status = 0;
  cache_tier tier = cache_tier::none;
  std::uint64_t output_bytes = 0;
  bool running() const noexcept { return start_ns >= 0 && end_ns < 0; }
  std::int64_t duration_ns() const noexcept { return end_ns < 0 ? 0 : end_ns - start_ns; }
};

/// A build so far.
struct build_summary {
  buffer<step_summary> steps;
  std::uint64_t planned = 0;  ///< what build_started announced (at least steps.size() once done)
  unsigned jobs = 0;
  std::int64_t end_ns = -1;      ///< -1: still running
  std::uint64_t up_to_date = 0;  ///< steps with nothing to do (known once the build ends)
  std::int64_t now_ns = 0;       ///< the time of the latest event (or of the snapshot)
  std::uint32_t finished = 0, failed = 0, running = 0;
  std::uint32_t most_at_once = 0;
  std::uint32_t served[cache_tier_count] = {};  ///< finished steps by tier (none: ran)
};

/// Applies one event to a summary (events of one build, in order). Events
/// that name steps out of order or twice are ignored.
VITTE_DECL void apply(build_summary& s, const build_event& e);

/// How an event_log keeps events.
struct event_log_options {
  std::size_t ring_capacity = 4096;  ///< the latest events kept in memory (0: none)
};

/// A build's events: a bounded ring, a summary, and optionally a file.
class event_log {
 public:
  explicit event_log(event_log_options o = {});
  event_log(const event_log&) = delete;
  event_log& operator=(const event_log&) = delete;

  /// Appends every event from now on to `path`: created, or cut to its
  /// first 8 bytes (not emptied: ext4 writes out a file emptied by
  /// truncation when it is closed), then "VITTEEV1".
  /// Errors: open, file_size, file_truncate, write.
  status open_file(const sys::path_arg& path);
  /// The first error writing the file (events go on in memory); none when fine.
  status file_status() const;

  /// The build starts: times are counted from here.
  void build_started(std::uint64_t planned, unsigned jobs);
  /// More steps than announced (a driver that learns them as it goes).
  void plan_more(std::uint64_t more);
  /// Step `step` (the next number: 0, 1, ...) starts, at `at_ns` from the
  /// build's start (elapsed_ns() taken earlier) or now (-1); returns its
  /// worker slot. `command_hash`: ninja_command_hash() of the command line
  /// it runs (vitte/toolchain/build_trace.hpp), which a .ninja_log made
  /// from the events records as ninja does (0: the hash of `name`).
  std::uint32_t step_started(std::uint32_t step, text_view name, text_view output, text_view why,
                             span<const std::uint32_t> after, std::int64_t at_ns = -1, std::uint64_t command_hash = 0);
  /// Step `step` ended.
  void step_finished(std::uint32_t step, const step_end& how);
  /// The build ends; `up_to_date`: the steps it found with nothing to do.
  void build_finished(std::uint64_t up_to_date = 0);

  /// A copy of the summary, with now_ns the time of the call.
  build_summary summary() const;
  /// The summary's steps from `from` on (the rest of summary() apart), for polling.
  build_summary summary_since(std::size_t from) const;
  /// The events in the ring, oldest first, and the number of events ever logged.
  buffer<build_event> ring(std::uint64_t* total = nullptr) const;
  /// Nanoseconds since build_started() (0 before).
  std::int64_t elapsed_ns() const;

 private:
  void add(build_event&& e);

  mutable sys::mutex m_;
  event_log_options o_;
  std::int64_t t0_ = 0;
  bool started_ = false;
  buffer<build_event> ring_;
  std::size_t ring_next_ = 0;
  std::uint64_t total_ = 0;
  buffer<std::uint32_t> slots_;  // per slot: the step in it + 1, 0 when free
  build_summary summary_;
  sys::file file_;
  status file_status_;
  buffer<std::byte> scratch_;
};

/// A record of the events file: `e` as bytes (length, check, payload).
VITTE_DECL void encode_event(const build_event& e, buffer<std::byte>& out);

/// What read_events found.
struct events_read {
  buffer<build_event> events;
  bool torn = false;  ///< the file ended in a record cut short or damaged (a build killed while writing)
};

/// The limits read_events keeps.
inline constexpr std::size_t max_event_record = 1 << 20;  ///< bytes in one record's payload
inline constexpr std::size_t max_event_after = 1 << 16;   ///< steps one step waits for

/// The events of an events file's bytes: every whole record before the
/// first one that is cut short or damaged (then `torn`, and `why`, when
/// given, says which record, at which offset, and what: malformed, "record
/// 4: cut short (the records before it are read)"). Errors (ops::schedule):
/// malformed when the bytes do not start with "VITTEEV1" (`why` likewise).
VITTE_DECL result<events_read> read_events(span<const std::byte> bytes, diagnostic* why = nullptr);

}  // namespace vitte::toolchain

#if VITTE_HEADER_ONLY
#include <vitte/toolchain/impl/build_events.ipp>
#endif

#endif  // VITTE_TOOLCHAIN_BUILD_EVENTS_HPP
