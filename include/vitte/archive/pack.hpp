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
#include <vitte/base/diagnostic.hpp>  // why

namespace vitte::archive {

/// The tree at `directory`, every name under `top` (one top directory; none
/// when `top` is empty). Errors (ops::tar_pack): those of reading the tree
/// (the system's kind: not_found, permission_denied, ...); not_supported for
/// a device, FIFO or socket in it; invalid_argument for a name tar cannot
/// hold. `why` (nullable) gets that kind, the file of the tree (its path
/// under `directory`; `directory` itself when the walk failed, `top` when
/// it is refused) and what went wrong, with the system's message
/// ("dist/bin/tool: cannot read the file: open: permission denied
/// (errno 13: ...)").
VITTE_DECL result<buffer<std::byte>> pack_tree(text_view directory, text_view top, const write_options& options = {},
                                               vitte::diagnostic* why = nullptr);

/// As pack_tree(), appending the entries to `w` (which may hold others
/// already, such as the parents of `top`). Errors: pack_tree's.
VITTE_DECL status add_tree(tar_writer& w, text_view directory, text_view top, vitte::diagnostic* why = nullptr);

}  // namespace vitte::archive

#if VITTE_HEADER_ONLY
#include <vitte/archive/impl/pack.ipp>
#endif

#endif  // VITTE_ARCHIVE_PACK_HPP
