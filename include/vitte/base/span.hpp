// vitte/base/span.hpp - vitte::span<T>, the array view vitte's signatures use.
//
// Every vitte function that takes or lends out a run of elements (bytes to
// write, a buffer to read into, poll events, mapped memory) spells it
// vitte::span<T>: a pointer and a count, like a dynamic-extent std::span, and
// interchangeable with it. It is vitte's own type so that <vitte/sys.hpp>
// need not include <span> (see vitte/base/text_view.hpp for why).
//
// It converts both ways without a copy:
//
//   std::vector<std::byte> data = ...;
//   f.write(data).value();                              // vector -> span<const std::byte>
//   std::span<std::byte> mem = region.bytes();          // span<std::byte> -> std::span
//   f.write(std::as_bytes(std::span(numbers))).value(); // std::span -> vitte::span
//
// vitte::as_bytes() and vitte::as_writable_bytes() view any span's bytes.
// Unlike std::span, a vitte::span is not marked as a borrowed range or a view
// (that needs <ranges>): pipe a named span, or a std::span of it, into range
// adaptors, not a temporary (`auto b = region.bytes(); b | std::views::take(4)`).
#ifndef VITTE_BASE_SPAN_HPP
#define VITTE_BASE_SPAN_HPP

#include <vitte/base/config.hpp>

#include <cassert>  // subspan preconditions
#include <cstddef>  // std::size_t, std::byte
#include <type_traits>
#include <utility>  // std::declval

namespace vitte {

template <class T>
class span;

namespace detail {

// U's elements may be viewed as T's: the same type, up to added const.
template <class U, class T>
concept span_element_of = std::is_convertible_v<U (*)[], T (*)[]>;

// A contiguous container or view of elements viewable as T, with data() and
// size(): std::vector, std::array, std::span, std::string (for char),
// vitte::buffer, vitte::span.
template <class R, class T>
concept span_source = requires(R& r) {
  r.data();
  static_cast<std::size_t>(r.size());
} && span_element_of<std::remove_pointer_t<decltype(std::declval<R&>().data())>, T>;

// Viewing R mutably from an rvalue would dangle, unless R is itself a view
// (it has a static `extent`, as std::span does, or is a vitte::span).
template <class R>
concept borrowed_view = requires {
  typename std::remove_cvref_t<R>::element_type;
  std::integral_constant<std::size_t, std::remove_cvref_t<R>::extent>{};
};

template <class S>
inline constexpr bool is_vitte_span = false;
template <class T>
inline constexpr bool is_vitte_span<span<T>> = true;

// A dynamic-extent std::span of `element_type`, built from a pointer and a count.
template <class S>
concept std_span = !is_vitte_span<S> && requires {
  typename S::element_type;
  S::extent;
} && (S::extent == static_cast<std::size_t>(-1)) && std::is_constructible_v<S, typename S::element_type*, std::size_t>;

}  // namespace detail

/// A borrowed run of `size()` elements of T at `data()`, mutable unless T
/// is const. Valid as long as what it views. A trivially copyable value;
/// pass it by value.
template <class T>
class span {
 public:
  using element_type = T;
  using value_type = std::remove_cv_t<T>;
  using size_type = std::size_t;
  using pointer = T*;
  using reference = T&;
  using iterator = T*;
  static constexpr std::size_t extent = static_cast<std::size_t>(-1);

  /// The empty span.
  constexpr span() noexcept = default;
  /// `n` elements at `p`.
  constexpr span(T* p, std::size_t n) noexcept : ptr_(p), size_(n) {}
  /// [first, last). (A template so that span(p, 0) means a count.)
  template <class E>
    requires(std::is_convertible_v<E, T*> && !std::is_same_v<E, std::nullptr_t>)
  constexpr span(T* first, E last) noexcept
      : ptr_(first), size_(static_cast<std::size_t>(static_cast<T*>(last) - first)) {}
  /// A C array.
  template <class U, std::size_t N>
    requires detail::span_element_of<U, T>
  constexpr span(U (&a)[N]) noexcept : ptr_(a), size_(N) {}
  /// A contiguous container or view (std::vector, std::array, std::span,
  /// vitte::buffer, a span of T's non-const version). Temporaries only for
  /// const T, as std::span.
  template <class R>
    requires(detail::span_source<std::remove_reference_t<R>, T> && !std::is_array_v<std::remove_cvref_t<R>> &&
             !std::is_same_v<std::remove_cvref_t<R>, span> &&
             (std::is_const_v<T> || std::is_lvalue_reference_v<R> || detail::borrowed_view<R>))
  constexpr span(R&& r) noexcept : ptr_(r.data()), size_(static_cast<std::size_t>(r.size())) {}

  /// As a std::span of a mutable T from a temporary vitte::span (the other
  /// cases go through std::span's own constructor from a contiguous range).
  template <detail::std_span S>
    requires(!std::is_const_v<typename S::element_type> && detail::span_element_of<T, typename S::element_type>)
  constexpr operator S() const&& noexcept {
    return S(ptr_, size_);
  }

  constexpr T* data() const noexcept { return ptr_; }
  constexpr std::size_t size() const noexcept { return size_; }
  constexpr std::size_t size_bytes() const noexcept { return size_ * sizeof(T); }
  constexpr bool empty() const noexcept { return size_ == 0; }
  constexpr T* begin() const noexcept { return ptr_; }
  constexpr T* end() const noexcept { return ptr_ + size_; }
  constexpr T& operator[](std::size_t i) const noexcept { return ptr_[i]; }
  constexpr T& front() const noexcept { return ptr_[0]; }
  constexpr T& back() const noexcept { return ptr_[size_ - 1]; }

  /// The first `n` elements; n <= size().
  constexpr span first(std::size_t n) const noexcept {
    assert(n <= size_);
    return {ptr_, n};
  }
  /// The last `n` elements; n <= size().
  constexpr span last(std::size_t n) const noexcept {
    assert(n <= size_);
    return {ptr_ + size_ - n, n};
  }
  /// `n` elements from `offset` (the rest when n is extent); offset <= size()
  /// and offset + n <= size().
  constexpr span subspan(std::size_t offset, std::size_t n = extent) const noexcept {
    assert(offset <= size_ && (n == extent || n <= size_ - offset));
    return {ptr_ + offset, n == extent ? size_ - offset : n};
  }

 private:
  T* ptr_ = nullptr;
  std::size_t size_ = 0;
};

template <class R>
span(R&&) -> span<std::remove_pointer_t<decltype(std::declval<R&>().data())>>;
template <class T, std::size_t N>
span(T (&)[N]) -> span<T>;

/// The bytes of `s`, read-only.
template <class T>
span<const std::byte> as_bytes(span<T> s) noexcept {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size_bytes()};
}
/// The bytes of `s`, writable.
template <class T>
  requires(!std::is_const_v<T>)
span<std::byte> as_writable_bytes(span<T> s) noexcept {
  return {reinterpret_cast<std::byte*>(s.data()), s.size_bytes()};
}

}  // namespace vitte

#endif  // VITTE_BASE_SPAN_HPP
