// vitte/release/detail/cfb.hpp - the Compound File Binary format (MS-CFB),
// the "file system in a file" that holds a Windows Installer package: a
// 512-byte header, then sectors chained by a FAT (whose own sectors the
// header and DIFAT sectors list), a directory of 128-byte entries arranged
// as a red-black tree per storage, and a mini stream (64-byte sectors chained
// by the MiniFAT) for streams shorter than 4096 bytes.
//
//   std::vector<cfb_input> in = {{u"\x4840...", bytes}, ...};
//   buffer<std::byte> file;
//   vitte::diagnostic why;
//   if (!cfb_write(in, msi_clsid, file, &why)) ...        // version 3, deterministic
//   cfb_contents back;
//   if (!cfb_read(file.span(), back, &why)) ...           // the root's streams
//
// The writer makes a version 3 file (512-byte sectors) with every stream in
// the root storage, each directory tree balanced and all black (readers do
// not check the colours; a balanced tree keeps lookups short), zero times,
// and the layout fixed by the streams' order: the same input gives the same
// bytes. The reader takes versions 3 and 4 and trusts nothing: every sector
// index is checked against the file, every sector may belong to one chain
// only (so a chain that loops, or two streams that share sectors, is an
// error, and what it copies never exceeds the file's size), and every count
// is bounded by the file's size. It reads the streams of the root storage;
// sub-storages are listed by name only.
#ifndef VITTE_RELEASE_DETAIL_CFB_HPP
#define VITTE_RELEASE_DETAIL_CFB_HPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>
#include <vitte/base/span.hpp>
#include <vitte/release/detail/package_sink.hpp>  // where the file goes as it is made

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vitte::release::detail {

inline constexpr std::uint32_t cfb_free_sector = 0xFFFFFFFF;   // FREESECT, and NOSTREAM in the directory
inline constexpr std::uint32_t cfb_end_of_chain = 0xFFFFFFFE;  // ENDOFCHAIN
inline constexpr std::uint32_t cfb_fat_sector = 0xFFFFFFFD;    // FATSECT
inline constexpr std::uint32_t cfb_difat_sector = 0xFFFFFFFC;  // DIFSECT
inline constexpr std::uint32_t cfb_max_sector = 0xFFFFFFFA;    // MAXREGSECT + 1
inline constexpr std::size_t cfb_mini_cutoff = 4096;           // shorter streams live in the mini stream
inline constexpr unsigned char cfb_signature[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

/// A stream to write: its name (1 to 31 UTF-16 code units, none of '/',
/// '\\', ':', '!') and its bytes; or, for one too large to hold in memory,
/// its `size` and `fill`, which writes exactly that many bytes to the sink
/// when the stream's turn comes (a cabinet read back from a scratch file).
struct cfb_input {
  std::u16string name;
  span<const std::byte> data;
  std::uint64_t size = 0;
  status (*fill)(archive_sink& out, void* user) = nullptr;
  void* user = nullptr;
};

/// A stream read back, with the file offset of its first sector (for
/// messages; 0 when it has none).
struct cfb_stream {
  std::u16string name;
  buffer<std::byte> data;
  std::size_t offset = 0;
};

/// What cfb_read() finds: the root storage's CLSID, its streams in directory
/// tree order, and the names of its sub-storages (not read).
struct cfb_contents {
  std::uint8_t clsid[16] = {};
  std::vector<cfb_stream> streams;
  std::vector<std::u16string> storages;
};

/// The code unit as CFB compares names: upper case for ASCII and Latin-1
/// letters (the names MSI and most writers use; the full Unicode table the
/// specification cites is not needed for them).
constexpr char16_t cfb_upper(char16_t c) noexcept {
  if ((c >= u'a' && c <= u'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7)) return static_cast<char16_t>(c - 0x20);
  if (c == 0xFF) return 0x178;
  return c;
}

/// CFB's order of sibling names: the shorter first, then code unit by code
/// unit upper-cased. Negative, zero or positive.
VITTE_DECL int cfb_compare(std::u16string_view a, std::u16string_view b) noexcept;

/// Writes `streams` into a version 3 compound file whose root storage has
/// the CLSID `clsid` (16 bytes), to `out` sector by sector in file order:
/// the layout comes from the streams' sizes alone, so memory holds the
/// small streams and one piece of the FAT, never a large stream. False
/// with `why` filled (no position) for a bad or repeated name
/// (invalid_argument), a stream over 2 GiB (version 3's limit), a file too
/// large (limit_exceeded), a `fill` that wrote another size (io_error), or
/// an error writing to `out` or of `fill` (its kind).
VITTE_DECL bool cfb_write_to(span<const cfb_input> streams, const std::uint8_t* clsid, archive_sink& out,
                             vitte::diagnostic* why = nullptr);

/// cfb_write_to() into memory.
VITTE_DECL bool cfb_write(span<const cfb_input> streams, const std::uint8_t* clsid, buffer<std::byte>& out,
                          vitte::diagnostic* why = nullptr);

/// Reads the compound file `file`: the root's CLSID and streams. False
/// with `why` filled (errc::malformed, a byte offset in `file`, a static
/// message) on any problem: a bad header, a sector number outside the
/// file, a chain that loops or shares a sector with another, a directory
/// entry that is not one, a stream longer than its chain.
VITTE_DECL bool cfb_read(span<const std::byte> file, cfb_contents& out, vitte::diagnostic* why = nullptr);

}  // namespace vitte::release::detail

#if VITTE_HEADER_ONLY
#include <vitte/release/detail/cfb.ipp>
#endif

#endif  // VITTE_RELEASE_DETAIL_CFB_HPP
