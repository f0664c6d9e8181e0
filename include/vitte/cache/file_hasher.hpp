// vitte/cache/file_hasher.hpp - content digests of files, read again only
// when a file's stamp changed.
//
//   vitte::cache::file_hasher files;
//   auto v = files.version("src/main.c").value();   // stat, then SHA-256 of the content
//   v.content.hex();
//   files.version("src/main.c");                    // stat only: same stamp, digest remembered
//
// The fast path is ccache's inode cache: a digest is reused while the
// file's stamp (device, inode, size, modification and change times) is the
// one seen when it was hashed, and only when that hash was taken at least
// a timestamp tick after the file last changed (sys::file_stamp::
// settled_before); otherwise the content is read and hashed again. A
// digest therefore never stands for content it was not computed from,
// whatever the file system's timestamp resolution.
//
// Thread safety: a value type; one hasher per thread, or the caller's lock.
#ifndef VITTE_CACHE_FILE_HASHER_HPP
#define VITTE_CACHE_FILE_HASHER_HPP

#include <vitte/base.hpp>
#include <vitte/base/detail/hash.hpp>  // name_hash
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/cache/fingerprint.hpp>
#include <vitte/cache/operations.hpp>
#include <vitte/sys/clock_id.hpp>
#include <vitte/sys/file.hpp>
#include <vitte/sys/fs_types.hpp>
#include <vitte/sys/metadata.hpp>  // stat
#include <vitte/sys/platform.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>  // std::equal_to<>: lookups by text_view
#include <unordered_map>

namespace vitte::cache {

/// One version of a file: its stamp, its content digest, and when the
/// digest was taken (realtime clock, ns).
struct file_version {
  sys::file_stamp stamp;
  fingerprint content;
  std::int64_t hashed_ns = 0;
};

/// A file by path, as it was at some point.
struct file_record {
  text path;
  file_version version;
};

/// A hash of a name for maps keyed by text that find by text_view without
/// building a text (heterogeneous lookup).
struct name_hash {
  using is_transparent = void;
  std::size_t operator()(text_view s) const noexcept { return static_cast<std::size_t>(vitte::detail::name_hash(s)); }
};

/// How a hasher spent its time.
struct file_hasher_stats {
  std::uint64_t stamp_hits = 0;    ///< Digests reused on an unchanged, settled stamp.
  std::uint64_t files_hashed = 0;  ///< Contents read and hashed.
  std::uint64_t bytes_hashed = 0;
};

template <class P = sys::platform>
class basic_file_hasher {
 public:
  /// The version of the file at `path` (followed through links): a regular
  /// file. Errors: open and read's (not_found, permission_denied, ...);
  /// is_a_directory, not_supported for a device, a FIFO or a socket
  /// (hash_file).
  result<file_version> version(text_view path);
  /// Digest only.
  result<fingerprint> digest(text_view path) {
    auto v = version(path);
    if (!v) return v.error();
    return v->content;
  }
  /// Seeds the memory with a version known from elsewhere (an index on
  /// disk); it is trusted under the same rule as the hasher's own.
  void remember(text_view path, const file_version& v) { known_.insert_or_assign(text(path), v); }
  /// Forgets everything remembered.
  void clear() noexcept { known_.clear(); }
  const file_hasher_stats& stats() const noexcept { return stats_; }

 private:
  std::unordered_map<text, file_version, name_hash, std::equal_to<>> known_;
  file_hasher_stats stats_;
};

/// Hashes the content of an open file from its current position to its end.
template <class P>
result<fingerprint> hash_contents(sys::basic_file<P>& f, std::uint64_t* bytes = nullptr) {
  crypto::sha256 h;
  std::byte chunk[64 * 1024];
  std::uint64_t total = 0;
  for (;;) {
    auto n = f.read_some(chunk);
    if (!n) return n.error();
    if (*n == 0) break;
    h.update(chunk, *n);
    total += *n;
  }
  if (bytes) *bytes = total;
  fingerprint out;
  out.bytes = h.finish();
  return out;
}

template <class P>
result<file_version> basic_file_hasher<P>::version(text_view path) {
  const text key(path);
  // The fast path costs one stat; the slow path takes the stamp from the
  // open file it hashes, so the digest never pairs with an older stamp.
  auto it = known_.find(key);
  if (it != known_.end()) {
    auto st = sys::stat<P>(key.c_str());
    if (st && it->second.stamp == sys::file_stamp::of(*st) && it->second.stamp.settled_before(it->second.hashed_ns)) {
      ++stats_.stamp_hits;
      return it->second;
    }
  }
  // Regular files only: a device (/dev/zero) never ends, and opening a FIFO
  // waits for a writer (a hostile manifest may name either as a dependency).
  auto before = sys::stat<P>(key.c_str());
  if (!before) return before.error();
  if (before->type == sys::file_type::directory) return error(errc::is_a_directory, ops::hash_file);
  if (before->type != sys::file_type::regular) return error(errc::not_supported, ops::hash_file);
  auto f = sys::basic_file<P>::open(key.c_str(), sys::open_mode::read);
  if (!f) return f.error();
  auto st = f->stat();
  if (!st) return st.error();
  if (st->type != sys::file_type::regular)
    return error(st->type == sys::file_type::directory ? errc::is_a_directory : errc::not_supported, ops::hash_file);
  const sys::file_stamp stamp = sys::file_stamp::of(*st);
  file_version v;
  v.stamp = stamp;
  v.hashed_ns = P::clock_now_ns(sys::clock_id::realtime);
  std::uint64_t n = 0;
  auto d = hash_contents(*f, &n);
  if (!d) return d.error();
  v.content = *d;
  ++stats_.files_hashed;
  stats_.bytes_hashed += n;
  known_.insert_or_assign(key, v);
  return v;
}

using file_hasher = basic_file_hasher<sys::platform>;

}  // namespace vitte::cache

#endif  // VITTE_CACHE_FILE_HASHER_HPP
