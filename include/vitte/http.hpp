// vitte/http.hpp - an HTTP/1.1 client on vitte's sockets: URLs, a strict
// response parser, persistent connections, streaming bodies, deadlines.
//
// Not part of <vitte/sys.hpp>: include this, or one header per concern.
#ifndef VITTE_HTTP_HPP
#define VITTE_HTTP_HPP

#include <vitte/http/client.hpp>      // basic_client, client_options, transport
#include <vitte/http/message.hpp>     // method, header, response
#include <vitte/http/operations.hpp>  // http::ops
#include <vitte/http/parser.hpp>      // response_parser
#include <vitte/http/url.hpp>         // url

#endif  // VITTE_HTTP_HPP
