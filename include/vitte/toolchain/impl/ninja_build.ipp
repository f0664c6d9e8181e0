// vitte/toolchain/impl/ninja_build.ipp - the bodies of
// vitte/toolchain/ninja_build.hpp: the graph, ninja's scan of what is
// dirty, its plan (with restat's cleaning), .ninja_log and .ninja_deps,
// and the loop that hands commands to worker threads.
#ifndef VITTE_TOOLCHAIN_IMPL_NINJA_BUILD_IPP
#define VITTE_TOOLCHAIN_IMPL_NINJA_BUILD_IPP

#include <vitte/base/config.hpp>
#include <vitte/base/detail/decimal.hpp>
#include <vitte/base/detail/endian.hpp>
#include <vitte/base/detail/hash.hpp>  // content hashes
#include <vitte/base/detail/hex.hpp>
#include <vitte/cache/cache.hpp>
#include <vitte/cache/depfile.hpp>
#include <vitte/cache/file_hasher.hpp>  // name_hash
#include <vitte/sys/condition_variable.hpp>
#include <vitte/sys/directory.hpp>
#include <vitte/sys/environment.hpp>
#include <vitte/sys/file.hpp>
#include <vitte/sys/info.hpp>
#include <vitte/sys/metadata.hpp>
#include <vitte/sys/mutex.hpp>
#include <vitte/sys/path.hpp>
#include <vitte/sys/path_ops.hpp>  // canonical
#include <vitte/sys/process.hpp>
#include <vitte/sys/thread.hpp>
#include <vitte/sys/time.hpp>
#include <vitte/sys/whole_file.hpp>
#include <vitte/toolchain/build_trace.hpp>  // ninja_command_hash
#include <vitte/toolchain/detail/cacheable_compile.hpp>
#include <vitte/toolchain/detail/ninja_log.hpp>
#include <vitte/toolchain/distcc.hpp>
#include <vitte/toolchain/ninja_build.hpp>
#include <vitte/toolchain/tool.hpp>  // command_key

#include <algorithm>  // stable_sort
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>  // std::unique_lock
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace vitte::toolchain {
namespace detail {

/// Maps keyed by path that find by a view, without building a string
/// (cache::name_hash, the build kit's heterogeneous hash).
template <class V>
using nb_map = std::unordered_map<std::string, V, cache::name_hash, std::equal_to<>>;

/// Maps keyed by views into text kept elsewhere (a log's file, nb_kept).
template <class V>
using nb_view_map = std::unordered_map<text_view, V, cache::name_hash, std::equal_to<>>;

/// Paths recorded during a build, kept where views into them stay valid.
using nb_kept = std::deque<std::string>;

inline std::string_view nb_view(text_view t) noexcept { return {t.data(), t.size()}; }

struct nb_node {
  text_view path;           // into the manifest, .ninja_deps as read, or the builder's kept paths
  std::int64_t mtime = -1;  // -1: not looked at; 0: missing
  bool dirty = false;
  bool discovered = false;         // named by a depfile or .ninja_deps only: missing means dirty, not an error
  bool dyndep_pending = false;     // a step's dyndep file, not read yet
  std::int32_t in = -1;            // the step that makes it
  std::vector<std::uint32_t> out;  // the steps that read it
};

struct nb_step {
  const ninja_step* s = nullptr;
  std::vector<std::uint32_t> inputs;  // explicit, implicit, discovered, then order-only
  std::uint32_t order_only = 0;
  std::vector<std::uint32_t> outputs;  // explicit, implicit, then its dyndep file's
  std::int32_t dyndep = -1;            // the node of its dyndep file
  std::uint8_t visit = 0;              // 0 not yet, 1 on the stack, 2 scanned
  bool dirty = false;
  bool restat = false;  // the manifest's, or its dyndep file's
  bool deps_loaded = false;
  bool deps_missing = false;
  bool ready_out = false;  // ninja's outputs_ready: clean, and so is everything it waits for
  bool wanted = false;
  bool skip = false;    // cleaned by restat, or clean but waiting for its inputs: finishes without running
  bool queued = false;  // in ready_
  bool started = false;
  bool done = false;
  std::uint32_t pending = 0;           // wanted steps it waits for, not done
  std::vector<std::uint32_t> waiters;  // wanted steps waiting for it (once each)
  std::int64_t start_ms = 0;
  std::vector<std::int64_t> before;      // its outputs' mtimes before it ran (restat)
  std::set<std::string> shown_includes;  // deps = msvc: what its output named
};

/// ninja's CLParser (deps = msvc): a line starting with `prefix` ("Note:
/// including file: " when empty) names an include, kept out of the output
/// (one under Program Files or Visual Studio is not kept at all); a line
/// before the first one that is a source file's name (cl echoes it) is
/// dropped; the other lines are the output.
inline text ninja_show_includes(text_view output, text_view prefix, std::set<std::string>& includes) {
  if (prefix.empty()) prefix = "Note: including file: ";
  const auto ends_with = [](const std::string& l, const char* tail) {
    const std::string t(tail);
    return l.size() >= t.size() && l.compare(l.size() - t.size(), t.size(), t) == 0;
  };
  text kept;
  bool seen = false;
  std::size_t start = 0;
  while (start < output.size()) {
    std::size_t end = start;
    while (end < output.size() && output[end] != '\r' && output[end] != '\n') ++end;
    const text_view line = output.substr(start, end - start);
    std::string lower(line);
    for (char& c : lower) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    if (line.size() > prefix.size() && line.substr(0, prefix.size()) == prefix) {
      seen = true;
      std::size_t at = prefix.size();
      while (at < line.size() && line[at] == ' ') ++at;
      if (lower.find("program files") == std::string::npos &&
          lower.find("microsoft visual studio") == std::string::npos)
        includes.insert(std::string(line.substr(at)));
    } else if (seen || !(ends_with(lower, ".c") || ends_with(lower, ".cc") || ends_with(lower, ".cxx") ||
                         ends_with(lower, ".cpp") || ends_with(lower, ".c++"))) {
      kept.append(line);
      kept.append("\n");
    }
    if (end < output.size() && output[end] == '\r') ++end;
    if (end < output.size() && output[end] == '\n') ++end;
    start = end;
  }
  return kept;
}

/// .ninja_log v5: the last record of each output.
struct nb_log_entry {
  std::uint64_t hash = 0;
  std::int64_t mtime = 0;
  std::int64_t duration_ms = -1;  // how long it took last time; -1 unknown
};

/// .ninja_deps v4: the last record of an output, by path index: its
/// mtime and its inputs (path indices).
struct nb_deps_entry {
  bool present = false;
  std::int64_t mtime = 0;
  std::vector<std::uint32_t> inputs;
};

inline std::uint64_t nb_command_hash(const ninja_step& s) {
  if (s.rspfile_content.empty()) return ninja_command_hash(s.command);
  text all = s.command;
  all.append(";rspfile=");
  all.append(s.rspfile_content);
  return ninja_command_hash(all);
}

/// What a worker ran: the step and what came of it.
struct nb_result {
  std::uint32_t step = 0;
  bool ok = false;
  bool from_cache = false;
  bool remote = false;  // compiled on a distcc server
  text output;
};

struct nb_sync {
  sys::mutex m;
  sys::condition_variable cv;
  std::vector<std::uint32_t> to_run;
  std::size_t next = 0;
  std::vector<nb_result> done;
  bool quit = false;
  bool token_arrived = false;  // make's jobserver sent one
};

class ninja_builder {
 public:
  ninja_builder(const ninja_manifest& m, const ninja_build_options& o, ninja_status& st, diagnostic* why)
      : m_(m), o_(o), status_(st), why_(why) {}

  result<ninja_build_report> build(span<const text> targets) {
    if (status s = make_graph(); !s) return s.error();
    if (status s = load_logs(); !s) return s.error();
    if (o_.content_hashes) load_digests();
    std::vector<std::uint32_t> roots;
    if (status s = pick_targets(targets, roots); !s) return s.error();
    for (const std::uint32_t n : roots)
      if (status s = scan_node(n); !s) return s.error();
    for (const std::uint32_t n : roots)
      if (status s = want_node(n, nullptr); !s) return s.error();
    return run();
  }

 private:
  // --- the graph -------------------------------------------------------

  text full(text_view path) const {
    if (o_.directory.empty() || (!path.empty() && path[0] == '/')) return text(path);
    return sys::path_join(o_.directory, path);
  }

  /// The node of `path`, whose text outlives the builder (the manifest's,
  /// .ninja_deps's or kept_).
  std::uint32_t node(text_view path) {
    const auto it = ids_.find(path);
    if (it != ids_.end()) return it->second;
    const auto id = static_cast<std::uint32_t>(nodes_.size());
    nodes_.emplace_back();
    nodes_.back().path = path;
    ids_.emplace(path, id);
    return id;
  }

  /// The node of a path that does not outlive the call (a depfile's).
  std::uint32_t node_copying(text_view path) {
    const auto it = ids_.find(path);
    if (it != ids_.end()) return it->second;
    kept_.emplace_back(path.data(), path.size());
    return node(text_view(kept_.back().data(), kept_.back().size()));
  }

  status make_graph() {
    steps_.resize(m_.steps.size());
    for (std::size_t i = 0; i < m_.steps.size(); ++i) {
      const ninja_step& s = m_.steps[i];
      nb_step& e = steps_[i];
      e.s = &s;
      e.order_only = s.order_only_inputs;
      e.restat = s.restat;
      for (const text& p : s.inputs) {
        const std::uint32_t n = node(p);
        e.inputs.push_back(n);
        nodes_[n].out.push_back(static_cast<std::uint32_t>(i));
      }
      for (const text& p : s.outputs) {
        const std::uint32_t n = node(p);
        e.outputs.push_back(n);
        nodes_[n].in = static_cast<std::int32_t>(i);
      }
      if (!s.dyndep.empty()) {
        e.dyndep = static_cast<std::int32_t>(node(s.dyndep));
        nodes_[static_cast<std::uint32_t>(e.dyndep)].dyndep_pending = true;
      }
    }
    return {};
  }

  /// `path`'s mtime on disk now (0: missing), whatever the node cache says.
  std::int64_t disk_mtime(text_view path) const {
    auto st = sys::stat(full(path));
    return st ? (st->mtime_ns > 0 ? st->mtime_ns : 1) : 0;
  }

  std::int64_t stat(std::uint32_t n) {
    nb_node& d = nodes_[n];
    if (d.mtime < 0) d.mtime = disk_mtime(d.path);
    return d.mtime;
  }

  status fail(errc kind, text_view subject, text_view message) {
    if (why_ != nullptr) {
      why_->clear();
      why_->of(kind).about(subject).say(message);
    }
    return error{kind};
  }

  status pick_targets(span<const text> targets, std::vector<std::uint32_t>& roots) {
    for (const text& t : targets) {
      const auto it = ids_.find(text_view(ninja_canonical_path(t)));
      if (it == ids_.end()) {
        text what = "unknown target '";
        what.append(t);
        what.append("'");
        return fail(errc::not_found, t, what);
      }
      roots.push_back(it->second);
    }
    if (!targets.empty()) return {};
    for (const text& d : m_.defaults) roots.push_back(ids_.find(text_view(d))->second);
    if (!roots.empty()) return {};
    for (std::uint32_t n = 0; n < nodes_.size(); ++n)  // every output nothing reads
      if (nodes_[n].in >= 0 && nodes_[n].out.empty()) roots.push_back(n);
    if (roots.empty() && !steps_.empty())
      return fail(errc::malformed, m_.steps[0].file, "could not determine root nodes of build graph");
    return {};
  }

  // --- logs ------------------------------------------------------------

  text log_path(text_view name) const {
    text p = m_.builddir.empty() ? text(name) : sys::path_join(m_.builddir, name);
    return full(p);
  }

  status load_logs() {
    // .ninja_log v5: "# ninja log v5", then start, end, mtime, output, hash.
    auto log = sys::read_file_string(log_path(".ninja_log"));
    if (log && text_view(*log).starts_with("# ninja log v5\n")) {
      log_ok_ = true;
      log_text_ = static_cast<text&&>(*log);  // log_ keeps views into it
      const text_view all = log_text_;
      for (std::size_t at = all.find('\n') + 1; at < all.size();) {
        std::size_t end = all.find('\n', at);
        if (end == text_view::npos) break;  // a line cut short by a crash
        read_log_line(all.substr(at, end - at));
        at = end + 1;
      }
    }
    // .ninja_deps v4.
    auto deps = sys::read_file_string(log_path(".ninja_deps"));
    if (deps) {
      deps_text_ = static_cast<text&&>(*deps);  // deps_paths_ are views into it
      read_deps(deps_text_);
    }
    return {};
  }

  void read_log_line(text_view line) {
    text_view f[5];
    for (int i = 0; i < 4; ++i) {
      const std::size_t tab = line.find('\t');
      if (tab == text_view::npos) return;
      f[i] = line.substr(0, tab);
      line = line.substr(tab + 1);
    }
    f[4] = line;
    std::uint64_t mtime = 0, hash = 0, start = 0, end = 0;
    if (!vitte::detail::parse_decimal(f[2], INT64_MAX, mtime)) return;
    const bool timed = vitte::detail::parse_decimal(f[0], INT64_MAX, start) &&
                       vitte::detail::parse_decimal(f[1], INT64_MAX, end) && end >= start;
    if (f[4].empty() || f[4].size() > 16) return;
    for (const char c : f[4]) {
      const int v = vitte::detail::hex_value(c);
      if (v < 0) return;
      hash = hash << 4 | static_cast<unsigned>(v);
    }
    log_[f[3]] =
        nb_log_entry{hash, static_cast<std::int64_t>(mtime), timed ? static_cast<std::int64_t>(end - start) : -1};
  }

  void read_deps(text_view b) {
    constexpr text_view magic = "# ninjadeps\n";
    if (b.size() < magic.size() + 4 || b.substr(0, magic.size()) != magic) return;
    const auto word = [&b](std::size_t at) { return vitte::detail::load_le<std::uint32_t>(b.data() + at); };
    if (word(magic.size()) != 4) return;
    std::size_t at = magic.size() + 4;
    while (at + 4 <= b.size()) {
      const std::uint32_t head = word(at);
      const bool is_deps = (head & 0x80000000u) != 0;
      const std::uint32_t size = head & 0x7fffffffu;
      if (size % 4 != 0 || size > (1u << 19) || at + 4 + size > b.size()) break;  // torn: the rest is dropped
      const std::size_t r = at + 4;
      if (is_deps ? !read_deps_record(b, r, size) : !read_deps_path(b, r, size)) break;
      at = r + size;
    }
    deps_valid_end_ = at;
    deps_loaded_ = true;
  }

  /// A path record of .ninja_deps at `r`; false when it is not the next id.
  bool read_deps_path(text_view b, std::size_t r, std::uint32_t size) {
    if (size < 4) return false;
    std::size_t len = size - 4;
    while (len > 0 && b[r + len - 1] == '\0') --len;
    const std::uint32_t check = vitte::detail::load_le<std::uint32_t>(b.data() + r + size - 4);
    if (check != ~static_cast<std::uint32_t>(deps_paths_.size())) return false;
    add_deps_path(b.substr(r, len));
    return true;
  }

  /// A dependency record at `r`: an output, its mtime, its inputs, each a
  /// path id already read; false when one is not.
  bool read_deps_record(text_view b, std::size_t r, std::uint32_t size) {
    if (size < 12) return false;
    const auto word = [&b, r](std::size_t k) { return vitte::detail::load_le<std::uint32_t>(b.data() + r + k); };
    const std::uint32_t out = word(0);
    if (out >= deps_paths_.size()) return false;
    nb_deps_entry e;
    e.present = true;
    e.mtime = static_cast<std::int64_t>(word(4) | std::uint64_t{word(8)} << 32);
    e.inputs.reserve((size - 12) / 4);
    for (std::uint32_t k = 12; k < size; k += 4) {
      const std::uint32_t in = word(k);
      if (in >= deps_paths_.size()) return false;
      e.inputs.push_back(in);
    }
    deps_[out] = static_cast<nb_deps_entry&&>(e);
    return true;
  }

  /// `path` given the next .ninja_deps id; the view must outlive the builder.
  std::uint32_t add_deps_path(text_view path) {
    const auto id = static_cast<std::uint32_t>(deps_paths_.size());
    deps_paths_.push_back(path);
    deps_.emplace_back();
    deps_node_.push_back(-1);
    deps_ids_.emplace(path, id);
    return id;
  }

  /// The node of .ninja_deps path `id`, looked up once.
  std::uint32_t deps_node(std::uint32_t id) {
    if (deps_node_[id] < 0) deps_node_[id] = static_cast<std::int32_t>(node(deps_paths_[id]));
    return static_cast<std::uint32_t>(deps_node_[id]);
  }

  // --- what is dirty ---------------------------------------------------

  status scan_node(std::uint32_t n) {
    nb_node& d = nodes_[n];
    if (d.in < 0) {
      d.dirty = stat(n) == 0;
      return {};
    }
    return scan_step(static_cast<std::uint32_t>(d.in));
  }

  status cycle(std::uint32_t e) {
    text what = "dependency cycle: ";
    bool in_cycle = false;
    for (const std::uint32_t k : stack_) {
      if (k == e) in_cycle = true;
      if (!in_cycle) continue;
      what.append(nodes_[steps_[k].outputs[0]].path);
      what.append(" -> ");
    }
    what.append(nodes_[steps_[e].outputs[0]].path);
    return fail(errc::malformed, m_.steps[e].file, what);
  }

  /// The header dependencies of step `e` added as implicit inputs; false
  /// when they are missing or out of date (the step is dirty).
  bool load_deps(std::uint32_t e) {
    nb_step& st = steps_[e];
    const ninja_step& s = *st.s;
    std::vector<std::uint32_t> added;
    if (!s.deps.empty()) {
      const auto it = deps_ids_.find(text_view(s.outputs[0]));
      if (it == deps_ids_.end() || !deps_[it->second].present) return false;
      if (stat(st.outputs[0]) > deps_[it->second].mtime) return false;
      for (const std::uint32_t p : deps_[it->second].inputs) added.push_back(deps_node(p));
    } else if (!s.depfile.empty()) {
      auto d = cache::read_depfile(full(s.depfile));
      if (!d) return false;
      for (const text& p : d->dependencies) added.push_back(node_copying(ninja_canonical_path(p)));
    } else {
      return true;
    }
    for (const std::uint32_t n : added) {
      if (nodes_[n].in < 0) nodes_[n].discovered = true;
      nodes_[n].out.push_back(e);
    }
    nb_step& again = steps_[e];  // node() may have grown nodes_, not steps_
    again.inputs.insert(again.inputs.end() - again.order_only, added.begin(), added.end());
    return true;
  }

  status scan_step(std::uint32_t e) {
    if (steps_[e].visit == 2) return {};
    if (steps_[e].visit == 1) return cycle(e);
    steps_[e].visit = 1;
    stack_.push_back(e);
    // Met for the first time: its dyndep file, when nothing is left to
    // make it, is read now (ninja's RecomputeNodeDirty); else once made.
    const std::int32_t dd = steps_[e].dyndep;
    if (!steps_[e].deps_loaded && dd >= 0 && nodes_[static_cast<std::uint32_t>(dd)].dyndep_pending) {
      const auto file = static_cast<std::uint32_t>(dd);
      if (status s = scan_node(file); !s) return s;
      if (producer_ready(file))
        if (status s = load_dyndep(file, nullptr); !s) return s;
    }
    bool dirty = false;
    if (!steps_[e].deps_loaded) {
      steps_[e].deps_loaded = true;
      if (steps_[e].s->rule != "phony" && !load_deps(e)) steps_[e].deps_missing = true;
    }
    dirty = steps_[e].deps_missing;
    std::int64_t newest = 0;
    bool ready = true;
    const std::size_t n_in = steps_[e].inputs.size();
    for (std::size_t i = 0; i < n_in; ++i) {
      const std::uint32_t in = steps_[e].inputs[i];
      if (status s = scan_node(in); !s) return s;
      ready = ready && producer_ready(in);
      if (i >= n_in - steps_[e].order_only) continue;  // built first, never makes this dirty
      if (nodes_[in].dirty)
        dirty = true;
      else if (nodes_[in].mtime > newest)
        newest = nodes_[in].mtime;
    }
    if (!dirty) {
      const verdict v = outputs_verdict(e, newest);
      dirty = v != verdict::clean && !(v == verdict::stale && o_.content_hashes && same_content(e));
    }
    nb_step& st = steps_[e];
    st.dirty = dirty;
    st.ready_out = ready && !(dirty && !(st.s->rule == "phony" && st.inputs.empty()));
    for (const std::uint32_t o : st.outputs) {
      nodes_[o].dirty = dirty;
      if (st.s->rule == "phony" && newest > stat(o)) nodes_[o].mtime = newest;  // as new as its newest input
    }
    st.visit = 2;
    stack_.pop_back();
    return {};
  }

  /// ninja's RecomputeOutputsDirty for step `e` whose newest input is `newest`.
  bool outputs_dirty(std::uint32_t e, std::int64_t newest) { return outputs_verdict(e, newest) != verdict::clean; }

  /// clean; stale: only an input newer than an output (or than the time
  /// .ninja_log recorded) says the step must run; dirty: anything else.
  enum class verdict : std::uint8_t { clean, stale, dirty };
  verdict outputs_verdict(std::uint32_t e, std::int64_t newest) {
    const nb_step& st = steps_[e];
    const ninja_step& s = *st.s;
    bool stale = false;
    for (const std::uint32_t o : st.outputs) {
      const std::int64_t t = stat(o);
      if (s.rule == "phony") {
        if (st.inputs.empty() && t == 0) return verdict::dirty;
        continue;
      }
      if (t == 0) return verdict::dirty;
      const auto it = log_.find(text_view(nodes_[o].path));
      const nb_log_entry* entry = it == log_.end() ? nullptr : &it->second;
      if (newest != 0 && t < newest) {
        // A restat step's recorded time stands for an output it left alone.
        if (!st.restat || entry == nullptr || entry->mtime < newest) stale = true;
      }
      if (entry != nullptr) {
        if (!s.generator && entry->hash != nb_command_hash(s)) return verdict::dirty;
        if (newest != 0 && entry->mtime < newest) stale = true;
      } else if (!s.generator) {
        return verdict::dirty;
      }
    }
    return stale ? verdict::stale : verdict::clean;
  }

  // --- content hashes (what ninja lacks) ------------------------------------

  /// The contents of step `e`'s inputs (explicit, implicit, discovered;
  /// not order-only), names and bytes, as one digest; 0 when one is missing.
  std::uint64_t input_digest(std::uint32_t e) {
    const nb_step& st = steps_[e];
    std::uint64_t h = vitte::detail::fnv_offset;
    const std::size_t end = st.inputs.size() - st.order_only;
    for (std::size_t i = 0; i < end; ++i) {
      const nb_node& n = nodes_[st.inputs[i]];
      auto bytes = sys::read_file(full(n.path));
      if (!bytes) return 0;
      h = vitte::detail::mix64(h ^ vitte::detail::name_hash(n.path));
      h = vitte::detail::mix64(h ^ vitte::detail::content_hash(bytes->span()));
    }
    return h == 0 ? 1 : h;
  }

  /// A stale step whose inputs hold what they held when it last ran: its
  /// outputs are dated now and .ninja_log says so (ninja agrees afterwards),
  /// and it does not run.
  bool same_content(std::uint32_t e) {
    const auto it = digests_.find(nb_view(steps_[e].s->outputs[0]));
    if (it == digests_.end() || it->second != input_digest(e)) return false;
    if (o_.dry_run) return true;
    const std::uint64_t hash = nb_command_hash(*steps_[e].s);
    for (const std::uint32_t o : steps_[e].outputs) {
      if (!sys::set_times(full(nodes_[o].path), sys::keep_time, sys::now_time)) return false;
      nodes_[o].mtime = -1;
      const std::int64_t now = stat(o);
      if (!append_log_line(o, 0, 0, now, hash)) return false;
    }
    return true;
  }

  text digest_path() const { return log_path(".vitte_digests"); }

  /// .vitte_digests: "OUTPUT\tHEX" lines, the last one of an output wins.
  void load_digests() {
    auto all = sys::read_file_string(digest_path());
    if (!all) return;
    const text_view t = *all;
    for (std::size_t at = 0; at < t.size();) {
      std::size_t end = t.find('\n', at);
      if (end == text_view::npos) break;
      const text_view line = t.substr(at, end - at);
      at = end + 1;
      const std::size_t tab = line.rfind('\t');
      if (tab == text_view::npos || line.size() - tab - 1 != 16) continue;
      std::uint64_t d = 0;
      bool ok = true;
      for (const char c : line.substr(tab + 1)) {
        const int v = vitte::detail::hex_value(c);
        ok = ok && v >= 0;
        d = d << 4 | static_cast<unsigned>(v < 0 ? 0 : v);
      }
      if (ok) digests_[std::string(nb_view(line.substr(0, tab)))] = d;
    }
  }

  status record_digest(std::uint32_t e) {
    const std::uint64_t d = input_digest(e);
    if (d == 0) return {};
    const text_view out = steps_[e].s->outputs[0];
    digests_[std::string(nb_view(out))] = d;
    text line(out);
    line.push_back('\t');
    for (int i = 15; i >= 0; --i) line.push_back(vitte::detail::hex_digit(static_cast<unsigned>(d >> (4 * i))));
    line.push_back('\n');
    const text path = digest_path();
    if (status s = open_append(digest_file_, path, {}, false); !s) return s;
    if (status s = digest_file_->write(line); !s) return named(s.error(), path);
    return {};
  }

  // --- dyndep files -------------------------------------------------------

  /// Whether `n` is there for what reads it: made by no step, or by one
  /// that is done or clean with nothing left to wait for.
  bool producer_ready(std::uint32_t n) const {
    const std::int32_t p = nodes_[n].in;
    return p < 0 || steps_[static_cast<std::uint32_t>(p)].ready_out || steps_[static_cast<std::uint32_t>(p)].done;
  }

  static std::int64_t step_making(text_view path, void* self) {
    const auto& b = *static_cast<const ninja_builder*>(self);
    const auto it = b.ids_.find(path);
    return it == b.ids_.end() ? -1 : b.nodes_[it->second].in;
  }

  status dyndep_error(std::uint32_t file, const std::string& what) {
    return fail(errc::malformed, nodes_[file].path, text_view(what.data(), what.size()));
  }

  /// Reads dyndep file `file` and adds what it says to the steps that name
  /// it (ninja's DyndepLoader): their implicit outputs and inputs, restat.
  /// `touched` (when given) gets those steps and the inputs each gained.
  status load_dyndep(std::uint32_t file, std::vector<std::pair<std::uint32_t, std::vector<std::uint32_t>>>* touched) {
    nodes_[file].dyndep_pending = false;
    const text path(nodes_[file].path);
    auto body = sys::read_file_string(full(path));
    if (!body) {
      std::string what = "loading '" + std::string(nb_view(path)) + "': ";
      what += nb_view(body.error().message().view());
      return fail(body.error().kind(), {}, text_view(what.data(), what.size()));  // ninja's words, the path in them
    }
    auto f = parse_ninja_dyndep(*body, path, ninja_dyndep_steps{&ninja_builder::step_making, this}, why_);
    if (!f) return f.error();
    std::vector<bool> used(f->statements.size(), false);
    std::vector<std::uint32_t> readers = nodes_[file].out;
    for (std::size_t r = 0; r < readers.size(); ++r) {
      const std::uint32_t e = readers[r];
      bool seen = false;
      for (std::size_t k = 0; k < r; ++k) seen = seen || readers[k] == e;
      if (seen || steps_[e].dyndep != static_cast<std::int32_t>(file)) continue;
      std::size_t at = 0;
      while (at < f->statements.size() && step_making(f->statements[at].output, this) != e) ++at;
      const std::string first(nb_view(nodes_[steps_[e].outputs[0]].path));
      if (at == f->statements.size())
        return dyndep_error(file,
                            "'" + first + "' not mentioned in its dyndep file '" + std::string(nb_view(path)) + "'");
      used[at] = true;
      const ninja_dyndep& d = f->statements[at];
      if (d.restat) steps_[e].restat = true;
      for (const text& o : d.implicit_outputs) {
        const std::uint32_t n = node_copying(o);
        if (nodes_[n].in >= 0) return dyndep_error(file, "multiple rules generate " + std::string(nb_view(o)));
        nodes_[n].in = static_cast<std::int32_t>(e);
        steps_[e].outputs.push_back(n);
      }
      std::vector<std::uint32_t> added;
      for (const text& i : d.implicit_inputs) {
        const std::uint32_t n = node_copying(i);
        nodes_[n].out.push_back(e);
        added.push_back(n);
      }
      nb_step& st = steps_[e];
      st.inputs.insert(st.inputs.end() - st.order_only, added.begin(), added.end());
      if (touched != nullptr) touched->emplace_back(e, static_cast<std::vector<std::uint32_t>&&>(added));
    }
    for (std::size_t k = 0; k < used.size(); ++k) {
      if (used[k]) continue;
      const std::int64_t e = step_making(f->statements[k].output, this);
      const std::string first(nb_view(nodes_[steps_[static_cast<std::size_t>(e)].outputs[0]].path));
      return dyndep_error(file, "dyndep file '" + std::string(nb_view(path)) + "' mentions output '" + first +
                                    "' whose build statement does not have a dyndep binding for the file");
    }
    return {};
  }

  /// Dyndep file `file` was made during the build: read it, then plan
  /// again what it changed (ninja's Plan::DyndepsLoaded): the steps in the
  /// plan that wait for it, scanned again (one now dirty is wanted), the
  /// steps making their new inputs planned, each wanted step waiting for
  /// what it needs.
  status dyndep_made(std::uint32_t file) {
    std::vector<std::pair<std::uint32_t, std::vector<std::uint32_t>>> touched;
    if (status s = load_dyndep(file, &touched); !s) return s;
    // What depends on the file, in the plan and not started.
    std::vector<std::uint32_t> again;
    std::vector<bool> met(steps_.size(), false);
    std::vector<std::uint32_t> frontier{file};
    while (!frontier.empty()) {
      const std::uint32_t n = frontier.back();
      frontier.pop_back();
      for (const std::uint32_t c : nodes_[n].out) {
        if (met[c] || !planned_at(c) || steps_[c].started || steps_[c].done) continue;
        met[c] = true;
        again.push_back(c);
        for (const std::uint32_t o : steps_[c].outputs) frontier.push_back(o);
      }
    }
    for (const std::uint32_t c : again) steps_[c].visit = 0;
    for (const std::uint32_t c : again)
      if (status s = scan_step(c); !s) return s;
    for (const std::uint32_t c : again) {
      nb_step& st = steps_[c];
      if (st.dirty && (!st.wanted || st.skip)) {
        st.skip = false;
        count_wanted(c);
      } else if (!st.wanted && !st.ready_out) {
        st.wanted = st.skip = true;
      }
    }
    for (const auto& [e, added] : touched) {
      if (!planned_at(e) || steps_[e].done) continue;
      for (const std::uint32_t n : added)
        if (status s = want_node(n, steps_[e].s); !s) return s;
    }
    // Each wanted step not started waits for the wanted steps making its
    // inputs; one left with nothing to wait for is ready.
    for (std::uint32_t e = 0; e < steps_.size(); ++e) {
      if (!steps_[e].wanted || steps_[e].started || steps_[e].done) continue;
      wait_for_inputs(e);
      if (steps_[e].pending != 0 && steps_[e].queued) {
        for (std::size_t i = 0; i < ready_.size(); ++i)
          if (ready_[i] == e) ready_.erase(ready_.begin() + static_cast<std::ptrdiff_t>(i));
        steps_[e].queued = false;
      }
    }
    weigh();
    std::stable_sort(ready_.begin(), ready_.end(), [this](std::uint32_t a, std::uint32_t b) { return before(a, b); });
    for (std::uint32_t e = 0; e < steps_.size(); ++e)
      if (steps_[e].wanted && !steps_[e].started && !steps_[e].done && !steps_[e].queued && steps_[e].pending == 0)
        insert_ready(e);
    return {};
  }

  /// A step the plan now runs: counted.
  void count_wanted(std::uint32_t e) {
    steps_[e].wanted = true;
    if (steps_[e].s->rule == "phony") return;
    ++total_;
    ++progress_.total;
    ++added_;
  }

  bool planned_at(std::size_t e) const { return e < planned_.size() && planned_[e]; }

  // --- the plan ----------------------------------------------------------

  status want_node(std::uint32_t n, const ninja_step* needed_by) {
    const nb_node& d = nodes_[n];
    if (d.in < 0) {
      if (d.dirty && !d.discovered && needed_by != nullptr) {
        text what = "'";
        what.append(d.path);
        what.append("', needed by '");
        what.append(needed_by->outputs[0]);
        what.append("', missing and no known rule to make it");
        return fail(errc::not_found, d.path, what);
      }
      if (d.dirty && needed_by == nullptr) {
        text what = "'";
        what.append(d.path);
        what.append("' missing and no known rule to make it");
        return fail(errc::not_found, d.path, what);
      }
      return {};
    }
    const auto e = static_cast<std::uint32_t>(d.in);
    if (planned_.size() < steps_.size()) planned_.resize(steps_.size(), false);
    if (planned_[e]) return {};
    planned_[e] = true;
    nb_step& st = steps_[e];
    if (st.dirty) {
      if (running_) {
        count_wanted(e);
      } else {
        st.wanted = true;
        if (st.s->rule != "phony") ++total_;
      }
    } else if (!st.ready_out) {
      // Clean, but what it reads is still to be made (an order-only
      // input, or a dyndep file that may make it dirty): it finishes
      // without running once they are, and what reads it waits till then.
      st.wanted = st.skip = true;
    }
    const std::vector<std::uint32_t> inputs = st.inputs;
    for (const std::uint32_t in : inputs)
      if (status s = want_node(in, steps_[e].s); !s) return s;
    if (steps_[e].wanted) wait_for_inputs(e);
    return {};
  }

  /// Step `e` waits for the wanted steps that make its inputs (not done),
  /// once each.
  void wait_for_inputs(std::uint32_t e) {
    for (const std::uint32_t in : steps_[e].inputs) {
      const std::int32_t p = nodes_[in].in;
      if (p < 0 || !steps_[static_cast<std::uint32_t>(p)].wanted || steps_[static_cast<std::uint32_t>(p)].done)
        continue;
      std::vector<std::uint32_t>& w = steps_[static_cast<std::uint32_t>(p)].waiters;
      if (!w.empty() && w.back() == e) continue;
      bool already = false;
      for (const std::uint32_t x : w) already = already || x == e;
      if (already) continue;
      w.push_back(e);
      ++steps_[e].pending;
    }
  }

  /// restat: `n` came out unchanged; the steps waiting only for clean
  /// inputs need not run (ninja's Plan::CleanNode).
  void clean_node(std::uint32_t n) {
    nodes_[n].dirty = false;
    for (const std::uint32_t c : nodes_[n].out) {
      nb_step& st = steps_[c];
      if (!st.wanted || st.started || st.skip || st.deps_missing) continue;
      const std::size_t end = st.inputs.size() - st.order_only;
      std::int64_t newest = 0;
      bool clean = true;
      for (std::size_t i = 0; i < end && clean; ++i) {
        if (nodes_[st.inputs[i]].dirty) clean = false;
        newest = nodes_[st.inputs[i]].mtime > newest ? nodes_[st.inputs[i]].mtime : newest;
      }
      if (!clean || outputs_dirty(c, newest)) continue;
      st.skip = true;
      if (st.s->rule != "phony" && total_ > 0) {
        --total_;
        --progress_.total;
      }
      const std::vector<std::uint32_t> outs = st.outputs;
      for (const std::uint32_t o : outs) clean_node(o);
    }
  }

  // --- running -----------------------------------------------------------

  result<ninja_build_report> run() {
    ninja_build_report report;
    progress_.total = total_;
    running_ = true;
    unsigned jobs = o_.jobs;
    if (jobs == 0) {
      const unsigned cpus = sys::cpu_count();
      jobs = cpus <= 1 ? 2 : cpus == 2 ? 3 : cpus + 2;
    }
    start_ns_ = sys::monotonic_clock::now_ns();
    if ((o_.cache != nullptr || o_.distcc != nullptr) && !o_.dry_run)
      abs_dir_ = sys::canonical(o_.directory.empty() ? text(".") : o_.directory).value_or(text());
    weigh();
    for (std::uint32_t e = 0; e < steps_.size(); ++e)
      if (steps_[e].wanted && steps_[e].pending == 0) insert_ready(e);

    auto sync = std::make_shared<nb_sync>();
    std::vector<sys::thread> workers;
    const bool dry = o_.dry_run;
    jobserver* tokens = !dry && o_.tokens != nullptr && o_.tokens->active() ? o_.tokens : nullptr;
    // Our own jobserver for the commands (options::serve_jobserver); it
    // outlives `end` below, which gives its tokens back.
    std::optional<jobserver> served;
    if (o_.serve_jobserver && !dry && o_.tokens == nullptr && jobs >= 2 && jobs <= 4096) {
      auto s = jobserver::serve(jobs);
      if (s) {
        served.emplace(static_cast<jobserver&&>(*s));
        tokens = &*served;
        serving_ = &*served;
        served_flags_ = served_makeflags(served->makeflags());
      }
    }
    // However this is left: no request or callback left behind (the client
    // writes back any token it holds), the workers told to stop and joined.
    struct ending {
      nb_sync& sync;
      std::vector<sys::thread>& workers;
      jobserver* tokens;
      ~ending() {
        if (tokens != nullptr) {
          tokens->cancel_requests();
          tokens->on_arrival(nullptr);
        }
        {
          std::unique_lock<sys::mutex> hold(sync.m);
          sync.quit = true;
        }
        sync.cv.notify_all();
        for (sys::thread& t : workers) (void)t.join();
      }
    } end{*sync, workers, tokens};
    if (tokens != nullptr)
      tokens->on_arrival([sync] {
        {
          std::unique_lock<sys::mutex> hold(sync->m);
          sync->token_arrived = true;
        }
        sync->cv.notify_all();
      });
    const text dir = o_.directory;
    // A worker per command that may run at once: none for a no-op, more
    // when a dyndep file adds commands.
    const auto add_worker = [&]() -> status {
      auto th = sys::thread::spawn([sync, this, dir] {
        for (;;) {
          std::uint32_t e = 0;
          {
            std::unique_lock<sys::mutex> hold(sync->m);
            sync->cv.wait(hold, [&] { return sync->quit || sync->next < sync->to_run.size(); });
            if (sync->next >= sync->to_run.size()) return;
            e = sync->to_run[sync->next++];
          }
          nb_result r = o_.cache != nullptr || o_.distcc != nullptr ? execute_compile(e, dir) : execute(e, dir);
          {
            std::unique_lock<sys::mutex> hold(sync->m);
            sync->done.push_back(static_cast<nb_result&&>(r));
          }
          sync->cv.notify_all();
        }
      });
      if (!th) return fail(errc::limit_exceeded, "", "no worker thread could start");
      workers.push_back(static_cast<sys::thread&&>(*th));
      return {};
    };
    const std::uint32_t initial_total = total_;
    const unsigned workers_wanted = jobs < total_ ? jobs : total_;
    for (unsigned w = 0; w < workers_wanted && !dry; ++w)
      if (status s = add_worker(); !s) return s.error();

    unsigned running = 0;
    bool stopped = false;
    bool requested = false;
    std::vector<bool> holds_token(steps_.size(), false);
    for (;;) {
      // Start what is ready, longest critical path first (before()).
      while (!stopped && running < jobs) {
        const std::int64_t e = next_ready();
        if (e < 0) break;
        const auto id = static_cast<std::uint32_t>(e);
        nb_step& st = steps_[id];
        if (st.skip || st.s->rule == "phony") {
          st.started = true;
          if (status s = finish_quietly(id); !s) return s.error();
          continue;
        }
        // make's jobserver: a token for every command beyond the first running.
        if (tokens != nullptr && running > 0) {
          if (!tokens->take()) {
            pool_release(*st.s);
            insert_ready(id);
            break;
          }
          requested = false;
          holds_token[id] = true;
        }
        st.started = true;
        if (status s = prepare(id); !s) return s.error();
        ++progress_.started;
        ++progress_.running;
        ++running;
        status_.started(*st.s, progress_);
        if (dry) {
          sync->done.push_back(nb_result{id, true, false, false, {}});
          continue;
        }
        if (workers.size() < running)
          if (status s = add_worker(); !s) return s.error();
        {
          std::unique_lock<sys::mutex> hold(sync->m);
          sync->to_run.push_back(id);
        }
        sync->cv.notify_all();
      }
      if (running == 0) break;
      // A token is worth asking for only while a command waits for one.
      const bool want = tokens != nullptr && !stopped && !ready_.empty() && running < jobs;
      if (want && !requested) {
        tokens->request();
        requested = true;
      } else if (!want && requested) {
        tokens->cancel_requests();
        requested = false;
      }
      std::vector<nb_result> finished;
      {
        std::unique_lock<sys::mutex> hold(sync->m);
        sync->cv.wait(hold, [&] { return !sync->done.empty() || sync->token_arrived; });
        sync->token_arrived = false;
        finished.swap(sync->done);
      }
      for (nb_result& r : finished) {
        --running;
        --progress_.running;
        ++progress_.finished;
        nb_step& st = steps_[r.step];
        pool_release(*st.s);
        if (holds_token[r.step]) {
          tokens->give_back();
          holds_token[r.step] = false;
        }
        if (st.s->deps == "msvc") r.output = ninja_show_includes(r.output, st.s->msvc_deps_prefix, st.shown_includes);
        if (!r.ok) {
          ++report.failed;
          status_.finished(*st.s, false, r.output, progress_);
          if (o_.failures_allowed != 0 && report.failed >= o_.failures_allowed) stopped = true;
          continue;
        }
        ++report.ran;
        if (r.from_cache) ++report.cached;
        if (r.remote) ++report.distributed;
        // Told before restat may shrink the plan, as ninja tells it.
        status_.finished(*st.s, true, r.output, progress_);
        status s = dry ? status{} : record(r.step);
        if (!s) return s.error();
        if (status done = step_done(r.step); !done) return done.error();
      }
    }
    if (!dry && log_file_) (void)log_file_->close();
    if (!dry && deps_file_) (void)deps_file_->close();
    if (!dry && digest_file_) (void)digest_file_->close();
    report.total = initial_total + added_;
    return report;
  }

  /// The commands' MAKEFLAGS under our jobserver: `ours`, then the words
  /// of the environment's but its -j and jobserver ones.
  static text served_makeflags(text_view ours) {
    text flags(ours);
    const result<text> env = sys::get_env("MAKEFLAGS");
    text_view rest = env ? text_view(*env) : text_view();
    while (!rest.empty()) {
      const std::size_t space = rest.find(' ');
      const text_view word = rest.substr(0, space);
      rest = space == text_view::npos ? text_view() : rest.substr(space + 1);
      if (word.empty() || word.starts_with("-j") || word.starts_with("--jobserver-")) continue;
      flags.push_back(' ');
      flags.append(word);
    }
    return flags;
  }

  /// The first ready step its pool lets start, or -1.
  std::int64_t next_ready() {
    for (std::size_t i = 0; i < ready_.size(); ++i) {
      const std::uint32_t e = ready_[i];
      if (!pool_take(*steps_[e].s)) continue;
      ready_.erase(ready_.begin() + static_cast<std::ptrdiff_t>(i));
      steps_[e].queued = false;
      return e;
    }
    return -1;
  }

  bool pool_take(const ninja_step& s) {
    if (s.pool.empty() || s.rule == "phony") return true;
    std::uint32_t depth = 1;  // console
    for (const ninja_pool& p : m_.pools)
      if (p.name == s.pool) depth = p.depth;
    std::uint32_t& used = pool_used_[std::string(s.pool.view())];
    if (depth != 0 && used >= depth) return false;
    ++used;
    return true;
  }

  void pool_release(const ninja_step& s) {
    if (s.pool.empty()) return;
    std::uint32_t& used = pool_used_[std::string(s.pool.view())];
    if (used > 0) --used;
  }

  /// A phony or cleaned step: done without running.
  status finish_quietly(std::uint32_t e) {
    pool_release(*steps_[e].s);
    return step_done(e);
  }

  /// Step `e` is done: a dyndep file among its outputs is read (the plan
  /// may grow), then what waited for it may start.
  status step_done(std::uint32_t e) {
    steps_[e].done = true;
    for (std::size_t i = 0; i < steps_[e].outputs.size(); ++i)
      if (nodes_[steps_[e].outputs[i]].dyndep_pending)
        if (status s = dyndep_made(steps_[e].outputs[i]); !s) return s;
    for (const std::uint32_t w : steps_[e].waiters)
      if (--steps_[w].pending == 0) insert_ready(w);
    return {};
  }

  /// Ready steps longest remaining path first (from the durations
  /// .ninja_log recorded), then in manifest order.
  bool before(std::uint32_t a, std::uint32_t b) const {
    if (priority_[a] != priority_[b]) return priority_[a] > priority_[b];
    return a < b;
  }

  void insert_ready(std::uint32_t e) {
    steps_[e].queued = true;
    std::size_t at = ready_.size();
    while (at > 0 && before(e, ready_[at - 1])) --at;
    ready_.insert(ready_.begin() + static_cast<std::ptrdiff_t>(at), e);
  }

  /// Each wanted step's critical path: its own recorded duration (the
  /// average of the known ones when it has none) plus the longest path of
  /// the steps waiting for it.
  void weigh() {
    priority_.assign(steps_.size(), -1);
    std::int64_t known = 0, sum = 0;
    std::vector<std::int64_t> own(steps_.size(), -1);
    for (std::size_t e = 0; e < steps_.size(); ++e) {
      if (!steps_[e].wanted || steps_[e].s->rule == "phony") continue;
      const auto it = log_.find(text_view(steps_[e].s->outputs[0]));
      if (it == log_.end() || it->second.duration_ms < 0) continue;
      own[e] = it->second.duration_ms + 1;
      sum += own[e];
      ++known;
    }
    const std::int64_t guess = known != 0 ? sum / known : 1;
    for (std::size_t e = 0; e < steps_.size(); ++e)
      if (steps_[e].wanted && own[e] < 0) own[e] = steps_[e].s->rule == "phony" || steps_[e].skip ? 0 : guess;
    // Waiters come later in no fixed order: settle each step once all of
    // its waiters are, from the steps nobody waits for.
    std::vector<std::uint32_t> order, left(steps_.size(), 0);
    std::vector<std::vector<std::uint32_t>> producers(steps_.size());
    for (std::uint32_t e = 0; e < steps_.size(); ++e) {
      if (!steps_[e].wanted) continue;
      left[e] = static_cast<std::uint32_t>(steps_[e].waiters.size());
      for (const std::uint32_t w : steps_[e].waiters) producers[w].push_back(e);
      if (left[e] == 0) order.push_back(e);
    }
    for (std::size_t i = 0; i < order.size(); ++i) {
      const std::uint32_t e = order[i];
      std::int64_t longest = 0;
      for (const std::uint32_t w : steps_[e].waiters) longest = priority_[w] > longest ? priority_[w] : longest;
      priority_[e] = own[e] + longest;
      for (const std::uint32_t p : producers[e])
        if (--left[p] == 0) order.push_back(p);
    }
  }

  /// Before a command: output directories, the start time, the rspfile.
  status prepare(std::uint32_t e) {
    nb_step& st = steps_[e];
    st.start_ms = (sys::monotonic_clock::now_ns() - start_ns_) / 1000000;
    if (o_.dry_run) return {};
    st.before.clear();
    for (const std::uint32_t o : st.outputs) {
      st.before.push_back(stat(o));
      const text_view parent = sys::parent_path(nodes_[o].path);
      if (!parent.empty())
        if (status s = sys::create_directories(full(parent)); !s) return named(s.error(), full(parent));
    }
    if (!st.s->rspfile.empty())
      if (status s = sys::write_file(full(st.s->rspfile), st.s->rspfile_content); !s)
        return named(s.error(), full(st.s->rspfile));
    return {};
  }

  status named(error e, text_view path) {
    if (why_ != nullptr) {
      why_->clear();
      why_->of(e).about(path);
    }
    return e;
  }

  /// On a worker thread: runs step `e`'s command.
  nb_result execute(std::uint32_t e, const text& dir) const {
    const ninja_step& s = *steps_[e].s;
    nb_result r;
    r.step = e;
#if VITTE_OS_WINDOWS
    sys::command c("cmd");
    c.args({"/c", text_view(s.command)});
#else
    sys::command c("/bin/sh");
    c.args({"-c", text_view(s.command)});
#endif
    if (!dir.empty()) c.cwd(dir);
    if (serving_ != nullptr) c.pass(serving_->read_end()).pass(serving_->write_end()).env("MAKEFLAGS", served_flags_);
    if (s.pool == "console") {
      auto x = c.run();
      r.ok = x && x->success();
      if (!x) r.output = text(x.error().message().view());
      return r;
    }
    c.in(sys::stdio::null()).err(sys::stdio::merge());
    auto out = c.output();
    if (!out) {
      r.output = text(out.error().message().view());
      return r;
    }
    r.ok = out->status.success();
    r.output = static_cast<text&&>(out->out);
    return r;
  }

  // --- the shared cache (options::cache) -------------------------------

  /// `path` (relative to the build's directory) made absolute.
  text absolute(text_view path) const {
    if (!path.empty() && path[0] == '/') return text(path);
    return sys::path_join(abs_dir_, path);
  }

  /// The compiler (its path and identity), found once per program (under cache_m_).
  const tool* compiler(text_view program) {
    const auto known = compilers_.find(nb_view(program));
    if (known != compilers_.end()) return known->second ? &*known->second : nullptr;
    const bool path = program.find('/') != text_view::npos;
    auto t = find_tool(path ? text_view(absolute(program)) : program);
    auto& kept = compilers_[std::string(nb_view(program))];
    if (t) kept = static_cast<tool&&>(*t);
    return kept ? &*kept : nullptr;
  }

  /// What the cache knows step `e` by: its command's key, its inputs and
  /// outputs (the depfile among them), absolute, and the base directory
  /// the keys are relative to (empty: none).
  struct cache_entry {
    cache::fingerprint command;
    buffer<text> inputs, outputs;
    text_view base;
  };

  /// Whether the compile's output holds no path of the checkout, so that
  /// its key may be relative to the base directory: no argument names a
  /// path under the base (a source or an include directory given absolute
  /// puts it into __FILE__ and into the depfile) and no debug information
  /// (which holds the directory the compiler ran in), unless
  /// -ffile-prefix-map (or -fmacro-prefix-map, -fdebug-prefix-map) maps
  /// the base away.
  bool relocatable(const buffer<text>& argv) const {
    const text_view base = o_.base_dir;
    bool file_map = false, macro_map = false, debug_map = false, debug = false, names_base = false;
    for (std::size_t i = 1; i < argv.size(); ++i) {
      const text_view a = argv[i];
      const auto maps = [&](text_view option) {
        if (!a.starts_with(option) || !a.substr(option.size()).starts_with(base)) return false;
        const text_view rest = a.substr(option.size() + base.size());
        return rest.starts_with("=") || rest.starts_with("/=");
      };
      if (maps("-ffile-prefix-map=")) {
        file_map = true;
      } else if (maps("-fmacro-prefix-map=")) {
        macro_map = true;
      } else if (maps("-fdebug-prefix-map=")) {
        debug_map = true;
      } else {
        if (a.starts_with("-g")) debug = a != "-g0";
        names_base = names_base || a.find(base) != text_view::npos;
      }
    }
    return (!names_base || file_map || macro_map) && (!debug || file_map || debug_map);
  }

  bool cache_entry_of(const ninja_step& s, const buffer<text>& argv, const tool& cc, cache_entry& c) {
    // Variables that make GCC write a dependency file of its own: not a compile the keys describe.
    for (const text_view v : {"DEPENDENCIES_OUTPUT", "SUNPRO_DEPENDENCIES"})
      if (sys::get_env(v)) return false;
    c.base = !o_.base_dir.empty() && relocatable(argv) ? text_view(o_.base_dir) : text_view();
    command_key key(cc.identity);
    if (!c.base.empty()) key.base_dir(c.base);
    for (std::size_t i = 1; i < argv.size(); ++i) key.arg(argv[i]);
    key.cwd(abs_dir_);
    // What else the drivers read: include paths, the locale (the source's
    // charset), dates, and the options the environment adds.
    for (const text_view v : {"CPATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH", "OBJC_INCLUDE_PATH", "SOURCE_DATE_EPOCH",
                              "GCC_EXEC_PREFIX", "COMPILER_PATH", "SDKROOT", "MACOSX_DEPLOYMENT_TARGET", "LANG",
                              "LC_ALL", "LC_CTYPE", "CCC_OVERRIDE_OPTIONS", "GCC_COMPARE_DEBUG", "QA_OVERRIDE_GCC3"})
      key.env(v, sys::get_env(v).value_or(text()));
    c.command = key.finish();
    for (std::size_t i = 0; i + s.order_only_inputs < s.inputs.size(); ++i) c.inputs.push_back(absolute(s.inputs[i]));
    bool depfile_listed = false;
    for (const text& o : s.outputs) {
      c.outputs.push_back(absolute(o));
      depfile_listed = depfile_listed || o == ninja_canonical_path(s.depfile);
    }
    if (!depfile_listed) c.outputs.push_back(absolute(s.depfile));
    return true;
  }

  /// Whether what a compile read may be stored (see options::cache): each
  /// file it read is where its path says (no link on the way: a link
  /// retargeted later would not be seen), one named by a relative path
  /// lies under the base (a file outside it is another checkout's), none
  /// changed after the compile started (what it read may not be what is
  /// there now), and none holds what makes an object depend on more than
  /// the files (`.incbin`, `__TIME__`, `__DATE__`, `__TIMESTAMP__`).
  bool storable(const cache_entry& c, const cache::depfile& read, std::int64_t started_ns) const {
    const text base = c.base.empty() ? text() : text(c.base) + "/";
    for (const text& written : read.dependencies) {
      const text lexical = ninja_canonical_path(absolute(written));
      auto real = sys::canonical(lexical);
      if (!real || *real != lexical) return false;
      const bool relative = written.empty() || written[0] != '/';
      if (relative && !base.empty() && !text_view(lexical).starts_with(base)) return false;
      auto st = sys::stat(lexical);
      // 10 ms: file times come from a coarse clock, up to a tick behind.
      if (!st || st->mtime_ns >= started_ns - 10'000'000) return false;
      auto bytes = sys::read_file_string(lexical);
      if (!bytes) return false;
      for (const text_view word : {".incbin", "__TIME__", "__DATE__", "__TIMESTAMP__"})
        if (text_view(*bytes).find(word) != text_view::npos) return false;
    }
    return true;
  }

  /// execute() for a compile the shared cache and the distcc servers
  /// understand (detail/cacheable_compile.hpp): the cache asked first and
  /// told after, the compile sent to the pool; any other step as execute().
  nb_result execute_compile(std::uint32_t e, const text& dir) {
    const ninja_step& s = *steps_[e].s;
    buffer<text> argv;
    cache_entry c;
    const tool* cc = nullptr;
    {
      std::unique_lock<sys::mutex> hold(cache_m_);
      if (!abs_dir_.empty() && detail::cacheable_compile(s, argv)) cc = compiler(argv[0]);
      if (cc == nullptr || (o_.cache != nullptr && !cache_entry_of(s, argv, *cc, c))) {
        hold.unlock();
        return execute(e, dir);
      }
      if (o_.cache != nullptr) {
        auto found = o_.cache->lookup(cache_step_of(c), hasher_);
        if (found && found->hit) {
          nb_result r;
          r.step = e;
          r.ok = true;
          r.from_cache = true;
          return r;
        }
      }
    }
    const std::int64_t started_ns = sys::realtime_clock::now_ns();
    nb_result r = o_.distcc != nullptr ? execute_on_pool(e, argv, *cc) : execute(e, dir);
    if (!r.ok || o_.cache == nullptr) return r;
    auto read = cache::read_depfile(absolute(s.depfile));
    if (!read || !storable(c, *read, started_ns)) return r;
    buffer<text> headers;
    for (const text& p : read->dependencies) headers.push_back(absolute(p));
    std::unique_lock<sys::mutex> hold(cache_m_);
    (void)o_.cache->store(cache_step_of(c), headers.span(), hasher_);
    return r;
  }

  /// A compile given to the distcc pool (options::distcc): on a server, or
  /// here when the pool keeps it or no server is left.
  nb_result execute_on_pool(std::uint32_t e, const buffer<text>& argv, const tool& cc) const {
    nb_result r;
    r.step = e;
    compile_job job;
    job.compiler = cc.path;
    for (std::size_t i = 1; i < argv.size(); ++i) job.args.push_back(argv[i]);
    job.cwd = abs_dir_;
    auto out = o_.distcc->compile(job);
    if (!out) {
      r.output = text(out.error().message().view());
      return r;
    }
    r.ok = out->status.success();
    r.output = static_cast<text&&>(out->out);
    r.output.append(out->err);
    r.remote = out->why_local.empty();
    return r;
  }

  cache::cache_step cache_step_of(const cache_entry& c) const {
    return cache::cache_step{c.command, c.inputs.span(), c.outputs.span(), c.base};
  }

  /// After a success: restat, .ninja_deps, .ninja_log, the rspfile removed.
  status record(std::uint32_t e) {
    nb_step& st = steps_[e];
    const ninja_step& s = *st.s;
    const std::int64_t end_ms = (sys::monotonic_clock::now_ns() - start_ns_) / 1000000;
    // .ninja_log's mtime as ninja 1.11 records it: the newest output; when
    // restat found an output unchanged, the newest non-order-only input
    // (or the depfile, without `deps`) as the file system has it now.
    std::int64_t mtime = 0;
    bool cleaned = false;
    for (std::size_t i = 0; i < st.outputs.size(); ++i) {
      const std::uint32_t o = st.outputs[i];
      nodes_[o].mtime = -1;
      const std::int64_t now = stat(o);
      if (now > mtime) mtime = now;
      if (st.restat && now == st.before[i]) {
        clean_node(o);
        cleaned = true;
      }
    }
    if (cleaned) {
      mtime = 0;
      for (std::size_t i = 0; i < st.inputs.size() - st.order_only; ++i) {
        const std::int64_t in = disk_mtime(nodes_[st.inputs[i]].path);
        mtime = in > mtime ? in : mtime;
      }
      if (mtime != 0 && s.deps.empty() && !s.depfile.empty()) {
        const std::int64_t d = disk_mtime(s.depfile);
        mtime = d > mtime ? d : mtime;
      }
    }
    if (!s.deps.empty())
      if (status r = record_deps(e); !r) return r;
    if (!s.rspfile.empty()) (void)sys::remove(full(s.rspfile));
    if (o_.content_hashes)
      if (status r = record_digest(e); !r) return r;
    return append_log(e, st.start_ms, end_ms, mtime);
  }

  status open_append(std::unique_ptr<sys::file>& f, const text& path, text_view header, bool fresh) {
    if (f) return {};
    const sys::open_mode mode = fresh ? sys::open_mode::write | sys::open_mode::create | sys::open_mode::truncate
                                      : sys::open_mode::write | sys::open_mode::create | sys::open_mode::append;
    const text_view parent = sys::parent_path(path);
    if (!parent.empty()) (void)sys::create_directories(parent);
    auto opened = sys::file::open(path, mode);
    if (!opened) return named(opened.error(), path);
    f = std::make_unique<sys::file>(static_cast<sys::file&&>(*opened));
    if (fresh)
      if (status s = f->write(header); !s) return named(s.error(), path);
    return {};
  }

  status append_log(std::uint32_t e, std::int64_t start_ms, std::int64_t end_ms, std::int64_t mtime) {
    const std::uint64_t hash = nb_command_hash(*steps_[e].s);
    for (const std::uint32_t o : steps_[e].outputs)
      if (status s = append_log_line(o, start_ms, end_ms, mtime, hash); !s) return s;
    return {};
  }

  /// One .ninja_log record of output `o`, remembered as the newest.
  status append_log_line(std::uint32_t o, std::int64_t start_ms, std::int64_t end_ms, std::int64_t mtime,
                         std::uint64_t hash) {
    const text path = log_path(".ninja_log");
    if (status s = open_append(log_file_, path, "# ninja log v5\n", !log_ok_); !s) return s;
    log_ok_ = true;
    text line;
    append_ninja_log_line(line, start_ms, end_ms, mtime, nodes_[o].path, hash);
    log_[nodes_[o].path] = nb_log_entry{hash, mtime};
    if (status s = log_file_->write(line); !s) return named(s.error(), path);
    return {};
  }

  // .ninja_deps records, appended (a new file when the old one was torn).
  void put32(text& out, std::uint32_t v) {
    char b[4];
    vitte::detail::store_le<std::uint32_t>(b, v);
    out.append(text_view(b, 4));
  }

  std::uint32_t deps_id(text& out, text_view path) {
    const auto it = deps_ids_.find(path);
    if (it != deps_ids_.end()) return it->second;
    kept_.emplace_back(path.data(), path.size());
    const std::uint32_t id = add_deps_path(text_view(kept_.back().data(), kept_.back().size()));
    const std::size_t pad = (4 - path.size() % 4) % 4;
    put32(out, static_cast<std::uint32_t>(path.size() + pad + 4));
    out.append(path);
    out.append(pad, '\0');
    put32(out, ~id);
    return id;
  }

  status record_deps(std::uint32_t e) {
    nb_step& st = steps_[e];
    // deps = msvc: the includes its output named, as written; gcc: the
    // depfile's, canonical, and the depfile removed.
    std::vector<std::string> found(st.shown_includes.begin(), st.shown_includes.end());
    st.shown_includes.clear();
    if (st.s->deps != "msvc") {
      const text depfile = full(st.s->depfile);
      auto d = cache::read_depfile(depfile, why_);
      if (!d) return d.error();
      (void)sys::remove(depfile);
      for (const text& p : d->dependencies) found.emplace_back(ninja_canonical_path(p).view());
    }
    const text path = log_path(".ninja_deps");
    // Appended after the last whole record, a torn tail cut first (ninja's
    // recovery: the records before it are kept); a new file when there was
    // none or it was not ninja's v4.
    bool fresh = !deps_loaded_;
    bool torn = false;
    if (!deps_file_ && deps_loaded_) {
      auto now = sys::stat(path);
      fresh = !now;
      torn = now && now->size != deps_valid_end_;
    }
    if (fresh && !deps_file_) {  // ids start again at 0 in a new file
      deps_ids_.clear();
      deps_paths_.clear();
      deps_.clear();
      deps_node_.clear();
    }
    text header = "# ninjadeps\n";
    put32(header, 4);
    if (status s = open_append(deps_file_, path, header, fresh && !deps_file_); !s) return s;
    if (torn)
      if (status s = deps_file_->truncate(deps_valid_end_); !s) return named(s.error(), path);
    deps_loaded_ = true;
    text out;
    std::vector<std::uint32_t> ins;
    for (const std::string& p : found) ins.push_back(deps_id(out, text_view(p.data(), p.size())));
    for (const std::uint32_t o : st.outputs) {
      const std::uint32_t id = deps_id(out, nodes_[o].path);
      nodes_[o].mtime = -1;
      const auto mtime = static_cast<std::uint64_t>(stat(o));
      put32(out, static_cast<std::uint32_t>((3 + ins.size()) * 4) | 0x80000000u);
      put32(out, id);
      put32(out, static_cast<std::uint32_t>(mtime));
      put32(out, static_cast<std::uint32_t>(mtime >> 32));
      for (const std::uint32_t i : ins) put32(out, i);
    }
    if (status s = deps_file_->write(out); !s) return named(s.error(), path);
    return {};
  }

  const ninja_manifest& m_;
  const ninja_build_options& o_;
  ninja_status& status_;
  diagnostic* why_;
  std::vector<nb_node> nodes_;
  nb_view_map<std::uint32_t> ids_;
  std::vector<nb_step> steps_;
  std::vector<std::uint32_t> stack_;
  std::vector<bool> planned_;
  std::vector<std::uint32_t> ready_;
  std::vector<std::int64_t> priority_;  // weigh(): each wanted step's critical path
  nb_map<std::uint32_t> pool_used_;
  text log_text_;  // .ninja_log as read; log_ keys are views into it or kept_
  nb_view_map<nb_log_entry> log_;
  text deps_text_;                       // .ninja_deps as read; deps_paths_ are views into it or kept_
  std::vector<text_view> deps_paths_;    // by id
  std::vector<nb_deps_entry> deps_;      // by output's id
  std::vector<std::int32_t> deps_node_;  // by id: its node, -1 not looked up yet
  nb_view_map<std::uint32_t> deps_ids_;
  nb_kept kept_;  // paths met during the build (depfiles), for the views above
  // The shared cache (options::cache), used under cache_m_ by the workers.
  sys::mutex cache_m_;
  cache::file_hasher hasher_;
  nb_map<std::optional<tool>> compilers_;  // by argv[0]; empty: not found
  text abs_dir_;                           // the build's directory, canonical; empty: not found (nothing cached)
  std::uint64_t deps_valid_end_ = 0;
  bool deps_loaded_ = false;
  bool log_ok_ = false;
  std::unique_ptr<sys::file> log_file_;
  std::unique_ptr<sys::file> deps_file_;
  std::unique_ptr<sys::file> digest_file_;
  nb_map<std::uint64_t> digests_;  // .vitte_digests: each step's inputs when it last ran
  std::uint32_t total_ = 0;
  std::uint32_t added_ = 0;       // commands dyndep files added to the plan
  jobserver* serving_ = nullptr;  // options::serve_jobserver: the jobserver the commands get
  text served_flags_;             // and their MAKEFLAGS
  bool running_ = false;          // run() has begun: a step planned now is counted as it comes
  ninja_progress progress_;
  std::int64_t start_ns_ = 0;
};

}  // namespace detail

VITTE_DECL result<ninja_build_report> run_ninja_build(const ninja_manifest& m, span<const text> targets,
                                                      const ninja_build_options& o, ninja_status& status,
                                                      diagnostic* why) {
  detail::ninja_builder b(m, o, status, why);
  return b.build(targets);
}

}  // namespace vitte::toolchain

#endif  // VITTE_TOOLCHAIN_IMPL_NINJA_BUILD_IPP
