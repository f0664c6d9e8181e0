// vitte/base/detail/algorithm.hpp - the few algorithms vitte's headers need.
//
// <algorithm> is a large parse for std::min and one sort; these cover what
// the library uses, with the same contracts.
#ifndef VITTE_BASE_DETAIL_ALGORITHM_HPP
#define VITTE_BASE_DETAIL_ALGORITHM_HPP

#include <cstddef>  // std::size_t
#include <utility>  // std::swap

namespace vitte::detail {

/// The smaller of a and b (a when equal), like std::min.
template <class T>
constexpr const T& min_of(const T& a, const T& b) noexcept {
  return b < a ? b : a;
}

/// The larger of a and b (a when equal), like std::max.
template <class T>
constexpr const T& max_of(const T& a, const T& b) noexcept {
  return a < b ? b : a;
}

/// Sorts [first, first + n) by `less` in O(n log n) without allocating
/// (heap sort: not stable).
template <class It, class Less>
void heap_sort(It first, std::size_t n, Less less) {
  auto sift_down = [&](std::size_t root, std::size_t end) {
    for (;;) {
      std::size_t child = 2 * root + 1;
      if (child >= end) return;
      if (child + 1 < end && less(first[child], first[child + 1])) ++child;
      if (!less(first[root], first[child])) return;
      using std::swap;
      swap(first[root], first[child]);
      root = child;
    }
  };
  for (std::size_t i = n / 2; i-- > 0;) sift_down(i, n);
  for (std::size_t end = n; end > 1; --end) {
    using std::swap;
    swap(first[0], first[end - 1]);
    sift_down(0, end - 1);
  }
}

}  // namespace vitte::detail

#endif  // VITTE_BASE_DETAIL_ALGORITHM_HPP
