// vitte/release/detail/cpio_odc.ipp - the odc cpio writer and reader (cpio_odc.hpp).
#ifndef VITTE_RELEASE_DETAIL_CPIO_ODC_IPP
#define VITTE_RELEASE_DETAIL_CPIO_ODC_IPP

#include <vitte/base/detail/bytes.hpp>  // bytes_of, octets_of, text_of
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/release/detail/cpio.hpp>
#include <vitte/release/detail/cpio_odc.hpp>
#include <vitte/release/detail/failure.hpp>  // refuse

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vitte::release::detail {

namespace odc {

// The widths of the header's fields after the magic, in order.
inline constexpr std::size_t widths[10] = {6, 6, 6, 6, 6, 6, 6, 11, 6, 11};

// Writes `v` as `width` octal digits at `out`; false when it does not fit.
inline bool put_octal(char* out, std::size_t width, std::uint64_t v) noexcept {
  for (std::size_t i = width; i-- > 0; v >>= 3) out[i] = static_cast<char>('0' + (v & 7));
  return v == 0;
}

// The octal number of `s` (digits only); false for anything else.
inline bool get_octal(text_view s, std::uint64_t& v) noexcept {
  v = 0;
  for (const char c : s) {
    if (c < '0' || c > '7') return false;
    v = (v << 3) | static_cast<std::uint64_t>(c - '0');
  }
  return true;
}

}  // namespace odc

VITTE_DECL bool cpio_odc_append(std::string& out, text_view name, const cpio_fields& f, span<const std::byte> data) {
  if (!cpio_odc_header(out, name, f, data.size())) return false;
  out += vitte::detail::text_of(data);
  return true;
}

VITTE_DECL bool cpio_odc_header(std::string& out, text_view name, const cpio_fields& f, std::uint64_t size) {
  if (name.empty() || name.size() + 1 > cpio_max_name || name.find('\0') != text_view::npos) return false;
  const std::uint64_t fields[10] = {0, f.ino, f.mode, f.uid, f.gid, f.nlink, 0, f.mtime, name.size() + 1, size};
  char header[cpio_odc_header_size];
  for (std::size_t i = 0; i < cpio_odc_magic.size(); ++i) header[i] = cpio_odc_magic[i];
  std::size_t at = cpio_odc_magic.size();
  for (std::size_t i = 0; i < 10; ++i) {
    if (!odc::put_octal(header + at, odc::widths[i], fields[i])) return false;
    at += odc::widths[i];
  }
  out.append(header, sizeof header);
  out.append(name.data(), name.size());
  out += '\0';
  return true;
}

VITTE_DECL bool cpio_odc_read(span<const std::byte> a, std::vector<cpio_member>& out, vitte::diagnostic* why) {
  const auto* p = reinterpret_cast<const char*>(a.data());
  text_view member;  // the member being read, once its name is
  const auto fail = [&](const char* w, std::size_t where) { return refuse(why, errc::malformed, where, member, w); };
  std::size_t i = 0;
  for (;;) {
    member = {};
    if (a.size() - i < cpio_odc_header_size) return fail("a cpio header cut short (no trailer)", i);
    if (text_view(p + i, 6) != cpio_odc_magic) return fail("not an odc cpio header (no \"070707\" magic)", i);
    std::uint64_t v[10];
    std::size_t field = i + 6;
    for (std::size_t k = 0; k < 10; ++k) {
      if (!odc::get_octal(text_view(p + field, odc::widths[k]), v[k]))
        return fail("a cpio header field that is not octal", field);
      field += odc::widths[k];
    }
    cpio_member m;
    m.offset = i;
    m.fields.dev_major = static_cast<std::uint32_t>(v[0]);
    m.fields.ino = static_cast<std::uint32_t>(v[1]);
    m.fields.mode = static_cast<std::uint32_t>(v[2]);
    m.fields.uid = static_cast<std::uint32_t>(v[3]);
    m.fields.gid = static_cast<std::uint32_t>(v[4]);
    m.fields.nlink = static_cast<std::uint32_t>(v[5]);
    m.fields.rdev_major = static_cast<std::uint32_t>(v[6]);
    m.fields.mtime = static_cast<std::uint32_t>(v[7]);
    const std::uint64_t name_size = v[8], size = v[9];
    i += cpio_odc_header_size;
    if (name_size == 0 || name_size > cpio_max_name) return fail("a cpio name size of 0 or over 4096", m.offset + 59);
    if (name_size > a.size() - i) return fail("a cpio name cut short", i);
    m.name = text_view(p + i, static_cast<std::size_t>(name_size - 1));
    if (p[i + name_size - 1] != '\0' || m.name.find('\0') != text_view::npos)
      return fail("a cpio name that is not one NUL-terminated string", i);
    member = m.name;
    i += static_cast<std::size_t>(name_size);
    if (m.name == cpio_trailer) {
      for (; i < a.size(); ++i)
        if (a[i] != std::byte{0}) return fail("data after the cpio trailer", i);
      return true;
    }
    if (size > a.size() - i) return fail("a cpio member's data cut short", i);
    m.data = span<const std::byte>(a.data() + i, static_cast<std::size_t>(size));
    i += static_cast<std::size_t>(size);
    out.push_back(m);
  }
}

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_CPIO_ODC_IPP
