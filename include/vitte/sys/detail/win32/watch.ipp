// Definitions of win32_platform's change watching (see the watch section
// of vitte/sys/policy/win32.hpp): ReadDirectoryChangesW. win32/fs.ipp
// includes it, so it is compiled wherever the file operations are.
#ifndef VITTE_SYS_DETAIL_WIN32_WATCH_IPP
#define VITTE_SYS_DETAIL_WIN32_WATCH_IPP

#include <vitte/base/detail/win32/windows.hpp>
#include <vitte/sys/detail/win32/fs_path.hpp>
#include <vitte/sys/detail/win32/last_error.hpp>
#include <vitte/sys/detail/win32/platform.ipp>  // wait_ms
#include <vitte/sys/policy/win32.hpp>

#include <cstddef>  // offsetof
#include <cstdlib>  // malloc, calloc, free
#include <cstring>  // memcpy

namespace vitte::sys {

namespace detail::win32_fs {

constexpr DWORD watch_filter = FILE_NOTIFY_CHANGE_FILE_NAME | FILE_NOTIFY_CHANGE_DIR_NAME | FILE_NOTIFY_CHANGE_SIZE |
                               FILE_NOTIFY_CHANGE_LAST_WRITE | FILE_NOTIFY_CHANGE_CREATION;
constexpr std::size_t watch_buffer_size = 64 * 1024;  // the most a network share returns
constexpr std::size_t max_watches = MAXIMUM_WAIT_OBJECTS;

// One watched path: its directory's handle, the read in flight, and for a
// watched file the name to keep.
struct watch_entry {
  int id;
  bool armed;  // a read is in flight
  HANDLE dir;
  HANDLE event;
  OVERLAPPED ov;
  wchar_t* directory;  // full path, NUL-terminated (for is_directory)
  std::size_t directory_length;
  const wchar_t* file;  // points into `directory` past the separator, or null
  std::size_t file_length;
  alignas(DWORD) unsigned char buf[watch_buffer_size];
};

// The watcher: its entries and the records being reported.
struct watch_state {
  watch_entry* entries[max_watches];
  int next_id;
  int current;  // id of the watch whose records `records` holds
  bool current_is_file;
  DWORD pos;
  DWORD len;
  std::uint32_t cookie;
  std::uint32_t next_cookie;
  alignas(DWORD) unsigned char records[watch_buffer_size];
  char name[1024];  // one component: at most 255 UTF-16 units, 765 UTF-8 bytes
};

inline watch_state* as_watch(native_handle w) noexcept { return reinterpret_cast<watch_state*>(w); }

inline error arm(watch_entry& e) noexcept {
  ::ResetEvent(e.event);
  e.ov = OVERLAPPED{};
  e.ov.hEvent = e.event;
  if (!::ReadDirectoryChangesW(e.dir, e.buf, static_cast<DWORD>(watch_buffer_size), FALSE, watch_filter, nullptr, &e.ov,
                               nullptr))
    return last_error(ops::watch);
  e.armed = true;
  return {};
}

inline void destroy(watch_entry* e) noexcept {
  if (e->armed) {
    DWORD n = 0;
    ::CancelIoEx(e->dir, &e->ov);
    ::GetOverlappedResult(e->dir, &e->ov, &n, TRUE);
  }
  ::CloseHandle(e->dir);
  ::CloseHandle(e->event);
  std::free(e->directory);
  std::free(e);
}

inline bool same_name(const wchar_t* a, std::size_t na, const wchar_t* b, std::size_t nb) noexcept {
  return ::CompareStringOrdinal(a, static_cast<int>(na), b, static_cast<int>(nb), TRUE) == CSTR_EQUAL;
}

// Whether `name` inside the entry's directory is a directory now.
inline bool names_directory(const watch_entry& e, const wchar_t* name, std::size_t length) noexcept {
  std::size_t total = e.directory_length + 1 + length + 1;
  wchar_t* full = static_cast<wchar_t*>(std::malloc(total * sizeof(wchar_t)));
  if (full == nullptr) return false;
  std::memcpy(full, e.directory, e.directory_length * sizeof(wchar_t));
  full[e.directory_length] = L'\\';
  std::memcpy(full + e.directory_length + 1, name, length * sizeof(wchar_t));
  full[total - 1] = L'\0';
  DWORD attributes = ::GetFileAttributesW(full);
  std::free(full);
  return attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
}

inline watch_entry* find_entry(watch_state& s, int id) noexcept {
  for (watch_entry* e : s.entries)
    if (e != nullptr && e->id == id) return e;
  return nullptr;
}

// The next record of s.records as an event; false when none is left.
inline bool next_record(watch_state& s, watch_event& out) noexcept {
  watch_entry* e = find_entry(s, s.current);
  while (s.pos < s.len) {
    FILE_NOTIFY_INFORMATION rec;
    std::memcpy(&rec, s.records + s.pos, offsetof(FILE_NOTIFY_INFORMATION, FileName));
    const auto* name =
        reinterpret_cast<const wchar_t*>(s.records + s.pos + offsetof(FILE_NOTIFY_INFORMATION, FileName));
    std::size_t length = rec.FileNameLength / sizeof(wchar_t);
    bool fits = s.pos + offsetof(FILE_NOTIFY_INFORMATION, FileName) + rec.FileNameLength <= s.len;
    s.pos = rec.NextEntryOffset == 0 ? s.len : s.pos + rec.NextEntryOffset;
    if (e == nullptr || !fits) continue;  // removed meanwhile, or a torn record
    if (s.current_is_file && !same_name(name, length, e->file, e->file_length)) continue;
    out = watch_event{};
    out.watch = s.current;
    switch (rec.Action) {
      case FILE_ACTION_ADDED:
        out.kind = watch_event_kind::created;
        break;
      case FILE_ACTION_REMOVED:
        out.kind = watch_event_kind::removed;
        break;
      case FILE_ACTION_MODIFIED:
        out.kind = watch_event_kind::modified;
        break;
      case FILE_ACTION_RENAMED_OLD_NAME:
        out.kind = watch_event_kind::renamed_from;
        s.cookie = s.next_cookie++;
        out.cookie = s.cookie;
        break;
      case FILE_ACTION_RENAMED_NEW_NAME:
        out.kind = watch_event_kind::renamed_to;
        out.cookie = s.cookie;
        s.cookie = 0;
        break;
      default:
        continue;
    }
    if (s.current_is_file) {
      if (out.kind == watch_event_kind::created || out.kind == watch_event_kind::renamed_to)
        continue;  // the file itself: a new one under its name is not a change of it
      return true;
    }
    if (out.kind != watch_event_kind::removed && out.kind != watch_event_kind::renamed_from)
      out.is_directory = names_directory(*e, name, length);
    result<std::size_t> n = to_utf8(name, length, s.name, sizeof s.name, ops::watch);
    if (!n || *n >= sizeof s.name) continue;
    out.name = text_view(s.name, *n);
    return true;
  }
  return false;
}

}  // namespace detail::win32_fs

VITTE_DECL result<native_handle> win32_platform::watch_open() noexcept {
  void* mem = std::calloc(1, sizeof(detail::win32_fs::watch_state));
  if (mem == nullptr) return error{errc::no_memory, ops::watch};
  auto* s = static_cast<detail::win32_fs::watch_state*>(mem);
  s->next_id = 1;
  s->next_cookie = 1;
  return reinterpret_cast<native_handle>(s);
}

VITTE_DECL result<int> win32_platform::watch_add(native_handle w, const char* path) noexcept {
  using namespace detail::win32_fs;
  watch_state& s = *as_watch(w);
  std::size_t slot = 0;
  while (slot < max_watches && s.entries[slot] != nullptr) ++slot;
  if (slot == max_watches) return error{errc::limit_exceeded, ops::watch};
  wide_path wide;
  if (error e = wide.assign(cwd_handle, path, ops::watch)) return e;
  if (error e = wide.make_absolute(ops::watch)) return e;
  DWORD attributes = ::GetFileAttributesW(wide.c_str());
  if (attributes == INVALID_FILE_ATTRIBUTES) return last_error(ops::watch);
  bool is_file = (attributes & FILE_ATTRIBUTE_DIRECTORY) == 0;

  void* mem = std::calloc(1, sizeof(watch_entry));
  wchar_t* directory = static_cast<wchar_t*>(std::malloc((wide.size() + 1) * sizeof(wchar_t)));
  if (mem == nullptr || directory == nullptr) {
    std::free(mem);
    std::free(directory);
    return error{errc::no_memory, ops::watch};
  }
  auto* e = static_cast<watch_entry*>(mem);
  std::memcpy(directory, wide.c_str(), (wide.size() + 1) * sizeof(wchar_t));
  e->directory = directory;
  e->directory_length = wide.size();
  if (is_file) {  // split at the last separator: the directory, then the name
    std::size_t cut = wide.size();
    while (cut > 0 && directory[cut - 1] != L'\\') --cut;
    if (cut == 0) {
      std::free(directory);
      std::free(mem);
      return error{errc::invalid_argument, ops::watch};
    }
    directory[cut - 1] = L'\0';
    e->directory_length = cut - 1;
    e->file = directory + cut;
    e->file_length = wide.size() - cut;
  }
  e->dir = ::CreateFileW(directory, FILE_LIST_DIRECTORY, share_all, nullptr, OPEN_EXISTING,
                         FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OVERLAPPED, nullptr);
  e->event = ::CreateEventW(nullptr, TRUE, FALSE, nullptr);
  error failed = e->dir == INVALID_HANDLE_VALUE || e->event == nullptr ? last_error(ops::watch) : arm(*e);
  if (failed) {
    if (e->dir != INVALID_HANDLE_VALUE) ::CloseHandle(e->dir);
    if (e->event != nullptr) ::CloseHandle(e->event);
    std::free(directory);
    std::free(mem);
    return failed;
  }
  e->id = s.next_id++;
  s.entries[slot] = e;
  return e->id;
}

VITTE_DECL error win32_platform::watch_remove(native_handle w, int id) noexcept {
  using namespace detail::win32_fs;
  watch_state& s = *as_watch(w);
  for (watch_entry*& e : s.entries) {
    if (e == nullptr || e->id != id) continue;
    destroy(e);
    e = nullptr;
    return {};
  }
  return error{errc::invalid_argument, ops::watch};
}

VITTE_DECL error win32_platform::watch_next(native_handle w, watch_event& out, std::int64_t deadline_ns) noexcept {
  using namespace detail::win32_fs;
  watch_state& s = *as_watch(w);
  for (;;) {
    if (next_record(s, out)) return {};
    HANDLE events[max_watches];
    watch_entry* owners[max_watches];
    DWORD count = 0;
    for (watch_entry* e : s.entries)
      if (e != nullptr && e->armed) {
        events[count] = e->event;
        owners[count++] = e;
      }
    DWORD ms = detail::win32::wait_ms(deadline_ns);
    if (count == 0) {
      if (ms == INFINITE) return error{errc::invalid_argument, ops::watch};  // would wait forever
      ::Sleep(ms);
      return error{errc::timed_out, ops::watch};
    }
    DWORD r = ::WaitForMultipleObjects(count, events, FALSE, ms);
    if (r == WAIT_TIMEOUT) return error{errc::timed_out, ops::watch};
    if (r >= WAIT_OBJECT_0 + count) return last_error(ops::watch);
    watch_entry& e = *owners[r - WAIT_OBJECT_0];
    DWORD n = 0;
    BOOL ok = ::GetOverlappedResult(e.dir, &e.ov, &n, FALSE);
    DWORD code = ok ? 0 : ::GetLastError();
    e.armed = false;
    if (!ok && code == ERROR_OPERATION_ABORTED) continue;
    out = watch_event{};
    out.watch = e.id;
    if (!ok && code != ERROR_NOTIFY_ENUM_DIR) {  // the directory itself is gone
      out.kind = watch_event_kind::removed;
      return {};
    }
    std::memcpy(s.records, e.buf, n);
    s.current = e.id;
    s.current_is_file = e.file != nullptr;
    s.pos = 0;
    s.len = n;
    (void)arm(e);         // the directory keeps collecting meanwhile; a failure ends this watch
    if (!ok || n == 0) {  // the system's buffer overflowed: changes were lost
      s.len = 0;
      out.kind = watch_event_kind::overflow;
      return {};
    }
  }
}

VITTE_DECL void win32_platform::watch_close(native_handle w) noexcept {
  using namespace detail::win32_fs;
  watch_state* s = as_watch(w);
  for (watch_entry* e : s->entries)
    if (e != nullptr) destroy(e);
  std::free(s);
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_WIN32_WATCH_IPP
