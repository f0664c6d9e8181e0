// Compile-time signature hashes of C++ types, so that a host's import and a
// plugin's export of the same name can be checked to have the same type.
//
// The hash is FNV-1a 64 of a canonical spelling: integers by signedness and
// size (so `long` and `long long` agree where they have the same size and
// hence the same calling convention), pointers, references, cv-qualifiers,
// arrays and function types structurally, and class and enum types by their
// qualified name as the compiler spells it (spaces removed; GCC and Clang
// agree on ordinary names). noexcept does not change a signature.
#ifndef VITTE_LOADER_DETAIL_TYPE_SIGNATURE_HPP
#define VITTE_LOADER_DETAIL_TYPE_SIGNATURE_HPP

#include <vitte/base/detail/hash.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

namespace vitte::loader::detail {

using vitte::detail::fnv1a;  // signatures hash with the shared FNV-1a
using vitte::detail::fnv_prime;

template <class T>
constexpr std::string_view pretty_name() noexcept {
  return __PRETTY_FUNCTION__;
}

/// The type's name out of __PRETTY_FUNCTION__ ("... [with T = ns::foo; ...]"
/// on GCC, "... [T = ns::foo]" on Clang).
template <class T>
constexpr std::string_view type_name() noexcept {
  std::string_view p = pretty_name<T>();
  std::size_t start = p.find("T = ");
  if (start == std::string_view::npos) return p;
  start += 4;
  std::size_t end = p.find(';', start);
  if (end == std::string_view::npos) end = p.rfind(']');
  if (end == std::string_view::npos || end < start) end = p.size();
  return p.substr(start, end - start);
}

constexpr std::uint64_t hash_without_spaces(std::string_view s, std::uint64_t h) noexcept {
  for (char c : s)
    if (c != ' ') h = (h ^ static_cast<unsigned char>(c)) * fnv_prime;
  return h;
}

template <class T>
constexpr std::uint64_t hash_type(std::uint64_t h) noexcept;

template <class... A>
constexpr std::uint64_t hash_types(std::uint64_t h) noexcept {
  ((h = hash_type<A>(h)), ...);
  return h;
}

template <class F>
struct function_parts;
#define VITTE_LOADER_FN_PARTS_(NOEXCEPT)                   \
  template <class R, class... A>                           \
  struct function_parts<R(A...) NOEXCEPT> {                \
    static constexpr std::uint64_t hash(std::uint64_t h) { \
      h = fnv1a("F", h);                                   \
      h = hash_type<R>(h);                                 \
      h = hash_types<A...>(h);                             \
      return fnv1a("E", h);                                \
    }                                                      \
  };                                                       \
  template <class R, class... A>                           \
  struct function_parts<R(A..., ...) NOEXCEPT> {           \
    static constexpr std::uint64_t hash(std::uint64_t h) { \
      h = fnv1a("F", h);                                   \
      h = hash_type<R>(h);                                 \
      h = hash_types<A...>(h);                             \
      return fnv1a("zE", h);                               \
    }                                                      \
  };
VITTE_LOADER_FN_PARTS_()
VITTE_LOADER_FN_PARTS_(noexcept)
#undef VITTE_LOADER_FN_PARTS_

template <class T>
constexpr std::uint64_t hash_type(std::uint64_t h) noexcept {
  if constexpr (std::is_lvalue_reference_v<T>) {
    return hash_type<std::remove_reference_t<T>>(fnv1a("R", h));
  } else if constexpr (std::is_rvalue_reference_v<T>) {
    return hash_type<std::remove_reference_t<T>>(fnv1a("O", h));
  } else if constexpr (std::is_function_v<T>) {
    return function_parts<T>::hash(h);
  } else if constexpr (std::is_const_v<T>) {
    return hash_type<std::remove_const_t<T>>(fnv1a("K", h));
  } else if constexpr (std::is_volatile_v<T>) {
    return hash_type<std::remove_volatile_t<T>>(fnv1a("V", h));
  } else if constexpr (std::is_pointer_v<T>) {
    return hash_type<std::remove_pointer_t<T>>(fnv1a("P", h));
  } else if constexpr (std::is_bounded_array_v<T>) {
    h = fnv1a("A", h);
    for (std::size_t n = std::extent_v<T>; n != 0; n /= 10)
      h = (h ^ static_cast<unsigned char>('0' + n % 10)) * fnv_prime;
    return hash_type<std::remove_extent_t<T>>(fnv1a("_", h));
  } else if constexpr (std::is_unbounded_array_v<T>) {
    return hash_type<std::remove_extent_t<T>>(fnv1a("A_", h));
  } else if constexpr (std::is_void_v<T>) {
    return fnv1a("v", h);
  } else if constexpr (std::is_same_v<T, bool>) {
    return fnv1a("b", h);
  } else if constexpr (std::is_same_v<T, char>) {
    return fnv1a("c", h);
  } else if constexpr (std::is_same_v<T, wchar_t>) {
    return fnv1a(sizeof(wchar_t) == 2 ? "w2" : "w4", h);
  } else if constexpr (std::is_same_v<T, char8_t>) {
    return fnv1a("Du", h);
  } else if constexpr (std::is_same_v<T, char16_t>) {
    return fnv1a("Ds", h);
  } else if constexpr (std::is_same_v<T, char32_t>) {
    return fnv1a("Di", h);
  } else if constexpr (std::is_integral_v<T>) {
    h = fnv1a(std::is_signed_v<T> ? "I" : "U", h);
    return (h ^ static_cast<unsigned char>('0' + sizeof(T))) * fnv_prime;
  } else if constexpr (std::is_floating_point_v<T>) {
    h = fnv1a("D", h);
    return (h ^ static_cast<unsigned char>('0' + sizeof(T))) * fnv_prime;
  } else if constexpr (std::is_null_pointer_v<T>) {
    return fnv1a("n", h);
  } else if constexpr (std::is_enum_v<T>) {
    h = hash_without_spaces(type_name<T>(), fnv1a("N", h));
    return hash_type<std::underlying_type_t<T>>(fnv1a(":", h));
  } else {
    return hash_without_spaces(type_name<T>(), fnv1a("N", h));
  }
}

}  // namespace vitte::loader::detail

namespace vitte::loader {

/// The signature hash of type `T` (a function type for functions, the
/// object's type for objects). Computed at compile time.
template <class T>
inline constexpr std::uint64_t signature_hash = detail::hash_type<T>(vitte::detail::fnv_offset);

/// The signature hash of a signature text, as C plugins may declare it;
/// matches VITTE_SIGNATURE("<text>") of vitte/loader/plugin.h.
constexpr std::uint64_t signature_hash_of(std::string_view text) noexcept { return vitte::detail::fnv1a(text); }

}  // namespace vitte::loader

#endif  // VITTE_LOADER_DETAIL_TYPE_SIGNATURE_HPP
