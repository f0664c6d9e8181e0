// vitte/http/operations.hpp - the operations of vitte/http, as errors name them.
#ifndef VITTE_HTTP_OPERATIONS_HPP
#define VITTE_HTTP_OPERATIONS_HPP

#include <vitte/base/operation.hpp>

// clang-format off
#define VITTE_HTTP_OPERATIONS(X) \
  X(url_parse)                   \
  X(http_connect)                \
  X(http_send)                   \
  X(http_receive)                \
  X(http_parse)                  \
  X(http_status)                 \
  X(http_redirect)
// clang-format on

namespace vitte::http {
/// The operations vitte/http reports in errors: url_parse (a URL that does
/// not parse), http_connect / http_send / http_receive (the connection;
/// the OS code is kept), http_parse (a response that breaks HTTP/1.1; the
/// parser's describe() says what and where), http_status (a status the caller asked
/// to treat as an error; native() is the status code), http_redirect (too
/// many redirects, or one to another scheme).
VITTE_OPERATIONS(ops, ::vitte::facility::http, "http", VITTE_HTTP_OPERATIONS);
}  // namespace vitte::http

#endif  // VITTE_HTTP_OPERATIONS_HPP
