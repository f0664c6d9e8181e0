// vitte/release/detail/xar.hpp - xar archives, the container of a macOS
// flat package (.pkg): written deterministically, and read back with every
// checksum checked.
//
//   const xar_member m[] = {{.path = "Distribution", .data = dist, .compress = true},
//                           {.path = "hello.pkg", .directory = true},
//                           {.path = "hello.pkg/Payload", .data = payload}};
//   vitte::diagnostic why;
//   auto x = xar_write(m, {.time = 1700000000}, &why);
//   xar_contents c;
//   if (!xar_read(x->span(), c, &why)) ...             // what was wrong, at which offset, in which file
//   buffer<std::byte> data;
//   if (!xar_extract(x->span(), c, *c.find("hello.pkg/Payload"), 1 << 30, data, &why)) ...
//
// An archive is three parts:
// - the header, 28 bytes big-endian: "xar!", its size (28), version 1, the
//   compressed and uncompressed lengths of the table of contents (u64
//   each), and the TOC checksum's algorithm (1 SHA-1, 3 SHA-256, 4 SHA-512;
//   a longer header names another algorithm after these fields);
// - the table of contents (TOC): XML, zlib-compressed: <xar><toc> with a
//   <checksum style="sha1"> giving the offset (0) and size (20) in the heap
//   of the checksum of the compressed TOC, a <creation-time>, then a <file
//   id="N"> per member, directories holding their members' <file>s, each
//   with its times, owner (root, wheel), <mode>, <type> and <name>, and for
//   a file <data>: <length> and <offset> in the heap, <size> extracted,
//   <encoding style="application/octet-stream"> (stored) or
//   "application/x-gzip" (what xar calls its zlib streams), and the
//   <archived-checksum> and <extracted-checksum> (SHA-1, hex);
// - the heap: the TOC's checksum, then each file's bytes in TOC order.
// xar_write() writes SHA-1 throughout, as pkgbuild and productbuild do; the
// times are the caller's (the package's source date), so the same members
// give the same bytes.
//
// Reading is bounded: the TOC is inflated to its declared length and no
// further (at most xar_max_toc), its XML nests at most 64 elements deep
// and holds at most xar_max_toc_elements,
// every file's data lies inside the heap and overlaps no other's (nor the
// TOC's checksum), so checking every archived checksum reads each byte of
// the archive once; xar_extract() inflates to the file's declared size and
// no more, never past the caller's bound.
#ifndef VITTE_RELEASE_DETAIL_XAR_HPP
#define VITTE_RELEASE_DETAIL_XAR_HPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>
#include <vitte/base/result.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/release/detail/package_sink.hpp>  // members set aside, the archive written as it is made

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vitte::release::detail {

inline constexpr std::uint32_t xar_magic = 0x78617221;  // "xar!"
inline constexpr std::size_t xar_header_size = 28;
inline constexpr std::uint32_t xar_cksum_sha1 = 1, xar_cksum_sha256 = 3, xar_cksum_sha512 = 4;
/// The longest TOC (uncompressed) the reader takes.
inline constexpr std::uint64_t xar_max_toc = std::uint64_t{64} << 20;
/// The most elements a TOC may hold (some 120 bytes of memory each).
inline constexpr std::size_t xar_max_toc_elements = std::size_t{1} << 18;

/// One member to write: a file or a directory, its path in the archive
/// ("hello.pkg/Bom"), its bytes, and whether to store them zlib-compressed.
struct xar_member {
  text_view path;
  bool directory = false;
  span<const std::byte> data;
  bool compress = false;
  std::uint32_t mode = 0;  ///< 0: 0644 for a file, 0755 for a directory
  /// Instead of `data`: bytes set aside (a .pkg's Payload), stored as they
  /// are and read back in pieces, twice (their checksum, then the heap).
  set_aside* stored = nullptr;
};

struct xar_options {
  std::int64_t time = 0;  ///< seconds since 1970: the creation time and every member's times
  int level = 9;          ///< zlib level of compressed members and of the TOC, 1..9
};

/// The archive of `members`, in their order: each directory before what it
/// holds. Errors (ops::package): invalid_argument for a path that is empty,
/// has an empty, "." or ".." component, appears twice or lies in no
/// directory given before it; no_memory. `why` gets the kind, the path
/// as its subject and a static message.
VITTE_DECL result<buffer<std::byte>> xar_write(span<const xar_member> members, const xar_options& o,
                                               vitte::diagnostic* why = nullptr);
/// xar_write() to `out` as it is made. Errors: xar_write()'s, those of
/// reading a stored member back and of writing to `out`.
VITTE_DECL status xar_write_to(span<const xar_member> members, const xar_options& o, archive_sink& out,
                               vitte::diagnostic* why = nullptr);

/// The lower-case hex of the `style` digest ("sha1", "sha256" or "sha512")
/// of `data` into `hex`; false for another style.
VITTE_DECL bool xar_checksum(text_view style, span<const std::byte> data, std::string& hex);

/// One <file> of a TOC as read.
struct xar_file {
  std::uint64_t id = 0;
  std::string path;  ///< its names joined with '/'
  std::string type;  ///< "file", "directory", "symlink", ...
  std::uint32_t mode = 0;
  bool has_data = false;
  std::uint64_t offset = 0;  ///< in the heap
  std::uint64_t length = 0;  ///< archived bytes
  std::uint64_t size = 0;    ///< extracted bytes
  std::string encoding;      ///< the style: "application/octet-stream", "application/x-gzip", ...
  std::string checksum_style;
  std::string archived_checksum, extracted_checksum;  ///< lower-case hex
  std::size_t toc_offset = 0;                         ///< of its <file> in the TOC's XML
};

struct xar_contents {
  std::uint32_t checksum_algorithm = 0;
  std::string checksum_style;  ///< "sha1", "sha256", "sha512"
  std::uint64_t toc_length = 0, toc_size = 0;
  std::uint64_t heap = 0;                                        ///< where the heap starts in the archive
  std::uint64_t toc_checksum_offset = 0, toc_checksum_size = 0;  ///< in the heap
  std::string creation_time;
  std::vector<xar_file> files;  ///< in TOC order (each directory before what it holds)
  std::string toc;              ///< the TOC's XML

  /// The file at `path`, or null.
  VITTE_DECL const xar_file* find(text_view path) const noexcept;
};

/// Reads `xar`'s header and TOC: the TOC inflated to exactly its declared
/// length, its checksum (the header's algorithm, the TOC's style) compared
/// with the heap's copy, every <file> listed with its path, every data
/// range inside the heap and apart from the others, every archived
/// checksum verified. False with `why` filled on any problem: errc::malformed,
/// an offset in `xar` no larger than its size (for a problem in the TOC's
/// XML, where the TOC starts, the offset in the XML said in the message),
/// the file concerned once its name is read, a static message; `out` may
/// then hold part of what was read.
VITTE_DECL bool xar_read(span<const std::byte> xar, xar_contents& out, vitte::diagnostic* why = nullptr);

/// The extracted bytes of `f`, a file of `c` (xar_read() of the same
/// `xar`): stored or inflated, exactly `f.size` bytes, which must not pass
/// `max_size`, and the extracted checksum verified. False with `why`
/// filled otherwise, or for an encoding other than application/octet-stream
/// and application/x-gzip: errc::malformed (limit_exceeded past
/// `max_size`), where its data starts, its path, a static message.
VITTE_DECL bool xar_extract(span<const std::byte> xar, const xar_contents& c, const xar_file& f, std::uint64_t max_size,
                            buffer<std::byte>& out, vitte::diagnostic* why = nullptr);

}  // namespace vitte::release::detail

#if VITTE_HEADER_ONLY
#include <vitte/release/detail/xar_reader.ipp>
#include <vitte/release/detail/xar_writer.ipp>
#endif

#endif  // VITTE_RELEASE_DETAIL_XAR_HPP
