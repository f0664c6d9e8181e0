// vitte/log/logger.hpp - a logger: a threshold, and sinks that write the lines.
//
//   namespace lg = vitte::log;
//   lg::stream_sink err = lg::stream_sink::standard_error();
//   lg::logger log(lg::level::info);
//   log.add(err).value();
//   VITTE_LOGGER_INFO(log, "linked", {{"output", "app"}, {"ms", 12}});
//   VITTE_LOGGER_DEBUG(log, "cache probe", {{"key", key}});    // below the threshold: one load, one compare
//   log.warn("no cache directory, building without");      // the same, as a call
//
// The VITTE_LOG_* macros disappear below the compile-time floor
// (VITTE_LOG_FLOOR, vitte/log/level.hpp), arguments and all; above it, a line
// below the run-time threshold costs one relaxed load and a compare before
// any argument is formatted. A line is formatted once per distinct sink
// style and handed to each sink whole.
//
// Thread safety: write(), the level functions and set_threshold() may be
// called from any thread; add() sinks before logging from several threads.
#ifndef VITTE_LOG_LOGGER_HPP
#define VITTE_LOG_LOGGER_HPP

#include <vitte/base.hpp>
#include <vitte/base/detail/atomic.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/log/field.hpp>
#include <vitte/log/format.hpp>
#include <vitte/log/level.hpp>
#include <vitte/log/sink.hpp>
#include <vitte/sys/clock_id.hpp>
#include <vitte/sys/platform.hpp>

#include <cstddef>
#include <cstdint>
#include <initializer_list>

/// Logs at `lvl` through `logger` when `lvl` is within the compile-time
/// floor and the logger's threshold: VITTE_LOG(log, level::info, "text", {{"k", v}}).
#define VITTE_LOG(logger, lvl, ...)                                  \
  do {                                                               \
    if constexpr (static_cast<int>(lvl) <= VITTE_LOG_FLOOR) {        \
      if ((logger).enabled(lvl)) (logger).write((lvl), __VA_ARGS__); \
    }                                                                \
  } while (false)
#define VITTE_LOGGER_ERROR(logger, ...) VITTE_LOG(logger, ::vitte::log::level::error, __VA_ARGS__)
#define VITTE_LOGGER_WARN(logger, ...) VITTE_LOG(logger, ::vitte::log::level::warn, __VA_ARGS__)
#define VITTE_LOGGER_INFO(logger, ...) VITTE_LOG(logger, ::vitte::log::level::info, __VA_ARGS__)
#define VITTE_LOGGER_DEBUG(logger, ...) VITTE_LOG(logger, ::vitte::log::level::debug, __VA_ARGS__)
#define VITTE_LOGGER_TRACE(logger, ...) VITTE_LOG(logger, ::vitte::log::level::trace, __VA_ARGS__)

namespace vitte::log {

/// A threshold and up to max_sinks sinks (not owned: they outlive the logger).
template <class P = sys::platform>
class basic_logger {
 public:
  static constexpr std::size_t max_sinks = 8;

  /// Lets lines at `threshold` and more severe through.
  explicit basic_logger(level threshold = level::info) noexcept : threshold_(static_cast<std::uint8_t>(threshold)) {}
  basic_logger(const basic_logger&) = delete;
  basic_logger& operator=(const basic_logger&) = delete;

  /// Adds `s`, which must outlive the logger. Errors (log_open):
  /// limit_exceeded beyond max_sinks.
  status add(sink& s) noexcept {
    if (count_ == max_sinks) return vitte::error{errc::limit_exceeded, ops::log_open};
    sinks_[count_++] = &s;
    return {};
  }

  /// The run-time threshold.
  void set_threshold(level l) noexcept { threshold_.store(static_cast<std::uint8_t>(l), vitte::detail::relaxed); }
  level threshold() const noexcept { return static_cast<level>(threshold_.load(vitte::detail::relaxed)); }
  /// True when a line at `l` would be written (compile-time floor and threshold).
  bool enabled(level l) const noexcept {
    return l != level::off && static_cast<int>(l) <= VITTE_LOG_FLOOR &&
           static_cast<std::uint8_t>(l) <= threshold_.load(vitte::detail::relaxed);
  }

  /// Writes the line to every sink, whatever the threshold (check enabled()
  /// first, as the macros do).
  void write(level l, text_view message, span<const field> fields) noexcept;
  void write(level l, text_view message, std::initializer_list<field> fields = {}) noexcept {
    write(l, message, span<const field>(fields.begin(), fields.size()));
  }

  void error(text_view message, std::initializer_list<field> fields = {}) noexcept {
    at(level::error, message, fields);
  }
  void warn(text_view message, std::initializer_list<field> fields = {}) noexcept { at(level::warn, message, fields); }
  void info(text_view message, std::initializer_list<field> fields = {}) noexcept { at(level::info, message, fields); }
  void debug(text_view message, std::initializer_list<field> fields = {}) noexcept {
    at(level::debug, message, fields);
  }
  void trace(text_view message, std::initializer_list<field> fields = {}) noexcept {
    at(level::trace, message, fields);
  }

  /// Flushes every sink.
  void flush() noexcept {
    for (std::size_t i = 0; i < count_; ++i) sinks_[i]->flush();
  }

 private:
  void at(level l, text_view message, std::initializer_list<field> fields) noexcept {
    if (enabled(l)) write(l, message, fields);
  }

  vitte::detail::atomic<std::uint8_t> threshold_;
  sink* sinks_[max_sinks] = {};
  std::size_t count_ = 0;
};

/// The logger of the default platform.
using logger = basic_logger<>;

template <class P>
void basic_logger<P>::write(level l, text_view message, span<const field> fields) noexcept {
  std::int64_t now = 0;
  for (std::size_t i = 0; i < count_; ++i)
    if (sinks_[i]->style().timestamps) {
      now = P::clock_now_ns(sys::clock_id::realtime);
      break;
    }
  line_buffer line;
  const line_style* formatted = nullptr;  // the style `line` holds
  for (std::size_t i = 0; i < count_; ++i) {
    const line_style& st = sinks_[i]->style();
    if (formatted == nullptr || st.format != formatted->format || st.color != formatted->color ||
        st.timestamps != formatted->timestamps) {
      line.clear();
      format_line(line, st, l, now, message, fields);
      formatted = &st;
    }
    sinks_[i]->write(l, line.view(), message, fields);
  }
}

}  // namespace vitte::log

#endif  // VITTE_LOG_LOGGER_HPP
