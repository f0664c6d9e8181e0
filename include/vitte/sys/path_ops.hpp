// vitte/sys/path_ops.hpp - operations on names: rename, links, copies, the
// current directory, canonical and temporary paths.
//
//   namespace sys = vitte::sys;
//   sys::rename("draft.txt", "final.txt").value();        // replaces final.txt atomically
//   sys::copy_file("final.txt", "backup.txt", {.overwrite = true}).value();
//   sys::create_symlink("final.txt", "latest").value();
//   std::string target = sys::read_symlink("latest").value();   // "final.txt"
//   std::string here = sys::current_directory().value();
//   std::string real = sys::canonical("../x/./y").value();      // absolute, no links, no dots
//   std::string tmp = sys::temp_directory_path().value();       // $TMPDIR or /tmp; GetTempPathW
//
// copy_file takes the fastest way the platform has: CopyFileExW on Windows;
// copy_file_range, then sendfile on Linux (in the kernel, and a reflink where
// the file system shares blocks); a read/write loop elsewhere.
#ifndef VITTE_SYS_PATH_OPS_HPP
#define VITTE_SYS_PATH_OPS_HPP

#include <vitte/base.hpp>
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/file.hpp>
#include <vitte/sys/operations.hpp>
#include <vitte/sys/path.hpp>
#include <vitte/sys/platform.hpp>

namespace vitte::sys {

/// Renames `from` to `to`, replacing `to` atomically when it exists (a
/// file, or an empty directory when `from` is one). Errors (rename):
/// cross_device, directory_not_empty, ...
/// Thread safety: may be called concurrently.
template <class P = platform>
status rename(const path_arg& from, const path_arg& to) noexcept;

/// Makes `link` a new name of the file `existing` (a hard link).
/// Errors (link): already_exists, cross_device, ...
template <class P = platform>
status create_hard_link(const path_arg& existing, const path_arg& link) noexcept;

/// Makes `link` a symbolic link holding `target` (which need not exist).
/// On Windows, creating links needs developer mode or a privilege
/// (permission_denied otherwise). Errors (symlink).
template <class P = platform>
status create_symlink(const path_arg& target, const path_arg& link) noexcept;

/// The text a symbolic link holds. Errors (read_link): invalid_argument when
/// `path` is not a link, ...
template <class P = platform>
result<text> read_symlink(const path_arg& path);

/// copy_file() options.
struct copy_options {
  bool overwrite = false;  ///< Replace an existing `to`; otherwise already_exists.
};

/// Copies the contents and permission bits of the file `from` to `to`.
/// On failure a partly written `to` is removed. Errors (copy_file, open,
/// read, write): already_exists, is_a_directory, invalid_argument when both
/// name the same file, ...
template <class P = platform>
status copy_file(const path_arg& from, const path_arg& to, copy_options options = {}) noexcept;

/// The current directory, absolute. Errors (current_directory).
template <class P = platform>
result<text> current_directory();

/// Changes the current directory of the process. Errors (current_directory).
/// Thread safety: affects every thread; relative paths in other threads
/// change meaning.
template <class P = platform>
status set_current_directory(const path_arg& path) noexcept;

/// The absolute path of `path` with every link, "." and ".." resolved; the
/// file must exist. Errors (canonical): not_found, ...
template <class P = platform>
result<text> canonical(const path_arg& path);

/// The directory for temporary files: $TMPDIR or /tmp on POSIX,
/// GetTempPathW on Windows. Errors (temp_create).
template <class P = platform>
result<text> temp_directory_path();

}  // namespace vitte::sys

#include <vitte/sys/impl/path_ops.hpp>

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/fs.ipp>  // the backend's definitions
#endif

#endif  // VITTE_SYS_PATH_OPS_HPP
