// vitte/release/detail/pkg.hpp - macOS flat packages (.pkg) as productbuild
// makes them: a product archive holding one component package, written
// from a tar of the tree and read back with every checksum checked.
//
//   pkg_fields f;
//   f.name = "hello"; f.version = "1.2.0"; f.identifier = "org.example.hello";
//   f.install_location = "/usr/local"; f.architectures = "arm64";
//   vitte::diagnostic why;
//   auto pkg = pkg_write(tar, f, &why);               // tar: "bin", "bin/hello", ...
//   pkg_contents c;
//   if (!pkg_read(pkg->span(), c, &why)) ...           // what was wrong, at which offset, in which member
//
// The package is a xar archive (xar.hpp) of
// - Distribution: the product's XML (installer-gui-script, minSpecVersion
//   2): its title, options (customize="never", hostArchitectures), the
//   choices outline with one invisible choice, and the pkg-ref naming the
//   component, "#hello.pkg";
// - hello.pkg/, the component package:
//   - Bom: the bill of materials (bom.hpp) of the tree, "." first;
//   - Payload: the tree as an odc cpio (cpio_odc.hpp), names "./bin/hello",
//     owner 0:0 (root:wheel), every time the caller's, gzip-compressed;
//   - Scripts, when there are scripts: "./preinstall" and "./postinstall"
//     (0755) as a gzip'd odc cpio;
//   - PackageInfo: the component's XML (pkg-info format-version 2: the
//     identifier, version, install-location, auth="root", the payload's
//     number of files and installed KiB, the scripts).
// Distribution, Bom and PackageInfo are stored zlib-compressed (xar's
// "application/x-gzip"), Payload and Scripts as they are (gzip already), as
// pkgbuild and productbuild store them. The same tree and fields give the
// same bytes.
//
// Not written: a signature (productsign adds an Apple Developer ID's CMS
// signature to the xar's TOC; docs/PACKAGE.md), Resources (licence and
// background pages), more than one component.
//
// pkg_read() takes a package apart again: the xar with every checksum, the
// Distribution's one component, its PackageInfo, its Bom and its Payload
// (inflated no further than the Bom's sizes allow), and checks that the
// Payload and the Bom list the same paths with the same modes, owners, sizes
// and checksums.
#ifndef VITTE_RELEASE_DETAIL_PKG_HPP
#define VITTE_RELEASE_DETAIL_PKG_HPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>
#include <vitte/base/result.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/machine/triple.hpp>  // pkg_arch
#include <vitte/release/detail/bom.hpp>
#include <vitte/release/detail/package_entry.hpp>
#include <vitte/release/detail/package_sink.hpp>  // where pkg_write_tree writes
#include <vitte/release/detail/package_tree.hpp>  // what it reads

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vitte::release::detail {

/// What goes into a package besides its files.
struct pkg_fields {
  text_view name, version;  ///< the component is "<name>.pkg"
  text_view identifier;     ///< reverse DNS: "org.example.hello" ([A-Za-z0-9._-]+)
  text_view install_location = "/usr/local";
  text_view title;                     ///< the installer's title; empty: "<name> <version>"
  text_view architectures = "x86_64";  ///< hostArchitectures: "x86_64", "arm64", "x86_64,arm64"
  std::int64_t time = 0;               ///< seconds since 1970: every time in the package
  int level = 9;                       ///< gzip and zlib level, 1..9
  /// Scripts the installer runs before and after installing (with their
  /// "#!" line); both empty: no Scripts.
  span<const std::byte> preinstall, postinstall;
};

/// macOS's name for the architecture of an Apple target ("x86_64", "arm64"),
/// "" for another target or architecture.
VITTE_DECL text_view pkg_arch(const machine::triple& t);

/// The .pkg of `tar`: an uncompressed tar of the tree as archive::tar_writer
/// writes it, paths relative to the tree ("bin", "bin/hello"), installed
/// under `install_location`. Files, directories and symlinks; UTF-8 names;
/// a directory the tar names only as a parent is added (0755).
/// Errors (ops::package): invalid_argument for a field the formats refuse
/// (identifier, version, install location, a quote or a line break) or a
/// path (not UTF-8, not clean, twice); not_supported for another entry type;
/// limit_exceeded for a file of 4 GiB or more (a Bom's sizes are 32-bit);
/// those of reading the tar (its reader's kind and diagnostic). `why` gets
/// the kind, the entry or field as its subject and a static message.
/// Thread safety: none shared.
VITTE_DECL result<buffer<std::byte>> pkg_write(span<const std::byte> tar, const pkg_fields& f,
                                               vitte::diagnostic* why = nullptr);

/// pkg_write() of the tree as list_package_tree() lists it (no hard links;
/// each file read from its `source` in pieces), written to `out` as it is
/// made, the Payload set aside in a scratch file in `scratch_dir` (in
/// memory when empty) until the table of contents that gives its checksum
/// is out: memory does not grow with the files. The same bytes as
/// pkg_write() of the tar of the same tree. `installs` gets what the
/// package installs, as pkg_read() lists it. Errors: pkg_write()'s, those
/// of reading a file (about it) and of writing to `out`.
VITTE_DECL status pkg_write_tree(span<const tree_item> tree, const pkg_fields& f, archive_sink& out,
                                 text_view scratch_dir, std::vector<package_entry>& installs,
                                 vitte::diagnostic* why = nullptr);

/// What pkg_read() found.
struct pkg_contents {
  std::string identifier, version, install_location;
  std::string component;      ///< "hello.pkg"
  std::string architectures;  ///< the Distribution's hostArchitectures
  /// What installs, sorted by path: paths relative to / ("usr/local/bin/hello",
  /// the install location itself left out), as archive::tar_reader reports
  /// a tree; sizes of files' data, 0 for directories and symlinks.
  std::vector<package_entry> entries;
  std::vector<bom_entry> bom;      ///< the Bom, in its order
  std::uint64_t payload_size = 0;  ///< the Payload's cpio, uncompressed
  std::uint64_t files = 0;         ///< PackageInfo's numberOfFiles
  bool has_scripts = false;
};

/// Reads a product package: the xar (xar_read(), every archived and
/// extracted checksum), the Distribution (exactly one component, a
/// directory of the archive), the component's PackageInfo, Bom and Payload;
/// the Payload must hold what the Bom lists, path for path. False with
/// `why` filled on any problem: the kind (errc::malformed; an extraction's
/// limit_exceeded), an offset in `pkg` no larger than its size (for a
/// problem inside a member, where that member's data starts, the offset in
/// it said in the message), the member or Payload entry concerned, a static
/// message; `out` may then hold part of what was read.
VITTE_DECL bool pkg_read(span<const std::byte> pkg, pkg_contents& out, vitte::diagnostic* why = nullptr);

}  // namespace vitte::release::detail

#if VITTE_HEADER_ONLY
#include <vitte/release/detail/pkg_reader.ipp>
#include <vitte/release/detail/pkg_writer.ipp>
#endif

#endif  // VITTE_RELEASE_DETAIL_PKG_HPP
