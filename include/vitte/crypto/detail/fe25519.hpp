// vitte/crypto/detail/fe25519.hpp - arithmetic modulo p = 2^255 - 19.
//
// Two representations with the same interface (static member functions of
// the element type), so the curve code is written once as templates and the
// tests can check one against the other:
//   fe51: five 51-bit limbs in uint64, products in unsigned __int128 (64-bit
//         compilers);
//   fe16: sixteen 16-bit limbs in int64 (every compiler, 32-bit targets and
//         Cortex-M included).
// fe_default is fe51 where __int128 exists. Every function runs in constant
// time: no branch and no memory index depends on the values.
#ifndef VITTE_CRYPTO_DETAIL_FE25519_HPP
#define VITTE_CRYPTO_DETAIL_FE25519_HPP

#include <vitte/base/detail/endian.hpp>  // load_le

#include <cstdint>

// Field multiplications are inlined into the point formulas, so that the
// independent products of one formula overlap.
#if defined(__GNUC__) || defined(__clang__)
#define VITTE_CRYPTO_INLINE __attribute__((always_inline))
#else
#define VITTE_CRYPTO_INLINE
#endif

namespace vitte::crypto::detail {

#if defined(__SIZEOF_INT128__)
__extension__ typedef unsigned __int128 fe_u128;

/// Radix 2^51. Limbs stay below 2^52 between operations (weakly reduced).
struct fe51 {
  std::uint64_t v[5];

  static constexpr std::uint64_t mask = (std::uint64_t{1} << 51) - 1;

  static constexpr fe51 from_int(std::uint64_t n) noexcept { return {{n, 0, 0, 0, 0}}; }

  static constexpr fe51 carry(fe51 a) noexcept {
    for (int i = 0; i < 4; ++i) {
      a.v[i + 1] += a.v[i] >> 51;
      a.v[i] &= mask;
    }
    a.v[0] += 19 * (a.v[4] >> 51);
    a.v[4] &= mask;
    a.v[1] += a.v[0] >> 51;
    a.v[0] &= mask;
    return a;
  }
  /// One carry step on every limb at once (short dependency chains): limbs
  /// below 2^64 come out below 2^51 + 2^18.
  static constexpr fe51 weak(const fe51& a) noexcept {
    return {{(a.v[0] & mask) + 19 * (a.v[4] >> 51), (a.v[1] & mask) + (a.v[0] >> 51), (a.v[2] & mask) + (a.v[1] >> 51),
             (a.v[3] & mask) + (a.v[2] >> 51), (a.v[4] & mask) + (a.v[3] >> 51)}};
  }
  static constexpr fe51 add(const fe51& a, const fe51& b) noexcept {
    return weak({{a.v[0] + b.v[0], a.v[1] + b.v[1], a.v[2] + b.v[2], a.v[3] + b.v[3], a.v[4] + b.v[4]}});
  }
  /// a - b + 4p, so limbs never go negative (every element's limbs are
  /// below 2^52: outputs of weak, mul, sq and from_bytes).
  static constexpr fe51 sub(const fe51& a, const fe51& b) noexcept {
    constexpr std::uint64_t p4_0 = 0x1FFFFFFFFFFFB4u, p4 = 0x1FFFFFFFFFFFFCu;
    return weak({{a.v[0] + p4_0 - b.v[0], a.v[1] + p4 - b.v[1], a.v[2] + p4 - b.v[2], a.v[3] + p4 - b.v[3],
                  a.v[4] + p4 - b.v[4]}});
  }
  static constexpr fe51 neg(const fe51& a) noexcept { return sub(fe51{}, a); }

  VITTE_CRYPTO_INLINE static constexpr fe51 mul(const fe51& a, const fe51& b) noexcept {
    const std::uint64_t b1 = 19 * b.v[1], b2 = 19 * b.v[2], b3 = 19 * b.v[3], b4 = 19 * b.v[4];
    const auto m = [](std::uint64_t x, std::uint64_t y) { return static_cast<fe_u128>(x) * y; };
    fe_u128 r0 = m(a.v[0], b.v[0]) + m(a.v[1], b4) + m(a.v[2], b3) + m(a.v[3], b2) + m(a.v[4], b1);
    fe_u128 r1 = m(a.v[0], b.v[1]) + m(a.v[1], b.v[0]) + m(a.v[2], b4) + m(a.v[3], b3) + m(a.v[4], b2);
    fe_u128 r2 = m(a.v[0], b.v[2]) + m(a.v[1], b.v[1]) + m(a.v[2], b.v[0]) + m(a.v[3], b4) + m(a.v[4], b3);
    fe_u128 r3 = m(a.v[0], b.v[3]) + m(a.v[1], b.v[2]) + m(a.v[2], b.v[1]) + m(a.v[3], b.v[0]) + m(a.v[4], b4);
    fe_u128 r4 = m(a.v[0], b.v[4]) + m(a.v[1], b.v[3]) + m(a.v[2], b.v[2]) + m(a.v[3], b.v[1]) + m(a.v[4], b.v[0]);
    return reduce(r0, r1, r2, r3, r4);
  }
  VITTE_CRYPTO_INLINE static constexpr fe51 sq(const fe51& a) noexcept {
    const std::uint64_t d0 = 2 * a.v[0], d1 = 2 * a.v[1], d3_19 = 2 * 19 * a.v[3];
    const std::uint64_t a3_19 = 19 * a.v[3], a4_19 = 19 * a.v[4];
    const auto m = [](std::uint64_t x, std::uint64_t y) { return static_cast<fe_u128>(x) * y; };
    fe_u128 r0 = m(a.v[0], a.v[0]) + m(d1, a4_19) + m(2 * a.v[2], a3_19);
    fe_u128 r1 = m(d0, a.v[1]) + m(2 * a.v[2], a4_19) + m(a.v[3], a3_19);
    fe_u128 r2 = m(d0, a.v[2]) + m(a.v[1], a.v[1]) + m(d3_19, a.v[4]);
    fe_u128 r3 = m(d0, a.v[3]) + m(d1, a.v[2]) + m(a.v[4], a4_19);
    fe_u128 r4 = m(d0, a.v[4]) + m(d1, a.v[3]) + m(a.v[2], a.v[2]);
    return reduce(r0, r1, r2, r3, r4);
  }

  /// a = b when flag is 1, unchanged when 0.
  static constexpr void cmov(fe51& a, const fe51& b, std::uint32_t flag) noexcept {
    const std::uint64_t m = 0 - static_cast<std::uint64_t>(flag);
    for (int i = 0; i < 5; ++i) a.v[i] ^= m & (a.v[i] ^ b.v[i]);
  }

  /// acc |= x when flag is 1 (table scans: exactly one entry is taken).
  static constexpr void or_if(fe51& acc, const fe51& x, std::uint32_t flag) noexcept {
    const std::uint64_t m = 0 - static_cast<std::uint64_t>(flag);
    for (int i = 0; i < 5; ++i) acc.v[i] |= m & x.v[i];
  }

  /// The canonical encoding (value mod p, little endian, bit 255 clear).
  static constexpr void to_bytes(std::uint8_t* out, const fe51& a) noexcept {
    fe51 t = carry(carry(a));
    for (int i = 0; i < 4; ++i) {  // limbs below 2^51, the top one at most 2^51: below 2p
      t.v[i + 1] += t.v[i] >> 51;
      t.v[i] &= mask;
    }
    // t >= p exactly when t + 19 carries out of bit 255.
    std::uint64_t q = (t.v[0] + 19) >> 51;
    for (int i = 1; i < 5; ++i) q = (t.v[i] + q) >> 51;
    t.v[0] += 19 * q;
    for (int i = 0; i < 4; ++i) {
      t.v[i + 1] += t.v[i] >> 51;
      t.v[i] &= mask;
    }
    t.v[4] &= mask;
    const std::uint64_t w0 = t.v[0] | (t.v[1] << 51), w1 = (t.v[1] >> 13) | (t.v[2] << 38);
    const std::uint64_t w2 = (t.v[2] >> 26) | (t.v[3] << 25), w3 = (t.v[3] >> 39) | (t.v[4] << 12);
    const std::uint64_t w[4] = {w0, w1, w2, w3};
    for (int i = 0; i < 32; ++i) out[i] = static_cast<std::uint8_t>(w[i / 8] >> (8 * (i % 8)));
  }
  /// Reads 255 bits (bit 255 ignored); values p..2^255-1 are accepted here,
  /// callers that need canonical input check it on the bytes.
  static constexpr fe51 from_bytes(const std::uint8_t* s) noexcept {
    const std::uint64_t w0 = ::vitte::detail::load_le<std::uint64_t>(s),
                        w1 = ::vitte::detail::load_le<std::uint64_t>(s + 8),
                        w2 = ::vitte::detail::load_le<std::uint64_t>(s + 16),
                        w3 = ::vitte::detail::load_le<std::uint64_t>(s + 24);
    return {{w0 & mask, ((w0 >> 51) | (w1 << 13)) & mask, ((w1 >> 38) | (w2 << 26)) & mask,
             ((w2 >> 25) | (w3 << 39)) & mask, (w3 >> 12) & mask}};
  }

 private:
  static constexpr fe51 reduce(fe_u128 r0, fe_u128 r1, fe_u128 r2, fe_u128 r3, fe_u128 r4) noexcept {
    r1 += static_cast<std::uint64_t>(r0 >> 51);
    r2 += static_cast<std::uint64_t>(r1 >> 51);
    r3 += static_cast<std::uint64_t>(r2 >> 51);
    r4 += static_cast<std::uint64_t>(r3 >> 51);
    fe51 out{{static_cast<std::uint64_t>(r0) & mask, static_cast<std::uint64_t>(r1) & mask,
              static_cast<std::uint64_t>(r2) & mask, static_cast<std::uint64_t>(r3) & mask,
              static_cast<std::uint64_t>(r4) & mask}};
    out.v[0] += 19 * static_cast<std::uint64_t>(r4 >> 51);
    out.v[1] += out.v[0] >> 51;
    out.v[0] &= mask;
    return out;
  }
};
#endif

/// Radix 2^16 in signed 64-bit limbs: slower, but needs only 32x32->64
/// multiplies. Limbs may be negative or exceed 16 bits between operations;
/// mul and sq carry them back.
struct fe16 {
  std::int64_t v[16];

  static constexpr fe16 from_int(std::int64_t n) noexcept {
    fe16 r{};
    r.v[0] = n;
    return r;
  }
  static constexpr fe16 carry(fe16 a) noexcept {
    for (int i = 0; i < 16; ++i) {
      const std::int64_t c = a.v[i] >> 16;  // arithmetic shift (C++20)
      a.v[i] -= c * 65536;
      if (i < 15)
        a.v[i + 1] += c;
      else
        a.v[0] += 38 * c;  // 2^256 = 38 (mod p)
    }
    return a;
  }
  static constexpr fe16 add(const fe16& a, const fe16& b) noexcept {
    fe16 r{};
    for (int i = 0; i < 16; ++i) r.v[i] = a.v[i] + b.v[i];
    return r;
  }
  static constexpr fe16 sub(const fe16& a, const fe16& b) noexcept {
    fe16 r{};
    for (int i = 0; i < 16; ++i) r.v[i] = a.v[i] - b.v[i];
    return r;
  }
  static constexpr fe16 neg(const fe16& a) noexcept { return sub(fe16{}, a); }
  static constexpr fe16 mul(const fe16& a, const fe16& b) noexcept {
    std::int64_t t[31] = {};
    for (int i = 0; i < 16; ++i)
      for (int j = 0; j < 16; ++j) t[i + j] += a.v[i] * b.v[j];
    fe16 r{};
    for (int i = 0; i < 15; ++i) t[i] += 38 * t[i + 16];
    for (int i = 0; i < 16; ++i) r.v[i] = t[i];
    return carry(carry(r));
  }
  static constexpr fe16 sq(const fe16& a) noexcept { return mul(a, a); }
  static constexpr void cmov(fe16& a, const fe16& b, std::uint32_t flag) noexcept {
    const std::int64_t m = -static_cast<std::int64_t>(flag);
    for (int i = 0; i < 16; ++i) a.v[i] ^= m & (a.v[i] ^ b.v[i]);
  }
  static constexpr void or_if(fe16& acc, const fe16& x, std::uint32_t flag) noexcept {
    const std::int64_t m = -static_cast<std::int64_t>(flag);
    for (int i = 0; i < 16; ++i) acc.v[i] |= m & x.v[i];
  }
  static constexpr void to_bytes(std::uint8_t* out, const fe16& a) noexcept {
    fe16 t = carry(carry(carry(a)));  // limbs in [0, 2^16): value below 2^256 = 2p + 38
    for (int round = 0; round < 2; ++round) {
      // m = t - p; keep it when it does not borrow.
      fe16 m{};
      m.v[0] = t.v[0] - 0xffed;
      for (int i = 1; i < 16; ++i) {
        m.v[i] = t.v[i] - (i == 15 ? 0x7fff : 0xffff) - ((m.v[i - 1] >> 16) & 1);
        m.v[i - 1] &= 0xffff;
      }
      const std::uint32_t borrow = static_cast<std::uint32_t>((m.v[15] >> 16) & 1);
      m.v[15] &= 0xffff;
      cmov(t, m, 1 - borrow);
    }
    for (int i = 0; i < 16; ++i) ::vitte::detail::store_le(out + 2 * i, static_cast<std::uint16_t>(t.v[i]));
  }
  static constexpr fe16 from_bytes(const std::uint8_t* s) noexcept {
    fe16 r{};
    for (int i = 0; i < 16; ++i) r.v[i] = ::vitte::detail::load_le<std::uint16_t>(s + 2 * i);
    r.v[15] &= 0x7fff;
    return r;
  }
};

#if defined(__SIZEOF_INT128__)
using fe_default = fe51;
#else
using fe_default = fe16;
#endif

// Operations every representation shares, written on the interface above.

template <class F>
constexpr F fe_sqn(F a, int n) noexcept {
  for (int i = 0; i < n; ++i) a = F::sq(a);
  return a;
}

/// a^(2^250 - 1), and a^11 in `a11`: the common prefix of invert and pow22523.
template <class F>
constexpr F fe_pow2250(const F& a, F& a11) noexcept {
  const F a2 = F::sq(a);
  const F a9 = F::mul(fe_sqn(a2, 2), a);
  a11 = F::mul(a9, a2);
  const F e5 = F::mul(F::sq(a11), a9);             // 2^5 - 1
  const F e10 = F::mul(fe_sqn(e5, 5), e5);         // 2^10 - 1
  const F e20 = F::mul(fe_sqn(e10, 10), e10);      // 2^20 - 1
  const F e40 = F::mul(fe_sqn(e20, 20), e20);      // 2^40 - 1
  const F e50 = F::mul(fe_sqn(e40, 10), e10);      // 2^50 - 1
  const F e100 = F::mul(fe_sqn(e50, 50), e50);     // 2^100 - 1
  const F e200 = F::mul(fe_sqn(e100, 100), e100);  // 2^200 - 1
  return F::mul(fe_sqn(e200, 50), e50);            // 2^250 - 1
}

/// 1/a = a^(p-2) = a^(2^255 - 21); 0 for 0.
template <class F>
constexpr F fe_invert(const F& a) noexcept {
  F a11{};
  const F e250 = fe_pow2250(a, a11);
  return F::mul(fe_sqn(e250, 5), a11);
}

/// a^((p-5)/8) = a^(2^252 - 3), for square roots.
template <class F>
constexpr F fe_pow22523(const F& a) noexcept {
  F a11{};
  const F e250 = fe_pow2250(a, a11);
  return F::mul(fe_sqn(e250, 2), a);
}

/// 1 when a = 0 (mod p).
template <class F>
constexpr std::uint32_t fe_is_zero(const F& a) noexcept {
  std::uint8_t s[32] = {};
  F::to_bytes(s, a);
  std::uint32_t acc = 0;
  for (std::uint8_t b : s) acc |= b;
  return (acc - 1) >> 31;
}

/// 1 when a = b (mod p).
template <class F>
constexpr std::uint32_t fe_equal(const F& a, const F& b) noexcept {
  return fe_is_zero(F::sub(a, b));
}

/// The low bit of the canonical value: the "sign" of x in point encodings.
template <class F>
constexpr std::uint32_t fe_is_negative(const F& a) noexcept {
  std::uint8_t s[32] = {};
  F::to_bytes(s, a);
  return s[0] & 1u;
}

}  // namespace vitte::crypto::detail

#endif  // VITTE_CRYPTO_DETAIL_FE25519_HPP
