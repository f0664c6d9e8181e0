// vitte's vocabulary types, which sys uses instead of the std ones to keep
// <vitte/sys.hpp> cheap to compile: the owning vitte::text and
// vitte::buffer (std::string, std::vector) and the views vitte::text_view
// and vitte::span (std::string_view, std::span). Each must convert to and
// from its std counterpart and behave like it.
#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>

#include <array>
#include <cstddef>
#include <iomanip>
#include <random>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "print.hpp"

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

BOOST_AUTO_TEST_CASE(assigns_swaps_and_concatenates_like_a_std_string) {
  text t = "before";
  const std::string s = "a std::string long enough to be on the heap";
  t = s;  // from a std::string: neither ambiguous nor through a temporary view
  BOOST_TEST(t == s);
  t.assign(vitte::text_view("abc"));
  BOOST_TEST(t == "abc");
  BOOST_TEST(t.size() == 3u);
  t.assign(t.data() + 1, 2);  // a part of itself
  BOOST_TEST(t == "bc");
  BOOST_TEST(t.c_str()[2] == '\0');
  text other = "other";
  t.swap(other);
  BOOST_TEST(t == "other");
  BOOST_TEST(other == "bc");
  const text joined = "(" + t + ")";  // a literal on the left, as with std::string
  BOOST_TEST(joined == "(other)");
  const text from_std = std::string("std:") + t;
  BOOST_TEST(from_std == "std:other");
  BOOST_TEST(t + std::string("!") == "other!");
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

BOOST_AUTO_TEST_CASE(builds_from_std_vectors_and_erases_and_assigns_ranges) {
  const std::vector<text> v = {text("a"), text("b"), text("c"), text("d"), text("e")};
  buffer<text> b = v;  // implicitly, as the conversion back
  BOOST_TEST(b.size() == 5u);
  BOOST_TEST(b[4] == "e");
  b = std::vector<text>{text("x")};
  BOOST_TEST(b.size() == 1u);
  b = v;
  text* after = b.erase(b.begin() + 1, b.begin() + 3);  // "b", "c"
  BOOST_TEST(after == b.begin() + 1);
  BOOST_TEST(b.size() == 3u);
  BOOST_TEST(b[0] == "a");
  BOOST_TEST(b[1] == "d");
  BOOST_TEST(b[2] == "e");
  BOOST_TEST(b.erase(b.end(), b.end()) == b.end());  // an empty range removes nothing
  BOOST_TEST(b.size() == 3u);
  b.erase(b.begin(), b.end());
  BOOST_TEST(b.empty());
  b.assign(v.data() + 3, v.data() + 5);
  BOOST_TEST(b.size() == 2u);
  BOOST_TEST(b[0] == "d");
  b.assign(3, text("z"));
  BOOST_TEST(b.size() == 3u);
  BOOST_TEST(b[2] == "z");
}

BOOST_AUTO_TEST_CASE(try_reserve_refuses_impossible_sizes) {
  buffer<std::uint64_t> b{1, 2};
  BOOST_TEST(!b.try_reserve(static_cast<std::size_t>(-1) / 4));
  BOOST_TEST(b.size() == 2u);
  BOOST_TEST(b[1] == 2u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(text_view_type)

using vitte::text_view;

// Every search and slice agrees with std::string_view on random strings over
// a small alphabet (so that matches, misses and repeats all happen).
BOOST_AUTO_TEST_CASE(searches_and_slices_agree_with_std_string_view) {
  std::mt19937 rng(7);
  auto random_string = [&](std::size_t max) {
    std::string r(rng() % (max + 1), ' ');
    for (char& c : r) c = static_cast<char>('a' + rng() % 3);
    return r;
  };
  for (int round = 0; round < 2000; ++round) {
    std::string hay = random_string(12), needle = random_string(3);
    std::string_view s = hay, n = needle;
    text_view v = hay, w = needle;
    std::size_t pos = rng() % 15;
    char c = static_cast<char>('a' + rng() % 4);
    BOOST_TEST(v.find(w, pos) == s.find(n, pos));
    BOOST_TEST(v.find(c, pos) == s.find(c, pos));
    BOOST_TEST(v.rfind(w) == s.rfind(n));
    BOOST_TEST(v.rfind(w, pos) == s.rfind(n, pos));
    BOOST_TEST(v.rfind(c, pos) == s.rfind(c, pos));
    BOOST_TEST(v.find_first_of(w, pos) == s.find_first_of(n, pos));
    BOOST_TEST(v.find_last_of(w, pos) == s.find_last_of(n, pos));
    BOOST_TEST(v.find_first_not_of(w, pos) == s.find_first_not_of(n, pos));
    BOOST_TEST(v.find_last_not_of(w, pos) == s.find_last_not_of(n, pos));
    BOOST_TEST(v.starts_with(w) == s.starts_with(n));
    BOOST_TEST(v.ends_with(w) == s.ends_with(n));
    BOOST_TEST((v.compare(w) < 0) == (s.compare(n) < 0));
    BOOST_TEST((v.compare(w) == 0) == (s.compare(n) == 0));
    BOOST_TEST(((v <=> w) < 0) == ((s <=> n) < 0));
    if (pos <= s.size()) BOOST_TEST(std::string_view(v.substr(pos, 2)) == s.substr(pos, 2));
  }
}

BOOST_AUTO_TEST_CASE(converts_both_ways_without_copying) {
  std::string owner = "vitte";
  text_view v = owner;  // from std::string
  BOOST_TEST(v.data() == owner.data());
  std::string_view sv = v;  // to std::string_view
  BOOST_TEST(sv.data() == owner.data());
  text_view back = sv;  // from std::string_view
  BOOST_TEST(back.size() == 5u);
  std::string copy(v);  // std::string's own view constructor
  BOOST_TEST(copy == "vitte");
  copy += v;
  BOOST_TEST(copy == "vittevitte");
  text t = v;
  BOOST_TEST(t == "vitte");
  text_view of_text = t;
  BOOST_TEST(of_text.data() == t.c_str());
}

BOOST_AUTO_TEST_CASE(compares_with_every_string_kind) {
  text_view v = "abc";
  std::string s = "abc";
  std::string_view sv = "abd";
  BOOST_TEST((v == "abc"));
  BOOST_TEST((v == s));
  BOOST_TEST((s == v));
  BOOST_TEST(!(v == sv));
  BOOST_TEST((sv != v));
  BOOST_TEST((v < sv));
  BOOST_TEST((v == text("abc")));
}

BOOST_AUTO_TEST_CASE(out_of_range_slices_clamp_instead_of_throwing) {
  text_view v = "abc";
  BOOST_TEST(v.substr(7).empty());
  BOOST_TEST(v.substr(1, 99) == "bc");
  text_view w = v;
  w.remove_prefix(9);
  BOOST_TEST(w.empty());
  w = v;
  w.remove_suffix(9);
  BOOST_TEST(w.empty());
}

BOOST_AUTO_TEST_CASE(is_usable_in_constant_expressions) {
  static_assert(text_view("a/b/c").rfind('/') == 3);
  static_assert(text_view("a/b/c").substr(2) == "b/c");
  static_assert(text_view("name").starts_with("na"));
  static_assert(!std::is_constructible_v<text_view, std::nullptr_t>);
  // On local arrays too (GCC folds the string builtins only on literals).
  constexpr bool on_local = [] {
    char a[4] = {'a', 'b', 'c', '\0'}, b[3] = {'a', 'b', 'd'};
    text_view x = a, y{b, 3};
    return x.size() == 3 && x < y && x.find("bc") == 1 && x.compare(0, 2, y, 0, 2) == 0 && !(x == y);
  }();
  static_assert(on_local);
  BOOST_TEST(on_local);
}

BOOST_AUTO_TEST_CASE(texts_order_against_views_and_strings) {
  text t = "abc";
  std::string_view sv = "abd";
  std::string s = "abb";
  BOOST_TEST((t < sv));
  BOOST_TEST((sv > t));
  BOOST_TEST((t > s));
  BOOST_TEST((t < "abz"));
  BOOST_TEST(((t <=> text_view("abc")) == 0));
}

BOOST_AUTO_TEST_CASE(streams_with_width_and_alignment) {
  std::ostringstream os;
  os << std::setw(6) << text_view("ab") << '|' << std::left << std::setw(4) << text_view("cd") << '|'
     << text_view("ef");
  BOOST_TEST(os.str() == "    ab|cd  |ef");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(span_type)

using vitte::span;

span<std::byte> scratch() {
  static std::byte bytes[8];
  return bytes;
}

BOOST_AUTO_TEST_CASE(views_arrays_containers_and_std_spans) {
  int raw[4] = {1, 2, 3, 4};
  std::vector<int> vec{5, 6, 7};
  std::array<int, 2> arr{8, 9};
  span<int> a = raw;
  span<const int> b = vec;
  span<int> c = arr;
  span<const int> d = std::span<int>(raw);
  BOOST_TEST(a.size() == 4u);
  BOOST_TEST(b[2] == 7);
  BOOST_TEST(c.back() == 9);
  BOOST_TEST(d.data() == raw);
  span<const int> e = a;  // adds const
  BOOST_TEST(e.front() == 1);
  buffer<int> owned{1, 2, 3};
  span<int> f = owned;
  BOOST_TEST(f.data() == owned.data());
  // Temporaries: only through a const view, as std::span.
  static_assert(std::is_constructible_v<span<const int>, std::vector<int>&&>);
  static_assert(!std::is_constructible_v<span<int>, std::vector<int>&&>);
  static_assert(std::is_constructible_v<span<int>, std::span<int>&&>);  // a view is not an owner
  static_assert(!std::is_constructible_v<span<int>, const std::vector<int>&>);
  static_assert(!std::is_constructible_v<span<const std::byte>, std::string&>);
}

BOOST_AUTO_TEST_CASE(converts_to_std_span_from_lvalues_and_temporaries) {
  std::span<std::byte> from_temporary = scratch();
  std::span<const std::byte> const_from_temporary = scratch();
  span<std::byte> v = scratch();
  std::span<std::byte> from_lvalue = v;
  BOOST_TEST(from_temporary.data() == v.data());
  BOOST_TEST(const_from_temporary.size() == 8u);
  BOOST_TEST(from_lvalue.size() == 8u);
  auto takes_std = [](std::span<const std::byte> s) { return s.size(); };
  BOOST_TEST(takes_std(scratch()) == 8u);
  BOOST_TEST(takes_std(v) == 8u);
}

BOOST_AUTO_TEST_CASE(slices_and_bytes) {
  int raw[5] = {1, 2, 3, 4, 5};
  span<int> s = raw;
  BOOST_TEST(s.first(2).back() == 2);
  BOOST_TEST(s.last(2).front() == 4);
  BOOST_TEST(s.subspan(1).size() == 4u);
  BOOST_TEST(s.subspan(1, 3).back() == 4);
  BOOST_TEST(s.subspan(5).empty());
  BOOST_TEST(vitte::as_bytes(s).size() == sizeof raw);
  auto w = vitte::as_writable_bytes(s);
  w[0] = std::byte{0};
  BOOST_TEST(static_cast<int>(vitte::as_bytes(s)[0]) == 0);
  int sum = 0;
  for (int x : s) sum += x;
  BOOST_TEST(sum == 14);
  span deduced = raw;
  static_assert(std::is_same_v<decltype(deduced), span<int>>);
  span from_temporary_view{std::span<int>(raw)};  // deduces from an rvalue view
  static_assert(std::is_same_v<decltype(from_temporary_view), span<int>>);
  span<int> none(raw, 0);  // a count, not a null end pointer
  BOOST_TEST(none.empty());
  span<int> range(raw + 1, raw + 3);
  BOOST_TEST(range.size() == 2u);
  span<const int> const_range(raw + 1, raw + 4);  // mutable pointers into a const view
  BOOST_TEST(const_range.size() == 3u);
}

// A temporary owner with a data member that happens to be named `extent` is
// not a view: it cannot be viewed mutably.
struct grid {
  std::vector<int> cells;
  int extent = 0;
  int* data() { return cells.data(); }
  std::size_t size() const { return cells.size(); }
};
static_assert(!std::is_constructible_v<vitte::span<int>, grid&&>);
static_assert(std::is_constructible_v<vitte::span<int>, grid&>);

BOOST_AUTO_TEST_SUITE_END()
