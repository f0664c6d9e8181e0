// The error model: vitte::error, vitte::result, messages, std::error_code.
#include <vitte/base/error.hpp>
#include <vitte/base/error_code.hpp>
#include <vitte/base/result.hpp>
#include <vitte/sys/platform.hpp>

#include <memory>
#include <string>
#include <type_traits>

#include <boost/test/unit_test.hpp>

#include "print.hpp"

// A layer outside vitte declares its operations without touching the base.
#define SPOOLER_OPERATIONS(X) X(enqueue) X(flush) X(print_page)
namespace spooler {
VITTE_OPERATIONS(ops, vitte::facility{200}, "spooler", SPOOLER_OPERATIONS);
}  // namespace spooler

using vitte::errc;
using vitte::error;
using vitte::operation;
using vitte::result;

BOOST_AUTO_TEST_SUITE(error_model)

BOOST_AUTO_TEST_CASE(error_is_small_and_trivial) {
  static_assert(sizeof(error) == 8);
  static_assert(std::is_trivially_copyable_v<error>);
  static_assert(std::is_nothrow_default_constructible_v<error>);
  BOOST_TEST(!error{});
  BOOST_TEST(error{}.kind() == errc::ok);
}

BOOST_AUTO_TEST_CASE(error_keeps_kind_operation_and_native_code) {
  constexpr error e{errc::timed_out, vitte::sys::ops::sleep, 110, vitte::error_domain::posix};
  static_assert(e.kind() == errc::timed_out);
  BOOST_TEST(static_cast<bool>(e));
  BOOST_TEST(e == errc::timed_out);
  BOOST_TEST(!(e == errc::interrupted));
  BOOST_TEST(e.op() == vitte::sys::ops::sleep);
  BOOST_TEST(e.native() == 110);
  BOOST_TEST((e.domain() == vitte::error_domain::posix));
}

BOOST_AUTO_TEST_CASE(message_names_operation_and_kind) {
  error e{errc::malformed, vitte::sys::ops::read};
  BOOST_TEST(std::string(e.message().view()) == "read: malformed input");
  BOOST_TEST(std::string(e.message().c_str()) == "read: malformed input");
}

BOOST_AUTO_TEST_CASE(a_layer_outside_the_base_names_its_operations) {
  static_assert(sizeof(operation) == 2);
  static_assert(spooler::ops::flush.facility() == vitte::facility{200});
  static_assert(spooler::ops::enqueue.code() == 1 && spooler::ops::print_page.code() == 3);
  static_assert(spooler::ops::flush != vitte::sys::ops::open);
  error e{errc::no_space, spooler::ops::print_page};
  static_assert(sizeof e == 8);
  BOOST_TEST(std::string(e.message().view()) == "print_page: no space left");
  BOOST_TEST(std::string(vitte::to_string(spooler::ops::flush)) == "flush");
  BOOST_TEST(vitte::operations_of(vitte::facility{200})->layer == "spooler");
  // The library's own layers register the same way.
  BOOST_TEST(vitte::operations_of(vitte::facility::sys)->layer == "sys");
  BOOST_TEST(std::string(vitte::to_string(operation::none)) == "vitte");
}

BOOST_AUTO_TEST_CASE(an_unregistered_facility_prints_its_numbers) {
  error e{errc::busy, operation{vitte::facility{201}, 7}};
  BOOST_TEST(vitte::to_string(e.op()).empty());
  BOOST_TEST(std::string(e.message().view()) == "facility 201 op 7: resource busy");
  // A code past the end of a registered table reads the same way.
  BOOST_TEST(std::string(error{errc::busy, operation{vitte::facility{200}, 9}}.message().view()) ==
             "facility 200 op 9: resource busy");
}

BOOST_AUTO_TEST_CASE(message_includes_native_text) {
  error e = vitte::sys::platform::make_error(errc::not_found, vitte::sys::ops::open);
  BOOST_TEST(e.kind() == errc::not_found);
  BOOST_TEST(e.native() != 0);
  std::string m(e.message().view());
  BOOST_TEST(m.rfind("open: not found (", 0) == 0, m);
  // The OS's own text follows the code: "(errno 2: No such file or directory)".
  BOOST_TEST(m.find(": ", m.find('(')) != std::string::npos, m);
  BOOST_TEST(m.back() == ')');
}

BOOST_AUTO_TEST_CASE(every_kind_has_a_name) {
  for (int k = 0; k <= static_cast<int>(errc::unknown); ++k) {
    auto name = vitte::to_string(static_cast<errc>(k));
    BOOST_TEST(!name.empty());
    if (k != static_cast<int>(errc::unknown)) BOOST_TEST(name != "unknown error");
  }
}

BOOST_AUTO_TEST_CASE(classify_round_trips_make_error) {
  using P = vitte::sys::platform;
  for (int k = 1; k < static_cast<int>(errc::unknown); ++k) {
    error e = P::make_error(static_cast<errc>(k), operation::none);
    BOOST_TEST(e.kind() == static_cast<errc>(k));
    if (e.domain() == vitte::error_domain::none) continue;  // library-detected kinds
    BOOST_TEST(P::classify(e.native()) == static_cast<errc>(k), vitte::to_string(static_cast<errc>(k)));
  }
}

BOOST_AUTO_TEST_CASE(message_truncates_without_overflow) {
  vitte::error_message m;
  vitte::detail::text_writer w{m.text, 8};
  w.append("0123456789");
  w.finish(m);
  BOOST_TEST(m.length == 7u);
  BOOST_TEST(std::string(m.c_str()) == "0123456");
  vitte::detail::text_writer z{m.text, 0};
  z.append("x");  // capacity 0: writes nothing
  BOOST_TEST(z.len == 0u);
  char buf[32];
  vitte::detail::text_writer n{buf, sizeof buf};
  n.append_int(INT64_MIN);
  BOOST_TEST(std::string(buf) == "-9223372036854775808");
}

BOOST_AUTO_TEST_CASE(result_holds_value_or_error) {
  result<int> ok = 42;
  BOOST_TEST(ok.has_value());
  BOOST_TEST(*ok == 42);
  BOOST_TEST(ok.value() == 42);
  BOOST_TEST(!ok.error());

  result<int> bad = error{errc::not_found, vitte::sys::ops::open};
  BOOST_TEST(!bad);
  BOOST_TEST(bad.error() == errc::not_found);
  BOOST_TEST(bad.value_or(7) == 7);

  result<int> from_kind = errc::limit_exceeded;
  BOOST_TEST(from_kind.error() == errc::limit_exceeded);
}

BOOST_AUTO_TEST_CASE(result_value_on_error_throws_with_exceptions) {
  result<int> bad = error{errc::not_found, vitte::sys::ops::open};
  BOOST_CHECK_EXCEPTION((void)bad.value(), vitte::bad_result_access, [](const vitte::bad_result_access& e) {
    return e.error() == errc::not_found && std::string(e.what()) == "open: not found";
  });
  vitte::status s = error{errc::busy};
  BOOST_CHECK_THROW(s.value(), vitte::bad_result_access);
}

BOOST_AUTO_TEST_CASE(result_of_a_scalar_is_trivially_copyable) {
  // Trivial results travel in registers: no cost over returning the scalar.
  static_assert(std::is_trivially_copyable_v<result<int>>);
  static_assert(std::is_trivially_copyable_v<result<std::size_t>>);
  static_assert(std::is_trivially_destructible_v<result<long>>);
  static_assert(std::is_trivially_copyable_v<vitte::status>);
  static_assert(!std::is_trivially_copyable_v<result<std::unique_ptr<int>>>);
  static_assert(!std::is_copy_constructible_v<result<std::unique_ptr<int>>>);
  static_assert(sizeof(result<std::int64_t>) == 16);
}

BOOST_AUTO_TEST_CASE(result_owns_move_only_values) {
  result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  BOOST_TEST(**r == 5);
  result<std::unique_ptr<int>> moved = std::move(r);
  BOOST_TEST(**moved == 5);
  std::unique_ptr<int> p = std::move(moved).value();
  BOOST_TEST(*p == 5);
}

BOOST_AUTO_TEST_CASE(result_destroys_its_value_once) {
  static int alive = 0;
  struct counted {
    counted() { ++alive; }
    counted(const counted&) { ++alive; }
    ~counted() { --alive; }
  };
  {
    result<counted> a = counted{};
    result<counted> b = a;
    BOOST_TEST(alive == 2);
    b = error{errc::busy};
    BOOST_TEST(alive == 1);
    b = a;
    BOOST_TEST(alive == 2);
  }
  BOOST_TEST(alive == 0);
}

BOOST_AUTO_TEST_CASE(result_assignment_survives_a_throwing_copy) {
  static bool explode = false;
  struct fragile {
    fragile() = default;
    fragile(const fragile&) {
      if (explode) throw 42;
    }
    fragile& operator=(const fragile&) = default;
  };
  result<fragile> source = fragile{};
  result<fragile> target = fragile{};
  explode = true;
  BOOST_CHECK_THROW(target = source, int);
  explode = false;
  BOOST_TEST(!target.has_value());  // an error, never a destroyed value
  BOOST_TEST(target.error() == errc::unknown);
  target = source;
  BOOST_TEST(target.has_value());
}

BOOST_AUTO_TEST_CASE(result_transform_and_and_then) {
  auto twice = result<int>(21).transform([](int v) { return v * 2; });
  BOOST_TEST(*twice == 42);
  auto failed = result<int>(errc::busy).transform([](int v) { return v * 2; });
  BOOST_TEST(failed.error() == errc::busy);
  auto chained = result<int>(3).and_then(
      [](int v) -> result<long> { return v > 2 ? result<long>(errc::limit_exceeded) : result<long>(v); });
  BOOST_TEST(chained.error() == errc::limit_exceeded);
}

BOOST_AUTO_TEST_CASE(status_is_success_by_default) {
  vitte::status s;
  BOOST_TEST(s.has_value());
  vitte::status e = error{errc::io_error};
  BOOST_TEST(!e);
  BOOST_TEST(e.error() == errc::io_error);
}

BOOST_AUTO_TEST_CASE(error_code_bridge) {
  std::error_code native =
      vitte::to_error_code(vitte::sys::platform::make_error(errc::timed_out, vitte::sys::ops::sleep));
  BOOST_TEST(static_cast<bool>(native));
  BOOST_TEST((native == std::errc::timed_out));

  std::error_code own = vitte::to_error_code(error{errc::malformed, vitte::sys::ops::read});
  BOOST_TEST(std::string(own.category().name()) == "vitte");
  BOOST_TEST(own.message() == "malformed input");

  std::error_code mapped = errc::no_space;
  BOOST_TEST((mapped == std::errc::no_space_on_device));
  BOOST_TEST(!vitte::to_error_code(error{}));
}

BOOST_AUTO_TEST_SUITE_END()
