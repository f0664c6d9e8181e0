// vitte/release/detail/rpm_header.hpp - the header structure of an .rpm,
// shared by its signature header and its main header: the tags and types a
// package uses, rpm_header_writer (items added in any order, laid out by
// tag, each aligned for its type, closed by the region trailer) and
// rpm_read_header(), which checks a header as rpm does (magic, counts,
// types, alignment, overlap, the region trailer) before anything uses it.
#ifndef VITTE_RELEASE_DETAIL_RPM_HEADER_HPP
#define VITTE_RELEASE_DETAIL_RPM_HEADER_HPP

#include <vitte/base/detail/endian.hpp>  // big-endian header fields
#include <vitte/base/detail/hex.hpp>     // digests as text
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vitte::build::detail {

/// The tags a package uses (rpmtag.h).
namespace rpmtag {
inline constexpr std::uint32_t headersignatures = 62, headerimmutable = 63, headeri18ntable = 100;
inline constexpr std::uint32_t dsaheader = 267, sha1header = 269, sha256header = 273;  // dsaheader: RPMSIGTAG_DSA
inline constexpr std::uint32_t name = 1000, version = 1001, release = 1002, summary = 1004, description = 1005,
                               buildtime = 1006, buildhost = 1007, size = 1009, license = 1014, packager = 1015,
                               group = 1016, url = 1020, os = 1021, arch = 1022, filesizes = 1028, filemodes = 1030,
                               filerdevs = 1033, filemtimes = 1034, filedigests = 1035, filelinktos = 1036,
                               fileflags = 1037, fileusername = 1039, filegroupname = 1040, sourcerpm = 1044,
                               fileverifyflags = 1045, providename = 1047, requireflags = 1048, requirename = 1049,
                               requireversion = 1050, rpmversion = 1064, changelogtime = 1080, changelogname = 1081,
                               changelogtext = 1082, filedevices = 1095, fileinodes = 1096, filelangs = 1097,
                               provideflags = 1112, provideversion = 1113, dirindexes = 1116, basenames = 1117,
                               dirnames = 1118, payloadformat = 1124, payloadcompressor = 1125, payloadflags = 1126,
                               filedigestalgo = 5011, encoding = 5062, payloaddigest = 5092, payloaddigestalgo = 5093;
}  // namespace rpmtag

/// The signature header's own tags.
namespace rpmsigtag {
inline constexpr std::uint32_t size = 1000, md5 = 1004, payloadsize = 1007;
}

/// The types of header data.
enum class rpm_type : std::uint32_t {
  null_type = 0,
  char_type = 1,
  int8 = 2,
  int16 = 3,
  int32 = 4,
  int64 = 5,
  string = 6,
  bin = 7,
  string_array = 8,
  i18nstring = 9,
};

inline constexpr std::uint8_t rpm_lead_magic[4] = {0xed, 0xab, 0xee, 0xdb};
inline constexpr std::uint8_t rpm_header_magic[8] = {0x8e, 0xad, 0xe8, 0x01, 0, 0, 0, 0};
inline constexpr std::size_t rpm_lead_size = 96;
inline constexpr std::uint32_t rpm_sigtype_headersig = 5;
inline constexpr std::uint32_t rpm_hash_md5 = 1, rpm_hash_sha1 = 2, rpm_hash_sha256 = 8;  // PGPHASHALGO_*
inline constexpr std::uint32_t rpm_file_doc = 1u << 1;                                    // FILEFLAGS: documentation
inline constexpr std::uint32_t rpm_sense_equal = 1u << 3, rpm_sense_less = 1u << 1, rpm_sense_rpmlib = 1u << 24;
inline constexpr std::uint32_t rpm_file_type_mask = 0170000, rpm_file_regular = 0100000, rpm_file_directory = 040000,
                               rpm_file_symlink = 0120000;

/// Builds one header: items added in any order, laid out sorted by tag.
class rpm_header_writer {
 public:
  void string(std::uint32_t tag, text_view s) { add(tag, rpm_type::string, 1, with_nul(s)); }
  void i18n(std::uint32_t tag, text_view s) { add(tag, rpm_type::i18nstring, 1, with_nul(s)); }
  void strings(std::uint32_t tag, const std::vector<std::string>& v) {
    std::string d;
    for (const std::string& s : v) d += with_nul(s);
    add(tag, rpm_type::string_array, static_cast<std::uint32_t>(v.size()), static_cast<std::string&&>(d));
  }
  void int32s(std::uint32_t tag, const std::vector<std::uint32_t>& v) {
    std::string d(4 * v.size(), '\0');
    for (std::size_t i = 0; i < v.size(); ++i) vitte::detail::store_be<std::uint32_t>(&d[4 * i], v[i]);
    add(tag, rpm_type::int32, static_cast<std::uint32_t>(v.size()), static_cast<std::string&&>(d));
  }
  void int16s(std::uint32_t tag, const std::vector<std::uint16_t>& v) {
    std::string d(2 * v.size(), '\0');
    for (std::size_t i = 0; i < v.size(); ++i) vitte::detail::store_be<std::uint16_t>(&d[2 * i], v[i]);
    add(tag, rpm_type::int16, static_cast<std::uint32_t>(v.size()), static_cast<std::string&&>(d));
  }
  void bin(std::uint32_t tag, span<const std::byte> b) {
    add(tag, rpm_type::bin, static_cast<std::uint32_t>(b.size()),
        std::string(reinterpret_cast<const char*>(b.data()), b.size()));
  }

  /// The header: magic, counts, index (the region tag first), data, trailer.
  std::string finish(std::uint32_t region) {
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

 private:
  struct item {
    std::uint32_t tag;
    rpm_type type;
    std::uint32_t count;
    std::string data;
  };
  static std::string with_nul(text_view s) { return std::string(s) + '\0'; }
  void add(std::uint32_t tag, rpm_type type, std::uint32_t count, std::string data) {
    items_.push_back({tag, type, count, static_cast<std::string&&>(data)});
  }
  std::vector<item> items_;
};

/// One entry of a header's index, checked.
struct rpm_index_entry {
  std::uint32_t tag = 0;
  rpm_type type = rpm_type::null_type;
  std::uint32_t offset = 0, count = 0, length = 0;  // offset and length in the data
};

/// A header read from a file: views into it.
struct rpm_header {
  span<const std::byte> bytes;  ///< magic to the end of the data
  span<const std::byte> data;
  std::vector<rpm_index_entry> entries;  ///< without the region tag, sorted by tag
  std::size_t offset = 0;                ///< of the magic in the file

  const rpm_index_entry* find(std::uint32_t tag) const {
    const auto it = std::lower_bound(entries.begin(), entries.end(), tag,
                                     [](const rpm_index_entry& e, std::uint32_t t) { return e.tag < t; });
    return it != entries.end() && it->tag == tag ? &*it : nullptr;
  }
  /// The strings of a STRING, STRING_ARRAY or I18NSTRING entry (the lengths
  /// were checked when the header was read).
  std::vector<text_view> strings(const rpm_index_entry& e) const {
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
  std::uint32_t int32_at(const rpm_index_entry& e, std::size_t i) const {
    return vitte::detail::load_be<std::uint32_t>(data.data() + e.offset + 4 * i);
  }
  std::uint16_t int16_at(const rpm_index_entry& e, std::size_t i) const {
    return vitte::detail::load_be<std::uint16_t>(data.data() + e.offset + 2 * i);
  }
};

/// Reads and checks the header at `offset` of `file`, as rpm's
/// hdrblobInit does: at most `max_il` entries and `max_dl` data bytes, the
/// region `region` spanning it all, every entry of a known type with a
/// count, aligned, inside the data before the trailer, none overlapping the
/// one before, tags in increasing order.
inline bool rpm_read_header(span<const std::byte> file, std::size_t offset, std::uint32_t region, std::uint32_t max_il,
                            std::uint32_t max_dl, rpm_header& h, const char*& what, std::size_t& at) {
  const auto fail = [&](const char* w, std::size_t where) {
    what = w;
    at = where;
    return false;
  };
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
    if (e.tag < rpmtag::headeri18ntable) return fail("a header tag below 100", here);
    if (!h.entries.empty() && e.tag <= h.entries.back().tag) return fail("header tags out of order", here);
    if (type < 1 || type > 9) return fail("a header entry of an unknown type", here + 4);
    e.type = static_cast<rpm_type>(type);
    if (e.count < 1 || e.count > dl) return fail("a header entry count out of range", here + 12);
    if (e.offset > limit) return fail("a header entry offset out of range", here + 8);
    if (e.offset < end) return fail("header entries that overlap", here + 8);
    for (std::uint32_t gap = end; gap < e.offset; ++gap)  // alignment: zeros, as rpm writes it
      if (h.data[gap] != std::byte{0} || e.offset - end >= 8)
        return fail("header data between entries that is not alignment padding",
                    static_cast<std::size_t>(h.data.data() - p) + gap);
    const std::uint32_t align = type == 3 ? 2 : type == 4 ? 4 : type == 5 ? 8 : 1;
    if (e.offset % align != 0) return fail("a header entry not aligned for its type", here + 8);
    if (e.type != rpm_type::bin && e.count > 0x000fffff) return fail("a header array over a million items", here + 12);
    const std::uint32_t room = limit - e.offset;
    if (e.type == rpm_type::string || e.type == rpm_type::string_array || e.type == rpm_type::i18nstring) {
      if (e.type == rpm_type::string && e.count != 1) return fail("a header string with a count other than 1", here);
      const auto* s = reinterpret_cast<const char*>(h.data.data()) + e.offset;
      std::uint32_t n = 0, len = 0;
      for (; n < e.count && len < room; ++len)
        if (s[len] == '\0') ++n;
      if (n < e.count) return fail("a header string without its NUL inside the data", here);
      e.length = len;
    } else {
      const std::uint64_t size = std::uint64_t{e.count} * (type == 3 ? 2 : type == 4 ? 4 : type == 5 ? 8 : 1);
      if (size > room) return fail("a header entry's data past the end of the data", here);
      e.length = static_cast<std::uint32_t>(size);
    }
    end = e.offset + e.length;
    h.entries.push_back(e);
  }
  return true;
}

namespace rpm_detail {

/// A digest as the lower-case hex rpm stores in a header.
template <class Digest>
std::string hex_of(const Digest& d) {
  std::string s(2 * d.size(), '\0');
  vitte::detail::hex_encode(d.data(), d.size(), s.data());
  return s;
}

}  // namespace rpm_detail

}  // namespace vitte::build::detail

#endif  // VITTE_RELEASE_DETAIL_RPM_HEADER_HPP
