// vitte/crypto/sha1.hpp and md5.hpp, the digests an .rpm's signature header
// requires: the RFC 1321 and FIPS 180 / RFC 3174 vectors (the million 'a's
// too), messages around the padding boundaries (55, 56, 64, 119, 120 bytes),
// byte-at-a-time and random splits against one-shot, and finish() resetting.
#include <vitte/base/detail/hex.hpp>
#include <vitte/crypto/md5.hpp>
#include <vitte/crypto/sha1.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

namespace crypto = vitte::crypto;

namespace {

template <class Digest>
std::string hex(const Digest& d) {
  std::string s(2 * d.size(), '\0');
  vitte::detail::hex_encode(d.data(), d.size(), s.data());
  return s;
}
template <class Hash>
std::string hex_of(const std::string& m) {
  return hex(Hash::hash(m.data(), m.size()));
}

// The message of the boundary vectors: byte i is i * 7 mod 256.
std::string pattern(std::size_t n) {
  std::string m(n, '\0');
  for (std::size_t i = 0; i < n; ++i) m[i] = static_cast<char>(i * 7 & 255);
  return m;
}

// Each byte fed alone, then random splits, give the one-shot digest.
template <class Hash>
void check_incremental(std::size_t max_len) {
  std::mt19937_64 rng(1321);
  for (std::size_t n = 0; n <= max_len; ++n) {
    const std::string m = pattern(n);
    Hash one;
    for (char c : m) one.update(&c, 1);
    BOOST_TEST(one.finish() == Hash::hash(m.data(), m.size()), "length " << n);
    Hash split;
    std::size_t at = 0;
    while (at < n) {
      const std::size_t k = std::min<std::size_t>(n - at, rng() % 150);
      split.update(m.data() + at, k);
      at += k;
    }
    BOOST_TEST(split.finish() == Hash::hash(m.data(), m.size()), "length " << n);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(legacy_digests)

BOOST_AUTO_TEST_CASE(rfc_1321_md5) {
  BOOST_TEST(hex_of<crypto::md5>("") == "d41d8cd98f00b204e9800998ecf8427e");
  BOOST_TEST(hex_of<crypto::md5>("a") == "0cc175b9c0f1b6a831c399e269772661");
  BOOST_TEST(hex_of<crypto::md5>("abc") == "900150983cd24fb0d6963f7d28e17f72");
  BOOST_TEST(hex_of<crypto::md5>("message digest") == "f96b697d7cb7938d525a2f31aaf161d0");
  BOOST_TEST(hex_of<crypto::md5>("abcdefghijklmnopqrstuvwxyz") == "c3fcd3d76192e4007dfb496cca67e13b");
  BOOST_TEST(hex_of<crypto::md5>("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") ==
             "d174ab98d277d9f5a5611c2c9f419d9f");
  std::string digits;
  for (int i = 0; i < 8; ++i) digits += "1234567890";
  BOOST_TEST(hex_of<crypto::md5>(digits) == "57edf4a22be3c955ac49da2e2107b67a");
  BOOST_TEST(hex_of<crypto::md5>(std::string(1000000, 'a')) == "7707d6ae4e027c70eea2a935c2296f21");
}

BOOST_AUTO_TEST_CASE(fips_180_rfc_3174_sha1) {
  BOOST_TEST(hex_of<crypto::sha1>("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  BOOST_TEST(hex_of<crypto::sha1>("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d");
  BOOST_TEST(hex_of<crypto::sha1>("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
             "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  BOOST_TEST(hex_of<crypto::sha1>("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
                                  "klmnopqrlmnopqrsmnopqrstnopqrstu") == "a49b2446a02c645bf419f995b67091253a04a259");
  BOOST_TEST(hex_of<crypto::sha1>(std::string(1000000, 'a')) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
  std::string four;  // RFC 3174's TEST4: "01234567" 80 times
  for (int i = 0; i < 80; ++i) four += "01234567";
  BOOST_TEST(hex_of<crypto::sha1>(four) == "dea356a2cddd90c7a7ecedc5ebb563934f460452");
}

BOOST_AUTO_TEST_CASE(padding_boundaries) {
  // From Python's hashlib: one block, the length spilling into a second, two blocks.
  const struct {
    std::size_t n;
    const char *md5, *sha1;
  } cases[] = {
      {55, "8d24280288a696559fd8d5aa1b6d8c6e", "aecd1643c9903b9bae8cb94f53c50f8a4e18605b"},
      {56, "ef2c72b7254c92459e498eddd4ace573", "f5d65c621c02cc8e785159feff8088e3072da1bc"},
      {57, "5e319059f1ba9373988437b589fb9f21", "a69640f450b01dd44b096a2a697b52e3f2aeb117"},
      {63, "c4c8c6d513f4e1604eb18508a1769364", "4952f0fe097e4d6410ae9eab4855aa836caf3bff"},
      {64, "a2fcb39a253b9b785b1f97518fa37683", "1e17ae1fc093e5daca033553c97a5192ca164486"},
      {65, "e49fe82d0bb12967a196c85de313e446", "ac44f5dbe3e9b5d2733fc9537fcad715c3c20bc3"},
      {119, "1640deea49ebb258ec6ede18d4b2d2d7", "b4a4e69060d0b1e7e8ebbf7041a4211c63438b57"},
      {120, "05f879f7b542a7ebf0605adff67d4423", "b651390c2996406336a3f6647e4b590c18cdd6f8"},
      {128, "fe942895e9aae953f3e246e5fd00739d", "516846cd40bd1fe431119c3b0a0f362957992ee8"},
  };
  for (const auto& c : cases) {
    BOOST_TEST(hex_of<crypto::md5>(pattern(c.n)) == c.md5, "length " << c.n);
    BOOST_TEST(hex_of<crypto::sha1>(pattern(c.n)) == c.sha1, "length " << c.n);
  }
}

BOOST_AUTO_TEST_CASE(byte_at_a_time_and_random_splits) {
  check_incremental<crypto::md5>(300);
  check_incremental<crypto::sha1>(300);
  crypto::md5 m;  // the million 'a's, a byte at a time
  crypto::sha1 s;
  for (int i = 0; i < 1000000; ++i) {
    m.update("a", 1);
    s.update("a", 1);
  }
  BOOST_TEST(hex(m.finish()) == "7707d6ae4e027c70eea2a935c2296f21");
  BOOST_TEST(hex(s.finish()) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

BOOST_AUTO_TEST_CASE(finish_resets) {
  crypto::md5 m;
  crypto::sha1 s;
  m.update("xyz", 3);
  s.update("xyz", 3);
  (void)m.finish();
  (void)s.finish();
  m.update(std::as_bytes(std::span<const char>("abc", 3)));
  s.update(std::as_bytes(std::span<const char>("abc", 3)));
  BOOST_TEST(hex(m.finish()) == "900150983cd24fb0d6963f7d28e17f72");
  BOOST_TEST(hex(s.finish()) == "a9993e364706816aba3e25717850c26c9cd0d89d");
}

BOOST_AUTO_TEST_SUITE_END()
