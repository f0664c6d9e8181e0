// vitte/release/detail/cab.ipp - the cabinet writer and reader (cab.hpp).
#ifndef VITTE_RELEASE_DETAIL_CAB_IPP
#define VITTE_RELEASE_DETAIL_CAB_IPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/detail/civil.hpp>   // DOS dates
#include <vitte/base/detail/endian.hpp>  // load_le / store_le
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/compress/deflate.hpp>  // MSZIP blocks
#include <vitte/release/detail/cab.hpp>
#include <vitte/release/detail/failure.hpp>  // refuse

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace vitte::release::detail {

VITTE_DECL std::uint32_t cab_checksum(const std::byte* p, std::size_t n, std::uint32_t seed) noexcept {
  std::uint32_t c = seed;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) c ^= vitte::detail::load_le<std::uint32_t>(p + i);
  std::uint32_t tail = 0;
  for (; i < n; ++i) {
    const auto b = static_cast<std::uint32_t>(p[i]);
    tail = (tail << 8) | b;
  }
  return c ^ tail;
}

VITTE_DECL std::uint32_t cab_block_checksum(span<const std::byte> data, std::uint16_t compressed, std::uint16_t plain) {
  std::byte sizes[4];
  vitte::detail::store_le<std::uint16_t>(sizes, compressed);
  vitte::detail::store_le<std::uint16_t>(sizes + 2, plain);
  return cab_checksum(sizes, 4, cab_checksum(data.data(), data.size(), 0));
}

VITTE_DECL void cab_dos_time(std::int64_t seconds, std::uint16_t& date, std::uint16_t& time) {
  constexpr std::int64_t first = 315532800;  // 1980-01-01
  if (seconds < first) seconds = first;
  const std::int64_t rest = seconds % 86400;
  std::int64_t year = 0;
  unsigned month = 0, day = 0;
  vitte::detail::civil_from_days(seconds / 86400, year, month, day);
  if (year > 2107) {
    date = static_cast<std::uint16_t>((127 << 9) | (12 << 5) | 31);
    time = static_cast<std::uint16_t>((23 << 11) | (59 << 5) | 29);
    return;
  }
  date = static_cast<std::uint16_t>(((year - 1980) << 9) | (month << 5) | day);
  time = static_cast<std::uint16_t>(((rest / 3600) << 11) | (((rest / 60) % 60) << 5) | ((rest % 60) / 2));
}

VITTE_DECL bool cab_write(span<const cab_input> files, int level, std::int64_t time, buffer<std::byte>& out,
                          vitte::diagnostic* why) {
  using vitte::detail::store_le;
  const auto fail = [&](errc kind, const char* w, text_view name = {}) {
    return refuse(why, kind, vitte::diagnostic::no_offset, name, w);
  };
  if (files.size() > 0xFFFF) return fail(errc::limit_exceeded, "more than 65535 files in one cabinet");
  std::uint64_t total = 0;
  std::size_t names = 0;
  for (const cab_input& f : files) {
    if (f.name.empty() || f.name.size() > 255 || f.name.find('\0') != text_view::npos)
      return fail(errc::invalid_argument, "a cabinet file name of 1 to 255 bytes without NUL", f.name);
    total += f.data.size();
    names += f.name.size() + 1;
  }
  if (total > std::uint64_t{0xFFFF} * cab_block)
    return fail(errc::limit_exceeded, "more than 2 GiB in one cabinet folder");
  std::uint16_t date = 0, clock = 0;
  cab_dos_time(time, date, clock);
  const std::size_t files_at = 36 + 8, data_at = files_at + 16 * files.size() + names;
  const std::size_t blocks = static_cast<std::size_t>((total + cab_block - 1) / cab_block);

  std::vector<std::byte> c(data_at);
  std::memcpy(c.data(), "MSCF", 4);
  store_le<std::uint32_t>(c.data() + 16, static_cast<std::uint32_t>(files_at));
  c[24] = std::byte{3};  // version 1.3
  c[25] = std::byte{1};
  store_le<std::uint16_t>(c.data() + 26, 1);  // folders
  store_le<std::uint16_t>(c.data() + 28, static_cast<std::uint16_t>(files.size()));
  store_le<std::uint32_t>(c.data() + 36, static_cast<std::uint32_t>(data_at));
  store_le<std::uint16_t>(c.data() + 40, static_cast<std::uint16_t>(blocks));
  store_le<std::uint16_t>(c.data() + 42, level == 0 ? 0 : 1);  // stored, MSZIP
  std::size_t at = files_at;
  std::uint32_t offset = 0;
  for (const cab_input& f : files) {
    bool utf8 = false;
    for (const char ch : f.name) utf8 = utf8 || static_cast<unsigned char>(ch) >= 0x80;
    store_le<std::uint32_t>(c.data() + at, static_cast<std::uint32_t>(f.data.size()));
    store_le<std::uint32_t>(c.data() + at + 4, offset);
    store_le<std::uint16_t>(c.data() + at + 10, date);
    store_le<std::uint16_t>(c.data() + at + 12, clock);
    store_le<std::uint16_t>(c.data() + at + 14, utf8 ? 0xA0 : 0x20);  // archive, and UTF-8 name
    std::memcpy(c.data() + at + 16, f.name.data(), f.name.size());
    at += 16 + f.name.size() + 1;
    offset += static_cast<std::uint32_t>(f.data.size());
  }

  // The data: the files one after the other, cut into 32 KiB blocks.
  std::vector<std::byte> block;
  block.reserve(cab_block);
  std::size_t file = 0, in_file = 0;
  for (std::size_t b = 0; b < blocks; ++b) {
    block.clear();
    while (block.size() < cab_block && file < files.size()) {
      const span<const std::byte> d = files[file].data;
      const std::size_t n = std::min(cab_block - block.size(), d.size() - in_file);
      block.insert(block.end(), d.data() + in_file, d.data() + in_file + n);
      in_file += n;
      if (in_file == d.size()) ++file, in_file = 0;
    }
    const std::size_t head = c.size();
    c.resize(head + 8);
    if (level == 0) {
      c.insert(c.end(), block.begin(), block.end());
    } else {
      result<buffer<std::byte>> z = compress::deflate(span<const std::byte>(block.data(), block.size()), level);
      if (!z) return fail(z.error().kind(), "cannot compress a cabinet block");
      c.push_back(std::byte{'C'});
      c.push_back(std::byte{'K'});
      c.insert(c.end(), z->begin(), z->end());
    }
    const std::size_t packed = c.size() - head - 8;
    if (packed > 0xFFFF) return fail(errc::limit_exceeded, "a cabinet block that does not compress into 64 KiB");
    const auto cb = static_cast<std::uint16_t>(packed), ub = static_cast<std::uint16_t>(block.size());
    store_le<std::uint32_t>(c.data() + head, cab_block_checksum({c.data() + head + 8, packed}, cb, ub));
    store_le<std::uint16_t>(c.data() + head + 4, cb);
    store_le<std::uint16_t>(c.data() + head + 6, ub);
  }
  if (c.size() > 0xFFFFFFFFu) return fail(errc::limit_exceeded, "a cabinet over 4 GiB");
  store_le<std::uint32_t>(c.data() + 8, static_cast<std::uint32_t>(c.size()));
  out = buffer<std::byte>(c.data(), c.data() + c.size());
  return true;
}

VITTE_DECL bool cab_read(span<const std::byte> cab, cab_contents& out, vitte::diagnostic* why,
                         std::uint64_t max_output) {
  using vitte::detail::load_le;
  text_view file;  // the file whose CFFILE entry is at fault, once its name is read
  const auto fail = [&](const char* w, std::size_t where, errc kind = errc::malformed) {
    return refuse(why, kind, where < cab.size() ? where : cab.size(), file, w);
  };
  const std::byte* c = cab.data();
  if (cab.size() < 36 || std::memcmp(c, "MSCF", 4) != 0) return fail("not a cabinet (no \"MSCF\" signature)", 0);
  const std::uint32_t size = load_le<std::uint32_t>(c + 8);
  if (size > cab.size()) return fail("a cabinet shorter than its header says (cut short)", 8);
  if (size < 36) return fail("a cabinet size smaller than its header", 8);
  if (static_cast<std::uint8_t>(c[25]) != 1) return fail("a cabinet format version other than 1", 25);
  const std::uint32_t files_at = load_le<std::uint32_t>(c + 16);
  const std::uint16_t folder_count = load_le<std::uint16_t>(c + 26), file_count = load_le<std::uint16_t>(c + 28);
  const std::uint16_t flags = load_le<std::uint16_t>(c + 30);
  if ((flags & 3) != 0)
    return fail("a cabinet in a set spanning several cabinets (not supported)", 30, errc::not_supported);
  std::size_t pos = 36, folder_reserve = 0, data_reserve = 0;
  if ((flags & 4) != 0) {
    if (size < 40) return fail("a cabinet's reserve sizes cut short", 36);
    const std::uint16_t header_reserve = load_le<std::uint16_t>(c + 36);
    folder_reserve = static_cast<std::uint8_t>(c[38]);
    data_reserve = static_cast<std::uint8_t>(c[39]);
    pos = 40 + std::size_t{header_reserve};
    if (pos > size) return fail("a cabinet's reserved area past its end", 36);
  }

  struct folder {
    std::uint32_t first;
    std::uint16_t blocks, method;
    std::size_t at;
  };
  std::vector<folder> folders;
  for (std::uint16_t i = 0; i < folder_count; ++i) {
    if (size - pos < 8 + folder_reserve) return fail("a CFFOLDER entry cut short", pos);
    folders.push_back({load_le<std::uint32_t>(c + pos), load_le<std::uint16_t>(c + pos + 4),
                       load_le<std::uint16_t>(c + pos + 6), pos});
    if ((folders.back().method & 0x0F) > 1)
      return fail("a folder compressed with Quantum or LZX (not supported)", pos + 6, errc::not_supported);
    pos += 8 + folder_reserve;
  }

  pos = files_at;
  for (std::uint16_t i = 0; i < file_count; ++i) {
    if (pos > size || size - pos < 17) return fail("a CFFILE entry cut short", pos);
    cab_file f;
    f.size = load_le<std::uint32_t>(c + pos);
    f.offset = load_le<std::uint32_t>(c + pos + 4);
    f.folder = load_le<std::uint16_t>(c + pos + 8);
    f.date = load_le<std::uint16_t>(c + pos + 10);
    f.time = load_le<std::uint16_t>(c + pos + 12);
    f.attributes = load_le<std::uint16_t>(c + pos + 14);
    f.at = pos;
    if (f.folder >= 0xFFFD)
      return fail("a file continued from or into another cabinet (not supported)", pos + 8, errc::not_supported);
    if (f.folder >= folder_count) return fail("a file in a folder the cabinet does not have", pos + 8);
    const auto* name = reinterpret_cast<const char*>(c + pos + 16);
    const std::size_t room = std::min<std::size_t>(size - pos - 16, 256);
    const void* nul = std::memchr(name, 0, room);
    if (nul == nullptr) return fail("a file name without its NUL within 256 bytes", pos + 16);
    f.name.assign(name, static_cast<const char*>(nul));
    if (f.name.empty()) return fail("a file without a name", pos + 16);
    pos += 16 + f.name.size() + 1;
    out.files.push_back(static_cast<cab_file&&>(f));
  }

  // Every block's sizes first: what decompression may produce is known
  // and bounded before any of it is done.
  std::uint64_t declared = 0, packed = 0;
  std::vector<std::pair<std::size_t, std::size_t>> spans;  // of each folder's blocks
  for (const folder& f : folders) {
    std::size_t p = f.first;
    for (std::uint16_t b = 0; b < f.blocks; ++b) {
      if (p > size || size - p < 8 + data_reserve) return fail("a data block header cut short", p);
      const std::uint16_t cb = load_le<std::uint16_t>(c + p + 4), ub = load_le<std::uint16_t>(c + p + 6);
      if ((f.method & 0x0F) == 0 && cb != ub) return fail("a stored data block whose two sizes differ", p + 4);
      if ((f.method & 0x0F) == 1 && ub > cab_block) return fail("an MSZIP block of more than 32768 bytes", p + 6);
      p += 8 + data_reserve;
      if (size - p < cb) return fail("a data block cut short", p);
      p += cb;
      declared += ub;
      packed += cb;
    }
    spans.emplace_back(f.first, p);
  }
  // Folders may not share blocks: what is decompressed is then bounded by
  // the cabinet's own size.
  // Sorted by start, each folder with blocks begins at or after the end of
  // every earlier one (empty folders take no room and are skipped, so they
  // cannot separate two that overlap).
  std::sort(spans.begin(), spans.end());
  std::size_t end_so_far = 0;
  for (const auto& [first, last] : spans) {
    if (first == last) continue;
    if (first < end_so_far) return fail("two folders that share data blocks", first);
    end_so_far = last;
  }
  // A lie first (what no DEFLATE stream can hold), then the caller's limit.
  if (declared > 1032 * packed + cab_block) return fail("a cabinet that declares more data than DEFLATE can hold", 0);
  if (declared > max_output) return fail("a cabinet that decompresses to more than the limit", 0, errc::limit_exceeded);
  out.declared = declared;

  for (const folder& f : folders) {
    buffer<std::byte> data;
    std::size_t p = f.first;
    for (std::uint16_t b = 0; b < f.blocks; ++b) {
      const std::size_t head = p;
      const std::uint32_t sum = load_le<std::uint32_t>(c + p);
      const std::uint16_t cb = load_le<std::uint16_t>(c + p + 4), ub = load_le<std::uint16_t>(c + p + 6);
      p += 8 + data_reserve;
      const span<const std::byte> in(c + p, cb);
      p += cb;
      if (sum != 0 && sum != cab_block_checksum(in, cb, ub)) return fail("a data block checksum mismatch", head);
      if ((f.method & 0x0F) == 0) {
        data.append(in.data(), in.size());
        continue;
      }
      if (cb < 2 || in[0] != std::byte{'C'} || in[1] != std::byte{'K'})
        return fail("an MSZIP block without its \"CK\" signature", head + 8);
      const std::size_t keep = std::min(data.size(), cab_block);
      const span<const std::byte> dictionary = data.span().last(keep);
      compress::decompress_limits limits;
      limits.max_output = ub;
      result<buffer<std::byte>> plain = compress::inflate(in.subspan(2), dictionary, limits);
      if (!plain)
        return fail(plain.error() == errc::unexpected_eof ? "an MSZIP block cut short"
                                                          : "an MSZIP block that does not decompress",
                    head + 10);
      if (plain->size() != ub) return fail("an MSZIP block that decompresses to another size than it says", head + 6);
      data.append(plain->data(), plain->size());
    }
    out.folders.push_back(static_cast<buffer<std::byte>&&>(data));
  }

  // Files inside their folder's data, and not overlapping.
  std::vector<const cab_file*> sorted;
  for (const cab_file& f : out.files) {
    if (std::uint64_t{f.offset} + f.size > out.folders[f.folder].size()) {
      file = f.name;
      return fail("a file past the end of its folder's data", f.at);
    }
    sorted.push_back(&f);
  }
  std::sort(sorted.begin(), sorted.end(), [](const cab_file* a, const cab_file* b) {
    return a->folder != b->folder ? a->folder < b->folder : a->offset < b->offset;
  });
  for (std::size_t i = 1; i < sorted.size(); ++i)
    if (sorted[i]->folder == sorted[i - 1]->folder &&
        std::uint64_t{sorted[i - 1]->offset} + sorted[i - 1]->size > sorted[i]->offset) {
      file = sorted[i]->name;
      return fail("two files that overlap in their folder's data", sorted[i]->at);
    }
  return true;
}

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_CAB_IPP
