// vitte/release/detail/package_tree.hpp - a tree read into a package's tar:
// archive::add_tree's deterministic order (names sorted, owner 0, one
// mtime), keeping what a package must keep: with `keep_modes`, each
// entry's permission bits as in the tree; else 0755 for directories and
// 0755/0644 for files (any execute bit: the umask the tree was made under
// changes nothing), except that what others may not read while they may
// read and enter the directory holding it (the tree itself at its top)
// stays private: 0700 for a directory, 0600 or 0700 for a file (under a
// umask such as 077 the directories are closed to others too, and all is
// normalised as under 022); with `hard_links`, the
// second and later names of one file (same device and inode) as tar hard
// links to the first name (sorted), with its mode, not as copies. A
// failure says what, about which path, and why (the system's error).
//
// The tree is listed first (list_package_tree: names, modes, sizes), then
// written (write_package_tree): each file read in pieces of at most
// tree_piece bytes, digested as it goes, the tar handed on after each
// piece, so that no file is ever whole in memory.
#ifndef VITTE_RELEASE_DETAIL_PACKAGE_TREE_HPP
#define VITTE_RELEASE_DETAIL_PACKAGE_TREE_HPP

#include <vitte/archive/tar.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>
#include <vitte/base/result.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vitte::release::detail {

/// How the tree goes into the tar.
struct package_tree_options {
  bool keep_modes = false;
  bool hard_links = true;
};

/// The most of a file read at once.
inline constexpr std::size_t tree_piece = std::size_t{1} << 20;

/// One entry of the tree as the package holds it.
struct tree_item {
  std::string path;    ///< in the archive, under the top directory
  std::string source;  ///< on disk (empty for the top directory)
  archive::entry_type type = archive::entry_type::file;
  std::uint32_t mode = 0;   ///< as packed
  std::uint64_t size = 0;   ///< a file's
  std::string link;         ///< a symlink's target, a hard link's first name
  std::string sha256, md5;  ///< a file's, lower-case hex, once written (md5 when asked)
};

/// The tree at `directory` under `top` ("" for none), in the order it is
/// packed, appended to `out`. Errors: those of reading the tree,
/// not_supported for a device, FIFO or socket. `why` gets the kind, the
/// file as its subject and what failed ("cannot read the tree (...)", with
/// the system's reason).
VITTE_DECL status list_package_tree(text_view directory, text_view top, const package_tree_options& options,
                                    std::vector<tree_item>& out, vitte::diagnostic* why = nullptr);

/// Where the tar goes as it is written: `put` gets each piece in order.
struct tar_drain {
  status (*put)(span<const std::byte> piece, void* user) = nullptr;
  void* user = nullptr;
  /// Told the bytes of files read so far after each piece; may be null.
  void (*read)(std::uint64_t bytes, void* user) = nullptr;
};

/// Writes `items` into `w`, filling each file's sha256 (and md5 when
/// `md5`), handing the tar written so far to `drain` after each piece
/// (the end-of-archive blocks are not written). Errors: those of reading a
/// file ("cannot read the file"; one whose size changed since it was
/// listed is io_error), of tar_writer ("a name tar cannot hold") and those
/// `drain` returns (as they are).
VITTE_DECL status write_package_tree(archive::tar_writer& w, std::vector<tree_item>& items, bool md5,
                                     const tar_drain& drain, vitte::diagnostic* why = nullptr);

}  // namespace vitte::release::detail

#if VITTE_HEADER_ONLY
#include <vitte/release/detail/package_tree.ipp>
#endif

#endif  // VITTE_RELEASE_DETAIL_PACKAGE_TREE_HPP
