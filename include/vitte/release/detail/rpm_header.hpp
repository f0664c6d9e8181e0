// vitte/release/detail/rpm_header.hpp - the header structure of an .rpm,
// shared by its signature header and its main header: the tags and types a
// package uses, rpm_header_writer (items added in any order, laid out by
// tag, each aligned for its type, closed by the region trailer) and
// rpm_read_header(), which checks a header as rpm does (magic, counts,
// types, alignment, overlap, the region trailer) before anything uses it.
#ifndef VITTE_RELEASE_DETAIL_RPM_HEADER_HPP
#define VITTE_RELEASE_DETAIL_RPM_HEADER_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/detail/endian.hpp>  // big-endian header fields
#include <vitte/base/detail/hex.hpp>     // digests as text
#include <vitte/base/diagnostic.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vitte::release::detail {

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
                               requireversion = 1050, conflictflags = 1053, conflictname = 1054, conflictversion = 1055,
                               rpmversion = 1064, changelogtime = 1080, changelogname = 1081, changelogtext = 1082,
                               filedevices = 1095, fileinodes = 1096, filelangs = 1097, provideflags = 1112,
                               provideversion = 1113, dirindexes = 1116, basenames = 1117, dirnames = 1118,
                               payloadformat = 1124, payloadcompressor = 1125, payloadflags = 1126,
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
inline constexpr std::uint32_t rpm_file_config = 1u << 0, rpm_file_noreplace = 1u << 4;   // %config(noreplace)
inline constexpr std::uint32_t rpm_sense_equal = 1u << 3, rpm_sense_less = 1u << 1, rpm_sense_greater = 1u << 2,
                               rpm_sense_rpmlib = 1u << 24;
// A dependency found in the files (elfdeps), as rpmbuild marks it.
inline constexpr std::uint32_t rpm_sense_find_requires = 1u << 14, rpm_sense_find_provides = 1u << 15;
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
  std::string finish(std::uint32_t region);

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
  std::vector<text_view> strings(const rpm_index_entry& e) const;
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
/// one before, tags in increasing order. False with `why` filled:
/// errc::malformed, the byte offset in `file`, the header ("signature
/// header" for region HEADERSIGNATURES, else "header") and, for an index
/// entry at fault, its tag in the message.
VITTE_DECL bool rpm_read_header(span<const std::byte> file, std::size_t offset, std::uint32_t region,
                                std::uint32_t max_il, std::uint32_t max_dl, rpm_header& h,
                                vitte::diagnostic* why = nullptr);

namespace rpm_detail {

/// A digest as the lower-case hex rpm stores in a header.
template <class Digest>
std::string hex_of(const Digest& d) {
  std::string s(2 * d.size(), '\0');
  vitte::detail::hex_encode(d.data(), d.size(), s.data());
  return s;
}

}  // namespace rpm_detail

}  // namespace vitte::release::detail

#if VITTE_HEADER_ONLY
#include <vitte/release/detail/rpm_header.ipp>
#endif

#endif  // VITTE_RELEASE_DETAIL_RPM_HEADER_HPP
