// vitte/base/buffer.hpp - vitte::buffer<T>, the owning array that vitte returns.
//
// Functions that hand a sequence back (a file's bytes, resolved addresses,
// environment entries, a command's arguments) return a vitte::buffer<T>: an
// owning, contiguous, growable array, a small std::vector. It is vitte's own
// type so that the public headers need not include <vector> (see
// vitte/base/text.hpp for why). It converts to std::span and vitte::span
// implicitly (as a contiguous range):
//
//   vitte::buffer<std::byte> bytes = vitte::sys::read_file("data.bin").value();
//   std::span<const std::byte> all = bytes;      // no copy
//   std::vector<std::byte> copy(bytes.begin(), bytes.end());
//   for (std::byte b : bytes) ...
//
// Allocation failure behaves as in std::vector (bad_alloc, or abort without
// exceptions); try_reserve() reports it as false instead.
#ifndef VITTE_BASE_BUFFER_HPP
#define VITTE_BASE_BUFFER_HPP

#include <vitte/base/detail/storage.hpp>
#include <vitte/base/span.hpp>  // the view every buffer converts to

#include <cstddef>           // std::size_t, std::max_align_t
#include <cstring>           // std::memcpy
#include <initializer_list>  // buffer{a, b, c}
#include <new>               // placement new
#include <type_traits>
#include <utility>  // std::move, std::exchange

namespace vitte {

/// An owning, contiguous, growable array of T. An empty buffer allocates
/// nothing. Growth moves elements (T's move constructor should not throw).
/// Thread safety: as std::vector.
template <class T>
class buffer {
 public:
  using value_type = T;
  using size_type = std::size_t;
  using iterator = T*;
  using const_iterator = const T*;

  constexpr buffer() noexcept = default;
  /// `n` value-initialised elements.
  explicit buffer(std::size_t n) { resize(n); }
  /// `n` copies of `v`.
  buffer(std::size_t n, const T& v) {
    reserve(n);
    while (size_ < n) push_back(v);
  }
  buffer(std::initializer_list<T> init) { append(init.begin(), init.size()); }
  /// A copy of `s`.
  explicit buffer(vitte::span<const T> s) { append(s.data(), s.size()); }
  /// A copy of [first, last).
  buffer(const T* first, const T* last) { append(first, static_cast<std::size_t>(last - first)); }
  /// A copy of a std::vector<T>, implicitly (as the conversion back), so
  /// code written for the std container keeps working.
  template <detail::std_owning_container<T> C>
  buffer(const C& c) {
    append(c.data(), c.size());
  }

  buffer(const buffer& other) { append(other.ptr_, other.size_); }
  buffer(buffer&& other) noexcept
      : ptr_(std::exchange(other.ptr_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        capacity_(std::exchange(other.capacity_, 0)) {}
  buffer& operator=(const buffer& other) {
    if (this != &other) {
      clear();
      append(other.ptr_, other.size_);
    }
    return *this;
  }
  buffer& operator=(buffer&& other) noexcept {
    if (this != &other) {
      release();
      ptr_ = std::exchange(other.ptr_, nullptr);
      size_ = std::exchange(other.size_, 0);
      capacity_ = std::exchange(other.capacity_, 0);
    }
    return *this;
  }
  ~buffer() { release(); }

  T* data() noexcept { return ptr_; }
  const T* data() const noexcept { return ptr_; }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::size_t capacity() const noexcept { return capacity_; }

  T& operator[](std::size_t i) noexcept { return ptr_[i]; }
  const T& operator[](std::size_t i) const noexcept { return ptr_[i]; }
  T& front() noexcept { return ptr_[0]; }
  const T& front() const noexcept { return ptr_[0]; }
  T& back() noexcept { return ptr_[size_ - 1]; }
  const T& back() const noexcept { return ptr_[size_ - 1]; }
  T* begin() noexcept { return ptr_; }
  T* end() noexcept { return ptr_ + size_; }
  const T* begin() const noexcept { return ptr_; }
  const T* end() const noexcept { return ptr_ + size_; }

  /// The elements as a span; valid until the buffer grows or is destroyed.
  vitte::span<T> span() noexcept { return {ptr_, size_}; }
  vitte::span<const T> span() const noexcept { return {ptr_, size_}; }
  /// A copy as a std::vector<T>, implicitly, so code written for the std
  /// container keeps working.
  template <detail::std_owning_container<T> C>
  operator C() const {
    return C(ptr_, ptr_ + size_);
  }

  /// Room for `n` elements without reallocating; false when the allocation
  /// fails, leaving the buffer as it was.
  [[nodiscard]] bool try_reserve(std::size_t n) noexcept {
    if (n <= capacity_) return true;
    T* p = allocate(n);
    if (p == nullptr) return false;
    relocate_to(p);
    capacity_ = n;
    return true;
  }
  /// As try_reserve(); an allocation failure is fatal (see the top).
  void reserve(std::size_t n) {
    if (!try_reserve(n)) detail::allocation_failed();
  }
  /// Makes the buffer `n` long; new elements are value-initialised.
  void resize(std::size_t n) {
    reserve(n);
    // Counted in locals: a T that may alias anything (std::byte, char)
    // would otherwise make the compiler store size_ at every element.
    T* const p = ptr_;
    std::size_t i = size_;
    if constexpr (std::is_trivially_default_constructible_v<T> && std::is_trivially_copyable_v<T>) {
      if (i < n) std::memset(static_cast<void*>(p + i), 0, (n - i) * sizeof(T));  // value-initialised: zero
      i = i < n ? n : i;
    } else {
      for (; i < n; ++i) ::new (static_cast<void*>(p + i)) T();
    }
    if (size_ < i) size_ = i;
    shrink_to(n);
  }
  /// Makes the buffer `n` long, leaving new elements uninitialised, for the
  /// caller to overwrite (trivial element types only: bytes a decoder
  /// writes, where zero-filling first would cost a pass over memory).
  /// Errors: false when the allocation fails, leaving the buffer as it was.
  [[nodiscard]] bool try_resize_for_overwrite(std::size_t n) noexcept
    requires std::is_trivially_default_constructible_v<T> && std::is_trivially_destructible_v<T>
  {
    if (!try_reserve(n)) return false;
    size_ = n;
    return true;
  }
  /// Makes the buffer `n` long; new elements are copies of `v`.
  void resize(std::size_t n, const T& v) {
    reserve(n);
    T* const p = ptr_;
    std::size_t i = size_;
    for (; i < n; ++i) ::new (static_cast<void*>(p + i)) T(v);
    if (size_ < i) size_ = i;
    shrink_to(n);
  }
  void clear() noexcept { shrink_to(0); }

  void push_back(const T& v) { emplace_back(v); }
  void push_back(T&& v) { emplace_back(std::move(v)); }
  /// Constructs an element at the end and returns it.
  template <class... Args>
  T& emplace_back(Args&&... args) {
    if (size_ == capacity_) {  // args may refer into the buffer: build first
      T tmp(std::forward<Args>(args)...);
      reserve(next_capacity(size_ + 1));
      return *::new (static_cast<void*>(ptr_ + size_++)) T(std::move(tmp));
    }
    return *::new (static_cast<void*>(ptr_ + size_++)) T(std::forward<Args>(args)...);
  }
  void pop_back() noexcept { ptr_[--size_].~T(); }
  /// Appends copies of `n` elements from `src`, which may point into this
  /// buffer.
  void append(const T* src, std::size_t n) {
    if (n <= capacity_ - size_) {
      for (std::size_t i = 0; i < n; ++i) ::new (static_cast<void*>(ptr_ + size_ + i)) T(src[i]);
      size_ += n;
      return;
    }
    if (n > max_size() - size_) detail::allocation_failed();
    std::size_t cap = next_capacity(size_ + n);
    T* p = allocate(cap);
    if (p == nullptr) detail::allocation_failed();
    // The copies first: src may be in the old block.
    for (std::size_t i = 0; i < n; ++i) ::new (static_cast<void*>(p + size_ + i)) T(src[i]);
    relocate_to(p);
    size_ += n;
    capacity_ = cap;
  }
  /// Removes the element at `pos`, moving the later ones down; returns the
  /// position after it.
  T* erase(const T* pos) noexcept {
    std::size_t i = static_cast<std::size_t>(pos - ptr_);
    for (std::size_t j = i; j + 1 < size_; ++j) ptr_[j] = std::move(ptr_[j + 1]);
    pop_back();
    return ptr_ + i;
  }
  /// Inserts `v` before `pos`, moving the later elements up.
  T* insert(const T* pos, T v) {
    std::size_t i = static_cast<std::size_t>(pos - ptr_);
    emplace_back(std::move(v));
    for (std::size_t j = size_ - 1; j > i; --j) {
      T tmp(std::move(ptr_[j]));
      ptr_[j] = std::move(ptr_[j - 1]);
      ptr_[j - 1] = std::move(tmp);
    }
    return ptr_ + i;
  }
  /// Removes [first, last), moving the later elements down; returns the
  /// position after the removed ones.
  T* erase(const T* first, const T* last) noexcept {
    const std::size_t i = static_cast<std::size_t>(first - ptr_), n = static_cast<std::size_t>(last - first);
    if (n == 0) return ptr_ + i;
    for (std::size_t j = i; j + n < size_; ++j) ptr_[j] = std::move(ptr_[j + n]);
    shrink_to(size_ - n);
    return ptr_ + i;
  }
  /// Replaces the elements with copies of [first, last), which must not
  /// point into this buffer.
  void assign(const T* first, const T* last) {
    clear();
    append(first, static_cast<std::size_t>(last - first));
  }
  /// Replaces the elements with `n` copies of `v` (not one of them).
  void assign(std::size_t n, const T& v) {
    clear();
    resize(n, v);
  }
  void swap(buffer& other) noexcept {
    std::swap(ptr_, other.ptr_);
    std::swap(size_, other.size_);
    std::swap(capacity_, other.capacity_);
  }

  friend bool operator==(const buffer& a, const buffer& b) noexcept {
    if (a.size_ != b.size_) return false;
    for (std::size_t i = 0; i < a.size_; ++i)
      if (!(a.ptr_[i] == b.ptr_[i])) return false;
    return true;
  }

 private:
  static constexpr std::size_t max_size() noexcept { return static_cast<std::size_t>(-1) / 2 / sizeof(T); }
  static T* allocate(std::size_t n) noexcept {
    // Here, not at the class: a type may hold a buffer of itself (T is
    // complete by the time one is allocated).
    static_assert(alignof(T) <= alignof(std::max_align_t),
                  "vitte::buffer: over-aligned element types are not supported");
    if (n > max_size()) return nullptr;
    return static_cast<T*>(detail::storage_grow(nullptr, 0, n * sizeof(T)));
  }
  // Moves the elements into p (room for them), frees the old block.
  void relocate_to(T* p) noexcept {
    if constexpr (std::is_trivially_copyable_v<T>) {
      if (size_ != 0) std::memcpy(static_cast<void*>(p), static_cast<const void*>(ptr_), size_ * sizeof(T));
    } else {
      for (std::size_t i = 0; i < size_; ++i) {
        ::new (static_cast<void*>(p + i)) T(std::move(ptr_[i]));
        ptr_[i].~T();
      }
    }
    detail::storage_free(ptr_);
    ptr_ = p;
  }
  std::size_t next_capacity(std::size_t need) const noexcept {
    if (need <= capacity_) return capacity_;
    std::size_t twice = capacity_ * 2;
    return twice > need ? twice : (need < 4 ? 4 : need);
  }
  void shrink_to(std::size_t n) noexcept {
    while (size_ > n) ptr_[--size_].~T();
  }
  void release() noexcept {
    clear();
    detail::storage_free(ptr_);
    ptr_ = nullptr;
    capacity_ = 0;
  }

  T* ptr_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace vitte

#endif  // VITTE_BASE_BUFFER_HPP
