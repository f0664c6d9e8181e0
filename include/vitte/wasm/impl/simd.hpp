// vitte/wasm/impl/simd.hpp - the lanes of WebAssembly's v128, twice:
//   simd_scalar  portable code, one lane at a time, always exact;
//   simd_native  the same operations with SSE2 (SSE4.1, SSSE3 when the
//                compiler targets them) on x86_64 and NEON on aarch64,
//                where the vector instruction gives WebAssembly's result;
//                everything else is inherited from simd_scalar.
// The dispatchers run simd_native inline; store_limits::scalar_simd runs
// simd_scalar instead, through simd_call* (for comparison and testing).
#ifndef VITTE_WASM_IMPL_SIMD_HPP
#define VITTE_WASM_IMPL_SIMD_HPP

#include <vitte/wasm/impl/numeric.hpp>
#include <vitte/wasm/impl/objects.hpp>
#include <vitte/wasm/impl/simd_code.hpp>

#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

#if defined(__SSE2__) || defined(_M_X64)
#include <emmintrin.h>
#define VITTE_WASM_SIMD_SSE2 1
#if defined(__SSSE3__)
#include <tmmintrin.h>
#endif
#if defined(__SSE4_1__)
#include <smmintrin.h>
#endif
#elif defined(__aarch64__) && defined(__ARM_NEON)
#include <arm_neon.h>
#define VITTE_WASM_SIMD_NEON 1
#endif

static_assert(std::endian::native == std::endian::little, "v128 lanes are laid out for little-endian hosts");

namespace vitte::wasm::detail {

/// A v128 value: 16 bytes, lane 0 first.
struct alignas(16) v128 {
  std::uint8_t b[16];
};

using u8 = std::uint8_t;
using i8 = std::int8_t;
using u16 = std::uint16_t;
using i16 = std::int16_t;
using u32 = std::uint32_t;
using i32 = std::int32_t;
using u64 = std::uint64_t;
using i64 = std::int64_t;
using f32 = float;
using f64 = double;

inline v128 v_get(const cell* c) noexcept {
  v128 v;
  std::memcpy(v.b, c, 16);
  return v;
}
inline void v_put(cell* c, const v128& v) noexcept { std::memcpy(c, v.b, 16); }

// Lanes of type L.
template <class L>
struct lanes {
  static constexpr int n = 16 / sizeof(L);
  L v[n];
};
template <class L>
inline lanes<L> as(const v128& x) noexcept {
  lanes<L> r;
  std::memcpy(r.v, x.b, 16);
  return r;
}
template <class L>
inline v128 of(const lanes<L>& r) noexcept {
  v128 x;
  std::memcpy(x.b, r.v, 16);
  return x;
}
// The unsigned integer of a lane's width (comparison masks).
template <class L>
using mask_of =
    std::conditional_t<sizeof(L) == 1, u8,
                       std::conditional_t<sizeof(L) == 2, u16, std::conditional_t<sizeof(L) == 4, u32, u64>>>;

// Saturates an int to the range of the lane type L.
template <class L>
constexpr L lane_sat(int v) noexcept {
  constexpr int lo = std::numeric_limits<L>::min(), hi = std::numeric_limits<L>::max();
  return static_cast<L>(v < lo ? lo : v > hi ? hi : v);
}

inline v128 v_swizzle(v128 a, v128 s) noexcept {
  v128 r;
  for (int i = 0; i < 16; ++i) r.b[i] = s.b[i] < 16 ? a.b[s.b[i]] : 0;
  return r;
}
// Narrows the lanes of a then b, saturating.
template <class In, class Out>
inline v128 v_narrow(v128 a, v128 b) noexcept {
  lanes<In> x = as<In>(a), y = as<In>(b);
  lanes<Out> r;
  constexpr int n = lanes<In>::n;
  for (int i = 0; i < n; ++i) r.v[i] = lane_sat<Out>(x.v[i]), r.v[n + i] = lane_sat<Out>(y.v[i]);
  return of(r);
}
// Widens the low (High = 0) or high half of a's lanes.
template <class In, class Out, int High>
inline v128 v_extend(v128 a) noexcept {
  lanes<In> x = as<In>(a);
  lanes<Out> r;
  for (int i = 0; i < lanes<Out>::n; ++i) r.v[i] = static_cast<Out>(x.v[i + High * lanes<Out>::n]);
  return of(r);
}
template <class In, class Out, int High>
inline v128 v_extmul(v128 a, v128 b) noexcept {
  lanes<In> x = as<In>(a), y = as<In>(b);
  lanes<Out> r;
  using wide = std::conditional_t<std::is_signed_v<Out>, i64, u64>;
  for (int i = 0; i < lanes<Out>::n; ++i) {
    int k = i + High * lanes<Out>::n;
    r.v[i] = static_cast<Out>(static_cast<wide>(x.v[k]) * static_cast<wide>(y.v[k]));
  }
  return of(r);
}
template <class In, class Out>
inline v128 v_pairwise(v128 a) noexcept {
  lanes<In> x = as<In>(a);
  lanes<Out> r;
  for (int i = 0; i < lanes<Out>::n; ++i) r.v[i] = static_cast<Out>(Out(x.v[2 * i]) + Out(x.v[2 * i + 1]));
  return of(r);
}
inline v128 v_dot(v128 a, v128 b) noexcept {
  lanes<i16> x = as<i16>(a), y = as<i16>(b);
  lanes<u32> r;
  for (int i = 0; i < 4; ++i)
    r.v[i] = static_cast<u32>(i32(x.v[2 * i]) * i32(y.v[2 * i])) +
             static_cast<u32>(i32(x.v[2 * i + 1]) * i32(y.v[2 * i + 1]));
  return of(r);
}
inline v128 v_demote(v128 a) noexcept {
  lanes<f64> x = as<f64>(a);
  lanes<f32> r{};
  r.v[0] = static_cast<f32>(x.v[0]);
  r.v[1] = static_cast<f32>(x.v[1]);
  return of(r);
}
inline v128 v_promote(v128 a) noexcept {
  lanes<f32> x = as<f32>(a);
  lanes<f64> r;
  r.v[0] = x.v[0];
  r.v[1] = x.v[1];
  return of(r);
}
template <class I>
inline v128 v_trunc_sat_zero(v128 a) noexcept {
  lanes<f64> x = as<f64>(a);
  lanes<I> r{};
  r.v[0] = ops_trunc_sat<I>(x.v[0]);
  r.v[1] = ops_trunc_sat<I>(x.v[1]);
  return of(r);
}
template <class I>
inline v128 v_convert_low(v128 a) noexcept {
  lanes<I> x = as<I>(a);
  lanes<f64> r;
  r.v[0] = static_cast<f64>(x.v[0]);
  r.v[1] = static_cast<f64>(x.v[1]);
  return of(r);
}
template <class L>
inline v128 v_splat_low(v128 a) noexcept {
  lanes<L> x = as<L>(a);
  for (int i = 1; i < lanes<L>::n; ++i) x.v[i] = x.v[0];
  return of(x);
}
inline std::uint32_t v_any_true(v128 a) noexcept {
  lanes<u64> x = as<u64>(a);
  return (x.v[0] | x.v[1]) != 0;
}
template <class L>
inline std::uint32_t v_all_true(v128 a) noexcept {
  lanes<L> x = as<L>(a);
  for (int i = 0; i < lanes<L>::n; ++i)
    if (x.v[i] == 0) return 0;
  return 1;
}
template <class L>
inline std::uint32_t v_bitmask(v128 a) noexcept {
  lanes<L> x = as<L>(a);
  std::uint32_t m = 0;
  for (int i = 0; i < lanes<L>::n; ++i) m |= static_cast<std::uint32_t>(x.v[i] < 0) << i;
  return m;
}
inline v128 v_bitselect(v128 a, v128 b, v128 c) noexcept {
  lanes<u64> x = as<u64>(a), y = as<u64>(b), m = as<u64>(c);
  for (int i = 0; i < 2; ++i) x.v[i] = (x.v[i] & m.v[i]) | (y.v[i] & ~m.v[i]);
  return of(x);
}

/// Portable lanes: every instruction, one lane at a time.
struct simd_scalar {
#define VITTE_WASM_SCALAR_LANEWISE2(name, sub, L, expr) \
  static v128 name(v128 va, v128 vb) noexcept {         \
    lanes<L> x = as<L>(va), y = as<L>(vb);              \
    for (int i = 0; i < lanes<L>::n; ++i) {             \
      L a = x.v[i], b = y.v[i];                         \
      x.v[i] = static_cast<L>(expr);                    \
    }                                                   \
    return of(x);                                       \
  }
  VITTE_WASM_SIMD_LANEWISE2(VITTE_WASM_SCALAR_LANEWISE2)
#undef VITTE_WASM_SCALAR_LANEWISE2

#define VITTE_WASM_SCALAR_COMPARE(name, sub, L, cmp)                                        \
  static v128 name(v128 va, v128 vb) noexcept {                                             \
    lanes<L> x = as<L>(va), y = as<L>(vb);                                                  \
    lanes<mask_of<L>> r;                                                                    \
    for (int i = 0; i < lanes<L>::n; ++i)                                                   \
      r.v[i] = x.v[i] cmp y.v[i] ? static_cast<mask_of<L>>(~mask_of<L>(0)) : mask_of<L>(0); \
    return of(r);                                                                           \
  }
  VITTE_WASM_SIMD_COMPARE(VITTE_WASM_SCALAR_COMPARE)
#undef VITTE_WASM_SCALAR_COMPARE

#define VITTE_WASM_SCALAR_OTHER2(name, sub, expr) \
  static v128 name(v128 va, v128 vb) noexcept { return expr; }
  VITTE_WASM_SIMD_OTHER2(VITTE_WASM_SCALAR_OTHER2)
#undef VITTE_WASM_SCALAR_OTHER2

#define VITTE_WASM_SCALAR_LANEWISE1(name, sub, Lin, Lout, expr) \
  static v128 name(v128 va) noexcept {                          \
    lanes<Lin> x = as<Lin>(va);                                 \
    lanes<Lout> r;                                              \
    for (int i = 0; i < lanes<Lin>::n; ++i) {                   \
      Lin a = x.v[i];                                           \
      r.v[i] = static_cast<Lout>(expr);                         \
    }                                                           \
    return of(r);                                               \
  }
  VITTE_WASM_SIMD_LANEWISE1(VITTE_WASM_SCALAR_LANEWISE1)
#undef VITTE_WASM_SCALAR_LANEWISE1

#define VITTE_WASM_SCALAR_OTHER1(name, sub, expr) \
  static v128 name(v128 va) noexcept { return expr; }
  VITTE_WASM_SIMD_OTHER1(VITTE_WASM_SCALAR_OTHER1)
#undef VITTE_WASM_SCALAR_OTHER1

#define VITTE_WASM_SCALAR_SHIFT(name, sub, L, expr)     \
  static v128 name(v128 va, std::uint32_t n) noexcept { \
    lanes<L> x = as<L>(va);                             \
    for (int i = 0; i < lanes<L>::n; ++i) {             \
      L a = x.v[i];                                     \
      x.v[i] = static_cast<L>(expr);                    \
    }                                                   \
    return of(x);                                       \
  }
  VITTE_WASM_SIMD_SHIFT(VITTE_WASM_SCALAR_SHIFT)
#undef VITTE_WASM_SCALAR_SHIFT

#define VITTE_WASM_SCALAR_TEST(name, sub, expr) \
  static std::uint32_t name(v128 va) noexcept { return expr; }
  VITTE_WASM_SIMD_TEST(VITTE_WASM_SCALAR_TEST)
#undef VITTE_WASM_SCALAR_TEST

  static v128 v128_bitselect(v128 a, v128 b, v128 c) noexcept { return v_bitselect(a, b, c); }
};

#if VITTE_WASM_SIMD_SSE2
/// SSE2 (SSSE3, SSE4.1) where the instruction is WebAssembly's operation.
struct simd_native : simd_scalar {
  static __m128i in(v128 a) noexcept { return _mm_load_si128(reinterpret_cast<const __m128i*>(a.b)); }
  static __m128 inf(v128 a) noexcept { return _mm_load_ps(reinterpret_cast<const float*>(a.b)); }
  static __m128d ind(v128 a) noexcept { return _mm_load_pd(reinterpret_cast<const double*>(a.b)); }
  static v128 out(__m128i x) noexcept {
    v128 r;
    _mm_store_si128(reinterpret_cast<__m128i*>(r.b), x);
    return r;
  }
  static v128 out(__m128 x) noexcept { return out(_mm_castps_si128(x)); }
  static v128 out(__m128d x) noexcept { return out(_mm_castpd_si128(x)); }

#define VITTE_WASM_SSE2(name, expr) \
  static v128 name(v128 va, v128 vb) noexcept { return out(expr); }
#define VITTE_WASM_SSE2_I(name, fn) VITTE_WASM_SSE2(name, fn(in(va), in(vb)))
#define VITTE_WASM_SSE2_F(name, fn) VITTE_WASM_SSE2(name, fn(inf(va), inf(vb)))
#define VITTE_WASM_SSE2_D(name, fn) VITTE_WASM_SSE2(name, fn(ind(va), ind(vb)))
  VITTE_WASM_SSE2_I(v128_and, _mm_and_si128)
  VITTE_WASM_SSE2(v128_andnot, _mm_andnot_si128(in(vb), in(va)))
  VITTE_WASM_SSE2_I(v128_or, _mm_or_si128)
  VITTE_WASM_SSE2_I(v128_xor, _mm_xor_si128)
  VITTE_WASM_SSE2_I(i8x16_add, _mm_add_epi8)
  VITTE_WASM_SSE2_I(i8x16_add_sat_s, _mm_adds_epi8)
  VITTE_WASM_SSE2_I(i8x16_add_sat_u, _mm_adds_epu8)
  VITTE_WASM_SSE2_I(i8x16_sub, _mm_sub_epi8)
  VITTE_WASM_SSE2_I(i8x16_sub_sat_s, _mm_subs_epi8)
  VITTE_WASM_SSE2_I(i8x16_sub_sat_u, _mm_subs_epu8)
  VITTE_WASM_SSE2_I(i8x16_min_u, _mm_min_epu8)
  VITTE_WASM_SSE2_I(i8x16_max_u, _mm_max_epu8)
  VITTE_WASM_SSE2_I(i8x16_avgr_u, _mm_avg_epu8)
  VITTE_WASM_SSE2_I(i16x8_add, _mm_add_epi16)
  VITTE_WASM_SSE2_I(i16x8_add_sat_s, _mm_adds_epi16)
  VITTE_WASM_SSE2_I(i16x8_add_sat_u, _mm_adds_epu16)
  VITTE_WASM_SSE2_I(i16x8_sub, _mm_sub_epi16)
  VITTE_WASM_SSE2_I(i16x8_sub_sat_s, _mm_subs_epi16)
  VITTE_WASM_SSE2_I(i16x8_sub_sat_u, _mm_subs_epu16)
  VITTE_WASM_SSE2_I(i16x8_mul, _mm_mullo_epi16)
  VITTE_WASM_SSE2_I(i16x8_min_s, _mm_min_epi16)
  VITTE_WASM_SSE2_I(i16x8_max_s, _mm_max_epi16)
  VITTE_WASM_SSE2_I(i16x8_avgr_u, _mm_avg_epu16)
  VITTE_WASM_SSE2_I(i32x4_add, _mm_add_epi32)
  VITTE_WASM_SSE2_I(i32x4_sub, _mm_sub_epi32)
  VITTE_WASM_SSE2_I(i64x2_add, _mm_add_epi64)
  VITTE_WASM_SSE2_I(i64x2_sub, _mm_sub_epi64)
  VITTE_WASM_SSE2_F(f32x4_add, _mm_add_ps)
  VITTE_WASM_SSE2_F(f32x4_sub, _mm_sub_ps)
  VITTE_WASM_SSE2_F(f32x4_mul, _mm_mul_ps)
  VITTE_WASM_SSE2_F(f32x4_div, _mm_div_ps)
  VITTE_WASM_SSE2_D(f64x2_add, _mm_add_pd)
  VITTE_WASM_SSE2_D(f64x2_sub, _mm_sub_pd)
  VITTE_WASM_SSE2_D(f64x2_mul, _mm_mul_pd)
  VITTE_WASM_SSE2_D(f64x2_div, _mm_div_pd)
  // minps(x, y) is x < y ? x : y, so pmin(a, b) = b < a ? b : a is minps(b, a).
  VITTE_WASM_SSE2(f32x4_pmin, _mm_min_ps(inf(vb), inf(va)))
  VITTE_WASM_SSE2(f32x4_pmax, _mm_max_ps(inf(vb), inf(va)))
  VITTE_WASM_SSE2(f64x2_pmin, _mm_min_pd(ind(vb), ind(va)))
  VITTE_WASM_SSE2(f64x2_pmax, _mm_max_pd(ind(vb), ind(va)))
  // Comparisons.
  VITTE_WASM_SSE2_I(i8x16_eq, _mm_cmpeq_epi8)
  VITTE_WASM_SSE2_I(i16x8_eq, _mm_cmpeq_epi16)
  VITTE_WASM_SSE2_I(i32x4_eq, _mm_cmpeq_epi32)
  VITTE_WASM_SSE2_I(i8x16_gt_s, _mm_cmpgt_epi8)
  VITTE_WASM_SSE2_I(i16x8_gt_s, _mm_cmpgt_epi16)
  VITTE_WASM_SSE2_I(i32x4_gt_s, _mm_cmpgt_epi32)
  VITTE_WASM_SSE2_I(i8x16_lt_s, _mm_cmplt_epi8)
  VITTE_WASM_SSE2_I(i16x8_lt_s, _mm_cmplt_epi16)
  VITTE_WASM_SSE2_I(i32x4_lt_s, _mm_cmplt_epi32)
  VITTE_WASM_SSE2(i8x16_ne, _mm_xor_si128(_mm_cmpeq_epi8(in(va), in(vb)), _mm_set1_epi32(-1)))
  VITTE_WASM_SSE2(i16x8_ne, _mm_xor_si128(_mm_cmpeq_epi16(in(va), in(vb)), _mm_set1_epi32(-1)))
  VITTE_WASM_SSE2(i32x4_ne, _mm_xor_si128(_mm_cmpeq_epi32(in(va), in(vb)), _mm_set1_epi32(-1)))
  VITTE_WASM_SSE2_F(f32x4_eq, _mm_cmpeq_ps)
  VITTE_WASM_SSE2_F(f32x4_ne, _mm_cmpneq_ps)
  VITTE_WASM_SSE2_F(f32x4_lt, _mm_cmplt_ps)
  VITTE_WASM_SSE2_F(f32x4_gt, _mm_cmpgt_ps)
  VITTE_WASM_SSE2_F(f32x4_le, _mm_cmple_ps)
  VITTE_WASM_SSE2_F(f32x4_ge, _mm_cmpge_ps)
  VITTE_WASM_SSE2_D(f64x2_eq, _mm_cmpeq_pd)
  VITTE_WASM_SSE2_D(f64x2_ne, _mm_cmpneq_pd)
  VITTE_WASM_SSE2_D(f64x2_lt, _mm_cmplt_pd)
  VITTE_WASM_SSE2_D(f64x2_gt, _mm_cmpgt_pd)
  VITTE_WASM_SSE2_D(f64x2_le, _mm_cmple_pd)
  VITTE_WASM_SSE2_D(f64x2_ge, _mm_cmpge_pd)
  // Unsigned comparisons: flip the sign bits and compare signed. le/ge: not gt/lt.
  static __m128i flip8(v128 a) noexcept { return _mm_xor_si128(in(a), _mm_set1_epi8(static_cast<char>(0x80))); }
  static __m128i flip16(v128 a) noexcept { return _mm_xor_si128(in(a), _mm_set1_epi16(static_cast<short>(0x8000))); }
  static __m128i flip32(v128 a) noexcept { return _mm_xor_si128(in(a), _mm_set1_epi32(INT32_MIN)); }
  static __m128i invert(__m128i x) noexcept { return _mm_xor_si128(x, _mm_set1_epi32(-1)); }
  VITTE_WASM_SSE2(i8x16_gt_u, _mm_cmpgt_epi8(flip8(va), flip8(vb)))
  VITTE_WASM_SSE2(i8x16_lt_u, _mm_cmplt_epi8(flip8(va), flip8(vb)))
  VITTE_WASM_SSE2(i8x16_le_u, invert(_mm_cmpgt_epi8(flip8(va), flip8(vb))))
  VITTE_WASM_SSE2(i8x16_ge_u, invert(_mm_cmplt_epi8(flip8(va), flip8(vb))))
  VITTE_WASM_SSE2(i8x16_le_s, invert(_mm_cmpgt_epi8(in(va), in(vb))))
  VITTE_WASM_SSE2(i8x16_ge_s, invert(_mm_cmplt_epi8(in(va), in(vb))))
  VITTE_WASM_SSE2(i16x8_gt_u, _mm_cmpgt_epi16(flip16(va), flip16(vb)))
  VITTE_WASM_SSE2(i16x8_lt_u, _mm_cmplt_epi16(flip16(va), flip16(vb)))
  VITTE_WASM_SSE2(i16x8_le_u, invert(_mm_cmpgt_epi16(flip16(va), flip16(vb))))
  VITTE_WASM_SSE2(i16x8_ge_u, invert(_mm_cmplt_epi16(flip16(va), flip16(vb))))
  VITTE_WASM_SSE2(i16x8_le_s, invert(_mm_cmpgt_epi16(in(va), in(vb))))
  VITTE_WASM_SSE2(i16x8_ge_s, invert(_mm_cmplt_epi16(in(va), in(vb))))
  VITTE_WASM_SSE2(i32x4_gt_u, _mm_cmpgt_epi32(flip32(va), flip32(vb)))
  VITTE_WASM_SSE2(i32x4_lt_u, _mm_cmplt_epi32(flip32(va), flip32(vb)))
  VITTE_WASM_SSE2(i32x4_le_u, invert(_mm_cmpgt_epi32(flip32(va), flip32(vb))))
  VITTE_WASM_SSE2(i32x4_ge_u, invert(_mm_cmplt_epi32(flip32(va), flip32(vb))))
  VITTE_WASM_SSE2(i32x4_le_s, invert(_mm_cmpgt_epi32(in(va), in(vb))))
  VITTE_WASM_SSE2(i32x4_ge_s, invert(_mm_cmplt_epi32(in(va), in(vb))))
  // Narrowing saturates signed lanes, as packs/packus do.
  VITTE_WASM_SSE2_I(i8x16_narrow_i16x8_s, _mm_packs_epi16)
  VITTE_WASM_SSE2_I(i8x16_narrow_i16x8_u, _mm_packus_epi16)
  VITTE_WASM_SSE2_I(i16x8_narrow_i32x4_s, _mm_packs_epi32)
  // pmaddwd: the pairwise sums of the products, wrapping as the dot product does.
  VITTE_WASM_SSE2_I(i32x4_dot_i16x8_s, _mm_madd_epi16)
  // WebAssembly's min/max: NaN when either is, -0 below +0.
  static v128 f32x4_min(v128 va, v128 vb) noexcept {
    __m128 a = inf(va), b = inf(vb);
    __m128 m = _mm_or_ps(_mm_min_ps(a, b), _mm_min_ps(b, a));
    __m128 nan = _mm_cmpunord_ps(m, m);
    m = _mm_or_ps(m, nan);
    return out(_mm_andnot_ps(_mm_castsi128_ps(_mm_srli_epi32(_mm_castps_si128(nan), 10)), m));
  }
  static v128 f32x4_max(v128 va, v128 vb) noexcept {
    __m128 a = inf(va), b = inf(vb);
    __m128 m1 = _mm_max_ps(a, b), m2 = _mm_max_ps(b, a);
    __m128 diff = _mm_xor_ps(m1, m2);  // the sign of +0/-0, or NaN
    __m128 m = _mm_or_ps(m1, diff);
    m = _mm_sub_ps(m, diff);  // +0 when the zeros differ; NaN stays
    __m128 nan = _mm_cmpunord_ps(m, m);
    return out(_mm_andnot_ps(_mm_castsi128_ps(_mm_srli_epi32(_mm_castps_si128(nan), 10)), _mm_or_ps(m, nan)));
  }
  static v128 f64x2_min(v128 va, v128 vb) noexcept {
    __m128d a = ind(va), b = ind(vb);
    __m128d m = _mm_or_pd(_mm_min_pd(a, b), _mm_min_pd(b, a));
    __m128d nan = _mm_cmpunord_pd(m, m);
    m = _mm_or_pd(m, nan);
    return out(_mm_andnot_pd(_mm_castsi128_pd(_mm_srli_epi64(_mm_castpd_si128(nan), 13)), m));
  }
  static v128 f64x2_max(v128 va, v128 vb) noexcept {
    __m128d a = ind(va), b = ind(vb);
    __m128d m1 = _mm_max_pd(a, b), m2 = _mm_max_pd(b, a);
    __m128d diff = _mm_xor_pd(m1, m2);
    __m128d m = _mm_sub_pd(_mm_or_pd(m1, diff), diff);
    __m128d nan = _mm_cmpunord_pd(m, m);
    return out(_mm_andnot_pd(_mm_castsi128_pd(_mm_srli_epi64(_mm_castpd_si128(nan), 13)), _mm_or_pd(m, nan)));
  }
#if defined(__SSE4_1__)
  VITTE_WASM_SSE2_I(i8x16_min_s, _mm_min_epi8)
  VITTE_WASM_SSE2_I(i8x16_max_s, _mm_max_epi8)
  VITTE_WASM_SSE2_I(i16x8_min_u, _mm_min_epu16)
  VITTE_WASM_SSE2_I(i16x8_max_u, _mm_max_epu16)
  VITTE_WASM_SSE2_I(i32x4_mul, _mm_mullo_epi32)
  VITTE_WASM_SSE2_I(i32x4_min_s, _mm_min_epi32)
  VITTE_WASM_SSE2_I(i32x4_min_u, _mm_min_epu32)
  VITTE_WASM_SSE2_I(i32x4_max_s, _mm_max_epi32)
  VITTE_WASM_SSE2_I(i32x4_max_u, _mm_max_epu32)
  VITTE_WASM_SSE2_I(i64x2_eq, _mm_cmpeq_epi64)
  VITTE_WASM_SSE2_I(i16x8_narrow_i32x4_u, _mm_packus_epi32)
#endif
#undef VITTE_WASM_SSE2_I
#undef VITTE_WASM_SSE2_F
#undef VITTE_WASM_SSE2_D
#undef VITTE_WASM_SSE2

#define VITTE_WASM_SSE2_1(name, expr) \
  static v128 name(v128 va) noexcept { return out(expr); }
  VITTE_WASM_SSE2_1(v128_not, _mm_xor_si128(in(va), _mm_set1_epi32(-1)))
  VITTE_WASM_SSE2_1(i8x16_neg, _mm_sub_epi8(_mm_setzero_si128(), in(va)))
  VITTE_WASM_SSE2_1(i16x8_neg, _mm_sub_epi16(_mm_setzero_si128(), in(va)))
  VITTE_WASM_SSE2_1(i32x4_neg, _mm_sub_epi32(_mm_setzero_si128(), in(va)))
  VITTE_WASM_SSE2_1(i64x2_neg, _mm_sub_epi64(_mm_setzero_si128(), in(va)))
  VITTE_WASM_SSE2_1(f32x4_abs, _mm_and_si128(in(va), _mm_set1_epi32(0x7fffffff)))
  VITTE_WASM_SSE2_1(f32x4_neg, _mm_xor_si128(in(va), _mm_set1_epi32(INT32_MIN)))
  VITTE_WASM_SSE2_1(f64x2_abs, _mm_and_si128(in(va), _mm_set1_epi64x(INT64_MAX)))
  VITTE_WASM_SSE2_1(f64x2_neg, _mm_xor_si128(in(va), _mm_set1_epi64x(INT64_MIN)))
  VITTE_WASM_SSE2_1(f32x4_sqrt, _mm_sqrt_ps(inf(va)))
  VITTE_WASM_SSE2_1(f64x2_sqrt, _mm_sqrt_pd(ind(va)))
  VITTE_WASM_SSE2_1(f32x4_convert_i32x4_s, _mm_cvtepi32_ps(in(va)))
  VITTE_WASM_SSE2_1(f64x2_convert_low_i32x4_s, _mm_cvtepi32_pd(in(va)))
  VITTE_WASM_SSE2_1(f64x2_promote_low_f32x4, _mm_cvtps_pd(inf(va)))
  VITTE_WASM_SSE2_1(f32x4_demote_f64x2_zero, _mm_cvtpd_ps(ind(va)))
  VITTE_WASM_SSE2_1(i16x8_extend_low_i8x16_s, _mm_srai_epi16(_mm_unpacklo_epi8(in(va), in(va)), 8))
  VITTE_WASM_SSE2_1(i16x8_extend_high_i8x16_s, _mm_srai_epi16(_mm_unpackhi_epi8(in(va), in(va)), 8))
  VITTE_WASM_SSE2_1(i16x8_extend_low_i8x16_u, _mm_unpacklo_epi8(in(va), _mm_setzero_si128()))
  VITTE_WASM_SSE2_1(i16x8_extend_high_i8x16_u, _mm_unpackhi_epi8(in(va), _mm_setzero_si128()))
  VITTE_WASM_SSE2_1(i32x4_extend_low_i16x8_s, _mm_srai_epi32(_mm_unpacklo_epi16(in(va), in(va)), 16))
  VITTE_WASM_SSE2_1(i32x4_extend_high_i16x8_s, _mm_srai_epi32(_mm_unpackhi_epi16(in(va), in(va)), 16))
  VITTE_WASM_SSE2_1(i32x4_extend_low_i16x8_u, _mm_unpacklo_epi16(in(va), _mm_setzero_si128()))
  VITTE_WASM_SSE2_1(i32x4_extend_high_i16x8_u, _mm_unpackhi_epi16(in(va), _mm_setzero_si128()))
  VITTE_WASM_SSE2_1(i64x2_extend_low_i32x4_u, _mm_unpacklo_epi32(in(va), _mm_setzero_si128()))
  VITTE_WASM_SSE2_1(i64x2_extend_high_i32x4_u, _mm_unpackhi_epi32(in(va), _mm_setzero_si128()))
  VITTE_WASM_SSE2_1(i32x4_extadd_pairwise_i16x8_s, _mm_madd_epi16(in(va), _mm_set1_epi16(1)))
  // Pairwise widening adds: the two halves of each wider lane, added.
  VITTE_WASM_SSE2_1(i16x8_extadd_pairwise_i8x16_u,
                    _mm_add_epi16(_mm_srli_epi16(in(va), 8), _mm_and_si128(in(va), _mm_set1_epi16(0xff))))
  VITTE_WASM_SSE2_1(i16x8_extadd_pairwise_i8x16_s,
                    _mm_add_epi16(_mm_srai_epi16(in(va), 8), _mm_srai_epi16(_mm_slli_epi16(in(va), 8), 8)))
  VITTE_WASM_SSE2_1(i32x4_extadd_pairwise_i16x8_u,
                    _mm_add_epi32(_mm_srli_epi32(in(va), 16), _mm_and_si128(in(va), _mm_set1_epi32(0xffff))))
  // Bit counts of bytes: the classic halving sums.
  static v128 i8x16_popcnt(v128 va) noexcept {
    __m128i x = in(va);
    x = _mm_sub_epi8(x, _mm_and_si128(_mm_srli_epi16(x, 1), _mm_set1_epi8(0x55)));
    x = _mm_add_epi8(_mm_and_si128(x, _mm_set1_epi8(0x33)), _mm_and_si128(_mm_srli_epi16(x, 2), _mm_set1_epi8(0x33)));
    return out(_mm_and_si128(_mm_add_epi8(x, _mm_srli_epi16(x, 4)), _mm_set1_epi8(0x0f)));
  }
#if defined(__SSSE3__)
  VITTE_WASM_SSE2_1(i8x16_abs, _mm_abs_epi8(in(va)))
  VITTE_WASM_SSE2_1(i16x8_abs, _mm_abs_epi16(in(va)))
  VITTE_WASM_SSE2_1(i32x4_abs, _mm_abs_epi32(in(va)))
#endif
#if defined(__SSE4_1__)
  VITTE_WASM_SSE2_1(f32x4_ceil, _mm_round_ps(inf(va), _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC))
  VITTE_WASM_SSE2_1(f32x4_floor, _mm_round_ps(inf(va), _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC))
  VITTE_WASM_SSE2_1(f32x4_trunc, _mm_round_ps(inf(va), _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC))
  VITTE_WASM_SSE2_1(f32x4_nearest, _mm_round_ps(inf(va), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC))
  VITTE_WASM_SSE2_1(f64x2_ceil, _mm_round_pd(ind(va), _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC))
  VITTE_WASM_SSE2_1(f64x2_floor, _mm_round_pd(ind(va), _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC))
  VITTE_WASM_SSE2_1(f64x2_trunc, _mm_round_pd(ind(va), _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC))
  VITTE_WASM_SSE2_1(f64x2_nearest, _mm_round_pd(ind(va), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC))
  VITTE_WASM_SSE2_1(i64x2_extend_low_i32x4_s, _mm_cvtepi32_epi64(in(va)))
  VITTE_WASM_SSE2_1(i64x2_extend_high_i32x4_s, _mm_cvtepi32_epi64(_mm_unpackhi_epi64(in(va), in(va))))
#endif
  // cvttps2dq gives 0x80000000 for NaN and out-of-range lanes: NaN becomes
  // 0 and positive overflow INT32_MAX.
  static v128 i32x4_trunc_sat_f32x4_s(v128 va) noexcept {
    __m128 a = inf(va);
    __m128 ordered = _mm_cmpord_ps(a, a);
    __m128i t = _mm_cvttps_epi32(_mm_and_ps(a, ordered));
    __m128i over = _mm_castps_si128(_mm_cmpge_ps(a, _mm_set1_ps(2147483648.0f)));
    return out(_mm_xor_si128(t, over));
  }
#undef VITTE_WASM_SSE2_1

  static v128 v128_bitselect(v128 a, v128 b, v128 c) noexcept {
    __m128i m = in(c);
    return out(_mm_or_si128(_mm_and_si128(in(a), m), _mm_andnot_si128(m, in(b))));
  }

  // Shifts by the count modulo the lane width.
#define VITTE_WASM_SSE2_SHIFT(name, fn, bits)                                    \
  static v128 name(v128 va, std::uint32_t n) noexcept {                          \
    return out(fn(in(va), _mm_cvtsi32_si128(static_cast<int>(n & (bits - 1))))); \
  }
  VITTE_WASM_SSE2_SHIFT(i16x8_shl, _mm_sll_epi16, 16)
  VITTE_WASM_SSE2_SHIFT(i16x8_shr_s, _mm_sra_epi16, 16)
  VITTE_WASM_SSE2_SHIFT(i16x8_shr_u, _mm_srl_epi16, 16)
  VITTE_WASM_SSE2_SHIFT(i32x4_shl, _mm_sll_epi32, 32)
  VITTE_WASM_SSE2_SHIFT(i32x4_shr_s, _mm_sra_epi32, 32)
  VITTE_WASM_SSE2_SHIFT(i32x4_shr_u, _mm_srl_epi32, 32)
  VITTE_WASM_SSE2_SHIFT(i64x2_shl, _mm_sll_epi64, 64)
  VITTE_WASM_SSE2_SHIFT(i64x2_shr_u, _mm_srl_epi64, 64)
#undef VITTE_WASM_SSE2_SHIFT
  // Bytes shift as 16-bit lanes, masked to each byte's own bits.
  static v128 i8x16_shl(v128 va, std::uint32_t n) noexcept {
    int c = static_cast<int>(n & 7);
    return out(_mm_and_si128(_mm_sll_epi16(in(va), _mm_cvtsi32_si128(c)), _mm_set1_epi8(static_cast<char>(0xff << c))));
  }
  static v128 i8x16_shr_u(v128 va, std::uint32_t n) noexcept {
    int c = static_cast<int>(n & 7);
    return out(_mm_and_si128(_mm_srl_epi16(in(va), _mm_cvtsi32_si128(c)), _mm_set1_epi8(static_cast<char>(0xff >> c))));
  }

  static std::uint32_t v128_any_true(v128 va) noexcept {
    return _mm_movemask_epi8(_mm_cmpeq_epi8(in(va), _mm_setzero_si128())) != 0xffff;
  }
  static std::uint32_t i8x16_all_true(v128 va) noexcept {
    return _mm_movemask_epi8(_mm_cmpeq_epi8(in(va), _mm_setzero_si128())) == 0;
  }
  static std::uint32_t i16x8_all_true(v128 va) noexcept {
    return _mm_movemask_epi8(_mm_cmpeq_epi16(in(va), _mm_setzero_si128())) == 0;
  }
  static std::uint32_t i32x4_all_true(v128 va) noexcept {
    return _mm_movemask_epi8(_mm_cmpeq_epi32(in(va), _mm_setzero_si128())) == 0;
  }
  static std::uint32_t i8x16_bitmask(v128 va) noexcept { return static_cast<std::uint32_t>(_mm_movemask_epi8(in(va))); }
  static std::uint32_t i16x8_bitmask(v128 va) noexcept {
    return static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_packs_epi16(in(va), _mm_setzero_si128())));
  }
  static std::uint32_t i32x4_bitmask(v128 va) noexcept { return static_cast<std::uint32_t>(_mm_movemask_ps(inf(va))); }
  static std::uint32_t i64x2_bitmask(v128 va) noexcept { return static_cast<std::uint32_t>(_mm_movemask_pd(ind(va))); }
};
#elif VITTE_WASM_SIMD_NEON
/// NEON where the instruction is WebAssembly's operation.
struct simd_native : simd_scalar {
  static uint8x16_t in(v128 a) noexcept { return vld1q_u8(a.b); }
  static v128 out(uint8x16_t x) noexcept {
    v128 r;
    vst1q_u8(r.b, x);
    return r;
  }
  // The bytes of a vector of any lane type, and back.
  using n_u8 = uint8x16_t;
  using n_s8 = int8x16_t;
  using n_u16 = uint16x8_t;
  using n_s16 = int16x8_t;
  using n_u32 = uint32x4_t;
  using n_s32 = int32x4_t;
  using n_u64 = uint64x2_t;
  using n_s64 = int64x2_t;
  using n_f32 = float32x4_t;
  using n_f64 = float64x2_t;
  static uint8x16_t raw(uint8x16_t x) noexcept { return x; }
  static uint8x16_t raw(int8x16_t x) noexcept { return vreinterpretq_u8_s8(x); }
  static uint8x16_t raw(uint16x8_t x) noexcept { return vreinterpretq_u8_u16(x); }
  static uint8x16_t raw(int16x8_t x) noexcept { return vreinterpretq_u8_s16(x); }
  static uint8x16_t raw(uint32x4_t x) noexcept { return vreinterpretq_u8_u32(x); }
  static uint8x16_t raw(int32x4_t x) noexcept { return vreinterpretq_u8_s32(x); }
  static uint8x16_t raw(uint64x2_t x) noexcept { return vreinterpretq_u8_u64(x); }
  static uint8x16_t raw(int64x2_t x) noexcept { return vreinterpretq_u8_s64(x); }
  static uint8x16_t raw(float32x4_t x) noexcept { return vreinterpretq_u8_f32(x); }
  static uint8x16_t raw(float64x2_t x) noexcept { return vreinterpretq_u8_f64(x); }
  template <class T>
  static T cast(uint8x16_t x) noexcept {
    if constexpr (std::is_same_v<T, uint8x16_t>)
      return x;
    else if constexpr (std::is_same_v<T, int8x16_t>)
      return vreinterpretq_s8_u8(x);
    else if constexpr (std::is_same_v<T, uint16x8_t>)
      return vreinterpretq_u16_u8(x);
    else if constexpr (std::is_same_v<T, int16x8_t>)
      return vreinterpretq_s16_u8(x);
    else if constexpr (std::is_same_v<T, uint32x4_t>)
      return vreinterpretq_u32_u8(x);
    else if constexpr (std::is_same_v<T, int32x4_t>)
      return vreinterpretq_s32_u8(x);
    else if constexpr (std::is_same_v<T, uint64x2_t>)
      return vreinterpretq_u64_u8(x);
    else if constexpr (std::is_same_v<T, int64x2_t>)
      return vreinterpretq_s64_u8(x);
    else if constexpr (std::is_same_v<T, float32x4_t>)
      return vreinterpretq_f32_u8(x);
    else
      return vreinterpretq_f64_u8(x);
  }
#define VITTE_WASM_NEON2(name, T, fn) \
  static v128 name(v128 va, v128 vb) noexcept { return out(raw(fn(cast<n_##T>(in(va)), cast<n_##T>(in(vb))))); }
#define VITTE_WASM_NEON2M(name, T, M, fn) \
  static v128 name(v128 va, v128 vb) noexcept { return out(raw(fn(cast<n_##T>(in(va)), cast<n_##T>(in(vb))))); }
  static v128 v128_and(v128 a, v128 b) noexcept { return out(vandq_u8(in(a), in(b))); }
  static v128 v128_andnot(v128 a, v128 b) noexcept { return out(vbicq_u8(in(a), in(b))); }
  static v128 v128_or(v128 a, v128 b) noexcept { return out(vorrq_u8(in(a), in(b))); }
  static v128 v128_xor(v128 a, v128 b) noexcept { return out(veorq_u8(in(a), in(b))); }
  VITTE_WASM_NEON2(i8x16_add, u8, vaddq_u8)
  VITTE_WASM_NEON2(i8x16_add_sat_s, s8, vqaddq_s8)
  VITTE_WASM_NEON2(i8x16_add_sat_u, u8, vqaddq_u8)
  VITTE_WASM_NEON2(i8x16_sub, u8, vsubq_u8)
  VITTE_WASM_NEON2(i8x16_sub_sat_s, s8, vqsubq_s8)
  VITTE_WASM_NEON2(i8x16_sub_sat_u, u8, vqsubq_u8)
  VITTE_WASM_NEON2(i8x16_min_s, s8, vminq_s8)
  VITTE_WASM_NEON2(i8x16_min_u, u8, vminq_u8)
  VITTE_WASM_NEON2(i8x16_max_s, s8, vmaxq_s8)
  VITTE_WASM_NEON2(i8x16_max_u, u8, vmaxq_u8)
  VITTE_WASM_NEON2(i8x16_avgr_u, u8, vrhaddq_u8)
  VITTE_WASM_NEON2(i16x8_q15mulr_sat_s, s16, vqrdmulhq_s16)
  VITTE_WASM_NEON2(i16x8_add, u16, vaddq_u16)
  VITTE_WASM_NEON2(i16x8_add_sat_s, s16, vqaddq_s16)
  VITTE_WASM_NEON2(i16x8_add_sat_u, u16, vqaddq_u16)
  VITTE_WASM_NEON2(i16x8_sub, u16, vsubq_u16)
  VITTE_WASM_NEON2(i16x8_sub_sat_s, s16, vqsubq_s16)
  VITTE_WASM_NEON2(i16x8_sub_sat_u, u16, vqsubq_u16)
  VITTE_WASM_NEON2(i16x8_mul, u16, vmulq_u16)
  VITTE_WASM_NEON2(i16x8_min_s, s16, vminq_s16)
  VITTE_WASM_NEON2(i16x8_min_u, u16, vminq_u16)
  VITTE_WASM_NEON2(i16x8_max_s, s16, vmaxq_s16)
  VITTE_WASM_NEON2(i16x8_max_u, u16, vmaxq_u16)
  VITTE_WASM_NEON2(i16x8_avgr_u, u16, vrhaddq_u16)
  VITTE_WASM_NEON2(i32x4_add, u32, vaddq_u32)
  VITTE_WASM_NEON2(i32x4_sub, u32, vsubq_u32)
  VITTE_WASM_NEON2(i32x4_mul, u32, vmulq_u32)
  VITTE_WASM_NEON2(i32x4_min_s, s32, vminq_s32)
  VITTE_WASM_NEON2(i32x4_min_u, u32, vminq_u32)
  VITTE_WASM_NEON2(i32x4_max_s, s32, vmaxq_s32)
  VITTE_WASM_NEON2(i32x4_max_u, u32, vmaxq_u32)
  VITTE_WASM_NEON2(i64x2_add, u64, vaddq_u64)
  VITTE_WASM_NEON2(i64x2_sub, u64, vsubq_u64)
  // fmin/fmax: NaN when either is (quieted), -0 below +0: WebAssembly's min/max.
  VITTE_WASM_NEON2(f32x4_add, f32, vaddq_f32)
  VITTE_WASM_NEON2(f32x4_sub, f32, vsubq_f32)
  VITTE_WASM_NEON2(f32x4_mul, f32, vmulq_f32)
  VITTE_WASM_NEON2(f32x4_div, f32, vdivq_f32)
  VITTE_WASM_NEON2(f32x4_min, f32, vminq_f32)
  VITTE_WASM_NEON2(f32x4_max, f32, vmaxq_f32)
  VITTE_WASM_NEON2(f64x2_add, f64, vaddq_f64)
  VITTE_WASM_NEON2(f64x2_sub, f64, vsubq_f64)
  VITTE_WASM_NEON2(f64x2_mul, f64, vmulq_f64)
  VITTE_WASM_NEON2(f64x2_div, f64, vdivq_f64)
  VITTE_WASM_NEON2(f64x2_min, f64, vminq_f64)
  VITTE_WASM_NEON2(f64x2_max, f64, vmaxq_f64)
  VITTE_WASM_NEON2M(i8x16_eq, u8, u8, vceqq_u8)
  VITTE_WASM_NEON2M(i8x16_lt_s, s8, u8, vcltq_s8)
  VITTE_WASM_NEON2M(i8x16_lt_u, u8, u8, vcltq_u8)
  VITTE_WASM_NEON2M(i8x16_gt_s, s8, u8, vcgtq_s8)
  VITTE_WASM_NEON2M(i8x16_gt_u, u8, u8, vcgtq_u8)
  VITTE_WASM_NEON2M(i8x16_le_s, s8, u8, vcleq_s8)
  VITTE_WASM_NEON2M(i8x16_le_u, u8, u8, vcleq_u8)
  VITTE_WASM_NEON2M(i8x16_ge_s, s8, u8, vcgeq_s8)
  VITTE_WASM_NEON2M(i8x16_ge_u, u8, u8, vcgeq_u8)
  VITTE_WASM_NEON2M(i16x8_eq, u16, u16, vceqq_u16)
  VITTE_WASM_NEON2M(i16x8_lt_s, s16, u16, vcltq_s16)
  VITTE_WASM_NEON2M(i16x8_lt_u, u16, u16, vcltq_u16)
  VITTE_WASM_NEON2M(i16x8_gt_s, s16, u16, vcgtq_s16)
  VITTE_WASM_NEON2M(i16x8_gt_u, u16, u16, vcgtq_u16)
  VITTE_WASM_NEON2M(i16x8_le_s, s16, u16, vcleq_s16)
  VITTE_WASM_NEON2M(i16x8_le_u, u16, u16, vcleq_u16)
  VITTE_WASM_NEON2M(i16x8_ge_s, s16, u16, vcgeq_s16)
  VITTE_WASM_NEON2M(i16x8_ge_u, u16, u16, vcgeq_u16)
  VITTE_WASM_NEON2M(i32x4_eq, u32, u32, vceqq_u32)
  VITTE_WASM_NEON2M(i32x4_lt_s, s32, u32, vcltq_s32)
  VITTE_WASM_NEON2M(i32x4_lt_u, u32, u32, vcltq_u32)
  VITTE_WASM_NEON2M(i32x4_gt_s, s32, u32, vcgtq_s32)
  VITTE_WASM_NEON2M(i32x4_gt_u, u32, u32, vcgtq_u32)
  VITTE_WASM_NEON2M(i32x4_le_s, s32, u32, vcleq_s32)
  VITTE_WASM_NEON2M(i32x4_le_u, u32, u32, vcleq_u32)
  VITTE_WASM_NEON2M(i32x4_ge_s, s32, u32, vcgeq_s32)
  VITTE_WASM_NEON2M(i32x4_ge_u, u32, u32, vcgeq_u32)
  VITTE_WASM_NEON2M(i64x2_eq, u64, u64, vceqq_u64)
  VITTE_WASM_NEON2M(i64x2_lt_s, s64, u64, vcltq_s64)
  VITTE_WASM_NEON2M(i64x2_gt_s, s64, u64, vcgtq_s64)
  VITTE_WASM_NEON2M(i64x2_le_s, s64, u64, vcleq_s64)
  VITTE_WASM_NEON2M(i64x2_ge_s, s64, u64, vcgeq_s64)
  VITTE_WASM_NEON2M(f32x4_eq, f32, u32, vceqq_f32)
  VITTE_WASM_NEON2M(f32x4_lt, f32, u32, vcltq_f32)
  VITTE_WASM_NEON2M(f32x4_gt, f32, u32, vcgtq_f32)
  VITTE_WASM_NEON2M(f32x4_le, f32, u32, vcleq_f32)
  VITTE_WASM_NEON2M(f32x4_ge, f32, u32, vcgeq_f32)
  VITTE_WASM_NEON2M(f64x2_eq, f64, u64, vceqq_f64)
  VITTE_WASM_NEON2M(f64x2_lt, f64, u64, vcltq_f64)
  VITTE_WASM_NEON2M(f64x2_gt, f64, u64, vcgtq_f64)
  VITTE_WASM_NEON2M(f64x2_le, f64, u64, vcleq_f64)
  VITTE_WASM_NEON2M(f64x2_ge, f64, u64, vcgeq_f64)
#undef VITTE_WASM_NEON2
#undef VITTE_WASM_NEON2M
  static v128 i8x16_swizzle(v128 a, v128 s) noexcept { return out(vqtbl1q_u8(in(a), in(s))); }
  static v128 i8x16_narrow_i16x8_s(v128 a, v128 b) noexcept {
    return out(vreinterpretq_u8_s8(
        vcombine_s8(vqmovn_s16(vreinterpretq_s16_u8(in(a))), vqmovn_s16(vreinterpretq_s16_u8(in(b))))));
  }
  static v128 i8x16_narrow_i16x8_u(v128 a, v128 b) noexcept {
    return out(vcombine_u8(vqmovun_s16(vreinterpretq_s16_u8(in(a))), vqmovun_s16(vreinterpretq_s16_u8(in(b)))));
  }
  static v128 i32x4_dot_i16x8_s(v128 a, v128 b) noexcept {
    int16x8_t x = vreinterpretq_s16_u8(in(a)), y = vreinterpretq_s16_u8(in(b));
    int32x4_t lo = vmull_s16(vget_low_s16(x), vget_low_s16(y));
    int32x4_t hi = vmull_high_s16(x, y);
    return out(vreinterpretq_u8_s32(vpaddq_s32(lo, hi)));
  }
  static v128 i16x8_extmul_low_i8x16_s(v128 a, v128 b) noexcept {
    return out(vreinterpretq_u8_s16(
        vmull_s8(vget_low_s8(vreinterpretq_s8_u8(in(a))), vget_low_s8(vreinterpretq_s8_u8(in(b))))));
  }
  static v128 i16x8_extmul_high_i8x16_s(v128 a, v128 b) noexcept {
    return out(vreinterpretq_u8_s16(vmull_high_s8(vreinterpretq_s8_u8(in(a)), vreinterpretq_s8_u8(in(b)))));
  }
  static v128 i16x8_extmul_low_i8x16_u(v128 a, v128 b) noexcept {
    return out(vreinterpretq_u8_u16(vmull_u8(vget_low_u8(in(a)), vget_low_u8(in(b)))));
  }
  static v128 i16x8_extmul_high_i8x16_u(v128 a, v128 b) noexcept {
    return out(vreinterpretq_u8_u16(vmull_high_u8(in(a), in(b))));
  }

#define VITTE_WASM_NEON1(name, T, R, fn) \
  static v128 name(v128 va) noexcept { return out(raw(fn(cast<n_##T>(in(va))))); }
  VITTE_WASM_NEON1(v128_not, u8, u8, vmvnq_u8)
  VITTE_WASM_NEON1(i8x16_abs, s8, s8, vabsq_s8)
  VITTE_WASM_NEON1(i8x16_neg, s8, s8, vnegq_s8)
  VITTE_WASM_NEON1(i8x16_popcnt, u8, u8, vcntq_u8)
  VITTE_WASM_NEON1(i16x8_abs, s16, s16, vabsq_s16)
  VITTE_WASM_NEON1(i16x8_neg, s16, s16, vnegq_s16)
  VITTE_WASM_NEON1(i32x4_abs, s32, s32, vabsq_s32)
  VITTE_WASM_NEON1(i32x4_neg, s32, s32, vnegq_s32)
  VITTE_WASM_NEON1(i64x2_abs, s64, s64, vabsq_s64)
  VITTE_WASM_NEON1(i64x2_neg, s64, s64, vnegq_s64)
  VITTE_WASM_NEON1(f32x4_ceil, f32, f32, vrndpq_f32)
  VITTE_WASM_NEON1(f32x4_floor, f32, f32, vrndmq_f32)
  VITTE_WASM_NEON1(f32x4_trunc, f32, f32, vrndq_f32)
  VITTE_WASM_NEON1(f32x4_nearest, f32, f32, vrndnq_f32)
  VITTE_WASM_NEON1(f32x4_abs, f32, f32, vabsq_f32)
  VITTE_WASM_NEON1(f32x4_neg, f32, f32, vnegq_f32)
  VITTE_WASM_NEON1(f32x4_sqrt, f32, f32, vsqrtq_f32)
  VITTE_WASM_NEON1(f64x2_ceil, f64, f64, vrndpq_f64)
  VITTE_WASM_NEON1(f64x2_floor, f64, f64, vrndmq_f64)
  VITTE_WASM_NEON1(f64x2_trunc, f64, f64, vrndq_f64)
  VITTE_WASM_NEON1(f64x2_nearest, f64, f64, vrndnq_f64)
  VITTE_WASM_NEON1(f64x2_abs, f64, f64, vabsq_f64)
  VITTE_WASM_NEON1(f64x2_neg, f64, f64, vnegq_f64)
  VITTE_WASM_NEON1(f64x2_sqrt, f64, f64, vsqrtq_f64)
  // fcvtzs/fcvtzu saturate and give 0 for NaN: trunc_sat exactly.
  VITTE_WASM_NEON1(i32x4_trunc_sat_f32x4_s, f32, s32, vcvtq_s32_f32)
  VITTE_WASM_NEON1(i32x4_trunc_sat_f32x4_u, f32, u32, vcvtq_u32_f32)
  VITTE_WASM_NEON1(f32x4_convert_i32x4_s, s32, f32, vcvtq_f32_s32)
  VITTE_WASM_NEON1(f32x4_convert_i32x4_u, u32, f32, vcvtq_f32_u32)
  VITTE_WASM_NEON1(i16x8_extadd_pairwise_i8x16_s, s8, s16, vpaddlq_s8)
  VITTE_WASM_NEON1(i16x8_extadd_pairwise_i8x16_u, u8, u16, vpaddlq_u8)
  VITTE_WASM_NEON1(i32x4_extadd_pairwise_i16x8_s, s16, s32, vpaddlq_s16)
  VITTE_WASM_NEON1(i32x4_extadd_pairwise_i16x8_u, u16, u32, vpaddlq_u16)
#undef VITTE_WASM_NEON1
  static v128 i16x8_extend_low_i8x16_s(v128 a) noexcept {
    return out(vreinterpretq_u8_s16(vmovl_s8(vget_low_s8(vreinterpretq_s8_u8(in(a))))));
  }
  static v128 i16x8_extend_high_i8x16_s(v128 a) noexcept {
    return out(vreinterpretq_u8_s16(vmovl_high_s8(vreinterpretq_s8_u8(in(a)))));
  }
  static v128 i16x8_extend_low_i8x16_u(v128 a) noexcept {
    return out(vreinterpretq_u8_u16(vmovl_u8(vget_low_u8(in(a)))));
  }
  static v128 i16x8_extend_high_i8x16_u(v128 a) noexcept { return out(vreinterpretq_u8_u16(vmovl_high_u8(in(a)))); }
  static v128 i32x4_extend_low_i16x8_s(v128 a) noexcept {
    return out(vreinterpretq_u8_s32(vmovl_s16(vget_low_s16(vreinterpretq_s16_u8(in(a))))));
  }
  static v128 i32x4_extend_high_i16x8_s(v128 a) noexcept {
    return out(vreinterpretq_u8_s32(vmovl_high_s16(vreinterpretq_s16_u8(in(a)))));
  }
  static v128 i32x4_extend_low_i16x8_u(v128 a) noexcept {
    return out(vreinterpretq_u8_u32(vmovl_u16(vget_low_u16(vreinterpretq_u16_u8(in(a))))));
  }
  static v128 i32x4_extend_high_i16x8_u(v128 a) noexcept {
    return out(vreinterpretq_u8_u32(vmovl_high_u16(vreinterpretq_u16_u8(in(a)))));
  }

  static v128 v128_bitselect(v128 a, v128 b, v128 c) noexcept { return out(vbslq_u8(in(c), in(a), in(b))); }

  // Shifts: a negative count shifts right.
#define VITTE_WASM_NEON_SHIFT(name, T, D, bits, sign)                \
  static v128 name(v128 va, std::uint32_t n) noexcept {              \
    int c = sign static_cast<int>(n & (bits - 1));                   \
    return out(raw(vshlq_##T(cast<n_##T>(in(va)), vdupq_n_##D(c)))); \
  }
  VITTE_WASM_NEON_SHIFT(i8x16_shl, u8, s8, 8, +)
  VITTE_WASM_NEON_SHIFT(i8x16_shr_s, s8, s8, 8, -)
  VITTE_WASM_NEON_SHIFT(i8x16_shr_u, u8, s8, 8, -)
  VITTE_WASM_NEON_SHIFT(i16x8_shl, u16, s16, 16, +)
  VITTE_WASM_NEON_SHIFT(i16x8_shr_s, s16, s16, 16, -)
  VITTE_WASM_NEON_SHIFT(i16x8_shr_u, u16, s16, 16, -)
  VITTE_WASM_NEON_SHIFT(i32x4_shl, u32, s32, 32, +)
  VITTE_WASM_NEON_SHIFT(i32x4_shr_s, s32, s32, 32, -)
  VITTE_WASM_NEON_SHIFT(i32x4_shr_u, u32, s32, 32, -)
  VITTE_WASM_NEON_SHIFT(i64x2_shl, u64, s64, 64, +)
  VITTE_WASM_NEON_SHIFT(i64x2_shr_s, s64, s64, 64, -)
  VITTE_WASM_NEON_SHIFT(i64x2_shr_u, u64, s64, 64, -)
#undef VITTE_WASM_NEON_SHIFT

  static std::uint32_t v128_any_true(v128 a) noexcept { return vmaxvq_u32(vreinterpretq_u32_u8(in(a))) != 0; }
  static std::uint32_t i8x16_all_true(v128 a) noexcept { return vminvq_u8(in(a)) != 0; }
  static std::uint32_t i16x8_all_true(v128 a) noexcept { return vminvq_u16(vreinterpretq_u16_u8(in(a))) != 0; }
  static std::uint32_t i32x4_all_true(v128 a) noexcept { return vminvq_u32(vreinterpretq_u32_u8(in(a))) != 0; }
};
#else
/// No vector unit the compiler targets: the portable lanes.
struct simd_native : simd_scalar {};
#endif

// The body of each compute instruction for an implementation I, reading its
// operand words w (d first): the same bodies run inline in the dispatcher
// and, for store_limits::scalar_simd, through simd_call*.
template <class I>
struct simd_exec {
#define VITTE_WASM_EXEC1(name, ...) \
  static void name(cell* fp, const std::uint32_t* w) noexcept { v_put(fp + w[0], I::name(v_get(fp + w[1]))); }
#define VITTE_WASM_EXEC2(name, ...)                                \
  static void name(cell* fp, const std::uint32_t* w) noexcept {    \
    v_put(fp + w[0], I::name(v_get(fp + w[1]), v_get(fp + w[2]))); \
  }
#define VITTE_WASM_EXEC_SHIFT(name, ...)                        \
  static void name(cell* fp, const std::uint32_t* w) noexcept { \
    v_put(fp + w[0], I::name(v_get(fp + w[1]), fp[w[2]].u32));  \
  }
#define VITTE_WASM_EXEC_TEST(name, ...) \
  static void name(cell* fp, const std::uint32_t* w) noexcept { fp[w[0]].u64 = I::name(v_get(fp + w[1])); }
  VITTE_WASM_SIMD_UNARY(VITTE_WASM_EXEC1)
  VITTE_WASM_SIMD_BINARY(VITTE_WASM_EXEC2)
  VITTE_WASM_SIMD_SHIFT(VITTE_WASM_EXEC_SHIFT)
  VITTE_WASM_SIMD_TEST(VITTE_WASM_EXEC_TEST)
#undef VITTE_WASM_EXEC1
#undef VITTE_WASM_EXEC2
#undef VITTE_WASM_EXEC_SHIFT
#undef VITTE_WASM_EXEC_TEST
  static void v128_bitselect(cell* fp, const std::uint32_t* w) noexcept {
    v_put(fp + w[0], I::v128_bitselect(v_get(fp + w[1]), v_get(fp + w[2]), v_get(fp + w[3])));
  }
};

}  // namespace vitte::wasm::detail

#endif  // VITTE_WASM_IMPL_SIMD_HPP
