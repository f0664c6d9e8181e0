// vitte/release/package.hpp - release packages: a deterministic archive of a
// tree, its manifest, SHA256SUMS and a signify signature; and their check.
//
//   namespace release = vitte::release;
//   release::package_options o{.name = "hello", .version = "1.2.0", .target = "x86_64-unknown-linux-gnu"};
//   o.key = &release_key;                                // a release::signify::secret_key
//   vitte::diagnostic why;                               // kind, file, message
//   auto out = release::make_package("stage", "dist", o, &why);
//   // dist/hello-1.2.0-x86_64-unknown-linux-gnu.tar.gz, manifest.json, SHA256SUMS, SHA256SUMS.sig
//   auto ok = release::verify_package("dist", &release_public_key, &why);
//   if (!ok) std::puts(why.format().c_str());  // "dist/SHA256SUMS.sig: signed by another key (...)"
//
// The archive holds the tree under one top directory, <name>-<version>-
// <target>, written as archive::pack_tree writes (sorted names, owner 0,
// one mtime, modes 0755/0644 (a private file 0600) unless keep_modes; hard
// links kept as links):
// the same tree gives the same bytes whatever the order of its listing,
// the files' times or the umask. format::deb
// makes <name>_<version>_<arch>.deb instead (ar: debian-binary,
// control.tar.gz, data.tar.gz with the tree under `prefix`); format::rpm
// makes <name>-<version>-<release>.<arch>.rpm (rpm's format v4: a gzip'd
// cpio of the tree under `prefix`, with the digests rpm -K checks);
// format::msi makes <name>-<version>-<arch>.msi for a Windows target (a
// Windows Installer database with the tree in an embedded cabinet,
// installed per machine under Program Files\<name>); format::pkg makes
// <name>-<version>-<arch>.pkg for a macOS target (a product archive: the
// Distribution and one component package, <name>.pkg/, with PackageInfo,
// Bom and a gzip'd cpio Payload of the tree under `prefix`, in a xar).
//
// manifest.json (docs/formats/package.md) names the package and lists the
// archive's size and SHA-256 and every entry in it (path, type, mode, size,
// SHA-256 or link target: for an .rpm, .msi or .pkg, what it installs, read
// back from the package as written), and for a .deb its ar members. SHA256SUMS lists
// the archive and the manifest in the tagged form ("SHA256 (file) = hex")
// that `sha256sum -c` and `signify -C` both read; SHA256SUMS.sig is that
// list with an embedded signify signature. An output directory holds one
// package: making another there replaces these four files. Every format
// but .msi is written as it is made, each file read in pieces: memory does
// not grow with the files (a .deb's, .rpm's or .pkg's compressed data waits
// in a scratch file in the output directory until what precedes it is
// written).
//
// verify_package() checks, in order: the signature (signed by another key,
// or not matching), that SHA256SUMS is the signed list, the manifest's
// checksum, then the archive: shorter than the manifest says (truncated),
// a member or entry that differs from the manifest (swapped), or a
// checksum that differs (altered); every other file SHA256SUMS lists; and
// for a signed .rpm, its OpenPGP signature against the key. Each says so in
// `why`, with the file. A .pkg carries no signature of its own (Apple's needs
// an Apple certificate: productsign, docs/PACKAGE.md): SHA256SUMS.sig
// vouches for it as for a tar or a .deb.
#ifndef VITTE_RELEASE_PACKAGE_HPP
#define VITTE_RELEASE_PACKAGE_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/release/operations.hpp>
#include <vitte/release/signify.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::release {

enum class package_format : std::uint8_t { tar_gz, tar, deb, rpm, msi, pkg };

/// "tar.gz", "tar", "deb", "rpm", "msi", "pkg".
VITTE_DECL text_view to_string(package_format f) noexcept;
/// Reads "tar.gz" (or "tgz"), "tar", "deb", "rpm", "msi" or "pkg"; false for anything else.
VITTE_DECL bool parse_package_format(text_view s, package_format& out) noexcept;

struct package_options {
  text name;  ///< [A-Za-z0-9][A-Za-z0-9._+-]* (a .deb: lower case, as Debian asks)
  /// [A-Za-z0-9._+~-]+ (a .deb: starting with a digit; an .rpm: no '-';
  /// an .msi: major.minor.build, at most 255.255.65535, as Windows Installer asks)
  text version;
  text target;  ///< The target triple the files are built for.
  package_format format = package_format::tar_gz;
  std::int64_t mtime = 0;  ///< Every entry's time (archive::write_options::from_environment()).
  int level = 9;           ///< gzip level, 1..9.
  /// Where a .deb, an .rpm or a .pkg installs the tree (empty: /usr for a
  /// .deb or an .rpm, /usr/local for a .pkg, the one place under /usr that
  /// macOS lets an installer write), and the package's fields (the
  /// maintainer is an .rpm's Packager and an .msi's Manufacturer; the
  /// description's first line is the summary).
  text prefix;
  text maintainer = "unknown <unknown@localhost>";
  text description;
  /// An .rpm's Release ([A-Za-z0-9._+~]+), License and URL.
  text release = "1";
  text license = "unknown";
  text url;
  /// An .msi's ProductCode and UpgradeCode ("{XXXXXXXX-XXXX-XXXX-XXXX-
  /// XXXXXXXXXXXX}"). Empty: derived from the name and version (the product
  /// code) and from the name (the upgrade code), so that the same inputs
  /// make the same package and a newer version upgrades an older one.
  text product_code;
  text upgrade_code;
  /// A .pkg's package identifier, reverse DNS ("org.example.hello",
  /// [A-Za-z0-9._-]+): what macOS keeps its receipt under. Empty:
  /// "local.<name>".
  text identifier;
  /// A .pkg's scripts: a directory holding `preinstall`, `postinstall` or
  /// both (each starting with "#!"), which the installer runs before and
  /// after placing the files. Empty: none.
  text scripts;
  /// Relations to other packages, one per item, in either form:
  /// "libc6 (>= 2.36)" (Debian's) or "glibc >= 2.36" (rpm's); operators
  /// <, <=, =, >=, > (and Debian's << and >>). A .deb's Depends, Conflicts
  /// and Provides, an .rpm's Requires, Conflicts and Provides.
  buffer<text> depends, conflicts, provides;
  /// The shared libraries the tree's ELF files need, as dependencies: for
  /// an .rpm as rpm's elfdeps names them ("libc.so.6()(64bit)", with symbol
  /// versions), for a .deb as dpkg-shlibdeps maps them to packages with
  /// dpkg's database in `dpkg_admindir` (empty: /var/lib/dpkg; without
  /// one, a .deb whose files need a library is refused, never guessed).
  bool shlib_depends = true;
  text dpkg_admindir;
  /// Configuration files besides every regular file under /etc (which is
  /// one by default), as installed paths ("/usr/share/hello/hello.conf"):
  /// a .deb's conffiles, an .rpm's %config(noreplace). An upgrade keeps
  /// their local edits. An .msi's are paths in the tree ("/etc/hello.conf"
  /// for its etc/hello.conf, every file under etc/ by default): each its
  /// own component, NeverOverwrite and Permanent, so that an upgrade and a
  /// removal leave the file as the user left it. A .pkg has none.
  buffer<text> conffiles;
  /// Each file's and directory's permission bits as in the tree (setuid
  /// and sticky bits kept). false: directories 0755, files 0755 or 0644
  /// (any execute bit), so that the umask the tree was made under changes
  /// nothing; but what others may not read while they may read the
  /// directory holding it (the tree itself at its top) stays private, 0700
  /// or 0600 (a tree made under umask 077 closes its directories too, and
  /// packs as one made under 022). Either way a file with several names
  /// (hard links) is packed once, its other names as links to it with its
  /// mode (an .msi and a .pkg: as copies). An .msi has no modes: Windows
  /// gives the files the ACLs of where they are installed.
  bool keep_modes = false;
  /// A .deb's Section and Priority.
  text section = "misc";
  text priority = "optional";
  /// Signs SHA256SUMS when set; `key_name` goes in the signature's comment
  /// ("verify with release.pub"). An .rpm is signed with the same Ed25519
  /// key as rpm itself checks (an OpenPGP v4 EdDSA header signature), and
  /// the key's OpenPGP form, user ID `maintainer`, is written beside it.
  const signify::secret_key* key = nullptr;
  text key_name = "release.pub";
  /// Called before each step ("reading the tree", "compressing", "writing",
  /// "signing"), and for a tree of more than 64 MiB of files as each
  /// percent of them is packed ("packing the files: 42% (860 of 2048
  /// MiB)"; a .deb, a tar and a tar.gz), for a progress display; may be
  /// null.
  void (*progress)(text_view step, void* user) = nullptr;
  void* progress_user = nullptr;
};

/// What make_package() wrote (paths in the output directory).
struct package_output {
  text archive;
  text manifest;
  text sums;
  text signature;  ///< Empty when not signed.
  /// A signed .rpm's key for `rpm --import` (RPM-GPG-KEY-<key name>, an
  /// OpenPGP public key block, listed in SHA256SUMS); empty otherwise.
  text openpgp_key;
  std::uint64_t size = 0;
  std::uint32_t entries = 0;
};

/// The fields of `options` left at a default a distribution's linter
/// rejects for its format (lintian for a .deb, rpmlint for an .rpm): one
/// line each, naming the field and the linter's tag ("maintainer: left at
/// its default, which lintian rejects (mail-address-...)"). Empty when none.
VITTE_DECL buffer<text> package_warnings(const package_options& options);

/// Packages the tree at `tree` into `out_dir` (created if needed). Errors
/// (ops::package): invalid_argument for a field that holds what its kind
/// may not (a line break or a control character in a one-line field such as
/// the maintainer; a relation that does not read; `why` names the field:
/// "maintainer", "description", "depends", ...), for a bad name, version, target or a
/// .deb or .rpm target its format has no architecture for, an .msi for a
/// target that is not Windows or a symlink in its tree (not_supported), a
/// .pkg for a target that is not macOS on x86_64 or aarch64; not_found for
/// a .deb whose ELF files need a library no dpkg database maps to a package
/// (shlib_depends); those of reading the tree (`why`: the file and the
/// system's reason) and writing the files. `why` gets the kind (the
/// error's), the file or field concerned as its subject and the message
/// ("what (detail)").
VITTE_DECL result<package_output> make_package(text_view tree, text_view out_dir, const package_options& options,
                                               vitte::diagnostic* why = nullptr);

/// A package's archive in memory: what make_package() writes as its archive.
struct package_archive {
  text name;                ///< "hello-1.2.0-x86_64-unknown-linux-gnu.tar.gz", "hello_1.2.0_amd64.deb",
                            ///< "hello-1.2.0-1.x86_64.rpm", "hello-1.2.0-x64.msi", "hello-1.2.0-arm64.pkg"
  buffer<std::byte> bytes;  ///< the archive
  std::uint32_t entries = 0;
};

/// The archive of the tree at `tree`, as make_package() would write it, in
/// memory and without the manifest, the sums or a signature (`vitte export
/// --format deb|rpm|msi|pkg`). Errors: those of make_package() but writing.
VITTE_DECL result<package_archive> make_package_archive(text_view tree, const package_options& options,
                                                        vitte::diagnostic* why = nullptr);

/// What verify_package() found.
struct package_info {
  text name;
  text version;
  text target;
  package_format format = package_format::tar_gz;
  text archive;
  std::uint64_t size = 0;
  std::uint32_t entries = 0;
  bool signature_checked = false;  ///< false when no key was given
};

/// Checks the package in `dir` against `key` (nullptr: the checksums and the
/// manifest only, without SHA256SUMS.sig). Errors (ops::verify_package):
/// verification_failed (signature, checksums, members), unexpected_eof
/// (truncated), malformed (a list or manifest that does not parse),
/// not_found (a file missing); `why` says which and where: the kind, the
/// package's file concerned as its subject (dir/SHA256SUMS.sig, the
/// archive, ...) and, for a manifest or an archive that does not read, the
/// byte offset.
VITTE_DECL result<package_info> verify_package(text_view dir, const signify::public_key* key,
                                               vitte::diagnostic* why = nullptr);

}  // namespace vitte::release

#if VITTE_HEADER_ONLY
#include <vitte/release/impl/package.ipp>
#endif

#endif  // VITTE_RELEASE_PACKAGE_HPP
