// vitte/release/detail/rpm_header.ipp - an rpm header written and read (rpm_header.hpp).
#ifndef VITTE_RELEASE_DETAIL_RPM_HEADER_IPP
#define VITTE_RELEASE_DETAIL_RPM_HEADER_IPP

#include <vitte/base/detail/endian.hpp>  // big-endian header fields
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/release/detail/failure.hpp>  // refuse
#include <vitte/release/detail/rpm_header.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vitte::release::detail {

VITTE_DECL std::string rpm_header_writer::finish(std::uint32_t region) {
  std::stable_sort(items_.begin(), items_.end(), [](const item& a, const item& b) { return a.tag < b.tag; });
  std::string index, data;
  const auto entry = [&index](std::uint32_t tag, rpm_type type, std::uint32_t offset, std::uint32_t count) {
    char e[16];
    vitte::detail::store_be<std::uint32_t>(e, tag);
    vitte::detail::store_be<std::uint32_t>(e + 4, static_cast<std::uint32_t>(type));
    vitte::detail::store_be<std::uint32_t>(e + 8, offset);
    vitte::detail::store_be<std::uint32_t>(e + 12, count);
    index.append(e, 16);
  };
  for (const item& it : items_) {
    const std::size_t align = it.type == rpm_type::int16 ? 2 : it.type == rpm_type::int32 ? 4 : 1;
    data.append((align - data.size() % align) % align, '\0');
    entry(it.tag, it.type, static_cast<std::uint32_t>(data.size()), it.count);
    data += it.data;
  }
  const auto il = static_cast<std::uint32_t>(items_.size() + 1);
  std::string region_index;
  index.swap(region_index);
  entry(region, rpm_type::bin, static_cast<std::uint32_t>(data.size()), 16);
  index += region_index;
  std::string trailer;
  trailer.swap(index);
  entry(region, rpm_type::bin, static_cast<std::uint32_t>(0u - 16u * il), 16);
  trailer.swap(index);
  data += trailer;
  std::string out(reinterpret_cast<const char*>(rpm_header_magic), sizeof rpm_header_magic);
  char counts[8];
  vitte::detail::store_be<std::uint32_t>(counts, il);
  vitte::detail::store_be<std::uint32_t>(counts + 4, static_cast<std::uint32_t>(data.size()));
  out.append(counts, 8);
  return out + index + data;
}

VITTE_DECL std::vector<text_view> rpm_header::strings(const rpm_index_entry& e) const {
  std::vector<text_view> out;
  const auto* p = reinterpret_cast<const char*>(data.data()) + e.offset;
  const text_view all(p, e.length);
  for (std::size_t at = 0; out.size() < e.count;) {
    const std::size_t nul = all.find('\0', at);
    out.push_back(all.substr(at, nul - at));
    at = nul + 1;
  }
  return out;
}

VITTE_DECL bool rpm_read_header(span<const std::byte> file, std::size_t offset, std::uint32_t region,
                                std::uint32_t max_il, std::uint32_t max_dl, rpm_header& h, vitte::diagnostic* why) {
  const text_view which = region == rpmtag::headersignatures ? "signature header" : "header";
  const auto fail = [&](const char* w, std::size_t where) { return refuse(why, errc::malformed, where, which, w); };
  const std::byte* p = file.data();
  if (offset > file.size() || file.size() - offset < 16) return fail("a header cut short", file.size());
  for (std::size_t i = 0; i < sizeof rpm_header_magic; ++i)
    if (std::to_integer<std::uint8_t>(p[offset + i]) != rpm_header_magic[i])
      return fail("not an rpm header (no \"8e ad e8 01\" magic)", offset);
  const std::uint32_t il = vitte::detail::load_be<std::uint32_t>(p + offset + 8);
  const std::uint32_t dl = vitte::detail::load_be<std::uint32_t>(p + offset + 12);
  if (il < 1 || il > max_il) return fail("a header's entry count out of range", offset + 8);
  if (dl < 16 || dl > max_dl) return fail("a header's data size out of range", offset + 12);
  const std::uint64_t total = 16 + std::uint64_t{16} * il + dl;
  if (total > file.size() - offset) return fail("a header cut short", file.size());
  h.offset = offset;
  h.bytes = span<const std::byte>(p + offset, static_cast<std::size_t>(total));
  const std::byte* index = p + offset + 16;
  h.data = span<const std::byte>(index + 16 * std::size_t{il}, dl);
  const auto field = [&](std::uint32_t i, int k) {
    return vitte::detail::load_be<std::uint32_t>(index + 16 * i + 4 * k);
  };
  const std::size_t index_at = offset + 16;

  // The region: its entry points at a trailer that ends the data and whose
  // negative offset covers every entry.
  if (field(0, 0) != region || field(0, 1) != static_cast<std::uint32_t>(rpm_type::bin) || field(0, 3) != 16)
    return fail("a header without its region tag", index_at);
  if (field(0, 2) != dl - 16) return fail("a header region that does not end at the end of the data", index_at + 8);
  const std::byte* trailer = h.data.data() + (dl - 16);
  const auto tfield = [&](int k) { return vitte::detail::load_be<std::uint32_t>(trailer + 4 * k); };
  if (tfield(0) != region || tfield(1) != static_cast<std::uint32_t>(rpm_type::bin) || tfield(3) != 16 ||
      tfield(2) != static_cast<std::uint32_t>(0u - 16u * il))
    return fail("a header region trailer that does not cover the header", static_cast<std::size_t>(trailer - p));

  h.entries.clear();
  h.entries.reserve(il - 1);
  std::uint32_t end = 0;
  const std::uint32_t limit = dl - 16;  // data before the trailer
  for (std::uint32_t i = 1; i < il; ++i) {
    rpm_index_entry e;
    e.tag = field(i, 0);
    const std::uint32_t type = field(i, 1);
    e.offset = field(i, 2);
    e.count = field(i, 3);
    const std::size_t here = index_at + 16 * std::size_t{i};
    const auto fail_entry = [&](const char* w, std::size_t where) {
      if (!fail(w, where) && why != nullptr) why->append(" (tag ").append(e.tag).append(")");
      return false;
    };
    if (e.tag < rpmtag::headeri18ntable) return fail_entry("a header tag below 100", here);
    if (!h.entries.empty() && e.tag <= h.entries.back().tag) return fail_entry("header tags out of order", here);
    if (type < 1 || type > 9) return fail_entry("a header entry of an unknown type", here + 4);
    e.type = static_cast<rpm_type>(type);
    if (e.count < 1 || e.count > dl) return fail_entry("a header entry count out of range", here + 12);
    if (e.offset > limit) return fail_entry("a header entry offset out of range", here + 8);
    if (e.offset < end) return fail_entry("header entries that overlap", here + 8);
    for (std::uint32_t gap = end; gap < e.offset; ++gap)  // alignment: zeros, as rpm writes it
      if (h.data[gap] != std::byte{0} || e.offset - end >= 8)
        return fail_entry("header data between entries that is not alignment padding",
                          static_cast<std::size_t>(h.data.data() - p) + gap);
    const std::uint32_t align = type == 3 ? 2 : type == 4 ? 4 : type == 5 ? 8 : 1;
    if (e.offset % align != 0) return fail_entry("a header entry not aligned for its type", here + 8);
    if (e.type != rpm_type::bin && e.count > 0x000fffff)
      return fail_entry("a header array over a million items", here + 12);
    const std::uint32_t room = limit - e.offset;
    if (e.type == rpm_type::string || e.type == rpm_type::string_array || e.type == rpm_type::i18nstring) {
      if (e.type == rpm_type::string && e.count != 1)
        return fail_entry("a header string with a count other than 1", here);
      const auto* s = reinterpret_cast<const char*>(h.data.data()) + e.offset;
      std::uint32_t n = 0, len = 0;
      for (; n < e.count && len < room; ++len)
        if (s[len] == '\0') ++n;
      if (n < e.count) return fail_entry("a header string without its NUL inside the data", here);
      e.length = len;
    } else {
      const std::uint64_t size = std::uint64_t{e.count} * (type == 3 ? 2 : type == 4 ? 4 : type == 5 ? 8 : 1);
      if (size > room) return fail_entry("a header entry's data past the end of the data", here);
      e.length = static_cast<std::uint32_t>(size);
    }
    end = e.offset + e.length;
    h.entries.push_back(e);
  }
  return true;
}

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_RPM_HEADER_IPP
