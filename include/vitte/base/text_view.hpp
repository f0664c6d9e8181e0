// vitte/base/text_view.hpp - vitte::text_view, the string view vitte's signatures use.
//
// Every vitte function that takes or lends out text (names, paths,
// arguments, addresses) spells it vitte::text_view: a pointer and a length,
// like std::string_view, and interchangeable with it. It is vitte's own type
// so that <vitte/sys.hpp> need not include <string_view>: with libstdc++ that
// header (and the ranges machinery it drags in) costs a fifth of the whole
// compile budget (docs/ARCHITECTURE.md, "Compile-time budget").
//
// It converts both ways without a copy, so callers keep their std types:
//
//   std::string name = "build.log";
//   auto f = vitte::sys::file::open(name, vitte::sys::open_mode::read);   // std::string -> text_view
//   std::string_view v = vitte::to_string(vitte::errc::not_found);         // text_view -> std::string_view
//   if (v == "not found") ...
//
// Differences from std::string_view: substr() and remove_prefix() clamp
// instead of throwing (for -fno-exceptions); there is no at(), copy() or
// std::hash (convert to std::string_view for those). Code that keeps a
// result with `auto` holds a text_view; spell std::string_view to get one.
#ifndef VITTE_BASE_TEXT_VIEW_HPP
#define VITTE_BASE_TEXT_VIEW_HPP

#include <vitte/base/detail/storage.hpp>  // detail::char_range

#include <compare>  // operator<=>
#include <cstddef>  // std::size_t

namespace vitte {

namespace detail {

// A standard (non-owning) string view of char: std::string_view. Built from
// a pointer and a length, with traits but no allocator.
template <class S>
concept std_string_view = requires {
  typename S::traits_type;
  typename S::const_pointer;
} && !requires {
  typename S::allocator_type;
} && std::is_same_v<typename S::value_type, char> && std::is_constructible_v<S, const char*, std::size_t>;

// strlen and memcmp, usable in constant expressions on any array (GCC folds
// the builtins only on literals and namespace-scope constants).
constexpr std::size_t c_string_length(const char* s) noexcept {
  if (!std::is_constant_evaluated()) return __builtin_strlen(s);
  std::size_t n = 0;
  while (s[n] != '\0') ++n;
  return n;
}

constexpr int compare_chars(const char* a, const char* b, std::size_t n) noexcept {
  if (n == 0) return 0;
  if (!std::is_constant_evaluated()) return __builtin_memcmp(a, b, n);
  for (std::size_t i = 0; i < n; ++i) {
    auto x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

}  // namespace detail

/// A borrowed run of bytes (UTF-8 by convention): pointer and length, not
/// necessarily NUL-terminated. Valid as long as what it views. A trivially
/// copyable value; pass it by value.
class text_view {
 public:
  using value_type = char;
  using size_type = std::size_t;
  using const_pointer = const char*;
  using iterator = const char*;
  using const_iterator = const char*;
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  /// The empty view.
  constexpr text_view() noexcept = default;
  /// `n` bytes at `s`.
  constexpr text_view(const char* s, std::size_t n) noexcept : ptr_(s), size_(n) {}
  /// The NUL-terminated `s` (not null).
  constexpr text_view(const char* s) noexcept : ptr_(s), size_(detail::c_string_length(s)) {}
  text_view(std::nullptr_t) = delete;
  /// Views any contiguous char range with data() and size(): std::string,
  /// std::string_view, vitte::text. The range must outlive the view.
  template <class S>
    requires(detail::char_range<S> && !std::is_same_v<S, text_view>)
  constexpr text_view(const S& s) noexcept : ptr_(s.data()), size_(static_cast<std::size_t>(s.size())) {}

  /// As a std::string_view (or any standard view of char), implicitly.
  template <detail::std_string_view S>
  constexpr operator S() const noexcept {
    return S(ptr_, size_);
  }

  constexpr const char* data() const noexcept { return ptr_; }
  constexpr std::size_t size() const noexcept { return size_; }
  constexpr std::size_t length() const noexcept { return size_; }
  constexpr bool empty() const noexcept { return size_ == 0; }
  constexpr const char* begin() const noexcept { return ptr_; }
  constexpr const char* end() const noexcept { return ptr_ + size_; }
  constexpr char operator[](std::size_t i) const noexcept { return ptr_[i]; }
  constexpr char front() const noexcept { return ptr_[0]; }
  constexpr char back() const noexcept { return ptr_[size_ - 1]; }

  /// [pos, pos + n), clamped to the view.
  constexpr text_view substr(std::size_t pos, std::size_t n = npos) const noexcept {
    if (pos > size_) pos = size_;
    std::size_t left = size_ - pos;
    return {ptr_ + pos, n < left ? n : left};
  }
  /// Drops the first `n` bytes (all of them when n > size()).
  constexpr void remove_prefix(std::size_t n) noexcept { *this = substr(n); }
  /// Drops the last `n` bytes (all of them when n > size()).
  constexpr void remove_suffix(std::size_t n) noexcept { size_ -= n < size_ ? n : size_; }

  constexpr bool starts_with(text_view s) const noexcept {
    return s.size_ <= size_ && detail::compare_chars(ptr_, s.ptr_, s.size_) == 0;
  }
  constexpr bool starts_with(char c) const noexcept { return size_ != 0 && ptr_[0] == c; }
  constexpr bool ends_with(text_view s) const noexcept {
    return s.size_ <= size_ && detail::compare_chars(ptr_ + size_ - s.size_, s.ptr_, s.size_) == 0;
  }
  constexpr bool ends_with(char c) const noexcept { return size_ != 0 && ptr_[size_ - 1] == c; }

  /// The first `c` at or after `pos`, or npos.
  constexpr std::size_t find(char c, std::size_t pos = 0) const noexcept {
    for (std::size_t i = pos; i < size_; ++i)
      if (ptr_[i] == c) return i;
    return npos;
  }
  /// The first occurrence of `s` at or after `pos`, or npos.
  constexpr std::size_t find(text_view s, std::size_t pos = 0) const noexcept {
    if (s.size_ > size_) return npos;
    for (std::size_t i = pos; i <= size_ - s.size_; ++i)
      if (detail::compare_chars(ptr_ + i, s.ptr_, s.size_) == 0) return i;
    return npos;
  }
  /// The first occurrence of the `n` bytes at `s` at or after `pos`, or npos.
  constexpr std::size_t find(const char* s, std::size_t pos, std::size_t n) const noexcept {
    return find(text_view(s, n), pos);
  }
  /// The last `c` at or before `pos`, or npos.
  constexpr std::size_t rfind(char c, std::size_t pos = npos) const noexcept {
    std::size_t i = pos < size_ ? pos + 1 : size_;
    while (i-- != 0)
      if (ptr_[i] == c) return i;
    return npos;
  }
  /// The last occurrence of `s` starting at or before `pos`, or npos.
  constexpr std::size_t rfind(text_view s, std::size_t pos = npos) const noexcept {
    if (s.size_ > size_) return npos;
    std::size_t i = size_ - s.size_ < pos ? size_ - s.size_ : pos;
    for (;; --i) {
      if (detail::compare_chars(ptr_ + i, s.ptr_, s.size_) == 0) return i;
      if (i == 0) return npos;
    }
  }
  /// The first byte at or after `pos` that is one of `set`, or npos.
  constexpr std::size_t find_first_of(text_view set, std::size_t pos = 0) const noexcept {
    for (std::size_t i = pos; i < size_; ++i)
      if (set.find(ptr_[i]) != npos) return i;
    return npos;
  }
  /// The last byte at or before `pos` that is one of `set`, or npos.
  constexpr std::size_t find_last_of(text_view set, std::size_t pos = npos) const noexcept {
    std::size_t i = pos < size_ ? pos + 1 : size_;
    while (i-- != 0)
      if (set.find(ptr_[i]) != npos) return i;
    return npos;
  }
  /// The first byte at or after `pos` that is not one of `set`, or npos.
  constexpr std::size_t find_first_not_of(text_view set, std::size_t pos = 0) const noexcept {
    for (std::size_t i = pos; i < size_; ++i)
      if (set.find(ptr_[i]) == npos) return i;
    return npos;
  }
  /// The last byte at or before `pos` that is not one of `set`, or npos.
  constexpr std::size_t find_last_not_of(text_view set, std::size_t pos = npos) const noexcept {
    std::size_t i = pos < size_ ? pos + 1 : size_;
    while (i-- != 0)
      if (set.find(ptr_[i]) == npos) return i;
    return npos;
  }
  constexpr bool contains(char c) const noexcept { return find(c) != npos; }
  constexpr bool contains(text_view s) const noexcept { return find(s) != npos; }

  /// Byte-wise comparison: negative, zero or positive, as memcmp.
  constexpr int compare(text_view s) const noexcept {
    std::size_t n = size_ < s.size_ ? size_ : s.size_;
    int c = detail::compare_chars(ptr_, s.ptr_, n);
    if (c != 0) return c;
    return size_ == s.size_ ? 0 : (size_ < s.size_ ? -1 : 1);
  }
  /// substr(pos, n).compare(s).
  constexpr int compare(std::size_t pos, std::size_t n, text_view s) const noexcept {
    return substr(pos, n).compare(s);
  }
  /// substr(pos1, n1).compare(s.substr(pos2, n2)).
  constexpr int compare(std::size_t pos1, std::size_t n1, text_view s, std::size_t pos2,
                        std::size_t n2 = npos) const noexcept {
    return substr(pos1, n1).compare(s.substr(pos2, n2));
  }

  friend constexpr bool operator==(text_view a, text_view b) noexcept {
    return a.size_ == b.size_ && detail::compare_chars(a.ptr_, b.ptr_, a.size_) == 0;
  }
  friend constexpr std::strong_ordering operator<=>(text_view a, text_view b) noexcept { return a.compare(b) <=> 0; }
  /// With a C string, a std::string or any other contiguous char range.
  friend constexpr bool operator==(text_view a, const char* b) noexcept { return a == text_view(b); }
  template <detail::char_range S>
  friend constexpr bool operator==(text_view a, const S& b) noexcept {
    return a == text_view(b.data(), static_cast<std::size_t>(b.size()));
  }
  template <detail::char_range S>
  friend constexpr std::strong_ordering operator<=>(text_view a, const S& b) noexcept {
    return a.compare(text_view(b.data(), static_cast<std::size_t>(b.size()))) <=> 0;
  }

 private:
  const char* ptr_ = nullptr;
  std::size_t size_ = 0;
};

/// Writes the bytes to a std::ostream, honouring width, fill and
/// alignment as std::string_view does, without this header including
/// <ostream>.
template <class Stream>
auto operator<<(Stream& os, text_view t) -> decltype(os.write(t.data(), 1), os.fill(), os) {
  auto width = os.width();
  std::size_t pad =
      width > 0 && static_cast<std::size_t>(width) > t.size() ? static_cast<std::size_t>(width) - t.size() : 0;
  bool left = (os.flags() & Stream::adjustfield) == Stream::left;
  for (std::size_t i = 0; !left && i < pad; ++i) os.put(os.fill());
  os.write(t.data(), static_cast<decltype(width)>(t.size()));
  for (std::size_t i = 0; left && i < pad; ++i) os.put(os.fill());
  os.width(0);
  return os;
}

}  // namespace vitte

#endif  // VITTE_BASE_TEXT_VIEW_HPP
