// vitte/compress against Debian's zlib and libdeflate (when found), on a
// mixed corpus of 8 MiB: the library's headers and docs (text), a shared
// library of the system (machine code), and their concatenation repeated.
//   compress.inflate        decompress the zlib-level-6 DEFLATE of the corpus
//                           into a reused buffer, vs zlib (raw inflate) and
//                           libdeflate_deflate_decompress
//   compress.deflate6       compress at level 6 vs zlib deflate level 6 and
//                           libdeflate level 6 (sizes printed on stderr)
//   compress.deflate1       the same at level 1
//   compress.stream_gzip6   the compressor fed 64 KiB pieces vs zlib's deflate() streaming
//   compress.stream_gunzip  the decompressor fed 64 KiB pieces vs zlib's inflate() streaming
//   compress.crc32          CRC-32 of the corpus vs zlib's crc32
//   compress.crc32_4k       the same over each 4 KiB piece of it (a piece's checksum each)
//   compress.adler32        Adler-32 of the corpus vs zlib's adler32
//
//   bench_compress [SOURCE_ROOT [BENCH...]]   (BENCH: inflate, deflate6, ...; default all)
#include <vitte/compress.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <zlib.h>

#include "harness.hpp"

#if VITTE_BENCH_HAS_LIBDEFLATE
#include <libdeflate.h>
#endif

namespace vc = vitte::compress;

namespace {

void add_file(std::vector<std::uint8_t>& out, const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return;
  unsigned char buf[65536];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) != 0;) out.insert(out.end(), buf, buf + n);
  std::fclose(f);
}

std::vector<std::uint8_t> corpus(const std::string& root) {
  std::vector<std::uint8_t> c;
  for (const char* p : {"include/vitte/loader/loader.hpp", "include/vitte/wasm/impl/handlers.inc",
                        "include/vitte/sys/policy/linux.hpp", "docs/ARCHITECTURE.md", "docs/WASM.md", "README.md",
                        "include/vitte/crypto/ed25519.hpp", "include/vitte/loader/impl/loader.hpp"})
    add_file(c, root + "/" + p);
  for (const char* lib : {"/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
                          "/usr/lib/x86_64-linux-gnu/libc.so.6"}) {
    add_file(c, lib);
    if (c.size() > (3u << 20)) break;
  }
  const std::size_t base = c.size();
  while (c.size() < (8u << 20) && base != 0) c.insert(c.end(), c.begin(), c.begin() + static_cast<long>(base));
  c.resize(8u << 20);
  return c;
}

// zlib's raw DEFLATE (windowBits -15) at `level`.
std::vector<std::uint8_t> zlib_deflate(const std::vector<std::uint8_t>& in, int level) {
  z_stream s{};
  deflateInit2(&s, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
  std::vector<std::uint8_t> out(deflateBound(&s, static_cast<uLong>(in.size())));
  s.next_in = const_cast<Bytef*>(in.data());
  s.avail_in = static_cast<uInt>(in.size());
  s.next_out = out.data();
  s.avail_out = static_cast<uInt>(out.size());
  if (deflate(&s, Z_FINISH) != Z_STREAM_END) std::abort();
  out.resize(s.total_out);
  deflateEnd(&s);
  return out;
}

std::size_t zlib_inflate(const std::vector<std::uint8_t>& in, std::vector<std::uint8_t>& out) {
  z_stream s{};
  inflateInit2(&s, -15);
  s.next_in = const_cast<Bytef*>(in.data());
  s.avail_in = static_cast<uInt>(in.size());
  s.next_out = out.data();
  s.avail_out = static_cast<uInt>(out.size());
  if (inflate(&s, Z_FINISH) != Z_STREAM_END) std::abort();
  const std::size_t n = s.total_out;
  inflateEnd(&s);
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string root = argc > 1 ? argv[1] : ".";
  auto wanted = [&](const char* name) {
    if (argc <= 2) return true;
    for (int i = 2; i < argc; ++i)
      if (std::string(argv[i]) == name) return true;
    return false;
  };
  const std::vector<std::uint8_t> data = corpus(root);
  // vitte takes std::byte; the corpus is octets, for zlib and libdeflate.
  const vitte::span<const std::byte> in = vitte::as_bytes(vitte::span<const std::uint8_t>(data.data(), data.size()));
  const std::vector<std::uint8_t> z6 = zlib_deflate(data, 6);
  if (wanted("inflate")) {
    bench::suite s("compress.inflate", 9);
    vitte::buffer<std::byte> out;
    std::vector<std::uint8_t> zout(data.size());
    const vitte::span<const std::byte> z6v = vitte::as_bytes(vitte::span<const std::uint8_t>(z6.data(), z6.size()));
    s.add("vitte", [&] {
      if (!vc::inflate(z6v, out)) std::abort();
      return out.size();
    });
    s.add("zlib", [&] { return zlib_inflate(z6, zout); });
#if VITTE_BENCH_HAS_LIBDEFLATE
    libdeflate_decompressor* d = libdeflate_alloc_decompressor();
    s.add("libdeflate", [&] {
      std::size_t n = 0;
      libdeflate_deflate_decompress(d, z6.data(), z6.size(), zout.data(), zout.size(), &n);
      return n;
    });
#endif
    s.run();
#if VITTE_BENCH_HAS_LIBDEFLATE
    libdeflate_free_decompressor(d);
#endif
  }
  for (int level : {6, 1}) {
    if (!wanted(level == 6 ? "deflate6" : "deflate1")) continue;
    bench::suite s(level == 6 ? "compress.deflate6" : "compress.deflate1", 7);
    std::size_t ours = 0, theirs = 0;
    s.add("vitte", [&] { return ours = vc::deflate(in, level).value().size(); });
    s.add("zlib", [&] { return theirs = zlib_deflate(data, level).size(); });
#if VITTE_BENCH_HAS_LIBDEFLATE
    libdeflate_compressor* c = libdeflate_alloc_compressor(level);
    std::vector<std::uint8_t> cout(libdeflate_deflate_compress_bound(c, data.size()));
    std::size_t ld = 0;
    s.add("libdeflate",
          [&] { return ld = libdeflate_deflate_compress(c, data.data(), data.size(), cout.data(), cout.size()); });
#endif
    s.run();
    std::fprintf(stderr, "compress.deflate%d sizes: vitte %zu, zlib %zu (%.2f%%)", level, ours, theirs,
                 100.0 * (static_cast<double>(ours) - static_cast<double>(theirs)) / static_cast<double>(theirs));
#if VITTE_BENCH_HAS_LIBDEFLATE
    std::fprintf(stderr, ", libdeflate %zu", ld);
    libdeflate_free_compressor(c);
#endif
    std::fprintf(stderr, " of %zu\n", data.size());
  }
  if (wanted("stream_gzip6")) {  // Streams in 64 KiB pieces: gzip level 6 out.
    constexpr std::size_t piece = 65536;
    bench::suite s("compress.stream_gzip6", 7);
    std::size_t ours = 0, theirs = 0;
    s.add("vitte", [&] {
      vc::compressor c(vc::format::gzip, 6);
      vitte::buffer<std::byte> out;
      for (std::size_t i = 0; i < data.size(); i += piece)
        if (!c.write(in.subspan(i, data.size() - i < piece ? data.size() - i : piece), out)) std::abort();
      if (!c.finish(out)) std::abort();
      return ours = out.size();
    });
    s.add("zlib", [&] {
      z_stream z{};
      deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
      std::vector<std::uint8_t> out, chunk(piece + 1024);
      for (std::size_t i = 0; i < data.size(); i += piece) {
        const bool last = i + piece >= data.size();
        z.next_in = const_cast<Bytef*>(data.data() + i);
        z.avail_in = static_cast<uInt>(last ? data.size() - i : piece);
        do {
          z.next_out = chunk.data();
          z.avail_out = static_cast<uInt>(chunk.size());
          deflate(&z, last ? Z_FINISH : Z_NO_FLUSH);
          out.insert(out.end(), chunk.data(), z.next_out);
        } while (z.avail_out == 0);
      }
      deflateEnd(&z);
      return theirs = out.size();
    });
    s.run();
    std::fprintf(stderr, "compress.stream_gzip6 sizes: vitte %zu, zlib %zu of %zu\n", ours, theirs, data.size());
  }
  if (wanted("stream_gunzip")) {  // and back in.
    constexpr std::size_t piece = 65536;
    const auto gz = vc::gzip_compress(in, 6).value();
    const auto* gz_octets = reinterpret_cast<const Bytef*>(gz.data());  // for zlib
    bench::suite s("compress.stream_gunzip", 9);
    s.add("vitte", [&] {
      vc::decompressor d(vc::format::gzip);
      vitte::buffer<std::byte> out;
      for (std::size_t i = 0; i < gz.size(); i += piece)
        if (!d.write(gz.span().subspan(i, gz.size() - i < piece ? gz.size() - i : piece), out)) std::abort();
      if (!d.finish(out)) std::abort();
      return out.size();
    });
    s.add("zlib", [&] {
      z_stream z{};
      inflateInit2(&z, 15 + 16);
      std::vector<std::uint8_t> out, chunk(4 * piece);
      for (std::size_t i = 0; i < gz.size(); i += piece) {
        z.next_in = const_cast<Bytef*>(gz_octets + i);
        z.avail_in = static_cast<uInt>(gz.size() - i < piece ? gz.size() - i : piece);
        do {
          z.next_out = chunk.data();
          z.avail_out = static_cast<uInt>(chunk.size());
          inflate(&z, Z_NO_FLUSH);
          out.insert(out.end(), chunk.data(), z.next_out);
        } while (z.avail_out == 0);
      }
      inflateEnd(&z);
      return out.size();
    });
    s.run();
  }
  if (wanted("crc32")) {
    bench::suite s("compress.crc32", 9);
    s.add("vitte", [&] { return vc::crc32(in); });
    s.add("zlib", [&] { return ::crc32(0, data.data(), static_cast<uInt>(data.size())); });
    s.run();
  }
  if (wanted("crc32_4k")) {
    constexpr std::size_t piece = 4096;
    bench::suite s("compress.crc32_4k", 9);
    s.add("vitte", [&] {
      std::uint32_t x = 0;
      for (std::size_t i = 0; i < data.size(); i += piece) x ^= vc::crc32(in.subspan(i, piece));
      return x;
    });
    s.add("zlib", [&] {
      uLong x = 0;
      for (std::size_t i = 0; i < data.size(); i += piece) x ^= ::crc32(0, data.data() + i, piece);
      return x;
    });
    s.run();
  }
  if (wanted("adler32")) {
    bench::suite s("compress.adler32", 9);
    s.add("vitte", [&] { return vc::adler32(in); });
    s.add("zlib", [&] { return ::adler32(1, data.data(), static_cast<uInt>(data.size())); });
    s.run();
  }
}
