// vitte/release/detail/cpio.hpp - the SVR4 "newc" cpio format, as an .rpm's
// payload holds it: for each member a 110-byte header ("070701" and
// thirteen 8-digit hexadecimal fields: inode, mode, uid, gid, link count,
// mtime, data size, device major and minor, rdev major and minor, name size
// with its NUL, checksum 0), the NUL-terminated name padded so that header
// and name end on a multiple of 4, the data padded to a multiple of 4; the
// archive ends with a member named "TRAILER!!!".
//
//   std::string a;
//   cpio_append(a, "./usr/bin/hello", {.ino = 1, .mode = 0100755, .nlink = 1}, data);
//   cpio_finish(a);
//   std::vector<cpio_member> m;
//   vitte::diagnostic why;
//   if (!cpio_read(bytes_of(a), m, &why)) ...   // what was wrong, at which offset, in which member
//
// The reader is bounded: it never reads past its input, refuses a name or a
// size larger than what remains, and keeps views into the input (no copy of
// the data).
#ifndef VITTE_RELEASE_DETAIL_CPIO_HPP
#define VITTE_RELEASE_DETAIL_CPIO_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vitte::release::detail {

inline constexpr text_view cpio_newc_magic = "070701";
inline constexpr text_view cpio_trailer = "TRAILER!!!";
inline constexpr std::size_t cpio_header_size = 110;
/// The longest name, with its NUL, the reader accepts (rpm's own limit).
inline constexpr std::size_t cpio_max_name = 4096;

/// The fields of a member's header besides its name and size.
struct cpio_fields {
  std::uint32_t ino = 0, mode = 0, uid = 0, gid = 0, nlink = 1, mtime = 0;
  std::uint32_t dev_major = 0, dev_minor = 0, rdev_major = 0, rdev_minor = 0;
};

/// One member as read: `name` and `data` are views into the archive.
struct cpio_member {
  text_view name;
  cpio_fields fields;
  span<const std::byte> data;
  std::size_t offset = 0;  ///< Of its header in the archive.
};

/// Bytes that pad `n` to a multiple of 4.
constexpr std::size_t cpio_pad(std::size_t n) noexcept { return (4 - n % 4) % 4; }

/// Appends a member; false (and `out` unchanged) when the name is empty,
/// holds a NUL or is longer than cpio_max_name, or the data does not fit
/// the 32-bit size field.
VITTE_DECL bool cpio_append(std::string& out, text_view name, const cpio_fields& f, span<const std::byte> data);
/// Appends a member's header and name alone: its `size` bytes of data and
/// cpio_pad(size) zeros follow. False as cpio_append().
VITTE_DECL bool cpio_header(std::string& out, text_view name, const cpio_fields& f, std::uint64_t size);

/// Appends the "TRAILER!!!" member that ends an archive.
inline void cpio_finish(std::string& out) { (void)cpio_append(out, cpio_trailer, cpio_fields{}, {}); }

/// The members of `a` before its trailer, or false with `why` filled:
/// errc::malformed, the byte offset (no larger than `a.size()`), the member
/// whose header, name or data is at fault once its name is read, and a
/// static message. After the trailer only zero bytes may follow (block
/// padding).
VITTE_DECL bool cpio_read(span<const std::byte> a, std::vector<cpio_member>& out, vitte::diagnostic* why = nullptr);

}  // namespace vitte::release::detail

#if VITTE_HEADER_ONLY
#include <vitte/release/detail/cpio.ipp>
#endif

#endif  // VITTE_RELEASE_DETAIL_CPIO_HPP
