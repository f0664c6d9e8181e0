// Policy selection, capabilities, the freestanding policy on a fake board,
// and fault injection through fault_platform.
#include <vitte/sys.hpp>
#include <vitte/sys/policy/fault.hpp>
#include <vitte/sys/policy/freestanding.hpp>

#include <atomic>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "print.hpp"

using namespace std::chrono_literals;
namespace sys = vitte::sys;
using vitte::errc;
using vitte::operation;

namespace {

// A board whose clock the test moves by hand.
struct fake_board {
  static inline std::uint64_t now = 0;
  static inline unsigned idles = 0;
  static std::uint64_t ticks() noexcept { return now; }
  static constexpr std::uint64_t ticks_per_second = 32768;  // a watch crystal
  static void idle() noexcept {
    ++idles;
    now += 16;  // time passes while idle
  }
};

// A board with a tick source and nothing else: no idle hook, no wall clock.
struct bare_board {
  static std::uint64_t ticks() noexcept {
    static std::uint64_t t = 0;
    return t += 1000;
  }
  static constexpr std::uint64_t ticks_per_second = 1'000'000;
};

struct wall_board : bare_board {
  static std::int64_t realtime_offset_ns() noexcept { return 1'700'000'000'000'000'000; }
};

using fake = sys::freestanding_platform<fake_board>;
using bare = sys::freestanding_platform<bare_board>;
using walled = sys::freestanding_platform<wall_board>;
using faulty = sys::fault_platform<sys::platform>;

}  // namespace

BOOST_AUTO_TEST_SUITE(policy)

BOOST_AUTO_TEST_CASE(default_policy_matches_the_build) {
  std::string name(sys::platform_name());
#if VITTE_POLICY == VITTE_POLICY_LINUX
  BOOST_TEST(name == "linux");
#elif VITTE_POLICY == VITTE_POLICY_POSIX
  BOOST_TEST(name == "posix");
#elif VITTE_POLICY == VITTE_POLICY_WIN32
  BOOST_TEST(name == "win32");
#endif
  static_assert(sys::clock_capability<sys::platform>);
  static_assert(sys::sleep_capability<sys::platform>);
  static_assert(sys::error_capability<sys::platform>);
  static_assert(sys::system_info_capability<sys::platform>);
  static_assert(std::is_same_v<sys::monotonic_clock::policy, sys::platform>);
}

BOOST_AUTO_TEST_CASE(system_info_is_real) {
  std::size_t page = sys::page_size();
  BOOST_TEST(page >= 4096u);
  BOOST_TEST((page & (page - 1)) == 0u);
  BOOST_TEST(sys::allocation_granularity() >= page);
  BOOST_TEST(sys::cpu_count() >= 1u);
  auto os = sys::os_description();
  BOOST_TEST(os.length > 0u);
  BOOST_TEST(std::strlen(os.c_str()) == os.length);
}

BOOST_AUTO_TEST_CASE(capabilities_follow_the_board) {
  static_assert(sys::clock_capability<fake>);
  static_assert(sys::sleep_capability<fake>);
  static_assert(!sys::system_info_capability<fake>);
  static_assert(fake::has_clock(sys::clock_id::monotonic));
  static_assert(!fake::has_clock(sys::clock_id::realtime));
  static_assert(walled::has_clock(sys::clock_id::realtime));
  static_assert(!fake::has_clock(sys::clock_id::thread_cpu));
  struct no_ticks {};
  static_assert(!sys::clock_capability<sys::freestanding_platform<no_ticks>>);
}

BOOST_AUTO_TEST_CASE(freestanding_clock_reads_the_tick_source) {
  using clock = sys::basic_clock<fake, sys::clock_id::monotonic>;
  fake_board::now = 32768 * 3 + 16384;  // 3.5 s
  BOOST_TEST(clock::now().time_since_epoch().count() == 3'500'000'000);
  BOOST_TEST(clock::resolution().count() == 30518);  // ceil(1e9 / 32768)
  // No overflow near the top of the tick range.
  fake_board::now = ~std::uint64_t{0} / 1'000'000;
  BOOST_TEST(clock::now().time_since_epoch().count() > 0);
}

BOOST_AUTO_TEST_CASE(freestanding_sleep_uses_idle) {
  fake_board::now = 0;
  fake_board::idles = 0;
  BOOST_TEST(sys::sleep_for<fake>(10ms).has_value());
  BOOST_TEST(fake_board::idles > 0u);
  BOOST_TEST(fake::clock_now_ns(sys::clock_id::monotonic) >= 10'000'000);

  auto d = sys::basic_deadline<fake>::after(1ms);
  BOOST_TEST(sys::sleep_until(d).has_value());
  BOOST_TEST(d.expired());
}

BOOST_AUTO_TEST_CASE(freestanding_without_idle_spins) {
  auto t0 = bare::clock_now_ns(sys::clock_id::monotonic);
  BOOST_TEST(sys::sleep_for<bare>(5ms).has_value());
  BOOST_TEST(bare::clock_now_ns(sys::clock_id::monotonic) - t0 >= 5'000'000);
}

BOOST_AUTO_TEST_CASE(freestanding_realtime_adds_the_offset) {
  using wall = sys::basic_clock<walled, sys::clock_id::realtime>;
  BOOST_TEST(wall::now().time_since_epoch().count() > 1'700'000'000'000'000'000);
  vitte::error e = walled::make_error(errc::no_space, vitte::sys::ops::write);
  BOOST_TEST((e.domain() == vitte::error_domain::none));
  BOOST_TEST(std::string(e.message().view()) == "write: no space left");
}

BOOST_AUTO_TEST_CASE(fault_policy_passes_through_without_rules) {
  sys::fault_plan::clear();
  static_assert(sys::clock_capability<faulty> && sys::sleep_capability<faulty>);
  auto t0 = sys::basic_clock<faulty, sys::clock_id::monotonic>::now();
  BOOST_TEST(sys::sleep_for<faulty>(2ms).has_value());
  BOOST_TEST((sys::basic_clock<faulty, sys::clock_id::monotonic>::now() - t0) >= 2ms);
  BOOST_TEST(sys::fault_plan::calls(vitte::sys::ops::sleep) == 1u);
  BOOST_TEST(sys::fault_plan::calls(vitte::sys::ops::clock_now) >= 2u);
}

BOOST_AUTO_TEST_CASE(eintr_during_sleep_is_retried) {
  sys::fault_plan::clear();
  BOOST_TEST(sys::fault_plan::fail(vitte::sys::ops::sleep, errc::interrupted, 3));
  auto t0 = sys::monotonic_clock::now();
  BOOST_TEST(sys::sleep_for<faulty>(15ms).has_value());
  BOOST_TEST((sys::monotonic_clock::now() - t0) >= 15ms);  // no drift, no early return
  BOOST_TEST(sys::fault_plan::calls(vitte::sys::ops::sleep) == 4u);
  BOOST_TEST(sys::fault_plan::pending(vitte::sys::ops::sleep) == 0u);
}

BOOST_AUTO_TEST_CASE(other_sleep_errors_are_reported) {
  sys::fault_plan::clear();
  BOOST_TEST(sys::fault_plan::fail(vitte::sys::ops::sleep, errc::interrupted, 1));
  BOOST_TEST(sys::fault_plan::fail(vitte::sys::ops::sleep, errc::invalid_argument, 1));
  auto s = sys::sleep_for<faulty>(1ms);
  BOOST_TEST(s.error() == errc::invalid_argument);
  BOOST_TEST(s.error().op() == vitte::sys::ops::sleep);
  BOOST_TEST(s.error().native() != 0);  // the base policy's own code
  BOOST_TEST(sys::fault_plan::calls(vitte::sys::ops::sleep) == 2u);
}

BOOST_AUTO_TEST_CASE(fault_plan_skips_counts_and_orders_rules) {
  sys::fault_plan::clear();
  BOOST_TEST(sys::fault_plan::fail(vitte::sys::ops::write, errc::no_space, 1, 2));
  BOOST_TEST(sys::fault_plan::shorten(vitte::sys::ops::write, 3, 1));
  BOOST_TEST(sys::fault_plan::fail(vitte::sys::ops::open, errc::too_many_open_files));
  BOOST_TEST(sys::fault_plan::fail(vitte::sys::ops::read, errc::would_block));
  // write: two calls pass (skip), the third fails, then the short rule applies.
  BOOST_TEST(!sys::fault_plan::next(vitte::sys::ops::write));
  BOOST_TEST(!sys::fault_plan::next(vitte::sys::ops::write));
  auto f = sys::fault_plan::next(vitte::sys::ops::write);
  BOOST_TEST((f.what == sys::fault::action::fail && f.kind == errc::no_space));
  auto s = sys::fault_plan::next(vitte::sys::ops::write);
  BOOST_TEST((s.what == sys::fault::action::short_transfer && s.max_bytes == 3u));
  BOOST_TEST(!sys::fault_plan::next(vitte::sys::ops::write));
  BOOST_TEST(sys::fault_plan::next(vitte::sys::ops::open).kind == errc::too_many_open_files);
  BOOST_TEST(sys::fault_plan::next(vitte::sys::ops::read).kind == errc::would_block);
  BOOST_TEST(sys::fault_plan::calls(vitte::sys::ops::write) == 5u);
  sys::fault_plan::clear();
  BOOST_TEST(sys::fault_plan::calls(vitte::sys::ops::write) == 0u);
}

BOOST_AUTO_TEST_CASE(fault_plan_reports_when_full) {
  sys::fault_plan::clear();
  for (std::size_t i = 0; i < sys::fault_plan::max_rules; ++i)
    BOOST_TEST(sys::fault_plan::fail(vitte::sys::ops::read, errc::io_error));
  BOOST_TEST(!sys::fault_plan::fail(vitte::sys::ops::read, errc::io_error));
  sys::fault_plan::clear();
}

BOOST_AUTO_TEST_CASE(the_fault_clock_moves_forward_and_deadlines_follow) {
  sys::fault_plan::clear();
  using clock = sys::basic_clock<faulty, sys::clock_id::monotonic>;
  const auto real0 = sys::monotonic_clock::now();
  const auto t0 = clock::now();
  sys::fault_plan::advance_clock(-5'000'000'000);  // never back
  BOOST_TEST(sys::fault_plan::clock_offset() == 0);
  sys::fault_plan::advance_clock(10'000'000'000);
  BOOST_TEST(sys::fault_plan::clock_offset() == 10'000'000'000);
  BOOST_TEST((clock::now() - t0) >= 10s);
  // A deadline 20 ms ahead on the moved clock is 20 ms ahead for the base:
  // a sleep and a socket wait end then, not 10 s later.
  BOOST_TEST(sys::sleep_until(sys::basic_deadline<faulty>::after(20ms)).has_value());
  auto pair = sys::basic_socket<faulty>::pair(sys::socket_type::stream).value();
  auto w = pair.first.wait(sys::io_events::readable, sys::basic_deadline<faulty>::after(20ms));
  BOOST_TEST(w.error() == errc::timed_out);
  BOOST_TEST(sys::basic_deadline<faulty>::after(1ms).expired() == false);
  BOOST_TEST((sys::monotonic_clock::now() - real0) < 5s);
  sys::fault_plan::clear();
  BOOST_TEST((clock::now() - t0) < 5s);
}

BOOST_AUTO_TEST_CASE(fault_plan_is_thread_safe) {
  sys::fault_plan::clear();
  BOOST_TEST(sys::fault_plan::fail(vitte::sys::ops::read, errc::io_error, 1000));
  std::atomic<int> failures{0};
  auto worker = [&] {
    for (int i = 0; i < 1000; ++i)
      if (sys::fault_plan::next(vitte::sys::ops::read)) ++failures;
  };
  std::thread a(worker), b(worker);
  a.join();
  b.join();
  BOOST_TEST(failures.load() == 1000);
  BOOST_TEST(sys::fault_plan::calls(vitte::sys::ops::read) == 2000u);
  sys::fault_plan::clear();
}

BOOST_AUTO_TEST_SUITE_END()
