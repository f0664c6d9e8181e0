// vitte/cache/remote.hpp - a build cache shared over the network: the
// protocols existing servers speak (the Bazel remote-cache HTTP protocol,
// plain HTTP in ccache's layouts, Redis), under the local cache.
//
//   cache::remote_options r;
//   r.url = "http://cache.internal:8080/vitte";          // or "redis://127.0.0.1:6379/0"
//   r.layout = cache::remote_layout::bazel;             // /ac/<key>, /cas/<sha256>
//   r.headers.push_back(vitte::http::bearer(token));
//   cache.attach_remote(std::move(r), &log).value();    // cache::output_cache, vitte::log::logger
//   ... cache.lookup(...) / cache.store(...) as before ...
//   cache.flush_remote(sys::deadline::after(10s));       // before exiting: pending uploads
//
// Local first, remote second: a lookup that misses locally asks the server
// for the manifest of the step and, when one of its dependency sets
// matches, for the result; both are stored locally, so the next lookup is
// local. A store publishes locally, then queues the upload; a thread sends
// it. Uploads never fail the build: a failed one is counted and logged.
//
// Trust: every blob comes from /cas/<sha256 of its bytes> and is checked
// against that digest and against its own seal before use; a manifest's
// result keys are recomputed from its dependency sets; so a server, or
// anything between, can withhold entries but not change an output.
//
// A server that is down, slow or hangs costs at most one `timeout` (the
// circuit breaker opens at the first failure, with the reason logged):
// then the cache works locally, and asks again after `retry_after`.
// `read_only` never uploads (for untrusted clients such as pull requests).
//
// Formats on the server: docs/CACHE.md.
#ifndef VITTE_CACHE_REMOTE_HPP
#define VITTE_CACHE_REMOTE_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/http/message.hpp>  // header

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace vitte::cache {

/// Where an HTTP server keeps entries under the URL's path.
enum class remote_layout : std::uint8_t {
  bazel,    ///< <path>/ac/<hex>, <path>/cas/<hex>: bazel-remote, Buildbarn, BuildBuddy, nginx
  subdirs,  ///< <path>/ac/<2 hex>/<62 hex>, the same for cas/: any WebDAV server, ccache's layout
};

/// A remote cache's settings.
struct remote_options {
  text url;  ///< http://host:port/path or redis://[:password@]host:port/db
  remote_layout layout = remote_layout::bazel;
  std::chrono::milliseconds timeout{5'000};  ///< one lookup's or one upload's exchanges, all together
  std::chrono::seconds retry_after{60};      ///< how long the breaker stays open
  bool read_only = false;                    ///< never upload
  buffer<http::header> headers;              ///< HTTP only, e.g. http::bearer(token)
  std::size_t max_pending = 1024;            ///< queued uploads; more are dropped (counted)

  /// Parses "URL[|layout=bazel|subdirs][|read-only][|timeout=MS]", the
  /// form the driver's --remote takes. Errors (url_parse, vitte/http):
  /// invalid_argument for an unknown attribute or value.
  static result<remote_options> parse(text_view spec);
};

/// What the remote tier did, since the cache object was opened.
struct remote_stats {
  std::uint64_t hits = 0;      ///< lookups answered from the server
  std::uint64_t misses = 0;    ///< lookups the server could not answer
  std::uint64_t uploads = 0;   ///< blobs sent
  std::uint64_t dropped = 0;   ///< uploads not made: server down, queue full, failure
  std::uint64_t rejected = 0;  ///< blobs refused: wrong digest, broken seal, undecodable entry
  std::uint64_t failures = 0;  ///< exchanges that failed (each opens the breaker)
  std::uint64_t skipped = 0;   ///< exchanges not tried while the breaker was open
};

}  // namespace vitte::cache

#if VITTE_HEADER_ONLY
#include <vitte/cache/impl/remote.ipp>
#endif

#endif  // VITTE_CACHE_REMOTE_HPP
