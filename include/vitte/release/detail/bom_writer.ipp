// vitte/release/detail/bom_writer.ipp - bom_write() and bom_cksum() (bom.hpp):
// the paths numbered breadth first, their blocks, the B-tree over them, the
// empty trees, and the BOMStore around it all.
#ifndef VITTE_RELEASE_DETAIL_BOM_WRITER_IPP
#define VITTE_RELEASE_DETAIL_BOM_WRITER_IPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/detail/bytes.hpp>   // bytes_of, octets_of, text_of
#include <vitte/base/detail/endian.hpp>  // big-endian fields
#include <vitte/base/result.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/release/detail/bom.hpp>
#include <vitte/release/detail/failure.hpp>  // refuse_error
#include <vitte/release/operations.hpp>      // ops::package

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vitte::release::detail {

namespace bom {

inline constexpr text_view magic = "BOMStore";
inline constexpr std::size_t header_size = 512;
inline constexpr std::uint32_t node_size = 4096;

// POSIX cksum's table: CRC-32 with the polynomial 0x04C11DB7, most significant bit first.
constexpr std::array<std::uint32_t, 256> cksum_table() noexcept {
  std::array<std::uint32_t, 256> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i << 24;
    for (int k = 0; k < 8; ++k) c = (c & 0x80000000u) != 0 ? (c << 1) ^ 0x04C11DB7u : c << 1;
    t[i] = c;
  }
  return t;
}
inline constexpr std::array<std::uint32_t, 256> cksum_crc = cksum_table();

inline void put16(std::string& s, std::uint16_t v) {
  char b[2];
  vitte::detail::store_be<std::uint16_t>(b, v);
  s.append(b, 2);
}
inline void put32(std::string& s, std::uint32_t v) {
  char b[4];
  vitte::detail::store_be<std::uint32_t>(b, v);
  s.append(b, 4);
}

// A tree node: leaf or branch, its neighbours, its (index0, index1) pairs.
inline std::string node(bool leaf, std::uint32_t forward, std::uint32_t backward,
                        const std::vector<std::array<std::uint32_t, 2>>& pairs) {
  std::string s;
  put16(s, leaf ? 1 : 0);
  put16(s, static_cast<std::uint16_t>(pairs.size()));
  put32(s, forward);
  put32(s, backward);
  for (const auto& p : pairs) {
    put32(s, p[0]);
    put32(s, p[1]);
  }
  return s;
}

// A "tree" variable: version 1, the root node, the node size, the number of paths.
inline std::string tree(std::uint32_t root, std::uint32_t size, std::uint32_t paths) {
  std::string s = "tree";
  put32(s, 1);
  put32(s, root);
  put32(s, size);
  put32(s, paths);
  s += '\0';
  return s;
}

// "./a/b": "./" then components neither empty, "." nor "..", no NUL.
inline bool below_root(text_view p) noexcept {
  if (!p.starts_with("./") || p.find('\0') != text_view::npos) return false;
  p.remove_prefix(2);
  for (;;) {
    const std::size_t slash = p.find('/');
    const text_view c = p.substr(0, slash);
    if (c.empty() || c == "." || c == "..") return false;
    if (slash == text_view::npos) return true;
    p.remove_prefix(slash + 1);
  }
}

}  // namespace bom

VITTE_DECL std::uint32_t bom_cksum_update(std::uint32_t crc, span<const std::byte> data) noexcept {
  for (const std::byte b : data)
    crc = (crc << 8) ^ bom::cksum_crc[((crc >> 24) ^ static_cast<std::uint32_t>(b)) & 0xff];
  return crc;
}

VITTE_DECL std::uint32_t bom_cksum_finish(std::uint32_t crc, std::uint64_t size) noexcept {
  for (std::uint64_t n = size; n != 0; n >>= 8)
    crc = (crc << 8) ^ bom::cksum_crc[((crc >> 24) ^ static_cast<std::uint32_t>(n)) & 0xff];
  return ~crc;
}

VITTE_DECL std::uint32_t bom_cksum(span<const std::byte> data) noexcept {
  return bom_cksum_finish(bom_cksum_update(0, data), data.size());
}

VITTE_DECL result<buffer<std::byte>> bom_write(span<const bom_entry> entries, vitte::diagnostic* why) {
  using bom::put32;
  const auto fail = [&](errc kind, const char* w, text_view d) { return refuse_error(why, kind, d, w); };
  // The entries by path, to find each one's parent.
  std::vector<std::size_t> by_path(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) by_path[i] = i;
  std::sort(by_path.begin(), by_path.end(),
            [&](std::size_t a, std::size_t b) { return entries[a].path < entries[b].path; });
  const auto find = [&](text_view p) -> std::size_t {
    auto it = std::lower_bound(by_path.begin(), by_path.end(), p,
                               [&](std::size_t i, text_view v) { return text_view(entries[i].path) < v; });
    return it != by_path.end() && text_view(entries[*it].path) == p ? *it : entries.size();
  };
  for (std::size_t k = 1; k < by_path.size(); ++k)
    if (entries[by_path[k]].path == entries[by_path[k - 1]].path)
      return fail(errc::invalid_argument, "a path listed twice in a Bom", entries[by_path[k]].path);
  const std::size_t root = find(".");
  if (root == entries.size() || entries[root].type != bom_directory)
    return fail(errc::invalid_argument, "a Bom without its \".\" directory", ".");
  std::vector<std::vector<std::size_t>> children(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i == root) continue;
    const text_view p = entries[i].path;
    if (!bom::below_root(p)) return fail(errc::invalid_argument, "a Bom path that is not \"./\" and clean parts", p);
    const std::size_t parent = find(p.substr(0, p.rfind('/')));
    if (parent == entries.size() || entries[parent].type != bom_directory)
      return fail(errc::invalid_argument, "a Bom path whose directory is not listed", p);
    children[parent].push_back(i);
  }
  // Breadth first from ".", each directory's children by name: ids 1, 2, ...
  std::vector<std::size_t> order = {root};
  std::vector<std::uint32_t> id(entries.size()), parent_id(entries.size());
  id[root] = 1;
  for (std::size_t q = 0; q < order.size(); ++q) {
    std::vector<std::size_t>& c = children[order[q]];
    std::sort(c.begin(), c.end(), [&](std::size_t a, std::size_t b) { return entries[a].path < entries[b].path; });
    for (const std::size_t i : c) {
      id[i] = static_cast<std::uint32_t>(order.size() + 1);
      parent_id[i] = id[order[q]];
      order.push_back(i);
    }
  }

  std::vector<std::string> blocks(1);  // block 0 is null
  const auto add = [&](std::string b) {
    blocks.push_back(static_cast<std::string&&>(b));
    return static_cast<std::uint32_t>(blocks.size() - 1);
  };
  std::string info;
  put32(info, 1);
  put32(info, static_cast<std::uint32_t>(order.size() + 1));
  put32(info, 1);
  info.append(16, '\0');
  const std::uint32_t info_block = add(info);

  std::vector<std::array<std::uint32_t, 2>> records;  // (path info, file) per path, in order
  for (const std::size_t i : order) {
    const bom_entry& e = entries[i];
    std::string attributes;
    attributes += static_cast<char>(e.type);
    attributes += '\1';
    bom::put16(attributes, 3);
    bom::put16(attributes, e.mode);
    put32(attributes, e.uid);
    put32(attributes, e.gid);
    put32(attributes, e.mtime);
    put32(attributes, e.size);
    attributes += '\1';
    put32(attributes, e.checksum);
    put32(attributes, e.link.empty() ? 0 : static_cast<std::uint32_t>(e.link.size() + 1));
    if (!e.link.empty()) attributes.append(e.link).append(1, '\0');
    std::string path_info;
    put32(path_info, id[i]);
    put32(path_info, add(static_cast<std::string&&>(attributes)));
    std::string file;
    put32(file, parent_id[i]);
    const text_view p = e.path;
    file.append(i == root ? p : p.substr(p.rfind('/') + 1)).append(1, '\0');
    const std::uint32_t info_id = add(static_cast<std::string&&>(path_info));
    records.push_back({info_id, add(static_cast<std::string&&>(file))});
  }

  // The leaves, linked both ways; then branch levels until one node is left.
  const std::size_t leaves = (records.size() + bom_leaf_paths - 1) / bom_leaf_paths;
  std::vector<std::uint32_t> leaf_ids;
  for (std::size_t k = 0; k < leaves; ++k) leaf_ids.push_back(add({}));
  std::vector<std::array<std::uint32_t, 2>> level;  // (node, last file under it)
  for (std::size_t k = 0; k < leaves; ++k) {
    const std::size_t from = k * bom_leaf_paths, to = std::min(records.size(), from + bom_leaf_paths);
    const std::vector<std::array<std::uint32_t, 2>> part(records.begin() + static_cast<std::ptrdiff_t>(from),
                                                         records.begin() + static_cast<std::ptrdiff_t>(to));
    blocks[leaf_ids[k]] = bom::node(true, k + 1 < leaves ? leaf_ids[k + 1] : 0, k > 0 ? leaf_ids[k - 1] : 0, part);
    level.push_back({leaf_ids[k], part.back()[1]});
  }
  while (level.size() > 1) {
    std::vector<std::array<std::uint32_t, 2>> up;
    for (std::size_t from = 0; from < level.size(); from += bom_leaf_paths) {
      const std::size_t to = std::min(level.size(), from + bom_leaf_paths);
      const std::vector<std::array<std::uint32_t, 2>> part(level.begin() + static_cast<std::ptrdiff_t>(from),
                                                           level.begin() + static_cast<std::ptrdiff_t>(to));
      up.push_back({add(bom::node(false, 0, 0, part)), part.back()[1]});
    }
    level = static_cast<std::vector<std::array<std::uint32_t, 2>>&&>(up);
  }
  const std::uint32_t paths = add(bom::tree(level[0][0], bom::node_size, static_cast<std::uint32_t>(records.size())));
  const std::uint32_t hard_links = add(bom::tree(add(bom::node(true, 0, 0, {})), bom::node_size, 0));
  std::string vindex;
  put32(vindex, 1);
  put32(vindex, add(bom::tree(add(bom::node(true, 0, 0, {})), 128, 0)));
  put32(vindex, 0);
  vindex += '\0';
  const std::uint32_t vindex_block = add(static_cast<std::string&&>(vindex));
  const std::uint32_t size64 = add(bom::tree(add(bom::node(true, 0, 0, {})), bom::node_size, 0));

  std::string vars;
  const struct {
    text_view name;
    std::uint32_t block;
  } named[] = {
      {"BomInfo", info_block}, {"Paths", paths}, {"HLIndex", hard_links}, {"VIndex", vindex_block}, {"Size64", size64}};
  put32(vars, static_cast<std::uint32_t>(std::size(named)));
  for (const auto& v : named) {
    put32(vars, v.block);
    vars += static_cast<char>(v.name.size());
    vars.append(v.name);
  }
  std::uint64_t data_size = 0;
  for (const std::string& b : blocks) data_size += b.size();
  const std::uint64_t index_offset = bom::header_size + vars.size() + data_size;
  const std::uint64_t index_size = 4 + 8 * std::uint64_t{blocks.size()} + 20;
  if (index_offset + index_size > 0xffffffffu)
    return fail(errc::limit_exceeded, "a Bom of 4 GiB or more", entries[root].path);

  std::string out(bom::magic);
  put32(out, 1);
  put32(out, static_cast<std::uint32_t>(blocks.size() - 1));
  put32(out, static_cast<std::uint32_t>(index_offset));
  put32(out, static_cast<std::uint32_t>(index_size));
  put32(out, static_cast<std::uint32_t>(bom::header_size));
  put32(out, static_cast<std::uint32_t>(vars.size()));
  out.resize(bom::header_size, '\0');
  out += vars;
  std::string index;
  put32(index, static_cast<std::uint32_t>(blocks.size()));
  put32(index, 0);
  put32(index, 0);
  for (std::size_t k = 1; k < blocks.size(); ++k) {
    put32(index, static_cast<std::uint32_t>(out.size()));
    put32(index, static_cast<std::uint32_t>(blocks[k].size()));
    out += blocks[k];
  }
  out += index;
  out.append(20, '\0');  // the free list: no entry, two null pointers
  return buffer<std::byte>(vitte::detail::bytes_of(out));
}

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_BOM_WRITER_IPP
