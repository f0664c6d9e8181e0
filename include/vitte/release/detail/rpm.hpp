// vitte/release/detail/rpm.hpp - .rpm packages (format v4, as rpm 4.x reads
// them), written from a tar of the installed tree and read back with every
// digest checked.
//
//   rpm_fields f;
//   f.name = "hello"; f.version = "1.2.0"; f.arch = rpm_arch(triple);
//   f.summary = "Says hello"; f.packager = "Ann <ann@example.org>";
//   vitte::diagnostic why;
//   auto rpm = rpm_write(tar, f, &why);             // tar: "usr/", "usr/bin/hello", ...
//   rpm_contents c;
//   if (!rpm_read(rpm->span(), c, &why)) ...        // what was wrong, at which offset, in which file
//
// A package is four parts, each 8-byte aligned:
// - the lead: 96 bytes ("\xed\xab\xee\xdb", version 3.0, binary, the
//   architecture's number, "name-version-release", OS 1, signature type 5);
// - the signature header (region HEADERSIGNATURES): SHA-1 and SHA-256 of
//   the main header, header + payload size, MD5 of header and payload,
//   the payload's uncompressed size, and when rpm_fields::signer is set the
//   header's OpenPGP signature (tag 267, detail/openpgp.hpp); zero-padded
//   to 8 bytes;
// - the main header (region HEADERIMMUTABLE): the package's tags, the file
//   list (DIRNAMES / BASENAMES / DIRINDEXES and one array per attribute),
//   the dependencies on rpmlib features it uses, and the payload's SHA-256;
// - the payload: a newc cpio (detail/cpio.hpp) of "./usr/bin/hello" names,
//   gzip-compressed.
// A header is "\x8e\xad\xe8\x01", 4 reserved bytes, the number of index
// entries and of data bytes (big-endian), 16-byte index entries (tag, type,
// offset, count) sorted by tag, then the data, each item aligned for its
// type. The region's first entry points at a 16-byte trailer ending the data
// whose negative offset covers the whole index (rpm checks it).
//
// Writing is deterministic: files sorted by path, every time the caller's
// build_time, owner root, build host "localhost". The package owns the
// directories of its tree except the system's standard ones
// (rpm_standard_directory(): rpmlint's list, which the filesystem package
// owns), so that installing it takes no directory from another package.
//
// Signing: rpm_fields::signer set, the package carries an Ed25519 OpenPGP v4
// signature of the main header's bytes (magic to the end of its data, what
// rpm hashes) made at build_time, by the key created at rpm_key_created
// (0: the key ID never changes). `rpm --import` takes rpm_public_key_block()
// of the same key pair; `rpm -K` then says "Header V4 EdDSA/SHA256
// Signature, key ID ...: OK", as for a package rpmsign signed with gpg.
//
//   f.signer = &secret.pair;                        // a signify::secret_key's pair
//   auto key = rpm_public_key_block(secret.pair, "Vitte releases <release@example.org>");
//
// Reading is bounded: the lead, both headers and every index entry are
// checked as rpm checks them (types, counts, alignment, overlap, the
// region trailer) before any data is used; the payload is decompressed no
// further than the header's sizes allow (and never past DEFLATE's 1032:1),
// and the cpio must match the header's file list exactly.
//
// The files: rpm_header.hpp (tags, types, a header written and read),
// rpm_names.ipp (architectures, standard directories, paths),
// rpm_writer.ipp and rpm_reader.ipp.
#ifndef VITTE_RELEASE_DETAIL_RPM_HPP
#define VITTE_RELEASE_DETAIL_RPM_HPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>
#include <vitte/base/result.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/crypto/ed25519.hpp>          // the signer
#include <vitte/machine/triple.hpp>          // rpm_arch
#include <vitte/release/detail/openpgp.hpp>  // the signer's key ID
#include <vitte/release/detail/package_entry.hpp>
#include <vitte/release/detail/package_sink.hpp>  // where rpm_write_tree writes
#include <vitte/release/detail/package_tree.hpp>  // what it reads
#include <vitte/release/detail/rpm_header.hpp>    // the header's tags, types, writer and reader

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vitte::release::detail {

/// A dependency: a name ("glibc", "libc.so.6()(64bit)"), rpm_sense_* flags
/// (the comparison, rpm_sense_find_requires for one found in the files)
/// and a version ("" when none).
struct rpm_dependency {
  std::string name, version;
  std::uint32_t flags = 0;
};

/// What goes into a package besides its files.
struct rpm_fields {
  text_view name, version, release = "1";
  text_view arch;  ///< rpm's name for the architecture: rpm_arch()
  /// rpmlint wants a packager ("Name <mail>"), a URL and a group other
  /// than "Unspecified" (which it reports as no-group-tag, an error);
  /// without a description the summary stands for it.
  text_view summary, description, license = "unknown", url, packager, group = "Unspecified";
  /// The text of the one changelog entry (rpmlint wants one); empty: "- Release <version>-<release>".
  text_view changelog;
  std::int64_t build_time = 0;  ///< every time in the package (BUILDTIME, file mtimes, the changelog's)
  int level = 9;                ///< gzip level of the payload, 1 to 9
  /// Signs the header when set (tag 267, OpenPGP v4 EdDSA/SHA-256, made at
  /// build_time by the key created at rpm_key_created); not owned.
  const crypto::ed25519::key_pair* signer = nullptr;
  /// Requires (besides the rpmlib features the package uses), Conflicts and
  /// Provides (besides name = version-release); the writer sorts them.
  span<const rpm_dependency> requirements, conflicts, provides;
  /// Files marked %config(noreplace) (RPMFILE_CONFIG | RPMFILE_NOREPLACE),
  /// as tar paths ("etc/hello.conf"): an upgrade keeps a local edit and
  /// writes the new one as .rpmnew; erasing keeps an edited one as .rpmsave.
  span<const std::string> config_files;
};

/// The creation time rpm_write() and rpm_public_key_block() give every
/// signing key: fixed, so that a key pair always has the same OpenPGP
/// fingerprint and key ID. 0 (1970) is what `rpm --import` and `gpg
/// --import` take as well as any.
inline constexpr std::int64_t rpm_key_created = 0;

/// What rpm_read() found.
struct rpm_contents {
  std::string name, version, release, arch;
  /// In the payload's order (rpm_write(): sorted by path); paths as
  /// archive::tar_reader reports them for the same tree: relative, without
  /// "./", directories without a trailing '/'. Sizes: files' data; 0 for
  /// directories and symlinks.
  std::vector<package_entry> entries;
  std::size_t header_offset = 0, payload_offset = 0;  ///< in the file
  std::uint64_t payload_size = 0;                     ///< uncompressed (the cpio)
  /// A header signature (tag 267) was present and well-formed (not
  /// verified: rpm_verify_signature() does that with a key); its signer's
  /// OpenPGP key ID and its time.
  bool has_signature = false;
  openpgp_key_id_bytes signer_key_id{};
  std::uint32_t signature_time = 0;
  std::size_t signature_offset = 0, signature_size = 0;  ///< the signature packet in the file
};

/// rpm's name for the architecture of `t` ("x86_64", "aarch64", "armv7hl",
/// "i686", "riscv64", "s390x", "ppc64le", ...), "" when it has none.
VITTE_DECL text_view rpm_arch(const machine::triple& t);

/// The number the lead gives `arch` (rpm's rpmrc arch_canon table), 0 when unknown.
VITTE_DECL std::uint16_t rpm_arch_number(text_view arch);

/// True for the standard directories of the system ("usr", "usr/bin",
/// "usr/share/doc", ...: rpmlint's list, paths as in the tar) that no
/// package but the filesystem's may own. rpm_write() leaves them out.
VITTE_DECL bool rpm_standard_directory(text_view path);

/// A path as a tar of the tree holds it: relative, components neither
/// empty, "." nor "..", no NUL (what rpm_write() and rpm_read() accept).
VITTE_DECL bool rpm_path_ok(text_view p);

/// The .rpm of `tar`: an uncompressed tar as archive::tar_writer writes it,
/// whose entries are the installed tree with paths relative to / ("usr/",
/// "usr/bin/", "usr/bin/hello", ...; the parents of the prefix first, as in
/// a .deb's data.tar). Files, directories, symlinks and hard links (to a
/// file before them: the names share one inode number and the data comes
/// once, as rpmbuild writes them).
/// Errors (ops::package): invalid_argument for a field rpm refuses (name,
/// version, a line break in the summary, a time outside 32 bits), an entry
/// path that is not relative and clean or appears twice, a hard link to no
/// file before it, a dependency that is not one line; not_supported for an
/// entry that is not a file, directory, symlink or hard link; limit_exceeded for a
/// file of 4 GiB or more or a package of 4 GiB or more; those of reading
/// the tar (its reader's kind and diagnostic). `why` gets the kind, the
/// entry or field as its subject and a static message. Thread safety: none
/// shared.
VITTE_DECL result<buffer<std::byte>> rpm_write(span<const std::byte> tar, const rpm_fields& f,
                                               vitte::diagnostic* why = nullptr);

/// rpm_write() of the tree as list_package_tree() lists it (paths relative
/// to /, each file read from its `source` in pieces), written to `out` as
/// it is made, the compressed payload set aside in a scratch file in
/// `scratch_dir` (in memory when empty) until the header holding its
/// digest is out: memory does not grow with the files. The same bytes as
/// rpm_write() of the tar of the same tree. `installs` gets what the
/// package installs, as rpm_read() lists it. Errors: rpm_write()'s, those
/// of reading a file (about it) and of writing to `out`.
VITTE_DECL status rpm_write_tree(span<const tree_item> items, const rpm_fields& f, archive_sink& out,
                                 text_view scratch_dir, std::vector<package_entry>& installs,
                                 vitte::diagnostic* why = nullptr);

/// The package from its main header and compressed payload: the lead, the
/// signature header with every digest (and `signature`, an OpenPGP
/// signature packet of `header`, as tag 267 when not empty), then both.
/// `payload_size` is the uncompressed size. Errors (ops::package):
/// limit_exceeded when header and payload pass 4 GiB.
VITTE_DECL result<buffer<std::byte>> rpm_assemble(text_view nevr, text_view arch, text_view header,
                                                  span<const std::byte> payload, std::uint64_t payload_size,
                                                  span<const std::byte> signature = {});

/// Reads a .rpm: lead, signature header, main header; checks the header's
/// SHA-256 (required) and SHA-1, the payload's SHA-256 (PAYLOADDIGEST,
/// required), the MD5 of header and payload, the sizes; decompresses the
/// gzip payload within a bound from the header's sizes (never more than
/// 1032 bytes per compressed byte) and lists its cpio, each member checked
/// against the header's file list (mode, size, file digest, link target).
/// False with `why` filled on any problem: errc::malformed (limit_exceeded
/// for a payload larger than its file list allows), a byte offset in the
/// file no larger than its size (for a problem inside the compressed
/// payload, where the payload starts, the offset in the cpio in the
/// message), the part at fault as its subject ("header", "signature
/// header", the payload's file) and a static message; `out` may then hold
/// part of what was read. Hard links (names sharing an inode
/// number, the data with the last) read as files with the same data. A header
/// signature (tag 267), when there is one, must be one OpenPGP v4 EdDSA
/// signature packet of a binary document (openpgp_read_signature()); its
/// key ID and time go to `out`, but only rpm_verify_signature() checks it.
VITTE_DECL bool rpm_read(span<const std::byte> rpm, rpm_contents& out, vitte::diagnostic* why = nullptr);

/// rpm_read(), then checks the header signature against `key` (the public
/// key of rpm_fields::signer, created at rpm_key_created): false with
/// `why` filled as rpm_read() fills it, or (errc::verification_failed, at
/// the signature packet) when the package is unsigned, signed by another
/// key, or its signature does not verify over the main header.
VITTE_DECL bool rpm_verify_signature(span<const std::byte> rpm, const crypto::ed25519::public_key& key,
                                     vitte::diagnostic* why = nullptr);

/// The "PGP PUBLIC KEY BLOCK" that `rpm --import` takes for packages
/// rpm_write() signed with `kp`: openpgp_public_key_block() of the key
/// created at rpm_key_created. Errors: those of openpgp_public_key_block().
VITTE_DECL result<text> rpm_public_key_block(const crypto::ed25519::key_pair& kp, text_view user_id);

}  // namespace vitte::release::detail

#if VITTE_HEADER_ONLY
#include <vitte/release/detail/rpm_names.ipp>
#include <vitte/release/detail/rpm_reader.ipp>
#include <vitte/release/detail/rpm_writer.ipp>
#endif

#endif  // VITTE_RELEASE_DETAIL_RPM_HPP
