// vitte/base/detail/atomic.hpp - a small atomic word on the compiler's builtins.
//
// <atomic> costs more to parse than all of vitte/sys's own code (libstdc++
// 12 pulls in the C++20 wait machinery and <bits/chrono.h>), so internals use
// this instead. Same semantics as std::atomic for the operations it has; the
// orders are the __ATOMIC_* constants. GCC and Clang only (MinGW included).
//
//   vitte::detail::atomic<std::uint32_t> state{0};
//   if (state.compare_exchange(expected, 1, vitte::detail::acquire)) ...
#ifndef VITTE_BASE_DETAIL_ATOMIC_HPP
#define VITTE_BASE_DETAIL_ATOMIC_HPP

#include <type_traits>  // the constraint on T

namespace vitte::detail {

/// Memory orders, as the builtins spell them.
enum memory_order : int {
  relaxed = __ATOMIC_RELAXED,
  consume = __ATOMIC_CONSUME,
  acquire = __ATOMIC_ACQUIRE,
  release = __ATOMIC_RELEASE,
  acq_rel = __ATOMIC_ACQ_REL,
  seq_cst = __ATOMIC_SEQ_CST,
};

/// A lock-free atomic integer, pointer or bool. Not copyable.
template <class T>
  requires(std::is_integral_v<T> || std::is_pointer_v<T>)
class atomic {
 public:
  constexpr atomic() noexcept = default;
  constexpr atomic(T v) noexcept : value_(v) {}  // NOLINT: like std::atomic
  atomic(const atomic&) = delete;
  atomic& operator=(const atomic&) = delete;

  T load(memory_order o = seq_cst) const noexcept { return __atomic_load_n(&value_, o); }
  void store(T v, memory_order o = seq_cst) noexcept { __atomic_store_n(&value_, v, o); }
  T exchange(T v, memory_order o = seq_cst) noexcept { return __atomic_exchange_n(&value_, v, o); }

  /// Strong compare-and-swap; on failure `expected` receives the current value.
  bool compare_exchange(T& expected, T desired, memory_order success = seq_cst,
                        memory_order failure = relaxed) noexcept {
    return __atomic_compare_exchange_n(&value_, &expected, desired, false, success, failure);
  }
  /// Weak compare-and-swap: may fail spuriously, for loops.
  bool compare_exchange_weak(T& expected, T desired, memory_order success = seq_cst,
                             memory_order failure = relaxed) noexcept {
    return __atomic_compare_exchange_n(&value_, &expected, desired, true, success, failure);
  }

  T fetch_add(T v, memory_order o = seq_cst) noexcept
    requires std::is_integral_v<T>
  {
    return __atomic_fetch_add(&value_, v, o);
  }
  T fetch_sub(T v, memory_order o = seq_cst) noexcept
    requires std::is_integral_v<T>
  {
    return __atomic_fetch_sub(&value_, v, o);
  }
  T fetch_or(T v, memory_order o = seq_cst) noexcept
    requires std::is_integral_v<T>
  {
    return __atomic_fetch_or(&value_, v, o);
  }
  T fetch_and(T v, memory_order o = seq_cst) noexcept
    requires std::is_integral_v<T>
  {
    return __atomic_fetch_and(&value_, v, o);
  }

  /// The word itself, for futex-style waits on its address.
  T* address() noexcept { return &value_; }
  const T* address() const noexcept { return &value_; }

 private:
  alignas(sizeof(T)) T value_{};
};

/// A fence with order `o`.
inline void atomic_fence(memory_order o) noexcept { __atomic_thread_fence(o); }

}  // namespace vitte::detail

#endif  // VITTE_BASE_DETAIL_ATOMIC_HPP
