// vitte/release/detail/xar_writer.ipp - xar_write() (xar.hpp): the members'
// data in the heap, the TOC that describes them, the header.
#ifndef VITTE_RELEASE_DETAIL_XAR_WRITER_IPP
#define VITTE_RELEASE_DETAIL_XAR_WRITER_IPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/detail/bytes.hpp>   // bytes_of, text_of
#include <vitte/base/detail/civil.hpp>   // the TOC's times
#include <vitte/base/detail/endian.hpp>  // the header's fields
#include <vitte/base/result.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/compress/deflate.hpp>           // zlib: the TOC and compressed members
#include <vitte/crypto/sha1.hpp>                // the TOC's checksum
#include <vitte/release/detail/failure.hpp>     // refuse_error
#include <vitte/release/detail/sha256_hex.hpp>  // digest_hex
#include <vitte/release/detail/xar.hpp>
#include <vitte/release/detail/xml.hpp>  // names in the TOC
#include <vitte/release/operations.hpp>  // ops::package

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace vitte::release::detail {

namespace xar_write_detail {

// "2023-11-14T22:13:20" (the TOC's creation time) or with a "Z" (a file's times).
inline std::string iso_time(std::int64_t seconds, bool zone) {
  std::int64_t day = 0, year = 0;
  std::uint32_t second = 0;
  unsigned month = 0, mday = 0;
  vitte::detail::split_seconds(seconds < 0 ? 0 : seconds, day, second);
  vitte::detail::civil_from_days(day, year, month, mday);
  char b[48];
  std::snprintf(b, sizeof b, "%04lld-%02u-%02uT%02u:%02u:%02u%s", static_cast<long long>(year), month, mday,
                static_cast<unsigned>(second / 3600), static_cast<unsigned>(second / 60 % 60),
                static_cast<unsigned>(second % 60), zone ? "Z" : "");
  return b;
}

inline std::string octal(std::uint32_t mode) {
  char b[16];
  std::snprintf(b, sizeof b, "%04o", static_cast<unsigned>(mode & 07777));
  return b;
}

// A member as placed: its archived bytes' place in the heap and their checksums.
struct placed {
  std::size_t parent = 0;  // index + 1 of its directory, 0 at the top
  std::string name;
  std::vector<std::size_t> children;
  std::uint64_t offset = 0, length = 0;
  std::string archived, extracted;
};

}  // namespace xar_write_detail

VITTE_DECL result<buffer<std::byte>> xar_write(span<const xar_member> members, const xar_options& o,
                                               vitte::diagnostic* why) {
  buffer<std::byte> bytes;
  archive_sink out;
  out.memory = &bytes;
  if (status s = xar_write_to(members, o, out, why); !s) return s.error();
  return bytes;
}

VITTE_DECL status xar_write_to(span<const xar_member> members, const xar_options& o, archive_sink& out,
                               vitte::diagnostic* why) {
  namespace xw = xar_write_detail;
  const auto fail = [&](errc kind, const char* w, text_view d) { return refuse_error(why, kind, d, w); };
  const int level = o.level < 1 ? 1 : o.level > 9 ? 9 : o.level;
  // Each member's directory, and the tree in the members' order.
  std::vector<xw::placed> placed(members.size());
  std::vector<std::size_t> top;
  for (std::size_t i = 0; i < members.size(); ++i) {
    const text_view p = members[i].path;
    const std::size_t slash = p.rfind('/');
    const text_view name = slash == text_view::npos ? p : p.substr(slash + 1);
    if (name.empty() || name == "." || name == ".." || p.find('\0') != text_view::npos)
      return fail(errc::invalid_argument, "a xar member name that is empty, \".\" or \"..\"", p);
    std::size_t parent = 0;
    if (slash != text_view::npos) {
      for (std::size_t k = 0; k < i && parent == 0; ++k)
        if (members[k].directory && members[k].path == p.substr(0, slash)) parent = k + 1;
      if (parent == 0) return fail(errc::invalid_argument, "a xar member in no directory given before it", p);
    }
    for (std::size_t k = 0; k < i; ++k)
      if (members[k].path == p) return fail(errc::invalid_argument, "a xar member given twice", p);
    placed[i].parent = parent;
    placed[i].name = std::string(name);
    (parent == 0 ? top : placed[parent - 1].children).push_back(i);
  }
  // The TOC's order: depth first, each directory before what it holds.
  std::vector<std::size_t> order;
  std::vector<std::size_t> todo(top.rbegin(), top.rend());
  while (!todo.empty()) {
    const std::size_t i = todo.back();
    todo.pop_back();
    order.push_back(i);
    todo.insert(todo.end(), placed[i].children.rbegin(), placed[i].children.rend());
  }
  // The heap after the TOC's checksum: each file's archived bytes in TOC
  // order (a stored member's read back, twice: its checksum, then itself).
  std::vector<buffer<std::byte>> compressed(members.size());
  std::uint64_t heap = 0;
  for (const std::size_t i : order) {
    const xar_member& m = members[i];
    if (m.directory) continue;
    span<const std::byte> archived = m.data;
    if (m.stored != nullptr) {
      crypto::sha1 h;
      const auto digest = [&](span<const std::byte> p) { return h.update(p.data(), p.size()), status{}; };
      if (status s = m.stored->read_back(digest); !s)
        return fail(s.error().kind(), "cannot read a xar member back", m.path);
      placed[i].archived = placed[i].extracted = digest_hex(h.finish());
      placed[i].offset = crypto::sha1::digest_size + heap;
      placed[i].length = m.stored->sink.size;
      heap += placed[i].length;
      continue;
    }
    if (m.compress) {
      result<buffer<std::byte>> c = compress::zlib_compress(m.data, level);
      if (!c) return fail(c.error().kind(), "cannot compress a xar member", m.path);
      compressed[i] = static_cast<buffer<std::byte>&&>(*c);
      archived = compressed[i].span();
    }
    placed[i].offset = crypto::sha1::digest_size + heap;
    placed[i].length = archived.size();
    (void)xar_checksum("sha1", archived, placed[i].archived);
    (void)xar_checksum("sha1", m.data, placed[i].extracted);
    heap += archived.size();
  }

  const std::string file_time = xw::iso_time(o.time, true);
  std::string toc =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xar>\n <toc>\n  <checksum style=\"sha1\">\n"
      "   <offset>0</offset>\n   <size>20</size>\n  </checksum>\n  <creation-time>" +
      xw::iso_time(o.time, false) + "</creation-time>\n";
  // Opens each file's element, closing those it is not inside of.
  std::vector<std::size_t> open;
  std::uint64_t id = 0;
  const auto close_to = [&](std::size_t parent) {
    while (!open.empty() && open.back() != parent) {
      toc.append(2 * open.size(), ' ');
      toc += "</file>\n";
      open.pop_back();
    }
  };
  for (const std::size_t i : order) {
    const xar_member& m = members[i];
    const xw::placed& p = placed[i];
    close_to(p.parent);
    const std::string pad(2 * open.size() + 2, ' ');
    toc += pad + "<file id=\"" + std::to_string(++id) + "\">\n";
    if (!m.directory) {
      toc += pad + " <data>\n";
      toc += pad + "  <length>" + std::to_string(p.length) + "</length>\n";
      toc += pad + "  <encoding style=\"application/" + (m.compress ? "x-gzip" : "octet-stream") + "\"/>\n";
      toc += pad + "  <offset>" + std::to_string(p.offset) + "</offset>\n";
      toc += pad + "  <size>" + std::to_string(m.stored != nullptr ? p.length : m.data.size()) + "</size>\n";
      toc += pad + "  <extracted-checksum style=\"sha1\">" + p.extracted + "</extracted-checksum>\n";
      toc += pad + "  <archived-checksum style=\"sha1\">" + p.archived + "</archived-checksum>\n";
      toc += pad + " </data>\n";
    }
    for (const char* t : {"ctime", "mtime", "atime"}) toc += pad + " <" + t + ">" + file_time + "</" + t + ">\n";
    const std::uint32_t mode = m.mode != 0 ? m.mode : m.directory ? 0755 : 0644;
    toc += pad + " <group>wheel</group>\n" + pad + " <gid>0</gid>\n" + pad + " <user>root</user>\n" + pad +
           " <uid>0</uid>\n" + pad + " <mode>" + xw::octal(mode) + "</mode>\n" + pad + " <type>" +
           (m.directory ? "directory" : "file") + "</type>\n" + pad + " <name>";
    xml_escape(toc, p.name);
    toc += "</name>\n";
    if (!m.directory) {
      toc += pad + "</file>\n";
    } else {
      open.push_back(i + 1);
    }
  }
  close_to(0);
  toc += " </toc>\n</xar>\n";

  result<buffer<std::byte>> ztoc = compress::zlib_compress(vitte::detail::bytes_of(toc), level);
  if (!ztoc) return fail(ztoc.error().kind(), "cannot compress the xar table of contents", "");
  const crypto::sha1::digest_type toc_sum = crypto::sha1::hash(ztoc->data(), ztoc->size());
  std::byte header[xar_header_size];
  vitte::detail::store_be<std::uint32_t>(header, xar_magic);
  vitte::detail::store_be<std::uint16_t>(header + 4, static_cast<std::uint16_t>(xar_header_size));
  vitte::detail::store_be<std::uint16_t>(header + 6, 1);
  vitte::detail::store_be<std::uint64_t>(header + 8, ztoc->size());
  vitte::detail::store_be<std::uint64_t>(header + 16, toc.size());
  vitte::detail::store_be<std::uint32_t>(header + 24, xar_cksum_sha1);
  status s = out.write(span<const std::byte>(header, xar_header_size));
  if (s) s = out.write(ztoc->span());
  if (s) s = out.write(span<const std::byte>(reinterpret_cast<const std::byte*>(toc_sum.data()), toc_sum.size()));
  const auto copy = [&](span<const std::byte> p) { return out.write(p); };
  for (std::size_t k = 0; s && k < order.size(); ++k) {
    const xar_member& m = members[order[k]];
    if (m.directory) continue;
    s = m.stored != nullptr ? m.stored->read_back(copy) : out.write(m.compress ? compressed[order[k]].span() : m.data);
  }
  if (!s) return fail(s.error().kind(), "cannot write the xar archive", "");
  return {};
}

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_XAR_WRITER_IPP
