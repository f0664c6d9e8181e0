// bench/build_tree.hpp - files of the build tree, found from the running
// benchmark (which Meson puts in <build>/bench): paths are compiled in
// relative to the build tree, so that a benchmark's object is the same in
// every checkout and the compiler cache shares it.
#ifndef VITTE_BENCH_BUILD_TREE_HPP
#define VITTE_BENCH_BUILD_TREE_HPP

#include <vitte/sys/info.hpp>
#include <vitte/sys/path.hpp>

#include <string>

namespace bench {

// `relative` (to the build tree) as a path, or itself when the program's
// own path is unknown.
inline std::string in_build_tree(const char* relative) {
  auto exe = vitte::sys::executable_path();
  if (!exe) return relative;
  const vitte::text_view tree = vitte::sys::parent_path(vitte::sys::parent_path(*exe));
  return std::string(vitte::sys::path_join(tree, relative));
}

}  // namespace bench

#endif  // VITTE_BENCH_BUILD_TREE_HPP
