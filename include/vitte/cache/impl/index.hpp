// The template bodies of vitte/cache/index.hpp (the rest: impl/index.ipp).
#ifndef VITTE_CACHE_IMPL_INDEX_HPP
#define VITTE_CACHE_IMPL_INDEX_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/detail/endian.hpp>  // the header's count
#include <vitte/base/detail/hash.hpp>    // record checksums
#include <vitte/cache/detail/record.hpp>
#include <vitte/sys/file.hpp>
#include <vitte/sys/metadata.hpp>
#include <vitte/sys/whole_file.hpp>

#include <algorithm>
#include <chrono>
#include <vector>

namespace vitte::cache {

namespace detail {
inline constexpr char index_magic[8] = {'V', 'I', 'T', 'T', 'E', 'I', 'D', 'X'};
inline constexpr std::size_t index_header_size = 24;
// Smallest encodings, for count checks: a file record (empty path) and a step.
inline constexpr std::uint32_t min_file_record = 4 + 40 + 32 + 8;
inline constexpr std::uint32_t min_step_record = 4 + 4 + 1 + 32 + 8 + 4 + 4 + 8;  // length, a name, ..., checksum
inline constexpr std::uint64_t max_record = 64u << 20;

// The problem of an index file: malformed, at byte `offset`, saying `what`.
inline void damaged_at(diagnostic& problem, std::uint64_t offset, text_view what) {
  problem.of(errc::malformed).at(offset).say(what);
}
// "record N: what", at byte `offset`.
inline void record_damaged_at(diagnostic& problem, std::uint64_t offset, std::uint32_t record, text_view what) {
  damaged_at(problem, offset, "record ");
  problem.append(record).append(": ").append(what);
}
// One step's payload, field by field: the name, the command, when, then
// the inputs and the outputs, each file handed to `file(list, path,
// version)` (list 0: inputs, 1: outputs). False when the payload is not
// exactly one step.
template <class File>
bool walk_step(record_reader& r, text_view& name, fingerprint& command, std::int64_t& built_ns, File&& file) {
  name = r.get_text();
  command = r.get_digest();
  built_ns = r.get<std::int64_t>();
  for (int list = 0; list < 2; ++list) {
    const std::uint32_t n = r.get_count(min_file_record);
    for (std::uint32_t k = 0; k < n && r.ok(); ++k) {
      const text_view path = r.get_text();
      file_version v;
      v.stamp = r.get_stamp();
      v.content = r.get_digest();
      v.hashed_ns = r.get<std::int64_t>();
      if (r.ok() && !file(list, path, v)) return false;
    }
  }
  return r.at_end();
}

// The step decoded into `s`.
VITTE_DECL bool read_step(record_reader& r, step_record& s);
}  // namespace detail

namespace detail {
// The steps of index bytes in file order, each payload checksummed and then
// read once by `step(reader, payload)` (the reader over the payload), which
// returns false when it is not one well-formed step (the reader's offset
// then names the failing field). Stops at the first damage and says what
// and where in `problem`.
template <class Step>
void scan_index(span<const std::byte> bytes, diagnostic& problem, Step&& step) {
  problem.clear();
  if (bytes.empty()) return;
  record_reader head(bytes);
  auto magic = head.get_bytes(8);
  if (!head.ok() || std::memcmp(magic.data(), index_magic, 8) != 0) {
    damaged_at(problem, 0, "not an index.vitte file (bad magic)");
    return;
  }
  const auto version = head.get<std::uint32_t>();
  const auto count = head.get<std::uint32_t>();
  (void)head.get<std::uint64_t>();  // reserved
  if (!head.ok()) {
    damaged_at(problem, 0, "truncated header");
    return;
  }
  if (version != index_format_version) {
    damaged_at(problem, 8, "format version ");
    problem.append(version).append(", this code reads ").append(index_format_version);
    return;
  }
  std::uint64_t at = index_header_size;
  for (std::uint32_t i = 0; i < count; ++i) {
    record_reader frame(bytes.subspan(static_cast<std::size_t>(at)), at);
    const auto len = frame.get<std::uint32_t>();
    if (!frame.ok() || len > max_record || frame.left() < std::uint64_t{len} + 8) {
      record_damaged_at(problem, at, i, "truncated");
      return;
    }
    const auto payload = frame.get_bytes(len);
    const auto sum = frame.get<std::uint64_t>();
    if (sum != vitte::detail::content_hash(payload)) {
      record_damaged_at(problem, at, i, "checksum mismatch");
      return;
    }
    record_reader r(payload, at + 4);
    if (!step(r, payload)) {
      record_damaged_at(problem, r.ok() ? r.offset() : at, i, "malformed step");
      return;
    }
    at = frame.offset();
  }
  if (at != bytes.size()) damaged_at(problem, at, "trailing bytes after the last record");
}
}  // namespace detail

template <class P>
step_records basic_index<P>::parse(span<const std::byte> bytes, diagnostic& problem) {
  step_records out;
  detail::scan_index(bytes, problem, [&](detail::record_reader& r, span<const std::byte>) {
    step_record s;
    if (!detail::read_step(r, s) || s.name.empty()) return false;
    text key(s.name);
    out.insert_or_assign(std::move(key), std::move(s));
    return true;
  });
  return out;
}

template <class P>
buffer<std::byte> basic_index<P>::serialize(const step_records& records) {
  std::vector<const step_record*> sorted;
  sorted.reserve(records.size());
  for (const auto& [name, rec] : records) sorted.push_back(&rec);
  std::sort(sorted.begin(), sorted.end(),
            [](const step_record* a, const step_record* b) { return text_view(a->name) < text_view(b->name); });
  buffer<std::byte> out;
  detail::record_writer w(out);
  w.put_bytes(detail::index_magic, 8);
  w.put(index_format_version);
  w.put(static_cast<std::uint32_t>(sorted.size()));
  w.put(std::uint64_t{0});
  for (const step_record* s : sorted) {
    const std::size_t len_at = w.size();
    w.put(std::uint32_t{0});
    w.put_text(s->name);
    w.put_digest(s->command);
    w.put(s->built_ns);
    for (const buffer<file_record>* list : {&s->inputs, &s->outputs}) {
      w.put(static_cast<std::uint32_t>(list->size()));
      for (const file_record& f : *list) {
        w.put_text(f.path);
        w.put_stamp(f.version.stamp);
        w.put_digest(f.version.content);
        w.put(f.version.hashed_ns);
      }
    }
    const std::size_t len = w.size() - len_at - 4;
    w.patch_u32(len_at, static_cast<std::uint32_t>(len));
    w.put(vitte::detail::content_hash({out.data() + len_at + 4, len}));
  }
  return out;
}

template <class P>
result<basic_index<P>> basic_index<P>::open(text path) {
  auto bytes = sys::read_file<P>(path.c_str());
  if (!bytes) {
    if (bytes.error() != errc::not_found) return bytes.error();
    bytes = buffer<std::byte>{};
  }
  return of_bytes(std::move(path), std::move(*bytes));
}

template <class P>
basic_index<P> basic_index<P>::of_bytes(text path, buffer<std::byte> bytes) {
  basic_index idx;
  idx.path_ = std::move(path);
  idx.raw_ = std::move(bytes);
  // Room for the steps the header counts (no more than the bytes could hold).
  if (idx.raw_.size() >= detail::index_header_size) {
    const auto count = vitte::detail::load_le<std::uint32_t>(idx.raw_.data() + 12);
    idx.stored_.reserve(std::min<std::size_t>(count, idx.raw_.size() / detail::min_step_record));
  }
  // Every step is checked whole now (a damaged one is the end of what is
  // read, as parse() says) and decoded only when asked for.
  detail::scan_index(idx.raw_.span(), idx.problem_, [&](detail::record_reader& r, span<const std::byte> payload) {
    text_view name;
    fingerprint command;
    std::int64_t built_ns = 0;
    if (!detail::walk_step(r, name, command, built_ns, [](int, text_view, const file_version&) { return true; }) ||
        name.empty())
      return false;
    idx.stored_.insert_or_assign(name, payload);
    return true;
  });
  idx.stats_.reserve(idx.stored_.size() * 2);  // a source and an output per step, about
  return idx;
}

// The step as a record of its own, decoded from the file if need be.
template <class P>
step_record* basic_index<P>::decoded(text_view name) {
  if (auto it = records_.find(name); it != records_.end()) return &it->second;
  auto stored = stored_.find(name);
  if (stored == stored_.end()) return nullptr;
  detail::record_reader r(stored->second);
  step_record s;
  (void)detail::read_step(r, s);  // checked at open
  stored_.erase(stored);
  text key(s.name);
  return &records_.insert_or_assign(std::move(key), std::move(s)).first->second;
}

template <class P>
const step_record* basic_index<P>::find(text_view name) {
  return decoded(name);
}

template <class P>
result<sys::file_stamp> basic_index<P>::stamp_of(text_view path) {
  auto it = stats_.find(path);
  if (it != stats_.end()) return it->second;
  scratch_path_ = path;
  auto st = sys::stat<P>(scratch_path_.c_str());
  if (!st) return st.error();
  const auto stamp = sys::file_stamp::of(*st);
  stats_.emplace(text(path), stamp);
  return stamp;
}

// Whether the file is the one recorded: same settled stamp, or same content.
// Same content under another stamp (a `touch`, or a stamp that had not
// settled when it was recorded): the record takes the version just read
// (`refreshed`), so that the next check needs only the stamp.
template <class P>
bool basic_index<P>::same_file(text_view path, file_version& recorded, basic_file_hasher<P>& files, bool& missing,
                               bool& refreshed) {
  missing = false;
  auto stamp = stamp_of(path);
  if (!stamp) {
    missing = true;
    return false;
  }
  if (*stamp == recorded.stamp && recorded.stamp.settled_before(recorded.hashed_ns)) return true;
  scratch_path_ = path;
  auto now = files.version(scratch_path_);
  if (!now) {
    missing = true;
    return false;
  }
  if (now->content != recorded.content) return false;
  if (now->stamp != recorded.stamp || now->stamp.settled_before(now->hashed_ns)) {
    recorded = *now;
    refreshed = true;
  }
  return true;
}

// A step still as stored: its files compared in place. The first one whose
// stamp moved sends the step to check() decoded, to refresh its record.
template <class P>
verdict basic_index<P>::check_stored(text_view name, span<const std::byte> payload, const fingerprint& command,
                                     basic_file_hasher<P>& files) {
  detail::record_reader r(payload);
  text_view stored_name;
  fingerprint recorded_command;
  std::int64_t built_ns = 0;
  bool settled = true;
  (void)detail::walk_step(r, stored_name, recorded_command, built_ns,
                          [&](int, text_view path, const file_version& recorded) {
                            if (recorded_command != command) return false;  // said below
                            auto stamp = stamp_of(path);
                            if (stamp && *stamp == recorded.stamp && recorded.stamp.settled_before(recorded.hashed_ns))
                              return true;
                            settled = false;  // missing, changed or touched: decided on the record
                            return false;
                          });
  if (recorded_command != command) return {reason::command_changed, {}};
  if (settled) return {reason::up_to_date, {}};
  decoded(name);
  return check(name, command, files);
}

template <class P>
verdict basic_index<P>::check(text_view name, const fingerprint& command, basic_file_hasher<P>& files) {
  auto it = records_.find(name);
  if (it == records_.end()) {
    auto stored = stored_.find(name);
    if (stored == stored_.end()) return {reason::never_built, {}};
    return check_stored(name, stored->second, command, files);
  }
  step_record& rec = it->second;
  if (rec.command != command) return {reason::command_changed, {}};
  bool missing = false, refreshed = false;
  verdict v{reason::up_to_date, {}};
  for (file_record& f : rec.inputs)
    if (v.up_to_date() && !same_file(f.path, f.version, files, missing, refreshed))
      v = {missing ? reason::input_missing : reason::input_changed, f.path};
  for (file_record& f : rec.outputs)
    if (v.up_to_date() && !same_file(f.path, f.version, files, missing, refreshed))
      v = {missing ? reason::output_missing : reason::output_changed, f.path};
  // A record whose stamps were refreshed is saved again: save() then
  // writes this index's record of the step over the one on disk (the same
  // step, its files' contents unchanged).
  if (refreshed && v.up_to_date()) changed_.insert_or_assign(it->first, change{false});
  return v;
}

template <class P>
status basic_index<P>::record(text_view name, const fingerprint& command, span<const text> inputs,
                              span<const text> outputs, basic_file_hasher<P>& files) {
  // What the file could not hold would lose every step after it at the
  // next open: an empty name, a name or a path longer than a record keeps.
  const auto too_long = [](text_view t) { return t.size() > detail::max_record_text; };
  bool refused = name.empty() || too_long(name);
  for (const text& p : inputs) refused = refused || too_long(p);
  for (const text& p : outputs) refused = refused || too_long(p);
  if (refused) return error(errc::invalid_argument, ops::index_record);
  step_record s;
  s.name = text(name);
  s.command = command;
  s.built_ns = P::clock_now_ns(sys::clock_id::realtime);
  for (const text& p : outputs)  // just written
    if (auto it = stats_.find(p.view()); it != stats_.end()) stats_.erase(it);
  for (auto [paths, list] : {std::pair{inputs, &s.inputs}, std::pair{outputs, &s.outputs}}) {
    list->reserve(paths.size());
    for (const text& p : paths) {
      auto v = files.version(p);
      if (!v) return v.error();
      list->push_back(file_record{p, *v});
    }
  }
  text key(name);
  stored_.erase(key.view());
  changed_.insert_or_assign(key, change{false});
  records_.insert_or_assign(std::move(key), std::move(s));
  return {};
}

template <class P>
void basic_index<P>::forget(text_view name) {
  text key(name);
  records_.erase(key);
  stored_.erase(key.view());
  changed_.insert_or_assign(std::move(key), change{true});
}

template <class P>
status basic_index<P>::save() {
  // Nothing recorded, forgotten or refreshed, and the file read whole:
  // nothing to write (a no-op build leaves the file alone).
  if (changed_.empty() && !problem_) return {};
  text lock_path = path_;
  lock_path.append(".lock");
  auto lock = sys::basic_file<P>::open(lock_path.c_str(),
                                       sys::open_mode::read | sys::open_mode::write | sys::open_mode::create);
  if (!lock) return lock.error();
  if (auto ok = lock->lock(sys::lock_kind::exclusive, sys::basic_deadline<P>::after(std::chrono::seconds(30))); !ok)
    return ok.error();
  // Start from what is on disk now (other processes may have saved since
  // this index was read), then apply this index's own changes.
  auto bytes = sys::read_file<P>(path_.c_str());
  if (!bytes && bytes.error() != errc::not_found) return bytes.error();
  diagnostic ignored;
  auto merged = bytes ? parse(bytes->span(), ignored) : step_records{};
  for (const auto& [name, c] : changed_) {
    auto mine = records_.find(name);
    if (c.forgotten || mine == records_.end())
      merged.erase(name);
    else
      merged.insert_or_assign(name, mine->second);
  }
  records_ = std::move(merged);
  stored_.clear();  // every step is in records_ now
  raw_ = {};
  const buffer<std::byte> out = serialize(records_);
  if (auto ok = sys::atomic_replace<P>(path_.c_str(), out.span()); !ok) return ok.error();
  changed_.clear();
  problem_.clear();
  return {};
}

}  // namespace vitte::cache

#endif  // VITTE_CACHE_IMPL_INDEX_HPP
