// The poller on the default platform's backend (epoll on Linux, WSAPoll on
// Windows) and, on POSIX, on the poll(2) backend forced with poll_platform:
// readiness, modify and remove, wake-ups from another thread, timers, edge
// triggering where the backend has it, thousands of descriptors, and
// interruptions injected with fault_platform.
#include <vitte/sys/net.hpp>
#include <vitte/sys/policy/fault.hpp>
#include <vitte/sys/poller.hpp>
#include <vitte/sys/thread.hpp>

#include <chrono>
#include <cstddef>
#include <random>
#include <span>
#include <vector>

#include <boost/mpl/list.hpp>
#include <boost/test/unit_test.hpp>

#include "print.hpp"

namespace sys = vitte::sys;
using sys::io_events;
using sys::poll_event;
using vitte::errc;
using namespace std::chrono_literals;

namespace {

#if VITTE_OS_POSIX
using backends = boost::mpl::list<sys::platform, sys::poll_platform<sys::platform>>;
#else
using backends = boost::mpl::list<sys::platform>;
#endif

// A connected pair of stream sockets: what every backend can watch.
struct channel {
  sys::socket a, b;
  static channel make() {
    auto [x, y] = sys::socket::pair(sys::socket_type::stream).value();
    x.set_nonblocking(true).value();
    y.set_nonblocking(true).value();
    return channel{std::move(x), std::move(y)};
  }
};

template <class P>
constexpr bool has_edge() {
  return P::name == "linux" || P::name == "darwin" || P::name == "bsd";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(poller)

BOOST_AUTO_TEST_CASE_TEMPLATE(idle_wait_ends_at_the_deadline, P, backends) {
  auto p = sys::basic_poller<P>::create().value();
  channel c = channel::make();
  p.add(c.a.native(), io_events::readable, 7).value();
  poll_event evs[8];
  auto d = sys::basic_deadline<P>::after(30ms);
  auto got = p.wait(evs, d).value();
  BOOST_TEST(got.size() == 0u);
  BOOST_TEST(d.expired());
}

BOOST_AUTO_TEST_CASE_TEMPLATE(reports_readable_and_writable_with_data, P, backends) {
  auto p = sys::basic_poller<P>::create().value();
  channel c = channel::make();
  p.add(c.a.native(), io_events::readable, 11).value();
  BOOST_TEST(c.b.send(std::as_bytes(std::span("x", 1))).value() == 1u);
  poll_event evs[8];
  auto got = p.wait(evs, sys::basic_deadline<P>::after(5s)).value();
  BOOST_TEST_REQUIRE(got.size() == 1u);
  BOOST_TEST(got[0].data == 11u);
  BOOST_TEST(has(got[0].events, io_events::readable));
  // Level triggered: still readable until read.
  got = p.wait(evs, sys::basic_deadline<P>::after(5s)).value();
  BOOST_TEST_REQUIRE(got.size() == 1u);
  std::byte buf[4];
  BOOST_TEST(c.a.receive(buf).value() == 1u);

  // Writable, with a pointer as data.
  int marker = 0;
  p.modify(c.a.native(), io_events::writable, &marker).value();
  got = p.wait(evs, sys::basic_deadline<P>::after(5s)).value();
  BOOST_TEST_REQUIRE(got.size() == 1u);
  BOOST_TEST(got[0].template pointer<int>() == &marker);
  BOOST_TEST(has(got[0].events, io_events::writable));

  // Interest none: nothing to report.
  p.modify(c.a.native(), io_events::none, 3).value();
  BOOST_TEST(p.wait(evs, sys::basic_deadline<P>::after(20ms)).value().size() == 0u);

  p.remove(c.a.native()).value();
  BOOST_TEST(p.remove(c.a.native()).error() == errc::not_found);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(hangup_when_the_peer_closes, P, backends) {
  auto p = sys::basic_poller<P>::create().value();
  channel c = channel::make();
  p.add(c.a.native(), io_events::readable, 1).value();
  c.b.close().value();
  poll_event evs[8];
  auto got = p.wait(evs, sys::basic_deadline<P>::after(5s)).value();
  BOOST_TEST_REQUIRE(got.size() == 1u);
  BOOST_TEST(has(got[0].events, io_events::readable | io_events::hangup));
  std::byte buf[4];
  BOOST_TEST(c.a.receive(buf).value() == 0u);  // end of stream
}

BOOST_AUTO_TEST_CASE_TEMPLATE(bad_registrations, P, backends) {
  auto p = sys::basic_poller<P>::create().value();
  channel c = channel::make();
  BOOST_TEST(p.add(c.a.native(), io_events::readable, sys::poller_reserved_data).error() == errc::invalid_argument);
  p.add(c.a.native(), io_events::readable, 1).value();
  auto again = p.add(c.a.native(), io_events::readable, 1);
  BOOST_TEST(again.error() == errc::already_exists);
  BOOST_TEST(again.error().op() == vitte::sys::ops::poller_add);
  BOOST_TEST(p.modify(c.b.native(), io_events::readable, 1).error() == errc::not_found);
  poll_event* none = nullptr;
  BOOST_TEST(p.wait(std::span<poll_event>(none, 0)).error() == errc::invalid_argument);
  sys::basic_poller<P> closed;
  BOOST_TEST(closed.add(c.a.native(), io_events::readable, 1).error() == errc::bad_descriptor);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(wake_from_another_thread, P, backends) {
  auto p = sys::basic_poller<P>::create().value();
  poll_event evs[8];
  // A wake-up before the wait is kept for it.
  p.wake().value();
  BOOST_TEST(p.wait(evs).value().size() == 0u);
  auto t = sys::thread::spawn([&p] {
             sys::sleep_for(20ms).value();
             p.wake().value();
           }).value();
  BOOST_TEST(p.wait(evs).value().size() == 0u);  // returns, with nothing
  t.join().value();
}

BOOST_AUTO_TEST_CASE_TEMPLATE(timers_fire_in_order_and_cancel, P, backends) {
  auto p = sys::basic_poller<P>::create().value();
  using D = sys::basic_deadline<P>;
  auto now = D::after(0ms);
  sys::timer_id t3 = p.add_timer(D::at_ns(now.ns() + 30'000'000), 3);
  p.add_timer(D::at_ns(now.ns() + 10'000'000), 1);
  sys::timer_id t2 = p.add_timer(D::at_ns(now.ns() + 20'000'000), 2);
  p.add_timer(D::at_ns(now.ns() + 20'000'000), 22);  // same deadline: after 2
  BOOST_TEST(p.timer_count() == 4u);
  BOOST_TEST(p.cancel_timer(t3));
  BOOST_TEST(!p.cancel_timer(t3));  // already gone
  std::vector<std::uint64_t> fired;
  poll_event evs[8];
  while (p.timer_count() != 0) {
    auto got = p.wait(evs, D::after(5s)).value();
    for (const poll_event& e : got) {
      BOOST_TEST(has(e.events, io_events::timer));
      fired.push_back(e.data);
    }
  }
  BOOST_TEST(fired == (std::vector<std::uint64_t>{1, 2, 22}));
  BOOST_TEST(!p.cancel_timer(t2));  // fired: stale
  BOOST_TEST(D::after(0ms).ns() >= now.ns() + 20'000'000);
}

BOOST_AUTO_TEST_CASE(timer_heap_stays_ordered_under_churn) {
  auto p = sys::poller::create().value();
  std::mt19937 rng(5);
  std::vector<sys::timer_id> ids;
  std::vector<std::int64_t> live;
  for (int i = 0; i < 2000; ++i) {
    std::int64_t when = static_cast<std::int64_t>(rng() % 1'000'000);
    ids.push_back(p.add_timer(sys::deadline::at_ns(when), static_cast<std::uint64_t>(when)));
  }
  for (int i = 0; i < 2000; i += 3) BOOST_TEST(p.cancel_timer(ids[static_cast<std::size_t>(i)]));
  BOOST_TEST(p.timer_count() == 2000u - 667u);
  // Every deadline is in the past: waits return them in order.
  std::uint64_t last = 0;
  std::size_t count = 0;
  poll_event evs[100];
  while (p.timer_count() != 0) {
    auto got = p.wait(evs).value();
    for (const poll_event& e : got) {
      BOOST_TEST(e.data >= last);
      last = e.data;
      ++count;
    }
  }
  BOOST_TEST(count == 2000u - 667u);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(edge_triggering, P, backends) {
  auto p = sys::basic_poller<P>::create().value();
  channel c = channel::make();
  if constexpr (!has_edge<P>()) {
    BOOST_TEST(p.add(c.a.native(), io_events::readable, 1, sys::trigger::edge).error() == errc::not_supported);
    BOOST_TEST_MESSAGE("the " << P::name << " backend has no edge triggering: checked that it says so");
    return;
  } else {
    p.add(c.a.native(), io_events::readable, 1, sys::trigger::edge).value();
    BOOST_TEST(c.b.send(std::as_bytes(std::span("ab", 2))).value() == 2u);
    poll_event evs[8];
    BOOST_TEST(p.wait(evs, sys::basic_deadline<P>::after(5s)).value().size() == 1u);
    // Not read, but no new data: no second report.
    BOOST_TEST(p.wait(evs, sys::basic_deadline<P>::after(20ms)).value().size() == 0u);
    BOOST_TEST(c.b.send(std::as_bytes(std::span("c", 1))).value() == 1u);
    BOOST_TEST(p.wait(evs, sys::basic_deadline<P>::after(5s)).value().size() == 1u);
  }
}

// Thousands of registered descriptors, a few ready: exactly those are
// reported; removing every other one keeps the registry consistent.
BOOST_AUTO_TEST_CASE_TEMPLATE(thousands_of_descriptors, P, backends) {
#if VITTE_OS_WINDOWS || defined(VITTE_EMULATED)
  constexpr std::size_t count = 500;
#else
  constexpr std::size_t count = 4000;  // 8,000 descriptors
#endif
  auto p = sys::basic_poller<P>::create().value();
  std::vector<channel> chans;
  chans.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    chans.push_back(channel::make());
    p.add(chans.back().a.native(), io_events::readable, i).value();
  }
  std::mt19937 rng(7);
  for (int round = 0; round < 3; ++round) {
    std::vector<bool> ready(count, false);
    for (int k = 0; k < 20; ++k) {
      std::size_t i = rng() % count;
      if (ready[i] || !p.modify(chans[i].a.native(), io_events::readable, i)) continue;
      ready[i] = true;
      BOOST_TEST(chans[i].b.send(std::as_bytes(std::span("z", 1))).value() == 1u);
    }
    std::size_t expected = 0;
    for (bool r : ready) expected += r ? 1 : 0;
    std::vector<poll_event> evs(64);
    std::size_t seen = 0;
    auto d = sys::basic_deadline<P>::after(10s);
    while (seen < expected && !d.expired()) {
      auto got = p.wait(evs, d).value();
      for (const poll_event& e : got) {
        BOOST_TEST_REQUIRE(e.data < count);
        BOOST_TEST(ready[e.data]);
        std::byte b[4];
        BOOST_TEST(chans[e.data].a.receive(b).value() == 1u);
        ready[e.data] = false;
        ++seen;
      }
    }
    BOOST_TEST(seen == expected);
    // Drop every other live registration.
    for (std::size_t i = static_cast<std::size_t>(round); i < count; i += 2) (void)p.remove(chans[i].a.native());
  }
}

BOOST_AUTO_TEST_CASE(interrupted_waits_are_retried) {
  using P = sys::fault_platform<sys::platform>;
  auto p = sys::basic_poller<P>::create().value();
  sys::fault_plan::clear();
  sys::fault_plan::fail(vitte::sys::ops::poller_wait, errc::interrupted, 3);
  poll_event evs[4];
  BOOST_TEST(p.wait(evs, sys::basic_deadline<P>::after(10ms)).value().size() == 0u);
  BOOST_TEST(sys::fault_plan::calls(vitte::sys::ops::poller_wait) >= 4u);
  sys::fault_plan::fail(vitte::sys::ops::poller_create, errc::too_many_open_files);
  auto q = sys::basic_poller<P>::create();
  BOOST_TEST(q.error() == errc::too_many_open_files);
  BOOST_TEST(q.error().op() == vitte::sys::ops::poller_create);
  sys::fault_plan::clear();
}

BOOST_AUTO_TEST_SUITE_END()
