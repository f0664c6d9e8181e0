// vitte/archive/extract.hpp - safe extraction of a tar archive.
//
//   namespace va = vitte::archive;
//   vitte::diagnostic why;
//   va::refusal reason = va::refusal::none;
//   auto r = va::extract(bytes, "out", {}, &why, &reason);
//   if (!r) std::fprintf(stderr, "%s\n", why.format().c_str());
//   // "../etc/passwd: at offset 0x400: parent reference (..)" (entry, its header, what)
//   // why.kind() == r.error().kind(); reason == va::refusal::parent_reference
//
//   auto f = vitte::sys::file::open("big.tar", vitte::sys::open_mode::read).value();
//   auto s = va::extract(f, "out", {}, &why);  // streamed: memory independent of the size
//
// The diagnostic's subject is the entry's name escaped as escaped_name()
// escapes it (control characters and what is not UTF-8), so that a hostile
// name cannot drive the terminal; the destination when no entry was read.
//
// Nothing is written outside the destination:
// - Every directory on the way is opened relative to its parent without
//   following symbolic links: an entry under a link (the archive's own or one
//   already there) is refused.
// - Absolute paths, ".." components and names Windows cannot hold (CON, NUL,
//   COM1, a trailing dot or space, <>:"|?*\) are refused.
// - A symbolic link whose target is absolute, or leaves the destination
//   (counted from the link's directory, with ".." only at its start), is
//   refused.
// - A hard link must name a file this archive extracted before.
// - Device nodes and FIFOs are refused.
// - A GNU sparse file is written run by run at its offsets and given its
//   real size: the holes stay holes where the file system has them (zeros
//   elsewhere, as on Windows). Its real size counts against the limits.
// - Existing files are never replaced.
// - No permission or time is set after the fact, so no fix-up pass follows
//   a link: files get their mode when created (setuid, setgid and sticky
//   dropped, the umask applied) and their mtime through their own handle.
// - Limits bound the entries, the bytes of one file and of all files, and
//   the depth.
// The destination is created when missing. It must be empty unless
// into_existing is set.
//
// Each refusal has its own `refusal` value. Its error is
// vitte::error{kind, ops::tar_extract}, and `why` gets that kind, the entry
// (subject), the offset of its header, and what was wrong; when the file
// system said no, the path it could not create or write and the system's
// message too ("top/a.txt: at offset 0x0: cannot create the file
// out/top/a.txt: open: permission denied (errno 13: ...)"); when the
// archive could not be read, the reader's failure().
#ifndef VITTE_ARCHIVE_EXTRACT_HPP
#define VITTE_ARCHIVE_EXTRACT_HPP

#include <vitte/archive/tar.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>  // why

namespace vitte::archive {

/// Why extract() refused an entry.
enum class refusal : std::uint8_t {
  none,
  absolute_path,     ///< "/etc/passwd", "C:...", "\\server\..."
  parent_reference,  ///< a ".." component
  windows_name,      ///< CON, NUL, COM1, LPT1, a trailing dot or space, <>:"|?*\ or a control character
  through_symlink,   ///< a directory on the way is a symbolic link
  not_a_directory,   ///< a directory on the way is a file
  link_escapes,      ///< a symbolic link that points outside the destination, or is absolute
  hard_link_target,  ///< a hard link to something this archive did not extract as a file
  special_file,      ///< a device node or FIFO
  already_exists,    ///< the name is taken
  destination_not_empty,
  too_many_entries,
  too_large,  ///< one file, or all files together, beyond the limits
  too_deep,
  unreadable,  ///< the archive itself (see the reader's failure)
  io_error,    ///< the file system said no
};

/// "absolute path", "parent reference", ...
VITTE_DECL text_view to_string(refusal r) noexcept;

struct extract_limits {
  std::uint64_t max_entries = 100'000;
  std::uint64_t max_file_bytes = std::uint64_t(4) << 30;    ///< 4 GiB
  std::uint64_t max_total_bytes = std::uint64_t(16) << 30;  ///< 16 GiB
  std::size_t max_depth = 64;
};

struct extract_options {
  extract_limits limits;
  bool into_existing = false;  ///< Extract into a destination that has files already.
  bool symlinks = true;        ///< Create symbolic links (else refused: link_escapes).
  bool hard_links = true;      ///< Create hard links (else refused: hard_link_target).
  bool keep_mtime = true;      ///< Give files their archived mtime.
};

/// What an extraction made.
struct extract_report {
  std::uint64_t files = 0, directories = 0, symlinks = 0, hard_links = 0, bytes = 0;
};

/// Extracts `archive` into `destination` (see the file comment).
/// Errors (ops::tar_extract): permission_denied (a refusal of the rules
/// above), limit_exceeded, already_exists, those of reading the archive and
/// of the file system; `why` (nullable) says which entry and why, and
/// `reason` (nullable) which rule refused it: the one thing callers branch
/// on (a test, a tool treating already_exists apart), so it stays a value
/// beside the diagnostic, which says the same in words.
VITTE_DECL result<extract_report> extract(span<const std::byte> archive, text_view destination,
                                          const extract_options& options = {}, vitte::diagnostic* why = nullptr,
                                          refusal* reason = nullptr);

/// As extract(), reading the archive from `source` in one pass (a
/// sys::file, a pipe, a decompressor: see byte_source), with the same rules
/// and limits. Memory holds one header, one extended header, one sparse map
/// and a 64 KiB piece of a file, whatever the archive's size; entries
/// already extracted stay when a later one is refused or the archive ends
/// early. Errors: extract()'s, and the source's.
template <byte_source Source>
result<extract_report> extract(Source& source, text_view destination, const extract_options& options = {},
                               vitte::diagnostic* why = nullptr, refusal* reason = nullptr);

}  // namespace vitte::archive

#include <vitte/archive/impl/extract.hpp>  // the template: extract() of a byte_source

#if VITTE_HEADER_ONLY
#include <vitte/archive/impl/extract.ipp>
#endif

#endif  // VITTE_ARCHIVE_EXTRACT_HPP
