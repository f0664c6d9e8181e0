// vitte/release/detail/bom_reader.ipp - bom_read() (bom.hpp): the header,
// the block index and the variables checked against the file, then the
// Paths tree walked from its root, each record's blocks read and its path
// joined to its parent's.
#ifndef VITTE_RELEASE_DETAIL_BOM_READER_IPP
#define VITTE_RELEASE_DETAIL_BOM_READER_IPP

#include <vitte/base/detail/byte_view.hpp>  // every read bounds-checked
#include <vitte/base/detail/bytes.hpp>      // bytes_of, octets_of, text_of
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/release/detail/bom.hpp>
#include <vitte/release/detail/failure.hpp>  // refuse

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace vitte::release::detail {

namespace bom_read_detail {

inline constexpr unsigned max_depth = 32;
inline constexpr std::size_t attributes_size = 31;  // an attributes block before its link name

struct store {
  vitte::detail::byte_view v;
  std::uint64_t index = 0;  // the block index's first pointer
  std::uint32_t blocks = 0;
  vitte::diagnostic* why = nullptr;
  std::string_view name;  // the file name being read, for messages

  bool fail(const char* w, std::uint64_t where) {
    return refuse(why, errc::malformed, where > v.size() ? v.size() : where, name, w);
  }
  std::uint32_t u32(std::uint64_t off) const noexcept {
    std::uint32_t x = 0;
    (void)v.read(off, x);
    return x;
  }
  // Block `id`: its offset and length in the file, at least `least` bytes.
  bool block(std::uint32_t id, std::size_t least, std::uint64_t& off, std::uint64_t& len) {
    if (id == 0 || id >= blocks) return fail("a Bom block number outside the block index", index);
    const std::uint64_t entry = index + 8 * std::uint64_t{id};
    off = u32(entry);
    len = u32(entry + 4);
    if (!v.contains(off, len)) return fail("a Bom block outside the file", entry);
    if (len < least) return fail("a Bom block too short for what it holds", off);
    return true;
  }
};

}  // namespace bom_read_detail

VITTE_DECL bool bom_read(span<const std::byte> bom, std::vector<bom_entry>& out, vitte::diagnostic* why) {
  bom_read_detail::store s;
  s.v = vitte::detail::byte_view{std::span<const std::byte>(bom.data(), bom.size()), true};
  s.why = why;
  if (bom.size() < 32 || vitte::detail::text_of(bom.subspan(0, 8)) != "BOMStore")
    return s.fail("not a Bom (no \"BOMStore\" magic)", 0);
  if (s.u32(8) != 1) return s.fail("a Bom version other than 1", 8);
  const std::uint32_t index_offset = s.u32(16), vars_offset = s.u32(24), vars_length = s.u32(28);
  if (!s.v.contains(index_offset, 4)) return s.fail("a Bom block index outside the file", 16);
  s.blocks = s.u32(index_offset);
  s.index = std::uint64_t{index_offset} + 4;
  if (!s.v.contains(s.index, 8 * std::uint64_t{s.blocks}))
    return s.fail("a Bom block index longer than the file", index_offset);
  if (!s.v.contains(vars_offset, vars_length) || vars_length < 4) return s.fail("Bom variables outside the file", 24);

  // The variables: find Paths.
  const std::uint64_t vars_end = std::uint64_t{vars_offset} + vars_length;
  const std::uint32_t count = s.u32(vars_offset);
  std::uint64_t p = std::uint64_t{vars_offset} + 4;
  std::uint32_t paths = 0;
  for (std::uint32_t k = 0; k < count; ++k) {
    std::uint8_t n = 0;
    if (p + 5 > vars_end || !s.v.read(p + 4, n) || p + 5 + n > vars_end) return s.fail("a Bom variable cut short", p);
    if (vitte::detail::text_of(bom.subspan(static_cast<std::size_t>(p + 5), n)) == "Paths") paths = s.u32(p);
    p += 5 + n;
  }
  if (paths == 0) return s.fail("a Bom without its Paths tree", vars_offset);
  std::uint64_t off = 0, len = 0;
  if (!s.block(paths, 21, off, len)) return false;
  if (vitte::detail::text_of(bom.subspan(static_cast<std::size_t>(off), 4)) != "tree")
    return s.fail("a Bom Paths variable that is not a tree", off);

  // Depth first from the root, children left to right: leaves in order.
  std::vector<bool> seen(s.blocks);
  std::vector<std::pair<std::uint32_t, unsigned>> todo = {{s.u32(off + 8), 0}};
  std::unordered_map<std::uint32_t, std::size_t> by_id;  // a path id: its entry in `out`
  const std::uint64_t budget = 32 * std::uint64_t{bom.size()} + 65536;
  std::uint64_t spent = 0;
  while (!todo.empty()) {
    const auto [node, depth] = todo.back();
    todo.pop_back();
    if (depth > bom_read_detail::max_depth) return s.fail("a Bom tree deeper than 32 levels", off);
    if (!s.block(node, 12, off, len)) return false;
    if (seen[node]) return s.fail("a Bom tree node reached twice", off);
    seen[node] = true;
    std::uint16_t leaf = 0, n = 0;
    (void)s.v.read(off, leaf);
    (void)s.v.read(off + 2, n);
    if (12 + 8 * std::uint64_t{n} > len) return s.fail("a Bom tree node longer than its block", off);
    if (leaf == 0) {
      for (std::uint16_t k = n; k-- > 0;) todo.push_back({s.u32(off + 12 + 8 * std::uint64_t{k}), depth + 1});
      continue;
    }
    for (std::uint16_t k = 0; k < n; ++k) {
      const std::uint64_t record = off + 12 + 8 * std::uint64_t{k};
      std::uint64_t info = 0, info_len = 0, file = 0, file_len = 0, attr = 0, attr_len = 0;
      if (!s.block(s.u32(record), 8, info, info_len) || !s.block(s.u32(record + 4), 5, file, file_len)) return false;
      const std::uint32_t id = s.u32(info), parent = s.u32(file);
      if (!s.block(s.u32(info + 4), bom_read_detail::attributes_size, attr, attr_len)) return false;
      s.name = {};
      std::string_view name;
      if (!s.v.cstring(file + 4, file + file_len, name)) return s.fail("a Bom file name without its NUL", file);
      s.name = name;
      if (name.empty() || name.find('/') != std::string_view::npos || name == ".." || (name == ".") != (parent == 0))
        return s.fail("a Bom file name that is empty, \"..\", holds a '/' or misplaces \".\"", file);
      bom_entry e;
      if (parent == 0) {
        e.path = ".";
      } else {
        const auto it = by_id.find(parent);
        if (it == by_id.end()) return s.fail("a Bom path listed before its directory", file);
        if (out[it->second].type != bom_directory) return s.fail("a Bom path under a non-directory", file);
        e.path = out[it->second].path + "/" + std::string(name);
      }
      std::uint8_t type = 0;
      std::uint16_t mode = 0;
      (void)s.v.read(attr, type);
      (void)s.v.read(attr + 4, mode);
      e.type = type;
      e.mode = mode;
      e.uid = s.u32(attr + 6);
      e.gid = s.u32(attr + 10);
      e.mtime = s.u32(attr + 14);
      e.size = s.u32(attr + 18);
      e.checksum = s.u32(attr + 23);
      const std::uint32_t link = s.u32(attr + 27);
      if (link != 0) {
        std::string_view target;
        if (link > attr_len - bom_read_detail::attributes_size ||
            !s.v.cstring(attr + bom_read_detail::attributes_size, attr + bom_read_detail::attributes_size + link,
                         target) ||
            target.size() + 1 != link)
          return s.fail("a Bom link name that is not its length with a NUL", attr);
        e.link = std::string(target);
      }
      spent += e.path.size() + e.link.size() + sizeof(bom_entry);
      if (spent > budget) return s.fail("Bom paths longer together than 32 bytes per byte of the Bom", file);
      if (!by_id.emplace(id, out.size()).second) return s.fail("a Bom path id given twice", info);
      out.push_back(static_cast<bom_entry&&>(e));
    }
  }
  return true;
}

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_BOM_READER_IPP
