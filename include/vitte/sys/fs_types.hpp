// vitte/sys/fs_types.hpp - the vocabulary of vitte's file-system calls.
//
// What a platform policy's file, directory, mapping and watch functions take
// and give: native handles, open modes, file types and metadata, directory
// entries, lock kinds, mapping modes and change events. Users meet these
// types through vitte/sys/fs.hpp:
//
//   auto f = vitte::sys::file::open("log.txt", vitte::sys::open_mode::append | vitte::sys::open_mode::create);
//   vitte::sys::file_status st = f->stat().value();
//   if (st.type == vitte::sys::file_type::regular) { ... }
//
// This header includes only light standard headers; policies include it to
// declare their file-system functions.
#ifndef VITTE_SYS_FS_TYPES_HPP
#define VITTE_SYS_FS_TYPES_HPP

#include <vitte/base/text_view.hpp>  // entry and event names

#include <cstddef>  // std::size_t
#include <cstdint>  // fixed-width fields

namespace vitte::sys {

/// An OS handle: a file descriptor on POSIX, a HANDLE (or a vitte directory
/// object) on Windows, as an integer.
using native_handle = std::intptr_t;

/// No handle (-1, like an invalid descriptor and INVALID_HANDLE_VALUE).
inline constexpr native_handle invalid_handle = -1;

/// The current directory as the base of a relative path (AT_FDCWD's role).
inline constexpr native_handle cwd_handle = -100;

/// How a file is opened: combine with `|`. One of read, write or append is
/// needed. Every handle vitte opens is close-on-exec (not inherited).
enum class open_mode : std::uint16_t {
  read = 1u << 0,       ///< Reading.
  write = 1u << 1,      ///< Writing.
  create = 1u << 2,     ///< Create the file when it does not exist.
  exclusive = 1u << 3,  ///< Create, and fail with already_exists when the name is taken (implies create).
  truncate = 1u << 4,   ///< Cut the file to zero bytes (needs write).
  append = 1u << 5,     ///< Every write goes to the end of the file (implies write).
  no_follow = 1u << 6,  ///< Refuse a symbolic link as the last component (errc::too_many_links).
};

constexpr open_mode operator|(open_mode a, open_mode b) noexcept {
  return static_cast<open_mode>(static_cast<std::uint16_t>(a) | static_cast<std::uint16_t>(b));
}
constexpr open_mode operator&(open_mode a, open_mode b) noexcept {
  return static_cast<open_mode>(static_cast<std::uint16_t>(a) & static_cast<std::uint16_t>(b));
}
/// True when `mode` has every flag of `flags`.
constexpr bool has(open_mode mode, open_mode flags) noexcept { return (mode & flags) == flags; }

/// Where a seek offset counts from.
enum class seek_origin : std::uint8_t {
  begin,    ///< From the start of the file.
  current,  ///< From the current position.
  end,      ///< From the end of the file.
};

/// What a name in the file system is.
enum class file_type : std::uint8_t {
  unknown,    ///< Not reported (a directory entry on a file system without types).
  regular,    ///< A regular file.
  directory,  ///< A directory.
  symlink,    ///< A symbolic link (or a Windows junction).
  block,      ///< A block device.
  character,  ///< A character device.
  fifo,       ///< A named pipe.
  socket,     ///< A Unix-domain socket.
};

/// Metadata of a file: what stat, lstat and fstat report, in one portable
/// struct. Times are nanoseconds since the Unix epoch.
struct file_status {
  file_type type = file_type::unknown;
  std::uint32_t permissions = 0;  ///< POSIX mode bits (07777); Windows: 0444 or 0666 (read-only attribute).
  std::uint64_t size = 0;         ///< Bytes (the link's own length for a symlink).
  std::int64_t mtime_ns = 0;      ///< Last modification.
  std::int64_t atime_ns = 0;      ///< Last access (as the file system keeps it).
  std::int64_t ctime_ns = 0;      ///< Last change of data or metadata (st_ctime; Windows: ChangeTime).
  std::uint64_t device = 0;       ///< File identity, part 1: st_dev, or the volume serial number.
  std::uint64_t inode = 0;        ///< File identity, part 2: st_ino, or the file index.
  std::uint64_t links = 0;        ///< Number of hard links.

  /// True when both describe the same file (same device and inode).
  constexpr bool same_file(const file_status& o) const noexcept { return device == o.device && inode == o.inode; }
};

/// What tells one version of a file from another without reading it: its
/// identity, size, and modification and change times. Caches (the loader's
/// module cache, cache::output_cache) trust a content hash while the stamp is
/// unchanged and the hash was taken late enough (settled_before): a file
/// written twice within one timestamp tick keeps its times (git's "racy"
/// files), so a hash taken in that tick is not trusted later.
struct file_stamp {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = 0;

  /// Coarsest timestamp tick a file system may keep (FAT's 2 s; ext4, NTFS, APFS are finer).
  static constexpr std::int64_t racy_window_ns = 2'000'000'000;

  static constexpr file_stamp of(const file_status& s) noexcept {
    return {s.device, s.inode, s.size, s.mtime_ns, s.ctime_ns};
  }
  /// True when content read at `read_ns` (realtime clock) stands for this
  /// stamp: both times lie at least one tick before the read.
  constexpr bool settled_before(std::int64_t read_ns) const noexcept {
    return mtime_ns <= read_ns - racy_window_ns && ctime_ns <= read_ns - racy_window_ns;
  }
  friend constexpr bool operator==(const file_stamp&, const file_stamp&) noexcept = default;
};

/// set_times: leave this time as it is.
inline constexpr std::int64_t keep_time = INT64_MIN;
/// set_times: set this time to now.
inline constexpr std::int64_t now_time = INT64_MIN + 1;

/// One entry of a directory, as the OS lists it ("." and ".." are never
/// reported). `name` stays valid until the next entry is read.
struct dir_entry {
  text_view name;                       ///< UTF-8, no separator.
  file_type type = file_type::unknown;  ///< From the listing (d_type); unknown when the file system has none.
  std::uint64_t inode = 0;              ///< From the listing; 0 when unknown.
};

/// Advisory whole-file lock kinds.
enum class lock_kind : std::uint8_t {
  shared,     ///< Many holders at once (readers).
  exclusive,  ///< One holder (a writer).
};

/// How a file is mapped into memory.
enum class map_mode : std::uint8_t {
  read,        ///< Read-only view.
  read_write,  ///< Writes reach the file.
  copy,        ///< Private copy-on-write: writes stay in this process.
};

/// A buffer to read into (vectored I/O).
struct mutable_buffer {
  void* data = nullptr;
  std::size_t size = 0;
};

/// A buffer to write from (vectored I/O).
struct const_buffer {
  const void* data = nullptr;
  std::size_t size = 0;
};

/// What happened to a watched file or directory.
enum class watch_event_kind : std::uint8_t {
  created,       ///< `name` appeared in the watched directory.
  modified,      ///< `name` (or the watched file itself) was written to.
  removed,       ///< `name` (or the watched file itself) was removed.
  renamed_from,  ///< `name` was renamed away; a renamed_to with the same cookie may follow.
  renamed_to,    ///< `name` appeared by a rename.
  overflow,      ///< Events were lost: rescan what you watch.
};

/// One change, as the OS reports it. `name` stays valid until the next
/// event is read; it is empty when the watched path itself changed.
struct watch_event {
  watch_event_kind kind = watch_event_kind::modified;
  int watch = -1;             ///< The id add() returned for the watched path.
  text_view name;             ///< UTF-8 name inside a watched directory.
  std::uint32_t cookie = 0;   ///< Pairs renamed_from with renamed_to (0: unpaired).
  bool is_directory = false;  ///< The name is a directory.
};

}  // namespace vitte::sys

#endif  // VITTE_SYS_FS_TYPES_HPP
