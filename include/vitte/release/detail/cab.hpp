// vitte/release/detail/cab.hpp - Microsoft cabinets (MS-CAB), the archive a
// Windows Installer package embeds its files in: a header, folders (each a
// run of data blocks compressed together), files (a name, a size and an
// offset into their folder's uncompressed data), and data blocks (CFDATA:
// a checksum, the compressed and uncompressed sizes, the bytes).
//
//   std::vector<cab_input> in = {{"f1", bytes1}, {"f2", bytes2}};
//   buffer<std::byte> cab;
//   vitte::diagnostic why;
//   if (!cab_write(in, 9, time, cab, &why)) ...       // one folder, MSZIP
//   cab_contents back;
//   if (!cab_read(cab.span(), back, &why)) ...
//   span<const std::byte> first = back.data(back.files[0]);
//
// The writer (cab_stream; cab_write() runs it into memory) compresses
// with MSZIP (each block "CK" and a raw DEFLATE stream of at most 32768
// bytes, compressed on its own, without the previous block as dictionary)
// or stores (level 0), with the checksum of every block, and the same
// bytes for the same input. Blocks go out as they fill, so a file is never
// whole in memory; the header, folders and file entries that precede them
// are made once every file is in. A folder holds at most 65535 blocks
// (cab_folder_max bytes, 2 GiB - 32 KiB): the files go into one folder
// while they fit, then into the next, and a file cannot leave its folder
// (only a set of several cabinets can carry one across), so cab_folder_max
// is the largest file. File names are what Windows Installer looks files
// up by: the File table's keys.
//
// The reader takes single cabinets (not sets spanning several), stored or
// MSZIP folders (MSZIP blocks may use the previous 32 KiB as dictionary,
// as Microsoft's writer does), reserved areas, and checks every offset,
// size and checksum; files may not overlap or run past their folder, and
// folders may not share data blocks. What it decompresses is bounded:
// every block's declared size is checked before any is decoded, against
// `max_output` and against DEFLATE's ceiling of 1032 bytes out per byte
// in, and each block must produce exactly its declared size.
#ifndef VITTE_RELEASE_DETAIL_CAB_HPP
#define VITTE_RELEASE_DETAIL_CAB_HPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/release/detail/package_sink.hpp>  // where the blocks go

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vitte::release::detail {

inline constexpr std::size_t cab_block = 32768;  // uncompressed bytes in an MSZIP block, at most
/// The most bytes one folder (65535 blocks of 32 KiB), hence one file, holds.
inline constexpr std::uint64_t cab_folder_max = std::uint64_t{0xFFFF} * cab_block;
/// What a file over cab_folder_max is refused with.
inline constexpr char cab_file_too_large[] =
    "a file over 2147450880 bytes (2 GiB - 32 KiB), the most one cabinet folder holds (65535 blocks of 32 KiB; a "
    "file cannot leave its folder)";
inline constexpr std::uint64_t cab_default_limit = sizeof(std::size_t) >= 8 ? std::uint64_t{1} << 34 : 1u << 30;

/// A file to write: its name in the cabinet and its bytes.
struct cab_input {
  text_view name;
  span<const std::byte> data;
};

/// A file read back: where its bytes are in its folder's data, and the
/// offset of its CFFILE entry in the cabinet.
struct cab_file {
  std::string name;
  std::uint32_t size = 0, offset = 0;
  std::uint16_t folder = 0, attributes = 0, date = 0, time = 0;
  std::size_t at = 0;
};

/// What cab_read() finds: the files, each folder's uncompressed data, and
/// the uncompressed bytes the data blocks declare, together.
struct cab_contents {
  std::vector<cab_file> files;
  std::vector<buffer<std::byte>> folders;
  std::uint64_t declared = 0;
  /// The bytes of `f`, one of `files`.
  span<const std::byte> data(const cab_file& f) const { return {folders[f.folder].data() + f.offset, f.size}; }
};

/// The cabinet checksum of `n` bytes at `p`, starting from `seed`: the
/// XOR of their little-endian 32-bit words, the last 1 to 3 bytes taken as
/// one word, first byte highest.
VITTE_DECL std::uint32_t cab_checksum(const std::byte* p, std::size_t n, std::uint32_t seed) noexcept;

/// The checksum of a CFDATA block: of its data, then of its two sizes.
VITTE_DECL std::uint32_t cab_block_checksum(span<const std::byte> data, std::uint16_t compressed, std::uint16_t plain);

/// The MS-DOS date and time (local time taken as UTC) of `seconds` since
/// 1970, clamped to 1980-2107 as the format allows.
VITTE_DECL void cab_dos_time(std::int64_t seconds, std::uint16_t& date, std::uint16_t& time);

/// A cabinet written as its files come: add() each file, write() its
/// bytes, then finish(). The data blocks go to `data` as they are made
/// (held back until 256 KiB have gathered, so a file gets few writes); what
/// precedes them in the cabinet comes from finish(). Memory: one block and
/// the file list.
class cab_stream {
 public:
  /// Blocks MSZIP at `level` (1-9) or stored (0), every file dated `time`;
  /// a new folder once the next file would take one past `folder_max`
  /// bytes (at most cab_folder_max; less to test several folders).
  cab_stream(int level, std::int64_t time, archive_sink& data, std::uint64_t folder_max = cab_folder_max);

  /// Starts the next file: `size` bytes under `name` (the previous file
  /// must have had all its bytes). False with `why` filled (no position)
  /// for a name that is empty, longer than 255 bytes or holds a NUL
  /// (invalid_argument), a 65536th file or a file over cab_folder_max
  /// (limit_exceeded); the name is the subject.
  bool add(text_view name, std::uint64_t size, vitte::diagnostic* why = nullptr);

  /// The next bytes of the current file, no more than add() said in all.
  /// Errors: compressing, and those `data` returns.
  status write(span<const std::byte> bytes);

  /// The last block out, and the cabinet's header, folders and file
  /// entries to `head`: the cabinet is `head` then what went to `data`.
  /// False with `why` filled for a file given fewer bytes than add() said
  /// (invalid_argument) or a cabinet over 4 GiB (limit_exceeded); errors
  /// of writing the last blocks.
  bool finish(buffer<std::byte>& head, vitte::diagnostic* why = nullptr);

 private:
  struct folder {
    std::uint64_t first = 0, plain = 0;  // its first block in the data, its bytes before compression
    std::uint32_t blocks = 0;
  };
  struct file {
    std::string name;
    std::uint32_t size = 0, offset = 0;
    std::uint16_t folder = 0;
  };
  status flush_block();
  status flush_out();
  int level_;
  std::uint64_t folder_max_;
  std::uint16_t date_ = 0, time_ = 0;
  archive_sink* data_;
  std::vector<folder> folders_;
  std::vector<file> files_;
  buffer<std::byte> block_, out_;
  std::uint64_t left_ = 0, written_ = 0;  // of the current file; of the data, out_ included
};

/// A cabinet of `files` (cab_stream, into memory): MSZIP at `level` (1-9),
/// or stored when `level` is 0; every file dated `time`. False with `why`
/// filled as cab_stream fills it.
VITTE_DECL bool cab_write(span<const cab_input> files, int level, std::int64_t time, buffer<std::byte>& out,
                          vitte::diagnostic* why = nullptr);

/// Reads the cabinet `cab`: its files and each folder's data. False with
/// `why` filled on any problem: errc::malformed (not_supported for a
/// cabinet set, Quantum or LZX; limit_exceeded for more than `max_output`
/// bytes), a byte offset in `cab`, the file whose entry or data is at fault
/// and a static message; a cabinet that declares more than DEFLATE can
/// produce from its size (a bomb) is malformed.
VITTE_DECL bool cab_read(span<const std::byte> cab, cab_contents& out, vitte::diagnostic* why = nullptr,
                         std::uint64_t max_output = cab_default_limit);

}  // namespace vitte::release::detail

#if VITTE_HEADER_ONLY
#include <vitte/release/detail/cab.ipp>
#endif

#endif  // VITTE_RELEASE_DETAIL_CAB_HPP
