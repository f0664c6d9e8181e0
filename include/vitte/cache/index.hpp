// vitte/cache/index.hpp - index.vitte: what each step of a build read and
// wrote, so that the next build knows, without reading a file, which steps
// are up to date and why the others are not.
//
//   namespace cache = vitte::cache;
//   namespace toolchain = vitte::toolchain;
//   auto idx = cache::index::open("out/index.vitte").value();
//   cache::file_hasher files;
//   cache::verdict v = idx.check("out/main.o", command, files);
//   if (!v.up_to_date()) {
//     std::puts(v.to_text().c_str());     // "input changed: src/util.h"
//     ... run the step ...
//     idx.record("out/main.o", command, inputs_and_headers, {"out/main.o"}, files).value();
//   }
//   idx.save().value();
//
// A step is up to date when its command fingerprint (tool, version,
// arguments, environment: toolchain::command_key) is the one recorded, every
// file it read has the content it had then, and every file it wrote is
// still the one it wrote. Files are compared by stamp first (one stat) and
// by content when the stamp moved (a `touch` rebuilds nothing); a stamp is
// trusted only when it had settled before the content was hashed
// (sys::file_stamp::settled_before).
//
// save() takes `<index>.lock`, reads what other processes saved meanwhile,
// merges (this index's records win for the steps it recorded or forgot),
// and replaces the file atomically and durably: a crash leaves the old
// index or the new one. A file that is not a valid index (truncated,
// corrupted, another version) is not an error: the index opens with the
// records before the damage and describe() says what and where; those
// steps simply rebuild. The format: docs/formats/index-vitte.md.
//
// Thread safety: a value type (find() decodes: it is not a const call); the
// file on disk may be shared by processes.
#ifndef VITTE_CACHE_INDEX_HPP
#define VITTE_CACHE_INDEX_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/diagnostic.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/cache/file_hasher.hpp>
#include <vitte/cache/fingerprint.hpp>
#include <vitte/cache/operations.hpp>
#include <vitte/sys/fs_types.hpp>
#include <vitte/sys/platform.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>  // std::equal_to<>: lookups by text_view
#include <unordered_map>

namespace vitte::cache {

/// What index.vitte keeps about one step.
struct step_record {
  text name;                    ///< Unique in the build: usually the main output's path.
  fingerprint command;          ///< toolchain::command_key of the tool, arguments and environment.
  std::int64_t built_ns = 0;    ///< When it was recorded (realtime clock).
  buffer<file_record> inputs;   ///< Everything it read: sources and discovered dependencies.
  buffer<file_record> outputs;  ///< Everything it wrote.
};

/// Why a step must run again, or that it need not.
enum class reason : std::uint8_t {
  up_to_date,
  never_built,      ///< No record of the step.
  command_changed,  ///< Tool, version, arguments or environment differ.
  input_missing,    ///< A file it read is gone.
  input_changed,    ///< A file it read has other content.
  output_missing,   ///< A file it wrote is gone.
  output_changed,   ///< A file it wrote was modified since.
};

/// The answer of index::check(): the reason and the file it concerns.
struct verdict {
  reason why = reason::never_built;
  text path;  ///< The input or output concerned (empty otherwise).
  bool up_to_date() const noexcept { return why == reason::up_to_date; }
  /// "input changed: src/util.h", "up to date", ...: the verdict as a
  /// line for a person (a report, not a diagnostic).
  text to_text() const;
};

/// The steps of an index by name.
using step_records = std::unordered_map<text, step_record, name_hash, std::equal_to<>>;

/// Index format version written by this code (docs/formats/index-vitte.md).
inline constexpr std::uint32_t index_format_version = 1;

template <class P = sys::platform>
class basic_index {
 public:
  basic_index() = default;
  basic_index(basic_index&&) = default;
  basic_index& operator=(basic_index&&) = default;
  // Not copied: the steps not decoded yet are views of the bytes read.
  basic_index(const basic_index&) = delete;
  basic_index& operator=(const basic_index&) = delete;

  /// Reads the index at `path`; a missing file is an empty index, a damaged
  /// one keeps the records before the damage (see describe()). Errors:
  /// read_file's (open, read: permission_denied, ...).
  static result<basic_index> open(text path);
  /// The index of `bytes`, as open() would have read them from `path` (the
  /// file save() writes). For tools and the fuzzer.
  static basic_index of_bytes(text path, buffer<std::byte> bytes);

  /// Whether the step `name` would run with `command`, and why.
  verdict check(text_view name, const fingerprint& command, basic_file_hasher<P>& files);
  /// Records that `name` ran with `command`, read `inputs` and wrote
  /// `outputs` (their versions are taken now). Errors: invalid_argument for
  /// an empty name, or a name or path longer than 64 KiB (the file could
  /// not hold it); hashing a file.
  status record(text_view name, const fingerprint& command, span<const text> inputs, span<const text> outputs,
                basic_file_hasher<P>& files);
  /// Drops the step's record (its next check says never_built).
  void forget(text_view name);
  /// Forgets the stamps seen so far. check() stats each path once for the
  /// life of the index object (as ninja stats each file once per build) and
  /// again after record() wrote it; a long-lived process (an IDE, a watch
  /// mode) calls refresh() before each new pass.
  void refresh() noexcept { stats_.clear(); }
  /// Writes the index (see the header), when anything changed: a record,
  /// a step forgotten, stamps check() refreshed (a file whose content is
  /// the recorded one under a new or newly settled stamp), or damage read
  /// at open; otherwise writes nothing. Errors: file_lock timed_out after
  /// 30 s; those of reading and atomic_replace (no_space, ...): the file on
  /// disk is then the previous one and the changes stay pending.
  status save();

  /// The step's record (decoded from the file on first use), or null.
  const step_record* find(text_view name);
  std::size_t size() const noexcept { return records_.size() + stored_.size(); }
  /// Why the file was not read whole: malformed, at a byte offset
  /// ("at offset 0x1f4: record 3: checksum mismatch" once formatted; the
  /// caller adds the file with `.about(path())`); false when it was.
  const diagnostic& describe() const noexcept { return problem_; }
  const text& path() const noexcept { return path_; }

  /// Parses index bytes: the records before any damage, and the problem.
  /// (Exposed for tools and the fuzzer.)
  static step_records parse(span<const std::byte> bytes, diagnostic& problem);
  /// The bytes of an index holding `records` (sorted by name: deterministic).
  static buffer<std::byte> serialize(const step_records& records);

 private:
  struct change {
    bool forgotten = false;
  };
  result<sys::file_stamp> stamp_of(text_view path);
  bool same_file(text_view path, file_version& recorded, basic_file_hasher<P>& files, bool& missing, bool& refreshed);
  step_record* decoded(text_view name);
  verdict check_stored(text_view name, span<const std::byte> payload, const fingerprint& command,
                       basic_file_hasher<P>& files);

  text path_;
  diagnostic problem_;
  // The file as read, and its steps not decoded yet by name (views into
  // raw_, every one checked whole at open): a no-op build checks them in
  // place, decoding nothing (the stat cache still keeps an entry per
  // path). A step decoded (found, refreshed, recorded) moves to records_.
  buffer<std::byte> raw_;
  std::unordered_map<text_view, span<const std::byte>, name_hash> stored_;
  text scratch_path_;  // a stored path with its NUL, for stat
  step_records records_;
  std::unordered_map<text, change, name_hash, std::equal_to<>> changed_;
  std::unordered_map<text, sys::file_stamp, name_hash, std::equal_to<>> stats_;  // stat once per path per check pass
};

using index = basic_index<sys::platform>;

}  // namespace vitte::cache

#include <vitte/cache/impl/index.hpp>

#if VITTE_HEADER_ONLY
#include <vitte/cache/impl/index.ipp>
#endif

#endif  // VITTE_CACHE_INDEX_HPP
