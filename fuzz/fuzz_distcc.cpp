// libFuzzer target: what the distcc client reads from others
// (vitte/toolchain/distcc.hpp), each on the same bytes, with its promises
// asserted:
//   - read_distcc_reply, small limits: on success err and out are at most
//     max_text bytes and are the first bytes of SERR and SOUT (cut exactly
//     when announced longer), the object is at most max_object bytes, is
//     DOTO's bytes and as long as DOTO says, and a failed status comes
//     without one; on failure the diagnostic has a kind and a message and
//     any offset lies inside the input; the reader is never asked for a
//     byte past the input's end nor for one twice;
//   - parse_distcc_hosts: on success every server has a name without
//     blanks, a port from 1 and a limit from 1 to 1000; on failure the
//     diagnostic is malformed, names the entry, and its line and column
//     lie inside the input;
//   - object_is_whole: no read out of bounds (ASan), the same answer and
//     reason twice, a reason (malformed, at a byte of the input) whenever
//     the answer is no;
//   - split_for_distcc on the bytes cut at NUL: a compile kept here has a
//     reason and no lists; a split one preprocesses with -E and without
//     -c or its object, and names one source and an object.
// Build and run with fuzz/run.sh (seeds: fuzz/corpus/distcc).
#include <vitte/toolchain/distcc.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace {

namespace toolchain = vitte::toolchain;

void check(bool ok) {
  if (!ok) __builtin_trap();
}

// The value of the token at `at` named `name`, when there is one.
bool token_at(std::string_view in, std::size_t at, std::string_view name, std::uint32_t& v) {
  if (at > in.size() || in.size() - at < 12 || in.substr(at, 4) != name) return false;
  v = 0;
  for (std::size_t i = at + 4; i < at + 12; ++i) {
    const int d = vitte::detail::hex_value(in[i]);
    if (d < 0) return false;
    v = (v << 4) | static_cast<std::uint32_t>(d);
  }
  return true;
}

void fuzz_reply(std::string_view in) {
  toolchain::detail::distcc_reply_limits lim;
  lim.max_object = 4096;
  lim.max_text = 64;
  lim.max_skipped = 1024;
  std::size_t at = 0;
  const auto read = [&](std::byte* p, std::size_t n) -> vitte::status {
    check(at <= in.size());
    if (n > in.size() - at) {
      at = in.size() + 1;  // nothing may be asked after a failed read
      return vitte::error{vitte::errc::unexpected_eof};
    }
    if (n != 0) std::memcpy(p, in.data() + at, n);
    at += n;
    return {};
  };
  toolchain::detail::distcc_reply r;
  vitte::diagnostic why;
  const vitte::status st = toolchain::detail::read_distcc_reply(read, lim, r, why);
  if (!st) {
    check(why.kind() != vitte::errc::ok && why.kind() == st.error().kind());
    check(!why.message().empty());
    check(!why.has_offset() || why.offset() <= in.size());
    return;
  }
  check(!why);
  check(at <= in.size());
  // The reply as the input holds it, found again independently.
  std::uint32_t done = 0, status = 0, err = 0, out = 0, object = 0;
  check(token_at(in, 0, "DONE", done) && done == 1);
  check(token_at(in, 12, "STAT", status) && status == r.status);
  check(token_at(in, 24, "SERR", err));
  const std::size_t out_at = 36 + std::size_t{err};
  check(token_at(in, out_at, "SOUT", out));
  const std::size_t object_at = out_at + 12 + out;
  check(token_at(in, object_at, "DOTO", object));
  check(at == object_at + 12 + object);
  check(r.err.size() <= lim.max_text && r.out.size() <= lim.max_text);
  check(std::string_view(r.err.data(), r.err.size()) == in.substr(36, r.err.size()));
  check(r.err.size() == (err < lim.max_text ? err : lim.max_text) && r.err_truncated == (err > lim.max_text));
  check(std::string_view(r.out.data(), r.out.size()) == in.substr(out_at + 12, r.out.size()));
  check(r.out.size() == (out < lim.max_text ? out : lim.max_text) && r.out_truncated == (out > lim.max_text));
  check(r.object.size() <= lim.max_object && r.object.size() == object);
  check(r.object.empty() || std::memcmp(r.object.data(), in.data() + object_at + 12, r.object.size()) == 0);
  if (r.status != 0) check(r.object.empty());
}

void fuzz_hosts(std::string_view in) {
  vitte::diagnostic why;
  auto h = toolchain::parse_distcc_hosts(vitte::text_view(in.data(), in.size()), &why);
  if (h) {
    check(!why);
    check(h->local_slots <= 1000);
    for (const toolchain::distcc_host& s : h->servers) {
      check(!s.name.empty() && s.port >= 1 && s.limit >= 1 && s.limit <= 1000);
      for (char c : s.name) check(c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != ',' && c != '@');
    }
    return;
  }
  check(h.error() == vitte::errc::malformed && why.kind() == vitte::errc::malformed);
  check(!why.message().empty() && !why.subject().empty());
  // The entry's line and column: inside the list.
  std::size_t lines = 1;
  for (char c : in) lines += c == '\n' ? 1 : 0;
  check(why.line() >= 1 && why.line() <= lines && why.column() >= 1 && why.column() <= in.size());
}

void fuzz_object(std::string_view in) {
  const vitte::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(in.data()), in.size());
  vitte::diagnostic why1, why2;
  const bool one = toolchain::object_is_whole(bytes, &why1);
  const bool two = toolchain::object_is_whole(bytes, &why2);
  check(one == two && why1.message() == why2.message() && why1.offset() == why2.offset());
  check(one == toolchain::object_is_whole(bytes));
  // A refusal says what, malformed, at a byte of what it was given.
  if (!one) check(!why1.message().empty() && why1.kind() == vitte::errc::malformed && why1.offset() <= in.size());
}

void fuzz_split(std::string_view in) {
  vitte::buffer<vitte::text> args;
  while (!in.empty() && args.size() < 64) {
    const std::size_t nul = in.find('\0');
    args.push_back(vitte::text(vitte::text_view(in.data(), nul == std::string_view::npos ? in.size() : nul)));
    in = nul == std::string_view::npos ? std::string_view() : in.substr(nul + 1);
  }
  for (const bool clang : {false, true}) {
    const auto s = toolchain::detail::split_for_distcc(vitte::span<const vitte::text>(args.data(), args.size()), clang);
    if (!s.why_local.empty()) {
      check(s.preprocess.empty() && s.server.empty());
      continue;
    }
    check(!s.source.empty() && !s.object.empty() && !s.preprocess.empty() && !s.server.empty());
    check(vitte::text_view(s.preprocess[s.preprocess.size() - 1]) == "-E");
    // Options, not the values that follow them: no -c, no -o.
    for (std::size_t i = 0; i < s.preprocess.size(); ++i) {
      const vitte::text_view a(s.preprocess[i]);
      check(a != "-c" && a != "-o" && !(a.starts_with("-o") && a.size() > 2));
      if (toolchain::detail::distcc_takes_value(a)) ++i;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  fuzz_reply(in);
  fuzz_hosts(in);
  fuzz_object(in);
  fuzz_split(in);
  return 0;
}
