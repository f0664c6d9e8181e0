// examples/driver/monitor.hpp - the driver's build monitoring: its options,
// the events it records (vitte/toolchain/build_events.hpp), the files it
// writes when the build ends (a Chrome trace, a .ninja_log, the events
// file) and the live page it serves (vitte/http/server.hpp).
//
//   --monitor PORT          serve the live page on 127.0.0.1:PORT (0: a free port; the URL is printed)
//   --monitor-linger SECS   keep serving that long after the build (so the page shows its end)
//   --trace FILE            Chrome trace event JSON (Perfetto, chrome://tracing)
//   --ninja-log FILE        .ninja_log v5 lines (ninja -t, ninjatracing), appended as ninja does
//   --events FILE           the append-only events file, written as the build goes
//
// Without any of them nothing is recorded: the driver does what it did.
//
// The page's port is bound when the build starts (the URL is printed then)
// and its server's thread starts with the first step, or as soon as a
// client waits (tick(), as the driver goes through what is up to date), or
// for --monitor-linger: a no-op nobody looks at starts no thread.
#ifndef VITTE_EXAMPLES_DRIVER_MONITOR_HPP
#define VITTE_EXAMPLES_DRIVER_MONITOR_HPP

#include <vitte/base/detail/decimal.hpp>  // ?from=N
#include <vitte/http/server.hpp>
#include <vitte/sys/fs.hpp>
#include <vitte/sys/signal.hpp>       // a signal ends the linger
#include <vitte/sys/time.hpp>         // tick()'s pace
#include <vitte/sys/update_file.hpp>  // the trace: written when it changed
#include <vitte/toolchain/build_events.hpp>
#include <vitte/toolchain/build_trace.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "monitor_page.hpp"

namespace driver_monitor {

namespace toolchain = vitte::toolchain;

struct options {
  long port = -1;  // -1: no page
  unsigned linger = 0;
  std::string trace, ninja_log, events;
  bool any() const { return port >= 0 || !trace.empty() || !ninja_log.empty() || !events.empty(); }
};

// Takes argv[i] (and its value) when it is one of the monitor's options:
// 1 taken, 0 not one of them, -1 a bad value (said).
inline int take_option(int argc, char** argv, int& i, options& o) {
  const std::string a = argv[i];
  if (a != "--monitor" && a != "--monitor-linger" && a != "--trace" && a != "--ninja-log" && a != "--events") return 0;
  if (i + 1 >= argc) {
    std::fprintf(stderr, "driver: %s needs a value\n", a.c_str());
    return -1;
  }
  const char* v = argv[++i];
  if (a == "--monitor" || a == "--monitor-linger") {
    char* end = nullptr;
    const unsigned long n = std::strtoul(v, &end, 10);
    if (*v < '0' || *v > '9' || *end != '\0' || n > 65535) {
      std::fprintf(stderr, "driver: %s %s: not a number from 0 to 65535\n", a.c_str(), v);
      return -1;
    }
    if (a == "--monitor")
      o.port = static_cast<long>(n);
    else
      o.linger = static_cast<unsigned>(n);
    return 1;
  }
  (a == "--trace" ? o.trace : a == "--ninja-log" ? o.ninja_log : o.events) = v;
  return 1;
}

inline constexpr const char* usage =
    " [--monitor PORT] [--monitor-linger SECONDS] [--trace FILE] [--ninja-log FILE]"
    " [--events FILE]";

// The remote tier named by a --remote specification.
inline toolchain::cache_tier remote_tier(const std::string& spec) {
  return spec.rfind("redis://", 0) == 0 ? toolchain::cache_tier::redis : toolchain::cache_tier::http;
}

// The host:port of a --remote specification, as "where" a hit came from.
inline std::string remote_host(const std::string& spec) {
  const std::size_t scheme = spec.find("://");
  std::size_t from = scheme == std::string::npos ? 0 : scheme + 3;
  const std::size_t at = spec.find('@', from);
  const std::size_t slash = spec.find('/', from);
  if (at != std::string::npos && (slash == std::string::npos || at < slash)) from = at + 1;
  return spec.substr(from, slash == std::string::npos ? std::string::npos : slash - from);
}

// The monitor of one build: events, the page, and the files at the end.
class monitor {
 public:
  // `build_dir`: the .ninja_log names outputs relative to it, as ninja does.
  monitor(options o, std::string build_dir) : o_(std::move(o)), build_dir_(std::move(build_dir)) {}
  monitor(const monitor&) = delete;
  monitor& operator=(const monitor&) = delete;
  ~monitor() { finish(0); }

  bool on() const { return o_.any(); }

  // The driver's signal watch, while it holds the signals: a signal then
  // ends --monitor-linger at once (they are blocked, so sleeping through
  // them would keep a stopped driver serving for the whole linger).
  void signals(vitte::sys::signal_watch* w) { signals_ = w; }

  // Opens the events file and starts the page; false after saying why.
  bool start(unsigned jobs) {
    if (!on()) return true;
    if (!o_.events.empty())
      if (auto ok = log_.open_file(o_.events.c_str()); !ok) {
        std::fprintf(stderr, "driver: --events %s: %s\n", o_.events.c_str(), ok.error().message().c_str());
        return false;
      }
    log_.build_started(0, jobs);
    if (o_.port < 0) return true;
    vitte::http::server_options so;
    so.port = static_cast<std::uint16_t>(o_.port);
    so.serve_later = true;  // serve(): at the first step, or when a client waits
    auto s = vitte::http::server::start(so, [this](const vitte::http::request& r) { return answer(r); });
    if (!s) {
      std::fprintf(stderr, "driver: --monitor %ld: %s\n", o_.port, s.error().message().c_str());
      return false;
    }
    server_ = std::move(*s);
    std::printf("monitor: http://127.0.0.1:%u/\n", server_.port());
    std::fflush(stdout);
    return true;
  }

  // Step numbers, in the order steps start.
  std::uint32_t next() const { return next_; }
  std::int64_t now() const { return log_.elapsed_ns(); }
  void plan(std::uint64_t more) {
    if (on()) log_.plan_more(more);
  }
  // `command_hash`: ninja_command_hash() of the command line (for the .ninja_log).
  std::uint32_t started(const std::string& name, vitte::text_view output, const std::string& why,
                        vitte::span<const std::uint32_t> after = {}, std::int64_t at = -1,
                        std::uint64_t command_hash = 0) {
    if (!on()) return next_++;
    serve();
    (void)log_.step_started(next_, name, output, why, after, at, command_hash);
    return next_++;
  }
  void finished(std::uint32_t step, int status, toolchain::cache_tier tier, vitte::text_view where,
                vitte::text_view output) {
    if (!on()) return;
    std::uint64_t bytes = 0;
    if (status == 0 && !output.empty())
      if (auto st = vitte::sys::stat(output)) bytes = st->size;
    log_.step_finished(step, {status, tier, where, bytes});
  }

  // Called as the driver goes through what is up to date, where no step
  // starts for a while: the page is served once a client waits for it (a
  // look at the listener every 16 calls, at most every 2 ms).
  void tick() {
    if (o_.port < 0 || server_.serving() || (++ticks_ & 15) != 0) return;
    const std::int64_t t = vitte::sys::monotonic_clock::now_ns();
    if (t < next_look_) return;
    next_look_ = t + 2'000'000;
    if (server_.waiting()) serve();
  }

  // The build ended: the files, then the page for --monitor-linger seconds.
  void finish(std::uint64_t up_to_date) {
    if (!on() || done_) return;
    done_ = true;
    log_.build_finished(up_to_date);
    if (auto ok = log_.file_status(); !ok)
      std::fprintf(stderr, "driver: --events %s: %s\n", o_.events.c_str(), ok.error().message().c_str());
    const toolchain::build_summary sum = log_.summary();
    write(o_.trace, "--trace", [&] { return toolchain::chrome_trace(sum); });
    append_ninja_log(sum);
    if (o_.port >= 0 && o_.linger > 0) {
      serve();
      std::printf("monitor: the build is done; serving http://127.0.0.1:%u/ for %u s more\n", server_.port(),
                  o_.linger);
      std::fflush(stdout);
      const auto linger = vitte::sys::deadline::after(std::chrono::seconds(o_.linger));
      if (signals_ != nullptr && signals_->is_open())
        (void)signals_->next(linger);  // a signal, or the end of the linger
      else
        (void)vitte::sys::sleep_for(std::chrono::seconds(o_.linger));
    }
    server_.stop();
  }

 private:
  template <class Make>
  void write(const std::string& path, const char* what, Make make) {
    if (path.empty()) return;
    const vitte::text bytes = make();
    if (auto ok = vitte::sys::update_file(path.c_str(), bytes.view()); !ok)
      std::fprintf(stderr, "driver: %s %s: %s\n", what, path.c_str(), ok.error().message().c_str());
  }

  // As ninja keeps its log: each build appends the steps it ran (a no-op
  // adds nothing and leaves the file alone); the header when the file is new.
  void append_ninja_log(const toolchain::build_summary& sum) {
    if (o_.ninja_log.empty()) return;
    const vitte::text lines = toolchain::ninja_log(sum, build_dir_);
    const vitte::text_view header = "# ninja log v5\n";
    if (lines.size() == header.size()) return;
    auto f =
        vitte::sys::file::open(o_.ninja_log.c_str(), vitte::sys::open_mode::append | vitte::sys::open_mode::create);
    auto st = f ? f->stat() : vitte::result<vitte::sys::file_status>(f.error());
    if (!st) {
      std::fprintf(stderr, "driver: --ninja-log %s: %s\n", o_.ninja_log.c_str(), st.error().message().c_str());
      return;
    }
    if (auto ok = f->write(st->size == 0 ? lines.view() : lines.view().substr(header.size())); !ok)
      std::fprintf(stderr, "driver: --ninja-log %s: %s\n", o_.ninja_log.c_str(), ok.error().message().c_str());
  }

  // The page's server starts serving (once).
  void serve() {
    if (o_.port < 0 || server_.serving() || serve_failed_) return;
    if (auto ok = server_.serve(); !ok) {
      serve_failed_ = true;
      std::fprintf(stderr, "driver: --monitor %ld: %s\n", o_.port, ok.error().message().c_str());
    }
  }

  // The names this machine is reached by on the page's port: a page of
  // another site that rebinds its own name to 127.0.0.1 (DNS rebinding)
  // sends that name as Host, and gets nothing.
  bool local_host(vitte::text_view host) const {
    // Appended, not `":" + std::to_string(...)`: GCC 12 at -O3 warns of an
    // overlapping memcpy inside operator+ (-Wrestrict, a false positive).
    std::string port(1, ':');
    port += std::to_string(server_.port());
    for (const char* name : {"127.0.0.1", "localhost", "[::1]"}) {
      std::string want(name);
      want += port;
      if (host.size() != want.size()) continue;
      bool same = true;
      for (std::size_t i = 0; i < want.size() && same; ++i)
        same = (host[i] | 0x20) == (want[i] | 0x20);  // localhost in any letter case; digits and ':' fold to themselves
      if (same) return true;
    }
    return false;
  }

  vitte::http::reply answer(const vitte::http::request& r) {
    if (!local_host(r.field("host")))
      return {403, "text/plain; charset=utf-8",
              "forbidden: this page answers only to Host 127.0.0.1, localhost or [::1] with its port\n"};
    if (r.path == "/" || r.path == "/index.html") return {200, "text/html; charset=utf-8", vitte::text(page)};
    if (r.path == "/api/status") {
      std::uint64_t from = 0;
      const vitte::text_view f = r.query_value("from");
      if (!vitte::detail::parse_decimal(f, UINT32_MAX, from)) from = 0;
      return {200, "application/json", toolchain::monitor_json(log_.summary(), static_cast<std::size_t>(from))};
    }
    if (r.path == "/trace.json") return {200, "application/json", toolchain::chrome_trace(log_.summary())};
    if (r.path == "/ninja_log")
      return {200, "text/plain; charset=utf-8", toolchain::ninja_log(log_.summary(), build_dir_)};
    return {404, "text/plain; charset=utf-8", "not found\n"};
  }

  options o_;
  std::string build_dir_;
  vitte::sys::signal_watch* signals_ = nullptr;
  toolchain::event_log log_;
  vitte::http::server server_;
  std::uint32_t next_ = 0;
  std::uint32_t ticks_ = 0;
  std::int64_t next_look_ = 0;
  bool done_ = false, serve_failed_ = false;
};

}  // namespace driver_monitor

#endif  // VITTE_EXAMPLES_DRIVER_MONITOR_HPP
