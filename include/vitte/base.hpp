// vitte/base.hpp - the core vocabulary: configuration, error, result.
//
// Every other vitte header builds on this one; it includes only what those
// three need (a handful of light standard headers, no OS header).
#ifndef VITTE_BASE_HPP
#define VITTE_BASE_HPP

#include <vitte/config.hpp>  // platform detection and overrides
#include <vitte/error.hpp>   // vitte::error, errc, operation
#include <vitte/result.hpp>  // vitte::result<T>, vitte::status

#endif  // VITTE_BASE_HPP
