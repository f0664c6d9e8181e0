// vitte/release.hpp - the build kit's releases: signify keys and
// signatures, and signed packages (tar.gz, tar, deb) with their checks.
//
// Namespace vitte::build, shared with vitte/cache.hpp and vitte/toolchain.hpp.
#ifndef VITTE_RELEASE_HPP
#define VITTE_RELEASE_HPP

#include <vitte/release/package.hpp>  // make_package, verify_package
#include <vitte/release/signify.hpp>  // build::signify: keys, signatures

#endif  // VITTE_RELEASE_HPP
