// Non-template bodies of vitte/http/parser.hpp: the response parser.
#ifndef VITTE_HTTP_IMPL_PARSER_IPP
#define VITTE_HTTP_IMPL_PARSER_IPP

#include <vitte/base/detail/decimal.hpp>  // parse_decimal
#include <vitte/base/detail/hex.hpp>      // chunk sizes
#include <vitte/http/parser.hpp>

#include <cstdint>  // UINT64_MAX
#include <cstring>

namespace vitte::http {

VITTE_DECL void response_parser::start(bool head_request) {
  head_ = response_head{};
  line_.clear();
  state_ = state::head;
  head_request_ = head_request;
  saw_length_ = saw_encoding_ = close_token_ = keep_alive_token_ = false;
  remaining_ = body_total_ = offset_ = 0;
  crlf_seen_ = 0;
  interim_ = 0;
  interims_ = 0;
  status_line_seen_ = false;
  why_.clear();
}

// offset_ is the offending byte, or where the input ended.
VITTE_DECL error response_parser::fail(errc kind, text_view what) noexcept { return fail(kind, what, offset_); }

VITTE_DECL error response_parser::fail(errc kind, text_view what, std::uint64_t at) noexcept {
  why_.clear();
  why_.of(kind).at(at).say(what);
  return error{kind, ops::http_parse};
}

// `line` is a view into line_, whose last byte is the one before offset_:
// a fault in it is reported where the line starts.
VITTE_DECL status response_parser::parse_field(text_view line) {
  const std::uint64_t at = offset_ - line_.size() + static_cast<std::uint64_t>(line.data() - line_.data());
  if (line.starts_with(' ') || line.starts_with('\t'))
    return fail(errc::malformed, "folded header line (obs-fold)", at);
  const std::size_t colon = line.find(':');
  if (colon == 0 || colon == text_view::npos) return fail(errc::malformed, "header field without a name", at);
  const text_view name = line.substr(0, colon);
  for (char c : name)
    if (!detail::is_tchar(c)) return fail(errc::malformed, "header field name", at);
  const text_view value = detail::trim_ows(line.substr(colon + 1));
  for (char c : value)
    if (!detail::is_field_char(c)) return fail(errc::malformed, "control character in a header field value", at);
  if (state_ == state::trailers) return {};  // trailers are checked, not kept
  if (head_.headers.size() == limits_.max_fields) return fail(errc::limit_exceeded, "too many header fields", at);
  head_.headers.push_back(header{text(name), text(value)});
  if (header_equal(name, "Content-Length")) {
    bool bad = false;
    detail::for_each_element(value, [&](text_view e) {
      std::uint64_t n = 0;
      if (!detail::parse_decimal(e, n) || n > (std::uint64_t{1} << 62) || (saw_length_ && n != head_.content_length))
        bad = true;
      head_.content_length = n;
      saw_length_ = true;
    });
    if (bad || !saw_length_) return fail(errc::malformed, "Content-Length", at);
  } else if (header_equal(name, "Transfer-Encoding")) {
    bool other = false, twice = false;
    detail::for_each_element(value, [&](text_view e) {
      if (!header_equal(e, "chunked")) other = true;
      twice = twice || saw_encoding_;
      saw_encoding_ = true;
    });
    if (other) return fail(errc::not_supported, "Transfer-Encoding other than chunked", at);
    if (twice) return fail(errc::malformed, "Transfer-Encoding: chunked applied twice", at);
  } else if (header_equal(name, "Connection")) {
    detail::for_each_element(value, [&](text_view e) {
      close_token_ = close_token_ || header_equal(e, "close");
      keep_alive_token_ = keep_alive_token_ || header_equal(e, "keep-alive");
    });
  }
  return {};
}

// The status line, without its CRLF: HTTP/1.x SP 3DIGIT [SP reason].
VITTE_DECL status response_parser::check_status_line(text_view line) {
  if (line.size() < 12 || line.substr(0, 7) != "HTTP/1." || line[7] < '0' || line[7] > '9' || line[8] != ' ')
    return fail(errc::malformed, "status line");
  std::uint64_t code = 0;
  if (!vitte::detail::parse_decimal(line.substr(9, 3), 999, code) || code < 100)
    return fail(errc::malformed, "status code");
  if (line.size() > 12 && line[12] != ' ') return fail(errc::malformed, "status line");
  const text_view reason = line.substr(13);
  for (char c : reason)
    if (!detail::is_field_char(c)) return fail(errc::malformed, "control character in the reason phrase");
  head_.status = static_cast<int>(code);
  head_.minor_version = line[7] - '0';
  head_.reason = reason;
  return {};
}

// The byte just added to line_ (the head or the trailers): a peer that is
// not speaking HTTP/1.x is refused at the first byte that cannot start
// "HTTP/1.", a bare LF as it arrives, the status line as soon as it ends.
VITTE_DECL status response_parser::check_head_byte() {
  const std::size_t n = line_.size();
  const char c = line_[n - 1];
  constexpr text_view name = "HTTP/1.";
  if (state_ == state::head && n <= name.size() && c != name[n - 1])
    return fail(errc::version_mismatch, "not an HTTP/1.x response");
  if (c != '\n') return {};
  if (n < 2 || line_[n - 2] != '\r') return fail(errc::malformed, "bare LF line ending (CRLF required)");
  if (state_ != state::head || status_line_seen_) return {};
  status_line_seen_ = true;
  return check_status_line(text_view(line_.data(), n - 2));
}

VITTE_DECL status response_parser::parse_head() {
  // line_ holds the head, "\r\n\r\n" included; the status line was checked as it arrived.
  text_view h(line_.data(), line_.size() - 2);
  std::size_t eol = h.find("\r\n");
  h.remove_prefix(eol + 2);
  while (!h.empty()) {
    eol = h.find("\r\n");
    if (auto ok = parse_field(h.substr(0, eol)); !ok) return ok;
    h.remove_prefix(eol == text_view::npos ? h.size() : eol + 2);
  }
  // HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 closes it unless told to keep it.
  head_.keep_alive = !close_token_ && (head_.minor_version >= 1 || keep_alive_token_);
  return after_head();
}

VITTE_DECL status response_parser::after_head() {
  line_.clear();
  if (head_.status < 200) {
    if (head_.status == 101) return fail(errc::not_supported, "101 Switching Protocols");
    const bool h = head_request_;
    const int interim = head_.status;
    const std::size_t count = interims_ + 1;
    start(h);  // an interim response: the real one follows
    interim_ = interim, interims_ = count;
    if (count > limits_.max_interim) return fail(errc::limit_exceeded, "too many interim (1xx) responses");
    return {};
  }
  if (head_request_ || head_.status == 204 || head_.status == 304) {
    head_.framing = body_framing::none;
    state_ = state::done;
    return {};
  }
  if (saw_encoding_ && saw_length_) return fail(errc::malformed, "Content-Length with Transfer-Encoding");
  if (saw_encoding_) {
    head_.framing = body_framing::chunked;
    state_ = state::chunk_size;
    return {};
  }
  if (saw_length_) {
    if (head_.content_length > limits_.max_body_bytes)
      return fail(errc::limit_exceeded, "Content-Length over the body limit");
    head_.framing = body_framing::length;
    remaining_ = head_.content_length;
    state_ = remaining_ == 0 ? state::done : state::body_length;
    return {};
  }
  head_.framing = body_framing::until_close;
  head_.keep_alive = false;
  state_ = state::until_close;
  return {};
}

VITTE_DECL status response_parser::parse_chunk_size(text_view line) {
  std::uint64_t n = 0;
  std::size_t i = 0;
  for (; i < line.size(); ++i) {
    const char c = line[i];
    const int d = vitte::detail::hex_value(c);
    if (d < 0) break;
    if (i == 15) return fail(errc::malformed, "chunk size over 15 hex digits");
    n = n << 4 | static_cast<std::uint64_t>(d);
  }
  if (i == 0) return fail(errc::malformed, "chunk size");
  text_view ext = line.substr(i);
  while (!ext.empty() && (ext.front() == ' ' || ext.front() == '\t')) ext.remove_prefix(1);
  if (!ext.empty() && ext.front() != ';') return fail(errc::malformed, "chunk size");
  for (char c : ext)
    if (!detail::is_field_char(c)) return fail(errc::malformed, "control character in a chunk extension");
  if (n == 0) {
    line_.clear();
    line_.append("\r\n", 2);  // the trailer section ends at "\r\n\r\n" as the head does
    state_ = state::trailers;
    return {};
  }
  if (n > limits_.max_body_bytes - body_total_) return fail(errc::limit_exceeded, "chunked body over the body limit");
  remaining_ = n;
  state_ = state::chunk_data;
  line_.clear();
  return {};
}

VITTE_DECL result<response_parser::step> response_parser::feed(span<const std::byte> in) {
  step s;
  const char* p = reinterpret_cast<const char*>(in.data());
  const std::size_t n = in.size();
  switch (state_) {
    case state::done:
      return s;
    case state::head:
    case state::trailers: {
      const std::size_t limit = limits_.max_head_bytes;
      const std::uint64_t start = offset_;
      while (s.used < n) {
        const char c = p[s.used++];
        offset_ = start + s.used - 1;  // the byte being checked, where a fault is
        line_.push_back(c);
        if (line_.size() > limit)
          return fail(errc::limit_exceeded, state_ == state::head ? text_view("response head over the limit")
                                                                  : text_view("trailers over the limit"));
        if (auto ok = check_head_byte(); !ok) return ok.error();
        if (c == '\n' && line_.size() >= 4 && std::memcmp(line_.data() + line_.size() - 4, "\r\n\r\n", 4) == 0) break;
      }
      offset_ = start + s.used;
      if (line_.size() < 4 || std::memcmp(line_.data() + line_.size() - 4, "\r\n\r\n", 4) != 0) return s;
      if (state_ == state::trailers) {
        text_view t(line_.data() + 2, line_.size() - 4);
        while (!t.empty()) {
          const std::size_t eol = t.find("\r\n");
          if (auto ok = parse_field(t.substr(0, eol)); !ok) return ok.error();
          t.remove_prefix(eol == text_view::npos ? t.size() : eol + 2);
        }
        line_.clear();
        state_ = state::done;
        return s;
      }
      if (auto ok = parse_head(); !ok) return ok.error();
      return s;
    }
    case state::body_length:
    case state::chunk_data: {
      const std::size_t take = remaining_ < n ? static_cast<std::size_t>(remaining_) : n;
      s.used = take;
      s.body = in.first(take);
      remaining_ -= take;
      body_total_ += take;
      offset_ += take;
      if (remaining_ == 0) {
        state_ = state_ == state::body_length ? state::done : state::chunk_crlf;
        crlf_seen_ = 0;
      }
      return s;
    }
    case state::chunk_crlf: {
      while (s.used < n && crlf_seen_ < 2) {
        const char want = crlf_seen_ == 0 ? '\r' : '\n';
        if (p[s.used] != want) {
          offset_ += s.used;
          return fail(errc::malformed, "chunk data not followed by CRLF");
        }
        ++s.used;
        ++crlf_seen_;
      }
      offset_ += s.used;
      if (crlf_seen_ == 2) state_ = state::chunk_size;
      return s;
    }
    case state::chunk_size: {
      while (s.used < n) {
        const char c = p[s.used++];
        line_.push_back(c);
        if (line_.size() > 4096) {
          offset_ += s.used - 1;  // the byte over the limit
          return fail(errc::limit_exceeded, "chunk-size line over 4096 bytes");
        }
        if (c == '\n') break;
      }
      offset_ += s.used;
      if (line_.empty() || line_.back() != '\n') return s;
      if (line_.size() < 2 || line_[line_.size() - 2] != '\r')
        return fail(errc::malformed, "chunk-size line without CRLF");
      if (auto ok = parse_chunk_size(text_view(line_.data(), line_.size() - 2)); !ok) return ok.error();
      return s;
    }
    case state::until_close: {
      if (n > limits_.max_body_bytes - body_total_) {
        offset_ += limits_.max_body_bytes - body_total_;  // the first byte over the limit
        return fail(errc::limit_exceeded, "body over the body limit");
      }
      s.used = n;
      s.body = in;
      body_total_ += n;
      offset_ += n;
      return s;
    }
  }
  return s;
}

VITTE_DECL status response_parser::finish() {
  if (state_ == state::done) return {};
  if (state_ == state::until_close) {
    state_ = state::done;
    return {};
  }
  if (state_ == state::head && line_.empty()) return fail(errc::unexpected_eof, "connection closed before a response");
  return fail(errc::unexpected_eof, head_done() ? text_view("connection closed in the body")
                                                : text_view("connection closed in the response head"));
}

}  // namespace vitte::http

#endif  // VITTE_HTTP_IMPL_PARSER_IPP
