// vitte/compress: DEFLATE, zlib and gzip round trips at every level, interop
// with zlib (both ways) and the gzip program, and hostile streams refused
// with what and where; the same for streams written in pieces
// (compressor, decompressor).
#include <vitte/compress.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "print.hpp"

#if VITTE_TEST_HAS_ZLIB
#include <zlib.h>
#endif

namespace vc = vitte::compress;
using vitte::errc;

namespace {

using bytes = std::vector<std::uint8_t>;

vitte::span<const std::uint8_t> view(const bytes& b) { return {b.data(), b.size()}; }
template <class B>
bytes copy(const B& b) {
  return bytes(b.data(), b.data() + b.size());
}

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
  vitte::buffer<std::uint8_t> out;
  for (std::size_t i = 0; i < in.size(); i += piece)
    BOOST_REQUIRE(c.write(view(in).subspan(i, in.size() - i < piece ? in.size() - i : piece), out).has_value());
  BOOST_REQUIRE(c.finish(out).has_value());
  return copy(out);
}

// Decompresses `z` fed `piece` bytes at a time; the error and `why` when refused.
vitte::status stream_decompress(const bytes& z, vc::format f, std::size_t piece, bytes& out, vc::problem& why,
                                const vc::decompress_limits& limits = {}) {
  vc::decompressor d(f, limits);
  vitte::buffer<std::uint8_t> o;
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
  const std::string s = "123456789";
  const vitte::span<const std::uint8_t> v(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
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
      vc::problem why;
      auto back = vc::inflate(vitte::span<const std::uint8_t>(z->data(), z->size()), {}, &why);
      BOOST_TEST_REQUIRE(back.has_value(), "level " << level << " size " << in.size() << ": " << why.what);
      BOOST_TEST((copy(*back) == in), "level " << level << " size " << in.size());
      auto g = vc::gzip_compress(view(in), level).value();
      BOOST_TEST((copy(vc::gzip_decompress(vitte::span<const std::uint8_t>(g.data(), g.size())).value()) == in));
      auto zl = vc::zlib_compress(view(in), level).value();
      BOOST_TEST((copy(vc::zlib_decompress(vitte::span<const std::uint8_t>(zl.data(), zl.size())).value()) == in));
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
      auto z = vc::zlib_compress(view(in), level).value();
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
      vc::problem why;
      auto back = vc::zlib_decompress(view(theirs), {}, &why);
      BOOST_TEST_REQUIRE(back.has_value(), why.what);
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
    vc::problem why;
    auto r = vc::inflate(vitte::span<const std::uint8_t>(z.data(), n), {}, &why);
    BOOST_TEST(!r.has_value());
    BOOST_TEST(why.offset <= n);
  }
  // Flipped bits: an error or some output, never a crash.
  std::mt19937 rng(7);
  for (int i = 0; i < 300; ++i) {
    bytes bad = z;
    bad[rng() % bad.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
    (void)vc::inflate(view(bad));
  }
  vc::problem why;
  const bytes reserved = {0x07};  // final block of type 3
  BOOST_TEST(vc::inflate(view(reserved), {}, &why).error() == errc::malformed);
  BOOST_TEST(std::string(why.what) == "reserved block type 3");
  const bytes stored_bad = {0x01, 0x05, 0x00, 0x00, 0x00};  // LEN 5, NLEN 0
  BOOST_TEST(vc::inflate(view(stored_bad), {}, &why).error() == errc::malformed);
  BOOST_TEST(std::string(why.what) == "stored block length and its complement differ");
  // A fixed block whose first symbol is a match: distance before the start.
  const bytes too_far = {0x03, 0x02};  // fixed, length 3 (257), distance code 0... before any output
  auto r = vc::inflate(view(too_far), {}, &why);
  BOOST_TEST(!r.has_value());
  // gzip: wrong CRC and wrong size, named.
  bytes g = copy(vc::gzip_compress(view(text), 6).value());
  g[g.size() - 8] ^= 1;
  BOOST_TEST(vc::gzip_decompress(view(g), {}, &why).error() == errc::malformed);
  BOOST_TEST(std::string(why.what) == "CRC-32 of the data does not match");
  g[g.size() - 8] ^= 1;
  g[g.size() - 4] ^= 1;
  BOOST_TEST(vc::gzip_decompress(view(g), {}, &why).error() == errc::malformed);
  BOOST_TEST(std::string(why.what) == "size of the data does not match (ISIZE)");
  bytes zl = copy(vc::zlib_compress(view(text), 6).value());
  zl.back() ^= 1;
  BOOST_TEST(vc::zlib_decompress(view(zl), {}, &why).error() == errc::malformed);
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
        vc::problem why;
        BOOST_TEST_REQUIRE(stream_decompress(z, f, piece, out, why).has_value(), why.what << " at " << why.offset);
        BOOST_TEST((out == in));
      }
      auto once = f == vc::format::raw    ? vc::deflate(view(in), 6)
                  : f == vc::format::zlib ? vc::zlib_compress(view(in), 6)
                                          : vc::gzip_compress(view(in), 6);
      bytes out;
      vc::problem why;
      BOOST_TEST_REQUIRE(stream_decompress(copy(*once), f, 997, out, why).has_value(), why.what);
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
  vc::problem why;
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
    BOOST_TEST(why.what[0] != '\0');
  }
  // Two members are one stream; bytes after a zlib stream are refused.
  bytes two = gz;
  two.insert(two.end(), gz.begin(), gz.end());
  BOOST_TEST_REQUIRE(stream_decompress(two, vc::format::gzip, 3000, out, why).has_value(), why.what);
  BOOST_TEST(out.size() == 2 * in.size());
  bytes zl = stream_compress(in, vc::format::zlib, 6, 65536);
  zl.push_back(0);
  auto s = stream_decompress(zl, vc::format::zlib, 3000, out, why);
  BOOST_TEST((s.error() == errc::malformed));
  BOOST_TEST(std::string(why.what) == "bytes after the end of the stream");
  BOOST_TEST(why.offset == zl.size() - 1);
  // Not gzip at all: refused at the first byte.
  s = stream_decompress(in, vc::format::gzip, 3000, out, why);
  BOOST_TEST((s.error() == errc::malformed));
  BOOST_TEST(why.offset == 0u);
  // After an error every call fails; after finish a compressor takes nothing.
  vc::compressor c;
  vitte::buffer<std::uint8_t> o;
  BOOST_TEST(c.finish(o).has_value());
  BOOST_TEST((c.write(view(in), o).error() == errc::invalid_argument));
}

BOOST_AUTO_TEST_CASE(stream_bombs_stop_at_the_limits) {
  const bytes zeros(64 << 20, 0);
  const bytes z = stream_compress(zeros, vc::format::gzip, 9, 1 << 20);
  bytes out;
  vc::problem why;
  auto s = stream_decompress(z, vc::format::gzip, 4096, out, why, {.max_output = 1 << 20});
  BOOST_TEST((s.error() == errc::limit_exceeded));
  BOOST_TEST(std::string(why.what) == "output larger than the limit");
  BOOST_TEST(out.size() <= std::size_t{1} << 20);
  s = stream_decompress(z, vc::format::gzip, 4096, out, why, {.max_output = std::size_t{1} << 30, .max_ratio = 100});
  BOOST_TEST((s.error() == errc::limit_exceeded));
  BOOST_TEST(std::string(why.what) == "output-to-input ratio above the limit");
  BOOST_TEST_REQUIRE(stream_decompress(z, vc::format::gzip, 65536, out, why).has_value());
  BOOST_TEST(out.size() == zeros.size());
  // No limit at all (SIZE_MAX): the history added to it does not wrap around.
  BOOST_TEST_REQUIRE(
      stream_decompress(z, vc::format::gzip, 65536, out, why, {.max_output = static_cast<std::size_t>(-1)}).has_value(),
      why.what);
  BOOST_TEST(out.size() == zeros.size());
}

BOOST_AUTO_TEST_CASE(bombs_stop_at_the_limits) {
  const bytes zeros(64 << 20, 0);
  const bytes z = copy(vc::gzip_compress(view(zeros), 9).value());
  BOOST_TEST(z.size() < 100000u);  // about 1000:1
  vc::problem why;
  auto r = vc::gzip_decompress(view(z), {.max_output = 1 << 20}, &why);
  BOOST_TEST(r.error() == errc::limit_exceeded);
  BOOST_TEST(std::string(why.what) == "output larger than the limit");
  r = vc::gzip_decompress(view(z), {.max_output = std::size_t{1} << 30, .max_ratio = 100}, &why);
  BOOST_TEST(r.error() == errc::limit_exceeded);
  BOOST_TEST(std::string(why.what) == "output-to-input ratio above the limit");
  BOOST_TEST(vc::gzip_decompress(view(z)).value().size() == zeros.size());
}

BOOST_AUTO_TEST_SUITE_END()
