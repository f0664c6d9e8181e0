// vitte/cache/remote/resp.hpp - RESP2, the Redis protocol: commands out,
// replies in (simple strings, errors, integers, bulk strings, nil, arrays).
//
//   buffer<std::byte> out;
//   append_resp_command(out, {as_bytes("SET"), key, value});    // pipelining: append several
//   resp_reply r;
//   auto used = parse_resp(received, r);     // 0: incomplete, receive more; else bytes consumed
//
// Parsing is strict (CRLF line ends, decimal lengths, nothing after a
// reply's end is consumed) and bounded (resp_limits): a hostile server
// cannot make it allocate more than max_bulk for a bulk string, nest
// deeper than max_depth, or announce more than max_elements elements.
#ifndef VITTE_CACHE_REMOTE_RESP_HPP
#define VITTE_CACHE_REMOTE_RESP_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/span.hpp>
#include <vitte/cache/operations.hpp>

#include <cstddef>
#include <cstdint>
#include <initializer_list>

namespace vitte::cache {

/// One RESP2 reply.
struct resp_reply {
  enum class kind : std::uint8_t { simple, error, integer, bulk, nil, array };
  kind type = kind::nil;
  buffer<std::byte> bytes;  ///< simple, error and bulk strings
  std::int64_t integer = 0;
  buffer<resp_reply> elements;  ///< arrays
};

/// How much a reply may hold.
struct resp_limits {
  std::uint64_t max_bulk = std::uint64_t{512} << 20;  ///< Redis's own proto-max-bulk-len
  std::size_t max_elements = std::size_t{1} << 20;
  unsigned max_depth = 8;
};

/// Parses one reply at the start of `in` into `out`. Returns the bytes it
/// used, or 0 when `in` holds only part of a reply. Errors (remote_decode):
/// malformed (an unknown type byte, a bad number, a missing CRLF),
/// limit_exceeded (see resp_limits).
VITTE_DECL result<std::size_t> parse_resp(span<const std::byte> in, resp_reply& out, const resp_limits& limits = {});

/// Appends one command, an array of bulk strings, to `out`.
VITTE_DECL void append_resp_command(buffer<std::byte>& out, std::initializer_list<span<const std::byte>> args);

}  // namespace vitte::cache

#if VITTE_HEADER_ONLY
#include <vitte/cache/remote/impl/resp.ipp>
#endif

#endif  // VITTE_CACHE_REMOTE_RESP_HPP
