// vitte/archive/tar.hpp - tar archives: reading (ustar, pax, GNU long names),
// deterministic writing, and packing a directory tree.
//
//   namespace va = vitte::archive;
//   va::tar_reader r(bytes);
//   while (const va::entry* e = r.next().value_or(nullptr))
//     std::printf("%s %llu\n", e->path.c_str(), (unsigned long long)e->size);
//   if (r.failure().what[0] != '\0') ...      // what was wrong, and where
//
//   va::tar_writer w;                          // mtime 0, owner 0, fixed modes
//   w.add_directory("pkg").value();
//   w.add_file("pkg/README", bytes).value();
//   vitte::buffer<std::byte> tar = w.finish();
//
// pack_tree() (<vitte/archive/pack.hpp>) archives a directory tree and
// extract() (<vitte/archive/extract.hpp>) unpacks one safely.
//
// The reader is strict, because a lenient tar reader is how two programs come
// to see different files in one archive:
// - every header's checksum is checked;
// - a pax size must match the header's size unless that is 0;
// - links, directories, devices and FIFOs carry no data;
// - an archive must end with its end-of-archive blocks (a truncated one is an
//   error, unexpected_eof);
// - sparse files, volume labels and the other GNU extensions are refused.
// Each failure names what was wrong, the entry, and its offset (failure()).
//
// The writer is deterministic: the same entries give the same bytes.
// - Owner and group are 0, with no names.
// - Every entry has the mtime of write_options: SOURCE_DATE_EPOCH when
//   from_environment() is used, else 0.
// - Directories get mode 0755, files 0644 (0755 when executable).
// - Names longer than ustar allows go in a pax header.
#ifndef VITTE_ARCHIVE_TAR_HPP
#define VITTE_ARCHIVE_TAR_HPP

#include <vitte/archive/operations.hpp>
#include <vitte/buffer.hpp>
#include <vitte/result.hpp>
#include <vitte/span.hpp>
#include <vitte/text.hpp>
#include <vitte/text_view.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::archive {

/// What an entry is.
enum class entry_type : std::uint8_t { file, directory, symlink, hard_link, char_device, block_device, fifo };

/// "file", "directory", "symlink", "hard link", ...
text_view to_string(entry_type t) noexcept;

/// One member of an archive, with pax and GNU overrides applied.
struct entry {
  text path;  ///< As stored, without a trailing '/'.
  entry_type type = entry_type::file;
  std::uint32_t mode = 0644;  ///< Permission bits, with setuid, setgid and sticky as stored.
  std::uint64_t size = 0;     ///< Bytes of data (files).
  std::int64_t mtime = 0;     ///< Seconds since the epoch.
  std::uint64_t uid = 0, gid = 0;
  text user, group;
  text link;                 ///< A symlink's target, or the path a hard link names.
  std::uint64_t offset = 0;  ///< Of the entry's first header in the archive.
};

/// What went wrong, and where: `what` is a sentence fragment ("bad header
/// checksum"), `path` the entry (empty when unknown), `offset` a byte offset
/// in the archive.
struct problem {
  const char* what = "";
  text path;
  std::uint64_t offset = 0;
};

/// Bounds on what a reader accepts (limit_exceeded beyond them).
struct read_limits {
  std::uint64_t max_entries = 1'000'000;
  std::size_t max_path = 4096;          ///< Bytes of a path or link target.
  std::size_t max_pax_bytes = 1 << 20;  ///< Of one pax or GNU long-name header's data.
};

/// Reads the entries of a tar archive held in memory, one at a time.
/// Thread safety: a value type.
class tar_reader {
 public:
  explicit tar_reader(span<const std::byte> archive, const read_limits& limits = {}) noexcept
      : data_(archive), limits_(limits) {}

  /// The next entry, or nullptr after the last. The entry stays valid until
  /// the next call. Errors (ops::tar_read): malformed, unexpected_eof,
  /// limit_exceeded, not_supported (an entry type no reader should guess
  /// at); failure() says what and where. After an error, next() repeats it.
  result<const entry*> next();
  /// The data of the entry next() returned (empty for all but files and
  /// hard links that carry data).
  span<const std::byte> data() const noexcept { return current_data_; }
  /// What the last error was about.
  const problem& failure() const noexcept { return failure_; }

 private:
  vitte::error fail(errc kind, const char* what, std::uint64_t at);

  span<const std::byte> data_;
  read_limits limits_;
  std::size_t at_ = 0;
  std::uint64_t count_ = 0;
  bool done_ = false;
  vitte::error error_;
  entry entry_;
  span<const std::byte> current_data_;
  problem failure_;
  text global_user_, global_group_;
  bool global_uid_set_ = false, global_gid_set_ = false, global_mtime_set_ = false;
  std::uint64_t global_uid_ = 0, global_gid_ = 0;
  std::int64_t global_mtime_ = 0;
};

/// Every entry of `archive`, in order (without their data).
/// Errors: those of tar_reader::next().
result<buffer<entry>> list(span<const std::byte> archive, const read_limits& limits = {}, problem* why = nullptr);

/// How entries are written.
struct write_options {
  std::int64_t mtime = 0;  ///< Every entry's modification time (seconds).
  /// mtime from SOURCE_DATE_EPOCH when it holds a decimal number, else 0.
  static write_options from_environment();
};

/// Writes a tar archive in memory (POSIX ustar, with pax headers for what
/// ustar cannot hold). Paths are written as given, relative, with '/'.
/// Thread safety: a value type.
class tar_writer {
 public:
  explicit tar_writer(const write_options& options = {}) : options_(options) {}

  /// Errors (ops::tar_write): invalid_argument for an empty or absolute
  /// path, one with a NUL, "." or ".." components.
  status add_directory(text_view path, std::uint32_t mode = 0755);
  status add_file(text_view path, span<const std::byte> data, std::uint32_t mode = 0644);
  status add_symlink(text_view path, text_view target);
  status add_hard_link(text_view path, text_view target);
  /// Room for `bytes` of archive (each entry takes 512 bytes of header, its
  /// data rounded up to 512, and a pax header for long names; the end takes
  /// 1,024), so that writing does not move the archive as it grows.
  void reserve(std::size_t bytes) { out_.reserve(bytes); }
  /// The archive, with its end-of-archive blocks. The writer is empty after.
  buffer<std::byte> finish();

 private:
  status add(text_view path, entry_type type, std::uint32_t mode, span<const std::byte> data, text_view link);
  buffer<std::byte> out_;
  write_options options_;
};

}  // namespace vitte::archive

#include <vitte/archive/impl/tar_reader.hpp>
#include <vitte/archive/impl/tar_writer.hpp>

#endif  // VITTE_ARCHIVE_TAR_HPP
