// libFuzzer target: xar archives and the macOS packages in them, hostile
// bytes. The first byte picks the reader (mod 3):
// 0 xar_read() on the bytes as they are (header, the TOC inflated, its
//   checksum, every file's range and archived checksum), then
//   xar_extract() of every file within a bound;
// 1 pkg_read() (the xar, the Distribution, PackageInfo, Bom and Payload,
//   the Payload against the Bom);
// 2 xar_read() past the checksums: the input is a 2-byte big-endian length,
//   that many bytes of TOC XML, then the heap; the TOC is zlib-compressed,
//   a header written for it and its SHA-1 put first in the heap, so that
//   the fuzzer reaches the <file> elements and the data they point at.
// None may crash, hang or read out of bounds, and what the readers promise
// is checked: the TOC is its declared length and at most xar_max_toc; every
// listed file's data lies inside the heap and overlaps no other's; paths
// are non-empty and free of "." and ".." components; an extracted file is
// its declared size and never more than the bound given; a package's
// entries are clean relative paths of files, directories and symlinks whose
// sizes sum to at most the Payload's; on failure the diagnostic has the
// kind xar.hpp and pkg.hpp document (malformed; limit_exceeded past a
// bound), a message and an offset inside the input (release_refusal.hpp).
// Build and run like fuzz/run.sh does; seeds:
// fuzz/corpus/xar (packages pkg_write wrote, cut; TOC + heap pairs).
#include <vitte/base/detail/bytes.hpp>   // bytes_of, text_of
#include <vitte/base/detail/endian.hpp>  // the header of mode 2
#include <vitte/compress/deflate.hpp>
#include <vitte/crypto/sha1.hpp>
#include <vitte/release/detail/pkg.hpp>
#include <vitte/release/detail/xar.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "release_refusal.hpp"  // check_refusal

namespace rd = vitte::release::detail;

namespace {

constexpr std::uint64_t extract_bound = std::uint64_t{1} << 22;

bool clean_path(const std::string& p) {
  if (p.empty() || p[0] == '/') return false;
  std::size_t at = 0;
  for (;;) {
    const std::size_t slash = p.find('/', at);
    const std::string c = p.substr(at, slash == std::string::npos ? std::string::npos : slash - at);
    if (c.empty() || c == "." || c == "..") return false;
    if (slash == std::string::npos) return true;
    at = slash + 1;
  }
}

void check_failure(const vitte::diagnostic& why, std::size_t size) {
  release_fuzz::check_refusal(why, size, {vitte::errc::malformed, vitte::errc::limit_exceeded});
}

// Mode 2's archive: the TOC compressed, a header, the TOC's SHA-1, the heap.
bool seal(vitte::span<const std::byte> in, std::string& out) {
  if (in.size() < 2) return false;
  const std::uint16_t n = vitte::detail::load_be<std::uint16_t>(in.data());
  if (n > in.size() - 2) return false;
  const vitte::span<const std::byte> toc = in.subspan(2, n), heap = in.subspan(2 + std::size_t{n});
  auto z = vitte::compress::zlib_compress(toc, 1);
  if (!z) return false;
  out.assign(rd::xar_header_size, '\0');
  vitte::detail::store_be<std::uint32_t>(out.data(), rd::xar_magic);
  vitte::detail::store_be<std::uint16_t>(out.data() + 4, static_cast<std::uint16_t>(rd::xar_header_size));
  vitte::detail::store_be<std::uint16_t>(out.data() + 6, 1);
  vitte::detail::store_be<std::uint64_t>(out.data() + 8, z->size());
  vitte::detail::store_be<std::uint64_t>(out.data() + 16, toc.size());
  vitte::detail::store_be<std::uint32_t>(out.data() + 24, rd::xar_cksum_sha1);
  out += vitte::detail::text_of(z->span());
  const auto sum = vitte::crypto::sha1::hash(z->data(), z->size());
  out.append(reinterpret_cast<const char*>(sum.data()), sum.size());
  out += vitte::detail::text_of(heap);
  return true;
}

void check_xar(vitte::span<const std::byte> in) {
  rd::xar_contents c;
  vitte::diagnostic why;
  if (!rd::xar_read(in, c, &why)) return check_failure(why, in.size());
  if (c.toc.size() != c.toc_size || c.toc_size > rd::xar_max_toc) std::abort();
  if (c.heap > in.size() || c.heap < rd::xar_header_size + c.toc_length) std::abort();
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges = {
      {c.toc_checksum_offset, c.toc_checksum_offset + c.toc_checksum_size}};
  for (const rd::xar_file& f : c.files) {
    if (!clean_path(f.path)) std::abort();
    if (!f.has_data) continue;
    if (c.heap + f.offset < c.heap || c.heap + f.offset + f.length > in.size()) std::abort();
    if (f.length != 0) ranges.push_back({f.offset, f.offset + f.length});
    vitte::buffer<std::byte> data;
    if (rd::xar_extract(in, c, f, extract_bound, data, &why)) {
      if (data.size() != f.size || data.size() > extract_bound) std::abort();
    } else {
      check_failure(why, in.size());
    }
  }
  std::sort(ranges.begin(), ranges.end());
  for (std::size_t k = 1; k < ranges.size(); ++k)
    if (ranges[k].first < ranges[k - 1].second) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > (std::size_t{1} << 20)) return 0;
  vitte::span<const std::byte> in(reinterpret_cast<const std::byte*>(data + 1), size - 1);
  std::string sealed;
  switch (data[0] % 3) {
    case 0:
      check_xar(in);
      break;
    case 1: {
      rd::pkg_contents c;
      vitte::diagnostic why;
      if (!rd::pkg_read(in, c, &why)) {
        check_failure(why, in.size());
        break;
      }
      std::uint64_t sum = 0;
      for (const rd::package_entry& e : c.entries) {
        if (!clean_path(e.path)) std::abort();
        if (e.type != "file" && e.type != "directory" && e.type != "symlink") std::abort();
        if (e.type == "file" && e.sha256.size() != 64) std::abort();
        if (e.type != "file" && e.size != 0) std::abort();
        sum += e.size;
      }
      if (sum > c.payload_size || c.entries.size() + 1 != c.bom.size()) std::abort();
      break;
    }
    default:
      if (seal(in, sealed)) check_xar(vitte::detail::bytes_of(sealed));
      break;
  }
  return 0;
}
