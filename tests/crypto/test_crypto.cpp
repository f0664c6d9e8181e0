// SHA-256, SHA-512 and Ed25519: the FIPS 180-4 and RFC 8032 vectors, the
// accelerated paths against the portable ones, both field representations
// against each other, strict verification, and the OS random source.
#include <vitte/crypto/ed25519.hpp>
#include <vitte/crypto/keygen.hpp>
#include <vitte/crypto/sha256.hpp>
#include <vitte/crypto/sha512.hpp>
#include <vitte/sys/policy/fault.hpp>
#include <vitte/sys/random.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/test/unit_test.hpp>

namespace crypto = vitte::crypto;
namespace ed = vitte::crypto::ed25519;
namespace sys = vitte::sys;

namespace {

std::vector<std::uint8_t> unhex(std::string_view h) {
  std::vector<std::uint8_t> out;
  const auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  for (std::size_t i = 0; i + 1 < h.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(nibble(h[i]) * 16 + nibble(h[i + 1])));
  return out;
}

template <std::size_t N>
std::array<std::uint8_t, N> unhex_array(std::string_view h) {
  std::array<std::uint8_t, N> a{};
  const std::vector<std::uint8_t> v = unhex(h);
  BOOST_REQUIRE_EQUAL(v.size(), N);
  std::memcpy(a.data(), v.data(), N);
  return a;
}

template <class Digest>
std::string hex(const Digest& d) {
  std::string s;
  for (std::uint8_t b : d) {
    s += "0123456789abcdef"[b >> 4];
    s += "0123456789abcdef"[b & 15];
  }
  return s;
}

std::span<const std::byte> bytes_of(const std::vector<std::uint8_t>& v) { return std::as_bytes(std::span{v}); }

const std::string m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
const std::string m896 =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

std::vector<std::uint8_t> random_bytes(std::mt19937_64& rng, std::size_t n) {
  std::vector<std::uint8_t> v(n);
  for (auto& b : v) b = static_cast<std::uint8_t>(rng());
  return v;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sha2)

BOOST_AUTO_TEST_CASE(fips_180_4_sha256) {
  BOOST_TEST(hex(crypto::sha256::hash("", 0)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  BOOST_TEST(hex(crypto::sha256::hash("abc", 3)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_TEST(hex(crypto::sha256::hash(m448.data(), m448.size())) ==
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  BOOST_TEST(hex(crypto::sha256::hash(m896.data(), m896.size())) ==
             "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  const std::string million(1000000, 'a');
  BOOST_TEST(hex(crypto::sha256::hash(million.data(), million.size())) ==
             "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

BOOST_AUTO_TEST_CASE(fips_180_4_sha512) {
  BOOST_TEST(
      hex(crypto::sha512::hash("", 0)) ==
      "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd4741"
      "7a81a538327af927da3e");
  BOOST_TEST(
      hex(crypto::sha512::hash("abc", 3)) ==
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643c"
      "e80e2a9ac94fa54ca49f");
  BOOST_TEST(
      hex(crypto::sha512::hash(m448.data(), m448.size())) ==
      "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c33596fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71d"
      "d70354ec631238ca3445");
  BOOST_TEST(
      hex(crypto::sha512::hash(m896.data(), m896.size())) ==
      "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd"
      "26545e96e55b874be909");
  const std::string million(1000000, 'a');
  BOOST_TEST(
      hex(crypto::sha512::hash(million.data(), million.size())) ==
      "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49"
      "aa2e4eadb217ad8cc09b");
}

BOOST_AUTO_TEST_CASE(incremental_equals_one_shot_on_random_splits) {
  std::mt19937_64 rng(42);
  for (int round = 0; round < 200; ++round) {
    const std::vector<std::uint8_t> msg = random_bytes(rng, rng() % 1000);
    crypto::sha256 h256;
    crypto::sha512 h512;
    std::size_t pos = 0;
    while (pos < msg.size()) {
      const std::size_t n = std::min<std::size_t>(msg.size() - pos, rng() % 200);
      h256.update(msg.data() + pos, n);
      h512.update(msg.data() + pos, n);
      pos += n;
    }
    BOOST_TEST(h256.finish() == crypto::sha256::hash(msg.data(), msg.size()));
    BOOST_TEST(h512.finish() == crypto::sha512::hash(msg.data(), msg.size()));
  }
}

BOOST_AUTO_TEST_CASE(finish_resets) {
  crypto::sha256 h;
  h.update("xyz", 3);
  (void)h.finish();
  h.update("abc", 3);
  BOOST_TEST(hex(h.finish()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

BOOST_AUTO_TEST_CASE(cpu_instructions_match_portable_code) {
  if (!crypto::detail::sha256_accelerated()) {
    BOOST_TEST_MESSAGE("skipped: this CPU has neither SHA-NI nor the ARMv8 SHA2 instructions");
    return;
  }
  std::mt19937_64 rng(7);
  for (int round = 0; round < 100; ++round) {
    const std::size_t blocks = 1 + rng() % 40;
    const std::vector<std::uint8_t> data = random_bytes(rng, blocks * 64);
    std::uint32_t a[8], b[8];
    for (int i = 0; i < 8; ++i) a[i] = b[i] = static_cast<std::uint32_t>(rng());
    crypto::detail::sha256_blocks_portable(a, data.data(), blocks);
    crypto::detail::sha256_blocks(b, data.data(), blocks);
    BOOST_TEST(std::memcmp(a, b, sizeof a) == 0);
  }
}

namespace {

using sha512_blocks_fn = void (*)(std::uint64_t*, const std::uint8_t*, std::size_t) noexcept;

// SHA-512 with the given compression function and sha512's own buffering
// and padding, fed in random pieces.
crypto::sha512::digest_type sha512_pieces(sha512_blocks_fn blocks, const std::vector<std::uint8_t>& msg,
                                          std::mt19937_64& rng) {
  std::uint64_t state[8];
  std::memcpy(state, crypto::detail::sha512_iv, sizeof state);
  std::uint64_t length = 0;
  std::uint8_t buffer[crypto::sha512::block_size] = {};
  const auto compress = [&](const std::uint8_t* p, std::size_t n) { blocks(state, p, n); };
  std::size_t pos = 0;
  while (pos < msg.size()) {
    const std::size_t n = std::min<std::size_t>(msg.size() - pos, rng() % 700);
    crypto::detail::md_update<crypto::sha512::block_size>(buffer, length, msg.data() + pos, n, compress);
    pos += n;
  }
  crypto::detail::md_finish<crypto::sha512::block_size, 16>(buffer, length, compress);
  crypto::sha512::digest_type out;
  for (int i = 0; i < 8; ++i) vitte::detail::store_be<std::uint64_t>(out.data() + 8 * i, state[i]);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(sha512_every_implementation_agrees) {
  struct implementation {
    const char* name;
    sha512_blocks_fn blocks;
    bool available;
  };
  std::vector<implementation> impls{{"portable", crypto::detail::sha512_blocks_portable, true},
                                    {"dispatched", crypto::detail::sha512_blocks, true}};
#if VITTE_CRYPTO_HAS_X86_AVX2
  impls.push_back({"avx2", crypto::detail::sha512_blocks_avx2, vitte::detail::cpu().x86_avx2});
  impls.push_back({"avx512vl", crypto::detail::sha512_blocks_avx512, vitte::detail::cpu().x86_avx512vl});
#else
  BOOST_TEST_MESSAGE("sha512: no x86 AVX2 code on this target; portable code only");
#endif
  for (const implementation& impl : impls) {
    if (!impl.available) {
      BOOST_TEST_MESSAGE("sha512: skipped " << impl.name << ": this CPU lacks its instructions");
      continue;
    }
    BOOST_TEST_CONTEXT(impl.name) {
      std::mt19937_64 rng(99);
      BOOST_TEST(hex(sha512_pieces(impl.blocks, {'a', 'b', 'c'}, rng)) ==
                 "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4"
                 "423643ce80e2a9ac94fa54ca49f");
      for (int round = 0; round < 300; ++round) {
        const std::vector<std::uint8_t> msg = random_bytes(rng, rng() % 4097);
        std::mt19937_64 split(rng());
        const auto expected = sha512_pieces(crypto::detail::sha512_blocks_portable, msg, split);
        BOOST_TEST(sha512_pieces(impl.blocks, msg, split) == expected);
        BOOST_TEST(crypto::sha512::hash(msg.data(), msg.size()) == expected);
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(ed25519)

namespace {

struct rfc_vector {
  const char* name;
  const char* seed;
  const char* public_key;
  std::string message;  // hex
  const char* signature;
};

const std::string test_1024_message =
#include "data/rfc8032_test1024.inc"
    ;

const rfc_vector rfc8032[] = {
    {"TEST 1", "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24"
     "655141438e7a100b"},
    {"TEST 2", "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302a"
     "eeb00d291612bb0c00"},
    {"TEST 3", "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed2"
     "8dc027beceea1ec40a"},
    {"TEST 1024", "f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
     "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e", test_1024_message,
     "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30"
     "a6ac00a9704a188a03"},
    {"TEST SHA(abc)", "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
     "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e"
     "2a9ac94fa54ca49f",
     "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17a"
     "d9bef1177331a704"},
};

template <class F>
void check_rfc_vectors() {
  for (const rfc_vector& v : rfc8032) {
    BOOST_TEST_CONTEXT(v.name) {
      const auto seed = unhex_array<32>(v.seed);
      const std::vector<std::uint8_t> msg = unhex(v.message);
      const ed::key_pair kp = ed::detail::key_pair_from_seed<F>(seed);
      BOOST_TEST(hex(kp.public_key) == v.public_key);
      const ed::signature sig = ed::detail::sign<F>(kp, bytes_of(msg));
      BOOST_TEST(hex(sig) == v.signature);
      BOOST_TEST((ed::detail::verify<F>(kp.public_key, bytes_of(msg), sig) == ed::verify_status::ok));
    }
  }
}

// The signature with S replaced by S + L: the same value modulo L.
ed::signature with_s_plus_l(ed::signature sig) {
  unsigned carry = 0;
  for (int i = 0; i < 32; ++i) {
    carry += sig[32 + i] + crypto::detail::ed_l_bytes[i];
    sig[32 + i] = static_cast<std::uint8_t>(carry);
    carry >>= 8;
  }
  return sig;
}

// The canonical encoding (sign bit clear) of the point with the smallest y
// >= 2 that lies on the curve and is not of small order.
std::array<std::uint8_t, 32> small_y_point(unsigned& y_out) {
  for (unsigned y = 2; y < 19; ++y) {
    std::array<std::uint8_t, 32> enc{};
    enc[0] = static_cast<std::uint8_t>(y);
    crypto::detail::ge_p3<crypto::detail::fe_default> p{};
    if (crypto::detail::ge_decode(p, enc.data()) == crypto::detail::ge_decode_status::ok &&
        !crypto::detail::ge_has_small_order(p)) {
      y_out = y;
      return enc;
    }
  }
  BOOST_FAIL("no point with a small y");
  return {};
}

// y + p: the non-canonical encoding of the same y (y < 19).
std::array<std::uint8_t, 32> plus_p(std::array<std::uint8_t, 32> enc, unsigned y) {
  enc.fill(0xff);
  enc[0] = static_cast<std::uint8_t>(0xed + y);
  enc[31] = 0x7f;
  return enc;
}

}  // namespace

BOOST_AUTO_TEST_CASE(rfc8032_section_7_1) { check_rfc_vectors<crypto::detail::fe_default>(); }

BOOST_AUTO_TEST_CASE(rfc8032_section_7_1_with_16_bit_limbs) { check_rfc_vectors<crypto::detail::fe16>(); }

BOOST_AUTO_TEST_CASE(field_constants_satisfy_their_definitions) {
  using F = crypto::detail::fe_default;
  using C = crypto::detail::ed_constants<F>;
  // d * 121666 = -121665, sqrt(-1)^2 = -1, 2d = d + d, B on the curve.
  BOOST_TEST(crypto::detail::fe_equal(F::mul(C::d, F::from_int(121666)), F::neg(F::from_int(121665))));
  BOOST_TEST(crypto::detail::fe_equal(F::sq(C::sqrtm1), F::neg(F::from_int(1))));
  BOOST_TEST(crypto::detail::fe_equal(C::d2, F::add(C::d, C::d)));
  const auto b = crypto::detail::ge_base<F>();
  const F x2 = F::sq(b.X), y2 = F::sq(b.Y);
  BOOST_TEST(crypto::detail::fe_equal(F::sub(y2, x2), F::add(F::from_int(1), F::mul(C::d, F::mul(x2, y2)))));
}

BOOST_AUTO_TEST_CASE(field_representations_agree_on_random_keys) {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 20; ++round) {
    ed::seed seed{};
    for (auto& b : seed) b = static_cast<std::uint8_t>(rng());
    const std::vector<std::uint8_t> msg = random_bytes(rng, rng() % 300);
    const ed::key_pair a = ed::detail::key_pair_from_seed<crypto::detail::fe_default>(seed);
    const ed::key_pair b = ed::detail::key_pair_from_seed<crypto::detail::fe16>(seed);
    BOOST_TEST(a.public_key == b.public_key);
    const ed::signature sa = ed::detail::sign<crypto::detail::fe_default>(a, bytes_of(msg));
    BOOST_TEST(sa == ed::detail::sign<crypto::detail::fe16>(b, bytes_of(msg)));
    BOOST_TEST((ed::detail::verify<crypto::detail::fe16>(a.public_key, bytes_of(msg), sa) == ed::verify_status::ok));
  }
}

BOOST_AUTO_TEST_CASE(rejects_non_canonical_s) {
  const ed::key_pair kp = ed::key_pair_from_seed(unhex_array<32>(rfc8032[1].seed));
  const std::vector<std::uint8_t> msg = unhex(rfc8032[1].message);
  const ed::signature sig = ed::sign(kp, bytes_of(msg));
  BOOST_TEST(
      (ed::verify_detailed(kp.public_key, bytes_of(msg), with_s_plus_l(sig)) == ed::verify_status::non_canonical_s));
  ed::signature s_is_l = sig;
  std::memcpy(s_is_l.data() + 32, crypto::detail::ed_l_bytes, 32);
  BOOST_TEST((ed::verify_detailed(kp.public_key, bytes_of(msg), s_is_l) == ed::verify_status::non_canonical_s));
}

BOOST_AUTO_TEST_CASE(rejects_non_canonical_points) {
  const ed::key_pair kp = ed::key_pair_from_seed(unhex_array<32>(rfc8032[0].seed));
  const ed::signature sig = ed::sign(kp, "m", 1);
  unsigned y = 0;
  const auto canonical = small_y_point(y);
  const auto non_canonical = plus_p(canonical, y);
  // As a key: the canonical form decodes (and the signature fails), the y + p form is refused.
  BOOST_TEST((ed::verify_detailed(canonical, std::as_bytes(std::span{"m", 1}), sig) == ed::verify_status::mismatch));
  BOOST_TEST(
      (ed::verify_detailed(non_canonical, std::as_bytes(std::span{"m", 1}), sig) == ed::verify_status::bad_public_key));
  // As R.
  ed::signature bad_r = sig;
  std::memcpy(bad_r.data(), non_canonical.data(), 32);
  BOOST_TEST((ed::verify_detailed(kp.public_key, std::as_bytes(std::span{"m", 1}), bad_r) == ed::verify_status::bad_r));
  // x = 0 with the sign bit set (y = 1: the identity, negative zero).
  ed::public_key negative_zero{};
  negative_zero[0] = 1;
  negative_zero[31] = 0x80;
  BOOST_TEST(
      (ed::verify_detailed(negative_zero, std::as_bytes(std::span{"m", 1}), sig) == ed::verify_status::bad_public_key));
}

BOOST_AUTO_TEST_CASE(rejects_small_order_points) {
  const ed::key_pair kp = ed::key_pair_from_seed(unhex_array<32>(rfc8032[0].seed));
  const ed::signature sig = ed::sign(kp, "m", 1);
  ed::public_key identity{};
  identity[0] = 1;  // (0, 1)
  ed::public_key order_two{};
  order_two.fill(0xff);  // (0, -1): y = p - 1
  order_two[0] = 0xec;
  order_two[31] = 0x7f;
  ed::public_key order_four{};  // (sqrt(-1), 0): y = 0
  for (const auto& k : {identity, order_two, order_four}) {
    BOOST_TEST((ed::verify_detailed(k, std::as_bytes(std::span{"m", 1}), sig) == ed::verify_status::bad_public_key));
    ed::signature small_r = sig;
    std::memcpy(small_r.data(), k.data(), 32);
    BOOST_TEST(
        (ed::verify_detailed(kp.public_key, std::as_bytes(std::span{"m", 1}), small_r) == ed::verify_status::bad_r));
  }
}

BOOST_AUTO_TEST_CASE(rejects_wrong_key_flipped_bits_and_truncation) {
  const ed::key_pair kp = ed::key_pair_from_seed(unhex_array<32>(rfc8032[2].seed));
  const ed::key_pair other = ed::key_pair_from_seed(unhex_array<32>(rfc8032[1].seed));
  const std::vector<std::uint8_t> msg = unhex("0102030405060708090a");
  const ed::signature sig = ed::sign(kp, bytes_of(msg));
  BOOST_TEST(ed::verify(kp.public_key, bytes_of(msg), sig));
  BOOST_TEST((ed::verify_detailed(other.public_key, bytes_of(msg), sig) == ed::verify_status::mismatch));
  for (std::size_t bit = 0; bit < sig.size() * 8; ++bit) {
    ed::signature s = sig;
    s[bit / 8] = static_cast<std::uint8_t>(s[bit / 8] ^ (1u << (bit % 8)));
    BOOST_TEST(!ed::verify(kp.public_key, bytes_of(msg), s), "signature bit " << bit);
  }
  for (std::size_t bit = 0; bit < msg.size() * 8; ++bit) {
    std::vector<std::uint8_t> m = msg;
    m[bit / 8] = static_cast<std::uint8_t>(m[bit / 8] ^ (1u << (bit % 8)));
    BOOST_TEST((ed::verify_detailed(kp.public_key, bytes_of(m), sig) == ed::verify_status::mismatch));
  }
  for (std::size_t bit = 0; bit < 256; ++bit) {
    ed::public_key k = kp.public_key;
    k[bit / 8] = static_cast<std::uint8_t>(k[bit / 8] ^ (1u << (bit % 8)));
    BOOST_TEST(!ed::verify(k, bytes_of(msg), sig), "key bit " << bit);
  }
  const std::span<const std::uint8_t> pk{kp.public_key};
  BOOST_TEST((ed::verify_detailed(pk, bytes_of(msg), std::span{sig}.first(63)) == ed::verify_status::bad_length));
  BOOST_TEST((ed::verify_detailed(pk.first(31), bytes_of(msg), std::span{sig}) == ed::verify_status::bad_length));
  BOOST_TEST((ed::verify_detailed(pk, bytes_of(msg), std::span{sig}) == ed::verify_status::ok));
}

BOOST_AUTO_TEST_CASE(scalar_reduction_edges) {
  // 0, L - 1, L, 2^512 - 1 reduce to values below L that sign and verify use.
  std::uint8_t in[64] = {}, out[32] = {};
  crypto::detail::sc_reduce64(out, in);
  BOOST_TEST(std::all_of(out, out + 32, [](std::uint8_t b) { return b == 0; }));
  std::memcpy(in, crypto::detail::ed_l_bytes, 32);
  crypto::detail::sc_reduce64(out, in);
  BOOST_TEST(std::all_of(out, out + 32, [](std::uint8_t b) { return b == 0; }));
  in[0] = static_cast<std::uint8_t>(in[0] - 1);  // L - 1
  crypto::detail::sc_reduce64(out, in);
  BOOST_TEST(std::memcmp(out, in, 32) == 0);
  std::memset(in, 0xff, 64);
  crypto::detail::sc_reduce64(out, in);
  BOOST_TEST(crypto::detail::sc_is_canonical(out));
}

namespace {

// x (n little-endian bytes) mod L the slow way: bit by bit from the top,
// r = 2r + bit, minus L whenever r >= L.
std::array<std::uint8_t, 32> reference_mod_l(const std::uint8_t* x, std::size_t n) {
  const std::uint8_t* l = crypto::detail::ed_l_bytes;
  std::array<std::uint8_t, 33> r{};  // r < L < 2^253, so 2r + 1 fits
  for (std::size_t bit = 8 * n; bit-- > 0;) {
    unsigned carry = (x[bit / 8] >> (bit % 8)) & 1u;
    for (std::uint8_t& byte : r) {
      const unsigned v = byte * 2u + carry;
      byte = static_cast<std::uint8_t>(v);
      carry = v >> 8;
    }
    bool at_least_l = true;
    for (int i = 32; i >= 0; --i) {
      const unsigned li = i < 32 ? l[i] : 0u;
      if (r[static_cast<std::size_t>(i)] != li) {
        at_least_l = r[static_cast<std::size_t>(i)] > li;
        break;
      }
    }
    if (!at_least_l) continue;
    int borrow = 0;
    for (std::size_t i = 0; i < 33; ++i) {
      const int v = r[i] - (i < 32 ? l[i] : 0) - borrow;
      r[i] = static_cast<std::uint8_t>(v);
      borrow = v < 0;
    }
  }
  std::array<std::uint8_t, 32> out{};
  std::memcpy(out.data(), r.data(), 32);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(scalar_arithmetic_matches_a_slow_reference) {
  std::mt19937_64 rng(2024);
  for (int round = 0; round < 2000; ++round) {
    std::vector<std::uint8_t> in = random_bytes(rng, 96);
    if (round % 7 == 1) std::fill(in.begin(), in.end(), std::uint8_t{0xff});
    if (round % 7 == 2)
      for (std::uint8_t& b : in) b = (rng() & 1) != 0 ? 0xff : 0;
    std::uint8_t out[32];
    crypto::detail::sc_reduce64(out, in.data());
    const auto reduced = reference_mod_l(in.data(), 64);
    BOOST_TEST(std::memcmp(out, reduced.data(), 32) == 0);
    // a * b + c in 64 bytes, then the reference reduction.
    std::uint64_t wide[65] = {};
    for (std::size_t i = 0; i < 32; ++i)
      for (std::size_t j = 0; j < 32; ++j) wide[i + j] += std::uint64_t{in[i]} * in[32 + j];
    for (std::size_t i = 0; i < 32; ++i) wide[i] += in[64 + i];
    std::uint8_t product[64];
    for (std::size_t i = 0; i < 64; ++i) {
      wide[i + 1] += wide[i] >> 8;
      product[i] = static_cast<std::uint8_t>(wide[i]);
    }
    crypto::detail::sc_muladd(out, in.data(), in.data() + 32, in.data() + 64);
    const auto expected = reference_mod_l(product, 64);
    BOOST_TEST(std::memcmp(out, expected.data(), 32) == 0);
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(random_source)

BOOST_AUTO_TEST_CASE(fills_the_buffer) {
  std::array<std::byte, 64> a{}, b{};
  BOOST_TEST(bool(sys::random_fill(a)));
  BOOST_TEST(bool(sys::random_fill(b)));
  BOOST_TEST(a != b);  // 2^-512
  BOOST_TEST(bool(sys::random_fill(nullptr, 0)));
}

BOOST_AUTO_TEST_CASE(completes_short_counts_and_retries_interruptions) {
  using P = sys::fault_platform<sys::platform>;
  sys::fault_plan::clear();
  sys::fault_plan::fail(vitte::sys::ops::random, vitte::errc::interrupted, 2);
  sys::fault_plan::shorten(vitte::sys::ops::random, 3, 5);
  std::array<std::byte, 40> buf{};
  BOOST_TEST(bool(sys::random_fill<P>(buf)));
  BOOST_TEST(sys::fault_plan::calls(vitte::sys::ops::random) == 8u);  // 2 interrupted, 5 x 3 bytes, the rest
  sys::fault_plan::clear();
  sys::fault_plan::fail(vitte::sys::ops::random, vitte::errc::io_error);
  const vitte::status st = sys::random_fill<P>(buf);
  BOOST_TEST(!st);
  BOOST_TEST((st.error() == vitte::errc::io_error));
  BOOST_TEST((st.error().op() == vitte::sys::ops::random));
  sys::fault_plan::clear();
}

BOOST_AUTO_TEST_CASE(generated_keys_sign_and_verify) {
  const ed::key_pair kp = ed::generate_key_pair().value();
  const ed::signature sig = ed::sign(kp, "hello", 5);
  BOOST_TEST(ed::verify(kp.public_key, "hello", 5, sig));
  BOOST_TEST(ed::key_pair_from_seed(kp.seed).public_key == kp.public_key);
}

BOOST_AUTO_TEST_SUITE_END()
