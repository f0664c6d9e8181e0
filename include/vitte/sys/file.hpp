// vitte/sys/file.hpp - open files: reading, writing, syncing and locking.
//
// A file owns an OS handle (a descriptor, a HANDLE) and closes it when
// destroyed. Every handle is close-on-exec. Reads and writes loop over short
// transfers and retry interruptions (EINTR), so `write` writes everything or
// reports why not:
//
//   namespace sys = vitte::sys;
//   using sys::open_mode;
//   auto f = sys::file::open("data.bin", open_mode::write | open_mode::create | open_mode::truncate).value();
//   f.write("header\n").value();
//   f.sync().value();                                      // fsync / FlushFileBuffers
//
//   auto g = sys::file::open("data.bin", open_mode::read).value();
//   std::byte buf[4096];
//   std::size_t n = g.read(buf).value();                   // fills buf, or stops at the end
//   g.lock(sys::lock_kind::shared, sys::deadline::after(std::chrono::seconds(1))).value();
//
// To open relative to a directory handle without re-resolving its path
// (race-free, like openat), see basic_directory::open_file in
// vitte/sys/directory.hpp. Whole-file helpers (read_file, write_file,
// atomic_replace) are in vitte/sys/whole_file.hpp.
//
// Errors carry the operation (open, read, write, file_sync, file_lock, ...)
// and the OS code; a closed file reports errc::bad_descriptor.
#ifndef VITTE_SYS_FILE_HPP
#define VITTE_SYS_FILE_HPP

#include <vitte/base.hpp>
#include <vitte/base/span.hpp>       // buffers
#include <vitte/base/text_view.hpp>  // write(text_view)
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/detail/owned_handle.hpp>  // move-only ownership
#include <vitte/sys/fs_types.hpp>
#include <vitte/sys/operations.hpp>
#include <vitte/sys/path.hpp>
#include <vitte/sys/platform.hpp>
#include <vitte/sys/time.hpp>  // lock deadlines

#include <cstddef>  // std::byte, std::size_t
#include <cstdint>  // offsets

namespace vitte::sys {

/// Default permissions of files vitte creates (the process umask applies).
inline constexpr std::uint32_t default_file_permissions = 0666;

/// An open file: a move-only owner of a native handle.
///
/// Thread safety: a value type. Positional calls (read_at, write_at) on one
/// file may run concurrently; calls that use the file position (read, write,
/// seek) on one file need the caller's serialisation. On Windows,
/// positional calls also move the file position.
namespace detail {
template <class P>
struct close_file {
  static void close(native_handle h) noexcept { (void)P::file_close(h); }
};
}  // namespace detail

template <class P>
class basic_file : private detail::owned_handle<detail::close_file<P>> {
  VITTE_REQUIRE_CAPABILITY(P, file);
  using handle = detail::owned_handle<detail::close_file<P>>;
  using handle::h_;

 public:
  using policy = P;

  /// A closed file. Moving a file moves its handle; destroying one closes
  /// the handle and ignores errors (call close() to see them).
  constexpr basic_file() noexcept = default;
  /// Adopts `h`, which the file now closes.
  constexpr explicit basic_file(native_handle h) noexcept : handle(h) {}

  /// Opens `path` (relative paths from the current directory) with `mode`;
  /// a created file gets `permissions` less the umask.
  /// Errors (open): invalid_argument for a mode without read, write or
  /// append, or truncate without write; not_found, already_exists (exclusive),
  /// permission_denied, is_a_directory, too_many_links (no_follow met a
  /// link), too_many_open_files, ... Interruptions are retried.
  static result<basic_file> open(const path_arg& path, open_mode mode,
                                 std::uint32_t permissions = default_file_permissions) noexcept;

  /// As open(), with a relative `path` resolved from the directory `dir`
  /// (a native directory handle, or cwd_handle) instead of the current
  /// directory: the *at() form that no rename of `dir`'s path can redirect.
  static result<basic_file> open_at(native_handle dir, const path_arg& path, open_mode mode,
                                    std::uint32_t permissions = default_file_permissions) noexcept;

  /// native(): the handle (invalid_handle when closed); is_open() and
  /// operator bool: whether one is held; release(): gives it up unclosed.
  using handle::is_open;
  using handle::native;
  using handle::operator bool;
  using handle::release;
  /// Closes the handle and reports what the OS says (close can report a
  /// write error the file system deferred). The file is closed either way.
  status close() noexcept;

  /// One read: at most buf.size() bytes, 0 at the end of the file.
  /// Interruptions are retried. Errors (read): what the OS reports.
  result<std::size_t> read_some(span<std::byte> buf) noexcept;
  /// Reads until buf is full or the file ends; returns the count (less than
  /// buf.size() only at the end). Errors (read): what the OS reports.
  result<std::size_t> read(span<std::byte> buf) noexcept;
  /// Reads exactly buf.size() bytes. Errors (read): unexpected_eof when the
  /// file ends first, what the OS reports.
  status read_exact(span<std::byte> buf) noexcept;
  /// Writes all of `data`, looping over short writes.
  /// Errors (write): no_space, io_error, what the OS reports.
  status write(span<const std::byte> data) noexcept;
  /// Writes the characters of `text`.
  status write(text_view text) noexcept {
    return write(vitte::as_bytes(vitte::span<const char>(text.data(), text.size())));
  }

  /// read() at `offset`, without using the file position (pread).
  result<std::size_t> read_at(span<std::byte> buf, std::uint64_t offset) noexcept;
  /// write() at `offset`, without using the file position (pwrite).
  status write_at(span<const std::byte> data, std::uint64_t offset) noexcept;
  /// Vectored read: fills the buffers in order until all are full or the
  /// file ends; returns the count (readv).
  result<std::size_t> read_vec(span<const mutable_buffer> bufs) noexcept;
  /// Vectored write: writes every buffer in order (writev).
  status write_vec(span<const const_buffer> bufs) noexcept;

  /// Moves the file position; returns the new one. Errors: invalid_argument
  /// for a position before the start.
  result<std::uint64_t> seek(std::int64_t offset, seek_origin origin = seek_origin::begin) noexcept;
  /// The file's metadata (fstat). Errors (file_stat).
  result<file_status> stat() const noexcept;
  /// The size in bytes. Errors (file_stat).
  result<std::uint64_t> size() const noexcept;
  /// Sets the size: cuts, or extends with zeros. Errors (file_truncate).
  status truncate(std::uint64_t size) noexcept;
  /// Sets the access and modification times (nanoseconds since the Unix
  /// epoch; keep_time leaves one as it is, now_time sets it to now).
  /// Errors (set_times).
  status set_times(std::int64_t atime_ns, std::int64_t mtime_ns) noexcept;
  /// Makes the file system reserve space for the first `size` bytes, so that
  /// writes there cannot fail with no_space; grows the file to `size` when
  /// smaller (posix_fallocate). Errors (file_allocate): no_space, not_supported.
  status allocate(std::uint64_t size) noexcept;
  /// Writes data and metadata to the device (fsync, FlushFileBuffers).
  status sync() noexcept;
  /// Writes data, and the metadata needed to read it back, to the device (fdatasync).
  status data_sync() noexcept;

  /// Takes an advisory lock on the whole file, waiting until `d` at most.
  /// Errors (file_lock): timed_out, what the OS reports. Locks are advisory
  /// on POSIX (only lock calls see them) and mandatory on Windows (other
  /// handles cannot read or write a range locked exclusively).
  status lock(lock_kind kind, basic_deadline<P> d = basic_deadline<P>::never()) noexcept;
  /// Takes the lock if nobody else holds a conflicting one; false otherwise.
  result<bool> try_lock(lock_kind kind) noexcept;
  /// Drops this handle's lock. Errors (file_unlock).
  status unlock() noexcept;
};

/// A file of the default platform.
using file = basic_file<platform>;

}  // namespace vitte::sys

#include <vitte/sys/impl/file.hpp>

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/fs.ipp>  // the backend's definitions
#endif

#endif  // VITTE_SYS_FILE_HPP
