// inflate_driver BATCH [--rss] [API] - decodes each case of BATCH with every
// vitte/compress decoding API (or only API: oneshot, into or stream) and prints one line per case for
// fuzz/inflate_differential.py, which compares them with Python's zlib.
//
// A case in BATCH (little-endian): u8 format (0 raw, 1 zlib, 2 gzip),
// u64 max_output, u32 max_ratio, u32 chunk (the streaming decompressor's
// piece size; 0: all at once), u32 dictionary size, the dictionary, u32
// data size, the data.
//
// A line: "oneshot=V into=V stream=V", V being "ok:SIZE:SHA256" or
// "err:KIND:PRODUCED:CAPACITY:WHAT" (spaces as _) (PRODUCED: the bytes the API handed
// out before failing, CAPACITY: the output buffer's capacity; both 0 for
// the one-shot functions, which hand out nothing on error) and "-" for an
// API the format does not have (into: raw only). With --rss, a last line
// "rss KIB" gives the peak resident set.
#include <vitte/compress.hpp>
#include <vitte/crypto/sha256.hpp>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <sys/resource.h>

namespace vc = vitte::compress;
using bytes = vitte::span<const std::byte>;

namespace {

std::string ok(const std::byte* p, std::size_t n) {
  const auto d = vitte::crypto::sha256::hash(p, n);
  std::string s = "ok:" + std::to_string(n) + ":";
  for (std::uint8_t b : d) {
    static const char hex[] = "0123456789abcdef";
    s += hex[b >> 4];
    s += hex[b & 15];
  }
  return s;
}

std::string err(const vitte::error& e, std::size_t produced, std::size_t capacity, const vitte::diagnostic& why) {
  if (why.kind() != e.kind()) return "err:the_diagnostic_has_another_kind";  // the decoder fills the kind
  std::string kind(vitte::to_string(e.kind())), what(why.message().data(), why.message().size());
  for (std::string* s : {&kind, &what})
    for (char& c : *s)
      if (c == ' ' || c == ':') c = '_';
  return "err:" + kind + ":" + std::to_string(produced) + ":" + std::to_string(capacity) + ":" + what;
}

std::string oneshot(vc::format f, bytes data, bytes dict, const vc::decompress_limits& lim) {
  vitte::diagnostic why;
  auto r = f == vc::format::raw ? dict.empty() ? vc::inflate(data, lim, &why) : vc::inflate(data, dict, lim, &why)
           : f == vc::format::zlib
               ? dict.empty() ? vc::zlib_decompress(data, lim, &why) : vc::zlib_decompress(data, dict, lim, &why)
               : vc::gzip_decompress(data, lim, &why);
  if (!r) return err(r.error(), 0, 0, why);
  return ok(r->data(), r->size());
}

std::string into(vc::format f, bytes data, bytes dict, const vc::decompress_limits& lim) {
  if (f != vc::format::raw || !dict.empty()) return "-";
  vitte::buffer<std::byte> out;
  vitte::diagnostic why;
  if (vitte::status s = vc::inflate(data, out, lim, &why); !s) return err(s.error(), out.size(), out.capacity(), why);
  return ok(out.data(), out.size());
}

std::string stream(vc::format f, bytes data, bytes dict, const vc::decompress_limits& lim, std::size_t chunk) {
  vc::decompressor d(f, lim, dict);
  vitte::buffer<std::byte> out;
  vitte::diagnostic why;
  if (chunk == 0) chunk = data.size() ? data.size() : 1;
  for (std::size_t i = 0; i < data.size(); i += chunk) {
    const std::size_t n = data.size() - i < chunk ? data.size() - i : chunk;
    if (vitte::status s = d.write(data.subspan(i, n), out, &why); !s)
      return err(s.error(), out.size(), out.capacity(), why);
  }
  if (vitte::status s = d.finish(out, &why); !s) return err(s.error(), out.size(), out.capacity(), why);
  return ok(out.data(), out.size());
}

// The peak resident set of this process in KiB: VmHWM where /proc has it
// (getrusage's ru_maxrss survives exec on Linux, so it would count the
// parent's memory at fork time), ru_maxrss elsewhere.
long peak_rss_kib() {
  if (std::FILE* f = std::fopen("/proc/self/status", "r")) {
    char line[256];
    long kib = -1;
    while (std::fgets(line, sizeof line, f) != nullptr)
      if (std::sscanf(line, "VmHWM: %ld", &kib) == 1) break;
    std::fclose(f);
    if (kib >= 0) return kib;
  }
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

template <class T>
bool take(const std::vector<std::uint8_t>& b, std::size_t& at, T& v) {
  if (b.size() - at < sizeof(T)) return false;
  v = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) v |= static_cast<T>(static_cast<T>(b[at + i]) << (8 * i));
  at += sizeof(T);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: inflate_driver BATCH [--rss] [oneshot|into|stream]\n");
    return 2;
  }
  std::ifstream file(argv[1], std::ios::binary);
  const std::vector<std::uint8_t> b((std::istreambuf_iterator<char>(file)), {});
  const bool rss = argc > 2 && std::string(argv[2]) == "--rss";
  const std::string only = argc > 2 + rss ? argv[2 + rss] : "";  // one API alone
  std::size_t at = 0;
  while (at < b.size()) {
    std::uint8_t f = 0;
    std::uint64_t max_output = 0;
    std::uint32_t ratio = 0, chunk = 0, dict_size = 0, size = 0;
    if (!take(b, at, f) || !take(b, at, max_output) || !take(b, at, ratio) || !take(b, at, chunk) ||
        !take(b, at, dict_size) || b.size() - at < dict_size) {
      std::fprintf(stderr, "inflate_driver: batch cut short\n");
      return 2;
    }
    const bytes dict = vitte::as_bytes(vitte::span<const std::uint8_t>(b.data() + at, dict_size));
    at += dict_size;
    if (!take(b, at, size) || b.size() - at < size) {
      std::fprintf(stderr, "inflate_driver: batch cut short\n");
      return 2;
    }
    const bytes data = vitte::as_bytes(vitte::span<const std::uint8_t>(b.data() + at, size));
    at += size;
    const vc::decompress_limits lim{.max_output = static_cast<std::size_t>(max_output), .max_ratio = ratio};
    const auto fmt = static_cast<vc::format>(f);
    const auto run = [&](const char* api, auto&& f) { return only.empty() || only == api ? f() : std::string("-"); };
    std::printf("oneshot=%s into=%s stream=%s\n", run("oneshot", [&] { return oneshot(fmt, data, dict, lim); }).c_str(),
                run("into", [&] { return into(fmt, data, dict, lim); }).c_str(),
                run("stream", [&] { return stream(fmt, data, dict, lim, chunk); }).c_str());
    std::fflush(stdout);
  }
  if (rss) std::printf("rss %ld\n", peak_rss_kib());
}
