// Template bodies for vitte/sys/watch.hpp. Included by it; do not include.
#ifndef VITTE_SYS_IMPL_WATCH_HPP
#define VITTE_SYS_IMPL_WATCH_HPP

#include <vitte/base/detail/algorithm.hpp>  // sorting snapshots, min_of
#include <vitte/sys/detail/retry.hpp>

#include <utility>  // std::move

namespace vitte::sys {

// --- the OS-notified watcher ------------------------------------------------------

template <class P>
basic_watcher<P, true>& basic_watcher<P, true>::operator=(basic_watcher&& other) noexcept {
  if (this != &other) {
    reset();
    h_ = other.h_;
    other.h_ = invalid_handle;
  }
  return *this;
}

template <class P>
void basic_watcher<P, true>::reset() noexcept {
  if (h_ != invalid_handle) P::watch_close(h_);
  h_ = invalid_handle;
}

template <class P>
result<basic_watcher<P, true>> basic_watcher<P, true>::create(std::chrono::nanoseconds) noexcept {
  result<native_handle> h = P::watch_open();
  if (!h) return h.error();
  basic_watcher w;
  w.h_ = *h;
  return w;
}

template <class P>
result<int> basic_watcher<P, true>::add(const path_arg& path) noexcept {
  if (error e = path.check(ops::watch)) return e;
  return P::watch_add(h_, path.c_str());
}

template <class P>
status basic_watcher<P, true>::remove(int id) noexcept {
  return P::watch_remove(h_, id);
}

template <class P>
result<watch_event> basic_watcher<P, true>::next(basic_deadline<P> d) noexcept {
  watch_event ev;
  if (error e = detail::retry_interrupted([&] { return P::watch_next(h_, ev, d.ns()); })) return e;
  return ev;
}

// --- the polling watcher ----------------------------------------------------------

template <class P>
result<basic_watcher<P, false>> basic_watcher<P, false>::create(std::chrono::nanoseconds poll_interval) {
  basic_watcher w;
  w.interval_ns_ = poll_interval.count() > 0 ? poll_interval.count() : 1;
  if constexpr (watch_hint_capability<P>) {
    if (result<native_handle> h = P::watch_hint_open()) w.hint_ = detail::owned_handle<hint_closer>(*h);
  }
  return w;
}

template <class P>
status basic_watcher<P, false>::snapshot(watched& w, buffer<snapshot_entry>& out, bool& exists,
                                         file_status& self) const {
  out.clear();
  error e = detail::retry_interrupted([&] { return P::path_stat(cwd_handle, w.path.c_str(), true, self); });
  exists = !e;
  if (e == errc::not_found) return {};
  if (e) return e;
  if (self.type != file_type::directory) return {};
  result<basic_directory_reader<P>> r = basic_directory_reader<P>::open(w.path);
  if (!r) return r.error() == errc::not_found ? status{} : status{r.error()};
  for (;;) {
    result<const dir_entry*> next = r->next();
    if (!next) return next.error();
    if (*next == nullptr) break;
    result<file_status> st = r->directory().stat((*next)->name, false);
    if (st) out.push_back({text((*next)->name), st->type, st->inode, st->size, st->mtime_ns});
    // An entry gone since the listing is left out: the next scan reports it.
  }
  vitte::detail::heap_sort(out.begin(), out.size(),
                           [](const snapshot_entry& a, const snapshot_entry& b) { return a.name < b.name; });
  return {};
}

template <class P>
result<int> basic_watcher<P, false>::add(const path_arg& path) {
  if (error e = path.check(ops::watch)) return e;
  watched w{next_id_, text(path.view()), false, {}, {}};
  if (status s = snapshot(w, w.entries, w.exists, w.self); !s) return s.error();
  if (!w.exists) return error{errc::not_found, ops::watch};
  rehint(w);
  watches_.push_back(std::move(w));
  next_scan_ns_ = P::clock_now_ns(clock_id::monotonic);
  return next_id_++;
}

template <class P>
status basic_watcher<P, false>::remove(int id) noexcept {
  for (auto it = watches_.begin(); it != watches_.end(); ++it) {
    if (it->id != id) continue;
    if constexpr (watch_hint_capability<P>) {
      if (it->token != invalid_handle) P::watch_hint_remove(hint_.native(), it->token);
    }
    watches_.erase(it);
    return {};
  }
  return error{errc::invalid_argument, ops::watch};
}

template <class P>
void basic_watcher<P, false>::push(watch_event_kind kind, int watch, text_view name, std::uint32_t cookie,
                                   bool is_dir) {
  queue_.push_back({kind, watch, text(name), cookie, is_dir});
}

template <class P>
void basic_watcher<P, false>::diff(watched& w, buffer<snapshot_entry>& now) {
  buffer<const snapshot_entry*> gone, added;
  auto a = w.entries.begin();
  auto b = now.begin();
  while (a != w.entries.end() || b != now.end()) {
    if (b == now.end() || (a != w.entries.end() && a->name < b->name)) {
      gone.push_back(&*a++);
      continue;
    }
    if (a == w.entries.end() || b->name < a->name) {
      added.push_back(&*b++);
      continue;
    }
    if (a->inode != b->inode || a->size != b->size || a->mtime_ns != b->mtime_ns)
      push(watch_event_kind::modified, w.id, b->name, 0, b->type == file_type::directory);
    ++a;
    ++b;
  }
  // A name gone and a name added with the same inode in one scan: a rename.
  for (const snapshot_entry* g : gone) {
    auto match = added.begin();
    while (match != added.end() && (*match == nullptr || (*match)->inode != g->inode)) ++match;
    bool is_dir = g->type == file_type::directory;
    if (match == added.end()) {
      push(watch_event_kind::removed, w.id, g->name, 0, is_dir);
      continue;
    }
    std::uint32_t cookie = next_cookie_++;
    push(watch_event_kind::renamed_from, w.id, g->name, cookie, is_dir);
    push(watch_event_kind::renamed_to, w.id, (*match)->name, cookie, is_dir);
    *match = nullptr;
  }
  for (const snapshot_entry* n : added)
    if (n != nullptr) push(watch_event_kind::created, w.id, n->name, 0, n->type == file_type::directory);
  w.entries.swap(now);
}

// Points the path's change hint at what the path names now: a new token
// after the path appeared or was replaced (a hint follows the old inode),
// none while it is missing.
template <class P>
void basic_watcher<P, false>::rehint(watched& w) noexcept {
  if constexpr (watch_hint_capability<P>) {
    if (!hint_) return;
    if (w.token != invalid_handle) P::watch_hint_remove(hint_.native(), w.token);
    w.token = invalid_handle;
    if (!w.exists) return;
    if (result<native_handle> t = P::watch_hint_add(hint_.native(), w.path.c_str())) w.token = *t;
  } else {
    (void)w;
  }
}

template <class P>
status basic_watcher<P, false>::scan() {
  buffer<snapshot_entry> now;
  for (watched& w : watches_) {
    bool exists = false;
    file_status self;
    if (status s = snapshot(w, now, exists, self); !s) return s;
    bool is_dir = self.type == file_type::directory;
    if (w.exists && !exists) push(watch_event_kind::removed, w.id, {}, 0, w.self.type == file_type::directory);
    if (!w.exists && exists) push(watch_event_kind::created, w.id, {}, 0, is_dir);
    // A file written to, or replaced by another (a rename over it).
    bool changed = self.size != w.self.size || self.mtime_ns != w.self.mtime_ns || !self.same_file(w.self);
    if (w.exists && exists && !is_dir && changed) push(watch_event_kind::modified, w.id, {}, 0, false);
    bool moved = w.exists != exists || (exists && !self.same_file(w.self));
    w.exists = exists;
    w.self = self;
    if (moved) rehint(w);
    diff(w, now);
  }
  return {};
}

template <class P>
result<watch_event> basic_watcher<P, false>::next(basic_deadline<P> d) {
  for (;;) {
    if (head_ < queue_.size()) {
      current_ = std::move(queue_[head_++]);
      if (head_ == queue_.size()) {
        queue_.clear();
        head_ = 0;
      }
      return watch_event{current_.kind, current_.watch, current_.name, current_.cookie, current_.is_directory};
    }
    std::int64_t now = P::clock_now_ns(clock_id::monotonic);
    if (now >= next_scan_ns_) {
      if (status s = scan(); !s) return s.error();
      next_scan_ns_ = now + interval_ns_;
      continue;
    }
    if (now >= d.ns()) return error{errc::timed_out, ops::watch};
    if constexpr (watch_hint_capability<P>) {
      if (hint_) {  // scan as soon as the OS says something changed
        error e = P::watch_hint_wait(hint_.native(), vitte::detail::min_of(d.ns(), next_scan_ns_));
        if (!e) next_scan_ns_ = P::clock_now_ns(clock_id::monotonic);
        if (e && e != errc::timed_out && e != errc::interrupted) return e;
        continue;
      }
    }
    if (status s = detail::sleep_until_ns<P>(clock_id::monotonic, vitte::detail::min_of(d.ns(), next_scan_ns_)); !s)
      return s.error();
  }
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_IMPL_WATCH_HPP
