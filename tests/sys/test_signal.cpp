// Signals sent to the process arrive as events on a handle a poller can
// wait on (signalfd, the self-pipe of the generic POSIX policy; console
// control events on Windows); blocking per thread; children start clean.
#include <vitte/sys/process.hpp>
#include <vitte/sys/signal.hpp>
#include <vitte/sys/time.hpp>

#include <chrono>

#include <boost/test/unit_test.hpp>

#include "print.hpp"

#if VITTE_OS_POSIX
#include <vitte/sys/poller.hpp>  // WSAPoll on Windows waits on sockets only

#include <poll.h>
#include <signal.h>
#include <unistd.h>
#endif

namespace sys = vitte::sys;
using sys::signal_kind;
using vitte::errc;
using namespace std::chrono_literals;

namespace vitte::sys {
inline std::ostream& operator<<(std::ostream& os, signal_kind k) { return os << to_string(k); }
}  // namespace vitte::sys

namespace {

#if VITTE_OS_POSIX
// The handle is an ordinary descriptor: poll(2) sees it readable.
bool readable(sys::native_handle h, int timeout_ms) {
  struct pollfd p = {static_cast<int>(h), POLLIN, 0};
  return ::poll(&p, 1, timeout_ms) == 1 && (p.revents & POLLIN) != 0;
}
#endif

template <class P>
void signals_arrive_as_events() {
  auto w =
      sys::basic_signal_watch<P>::open({signal_kind::interrupt, signal_kind::terminate, signal_kind::hangup}).value();
  BOOST_TEST(w.read().error() == errc::would_block);
  BOOST_TEST(w.wait(sys::basic_deadline<P>::after(20ms)).error() == errc::timed_out);
#if VITTE_OS_POSIX
  BOOST_TEST(!readable(w.native(), 0));
#endif
  sys::raise_signal<P>(signal_kind::terminate).value();
#if VITTE_OS_POSIX
  BOOST_TEST(readable(w.native(), 5000));
#endif
  BOOST_TEST(w.next(sys::basic_deadline<P>::after(5s)).value() == signal_kind::terminate);
  sys::raise_signal<P>(signal_kind::interrupt).value();
  sys::raise_signal<P>(signal_kind::hangup).value();
  int seen = 0;
  for (int i = 0; i < 2; ++i) {
    signal_kind k = w.next(sys::basic_deadline<P>::after(5s)).value();
    seen |= 1 << static_cast<int>(k);
  }
  BOOST_TEST(seen == ((1 << 0) | (1 << 2)));
  BOOST_TEST(w.read().error() == errc::would_block);
  w.close();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(signals)

BOOST_AUTO_TEST_CASE(signals_sent_to_the_process_arrive_as_pollable_events) {
  signals_arrive_as_events<sys::platform>();
}

#if VITTE_OS_LINUX
BOOST_AUTO_TEST_CASE(self_pipe_backend_of_the_generic_posix_policy) { signals_arrive_as_events<sys::posix_platform>(); }
#endif

#if VITTE_OS_POSIX
// The watch's handle registered with vitte's own poller (epoll on Linux,
// poll(2) with the generic policy): a signal is a readable event.
BOOST_AUTO_TEST_CASE(signals_wake_the_poller) {
  auto w = sys::signal_watch::open({signal_kind::terminate}).value();
  auto poller = sys::poller::create().value();
  poller.add(w.native(), sys::io_events::readable, 7).value();
  sys::poll_event evs[4];
  auto none = poller.wait(evs, sys::deadline::after(10ms)).value();
  BOOST_TEST(none.size() == 0u);
  sys::raise_signal(signal_kind::terminate).value();
  auto ready = poller.wait(evs, sys::deadline::after(5s)).value();
  BOOST_REQUIRE(ready.size() == 1u);
  BOOST_TEST(ready[0].data == 7u);
  BOOST_TEST(w.read().value() == signal_kind::terminate);
  poller.remove(w.native()).value();
}

BOOST_AUTO_TEST_CASE(child_exits_arrive_as_events) {
  auto w = sys::signal_watch::open({signal_kind::child}).value();
  auto st = sys::command("/bin/sh").args({"-c", "exit 0"}).run().value();
  BOOST_TEST(st.success());
  BOOST_TEST(w.next(sys::deadline::after(5s)).value() == signal_kind::child);
}

BOOST_AUTO_TEST_CASE(blocking_is_per_thread_and_children_start_unblocked) {
  sys::block_signals({signal_kind::hangup}).value();
  sigset_t now;
  ::pthread_sigmask(SIG_SETMASK, nullptr, &now);
  BOOST_TEST(sigismember(&now, SIGHUP) == 1);  // a macro on macOS
  // The child's mask is empty even though ours blocks SIGHUP: it dies of it.
  auto c = sys::command("/bin/sh").args({"-c", "kill -HUP $$; sleep 5"}).run().value();
  BOOST_TEST(c.signal() == SIGHUP);
  sys::unblock_signals({signal_kind::hangup}).value();
  ::pthread_sigmask(SIG_SETMASK, nullptr, &now);
  BOOST_TEST(sigismember(&now, SIGHUP) == 0);
}
#endif

#if VITTE_OS_WINDOWS
BOOST_AUTO_TEST_CASE(windows_limits) {
  BOOST_TEST(sys::signal_watch::open({signal_kind::child}).error() == errc::not_supported);
  BOOST_TEST(sys::block_signals({signal_kind::interrupt}).error() == errc::not_supported);
  BOOST_TEST_MESSAGE(
      "Windows: console events are raised in-process (GenerateConsoleCtrlEvent would reach every process on the "
      "console); SIGCHLD and thread masks do not exist");
}
#endif

BOOST_AUTO_TEST_SUITE_END()
