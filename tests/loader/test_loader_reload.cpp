// Hot reload: a plugin file is replaced while a thread keeps calling the
// plugin; the host's poll() swaps to the new version, carrying the state
// over; a half-written file is waited for, not loaded; a new version whose
// init fails is rolled back and the old one keeps serving; a module that
// imports from the reloaded one is rebound at the swap, or the swap rolls
// back when it cannot be.
#include <vitte/loader/reload.hpp>
#include <vitte/sys/thread.hpp>
#include <vitte/sys/time.hpp>
#include <vitte/sys/whole_file.hpp>

#include <ostream>
#include <span>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "loader_fixture.hpp"

namespace vl = vitte::loader;
using vitte::errc;
using namespace loader_test;

namespace vitte::loader {
inline std::ostream& operator<<(std::ostream& os, reload_event e) { return os << static_cast<int>(e); }
}  // namespace vitte::loader

namespace {

void replace_with(const std::string& target, const std::vector<std::byte>& bytes, std::size_t n) {
  BOOST_REQUIRE(sys::write_file(target, std::span<const std::byte>(bytes.data(), n)).has_value());
}

// Polls until something other than waiting/none happens (or a limit).
vl::reload_event poll_until_settled(vl::reloader& r, vitte::diagnostic_list* why) {
  for (int i = 0; i < 400; ++i) {
    auto ev = r.poll(why);
    BOOST_REQUIRE(ev.has_value());
    if (*ev == vl::reload_event::swapped || *ev == vl::reload_event::rolled_back) return *ev;
    (void)sys::sleep_for(std::chrono::milliseconds(5));
  }
  return vl::reload_event::none;
}

bool skip_without_loading() {
  if (can_load_plugins()) return false;
  BOOST_TEST_MESSAGE("skipped: this build cannot load shared libraries (static binary)");
  return true;
}

// A reloader of `target`, settling after 10 ms.
vl::reloader start(vl::loader& l, const std::string& target) {
  vitte::diagnostic_list why;
  auto created = vl::reloader::create(l, target, {.settle = std::chrono::milliseconds(10)}, &why);
  BOOST_REQUIRE_MESSAGE(created.has_value(), why.joined().c_str());
  return static_cast<vl::reloader&&>(*created);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(loader_reload)

BOOST_AUTO_TEST_CASE(swap_restore_state_wait_for_writes_and_roll_back) {
  if (skip_without_loading()) return;
  scenario s{};
  const std::string target = s.add("reload_v1", plugin_file("reload"));
  vl::loader l(with_backend({.search = {.paths = {s.dir}}}));
  vitte::diagnostic_list why;
  vl::reloader r = start(l, target);
  auto generation = r.function<int()>("generation").value();
  auto bump = r.function<int()>("bump").value();
  BOOST_TEST(r.function<int(int)>("bump").error() == errc::verification_failed);
  BOOST_TEST(generation() == 1);
  BOOST_TEST(bump() == 1);
  BOOST_TEST(bump() == 2);
  BOOST_TEST(r.poll().value() == vl::reload_event::none);

  // Another thread calls the plugin through every swap: it sees the old or
  // the new version, never anything else.
  vitte::detail::atomic<bool> stop{false};
  vitte::detail::atomic<int> bad{0}, calls{0};
  auto caller = sys::thread::spawn([&] {
                  while (!stop.load()) {
                    int g = generation();
                    if (g != 1 && g != 100) bad.fetch_add(1);
                    calls.fetch_add(1);
                  }
                }).value();

  // Half a file: waited for, never loaded.
  const auto v2 = bytes_of(plugin_path("reload_v2"));
  replace_with(target, v2, v2.size() / 2);
  for (int i = 0; i < 10; ++i) {
    auto ev = r.poll(&why);
    BOOST_REQUIRE(ev.has_value());
    BOOST_TEST((*ev == vl::reload_event::waiting || *ev == vl::reload_event::none));
    (void)sys::sleep_for(std::chrono::milliseconds(5));
  }
  BOOST_TEST(r.generation() == 0u);
  // The whole file: swapped, with the state carried over.
  replace_with(target, v2, v2.size());
  why.clear();
  BOOST_TEST((poll_until_settled(r, &why) == vl::reload_event::swapped), why.joined().c_str());
  BOOST_TEST(r.generation() == 1u);
  BOOST_TEST(r.current().version() == "1.1.0");
  BOOST_TEST(generation() == 100);
  BOOST_TEST(bump() == 102);  // 2, restored, + 100
  BOOST_TEST((l.find("reload").value() == r.current()));

  // A broken version (its init fails): rolled back, v2 keeps serving.
  replace_with(target, bytes_of(plugin_path("reload_broken")), bytes_of(plugin_path("reload_broken")).size());
  why.clear();
  BOOST_TEST((poll_until_settled(r, &why) == vl::reload_event::rolled_back));
  BOOST_TEST_MESSAGE(why.joined().c_str());
  BOOST_TEST(why.contains("init failed (returned 7)"));
  // First about the file, that it rolled back; then the loader's entries, about the module.
  BOOST_REQUIRE(why.size() >= 2u);
  BOOST_TEST(why.items()[0].subject() == target);
  BOOST_TEST(std::string(why.items()[0].message()) == "reload rolled back");
  BOOST_TEST((why.back().kind() == errc::unknown));  // init's failure
  BOOST_TEST(r.generation() == 1u);
  BOOST_TEST(generation() == 100);
  BOOST_TEST(bump() == 202);
  BOOST_TEST(r.poll().value() == vl::reload_event::none);  // the same broken file is not tried again

  // Back to v1: swapped again.
  replace_with(target, bytes_of(plugin_path("reload_v1")), bytes_of(plugin_path("reload_v1")).size());
  why.clear();
  BOOST_TEST((poll_until_settled(r, &why) == vl::reload_event::swapped), why.joined().c_str());
  BOOST_TEST(generation() == 1);
  BOOST_TEST(bump() == 203);

  stop.store(true);
  BOOST_TEST(caller.join().has_value());
  BOOST_TEST(bad.load() == 0);
  BOOST_TEST(calls.load() > 0);
  r.release_previous();
}

BOOST_AUTO_TEST_CASE(modules_importing_from_the_reloaded_one_are_rebound_or_the_swap_rolls_back) {
  if (skip_without_loading()) return;
  scenario s{"reload_user"};
  const std::string target = s.add("reload_v1", plugin_file("reload"));
  vl::loader l(with_backend({.search = {.paths = {s.dir}}}));
  vitte::diagnostic_list why;
  vl::reloader r = start(l, target);
  auto bump = r.function<int()>("bump").value();
  auto user = l.load("reload_user", &why);  // imports reload.generation from the loaded v1
  BOOST_REQUIRE_MESSAGE(user.has_value(), why.joined().c_str());
  auto user_generation = user->find<int()>("user_generation").value();
  BOOST_TEST(user_generation() == 1001);
  BOOST_TEST(bump() == 1);

  // v2: the importer is rebound at the swap.
  replace_with(target, bytes_of(plugin_path("reload_v2")), bytes_of(plugin_path("reload_v2")).size());
  vitte::diagnostic_list swap_why;
  BOOST_TEST(poll_until_settled(r, &swap_why) == vl::reload_event::swapped);
  BOOST_TEST_MESSAGE(swap_why.joined().c_str());
  BOOST_TEST(user_generation() == 1100);
  BOOST_TEST(bump() == 101);  // the counter carried over
  BOOST_TEST(l.find("reload").value().version() == "1.1.0");

  // A version without `generation`: reload_user could not be rebound, so
  // nothing changes.
  const auto nogen = bytes_of(plugin_path("reload_nogen"));
  replace_with(target, nogen, nogen.size());
  vitte::diagnostic_list back_why;
  BOOST_TEST(poll_until_settled(r, &back_why) == vl::reload_event::rolled_back);
  BOOST_TEST_MESSAGE(back_why.joined().c_str());
  BOOST_TEST(back_why.contains("reload_user 1.0.0: import reload.generation v1: reload 1.2.0 does not export it"));
  BOOST_TEST(user_generation() == 1100);
  BOOST_TEST(bump() == 201);
  BOOST_TEST(l.find("reload").value().version() == "1.1.0");

  // The replaced v1 is no longer held by the importer: release_previous
  // unloads it.
  r.release_previous();
  auto left = l.modules();
  BOOST_REQUIRE(left.size() == 2u);
  BOOST_TEST(left[0].name() == "reload_user");
  BOOST_TEST(left[1].version() == "1.1.0");
}

BOOST_AUTO_TEST_SUITE_END()
