// vitte/toolchain/impl/build_trace.ipp - the bodies of vitte/toolchain/build_trace.hpp:
// the Chrome trace, .ninja_log, the critical path, the monitor's JSON.
#ifndef VITTE_TOOLCHAIN_IMPL_BUILD_TRACE_IPP
#define VITTE_TOOLCHAIN_IMPL_BUILD_TRACE_IPP

#include <vitte/base/config.hpp>
#include <vitte/base/json_writer.hpp>  // the trace and the monitor's JSON
#include <vitte/toolchain/build_trace.hpp>
#include <vitte/toolchain/detail/ninja_log.hpp>  // .ninja_log lines

#include <algorithm>  // stable_sort, partial_sort
#include <charconv>   // numbers
#include <utility>
#include <vector>

namespace vitte::toolchain {

namespace detail {

VITTE_DECL void put_int(text& out, std::int64_t v) {
  char digits[24];
  const auto r = std::to_chars(digits, digits + sizeof digits, v);
  out.append(digits, static_cast<std::size_t>(r.ptr - digits));
}

VITTE_DECL std::int64_t micros(std::int64_t ns) { return ns < 0 ? 0 : ns / 1000; }

// A step's end for drawing: its end, or the summary's time while it runs.
VITTE_DECL std::int64_t drawn_end(const build_summary& s, const step_summary& st) {
  return st.end_ns >= 0 ? st.end_ns : (s.now_ns > st.start_ns ? s.now_ns : st.start_ns);
}

struct trace_entry {
  std::int64_t ts;
  text json;
};

}  // namespace detail

VITTE_DECL std::uint64_t ninja_command_hash(text_view command) noexcept {
  constexpr std::uint64_t m = 0xc6a4a7935bd1e995ull;
  constexpr int r = 47;
  std::size_t len = command.size();
  const auto* data = reinterpret_cast<const unsigned char*>(command.data());
  std::uint64_t h = 0xDECAFBADDECAFBADull ^ (static_cast<std::uint64_t>(len) * m);
  while (len >= 8) {
    std::uint64_t k = 0;
    for (int i = 0; i < 8; ++i) k |= static_cast<std::uint64_t>(data[i]) << (8 * i);
    k *= m;
    k ^= k >> r;
    k *= m;
    h ^= k;
    h *= m;
    data += 8;
    len -= 8;
  }
  if (len != 0) {
    for (std::size_t i = len; i-- > 0;) h ^= static_cast<std::uint64_t>(data[i]) << (8 * i);
    h *= m;
  }
  h ^= h >> r;
  h *= m;
  h ^= h >> r;
  return h;
}

VITTE_DECL buffer<std::uint32_t> critical_path(const build_summary& s) {
  // Steps wait only for steps started before them: one pass in order.
  const std::size_t n = s.steps.size();
  std::vector<std::int64_t> total(n, -1);
  std::vector<std::uint32_t> via(n, UINT32_MAX);
  std::int64_t best = -1;
  std::uint32_t last = UINT32_MAX;
  for (std::size_t i = 0; i < n; ++i) {
    const step_summary& st = s.steps[i];
    if (st.end_ns < 0) continue;
    std::int64_t before = 0;
    for (std::uint32_t a : st.after)
      if (a < i && total[a] > before) {
        before = total[a];
        via[i] = a;
      }
    total[i] = before + st.duration_ns();
    if (total[i] > best) {
      best = total[i];
      last = static_cast<std::uint32_t>(i);
    }
  }
  buffer<std::uint32_t> path;
  for (std::uint32_t i = last; i != UINT32_MAX; i = via[i]) path.push_back(i);
  std::reverse(path.begin(), path.end());
  return path;
}

VITTE_DECL text chrome_trace(const build_summary& s) {
  using i64 = std::int64_t;
  std::vector<detail::trace_entry> entries;
  entries.reserve(s.steps.size() * 4 + 8);
  // The tracks: every worker the build had (up to 1024: an events file may
  // say anything) and every slot a step used.
  std::vector<std::uint32_t> slots;
  for (std::uint32_t i = 0; i < s.jobs && i < 1024; ++i) slots.push_back(i);
  for (const step_summary& st : s.steps) slots.push_back(st.slot);
  std::sort(slots.begin(), slots.end());
  slots.erase(std::unique(slots.begin(), slots.end()), slots.end());

  // Counters change when a step starts or ends: walk both in time order.
  struct change {
    std::int64_t ns;
    int running;
    int tier;  // a hit's tier, or -1
  };
  std::vector<change> changes;
  changes.reserve(s.steps.size() * 2);
  for (std::size_t i = 0; i < s.steps.size(); ++i) {
    const step_summary& st = s.steps[i];
    if (st.start_ns < 0) continue;
    const std::int64_t start = detail::micros(st.start_ns), end = detail::micros(detail::drawn_end(s, st));
    json_writer e;
    e.begin_object().field("name", st.name.view()).field("cat", "step").field("ph", "X").field("pid", i64{1});
    e.field("tid", i64{st.slot}).field("ts", start).field("dur", end - start);
    e.key("args").begin_object().field("step", static_cast<i64>(i)).field("output", st.output.view());
    e.field("why", st.why.view()).field("cache", to_string(st.tier)).field("where", st.where.view());
    if (st.end_ns >= 0)
      e.field("status", i64{st.status}).field("output_bytes", static_cast<i64>(st.output_bytes));
    else
      e.field("unfinished", true);
    e.end_object().end_object();
    entries.push_back({start, e.take()});
    for (std::uint32_t a : st.after) {
      const step_summary& dep = s.steps[a];
      if (dep.end_ns < 0) continue;
      // Each end of the arrow at the start of its slice: the enclosing slice
      // for Perfetto and catapult, the slice starting there for DevTools.
      const std::int64_t from = detail::micros(dep.start_ns);
      // The flow's id: "waited-for>waiting" (a string: no number to outgrow a double).
      text id;
      detail::put_int(id, a);
      id += '>';
      detail::put_int(id, static_cast<i64>(i));
      const auto flow = [&](bool start_of_arrow, std::uint32_t tid, std::int64_t ts) {
        json_writer f;  // the slices' category: DevTools binds by it
        f.begin_object().field("name", "waits for").field("cat", "step").field("ph", start_of_arrow ? "s" : "f");
        if (!start_of_arrow) f.field("bp", "e");
        f.field("id", id.view()).field("pid", i64{1}).field("tid", i64{tid}).field("ts", ts).end_object();
        entries.push_back({ts, f.take()});
      };
      flow(true, dep.slot, from);
      flow(false, st.slot, start);
    }
    changes.push_back({st.start_ns, 1, -1});
    if (st.end_ns >= 0) changes.push_back({st.end_ns, -1, static_cast<int>(st.tier)});
  }
  std::stable_sort(changes.begin(), changes.end(), [](const change& a, const change& b) { return a.ns < b.ns; });
  int running = 0;
  std::uint32_t hits[cache_tier_count] = {};
  const auto counter = [](text_view name, std::int64_t ts) {
    json_writer c;
    c.begin_object().field("name", name).field("ph", "C").field("pid", i64{1}).field("tid", i64{0}).field("ts", ts);
    c.key("args").begin_object();
    return c;
  };
  for (const change& c : changes) {
    running += c.running;
    json_writer e = counter("steps running", detail::micros(c.ns));
    e.field("running", i64{running}).end_object().end_object();
    entries.push_back({detail::micros(c.ns), e.take()});
    if (c.tier <= 0) continue;
    ++hits[c.tier];
    json_writer h = counter("cache hits", detail::micros(c.ns));
    for (std::size_t t = 1; t < cache_tier_count; ++t) h.field(to_string(static_cast<cache_tier>(t)), i64{hits[t]});
    h.end_object().end_object();
    entries.push_back({detail::micros(c.ns), h.take()});
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const detail::trace_entry& a, const detail::trace_entry& b) { return a.ts < b.ts; });

  // One event a line, so a reader can follow a trace being written.
  json_writer out;
  out.begin_object().field("displayTimeUnit", "ms").key("traceEvents").begin_array().newline();
  out.begin_object().field("name", "process_name").field("ph", "M").field("pid", i64{1}).field("tid", i64{0});
  out.key("args").begin_object().field("name", "vitte build").end_object().end_object();
  for (const std::uint32_t i : slots) {
    text worker = "worker ";
    detail::put_int(worker, i64{i} + 1);
    out.newline()
        .begin_object()
        .field("name", "thread_name")
        .field("ph", "M")
        .field("pid", i64{1})
        .field("tid", i64{i});
    out.key("args").begin_object().field("name", worker.view()).end_object().end_object();
    out.newline().begin_object().field("name", "thread_sort_index").field("ph", "M").field("pid", i64{1});
    out.field("tid", i64{i}).key("args").begin_object().field("sort_index", i64{i}).end_object().end_object();
  }
  for (const detail::trace_entry& e : entries) out.newline().raw(e.json.view());
  out.newline().end_array().end_object().newline();
  return out.take();
}

VITTE_DECL text ninja_log(const build_summary& s, text_view build_dir) {
  // In the order steps ended, as ninja writes them (ninjatracing takes an
  // end earlier than the one before for the start of another build).
  std::vector<const step_summary*> ended;
  for (const step_summary& st : s.steps)
    if (st.end_ns >= 0 && !st.output.empty()) ended.push_back(&st);
  std::stable_sort(ended.begin(), ended.end(),
                   [](const step_summary* a, const step_summary* b) { return a->end_ns < b->end_ns; });
  text out = "# ninja log v5\n";
  for (const step_summary* p : ended) {
    const step_summary& st = *p;
    text_view name = st.output;
    if (!build_dir.empty() && name.size() > build_dir.size() + 1 && name.starts_with(build_dir) &&
        name[build_dir.size()] == '/')
      name = name.substr(build_dir.size() + 1);
    detail::append_ninja_log_line(out, st.start_ns / 1000000, st.end_ns / 1000000, 0, name,
                                  st.command_hash != 0 ? st.command_hash : ninja_command_hash(st.name));
  }
  return out;
}

VITTE_DECL text monitor_json(const build_summary& s, std::size_t from, std::size_t slowest) {
  using i64 = std::int64_t;
  json_writer out;
  out.begin_object().field("planned", static_cast<i64>(s.planned)).field("jobs", i64{s.jobs});
  out.field("started", static_cast<i64>(s.steps.size())).field("finished", i64{s.finished});
  out.field("failed", i64{s.failed}).field("running", i64{s.running});
  out.field("up_to_date", static_cast<i64>(s.up_to_date)).field("most_at_once", i64{s.most_at_once});
  out.field("done", s.end_ns >= 0).field("now_ms", s.now_ns / 1000000);
  out.key("served").begin_object();
  for (std::size_t t = 0; t < cache_tier_count; ++t) out.field(to_string(static_cast<cache_tier>(t)), i64{s.served[t]});
  out.end_object().field("from", static_cast<i64>(from)).key("steps").begin_array();
  for (std::size_t i = from; i < s.steps.size(); ++i) {
    const step_summary& st = s.steps[i];
    out.newline().begin_array().value(st.name.view()).value(st.output.view()).value(st.why.view());
    out.value(to_string(st.tier)).value(st.where.view()).value(i64{st.slot}).value(st.start_ns / 1000000);
    out.value(st.end_ns < 0 ? i64{-1} : st.end_ns / 1000000).value(i64{st.status});
    out.value(static_cast<i64>(st.output_bytes)).begin_array();
    for (const std::uint32_t a : st.after) out.value(i64{a});
    out.end_array().end_array();
  }
  out.end_array().key("critical").begin_array();
  for (const std::uint32_t k : critical_path(s)) out.value(i64{k});
  out.end_array().key("slowest").begin_array();
  std::vector<std::uint32_t> order;
  for (std::uint32_t i = 0; i < s.steps.size(); ++i)
    if (s.steps[i].end_ns >= 0) order.push_back(i);
  const std::size_t keep = std::min(slowest, order.size());
  std::partial_sort(
      order.begin(), order.begin() + static_cast<std::ptrdiff_t>(keep), order.end(),
      [&](std::uint32_t a, std::uint32_t b) { return s.steps[a].duration_ns() > s.steps[b].duration_ns(); });
  for (std::size_t k = 0; k < keep; ++k) out.value(i64{order[k]});
  out.end_array().end_object().newline();
  return out.take();
}

}  // namespace vitte::toolchain

#endif  // VITTE_TOOLCHAIN_IMPL_BUILD_TRACE_IPP
