// vitte/release/detail/cfb.ipp - the compound file writer and reader (cfb.hpp).
#ifndef VITTE_RELEASE_DETAIL_CFB_IPP
#define VITTE_RELEASE_DETAIL_CFB_IPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/detail/endian.hpp>  // load_le / store_le
#include <vitte/base/span.hpp>
#include <vitte/release/detail/cfb.hpp>
#include <vitte/release/detail/failure.hpp>  // refuse

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace vitte::release::detail {

VITTE_DECL int cfb_compare(std::u16string_view a, std::u16string_view b) noexcept {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char16_t x = cfb_upper(a[i]), y = cfb_upper(b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

namespace cfb {

VITTE_DECL std::uint64_t sectors_for(std::uint64_t bytes, std::uint64_t unit) {
  return bytes / unit + (bytes % unit != 0);
}

// The subtree of the siblings order[lo, hi) as a balanced binary tree:
// the directory index of its root, and left/right links set below it.
VITTE_DECL std::uint32_t build_tree(const std::vector<std::uint32_t>& order, std::size_t lo, std::size_t hi,
                                    std::vector<std::uint32_t>& left, std::vector<std::uint32_t>& right) {
  if (lo >= hi) return cfb_free_sector;
  const std::size_t mid = lo + (hi - lo) / 2;
  const std::uint32_t node = order[mid];
  left[node] = build_tree(order, lo, mid, left, right);
  right[node] = build_tree(order, mid + 1, hi, left, right);
  return node;
}

VITTE_DECL void put_entry(std::byte* e, std::u16string_view name, std::uint8_t type, std::uint32_t left,
                          std::uint32_t right, std::uint32_t child, const std::uint8_t* clsid, std::uint32_t start,
                          std::uint64_t size) {
  for (std::size_t i = 0; i < name.size(); ++i) vitte::detail::store_le<std::uint16_t>(e + 2 * i, name[i]);
  vitte::detail::store_le<std::uint16_t>(e + 64, static_cast<std::uint16_t>(name.empty() ? 0 : 2 * name.size() + 2));
  e[66] = static_cast<std::byte>(type);
  e[67] = type == 0 ? std::byte{0} : std::byte{1};  // black (an unused entry is all zeros)
  vitte::detail::store_le<std::uint32_t>(e + 68, left);
  vitte::detail::store_le<std::uint32_t>(e + 72, right);
  vitte::detail::store_le<std::uint32_t>(e + 76, child);
  if (clsid != nullptr) std::memcpy(e + 80, clsid, 16);
  vitte::detail::store_le<std::uint32_t>(e + 116, start);
  vitte::detail::store_le<std::uint64_t>(e + 120, size);
}

}  // namespace cfb

VITTE_DECL bool cfb_write_to(span<const cfb_input> streams, const std::uint8_t* clsid, archive_sink& out,
                             vitte::diagnostic* why) {
  using vitte::detail::store_le;
  const auto fail = [&](errc kind, const char* w) { return refuse(why, kind, vitte::diagnostic::no_offset, {}, w); };
  constexpr std::size_t ss = 512, ms = 64, per_fat = ss / 4;
  const std::size_t n = streams.size();
  const auto size_of = [&](std::size_t i) -> std::uint64_t {
    return streams[i].fill != nullptr ? streams[i].size : streams[i].data.size();
  };
  std::vector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::u16string& name = streams[i].name;
    if (name.empty() || name.size() > 31)
      return fail(errc::invalid_argument, "a stream name of 1 to 31 UTF-16 code units");
    if (name.find_first_of(u"/\\:!") != std::u16string::npos || name.find(u'\0') != std::u16string::npos)
      return fail(errc::invalid_argument, "a stream name with '/', '\\', ':', '!' or NUL");
    if (size_of(i) > 0x80000000u) return fail(errc::limit_exceeded, "a stream over 2 GiB (compound file version 3)");
    order[i] = static_cast<std::uint32_t>(i + 1);  // directory index
  }
  if (n + 1 > 0x10000000u) return fail(errc::limit_exceeded, "too many streams");
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return cfb_compare(streams[a - 1].name, streams[b - 1].name) < 0;
  });
  for (std::size_t i = 1; i < n; ++i)
    if (cfb_compare(streams[order[i - 1] - 1].name, streams[order[i] - 1].name) == 0)
      return fail(errc::invalid_argument, "two streams with one name (compared as CFB does, ignoring case)");

  // Sizes: the mini stream, then sectors for each part.
  std::vector<std::uint32_t> start(n, cfb_end_of_chain);
  std::uint64_t mini_sectors = 0, big_sectors = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t size = size_of(i);
    if (size == 0) continue;
    if (size < cfb_mini_cutoff) {
      start[i] = static_cast<std::uint32_t>(mini_sectors);
      mini_sectors += cfb::sectors_for(size, ms);
    } else {
      big_sectors += cfb::sectors_for(size, ss);
    }
  }
  const std::uint64_t mini_bytes = mini_sectors * ms;
  const std::uint64_t mini_stream_sectors = cfb::sectors_for(mini_bytes, ss);
  const std::uint64_t minifat_sectors = cfb::sectors_for(mini_sectors * 4, ss);
  const std::uint64_t dir_sectors = cfb::sectors_for((n + 1) * 128, ss);
  const std::uint64_t data = dir_sectors + minifat_sectors + mini_stream_sectors + big_sectors;
  std::uint64_t fat = 1, difat = 0;
  for (;;) {
    difat = fat <= 109 ? 0 : cfb::sectors_for(fat - 109, per_fat - 1);
    if (fat * per_fat >= data + fat + difat) break;
    ++fat;
  }
  const std::uint64_t total = data + fat + difat;
  if (total >= cfb_max_sector) return fail(errc::limit_exceeded, "a compound file too large");

  // The layout: FAT, DIFAT, then each chain after the other, in sectors.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> chains;  // first sector, count
  std::uint64_t next = fat + difat;
  const auto chain = [&](std::uint64_t count) {
    const std::uint64_t first = next;
    if (count != 0) chains.emplace_back(first, count);
    next += count;
    return count == 0 ? cfb_end_of_chain : static_cast<std::uint32_t>(first);
  };
  const std::uint32_t dir_start = chain(dir_sectors);
  const std::uint32_t minifat_start = chain(minifat_sectors);
  const std::uint32_t mini_start = chain(mini_stream_sectors);
  for (std::size_t i = 0; i < n; ++i)
    if (size_of(i) >= cfb_mini_cutoff) start[i] = chain(cfb::sectors_for(size_of(i), ss));

  // Written in pieces of 64 sectors at most.
  buffer<std::byte> piece;
  const auto emit = [&](bool last) -> status {
    if (piece.size() < 64 * ss && !last) return {};
    const status s = out.write(piece.span());
    piece.clear();
    return s;
  };
  const auto grow = [&](std::size_t bytes) {
    const std::size_t at = piece.size();
    std::byte zero[ss] = {};
    for (std::size_t left = bytes; left != 0;) {
      const std::size_t k = std::min(left, ss);
      piece.append(zero, k);
      left -= k;
    }
    return piece.data() + at;
  };
  const auto failed_write = [&](const status& s) { return fail(s.error().kind(), "cannot write the compound file"); };

  // Header.
  std::byte* h = grow(ss);
  std::memcpy(h, cfb_signature, 8);
  store_le<std::uint16_t>(h + 24, 0x3E);    // minor version
  store_le<std::uint16_t>(h + 26, 3);       // major version
  store_le<std::uint16_t>(h + 28, 0xFFFE);  // byte order
  store_le<std::uint16_t>(h + 30, 9);       // sector shift
  store_le<std::uint16_t>(h + 32, 6);       // mini sector shift
  store_le<std::uint32_t>(h + 44, static_cast<std::uint32_t>(fat));
  store_le<std::uint32_t>(h + 48, dir_start);
  store_le<std::uint32_t>(h + 56, static_cast<std::uint32_t>(cfb_mini_cutoff));
  store_le<std::uint32_t>(h + 60, minifat_start);
  store_le<std::uint32_t>(h + 64, static_cast<std::uint32_t>(minifat_sectors));
  store_le<std::uint32_t>(h + 68, difat == 0 ? cfb_end_of_chain : static_cast<std::uint32_t>(fat));
  store_le<std::uint32_t>(h + 72, static_cast<std::uint32_t>(difat));
  for (std::size_t k = 0; k < 109; ++k)
    store_le<std::uint32_t>(h + 76 + 4 * k, k < fat ? static_cast<std::uint32_t>(k) : cfb_free_sector);

  // The FAT, entry by entry from the layout.
  std::size_t c = 0;  // the chain at or after sector k
  for (std::uint64_t k = 0; k < fat * per_fat; ++k) {
    std::uint32_t v = cfb_free_sector;
    while (c < chains.size() && chains[c].first + chains[c].second <= k) ++c;
    if (k < fat)
      v = cfb_fat_sector;
    else if (k < fat + difat)
      v = cfb_difat_sector;
    else if (c < chains.size() && k >= chains[c].first)
      v = k + 1 == chains[c].first + chains[c].second ? cfb_end_of_chain : static_cast<std::uint32_t>(k + 1);
    if (k % per_fat == 0)
      if (status s = emit(false); !s) return failed_write(s);
    store_le<std::uint32_t>(grow(4), v);
  }
  // DIFAT: FAT sectors 109 on, 127 a sector, then the next DIFAT sector.
  for (std::uint64_t d = 0; d < difat; ++d) {
    if (status s = emit(false); !s) return failed_write(s);
    std::byte* p = grow(ss);
    for (std::size_t k = 0; k < per_fat - 1; ++k) {
      const std::uint64_t f = 109 + d * (per_fat - 1) + k;
      store_le<std::uint32_t>(p + 4 * k, f < fat ? static_cast<std::uint32_t>(f) : cfb_free_sector);
    }
    store_le<std::uint32_t>(p + ss - 4, d + 1 < difat ? static_cast<std::uint32_t>(fat + d + 1) : cfb_end_of_chain);
  }

  // Directory: the root, then the streams in the order given.
  if (status s = emit(true); !s) return failed_write(s);
  std::vector<std::uint32_t> left(n + 1, cfb_free_sector), right(n + 1, cfb_free_sector);
  const std::uint32_t top = cfb::build_tree(order, 0, n, left, right);
  std::byte* dir = grow(static_cast<std::size_t>(dir_sectors) * ss);
  cfb::put_entry(dir, u"Root Entry", 5, cfb_free_sector, cfb_free_sector, top, clsid,
                 mini_bytes == 0 ? cfb_end_of_chain : mini_start, mini_bytes);
  for (std::size_t i = 0; i < n; ++i)
    cfb::put_entry(dir + 128 * (i + 1), streams[i].name, 2, left[i + 1], right[i + 1], cfb_free_sector, nullptr,
                   start[i], size_of(i));
  if (status s = emit(true); !s) return failed_write(s);

  // MiniFAT and mini stream.
  const std::size_t minifat_at = piece.size();
  (void)grow(static_cast<std::size_t>(minifat_sectors) * ss);
  const std::size_t mini_at = piece.size();
  (void)grow(static_cast<std::size_t>(mini_stream_sectors) * ss);
  std::byte* const minifat = piece.data() + minifat_at;
  std::byte* const mini = piece.data() + mini_at;
  for (std::size_t k = 0; k < minifat_sectors * per_fat; ++k) store_le<std::uint32_t>(minifat + 4 * k, cfb_free_sector);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t size = size_of(i);
    if (size == 0 || size >= cfb_mini_cutoff) continue;
    const std::size_t count = cfb::sectors_for(size, ms);
    for (std::size_t k = 0; k < count; ++k)
      store_le<std::uint32_t>(minifat + 4 * (start[i] + k), k + 1 == count ? cfb_end_of_chain : start[i] + k + 1);
    span<const std::byte> bytes = streams[i].data;
    buffer<std::byte> small;  // a stream given by `fill` that is short after all
    if (streams[i].fill != nullptr) {
      archive_sink to;
      to.memory = &small;
      if (status s = streams[i].fill(to, streams[i].user); !s)
        return fail(s.error().kind(), "cannot write a stream of the compound file");
      if (small.size() != size) return fail(errc::io_error, "a stream whose bytes are not the size it said");
      bytes = small.span();
    }
    std::memcpy(mini + ms * start[i], bytes.data(), static_cast<std::size_t>(size));
  }
  if (status s = emit(true); !s) return failed_write(s);

  // The large streams, each padded to its last sector.
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t size = size_of(i);
    if (size < cfb_mini_cutoff) continue;
    const std::uint64_t before = out.size;
    status s = streams[i].fill != nullptr ? streams[i].fill(out, streams[i].user) : out.write(streams[i].data);
    if (!s) return fail(s.error().kind(), "cannot write a stream of the compound file");
    if (out.size - before != size) return fail(errc::io_error, "a stream whose bytes are not the size it said");
    (void)grow(static_cast<std::size_t>((ss - size % ss) % ss));
    if (s = emit(true); !s) return failed_write(s);
  }
  return true;
}

VITTE_DECL bool cfb_write(span<const cfb_input> streams, const std::uint8_t* clsid, buffer<std::byte>& out,
                          vitte::diagnostic* why) {
  buffer<std::byte> file;
  archive_sink sink;
  sink.memory = &file;
  if (!cfb_write_to(streams, clsid, sink, why)) return false;
  out = static_cast<buffer<std::byte>&&>(file);
  return true;
}

namespace cfb {

// The state of one read: the file, its FAT, and which sectors a chain
// already took.
struct reader {
  span<const std::byte> file;
  std::size_t ss = 512, sectors = 0;
  std::vector<std::uint32_t> fat;
  std::vector<std::uint8_t> taken;
  vitte::diagnostic* why = nullptr;

  bool fail(const char* w, std::size_t where) {
    return refuse(why, errc::malformed, where < file.size() ? where : file.size(), {}, w);
  }
  std::size_t offset_of(std::uint32_t s) const { return (static_cast<std::size_t>(s) + 1) * ss; }
  // Takes sector `s` for a chain: false when it is outside the file or taken.
  bool take(std::uint32_t s, std::size_t where) {
    if (s >= sectors) return fail("a sector number past the end of the file", where);
    if (taken[s] != 0) return fail("a sector in two chains, or a chain that loops", offset_of(s));
    taken[s] = 1;
    return true;
  }
  // The sectors of the chain from `first`: `count` of them, or (count ==
  // SIZE_MAX) up to its ENDOFCHAIN.
  bool follow(std::uint32_t first, std::size_t count, std::vector<std::uint32_t>& out, std::size_t where) {
    std::uint32_t s = first;
    while (count == SIZE_MAX ? s != cfb_end_of_chain : out.size() < count) {
      if (s >= fat.size() && s < sectors) return fail("a sector the FAT does not cover", offset_of(s));
      if (!take(s, where)) return false;
      out.push_back(s);
      where = offset_of(s);
      s = fat[s];
    }
    return true;
  }
  // Copies `size` bytes from the sectors `chain`.
  bool copy(const std::vector<std::uint32_t>& chain, std::size_t size, buffer<std::byte>& out) {
    out = buffer<std::byte>(size);
    for (std::size_t k = 0; k < chain.size() && k * ss < size; ++k) {
      const std::size_t n = std::min(ss, size - k * ss), from = offset_of(chain[k]);
      if (from > file.size() || file.size() - from < ss) return fail("a sector cut short by the end of the file", from);
      std::memcpy(out.data() + k * ss, file.data() + from, n);
    }
    return true;
  }
};

}  // namespace cfb

VITTE_DECL bool cfb_read(span<const std::byte> file, cfb_contents& out, vitte::diagnostic* why) {
  using vitte::detail::load_le;
  cfb::reader r;
  r.file = file;
  r.why = why;
  const auto fail = [&](const char* w, std::size_t where) { return r.fail(w, where); };
  const std::byte* h = file.data();
  if (file.size() < 512 || std::memcmp(h, cfb_signature, 8) != 0)
    return fail("not a compound file (no D0 CF 11 E0 signature)", 0);
  const std::uint16_t major = load_le<std::uint16_t>(h + 26);
  if (major != 3 && major != 4) return fail("a compound file version other than 3 or 4", 26);
  if (load_le<std::uint16_t>(h + 28) != 0xFFFE) return fail("a byte order mark other than FFFE", 28);
  if (load_le<std::uint16_t>(h + 30) != (major == 3 ? 9 : 12))
    return fail("a sector size other than 512 (version 3) or 4096 (version 4)", 30);
  if (load_le<std::uint16_t>(h + 32) != 6) return fail("a mini sector size other than 64", 32);
  if (load_le<std::uint32_t>(h + 56) != cfb_mini_cutoff) return fail("a mini stream cutoff other than 4096", 56);
  r.ss = major == 3 ? 512 : 4096;
  if (file.size() < r.ss) return fail("a version 4 header cut short", 0);
  r.sectors = std::min<std::size_t>(cfb::sectors_for(file.size() - r.ss, r.ss), cfb_max_sector);
  r.taken.assign(r.sectors, 0);
  const std::size_t per = r.ss / 4;
  const std::uint32_t fat_count = load_le<std::uint32_t>(h + 44);
  const std::uint32_t difat_count = load_le<std::uint32_t>(h + 72);
  if (fat_count > r.sectors) return fail("more FAT sectors than the file has sectors", 44);
  if (difat_count > r.sectors) return fail("more DIFAT sectors than the file has sectors", 72);

  // The FAT's sectors: 109 in the header, the rest in the DIFAT chain.
  std::vector<std::uint32_t> fat_sectors;
  for (std::size_t k = 0; k < 109 && fat_sectors.size() < fat_count; ++k)
    fat_sectors.push_back(load_le<std::uint32_t>(h + 76 + 4 * k));
  std::uint32_t d = load_le<std::uint32_t>(h + 68);
  std::size_t where = 68;
  for (std::uint32_t k = 0; k < difat_count && fat_sectors.size() < fat_count; ++k) {
    if (!r.take(d, where)) return false;
    const std::size_t from = r.offset_of(d);
    if (file.size() - from < r.ss) return fail("a DIFAT sector cut short by the end of the file", from);
    for (std::size_t i = 0; i + 1 < per && fat_sectors.size() < fat_count; ++i)
      fat_sectors.push_back(load_le<std::uint32_t>(h + from + 4 * i));
    d = load_le<std::uint32_t>(h + from + r.ss - 4);
    where = from + r.ss - 4;
  }
  if (fat_sectors.size() != fat_count) return fail("fewer FAT sectors listed than the header counts", 44);
  r.fat.reserve(fat_sectors.size() * per);
  for (const std::uint32_t s : fat_sectors) {
    if (!r.take(s, 76)) return false;
    const std::size_t from = r.offset_of(s);
    if (file.size() - from < r.ss) return fail("a FAT sector cut short by the end of the file", from);
    for (std::size_t i = 0; i < per; ++i) r.fat.push_back(load_le<std::uint32_t>(h + from + 4 * i));
  }

  // The directory.
  std::vector<std::uint32_t> dir_chain;
  if (!r.follow(load_le<std::uint32_t>(h + 48), SIZE_MAX, dir_chain, 48)) return false;
  buffer<std::byte> dir;
  if (!r.copy(dir_chain, dir_chain.size() * r.ss, dir)) return false;
  const std::size_t entries = dir.size() / 128;
  if (entries == 0) return fail("an empty directory", 48);
  const auto entry_at = [&](std::size_t i) { return r.offset_of(dir_chain[i * 128 / r.ss]) + (i * 128) % r.ss; };
  const std::byte* root = dir.data();
  if (root[66] != std::byte{5}) return fail("a first directory entry that is not the root storage", entry_at(0));
  std::memcpy(out.clsid, root + 80, 16);

  // The MiniFAT and the mini stream (the root's data).
  std::vector<std::uint32_t> minifat_chain;
  if (!r.follow(load_le<std::uint32_t>(h + 60), SIZE_MAX, minifat_chain, 60)) return false;
  buffer<std::byte> minifat_bytes;
  if (!r.copy(minifat_chain, minifat_chain.size() * r.ss, minifat_bytes)) return false;
  const std::uint64_t root_size = major == 3 ? load_le<std::uint32_t>(root + 120) : load_le<std::uint64_t>(root + 120);
  if (root_size > file.size()) return fail("a mini stream larger than the file", entry_at(0) + 120);
  std::vector<std::uint32_t> mini_chain;
  if (root_size != 0 &&
      !r.follow(load_le<std::uint32_t>(root + 116), cfb::sectors_for(root_size, r.ss), mini_chain, entry_at(0) + 116))
    return false;
  buffer<std::byte> mini;
  if (!r.copy(mini_chain, static_cast<std::size_t>(root_size), mini)) return false;
  const std::size_t mini_count = std::min(minifat_bytes.size() / 4, mini.size() / 64);
  std::vector<std::uint8_t> mini_taken(mini_count, 0);

  // The root's children: a tree walked with a stack, each entry once.
  std::vector<std::uint8_t> seen(entries, 0);
  std::vector<std::uint32_t> stack = {load_le<std::uint32_t>(root + 76)};
  seen[0] = 1;
  while (!stack.empty()) {
    const std::uint32_t i = stack.back();
    stack.pop_back();
    if (i == cfb_free_sector) continue;
    if (i >= entries) return fail("a directory link past the end of the directory", entry_at(0));
    if (seen[i] != 0) return fail("a directory tree that loops", entry_at(i));
    seen[i] = 1;
    const std::byte* e = dir.data() + 128 * static_cast<std::size_t>(i);
    const std::size_t e_at = entry_at(i);
    const std::uint8_t type = static_cast<std::uint8_t>(e[66]);
    if (type != 1 && type != 2) return fail("a directory entry in the tree that is not a stream or storage", e_at + 66);
    const std::uint16_t name_bytes = load_le<std::uint16_t>(e + 64);
    if (name_bytes < 4 || name_bytes > 64 || name_bytes % 2 != 0 || load_le<std::uint16_t>(e + name_bytes - 2) != 0)
      return fail("a directory entry name of a bad length or without its NUL", e_at + 64);
    std::u16string name;
    for (std::size_t k = 0; k + 2 < name_bytes; k += 2) name += static_cast<char16_t>(load_le<std::uint16_t>(e + k));
    stack.push_back(load_le<std::uint32_t>(e + 68));
    stack.push_back(load_le<std::uint32_t>(e + 72));
    if (type == 1) {
      out.storages.push_back(static_cast<std::u16string&&>(name));
      continue;
    }
    const std::uint64_t size = major == 3 ? load_le<std::uint32_t>(e + 120) : load_le<std::uint64_t>(e + 120);
    if (size > file.size()) return fail("a stream larger than the file", e_at + 120);
    const std::uint32_t first = load_le<std::uint32_t>(e + 116);
    cfb_stream s;
    s.name = static_cast<std::u16string&&>(name);
    if (size >= cfb_mini_cutoff) {
      std::vector<std::uint32_t> chain;
      if (!r.follow(first, cfb::sectors_for(size, r.ss), chain, e_at + 116)) return false;
      if (!r.copy(chain, static_cast<std::size_t>(size), s.data)) return false;
      s.offset = r.offset_of(first);
    } else {
      s.data = buffer<std::byte>(static_cast<std::size_t>(size));
      std::uint32_t m = first;
      for (std::size_t k = 0; k * 64 < size; ++k) {
        if (m >= mini_count) return fail("a mini sector outside the mini stream", e_at + 116);
        if (mini_taken[m] != 0) return fail("a mini sector in two chains, or a mini chain that loops", e_at + 116);
        mini_taken[m] = 1;
        const std::size_t n = std::min<std::size_t>(64, static_cast<std::size_t>(size) - k * 64);
        std::memcpy(s.data.data() + k * 64, mini.data() + 64 * static_cast<std::size_t>(m), n);
        m = load_le<std::uint32_t>(minifat_bytes.data() + 4 * static_cast<std::size_t>(m));
      }
      s.offset = 0;
    }
    out.streams.push_back(static_cast<cfb_stream&&>(s));
  }
  return true;
}

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_CFB_IPP
