// vitte/sys/directory.hpp - directory handles, listing, walking, creating
// and removing trees.
//
// A basic_directory holds an open directory. Calls made through it resolve
// names from that directory (openat, mkdirat, unlinkat, ...), so a rename of
// the directory's path meanwhile cannot redirect them:
//
//   namespace sys = vitte::sys;
//   auto dir = sys::directory::open("/var/lib/app").value();
//   auto f = dir.open_file("state", sys::open_mode::read).value();
//
// Listing reads the OS's own records (getdents64 on Linux, FindFirstFileExW
// on Windows) without a stat per entry; an entry's type comes from the
// listing when the file system reports it, and resolve_type() asks otherwise:
//
//   auto r = sys::directory_reader::open("src").value();
//   for (const sys::dir_entry& e : r) std::printf("%.*s\n", int(e.name.size()), e.name.data());
//   if (r.error()) ...;                                    // an error ends the loop
//
// walk() visits a tree depth first, opening each directory relative to its
// parent; remove_all() removes a tree the same way and never follows a
// symbolic link out of it:
//
//   sys::walk("src", [](const sys::walk_entry& e) {
//     if (e.name == ".git") return sys::walk_action::skip;  // do not enter
//     return sys::walk_action::next;
//   }).value();
//   sys::create_directories("out/a/b").value();
//   sys::remove_all("out").value();
//
// Names are UTF-8. Errors carry dir_open, dir_read, dir_create, dir_remove,
// remove or file_stat and the OS code.
#ifndef VITTE_SYS_DIRECTORY_HPP
#define VITTE_SYS_DIRECTORY_HPP

#include <vitte/base.hpp>
#include <vitte/base/text_view.hpp>  // names
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/detail/owned_handle.hpp>  // move-only ownership
#include <vitte/sys/file.hpp>
#include <vitte/sys/fs_types.hpp>
#include <vitte/sys/operations.hpp>
#include <vitte/sys/path.hpp>
#include <vitte/sys/platform.hpp>

#include <cstddef>  // std::size_t
#include <cstdint>  // counts

namespace vitte::sys {

/// Default permissions of directories vitte creates (the process umask applies).
inline constexpr std::uint32_t default_directory_permissions = 0777;

/// An open directory: a move-only owner of a native directory handle, and
/// the base of the relative calls below.
/// Thread safety: a value type; its const calls may run concurrently.
namespace detail {
template <class P>
struct close_directory {
  static void close(native_handle h) noexcept { P::dir_close(h); }
};
}  // namespace detail

template <class P>
class basic_directory : private detail::owned_handle<detail::close_directory<P>> {
  VITTE_REQUIRE_CAPABILITY(P, directory);
  using handle = detail::owned_handle<detail::close_directory<P>>;
  using handle::h_;

 public:
  using policy = P;

  /// No directory. Moving a directory moves its handle; destroying one
  /// closes the handle.
  constexpr basic_directory() noexcept = default;
  /// Adopts a handle from P::dir_open.
  constexpr explicit basic_directory(native_handle h) noexcept : handle(h) {}

  /// Opens the directory at `path`. With `no_follow`, a symbolic link as
  /// the last component is refused (too_many_links).
  /// Errors (dir_open): not_found, not_a_directory, permission_denied, ...
  static result<basic_directory> open(const path_arg& path, bool no_follow = false) noexcept;
  /// Opens `path` relative to the directory handle `dir` (or cwd_handle).
  static result<basic_directory> open_at(native_handle dir, const path_arg& path, bool no_follow = false) noexcept;

  /// native(): the handle (invalid_handle when none); is_open() and
  /// operator bool: whether one is held; release(): gives it up unclosed.
  using handle::is_open;
  using handle::native;
  using handle::operator bool;
  using handle::release;

  /// Opens the directory `name` inside this one.
  result<basic_directory> open_directory(const path_arg& name, bool no_follow = false) const noexcept {
    return open_at(h_, name, no_follow);
  }
  /// Opens the file `name` inside this one (see basic_file::open).
  result<basic_file<P>> open_file(const path_arg& name, open_mode mode,
                                  std::uint32_t permissions = default_file_permissions) const noexcept {
    return basic_file<P>::open_at(h_, name, mode, permissions);
  }
  /// Metadata of `name` inside this one, of the link itself unless `follow`.
  /// Errors (file_stat).
  result<file_status> stat(const path_arg& name, bool follow = true) const noexcept;
  /// Creates the directory `name` inside this one. Errors (dir_create): already_exists, ...
  status create_directory(const path_arg& name,
                          std::uint32_t permissions = default_directory_permissions) const noexcept;
  /// Removes the file, link or empty directory `name` inside this one.
  /// Errors (remove, dir_remove): not_found, directory_not_empty, ...
  status remove(const path_arg& name) const noexcept;
  /// Renames `from` (inside this one) to `to` inside `to_dir`, replacing it.
  /// Errors (rename).
  status rename(const path_arg& from, const basic_directory& to_dir, const path_arg& to) const noexcept;
  /// Makes the directory's entries durable (fsync of the directory; nothing
  /// on Windows, where renames are written through). Errors (file_sync).
  status sync() const noexcept;
};

/// Reads the entries of one directory, "." and ".." left out, in the order
/// the OS lists them.
/// Thread safety: a value type; one reader serves one thread at a time.
template <class P>
class basic_directory_reader {
 public:
  using policy = P;

  basic_directory_reader() noexcept = default;
  basic_directory_reader(basic_directory_reader&& other) noexcept;
  basic_directory_reader& operator=(basic_directory_reader&& other) noexcept;
  basic_directory_reader(const basic_directory_reader&) = delete;
  basic_directory_reader& operator=(const basic_directory_reader&) = delete;
  ~basic_directory_reader() { reset(); }

  /// Opens the directory at `path` for reading. Errors (dir_open).
  static result<basic_directory_reader> open(const path_arg& path) noexcept;
  /// Reads the directory `dir`, which the reader takes. Errors (dir_open).
  static result<basic_directory_reader> open(basic_directory<P>&& dir) noexcept;

  /// The next entry, or nullptr after the last. The entry stays valid until
  /// the next call. Errors (dir_read).
  result<const dir_entry*> next() noexcept;
  /// The directory being read: the base for calls about its entries.
  const basic_directory<P>& directory() const noexcept { return dir_; }
  /// The type of `e`: from the listing, or, when the listing has none, from
  /// an lstat of the entry (a stat when `follow`, which also resolves
  /// links). Errors (file_stat).
  result<file_type> resolve_type(const dir_entry& e, bool follow = false) const noexcept;

  /// The error that ended a range-for loop early; success otherwise.
  vitte::error error() const noexcept { return error_; }

  /// The end of the listing (<iterator>'s default_sentinel_t costs a parse
  /// of the stream iterators).
  struct sentinel {};

  /// Input iteration for range-for; an error ends it (see error()).
  class iterator {
   public:
    using value_type = dir_entry;
    using difference_type = std::ptrdiff_t;
    iterator() noexcept = default;
    explicit iterator(basic_directory_reader* r) noexcept : r_(r) { ++*this; }
    const dir_entry& operator*() const noexcept { return *e_; }
    const dir_entry* operator->() const noexcept { return e_; }
    iterator& operator++() noexcept {
      e_ = r_->advance();
      return *this;
    }
    void operator++(int) noexcept { ++*this; }
    friend bool operator==(const iterator& it, sentinel) noexcept { return it.e_ == nullptr; }

   private:
    basic_directory_reader* r_ = nullptr;
    const dir_entry* e_ = nullptr;
  };
  iterator begin() noexcept { return iterator{this}; }
  sentinel end() noexcept { return {}; }

 private:
  const dir_entry* advance() noexcept;
  void reset() noexcept;
  basic_directory<P> dir_;
  std::intptr_t stream_ = 0;
  dir_entry entry_;
  vitte::error error_;
};

/// What walk() does with symbolic links.
enum class symlink_policy : std::uint8_t {
  report,  ///< Report links as entries of type symlink; never enter them.
  follow,  ///< Report links with their target's type and enter those to directories (each at most once on a path: loops
           ///< are cut).
};

/// What a walk visitor tells walk() after seeing an entry.
enum class walk_action : std::uint8_t {
  next,  ///< Go on; enter the entry if it is a directory.
  skip,  ///< Go on, but do not enter this directory.
  stop,  ///< End the walk (walk() reports success).
};

/// walk() options.
struct walk_options {
  symlink_policy links = symlink_policy::report;
  std::size_t max_depth = SIZE_MAX;     ///< Enter directories down to this depth (0: list the root only).
  bool skip_permission_denied = false;  ///< Skip directories that cannot be opened instead of failing.
};

/// One entry seen by walk(). The views stay valid during the visitor call.
struct walk_entry {
  text_view path;                         ///< The root joined with every component down to the entry.
  text_view name;                         ///< The last component.
  file_type type = file_type::unknown;    ///< Resolved: never unknown (the target's type for followed links).
  bool is_symlink = false;                ///< The entry is a link (followed when links == follow).
  std::size_t depth = 0;                  ///< 0 for the root's entries.
  native_handle parent = invalid_handle;  ///< The directory holding the entry, for *at() calls.
};

/// Visits every entry under `root`, depth first, each directory before its
/// contents. `visit(const walk_entry&)` returns a walk_action (or nothing,
/// meaning next). Each directory is opened relative to its parent; one
/// handle per level is open at a time.
/// Errors: those of opening or reading a directory (dir_open, dir_read), and
/// file_stat when a type had to be looked up.
template <class P = platform, class Visit>
status walk(const path_arg& root, Visit&& visit, walk_options options = {});

/// Creates the directory `path`. Errors (dir_create): already_exists, not_found (no parent), ...
template <class P = platform>
status create_directory(const path_arg& path, std::uint32_t permissions = default_directory_permissions) noexcept;

/// Creates `path` and the parents it lacks; success when it already is a
/// directory. Errors (dir_create): not_a_directory (a component is a file), ...
template <class P = platform>
status create_directories(const path_arg& path, std::uint32_t permissions = default_directory_permissions) noexcept;

/// Removes the file, link or empty directory at `path`; false when there
/// was nothing. Errors (remove, dir_remove): directory_not_empty, ...
template <class P = platform>
result<bool> remove(const path_arg& path) noexcept;

/// Removes `path` and, for a directory, everything in it; returns how many
/// names were removed (0 when there was nothing). A symbolic link is
/// removed, never followed, whether it is `path` itself or inside the tree:
/// each directory is opened relative to its parent with no_follow.
/// Errors: those of listing and removing (dir_read, remove, dir_remove).
template <class P = platform>
result<std::uint64_t> remove_all(const path_arg& path);

/// Directory types of the default platform.
using directory = basic_directory<platform>;
using directory_reader = basic_directory_reader<platform>;

}  // namespace vitte::sys

#include <vitte/sys/impl/directory.hpp>

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/fs.ipp>  // the backend's definitions
#endif

#endif  // VITTE_SYS_DIRECTORY_HPP
