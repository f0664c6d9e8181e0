// vitte/wasm/impl/simd_lanes.hpp - WebAssembly's v128 and its portable
// lanes: the value, lane views and the helpers every implementation shares,
// and simd_scalar, which runs every instruction one lane at a time and is
// always exact. The vector units' lanes (simd_sse2.hpp, simd_neon.hpp)
// derive from it; impl/simd.hpp picks one.
#ifndef VITTE_WASM_IMPL_SIMD_LANES_HPP
#define VITTE_WASM_IMPL_SIMD_LANES_HPP

#include <vitte/base/detail/endian.hpp>  // load_le, store_le: lanes are little-endian on every host
#include <vitte/wasm/impl/numeric.hpp>
#include <vitte/wasm/impl/objects.hpp>
#include <vitte/wasm/impl/simd_code.hpp>

#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

namespace vitte::wasm::detail {

/// A v128 value: 16 bytes, lane 0 first, each lane little-endian (as in
/// memory) on every host. Lanes are read and written through lane_load and
/// lane_store, as<L> and of(): plain copies on a little-endian host, a byte
/// swap per lane on a big-endian one.
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

// The unsigned integer of a lane's width (comparison masks).
template <class L>
using mask_of =
    std::conditional_t<sizeof(L) == 1, u8,
                       std::conditional_t<sizeof(L) == 2, u16, std::conditional_t<sizeof(L) == 4, u32, u64>>>;

// The lane of type L at p (v128 bytes), and writing one there.
template <class L>
inline L lane_load(const std::uint8_t* p) noexcept {
  return std::bit_cast<L>(vitte::detail::load_le<mask_of<L>>(p));
}
template <class L>
inline void lane_store(std::uint8_t* p, L v) noexcept {
  vitte::detail::store_le(p, std::bit_cast<mask_of<L>>(v));
}

// Lanes of type L.
template <class L>
struct lanes {
  static constexpr int n = 16 / sizeof(L);
  L v[n];
};
template <class L>
inline lanes<L> as(const v128& x) noexcept {
  lanes<L> r;
  if constexpr (vitte::detail::host_is_big_endian && sizeof(L) > 1) {
    for (int i = 0; i < lanes<L>::n; ++i) r.v[i] = lane_load<L>(x.b + i * sizeof(L));
  } else {
    std::memcpy(r.v, x.b, 16);
  }
  return r;
}
template <class L>
inline v128 of(const lanes<L>& r) noexcept {
  v128 x;
  if constexpr (vitte::detail::host_is_big_endian && sizeof(L) > 1) {
    for (int i = 0; i < lanes<L>::n; ++i) lane_store(x.b + i * sizeof(L), r.v[i]);
  } else {
    std::memcpy(x.b, r.v, 16);
  }
  return x;
}
// The 16 bytes the translator keeps as four little-endian code words
// (v128.const, i8x16.shuffle's lane indices).
inline v128 v_from_words(const std::uint32_t* w) noexcept {
  v128 x;
  if constexpr (vitte::detail::host_is_big_endian) {
    for (int i = 0; i < 4; ++i) vitte::detail::store_le(x.b + 4 * i, w[i]);
  } else {
    std::memcpy(x.b, w, 16);
  }
  return x;
}
// Byte i of v_from_words(w).
inline std::uint8_t word_byte(const std::uint32_t* w, int i) noexcept {
  if constexpr (vitte::detail::host_is_big_endian) return static_cast<std::uint8_t>(w[i / 4] >> (8 * (i % 4)));
  return reinterpret_cast<const std::uint8_t*>(w)[i];
}

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

}  // namespace vitte::wasm::detail

#endif  // VITTE_WASM_IMPL_SIMD_LANES_HPP
