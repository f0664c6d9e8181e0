// vitte/toolchain/impl/build_events.ipp - the bodies of vitte/toolchain/build_events.hpp:
// the events file's records, the summary, event_log.
#ifndef VITTE_TOOLCHAIN_IMPL_BUILD_EVENTS_IPP
#define VITTE_TOOLCHAIN_IMPL_BUILD_EVENTS_IPP

#include <vitte/base/config.hpp>
#include <vitte/base/detail/endian.hpp>  // the record's little-endian fields
#include <vitte/base/detail/hash.hpp>    // fnv1a: a record's check
#include <vitte/sys/time.hpp>            // monotonic_clock
#include <vitte/toolchain/build_events.hpp>
#include <vitte/toolchain/operations.hpp>  // ops::schedule

#include <algorithm>  // sort, unique: the steps waited for
#include <cstring>
#include <mutex>  // std::lock_guard
#include <utility>

namespace vitte::toolchain {

namespace detail {

inline constexpr char events_magic[8] = {'V', 'I', 'T', 'T', 'E', 'E', 'V', '1'};

VITTE_DECL std::uint32_t event_check(span<const std::byte> payload) noexcept {
  const std::uint64_t h =
      vitte::detail::fnv1a(text_view(reinterpret_cast<const char*>(payload.data()), payload.size()));
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}

VITTE_DECL void put_u32(buffer<std::byte>& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::byte>(v >> (8 * i)));
}
VITTE_DECL void put_u64(buffer<std::byte>& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::byte>(v >> (8 * i)));
}
VITTE_DECL void put_text(buffer<std::byte>& out, text_view t) {
  const std::size_t n = t.size() < max_event_record / 8 ? t.size() : max_event_record / 8;  // a name has a bound
  put_u32(out, static_cast<std::uint32_t>(n));
  const auto* p = reinterpret_cast<const std::byte*>(t.data());
  out.append(p, n);
}

// Reads a payload's fields in order; `ok` turns false at the first that
// does not fit.
struct event_reader {
  span<const std::byte> in;
  std::size_t at = 0;
  bool ok = true;
  std::uint64_t u(std::size_t n) {
    if (!ok || in.size() - at < n) {
      ok = false;
      return 0;
    }
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v |= static_cast<std::uint64_t>(in[at + i]) << (8 * i);
    at += n;
    return v;
  }
  text str() {
    const std::uint64_t n = u(4);
    if (!ok || in.size() - at < n) {
      ok = false;
      return text();
    }
    text t(text_view(reinterpret_cast<const char*>(in.data() + at), static_cast<std::size_t>(n)));
    at += static_cast<std::size_t>(n);
    return t;
  }
};

}  // namespace detail

VITTE_DECL void encode_event(const build_event& e, buffer<std::byte>& out) {
  const std::size_t head = out.size();
  detail::put_u32(out, 0);  // length and check, filled below
  detail::put_u32(out, 0);
  const std::size_t body = out.size();
  out.push_back(static_cast<std::byte>(e.kind));
  out.push_back(static_cast<std::byte>(e.tier));
  detail::put_u32(out, e.step);
  detail::put_u32(out, e.slot);
  detail::put_u32(out, static_cast<std::uint32_t>(e.status));
  detail::put_u64(out, static_cast<std::uint64_t>(e.time_ns));
  detail::put_u64(out, e.count);
  detail::put_u64(out, e.output_bytes);
  detail::put_text(out, e.name);
  detail::put_text(out, e.output);
  detail::put_text(out, e.why);
  detail::put_text(out, e.where);
  const std::size_t after = e.after.size() < max_event_after ? e.after.size() : max_event_after;
  detail::put_u32(out, static_cast<std::uint32_t>(after));
  for (std::size_t i = 0; i < after; ++i) detail::put_u32(out, e.after[i]);
  if (e.command_hash != 0) detail::put_u64(out, e.command_hash);  // absent when not given, as before it existed
  const std::size_t n = out.size() - body;
  const std::uint32_t check = detail::event_check(span<const std::byte>(out.data() + body, n));
  for (int i = 0; i < 4; ++i) {
    out[head + i] = static_cast<std::byte>(n >> (8 * i));
    out[head + 4 + i] = static_cast<std::byte>(check >> (8 * i));
  }
}

VITTE_DECL result<events_read> read_events(span<const std::byte> bytes, diagnostic* why) {
  if (bytes.size() < sizeof detail::events_magic ||
      std::memcmp(bytes.data(), detail::events_magic, sizeof detail::events_magic) != 0) {
    if (why != nullptr) {
      why->clear();
      why->of(errc::malformed).at(0).say("not a build events file (no VITTEEV1)");
    }
    return error(errc::malformed, ops::schedule);
  }
  events_read out;
  std::size_t at = sizeof detail::events_magic;
  std::uint64_t number = 0;
  const auto torn = [&](text_view what) {
    out.torn = true;
    if (why == nullptr) return;
    why->clear();
    why->of(errc::malformed).at(at).say("record ");
    why->append(number).append(": ").append(what).append(" (the records before it are read)");
  };
  while (at < bytes.size()) {
    if (bytes.size() - at < 8) {
      torn("cut short in its length");
      break;
    }
    detail::event_reader head{bytes.subspan(at, 8)};
    const std::uint64_t n = head.u(4);
    const auto check = static_cast<std::uint32_t>(head.u(4));
    if (n > max_event_record) {
      torn("longer than a record may be");
      break;
    }
    if (bytes.size() - at - 8 < n) {
      torn("cut short");
      break;
    }
    const span<const std::byte> payload = bytes.subspan(at + 8, static_cast<std::size_t>(n));
    if (detail::event_check(payload) != check) {
      torn("check mismatch");
      break;
    }
    detail::event_reader r{payload};
    build_event e;
    const auto kind = r.u(1), tier = r.u(1);
    e.step = static_cast<std::uint32_t>(r.u(4));
    e.slot = static_cast<std::uint32_t>(r.u(4));
    e.status = static_cast<std::int32_t>(static_cast<std::uint32_t>(r.u(4)));
    e.time_ns = static_cast<std::int64_t>(r.u(8));
    e.count = r.u(8);
    e.output_bytes = r.u(8);
    e.name = r.str();
    e.output = r.str();
    e.why = r.str();
    e.where = r.str();
    const std::uint64_t deps = r.u(4);
    if (r.ok && deps <= max_event_after && deps * 4 <= payload.size() - r.at) {
      e.after.reserve(static_cast<std::size_t>(deps));
      for (std::uint64_t i = 0; i < deps; ++i) e.after.push_back(static_cast<std::uint32_t>(r.u(4)));
    } else {
      r.ok = false;
    }
    if (r.ok && payload.size() - r.at == 8) {  // present only when not 0 (one record, one spelling)
      e.command_hash = r.u(8);
      r.ok = e.command_hash != 0;
    }
    if (!r.ok || r.at != payload.size() || kind < 1 || kind > 4 || tier >= cache_tier_count) {
      torn("fields do not fit the record");
      break;
    }
    e.kind = static_cast<event_kind>(kind);
    e.tier = static_cast<cache_tier>(tier);
    out.events.push_back(static_cast<build_event&&>(e));
    at += 8 + static_cast<std::size_t>(n);
    ++number;
  }
  return out;
}

VITTE_DECL void apply(build_summary& s, const build_event& e) {
  if (e.time_ns > s.now_ns) s.now_ns = e.time_ns;
  switch (e.kind) {
    case event_kind::build_started:
      s.planned = e.count;
      s.jobs = e.slot;
      return;
    case event_kind::step_started: {
      if (e.step != s.steps.size()) return;  // steps are numbered in the order they start
      step_summary st;
      st.name = e.name;
      st.output = e.output;
      st.why = e.why;
      st.command_hash = e.command_hash;
      // Each earlier step once, in order: a file naming one step many times
      // is not made into a trace that many times larger.
      for (std::uint32_t a : e.after)
        if (a < e.step) st.after.push_back(a);
      std::sort(st.after.begin(), st.after.end());
      st.after.resize(static_cast<std::size_t>(std::unique(st.after.begin(), st.after.end()) - st.after.begin()));
      st.start_ns = e.time_ns;
      st.slot = e.slot;
      s.steps.push_back(static_cast<step_summary&&>(st));
      if (s.steps.size() > s.planned) s.planned = s.steps.size();
      if (++s.running > s.most_at_once) s.most_at_once = s.running;
      return;
    }
    case event_kind::step_finished: {
      if (e.step >= s.steps.size() || !s.steps[e.step].running()) return;
      step_summary& st = s.steps[e.step];
      st.end_ns = e.time_ns < st.start_ns ? st.start_ns : e.time_ns;
      st.status = e.status;
      st.tier = e.tier;
      st.where = e.where;
      st.output_bytes = e.output_bytes;
      --s.running;
      ++s.finished;
      if (e.status != 0) ++s.failed;
      ++s.served[static_cast<std::size_t>(e.tier)];
      return;
    }
    case event_kind::build_finished:
      s.end_ns = e.time_ns;
      s.up_to_date = e.count;
      return;
  }
}

VITTE_DECL event_log::event_log(event_log_options o) : o_(o) {}  // the ring grows to its capacity as events come

VITTE_DECL status event_log::open_file(const sys::path_arg& path) {
  // Not emptied: a file that ext4 has not written yet and that is cut to
  // zero bytes is written out when it is closed (auto_da_alloc), which costs
  // a no-op build more than everything else it records. Cut to its first
  // bytes instead (the previous build's records go before any of this one's
  // is written), then the magic over them; records are written at the end.
  auto f = sys::file::open(path, sys::open_mode::write | sys::open_mode::create);
  if (!f) return f.error();
  auto size = f->size();
  if (!size) return size.error();
  if (*size > sizeof detail::events_magic)
    if (auto ok = f->truncate(sizeof detail::events_magic); !ok) return ok;
  if (auto ok = f->write(text_view(detail::events_magic, sizeof detail::events_magic)); !ok) return ok;
  std::lock_guard<sys::mutex> g(m_);
  file_ = static_cast<sys::file&&>(*f);
  file_status_ = {};
  return {};
}

VITTE_DECL status event_log::file_status() const {
  std::lock_guard<sys::mutex> g(m_);
  return file_status_;
}

VITTE_DECL void event_log::add(build_event&& e) {
  // Under m_. The file first: one write per record, so a killed build leaves whole ones.
  if (file_.is_open() && file_status_) {
    scratch_.clear();
    encode_event(e, scratch_);
    if (auto ok = file_.write(span<const std::byte>(scratch_.data(), scratch_.size())); !ok) file_status_ = ok;
  }
  apply(summary_, e);
  ++total_;
  if (o_.ring_capacity == 0) return;
  if (ring_.size() < o_.ring_capacity) {
    ring_.push_back(static_cast<build_event&&>(e));
    return;
  }
  ring_[ring_next_] = static_cast<build_event&&>(e);
  ring_next_ = (ring_next_ + 1) % o_.ring_capacity;
}

VITTE_DECL std::int64_t event_log::elapsed_ns() const { return started_ ? sys::monotonic_clock::now_ns() - t0_ : 0; }

VITTE_DECL void event_log::build_started(std::uint64_t planned, unsigned jobs) {
  std::lock_guard<sys::mutex> g(m_);
  t0_ = sys::monotonic_clock::now_ns();
  started_ = true;
  build_event e;
  e.kind = event_kind::build_started;
  e.count = planned;
  e.slot = jobs;
  add(static_cast<build_event&&>(e));
}

VITTE_DECL void event_log::plan_more(std::uint64_t more) {
  std::lock_guard<sys::mutex> g(m_);
  summary_.planned += more;
}

VITTE_DECL std::uint32_t event_log::step_started(std::uint32_t step, text_view name, text_view output, text_view why,
                                                 span<const std::uint32_t> after, std::int64_t at_ns,
                                                 std::uint64_t command_hash) {
  std::lock_guard<sys::mutex> g(m_);
  std::uint32_t slot = 0;
  while (slot < slots_.size() && slots_[slot] != 0) ++slot;
  if (slot == slots_.size()) slots_.push_back(0);
  slots_[slot] = step + 1;
  build_event e;
  e.kind = event_kind::step_started;
  e.step = step;
  e.slot = slot;
  e.time_ns = at_ns >= 0 ? at_ns : elapsed_ns();
  e.name = name;
  e.output = output;
  e.why = why;
  e.after = buffer<std::uint32_t>(after);
  e.command_hash = command_hash;
  add(static_cast<build_event&&>(e));
  return slot;
}

VITTE_DECL void event_log::step_finished(std::uint32_t step, const step_end& how) {
  std::lock_guard<sys::mutex> g(m_);
  build_event e;
  e.kind = event_kind::step_finished;
  e.step = step;
  for (std::uint32_t i = 0; i < slots_.size(); ++i)
    if (slots_[i] == step + 1) {
      slots_[i] = 0;
      e.slot = i;
    }
  e.time_ns = elapsed_ns();
  e.status = how.status;
  e.tier = how.tier;
  e.where = how.where;
  e.output_bytes = how.output_bytes;
  add(static_cast<build_event&&>(e));
}

VITTE_DECL void event_log::build_finished(std::uint64_t up_to_date) {
  std::lock_guard<sys::mutex> g(m_);
  build_event e;
  e.kind = event_kind::build_finished;
  e.count = up_to_date;
  e.time_ns = elapsed_ns();
  add(static_cast<build_event&&>(e));
}

VITTE_DECL build_summary event_log::summary() const { return summary_since(0); }

VITTE_DECL build_summary event_log::summary_since(std::size_t from) const {
  std::lock_guard<sys::mutex> g(m_);
  build_summary s;
  s.planned = summary_.planned;
  s.jobs = summary_.jobs;
  s.end_ns = summary_.end_ns;
  s.up_to_date = summary_.up_to_date;
  s.now_ns = summary_.end_ns >= 0 ? summary_.end_ns : elapsed_ns();
  s.finished = summary_.finished;
  s.failed = summary_.failed;
  s.running = summary_.running;
  s.most_at_once = summary_.most_at_once;
  for (std::size_t i = 0; i < cache_tier_count; ++i) s.served[i] = summary_.served[i];
  if (from < summary_.steps.size()) s.steps = buffer<step_summary>(summary_.steps.begin() + from, summary_.steps.end());
  return s;
}

VITTE_DECL buffer<build_event> event_log::ring(std::uint64_t* total) const {
  std::lock_guard<sys::mutex> g(m_);
  if (total != nullptr) *total = total_;
  buffer<build_event> out;
  out.reserve(ring_.size());
  for (std::size_t i = 0; i < ring_.size(); ++i) out.push_back(ring_[(ring_next_ + i) % ring_.size()]);
  return out;
}

}  // namespace vitte::toolchain

#endif  // VITTE_TOOLCHAIN_IMPL_BUILD_EVENTS_IPP
