// vitte/base/text.hpp - vitte::text, the owning string that vitte returns.
//
// Functions that hand text back to the caller (paths, environment values,
// captured output, host names) return a vitte::text: an owning, contiguous,
// NUL-terminated run of bytes, UTF-8 by convention. It is vitte's own type
// rather than std::string so that the public headers stay cheap to parse:
// libstdc++'s <string> alone costs a third of the whole compile budget of
// <vitte/sys.hpp> (docs/ARCHITECTURE.md, "Compile-time budget").
//
// It converts to text_view implicitly, so it goes wherever a view
// goes, and to a std::string explicitly:
//
//   vitte::text cwd = vitte::sys::current_directory().value();
//   std::string_view v = cwd;   // no copy
//   std::string s(cwd);                // a copy, through the view
//   if (cwd == "/tmp") puts(cwd.c_str());
//
// Allocation failure behaves as in std::string: std::bad_alloc with
// exceptions, abort without. Calls that can report it as an error value use
// try_reserve() and return errc::no_memory instead.
#ifndef VITTE_BASE_TEXT_HPP
#define VITTE_BASE_TEXT_HPP

#include <vitte/base/detail/storage.hpp>
#include <vitte/base/text_view.hpp>  // the view every text converts to

#include <cstddef>  // std::size_t
#include <cstring>  // std::memcpy, std::strlen
#include <utility>  // std::exchange

namespace vitte {

/// An owning, NUL-terminated string of bytes (UTF-8 by convention). An empty
/// text allocates nothing. Thread safety: as std::string (const calls may
/// run concurrently, the rest need exclusive access).
class text {
 public:
  using value_type = char;
  using size_type = std::size_t;
  using iterator = char*;
  using const_iterator = const char*;

  /// The empty text.
  constexpr text() noexcept = default;
  /// A copy of `s`.
  text(text_view s) { assign(s.data(), s.size()); }
  /// A copy of the NUL-terminated `s`.
  text(const char* s) { assign(s, std::strlen(s)); }
  /// A copy of `s`, `n` bytes (which may include NULs).
  text(const char* s, std::size_t n) { assign(s, n); }
  /// `n` copies of `c`.
  text(std::size_t n, char c) { resize(n, c); }
  /// A copy of any contiguous char range with data() and size() (a std::string).
  template <class S>
    requires detail::char_range<S>
  text(const S& s) {
    assign(s.data(), s.size());
  }

  text(const text& other) { assign(other.data(), other.size_); }
  text(text&& other) noexcept
      : ptr_(std::exchange(other.ptr_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        capacity_(std::exchange(other.capacity_, 0)) {}
  text& operator=(const text& other) {
    if (this != &other) assign(other.data(), other.size_);
    return *this;
  }
  text& operator=(text&& other) noexcept {
    if (this != &other) {
      detail::storage_free(ptr_);
      ptr_ = std::exchange(other.ptr_, nullptr);
      size_ = std::exchange(other.size_, 0);
      capacity_ = std::exchange(other.capacity_, 0);
    }
    return *this;
  }
  text& operator=(text_view s) {
    assign(s.data(), s.size());
    return *this;
  }
  text& operator=(const char* s) { return *this = text_view(s); }
  /// A copy of any contiguous char range (a std::string).
  template <class S>
    requires(detail::char_range<S> && !std::is_same_v<S, text> && !std::is_same_v<S, text_view>)
  text& operator=(const S& s) {
    assign(s.data(), s.size());
    return *this;
  }
  ~text() { detail::storage_free(ptr_); }

  /// The bytes, NUL-terminated; never null ("" when empty).
  const char* c_str() const noexcept { return ptr_ != nullptr ? ptr_ : ""; }
  const char* data() const noexcept { return c_str(); }
  /// Writable bytes, NUL-terminated (an empty text allocates its NUL here).
  char* data() noexcept {
    if (ptr_ == nullptr && !try_reserve(0)) return empty_;  // out of memory: the shared, read-only ""
    return ptr_;
  }
  std::size_t size() const noexcept { return size_; }
  std::size_t length() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::size_t capacity() const noexcept { return capacity_; }
  /// The longest text there can be.
  static constexpr std::size_t max_size() noexcept { return static_cast<std::size_t>(-1) / 2 - 1; }

  /// The bytes as a view; valid until this text changes.
  text_view view() const noexcept { return {data(), size_}; }
  operator text_view() const noexcept { return view(); }
  /// As a std::string_view, implicitly; valid until this text changes.
  template <detail::std_string_view S>
  operator S() const noexcept {
    return S(data(), size_);
  }
  /// A copy as a std::string (or any standard string of char), implicitly,
  /// so code written for std::string keeps working.
  template <detail::std_owning_string S>
  operator S() const {
    return S(data(), size_);
  }

  /// Searches and slices, as in std::string_view.
  std::size_t find(text_view s, std::size_t pos = 0) const noexcept { return view().find(s, pos); }
  std::size_t find(char c, std::size_t pos = 0) const noexcept { return view().find(c, pos); }
  std::size_t rfind(char c, std::size_t pos = npos) const noexcept { return view().rfind(c, pos); }
  bool starts_with(text_view s) const noexcept { return view().starts_with(s); }
  bool ends_with(text_view s) const noexcept { return view().ends_with(s); }
  int compare(text_view s) const noexcept { return view().compare(s); }
  /// A copy of [pos, pos + n), clamped to the text.
  text substr(std::size_t pos, std::size_t n = npos) const { return text(view().substr(pos < size_ ? pos : size_, n)); }
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  /// The byte at `i` (i == size() gives the NUL).
  char& operator[](std::size_t i) noexcept { return data()[i]; }
  const char& operator[](std::size_t i) const noexcept { return data()[i]; }
  char& front() noexcept { return ptr_[0]; }
  char front() const noexcept { return ptr_[0]; }
  char& back() noexcept { return ptr_[size_ - 1]; }
  char back() const noexcept { return ptr_[size_ - 1]; }
  char* begin() noexcept { return data(); }
  char* end() noexcept { return data() + size_; }
  const char* begin() const noexcept { return data(); }
  const char* end() const noexcept { return data() + size_; }

  /// Room for `n` bytes (plus the NUL) without reallocating; false when the
  /// allocation fails, leaving the text as it was.
  [[nodiscard]] bool try_reserve(std::size_t n) noexcept {
    if (n <= capacity_ && ptr_ != nullptr) return true;
    if (n > max_size()) return false;
    char* p = static_cast<char*>(detail::storage_grow(ptr_, ptr_ != nullptr ? size_ + 1 : 0, n + 1));
    if (p == nullptr) return false;
    if (ptr_ == nullptr) p[0] = '\0';
    ptr_ = p;
    capacity_ = n;
    return true;
  }
  /// As try_reserve(); an allocation failure is fatal (see the top).
  void reserve(std::size_t n) {
    if (!try_reserve(n)) detail::allocation_failed();
  }
  /// Makes the text `n` bytes long, filling new bytes with `c`.
  void resize(std::size_t n, char c = '\0') {
    if (n > size_) {
      reserve(n);
      std::memset(ptr_ + size_, c, n - size_);
    }
    set_size(n);
  }
  void clear() noexcept { set_size(0); }
  /// Replaces the bytes with `n` bytes from `s`, which may point into this text.
  text& assign(const char* s, std::size_t n) {
    if (n > capacity_) reserve(n);  // s cannot be a part of this text: it is longer
    if (n != 0) std::memmove(ptr_, s, n);
    set_size(n);
    return *this;
  }
  text& assign(text_view s) { return assign(s.data(), s.size()); }
  void swap(text& other) noexcept {
    std::swap(ptr_, other.ptr_);
    std::swap(size_, other.size_);
    std::swap(capacity_, other.capacity_);
  }

  /// Appends bytes; grows geometrically. `s` may point into this text.
  text& append(const char* s, std::size_t n) {
    if (n == 0) return *this;
    if (n > max_size() - size_) detail::allocation_failed();
    if (ptr_ != nullptr && n <= capacity_ - size_) {
      std::memmove(ptr_ + size_, s, n);
      set_size(size_ + n);
      return *this;
    }
    // A new block, filled before the old one is freed (s may be in it).
    std::size_t want = capacity_ * 2 > size_ + n ? capacity_ * 2 : size_ + n;
    if (want < 15) want = 15;
    char* p = static_cast<char*>(detail::storage_grow(nullptr, 0, want + 1));
    if (p == nullptr) detail::allocation_failed();
    if (size_ != 0) std::memcpy(p, ptr_, size_);
    std::memcpy(p + size_, s, n);
    detail::storage_free(ptr_);
    ptr_ = p;
    capacity_ = want;
    set_size(size_ + n);
    return *this;
  }
  text& append(text_view s) { return append(s.data(), s.size()); }
  text& append(std::size_t n, char c) {
    resize(size_ + n, c);
    return *this;
  }
  void push_back(char c) { append(&c, 1); }
  void pop_back() noexcept { set_size(size_ - 1); }
  text& operator+=(text_view s) { return append(s); }
  text& operator+=(char c) {
    push_back(c);
    return *this;
  }

  /// `a` followed by `b`.
  friend text operator+(const text& a, text_view b) { return text(a).append(b); }
  friend text operator+(text&& a, text_view b) { return static_cast<text&&>(a.append(b)); }
  friend text operator+(const char* a, const text& b) { return text(a).append(b); }
  /// A std::string followed by a text (as std::string's own operator+ would).
  template <detail::std_owning_string S>
  friend text operator+(const S& a, const text& b) {
    return text(a).append(b);
  }

  friend bool operator==(const text& a, const text& b) noexcept { return a.view() == b.view(); }
  friend bool operator==(const text& a, text_view b) noexcept { return a.view() == b; }
  friend bool operator==(const text& a, const char* b) noexcept { return a.view() == text_view(b); }
  /// With a std::string or any other contiguous char range.
  template <detail::char_range S>
  friend bool operator==(const text& a, const S& b) noexcept {
    return a.view() == text_view(b.data(), b.size());
  }
  friend auto operator<=>(const text& a, const text& b) noexcept { return a.view() <=> b.view(); }
  friend auto operator<=>(const text& a, const char* b) noexcept { return a.view() <=> text_view(b); }
  /// With a view, a std::string or any other contiguous char range.
  template <detail::char_range S>
  friend auto operator<=>(const text& a, const S& b) noexcept {
    return a.view() <=> text_view(b.data(), static_cast<std::size_t>(b.size()));
  }

  /// Writes the text to a std::ostream (as text_view does), without this
  /// header including <ostream>.
  template <class Stream>
  friend auto operator<<(Stream& os, const text& t) -> decltype(os << text_view()) {
    return os << t.view();
  }

 private:
  void set_size(std::size_t n) noexcept {
    size_ = n;
    if (ptr_ != nullptr) ptr_[n] = '\0';
  }

  char* ptr_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
  static inline char empty_[1] = {'\0'};  // never written: see data()
};

}  // namespace vitte

#endif  // VITTE_BASE_TEXT_HPP
