// http.cpp - compiled mode: the non-template bodies of vitte/http (URLs, the HTTP/1.1 parser, client and server),
// compiled once. Part of libvitte with src/vitte.cpp; see there.
#ifndef VITTE_SEPARATE_COMPILATION
#error "vitte: compile src/http.cpp with -DVITTE_SEPARATE_COMPILATION"
#endif

#include <vitte/base/config.hpp>
#include <vitte/http/detail/redaction.ipp>  // quoting server text, redacting secrets in every reading
#include <vitte/http/impl/client.ipp>       // the client's origins, header checks, Basic credentials
#include <vitte/http/impl/parser.ipp>       // the response parser
#include <vitte/http/impl/server.ipp>       // the request parser and the server's loop
#include <vitte/http/impl/url.ipp>          // parsing, resolving and printing URLs
