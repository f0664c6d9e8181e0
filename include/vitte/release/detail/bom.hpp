// vitte/release/detail/bom.hpp - a macOS package's bill of materials (Bom):
// every path the package installs with its mode, owner, time, size and
// checksum, in the "BOMStore" file `installer`, `lsbom` and `pkgutil` read.
//
//   std::vector<bom_entry> e = {{.path = ".", .type = bom_directory, .mode = 040755},
//                               {.path = "./bin", .type = bom_directory, .mode = 040755},
//                               {.path = "./bin/hello", .type = bom_file, .mode = 0100755, .size = 5,
//                                .checksum = bom_cksum(data)}};
//   vitte::diagnostic why;
//   auto bom = bom_write(e, &why);
//   std::vector<bom_entry> back;
//   if (!bom_read(bom->span(), back, &why)) ...       // what was wrong, at which offset, about which name
//
// A BOMStore is big-endian throughout: a 512-byte header ("BOMStore",
// version 1, the number of blocks, the offset and length of the block
// index, the offset and length of the variables), the variables (a count,
// then per variable the block it names, a length byte and the name), the
// blocks, then the block index (a count, then an address and a length per
// block, block 0 null) and an empty free list. The variables are:
// - BomInfo: version 1, the number of paths plus one, one empty
//   per-architecture entry;
// - Paths: a "tree" header (version 1, the root node, node size 4096, the
//   number of paths) over a B-tree whose leaves list up to 256 paths each as
//   (path info, file) block pairs, linked forward and backward, and whose
//   branch nodes list (child node, last file of that child) pairs. A path
//   info block holds the path's id and its attributes block (type, 1,
//   architecture 3, mode, uid, gid, mtime, size, 1, checksum, link name
//   length with its NUL, link name); a file block the parent's id and the
//   name. The root "." is id 1 with parent 0; ids are given breadth first
//   with children sorted by name, so the records are sorted by (parent id,
//   name), the order the tree is searched in;
// - HLIndex and Size64: empty trees (no hard links, no file of 4 GiB);
// - VIndex: 1, the block of an empty tree of node size 128, 0, 0.
// This is the layout of bomutils' mkbom, which installer has taken for a
// decade; the checksum is POSIX cksum's CRC (bom_cksum), of the data for a
// file and of the target for a symbolic link, whose size is the target's
// length.
//
// Reading is bounded: every block index, address and length is checked
// against the file before use, the tree is walked at most 32 levels deep
// and each node at most once, a parent must come before its children, and
// the paths together may take at most 32 bytes per byte of the Bom.
#ifndef VITTE_RELEASE_DETAIL_BOM_HPP
#define VITTE_RELEASE_DETAIL_BOM_HPP

#include <vitte/base/buffer.hpp>
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

/// A path's type in a Bom.
inline constexpr std::uint8_t bom_file = 1, bom_directory = 2, bom_symlink = 3, bom_device = 4;

/// One path: "." for the root, "./bin/hello" below it (as lsbom prints).
struct bom_entry {
  std::string path;
  std::uint8_t type = bom_file;
  std::uint16_t mode = 0;  ///< with the type bits (0100644, 040755, 0120755)
  std::uint32_t uid = 0, gid = 0, mtime = 0;
  std::uint32_t size = 0;      ///< a file's bytes, a link's target length, 0 for a directory
  std::uint32_t checksum = 0;  ///< bom_cksum of the data or the target, 0 for a directory
  std::string link;            ///< a symbolic link's target
  bool operator==(const bom_entry&) const = default;
};

/// The paths one leaf of the tree holds.
inline constexpr std::size_t bom_leaf_paths = 256;

/// POSIX cksum's CRC of `data` (CRC-32, polynomial 0x04C11DB7 unreflected,
/// the length appended, inverted): what `cksum` prints first and a Bom holds.
VITTE_DECL std::uint32_t bom_cksum(span<const std::byte> data) noexcept;
/// bom_cksum() of data given in pieces: `crc` from 0 through each piece,
/// then finished with the total size.
VITTE_DECL std::uint32_t bom_cksum_update(std::uint32_t crc, span<const std::byte> data) noexcept;
VITTE_DECL std::uint32_t bom_cksum_finish(std::uint32_t crc, std::uint64_t size) noexcept;

/// The Bom of `entries`, in any order: one "." directory, every other path
/// "./" and components neither empty, "." nor "..", each under a directory
/// listed too, none twice. Errors (ops::package): invalid_argument for a
/// path that breaks those rules, limit_exceeded for a Bom past 4 GiB; `why`
/// gets the kind, the path as its subject and a static message.
VITTE_DECL result<buffer<std::byte>> bom_write(span<const bom_entry> entries, vitte::diagnostic* why = nullptr);

/// The paths of `bom` in the tree's order (bom_write(): breadth first, each
/// directory's children by name), each with its attributes. False with
/// `why` filled on any problem (errc::malformed, an offset no larger than
/// `bom.size()`, the file name being read once it is, a static message);
/// `out` may then hold part of what was read.
VITTE_DECL bool bom_read(span<const std::byte> bom, std::vector<bom_entry>& out, vitte::diagnostic* why = nullptr);

}  // namespace vitte::release::detail

#if VITTE_HEADER_ONLY
#include <vitte/release/detail/bom_reader.ipp>
#include <vitte/release/detail/bom_writer.ipp>
#endif

#endif  // VITTE_RELEASE_DETAIL_BOM_HPP
