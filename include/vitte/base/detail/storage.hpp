// Heap storage shared by vitte::text and vitte::buffer: malloc-based growth,
// the allocation-failure policy, and the "contiguous range" concept their
// converting constructors use.
#ifndef VITTE_BASE_DETAIL_STORAGE_HPP
#define VITTE_BASE_DETAIL_STORAGE_HPP

#include <vitte/base/config.hpp>

#include <cstddef>  // std::size_t
#include <cstdlib>  // std::malloc, std::free, std::abort
#include <cstring>  // std::memcpy
#include <new>      // std::bad_alloc
#include <type_traits>
#include <utility>  // std::declval

namespace vitte::detail {

// A new block of `bytes` holding the first `used` bytes of `p` (which it
// frees); null on failure, leaving p valid. For trivially copyable contents
// only. (Not realloc: GCC 12's -Wuse-after-free misreads callers that
// compare an argument with the old block.)
inline void* storage_grow(void* p, std::size_t used, std::size_t bytes) noexcept {
  void* q = std::malloc(bytes);
  if (q == nullptr) return nullptr;
  if (used != 0) std::memcpy(q, p, used);
  std::free(p);
  return q;
}

inline void storage_free(void* p) noexcept { std::free(p); }

// What a growing container does when memory runs out and the call has no
// error value to return: what std containers do (bad_alloc, or abort
// without exceptions).
[[noreturn]] inline void allocation_failed() {
#if VITTE_HAS_EXCEPTIONS
  throw std::bad_alloc();
#else
  std::abort();
#endif
}

// A contiguous run of `char` with data() and size(): std::string,
// std::string_view, std::vector<char>, ...
template <class S>
concept char_range = requires(const S& s) {
  s.data();
  static_cast<std::size_t>(s.size());
} && std::is_same_v<std::remove_cvref_t<decltype(*std::declval<const S&>().data())>, char>;

// A NUL-terminated string object with c_str() and size(): vitte::text,
// std::string. Functions taking paths use it in place, without a copy.
template <class S>
concept c_string_object = requires(const S& s) { static_cast<std::size_t>(s.size()); } &&
                          std::is_same_v<decltype(std::declval<const S&>().c_str()), const char*>;

// An owning standard string or container (it has an allocator) that can be
// built from a pointer and a length, or from a pair of pointers:
// std::string, std::vector<T>. vitte::text and vitte::buffer convert to
// them implicitly, so code written against the std types keeps working.
template <class S>
concept std_owning_string = requires {
  typename S::allocator_type;
  typename S::traits_type;
} && std::is_constructible_v<S, const char*, std::size_t>;
template <class C, class T>
concept std_owning_container = requires { typename C::allocator_type; } && !requires { typename C::traits_type; } &&
                               std::is_constructible_v<C, const T*, const T*>;

}  // namespace vitte::detail

#endif  // VITTE_BASE_DETAIL_STORAGE_HPP
