// Definitions of win32_platform's file-system functions (see the fs section
// of vitte/sys/policy/win32.hpp). Header-only mode includes this from the
// policy header; compiled mode compiles it in src/vitte.cpp.
#ifndef VITTE_SYS_DETAIL_WIN32_FS_IPP
#define VITTE_SYS_DETAIL_WIN32_FS_IPP

#include <vitte/base/detail/win32/windows.hpp>
#include <vitte/sys/detail/win32/fs_path.hpp>  // wide_path, to_utf8
#include <vitte/sys/detail/win32/last_error.hpp>
#include <vitte/sys/detail/win32/nt.hpp>        // NtCreateFile's declarations
#include <vitte/sys/detail/win32/platform.ipp>  // proc_address
#include <vitte/sys/policy/win32.hpp>

#include <cstddef>
#include <cstdlib>  // malloc, free
#include <cstring>  // memcpy
#include <cwchar>   // wcslen, wcsncmp

#include <winioctl.h>  // FSCTL_GET_REPARSE_POINT

namespace vitte::sys {

namespace detail::win32_fs {

using namespace detail::win32_nt;  // NtCreateFile's structures and constants

// Win32 values some SDKs (MinGW-w64) lack.
constexpr DWORD symbolic_link_flag_allow_unprivileged_create = 0x2;
constexpr DWORD max_transfer = 1u << 30;
constexpr std::int64_t unix_epoch_filetime = 116'444'736'000'000'000;  // 100 ns ticks from 1601 to 1970

inline HANDLE handle(native_handle h) noexcept { return reinterpret_cast<HANDLE>(h); }

inline std::int64_t filetime_ns(const FILETIME& ft) noexcept {
  std::int64_t ticks =
      static_cast<std::int64_t>((static_cast<std::uint64_t>(ft.dwHighDateTime) << 32) | ft.dwLowDateTime);
  return (ticks - unix_epoch_filetime) * 100;
}

inline FILETIME to_filetime(std::int64_t ns) noexcept {
  std::int64_t ticks = ns / 100 - (ns % 100 < 0 ? 1 : 0) + unix_epoch_filetime;
  auto u = static_cast<std::uint64_t>(ticks);
  return FILETIME{static_cast<DWORD>(u & 0xFFFF'FFFFu), static_cast<DWORD>(u >> 32)};
}

inline bool is_link_tag(DWORD tag) noexcept {
  return tag == IO_REPARSE_TAG_SYMLINK || tag == IO_REPARSE_TAG_MOUNT_POINT;
}

// The type of an open file: a reparse point's tag says whether it is a link.
inline file_type type_of(HANDLE h, DWORD attributes) noexcept {
  if (attributes & FILE_ATTRIBUTE_REPARSE_POINT) {
    FILE_ATTRIBUTE_TAG_INFO tag{};
    if (::GetFileInformationByHandleEx(h, FileAttributeTagInfo, &tag, sizeof tag) && is_link_tag(tag.ReparseTag))
      return file_type::symlink;
  }
  return (attributes & FILE_ATTRIBUTE_DIRECTORY) ? file_type::directory : file_type::regular;
}

inline error stat_handle(HANDLE h, file_status& out) noexcept {
  BY_HANDLE_FILE_INFORMATION info;
  if (!::GetFileInformationByHandle(h, &info)) return last_error(ops::file_stat);
  out.type = type_of(h, info.dwFileAttributes);
  out.permissions = (info.dwFileAttributes & FILE_ATTRIBUTE_READONLY) ? 0444 : 0666;
  out.size = (static_cast<std::uint64_t>(info.nFileSizeHigh) << 32) | info.nFileSizeLow;
  out.mtime_ns = filetime_ns(info.ftLastWriteTime);
  out.atime_ns = filetime_ns(info.ftLastAccessTime);
  // ChangeTime (data or metadata) is only in FILE_BASIC_INFO; without it the
  // stamp falls back to the modification time.
  FILE_BASIC_INFO basic{};
  out.ctime_ns = ::GetFileInformationByHandleEx(h, FileBasicInfo, &basic, sizeof basic)
                     ? filetime_ns(FILETIME{static_cast<DWORD>(basic.ChangeTime.LowPart),
                                            static_cast<DWORD>(basic.ChangeTime.HighPart)})
                     : out.mtime_ns;
  out.device = info.dwVolumeSerialNumber;
  out.inode = (static_cast<std::uint64_t>(info.nFileIndexHigh) << 32) | info.nFileIndexLow;
  out.links = info.nNumberOfLinks;
  return {};
}

// Opens any name (file or directory) for metadata calls.
inline HANDLE open_any(const wide_path& w, DWORD access, bool follow) noexcept {
  DWORD flags = FILE_FLAG_BACKUP_SEMANTICS | (follow ? 0 : FILE_FLAG_OPEN_REPARSE_POINT);
  return ::CreateFileW(w.c_str(), access, share_all, nullptr, OPEN_EXISTING, flags, nullptr);
}

// Opening relative to a directory handle, as openat does: NtCreateFile with
// the directory as the root of the name, so that nothing composes a path from
// the directory's name and renaming the directory (or a component above it)
// cannot redirect the open. Taken for plain relative names; absolute names,
// and names with "." or ".." components, take the path route.
inline nt_create_file_fn nt_create_file() noexcept {
  static const nt_create_file_fn fn = detail::win32::proc_address<nt_create_file_fn>(L"ntdll.dll", "NtCreateFile");
  return fn;
}

// A name NtCreateFile can take relative to a directory: not absolute, no
// empty, "." or ".." component.
inline bool plain_relative(const wchar_t* w, std::size_t n) noexcept {
  if (n == 0 || n > 32767 / sizeof(wchar_t) || w[0] == L'\\' || (n > 1 && w[1] == L':')) return false;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= n; ++i) {
    if (i < n && w[i] != L'\\') continue;
    std::size_t len = i - start;
    if (len == 0 || (len == 1 && w[start] == L'.') || (len == 2 && w[start] == L'.' && w[start + 1] == L'.'))
      return false;
    start = i + 1;
  }
  return true;
}

// NtCreateFile of `name` relative to directory `root`. Sets `handled` to
// false (and returns nothing useful) when this route does not apply.
inline result<HANDLE> open_at(HANDLE root, const char* utf8, ACCESS_MASK access, ULONG disposition, ULONG attributes,
                              ULONG options, operation op, bool& handled) noexcept {
  handled = false;
  nt_create_file_fn create = nt_create_file();
  if (create == nullptr) return HANDLE{};
  wide_path name;
  if (error e = name.assign_text(utf8, op)) return e;
  if (!plain_relative(name.c_str(), name.size())) return HANDLE{};
  handled = true;
  nt_unicode_string us{static_cast<USHORT>(name.size() * sizeof(wchar_t)),
                       static_cast<USHORT>(name.size() * sizeof(wchar_t)), name.c_str()};
  nt_object_attributes oa{sizeof(nt_object_attributes), root, &us, nt_obj_case_insensitive, nullptr, nullptr};
  nt_io_status_block io{};
  HANDLE h = INVALID_HANDLE_VALUE;
  LONG status = create(&h, access | SYNCHRONIZE | FILE_READ_ATTRIBUTES, &oa, &io, nullptr, attributes, share_all,
                       disposition, options | nt_synchronous_io_nonalert, nullptr, 0);
  if (status >= 0) return h;
  if (status == nt_status_file_is_a_directory)
    return error{errc::is_a_directory, op, static_cast<int>(ERROR_ACCESS_DENIED), error_domain::win32};
  if (status == nt_status_not_a_directory)
    return error{errc::not_a_directory, op, static_cast<int>(ERROR_DIRECTORY), error_domain::win32};
  static const rtl_nt_status_to_dos_error_fn to_dos =
      detail::win32::proc_address<rtl_nt_status_to_dos_error_fn>(L"ntdll.dll", "RtlNtStatusToDosError");
  return last_error(op, to_dos != nullptr ? to_dos(status) : ERROR_GEN_FAILURE);
}

inline result<std::size_t> transferred(BOOL ok, DWORD n, operation op) noexcept {
  if (ok) return static_cast<std::size_t>(n);
  DWORD code = ::GetLastError();
  if (code == ERROR_HANDLE_EOF || code == ERROR_BROKEN_PIPE) return std::size_t{0};  // the end
  return last_error(op, code);
}

inline DWORD clamp(std::size_t n) noexcept { return n > max_transfer ? max_transfer : static_cast<DWORD>(n); }

inline OVERLAPPED at_offset(std::uint64_t offset) noexcept {
  OVERLAPPED ov{};
  ov.Offset = static_cast<DWORD>(offset & 0xFFFF'FFFFu);
  ov.OffsetHigh = static_cast<DWORD>(offset >> 32);
  return ov;
}

// A directory stream: the FindFirstFileExW handle, the record it filled, and
// the current name in UTF-8.
struct dir_stream {
  HANDLE find;
  bool pending;  // `data` holds a record not yet reported
  WIN32_FIND_DATAW data;
  char name[MAX_PATH * 3 + 1];
};

}  // namespace detail::win32_fs

// CreateFileW (CREATE_NEW for exclusive, OPEN_ALWAYS, CREATE_ALWAYS,
// TRUNCATE_EXISTING; FILE_APPEND_DATA for append; no_follow refuses a
// reparse point). A file created without write permission bits is read-only.
VITTE_DECL result<native_handle> os_platform_base::file_open(native_handle dir, const char* path, open_mode mode,
                                                             std::uint32_t perms) noexcept {
  using namespace detail::win32_fs;
  wide_path w;
  if (error e = w.assign(dir, path, ops::open)) return e;
  bool read = has(mode, open_mode::read);
  bool append = has(mode, open_mode::append);
  bool write = has(mode, open_mode::write) && !append;
  DWORD access = (read ? GENERIC_READ : 0) | (write ? GENERIC_WRITE : 0);
  if (append) access |= FILE_APPEND_DATA | FILE_WRITE_ATTRIBUTES | FILE_READ_ATTRIBUTES | SYNCHRONIZE;
  bool create = has(mode, open_mode::create) || has(mode, open_mode::exclusive);
  bool truncate = has(mode, open_mode::truncate);
  DWORD disposition = OPEN_EXISTING;
  if (has(mode, open_mode::exclusive))
    disposition = CREATE_NEW;
  else if (create && truncate)
    disposition = CREATE_ALWAYS;
  else if (create)
    disposition = OPEN_ALWAYS;
  else if (truncate)
    disposition = TRUNCATE_EXISTING;
  DWORD attributes = (perms & 0222) == 0 ? FILE_ATTRIBUTE_READONLY : FILE_ATTRIBUTE_NORMAL;
  bool no_follow = has(mode, open_mode::no_follow);
  HANDLE h = INVALID_HANDLE_VALUE;
  if (const dir_object* base = as_dir(dir)) {
    ULONG nt_disposition = disposition == CREATE_NEW          ? nt_file_create
                           : disposition == CREATE_ALWAYS     ? nt_file_overwrite_if
                           : disposition == OPEN_ALWAYS       ? nt_file_open_if
                           : disposition == TRUNCATE_EXISTING ? nt_file_overwrite
                                                              : nt_file_open;
    ULONG options = nt_non_directory_file | (no_follow ? nt_open_reparse_point : 0);
    bool handled = false;
    result<HANDLE> r = open_at(base->h, path, access, nt_disposition, attributes, options, ops::open, handled);
    if (handled && !r) return r.error();
    if (handled) h = *r;
  }
  DWORD flags = attributes | (no_follow ? FILE_FLAG_OPEN_REPARSE_POINT : 0);
  if (h == INVALID_HANDLE_VALUE) h = ::CreateFileW(w.c_str(), access, share_all, nullptr, disposition, flags, nullptr);
  if (h == INVALID_HANDLE_VALUE) {
    DWORD code = ::GetLastError();
    DWORD attrs = ::GetFileAttributesW(w.c_str());
    bool is_dir = attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_DIRECTORY);
    if (code == ERROR_ACCESS_DENIED && is_dir)
      return error{errc::is_a_directory, ops::open, int(code), error_domain::win32};
    return last_error(ops::open, code);
  }
  BY_HANDLE_FILE_INFORMATION info;
  if (no_follow && ::GetFileInformationByHandle(h, &info) && type_of(h, info.dwFileAttributes) == file_type::symlink) {
    ::CloseHandle(h);
    return error{errc::too_many_links, ops::open};
  }
  return reinterpret_cast<native_handle>(h);
}

// CloseHandle.
VITTE_DECL error os_platform_base::file_close(native_handle h) noexcept {
  if (!::CloseHandle(detail::win32_fs::handle(h))) return detail::last_error(ops::close);
  return {};
}

// ReadFile, WriteFile (at most 1 GiB a call); with an OVERLAPPED offset
// for the positional forms, which also move the file position.
VITTE_DECL result<std::size_t> os_platform_base::file_read(native_handle h, void* buf, std::size_t n) noexcept {
  DWORD got = 0;
  BOOL ok = ::ReadFile(detail::win32_fs::handle(h), buf, detail::win32_fs::clamp(n), &got, nullptr);
  return detail::win32_fs::transferred(ok, got, ops::read);
}

VITTE_DECL result<std::size_t> os_platform_base::file_write(native_handle h, const void* buf, std::size_t n) noexcept {
  DWORD put = 0;
  BOOL ok = ::WriteFile(detail::win32_fs::handle(h), buf, detail::win32_fs::clamp(n), &put, nullptr);
  return detail::win32_fs::transferred(ok, put, ops::write);
}

VITTE_DECL result<std::size_t> os_platform_base::file_read_at(native_handle h, void* buf, std::size_t n,
                                                              std::uint64_t offset) noexcept {
  OVERLAPPED ov = detail::win32_fs::at_offset(offset);
  DWORD got = 0;
  BOOL ok = ::ReadFile(detail::win32_fs::handle(h), buf, detail::win32_fs::clamp(n), &got, &ov);
  return detail::win32_fs::transferred(ok, got, ops::read);
}

VITTE_DECL result<std::size_t> os_platform_base::file_write_at(native_handle h, const void* buf, std::size_t n,
                                                               std::uint64_t offset) noexcept {
  OVERLAPPED ov = detail::win32_fs::at_offset(offset);
  DWORD put = 0;
  BOOL ok = ::WriteFile(detail::win32_fs::handle(h), buf, detail::win32_fs::clamp(n), &put, &ov);
  return detail::win32_fs::transferred(ok, put, ops::write);
}

// One ReadFile / WriteFile per buffer until one transfers less (scatter
// I/O on Windows needs unbuffered, page-aligned files).
VITTE_DECL result<std::size_t> os_platform_base::file_read_vec(native_handle h, const mutable_buffer* bufs,
                                                               std::size_t count) noexcept {
  std::size_t total = 0;
  for (std::size_t i = 0; i < count; ++i) {
    result<std::size_t> r = file_read(h, bufs[i].data, bufs[i].size);
    if (!r) return total > 0 ? result<std::size_t>(total) : r;
    total += *r;
    if (*r < bufs[i].size) break;
  }
  return total;
}

VITTE_DECL result<std::size_t> os_platform_base::file_write_vec(native_handle h, const const_buffer* bufs,
                                                                std::size_t count) noexcept {
  std::size_t total = 0;
  for (std::size_t i = 0; i < count; ++i) {
    result<std::size_t> r = file_write(h, bufs[i].data, bufs[i].size);
    if (!r) return total > 0 ? result<std::size_t>(total) : r;
    total += *r;
    if (*r < bufs[i].size) break;
  }
  return total;
}

// SetFilePointerEx.
VITTE_DECL result<std::uint64_t> os_platform_base::file_seek(native_handle h, std::int64_t offset,
                                                             seek_origin origin) noexcept {
  DWORD method = FILE_BEGIN;
  switch (origin) {
    case seek_origin::begin:
      method = FILE_BEGIN;
      break;
    case seek_origin::current:
      method = FILE_CURRENT;
      break;
    case seek_origin::end:
      method = FILE_END;
      break;
  }
  LARGE_INTEGER distance;
  distance.QuadPart = offset;
  LARGE_INTEGER pos;
  if (!::SetFilePointerEx(detail::win32_fs::handle(h), distance, &pos, method)) return detail::last_error(ops::read);
  return static_cast<std::uint64_t>(pos.QuadPart);
}

// GetFileInformationByHandle: volume serial number and file index as identity.
VITTE_DECL error os_platform_base::file_stat(native_handle h, file_status& out) noexcept {
  return detail::win32_fs::stat_handle(detail::win32_fs::handle(h), out);
}

// SetFileInformationByHandle(FileEndOfFileInfo).
VITTE_DECL error os_platform_base::file_truncate(native_handle h, std::uint64_t size) noexcept {
  FILE_END_OF_FILE_INFO eof;
  eof.EndOfFile.QuadPart = static_cast<LONGLONG>(size);
  if (!::SetFileInformationByHandle(detail::win32_fs::handle(h), FileEndOfFileInfo, &eof, sizeof eof))
    return detail::last_error(ops::file_truncate);
  return {};
}

// SetFileTime (keep_time: left as is, now_time: the current time).
VITTE_DECL error os_platform_base::file_set_times(native_handle h, std::int64_t atime_ns,
                                                  std::int64_t mtime_ns) noexcept {
  using namespace detail::win32_fs;
  FILETIME now;
  ::GetSystemTimePreciseAsFileTime(&now);
  FILETIME a = atime_ns == now_time ? now : to_filetime(atime_ns);
  FILETIME m = mtime_ns == now_time ? now : to_filetime(mtime_ns);
  if (!::SetFileTime(handle(h), nullptr, atime_ns == keep_time ? nullptr : &a, mtime_ns == keep_time ? nullptr : &m))
    return detail::last_error(ops::set_times);
  return {};
}

// FileAllocationInfo, then FileEndOfFileInfo to grow the size.
VITTE_DECL error os_platform_base::file_allocate(native_handle h, std::uint64_t offset, std::uint64_t length) noexcept {
  HANDLE f = detail::win32_fs::handle(h);
  FILE_ALLOCATION_INFO alloc;
  alloc.AllocationSize.QuadPart = static_cast<LONGLONG>(offset + length);
  // A hint: file systems (and wine) without it still grow the file below.
  (void)::SetFileInformationByHandle(f, FileAllocationInfo, &alloc, sizeof alloc);
  LARGE_INTEGER size;
  if (!::GetFileSizeEx(f, &size)) return detail::last_error(ops::file_allocate);
  if (static_cast<std::uint64_t>(size.QuadPart) >= offset + length) return {};
  if (error e = file_truncate(h, offset + length)) return error{e.kind(), ops::file_allocate, e.native(), e.domain()};
  return {};
}

// FlushFileBuffers (data_only too).
VITTE_DECL error os_platform_base::file_sync(native_handle h, bool) noexcept {
  if (!::FlushFileBuffers(detail::win32_fs::handle(h))) return detail::last_error(ops::file_sync);
  return {};
}

// LockFileEx / UnlockFileEx on every byte; per handle, and mandatory.
VITTE_DECL error os_platform_base::file_lock(native_handle h, lock_kind kind, bool wait) noexcept {
  DWORD flags = (kind == lock_kind::exclusive ? LOCKFILE_EXCLUSIVE_LOCK : 0) | (wait ? 0 : LOCKFILE_FAIL_IMMEDIATELY);
  OVERLAPPED ov{};
  if (::LockFileEx(detail::win32_fs::handle(h), flags, 0, MAXDWORD, MAXDWORD, &ov)) return {};
  DWORD code = ::GetLastError();
  if (code == ERROR_LOCK_VIOLATION || code == ERROR_IO_PENDING)
    return error{errc::would_block, ops::file_lock, static_cast<int>(code), error_domain::win32};
  return detail::last_error(ops::file_lock, code);
}

VITTE_DECL error os_platform_base::file_unlock(native_handle h) noexcept {
  OVERLAPPED ov{};
  if (!::UnlockFileEx(detail::win32_fs::handle(h), 0, MAXDWORD, MAXDWORD, &ov))
    return detail::last_error(ops::file_unlock);
  return {};
}

// CreateFileW with FILE_FLAG_BACKUP_SEMANTICS, into a vitte directory object.
VITTE_DECL result<native_handle> os_platform_base::dir_open(native_handle dir, const char* path,
                                                            bool no_follow) noexcept {
  using namespace detail::win32_fs;
  wide_path w;
  if (error e = w.assign(dir, path, ops::dir_open)) return e;
  if (error e = w.make_absolute(ops::dir_open)) return e;
  DWORD access = FILE_LIST_DIRECTORY | FILE_READ_ATTRIBUTES | SYNCHRONIZE;
  HANDLE h = INVALID_HANDLE_VALUE;
  if (const dir_object* base = as_dir(dir)) {  // the handle relative to the parent's; the name for bookkeeping
    bool handled = false;
    ULONG options = nt_directory_file | (no_follow ? nt_open_reparse_point : 0);
    result<HANDLE> r = open_at(base->h, path, access | FILE_TRAVERSE, nt_file_open, 0, options, ops::dir_open, handled);
    if (handled && !r) return r.error();
    if (handled) h = *r;
  }
  if (h == INVALID_HANDLE_VALUE) h = open_any(w, access, !no_follow);
  if (h == INVALID_HANDLE_VALUE) return last_error(ops::dir_open);
  // Attributes and reparse tag only: nothing that needs the name, which the
  // handle may have outlived (a renamed parent).
  FILE_ATTRIBUTE_TAG_INFO info{};
  errc refused = errc::ok;
  if (!::GetFileInformationByHandleEx(h, FileAttributeTagInfo, &info, sizeof info))
    refused = errc::io_error;
  else if (no_follow && (info.FileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) && is_link_tag(info.ReparseTag))
    refused = errc::too_many_links;
  else if (!(info.FileAttributes & FILE_ATTRIBUTE_DIRECTORY))
    refused = errc::not_a_directory;
  void* mem = refused == errc::ok ? std::malloc(sizeof(dir_object) + w.size() * sizeof(wchar_t)) : nullptr;
  if (mem == nullptr) {
    ::CloseHandle(h);
    return error{refused == errc::ok ? errc::no_memory : refused, ops::dir_open};
  }
  dir_object* d = static_cast<dir_object*>(mem);
  d->h = h;
  d->length = w.size();
  std::memcpy(d->path, w.c_str(), (w.size() + 1) * sizeof(wchar_t));
  return reinterpret_cast<native_handle>(d);
}

VITTE_DECL void os_platform_base::dir_close(native_handle h) noexcept {
  auto* d = reinterpret_cast<detail::win32_fs::dir_object*>(h);
  ::CloseHandle(d->h);
  std::free(d);
}

// Nothing: renames are written through (MOVEFILE_WRITE_THROUGH).
VITTE_DECL error os_platform_base::dir_sync(native_handle) noexcept { return {}; }

// FindFirstFileExW(FindExInfoBasic, FIND_FIRST_EX_LARGE_FETCH), FindNextFileW.
VITTE_DECL result<std::intptr_t> os_platform_base::dir_stream_open(native_handle dir) noexcept {
  using namespace detail::win32_fs;
  wide_path pattern;
  if (error e = pattern.assign(dir, "*", ops::dir_open)) return e;
  void* mem = std::malloc(sizeof(dir_stream));
  if (mem == nullptr) return error{errc::no_memory, ops::dir_open};
  dir_stream* s = static_cast<dir_stream*>(mem);
  s->find = ::FindFirstFileExW(pattern.c_str(), FindExInfoBasic, &s->data, FindExSearchNameMatch, nullptr,
                               FIND_FIRST_EX_LARGE_FETCH);
  s->pending = s->find != INVALID_HANDLE_VALUE;
  if (s->find == INVALID_HANDLE_VALUE && ::GetLastError() != ERROR_FILE_NOT_FOUND) {
    error e = last_error(ops::dir_open);
    std::free(s);
    return e;
  }
  return reinterpret_cast<std::intptr_t>(s);
}

VITTE_DECL error os_platform_base::dir_stream_next(std::intptr_t stream, dir_entry& out) noexcept {
  using namespace detail::win32_fs;
  dir_stream* s = reinterpret_cast<dir_stream*>(stream);
  for (;;) {
    if (!s->pending) {
      if (s->find == INVALID_HANDLE_VALUE || !::FindNextFileW(s->find, &s->data)) {
        DWORD code = s->find == INVALID_HANDLE_VALUE ? ERROR_NO_MORE_FILES : ::GetLastError();
        out.name = {};
        return code == ERROR_NO_MORE_FILES ? error{} : last_error(ops::dir_read, code);
      }
    }
    s->pending = false;
    const wchar_t* n = s->data.cFileName;
    if (n[0] == L'.' && (n[1] == L'\0' || (n[1] == L'.' && n[2] == L'\0'))) continue;
    result<std::size_t> len = to_utf8(n, std::wcslen(n), s->name, sizeof s->name, ops::dir_read);
    if (!len) return len.error();
    DWORD attrs = s->data.dwFileAttributes;
    out.name = text_view(s->name, *len);
    out.inode = 0;
    out.type = (attrs & FILE_ATTRIBUTE_DIRECTORY) ? file_type::directory : file_type::regular;
    if ((attrs & FILE_ATTRIBUTE_REPARSE_POINT) && is_link_tag(s->data.dwReserved0)) out.type = file_type::symlink;
    return {};
  }
}

VITTE_DECL void os_platform_base::dir_stream_close(std::intptr_t stream) noexcept {
  auto* s = reinterpret_cast<detail::win32_fs::dir_stream*>(stream);
  if (s->find != INVALID_HANDLE_VALUE) ::FindClose(s->find);
  std::free(s);
}

// CreateFileW (FILE_READ_ATTRIBUTES; FILE_FLAG_OPEN_REPARSE_POINT unless
// `follow`) and GetFileInformationByHandle.
VITTE_DECL error os_platform_base::path_stat(native_handle dir, const char* path, bool follow,
                                             file_status& out) noexcept {
  using namespace detail::win32_fs;
  wide_path w;
  if (error e = w.assign(dir, path, ops::file_stat)) return e;
  HANDLE h = open_any(w, FILE_READ_ATTRIBUTES, follow);
  if (h == INVALID_HANDLE_VALUE) return last_error(ops::file_stat);
  error e = stat_handle(h, out);
  ::CloseHandle(h);
  return e;
}

// CreateDirectoryW.
VITTE_DECL error os_platform_base::dir_create(native_handle dir, const char* path, std::uint32_t) noexcept {
  using namespace detail::win32_fs;
  wide_path w;
  if (error e = w.assign(dir, path, ops::dir_create)) return e;
  if (!::CreateDirectoryW(w.c_str(), nullptr)) return detail::last_error(ops::dir_create);
  return {};
}

// DeleteFileW (clearing the read-only attribute, as POSIX unlinks
// read-only files; RemoveDirectoryW for directory links), RemoveDirectoryW.
VITTE_DECL error os_platform_base::path_remove(native_handle dir, const char* path, bool directory) noexcept {
  using namespace detail::win32_fs;
  operation op = directory ? ops::dir_remove : ops::remove;
  wide_path w;
  if (error e = w.assign(dir, path, op)) return e;
  if (directory) {
    if (!::RemoveDirectoryW(w.c_str())) return last_error(op);
    return {};
  }
  if (::DeleteFileW(w.c_str())) return {};
  DWORD code = ::GetLastError();
  DWORD attrs = ::GetFileAttributesW(w.c_str());
  if (code != ERROR_ACCESS_DENIED || attrs == INVALID_FILE_ATTRIBUTES) return last_error(op, code);
  // A link to a directory goes with RemoveDirectoryW; a read-only file can
  // be removed once writable (POSIX removes it regardless).
  bool dir_link = (attrs & FILE_ATTRIBUTE_DIRECTORY) && (attrs & FILE_ATTRIBUTE_REPARSE_POINT);
  if (dir_link) return ::RemoveDirectoryW(w.c_str()) ? error{} : last_error(op);
  if (!(attrs & FILE_ATTRIBUTE_READONLY) || (attrs & FILE_ATTRIBUTE_DIRECTORY)) return last_error(op, code);
  ::SetFileAttributesW(w.c_str(), attrs & ~DWORD{FILE_ATTRIBUTE_READONLY});
  if (::DeleteFileW(w.c_str())) return {};
  error e = last_error(op);
  ::SetFileAttributesW(w.c_str(), attrs);
  return e;
}

// MoveFileExW(MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH).
VITTE_DECL error os_platform_base::path_rename(native_handle from_dir, const char* from, native_handle to_dir,
                                               const char* to) noexcept {
  using namespace detail::win32_fs;
  wide_path a, b;
  if (error e = a.assign(from_dir, from, ops::rename)) return e;
  if (error e = b.assign(to_dir, to, ops::rename)) return e;
  if (::MoveFileExW(a.c_str(), b.c_str(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) return {};
  const DWORD code = ::GetLastError();
  // POSIX replaces an empty directory with a directory (and refuses a
  // full one); Windows refuses both: remove the empty one, then move.
  const DWORD from_attrs = ::GetFileAttributesW(a.c_str()), to_attrs = ::GetFileAttributesW(b.c_str());
  const auto is_dir = [](DWORD at) { return at != INVALID_FILE_ATTRIBUTES && (at & FILE_ATTRIBUTE_DIRECTORY); };
  if (!is_dir(from_attrs) || !is_dir(to_attrs)) return detail::last_error(ops::rename, code);
  if (!::RemoveDirectoryW(b.c_str())) return detail::last_error(ops::rename);
  if (!::MoveFileExW(a.c_str(), b.c_str(), MOVEFILE_WRITE_THROUGH)) return detail::last_error(ops::rename);
  return {};
}

// CreateHardLinkW.
VITTE_DECL error os_platform_base::path_link(native_handle from_dir, const char* from, native_handle to_dir,
                                             const char* to) noexcept {
  using namespace detail::win32_fs;
  wide_path a, b;
  if (error e = a.assign(from_dir, from, ops::link)) return e;
  if (error e = b.assign(to_dir, to, ops::link)) return e;
  if (!::CreateHardLinkW(b.c_str(), a.c_str(), nullptr)) return detail::last_error(ops::link);
  return {};
}

// CreateSymbolicLinkW (unprivileged in developer mode; a directory link
// when the target is a directory).
VITTE_DECL error os_platform_base::path_symlink(const char* target, native_handle dir, const char* path) noexcept {
  using namespace detail::win32_fs;
  wide_path link, text, resolved;
  if (error e = link.assign(dir, path, ops::symlink)) return e;
  if (error e = text.assign_text(target, ops::symlink)) return e;
  // A link to a directory must say so; a relative target counts from the
  // link's directory.
  if (error e = link.make_absolute(ops::symlink)) return e;
  std::size_t cut = link.size();
  while (cut > 0 && link.c_str()[cut - 1] != L'\\') --cut;
  bool absolute = target[0] == '/' || target[0] == '\\' || (target[0] != '\0' && target[1] == ':');
  DWORD attrs = ::GetFileAttributesW(text.c_str());
  if (!absolute) {
    std::size_t need = cut + text.size() + 1;
    wchar_t* joined = static_cast<wchar_t*>(std::malloc(need * sizeof(wchar_t)));
    if (joined == nullptr) return error{errc::no_memory, ops::symlink};
    std::memcpy(joined, link.c_str(), cut * sizeof(wchar_t));
    std::memcpy(joined + cut, text.c_str(), (text.size() + 1) * sizeof(wchar_t));
    attrs = ::GetFileAttributesW(joined);
    std::free(joined);
  }
  DWORD flags =
      (attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_DIRECTORY)) ? SYMBOLIC_LINK_FLAG_DIRECTORY : 0;
  if (::CreateSymbolicLinkW(link.c_str(), text.c_str(), flags | symbolic_link_flag_allow_unprivileged_create))
    return {};
  if (::GetLastError() == ERROR_INVALID_PARAMETER && ::CreateSymbolicLinkW(link.c_str(), text.c_str(), flags))
    return {};  // before Windows 10 1703, which added the unprivileged flag
  return last_error(ops::symlink);
}

// FSCTL_GET_REPARSE_POINT: the print name of a symbolic link or junction.
VITTE_DECL result<std::size_t> os_platform_base::path_read_link(native_handle dir, const char* path, char* buf,
                                                                std::size_t n) noexcept {
  using namespace detail::win32_fs;
  wide_path w;
  if (error e = w.assign(dir, path, ops::read_link)) return e;
  HANDLE h = open_any(w, FILE_READ_ATTRIBUTES, false);
  if (h == INVALID_HANDLE_VALUE) return last_error(ops::read_link);
  // REPARSE_DATA_BUFFER (ntifs.h): tag, lengths, then for symbolic links
  // four name offsets and flags, for junctions the offsets alone.
  constexpr std::size_t size = 16 * 1024;  // MAXIMUM_REPARSE_DATA_BUFFER_SIZE
  void* mem = std::malloc(size);
  if (mem == nullptr) {
    ::CloseHandle(h);
    return error{errc::no_memory, ops::read_link};
  }
  DWORD got = 0;
  BOOL ok = ::DeviceIoControl(h, FSCTL_GET_REPARSE_POINT, nullptr, 0, mem, size, &got, nullptr);
  DWORD code = ::GetLastError();
  ::CloseHandle(h);
  const unsigned char* b = static_cast<const unsigned char*>(mem);
  DWORD tag = 0;
  if (ok) std::memcpy(&tag, b, sizeof tag);
  if (!ok || !is_link_tag(tag)) {
    std::free(mem);
    return ok ? error{errc::invalid_argument, ops::read_link} : last_error(ops::read_link, code);
  }
  USHORT offsets[4];  // substitute offset, length, print offset, length (bytes)
  std::memcpy(offsets, b + 8, sizeof offsets);
  const unsigned char* names = b + 16 + (tag == IO_REPARSE_TAG_SYMLINK ? 4 : 0);
  bool print = offsets[3] != 0;
  USHORT off = print ? offsets[2] : offsets[0];
  USHORT len = print ? offsets[3] : offsets[1];
  const wchar_t* name = reinterpret_cast<const wchar_t*>(names + off);
  std::size_t chars = len / sizeof(wchar_t);
  if (!print && chars >= 4 && name[0] == L'\\' && name[1] == L'?' && name[2] == L'?' && name[3] == L'\\') {
    name += 4;  // \??\C:\target
    chars -= 4;
  }
  result<std::size_t> r = to_utf8(name, chars, buf, n, ops::read_link);
  std::free(mem);
  return r;
}

// SetFileTime (100 ns resolution).
VITTE_DECL error os_platform_base::path_set_times(native_handle dir, const char* path, std::int64_t atime_ns,
                                                  std::int64_t mtime_ns, bool follow) noexcept {
  using namespace detail::win32_fs;
  wide_path w;
  if (error e = w.assign(dir, path, ops::set_times)) return e;
  HANDLE h = open_any(w, FILE_WRITE_ATTRIBUTES, follow);
  if (h == INVALID_HANDLE_VALUE) return last_error(ops::set_times);
  FILETIME now;
  ::GetSystemTimePreciseAsFileTime(&now);
  FILETIME a = atime_ns == now_time ? now : to_filetime(atime_ns);
  FILETIME m = mtime_ns == now_time ? now : to_filetime(mtime_ns);
  BOOL ok = ::SetFileTime(h, nullptr, atime_ns == keep_time ? nullptr : &a, mtime_ns == keep_time ? nullptr : &m);
  error e = ok ? error{} : last_error(ops::set_times);
  ::CloseHandle(h);
  return e;
}

// The read-only attribute: set when `perms` has no write bit.
VITTE_DECL error os_platform_base::path_set_permissions(native_handle dir, const char* path, std::uint32_t perms,
                                                        bool) noexcept {
  using namespace detail::win32_fs;
  wide_path w;
  if (error e = w.assign(dir, path, ops::set_permissions)) return e;
  DWORD attrs = ::GetFileAttributesW(w.c_str());
  if (attrs == INVALID_FILE_ATTRIBUTES) return detail::last_error(ops::set_permissions);
  DWORD want = (perms & 0222) == 0 ? attrs | FILE_ATTRIBUTE_READONLY : attrs & ~DWORD{FILE_ATTRIBUTE_READONLY};
  if (want != attrs && !::SetFileAttributesW(w.c_str(), want)) return detail::last_error(ops::set_permissions);
  return {};
}

// CopyFileExW (COPY_FILE_FAIL_IF_EXISTS unless `overwrite`).
VITTE_DECL error os_platform_base::path_copy(const char* from, const char* to, bool overwrite) noexcept {
  using namespace detail::win32_fs;
  wide_path a, b;
  if (error e = a.assign(cwd_handle, from, ops::copy_file)) return e;
  if (error e = b.assign(cwd_handle, to, ops::copy_file)) return e;
  if (!::CopyFileExW(a.c_str(), b.c_str(), nullptr, nullptr, nullptr, overwrite ? 0 : COPY_FILE_FAIL_IF_EXISTS))
    return detail::last_error(ops::copy_file);
  return {};
}

// errc::not_supported (path_copy does the job).
VITTE_DECL result<std::size_t> os_platform_base::file_copy_chunk(native_handle, native_handle, std::size_t) noexcept {
  return error{errc::not_supported, ops::copy_file};
}

// GetCurrentDirectoryW, SetCurrentDirectoryW.
VITTE_DECL result<std::size_t> os_platform_base::current_directory(char* buf, std::size_t n) noexcept {
  DWORD need = ::GetCurrentDirectoryW(0, nullptr);
  if (need == 0) return detail::last_error(ops::current_directory);
  wchar_t* w = static_cast<wchar_t*>(std::malloc(need * sizeof(wchar_t)));
  if (w == nullptr) return error{errc::no_memory, ops::current_directory};
  DWORD got = ::GetCurrentDirectoryW(need, w);
  result<std::size_t> r = got == 0 || got >= need ? detail::last_error(ops::current_directory)
                                                  : detail::win32_fs::to_utf8(w, got, buf, n, ops::current_directory);
  std::free(w);
  return r;
}

VITTE_DECL error os_platform_base::set_current_directory(const char* path) noexcept {
  using namespace detail::win32_fs;
  wide_path w;
  if (error e = w.assign(cwd_handle, path, ops::current_directory)) return e;
  if (!::SetCurrentDirectoryW(w.c_str())) return detail::last_error(ops::current_directory);
  return {};
}

// GetFinalPathNameByHandleW, without the \\?\ prefix.
VITTE_DECL result<std::size_t> os_platform_base::canonical_path(const char* path, char* buf, std::size_t n) noexcept {
  using namespace detail::win32_fs;
  wide_path w;
  if (error e = w.assign(cwd_handle, path, ops::canonical)) return e;
  HANDLE h = open_any(w, 0, true);
  if (h == INVALID_HANDLE_VALUE) return last_error(ops::canonical);
  DWORD need = ::GetFinalPathNameByHandleW(h, nullptr, 0, FILE_NAME_NORMALIZED | VOLUME_NAME_DOS);
  wchar_t* full = need != 0 ? static_cast<wchar_t*>(std::malloc((need + 1) * sizeof(wchar_t))) : nullptr;
  DWORD got =
      full != nullptr ? ::GetFinalPathNameByHandleW(h, full, need + 1, FILE_NAME_NORMALIZED | VOLUME_NAME_DOS) : 0;
  error e = got == 0 || got > need ? last_error(ops::canonical) : error{};
  ::CloseHandle(h);
  if (e) {
    std::free(full);
    return e;
  }
  // \\?\C:\x -> C:\x; \\?\UNC\server\share -> \\server\share.
  const wchar_t* p = full;
  std::size_t len = got;
  bool verbatim = len >= 4 && p[0] == L'\\' && p[1] == L'\\' && p[2] == L'?' && p[3] == L'\\';
  bool unc = verbatim && len >= 8 && std::wcsncmp(p + 4, L"UNC\\", 4) == 0;
  if (unc) {
    p += 6;
    len -= 6;
    full[6] = L'\\';
  } else if (verbatim) {
    p += 4;
    len -= 4;
  }
  result<std::size_t> r = to_utf8(p, len, buf, n, ops::canonical);
  std::free(full);
  return r;
}

// GetTempPathW, without the trailing separator.
VITTE_DECL result<std::size_t> os_platform_base::temp_directory(char* buf, std::size_t n) noexcept {
  wchar_t w[MAX_PATH + 2];
  DWORD got = ::GetTempPathW(MAX_PATH + 2, w);
  if (got == 0 || got > MAX_PATH + 1) return detail::last_error(ops::temp_create);
  while (got > 3 && w[got - 1] == L'\\') --got;  // keep C:\ whole
  return detail::win32_fs::to_utf8(w, got, buf, n, ops::temp_create);
}

// CreateFileMappingW + MapViewOfFile (FILE_MAP_COPY for map_mode::copy);
// the mapping handle is closed at once (the view keeps it alive).
VITTE_DECL result<void*> os_platform_base::file_map(native_handle h, std::uint64_t offset, std::size_t size,
                                                    map_mode mode) noexcept {
  DWORD protect = mode == map_mode::read ? PAGE_READONLY : mode == map_mode::copy ? PAGE_WRITECOPY : PAGE_READWRITE;
  DWORD access = mode == map_mode::read ? FILE_MAP_READ : mode == map_mode::copy ? FILE_MAP_COPY : FILE_MAP_WRITE;
  HANDLE m = ::CreateFileMappingW(detail::win32_fs::handle(h), nullptr, protect, 0, 0, nullptr);
  if (m == nullptr) return detail::last_error(ops::map_file);
  void* p =
      ::MapViewOfFile(m, access, static_cast<DWORD>(offset >> 32), static_cast<DWORD>(offset & 0xFFFF'FFFFu), size);
  error e = p == nullptr ? detail::last_error(ops::map_file) : error{};
  ::CloseHandle(m);
  if (e) return e;
  return p;
}

// UnmapViewOfFile, FlushViewOfFile.
VITTE_DECL error os_platform_base::file_unmap(void* p, std::size_t) noexcept {
  if (!::UnmapViewOfFile(p)) return detail::last_error(ops::map_file);
  return {};
}

VITTE_DECL error os_platform_base::file_map_sync(void* p, std::size_t size) noexcept {
  if (!::FlushViewOfFile(p, size)) return detail::last_error(ops::file_sync);
  return {};
}

}  // namespace vitte::sys

#include <vitte/sys/detail/win32/watch.ipp>  // the watcher: a file of its own, reached with the rest of fs

#endif  // VITTE_SYS_DETAIL_WIN32_FS_IPP
