// vitte/loader/reload.hpp - hot reload of a plugin while the program runs.
//
//   namespace vl = vitte::loader;
//   vl::loader loader({.search = {.paths = {"plugins"}}});
//   auto r = vl::reloader::create(loader, "plugins/libgame.so").value();
//   auto step = r.function<void(float)>("step").value();   // follows the current version
//   for (;;) {
//     step(dt);                          // any thread, any time
//     vitte::diagnostic_list why;
//     auto ev = r.poll(&why);            // the host's quiescent point: swap here
//     if (ev && *ev == vl::reload_event::rolled_back) log(why.joined());
//     // "plugins/libgame.so: reload rolled back"
//     // "game 1.3.0: init failed (returned 7)"
//   }
//
// What poll() does:
//   - it notices a change of the file: the file system's change events
//     (sys::watcher on the file's directory) and, as a fallback, its size,
//     time and identity;
//   - it waits until the file has stopped changing (`settle`) and reads as a
//     whole plugin: a file still being written is retried at later polls
//     (reload_event::waiting), not treated as broken;
//   - it copies the file to a versioned name (`<name>.<generation>.<hash>`),
//     so that the OS loader cannot hand back the image it already has (on
//     Windows a DLL is found by its base name), and loads the copy as a
//     replacement (loader::load_replacement): metadata checks, dependencies,
//     imports, init;
//   - the old version saves its state (save_state), the new one restores it
//     (restore_state), and the old version's deallocate frees the bytes;
//   - every live function handed out by function<F>() is looked up in the
//     new version, and only when all of that worked does it swap: the name
//     now finds the new module, the live functions point at it, and the
//     modules that import from the old version are rebound to the new one
//     (loader::replace: their import slots and references).
// Any failure (load, link, init, restore, a live function the new version
// lacks, a dependent whose imports the new version cannot satisfy) rolls
// back: the old version stays current, untouched, and `diag` says so (an
// entry about the file) and why (the loader's entries, about the modules);
// that file content is not tried again until it changes.
//
// Old versions are kept loaded, and so mapped, until the reloader is
// destroyed or release_previous() is called: a thread may still be running
// old code after the swap. Call release_previous() only at a point where
// no thread can be inside the plugin.
//
// Thread safety: live functions may be called from any thread at any time;
// poll(), function() and release_previous() from one thread at a time.
#ifndef VITTE_LOADER_RELOAD_HPP
#define VITTE_LOADER_RELOAD_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>  // the bytes of a new version
#include <vitte/base/detail/atomic.hpp>
#include <vitte/base/detail/chrono.hpp>  // settle time
#include <vitte/base/detail/hex.hpp>     // snapshot names
#include <vitte/base/detail/text.hpp>    // text_writer: numbers in messages and names
#include <vitte/loader/detail/type_signature.hpp>
#include <vitte/loader/diagnostics.hpp>
#include <vitte/loader/inspect.hpp>
#include <vitte/loader/loader.hpp>
#include <vitte/loader/symbol.hpp>
#include <vitte/sys/metadata.hpp>
#include <vitte/sys/path.hpp>
#include <vitte/sys/path_ops.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/time.hpp>
#include <vitte/sys/watch.hpp>
#include <vitte/sys/whole_file.hpp>

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace vitte::loader {

/// What a poll did.
enum class reload_event : std::uint8_t {
  none,         ///< Nothing changed.
  waiting,      ///< The file changed and is settling or still being written.
  swapped,      ///< A new version is current.
  rolled_back,  ///< A new version failed; the old one stays (see diag).
};

/// Reload settings.
struct reload_options {
  /// Where versioned copies go; empty: a temporary directory of the reloader's.
  text copies_directory{};
  /// How long a changed file must stay unchanged before it is loaded.
  std::chrono::milliseconds settle{20};
  /// Reads of a settled file that fail before it is given up as broken
  /// (until it changes again).
  int attempts = 50;
};

namespace detail {
/// The cell a live function reads: the current version's address.
struct live_slot {
  text name;
  std::uint64_t signature = 0;
  vitte::detail::atomic<void*> address{nullptr};
};
}  // namespace detail

/// A function that follows the current version of a reloaded plugin. A
/// call reads the current address (one acquire load) and calls it.
template <class F>
class live;
template <class R, class... A>
class live<R(A...)> {
 public:
  live() = default;
  explicit live(detail::live_slot* s) noexcept : slot_(s) {}
  R operator()(A... a) const { return get()(static_cast<A&&>(a)...); }
  /// The current version's function (valid while the reloader keeps it).
  R (*get() const noexcept)(A...) {
    return reinterpret_cast<R (*)(A...)>(reinterpret_cast<std::uintptr_t>(slot_->address.load(vitte::detail::acquire)));
  }

 private:
  detail::live_slot* slot_ = nullptr;
};

/// Reloads one plugin file (see the header). Move-only.
template <class P = sys::platform>
class basic_reloader {
 public:
  /// Loads the plugin at `path` through `l` and starts watching it. The
  /// loader must outlive the reloader. Errors: those of load_file and of
  /// the watcher.
  static result<basic_reloader> create(basic_loader<P>& l, text path, reload_options options = {},
                                       diagnostic_list* diag = nullptr);

  basic_reloader(basic_reloader&& o) noexcept = default;
  basic_reloader& operator=(basic_reloader&&) = delete;
  basic_reloader(const basic_reloader&) = delete;
  ~basic_reloader();

  /// A live function `name` of type F. Errors (module_link): not_found,
  /// verification_failed (another type).
  template <class F>
  result<live<F>> function(text_view name);

  /// Checks the file and swaps to a new version when one is ready. Errors:
  /// only when the file cannot be watched or read at all (a failed new
  /// version is reload_event::rolled_back, with the reason in `diag`).
  result<reload_event> poll(diagnostic_list* diag = nullptr);

  /// The current version.
  const module& current() const noexcept { return current_; }
  /// How many swaps happened.
  unsigned generation() const noexcept { return generation_; }
  /// Unloads the versions replaced so far. Only when no thread can be
  /// running their code.
  void release_previous() noexcept { previous_.clear(); }

 private:
  basic_reloader() = default;
  result<reload_event> attempt(diagnostic_list* diag);
  result<text> snapshot(span<const std::byte> bytes, diagnostic_list* diag);

  basic_loader<P>* loader_ = nullptr;
  text path_, file_name_, copies_;
  reload_options options_{};
  sys::basic_temp_directory<P> own_copies_;
  sys::basic_watcher<P> watcher_;
  module current_;
  buffer<module> previous_;
  buffer<detail::live_slot*> slots_;
  sys::file_status seen_{};
  std::int64_t seen_at_ns_ = 0;
  bool dirty_ = false;
  int failed_reads_ = 0;
  std::uint64_t failed_hash_ = 0;
  unsigned generation_ = 0;
};

using reloader = basic_reloader<sys::platform>;

// ---------------------------------------------------------------------------

template <class P>
result<basic_reloader<P>> basic_reloader<P>::create(basic_loader<P>& l, text path, reload_options options,
                                                    diagnostic_list* diag) {
  basic_reloader r;
  r.loader_ = &l;
  r.path_ = static_cast<text&&>(path);
  r.file_name_ = text(sys::file_name(r.path_));
  r.options_ = static_cast<reload_options&&>(options);
  r.copies_ = r.options_.copies_directory;
  if (r.copies_.empty()) {
    result<sys::basic_temp_directory<P>> t = sys::basic_temp_directory<P>::create({}, "vitte-reload-");
    if (!t) return t.error();
    r.own_copies_ = static_cast<sys::basic_temp_directory<P>&&>(*t);
    r.copies_ = r.own_copies_.path();
  }
  result<sys::file_status> st = sys::stat<P>(r.path_);
  if (!st) return st.error();
  r.seen_ = *st;
  // Even the first version runs from a copy: the file itself is free to
  // be rewritten in place (a mapped file that shrinks would fault).
  result<buffer<std::byte>> bytes = sys::read_file<P>(r.path_);
  if (!bytes) return bytes.error();
  result<text> copy = r.snapshot(*bytes, diag);
  if (!copy) return copy.error();
  result<module> m = l.load_file(*copy, diag);
  if (!m) return m.error();
  r.current_ = static_cast<module&&>(*m);
  result<sys::basic_watcher<P>> w = sys::basic_watcher<P>::create();
  if (!w) return w.error();
  r.watcher_ = static_cast<sys::basic_watcher<P>&&>(*w);
  text_view dir = sys::parent_path(r.path_);
  result<int> id = r.watcher_.add(dir.empty() ? text(".") : text(dir));
  if (!id) return id.error();
  return r;
}

template <class P>
basic_reloader<P>::~basic_reloader() {
  for (detail::live_slot* s : slots_) delete s;
}

template <class P>
template <class F>
result<live<F>> basic_reloader<P>::function(text_view name) {
  static_assert(std::is_function_v<F>, "live<F> is for functions");
  result<symbol<F>> s = current_.template find<F>(name);
  if (!s) return s.error();
  auto* slot = new detail::live_slot;
  slot->name = text(name);
  slot->signature = signature_hash<F>;
  slot->address.store(current_.find_raw(name), vitte::detail::release);
  slots_.push_back(slot);
  return live<F>(slot);
}

template <class P>
result<reload_event> basic_reloader<P>::poll(diagnostic_list* diag) {
  // Change events are hints; the file's metadata decides.
  for (;;) {
    auto ev = watcher_.next(sys::basic_deadline<P>::after(std::chrono::nanoseconds(0)));
    if (!ev) break;
    if (ev->name == file_name_ || ev->kind == sys::watch_event_kind::overflow) dirty_ = true;
  }
  result<sys::file_status> st = sys::stat<P>(path_);
  if (!st) return reload_event::waiting;  // replaced by a rename right now, or removed: wait
  const std::int64_t now = sys::basic_clock<P, sys::clock_id::monotonic>::now_ns();
  const bool same = st->size == seen_.size && st->mtime_ns == seen_.mtime_ns && st->same_file(seen_);
  if (!same) {
    seen_ = *st;
    seen_at_ns_ = now;
    dirty_ = true;
    failed_reads_ = 0;
    return reload_event::waiting;
  }
  if (!dirty_) return reload_event::none;
  if (now - seen_at_ns_ < std::chrono::nanoseconds(options_.settle).count()) return reload_event::waiting;
  return attempt(diag);
}

template <class P>
result<text> basic_reloader<P>::snapshot(span<const std::byte> bytes, diagnostic_list* diag) {
  vitte::diagnostic why;
  result<module_info> info = read_plugin(bytes, &why);
  if (!info) {
    note(diag, detail::name_file(why, path_));
    return info.error();
  }
  text tag;
  for (int i = 60; i >= 0; i -= 4) tag += vitte::detail::hex_digit(static_cast<unsigned>(info->id.content_hash >> i));
  char generation[24];
  vitte::detail::text_writer g{generation, sizeof generation};
  g.append_unsigned(generation_);
  text copy = sys::path_join(
      copies_, info->id.name + "." + text_view(generation, g.len) + "." + tag + "." + text(sys::file_name(path_)));
  if (status w = sys::write_file<P>(copy, bytes); !w) {
    note(diag, w.error(), copy, "cannot write the copy");
    return w.error();
  }
  return copy;
}

template <class P>
result<reload_event> basic_reloader<P>::attempt(diagnostic_list* diag) {
  // The bytes are read once into memory: what is checked is what is
  // copied and loaded, even if the file changes meanwhile.
  result<buffer<std::byte>> bytes = sys::read_file<P>(path_);
  vitte::diagnostic problem;
  result<module_info> info = bytes ? read_plugin(span<const std::byte>(bytes->data(), bytes->size()), &problem)
                                   : result<module_info>(bytes.error());
  if (!info) {
    // Most likely still being written; give up after `attempts` reads.
    if (++failed_reads_ >= options_.attempts) {
      dirty_ = false;
      if (bytes)
        note(diag, detail::name_file(problem, path_));
      else
        note(diag, bytes.error(), path_, "cannot read");
      return reload_event::rolled_back;
    }
    return reload_event::waiting;
  }
  dirty_ = false;
  const std::uint64_t hash = info->id.content_hash;
  if (hash == current_.info().id.content_hash || hash == failed_hash_) return reload_event::none;
  // An entry about the file, then the causes (the loader's entries).
  diagnostic_list causes;
  auto roll_back = [&](errc kind, text why_text = {}) {
    failed_hash_ = hash;
    note(diag, kind, path_, why_text.empty() ? text("reload rolled back") : "reload rolled back: " + why_text);
    if (diag != nullptr) diag->add_all(causes);
    return reload_event::rolled_back;
  };
  // A versioned copy: a name the OS loader has never seen.
  ++generation_;
  result<text> copy = snapshot(*bytes, &causes);
  --generation_;
  if (!copy) return roll_back(copy.error().kind());
  result<module> next = loader_->load_replacement(*copy, &causes);
  if (!next) return roll_back(next.error().kind());
  // The new version must offer every live function, with the same type.
  buffer<void*> addresses;
  for (detail::live_slot* s : slots_) {
    const detail::export_entry* e = next->core()->exports.find(s->name);
    if (e == nullptr || e->kind != export_kind::function || e->signature != s->signature || e->foreign)
      return roll_back(errc::not_found, "the new version lacks " + s->name + " (or changed its type)");
    addresses.push_back(e->address);
  }
  // State: saved by the old version, restored by the new one.
  const vitte_plugin_descriptor& old_d = current_.descriptor();
  const vitte_plugin_descriptor& new_d = next->descriptor();
  if (old_d.save_state != nullptr && new_d.restore_state != nullptr) {
    void* data = nullptr;
    std::size_t size = 0;
    if (old_d.save_state(&data, &size) != 0)
      return roll_back(errc::unknown, "the old version could not save its state");
    int rc = new_d.restore_state(data, size);
    if (data != nullptr && old_d.deallocate != nullptr) old_d.deallocate(data, size, VITTE_PLUGIN_STATE_ALIGN);
    if (rc != 0) {
      char code[24];
      vitte::detail::text_writer c{code, sizeof code};
      c.append_int(rc);
      return roll_back(errc::unknown, "the new version could not restore the state (" + text(code) + ")");
    }
  }
  if (status ok = loader_->replace(current_, *next, &causes); !ok) return roll_back(ok.error().kind());
  for (std::size_t i = 0; i < slots_.size(); ++i) slots_[i]->address.store(addresses[i], vitte::detail::release);
  previous_.push_back(static_cast<module&&>(current_));
  current_ = static_cast<module&&>(*next);
  ++generation_;
  return reload_event::swapped;
}

}  // namespace vitte::loader

#endif  // VITTE_LOADER_RELOAD_HPP
