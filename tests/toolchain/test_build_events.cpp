// build events (vitte/toolchain/build_events.hpp) and their exports
// (build_trace.hpp): worker slots never overlap, the ring keeps the latest
// events, the events file reads back whole and stops at a torn or damaged
// record saying so, the trace names every step on its slot's track with
// flows and counters, the .ninja_log is v5 with ninja's own command hash,
// the critical path is the longest chain. The trace's format rules on a real
// 1,000-step build, ninja's tools and Chromium: tests/toolchain/monitor_test.py.
#include <vitte/sys/temp.hpp>
#include <vitte/sys/whole_file.hpp>
#include <vitte/toolchain/build_events.hpp>
#include <vitte/toolchain/build_trace.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <boost/test/unit_test.hpp>

namespace toolchain = vitte::toolchain;
namespace sys = vitte::sys;

namespace {

// A build of three compiles and a link: a and b together, c after a, the link after all.
void three_and_a_link(toolchain::event_log& log) {
  log.build_started(4, 2);
  BOOST_TEST(log.step_started(0, "cc a.c", "obj/a.o", "never built", {}) == 0u);
  BOOST_TEST(log.step_started(1, "cc b.c", "obj/b.o", "input changed: b.h", {}) == 1u);
  log.step_finished(0, {0, toolchain::cache_tier::none, "local", 100});
  BOOST_TEST(log.step_started(2, "cc c.c", "obj/c.o", "command changed", {}) == 0u);  // a's slot, free again
  log.step_finished(1, {0, toolchain::cache_tier::local, "local", 200});
  log.step_finished(2, {0, toolchain::cache_tier::http, "cache.example:8080", 300});
  const std::uint32_t all[] = {0, 1, 2};
  BOOST_TEST(log.step_started(3, "link app", "app", "never built", all) == 0u);
  log.step_finished(3, {1, toolchain::cache_tier::none, "local", 0});
  log.build_finished(7);
}

std::vector<std::byte> bytes_of(const std::string& s) {
  std::vector<std::byte> out(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) out[i] = static_cast<std::byte>(s[i]);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(build_events)

BOOST_AUTO_TEST_CASE(slots_are_reused_and_never_overlap) {
  toolchain::event_log log;
  three_and_a_link(log);
  const toolchain::build_summary s = log.summary();
  BOOST_TEST(s.steps.size() == 4u);
  BOOST_TEST(s.finished == 4u);
  BOOST_TEST(s.failed == 1u);  // the link's status 1
  BOOST_TEST(s.most_at_once == 2u);
  BOOST_TEST(s.up_to_date == 7u);
  BOOST_TEST(s.served[0] == 2u);
  BOOST_TEST(s.served[1] == 1u);
  BOOST_TEST(s.served[2] == 1u);
  BOOST_TEST(s.end_ns >= 0);
  for (std::size_t i = 0; i < s.steps.size(); ++i)
    for (std::size_t j = i + 1; j < s.steps.size(); ++j)
      if (s.steps[i].slot == s.steps[j].slot)
        BOOST_TEST((s.steps[i].end_ns <= s.steps[j].start_ns || s.steps[j].end_ns <= s.steps[i].start_ns));
  BOOST_TEST(std::string(s.steps[2].where) == "cache.example:8080");
  BOOST_TEST(std::string(s.steps[1].why) == "input changed: b.h");
}

BOOST_AUTO_TEST_CASE(the_ring_keeps_the_latest_events) {
  toolchain::event_log log({.ring_capacity = 3});
  three_and_a_link(log);
  std::uint64_t total = 0;
  const std::vector<toolchain::build_event> ring = log.ring(&total);
  BOOST_TEST(total == 10u);  // started, 4 starts, 4 ends, finished
  BOOST_REQUIRE(ring.size() == 3u);
  BOOST_TEST((ring[0].kind == toolchain::event_kind::step_started && ring[0].step == 3u));
  BOOST_TEST((ring[1].kind == toolchain::event_kind::step_finished && ring[1].status == 1));
  BOOST_TEST((ring[2].kind == toolchain::event_kind::build_finished));
  BOOST_TEST(ring[0].after.size() == 3u);
  // The summary is whole whatever the ring forgot.
  BOOST_TEST(log.summary().steps.size() == 4u);
}

BOOST_AUTO_TEST_CASE(the_events_file_reads_back_and_stops_at_a_torn_record) {
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string path = std::string(t.path().view()) + "/events";
  {
    toolchain::event_log log;
    BOOST_REQUIRE(log.open_file(path.c_str()));
    three_and_a_link(log);
    BOOST_TEST(bool(log.file_status()));
  }
  const vitte::buffer<std::byte> whole = sys::read_file(path.c_str()).value();
  vitte::diagnostic problem;
  auto all = toolchain::read_events(vitte::span<const std::byte>(whole.data(), whole.size()), &problem);
  BOOST_REQUIRE(all);
  BOOST_TEST(!all->torn);
  BOOST_REQUIRE(all->events.size() == 10u);
  toolchain::build_summary again;
  for (const toolchain::build_event& e : all->events) toolchain::apply(again, e);
  BOOST_TEST(again.steps.size() == 4u);
  BOOST_TEST(std::string(again.steps[2].where) == "cache.example:8080");
  BOOST_TEST(again.steps[2].output_bytes == 300u);
  BOOST_TEST(again.up_to_date == 7u);

  // Every cut: the whole records before it, torn exactly when the cut is inside one.
  std::vector<std::size_t> ends = {8};
  {
    std::size_t at = 8;
    while (at < whole.size()) {
      const std::size_t n = static_cast<std::size_t>(whole[at]) | static_cast<std::size_t>(whole[at + 1]) << 8 |
                            static_cast<std::size_t>(whole[at + 2]) << 16 |
                            static_cast<std::size_t>(whole[at + 3]) << 24;
      at += 8 + n;
      ends.push_back(at);
    }
  }
  BOOST_TEST(ends.back() == whole.size());
  for (std::size_t cut = 8; cut <= whole.size(); ++cut) {
    auto r = toolchain::read_events(vitte::span<const std::byte>(whole.data(), cut), &problem);
    BOOST_REQUIRE(r);
    std::size_t records = 0;
    bool boundary = false;
    for (std::size_t k = 1; k < ends.size(); ++k) {
      if (ends[k] <= cut) records = k;
      if (ends[k] == cut) boundary = true;
    }
    BOOST_TEST(r->events.size() == records);
    BOOST_TEST(r->torn == (cut != 8 && !boundary));
    if (r->torn) BOOST_TEST(std::string(problem.format().c_str()).find("record ") != std::string::npos);
  }
  // A flipped byte in the third record: the first two, and the damage named.
  std::vector<std::byte> damaged(whole.begin(), whole.end());
  damaged[ends[2] + 12] ^= std::byte{0x40};
  auto d = toolchain::read_events(vitte::span<const std::byte>(damaged.data(), damaged.size()), &problem);
  BOOST_REQUIRE(d);
  BOOST_TEST(d->torn);
  BOOST_TEST(d->events.size() == 2u);
  BOOST_TEST(std::string(problem.format().c_str()).find("record 2: check mismatch") != std::string::npos);
  BOOST_TEST((problem.kind() == vitte::errc::malformed));
  BOOST_TEST(problem.offset() == ends[2], "at the damaged record's start");
  // Not an events file at all: the kind is the error's, at its first byte.
  const std::vector<std::byte> other = bytes_of("# ninja log v5\n");
  auto not_events = toolchain::read_events(vitte::span<const std::byte>(other.data(), other.size()), &problem);
  BOOST_REQUIRE(!not_events);
  BOOST_TEST((problem.kind() == not_events.error().kind()));
  BOOST_TEST(problem.offset() == 0u);
  BOOST_TEST(problem.subject().empty(), "the bytes have no name here");
  BOOST_TEST(!toolchain::read_events(vitte::span<const std::byte>(other.data(), other.size())));
}

// The file is reused, not emptied: a build that logs less than the one
// before it leaves none of that one's records, and a file that was not an
// events file (shorter or longer than the magic) becomes one.
BOOST_AUTO_TEST_CASE(the_events_file_keeps_only_the_latest_build) {
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string path = std::string(t.path().view()) + "/events";
  const auto records = [&] {
    const vitte::buffer<std::byte> bytes = sys::read_file(path.c_str()).value();
    vitte::diagnostic problem;
    auto r = toolchain::read_events(vitte::span<const std::byte>(bytes.data(), bytes.size()), &problem);
    BOOST_REQUIRE(r);
    BOOST_TEST(!r->torn);
    return r->events;
  };
  {
    toolchain::event_log log;
    BOOST_REQUIRE(log.open_file(path.c_str()));
    three_and_a_link(log);
  }
  BOOST_TEST(records().size() == 10u);
  const auto no_op = [&] {
    toolchain::event_log log;
    BOOST_REQUIRE(log.open_file(path.c_str()));
    log.build_started(0, 2);
    // Before the build ends (a build killed here): its one record only.
    BOOST_TEST(records().size() == 1u);
    log.build_finished(5);
    BOOST_TEST(bool(log.file_status()));
  };
  no_op();
  std::vector<toolchain::build_event> now = records();
  BOOST_REQUIRE(now.size() == 2u);
  BOOST_TEST((now[1].kind == toolchain::event_kind::build_finished && now[1].count == 5u));
  for (const char* other : {"abc", "# ninja log v5\nsomething longer than the magic\n"}) {
    BOOST_REQUIRE(sys::write_file(path.c_str(), vitte::text_view(other)));
    no_op();
    BOOST_TEST(records().size() == 2u);
  }
}

BOOST_AUTO_TEST_CASE(the_trace_has_a_track_per_slot_flows_and_counters) {
  toolchain::event_log log;
  three_and_a_link(log);
  const std::string trace(toolchain::chrome_trace(log.summary()).view());
  BOOST_TEST(trace.find("\"traceEvents\":[") != std::string::npos);
  BOOST_TEST(
      trace.find("{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":1,\"args\":{\"name\":\"worker 2\"}}") !=
      std::string::npos);
  for (const char* name : {"cc a.c", "cc b.c", "cc c.c", "link app"})
    BOOST_TEST(trace.find(std::string("{\"name\":\"") + name + "\",\"cat\":\"step\",\"ph\":\"X\"") !=
               std::string::npos);
  std::size_t flows = 0;
  for (std::size_t at = 0; (at = trace.find("\"ph\":\"f\",\"bp\":\"e\"", at)) != std::string::npos; ++at) ++flows;
  BOOST_TEST(flows == 3u);  // the link's three dependencies
  BOOST_TEST(trace.find("\"name\":\"steps running\",\"ph\":\"C\"") != std::string::npos);
  BOOST_TEST(trace.find("\"args\":{\"local\":1,\"http\":1,\"redis\":0,\"cluster\":0}") != std::string::npos);
  BOOST_TEST(trace.find("\"why\":\"input changed: b.h\"") != std::string::npos);
  // A hostile name stays one JSON string.
  toolchain::event_log odd;
  odd.build_started(1, 1);
  (void)odd.step_started(0, "cc \"quoted\"\n\x01.c", "o", "why \\", {});
  odd.step_finished(0, {});
  const std::string t2(toolchain::chrome_trace(odd.summary()).view());
  BOOST_TEST(t2.find("cc \\\"quoted\\\"\\n\\u0001.c") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_ninja_log_is_v5_with_ninjas_hash) {
  // ninja 1.11 wrote 999469ce354c84fe for the command "echo hi > out".
  BOOST_TEST(toolchain::ninja_command_hash("echo hi > out") == 0x999469ce354c84feull);
  toolchain::event_log log;
  three_and_a_link(log);
  const std::string nl(toolchain::ninja_log(log.summary(), "").view());
  BOOST_TEST(nl.rfind("# ninja log v5\n", 0) == 0u);
  std::size_t lines = 0;
  for (char c : nl) lines += c == '\n';
  BOOST_TEST(lines == 5u);
  BOOST_TEST(nl.find("\t0\tobj/a.o\t") != std::string::npos);
  toolchain::event_log in_dir;
  in_dir.build_started(1, 1);
  (void)in_dir.step_started(0, "cc a.c", "/b/obj/a.o", "", {});
  in_dir.step_finished(0, {});
  BOOST_TEST(std::string(toolchain::ninja_log(in_dir.summary(), "/b").view()).find("\tobj/a.o\t") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_ninja_log_hashes_the_command_line_the_events_carry) {
  const std::uint64_t hash = toolchain::ninja_command_hash("cc -O2 -c a.c -o obj/a.o");
  sys::temp_directory t = sys::temp_directory::create().value();
  const std::string path = std::string(t.path().view()) + "/events";
  {
    toolchain::event_log log;
    BOOST_REQUIRE(log.open_file(path.c_str()));
    log.build_started(1, 1);
    (void)log.step_started(0, "cc a.c", "obj/a.o", "never built", {}, -1, hash);
    log.step_finished(0, {});
    log.build_finished();
  }
  // Through the file, as `vitte trace --ninja-log` reads a killed build's events.
  vitte::buffer<std::byte> bytes = sys::read_file(path.c_str()).value();
  auto read = toolchain::read_events(vitte::span<const std::byte>(bytes.data(), bytes.size()));
  BOOST_REQUIRE(read);
  toolchain::build_summary s;
  for (const toolchain::build_event& e : read->events) toolchain::apply(s, e);
  BOOST_REQUIRE(s.steps.size() == 1u);
  BOOST_TEST(s.steps[0].command_hash == hash);
  char hex[24];
  std::snprintf(hex, sizeof hex, "\t%llx\n", static_cast<unsigned long long>(hash));
  BOOST_TEST(std::string(toolchain::ninja_log(s).view()).find(std::string("\tobj/a.o") + hex) != std::string::npos);

  // A record without a command hash (as every earlier version wrote): read, the name hashed.
  toolchain::build_event old;
  old.kind = toolchain::event_kind::step_started;
  old.name = "cc a.c";
  old.output = "obj/a.o";
  vitte::buffer<std::byte> rec;
  toolchain::encode_event(old, rec);
  vitte::buffer<std::byte> file;
  for (const char c : std::string_view("VITTEEV1")) file.push_back(static_cast<std::byte>(c));
  for (const std::byte b : rec) file.push_back(b);
  auto earlier = toolchain::read_events(vitte::span<const std::byte>(file.data(), file.size()));
  BOOST_REQUIRE(earlier);
  BOOST_TEST(!earlier->torn);
  BOOST_REQUIRE(earlier->events.size() == 1u);
  BOOST_TEST(earlier->events[0].command_hash == 0u);
  BOOST_TEST(std::string(earlier->events[0].output.view()) == "obj/a.o");
  toolchain::build_summary from_old;
  toolchain::apply(from_old, earlier->events[0]);
  char hex_old[24];
  std::snprintf(hex_old, sizeof hex_old, "\t%llx\n",
                static_cast<unsigned long long>(toolchain::ninja_command_hash("cc a.c")));
  from_old.steps[0].end_ns = 1;
  BOOST_TEST(std::string(toolchain::ninja_log(from_old).view()).find(hex_old) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_critical_path_is_the_longest_chain) {
  toolchain::build_summary s;
  const auto step = [&](std::int64_t start, std::int64_t end, vitte::buffer<std::uint32_t> after) {
    toolchain::step_summary st;
    st.start_ns = start;
    st.end_ns = end;
    st.after = std::move(after);
    s.steps.push_back(std::move(st));
  };
  step(0, 10, {});       // 0
  step(0, 50, {});       // 1: the long one
  step(50, 60, {1});     // 2
  step(10, 20, {0});     // 3
  step(60, 70, {2, 3});  // 4
  const std::vector<std::uint32_t> p = toolchain::critical_path(s);
  BOOST_TEST((p == std::vector<std::uint32_t>{1, 2, 4}));
  BOOST_TEST(toolchain::critical_path(toolchain::build_summary{}).empty());
}

BOOST_AUTO_TEST_CASE(an_empty_build_exports_empty_but_valid_files) {
  toolchain::event_log log;
  log.build_started(0, 4);
  log.build_finished(12);
  const toolchain::build_summary s = log.summary();
  BOOST_TEST(std::string(toolchain::ninja_log(s).view()) == "# ninja log v5\n");
  const std::string trace(toolchain::chrome_trace(s).view());
  BOOST_TEST(trace.find("\"ph\":\"X\"") == std::string::npos);
  const std::string json(toolchain::monitor_json(s, 0).view());
  BOOST_TEST(json.find("\"done\":true") != std::string::npos);
  BOOST_TEST(json.find("\"steps\":[]") != std::string::npos);
}

// A step that names one earlier step many times (and itself, and later
// ones) waits for each earlier step once: the trace does not grow with the
// repetitions.
BOOST_AUTO_TEST_CASE(a_step_waits_for_each_earlier_step_once) {
  toolchain::event_log log;
  log.build_started(3, 1);
  (void)log.step_started(0, "cc a.c", "a.o", "never built", {});
  log.step_finished(0, {});
  (void)log.step_started(1, "cc b.c", "b.o", "never built", {});
  log.step_finished(1, {});
  std::vector<std::uint32_t> many(10000, 0);
  many.push_back(1);
  many.push_back(2);
  many.push_back(7);
  many.push_back(1);
  (void)log.step_started(2, "link", "app", "never built", many);
  log.step_finished(2, {});
  const toolchain::build_summary s = log.summary();
  BOOST_REQUIRE(s.steps.size() == 3u);
  BOOST_TEST((s.steps[2].after == vitte::buffer<std::uint32_t>{0, 1}));
  const std::string trace(toolchain::chrome_trace(s).view());
  std::size_t flows = 0;
  for (std::size_t at = 0; (at = trace.find("\"ph\":\"f\",\"bp\":\"e\"", at)) != std::string::npos; ++at) ++flows;
  BOOST_TEST(flows == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
