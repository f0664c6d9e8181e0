// The compile-time floor: built with -DVITTE_LOG_FLOOR=2 (errors and
// warnings only), the calls below it are gone, arguments unevaluated, even
// with the run-time threshold at trace.
#include <vitte/log.hpp>

#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#if VITTE_LOG_FLOOR != 2
#error "tests/log/test_log_floor.cpp is built with -DVITTE_LOG_FLOOR=2"
#endif

namespace lg = vitte::log;

namespace {
std::vector<std::string> lines;
void take(void*, lg::level, vitte::text_view line, vitte::text_view, vitte::span<const lg::field>) {
  lines.emplace_back(line);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(log_floor)

BOOST_AUTO_TEST_CASE(calls_below_the_floor_are_compiled_out) {
  static_assert(lg::compiled_floor == lg::level::warn);
  lg::callback_sink s(&take, nullptr, {lg::format::text, false, false});
  lg::logger log(lg::level::trace);
  BOOST_REQUIRE(log.add(s).has_value());
  int evaluated = 0;
  auto count = [&] { return ++evaluated; };
  VITTE_LOGGER_INFO(log, "gone", {{"n", count()}});
  VITTE_LOGGER_DEBUG(log, "gone", {{"n", count()}});
  VITTE_LOGGER_TRACE(log, "gone", {{"n", count()}});
  BOOST_TEST(evaluated == 0);
  BOOST_TEST(!log.enabled(lg::level::info));
  log.info("gone too");  // the call form honours the floor as well
  VITTE_LOGGER_WARN(log, "kept", {{"n", count()}});
  BOOST_TEST(evaluated == 1);
  BOOST_REQUIRE(lines.size() == 1u);
  BOOST_TEST(lines[0] == "warn  kept n=1\n");
}

BOOST_AUTO_TEST_SUITE_END()
