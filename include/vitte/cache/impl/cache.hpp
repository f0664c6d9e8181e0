// The template bodies of vitte/cache/cache.hpp; the manifest helpers they
// call are declared here and defined in impl/cache.ipp.
#ifndef VITTE_CACHE_IMPL_CACHE_HPP
#define VITTE_CACHE_IMPL_CACHE_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/detail/hex.hpp>        // stripe lock names
#include <vitte/cache/detail/base_dir.hpp>  // keyed_path, resolved_path
#include <vitte/cache/detail/record.hpp>
#include <vitte/sys/detail/unique_name.hpp>  // eviction names
#include <vitte/sys/directory.hpp>
#include <vitte/sys/metadata.hpp>
#include <vitte/sys/path.hpp>
#include <vitte/sys/path_ops.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/time.hpp>
#include <vitte/sys/whole_file.hpp>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <vector>

namespace vitte::cache {

namespace detail {

inline constexpr char manifest_magic[8] = {'V', 'I', 'T', 'T', 'E', 'M', 'A', 'N'};
inline constexpr char result_magic[8] = {'V', 'I', 'T', 'T', 'E', 'R', 'E', 'S'};
inline constexpr std::uint32_t cache_format_version = 1;
inline constexpr std::size_t stats_size = 6 * 8;
enum stat_slot { s_hits, s_misses, s_stores, s_evictions, s_bytes, s_files };

// Appends the SHA-256 of everything before it.
VITTE_DECL void seal(buffer<std::byte>& b);

// The sealed bytes without their digest, when the digest matches and the
// magic and version are the expected ones; an empty span otherwise.
VITTE_DECL span<const std::byte> unseal(span<const std::byte> b, const char (&magic)[8]);

struct candidate {
  fingerprint result;
  buffer<file_record> dependencies;  // path and content digest (stamp unused)
};

// A manifest's candidates, oldest first; false when it does not parse.
VITTE_DECL bool parse_manifest(span<const std::byte> body, buffer<candidate>& out);

VITTE_DECL buffer<std::byte> write_manifest(const buffer<candidate>& list);

}  // namespace detail

}  // namespace vitte::cache

#include <vitte/cache/impl/remote_tier.hpp>

namespace vitte::cache {

namespace detail {

// A manifest or result file as it lies in the cache: read only when it is a
// regular file of at most `limit` bytes (the cache writes nothing else); a
// link, a FIFO, a device or an oversized file reads as empty, which the
// callers take for a damaged entry (removed), never blocking or growing.
// Errors: not_found, and those of reading.
template <class P>
result<buffer<std::byte>> read_entry(const text& path, std::uint64_t limit) {
  auto st = sys::lstat<P>(path.c_str());
  if (!st) return st.error();
  if (st->type != sys::file_type::regular || st->size > limit) return buffer<std::byte>{};
  return sys::read_file<P>(path.c_str());
}

// The base directory a step names, as keys use it: empty, or absolute
// without links or dots (sys::canonical). Errors: invalid_argument for a
// relative base (what it is relative to would change with the current
// directory); canonical's (not_found, ...).
template <class P>
result<text> canonical_base(text_view base, operation op) {
  if (base.empty()) return text();
  if (!absolute_path(base)) return error(errc::invalid_argument, op);
  return sys::canonical<P>(text(base).c_str());
}

// The first dependency of `c` whose contents at its place under `base` are
// no longer the recorded ones (or cannot be read), or null when all still
// are; `where` is that place.
template <class P>
const file_record* changed_dependency(const candidate& c, text_view base, basic_file_hasher<P>& files,
                                      text* where = nullptr) {
  for (const file_record& f : c.dependencies) {
    const text path = resolved_path(base, f.path);
    auto now = files.digest(path);
    if (!now || *now != f.version.content) {
      if (where != nullptr) *where = path;
      return &f;
    }
  }
  return nullptr;
}

// Runs `op` (returning a status) and, on Windows, retries it for up to half
// a second while it fails with a sharing violation: Windows (and wine) deny
// replacing or moving a file another process has open, even one opened
// with FILE_SHARE_DELETE, until that handle closes, and caches, linkers,
// indexers and virus scanners hold files for short reads.
template <class P, class Op>
status retry_sharing(Op&& op) {
  status ok = op();
  if constexpr (VITTE_OS_WINDOWS != 0) {
    for (int wait_ms = 1; !ok && (ok.error() == errc::permission_denied || ok.error() == errc::busy) && wait_ms <= 256;
         wait_ms *= 2) {
      (void)sys::sleep_for<P>(std::chrono::milliseconds(wait_ms));
      ok = op();
    }
  }
  return ok;
}

template <class P>
status rename_retrying(const text& from, const text& to) {
  return retry_sharing<P>([&] { return sys::rename<P>(from.c_str(), to.c_str()); });
}

}  // namespace detail

template <class P>
text basic_output_cache<P>::entry_path(text_view kind, const fingerprint& key) const {
  const text hex = key.hex();
  text p = sys::path_join(root_, kind);
  p = sys::path_join(p, text_view(hex).substr(0, 2));
  return sys::path_join(p, hex);
}

template <class P>
result<basic_output_cache<P>> basic_output_cache<P>::open(text root, cache_options options) {
  basic_output_cache c;
  c.root_ = std::move(root);
  c.options_ = options;
  for (text_view sub : {"manifests", "results", "tmp", "locks"})
    if (auto ok = sys::create_directories<P>(sys::path_join(c.root_, sub).c_str()); !ok) return ok.error();
  auto f = sys::basic_file<P>::open(sys::path_join(c.root_, "stats").c_str(),
                                    sys::open_mode::read | sys::open_mode::write | sys::open_mode::create);
  if (!f) return f.error();
  c.stats_file_ = std::move(*f);
  return c;
}

template <class P>
status basic_output_cache<P>::bump(const stats_delta& d) {
  if (auto ok = stats_file_.lock(sys::lock_kind::exclusive, sys::basic_deadline<P>::after(std::chrono::seconds(30)));
      !ok)
    return ok.error();
  std::byte raw[detail::stats_size] = {};
  auto n = stats_file_.read_at(raw, 0);  // a new file reads short: counters start at zero
  status out = n ? status{} : status{n.error()};
  if (out) {
    for (std::size_t i = 0; i < 6; ++i) {
      const auto v = vitte::detail::load_le<std::uint64_t>(raw + 8 * i) + static_cast<std::uint64_t>(d.v[i]);
      vitte::detail::store_le(raw + 8 * i, v);
    }
    out = stats_file_.write_at(raw, 0);
  }
  (void)stats_file_.unlock();
  return out;
}

template <class P>
result<cache_stats> basic_output_cache<P>::stats() {
  if (auto ok = stats_file_.lock(sys::lock_kind::shared, sys::basic_deadline<P>::after(std::chrono::seconds(30))); !ok)
    return ok.error();
  std::byte raw[detail::stats_size] = {};
  auto n = stats_file_.read_at(raw, 0);
  (void)stats_file_.unlock();
  if (!n) return n.error();
  auto at = [&](int i) { return vitte::detail::load_le<std::uint64_t>(raw + 8 * i); };
  cache_stats s;
  s.hits = at(detail::s_hits);
  s.misses = at(detail::s_misses);
  s.stores = at(detail::s_stores);
  s.evictions = at(detail::s_evictions);
  s.bytes = static_cast<std::int64_t>(at(detail::s_bytes));
  s.files = static_cast<std::int64_t>(at(detail::s_files));
  return s;
}

template <class P>
result<sys::basic_file<P>> basic_output_cache<P>::stripe_lock(const fingerprint& key) {
  char name[2] = {vitte::detail::hex_digit(key.bytes[0]), 0};
  text p = sys::path_join(sys::path_join(root_, "locks"), text_view(name, 1));
  auto f = sys::basic_file<P>::open(p.c_str(), sys::open_mode::read | sys::open_mode::write | sys::open_mode::create);
  if (!f) return f.error();
  if (auto ok = f->lock(sys::lock_kind::exclusive, sys::basic_deadline<P>::after(std::chrono::seconds(30))); !ok)
    return ok.error();
  return f;
}

template <class P>
result<fingerprint> basic_output_cache<P>::manifest_key(const cache_step& step, basic_file_hasher<P>& files) {
  hasher h;
  h.add("vitte.cache.manifest").add(step.command).add(std::uint64_t{step.inputs.size()});
  for (const text& p : step.inputs) {
    auto d = files.digest(detail::resolved_path(step.base_dir, p));
    if (!d) return d.error();
    h.add(detail::keyed_path(step.base_dir, p)).add(*d);
  }
  h.add(std::uint64_t{step.outputs.size()});
  for (const text& p : step.outputs) h.add(detail::keyed_path(step.base_dir, p));
  return h.finish();
}

// Writes `bytes` under tmp/ and links it at `final_path`; false when a file
// is already there (another process published the same key first).
template <class P>
result<bool> basic_output_cache<P>::publish(const text& final_path, span<const std::byte> bytes) {
  auto tmp = sys::basic_temp_file<P>::create(sys::path_join(root_, "tmp"), "w-");
  if (!tmp) return tmp.error();
  if (auto ok = tmp->file().write(bytes); !ok) return ok.error();
  if (options_.sync)
    if (auto ok = tmp->file().sync(); !ok) return ok.error();
  status linked = sys::create_hard_link<P>(tmp->path().c_str(), final_path.c_str());
  if (!linked && linked.error() == errc::not_found) {
    if (auto ok = sys::create_directories<P>(sys::parent_path(final_path)); !ok) return ok.error();
    linked = sys::create_hard_link<P>(tmp->path().c_str(), final_path.c_str());
  }
  if (!linked) {
    if (linked.error() == errc::already_exists) return false;
    return linked.error();
  }
  return true;
}

// Moves the file away under tmp/ (so exactly one process owns it), counts
// what it held, removes it.
template <class P>
status basic_output_cache<P>::evict(const text& path, stats_delta& d) {
  text away = sys::path_join(sys::path_join(root_, "tmp"), "evict-");
  away.append(sys::detail::unique_suffix<P>());
  if (status ok = detail::rename_retrying<P>(path, away); !ok) {
    // Gone: someone else evicted it. Held open too long: left for the next cleaning.
    const bool skip =
        ok.error() == errc::not_found || ok.error() == errc::permission_denied || ok.error() == errc::busy;
    return skip ? status{} : ok;
  }
  auto st = sys::stat<P>(away.c_str());
  (void)sys::remove<P>(away.c_str());
  d.v[detail::s_evictions] += 1;
  d.v[detail::s_files] -= 1;
  if (st) d.v[detail::s_bytes] -= static_cast<std::int64_t>(st->size);
  return {};
}

template <class P>
status basic_output_cache<P>::restore(span<const std::byte> body, const cache_step& step) {
  detail::record_reader r(body);
  const std::uint32_t n = r.get_count(12);
  if (!r.ok() || n != step.outputs.size()) return error(errc::malformed, ops::cache_lookup);
  std::uint64_t at = 4 + std::uint64_t{n} * 12;
  for (std::uint32_t i = 0; i < n; ++i) {
    const auto mode = r.get<std::uint32_t>();
    const auto size = r.get<std::uint64_t>();
    if (!r.ok() || size > body.size() - at) return error(errc::malformed, ops::cache_lookup);
    sys::replace_options o;
    o.permissions = mode & 07777;
    o.sync = false;
    const span<const std::byte> data = body.subspan(static_cast<std::size_t>(at), static_cast<std::size_t>(size));
    const text path = detail::resolved_path(step.base_dir, step.outputs[i]);
    status ok = detail::retry_sharing<P>([&] { return sys::atomic_replace<P>(path.c_str(), data, o); });
    if (!ok && ok.error() == errc::not_found) {  // a build directory not made yet
      if (auto made = sys::create_directories<P>(sys::parent_path(path)); !made) return made;
      ok = detail::retry_sharing<P>([&] { return sys::atomic_replace<P>(path.c_str(), data, o); });
    }
    if (!ok) return ok;
    at += size;
  }
  return {};
}

template <class P>
result<cache_lookup> basic_output_cache<P>::lookup(const cache_step& given, basic_file_hasher<P>& files) {
  auto base = detail::canonical_base<P>(given.base_dir, ops::cache_lookup);
  if (!base) return base.error();
  cache_step step = given;
  step.base_dir = *base;
  stats_delta d;
  auto mkey = manifest_key(step, files);
  if (!mkey) return mkey.error();
  auto found = lookup_local(step, files, *mkey, d);
  if (!found) return found.error();
  if (!found->hit && remote_ != nullptr) {
    if (pull(files, *mkey, step.base_dir, d)) {
      auto again = lookup_local(step, files, *mkey, d);
      if (!again) return again.error();
      found = std::move(again);
      if (found->hit) found->why = text("hit (from the remote cache)");
    }
    remote_->count_lookup(found->hit);
  }
  d.v[found->hit ? detail::s_hits : detail::s_misses] += 1;
  if (auto ok = bump(d); !ok) return ok.error();
  return found;
}

template <class P>
result<cache_lookup> basic_output_cache<P>::lookup_local(const cache_step& step, basic_file_hasher<P>& files,
                                                         const fingerprint& mkey, stats_delta& d) {
  cache_lookup out;
  auto finish = [&](bool hit, text why) -> result<cache_lookup> {
    out.hit = hit;
    out.why = std::move(why);
    return std::move(out);
  };
  const text mpath = entry_path("manifests", mkey);
  auto mbytes = detail::read_entry<P>(mpath, options_.max_bytes);
  if (!mbytes) {
    if (mbytes.error() == errc::not_found) return finish(false, text("no entry for these inputs"));
    return mbytes.error();
  }
  buffer<detail::candidate> list;
  const auto mbody = detail::unseal(mbytes->span(), detail::manifest_magic);
  if (mbody.empty() || !detail::parse_manifest(mbody, list)) {
    if (auto lk = stripe_lock(mkey); lk)
      if (auto ok = evict(mpath, d); !ok) return ok.error();
    return finish(false, text("damaged manifest removed"));
  }
  text changed;
  for (std::size_t i = list.size(); i-- > 0;) {  // newest first
    const detail::candidate& c = list[i];
    text where;
    if (detail::changed_dependency(c, step.base_dir, files, &where) != nullptr) {
      if (changed.empty()) changed = std::move(where);
      continue;
    }
    const text rpath = entry_path("results", c.result);
    auto rbytes = detail::read_entry<P>(rpath, options_.max_bytes);
    if (!rbytes) {
      if (rbytes.error() == errc::not_found) return finish(false, text("result evicted"));
      return rbytes.error();
    }
    const auto rbody = detail::unseal(rbytes->span(), detail::result_magic);
    status restored =
        rbody.empty() ? status{error(errc::verification_failed, ops::cache_lookup)} : restore(rbody, step);
    if (!restored) {
      if (restored.error().op() != ops::cache_lookup) return restored.error();  // writing an output failed
      if (auto ok = evict(rpath, d); !ok) return ok.error();
      return finish(false, text("damaged result removed"));
    }
    (void)sys::set_times<P>(rpath.c_str(), sys::keep_time, sys::now_time);  // the LRU clock
    (void)sys::set_times<P>(mpath.c_str(), sys::keep_time, sys::now_time);
    out.dependencies.reserve(c.dependencies.size());
    for (const file_record& f : c.dependencies)
      out.dependencies.push_back(detail::resolved_path(step.base_dir, f.path));
    return finish(true, text("hit"));
  }
  text why("dependency changed: ");
  why.append(changed);
  return finish(false, std::move(why));
}

template <class P>
status basic_output_cache<P>::store(const cache_step& given, span<const text> dependencies,
                                    basic_file_hasher<P>& files) {
  auto base = detail::canonical_base<P>(given.base_dir, ops::cache_lookup);
  if (!base) return base.error();
  cache_step step = given;
  step.base_dir = *base;
  auto mkey = manifest_key(step, files);
  if (!mkey) return mkey.error();
  detail::candidate mine;
  hasher rh;
  rh.add("vitte.cache.result").add(*mkey).add(std::uint64_t{dependencies.size()});
  for (const text& p : dependencies) {
    // Under a base, a dependency is recorded by where it really is: one of
    // this checkout's files spelled through a link (or "..", or "//") is
    // still this checkout's, looked for in the asking one.
    text real = detail::resolved_path(step.base_dir, p);
    if (!step.base_dir.empty())
      if (auto c = sys::canonical<P>(real.c_str()); c) real = static_cast<text&&>(*c);
    auto dg = files.digest(real);
    if (!dg) return dg.error();
    const text_view kept = detail::keyed_path(step.base_dir, real);
    rh.add(kept).add(*dg);
    file_record f;
    f.path = kept;
    f.version.content = *dg;
    mine.dependencies.push_back(std::move(f));
  }
  mine.result = rh.finish();

  // The result: every output's mode and size, then their bytes, sealed.
  buffer<std::byte> res;
  {
    detail::record_writer w(res);
    w.put_bytes(detail::result_magic, 8);
    w.put(detail::cache_format_version);
    w.put(static_cast<std::uint32_t>(step.outputs.size()));
    buffer<buffer<std::byte>> data;
    for (const text& given : step.outputs) {
      const text p = detail::resolved_path(step.base_dir, given);
      auto st = sys::stat<P>(p.c_str());
      if (!st) return st.error();
      auto bytes = sys::read_file<P>(p.c_str());
      if (!bytes) return bytes.error();
      w.put(st->permissions);
      w.put(static_cast<std::uint64_t>(bytes->size()));
      data.push_back(std::move(*bytes));
    }
    for (const auto& b : data) w.put_bytes(b.data(), b.size());
    detail::seal(res);
  }
  stats_delta d;
  auto fresh = publish(entry_path("results", mine.result), res.span());
  if (!fresh) return fresh.error();
  if (*fresh) {
    d.v[detail::s_stores] += 1;
    d.v[detail::s_files] += 1;
    d.v[detail::s_bytes] += static_cast<std::int64_t>(res.size());
  }

  // The manifest: add this dependency set (newest last), under its stripe lock.
  const fingerprint rkey = mine.result;
  auto m = update_manifest(
      *mkey,
      [&](buffer<detail::candidate>& list) {
        buffer<detail::candidate> one;
        one.push_back(std::move(mine));
        list = detail::merge_candidates(std::move(list), std::move(one), options_.max_candidates);
      },
      d);
  if (!m) return m.error();
  if (remote_ != nullptr) {
    remote_->upload("result", rkey, std::move(res));
    remote_->upload("manifest", *mkey, std::move(*m));
  }
  if (auto ok = bump(d); !ok) return ok;
  auto now = stats();
  if (now && now->bytes > static_cast<std::int64_t>(options_.max_bytes)) return clean();
  return {};
}

// Reads the manifest under its stripe lock (a damaged one reads as empty),
// lets `update` change the list, writes it back atomically; returns the
// bytes written.
template <class P>
template <class Update>
result<buffer<std::byte>> basic_output_cache<P>::update_manifest(const fingerprint& mkey, Update&& update,
                                                                 stats_delta& d) {
  auto lk = stripe_lock(mkey);
  if (!lk) return lk.error();
  const text mpath = entry_path("manifests", mkey);
  buffer<detail::candidate> list;
  std::int64_t old_size = -1;
  if (auto old = detail::read_entry<P>(mpath, options_.max_bytes); old) {
    old_size = static_cast<std::int64_t>(old->size());
    const auto body = detail::unseal(old->span(), detail::manifest_magic);
    if (body.empty() || !detail::parse_manifest(body, list)) list.clear();  // damaged: start over
  } else if (old.error() != errc::not_found) {
    return old.error();
  }
  update(list);
  buffer<std::byte> m = detail::write_manifest(list);
  auto tmp = sys::basic_temp_file<P>::create(sys::path_join(root_, "tmp"), "m-");
  if (!tmp) return tmp.error();
  if (auto ok = tmp->file().write(m.span()); !ok) return ok.error();
  if (options_.sync)
    if (auto ok = tmp->file().sync(); !ok) return ok.error();
  status moved = detail::rename_retrying<P>(tmp->path(), mpath);
  if (!moved && moved.error() == errc::not_found) {
    if (auto ok = sys::create_directories<P>(sys::parent_path(mpath)); !ok) return ok.error();
    moved = detail::rename_retrying<P>(tmp->path(), mpath);
  }
  if (!moved) return moved.error();
  (void)tmp->release();  // renamed: nothing left to remove
  d.v[detail::s_bytes] += static_cast<std::int64_t>(m.size()) - (old_size < 0 ? 0 : old_size);
  if (old_size < 0) d.v[detail::s_files] += 1;
  return m;
}

// Brings what the server knows of this manifest here: its dependency sets
// join the local manifest, and the result of the first set that matches
// the files as they are now is stored locally. True when anything came.
template <class P>
bool basic_output_cache<P>::pull(basic_file_hasher<P>& files, const fingerprint& mkey, text_view base, stats_delta& d) {
  buffer<std::byte> m;
  if (!remote_->fetch("manifest", mkey, detail::manifest_magic, m)) return false;
  buffer<detail::candidate> theirs, valid;
  if (!detail::parse_manifest(detail::unseal(m.span(), detail::manifest_magic), theirs)) return false;
  for (detail::candidate& c : theirs)
    if (detail::consistent(mkey, c)) valid.push_back(std::move(c));
  fingerprint wanted;
  bool matched = false;
  for (std::size_t i = valid.size(); i-- > 0 && !matched;) {  // newest first
    matched = detail::changed_dependency(valid[i], base, files) == nullptr;
    if (matched) wanted = valid[i].result;
  }
  auto merged = update_manifest(
      mkey,
      [&](buffer<detail::candidate>& list) {
        list = detail::merge_candidates(std::move(valid), std::move(list), options_.max_candidates);
      },
      d);
  if (!merged || !matched) return merged.has_value();
  const text rpath = entry_path("results", wanted);
  if (sys::stat<P>(rpath.c_str())) return true;
  buffer<std::byte> r;
  if (!remote_->fetch("result", wanted, detail::result_magic, r)) return true;
  auto fresh = publish(rpath, r.span());
  if (fresh && *fresh) {
    d.v[detail::s_files] += 1;
    d.v[detail::s_bytes] += static_cast<std::int64_t>(r.size());
  }
  return true;
}

template <class P>
status basic_output_cache<P>::attach_remote(remote_options options, log::basic_logger<P>* log) {
  remote_.reset();
  auto t = detail::remote_tier<P>::create(std::move(options), log, options_.max_candidates);
  if (!t) return t.error();
  remote_ = std::move(*t);
  return {};
}

template <class P>
bool basic_output_cache<P>::flush_remote(sys::basic_deadline<P> d) {
  return remote_ == nullptr || remote_->flush(d);
}

template <class P>
remote_stats basic_output_cache<P>::remote_statistics() {
  return remote_ == nullptr ? remote_stats{} : remote_->stats();
}

template <class P>
status basic_output_cache<P>::clean() {
  auto lk = sys::basic_file<P>::open(sys::path_join(root_, "clean.lock").c_str(),
                                     sys::open_mode::read | sys::open_mode::write | sys::open_mode::create);
  if (!lk) return lk.error();
  auto got = lk->try_lock(sys::lock_kind::exclusive);
  if (!got) return got.error();
  if (!*got) return {};  // another process is cleaning
  struct entry {
    std::int64_t mtime_ns;
    text path;
    bool manifest;
  };
  std::vector<entry> all;
  const std::int64_t now = P::clock_now_ns(sys::clock_id::realtime);
  for (text_view kind : {"results", "manifests"}) {
    const bool manifest = kind == text_view("manifests");
    status walked = sys::walk<P>(sys::path_join(root_, kind).c_str(), [&](const sys::walk_entry& e) {
      if (e.type != sys::file_type::regular || e.name.size() != 64) return;
      auto st = sys::stat<P>(text(e.path).c_str());
      if (st) all.push_back(entry{st->mtime_ns, text(e.path), manifest});
    });
    if (!walked) return walked;
  }
  // What killed writers left behind, and evictions interrupted by a crash.
  (void)sys::walk<P>(sys::path_join(root_, "tmp").c_str(), [&](const sys::walk_entry& e) {
    auto st = sys::stat<P>(text(e.path).c_str());
    if (st && st->mtime_ns < now - std::int64_t{3600} * 1'000'000'000) (void)sys::remove<P>(text(e.path).c_str());
  });
  std::sort(all.begin(), all.end(), [](const entry& a, const entry& b) { return a.mtime_ns < b.mtime_ns; });
  auto s = stats();
  if (!s) return s.error();
  std::int64_t total = s->bytes;
  const auto target = static_cast<std::int64_t>(options_.max_bytes / 10 * 8);
  for (const entry& e : all) {
    if (total <= target) break;
    stats_delta d;
    if (e.manifest) {
      fingerprint key;
      if (!fingerprint::parse(sys::file_name(e.path), key)) continue;
      auto stripe = stripe_lock(key);
      if (!stripe) return stripe.error();
      if (auto ok = evict(e.path, d); !ok) return ok;
    } else if (auto ok = evict(e.path, d); !ok) {
      return ok;
    }
    total += d.v[detail::s_bytes];
    if (auto ok = bump(d); !ok) return ok;
  }
  return {};
}

}  // namespace vitte::cache

#endif  // VITTE_CACHE_IMPL_CACHE_HPP
