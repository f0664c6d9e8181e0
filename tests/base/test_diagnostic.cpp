// vitte::diagnostic, the one model of "what was wrong and where"
// (<vitte/base/diagnostic.hpp>): the line it prints for each kind of
// position, its bounds, copies, and the number formatting it shares with
// the base's text writer. What each layer's describe() gives from a real
// refusal: tests/base/test_diagnostic_layers.cpp.
#include <vitte/base/detail/text.hpp>
#include <vitte/base/diagnostic.hpp>

#include <cstdint>
#include <cstring>
#include <string>

#include <boost/test/unit_test.hpp>

#include "print.hpp"

using vitte::diagnostic;
using vitte::errc;

namespace {

std::string line(const diagnostic& d) {
  const vitte::diagnostic_line l = d.format();
  BOOST_TEST(l.text[l.length] == '\0');
  BOOST_TEST(std::strlen(l.c_str()) == l.length);
  return std::string(l.view().data(), l.view().size());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(model)

BOOST_AUTO_TEST_CASE(nothing_recorded) {
  const diagnostic d;
  BOOST_TEST(!d);
  BOOST_TEST(d.kind() == errc::ok);
  BOOST_TEST(!d.has_offset());
  BOOST_TEST(d.offset() == diagnostic::no_offset);
  BOOST_TEST(d.line() == 0u);
  BOOST_TEST(d.column() == 0u);
  BOOST_TEST(d.subject().empty());
  BOOST_TEST(d.message().empty());
  BOOST_TEST(d.subject().data()[0] == '\0');
  BOOST_TEST(d.message().data()[0] == '\0');
}

BOOST_AUTO_TEST_CASE(builders_set_each_field) {
  diagnostic d;
  d.of(errc::malformed).about("index.vitte").at(0x1a4).say("record 3: ").append("checksum mismatch");
  BOOST_TEST(static_cast<bool>(d));
  BOOST_TEST(d.kind() == errc::malformed);
  BOOST_TEST(d.has_offset());
  BOOST_TEST(d.offset() == 0x1a4u);
  BOOST_TEST(std::string(d.subject().data()) == "index.vitte");
  BOOST_TEST(std::string(d.message().data()) == "record 3: checksum mismatch");
  d.say("replaced");
  BOOST_TEST(std::string(d.message().data()) == "replaced");
  d.about("other");
  BOOST_TEST(std::string(d.subject().data()) == "other");
  // A line forgets the offset, an offset forgets the line.
  d.at_line(3, 7);
  BOOST_TEST(!d.has_offset());
  BOOST_TEST(d.line() == 3u);
  BOOST_TEST(d.column() == 7u);
  d.at(0);
  BOOST_TEST(d.has_offset());
  BOOST_TEST(d.offset() == 0u);
  BOOST_TEST(d.line() == 0u);
  BOOST_TEST(d.column() == 0u);
  d.at(diagnostic::no_offset);
  BOOST_TEST(!d.has_offset());
  d.clear();
  BOOST_TEST(!d);
  BOOST_TEST(d.subject().empty());
  // A kind alone is a problem recorded; so is a message alone.
  BOOST_TEST(static_cast<bool>(diagnostic().of(errc::not_found)));
  BOOST_TEST(static_cast<bool>(diagnostic().say("x")));
}

BOOST_AUTO_TEST_CASE(each_position_prints_its_way) {
  diagnostic d;
  d.of(errc::malformed).about("out/a.d").say("expected ':' after the targets");
  BOOST_TEST(line(d.at_line(3, 7)) == "out/a.d:3:7: expected ':' after the targets");
  BOOST_TEST(line(d.at_line(3)) == "out/a.d:3: expected ':' after the targets");
  BOOST_TEST(line(d.at(0x1a4)) == "out/a.d: at offset 0x1a4: expected ':' after the targets");
  BOOST_TEST(line(d.at(0)) == "out/a.d: at offset 0x0: expected ':' after the targets");
  BOOST_TEST(line(d.at(diagnostic::no_offset)) == "out/a.d: expected ':' after the targets");
  // Without a subject.
  d.about("");
  BOOST_TEST(line(d.at_line(3, 7)) == "line 3, column 7: expected ':' after the targets");
  BOOST_TEST(line(d.at_line(3)) == "line 3: expected ':' after the targets");
  BOOST_TEST(line(d.at(0xffffffffffffffe)) == "at offset 0xffffffffffffffe: expected ':' after the targets");
  BOOST_TEST(line(d.at(diagnostic::no_offset)) == "expected ':' after the targets");
  // Line 0 is no line, whatever the column.
  BOOST_TEST(line(d.at_line(0, 9)) == "expected ':' after the targets");
  BOOST_TEST(d.column() == 0u);
}

BOOST_AUTO_TEST_CASE(an_empty_message_prints_the_kind) {
  BOOST_TEST(line(diagnostic().of(errc::unexpected_eof).about("a.gz").at(12)) ==
             "a.gz: at offset 0xc: " + std::string(vitte::to_string(errc::unexpected_eof)));
  // The kind is not printed beside a message.
  BOOST_TEST(line(diagnostic().of(errc::malformed).say("bad magic")) == "bad magic");
}

BOOST_AUTO_TEST_CASE(numbers_in_decimal_and_hexadecimal) {
  diagnostic d;
  d.say("segment ").append(std::uint64_t{2}).append(": p_offset ").append(0x1001, true);
  d.append(", zero ").append(std::uint64_t{0}).append(" ").append(0, true);
  d.append(", max ").append(UINT64_MAX).append(" ").append(UINT64_MAX, true);
  BOOST_TEST(std::string(d.message().data()) ==
             "segment 2: p_offset 0x1001, zero 0 0x0, max 18446744073709551615 0xffffffffffffffff");
  // The base's writer does the digits, in any base up to 16.
  char buf[80];
  vitte::detail::text_writer w{buf, sizeof buf};
  w.append_unsigned(5, 2);
  w.append(" ");
  w.append_unsigned(255, 16);
  w.append(" ");
  w.append_unsigned(0, 8);
  w.append(" ");
  w.append_int(-42);
  BOOST_TEST(std::string(buf) == "101 ff 0 -42");
}

BOOST_AUTO_TEST_CASE(cut_at_capacity_and_always_terminated) {
  diagnostic d;
  const std::string long_subject(400, 's'), long_message(700, 'm');
  d.about(long_subject).say(long_message);
  BOOST_TEST(d.subject().size() == diagnostic::subject_capacity);
  BOOST_TEST(d.message().size() == diagnostic::message_capacity);
  BOOST_TEST(d.subject().data()[d.subject().size()] == '\0');
  BOOST_TEST(d.message().data()[d.message().size()] == '\0');
  BOOST_TEST(std::strlen(d.message().data()) == diagnostic::message_capacity);
  // Appending to a full message changes nothing, numbers included.
  d.append("more").append(123456);
  BOOST_TEST(d.message().size() == diagnostic::message_capacity);
  BOOST_TEST(d.message().data()[d.message().size() - 1] == 'm');
  // Room at the end: a number is cut where the room ends.
  d.say(std::string(diagnostic::message_capacity - 2, 'm')).append(123456);
  BOOST_TEST(std::string(d.message().data()).substr(diagnostic::message_capacity - 2) == "12");
  // The longest subject and message, at any position, fit the line uncut.
  d.about(long_subject).say(long_message).of(errc::malformed).at(UINT64_MAX - 1);
  const std::string l = line(d);
  BOOST_TEST(l.size() == diagnostic::subject_capacity + diagnostic::message_capacity +
                             std::strlen(": at offset 0xfffffffffffffffe: "));
  BOOST_TEST(l.size() < vitte::diagnostic_line::capacity);
}

BOOST_AUTO_TEST_CASE(a_copy_keeps_its_own_text) {
  diagnostic a;
  a.of(errc::malformed).about("a.tar").at(512).say("bad header checksum");
  const diagnostic b = a;
  a.about("changed").say("overwritten").at_line(1, 1).of(errc::io_error);
  BOOST_TEST(std::string(b.subject().data()) == "a.tar");
  BOOST_TEST(std::string(b.message().data()) == "bad header checksum");
  BOOST_TEST(b.offset() == 512u);
  BOOST_TEST(b.kind() == errc::malformed);
  BOOST_TEST(b.message().data() != a.message().data());
  diagnostic c;
  c = b;
  a = c;
  BOOST_TEST(line(a) == "a.tar: at offset 0x200: bad header checksum");
}

BOOST_AUTO_TEST_CASE(the_line_stays_one_printable_line) {
  diagnostic d;
  d.about("evil\x1b[2J\n").say(std::string("tab\there, cr\r, nul ", 19) + std::string(1, '\0') + "\x7f, bs \\");
  BOOST_TEST(line(d) == "evil\\x1b[2J\\n: tab\\there, cr\\r, nul \\x00\\x7f, bs \\");
  // UTF-8 passes through.
  BOOST_TEST(line(diagnostic().about("caf\xc3\xa9").say("ok")) == "caf\xc3\xa9: ok");
}

BOOST_AUTO_TEST_CASE(usable_in_constant_expressions) {
  constexpr vitte::diagnostic_line l = diagnostic().about("x.wasm").at(16).say("unexpected end").format();
  static_assert(l.view() == "x.wasm: at offset 0x10: unexpected end");
  constexpr diagnostic d = diagnostic().of(errc::malformed).at_line(2, 1);
  static_assert(d.line() == 2 && d.column() == 1 && d.kind() == errc::malformed && !d.has_offset());
}

BOOST_AUTO_TEST_SUITE_END()
