// vitte/release.hpp - the build kit's releases: signify keys and
// signatures, and signed packages (tar.gz, tar, deb) with their checks.
//
// Namespace vitte::release.
#ifndef VITTE_RELEASE_HPP
#define VITTE_RELEASE_HPP

#include <vitte/release/operations.hpp>  // release::ops, the layer's error operations
#include <vitte/release/package.hpp>     // make_package, verify_package
#include <vitte/release/signify.hpp>     // release::signify: keys, signatures

#endif  // VITTE_RELEASE_HPP
