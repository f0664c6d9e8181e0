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
#include <vitte/release/operations.hpp>      // ops::package

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

VITTE_DECL cab_stream::cab_stream(int level, std::int64_t time, archive_sink& data, std::uint64_t folder_max)
    : level_(level), folder_max_(folder_max < cab_folder_max ? folder_max : cab_folder_max), data_(&data) {
  cab_dos_time(time, date_, time_);
}

VITTE_DECL bool cab_stream::add(text_view name, std::uint64_t size, vitte::diagnostic* why) {
  const auto fail = [&](errc kind, const char* w) { return refuse(why, kind, vitte::diagnostic::no_offset, name, w); };
  if (name.empty() || name.size() > 255 || name.find('\0') != text_view::npos)
    return fail(errc::invalid_argument, "a cabinet file name of 1 to 255 bytes without NUL");
  if (files_.size() == 0xFFFF) return fail(errc::limit_exceeded, "more than 65535 files in one cabinet");
  if (size > cab_folder_max) return fail(errc::limit_exceeded, cab_file_too_large);
  if (left_ != 0) return fail(errc::invalid_argument, "a file added before the previous one had all its bytes");
  // A new folder when this file would take the current one past its blocks.
  if (folders_.empty() || folders_.back().plain + size > folder_max_) {
    if (!folders_.empty())
      if (status s = flush_block(); !s) return fail(s.error().kind(), "cannot write the cabinet");
    if (folders_.size() == 0xFFFF) return fail(errc::limit_exceeded, "more than 65535 folders in one cabinet");
    folders_.push_back({written_, 0, 0});
  }
  folder& d = folders_.back();
  files_.push_back({std::string(name), static_cast<std::uint32_t>(size), static_cast<std::uint32_t>(d.plain),
                    static_cast<std::uint16_t>(folders_.size() - 1)});
  d.plain += size;
  left_ = size;
  return true;
}

// The block gathered so far, compressed, to out_ (then to the data once
// out_ is large enough).
VITTE_DECL status cab_stream::flush_block() {
  using vitte::detail::store_le;
  if (block_.empty()) return {};
  const std::size_t head = out_.size();
  std::byte zero[8] = {};
  out_.append(zero, 8);
  if (level_ == 0) {
    out_.append(block_.data(), block_.size());
  } else {
    result<buffer<std::byte>> z = compress::deflate(block_.span(), level_);
    if (!z) return z.error();
    const std::byte ck[2] = {std::byte{'C'}, std::byte{'K'}};
    out_.append(ck, 2);
    out_.append(z->data(), z->size());
  }
  const std::size_t packed = out_.size() - head - 8;
  if (packed > 0xFFFF) return vitte::error{errc::limit_exceeded, ops::package};
  const auto cb = static_cast<std::uint16_t>(packed), ub = static_cast<std::uint16_t>(block_.size());
  store_le<std::uint32_t>(out_.data() + head, cab_block_checksum({out_.data() + head + 8, packed}, cb, ub));
  store_le<std::uint16_t>(out_.data() + head + 4, cb);
  store_le<std::uint16_t>(out_.data() + head + 6, ub);
  written_ += packed + 8;
  ++folders_.back().blocks;
  block_.clear();
  return out_.size() >= (std::size_t{256} << 10) ? flush_out() : status{};
}

VITTE_DECL status cab_stream::flush_out() {
  const status s = data_->write(out_.span());
  out_.clear();
  return s;
}

VITTE_DECL status cab_stream::write(span<const std::byte> bytes) {
  if (bytes.size() > left_) return vitte::error{errc::invalid_argument, ops::package};
  left_ -= bytes.size();
  while (!bytes.empty()) {
    const std::size_t n = std::min(cab_block - block_.size(), bytes.size());
    block_.append(bytes.data(), n);
    bytes = bytes.subspan(n);
    if (block_.size() == cab_block)
      if (status s = flush_block(); !s) return s;
  }
  return {};
}

VITTE_DECL bool cab_stream::finish(buffer<std::byte>& head, vitte::diagnostic* why) {
  using vitte::detail::store_le;
  const auto fail = [&](errc kind, const char* w) { return refuse(why, kind, vitte::diagnostic::no_offset, {}, w); };
  if (left_ != 0) return fail(errc::invalid_argument, "a cabinet file given fewer bytes than its size");
  if (status s = flush_block(); !s) return fail(s.error().kind(), "cannot write the cabinet");
  if (status s = flush_out(); !s) return fail(s.error().kind(), "cannot write the cabinet");
  std::size_t names = 0;
  for (const file& f : files_) names += f.name.size() + 1;
  const std::size_t files_at = 36 + 8 * folders_.size(), data_at = files_at + 16 * files_.size() + names;
  if (data_at + written_ > 0xFFFFFFFFu) return fail(errc::limit_exceeded, "a cabinet over 4 GiB");
  head = buffer<std::byte>(data_at);
  std::byte* c = head.data();
  std::memset(c, 0, data_at);
  std::memcpy(c, "MSCF", 4);
  store_le<std::uint32_t>(c + 8, static_cast<std::uint32_t>(data_at + written_));
  store_le<std::uint32_t>(c + 16, static_cast<std::uint32_t>(files_at));
  c[24] = std::byte{3};  // version 1.3
  c[25] = std::byte{1};
  store_le<std::uint16_t>(c + 26, static_cast<std::uint16_t>(folders_.size()));
  store_le<std::uint16_t>(c + 28, static_cast<std::uint16_t>(files_.size()));
  for (std::size_t i = 0; i < folders_.size(); ++i) {
    std::byte* d = c + 36 + 8 * i;
    store_le<std::uint32_t>(d, static_cast<std::uint32_t>(data_at + folders_[i].first));
    store_le<std::uint16_t>(d + 4, static_cast<std::uint16_t>(folders_[i].blocks));
    store_le<std::uint16_t>(d + 6, level_ == 0 ? 0 : 1);  // stored, MSZIP
  }
  std::size_t at = files_at;
  for (const file& f : files_) {
    bool utf8 = false;
    for (const char ch : f.name) utf8 = utf8 || static_cast<unsigned char>(ch) >= 0x80;
    store_le<std::uint32_t>(c + at, f.size);
    store_le<std::uint32_t>(c + at + 4, f.offset);
    store_le<std::uint16_t>(c + at + 8, f.folder);
    store_le<std::uint16_t>(c + at + 10, date_);
    store_le<std::uint16_t>(c + at + 12, time_);
    store_le<std::uint16_t>(c + at + 14, utf8 ? 0xA0 : 0x20);  // archive, and UTF-8 name
    std::memcpy(c + at + 16, f.name.data(), f.name.size());
    at += 16 + f.name.size() + 1;
  }
  return true;
}

VITTE_DECL bool cab_write(span<const cab_input> files, int level, std::int64_t time, buffer<std::byte>& out,
                          vitte::diagnostic* why) {
  buffer<std::byte> data;
  archive_sink sink;
  sink.memory = &data;
  cab_stream c(level, time, sink);
  for (const cab_input& f : files) {
    if (!c.add(f.name, f.data.size(), why)) return false;
    if (status s = c.write(f.data); !s)
      return refuse(why, s.error().kind(), vitte::diagnostic::no_offset, f.name, "cannot compress a cabinet block");
  }
  if (!c.finish(out, why)) return false;
  out.append(data.data(), data.size());
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
