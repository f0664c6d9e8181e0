// cache.cpp - compiled mode: the non-template bodies of vitte/cache (the build cache: fingerprints, depfiles, the
// index, remote stores), compiled once. Part of libvitte with src/vitte.cpp; see there.
#ifndef VITTE_SEPARATE_COMPILATION
#error "vitte: compile src/cache.cpp with -DVITTE_SEPARATE_COMPILATION"
#endif

#include <vitte/base/config.hpp>
#include <vitte/cache/detail/base_dir.ipp>            // paths keyed relative to a base directory, resolved under it
#include <vitte/cache/impl/cache.ipp>                 // seals, manifests read, written, checked and merged
#include <vitte/cache/impl/depfile.ipp>               // parse_depfile
#include <vitte/cache/impl/index.ipp>                 // index.vitte: a step decoded, verdict::describe
#include <vitte/cache/impl/remote.ipp>                // remote_options::parse
#include <vitte/cache/remote/impl/action_result.ipp>  // the Bazel ActionResult, encoded and decoded
#include <vitte/cache/remote/impl/resp.ipp>           // RESP2: replies parsed, commands written
