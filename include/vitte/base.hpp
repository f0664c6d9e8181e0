// vitte/base.hpp - the base: the vocabulary every other layer speaks.
//
// Everything under vitte/base/ and nothing else: configuration, the text and
// byte vocabulary (text_view, text, span, buffer), errors and their
// operations, result, and the diagnostic model (what was wrong and where).
// The bridge to std::error_code (base/error_code.hpp, which brings
// <system_error> and <string>) is included on its own. The base includes no
// other layer and no OS header; a layer's public signatures use these types.
// base/detail/ holds the helpers written once for every layer (hex, decimal,
// JSON escaping, UTF-8, byte order, hashing, byte views).
#ifndef VITTE_BASE_HPP
#define VITTE_BASE_HPP

#include <vitte/base/buffer.hpp>           // vitte::buffer: owned bytes
#include <vitte/base/config.hpp>           // platform detection and overrides
#include <vitte/base/diagnostic.hpp>       // vitte::diagnostic: what was wrong and where
#include <vitte/base/diagnostic_list.hpp>  // vitte::diagnostic_list: many of them
#include <vitte/base/error.hpp>            // vitte::error, errc
#include <vitte/base/operation.hpp>        // operations and facilities errors name
#include <vitte/base/result.hpp>           // vitte::result<T>, vitte::status
#include <vitte/base/span.hpp>             // vitte::span<T>
#include <vitte/base/text.hpp>             // vitte::text: owned UTF-8
#include <vitte/base/text_view.hpp>        // vitte::text_view

#endif  // VITTE_BASE_HPP
