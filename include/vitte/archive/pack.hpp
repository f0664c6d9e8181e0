// vitte/archive/pack.hpp - a deterministic tar archive of a directory tree.
//
//   namespace va = vitte::archive;
//   auto tar = va::pack_tree("build/dist", "vitte-1.0-x86_64-linux",
//                            va::write_options::from_environment());
//
// The names are sorted bytewise, every entry gets the options' mtime and
// owner 0, directories 0755, files 0644 or 0755 (any execute bit), symbolic
// links their target. So the order of the listing, file times and the umask
// change nothing: two trees with the same names, contents, links and
// execute bits give the same bytes.
#ifndef VITTE_ARCHIVE_PACK_HPP
#define VITTE_ARCHIVE_PACK_HPP

#include <vitte/archive/tar.hpp>
#include <vitte/base/config.hpp>

namespace vitte::archive {

/// The tree at `directory`, every name under `top` (one top directory; none
/// when `top` is empty). Errors (ops::tar_pack): those of reading the tree;
/// not_supported for a device, FIFO or socket in it; `why` names the file.
VITTE_DECL result<buffer<std::byte>> pack_tree(text_view directory, text_view top, const write_options& options = {},
                                               problem* why = nullptr);

/// As pack_tree(), appending the entries to `w` (which may hold others
/// already, such as the parents of `top`). Errors: pack_tree's.
VITTE_DECL status add_tree(tar_writer& w, text_view directory, text_view top, problem* why = nullptr);

}  // namespace vitte::archive

#if VITTE_HEADER_ONLY
#include <vitte/archive/impl/pack.ipp>
#endif

#endif  // VITTE_ARCHIVE_PACK_HPP
