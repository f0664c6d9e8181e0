// vitte/build.hpp - the build kit: content fingerprints, an index of what
// each step read and wrote (index.vitte), a shared output cache, depfiles,
// tool identity, linkers and running what was built, toolchains for a
// target triple, and signed release packages.
//
// Not part of <vitte/sys.hpp>: include this, or one header per concern.
#ifndef VITTE_BUILD_HPP
#define VITTE_BUILD_HPP

#include <vitte/build/cache.hpp>
#include <vitte/build/depfile.hpp>
#include <vitte/build/file_hasher.hpp>
#include <vitte/build/fingerprint.hpp>
#include <vitte/build/index.hpp>
#include <vitte/build/link.hpp>
#include <vitte/build/meson_cross.hpp>
#include <vitte/build/operations.hpp>
#include <vitte/build/package.hpp>
#include <vitte/build/remote.hpp>
#include <vitte/build/run.hpp>
#include <vitte/build/signify.hpp>
#include <vitte/build/tool.hpp>
#include <vitte/build/toolchain.hpp>

#endif  // VITTE_BUILD_HPP
