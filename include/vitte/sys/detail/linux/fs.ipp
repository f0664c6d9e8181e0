// Definitions of linux_platform's file-system functions (see the fs section
// of vitte/sys/policy/linux.hpp): getdents64 directory streams, OFD locks,
// in-kernel copies and inotify.
#ifndef VITTE_SYS_DETAIL_LINUX_FS_IPP
#define VITTE_SYS_DETAIL_LINUX_FS_IPP

#include <vitte/base/detail/atomic.hpp>  // remembers a kernel without OFD locks
#include <vitte/sys/detail/posix/fs.ipp>
#include <vitte/sys/policy/linux.hpp>

#include <cstdlib>  // malloc, free
#include <cstring>  // memcpy, strnlen

#include <errno.h>
#include <fcntl.h>         // F_OFD_SETLK, copy_file_range
#include <poll.h>          // poll on the inotify descriptor
#include <sys/file.h>      // flock
#include <sys/inotify.h>   // inotify_*
#include <sys/sendfile.h>  // sendfile
#include <sys/syscall.h>   // SYS_getdents64
#include <time.h>          // clock_gettime for watch deadlines
#include <unistd.h>        // syscall, read, close

namespace vitte::sys {

namespace detail::linux_fs {

// A directory stream: the borrowed descriptor and a buffer of linux_dirent64
// records (u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, char d_name[]).
struct dir_stream {
  static constexpr std::size_t buffer_size = 32 * 1024 - 16;
  int fd;
  std::uint32_t pos;
  std::uint32_t len;
  alignas(8) unsigned char buf[buffer_size];
};

inline file_type type_of_dtype(unsigned char t) noexcept {
  switch (t) {
    case DT_REG:
      return file_type::regular;
    case DT_DIR:
      return file_type::directory;
    case DT_LNK:
      return file_type::symlink;
    case DT_BLK:
      return file_type::block;
    case DT_CHR:
      return file_type::character;
    case DT_FIFO:
      return file_type::fifo;
    case DT_SOCK:
      return file_type::socket;
    default:
      return file_type::unknown;
  }
}

inline vitte::detail::atomic<bool>& ofd_missing() noexcept {
  static vitte::detail::atomic<bool> missing{false};
  return missing;
}

inline error flock_lock(int fd, int how) noexcept {
  if (::flock(fd, how) == 0) return {};
  return posix_fs::lock_error(errno);
}

// An inotify instance and the events read from it but not yet reported.
struct watch_state {
  static constexpr std::size_t buffer_size = 16 * 1024;
  int fd;
  std::uint32_t pos;
  std::uint32_t len;
  alignas(alignof(struct inotify_event)) unsigned char buf[buffer_size];
};

constexpr std::uint32_t watch_mask =
    IN_CREATE | IN_MODIFY | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF;

// Milliseconds until the monotonic clock reaches deadline_ns, rounded up;
// -1 for never.
inline int poll_timeout_ms(std::int64_t deadline_ns) noexcept {
  if (deadline_ns == INT64_MAX) return -1;
  struct timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  std::int64_t left = deadline_ns - (static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec);
  if (left <= 0) return 0;
  std::int64_t ms = left / 1'000'000 + (left % 1'000'000 != 0);
  return ms > INT32_MAX ? INT32_MAX : static_cast<int>(ms);
}

// Turns one inotify record into `out`; false for records nobody asked for
// (IN_IGNORED after a watch is removed).
inline bool to_event(const struct inotify_event& ev, const char* name, watch_event& out) noexcept {
  out.watch = ev.wd;
  out.cookie = ev.cookie;
  out.is_directory = (ev.mask & IN_ISDIR) != 0;
  out.name = ev.len != 0 ? text_view(name, ::strnlen(name, ev.len)) : text_view{};
  if (ev.mask & IN_Q_OVERFLOW) {
    out.kind = watch_event_kind::overflow;
    return true;
  }
  if (ev.mask & IN_CREATE) {
    out.kind = watch_event_kind::created;
    return true;
  }
  if (ev.mask & IN_MODIFY) {
    out.kind = watch_event_kind::modified;
    return true;
  }
  if (ev.mask & (IN_DELETE | IN_DELETE_SELF)) {
    out.kind = watch_event_kind::removed;
    return true;
  }
  if (ev.mask & (IN_MOVED_FROM | IN_MOVE_SELF)) {
    out.kind = watch_event_kind::renamed_from;
    return true;
  }
  if (ev.mask & IN_MOVED_TO) {
    out.kind = watch_event_kind::renamed_to;
    return true;
  }
  return false;
}

}  // namespace detail::linux_fs

VITTE_DECL result<std::intptr_t> linux_platform::dir_stream_open(native_handle dir) noexcept {
  using detail::linux_fs::dir_stream;
  // A handle read before is at its end: start again.
  if (::lseek(static_cast<int>(dir), 0, SEEK_SET) < 0) return detail::errno_error(ops::dir_open);
  void* mem = std::malloc(sizeof(dir_stream));
  if (mem == nullptr) return error{errc::no_memory, ops::dir_open};
  dir_stream* s = static_cast<dir_stream*>(mem);
  s->fd = static_cast<int>(dir);
  s->pos = 0;
  s->len = 0;
  return reinterpret_cast<std::intptr_t>(s);
}

VITTE_DECL error linux_platform::dir_stream_next(std::intptr_t stream, dir_entry& out) noexcept {
  using detail::linux_fs::dir_stream;
  dir_stream* s = reinterpret_cast<dir_stream*>(stream);
  for (;;) {
    if (s->pos >= s->len) {
      long n = ::syscall(SYS_getdents64, s->fd, s->buf, dir_stream::buffer_size);
      if (n < 0) return detail::errno_error(ops::dir_read);
      s->pos = 0;
      s->len = static_cast<std::uint32_t>(n);
      if (n == 0) {
        out.name = {};
        return {};
      }
    }
    const unsigned char* rec = s->buf + s->pos;
    std::uint64_t ino;
    std::uint16_t reclen;
    std::memcpy(&ino, rec, sizeof ino);
    std::memcpy(&reclen, rec + 16, sizeof reclen);
    s->pos += reclen;
    const char* n = reinterpret_cast<const char*>(rec + 19);
    if (n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0'))) continue;
    out.name = text_view(n);
    out.inode = ino;
    out.type = detail::linux_fs::type_of_dtype(rec[18]);
    return {};
  }
}

VITTE_DECL void linux_platform::dir_stream_close(std::intptr_t stream) noexcept {
  std::free(reinterpret_cast<void*>(stream));
}

VITTE_DECL error linux_platform::file_lock(native_handle h, lock_kind kind, bool wait) noexcept {
  int fd = static_cast<int>(h);
#ifdef F_OFD_SETLK
  if (!detail::linux_fs::ofd_missing().load(vitte::detail::relaxed)) {
    struct ::flock l{};
    l.l_type = kind == lock_kind::shared ? F_RDLCK : F_WRLCK;
    l.l_whence = SEEK_SET;
    if (::fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, &l) == 0) return {};
    if (errno != EINVAL) return detail::posix_fs::lock_error(errno);
    detail::linux_fs::ofd_missing().store(true, vitte::detail::relaxed);  // before Linux 3.15
  }
#endif
  int how = (kind == lock_kind::shared ? LOCK_SH : LOCK_EX) | (wait ? 0 : LOCK_NB);
  return detail::linux_fs::flock_lock(fd, how);
}

VITTE_DECL error linux_platform::file_unlock(native_handle h) noexcept {
  int fd = static_cast<int>(h);
#ifdef F_OFD_SETLK
  if (!detail::linux_fs::ofd_missing().load(vitte::detail::relaxed)) {
    struct ::flock l{};
    l.l_type = F_UNLCK;
    l.l_whence = SEEK_SET;
    if (::fcntl(fd, F_OFD_SETLK, &l) == 0) return {};
    return detail::errno_error(ops::file_unlock);
  }
#endif
  if (::flock(fd, LOCK_UN) == 0) return {};
  return detail::errno_error(ops::file_unlock);
}

VITTE_DECL result<std::size_t> linux_platform::file_copy_chunk(native_handle in, native_handle out,
                                                               std::size_t n) noexcept {
  int from = static_cast<int>(in);
  int to = static_cast<int>(out);
  ssize_t done = ::copy_file_range(from, nullptr, to, nullptr, n, 0);
  if (done >= 0) return static_cast<std::size_t>(done);
  int code = errno;
  if (code == EINTR) return detail::errno_error(ops::copy_file, code);
  // ENOSYS (old kernel, qemu), EXDEV (across file systems), EINVAL and
  // EOPNOTSUPP (special files): sendfile may still copy in the kernel.
  done = ::sendfile(to, from, nullptr, n);
  if (done >= 0) return static_cast<std::size_t>(done);
  code = errno;
  if (code == EINVAL || code == ENOSYS) return error{errc::not_supported, ops::copy_file};
  return detail::errno_error(ops::copy_file, code);
}

VITTE_DECL result<native_handle> linux_platform::watch_open() noexcept {
  using detail::linux_fs::watch_state;
  int fd = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  if (fd < 0) return detail::errno_error(ops::watch);
  void* mem = std::malloc(sizeof(watch_state));
  if (mem == nullptr) {
    ::close(fd);
    return error{errc::no_memory, ops::watch};
  }
  watch_state* w = static_cast<watch_state*>(mem);
  w->fd = fd;
  w->pos = 0;
  w->len = 0;
  return reinterpret_cast<native_handle>(w);
}

VITTE_DECL result<int> linux_platform::watch_add(native_handle w, const char* path) noexcept {
  auto* s = reinterpret_cast<detail::linux_fs::watch_state*>(w);
  int id = ::inotify_add_watch(s->fd, path, detail::linux_fs::watch_mask);
  if (id < 0) return detail::errno_error(ops::watch);
  return id;
}

VITTE_DECL error linux_platform::watch_remove(native_handle w, int id) noexcept {
  auto* s = reinterpret_cast<detail::linux_fs::watch_state*>(w);
  if (::inotify_rm_watch(s->fd, id) != 0) return detail::errno_error(ops::watch);
  return {};
}

VITTE_DECL error linux_platform::watch_next(native_handle w, watch_event& out, std::int64_t deadline_ns) noexcept {
  auto* s = reinterpret_cast<detail::linux_fs::watch_state*>(w);
  for (;;) {
    while (s->pos < s->len) {
      struct inotify_event ev;
      std::memcpy(&ev, s->buf + s->pos, sizeof ev);
      const char* name = reinterpret_cast<const char*>(s->buf + s->pos + sizeof ev);
      s->pos += static_cast<std::uint32_t>(sizeof ev + ev.len);
      if (detail::linux_fs::to_event(ev, name, out)) return {};
    }
    ssize_t n = ::read(s->fd, s->buf, detail::linux_fs::watch_state::buffer_size);
    if (n > 0) {
      s->pos = 0;
      s->len = static_cast<std::uint32_t>(n);
      continue;
    }
    if (n < 0 && errno != EAGAIN) return detail::errno_error(ops::watch);
    struct pollfd p{s->fd, POLLIN, 0};
    int rc = ::poll(&p, 1, detail::linux_fs::poll_timeout_ms(deadline_ns));
    if (rc == 0) return error{errc::timed_out, ops::watch};
    if (rc < 0) return detail::errno_error(ops::watch);
  }
}

VITTE_DECL void linux_platform::watch_close(native_handle w) noexcept {
  auto* s = reinterpret_cast<detail::linux_fs::watch_state*>(w);
  ::close(s->fd);
  std::free(s);
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_DETAIL_LINUX_FS_IPP
