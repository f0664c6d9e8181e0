// vitte/log/sink.hpp - where log lines go: a stream (stderr), a file, a callback.
//
//   namespace lg = vitte::log;
//   lg::stream_sink err = lg::stream_sink::standard_error();          // colour as ninja decides
//   lg::file_sink file({.format = lg::format::json, .timestamps = false});
//   file.open("build/log.jsonl").value();                             // appends; created when missing
//   lg::logger log(lg::level::debug);
//   log.add(err).value();
//   log.add(file).value();
//
// A sink writes whole lines: each line reaches the OS in one write under
// the sink's lock, so lines from several threads never interleave. A sink
// that cannot write counts the lost lines and keeps the first error
// (failures(), first_failure()); logging itself never fails the caller.
#ifndef VITTE_LOG_SINK_HPP
#define VITTE_LOG_SINK_HPP

#include <vitte/base.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/log/color.hpp>
#include <vitte/log/field.hpp>
#include <vitte/log/format.hpp>
#include <vitte/log/level.hpp>
#include <vitte/log/operations.hpp>
#include <vitte/sys/file.hpp>
#include <vitte/sys/mutex.hpp>
#include <vitte/sys/path.hpp>
#include <vitte/sys/platform.hpp>
#include <vitte/sys/terminal.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::log {

/// What every sink is: a line style and a place to write lines to.
/// Thread safety: write() and flush() may be called from any thread.
class sink {
 public:
  explicit sink(line_style style) noexcept : style_(style) {}
  sink(const sink&) = delete;
  sink& operator=(const sink&) = delete;
  virtual ~sink() = default;

  /// How this sink wants its lines formatted.
  const line_style& style() const noexcept { return style_; }
  /// Writes one line (`line` ends in '\n'); `message` and `fields` are
  /// what it was formatted from.
  virtual void write(level l, text_view line, text_view message, span<const field> fields) noexcept = 0;
  /// Writes out what is buffered.
  virtual void flush() noexcept {}

  /// Lines this sink could not write.
  virtual std::uint64_t failures() const noexcept = 0;
  /// The first error it met writing (success when none).
  virtual error first_failure() const noexcept = 0;

 protected:
  line_style style_;
};

namespace detail {
// What the stream and file sinks share: their lock, and the count of lost
// lines with the first error, kept under that lock.
template <class P>
class locked_sink : public sink {
 public:
  explicit locked_sink(line_style style) noexcept : sink(style) {}
  std::uint64_t failures() const noexcept override {
    lock_.lock();
    std::uint64_t n = failures_;
    lock_.unlock();
    return n;
  }
  error first_failure() const noexcept override {
    lock_.lock();
    error e = first_;
    lock_.unlock();
    return e;
  }

 protected:
  // Under the lock: `lines` lines were lost to `e`.
  void note(error e, std::uint64_t lines) noexcept {
    if (failures_ == 0) first_ = error{e.kind(), ops::log_write, e.native(), e.domain()};
    failures_ += lines;
  }
  mutable sys::basic_mutex<P> lock_;

 private:
  std::uint64_t failures_ = 0;
  error first_;
};
}  // namespace detail

/// Lines to a stream this sink does not own (standard error by default).
template <class P = sys::platform>
class basic_stream_sink final : public detail::locked_sink<P> {
 public:
  /// Writes to `h` (not closed by the sink) in `style`.
  basic_stream_sink(sys::native_handle h, line_style style) noexcept : detail::locked_sink<P>(style), handle_(h) {}
  /// Standard error, text, colour per `mode` (vitte/log/color.hpp).
  static basic_stream_sink standard_error(color_mode mode = color_mode::automatic, bool timestamps = true) {
    sys::native_handle h = sys::standard_handle<P>(sys::standard_stream::error);
    return basic_stream_sink(h, line_style{format::text, use_color<P>(mode, h), timestamps});
  }
  basic_stream_sink(basic_stream_sink&& o) noexcept : detail::locked_sink<P>(o.style()), handle_(o.handle_) {}

  void write(level, text_view line, text_view, span<const field>) noexcept override {
    this->lock_.lock();
    sys::basic_file<P> f(handle_);
    status st = f.write(line);
    (void)f.release();  // not ours to close
    if (!st) this->note(st.error(), 1);
    this->lock_.unlock();
  }

 private:
  sys::native_handle handle_;
};

/// How a file sink writes.
struct file_sink_options {
  /// Lines gather in a 64 KiB buffer and reach the file when it fills, on
  /// flush() and on destruction; false: one write per line.
  bool buffered = true;
  /// A line at this level or more severe is written out at once, with
  /// everything before it.
  level flush_at = level::warn;
};

/// Lines appended to a file (created when missing; several processes may
/// append to the same file: each write lands whole at its end).
template <class P = sys::platform>
class basic_file_sink final : public detail::locked_sink<P> {
 public:
  explicit basic_file_sink(line_style style = {}, file_sink_options options = {}) noexcept
      : detail::locked_sink<P>(style), options_(options) {}
  ~basic_file_sink() override { flush(); }

  /// Opens `path` for appending. Errors (log_open): those of opening the file.
  status open(const sys::path_arg& path) noexcept {
    result<sys::basic_file<P>> f =
        sys::basic_file<P>::open(path, sys::open_mode::append | sys::open_mode::create | sys::open_mode::write);
    if (!f) return error{f.error().kind(), ops::log_open, f.error().native(), f.error().domain()};
    lock_.lock();
    write_out();
    file_ = static_cast<sys::basic_file<P>&&>(*f);
    lock_.unlock();
    return {};
  }

  void write(level l, text_view line, text_view, span<const field>) noexcept override {
    lock_.lock();
    if (!options_.buffered || line.size() > capacity) {
      write_out();
      put(line);
    } else {
      if (used_ + line.size() > capacity) write_out();
      __builtin_memcpy(buffer_ + used_, line.data(), line.size());
      used_ += line.size();
      if (l != level::off && static_cast<std::uint8_t>(l) <= static_cast<std::uint8_t>(options_.flush_at)) write_out();
    }
    lock_.unlock();
  }
  void flush() noexcept override {
    lock_.lock();
    write_out();
    lock_.unlock();
  }

 private:
  using detail::locked_sink<P>::lock_;
  static constexpr std::size_t capacity = 64 * 1024;

  // Under the lock.
  void write_out() noexcept {
    if (used_ == 0) return;
    put(text_view(buffer_, used_));
    used_ = 0;
  }
  void put(text_view bytes) noexcept {
    if (!file_.is_open()) return note(error{errc::bad_descriptor, ops::log_write}, bytes);
    if (status st = file_.write(bytes); !st) note(st.error(), bytes);
  }
  void note(error e, text_view bytes) noexcept {
    std::uint64_t lines = 0;
    for (char c : bytes) lines += c == '\n';
    detail::locked_sink<P>::note(e, lines);
  }

  file_sink_options options_;
  sys::basic_file<P> file_;
  char buffer_[capacity];
  std::size_t used_ = 0;
};

/// Lines to a function of the host's: `fn(context, level, line, message, fields)`.
/// Called on the logging thread, under no lock of vitte's: several threads
/// may call it at once.
class callback_sink final : public sink {
 public:
  using callback = void (*)(void* context, level l, text_view line, text_view message, span<const field> fields);
  callback_sink(callback fn, void* context, line_style style = {}) noexcept : sink(style), fn_(fn), context_(context) {}
  void write(level l, text_view line, text_view message, span<const field> fields) noexcept override {
    if (fn_ != nullptr) fn_(context_, l, line, message, fields);
  }
  std::uint64_t failures() const noexcept override { return 0; }
  error first_failure() const noexcept override { return {}; }

 private:
  callback fn_;
  void* context_;
};

/// The sinks of the default platform.
using stream_sink = basic_stream_sink<>;
using file_sink = basic_file_sink<>;

}  // namespace vitte::log

#endif  // VITTE_LOG_SINK_HPP
