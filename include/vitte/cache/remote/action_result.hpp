// vitte/cache/remote/action_result.hpp - what the remote cache stores under
// /ac/<key>: a Bazel ActionResult (build.bazel.remote.execution.v2) with one
// output file, whose digest names the blob under /cas/<sha256>.
//
//   buffer<std::byte> ac = encode_action_result("vitte/result", digest_hex, size);
//   auto ref = decode_action_result(ac.span());   // ref->path, ref->hash, ref->size
//
// The protobuf encoding is written by hand (three messages, five fields):
//   ActionResult { repeated OutputFile output_files = 2; }
//   OutputFile   { string path = 1; Digest digest = 2; }
//   Digest       { string hash = 1; int64 size_bytes = 2; }
// so that servers that validate the action cache (bazel-remote does by
// default) accept the entries. Decoding skips fields it does not know, as
// protobuf readers must, and refuses anything truncated, over-long or
// nested past what the three messages allow.
#ifndef VITTE_CACHE_REMOTE_ACTION_RESULT_HPP
#define VITTE_CACHE_REMOTE_ACTION_RESULT_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/cache/operations.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::cache {

/// The output an action-cache entry points to.
struct blob_ref {
  text path;               ///< "vitte/manifest" or "vitte/result"
  text hash;               ///< 64 lowercase hex digits: the SHA-256 of the blob
  std::uint64_t size = 0;  ///< the blob's size in bytes
};

/// The ActionResult naming `path`, with digest `hash` (64 hex digits) and `size`.
VITTE_DECL buffer<std::byte> encode_action_result(text_view path, text_view hash, std::uint64_t size);

/// The first output file of an ActionResult. Errors (remote_decode):
/// malformed (truncated, bad wire type, a length past the end, no output
/// file, a hash that is not 64 hex digits), limit_exceeded (over 1 MiB).
VITTE_DECL result<blob_ref> decode_action_result(span<const std::byte> bytes);

}  // namespace vitte::cache

#if VITTE_HEADER_ONLY
#include <vitte/cache/remote/impl/action_result.ipp>
#endif

#endif  // VITTE_CACHE_REMOTE_ACTION_RESULT_HPP
