// vitte/release/detail/ar.hpp - the Unix ar format as Debian packages use it:
// "!<arch>\n", then for each member a 60-byte header (name, mtime, owner,
// group, octal mode, decimal size, "`\n") and its data padded to an even
// length with '\n'.
#ifndef VITTE_RELEASE_DETAIL_AR_HPP
#define VITTE_RELEASE_DETAIL_AR_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vitte::release::detail {

inline constexpr text_view ar_magic = "!<arch>\n";

/// Appends a member (names up to 16 bytes; mode 0644, owner 0); false when
/// its size or time does not fit the header's decimal fields.
VITTE_DECL bool ar_append(std::string& out, text_view name, std::int64_t mtime, span<const std::byte> data);
/// Appends a member's header alone (and the magic to an empty `out`): its
/// `size` bytes of data, and a '\n' after an odd size, follow. False as
/// ar_append().
VITTE_DECL bool ar_header(std::string& out, text_view name, std::int64_t mtime, std::uint64_t size);

/// The size of a member's header.
inline constexpr std::size_t ar_header_size = 60;

/// Reads the member header `h` (at byte `at` of the archive: a reader that
/// takes the archive in pieces passes each header): its name and data size,
/// or false with `why` filled as ar_read() fills it (a header shorter than
/// ar_header_size is cut short).
VITTE_DECL bool ar_member_header(text_view h, std::uint64_t at, text_view& name, std::uint64_t& size,
                                 vitte::diagnostic* why = nullptr);

struct ar_member {
  std::string name;
  span<const std::byte> data;
};

/// The members of `a`, or false with `why` filled: errc::malformed, the
/// byte offset, the member whose header or data is at fault (none for the
/// magic) and a static text.
VITTE_DECL bool ar_read(span<const std::byte> a, std::vector<ar_member>& out, vitte::diagnostic* why = nullptr);

}  // namespace vitte::release::detail

#if VITTE_HEADER_ONLY
#include <vitte/release/detail/ar.ipp>
#endif

#endif  // VITTE_RELEASE_DETAIL_AR_HPP
