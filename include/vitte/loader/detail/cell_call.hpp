// Calls across kinds of module, on the C++ side: the cell call of a native
// function of a known type (what a WebAssembly module or a virtual machine
// calls it through), and thunks, native functions of a known type that run
// a cell call (what native code calls a WebAssembly function through).
// vitte/loader/plugin.h defines the cell layout: one 64-bit cell per
// argument and result, integers in the low bits, floats by their bits.
//
// Thunks come from a pool per C++ type, in each binary that asks for that
// type (the host through module::find<T>, a plugin through imported<T>): 64
// functions of type T, each reading its own (call, target) slot. A slot is
// taken when a foreign export is bound and given back when it is unbound.
#ifndef VITTE_LOADER_DETAIL_CELL_CALL_HPP
#define VITTE_LOADER_DETAIL_CELL_CALL_HPP

#include <vitte/base/detail/atomic.hpp>
#include <vitte/loader/plugin.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>  // std::memcpy
#include <type_traits>
#include <utility>  // std::index_sequence

namespace vitte::loader {

namespace detail {

/// A type one cell carries: integers and enums up to 64 bits, bool, float, double.
template <class T>
concept cell_type =
    (std::is_integral_v<T> || std::is_enum_v<T> || std::is_same_v<T, float> || std::is_same_v<T, double>) &&
    sizeof(T) <= 8;

template <class F>
struct cell_signature : std::false_type {};
template <class R, class... A>
struct cell_signature<R(A...)> : std::bool_constant<(std::is_void_v<R> || cell_type<R>) && (cell_type<A> && ...)> {};
template <class R, class... A>
struct cell_signature<R(A...) noexcept> : cell_signature<R(A...)> {};

/// A function type whose arguments and result cells carry.
template <class F>
concept cell_callable = cell_signature<F>::value;

template <class T>
std::uint64_t to_cell(T v) noexcept {
  if constexpr (std::is_same_v<T, float>) {
    std::uint32_t b;
    std::memcpy(&b, &v, 4);
    return b;
  } else if constexpr (std::is_same_v<T, double>) {
    std::uint64_t b;
    std::memcpy(&b, &v, 8);
    return b;
  } else if constexpr (std::is_enum_v<T>) {
    return static_cast<std::uint64_t>(static_cast<std::underlying_type_t<T>>(v));
  } else {
    return static_cast<std::uint64_t>(v);
  }
}

template <class T>
T from_cell(std::uint64_t c) noexcept {
  if constexpr (std::is_same_v<T, float>) {
    const auto b = static_cast<std::uint32_t>(c);
    float v;
    std::memcpy(&v, &b, 4);
    return v;
  } else if constexpr (std::is_same_v<T, double>) {
    double v;
    std::memcpy(&v, &c, 8);
    return v;
  } else if constexpr (std::is_same_v<T, bool>) {
    return (c & 0xff) != 0;
  } else if constexpr (std::is_enum_v<T>) {
    return static_cast<T>(static_cast<std::underlying_type_t<T>>(c));
  } else {
    return static_cast<T>(c);
  }
}

template <class F>
struct cell_caller;
template <class R, class... A>
struct cell_caller<R(A...)> {
  /// The cell call of a native function of type R(A...): `target` is its address.
  static int call(void* target, const std::uint64_t* args, std::uint64_t* results) {
    auto* f = reinterpret_cast<R (*)(A...)>(reinterpret_cast<std::uintptr_t>(target));
    return invoke(f, args, results, std::index_sequence_for<A...>{});
  }
  template <std::size_t... I>
  static int invoke(R (*f)(A...), const std::uint64_t* args, std::uint64_t* results, std::index_sequence<I...>) {
    (void)args;
    if constexpr (std::is_void_v<R>) {
      f(from_cell<A>(args[I])...);
    } else {
      results[0] = to_cell<R>(f(from_cell<A>(args[I])...));
    }
    return 0;
  }
};
template <class R, class... A>
struct cell_caller<R(A...) noexcept> : cell_caller<R(A...)> {};

/// The cell call of a function of type F, or null when cells cannot carry F.
template <class F>
constexpr vitte_cell_call cell_call_of() noexcept {
  if constexpr (cell_callable<F>)
    return &cell_caller<std::remove_cv_t<F>>::call;
  else
    return nullptr;
}

/// The failure code of the latest thunk call on this thread whose callee
/// failed, in this binary (see last_cell_failure()).
inline thread_local int cell_failure = 0;

template <class F>
struct thunk_pool;
template <class R, class... A>
struct thunk_pool<R(A...)> {
  static constexpr std::size_t size = 64;
  struct slot {
    vitte_cell_call call = nullptr;
    void* target = nullptr;
    vitte::detail::atomic<bool> taken{false};
  };
  static inline slot slots[size];

  template <std::size_t I>
  static R entry(A... a) {
    std::uint64_t in[sizeof...(A) + 1] = {to_cell<A>(a)..., 0};
    std::uint64_t out[1] = {0};
    if (int rc = slots[I].call(slots[I].target, in, out); rc != 0) cell_failure = rc;
    if constexpr (!std::is_void_v<R>) return from_cell<R>(out[0]);
  }
  template <std::size_t... I>
  static constexpr std::array<R (*)(A...), size> make_entries(std::index_sequence<I...>) noexcept {
    return {&entry<I>...};
  }
  static constexpr std::array<R (*)(A...), size> entries = make_entries(std::make_index_sequence<size>{});

  /// A function of type R(A...) that runs `call(target, ...)`; null when
  /// the 64 of this type are all taken.
  static void* make(vitte_cell_call call, void* target) {
    for (std::size_t i = 0; i < size; ++i) {
      bool expected = false;
      if (!slots[i].taken.compare_exchange(expected, true, vitte::detail::acq_rel, vitte::detail::relaxed)) continue;
      slots[i].call = call;
      slots[i].target = target;
      return reinterpret_cast<void*>(reinterpret_cast<std::uintptr_t>(entries[i]));
    }
    return nullptr;
  }
  /// Gives back a function make() returned.
  static void drop(void* thunk) {
    for (std::size_t i = 0; i < size; ++i)
      if (reinterpret_cast<void*>(reinterpret_cast<std::uintptr_t>(entries[i])) == thunk) {
        slots[i].call = nullptr;
        slots[i].target = nullptr;
        slots[i].taken.store(false, vitte::detail::release);
      }
  }
};
template <class R, class... A>
struct thunk_pool<R(A...) noexcept> : thunk_pool<R(A...)> {};

/// The thunk maker of a function type F; {null, null} when cells cannot carry F.
template <class F>
constexpr vitte_import_thunk import_thunk_of() noexcept {
  if constexpr (cell_callable<F>)
    return {&thunk_pool<std::remove_cv_t<F>>::make, &thunk_pool<std::remove_cv_t<F>>::drop};
  else
    return {nullptr, nullptr};
}

}  // namespace detail

/// The failure code (nonzero) of the latest call this thread made through
/// a thunk into a foreign function that failed (a WebAssembly trap: the
/// thunk returned 0 or nothing), and clears it; 0 when none failed since.
/// Per binary: a plugin asks its own.
inline int last_cell_failure() noexcept {
  int rc = detail::cell_failure;
  detail::cell_failure = 0;
  return rc;
}

}  // namespace vitte::loader

#endif  // VITTE_LOADER_DETAIL_CELL_CALL_HPP
