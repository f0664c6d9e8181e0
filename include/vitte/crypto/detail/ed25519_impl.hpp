// vitte/crypto/detail/ed25519_impl.hpp - the group, scalars and tables
// behind vitte/crypto/ed25519.hpp. Templates on the field representation F
// (fe25519.hpp) so both representations can be tested against each other.
//
// Points are in extended twisted Edwards coordinates (X:Y:Z:T), x = X/Z,
// y = Y/Z, xy = T/Z, on -x^2 + y^2 = 1 + d x^2 y^2. The addition formulas
// (Hisil, Wong, Carter, Dawson 2008, a = -1) are complete on this curve.
#ifndef VITTE_CRYPTO_DETAIL_ED25519_IMPL_HPP
#define VITTE_CRYPTO_DETAIL_ED25519_IMPL_HPP

#include <vitte/base/config.hpp>
#include <vitte/crypto/detail/fe25519.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>  // std::memcpy (table scans by whole words)

namespace vitte::crypto::detail {

// ---------------------------------------------------------------------------
// Constants, as canonical little-endian encodings.

inline constexpr std::uint8_t ed_d_bytes[32] = {
    0xa3, 0x78, 0x59, 0x13, 0xca, 0x4d, 0xeb, 0x75, 0xab, 0xd8, 0x41, 0x41, 0x4d, 0x0a, 0x70, 0x00,
    0x98, 0xe8, 0x79, 0x77, 0x79, 0x40, 0xc7, 0x8c, 0x73, 0xfe, 0x6f, 0x2b, 0xee, 0x6c, 0x03, 0x52};  // -121665/121666
inline constexpr std::uint8_t ed_d2_bytes[32] = {0x59, 0xf1, 0xb2, 0x26, 0x94, 0x9b, 0xd6, 0xeb, 0x56, 0xb1, 0x83,
                                                 0x82, 0x9a, 0x14, 0xe0, 0x00, 0x30, 0xd1, 0xf3, 0xee, 0xf2, 0x80,
                                                 0x8e, 0x19, 0xe7, 0xfc, 0xdf, 0x56, 0xdc, 0xd9, 0x06, 0x24};  // 2d
inline constexpr std::uint8_t ed_sqrtm1_bytes[32] = {
    0xb0, 0xa0, 0x0e, 0x4a, 0x27, 0x1b, 0xee, 0xc4, 0x78, 0xe4, 0x2f, 0xad, 0x06, 0x18, 0x43, 0x2f,
    0xa7, 0xd7, 0xfb, 0x3d, 0x99, 0x00, 0x4d, 0x2b, 0x0b, 0xdf, 0xc1, 0x4f, 0x80, 0x24, 0x83, 0x2b};  // 2^((p-1)/4)
inline constexpr std::uint8_t ed_base_x_bytes[32] = {0x1a, 0xd5, 0x25, 0x8f, 0x60, 0x2d, 0x56, 0xc9, 0xb2, 0xa7, 0x25,
                                                     0x95, 0x60, 0xc7, 0x2c, 0x69, 0x5c, 0xdc, 0xd6, 0xfd, 0x31, 0xe2,
                                                     0xa4, 0xc0, 0xfe, 0x53, 0x6e, 0xcd, 0xd3, 0x36, 0x69, 0x21};
inline constexpr std::uint8_t ed_base_y_bytes[32] = {
    0x58, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
    0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66};  // 4/5
/// The group order L = 2^252 + c.
inline constexpr std::uint8_t ed_l_bytes[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                                                0xa2, 0xde, 0xf9, 0xde, 0x14, 0,    0,    0,    0,    0,    0,
                                                0,    0,    0,    0,    0,    0,    0,    0,    0,    0x10};

template <class F>
struct ed_constants {
  static constexpr F d = F::from_bytes(ed_d_bytes);
  static constexpr F d2 = F::from_bytes(ed_d2_bytes);
  static constexpr F sqrtm1 = F::from_bytes(ed_sqrtm1_bytes);
};

// ---------------------------------------------------------------------------
// Scalars modulo L, as 32 little-endian bytes. Constant time.
//
// Arithmetic runs on signed limbs of radix 2^21 in int64 (products of two
// limbs fit with room for sums). 2^252 is limb 12's weight, and 2^252 = -c
// (mod L) with c = L - 2^252 < 2^125 (six limbs): a limb at position
// i >= 12 folds down as -c times it at position i - 12.

inline constexpr int sc_radix = 21;
inline constexpr std::int64_t sc_mask = (std::int64_t{1} << sc_radix) - 1;

/// Limb i (bits 21i..21i+20) of the n-byte little-endian number s.
constexpr std::int64_t sc_limb(const std::uint8_t* s, std::size_t n, int i) noexcept {
  const std::size_t bit = static_cast<std::size_t>(sc_radix * i), byte = bit / 8;
  std::uint32_t v = 0;
  for (std::size_t k = 0; k < 4 && byte + k < n; ++k) v |= std::uint32_t{s[byte + k]} << (8 * k);
  return static_cast<std::int64_t>(v >> (bit % 8)) & sc_mask;
}

/// c = L - 2^252 in limbs (the low 16 bytes of L).
struct sc_c_limbs {
  std::int64_t v[6];
  constexpr sc_c_limbs() noexcept : v{} {
    for (int i = 0; i < 6; ++i) v[i] = sc_limb(ed_l_bytes, 16, i);
  }
};
inline constexpr sc_c_limbs sc_c{};

/// out = in (64 bytes, e.g. a SHA-512 digest) mod L.
VITTE_DECL void sc_reduce64(std::uint8_t* out, const std::uint8_t* in) noexcept;

/// out = (a * b + c) mod L, each 32 bytes below 2^256 (a * b + c < 2^512).
VITTE_DECL void sc_muladd(std::uint8_t* out, const std::uint8_t* a, const std::uint8_t* b,
                          const std::uint8_t* c) noexcept;

/// True when s < L (the canonical range of a signature's S). Not secret.
VITTE_DECL bool sc_is_canonical(const std::uint8_t* s) noexcept;

// ---------------------------------------------------------------------------
// Points.

template <class F>
struct ge_p3 {  // extended coordinates
  F X, Y, Z, T;
};
template <class F>
struct ge_cached {  // a point prepared as the second operand of an addition
  F ypx, ymx, z2, t2d;
};
template <class F>
struct ge_niels {  // the same for Z = 1 (precomputed tables)
  F ypx, ymx, t2d;
};

template <class F>
constexpr ge_p3<F> ge_identity() noexcept {
  return {F{}, F::from_int(1), F::from_int(1), F{}};
}

template <class F>
constexpr ge_p3<F> ge_double(const ge_p3<F>& p) noexcept {
  const F a = F::sq(p.X), b = F::sq(p.Y);
  const F z2 = F::sq(p.Z);
  const F c = F::add(z2, z2);
  const F h = F::add(a, b);                        // A + B   (H = -(this))
  const F e = F::sub(h, F::sq(F::add(p.X, p.Y)));  // -(E)
  const F g = F::sub(a, b);                        // -(G) = A - B
  const F f = F::add(c, g);                        // -(F) = C - G with G = B - A
  // With a = -1: X3 = E F, Y3 = G H, T3 = E H, Z3 = F G; signs cancel pairwise.
  return {F::mul(e, f), F::mul(g, h), F::mul(f, g), F::mul(e, h)};
}

template <class F>
constexpr ge_cached<F> ge_to_cached(const ge_p3<F>& p) noexcept {
  return {F::add(p.Y, p.X), F::sub(p.Y, p.X), F::add(p.Z, p.Z), F::mul(p.T, ed_constants<F>::d2)};
}

/// p + q (negate: p - q).
template <class F>
constexpr ge_p3<F> ge_add(const ge_p3<F>& p, const ge_cached<F>& q, bool negate = false) noexcept {
  const F a = F::mul(F::sub(p.Y, p.X), negate ? q.ypx : q.ymx);
  const F b = F::mul(F::add(p.Y, p.X), negate ? q.ymx : q.ypx);
  const F c = negate ? F::neg(F::mul(p.T, q.t2d)) : F::mul(p.T, q.t2d);
  const F d = F::mul(p.Z, q.z2);
  const F e = F::sub(b, a), f = F::sub(d, c), g = F::add(d, c), h = F::add(b, a);
  return {F::mul(e, f), F::mul(g, h), F::mul(f, g), F::mul(e, h)};
}

template <class F>
constexpr ge_p3<F> ge_madd(const ge_p3<F>& p, const ge_niels<F>& q, bool negate = false) noexcept {
  const F a = F::mul(F::sub(p.Y, p.X), negate ? q.ypx : q.ymx);
  const F b = F::mul(F::add(p.Y, p.X), negate ? q.ymx : q.ypx);
  const F c = negate ? F::neg(F::mul(p.T, q.t2d)) : F::mul(p.T, q.t2d);
  const F d = F::add(p.Z, p.Z);
  const F e = F::sub(b, a), f = F::sub(d, c), g = F::add(d, c), h = F::add(b, a);
  return {F::mul(e, f), F::mul(g, h), F::mul(f, g), F::mul(e, h)};
}

template <class F>
constexpr ge_niels<F> ge_to_niels(const ge_p3<F>& p) noexcept {
  const F zi = fe_invert(p.Z);
  const F x = F::mul(p.X, zi), y = F::mul(p.Y, zi);
  return {F::add(y, x), F::sub(y, x), F::mul(F::mul(x, y), ed_constants<F>::d2)};
}

/// The 32-byte encoding: y, with the low bit of x in bit 255.
template <class F>
constexpr void ge_encode(std::uint8_t* out, const ge_p3<F>& p) noexcept {
  const F zi = fe_invert(p.Z);
  const F x = F::mul(p.X, zi), y = F::mul(p.Y, zi);
  F::to_bytes(out, y);
  out[31] = static_cast<std::uint8_t>(out[31] | (fe_is_negative(x) << 7));
}

/// Why an encoding is not a point.
enum class ge_decode_status : std::uint8_t { ok, non_canonical, not_on_curve };

/// Strict decoding (RFC 8032 5.1.3): y must be below p, x must exist, and
/// x = 0 with the sign bit set is refused. Variable time (public inputs).
template <class F>
constexpr ge_decode_status ge_decode(ge_p3<F>& out, const std::uint8_t* s) noexcept {
  // y >= p: the low 255 bits are p..2^255-1, i.e. ff..ff7f above a low byte >= 0xed.
  bool all_ones = (s[31] & 0x7f) == 0x7f;
  for (int i = 1; i < 31 && all_ones; ++i) all_ones = s[i] == 0xff;
  if (all_ones && s[0] >= 0xed) return ge_decode_status::non_canonical;
  const F one = F::from_int(1);
  const F y = F::from_bytes(s);
  const F y2 = F::sq(y);
  const F u = F::sub(y2, one);
  const F v = F::add(F::mul(y2, ed_constants<F>::d), one);
  const F v3 = F::mul(F::sq(v), v);
  const F v7 = F::mul(F::sq(v3), v);
  F x = F::mul(F::mul(u, v3), fe_pow22523(F::mul(u, v7)));
  const F vx2 = F::mul(v, F::sq(x));
  if (!fe_equal(vx2, u)) {
    if (!fe_equal(vx2, F::neg(u))) return ge_decode_status::not_on_curve;
    x = F::mul(x, ed_constants<F>::sqrtm1);
  }
  const std::uint32_t sign = s[31] >> 7;
  if (fe_is_zero(x) && sign) return ge_decode_status::non_canonical;
  if (fe_is_negative(x) != sign) x = F::neg(x);
  out = {x, y, one, F::mul(x, y)};
  return ge_decode_status::ok;
}

/// True when 8p is the identity (p is one of the 8 points of small order).
template <class F>
constexpr bool ge_has_small_order(const ge_p3<F>& p) noexcept {
  const ge_p3<F> q = ge_double(ge_double(ge_double(p)));
  return fe_is_zero(q.X) != 0;  // X = 0 is the identity or (0, -1), of order 2, which 8q cannot be
}

// ---------------------------------------------------------------------------
// Tables of multiples of the base point B, built once on first use.

template <class F>
constexpr ge_p3<F> ge_base() noexcept {
  const F x = F::from_bytes(ed_base_x_bytes), y = F::from_bytes(ed_base_y_bytes);
  return {x, y, F::from_int(1), F::mul(x, y)};
}

/// comb[i][j] = (j + 1) * 256^i * B: signing's fixed-base multiplication.
template <class F>
struct ed_comb_table {
  ge_niels<F> comb[32][8];
  ed_comb_table() noexcept {
    ge_p3<F> row = ge_base<F>();
    for (auto& entries : comb) {
      const ge_cached<F> step = ge_to_cached(row);
      ge_p3<F> q = row;
      for (int j = 0; j < 8; ++j) {
        entries[j] = ge_to_niels(q);
        q = ge_add(q, step);
      }
      for (int k = 0; k < 8; ++k) row = ge_double(row);
    }
  }
  static const ed_comb_table& get() noexcept {
    static const ed_comb_table table;
    return table;
  }
};

/// odd[i] = (2i + 1) * B: verification's width-7 sliding window.
template <class F>
struct ed_odd_table {
  ge_niels<F> odd[32];
  ed_odd_table() noexcept {
    const ge_p3<F> b = ge_base<F>();
    const ge_cached<F> b2 = ge_to_cached(ge_double(b));
    ge_p3<F> q = b;
    for (auto& e : odd) {
      e = ge_to_niels(q);
      q = ge_add(q, b2);
    }
  }
  static const ed_odd_table& get() noexcept {
    static const ed_odd_table table;
    return table;
  }
};

// ---------------------------------------------------------------------------
// Scalar multiplication.

/// a * B for a secret 32-byte scalar a < 2^255. Constant time: every table
/// entry of a row is read and selected with masks; no branch depends on a.
template <class F>
ge_p3<F> ge_scalarmult_base(const std::uint8_t* a) noexcept {
  // Signed radix 16: a = sum e[i] 16^i with -8 <= e[i] <= 8.
  std::int8_t e[64];
  for (int i = 0; i < 32; ++i) {
    e[2 * i] = static_cast<std::int8_t>(a[i] & 15);
    e[2 * i + 1] = static_cast<std::int8_t>(a[i] >> 4);
  }
  std::int8_t carry = 0;
  for (int i = 0; i < 63; ++i) {
    e[i] = static_cast<std::int8_t>(e[i] + carry);
    carry = static_cast<std::int8_t>((e[i] + 8) >> 4);
    e[i] = static_cast<std::int8_t>(e[i] - carry * 16);
  }
  e[63] = static_cast<std::int8_t>(e[63] + carry);

  const ed_comb_table<F>& table = ed_comb_table<F>::get();
  const auto select = [&table](int row, std::int8_t digit) {
    const std::uint32_t negative = static_cast<std::uint8_t>(digit) >> 7;
    const std::uint32_t magnitude = static_cast<std::uint32_t>(digit - ((-static_cast<int>(negative) & digit) * 2));
    // OR of every entry masked by (entry == magnitude): exactly one is taken,
    // the identity when magnitude is 0. Every entry is read, as whole
    // words, so the compiler vectorizes the scan.
    const std::uint32_t zero = (magnitude - 1) >> 31;
    ge_niels<F> t{F::from_int(zero), F::from_int(zero), F{}};
    constexpr std::size_t words = sizeof(ge_niels<F>) / sizeof(std::uint64_t);
    static_assert(sizeof(ge_niels<F>) % sizeof(std::uint64_t) == 0, "entries are whole 64-bit words");
    std::uint64_t acc[words];
    std::memcpy(acc, &t, sizeof t);
    for (std::uint32_t j = 0; j < 8; ++j) {
      const std::uint64_t hit = 0 - static_cast<std::uint64_t>(((magnitude ^ (j + 1)) - 1) >> 31);
      std::uint64_t entry[words];
      std::memcpy(entry, &table.comb[row][j], sizeof entry);
      for (std::size_t k = 0; k < words; ++k) acc[k] |= hit & entry[k];
    }
    std::memcpy(&t, acc, sizeof t);
    const ge_niels<F> n{t.ymx, t.ypx, F::neg(t.t2d)};
    F::cmov(t.ypx, n.ypx, negative);
    F::cmov(t.ymx, n.ymx, negative);
    F::cmov(t.t2d, n.t2d, negative);
    return t;
  };
  ge_p3<F> h = ge_identity<F>();
  for (int i = 1; i < 64; i += 2) h = ge_madd(h, select(i / 2, e[i]));
  for (int k = 0; k < 4; ++k) h = ge_double(h);
  for (int i = 0; i < 64; i += 2) h = ge_madd(h, select(i / 2, e[i]));
  return h;
}

/// Width-w non-adjacent form of a public scalar s < 2^253: digits odd, at
/// most 2^(w-1) - 1 in magnitude, at least w - 1 zeros between nonzero ones.
VITTE_DECL void sc_wnaf(std::int8_t* out, std::size_t n, const std::uint8_t* s, int w) noexcept;

/// s * B - h * A for public scalars s, h below 2^253. Variable time.
template <class F>
ge_p3<F> ge_double_scalarmult_vartime(const std::uint8_t* s, const ge_p3<F>& a, const std::uint8_t* h) noexcept {
  constexpr std::size_t n = 264;
  std::int8_t sn[n], hn[n];
  sc_wnaf(sn, n, s, 7);
  sc_wnaf(hn, n, h, 5);
  ge_cached<F> a_odd[8];  // (2i + 1) * A
  a_odd[0] = ge_to_cached(a);
  const ge_cached<F> a2 = ge_to_cached(ge_double(a));
  ge_p3<F> q = a;
  for (int i = 1; i < 8; ++i) {
    q = ge_add(q, a2);
    a_odd[i] = ge_to_cached(q);
  }
  const ed_odd_table<F>& b_odd = ed_odd_table<F>::get();
  std::size_t top = n;
  while (top > 0 && sn[top - 1] == 0 && hn[top - 1] == 0) --top;
  ge_p3<F> r = ge_identity<F>();
  for (std::size_t i = top; i-- > 0;) {
    r = ge_double(r);
    if (sn[i] > 0) r = ge_madd(r, b_odd.odd[sn[i] / 2]);
    if (sn[i] < 0) r = ge_madd(r, b_odd.odd[-sn[i] / 2], true);
    if (hn[i] > 0) r = ge_add(r, a_odd[hn[i] / 2], true);  // subtracts h * A
    if (hn[i] < 0) r = ge_add(r, a_odd[-hn[i] / 2]);
  }
  return r;
}

}  // namespace vitte::crypto::detail

#if VITTE_HEADER_ONLY
#include <vitte/crypto/detail/ed25519_impl.ipp>
#endif

#endif  // VITTE_CRYPTO_DETAIL_ED25519_IMPL_HPP
