// vitte/log against spdlog (Debian's libspdlog-dev, when found):
//   log.disabled_call  a debug line below an info threshold (goal: <= 1 ns;
//                      baseline: spdlog's own disabled call, and an empty loop body)
//   log.file_line      one line with a timestamp, the level, a message and two
//                      fields appended to a file (both buffered, flushed at the end)
#include <vitte/log.hpp>
#include <vitte/sys/fs.hpp>
#include <vitte/sys/temp.hpp>

#include <string>

#include "harness.hpp"

#if VITTE_BENCH_HAS_SPDLOG
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>
#endif

namespace lg = vitte::log;
namespace sys = vitte::sys;

int main() {
  const sys::temp_directory dir = sys::temp_directory::create().value();
  const std::string vitte_path(sys::path_join(dir.path(), "vitte.log"));
  const std::string spd_path(sys::path_join(dir.path(), "spdlog.log"));

  lg::file_sink file({lg::format::text, false, true}, {.buffered = true, .flush_at = lg::level::error});
  file.open(vitte_path).value();
  lg::logger log(lg::level::info);
  log.add(file).value();
#if VITTE_BENCH_HAS_SPDLOG
  auto spd = spdlog::basic_logger_mt("bench", spd_path, true);
  spd->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %-5l %v", spdlog::pattern_time_type::utc);
  spd->set_level(spdlog::level::info);
  spd->flush_on(spdlog::level::err);
#endif
  int id = 0;
  {
    bench::suite s("log.disabled_call");
    s.add("vitte", [&] {
      VITTE_LOGGER_DEBUG(log, "cache probe", {{"id", ++id}});
      return id;
    });
#if VITTE_BENCH_HAS_SPDLOG
    s.add("spdlog", [&] {
      spd->debug("cache probe id={}", ++id);
      return id;
    });
#endif
    s.add("empty", [&] { return ++id; });
    s.run();
  }
  {
    bench::suite s("log.file_line");
    s.add("vitte", [&] {
      VITTE_LOGGER_INFO(log, "request handled", {{"id", ++id}, {"path", "/index.html"}});
      return id;
    });
#if VITTE_BENCH_HAS_SPDLOG
    s.add("spdlog", [&] {
      spd->info("request handled id={} path={}", ++id, "/index.html");
      return id;
    });
#endif
    s.run();
  }
  log.flush();
#if VITTE_BENCH_HAS_SPDLOG
  spd->flush();
  spdlog::drop_all();
#endif
  return 0;
}
