// distcc's protocol on the wire (version 1: the source preprocessed by the
// client, nothing compressed), as distcc 3.x speaks it. Every field is a
// token: four letters, then a 32-bit value as eight lowercase hex digits;
// a string or a file is a token whose value is its length, then its bytes.
//
//   client: DIST 1, ARGC n, n x ARGV s, DOTI file
//   server: DONE 1, STAT wait-status, SERR s, SOUT s, DOTO file
//
// The reply reader takes its bytes from a `Read` callable (`status
// read(std::byte* p, std::size_t n)` filling exactly n bytes, or failing),
// so the network client and the fuzzer share it. It trusts nothing: every
// token's name and digits are checked, every length is bounded before a
// byte is kept, and a failure says which token, at which offset.
#ifndef VITTE_TOOLCHAIN_DETAIL_DISTCC_WIRE_HPP
#define VITTE_TOOLCHAIN_DETAIL_DISTCC_WIRE_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/base/detail/hex.hpp>  // hex_digit, hex_value
#include <vitte/base/diagnostic.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::toolchain::detail {

/// The protocol version this client speaks (no compression, cpp on the client).
inline constexpr std::uint32_t distcc_version = 1;
/// The length of a token: four letters and eight hex digits.
inline constexpr std::size_t distcc_token_size = 12;

/// Appends the token `name` (four letters) with `value`.
inline void distcc_put_token(text& out, text_view name, std::uint32_t value) {
  char t[distcc_token_size];
  for (std::size_t i = 0; i < 4; ++i) t[i] = name[i];
  for (std::size_t i = 0; i < 8; ++i) t[4 + i] = vitte::detail::hex_digit(value >> (28 - 4 * i));
  out.append(text_view(t, distcc_token_size));
}

/// The request up to the preprocessed source's bytes: DIST, ARGC, each
/// ARGV, then the DOTI token announcing `source_size` bytes (which the
/// caller sends next). False when an argument or the source is too long
/// for the protocol's 32-bit lengths.
template <class Args>
bool distcc_request_head(text& out, const Args& argv, std::uint64_t source_size) {
  if (source_size > 0xffffffffu || argv.size() > 0xffffffffu) return false;
  distcc_put_token(out, "DIST", distcc_version);
  distcc_put_token(out, "ARGC", static_cast<std::uint32_t>(argv.size()));
  for (const auto& a : argv) {
    const text_view s(a);
    if (s.size() > 0xffffffffu) return false;
    distcc_put_token(out, "ARGV", static_cast<std::uint32_t>(s.size()));
    out.append(s);
  }
  distcc_put_token(out, "DOTI", static_cast<std::uint32_t>(source_size));
  return true;
}

/// What a server answered.
struct distcc_reply {
  std::uint32_t status = 0;  ///< The compiler's wait status (0: it exited 0).
  text err;                  ///< What it printed on stderr (cut at the limit, see truncated).
  text out;                  ///< What it printed on stdout.
  buffer<std::byte> object;  ///< The object file (empty when the compile failed).
  bool err_truncated = false, out_truncated = false;
};

/// Bounds on a reply.
struct distcc_reply_limits {
  std::uint64_t max_object = std::uint64_t{256} << 20;  ///< Bytes of object accepted.
  std::size_t max_text = std::size_t{1} << 20;          ///< Bytes of stderr or stdout kept (the rest read, dropped).
  std::uint64_t max_skipped = std::uint64_t{16} << 20;  ///< Bytes of stderr or stdout read at most.
};

/// Reads a reply through `read` (see the header). On failure: the error
/// `read` gave (a timeout, a closed connection), or errc::malformed with
/// `why` saying which token was wrong and at which offset of the reply.
template <class Read>
status read_distcc_reply(Read&& read, const distcc_reply_limits& lim, distcc_reply& r, diagnostic& why) {
  std::uint64_t at = 0;
  // One token, whose name must be `name`; its value in `v`.
  auto token = [&](text_view name, std::uint32_t& v) -> status {
    char t[distcc_token_size];
    if (auto ok = read(reinterpret_cast<std::byte*>(t), distcc_token_size); !ok) {
      if (ok.error() == errc::timed_out)
        why.of(errc::timed_out).at(at).say("no ").append(name).append(" token before the deadline");
      else
        why.of(ok.error().kind()).at(at).say("the reply ended before its ").append(name).append(" token");
      return ok;
    }
    if (text_view(t, 4) != name) {
      why.of(errc::malformed).at(at).say("expected the token ").append(name).append(", got \"");
      for (std::size_t i = 0; i < 4; ++i) {
        const unsigned char c = static_cast<unsigned char>(t[i]);
        const char shown = c >= 0x20 && c < 0x7f ? t[i] : '?';
        why.append(text_view(&shown, 1));
      }
      why.append("\" (not a distcc server, or it failed)");
      return error{errc::malformed};
    }
    std::uint32_t value = 0;
    for (std::size_t i = 4; i < distcc_token_size; ++i) {
      const int d = vitte::detail::hex_value(t[i]);
      if (d < 0) {
        why.of(errc::malformed).at(at + i).say("the value of ").append(name).append(" is not 8 hex digits");
        return error{errc::malformed};
      }
      value = (value << 4) | static_cast<std::uint32_t>(d);
    }
    at += distcc_token_size;
    v = value;
    return {};
  };
  // A string token's bytes: kept up to `keep`, read up to `skip_max`.
  auto text_field = [&](text_view name, text& out, bool& truncated) -> status {
    std::uint32_t n = 0;
    if (auto ok = token(name, n); !ok) return ok;
    if (n > lim.max_skipped) {
      why.of(errc::limit_exceeded)
          .at(at)
          .say(name)
          .append(" announces ")
          .append(n)
          .append(" bytes, over the limit of ")
          .append(lim.max_skipped);
      return error{errc::limit_exceeded};
    }
    const std::size_t keep = n < lim.max_text ? n : lim.max_text;
    std::byte sink[4096];
    out.clear();
    for (std::uint32_t done = 0; done < n;) {
      const std::size_t step = n - done < sizeof sink ? n - done : sizeof sink;
      if (auto ok = read(sink, step); !ok) {
        why.of(ok.error().kind()).at(at).say("the reply ended inside ").append(name);
        return ok;
      }
      if (done < keep) {
        const std::size_t k = keep - done < step ? keep - done : step;
        out.append(text_view(reinterpret_cast<const char*>(sink), k));
      }
      done += static_cast<std::uint32_t>(step);
      at += step;
    }
    truncated = n > keep;
    return {};
  };

  std::uint32_t v = 0;
  if (auto ok = token("DONE", v); !ok) return ok;
  if (v != distcc_version) {
    why.of(errc::version_mismatch)
        .at(at - 8)
        .say("the server answers protocol ")
        .append(v)
        .append(", not ")
        .append(std::uint64_t{distcc_version});
    return error{errc::version_mismatch};
  }
  if (auto ok = token("STAT", r.status); !ok) return ok;
  if (auto ok = text_field("SERR", r.err, r.err_truncated); !ok) return ok;
  if (auto ok = text_field("SOUT", r.out, r.out_truncated); !ok) return ok;
  std::uint32_t n = 0;
  if (auto ok = token("DOTO", n); !ok) return ok;
  if (n > lim.max_object) {
    why.of(errc::limit_exceeded)
        .at(at)
        .say("DOTO announces an object of ")
        .append(n)
        .append(" bytes, over the limit of ")
        .append(lim.max_object);
    return error{errc::limit_exceeded};
  }
  if (r.status != 0 && n != 0) {
    why.of(errc::malformed)
        .at(at)
        .say("the compile failed (status ")
        .append(r.status)
        .append(") yet DOTO holds ")
        .append(n)
        .append(" bytes");
    return error{errc::malformed};
  }
  r.object.clear();
  if (n == 0) return {};
  if (!r.object.try_resize_for_overwrite(n)) return error{errc::no_memory};
  if (auto ok = read(r.object.data(), n); !ok) {
    why.of(ok.error().kind())
        .at(at)
        .say(ok.error() == errc::timed_out ? "no whole object before the deadline ("
                                           : "the reply ended inside the object (")
        .append(n)
        .append(" bytes announced)");
    return ok;
  }
  return {};
}

}  // namespace vitte::toolchain::detail

#endif  // VITTE_TOOLCHAIN_DETAIL_DISTCC_WIRE_HPP
