// vitte/toolchain/run.hpp - running a program a build made (or a tool it uses),
// with its output captured and reported through the log.
//
//   namespace toolchain = vitte::toolchain;
//   vitte::log::logger log(vitte::log::level::info);
//   auto cmd = vitte::sys::command("out/app").args({"--selftest"}).cwd("out").env("LANG", "C");
//   toolchain::run_options o;
//   o.deadline = vitte::sys::deadline::after(std::chrono::seconds(30));
//   auto r = toolchain::run(cmd, o, &log).value();      // logs "ran" with the exit status and the output
//   if (!r.status.success()) ...
//
// The command is a sys::command: arguments are passed as they are, never
// through a shell. With dry_run the program does not run: the report holds
// the exact command line (sys::command::dry_run) and the log says "would run".
// At the deadline the program and what it started are killed; the report
// says timed_out. Captured output is logged line by line (each line a
// `line` field, escaped by the log), at info when the program succeeded and
// at error when it failed.
#ifndef VITTE_TOOLCHAIN_RUN_HPP
#define VITTE_TOOLCHAIN_RUN_HPP

#include <vitte/base.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/log/logger.hpp>
#include <vitte/sys/platform.hpp>
#include <vitte/sys/process.hpp>
#include <vitte/toolchain/operations.hpp>

#include <cstddef>

namespace vitte::toolchain {

/// How to run.
template <class P = sys::platform>
struct basic_run_options {
  sys::basic_deadline<P> deadline = sys::basic_deadline<P>::never();
  bool dry_run = false;
  std::size_t output_limit = std::size_t{1} << 20;  ///< Bytes kept of stdout and of stderr each.
  text_view what = "ran";                           ///< The log message.
};
using run_options = basic_run_options<sys::platform>;

/// What happened.
struct run_report {
  text command_line;  ///< As sys::command::dry_run prints it.
  sys::exit_status status;
  text out;
  text err;
  bool timed_out = false;
  bool dry_run = false;
};

/// Logs each line of `s` under `message` at `lvl` (nothing when no logger).
template <class P>
void log_lines(log::basic_logger<P>* log, log::level lvl, text_view message, text_view command, text_view s) {
  if (log == nullptr || !log->enabled(lvl)) return;
  while (!s.empty()) {
    const std::size_t nl = s.find('\n');
    text_view line = s.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) log->write(lvl, message, {{"command", command}, {"line", line}});
    s = nl == text_view::npos ? text_view{} : s.substr(nl + 1);
  }
}

/// Runs `cmd` (see the header). Errors: what sys::command::output and
/// dry_run report (not_found for a missing program, ...); a program that
/// runs and fails is a report with its status, not an error.
template <class P = sys::platform>
result<run_report> run(const sys::basic_command<P>& cmd, const basic_run_options<P>& o = {},
                       log::basic_logger<P>* log = nullptr) {
  run_report r;
  auto line = cmd.dry_run();
  if (!line) return line.error();
  r.command_line = std::move(*line);
  if (o.dry_run) {
    r.dry_run = true;
    if (log) log->info("would run", {{"command", r.command_line}});
    return r;
  }
  auto out = cmd.output(o.deadline, o.output_limit);
  if (!out) {
    if (out.error() != errc::timed_out) return out.error();
    r.timed_out = true;
    if (log) log->error("timed out", {{"command", r.command_line}});
    return r;
  }
  r.status = out->status;
  r.out = std::move(out->out);
  r.err = std::move(out->err);
  const bool ok = r.status.success();
  if (log) {
    const log::level lvl = ok ? log::level::info : log::level::error;
    if (log->enabled(lvl)) {
      log->write(lvl, o.what, {{"command", r.command_line}, {"exit", static_cast<long long>(r.status.code())}});
      log_lines(log, ok ? log::level::debug : log::level::error, "stdout", r.command_line, r.out);
      log_lines(log, ok ? log::level::warn : log::level::error, "stderr", r.command_line, r.err);
    }
  }
  return r;
}

}  // namespace vitte::toolchain

#endif  // VITTE_TOOLCHAIN_RUN_HPP
