// vitte/wasm/impl/simd_sse2.hpp - simd_native on x86_64: SSE2 (SSSE3 and
// SSE4.1 when the compiler targets them) where the instruction gives
// WebAssembly's result; everything else is simd_scalar's. Included by
// impl/simd.hpp when the compiler targets SSE2.
#ifndef VITTE_WASM_IMPL_SIMD_SSE2_HPP
#define VITTE_WASM_IMPL_SIMD_SSE2_HPP

#include <vitte/wasm/impl/simd_lanes.hpp>

#include <cstdint>

#include <emmintrin.h>
#if defined(__SSSE3__)
#include <tmmintrin.h>
#endif
#if defined(__SSE4_1__)
#include <smmintrin.h>
#endif

namespace vitte::wasm::detail {

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

}  // namespace vitte::wasm::detail

#endif  // VITTE_WASM_IMPL_SIMD_SSE2_HPP
