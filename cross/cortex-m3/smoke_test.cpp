// cross/cortex-m3/smoke_test.cpp - vitte's core on a Cortex-M3 (QEMU mps2-an385).
//
// Errors, results, the freestanding policy's clocks, deadlines and sleep
// over the SysTick board of startup.cpp.
//
//   cross/cortex-m3/build.sh -o smoke.elf cross/cortex-m3/smoke_test.cpp
//   cross/cortex-m3/run.sh smoke.elf
#include <vitte/base.hpp>
#include <vitte/sys/info.hpp>
#include <vitte/sys/time.hpp>

#include <chrono>
#include <cstdint>

#include "harness.hpp"

using namespace std::chrono_literals;

namespace {

vitte::result<int> parse_digit(char c) {
  if (c < '0' || c > '9') return vitte::error{vitte::errc::malformed, vitte::sys::ops::read};
  return c - '0';
}

}  // namespace

// ---------------------------------------------------------------------------
// Errors and results.

VITTE_TEST_CASE(error_message) {
  vitte::error e{vitte::errc::timed_out, vitte::sys::ops::sleep};
  VITTE_CHECK(static_cast<bool>(e));
  VITTE_CHECK(e == vitte::errc::timed_out);
  VITTE_CHECK_EQUAL(e.domain(), vitte::error_domain::none);
  VITTE_CHECK_EQUAL(e.message().view(), std::string_view{"sleep: timed out"});
  VITTE_CHECK_EQUAL(vitte::error{vitte::errc::not_found}.message().view(), std::string_view{"vitte: not found"});
  // A native code with no OS to describe it: the number only.
  vitte::error n{vitte::errc::io_error, vitte::sys::ops::read, 5, vitte::error_domain::posix};
  VITTE_CHECK_EQUAL(n.message().view(), std::string_view{"read: I/O error (errno 5)"});
  VITTE_CHECK(!vitte::error{});
  VITTE_CHECK_EQUAL(sizeof(vitte::error), 8u);
}

VITTE_TEST_CASE(result_value_and_error) {
  vitte::result<int> ok = parse_digit('7');
  VITTE_REQUIRE(ok.has_value());
  VITTE_CHECK_EQUAL(ok.value(), 7);
  VITTE_CHECK_EQUAL(*ok, 7);
  VITTE_CHECK(!ok.error());

  vitte::result<int> bad = parse_digit('x');
  VITTE_REQUIRE(!bad);
  VITTE_CHECK(bad.error() == vitte::errc::malformed);
  VITTE_CHECK_EQUAL(bad.error().op(), vitte::sys::ops::read);
  VITTE_CHECK_EQUAL(bad.value_or(-1), -1);

  auto doubled = parse_digit('4').transform([](int v) { return v * 2; });
  VITTE_CHECK_EQUAL(doubled.value_or(0), 8);
  auto chained = parse_digit('x').and_then([](int v) { return vitte::result<int>{v + 1}; });
  VITTE_CHECK(chained.error() == vitte::errc::malformed);

  vitte::status s;
  VITTE_CHECK(s.has_value());
}

// ---------------------------------------------------------------------------
// The platform.

VITTE_TEST_CASE(platform_name_is_freestanding) {
  VITTE_CHECK_EQUAL(vitte::sys::platform_name(), std::string_view{"freestanding"});
}

VITTE_TEST_CASE(monotonic_clock_increases) {
  using clock = vitte::sys::monotonic_clock;
  static_assert(clock::is_steady);
  auto t0 = clock::now();
  auto prev = t0;
  bool never_backwards = true;
  // Read until the clock has moved 2 ms (a few SysTick periods): every read
  // must be at or after the one before.
  for (;;) {
    auto t = clock::now();
    if (t < prev) never_backwards = false;
    prev = t;
    if (t - t0 >= 2ms) break;
  }
  VITTE_CHECK(never_backwards);
  VITTE_CHECK(clock::now() > t0);
  VITTE_CHECK(vitte::sys::coarse_monotonic_clock::now().time_since_epoch() > 0ns);
}

VITTE_TEST_CASE(clock_resolution_is_one_cycle) {
  // 1 s / 25 MHz = 40 ns.
  VITTE_CHECK_EQUAL(vitte::sys::monotonic_clock::resolution(), 40ns);
  VITTE_CHECK_EQUAL(vitte::sys::platform::ticks_to_ns(25'000'000), 1'000'000'000);
  VITTE_CHECK_EQUAL(vitte::sys::platform::ticks_to_ns(1), 40);
}

VITTE_TEST_CASE(sleep_for_waits_at_least) {
  using clock = vitte::sys::monotonic_clock;
  auto t0 = clock::now();
  vitte::status s = vitte::sys::sleep_for(20ms);
  auto slept = clock::now() - t0;
  VITTE_CHECK(s.has_value());
  VITTE_CHECK(slept >= 20ms);
  VITTE_CHECK(slept < 1s);  // generous: wakes every SysTick period (1 ms)

  auto t1 = clock::now();
  VITTE_CHECK(vitte::sys::sleep_for(0ms).has_value());
  VITTE_CHECK(vitte::sys::sleep_for(-5ms).has_value());
  VITTE_CHECK(clock::now() - t1 < 1ms);  // nothing to wait for
}

VITTE_TEST_CASE(deadline_expires) {
  using clock = vitte::sys::monotonic_clock;
  auto t0 = clock::now();
  auto d = vitte::sys::deadline::after(5ms);
  VITTE_CHECK(!d.is_never());
  VITTE_CHECK(d.remaining() <= 5ms);
  while (!d.expired()) {
  }
  VITTE_CHECK(clock::now() - t0 >= 5ms);
  VITTE_CHECK_EQUAL(d.remaining(), 0ns);
  VITTE_CHECK_EQUAL(d.timeout_ms(), 0);

  auto far = vitte::sys::deadline::after(1h);
  VITTE_CHECK(!far.expired());
  VITTE_CHECK(far.remaining() > 59min);

  VITTE_CHECK(!vitte::sys::deadline::never().expired());
  VITTE_CHECK_EQUAL(vitte::sys::deadline::never().timeout_ms(), -1);
  VITTE_CHECK(vitte::sys::sleep_until(vitte::sys::deadline::never()).error() == vitte::errc::invalid_argument);

  auto soon = vitte::sys::deadline::after(3ms);
  VITTE_CHECK(vitte::sys::sleep_until(soon).has_value());
  VITTE_CHECK(soon.expired());
}
