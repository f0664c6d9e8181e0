// vitte/crypto/key_file.hpp: vitte's key files written and read back, the
// secret one private and never replaced, and every malformed file refused
// with a diagnostic that names the file, the kind and (for a bad digit) the
// offset, with no half of a secret left in the output.
#include <vitte/crypto/ed25519.hpp>
#include <vitte/crypto/key_file.hpp>
#include <vitte/sys/metadata.hpp>
#include <vitte/sys/path_ops.hpp>
#include <vitte/sys/temp.hpp>
#include <vitte/sys/whole_file.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include <boost/test/unit_test.hpp>

#if !defined(_WIN32)
#include <signal.h>        // SIGXFSZ ignored: a write past the limit fails instead
#include <sys/resource.h>  // RLIMIT_FSIZE: a full disk, for one write
#endif

namespace crypto = vitte::crypto;
namespace sys = vitte::sys;

namespace {

struct scratch {
  sys::temp_directory dir = sys::temp_directory::create(sys::temp_directory_path().value(), "vitte-key-file-").value();
  ~scratch() { BOOST_TEST(dir.remove().has_value()); }
  std::string path(const char* name) const { return sys::path_join(dir.path(), name); }
};

crypto::ed25519::seed counting_seed() {
  crypto::ed25519::seed s{};
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = static_cast<std::uint8_t>(i);
  return s;
}

std::string line(const vitte::diagnostic& d) { return std::string(d.format().c_str()); }

}  // namespace

BOOST_AUTO_TEST_SUITE(key_files)

BOOST_AUTO_TEST_CASE(a_secret_key_is_written_private_and_read_back) {
  scratch s;
  const std::string key = s.path("release.key");
  const crypto::ed25519::seed seed = counting_seed();
  BOOST_TEST(crypto::write_key_file(key, seed, crypto::key_kind::secret_seed).has_value());
  BOOST_TEST(sys::read_file_string(key).value().view() ==
             "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n");
#if !defined(_WIN32)
  BOOST_TEST((sys::stat(key).value().permissions & 0777) == 0600u);
#endif
  crypto::ed25519::seed back{};
  BOOST_TEST(crypto::read_key_file(key, back).has_value());
  BOOST_TEST((back == seed));
}

BOOST_AUTO_TEST_CASE(a_secret_key_never_replaces_a_file) {
  scratch s;
  const std::string key = s.path("release.key");
  BOOST_TEST(sys::write_file(key, vitte::text_view("keep me\n")).has_value());
  vitte::diagnostic why;
  const vitte::status st = crypto::write_key_file(key, counting_seed(), crypto::key_kind::secret_seed, &why);
  BOOST_TEST(!st);
  BOOST_TEST((st.error().kind() == vitte::errc::already_exists));
  BOOST_TEST((why.kind() == vitte::errc::already_exists));
  BOOST_TEST(why.subject() == vitte::text_view(key));
  BOOST_TEST(sys::read_file_string(key).value().view() == "keep me\n");
}

BOOST_AUTO_TEST_CASE(a_public_key_replaces_an_old_one) {
  scratch s;
  const std::string pub = s.path("release.pub");
  BOOST_TEST(sys::write_file(pub, vitte::text_view("old\n")).has_value());
  const crypto::ed25519::key_pair kp = crypto::ed25519::key_pair_from_seed(counting_seed());
  BOOST_TEST(crypto::write_key_file(pub, kp.public_key, crypto::key_kind::public_key).has_value());
  crypto::ed25519::public_key back{};
  BOOST_TEST(crypto::read_key_file(pub, back).has_value());
  BOOST_TEST((back == kp.public_key));
}

BOOST_AUTO_TEST_CASE(whitespace_around_and_between_digits_is_ignored) {
  std::array<std::uint8_t, 4> out{};
  BOOST_TEST(crypto::parse_key_file("  de ad\r\n be\tef \n", out));
  BOOST_TEST((out == std::array<std::uint8_t, 4>{0xde, 0xad, 0xbe, 0xef}));
  BOOST_TEST(crypto::parse_key_file("DEADBEEF", out));
}

BOOST_AUTO_TEST_CASE(a_bad_digit_is_refused_at_its_offset_and_the_key_wiped) {
  std::array<std::uint8_t, 4> out{};
  vitte::diagnostic why;
  BOOST_TEST(!crypto::parse_key_file("dead\nzeef", out, &why));
  BOOST_TEST((why.kind() == vitte::errc::malformed));
  BOOST_TEST(why.offset() == 5u);
  BOOST_TEST(why.message() == "not a hexadecimal digit");
  BOOST_TEST((out == std::array<std::uint8_t, 4>{}));
}

BOOST_AUTO_TEST_CASE(too_few_or_too_many_digits_are_refused) {
  std::array<std::uint8_t, 4> out{};
  vitte::diagnostic why;
  BOOST_TEST(!crypto::parse_key_file("deadbe", out, &why));
  BOOST_TEST(why.message() == "expected 8 hexadecimal digits, found 6");
  BOOST_TEST((out == std::array<std::uint8_t, 4>{}));
  vitte::diagnostic more;
  BOOST_TEST(!crypto::parse_key_file("deadbeef00", out, &more));
  BOOST_TEST(more.message() == "more than the key's hexadecimal digits");
  BOOST_TEST(more.offset() == 8u);
  BOOST_TEST(!crypto::parse_key_file("", out));
}

BOOST_AUTO_TEST_CASE(a_file_error_names_the_file_and_says_why) {
  scratch s;
  const std::string missing = s.path("missing.key");
  crypto::ed25519::seed out{};
  vitte::diagnostic why;
  const vitte::status st = crypto::read_key_file(missing, out, &why);
  BOOST_TEST((st.error().kind() == vitte::errc::not_found));
  BOOST_TEST((why.kind() == vitte::errc::not_found));
  BOOST_TEST(why.subject() == vitte::text_view(missing));
  const std::string bad = s.path("bad.key");
  BOOST_TEST(sys::write_file(bad, vitte::text_view("0011\n")).has_value());
  vitte::diagnostic malformed;
  BOOST_TEST((crypto::read_key_file(bad, out, &malformed).error().kind() == vitte::errc::malformed));
  BOOST_TEST(line(malformed) == bad + ": expected 64 hexadecimal digits, found 4");
}

BOOST_AUTO_TEST_CASE(a_failed_secret_write_leaves_no_file_and_a_retry_works) {
#if defined(_WIN32)
  BOOST_TEST_MESSAGE("skipped: RLIMIT_FSIZE stands in for a full disk on POSIX only");
#else
  scratch s;
  const std::string key = s.path("release.key");
  struct rlimit before{};
  BOOST_REQUIRE(getrlimit(RLIMIT_FSIZE, &before) == 0);
  struct rlimit small = before;
  small.rlim_cur = 10;  // the file system takes 10 bytes of the 65
  void (*old)(int) = signal(SIGXFSZ, SIG_IGN);
  BOOST_REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
  vitte::diagnostic why;
  const vitte::status st = crypto::write_key_file(key, counting_seed(), crypto::key_kind::secret_seed, &why);
  BOOST_REQUIRE(setrlimit(RLIMIT_FSIZE, &before) == 0);
  signal(SIGXFSZ, old);
  BOOST_TEST(!st);
  BOOST_TEST(why.subject() == vitte::text_view(key));
  BOOST_TEST(!sys::stat(key).has_value());  // no half of the secret on disk
  BOOST_TEST(crypto::write_key_file(key, counting_seed(), crypto::key_kind::secret_seed).has_value());
#endif
}

BOOST_AUTO_TEST_CASE(an_endless_file_is_refused_without_reading_it_all) {
#if defined(_WIN32)
  BOOST_TEST_MESSAGE("skipped: no /dev/zero");
#else
  crypto::ed25519::seed out{};
  vitte::diagnostic why;
  const vitte::status st = crypto::read_key_file("/dev/zero", out, &why);
  BOOST_TEST((st.error().kind() == vitte::errc::malformed));
  BOOST_TEST(why.subject() == "/dev/zero");
  BOOST_TEST(why.message() == "longer than a key file (4096 bytes at most)");
#endif
}

BOOST_AUTO_TEST_CASE(a_reused_diagnostic_keeps_nothing_of_the_last_problem) {
  std::array<std::uint8_t, 4> out{};
  vitte::diagnostic why;
  BOOST_TEST(!crypto::parse_key_file("zz", out, &why));
  BOOST_TEST(why.offset() == 0u);
  BOOST_TEST(!crypto::parse_key_file("dead", out, &why));
  BOOST_TEST(!why.has_offset());  // a count, not a place
  BOOST_TEST(!crypto::read_key_file("/nonexistent/vitte/key", out, &why));
  BOOST_TEST(!why.has_offset());
  BOOST_TEST(std::string(why.format().c_str()).find("/nonexistent/vitte/key: open: not found") == 0u,
             why.format().c_str());
}

BOOST_AUTO_TEST_SUITE_END()
