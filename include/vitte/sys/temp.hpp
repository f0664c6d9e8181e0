// vitte/sys/temp.hpp - temporary files and directories, removed when their
// owner goes away.
//
//   namespace sys = vitte::sys;
//   auto dir = sys::temp_directory::create().value();      // e.g. /tmp/vitte-3k9v0q1m2x7a, mode 0700
//   sys::write_file(sys::path_join(dir.path(), "x"), "data").value();
//   auto tmp = sys::temp_file::create(dir.path()).value(); // open for reading and writing, mode 0600
//   tmp.file().write("scratch").value();
//   // both are removed here, the directory with everything in it
//
// Names are random and created exclusively (O_EXCL, CREATE_NEW), so an
// existing file is never opened or replaced.
#ifndef VITTE_SYS_TEMP_HPP
#define VITTE_SYS_TEMP_HPP

#include <vitte/base.hpp>
#include <vitte/base/text_view.hpp>  // parent and prefix
#include <vitte/sys/directory.hpp>
#include <vitte/sys/file.hpp>
#include <vitte/sys/operations.hpp>
#include <vitte/sys/path_ops.hpp>
#include <vitte/sys/platform.hpp>

namespace vitte::sys {

/// A directory with a unique name; the destructor removes it and what it
/// holds (remove_all).
/// Thread safety: a value type.
template <class P>
class basic_temp_directory {
 public:
  basic_temp_directory() = default;
  basic_temp_directory(basic_temp_directory&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  basic_temp_directory& operator=(basic_temp_directory&& other) noexcept;
  basic_temp_directory(const basic_temp_directory&) = delete;
  basic_temp_directory& operator=(const basic_temp_directory&) = delete;
  ~basic_temp_directory() { (void)remove(); }

  /// Creates `<parent>/<prefix><random>` with permissions 0700; `parent`
  /// empty means temp_directory_path(). Errors (dir_create, temp_create).
  static result<basic_temp_directory> create(text_view parent = {}, text_view prefix = "vitte-");

  /// The directory's path; empty once removed or released.
  const text& path() const noexcept { return path_; }
  /// Removes the directory now; returns how many names went (remove_all).
  result<std::uint64_t> remove();
  /// Keeps the directory: the owner forgets it and returns its path.
  text release() noexcept { return std::move(path_); }

 private:
  text path_;
};

/// A file with a unique name, open for reading and writing; the destructor
/// closes and removes it.
/// Thread safety: a value type.
template <class P>
class basic_temp_file {
 public:
  basic_temp_file() = default;
  basic_temp_file(basic_temp_file&& other) noexcept : file_(std::move(other.file_)), path_(std::move(other.path_)) {
    other.path_.clear();
  }
  basic_temp_file& operator=(basic_temp_file&& other) noexcept;
  basic_temp_file(const basic_temp_file&) = delete;
  basic_temp_file& operator=(const basic_temp_file&) = delete;
  ~basic_temp_file() { (void)remove(); }

  /// Creates `<parent>/<prefix><random>` with permissions 0600; `parent`
  /// empty means temp_directory_path(). Errors (open, temp_create).
  static result<basic_temp_file> create(text_view parent = {}, text_view prefix = "vitte-");

  /// The open file.
  basic_file<P>& file() noexcept { return file_; }
  /// The file's path; empty once removed or released.
  const text& path() const noexcept { return path_; }
  /// Closes and removes the file now.
  status remove() noexcept;
  /// Keeps the file: returns its path; file() stays open.
  text release() noexcept { return std::move(path_); }

 private:
  basic_file<P> file_;
  text path_;
};

using temp_directory = basic_temp_directory<platform>;
using temp_file = basic_temp_file<platform>;

}  // namespace vitte::sys

#include <vitte/sys/impl/temp.hpp>

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/fs.ipp>  // the backend's definitions
#endif

#endif  // VITTE_SYS_TEMP_HPP
