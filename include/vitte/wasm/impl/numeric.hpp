// vitte/wasm/impl/numeric.hpp - WebAssembly's numeric semantics where C++'s
// differ: bit counts, rotations, NaN-aware min/max, round-to-nearest-even,
// checked and saturating float-to-int conversions, division traps.
#ifndef VITTE_WASM_IMPL_NUMERIC_HPP
#define VITTE_WASM_IMPL_NUMERIC_HPP

#include <vitte/base/operation.hpp>
#include <vitte/wasm/operations.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#if defined(__SSE2__) || defined(_M_X64)  // the engine's one test for SSE2: impl/simd.hpp's too
#include <emmintrin.h>
#define VITTE_WASM_X86_SSE2 1
#endif
namespace vitte::wasm::detail {

inline std::uint32_t ops_clz32(std::uint32_t a) noexcept { return static_cast<std::uint32_t>(std::countl_zero(a)); }
inline std::uint32_t ops_ctz32(std::uint32_t a) noexcept { return static_cast<std::uint32_t>(std::countr_zero(a)); }
inline std::uint32_t ops_popcnt32(std::uint32_t a) noexcept { return static_cast<std::uint32_t>(std::popcount(a)); }
inline std::uint64_t ops_clz64(std::uint64_t a) noexcept { return static_cast<std::uint64_t>(std::countl_zero(a)); }
inline std::uint64_t ops_ctz64(std::uint64_t a) noexcept { return static_cast<std::uint64_t>(std::countr_zero(a)); }
inline std::uint64_t ops_popcnt64(std::uint64_t a) noexcept { return static_cast<std::uint64_t>(std::popcount(a)); }
// i8x16.popcnt's lane. GCC 12 for s390x miscompiles std::popcount of bytes
// that it vectorizes eight at a time (POPCNT on the doubleword, then each
// doubleword's total in one byte): the bit-slicing form there.
inline std::uint8_t ops_popcnt8(std::uint8_t a) noexcept {
#if defined(__s390x__) && !defined(__clang__)
  a = static_cast<std::uint8_t>(a - ((a >> 1) & 0x55));
  a = static_cast<std::uint8_t>((a & 0x33) + ((a >> 2) & 0x33));
  return static_cast<std::uint8_t>((a + (a >> 4)) & 0x0f);
#else
  return static_cast<std::uint8_t>(std::popcount(a));
#endif
}
inline std::uint32_t ops_rotl32(std::uint32_t a, std::uint32_t b) noexcept {
  return std::rotl(a, static_cast<int>(b & 31));
}
inline std::uint32_t ops_rotr32(std::uint32_t a, std::uint32_t b) noexcept {
  return std::rotr(a, static_cast<int>(b & 31));
}
inline std::uint64_t ops_rotl64(std::uint64_t a, std::uint64_t b) noexcept {
  return std::rotl(a, static_cast<int>(b & 63));
}
inline std::uint64_t ops_rotr64(std::uint64_t a, std::uint64_t b) noexcept {
  return std::rotr(a, static_cast<int>(b & 63));
}

template <class F>
inline F ops_ceil(F a) noexcept {
  return a != a ? a + a : std::ceil(a);
}
template <class F>
inline F ops_floor(F a) noexcept {
  return a != a ? a + a : std::floor(a);
}
template <class F>
inline F ops_trunc(F a) noexcept {
  return a != a ? a + a : std::trunc(a);
}
template <class F>
inline F ops_nearest(F a) noexcept {
  return a != a ? a + a : std::nearbyint(a);
}
// sqrt: on x86 the instruction itself, never the C library's function:
// correctly rounded, and a signalling NaN comes out quiet, as WebAssembly
// requires, whatever the optimizer inlines. GCC at -Og calls sqrt(), and
// MinGW's C runtime under Wine rounds some results the wrong way and passes
// a signalling NaN through (the core suite's f32, f64 and float_misc cases).
// Elsewhere the C libraries we run on (glibc, musl, Darwin, newlib) use the
// instruction, or a correctly rounded software square root.
inline float ops_sqrt(float a) noexcept {
#if VITTE_WASM_X86_SSE2
  return _mm_cvtss_f32(_mm_sqrt_ss(_mm_set_ss(a)));
#else
  return std::sqrt(a);
#endif
}
inline double ops_sqrt(double a) noexcept {
#if VITTE_WASM_X86_SSE2
  const __m128d v = _mm_set_sd(a);
  return _mm_cvtsd_f64(_mm_sqrt_sd(v, v));
#else
  return std::sqrt(a);
#endif
}

template <class F>
inline F ops_min(F a, F b) noexcept {
  if (a != a || b != b) return a + b;  // a quiet NaN
  if (a == 0 && b == 0) return std::signbit(a) ? a : b;
  return a < b ? a : b;
}
template <class F>
inline F ops_max(F a, F b) noexcept {
  if (a != a || b != b) return a + b;
  if (a == 0 && b == 0) return std::signbit(a) ? b : a;
  return a > b ? a : b;
}

// True when `a` truncates into I.
template <class I, class F>
inline bool in_trunc_range(F a) noexcept {
  const F hi = std::ldexp(F(1), std::numeric_limits<I>::digits);  // 2^31, 2^32, 2^63, 2^64
  const F t = std::trunc(a);
  if constexpr (std::is_signed_v<I>)
    return t >= -hi && t < hi;
  else
    return t > F(-1) && t < hi;
}

template <class I, class F>
inline I ops_trunc_sat(F a) noexcept {
  if (a != a) return 0;
  if (in_trunc_range<I>(a)) return static_cast<I>(a);
  return a < 0 ? std::numeric_limits<I>::min() : std::numeric_limits<I>::max();
}

// Checked truncation: false and the trap when `a` has no I.
template <class I, class F>
inline bool ops_trunc_checked(F a, I& out, operation& trap) noexcept {
  if (a != a) {
    trap = ops::trap_invalid_conversion;
    return false;
  }
  if (!in_trunc_range<I>(a)) {
    trap = ops::trap_integer_overflow;
    return false;
  }
  out = static_cast<I>(a);
  return true;
}

template <class I>
inline bool ops_div_s(I a, I b, I& out, operation& trap) noexcept {
  if (b == 0) return trap = ops::trap_integer_divide_by_zero, false;
  if (a == std::numeric_limits<I>::min() && b == -1) return trap = ops::trap_integer_overflow, false;
  out = a / b;
  return true;
}
template <class I>
inline bool ops_div_u(I a, I b, I& out, operation& trap) noexcept {
  if (b == 0) return trap = ops::trap_integer_divide_by_zero, false;
  out = a / b;
  return true;
}
template <class I>
inline bool ops_rem_s(I a, I b, I& out, operation& trap) noexcept {
  if (b == 0) return trap = ops::trap_integer_divide_by_zero, false;
  out = b == -1 ? 0 : a % b;
  return true;
}
template <class I>
inline bool ops_rem_u(I a, I b, I& out, operation& trap) noexcept {
  if (b == 0) return trap = ops::trap_integer_divide_by_zero, false;
  out = a % b;
  return true;
}

}  // namespace vitte::wasm::detail

#endif  // VITTE_WASM_IMPL_NUMERIC_HPP
