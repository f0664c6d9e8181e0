// vitte/sys/metadata.hpp - what a name is: type, size, times, permissions,
// identity.
//
// stat follows symbolic links, lstat describes the link itself; both fill
// the portable file_status (vitte/sys/fs_types.hpp). An open file reports
// its own with basic_file::stat (fstat).
//
//   namespace sys = vitte::sys;
//   sys::file_status st = sys::stat("data.bin").value();
//   if (st.type == sys::file_type::regular && st.size > 0) { ... }
//   bool same = st.same_file(sys::stat("link-to-data").value());   // dev + inode
//   sys::set_times("data.bin", sys::keep_time, st.mtime_ns - 1'000'000'000).value();
//   sys::set_permissions("data.bin", 0600).value();
//   if (!sys::exists("cache").value()) { ... }
//
// Times are nanoseconds since the Unix epoch on every platform.
#ifndef VITTE_SYS_METADATA_HPP
#define VITTE_SYS_METADATA_HPP

#include <vitte/base.hpp>
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/fs_types.hpp>
#include <vitte/sys/operations.hpp>
#include <vitte/sys/path.hpp>
#include <vitte/sys/platform.hpp>

#include <cstdint>

namespace vitte::sys {

/// Metadata of `path`, following symbolic links.
/// Errors (file_stat): not_found, permission_denied, too_many_links (a loop), ...
/// Thread safety: may be called concurrently.
template <class P = platform>
result<file_status> stat(const path_arg& path) noexcept;

/// Metadata of `path` itself: a symbolic link is described, not followed.
/// Errors (file_stat): as stat().
template <class P = platform>
result<file_status> lstat(const path_arg& path) noexcept;

/// True when `path` names something (following links: false for a dangling
/// link). Errors (file_stat): those other than not_found.
template <class P = platform>
result<bool> exists(const path_arg& path) noexcept;

/// The size of the file at `path` (following links). Errors (file_stat).
template <class P = platform>
result<std::uint64_t> file_size(const path_arg& path) noexcept;

/// Sets the access and modification times of `path` (nanoseconds since the
/// Unix epoch; keep_time leaves one as it is, now_time sets it to now).
/// With `follow` false a link's own times change. Errors (set_times).
template <class P = platform>
status set_times(const path_arg& path, std::int64_t atime_ns, std::int64_t mtime_ns, bool follow = true) noexcept;

/// Sets the permission bits of `path` (07777). On Windows only the write
/// bits count: without any, the file becomes read-only. Errors (set_permissions).
template <class P = platform>
status set_permissions(const path_arg& path, std::uint32_t permissions, bool follow = true) noexcept;

}  // namespace vitte::sys

#include <vitte/sys/impl/metadata.hpp>

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/fs.ipp>  // the backend's definitions
#endif

#endif  // VITTE_SYS_METADATA_HPP
