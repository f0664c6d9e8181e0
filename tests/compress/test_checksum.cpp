// vitte/compress/checksum.hpp: CRC-32 and Adler-32 against bit-by-bit
// references, for every length around the kernels' block sizes, every
// alignment, chained in random pieces; the carry-less multiplication kernel
// (when this CPU has it) and the tables give the same values.
#include <vitte/base/detail/cpu.hpp>
#include <vitte/compress/checksum.hpp>
#include <vitte/compress/detail/crc32_fold.hpp>

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include <boost/test/unit_test.hpp>

namespace vc = vitte::compress;

namespace {

std::uint32_t crc32_bitwise(const std::uint8_t* p, std::size_t n, std::uint32_t crc = 0) {
  std::uint32_t c = ~crc;
  for (std::size_t i = 0; i < n; ++i) {
    c ^= p[i];
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
  }
  return ~c;
}

std::uint32_t adler32_simple(const std::uint8_t* p, std::size_t n, std::uint32_t adler = 1) {
  std::uint32_t a = adler & 0xffff, b = adler >> 16;
  for (std::size_t i = 0; i < n; ++i) {
    a = (a + p[i]) % 65521;
    b = (b + a) % 65521;
  }
  return b << 16 | a;
}

vitte::span<const std::byte> bytes(const std::uint8_t* p, std::size_t n) {
  return {reinterpret_cast<const std::byte*>(p), n};
}

std::vector<std::uint8_t> random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::uint8_t> v(n);
  for (auto& b : v) b = static_cast<std::uint8_t>(rng());
  return v;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(checksums)

BOOST_AUTO_TEST_CASE(crc32_known_values) {
  const char* check = "123456789";
  BOOST_TEST(vc::crc32(bytes(reinterpret_cast<const std::uint8_t*>(check), 9)) == 0xcbf43926u);
  BOOST_TEST(vc::crc32({}) == 0u);
  const std::vector<std::uint8_t> zeros(4096, 0);
  BOOST_TEST(vc::crc32(bytes(zeros.data(), zeros.size())) == crc32_bitwise(zeros.data(), zeros.size()));
}

BOOST_AUTO_TEST_CASE(crc32_every_length_and_alignment_matches_the_bitwise_reference) {
  const std::vector<std::uint8_t> data = random_bytes(1200, 7);
  for (std::size_t offset = 0; offset < 16; ++offset)
    for (std::size_t n = 0; n + offset <= 1100; n += (n < 300 ? 1 : 37)) {
      const std::uint8_t* p = data.data() + offset;
      BOOST_TEST(vc::crc32(bytes(p, n), 0x12345678u) == crc32_bitwise(p, n, 0x12345678u),
                 "n " << n << " offset " << offset);
    }
}

BOOST_AUTO_TEST_CASE(crc32_chained_in_random_pieces_equals_the_whole) {
  const std::vector<std::uint8_t> data = random_bytes(1 << 16, 11);
  const std::uint32_t whole = crc32_bitwise(data.data(), data.size());
  BOOST_TEST(vc::crc32(bytes(data.data(), data.size())) == whole);
  std::mt19937 rng(3);
  for (int round = 0; round < 20; ++round) {
    std::uint32_t c = 0;
    std::size_t at = 0;
    while (at < data.size()) {
      std::size_t n = rng() % 700;
      if (n > data.size() - at) n = data.size() - at;
      c = vc::crc32(bytes(data.data() + at, n), c);
      at += n;
    }
    BOOST_TEST(c == whole);
  }
}

BOOST_AUTO_TEST_CASE(the_folding_kernel_equals_the_tables_when_the_cpu_has_it) {
#if VITTE_HAS_X86_CLMUL
  if (!vitte::detail::cpu().x86_clmul) {
    BOOST_TEST_MESSAGE("skipped: this CPU has no PCLMULQDQ (the tables ran above)");
    return;
  }
  const std::vector<std::uint8_t> data = random_bytes(4096 + 16, 5);
  std::mt19937 rng(9);
  for (int i = 0; i < 2000; ++i) {
    const std::size_t offset = rng() % 16;
    const std::size_t n = 64 + 16 * (rng() % 250);
    const std::uint32_t init = rng();
    const std::uint32_t state = vc::detail::crc32_fold_clmul(~init, data.data() + offset, n);
    BOOST_TEST(~state == crc32_bitwise(data.data() + offset, n, init), "n " << n);
  }
#else
  BOOST_TEST_MESSAGE("skipped: no carry-less multiplication kernel for this target (the tables ran above)");
#endif
}

BOOST_AUTO_TEST_CASE(adler32_matches_the_reference_across_its_overflow_block) {
  const std::vector<std::uint8_t> data = random_bytes(20000, 13);
  for (std::size_t n : {0u, 1u, 15u, 16u, 5551u, 5552u, 5553u, 11104u, 20000u})
    BOOST_TEST(vc::adler32(bytes(data.data(), n)) == adler32_simple(data.data(), n), "n " << n);
  const std::vector<std::uint8_t> ff(70000, 0xff);
  BOOST_TEST(vc::adler32(bytes(ff.data(), ff.size())) == adler32_simple(ff.data(), ff.size()));
  BOOST_TEST(vc::adler32(bytes(data.data() + 100, 9000), vc::adler32(bytes(data.data(), 100))) ==
             adler32_simple(data.data(), 9100));
}

BOOST_AUTO_TEST_SUITE_END()
