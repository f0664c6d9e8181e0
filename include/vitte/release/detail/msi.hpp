// vitte/release/detail/msi.hpp - Windows Installer packages (.msi): a file
// tree as a per-machine install under Program Files, and the reader that
// takes such a package apart again.
//
//   msi_fields f;
//   f.name = "hello";
//   f.version = "1.2.0";
//   vitte::diagnostic why;
//   result<buffer<std::byte>> m = msi_write(tar.span(), f, &why);  // tar: the tree, archive::tar_writer
//   msi_contents c;
//   if (!msi_read(m->span(), c, &why)) ...                         // c.entries: the tree again
//
// A package is a compound file (cfb.hpp) holding a relational database:
// - _StringPool and _StringData: every string once (the code page, then
//   each string's length and reference count; the bytes one after another);
//   tables refer to strings by their 1-based index (0 is null);
// - one stream per table, column after column, each cell 2 bytes (a short
//   integer plus 0x8000, a string index), 3 (string indexes when there are
//   more than 65535 strings) or 4 (a long integer plus 0x80000000), rows
//   sorted by their key; _Tables lists the tables and _Columns their
//   columns and types;
// - stream names are mangled: pairs of [0-9A-Za-z._] become one character
//   of U+3800-U+47FF, a last single one U+4800-U+483F, and table streams
//   start with U+4840 (msitools' encode_streamname);
// - "\005SummaryInformation", an OLE property set: title, subject, author,
//   template ("x64;1033"), the package code, times, schema, word count.
//
// The tables written are those a file install needs, as wixl writes them:
// Property (ProductCode, UpgradeCode, ProductName, ProductVersion,
// ProductLanguage 1033, Manufacturer, ALLUSERS 1), Directory (TARGETDIR >
// ProgramFiles64Folder or ProgramFilesFolder > INSTALLDIR = the product
// name > the tree's directories), Component (one per directory, its first
// file the key path; CreateFolder lists every directory, so that empty
// ones are made and all are removed on uninstall), File (names "SHORT~1.EXT|long name", sequence numbers
// in cabinet order), Feature, FeatureComponents, Media (one cabinet,
// "#product.cab", embedded as a stream), and the five sequence tables with
// the standard actions. Component GUIDs derive from the product code and
// the directory's path; the product and upgrade codes, when not given,
// from the name (and version), the package code from everything: the same
// tree and fields give the same bytes.
//
// Upgrade, LaunchCondition and RemoveExistingProducts make a newer version
// replace an older one and keep an older one from installing over a newer
// one. Not written: _Validation (only validation tools read it).
//
// The cabinet is written as the files are read (cab.hpp's cab_stream), its
// blocks set aside until the tables and summary are out; its folders hold
// 65535 blocks of 32 KiB, so one file holds at most cab_folder_max bytes.
//
// MSI has no file modes: the reader reports 0644 for files and 0755 for
// directories, what archive::tar_writer gives a tree without executables.
//
// The files: msi_schema.hpp (the tables and actions), msi_names.hpp (stream
// names, short names, GUIDs), msi_writer.ipp and msi_reader.ipp.
#ifndef VITTE_RELEASE_DETAIL_MSI_HPP
#define VITTE_RELEASE_DETAIL_MSI_HPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>
#include <vitte/base/result.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/release/detail/msi_names.hpp>   // stream names, GUIDs
#include <vitte/release/detail/msi_schema.hpp>  // the tables' columns, the database's CLSID
#include <vitte/release/detail/package_entry.hpp>
#include <vitte/release/detail/package_sink.hpp>  // archive_sink
#include <vitte/release/detail/package_tree.hpp>  // tree_item

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vitte::release::detail {

/// What a package says about its product.
struct msi_fields {
  /// ProductName and the folder under Program Files; ProductVersion: a.b.c,
  /// each numeric (major and minor at most 255, build at most 65535).
  text_view name, version;
  text_view manufacturer = "unknown", description;
  /// "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" in upper case. When empty the
  /// product code derives from the name and version, the upgrade code from
  /// the name alone (it must stay across versions for upgrades to find the
  /// older one): name-based UUIDs from SHA-256.
  text_view product_code, upgrade_code;
  text_view arch = "x64";  ///< "x64", "Intel" or "Arm64": the template and Program Files folder
  std::int64_t time = 0;   ///< seconds since 1970: every time in the package
  int level = 9;           ///< MSZIP level; 0 stores
  /// Configuration files, as tar paths ("etc/hello.conf"): each its own
  /// component, NeverOverwrite and Permanent, so that an upgrade (which
  /// removes the older version first) and a removal leave the file where a
  /// user may have edited it, and an install over it keeps it.
  span<const std::string> config_files;
};

/// The .msi of `tar`: an uncompressed tar of the tree as archive::tar_writer
/// writes it, paths relative to the tree ("bin", "bin/hello.exe"), each
/// directory before its contents. MSI has no symbolic links: those are
/// refused (errc::not_supported) naming the entry, as are names Windows
/// cannot hold (invalid_argument) and files over cab_folder_max, 2 GiB -
/// 32 KiB, what one cabinet folder holds (limit_exceeded); files that
/// compress to a cabinet over 2 GiB, what one compound file stream holds,
/// are refused too (limit_exceeded, no subject).
/// On failure returns vitte::error{errc::..., ops::package} and fills `why`:
/// the kind, the entry's path or the field's value as its subject, and the
/// message.
VITTE_DECL result<buffer<std::byte>> msi_write(span<const std::byte> tar, const msi_fields& f,
                                               vitte::diagnostic* why = nullptr);

/// msi_write() of the tree as list_package_tree() lists it (paths relative
/// to the tree, each file read from its `source` in pieces), written to
/// `out` as it is made: the cabinet's blocks go to a scratch file in
/// `scratch_dir` (memory when empty) as the files are read, then the
/// compound file is written with the cabinet read back as its last stream,
/// so memory does not grow with the files. The same bytes as msi_write() of
/// the tar of the same tree. `installs` gets what the package installs, as
/// msi_read() lists it. Errors: msi_write()'s, those of reading a file
/// (about it) and of writing to `out`.
VITTE_DECL status msi_write_tree(span<const tree_item> items, const msi_fields& f, archive_sink& out,
                                 text_view scratch_dir, std::vector<package_entry>& installs,
                                 vitte::diagnostic* why = nullptr);

/// What msi_read() finds.
struct msi_contents {
  std::string name, version, product_code, upgrade_code;
  /// What installs under INSTALLDIR, sorted by path, paths relative to it as
  /// archive::tar_reader reports them (no trailing '/'): type "file" or
  /// "directory", the size, and for files the SHA-256 of their bytes in the
  /// cabinet. MSI has no modes: 0644 for files, 0755 for directories.
  std::vector<package_entry> entries;
  std::uint64_t unpacked = 0;  ///< the uncompressed bytes the cabinets read declare
  /// Each file's component, by the file's path (as in `entries`): its
  /// ComponentId ("" when the table has none) and Attributes (msi_write():
  /// 256 for x64, and NeverOverwrite | Permanent, 128 | 16, for a
  /// configuration file).
  struct file_component {
    std::string path, id;
    std::int64_t attributes = 0;
  };
  std::vector<file_component> components;
};

/// Reads a package we or others wrote: the compound file, the string pool,
/// the tables (Property, Directory, Component, File, Media), the embedded
/// cabinets, joined into entries. Bounded everywhere: counts and sizes are
/// checked against the file's size, decompression against DEFLATE's ratio.
/// False with `why` filled on any problem: errc::malformed (a cabinet's
/// not_supported or limit_exceeded), a byte offset in `msi` (the stream
/// of the table or cabinet at fault; 0 for the database as a whole), the
/// table, stream, cabinet file or entry concerned, and a static message.
VITTE_DECL bool msi_read(span<const std::byte> msi, msi_contents& out, vitte::diagnostic* why = nullptr);

}  // namespace vitte::release::detail

#if VITTE_HEADER_ONLY
#include <vitte/release/detail/msi_reader.ipp>
#include <vitte/release/detail/msi_writer.ipp>
#endif

#endif  // VITTE_RELEASE_DETAIL_MSI_HPP
