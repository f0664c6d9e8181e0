// vitte/compress/checksum.hpp: CRC-32 and Adler-32 against bit-by-bit
// references, for every length around the kernels' block sizes, every
// alignment, chained in random pieces; each kernel this CPU runs (forced
// through detail::crc32_by and adler32_by, the portable ones included)
// against zlib's crc32 and adler32 (or the references without zlib) on
// random lengths and alignments, up to a few MiB.
#include <vitte/compress/checksum.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <random>
#include <utility>
#include <vector>

#include <boost/test/unit_test.hpp>

#if VITTE_TEST_HAS_ZLIB
#include <zlib.h>
#endif

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

namespace {

// zlib's values where it is there, else the references.
std::uint32_t crc32_expected(const std::uint8_t* p, std::size_t n, std::uint32_t crc) {
#if VITTE_TEST_HAS_ZLIB
  return static_cast<std::uint32_t>(::crc32_z(crc, p, n));
#else
  return crc32_bitwise(p, n, crc);
#endif
}

std::uint32_t adler32_expected(const std::uint8_t* p, std::size_t n, std::uint32_t adler) {
#if VITTE_TEST_HAS_ZLIB
  return static_cast<std::uint32_t>(::adler32_z(adler, p, n));
#else
  return adler32_simple(p, n, adler);
#endif
}

// Each kernel of `kernels` this CPU runs against `expected`: every length
// 0..4096 at a random alignment and starting value, 3 MiB and 5 MiB + 13
// whole, and 5 MiB in random pieces; `by` forces the kernel.
template <class Kernel, class By, class Expected>
void every_kernel_agrees(std::initializer_list<std::pair<Kernel, const char*>> kernels, By by, Expected expected) {
  const std::vector<std::uint8_t> data = random_bytes((5u << 20) + 64 + 13, 21);
  int ran = 0;
  for (const auto& [kernel, name] : kernels) {
    if (!vc::detail::runs(kernel)) {
      BOOST_TEST_MESSAGE("not run here: " << name);
      continue;
    }
    ++ran;
    std::mt19937 rng(5);
    for (std::size_t n = 0; n <= 4096; ++n) {
      const std::size_t offset = rng() % 64;
      const std::uint32_t init = static_cast<std::uint32_t>(rng());
      const std::uint8_t* p = data.data() + offset;
      BOOST_TEST(by(kernel, bytes(p, n), init) == expected(p, n, init),
                 name << ": n " << n << " offset " << offset << " init " << init);
    }
    for (std::size_t n : {std::size_t{3} << 20, (std::size_t{5} << 20) + 13}) {
      const std::size_t offset = rng() % 64;
      const std::uint8_t* p = data.data() + offset;
      BOOST_TEST(by(kernel, bytes(p, n), 1) == expected(p, n, 1), name << ": n " << n << " offset " << offset);
    }
    std::uint32_t chained = 1;
    for (std::size_t at = 0; at < (5u << 20);) {
      const std::size_t n = std::min<std::size_t>(rng() % 100000, (5u << 20) - at);
      chained = by(kernel, bytes(data.data() + at, n), chained);
      at += n;
    }
    BOOST_TEST(chained == expected(data.data(), 5u << 20, 1), name << ": in pieces");
  }
  BOOST_TEST(ran >= 1);  // the portable one at least
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_crc32_kernel_agrees_with_zlib) {
  using k = vc::detail::crc32_kernel;
  every_kernel_agrees({std::pair{k::portable, "portable"}, std::pair{k::x86_clmul, "x86_clmul"},
                       std::pair{k::x86_vpclmul256, "x86_vpclmul256"}, std::pair{k::x86_vpclmul512, "x86_vpclmul512"},
                       std::pair{k::arm_crc32, "arm_crc32"}, std::pair{k::arm_pmull, "arm_pmull"}},
                      vc::detail::crc32_by, crc32_expected);
}

BOOST_AUTO_TEST_CASE(every_adler32_kernel_agrees_with_zlib) {
  using k = vc::detail::adler32_kernel;
  every_kernel_agrees({std::pair{k::portable, "portable"}, std::pair{k::x86_ssse3, "x86_ssse3"},
                       std::pair{k::x86_avx2, "x86_avx2"}, std::pair{k::arm_neon, "arm_neon"}},
                      vc::detail::adler32_by, adler32_expected);
}

BOOST_AUTO_TEST_CASE(adler32_kernels_at_their_worst_case_bytes) {
  // All 0xff: the sums' largest values, where an overflow before the modulo would show.
  const std::vector<std::uint8_t> ff(70000, 0xff);
  using k = vc::detail::adler32_kernel;
  for (k kernel : {k::portable, k::x86_ssse3, k::x86_avx2, k::arm_neon}) {
    if (!vc::detail::runs(kernel)) continue;
    for (std::uint32_t init : {1u, 0xfff0fff0u})
      for (std::size_t n : {5551u, 5552u, 5553u, 11104u, 70000u})
        BOOST_TEST(vc::detail::adler32_by(kernel, bytes(ff.data(), n), init) == adler32_simple(ff.data(), n, init),
                   "kernel " << static_cast<int>(kernel) << " n " << n);
  }
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
