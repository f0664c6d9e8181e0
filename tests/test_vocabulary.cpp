// vitte::text and vitte::buffer: the owning types sys returns instead of
// std::string and std::vector (vitte/text.hpp, vitte/buffer.hpp).
#include <vitte/base.hpp>
#include <vitte/buffer.hpp>
#include <vitte/text.hpp>

#include <boost/test/unit_test.hpp>

#include "print.hpp"

#include <cstddef>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

using vitte::buffer;
using vitte::text;

BOOST_AUTO_TEST_SUITE(text_type)

BOOST_AUTO_TEST_CASE(empty_text_allocates_nothing_and_reads_as_empty_c_string) {
  text t;
  BOOST_TEST(t.empty());
  BOOST_TEST(t.capacity() == 0u);
  BOOST_TEST(std::string_view(t.c_str()).empty());
  BOOST_TEST(t.view().empty());
  BOOST_TEST(t == "");
}

BOOST_AUTO_TEST_CASE(builds_from_views_pointers_and_std_strings) {
  std::string s = "from std";
  text a = s;  // implicit, like a view
  text b("literal");
  text c(std::string_view("with\0nul", 8));
  BOOST_TEST(a == "from std");
  BOOST_TEST(b.size() == 7u);
  BOOST_TEST(c.size() == 8u);
  BOOST_TEST(c.c_str()[8] == '\0');
  text d(3, 'x');
  BOOST_TEST(d == "xxx");
}

BOOST_AUTO_TEST_CASE(appends_grow_and_keep_the_nul) {
  text t;
  for (int i = 0; i < 1000; ++i) t.push_back(static_cast<char>('a' + i % 26));
  BOOST_TEST(t.size() == 1000u);
  BOOST_TEST(t.c_str()[1000] == '\0');
  BOOST_TEST(t.starts_with("abcdef"));
  t.append("!", 1).append(std::string_view("?"));
  BOOST_TEST(t.ends_with("!?"));
  t.resize(3);
  BOOST_TEST(t == "abc");
  t.resize(5, '-');
  BOOST_TEST(t == "abc--");
  t.clear();
  BOOST_TEST(t.empty());
  BOOST_TEST(t.c_str()[0] == '\0');
}

BOOST_AUTO_TEST_CASE(appending_a_part_of_itself_survives_the_reallocation) {
  text t("0123456789");
  for (int i = 0; i < 6; ++i) t.append(t.view());  // grows every time: the source is the old block
  BOOST_TEST(t.size() == 640u);
  for (std::size_t i = 0; i < t.size(); ++i) BOOST_REQUIRE(t[i] == static_cast<char>('0' + i % 10));
  text u("abc");
  u.append(u.data() + 1, 2);
  BOOST_TEST(u == "abcbc");
}

BOOST_AUTO_TEST_CASE(copies_and_moves_are_independent) {
  text a("original");
  text b = a;
  b += " copy";
  BOOST_TEST(a == "original");
  BOOST_TEST(b == "original copy");
  text c = static_cast<text&&>(b);
  BOOST_TEST(b.empty());  // moved from: empty, still usable
  b = "reused";
  BOOST_TEST(b == "reused");
  BOOST_TEST(c == "original copy");
  const text& same = c;
  c = same;  // self-assignment keeps the value
  BOOST_TEST(c == "original copy");
}

BOOST_AUTO_TEST_CASE(compares_and_converts_like_a_std_string) {
  text t("path/to/file");
  std::string s = t;  // implicit copy
  std::string_view v = t;
  BOOST_TEST(s == "path/to/file");
  BOOST_TEST(v.data() == t.data());
  BOOST_TEST(t == s);
  BOOST_TEST(t == std::string_view("path/to/file"));
  BOOST_TEST(t != "path");
  BOOST_TEST(t < text("q"));
  BOOST_TEST(t.find('/') == 4u);
  BOOST_TEST(t.rfind('/') == 7u);
  BOOST_TEST(t.substr(8) == "file");
  BOOST_TEST(t.substr(100).empty());
  BOOST_TEST((t + "!") == "path/to/file!");
  std::ostringstream os;
  os << t;
  BOOST_TEST(os.str() == "path/to/file");
}

BOOST_AUTO_TEST_CASE(try_reserve_refuses_impossible_sizes) {
  text t("kept");
  BOOST_TEST(!t.try_reserve(static_cast<std::size_t>(-1)));
  BOOST_TEST(t == "kept");
  BOOST_TEST(t.try_reserve(100));
  BOOST_TEST(t.capacity() >= 100u);
}

BOOST_AUTO_TEST_CASE(results_of_text_convert_to_results_of_std_string) {
  vitte::result<text> r = text("value");
  vitte::result<std::string> s = static_cast<vitte::result<text>&&>(r);
  BOOST_TEST(*s == "value");
  vitte::result<text> e = vitte::error{vitte::errc::not_found};
  vitte::result<std::string> f = e;
  BOOST_TEST(!f);
  BOOST_TEST(f.error() == vitte::errc::not_found);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(buffer_type)

BOOST_AUTO_TEST_CASE(holds_non_trivial_elements_through_growth) {
  buffer<text> b;
  for (int i = 0; i < 100; ++i) b.emplace_back(std::to_string(i) + " is a number long enough to be on the heap");
  BOOST_TEST(b.size() == 100u);
  BOOST_TEST(b[42].starts_with("42 "));
  b.push_back(b[0]);  // an element of itself, while growing or not
  BOOST_TEST(b.back() == b[0]);
  b.erase(b.begin() + 1);
  BOOST_TEST(b[1].starts_with("2 "));
  b.insert(b.begin(), text("first"));
  BOOST_TEST(b[0] == "first");
  BOOST_TEST(b[1].starts_with("0 "));
  b.pop_back();
  b.resize(3);
  BOOST_TEST(b.size() == 3u);
}

BOOST_AUTO_TEST_CASE(copies_moves_and_compares) {
  buffer<int> a{1, 2, 3};
  buffer<int> b = a;
  b.push_back(4);
  BOOST_TEST(a.size() == 3u);
  BOOST_TEST(!(a == b));
  b.pop_back();
  BOOST_TEST(a == b);
  buffer<int> c = static_cast<buffer<int>&&>(b);
  BOOST_TEST(b.empty());
  BOOST_TEST(c == a);
  a.append(a.data(), a.size());  // a copy of itself, through a reallocation
  BOOST_TEST(a.size() == 6u);
  BOOST_TEST(a[5] == 3);
}

BOOST_AUTO_TEST_CASE(converts_to_spans_and_std_vectors) {
  buffer<std::byte> bytes(4, std::byte{7});
  std::span<const std::byte> s = bytes;
  BOOST_TEST(s.size() == 4u);
  BOOST_TEST(s.data() == bytes.data());
  std::vector<std::byte> v = bytes;
  BOOST_TEST(v.size() == 4u);
  BOOST_TEST(static_cast<int>(v[3]) == 7);
  int sum = 0;
  for (std::byte x : bytes) sum += static_cast<int>(x);
  BOOST_TEST(sum == 28);
}

BOOST_AUTO_TEST_CASE(try_reserve_refuses_impossible_sizes) {
  buffer<std::uint64_t> b{1, 2};
  BOOST_TEST(!b.try_reserve(static_cast<std::size_t>(-1) / 4));
  BOOST_TEST(b.size() == 2u);
  BOOST_TEST(b[1] == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
