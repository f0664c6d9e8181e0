// vitte/cache.hpp - the build kit's cache: content fingerprints, the file
// hasher, an index of what each step read and wrote (index.vitte), depfiles,
// a shared output cache and its remote tier (Bazel's HTTP protocol, Redis).
//
// Namespace vitte::cache. The build kit's other layers are vitte/toolchain.hpp
// (vitte::toolchain: compilers, linkers, running what was built) and
// vitte/release.hpp (vitte::release: signed release packages).
#ifndef VITTE_CACHE_HPP
#define VITTE_CACHE_HPP

#include <vitte/cache/cache.hpp>        // cache, cache_options, the remote tier
#include <vitte/cache/depfile.hpp>      // depfiles as compilers write them
#include <vitte/cache/file_hasher.hpp>  // file_hasher: digests kept by stat
#include <vitte/cache/fingerprint.hpp>  // fingerprint, fingerprinter
#include <vitte/cache/fwd.hpp>          // the class templates declared (for headers that point to one)
#include <vitte/cache/index.hpp>        // index: what each step read and wrote
#include <vitte/cache/operations.hpp>   // cache::ops, the layer's error operations
#include <vitte/cache/remote.hpp>       // remote_options

#endif  // VITTE_CACHE_HPP
