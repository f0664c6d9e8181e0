// vitte/base/diagnostic.hpp - vitte::diagnostic, the one model of "what was
// wrong and where".
//
// vitte::error (8 bytes) says what kind of thing failed. A parser, a reader
// or a checker also has to say where and about what: the byte offset in a
// file or the line and column of a text, the entry, section or symbol
// concerned, and a sentence. Every parser, reader, writer and checker fills
// one of these where it finds the fault, through a `vitte::diagnostic* why`
// parameter (many at once: vitte::diagnostic_list); the vitte tool prints
// them all through one function.
//
//   vitte::diagnostic why;   // filled by the decoder: kind, offset, message
//   auto out = vitte::compress::gzip_decompress(bytes, {}, &why);
//   if (!out) std::puts(why.about("logs.gz").format().c_str());
//   // "logs.gz: at offset 0x1a4: distance too far back"
//
//   vitte::diagnostic d;
//   d.of(vitte::errc::malformed).about("out/a.d").at_line(3, 7).say("expected ':' after the targets");
//   const vitte::diagnostic_line l = d.format();
//   l.view();   // "out/a.d:3:7: expected ':' after the targets"
//
// format() writes one line, the same shape whoever filled the model:
//
//   SUBJECT:LINE:COLUMN: MESSAGE          a text position (SUBJECT:LINE: without a column)
//   SUBJECT: at offset 0x1a4: MESSAGE     a byte offset (hexadecimal)
//   SUBJECT: MESSAGE                      no position
//
// Without a subject: "line 3, column 7: MESSAGE", "at offset 0x1a4:
// MESSAGE", "MESSAGE". An empty message prints the kind's text ("malformed").
// The kind is for programs, not printed beside a message. Control bytes of
// the subject and the message (a newline, an escape sequence from a hostile
// file name) print as \n, \t, \r or \xNN, so the line stays one line.
//
// The convention of every layer: the function that fails fills the kind (the
// same errc as the vitte::error it returns), the position, the subject it
// knows (the path it opened, the entry, section, member or symbol it was
// reading) and the message. A caller adds nothing but, when it read the
// bytes from a file the function never saw, `.about(path)`.
//
// No allocation, no OS, no <string>: freestanding code may use it. The text
// lives in the object (subject_capacity and message_capacity bytes, cut when
// longer, always NUL-terminated), so a copy is a plain copy of its own text.
// Thread safety: a value type.
#ifndef VITTE_BASE_DIAGNOSTIC_HPP
#define VITTE_BASE_DIAGNOSTIC_HPP

#include <vitte/base/config.hpp>       // VITTE_LIFETIMEBOUND
#include <vitte/base/detail/hex.hpp>   // hex_byte: control bytes as \xNN
#include <vitte/base/detail/text.hpp>  // text_writer: bounded appends and numbers
#include <vitte/base/error.hpp>        // errc, to_string(errc)
#include <vitte/base/text_view.hpp>    // what goes in and comes out

#include <cstddef>  // std::size_t
#include <cstdint>  // offsets, lines

namespace vitte {

/// One line printed from a diagnostic: NUL-terminated, in the object.
struct diagnostic_line {
  static constexpr std::size_t capacity = 576;
  char text[capacity] = {};
  std::size_t length = 0;

  /// NUL-terminated text, living as long as this line (print a
  /// temporary's in one expression: `std::puts(d.format().c_str())`).
  const char* c_str() const noexcept VITTE_LIFETIMEBOUND { return text; }
  /// The text as a view. Only of a line that is kept: a view of a
  /// temporary line would outlive its text, so that does not compile.
  constexpr text_view view() const& noexcept { return {text, length}; }
  text_view view() const&& = delete;
};

/// What was wrong and where: a kind, a position (a byte offset, or a line
/// and column), a subject and a message. See the header comment.
class diagnostic {
 public:
  /// offset() when the position is not a byte offset.
  static constexpr std::uint64_t no_offset = ~std::uint64_t{0};
  /// The longest subject and message kept (longer ones are cut).
  static constexpr std::size_t subject_capacity = 191;
  static constexpr std::size_t message_capacity = 319;

  /// Nothing recorded: errc::ok, no position, no subject, no message.
  constexpr diagnostic() noexcept = default;

  // --- building ---------------------------------------------------------

  /// Sets the kind.
  constexpr diagnostic& of(errc kind) noexcept {
    kind_ = kind;
    return *this;
  }
  /// Sets the kind and the message from `e` ("open: not found (errno 2:
  /// No such file or directory)"): a failed call, about the subject the
  /// caller names with about().
  diagnostic& of(const error& e) noexcept {
    kind_ = e.kind();
    return say(e.message().view());
  }
  /// Places the problem at byte `offset` of the input (no_offset: nowhere);
  /// forgets a line and column.
  constexpr diagnostic& at(std::uint64_t offset) noexcept {
    offset_ = offset;
    line_ = column_ = 0;
    return *this;
  }
  /// Places the problem at `line`, `column` of a text (1-based; a column
  /// of 0: the line only; a line of 0: nowhere); forgets a byte offset.
  constexpr diagnostic& at_line(std::uint32_t line, std::uint32_t column = 0) noexcept {
    offset_ = no_offset;
    line_ = line;
    column_ = line == 0 ? 0 : column;
    return *this;
  }
  /// Sets the subject: the file, entry, section or symbol concerned.
  constexpr diagnostic& about(text_view subject) noexcept {
    subject_length_ = 0;
    subject_[0] = '\0';
    subject_length_ = static_cast<std::uint16_t>(write(subject_, subject_capacity, subject_length_, subject));
    return *this;
  }
  /// Sets the message ("bad header checksum").
  constexpr diagnostic& say(text_view message) noexcept {
    message_length_ = 0;
    message_[0] = '\0';
    return append(message);
  }
  /// Adds `s` to the message.
  constexpr diagnostic& append(text_view s) noexcept {
    message_length_ = static_cast<std::uint16_t>(write(message_, message_capacity, message_length_, s));
    return *this;
  }
  /// Adds `v` to the message in decimal, or in hexadecimal after "0x".
  constexpr diagnostic& append(std::uint64_t v, bool hex = false) noexcept {
    detail::text_writer w{message_, message_capacity + 1, message_length_};
    if (hex) w.append("0x");
    w.append_unsigned(v, hex ? 16 : 10);
    message_length_ = static_cast<std::uint16_t>(w.len);
    return *this;
  }
  /// Back to nothing recorded.
  constexpr void clear() noexcept { *this = diagnostic(); }

  // --- reading ----------------------------------------------------------

  constexpr errc kind() const noexcept { return kind_; }
  /// The byte offset, or no_offset.
  constexpr std::uint64_t offset() const noexcept { return offset_; }
  constexpr bool has_offset() const noexcept { return offset_ != no_offset; }
  /// The line and column (1-based), 0 when none.
  constexpr std::uint32_t line() const noexcept { return line_; }
  constexpr std::uint32_t column() const noexcept { return column_; }
  /// The subject and the message, NUL-terminated (data()[size()] == '\0').
  constexpr text_view subject() const noexcept { return {subject_, subject_length_}; }
  constexpr text_view message() const noexcept { return {message_, message_length_}; }
  /// True when something was recorded: a kind other than ok, or a message.
  constexpr explicit operator bool() const noexcept { return kind_ != errc::ok || message_length_ != 0; }

  /// The one printable line (see the header comment); cut only when
  /// escaped control bytes make it longer than diagnostic_line::capacity.
  constexpr diagnostic_line format() const noexcept {
    diagnostic_line out;
    detail::text_writer w{out.text, diagnostic_line::capacity};
    const bool named = subject_length_ != 0;
    printable(w, subject());
    if (line_ != 0) {
      w.append(named ? ":" : "line ");
      w.append_unsigned(line_);
      if (column_ != 0) {
        w.append(named ? ":" : ", column ");
        w.append_unsigned(column_);
      }
      w.append(": ");
    } else if (offset_ != no_offset) {
      w.append(named ? ": at offset 0x" : "at offset 0x");
      w.append_unsigned(offset_, 16);
      w.append(": ");
    } else if (named) {
      w.append(": ");
    }
    printable(w, message_length_ != 0 ? message() : to_string(kind_));
    return w.finish(out);
  }

 private:
  // Appends `s` to buf[0, used) of `cap` bytes plus a NUL; the new length.
  static constexpr std::size_t write(char* buf, std::size_t cap, std::size_t used, text_view s) noexcept {
    detail::text_writer w{buf, cap + 1, used};
    w.append(s);
    return w.len;
  }
  // `s` with control bytes escaped (\n, \t, \r, \xNN).
  static constexpr void printable(detail::text_writer& w, text_view s) noexcept {
    for (char c : s) {
      const auto b = static_cast<unsigned char>(c);
      if (b >= 0x20 && b != 0x7f) {
        w.append(text_view(&c, 1));
      } else if (c == '\n' || c == '\t' || c == '\r') {
        w.append(c == '\n' ? "\\n" : c == '\t' ? "\\t" : "\\r");
      } else {
        char x[4] = {'\\', 'x', '0', '0'};
        detail::hex_byte(b, x + 2);
        w.append(text_view(x, 4));
      }
    }
  }

  char subject_[subject_capacity + 1] = {};
  char message_[message_capacity + 1] = {};
  std::uint64_t offset_ = no_offset;
  std::uint32_t line_ = 0;
  std::uint32_t column_ = 0;
  std::uint16_t subject_length_ = 0;
  std::uint16_t message_length_ = 0;
  errc kind_ = errc::ok;
};

}  // namespace vitte

#endif  // VITTE_BASE_DIAGNOSTIC_HPP
