// vitte/archive/tar.hpp - tar archives: reading (ustar, pax, GNU long names,
// GNU sparse files), from memory or from a stream, deterministic writing, and
// packing a directory tree.
//
//   namespace va = vitte::archive;
//   va::tar_reader r(bytes);
//   while (const va::entry* e = r.next().value_or(nullptr))
//     std::printf("%s %llu\n", va::escaped_name(e->path).c_str(), (unsigned long long)e->size);
//   if (r.failure()) std::puts(r.failure().format().c_str());
//   // "pkg/../x: at offset 0x400: bad header checksum" (entry, header offset, what)
//
//   auto f = vitte::sys::file::open("big.tar", vitte::sys::open_mode::read).value();
//   va::tar_stream_reader s(f);                // one header in memory at a time
//   while (const va::entry* e = s.next().value_or(nullptr))
//     while (std::size_t n = s.read_data(chunk).value_or(0)) use(chunk.first(n));
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
// - a NUL inside a name (GNU long name, pax path) is malformed;
// - GNU sparse files (old GNU 'S', pax 0.0, 0.1 and 1.0) are read with their
//   map checked: sorted, not overlapping, inside the real size, as many
//   bytes stored as the map says, at most read_limits::max_sparse_runs;
// - volume labels, multi-volume parts and other GNU extensions are refused
//   (not_supported), as are sparse formats other than those.
// Each failure is a vitte::diagnostic (failure(), list()'s `why`): the kind
// (the returned error's), the entry's name as subject (escaped as
// escaped_name() escapes it; empty before a name is known), the byte offset
// in the archive of the header or field at fault, and what was wrong.
// escaped_name() is an entry's name as it may be printed.
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
#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>  // failure(), why
#include <vitte/base/result.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>

#include <concepts>  // std::same_as (byte_source)
#include <cstddef>
#include <cstdint>

namespace vitte::archive {

/// What an entry is.
enum class entry_type : std::uint8_t { file, directory, symlink, hard_link, char_device, block_device, fifo };

/// "file", "directory", "symlink", "hard link", ...
VITTE_DECL text_view to_string(entry_type t) noexcept;

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
  /// A GNU sparse file: `size` is its real size, and its data holds only the
  /// runs of the reader's sparse_map(), one after the other; the rest of
  /// the file reads as zeros (holes).
  bool sparse = false;
};

/// A run of data in a sparse file: `size` bytes stored for [offset,
/// offset + size); runs are sorted and do not overlap.
struct sparse_run {
  std::uint64_t offset = 0, size = 0;
};

/// `name` (an entry's path, raw bytes from an archive) as it may be
/// printed: control characters, C1 controls, bytes that are not UTF-8,
/// bidirectional overrides and '\' are written as \n, \t, \r, \xNN (each
/// byte of a sequence) and \\, so a name cannot move a terminal's cursor,
/// change its colours or fake a line. The subjects of this layer's
/// diagnostics are names escaped so.
VITTE_DECL text escaped_name(text_view name);

/// Bounds on what a reader accepts (limit_exceeded beyond them).
struct read_limits {
  std::uint64_t max_entries = 1'000'000;
  std::size_t max_path = 4096;            ///< Bytes of a path or link target.
  std::size_t max_pax_bytes = 1 << 20;    ///< Of one pax or GNU long-name header's data.
  std::size_t max_sparse_runs = 1 << 18;  ///< Runs in one sparse file's map (16 bytes each in memory).
};

namespace detail {
class tar_core;
}

namespace detail {
// What both readers share: the header parser and its state (impl/tar_reader.hpp).
class tar_core {
 public:
  explicit tar_core(const read_limits& limits) noexcept : limits_(limits) {}
  template <class Source>
  result<const entry*> next(Source& source);
  vitte::error fail(errc kind, const char* what, std::uint64_t at);
  const vitte::diagnostic& failure() const noexcept { return failure_; }
  const vitte::error& last_error() const noexcept { return error_; }
  span<const sparse_run> sparse_map() const noexcept { return runs_.span(); }

 private:
  template <class Source>
  vitte::error read_sparse_1_0(Source& source, std::uint64_t& data_size, std::uint64_t here);
  vitte::error check_sparse(std::uint64_t data_size, std::uint64_t here);

  read_limits limits_;
  std::uint64_t count_ = 0;
  bool done_ = false;
  vitte::error error_;
  entry entry_;
  vitte::diagnostic failure_;  // the error's kind, the entry, the offset, what
  buffer<sparse_run> runs_;
  text global_user_, global_group_;
  bool global_uid_set_ = false, global_gid_set_ = false, global_mtime_set_ = false;
  std::uint64_t global_uid_ = 0, global_gid_ = 0;
  std::int64_t global_mtime_ = 0;
};

// The archive in memory: entry data are views into it.
struct memory_source {
  span<const std::byte> archive;
  std::size_t at = 0;
  span<const std::byte> current;  // the data of the entry next() returned
  std::uint64_t position() const noexcept { return at; }
  result<span<const std::byte>> take(std::size_t n, int slot) noexcept;
  status begin_data(std::uint64_t size) noexcept;
  status end_data() noexcept {
    current = {};
    return {};
  }
};
}  // namespace detail

/// Reads the entries of a tar archive held in memory, one at a time.
/// Thread safety: a value type.
class tar_reader {
 public:
  explicit tar_reader(span<const std::byte> archive, const read_limits& limits = {}) noexcept
      : source_{archive, 0, {}}, core_(limits) {}

  /// The next entry, or nullptr after the last. The entry stays valid until
  /// the next call. Errors (ops::tar_read): malformed, unexpected_eof,
  /// limit_exceeded, not_supported (an entry type no reader should guess
  /// at); failure() says what, about which entry and where. After an error,
  /// next() repeats it.
  result<const entry*> next();
  /// The data of the entry next() returned (empty for all but files and
  /// hard links that carry data). For a sparse entry, the runs of
  /// sparse_map() one after the other (fewer bytes than entry::size).
  span<const std::byte> data() const noexcept { return source_.current; }
  /// The runs of the sparse entry next() returned (empty for others).
  span<const sparse_run> sparse_map() const noexcept { return core_.sparse_map(); }
  /// The last error: its kind, the entry (escaped name; empty when no name
  /// was read yet), the byte offset of the header or field, what was wrong.
  /// Empty (false) before an error.
  const vitte::diagnostic& failure() const noexcept { return core_.failure(); }

 private:
  detail::memory_source source_;
  detail::tar_core core_;
};

/// Anything that fills a span from the start and says how much it filled,
/// less than asked only at the end: vitte::sys::file (its read()), or a
/// struct over a pipe, a socket or a decompressor.
template <class S>
concept byte_source = requires(S& s, span<std::byte> into) {
  { s.read(into) } -> std::same_as<result<std::size_t>>;
};

namespace detail {
// The archive from a byte_source: headers and extended headers are read
// into buffers of their own, entry data by the caller through read_data().
template <class Source>
struct stream_source {
  explicit stream_source(Source* s) noexcept : source(s) {}
  Source* source;
  std::uint64_t at = 0;
  std::uint64_t remaining = 0, padding = 0;  // of the current entry's data
  buffer<std::byte> slots[2];                // a header; an extended header or a map block
  std::uint64_t position() const noexcept { return at; }
  result<span<const std::byte>> take(std::size_t n, int slot);
  status begin_data(std::uint64_t size) noexcept;
  status end_data();
  result<std::size_t> read_data(span<std::byte> into);
};
}  // namespace detail

/// Reads the entries of a tar archive from a byte_source, in one pass and
/// without seeking: memory holds one header, one extended header (at most
/// read_limits::max_pax_bytes) and one sparse map (at most max_sparse_runs),
/// whatever the size of the archive. The same checks as tar_reader, except
/// that truncated entry data is found when read (or skipped by next()).
/// Keeps a reference to `source`. Thread safety: one thread at a time.
template <byte_source Source>
class tar_stream_reader {
 public:
  explicit tar_stream_reader(Source& source, const read_limits& limits = {}) : source_(&source), core_(limits) {}

  /// As tar_reader::next(); the data of the previous entry that was not
  /// read is skipped. Errors: tar_reader::next()'s, and the source's.
  result<const entry*> next() { return core_.next(source_); }
  /// Reads the data of the entry next() returned into `into`: the count,
  /// 0 at the end of the entry's data (for a sparse entry, the runs of
  /// sparse_map() one after the other). Errors (ops::tar_read):
  /// unexpected_eof when the archive ends first, the source's; they stay,
  /// as next()'s do.
  result<std::size_t> read_data(span<std::byte> into);
  /// Bytes of the current entry's data not read yet.
  std::uint64_t data_left() const noexcept { return source_.remaining; }
  span<const sparse_run> sparse_map() const noexcept { return core_.sparse_map(); }
  /// As tar_reader::failure(); a source's error gives its kind.
  const vitte::diagnostic& failure() const noexcept { return core_.failure(); }

 private:
  detail::stream_source<Source> source_;
  detail::tar_core core_;
};

/// Every entry of `archive`, in order (without their data).
/// Errors: those of tar_reader::next(); `why` (nullable) gets its failure().
VITTE_DECL result<buffer<entry>> list(span<const std::byte> archive, const read_limits& limits = {},
                                      vitte::diagnostic* why = nullptr);

/// How entries are written.
struct write_options {
  std::int64_t mtime = 0;  ///< Every entry's modification time (seconds).
  /// mtime from SOURCE_DATE_EPOCH when it holds a decimal number, else 0.
  static write_options from_environment();
};

/// Writes a tar archive in memory (POSIX ustar, with pax headers for what
/// ustar cannot hold). Paths are written as given, relative, with '/'.
/// A file's data may also come in pieces (begin_file(), then append()), and
/// take() hands over what is written so far: an archive of any size then
/// goes out with the memory of one piece, as the same bytes finish() gives.
/// Thread safety: a value type.
class tar_writer {
 public:
  explicit tar_writer(const write_options& options = {}) : options_(options) {}

  /// Errors (ops::tar_write): invalid_argument for an empty or absolute
  /// path, one with a NUL, "." or ".." components.
  status add_directory(text_view path, std::uint32_t mode = 0755);
  status add_file(text_view path, span<const std::byte> data, std::uint32_t mode = 0644);
  status add_symlink(text_view path, text_view target);
  /// Another name for the file `target` written before; `mode` is the
  /// file's (what extractors give both names).
  status add_hard_link(text_view path, text_view target, std::uint32_t mode = 0644);
  /// A file whose `size` bytes of data follow in append() calls: until
  /// they are all there, add_*() and begin_file() refuse with
  /// invalid_argument, and finish() writes the missing bytes as zeros.
  /// Errors: add_file()'s.
  status begin_file(text_view path, std::uint64_t size, std::uint32_t mode = 0644);
  /// The next piece of the file begin_file() started; no more than is left
  /// of it (invalid_argument otherwise, nothing written).
  status append(span<const std::byte> data);
  /// What is written so far, handed over: the writer keeps going from there.
  buffer<std::byte> take();
  /// Room for `bytes` of archive (each entry takes 512 bytes of header, its
  /// data rounded up to 512, and a pax header for long names; the end takes
  /// 1,024), so that writing does not move the archive as it grows.
  void reserve(std::size_t bytes) { out_.reserve(bytes); }
  /// The archive, with its end-of-archive blocks. The writer is empty after.
  buffer<std::byte> finish();

 private:
  status add(text_view path, entry_type type, std::uint32_t mode, std::uint64_t size, span<const std::byte> data,
             text_view link);
  void put(span<const std::byte> data);  // appends, then the padding once the entry's data is whole
  buffer<std::byte> out_;
  write_options options_;
  std::uint64_t pending_ = 0, entry_size_ = 0;  // of the file begin_file() started
};

}  // namespace vitte::archive

#include <vitte/archive/impl/tar_reader.hpp>  // the templates: tar_core::next, the stream source

#if VITTE_HEADER_ONLY
#include <vitte/archive/impl/tar_reader.ipp>
#include <vitte/archive/impl/tar_writer.ipp>
#endif

#endif  // VITTE_ARCHIVE_TAR_HPP
