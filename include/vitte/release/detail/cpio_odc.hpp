// vitte/release/detail/cpio_odc.hpp - the old portable cpio format ("odc",
// POSIX.1's cpio interchange format), as a macOS package's Payload and
// Scripts hold it: for each member a 76-byte header of octal digits
// ("070707", device 6, inode 6, mode 6, uid 6, gid 6, link count 6, rdev 6,
// mtime 11, name size with its NUL 6, data size 11), the NUL-terminated
// name, the data; no padding anywhere. The archive ends with a member named
// "TRAILER!!!". (newc, an .rpm's payload, is cpio.hpp.)
//
//   std::string a;
//   cpio_odc_append(a, "./bin/hello", {.ino = 1, .mode = 0100755, .nlink = 1}, data);
//   cpio_odc_finish(a);
//   std::vector<cpio_member> m;
//   vitte::diagnostic why;
//   if (!cpio_odc_read(bytes_of(a), m, &why)) ...   // what was wrong, at which offset, in which member
//
// The reader is bounded as cpio_read() is: nothing read past its input, a
// name or size larger than what remains refused, views into the input.
#ifndef VITTE_RELEASE_DETAIL_CPIO_ODC_HPP
#define VITTE_RELEASE_DETAIL_CPIO_ODC_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/release/detail/cpio.hpp>  // cpio_fields, cpio_member, the trailer's name

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vitte::release::detail {

inline constexpr text_view cpio_odc_magic = "070707";
inline constexpr std::size_t cpio_odc_header_size = 76;

/// Appends a member (its device and rdev written 0: `dev_*` and `rdev_*`
/// are ignored); false, `out` unchanged, when the name is empty, holds a
/// NUL or is longer than cpio_max_name, a field passes its octal digits
/// (inode, mode, uid, gid and link count: 0777777; mtime 077777777777) or the
/// data is 8 GiB or more.
VITTE_DECL bool cpio_odc_append(std::string& out, text_view name, const cpio_fields& f, span<const std::byte> data);
/// Appends a member's header and name alone: its `size` bytes of data
/// follow. False as cpio_odc_append().
VITTE_DECL bool cpio_odc_header(std::string& out, text_view name, const cpio_fields& f, std::uint64_t size);

/// Appends the "TRAILER!!!" member that ends an archive.
inline void cpio_odc_finish(std::string& out) { (void)cpio_odc_append(out, cpio_trailer, cpio_fields{}, {}); }

/// The members of `a` before its trailer (device numbers reported as
/// `dev_major` and `rdev_major`), or false with `why` filled as
/// cpio_read() fills it. After the trailer only zero bytes may follow
/// (block padding).
VITTE_DECL bool cpio_odc_read(span<const std::byte> a, std::vector<cpio_member>& out, vitte::diagnostic* why = nullptr);

}  // namespace vitte::release::detail

#if VITTE_HEADER_ONLY
#include <vitte/release/detail/cpio_odc.ipp>
#endif

#endif  // VITTE_RELEASE_DETAIL_CPIO_ODC_HPP
