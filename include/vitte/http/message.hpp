// vitte/http/message.hpp - the vocabulary of HTTP/1.1 messages: methods,
// header fields, a response's head and a whole response.
#ifndef VITTE_HTTP_MESSAGE_HPP
#define VITTE_HTTP_MESSAGE_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::http {

/// The request methods the client sends.
enum class method : std::uint8_t { get, head, put, post, delete_ };

/// "GET", "HEAD", "PUT", "POST", "DELETE".
constexpr text_view to_string(method m) noexcept {
  switch (m) {
    case method::get:
      return "GET";
    case method::head:
      return "HEAD";
    case method::put:
      return "PUT";
    case method::post:
      return "POST";
    case method::delete_:
      return "DELETE";
  }
  return "GET";
}

/// One header field. Names compare case-insensitively (header_equal).
struct header {
  text name;
  text value;
};

/// "Authorization: Bearer <token>".
inline header bearer(text_view token) {
  header h{text("Authorization"), text("Bearer ")};
  h.value.append(token.data(), token.size());
  return h;
}

/// ASCII case-insensitive comparison of header names.
constexpr bool header_equal(text_view a, text_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

/// How a response's body is delimited.
enum class body_framing : std::uint8_t {
  none,         ///< no body: HEAD, 1xx, 204, 304
  length,       ///< Content-Length bytes
  chunked,      ///< Transfer-Encoding: chunked
  until_close,  ///< up to the end of the connection (no length given)
};

/// A response's status line and header fields.
struct response_head {
  int status = 0;         ///< 100..999
  int minor_version = 1;  ///< HTTP/1.<minor>
  text reason;
  buffer<header> headers;
  body_framing framing = body_framing::none;
  std::uint64_t content_length = 0;  ///< for framing == length
  bool keep_alive = true;            ///< the connection may carry another request

  /// The first field named `name` (case-insensitive), or null.
  const text* find(text_view name) const noexcept {
    for (const header& h : headers)
      if (header_equal(h.name, name)) return &h.value;
    return nullptr;
  }
  /// 2xx.
  bool ok() const noexcept { return status >= 200 && status < 300; }
};

/// A response with its whole body.
struct response : response_head {
  buffer<std::byte> body;
};

}  // namespace vitte::http

#endif  // VITTE_HTTP_MESSAGE_HPP
