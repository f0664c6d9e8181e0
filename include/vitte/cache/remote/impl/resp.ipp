// vitte/cache/remote/impl/resp.ipp - the bodies of vitte/cache/remote/resp.hpp.
#ifndef VITTE_CACHE_REMOTE_IMPL_RESP_IPP
#define VITTE_CACHE_REMOTE_IMPL_RESP_IPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/detail/decimal.hpp>  // resp_number
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/cache/operations.hpp>
#include <vitte/cache/remote/resp.hpp>

#include <cstddef>
#include <cstdint>  // INT64_MAX
#include <cstring>
#include <initializer_list>

namespace vitte::cache {

namespace detail {

// Where a line ends ("\r\n" at or after `from`): the index of '\r', or npos.
VITTE_DECL std::size_t resp_line_end(span<const std::byte> in, std::size_t from) noexcept {
  for (std::size_t i = from; i + 1 < in.size(); ++i)
    if (in[i] == std::byte{'\r'}) return in[i + 1] == std::byte{'\n'} ? i : static_cast<std::size_t>(-2);
  return static_cast<std::size_t>(-1);
}

VITTE_DECL bool resp_number(span<const std::byte> digits, std::int64_t& out) noexcept {
  std::size_t i = 0;
  bool negative = false;
  if (!digits.empty() && digits[0] == std::byte{'-'}) {
    negative = true;
    i = 1;
  }
  if (i == digits.size() || digits.size() - i > 18) return false;
  std::uint64_t v = 0;
  const text_view number(reinterpret_cast<const char*>(digits.data()) + i, digits.size() - i);
  if (!vitte::detail::parse_decimal(number, INT64_MAX, v)) return false;
  out = negative ? -static_cast<std::int64_t>(v) : static_cast<std::int64_t>(v);
  return true;
}

// Parses a reply at `at` into *out; 0 when incomplete. With `out` null it
// only measures: a caller reading a large reply piece by piece measures
// each time bytes arrive and copies the reply once, when it is whole.
VITTE_DECL result<std::size_t> parse_resp_at(span<const std::byte> in, std::size_t at, resp_reply* out,
                                             const resp_limits& limits, unsigned depth) {
  const error bad{errc::malformed, ops::remote_decode};
  if (depth > limits.max_depth) return error{errc::limit_exceeded, ops::remote_decode};
  if (at >= in.size()) return std::size_t{0};
  const std::size_t eol = resp_line_end(in, at + 1);
  if (eol == static_cast<std::size_t>(-2)) return bad;
  if (eol == static_cast<std::size_t>(-1)) {
    if (in.size() - at > 64 * 1024) return bad;  // no reply line is that long
    return std::size_t{0};
  }
  const span<const std::byte> line = in.subspan(at + 1, eol - at - 1);
  const std::size_t next = eol + 2;
  std::int64_t n = 0;
  switch (static_cast<char>(in[at])) {
    case '+':
    case '-':
      for (std::byte b : line)
        if (b == std::byte{'\n'}) return bad;
      if (out != nullptr) {
        out->type = in[at] == std::byte{'+'} ? resp_reply::kind::simple : resp_reply::kind::error;
        out->bytes = buffer<std::byte>(line);
      }
      return next - at;
    case ':':
      if (!resp_number(line, n)) return bad;
      if (out != nullptr) {
        out->type = resp_reply::kind::integer;
        out->integer = n;
      }
      return next - at;
    case '$': {
      if (!resp_number(line, n) || n < -1) return bad;
      if (n == -1) {
        if (out != nullptr) out->type = resp_reply::kind::nil;
        return next - at;
      }
      if (static_cast<std::uint64_t>(n) > limits.max_bulk) return error{errc::limit_exceeded, ops::remote_decode};
      const auto len = static_cast<std::size_t>(n);
      if (in.size() - next < len + 2) return std::size_t{0};
      if (in[next + len] != std::byte{'\r'} || in[next + len + 1] != std::byte{'\n'}) return bad;
      if (out != nullptr) {
        out->type = resp_reply::kind::bulk;
        out->bytes = buffer<std::byte>(in.subspan(next, len));
      }
      return next + len + 2 - at;
    }
    case '*': {
      if (!resp_number(line, n) || n < -1) return bad;
      if (n == -1) {
        if (out != nullptr) out->type = resp_reply::kind::nil;
        return next - at;
      }
      if (static_cast<std::uint64_t>(n) > limits.max_elements) return error{errc::limit_exceeded, ops::remote_decode};
      if (out != nullptr) {
        out->type = resp_reply::kind::array;
        out->elements.clear();
      }
      std::size_t pos = next;
      for (std::int64_t i = 0; i < n; ++i) {
        resp_reply e;
        auto used = parse_resp_at(in, pos, out != nullptr ? &e : nullptr, limits, depth + 1);
        if (!used) return used.error();
        if (*used == 0) return std::size_t{0};
        pos += *used;
        if (out != nullptr) out->elements.push_back(std::move(e));
      }
      return pos - at;
    }
    default:
      return bad;
  }
}

}  // namespace detail

VITTE_DECL result<std::size_t> parse_resp(span<const std::byte> in, resp_reply& out, const resp_limits& limits) {
  // Measured first: an incomplete reply is not copied, however often more
  // of it arrives.
  auto whole = detail::parse_resp_at(in, 0, nullptr, limits, 0);
  if (!whole || *whole == 0) return whole;
  return detail::parse_resp_at(in, 0, &out, limits, 0);
}

VITTE_DECL void append_resp_command(buffer<std::byte>& out, std::initializer_list<span<const std::byte>> args) {
  auto put = [&](char type, std::uint64_t n) {
    char digits[24];
    std::size_t k = 0;
    do {
      digits[k++] = static_cast<char>('0' + n % 10);
      n /= 10;
    } while (n != 0);
    out.push_back(static_cast<std::byte>(type));
    while (k != 0) out.push_back(static_cast<std::byte>(digits[--k]));
    out.push_back(std::byte{'\r'});
    out.push_back(std::byte{'\n'});
  };
  put('*', args.size());
  for (span<const std::byte> a : args) {
    put('$', a.size());
    out.append(a.data(), a.size());
    out.push_back(std::byte{'\r'});
    out.push_back(std::byte{'\n'});
  }
}

}  // namespace vitte::cache

#endif  // VITTE_CACHE_REMOTE_IMPL_RESP_IPP
