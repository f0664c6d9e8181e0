// vitte/sys/watch.hpp - being told when files and directories change.
//
//   namespace sys = vitte::sys;
//   auto w = sys::watcher::create().value();
//   int dir = w.add("inbox").value();                 // a directory: its entries
//   int cfg = w.add("app.conf").value();              // a file: the file itself
//   for (;;) {
//     auto ev = w.next(sys::deadline::after(std::chrono::seconds(5)));
//     if (!ev && ev.error() == vitte::errc::timed_out) continue;
//     if (ev->kind == sys::watch_event_kind::created && ev->watch == dir) { ... ev->name ... }
//   }
//
// Where the OS notifies (inotify on Linux, ReadDirectoryChangesW on
// Windows) events arrive as they happen; elsewhere the watcher compares
// snapshots of the watched paths' metadata (type, size, mtime, inode): every
// `poll_interval`, and at once when the OS hints that a path changed (kqueue
// EVFILT_VNODE on Darwin and the BSDs, which names no entry). Both report
// created, modified, removed and renames (renamed_from then renamed_to with
// one cookie; polling pairs them by inode within one scan). Polling sees only
// what differs between two scans: a file created and removed in between goes
// unseen, and two writes between scans are one `modified`.
//
// basic_watcher<P> uses the OS's notifications when P has the file_watch
// capability; basic_watcher<P, false> always polls.
#ifndef VITTE_SYS_WATCH_HPP
#define VITTE_SYS_WATCH_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>  // snapshots, queued events
#include <vitte/base/text.hpp>    // polled paths and names
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/detail/owned_handle.hpp>
#include <vitte/sys/directory.hpp>
#include <vitte/sys/fs_types.hpp>
#include <vitte/sys/operations.hpp>
#include <vitte/sys/path.hpp>
#include <vitte/sys/platform.hpp>
#include <vitte/sys/time.hpp>

#include <cstdint>  // ids, cookies

namespace vitte::sys {

/// The default polling interval of watchers that poll.
inline constexpr std::chrono::milliseconds default_poll_interval{100};

/// Watches files and directories for changes (see the header).
/// Thread safety: a value type; one thread at a time.
template <class P, bool Native = file_watch_capability<P>>
class basic_watcher;

/// The OS-notified watcher.
template <class P>
class basic_watcher<P, true> {
 public:
  using policy = P;

  basic_watcher() noexcept = default;
  basic_watcher(basic_watcher&& other) noexcept : h_(other.h_) { other.h_ = invalid_handle; }
  basic_watcher& operator=(basic_watcher&& other) noexcept;
  basic_watcher(const basic_watcher&) = delete;
  basic_watcher& operator=(const basic_watcher&) = delete;
  ~basic_watcher() { reset(); }

  /// A watcher with nothing watched; `poll_interval` is ignored. Errors (watch):
  /// too_many_open_files, limit_exceeded (inotify instances), ...
  static result<basic_watcher> create(std::chrono::nanoseconds poll_interval = default_poll_interval) noexcept;
  /// Starts watching `path` (a directory: changes of its entries; a file:
  /// changes of it); returns the id its events carry. Errors (watch).
  result<int> add(const path_arg& path) noexcept;
  /// Stops watching the path `id` names. Errors (watch).
  status remove(int id) noexcept;
  /// The next event, waiting until `d` at most. The event's name stays valid
  /// until the next call. Errors (watch): timed_out, ...
  result<watch_event> next(basic_deadline<P> d = basic_deadline<P>::never()) noexcept;

 private:
  void reset() noexcept;
  native_handle h_ = invalid_handle;
};

/// The polling watcher.
template <class P>
class basic_watcher<P, false> {
  VITTE_REQUIRE_CAPABILITY(P, directory);

 public:
  using policy = P;

  basic_watcher() = default;
  basic_watcher(basic_watcher&&) noexcept = default;
  basic_watcher& operator=(basic_watcher&&) noexcept = default;

  /// A watcher that scans every `poll_interval`, and at once when the OS
  /// hints at a change (kqueue on Darwin and the BSDs; without hints, or
  /// when the OS refuses one, it only polls). Errors: none.
  static result<basic_watcher> create(std::chrono::nanoseconds poll_interval = default_poll_interval);
  /// Starts watching `path` and takes its first snapshot. Errors (watch,
  /// file_stat, dir_read): not_found, ...
  result<int> add(const path_arg& path);
  /// Stops watching `id`. Errors (watch): invalid_argument for an unknown id.
  status remove(int id) noexcept;
  /// The next event, scanning and sleeping until `d` at most. Errors
  /// (watch): timed_out; those of scanning.
  result<watch_event> next(basic_deadline<P> d = basic_deadline<P>::never());

 private:
  struct snapshot_entry {
    text name;
    file_type type;
    std::uint64_t inode;
    std::uint64_t size;
    std::int64_t mtime_ns;
  };
  struct watched {
    int id;
    text path;
    bool exists;
    file_status self;
    buffer<snapshot_entry> entries;        // sorted by name; directories only
    native_handle token = invalid_handle;  // the path's change hint, if any
  };
  // Closes the change-hint handle (and with it every token it handed out).
  struct hint_closer {
    static void close(native_handle h) noexcept {
      if constexpr (watch_hint_capability<P>) P::watch_hint_close(h);
    }
  };
  struct queued {
    watch_event_kind kind;
    int watch;
    text name;
    std::uint32_t cookie;
    bool is_directory;
  };

  status snapshot(watched& w, buffer<snapshot_entry>& out, bool& exists, file_status& self) const;
  status scan();
  void rehint(watched& w) noexcept;
  void diff(watched& w, buffer<snapshot_entry>& now);
  void push(watch_event_kind kind, int watch, text_view name, std::uint32_t cookie, bool is_dir);

  detail::owned_handle<hint_closer> hint_;
  std::int64_t interval_ns_ = 0;
  std::int64_t next_scan_ns_ = 0;
  int next_id_ = 1;
  std::uint32_t next_cookie_ = 1;
  buffer<watched> watches_;
  buffer<queued> queue_;
  std::size_t head_ = 0;
  queued current_{};
};

using watcher = basic_watcher<platform>;

}  // namespace vitte::sys

#include <vitte/sys/impl/watch.hpp>

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/fs.ipp>  // the backend's definitions
#endif

#endif  // VITTE_SYS_WATCH_HPP
