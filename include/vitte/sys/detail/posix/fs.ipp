// Definitions of posix_platform's file-system functions (see the fs section
// of vitte/sys/policy/posix.hpp). Header-only mode includes this from the
// policy header; compiled mode compiles it in src/vitte.cpp.
#ifndef VITTE_SYS_DETAIL_POSIX_FS_IPP
#define VITTE_SYS_DETAIL_POSIX_FS_IPP

#include <vitte/sys/detail/posix/errno.hpp>
#include <vitte/sys/policy/posix.hpp>

#include <climits>  // IOV_MAX fallback
#include <cstdlib>  // realpath, getenv, free
#include <cstring>  // strlen, memcpy

#include <dirent.h>    // fdopendir, readdir
#include <errno.h>     // errno
#include <fcntl.h>     // openat, O_*, fcntl locks, posix_fallocate
#include <sys/mman.h>  // mmap
#include <sys/stat.h>  // fstatat, mkdirat, utimensat
#include <sys/uio.h>   // readv, writev
#include <unistd.h>    // read, write, close, unlinkat

#if VITTE_OS_DARWIN || VITTE_OS_BSD
#include <vitte/sys/detail/posix/clock.hpp>  // deadline_clock

#include <sys/event.h>  // kqueue, kevent: change hints
#include <time.h>       // timespec
#endif

namespace vitte::sys {

namespace detail::posix_fs {

using detail::errno_error;  // brought in by the `using namespace` of the platform functions

inline int at(native_handle dir) noexcept { return dir == cwd_handle ? AT_FDCWD : static_cast<int>(dir); }
inline int fd(native_handle h) noexcept { return static_cast<int>(h); }

// The largest count of buffers one readv/writev takes.
#ifdef IOV_MAX
constexpr std::size_t max_iov = IOV_MAX < 64 ? IOV_MAX : 64;
#else
constexpr std::size_t max_iov = 16;
#endif

// A transfer's outcome: the count, or errno as an error of `op`.
inline result<std::size_t> transferred(ssize_t n, operation op) noexcept {
  if (n < 0) return errno_error(op);
  return static_cast<std::size_t>(n);
}

inline file_type type_of_mode(mode_t m) noexcept {
  if (S_ISREG(m)) return file_type::regular;
  if (S_ISDIR(m)) return file_type::directory;
  if (S_ISLNK(m)) return file_type::symlink;
  if (S_ISBLK(m)) return file_type::block;
  if (S_ISCHR(m)) return file_type::character;
  if (S_ISFIFO(m)) return file_type::fifo;
  if (S_ISSOCK(m)) return file_type::socket;
  return file_type::unknown;
}

inline std::int64_t ns_of(const struct timespec& ts) noexcept {
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

inline void to_status(const struct ::stat& st, file_status& out) noexcept {
  out.type = type_of_mode(st.st_mode);
  out.permissions = static_cast<std::uint32_t>(st.st_mode & 07777);
  out.size = static_cast<std::uint64_t>(st.st_size);
#if VITTE_OS_DARWIN
  out.mtime_ns = ns_of(st.st_mtimespec);
  out.atime_ns = ns_of(st.st_atimespec);
  out.ctime_ns = ns_of(st.st_ctimespec);
#else
  out.mtime_ns = ns_of(st.st_mtim);
  out.atime_ns = ns_of(st.st_atim);
  out.ctime_ns = ns_of(st.st_ctim);
#endif
  out.device = static_cast<std::uint64_t>(st.st_dev);
  out.inode = static_cast<std::uint64_t>(st.st_ino);
  out.links = static_cast<std::uint64_t>(st.st_nlink);
}

inline struct timespec to_timespec(std::int64_t ns) noexcept {
  struct timespec ts{};
  if (ns == keep_time) {
    ts.tv_nsec = UTIME_OMIT;
    return ts;
  }
  if (ns == now_time) {
    ts.tv_nsec = UTIME_NOW;
    return ts;
  }
  std::int64_t sec = ns / 1'000'000'000;
  std::int64_t rem = ns % 1'000'000'000;
  if (rem < 0) {  // floor, so that times before 1970 keep a positive tv_nsec
    rem += 1'000'000'000;
    --sec;
  }
  ts.tv_sec = static_cast<time_t>(sec);
  ts.tv_nsec = static_cast<long>(rem);
  return ts;
}

// Copies `text` into buf when it fits; returns its length either way.
inline std::size_t copy_out(const char* text, char* buf, std::size_t n) noexcept {
  std::size_t len = std::strlen(text);
  if (len < n) std::memcpy(buf, text, len + 1);
  return len;
}

template <class Buf, class Iov>
std::size_t to_iovec(const Buf* bufs, std::size_t count, Iov* iov) noexcept {
  std::size_t k = count < max_iov ? count : max_iov;
  for (std::size_t i = 0; i < k; ++i) {
    iov[i].iov_base = const_cast<void*>(static_cast<const void*>(bufs[i].data));
    iov[i].iov_len = bufs[i].size;
  }
  return k;
}

inline error lock_error(int code) noexcept {
  if (code == EACCES || code == EAGAIN) return error{errc::would_block, ops::file_lock, code, error_domain::posix};
  return errno_error(ops::file_lock, code);
}

}  // namespace detail::posix_fs

// openat with O_CLOEXEC (and O_NOFOLLOW for open_mode::no_follow).
VITTE_DECL result<native_handle> os_platform_base::file_open(native_handle dir, const char* path, open_mode mode,
                                                             std::uint32_t perms) noexcept {
  bool writes = has(mode, open_mode::write) || has(mode, open_mode::append);
  int flags = O_CLOEXEC | O_NOCTTY;
  if (writes) flags |= has(mode, open_mode::read) ? O_RDWR : O_WRONLY;
  if (has(mode, open_mode::create) || has(mode, open_mode::exclusive)) flags |= O_CREAT;
  if (has(mode, open_mode::exclusive)) flags |= O_EXCL;
  if (has(mode, open_mode::truncate)) flags |= O_TRUNC;
  if (has(mode, open_mode::append)) flags |= O_APPEND;
  if (has(mode, open_mode::no_follow)) flags |= O_NOFOLLOW;
  int h = ::openat(detail::posix_fs::at(dir), path, flags, static_cast<mode_t>(perms));
  if (h < 0) return detail::errno_error(ops::open);
  return native_handle{h};
}

// close; the descriptor is gone even when an error is reported.
VITTE_DECL error os_platform_base::file_close(native_handle h) noexcept {
  // After EINTR the descriptor is closed on Linux and the BSDs; retrying
  // could close a descriptor another thread just opened.
  if (::close(detail::posix_fs::fd(h)) != 0 && errno != EINTR) return detail::errno_error(ops::close);
  return {};
}

// read, write, pread, pwrite, readv, writev (at most IOV_MAX buffers a call).
VITTE_DECL result<std::size_t> os_platform_base::file_read(native_handle h, void* buf, std::size_t n) noexcept {
  return detail::posix_fs::transferred(::read(detail::posix_fs::fd(h), buf, n), ops::read);
}

VITTE_DECL result<std::size_t> os_platform_base::file_write(native_handle h, const void* buf, std::size_t n) noexcept {
  return detail::posix_fs::transferred(::write(detail::posix_fs::fd(h), buf, n), ops::write);
}

VITTE_DECL result<std::size_t> os_platform_base::file_read_at(native_handle h, void* buf, std::size_t n,
                                                              std::uint64_t offset) noexcept {
  return detail::posix_fs::transferred(::pread(detail::posix_fs::fd(h), buf, n, static_cast<off_t>(offset)), ops::read);
}

VITTE_DECL result<std::size_t> os_platform_base::file_write_at(native_handle h, const void* buf, std::size_t n,
                                                               std::uint64_t offset) noexcept {
  return detail::posix_fs::transferred(::pwrite(detail::posix_fs::fd(h), buf, n, static_cast<off_t>(offset)),
                                       ops::write);
}

VITTE_DECL result<std::size_t> os_platform_base::file_read_vec(native_handle h, const mutable_buffer* bufs,
                                                               std::size_t count) noexcept {
  struct iovec iov[detail::posix_fs::max_iov];
  std::size_t k = detail::posix_fs::to_iovec(bufs, count, iov);
  return detail::posix_fs::transferred(::readv(detail::posix_fs::fd(h), iov, static_cast<int>(k)), ops::read);
}

VITTE_DECL result<std::size_t> os_platform_base::file_write_vec(native_handle h, const const_buffer* bufs,
                                                                std::size_t count) noexcept {
  struct iovec iov[detail::posix_fs::max_iov];
  std::size_t k = detail::posix_fs::to_iovec(bufs, count, iov);
  return detail::posix_fs::transferred(::writev(detail::posix_fs::fd(h), iov, static_cast<int>(k)), ops::write);
}

// lseek.
VITTE_DECL result<std::uint64_t> os_platform_base::file_seek(native_handle h, std::int64_t offset,
                                                             seek_origin origin) noexcept {
  int whence = SEEK_SET;
  switch (origin) {
    case seek_origin::begin:
      whence = SEEK_SET;
      break;
    case seek_origin::current:
      whence = SEEK_CUR;
      break;
    case seek_origin::end:
      whence = SEEK_END;
      break;
  }
  off_t pos = ::lseek(detail::posix_fs::fd(h), static_cast<off_t>(offset), whence);
  if (pos < 0) return detail::errno_error(ops::read);
  return static_cast<std::uint64_t>(pos);
}

// fstat.
VITTE_DECL error os_platform_base::file_stat(native_handle h, file_status& out) noexcept {
  struct ::stat st;
  if (::fstat(detail::posix_fs::fd(h), &st) != 0) return detail::errno_error(ops::file_stat);
  detail::posix_fs::to_status(st, out);
  return {};
}

// ftruncate.
VITTE_DECL error os_platform_base::file_truncate(native_handle h, std::uint64_t size) noexcept {
  if (::ftruncate(detail::posix_fs::fd(h), static_cast<off_t>(size)) != 0)
    return detail::errno_error(ops::file_truncate);
  return {};
}

// posix_fallocate (Darwin: F_PREALLOCATE, then ftruncate to grow).
VITTE_DECL error os_platform_base::file_allocate(native_handle h, std::uint64_t offset, std::uint64_t length) noexcept {
  int f = detail::posix_fs::fd(h);
#if VITTE_OS_DARWIN
  fstore_t store{F_ALLOCATEALL, F_PEOFPOSMODE, 0, static_cast<off_t>(offset + length), 0};
  (void)::fcntl(f, F_PREALLOCATE, &store);  // a hint: ftruncate below makes the size right
  struct ::stat st;
  if (::fstat(f, &st) != 0) return detail::errno_error(ops::file_allocate);
  if (static_cast<std::uint64_t>(st.st_size) >= offset + length) return {};
  if (::ftruncate(f, static_cast<off_t>(offset + length)) != 0) return detail::errno_error(ops::file_allocate);
  return {};
#else
  int rc = ::posix_fallocate(f, static_cast<off_t>(offset), static_cast<off_t>(length));  // returns the code
  if (rc != 0) return detail::errno_error(ops::file_allocate, rc);
  return {};
#endif
}

// fsync, or fdatasync for `data_only` (Darwin: F_FULLFSYNC for both).
VITTE_DECL error os_platform_base::file_sync(native_handle h, bool data_only) noexcept {
  int f = detail::posix_fs::fd(h);
#if VITTE_OS_DARWIN
  (void)data_only;
  if (::fcntl(f, F_FULLFSYNC) == 0) return {};  // fsync alone leaves data in the drive's cache
  if (::fsync(f) != 0) return detail::errno_error(ops::file_sync);
  return {};
#else
  int rc = data_only ? ::fdatasync(f) : ::fsync(f);
  if (rc != 0) return detail::errno_error(ops::file_sync);
  return {};
#endif
}

// fcntl F_SETLK / F_SETLKW on the whole file. POSIX record locks belong
// to the process: two handles of one process never conflict, and closing
// any handle of the file drops the process's lock (Linux: OFD locks).
VITTE_DECL error os_platform_base::file_lock(native_handle h, lock_kind kind, bool wait) noexcept {
  struct ::flock l{};
  l.l_type = kind == lock_kind::shared ? F_RDLCK : F_WRLCK;
  l.l_whence = SEEK_SET;  // l_start 0, l_len 0: the whole file, however it grows
  if (::fcntl(detail::posix_fs::fd(h), wait ? F_SETLKW : F_SETLK, &l) != 0) return detail::posix_fs::lock_error(errno);
  return {};
}

VITTE_DECL error os_platform_base::file_unlock(native_handle h) noexcept {
  struct ::flock l{};
  l.l_type = F_UNLCK;
  l.l_whence = SEEK_SET;
  if (::fcntl(detail::posix_fs::fd(h), F_SETLK, &l) != 0) return detail::errno_error(ops::file_unlock);
  return {};
}

// openat O_DIRECTORY (and O_NOFOLLOW).
VITTE_DECL result<native_handle> os_platform_base::dir_open(native_handle dir, const char* path,
                                                            bool no_follow) noexcept {
  int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | (no_follow ? O_NOFOLLOW : 0);
  int h = ::openat(detail::posix_fs::at(dir), path, flags);
  if (h < 0) return detail::errno_error(ops::dir_open);
  return native_handle{h};
}

VITTE_DECL void os_platform_base::dir_close(native_handle h) noexcept { ::close(detail::posix_fs::fd(h)); }

// fsync of the directory; file systems that cannot (EINVAL) report success.
VITTE_DECL error os_platform_base::dir_sync(native_handle h) noexcept {
  if (::fsync(detail::posix_fs::fd(h)) == 0) return {};
  int code = errno;
  if (code == EINVAL || code == ENOTSUP) return {};  // nothing to sync on this file system
  return detail::errno_error(ops::file_sync, code);
}

// fdopendir on a dup of the directory descriptor, readdir (with d_type
// where the C library has it), closedir.
VITTE_DECL result<std::intptr_t> os_platform_base::dir_stream_open(native_handle dir) noexcept {
  // fdopendir owns its descriptor: give it a duplicate, so the caller keeps
  // its handle; the duplicate shares the offset, hence the rewind.
  int copy = ::fcntl(detail::posix_fs::fd(dir), F_DUPFD_CLOEXEC, 0);
  if (copy < 0) return detail::errno_error(ops::dir_open);
  DIR* d = ::fdopendir(copy);
  if (d == nullptr) {
    error e = detail::errno_error(ops::dir_open);
    ::close(copy);
    return e;
  }
  ::rewinddir(d);
  return reinterpret_cast<std::intptr_t>(d);
}

VITTE_DECL error os_platform_base::dir_stream_next(std::intptr_t stream, dir_entry& out) noexcept {
  DIR* d = reinterpret_cast<DIR*>(stream);
  for (;;) {
    errno = 0;
    struct dirent* e = ::readdir(d);
    if (e == nullptr) {
      out.name = {};
      return errno != 0 ? detail::errno_error(ops::dir_read) : error{};
    }
    const char* n = e->d_name;
    if (n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0'))) continue;
    out.name = text_view(n);
    out.inode = static_cast<std::uint64_t>(e->d_ino);
    out.type = file_type::unknown;
#ifdef DT_UNKNOWN
    switch (e->d_type) {
      case DT_REG:
        out.type = file_type::regular;
        break;
      case DT_DIR:
        out.type = file_type::directory;
        break;
      case DT_LNK:
        out.type = file_type::symlink;
        break;
      case DT_BLK:
        out.type = file_type::block;
        break;
      case DT_CHR:
        out.type = file_type::character;
        break;
      case DT_FIFO:
        out.type = file_type::fifo;
        break;
      case DT_SOCK:
        out.type = file_type::socket;
        break;
      default:
        break;
    }
#endif
    return {};
  }
}

VITTE_DECL void os_platform_base::dir_stream_close(std::intptr_t stream) noexcept {
  ::closedir(reinterpret_cast<DIR*>(stream));
}

// fstatat (AT_SYMLINK_NOFOLLOW unless `follow`).
VITTE_DECL error os_platform_base::path_stat(native_handle dir, const char* path, bool follow,
                                             file_status& out) noexcept {
  struct ::stat st;
  if (::fstatat(detail::posix_fs::at(dir), path, &st, follow ? 0 : AT_SYMLINK_NOFOLLOW) != 0)
    return detail::errno_error(ops::file_stat);
  detail::posix_fs::to_status(st, out);
  return {};
}

// mkdirat.
VITTE_DECL error os_platform_base::dir_create(native_handle dir, const char* path, std::uint32_t perms) noexcept {
  if (::mkdirat(detail::posix_fs::at(dir), path, static_cast<mode_t>(perms)) != 0)
    return detail::errno_error(ops::dir_create);
  return {};
}

// unlinkat (AT_REMOVEDIR for `directory`).
VITTE_DECL error os_platform_base::path_remove(native_handle dir, const char* path, bool directory) noexcept {
  if (::unlinkat(detail::posix_fs::at(dir), path, directory ? AT_REMOVEDIR : 0) == 0) return {};
  int code = errno;
  if (code == EEXIST) code = ENOTEMPTY;  // POSIX allows either for a non-empty directory
  return detail::errno_error(directory ? ops::dir_remove : ops::remove, code);
}

// renameat: replaces `to` atomically.
VITTE_DECL error os_platform_base::path_rename(native_handle from_dir, const char* from, native_handle to_dir,
                                               const char* to) noexcept {
  if (::renameat(detail::posix_fs::at(from_dir), from, detail::posix_fs::at(to_dir), to) != 0)
    return detail::errno_error(ops::rename);
  return {};
}

// linkat (never follows `from`).
VITTE_DECL error os_platform_base::path_link(native_handle from_dir, const char* from, native_handle to_dir,
                                             const char* to) noexcept {
  if (::linkat(detail::posix_fs::at(from_dir), from, detail::posix_fs::at(to_dir), to, 0) != 0)
    return detail::errno_error(ops::link);
  return {};
}

// symlinkat.
VITTE_DECL error os_platform_base::path_symlink(const char* target, native_handle dir, const char* path) noexcept {
  if (::symlinkat(target, detail::posix_fs::at(dir), path) != 0) return detail::errno_error(ops::symlink);
  return {};
}

// readlinkat; returns the link's length, which may exceed n.
VITTE_DECL result<std::size_t> os_platform_base::path_read_link(native_handle dir, const char* path, char* buf,
                                                                std::size_t n) noexcept {
  ssize_t len = ::readlinkat(detail::posix_fs::at(dir), path, buf, n);
  if (len < 0) return detail::errno_error(ops::read_link);
  std::size_t got = static_cast<std::size_t>(len);
  return got < n ? got : 2 * n + 64;  // a full buffer may be a truncated link: ask for more
}

// utimensat (keep_time: UTIME_OMIT, now_time: UTIME_NOW).
VITTE_DECL error os_platform_base::path_set_times(native_handle dir, const char* path, std::int64_t atime_ns,
                                                  std::int64_t mtime_ns, bool follow) noexcept {
  struct timespec ts[2] = {detail::posix_fs::to_timespec(atime_ns), detail::posix_fs::to_timespec(mtime_ns)};
  if (::utimensat(detail::posix_fs::at(dir), path, ts, follow ? 0 : AT_SYMLINK_NOFOLLOW) != 0)
    return detail::errno_error(ops::set_times);
  return {};
}

// futimens (keep_time: UTIME_OMIT, now_time: UTIME_NOW).
VITTE_DECL error os_platform_base::file_set_times(native_handle h, std::int64_t atime_ns,
                                                  std::int64_t mtime_ns) noexcept {
  struct timespec ts[2] = {detail::posix_fs::to_timespec(atime_ns), detail::posix_fs::to_timespec(mtime_ns)};
  if (::futimens(static_cast<int>(h), ts) != 0) return detail::errno_error(ops::set_times);
  return {};
}

// fchmodat.
VITTE_DECL error os_platform_base::path_set_permissions(native_handle dir, const char* path, std::uint32_t perms,
                                                        bool follow) noexcept {
  if (::fchmodat(detail::posix_fs::at(dir), path, static_cast<mode_t>(perms), follow ? 0 : AT_SYMLINK_NOFOLLOW) != 0)
    return detail::errno_error(ops::set_permissions);
  return {};
}

// errc::not_supported: POSIX has no whole-file copy call.
VITTE_DECL error os_platform_base::path_copy(const char*, const char*, bool) noexcept {
  return error{errc::not_supported, ops::copy_file};
}

// errc::not_supported: POSIX has no in-kernel copy (Linux has).
VITTE_DECL result<std::size_t> os_platform_base::file_copy_chunk(native_handle, native_handle, std::size_t) noexcept {
  return error{errc::not_supported, ops::copy_file};
}

// getcwd, chdir.
VITTE_DECL result<std::size_t> os_platform_base::current_directory(char* buf, std::size_t n) noexcept {
  if (::getcwd(buf, n) != nullptr) return std::strlen(buf);
  if (errno == ERANGE) return 2 * n + 256;  // too small: ask for more
  return detail::errno_error(ops::current_directory);
}

VITTE_DECL error os_platform_base::set_current_directory(const char* path) noexcept {
  if (::chdir(path) != 0) return detail::errno_error(ops::current_directory);
  return {};
}

// realpath.
VITTE_DECL result<std::size_t> os_platform_base::canonical_path(const char* path, char* buf, std::size_t n) noexcept {
  char* full = ::realpath(path, nullptr);
  if (full == nullptr) return detail::errno_error(ops::canonical);
  std::size_t len = detail::posix_fs::copy_out(full, buf, n);
  std::free(full);
  return len;
}

// $TMPDIR, else /tmp.
VITTE_DECL result<std::size_t> os_platform_base::temp_directory(char* buf, std::size_t n) noexcept {
  const char* dir = std::getenv("TMPDIR");
  if (dir == nullptr || dir[0] == '\0') dir = "/tmp";
  return detail::posix_fs::copy_out(dir, buf, n);
}

// mmap MAP_SHARED (MAP_PRIVATE for map_mode::copy), munmap, msync MS_SYNC.
VITTE_DECL result<void*> os_platform_base::file_map(native_handle h, std::uint64_t offset, std::size_t size,
                                                    map_mode mode) noexcept {
  int prot = mode == map_mode::read ? PROT_READ : PROT_READ | PROT_WRITE;
  int flags = mode == map_mode::copy ? MAP_PRIVATE : MAP_SHARED;
  void* p = ::mmap(nullptr, size, prot, flags, detail::posix_fs::fd(h), static_cast<off_t>(offset));
  if (p == MAP_FAILED) return detail::errno_error(ops::map_file);
  return p;
}

VITTE_DECL error os_platform_base::file_unmap(void* p, std::size_t size) noexcept {
  if (::munmap(p, size) != 0) return detail::errno_error(ops::map_file);
  return {};
}

VITTE_DECL error os_platform_base::file_map_sync(void* p, std::size_t size) noexcept {
  if (::msync(p, size, MS_SYNC) != 0) return detail::errno_error(ops::file_sync);
  return {};
}

#if VITTE_OS_DARWIN || VITTE_OS_BSD

// Change hints: a kqueue and the path descriptors registered with it.

namespace detail::posix_fs {

struct hint_state {
  int kq;
  int* fds;  // the path descriptors handed out, closed with the kqueue
  std::size_t count;
  std::size_t capacity;
};

inline hint_state* as_hint(native_handle h) noexcept { return reinterpret_cast<hint_state*>(h); }

constexpr unsigned hint_flags =
    NOTE_WRITE | NOTE_EXTEND | NOTE_ATTRIB | NOTE_LINK | NOTE_DELETE | NOTE_RENAME | NOTE_REVOKE;

}  // namespace detail::posix_fs

VITTE_DECL result<native_handle> posix_platform::watch_hint_open() noexcept {
  int kq = ::kqueue();
  if (kq < 0) return detail::errno_error(ops::watch);
  ::fcntl(kq, F_SETFD, FD_CLOEXEC);  // kqueue descriptors are not inherited by fork, but exec keeps them
  void* mem = std::calloc(1, sizeof(detail::posix_fs::hint_state));
  if (mem == nullptr) {
    ::close(kq);
    return error{errc::no_memory, ops::watch};
  }
  auto* s = static_cast<detail::posix_fs::hint_state*>(mem);
  s->kq = kq;
  return reinterpret_cast<native_handle>(s);
}

VITTE_DECL result<native_handle> posix_platform::watch_hint_add(native_handle h, const char* path) noexcept {
  detail::posix_fs::hint_state& s = *detail::posix_fs::as_hint(h);
  if (s.count == s.capacity) {
    std::size_t capacity = s.capacity == 0 ? 8 : s.capacity * 2;
    void* grown = std::realloc(s.fds, capacity * sizeof(int));
    if (grown == nullptr) return error{errc::no_memory, ops::watch};
    s.fds = static_cast<int*>(grown);
    s.capacity = capacity;
  }
#if VITTE_OS_DARWIN
  int fd = ::open(path, O_EVTONLY | O_CLOEXEC);
#else
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
#endif
  if (fd < 0) return detail::errno_error(ops::watch);
  struct kevent change;
  EV_SET(&change, fd, EVFILT_VNODE, EV_ADD | EV_CLEAR, detail::posix_fs::hint_flags, 0, nullptr);
  if (::kevent(s.kq, &change, 1, nullptr, 0, nullptr) != 0) {
    error e = detail::errno_error(ops::watch);
    ::close(fd);
    return e;
  }
  s.fds[s.count++] = fd;
  return native_handle{fd};
}

VITTE_DECL void posix_platform::watch_hint_remove(native_handle h, native_handle token) noexcept {
  detail::posix_fs::hint_state& s = *detail::posix_fs::as_hint(h);
  for (std::size_t i = 0; i < s.count; ++i) {
    if (s.fds[i] != static_cast<int>(token)) continue;
    ::close(s.fds[i]);  // closing the descriptor removes its kevent
    s.fds[i] = s.fds[--s.count];
    return;
  }
}

VITTE_DECL error posix_platform::watch_hint_wait(native_handle h, std::int64_t deadline_ns) noexcept {
  detail::posix_fs::hint_state& s = *detail::posix_fs::as_hint(h);
  struct timespec limit;
  struct timespec* timeout = nullptr;
  if (deadline_ns != INT64_MAX) {
    // The deadline is on the policy's monotonic clock (CLOCK_UPTIME_RAW on Darwin).
    std::int64_t left = deadline_ns - detail::posix::clock_now(detail::posix::deadline_clock);
    if (left < 0) left = 0;
    limit.tv_sec = static_cast<time_t>(left / 1'000'000'000);
    limit.tv_nsec = static_cast<long>(left % 1'000'000'000);
    timeout = &limit;
  }
  struct kevent events[16];
  int n = ::kevent(s.kq, nullptr, 0, events, 16, timeout);
  if (n < 0) return detail::errno_error(ops::watch);
  if (n == 0) return error{errc::timed_out, ops::watch};
  return {};
}

VITTE_DECL void posix_platform::watch_hint_close(native_handle h) noexcept {
  detail::posix_fs::hint_state* s = detail::posix_fs::as_hint(h);
  for (std::size_t i = 0; i < s->count; ++i) ::close(s->fds[i]);
  ::close(s->kq);
  std::free(s->fds);
  std::free(s);
}

#endif  // VITTE_OS_DARWIN || VITTE_OS_BSD

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_POSIX_FS_IPP
