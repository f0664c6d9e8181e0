// vitte/toolchain/impl/build_trace.ipp - the bodies of vitte/toolchain/build_trace.hpp:
// the Chrome trace, .ninja_log, the critical path, the monitor's JSON.
#ifndef VITTE_TOOLCHAIN_IMPL_BUILD_TRACE_IPP
#define VITTE_TOOLCHAIN_IMPL_BUILD_TRACE_IPP

#include <vitte/base/config.hpp>
#include <vitte/base/detail/json.hpp>  // json_escape
#include <vitte/toolchain/build_trace.hpp>

#include <algorithm>  // stable_sort, partial_sort
#include <charconv>   // numbers
#include <utility>

namespace vitte::toolchain {

namespace detail {

VITTE_DECL void put_int(text& out, std::int64_t v) {
  char digits[24];
  const auto r = std::to_chars(digits, digits + sizeof digits, v);
  out.append(digits, static_cast<std::size_t>(r.ptr - digits));
}

VITTE_DECL void put_hex(text& out, std::uint64_t v) {
  char digits[24];
  const auto r = std::to_chars(digits, digits + sizeof digits, v, 16);
  out.append(digits, static_cast<std::size_t>(r.ptr - digits));
}

// A JSON string: quoted and escaped (bytes that are not UTF-8 shown as \\xHH).
VITTE_DECL void put_string(text& out, text_view s) {
  out += '"';
  vitte::detail::json_escape(s, vitte::detail::json_escaping::strict,
                             [&](text_view piece) { out.append(piece.data(), piece.size()); });
  out += '"';
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

VITTE_DECL std::vector<std::uint32_t> critical_path(const build_summary& s) {
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
  std::vector<std::uint32_t> path;
  for (std::uint32_t i = last; i != UINT32_MAX; i = via[i]) path.push_back(i);
  std::reverse(path.begin(), path.end());
  return path;
}

VITTE_DECL text chrome_trace(const build_summary& s) {
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
    text e = "{\"name\":";
    detail::put_string(e, st.name);
    e.append(",\"cat\":\"step\",\"ph\":\"X\",\"pid\":1,\"tid\":");
    detail::put_int(e, st.slot);
    e.append(",\"ts\":");
    detail::put_int(e, start);
    e.append(",\"dur\":");
    detail::put_int(e, end - start);
    e.append(",\"args\":{\"step\":");
    detail::put_int(e, static_cast<std::int64_t>(i));
    e.append(",\"output\":");
    detail::put_string(e, st.output);
    e.append(",\"why\":");
    detail::put_string(e, st.why);
    e.append(",\"cache\":");
    detail::put_string(e, to_string(st.tier));
    e.append(",\"where\":");
    detail::put_string(e, st.where);
    if (st.end_ns >= 0) {
      e.append(",\"status\":");
      detail::put_int(e, st.status);
      e.append(",\"output_bytes\":");
      detail::put_int(e, static_cast<std::int64_t>(st.output_bytes));
    } else {
      e.append(",\"unfinished\":true");
    }
    e.append("}}");
    entries.push_back({start, static_cast<text&&>(e)});
    for (std::uint32_t a : st.after) {
      const step_summary& dep = s.steps[a];
      if (dep.end_ns < 0) continue;
      // Each end of the arrow at the start of its slice: the enclosing slice
      // for Perfetto and catapult, the slice starting there for DevTools.
      const std::int64_t from = detail::micros(dep.start_ns);
      // The flow's id: "waited-for>waiting" (a string: no number to outgrow a double).
      const auto flow = [&](text_view phase, std::uint32_t tid, std::int64_t ts) {
        text f = "{\"name\":\"waits for\",\"cat\":\"step\",\"ph\":";  // the slices' category: DevTools binds by it
        f.append(phase).append(",\"id\":\"");
        detail::put_int(f, a);
        f += '>';
        detail::put_int(f, static_cast<std::int64_t>(i));
        f += '"';
        f.append(",\"pid\":1,\"tid\":");
        detail::put_int(f, tid);
        f.append(",\"ts\":");
        detail::put_int(f, ts);
        f.append("}");
        entries.push_back({ts, static_cast<text&&>(f)});
      };
      flow("\"s\"", dep.slot, from);
      flow("\"f\",\"bp\":\"e\"", st.slot, start);
    }
    changes.push_back({st.start_ns, 1, -1});
    if (st.end_ns >= 0) changes.push_back({st.end_ns, -1, static_cast<int>(st.tier)});
  }
  std::stable_sort(changes.begin(), changes.end(), [](const change& a, const change& b) { return a.ns < b.ns; });
  int running = 0;
  std::uint32_t hits[cache_tier_count] = {};
  for (const change& c : changes) {
    running += c.running;
    text e = "{\"name\":\"steps running\",\"ph\":\"C\",\"pid\":1,\"tid\":0,\"ts\":";
    detail::put_int(e, detail::micros(c.ns));
    e.append(",\"args\":{\"running\":");
    detail::put_int(e, running);
    e.append("}}");
    entries.push_back({detail::micros(c.ns), static_cast<text&&>(e)});
    if (c.tier <= 0) continue;
    ++hits[c.tier];
    text h = "{\"name\":\"cache hits\",\"ph\":\"C\",\"pid\":1,\"tid\":0,\"ts\":";
    detail::put_int(h, detail::micros(c.ns));
    h.append(",\"args\":{");
    for (std::size_t t = 1; t < cache_tier_count; ++t) {
      if (t > 1) h += ',';
      detail::put_string(h, to_string(static_cast<cache_tier>(t)));
      h += ':';
      detail::put_int(h, hits[t]);
    }
    h.append("}}");
    entries.push_back({detail::micros(c.ns), static_cast<text&&>(h)});
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const detail::trace_entry& a, const detail::trace_entry& b) { return a.ts < b.ts; });

  text out = "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n";
  out.append("{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"tid\":0,\"args\":{\"name\":\"vitte build\"}}");
  for (const std::uint32_t i : slots) {
    out.append(",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":");
    detail::put_int(out, i);
    out.append(",\"args\":{\"name\":\"worker ");
    detail::put_int(out, std::int64_t{i} + 1);
    out.append("\"}},\n{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":1,\"tid\":");
    detail::put_int(out, i);
    out.append(",\"args\":{\"sort_index\":");
    detail::put_int(out, i);
    out.append("}}");
  }
  for (const detail::trace_entry& e : entries) {
    out.append(",\n");
    out.append(e.json.data(), e.json.size());
  }
  out.append("\n]}\n");
  return out;
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
    detail::put_int(out, st.start_ns / 1000000);
    out += '\t';
    detail::put_int(out, st.end_ns / 1000000);
    out.append("\t0\t");
    // A path with a tab or a newline cannot be a field: its control bytes become '?'.
    text_view name = st.output;
    if (!build_dir.empty() && name.size() > build_dir.size() + 1 && name.starts_with(build_dir) &&
        name[build_dir.size()] == '/')
      name = name.substr(build_dir.size() + 1);
    for (char c : name) out += (c == '\t' || c == '\n' || c == '\r') ? '?' : c;
    out += '\t';
    detail::put_hex(out, ninja_command_hash(st.name));
    out += '\n';
  }
  return out;
}

VITTE_DECL text monitor_json(const build_summary& s, std::size_t from, std::size_t slowest) {
  text out = "{\"planned\":";
  detail::put_int(out, static_cast<std::int64_t>(s.planned));
  out.append(",\"jobs\":");
  detail::put_int(out, s.jobs);
  out.append(",\"started\":");
  detail::put_int(out, static_cast<std::int64_t>(s.steps.size()));
  out.append(",\"finished\":");
  detail::put_int(out, s.finished);
  out.append(",\"failed\":");
  detail::put_int(out, s.failed);
  out.append(",\"running\":");
  detail::put_int(out, s.running);
  out.append(",\"up_to_date\":");
  detail::put_int(out, static_cast<std::int64_t>(s.up_to_date));
  out.append(",\"most_at_once\":");
  detail::put_int(out, s.most_at_once);
  out.append(",\"done\":");
  out.append(s.end_ns >= 0 ? "true" : "false");
  out.append(",\"now_ms\":");
  detail::put_int(out, s.now_ns / 1000000);
  out.append(",\"served\":{");
  for (std::size_t t = 0; t < cache_tier_count; ++t) {
    if (t > 0) out += ',';
    detail::put_string(out, to_string(static_cast<cache_tier>(t)));
    out += ':';
    detail::put_int(out, s.served[t]);
  }
  out.append("},\"from\":");
  detail::put_int(out, static_cast<std::int64_t>(from));
  out.append(",\"steps\":[");
  for (std::size_t i = from; i < s.steps.size(); ++i) {
    const step_summary& st = s.steps[i];
    if (i > from) out += ',';
    out.append("\n[");
    detail::put_string(out, st.name);
    out += ',';
    detail::put_string(out, st.output);
    out += ',';
    detail::put_string(out, st.why);
    out += ',';
    detail::put_string(out, to_string(st.tier));
    out += ',';
    detail::put_string(out, st.where);
    out += ',';
    detail::put_int(out, st.slot);
    out += ',';
    detail::put_int(out, st.start_ns / 1000000);
    out += ',';
    detail::put_int(out, st.end_ns < 0 ? -1 : st.end_ns / 1000000);
    out += ',';
    detail::put_int(out, st.status);
    out += ',';
    detail::put_int(out, static_cast<std::int64_t>(st.output_bytes));
    out.append(",[");
    for (std::size_t k = 0; k < st.after.size(); ++k) {
      if (k > 0) out += ',';
      detail::put_int(out, st.after[k]);
    }
    out.append("]]");
  }
  out.append("],\"critical\":[");
  const std::vector<std::uint32_t> path = critical_path(s);
  for (std::size_t k = 0; k < path.size(); ++k) {
    if (k > 0) out += ',';
    detail::put_int(out, path[k]);
  }
  out.append("],\"slowest\":[");
  std::vector<std::uint32_t> order;
  for (std::uint32_t i = 0; i < s.steps.size(); ++i)
    if (s.steps[i].end_ns >= 0) order.push_back(i);
  const std::size_t keep = std::min(slowest, order.size());
  std::partial_sort(
      order.begin(), order.begin() + static_cast<std::ptrdiff_t>(keep), order.end(),
      [&](std::uint32_t a, std::uint32_t b) { return s.steps[a].duration_ns() > s.steps[b].duration_ns(); });
  for (std::size_t k = 0; k < keep; ++k) {
    if (k > 0) out += ',';
    detail::put_int(out, order[k]);
  }
  out.append("]}\n");
  return out;
}

}  // namespace vitte::toolchain

#endif  // VITTE_TOOLCHAIN_IMPL_BUILD_TRACE_IPP
