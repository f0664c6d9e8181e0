// vitte/cache/fwd.hpp - the cache's class templates declared, not defined,
// for a header that holds a pointer to one (as <iosfwd> for the streams):
// vitte/toolchain/ninja_build.hpp's options name the output cache without
// pulling in its code. The definitions are in vitte/cache/cache.hpp.
#ifndef VITTE_CACHE_FWD_HPP
#define VITTE_CACHE_FWD_HPP

namespace vitte::cache {

template <class P>
class basic_output_cache;  // vitte/cache/cache.hpp

}  // namespace vitte::cache

#endif  // VITTE_CACHE_FWD_HPP
