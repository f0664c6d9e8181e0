// vitte/release/detail/package_tree.hpp - a tree read into a package's tar:
// archive::add_tree's deterministic order (names sorted, owner 0, one
// mtime), keeping what a package must keep: with `keep_modes`, each
// entry's permission bits as in the tree (a 0600 file stays 0600), else
// 0755 for directories and 0755/0644 for files (any execute bit: the
// umask the tree was made under changes nothing); with `hard_links`, the
// second and later names of one file (same device and inode) as tar hard
// links to the first name (sorted), not as copies. A failure says what,
// about which path, and why (the system's error).
#ifndef VITTE_RELEASE_DETAIL_PACKAGE_TREE_HPP
#define VITTE_RELEASE_DETAIL_PACKAGE_TREE_HPP

#include <vitte/archive/tar.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>
#include <vitte/base/result.hpp>
#include <vitte/base/text_view.hpp>

#include <string>

namespace vitte::release::detail {

/// How the tree goes into the tar.
struct package_tree_options {
  bool keep_modes = false;
  bool hard_links = true;
};

/// Appends the tree at `directory` to `w` under `top` ("" for none).
/// Errors: those of reading the tree, not_supported for a device, FIFO or
/// socket, those of tar_writer. `why` gets the kind, the file as its
/// subject and what failed ("cannot read the file (...)", with the
/// system's reason).
VITTE_DECL status add_package_tree(archive::tar_writer& w, text_view directory, text_view top,
                                   const package_tree_options& options, vitte::diagnostic* why = nullptr);

}  // namespace vitte::release::detail

#if VITTE_HEADER_ONLY
#include <vitte/release/detail/package_tree.ipp>
#endif

#endif  // VITTE_RELEASE_DETAIL_PACKAGE_TREE_HPP
