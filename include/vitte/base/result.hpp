// vitte/base/result.hpp - result<T>: a value or a vitte::error, without exceptions.
//
//   vitte::result<int> parse(text_view s);
//
//   auto r = parse("42");
//   if (!r) return r.error();          // propagate
//   use(*r);                            // or r.value()
//
// result is [[nodiscard]]: ignoring one is a warning (an error under
// -Werror). value() on an error throws vitte::bad_result_access when
// exceptions are enabled, and otherwise prints the error and aborts;
// operator* and operator-> assert instead (unchecked in release builds).
// `status` is result<void>, for operations that return nothing.
#ifndef VITTE_BASE_RESULT_HPP
#define VITTE_BASE_RESULT_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/error.hpp>

#include <cassert>      // invariants of operator* and friends
#include <new>          // placement new; std::exception (std::bad_alloc's base)
#include <type_traits>  // constraints on T
#include <utility>      // std::move, std::forward

// <new> defines std::bad_alloc, so its base std::exception is complete here
// without <exception> (which costs a tenth of the umbrella's compile time).
static_assert(sizeof(std::exception) != 0, "vitte: <new> did not declare std::exception");

namespace vitte {

#if VITTE_HAS_EXCEPTIONS
/// Thrown by result::value() on an error when exceptions are enabled.
class bad_result_access : public std::exception {
 public:
  explicit bad_result_access(vitte::error e) noexcept : error_(e), message_(e.message()) {}
  /// The error the result held.
  vitte::error error() const noexcept { return error_; }
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  vitte::error error_;
  error_message message_;
};
#endif

namespace detail {
/// Reports value() on an error: throws bad_result_access, or prints the
/// message to stderr (where there is one) and aborts.
[[noreturn]] VITTE_DECL void bad_access(error e);

// The storage of result<T>: a T or nothing, and the error. Whether copies,
// moves and destruction are trivial is decided by specialisation, not by
// constrained special members, which Clang before 16 does not choose between
// (P0848): trivial when T is trivially copyable, so that such a result is
// returned in registers.
template <class T, bool = std::is_trivially_copyable_v<T>>
struct result_storage {
  // The bytes start zeroed, so that copying an error (a trivial copy of the
  // whole union) reads no uninitialised memory (GCC's -Wmaybe-uninitialized).
  constexpr result_storage() noexcept : bytes_{} {}
  union {
    T value_;
    unsigned char bytes_[sizeof(T)];
  };
  vitte::error error_;
};

template <class T>
struct result_storage<T, false> {
  constexpr result_storage() noexcept {}
  constexpr result_storage(const result_storage& o) noexcept(std::is_nothrow_copy_constructible_v<T>)
    requires std::is_copy_constructible_v<T>
      : error_(o.error_) {
    if (!error_) ::new (static_cast<void*>(&value_)) T(o.value_);
  }
  constexpr result_storage(result_storage&& o) noexcept(std::is_nothrow_move_constructible_v<T>)
    requires std::is_move_constructible_v<T>
      : error_(o.error_) {
    if (!error_) ::new (static_cast<void*>(&value_)) T(std::move(o.value_));
  }
  constexpr result_storage& operator=(const result_storage& o) noexcept(std::is_nothrow_copy_constructible_v<T>)
    requires std::is_copy_constructible_v<T>
  {
    if (this != &o) assign(o.error_, o.value_);
    return *this;
  }
  constexpr result_storage& operator=(result_storage&& o) noexcept(std::is_nothrow_move_constructible_v<T>)
    requires std::is_move_constructible_v<T>
  {
    if (this != &o) assign(o.error_, std::move(o.value_));
    return *this;
  }
  constexpr ~result_storage() { reset(); }

  constexpr void reset() noexcept {
    if (!error_) value_.~T();
  }

  // Replaces the content with `e` or, when e is success, with T(v). Between
  // destroying the old value and constructing the new one the result holds
  // an error, so a throwing constructor leaves it valid.
  template <class V>
  constexpr void assign(vitte::error e, V&& v) {
    reset();
    error_ = vitte::error{errc::unknown};
    if (e) {
      error_ = e;
      return;
    }
    ::new (static_cast<void*>(&value_)) T(std::forward<V>(v));
    error_ = e;
  }

  union {
    T value_;
  };
  vitte::error error_;
};
}  // namespace detail

/// A T or an error. T must be an object type other than vitte::error.
/// Thread safety: a value type.
template <class T>
class [[nodiscard]] result : private detail::result_storage<T> {
  using detail::result_storage<T>::value_;
  using detail::result_storage<T>::error_;

  static_assert(std::is_object_v<T> && !std::is_array_v<T>, "vitte::result<T>: T must be an object type");
  static_assert(!std::is_same_v<std::remove_cv_t<T>, vitte::error>, "vitte::result<error> is meaningless");

 public:
  using value_type = T;

  /// A value, converted from U.
  template <class U = T>
    requires(std::is_constructible_v<T, U &&> && !std::is_same_v<std::remove_cvref_t<U>, result> &&
             !std::is_same_v<std::remove_cvref_t<U>, vitte::error> && !std::is_same_v<std::remove_cvref_t<U>, errc>)
  constexpr result(U&& v) noexcept(std::is_nothrow_constructible_v<T, U&&>) {
    ::new (static_cast<void*>(&value_)) T(std::forward<U>(v));
  }

  /// The value or the error of a result<U> whose value converts to T (a
  /// result<vitte::text> into a result<std::string>, as std::expected does).
  template <class U>
    requires(!std::is_same_v<U, T> && std::is_constructible_v<T, U &&>)
  constexpr result(result<U>&& other) {
    if (other)
      ::new (static_cast<void*>(&value_)) T(std::move(*other));
    else
      error_ = other.error();
  }
  template <class U>
    requires(!std::is_same_v<U, T> && std::is_constructible_v<T, const U&>)
  constexpr result(const result<U>& other) {
    if (other)
      ::new (static_cast<void*>(&value_)) T(*other);
    else
      error_ = other.error();
  }

  /// An error. `e` must not be success.
  constexpr result(vitte::error e) noexcept {
    assert(e && "vitte::result: constructed from a success error");
    error_ = e;
  }
  /// An error of kind `k`, without operation or native code.
  constexpr result(errc k) noexcept : result(vitte::error{k}) {}

  // Copy, move and destruction are those of the storage: trivial when T is
  // trivially copyable.

  /// True when a value is held.
  constexpr bool has_value() const noexcept { return !error_; }
  constexpr explicit operator bool() const noexcept { return has_value(); }

  /// The error; success (errc::ok) when a value is held.
  constexpr vitte::error error() const noexcept { return error_; }

  /// The value; reports bad access when an error is held (see the header).
  constexpr T& value() & {
    if (error_) detail::bad_access(error_);
    return value_;
  }
  constexpr const T& value() const& {
    if (error_) detail::bad_access(error_);
    return value_;
  }
  constexpr T&& value() && {
    if (error_) detail::bad_access(error_);
    return std::move(value_);
  }

  /// The value, or `fallback` when an error is held.
  template <class U>
  constexpr T value_or(U&& fallback) const& {
    return error_ ? static_cast<T>(std::forward<U>(fallback)) : value_;
  }
  template <class U>
  constexpr T value_or(U&& fallback) && {
    return error_ ? static_cast<T>(std::forward<U>(fallback)) : std::move(value_);
  }

  /// Unchecked access; asserts that a value is held.
  constexpr T& operator*() & noexcept { return assert(!error_ && "vitte::result: no value"), value_; }
  constexpr const T& operator*() const& noexcept { return assert(!error_ && "vitte::result: no value"), value_; }
  constexpr T&& operator*() && noexcept { return assert(!error_ && "vitte::result: no value"), std::move(value_); }
  constexpr T* operator->() noexcept { return assert(!error_ && "vitte::result: no value"), &value_; }
  constexpr const T* operator->() const noexcept { return assert(!error_ && "vitte::result: no value"), &value_; }

  /// f(value) -> result<U>; errors pass through.
  template <class F>
  constexpr auto and_then(F&& f) && {
    using R = std::remove_cvref_t<decltype(std::forward<F>(f)(std::move(value_)))>;
    if (error_) return R(error_);
    return std::forward<F>(f)(std::move(value_));
  }
  /// f(value) -> U gives result<U>; errors pass through.
  template <class F>
  constexpr auto transform(F&& f) && {
    using U = std::remove_cvref_t<decltype(std::forward<F>(f)(std::move(value_)))>;
    if (error_) return result<U>(error_);
    return result<U>(std::forward<F>(f)(std::move(value_)));
  }
};

/// The result of an operation that returns nothing but may fail.
template <>
class [[nodiscard]] result<void> {
 public:
  using value_type = void;

  /// Success.
  constexpr result() noexcept = default;
  /// `e`, which may be success.
  constexpr result(vitte::error e) noexcept : error_(e) {}
  constexpr result(errc k) noexcept : error_(k) {}

  constexpr bool has_value() const noexcept { return !error_; }
  constexpr explicit operator bool() const noexcept { return has_value(); }
  constexpr vitte::error error() const noexcept { return error_; }
  /// Reports bad access when an error is held.
  constexpr void value() const {
    if (error_) detail::bad_access(error_);
  }

 private:
  vitte::error error_;
};

/// Success or an error.
using status = result<void>;

}  // namespace vitte

#if VITTE_HEADER_ONLY
#include <vitte/base/detail/result.ipp>
#endif

#endif  // VITTE_BASE_RESULT_HPP
