// vitte/compress: DEFLATE, zlib and gzip round trips at every level, interop
// with zlib (both ways) and the gzip program, and hostile streams refused
// with what and where; the same for streams written in pieces
// (compressor, decompressor). Failures fill a vitte::diagnostic: the
// returned error's kind, the offset, what.
#include <vitte/compress.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#if VITTE_OS_LINUX
#include <malloc.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

#include <boost/test/unit_test.hpp>

#include "print.hpp"

#if VITTE_TEST_HAS_ZLIB
#include <zlib.h>
#endif

namespace vc = vitte::compress;
using vitte::errc;

namespace {

// The tests' data are octets; the library's boundary is std::byte.
using bytes = std::vector<std::uint8_t>;

vitte::span<const std::byte> view(const bytes& b) {
  return vitte::as_bytes(vitte::span<const std::uint8_t>(b.data(), b.size()));
}
bytes copy(const vitte::buffer<std::byte>& b) {
  bytes out(b.size());
  if (!b.empty()) std::memcpy(out.data(), b.data(), b.size());
  return out;
}
std::string str(vitte::text_view v) { return std::string(v.data(), v.size()); }

// Inputs that exercise every block kind: empty, tiny, random (stored),
// text (dynamic), runs (long matches, overlapping copies), a mix.
std::vector<bytes> inputs() {
  std::vector<bytes> v;
  v.push_back({});
  v.push_back({'a'});
  v.push_back({'a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c'});
  std::mt19937 rng(12345);
  bytes random(100000);
  for (auto& b : random) b = static_cast<std::uint8_t>(rng());
  v.push_back(random);
  std::string text;
  const char* words[] = {"vitte", " loader", " wasm", " module", " export", " import", "\n", " signature", "{", "}"};
  while (text.size() < 300000) text += words[rng() % 10];
  v.push_back(bytes(text.begin(), text.end()));
  v.push_back(bytes(1 << 20, 0));
  bytes mixed;
  for (int i = 0; i < 200; ++i) {
    const std::size_t n = rng() % 3000;
    if (i % 3 == 0)
      for (std::size_t k = 0; k < n; ++k) mixed.push_back(static_cast<std::uint8_t>(rng()));
    else
      mixed.insert(mixed.end(), text.begin() + static_cast<long>(rng() % 1000),
                   text.begin() + static_cast<long>(1000 + n));
  }
  v.push_back(mixed);
  return v;
}

// Compresses `in` with a compressor fed `piece` bytes at a time.
bytes stream_compress(const bytes& in, vc::format f, int level, std::size_t piece) {
  vc::compressor c(f, level);
  vitte::buffer<std::byte> out;
  for (std::size_t i = 0; i < in.size(); i += piece)
    BOOST_REQUIRE(c.write(view(in).subspan(i, in.size() - i < piece ? in.size() - i : piece), out).has_value());
  BOOST_REQUIRE(c.finish(out).has_value());
  return copy(out);
}

// Decompresses `z` fed `piece` bytes at a time; the error and `why` when refused.
vitte::status stream_decompress(const bytes& z, vc::format f, std::size_t piece, bytes& out, vitte::diagnostic& why,
                                const vc::decompress_limits& limits = {}) {
  vc::decompressor d(f, limits);
  vitte::buffer<std::byte> o;
  for (std::size_t i = 0; i < z.size(); i += piece)
    if (vitte::status s = d.write(view(z).subspan(i, z.size() - i < piece ? z.size() - i : piece), o, &why); !s) {
      out = copy(o);
      return s;
    }
  vitte::status s = d.finish(o, &why);
  out = copy(o);
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(compression)

BOOST_AUTO_TEST_CASE(checksums_match_the_standard_check_values) {
  const bytes s = {'1', '2', '3', '4', '5', '6', '7', '8', '9'};
  const vitte::span<const std::byte> v = view(s);
  BOOST_TEST(vc::crc32(v) == 0xcbf43926u);
  BOOST_TEST(vc::adler32(v) == 0x091e01deu);
  // Incremental equals whole.
  BOOST_TEST(vc::crc32(v.subspan(4), vc::crc32(v.first(4))) == 0xcbf43926u);
  BOOST_TEST(vc::adler32(v.subspan(4), vc::adler32(v.first(4))) == 0x091e01deu);
}

BOOST_AUTO_TEST_CASE(every_level_round_trips_every_kind_of_input) {
  for (const bytes& in : inputs())
    for (int level = 1; level <= 9; ++level) {
      auto z = vc::deflate(view(in), level);
      BOOST_TEST_REQUIRE(z.has_value());
      vitte::diagnostic why;
      auto back = vc::inflate(z->span(), {}, &why);
      BOOST_TEST_REQUIRE(back.has_value(), "level " << level << " size " << in.size() << ": " << why.format().c_str());
      BOOST_TEST((copy(*back) == in), "level " << level << " size " << in.size());
      auto g = vc::gzip_compress(view(in), level).value();
      BOOST_TEST((copy(vc::gzip_decompress(g.span()).value()) == in));
      auto zl = vc::zlib_compress(view(in), level).value();
      BOOST_TEST((copy(vc::zlib_decompress(zl.span()).value()) == in));
    }
}

BOOST_AUTO_TEST_CASE(compression_compresses_and_is_deterministic) {
  const std::vector<bytes> all = inputs();
  const bytes& text = all[4];
  auto z1 = vc::deflate(view(text), 1).value(), z6 = vc::deflate(view(text), 6).value(),
       z9 = vc::deflate(view(text), 9).value();
  BOOST_TEST(z6.size() < text.size() / 3);
  BOOST_TEST(z9.size() <= z6.size());
  BOOST_TEST(z6.size() <= z1.size());
  BOOST_TEST((copy(vc::deflate(view(text), 6).value()) == copy(z6)));
  // Random bytes are stored, growing by five bytes per block of 16,384 symbols.
  const bytes& random = all[3];
  BOOST_TEST(vc::deflate(view(random), 6).value().size() <= random.size() + 5 * (random.size() / 16384 + 1));
}

#if VITTE_TEST_HAS_ZLIB
BOOST_AUTO_TEST_CASE(zlib_reads_ours_and_we_read_zlibs) {
  for (const bytes& in : inputs())
    for (int level : {1, 6, 9}) {
      // Ours -> zlib.
      const bytes z = copy(vc::zlib_compress(view(in), level).value());
      bytes out(in.size() + 1);
      uLongf n = static_cast<uLongf>(out.size());
      BOOST_TEST_REQUIRE(::uncompress(out.data(), &n, z.data(), static_cast<uLong>(z.size())) == Z_OK);
      out.resize(n);
      BOOST_TEST((out == in));
      // zlib -> ours.
      bytes theirs(::compressBound(static_cast<uLong>(in.size())));
      uLongf tn = static_cast<uLongf>(theirs.size());
      BOOST_TEST_REQUIRE(::compress2(theirs.data(), &tn, in.data(), static_cast<uLong>(in.size()), level) == Z_OK);
      theirs.resize(tn);
      vitte::diagnostic why;
      auto back = vc::zlib_decompress(view(theirs), {}, &why);
      BOOST_TEST_REQUIRE(back.has_value(), why.format().c_str());
      BOOST_TEST((copy(*back) == in));
      // zlib reads what the compressor writes in pieces.
      const bytes zs = stream_compress(in, vc::format::zlib, level, 100000);
      bytes sout(in.size() + 1);
      uLongf sn = static_cast<uLongf>(sout.size());
      BOOST_TEST_REQUIRE(::uncompress(sout.data(), &sn, zs.data(), static_cast<uLong>(zs.size())) == Z_OK);
      sout.resize(sn);
      BOOST_TEST((sout == in));
      // Within a few percent of zlib's size at the same level.
      if (in.size() > 10000) BOOST_TEST(z.size() <= theirs.size() * 103 / 100 + 16, "level " << level);
    }
}
#endif

#if VITTE_OS_POSIX
BOOST_AUTO_TEST_CASE(the_gzip_program_reads_ours_and_we_read_its) {
  if (std::system("gzip --version >/dev/null 2>&1") != 0) {
    BOOST_TEST_MESSAGE("skipped: no gzip program");
    return;
  }
  const bytes in = inputs()[6];
  char dir[] = "/tmp/vitte-gzip-XXXXXX";
  BOOST_TEST_REQUIRE(::mkdtemp(dir) != nullptr);
  const std::string a = std::string(dir) + "/ours.gz", b = std::string(dir) + "/plain", c = b + ".gz";
  auto write = [](const std::string& path, const bytes& data) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    BOOST_TEST_REQUIRE(f != nullptr);
    BOOST_TEST_REQUIRE(std::fwrite(data.data(), 1, data.size(), f) == data.size());
    std::fclose(f);
  };
  auto read = [](const std::string& path) {
    bytes data;
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) return data;
    for (int ch; (ch = std::fgetc(f)) != EOF;) data.push_back(static_cast<std::uint8_t>(ch));
    std::fclose(f);
    return data;
  };
  write(a, copy(vc::gzip_compress(view(in), 6).value()));
  BOOST_TEST(std::system(("gzip -t " + a).c_str()) == 0);
  BOOST_TEST(std::system(("gzip -dc " + a + " > " + b).c_str()) == 0);
  BOOST_TEST((read(b) == in));
  BOOST_TEST(std::system(("gzip -9 -f " + b).c_str()) == 0);  // b -> b.gz, with its name in the header
  const bytes theirs = read(c);
  BOOST_TEST((copy(vc::gzip_decompress(view(theirs)).value()) == in));
  // Two members concatenated read as one stream, as gzip does.
  bytes two = theirs;
  two.insert(two.end(), theirs.begin(), theirs.end());
  bytes twice = in;
  twice.insert(twice.end(), in.begin(), in.end());
  BOOST_TEST((copy(vc::gzip_decompress(view(two)).value()) == twice));
  std::system(("rm -rf " + std::string(dir)).c_str());
}
#endif

BOOST_AUTO_TEST_CASE(hostile_streams_are_refused_with_what_and_where) {
  const bytes text = inputs()[4];
  const bytes z = copy(vc::deflate(view(text), 6).value());
  // Every truncation: an error (never a crash or a wrong success).
  for (std::size_t n = 0; n < z.size(); n += 97) {
    vitte::diagnostic why;
    auto r = vc::inflate(view(z).first(n), {}, &why);
    BOOST_TEST(!r.has_value());
    BOOST_TEST(why.offset() <= n);
  }
  // Flipped bits: an error or some output, never a crash.
  std::mt19937 rng(7);
  for (int i = 0; i < 300; ++i) {
    bytes bad = z;
    bad[rng() % bad.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
    (void)vc::inflate(view(bad));
  }
  vitte::diagnostic why;
  const bytes reserved = {0x07};  // final block of type 3
  BOOST_TEST(vc::inflate(view(reserved), {}, &why).error() == errc::malformed);
  BOOST_TEST(str(why.message()) == "reserved block type 3");
  const bytes stored_bad = {0x01, 0x05, 0x00, 0x00, 0x00};  // LEN 5, NLEN 0
  BOOST_TEST(vc::inflate(view(stored_bad), {}, &why).error() == errc::malformed);
  BOOST_TEST(str(why.message()) == "stored block length and its complement differ");
  // A fixed block whose first symbol is a match: distance before the start.
  const bytes too_far = {0x03, 0x02};  // fixed, length 3 (257), distance code 0... before any output
  auto r = vc::inflate(view(too_far), {}, &why);
  BOOST_TEST(!r.has_value());
  // gzip: wrong CRC and wrong size, named.
  bytes g = copy(vc::gzip_compress(view(text), 6).value());
  g[g.size() - 8] ^= 1;
  BOOST_TEST(vc::gzip_decompress(view(g), {}, &why).error() == errc::malformed);
  BOOST_TEST(str(why.message()) == "CRC-32 of the data does not match");
  g[g.size() - 8] ^= 1;
  g[g.size() - 4] ^= 1;
  BOOST_TEST(vc::gzip_decompress(view(g), {}, &why).error() == errc::malformed);
  BOOST_TEST(str(why.message()) == "size of the data does not match (ISIZE)");
  bytes zl = copy(vc::zlib_compress(view(text), 6).value());
  zl.back() ^= 1;
  BOOST_TEST(vc::zlib_decompress(view(zl), {}, &why).error() == errc::malformed);
}

BOOST_AUTO_TEST_CASE(the_diagnostic_carries_the_kind_and_the_offset_without_the_caller) {
  const bytes text = inputs()[4];
  // One-shot: the kind is the returned error's, the offset in the input.
  vitte::diagnostic why;
  why.about("stale.gz");  // a diagnostic used before: nothing of it stays
  const bytes reserved = {0x07};
  auto r = vc::inflate(view(reserved), {}, &why);
  BOOST_TEST((why.kind() == r.error().kind()));
  BOOST_TEST((why.kind() == errc::malformed));
  BOOST_TEST(why.offset() == 1u);     // where it was found: after the header's byte
  BOOST_TEST(why.subject().empty());  // bytes name no file: the caller adds it
  BOOST_TEST(str(why.format().c_str()) == "at offset 0x1: reserved block type 3");
  // Framing: offsets count in the whole input, past the header.
  const bytes gz = copy(vc::gzip_compress(view(text), 6).value());
  auto cut = vc::gzip_decompress(view(gz).first(gz.size() / 2), {}, &why);
  BOOST_TEST((why.kind() == cut.error().kind()));
  BOOST_TEST((why.kind() == errc::unexpected_eof));
  BOOST_TEST(why.offset() > 10u);
  BOOST_TEST(why.offset() <= gz.size() / 2);
  bytes zl = copy(vc::zlib_compress(view(text), 6).value());
  zl[0] = 0x79;  // a window of 64 KiB
  auto head = vc::zlib_decompress(view(zl), {}, &why);
  BOOST_TEST((why.kind() == head.error().kind()));
  BOOST_TEST(why.offset() == 0u);
  BOOST_TEST(str(why.message()) == "not deflate with a window of at most 32 KiB");
  // Streams: offsets from the start of the stream; every call after the
  // error repeats it, into whatever diagnostic it is given.
  bytes bad = gz;
  bad[gz.size() - 8] ^= 1;  // the CRC
  vc::decompressor d(vc::format::gzip);
  vitte::buffer<std::byte> out;
  vitte::diagnostic first, again;
  vitte::status s = d.write(view(bad), out, &first);
  if (s) s = d.finish(out, &first);
  BOOST_REQUIRE(!s.has_value());
  BOOST_TEST((first.kind() == s.error().kind()));
  BOOST_TEST((first.kind() == errc::malformed));
  BOOST_TEST(first.offset() == gz.size() - 8);
  BOOST_TEST(str(first.message()) == "CRC-32 of the data does not match");
  BOOST_TEST(!d.write(view(text), out, &again).has_value());
  BOOST_TEST(str(again.format().c_str()) == str(first.format().c_str()));
  BOOST_TEST((again.kind() == errc::malformed));
  // Refused at construction: said at the first call.
  vc::decompressor gd(vc::format::gzip, {}, view(text));
  vitte::diagnostic dict;
  BOOST_TEST((gd.write(view(gz), out, &dict).error() == errc::invalid_argument));
  BOOST_TEST((dict.kind() == errc::invalid_argument));
  BOOST_TEST(!dict.has_offset());
  BOOST_TEST(str(dict.message()) == "gzip has no preset dictionaries");
}

BOOST_AUTO_TEST_CASE(streams_round_trip_whatever_the_pieces) {
  for (const bytes& in : inputs())
    for (vc::format f : {vc::format::raw, vc::format::zlib, vc::format::gzip}) {
      const bytes whole = stream_compress(in, f, 6, in.size() + 1);
      for (std::size_t piece : {std::size_t{1}, std::size_t{4093}, std::size_t{1} << 20}) {
        if (piece == 1 && in.size() > 100000) continue;  // a byte at a time: the small inputs
        // The output depends on the bytes only, not on the pieces.
        const bytes z = stream_compress(in, f, 6, piece);
        BOOST_TEST((z == whole), "piece " << piece);
        // The one-shot functions read it.
        auto back = f == vc::format::raw    ? vc::inflate(view(z))
                    : f == vc::format::zlib ? vc::zlib_decompress(view(z))
                                            : vc::gzip_decompress(view(z));
        BOOST_TEST_REQUIRE(back.has_value());
        BOOST_TEST((copy(*back) == in));
        // The decompressor reads it in pieces, and reads the one-shot output.
        bytes out;
        vitte::diagnostic why;
        BOOST_TEST_REQUIRE(stream_decompress(z, f, piece, out, why).has_value(), why.format().c_str());
        BOOST_TEST((out == in));
      }
      auto once = f == vc::format::raw    ? vc::deflate(view(in), 6)
                  : f == vc::format::zlib ? vc::zlib_compress(view(in), 6)
                                          : vc::gzip_compress(view(in), 6);
      bytes out;
      vitte::diagnostic why;
      BOOST_TEST_REQUIRE(stream_decompress(copy(*once), f, 997, out, why).has_value(), why.format().c_str());
      BOOST_TEST((out == in));
      // Within 1% of the one-shot size.
      if (in.size() > 10000) BOOST_TEST(whole.size() <= once->size() * 101 / 100 + 64);
    }
}

BOOST_AUTO_TEST_CASE(streams_refuse_what_the_one_shot_functions_refuse) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "stream " + std::to_string(i) + "\n";
  const bytes in(text.begin(), text.end());
  const bytes gz = stream_compress(in, vc::format::gzip, 6, 65536);
  bytes out;
  vitte::diagnostic why;
  // Cut anywhere: unexpected_eof at finish, never a wrong answer.
  for (std::size_t cut :
       {std::size_t{0}, std::size_t{5}, std::size_t{12}, gz.size() / 2, gz.size() - 8, gz.size() - 1}) {
    const bytes part(gz.begin(), gz.begin() + static_cast<long>(cut));
    auto s = stream_decompress(part, vc::format::gzip, 1000, out, why);
    BOOST_TEST((s.error() == errc::unexpected_eof), "cut at " << cut);
  }
  // A flipped byte in the data, the CRC, the size.
  for (std::size_t at : {gz.size() / 2, gz.size() - 6, gz.size() - 2}) {
    bytes bad = gz;
    bad[at] ^= 0x10;
    BOOST_TEST(!stream_decompress(bad, vc::format::gzip, 4096, out, why).has_value(), "flip at " << at);
    BOOST_TEST(!why.message().empty());
  }
  // Two members are one stream; bytes after a zlib stream are refused.
  bytes two = gz;
  two.insert(two.end(), gz.begin(), gz.end());
  BOOST_TEST_REQUIRE(stream_decompress(two, vc::format::gzip, 3000, out, why).has_value(), why.format().c_str());
  BOOST_TEST(out.size() == 2 * in.size());
  bytes zl = stream_compress(in, vc::format::zlib, 6, 65536);
  zl.push_back(0);
  auto s = stream_decompress(zl, vc::format::zlib, 3000, out, why);
  BOOST_TEST((s.error() == errc::malformed));
  BOOST_TEST(str(why.message()) == "bytes after the end of the stream");
  BOOST_TEST(why.offset() == zl.size() - 1);
  // Not gzip at all: refused at the first byte.
  s = stream_decompress(in, vc::format::gzip, 3000, out, why);
  BOOST_TEST((s.error() == errc::malformed));
  BOOST_TEST(why.offset() == 0u);
  // After an error every call fails; after finish a compressor takes nothing.
  vc::compressor c;
  vitte::buffer<std::byte> o;
  BOOST_TEST(c.finish(o).has_value());
  BOOST_TEST((c.write(view(in), o).error() == errc::invalid_argument));
}

BOOST_AUTO_TEST_CASE(stream_bombs_stop_at_the_limits) {
  const bytes zeros(64 << 20, 0);
  const bytes z = stream_compress(zeros, vc::format::gzip, 9, 1 << 20);
  bytes out;
  vitte::diagnostic why;
  auto s = stream_decompress(z, vc::format::gzip, 4096, out, why, {.max_output = 1 << 20});
  BOOST_TEST((s.error() == errc::limit_exceeded));
  BOOST_TEST(str(why.message()) == "output larger than the limit");
  BOOST_TEST(out.size() <= std::size_t{1} << 20);
  s = stream_decompress(z, vc::format::gzip, 4096, out, why, {.max_output = std::size_t{1} << 30, .max_ratio = 100});
  BOOST_TEST((s.error() == errc::limit_exceeded));
  BOOST_TEST(str(why.message()) == "output-to-input ratio above the limit");
  BOOST_TEST_REQUIRE(stream_decompress(z, vc::format::gzip, 65536, out, why).has_value());
  BOOST_TEST(out.size() == zeros.size());
  // No limit at all (SIZE_MAX): the history added to it does not wrap around.
  BOOST_TEST_REQUIRE(
      stream_decompress(z, vc::format::gzip, 65536, out, why, {.max_output = static_cast<std::size_t>(-1)}).has_value(),
      why.format().c_str());
  BOOST_TEST(out.size() == zeros.size());
}

BOOST_AUTO_TEST_CASE(bombs_stop_at_the_limits) {
  const bytes zeros(64 << 20, 0);
  const bytes z = copy(vc::gzip_compress(view(zeros), 9).value());
  BOOST_TEST(z.size() < 100000u);  // about 1000:1
  vitte::diagnostic why;
  auto r = vc::gzip_decompress(view(z), {.max_output = 1 << 20}, &why);
  BOOST_TEST(r.error() == errc::limit_exceeded);
  BOOST_TEST(str(why.message()) == "output larger than the limit");
  r = vc::gzip_decompress(view(z), {.max_output = std::size_t{1} << 30, .max_ratio = 100}, &why);
  BOOST_TEST(r.error() == errc::limit_exceeded);
  BOOST_TEST(str(why.message()) == "output-to-input ratio above the limit");
  BOOST_TEST(vc::gzip_decompress(view(z)).value().size() == zeros.size());
}

// --- limits: every API, every kind of bomb ---------------------------------

namespace {

// gzip members concatenated: each small, together far past any limit here.
bytes concat(const bytes& member, int times) {
  bytes all;
  for (int i = 0; i < times; ++i) all.insert(all.end(), member.begin(), member.end());
  return all;
}

// Checks that every decompression API stops `z` (of format `f`) within
// `limit`: limit_exceeded, never more output than the limit, and (where the
// output can be seen) the output up to within a match of it.
void check_bomb(const bytes& z, vc::format f, std::size_t limit, const char* name) {
  BOOST_TEST_CONTEXT(name << ", limit " << limit) {
    const vc::decompress_limits lim{.max_output = limit, .max_ratio = 0};
    vitte::diagnostic why;
    auto one = f == vc::format::raw    ? vc::inflate(view(z), lim, &why)
               : f == vc::format::zlib ? vc::zlib_decompress(view(z), lim, &why)
                                       : vc::gzip_decompress(view(z), lim, &why);
    BOOST_TEST((one.error() == errc::limit_exceeded));
    BOOST_TEST(str(why.message()) == "output larger than the limit");
    BOOST_TEST(why.offset() <= z.size());
    if (f == vc::format::raw) {
      // Into a reused buffer: one with more room than the limit, one empty.
      vitte::buffer<std::byte> big;
      BOOST_TEST_REQUIRE(big.try_reserve(4 * limit));
      BOOST_TEST((vc::inflate(view(z), big, lim, &why).error() == errc::limit_exceeded));
      BOOST_TEST(big.size() <= limit);
      BOOST_TEST(big.size() + 258 >= limit);
      vitte::buffer<std::byte> fresh;
      BOOST_TEST((vc::inflate(view(z), fresh, lim, &why).error() == errc::limit_exceeded));
      BOOST_TEST(fresh.size() <= limit);
      BOOST_TEST(fresh.size() + 258 >= limit);
      BOOST_TEST(fresh.capacity() <= limit + 8);  // the documented slack
    }
    // Streams, in small and large pieces, the caller keeping every byte.
    for (std::size_t piece : {std::size_t{1000}, std::size_t{1} << 20, z.size()}) {
      vc::decompressor d(f, lim);
      vitte::buffer<std::byte> out;
      vitte::status s;
      for (std::size_t i = 0; s && i < z.size(); i += piece)
        s = d.write(view(z).subspan(i, z.size() - i < piece ? z.size() - i : piece), out, &why);
      if (s) s = d.finish(out, &why);
      BOOST_TEST((s.error() == errc::limit_exceeded), "piece " << piece);
      BOOST_TEST(out.size() <= limit, "piece " << piece);
      BOOST_TEST(out.size() + 258 >= limit, "piece " << piece);
      BOOST_TEST(d.bytes_out() <= limit);
      BOOST_TEST(out.capacity() <= limit, "piece " << piece);
      // After the error, nothing more.
      BOOST_TEST(!d.write(view(z), out, &why).has_value());
      BOOST_TEST(out.size() <= limit);
    }
  }
}

// A raw stream of the highest ratio DEFLATE allows: one dynamic block of a
// zero and `n` matches of 258 at distance 1, two bits each (about 1032:1).
bytes max_ratio_raw(std::size_t n) {
  bytes b;
  std::uint64_t acc = 0;
  unsigned bits = 0;
  auto put = [&](std::uint32_t v, unsigned k) {  // LSB first
    acc |= std::uint64_t{v} << bits;
    bits += k;
    while (bits >= 8) {
      b.push_back(static_cast<std::uint8_t>(acc));
      acc >>= 8;
      bits -= 8;
    }
  };
  auto code = [&](std::uint32_t c, unsigned k) {  // Huffman codes: MSB first
    for (unsigned i = k; i-- > 0;) put((c >> i) & 1, 1);
  };
  put(1, 1);  // final
  put(2, 2);  // dynamic
  put(286 - 257, 5);
  put(1 - 1, 5);
  put(19 - 4, 4);
  // Code-length code: symbols 0, 1, 2, 18 get length 2 (codes 00, 01, 10, 11).
  const unsigned order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
  for (unsigned s : order) put(s == 0 || s == 1 || s == 2 || s == 18 ? 2 : 0, 3);
  auto cl = [&](unsigned sym) { code(sym == 18 ? 3 : sym, 2); };
  // Literal/length lengths: 0 -> 2, 1..255 -> 0, 256 -> 2, 257..284 -> 0, 285 -> 1; distance 0 -> 1.
  cl(2);
  cl(18), put(138 - 11, 7);
  cl(18), put(117 - 11, 7);  // 1..255: 255 zeros
  cl(2);                     // 256
  cl(18), put(28 - 11, 7);   // 257..284
  cl(1);                     // 285
  cl(1);                     // distance 0
  // Codes: 285 -> 0, literal 0 -> 10, 256 -> 11; distance 0 -> 0.
  code(2, 2);  // a zero
  for (std::size_t i = 0; i < n; ++i) code(0, 2);
  code(3, 2);
  put(0, 7);
  return b;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_maximal_ratio_stream_is_what_it_claims) {
  const bytes z = max_ratio_raw(100000);
  vitte::diagnostic why;
  auto out = vc::inflate(view(z), {}, &why);
  BOOST_TEST_REQUIRE(out.has_value(), why.format().c_str());
  BOOST_TEST(out->size() == 1 + 258 * 100000u);
  BOOST_TEST(out->size() / z.size() > 1000u);
}

BOOST_AUTO_TEST_CASE(every_api_stops_every_bomb_at_the_limit) {
  const bytes zeros(16 << 20, 0);
  std::string t;
  std::mt19937 rng(3);
  const char* words[] = {"lorem", " ipsum", " dolor", " sit", " amet", "\n", ",", " vitte"};
  while (t.size() < (16u << 20)) t += words[rng() % 8];
  const bytes text(t.begin(), t.end());
  // The bombs, compressed once (16 MiB each): every limit opens the same ones.
  const bytes raw_ratio = max_ratio_raw((16u << 20) / 258);
  const bytes raw_zeros = copy(vc::deflate(view(zeros), 1).value());
  const bytes zlib_zeros = copy(vc::zlib_compress(view(zeros), 9).value());
  // The report's case: text at about 4:1, below the buffer's first guess.
  const bytes gzip_text = copy(vc::gzip_compress(view(text), 6).value());
  for (std::size_t limit : {std::size_t{1} << 20, (std::size_t{1} << 20) + 12345, std::size_t{3} << 20}) {
    check_bomb(raw_ratio, vc::format::raw, limit, "raw, maximal ratio");
    check_bomb(raw_zeros, vc::format::raw, limit, "raw zeros");
    check_bomb(zlib_zeros, vc::format::zlib, limit, "zlib zeros");
    check_bomb(gzip_text, vc::format::gzip, limit, "gzip text");
    // Members each below the limit, together far above it.
    const bytes member = copy(vc::gzip_compress(view(zeros).first(limit / 2 + 1), 6).value());
    check_bomb(concat(member, 8), vc::format::gzip, limit, "gzip, many members");
  }
  // Nested: gzip inside gzip. Each layer stops at the limit, so the inner
  // bomb is only ever opened within it too.
  const bytes inner = copy(vc::gzip_compress(view(zeros), 9).value());
  const bytes outer = copy(vc::gzip_compress(view(concat(inner, 64)), 9).value());
  vitte::diagnostic why;
  const std::size_t limit = 1 << 20;
  auto layer = vc::gzip_decompress(view(outer), {.max_output = limit}, &why);
  BOOST_TEST_REQUIRE(layer.has_value(), why.format().c_str());  // the inner bombs themselves are small
  BOOST_TEST(layer->size() <= limit);
  check_bomb(copy(*layer), vc::format::gzip, limit, "gzip in gzip");
  check_bomb(outer, vc::format::gzip, 4096, "gzip in gzip, outer under a small limit");
  // Exactly at the limit is allowed; one byte less is not.
  const bytes z = copy(vc::gzip_compress(view(zeros).first(100000), 6).value());
  BOOST_TEST(vc::gzip_decompress(view(z), {.max_output = 100000}).has_value());
  BOOST_TEST((vc::gzip_decompress(view(z), {.max_output = 99999}).error() == errc::limit_exceeded));
  bytes out;
  BOOST_TEST(stream_decompress(z, vc::format::gzip, 777, out, why, {.max_output = 100000}).has_value());
  BOOST_TEST(out.size() == 100000u);
  BOOST_TEST(
      (stream_decompress(z, vc::format::gzip, 777, out, why, {.max_output = 99999}).error() == errc::limit_exceeded));
  BOOST_TEST(out.size() <= 99999u);
}

BOOST_AUTO_TEST_CASE(the_ratio_limit_is_exact_too) {
  const bytes zeros(8 << 20, 0);
  const bytes z = copy(vc::zlib_compress(view(zeros), 9).value());
  const vc::decompress_limits lim{.max_output = std::size_t{1} << 30, .max_ratio = 50};
  const std::size_t allowed = std::max<std::size_t>(std::size_t{1} << 20, 51 * (z.size() + 1) - 1);
  vitte::diagnostic why;
  BOOST_TEST((vc::zlib_decompress(view(z), lim, &why).error() == errc::limit_exceeded));
  BOOST_TEST(str(why.message()) == "output-to-input ratio above the limit");
  bytes out;
  BOOST_TEST((stream_decompress(z, vc::format::zlib, z.size(), out, why, lim).error() == errc::limit_exceeded));
  BOOST_TEST(str(why.message()) == "output-to-input ratio above the limit");
  BOOST_TEST(out.size() <= allowed);
  BOOST_TEST(out.size() + 258 >= allowed);
}

#if VITTE_OS_LINUX
namespace {
// Runs `f` in a child process and returns how much its peak resident set
// grew (VmHWM, reset through /proc/self/clear_refs, minus VmRSS before),
// in bytes; -1 when the kernel cannot reset the peak.
template <class F>
long peak_growth(F f) {
  int fds[2];
  BOOST_TEST_REQUIRE(::pipe(fds) == 0);
  const pid_t pid = ::fork();
  BOOST_TEST_REQUIRE(pid >= 0);
  if (pid == 0) {
    auto status_kib = [](const char* key) {
      std::FILE* st = std::fopen("/proc/self/status", "r");
      long v = -1;
      char line[256];
      while (st != nullptr && std::fgets(line, sizeof line, st) != nullptr)
        if (std::strncmp(line, key, std::strlen(key)) == 0) v = std::atol(line + std::strlen(key));
      if (st != nullptr) std::fclose(st);
      return v;
    };
    // Blocks of 128 KiB and more mapped and unmapped as they come and go
    // (glibc otherwise serves them from a heap that freed blocks stay in,
    // after the tests before this one raised its mmap threshold): the
    // resident set then follows what is held.
    // And no fill of fresh blocks (meson sets MALLOC_PERTURB_): the pages
    // counted are the ones the decoder writes.
    ::mallopt(M_PERTURB, 0);
    ::mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    ::mallopt(M_TRIM_THRESHOLD, 128 * 1024);
    ::malloc_trim(0);
    long growth = -1;
    std::FILE* cr = std::fopen("/proc/self/clear_refs", "w");
    if (cr != nullptr && std::fputs("5", cr) >= 0 && std::fclose(cr) == 0) {
      const long before = status_kib("VmRSS:");
      f();
      growth = (status_kib("VmHWM:") - before) * 1024;
    }
    (void)!::write(fds[1], &growth, sizeof growth);
    ::_exit(0);
  }
  ::close(fds[1]);
  long growth = -1;
  BOOST_TEST_REQUIRE(::read(fds[0], &growth, sizeof growth) == static_cast<long>(sizeof growth));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return growth;
}
}  // namespace

// The documented bound (docs/COMPRESS.md): a decompression holds at most
// max_output + 1 MiB beyond its input; a stream whose caller hands the
// output on holds at most 1 MiB.
BOOST_AUTO_TEST_CASE(peak_memory_stays_within_the_limit_plus_the_documented_constant) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || defined(VITTE_TEST_CROSS)
  // The sanitizers' allocators keep freed blocks (quarantine) and shadow
  // memory, and an emulator (qemu-user, wine) counts its own translated code:
  // resident memory measures them, not the decompressor. The native targets
  // assert it; the limits on output and capacity are asserted everywhere
  // (every_api_stops_every_bomb_at_the_limit).
  BOOST_TEST_MESSAGE("skipped: peak RSS under a sanitizer or an emulator measures more than this process's memory");
  return;
#endif
  constexpr long slack = 1 << 20;
  const std::size_t limit = (24u << 20) + 4321;                     // not a power of two: growth must not overshoot
  const bytes raw = max_ratio_raw((std::size_t{256} << 20) / 258);  // 256 MiB of zeros
  const bytes zeros(8 << 20, 0);
  const bytes member = copy(vc::gzip_compress(view(zeros), 9).value());
  const bytes gz = concat(member, 32);  // 256 MiB in 32 members
  struct {
    const char* name;
    std::function<void()> run;
  } cases[] = {
      {"inflate", [&] { (void)vc::inflate(view(raw), {.max_output = limit}); }},
      {"inflate into a buffer",
       [&] {
         vitte::buffer<std::byte> out;
         (void)vc::inflate(view(raw), out, {.max_output = limit});
       }},
      {"gzip, many members", [&] { (void)vc::gzip_decompress(view(gz), {.max_output = limit}); }},
      {"decompressor, output kept",
       [&] {
         vc::decompressor d(vc::format::gzip, {.max_output = limit});
         vitte::buffer<std::byte> out;
         for (std::size_t i = 0; i < gz.size(); i += 4096)
           if (!d.write(view(gz).subspan(i, gz.size() - i < 4096 ? gz.size() - i : 4096), out)) break;
       }},
  };
  for (auto& c : cases) {
    const long grew = peak_growth(c.run);
    if (grew < 0) {
      BOOST_TEST_MESSAGE("skipped: cannot reset the peak RSS");
      return;
    }
    BOOST_TEST_MESSAGE(c.name << ": peak RSS grew by " << grew / 1024 << " KiB for a limit of " << limit / 1024
                              << " KiB");
    BOOST_TEST(grew <= static_cast<long>(limit) + slack, c.name << ": " << grew / 1024 << " KiB");
  }
  // Streaming with the output handed on: constant memory for 256 MiB. (A
  // write() appends all its input decodes to: up to 1032 times its size,
  // so the pieces are small.)
  const long grew = peak_growth([&] {
    vc::decompressor d(vc::format::raw, {.max_output = std::size_t{1} << 30});
    vitte::buffer<std::byte> out;
    for (std::size_t i = 0; i < raw.size(); i += 64) {
      if (!d.write(view(raw).subspan(i, raw.size() - i < 64 ? raw.size() - i : 64), out)) _exit(1);
      out.clear();
    }
    if (!d.finish(out) || d.bytes_out() != 1 + 258 * ((std::size_t{256} << 20) / 258)) _exit(1);
  });
  BOOST_TEST_MESSAGE("decompressor, output handed on: peak RSS grew by " << grew / 1024 << " KiB for 256 MiB");
  BOOST_TEST(grew <= slack);
}
#endif

// --- preset dictionaries ---------------------------------------------------

BOOST_AUTO_TEST_CASE(preset_dictionaries_round_trip) {
  std::string d, t;
  for (int i = 0; i < 3000; ++i) d += "dictionary entry " + std::to_string(i * 7) + ";";  // > 32 KiB: its tail counts
  for (int i = 0; i < 500; ++i) t += "dictionary entry " + std::to_string((2500 + i * 13 % 500) * 7) + ";";
  const bytes dict(d.begin(), d.end()), in(t.begin(), t.end());
  for (int level : {1, 6, 9}) {
    const bytes raw = copy(vc::deflate(view(in), view(dict), level).value());
    BOOST_TEST(raw.size() < copy(vc::deflate(view(in), level).value()).size());  // the dictionary helps
    vitte::diagnostic why;
    auto back = vc::inflate(view(raw), view(dict), {}, &why);
    BOOST_TEST_REQUIRE(back.has_value(), why.format().c_str());
    BOOST_TEST((copy(*back) == in));
    BOOST_TEST(!vc::inflate(view(raw)).has_value());  // "distance too far back" without it
    const bytes zl = copy(vc::zlib_compress(view(in), view(dict), level).value());
    BOOST_TEST((zl[1] & 0x20) != 0);
    back = vc::zlib_decompress(view(zl), view(dict), {}, &why);
    BOOST_TEST_REQUIRE(back.has_value(), why.format().c_str());
    BOOST_TEST((copy(*back) == in));
    BOOST_TEST((vc::zlib_decompress(view(zl), {}, &why).error() == errc::invalid_argument));
    BOOST_TEST(str(why.message()) == "a preset dictionary is required");
    BOOST_TEST((vc::zlib_decompress(view(zl), view(in), {}, &why).error() == errc::invalid_argument));
    BOOST_TEST(str(why.message()) == "not the preset dictionary the stream names (DICTID)");
    // Streams, both ways, in pieces.
    for (vc::format f : {vc::format::raw, vc::format::zlib}) {
      vc::compressor c(f, level, view(dict));
      vitte::buffer<std::byte> z;
      for (std::size_t i = 0; i < in.size(); i += 1000)
        BOOST_TEST_REQUIRE(c.write(view(in).subspan(i, in.size() - i < 1000 ? in.size() - i : 1000), z).has_value());
      BOOST_TEST_REQUIRE(c.finish(z).has_value());
      auto once =
          f == vc::format::raw ? vc::inflate(z.span(), view(dict), {}) : vc::zlib_decompress(z.span(), view(dict), {});
      BOOST_TEST_REQUIRE(once.has_value());
      BOOST_TEST((copy(*once) == in));
      for (const bytes& stream : {copy(z), f == vc::format::raw ? raw : zl}) {
        vc::decompressor dd(f, {}, view(dict));
        vitte::buffer<std::byte> out;
        for (std::size_t i = 0; i < stream.size(); i += 333)
          BOOST_TEST_REQUIRE(
              dd.write(view(stream).subspan(i, stream.size() - i < 333 ? stream.size() - i : 333), out, &why)
                  .has_value(),
              why.format().c_str());
        BOOST_TEST_REQUIRE(dd.finish(out, &why).has_value(), why.format().c_str());
        BOOST_TEST((copy(out) == in));
      }
    }
  }
  // gzip has no dictionaries.
  vc::compressor g(vc::format::gzip, 6, view(dict));
  vitte::buffer<std::byte> o;
  BOOST_TEST((g.write(view(in), o).error() == errc::invalid_argument));
  vc::decompressor gd(vc::format::gzip, {}, view(dict));
  BOOST_TEST((gd.write(view(in), o).error() == errc::invalid_argument));
}

#if VITTE_TEST_HAS_ZLIB
namespace {
// zlib's inflate with `dict` (raw: set first; zlib: on Z_NEED_DICT).
bytes zlib_inflate(const bytes& z, const bytes& dict, bool raw, std::size_t size) {
  z_stream s{};
  BOOST_REQUIRE(::inflateInit2(&s, raw ? -15 : 15) == Z_OK);
  bytes out(size + 1);
  s.next_in = const_cast<Bytef*>(z.data());
  s.avail_in = static_cast<uInt>(z.size());
  s.next_out = out.data();
  s.avail_out = static_cast<uInt>(out.size());
  if (raw) BOOST_REQUIRE(::inflateSetDictionary(&s, dict.data(), static_cast<uInt>(dict.size())) == Z_OK);
  int r = ::inflate(&s, Z_FINISH);
  if (r == Z_NEED_DICT) {
    BOOST_REQUIRE(::inflateSetDictionary(&s, dict.data(), static_cast<uInt>(dict.size())) == Z_OK);
    r = ::inflate(&s, Z_FINISH);
  }
  BOOST_REQUIRE(r == Z_STREAM_END);
  out.resize(s.total_out);
  ::inflateEnd(&s);
  return out;
}
bytes zlib_deflate(const bytes& in, const bytes& dict, bool raw, int level) {
  z_stream s{};
  BOOST_REQUIRE(::deflateInit2(&s, level, Z_DEFLATED, raw ? -15 : 15, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  BOOST_REQUIRE(::deflateSetDictionary(&s, dict.data(), static_cast<uInt>(dict.size())) == Z_OK);
  bytes out(::deflateBound(&s, static_cast<uLong>(in.size())) + 16);
  s.next_in = const_cast<Bytef*>(in.data());
  s.avail_in = static_cast<uInt>(in.size());
  s.next_out = out.data();
  s.avail_out = static_cast<uInt>(out.size());
  BOOST_REQUIRE(::deflate(&s, Z_FINISH) == Z_STREAM_END);
  out.resize(s.total_out);
  ::deflateEnd(&s);
  return out;
}
}  // namespace

BOOST_AUTO_TEST_CASE(preset_dictionaries_round_trip_with_zlib_both_ways) {
  std::string d, t;
  for (int i = 0; i < 4000; ++i) d += "common phrase number " + std::to_string(i) + "\n";  // ~100 KiB
  for (int i = 0; i < 3000; ++i) t += "common phrase number " + std::to_string((i * 37) % 4000) + "\n";
  for (const std::size_t dsize : {std::size_t{100}, std::size_t{20000}, d.size()}) {
    const bytes dict(d.begin(), d.begin() + static_cast<long>(dsize)), in(t.begin(), t.end());
    for (int level : {1, 6, 9})
      for (bool raw : {true, false}) {
        BOOST_TEST_CONTEXT("dictionary " << dsize << ", level " << level << (raw ? ", raw" : ", zlib")) {
          // Ours -> zlib.
          const bytes ours = copy(raw ? vc::deflate(view(in), view(dict), level).value()
                                      : vc::zlib_compress(view(in), view(dict), level).value());
          BOOST_TEST((zlib_inflate(ours, dict, raw, in.size()) == in));
          vc::compressor c(raw ? vc::format::raw : vc::format::zlib, level, view(dict));
          vitte::buffer<std::byte> z;
          BOOST_TEST_REQUIRE(c.write(view(in), z).has_value());
          BOOST_TEST_REQUIRE(c.finish(z).has_value());
          BOOST_TEST((zlib_inflate(copy(z), dict, raw, in.size()) == in));
          // zlib -> ours.
          const bytes theirs = zlib_deflate(in, dict, raw, level);
          vitte::diagnostic why;
          auto back = raw ? vc::inflate(view(theirs), view(dict), {}, &why)
                          : vc::zlib_decompress(view(theirs), view(dict), {}, &why);
          BOOST_TEST_REQUIRE(back.has_value(), why.format().c_str());
          BOOST_TEST((copy(*back) == in));
          bytes out;
          vc::decompressor dd(raw ? vc::format::raw : vc::format::zlib, {}, view(dict));
          vitte::buffer<std::byte> o;
          for (std::size_t i = 0; i < theirs.size(); i += 100)
            BOOST_TEST_REQUIRE(
                dd.write(view(theirs).subspan(i, theirs.size() - i < 100 ? theirs.size() - i : 100), o, &why)
                    .has_value(),
                why.format().c_str());
          BOOST_TEST_REQUIRE(dd.finish(o, &why).has_value(), why.format().c_str());
          BOOST_TEST((copy(o) == in));
        }
      }
  }
}
#endif

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(a_gzip_header_without_end_is_refused_by_the_streaming_decompressor) {
  // FNAME set, and a name that never ends, fed in small writes: refused once
  // the header passes 128 KiB, whatever the cut, never held whole.
  for (std::size_t piece : {std::size_t{1}, std::size_t{4096}, std::size_t{1} << 20}) {
    vc::decompressor d(vc::format::gzip);
    vitte::buffer<std::byte> out;
    const bytes head = {0x1f, 0x8b, 8, 8, 0, 0, 0, 0, 0, 3};
    BOOST_REQUIRE(d.write(view(head), out).has_value());
    const bytes name(piece, 'n');
    vitte::status s{};
    std::size_t fed = 0;
    while (s && fed < (std::size_t{4} << 20)) {
      s = d.write(view(name), out);
      fed += name.size();
    }
    BOOST_TEST_CONTEXT("pieces of " << piece << " bytes") {
      BOOST_REQUIRE(!s.has_value());
      BOOST_TEST(s.error() == errc::limit_exceeded);
      BOOST_TEST(fed <= (std::size_t{128} << 10) + piece);  // refused as soon as the header passed the cap
      BOOST_TEST(out.empty());
    }
  }
  // A long but finished name still decodes.
  const bytes data(1000, 'd');
  const bytes z = copy(vc::gzip_compress(view(data)).value());
  bytes named(z.begin(), z.begin() + 10);
  named[3] |= 8;
  named.insert(named.end(), 100000, 'n');
  named.push_back(0);
  named.insert(named.end(), z.begin() + 10, z.end());
  vc::decompressor d(vc::format::gzip);
  vitte::buffer<std::byte> out;
  for (std::size_t at = 0; at < named.size(); at += 333)
    BOOST_REQUIRE(d.write(view(named).subspan(at, std::min<std::size_t>(333, named.size() - at)), out).has_value());
  BOOST_REQUIRE(d.finish(out).has_value());
  BOOST_TEST(out.size() == data.size());
}
