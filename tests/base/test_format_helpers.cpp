// The base's format helpers, each written once: hexadecimal
// (<vitte/base/detail/hex.hpp>), decimal parsing (<vitte/base/detail/decimal.hpp>) and
// string escaping for JSON and the log's text format (<vitte/base/detail/json.hpp>).
#include <vitte/base/detail/decimal.hpp>
#include <vitte/base/detail/hex.hpp>
#include <vitte/base/detail/json.hpp>

#include <cstdint>
#include <string>
#include <utility>

#include <boost/test/unit_test.hpp>

#include "print.hpp"

using vitte::text_view;
namespace d = vitte::detail;

namespace {

std::string escaped(text_view s, d::json_escaping how) {
  std::string out;
  d::json_escape(s, how, [&](text_view p) { out.append(p.data(), p.size()); });
  return out;
}

std::string json(text_view s) { return escaped(s, d::json_escaping::strict); }
std::string minimal(text_view s) { return escaped(s, d::json_escaping::minimal); }

}  // namespace

BOOST_AUTO_TEST_SUITE(hex)

BOOST_AUTO_TEST_CASE(digits_are_lower_case_and_serve_base_ten) {
  static_assert(d::hex_digit(0) == '0' && d::hex_digit(9) == '9' && d::hex_digit(10) == 'a' && d::hex_digit(15) == 'f');
  static_assert(d::hex_digit(0x1f) == 'f', "only the low four bits count");
  char two[2] = {};
  d::hex_byte(0xA5, two);
  BOOST_TEST(std::string(two, 2) == "a5");
}

BOOST_AUTO_TEST_CASE(every_byte_round_trips) {
  std::uint8_t all[256];
  for (unsigned i = 0; i < 256; ++i) all[i] = static_cast<std::uint8_t>(i);
  char text[512];
  d::hex_encode(all, sizeof all, text);
  BOOST_TEST(std::string(text, 6) == "000102");
  BOOST_TEST(std::string(text + 506, 6) == "fdfeff");
  BOOST_TEST(d::is_lower_hex(text_view(text, sizeof text)));
  std::uint8_t back[256] = {};
  BOOST_TEST(d::hex_decode(text_view(text, sizeof text), back));
  for (unsigned i = 0; i < 256; ++i) BOOST_TEST(back[i] == all[i]);
}

BOOST_AUTO_TEST_CASE(decoding_takes_either_case) {
  std::uint8_t out[4] = {};
  BOOST_TEST(d::hex_decode("DeadBEEF", out));
  BOOST_TEST((out[0] == 0xde && out[1] == 0xad && out[2] == 0xbe && out[3] == 0xef));
  BOOST_TEST(d::hex_decode("", out), "nothing to decode is not an error");
  static_assert(d::hex_value('A') == 10 && d::hex_value('f') == 15 && d::hex_value('7') == 7);
}

BOOST_AUTO_TEST_CASE(decoding_refuses_every_byte_that_is_not_a_digit) {
  for (unsigned c = 0; c < 256; ++c) {
    const char ch = static_cast<char>(c);
    const bool digit = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
    BOOST_TEST((d::hex_value(ch) >= 0) == digit, "byte " << c);
    const char pair[2] = {'0', ch};
    std::uint8_t out[1] = {};
    BOOST_TEST(d::hex_decode(text_view(pair, 2), out) == digit, "byte " << c);
    BOOST_TEST(d::is_lower_hex(text_view(pair, 2)) == (digit && !(ch >= 'A' && ch <= 'F')), "byte " << c);
  }
}

BOOST_AUTO_TEST_CASE(decoding_refuses_odd_lengths_prefixes_signs_and_spaces) {
  std::uint8_t out[4] = {};
  for (text_view bad : {text_view("abc"), text_view("0x12"), text_view("-1"), text_view("+1"), text_view(" 12"),
                        text_view("12 "), text_view("1g")})
    BOOST_TEST(!d::hex_decode(bad, out), std::string(bad.data(), bad.size()));
}

BOOST_AUTO_TEST_CASE(a_refusal_leaves_the_bytes_after_the_bad_pair) {
  std::uint8_t out[3] = {0x11, 0x22, 0x33};
  BOOST_TEST(!d::hex_decode("aazz00", out));
  BOOST_TEST((out[0] == 0xaa && out[1] == 0x22 && out[2] == 0x33));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(decimal)

BOOST_AUTO_TEST_CASE(reads_digits_with_leading_zeros) {
  std::uint64_t v = 0;
  BOOST_TEST((d::parse_decimal("0", 10, v) && v == 0));
  BOOST_TEST((d::parse_decimal("0042", 100, v) && v == 42));
  BOOST_TEST((d::parse_decimal("65535", 65535, v) && v == 65535));
  static_assert([] {
    std::uint64_t n = 0;
    return d::parse_decimal("123", 999, n) && n == 123;
  }());
}

BOOST_AUTO_TEST_CASE(refuses_empty_text_and_every_byte_that_is_not_a_digit) {
  std::uint64_t v = 7;
  BOOST_TEST(!d::parse_decimal("", 10, v));
  for (unsigned c = 0; c < 256; ++c) {
    const char ch = static_cast<char>(c);
    const char text[2] = {'1', ch};
    BOOST_TEST(d::parse_decimal(text_view(text, 2), UINT64_MAX, v) == (ch >= '0' && ch <= '9'), "byte " << c);
  }
  v = 7;
  for (text_view bad : {text_view("-1"), text_view("+1"), text_view(" 1"), text_view("1 "), text_view("0x10"),
                        text_view("1.0"), text_view("1e3")})
    BOOST_TEST(!d::parse_decimal(bad, UINT64_MAX, v), std::string(bad.data(), bad.size()));
  BOOST_TEST(v == 7u, "a refusal leaves the output alone");
}

BOOST_AUTO_TEST_CASE(the_maximum_is_accepted_and_one_more_refused) {
  std::uint64_t v = 0;
  BOOST_TEST((d::parse_decimal("18446744073709551615", UINT64_MAX, v) && v == UINT64_MAX));
  BOOST_TEST(!d::parse_decimal("18446744073709551616", UINT64_MAX, v));
  BOOST_TEST(!d::parse_decimal("18446744073709551620", UINT64_MAX, v));
  BOOST_TEST(!d::parse_decimal("99999999999999999999", UINT64_MAX, v));
  BOOST_TEST(!d::parse_decimal("000000000000000000000000018446744073709551616", UINT64_MAX, v));
  BOOST_TEST((d::parse_decimal("000000000000000000000000018446744073709551615", UINT64_MAX, v) && v == UINT64_MAX));
  BOOST_TEST((d::parse_decimal("255", 255, v) && v == 255));
  BOOST_TEST(!d::parse_decimal("256", 255, v));
  BOOST_TEST((d::parse_decimal("9223372036854775807", INT64_MAX, v) && v == INT64_MAX));
  BOOST_TEST(!d::parse_decimal("9223372036854775808", INT64_MAX, v));
  BOOST_TEST((d::parse_decimal("0", 0, v) && v == 0));
  BOOST_TEST(!d::parse_decimal("1", 0, v));
  BOOST_TEST(!d::parse_decimal("7", 5, v), "a first digit above the maximum");
}

BOOST_AUTO_TEST_CASE(digits_one_at_a_time_and_a_prefix) {
  std::uint64_t n = 0;
  for (char c : text_view("1844674407370955161")) BOOST_TEST(d::push_decimal_digit(n, c, UINT64_MAX));
  BOOST_TEST(!d::push_decimal_digit(n, '6', UINT64_MAX));
  BOOST_TEST(n == 1844674407370955161u, "a refused digit leaves the number alone");
  BOOST_TEST(d::push_decimal_digit(n, '5', UINT64_MAX));
  BOOST_TEST(n == UINT64_MAX);
  BOOST_TEST(!d::push_decimal_digit(n, 'x', UINT64_MAX));
  BOOST_TEST(d::decimal_digits("2048kB") == 4u);
  BOOST_TEST(d::decimal_digits("kB") == 0u);
  BOOST_TEST(d::decimal_digits("") == 0u);
  BOOST_TEST(d::decimal_digits("123") == 3u);
}

BOOST_AUTO_TEST_CASE(byte_counts_take_one_set_of_units_powers_of_1024) {
  // The sandbox's limits and the tool's size options read sizes here: "64M"
  // and "64MiB" are the same wherever vitte reads a size.
  std::uint64_t v = 0;
  const std::pair<const char*, std::uint64_t> good[] = {{"65536", 65536},
                                                        {"0", 0},
                                                        {"7B", 7},
                                                        {"1k", 1024},
                                                        {"1K", 1024},
                                                        {"1KiB", 1024},
                                                        {"64M", 64ull << 20},
                                                        {"64MiB", 64ull << 20},
                                                        {"2G", 2ull << 30},
                                                        {"2GiB", 2ull << 30},
                                                        {"3T", 3ull << 40},
                                                        {"3TiB", 3ull << 40},
                                                        {"16777215TiB", 16777215ull << 40},
                                                        {"18446744073709551615", UINT64_MAX}};
  for (const auto& [text, bytes] : good) BOOST_TEST((d::parse_byte_count(text, v) && v == bytes), text);
  std::uint64_t kept = 99;
  for (const char* bad : {"", "M", "64 M", "64m", "64MB", "64Mi", "1.5G", "-1", "0x10", "16777216TiB",
                          "18446744073709551616", "1P", "64MiB "})
    BOOST_TEST((!d::parse_byte_count(bad, kept) && kept == 99), bad);
}
BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(escaping)

BOOST_AUTO_TEST_CASE(quotes_backslash_and_controls) {
  BOOST_TEST(json("a\"b\\c") == "a\\\"b\\\\c");
  BOOST_TEST(json("\n\t\r") == "\\n\\t\\r");
  BOOST_TEST(json(text_view("\0\x01\x1b\x1f", 4)) == "\\u0000\\u0001\\u001b\\u001f");
  BOOST_TEST(json(" ~/") == " ~/");
  BOOST_TEST(minimal("a\"b\\c") == "a\\\"b\\\\c");
  BOOST_TEST(minimal("\n\t\r") == "\\n\\t\\u000d", "minimal has no short \\r");
  BOOST_TEST(minimal(text_view("\0\x1f", 2)) == "\\u0000\\u001f");
}

BOOST_AUTO_TEST_CASE(every_control_byte_is_escaped) {
  for (unsigned c = 0; c < 0x20; ++c) {
    const char ch = static_cast<char>(c);
    const std::string s = json(text_view(&ch, 1));
    BOOST_TEST((s.size() >= 2 && s[0] == '\\'), "byte " << c);
    BOOST_TEST(minimal(text_view(&ch, 1))[0] == '\\', "byte " << c);
  }
}

BOOST_AUTO_TEST_CASE(del_and_c1_controls) {
  BOOST_TEST(json("\x7f") == "\\u007f");
  BOOST_TEST(minimal("\x7f") == "\x7f", "minimal lets DEL through");
  BOOST_TEST(json("\xc2\x80\xc2\x9b\xc2\x9f") == "\\u0080\\u009b\\u009f");
  BOOST_TEST(json("\xc2\xa0") == "\xc2\xa0", "U+00A0 is not a control");
  BOOST_TEST(minimal("\xc2\x9b") == "\xc2\x9b", "minimal lets every byte from 0x80 through");
}

BOOST_AUTO_TEST_CASE(utf8_through_and_invalid_bytes_visible) {
  BOOST_TEST(json("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80") == "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
  BOOST_TEST(json("\xff") == "\\\\xff");
  BOOST_TEST(json("a\xc3") == "a\\\\xc3", "a sequence cut short");
  BOOST_TEST(json("\xc0\xaf") == "\\\\xc0\\\\xaf", "an overlong form");
  BOOST_TEST(json("\xed\xa0\x80") == "\\\\xed\\\\xa0\\\\x80", "a surrogate");
  BOOST_TEST(minimal("\xff") == "\xff");
}

BOOST_AUTO_TEST_CASE(the_log_text_format) {
  const auto text = [](text_view s) { return escaped(s, d::json_escaping::text); };
  const auto quoted = [](text_view s) { return escaped(s, d::json_escaping::quoted_text); };
  BOOST_TEST(text("a\"b\\c") == "a\"b\\c");
  BOOST_TEST(quoted("a\"b\\c") == "a\\\"b\\\\c");
  BOOST_TEST(text("\n\t\r") == "\\n\\t\\r");
  BOOST_TEST(text(text_view("\0\x1b\x7f", 3)) == "\\x00\\x1b\\x7f");
  BOOST_TEST(text("\xc2\x9b") == "\\u009b");
  BOOST_TEST(text("\xff") == "\\xff");
}

BOOST_AUTO_TEST_SUITE_END()
