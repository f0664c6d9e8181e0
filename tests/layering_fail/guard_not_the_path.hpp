// A header moved without its guard: the guard names the old path, and two
// headers could end up sharing one.
// as: cache/index.hpp
// expect: include guard VITTE_BUILD_INDEX_HPP is not the path's: VITTE_CACHE_INDEX_HPP
// line: 6
#ifndef VITTE_BUILD_INDEX_HPP
#define VITTE_BUILD_INDEX_HPP
#endif  // VITTE_BUILD_INDEX_HPP
