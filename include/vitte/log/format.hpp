// vitte/log/format.hpp - how a log line is written: text or JSON lines.
//
// text:  2026-11-23T09:39:18.123Z info  compiled file=src/a.c ms=42 note="two words"
// JSON:  {"time":"2026-11-23T09:39:18.123Z","level":"info","msg":"compiled","file":"src/a.c","ms":42}
//
// Fields keep the order they were given in; with timestamps off (the
// deterministic mode) the same call writes the same bytes on every run.
// Nothing from the caller reaches a terminal unescaped: control characters,
// C1 controls (U+0080-U+009F) and bytes that are not UTF-8 are written as
// \n, \t, \r, \xNN (text) or \uNNNN, \\xNN (JSON), so a logged file name
// cannot move the cursor, change colours or forge a line.
#ifndef VITTE_LOG_FORMAT_HPP
#define VITTE_LOG_FORMAT_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/log/field.hpp>
#include <vitte/log/level.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>  // std::memcpy

namespace vitte::log {

/// The shape of a line.
enum class format : std::uint8_t {
  text,  ///< time level message key=value ...
  json,  ///< one JSON object per line
};

/// How a sink writes its lines.
struct line_style {
  log::format format = format::text;
  bool color = false;      ///< ANSI colour on the level (text only)
  bool timestamps = true;  ///< false: the deterministic mode (no time)
};

/// A line being built: 1 KiB inline, on the heap beyond. A line that cannot
/// grow (out of memory) is cut and ends in "...". Not copyable.
class line_buffer {
 public:
  line_buffer() noexcept = default;
  line_buffer(const line_buffer&) = delete;
  line_buffer& operator=(const line_buffer&) = delete;
  ~line_buffer();

  void append(text_view s) noexcept;
  void push(char c) noexcept;
  void clear() noexcept { size_ = 0; }
  text_view view() const noexcept { return {data_, size_}; }

 private:
  bool grow(std::size_t need) noexcept;
  static constexpr std::size_t inline_capacity = 1024;
  char inline_[inline_capacity];
  char* data_ = inline_;
  std::size_t size_ = 0;
  std::size_t capacity_ = inline_capacity;
  bool cut_ = false;
};

// The destructor and the appends run for every line and every piece of it:
// kept inline.
inline line_buffer::~line_buffer() {
  if (data_ != inline_) delete[] data_;
}

inline void line_buffer::append(text_view s) noexcept {
  if (size_ + s.size() > capacity_ && !grow(size_ + s.size())) return;
  std::memcpy(data_ + size_, s.data(), s.size());
  size_ += s.size();
}

inline void line_buffer::push(char c) noexcept {
  if (size_ == capacity_ && !grow(size_ + 1)) return;
  data_[size_++] = c;
}

/// Writes one line (ending in '\n') into `out`. `time_ns` is nanoseconds
/// since 1970 UTC (ignored without timestamps).
VITTE_DECL void format_line(line_buffer& out, const line_style& style, level l, std::int64_t time_ns, text_view message,
                            span<const field> fields) noexcept;

/// `s` escaped as the text format writes a value (quoted when it must be).
VITTE_DECL void append_text_value(line_buffer& out, text_view s) noexcept;
/// `s` escaped as the inside of a JSON string.
VITTE_DECL void append_json_string(line_buffer& out, text_view s) noexcept;
/// "YYYY-MM-DDTHH:MM:SS.mmmZ" for `time_ns` since 1970 UTC.
VITTE_DECL void append_timestamp(line_buffer& out, std::int64_t time_ns) noexcept;

}  // namespace vitte::log

#if VITTE_HEADER_ONLY
#include <vitte/log/impl/format.ipp>
#endif

#endif  // VITTE_LOG_FORMAT_HPP
