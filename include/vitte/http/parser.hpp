// vitte/http/parser.hpp - a strict, incremental parser of HTTP/1.1 responses.
//
//   vitte::http::response_parser p;
//   p.start(/*head_request=*/false);
//   while (!p.done()) {
//     span<const std::byte> in = ... bytes received ...;   (at the end of input: p.finish())
//     while (!in.empty() && !p.done()) {
//       auto step = p.feed(in);                 // error: p.describe() says what was wrong
//                                               // and where, as a vitte::diagnostic
//       if (!step) return step.error();
//       deliver(step->body);                     // body bytes (a view into `in`)
//       in = in.subspan(step->used);
//     }
//   }
//   p.head().status;                             // and the fields, framing, keep_alive
//
// The parser follows RFC 9110/9112 strictly where leniency lets a response
// be read two ways: lines end with CRLF (a bare LF, which RFC 9112 section
// 2.2 lets a recipient accept, is refused the moment it arrives: a proxy or
// cache in front of us that reads it differently could be made to see
// another response); field names are tokens with no
// space before the colon; folded lines (obs-fold), control characters in
// values, a Content-Length that is not a plain number or differs between
// fields, Content-Length together with Transfer-Encoding, and transfer
// codings other than chunked are refused. The status line is checked as it
// arrives, byte by byte: a peer that is not speaking HTTP/1.x (an HTTP/0.9
// body, an HTTP/2 frame or preface, any other protocol) is refused at the
// first byte that cannot start "HTTP/1.", not after a head that never comes.
// Interim 1xx responses are skipped (interim_status() tells the last). Every size has a limit (parser_limits): the
// head, the number of fields, a chunk-size line, the body; the memory it holds is the head only.
//
// Errors (http_parse): version_mismatch (not an HTTP/1.x response),
// malformed (describe() names the part; a bare LF is one), limit_exceeded,
// not_supported (a transfer coding other than chunked, or 101 Switching
// Protocols, which the client never asks for), unexpected_eof (finish()
// before the body's end). Thread safety: a value type.
#ifndef VITTE_HTTP_PARSER_HPP
#define VITTE_HTTP_PARSER_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/base/diagnostic.hpp>  // describe()
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/http/message.hpp>
#include <vitte/http/operations.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::http {

/// The sizes a response may reach before the parser refuses it.
struct parser_limits {
  std::size_t max_head_bytes = 64 * 1024;     ///< status line and fields (trailers count too)
  std::size_t max_fields = 128;               ///< header fields
  std::uint64_t max_body_bytes = UINT64_MAX;  ///< decoded body
  std::size_t max_interim = 16;               ///< interim (1xx) responses before the final one
};

/// Parses one response at a time; start() readies it for the next.
class response_parser {
 public:
  /// What one feed() did: `used` bytes of the input consumed, and the body
  /// bytes among them (a view into the input; empty when none).
  struct step {
    std::size_t used = 0;
    span<const std::byte> body;
  };

  explicit response_parser(parser_limits limits = {}) noexcept : limits_(limits) {}

  /// Readies the parser for a response; `head_request` when it answers a
  /// HEAD request (no body, whatever the fields say).
  void start(bool head_request = false);
  /// Consumes the start of `in` (at least one byte unless done()).
  /// Errors: see the header; describe() says what and where.
  result<step> feed(span<const std::byte> in);
  /// The input ended. Completes a body that runs until the connection
  /// closes; any other unfinished response fails (unexpected_eof).
  status finish();

  /// The status line and fields have been read.
  bool head_done() const noexcept { return state_ > state::head; }
  /// The response is complete.
  bool done() const noexcept { return state_ == state::done; }
  /// The status of the last interim (1xx) response skipped since start(),
  /// 0 if none: a client waiting for "100 Continue" looks here.
  int interim_status() const noexcept { return interim_; }
  /// The head (valid once head_done()).
  const response_head& head() const noexcept { return head_; }
  response_head& head() noexcept { return head_; }
  /// Body bytes delivered so far.
  std::uint64_t body_bytes() const noexcept { return body_total_; }
  /// Bytes of the response consumed so far (after an error: up to the
  /// offending byte).
  std::uint64_t offset() const noexcept { return offset_; }
  /// The current problem (vitte/base/diagnostic.hpp), recorded where the
  /// parser found it: the kind of the error returned, the byte offset in
  /// the response, and what was wrong ("status line", "Content-Length",
  /// ...); empty when there is none. The caller names the peer:
  /// `p.describe().about(url)`.
  const vitte::diagnostic& describe() const noexcept { return why_; }

 private:
  enum class state : std::uint8_t {
    head,
    body_length,
    chunk_size,
    chunk_data,
    chunk_crlf,
    trailers,
    until_close,
    done
  };

  // Records the problem (kind, position, message) and returns its error;
  // the position is offset_ unless given.
  error fail(errc kind, text_view what) noexcept;
  error fail(errc kind, text_view what, std::uint64_t at) noexcept;
  status parse_head();
  status check_status_line(text_view line);
  status check_head_byte();
  status parse_field(text_view line);
  status parse_chunk_size(text_view line);
  status after_head();

  parser_limits limits_;
  response_head head_;
  buffer<char> line_;  // the head, a chunk-size line or the trailers, as they arrive
  state state_ = state::head;
  bool head_request_ = false;
  bool saw_length_ = false;
  bool saw_encoding_ = false;
  bool close_token_ = false;       // Connection: close
  bool keep_alive_token_ = false;  // Connection: keep-alive
  std::uint64_t remaining_ = 0;    // of the body or the current chunk
  std::uint64_t body_total_ = 0;
  std::uint64_t offset_ = 0;
  std::size_t crlf_seen_ = 0;      // of a chunk's closing CRLF
  int interim_ = 0;                // the last 1xx skipped
  std::size_t interims_ = 0;       // 1xx skipped since start()
  bool status_line_seen_ = false;  // the status line arrived and was checked
  vitte::diagnostic why_;
};

}  // namespace vitte::http

#include <vitte/http/impl/parser.hpp>
#if VITTE_HEADER_ONLY
#include <vitte/http/impl/parser.ipp>
#endif

#endif  // VITTE_HTTP_PARSER_HPP
