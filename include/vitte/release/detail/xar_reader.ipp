// vitte/release/detail/xar_reader.ipp - xar_read(), xar_extract() and
// xar_checksum() (xar.hpp): the header, the TOC inflated and checked, its
// files listed with their data ranges and checksums.
#ifndef VITTE_RELEASE_DETAIL_XAR_READER_IPP
#define VITTE_RELEASE_DETAIL_XAR_READER_IPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/detail/byte_view.hpp>  // the header, bounds-checked
#include <vitte/base/detail/bytes.hpp>      // bytes_of, octets_of, text_of
#include <vitte/base/detail/decimal.hpp>    // the TOC's numbers
#include <vitte/base/detail/hex.hpp>        // digests as text
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/compress/deflate.hpp>  // the TOC and x-gzip members
#include <vitte/crypto/sha1.hpp>
#include <vitte/crypto/sha256.hpp>
#include <vitte/crypto/sha512.hpp>
#include <vitte/release/detail/failure.hpp>  // refuse
#include <vitte/release/detail/xar.hpp>
#include <vitte/release/detail/xml.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace vitte::release::detail {

namespace xar_read_detail {

inline void to_hex(const std::uint8_t* d, std::size_t n, std::string& hex) {
  hex.assign(2 * n, '\0');
  vitte::detail::hex_encode(d, n, hex.data());
}

// The bytes of a digest of `style`, 0 for a style the reader does not take.
inline std::size_t digest_size(text_view style) noexcept {
  return style == "sha1" ? 20 : style == "sha256" ? 32 : style == "sha512" ? 64 : 0;
}

// A number of the TOC: decimal digits, surrounding whitespace allowed.
inline bool number(text_view t, std::uint64_t& out) noexcept {
  while (!t.empty() && (t.front() == ' ' || t.front() == '\n' || t.front() == '\t' || t.front() == '\r'))
    t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\n' || t.back() == '\t' || t.back() == '\r'))
    t.remove_suffix(1);
  return vitte::detail::parse_decimal(t, UINT64_MAX, out);
}

// An octal mode ("0644", "755"); false for anything else.
inline bool octal_mode(text_view t, std::uint32_t& out) noexcept {
  if (t.empty() || t.size() > 7) return false;
  std::uint32_t v = 0;
  for (const char c : t) {
    if (c < '0' || c > '7') return false;
    v = (v << 3) | static_cast<std::uint32_t>(c - '0');
  }
  out = v;
  return true;
}

// A checksum element's digest, lower-cased; false unless it is `size` bytes of hex.
inline bool digest_text(text_view t, std::size_t size, std::string& out) {
  if (t.size() != 2 * size) return false;
  out.assign(t.data(), t.size());
  for (char& c : out) {
    if (vitte::detail::hex_value(c) < 0) return false;
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  return true;
}

}  // namespace xar_read_detail

VITTE_DECL bool xar_checksum(text_view style, span<const std::byte> data, std::string& hex) {
  const std::span<const std::byte> d(data.data(), data.size());
  if (style == "sha1") {
    const auto sum = crypto::sha1::hash(d);
    return xar_read_detail::to_hex(sum.data(), sum.size(), hex), true;
  }
  if (style == "sha256") {
    const auto sum = crypto::sha256::hash(d);
    return xar_read_detail::to_hex(sum.data(), sum.size(), hex), true;
  }
  if (style == "sha512") {
    const auto sum = crypto::sha512::hash(d);
    return xar_read_detail::to_hex(sum.data(), sum.size(), hex), true;
  }
  return false;
}

VITTE_DECL const xar_file* xar_contents::find(text_view path) const noexcept {
  for (const xar_file& f : files)
    if (text_view(f.path) == path) return &f;
  return nullptr;
}

VITTE_DECL bool xar_read(span<const std::byte> xar, xar_contents& out, vitte::diagnostic* why) {
  namespace xr = xar_read_detail;
  text_view file;  // the file of the TOC at fault, once its path is known
  const auto fail = [&](const char* w, std::uint64_t where, errc kind = errc::malformed) {
    return refuse(why, kind, where > xar.size() ? xar.size() : where, file, w);
  };
  const vitte::detail::byte_view v{std::span<const std::byte>(xar.data(), xar.size()), true};
  std::uint32_t magic = 0, algorithm = 0;
  std::uint16_t header = 0, version = 0;
  std::uint64_t toc_length = 0, toc_size = 0;
  if (!v.read(0, magic) || magic != xar_magic) return fail("not a xar archive (no \"xar!\" magic)", 0);
  if (!v.read(4, header) || !v.read(6, version) || !v.read(8, toc_length) || !v.read(16, toc_size) ||
      !v.read(24, algorithm))
    return fail("a xar header cut short", xar.size());
  if (header < xar_header_size || header > xar.size()) return fail("a xar header size below 28 or past the file", 4);
  if (version != 1) return fail("a xar version other than 1", 6);
  if (toc_length == 0 || !v.contains(header, toc_length)) return fail("a xar TOC longer than the file", 8);
  if (toc_size > xar_max_toc) return fail("a xar TOC larger than 64 MiB", 16);
  // The TOC checksum's algorithm: a longer header names it ("sha256").
  text_view style = algorithm == xar_cksum_sha1     ? "sha1"
                    : algorithm == xar_cksum_sha256 ? "sha256"
                    : algorithm == xar_cksum_sha512 ? "sha512"
                                                    : "";
  if (header > xar_header_size && algorithm == xar_cksum_sha256) {
    std::string_view name;
    if (!v.cstring(xar_header_size, header, name)) return fail("a xar header's algorithm name without its NUL", 28);
    style = text_view(name.data(), name.size());
  }
  if (xr::digest_size(style) == 0) return fail("a xar TOC checksum other than SHA-1, SHA-256 or SHA-512", 24);
  out.checksum_algorithm = algorithm;
  out.checksum_style = std::string(style);
  out.toc_length = toc_length;
  out.toc_size = toc_size;
  out.heap = header + toc_length;

  // The TOC, inflated to exactly its declared length.
  compress::decompress_limits limits;
  limits.max_output = static_cast<std::size_t>(toc_size);
  result<buffer<std::byte>> toc =
      compress::zlib_decompress(xar.subspan(header, static_cast<std::size_t>(toc_length)), limits);
  if (!toc)
    return fail(toc.error() == errc::limit_exceeded ? "a xar TOC longer than its header says"
                                                    : "a xar TOC that is not a whole zlib stream",
                header);
  if (toc->size() != toc_size) return fail("a xar TOC shorter than its header says", header);
  out.toc = std::string(vitte::detail::text_of(toc->span()));
  xml_element root;
  xml_limits xl;
  xl.max_elements = xar_max_toc_elements;
  if (!xml_read(out.toc, root, why, xl)) return refused_in(why, header, "TOC");  // where the compressed TOC starts
  const xml_element* t = root.name == "xar" ? root.child("toc") : nullptr;
  if (t == nullptr) return fail("a xar TOC without <xar><toc>", header);

  // The TOC's checksum, where the TOC says it is in the heap.
  const xml_element* sum = t->child("checksum");
  if (sum == nullptr || sum->attribute("style") != style)
    return fail("a xar TOC checksum whose style is not the header's", header);
  if (!xr::number(sum->child_text("offset"), out.toc_checksum_offset) ||
      !xr::number(sum->child_text("size"), out.toc_checksum_size) || out.toc_checksum_size != xr::digest_size(style) ||
      out.toc_checksum_offset > xar.size() || !v.contains(out.heap + out.toc_checksum_offset, out.toc_checksum_size))
    return fail("a xar TOC checksum outside the heap or of the wrong size", header);
  std::string expected, found;
  (void)xar_checksum(style, span<const std::byte>(xar.data() + header, static_cast<std::size_t>(toc_length)), expected);
  const span<const std::uint8_t> stored = vitte::detail::octets_of(xar.subspan(
      static_cast<std::size_t>(out.heap + out.toc_checksum_offset), static_cast<std::size_t>(out.toc_checksum_size)));
  xr::to_hex(stored.data(), stored.size(), found);
  if (expected != found) return fail("the xar TOC does not match its checksum", out.heap + out.toc_checksum_offset);
  out.creation_time = std::string(t->child_text("creation-time"));

  // The files, depth first: (element, its directory's path).
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges = {
      {out.toc_checksum_offset, out.toc_checksum_offset + out.toc_checksum_size}};
  std::vector<std::pair<const xml_element*, std::string>> todo;
  std::unordered_set<std::string> paths;
  std::unordered_set<std::uint64_t> ids;
  for (auto it = t->children.rbegin(); it != t->children.rend(); ++it)
    if (it->name == "file") todo.push_back({&*it, std::string()});
  while (!todo.empty()) {
    auto [e, dir] = static_cast<std::pair<const xml_element*, std::string>&&>(todo.back());
    todo.pop_back();
    const std::uint64_t where = header;  // a TOC problem: where the TOC starts, and the <file> in the XML
    xar_file f;
    f.toc_offset = e->offset;
    file = e->child_text("name");
    const auto fail_file = [&](const char* w) {
      return refuse(why, errc::malformed, f.toc_offset, file, w) || refused_in(why, where, "TOC");
    };
    if (!xr::number(e->attribute("id"), f.id)) return fail_file("a xar file without a numeric id");
    const text_view name = e->child_text("name");
    if (name.empty() || name == "." || name == ".." || name.find('/') != text_view::npos)
      return fail_file("a xar file name that is empty, \".\", \"..\" or holds a '/'");
    f.path = dir.empty() ? std::string(name) : dir + "/" + std::string(name);
    file = f.path;
    f.type = std::string(e->child_text("type"));
    if (const xml_element* m = e->child("mode"); m != nullptr && !xr::octal_mode(m->text, f.mode))
      return fail_file("a xar file mode that is not octal");
    if (!paths.insert(f.path).second || !ids.insert(f.id).second) return fail_file("a xar file path or id given twice");
    if (const xml_element* d = e->child("data"); d != nullptr) {
      f.has_data = true;
      const xml_element* enc = d->child("encoding");
      const xml_element* archived = d->child("archived-checksum");
      const xml_element* extracted = d->child("extracted-checksum");
      if (!xr::number(d->child_text("offset"), f.offset) || !xr::number(d->child_text("length"), f.length) ||
          !xr::number(d->child_text("size"), f.size) || enc == nullptr || archived == nullptr || extracted == nullptr)
        return fail_file("a xar file's data without its offset, length, size, encoding or checksums");
      f.encoding = std::string(enc->attribute("style"));
      f.checksum_style = std::string(archived->attribute("style"));
      const std::size_t n = xr::digest_size(f.checksum_style);
      if (n == 0 || extracted->attribute("style") != text_view(f.checksum_style))
        return fail_file("a xar file checksum other than SHA-1, SHA-256 or SHA-512");
      if (!xr::digest_text(archived->text, n, f.archived_checksum) ||
          !xr::digest_text(extracted->text, n, f.extracted_checksum))
        return fail_file("a xar file checksum that is not its digest's hex digits");
      if (f.offset > xar.size() || !v.contains(out.heap + f.offset, f.length))
        return fail_file("a xar file's data outside the heap");
      if (f.encoding == "application/octet-stream" && f.length != f.size)
        return fail_file("a stored xar file whose length and size differ");
      ranges.push_back({f.offset, f.offset + f.length});
    }
    for (auto it = e->children.rbegin(); it != e->children.rend(); ++it)
      if (it->name == "file") todo.push_back({&*it, f.path});
    out.files.push_back(static_cast<xar_file&&>(f));
    file = {};
  }
  // No two data ranges overlap: each byte is checked once.
  std::sort(ranges.begin(), ranges.end());
  std::uint64_t covered = 0;  // the end of the data seen so far
  for (const auto& [from, to] : ranges) {
    if (from == to) continue;
    if (from < covered) return fail("xar file data overlapping other data", out.heap + from);
    covered = to;
  }
  for (const xar_file& f : out.files) {
    if (!f.has_data) continue;
    file = f.path;
    std::string sum_hex;
    (void)xar_checksum(f.checksum_style,
                       span<const std::byte>(xar.data() + out.heap + f.offset, static_cast<std::size_t>(f.length)),
                       sum_hex);
    if (sum_hex != f.archived_checksum)
      return fail("a xar file's data does not match its archived checksum", out.heap + f.offset);
  }
  return true;
}

VITTE_DECL bool xar_extract(span<const std::byte> xar, const xar_contents& c, const xar_file& f, std::uint64_t max_size,
                            buffer<std::byte>& out, vitte::diagnostic* why) {
  const std::uint64_t start = c.heap + f.offset;
  const auto fail = [&](const char* w, errc kind = errc::malformed) {
    return refuse(why, kind, start > xar.size() ? xar.size() : start, f.path, w);
  };
  if (!f.has_data) return fail("a xar file without data");
  if (start > xar.size() || f.length > xar.size() - start) return fail("a xar file's data outside the archive");
  if (f.size > max_size) return fail("a xar file larger than the bound given", errc::limit_exceeded);
  const span<const std::byte> archived(xar.data() + start, static_cast<std::size_t>(f.length));
  if (f.encoding == "application/octet-stream") {
    if (f.length != f.size) return fail("a stored xar file whose length and size differ");
    out = buffer<std::byte>(archived);
  } else if (f.encoding == "application/x-gzip") {
    compress::decompress_limits limits;
    limits.max_output = static_cast<std::size_t>(f.size);
    result<buffer<std::byte>> z = compress::zlib_decompress(archived, limits);
    if (!z)
      return fail(z.error() == errc::limit_exceeded ? "a xar file larger than its size says"
                                                    : "a xar file that is not a whole zlib stream");
    if (z->size() != f.size) return fail("a xar file shorter than its size says");
    out = static_cast<buffer<std::byte>&&>(*z);
  } else {
    return fail("a xar encoding other than application/octet-stream and application/x-gzip");
  }
  std::string sum_hex;
  if (!xar_checksum(f.checksum_style, out.span(), sum_hex) || sum_hex != f.extracted_checksum)
    return fail("a xar file does not match its extracted checksum");
  return true;
}

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_XAR_READER_IPP
