// vitte/cache/cache.hpp - a shared cache of build outputs that never hands
// out a wrong one.
//
//   namespace cache = vitte::cache;
//   namespace toolchain = vitte::toolchain;
//   auto shared = cache::output_cache::open("/var/cache/vitte").value();
//   cache::file_hasher files;
//   cache::cache_step step{command, inputs, outputs};      // command: toolchain::command_key
//   auto found = shared.lookup(step, files).value();
//   if (!found.hit) {
//     ... run the compiler; read its depfile (cache::read_depfile) ...
//     shared.store(step, headers, files).value();
//   }
//
// A lookup works as ccache's direct mode: the step's command fingerprint and
// its inputs' contents name a manifest; the manifest lists the dependency
// sets seen for them (the headers a compile read, each with its content
// digest) and, for each, the result that step produced. The first set whose
// files all still have those contents names the result, whose outputs are
// written back atomically. Keys never use times: a stamp only saves
// re-reading a file whose stamp has not moved (cache::file_hasher).
//
// On disk (see docs/DRIVER.md): manifests/xx/<sha256>, results/xx/<sha256>,
// tmp/, stats, locks/. Every file is written under tmp/ and published with
// a hard link (never replacing what another process published) or an
// atomic rename, and ends with the SHA-256 of its bytes: a read that does
// not verify is a miss, and the damaged file is removed. A process killed
// mid-write leaves only a stray file in tmp/, which cleaning removes.
// Several processes (CI jobs, an IDE, a terminal) may share one cache:
// manifest updates take one of 16 striped locks; statistics are counters
// updated under a lock, so they stay exact; when the cache grows past its
// limit, the process that gets the cleaning lock (try-lock: nobody waits
// for it) evicts the least recently used files down to 80% of the limit.
//
// Thread safety: a cache object is used by one thread at a time; any
// number of objects and processes may share the directory.
#ifndef VITTE_CACHE_CACHE_HPP
#define VITTE_CACHE_CACHE_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/cache/file_hasher.hpp>
#include <vitte/cache/fingerprint.hpp>
#include <vitte/cache/operations.hpp>
#include <vitte/cache/remote.hpp>
#include <vitte/log/logger.hpp>
#include <vitte/sys/file.hpp>
#include <vitte/sys/platform.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>

namespace vitte::cache {

namespace detail {
template <class P>
class remote_tier;
}  // namespace detail

/// A cache's settings.
struct cache_options {
  std::uint64_t max_bytes = std::uint64_t{5} << 30;  ///< Cleaning starts past this size.
  std::uint32_t max_candidates = 16;                 ///< Dependency sets kept per manifest (the newest).
  bool sync = false;                                 ///< Sync each published file (survives power loss; slower).
};

/// Counters shared by every user of the cache directory.
struct cache_stats {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  std::uint64_t stores = 0;     ///< Results published (a result another process published first is not counted).
  std::uint64_t evictions = 0;  ///< Files removed by cleaning or found damaged.
  std::int64_t bytes = 0;       ///< Bytes in manifests and results.
  std::int64_t files = 0;       ///< Manifests and results.
};

/// What a step gives the cache: its command fingerprint, the files it reads
/// that are known before it runs, and the files it writes (in a fixed order).
///
/// With `base_dir` (absolute: a checkout, or the directory holding a
/// checkout and its build directory), paths under it are keyed and recorded
/// relative to it: a second checkout at another path, with the same layout,
/// finds every result the first one stored (locally and through a remote
/// cache). The base is taken without links (sys::canonical), and each
/// dependency is recorded by where it really is, so one of the checkout's
/// files spelled through a link is still the checkout's. The command
/// fingerprint must be relocatable too (command_key::base_dir) and the
/// objects must not embed the paths (-ffile-prefix-map). Every recorded
/// dependency is checked by content at its place in the checkout asking,
/// so two checkouts that differ in a header never share an object made
/// from the other's header. Relative paths in the step and in
/// `dependencies` are then relative to base_dir. A relative base_dir is
/// refused (invalid_argument).
struct cache_step {
  fingerprint command;
  span<const text> inputs;
  span<const text> outputs;
  text_view base_dir = {};
};

/// A lookup's answer: on a hit the outputs are in place and `dependencies`
/// lists what the producing step read beyond its inputs; on a miss `why`
/// says why ("no entry for these inputs", "dependency changed: x.h", ...).
struct cache_lookup {
  bool hit = false;
  text why;
  buffer<text> dependencies;
};

template <class P = sys::platform>
class basic_output_cache {
 public:
  /// Opens (creating what is missing) the cache at `root`. Errors: those
  /// of creating its directories and opening `stats` (dir_create, open:
  /// permission_denied, read_only, ...).
  static result<basic_output_cache> open(text root, cache_options options = {});

  /// Looks the step up; on a hit writes its outputs (making the directories they go in). Errors: I/O errors
  /// other than a missing or damaged entry (those are misses).
  result<cache_lookup> lookup(const cache_step& step, basic_file_hasher<P>& files);
  /// Publishes the step's outputs, found when it read `inputs` and
  /// `dependencies`. Errors: an output cannot be read, the disk is full, ...
  /// (the cache stays consistent: nothing half-written is ever visible).
  status store(const cache_step& step, span<const text> dependencies, basic_file_hasher<P>& files);
  /// The shared counters.
  result<cache_stats> stats();
  /// Evicts least recently used files down to 80% of max_bytes now, unless
  /// another process is cleaning (then returns at once); also removes
  /// what killed writers left in tmp/ more than an hour ago.
  status clean();

  /// Puts a remote cache under this one (vitte/cache/remote.hpp): lookups
  /// that miss here ask it, stores are uploaded to it in the background.
  /// `log` (may be null; must outlive the cache) hears when the server
  /// fails or sends something unusable. Errors: url_parse for a URL that
  /// does not parse; thread_create.
  status attach_remote(remote_options options, log::basic_logger<P>* log = nullptr);
  /// Waits until the queued uploads are sent, or `d`; false when some are
  /// left (they are sent later, or dropped when the cache closes: closing
  /// waits at most twice the remote timeout).
  bool flush_remote(sys::basic_deadline<P> d);
  /// What the remote tier did (zeros without one).
  remote_stats remote_statistics();

  const text& root() const noexcept { return root_; }
  const cache_options& options() const noexcept { return options_; }

 private:
  struct stats_delta {
    std::int64_t v[6] = {};
  };
  result<fingerprint> manifest_key(const cache_step& step, basic_file_hasher<P>& files);
  text entry_path(text_view kind, const fingerprint& key) const;
  status bump(const stats_delta& d);
  result<sys::basic_file<P>> stripe_lock(const fingerprint& key);
  result<bool> publish(const text& final_path, span<const std::byte> bytes);
  status evict(const text& path, stats_delta& d);
  status restore(span<const std::byte> result, const cache_step& step);
  result<cache_lookup> lookup_local(const cache_step& step, basic_file_hasher<P>& files, const fingerprint& mkey,
                                    stats_delta& d);
  bool pull(basic_file_hasher<P>& files, const fingerprint& mkey, text_view base, stats_delta& d);
  template <class Update>
  result<buffer<std::byte>> update_manifest(const fingerprint& mkey, Update&& update, stats_delta& d);

  text root_;
  cache_options options_;
  sys::basic_file<P> stats_file_;
  std::unique_ptr<detail::remote_tier<P>> remote_;
};

using output_cache = basic_output_cache<sys::platform>;

}  // namespace vitte::cache

#include <vitte/cache/impl/cache.hpp>

#if VITTE_HEADER_ONLY
#include <vitte/cache/impl/cache.ipp>
#endif

#endif  // VITTE_CACHE_CACHE_HPP
